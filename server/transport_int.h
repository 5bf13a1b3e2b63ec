/*
 * transport_int.h — what transport.c (WebSocket, queues, timer, start-up)
 * and transport_http.c (static files and /api) share. Service thread.
 */
#ifndef EXAMD_TRANSPORT_INT_H
#define EXAMD_TRANSPORT_INT_H

#include "auth.h"
#include "runtime.h"

#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>

/* Per HTTP connection (lws-allocated). Lifetime: the wsi. */
struct http_pss {
    struct conn *c; /* one per request, freed after the reply */
    char token[72]; /* the session cookie of this request */
    bool headers_sent;
    bool post;
};

/* The server: one per process. */
struct transport {
    struct runtime rt;
    struct lws_context *ctx;
    lws_sorted_usec_list_t sul; /* the 1 s / next-deadline timer */
    volatile sig_atomic_t stop;
    volatile sig_atomic_t broadcast; /* SIGUSR1: push to everyone */
    bool destroying;                 /* uv: context destruction started */
};
extern struct transport T;

/* Same origin ("http://" + Host) or on the allow list. */
bool transport_origin_ok(struct lws *wsi);

/* The client's address (the proxy's X-Forwarded-For with --trust-proxy). */
void transport_peer(struct lws *wsi, char *ip, size_t n);

/* The head of c's send queue, taken off it (NULL when empty). */
struct outmsg *transport_pop(struct conn *c);

/* Begin stopping the libuv loop (SIGINT/SIGTERM with the uv event lib). */
void transport_stop_uv(void);

/* Push the test broadcast to every WebSocket (SIGUSR1). */
void transport_broadcast(void);

/* The "http" protocol's callback: static files and /api. */
int transport_http_cb(struct lws *wsi, enum lws_callback_reasons reason,
                      void *user, void *in, size_t len);

#endif
