/* auth: who is asking and what they may do. Passwords are argon2id
 * (libsodium crypto_pwhash_str); session and API-token secrets are 256-bit
 * random values of which only the SHA-256 is stored. Role permissions are
 * tables in auth.c; a handler is scoped to its unit in the store query. */
#ifndef DUBAN_AUTH_H
#define DUBAN_AUTH_H

#include <stdbool.h>

#include "core/view.h"
#include "store/store.h"
#include "store/store_auth.h"

/* ROLE_NONE is 0 so that a zeroed principal may do nothing: whatever is
 * unknown is refused, never read as some role. */
typedef enum {
    ROLE_NONE,       /* no rights at all */
    /* 三员分立 (等保 2.0 level 3): three administrators, none able to do
     * another's work, none able to read a case */
    ROLE_ADMIN,      /* units, categories, calendar, configuration */
    ROLE_AUDITOR,    /* reads the audit and access logs; changes nothing */
    ROLE_SECURITY,   /* accounts and tokens of the business roles below */
    ROLE_OPERATOR,   /* intake */
    ROLE_DISPATCHER, /* 督查室: dispatch, approve, visit, close, supervise */
    ROLE_HANDLER,    /* a unit's clerk: only its unit's cases */
    ROLE_LEADER,     /* reads everything, acts on nothing */
    ROLE_COUNT
} auth_role;

const char *auth_role_name(auth_role r);
const char *auth_role_label(auth_role r); /* 系统管理员 ... */
/* One of the seven role names; anything else (including "") is ERR_INVALID. */
int auth_role_parse(const char *s, auth_role *r, err *e);

#define AUTH_SECRET_HEX 65 /* 64 hex digits and NUL */
#define AUTH_TOKEN_MAX 200  /* a session cookie's value: a secret, or a pass (below) */
#define AUTH_IDLE_S (2 * 3600)       /* a session unused this long has expired */
#define AUTH_ABSOLUTE_S (12 * 3600)  /* and none lives longer than this */

typedef struct auth_principal {
    int64_t user_id, session_id, token_id; /* a session has user and session; a token token_id */
    char name[80];                          /* username, or "token:NAME" */
    char display_name[CASE_NAME_MAX];
    auth_role role;
    unit_ref unit;  /* a handler's unit */
    char csrf[AUTH_SECRET_HEX];
    bool pass; /* signed in with a pass: no session row (auth_login) */
    bool must_change; /* the password was set by someone else: change it first */
    char pass_mac[65]; /* a pass's signature, to end it (auth_end_pass) */
} auth_principal;

/* 8 to 128 bytes; out holds the encoded argon2id hash. */
int auth_hash_password(const char *password, char out[160], err *e);
bool auth_check_password(const char *hash, const char *password);
void auth_new_secret(char out[AUTH_SECRET_HEX]);
void auth_secret_hash(const char *secret, unsigned char out[32]);

/* Checks the password, with throttling per user and per address: after 5
 * failures in 15 minutes each attempt must wait (1, 2, 4 ... 60 s) after the
 * last; after 10 the key is refused until the window ends (ERR_THROTTLED,
 * *retry_after set). Every outcome is written to the access log. On success
 * a new session: *token (the cookie value) and p. While the database takes
 * no writes (ERR_FULL) it cannot keep a session (nor log the login): the
 * token is then a pass — the user, the time and a CSRF secret, signed with
 * the server's key (store_secret) and bound to the account's password (a
 * new password ends it) — good for AUTH_IDLE_S, checked on every request
 * against the account (disabled: refused), p->pass set. */
int auth_login(store *s, const char *username, const char *password, const char *addr,
               int64_t now, char token[AUTH_TOKEN_MAX], auth_principal *p, int64_t *retry_after,
               err *e);
/* Signing out with a pass: this node refuses it from now on (a pass has no
 * row to delete; the database may still take no writes). */
void auth_end_pass(const auth_principal *p, int64_t now);
/* Failures counted under key (store_failures_add): the seconds to wait when
 * max or more fell in the window now open, else 0. A failure is counted by
 * the caller once it has failed; checking counts nothing. */
int64_t auth_failures_wait(store *s, const char *key, int max, int64_t window, int64_t now);
/* Counts one use of something limited under key — in the database, so that
 * every node counts together. Past limit uses in one window: ERR_THROTTLED
 * and *retry_after, the seconds until the window ends. */
int auth_rate(store *s, const char *key, int limit, int64_t window, int64_t now,
              int64_t *retry_after, err *e);

/* A password a person chooses: at least 10 characters, at least two kinds
 * (letters, digits, others), not containing the username. */
int auth_check_strength(const char *password, const char *username, err *e);
/* A signed-in user's own change: the current password must be right (a
 * wrong one counts as a failed login), the new one strong; every session
 * and token of the user ends (this one too), and the change is logged. */
int auth_change_password(store *s, const auth_principal *p, const char *current,
                         const char *fresh, const char *addr, int64_t now, err *e);

/* A session cookie's principal, or ERR_AUTH if unknown, ended or expired. */
int auth_session(store *s, const char *token, int64_t now, auth_principal *p, err *e);
int auth_logout(store *s, const auth_principal *p, int64_t now, err *e);
/* An API token's principal, or ERR_AUTH if unknown or revoked. */
int auth_bearer(store *s, const char *token, auth_principal *p, err *e);
/* Creates an API token for an integration; *token is shown once. by (NULL:
 * the command line) must be able to grant role (auth_may_grant). */
int auth_token_create(store *s, const char *name, auth_role role, const char *unit_code,
                      const auth_principal *by, int64_t now, char token[AUTH_SECRET_HEX], int64_t *id,
                      err *e);

/* ---- permissions ---- */
bool auth_reads_cases(auth_role r);
bool auth_creates_cases(auth_role r);
bool auth_may_act(auth_role r, case_action a);
bool auth_sees_contact(auth_role r); /* full requester name and phone */
/* Whether by may give an account (or an API token) the role r, or change
 * an account that has it: the security administrator manages the business
 * roles; nobody manages the three administrators' accounts through the
 * API. by NULL is the server's command line, which manages every role. */
bool auth_may_grant(const struct auth_principal *by, auth_role r);
/* Which view of a case (core/view.h) a role gets: contact details in full
 * for intake and dispatch, masked for every other staff role, the public's
 * for none. */
case_view auth_case_view(auth_role r);
/* The unit a principal is confined to (handlers), or 0. */
int64_t auth_scope(const auth_principal *p);

#endif
