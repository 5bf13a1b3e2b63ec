/* test_import_trip.c — for every import format: import, export_native,
 * import gives the same bank; export_gift, import gives the same bank (and
 * export_gift is a fixed point). Then every reader fed truncated and
 * byte-flipped copies of a good file: no crash, no leak (build-asan). */
#include "test_import_util.h"

#include "import_samples.h"

/* Import text as format, then round-trip it through both exporters. */
static void trip(const char *name, const char *text, int format)
{
    struct import_result a = {0}, b = {0}, c = {0}, d = {0};
    CHECK_EQ_INT(parse_fmt(text, format, true, &a), 0);
    if (!a.bank) {
        fprintf(stderr, "%s: does not import\n", name);
        print_issues(&a);
        return;
    }
    char *nat = export_native(a.bank);
    CHECK(nat != NULL);
    CHECK_EQ_INT(parse_fmt(nat, IMPORT_AUTO, false, &b), 0);
    CHECK_EQ_INT(b.format, IMPORT_NATIVE);
    if (!bank_equal(a.bank, b.bank)) {
        fprintf(stderr, "%s: native round trip differs\n%s\n", name, nat);
        print_issues(&b);
        CHECK(0);
    }
    char *gift = export_gift(a.bank);
    CHECK(gift != NULL);
    CHECK_EQ_INT(parse_fmt(gift, IMPORT_AUTO, false, &c), 0);
    CHECK_EQ_INT(c.format, IMPORT_GIFT);
    if (!bank_equal(a.bank, c.bank)) {
        fprintf(stderr, "%s: GIFT round trip differs\n%s\n", name, gift);
        print_issues(&c);
        CHECK(0);
    }
    /* Fixed point but for the first line, which names the bank (GIFT
     * does not carry the name: the importer's options give it). */
    char *gift2 = c.bank ? export_gift(c.bank) : NULL;
    CHECK(gift2 && !strcmp(strchr(gift, '\n'), strchr(gift2, '\n')));
    /* The native export of the GIFT re-import is the same file too. */
    char *nat2 = c.bank ? export_native(c.bank) : NULL;
    CHECK_EQ_INT(parse_fmt(nat2 ? nat2 : "", IMPORT_NATIVE, false, &d), 0);
    CHECK(d.bank && bank_equal(a.bank, d.bank));
    free(nat);
    free(nat2);
    free(gift);
    free(gift2);
    import_result_fini(&a);
    import_result_fini(&b);
    import_result_fini(&c);
    import_result_fini(&d);
}

static void test_round_trips(void)
{
    for (size_t i = 0; i < sizeof import_samples / sizeof *import_samples; i++)
        trip(import_samples[i].name, import_samples[i].text,
             import_samples[i].format);
}

/* The sample banks and fixtures of the repository, each round-tripped. */
static void test_repository_files(void)
{
    static const char *const files[] = {
        "question-banks/dang-va-bac-ho.json",
        "question-banks/phong-chong-tham-nhung.gift",
        "question-banks/xay-dung-dang.csv",
        "tests/fixtures/banks/aiken-sample.txt",
        "tests/fixtures/banks/moodle-sample.xml"};
    const char *root = getenv("EXAMD_SOURCE_DIR");
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root ? root : ".", files[i]);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        trip(files[i], buf, IMPORT_AUTO);
    }
}

/* Parse text[0..len) as format; nothing to check but that it returns and
 * frees (ASan and UBSan watch). */
static void mangled(const char *text, size_t len, int format)
{
    struct import_opts o = {.format = format, .skip_unsupported = len & 1};
    struct import_result r = {0};
    int rc = import_parse(text, len, &o, &r);
    CHECK(rc == 0 ? r.bank != NULL : r.bank == NULL && r.n_issues > 0);
    import_result_fini(&r);
}

static void test_mangled(void)
{
    static const char flips[] = {'\0', '\n', '{', '}', '~', '=', '#',  '"',
                                 ';',  ',',  '<', '>', '&', '%', '\\', ':'};
    size_t runs = 0;
    for (size_t i = 0; i < sizeof import_samples / sizeof *import_samples;
         i++) {
        const char *t = import_samples[i].text;
        size_t len = strlen(t);
        char *buf = malloc(len + 1);
        for (size_t n = 0; n <= len; n++) {
            memcpy(buf, t, n); /* a copy so ASan sees reads past n */
            mangled(buf, n, import_samples[i].format);
            runs++;
        }
        for (size_t p = 0; p < len; p++) {
            for (size_t f = 0; f < sizeof flips + 2; f++) {
                memcpy(buf, t, len);
                buf[p] = f < sizeof flips
                             ? flips[f]
                             : (char)(buf[p] ^ (f & 1 ? 0x80 : 0x01));
                mangled(buf, len,
                        f & 2 ? IMPORT_AUTO : import_samples[i].format);
                runs++;
            }
        }
        free(buf);
    }
    printf("mangled inputs parsed: %zu\n", runs);
}

int main(void)
{
    test_round_trips();
    test_repository_files();
    test_mangled();
    return check_done("test_import_trip");
}
