/* auth_user: the account changes an administrator makes, from the API
 * (http/res_ref.c) and the command line (cli/cmd_user.c) alike. Each checks
 * its input, then makes the change and writes its access-log entry in one
 * transaction (store_logged_end): a change is never made unlogged, and a
 * refused one writes nothing. out, when not NULL, receives the account as it
 * now is. who is the entry's actor (user_id 0 from the command line). by is
 * the principal whose role decides which accounts they may make or change
 * (auth_may_grant: 三员分立; ERR_FORBIDDEN otherwise), NULL from the command
 * line, which may change any. An administrator may not change their own
 * role nor disable themselves (ERR_CONFLICT: another must). A password set
 * here is someone else's: it must be changed at first sign-in, unless the
 * command line says it is the holder's own (own_password). */
#ifndef DUBAN_AUTH_USER_H
#define DUBAN_AUTH_USER_H

#include <stdbool.h>

#include "store/store.h"
#include "store/store_auth.h"

struct auth_principal;

/* An account's name: 1-63 of a-z, 0-9, '.', '_', '-' (else ERR_INVALID naming
 * "username"). */
int auth_username_check(const char *name, err *e);
/* An account's role and unit into u (role name, unit found by code): a
 * handler needs a unit (ERR_INVALID naming the field; an unknown unit too). */
int auth_user_role(store *s, const char *role, const char *unit_code, store_user *u, err *e);

typedef struct auth_user_new {
    const char *username, *role, *unit_code; /* unit_code: NULL for none */
    const char *display_name;                /* NULL: the username */
    const char *password;                    /* held to auth_check_strength */
    bool own_password;                       /* the command line only (above) */
} auth_user_new;
int auth_user_create(store *s, const store_actor *who, const struct auth_principal *by, const auth_user_new *n,
                     store_user *out, err *e);
int auth_user_set_role(store *s, const store_actor *who, const struct auth_principal *by, const char *username,
                       const char *role, const char *unit_code, store_user *out, err *e);
/* A disabled account's sessions end and its API tokens are revoked. */
int auth_user_set_disabled(store *s, const store_actor *who, const struct auth_principal *by, const char *username,
                           bool disabled, store_user *out, err *e);
/* A new password, held to auth_check_strength; the user's sessions end. */
int auth_user_reset_password(store *s, const store_actor *who, const struct auth_principal *by,
                             const char *username, const char *password, bool own_password, store_user *out,
                             err *e);

#endif
