/* store_eval: see store_eval.h. */
#include "store/store_eval.h"

#include <stdio.h>
#include <string.h>

#include "store/store_case.h"
#include "store/store_int.h"
#include "store/store_ref.h"

#define POINT_COLS "p.id, p.code, p.name, p.place, u.id, u.code, u.name, p.active, p.created_at"
#define POINT_FROM " FROM service_points p JOIN units u ON u.id = p.unit_id"

static void read_point(db_stmt *st, service_point *p) {
    memset(p, 0, sizeof *p);
    p->id = db_col_int(st, 0);
    st_col_copy(st, 1, p->code, sizeof p->code);
    p->name = st_col_dup(st, 2);
    p->place = st_col_dup(st, 3);
    st_read_ref(st, 4, &p->unit);
    p->active = db_col_int(st, 7) != 0;
    p->created_at = db_col_int(st, 8);
}

static int point_where(store *s, const char *where, int64_t id, const char *code,
                       service_point *out, err *e) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT " POINT_COLS POINT_FROM " WHERE %s", where);
    db_stmt *st;
    int rc = st_prepare(s, sql, 0, &st, e);
    if (rc) return rc;
    if (code)
        db_bind_text(st, 1, code);
    else
        db_bind_int(st, 1, id);
    if ((rc = db_first(st, e)) == 0) read_point(st, out);
    if (rc == ERR_NOTFOUND) err_set(e, ERR_NOTFOUND, code ? "code" : "id", "no service point %s",
                                    code ? code : "with that id");
    db_finalize(st);
    return rc;
}

int store_point_get(store *s, int64_t id, service_point *out, err *e) {
    return point_where(s, "p.id = ?1", id, NULL, out, e);
}

int store_point_by_code(store *s, const char *code, service_point *out, err *e) {
    return point_where(s, "p.code = ?1", 0, code, out, e);
}

/* A code nobody can guess from another: random (or, for the demo, from its
 * key source, so that a seed gives the same codes). */
static void new_code(store *s, int64_t salt, char out[POINT_CODE_LEN + 1]) {
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32: no bias */
    unsigned char key[32];
    st_new_key(s, -1 - salt, key);
    for (int i = 0; i < POINT_CODE_LEN; i++) out[i] = alphabet[key[i] & 31];
    out[POINT_CODE_LEN] = '\0';
}

int store_point_put(store *s, service_point *p, int64_t now, err *e) {
    int rc = point_check(p, e);
    if (rc) return rc;
    if (store_unit_find(s, p->unit.code, &p->unit, e))
        return err_set(e, ERR_INVALID, "unit", "no unit '%s'", p->unit.code);
    if ((rc = st_tx_begin(s, e))) return rc;
    db_stmt *st = NULL;
    if (p->id) {
        rc = st_prepare(s, "UPDATE service_points SET name = ?2, place = ?3, unit_id = ?4,"
                           " active = ?5 WHERE id = ?1", 0, &st, e);
    } else {
        new_code(s, now * 1000 + p->unit.id % 1000, p->code);
        p->created_at = now;
        rc = st_prepare(s, "INSERT INTO service_points(code, name, place, unit_id, active,"
                           " created_at) VALUES(?6, ?2, ?3, ?4, ?5, ?7)", DB_RETURNS_ID, &st, e);
    }
    if (!rc) {
        if (p->id) db_bind_int(st, 1, p->id);
        db_bind_text(st, 2, p->name);
        db_bind_text(st, 3, p->place && p->place[0] ? p->place : NULL);
        db_bind_int(st, 4, p->unit.id);
        db_bind_int(st, 5, p->active);
        if (!p->id) {
            db_bind_text(st, 6, p->code);
            db_bind_int(st, 7, now);
        }
        rc = st_fail(db_run(st, e), e, "service point");
        if (!rc && !p->id) p->id = db_last_id(s->db);
        else if (!rc && db_changes(s->db) == 0)
            rc = err_set(e, ERR_NOTFOUND, "id", "no service point %lld", (long long)p->id);
        db_finalize(st);
    }
    return st_tx_end(s, rc, e);
}

int store_point_list(store *s, int64_t unit_id, store_point_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " POINT_COLS POINT_FROM " WHERE (?1 = 0 OR p.unit_id = ?1)"
                           " ORDER BY u.code, p.name, p.id", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, unit_id);
    while (db_next(st, &rc, e)) {
        service_point p;
        read_point(st, &p);
        rc = fn(ctx, &p);
        point_clear(&p);
    }
    db_finalize(st);
    return rc;
}

/* The evaluations of point since `since` from this device (addr NULL) or
 * this address. */
static int recent(store *s, int64_t point, int64_t since, const unsigned char *device,
                  const char *addr, int64_t *n, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, device ? "SELECT count(*) FROM evaluations WHERE point_id = ?1"
                                    " AND at >= ?2 AND device = ?3"
                                  : "SELECT count(*) FROM evaluations WHERE point_id = ?1"
                                    " AND at >= ?2 AND addr = ?3", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, point);
    db_bind_int(st, 2, since);
    if (device)
        db_bind_blob(st, 3, device, 16);
    else
        db_bind_text(st, 3, addr);
    if (!(rc = db_first(st, e))) *n = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

/* Two evaluations from one device at once: the second waits for the
 * first's commit (SQLite's single writer does it already). */
static const store_sql lock_point = {"", "SELECT id FROM service_points WHERE id = ?1 FOR UPDATE"};

static int throttle(store *s, const service_point *p, const store_eval_source *src, int64_t now,
                    err *e) {
    int64_t n = 0;
    db_stmt *st;
    int rc = 0;
    if (st_sql(s, &lock_point)[0] && !(rc = st_prepare(s, st_sql(s, &lock_point), 0, &st, e))) {
        db_bind_int(st, 1, p->id);
        rc = db_first(st, e);
        db_finalize(st);
    }
    if (rc || (rc = recent(s, p->id, now - 3600, src->device, NULL, &n, e))) return rc;
    if (n > 0)
        return err_set(e, ERR_THROTTLED, "device",
                       "this device has evaluated this service point within the hour");
    if ((rc = recent(s, p->id, now - 3600, NULL, src->addr, &n, e))) return rc;
    if (n >= src->addr_per_hour)
        return err_set(e, ERR_THROTTLED, "addr",
                       "too many evaluations of this service point from one address this hour");
    return 0;
}

static int make_case(store *s, const service_point *p, const evaluation *ev, int64_t now,
                     case_rec *c, err *e) {
    char title[256], desc[2048];
    case_rec in = {0};
    eval_case(ev, p, now, &in, title, sizeof title, desc, sizeof desc);
    int rc = store_case_create(s, &in, "码上评", e);
    if (rc) return rc;
    case_req r = {.action = ACT_DISPATCH, .at = now, .actor = "码上评", .until = INT32_MIN,
                  .solved = -1, .lead = p->unit};
    return st_act_in_tx(s, in.id, 0, &r, c, e);
}

int store_eval_add(store *s, const service_point *p, const evaluation *ev,
                   const store_eval_source *src, int64_t now, case_rec *c, err *e) {
    memset(c, 0, sizeof *c);
    int rc = eval_check(ev, e);
    if (rc) return rc;
    if (!p->active) return err_set(e, ERR_CONFLICT, "code", "this service point no longer takes evaluations");
    /* a batch, so that the case's own transaction nests; everything in one
     * savepoint, so that a refusal undoes only this (inside a caller's batch
     * too) */
    if ((rc = store_begin(s, e))) return rc;
    if ((rc = st_tx_begin(s, e))) {
        store_rollback(s);
        return rc;
    }
    db_stmt *st = NULL;
    if (!(rc = throttle(s, p, src, now, e)) && eval_makes_case(ev)) rc = make_case(s, p, ev, now, c, e);
    if (!rc && !(rc = st_prepare(s, "INSERT INTO evaluations(point_id, unit_id, level, reasons,"
                                    " comment, device, addr, at, case_id)"
                                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", 0, &st, e))) {
        db_bind_int(st, 1, p->id);
        db_bind_int(st, 2, p->unit.id);
        db_bind_int(st, 3, ev->level);
        db_bind_int(st, 4, ev->reasons);
        db_bind_text(st, 5, ev->comment && ev->comment[0] ? ev->comment : NULL);
        db_bind_blob(st, 6, src->device, 16);
        db_bind_text(st, 7, src->addr);
        db_bind_int(st, 8, now);
        db_bind_id(st, 9, c->id);
        rc = st_fail(db_run(st, e), e, "evaluation");
        db_finalize(st);
    }
    rc = st_tx_end(s, rc, e);
    err ignored = {0};
    int committed = store_commit(s, rc ? &ignored : e);
    if (!rc) rc = committed;
    if (rc) {
        case_rec_clear(c);
        memset(c, 0, sizeof *c);
    }
    return rc;
}

int store_eval_stats(store *s, int64_t from, int64_t to, int64_t unit_id, store_eval_fn fn,
                     void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(
        s,
        "SELECT p.id, p.code, p.name, u.id, u.code, u.name,"
        " sum(CASE WHEN v.level = 1 THEN 1 ELSE 0 END), sum(CASE WHEN v.level = 2 THEN 1 ELSE 0 END),"
        " sum(CASE WHEN v.level = 3 THEN 1 ELSE 0 END), sum(CASE WHEN v.level = 4 THEN 1 ELSE 0 END),"
        " sum(CASE WHEN v.level = 5 THEN 1 ELSE 0 END),"
        " sum(CASE WHEN v.level >= 4 AND v.case_id IS NOT NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN v.level >= 4 AND c.resolved_at IS NOT NULL THEN 1 ELSE 0 END)"
        " FROM evaluations v JOIN service_points p ON p.id = v.point_id"
        " JOIN units u ON u.id = v.unit_id LEFT JOIN cases c ON c.id = v.case_id"
        " WHERE v.at >= ?1 AND v.at < ?2 AND (?3 = 0 OR v.unit_id = ?3)"
        " GROUP BY p.id, p.code, p.name, u.id, u.code, u.name ORDER BY u.code, p.name, p.id",
        0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, to);
    db_bind_int(st, 3, unit_id);
    while (db_next(st, &rc, e)) {
        store_eval_row r = {.point_id = db_col_int(st, 0), .point_name = db_col_text(st, 2)};
        st_col_copy(st, 1, r.point_code, sizeof r.point_code);
        st_read_ref(st, 3, &r.unit);
        for (int l = EV_VERY_SATISFIED; l < EV_COUNT; l++) r.by_level[l] = db_col_int(st, 5 + l);
        r.bad_cases = db_col_int(st, 11);
        r.bad_fixed = db_col_int(st, 12);
        rc = fn(ctx, &r);
    }
    db_finalize(st);
    return rc;
}
