/*
 * report.c — the three export kinds as sheets (report.h).
 *
 * Column ids are English (JSON keys, stable); column titles are the
 * Vietnamese headings a committee's paperwork uses. Scores are the
 * 10-point scale with two decimals.
 */
#include "report.h"

#include "err.h"
#include "results.h"
#include "stats.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int report_kind_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "roster"))
        return REPORT_ROSTER;
    if (!strcmp(name, "results"))
        return REPORT_RESULTS;
    if (!strcmp(name, "stats"))
        return REPORT_STATS;
    return -1;
}

const char *report_kind_name(enum report_kind k)
{
    return k == REPORT_ROSTER    ? "roster"
           : k == REPORT_RESULTS ? "results"
                                 : "stats";
}

/* A column list for sheet_col_add. */
struct report_col {
    const char *id, *title;
    enum sheet_kind kind;
    int places;
};

/* A new sheet with these columns, or NULL on malloc failure. */
static struct sheet *report_sheet(const char *id, const char *title,
                                  const struct report_col *cols, int n)
{
    struct sheet *s = sheet_new(id, title);
    for (int i = 0; s && i < n; i++)
        if (sheet_col_add(s, cols[i].id, cols[i].title, cols[i].kind,
                          cols[i].places) < 0) {
            sheet_free(s);
            return NULL;
        }
    return s;
}

/* ---- results: every attempt ---- */

static const struct report_col report_results_cols[] = {
    {"attempt_id", "Mã lượt", SHEET_INTEGER, 0},
    {"username", "Tên đăng nhập", SHEET_TEXT, 0},
    {"name", "Họ và tên", SHEET_TEXT, 0},
    {"unit", "Đơn vị", SHEET_TEXT, 0},
    {"attempt", "Lần thi", SHEET_INTEGER, 0},
    {"state", "Trạng thái", SHEET_TEXT, 0},
    {"reason", "Kết thúc do", SHEET_TEXT, 0},
    {"started", "Bắt đầu", SHEET_TIME, 0},
    {"submitted", "Nộp bài", SHEET_TIME, 0},
    {"time_s", "Thời gian làm bài (giây)", SHEET_INTEGER, 0},
    {"correct", "Số câu đúng", SHEET_INTEGER, 0},
    {"total", "Số câu", SHEET_INTEGER, 0},
    {"score", "Điểm", SHEET_DECIMAL, 2},
};

static int report_results_row(void *arg, const struct store_attempt_row *r)
{
    struct sheet *s = arg;
    const struct store_attempt *a = &r->a;
    int rc = sheet_row_add(s);
    if (rc)
        return rc;
    int e = sheet_set_int(s, 0, a->id) | sheet_set_text(s, 1, r->username) |
            sheet_set_text(s, 2, r->name) | sheet_set_text(s, 3, r->unit) |
            sheet_set_int(s, 4, a->n) |
            sheet_set_text(s, 5, a->running ? "running" : "submitted") |
            sheet_set_time(s, 7, a->started_ms);
    if (!a->running)
        e |=
            sheet_set_text(s, 6, a->reason) |
            sheet_set_time(s, 8, a->submitted_ms) |
            sheet_set_int(
                s, 9,
                (a->submitted_ms - a->started_ms - a->paused_ms + 500) / 1000) |
            sheet_set_int(s, 10, a->correct) | sheet_set_int(s, 11, a->total) |
            sheet_set_number(s, 12, a->score_centi / 100.0);
    return e ? EXAMD_ENOMEM : 0;
}

static int report_results(struct store *st, int64_t exam_id, int64_t class_id,
                          struct sheet **out, int *n)
{
    struct sheet *s =
        report_sheet("results", "Các lượt thi", report_results_cols,
                     sizeof report_results_cols / sizeof *report_results_cols);
    if (!s)
        return EXAMD_ENOMEM;
    int rc =
        store_exam_attempt_rows(st, exam_id, class_id, report_results_row, s);
    if (rc) {
        sheet_free(s);
        return rc;
    }
    out[0] = s;
    *n = 1;
    return 0;
}

/* ---- roster: one row per candidate (results.h) ---- */

static const struct report_col report_roster_cols[] = {
    {"order", "STT", SHEET_INTEGER, 0},
    {"name", "Họ và tên", SHEET_TEXT, 0},
    {"username", "Tên đăng nhập", SHEET_TEXT, 0},
    {"birth_date", "Ngày sinh", SHEET_DATE, 0},
    {"unit", "Đơn vị", SHEET_TEXT, 0},
    {"attempts", "Số lần thi", SHEET_INTEGER, 0},
    {"correct", "Số câu đúng", SHEET_INTEGER, 0},
    {"total", "Số câu", SHEET_INTEGER, 0},
    {"score", "Điểm", SHEET_DECIMAL, 2},
    {"classification", "Xếp loại", SHEET_TEXT, 0},
    {"passed", "Đạt", SHEET_BOOL, 0},
};

static int report_roster_row(struct sheet *s, const struct results *res,
                             const struct results_row *r)
{
    if (sheet_row_add(s))
        return EXAMD_ENOMEM;
    int e = sheet_set_int(s, 0, r->order) | sheet_set_text(s, 1, r->name) |
            sheet_set_text(s, 2, r->username) |
            (r->birth[0] ? sheet_set_text(s, 3, r->birth) : 0) |
            sheet_set_text(s, 4, r->unit_name) |
            sheet_set_int(s, 5, r->attempts);
    if (r->counted) /* the score as shown: rounded to the exam's step */
        e |= sheet_set_int(s, 6, r->correct) | sheet_set_int(s, 7, r->total) |
             sheet_set_number(s, 8, r->rounded_centi / 100.0) |
             sheet_set_text(s, 9, results_band_name(res, r, false)) |
             sheet_set_bool(s, 10, r->passed);
    return e ? EXAMD_ENOMEM : 0;
}

static int report_roster(struct store *st, int64_t exam_id, int64_t class_id,
                         struct sheet **out, int *n)
{
    struct results *res = NULL;
    int rc = results_read(st, NULL, exam_id, class_id, &res);
    if (rc)
        return rc;
    struct sheet *s =
        report_sheet("roster", "Danh sách", report_roster_cols,
                     sizeof report_roster_cols / sizeof *report_roster_cols);
    rc = s ? 0 : EXAMD_ENOMEM;
    for (int i = 0; !rc && i < res->n; i++)
        rc = report_roster_row(s, res, &res->rows[i]);
    results_free(res);
    if (rc) {
        sheet_free(s);
        return rc;
    }
    out[0] = s;
    *n = 1;
    return 0;
}

/* ---- stats: the questions and the test (stats.h) ---- */

#define REPORT_OPTIONS 6 /* option count columns; more are summed in none */

static const struct report_col report_items_cols[] = {
    {"no", "Câu", SHEET_INTEGER, 0},
    {"id", "Mã câu hỏi", SHEET_INTEGER, 0},
    {"text", "Nội dung", SHEET_TEXT, 0},
    {"correct", "Đáp án", SHEET_TEXT, 0},
    {"s", "Số lượt có câu", SHEET_INTEGER, 0},
    {"facility", "Độ dễ (%)", SHEET_DECIMAL, 2},
    {"sd", "Độ lệch chuẩn (%)", SHEET_DECIMAL, 2},
    {"discrimination", "Độ phân biệt (%)", SHEET_DECIMAL, 2},
    {"efficiency", "Hiệu quả phân biệt (%)", SHEET_DECIMAL, 2},
    {"option_a", "Chọn A", SHEET_INTEGER, 0},
    {"option_b", "Chọn B", SHEET_INTEGER, 0},
    {"option_c", "Chọn C", SHEET_INTEGER, 0},
    {"option_d", "Chọn D", SHEET_INTEGER, 0},
    {"option_e", "Chọn E", SHEET_INTEGER, 0},
    {"option_f", "Chọn F", SHEET_INTEGER, 0},
    {"blank", "Bỏ trống", SHEET_INTEGER, 0},
    {"flags", "Cảnh báo", SHEET_TEXT, 0},
};

static const struct report_col report_test_cols[] = {
    {"figure", "Chỉ số", SHEET_TEXT, 0},
    {"name", "Tên", SHEET_TEXT, 0},
    {"value", "Giá trị", SHEET_DECIMAL, 2},
};

/* A JSON number into cell col (null leaves it empty). */
static int report_num(struct sheet *s, int col, const json_t *v)
{
    return json_is_number(v) ? sheet_set_number(s, col, json_number_value(v))
                             : 0;
}

static int report_item_row(struct sheet *s, int no, const json_t *q)
{
    char key[16] = "", flags[64] = "";
    size_t i, k = 0;
    const json_t *o, *f;
    json_array_foreach(json_object_get(q, "options"), i, o)
    {
        if (json_is_true(json_object_get(o, "correct")) && k + 1 < sizeof key)
            key[k++] = (char)('A' + i);
    }
    key[k] = '\0';
    json_array_foreach(json_object_get(q, "flags"), i, f)
    {
        size_t fl = strlen(flags);
        snprintf(flags + fl, sizeof flags - fl, "%s%s", fl ? ", " : "",
                 json_string_value(f) ? json_string_value(f) : "");
    }
    if (sheet_row_add(s))
        return EXAMD_ENOMEM;
    int e =
        sheet_set_int(s, 0, no) |
        sheet_set_int(s, 1, json_integer_value(json_object_get(q, "id"))) |
        sheet_set_text(s, 2, json_string_value(json_object_get(q, "text"))) |
        sheet_set_text(s, 3, key) |
        sheet_set_int(s, 4, json_integer_value(json_object_get(q, "s"))) |
        report_num(s, 5, json_object_get(q, "facility")) |
        report_num(s, 6, json_object_get(q, "sd")) |
        report_num(s, 7, json_object_get(q, "discrimination")) |
        report_num(s, 8, json_object_get(q, "efficiency")) |
        sheet_set_int(s, 15, json_integer_value(json_object_get(q, "blank"))) |
        sheet_set_text(s, 16, flags);
    json_array_foreach(json_object_get(q, "options"), i, o)
    {
        if (i < REPORT_OPTIONS)
            e |= sheet_set_int(s, 9 + (int)i,
                               json_integer_value(json_object_get(o, "count")));
    }
    return e ? EXAMD_ENOMEM : 0;
}

static int report_test_rows(struct sheet *s, const json_t *t)
{
    static const char *const figs[][2] = {
        {"n", "Số bài"},
        {"mean", "Điểm trung bình (%)"},
        {"median", "Trung vị (%)"},
        {"sd", "Độ lệch chuẩn (%)"},
        {"skewness", "Độ lệch (skewness)"},
        {"kurtosis", "Độ nhọn (kurtosis)"},
        {"cic", "Hệ số nhất quán nội tại (%)"},
        {"error_ratio", "Tỉ lệ sai số (%)"},
        {"standard_error", "Sai số chuẩn (%)"},
        {"max_points", "Điểm tối đa của đề"},
    };
    int e = 0;
    for (size_t i = 0; i < sizeof figs / sizeof *figs; i++) {
        if (sheet_row_add(s))
            return EXAMD_ENOMEM;
        e |= sheet_set_text(s, 0, figs[i][0]) |
             sheet_set_text(s, 1, figs[i][1]) |
             report_num(s, 2, json_object_get(t, figs[i][0]));
    }
    size_t i;
    const json_t *h;
    json_array_foreach(json_object_get(t, "histogram"), i, h)
    {
        char id[32], name[96];
        int k = (int)i % 100;
        snprintf(id, sizeof id, "histogram_%d", k);
        snprintf(name, sizeof name, "Số bài có điểm từ %d đến %s%d", k,
                 k == 9 ? "" : "dưới ", k + 1);
        if (sheet_row_add(s))
            return EXAMD_ENOMEM;
        e |= sheet_set_text(s, 0, id) | sheet_set_text(s, 1, name) |
             report_num(s, 2, h);
    }
    return e ? EXAMD_ENOMEM : 0;
}

static int report_stats(struct store *st, int64_t exam_id, int64_t class_id,
                        struct sheet **out, int *n)
{
    (void)class_id; /* statistics are of the whole exam */
    struct exam *e = NULL;
    json_t *j = NULL;
    char msg[256];
    int rc = store_exam_load(st, exam_id, &e);
    if (!rc)
        rc = stats_exam_json(st, e, false, &j, msg, sizeof msg);
    exam_free(e);
    if (rc)
        return rc;
    struct sheet *items =
        report_sheet("questions", "Câu hỏi", report_items_cols,
                     sizeof report_items_cols / sizeof *report_items_cols);
    struct sheet *test =
        report_sheet("test", "Chỉ số của đề", report_test_cols,
                     sizeof report_test_cols / sizeof *report_test_cols);
    rc = items && test ? 0 : EXAMD_ENOMEM;
    size_t i;
    const json_t *q;
    json_array_foreach(json_object_get(j, "questions"), i, q)
    {
        if (!rc)
            rc = report_item_row(items, (int)i + 1, q);
    }
    if (!rc)
        rc = report_test_rows(test, json_object_get(j, "test"));
    json_decref(j);
    if (rc) {
        sheet_free(items);
        sheet_free(test);
        return rc;
    }
    out[0] = items;
    out[1] = test;
    *n = 2;
    return 0;
}

/* ---- the file ---- */

int report_make(struct store *s, enum report_kind kind, int64_t exam_id,
                int64_t class_id, enum sheet_format f, const char *tmpdir,
                const struct sign_key *key, int64_t now_ms,
                struct report_file *out, char *msg, size_t msglen)
{
    static int (*const make[])(struct store *, int64_t, int64_t,
                               struct sheet **, int *) = {
        report_roster, report_results, report_stats};
    struct sheet *sheets[4] = {0};
    int n = 0;
    memset(out, 0, sizeof *out);
    msg[0] = '\0';
    struct store_exam_meta meta;
    int rc = store_exam_meta_get(s, exam_id, &meta);
    if (rc == 0) {
        out->title = meta.title;
        meta.title = NULL;
        store_exam_meta_fini(&meta);
    }
    if (rc == 0)
        rc = make[kind](s, exam_id, class_id, sheets, &n);
    if (rc == 0) {
        out->rows = sheet_rows(sheets[0]);
        rc = sheet_write(sheets, n, f, tmpdir, &out->data, &out->len, msg,
                         msglen);
    }
    for (int i = 0; i < n; i++)
        sheet_free(sheets[i]);
    if (rc == 0) {
        char cls[32] = "";
        if (class_id > 0)
            snprintf(cls, sizeof cls, "-class%lld", (long long)class_id);
        snprintf(out->name, sizeof out->name, "%s-exam%lld%s.%s",
                 report_kind_name(kind), (long long)exam_id, cls,
                 sheet_format_ext(f));
        if (key && !(out->sig = sign_file_make(key, out->data, out->len,
                                               out->name, now_ms)))
            rc = EXAMD_ENOMEM;
    }
    if (rc && !msg[0])
        snprintf(msg, msglen, "%s",
                 rc == EXAMD_ENOTFOUND ? "no such exam" : "cannot read");
    if (rc)
        report_file_fini(out);
    return rc;
}

void report_file_fini(struct report_file *out)
{
    free(out->data);
    free(out->sig);
    free(out->title);
    memset(out, 0, sizeof *out);
}
