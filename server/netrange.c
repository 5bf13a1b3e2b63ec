/*
 * netrange.c — CIDR parsing and matching (see netrange.h).
 *
 * Used by exam.c (an exam's ip_ranges, checked at every start and hello)
 * and transport.c (loopback addresses skip the per-address cap). The
 * match is a prefix compare over 16 bytes: cheap enough for every start.
 */
#include "netrange.h"
#include "err.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t netrange_v4_mapped[12] = {0, 0, 0, 0, 0,    0,
                                               0, 0, 0, 0, 0xff, 0xff};

bool netrange_addr(const char *text, uint8_t out[16])
{
    struct in_addr a4;
    if (inet_pton(AF_INET, text, &a4) == 1) {
        memcpy(out, netrange_v4_mapped, 12);
        memcpy(out + 12, &a4, 4);
        return true;
    }
    return inet_pton(AF_INET6, text, out) == 1;
}

static bool netrange_is_v4(const uint8_t a[16])
{
    return !memcmp(a, netrange_v4_mapped, 12);
}

/* Do the bits of a past prefix all read 0? */
static bool netrange_host_bits_clear(const uint8_t a[16], int prefix)
{
    for (int i = prefix; i < 128; i++)
        if (a[i / 8] & (0x80 >> (i % 8)))
            return false;
    return true;
}

int netrange_parse(const char *text, struct netrange *r)
{
    char buf[NETRANGE_TEXT_MAX];
    size_t len = strlen(text);
    if (!len || len >= sizeof buf)
        return EXAMD_EINVAL;
    memcpy(buf, text, len + 1);
    char *slash = strchr(buf, '/');
    long bits = -1;
    if (slash) {
        char *end;
        *slash = 0;
        if (slash[1] < '0' || slash[1] > '9')
            return EXAMD_EINVAL;
        bits = strtol(slash + 1, &end, 10);
        if (*end || end - (slash + 1) > 3)
            return EXAMD_EINVAL;
    }
    memset(r, 0, sizeof *r);
    if (!netrange_addr(buf, r->addr))
        return EXAMD_EINVAL;
    bool v4 = netrange_is_v4(r->addr) && !strchr(buf, ':');
    long max = v4 ? 32 : 128;
    if (bits < 0)
        bits = max;
    if (bits > max)
        return EXAMD_EINVAL;
    r->prefix = (uint8_t)(v4 ? bits + 96 : bits);
    return netrange_host_bits_clear(r->addr, r->prefix) ? 0 : EXAMD_EINVAL;
}

void netrange_format(const struct netrange *r, char *buf, size_t n)
{
    char a[INET6_ADDRSTRLEN];
    if (netrange_is_v4(r->addr) && r->prefix >= 96) {
        inet_ntop(AF_INET, r->addr + 12, a, sizeof a);
        snprintf(buf, n, "%s/%d", a, r->prefix - 96);
    } else {
        inet_ntop(AF_INET6, r->addr, a, sizeof a);
        snprintf(buf, n, "%s/%d", a, r->prefix);
    }
}

bool netrange_contains(const struct netrange *r, const uint8_t addr[16])
{
    int whole = r->prefix / 8, rest = r->prefix % 8;
    if (memcmp(r->addr, addr, (size_t)whole))
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xff00 >> rest);
    return (r->addr[whole] & mask) == (addr[whole] & mask);
}

bool netrange_any(const struct netrange *v, int n, const uint8_t addr[16])
{
    for (int i = 0; i < n; i++)
        if (netrange_contains(&v[i], addr))
            return true;
    return false;
}

bool netrange_match(const struct netrange *v, int n, const char *text)
{
    uint8_t a[16];
    return netrange_addr(text, a) && netrange_any(v, n, a);
}

bool netrange_is_loopback(const char *text)
{
    static const uint8_t v6_loopback[16] = {[15] = 1};
    uint8_t a[16];
    if (!netrange_addr(text, a))
        return false;
    return (netrange_is_v4(a) && a[12] == 127) || !memcmp(a, v6_loopback, 16);
}
