/* http: the duban HTTP server (libmicrohttpd). A thread pool serves the
 * route table in router.c; the workers share a bounded pool of store
 * connections; case writes go through writer.h; the background work (the
 * sweep, one node at a time on a shared database, the webhook, the search
 * index, exports) runs as jobs (jobs/jobs.h) beside it. */
#ifndef DUBAN_HTTP_H
#define DUBAN_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct http_config {
    const char *db_path;
    const char *listen;   /* "127.0.0.1:8080" or "[::1]:8080" ("[::]": IPv6 and IPv4
                           * alike); port 0 picks a free one */
    const char *web_root; /* static files; NULL serves none */
    const char *npm_root; /* node_modules, for the web UI's libraries; NULL serves none */
    unsigned threads;     /* worker threads; 0 = 2 */
    size_t max_body;      /* bytes; 0 = 1 MiB */
    size_t max_body_memory; /* bytes of request bodies held in memory by all requests
                             * together (an upload's is staged on disk); past it 503
                             * busy. 0 = 64 MiB */
    size_t max_upload;    /* an attachment's body; 0 = the configuration's
                           * attachment_max_bytes when the server starts, and room
                           * for a multipart form around it */
    size_t max_header;    /* bytes of all request headers; 0 = 16 KiB */
    unsigned max_inflight; /* requests being handled at once before 503; 0 = 256 */
    unsigned timeout_s;   /* idle connection timeout; 0 = 30 */
    unsigned header_timeout_s; /* all of a request's headers within this; 0 = 15 */
    unsigned max_connections;  /* open connections in all; 0 = 8192 */
    unsigned max_per_ip;       /* open connections from one address; 0 = 64 */
    unsigned pool;        /* database connections for the workers; 0 = one per thread */
    int group_commit;     /* case writes through one committer: -1 where the database
                           * takes one writer at a time (SQLite), 0 never, 1 always */
    int sweep_s;          /* background sweep interval; 0 = 60, -1 = none */
    /* Peers whose X-Forwarded-For names the client (a load balancer's
     * IPv4 addresses); from anyone else the header is ignored. */
    const char *const *trusted_proxies;
    int n_trusted_proxies;
} http_config;

typedef struct http_server http_server;

int http_start(const http_config *cfg, http_server **out, err *e);
uint16_t http_port(const http_server *s);
/* http://HOST:PORT as bound, an IPv6 host bracketed (http://[::1]:8080). */
const char *http_url(const http_server *s);
/* Stops accepting, lets requests in flight finish, closes the store connections. */
void http_stop(http_server *s);

#endif
