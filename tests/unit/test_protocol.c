/* test_protocol.c — decoding good and bad frames; encoding replies. */
#include "check.h"
#include "err.h"
#include "fixture.h"
#include "protocol.h"

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
    struct proto_paper pp = {"1", 3, false, e, p, 1000, 0, choice, flag, has};
    char *t = proto_paper_encode(&pp);
    CHECK(t && !strstr(t, "key") && !strstr(t, "right") &&
          !strstr(t, "correct"));
    free(t);
    struct grade g;
    grade_paper(e, p, choice, &g);
    struct proto_result r = {NULL, 3, e, p, "deadline", 1, &g, choice};
    t = proto_result_encode(&r);
    CHECK(t && strstr(t, "\"key\"") && !strstr(t, "\"id\""));
    free(t);
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

int main(void)
{
    test_good();
    test_bad();
    test_encode();
    return check_done("test_protocol");
}
