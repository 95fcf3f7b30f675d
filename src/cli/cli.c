/* cli: option parsing and helpers shared by the commands. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "store/store_json.h"
#include "store/store_report.h"
#include "util/datetime.h"
#include "util/text.h"

static const cli_optspec *find_spec(const cli_optspec *spec, const char *name, size_t len) {
    for (; spec && spec->name; spec++)
        if (strlen(spec->name) == len && strncmp(spec->name, name, len) == 0) return spec;
    return NULL;
}

int cli_parse(int argc, char **argv, const cli_optspec *spec, int min_pos, int max_pos,
              const char *usage, cli_args *a, err *e) {
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        /* what enters through the command line is text like any other */
        if (text_check(arg, strlen(arg), "argument", e)) return ERR_INVALID;
        if (strcmp(arg, "--help") == 0 && !find_spec(spec, "help", 4)) {
            printf("usage: %s\n", usage);
            return CLI_HELP;
        }
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (a->npos >= max_pos || a->npos >= CLI_MAX_POS)
                return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (usage: %s)",
                               arg, usage);
            a->pos[a->npos++] = arg;
            continue;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const cli_optspec *sp = find_spec(spec, name, len);
        if (!sp)
            return err_set(e, ERR_INVALID, "option", "unknown option '--%.*s' (usage: %s)",
                           (int)len, name, usage);
        const char *val = NULL;
        if (sp->flags & OPT_ARG) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc && !text_check(argv[i + 1], strlen(argv[i + 1]), sp->name, e))
                val = argv[++i];
            else if (i + 1 < argc)
                return ERR_INVALID;
            else
                return err_set(e, ERR_INVALID, sp->name, "option '--%s' needs a value", sp->name);
        } else if (eq) {
            return err_set(e, ERR_INVALID, sp->name, "option '--%s' takes no value", sp->name);
        }
        int k;
        for (k = 0; k < a->nopt && strcmp(a->opt[k].name, sp->name) != 0; k++) {}
        if (k == a->nopt) {
            if (a->nopt == CLI_MAX_OPTS)
                return err_set(e, ERR_INVALID, "option", "too many options");
            a->opt[a->nopt++].name = sp->name;
        } else if (!(sp->flags & OPT_MULTI)) {
            return err_set(e, ERR_INVALID, sp->name, "option '--%s' given twice", sp->name);
        }
        if (a->opt[k].n == CLI_MAX_VALS)
            return err_set(e, ERR_INVALID, sp->name, "option '--%s' given too often", sp->name);
        a->opt[k].vals[a->opt[k].n++] = val ? val : "";
    }
    if (a->npos < min_pos)
        return err_set(e, ERR_INVALID, "argument", "missing argument (usage: %s)", usage);
    for (; spec && spec->name; spec++)
        if ((spec->flags & OPT_REQUIRED) && !cli_opt(a, spec->name))
            return err_set(e, ERR_INVALID, spec->name, "missing required option '--%s' (usage: %s)",
                           spec->name, usage);
    return 0;
}

int cli_opt_all(const cli_args *a, const char *name, const char *const **vals) {
    for (int k = 0; k < a->nopt; k++)
        if (strcmp(a->opt[k].name, name) == 0) {
            *vals = a->opt[k].vals;
            return a->opt[k].n;
        }
    *vals = NULL;
    return 0;
}

const char *cli_opt(const cli_args *a, const char *name) {
    const char *const *v;
    int n = cli_opt_all(a, name, &v);
    return n ? v[n - 1] : NULL;
}

bool cli_flag(const cli_args *a, const char *name) { return cli_opt(a, name) != NULL; }

int cli_open(cli *c, bool create, err *e) {
    if (c->st) return 0;
    store_opts o = {.must_exist = !create};
    return store_open(c->db_path, &o, &c->st, e);
}

store_actor cli_actor(const cli *c) { return (store_actor){0, c->actor, c->now}; }

void cli_print(json_t *v) {
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY | CASE_JSON_REALS);
    fputc('\n', stdout);
    json_decref(v);
}

int cli_time(cli *c, const char *s, const char *field, int64_t *t, err *e) {
    if (!s) {
        *t = c->now;
        return 0;
    }
    int rc = dt_parse_instant(s, store_env(c->st)->tz, t, e);
    if (rc) {
        err_prefix(e, "--%s: ", field);
        snprintf(e->field, sizeof e->field, "%s", field);
    }
    return rc;
}

int cli_int(const char *s, const char *field, int64_t min, int64_t max, int64_t *out, err *e) {
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < min || v > max)
        return err_set(e, ERR_INVALID, field, "%s '%s' must be a whole number from %lld to %lld",
                       field, s ? s : "", (long long)min, (long long)max);
    *out = v;
    return 0;
}

int cli_collect_notice(void *ctx, const store_notice *n) {
    cli_collect *x = ctx;
    json_array_append_new(x->arr, store_notice_json(n, x->tz));
    return 0;
}
