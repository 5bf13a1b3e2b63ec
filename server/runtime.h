/*
 * runtime.h — the live state of a serving examd, owned by the service
 * thread: exams in memory, running attempts, connections, deadlines.
 *
 * Everything here is touched only by the service thread (the lws event
 * loop); other threads talk to it through the writer's and the worker
 * pool's done lists and lws_cancel_service.
 *
 * Memory per candidate is kept small on purpose (tens of thousands are
 * connected at once): a struct conn (~200 bytes plus lws's own), a struct
 * attempt_rt (~100 bytes + 7 bytes per question) and no buffers while idle.
 */
#ifndef EXAMD_RUNTIME_H
#define EXAMD_RUNTIME_H

#include "config.h"
#include "deadline.h"
#include "exam.h"
#include "imap.h"
#include "protocol.h"
#include "sign.h"
#include "store.h"
#include "worker.h"
#include "writer.h"

struct lws;
struct monitor;
struct monitor_unit;

/* Bytes reserved before every outgoing payload; >= LWS_PRE (checked in
 * transport.c). */
#define OUT_PRE 16

/* One queued outgoing frame (or HTTP body). */
struct outmsg {
    struct outmsg *next;
    size_t len;          /* payload bytes */
    unsigned char buf[]; /* OUT_PRE headroom, then the payload */
};

enum conn_kind { CONN_WS = 1, CONN_HTTP = 2 };

enum attempt_state { ATT_STARTING, ATT_RUNNING, ATT_CLOSING, ATT_CLOSED };

/* A running (or just closed) attempt. Lifetime: from start (or load at
 * boot) until its close is committed and its result sent. */
struct attempt_rt {
    int64_t id, user_id;
    const struct exam *e; /* borrowed from runtime.exams */
    uint64_t seed;
    int n;                           /* attempt number */
    int64_t started_ms, deadline_ms; /* epoch ms */
    int64_t reopen_deadline_ms;      /* granted by a re-opening, 0 = none */
    int state;                       /* enum attempt_state */
    int64_t seq_committed;           /* highest seq known durable */
    uint64_t holder;          /* conn ref of the tab showing it (its paper was
                                 sent there last), 0 = none */
    struct paper_item *paper; /* owned, e->n_paper items */
    struct monitor_unit *mon; /* the monitor's (exam, unit) it counts in,
                                 borrowed from runtime.mon; NULL = none */
};

/* One client connection, WebSocket or HTTP. Lifetime: from the lws
 * ESTABLISHED / HTTP callback to CLOSED. Found from other threads' results
 * by ref (slot + generation) because it may have closed meanwhile. */
struct conn {
    struct lws *wsi; /* transport.c only */
    uint32_t slot, gen;
    int kind;        /* enum conn_kind */
    int64_t user_id; /* 0 = anonymous */
    char role[16];
    struct conn *user_next, *user_prev; /* all WS conns of user_id */
    int64_t attempt;     /* the attempt this tab shows, 0 = none */
    uint8_t session[32]; /* WS: hash of the session it opened with */
    char ip[48];         /* the peer's address (login throttling, audit) */
    uint8_t addr[16];    /* WS: ip in netrange's 16-byte form (all zero if
                            it did not parse: then in no range) */
    /* receive: reassembly of one message (freed when idle) */
    char *rx;
    size_t rx_len, rx_cap;
    /* send queue */
    struct outmsg *out, *out_tail;
    int out_n;
    size_t out_bytes;
    /* HTTP request and its (possibly deferred) response */
    char path[64];
    char query[1024];      /* URL arguments, "name=value" each NUL-ended, an
                              empty one last; decoded */
    bool same_origin;      /* the request's Origin is ours (or allowed) */
    const char *ctype;     /* static: the reply's content type, NULL = JSON */
    char disposition[160]; /* Content-Disposition value, "" = none */
    char *body;
    size_t body_len;
    int status;       /* 0 = response not ready yet */
    char cookie[160]; /* Set-Cookie value, "" = none */
    bool body_too_large;
    int close_status;      /* WS: close with this after the queue, 0 = open */
    const char *close_why; /* static text for the close frame */
    /* WS perimeter (docs/security.md "Limits"): no timer, no allocation */
    int64_t rx_ms;        /* last frame received (message or pong), epoch ms */
    int64_t ping_ms;      /* the idle ping went out then, 0 = none pending */
    int64_t rate_ms;      /* the buckets were last brought up to date */
    int64_t rate_level;   /* messages that may still come, units 1/1000 */
    int64_t rate_refused; /* recent refusals (drain 4x msg_rate), 1/1000 */
    bool ping_due;        /* a ping waits for the writeable callback */
    bool ip_counted;      /* counted in runtime.ip_conns */
    /* live rounds (live.c) */
    int64_t live_player; /* the player this connection plays, 0 = none */
    int64_t live_watch;  /* the round it projects, 0 = none */
    int live_wrong;      /* wrong join codes sent on it */
    struct monitor_unit *mon; /* WS: counted as connected there (monitor.h),
                                 borrowed from runtime.mon */
};

struct runtime {
    const struct config *cfg;
    struct lws_context *ctx;
    struct store *db; /* service thread's read connection */
    struct writer *writer;
    struct worker_pool *workers;
    struct exam **exams;
    int n_exams;
    struct imap attempts;   /* id -> attempt_rt */
    struct imap running;    /* runtime_running_key -> attempt_rt */
    struct imap user_conns; /* user id -> first struct conn */
    struct imap ip_conns;   /* runtime_ip_key -> open WebSockets, stored as
                               the pointer value */
    /* Who may see an exam of a class: loaded at start, kept current by
     * publishing and roster imports, so hello and start ask no SQL. */
    struct imap exam_class; /* exam id -> its class id, stored as the
                               pointer value; absent = open to all */
    struct imap members;    /* runtime_member_key -> (void *)1 */
    int load_failed;        /* start-up: map entries that failed */
    struct deadline_heap deadlines;
    int64_t next_attempt_id;
    struct conn **slots; /* conn table; slot 0 unused */
    uint32_t n_slots, cap_slots;
    uint32_t *free_slots;
    uint32_t n_free;
    uint32_t gen;
    int64_t tick;               /* seconds ticks so far */
    uint64_t n_answers, n_acks; /* counters for /api/stats */
    uint8_t join_key[32]; /* keys join code hashes (join.h); wiped at fini */
    /* exports: signs exported files (sign.h); read-only after start,
     * wiped at fini */
    struct sign_key sign_key;
    /* scores: connect/disconnect events waiting for the writer */
    struct attempt_log *attempt_log; /* attempt_log.c; NULL = none yet */
    struct live_rooms *live; /* live rounds (live.c), owned */
    struct monitor *mon;  /* the organiser's live monitor (api_monitor.h) */
    /* contest results: the public pages kept (api_results_http.c) */
    struct results_cache *results;
};

/* Key of the membership map: class id in the high 32 bits, user id in
 * the low 32 (both stay far below 2^31 on one node). */
int64_t runtime_member_key(int64_t class_id, int64_t user_id);

/* Record that user_id belongs to class_id / that exam_id is for class_id
 * only. 0 or EXAMD_ENOMEM. Service thread. */
int runtime_member_add(struct runtime *rt, int64_t class_id, int64_t user_id);
int runtime_exam_class_set(struct runtime *rt, int64_t exam_id,
                           int64_t class_id);

/* May user_id see and start exam_id: it has no class, or the user is a
 * member of its class? Two hash lookups. Service thread. */
bool runtime_exam_visible(const struct runtime *rt, int64_t user_id,
                          int64_t exam_id);

/* Key of the running-attempt map. */
int64_t runtime_running_key(int64_t user_id, int64_t exam_id);

/*
 * Open the store, load exams and running attempts, start the writer and
 * the workers; close attempts whose time ran out while the server was
 * down. Returns 0 or an error with msg filled. Service thread.
 */
int runtime_init(struct runtime *rt, const struct config *cfg,
                 void (*wake)(void *arg), void *arg, char *msg, size_t msglen);

/*
 * Read the join code key from path into key, or when the file does not
 * exist make one (32 random bytes, mode 0600, created exclusively so two
 * starts never make two). 0, or EXAMD_EIO / EXAMD_EINVAL (not 32 bytes)
 * with msg filled. Any thread.
 */
int runtime_join_key_load(const char *path, uint8_t key[32], char *msg,
                          size_t msglen);

/* Finish queued writes and slow jobs and stop their threads (before the
 * lws context goes: their wake-ups use it). Service thread. */
void runtime_stop_threads(struct runtime *rt);

/* Stop the threads if still running and free everything. */
void runtime_fini(struct runtime *rt);

const struct exam *runtime_exam(const struct runtime *rt, int64_t id);

/* Make a newly published exam available; takes e. 0 or EXAMD_ENOMEM
 * (e is then freed). Service thread. */
int runtime_exam_add(struct runtime *rt, struct exam *e);

/* A new attempt_rt registered in the maps (and the deadline heap). */
struct attempt_rt *runtime_attempt_add(struct runtime *rt,
                                       const struct store_attempt *a,
                                       const struct exam *e, int state);

/* Forget a closed attempt. */
void runtime_attempt_drop(struct runtime *rt, struct attempt_rt *a);

/* Connection table. */
struct conn *runtime_conn_new(struct runtime *rt, int kind);
void runtime_conn_free(struct runtime *rt, struct conn *c);
uint64_t runtime_conn_ref(const struct conn *c);
struct conn *runtime_conn_get(struct runtime *rt, uint64_t ref);

/*
 * The message rate of one WebSocket (a token bucket per connection: cfg
 * msg_rate per second, msg_burst at once). Take one message received at
 * now (epoch ms): RUNTIME_RATE_OK, RUNTIME_RATE_REFUSE (over the limit:
 * the message is not processed) or RUNTIME_RATE_CLOSE (refusals pile up
 * faster than they drain, 4 x msg_rate a second, past msg_burst: a flood
 * at more than 5 x the rate, or a one-off burst beyond 2 x msg_burst).
 * Two multiplications; any thread owning c.
 */
enum { RUNTIME_RATE_OK, RUNTIME_RATE_REFUSE, RUNTIME_RATE_CLOSE };
int runtime_rate_take(struct conn *c, const struct config *cfg, int64_t now);

/* A full bucket for a new connection opened at now (epoch ms). */
void runtime_rate_init(struct conn *c, const struct config *cfg, int64_t now);

/*
 * Count c (its ip set) among its address's open WebSockets, unless the
 * address already holds cfg->max_conns_per_ip (then false, nothing
 * counted). Loopback addresses are not counted unless cfg->cap_loopback.
 * runtime_conn_free uncounts. Service thread.
 */
bool runtime_ip_admit(struct runtime *rt, struct conn *c);

/* Link / unlink a WebSocket conn in its user's list. */
int runtime_conn_bind_user(struct runtime *rt, struct conn *c);
void runtime_conn_unbind_user(struct runtime *rt, struct conn *c);

#endif
