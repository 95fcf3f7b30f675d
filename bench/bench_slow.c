/* Normal requests while 2,000 slow clients hold connections: `duban serve`
 * is started, then 300 GETs from 127.0.0.1 are timed unloaded, then again
 * while 2,000 connections from 127.0.0.2-127.0.0.41 (50 each, under the
 * per-address cap) each send a header line every 2 s and never finish. The
 * figure is the loaded p99 as a ratio to the unloaded one. DB is a
 * PostgreSQL URL to serve instead of DIR/slow.db (make reliability measures
 * both drivers).
 * Usage: bench_slow DUBAN DIR [DB] */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"

#define SLOW 2000
#define ASKS 300

static int port;

static void die(const char *what) {
    fprintf(stderr, "bench_slow: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int connect_from(int x, bool blocking) {
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)x);
    dst.sin_addr.s_addr = htonl(0x7f000001u);
    dst.sin_port = htons((uint16_t)port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof src)) die("bind");
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst)) {
        close(fd);
        return -1;
    }
    if (!blocking) fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* One GET, read to the end (the request asks the server to close). */
static double ask(void) {
    static const char req[] = "GET /api/v1/health HTTP/1.1\r\nHost: duban\r\nConnection: close\r\n\r\n";
    double t0 = now_s();
    int fd = connect_from(1, true);
    char buf[4096];
    if (fd < 0 || write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) die("ask");
    while (read(fd, buf, sizeof buf) > 0) {}
    close(fd);
    return now_s() - t0;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double p99_of_asks(int *slow, int nslow) {
    static double t[ASKS];
    double last_trickle = now_s();
    for (int i = 0; i < ASKS; i++) {
        t[i] = ask();
        usleep(10 * 1000); /* spread over 3 s, so that the slow clients trickle */
        if (nslow && now_s() - last_trickle > 2.0) { /* each slow client: one more line */
            for (int k = 0; k < nslow; k++)
                if (slow[k] >= 0 && write(slow[k], "X-Trickle: 1\r\n", 14) < 0 && errno != EAGAIN) {
                    close(slow[k]);
                    slow[k] = -1;
                }
            last_trickle = now_s();
        }
    }
    qsort(t, ASKS, sizeof *t, cmp);
    return t[ASKS * 99 / 100];
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) return 2;
    const char *driver = argc == 4 ? "PostgreSQL" : "SQLite";
    char what[96];
    snprintf(what, sizeof what, "GET while 2,000 slow clients hold connections (%s)", driver);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    if (r.rlim_cur < SLOW + 100) { /* said in the table, not a failed bench run */
        char v[96];
        snprintf(v, sizeof v, "not measured: %lu descriptors here", (unsigned long)r.rlim_cur);
        row(what, v, "", 0, "report: the ratio to the unloaded run");
        return 0;
    }
    char db[600], listen_at[64];
    if (argc == 4)
        snprintf(db, sizeof db, "%s", argv[3]);
    else
        snprintf(db, sizeof db, "%s/slow.db", argv[2]);
    port = 19000 + getpid() % 1000;
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%d", port);
    if (argc == 3) unlink(db);
    pid_t init = fork();
    if (init == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execl(argv[1], argv[1], "--db", db, "init", (char *)NULL);
        _exit(127);
    }
    waitpid(init, NULL, 0);
    pid_t server = fork();
    if (server == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(argv[1], argv[1], "--db", db, "serve", "--listen", listen_at, (char *)NULL);
        _exit(127);
    }
    int up = -1;
    for (int i = 0; i < 100 && up < 0; i++) {
        usleep(100 * 1000);
        up = connect_from(1, true);
    }
    if (up < 0) die("the server did not start");
    close(up);
    double unloaded = p99_of_asks(NULL, 0);
    static int slow[SLOW];
    int open_n = 0;
    for (int k = 0; k < SLOW; k++) {
        slow[k] = connect_from(2 + k / 50, false);
        if (slow[k] >= 0 && write(slow[k], "GET /api/v1/health HTTP/1.1\r\nHost: duban\r\n", 42) == 42)
            open_n++;
    }
    double loaded = p99_of_asks(slow, SLOW);
    int still = 0;
    for (int k = 0; k < SLOW; k++) {
        char c;
        if (slow[k] < 0) continue;
        ssize_t n = read(slow[k], &c, 1);
        still += n < 0 && errno == EAGAIN; /* open, nothing said to it */
        close(slow[k]);
    }
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    if (argc == 3) unlink(db);
    char v[200], b[120];
    snprintf(v, sizeof v, "p99 %.2f ms (%d requests; %d slow connections opened, %d still held)",
             loaded * 1e3, ASKS, open_n, still);
    snprintf(b, sizeof b, "unloaded p99 %.2f ms", unloaded * 1e3);
    row(what, v, b, loaded / unloaded, "report: the ratio to the unloaded run");
    return 0;
}
