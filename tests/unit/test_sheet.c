/*
 * test_sheet.c — the table writer: CSV quoting and BOM, JSON types,
 * widths in code points, and the XLSX read back by openpyxl
 * (/usr/bin/python3, Debian's python3-openpyxl) when it is there.
 */
#include "check.h"
#include "err.h"
#include "sheet.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

static struct sheet *sample(void)
{
    struct sheet *s = sheet_new("roster", "Danh sách: lớp [A]/1");
    CHECK_EQ_INT(sheet_col_add(s, "name", "Họ và tên", SHEET_TEXT, 0), 0);
    CHECK_EQ_INT(sheet_col_add(s, "n", "Số câu", SHEET_INTEGER, 0), 1);
    CHECK_EQ_INT(sheet_col_add(s, "score", "Điểm", SHEET_DECIMAL, 2), 2);
    CHECK_EQ_INT(sheet_col_add(s, "passed", "Đạt", SHEET_BOOL, 0), 3);
    CHECK_EQ_INT(sheet_col_add(s, "dob", "Ngày sinh", SHEET_DATE, 0), 4);
    sheet_row_add(s);
    sheet_set_text(s, 0, "Nguyễn Thị Hồng Nhung");
    sheet_set_int(s, 1, 30);
    sheet_set_number(s, 2, 8.755);
    sheet_set_bool(s, 3, true);
    sheet_set_text(s, 4, "1990-05-17");
    sheet_row_add(s);
    sheet_set_text(s, 0, "Trần \"Đức\", Thắng\nB");
    sheet_set_int(s, 2, 7);
    sheet_set_bool(s, 3, false);
    sheet_set_text(s, 4, "1985");
    return s;
}

/* sheets[0..n) written as f: the new buffer (free), its length in *len. */
static char *written(struct sheet *const *sheets, int n, enum sheet_format f,
                     size_t *len)
{
    char *out, msg[200];
    CHECK_EQ_INT(sheet_write(sheets, n, f, NULL, &out, len, msg, sizeof msg),
                 0);
    return out;
}

static void test_csv(void)
{
    struct sheet *s = sample();
    size_t len;
    char *out = written(&s, 1, SHEET_CSV, &len);
    CHECK(len > 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0);
    const char *want = "\xEF\xBB\xBF"
                       "Họ và tên,Số câu,Điểm,Đạt,Ngày sinh\r\n"
                       "Nguyễn Thị Hồng Nhung,30,8.76,TRUE,1990-05-17\r\n"
                       "\"Trần \"\"Đức\"\", Thắng\nB\",,7.00,FALSE,1985\r\n";
    CHECK(strcmp(out, want) == 0 || (fprintf(stderr, "%s", out), 0));
    CHECK_EQ_INT(len, strlen(want));
    free(out);
    /* two sheets: a blank line between */
    struct sheet *t = sheet_new("b", "B");
    sheet_col_add(t, "x", "X", SHEET_TEXT, 0);
    sheet_row_add(t);
    sheet_set_text(t, 0, "a\rb");
    struct sheet *both[2] = {s, t};
    out = written(both, 2, SHEET_CSV, &len);
    CHECK_STR_HAS(out, "FALSE,1985\r\n\r\nX\r\n\"a\rb\"\r\n");
    free(out);
    sheet_free(t);
    sheet_free(s);
}

/* Text that a spreadsheet would run as a formula gets a ' in front (and
 * is still quoted when it must be); numbers, negative ones too, and text
 * with such a character later on are written as they are. */
static void test_csv_formulas(void)
{
    struct sheet *s = sheet_new("r", "R");
    sheet_col_add(s, "name", "Họ và tên", SHEET_TEXT, 0);
    sheet_col_add(s, "diff", "Chênh lệch", SHEET_INTEGER, 0);
    sheet_col_add(s, "score", "Điểm", SHEET_DECIMAL, 2);
    const char *in[] = {"=HYPERLINK(\"http://x\",\"Lan\")",
                        "+84 912 345 678",
                        "-2+3",
                        "@SUM(A1:A9)",
                        "\tcmd",
                        "\r=1",
                        "Lê Thị =Lan",
                        "'quoted"};
    const char *want[] = {
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"Lan\"\")\",-3,-1.50\r\n",
        "'+84 912 345 678,-3,-1.50\r\n",
        "'-2+3,-3,-1.50\r\n",
        "'@SUM(A1:A9),-3,-1.50\r\n",
        "'\tcmd,-3,-1.50\r\n",
        "\"'\r=1\",-3,-1.50\r\n",
        "Lê Thị =Lan,-3,-1.50\r\n",
        "'quoted,-3,-1.50\r\n"};
    for (int i = 0; i < 8; i++) {
        sheet_row_add(s);
        sheet_set_text(s, 0, in[i]);
        sheet_set_int(s, 1, -3);
        sheet_set_number(s, 2, -1.5);
    }
    size_t len;
    char *out = written(&s, 1, SHEET_CSV, &len);
    for (int i = 0; i < 8; i++)
        CHECK_STR_HAS(out, want[i]);
    CHECK(!strstr(out, "\n=HYPERLINK"));
    free(out);
    /* JSON keeps the text as it is */
    out = written(&s, 1, SHEET_JSON, &len);
    CHECK_STR_HAS(out, "\"name\": \"=HYPERLINK(");
    free(out);
    sheet_free(s);
}

static void test_json(void)
{
    struct sheet *s = sample();
    size_t len;
    char *out = written(&s, 1, SHEET_JSON, &len);
    json_t *a = json_loads(out, 0, NULL);
    CHECK(json_is_array(a) && json_array_size(a) == 2);
    json_t *r0 = json_array_get(a, 0), *r1 = json_array_get(a, 1);
    CHECK(strcmp(json_string_value(json_object_get(r0, "name")),
                 "Nguyễn Thị Hồng Nhung") == 0);
    CHECK(json_integer_value(json_object_get(r0, "n")) == 30);
    CHECK(json_real_value(json_object_get(r0, "score")) == 8.76);
    CHECK(json_is_true(json_object_get(r0, "passed")));
    CHECK(json_is_null(json_object_get(r1, "n")));
    CHECK(json_is_number(json_object_get(r1, "score")));
    CHECK(json_is_false(json_object_get(r1, "passed")));
    json_decref(a);
    free(out);
    sheet_free(s);
}

static void test_widths_and_errors(void)
{
    CHECK_EQ_INT(sheet_utf8_len("Nguyễn"), 6);
    CHECK_EQ_INT(sheet_utf8_len("Đảng"), 4);
    CHECK_EQ_INT(sheet_utf8_len(""), 0);
    struct sheet *s = sample();
    /* "Nguyễn Thị Hồng Nhung" is 21 code points (29 bytes) + 2 */
    CHECK_EQ_INT(sheet_col_width(s, 0), 23);
    CHECK_EQ_INT(sheet_col_width(s, 1), 8); /* "Số câu" 6 + 2 */
    CHECK_EQ_INT(sheet_col_width(s, 3), 7); /* "FALSE" 5 + 2 */
    /* columns only before the first row; cells only in range */
    CHECK_EQ_INT(sheet_col_add(s, "late", "Late", SHEET_TEXT, 0), EXAMD_EINVAL);
    CHECK_EQ_INT(sheet_set_int(s, 9, 1), EXAMD_EINVAL);
    struct sheet *e = sheet_new("e", "E");
    CHECK_EQ_INT(sheet_set_int(e, 0, 1), EXAMD_EINVAL);
    sheet_free(e);
    sheet_free(s);
    CHECK_EQ_INT(sheet_format_parse("xlsx"), SHEET_XLSX);
    CHECK_EQ_INT(sheet_format_parse("pdf"), -1);
    sheet_free(NULL);
}

/* The XLSX as openpyxl reads it: values, numeric types, frozen header,
 * Vietnamese intact, the sheet title cleaned. */
static void test_xlsx(void)
{
    struct sheet *s = sample();
    size_t len;
    char *out = written(&s, 1, SHEET_XLSX, &len);
    CHECK(len > 1000 && memcmp(out, "PK", 2) == 0);
    sheet_free(s);
    if (access("/usr/bin/python3", X_OK) != 0) {
        printf("test_sheet: no /usr/bin/python3, XLSX not read back\n");
        free(out);
        return;
    }
    char path[] = "/tmp/test_sheet-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    CHECK(fd >= 0 && write(fd, out, len) == (ssize_t)len);
    close(fd);
    free(out);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c '\n"
             "import openpyxl,sys\n"
             "ws=openpyxl.load_workbook(sys.argv[1]).active\n"
             "r=[[c.value for c in row] for row in ws.iter_rows()]\n"
             "assert ws.freeze_panes==\"A2\", ws.freeze_panes\n"
             "assert ws.title==\"Danh sách  lớp  A  1\", ws.title\n"
             "assert r[0][0]==\"Họ và tên\", r[0]\n"
             "assert r[1][0]==\"Nguyễn Thị Hồng Nhung\", r[1]\n"
             "assert r[1][1]==30 and isinstance(r[1][1],(int,float)), r[1]\n"
             "assert abs(r[1][2]-8.755)<1e-9, r[1]\n"
             "assert ws.cell(2,3).number_format==\"0.00\"\n"
             "assert r[1][3] is True and r[2][3] is False\n"
             "assert r[1][4].year==1990 and r[2][4]==\"1985\", r[2]\n"
             "assert r[2][0]==\"Trần \\\"Đức\\\", Thắng\\nB\", r[2]\n"
             "assert ws.cell(1,1).font.b\n"
             "assert int(ws.column_dimensions[\"A\"].width)==23, "
             "ws.column_dimensions[\"A\"].width\n"
             "' %s",
             path);
    int rc = system(cmd);
    CHECK_EQ_INT(rc, 0);
    unlink(path);
}

int main(void)
{
    test_csv();
    test_csv_formulas();
    test_json();
    test_widths_and_errors();
    test_xlsx();
    return check_done("test_sheet");
}
