/* Account changes: check, then change and log in one transaction. */
#include "auth/auth_user.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "store/store_ref.h"

int auth_username_check(const char *name, err *e) {
    size_t n = name ? strlen(name) : 0;
    if (!n || n > 63 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
        return err_set(e, ERR_INVALID, "username", "username '%.80s' must be 1-63 of a-z, 0-9, '.', '_', '-'",
                       name ? name : "");
    return 0;
}

int auth_user_role(store *s, const char *role, const char *unit_code, store_user *u, err *e) {
    auth_role r;
    int rc = auth_role_parse(role, &r, e);
    if (rc) return rc;
    if (r == ROLE_HANDLER && !unit_code) return err_set(e, ERR_INVALID, "unit", "a handler needs a unit");
    u->unit = (unit_ref){0};
    if (unit_code && (rc = store_unit_find(s, unit_code, &u->unit, e)))
        return rc == ERR_NOTFOUND ? err_set(e, ERR_INVALID, "unit", "unknown unit '%.40s'", unit_code) : rc;
    snprintf(u->role, sizeof u->role, "%s", auth_role_name(r));
    return 0;
}

/* The account as it now is, once the change is committed. */
static int reread(store *s, int rc, const char *username, store_user *out, err *e) {
    return rc || !out ? rc : store_user_get(s, username, out, e);
}

static bool is_self(const store_actor *who, const char *username) {
    return who->user_id && who->name && strcmp(who->name, username) == 0;
}

/* 三员分立: by may give or change role (a name from the store or the
 * request; one duban does not know only the command line may change). */
static int may_grant(const auth_principal *by, const char *role, err *e) {
    auth_role r;
    if (auth_role_parse(role, &r, NULL)) r = ROLE_NONE;
    if (!by || auth_may_grant(by, r)) return 0;
    if (r == ROLE_ADMIN || r == ROLE_SECURITY || r == ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "role",
                       "the %s role's accounts are made and changed only on the server's command line",
                       auth_role_name(r));
    return err_set(e, ERR_FORBIDDEN, "role", "the %s role may not grant or change the role '%s'",
                   auth_role_name(by->role), role);
}

/* The account, if by may change it. */
static int get_managed(store *s, const auth_principal *by, const char *username, store_user *u, err *e) {
    int rc = store_user_get(s, username, u, e);
    return rc ? rc : may_grant(by, u->role, e);
}

int auth_user_create(store *s, const store_actor *who, const auth_principal *by, const auth_user_new *n,
                     store_user *out, err *e) {
    store_user u = {0};
    int rc;
    /* the password rule holds from the first password, as for a change */
    if ((rc = auth_username_check(n->username, e)) || (rc = auth_user_role(s, n->role, n->unit_code, &u, e)) ||
        (rc = may_grant(by, u.role, e)) || (rc = auth_check_strength(n->password, n->username, e)) ||
        (rc = auth_hash_password(n->password, u.password_hash, e)))
        return rc;
    u.must_change = by || !n->own_password;
    snprintf(u.username, sizeof u.username, "%s", n->username);
    snprintf(u.display_name, sizeof u.display_name, "%s", n->display_name ? n->display_name : n->username);
    char detail[160];
    snprintf(detail, sizeof detail, "%s role=%s%s%s", u.username, u.role, n->unit_code ? " unit=" : "",
             n->unit_code ? n->unit_code : "");
    if (!(rc = store_begin(s, e))) rc = store_user_add(s, &u, who->now, NULL, e);
    rc = store_logged_end(s, rc, who, "user_created", detail, e);
    return reread(s, rc, u.username, out, e);
}

int auth_user_set_role(store *s, const store_actor *who, const auth_principal *by, const char *username,
                       const char *role, const char *unit_code, store_user *out, err *e) {
    store_user was, u = {0};
    int rc;
    if (is_self(who, username))
        return err_set(e, ERR_CONFLICT, "username", "an administrator cannot change their own role");
    if ((rc = get_managed(s, by, username, &was, e)) || (rc = auth_user_role(s, role, unit_code, &u, e)) ||
        (rc = may_grant(by, u.role, e)))
        return rc;
    char detail[200];
    snprintf(detail, sizeof detail, "%s role %s%s%s -> %s%s%s", was.username, was.role, was.unit.id ? "@" : "",
             was.unit.code, u.role, u.unit.id ? "@" : "", u.unit.code);
    if (!(rc = store_begin(s, e))) rc = store_user_set_role(s, was.username, u.role, u.unit.id, who->now, e);
    rc = store_logged_end(s, rc, who, "role_changed", detail, e);
    return reread(s, rc, was.username, out, e);
}

int auth_user_set_disabled(store *s, const store_actor *who, const auth_principal *by, const char *username,
                           bool disabled, store_user *out, err *e) {
    store_user u;
    if (disabled && is_self(who, username))
        return err_set(e, ERR_CONFLICT, "username", "an administrator cannot disable their own account");
    int rc = get_managed(s, by, username, &u, e);
    if (!rc) rc = store_begin(s, e);
    if (!rc) rc = store_user_set_disabled(s, username, disabled, who->now, e);
    rc = store_logged_end(s, rc, who, disabled ? "user_disabled" : "user_enabled", username, e);
    return reread(s, rc, username, out, e);
}

int auth_user_reset_password(store *s, const store_actor *who, const auth_principal *by,
                             const char *username, const char *password, bool own_password, store_user *out,
                             err *e) {
    store_user u;
    char hash[160];
    int rc;
    if ((rc = get_managed(s, by, username, &u, e)) || (rc = auth_check_strength(password, u.username, e)) ||
        (rc = auth_hash_password(password, hash, e)) || (rc = store_begin(s, e)))
        return rc;
    rc = store_user_set_password(s, u.username, hash, by || !own_password, who->now, e);
    rc = store_logged_end(s, rc, who, "password_reset", u.username, e);
    return reread(s, rc, u.username, out, e);
}
