/*
 * imap.h — a hash map from int64 keys to pointers (chained, power-of-two
 * buckets, grows at load 1). Used by the service thread for attempts by
 * id, running attempts by (user, exam), and connections by user. Not
 * thread-safe. Values are borrowed: the map never frees them.
 */
#ifndef EXAMD_IMAP_H
#define EXAMD_IMAP_H

#include <stddef.h>
#include <stdint.h>

struct imap_node;

struct imap {
    struct imap_node **b; /* owned buckets */
    size_t nb, n;
};

void imap_init(struct imap *m);
void imap_fini(struct imap *m);

/* Value for key or NULL. */
void *imap_get(const struct imap *m, int64_t key);

/* Set key to val (replacing). 0 or EXAMD_ENOMEM. */
int imap_put(struct imap *m, int64_t key, void *val);

/* Remove key; returns the old value or NULL. */
void *imap_del(struct imap *m, int64_t key);

/* Call fn for every entry (fn must not change the map). */
void imap_each(const struct imap *m, void (*fn)(void *arg, void *val),
               void *arg);

#endif
