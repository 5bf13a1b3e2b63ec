/*
 * err.h — examd's one error enum.
 *
 * Every function named as a command returns 0 or one of these negative
 * values. Each value has a stable wire code (sent to browsers in
 * {type:"error", code}) and a bilingual text for people. Core modules never
 * log: they return one of these and, where useful, fill a caller-supplied
 * message buffer with the detail (the field, the line, the question).
 */
#ifndef EXAMD_ERR_H
#define EXAMD_ERR_H

enum examd_err {
    EXAMD_OK = 0,
    EXAMD_ENOMEM = -1,      /* out of memory */
    EXAMD_EBADJSON = -2,    /* frame is not a JSON object */
    EXAMD_EBADMSG = -3,     /* missing or wrong-typed field */
    EXAMD_EUNKNOWN = -4,    /* unknown message type */
    EXAMD_ENOTFOUND = -5,   /* exam or attempt does not exist */
    EXAMD_EFORBIDDEN = -6,  /* belongs to someone else / wrong role */
    EXAMD_ECLOSEDEXAM = -7, /* exam not open for new attempts */
    EXAMD_ENOATTEMPTS = -8, /* every allowed attempt used */
    EXAMD_ENOTONPAPER = -9, /* question not on this paper */
    EXAMD_EBADOPTION = -10, /* option index out of range / duplicate */
    EXAMD_EBADSEQ = -11,    /* seq not a positive integer */
    EXAMD_ECLOSED = -12,    /* attempt already submitted */
    EXAMD_ETOOLATE = -13,   /* after deadline + grace */
    EXAMD_EBUSY = -14,      /* write queue full */
    EXAMD_EINTERNAL = -15,  /* storage or other internal failure */
    EXAMD_ETOOLARGE = -16,  /* message over the size cap */
    EXAMD_EBADCRED = -17,   /* login refused */
    EXAMD_ENOAUTH = -18,    /* no live session */
    EXAMD_EINVAL = -19,     /* bad argument / bad file (CLI, import) */
    EXAMD_EIO = -20,        /* file or database I/O */
    EXAMD_ERUNNING = -21,   /* the attempt is still running */
    EXAMD_EEXISTS = -22,    /* a bank (or other name) already exists */
    EXAMD_EBADIMPORT = -23, /* an imported file has errors */
    EXAMD_ERATE = -24,      /* too many messages on this connection */
    EXAMD_ENETWORK = -25,   /* the exam is not open from this network */
    /* live rounds (docs/live-rounds.md) */
    EXAMD_EELIMINATED = -26, /* the player is out of an elimination round */
    EXAMD_EANSWERED = -27,   /* one answer per question: already given */
    EXAMD_ENOQUESTION = -28, /* no question of the live round is open */
    EXAMD_ERR_COUNT_ = 29
};

/* Stable wire code for err ("bad_json"); never NULL. */
const char *err_code(int err);

/* Human text "vietnamese / english" for err; never NULL. */
const char *err_text(int err);

#endif
