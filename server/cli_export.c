/*
 * cli_export.c — "examd export roster|results|stats" and "examd verify"
 * (docs/exports.md). Main thread.
 *
 * export writes the file (-o FILE, or standard output), and with --sign
 * the signature beside it (FILE.sig; -o is then required). verify checks
 * a file against its signature file and says whose key signed it; exit 0
 * only for a good signature.
 */
#include "cli.h"
#include "clock.h"
#include "err.h"
#include "report.h"
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void cli_export_usage(void)
{
    printf(
        "usage: examd export roster|results|stats --exam ID [--class ID]\n"
        "         [--format csv|xlsx|json] [--sign] [-o FILE] [--db PATH]\n"
        "       examd verify FILE SIG [--key PUBKEY_FILE_OR_BASE64] "
        "[--db PATH]\n"
        "\n"
        "export: roster = one row per candidate, results = every "
        "attempt,\n"
        "stats = question and test statistics (default format csv, to\n"
        "standard output unless -o). --sign writes FILE.sig beside FILE\n"
        "with the installation's key (signing.key beside the database).\n"
        "verify: exit 0 when SIG is a good signature of FILE, 1 when not.\n");
}

/* Write len bytes to path (created 0644, replaced); 0 or -1. */
static int cli_export_save(const char *path, const char *data, size_t len)
{
    FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "wb");
    if (!f)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
    return ok ? 0 : -1;
}

int cli_export(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_export_usage();
            return 0;
        }
    int kind = argc > 0 ? report_kind_parse(argv[0]) : -1;
    int fmt = sheet_format_parse(cli_opt(argc, argv, "--format", "csv"));
    int exam = 0, cls = 0;
    const char *out = cli_opt(argc, argv, "-o", "-");
    const char *db = cli_opt(argc, argv, "--db", CLI_DEFAULT_DB);
    const char *cls_s = cli_opt(argc, argv, "--class", NULL);
    bool sign = cli_flag(argc, argv, "--sign");
    if (kind < 0) {
        cli_export_usage();
        return 2;
    }
    if (!cli_int(cli_opt(argc, argv, "--exam", NULL), 1, 2000000000, &exam))
        return cli_fail("export", "--exam ID is required (a whole number)");
    if (cls_s && !cli_int(cls_s, 1, 2000000000, &cls))
        return cli_fail("export", "--class must be a class id");
    if (fmt < 0)
        return cli_fail("export", "--format must be csv, xlsx or json");
    if (sign && !strcmp(out, "-"))
        return cli_fail("export", "--sign needs -o FILE (the signature "
                                  "goes to FILE.sig)");
    char msg[512], skp[600], pkp[600];
    struct sign_key key;
    if (access(db, R_OK) != 0) { /* never create a database to export */
        snprintf(msg, sizeof msg, "no database at %s (--db PATH)", db);
        return cli_fail("export", msg);
    }
    if (sign) {
        sign_key_paths(db, skp, pkp, sizeof skp);
        if (sign_key_load(skp, pkp, &key, msg, sizeof msg))
            return cli_fail("export", msg);
    }
    struct store *s = cli_open(db, "export");
    if (!s) {
        if (sign)
            sign_key_wipe(&key);
        return 1;
    }
    struct report_file rf;
    int rc = report_make(s, kind, exam, cls, fmt, NULL, sign ? &key : NULL,
                         clock_now_ms(), &rf, msg, sizeof msg);
    store_close(s);
    if (sign)
        sign_key_wipe(&key);
    if (rc)
        return cli_fail("export", msg);
    char sigpath[4200];
    snprintf(sigpath, sizeof sigpath, "%s.sig", out);
    if (cli_export_save(out, rf.data, rf.len) ||
        (rf.sig && cli_export_save(sigpath, rf.sig, strlen(rf.sig)))) {
        snprintf(msg, sizeof msg, "cannot write %s", out);
        report_file_fini(&rf);
        return cli_fail("export", msg);
    }
    if (strcmp(out, "-"))
        fprintf(stderr, "examd export: %s: %d rows%s%s\n", out, rf.rows,
                rf.sig ? ", signed: " : "", rf.sig ? sigpath : "");
    report_file_fini(&rf);
    return 0;
}

/* The whole file at path (free), NUL-terminated; NULL if unreadable. */
static char *cli_verify_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    size_t n = 0, cap = 0, r = 1;
    while (f && r > 0) {
        if (n + 65536 + 1 > cap) {
            char *nb = realloc(b, cap = cap * 2 + 65536 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
        }
        r = fread(b + n, 1, cap - n - 1, f);
        n += r;
    }
    if (f && ferror(f)) {
        free(b);
        b = NULL;
    }
    if (f)
        fclose(f);
    if (b)
        b[n] = '\0', *len = n;
    return b;
}

int cli_verify(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_export_usage();
            return 0;
        }
    if (argc < 2 || argv[0][0] == '-' || argv[1][0] == '-') {
        cli_export_usage();
        return 2;
    }
    const char *keyarg = cli_opt(argc, argv, "--key", NULL);
    const char *db = cli_opt(argc, argv, "--db", CLI_DEFAULT_DB);
    size_t len, slen;
    char *data = cli_verify_read(argv[0], &len);
    char *sigt = cli_verify_read(argv[1], &slen);
    uint8_t pk[SIGN_PK_BYTES], sig[SIGN_SIG_BYTES], want[SIGN_PK_BYTES];
    char fp[SIGN_FP_LEN], b64[SIGN_PK_B64], skp[600], pkp[600];
    int rc = 2;
    if (!data || !sigt) {
        fprintf(stderr, "examd verify: cannot read %s\n",
                data ? argv[1] : argv[0]);
    } else if (sign_file_parse(sigt, slen, pk, sig)) {
        fprintf(stderr, "examd verify: %s is not an examd signature file\n",
                argv[1]);
    } else if (keyarg && sign_pk_read(keyarg, want)) {
        fprintf(stderr, "examd verify: --key: not a public key (base64) or "
                        "a file holding one\n");
    } else {
        bool have = keyarg != NULL;
        if (!have) { /* this installation's key, when there is one */
            sign_key_paths(db, skp, pkp, sizeof skp);
            have = sign_pk_read(pkp, want) == 0;
        }
        const uint8_t *use = keyarg ? want : pk;
        sign_fingerprint(use, fp);
        sign_pk_b64(use, b64);
        rc = sign_verify(use, sig, data, len) ? 0 : 1;
        if (rc == 0)
            printf("signature good: %s was signed by key %s (%s)\n", argv[0],
                   fp, b64);
        else
            printf("BAD signature: %s does not match %s for key %s: the file "
                   "was changed, or another key signed it\n",
                   argv[0], argv[1], fp);
        if (have && memcmp(pk, want, SIGN_PK_BYTES)) {
            sign_fingerprint(pk, fp);
            fprintf(stderr,
                    "WARNING: the signature names key %s, which is not %s "
                    "key; compare it with the key printed on the signed "
                    "paper\n",
                    fp, keyarg ? "the --key" : "this installation's");
        }
    }
    free(data);
    free(sigt);
    return rc;
}
