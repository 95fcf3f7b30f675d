/* A calendar + default policy environment and helpers to drive a case, shared
 * by the core tests. */
#ifndef DUBAN_TEST_CASE_FIXTURE_H
#define DUBAN_TEST_CASE_FIXTURE_H

#include <limits.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "core/case.h"
#include "core/policy.h"
#include "util/datetime.h"

#define TZ 28800

typedef struct fixture {
    cal *cal;
    pol_table pol;
    case_env env;
} fixture;

static inline fixture *fixture_new(void) {
    fixture *f = calloc(1, sizeof *f);
    if (cal_builtin_new(&f->cal, NULL)) abort();
    pol_defaults(&f->pol);
    f->env = (case_env){.cal = f->cal, .pol = &f->pol, .tz = TZ};
    return f;
}

static inline void fixture_free(fixture *f) {
    cal_free(f->cal);
    free(f);
}

static inline int64_t T(const char *s) {
    int64_t t;
    if (dt_parse_instant(s, TZ, &t, NULL)) abort();
    return t;
}

static inline unit_ref unit(int64_t id, const char *code) {
    unit_ref u = {.id = id};
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "单位%s", code);
    return u;
}

/* A fresh case received at `at`. */
static inline void new_case(fixture *f, case_rec *c, case_channel ch, case_class cl,
                            const char *at) {
    case_event ev;
    memset(c, 0, sizeof *c);
    c->id = 1;
    c->channel = ch;
    c->klass = cl;
    c->title = strdup("道路积水");
    c->received_at = T(at);
    if (case_create(c, &f->env, "test", &ev, NULL)) abort();
    case_event_clear(&ev);
}

/* A request with every input filled, so only legality decides. */
static inline case_req full_req(case_action a, int64_t at) {
    case_req r;
    case_req_init(&r, a, at, "test");
    r.note = "已到现场处理完毕";
    /* a reassignment moves the case to another unit than the dispatch's */
    r.lead = a == ACT_REASSIGN ? unit(12, "jtj") : unit(10, "cgj");
    r.assist[0] = unit(11, "hyj");
    r.n_assist = 1;
    /* a 批示 may only bring a deadline forward, and only a 领导交办 task is
     * dispatched with its own day: without a day here */
    r.until = a == ACT_INSTRUCT || a == ACT_DISPATCH ? INT32_MIN : dt_days_from_civil(2026, 12, 30);
    r.satisfaction = SAT_SATISFIED;
    r.solved = 1;
    r.into = a == ACT_MERGE || a == ACT_FOLLOW ? 999 : 0; /* the main case */
    static const case_file photo = {.id = 5, .name = "现场.jpg", .mime = "image/jpeg", .size = 1000,
                                    .published = true};
    if (a == ACT_ATTACH || a == ACT_PUBLISH_ATTACHMENT) r.file = &photo;
    return r;
}

static inline int act(fixture *f, case_rec *c, case_action a, const char *at) {
    case_req r = full_req(a, T(at));
    case_event ev = {0};
    int rc = case_apply(c, &r, &f->env, &ev, NULL);
    case_event_clear(&ev);
    return rc;
}

#endif
