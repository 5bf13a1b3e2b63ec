/* test_roster.c — reading a class roster (roster.h): columns in both
 * languages, BOM and separators, bad rows by line, duplicates, dates,
 * logins without diacritics and made unique, passwords. */
#include "check.h"
#include "roster.h"

#include <sodium.h>
#include <stdlib.h>

/* Parse text; the caller frees with roster_fini. */
static struct roster parse(const char *text)
{
    struct roster r = {0};
    CHECK_EQ_INT(roster_parse(text, strlen(text), &r), 0);
    return r;
}

/* Is there an issue on line whose English text holds needle? */
static bool has_issue(const struct roster *r, int line, const char *needle)
{
    for (int i = 0; i < r->n_issues; i++)
        if (r->issues[i].line == line && strstr(r->issues[i].en, needle))
            return true;
    return false;
}

static void test_good(void)
{
    struct roster r =
        parse("\xEF\xBB\xBF"
              "STT;Họ và tên;Ngày sinh;Đơn vị;Số điện thoại\r\n"
              "1;Nguyễn  Văn An;05/03/1990;Chi bộ 1;0912 345 678\r\n"
              "2;\"Trần Thị Bình\";1988-12-31;;\r\n"
              "\r\n"
              "3;Lê Hoàng Cường;1/2/2000;\"Đảng ủy A / Chi bộ 2\";"
              "+84 912-345-679\r\n");
    CHECK_EQ_INT(r.n_issues, 0);
    CHECK_EQ_INT(r.n, 3);
    if (r.n == 3) {
        CHECK(!strcmp(r.rows[0].name, "Nguyễn Văn An"));
        CHECK(!strcmp(r.rows[0].birth, "1990-03-05"));
        CHECK(!strcmp(r.rows[0].unit, "Chi bộ 1"));
        CHECK(!strcmp(r.rows[0].phone, "0912345678"));
        CHECK_EQ_INT(r.rows[0].line, 2);
        CHECK(!strcmp(r.rows[1].birth, "1988-12-31"));
        CHECK(!strcmp(r.rows[1].unit, ""));
        CHECK(!strcmp(r.rows[1].phone, ""));
        CHECK_EQ_INT(r.rows[2].line, 5);
        CHECK(!strcmp(r.rows[2].birth, "2000-02-01"));
        CHECK(!strcmp(r.rows[2].phone, "+84912345679"));
    }
    roster_fini(&r);
    /* English header, commas, no phone column */
    r = parse("full name,date of birth,unit\nNguyen Van An,1990-03-05,"
              "\"Cell 1, ward A\"\n");
    CHECK_EQ_INT(r.n_issues, 0);
    CHECK_EQ_INT(r.n, 1);
    if (r.n == 1)
        CHECK(!strcmp(r.rows[0].unit, "Cell 1, ward A"));
    roster_fini(&r);
}

static void test_bad(void)
{
    struct roster r = parse("Họ và tên,Ngày sinh,Đơn vị\n"
                            "Nguyễn Văn An,05/03/1990,Chi bộ 1\n"
                            "Trần Thị Bình,31/02/1990,Chi bộ 1\n"
                            ",01/01/1990,Chi bộ 1\n"
                            "NGUYỄN VĂN AN,1990-03-05,Chi bộ 2\n"
                            "Phạm Thị Dung,01/01/1990,Chi bộ 1,thừa\n"
                            "Hoàng Văn Em,01/01/1990\n");
    CHECK_EQ_INT(r.n, 2); /* lines 2 and 7 */
    CHECK(has_issue(&r, 3, "not a date"));
    CHECK(has_issue(&r, 4, "full name is missing"));
    CHECK(has_issue(&r, 5, "repeats the person on line 2"));
    CHECK(has_issue(&r, 6, "more cells than the header"));
    CHECK_EQ_INT(r.n_issues, 4);
    roster_fini(&r);
    /* headers */
    r = parse("Tên đầy đủ;Ngày sinh\nA;01/01/1990\n");
    CHECK(has_issue(&r, 1, "unknown column"));
    roster_fini(&r);
    r = parse("Họ và tên;Đơn vị\nA;B\n");
    CHECK(has_issue(&r, 1, "must have the columns full name and date"));
    roster_fini(&r);
    r = parse("Họ và tên;Ngày sinh;Họ tên\nA;01/01/1990;A\n");
    CHECK(has_issue(&r, 1, "appears twice"));
    roster_fini(&r);
    /* not UTF-8 (Windows-1258 "Nguy\xeân"), on line 3 */
    r = parse("Họ và tên;Ngày sinh\nA;01/01/1990\nNguy\xea\xd2n;01/01/1990\n");
    CHECK(has_issue(&r, 3, "not UTF-8"));
    roster_fini(&r);
    /* a quote never closed, and a bad phone */
    r = parse("Họ và tên;Ngày sinh;SĐT\nA;01/01/1990;12ab\n\"B;01/01/1990\n");
    CHECK(has_issue(&r, 2, "not a phone"));
    CHECK(has_issue(&r, 3, "never closed"));
    roster_fini(&r);
    r = parse("");
    CHECK(has_issue(&r, 0, "empty"));
    roster_fini(&r);
}

static void test_dates(void)
{
    char d[11];
    CHECK(!roster_date_parse("05/03/1990", d) && !strcmp(d, "1990-03-05"));
    CHECK(!roster_date_parse("5-3-1990", d) && !strcmp(d, "1990-03-05"));
    CHECK(!roster_date_parse("5.3.1990 ", d) && !strcmp(d, "1990-03-05"));
    CHECK(!roster_date_parse("2000-02-29", d) && !strcmp(d, "2000-02-29"));
    CHECK(!roster_date_parse("29/02/2024", d));
    CHECK(roster_date_parse("29/02/1900", d) == -1); /* not a leap year */
    CHECK(roster_date_parse("31/04/1990", d) == -1);
    CHECK(roster_date_parse("03/15/1990", d) == -1); /* month/day */
    CHECK(roster_date_parse("5/3/90", d) == -1);
    CHECK(roster_date_parse("5/3-1990", d) == -1);
    CHECK(roster_date_parse("1990-3-5", d) == -1);
    CHECK(roster_date_parse("05/03/1990x", d) == -1);
    CHECK(roster_date_parse("", d) == -1);
}

/* Like the store: the first login of stem not in taken[]. */
static void next_login(const char *name, char taken[][ROSTER_LOGIN_MAX], int *n,
                       char out[ROSTER_LOGIN_MAX])
{
    char stem[ROSTER_LOGIN_MAX];
    CHECK_EQ_INT(roster_login_stem(name, stem), 0);
    for (int k = 1;; k++) {
        bool used = false;
        roster_login_nth(stem, k, out);
        for (int i = 0; i < *n; i++)
            used |= !strcmp(taken[i], out);
        if (!used)
            break;
    }
    snprintf(taken[(*n)++], ROSTER_LOGIN_MAX, "%s", out);
}

static void test_logins(void)
{
    char s[ROSTER_LOGIN_MAX];
    static const char *const cases[][2] = {
        {"Nguyễn Văn An", "nguyenvanan"},
        {"Đặng Thị Ánh", "dangthianh"},
        {"ĐỖ MINH KHANG", "dominhkhang"},
        {"Nguye\xcc\x82\xcc\x83n Văn Ân", "nguyenvanan"}, /* NFD */
        {"Lê Thị Hồng-Nhung (Chi bộ 3)", "lethihongnhungchibo3"},
        {"中文", "hocvien"},
        {"Tôn Nữ Thị Hoàng Phương Thảo Nguyên Khánh Linh",
         "tonnuthihoangphuongthao"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK_EQ_INT(roster_login_stem(cases[i][0], s), 0);
        if (strncmp(s, cases[i][1], strlen(cases[i][1])))
            fprintf(stderr, "stem(%s) = %s\n", cases[i][0], s);
        CHECK(!strncmp(s, cases[i][1], strlen(cases[i][1])));
        CHECK(strlen(s) <= ROSTER_LOGIN_MAX - 6);
    }
    CHECK_EQ_INT(roster_login_stem("\xff", s), -19); /* EXAMD_EINVAL */
    roster_login_nth("nguyenvanan", 1, s);
    CHECK(!strcmp(s, "nguyenvanan"));
    roster_login_nth("nguyenvanan", 12, s);
    CHECK(!strcmp(s, "nguyenvanan12"));
    /* unique among the same name written three ways */
    char taken[8][ROSTER_LOGIN_MAX];
    int n = 0;
    char l1[ROSTER_LOGIN_MAX], l2[ROSTER_LOGIN_MAX], l3[ROSTER_LOGIN_MAX];
    next_login("Nguyễn Văn An", taken, &n, l1);
    next_login("Nguyen Van An", taken, &n, l2);
    next_login("NGUYỄN VĂN AN", taken, &n, l3);
    CHECK(!strcmp(l1, "nguyenvanan"));
    CHECK(!strcmp(l2, "nguyenvanan2"));
    CHECK(!strcmp(l3, "nguyenvanan3"));
}

static void test_passwords(void)
{
    char a[ROSTER_PASSWORD_LEN + 1], b[ROSTER_PASSWORD_LEN + 1];
    roster_password(a);
    roster_password(b);
    CHECK_EQ_INT(strlen(a), ROSTER_PASSWORD_LEN);
    CHECK(strcmp(a, b) != 0);
    CHECK(strspn(a, "abcdefghjkmnpqrstuvwxyz23456789") == strlen(a));
    for (int i = 0; i < 200; i++) {
        roster_password(a);
        CHECK(strcspn(a, "01ilo") == strlen(a));
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_good();
    test_bad();
    test_dates();
    test_logins();
    test_passwords();
    return check_done("test_roster");
}
