/* imap.c — int64 -> pointer hash map (see imap.h). */
#include "imap.h"
#include "err.h"

#include <stdlib.h>

struct imap_node {
    struct imap_node *next;
    int64_t key;
    void *val;
};

static size_t imap_hash(int64_t key, size_t nb)
{
    uint64_t x = (uint64_t)key * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x >> 32) & (nb - 1);
}

void imap_init(struct imap *m)
{
    m->b = NULL;
    m->nb = m->n = 0;
}

void imap_fini(struct imap *m)
{
    for (size_t i = 0; i < m->nb; i++)
        for (struct imap_node *x = m->b[i], *nx; x; x = nx) {
            nx = x->next;
            free(x);
        }
    free(m->b);
    imap_init(m);
}

void *imap_get(const struct imap *m, int64_t key)
{
    if (!m->nb)
        return NULL;
    for (struct imap_node *x = m->b[imap_hash(key, m->nb)]; x; x = x->next)
        if (x->key == key)
            return x->val;
    return NULL;
}

static int imap_grow(struct imap *m)
{
    size_t nb = m->nb ? m->nb * 2 : 64;
    struct imap_node **b = calloc(nb, sizeof *b);
    if (!b)
        return EXAMD_ENOMEM;
    for (size_t i = 0; i < m->nb; i++)
        for (struct imap_node *x = m->b[i], *nx; x; x = nx) {
            nx = x->next;
            size_t h = imap_hash(x->key, nb);
            x->next = b[h];
            b[h] = x;
        }
    free(m->b);
    m->b = b;
    m->nb = nb;
    return 0;
}

int imap_put(struct imap *m, int64_t key, void *val)
{
    if (m->nb) {
        for (struct imap_node *x = m->b[imap_hash(key, m->nb)]; x; x = x->next)
            if (x->key == key) {
                x->val = val;
                return 0;
            }
    }
    if (m->n >= m->nb && imap_grow(m))
        return EXAMD_ENOMEM;
    struct imap_node *x = malloc(sizeof *x);
    if (!x)
        return EXAMD_ENOMEM;
    size_t h = imap_hash(key, m->nb);
    x->key = key;
    x->val = val;
    x->next = m->b[h];
    m->b[h] = x;
    m->n++;
    return 0;
}

void *imap_del(struct imap *m, int64_t key)
{
    if (!m->nb)
        return NULL;
    for (struct imap_node **p = &m->b[imap_hash(key, m->nb)]; *p;
         p = &(*p)->next)
        if ((*p)->key == key) {
            struct imap_node *x = *p;
            void *val = x->val;
            *p = x->next;
            free(x);
            m->n--;
            return val;
        }
    return NULL;
}

void imap_each(const struct imap *m, void (*fn)(void *arg, void *val),
               void *arg)
{
    for (size_t i = 0; i < m->nb; i++)
        for (struct imap_node *x = m->b[i]; x; x = x->next)
            fn(arg, x->val);
}
