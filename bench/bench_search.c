/* Text search while cases arrive: 5,000 new cases are written (small
 * transactions, as intake commits them) while the server's indexer keeps
 * the search index current off the request path; searches run during the
 * writes and for two seconds after, each for a case acknowledged more than
 * a second earlier, which must be found (by text search and by the
 * duplicate check). Baseline: the same searches on a quiet, indexed
 * database. Usage: bench_search DIR */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "jobs/indexer.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "store/store_case.h"

#define BASE 100000
#define NEW 5000
#define PER_TX 10
#define SEARCHES 400

static char path[600];
static double acked[BASE + NEW + 1]; /* when case i's transaction committed; 0: not yet */
static atomic_int written;

static void die(const char *what, const err *e) {
    fprintf(stderr, "bench: %s: %s\n", what, e ? e->msg : "");
    exit(1);
}

static const char *const titles[] = {"路灯不亮", "井盖缺失", "噪音扰民", "道路积水", "垃圾未清运",
                                     "违章停车", "供暖不热", "占道经营"};

static void create(store *s, int i, int64_t at) {
    char title[96], desc[160];
    err e = {0};
    snprintf(title, sizeof title, "%s 编号Q%dZ", titles[i % 8], i);
    snprintf(desc, sizeof desc, "群众来电反映建设路%d号附近%s，请尽快处理。", i % 300, titles[(i / 8) % 8]);
    case_rec c = {0};
    c.channel = CH_HOTLINE;
    c.klass = CL_GENERAL;
    c.title = title;
    c.description = desc;
    c.received_at = at;
    if (store_case_create(s, &c, "operator", &e)) die("create", &e);
}

static int found(void *ctx, const case_rec *c) {
    (void)c;
    (*(int *)ctx)++;
    return 0;
}

/* One search for case i's own words: the text filter, or the duplicate check. */
static double search(store *s, int i, bool similar, int *hits) {
    char token[32];
    err e = {0};
    snprintf(token, sizeof token, "Q%dZ", i);
    *hits = 0;
    double t0 = now_s();
    store_case_filter f = {.status = -1, .channel = -1, .klass = -1, .text = token, .limit = 50};
    int rc = similar ? store_case_similar(s, token, NULL, 0, 0, 10, found, hits, &e)
                     : store_case_list(s, &f, found, hits, &e);
    if (rc) die("search", &e);
    return now_s() - t0;
}

static void *writer(void *arg) {
    (void)arg;
    store *s;
    err e = {0};
    if (store_open(path, NULL, &s, &e)) die("open", &e);
    for (int i = BASE + 1; i <= BASE + NEW; i += PER_TX) {
        if (store_begin(s, &e)) die("begin", &e);
        for (int k = i; k < i + PER_TX; k++) create(s, k, 1790000000 + k);
        if (store_commit(s, &e)) die("commit", &e);
        double t = now_s();
        for (int k = i; k < i + PER_TX; k++) acked[k] = t;
        atomic_store(&written, i + PER_TX - 1);
        usleep(2000); /* about 3,000 cases a second, a busy hotline's burst */
    }
    store_close(s);
    return NULL;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double p99(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp);
    return n ? t[n * 99 / 100] : 0;
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    snprintf(path, sizeof path, "%s/search.db", argv[1]);
    unlink(path);
    store *s;
    err e = {0};
    if (store_open(path, NULL, &s, &e)) die("open", &e);
    for (int i = 1; i <= BASE; i++) {
        if (i % 10000 == 1 && ((i > 1 && store_commit(s, &e)) || store_begin(s, &e))) die("batch", &e);
        create(s, i, 1780000000 + i);
    }
    if (store_commit(s, &e)) die("commit", &e);
    for (int n = 10000; n == 10000;)
        if (store_text_index(s, 10000, &n, &e)) die("index", &e);
    /* baseline: the same searches, quiet and indexed */
    static double base[SEARCHES], during[SEARCHES * 50], after[SEARCHES * 50];
    uint64_t x = 88172645463325252ull;
    int hits;
    for (int i = 0; i < SEARCHES; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        base[i] = search(s, 1 + (int)(x % BASE), i & 1, &hits);
        if (!hits) die("baseline search found nothing", NULL);
    }
    jobs *ix; /* the server's indexer, as the server runs it */
    job_def def;
    if (jobs_new(&ix, &e) || indexer_job_def(path, &def, &e) || jobs_every(ix, &def, &e)) die("indexer", &e);
    pthread_t w;
    pthread_create(&w, NULL, writer, NULL);
    int nd = 0, na = 0, missed = 0, checked = 0;
    double end = 0;
    for (;;) {
        double t = now_s();
        int last = atomic_load(&written);
        if (last >= BASE + NEW && !end) end = t;
        if (end && t > end + 2) break;
        /* a case acknowledged more than a second ago: the newest such */
        int k = last;
        while (k > BASE && (acked[k] == 0 || t - acked[k] < 1.0)) k--;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (k <= BASE) k = 1 + (int)(x % BASE);
        double dt = search(s, k, x & 1, &hits);
        checked++;
        missed += hits == 0;
        if (!end && nd < SEARCHES * 50) during[nd++] = dt;
        else if (end && na < SEARCHES * 50) after[na++] = dt;
        usleep(5000);
    }
    pthread_join(w, NULL);
    jobs_free(ix);
    store_close(s);
    double b = p99(base, SEARCHES), d = p99(during, nd), a = p99(after, na);
    char v[256], bl[128];
    snprintf(bl, sizeof bl, "quiet, indexed: p99 %.2f ms", b * 1e3);
    snprintf(v, sizeof v, "p99 %.2f ms (%d searches; %d of %d missed a case acknowledged > 1 s before)",
             d * 1e3, nd, missed, checked);
    row("text search and duplicate check during 5,000 new cases (100,000 before)", v, bl, d / b,
        d < 0.050 && !missed ? "p99 < 50 ms, none missed: met" : "p99 < 50 ms, none missed: NOT met");
    snprintf(v, sizeof v, "p99 %.2f ms (%d searches)", a * 1e3, na);
    row("text search and duplicate check in the 2 s right after", v, bl, a / b,
        a < 0.050 && !missed ? "p99 < 50 ms, none missed: met" : "p99 < 50 ms, none missed: NOT met");
    unlink(path);
    return missed ? 1 : 0;
}
