/* test_store.c — migrations on an empty and an existing database, bank
 * import, exam freezing, and the group-commit writer against SQLite. */
#include "bank.h"
#include "check.h"
#include "err.h"
#include "store.h"
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int wakes;

static void on_wake(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    wakes++;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

/* Collect finished jobs until n have come back. */
static struct wjob *collect(struct writer *w, int n)
{
    struct wjob *all = NULL, **tail = &all;
    int got = 0;
    while (got < n) {
        pthread_mutex_lock(&mu);
        while (!wakes)
            pthread_cond_wait(&cv, &mu);
        wakes = 0;
        pthread_mutex_unlock(&mu);
        for (struct wjob *j = writer_take_done(w); j; j = j->next) {
            *tail = j;
            tail = &j->next;
            got++;
        }
    }
    return all;
}

static const char bank_json[] =
    "{\"format\":\"examd-bank/1\",\"bank\":\"demo\",\"title\":\"Demo\","
    "\"questions\":["
    "{\"topic\":\"A\",\"difficulty\":\"easy\",\"text\":\"Q1\",\"options\":"
    "[\"a\",\"b\",\"c\"],\"correct\":[1]},"
    "{\"topic\":\"A\",\"difficulty\":\"hard\",\"text\":\"Q2\",\"options\":"
    "[\"a\",\"b\",\"c\",\"d\"],\"correct\":[0,3]},"
    "{\"topic\":\"B\",\"difficulty\":\"medium\",\"text\":\"Q3\",\"options\":"
    "[\"x\",\"y\"],\"correct\":[0]}]}";

int main(void)
{
    char dir[] = "/tmp/examd-store-XXXXXX", path[128], msg[512];
    struct store *s = NULL;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/sub/examd.db", dir);

    /* Empty database: created (with its directory) and migrated. */
    CHECK_EQ_INT(store_open(path, true, &s, msg, sizeof msg), 0);
    CHECK_EQ_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
    struct bank *b =
        bank_parse(bank_json, sizeof bank_json - 1, msg, sizeof msg);
    int64_t bank_id = 0, exam_id = 0, uid = 0;
    CHECK(b != NULL);
    CHECK_EQ_INT(store_bank_import(s, b, 1, &bank_id, msg, sizeof msg), 0);
    CHECK_EQ_INT(store_bank_import(s, b, 1, &bank_id, msg, sizeof msg),
                 EXAMD_EINVAL);
    CHECK_STR_HAS(msg, "already exists");
    bank_free(b);
    struct store_exam_spec sp = {.title = "Thi",
                                 .description = "",
                                 .bank = "demo",
                                 .n_paper = 3,
                                 .duration_s = 60,
                                 .attempts = 1,
                                 .review = EXAM_REVIEW_FULL,
                                 .random_selection = true};
    sp.n_paper = 4;
    CHECK_EQ_INT(store_exam_create(s, &sp, 1, &exam_id, NULL, msg, sizeof msg),
                 EXAMD_EINVAL);
    sp.n_paper = 3;
    CHECK_EQ_INT(store_exam_create(s, &sp, 1, &exam_id, NULL, msg, sizeof msg), 0);
    CHECK_EQ_INT(store_user_add(s, "u1", "Nguyễn", "candidate", "$h", 1, &uid),
                 0);
    CHECK_EQ_INT(store_user_add(s, "u1", "X", "candidate", "$h", 1, NULL),
                 EXAMD_EINVAL);
    store_close(s);

    /* Existing database: reopened, nothing re-applied, data intact. */
    CHECK_EQ_INT(store_open(path, true, &s, msg, sizeof msg), 0);
    CHECK_EQ_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
    struct exam **ex = NULL;
    int n_ex = 0;
    CHECK_EQ_INT(store_exams_load(s, &ex, &n_ex, msg, sizeof msg), 0);
    CHECK_EQ_INT(n_ex, 1);
    struct exam *e = n_ex ? ex[0] : NULL;
    CHECK(e && e->n_pool == 3 && e->pool[1].key == 0x09 && e->pool[1].multi);

    /* The writer: 500 answers, group-committed, then a close that grades
     * from the stored rows (latest per question wins). */
    struct writer *w = NULL;
    CHECK_EQ_INT(
        writer_start(&w, path, true, 100000, on_wake, NULL, msg, sizeof msg),
        0);
    struct wjob *j = wjob_new(WJOB_ATTEMPT_NEW);
    j->att = (struct store_attempt){.id = 1,
                                    .exam_id = exam_id,
                                    .user_id = uid,
                                    .n = 1,
                                    .seed = 7,
                                    .started_ms = 1000,
                                    .deadline_ms = 61000};
    writer_submit(w, j);
    for (int i = 1; i <= 500; i++) {
        j = wjob_new(WJOB_ANSWER);
        j->attempt_id = 1;
        j->seq = i;
        j->qid = e->pool[i % 3].id;
        j->choice = i >= 498 ? e->pool[i % 3].key : 0x02;
        j->server_ms = 2000 + i;
        CHECK_EQ_INT(writer_submit(w, j), 0);
    }
    j = wjob_new(WJOB_CLOSE);
    j->attempt_id = 1;
    j->e = e;
    struct paper_item paper[3];
    CHECK_EQ_INT(paper_assemble(e, 7, paper), 0);
    j->paper = paper;
    j->submitted_ms = 9000;
    snprintf(j->reason, sizeof j->reason, "candidate");
    writer_submit(w, j);
    struct wjob *done = collect(w, 502), *last = NULL;
    int failed = 0, count = 0;
    for (struct wjob *x = done; x; x = x->next) {
        failed += x->rc != 0;
        count++;
        last = x;
    }
    CHECK_EQ_INT(failed, 0);
    CHECK_EQ_INT(count, 502);
    CHECK(last && last->kind == WJOB_CLOSE);
    CHECK(last && last->g.correct == 3 && last->g.score_centi == 1000);
    struct writer_stats st;
    writer_stats_get(w, &st);
    CHECK_EQ_INT(st.jobs, 502);
    CHECK(st.batches >= 1 && st.batches <= 502);
    printf("writer: 502 jobs in %llu transactions\n",
           (unsigned long long)st.batches);
    for (struct wjob *x = done, *nx; x; x = nx) {
        nx = x->next;
        wjob_free(x);
    }
    /* A duplicate seq is ignored, not an error. */
    j = wjob_new(WJOB_ANSWER);
    j->attempt_id = 1;
    j->seq = 5;
    j->qid = e->pool[0].id;
    j->choice = 0x04;
    writer_submit(w, j);
    done = collect(w, 1);
    CHECK_EQ_INT(done->rc, 0);
    wjob_free(done);
    writer_stop(w);

    struct store_attempt a;
    CHECK_EQ_INT(store_attempt_get(s, 1, &a), 0);
    CHECK(!a.running);
    CHECK_EQ_INT(a.correct, 3);
    CHECK_EQ_INT(a.last_seq, 500);
    CHECK(!strcmp(a.reason, "candidate"));
    CHECK_EQ_INT(store_attempt_get(s, 99, &a), EXAMD_ENOTFOUND);

    for (int i = 0; i < n_ex; i++)
        exam_free(ex[i]);
    free(ex);
    store_close(s);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_EQ_INT(system(cmd), 0);
    return check_done("test_store");
}
