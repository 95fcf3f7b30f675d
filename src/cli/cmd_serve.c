/* duban serve: runs the HTTP server until SIGINT or SIGTERM, then lets the
 * requests in flight finish and closes the database. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "http/http.h"

static const char *dir_or_null(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ? path : NULL;
}

int cmd_serve(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"listen", OPT_ARG}, {"db", OPT_ARG},
                                       {"threads", OPT_ARG}, {"max-body", OPT_ARG},
                                       {"web", OPT_ARG},     {"timeout", OPT_ARG},
                                       {NULL, 0}};
    cli_args a;
    int64_t threads = 2, max_body = 1 << 20, timeout = 30;
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban serve [--listen 127.0.0.1:8080] [--db PATH] [--threads N]"
                       " [--max-body BYTES] [--web DIR] [--timeout SECONDS]",
                       &a, e);
    if (rc || (cli_opt(&a, "threads") &&
               (rc = cli_int(cli_opt(&a, "threads"), "--threads", 1, 64, &threads, e))) ||
        (cli_opt(&a, "max-body") &&
         (rc = cli_int(cli_opt(&a, "max-body"), "--max-body", 1024, 1 << 30, &max_body, e))) ||
        (cli_opt(&a, "timeout") &&
         (rc = cli_int(cli_opt(&a, "timeout"), "--timeout", 1, 3600, &timeout, e))))
        return rc;
    http_config cfg = {
        .db_path = cli_opt(&a, "db") ? cli_opt(&a, "db") : c->db_path,
        .listen = cli_opt(&a, "listen") ? cli_opt(&a, "listen") : "127.0.0.1:8080",
        .web_root = cli_opt(&a, "web") ? cli_opt(&a, "web") : dir_or_null("web"),
        .npm_root = dir_or_null("node_modules"),
        .threads = (unsigned)threads,
        .max_body = (size_t)max_body,
        .timeout_s = (unsigned)timeout,
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
    char url[64];
    snprintf(url, sizeof url, "http://%.*s:%u", (int)(strrchr(cfg.listen, ':') - cfg.listen),
             cfg.listen, (unsigned)http_port(srv));
    json_t *o = json_pack("{s:s, s:s, s:i, s:s?}", "listening", url, "db", cfg.db_path, "threads",
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
