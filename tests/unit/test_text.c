/* test_text.c — UTF-8 validation, NFC and search folding (text.h). */
#include "check.h"
#include "text.h"

#include <stdlib.h>

static void test_fold(void)
{
    static const char *const cases[][2] = {
        {"Đảng", "dang"},
        {"ĐẢNG CỘNG SẢN", "dang cong san"},
        {"  Hồ   Chí\tMinh \n", "ho chi minh"},
        {"Điều lệ Đảng", "dieu le dang"},
        {"Nghị quyết Trung ương 4 (khóa XII)",
         "nghi quyet trung uong 4 (khoa xii)"},
        {"ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC", "dai hoi dai bieu toan quoc"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *f = text_fold(cases[i][0]);
        CHECK(f != NULL);
        if (f && strcmp(f, cases[i][1]))
            fprintf(stderr, "fold(%s) = \"%s\"\n", cases[i][0], f);
        CHECK(f && !strcmp(f, cases[i][1]));
        free(f);
    }
    /* NFD input folds the same: "Đảng" as Đ a ◌̉ n g. */
    char *f = text_fold("\xc4\x90"
                        "A\xcc\x89NG");
    CHECK(f && !strcmp(f, "dang"));
    free(f);
    CHECK(text_fold("\xff") == NULL);
}

static void test_nfc(void)
{
    /* "Đảng" decomposed: Đ a ◌̉ n g, and "Việt" as V i e ◌̣ ◌̂ t. */
    const char *nfd = "\xc4\x90"
                      "a\xcc\x89ng Vie\xcc\xa3\xcc\x82t";
    char *n = text_nfc(nfd, strlen(nfd));
    CHECK(n && !strcmp(n, "Đảng Việt"));
    free(n);
    const char *nfc = "Đảng Việt";
    n = text_nfc(nfc, strlen(nfc));
    CHECK(n && !strcmp(n, nfc));
    free(n);
    n = text_nfc("abc", 2); /* length honoured, no NUL needed */
    CHECK(n && !strcmp(n, "ab"));
    free(n);
    n = text_nfc("", 0);
    CHECK(n && !*n);
    free(n);
    char *a = text_fold(nfd), *b = text_fold(nfc);
    CHECK(a && b && !strcmp(a, b) && !strcmp(a, "dang viet"));
    free(a);
    free(b);
}

static void test_valid(void)
{
    size_t at = 99;
    CHECK(text_is_valid("Đảng\tx\r\n", 9));
    CHECK(!text_is_valid("a\xff", 2));
    CHECK_EQ_INT(text_check("ab\xc3", 3, &at), TEXT_EUTF8); /* truncated */
    CHECK_EQ_INT(at, 2);
    CHECK_EQ_INT(text_check("\xc0\xaf", 2, &at), TEXT_EUTF8); /* overlong */
    CHECK_EQ_INT(text_check("\xed\xa0\x80", 3, &at),
                 TEXT_EUTF8); /* surrogate */
    CHECK_EQ_INT(text_check("\xf4\x90\x80\x80", 4, &at), TEXT_EUTF8);
    CHECK_EQ_INT(text_check("ab\x01", 3, &at), TEXT_ECONTROL);
    CHECK_EQ_INT(at, 2);
    CHECK_EQ_INT(text_check("a\0b", 3, &at), TEXT_ECONTROL);
    CHECK(text_nfc("a\xff", 2) == NULL);
    CHECK(text_nfc("a\x0c", 2) == NULL);
}

int main(void)
{
    test_fold();
    test_nfc();
    test_valid();
    return check_done("test_text");
}
