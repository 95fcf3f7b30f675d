/* Tests of the background-job module (src/jobs/jobs.c): periodic turns come
 * at their period, the first at once, with the time passed in, and sooner
 * when woken; a failed turn is the job's last error until a turn succeeds; a
 * stuck turn shows as lag; a queue runs its tasks in order and refuses more
 * than it may hold; jobs stop in the reverse order of their start, a long
 * turn told to stop, tasks still waiting dropped; and a stop while threads
 * submit and turns run loses nothing: every task accepted is run or dropped,
 * once. */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "jobs/jobs.h"

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static job_info info_of(jobs *j, const char *name) {
    job_info all[JOBS_MAX];
    int n = jobs_info(j, all, JOBS_MAX);
    for (int i = 0; i < n; i++)
        if (!strcmp(all[i].name, name)) return all[i];
    fail_msg("no job %s", name);
    return all[0];
}

/* ---- periodic ---- */

typedef struct counter {
    atomic_int turns;
    atomic_llong last_now;
    atomic_int fail_next; /* the next turns fail while > 0 */
    atomic_int sleep_ms;  /* each turn takes this long */
    atomic_int done;
} counter;

static int count_turn(void *arg, const job_run *r, err *e) {
    counter *c = arg;
    atomic_store(&c->last_now, r->now);
    atomic_fetch_add(&c->turns, 1);
    for (int slept = 0; slept < atomic_load(&c->sleep_ms) && !r->stopping(r); slept += 5) usleep(5000);
    if (atomic_load(&c->fail_next) > 0) {
        atomic_fetch_sub(&c->fail_next, 1);
        return err_set(e, ERR_FULL, "", "database or disk is full (a test's)");
    }
    return 0;
}

static void count_done(void *arg) { atomic_fetch_add(&((counter *)arg)->done, 1); }

/* Waits (bounded) until the counter reached n turns. */
static void await_turns(counter *c, int n, int seconds) {
    for (int i = 0; i < seconds * 100 && atomic_load(&c->turns) < n; i++) usleep(10000);
    assert_true(atomic_load(&c->turns) >= n);
}

static void turns_come_at_their_period(void **st) {
    (void)st;
    jobs *j;
    err e = {0};
    counter c = {0};
    assert_int_equal(jobs_new(&j, &e), 0);
    int64_t t0 = mono_ms();
    assert_int_equal(jobs_every(j, &(job_def){"tick", 100, count_turn, count_done, &c}, &e), 0);
    await_turns(&c, 1, 2); /* the first at once */
    assert_true(mono_ms() - t0 < 1000);
    int64_t now = time(NULL);
    assert_true(llabs(atomic_load(&c.last_now) - now) <= 1);
    usleep(550 * 1000);
    int n = atomic_load(&c.turns);
    assert_true(n >= 3 && n <= 8); /* about one per 100 ms, not a busy loop */
    /* a long period, woken: a turn now */
    counter slow = {0};
    assert_int_equal(jobs_every(j, &(job_def){"slow", 3600 * 1000, count_turn, count_done, &slow}, &e), 0);
    await_turns(&slow, 1, 2);
    jobs_wake(j, "slow");
    await_turns(&slow, 2, 2);
    job_info in = info_of(j, "slow");
    assert_false(in.queue);
    assert_int_equal(in.period_ms, 3600 * 1000);
    assert_true(in.runs >= 2 && in.last_start_ms > 0 && in.last_end_ms >= in.last_start_ms);
    assert_int_equal(in.lag_ms, 0);
    /* names are unique */
    assert_int_equal(jobs_every(j, &(job_def){"tick", 100, count_turn, NULL, &c}, &e), ERR_INVALID);
    jobs_free(j);
    assert_int_equal(atomic_load(&c.done), 1);
    assert_int_equal(atomic_load(&slow.done), 1);
}

static void a_failure_is_the_last_error_until_a_success(void **st) {
    (void)st;
    jobs *j;
    err e = {0};
    counter c = {.fail_next = 2};
    assert_int_equal(jobs_new(&j, &e), 0);
    assert_int_equal(jobs_every(j, &(job_def){"sweep", 50, count_turn, NULL, &c}, &e), 0);
    await_turns(&c, 1, 2);
    usleep(20000);
    job_info in = info_of(j, "sweep");
    if (in.runs == 1) { /* the first failure recorded */
        assert_int_equal(in.error_code, ERR_FULL);
        assert_non_null(strstr(in.error, "disk is full"));
        assert_true(in.error_at_ms > 0);
    }
    await_turns(&c, 4, 3);
    usleep(20000);
    in = info_of(j, "sweep");
    assert_int_equal(in.error_code, 0); /* succeeded since */
    assert_int_equal(in.failures, 2);
    assert_true(in.error_at_ms > 0 && in.error_at_ms <= in.last_end_ms);
    jobs_free(j);
}

static void a_stuck_turn_shows_as_lag(void **st) {
    (void)st;
    jobs *j;
    err e = {0};
    counter c = {.sleep_ms = 0};
    assert_int_equal(jobs_new(&j, &e), 0);
    assert_int_equal(jobs_every(j, &(job_def){"webhook", 100, count_turn, NULL, &c}, &e), 0);
    await_turns(&c, 2, 2);
    assert_true(info_of(j, "webhook").lag_ms < 100);
    atomic_store(&c.sleep_ms, 700); /* the next turn hangs */
    int n = atomic_load(&c.turns);
    await_turns(&c, n + 1, 2);
    usleep(500 * 1000);
    job_info in = info_of(j, "webhook");
    assert_true(in.running);
    assert_true(in.lag_ms >= 200);
    atomic_store(&c.sleep_ms, 0);
    usleep(600 * 1000);
    assert_true(info_of(j, "webhook").lag_ms < 100);
    jobs_free(j);
}

/* ---- queues ---- */

typedef struct order {
    pthread_mutex_t mu;
    int seen[256], n, dropped;
    atomic_int hold; /* tasks wait while set */
} order;

typedef struct item { order *o; int k; } item;

static void run_item(void *arg) {
    item *it = arg;
    while (atomic_load(&it->o->hold)) usleep(2000);
    pthread_mutex_lock(&it->o->mu);
    it->o->seen[it->o->n++] = it->k;
    pthread_mutex_unlock(&it->o->mu);
}

static int ran(order *o) {
    pthread_mutex_lock(&o->mu);
    int n = o->n;
    pthread_mutex_unlock(&o->mu);
    return n;
}

static void drop_item(void *arg) {
    item *it = arg;
    pthread_mutex_lock(&it->o->mu);
    it->o->dropped++;
    pthread_mutex_unlock(&it->o->mu);
}

static void a_queue_runs_in_order_and_is_bounded(void **st) {
    (void)st;
    jobs *j;
    err e = {0};
    order o = {.mu = PTHREAD_MUTEX_INITIALIZER};
    item items[12];
    assert_int_equal(jobs_new(&j, &e), 0);
    assert_int_equal(jobs_queue(j, "export", 1, 4, &e), 0);
    atomic_store(&o.hold, 1);
    int accepted = 0;
    for (int k = 0; k < 8; k++) {
        items[k] = (item){&o, k};
        int rc = jobs_submit(j, "export", run_item, drop_item, &items[k], &e);
        if (k < 5) /* one running, four waiting */
            assert_int_equal(rc, 0);
        else
            assert_int_equal(rc, ERR_THROTTLED);
        accepted += rc == 0;
        if (k == 0) usleep(50000); /* the worker takes the first */
    }
    job_info in = info_of(j, "export");
    assert_true(in.queue);
    assert_int_equal(in.active, 1);
    assert_int_equal(in.waiting, 4);
    usleep(30000);
    assert_true(info_of(j, "export").lag_ms >= 20); /* the oldest waiting */
    atomic_store(&o.hold, 0);
    for (int i = 0; i < 300 && ran(&o) < accepted; i++) usleep(10000);
    assert_int_equal(ran(&o), accepted);
    for (int k = 0; k < accepted; k++) assert_int_equal(o.seen[k], k);
    assert_int_equal(jobs_submit(j, "nothing", run_item, NULL, &items[9], &e), ERR_IO);
    jobs_free(j);
    assert_int_equal(o.dropped, 0);
}

/* ---- stopping ---- */

static char stopped[8];
static int nstopped;
static void note_a(void *arg) { (void)arg, stopped[nstopped++] = 'a'; }
static void note_b(void *arg) { (void)arg, stopped[nstopped++] = 'b'; }
static void note_c(void *arg) { (void)arg, stopped[nstopped++] = 'c'; }

static int long_turn(void *arg, const job_run *r, err *e) {
    (void)arg, (void)e;
    for (int i = 0; i < 3000 && !r->stopping(r); i++) usleep(10000); /* 30 s unless told */
    return 0;
}

static int quick_turn(void *arg, const job_run *r, err *e) {
    (void)arg, (void)r, (void)e;
    return 0;
}

static void stop_in_reverse_and_long_turns_told(void **st) {
    (void)st;
    jobs *j;
    err e = {0};
    order o = {.mu = PTHREAD_MUTEX_INITIALIZER};
    item items[4];
    nstopped = 0;
    assert_int_equal(jobs_new(&j, &e), 0);
    assert_int_equal(jobs_every(j, &(job_def){"a", 10, quick_turn, note_a, NULL}, &e), 0);
    assert_int_equal(jobs_every(j, &(job_def){"b", 10, long_turn, note_b, NULL}, &e), 0);
    assert_int_equal(jobs_queue(j, "q", 1, 8, &e), 0);
    assert_int_equal(jobs_every(j, &(job_def){"c", 10, quick_turn, note_c, NULL}, &e), 0);
    atomic_store(&o.hold, 1);
    for (int k = 0; k < 4; k++) {
        items[k] = (item){&o, k};
        assert_int_equal(jobs_submit(j, "q", run_item, drop_item, &items[k], &e), 0);
    }
    usleep(100000); /* b is inside its long turn, the queue's first task holds */
    atomic_store(&o.hold, 0);
    int64_t t0 = mono_ms();
    jobs_free(j);
    assert_true(mono_ms() - t0 < 5000); /* not the 30 s of b's turn */
    assert_int_equal(nstopped, 3);
    assert_memory_equal(stopped, "cba", 3);
    assert_int_equal(o.n + o.dropped, 4); /* each task run or dropped, once */
}

/* Threads keep submitting and the periodic jobs keep turning while the
 * module stops. */
typedef struct load {
    jobs *j;
    order *o;
    item items[2][100];
    atomic_int accepted, next;
} load;

static void *submitter(void *arg) {
    load *l = arg;
    err e = {0};
    int me = atomic_fetch_add(&l->next, 1);
    for (int k = 0; k < 100; k++) {
        l->items[me][k] = (item){l->o, me * 100 + k};
        if (!jobs_submit(l->j, "q", run_item, drop_item, &l->items[me][k], &e)) atomic_fetch_add(&l->accepted, 1);
        usleep(200);
    }
    return NULL;
}

static void stop_under_load(void **st) {
    (void)st;
    jobs *j;
    err e = {0};
    order o = {.mu = PTHREAD_MUTEX_INITIALIZER};
    counter c1 = {0}, c2 = {0};
    load l = {.o = &o};
    assert_int_equal(jobs_new(&j, &e), 0);
    l.j = j;
    assert_int_equal(jobs_every(j, &(job_def){"one", 1, count_turn, count_done, &c1}, &e), 0);
    assert_int_equal(jobs_every(j, &(job_def){"two", 1, count_turn, count_done, &c2}, &e), 0);
    assert_int_equal(jobs_queue(j, "q", 2, 200, &e), 0);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, submitter, &l);
    usleep(10000);
    jobs_stop(j); /* while they submit */
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    /* after the stop nothing more is taken */
    item late = {&o, -1};
    assert_int_equal(jobs_submit(j, "q", run_item, drop_item, &late, &e), ERR_IO);
    assert_int_equal(o.n + o.dropped, atomic_load(&l.accepted));
    assert_int_equal(atomic_load(&c1.done), 1);
    assert_int_equal(atomic_load(&c2.done), 1);
    assert_true(atomic_load(&c1.turns) > 0 && atomic_load(&c2.turns) > 0);
    jobs_free(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(turns_come_at_their_period),
        cmocka_unit_test(a_failure_is_the_last_error_until_a_success),
        cmocka_unit_test(a_stuck_turn_shows_as_lag),
        cmocka_unit_test(a_queue_runs_in_order_and_is_bounded),
        cmocka_unit_test(stop_in_reverse_and_long_turns_told),
        cmocka_unit_test(stop_under_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
