/*
 * config.h — the server's configuration, built once at start.
 *
 * Precedence: built-in defaults < environment (EXAMD_*) < command-line
 * flags. After config_parse() returns the struct is passed down const;
 * only this module reads the environment.
 */
#ifndef EXAMD_CONFIG_H
#define EXAMD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_MAX_ORIGINS 8

struct config {
    char bind[64];        /* listen address, "127.0.0.1" */
    int port;             /* TCP port, 8080 */
    char db_path[512];    /* SQLite file, "data/examd.db" */
    char web_dir[512];    /* static files, "web" */
    char demo_dir[512];   /* banks to load + demo accounts, "" = none */
    bool demo_contest;    /* + the demo units and contest */
    char join_key[512];   /* the join code key file, "" = join.key in the
                             database's directory */
    int grace_ms;         /* answers accepted this long after deadline */
    int time_push_s;      /* interval of "time" pushes per attempt */
    int session_ttl_s;    /* session lifetime, seconds */
    bool sync_full;       /* PRAGMA synchronous=FULL (else NORMAL) */
    int writer_queue_max; /* jobs queued before answers get "busy" */
    int n_origins;
    char origins[CONFIG_MAX_ORIGINS][256]; /* extra allowed Origin values */
    int verbose;                           /* 0 quiet .. 2 debug */
    bool evlib_uv; /* libuv event loop instead of poll() */
    /* The perimeter (docs/security.md "Limits") */
    int live_players_max; /* tests: below LIVE_PLAYERS_MAX; 0 = that */
    int msg_rate;         /* WS messages per second per connection, 0 = off */
    int msg_burst;        /* messages a connection may send at once */
    int idle_s;           /* silence before a ping, seconds; 0 = off */
    int pong_s;           /* then the wait for any frame, seconds */
    int max_conns_per_ip; /* WebSockets per address, 0 = no cap */
    int worker_queue;     /* slow jobs waiting before 503 busy */
    bool cap_loopback;    /* count loopback addresses too (else exempt) */
    bool trust_proxy;     /* the peer is the last X-Forwarded-For entry */
};

/* Fill c with defaults, then the environment. Never fails. */
void config_defaults(struct config *c);

/*
 * Apply "examd serve" flags from argv[0..argc). Returns 0, 1 when --help
 * was asked (usage printed to stdout), or EXAMD_EINVAL with the reason in
 * msg (size msglen).
 */
int config_parse_serve(struct config *c, int argc, char **argv, char *msg,
                       size_t msglen);

/* Usage text of "examd serve". */
void config_usage_serve(void);

#endif
