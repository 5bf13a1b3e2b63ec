/*
 * cli_user.c — "examd user add|list|passwd|disable|enable", "examd audit
 * verify|list" and "examd bench-pwhash".
 *
 * These work on the database file directly, beside a running server or
 * not. Every change is one transaction holding its audit entry. A running
 * server sees a disabled account or a new password at its next request or
 * WebSocket upgrade (the sessions are gone and the session check refuses
 * disabled accounts), but sockets already open stay open until then: the
 * staff console's users screen closes them at once (docs/security.md).
 * Main thread.
 */
#include "audit.h"
#include "auth.h"
#include "cli.h"
#include "clock.h"
#include "err.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Check argv: every "--x" is one of opts (a space-separated list; a name
 * ending in '=' takes a value), and at most want positional arguments;
 * the first goes to *pos. 0, or 1 after printing what is wrong.
 */
static int cli_args(const char *what, int argc, char **argv, const char *opts,
                    int want, const char **pos)
{
    char msg[256], key[48];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] != '-' || !argv[i][1]) {
            if (++npos > want) {
                snprintf(msg, sizeof msg,
                         "thừa đối số \"%s\" / unexpected argument \"%s\"",
                         argv[i], argv[i]);
                return cli_fail(what, msg);
            }
            if (pos)
                *pos = argv[i];
            continue;
        }
        snprintf(key, sizeof key, " %s=", argv[i]);
        bool valued = strstr(opts, key) != NULL;
        key[strlen(key) - 1] = ' ';
        if (!valued && !strstr(opts, key)) {
            snprintf(msg, sizeof msg,
                     "không có tùy chọn %s / unknown option %s (see --help)",
                     argv[i], argv[i]);
            return cli_fail(what, msg);
        }
        if (valued && ++i >= argc) {
            snprintf(msg, sizeof msg, "%s cần một giá trị / %s needs a value",
                     argv[i - 1], argv[i - 1]);
            return cli_fail(what, msg);
        }
    }
    if (want && !npos)
        return cli_fail(what, "thiếu tên đăng nhập / missing USERNAME (see "
                              "--help)");
    return 0;
}

/* The password of --password (the value, or a line of stdin for "-"),
 * checked and hashed into hash; false after printing why. */
static bool cli_password_hash(const char *what, int argc, char **argv,
                              char hash[AUTH_PWHASH_MAX])
{
    char pw[AUTH_PW_MAX + 2];
    const char *p = cli_opt(argc, argv, "--password", NULL);
    bool ok = false;
    if (p && !strcmp(p, "-")) {
        if (!fgets(pw, (int)sizeof pw, stdin))
            pw[0] = 0;
        pw[strcspn(pw, "\r\n")] = 0;
    } else {
        snprintf(pw, sizeof pw, "%s", p ? p : "");
    }
    if (!auth_password_ok(pw))
        cli_fail(what, "--password: " AUTH_MSG_PASSWORD);
    else if (auth_password_hash(pw, hash))
        cli_fail(what, "hết bộ nhớ khi băm mật khẩu / out of memory hashing "
                       "the password");
    else
        ok = true;
    sodium_memzero(pw, sizeof pw);
    return ok;
}

int cli_audit_add(struct store *s, const char *action, json_t *detail)
{
    json_object_set_new(detail, "via", json_string("cli"));
    char *t = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    int rc = t ? store_audit_append(s, clock_now_ms(), 0, "", action, t)
               : EXAMD_ENOMEM;
    free(t);
    return rc;
}

static void cli_user_usage(void)
{
    printf("usage: examd user add [--db PATH] --username NAME --name \"FULL "
           "NAME\"\n"
           "                     --password PASSWORD|- [--role ROLE] "
           "[--unit ID]\n"
           "       examd user list [--db PATH]\n"
           "       examd user passwd [--db PATH] USERNAME --password "
           "PASSWORD|-\n"
           "       examd user disable [--db PATH] USERNAME\n"
           "       examd user enable [--db PATH] USERNAME\n\n"
           "ROLE is candidate (default), trainer, organiser or admin. A "
           "password of \"-\"\nis read from the first line of stdin. "
           "Passwords are 8-255 bytes.\n"
           "disable and passwd end the account's sessions: a running server "
           "refuses\nthem at the next request; open sockets are closed at "
           "once only when the\nchange is made in the staff console. enable "
           "also lifts a login lock-out.\n"
           "list prints tab-separated: id, username, full name, role, unit, "
           "disabled,\nlocked.\n");
}

static int cli_user_add(int argc, char **argv)
{
    const char *w = "user add";
    if (cli_args(w, argc, argv,
                 " --db= --username= --name= --password= --role= --unit= ", 0,
                 NULL))
        return 1;
    const char *user = cli_opt(argc, argv, "--username", NULL);
    const char *name = cli_opt(argc, argv, "--name", NULL);
    const char *role = cli_opt(argc, argv, "--role", "candidate");
    const char *unit_s = cli_opt(argc, argv, "--unit", NULL);
    char hash[AUTH_PWHASH_MAX];
    int unit = 0;
    if (!auth_username_ok(user))
        return cli_fail(w, "--username: " AUTH_MSG_USERNAME);
    if (!auth_fullname_ok(name))
        return cli_fail(w, "--name: " AUTH_MSG_FULLNAME);
    if (!auth_role_ok(role))
        return cli_fail(w, "--role: " AUTH_MSG_ROLE);
    if (unit_s && !cli_int(unit_s, 1, 2000000000, &unit))
        return cli_fail(w, "--unit: mã đơn vị là số nguyên dương / the unit "
                           "id must be a positive whole number");
    if (!cli_password_hash(w, argc, argv, hash))
        return 1;
    struct store *s = cli_open(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB), w);
    if (!s)
        return 1;
    int64_t id = 0;
    if (unit && !store_unit_exists(s, unit)) {
        store_close(s);
        return cli_fail(w, "--unit: không có đơn vị này / no such unit");
    }
    int rc = store_begin(s);
    if (!rc)
        rc = store_user_add(s, user, name, role, hash, clock_now_ms(), &id);
    if (!rc && unit)
        rc = store_user_unit_set(s, id, unit);
    if (!rc)
        rc = cli_audit_add(s, "user.add",
                           json_pack("{sI ss ss}", "id", (json_int_t)id, "user",
                                     user, "role", role));
    if (!rc)
        rc = store_commit(s);
    if (rc)
        store_rollback(s);
    store_close(s);
    if (rc == EXAMD_EINVAL)
        return cli_fail(w, "tên đăng nhập đã có / that username is taken");
    if (rc)
        return cli_fail(w, "lỗi cơ sở dữ liệu / database error");
    printf("%lld\n", (long long)id);
    return 0;
}

static int cli_user_list(int argc, char **argv)
{
    if (cli_args("user list", argc, argv, " --db= ", 0, NULL))
        return 1;
    struct store *s =
        cli_open(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB), "user list");
    struct store_user_row *rows = NULL;
    int n = 0;
    if (!s)
        return 1;
    int rc = store_users_list(s, clock_now_ms(), &rows, &n);
    store_close(s);
    if (rc)
        return cli_fail("user list", "lỗi cơ sở dữ liệu / database error");
    printf("id\tusername\tname\trole\tunit\tdisabled\tlocked\n");
    for (int i = 0; i < n; i++)
        printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)rows[i].id,
               rows[i].username, rows[i].name, rows[i].role,
               rows[i].unit_id ? rows[i].unit : "-",
               rows[i].disabled ? "yes" : "no", rows[i].locked ? "yes" : "no");
    free(rows);
    return 0;
}

/* passwd, disable, enable: one account named by its username. */
static int cli_user_change(const char *verb, int argc, char **argv)
{
    char w[32], hash[AUTH_PWHASH_MAX], action[24];
    const char *user = NULL;
    bool passwd = !strcmp(verb, "passwd");
    snprintf(w, sizeof w, "user %s", verb);
    if (cli_args(w, argc, argv, passwd ? " --db= --password= " : " --db= ", 1,
                 &user))
        return 1;
    if (!auth_username_ok(user))
        return cli_fail(w, "USERNAME: " AUTH_MSG_USERNAME);
    if (passwd && !cli_password_hash(w, argc, argv, hash))
        return 1;
    struct store *s = cli_open(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB), w);
    struct store_user u;
    if (!s)
        return 1;
    int rc = store_begin(s);
    if (!rc)
        rc = store_user_by_name(s, user, &u);
    if (!rc && passwd)
        rc = store_user_password_set(s, u.id, hash, clock_now_ms());
    else if (!rc)
        rc = store_user_disabled_set(s, u.id, !strcmp(verb, "disable"));
    if (!rc && strcmp(verb, "enable"))
        rc = store_user_sessions_end(s, u.id);
    snprintf(action, sizeof action, "user.%s", verb);
    if (!rc)
        rc = cli_audit_add(
            s, action,
            json_pack("{sI ss}", "id", (json_int_t)u.id, "user", u.username));
    if (!rc)
        rc = store_commit(s);
    if (rc)
        store_rollback(s);
    store_close(s);
    sodium_memzero(hash, sizeof hash);
    if (rc == EXAMD_ENOTFOUND)
        return cli_fail(w, "không có tài khoản này / no such user");
    if (rc)
        return cli_fail(w, "lỗi cơ sở dữ liệu / database error");
    printf("%s: %s\n", user,
           passwd                   ? "password changed, sessions ended"
           : strcmp(verb, "enable") ? "disabled, sessions ended"
                                    : "enabled");
    return 0;
}

int cli_user(int argc, char **argv)
{
    const char *verb = argc >= 1 ? argv[0] : "";
    if (!strcmp(verb, "-h") || !strcmp(verb, "--help") ||
        cli_flag(argc, argv, "-h") || cli_flag(argc, argv, "--help")) {
        cli_user_usage();
        return 0;
    }
    if (!strcmp(verb, "add"))
        return cli_user_add(argc - 1, argv + 1);
    if (!strcmp(verb, "list"))
        return cli_user_list(argc - 1, argv + 1);
    if (!strcmp(verb, "passwd") || !strcmp(verb, "disable") ||
        !strcmp(verb, "enable"))
        return cli_user_change(verb, argc - 1, argv + 1);
    cli_user_usage();
    return cli_fail("user", "cần add, list, passwd, disable hoặc enable / "
                            "expected add, list, passwd, disable or enable");
}

/* ---- the audit log ---- */

static void cli_audit_print(void *arg, const struct store_audit_row *r)
{
    char when[32];
    time_t t = (time_t)(r->at_ms / 1000);
    struct tm tm;
    (void)arg;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id, when,
           r->actor[0] ? r->actor : "-", r->ip[0] ? r->ip : "-", r->action,
           r->detail);
}

int cli_audit(int argc, char **argv)
{
    const char *verb = argc >= 1 ? argv[0] : "";
    int limit = 0;
    bool list = !strcmp(verb, "list");
    if (!list && strcmp(verb, "verify")) {
        printf("usage: examd audit verify [--db PATH]\n"
               "       examd audit list [--db PATH] [--limit N]\n\n"
               "verify walks the hash chain and prints \"ok\", the number of "
               "entries and\nthe last hash (keep it elsewhere: a later "
               "verify must reach it), or names\nthe first entry that was "
               "edited, deleted or inserted (exit status 1).\n"
               "list prints the last N entries (default all), tab-separated: "
               "id, time (UTC),\nactor, address, action, detail.\n");
        return strcmp(verb, "-h") && strcmp(verb, "--help") ? 1 : 0;
    }
    const char *w = list ? "audit list" : "audit verify";
    if (cli_args(w, argc - 1, argv + 1,
                 list ? " --db= --limit= " : " --db= ", 0, NULL))
        return 1;
    if (list &&
        !cli_int(cli_opt(argc, argv, "--limit", "0"), 0, 1000000000, &limit))
        return cli_fail(w, "--limit phải là số 0..1000000000 / --limit must "
                           "be 0..1000000000");
    struct store *s = cli_open(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB), w);
    if (!s)
        return 1;
    char msg[512] = "";
    uint8_t head[AUDIT_HASH_BYTES];
    char hex[AUDIT_HASH_BYTES * 2 + 1];
    int64_t n = 0, bad = 0;
    int rc = list ? store_audit_list(s, limit, cli_audit_print, NULL)
                  : store_audit_verify(s, &n, head, &bad, msg, sizeof msg);
    store_close(s);
    if (rc && !list)
        return cli_fail(w, msg[0] ? msg : "lỗi cơ sở dữ liệu / database error");
    if (rc)
        return cli_fail(w, "lỗi cơ sở dữ liệu / database error");
    if (!list) {
        sodium_bin2hex(hex, sizeof hex, head, sizeof head);
        printf("ok: %lld entries, head %s\n", (long long)n, hex);
    }
    return 0;
}

/* ---- bench-pwhash ---- */

struct cli_bench {
    unsigned long long ops;
    size_t mem;
    int hashes;
};

static void *cli_bench_thread(void *arg)
{
    struct cli_bench *b = arg;
    char out[AUTH_PWHASH_MAX];
    for (int i = 0; i < b->hashes; i++)
        if (auth_password_hash_with("examd-bench-password", b->ops, b->mem,
                                    out))
            return NULL;
    return arg;
}

/* ms per hash on one thread, and hashes per second on threads at once. */
static void cli_bench_one(unsigned long long ops, size_t mem, int threads,
                          int hashes, double *ms, double *per_s)
{
    struct cli_bench b = {ops, mem, hashes};
    pthread_t th[16];
    int64_t t0 = clock_mono_us();
    cli_bench_thread(&b);
    *ms = (double)(clock_mono_us() - t0) / 1000.0 / hashes;
    t0 = clock_mono_us();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, cli_bench_thread, &b);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    int64_t dt = clock_mono_us() - t0;
    *per_s = dt > 0 ? 1e6 * threads * hashes / (double)dt : 0;
}

int cli_bench_pwhash(int argc, char **argv)
{
    static const struct {
        unsigned long long ops;
        size_t mib;
    } grid[] = {{2, 19}, {3, 19}, {2, 32}, {3, 32}, {4, 32}, {2, 64}, {3, 64}};
    int threads = 2, hashes = 5;
    if (cli_flag(argc, argv, "-h") || cli_flag(argc, argv, "--help")) {
        printf("usage: examd bench-pwhash [--threads N] [--hashes N]\n\n"
               "Time Argon2id (crypto_pwhash_str) for a grid of limits: ms "
               "per hash on\none thread, and logins per second with N "
               "threads hashing at once\n(default 2, examd's worker pool). "
               "* marks the limits examd uses.\n");
        return 0;
    }
    if (cli_args("bench-pwhash", argc, argv, " --threads= --hashes= ", 0, NULL))
        return 1;
    if (!cli_int(cli_opt(argc, argv, "--threads", "2"), 1, 16, &threads) ||
        !cli_int(cli_opt(argc, argv, "--hashes", "5"), 1, 1000, &hashes))
        return cli_fail("bench-pwhash", "--threads must be 1..16, --hashes "
                                        "1..1000");
    printf("passes\tMiB\tms/hash\tlogins/s (%d threads)\n", threads);
    for (size_t i = 0; i < sizeof grid / sizeof *grid; i++) {
        double ms, per_s;
        size_t mem = grid[i].mib * 1024 * 1024;
        cli_bench_one(grid[i].ops, mem, threads, hashes, &ms, &per_s);
        printf("%llu\t%zu\t%.1f\t%.1f%s\n", grid[i].ops, grid[i].mib, ms, per_s,
               grid[i].ops == AUTH_PW_OPSLIMIT && mem == AUTH_PW_MEMLIMIT
                   ? "\t*"
                   : "");
    }
    return 0;
}
