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
    const char *what[] = {"correct answer \"C\"",
                          "difficulty \"rất khó\"",
                          "has option C but option B is empty",
                          "correct answer \"\"",
                          "more cells than the header",
                          "never closed"};
    CHECK_EQ_INT(r.n_issues, 6);
    for (int i = 0; i < 6 && i < r.n_issues; i++) {
        CHECK_EQ_INT(r.issues[i].line, lines[i]);
        CHECK_STR_HAS(r.issues[i].en, what[i]);
    }
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

int main(void)
{
    test_csv_basic();
    test_csv_errors();
    test_native();
    return check_done("test_import_formats");
}
