/* Where the server listens: IPv4:PORT and [IPv6]:PORT, parsed as `duban
 * serve --listen` takes them (a bad form's error names the field), and a
 * server started on IPv6 loopback saying so, bracketed. No traffic goes to
 * it: the tests speak only to 127.0.0.1. */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "http/http_int.h"
#include "tests/cli/run_cli.h"
#include "tests/http/server_fixture.h"

static char dbt[256];

static int setup(void **st) {
    (void)st;
    test_db_new(dbt, sizeof dbt, "listen");
    cli_run *r = calloc(1, sizeof *r);
    run_cli(r, (const char *[]){"duban", "--db", dbt, "init", NULL});
    if (r->status != 0) fail_msg("init: %s", r->err);
    free(r);
    return 0;
}

static int teardown(void **st) {
    (void)st;
    test_db_remove(dbt);
    return 0;
}

static void forms_parse(void **st) {
    (void)st;
    static const struct { const char *in; int family; const char *host; unsigned port; } good[] = {
        {"127.0.0.1:8080", AF_INET, "127.0.0.1", 8080},
        {"0.0.0.0:0", AF_INET, "0.0.0.0", 0},
        {"[::]:8080", AF_INET6, "::", 8080},
        {"[::1]:65535", AF_INET6, "::1", 65535},
        {"[2001:DB8:0:0::1]:443", AF_INET6, "2001:db8::1", 443},
        {"[::ffff:10.0.0.1]:80", AF_INET6, "::ffff:10.0.0.1", 80},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        struct sockaddr_storage sa;
        err e = {0};
        char host[INET6_ADDRSTRLEN];
        if (http_parse_listen(good[i].in, &sa, &e)) fail_msg("%s: %s", good[i].in, e.msg);
        assert_int_equal(sa.ss_family, good[i].family);
        bool six = sa.ss_family == AF_INET6;
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)&sa;
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&sa;
        inet_ntop(sa.ss_family, six ? (const void *)&v6->sin6_addr : (const void *)&v4->sin_addr, host, sizeof host);
        assert_str(host, good[i].host);
        assert_int_equal(ntohs(six ? v6->sin6_port : v4->sin_port), good[i].port);
    }
    static const char *const bad[] = {
        "", "8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80x", "127.0.0.1: 80",
        "127.0.0.1:-1", "127.0.0.1:000080", "1.2.3:80", "localhost:8080", "::1:8080", "::1",
        "[::1]8080", "[::1]:", "[::1", "::1]:80", "[127.0.0.1]:80", "[::1]:99999", "[fe80::1%lo]:80",
        "[[::1]]:80", "[::1]:80:80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct sockaddr_storage sa;
        err e = {0};
        if (http_parse_listen(bad[i], &sa, &e) != ERR_INVALID) fail_msg("'%s' taken", bad[i]);
        assert_str(e.field, "listen");
        if (!strstr(e.msg, "[IPv6]:PORT")) fail_msg("'%s': %s", bad[i], e.msg);
    }
    err e = {0};
    struct sockaddr_storage sa;
    assert_int_equal(http_parse_listen(NULL, &sa, &e), ERR_INVALID);
}

/* `duban serve --listen`: a bad form refused before anything starts (exit
 * 2, the field named); the IPv6 loopback listened on and said (the address
 * the server makes its links from), bracketed, where IPv6 is here at all. */
static void serve_takes_ipv6(void **st) {
    (void)st;
    cli_run *r = calloc(1, sizeof *r);
    static const char *const bad[] = {"::1:8080", "[::1]", "localhost:80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run_cli(r, (const char *[]){"duban", "--db", dbt, "serve", "--listen", bad[i], NULL});
        assert_int_equal(r->status, 2);
        char want[64];
        snprintf(want, sizeof want, "bad listen address '%s'", bad[i]);
        if (!strstr(r->err, want)) fail_msg("%s: %s", bad[i], r->err);
    }
    free(r);
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 lo = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bool have = probe >= 0 && bind(probe, (struct sockaddr *)&lo, sizeof lo) == 0;
    if (probe >= 0) close(probe);
    if (!have) {
        printf("serve_takes_ipv6: no IPv6 loopback here; only the refusals tested\n");
        return;
    }
    server s;
    /* the address as the server writes its own links: canonical, bracketed */
    server_start(&s, dbt, (const char *[]){"--listen", "[0:0:0:0:0:0:0:1]:0", NULL});
    if (strncmp(s.url, "http://[::1]:", 13) != 0 || atoi(s.url + 13) <= 0) fail_msg("listening on %s", s.url);
    assert_int_equal(server_stop(&s), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forms_parse),
        cmocka_unit_test(serve_takes_ipv6),
    };
    return run_http_suite(tests, setup, teardown);
}
