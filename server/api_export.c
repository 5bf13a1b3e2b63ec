/*
 * api_export.c — GET /api/staff/exams/ID/export/KIND and GET
 * /api/staff/signing-key (docs/staff-api.md, docs/exports.md).
 *
 * The service thread checks the request (role, ownership, arguments) and
 * hands the export to a worker: report_make reads the whole exam with a
 * store connection of the worker's own and builds the file, so a contest
 * of thousands never holds up the event loop. The reply is the file
 * itself, or with sign=1 a JSON envelope holding the file (base64) and
 * its signature file, so the two always belong together (an XLSX made
 * twice differs in its timestamps). Every export is audited.
 */
#include "api.h"
#include "api_access.h"
#include "api_class.h"
#include "api_staff.h"
#include "api_users.h"
#include "clock.h"
#include "err.h"
#include "report.h"
#include "transport.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_PREFIX "/api/staff/exams/"

/* One export: the worker job. */
struct export_job {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    const struct runtime *rt; /* cfg and sign_key: read-only after start */
    enum report_kind kind;
    int64_t exam_id, class_id;
    enum sheet_format format;
    bool sign;
    /* worker thread sets */
    int rc;
    char msg[256];
    struct report_file file;
    char *envelope; /* sign=1: the JSON reply */
};

/* ---- routing ---- */

bool api_exam_export_path(const char *path)
{
    return !strcmp(path, "/api/staff/signing-key") ||
           (!strncmp(path, EXPORT_PREFIX, strlen(EXPORT_PREFIX)) &&
            strstr(path, "/export/"));
}

/* "/api/staff/exams/ID/export/KIND": id and kind, or false. */
static bool export_parse(const char *path, int64_t *id, int *kind)
{
    long long x;
    int n = 0;
    const char *p = path + strlen(EXPORT_PREFIX);
    if (sscanf(p, "%lld%n", &x, &n) != 1 || x < 1 ||
        strncmp(p + n, "/export/", 8))
        return false;
    *id = x;
    *kind = report_kind_parse(p + n + 8);
    return *kind >= 0;
}

/* ---- the worker ---- */

/* The sign=1 reply: {"ok", "name", "type", "data" (base64), "sig_name",
 * "sig", "rows", "title" (the exam's)}; NULL on malloc failure. */
static char *export_envelope(const struct report_file *f, enum sheet_format fm)
{
    size_t bl =
        sodium_base64_ENCODED_LEN(f->len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(bl), *out = NULL, sig_name[112];
    if (!b64)
        return NULL;
    sodium_bin2base64(b64, bl, (const unsigned char *)f->data, f->len,
                      sodium_base64_VARIANT_ORIGINAL);
    snprintf(sig_name, sizeof sig_name, "%s.sig", f->name);
    json_t *o =
        json_pack("{sb ss ss ss ss ss si ss}", "ok", 1, "name", f->name, "type",
                  sheet_format_mime(fm), "data", b64, "sig_name", sig_name,
                  "sig", f->sig, "rows", f->rows, "title", f->title);
    free(b64);
    if (o)
        out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}

/* Worker thread. */
static void export_run(struct work *w)
{
    struct export_job *x = (struct export_job *)w;
    struct store *st = NULL;
    x->rc = store_open(x->rt->cfg->db_path, false, &st, x->msg, sizeof x->msg);
    if (!x->rc)
        x->rc = report_make(st, x->kind, x->exam_id, x->class_id, x->format,
                            NULL, x->sign ? &x->rt->sign_key : NULL,
                            clock_now_ms(), &x->file, x->msg, sizeof x->msg);
    store_close(st);
    if (!x->rc && x->sign &&
        !(x->envelope = export_envelope(&x->file, x->format)))
        x->rc = EXAMD_ENOMEM;
    if (!x->rc && (x->envelope ? strlen(x->envelope) : x->file.len) >
                      TRANSPORT_OUT_MAX - 4096)
        x->rc = EXAMD_ETOOLARGE;
}

static void export_free(struct export_job *x)
{
    report_file_fini(&x->file);
    free(x->envelope);
    free(x);
}

/* The Content-Disposition of f: an ASCII name and a Vietnamese one
 * (RFC 6266 filename*, percent-encoded UTF-8). */
static void export_disposition(struct conn *c, const struct export_job *x)
{
    static const char *const vi[] = {"bảng-điểm", "các-lượt-thi", "thống-kê"};
    char name[80], enc[160];
    size_t e = 0;
    snprintf(name, sizeof name, "%s-%lld.%s%s", vi[x->kind],
             (long long)x->exam_id, sheet_format_ext(x->format),
             x->sign ? ".json" : "");
    for (const unsigned char *p = (const unsigned char *)name;
         *p && e + 4 < sizeof enc; p++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-.", *p))
            enc[e++] = (char)*p;
        else
            e += (size_t)snprintf(enc + e, sizeof enc - e, "%%%02X", *p);
    }
    enc[e] = '\0';
    int n = snprintf(c->disposition, sizeof c->disposition,
                     "attachment; filename=\"%s%s\"; filename*=UTF-8''%s",
                     x->file.name, x->sign ? ".json" : "", enc);
    if (n < 0 || (size_t)n >= sizeof c->disposition) /* ASCII only */
        snprintf(c->disposition, sizeof c->disposition,
                 "attachment; filename=\"%.100s%s\"", x->file.name,
                 x->sign ? ".json" : "");
}

/* Service thread. */
static void export_done(struct work *w, void *ctx)
{
    struct export_job *x = (struct export_job *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, x->conn) : NULL;
    if (!c) {
        export_free(x);
        return;
    }
    if (x->rc == EXAMD_ENOTFOUND) {
        api_staff_fail(rt, c, 404, x->rc, "exam",
                       "không có kỳ thi này / no such exam");
    } else if (x->rc == EXAMD_ETOOLARGE) {
        api_staff_fail(rt, c, 413, x->rc, "format",
                       "tệp quá lớn, hãy xuất theo lớp hoặc dạng CSV / the "
                       "file is too large: export one class, or as CSV");
    } else if (x->rc) {
        fprintf(stderr, "examd: export of exam %lld failed: %s\n",
                (long long)x->exam_id, x->msg);
        api_fail(rt, c, 500, x->rc);
    } else {
        c->status = 200;
        c->ctype = x->sign ? "application/json" : sheet_format_mime(x->format);
        export_disposition(c, x);
        transport_send(rt, c, x->envelope ? x->envelope : x->file.data,
                       x->envelope ? strlen(x->envelope) : x->file.len);
        api_audit_submit(rt, c, "exam.export",
                         json_pack("{sI sI ss ss sb si}", "exam_id",
                                   (json_int_t)x->exam_id, "class_id",
                                   (json_int_t)x->class_id, "kind",
                                   report_kind_name(x->kind), "format",
                                   sheet_format_ext(x->format), "signed",
                                   x->sign, "rows", x->file.rows));
    }
    export_free(x);
}

/* ---- the request ---- */

static void export_signing_key(struct runtime *rt, struct conn *c)
{
    char b64[SIGN_PK_B64], fp[SIGN_FP_LEN];
    sign_pk_b64(rt->sign_key.pk, b64);
    sign_fingerprint(rt->sign_key.pk, fp);
    api_staff_json(rt, c, 200,
                   json_pack("{sb ss ss ss}", "ok", 1, "key", b64,
                             "fingerprint", fp, "algorithm", "Ed25519"));
}

void api_exam_export_request(struct runtime *rt, struct conn *c,
                             const struct staff_who *who)
{
    int64_t id;
    int kind;
    long long cls, sign;
    if (!strcmp(c->path, "/api/staff/signing-key")) {
        export_signing_key(rt, c);
        return;
    }
    if (!export_parse(c->path, &id, &kind)) {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
        return;
    }
    const char *fs = api_arg(c, "format");
    int format = sheet_format_parse(fs ? fs : "csv");
    if (format < 0) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "format",
                       "định dạng là csv, xlsx hoặc json / the format is "
                       "csv, xlsx or json");
        return;
    }
    if (!api_staff_arg_int(c, "class", 1, INT64_MAX, 0, &cls)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "class",
                       "lớp phải là một mã số / the class must be an id");
        return;
    }
    if (!api_staff_arg_int(c, "sign", 0, 1, 0, &sign)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "sign",
                       "sign là 0 hoặc 1 / sign is 0 or 1");
        return;
    }
    if (api_workers_busy(rt, c) || !api_exam_loaded(rt, c, who, id))
        return;
    struct store_class_row row;
    if (cls) {
        if (!api_class_access(rt, c, who, cls, &row))
            return;
        store_class_row_fini(&row);
    }
    struct export_job *x = calloc(1, sizeof *x);
    if (!x) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    x->conn = runtime_conn_ref(c);
    x->rt = rt;
    x->kind = kind;
    x->exam_id = id;
    x->class_id = cls;
    x->format = format;
    x->sign = sign;
    x->w.run = export_run;
    x->w.done = export_done;
    worker_submit(rt->workers, &x->w);
}
