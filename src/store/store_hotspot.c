/* store_hotspot: see store_hotspot.h. */
#include "store/store_hotspot.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_case.h"
#include "store/store_int.h"
#include "store/store_ref.h"

void store_hot_rule(store *s, hot_rule *r) {
    char v[32] = "";
    hot_rule_default(r);
    if (!store_config_get(s, "hotspot_rule", v, sizeof v, NULL) && v[0]) hot_rule_parse(v, r, NULL);
}

static int by_p(const void *a, const void *b) {
    const store_hotspot *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return x->week[0] > y->week[0] ? -1 : x->week[0] < y->week[0];
}

/* Judges the pair gathered in cur; keeps it when hot. */
static int settle(const hot_rule *r, store_hotspot *cur, store_hotspot **out, size_t *n, size_t *cap,
                  err *e) {
    if (!cur->category.id || !hot_judge(r, cur->week, &cur->mean, &cur->p)) return 0;
    if (st_grow(out, cap, *n, sizeof **out, e)) return ERR_NOMEM;
    (*out)[(*n)++] = *cur;
    return 0;
}

static const char *const place_names[] = {[HOT_BY_TOWNSHIP] = "township", [HOT_BY_UNIT] = "unit"};

/* The case made from pair h in the 7 days before now into h->task_*. */
static int made_lately(store *s, store_hotspot *h, hot_place by, int64_t now, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT c.id, c.case_no FROM hotspot_tasks t JOIN cases c ON c.id = t.case_id"
                           " WHERE t.category_id = ?1 AND t.place = ?2 AND t.place_id = ?3"
                           " AND t.made_at > ?4 ORDER BY t.made_at DESC",
                        0, &st, e);
    if (rc) return st_fail(rc, e, "hot spot cases");
    db_bind_int(st, 1, h->category.id);
    db_bind_text(st, 2, place_names[by]);
    db_bind_int(st, 3, h->place.id);
    db_bind_int(st, 4, now - HOT_WEEK_S);
    h->task_id = 0;
    h->task_no[0] = '\0';
    if ((rc = db_first(st, e)) == 0) {
        h->task_id = db_col_int(st, 0);
        st_col_copy(st, 1, h->task_no, sizeof h->task_no);
    }
    db_finalize(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_hotspots(store *s, int64_t at, hot_place by, store_hotspot **out, size_t *n, err *e) {
    static const char *const sql[] = {
        /* the cases' rows in order of pair, then week: one pass, no lookup */
        [HOT_BY_TOWNSHIP] =
            "SELECT k.id, k.code, k.name, u.id, u.code, u.name, (?2 - 1 - c.received_at) / 604800 AS w,"
            " count(*) FROM cases c JOIN categories k ON k.id = c.category_id"
            " JOIN units u ON u.id = c.township_id"
            " WHERE c.received_at >= ?1 AND c.received_at < ?2 AND c.merged_into IS NULL"
            " GROUP BY k.id, k.code, k.name, u.id, u.code, u.name, w ORDER BY k.id, u.id, w",
        [HOT_BY_UNIT] =
            "SELECT k.id, k.code, k.name, u.id, u.code, u.name, (?2 - 1 - c.received_at) / 604800 AS w,"
            " count(*) FROM cases c JOIN categories k ON k.id = c.category_id"
            " JOIN units u ON u.id = c.lead_unit_id"
            " WHERE c.received_at >= ?1 AND c.received_at < ?2 AND c.merged_into IS NULL"
            " GROUP BY k.id, k.code, k.name, u.id, u.code, u.name, w ORDER BY k.id, u.id, w",
    };
    hot_rule r;
    store_hot_rule(s, &r);
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    db_stmt *st;
    int rc = st_prepare(s, sql[by], DB_LARGE, &st, e);
    if (rc) return st_fail(rc, e, "hot spots");
    db_bind_int(st, 1, at - (int64_t)(HOT_WEEKS + 1) * HOT_WEEK_S);
    db_bind_int(st, 2, at);
    store_hotspot cur = {0};
    while (!rc && db_next(st, &rc, e)) {
        int64_t cat = db_col_int(st, 0), place = db_col_int(st, 3), w = db_col_int(st, 6);
        if (cat != cur.category.id || place != cur.place.id) {
            if ((rc = settle(&r, &cur, out, n, &cap, e))) break;
            memset(&cur, 0, sizeof cur);
            st_read_ref(st, 0, &cur.category);
            st_read_ref(st, 3, &cur.place);
        }
        if (w >= 0 && w <= HOT_WEEKS) cur.week[w] = db_col_int(st, 7);
    }
    db_finalize(st);
    if (!rc) rc = settle(&r, &cur, out, n, &cap, e);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    if (*n) qsort(*out, *n, sizeof **out, by_p);
    if (*n > STORE_HOTSPOTS_MAX) *n = STORE_HOTSPOTS_MAX;
    for (size_t i = 0; !rc && i < *n; i++) rc = made_lately(s, &(*out)[i], by, at, e);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- a hot spot made into a case ---- */

/* The unit that usually handles the category; id 0 when none. */
static int usual_unit(store *s, int64_t category, unit_ref *u, err *e) {
    db_stmt *st;
    memset(u, 0, sizeof *u);
    int rc = st_prepare(s, "SELECT u.id, u.code, u.name FROM categories k JOIN units u ON u.id = k.unit_id"
                           " WHERE k.id = ?1", 0, &st, e);
    if (rc) return st_fail(rc, e, "category");
    db_bind_int(st, 1, category);
    if ((rc = db_first(st, e)) == 0) st_read_ref(st, 0, u);
    db_finalize(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_hotspot_task(store *s, const store_hotspot *h, hot_place by, const char *actor, int64_t now,
                       case_rec *out, err *e) {
    char title[256], desc[1024];
    memset(out, 0, sizeof *out);
    hot_task_text(h->category.name, h->place.name, h->week, h->mean, title, sizeof title, desc, sizeof desc);
    case_rec in = {.channel = CH_LEADER_TASK, .klass = CL_GENERAL, .title = title, .description = desc,
                   .received_at = now, .category = h->category};
    if (by == HOT_BY_TOWNSHIP) in.township = h->place;
    unit_ref to = by == HOT_BY_UNIT ? h->place : (unit_ref){0};
    int rc = store_begin(s, e);
    if (rc) return rc;
    if ((rc = st_tx_begin(s, e))) {
        store_rollback(s);
        return rc;
    }
    store_hotspot now_h = *h;
    if (!(rc = made_lately(s, &now_h, by, now, e)) && now_h.task_id)
        rc = err_set(e, ERR_CONFLICT, "category", "this hot spot was made into case %s in the last 7 days",
                     now_h.task_no);
    if (!rc && !to.id) rc = usual_unit(s, h->category.id, &to, e);
    if (!rc) rc = store_case_create(s, &in, actor, e);
    if (!rc && to.id) {
        case_req r = {.action = ACT_DISPATCH, .at = now, .actor = actor, .until = INT32_MIN, .solved = -1,
                      .lead = to};
        rc = st_act_in_tx(s, in.id, 0, &r, out, e);
    } else if (!rc) {
        rc = store_case_get(s, in.id, out, e);
    }
    db_stmt *st = NULL;
    if (!rc && !(rc = st_prepare(s, "INSERT INTO hotspot_tasks(category_id, place, place_id, made_at, case_id)"
                                    " VALUES(?1, ?2, ?3, ?4, ?5)", 0, &st, e))) {
        db_bind_int(st, 1, h->category.id);
        db_bind_text(st, 2, place_names[by]);
        db_bind_int(st, 3, h->place.id);
        db_bind_int(st, 4, now);
        db_bind_int(st, 5, in.id);
        rc = st_fail(db_run(st, e), e, "hot spot case");
        db_finalize(st);
    }
    rc = st_tx_end(s, rc, e);
    err ignored = {0};
    int committed = store_commit(s, rc ? &ignored : e);
    if (!rc) rc = committed;
    if (rc) case_rec_clear(out);
    return rc;
}
