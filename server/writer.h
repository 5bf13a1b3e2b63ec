/*
 * writer.h — the one thread that writes the answer path, in groups.
 *
 * The service thread hands jobs over (writer_submit); the writer takes
 * everything queued while its last commit ran, writes it in one
 * transaction, commits, moves the jobs to the done list and wakes the
 * service thread (the wake callback: lws_cancel_service), which sends the
 * acks. So an ack is only ever sent after its row has committed, and one
 * fsync covers thousands of answers.
 *
 * Jobs are processed in submission order, so a job queued after another is
 * committed in the same or a later transaction: an "ack only" barrier
 * placed behind a pending answer is done only once the answer is durable.
 *
 * If a transaction fails the writer stops writing for good (every later
 * job fails with EXAMD_EIO) rather than acknowledge anything out of order;
 * the operator is told in the log and restarts.
 */
#ifndef EXAMD_WRITER_H
#define EXAMD_WRITER_H

#include "exam.h"
#include "grade.h"
#include "protocol.h"
#include "store.h"

enum wjob_kind {
    WJOB_ANSWER,      /* insert one answer row */
    WJOB_ATTEMPT_NEW, /* insert a new attempt */
    WJOB_CLOSE,       /* grade the attempt from its stored answers, close */
    WJOB_BARRIER,     /* write nothing; done after everything before it */
    WJOB_STAFF        /* an HTTP change (login, logout, staff): run(), in a
                         savepoint of its own */
};

struct wjob {
    struct wjob *next;     /* queue link, owned by the writer
                              between submit and take_done */
    int kind;              /* enum wjob_kind */
    int rc;                /* set by the writer: 0 or error */
    int reply;             /* what dispatch sends when done */
    uint64_t conn;         /* connection ref, 0 = nobody */
    char id[PROTO_ID_MAX]; /* request id as JSON */
    int64_t attempt_id;
    /* WJOB_ANSWER */
    int64_t seq, qid, server_ms;
    uint8_t choice; /* bank order */
    bool flag;
    /* WJOB_ATTEMPT_NEW */
    struct store_attempt att;
    /* WJOB_CLOSE: in: e, paper, submitted_ms, reason; out: g, answers */
    const struct exam *e;           /* borrowed; exams live forever */
    const struct paper_item *paper; /* borrowed from the attempt, which
                                       lives until this job is done */
    int64_t submitted_ms;
    char reason[16];
    struct grade g;
    uint8_t *answers; /* owned, n_paper bank-order choices */
    /* login and logout (WJOB_STAFF): the token's hash; login also the
     * user and expiry (server_ms is the creation time) */
    uint8_t session[32];
    int64_t user_id, expires_ms;
    char *body;   /* owned: the HTTP body sent once committed */
    char *cookie; /* owned: the Set-Cookie value, wiped when freed */
    /* WJOB_STAFF: run on the writer thread inside a savepoint, which is
     * rolled back when run returns an error or sets undo (a dry run); the
     * error is the job's rc and does not fail the batch. run fills body
     * and status for the HTTP reply. arg is freed with arg_free. */
    int (*run)(struct store *st, struct wjob *j);
    char ip[48]; /* the client's address, for the audit log */
    void *arg;
    void (*arg_free)(void *arg);
    bool undo;
    int status;
    /* api_staff_submit: a staff change; once committed, what is kept in
     * memory from the store (results pages, live unit lists) is dropped */
    bool staff_change;
};

struct writer;

/* A new zeroed job (free with wjob_free); NULL on malloc failure. */
struct wjob *wjob_new(int kind);
void wjob_free(struct wjob *j);

/*
 * Open the database a second time and start the thread. wake(arg) is
 * called from the writer thread after every batch. Returns 0 or an error
 * with msg filled. Service thread (at start).
 */
int writer_start(struct writer **out, const char *db_path, bool sync_full,
                 int queue_max, void (*wake)(void *arg), void *arg, char *msg,
                 size_t msglen);

/*
 * Queue a job; the writer owns it until it comes back from
 * writer_take_done. EXAMD_EBUSY when the queue is full and the job is an
 * answer (the caller keeps it); other kinds are always accepted.
 * Service thread.
 */
int writer_submit(struct writer *w, struct wjob *j);

/* Take every finished job, oldest first (NULL if none). Service thread. */
struct wjob *writer_take_done(struct writer *w);

struct writer_stats {
    uint64_t batches; /* committed transactions */
    uint64_t jobs;    /* jobs in them */
    int queued;       /* waiting now */
    bool failed;      /* a transaction failed */
};

void writer_stats_get(struct writer *w, struct writer_stats *st);

/* Finish every queued job, stop the thread and close. Accepts NULL.
 * Finished jobs not taken are freed. Service thread (at shutdown). */
void writer_stop(struct writer *w);

#endif
