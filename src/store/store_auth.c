/* store_auth: accounts: users, sessions, API tokens, failed-login counters
 * and the access log. Policy (hashing, expiry, who may do what) lives in
 * src/auth/. A lookup that finds nothing is ERR_NOTFOUND; one that could not
 * look is ERR_IO, so an outage never passes for "no such session". */
#include <stdio.h>
#include <string.h>

#include "store/store_auth.h"
#include "store/store_chain.h"
#include "store/store_int.h"

#define USER_COLS \
    "u.id, u.username, u.display_name, u.role, un.id, un.code, un.name, u.password_hash, u.disabled," \
    " u.must_change" \
    " FROM users u LEFT JOIN units un ON un.id = u.unit_id"

static void read_user(db_stmt *st, store_user *u) {
    memset(u, 0, sizeof *u);
    u->id = db_col_int(st, 0);
    st_col_copy(st, 1, u->username, sizeof u->username);
    st_col_copy(st, 2, u->display_name, sizeof u->display_name);
    st_col_copy(st, 3, u->role, sizeof u->role);
    st_read_ref(st, 4, &u->unit);
    st_col_copy(st, 7, u->password_hash, sizeof u->password_hash);
    u->disabled = db_col_int(st, 8) != 0;
    u->must_change = db_col_int(st, 9) != 0;
}

/* One write in its own transaction; *id (if asked) is the new row's. */
static int write1(store *s, const char *sql, db_stmt **st, err *e) {
    return st_prepare(s, sql, DB_RETURNS_ID, st, e);
}

int store_user_add(store *s, const store_user *u, int64_t now, int64_t *id, err *e) {
    db_stmt *st;
    int rc = write1(s, "INSERT INTO users(username, display_name, role, unit_id, password_hash,"
                       " disabled, created_at, must_change) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, u->username);
    db_bind_text(st, 2, u->display_name);
    db_bind_text(st, 3, u->role);
    db_bind_id(st, 4, u->unit.id);
    db_bind_text(st, 5, u->password_hash);
    db_bind_int(st, 6, u->disabled);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, u->must_change);
    rc = st_write1(s, st, e);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "username", "user '%s' already exists", u->username);
    if (!rc && id) *id = db_last_id(s->db);
    return st_fail(rc, e, "user");
}

/* sql: the user's select with its WHERE, ?1 the name or id */
static int get_user(store *s, const char *sql, const char *name, int64_t id, store_user *out, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, sql, 0, &st, e);
    if (rc) return rc;
    if (name)
        db_bind_text(st, 1, name);
    else
        db_bind_int(st, 1, id);
    if (!(rc = db_first(st, e))) read_user(st, out);
    db_finalize(st);
    if (rc == ERR_NOTFOUND && name) return err_set(e, rc, "username", "unknown user '%s'", name);
    if (rc == ERR_NOTFOUND) return err_set(e, rc, "user", "unknown user id %lld", (long long)id);
    return st_fail(rc, e, "user");
}

int store_user_get(store *s, const char *username, store_user *out, err *e) {
    return get_user(s, "SELECT " USER_COLS " WHERE u.username = ?1", username, 0, out, e);
}

int store_user_get_id(store *s, int64_t id, store_user *out, err *e) {
    return get_user(s, "SELECT " USER_COLS " WHERE u.id = ?1", NULL, id, out, e);
}

/* Runs sql (?1 the user's id, ?2 text or flag, ?3 now) on a user and, in
 * the same transaction, ends every session of theirs and revokes every API
 * token they created: a new password or a disabled account takes effect at
 * once, on every node. */
static int update_user(store *s, const char *sql, const char *username, const char *text,
                       int64_t flag, int64_t now, err *e) {
    static const char *const end_access[] = {
        "UPDATE sessions SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL",
        "UPDATE api_tokens SET revoked_at = ?2 WHERE created_by = ?1 AND revoked_at IS NULL"};
    db_stmt *st;
    store_user u;
    int rc = store_user_get(s, username, &u, e);
    if (rc || (rc = st_tx_begin(s, e))) return rc;
    if (!(rc = st_prepare(s, sql, 0, &st, e))) {
        db_bind_int(st, 1, u.id);
        if (text)
            db_bind_text(st, 2, text);
        else
            db_bind_int(st, 2, flag);
        rc = st_fail(db_run(st, e), e, "user");
        db_finalize(st);
    }
    for (size_t i = 0; !rc && i < sizeof end_access / sizeof *end_access; i++) {
        if ((rc = st_prepare(s, end_access[i], 0, &st, e))) break;
        db_bind_int(st, 1, u.id);
        db_bind_int(st, 2, now);
        rc = st_fail(db_run(st, e), e, "end sessions");
        db_finalize(st);
    }
    return st_tx_end(s, rc, e);
}

int store_user_set_password(store *s, const char *username, const char *hash, bool must_change, int64_t now,
                            err *e) {
    return update_user(s, must_change ? "UPDATE users SET password_hash = ?2, must_change = 1 WHERE id = ?1"
                                      : "UPDATE users SET password_hash = ?2, must_change = 0 WHERE id = ?1",
                       username, hash, 0, now, e);
}

int store_user_set_disabled(store *s, const char *username, bool disabled, int64_t now, err *e) {
    return update_user(s, "UPDATE users SET disabled = ?2 WHERE id = ?1", username, NULL, disabled,
                       now, e);
}

int store_user_set_role(store *s, const char *username, const char *role, int64_t unit_id, int64_t now,
                        err *e) {
    int rc = st_tx_begin(s, e);
    if (!rc) rc = update_user(s, "UPDATE users SET role = ?2 WHERE id = ?1", username, role, 0, now, e);
    if (!rc) rc = update_user(s, "UPDATE users SET unit_id = NULLIF(?2, 0) WHERE id = ?1", username, NULL,
                              unit_id, now, e);
    return st_tx_end(s, rc, e);
}

int store_user_list(store *s, store_user_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " USER_COLS " ORDER BY u.username", 0, &st, e);
    while (db_next(st, &rc, e)) {
        store_user u;
        read_user(st, &u);
        rc = fn(ctx, &u);
    }
    db_finalize(st);
    return rc;
}

int store_session_add(store *s, const unsigned char hash[32], int64_t user_id, const char *csrf,
                      int64_t now, int64_t *id, err *e) {
    db_stmt *st;
    int rc = write1(s, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen)"
                       " VALUES(?1, ?2, ?3, ?4, ?4)", &st, e);
    if (rc) return rc;
    db_bind_blob(st, 1, hash, 32);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, csrf);
    db_bind_int(st, 4, now);
    if (!(rc = st_write1(s, st, e)) && id) *id = db_last_id(s->db);
    return st_fail(rc, e, "session");
}

int store_session_get(store *s, const unsigned char hash[32], store_session *out, err *e) {
    db_stmt *st = st_prep(s, Q_SESSION_GET, e);
    if (!st) return ERR_IO;
    db_bind_blob(st, 1, hash, 32);
    int rc = db_first(st, e);
    if (!rc) {
        *out = (store_session){.id = db_col_int(st, 0), .user_id = db_col_int(st, 1),
                               .created_at = db_col_int(st, 2), .last_seen = db_col_int(st, 3),
                               .ended_at = db_col_int(st, 4)};
        st_col_copy(st, 5, out->csrf, sizeof out->csrf);
    }
    db_reset(st);
    if (rc == ERR_NOTFOUND) return err_set(e, rc, "session", "no such session");
    return st_fail(rc, e, "session");
}

static int session_set(store *s, const char *sql, int64_t id, int64_t now, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, sql, 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    return st_fail(st_write1(s, st, e), e, "session");
}

int store_session_touch(store *s, int64_t id, int64_t now, err *e) {
    return session_set(s, "UPDATE sessions SET last_seen = ?2 WHERE id = ?1", id, now, e);
}

int store_session_end(store *s, int64_t id, int64_t now, err *e) {
    return session_set(s, "UPDATE sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                       id, now, e);
}

int store_token_add(store *s, const unsigned char hash[32], const store_token *t, int64_t *id,
                    err *e) {
    db_stmt *st;
    int rc = write1(s, "INSERT INTO api_tokens(name, token_hash, role, unit_id, created_by,"
                       " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)", &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, t->name);
    db_bind_blob(st, 2, hash, 32);
    db_bind_text(st, 3, t->role);
    db_bind_id(st, 4, t->unit.id);
    db_bind_id(st, 5, t->created_by);
    db_bind_int(st, 6, t->created_at);
    if (!(rc = st_write1(s, st, e)) && id) *id = db_last_id(s->db);
    return st_fail(rc, e, "token");
}

int store_token_get(store *s, const unsigned char hash[32], store_token *out, err *e) {
    db_stmt *st = st_prep(s, Q_TOKEN_GET, e);
    if (!st) return ERR_IO;
    db_bind_blob(st, 1, hash, 32);
    int rc = db_first(st, e);
    if (!rc) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(st, 0);
        st_col_copy(st, 1, out->name, sizeof out->name);
        st_col_copy(st, 2, out->role, sizeof out->role);
        st_read_ref(st, 3, &out->unit);
        out->created_by = db_col_int(st, 6);
        out->created_at = db_col_int(st, 7);
        out->revoked_at = db_col_int(st, 8);
    }
    db_reset(st);
    if (rc == ERR_NOTFOUND) return err_set(e, rc, "token", "no such API token");
    return st_fail(rc, e, "token");
}

int store_token_list(store *s, store_token_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT t.id, t.name, t.role, u.id, u.code, u.name, coalesce(t.created_by, 0),"
                           " t.created_at, coalesce(t.revoked_at, 0) FROM api_tokens t"
                           " LEFT JOIN units u ON u.id = t.unit_id ORDER BY t.id DESC", 0, &st, e);
    if (rc) return rc;
    while (db_next(st, &rc, e)) {
        store_token t = {.id = db_col_int(st, 0), .created_by = db_col_int(st, 6),
                         .created_at = db_col_int(st, 7), .revoked_at = db_col_int(st, 8)};
        st_col_copy(st, 1, t.name, sizeof t.name);
        st_col_copy(st, 2, t.role, sizeof t.role);
        st_read_ref(st, 3, &t.unit);
        rc = fn(ctx, &t);
    }
    db_finalize(st);
    return st_fail(rc, e, "tokens");
}

int store_token_revoke(store *s, int64_t id, int64_t now, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                        0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    if ((rc = st_write1(s, st, e))) return st_fail(rc, e, "token");
    if (db_changes(s->db) == 0)
        return err_set(e, ERR_NOTFOUND, "id", "no active API token %lld", (long long)id);
    return 0;
}

int store_failures_get(store *s, const char *key, store_failures *out, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT count, first_at, last_at FROM login_failures WHERE key = ?1", 0,
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, key);
    memset(out, 0, sizeof *out);
    if (!(rc = db_first(st, e))) {
        out->count = db_col_int(st, 0);
        out->first_at = db_col_int(st, 1);
        out->last_at = db_col_int(st, 2);
    }
    db_finalize(st);
    return rc == ERR_NOTFOUND ? 0 : st_fail(rc, e, "login failures");
}

int store_failures_add(store *s, const char *key, int64_t now, int64_t window, err *e) {
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    db_stmt *st = st_prep(s, Q_FAILURES_ADD, e);
    if (!st) {
        rc = ERR_IO;
    } else {
        db_bind_text(st, 1, key);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, window);
        rc = db_run(st, e);
    }
    return st_tx_end(s, st_fail(rc, e, "login failures"), e);
}

int store_failures_clear(store *s, const char *key, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "DELETE FROM login_failures WHERE key = ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, key);
    return st_fail(st_write1(s, st, e), e, "login failures");
}

int store_access_log(store *s, int64_t now, int64_t user_id, const char *actor,
                     const char *action, int64_t case_id, const char *detail, err *e) {
    db_stmt *st;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    if (!(rc = st_prepare(s, "INSERT INTO access_log(at, user_id, actor, action, case_id, detail)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", DB_RETURNS_ID, &st, e))) {
        db_bind_int(st, 1, now);
        db_bind_id(st, 2, user_id);
        db_bind_text(st, 3, actor);
        db_bind_text(st, 4, action);
        db_bind_id(st, 5, case_id);
        db_bind_text(st, 6, detail);
        rc = db_run(st, e);
        db_finalize(st);
    }
    if (!rc) rc = st_chain_note(s, CHAIN_ACCESS, db_last_id(s->db), now, e);
    return st_fail(st_tx_end(s, rc, e), e, "access log");
}

int store_logged_end(store *s, int rc, const store_actor *who, const char *action, const char *detail, err *e) {
    if (!rc) rc = store_access_log(s, who->now, who->user_id, who->name, action, 0, detail, e);
    if (!rc) return store_commit(s, e);
    store_rollback(s);
    return rc;
}

int store_access_list(store *s, const store_access_query *q, store_access_fn fn, void *ctx,
                      err *e) {
    db_stmt *st;
#define ACCESS_WHERE                                                                        \
    "SELECT id, at, user_id, case_id, actor, action, detail FROM access_log"                \
    " WHERE id > ?1 AND (?3 = 0 OR id < ?3)"                                                 \
    " AND (CAST(?4 AS TEXT) IS NULL OR actor = ?4) AND (CAST(?5 AS TEXT) IS NULL OR action = ?5)"
    int rc = st_prepare(s, q->newest_first ? ACCESS_WHERE " ORDER BY id DESC LIMIT ?2"
                                           : ACCESS_WHERE " ORDER BY id LIMIT ?2",
                        0, &st, e);
#undef ACCESS_WHERE
    if (rc) return rc;
    db_bind_int(st, 1, q->after_id);
    db_bind_int(st, 2, q->limit < 1 || q->limit > 1000 ? 100 : q->limit);
    db_bind_int(st, 3, q->before_id);
    db_bind_text(st, 4, q->actor && q->actor[0] ? q->actor : NULL);
    db_bind_text(st, 5, q->action && q->action[0] ? q->action : NULL);
    while (db_next(st, &rc, e)) {
        store_access a = {.id = db_col_int(st, 0), .at = db_col_int(st, 1),
                          .user_id = db_col_int(st, 2), .case_id = db_col_int(st, 3)};
        st_col_copy(st, 4, a.actor, sizeof a.actor);
        st_col_copy(st, 5, a.action, sizeof a.action);
        st_col_copy(st, 6, a.detail, sizeof a.detail);
        rc = fn(ctx, &a);
    }
    db_finalize(st);
    return rc;
}
