/* `duban audit verify` over a year of a county (bench/http.sh's demo, with
 * what its load added), beside a bare read of the rows it walks (every
 * case, event, unit row and log link, their bytes summed in SQLite): the
 * ratio says what replaying through the state machine and hashing cost
 * over reading. The figure a county plans by, per 1,000,000 cases, is the
 * time scaled by the cases (the walk is linear: docs/operations.md).
 * Usage: bench_verify DUBAN DB */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"

/* The rows verify reads, read bare: the seconds it took, *cases set. */
static double bare_read(const char *db, long long *cases) {
    static const char *const scans[] = {
        "SELECT count(*), sum(length(title) + length(history) + length(last_hash)) FROM cases",
        "SELECT count(*), sum(length(payload) + length(hash) + length(prev_hash)) FROM events",
        "SELECT count(*), sum(unit_id + role_len) FROM (SELECT unit_id, length(role) AS role_len FROM case_units)",
        "SELECT count(*), sum(length(digest) + length(hash)) FROM log_chain",
    };
    sqlite3 *h;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_verify: %s: %s\n", db, sqlite3_errmsg(h));
        exit(1);
    }
    double t0 = now_s();
    for (size_t i = 0; i < sizeof scans / sizeof *scans; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(h, scans[i], -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
            fprintf(stderr, "bench_verify: %s: %s\n", scans[i], sqlite3_errmsg(h));
            exit(1);
        }
        if (i == 0) *cases = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    double t = now_s() - t0;
    sqlite3_close(h);
    return t;
}

/* duban --db DB audit verify: its seconds, *status its exit status. */
static double verify(const char *bin, const char *db, int *status) {
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        execl(bin, bin, "--db", db, "audit", "verify", (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return now_s() - t0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: bench_verify DUBAN DB\n");
        return 2;
    }
    long long cases = 0;
    int status;
    bare_read(argv[2], &cases); /* the first read brings the file into the page cache */
    double bare = bare_read(argv[2], &cases);
    verify(argv[1], argv[2], &status); /* likewise, once */
    double t = verify(argv[1], argv[2], &status);
    double per_million = cases ? t * 1e6 / (double)cases : 0;
    char v[160], b[96], target[96];
    snprintf(v, sizeof v, "%.2f s for %lld cases (%s); %.0f s per 1,000,000 cases", t, cases,
             status ? "NOT ok: it found a difference" : "ok", per_million);
    snprintf(b, sizeof b, "a bare read of the same rows %.2f s", bare);
    snprintf(target, sizeof target, "nightly: 1,000,000 cases < 10 min: %s",
             !status && per_million < 600 ? "met" : "NOT met");
    row("audit verify (every case replayed, every log link) over a year's demo, SQLite", v, b,
        bare > 0 ? t / bare : 0, target);
    return 0; /* a difference is in the row: the other figures still get made */
}
