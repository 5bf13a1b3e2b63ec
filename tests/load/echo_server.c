/*
 * echo_server.c — examd-echo: the transport baseline. A minimal
 * libwebsockets server (the same Debian libwebsockets as examd, the same
 * subprotocol name "examd.v1") that sends every text message straight
 * back, queued per connection and written in the writeable callback as
 * examd does. No cookies, no JSON, no storage: what is left is the cost
 * of lws and the kernel, against which examd-load's echo scenario
 * measures round trips per second.
 *
 * Usage: examd-echo [--port N] [--bind ADDR] [--evlib poll|uv]
 * Thread: one (the lws service thread).
 */
#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ECHO_MSG_MAX 65536

/* One queued message; buf holds LWS_PRE bytes of headroom. */
struct echo_msg {
    struct echo_msg *next;
    size_t len;
    unsigned char buf[];
};

/* Per connection (lws-allocated). Lifetime: the wsi. */
struct echo_pss {
    struct echo_msg *head, *tail;
    unsigned char *rx;
    size_t rx_len;
};

static volatile sig_atomic_t echo_stop;
static struct lws_context *echo_ctx;

static void echo_on_signal(int sig)
{
    (void)sig;
    echo_stop = 1;
    if (echo_ctx)
        lws_cancel_service(echo_ctx);
}

static int echo_queue(struct lws *wsi, struct echo_pss *p, const void *in,
                      size_t len)
{
    struct echo_msg *m = malloc(sizeof *m + LWS_PRE + len);
    if (!m)
        return -1;
    m->next = NULL;
    m->len = len;
    memcpy(m->buf + LWS_PRE, in, len);
    if (p->tail)
        p->tail->next = m;
    else
        p->head = m;
    p->tail = m;
    lws_callback_on_writable(wsi);
    return 0;
}

static int echo_receive(struct lws *wsi, struct echo_pss *p, const void *in,
                        size_t len)
{
    bool last = lws_is_final_fragment(wsi) &&
                !lws_remaining_packet_payload(wsi);
    if (last && !p->rx_len)
        return echo_queue(wsi, p, in, len);
    if (p->rx_len + len > ECHO_MSG_MAX)
        return -1;
    unsigned char *nb = realloc(p->rx, p->rx_len + len);
    if (!nb)
        return -1;
    p->rx = nb;
    memcpy(p->rx + p->rx_len, in, len);
    p->rx_len += len;
    if (!last)
        return 0;
    int rc = echo_queue(wsi, p, p->rx, p->rx_len);
    free(p->rx);
    p->rx = NULL;
    p->rx_len = 0;
    return rc;
}

static int echo_writeable(struct lws *wsi, struct echo_pss *p)
{
    struct echo_msg *m = p->head;
    if (!m)
        return 0;
    p->head = m->next;
    if (!p->head)
        p->tail = NULL;
    int n = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
    int bad = n < (int)m->len;
    free(m);
    if (bad)
        return -1;
    if (p->head)
        lws_callback_on_writable(wsi);
    return 0;
}

static void echo_free(struct echo_pss *p)
{
    while (p->head) {
        struct echo_msg *m = p->head;
        p->head = m->next;
        free(m);
    }
    p->tail = NULL;
    free(p->rx);
    p->rx = NULL;
}

static int echo_cb(struct lws *wsi, enum lws_callback_reasons reason,
                   void *user, void *in, size_t len)
{
    struct echo_pss *p = user;
    switch (reason) {
    case LWS_CALLBACK_RECEIVE:
        return echo_receive(wsi, p, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return echo_writeable(wsi, p);
    case LWS_CALLBACK_CLOSED:
        echo_free(p);
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols echo_protocols[] = {
    {"http", lws_callback_http_dummy, 0, 0, 0, NULL, 0},
    {"examd.v1", echo_cb, sizeof(struct echo_pss), 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0}};

int main(int argc, char **argv)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = 8090;
    info.iface = "127.0.0.1";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            info.port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--bind"))
            info.iface = argv[i + 1];
        else if (!strcmp(argv[i], "--evlib") && !strcmp(argv[i + 1], "uv"))
            info.options |= LWS_SERVER_OPTION_LIBUV;
    }
    info.protocols = echo_protocols;
    info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
    echo_ctx = lws_create_context(&info);
    if (!echo_ctx) {
        fprintf(stderr, "examd-echo: cannot listen on %s:%d\n", info.iface,
                info.port);
        return 1;
    }
    signal(SIGINT, echo_on_signal);
    signal(SIGTERM, echo_on_signal);
    printf("examd-echo: serving on http://%s:%d/\n", info.iface, info.port);
    fflush(stdout);
    while (!echo_stop && lws_service(echo_ctx, 0) >= 0)
        ;
    lws_context_destroy(echo_ctx);
    return 0;
}
