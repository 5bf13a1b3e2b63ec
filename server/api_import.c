/*
 * api_import.c — importing a question file through the staff console, and
 * exporting a bank (docs/staff-api.md).
 *
 * An upload is parsed on the worker pool (import_parse: every problem, with
 * its line), then handed to the writer, which adds the questions to the
 * bank in a savepoint: a dry run (the preview) does all of it, duplicates
 * against the bank included, and rolls back; the real import commits. So
 * the preview tells exactly what the import will do, and an import is all
 * or nothing.
 */
#include "api.h"
#include "api_staff.h"
#include "api_users.h"
#include "err.h"
#include "import.h"
#include "store.h"
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_import {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    char *data; /* owned: the file */
    size_t len;
    bool dry_run;
    struct import_opts opts;
    char bank[72];
    char title[256];
    struct import_result res; /* worker thread fills */
    json_t *reply;            /* worker thread builds, writer completes */
};

static void api_import_free(void *arg)
{
    struct api_import *im = arg;
    if (!im)
        return;
    free(im->data);
    import_result_fini(&im->res);
    json_decref(im->reply);
    free(im);
}

static json_t *api_import_issues(const struct import_result *r)
{
    json_t *a = json_array();
    for (int i = 0; i < r->n_issues; i++) {
        const struct import_issue *is = &r->issues[i];
        json_array_append_new(
            a, json_pack("{si sb ss ss ss}", "line", is->line, "skipped",
                         is->skipped, "question", is->question, "vi", is->vi,
                         "en", is->en));
    }
    return a;
}

/* Worker thread: parse and build the reply. */
static void api_import_run(struct work *w)
{
    struct api_import *im = (struct api_import *)w;
    int rc = import_parse(im->data, im->len, &im->opts, &im->res);
    const char *fmt = import_format_name(im->res.format);
    if (rc) {
        im->reply = json_pack(
            "{sb ss ss ss* so}", "ok", 0, "code", err_code(EXAMD_EBADIMPORT),
            "message", err_text(EXAMD_EBADIMPORT), "format", fmt, "issues",
            api_import_issues(&im->res));
        return;
    }
    struct bank *b = im->res.bank;
    if (im->bank[0]) { /* the console names the target bank */
        free(b->name);
        b->name = strdup(im->bank);
    }
    if (im->title[0]) {
        free(b->title);
        b->title = strdup(im->title);
    }
    json_t *qs = json_array();
    for (int i = 0; i < b->n; i++)
        json_array_append_new(qs, api_staff_question(&b->q[i]));
    im->reply = json_pack("{sb sb ss* ss si si so so}", "ok", 1, "dry_run",
                          im->dry_run, "format", fmt, "bank", b->name,
                          "added", b->n, "skipped", im->res.n_skipped,
                          "issues", api_import_issues(&im->res), "questions",
                          qs);
}

/* Writer thread: add the questions (a dry run is rolled back). */
static int api_import_write(struct store *st, struct wjob *j)
{
    struct api_import *im = j->arg;
    const struct bank *b = im->res.bank;
    int *dup = calloc((size_t)b->n + 1, sizeof *dup);
    int64_t *dup_id = calloc((size_t)b->n + 1, sizeof *dup_id), bank_id = 0;
    int n_dup = 0, rc = EXAMD_ENOMEM;
    bool created = false;
    if (dup && dup_id)
        rc = store_bank_add(st, b, j->server_ms, &bank_id, &created, dup,
                            dup_id, &n_dup);
    if (!rc && !im->dry_run) /* a dry run is rolled back: not audited */
        rc = api_audit(st, j, "bank.import",
                       json_pack("{sI ss si sb ss}", "bank_id",
                                 (json_int_t)bank_id, "bank", b->name, "added",
                                 b->n, "new_bank", created, "format",
                                 import_format_name(im->res.format)));
    if (rc == EXAMD_EEXISTS) {
        json_t *issues = json_object_get(im->reply, "issues");
        for (int i = 0; i < n_dup; i++) {
            const struct bank_question *q = &b->q[dup[i]];
            char vi[160], en[160];
            snprintf(vi, sizeof vi, "trùng câu hỏi số %lld đã có trong ngân "
                     "hàng", (long long)dup_id[i]);
            snprintf(en, sizeof en, "repeats question %lld already in the "
                     "bank", (long long)dup_id[i]);
            json_array_append_new(
                issues, json_pack("{si sb ss% ss ss}", "line", q->line,
                                  "skipped", 0, "question", q->text,
                                  strlen(q->text) > 80 ? (size_t)80
                                                       : strlen(q->text),
                                  "vi", vi, "en", en));
        }
        json_object_set_new(im->reply, "ok", json_false());
        json_object_set_new(im->reply, "code",
                            json_string(err_code(EXAMD_EBADIMPORT)));
        json_object_set_new(im->reply, "message",
                            json_string(err_text(EXAMD_EBADIMPORT)));
        json_object_del(im->reply, "questions");
        api_staff_set(j, 422, json_incref(im->reply));
    } else if (rc) {
        api_staff_set(j, 500, json_pack("{sb ss ss}", "ok", 0, "code",
                                        err_code(rc), "message",
                                        err_text(rc)));
    } else {
        json_object_set_new(im->reply, "new_bank", json_boolean(created));
        json_object_set_new(im->reply, "bank_id",
                            json_integer(created && im->dry_run ? 0
                                                                : bank_id));
        api_staff_set(j, 200, json_incref(im->reply));
    }
    free(dup);
    free(dup_id);
    return rc;
}

/* Service thread: parsed; reply now if the file is bad, else write. */
static void api_import_done(struct work *w, void *ctx)
{
    struct api_import *im = (struct api_import *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, im->conn) : NULL;
    if (!c || !im->reply || !im->res.bank) {
        if (c && im->reply) {
            api_staff_json(rt, c, 422, im->reply);
            im->reply = NULL;
        } else if (c) {
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        }
        api_import_free(im);
        return;
    }
    free(im->data); /* the writer needs the bank, not the file */
    im->data = NULL;
    api_staff_submit(rt, c, api_import_write, im, api_import_free,
                     im->dry_run);
}

void api_import_request(struct runtime *rt, struct conn *c)
{
    const char *bank = api_arg(c, "bank"), *title = api_arg(c, "title");
    const char *fmt = api_arg(c, "format"), *skip = api_arg(c, "skip_unsupported");
    const char *dry = api_arg(c, "dry_run");
    int format = fmt && *fmt && strcmp(fmt, "auto") ? import_format_parse(fmt)
                                                    : IMPORT_AUTO;
    if (format < 0) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "format", NULL);
        return;
    }
    if (bank && *bank && !api_staff_name_ok(bank)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "bank",
                       "tên ngắn gồm 1–64 ký tự a-z 0-9 - _ / the short name "
                       "must be 1-64 of a-z 0-9 - _");
        return;
    }
    if (!api_staff_upload_ok(rt, c) || api_workers_busy(rt, c))
        return;
    struct api_import *im = calloc(1, sizeof *im);
    if (!im) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    im->data = api_staff_upload_take(c, &im->len);
    im->dry_run = dry && !strcmp(dry, "1");
    snprintf(im->bank, sizeof im->bank, "%s", bank ? bank : "");
    snprintf(im->title, sizeof im->title, "%s", title ? title : "");
    im->opts.format = format;
    im->opts.skip_unsupported = skip && !strcmp(skip, "1");
    im->opts.bank_name = im->bank[0] ? im->bank : NULL;
    im->opts.title = im->title[0] ? im->title : NULL;
    im->conn = runtime_conn_ref(c);
    im->w.run = api_import_run;
    im->w.done = api_import_done;
    worker_submit(rt->workers, &im->w);
}

void api_export_request(struct runtime *rt, struct conn *c, int64_t bank_id)
{
    const char *fmt = api_arg(c, "format");
    bool gift = fmt && !strcmp(fmt, "gift");
    if (!fmt || (!gift && strcmp(fmt, "native"))) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "format", NULL);
        return;
    }
    struct bank *b;
    int rc = store_bank_read(rt->db, bank_id, &b);
    if (rc) {
        api_fail(rt, c, rc == EXAMD_ENOTFOUND ? 404 : 500, rc);
        return;
    }
    char *t = gift ? export_gift(b) : export_native(b);
    if (!t) {
        bank_free(b);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    c->ctype = gift ? "text/plain; charset=utf-8"
                    : "application/json; charset=utf-8";
    snprintf(c->disposition, sizeof c->disposition,
             "attachment; filename=\"%s.%s\"", b->name,
             gift ? "gift.txt" : "json");
    api_reply(rt, c, 200, t);
    api_audit_submit(rt, c, "bank.export",
                     json_pack("{sI ss ss}", "bank_id", (json_int_t)bank_id,
                               "bank", b->name, "format",
                               gift ? "gift" : "native"));
    free(t);
    bank_free(b);
}
