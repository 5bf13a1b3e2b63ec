/*
 * load_worker.c — one worker process: epoll, non-blocking sockets, the
 * WebSocket upgrade and frames, timers and the run's phases. Messages are
 * load_client.c's.
 *
 * Phases: PH_READY (connect, start, wait for every paper; write 'R' to the
 * parent), PH_RUN (after the parent's 'G': answer for --duration-s),
 * PH_DRAIN (no new answers; wait up to --drain-s for the last acks),
 * PH_END (write the stats to the parent, exit). Every wait is bounded.
 *
 * Thread: the worker process's only thread.
 */
#include "load_worker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define LW_CTRL UINT32_MAX
#define LW_RX_MAX (4u << 20)
#define LW_HANDSHAKE_US 15000000

uint32_t lw_rand(struct lworker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return (uint32_t)(w->rng >> 11);
}

static void lw_epoll_set(struct lworker *w, struct lconn *c, bool out)
{
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0u),
                             .data.u32 = (uint32_t)(c - w->c)};
    c->want_out = out;
    epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static int lw_flush(struct lworker *w, struct lconn *c)
{
    while (c->tx_off < c->tx_len) {
        ssize_t k = send(c->fd, c->tx + c->tx_off, c->tx_len - c->tx_off,
                         MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (k <= 0)
            return -1;
        c->tx_off += (size_t)k;
    }
    if (c->tx_off == c->tx_len)
        c->tx_off = c->tx_len = 0;
    bool out = c->tx_len > 0 || c->state == CS_CONNECTING;
    if (out != c->want_out)
        lw_epoll_set(w, c, out);
    return 0;
}

static int lw_tx_reserve(struct lconn *c, size_t n)
{
    if (c->tx_len + n <= c->tx_cap)
        return 0;
    if (c->tx_off) {
        memmove(c->tx, c->tx + c->tx_off, c->tx_len - c->tx_off);
        c->tx_len -= c->tx_off;
        c->tx_off = 0;
        if (c->tx_len + n <= c->tx_cap)
            return 0;
    }
    size_t cap = c->tx_cap ? c->tx_cap * 2 : 512;
    while (cap < c->tx_len + n)
        cap *= 2;
    char *nb = realloc(c->tx, cap);
    if (!nb)
        return -1;
    c->tx = nb;
    c->tx_cap = cap;
    return 0;
}

static int lw_send_frame(struct lworker *w, struct lconn *c, int opcode,
                         const char *s, size_t len)
{
    if (c->state != CS_OPEN || lw_tx_reserve(c, len + 14))
        return -1;
    c->tx_len += load_ws_frame(c->tx + c->tx_len, opcode, s, len,
                               lw_rand(w));
    if (lw_flush(w, c)) {
        lw_conn_drop(w, c, LERR_CLOSED, true);
        return -1;
    }
    return 0;
}

/* Queue one text frame and try to write it now; 0 or -1 (dropped). */
int lw_send_text(struct lworker *w, struct lconn *c, const char *s,
                 size_t len)
{
    return lw_send_frame(w, c, 1, s, len);
}

/* Close the socket. err (if >= 0) is counted; retry asks load_client
 * whether this candidate comes back (crash runs, resume tests). */
void lw_conn_drop(struct lworker *w, struct lconn *c, int err, bool retry)
{
    if (c->fd >= 0) {
        epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
    }
    if (err >= 0)
        w->st.err[err]++;
    c->rx_len = c->msg_len = c->tx_len = c->tx_off = 0;
    c->in_msg = false;
    c->want_out = false;
    c->start_sent_us = 0;
    c->echo_busy = false;
    if (retry && lc_wants_reconnect(w, c)) {
        c->state = CS_WAIT;
        int back = c->tries < 6 ? 100 << c->tries : 3000;
        c->at_us = clock_mono_us() + (back + (int)(lw_rand(w) % 200)) * 1000;
        c->tries++;
        w->st.reconnects++;
    } else {
        c->state = CS_DONE;
    }
}

static void lw_conn_connect(struct lworker *w, struct lconn *c)
{
    const struct load_cfg *cfg = w->cfg;
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = src;
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    src.sin_addr = cfg->src[c->idx % cfg->n_src];
    dst.sin_port = htons((uint16_t)cfg->port);
    inet_pton(AF_INET, cfg->host, &dst.sin_addr);
    c->opened_us = clock_mono_us();
    if (fd < 0) {
        lw_conn_drop(w, c, LERR_CONNECT, true);
        return;
    }
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    if (bind(fd, (struct sockaddr *)&src, sizeof src) ||
        (connect(fd, (struct sockaddr *)&dst, sizeof dst) &&
         errno != EINPROGRESS)) {
        lw_conn_drop(w, c, LERR_CONNECT, true);
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT,
                             .data.u32 = (uint32_t)(c - w->c)};
    epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev);
    c->want_out = true;
    c->state = CS_CONNECTING;
    w->st.conns += c->tries == 0;
}

static void lw_conn_connected(struct lworker *w, struct lconn *c)
{
    int err = 0;
    socklen_t l = sizeof err;
    char req[512];
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
    size_t n = load_ws_request(req, sizeof req, w->cfg->host, w->cfg->port,
                               c->token);
    if (err || !n || lw_tx_reserve(c, n)) {
        lw_conn_drop(w, c, LERR_CONNECT, true);
        return;
    }
    memcpy(c->tx + c->tx_len, req, n);
    c->tx_len += n;
    c->state = CS_HANDSHAKE;
    if (lw_flush(w, c))
        lw_conn_drop(w, c, LERR_CONNECT, true);
}

/* The 101 reply: 1 when done (c is open), 0 when incomplete, -1 bad. */
static int lw_handshake(struct lworker *w, struct lconn *c)
{
    c->rx[c->rx_len] = 0;
    char *end = strstr((char *)c->rx, "\r\n\r\n");
    if (!end)
        return c->rx_len > 8192 ? -1 : 0;
    if (strncmp((char *)c->rx, "HTTP/1.1 101", 12))
        return -1;
    size_t used = (size_t)(end + 4 - (char *)c->rx);
    memmove(c->rx, c->rx + used, c->rx_len - used);
    c->rx_len -= used;
    c->state = CS_OPEN;
    c->tries = 0;
    w->st.upgrades++;
    lc_on_open(w, c);
    return 1;
}

/* Hand a whole text message to load_client (NUL-terminated in place). */
static void lw_deliver(struct lworker *w, struct lconn *c, char *s,
                       size_t len)
{
    char save = s[len];
    s[len] = 0;
    lc_on_text(w, c, s, len);
    s[len] = save; /* rx stays allocated even if c was dropped */
}

static int lw_msg_append(struct lconn *c, const char *p, size_t n)
{
    if (c->msg_len + n + 1 > c->msg_cap) {
        size_t cap = c->msg_len + n + 1 + 4096;
        char *nb = realloc(c->msg, cap);
        if (!nb)
            return -1;
        c->msg = nb;
        c->msg_cap = cap;
    }
    memcpy(c->msg + c->msg_len, p, n);
    c->msg_len += n;
    return 0;
}

/* One frame's payload p[0..n). Returns -1 to drop the connection. */
static int lw_frame(struct lworker *w, struct lconn *c, bool fin, int op,
                    char *p, size_t n)
{
    if (op == 8)
        return -1;
    if (op == 9)
        return lw_send_frame(w, c, 10, p, n);
    if (op == 10)
        return 0;
    if (op == 1 && fin && !c->in_msg) {
        lw_deliver(w, c, p, n);
        return 0;
    }
    if ((op == 0) != c->in_msg || lw_msg_append(c, p, n))
        return -1;
    c->in_msg = true;
    if (fin) {
        c->msg[c->msg_len] = 0;
        c->in_msg = false;
        c->msg_len = 0;
        lc_on_text(w, c, c->msg, strlen(c->msg));
    }
    return 0;
}

static void lw_frames(struct lworker *w, struct lconn *c)
{
    size_t off = 0;
    while (c->state == CS_OPEN && off < c->rx_len) {
        bool fin;
        int op;
        uint64_t plen;
        long h = load_ws_parse(c->rx + off, c->rx_len - off, &fin, &op,
                               &plen);
        if (h < 0) {
            lw_conn_drop(w, c, LERR_PROTOCOL, true);
            return;
        }
        if (h == 0 || c->rx_len - off < (size_t)h + plen)
            break;
        if (lw_frame(w, c, fin, op, (char *)c->rx + off + h, plen)) {
            if (c->state == CS_OPEN)
                lw_conn_drop(w, c, LERR_CLOSED, true);
            return;
        }
        off += (size_t)h + plen;
    }
    if (c->state == CS_OPEN && off) {
        memmove(c->rx, c->rx + off, c->rx_len - off);
        c->rx_len -= off;
    }
}

static void lw_conn_read(struct lworker *w, struct lconn *c)
{
    for (;;) {
        if (c->rx_cap - c->rx_len < 4097) {
            size_t cap = c->rx_cap ? c->rx_cap * 2 : 8192;
            unsigned char *nb = cap <= LW_RX_MAX ? realloc(c->rx, cap) : NULL;
            if (!nb) {
                lw_conn_drop(w, c, LERR_PROTOCOL, true);
                return;
            }
            c->rx = nb;
            c->rx_cap = cap;
        }
        ssize_t k = recv(c->fd, c->rx + c->rx_len, c->rx_cap - c->rx_len - 1,
                         0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (k <= 0) {
            lw_conn_drop(w, c, c->state == CS_HANDSHAKE ? LERR_HANDSHAKE
                                                        : LERR_CLOSED, true);
            return;
        }
        c->rx_len += (size_t)k;
        if (c->state == CS_HANDSHAKE) {
            int r = lw_handshake(w, c);
            if (r < 0) {
                lw_conn_drop(w, c, LERR_HANDSHAKE, true);
                return;
            }
        }
        if (c->state == CS_OPEN)
            lw_frames(w, c);
        if (c->state != CS_OPEN && c->state != CS_HANDSHAKE)
            return;
    }
}

static void lw_conn_event(struct lworker *w, struct lconn *c, uint32_t ev)
{
    if (c->fd < 0)
        return;
    if (c->state == CS_CONNECTING) {
        if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            lw_conn_connected(w, c);
        return;
    }
    if ((ev & EPOLLOUT) && lw_flush(w, c)) {
        lw_conn_drop(w, c, LERR_CLOSED, true);
        return;
    }
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
        lw_conn_read(w, c);
}

static void lw_ctrl(struct lworker *w)
{
    char b[16];
    ssize_t k = read(w->args->rfd, b, sizeof b);
    if (k <= 0) {              /* the parent is gone */
        w->phase = PH_END;
        return;
    }
    for (ssize_t i = 0; i < k; i++) {
        if (b[i] == 'G' && w->phase == PH_READY) {
            w->phase = PH_RUN;
            w->go_us = clock_mono_us();
            w->end_us = w->go_us + (int64_t)w->cfg->duration_s * 1000000;
            for (int j = 0; j < w->n; j++)
                lc_on_go(w, &w->c[j]);
        } else if (b[i] == 'Q') {
            w->phase = PH_END;
        }
    }
}

static void lw_timers(struct lworker *w, int64_t now)
{
    for (int i = 0; i < w->n; i++) {
        struct lconn *c = &w->c[i];
        if ((c->state == CS_IDLE || c->state == CS_WAIT) && now >= c->at_us &&
            w->phase < PH_DRAIN)
            lw_conn_connect(w, c);
        else if ((c->state == CS_CONNECTING || c->state == CS_HANDSHAKE) &&
                 now - c->opened_us > LW_HANDSHAKE_US)
            lw_conn_drop(w, c, LERR_HANDSHAKE, true);
        else if (c->state == CS_OPEN)
            lc_timer(w, c, now);
    }
}

static int lw_pending(const struct lworker *w)
{
    int n = 0;
    for (int i = 0; i < w->n; i++)
        n += w->c[i].state == CS_OPEN ? w->c[i].npend : 0;
    return n;
}

/* Move between phases; see the file header. */
static void lw_phase(struct lworker *w, int64_t now)
{
    const struct load_cfg *cfg = w->cfg;
    int64_t ready_by = w->t0_us + (int64_t)cfg->ramp_ms * 1000 +
                       (int64_t)cfg->ready_timeout_s * 1000000;
    if (!w->sent_ready && (w->n_ready >= w->n || now > ready_by ||
                           cfg->scenario == LOAD_CRASH)) {
        if (write(w->args->wfd, "R", 1) != 1)
            w->phase = PH_END;
        w->sent_ready = true;
    }
    bool all_done = cfg->scenario == LOAD_DEADLINE && w->n_finished >= w->n;
    if (w->phase == PH_RUN && (now >= w->end_us || all_done)) {
        w->phase = PH_DRAIN;
        w->drain_until_us = now + (int64_t)cfg->drain_s * 1000000;
    }
    if (w->phase == PH_DRAIN && (now >= w->drain_until_us || !lw_pending(w)))
        w->phase = PH_END;
}

static void lw_finish(struct lworker *w)
{
    struct load_stats *st = &w->st;
    bool need_paper = w->cfg->scenario != LOAD_ECHO;
    for (int i = 0; i < w->n; i++) {
        struct lconn *c = &w->c[i];
        st->conns_held += c->state == CS_OPEN;
        st->err[LERR_UNACKED] += (uint64_t)c->npend;
        if (need_paper && !c->qs)
            st->err[LERR_NO_PAPER]++;
        if (w->cfg->scenario == LOAD_DEADLINE && !c->finished)
            st->err[LERR_NO_RESULT]++;
        if (c->fd >= 0)
            close(c->fd);
        free(c->rx);
        free(c->msg);
        free(c->tx);
        free(c->qs);
    }
    st->conns_ready = (uint64_t)w->n_ready;
}

static int lw_init(struct lworker *w, const struct load_worker_args *a)
{
    memset(w, 0, sizeof *w);
    w->cfg = a->cfg;
    w->args = a;
    w->n = a->count;
    w->rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)getpid() << 17) ^
             (uint64_t)clock_mono_us();
    w->ack_fd = w->paper_fd = -1;
    load_stats_init(&w->st);
    w->ep = epoll_create1(0);
    w->c = calloc((size_t)w->n, sizeof *w->c);
    if (w->ep < 0 || !w->c)
        return -1;
    if (w->cfg->ack_log) {
        char pp[4096];
        snprintf(pp, sizeof pp, "%s.papers", w->cfg->ack_log);
        w->ack_fd = open(w->cfg->ack_log, O_WRONLY | O_CREAT | O_APPEND,
                         0644);
        w->paper_fd = open(pp, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (w->ack_fd < 0 || w->paper_fd < 0)
            return -1;
    }
    w->t0_us = clock_mono_us();
    for (int i = 0; i < w->n; i++) {
        struct lconn *c = &w->c[i];
        c->fd = -1;
        c->idx = a->first + i;
        c->token = a->tokens[c->idx];
        c->at_us = w->t0_us + (int64_t)w->cfg->ramp_ms * 1000 * i / w->n;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = LW_CTRL};
    return epoll_ctl(w->ep, EPOLL_CTL_ADD, a->rfd, &ev);
}

int load_worker_run(const struct load_worker_args *a)
{
    struct lworker w;
    struct epoll_event evs[512];
    int64_t last_scan = 0;
    if (lw_init(&w, a)) {
        perror("examd-load: worker");
        return 1;
    }
    while (w.phase != PH_END) {
        int k = epoll_wait(w.ep, evs, 512, 2);
        for (int i = 0; i < k; i++) {
            if (evs[i].data.u32 == LW_CTRL)
                lw_ctrl(&w);
            else
                lw_conn_event(&w, &w.c[evs[i].data.u32], evs[i].events);
        }
        int64_t now = clock_mono_us();
        if (now - last_scan >= 2000) {
            last_scan = now;
            lw_timers(&w, now);
        }
        lw_phase(&w, now);
    }
    lw_finish(&w);
    const char *p = (const char *)&w.st;
    size_t left = sizeof w.st;
    while (left) {
        ssize_t k = write(a->wfd, p, left);
        if (k <= 0)
            return 1;
        p += k;
        left -= (size_t)k;
    }
    return 0;
}
