/* store_auth: accounts as stored: users, sessions, API tokens, failed-login
 * counters and the access log. The policy around them is in src/auth/. */
#ifndef DUBAN_STORE_AUTH_H
#define DUBAN_STORE_AUTH_H

#include "store/store.h"

typedef struct store_user {
    int64_t id;
    char username[64];
    char display_name[CASE_NAME_MAX];
    char role[16];
    unit_ref unit; /* handlers: their unit */
    char password_hash[160];
    bool disabled;
    bool must_change; /* the password was set by someone else (auth.h) */
} store_user;

int store_user_add(store *s, const store_user *u, int64_t now, int64_t *id, err *e);
int store_user_get(store *s, const char *username, store_user *out, err *e);
int store_user_get_id(store *s, int64_t id, store_user *out, err *e);
/* Both end every session of the user and revoke the API tokens they made.
 * must_change: the password was set by someone else, to be changed at the
 * next sign-in. */
int store_user_set_password(store *s, const char *username, const char *hash, bool must_change, int64_t now,
                            err *e);
int store_user_set_disabled(store *s, const char *username, bool disabled, int64_t now, err *e);
/* A new role (and unit: 0 for none); the user's sessions end, as above. */
int store_user_set_role(store *s, const char *username, const char *role, int64_t unit_id, int64_t now,
                        err *e);
typedef int (*store_user_fn)(void *ctx, const store_user *u);
int store_user_list(store *s, store_user_fn fn, void *ctx, err *e);

/* Sessions and API tokens are found by the SHA-256 of their secret; an
 * unknown one is ERR_NOTFOUND, a failed lookup ERR_IO. */
typedef struct store_session {
    int64_t id, user_id, created_at, last_seen, ended_at;
    char csrf[65]; /* 64 hex digits */
} store_session;
int store_session_add(store *s, const unsigned char hash[32], int64_t user_id, const char *csrf,
                      int64_t now, int64_t *id, err *e);
int store_session_get(store *s, const unsigned char hash[32], store_session *out, err *e);
int store_session_touch(store *s, int64_t id, int64_t now, err *e);
int store_session_end(store *s, int64_t id, int64_t now, err *e);

typedef struct store_token {
    int64_t id, created_by, created_at, revoked_at;
    char name[64];
    char role[16];
    unit_ref unit;
} store_token;
int store_token_add(store *s, const unsigned char hash[32], const store_token *t, int64_t *id,
                    err *e);
int store_token_get(store *s, const unsigned char hash[32], store_token *out, err *e);
int store_token_revoke(store *s, int64_t id, int64_t now, err *e);
/* Every token, the newest first, revoked ones too (never their secrets). */
typedef int (*store_token_fn)(void *ctx, const store_token *t);
int store_token_list(store *s, store_token_fn fn, void *ctx, err *e);

/* Failed logins per key ("user:NAME", "addr:IP"): count within the window
 * that started at first_at, and the latest. */
typedef struct store_failures { int64_t count, first_at, last_at; } store_failures;
int store_failures_get(store *s, const char *key, store_failures *out, err *e);
int store_failures_add(store *s, const char *key, int64_t now, int64_t window, err *e);
int store_failures_clear(store *s, const char *key, err *e);

/* The access log: logins, refusals, reveals of personal data, and every
 * change of privilege. */
int store_access_log(store *s, int64_t now, int64_t user_id, const char *actor,
                     const char *action, int64_t case_id, const char *detail, err *e);

/* Who changes a privilege (an account, a role, a token, a deadline rule, a
 * setting, the calendar, a published 通报): the change and its access-log
 * entry are one transaction, so neither stands without the other —
 *     int rc = store_begin(s, e);
 *     if (!rc) rc = the change;
 *     rc = store_logged_end(s, rc, &who, "user_created", detail, e);
 * logs and commits when rc is 0, else rolls back; returns the first error. */
typedef struct store_actor {
    int64_t user_id; /* 0 from the command line */
    const char *name;
    int64_t now;
} store_actor;
int store_logged_end(store *s, int rc, const store_actor *who, const char *action, const char *detail, err *e);
typedef struct store_access {
    int64_t id, at, user_id, case_id;
    char actor[64], action[32], detail[256];
} store_access;
typedef int (*store_access_fn)(void *ctx, const store_access *a);
/* Entries after after_id and before before_id (0: no bound), oldest first
 * or newest first. actor and action: exact matches, NULL for any. */
typedef struct store_access_query {
    int64_t after_id, before_id;
    bool newest_first;
    const char *actor, *action;
    int limit; /* 1..1000 */
} store_access_query;
int store_access_list(store *s, const store_access_query *q, store_access_fn fn, void *ctx,
                      err *e);

#endif
