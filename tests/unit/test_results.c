/* test_results.c — results_read against a real SQLite file: who is on the
 * list, the counted attempt (best, ties to the earliest), order numbers,
 * rounding and bands from exams.grading, raw points, re-opening; who may
 * reach an exam (api_exam_may on store_exam_meta_get's row); a worker's
 * statistics take the title from the row, not the shared exam. */
#include "api_access.h"
#include "api_class.h"
#include "bank.h"
#include "check.h"
#include "err.h"
#include "results.h"
#include "stats.h"
#include "store.h"
#include "store_contest.h"

#include <stdlib.h>
#include <string.h>

/* Four single-answer questions, key option 1 each; points 1, 1, 1, 2. */
static const char bank_json[] =
    "{\"format\":\"examd-bank/1\",\"bank\":\"r\",\"title\":\"R\","
    "\"questions\":["
    "{\"topic\":\"A\",\"difficulty\":\"easy\",\"text\":\"Q1\",\"options\":"
    "[\"a\",\"b\"],\"correct\":[1]},"
    "{\"topic\":\"A\",\"difficulty\":\"easy\",\"text\":\"Q2\",\"options\":"
    "[\"a\",\"b\"],\"correct\":[1]},"
    "{\"topic\":\"A\",\"difficulty\":\"easy\",\"text\":\"Q3\",\"options\":"
    "[\"a\",\"b\"],\"correct\":[1]},"
    "{\"topic\":\"A\",\"difficulty\":\"easy\",\"text\":\"Q4\",\"points\":2,"
    "\"options\":[\"a\",\"b\"],\"correct\":[1]}]}";

static struct store *s;
static int64_t next_attempt = 1;

/* A submitted attempt of uid with the given score, started at t. */
static int64_t attempt(int64_t exam_id, int64_t uid, int n, int score,
                       int64_t t, bool running)
{
    struct store_attempt a = {.id = next_attempt++,
                              .exam_id = exam_id,
                              .user_id = uid,
                              .n = n,
                              .seed = 5,
                              .started_ms = t,
                              .deadline_ms = t + 600000};
    CHECK_EQ_INT(store_attempt_insert(s, &a), 0);
    if (!running)
        CHECK_EQ_INT(store_attempt_close(s, a.id, t + 60000 + n, "candidate",
                                         score / 250, 4, score),
                     0);
    return a.id;
}

static const struct results_row *row_of(const struct results *r,
                                        const char *login)
{
    for (int i = 0; r && i < r->n; i++)
        if (!strcmp(r->rows[i].username, login))
            return &r->rows[i];
    return NULL;
}

int main(void)
{
    char dir[] = "/tmp/examd-results-XXXXXX", path[128], msg[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/examd.db", dir);
    CHECK_EQ_INT(store_open(path, true, &s, msg, sizeof msg), 0);
    struct bank *b =
        bank_parse(bank_json, sizeof bank_json - 1, msg, sizeof msg);
    int64_t bank_id = 0, exam_id = 0, trainer = 0, class_id = 0;
    CHECK(b != NULL);
    CHECK_EQ_INT(store_bank_import(s, b, 1, &bank_id, msg, sizeof msg), 0);
    bank_free(b);
    struct store_exam_spec sp = {.title = "Cuối khoá",
                                 .description = "",
                                 .bank = "r",
                                 .n_paper = 4,
                                 .duration_s = 600,
                                 .attempts = 3,
                                 .random_selection = true};
    CHECK_EQ_INT(store_exam_create(s, &sp, 1, &exam_id, NULL, msg, sizeof msg),
                 0);
    CHECK_EQ_INT(
        store_user_add(s, "gv", "Giảng viên", "trainer", "$h", 1, &trainer), 0);
    CHECK_EQ_INT(store_class_create(s, "Lớp", trainer, 0, 1, &class_id), 0);
    CHECK_EQ_INT(store_exam_owner_set(s, exam_id, trainer, class_id), 0);
    /* Members: An (Trần Văn An), Bình (Lê Thị Bình), Anh (Nguyễn Anh),
     * Chi (Đỗ Chi, never attempts); an outsider attempts too. */
    const char *logins[] = {"an", "binh", "anh", "chi"};
    const char *names[] = {"Trần Văn An", "Lê Thị Bình", "Nguyễn Anh",
                           "Đỗ Chi"};
    int64_t uid[5] = {0};
    for (int i = 0; i < 4; i++) {
        struct store_new_member m = {logins[i],
                                     names[i],
                                     "2000-01-0"
                                     "1",
                                     "",
                                     "$h",
                                     0};
        CHECK_EQ_INT(store_member_add(s, class_id, &m, 1, &uid[i]), 0);
    }
    CHECK_EQ_INT(
        store_user_add(s, "out", "Zô Út", "candidate", "$h", 1, &uid[4]), 0);
    /* An: 6.37 then 8.00 then 8.00 again: the second counts. */
    attempt(exam_id, uid[0], 1, 637, 1000, false);
    int64_t an2 = attempt(exam_id, uid[0], 2, 800, 2000, false);
    attempt(exam_id, uid[0], 3, 800, 3000, false);
    /* Bình: 4.88, then one running. */
    int64_t binh1 = attempt(exam_id, uid[1], 1, 488, 1000, false);
    attempt(exam_id, uid[1], 2, 0, 5000, true);
    /* Anh: 9.00 with answers: Q1..Q3 right, Q4 wrong = 3 of 5 points. */
    int64_t anh = attempt(exam_id, uid[2], 1, 900, 1000, true);
    struct exam *e = NULL;
    CHECK_EQ_INT(store_exam_load(s, exam_id, &e), 0);
    for (int q = 0; e && q < 4; q++)
        CHECK_EQ_INT(store_answer_insert(s, anh, q + 1, e->pool[q].id,
                                         q < 3 ? 0x02 : 0x01, false, 1500),
                     0);
    CHECK_EQ_INT(store_attempt_close(s, anh, 61000, "deadline", 3, 4, 900), 0);
    attempt(exam_id, uid[4], 1, 1000, 1000, false);

    /* Defaults, whole exam: the class and the outsider. */
    struct results *r = NULL;
    CHECK_EQ_INT(results_read(s, NULL, exam_id, 0, &r), 0);
    CHECK(r && r->n == 5 && !strcmp(r->title, "Cuối khoá"));
    /* by given name: An, Anh, Bình, Chi, Út */
    const char *order[] = {"an", "anh", "binh", "chi", "out"};
    for (int i = 0; r && i < 5 && i < r->n; i++) {
        CHECK(!strcmp(r->rows[i].username, order[i]));
        CHECK_EQ_INT(r->rows[i].order, i + 1);
    }
    const struct results_row *x = row_of(r, "an");
    CHECK(x && x->counted && x->attempts == 3 && x->attempt_id == an2 &&
          x->attempt_n == 2 && x->score_centi == 800 && x->taken_ms == 60002);
    CHECK(x && !strcmp(results_band_name(r, x, false), "Giỏi"));
    x = row_of(r, "binh");
    CHECK(x && x->attempts == 2 && x->running && x->attempt_id == binh1 &&
          !x->passed && x->band == 4);
    x = row_of(r, "anh");
    CHECK(x && x->points == 3.0 && x->points_max == 5.0 &&
          x->percent_tenths == 900 && !strcmp(x->reason, "deadline"));
    CHECK(x && !strcmp(results_band_name(r, x, true), "Excellent"));
    x = row_of(r, "chi");
    CHECK(x && !x->counted && x->attempts == 0 &&
          !strcmp(x->birth, "2000-01-01") &&
          !strcmp(results_band_name(r, x, false), ""));
    CHECK(r && r->n_counted == 4 && r->n_passed == 3);
    /* mean of 8.00, 4.88, 9.00, 10.00 = 7.97 */
    CHECK(r && r->avg_rounded_centi == 797);
    results_free(r);

    /* A step rounds the exact points regraded from the answers, never the
     * stored score again (grading.h): Anh's 3 of 5 points are 6.00 whatever
     * the row says; Bình has no answer on record: 0 points, 0.00. */
    CHECK_EQ_INT(store_exam_grading_set(s, exam_id, "{\"rounding\":0.25}"), 0);
    CHECK_EQ_INT(results_read(s, e, exam_id, class_id, &r), 0);
    CHECK(r && r->n == 4 && !row_of(r, "out")); /* the class only */
    x = row_of(r, "binh");
    CHECK(x && x->score_centi == 488 && x->rounded_centi == 0 && !x->passed);
    x = row_of(r, "anh");
    CHECK(x && x->score_centi == 900 && x->rounded_centi == 600 && x->passed &&
          !strcmp(results_band_name(r, x, false), "Trung bình"));
    results_free(r);

    /* Re-opening: back to running, score cleared, no longer counted; the
     * grant kept, the time since the submission paused. */
    struct store_attempt sa;
    CHECK_EQ_INT(store_attempt_get(s, an2, &sa), 0);
    int64_t sub = sa.submitted_ms;
    CHECK(sa.reopen_deadline_ms == 0 && sa.paused_ms == 0);
    CHECK_EQ_INT(store_attempt_reopen(s, binh1, 99000, 99500, sub + 7000),
                 EXAMD_ERUNNING);
    CHECK_EQ_INT(store_attempt_reopen(s, an2, 99000, 99500, sub + 7000), 0);
    CHECK_EQ_INT(store_attempt_reopen(s, an2, 99000, 99500, sub + 7000),
                 EXAMD_ECLOSED);
    CHECK_EQ_INT(store_attempt_get(s, an2, &sa), 0);
    CHECK(sa.running && sa.deadline_ms == 99000 && sa.score_centi == 0);
    CHECK(sa.reopen_deadline_ms == 99500 && sa.paused_ms == 7000);
    CHECK_EQ_INT(results_read(s, e, exam_id, 0, &r), 0);
    x = row_of(r, "an");
    CHECK(x && x->running && x->attempt_n == 3 && x->score_centi == 800);
    results_free(r);
    CHECK_EQ_INT(results_read(s, NULL, exam_id + 1, 0, &r), EXAMD_ENOTFOUND);

    /* Statistics on a worker: the title is the row's even when the shared
     * exam's was changed (the service thread frees it on a rename). */
    free(e->title);
    e->title = strdup("stale");
    json_t *js = NULL;
    CHECK_EQ_INT(stats_exam_json(s, e, false, &js, msg, sizeof msg), 0);
    CHECK(js && !strcmp(json_string_value(json_object_get(
                            json_object_get(js, "exam"), "title")),
                        "Cuối khoá"));
    json_decref(js);

    /* Who may reach the trainer's exam, then a contest round. */
    int64_t org = 0, org2 = 0, trainer2 = 0, admin = 0, contest = 0;
    CHECK_EQ_INT(store_user_add(s, "tc", "Tổ chức", "organiser", "$h", 1, &org),
                 0);
    CHECK_EQ_INT(
        store_user_add(s, "tc2", "Tổ chức 2", "organiser", "$h", 1, &org2), 0);
    CHECK_EQ_INT(
        store_user_add(s, "gv2", "Giảng viên 2", "trainer", "$h", 1, &trainer2),
        0);
    CHECK_EQ_INT(store_user_add(s, "qt", "Quản trị", "admin", "$h", 1, &admin),
                 0);
    struct staff_who w_tr = {trainer, "trainer"}, w_tr2 = {trainer2, "trainer"},
                     w_org = {org, "organiser"}, w_org2 = {org2, "organiser"},
                     w_adm = {admin, "admin"};
    struct store_exam_meta m;
    CHECK_EQ_INT(store_exam_meta_get(s, exam_id, &m), 0);
    CHECK(m.contest_id == 0 && m.owner_id == trainer);
    CHECK(api_exam_may(&w_tr, &m) && !api_exam_may(&w_tr2, &m));
    CHECK(api_exam_may(&w_org, &m) && api_exam_may(&w_org2, &m) &&
          api_exam_may(&w_adm, &m));
    store_exam_meta_fini(&m);
    struct store_contest k = {
        .owner_id = org, .title = (char *)"Hội thi", .description = (char *)""};
    CHECK_EQ_INT(store_contest_create(s, &k, &contest), 0);
    int64_t round_id = 0;
    sp.title = "Vòng 1";
    CHECK_EQ_INT(store_exam_create(s, &sp, 1, &round_id, NULL, msg, sizeof msg),
                 0);
    CHECK_EQ_INT(store_exam_owner_set(s, round_id, trainer, 0), 0);
    struct store_round rd = {
        .contest_id = contest, .round_no = 1, .prizes = (char *)"[]"};
    CHECK_EQ_INT(store_round_set(s, round_id, &rd), 0);
    CHECK_EQ_INT(store_exam_meta_get(s, round_id, &m), 0);
    CHECK(m.contest_id == contest && m.contest_owner_id == org);
    /* the contest's owner and admins; not another organiser, nor even the
     * trainer recorded as its publisher */
    CHECK(api_exam_may(&w_org, &m) && api_exam_may(&w_adm, &m));
    CHECK(!api_exam_may(&w_org2, &m) && !api_exam_may(&w_tr, &m) &&
          !api_exam_may(&w_tr2, &m));
    store_exam_meta_fini(&m);
    exam_free(e);
    store_close(s);
    return check_done("test_results");
}
