/*
 * transport.c — libwebsockets: the examd.v1 WebSocket protocol, send
 * queues, the timer and start-up; static files and /api are its "http"
 * protocol in transport_http.c. The two are the only files that touch
 * struct lws.
 *
 * The callbacks stay thin: each case calls a named function. Messages are
 * reassembled here (64 KiB cap: 1009), handed whole to dispatch, and every
 * write happens in a writeable callback from the connection's queue.
 * Other threads wake the loop with lws_cancel_service; the wait-cancelled
 * callback then drains their results.
 *
 * Send queues. A queue entry (struct outmsg) normally holds its own copy
 * of the payload. A broadcast instead shares one reference-counted frame
 * (struct transport_frame) among every connection: the entry then holds
 * only a pointer to it, marked in the entry's headroom (see
 * transport_entry_frame), and the frame is freed when the last entry
 * goes (a connection with nothing queued gets it written at once:
 * transport_ws_write_now). The writeable callback gathers consecutive small
 * frames into one send (transport_ws_write_batch): a flood's acks come in
 * bursts, and sending them one send() each was the largest kernel cost of
 * the service thread in the flood's profile.
 *
 * The perimeter's per-connection checks sit here, each a few integer
 * operations: the message rate (runtime_rate_take) on every message, the
 * pong of the idle ping (the scan is dispatch_tick's), the per-address
 * cap and the client address (--trust-proxy) at the upgrade, and the
 * header size cap (docs/security.md "Limits").
 *
 * Thread: everything here runs on the service thread, except
 * transport_wake and the signal handler.
 */
#include "transport.h"
#include "transport_int.h"
#include "api.h"
#include "auth.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "netrange.h"

#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(LWS_PRE <= OUT_PRE, "OUT_PRE must cover LWS_PRE");

#define TRANSPORT_PROTO "examd.v1"
/* Live rounds' players: the same connection code, and the upgrade needs
 * no session (route.c lets anonymous connections send live_* only). */
#define TRANSPORT_PROTO_LIVE "examd.live.v1"
/* Close statuses examd sends besides lws's (docs/protocol.md §3). */
#define TRANSPORT_CLOSE_TRY_LATER 1013 /* too many from this address */
/* lws 4.1 keeps its close opcode (4) private: "handled by
 * lws_close_reason()"; it is the WebSocket close frame's write type. */
#define TRANSPORT_WRITE_CLOSE ((enum lws_write_protocol)4)

/* Per WebSocket connection (lws-allocated). Lifetime: the wsi. */
struct ws_pss {
    struct conn *c;  /* from ESTABLISHED to CLOSED */
    int64_t user_id; /* set at the upgrade filter */
    char role[16];
    uint8_t session[AUTH_HASH_BYTES]; /* hash of the session cookie */
};

struct transport T;

static void transport_wake(void *arg)
{
    lws_cancel_service(arg);
}

static void transport_on_signal(int sig)
{
    if (sig == SIGUSR1)
        T.broadcast = 1;
    else
        T.stop = 1;
    if (T.ctx)
        lws_cancel_service(T.ctx);
}

/* ---- send queues ---- */

/* One frame shared by many queues (a broadcast). Lifetime: until the last
 * queue entry pointing at it is written or dropped. */
struct transport_frame {
    uint32_t refs;       /* queue entries pointing here */
    size_t len;          /* payload bytes */
    unsigned char buf[]; /* OUT_PRE headroom, then the payload */
};

/* An entry's headroom (OUT_PRE bytes before the payload, lws's until the
 * write) says what the entry is, until it is written: byte 0 is
 * TRANSPORT_OWN (the payload follows) or TRANSPORT_SHARED (bytes 8..15
 * hold a struct transport_frame pointer, and there is no payload). */
enum { TRANSPORT_OWN, TRANSPORT_SHARED };
_Static_assert(OUT_PRE >= 8 + sizeof(struct transport_frame *),
               "OUT_PRE must hold the shared-frame mark");

static struct transport_frame *transport_entry_frame(const struct outmsg *m)
{
    struct transport_frame *f = NULL;
    if (m->buf[0] == TRANSPORT_SHARED)
        memcpy(&f, m->buf + 8, sizeof f);
    return f;
}

/* Where the entry's payload is, with OUT_PRE writable bytes before it. */
static unsigned char *transport_entry_payload(struct outmsg *m)
{
    struct transport_frame *f = transport_entry_frame(m);
    return f ? f->buf + OUT_PRE : m->buf + OUT_PRE;
}

/* Free an entry, and its shared frame with the last reference. */
static void transport_entry_free(struct outmsg *m)
{
    struct transport_frame *f = m ? transport_entry_frame(m) : NULL;
    if (f && !--f->refs)
        free(f);
    free(m);
}

struct outmsg *transport_pop(struct conn *c)
{
    struct outmsg *m = c->out;
    if (m) {
        c->out = m->next;
        if (!c->out)
            c->out_tail = NULL;
        c->out_n--;
        c->out_bytes -= m->len;
    }
    return m;
}

/* Drop everything queued (the connection stalled or closed). */
static void transport_queue_drop(struct conn *c)
{
    struct outmsg *m;
    while ((m = transport_pop(c)))
        transport_entry_free(m);
}

/* Room for len more bytes, or the connection is cut off (EXAMD_EBUSY). */
static int transport_queue_room(struct conn *c, size_t len)
{
    if (c->out_bytes + len <= TRANSPORT_OUT_MAX)
        return 0;
    transport_queue_drop(c); /* a stalled client */
    transport_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
                    "send queue over limit");
    return EXAMD_EBUSY;
}

/*
 * Append m and, if the queue was empty, ask for a writeable callback. A
 * non-empty queue always has one pending: asked for here, or again by the
 * writeable callback when it leaves frames behind. Asking again is not
 * free: lws hands every request to libuv, which re-registers the socket
 * (epoll_ctl DEL, then ADD) even when POLLOUT is already set; asking per
 * ack was more than one epoll_ctl per ack in a flood.
 */
static void transport_queue_put(struct conn *c, struct outmsg *m, size_t len)
{
    bool was_empty = !c->out;
    m->next = NULL;
    m->len = len;
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out = m;
    c->out_tail = m;
    c->out_n++;
    c->out_bytes += len;
    if (c->wsi && was_empty)
        lws_callback_on_writable(c->wsi);
}

int transport_send(struct runtime *rt, struct conn *c, const char *text,
                   size_t len)
{
    (void)rt;
    if (c->close_status)
        return 0; /* closing: nothing more goes out */
    int rc = transport_queue_room(c, len);
    if (rc)
        return rc;
    struct outmsg *m = malloc(sizeof *m + OUT_PRE + len);
    if (!m)
        return EXAMD_ENOMEM;
    m->buf[0] = TRANSPORT_OWN;
    memcpy(m->buf + OUT_PRE, text, len);
    transport_queue_put(c, m, len);
    return 0;
}

/* Queue the shared frame f for c (a reference, no copy). */
static int transport_send_shared(struct conn *c, struct transport_frame *f)
{
    if (c->close_status)
        return 0;
    int rc = transport_queue_room(c, f->len);
    if (rc)
        return rc;
    struct outmsg *m = malloc(sizeof *m + OUT_PRE);
    if (!m)
        return EXAMD_ENOMEM;
    m->buf[0] = TRANSPORT_SHARED;
    memcpy(m->buf + 8, &f, sizeof f);
    f->refs++;
    transport_queue_put(c, m, f->len);
    return 0;
}

/*
 * A broadcast frame for a connection with nothing queued goes out at
 * once instead of through a writeable round: the round costs the event
 * loop two changes of the socket's events (four epoll_ctl calls under
 * libuv) and a pass per connection, and a broadcast makes 19,900 of them
 * at once (server CPU over the broadcast benchmark: 35 % of a core with
 * the rounds, 25 % without; docs/performance.md). This is the one write
 * outside the writeable callback. It keeps the order of frames: the queue
 * is empty, and what the socket does not take lws keeps and sends before
 * anything written later. A failed write means the socket is gone: the
 * connection is closed asynchronously, as transport_close does for HTTP.
 */
static void transport_ws_write_now(struct conn *c, struct transport_frame *f)
{
    if (lws_write(c->wsi, f->buf + OUT_PRE, f->len, LWS_WRITE_TEXT) >=
        (int)f->len)
        return;
    lwsl_notice("closing connection %u (user %lld): broadcast write failed\n",
                c->slot, (long long)c->user_id);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
    c->wsi = NULL;
}

/* A shared frame holding text, with one reference (the caller's). */
static struct transport_frame *transport_frame_new(const char *text, size_t len)
{
    struct transport_frame *f = malloc(sizeof *f + OUT_PRE + len);
    if (!f)
        return NULL;
    f->refs = 1;
    f->len = len;
    memcpy(f->buf + OUT_PRE, text, len);
    return f;
}

/* f to c: written at once where nothing is queued, else queued behind
 * what is. */
static void transport_send_frame(struct conn *c, struct transport_frame *f)
{
    if (!c || c->kind != CONN_WS || !c->wsi || c->close_status)
        return;
    if (c->out)
        transport_send_shared(c, f);
    else
        transport_ws_write_now(c, f);
}

int transport_send_all(struct runtime *rt, struct conn *const *cs, int n,
                       const char *text, size_t len)
{
    (void)rt;
    struct transport_frame *f = transport_frame_new(text, len);
    if (!f)
        return EXAMD_ENOMEM;
    for (int i = 0; i < n; i++)
        transport_send_frame(cs[i], f);
    if (!--f->refs)
        free(f);
    return 0;
}

/*
 * The server-wide push: one frame to every WebSocket connection, the
 * path a live round's question takes (transport_send_all). Triggered by
 * SIGUSR1 (operators, and the broadcast benchmark, which measures
 * delivery from sent_us).
 */
void transport_broadcast(void)
{
    char text[96];
    int n =
        snprintf(text, sizeof text, "{\"type\":\"broadcast\",\"sent_us\":%lld}",
                 (long long)clock_real_us());
    struct transport_frame *f = transport_frame_new(text, (size_t)n);
    if (!f)
        return;
    for (uint32_t i = 1; i < T.rt.n_slots; i++)
        transport_send_frame(T.rt.slots[i], f);
    if (!--f->refs)
        free(f);
}

void transport_close(struct conn *c, int status, const char *why)
{
    if (!c->wsi)
        return;
    lwsl_notice("closing connection %u (user %lld): %s\n", c->slot,
                (long long)c->user_id, why);
    if (c->kind != CONN_WS) {
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
        c->wsi = NULL;
        return;
    }
    /* The close frame goes out from the writeable callback, after what is
     * queued; nothing more is accepted from this connection. */
    c->close_status = status;
    c->close_why = why;
    lws_callback_on_writable(c->wsi);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, 5);
}

void transport_ping(struct conn *c, int64_t now)
{
    if (!c->wsi || c->close_status || c->kind != CONN_WS)
        return;
    c->ping_due = true;
    c->ping_ms = now;
    lws_callback_on_writable(c->wsi);
}

/*
 * The client's address into ip (n bytes): the TCP peer's, or with
 * --trust-proxy the last X-Forwarded-For entry (the one the proxy in
 * front added; entries before it are whatever the client sent) when it
 * is an address.
 */
void transport_peer(struct lws *wsi, char *ip, size_t n)
{
    char xff[256];
    uint8_t a[16];
    lws_get_peer_simple(wsi, ip, n);
    if (!T.rt.cfg->trust_proxy ||
        lws_hdr_copy(wsi, xff, sizeof xff, WSI_TOKEN_X_FORWARDED_FOR) <= 0)
        return;
    char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    last += strspn(last, " \t");
    last[strcspn(last, " \t")] = 0;
    if (netrange_addr(last, a))
        snprintf(ip, n, "%s", last);
}

/*
 * Stopping the libuv loop: lws_service() runs the loop until the context
 * is destroyed, so a stop request (seen on the loop thread) finishes the
 * writes, then starts the context's destruction from inside the loop;
 * lws_service() returns once its handles have closed.
 */
void transport_stop_uv(void)
{
    T.destroying = true;
    lws_sul_cancel(&T.sul);
    runtime_stop_threads(&T.rt);
    lws_context_destroy(T.ctx);
}

/* ---- timer ---- */

static void transport_timer(lws_sorted_usec_list_t *sul)
{
    (void)sul;
    int64_t now = clock_now_ms();
    dispatch_tick(&T.rt, now);
    int64_t next = (now / 1000 + 1) * 1000;
    int64_t due = deadline_next(&T.rt.deadlines);
    if (due < next)
        next = due > now ? due : now + 1;
    lws_sul_schedule(T.ctx, 0, &T.sul, transport_timer,
                     (lws_usec_t)(next - now) * 1000);
}

/* ---- WebSocket ---- */

/* Same origin ("http://" + Host) or on the allow list. */
bool transport_origin_ok(struct lws *wsi)
{
    char origin[256], host[200], self[256];
    if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0 ||
        lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0)
        return false;
    snprintf(self, sizeof self, "http://%s", host);
    if (!strcmp(origin, self))
        return true;
    for (int i = 0; i < T.rt.cfg->n_origins; i++)
        if (!strcmp(origin, T.rt.cfg->origins[i]))
            return true;
    return false;
}

static int transport_ws_filter(struct lws *wsi, struct ws_pss *pss)
{
    char token[80];
    size_t len = sizeof token;
    if (!transport_origin_ok(wsi)) {
        lwsl_notice("upgrade refused: Origin not allowed\n");
        return -1;
    }
    const struct lws_protocols *p = lws_get_protocol(wsi);
    bool live = p && p->name && !strcmp(p->name, TRANSPORT_PROTO_LIVE);
    if (lws_http_cookie_get(wsi, API_COOKIE, token, &len))
        return live ? 0 : -1; /* a live player needs no account */
    token[len < sizeof token ? len : sizeof token - 1] = 0;
    pss->user_id = api_session_user(&T.rt, token, pss->role, sizeof pss->role,
                                    pss->session);
    return pss->user_id || live ? 0 : -1;
}

static int transport_ws_open(struct lws *wsi, struct ws_pss *pss)
{
    struct conn *c = runtime_conn_new(&T.rt, CONN_WS);
    if (!c)
        return -1;
    c->wsi = wsi;
    c->user_id = pss->user_id;
    snprintf(c->role, sizeof c->role, "%s", pss->role);
    memcpy(c->session, pss->session, sizeof c->session);
    transport_peer(wsi, c->ip, sizeof c->ip);
    netrange_addr(c->ip, c->addr);
    c->rx_ms = clock_now_ms();
    runtime_rate_init(c, T.rt.cfg, c->rx_ms);
    if (c->user_id && runtime_conn_bind_user(&T.rt, c)) {
        runtime_conn_free(&T.rt, c);
        return -1;
    }
    pss->c = c;
    if (!runtime_ip_admit(&T.rt, c))
        transport_close(c, TRANSPORT_CLOSE_TRY_LATER,
                        "too many connections from this address");
    return 0;
}

/* A frame came (a message or a pong): the connection is alive. */
static void transport_ws_alive(struct conn *c, int64_t now)
{
    c->rx_ms = now;
    c->ping_ms = 0;
}

/* One whole message: within the rate, to dispatch; over it, refused or
 * (a flood) the connection closed. */
static void transport_ws_message(struct conn *c, const char *buf, size_t len)
{
    int64_t now = clock_now_ms();
    transport_ws_alive(c, now);
    switch (runtime_rate_take(c, T.rt.cfg, now)) {
    case RUNTIME_RATE_OK:
        dispatch_message(&T.rt, c, buf, len);
        break;
    case RUNTIME_RATE_REFUSE:
        dispatch_refuse(&T.rt, c, buf, len, EXAMD_ERATE);
        break;
    default:
        transport_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
                        "too many messages");
    }
}

static int transport_ws_receive(struct lws *wsi, struct conn *c, const char *in,
                                size_t len)
{
    bool last =
        lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
    if (lws_frame_is_binary(wsi)) {
        dispatch_error(&T.rt, c, "null", EXAMD_EBADJSON, NULL);
        return 0;
    }
    if (last && !c->rx_len) { /* the usual case: one piece, no copy */
        transport_ws_message(c, in, len);
        return 0;
    }
    if (c->rx_len + len > TRANSPORT_MSG_MAX) {
        static const char why[] = "message too large";
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
                         (unsigned char *)why, sizeof why - 1);
        return -1;
    }
    if (c->rx_len + len > c->rx_cap) {
        size_t cap = c->rx_len + len;
        char *nb = realloc(c->rx, cap);
        if (!nb)
            return -1;
        c->rx = nb;
        c->rx_cap = cap;
    }
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    if (last) {
        transport_ws_message(c, c->rx, c->rx_len);
        free(c->rx); /* idle connections hold no buffer */
        c->rx = NULL;
        c->rx_len = c->rx_cap = 0;
    }
    return 0;
}

/*
 * Send the close frame ourselves and wait (1 s at most) for the peer's
 * reply. Returning -1 after lws_close_reason() loses the frame under the
 * libuv loop (the peer sees 1006), so the frame is written explicitly.
 */
static int transport_ws_close_frame(struct lws *wsi, struct conn *c)
{
    unsigned char buf[LWS_PRE + 125];
    size_t n = strlen(c->close_why);
    if (n > 123)
        n = 123;
    buf[LWS_PRE] = (unsigned char)(c->close_status >> 8);
    buf[LWS_PRE + 1] = (unsigned char)c->close_status;
    memcpy(buf + LWS_PRE + 2, c->close_why, n);
    if (lws_write(wsi, buf + LWS_PRE, n + 2, TRANSPORT_WRITE_CLOSE) < 0)
        return -1;
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, 1);
    return 0;
}

/* The head of the queue alone, as one text frame, without a copy. */
static int transport_ws_write_one(struct lws *wsi, struct conn *c)
{
    struct outmsg *m = transport_pop(c);
    int n = lws_write(wsi, transport_entry_payload(m), m->len, LWS_WRITE_TEXT);
    bool ok = n >= (int)m->len;
    transport_entry_free(m);
    return ok ? 0 : -1;
}

/* A frame this size goes into a batch (header of 2 or 4 bytes). */
static bool transport_batchable(const struct outmsg *m)
{
    return m && m->len + 4 <= TRANSPORT_BATCH_MAX;
}

/*
 * The queue's leading small frames in one send: each gets its WebSocket
 * header here (FIN + text; server frames are not masked; no extensions
 * are negotiated) and the whole goes out as raw bytes, which lws writes
 * as they are (buffering what the socket does not take, as for any
 * write). Only whole frames are written, so lws's own framing state is
 * never in the middle of a frame.
 */
static int transport_ws_write_batch(struct lws *wsi, struct conn *c)
{
    unsigned char buf[LWS_PRE + TRANSPORT_BATCH_MAX];
    unsigned char *p = buf + LWS_PRE, *end = buf + sizeof buf;
    while (transport_batchable(c->out) &&
           (size_t)(end - p) >= c->out->len + 4) {
        struct outmsg *m = transport_pop(c);
        *p++ = 0x81;
        if (m->len < 126) {
            *p++ = (unsigned char)m->len;
        } else {
            *p++ = 126;
            *p++ = (unsigned char)(m->len >> 8);
            *p++ = (unsigned char)m->len;
        }
        memcpy(p, transport_entry_payload(m), m->len);
        p += m->len;
        transport_entry_free(m);
    }
    size_t n = (size_t)(p - (buf + LWS_PRE));
    return lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_RAW) >= (int)n ? 0 : -1;
}

/*
 * Write queued frames while the socket takes them: acks come in bursts
 * (one per answer of a committed batch). Several small frames go out in
 * one send; a large one (a paper) alone, without a copy. Each extra
 * writeable round would cost the event loop two changes of the socket's
 * events (four epoll_ctl calls under libuv).
 */
static int transport_ws_writeable(struct lws *wsi, struct conn *c)
{
    if (!c->out && c->close_status)
        return transport_ws_close_frame(wsi, c);
    /* The idle ping, between whole frames (the batch writes whole ones).
     * One byte of payload: lws 4.1 does not report an empty pong. */
    if (c->ping_due) {
        unsigned char ping[LWS_PRE + 1];
        c->ping_due = false;
        ping[LWS_PRE] = 'i';
        if (lws_write(wsi, ping + LWS_PRE, 1, LWS_WRITE_PING) < 0)
            return -1;
    }
    while (c->out) {
        bool batch =
            transport_batchable(c->out) && transport_batchable(c->out->next);
        if (batch ? transport_ws_write_batch(wsi, c)
                  : transport_ws_write_one(wsi, c))
            return -1;
        if (c->out && lws_send_pipe_choked(wsi))
            break;
    }
    if (c->out || c->close_status)
        lws_callback_on_writable(wsi);
    return 0;
}

static int transport_ws_cb(struct lws *wsi, enum lws_callback_reasons reason,
                           void *user, void *in, size_t len)
{
    struct ws_pss *pss = user;
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return transport_ws_filter(wsi, pss);
    case LWS_CALLBACK_ESTABLISHED:
        return transport_ws_open(wsi, pss);
    case LWS_CALLBACK_RECEIVE:
        if (!pss->c)
            return -1;
        if (pss->c->close_status) /* closing: ignore what still arrives */
            return 0;
        return transport_ws_receive(wsi, pss->c, in, len);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        /* After our own close frame this is the peer's answer: close
         * without echoing it (a second close frame fails the socket in
         * browsers: "Close received after close", seen as 1006). */
        return pss->c && pss->c->close_status ? -1 : 0;
    case LWS_CALLBACK_RECEIVE_PONG:
        if (pss->c)
            transport_ws_alive(pss->c, clock_now_ms());
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (!pss->c)
            return -1;
        return transport_ws_writeable(wsi, pss->c);
    case LWS_CALLBACK_CLOSED:
        if (pss->c)
            transport_queue_drop(pss->c); /* shared frames: unreferenced */
        runtime_conn_free(&T.rt, pss->c);
        pss->c = NULL;
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols transport_protocols[] = {
    {"http", transport_http_cb, sizeof(struct http_pss), 0, 0, NULL, 0},
    {TRANSPORT_PROTO, transport_ws_cb, sizeof(struct ws_pss), 1024, 0, NULL, 0},
    {TRANSPORT_PROTO_LIVE, transport_ws_cb, sizeof(struct ws_pss), 1024, 0,
     NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0}};

/* Headers on every response: a strict policy, no inline script. */
static const struct lws_protocol_vhost_options transport_hdr_ct = {
    NULL, NULL, "x-content-type-options:", "nosniff"};
static const struct lws_protocol_vhost_options transport_hdr_rp = {
    &transport_hdr_ct, NULL, "referrer-policy:", "no-referrer"};
static const struct lws_protocol_vhost_options transport_hdr_fo = {
    &transport_hdr_rp, NULL, "x-frame-options:", "DENY"};
static const struct lws_protocol_vhost_options transport_headers = {
    &transport_hdr_fo, NULL, "content-security-policy:",
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"};

/*
 * No lws validity (idle ping) timers: lws keeps them on one sorted list
 * and re-inserts a connection's timer on every message it receives, a walk
 * over all connections each time. At 19,900 connections that walk was 36%
 * of the server's CPU in a join storm (docs/performance.md).
 */
static const lws_retry_bo_t transport_retry = {
    .secs_since_valid_ping = 0,
    .secs_since_valid_hangup = 0,
};

int transport_run(const struct config *cfg, char *msg, size_t msglen)
{
    struct lws_http_mount files = {0}, apis = {0};
    struct lws_context_creation_info info;
    int rc;

    files.mountpoint = "/";
    files.mountpoint_len = 1;
    files.origin = cfg->web_dir;
    files.def = "index.html";
    files.origin_protocol = LWSMPRO_FILE;
    apis.mount_next = &files;
    apis.mountpoint = "/api";
    apis.mountpoint_len = 4;
    apis.origin = "http";
    apis.protocol = "http";
    apis.origin_protocol = LWSMPRO_CALLBACK;

    memset(&info, 0, sizeof info);
    info.port = cfg->port;
    info.iface = cfg->bind;
    info.protocols = transport_protocols;
    info.mounts = &apis;
    info.headers = &transport_headers;
    info.retry_and_idle_policy = &transport_retry;
    /* All of a request's headers: more is dropped unanswered (lws). The
     * header pool stays lws's default, one per connection, so a join
     * storm never waits for a buffer. */
    info.max_http_header_data = TRANSPORT_HEADER_MAX;
    info.options =
        LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_DISABLE_IPV6;
    if (cfg->evlib_uv)
        info.options |= LWS_SERVER_OPTION_LIBUV;
    lws_set_log_level(cfg->verbose >= 2 ? (LLL_ERR | LLL_WARN | LLL_NOTICE)
                                        : (LLL_ERR | LLL_WARN),
                      NULL);
    T.ctx = lws_create_context(&info);
    if (!T.ctx) {
        snprintf(msg, msglen, "cannot listen on %s:%d", cfg->bind, cfg->port);
        return EXAMD_EIO;
    }
    rc = runtime_init(&T.rt, cfg, transport_wake, T.ctx, msg, msglen);
    if (!rc) {
        signal(SIGINT, transport_on_signal);
        signal(SIGTERM, transport_on_signal);
        signal(SIGUSR1, transport_on_signal);
        signal(SIGPIPE, SIG_IGN);
        lws_sul_schedule(T.ctx, 0, &T.sul, transport_timer, 1);
        printf("examd: serving on http://%s:%d/\n", cfg->bind, cfg->port);
        fflush(stdout);
        while (!T.stop && lws_service(T.ctx, 0) >= 0)
            ;
        printf("examd: stopping\n");
    }
    runtime_stop_threads(&T.rt);
    lws_context_destroy(T.ctx);
    T.ctx = NULL;
    runtime_fini(&T.rt);
    return rc;
}
