/*
 * transport.h — the libwebsockets side: the only code that touches
 * struct lws. Service thread only.
 */
#ifndef EXAMD_TRANSPORT_H
#define EXAMD_TRANSPORT_H

#include "runtime.h"

#include <stddef.h>

/* Max reassembled WebSocket message; larger closes with 1009. */
#define TRANSPORT_MSG_MAX (64 * 1024)
/* Max bytes of an HTTP request's headers (the upgrade's included). */
#define TRANSPORT_HEADER_MAX 4096
/* Max queued outgoing bytes per connection before it is cut off. */
#define TRANSPORT_OUT_MAX (4 * 1024 * 1024)
/* Max bytes of small frames (headers included) written in one send; a
 * stack buffer of the writeable callback. */
#define TRANSPORT_BATCH_MAX 4096

/*
 * Queue a text frame (WebSocket) or the response body (HTTP) for c and ask
 * for a writeable callback. Copies text. Returns 0, or EXAMD_ENOMEM /
 * EXAMD_EBUSY (queue over TRANSPORT_OUT_MAX: the connection is closed).
 */
int transport_send(struct runtime *rt, struct conn *c, const char *text,
                   size_t len);

/*
 * Send one text frame to each of the n connections cs (NULL entries and
 * closed ones skipped) sharing one reference-counted copy: a live
 * round's question reaches every player at once. 0 or EXAMD_ENOMEM.
 */
int transport_send_all(struct runtime *rt, struct conn *const *cs, int n,
                       const char *text, size_t len);

/* Close c after what is queued, with a WebSocket status and a log line. */
void transport_close(struct conn *c, int status, const char *why);

/* Ask c for a pong (the idle check): a ping goes out from the writeable
 * callback; c->ping_ms = now (epoch ms) until a frame comes back. */
void transport_ping(struct conn *c, int64_t now);

/* Serve until SIGINT/SIGTERM. Returns 0 or an error with msg filled. */
int transport_run(const struct config *cfg, char *msg, size_t msglen);

#endif
