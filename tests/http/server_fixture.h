/* Starts the real `duban serve` ($DUBAN_BIN) on 127.0.0.1 and a free port,
 * and speaks HTTP to it through libcurl. */
#ifndef DUBAN_TEST_SERVER_FIXTURE_H
#define DUBAN_TEST_SERVER_FIXTURE_H

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cli/run_cli.h"
#include "tests/test_db.h"

typedef struct server {
    pid_t pid;
    char url[64];
} server;

/* Launches the server on target, on 127.0.0.1 and a free port unless extra
 * says --listen (no background sweep unless extra asks for one); fails the
 * test if it does not say where it listens within 10 seconds. */
static inline void server_start(server *s, const char *target, const char *const *extra) {
    int out[2];
    if (pipe(out)) abort();
    const char *argv[24] = {getenv("DUBAN_BIN"), "--db", target, "serve"};
    int n = 4;
    bool sweeps = false, web = false, listens = false;
    for (int i = 0; extra && extra[i] && n < 16; i++) {
        sweeps |= strcmp(extra[i], "--sweep-interval") == 0;
        web |= strcmp(extra[i], "--web") == 0;
        listens |= strcmp(extra[i], "--listen") == 0;
        argv[n++] = extra[i];
    }
    if (!listens) argv[n++] = "--listen", argv[n++] = "127.0.0.1:0";
    if (!web) argv[n++] = "--web", argv[n++] = "web";
    /* No background sweep unless asked: the tests pin their own clock. */
    if (!sweeps) argv[n++] = "--sweep-interval", argv[n++] = "0";
    argv[n] = NULL;
    s->pid = fork();
    if (s->pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    char buf[1024] = ""; /* read into fresh: a stale "}\n" ends the wait early */
    size_t len = 0;
    struct pollfd p = {.fd = out[0], .events = POLLIN};
    while (len < sizeof buf - 1 && !strstr(buf, "}\n") && poll(&p, 1, 10000) > 0) {
        ssize_t k = read(out[0], buf + len, sizeof buf - 1 - len);
        if (k <= 0) break;
        len += (size_t)k;
        buf[len] = '\0';
    }
    close(out[0]);
    json_t *o = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
    const char *url = json_string_value(json_object_get(o, "listening"));
    if (!url) fail_msg("server did not start: '%.200s'", buf);
    snprintf(s->url, sizeof s->url, "%s", url);
    json_decref(o);
}

/* SIGTERM, then waits (bounded) for a clean exit; returns the exit status. */
static inline int server_stop(server *s) {
    int st = 0;
    kill(s->pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(50000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &st, 0);
    return -1;
}

typedef struct reply {
    long status;
    char body[1 << 20];
    size_t len;
    char headers[8192];
    size_t hlen;
} reply;

static size_t on_body(char *p, size_t sz, size_t n, void *ctx) {
    reply *r = ctx;
    size_t k = sz * n;
    if (r->len + k < sizeof r->body) {
        memcpy(r->body + r->len, p, k);
        r->len += k;
        r->body[r->len] = '\0';
    }
    return k;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ctx) {
    reply *r = ctx;
    size_t k = sz * n;
    if (r->hlen + k < sizeof r->headers) {
        memcpy(r->headers + r->hlen, p, k);
        r->hlen += k;
        r->headers[r->hlen] = '\0';
    }
    return k;
}

/* One request with a body of len bytes (any bytes: a file, a spreadsheet);
 * headers is a NULL-terminated list of "Name: value". */
static inline void call_n(const server *s, reply *r, const char *method, const char *path,
                          const char *body, size_t len, const char *const *headers) {
    char url[2048];
    snprintf(url, sizeof url, "%s%s", s->url, path);
    memset(r, 0, offsetof(reply, body) + 1);
    r->len = r->hlen = 0;
    r->headers[0] = '\0';
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    for (int i = 0; headers && headers[i]; i++) h = curl_slist_append(h, headers[i]);
    if (body && !(headers && headers[0])) h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L); /* else curl waits for the body HEAD never has */
    else
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    if (curl_easy_perform(c) != CURLE_OK) r->status = -1;
    else curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* One request with a text body (or none). */
static inline void call(const server *s, reply *r, const char *method, const char *path,
                        const char *body, const char *const *headers) {
    call_n(s, r, method, path, body, body ? strlen(body) : 0, headers);
}

static inline json_t *reply_json(const reply *r) {
    json_error_t je;
    json_t *v = json_loads(r->body, 0, &je);
    if (!v) fail_msg("not JSON (%s), status %ld: %.200s", je.text, r->status, r->body);
    return v;
}

/* POST /public/points/CODE/evaluations as the /q/ page does: the point's
 * page fetched first for its token (core/eval.h), which goes into the body
 * (a JSON object; a body that is not one is sent as it is). */
static inline void post_evaluation(const server *s, reply *r, const char *code, const char *body,
                                   const char *const *headers) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/public/points/%s", code);
    call(s, r, "GET", path, NULL, NULL);
    json_t *p = r->status == 200 ? json_loads(r->body, 0, NULL) : NULL, *b = json_loads(body, 0, NULL);
    char *text = NULL;
    if (p && json_is_object(b)) {
        json_object_set(b, "token", json_object_get(p, "token"));
        text = json_dumps(b, JSON_COMPACT);
    }
    snprintf(path, sizeof path, "/api/v1/public/points/%s/evaluations", code);
    call(s, r, "POST", path, text ? text : body, headers);
    free(text);
    json_decref(p);
    json_decref(b);
}

/* GET prefix+query with headers must be refused with status, naming field. */
static inline void expect_refused(const server *s, reply *r, const char *prefix, const char *query,
                                  const char *const *headers, long status, const char *field) {
    char path[512], want_field[64];
    snprintf(path, sizeof path, "%s%s", prefix, query);
    call(s, r, "GET", path, NULL, headers);
    snprintf(want_field, sizeof want_field, "\"field\":\"%s\"", field);
    if (r->status != status || !strstr(r->body, want_field))
        fail_msg("%s: %ld %.200s (want %ld naming %s)", path, r->status, r->body, status, field);
}

/* A blocking connection to the server's port on 127.0.0.1, that gives up
 * reading after 10 s; -1 if it cannot connect. */
static inline int raw_connect(const server *s) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)atoi(strrchr(s->url, ':') + 1))};
    struct timeval tv = {.tv_sec = 10};
    sa.sin_addr.s_addr = htonl(0x7f000001u);
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads one answer from fd into r (its head into r->headers, the body
 * after it): up to its Content-Length or the connection's end, within the
 * 10 s of raw_connect. Returns its status, -1 if none came. */
static inline long raw_answer(int fd, reply *r) {
    char buf[16384];
    size_t have = 0, need = 0;
    const char *end = NULL;
    memset(r, 0, offsetof(reply, body) + 1);
    r->len = r->hlen = 0;
    r->headers[0] = '\0';
    r->status = -1;
    for (;;) {
        ssize_t k = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (k <= 0) break;
        have += (size_t)k;
        buf[have] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            const char *cl = strcasestr(buf, "\r\nContent-Length:");
            need = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
        }
        if ((end && have >= need) || have == sizeof buf - 1) break;
    }
    if (!end || sscanf(buf, "HTTP/1.%*d %ld", &r->status) != 1) return r->status = -1;
    r->hlen = (size_t)(end + 4 - buf) < sizeof r->headers ? (size_t)(end + 4 - buf) : sizeof r->headers - 1;
    memcpy(r->headers, buf, r->hlen);
    r->headers[r->hlen] = '\0';
    r->len = have - (size_t)(end + 4 - buf);
    memcpy(r->body, end + 4, r->len);
    r->body[r->len] = '\0';
    return r->status;
}

/* Sends head (a request line and its headers, without the blank line
 * that ends them), then the first `part` bytes of a body whose
 * Content-Length is `total`, and waits for the answer without sending
 * more: the status the server gave on what it had (-1: none within
 * wait_s seconds, as when it waits for the rest). */
static inline long answer_before_body(const server *s, const char *head, size_t total, size_t part,
                                      int wait_s, reply *r) {
    int fd = raw_connect(s);
    if (fd < 0) fail_msg("cannot connect to %s", s->url);
    struct timeval tv = {.tv_sec = wait_s};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char h[4096];
    int n = snprintf(h, sizeof h, "%s\r\nHost: duban\r\nContent-Length: %zu\r\n\r\n", head, total);
    char *body = calloc(1, part + 1);
    if (send(fd, h, (size_t)n, MSG_NOSIGNAL) != n ||
        (part && send(fd, body, part, MSG_NOSIGNAL) != (ssize_t)part))
        fail_msg("could not send the request's head and %zu bytes", part);
    free(body);
    long status = raw_answer(fd, r);
    close(fd);
    return status;
}

/* A line of /proc/PID/status ("VmRSS", "VmHWM") in kB, -1 if not there. */
static inline long proc_status_kb(pid_t pid, const char *key) {
    char path[64], line[256];
    long kb = -1;
    size_t n = strlen(key);
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':') kb = strtol(line + n + 1, NULL, 10);
    if (f) fclose(f);
    return kb;
}

/* A string or an integer member of a reply's object (NULL or 0 if absent). */
static inline const char *S_(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static inline json_int_t I_(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* Fails the test unless the reply has this status, saying what was asked. */
static inline void reply_expect(const reply *r, long status, const char *what) {
    if (r->status != status) fail_msg("%s: %ld (want %ld) %.300s", what, r->status, status, r->body);
}

/* The error code of a {"error":{...}} body. */
static inline const char *error_code(const reply *r, json_t **keep) {
    *keep = reply_json(r);
    return json_string_value(json_object_get(json_object_get(*keep, "error"), "code"));
}

/* A signed-in user: the cookie and CSRF headers to send. */
typedef struct session {
    char cookie[256];
    char csrf[128];
    const char *h[4]; /* cookie, csrf, content type, NULL */
} session;

static inline int login(const server *s, session *out, const char *user, const char *password) {
    reply *r = calloc(1, sizeof *r);
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    call(s, r, "POST", "/api/v1/auth/login", body, NULL);
    long status = r->status;
    if (status == 200) {
        const char *c = strstr(r->headers, "Set-Cookie: duban_session=");
        json_t *v = json_loads(r->body, 0, NULL);
        if (!c || !v) fail_msg("login reply lacks cookie or body");
        snprintf(out->cookie, sizeof out->cookie, "Cookie: %.*s", (int)strcspn(c + 12, ";\r\n"), c + 12);
        snprintf(out->csrf, sizeof out->csrf, "X-CSRF-Token: %s",
                 json_string_value(json_object_get(v, "csrf_token")));
        json_decref(v);
        out->h[0] = out->cookie;
        out->h[1] = out->csrf;
        out->h[2] = "Content-Type: application/json";
        out->h[3] = NULL;
    }
    free(r);
    return (int)status;
}

/* A demo database of one month (`per_month` cases) in a new test database
 * named after `name` (its target written to path), and the server on it. */
/* A demo database of `months` months ending on 2026-03-31. */
static inline void demo_db_months(char *path, size_t n, const char *name, const char *months,
                                  const char *per_month) {
    test_db_new(path, n, name);
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", path, "demo", "--months", months, "--per-month", per_month,
                          "--end", "2026-03-31", NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("demo: %s", run->err);
    free(run);
}

static inline void demo_db(char *path, size_t n, const char *name, const char *per_month) {
    demo_db_months(path, n, name, "1", per_month);
}

static inline void demo_server(server *s, char *path, size_t n, const char *name,
                               const char *per_month) {
    demo_db(path, n, name, per_month);
    server_start(s, path, NULL);
}

/* "&at=" this moment (UTC), for a 通报 of a past month as of now rather
 * than as of its cut-off. Returns a static buffer. */
static inline const char *at_now(void) {
    static char q[40];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(q, sizeof q, "&at=%Y-%m-%dT%H:%M:%SZ", &tm);
    return q;
}

/* Signs in a demo account (its password is mz13710# and the username's first three letters). */
static inline void demo_login(const server *s, session *out, const char *username) {
    char pw[80];
    snprintf(pw, sizeof pw, "mz13710#%.3s", username);
    if (login(s, out, username, pw) != 200) fail_msg("cannot sign in as %s", username);
}

/* Every number in body is written short (0.9, not 0.90000000000000002):
 * no run of more than 12 digits after a decimal point. */
static inline void assert_short_reals(const char *body) {
    for (const char *p = strchr(body, '.'); p; p = strchr(p + 1, '.')) {
        size_t n = strspn(p + 1, "0123456789");
        if (n > 12) fail_msg("a long number in the answer: '%.40s'", p - 8 > body ? p - 8 : body);
    }
}

/* A new API token (`duban token create NAME ROLE`) as the header
 * "Authorization: Bearer TOKEN" in out. */
static inline void bearer_header(const char *target, const char *name, const char *role, char *out,
                                 size_t n) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", target, "token", "create", name, role, NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("token create: %s", run->err);
    json_t *v = json_loads(run->out, 0, NULL);
    snprintf(out, n, "Authorization: Bearer %s", json_string_value(json_object_get(v, "token")));
    json_decref(v);
    free(run);
}

/* Stops the server (it must exit cleanly) and removes the database. */
static inline void demo_server_stop(server *s, const char *path) {
    int rc = server_stop(s);
    test_db_remove(path);
    if (rc != 0) fail_msg("server exited with %d", rc);
}

/* A suite's main: its cmocka group with libcurl set up around it (every
 * call needs it): return run_http_suite(tests, setup, teardown); */
static inline int run_http_suite_end(int rc) {
    curl_global_cleanup();
    return rc;
}
#define run_http_suite(tests, setup, teardown) \
    (curl_global_init(CURL_GLOBAL_DEFAULT), run_http_suite_end(cmocka_run_group_tests(tests, setup, teardown)))

#endif
