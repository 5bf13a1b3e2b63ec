/*
 * cli_export.c — "examd export roster|results|stats" and "examd verify"
 * (docs/exports.md). Main thread.
 *
 * export writes the file (-o FILE, or standard output), and with --sign
 * the signature beside it (FILE.sig; -o is then required). verify checks
 * a file against its signature file and says whose key signed it; exit 0
 * only for a good signature by the trusted key (--key, or the
 * installation's), 3 when the key is another or none is trusted.
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
        "verify: exit 0 when SIG is a good signature of FILE by the trusted\n"
        "key (--key, else signing.pub beside the database), 1 when FILE\n"
        "does not match, 2 when SIG is not a signature file, 3 when another\n"
        "key signed it or there is no trusted key to compare with.\n");
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

/*
 * Check the file's bytes (data, len) against sig and decide, as
 * docs/exports.md "The command line" says: trusted is the key to trust
 * (--key, or this installation's signing.pub at pub_path; NULL when
 * there is none), by_key whether it came from --key; pk is the key the
 * signature file names. 0 good, 1
 * BAD (the bytes do not match), 3 not signed by a trusted key.
 */
static int cli_verify_check(const char *file, const char *sigfile,
                            const char *data, size_t len, const uint8_t *pk,
                            const uint8_t *sig, const uint8_t *trusted,
                            bool by_key, const char *pub_path)
{
    char fp[SIGN_FP_LEN], b64[SIGN_PK_B64], tfp[SIGN_FP_LEN];
    const uint8_t *use = trusted ? trusted : pk;
    sign_fingerprint(pk, fp);
    sign_pk_b64(pk, b64);
    if (trusted && sign_verify(trusted, sig, data, len)) {
        sign_fingerprint(trusted, tfp);
        sign_pk_b64(trusted, b64);
        printf("signature good: %s was signed by key %s (%s)\n", file, tfp,
               b64);
        return 0;
    }
    bool matches = sign_verify(pk, sig, data, len);
    if (!matches) {
        sign_fingerprint(use, tfp);
        printf("BAD signature: %s does not match %s for key %s: the file "
               "was changed, or another key signed it\n",
               file, sigfile, tfp);
        return 1;
    }
    if (trusted) {
        sign_fingerprint(trusted, tfp);
        printf("NOT TRUSTED: %s was signed by key %s (%s), not by %s %s\n",
               file, fp, b64,
               by_key ? "the --key key" : "this installation's key", tfp);
        fprintf(stderr,
                "examd verify: a signature file can name any key; this one "
                "was not made with the trusted key. If key %s really is the "
                "committee's (compare the fingerprint printed on the signed "
                "paper), run again with --key %s\n",
                fp, b64);
        return 3;
    }
    printf("NOT TRUSTED: %s matches the key its signature names, %s (%s), "
           "but there is no trusted key to compare it with\n",
           file, fp, b64);
    fprintf(stderr,
            "examd verify: no --key was given and there is no "
            "installation key at %s, so anyone could have made this "
            "signature. Compare fingerprint %s with the one printed on the "
            "signed paper or published by the committee, then run again "
            "with --key %s (or --key FILE holding the committee's key, or "
            "--db on the installation that signed it)\n",
            pub_path, fp, b64);
    return 3;
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
    char skp[600], pkp[600] = "";
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
        rc = cli_verify_check(argv[0], argv[1], data, len, pk, sig,
                              have ? want : NULL, keyarg != NULL, pkp);
    }
    free(data);
    free(sigt);
    return rc;
}
