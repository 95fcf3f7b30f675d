/* store_eval: 码上评's service points and evaluations (core/eval.h). An
 * evaluation that becomes a case is written in one transaction with the case
 * it makes, already dispatched to the point's unit. */
#ifndef DUBAN_STORE_EVAL_H
#define DUBAN_STORE_EVAL_H

#include "core/eval.h"
#include "store/store.h"

/* A new point (p->id == 0: a fresh random code into p->code, the id into
 * p->id) or changes to point p->id (name, place, unit, active). The unit
 * comes as a code in p->unit.code, resolved here (ERR_INVALID if unknown). */
int store_point_put(store *s, service_point *p, int64_t now, err *e);
int store_point_get(store *s, int64_t id, service_point *out, err *e);
/* By the code in its QR (ERR_NOTFOUND if none). */
int store_point_by_code(store *s, const char *code, service_point *out, err *e);
/* Every point (of one unit when unit_id is not 0), by unit then name. */
typedef int (*store_point_fn)(void *ctx, const service_point *p);
int store_point_list(store *s, int64_t unit_id, store_point_fn fn, void *ctx, err *e);

/* Where an evaluation came from, for the throttle: one per device per point
 * per hour; at most addr_per_hour from one address per point per hour (a
 * hall's visitors share one Wi-Fi address). */
typedef struct store_eval_source {
    unsigned char device[16]; /* a digest of the device cookie */
    const char *addr;
    int addr_per_hour;
    /* the page token's nonce (core/eval.h), taken once; NULL: none (the
     * command line, the demo) */
    const unsigned char *nonce;
} store_eval_source;

/* The burst rule (docs/rules.md), configuration qr_burst "MIN/FACTOR": a
 * point's evaluations in the hour before one arrives, beyond MIN and beyond
 * FACTOR times its busiest hour of the 28 days before, are a burst: that
 * hour's evaluations are held for the 督查室's review, count in no figure
 * and make no case until released. */
#define STORE_BURST_DEFAULT "20/3"

/* Records ev for point p at `now` (ERR_THROTTLED past a limit, naming which;
 * ERR_CONFLICT naming "token" for a nonce taken before); when it makes a
 * case (eval_makes_case) and is not held, creates it on channel qr and
 * dispatches it to the point's unit as actor "码上评", the case into c (owned:
 * case_rec_clear); else c->id is 0. *held: whether the burst rule held it. */
int store_eval_add(store *s, const service_point *p, const evaluation *ev,
                   const store_eval_source *src, int64_t now, case_rec *c, bool *held, err *e);
/* The 督查室's decision on a held evaluation: released (it counts from now
 * on) or discarded (it never counts); access-logged, chained. */
int store_eval_release(store *s, int64_t id, bool release, const char *note, int64_t user_id, const char *by,
                       int64_t now, err *e);

/* Evaluations received in [from, to) per point, as of `at` (an evaluation,
 * an upheld 申诉复核 or a 整改 after `at` does not count): the count at each
 * level; the 实名差评 (left with contact details) that became cases
 * (bad_cases), of those the ones whose 整改 deadline had passed or that were
 * put right before it (bad_due, 整改率's denominator), those put right by
 * the deadline (bad_fixed), and the anonymous 差评 apart. Points with no
 * evaluation in the period are left out. */
typedef struct store_eval_row {
    int64_t point_id;
    char point_code[POINT_CODE_LEN + 1];
    const char *point_name;
    unit_ref unit;
    int64_t by_level[EV_COUNT]; /* [EV_NONE] unused; upheld 申诉复核 left out */
    int64_t bad_cases, bad_due, bad_fixed;
    int64_t bad_anonymous; /* 差评 without contact details: counted, not in 整改率 */
    int64_t excluded; /* 差评 taken out by an upheld 申诉复核 */
} store_eval_row;
typedef int (*store_eval_fn)(void *ctx, const store_eval_row *r);
int store_eval_stats(store *s, int64_t from, int64_t to, int64_t at, int64_t unit_id, store_eval_fn fn,
                     void *ctx, err *e);

/* 申诉复核 of a 差评: the point's unit contests it with its reasons; the
 * 督查室 upholds it (it leaves the figures above) or rejects it. Each step
 * is written to the access log in the same transaction. */
typedef struct store_eval_item {
    int64_t id, at;
    char point_code[POINT_CODE_LEN + 1];
    const char *point_name, *comment; /* borrowed for the callback */
    unit_ref unit;
    eval_level level;
    unsigned reasons;
    char case_no[CASE_CODE_MAX]; /* the case it made; "" for none */
    case_review review;
    const char *review_reason, *review_by, *decision_note, *decided_by;
    int64_t review_at, decided_at;
    const char *hold; /* the burst rule's: "held", "released", "discarded"; NULL: none */
} store_eval_item;
typedef struct store_eval_filter {
    int64_t unit_id;       /* 0: every unit */
    int64_t from, to;      /* [from, to); 0: open */
    bool bad_only;         /* only 差评 */
    int review;            /* case_review, REVIEW_NONE (0): any */
    bool held_only;        /* only those the burst rule holds */
    int64_t before_id;     /* newest first, ids below this; 0: from the newest */
    int limit;             /* 1..200 */
} store_eval_filter;
typedef int (*store_eval_item_fn)(void *ctx, const store_eval_item *it);
int store_eval_list(store *s, const store_eval_filter *f, store_eval_item_fn fn, void *ctx, err *e);
/* unit: the appealing unit (a 差评 of another unit is ERR_NOTFOUND, as a
 * missing one); ERR_CONFLICT unless a 差评 never contested. */
int store_eval_review(store *s, int64_t id, int64_t unit, const char *reason, int64_t user_id,
                      const char *by, int64_t now, err *e);
/* ERR_CONFLICT unless an appeal waits for a decision. */
int store_eval_decide(store *s, int64_t id, bool upheld, const char *note, int64_t user_id,
                      const char *by, int64_t now, err *e);

#endif
