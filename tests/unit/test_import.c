/* test_import.c — import_parse on GIFT (Moodle's corner cases, errors with
 * their exact lines, unsupported types), NFC and duplicates, UTF-8,
 * detection. Other formats: test_import_formats.c; round trips and
 * mangled input: test_import_trip.c. */
#include "test_import_util.h"

#include <stdlib.h>

/* --- GIFT --- */

static void test_gift_basic(void)
{
    const char *f =
        "// Đề ôn tập\n"
        "$CATEGORY: $course$/top/Lịch sử Đảng\n"
        "\n"
        "::lsd-001::Đảng Cộng sản Việt Nam được thành lập năm nào? "
        "{\n"
        "  ~1925\n"
        "  =1930 # Đúng: Hội nghị hợp nhất 1930.\n"
        "  ~1945\n"
        "  ####Hội nghị họp tại Cửu Long (Hương Cảng).\n"
        "}\n"
        "\n"
        "Chủ tịch Hồ Chí Minh sinh năm 1890.{T#Sai rồi#Chính xác}\n";
    struct import_result r = {0};
    parse_auto_ok(f, IMPORT_GIFT, &r);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK_EQ_INT(r.bank->n, 2);
        CHECK(!strcmp(q->ext_id, "lsd-001"));
        CHECK(!strcmp(q->topic, "Lịch sử Đảng"));
        CHECK(
            !strcmp(q->text, "Đảng Cộng sản Việt Nam được thành lập năm nào?"));
        CHECK_EQ_INT(q->n_options, 3);
        CHECK_EQ_INT(q->key, 2);
        CHECK(!q->multi);
        CHECK_EQ_INT(q->weight[1], BANK_WEIGHT_FULL);
        CHECK_EQ_INT(q->difficulty, EXAM_MEDIUM);
        CHECK_EQ_INT(q->line, 4);
        CHECK_EQ_INT(q->points, 1);
        CHECK(q->shuffle);
        CHECK(!strcmp(q->explanation,
                      "Hội nghị họp tại Cửu Long (Hương Cảng).\n"
                      "1930: Đúng: Hội nghị hợp nhất 1930."));
        q = &r.bank->q[1];
        CHECK_EQ_INT(q->line, 11);
        CHECK(!strcmp(q->text, "Chủ tịch Hồ Chí Minh sinh năm 1890."));
        CHECK(!strcmp(q->options[0], "Đúng") && !strcmp(q->options[1], "Sai"));
        CHECK_EQ_INT(q->key, 1);
        CHECK(!strcmp(q->explanation, "Đúng: Chính xác\nSai: Sai rồi"));
        CHECK(!strcmp(q->topic, "Lịch sử Đảng"));
    }
    import_result_fini(&r);
}

static void test_gift_weights(void)
{
    struct import_result r = {0};
    /* Multiple answer: no '=', weights, negatives allowed. */
    CHECK_EQ_INT(parse_fmt("Chọn các hình thức kỷ luật đảng viên dự bị {\n"
                           "~%50%Khiển trách\n~%50%Cảnh cáo\n"
                           "~%-100%Khai trừ\n~Cách chức}\n",
                           IMPORT_GIFT, false, &r),
                 0);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK(q->multi);
        CHECK_EQ_INT(q->key, 3);
        CHECK_EQ_INT(q->weight[0], 5000000);
        CHECK_EQ_INT(q->weight[2], -BANK_WEIGHT_FULL);
        CHECK_EQ_INT(q->weight[3], 0);
    }
    import_result_fini(&r);
    /* Thirds: 33.33333 is one of Moodle's grades; the sum is made exact. */
    CHECK_EQ_INT(parse_fmt("Ba đáp án {~%33.33333%a ~%33.33333%b "
                           "~%33.33333%c ~d}",
                           IMPORT_GIFT, false, &r),
                 0);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK_EQ_INT(q->weight[0], 3333333);
        CHECK_EQ_INT(q->weight[0] + q->weight[1] + q->weight[2],
                     BANK_WEIGHT_FULL);
    }
    import_result_fini(&r);
    /* 33 is not a Moodle grade. */
    CHECK_EQ_INT(parse_fmt("\n\nBa đáp án {~%33%a ~%33%b ~%34%c ~d}",
                           IMPORT_GIFT, false, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_errors >= 1 && r.issues[0].line == 3);
    CHECK(r.n_issues && strstr(r.issues[0].en, "weight 33 % is not one"));
    import_result_fini(&r);
    /* Positive weights must add up to 100. */
    CHECK_EQ_INT(
        parse_fmt("Sai tổng {~%50%a ~%25%b ~c}", IMPORT_GIFT, false, &r),
        EXAMD_EINVAL);
    CHECK(r.n_issues && strstr(r.issues[0].en, "add up to 75 %"));
    import_result_fini(&r);
}

/* "=%50%x" in a question that has '=' is single-answer: x carries 50 %
 * as partial credit, it does not turn the question into a multi. */
static void test_gift_partial(void)
{
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt("Thủ đô? {=Hà Nội =%50%Hà Nội cũ ~%-50%Huế ~Vinh}",
                           IMPORT_GIFT, false, &r),
                 0);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK(!q->multi);
        CHECK_EQ_INT(q->key, 1);
        CHECK_EQ_INT(q->weight[0], BANK_WEIGHT_FULL);
        CHECK_EQ_INT(q->weight[1], 5000000);
        CHECK_EQ_INT(q->weight[2], -5000000);
        CHECK(!strcmp(q->options[1], "Hà Nội cũ"));
    }
    import_result_fini(&r);
    /* Two '=' options: single-answer with two right answers. */
    CHECK_EQ_INT(parse_fmt("\nHai đúng {=a =b ~c}", IMPORT_GIFT, false, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 2);
    CHECK(r.n_issues &&
          !strcmp(r.issues[0].en,
                  "has 2 correct answers but is marked single-answer"));
    if (r.n_issues) {
        char *s = import_issue_format(&r.issues[0]);
        CHECK(s && !strcmp(s, "dòng 2: câu \"Hai đúng\" có 2 đáp án đúng nhưng "
                              "được đánh dấu một đáp án / line 2: question "
                              "\"Hai đúng\" has 2 correct answers but is "
                              "marked single-answer"));
        free(s);
    }
    import_result_fini(&r);
}

static void test_gift_escapes(void)
{
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt("::a\\:b::Tỉ lệ 1\\:2 \\{x\\} \\~ \\= \\# \\\\ hết"
                           "\\ndòng 2 {=đúng\\#1 ~sai \\= 2 #phản hồi\\: ok}",
                           IMPORT_GIFT, false, &r),
                 0);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK(!strcmp(q->ext_id, "a:b"));
        CHECK(!strcmp(q->text, "Tỉ lệ 1:2 {x} ~ = # \\ hết\ndòng 2"));
        CHECK(!strcmp(q->options[0], "đúng#1"));
        CHECK(!strcmp(q->options[1], "sai = 2"));
        CHECK(!strcmp(q->explanation, "sai = 2: phản hồi: ok"));
    }
    import_result_fini(&r);
}

static void test_gift_formats(void)
{
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt("[html]<p>Câu <b>in đậm</b></p><script>alert(1)"
                           "</script><p>dòng&nbsp;2 &amp; &lt;3</p> {"
                           "=<i>đúng</i> ~[plain]<b>sai</b>}\n\n"
                           "Năm {=1930 ~1945} Đảng ra đời.",
                           IMPORT_GIFT, false, &r),
                 0);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK(!strcmp(q->text, "Câu in đậm\ndòng 2 & <3"));
        CHECK(!strstr(q->text, "alert"));
        CHECK(!strcmp(q->options[0], "đúng"));
        CHECK(!strcmp(q->options[1], "<b>sai</b>"));
        CHECK(!strcmp(r.bank->q[1].text, "Năm _____ Đảng ra đời."));
    }
    import_result_fini(&r);
}

static void test_gift_unsupported(void)
{
    const char *f = "Tự luận: nêu ý nghĩa {}\n"
                    "\n"
                    "Ghép đôi {=Hà Nội -> thủ đô =Huế -> cố đô}\n"
                    "\n"
                    "Số {#1930}\n"
                    "\n"
                    "Trả lời ngắn {=1930 =năm 1930}\n"
                    "\n"
                    "Chỉ là mô tả\n"
                    "\n"
                    "Câu trắc nghiệm {=a ~b}\n";
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt(f, IMPORT_GIFT, false, &r), EXAMD_EINVAL);
    CHECK_EQ_INT(r.n_errors, 5);
    CHECK(r.bank == NULL);
    int lines[] = {1, 3, 5, 7, 9};
    for (int i = 0; i < 5 && i < r.n_issues; i++) {
        CHECK_EQ_INT(r.issues[i].line, lines[i]);
        CHECK(!r.issues[i].skipped);
    }
    CHECK(r.n_issues >= 4 && strstr(r.issues[0].en, "essay") &&
          strstr(r.issues[1].en, "matching") &&
          strstr(r.issues[2].en, "numerical") &&
          strstr(r.issues[3].en, "short answer"));
    import_result_fini(&r);
    CHECK_EQ_INT(parse_fmt(f, IMPORT_GIFT, true, &r), 0);
    CHECK_EQ_INT(r.n_skipped, 5);
    CHECK_EQ_INT(r.n_errors, 0);
    CHECK(r.n_issues == 5 && r.issues[4].skipped && r.issues[4].line == 9);
    CHECK(r.bank && r.bank->n == 1 && r.bank->q[0].line == 11);
    import_result_fini(&r);
}

static void test_gift_errors(void)
{
    const char *f = "Đúng {=a ~b}\n" /* 1: fine */
                    "\n"
                    "Thiếu ngoặc {=a ~b\n" /* 3 */
                    "\n"
                    "Một lựa chọn {=a ~}\n" /* 5 */
                    "\n"
                    "Lặp {=a ~a}\n" /* 7 */
                    "\n"
                    "// examd: difficulty=hard\n" /* 9 */
                    "Đúng {=c ~d}\n"              /* 10: duplicate of 1 */
                    "\n"
                    "Bảy {=1 ~2 ~3 ~4 ~5 ~6 ~7}\n"; /* 12 */
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt(f, IMPORT_GIFT, false, &r), EXAMD_EINVAL);
    int lines[] = {3, 5, 7, 10, 12};
    const char *const what[] = {
        "{ or } missing", "option 2 is empty", "option 2 repeats option 1",
        "duplicates the question on line 1", "has 7 options"};
    check_issues(&r, 5, lines, what);
    CHECK(r.n_issues == 5 && !strcmp(r.issues[3].question, "Đúng"));
    import_result_fini(&r);
}

/* NFD input is stored NFC, and an NFD copy of an NFC question is its
 * duplicate. */
static void test_nfc_and_duplicates(void)
{
    const char *nfd_q = "\xc4\x90"
                        "a\xcc\x89ng ta ra \xc4\x91o\xcc\x9b\xcc\x80i "
                        "n\xc4\x83m na\xcc\x80o? {=1930 ~1945}\n";
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt(nfd_q, IMPORT_GIFT, false, &r), 0);
    CHECK(r.bank && !strcmp(r.bank->q[0].text, "Đảng ta ra đời năm nào?"));
    import_result_fini(&r);
    char f[512];
    snprintf(f, sizeof f, "Đảng ta ra đời năm nào? {=1930 ~1945}\n\n%s", nfd_q);
    CHECK_EQ_INT(parse_fmt(f, IMPORT_GIFT, false, &r), EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 3 &&
          strstr(r.issues[0].en, "duplicates the question on line 1") &&
          strstr(r.issues[0].vi, "trùng nội dung với câu ở dòng 1"));
    import_result_fini(&r);
    /* Repeated ids are refused too, naming both lines. */
    CHECK_EQ_INT(
        parse_fmt("::x::a {=1 ~2}\n\n::x::b {=1 ~2}", IMPORT_GIFT, false, &r),
        EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 3 &&
          strstr(r.issues[0].en, "already used by the question on line 1"));
    import_result_fini(&r);
}

static void test_utf8(void)
{
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt("C\xe2u h\xe1i {=a ~b}", IMPORT_AUTO, false, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 0 &&
          strstr(r.issues[0].en, "save it as UTF-8") &&
          strstr(r.issues[0].vi, "CSV UTF-8"));
    import_result_fini(&r);
    CHECK_EQ_INT(
        parse_fmt("a {=1 ~2}\n\nb\x0c {=1 ~2}", IMPORT_GIFT, false, &r),
        EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 3 &&
          strstr(r.issues[0].en, "U+000C"));
    import_result_fini(&r);
    CHECK_EQ_INT(import_parse("\xff\xfe"
                              "a\0",
                              4, NULL, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && strstr(r.issues[0].en, "UTF-16"));
    import_result_fini(&r);
    CHECK_EQ_INT(parse_fmt("", IMPORT_GIFT, false, &r), EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && strstr(r.issues[0].en, "no question"));
    import_result_fini(&r);
}

static void test_detect(void)
{
    static const struct {
        const char *text;
        int format;
    } cases[] = {
        {"\xef\xbb\xbf {\"format\": \"examd-bank/1\"}", IMPORT_NATIVE},
        {"<?xml version=\"1.0\"?><quiz></quiz>", IMPORT_MOODLEXML},
        {"  <quiz>", IMPORT_MOODLEXML},
        {"topic,difficulty,question,A,B,correct\n", IMPORT_CSV},
        {"\xef\xbb\xbf"
         "Chủ đề;Mức độ;Câu hỏi;A;B;Đáp án đúng\r\n",
         IMPORT_CSV},
        {"Câu hỏi?\nA. một\nB) hai\nANSWER: A\n", IMPORT_AIKEN},
        {"Câu hỏi? {=a ~b}\n", IMPORT_GIFT},
        {"Câu hỏi, có dấu phẩy {=a ~b}\n", IMPORT_GIFT},
        {"{ \"not\": \"a bank\" }", IMPORT_GIFT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int f = import_format_detect(cases[i].text, strlen(cases[i].text));
        if (f != cases[i].format)
            fprintf(stderr, "detect case %zu: %d\n", i, f);
        CHECK_EQ_INT(f, cases[i].format);
    }
    CHECK_EQ_INT(import_format_parse("GIFT"), IMPORT_GIFT);
    CHECK_EQ_INT(import_format_parse("moodlexml"), IMPORT_MOODLEXML);
    CHECK_EQ_INT(import_format_parse("xml"), IMPORT_MOODLEXML);
    CHECK_EQ_INT(import_format_parse("native"), IMPORT_NATIVE);
    CHECK_EQ_INT(import_format_parse("nope"), -1);
    CHECK(!strcmp(import_format_name(IMPORT_CSV), "csv"));
}

/* A file with many problems lists at most IMPORT_MAX_ISSUES, the last
 * saying so; the counts are whole. */
static void test_issue_cap(void)
{
    size_t cap = 300 * 20 + 1, n = 0;
    char *f = malloc(cap);
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(f + n, cap - n, "Câu %d {=a =b}\n\n", i);
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt(f, IMPORT_GIFT, false, &r), EXAMD_EINVAL);
    CHECK_EQ_INT(r.n_errors, 300);
    CHECK_EQ_INT(r.n_issues, IMPORT_MAX_ISSUES);
    CHECK(r.n_issues && r.issues[0].line == 0 &&
          strstr(r.issues[0].en, "too many problems"));
    CHECK(r.n_issues > 1 && r.issues[1].line == 1);
    import_result_fini(&r);
    free(f);
}

int main(void)
{
    test_gift_basic();
    test_gift_weights();
    test_gift_partial();
    test_gift_escapes();
    test_gift_formats();
    test_gift_unsupported();
    test_gift_errors();
    test_nfc_and_duplicates();
    test_utf8();
    test_detect();
    test_issue_cap();
    return check_done("test_import");
}
