/*
 * fuzz_protocol.c — proto_decode, every WebSocket frame a candidate can
 * send (hello, start, answer, submit, result), then the ack and error
 * replies built from what was decoded; and the hot-path answer scanner
 * (proto_answer_decode) against the tree decoder, frame by frame.
 *
 * Invariants: the return is 0 or one of the decoder's five errors, with
 * the offending field named (but for bad_json); a decoded message's fields
 * are in range for its type (positive ids, seq > 0, choice a set of at
 * most EXAM_MAX_OPTIONS distinct indexes); the echoed id is JSON text, so
 * that every reply carrying it parses as JSON and gives the id back.
 */
#include "fuzz.h"

#include "err.h"
#include "protocol.h"

#include <jansson.h>

/* reply[0..len) is a JSON object whose "id" equals the JSON text id. */
static void fuzz_reply_check(const char *reply, int len, const char *id)
{
    FUZZ_CHECK(len > 0);
    json_t *o = json_loadb(reply, (size_t)len, JSON_REJECT_DUPLICATES, NULL);
    json_t *want = json_loads(id, JSON_DECODE_ANY, NULL);
    if (!json_is_object(o) || !want ||
        !json_equal(json_object_get(o, "id"), want)) {
        fprintf(stderr, "reply does not carry id %s: %.*s\n", id, len, reply);
        abort();
    }
    json_decref(o);
    json_decref(want);
}

static void fuzz_msg_check(const struct proto_msg *m)
{
    FUZZ_CHECK(m->type >= 0 && m->type < PROTO_TYPE_COUNT);
    FUZZ_CHECK(strcmp(m->id, "null") != 0);
    switch (m->type) {
    case PROTO_HELLO:
        break;
    case PROTO_START:
        FUZZ_CHECK(m->exam > 0 && m->attempt >= 0);
        break;
    case PROTO_ANSWER:
        FUZZ_CHECK(m->attempt > 0 && m->q > 0 && m->seq > 0);
        FUZZ_CHECK(m->choice < (1u << EXAM_MAX_OPTIONS));
        FUZZ_CHECK(m->n_choice == fuzz_popcount(m->choice));
        break;
    default:
        FUZZ_CHECK(m->attempt > 0);
    }
}

/* The hot-path answer scanner agrees with the tree decoder on every frame
 * it does not leave to it (protocol.h): same return, message and field. */
static void fuzz_fast_check(const char *buf, size_t size)
{
    struct proto_msg a, t;
    char fa[PROTO_FIELD_MAX], ft[PROTO_FIELD_MAX];
    memset(&a, 0x5A, sizeof a);
    memset(fa, 0x5A, sizeof fa);
    int ra = proto_answer_decode(buf, size, &a, fa, sizeof fa);
    if (ra == PROTO_UNSURE)
        return;
    int rt = proto_decode_tree(buf, size, &t, ft, sizeof ft);
    if (ra != rt || strcmp(fa, ft) || strcmp(a.id, t.id) ||
        (rt == 0 && (a.type != t.type || a.attempt != t.attempt || a.q != t.q ||
                     a.seq != t.seq || a.choice != t.choice ||
                     a.n_choice != t.n_choice || a.flag != t.flag))) {
        fprintf(stderr,
                "proto_answer_decode disagrees with proto_decode_tree: "
                "%d/%d field %s/%s id %s/%s on %.*s\n",
                ra, rt, fa, ft, a.id, t.id, (int)size, buf);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_msg m;
    char field[PROTO_FIELD_MAX];
    fuzz_fast_check((const char *)data, size);
    int rc = proto_decode((const char *)data, size, &m, field, sizeof field);
    FUZZ_CHECK(memchr(m.id, '\0', sizeof m.id) != NULL);
    FUZZ_CHECK(memchr(field, '\0', sizeof field) != NULL);
    FUZZ_CHECK(rc == 0 || rc == EXAMD_EBADJSON || rc == EXAMD_EBADMSG ||
               rc == EXAMD_EUNKNOWN || rc == EXAMD_EBADSEQ ||
               rc == EXAMD_EBADOPTION);
    FUZZ_CHECK((rc == 0 || rc == EXAMD_EBADJSON) == !*field);
    if (rc == 0)
        fuzz_msg_check(&m);

    char reply[1024];
    int n = proto_error(reply, sizeof reply, m.id, rc ? rc : EXAMD_EINTERNAL,
                        field);
    fuzz_reply_check(reply, n, m.id);
    if (rc == 0 && m.type == PROTO_ANSWER) {
        n = proto_ack(reply, sizeof reply, m.id, m.attempt, m.seq);
        fuzz_reply_check(reply, n, m.id);
    }
    return 0;
}
