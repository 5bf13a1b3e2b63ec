/*
 * load_ws.c — the client half of RFC 6455, as much as examd-load needs:
 * the upgrade request, masked frames out, frame headers in. The
 * Sec-WebSocket-Accept reply is not verified (loopback test tool).
 */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char load_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Write the upgrade request into buf; returns its length (0 if n is too
 * small). */
size_t load_ws_request(char *buf, size_t n, const char *host, int port,
                       const char *token)
{
    char key[25];
    for (int i = 0; i < 21; i++)
        key[i] = load_b64[rand() & 63];
    key[21] = load_b64[rand() & 48]; /* 16 bytes: last char has 2 bits */
    key[22] = key[23] = '=';
    key[24] = 0;
    int len = snprintf(buf, n,
                       "GET /ws HTTP/1.1\r\nHost: %s:%d\r\n"
                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                       "Sec-WebSocket-Protocol: examd.v1\r\n"
                       "Origin: http://%s:%d\r\n"
                       "Cookie: examd_session=%s\r\n\r\n",
                       host, port, key, host, port, token);
    return len > 0 && (size_t)len < n ? (size_t)len : 0;
}

/* Encode one final, masked frame into out (room for len + 14 bytes);
 * returns its size. */
size_t load_ws_frame(char *out, int opcode, const char *payload, size_t len,
                     uint32_t mask)
{
    unsigned char *p = (unsigned char *)out, m[4];
    size_t h = 2;
    p[0] = (unsigned char)(0x80 | (opcode & 15));
    if (len < 126) {
        p[1] = (unsigned char)(0x80 | len);
    } else if (len < 65536) {
        p[1] = 0x80 | 126;
        p[2] = (unsigned char)(len >> 8);
        p[3] = (unsigned char)len;
        h = 4;
    } else {
        p[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++)
            p[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
        h = 10;
    }
    memcpy(m, &mask, 4);
    memcpy(p + h, m, 4);
    h += 4;
    for (size_t i = 0; i < len; i++)
        p[h + i] = (unsigned char)payload[i] ^ m[i & 3];
    return h + len;
}

long load_ws_parse(const unsigned char *b, size_t len, bool *fin,
                   int *opcode, uint64_t *plen)
{
    if (len < 2)
        return 0;
    if ((b[0] & 0x70) || (b[1] & 0x80))
        return -1;
    *fin = b[0] & 0x80;
    *opcode = b[0] & 15;
    uint64_t l = b[1] & 127;
    long h = 2;
    if (l == 126) {
        if (len < 4)
            return 0;
        l = ((uint64_t)b[2] << 8) | b[3];
        h = 4;
    } else if (l == 127) {
        if (len < 10)
            return 0;
        l = 0;
        for (int i = 0; i < 8; i++)
            l = (l << 8) | b[2 + i];
        h = 10;
    }
    *plen = l;
    return h;
}
