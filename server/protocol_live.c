/*
 * protocol_live.c — live rounds on the wire (protocol_live.h).
 *
 * Nothing a player receives before a reveal says which option is
 * correct: live_question carries the text and options only; the key goes
 * out in live_reveal, after answers to that question have closed.
 */
#include "protocol_live.h"
#include "err.h"
#include "protocol.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int proto_live_bad(char *field, size_t n, const char *name)
{
    snprintf(field, n, "%s", name);
    return EXAMD_EBADMSG;
}

/* A string field of at most max bytes into out (size > max). */
static bool proto_live_str(const json_t *o, const char *k, char *out,
                           size_t size)
{
    const char *v = json_string_value(json_object_get(o, k));
    if (!v || strlen(v) >= size)
        return false;
    memcpy(out, v, strlen(v) + 1);
    return true;
}

int proto_live_fields(const json_t *o, struct proto_msg *m, char *field,
                      size_t fl)
{
    json_t *v;
    switch (m->type) {
    case PROTO_LIVE_JOIN:
        if (!proto_live_str(o, "name", m->name, sizeof m->name))
            return proto_live_bad(field, fl, "name");
        v = json_object_get(o, "unit");
        if (v && !json_is_null(v) &&
            (!json_is_integer(v) || json_integer_value(v) < 0))
            return proto_live_bad(field, fl, "unit");
        m->unit = json_integer_value(v);
        __attribute__((fallthrough)); /* and the code */
    case PROTO_LIVE_LOOKUP:
        if (!proto_live_str(o, "code", m->code, sizeof m->code))
            return proto_live_bad(field, fl, "code");
        return 0;
    case PROTO_LIVE_RESUME:
        if (!proto_live_str(o, "token", m->token, sizeof m->token))
            return proto_live_bad(field, fl, "token");
        return 0;
    case PROTO_LIVE_ANSWER:
        v = json_object_get(o, "q");
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) >= EXAM_MAX_PAPER)
            return proto_live_bad(field, fl, "q");
        m->q = json_integer_value(v);
        return proto_choice(o, m, field, fl);
    default: /* live_watch */
        v = json_object_get(o, "round");
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return proto_live_bad(field, fl, "round");
        m->round = json_integer_value(v);
        return 0;
    }
}

/* Dump o (taken) as compact text. */
static char *proto_live_dump(json_t *o)
{
    char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return t;
}

/* Add the request id (JSON text) to o. */
static void proto_live_id(json_t *o, const char *id)
{
    json_t *v = id ? json_loads(id, JSON_DECODE_ANY, NULL) : NULL;
    json_object_set_new(o, "id", v ? v : json_null());
}

static json_t *proto_live_round(const struct live_round *r)
{
    const struct live_core *k = &r->core;
    return json_pack("{sI ss ss si ss si sb sb si si}", "id", (json_int_t)r->id,
                     "title", r->title, "code", r->code, "n", k->n_q, "state",
                     store_live_state_name(k->state), "current", k->current,
                     "elimination", k->elimination, "revived", k->revived,
                     "players", k->n_players, "active", live_core_active(k));
}

char *proto_live_welcome(const char *id, const struct live_round *r,
                         const struct live_player *p, const char *token)
{
    json_t *o = json_pack("{ss so}", "type", "live_welcome", "round",
                          proto_live_round(r));
    if (!o)
        return NULL;
    proto_live_id(o, id);
    if (p)
        json_object_set_new(o, "player",
                            json_pack("{sI ss ss sb}", "id", (json_int_t)p->id,
                                      "name", p->name, "unit", p->unit_name,
                                      "eliminated", p->eliminated_at >= 0));
    if (token)
        json_object_set_new(o, "token", json_string(token));
    return proto_live_dump(o);
}

char *proto_live_units(const struct store_unit_row *u, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{sI sI ss}", "id", (json_int_t)u[i].id, "parent",
                         (json_int_t)u[i].parent_id, "name", u[i].name));
    return proto_live_dump(a);
}

char *proto_live_lookup(const char *id, const struct live_round *r,
                        const char *units)
{
    json_t *o = json_pack("{ss so}", "type", "live_round", "round",
                          proto_live_round(r));
    if (o)
        proto_live_id(o, id);
    char *head = proto_live_dump(o); /* {...}: the units go before the } */
    size_t hl = head ? strlen(head) : 0, ul = strlen(units);
    char *t = hl > 2 ? malloc(hl + ul + 16) : NULL;
    if (t) {
        memcpy(t, head, hl - 1);
        memcpy(t + hl - 1, ",\"units\":", 9);
        memcpy(t + hl + 8, units, ul);
        memcpy(t + hl + 8 + ul, "}", 2);
    }
    free(head);
    return t;
}

char *proto_live_question(const struct live_round *r, int64_t left_ms)
{
    int q = r->core.current;
    const struct exam_question *eq = &r->e->pool[q];
    json_t *opts = json_array();
    for (int k = 0; k < eq->n_options; k++)
        json_array_append_new(opts, json_string(eq->options[k]));
    return proto_live_dump(
        json_pack("{ss sI si si ss so sb si sI}", "type", "live_question",
                  "round", (json_int_t)r->id, "q", q, "n", r->core.n_q, "text",
                  eq->text, "options", opts, "multi", eq->multi, "seconds",
                  r->q_seconds[q], "left_ms", (json_int_t)left_ms));
}

static json_t *proto_live_rows(const struct live_round *r, const int *order)
{
    json_t *a = json_array();
    for (int i = 0; i < r->core.n_players && i < LIVE_BOARD_TOP; i++) {
        const struct live_player *p = r->core.players[order[i]];
        json_array_append_new(a, json_pack("{si ss ss si sI sb}", "rank",
                                           p->rank, "name", p->name, "unit",
                                           p->unit_name, "correct", p->correct,
                                           "time_ms", (json_int_t)p->time_ms,
                                           "out", p->eliminated_at >= 0));
    }
    return a;
}

char *proto_live_board(const struct live_round *r, const int *order, bool end)
{
    const struct live_core *k = &r->core;
    json_t *o = json_pack(
        "{ss sI si si si si so}", "type", end ? "live_end" : "live_reveal",
        "round", (json_int_t)r->id, "q", k->current, "n", k->n_q, "players",
        k->n_players, "active", live_core_active(k), "board",
        proto_live_rows(r, order));
    if (!o || end || k->current < 0)
        return proto_live_dump(o);
    const struct exam_question *eq = &r->e->pool[k->current];
    json_t *key = json_array(), *counts = json_array();
    for (int i = 0; i < eq->n_options; i++) {
        if (eq->key & (1u << i))
            json_array_append_new(key, json_integer(i));
        json_array_append_new(counts, json_integer(k->counts[i]));
    }
    json_object_set_new(o, "key", key);
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "answered", json_integer(k->answered));
    json_object_set_new(o, "last", json_boolean(k->current + 1 >= k->n_q));
    return proto_live_dump(o);
}

int proto_live_you(char *buf, size_t n, const struct live_round *r,
                   const struct live_player *p)
{
    const struct live_core *k = &r->core;
    bool right = p->answered && k->current >= 0 &&
                 p->choice == r->e->pool[k->current].key;
    int len = snprintf(buf, n,
                       "{\"type\":\"live_you\",\"round\":%lld,\"q\":%d,"
                       "\"rank\":%d,\"players\":%d,\"correct\":%d,"
                       "\"time_ms\":%lld,\"answered\":%s,\"right\":%s,"
                       "\"eliminated\":%s}",
                       (long long)r->id, k->current, p->rank, k->n_players,
                       p->correct, (long long)p->time_ms,
                       p->answered ? "true" : "false", right ? "true" : "false",
                       p->eliminated_at >= 0 ? "true" : "false");
    return len > 0 && (size_t)len < n ? len : -1;
}

char *proto_live_lobby(const struct live_round *r)
{
    const struct live_core *k = &r->core;
    json_t *names = json_array();
    for (int i = k->n_players > 24 ? k->n_players - 24 : 0; i < k->n_players;
         i++)
        json_array_append_new(names, json_string(k->players[i]->name));
    return proto_live_dump(json_pack("{ss sI si so}", "type", "live_lobby",
                                     "round", (json_int_t)r->id, "players",
                                     k->n_players, "names", names));
}

int proto_live_ack(char *buf, size_t n, const char *id, int q)
{
    int len =
        snprintf(buf, n, "{\"type\":\"live_ack\",\"id\":%s,\"q\":%d}", id, q);
    return len > 0 && (size_t)len < n ? len : -1;
}

int proto_live_revived(char *buf, size_t n, const struct live_round *r)
{
    int len = snprintf(buf, n,
                       "{\"type\":\"live_revived\",\"round\":%lld,"
                       "\"active\":%d}",
                       (long long)r->id, live_core_active(&r->core));
    return len > 0 && (size_t)len < n ? len : -1;
}

int proto_live_taken_over(char *buf, size_t n, int64_t round)
{
    int len = snprintf(buf, n, "{\"type\":\"live_taken_over\",\"round\":%lld}",
                       (long long)round);
    return len > 0 && (size_t)len < n ? len : -1;
}

int proto_live_progress(char *buf, size_t n, const struct live_round *r)
{
    int len = snprintf(buf, n,
                       "{\"type\":\"live_progress\",\"round\":%lld,\"q\":%d,"
                       "\"answered\":%d,\"active\":%d}",
                       (long long)r->id, r->core.current, r->core.answered,
                       live_core_active(&r->core));
    return len > 0 && (size_t)len < n ? len : -1;
}
