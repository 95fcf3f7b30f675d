/* duban serve: runs the HTTP server until SIGINT or SIGTERM, then lets the
 * requests in flight finish and closes the database. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "http/http.h"
#include "store/store.h"

static const char *dir_or_null(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ? path : NULL;
}

int cmd_serve(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"listen", OPT_ARG},   {"db", OPT_ARG},
                                       {"threads", OPT_ARG},  {"max-body", OPT_ARG},
                                       {"web", OPT_ARG},      {"timeout", OPT_ARG},
                                       {"pool", OPT_ARG},     {"group-commit", OPT_ARG},
                                       {"sweep-interval", OPT_ARG},
                                       {"trusted-proxy", OPT_ARG | OPT_MULTI},
                                       {"vendor", OPT_ARG},   {"header-timeout", OPT_ARG},
                                       {"max-per-ip", OPT_ARG}, {"max-body-memory", OPT_ARG},
                                       {NULL, 0}};
    cli_args a;
    int64_t threads = 2, max_body = 1 << 20, timeout = 30, pool = 0, sweep = 60, header_timeout = 15,
            per_ip = 64, body_memory = 64 << 20;
    int group = -1;
    const char *g;
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban serve [--listen 127.0.0.1:8080] [--db PATH|postgresql://...]"
                       " [--threads N] [--pool N] [--max-body BYTES] [--max-body-memory BYTES] [--web DIR]"
                       " [--timeout SECONDS] [--group-commit auto|on|off]"
                       " [--sweep-interval SECONDS, 0 for none] [--trusted-proxy IPV4]..."
                       " [--vendor NODE_MODULES_DIR] [--header-timeout SECONDS] [--max-per-ip N]",
                       &a, e);
    if (rc || (cli_opt(&a, "threads") &&
               (rc = cli_int(cli_opt(&a, "threads"), "--threads", 1, 64, &threads, e))) ||
        (cli_opt(&a, "pool") && (rc = cli_int(cli_opt(&a, "pool"), "--pool", 1, 256, &pool, e))) ||
        (cli_opt(&a, "max-body") &&
         (rc = cli_int(cli_opt(&a, "max-body"), "--max-body", 1024, 1 << 30, &max_body, e))) ||
        (cli_opt(&a, "timeout") &&
         (rc = cli_int(cli_opt(&a, "timeout"), "--timeout", 1, 3600, &timeout, e))) ||
        (cli_opt(&a, "sweep-interval") &&
         (rc = cli_int(cli_opt(&a, "sweep-interval"), "--sweep-interval", 0, 86400, &sweep, e))) ||
        (cli_opt(&a, "header-timeout") &&
         (rc = cli_int(cli_opt(&a, "header-timeout"), "--header-timeout", 1, 600, &header_timeout, e))) ||
        (cli_opt(&a, "max-per-ip") &&
         (rc = cli_int(cli_opt(&a, "max-per-ip"), "--max-per-ip", 1, 100000, &per_ip, e))) ||
        (cli_opt(&a, "max-body-memory") &&
         (rc = cli_int(cli_opt(&a, "max-body-memory"), "--max-body-memory", 1024, (int64_t)1 << 40,
                       &body_memory, e))))
        return rc;
    /* below one body, a request within --max-body could never be taken */
    if (!cli_opt(&a, "max-body-memory") && body_memory <= max_body) body_memory = max_body + 1;
    if (body_memory <= max_body)
        return err_set(e, ERR_INVALID, "max-body-memory",
                       "--max-body-memory %lld must be more than --max-body %lld", (long long)body_memory,
                       (long long)max_body);
    if ((g = cli_opt(&a, "group-commit"))) {
        group = !strcmp(g, "on") ? 1 : !strcmp(g, "off") ? 0 : !strcmp(g, "auto") ? -1 : -2;
        if (group == -2)
            return err_set(e, ERR_INVALID, "group-commit",
                           "--group-commit '%s' must be auto, on or off", g);
    }
    const char *const *cfg_proxies = NULL;
    int n_proxies = cli_opt_all(&a, "trusted-proxy", &cfg_proxies);
    for (int i = 0; i < n_proxies; i++) {
        struct in_addr ip;
        if (inet_pton(AF_INET, cfg_proxies[i], &ip) != 1)
            return err_set(e, ERR_INVALID, "trusted-proxy", "--trusted-proxy '%s' is not an IPv4 address",
                           cfg_proxies[i]);
    }
    http_config cfg = {
        .db_path = cli_opt(&a, "db") ? cli_opt(&a, "db") : c->db_path,
        .listen = cli_opt(&a, "listen") ? cli_opt(&a, "listen") : "127.0.0.1:8080",
        /* the built web interface (make: ui/ through Vite), else the plain page */
        .web_root = cli_opt(&a, "web")         ? cli_opt(&a, "web")
                    : dir_or_null("build/web") ? "build/web"
                                               : dir_or_null("web"),
        .npm_root = cli_opt(&a, "vendor") ? cli_opt(&a, "vendor") : dir_or_null("node_modules"),
        .threads = (unsigned)threads,
        .max_body = (size_t)max_body,
        .max_body_memory = (size_t)body_memory,
        .timeout_s = (unsigned)timeout,
        .header_timeout_s = (unsigned)header_timeout,
        .max_per_ip = (unsigned)per_ip,
        .pool = (unsigned)pool,
        .group_commit = group,
        .sweep_s = sweep ? (int)sweep : -1,
        .trusted_proxies = cfg_proxies,
        .n_trusted_proxies = n_proxies,
    };
    /* Block the stop signals before the workers start, so they inherit the
     * mask and only this thread receives them, in sigwait(). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    http_server *srv;
    if ((rc = http_start(&cfg, &srv, e))) return rc;
    char label[512];
    store_target_label(cfg.db_path, label, sizeof label);
    json_t *o = json_pack("{s:s, s:s, s:i, s:s?}", "listening", http_url(srv), "db", label, "threads",
                          (int)cfg.threads, "web", cfg.web_root);
    cli_print(o);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "duban: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(srv);
    return 0;
}
