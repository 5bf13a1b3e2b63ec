/* test_bank.c — native bank parsing: the sample bank, the fields added
 * for imports (weights, points, shuffle, line, NFC), and every error named
 * with its question and field. */
#include "bank.h"
#include "check.h"

#include <stdlib.h>

static struct bank *parse(const char *text, char *msg)
{
    return bank_parse(text, strlen(text), msg, 512);
}

#define HEAD                                                                   \
    "{\"format\":\"examd-bank/1\",\"bank\":\"b\",\"title\":\"T\","             \
    "\"questions\":["
#define Q(extra)                                                               \
    "{\"id\":\"q1\",\"topic\":\"Đảng\",\"difficulty\":\"easy\",\"text\":"   \
    "\"Năm?\",\"options\":[\"1930\",\"1945\"],\"correct\":[0]" extra "}"

static void test_good(void)
{
    char msg[512];
    struct bank *b = parse(HEAD Q("") "]}", msg);
    CHECK(b != NULL);
    if (b) {
        CHECK_EQ_INT(b->n, 1);
        CHECK_EQ_INT(b->q[0].key, 1);
        CHECK(!b->q[0].multi);
        CHECK(!strcmp(b->q[0].topic, "Đảng"));
    }
    bank_free(b);
    b = parse(HEAD Q(",\"multi\":true") "]}", msg);
    CHECK(b && b->q[0].multi);
    bank_free(b);
}

/* The fields added for imports: weights, points, shuffle, line; text
 * trimmed and made NFC; old files keep their meaning. */
static void test_new_fields(void)
{
    char msg[512];
    struct bank *b = parse(
        HEAD Q(
            ",\"points\":5,\"shuffle\":false") ","
                                               "{\"topic\":\"T\","
                                               "\"difficulty\":\"hard\","
                                               "\"text\":\" Chọn "
                                               "\",\"options\":[\"a\","
                                               "\"b\",\"c\"],\"weights\":[50,"
                                               "50,-100]},"
                                               "{\"topic\":\"T\","
                                               "\"difficulty\":\"hard\","
                                               "\"text\":\"Ba\",\"options\":["
                                               "\"a\",\"b\","
                                               "\"c\"],\"correct\":[0,1,2]}]}",
        msg);
    if (!b)
        fprintf(stderr, "%s\n", msg);
    CHECK(b != NULL);
    if (b) {
        CHECK_EQ_INT(b->q[0].points, 5);
        CHECK(!b->q[0].shuffle);
        CHECK_EQ_INT(b->q[0].weight[0], BANK_WEIGHT_FULL);
        CHECK_EQ_INT(b->q[0].weight[1], 0);
        CHECK_EQ_INT(b->q[1].line, 2);
        CHECK(!strcmp(b->q[1].text, "Chọn"));
        CHECK(b->q[1].multi);
        CHECK_EQ_INT(b->q[1].key, 3);
        CHECK_EQ_INT(b->q[1].weight[2], -BANK_WEIGHT_FULL);
        CHECK_EQ_INT(b->q[1].points, 1);
        CHECK(b->q[1].shuffle);
        CHECK_EQ_INT(b->q[2].weight[0] + b->q[2].weight[1] + b->q[2].weight[2],
                     BANK_WEIGHT_FULL);
        CHECK_EQ_INT(b->q[2].weight[2], 3333334);
    }
    bank_free(b);
    /* "Đảng" typed decomposed is the same topic and text. */
    b = parse(HEAD "{\"topic\":\"\xc4\x90"
                   "a\xcc\x89ng\",\"difficulty\":"
                   "\"easy\",\"text\":\"x\",\"options\":[\"a\",\"b\"],"
                   "\"correct\":[0]}]}",
              msg);
    CHECK(b && !strcmp(b->q[0].topic, "Đảng"));
    bank_free(b);
}

struct bad_case {
    const char *text;
    const char *needle;
};

static const struct bad_case bad_cases[] = {
    {"{", "JSON"},
    {"{\"format\":\"x\"}", "examd-bank/1"},
    {"{\"format\":\"examd-bank/1\",\"bank\":\"b\",\"title\":\"T\","
     "\"questions\":[]}",
     "non-empty"},
    {HEAD "{\"id\":\"q1\",\"difficulty\":\"easy\",\"text\":\"a\",\"options\":"
          "[\"x\",\"y\"],\"correct\":[0]}]}",
     "question 1 (q1): \"topic\""},
    {HEAD Q(",\"difficulty\":\"x\"") "]}", "JSON"}, /* duplicate key */
    {HEAD "{\"id\":\"q1\",\"topic\":\"t\",\"difficulty\":\"trivial\",\"text\""
          ":\"a\",\"options\":[\"x\",\"y\"],\"correct\":[0]}]}",
     "\"difficulty\" must be"},
    {HEAD "{\"id\":\"q1\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":"
          "\"a\",\"options\":[\"x\"],\"correct\":[0]}]}",
     "2 to 6"},
    {HEAD "{\"id\":\"q1\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":"
          "\"a\",\"options\":[\"x\",\"x\"],\"correct\":[0]}]}",
     "option 2 repeats option 1"},
    {HEAD "{\"id\":\"q1\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":"
          "\"a\",\"options\":[\"x\",\"y\"],\"correct\":[2]}]}",
     "out of range"},
    {HEAD "{\"id\":\"q1\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":"
          "\"a\",\"options\":[\"x\",\"y\"],\"correct\":[0,1],\"multi\":false}"
          "]}",
     "question 1 (q1): \"correct\" has 2 indexes but \"multi\" is false"},
    {HEAD Q("") "," Q("") "]}", "question 2 duplicates question 1"},
    {HEAD Q(",\"weights\":[100,0]") "," Q(",\"weights\":[0,100]") "]}",
     "question 2 (q1): \"correct\" and \"weights\" disagree"},
    {HEAD Q(",\"points\":101") "]}", "\"points\" must be an integer 1..100"},
    {HEAD "{\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"a\","
          "\"options\":[\"x\",\"y\"],\"weights\":[33,67]}]}",
     "weight 1 is not one of Moodle's grades"},
    {HEAD "{\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"a\","
          "\"options\":[\"x\",\"y\"]}]}",
     "\"correct\" must be a non-empty array"},
};

static void test_bad(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        char msg[512] = "";
        struct bank *b = parse(bad_cases[i].text, msg);
        if (b || !strstr(msg, bad_cases[i].needle))
            fprintf(stderr, "case %zu: got \"%s\"\n", i, msg);
        CHECK(b == NULL);
        CHECK_STR_HAS(msg, bad_cases[i].needle);
        bank_free(b);
    }
}

static void test_sample_bank(void)
{
    char path[1024], msg[1024];
    const char *root = getenv("EXAMD_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/question-banks/dang-va-bac-ho.json",
             root ? root : ".");
    struct bank *b = bank_load_file(path, msg, sizeof msg);
    if (!b)
        fprintf(stderr, "%s\n", msg);
    CHECK(b != NULL);
    CHECK(b && b->n >= 60);
    int topics[3] = {0};
    for (int i = 0; b && i < b->n; i++) {
        CHECK(b->q[i].n_options >= 2 && b->q[i].key);
        topics[b->q[i].difficulty]++;
    }
    CHECK(topics[0] && topics[1] && topics[2]);
    bank_free(b);
}

int main(void)
{
    test_good();
    test_new_fields();
    test_bad();
    test_sample_bank();
    return check_done("test_bank");
}
