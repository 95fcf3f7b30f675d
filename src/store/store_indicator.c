/* store_indicator: see store_indicator.h. */
#include "store/store_indicator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int store_indicators(store *s, int year, int64_t at, store_indicator **out, size_t *n, err *e) {
    db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = st_prepare(s, "SELECT i.code, i.grp, i.name, v.kind, v.period, v.ord, v.value, v.demo, v.source"
                           " FROM indicators i LEFT JOIN indicator_log v ON v.indicator_id = i.id"
                           " AND v.year = ?1 AND v.entered_at <= ?2 AND NOT EXISTS (SELECT 1 FROM indicator_log w"
                           " WHERE w.year = v.year AND w.indicator_id = v.indicator_id AND w.kind = v.kind"
                           " AND w.period = v.period AND w.entered_at <= ?2 AND (w.entered_at > v.entered_at"
                           " OR (w.entered_at = v.entered_at AND w.id > v.id)))"
                           " ORDER BY i.ord, v.kind, v.ord",
                        0, &st, e);
    if (rc) return st_fail(rc, e, "indicators");
    db_bind_int(st, 1, year);
    db_bind_int(st, 2, at);
    while (db_next(st, &rc, e)) {
        const char *code = db_col_text(st, 0);
        if (!*n || strcmp((*out)[*n - 1].code, code)) {
            if ((rc = st_grow(out, &cap, *n, sizeof **out, e))) break;
            store_indicator *x = &(*out)[(*n)++];
            memset(x, 0, sizeof *x);
            st_col_copy(st, 0, x->code, sizeof x->code);
            st_col_copy(st, 1, x->grp, sizeof x->grp);
            st_col_copy(st, 2, x->name, sizeof x->name);
        }
        store_indicator *x = &(*out)[*n - 1];
        if (db_col_null(st, 3)) continue;
        bool target = !strcmp(db_col_text(st, 3), "target");
        if (!target && x->n_actual == STORE_IND_PERIODS) continue;
        store_ind_value *v = target ? &x->target : &x->actual[x->n_actual++];
        x->has_target |= target;
        st_col_copy(st, 4, v->period, sizeof v->period);
        v->ord = (int)db_col_int(st, 5);
        v->value = db_col_double(st, 6);
        v->demo = db_col_int(st, 7) != 0;
        st_col_copy(st, 8, v->source, sizeof v->source);
    }
    db_finalize(st);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int store_indicator_years(store *s, int *years, int max, int *n, err *e) {
    db_stmt *st;
    *n = 0;
    int rc = st_prepare(s, "SELECT DISTINCT year FROM indicator_values ORDER BY year DESC", 0, &st, e);
    if (rc) return st_fail(rc, e, "indicator years");
    while (*n < max && db_next(st, &rc, e)) years[(*n)++] = (int)db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

int store_indicator_put(store *s, const ind_row *rows, size_t n, const char *by, int64_t now, err *e) {
    db_stmt *find = NULL, *put = NULL, *log = NULL;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    if (!(rc = st_prepare(s, "SELECT id FROM indicators WHERE code = ?1", 0, &find, e)))
        rc = st_prepare(s, "INSERT INTO indicator_values(indicator_id, kind, period, year, ord, value, demo,"
                           " source, entered_by, entered_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                           " ON CONFLICT(indicator_id, kind, period) DO UPDATE SET value = excluded.value,"
                           " demo = excluded.demo, source = excluded.source, entered_by = excluded.entered_by,"
                           " entered_at = excluded.entered_at",
                        0, &put, e);
    /* and as reported, for the values as of a moment (migration 39) */
    if (!rc)
        rc = st_prepare(s, "INSERT INTO indicator_log(indicator_id, kind, period, year, ord, value, demo, source,"
                           " entered_at) SELECT indicator_id, kind, period, year, ord, value, demo, source, entered_at"
                           " FROM indicator_values WHERE indicator_id = ?1 AND kind = ?2 AND period = ?3",
                        0, &log, e);
    for (size_t i = 0; !rc && i < n; i++) {
        const ind_row *r = &rows[i];
        int year, ord;
        char where[24] = "";
        if (r->line) snprintf(where, sizeof where, "row %d: ", r->line);
        db_reset(find);
        db_bind_text(find, 1, r->code);
        if ((rc = db_first(find, e)) == ERR_NOTFOUND) {
            rc = err_set(e, ERR_INVALID, "code", "%sno indicator '%s'", where, r->code);
            break;
        }
        if (rc || (rc = ind_period_parse(r->period, &year, &ord, "period", e))) break;
        if (r->kind == IND_TARGET && strlen(r->period) != 4) {
            rc = err_set(e, ERR_INVALID, "period", "%sa target is for a whole year (2024), not '%s'", where, r->period);
            break;
        }
        int64_t id = db_col_int(find, 0);
        db_reset(put);
        db_bind_int(put, 1, id);
        db_bind_text(put, 2, ind_kind_name(r->kind));
        db_bind_text(put, 3, r->period);
        db_bind_int(put, 4, year);
        db_bind_int(put, 5, ord);
        db_bind_double(put, 6, r->value);
        db_bind_int(put, 7, r->demo);
        db_bind_text(put, 8, r->source && r->source[0] ? r->source : NULL);
        db_bind_text(put, 9, by);
        db_bind_int(put, 10, now);
        rc = st_fail(db_run(put, e), e, "indicator value");
        if (rc) break;
        db_reset(log);
        db_bind_int(log, 1, id);
        db_bind_text(log, 2, ind_kind_name(r->kind));
        db_bind_text(log, 3, r->period);
        rc = st_fail(db_run(log, e), e, "indicator value");
    }
    if (find) db_finalize(find);
    if (put) db_finalize(put);
    if (log) db_finalize(log);
    return st_tx_end(s, rc, e);
}
