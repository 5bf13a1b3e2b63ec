/*
 * fuzz_text.c — text_check, text_nfc and text_fold (text.h) on any bytes.
 *
 * Invariants: text_nfc gives NULL exactly when text_check refuses the
 * input; its result is valid, NFC (a second text_nfc changes nothing);
 * text_fold's key is valid, has no white space but single inner spaces,
 * no ASCII upper case and no đ, and folding it again changes nothing.
 */
#include "fuzz.h"

static void fuzz_key_check(const char *k)
{
    size_t n = strlen(k);
    FUZZ_CHECK(text_is_valid(k, n));
    if (n)
        FUZZ_CHECK(k[0] != ' ' && k[n - 1] != ' ');
    FUZZ_CHECK(!strstr(k, "  ") && !strpbrk(k, "\t\r\n"));
    for (const char *p = k; *p; p++)
        FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'));
    FUZZ_CHECK(!strstr(k, "\xC4\x91") && !strstr(k, "\xC4\x90"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t bad = (size_t)-1;
    int st = text_check(s, size, &bad);
    FUZZ_CHECK(st == TEXT_OK || st == TEXT_EUTF8 || st == TEXT_ECONTROL);
    FUZZ_CHECK(st == TEXT_OK ? bad == (size_t)-1 : bad < size);
    if (st != TEXT_OK)
        FUZZ_CHECK(text_check(s, bad, NULL) == TEXT_OK);

    char *n = text_nfc(s, size);
    FUZZ_CHECK((n != NULL) == (st == TEXT_OK));
    if (n) {
        FUZZ_CHECK(fuzz_is_nfc(n));
        char *k = text_fold(n);
        FUZZ_CHECK(k != NULL);
        fuzz_key_check(k);
        char *k2 = text_fold(k);
        FUZZ_CHECK(k2 != NULL);
        if (strcmp(k, k2)) {
            fprintf(stderr, "text_fold is not idempotent: \"%s\" -> \"%s\"\n",
                    k, k2);
            abort();
        }
        free(k2);
        free(k);
    }
    free(n);
    return 0;
}
