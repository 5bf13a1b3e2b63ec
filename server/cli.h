/*
 * cli.h — the administrative subcommands (import, exam, user) and the demo
 * set-up used by "examd serve --demo". Main thread, before serving.
 */
#ifndef EXAMD_CLI_H
#define EXAMD_CLI_H

#include <stddef.h>

int cli_import(int argc, char **argv);
int cli_exam(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_loadprep(int argc, char **argv);

/*
 * Load every *.json bank in dir not yet in the database, and create the
 * demo exam and demo accounts if there are no users. Prints the demo
 * logins. Returns 0 or an error with msg filled.
 */
int cli_demo_setup(const char *db_path, const char *dir, char *msg,
                   size_t msglen);

#endif
