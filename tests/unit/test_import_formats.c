/* test_import_formats.c — CSV, Aiken, Moodle XML and native through
 * import_parse: Moodle's defaults and corner cases, errors at exact lines. */
#include "test_import_util.h"

/* --- CSV --- */

static void test_csv_basic(void)
{
    const char *f =
        "\xef\xbb\xbf"
        "Chủ đề;Mức độ;Câu hỏi;A;B;C;D;Đáp án đúng;Giải thích\r\n"
        "Lịch sử Đảng;dễ;Đảng ra đời năm nào?;1925;1930;1945;1951;B;"
        "Hội nghị hợp nhất\r\n"
        "Điều lệ Đảng;khó;\"Kỷ luật đảng viên dự bị;\r\n"
        "chọn \"\"tất cả\"\"\";Khiển trách;Cách chức;Cảnh cáo;;A,C;\r\n"
        ";;;;;;;;\r\n"
        ";;Câu ba;x;y;;;b;\r\n";
    struct import_result r = {0};
    int rc = parse_fmt(f, IMPORT_AUTO, false, &r);
    CHECK_EQ_INT(r.format, IMPORT_CSV);
    CHECK_EQ_INT(rc, 0);
    if (rc)
        print_issues(&r);
    if (r.bank && r.bank->n == 3) {
        struct bank_question *q = &r.bank->q[0];
        CHECK_EQ_INT(q->line, 2);
        CHECK_EQ_INT(q->difficulty, EXAM_EASY);
        CHECK(!strcmp(q->topic, "Lịch sử Đảng"));
        CHECK_EQ_INT(q->n_options, 4);
        CHECK_EQ_INT(q->key, 2);
        CHECK(!q->multi);
        CHECK(!strcmp(q->explanation, "Hội nghị hợp nhất"));
        q = &r.bank->q[1];
        CHECK_EQ_INT(q->line, 3);
        CHECK(!strcmp(q->text, "Kỷ luật đảng viên dự bị;\nchọn \"tất cả\""));
        CHECK_EQ_INT(q->n_options, 3);
        CHECK(q->multi);
        CHECK_EQ_INT(q->key, 5);
        CHECK_EQ_INT(q->weight[0], 5000000);
        CHECK_EQ_INT(q->weight[2], 5000000);
        CHECK_EQ_INT(q->difficulty, EXAM_HARD);
        q = &r.bank->q[2];
        CHECK_EQ_INT(q->line, 6);
        CHECK(!strcmp(q->topic, "Ngân hàng nhập")); /* empty: the title */
        CHECK_EQ_INT(q->difficulty, EXAM_MEDIUM);
        CHECK_EQ_INT(q->key, 2);
    }
    import_result_fini(&r);
    /* Comma, LF, English header in another order, ids and points. */
    CHECK_EQ_INT(parse_fmt("question,correct,a,b,c,id,points,topic\n"
                           "\"Ai, năm nào?\",AC,x,y,z,q-1,2,T\n",
                           IMPORT_AUTO, false, &r),
                 0);
    if (r.bank) {
        CHECK(!strcmp(r.bank->q[0].text, "Ai, năm nào?"));
        CHECK_EQ_INT(r.bank->q[0].key, 5);
        CHECK(!strcmp(r.bank->q[0].ext_id, "q-1"));
        CHECK_EQ_INT(r.bank->q[0].points, 2);
    }
    import_result_fini(&r);
}

static void test_csv_errors(void)
{
    const char *f = "topic,difficulty,question,A,B,C,correct\n"
                    "t,easy,Một,a,b,,C\n"            /* 2: C is empty */
                    "t,rất khó,Hai,a,b,c,A\n"        /* 3: difficulty */
                    "t,,Ba,a,,c,A\n"                 /* 4: gap */
                    "t,,\"Bốn\n\nvẫn bốn\",a,b,c,\n" /* 5: no correct */
                    "t,,Năm,a,b,c,A,thừa\n"          /* 8: extra cell */
                    "t,,\"Sáu,a,b,c,A\n";            /* 9: never closed */
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt(f, IMPORT_CSV, false, &r), EXAMD_EINVAL);
    int lines[] = {2, 3, 4, 5, 8, 9};
    const char *const what[] = {"correct answer \"C\"",
                                "difficulty \"rất khó\"",
                                "has option C but option B is empty",
                                "correct answer \"\"",
                                "more cells than the header",
                                "never closed"};
    check_issues(&r, 6, lines, what);
    import_result_fini(&r);
    CHECK_EQ_INT(parse_fmt("question;A;B;đáp án đúng;ghi chú\nx;1;2;A\n",
                           IMPORT_CSV, false, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 1 &&
          strstr(r.issues[0].en, "unknown column \"ghi chú\""));
    import_result_fini(&r);
    CHECK_EQ_INT(parse_fmt("just text\n", IMPORT_CSV, false, &r), EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && strstr(r.issues[0].en, "header row"));
    import_result_fini(&r);
}

/* --- native --- */

#define NHEAD                                                                  \
    "{\"format\":\"examd-bank/1\",\"bank\":\"b\",\"title\":\"T\","             \
    "\"questions\":["

static void test_native(void)
{
    struct import_result r = {0};
    /* weights without correct; points; shuffle; multi derived. */
    CHECK_EQ_INT(parse_fmt(NHEAD "{\"topic\":\"t\",\"difficulty\":\"hard\","
                                 "\"text\":\" Chọn \",\"options\":[\"a\",\"b\","
                                 "\"c\",\"d\"],\"weights\":[50,50,-100,0],"
                                 "\"points\":3,\"shuffle\":false}]}",
                           IMPORT_AUTO, false, &r),
                 0);
    CHECK_EQ_INT(r.format, IMPORT_NATIVE);
    if (r.bank) {
        struct bank_question *q = &r.bank->q[0];
        CHECK(q->multi);
        CHECK_EQ_INT(q->key, 3);
        CHECK_EQ_INT(q->weight[2], -BANK_WEIGHT_FULL);
        CHECK_EQ_INT(q->points, 3);
        CHECK(!q->shuffle);
        CHECK(!strcmp(q->text, "Chọn")); /* trimmed */
        CHECK_EQ_INT(q->line, 1);
        CHECK(!strcmp(r.bank->name, "b"));
    }
    import_result_fini(&r);
    /* Old files: correct only; multi shares 100 % equally, last takes the
     * remainder. */
    CHECK_EQ_INT(parse_fmt(NHEAD "{\"topic\":\"t\",\"difficulty\":\"easy\","
                                 "\"text\":\"x\",\"options\":[\"a\",\"b\","
                                 "\"c\"],\"correct\":[0,1,2]}]}",
                           IMPORT_NATIVE, false, &r),
                 0);
    if (r.bank) {
        CHECK_EQ_INT(r.bank->q[0].weight[0], 3333333);
        CHECK_EQ_INT(r.bank->q[0].weight[2], 3333334);
        CHECK_EQ_INT(r.bank->q[0].points, 1);
        CHECK(r.bank->q[0].shuffle);
    }
    import_result_fini(&r);
    static const struct {
        const char *q, *needle;
    } bad[] = {
        {"\"correct\":[0],\"weights\":[0,100]", "disagree"},
        {"\"weights\":[33,67]", "weight 1 is not one of Moodle's grades"},
        {"\"weights\":[50]", "one per option"},
        {"\"weights\":[100,100]", "add up to 200 %"},
        {"\"weights\":[100,100],\"multi\":false", "2 correct answers"},
        {"\"weights\":[50,40],\"multi\":true", "add up to 90 %"},
        {"\"correct\":[0],\"points\":0", "\"points\" must be an integer"},
        {"\"correct\":[0],\"shuffle\":1", "\"shuffle\" must be a boolean"},
        {"\"correct\":[0],\"explanation\":\"\\u0007\"", "control character"},
        {"\"correct\":[0],\"text\":\"y\"", "duplicate"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char f[512];
        snprintf(f, sizeof f,
                 NHEAD "{\"id\":\"q1\",\"topic\":\"t\",\"difficulty\":"
                       "\"easy\",\"text\":\"x\",\"options\":[\"a\",\"b\"],%s}"
                       "]}",
                 bad[i].q);
        CHECK_EQ_INT(parse_fmt(f, IMPORT_NATIVE, false, &r), EXAMD_EINVAL);
        if (!r.n_issues || !strstr(r.issues[0].en, bad[i].needle))
            print_issues(&r);
        CHECK(r.n_issues == 1 && strstr(r.issues[0].en, bad[i].needle));
        import_result_fini(&r);
    }
}

/* --- Aiken --- */

static void test_aiken(void)
{
    const char *f = "Đảng Cộng sản Việt Nam ra đời năm nào?\n"
                    "A. 1925\n"
                    "B) 1930\n"
                    "C.\t1945\n"
                    "ANSWER: B\n"
                    "\n"
                    "C.Mác sinh năm nào?\n" /* "C.Mác": question text */
                    "(chọn một)\n"
                    "A. 1818\n"
                    "B. 1820\n"
                    "ANSWER: A\n";
    struct import_result r = {0};
    parse_auto_ok(f, IMPORT_AIKEN, &r);
    if (r.bank && r.bank->n == 2) {
        struct bank_question *q = &r.bank->q[0];
        CHECK_EQ_INT(q->n_options, 3);
        CHECK_EQ_INT(q->key, 2);
        CHECK(!strcmp(q->options[2], "1945"));
        CHECK(!strcmp(q->topic, "Ngân hàng nhập"));
        CHECK_EQ_INT(q->line, 1);
        q = &r.bank->q[1];
        CHECK_EQ_INT(q->line, 7);
        CHECK(!strcmp(q->text, "C.Mác sinh năm nào?\n(chọn một)"));
        CHECK_EQ_INT(q->key, 1);
    }
    import_result_fini(&r);
    /* Moodle's rule: a choice has a space or tab after "A." or "A)"; so
     * "B.1930" after a choice is an error that says so. */
    const char *bad = "Câu một?\n" /* 1 */
                      "A. 1925\n"
                      "B.1930\n" /* 3: no space */
                      "ANSWER: B\n"
                      "\n"
                      "Câu hai?\n" /* 6 */
                      "A. x\n"
                      "B. y\n"
                      "ANSWER: A,B\n" /* one answer only */
                      "\n"
                      "Câu ba?\n" /* 11 */
                      "A. x\n"
                      "C. y\n" /* out of order */
                      "ANSWER: A\n"
                      "\n"
                      "Câu bốn?\n" /* 16 */
                      "A. x\n"
                      "B. y\n";
    CHECK_EQ_INT(parse_fmt(bad, IMPORT_AIKEN, false, &r), EXAMD_EINVAL);
    int lines[] = {1, 6, 11, 16};
    const char *const what[] = {"needs a space after \"A.\" or \"A)\" (line 3",
                                "ANSWER \"A,B\" must be exactly one letter",
                                "must run A, B, C", "no \"ANSWER: X\" line"};
    check_issues(&r, 4, lines, what);
    import_result_fini(&r);
}

/* --- Moodle XML --- */

#define XHEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"

static void test_xml(void)
{
    const char *f = XHEAD
        "<question type=\"category\"><category><text>$course$/top/Lịch sử "
        "Đảng</text></category></question>\n"
        "<question type=\"multichoice\">\n" /* line 4 */
        "<name><text>lsd-01</text></name>\n"
        "<questiontext format=\"html\"><text><![CDATA[<p>Đảng ra đời "
        "<b>năm nào</b>?</p><script>alert('x')</script><style>p{}</style>"
        "<p>Chọn&nbsp;một &amp; chỉ một</p>]]></text></questiontext>\n"
        "<generalfeedback format=\"html\"><text>&lt;p&gt;Năm "
        "1930&lt;/p&gt;</text></generalfeedback>\n"
        "<defaultgrade>2.0000000</defaultgrade>\n"
        "<single>true</single><shuffleanswers>0</shuffleanswers>\n"
        "<answer fraction=\"0\"><text>1925</text></answer>\n"
        "<answer fraction=\"100\" format=\"html\"><text>&lt;b&gt;1930&lt;/b&gt;"
        "</text><feedback><text>Đúng</text></feedback></answer>\n"
        "<answer fraction=\"-33.33333\"><text>1945</text></answer>\n"
        "<answer><text>1951</text></answer>\n"
        "<tags><tag><text>khó</text></tag></tags>\n"
        "</question>\n"
        "<question type=\"multichoice\">\n" /* line 16: defaults */
        "<questiontext><text>Chọn hai</text></questiontext>\n"
        "<single>false</single>\n"
        "<answer fraction=\"50\"><text>a</text></answer>\n"
        "<answer fraction=\"50\"><text>b</text></answer>\n"
        "<answer><text>c</text></answer>\n"
        "</question>\n"
        "<question type=\"truefalse\">\n" /* line 23 */
        "<questiontext format=\"plain_text\"><text>a &lt; b</text>"
        "</questiontext>\n"
        "<answer fraction=\"0\"><text>true</text><feedback><text>Không"
        "</text></feedback></answer>\n"
        "<answer fraction=\"100\"><text>false</text></answer>\n"
        "</question>\n"
        "</quiz>\n";
    struct import_result r = {0};
    parse_auto_ok(f, IMPORT_MOODLEXML, &r);
    if (r.bank && r.bank->n == 3) {
        struct bank_question *q = &r.bank->q[0];
        CHECK_EQ_INT(q->line, 4);
        CHECK(!strcmp(q->ext_id, "lsd-01"));
        CHECK(!strcmp(q->topic, "Lịch sử Đảng"));
        CHECK(!strcmp(q->text, "Đảng ra đời năm nào?\nChọn một & chỉ một"));
        CHECK(!strchr(q->text, '<') && !strstr(q->text, "alert"));
        CHECK(!strcmp(q->options[1], "1930"));
        CHECK_EQ_INT(q->key, 2);
        CHECK(!q->multi);
        CHECK_EQ_INT(q->weight[2], -3333333);
        CHECK_EQ_INT(q->weight[3], 0);
        CHECK_EQ_INT(q->points, 2);
        CHECK(!q->shuffle);
        CHECK_EQ_INT(q->difficulty, EXAM_HARD);
        CHECK(!strcmp(q->explanation, "Năm 1930\n1930: Đúng"));
        q = &r.bank->q[1];
        CHECK_EQ_INT(q->line, 16);
        CHECK(q->multi);
        CHECK_EQ_INT(q->key, 3);
        CHECK_EQ_INT(q->points, 1);
        CHECK(!q->shuffle); /* Moodle: shuffleanswers missing = false */
        CHECK_EQ_INT(q->difficulty, EXAM_MEDIUM);
        CHECK(!strcmp(q->ext_id, ""));
        q = &r.bank->q[2];
        CHECK(!strcmp(q->text, "a < b"));
        CHECK_EQ_INT(q->key, 2); /* "false" is right */
        CHECK(!strcmp(q->explanation, "Đúng: Không"));
    }
    import_result_fini(&r);
    /* single missing = true: two 100 % answers are an error. */
    CHECK_EQ_INT(parse_fmt(XHEAD "<question type=\"multichoice\">"
                                 "<questiontext><text>x</text></questiontext>"
                                 "<answer fraction=\"100\"><text>a</text>"
                                 "</answer><answer fraction=\"100\"><text>b"
                                 "</text></answer></question></quiz>",
                           IMPORT_MOODLEXML, false, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 3 &&
          strstr(r.issues[0].en, "2 correct answers"));
    import_result_fini(&r);
}

static void test_xml_errors(void)
{
    const char *f =
        XHEAD "<question type=\"multichoice\"><questiontext><text>Một phần ba"
              "</text></questiontext>\n"
              "<answer fraction=\"33.33333\"><text>a</text></answer>"
              "<answer fraction=\"33.33333\"><text>b</text></answer>"
              "<answer fraction=\"33.33333\"><text>c</text></answer>"
              "<single>false</single></question>\n"
              "<question type=\"multichoice\"><questiontext><text>Ba mươi ba"
              "</text></questiontext>\n" /* line 5 */
              "<answer fraction=\"33\"><text>a</text></answer>"
              "<answer fraction=\"67\"><text>b</text></answer>"
              "<single>false</single></question>\n"
              "<question type=\"essay\"><questiontext><text>Tự luận</text>"
              "</questiontext></question>\n" /* line 7 */
              "<question type=\"matching\"><questiontext><text>Ghép</text>"
              "</questiontext></question>\n" /* line 8 */
              "<question type=\"multichoice\"><questiontext><text>Điểm</text>"
              "</questiontext><defaultgrade>0.2</defaultgrade>" /* line 9 */
              "<answer fraction=\"100\"><text>a</text></answer>"
              "<answer><text>b</text></answer></question>\n"
              "</quiz>\n";
    struct import_result r = {0};
    CHECK_EQ_INT(parse_fmt(f, IMPORT_MOODLEXML, false, &r), EXAMD_EINVAL);
    int lines[] = {5, 5, 7, 8, 9};
    const char *const what[] = {"fraction=\"33\" is not one of Moodle's grades",
                                "answer 2: fraction=\"67\"",
                                "is of type essay, which examd does not",
                                "is of type matching", "defaultgrade \"0.2\""};
    check_issues(&r, 5, lines, what);
    import_result_fini(&r);
    CHECK_EQ_INT(parse_fmt(f, IMPORT_MOODLEXML, true, &r), EXAMD_EINVAL);
    CHECK_EQ_INT(r.n_skipped, 2);
    CHECK_EQ_INT(r.n_errors, 3);
    import_result_fini(&r);
    /* Entities and DOCTYPE are refused before anything is expanded. */
    static const char *const evil[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY x \"lol\">]>"
        "<quiz>&x;</quiz>",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz SYSTEM "
        "\"file:///etc/passwd\"><quiz/>",
        "<?xml version=\"1.0\"?>\n<quiz><question type=\"multichoice\">"
        "<questiontext><text>&xxe;</text></questiontext></question></quiz>",
    };
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(parse_fmt(evil[i], IMPORT_AUTO, false, &r), EXAMD_EINVAL);
        CHECK(r.n_issues == 1 && r.issues[0].line == 2);
        CHECK(r.n_issues == 1 && (strstr(r.issues[0].en, "DOCTYPE") ||
                                  strstr(r.issues[0].en, "invalid XML")));
        import_result_fini(&r);
    }
    CHECK_EQ_INT(parse_fmt(XHEAD "<question type=\"multichoice\">\n<oops>"
                                 "</question></quiz>",
                           IMPORT_MOODLEXML, false, &r),
                 EXAMD_EINVAL);
    CHECK(r.n_issues == 1 && r.issues[0].line == 4 &&
          strstr(r.issues[0].en, "invalid XML (mismatched tag)"));
    import_result_fini(&r);
}

int main(void)
{
    test_aiken();
    test_xml();
    test_xml_errors();
    test_csv_basic();
    test_csv_errors();
    test_native();
    return check_done("test_import_formats");
}
