/*
 * cli.c — "examd import", "examd exam add", the demo set-up, and the
 * helpers every subcommand shares (cli.h). Each validates all its
 * arguments before writing anything. Accounts and the audit log:
 * cli_user.c.
 */
#include "cli.h"
#include "audit.h"
#include "auth.h"
#include "api_staff.h"
#include "bank.h"
#include "import.h"
#include "netrange.h"
#include "clock.h"
#include "err.h"
#include "store.h"
#include "store_contest.h"

#include <dirent.h>
#include <jansson.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_opt(int argc, char **argv, const char *name, const char *def)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return def;
}

bool cli_flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], name))
            return true;
    return false;
}

bool cli_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

int cli_fail(const char *what, const char *msg)
{
    fprintf(stderr, "examd %s: %s\n", what, msg);
    return 1;
}

struct store *cli_open(const char *db, const char *what)
{
    char msg[512];
    struct store *s = NULL;
    if (store_open(db, true, &s, msg, sizeof msg)) {
        cli_fail(what, msg);
        return NULL;
    }
    return s;
}

/* The whole file (NUL-terminated, *len bytes) or NULL with msg. */
static char *cli_read_file(const char *path, size_t *len, char *msg,
                           size_t msglen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n = -1;
    if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
        n <= 64L * 1024 * 1024 && !fseek(f, 0, SEEK_SET) &&
        (buf = malloc((size_t)n + 1)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = 0;
        *len = (size_t)n;
    } else {
        snprintf(msg, msglen, "%s: %s", path,
                 n > 64L * 1024 * 1024 ? "larger than 64 MiB"
                                       : "cannot be read");
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

/* A bank short name from a file name: its stem, lower case, a-z 0-9 - _. */
static void cli_bank_name(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t i = 0;
    for (; base[i] && base[i] != '.' && i + 1 < len && i < 64; i++) {
        char ch = base[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        out[i] =
            (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'
                ? ch
                : '-';
    }
    out[i] = 0;
    if (!i)
        snprintf(out, len, "imported");
}

/*
 * Read, check and (unless dry) store one question file into s, printing
 * every issue to stderr. bank and title may be NULL (from the file).
 * Returns 0 or an error (the file is then not imported at all).
 */
static int cli_import_file(struct store *s, const char *path,
                           const struct import_opts *given, bool dry)
{
    char msg[1024], name[72];
    size_t len = 0;
    struct import_opts o = *given;
    struct import_result r = {0};
    char *text = cli_read_file(path, &len, msg, sizeof msg);
    if (!text)
        return cli_fail("import", msg) ? EXAMD_EIO : 0;
    cli_bank_name(path, name, sizeof name);
    if (!o.bank_name)
        o.bank_name = name;
    int rc = import_parse(text, len, &o, &r);
    free(text);
    for (int i = 0; i < r.n_issues; i++) {
        char *line = import_issue_format(&r.issues[i]);
        fprintf(stderr, "%s: %s%s\n", path,
                r.issues[i].skipped ? "(bỏ qua / "
                                      "skipped) "
                                    : "",
                line ? line : "?");
        free(line);
    }
    if (rc) {
        fprintf(stderr, "%s: %s\n", path, err_text(EXAMD_EBADIMPORT));
        import_result_fini(&r);
        return rc;
    }
    struct bank *b = r.bank;
    if (given->bank_name) { /* --bank names the target, even for native */
        free(b->name);
        b->name = strdup(given->bank_name);
    }
    if (given->title) {
        free(b->title);
        b->title = strdup(given->title);
    }
    int64_t bank_id = 0;
    bool created = false;
    int n_dup = 0;
    int *dup = calloc((size_t)b->n + 1, sizeof *dup);
    int64_t *dup_id = calloc((size_t)b->n + 1, sizeof *dup_id);
    rc = !b->name || !b->title || !dup || !dup_id ? EXAMD_ENOMEM
         : store_begin(s)                         ? EXAMD_EIO
                                                  : 0;
    if (!rc) {
        rc = store_bank_add(s, b, clock_now_ms(), &bank_id, &created, dup,
                            dup_id, &n_dup);
        for (int i = 0; i < n_dup; i++)
            fprintf(stderr,
                    "%s: dòng %d: trùng câu hỏi số %lld đã có trong ngân hàng"
                    " / line %d: repeats question %lld already in the bank\n",
                    path, b->q[dup[i]].line, (long long)dup_id[i],
                    b->q[dup[i]].line, (long long)dup_id[i]);
        if (!rc && !dry)
            rc = cli_audit_add(
                s, "bank.import",
                json_pack("{sI ss si sb ss}", "bank_id", (json_int_t)bank_id,
                          "bank", b->name, "added", b->n, "new_bank", created,
                          "format", import_format_name(r.format)));
        if (rc || dry || store_commit(s)) {
            store_rollback(s);
            rc = rc ? rc : dry ? 0 : EXAMD_EIO;
        }
    }
    if (!rc)
        printf("%s: %s%d questions %s bank \"%s\" (%s)\n", path,
               dry ? "valid, would import " : "imported ", b->n,
               created ? "into the new" : "into the existing", b->name,
               import_format_name(r.format));
    else
        fprintf(stderr, "%s: %s\n", path,
                rc == EXAMD_EEXISTS ? err_text(EXAMD_EBADIMPORT)
                                    : err_text(rc));
    free(dup);
    free(dup_id);
    import_result_fini(&r);
    return rc;
}

int cli_import(int argc, char **argv)
{
    const char *db = cli_opt(argc, argv, "--db", CLI_DEFAULT_DB);
    const char *file = NULL, *fmt = cli_opt(argc, argv, "--format", NULL);
    struct import_opts o = {0};
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--bank") ||
            !strcmp(argv[i], "--title") || !strcmp(argv[i], "--format")) {
            i++;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: examd import [--db PATH] [--bank NAME] "
                   "[--title TEXT]\n"
                   "         [--format gift|aiken|moodlexml|csv|native] "
                   "[--skip-unsupported]\n"
                   "         [--dry-run] FILE\n\n"
                   "Check a question file (docs/question-bank-format.md) and "
                   "add its questions\nto the bank NAME (made when missing; "
                   "default: the file's name) in one\ntransaction: all or "
                   "nothing. The format is detected when not given.\n");
            return 0;
        } else if (argv[i][0] != '-') {
            file = argv[i];
        }
    }
    if (!file)
        return cli_fail("import", "missing FILE (see --help)");
    o.format = fmt ? import_format_parse(fmt) : IMPORT_AUTO;
    if (o.format < 0)
        return cli_fail("import",
                        "--format must be gift, aiken, moodlexml, csv or "
                        "native");
    o.bank_name = cli_opt(argc, argv, "--bank", NULL);
    o.title = cli_opt(argc, argv, "--title", NULL);
    o.skip_unsupported = cli_flag(argc, argv, "--skip-unsupported");
    if (o.bank_name && !api_staff_name_ok(o.bank_name))
        return cli_fail("import", "--bank must be 1-64 of a-z 0-9 - _");
    struct store *s = cli_open(db, "import");
    if (!s)
        return 1;
    int rc = cli_import_file(s, file, &o, cli_flag(argc, argv, "--dry-run"));
    store_close(s);
    return rc ? 1 : 0;
}

static void cli_exam_usage(void)
{
    printf("usage: examd exam add [--db PATH] --title TEXT [--bank NAME]\n"
           "         [--questions N] [--duration SECONDS] [--attempts N]\n"
           "         [--review none|answers|full] [--no-shuffle]\n"
           "         [--description TEXT] [--closes-in SECONDS]\n"
           "         [--blueprint \"TOPIC:LEVEL:COUNT;...\"] [--fixed-draw]\n"
           "         [--partial] [--penalty FRACTION]\n"
           "         [--ip-ranges \"CIDR,CIDR,...\"]\n\n"
           "Publish an exam: freeze the bank's current questions into it.\n"
           "--blueprint draws COUNT questions per cell (TOPIC or *, LEVEL\n"
           "easy, medium, hard or *), e.g. \"Lịch sử Đảng:easy:10;*:*:5\";\n"
           "--fixed-draw draws once now (everyone gets the same questions);\n"
           "--partial marks multiple answers with partial credit; --penalty\n"
           "takes that share of a question's points for a wrong answer.\n"
           "--closes-in closes the exam's window that many seconds from now:\n"
           "no attempt runs past it (a contest round's fixed end).\n"
           "--ip-ranges makes a training-room exam: started and answered\n"
           "only from those addresses, e.g. \"10.1.2.0/24,2001:db8::/64\".\n"
           "Defaults: every bank, 20 questions, 900 s, 1 attempt, review "
           "full.\nPrints the new exam's id.\n");
}

/*
 * Parse "TOPIC:LEVEL:COUNT;..." into cells (at most EXAM_MAX_CELLS); the
 * topics point into buf (a copy of text the caller keeps). 0, or -1 with
 * msg naming the bad cell.
 */
static int cli_blueprint(char *buf, struct store_cell *cells, int *n, char *msg,
                         size_t msglen)
{
    char *save = NULL;
    *n = 0;
    for (char *c = strtok_r(buf, ";", &save); c;
         c = strtok_r(NULL, ";", &save)) {
        char *lvl = strrchr(c, ':'), *cnt = NULL;
        if (lvl) {
            *lvl = 0;
            cnt = lvl + 1;
            lvl = strrchr(c, ':');
        }
        struct store_cell *cell = &cells[*n];
        if (*n == EXAM_MAX_CELLS || !lvl ||
            !cli_int(cnt, 1, EXAM_MAX_PAPER, &cell->count)) {
            snprintf(msg, msglen,
                     "--blueprint: ô %d phải là CHỦ ĐỀ:MỨC:SỐ CÂU / cell %d "
                     "must be TOPIC:LEVEL:COUNT",
                     *n + 1, *n + 1);
            return -1;
        }
        *lvl++ = 0;
        cell->topic = strcmp(c, "*") ? c : NULL;
        cell->difficulty = strcmp(lvl, "*") ? bank_difficulty_parse(lvl) : -1;
        if (strcmp(lvl, "*") && cell->difficulty < 0) {
            snprintf(msg, msglen,
                     "--blueprint: ô %d: mức phải là easy, medium, hard hoặc "
                     "* / cell %d: level must be easy, medium, hard or *",
                     *n + 1, *n + 1);
            return -1;
        }
        (*n)++;
    }
    if (*n)
        return 0;
    snprintf(msg, msglen, "--blueprint is empty");
    return -1;
}

/*
 * Parse "CIDR,CIDR,..." (NULL: none) into canonical text in buf, pointed
 * to by p; *n of them. 0, or -1 with msg naming the bad entry.
 */
static int cli_ranges(const char *text, char buf[][64], const char **p, int *n,
                      char *msg, size_t msglen)
{
    char copy[EXAM_MAX_RANGES * 64], *save = NULL;
    *n = 0;
    if (!text)
        return 0;
    snprintf(copy, sizeof copy, "%s", text);
    for (char *c = strtok_r(copy, ", ", &save); c;
         c = strtok_r(NULL, ", ", &save)) {
        struct netrange r;
        if (*n == EXAM_MAX_RANGES || netrange_parse(c, &r)) {
            snprintf(msg, msglen,
                     "--ip-ranges: \"%.60s\" không phải dải địa chỉ CIDR hợp lệ"
                     " (tối đa %d) / is not a valid CIDR range (at most %d)",
                     c, EXAM_MAX_RANGES, EXAM_MAX_RANGES);
            return -1;
        }
        netrange_format(&r, buf[*n], 64);
        p[*n] = buf[*n];
        (*n)++;
    }
    if (*n)
        return 0;
    snprintf(msg, msglen, "--ip-ranges is empty");
    return -1;
}

int cli_exam(int argc, char **argv)
{
    char msg[1024] = "";
    if (argc < 1 || strcmp(argv[0], "add") || cli_flag(argc, argv, "-h") ||
        cli_flag(argc, argv, "--help")) {
        cli_exam_usage();
        return argc >= 1 && strcmp(argv[0], "add") ? 1 : 0;
    }
    struct store_exam_spec sp = {0};
    sp.title = cli_opt(argc, argv, "--title", NULL);
    sp.description = cli_opt(argc, argv, "--description", "");
    sp.bank = cli_opt(argc, argv, "--bank", NULL);
    sp.random_selection = !cli_flag(argc, argv, "--fixed-draw");
    sp.multi_scoring =
        cli_flag(argc, argv, "--partial") ? EXAM_MULTI_PARTIAL : EXAM_MULTI_ALL;
    const char *pen = cli_opt(argc, argv, "--penalty", "0");
    char *end;
    double pv = strtod(pen, &end);
    if (*end || end == pen || pv < 0 || pv > 1)
        return cli_fail("exam add", "--penalty must be a number 0..1");
    sp.wrong_penalty = (int32_t)(pv * EXAM_WEIGHT_FULL + 0.5);
    struct store_cell cells[EXAM_MAX_CELLS];
    char bp[2048];
    const char *bpt = cli_opt(argc, argv, "--blueprint", NULL);
    if (bpt) {
        snprintf(bp, sizeof bp, "%s", bpt);
        if (cli_blueprint(bp, cells, &sp.n_cells, msg, sizeof msg))
            return cli_fail("exam add", msg);
        sp.cells = cells;
    }
    sp.shuffle_questions = sp.shuffle_options =
        !cli_flag(argc, argv, "--no-shuffle");
    sp.review = exam_review_parse(cli_opt(argc, argv, "--review", "full"));
    if (!sp.title || !*sp.title)
        return cli_fail("exam add", "--title is required");
    if (!cli_int(cli_opt(argc, argv, "--questions", "20"), 1, EXAM_MAX_PAPER,
                 &sp.n_paper))
        return cli_fail("exam add", "--questions must be 1..200");
    if (!cli_int(cli_opt(argc, argv, "--duration", "900"), 1, 86400,
                 &sp.duration_s))
        return cli_fail("exam add", "--duration must be 1..86400 seconds");
    if (!cli_int(cli_opt(argc, argv, "--attempts", "1"), 1, 100, &sp.attempts))
        return cli_fail("exam add", "--attempts must be 1..100");
    if (sp.review < 0)
        return cli_fail("exam add", "--review must be none, answers or full");
    char rbuf[EXAM_MAX_RANGES][64];
    const char *rp[EXAM_MAX_RANGES];
    if (cli_ranges(cli_opt(argc, argv, "--ip-ranges", NULL), rbuf, rp,
                   &sp.n_ip_ranges, msg, sizeof msg))
        return cli_fail("exam add", msg);
    sp.ip_ranges = rp;
    int closes_in = 0;
    if (!cli_int(cli_opt(argc, argv, "--closes-in", "0"), 0, 365 * 86400,
                 &closes_in))
        return cli_fail("exam add", "--closes-in must be 0..31536000 seconds");
    if (closes_in)
        sp.closes_ms = clock_now_ms() + closes_in * 1000LL;
    struct store *s =
        cli_open(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB), "exam add");
    if (!s)
        return 1;
    int64_t id;
    int rc = store_begin(s);
    if (!rc)
        rc = store_exam_create(s, &sp, clock_now_ms(), &id, NULL, msg,
                               sizeof msg);
    if (!rc)
        rc = cli_audit_add(
            s, "exam.publish",
            json_pack("{sI ss}", "id", (json_int_t)id, "title", sp.title));
    if (!rc)
        rc = store_commit(s);
    if (rc) {
        store_rollback(s);
        if (!msg[0])
            snprintf(msg, sizeof msg, "lỗi cơ sở dữ liệu / database error");
    }
    store_close(s);
    if (rc)
        return cli_fail("exam add", msg);
    printf("%lld\n", (long long)id);
    return 0;
}

/* ---- demo ---- */

static const char *const cli_demo_names[] = {
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung",
    "Hoàng Văn Em",  "Vũ Thị Phương", "Đặng Quốc Gia",  "Bùi Thị Hạnh",
    "Đỗ Minh Khang", "Ngô Thị Lan",
};

/* The demo's bank titles: question-banks/titles.txt, "FILE = TITLE"
 * lines. The title for file, or NULL (then the file's own or its name). */
static char *cli_demo_title(const char *dir, const char *file)
{
    char path[1024], line[1024], *title = NULL;
    snprintf(path, sizeof path, "%s/titles.txt", dir);
    FILE *f = fopen(path, "r");
    size_t n = strlen(file);
    while (f && !title && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, file, n) && !strncmp(line + n, " = ", 3))
            title = strdup(line + n + 3);
    }
    if (f)
        fclose(f);
    return title;
}

/* Import every question file of dir whose bank is not in the database. */
static int cli_demo_banks(struct store *s, const char *dir, char *msg,
                          size_t msglen)
{
    static const char *const ext[] = {".json", ".gift", ".csv", ".xml",
                                      ".aiken.txt"};
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort), rc = 0;
    if (n < 0) {
        snprintf(msg, msglen, "%s: cannot open directory", dir);
        return EXAMD_EIO;
    }
    for (int i = 0; i < n; i++) {
        const char *f = list[i]->d_name;
        size_t len = strlen(f);
        bool ours = false;
        for (size_t k = 0; k < sizeof ext / sizeof *ext; k++)
            ours |= len > strlen(ext[k]) &&
                    !strcmp(f + len - strlen(ext[k]), ext[k]);
        char path[1024], name[72];
        snprintf(path, sizeof path, "%s/%s", dir, f);
        cli_bank_name(f, name, sizeof name);
        /* native files name their bank inside; check those by parsing */
        struct bank *nb = ours && strstr(f, ".json")
                              ? bank_load_file(path, msg, msglen)
                              : NULL;
        bool have = store_bank_exists(s, nb ? nb->name : name);
        bank_free(nb);
        if (ours && !rc && !have) {
            char *title = cli_demo_title(dir, f);
            struct import_opts o = {IMPORT_AUTO, false,
                                    strstr(f, ".json") ? NULL : name, title};
            rc = cli_import_file(s, path, &o, false);
            if (rc)
                snprintf(msg, msglen, "%s: not imported", path);
            free(title);
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

static int cli_demo_people(struct store *s, char *msg, size_t msglen)
{
    char hash[AUTH_PWHASH_MAX];
    int64_t id;
    if (auth_password_hash("examd-demo", hash)) {
        snprintf(msg, msglen, "out of memory hashing passwords");
        return EXAMD_ENOMEM;
    }
    /* One hash for all demo candidates: they share the demo password. */
    for (int i = 0; i < 10; i++) {
        char user[16];
        snprintf(user, sizeof user, "ts%02d", i + 1);
        if (store_user_add(s, user, cli_demo_names[i], "candidate", hash,
                           clock_now_ms(), &id)) {
            snprintf(msg, msglen, "cannot add demo user %s", user);
            return EXAMD_EIO;
        }
    }
    /* Staff: a trainer and an organiser for the staff console. */
    if (store_user_add(s, "giangvien", "Giảng viên Trần Văn Minh", "trainer",
                       hash, clock_now_ms(), &id) ||
        store_user_add(s, "tochuc", "Ban tổ chức Nguyễn Thị Hoa", "organiser",
                       hash, clock_now_ms(), &id)) {
        snprintf(msg, msglen, "cannot add demo staff");
        return EXAMD_EIO;
    }
    return 0;
}

/*
 * The demo contest: three units with target headcounts (the demo
 * candidates spread over them), a contest of the organiser tochuc open to
 * registration without a code, and its round 1 open for a week: 10
 * questions of the anti-corruption law bank, 10 minutes, 2 attempts, the
 * prediction question, answers shown after the close, a prize table.
 * *contest_id gets the contest's id.
 */
static int cli_demo_contest(struct store *s, int64_t *contest_id, char *msg,
                            size_t msglen)
{
    static const struct {
        const char *name;
        int target;
    } units[] = {{"Chi bộ Công ty May 10", 40},
                 {"Chi bộ Trường THPT Chu Văn An", 25},
                 {"Công đoàn Bệnh viện Bạch Mai", 60}};
    int64_t unit[3], now = clock_now_ms(), organiser = 0, exam_id;
    for (int i = 0; i < 3; i++)
        if (store_unit_add(s, units[i].name, 0, units[i].target, now,
                           &unit[i])) {
            snprintf(msg, msglen, "cannot add demo unit %s", units[i].name);
            return EXAMD_EIO;
        }
    for (int i = 0; i < 10; i++) {
        char user[16];
        struct store_user u;
        snprintf(user, sizeof user, "ts%02d", i + 1);
        if (store_user_by_name(s, user, &u) ||
            store_user_unit_set(s, u.id, unit[i % 3])) {
            snprintf(msg, msglen, "cannot place demo user %s", user);
            return EXAMD_EIO;
        }
    }
    struct store_user org;
    if (!store_user_by_name(s, "tochuc", &org))
        organiser = org.id;
    struct store_contest c = {
        .owner_id = organiser,
        .title = "Cuộc thi trắc nghiệm trực tuyến tìm hiểu Luật Phòng, chống "
                 "tham nhũng năm 2018",
        .description = "Dành cho cán bộ, đảng viên, đoàn viên công đoàn và "
                       "người lao động. Mỗi tuần một vòng thi; xếp hạng theo "
                       "số câu đúng, rồi theo câu hỏi dự đoán.",
        .open_registration = true,
        .created_ms = now};
    struct store_exam_spec sp = {
        .title = "Tuần 1: Những quy định chung và phòng ngừa tham nhũng",
        .description = "10 câu hỏi trắc nghiệm trong 10 phút; được làm 2 "
                       "lần, tính lần cao nhất.",
        .bank = "phong-chong-tham-nhung",
        .n_paper = 10,
        .random_selection = true,
        .duration_s = 600,
        .attempts = 2,
        .review = EXAM_REVIEW_ANSWERS,
        .shuffle_questions = true,
        .shuffle_options = true,
        .opens_ms = now - 60000,
        .closes_ms = now + 7 * 86400000LL};
    struct store_round r = {
        .round_no = 1,
        .prizes = "[{\"name\":\"Giải Nhất\",\"count\":1},"
                  "{\"name\":\"Giải Nhì\",\"count\":2},"
                  "{\"name\":\"Giải Ba\",\"count\":3},"
                  "{\"name\":\"Giải Khuyến khích\",\"count\":10}]",
        .prediction = true,
        .show_answers = true};
    int rc = store_contest_create(s, &c, contest_id);
    if (!rc)
        rc = store_exam_create(s, &sp, now, &exam_id, NULL, msg, msglen);
    if (!rc)
        rc = store_exam_owner_set(s, exam_id, organiser, 0);
    r.contest_id = *contest_id;
    if (!rc)
        rc = store_round_set(s, exam_id, &r);
    if (rc && !msg[0])
        snprintf(msg, msglen, "cannot create the demo contest");
    return rc;
}

int cli_demo_setup(const char *db_path, const char *dir, bool contest,
                   char *msg, size_t msglen)
{
    struct store *s = NULL;
    int64_t users = 0, exam_id, contest_id = 0;
    int rc = store_open(db_path, true, &s, msg, msglen);
    if (!rc)
        rc = cli_demo_banks(s, dir, msg, msglen);
    if (!rc)
        rc = store_user_count(s, &users);
    if (!rc && users == 0) {
        struct store_exam_spec sp = {
            .title = "Kiểm tra cuối khóa: Lịch sử Đảng, Điều lệ Đảng và "
                     "Tư tưởng Hồ Chí Minh",
            .description = "Bài kiểm tra trắc nghiệm kết thúc lớp bồi dưỡng "
                           "nhận thức về Đảng. Mỗi câu có một hoặc nhiều "
                           "đáp án đúng.",
            .bank = "dang-va-bac-ho",
            .n_paper = 20,
            .random_selection = true,
            .duration_s = 900,
            .attempts = 2,
            .review = EXAM_REVIEW_FULL,
            .shuffle_questions = true,
            .shuffle_options = true};
        rc = store_exam_create(s, &sp, clock_now_ms(), &exam_id, NULL, msg,
                               msglen);
        if (!rc)
            rc = cli_demo_people(s, msg, msglen);
        if (!rc && contest)
            rc = store_begin(s);
        if (!rc && contest) {
            rc = cli_demo_contest(s, &contest_id, msg, msglen);
            rc = rc ? (store_rollback(s), rc) : store_commit(s);
        }
    }
    store_close(s);
    if (!rc)
        printf("examd: demo logins: candidates ts01 .. ts10; staff console "
               "/staff.html: giangvien (trainer), tochuc (organiser); "
               "password examd-demo\n");
    if (!rc && contest_id)
        printf("examd: demo contest: /?contest=%lld (register with a name,"
               " date of birth and unit; no password)\n",
               (long long)contest_id);
    return rc;
}

int cli_demo(int argc, char **argv)
{
    char msg[1024];
    if (cli_flag(argc, argv, "-h") || cli_flag(argc, argv, "--help")) {
        printf("usage: examd demo [--db PATH] [--banks DIR] [--contest]\n\n"
               "Load every bank file in DIR (default question-banks) not "
               "yet loaded;\nif the database has no accounts, create the "
               "demo exam and the demo\ncandidates ts01..ts10 (password "
               "examd-demo); with --contest also three\nunits and a "
               "contest open to registration whose round 1 is open for\n"
               "a week.\n");
        return 0;
    }
    if (cli_demo_setup(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB),
                       cli_opt(argc, argv, "--banks", "question-banks"),
                       cli_flag(argc, argv, "--contest"), msg, sizeof msg))
        return cli_fail("demo", msg);
    return 0;
}

/*
 * "examd loadprep": accounts and live sessions for the load generator and
 * the crash test, without paying an Argon2 hash per person. Writes one
 * session token per line to --out. Never use on a production database:
 * the accounts share one password.
 */
int cli_loadprep(int argc, char **argv)
{
    char hash[AUTH_PWHASH_MAX], path_msg[256];
    int n = 0, ttl = 86400;
    const char *prefix = cli_opt(argc, argv, "--prefix", "lt");
    const char *out = cli_opt(argc, argv, "--out", NULL);
    if (cli_flag(argc, argv, "-h") || cli_flag(argc, argv, "--help") || !out ||
        !cli_int(cli_opt(argc, argv, "--users", NULL), 1, 1000000, &n)) {
        printf("usage: examd loadprep [--db PATH] --users N --out FILE "
               "[--prefix P]\n\nCreate candidates P000001.. with live "
               "sessions for load tests;\nwrite one session token per line "
               "to FILE.\n");
        return out ? 0 : 1;
    }
    FILE *f = fopen(out, "w");
    if (!f) {
        snprintf(path_msg, sizeof path_msg, "%s: cannot write", out);
        return cli_fail("loadprep", path_msg);
    }
    struct store *s =
        cli_open(cli_opt(argc, argv, "--db", CLI_DEFAULT_DB), "loadprep");
    int rc = s && !auth_password_hash("examd-load", hash) ? store_begin(s)
                                                          : EXAMD_EIO;
    int64_t now = clock_now_ms();
    for (int i = 1; i <= n && !rc; i++) {
        char user[64], name[64], hex[AUTH_TOKEN_HEX];
        uint8_t th[AUTH_HASH_BYTES];
        int64_t uid;
        snprintf(user, sizeof user, "%s%06d", prefix, i);
        snprintf(name, sizeof name, "Thí sinh %d", i);
        auth_token_new(hex, th);
        rc = store_user_add(s, user, name, "candidate", hash, now, &uid);
        if (!rc)
            rc = store_session_add(s, th, uid, now, now + ttl * 1000LL);
        fprintf(f, "%s\n", hex);
    }
    if (!rc)
        rc = store_commit(s);
    else if (s)
        store_rollback(s);
    store_close(s);
    if (fclose(f) || rc)
        return cli_fail("loadprep", "database or file error (does the "
                                    "prefix exist already?)");
    printf("%d candidates with sessions; tokens in %s\n", n, out);
    return 0;
}
