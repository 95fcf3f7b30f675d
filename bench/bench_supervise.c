/* Supervision benchmarks over bench_store's 1,000,000 cases (DIR/big.db,
 * March 2026, all closed), each beside a bare SQL baseline from the same
 * run: the month's 通报 to XLSX; the 清零 ledger with 100,000 of them open
 * (its counts, and its workbook by the background exporter, with the
 * process's peak memory before and after); hot spots once the cases are
 * spread over two years. Usage: bench_supervise DIR */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "core/bulletin.h"
#include "jobs/exporter.h"
#include "jobs/jobs.h"
#include "report/bulletin_xlsx.h"
#include "store/store.h"
#include "store/store_bulletin.h"
#include "store/store_hotspot.h"
#include "store/store_ledger.h"
#include "store/store_ref.h"
#include "util/datetime.h"

#define TZ 28800

static void die(const char *what, const err *e) {
    fprintf(stderr, "bench: %s: %s\n", what, e ? e->msg : "");
    exit(1);
}

static void exec_sql(const char *p, const char *sql) {
    sqlite3 *db;
    char *msg = NULL;
    if (sqlite3_open(p, &db) || sqlite3_exec(db, sql, NULL, NULL, &msg)) {
        fprintf(stderr, "bench: sql: %s\n", msg ? msg : sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_close(db);
}

static double timed_sql(const char *p, const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(p, &db) || sqlite3_prepare_v2(db, sql, -1, &st, NULL)) abort();
    double t0 = now_s();
    while (sqlite3_step(st) == SQLITE_ROW) {}
    double t = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

/* The process's anonymous resident memory now (its heap and stacks, not
 * the database file SQLite maps in), MB. */
static double anon_mb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "RssAnon:", 8)) kb = atof(line + 8);
    if (f) fclose(f);
    return kb / 1024;
}

static int64_t one_int(const char *p, const char *sql) {
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = 0;
    if (sqlite3_open(p, &db) || sqlite3_prepare_v2(db, sql, -1, &st, NULL)) abort();
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The ledger's workbook by the exporter, as the server writes it: seconds;
 * *peak: the most anonymous memory seen while it ran (sampled every 2 ms). */
static double ledger_export(exporter *x, int64_t unit, int64_t now, int64_t *rows, double *peak) {
    export_spec spec = {.layout = EXPORT_LEDGER, .owner = 1, .tz = TZ, .now = now,
                        .filter = {.status = -1, .channel = -1, .klass = -1, .open_only = true,
                                   .unit_id = unit, .lead_only = unit != 0}};
    char id[EXPORT_ID_LEN];
    err e = {0};
    double t0 = now_s();
    if (exporter_start(x, &spec, id, &e)) die("export", &e);
    export_state s;
    *peak = 0;
    for (;;) {
        double m = anon_mb();
        if (m > *peak) *peak = m;
        if (exporter_get(x, id, 1, &s, &e)) die("export", &e);
        if (s.status != EXPORT_RUNNING) break;
        usleep(2000);
    }
    if (s.status != EXPORT_DONE) die("export", NULL);
    *rows = s.done;
    return now_s() - t0;
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char p[600], v[160], b[128];
    snprintf(p, sizeof p, "%s/big.db", argv[1]);
    err e = {0};
    store *s;
    if (store_open(p, NULL, &s, &e)) die("open", &e);
    int64_t from = 1772294400, to = 1774972800, before = 1769875200; /* March 2026, February */
    int64_t at = to + 40 * 86400; /* the ledger's and hot spots' moment */
    double best;

    /* 1. the month's 通报 as a workbook */
    double base = timed_sql(p, "SELECT lead_unit_id, count(*), sum(accepted_at <= accept_due),"
                               " sum(resolved_at <= resolve_due), sum(satisfaction > 0)"
                               " FROM cases WHERE dispatched_at >= 1772294400 AND dispatched_at < 1774972800"
                               " GROUP BY lead_unit_id");
    char xlsx[640];
    snprintf(xlsx, sizeof xlsx, "%s/bulletin.xlsx", argv[1]);
    /* as of its cut-off, a moment long past (each case's history read up to
     * it), and as of now */
    static const struct { const char *name; int64_t after; } as_of[] = {
        {"monthly 通报 to XLSX over 1,000,000 cases, as of a past moment", 5 * 86400},
        {"monthly 通报 to XLSX over 1,000,000 cases, as of now", 400 * 86400}};
    for (int q = 0; q < 2; q++) {
        int64_t when = to + as_of[q].after;
        best = 1e9;
        int64_t dispatched = 0;
        for (int k = 0; k < 3; k++) {
            bulletin bl;
            double t0 = now_s();
            if (store_bulletin_get(s, from, to, before, when, &bl, &e)) die("bulletin", &e);
            bulletin_rank(&bl);
            if (bulletin_xlsx(&bl, xlsx, when, TZ, &e)) die("bulletin xlsx", &e);
            double dt = now_s() - t0;
            if (dt < best) best = dt;
            dispatched = bl.total.dispatched;
            bulletin_clear(&bl);
        }
        unlink(xlsx);
        snprintf(v, sizeof v, "%.0f ms (%lld cases dispatched in the month; figures, ranks and the workbook; best of 3)",
                 best * 1e3, (long long)dispatched);
        snprintf(b, sizeof b, "SQL GROUP BY of the month %.0f ms", base * 1e3);
        row(as_of[q].name, v, b, best / base, best < 1 ? "< 1 s: met" : "< 1 s: NOT met");
    }

    /* 2. the 清零 ledger with 100,000 open cases */
    store_close(s);
    exec_sql(p, "UPDATE cases SET status = 'closed', next_due = NULL, next_kind = NULL WHERE status <> 'closed';"
                "UPDATE cases SET status = 'accepted', closed_at = NULL, resolved_at = NULL, visited_at = NULL,"
                " resolve_due = received_at + 40 * 86400, next_due = received_at + 40 * 86400,"
                " next_kind = 'resolve' WHERE id % 10 = 0");
    if (store_open(p, NULL, &s, &e)) die("open", &e);
    base = timed_sql(p, "SELECT id, case_no, title, lead_unit_id, received_at, next_due, reopen_count FROM cases"
                        " WHERE status <> 'closed' AND status <> 'merged'");
    store_ledger_unit *u;
    size_t nu;
    double t0 = now_s();
    if (store_ledger_units(s, at, 0, &u, &nu, &e)) die("ledger", &e);
    double counts = now_s() - t0;
    int64_t open = 0;
    for (size_t i = 0; i < nu; i++) open += u[i].open;
    free(u);
    exporter *x;
    jobs *jb; /* the exports' queue, as the server runs it */
    if (jobs_new(&jb, &e) || exporter_new(p, jb, &x, &e)) die("exporter", &e);
    int64_t rows_small, rows_all;
    double rss0 = anon_mb(), rss_small, rss_all;
    /* the unit leading the fewest open cases, then everyone's */
    int64_t small = one_int(p, "SELECT lead_unit_id FROM cases WHERE status <> 'closed' AND status <> 'merged'"
                               " AND lead_unit_id IS NOT NULL GROUP BY lead_unit_id ORDER BY count(*) LIMIT 1");
    ledger_export(x, small, at, &rows_small, &rss_small);
    double all = ledger_export(x, 0, at, &rows_all, &rss_all);
    jobs_free(jb);
    exporter_free(x);
    snprintf(v, sizeof v, "%.0f ms for the counts of %lld open cases; the workbook of %lld rows %.0f ms", counts * 1e3,
             (long long)open, (long long)rows_all, all * 1e3);
    snprintf(b, sizeof b, "bare scan of the open rows %.0f ms", base * 1e3);
    row("清零 ledger, 100,000 open cases", v, b, (counts + all) / base, counts + all < 3 ? "< 3 s: met" : "< 3 s: NOT met");
    snprintf(v, sizeof v, "anonymous memory at most %.1f MB writing %lld rows, %.1f MB writing %lld (%.1f MB before)",
             rss_small, (long long)rows_small, rss_all, (long long)rows_all, rss0);
    snprintf(b, sizeof b, "%lld rows", (long long)rows_small);
    char flat[96];
    snprintf(flat, sizeof flat, "flat (under 32 MB more for %.0f× the rows): %s",
             rows_small ? (double)rows_all / (double)rows_small : 0, rss_all - rss_small < 32 ? "met" : "NOT met");
    row("清零 ledger workbook's memory", v, b, rss_small > 0 ? rss_all / rss_small : 0, flat);

    /* 3. hot spots over two years of cases */
    store_close(s);
    exec_sql(p, "INSERT INTO units(code, name, kind, created_at) SELECT 't' || i, '乡镇' || i, 'township', 0"
                " FROM (WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < 12) SELECT i FROM q);"
                "INSERT INTO categories(code, name) SELECT 'c' || i, '分类' || i"
                " FROM (WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < 40) SELECT i FROM q);"
                "UPDATE cases SET received_at = 1774972800 + 40 * 86400 - (id * 7919 % (730 * 86400)),"
                " category_id = (SELECT min(id) FROM categories) + id % 40,"
                " township_id = (SELECT min(id) FROM units WHERE kind = 'township') + id % 12");
    if (store_open(p, NULL, &s, &e)) die("open", &e);
    int64_t lo = at - 9 * 7 * 86400;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT category_id, township_id, (%lld - 1 - received_at) / 604800, count(*)"
             " FROM cases WHERE received_at >= %lld AND received_at < %lld GROUP BY 1, 2, 3",
             (long long)at, (long long)lo, (long long)at);
    base = timed_sql(p, sql);
    best = 1e9;
    size_t hot = 0;
    for (int k = 0; k < 3; k++) {
        store_hotspot *h;
        t0 = now_s();
        if (store_hotspots(s, at, HOT_BY_TOWNSHIP, &h, &hot, &e)) die("hot spots", &e);
        double dt = now_s() - t0;
        if (dt < best) best = dt;
        free(h);
    }
    store_close(s);
    snprintf(v, sizeof v, "%.0f ms (1,000,000 cases over 730 days, 40 categories × 12 townships; %zu hot; best of 3)",
             best * 1e3, hot);
    snprintf(b, sizeof b, "SQL GROUP BY of the nine weeks %.0f ms", base * 1e3);
    row("hot spots over two years of cases", v, b, best / base, best < 1 ? "< 1 s: met" : "< 1 s: NOT met");
    return 0;
}
