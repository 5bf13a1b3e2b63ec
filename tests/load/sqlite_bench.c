/*
 * sqlite_bench.c — examd-sqlite-bench: the storage baseline. Inserts
 * answer rows shaped like examd's (table answers, WITHOUT ROWID, primary
 * key (attempt_id, seq), "INSERT OR IGNORE") into a fresh WAL database
 * with the chosen synchronous mode, --batch rows per transaction, for
 * --rows rows or --seconds, whichever comes first. The rows hit random
 * attempts with increasing seqs, as --attempts candidates answering would.
 * Prints a line for people and "RESULT {json}".
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char sqlite_bench_schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS answers("
    " attempt_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " question_id INTEGER NOT NULL, choice INTEGER NOT NULL,"
    " flagged INTEGER NOT NULL, server_ms INTEGER NOT NULL,"
    " PRIMARY KEY(attempt_id, seq)) WITHOUT ROWID;";

static double sqlite_bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int sqlite_bench_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "examd-sqlite-bench: %s: %s\n", sql, err);
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* Insert up to rows rows, batch per transaction, for at most secs
 * seconds; returns the rows written or -1. */
static long sqlite_bench_run(sqlite3 *db, long rows, int batch, double secs,
                             int attempts, double *elapsed)
{
    sqlite3_stmt *ins;
    long *seq = calloc((size_t)attempts, sizeof *seq), done = 0;
    if (!seq || sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO answers("
                                   "attempt_id, seq, question_id, choice, "
                                   "flagged, server_ms) VALUES(?,?,?,?,?,?)",
                                   -1, &ins, NULL) != SQLITE_OK)
        return -1;
    double t0 = sqlite_bench_now();
    while (done < rows && sqlite_bench_now() - t0 < secs) {
        if (sqlite_bench_exec(db, "BEGIN IMMEDIATE"))
            return -1;
        for (int i = 0; i < batch && done < rows; i++, done++) {
            int a = rand() % attempts;
            sqlite3_bind_int64(ins, 1, 1000 + a);
            sqlite3_bind_int64(ins, 2, ++seq[a]);
            sqlite3_bind_int64(ins, 3, 1 + rand() % 500);
            sqlite3_bind_int(ins, 4, 1 << (rand() % 4));
            sqlite3_bind_int(ins, 5, rand() % 20 == 0);
            sqlite3_bind_int64(ins, 6, (sqlite3_int64)time(NULL) * 1000);
            if (sqlite3_step(ins) != SQLITE_DONE)
                return -1;
            sqlite3_reset(ins);
        }
        if (sqlite_bench_exec(db, "COMMIT"))
            return -1;
    }
    *elapsed = sqlite_bench_now() - t0;
    sqlite3_finalize(ins);
    free(seq);
    return done;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *sync = "FULL";
    long rows = 1000000;
    int batch = 1000, attempts = 19900;
    double secs = 20, elapsed = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db")) path = argv[i + 1];
        else if (!strcmp(argv[i], "--rows")) rows = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds")) secs = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--attempts")) attempts = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--sync")) sync = argv[i + 1];
    }
    if (!path || batch < 1 || attempts < 1) {
        fprintf(stderr, "usage: examd-sqlite-bench --db PATH [--rows N] "
                "[--batch N] [--seconds S] [--attempts N] [--sync FULL|NORMAL]\n");
        return 2;
    }
    sqlite3 *db;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous=%s", sync);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite_bench_exec(db, sqlite_bench_schema) ||
        sqlite_bench_exec(db, pragma))
        return 1;
    long n = sqlite_bench_run(db, rows, batch, secs, attempts, &elapsed);
    if (n < 0) {
        fprintf(stderr, "examd-sqlite-bench: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_close(db);
    printf("examd-sqlite-bench: %ld rows in %.2f s, batch %d, synchronous=%s:"
           " %.0f rows/s, %.0f commits/s\n", n, elapsed, batch, sync,
           (double)n / elapsed, (double)n / batch / elapsed);
    printf("RESULT {\"batch\":%d,\"rows\":%ld,\"seconds\":%.3f,"
           "\"rows_per_s\":%.1f,\"commits_per_s\":%.1f,\"sync\":\"%s\"}\n",
           batch, n, elapsed, (double)n / elapsed,
           (double)n / batch / elapsed, sync);
    return 0;
}
