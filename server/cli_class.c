/*
 * cli_class.c — "examd unit add" and "examd unit list": the tree of units
 * (province party committee, party committee, party cell) with their
 * target headcounts. Main thread, before or beside serving (WAL lets the
 * CLI write while the server runs).
 */
#include "cli.h"
#include "clock.h"
#include "err.h"
#include "store.h"
#include "text.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_UNIT_DB "data/examd.db"

static const char *cli_unit_opt(int argc, char **argv, const char *name,
                                const char *def)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return def;
}

static bool cli_unit_num(const char *s, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > hi)
        return false;
    *out = v;
    return true;
}

static void cli_unit_usage(void)
{
    printf("usage: examd unit add [--db PATH] --name NAME [--parent ID] "
           "[--target N]\n"
           "       examd unit list [--db PATH]\n\n"
           "Units form a tree (province party committee > party committee >"
           " party cell);\neach may have a target headcount. \"add\" prints "
           "the new unit's id; \"list\"\nprints the tree: id, name, members"
           "/target.\n");
}

/* Print the children of parent at depth, recursively. O(n^2) over the
 * units; a province has hundreds, not millions. */
static void cli_unit_print(const struct store_unit_row *u, int n,
                           int64_t parent, int depth)
{
    for (int i = 0; i < n; i++) {
        if (u[i].parent_id != parent)
            continue;
        printf("%*s%lld  %s  %d/%d\n", depth * 2, "", (long long)u[i].id,
               u[i].name, u[i].members, u[i].target);
        if (depth < 32)
            cli_unit_print(u, n, u[i].id, depth + 1);
    }
}

static int cli_unit_add(struct store *s, int argc, char **argv)
{
    const char *name = cli_unit_opt(argc, argv, "--name", NULL);
    long long parent = 0, target = 0;
    if (!cli_unit_num(cli_unit_opt(argc, argv, "--parent", "0"), INT64_MAX,
                      &parent) ||
        !cli_unit_num(cli_unit_opt(argc, argv, "--target", "0"), 10000000,
                      &target)) {
        fprintf(stderr, "examd unit add: --parent must be a unit id and "
                        "--target 0..10000000\n");
        return 1;
    }
    char *n = name ? text_nfc(name, strlen(name)) : NULL;
    if (!n || !*n || strlen(n) > 200) {
        free(n);
        fprintf(stderr, "examd unit add: --name is required (UTF-8, 1..200 "
                        "bytes)\n");
        return 1;
    }
    int64_t id = 0;
    int rc = store_begin(s);
    if (!rc)
        rc = store_unit_add(s, n, parent, (int)target, clock_now_ms(), &id);
    if (!rc)
        rc = cli_audit_add(s, "unit.add",
                           json_pack("{sI ss sI sI}", "id", (json_int_t)id,
                                     "name", n, "parent", (json_int_t)parent,
                                     "target", (json_int_t)target));
    if (!rc)
        rc = store_commit(s);
    if (rc)
        store_rollback(s);
    free(n);
    if (rc == EXAMD_ENOTFOUND)
        fprintf(stderr, "examd unit add: no unit %lld to be the parent\n",
                parent);
    else if (rc == EXAMD_EEXISTS)
        fprintf(stderr, "examd unit add: the parent already has a unit of "
                        "that name\n");
    else if (rc)
        fprintf(stderr, "examd unit add: database error\n");
    else
        printf("%lld\n", (long long)id);
    return rc ? 1 : 0;
}

int cli_unit(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "add") && strcmp(argv[0], "list"))) {
        cli_unit_usage();
        return 1;
    }
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_unit_usage();
            return 0;
        }
    char msg[512];
    struct store *s = NULL;
    if (store_open(cli_unit_opt(argc, argv, "--db", CLI_UNIT_DB), true, &s, msg,
                   sizeof msg)) {
        fprintf(stderr, "examd unit: %s\n", msg);
        return 1;
    }
    int rc = 0;
    if (!strcmp(argv[0], "add")) {
        rc = cli_unit_add(s, argc - 1, argv + 1);
    } else {
        struct store_unit_row *u;
        int n;
        if (store_units_list(s, &u, &n)) {
            fprintf(stderr, "examd unit list: database error\n");
            rc = 1;
        } else {
            cli_unit_print(u, n, 0, 0);
            store_unit_rows_free(u, n);
        }
    }
    store_close(s);
    return rc;
}
