/*
 * main.c — the examd command: picks a subcommand and runs it.
 */
#include "cli.h"
#include "route.h"
#include "config.h"
#include "transport.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void main_usage(void)
{
    printf("usage: examd COMMAND [options]\n"
           "\n"
           "examd serves timed multiple-choice tests to browsers over "
           "WebSocket.\n"
           "\n"
           "commands:\n"
           "  serve     serve the web apps and the protocol (see examd serve "
           "--help)\n"
           "  import    import a question bank file\n"
           "  exam add  publish an exam from a bank\n"
           "  user      accounts: add, list, passwd, disable, enable\n"
           "  audit     the audit log: verify, list\n"
           "  bench-pwhash  time password hashing on this machine\n"
           "  unit      add units (party committees, cells) and list the "
           "tree\n"
           "  export    an exam's roster, attempts or statistics as CSV, "
           "XLSX or JSON\n"
           "  verify    check an export against its signature file\n"
           "  demo      load the sample banks, demo exam and demo accounts\n"
           "  loadprep  create test candidates with sessions (load tests "
           "only)\n"
           "\n"
           "Every command takes --db PATH (default data/examd.db).\n");
}

static int main_serve(int argc, char **argv)
{
    struct config cfg;
    char msg[1024];
    config_defaults(&cfg);
    int rc = config_parse_serve(&cfg, argc, argv, msg, sizeof msg);
    if (rc == 1)
        return 0;
    if (rc) {
        fprintf(stderr, "examd serve: %s\n", msg);
        return 2;
    }
    if (cfg.demo_dir[0] &&
        cli_demo_setup(cfg.db_path, cfg.demo_dir, cfg.demo_contest, msg,
                       sizeof msg)) {
        fprintf(stderr, "examd serve --demo: %s\n", msg);
        return 1;
    }
    if (transport_run(&cfg, msg, sizeof msg)) {
        fprintf(stderr, "examd serve: %s\n", msg);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "examd: libsodium failed to start\n");
        return 1;
    }
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        main_usage();
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "serve"))
        return main_serve(argc - 2, argv + 2);
    if (!strcmp(cmd, "import"))
        return cli_import(argc - 2, argv + 2);
    if (!strcmp(cmd, "exam"))
        return cli_exam(argc - 2, argv + 2);
    if (!strcmp(cmd, "user"))
        return cli_user(argc - 2, argv + 2);
    if (!strcmp(cmd, "audit"))
        return cli_audit(argc - 2, argv + 2);
    if (!strcmp(cmd, "bench-pwhash"))
        return cli_bench_pwhash(argc - 2, argv + 2);
    if (!strcmp(cmd, "unit"))
        return cli_unit(argc - 2, argv + 2);
    if (!strcmp(cmd, "export"))
        return cli_export(argc - 2, argv + 2);
    if (!strcmp(cmd, "verify"))
        return cli_verify(argc - 2, argv + 2);
    if (!strcmp(cmd, "loadprep"))
        return cli_loadprep(argc - 2, argv + 2);
    if (!strcmp(cmd, "routes")) {
        route_print(stdout);
        return 0;
    }
    if (!strcmp(cmd, "demo"))
        return cli_demo(argc - 2, argv + 2);
    fprintf(stderr, "examd: unknown command \"%s\" (see examd --help)\n", cmd);
    return 2;
}
