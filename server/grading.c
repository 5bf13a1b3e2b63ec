/* grading.c — rounding, pass mark and bands (see grading.h). */
#include "grading.h"
#include "err.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct grading_band grading_default_bands[] = {
    {"Xuất sắc", "Excellent", 900}, {"Giỏi", "Very good", 800},
    {"Khá", "Good", 650},           {"Trung bình", "Average", 500},
    {"Không đạt", "Not passed", 0},
};

void grading_default(struct grading *g)
{
    memset(g, 0, sizeof *g);
    g->step_centi = 1;
    g->pass_centi = 500;
    g->n_bands =
        (int)(sizeof grading_default_bands / sizeof *grading_default_bands);
    memcpy(g->bands, grading_default_bands, sizeof grading_default_bands);
}

/* A JSON number on the 10-point scale with at most two decimals, x100,
 * into *out: false when not a number, out of 0..10, or finer than 0.01. */
static bool grading_centi(const json_t *v, int *out)
{
    if (!json_is_number(v))
        return false;
    double x = json_number_value(v) * 100.0;
    double r = floor(x + 0.5);
    if (!(x >= 0 && x <= 1000) || fabs(x - r) > 1e-6)
        return false;
    *out = (int)r;
    return true;
}

static int grading_bad(char *field, size_t flen, char *msg, size_t msglen,
                       const char *f, const char *m)
{
    snprintf(field, flen, "%s", f);
    snprintf(msg, msglen, "%s: %s", f, m);
    return EXAMD_EINVAL;
}

/* A band name from v into out (NFC, one line, 1..63 bytes); false if not. */
static bool grading_name(const json_t *v, char *out, bool optional)
{
    const char *s = json_string_value(v);
    if (!v || json_is_null(v)) {
        out[0] = 0;
        return optional;
    }
    char *t = s ? text_nfc(s, strlen(s)) : NULL;
    bool ok = t && *t && strlen(t) < GRADING_NAME_MAX && !strchr(t, '\n') &&
              !strchr(t, '\t');
    if (ok)
        snprintf(out, GRADING_NAME_MAX, "%s", t);
    free(t);
    return ok;
}

static int grading_bands(const json_t *a, struct grading *g, char *field,
                         size_t flen, char *msg, size_t msglen)
{
    char f[48];
    size_t i;
    json_t *b;
    if (!json_is_array(a) || !json_array_size(a) ||
        json_array_size(a) > GRADING_MAX_BANDS)
        return grading_bad(field, flen, msg, msglen, "grading.bands",
                           "cần 1–8 mức xếp loại / 1-8 bands are required");
    g->n_bands = (int)json_array_size(a);
    json_array_foreach(a, i, b)
    {
        struct grading_band *gb = &g->bands[i];
        snprintf(f, sizeof f, "grading.bands[%zu].name", i);
        if (!json_is_object(b) ||
            !grading_name(json_object_get(b, "name"), gb->name, false))
            return grading_bad(field, flen, msg, msglen, f,
                               "cần tên mức (1–63 byte, một dòng) / the "
                               "band's name is required (1-63 bytes, one "
                               "line)");
        snprintf(f, sizeof f, "grading.bands[%zu].name_en", i);
        if (!grading_name(json_object_get(b, "name_en"), gb->name_en, true))
            return grading_bad(field, flen, msg, msglen, f,
                               "tên tiếng Anh 1–63 byte, một dòng / the "
                               "English name is 1-63 bytes, one line");
        snprintf(f, sizeof f, "grading.bands[%zu].min", i);
        if (!grading_centi(json_object_get(b, "min"), &gb->min_centi))
            return grading_bad(field, flen, msg, msglen, f,
                               "điểm tối thiểu là số 0–10, tối đa hai chữ số "
                               "thập phân / the minimum is a number 0-10 "
                               "with at most two decimals");
        if (i > 0 && gb->min_centi >= g->bands[i - 1].min_centi)
            return grading_bad(field, flen, msg, msglen, f,
                               "các mức xếp theo điểm tối thiểu giảm dần / "
                               "bands go from the highest minimum down");
    }
    if (g->bands[g->n_bands - 1].min_centi != 0)
        return grading_bad(field, flen, msg, msglen, f,
                           "mức thấp nhất phải bắt đầu từ 0 / the lowest "
                           "band must start at 0");
    return 0;
}

int grading_from_json(const json_t *v, struct grading *g, char *field,
                      size_t flen, char *msg, size_t msglen)
{
    grading_default(g);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_object(v))
        return grading_bad(field, flen, msg, msglen, "grading",
                           "quy tắc chấm điểm phải là đối tượng JSON / the "
                           "grading rules must be a JSON object");
    const json_t *r = json_object_get(v, "rounding"),
                 *p = json_object_get(v, "pass"),
                 *b = json_object_get(v, "bands");
    int step;
    if (r && !json_is_null(r)) {
        if (!grading_centi(r, &step) || step < 1 || step > 100 || 1000 % step)
            return grading_bad(field, flen, msg, msglen, "grading.rounding",
                               "bước làm tròn là 0.01–1 và chia hết 10 (0.1, "
                               "0.25, 0.5, 1) / the rounding step is "
                               "0.01-1 and divides 10 (0.1, 0.25, 0.5, 1)");
        g->step_centi = step;
    }
    if (p && !json_is_null(p) && !grading_centi(p, &g->pass_centi))
        return grading_bad(field, flen, msg, msglen, "grading.pass",
                           "điểm đạt là số 0–10, tối đa hai chữ số thập "
                           "phân / the pass mark is a number 0-10 with at "
                           "most two decimals");
    if (b && !json_is_null(b))
        return grading_bands(b, g, field, flen, msg, msglen);
    return 0;
}

int grading_parse(const char *text, struct grading *g, char *field, size_t flen,
                  char *msg, size_t msglen)
{
    if (!text || !*text) {
        grading_default(g);
        return 0;
    }
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    int rc = v ? grading_from_json(v, g, field, flen, msg, msglen)
               : grading_bad(field, flen, msg, msglen, "grading",
                             "không đọc được JSON / not valid JSON");
    json_decref(v);
    return rc;
}

/* x100 back to a JSON number: an integer when whole. */
static json_t *grading_number(int centi)
{
    return centi % 100 ? json_real(centi / 100.0) : json_integer(centi / 100);
}

json_t *grading_to_json(const struct grading *g)
{
    json_t *a = json_array();
    for (int i = 0; a && i < g->n_bands; i++) {
        const struct grading_band *b = &g->bands[i];
        json_t *o = json_pack("{ss so}", "name", b->name, "min",
                              grading_number(b->min_centi));
        if (o && b->name_en[0])
            json_object_set_new(o, "name_en", json_string(b->name_en));
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    if (!a)
        return NULL;
    return json_pack("{so so so}", "rounding", grading_number(g->step_centi),
                     "pass", grading_number(g->pass_centi), "bands", a);
}

char *grading_dumps(const struct grading *g)
{
    json_t *o = grading_to_json(g);
    char *t = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    return t;
}

int grading_round(const struct grading *g, int score_centi)
{
    int s = g->step_centi > 0 ? g->step_centi : 1;
    if (score_centi < 0)
        score_centi = 0;
    if (score_centi > 1000)
        score_centi = 1000;
    return (2 * score_centi + s) / (2 * s) * s;
}

int grading_round_points(const struct grading *g, int score_centi,
                         int64_t earned, int64_t possible)
{
    int64_t s = g->step_centi > 0 ? g->step_centi : 1;
    if (s <= 1 || possible <= 0)
        return grading_round(g, score_centi);
    if (earned < 0)
        earned = 0;
    if (earned > possible)
        earned = possible;
    /* floor(1000 earned / possible / s + 1/2) x s, in integers: earned is
     * at most 200 x 100 x 1e7, so 2000 x earned stays far below 2^63 */
    return (int)((2000 * earned + s * possible) / (2 * s * possible) * s);
}

int grading_band(const struct grading *g, int rounded_centi)
{
    for (int i = 0; i < g->n_bands; i++)
        if (rounded_centi >= g->bands[i].min_centi)
            return i;
    return g->n_bands ? g->n_bands - 1 : -1;
}

bool grading_passed(const struct grading *g, int rounded_centi)
{
    return rounded_centi >= g->pass_centi;
}
