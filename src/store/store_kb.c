/* store_kb: see store_kb.h. */
#include "store/store_kb.h"

#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_ref.h"
#include "util/datetime.h"
#include "util/text.h"

#define KB_COLS                                                                             \
    "k.id, k.question, k.answer, k.policy, cat.id, cat.code, cat.name, u.id, u.code, u.name," \
    " k.valid_until, k.uses, k.created_at, k.updated_at, k.updated_by"
#define KB_FROM                                                                             \
    " FROM kb k LEFT JOIN categories cat ON cat.id = k.category_id"                         \
    " LEFT JOIN units u ON u.id = k.unit_id"

static void read_entry(db_stmt *st, kb_entry *k) {
    memset(k, 0, sizeof *k);
    k->id = db_col_int(st, 0);
    k->question = st_col_dup(st, 1);
    k->answer = st_col_dup(st, 2);
    k->policy = st_col_dup(st, 3);
    st_read_ref(st, 4, &k->category);
    st_read_ref(st, 7, &k->unit);
    k->valid_until = (int32_t)db_col_int(st, 10);
    k->uses = db_col_int(st, 11);
    k->created_at = db_col_int(st, 12);
    k->updated_at = db_col_int(st, 13);
    st_col_copy(st, 14, k->updated_by, sizeof k->updated_by);
}

int store_kb_get(store *s, int64_t id, kb_entry *out, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " KB_COLS KB_FROM " WHERE k.id = ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_first(st, e);
    if (rc == 0)
        read_entry(st, out);
    else if (rc == ERR_NOTFOUND)
        err_set(e, ERR_NOTFOUND, "id", "no 知识库 entry %lld", (long long)id);
    db_finalize(st);
    return rc;
}

/* The unit an entry belongs to now (0: none), or ERR_NOTFOUND. */
static int entry_unit(store *s, int64_t id, int64_t *unit, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT coalesce(unit_id, 0) FROM kb WHERE id = ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    if ((rc = db_first(st, e)) == 0) *unit = db_col_int(st, 0);
    if (rc == ERR_NOTFOUND) err_set(e, ERR_NOTFOUND, "id", "no 知识库 entry %lld", (long long)id);
    db_finalize(st);
    return rc;
}

static int own(int64_t entry_unit, int64_t only_unit, err *e) {
    if (only_unit && entry_unit != only_unit)
        return err_set(e, ERR_FORBIDDEN, "unit", "a unit keeps only its own 知识库 entries");
    return 0;
}

int store_kb_put(store *s, kb_entry *k, int64_t only_unit, const char *actor, int64_t now,
                 err *e) {
    int rc = kb_check(k, e);
    if (rc) return rc;
    /* category and unit come as codes in their refs */
    if (k->category.code[0] && (rc = store_category_find(s, k->category.code, &k->category, e)))
        return err_set(e, ERR_INVALID, "category", "no category '%s'", k->category.code);
    if (k->unit.code[0] && (rc = store_unit_find(s, k->unit.code, &k->unit, e)))
        return err_set(e, ERR_INVALID, "unit", "no unit '%s'", k->unit.code);
    if (!k->unit.code[0]) k->unit.id = 0;
    if (!k->category.code[0]) k->category.id = 0;
    if ((rc = own(k->unit.id, only_unit, e))) return rc;
    if ((rc = st_tx_begin(s, e))) return rc;
    int64_t was = 0;
    if (k->id && !(rc = entry_unit(s, k->id, &was, e))) rc = own(was, only_unit, e);
    db_stmt *st = NULL;
    if (!rc)
        rc = st_prepare(s,
                        k->id ? "UPDATE kb SET question = ?2, answer = ?3, policy = ?4,"
                                " category_id = ?5, unit_id = ?6, valid_until = ?7,"
                                " updated_at = ?8, updated_by = ?9 WHERE id = ?1"
                              : "INSERT INTO kb(question, answer, policy, category_id, unit_id,"
                                " valid_until, created_at, updated_at, updated_by)"
                                " VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                        k->id ? 0 : DB_RETURNS_ID, &st, e);
    if (!rc) {
        if (k->id) db_bind_int(st, 1, k->id);
        db_bind_text(st, 2, k->question);
        db_bind_text(st, 3, k->answer);
        db_bind_text(st, 4, k->policy && k->policy[0] ? k->policy : NULL);
        db_bind_id(st, 5, k->category.id);
        db_bind_id(st, 6, k->unit.id);
        db_bind_id(st, 7, k->valid_until);
        db_bind_int(st, 8, now);
        db_bind_text(st, 9, actor);
        rc = st_fail(db_run(st, e), e, "kb");
        if (!rc && !k->id) k->id = db_last_id(s->db);
        db_finalize(st);
    }
    return st_tx_end(s, rc, e);
}

int store_kb_delete(store *s, int64_t id, int64_t only_unit, err *e) {
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    int64_t unit = 0;
    db_stmt *st = NULL;
    if (!(rc = entry_unit(s, id, &unit, e)) && !(rc = own(unit, only_unit, e)) &&
        !(rc = st_prepare(s, "DELETE FROM kb WHERE id = ?1", 0, &st, e))) {
        db_bind_int(st, 1, id);
        rc = st_fail(db_run(st, e), e, "kb");
        db_finalize(st);
    }
    return st_tx_end(s, rc, e);
}

/* Every term is a substring of the question, the answer or the policy
 * (without case). SQLite: the terms of 3 characters or more go through the
 * trigram index as one MATCH of phrases (?5), shorter ones (which a trigram
 * cannot index) through instr (?1..?4, "" matching anything); PostgreSQL:
 * each term an ILIKE that pg_trgm's index serves. */
static const store_sql search_sql = {
    "SELECT " KB_COLS KB_FROM " WHERE (?5 IS NULL OR k.id IN (SELECT rowid FROM kb_text"
    " WHERE kb_text MATCH ?5))"
    " AND instr(lower(k.question || ' ' || k.answer || ' ' || coalesce(k.policy, '')), lower(?1))"
    " AND instr(lower(k.question || ' ' || k.answer || ' ' || coalesce(k.policy, '')), lower(?2))"
    " AND instr(lower(k.question || ' ' || k.answer || ' ' || coalesce(k.policy, '')), lower(?3))"
    " AND instr(lower(k.question || ' ' || k.answer || ' ' || coalesce(k.policy, '')), lower(?4))"
    " AND (?6 = 0 OR k.valid_until IS NULL OR k.valid_until >= ?6)"
    " AND (k.unit_id = ?7 OR ?7 = 0) ORDER BY k.uses DESC, k.id DESC LIMIT ?8",
#define PG_TERM(n)                                                                          \
    " AND (k.question || ' ' || k.answer || ' ' || coalesce(k.policy, '')) ILIKE ('%' ||"  \
    " replace(replace(replace(" n ", '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')"
    "SELECT " KB_COLS KB_FROM " WHERE true" PG_TERM("?1") PG_TERM("?2") PG_TERM("?3")
    PG_TERM("?4") " AND (?6 = 0 OR k.valid_until IS NULL OR k.valid_until >= ?6)"
    " AND (k.unit_id = ?7 OR ?7 = 0) ORDER BY k.uses DESC, k.id DESC LIMIT ?8"
#undef PG_TERM
};

int store_kb_search(store *s, const store_kb_query *q, store_kb_fn fn, void *ctx, err *e) {
    char terms[KB_MAX_TERMS][KB_TERM_MAX];
    char match[KB_MAX_TERMS * (KB_TERM_MAX * 2 + 8)] = "";
    int n, rc = kb_terms(q->q, terms, &n, e);
    if (rc) return rc;
    bool lite = s->dialect == DB_SQLITE;
    for (int i = 0; lite && i < n; i++) {
        if (text_len(terms[i]) < 3) continue;
        size_t len = strlen(match);
        char *p = match + len;
        if (len) p += sprintf(p, " AND ");
        *p++ = '"';
        for (const char *t = terms[i]; *t; t++) { /* a phrase: quotes doubled */
            if (*t == '"') *p++ = '"';
            *p++ = *t;
        }
        *p++ = '"';
        *p = '\0';
        terms[i][0] = '\0'; /* the index has it */
    }
    db_stmt *st;
    if ((rc = st_prepare(s, st_sql(s, &search_sql), 0, &st, e))) return rc;
    for (int i = 0; i < KB_MAX_TERMS; i++) db_bind_text(st, i + 1, i < n ? terms[i] : "");
    db_bind_text(st, 5, match[0] ? match : NULL);
    db_bind_int(st, 6, q->today);
    db_bind_int(st, 7, q->unit_id);
    db_bind_int(st, 8, q->limit);
    while (db_next(st, &rc, e)) {
        kb_entry k;
        read_entry(st, &k);
        rc = fn(ctx, &k);
        kb_entry_clear(&k);
    }
    db_finalize(st);
    return rc;
}
