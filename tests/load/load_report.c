/*
 * load_report.c — the run's report: a table for people and one line
 * "RESULT {json}" for scripts (scripts/bench, tests/load/load.test.js).
 */
#include "load.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>


static const char *const load_scen[] = {
    "steady", "flood", "join", "deadline", "broadcast", "crash", "echo"};

static double load_ms(int64_t us)
{
    return (double)us / 1000.0;
}

static void load_json(FILE *f, const struct load_cfg *cfg,
                      const struct load_stats *s, double window_s,
                      double cpu, long long rss_kb, long long rss_delta_kb)
{
    const struct load_hist *h[] = {&s->ack, &s->paper, &s->bcast, &s->late,
                                   &s->echo};
    const char *hn[] = {"ack", "paper", "broadcast", "late", "echo"};
    fprintf(f, "{\"scenario\":\"%s\",\"clients\":%d,\"procs\":%d,"
            "\"window_s\":%.3f,\"conns\":%llu,\"upgrades\":%llu,"
            "\"ready\":%llu,\"held\":%llu,\"reconnects\":%llu,"
            "\"papers\":%llu,\"resumes\":%llu,\"time_checks\":%llu,"
            "\"answers_sent\":%llu,\"answers_acked\":%llu,"
            /* answers_confirmed: always 0 now that a resume resends the
             * whole outbox; kept for readers of older reports */
            "\"answers_confirmed\":0,\"resends\":%llu,"
            "\"acks_per_s\":%.1f,\"results_deadline\":%llu,"
            "\"results_other\":%llu,\"broadcasts\":%llu,\"times\":%llu,"
            "\"echo_per_s\":%.1f,",
            load_scen[cfg->scenario], cfg->clients, cfg->procs, window_s,
            (unsigned long long)s->conns, (unsigned long long)s->upgrades,
            (unsigned long long)s->conns_ready,
            (unsigned long long)s->conns_held,
            (unsigned long long)s->reconnects,
            (unsigned long long)s->papers, (unsigned long long)s->resumes,
            (unsigned long long)s->time_checks,
            (unsigned long long)s->answers_sent,
            (unsigned long long)s->answers_acked,
            (unsigned long long)s->resends,
            (double)s->acks_window / window_s,
            (unsigned long long)s->results_deadline,
            (unsigned long long)s->results_other,
            (unsigned long long)s->broadcasts, (unsigned long long)s->times,
            (double)s->echoes / window_s);
    for (int i = 0; i < 5; i++)
        fprintf(f, "\"%s_n\":%llu,\"%s_p50_us\":%llu,\"%s_p99_us\":%llu,"
                "\"%s_max_us\":%llu,", hn[i], (unsigned long long)h[i]->n,
                hn[i], (unsigned long long)load_hist_pct(h[i], 50), hn[i],
                (unsigned long long)load_hist_pct(h[i], 99), hn[i],
                (unsigned long long)h[i]->max);
    bool dl = s->first_deadline_real_us != INT64_MAX;
    fprintf(f, "\"join_span_ms\":%.1f,\"deadline_spread_ms\":%.1f,"
            "\"grading_span_ms\":%.1f,",
            s->first_start_real_us != INT64_MAX && s->last_paper_real_us
                ? load_ms(s->last_paper_real_us - s->first_start_real_us) : 0,
            dl ? load_ms(s->last_deadline_real_us - s->first_deadline_real_us)
               : 0,
            dl && s->last_result_real_us
                ? load_ms(s->last_result_real_us - s->first_deadline_real_us)
                : 0);
    fprintf(f, "\"server_cpu_pct\":%.1f,\"server_rss_kb\":%lld,"
            "\"server_rss_per_conn_b\":%.0f,\"server_rss_delta_per_conn_b\":"
            "%.0f,\"errors\":{", cpu, rss_kb,
            s->conns_held ? (double)rss_kb * 1024 / (double)s->conns_held : 0,
            s->conns_held ? (double)rss_delta_kb * 1024 /
                                (double)s->conns_held : 0);
    bool first = true;
    for (int i = 0; i < LOAD_ERR_COUNT; i++)
        if (s->err[i]) {
            fprintf(f, "%s\"%s\":%llu", first ? "" : ",", load_err_name(i),
                    (unsigned long long)s->err[i]);
            first = false;
        }
    fprintf(f, "}}\n");
}

static void load_table_hist(const char *name, const struct load_hist *h)
{
    if (!h->n)
        return;
    printf("  %-22s n=%-9llu p50=%.2f ms  p99=%.2f ms  max=%.2f ms\n", name,
           (unsigned long long)h->n, load_ms((int64_t)load_hist_pct(h, 50)),
           load_ms((int64_t)load_hist_pct(h, 99)), load_ms((int64_t)h->max));
}

void load_report(const struct load_cfg *cfg, const struct load_stats *s,
                 const struct load_proc *base, const struct load_proc *go,
                 const struct load_proc *end, double window_s)
{
    long hz = sysconf(_SC_CLK_TCK);
    double cpu = 0;
    if (end->ticks && go->at_us && end->at_us > go->at_us)
        cpu = 100.0 * (double)(end->ticks - go->ticks) / (double)hz /
              ((double)(end->at_us - go->at_us) / 1e6);
    printf("examd-load: %s, %d clients in %d processes, window %.1f s\n",
           load_scen[cfg->scenario], cfg->clients, cfg->procs, window_s);
    printf("  connections            %llu opened, %llu upgraded, %llu ready, "
           "%llu held at end, %llu reconnects\n",
           (unsigned long long)s->conns, (unsigned long long)s->upgrades,
           (unsigned long long)s->conns_ready,
           (unsigned long long)s->conns_held,
           (unsigned long long)s->reconnects);
    printf("  answers                %llu sent, %llu acked, %llu resent; "
           "%.0f acks/s in the window\n",
           (unsigned long long)s->answers_sent,
           (unsigned long long)s->answers_acked,
           (unsigned long long)s->resends,
           (double)s->acks_window / window_s);
    load_table_hist("ack latency", &s->ack);
    load_table_hist("paper latency", &s->paper);
    load_table_hist("broadcast delivery", &s->bcast);
    load_table_hist("result after deadline", &s->late);
    load_table_hist("echo round trip", &s->echo);
    printf("  papers %llu (resumes %llu), deadline results %llu, other "
           "results %llu, broadcasts %llu, echoes %.0f/s\n",
           (unsigned long long)s->papers, (unsigned long long)s->resumes,
           (unsigned long long)s->results_deadline,
           (unsigned long long)s->results_other,
           (unsigned long long)s->broadcasts, (double)s->echoes / window_s);
    if (end->rss_kb)
        printf("  server                 CPU %.1f%% of one core, RSS %lld KiB "
               "(%.0f B per held connection; %.0f B above the idle RSS)\n",
               cpu, end->rss_kb,
               s->conns_held ? (double)end->rss_kb * 1024 /
                                   (double)s->conns_held : 0,
               s->conns_held ? (double)(end->rss_kb - base->rss_kb) * 1024 /
                                   (double)s->conns_held : 0);
    printf("  errors                ");
    for (int i = 0; i < LOAD_ERR_COUNT; i++)
        if (s->err[i])
            printf(" %s=%llu", load_err_name(i),
                   (unsigned long long)s->err[i]);
    printf("\nRESULT ");
    load_json(stdout, cfg, s, window_s, cpu, end->rss_kb,
              end->rss_kb - base->rss_kb);
    fflush(stdout);
    FILE *f = cfg->json_out ? fopen(cfg->json_out, "w") : NULL;
    if (f) {
        load_json(f, cfg, s, window_s, cpu, end->rss_kb,
                  end->rss_kb - base->rss_kb);
        fclose(f);
    }
}
