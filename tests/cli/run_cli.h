/* Runs the built duban binary ($DUBAN_BIN) as a child process and captures
 * its exit status, stdout and stderr. */
#ifndef DUBAN_TEST_RUN_CLI_H
#define DUBAN_TEST_RUN_CLI_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct cli_run {
    int status;
    char out[1 << 20];
    char err[8192];
} cli_run;

static inline void slurp(int fd, char *buf, size_t cap) {
    size_t n = 0;
    ssize_t k;
    while ((k = read(fd, buf + n, cap - 1 - n)) > 0 && n + (size_t)k < cap - 1) n += (size_t)k;
    if (k > 0) n += (size_t)k;
    buf[n] = '\0';
    while (read(fd, (char[256]){0}, 256) > 0) {}
}

/* argv ends with NULL; argv[0] is ignored (the binary comes from $DUBAN_BIN). */
static inline void run_cli(cli_run *r, const char *const *argv) {
    const char *bin = getenv("DUBAN_BIN");
    char out_path[] = "/tmp/duban-cli-out-XXXXXX", err_path[] = "/tmp/duban-cli-err-XXXXXX";
    int out = mkstemp(out_path), errfd = mkstemp(err_path);
    if (!bin || out < 0 || errfd < 0) abort();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out, 1);
        dup2(errfd, 2);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    lseek(out, 0, SEEK_SET);
    lseek(errfd, 0, SEEK_SET);
    slurp(out, r->out, sizeof r->out);
    slurp(errfd, r->err, sizeof r->err);
    close(out);
    close(errfd);
    unlink(out_path);
    unlink(err_path);
}

#endif
