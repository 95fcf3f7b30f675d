/* The server under hostile clients: thousands of connections that trickle
 * their headers, one address opening too many, headers that never finish.
 * Normal requests from another address must still be answered. */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "tests/http/server_fixture.h"

static char dbt[256];
static server S;
static reply R;

static int setup(void **st) {
    (void)st;
    demo_db(dbt, sizeof dbt, "hostile", "20");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    if (S.pid) server_stop(&S);
    S.pid = 0;
    test_db_remove(dbt);
    return 0;
}

static uint16_t port_of(const server *s) { return (uint16_t)atoi(strrchr(s->url, ':') + 1); }

/* A non-blocking connection from source address 127.0.0.x to the server. */
static int connect_from(int x, uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET, .sin_port = htons(port)};
    src.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)x);
    dst.sin_addr.s_addr = htonl(0x7f000001u);
    if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof src) != 0) fail_msg("bind 127.0.0.%d: %s", x, strerror(errno));
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0 && errno != EINPROGRESS)
        fail_msg("connect: %s", strerror(errno));
    return fd;
}

static void send_all(int fd, const char *s) {
    for (size_t n = strlen(s); n;) {
        ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
        if (k <= 0) return; /* a closed one is seen by still_open */
        s += k, n -= (size_t)k;
    }
}

/* Open and waiting: nothing to read, and not closed by the server. */
static bool still_open(int fd) {
    char c;
    ssize_t k = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
    return k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Raises this process's descriptor limit towards n; returns what it got. */
static int enough_files(int n) {
    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    if (r.rlim_cur < (rlim_t)n) {
        r.rlim_cur = r.rlim_max < (rlim_t)n ? r.rlim_max : (rlim_t)n;
        setrlimit(RLIMIT_NOFILE, &r);
        getrlimit(RLIMIT_NOFILE, &r);
    }
    return (int)r.rlim_cur;
}

/* 2,000 connections from 127.0.0.2-127.0.0.41 (50 each, under the
 * per-address cap), each sending a header line a second: every one is
 * accepted and kept, and every normal request from 127.0.0.1 answered. */
static void slow_connections_do_not_starve(void **st) {
    (void)st;
    enum { ADDRS = 40, MAX_EACH = 50 };
    /* 2,000 where the machine allows that many descriptors (the server
     * needs as many again); fewer, said so, where it does not */
    int files = enough_files(ADDRS * MAX_EACH + 256), EACH = MAX_EACH;
    if (files < ADDRS * MAX_EACH + 256) EACH = (files - 256) / ADDRS;
    if (EACH < MAX_EACH)
        printf("slow_connections_do_not_starve: only %d descriptors here: %d connections per address\n",
               files, EACH);
    const int N = ADDRS * EACH;
    server_start(&S, dbt, NULL);
    uint16_t port = port_of(&S);
    static int fd[ADDRS * MAX_EACH];
    for (int i = 0; i < N; i++) fd[i] = connect_from(2 + i / EACH, port);
    usleep(200000);
    for (int i = 0; i < N; i++) send_all(fd[i], "GET /api/v1/health HTTP/1.1\r\nHost: duban\r\n");
    int answered = 0, asked = 0;
    double worst = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = now_s();
        for (int i = 0; i < N; i++) {
            char line[48];
            snprintf(line, sizeof line, "X-Slow-%d: %d\r\n", round, i);
            send_all(fd[i], line);
        }
        for (int k = 0; k < 4; k++) {
            double a = now_s();
            call(&S, &R, "GET", "/api/v1/health", NULL, NULL);
            asked++;
            answered += R.status == 200;
            if (now_s() - a > worst) worst = now_s() - a;
        }
        double left = 1.0 - (now_s() - t0);
        if (left > 0) usleep((useconds_t)(left * 1e6));
    }
    int open = 0;
    for (int i = 0; i < N; i++) open += still_open(fd[i]);
    for (int i = 0; i < N; i++) close(fd[i]);
    printf("slow_connections_do_not_starve: %d of %d slow connections open, %d of %d normal requests"
           " answered, the slowest in %.3f s\n", open, N, answered, asked, worst);
    assert_int_equal(open, N);
    assert_int_equal(answered, asked);
    assert_int_equal(server_stop(&S), 0);
    S.pid = 0;
}

/* Headers that keep coming but never finish are cut off at the deadline
 * (--header-timeout), however lively; one address gets --max-per-ip
 * connections and no more; the rest of the world is served meanwhile. */
static void deadlines_and_caps(void **st) {
    (void)st;
    const char *const opts[] = {"--header-timeout", "2", "--max-per-ip", "8", NULL};
    server_start(&S, dbt, opts);
    uint16_t port = port_of(&S);
    int slow = connect_from(50, port);
    usleep(100000);
    send_all(slow, "GET /api/v1/health HTTP/1.1\r\nHost: duban\r\n");
    double t0 = now_s(), closed_at = 0;
    while (now_s() - t0 < 6 && !closed_at) {
        send_all(slow, "X-Trickle: 1\r\n");
        usleep(300000);
        if (!still_open(slow)) closed_at = now_s() - t0;
    }
    close(slow);
    printf("deadlines_and_caps: a trickling connection closed after %.1f s\n", closed_at);
    assert_true(closed_at >= 1.5 && closed_at <= 4.5);
    /* the cap: 12 from one address, 8 kept */
    int fd[12], open = 0;
    for (int i = 0; i < 12; i++) fd[i] = connect_from(60, port);
    usleep(300000);
    for (int i = 0; i < 12; i++) open += still_open(fd[i]);
    call(&S, &R, "GET", "/api/v1/health", NULL, NULL);
    assert_int_equal(R.status, 200);
    for (int i = 0; i < 12; i++) close(fd[i]);
    printf("deadlines_and_caps: %d of 12 connections from one address kept (cap 8)\n", open);
    assert_int_equal(open, 8);
    assert_int_equal(server_stop(&S), 0);
    S.pid = 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slow_connections_do_not_starve),
        cmocka_unit_test(deadlines_and_caps),
    };
    return run_http_suite(tests, setup, teardown);
}
