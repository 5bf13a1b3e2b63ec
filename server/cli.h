/*
 * cli.h — the administrative subcommands (import, exam, user) and the demo
 * set-up used by "examd serve --demo". Main thread, before serving.
 */
#ifndef EXAMD_CLI_H
#define EXAMD_CLI_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

#define CLI_DEFAULT_DB "data/examd.db"

int cli_import(int argc, char **argv);
int cli_exam(int argc, char **argv);
/* cli_user.c: user add|list|passwd|disable|enable, audit verify|list,
 * bench-pwhash. */
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_bench_pwhash(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_loadprep(int argc, char **argv);
/* "examd unit add|list" (cli_class.c). */
int cli_unit(int argc, char **argv);
/* "examd export ..." and "examd verify FILE SIG" (cli_export.c). */
int cli_export(int argc, char **argv);
int cli_verify(int argc, char **argv);

/*
 * Load every bank file in dir not yet in the database, and create the
 * demo exam and demo accounts if there are no users; with contest also
 * the demo units and contest (open to registration, round 1 open for a
 * week). Prints the demo logins. Returns 0 or an error with msg filled.
 */
int cli_demo_setup(const char *db_path, const char *dir, bool contest,
                   char *msg, size_t msglen);

/* ---- shared by the subcommands (cli.c) ---- */

/* The value of option name in argv, or def. */
const char *cli_opt(int argc, char **argv, const char *name, const char *def);
bool cli_flag(int argc, char **argv, const char *name);
/* Parse s as a whole number in lo..hi. */
bool cli_int(const char *s, int lo, int hi, int *out);
/* Print "examd what: msg" to stderr; returns 1 (the exit status). */
int cli_fail(const char *what, const char *msg);
/* Append the audit entry of a CLI change (actor: nobody, "via":"cli" added
 * to detail, which is taken), inside the caller's transaction. */
int cli_audit_add(struct store *s, const char *action, struct json_t *detail);
/* Open (and migrate) the database, or print why and return NULL. */
struct store *cli_open(const char *db, const char *what);

#endif
