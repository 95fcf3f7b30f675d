/* auth: see auth.h. */
#include "auth/auth.h"

#include "store/store_auth.h"
#include "store/store_ref.h"
#include "util/mutant.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const struct { const char *name, *label; } roles[ROLE_COUNT] = {
    [ROLE_NONE] = {"none", "无权限"},
    [ROLE_ADMIN] = {"admin", "系统管理员"},     [ROLE_AUDITOR] = {"auditor", "审计管理员"},
    [ROLE_SECURITY] = {"security", "安全管理员"},
    [ROLE_OPERATOR] = {"operator", "受理员"},   [ROLE_DISPATCHER] = {"dispatcher", "督办员"},
    [ROLE_HANDLER] = {"handler", "承办员"},     [ROLE_LEADER] = {"leader", "领导"},
};

const char *auth_role_name(auth_role r) { return r < ROLE_COUNT ? roles[r].name : "?"; }
const char *auth_role_label(auth_role r) { return r < ROLE_COUNT ? roles[r].label : "?"; }

int auth_role_parse(const char *s, auth_role *r, err *e) {
    for (int i = ROLE_NONE + 1; i < ROLE_COUNT; i++)
        if (s && strcmp(s, roles[i].name) == 0) {
            *r = (auth_role)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "role",
                   "unknown role '%s' (want admin, security, auditor, operator, dispatcher, handler or leader)",
                   s ? s : "");
}

/* ---- secrets ---- */

/* OWASP's argon2id setting (19 MiB, 2 passes): a login costs tens of
 * milliseconds and the server's memory stays small under many logins. */
#define PW_OPS 2
#define PW_MEM (19u << 20)

int auth_hash_password(const char *password, char out[160], err *e) {
    size_t n = password ? strlen(password) : 0;
    if (n < 8 || n > 128)
        return err_set(e, ERR_INVALID, "password", "a password must be 8 to 128 bytes");
    if (sodium_init() < 0 || crypto_pwhash_str(out, password, n, PW_OPS, PW_MEM) != 0)
        return err_set(e, ERR_NOMEM, "", "cannot hash the password (out of memory)");
    return 0;
}

bool auth_check_password(const char *hash, const char *password) {
    return hash && password && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_new_secret(char out[AUTH_SECRET_HEX]) {
    unsigned char raw[32];
    if (sodium_init() < 0) abort();
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, AUTH_SECRET_HEX, raw, sizeof raw);
}

void auth_secret_hash(const char *secret, unsigned char out[32]) {
    crypto_hash_sha256(out, (const unsigned char *)secret, strlen(secret));
}

/* ---- sessions and tokens ---- */

/* A stored role duban does not know (a hand-edited row, a newer
 * version's role) signs nobody in. */
static int from_user(auth_principal *p, const store_user *u, err *e) {
    auth_role r;
    memset(p, 0, sizeof *p);
    if (auth_role_parse(u->role, &r, NULL))
        return err_set(e, ERR_AUTH, "role", "the account's role '%s' is unknown", u->role);
    p->user_id = u->id;
    snprintf(p->name, sizeof p->name, "%s", u->username);
    snprintf(p->display_name, sizeof p->display_name, "%s", u->display_name);
    p->role = r;
    p->unit = u->unit;
    p->must_change = u->must_change;
    return 0;
}

#define THROTTLE_WINDOW (15 * 60)

/* Failed logins are counted under three keys, each with when attempts slow
 * down (1, 2, 4 ... 60 s after the last failure) and when they are refused
 * until the window ends. The account and the account from one address slow
 * down early; an address alone is refused only far later, so that one person
 * guessing behind an office's NAT does not lock out everyone there. */
static const struct { const char *prefix; int64_t slow, refuse; } throttle_keys[] = {
    {"user:", 10, 20}, /* the account from anywhere: guessed from many places */
    {"pair:", 5, 10},  /* the account from this address: one guesser */
    {"addr:", 0, 100}, /* this address, whatever account */
};
#define THROTTLE_KEYS (sizeof throttle_keys / sizeof *throttle_keys)

static void throttle_key(char out[160], size_t k, const char *username, const char *addr) {
    if (k == 0) snprintf(out, 160, "user:%.100s", username);
    else if (k == 1) snprintf(out, 160, "pair:%.100s@%.50s", username, addr);
    else snprintf(out, 160, "addr:%.100s", addr);
}

/* Failures the database could not record (a full disk, a read-only
 * replica) are kept in this process instead, so that guessing does not
 * become free when writes fail: the throttle fails closed. Bounded; a new
 * key takes the slot whose window ended, else the oldest. */
#define MEM_FAILS 256
static struct mem_fail {
    char key[160];
    store_failures f;
} mem_fails[MEM_FAILS];
static pthread_mutex_t mem_mu = PTHREAD_MUTEX_INITIALIZER;

static void mem_add(const char *key, int64_t now) {
    pthread_mutex_lock(&mem_mu);
    struct mem_fail *slot = NULL, *oldest = &mem_fails[0];
    for (int i = 0; i < MEM_FAILS && !slot; i++)
        if (!strcmp(mem_fails[i].key, key)) slot = &mem_fails[i];
    for (int i = 0; i < MEM_FAILS && !slot; i++)
        if (mem_fails[i].f.last_at < oldest->f.last_at) oldest = &mem_fails[i];
    if (!slot) {
        slot = oldest;
        snprintf(slot->key, sizeof slot->key, "%s", key);
        slot->f = (store_failures){0};
    }
    if (slot->f.first_at + THROTTLE_WINDOW <= now) slot->f = (store_failures){0, now, now};
    slot->f.count++;
    slot->f.last_at = now;
    pthread_mutex_unlock(&mem_mu);
}

/* A failure, in the database or (when it cannot be written) in memory. */
static void failure_add(store *s, const char *key, int64_t now) {
    if (store_failures_add(s, key, now, THROTTLE_WINDOW, NULL)) mem_add(key, now);
}

/* The failures under key: the database's, or this process's when they are
 * more (a disk that filled). Nonzero: none known. */
static int failures_get(store *s, const char *key, store_failures *f) {
    int rc = store_failures_get(s, key, f, NULL);
    pthread_mutex_lock(&mem_mu);
    for (int i = 0; i < MEM_FAILS; i++)
        if (!strcmp(mem_fails[i].key, key) && (rc || mem_fails[i].f.count > f->count)) {
            *f = mem_fails[i].f;
            rc = 0;
        }
    pthread_mutex_unlock(&mem_mu);
    return rc;
}

static void failures_clear(store *s, const char *key) {
    store_failures_clear(s, key, NULL);
    pthread_mutex_lock(&mem_mu);
    for (int i = 0; i < MEM_FAILS; i++)
        if (!strcmp(mem_fails[i].key, key)) mem_fails[i] = (struct mem_fail){0};
    pthread_mutex_unlock(&mem_mu);
}

int64_t auth_failures_wait(store *s, const char *key, int max, int64_t window, int64_t now) {
    store_failures f;
    if (failures_get(s, key, &f) || f.first_at + window <= now || f.count < max) return 0;
    return f.first_at + window - now;
}

/* Seconds to wait before another attempt under key k, 0 if none. */
static int64_t throttled_k(store *s, const char *key, size_t k, int64_t now) {
    store_failures f;
    if (failures_get(s, key, &f) || f.first_at + THROTTLE_WINDOW <= now) return 0;
    if (f.count >= throttle_keys[k].refuse) return f.first_at + THROTTLE_WINDOW - now;
    if (throttle_keys[k].slow && f.count >= throttle_keys[k].slow) {
        int64_t wait = (int64_t)1 << (f.count - throttle_keys[k].slow);
        if (wait > 60) wait = 60;
        return f.last_at + wait > now ? f.last_at + wait - now : 0;
    }
    return 0;
}

static int64_t throttled(store *s, const char *key, int64_t now) { return throttled_k(s, key, 0, now); }

/* A hash to check a password against when there is no account (or it is
 * disabled), so that a wrong name takes as long as a wrong password. */
static char dummy_hash[160];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void) { auth_hash_password("no such account, no such password", dummy_hash, NULL); }

/* ---- passes: signing in while the database takes no writes ---- */

#define PASS_PREFIX "p1."

/* The pass's signature, over the account's password hash too: a new
 * password (set by the user or reset by an administrator) ends every pass. */
static void pass_mac(const unsigned char key[32], int64_t uid, int64_t issued, const char *csrf,
                     const char *password_hash, char out[65]) {
    char msg[160];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    int n = snprintf(msg, sizeof msg, PASS_PREFIX "%lld.%lld.%s", (long long)uid, (long long)issued, csrf);
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, key, 32);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)msg, (unsigned long long)n);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)"\n", 1);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)password_hash, strlen(password_hash));
    crypto_auth_hmacsha256_final(&h, mac);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* Passes signed out on this node, until they would have expired anyway. */
#define ENDED_PASSES 256
static struct ended_pass {
    char mac[65];
    int64_t until;
} ended[ENDED_PASSES];
static pthread_mutex_t ended_mu = PTHREAD_MUTEX_INITIALIZER;

void auth_end_pass(const auth_principal *p, int64_t now) {
    if (!p->pass || !p->pass_mac[0]) return;
    pthread_mutex_lock(&ended_mu);
    struct ended_pass *slot = &ended[0];
    for (int i = 0; i < ENDED_PASSES; i++)
        if (ended[i].until < slot->until) slot = &ended[i]; /* a free or the soonest to lapse */
    snprintf(slot->mac, sizeof slot->mac, "%s", p->pass_mac);
    slot->until = now + AUTH_IDLE_S;
    pthread_mutex_unlock(&ended_mu);
}

static bool pass_ended(const char *mac, int64_t now) {
    bool gone = false;
    pthread_mutex_lock(&ended_mu);
    for (int i = 0; i < ENDED_PASSES && !gone; i++) gone = ended[i].until > now && !strcmp(ended[i].mac, mac);
    pthread_mutex_unlock(&ended_mu);
    return gone;
}

static int make_pass(store *s, const store_user *u, int64_t now, char token[AUTH_TOKEN_MAX], auth_principal *p,
                     err *e) {
    unsigned char key[32];
    char mac[65];
    int rc = store_secret(s, "session_pass_key", key, e);
    if (rc) return rc;
    pass_mac(key, u->id, now, p->csrf, u->password_hash, mac);
    snprintf(token, AUTH_TOKEN_MAX, PASS_PREFIX "%lld.%lld.%s.%s", (long long)u->id, (long long)now, p->csrf, mac);
    sodium_memzero(key, sizeof key);
    p->session_id = 0;
    p->pass = true;
    snprintf(p->pass_mac, sizeof p->pass_mac, "%s", mac);
    return 0;
}

static int read_pass(store *s, const char *token, int64_t now, auth_principal *p, err *e) {
    long long uid, issued;
    char csrf[AUTH_SECRET_HEX], mac[65], want[65];
    unsigned char key[32];
    int n = 0;
    if (sscanf(token, PASS_PREFIX "%lld.%lld.%64[0-9a-f].%64[0-9a-f]%n", &uid, &issued, csrf, mac, &n) != 4 ||
        token[n] || strlen(csrf) != 64 || strlen(mac) != 64)
        return err_set(e, ERR_AUTH, "session", "not signed in");
    store_user u;
    int rc = store_user_get_id(s, uid, &u, e);
    if (rc && rc != ERR_NOTFOUND) return rc;
    if (rc) return err_set(e, ERR_AUTH, "session", "not signed in");
    if ((rc = store_secret(s, "session_pass_key", key, e))) return rc;
    pass_mac(key, uid, issued, csrf, u.password_hash, want);
    sodium_memzero(key, sizeof key);
    /* forged, or signed before the password was changed, or signed out */
    if (sodium_memcmp(want, mac, 64) != 0 || pass_ended(mac, now))
        return err_set(e, ERR_AUTH, "session", "not signed in");
    if (now - issued > AUTH_IDLE_S || issued > now + 300)
        return err_set(e, ERR_AUTH, "session", "the session has expired; sign in again");
    if (u.disabled) return err_set(e, ERR_AUTH, "session", "the account is disabled");
    if ((rc = from_user(p, &u, e))) return rc;
    snprintf(p->csrf, sizeof p->csrf, "%s", csrf);
    p->pass = true;
    snprintf(p->pass_mac, sizeof p->pass_mac, "%s", mac);
    return 0;
}

int auth_login(store *s, const char *username, const char *password, const char *addr,
               int64_t now, char token[AUTH_TOKEN_MAX], auth_principal *p, int64_t *retry_after,
               err *e) {
    char keys[THROTTLE_KEYS][160];
    store_user u;
    const char *name = username ? username : "";
    *retry_after = 0;
    for (size_t k = 0; k < THROTTLE_KEYS; k++) throttle_key(keys[k], k, name, addr ? addr : "?");
    /* The account's count (failures from anywhere) holds back only an
     * address that has itself failed on it: failures from elsewhere never
     * refuse the right password from a new address, or anyone could lock
     * anyone out; they raise an alert instead (below). */
    store_failures here;
    bool failed_here = !failures_get(s, keys[1], &here) && here.first_at + THROTTLE_WINDOW > now &&
                       here.count > 0;
    for (size_t k = 0; k < THROTTLE_KEYS; k++) {
        if (k == 0 && !failed_here) continue;
        int64_t wait = throttled_k(s, keys[k], k, now);
        if (wait > *retry_after) *retry_after = wait;
    }
    if (*retry_after) {
        store_access_log(s, now, 0, name, "login_throttled", 0, addr, NULL);
        return err_set(e, ERR_THROTTLED, "username",
                       "too many failed logins; try again in %lld seconds", (long long)*retry_after);
    }
    int rc = username ? store_user_get(s, username, &u, e) : ERR_NOTFOUND;
    if (rc && rc != ERR_NOTFOUND) return rc; /* the database failed: not a wrong password */
    bool known = rc == 0;
    if (!known) pthread_once(&dummy_once, make_dummy);
    /* the hash is checked either way: the time does not tell which it was */
    bool ok = auth_check_password(known ? u.password_hash : dummy_hash, password) && known;
    if (ok && u.disabled) {
        /* only someone who knows the password learns that the account is off */
        store_access_log(s, now, u.id, name, "login_disabled", 0, addr, NULL);
        return err_set(e, ERR_FORBIDDEN, "username",
                       "the account is disabled; an administrator can enable it");
    }
    if (!ok) {
        for (size_t k = 0; k < THROTTLE_KEYS; k++) failure_add(s, keys[k], now);
        store_access_log(s, now, 0, name, "login_failed", 0, addr, NULL);
        store_failures all;
        if (!failures_get(s, keys[0], &all) && all.count == throttle_keys[0].refuse)
            store_access_log(s, now, known ? u.id : 0, name, "login_attack", 0,
                             "the account's password guessed from many addresses", NULL);
        /* The same answer for an unknown user, a disabled one and a wrong password. */
        return err_set(e, ERR_AUTH, "password", "wrong username or password");
    }
    failures_clear(s, keys[0]);
    failures_clear(s, keys[1]);
    if ((rc = from_user(p, &u, e))) return rc;
    auth_new_secret(token);
    auth_new_secret(p->csrf);
    unsigned char h[32];
    auth_secret_hash(token, h);
    /* the session and its login entry in one transaction: none unlogged */
    store_actor who = {u.id, u.username, now};
    if (!(rc = store_begin(s, e))) rc = store_session_add(s, h, u.id, p->csrf, now, &p->session_id, e);
    rc = store_logged_end(s, rc, &who, "login", addr, e);
    if (rc == ERR_FULL) return make_pass(s, &u, now, token, p, e);
    return rc;
}

int auth_check_strength(const char *pw, const char *username, err *e) {
    int letters = 0, digits = 0, others = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)(pw ? pw : ""); *p; p++) {
        chars += (*p & 0xC0) != 0x80;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) letters = 1;
        else if (*p >= '0' && *p <= '9') digits = 1;
        else if ((*p & 0xC0) != 0x80) others = 1;
    }
    if (chars < 10)
        return err_set(e, ERR_INVALID, "password", "a password needs at least 10 characters");
    if (letters + digits + others < 2)
        return err_set(e, ERR_INVALID, "password",
                       "a password needs two kinds of characters (letters, digits, others)");
    if (username && username[0] && strstr(pw, username))
        return err_set(e, ERR_INVALID, "password", "a password must not contain the username");
    return 0;
}

int auth_change_password(store *s, const auth_principal *p, const char *current,
                         const char *fresh, const char *addr, int64_t now, err *e) {
    store_user u;
    char hash[160], key[96];
    if (!p->user_id) return err_set(e, ERR_FORBIDDEN, "", "an API token has no password");
    int rc = store_user_get_id(s, p->user_id, &u, e);
    if (rc) return rc;
    snprintf(key, sizeof key, "user:%s", u.username);
    int64_t wait = throttled(s, key, now);
    if (wait)
        return err_set(e, ERR_THROTTLED, "current_password",
                       "too many wrong passwords; try again in %lld seconds", (long long)wait);
    if (!current || !auth_check_password(u.password_hash, current)) {
        failure_add(s, key, now);
        store_access_log(s, now, u.id, u.username, "password_change_refused", 0, addr, NULL);
        return err_set(e, ERR_INVALID, "current_password", "the current password is wrong");
    }
    if ((rc = auth_check_strength(fresh, u.username, e))) return rc;
    if (!strcmp(fresh, current))
        return err_set(e, ERR_INVALID, "new_password", "the new password must differ from the current one");
    if ((rc = auth_hash_password(fresh, hash, e))) return rc;
    store_actor who = {u.id, u.username, now};
    if (!(rc = store_begin(s, e))) rc = store_user_set_password(s, u.username, hash, false, now, e);
    return store_logged_end(s, rc, &who, "password_changed", addr, e);
}

int auth_rate(store *s, const char *key, int limit, int64_t window, int64_t now,
              int64_t *retry_after, err *e) {
    store_failures f;
    int rc = store_failures_add(s, key, now, window, e);
    if (!rc) rc = store_failures_get(s, key, &f, e);
    if (rc) return rc;
    *retry_after = 0;
    if (f.count <= limit) return 0;
    *retry_after = f.first_at + window - now > 0 ? f.first_at + window - now : 1;
    return err_set(e, ERR_THROTTLED, "", "too many requests; try again in %lld seconds",
                   (long long)*retry_after);
}

int auth_session(store *s, const char *token, int64_t now, auth_principal *p, err *e) {
    unsigned char h[32];
    store_session ss;
    store_user u;
    if (token && !strncmp(token, PASS_PREFIX, strlen(PASS_PREFIX))) return read_pass(s, token, now, p, e);
    if (!token || strlen(token) != AUTH_SECRET_HEX - 1)
        return err_set(e, ERR_AUTH, "session", "not signed in");
    auth_secret_hash(token, h);
    int rc = store_session_get(s, h, &ss, e);
    if (rc && rc != ERR_NOTFOUND) return rc; /* an outage is not "signed out" */
    if (rc || ss.ended_at)
        return err_set(e, ERR_AUTH, "session", "not signed in (the session has ended)");
    if (now - ss.last_seen > AUTH_IDLE_S || now - ss.created_at > AUTH_ABSOLUTE_S)
        return err_set(e, ERR_AUTH, "session", "the session has expired; sign in again");
    if ((rc = store_user_get_id(s, ss.user_id, &u, e)) && rc != ERR_NOTFOUND) return rc;
    if (rc || u.disabled) return err_set(e, ERR_AUTH, "session", "the account is disabled");
    if ((rc = from_user(p, &u, e))) return rc;
    p->session_id = ss.id;
    snprintf(p->csrf, sizeof p->csrf, "%s", ss.csrf);
    /* Idle time is counted in minutes: writing on every request would not pay. */
    if (now - ss.last_seen >= 60) store_session_touch(s, ss.id, now, NULL);
    return 0;
}

int auth_logout(store *s, const auth_principal *p, int64_t now, err *e) {
    store_actor who = {p->user_id, p->name, now};
    int rc = store_begin(s, e);
    if (!rc) rc = store_session_end(s, p->session_id, now, e);
    return store_logged_end(s, rc, &who, "logout", NULL, e);
}

int auth_bearer(store *s, const char *token, auth_principal *p, err *e) {
    unsigned char h[32];
    store_token t;
    if (!token || strlen(token) != AUTH_SECRET_HEX - 1)
        return err_set(e, ERR_AUTH, "token", "malformed API token");
    auth_secret_hash(token, h);
    int rc = store_token_get(s, h, &t, e);
    if (rc && rc != ERR_NOTFOUND) return rc;
    if (rc || t.revoked_at) return err_set(e, ERR_AUTH, "token", "unknown or revoked API token");
    memset(p, 0, sizeof *p);
    if (auth_role_parse(t.role, &p->role, NULL))
        return err_set(e, ERR_AUTH, "token", "the token's role '%s' is unknown", t.role);
    p->token_id = t.id;
    snprintf(p->name, sizeof p->name, "token:%.60s", t.name);
    snprintf(p->display_name, sizeof p->display_name, "%s", t.name);
    p->unit = t.unit;
    return 0;
}

int auth_token_create(store *s, const char *name, auth_role role, const char *unit_code,
                      const auth_principal *by, int64_t now, char token[AUTH_SECRET_HEX], int64_t *id,
                      err *e) {
    store_token t = {.created_by = by ? by->user_id : 0, .created_at = now};
    if (!auth_may_grant(by, role))
        return err_set(e, ERR_FORBIDDEN, "role", "the %s role may not issue a token of the %s role",
                       auth_role_name(by ? by->role : ROLE_NONE), auth_role_name(role));
    if (!name || !name[0] || strlen(name) >= sizeof t.name)
        return err_set(e, ERR_INVALID, "name", "a token name must be 1-%zu bytes", sizeof t.name - 1);
    if (role == ROLE_HANDLER && !unit_code)
        return err_set(e, ERR_INVALID, "unit", "a handler token needs a unit");
    if (unit_code && store_unit_find(s, unit_code, &t.unit, e)) return e ? e->code : ERR_NOTFOUND;
    snprintf(t.name, sizeof t.name, "%s", name);
    snprintf(t.role, sizeof t.role, "%s", auth_role_name(role));
    auth_new_secret(token);
    unsigned char h[32];
    auth_secret_hash(token, h);
    return store_token_add(s, h, &t, id, e);
}

/* ---- permissions ---- */

#define R(x) (1u << (x))

/* Which roles may take each action (the state machine decides when). */
static const unsigned act_roles[ACT_COUNT] = {
    [ACT_CREATE] = R(ROLE_OPERATOR) | R(ROLE_DISPATCHER),
    [ACT_DISPATCH] = R(ROLE_DISPATCHER),
    [ACT_MERGE] = R(ROLE_DISPATCHER) | R(ROLE_OPERATOR),
    [ACT_REJECT] = R(ROLE_DISPATCHER),
    [ACT_ACCEPT] = R(ROLE_HANDLER),
    [ACT_RETURN] = R(ROLE_HANDLER),
    [ACT_FEEDBACK] = R(ROLE_HANDLER),
    [ACT_REQUEST_EXTENSION] = R(ROLE_HANDLER),
    [ACT_APPROVE_EXTENSION] = R(ROLE_DISPATCHER),
    [ACT_DENY_EXTENSION] = R(ROLE_DISPATCHER),
    [ACT_PROPOSE_PLAN] = R(ROLE_HANDLER),
    [ACT_APPROVE_PLAN] = R(ROLE_DISPATCHER),
    [ACT_DENY_PLAN] = R(ROLE_DISPATCHER),
    [ACT_RESOLVE] = R(ROLE_HANDLER),
    [ACT_VISIT] = R(ROLE_DISPATCHER) | R(ROLE_OPERATOR),
    [ACT_WAIVE_VISIT] = R(ROLE_DISPATCHER),
    [ACT_REOPEN] = R(ROLE_DISPATCHER),
    [ACT_CLOSE] = R(ROLE_DISPATCHER),
    [ACT_PUBLISH] = R(ROLE_DISPATCHER),
    [ACT_ANSWER] = R(ROLE_OPERATOR) | R(ROLE_DISPATCHER), /* the 12345 centre */
    [ACT_REASSIGN] = R(ROLE_DISPATCHER),
    [ACT_INSTRUCT] = R(ROLE_LEADER), /* 领导批示: the one thing a leader writes on a case */
    [ACT_UNREACHABLE] = R(ROLE_DISPATCHER) | R(ROLE_OPERATOR), /* as visits are */
    [ACT_CLOSE_UNREACHABLE] = R(ROLE_DISPATCHER),
    /* through POST /cases/{id}/attachments: evidence from the centre and the units */
    [ACT_ATTACH] = R(ROLE_OPERATOR) | R(ROLE_DISPATCHER) | R(ROLE_HANDLER),
    [ACT_PUBLISH_ATTACHMENT] = R(ROLE_DISPATCHER),
    [ACT_URGE] = R(ROLE_DISPATCHER), /* 催办 */
    [ACT_REQUEST_REVIEW] = R(ROLE_HANDLER), /* 申诉: the unit the visit judged */
    [ACT_UPHOLD_REVIEW] = R(ROLE_DISPATCHER), /* 复核: the 督查室 decides */
    [ACT_REJECT_REVIEW] = R(ROLE_DISPATCHER),
};

bool auth_reads_cases(auth_role r) {
    return (R(r) & (R(ROLE_OPERATOR) | R(ROLE_DISPATCHER) | R(ROLE_HANDLER) | R(ROLE_LEADER))) != 0;
}
bool auth_creates_cases(auth_role r) { return (act_roles[ACT_CREATE] & R(r)) != 0; }
bool auth_may_act(auth_role r, case_action a) { return a < ACT_COUNT && (act_roles[a] & R(r)) != 0; }
case_view auth_case_view(auth_role r) {
    if (r == ROLE_NONE || r >= ROLE_COUNT) return VIEW_PUBLIC;
    if (MUTANT("masking")) return VIEW_CONTACT;
    return r == ROLE_OPERATOR || r == ROLE_DISPATCHER ? VIEW_CONTACT : VIEW_MASKED;
}

bool auth_sees_contact(auth_role r) { return auth_case_view(r) == VIEW_CONTACT; }

/* Which roles each role may grant (三员分立): the security administrator
 * the business roles; the system administrator and the auditor none. */
static const unsigned grant_roles[ROLE_COUNT] = {
    [ROLE_SECURITY] = R(ROLE_OPERATOR) | R(ROLE_DISPATCHER) | R(ROLE_HANDLER) | R(ROLE_LEADER),
};

bool auth_may_grant(const auth_principal *by, auth_role r) {
    if (r == ROLE_NONE || r >= ROLE_COUNT) return false;
    return !by || (by->role < ROLE_COUNT && (grant_roles[by->role] & R(r)) != 0);
}
int64_t auth_scope(const auth_principal *p) { return p->role == ROLE_HANDLER && !MUTANT("scope") ? p->unit.id : 0; }
