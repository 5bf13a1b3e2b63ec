/*
 * load_main.c — examd-load: options, the worker processes, the run's
 * coordination and the report.
 *
 * The parent reads the token file, forks --procs workers (each takes a
 * contiguous slice of the clients, so no process holds more than its
 * share of sockets), waits for every worker's 'R' (all papers in, or the
 * ready timeout), reads the server's CPU time, sends 'G', sends SIGUSR1
 * broadcasts in the broadcast scenario, reads the server's CPU time again
 * when the window closes, then merges the workers' statistics and prints
 * a table and one JSON line ("RESULT {...}").
 *
 * Every wait is bounded: the whole run ends by ramp + ready timeout +
 * duration + drain + 30 s, or the workers are killed.
 */
#include "load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOAD_PROCS_MAX 64

static const char *const load_scenarios[] = {
    "steady", "flood", "join", "deadline", "broadcast", "crash", "echo"};

static int load_proc_read(int pid, struct load_proc *p)
{
    char path[64], buf[4096];
    memset(p, 0, sizeof *p);
    p->at_us = clock_mono_us();
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *s = strrchr(buf, ')');
    unsigned long long ut = 0, stt = 0;
    /* fields after ')': state(3) ... utime(14) stime(15) */
    if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                     "%llu %llu", &ut, &stt) != 2)
        return -1;
    p->ticks = (long long)(ut + stt);
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(buf, sizeof buf, f))
        if (!strncmp(buf, "VmRSS:", 6))
            p->rss_kb = atoll(buf + 6);
    fclose(f);
    return 0;
}

static void load_usage(void)
{
    fprintf(stderr,
            "usage: examd-load --tokens FILE --clients N [options]\n"
            "  --host ADDR (127.0.0.1)  --port N (8080)  --procs K (auto)\n"
            "  --src-addrs A,B,..  --exam ID (1)\n"
            "  --scenario steady|flood|join|deadline|broadcast|crash|echo\n"
            "  --answer-interval-ms N (10000)  --duration-s N (30)\n"
            "  --ramp-ms N (10000)  --ready-timeout-s N (60)  --drain-s N (10)\n"
            "  --resume-fraction F (0)  --server-pid PID  --ack-log FILE\n"
            "  --window N (outstanding answers per client; 4, flood 16)\n"
            "  --broadcasts N (3)  --echo-bytes N (100)  --hello\n"
            "  --json FILE (also write the JSON line there)\n");
}

static int load_parse_addrs(struct load_cfg *c, char *list)
{
    c->n_src = 0;
    for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
        if (c->n_src >= LOAD_ADDRS_MAX || !inet_pton(AF_INET, t,
                                                     &c->src[c->n_src]))
            return -1;
        if ((ntohl(c->src[c->n_src].s_addr) >> 24) != 127)
            return -1;                    /* loopback only */
        c->n_src++;
    }
    return c->n_src ? 0 : -1;
}

static int load_scenario_parse(const char *s)
{
    for (int i = 0; i < (int)(sizeof load_scenarios / sizeof *load_scenarios);
         i++)
        if (!strcmp(s, load_scenarios[i]))
            return i;
    return -1;
}

static int load_opts(struct load_cfg *c, int argc, char **argv)
{
    static const struct option o[] = {
        {"host", 1, 0, 'H'}, {"port", 1, 0, 'p'}, {"tokens", 1, 0, 't'},
        {"clients", 1, 0, 'n'}, {"procs", 1, 0, 'k'},
        {"src-addrs", 1, 0, 'a'}, {"exam", 1, 0, 'e'},
        {"scenario", 1, 0, 's'}, {"answer-interval-ms", 1, 0, 'i'},
        {"duration-s", 1, 0, 'd'}, {"ramp-ms", 1, 0, 'r'},
        {"ready-timeout-s", 1, 0, 'R'}, {"drain-s", 1, 0, 'D'},
        {"resume-fraction", 1, 0, 'f'}, {"server-pid", 1, 0, 'P'},
        {"ack-log", 1, 0, 'l'}, {"window", 1, 0, 'w'},
        {"broadcasts", 1, 0, 'b'}, {"echo-bytes", 1, 0, 'B'},
        {"hello", 0, 0, 'h'}, {"json", 1, 0, 'j'}, {0, 0, 0, 0}};
    static char lo[] = "127.0.0.1";
    memset(c, 0, sizeof *c);
    c->host = "127.0.0.1";
    c->port = 8080;
    c->exam = 1;
    c->answer_interval_ms = 10000;
    c->duration_s = 30;
    c->ramp_ms = 10000;
    c->ready_timeout_s = 60;
    c->drain_s = 10;
    c->broadcasts = 3;
    c->echo_bytes = 100;
    c->window = -1;
    load_parse_addrs(c, lo);
    for (int ch; (ch = getopt_long(argc, argv, "", o, NULL)) != -1;) {
        switch (ch) {
        case 'H': c->host = optarg; break;
        case 'p': c->port = atoi(optarg); break;
        case 't': c->tokens_path = optarg; break;
        case 'n': c->clients = atoi(optarg); break;
        case 'k': c->procs = atoi(optarg); break;
        case 'a': if (load_parse_addrs(c, optarg)) return -1; break;
        case 'e': c->exam = atoll(optarg); break;
        case 's': if ((c->scenario = load_scenario_parse(optarg)) < 0)
                      return -1;
                  break;
        case 'i': c->answer_interval_ms = atoi(optarg); break;
        case 'd': c->duration_s = atoi(optarg); break;
        case 'r': c->ramp_ms = atoi(optarg); break;
        case 'R': c->ready_timeout_s = atoi(optarg); break;
        case 'D': c->drain_s = atoi(optarg); break;
        case 'f': c->resume_fraction = atof(optarg); break;
        case 'P': c->server_pid = atoi(optarg); break;
        case 'l': c->ack_log = optarg; break;
        case 'w': c->window = atoi(optarg); break;
        case 'b': c->broadcasts = atoi(optarg); break;
        case 'B': c->echo_bytes = atoi(optarg); break;
        case 'h': c->hello = true; break;
        case 'j': c->json_out = optarg; break;
        default: return -1;
        }
    }
    if (c->window < 0)
        c->window = c->scenario == LOAD_FLOOD ? 16 : 4;
    if (c->window < 1 || c->window > LOAD_WINDOW_MAX)
        c->window = 4;
    if (c->procs <= 0)
        c->procs = (c->clients + 4999) / 5000;
    if (c->procs > LOAD_PROCS_MAX)
        c->procs = LOAD_PROCS_MAX;
    if (c->answer_interval_ms < 1)
        c->answer_interval_ms = 1;
    return c->clients > 0 && (c->tokens_path || c->scenario == LOAD_ECHO)
               ? 0 : -1;
}

/* One token per line; the echo scenario needs none. */
static char **load_tokens_read(const struct load_cfg *c)
{
    char **t = calloc((size_t)c->clients, sizeof *t), line[256];
    FILE *f = c->tokens_path ? fopen(c->tokens_path, "r") : NULL;
    int n = 0;
    while (t && f && n < c->clients && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[0])
            t[n++] = strdup(line);
    }
    if (f)
        fclose(f);
    for (; t && n < c->clients; n++) {
        if (c->scenario != LOAD_ECHO) {
            fprintf(stderr, "examd-load: %s has only %d tokens\n",
                    c->tokens_path, n);
            return NULL;
        }
        t[n] = strdup("x");
    }
    return t;
}

/* The parent's view of its workers. */
struct load_run {
    const struct load_cfg *cfg;
    int n;
    pid_t pid[LOAD_PROCS_MAX];
    int up[LOAD_PROCS_MAX], down[LOAD_PROCS_MAX];
    bool ready[LOAD_PROCS_MAX];
    size_t got[LOAD_PROCS_MAX];
    struct load_stats st[LOAD_PROCS_MAX];
    struct load_proc base, go, end;
    double window_s;
};

static int load_spawn(struct load_run *r, char **tokens)
{
    const struct load_cfg *cfg = r->cfg;
    int per = (cfg->clients + cfg->procs - 1) / cfg->procs, first = 0;
    for (r->n = 0; first < cfg->clients; r->n++) {
        int up[2], down[2];
        if (pipe(up) || pipe(down))
            return -1;
        struct load_worker_args a = {cfg, tokens, first,
                                     cfg->clients - first < per
                                         ? cfg->clients - first : per,
                                     up[1], down[0]};
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            close(up[0]);
            close(down[1]);
            for (int i = 0; i < r->n; i++) {
                close(r->up[i]);
                close(r->down[i]);
            }
            _exit(load_worker_run(&a));
        }
        close(up[1]);
        close(down[0]);
        r->pid[r->n] = pid;
        r->up[r->n] = up[0];
        r->down[r->n] = down[1];
        first += a.count;
    }
    return 0;
}

/* Read what the workers have written, waiting at most ms. Returns the
 * number of workers whose stats are complete. */
static int load_collect(struct load_run *r, int ms)
{
    struct pollfd p[LOAD_PROCS_MAX];
    int done = 0;
    for (int i = 0; i < r->n; i++) {
        p[i].fd = r->got[i] < sizeof r->st[i] ? r->up[i] : -1;
        p[i].events = POLLIN;
        p[i].revents = 0;
    }
    poll(p, (nfds_t)r->n, ms);
    for (int i = 0; i < r->n; i++) {
        if (p[i].revents & (POLLIN | POLLHUP)) {
            if (!r->ready[i]) {
                char b;
                r->ready[i] = read(r->up[i], &b, 1) == 1 && b == 'R';
                if (!r->ready[i])
                    r->got[i] = sizeof r->st[i];   /* died: give up */
            } else {
                ssize_t k = read(r->up[i], (char *)&r->st[i] + r->got[i],
                                 sizeof r->st[i] - r->got[i]);
                if (k <= 0) {
                    load_stats_init(&r->st[i]);
                    r->st[i].err[LERR_PROTOCOL]++;
                    k = (ssize_t)(sizeof r->st[i] - r->got[i]);
                }
                r->got[i] += (size_t)k;
            }
        }
        done += r->got[i] >= sizeof r->st[i];
    }
    return done;
}

static int load_count_ready(const struct load_run *r)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        n += r->ready[i];
    return n;
}

static void load_send(struct load_run *r, char what)
{
    for (int i = 0; i < r->n; i++)
        if (write(r->down[i], &what, 1) != 1)
            continue;
}

static void load_drive(struct load_run *r)
{
    const struct load_cfg *cfg = r->cfg;
    int64_t t0 = clock_mono_us();
    int64_t ready_by = t0 + (int64_t)cfg->ramp_ms * 1000 +
                       ((int64_t)cfg->ready_timeout_s + 10) * 1000000;
    while (load_count_ready(r) < r->n && clock_mono_us() < ready_by &&
           load_collect(r, 50) < r->n)
        ;
    fprintf(stderr, "examd-load: ready after %.1f s; go\n",
            (double)(clock_mono_us() - t0) / 1e6);
    load_proc_read(cfg->server_pid, &r->go);
    if (cfg->scenario == LOAD_JOIN)   /* the storm is before 'G' */
        r->go = r->base;
    load_send(r, 'G');
    int64_t go = clock_mono_us(), win_end = go + cfg->duration_s * 1000000LL;
    int64_t hard_end = win_end + (cfg->drain_s + 30) * 1000000LL;
    int sent = 0, done = 0;
    bool end_read = false;
    while (done < r->n && clock_mono_us() < hard_end) {
        int64_t now = clock_mono_us();
        if (cfg->scenario == LOAD_BROADCAST && sent < cfg->broadcasts &&
            now >= go + (sent + 1) * 1500000LL) {
            if (cfg->server_pid > 0)
                kill(cfg->server_pid, SIGUSR1);
            sent++;
        }
        if (!end_read && now >= win_end) {
            load_proc_read(cfg->server_pid, &r->end);
            end_read = true;
        }
        done = load_collect(r, 20);
    }
    if (!end_read)
        load_proc_read(cfg->server_pid, &r->end);
    r->window_s = (double)((end_read ? win_end : clock_mono_us()) - go) / 1e6;
    if (r->window_s <= 0)
        r->window_s = 1e-6;
    load_send(r, 'Q');
    for (int i = 0; i < r->n; i++) {
        if (r->got[i] < sizeof r->st[i]) {
            kill(r->pid[i], SIGKILL);
            load_stats_init(&r->st[i]);
            r->st[i].err[LERR_PROTOCOL]++;
        }
        waitpid(r->pid[i], NULL, 0);
    }
}

int main(int argc, char **argv)
{
    struct load_cfg cfg;
    struct rlimit rl;
    if (load_opts(&cfg, argc, argv)) {
        load_usage();
        return 2;
    }
    if (!getrlimit(RLIMIT_NOFILE, &rl)) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if ((rlim_t)(cfg.clients / cfg.procs + 64) > rl.rlim_cur)
            fprintf(stderr, "examd-load: warning: %d clients per process "
                    "over the open-file limit %llu; use more --procs\n",
                    cfg.clients / cfg.procs, (unsigned long long)rl.rlim_cur);
    }
    signal(SIGPIPE, SIG_IGN);
    srand((unsigned)(time(NULL) ^ getpid()));
    char **tokens = load_tokens_read(&cfg);
    static struct load_run r;
    if (!tokens)
        return 2;
    r.cfg = &cfg;
    load_proc_read(cfg.server_pid, &r.base);
    if (load_spawn(&r, tokens)) {
        perror("examd-load: fork");
        return 1;
    }
    load_drive(&r);
    struct load_stats all;
    load_stats_init(&all);
    for (int i = 0; i < r.n; i++)
        load_stats_merge(&all, &r.st[i]);
    load_report(&cfg, &all, &r.base, &r.go, &r.end, r.window_s);
    return 0;
}
