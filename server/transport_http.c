/*
 * transport_http.c — the "http" protocol of transport.c: static files
 * (lws's mount) and /api requests, each a struct conn of kind CONN_HTTP
 * handed to api_request with its body gathered here (capped by
 * api_body_max), answered from the connection's queue in one write.
 * The wait-cancelled callback (other threads' wake-ups) lands here too.
 * Service thread.
 */
#include "transport_int.h"
#include "api.h"
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>

/* Copy the decoded URL arguments into c->query, each NUL-ended, an empty
 * one last; those that do not fit are dropped. */
static void transport_http_args(struct lws *wsi, struct conn *c)
{
    size_t used = 0;
    for (int i = 0; i < 32; i++) {
        int n = lws_hdr_copy_fragment(wsi, c->query + used,
                                      (int)(sizeof c->query - used - 1),
                                      WSI_TOKEN_HTTP_URI_ARGS, i);
        if (n <= 0)
            break;
        used += (size_t)n + 1;
    }
    c->query[used] = 0;
}

static int transport_http_start(struct lws *wsi, struct http_pss *hp)
{
    size_t len = sizeof hp->token - 1;
    runtime_conn_free(&T.rt, hp->c);
    hp->c = runtime_conn_new(&T.rt, CONN_HTTP);
    if (!hp->c)
        return -1;
    hp->c->wsi = wsi;
    hp->headers_sent = false;
    hp->post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
    if (lws_hdr_copy(wsi, hp->c->path, sizeof hp->c->path,
                     hp->post ? WSI_TOKEN_POST_URI : WSI_TOKEN_GET_URI) < 0)
        hp->c->path[0] = 0;
    transport_http_args(wsi, hp->c);
    hp->c->same_origin = transport_origin_ok(wsi);
    transport_peer(wsi, hp->c->ip, sizeof hp->c->ip);
    if (lws_http_cookie_get(wsi, API_COOKIE, hp->token, &len))
        len = 0;
    hp->token[len] = 0;
    if (!hp->post)
        api_request(&T.rt, hp->c, false, hp->token);
    return 0;
}

static int transport_http_body(struct http_pss *hp, const char *in, size_t len)
{
    struct conn *c = hp->c;
    if (!c || c->body_too_large)
        return 0;
    if (c->body_len + len > api_body_max(c->path)) {
        c->body_too_large = true;
        return 0;
    }
    if (!len)
        return 0;
    char *nb = realloc(c->body, c->body_len + len + 1);
    if (!nb)
        return -1;
    c->body = nb;
    memcpy(c->body + c->body_len, in, len);
    c->body_len += len;
    c->body[c->body_len] = 0;
    return 0;
}

static int transport_http_headers(struct lws *wsi, struct http_pss *hp)
{
    unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start,
                                       *end = buf + sizeof buf - 1;
    struct conn *c = hp->c;
    if (lws_add_http_common_headers(wsi, (unsigned int)c->status,
                                    c->ctype ? c->ctype : "application/json",
                                    c->out_bytes, &p, end) ||
        lws_add_http_header_by_name(
            wsi, (const unsigned char *)"cache-control:",
            (const unsigned char *)"no-store", 8, &p, end) ||
        (c->cookie[0] &&
         lws_add_http_header_by_name(wsi, (const unsigned char *)"set-cookie:",
                                     (const unsigned char *)c->cookie,
                                     (int)strlen(c->cookie), &p, end)) ||
        (c->disposition[0] &&
         lws_add_http_header_by_name(
             wsi, (const unsigned char *)"content-disposition:",
             (const unsigned char *)c->disposition, (int)strlen(c->disposition),
             &p, end)) ||
        lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    hp->headers_sent = true;
    lws_callback_on_writable(wsi);
    return 0;
}

static int transport_http_writeable(struct lws *wsi, struct http_pss *hp)
{
    struct conn *c = hp->c;
    if (!c || !c->status)
        return 0; /* a worker is still on it */
    if (!hp->headers_sent)
        return transport_http_headers(wsi, hp);
    struct outmsg *m = transport_pop(c);
    int n = lws_write(wsi, m ? m->buf + OUT_PRE : (unsigned char *)"",
                      m ? m->len : 0, LWS_WRITE_HTTP_FINAL);
    bool ok = !m || n >= (int)m->len;
    free(m);
    runtime_conn_free(&T.rt, hp->c);
    hp->c = NULL;
    if (!ok)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int transport_http_cb(struct lws *wsi, enum lws_callback_reasons reason,
                      void *user, void *in, size_t len)
{
    struct http_pss *hp = user;
    switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (T.stop && T.rt.cfg->evlib_uv && !T.destroying) {
            transport_stop_uv();
            return 0;
        }
        if (T.rt.writer)
            dispatch_drain(&T.rt);
        if (T.broadcast) {
            T.broadcast = 0;
            transport_broadcast();
        }
        return 0;
    case LWS_CALLBACK_HTTP:
        return transport_http_start(wsi, hp);
    case LWS_CALLBACK_HTTP_BODY:
        return transport_http_body(hp, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (hp->c)
            api_request(&T.rt, hp->c, true, hp->token);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return transport_http_writeable(wsi, hp);
    case LWS_CALLBACK_CLOSED_HTTP:
        if (hp) {
            runtime_conn_free(&T.rt, hp->c);
            hp->c = NULL;
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}
