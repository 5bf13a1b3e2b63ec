/* test_protocol.c — decoding good and bad frames; encoding replies. */
#include "check.h"
#include "err.h"
#include "fixture.h"
#include "protocol.h"

#include <stdint.h>
#include <stdlib.h>

static int decode(const char *text, struct proto_msg *m, char *field)
{
    return proto_decode(text, strlen(text), m, field, PROTO_FIELD_MAX);
}

static void test_good(void)
{
    struct proto_msg m;
    char f[PROTO_FIELD_MAX];
    CHECK_EQ_INT(decode("{\"type\":\"hello\",\"id\":1}", &m, f), 0);
    CHECK_EQ_INT(m.type, PROTO_HELLO);
    CHECK(!strcmp(m.id, "1"));
    CHECK_EQ_INT(
        decode("{\"type\":\"start\",\"id\":\"a-1\",\"exam\":3}", &m, f), 0);
    CHECK_EQ_INT(m.exam, 3);
    CHECK(!strcmp(m.id, "\"a-1\""));
    CHECK_EQ_INT(decode("{\"type\":\"answer\",\"id\":7,\"attempt\":9,\"q\":41,"
                        "\"choice\":[2,0],\"flag\":true,\"seq\":5}",
                        &m, f),
                 0);
    CHECK_EQ_INT(m.attempt, 9);
    CHECK_EQ_INT(m.q, 41);
    CHECK_EQ_INT(m.choice, 0x05);
    CHECK_EQ_INT(m.n_choice, 2);
    CHECK(m.flag);
    CHECK_EQ_INT(m.seq, 5);
    CHECK_EQ_INT(decode("{\"type\":\"answer\",\"id\":8,\"attempt\":9,\"q\":41,"
                        "\"choice\":[],\"seq\":6}",
                        &m, f),
                 0);
    CHECK_EQ_INT(m.choice, 0);
    CHECK(!m.flag);
    CHECK_EQ_INT(decode("{\"type\":\"submit\",\"id\":2,\"attempt\":9}", &m, f),
                 0);
    CHECK_EQ_INT(m.type, PROTO_SUBMIT);
}

struct bad_case {
    const char *text;
    int err;
    const char *field;
    const char *id;
};

static const struct bad_case bad_cases[] = {
    {"{nope", EXAMD_EBADJSON, "", "null"},
    {"[1,2]", EXAMD_EBADJSON, "", "null"},
    {"\"hello\"", EXAMD_EBADJSON, "", "null"},
    {"{\"type\":\"hello\"}", EXAMD_EBADMSG, "id", "null"},
    {"{\"type\":\"hello\",\"id\":1.5}", EXAMD_EBADMSG, "id", "null"},
    {"{\"type\":\"hello\",\"id\":{}}", EXAMD_EBADMSG, "id", "null"},
    {"{\"id\":4}", EXAMD_EBADMSG, "type", "4"},
    {"{\"type\":7,\"id\":4}", EXAMD_EBADMSG, "type", "4"},
    {"{\"type\":\"launch\",\"id\":4}", EXAMD_EUNKNOWN, "type", "4"},
    {"{\"type\":\"start\",\"id\":4}", EXAMD_EBADMSG, "exam", "4"},
    {"{\"type\":\"start\",\"id\":4,\"exam\":\"1\"}", EXAMD_EBADMSG, "exam",
     "4"},
    {"{\"type\":\"start\",\"id\":4,\"exam\":0}", EXAMD_EBADMSG, "exam", "4"},
    {"{\"type\":\"answer\",\"id\":5,\"q\":1,\"choice\":[],\"seq\":1}",
     EXAMD_EBADMSG, "attempt", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":\"9\",\"q\":1,\"choice\":[],"
     "\"seq\":1}",
     EXAMD_EBADMSG, "attempt", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"choice\":[],\"seq\":1}",
     EXAMD_EBADMSG, "q", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"seq\":1}",
     EXAMD_EBADMSG, "choice", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":1,"
     "\"seq\":1}",
     EXAMD_EBADMSG, "choice", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[\"a\"],"
     "\"seq\":1}",
     EXAMD_EBADMSG, "choice", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[6],"
     "\"seq\":1}",
     EXAMD_EBADOPTION, "choice", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[-1],"
     "\"seq\":1}",
     EXAMD_EBADOPTION, "choice", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[1,1],"
     "\"seq\":1}",
     EXAMD_EBADOPTION, "choice", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[]}",
     EXAMD_EBADMSG, "seq", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[],"
     "\"seq\":0}",
     EXAMD_EBADSEQ, "seq", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[],"
     "\"seq\":-3}",
     EXAMD_EBADSEQ, "seq", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[],"
     "\"seq\":1.5}",
     EXAMD_EBADMSG, "seq", "5"},
    {"{\"type\":\"answer\",\"id\":5,\"attempt\":9,\"q\":1,\"choice\":[],"
     "\"seq\":2,\"flag\":\"yes\"}",
     EXAMD_EBADMSG, "flag", "5"},
    {"{\"type\":\"submit\",\"id\":\"x\"}", EXAMD_EBADMSG, "attempt", "\"x\""},
    {"{\"type\":\"hello\",\"id\":1,\"id\":2}", EXAMD_EBADJSON, "", "null"},
};

static void test_bad(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *c = &bad_cases[i];
        struct proto_msg m;
        char f[PROTO_FIELD_MAX];
        int rc = decode(c->text, &m, f);
        if (rc != c->err || strcmp(f, c->field) || strcmp(m.id, c->id))
            fprintf(stderr, "case %zu (%s): rc %d field '%s' id %s\n", i,
                    c->text, rc, f, m.id);
        CHECK_EQ_INT(rc, c->err);
        CHECK(!strcmp(f, c->field));
        CHECK(!strcmp(m.id, c->id));
    }
}

static void test_encode(void)
{
    char buf[512];
    json_t *j;
    CHECK(proto_ack(buf, sizeof buf, "\"k\"", 7, 5) > 0);
    j = json_loads(buf, 0, NULL);
    CHECK(j && !strcmp(json_string_value(json_object_get(j, "id")), "k"));
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "seq")), 5);
    json_decref(j);
    CHECK(proto_ack(buf, 10, "1", 7, 5) == -1);
    CHECK(proto_error(buf, sizeof buf, "3", EXAMD_ENOTONPAPER, "q") > 0);
    j = json_loads(buf, 0, NULL);
    CHECK(j != NULL);
    CHECK(
        !strcmp(json_string_value(json_object_get(j, "code")), "not_on_paper"));
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "id")), 3);
    json_decref(j);

    /* The paper never carries the key; the result carries it only under
     * review "full". */
    struct exam *e = fixture_exam(8, 8, true);
    struct paper_item p[8];
    uint8_t choice[8] = {0};
    bool flag[8] = {0}, has[8] = {0};
    paper_assemble(e, 5, p);
    struct proto_paper pp = {"1", 3,      false, e,   p,     1000,
                             0,   choice, flag,  has, false, 0};
    char *t = proto_paper_encode(&pp);
    CHECK(t && !strstr(t, "key") && !strstr(t, "right") &&
          !strstr(t, "correct"));
    free(t);
    struct grade g;
    grade_paper(e, p, choice, &g);
    struct proto_result r = {NULL, 3,  e,      p,     "deadline",
                             1,    &g, choice, false, 0};
    t = proto_result_encode(&r);
    CHECK(t && strstr(t, "\"key\"") && !strstr(t, "\"id\""));
    free(t);
    /* a round while it is open: no review at all, whatever the exam's */
    r.round_review = true;
    r.review = EXAM_REVIEW_NONE;
    t = proto_result_encode(&r);
    CHECK(t && !strstr(t, "\"key\"") && strstr(t, "\"review\":null"));
    free(t);
    r.round_review = false;
    e->review = EXAM_REVIEW_ANSWERS;
    t = proto_result_encode(&r);
    CHECK(t && !strstr(t, "\"key\"") && strstr(t, "\"right\""));
    free(t);
    e->review = EXAM_REVIEW_NONE;
    t = proto_result_encode(&r);
    CHECK(t && strstr(t, "\"review\":null"));
    free(t);
    exam_free(e);
}

/* ---- the fast answer decoder against the tree decoder ---- */

static int diff_fast_n, diff_total_n, diff_shown;

static void diff_show(const char *why, const char *buf, size_t len)
{
    if (diff_shown++ >= 10)
        return;
    fprintf(stderr, "differential (%s): input of %zu bytes: ", why, len);
    for (size_t i = 0; i < len; i++)
        fprintf(stderr, buf[i] >= 0x20 && buf[i] < 0x7f ? "%c" : "\\x%02x",
                (unsigned char)buf[i]);
    fprintf(stderr, "\n");
}

static bool diff_same_msg(const struct proto_msg *a, const struct proto_msg *b,
                          int rc)
{
    if (strcmp(a->id, b->id))
        return false;
    return rc || (a->type == b->type && a->exam == b->exam &&
                  a->attempt == b->attempt && a->q == b->q &&
                  a->seq == b->seq && a->choice == b->choice &&
                  a->n_choice == b->n_choice && a->flag == b->flag);
}

/* Both decoders (and proto_decode) on one input: same code, field, id
 * and, when accepted, the same message. */
static void diff_one(const char *buf, size_t len)
{
    struct proto_msg t, f, d;
    char ft[PROTO_FIELD_MAX], ff[PROTO_FIELD_MAX] = "", fd[PROTO_FIELD_MAX];
    int rt = proto_decode_tree(buf, len, &t, ft, sizeof ft);
    int rd = proto_decode(buf, len, &d, fd, sizeof fd);
    memset(&f, 0x5a, sizeof f);
    int rf = proto_answer_decode(buf, len, &f, ff, sizeof ff);
    diff_total_n++;
    if (rd != rt || strcmp(fd, ft) || !diff_same_msg(&d, &t, rt)) {
        diff_show("proto_decode", buf, len);
        CHECK(false);
    }
    if (rf == PROTO_UNSURE)
        return;
    diff_fast_n++;
    if (rf != rt || strcmp(ff, ft) || !diff_same_msg(&f, &t, rt)) {
        diff_show("proto_answer_decode", buf, len);
        fprintf(stderr, "  tree %d '%s' %s, fast %d '%s' %s\n", rt, ft, t.id,
                rf, ff, f.id);
        CHECK(false);
    }
}

static void diff_str(const char *s)
{
    diff_one(s, strlen(s));
}

/* Edge cases written out: each is also the seed of the mutations. */
static const char *const diff_cases[] = {
    "{\"type\":\"answer\",\"id\":7,\"attempt\":9,\"q\":41,\"choice\":[2,0],"
    "\"flag\":true,\"seq\":5}",
    "{\"type\":\"answer\",\"id\":\"a-1\",\"attempt\":9,\"q\":41,\"choice\":[],"
    "\"seq\":5}",
    " \t\r\n{ \"seq\" : 5 , \"choice\" : [ 1 , 3 ] , \"q\" : 2 , \"attempt\" "
    ": 1 , \"id\" : 0 , \"type\" : \"answer\" , \"flag\" : false } \n",
    "{\"type\":\"answer\",\"id\":-0,\"attempt\":-0,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":-0,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[-0],"
    "\"seq\":-0}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[-0,0],"
    "\"seq\":3}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":123456789012345678,\"q\":"
    "999999999999999999,\"choice\":[5,4,3,2,1,0],\"seq\":100000000000000000}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1234567890123456789,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":9223372036854775807,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":9223372036854775808,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":-9223372036854775808,\"attempt\":1,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1.0,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1e2,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1E2,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":01,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":-,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[1.0],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[6,\"a\"],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[\"a\",6],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[[1]],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[null],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[1,],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[0,1,2,3,4,"
    "5,0,1,2,3,4,5,0,1,2,3,4],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[9,9,9,9,9,"
    "9,9,9,9,9,9,9,9,9,9,9,9],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":{},"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"flag\":null}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"flag\":1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"flag\":truex}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"flag\":tru}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":\"1\"}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"seq\":2}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"x\":{\"a\":1,\"a\":2}}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"extra\":{\"a\":[1,{\"b\":[true,null,\"\\u00e9\"]}]}}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,\"\":0}",
    "{\"t\\u0079pe\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answ\\u0065r\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"Answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer \",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"hello\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":null,\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"\",\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"a\\\"b\\\\c\\/d\\n\\u0001\",\"attempt\":1,"
    "\"q\":1,\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"\xc3\xa9t\xc3\xa9\",\"attempt\":1,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"\xc3\",\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"\\ud83d\\ude00\",\"attempt\":1,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"\\u0000\",\"attempt\":1,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":\"a\tb\",\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":null,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":true,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":[1],\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"id\":2.5,\"attempt\":0,\"q\":1,\"choice\":[],"
    "\"seq\":1}",
    "{\"type\":\"answer\",\"attempt\":1,\"q\":1,\"choice\":[],\"seq\":1}",
    "{\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],\"seq\":1}",
    "{\"type\":\"answer\",\"id\":1,\"q\":0,\"choice\":[9],\"seq\":0}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":0,\"choice\":[9],"
    "\"seq\":0}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[9],"
    "\"seq\":0}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[9],"
    "\"seq\":1,\"flag\":\"x\"}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}x",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}{}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1,}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\" 1}",
    "{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,\"choice\":[],"
    "\"seq\":1}\v",
    "\xef\xbb\xbf{\"type\":\"answer\",\"id\":1,\"attempt\":1,\"q\":1,"
    "\"choice\":[],\"seq\":1}",
    "{}",
    "[]",
    "",
    "{\"type\":\"hello\",\"id\":1}",
    "{\"type\":\"submit\",\"id\":2,\"attempt\":9}",
};

/* An id string of n ASCII characters, as a JSON member. */
static void diff_long_ids(void)
{
    char buf[512], id[200];
    for (int n = 126; n <= 130; n++) {
        memset(id, 'x', (size_t)n);
        id[n] = 0;
        snprintf(buf, sizeof buf,
                 "{\"type\":\"answer\",\"id\":\"%s\",\"attempt\":1,\"q\":1,"
                 "\"choice\":[],\"seq\":1}",
                 id);
        diff_str(buf);
    }
}

static uint64_t diff_rng = 0x9E3779B97F4A7C15ull;

static uint32_t diff_rand(uint32_t n)
{
    diff_rng ^= diff_rng << 13;
    diff_rng ^= diff_rng >> 7;
    diff_rng ^= diff_rng << 17;
    return (uint32_t)(diff_rng % n);
}

#define DIFF_PICK(a) (a)[diff_rand(sizeof(a) / sizeof *(a))]

/* Random frames from pools of values per field, in random order, with
 * fields left out, doubled or added. */
static void diff_random_frame(char *buf, size_t cap)
{
    static const char *const ints[] = {"1",
                                       "7",
                                       "0",
                                       "-0",
                                       "-1",
                                       "42",
                                       "123456789012345678",
                                       "1234567890123456789",
                                       "9223372036854775807",
                                       "9223372036854775808",
                                       "1.0",
                                       "1e2",
                                       "01",
                                       "\"1\"",
                                       "null",
                                       "true",
                                       "[]",
                                       "{}",
                                       "2 "};
    static const char *const ids[] = {
        "1",         "0",           "-5",           "\"a\"", "\"\"",
        "\"a b/c\"", "\"\\u0041\"", "\"\xc3\xa9\"", "null",  "1.5",
        "[]",        "{\"a\":1}",   "\"x\\\"y\""};
    static const char *const types[] = {
        "\"answer\"", "\"answer\"", "\"answer\"", "\"answ\\u0065r\"",
        "\"hello\"",  "\"submit\"", "\"Answer\"", "1"};
    static const char *const choices[] = {
        "[]",    "[0]",           "[5]",    "[6]",     "[-1]",
        "[1,1]", "[0,1,2,3,4,5]", "[1.0]",  "[\"a\"]", "[null]",
        "[[1]]", "[ 2 , 3 ]",     "[2,-0]", "1",       "null",
        "{}",    "[9,\"a\"]"};
    static const char *const flags[] = {"true", "false", "null", "0",
                                        "\"true\""};
    static const char *const extras[] = {"\"x\":1",
                                         "\"x\":{\"a\":[1,{\"b\":2}]}",
                                         "\"x\":{\"a\":1,\"a\":2}",
                                         "\"t\\u0079pe\":\"answer\"",
                                         "\"exam\":3",
                                         "\"\":null"};
    static const char *const ws[] = {"", "", "", " ", "\n\t", "\r "};
    const char *keys[] = {"type", "id",   "attempt", "q",
                          "seq",  "flag", "choice"};
    char member[9][160]; /* 7 fields, an extra one, a duplicate */
    int n = 0;
    for (int k = 0; k < 7; k++) {
        if (diff_rand(40) == 0)
            continue; /* a field left out */
        /* mostly good values, so that the fast path decides many */
        bool good = diff_rand(5) != 0;
        const char *v = k == 0   ? (good ? "\"answer\"" : DIFF_PICK(types))
                        : k == 1 ? (good ? "12" : DIFF_PICK(ids))
                        : k == 5 ? (good ? "false" : DIFF_PICK(flags))
                        : k == 6 ? (good ? "[1,0]" : DIFF_PICK(choices))
                                 : (good ? "3" : DIFF_PICK(ints));
        snprintf(member[n++], sizeof member[0], "%s\"%s\"%s:%s%s%s",
                 DIFF_PICK(ws), keys[k], DIFF_PICK(ws), DIFF_PICK(ws), v,
                 DIFF_PICK(ws));
    }
    if (diff_rand(10) == 0)
        snprintf(member[n++], sizeof member[0], "%s", DIFF_PICK(extras));
    if (n && diff_rand(15) == 0) { /* a duplicate key */
        memcpy(member[n], member[diff_rand((uint32_t)n)], sizeof member[0]);
        n++;
    }
    for (int i = n - 1; i > 0; i--) { /* any order */
        int j = (int)diff_rand((uint32_t)i + 1);
        char t[160];
        memcpy(t, member[i], sizeof t);
        memcpy(member[i], member[j], sizeof t);
        memcpy(member[j], t, sizeof t);
    }
    size_t len = (size_t)snprintf(buf, cap, "%s{", DIFF_PICK(ws));
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "",
                                member[i]);
    snprintf(buf + len, cap - len, "}%s", DIFF_PICK(ws));
}

/* Byte-level damage to a frame: deletions, insertions, replacements. */
static size_t diff_mutate(char *buf, size_t len, size_t cap)
{
    static const char bytes[] = "{}[],:\"\\-0123456789.eEtfnu \n\t\x80\xc3";
    for (int k = 1 + (int)diff_rand(3); k > 0 && len > 0; k--) {
        size_t at = diff_rand((uint32_t)len);
        char b = bytes[diff_rand(sizeof bytes)]; /* NUL included */
        switch (diff_rand(3)) {
        case 0:
            memmove(buf + at, buf + at + 1, len - at - 1);
            len--;
            break;
        case 1:
            if (len + 1 < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = b;
                len++;
            }
            break;
        default:
            buf[at] = b;
        }
    }
    return len;
}

static void test_differential(void)
{
    char buf[2048];
    size_t n_cases = sizeof diff_cases / sizeof *diff_cases;
    for (size_t i = 0; i < n_cases; i++)
        diff_str(diff_cases[i]);
    diff_long_ids();
    for (int i = 0; i < 100000; i++) {
        diff_random_frame(buf, sizeof buf);
        diff_str(buf);
    }
    for (int i = 0; i < 100000; i++) {
        size_t len;
        if (i % 2) {
            diff_random_frame(buf, sizeof buf);
            len = strlen(buf);
        } else {
            const char *seed = diff_cases[diff_rand((uint32_t)n_cases)];
            len = strlen(seed);
            memcpy(buf, seed, len);
        }
        diff_one(buf, diff_mutate(buf, len, sizeof buf));
    }
    /* The fast path must really be exercised, not bypassed. */
    fprintf(stderr, "differential: %d inputs, %d decided by the fast path\n",
            diff_total_n, diff_fast_n);
    CHECK(diff_fast_n > diff_total_n / 10);
}

static void test_ack_encode(void)
{
    static const int64_t v[] = {0,  1,         -1,        9,
                                10, 123456789, INT64_MAX, INT64_MIN};
    char buf[160], want[160];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        int n = proto_ack(buf, sizeof buf, "\"id\"", v[i], v[i]);
        int w = snprintf(want, sizeof want,
                         "{\"type\":\"ack\",\"id\":\"id\",\"attempt\":%lld,"
                         "\"seq\":%lld}",
                         (long long)v[i], (long long)v[i]);
        CHECK_EQ_INT(n, w);
        CHECK(!strcmp(buf, want));
    }
}

int main(void)
{
    test_good();
    test_bad();
    test_encode();
    test_ack_encode();
    test_differential();
    return check_done("test_protocol");
}
