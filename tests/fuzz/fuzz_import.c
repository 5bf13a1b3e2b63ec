/*
 * fuzz_import.c — import_parse for one format (FUZZ_IMPORT_FORMAT, set by
 * the build: one binary and one corpus per format).
 *
 * Invariants: a file either gives a bank or at least one error, never
 * both; every issue's texts are valid UTF-8 (they reach the staff console
 * as JSON); an imported bank obeys every rule of the native format
 * (fuzz.h); it writes out as native JSON and as GIFT and reads back the
 * same; Moodle XML text with no markup but tags keeps no '<'.
 */
#include "fuzz.h"

#include "err.h"
#include "import.h"

#ifndef FUZZ_IMPORT_FORMAT
#error "FUZZ_IMPORT_FORMAT names the format (IMPORT_GIFT ...)"
#endif

static const struct import_opts fuzz_opts = {.format = FUZZ_IMPORT_FORMAT,
                                             .skip_unsupported = true,
                                             .bank_name = "fuzz",
                                             .title = "Ngân hàng thử"};

static void fuzz_issues_check(const struct import_result *r)
{
    FUZZ_CHECK(r->n_issues > 0 && r->n_issues <= IMPORT_MAX_ISSUES);
    FUZZ_CHECK(r->n_errors > 0 || r->n_skipped > 0);
    for (int i = 0; i < r->n_issues; i++) {
        const struct import_issue *is = &r->issues[i];
        FUZZ_CHECK(is->line >= 0);
        FUZZ_CHECK(text_is_valid(is->question, strlen(is->question)));
        FUZZ_CHECK(text_is_valid(is->vi, strlen(is->vi)) && *is->vi);
        FUZZ_CHECK(text_is_valid(is->en, strlen(is->en)) && *is->en);
        char *s = import_issue_format(is);
        FUZZ_CHECK(s && text_is_valid(s, strlen(s)));
        free(s);
    }
}

/* Write b with writer, read it back as format: the same bank. */
static void fuzz_trip(const struct bank *b,
                      char *(*writer)(const struct bank *), int format,
                      const char *what)
{
    char *t = writer(b);
    FUZZ_CHECK(t != NULL);
    struct import_opts o = fuzz_opts;
    o.format = format;
    o.skip_unsupported = false;
    struct import_result r = {0};
    int rc = import_parse(t, strlen(t), &o, &r);
    if (rc) {
        fprintf(stderr, "%s: the written bank does not read back:\n%s\n", what,
                t);
        for (int i = 0; i < r.n_issues; i++)
            fprintf(stderr, "  line %d: %s\n", r.issues[i].line,
                    r.issues[i].en);
        abort();
    }
    fuzz_bank_same(b, r.bank, what);
    if (format == IMPORT_NATIVE) /* GIFT carries neither */
        FUZZ_CHECK(!strcmp(b->name, r.bank->name) &&
                   !strcmp(b->title, r.bank->title));
    import_result_fini(&r);
    free(t);
}

/* May text[0..len) show a '<' as text? Only through an entity, a
 * plain-text field, or a '<' inside CDATA that does not open a tag. */
static bool fuzz_xml_may_show_lt(const char *text, size_t len)
{
    if (memchr(text, '&', len) || memmem(text, len, "plain_text", 10) ||
        memmem(text, len, "markdown", 8))
        return true;
    const char *p = text, *end = text + len;
    while ((p = memmem(p, (size_t)(end - p), "<![CDATA[", 9))) {
        p += 9;
        const char *e = memmem(p, (size_t)(end - p), "]]>", 3);
        if (!e)
            e = end;
        for (; p < e; p++) {
            if (*p != '<')
                continue;
            char c = p + 1 < e ? p[1] : ' ';
            if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '/' &&
                c != '!' && c != '?')
                return true;
        }
    }
    return false;
}

static void fuzz_no_lt(const struct bank *b)
{
    for (int i = 0; i < b->n; i++) {
        const struct bank_question *q = &b->q[i];
        FUZZ_CHECK(!strchr(q->text, '<'));
        FUZZ_CHECK(!strchr(q->explanation, '<'));
        FUZZ_CHECK(!strchr(q->topic, '<'));
        for (int k = 0; k < q->n_options; k++)
            FUZZ_CHECK(!strchr(q->options[k], '<'));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    int detected = import_format_detect(text, size);
    FUZZ_CHECK(detected > IMPORT_AUTO && detected <= IMPORT_CSV);

    struct import_result r = {0};
    int rc = import_parse(text, size, &fuzz_opts, &r);
    FUZZ_CHECK(rc == 0 || rc == EXAMD_EINVAL);
    FUZZ_CHECK(r.format == FUZZ_IMPORT_FORMAT);
    if (rc) {
        FUZZ_CHECK(r.bank == NULL && r.n_errors > 0);
        fuzz_issues_check(&r);
        import_result_fini(&r);
        return 0;
    }
    FUZZ_CHECK(r.n_errors == 0);
    if (r.n_issues)
        fuzz_issues_check(&r);
    fuzz_bank_check(r.bank);
    if (FUZZ_IMPORT_FORMAT == IMPORT_MOODLEXML &&
        !fuzz_xml_may_show_lt(text, size))
        fuzz_no_lt(r.bank);
    fuzz_trip(r.bank, export_native, IMPORT_NATIVE, "export_native");
    fuzz_trip(r.bank, export_gift, IMPORT_GIFT, "export_gift");
    import_result_fini(&r);
    return 0;
}
