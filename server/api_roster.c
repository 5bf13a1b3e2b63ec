/*
 * api_roster.c — importing a class roster (POST
 * /api/staff/classes/ID/roster, docs/roster-format.md).
 *
 * Four steps, each where it belongs:
 *   1. a worker reads the CSV (roster.c): every bad row, by line;
 *   2. the writer checks what needs the database (units, people already
 *      in the class) and makes the logins, in a savepoint it always rolls
 *      back: this is the preview, and it is also run before a real import
 *      so that a file with errors costs no password hashing;
 *   3. for a real import, a worker makes the passwords and hashes them
 *      (Argon2id), ROSTER_HASH_CHUNK at a time, one chunk in the pool at
 *      once, so a roster never holds more than one of the pool's threads
 *      and logins queued meanwhile wait at most one chunk;
 *   4. the writer repeats step 2 with the hashes and commits; the reply
 *      carries the plain passwords, once, and is wiped after sending.
 * The import is all or nothing: any problem in step 2 or 4 rolls it back.
 */
#include "api.h"
#include "api_class.h"
#include "api_staff.h"
#include "api_users.h"
#include "auth.h"
#include "err.h"
#include "roster.h"
#include "store.h"
#include "text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER_HASH_CHUNK 8
#define ROSTER_PATH_MAX 400 /* bytes of a unit's path "A / B / C" */

enum roster_phase { PHASE_PARSE, PHASE_CHECK, PHASE_HASH, PHASE_WRITE };

struct api_roster {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    int64_t class_id, class_unit_id;
    bool dry_run;
    int phase;  /* enum roster_phase */
    char *data; /* owned: the file, until parsed */
    size_t len;
    struct roster r;
    int hashed; /* rows whose password is hashed */
    int rc;     /* worker thread: 0 or an error */
    /* per row of r, allocated for the hashing */
    char (*pw)[ROSTER_PASSWORD_LEN + 1]; /* owned, wiped */
    char (*hash)[AUTH_PWHASH_MAX];       /* owned */
    int64_t *user_id;                    /* owned: writer fills */
};

static void roster_op_free(void *arg)
{
    struct api_roster *im = arg;
    if (!im)
        return;
    free(im->data);
    roster_fini(&im->r);
    if (im->pw)
        sodium_memzero(im->pw, sizeof *im->pw * (size_t)im->r.n);
    free(im->pw);
    free(im->hash);
    free(im->user_id);
    free(im);
}

/* The 422 reply listing every issue by line. */
static json_t *roster_issues_reply(struct roster *r)
{
    json_t *a = json_array();
    roster_issues_sort(r);
    for (int i = 0; i < r->n_issues; i++)
        json_array_append_new(
            a, json_pack("{si ss ss}", "line", r->issues[i].line, "vi",
                         r->issues[i].vi, "en", r->issues[i].en));
    return json_pack("{sb ss ss so}", "ok", 0, "code",
                     err_code(EXAMD_EBADIMPORT), "message",
                     err_text(EXAMD_EBADIMPORT), "issues", a);
}

/* ---- units by name or path ---- */

struct roster_units {
    struct store_unit_row *u; /* by id */
    int n;
    char **fold; /* text_fold of each name */
};

static void roster_units_fini(struct roster_units *ru)
{
    for (int i = 0; ru->fold && i < ru->n; i++)
        free(ru->fold[i]);
    free(ru->fold);
    store_unit_rows_free(ru->u, ru->n);
}

static int roster_units_load(struct store *st, struct roster_units *ru)
{
    memset(ru, 0, sizeof *ru);
    int rc = store_units_list(st, &ru->u, &ru->n);
    if (rc)
        return rc;
    if (!(ru->fold = calloc((size_t)ru->n + 1, sizeof *ru->fold)))
        return EXAMD_ENOMEM;
    for (int i = 0; i < ru->n; i++)
        if (!(ru->fold[i] = text_fold(ru->u[i].name)))
            return EXAMD_ENOMEM;
    return 0;
}

/* Index of unit id, or -1 (rows are sorted by id). */
static int roster_unit_index(const struct roster_units *ru, int64_t id)
{
    int lo = 0, hi = ru->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (ru->u[mid].id == id)
            return mid;
        if (ru->u[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* "Root / ... / unit" of unit index i into out. */
static void roster_unit_path(const struct roster_units *ru, int i, char *out,
                             size_t len)
{
    int chain[16], n = 0;
    for (; i >= 0 && n < 16; i = roster_unit_index(ru, ru->u[i].parent_id))
        chain[n++] = i;
    out[0] = 0;
    for (size_t k = 0; n > 0; n--) {
        int w = snprintf(out + k, len - k, "%s%s", k ? " / " : "",
                         ru->u[chain[n - 1]].name);
        if (w < 0 || (size_t)w >= len - k)
            break;
        k += (size_t)w;
    }
}

/* The unit a cell names: its name, or its path with '/' or '>' between
 * the names of its ancestors (the last ones suffice), compared without
 * case or diacritics. The unit's index, -1 none, -2 several. */
static int roster_unit_find(const struct roster_units *ru, const char *text)
{
    char *seg[16], *copy = strdup(text), *save = NULL;
    int n = 0, found = -1;
    if (!copy)
        return -1;
    for (char *t = strtok_r(copy, "/>", &save); t && n < 16;
         t = strtok_r(NULL, "/>", &save))
        if ((seg[n] = text_fold(t)) && *seg[n])
            n++;
        else
            free(seg[n]);
    for (int i = 0; n && i < ru->n && found != -2; i++) {
        int k = n - 1, at = i;
        while (k >= 0 && at >= 0 && !strcmp(ru->fold[at], seg[k])) {
            k--;
            at = roster_unit_index(ru, ru->u[at].parent_id);
        }
        if (k < 0)
            found = found == -1 ? i : -2;
    }
    for (int k = 0; k < n; k++)
        free(seg[k]);
    free(copy);
    return found;
}

/* ---- the writer's part ---- */

/* Issues only the database can find: units, people already in the class.
 * unit[i] gets each row's unit index (-1 = none). */
static int roster_check_db(struct store *st, struct api_roster *im,
                           const struct roster_units *ru, int *unit)
{
    struct roster *r = &im->r;
    struct store_member_row *m;
    int nm, rc = store_class_members(st, im->class_id, 0, &m, &nm);
    if (rc)
        return rc;
    int class_unit = roster_unit_index(ru, im->class_unit_id);
    for (int i = 0; i < r->n; i++) {
        const struct roster_row *x = &r->rows[i];
        unit[i] = *x->unit ? roster_unit_find(ru, x->unit) : class_unit;
        if (unit[i] == -1 && *x->unit)
            roster_issue(r, x->line,
                         "không có đơn vị \"%.100s\" (thêm đơn vị trước, hoặc "
                         "ghi đường dẫn như \"Đảng ủy A / Chi bộ 3\")",
                         "no unit \"%.100s\" (add the unit first, or write "
                         "its path like \"Party committee A / Cell 3\")",
                         x->unit);
        else if (unit[i] == -2)
            roster_issue(r, x->line,
                         "có nhiều đơn vị tên \"%.100s\": hãy ghi đường dẫn "
                         "như \"Đảng ủy A / Chi bộ 3\"",
                         "several units are named \"%.100s\": write its "
                         "path like \"Party committee A / Cell 3\"",
                         x->unit);
        for (int k = 0; k < nm; k++) {
            char *f =
                strcmp(m[k].birth, x->birth) ? NULL : text_fold(m[k].name);
            bool same = f && !strcmp(f, x->fold);
            free(f);
            if (same) {
                roster_issue(r, x->line, "đã có trong lớp (tên đăng nhập %s)",
                             "is already in the class (login %s)",
                             m[k].username);
                break;
            }
        }
    }
    store_member_rows_free(m, nm);
    return r->oom ? EXAMD_ENOMEM : 0;
}

/* Add row i as a new candidate with a fresh login into *login. */
static int roster_add_row(struct store *st, struct wjob *j,
                          struct api_roster *im, int i, int64_t unit_id,
                          char login[ROSTER_LOGIN_MAX])
{
    const struct roster_row *x = &im->r.rows[i];
    char stem[ROSTER_LOGIN_MAX];
    int rc = roster_login_stem(x->name, stem);
    for (int k = 1; !rc; k++) {
        roster_login_nth(stem, k, login);
        if (!store_username_taken(st, login))
            break;
        if (k >= 99999)
            rc = EXAMD_EEXISTS;
    }
    if (rc)
        return rc;
    struct store_new_member nm = {login,
                                  x->name,
                                  x->birth,
                                  x->phone,
                                  im->phase == PHASE_WRITE ? im->hash[i] : "",
                                  unit_id};
    int64_t uid = 0;
    rc = store_member_add(st, im->class_id, &nm, j->server_ms, &uid);
    if (!rc && im->user_id)
        im->user_id[i] = uid;
    return rc;
}

/* One member of the reply. */
static json_t *roster_member_json(const struct api_roster *im, int i,
                                  const struct roster_units *ru, int unit,
                                  const char *login)
{
    const struct roster_row *x = &im->r.rows[i];
    char path[ROSTER_PATH_MAX];
    json_t *u = json_null();
    if (unit >= 0) {
        roster_unit_path(ru, unit, path, sizeof path);
        u = json_pack("{sI ss ss}", "id", (json_int_t)ru->u[unit].id, "name",
                      ru->u[unit].name, "path", path);
    }
    json_t *o = json_pack("{si ss ss ss so ss}", "line", x->line, "name",
                          x->name, "birth_date", x->birth, "phone", x->phone,
                          "unit", u, "login", login);
    if (o && im->phase == PHASE_WRITE) {
        json_object_set_new(o, "id", json_integer(im->user_id[i]));
        json_object_set_new(o, "password", json_string(im->pw[i]));
    }
    return o;
}

/* The audit entry of a roster written: the class and the new accounts. */
static int roster_audit(struct store *st, struct wjob *j,
                        const struct api_roster *im)
{
    json_t *ids = json_array();
    for (int i = 0; i < im->r.n; i++)
        json_array_append_new(ids, json_integer(im->user_id[i]));
    return api_audit(st, j, "class.roster",
                     json_pack("{sI si so}", "class", (json_int_t)im->class_id,
                               "added", im->r.n, "users", ids));
}

/* Writer thread: check, make logins, add the people (rolled back unless
 * this is the final write). */
static int roster_write(struct store *st, struct wjob *j)
{
    struct api_roster *im = j->arg;
    struct roster_units ru = {0};
    int *unit = calloc((size_t)im->r.n + 1, sizeof *unit);
    int rc = unit ? roster_units_load(st, &ru) : EXAMD_ENOMEM;
    json_t *members = json_array();
    if (!rc)
        rc = roster_check_db(st, im, &ru, unit);
    if (!rc && im->r.n_issues) {
        api_staff_set(j, 422, roster_issues_reply(&im->r));
        rc = EXAMD_EBADIMPORT;
        goto done;
    }
    for (int i = 0; !rc && i < im->r.n; i++) {
        char login[ROSTER_LOGIN_MAX];
        rc = roster_add_row(st, j, im, i, unit[i] >= 0 ? ru.u[unit[i]].id : 0,
                            login);
        if (!rc)
            json_array_append_new(
                members, roster_member_json(im, i, &ru, unit[i], login));
    }
    if (!rc && im->phase == PHASE_WRITE)
        rc = roster_audit(st, j, im);
    if (rc)
        api_staff_set(j, 500,
                      json_pack("{sb ss ss}", "ok", 0, "code", err_code(rc),
                                "message", err_text(rc)));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sb sI si sO}", "ok", 1, "dry_run",
                                im->dry_run, "class", (json_int_t)im->class_id,
                                "added", im->r.n, "members", members));
done:
    json_decref(members);
    roster_units_fini(&ru);
    free(unit);
    return rc;
}

/* ---- the workers' part ---- */

/* Worker thread: read the file. */
static void roster_parse_run(struct work *w)
{
    struct api_roster *im = (struct api_roster *)w;
    im->rc = roster_parse(im->data, im->len, &im->r);
}

/* Worker thread: make and hash the next chunk of passwords. */
static void roster_hash_run(struct work *w)
{
    struct api_roster *im = (struct api_roster *)w;
    int end = im->hashed + ROSTER_HASH_CHUNK;
    for (; !im->rc && im->hashed < im->r.n && im->hashed < end; im->hashed++) {
        roster_password(im->pw[im->hashed]);
        im->rc = auth_password_hash(im->pw[im->hashed], im->hash[im->hashed]);
    }
}

/* Service thread: a worker step is done; go on. */
static void roster_work_done(struct work *w, void *ctx)
{
    struct api_roster *im = (struct api_roster *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, im->conn) : NULL;
    if (!c || im->rc) {
        if (c)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        roster_op_free(im);
        return;
    }
    if (im->phase == PHASE_PARSE) {
        free(im->data); /* the rows are all the writer needs */
        im->data = NULL;
        if (!im->r.n) { /* nothing to check against the database */
            if (!im->r.n_issues)
                roster_issue(&im->r, 0, "tệp không có người nào",
                             "the file lists nobody");
            api_staff_json(rt, c, 422, roster_issues_reply(&im->r));
            roster_op_free(im);
            return;
        }
        im->phase = PHASE_CHECK;
        api_staff_submit(rt, c, roster_write, im, roster_op_free, true);
    } else if (im->hashed < im->r.n) {
        worker_submit(rt->workers, &im->w);
    } else {
        im->phase = PHASE_WRITE;
        api_staff_submit(rt, c, roster_write, im, roster_op_free, false);
    }
}

int api_roster_done(struct runtime *rt, struct wjob *j)
{
    if (j->arg_free != roster_op_free)
        return -1;
    struct api_roster *im = j->arg;
    struct conn *c = runtime_conn_get(rt, j->conn);
    if (im->phase == PHASE_WRITE) {
        for (int i = 0; !j->rc && i < im->r.n; i++)
            if (runtime_member_add(rt, im->class_id, im->user_id[i]))
                fprintf(stderr,
                        "examd: class %lld: out of memory adding a "
                        "member; it is seen after a restart\n",
                        (long long)im->class_id);
        return API_CLASS_SECRET;
    }
    if (j->rc || im->dry_run || !c)
        return API_CLASS_REPLY; /* the preview, or what is wrong */
    /* The check passed: hash the passwords, then write for real. */
    im->pw = calloc((size_t)im->r.n, sizeof *im->pw);
    im->hash = calloc((size_t)im->r.n, sizeof *im->hash);
    im->user_id = calloc((size_t)im->r.n, sizeof *im->user_id);
    if (!im->pw || !im->hash || !im->user_id)
        return API_CLASS_REPLY; /* the job frees im */
    j->arg = NULL;              /* im goes on: the job must not free it */
    im->phase = PHASE_HASH;
    im->w.run = roster_hash_run;
    worker_submit(rt->workers, &im->w);
    return API_CLASS_HELD;
}

void api_roster_request(struct runtime *rt, struct conn *c,
                        struct store_class_row *cls)
{
    const char *dry = api_arg(c, "dry_run");
    int64_t class_id = cls->id, unit_id = cls->unit_id;
    store_class_row_fini(cls);
    if (dry && strcmp(dry, "0") && strcmp(dry, "1")) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "dry_run", NULL);
        return;
    }
    if (!api_staff_upload_ok(rt, c) || api_workers_busy(rt, c))
        return;
    struct api_roster *im = calloc(1, sizeof *im);
    if (!im) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    im->data = api_staff_upload_take(c, &im->len);
    im->dry_run = dry && !strcmp(dry, "1");
    im->class_id = class_id;
    im->class_unit_id = unit_id;
    im->conn = runtime_conn_ref(c);
    im->w.run = roster_parse_run;
    im->w.done = roster_work_done;
    worker_submit(rt->workers, &im->w);
}
