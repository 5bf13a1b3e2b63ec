/*
 * fuzz_bank.c — bank_parse, the native examd-bank/1 reader used by
 * `examd bank add` and the staff console.
 *
 * Invariants: NULL comes with a message (valid UTF-8), a bank obeys every
 * rule of the format (fuzz.h), and export_native of it parses back to the
 * same bank, name and title included.
 */
#include "fuzz.h"

#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[512];
    msg[0] = '\0';
    struct bank *b = bank_parse((const char *)data, size, msg, sizeof msg);
    if (!b) {
        FUZZ_CHECK(*msg && text_is_valid(msg, strlen(msg)));
        return 0;
    }
    fuzz_bank_check(b);
    char *t = export_native(b);
    FUZZ_CHECK(t != NULL);
    struct bank *c = bank_parse(t, strlen(t), msg, sizeof msg);
    if (!c)
        fprintf(stderr, "export_native:\n%s\nreads back as: %s\n", t, msg);
    fuzz_bank_same(b, c, "export_native");
    FUZZ_CHECK(!strcmp(b->name, c->name) && !strcmp(b->title, c->title));
    bank_free(c);
    free(t);
    bank_free(b);
    return 0;
}
