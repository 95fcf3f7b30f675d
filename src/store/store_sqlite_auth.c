/* store_sqlite_auth: accounts in the SQLite backend: users, sessions, API
 * tokens, failed-login counters and the access log. Policy (hashing,
 * expiry, who may do what) lives in src/auth/. */
#include <stdio.h>
#include <string.h>

#include "store/store_sqlite_int.h"

static int prepare(store *s, const char *sql, sqlite3_stmt **st, err *e) {
    return sqlite3_prepare_v2(s->db, sql, -1, st, NULL) ? sq_db_err(s, e, "accounts") : 0;
}



#define USER_COLS \
    "u.id, u.username, u.display_name, u.role, un.id, un.code, un.name, u.password_hash, u.disabled" \
    " FROM users u LEFT JOIN units un ON un.id = u.unit_id"

static void read_user(sqlite3_stmt *st, store_user *u) {
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    sq_col_copy(st, 1, u->username, sizeof u->username);
    sq_col_copy(st, 2, u->display_name, sizeof u->display_name);
    sq_col_copy(st, 3, u->role, sizeof u->role);
    sq_read_ref(st, 4, &u->unit);
    sq_col_copy(st, 7, u->password_hash, sizeof u->password_hash);
    u->disabled = sqlite3_column_int(st, 8);
}

int store_user_add(store *s, const store_user *u, int64_t now, int64_t *id, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO users(username, display_name, role, unit_id, password_hash,"
                   " disabled, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st, e))
        return ERR_IO;
    sq_bind_text(st, 1, u->username);
    sq_bind_text(st, 2, u->display_name);
    sq_bind_text(st, 3, u->role);
    sq_bind_id(st, 4, u->unit.id);
    sq_bind_text(st, 5, u->password_hash);
    sqlite3_bind_int(st, 6, u->disabled);
    sqlite3_bind_int64(st, 7, now);
    int rc = sq_write1(s, st, "user", e);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "username", "user '%s' already exists", u->username);
    if (!rc && id) *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int get_user(store *s, const char *where, const char *name, int64_t id, store_user *out,
                    err *e) {
    sqlite3_stmt *st;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT " USER_COLS " WHERE %s", where);
    if (prepare(s, sql, &st, e)) return ERR_IO;
    if (name)
        sq_bind_text(st, 1, name);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : ERR_NOTFOUND;
    if (!rc) read_user(st, out);
    sqlite3_finalize(st);
    if (rc) {
        if (name) return err_set(e, rc, "username", "unknown user '%s'", name);
        return err_set(e, rc, "user", "unknown user id %lld", (long long)id);
    }
    return 0;
}

int store_user_get(store *s, const char *username, store_user *out, err *e) {
    return get_user(s, "u.username = ?1", username, 0, out, e);
}

int store_user_get_id(store *s, int64_t id, store_user *out, err *e) {
    return get_user(s, "u.id = ?1", NULL, id, out, e);
}

static int update_user(store *s, const char *sql, const char *username, const char *text,
                       int flag, err *e) {
    sqlite3_stmt *st;
    store_user u;
    int rc = store_user_get(s, username, &u, e);
    if (rc || prepare(s, sql, &st, e)) return rc ? rc : ERR_IO;
    sqlite3_bind_int64(st, 1, u.id);
    if (text)
        sq_bind_text(st, 2, text);
    else
        sqlite3_bind_int(st, 2, flag);
    return sq_write1(s, st, "user", e);
}

int store_user_set_password(store *s, const char *username, const char *hash, err *e) {
    return update_user(s, "UPDATE users SET password_hash = ?2 WHERE id = ?1", username, hash, 0, e);
}

int store_user_set_disabled(store *s, const char *username, bool disabled, err *e) {
    return update_user(s, "UPDATE users SET disabled = ?2 WHERE id = ?1", username, NULL, disabled,
                       e);
}

int store_user_list(store *s, store_user_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (prepare(s, "SELECT " USER_COLS " ORDER BY u.username", &st, e)) return ERR_IO;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_user u;
        read_user(st, &u);
        rc = fn(ctx, &u);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_session_add(store *s, const unsigned char hash[32], int64_t user_id, const char *csrf,
                      int64_t now, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen)"
                   " VALUES(?1, ?2, ?3, ?4, ?4)", &st, e))
        return ERR_IO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sq_bind_text(st, 3, csrf);
    sqlite3_bind_int64(st, 4, now);
    return sq_write1(s, st, "session", e);
}

int store_session_get(store *s, const unsigned char hash[32], store_session *out, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_SESSION_GET, e);
    if (!st) return ERR_IO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : ERR_NOTFOUND;
    if (!rc) {
        *out = (store_session){.id = sqlite3_column_int64(st, 0),
                               .user_id = sqlite3_column_int64(st, 1),
                               .created_at = sqlite3_column_int64(st, 2),
                               .last_seen = sqlite3_column_int64(st, 3),
                               .ended_at = sq_col_time(st, 4)};
        sq_col_copy(st, 5, out->csrf, sizeof out->csrf);
    }
    sqlite3_reset(st);
    return rc ? err_set(e, rc, "session", "no such session") : 0;
}

static int session_set(store *s, const char *sql, int64_t id, int64_t now, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, sql, &st, e)) return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return sq_write1(s, st, "session", e);
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
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO api_tokens(name, token_hash, role, unit_id, created_by, created_at)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", &st, e))
        return ERR_IO;
    sq_bind_text(st, 1, t->name);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    sq_bind_text(st, 3, t->role);
    sq_bind_id(st, 4, t->unit.id);
    sq_bind_id(st, 5, t->created_by);
    sqlite3_bind_int64(st, 6, t->created_at);
    int rc = sq_write1(s, st, "token", e);
    if (!rc && id) *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_token_get(store *s, const unsigned char hash[32], store_token *out, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_TOKEN_GET, e);
    if (!st) return ERR_IO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : ERR_NOTFOUND;
    if (!rc) {
        memset(out, 0, sizeof *out);
        out->id = sqlite3_column_int64(st, 0);
        sq_col_copy(st, 1, out->name, sizeof out->name);
        sq_col_copy(st, 2, out->role, sizeof out->role);
        sq_read_ref(st, 3, &out->unit);
        out->created_by = sq_col_time(st, 6);
        out->created_at = sqlite3_column_int64(st, 7);
        out->revoked_at = sq_col_time(st, 8);
    }
    sqlite3_reset(st);
    return rc ? err_set(e, rc, "token", "no such API token") : 0;
}

int store_token_revoke(store *s, int64_t id, int64_t now, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                &st, e))
        return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    int rc = sq_write1(s, st, "token", e);
    if (!rc && sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_NOTFOUND, "id", "no active API token %lld", (long long)id);
    return rc;
}

int store_failures_get(store *s, const char *key, store_failures *out, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, "SELECT count, first_at, last_at FROM login_failures WHERE key = ?1", &st, e))
        return ERR_IO;
    sq_bind_text(st, 1, key);
    memset(out, 0, sizeof *out);
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->count = sqlite3_column_int64(st, 0);
        out->first_at = sqlite3_column_int64(st, 1);
        out->last_at = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return 0;
}

int store_failures_add(store *s, const char *key, int64_t now, int64_t window, err *e) {
    sqlite3_stmt *st;
    /* A failure after the window has passed starts a new count. */
    if (prepare(s, "INSERT INTO login_failures(key, count, first_at, last_at) VALUES(?1, 1, ?2, ?2)"
                   " ON CONFLICT(key) DO UPDATE SET"
                   " count = CASE WHEN first_at + ?3 <= ?2 THEN 1 ELSE count + 1 END,"
                   " first_at = CASE WHEN first_at + ?3 <= ?2 THEN ?2 ELSE first_at END,"
                   " last_at = ?2",
                &st, e))
        return ERR_IO;
    sq_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, window);
    return sq_write1(s, st, "login failures", e);
}

int store_failures_clear(store *s, const char *key, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, "DELETE FROM login_failures WHERE key = ?1", &st, e)) return ERR_IO;
    sq_bind_text(st, 1, key);
    return sq_write1(s, st, "login failures", e);
}

int store_access_log(store *s, int64_t now, int64_t user_id, const char *actor,
                     const char *action, int64_t case_id, const char *detail, err *e) {
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO access_log(at, user_id, actor, action, case_id, detail)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", &st, e))
        return ERR_IO;
    sqlite3_bind_int64(st, 1, now);
    sq_bind_id(st, 2, user_id);
    sq_bind_text(st, 3, actor);
    sq_bind_text(st, 4, action);
    sq_bind_id(st, 5, case_id);
    sq_bind_text(st, 6, detail);
    return sq_write1(s, st, "access log", e);
}

int store_access_list(store *s, int64_t after_id, int limit, store_access_fn fn, void *ctx,
                      err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (prepare(s, "SELECT id, at, user_id, case_id, actor, action, detail FROM access_log"
                   " WHERE id > ?1 ORDER BY id LIMIT ?2", &st, e))
        return ERR_IO;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit < 1 || limit > 1000 ? 100 : limit);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_access a = {.id = sqlite3_column_int64(st, 0), .at = sqlite3_column_int64(st, 1),
                          .user_id = sq_col_time(st, 2), .case_id = sq_col_time(st, 3)};
        sq_col_copy(st, 4, a.actor, sizeof a.actor);
        sq_col_copy(st, 5, a.action, sizeof a.action);
        sq_col_copy(st, 6, a.detail, sizeof a.detail);
        rc = fn(ctx, &a);
    }
    sqlite3_finalize(st);
    return rc;
}
