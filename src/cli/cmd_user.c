/* duban user / duban token: accounts and API tokens. A password comes from
 * --password or, better (it stays out of shell history), the first line of
 * standard input with --password-stdin. The command line is the only place
 * the three administrators' accounts (admin, security, auditor) are made
 * or changed (三员分立, auth_user.h). A password given here is changed at
 * the account's first sign-in unless --own-password says the one typing it
 * is the account's holder. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/auth_user.h"
#include "cli/cli.h"
#include "store/store_ref.h"
#include "store/store_auth.h"

static int read_password(const cli_args *a, char *out, size_t n, err *e) {
    if (cli_opt(a, "password")) {
        snprintf(out, n, "%s", cli_opt(a, "password"));
        return 0;
    }
    if (!cli_flag(a, "password-stdin") || !fgets(out, (int)n, stdin))
        return err_set(e, ERR_INVALID, "password", "give --password P or --password-stdin");
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static json_t *user_json(const store_user *u) {
    return json_pack("{s:s, s:s, s:s, s:o, s:b, s:b}", "username", u->username, "display_name",
                     u->display_name, "role", u->role, "unit",
                     u->unit.id ? json_string(u->unit.code) : json_null(), "disabled", u->disabled,
                     "must_change_password", u->must_change);
}

static int list_user(void *ctx, const store_user *u) {
    json_array_append_new(ctx, user_json(u));
    return 0;
}

int cmd_user(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"unit", OPT_ARG}, {"name", OPT_ARG}, {"password", OPT_ARG},
                                       {"password-stdin", 0}, {"own-password", 0},
                                       {NULL, 0}};
    const char *usage = "duban user add USERNAME ROLE [--unit CODE] [--name DISPLAY]"
                        " (--password P | --password-stdin) [--own-password] | user passwd USERNAME ..."
                        " | user role USERNAME ROLE [--unit CODE]"
                        " | user disable USERNAME | user enable USERNAME | user list";
    cli_args a;
    int rc = cli_parse(argc, argv, spec, 1, 3, usage, &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    const char *sub = a.pos[0], *unit = cli_opt(&a, "unit");
    char pw[160];
    store_user u;
    store_actor who = cli_actor(c);
    if (strcmp(sub, "list") == 0 && a.npos == 1) {
        json_t *arr = json_array();
        if ((rc = store_user_list(c->st, list_user, arr, e))) json_decref(arr);
        else cli_print(arr);
        return rc;
    }
    if (strcmp(sub, "add") == 0 && a.npos == 3) {
        auth_user_new n = {a.pos[1], a.pos[2], unit, cli_opt(&a, "name"), pw, cli_flag(&a, "own-password")};
        rc = read_password(&a, pw, sizeof pw, e);
        if (!rc) rc = auth_user_create(c->st, &who, NULL, &n, &u, e);
    } else if (strcmp(sub, "passwd") == 0 && a.npos == 2) {
        rc = read_password(&a, pw, sizeof pw, e);
        if (!rc) rc = auth_user_reset_password(c->st, &who, NULL, a.pos[1], pw, cli_flag(&a, "own-password"), &u, e);
    } else if (strcmp(sub, "role") == 0 && a.npos == 3) {
        rc = auth_user_set_role(c->st, &who, NULL, a.pos[1], a.pos[2], unit, &u, e);
    } else if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && a.npos == 2) {
        rc = auth_user_set_disabled(c->st, &who, NULL, a.pos[1], sub[0] == 'd', &u, e);
    } else {
        return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
    }
    if (!rc) cli_print(user_json(&u));
    return rc;
}

int cmd_token(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"unit", OPT_ARG}, {NULL, 0}};
    const char *usage = "duban token create NAME ROLE [--unit CODE] | token revoke ID";
    cli_args a;
    int rc = cli_parse(argc, argv, spec, 2, 3, usage, &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    if (strcmp(a.pos[0], "create") == 0 && a.npos == 3) {
        auth_role role;
        char token[AUTH_SECRET_HEX];
        int64_t id;
        store_actor who = cli_actor(c);
        char detail[160];
        if ((rc = auth_role_parse(a.pos[2], &role, e)) || (rc = store_begin(c->st, e))) return rc;
        rc = auth_token_create(c->st, a.pos[1], role, cli_opt(&a, "unit"), NULL, c->now, token, &id, e);
        snprintf(detail, sizeof detail, "%lld %.60s role=%s", rc ? 0LL : (long long)id, a.pos[1], a.pos[2]);
        if ((rc = store_logged_end(c->st, rc, &who, "token_issued", detail, e))) return rc;
        /* The secret is shown once; only its hash is stored. */
        cli_print(json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", a.pos[1], "role",
                            a.pos[2], "token", token));
        return 0;
    }
    if (strcmp(a.pos[0], "revoke") == 0 && a.npos == 2) {
        int64_t id;
        store_actor who = cli_actor(c);
        if ((rc = cli_int(a.pos[1], "token id", 1, INT64_MAX, &id, e)) || (rc = store_begin(c->st, e))) return rc;
        rc = store_token_revoke(c->st, id, c->now, e);
        if ((rc = store_logged_end(c->st, rc, &who, "token_revoked", a.pos[1], e))) return rc;
        cli_print(json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
        return 0;
    }
    return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
}
