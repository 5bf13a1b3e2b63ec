/*
 * report.c — the three export kinds as sheets (report.h).
 *
 * Column ids are English (JSON keys, stable); column titles are the
 * Vietnamese headings a committee's paperwork uses. Scores are the
 * 10-point scale with two decimals.
 */
#include "report.h"

#include "err.h"

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
        e |= sheet_set_text(s, 6, a->reason) |
             sheet_set_time(s, 8, a->submitted_ms) |
             sheet_set_int(s, 9,
                           (a->submitted_ms - a->started_ms + 500) / 1000) |
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

/* ---- roster: one row per candidate ---- */

static const struct report_col report_roster_cols[] = {
    {"order", "STT", SHEET_INTEGER, 0},
    {"name", "Họ và tên", SHEET_TEXT, 0},
    {"username", "Tên đăng nhập", SHEET_TEXT, 0},
    {"birth_date", "Ngày sinh", SHEET_DATE, 0},
    {"unit", "Đơn vị", SHEET_TEXT, 0},
    {"attempts", "Số lần thi", SHEET_INTEGER, 0},
    {"score", "Điểm", SHEET_DECIMAL, 2},
    {"classification", "Xếp loại", SHEET_TEXT, 0},
    {"passed", "Đạt", SHEET_BOOL, 0},
};

/* One candidate of the roster, as the roster's source gives it. */
struct report_line {
    int order;
    const char *name, *username, *birth, *unit, *band;
    int attempts;
    bool counted; /* a submitted attempt counts: score, band, passed */
    int score_centi;
    bool passed;
};

static int report_roster_add(struct sheet *s, const struct report_line *l)
{
    if (sheet_row_add(s))
        return EXAMD_ENOMEM;
    sheet_set_int(s, 0, l->order);
    sheet_set_text(s, 1, l->name);
    sheet_set_text(s, 2, l->username);
    if (l->birth && *l->birth)
        sheet_set_text(s, 3, l->birth);
    sheet_set_text(s, 4, l->unit);
    sheet_set_int(s, 5, l->attempts);
    if (l->counted) {
        sheet_set_number(s, 6, l->score_centi / 100.0);
        sheet_set_text(s, 7, l->band);
        sheet_set_bool(s, 8, l->passed);
    }
    return 0;
}

/* Until the results reader lands: the best submitted attempt of each
 * candidate, from the attempt list. */
struct report_best {
    struct report_line *l;
    int n, cap;
};

static int report_best_row(void *arg, const struct store_attempt_row *r)
{
    struct report_best *b = arg;
    int i;
    for (i = 0; i < b->n; i++)
        if (!strcmp(b->l[i].username, r->username))
            break;
    if (i == b->n) {
        if (b->n == b->cap) {
            int cap = b->cap ? b->cap * 2 : 32;
            struct report_line *nl = realloc(b->l, (size_t)cap * sizeof *nl);
            if (!nl)
                return EXAMD_ENOMEM;
            b->l = nl, b->cap = cap;
        }
        b->l[b->n++] = (struct report_line){.order = b->n,
                                            .name = strdup(r->name),
                                            .username = strdup(r->username),
                                            .unit = strdup(r->unit),
                                            .band = ""};
    }
    struct report_line *l = &b->l[i];
    l->attempts++;
    if (!r->a.running && (!l->counted || r->a.score_centi > l->score_centi)) {
        l->counted = true;
        l->score_centi = r->a.score_centi;
        l->passed = r->a.score_centi >= 500;
    }
    return l->name && l->username && l->unit ? 0 : EXAMD_ENOMEM;
}

static int report_roster(struct store *st, int64_t exam_id, int64_t class_id,
                         struct sheet **out, int *n)
{
    struct sheet *s =
        report_sheet("roster", "Danh sách", report_roster_cols,
                     sizeof report_roster_cols / sizeof *report_roster_cols);
    struct report_best b = {0};
    int rc =
        s ? store_exam_attempt_rows(st, exam_id, class_id, report_best_row, &b)
          : EXAMD_ENOMEM;
    for (int i = 0; !rc && i < b.n; i++)
        rc = report_roster_add(s, &b.l[i]);
    for (int i = 0; i < b.n; i++) {
        free((char *)b.l[i].name);
        free((char *)b.l[i].username);
        free((char *)b.l[i].unit);
    }
    free(b.l);
    if (rc) {
        sheet_free(s);
        return rc;
    }
    out[0] = s;
    *n = 1;
    return 0;
}

/* ---- stats ---- */

static int report_stats(struct store *st, int64_t exam_id, int64_t class_id,
                        struct sheet **out, int *n)
{
    /* until the statistics module lands: the attempts' scores only */
    return report_results(st, exam_id, class_id, out, n);
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
    int rc = store_exam_title(s, exam_id, &out->title);
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
