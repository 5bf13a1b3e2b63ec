/*
 * config.c — defaults, environment and flags for "examd serve".
 */
#include "config.h"
#include "err.h"
#include "worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void config_copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src);
}

static bool config_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    config_copy(c->bind, sizeof c->bind, "127.0.0.1");
    c->port = 8080;
    config_copy(c->db_path, sizeof c->db_path, "data/examd.db");
    config_copy(c->web_dir, sizeof c->web_dir, "web");
    c->grace_ms = 2000;
    c->time_push_s = 30;
    c->session_ttl_s = 12 * 3600;
    c->sync_full = true;
    c->writer_queue_max = 200000;
    c->verbose = 1;
    c->evlib_uv = true; /* epoll through libuv: see docs/performance.md */
    c->msg_rate = 20;   /* docs/security.md "Limits" says why */
    c->msg_burst = 250;
    c->idle_s = 120;
    c->pong_s = 30;
    c->max_conns_per_ip = 2000;
    c->worker_queue = WORKER_QUEUE_MAX;

    const char *e;
    if ((e = getenv("EXAMD_DB")) && *e)
        config_copy(c->db_path, sizeof c->db_path, e);
    if ((e = getenv("EXAMD_JOIN_KEY")) && *e)
        config_copy(c->join_key, sizeof c->join_key, e);
    if ((e = getenv("EXAMD_WEB")) && *e)
        config_copy(c->web_dir, sizeof c->web_dir, e);
    if ((e = getenv("EXAMD_BIND")) && *e)
        config_copy(c->bind, sizeof c->bind, e);
    if ((e = getenv("EXAMD_PORT")))
        config_int(e, 1, 65535, &c->port);
    if ((e = getenv("EXAMD_GRACE_MS")))
        config_int(e, 0, 60000, &c->grace_ms);
    if ((e = getenv("EXAMD_MSG_RATE"))) /* benchmarks that flood on purpose */
        config_int(e, 0, 1000000, &c->msg_rate);
    if ((e = getenv("EXAMD_MSG_BURST")))
        config_int(e, 1, 1000000, &c->msg_burst);
    if ((e = getenv("EXAMD_LIVE_PLAYERS_MAX"))) /* tests of the cap */
        config_int(e, 1, 1000000, &c->live_players_max);
}

void config_usage_serve(void)
{
    printf(
        "usage: examd serve [options]\n"
        "\n"
        "Serve the web apps and the WebSocket protocol on one port.\n"
        "\n"
        "  --bind ADDR          listen address (default 127.0.0.1; "
        "env EXAMD_BIND)\n"
        "  --port N             TCP port (default 8080; env EXAMD_PORT)\n"
        "  --db PATH            SQLite database, created if missing\n"
        "                       (default data/examd.db; env EXAMD_DB)\n"
        "  --join-key PATH      the join code key, made at first start\n"
        "                       (default join.key beside the database;\n"
        "                       env EXAMD_JOIN_KEY)\n"
        "  --web DIR            static files to serve (default web; env "
        "EXAMD_WEB)\n"
        "  --demo DIR           load every bank file in DIR and create the\n"
        "                       demo exam and demo accounts if missing\n"
        "  --demo-contest       with --demo: also the demo units and a\n"
        "                       contest open to registration (scripts/run)\n"
        "  --grace-ms N         accept answers N ms after the deadline "
        "(default 2000)\n"
        "  --time-push-s N      push the time left every N s (default 30)\n"
        "  --session-ttl-s N    session lifetime in seconds (default "
        "43200)\n"
        "  --allow-origin URL   also accept WebSocket upgrades from this "
        "Origin\n"
        "                       (repeatable; same origin is always "
        "accepted)\n"
        "  --sync normal|full   SQLite synchronous mode (default full)\n"
        "  --evlib uv|poll      event loop: libuv (default) or poll()\n"
        "  --msg-rate N         WebSocket messages per second per connection\n"
        "                       (default 20; 0 = no limit; env "
        "EXAMD_MSG_RATE)\n"
        "  --msg-burst N        messages a connection may send at once\n"
        "                       (default 250: hello, start and a full\n"
        "                       outbox of 200 answers resent; env\n"
        "                       EXAMD_MSG_BURST)\n"
        "  --idle-s N           ping a connection silent for N s (default "
        "120;\n"
        "                       0 = never)\n"
        "  --pong-s N           then close it after N s more without a "
        "frame\n"
        "                       (default 30)\n"
        "  --max-conns-per-ip N WebSockets per client address (default "
        "2000;\n"
        "                       0 = no cap; loopback is exempt)\n"
        "  --cap-loopback       apply the per-address cap to loopback too\n"
        "  --worker-queue N     slow requests (logins, imports, slips) that\n"
        "                       may wait for a worker; past it 503 busy\n"
        "                       (default 512)\n"
        "  --trust-proxy        take the client address from the last\n"
        "                       X-Forwarded-For entry (only behind a proxy\n"
        "                       that sets it: anyone can forge it "
        "otherwise)\n"
        "  --quiet, --verbose   log less / more\n"
        "  -h, --help           this text\n");
}

int config_parse_serve(struct config *c, int argc, char **argv, char *msg,
                       size_t msglen)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            config_usage_serve();
            return 1;
        } else if (!strcmp(a, "--quiet")) {
            c->verbose = 0;
            continue;
        } else if (!strcmp(a, "--verbose")) {
            c->verbose = 2;
            continue;
        } else if (!strcmp(a, "--demo-contest")) {
            c->demo_contest = true;
            continue;
        } else if (!strcmp(a, "--cap-loopback")) {
            c->cap_loopback = true;
            continue;
        } else if (!strcmp(a, "--trust-proxy")) {
            c->trust_proxy = true;
            continue;
        }
        if (!v) {
            snprintf(msg, msglen, "%s: unknown option or missing value", a);
            return EXAMD_EINVAL;
        }
        if (!strcmp(a, "--bind"))
            config_copy(c->bind, sizeof c->bind, v);
        else if (!strcmp(a, "--port"))
            ok = config_int(v, 1, 65535, &c->port);
        else if (!strcmp(a, "--db"))
            config_copy(c->db_path, sizeof c->db_path, v);
        else if (!strcmp(a, "--join-key"))
            config_copy(c->join_key, sizeof c->join_key, v);
        else if (!strcmp(a, "--web"))
            config_copy(c->web_dir, sizeof c->web_dir, v);
        else if (!strcmp(a, "--demo"))
            config_copy(c->demo_dir, sizeof c->demo_dir, v);
        else if (!strcmp(a, "--grace-ms"))
            ok = config_int(v, 0, 60000, &c->grace_ms);
        else if (!strcmp(a, "--time-push-s"))
            ok = config_int(v, 1, 3600, &c->time_push_s);
        else if (!strcmp(a, "--session-ttl-s"))
            ok = config_int(v, 60, 30 * 86400, &c->session_ttl_s);
        else if (!strcmp(a, "--msg-rate"))
            ok = config_int(v, 0, 1000000, &c->msg_rate);
        else if (!strcmp(a, "--msg-burst"))
            ok = config_int(v, 1, 1000000, &c->msg_burst);
        else if (!strcmp(a, "--idle-s"))
            ok = config_int(v, 0, 86400, &c->idle_s);
        else if (!strcmp(a, "--pong-s"))
            ok = config_int(v, 1, 3600, &c->pong_s);
        else if (!strcmp(a, "--worker-queue"))
            ok = config_int(v, 1, 1000000, &c->worker_queue);
        else if (!strcmp(a, "--max-conns-per-ip"))
            ok = config_int(v, 0, 1000000, &c->max_conns_per_ip);
        else if (!strcmp(a, "--sync")) {
            ok = !strcmp(v, "full") || !strcmp(v, "normal");
            c->sync_full = !strcmp(v, "full");
        } else if (!strcmp(a, "--evlib")) {
            ok = !strcmp(v, "poll") || !strcmp(v, "uv");
            c->evlib_uv = !strcmp(v, "uv");
        } else if (!strcmp(a, "--allow-origin")) {
            ok = c->n_origins < CONFIG_MAX_ORIGINS && strlen(v) < 256;
            if (ok)
                config_copy(c->origins[c->n_origins++], 256, v);
        } else {
            snprintf(msg, msglen, "%s: unknown option", a);
            return EXAMD_EINVAL;
        }
        if (!ok) {
            snprintf(msg, msglen, "%s: invalid value \"%s\"", a, v);
            return EXAMD_EINVAL;
        }
        i++;
    }
    return 0;
}
