/*
 * import_int.h — what the importers (import_*.c) and the native parser
 * (bank.c) share: the parse context with its issue list, the question
 * commit that applies every rule of the native format, Moodle's grade
 * fractions, and HTML reduced to plain text.
 *
 * Not a public interface: callers use import.h. Pure code; any thread.
 */
#ifndef EXAMD_IMPORT_INT_H
#define EXAMD_IMPORT_INT_H

#include "import.h"

#include <stdint.h>

/* One import in progress. Lives on import_parse's stack. */
struct imp {
    const struct import_opts *opts;
    struct import_result *res; /* issues go here */
    struct bank *bank;         /* questions committed so far */
    int cap;                   /* allocated length of bank->q */
    bool oom;                  /* a malloc failed: the import fails */
    bool truncated;            /* IMPORT_MAX_ISSUES reached */
};

/* Record an issue: an error, or an unsupported question skipped.
 * question: the question's text (cut here to 80 bytes), NULL or "" when
 * the issue is not about one question. vi_fmt and en_fmt take the same
 * arguments in the same order. */
void imp_issue(struct imp *imp, int line, bool skipped, const char *question,
               const char *vi_fmt, const char *en_fmt, ...);
#define imp_error(imp, line, question, ...)                                    \
    imp_issue((imp), (line), false, (question), __VA_ARGS__)

/* An unsupported question type (vi and en name it): skipped with an issue
 * when opts->skip_unsupported, else an error. */
void imp_unsupported(struct imp *imp, int line, const char *question,
                     const char *type_vi, const char *type_en);

/* Check q against every rule of the native format, normalise its text to
 * NFC and either append it to the bank (taking its strings) or record the
 * problems and free them. q's strings are malloc'ed or NULL (ext_id,
 * explanation: NULL = ""; topic: NULL = the bank's title). n_seen counts
 * options found even beyond EXAM_MAX_OPTIONS. q->weight and q->multi must
 * be set (import_weights_default fills them from a key). */
void imp_commit(struct imp *imp, struct bank_question *q, int n_seen);

/* malloc'ed copy of s[0..len) with white space trimmed at both ends. NULL
 * (and imp->oom) on malloc failure. */
char *imp_strndup_trim(struct imp *imp, const char *s, size_t len);

/* Append "label: text" (or text alone if label is NULL) as a new line of
 * *expl (malloc'ed or NULL). Empty text appends nothing. */
void imp_expl_add(struct imp *imp, char **expl, const char *label,
                  const char *text);

/* The topic for a Moodle category path "$course$/top/Lịch sử Đảng": its last
 * segment ("//" is a literal "/"), or NULL for an empty path or the
 * default "top". malloc'ed. */
char *imp_category_topic(struct imp *imp, const char *path, size_t len);

/* "easy", "dễ", "Medium", "trung bình", "KHÓ" ... -> enum exam_difficulty;
 * -1 if s names none. */
int imp_difficulty_parse(const char *s);

/* --- Moodle's grade fractions (import_weight.c) --- */

/* Moodle's tolerance on a grade, in BANK_WEIGHT_FULL units (1e-5 of the
 * mark). */
#define IMPORT_WEIGHT_TOL 100

/* Parse a percentage "-33.33333" at s[0..len) into 1e-7 units of the mark
 * (BANK_WEIGHT_FULL = 100 %). Returns 0, or -1 if s is not a number. */
int import_percent_parse(const char *s, size_t len, int64_t *units);

/* Snap units to the nearest of Moodle's grades (100, 90, 83.33333 ... 5, 0
 * and their negatives) within IMPORT_WEIGHT_TOL. Returns 0, or -1 when no
 * grade is that close. */
int import_weight_snap(int64_t units, int32_t *out);

/* Moodle's grades as text, for error messages ("100, 90, 83.33333, ..."). */
extern const char import_weight_list[];

/* Fill q->weight from q->key and q->multi: single, the key option 100 %;
 * multiple, the key options share 100 % (FULL/n rounded, the last takes
 * the remainder); others 0. */
void import_weights_default(struct bank_question *q);

/* Do q->weight equal import_weights_default's? */
bool import_weights_are_default(const struct bank_question *q);

/*
 * Validate q->weight against q->multi and derive q->key. Single answer:
 * exactly one option at 100 %, none above. Multiple answer: positive
 * weights sum to 100 % within IMPORT_WEIGHT_TOL per option (then made
 * exact: the last positive option takes the remainder), at least one.
 * Every weight within -100..100 %. Returns 0, or -1 with the problem in
 * vi/en (each 160 bytes).
 */
int import_weights_check(struct bank_question *q, char *vi, char *en);

/* Write units as a percentage with up to 5 decimals ("33.33333", "-50",
 * "100") into buf (24 bytes). */
void import_percent_format(int32_t units, char *buf);

/* --- HTML reduced to plain text (import_html.c) --- */

/* Tags removed (<script> and <style> with their content), <br>, </p>,
 * </div>, </li>, </tr> and headings made line breaks, entities decoded,
 * white space collapsed as a browser would, lines trimmed. malloc'ed, NULL
 * on malloc failure. */
char *import_html_to_text(const char *html, size_t len);

/* --- the formats --- */

void import_gift_read(struct imp *imp, const char *text, size_t len);
void import_aiken_read(struct imp *imp, const char *text, size_t len);
void import_xml_read(struct imp *imp, const char *text, size_t len);
void import_csv_read(struct imp *imp, const char *text, size_t len);

/* Does this first line look like an examd CSV header? Does the text hold
 * Aiken's ANSWER: and A. / A) lines? (import_format_detect) */
bool import_csv_sniff(const char *line, size_t len);
bool import_aiken_sniff(const char *text, size_t len);

/* bank_parse with the first problem in Vietnamese (vi) and English (en),
 * each of msglen bytes (bank.c). */
struct bank *bank_parse_split(const char *text, size_t len, char *vi, char *en,
                              size_t msglen);

#endif
