/* store_ref: reference data: the calendar, the deadline policy, units,
 * categories and their attributes; and the migration seeds that fill the
 * calendar and the policy. What a valid code, rule or attribute is belongs to
 * core (ref.h, policy.h); this file only keeps them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar_builtin.h"
#include "core/holiday.h"
#include "core/metrics.h"
#include "store/store_int.h"
#include "store/store_ref.h"

#include "util/datetime.h"

/* ---- calendar ---------------------------------------------------------------- */

static int insert_year(store *s, const cal_year *y, err *e) {
    db_stmt *del = NULL, *ins = NULL;
    int rc;
    if ((rc = st_prepare(s, "DELETE FROM calendar_days WHERE year = ?1", 0, &del, e)) ||
        (rc = st_prepare(s, "INSERT INTO calendar_days(day, date, year, off, name)"
                            " VALUES(?1, ?2, ?3, ?4, ?5)", 0, &ins, e)))
        goto out;
    db_bind_int(del, 1, y->year);
    rc = db_run(del, e);
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        char date[11];
        dt_format_date(y->days[i].day, date);
        db_reset(ins);
        db_bind_int(ins, 1, y->days[i].day);
        db_bind_text(ins, 2, date);
        db_bind_int(ins, 3, y->year);
        db_bind_int(ins, 4, y->days[i].off);
        db_bind_text(ins, 5, y->days[i].name);
        rc = db_run(ins, e);
    }
out:
    db_finalize(del);
    db_finalize(ins);
    return st_fail(rc, e, "calendar");
}

int st_seed_calendar(store *s, err *e) {
    for (int year = CAL_BUILTIN_FIRST; year <= CAL_BUILTIN_LAST; year++) {
        size_t len;
        const char *json = cal_builtin_json(year, &len);
        cal_year y;
        int rc = cal_year_parse(json, len, &y, e);
        if (!rc) rc = insert_year(s, &y, e);
        cal_year_clear(&y);
        if (rc) return rc;
    }
    return 0;
}

/* The provisional cases' ids. */
static int provisional_cases(store *s, int64_t **ids, size_t *n, err *e) {
    db_stmt *st;
    size_t cap = 0;
    int rc = st_prepare(s, "SELECT id FROM cases WHERE provisional <> 0 ORDER BY id", 0, &st, e);
    while (!rc && db_next(st, &rc, e) && !(rc = st_grow(ids, &cap, *n, sizeof **ids, e)))
        (*ids)[(*n)++] = db_col_int(st, 0);
    db_finalize(st);
    return st_fail(rc, e, "provisional deadlines");
}

int store_calendar_import(store *s, const cal_year *y, const char *actor, int64_t now,
                          size_t *recomputed, err *e) {
    int64_t *ids = NULL;
    size_t n = 0;
    *recomputed = 0;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    /* the new year is read back inside the transaction, so the counts use it */
    if (!(rc = insert_year(s, y, e)) && !(rc = st_env_changed(s, e)) && !(rc = st_load_env(s, e)))
        rc = provisional_cases(s, &ids, &n, e);
    for (size_t i = 0; !rc && i < n; i++) {
        case_req r;
        case_rec c = {0};
        case_req_init(&r, ACT_RECOMPUTE, now, actor); /* or the case's last event, if later */
        rc = st_act_in_tx(s, ids[i], 0, &r, &c, e);
        case_rec_clear(&c);
    }
    rc = st_tx_end(s, rc, e);
    free(ids);
    if (!rc) *recomputed = n;
    /* on failure too: the copy read inside the rolled-back transaction goes */
    err e2 = {0};
    int rc2 = st_load_env(s, rc ? &e2 : e);
    return rc ? rc : rc2;
}

int store_calendar_years(store *s, store_cal_year_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT year, sum(off), sum(1 - off) FROM calendar_days"
                           " GROUP BY year ORDER BY year", 0, &st, e);
    while (db_next(st, &rc, e)) {
        store_cal_year y = {(int)db_col_int(st, 0), (int)db_col_int(st, 1), (int)db_col_int(st, 2)};
        rc = fn(ctx, &y);
    }
    db_finalize(st);
    return rc;
}

int store_calendar_days(store *s, int year, store_cal_day_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT day, off, name FROM calendar_days WHERE year = ?1"
                           " ORDER BY day", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, year);
    size_t listed = 0;
    while (db_next(st, &rc, e)) {
        cal_day d = {.day = (int32_t)db_col_int(st, 0), .off = db_col_int(st, 1) != 0};
        st_col_copy(st, 2, d.name, sizeof d.name);
        rc = fn(ctx, &d);
        listed++;
    }
    db_finalize(st);
    if (rc || listed || year < HOL_FIRST || year > HOL_LAST) return rc;
    /* not imported: the days the calendar counts off until it is */
    cal_day law[HOL_DAYS_MAX];
    size_t n = 0;
    rc = hol_statutory(year, law, &n, e);
    for (size_t i = 0; i < n && !rc; i++) rc = fn(ctx, &law[i]);
    return rc;
}

/* ---- policy ------------------------------------------------------------------- */

static int write_policy(store *s, int q, case_channel ch, case_class cl, pol_stage sg,
                        const pol_rule *r, err *e) {
    char text[32];
    db_stmt *st = st_prep(s, q, e);
    if (!st) return ERR_IO;
    pol_rule_format(r, text);
    db_bind_text(st, 1, case_channel_name(ch));
    db_bind_text(st, 2, case_class_name(cl));
    db_bind_text(st, 3, pol_stage_name(sg));
    db_bind_text(st, 4, text);
    return st_fail(db_run(st, e), e, "policy");
}

static int seed_policy(store *s, err *e) {
    pol_table p;
    pol_defaults(&p);
    for (int ch = 0; ch < CH_COUNT; ch++)
        for (int cl = 0; cl < CL_COUNT; cl++)
            for (int sg = 0; sg < POL_STAGE_COUNT; sg++) {
                int rc = write_policy(s, Q_POLICY_SEED, (case_channel)ch, (case_class)cl,
                                      (pol_stage)sg, &p.r[ch][cl][sg], e);
                if (rc) return rc;
            }
    return 0;
}

/* Migration 3 also packed each case's latest state into `metrics`, which
 * migration 37 replaced by the history written from its events: nothing to
 * fill here any more. */
int st_seed_v3(store *s, err *e) { return seed_policy(s, e); }

int store_policy_set(store *s, case_channel ch, case_class cl, pol_stage sg, const pol_rule *r,
                     err *e) {
    int rc = pol_rule_check(sg, r, e);
    if (rc || (rc = st_tx_begin(s, e))) return rc;
    if (!(rc = write_policy(s, Q_POLICY_PUT, ch, cl, sg, r, e))) rc = st_env_changed(s, e);
    rc = st_tx_end(s, rc, e);
    return rc ? rc : st_load_env(s, e);
}

/* ---- units and categories -------------------------------------------------- */

static int find_ref(store *s, int q, const char *what, const char *code, unit_ref *out, err *e) {
    db_stmt *st = st_prep(s, q, e);
    if (!st) return ERR_IO;
    db_bind_text(st, 1, code);
    int rc = db_first(st, e);
    if (rc == ERR_NOTFOUND)
        rc = err_set(e, ERR_NOTFOUND, what, "unknown %s '%s'", what, code ? code : "");
    else if (!rc)
        st_read_ref(st, 0, out);
    db_reset(st);
    return rc;
}

int store_unit_find(store *s, const char *code, unit_ref *out, err *e) {
    return find_ref(s, Q_UNIT_FIND, "unit", code, out, e);
}

int store_category_find(store *s, const char *code, unit_ref *out, err *e) {
    return find_ref(s, Q_CAT_FIND, "category", code, out, e);
}

/* Runs an insert of reference data in its own transaction; a code that is
 * already there is named in the error. */
static int insert_ref(store *s, db_stmt *st, const char *what, const char *code, int64_t *id,
                      err *e) {
    int rc = db_run(st, e);
    if (rc == ERR_CONFLICT)
        err_set(e, ERR_CONFLICT, "code", "%s '%s' already exists", what, code);
    else if (!rc && id)
        *id = db_last_id(s->db);
    return rc;
}

int store_unit_add(store *s, const char *code, const char *name, unit_kind kind,
                   const char *parent_code, int64_t now, int64_t *id, err *e) {
    unit_ref parent = {0};
    int rc = ref_check_code("unit", code, name, e);
    if (rc) return rc;
    if (parent_code && (rc = store_unit_find(s, parent_code, &parent, e))) return rc;
    if ((rc = st_tx_begin(s, e))) return rc;
    db_stmt *st = st_prep(s, Q_UNIT_ADD, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        db_bind_text(st, 1, code);
        db_bind_text(st, 2, name);
        db_bind_text(st, 3, unit_kind_name(kind));
        db_bind_id(st, 4, parent.id);
        db_bind_int(st, 5, now);
        rc = insert_ref(s, st, "unit", code, id, e);
    }
    return st_tx_end(s, rc, e);
}

int store_unit_rename(store *s, const char *code, const char *name, err *e) {
    db_stmt *st;
    int rc = ref_check_code("unit", code, name, e);
    if (rc || (rc = st_prepare(s, "UPDATE units SET name = ?2 WHERE code = ?1", 0, &st, e))) return rc;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    if ((rc = st_write1(s, st, e))) return st_fail(rc, e, "unit");
    if (db_changes(s->db) == 0) return err_set(e, ERR_NOTFOUND, "code", "no unit '%s'", code);
    return 0;
}

int store_unit_list(store *s, store_unit_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT u.id, u.code, u.name, u.kind, p.code FROM units u"
                           " LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code", 0, &st, e);
    while (db_next(st, &rc, e)) {
        store_unit u;
        st_read_ref(st, 0, &u.ref);
        unit_kind_parse(db_col_text(st, 3), &u.kind, NULL);
        st_col_copy(st, 4, u.parent, sizeof u.parent);
        rc = fn(ctx, &u);
    }
    db_finalize(st);
    return rc;
}

int store_category_list(store *s, store_category_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT c.id, c.code, c.name, p.code, u.id, u.code, u.name"
                           " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
                           " LEFT JOIN units u ON u.id = c.unit_id ORDER BY c.code", 0, &st, e);
    while (db_next(st, &rc, e)) {
        store_category c;
        st_read_ref(st, 0, &c.ref);
        st_col_copy(st, 3, c.parent, sizeof c.parent);
        st_read_ref(st, 4, &c.unit);
        rc = fn(ctx, &c);
    }
    db_finalize(st);
    return rc;
}

int store_category_add(store *s, const char *code, const char *name, const char *parent_code,
                       const char *unit_code, int64_t *id, err *e) {
    unit_ref parent = {0}, unit = {0};
    int rc = ref_check_code("category", code, name, e);
    if (rc) return rc;
    if (parent_code && (rc = store_category_find(s, parent_code, &parent, e))) return rc;
    if (unit_code && (rc = store_unit_find(s, unit_code, &unit, e))) return rc;
    if ((rc = st_tx_begin(s, e))) return rc;
    db_stmt *st = st_prep(s, Q_CAT_ADD, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        db_bind_text(st, 1, code);
        db_bind_text(st, 2, name);
        db_bind_id(st, 3, parent.id);
        db_bind_id(st, 4, unit.id);
        rc = insert_ref(s, st, "category", code, id, e);
    }
    return st_tx_end(s, rc, e);
}

int store_category_update(store *s, const char *code, const char *name, const char *unit_code,
                          err *e) {
    unit_ref cat, unit = {0};
    db_stmt *st;
    int rc = store_category_find(s, code, &cat, e);
    if (rc || (name && (rc = ref_check_code("category", code, name, e))) ||
        (unit_code && unit_code[0] && (rc = store_unit_find(s, unit_code, &unit, e))))
        return rc;
    if ((rc = st_prepare(s, "UPDATE categories SET name = coalesce(?2, name),"
                            " unit_id = CASE WHEN ?3 = 1 THEN ?4 ELSE unit_id END WHERE id = ?1",
                         0, &st, e)))
        return rc;
    db_bind_int(st, 1, cat.id);
    db_bind_text(st, 2, name);
    db_bind_int(st, 3, unit_code != NULL);
    db_bind_id(st, 4, unit.id);
    return st_fail(st_write1(s, st, e), e, "category");
}

/* ---- category attributes ---------------------------------------------------------- */

/* An attribute's choices as stored (a JSON array of {key, name}); NULL for
 * a type without choices, or out of memory (*e set). */
static char *choices_json(const ref_attribute *a, err *e) {
    json_t *choices = json_array();
    for (int i = 0; i < a->n_choices; i++)
        json_array_append_new(choices, json_pack("{s:s, s:s}", "key", a->choice_key[i], "name",
                                                 a->choice_name[i]));
    char *text = json_dumps(choices, JSON_COMPACT);
    json_decref(choices);
    if (!text) err_set(e, ERR_NOMEM, "", "out of memory");
    return text;
}

/* ?1 category, ?2 code, ?3 datatype, ?4 required, ?5 description, ?6 choices */
static void bind_attribute(db_stmt *st, int64_t category_id, const ref_attribute *a,
                           const char *choices) {
    db_bind_int(st, 1, category_id);
    db_bind_text(st, 2, a->code);
    db_bind_text(st, 3, a->datatype);
    db_bind_int(st, 4, a->required);
    db_bind_text(st, 5, a->description);
    db_bind_text(st, 6, choices);
}

int store_attribute_put(store *s, const char *category, const ref_attribute *a, bool replace,
                        bool *created, err *e) {
    unit_ref cat;
    db_stmt *st = NULL;
    int rc;
    bool made = false;
    if ((rc = store_category_find(s, category, &cat, e)) || (rc = ref_check_attribute(a, e)))
        return rc;
    bool list = ref_attribute_is_list(a);
    char *text = choices_json(a, e);
    if (!text) return ERR_NOMEM;
    if ((rc = st_tx_begin(s, e))) goto done;
    if (replace && !(rc = st_prepare(s, "UPDATE category_attributes SET datatype = ?3, required = ?4,"
                                        " description = ?5, choices = ?6"
                                        " WHERE category_id = ?1 AND code = ?2", 0, &st, e))) {
        bind_attribute(st, cat.id, a, list ? text : NULL);
        if (!(rc = db_run(st, e))) made = db_changes(s->db) == 0;
        db_finalize(st);
    } else if (!replace) {
        made = true;
    }
    if (!rc && made &&
        !(rc = st_prepare(s, "INSERT INTO category_attributes(category_id, code, datatype,"
                             " required, description, ord, choices) VALUES(?1, ?2, ?3, ?4, ?5,"
                             " (SELECT count(*) + 1 FROM category_attributes"
                             " WHERE category_id = ?1), ?6)", 0, &st, e))) {
        bind_attribute(st, cat.id, a, list ? text : NULL);
        rc = db_run(st, e);
        if (rc == ERR_CONFLICT)
            err_set(e, ERR_CONFLICT, "code", "category '%s' already has attribute '%s'",
                    category, a->code);
        db_finalize(st);
    }
    rc = st_tx_end(s, rc, e);
done:
    free(text);
    if (!rc && created) *created = made;
    return rc;
}

int store_attribute_delete(store *s, const char *category, const char *code, err *e) {
    unit_ref cat;
    db_stmt *st;
    int rc = store_category_find(s, category, &cat, e);
    if (rc || (rc = st_prepare(s, "DELETE FROM category_attributes WHERE category_id = ?1 AND code = ?2",
                               0, &st, e)))
        return rc;
    db_bind_int(st, 1, cat.id);
    db_bind_text(st, 2, code);
    if ((rc = st_write1(s, st, e))) return st_fail(rc, e, "attribute");
    if (db_changes(s->db) == 0)
        return err_set(e, ERR_NOTFOUND, "attribute", "category '%s' has no attribute '%s'", category,
                       code);
    return 0;
}

int store_attribute_list(store *s, const char *category, store_attribute_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT a.code, a.datatype, a.required, a.description, a.ord, a.choices"
                           " FROM category_attributes a JOIN categories c ON c.id = a.category_id"
                           " WHERE c.code = ?1 ORDER BY a.ord", 0, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, category);
    while (db_next(st, &rc, e)) {
        ref_attribute a = {0};
        st_col_copy(st, 0, a.code, sizeof a.code);
        st_col_copy(st, 1, a.datatype, sizeof a.datatype);
        a.required = db_col_int(st, 2) != 0;
        st_col_copy(st, 3, a.description, sizeof a.description);
        a.order = (int)db_col_int(st, 4);
        const char *choices = db_col_text(st, 5);
        json_t *ch = choices ? json_loads(choices, 0, NULL) : NULL;
        size_t i;
        json_t *it;
        json_array_foreach(ch, i, it) {
            if (a.n_choices == REF_MAX_CHOICES) break;
            snprintf(a.choice_key[a.n_choices], sizeof a.choice_key[0], "%s",
                     json_string_value(json_object_get(it, "key")));
            snprintf(a.choice_name[a.n_choices], sizeof a.choice_name[0], "%s",
                     json_string_value(json_object_get(it, "name")));
            a.n_choices++;
        }
        json_decref(ch);
        rc = fn(ctx, &a);
    }
    db_finalize(st);
    return rc;
}

/* ---- reply templates ---- */

int store_template_put(store *s, ref_template *t, const char *actor, int64_t now, err *e) {
    int rc = ref_check_template(t, e);
    if (rc) return rc;
    if (t->category.code[0] && store_category_find(s, t->category.code, &t->category, e))
        return err_set(e, ERR_INVALID, "category", "no category '%s'", t->category.code);
    if (!t->category.code[0]) t->category.id = 0;
    db_stmt *st;
    if ((rc = st_prepare(s, t->id ? "UPDATE reply_templates SET category_id = ?2, title = ?3, body = ?4,"
                                    " updated_at = ?5, updated_by = ?6 WHERE id = ?1"
                                  : "INSERT INTO reply_templates(category_id, title, body, updated_at,"
                                    " updated_by) VALUES(?2, ?3, ?4, ?5, ?6)",
                         t->id ? 0 : DB_RETURNS_ID, &st, e)))
        return rc;
    if (t->id) db_bind_int(st, 1, t->id);
    db_bind_id(st, 2, t->category.id);
    db_bind_text(st, 3, t->title);
    db_bind_text(st, 4, t->body);
    db_bind_int(st, 5, now);
    db_bind_text(st, 6, actor);
    bool fresh = !t->id;
    if ((rc = st_write1(s, st, e))) return st_fail(rc, e, "template");
    if (fresh) t->id = db_last_id(s->db);
    else if (db_changes(s->db) == 0)
        return err_set(e, ERR_NOTFOUND, "id", "no reply template %lld", (long long)t->id);
    return 0;
}

int store_template_delete(store *s, int64_t id, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "DELETE FROM reply_templates WHERE id = ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    if ((rc = st_write1(s, st, e))) return st_fail(rc, e, "template");
    if (db_changes(s->db) == 0) return err_set(e, ERR_NOTFOUND, "id", "no reply template %lld", (long long)id);
    return 0;
}

int store_template_list(store *s, int64_t category_id, store_template_fn fn, void *ctx, err *e) {
    /* the category and its ancestors (a category tree is a few levels deep) */
    int64_t chain[8] = {0};
    int n = 0, rc = 0;
    db_stmt *st;
    if (category_id) {
        if ((rc = st_prepare(s, "SELECT coalesce(parent_id, 0) FROM categories WHERE id = ?1", 0, &st, e)))
            return rc;
        for (int64_t c = category_id; c && n < 8 && !rc; n++) {
            chain[n] = c;
            db_reset(st);
            db_bind_int(st, 1, c);
            rc = db_first(st, e);
            c = rc ? 0 : db_col_int(st, 0);
            if (rc == ERR_NOTFOUND) rc = 0;
        }
        db_finalize(st);
        if (rc) return rc;
    }
    if ((rc = st_prepare(s, "SELECT t.id, c.id, c.code, c.name, t.title, t.body FROM reply_templates t"
                            " LEFT JOIN categories c ON c.id = t.category_id"
                            " WHERE ?1 = 0 OR t.category_id IS NULL OR t.category_id IN (?2, ?3, ?4, ?5,"
                            " ?6, ?7, ?8, ?9) ORDER BY CASE WHEN t.category_id = ?1 THEN 0"
                            " WHEN t.category_id IS NULL THEN 2 ELSE 1 END, c.code, t.title, t.id",
                         0, &st, e)))
        return rc;
    db_bind_int(st, 1, category_id);
    for (int i = 0; i < 8; i++) db_bind_int(st, i + 2, chain[i]);
    while (db_next(st, &rc, e)) {
        ref_template t = {.id = db_col_int(st, 0), .title = db_col_text(st, 4), .body = db_col_text(st, 5)};
        st_read_ref(st, 1, &t.category);
        rc = fn(ctx, &t);
    }
    db_finalize(st);
    return st_fail(rc, e, "templates");
}
