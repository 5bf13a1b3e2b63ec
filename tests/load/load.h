/*
 * load.h — examd-load, the load generator: shared types.
 *
 * examd-load speaks examd.v1 (docs/protocol.md) as N candidates over
 * non-blocking loopback sockets driven by epoll. The parent process
 * (load_main.c) forks K workers (load_worker.c), each holding a slice of
 * the clients; a worker owns its connections, its statistics and its
 * epoll set, and writes its struct load_stats to the parent through a
 * pipe at the end. Latencies go into log-linear histograms
 * (load_hist.c) so workers merge by addition.
 *
 * Nothing here is shared between processes except through the pipes.
 */
#ifndef EXAMD_LOAD_H
#define EXAMD_LOAD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h" /* clock_mono_us, clock_real_us: examd's own clocks */

#define LOAD_ADDRS_MAX 64
#define LOAD_WINDOW_MAX 64        /* outstanding answers per connection */
#define LOAD_HIST_SUB 32          /* sub-buckets per power of two */
#define LOAD_HIST_BUCKETS (40 * LOAD_HIST_SUB)

enum load_scenario {
    LOAD_STEADY, LOAD_FLOOD, LOAD_JOIN, LOAD_DEADLINE, LOAD_BROADCAST,
    LOAD_CRASH, LOAD_ECHO
};

/* Error counters: the server's codes (docs/protocol.md §3), then ours. */
enum load_err {
    LERR_BAD_JSON, LERR_BAD_MESSAGE, LERR_UNKNOWN_TYPE, LERR_NOT_FOUND,
    LERR_FORBIDDEN, LERR_EXAM_CLOSED, LERR_NO_ATTEMPTS, LERR_NOT_ON_PAPER,
    LERR_BAD_OPTION, LERR_BAD_SEQ, LERR_ATTEMPT_CLOSED, LERR_TOO_LATE,
    LERR_BUSY, LERR_INTERNAL, LERR_SERVER_OTHER,
    LERR_CONNECT, LERR_HANDSHAKE, LERR_CLOSED, LERR_PROTOCOL,
    LERR_TIME_MISMATCH, LERR_NO_PAPER, LERR_NO_RESULT, LERR_UNACKED,
    LOAD_ERR_COUNT
};

/* Latency histogram (values in microseconds). */
struct load_hist {
    uint64_t n, sum, max;
    uint32_t b[LOAD_HIST_BUCKETS];
};

/* One worker's (or, merged, the run's) figures. Plain data: it crosses a
 * pipe as bytes. Times *_real_us are CLOCK_REALTIME microseconds. */
struct load_stats {
    uint64_t conns, conns_ready, conns_held, upgrades, reconnects;
    uint64_t papers, resumes, time_checks;
    uint64_t answers_sent, answers_acked, resends;
    uint64_t acks_window;           /* acks received inside the window */
    uint64_t results_deadline, results_other;
    uint64_t broadcasts, times, echoes;
    int64_t first_start_real_us, last_paper_real_us;
    int64_t first_deadline_real_us, last_deadline_real_us;
    int64_t last_result_real_us;
    struct load_hist ack, paper, bcast, late, echo;
    uint64_t err[LOAD_ERR_COUNT];
};

/* The run's options, built once in load_main.c and passed down const. */
struct load_cfg {
    const char *host;
    int port;
    const char *tokens_path;
    int clients, procs;
    struct in_addr src[LOAD_ADDRS_MAX];
    int n_src;
    long long exam;
    int scenario;
    int answer_interval_ms;
    int duration_s;
    int ramp_ms;                 /* spread the connects over this long */
    int ready_timeout_s;         /* wait this long for every paper */
    int drain_s;                 /* wait this long for the last acks */
    double resume_fraction;
    int server_pid;
    const char *ack_log;
    const char *json_out;
    int window;                  /* outstanding answers per connection */
    int broadcasts;              /* SIGUSR1s sent in the broadcast run */
    int echo_bytes;
    bool hello;                  /* send hello before start */
};

/* Worker-side handle on the clients it owns. */
struct load_worker_args {
    const struct load_cfg *cfg;
    char **tokens;               /* borrowed; one per client */
    int first, count;            /* global client indexes [first, +count) */
    int wfd;                     /* to the parent: 'R', then the stats */
    int rfd;                     /* from the parent: 'G' go, 'Q' quit */
};

/* The server's CPU time (clock ticks) and resident memory (KiB), read
 * from /proc/PID/stat and /proc/PID/status; at_us is monotonic. */
struct load_proc {
    long long ticks, rss_kb;
    int64_t at_us;
};

/* load_report.c: print the table and the RESULT json line. */
void load_report(const struct load_cfg *cfg, const struct load_stats *s,
                 const struct load_proc *base, const struct load_proc *go,
                 const struct load_proc *end, double window_s);

/* load_hist.c */
void load_hist_add(struct load_hist *h, uint64_t v);
void load_hist_merge(struct load_hist *dst, const struct load_hist *src);
uint64_t load_hist_pct(const struct load_hist *h, double pct);

/* load_stats.c */
const char *load_err_name(int e);
int load_err_from_code(const char *code);
void load_stats_init(struct load_stats *s);
void load_stats_merge(struct load_stats *dst, const struct load_stats *src);

/* load_worker.c: run one worker to the end; returns the exit status. */
int load_worker_run(const struct load_worker_args *a);

/* load_ws.c: the client side of RFC 6455. */
size_t load_ws_request(char *buf, size_t n, const char *host, int port,
                       const char *token);
size_t load_ws_frame(char *out, int opcode, const char *payload, size_t len,
                     uint32_t mask);
/* Parse one frame header in buf[0..len). Returns the header size and
 * fills *fin, *opcode, *plen, or 0 when more bytes are needed, or -1 when
 * the frame is invalid (masked by the server, reserved bits). */
long load_ws_parse(const unsigned char *buf, size_t len, bool *fin,
                   int *opcode, uint64_t *plen);

#endif
