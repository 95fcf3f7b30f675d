/* The whole request path. Each input is one raw HTTP request, sent over a
 * socket to a real duban server running in this process on a demo database:
 * libmicrohttpd parses the request line, headers, query string and body;
 * then the router and the handler — JSON request bodies, Open311 forms and
 * queries, multipart uploads, cursors, dates, every field check. "@DISP@"
 * in an input becomes a dispatcher's API token and "@OP@" an operator's, so
 * the fuzzer reaches past sign-in. */
#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "http/http.h"
#include "store/store.h"

static http_server *srv;
static uint16_t port;
static char disp[AUTH_SECRET_HEX], op[AUTH_SECRET_HEX];

static char dir[40];

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)flag, (void)f;
    return remove(p);
}

/* libFuzzer ends by exit(): the database and its uploads go with it (the
 * server's threads may hold them open; unlinked, they go when it does). */
static void remove_dir(void) {
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    static char path[64];
    err e = {0};
    /* in memory where there is a tmpfs: the server's fsyncs would otherwise
     * be most of an input's time (1,400 inputs a second against 300) */
    if (!mkdtemp(strcpy(dir, "/dev/shm/duban-fuzz-http-XXXXXX")) &&
        !mkdtemp(strcpy(dir, "/tmp/duban-fuzz-http-XXXXXX")))
        abort();
    atexit(remove_dir);
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    /* a small demo: units, categories, cases in every state */
    cli c = {.db_path = path, .actor = "fuzz", .now = time(NULL)};
    snprintf(c.db_label, sizeof c.db_label, "%s", path);
    char *demo[] = {"--months", "1", "--per-month", "20", NULL};
    FILE *quiet = freopen("/dev/null", "w", stdout); /* the demo's summary */
    (void)quiet;
    int64_t id;
    if (cmd_demo(&c, 4, demo, &e) ||
        auth_token_create(c.st, "fuzz-disp", ROLE_DISPATCHER, NULL, NULL, c.now, disp, &id, &e) ||
        auth_token_create(c.st, "fuzz-op", ROLE_OPERATOR, NULL, NULL, c.now, op, &id, &e)) {
        fprintf(stderr, "fuzz_http: %s\n", e.msg);
        abort();
    }
    store_close(c.st);
    http_config cfg = {.db_path = path, .listen = "127.0.0.1:0", .threads = 2, .sweep_s = -1, .timeout_s = 5,
                       .header_timeout_s = 5};
    if (http_start(&cfg, &srv, &e)) {
        fprintf(stderr, "fuzz_http: %s\n", e.msg);
        abort();
    }
    port = http_port(srv);
    return 0;
}

/* The input with its placeholders replaced; *n its length. */
static char *expand(const uint8_t *data, size_t size, size_t *n) {
    char *out = malloc(size * (AUTH_SECRET_HEX / 4 + 1) + 1);
    size_t k = 0;
    for (size_t i = 0; i < size;) {
        if (size - i >= 6 && !memcmp(data + i, "@DISP@", 6)) {
            k += (size_t)sprintf(out + k, "%s", disp);
            i += 6;
        } else if (size - i >= 4 && !memcmp(data + i, "@OP@", 4)) {
            k += (size_t)sprintf(out + k, "%s", op);
            i += 4;
        } else {
            out[k++] = (char)data[i++];
        }
    }
    *n = k;
    return out;
}

/* Reads the answer: its headers, then as much body as Content-Length says
 * (a kept-alive connection is not closed by the server, so reading to the
 * end would wait for the timeout), or to the end when it does not say. */
static void read_answer(int fd) {
    char buf[65536];
    size_t len = 0;
    long want = -1;
    for (;;) {
        ssize_t r = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (r <= 0) return;
        len += (size_t)r;
        buf[len] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end && want < 0) {
            char *cl = strcasestr(buf, "\r\nContent-Length:");
            want = cl && cl < end ? strtol(cl + 17, NULL, 10) : -2;
        }
        if (end && want >= 0 && len >= (size_t)(end + 4 - buf) + (size_t)want) return;
        if (len >= sizeof buf - 1) len = 0; /* a long body: keep reading, not keeping */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t n;
    char *req = expand(data, size, &n);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {0, 200000}; /* an answer that does not come: the next input */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        for (size_t off = 0; off < n;) {
            ssize_t w = send(fd, req + off, n - off, MSG_NOSIGNAL);
            if (w <= 0) break;
            off += (size_t)w;
        }
        shutdown(fd, SHUT_WR); /* the request ends here */
        read_answer(fd);
    }
    close(fd);
    free(req);
    return 0;
}
