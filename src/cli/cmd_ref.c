/* Commands for reference data: init, config, units, categories, the
 * calendar and the deadline policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/case_json.h"
#include "store/store_auth.h"
#include "store/store_json.h"
#include "store/store_ref.h"
#include "store/store_report.h"
#include "util/datetime.h"

static int year_to_json(void *ctx, const store_cal_year *y) {
    json_array_append_new(ctx, json_pack("{s:i, s:i, s:i}", "year", y->year, "off_days",
                                         y->off_days, "work_days", y->work_days));
    return 0;
}

int cmd_init(cli *c, int argc, char **argv, err *e) {
    cli_args a;
    int rc = cli_parse(argc, argv, NULL, 0, 0, "duban init", &a, e);
    if (rc || (rc = cli_open(c, true, e))) return rc;
    json_t *years = json_array();
    if ((rc = store_calendar_years(c->st, year_to_json, years, e))) {
        json_decref(years);
        return rc;
    }
    cli_print(json_pack("{s:s, s:i, s:o}", "db", c->db_label, "schema_version",
                        store_schema_version(c->st), "calendar", years));
    return 0;
}

int cmd_config(cli *c, int argc, char **argv, err *e) {
    static const char *const keys[] = {"tz_offset", "case_prefix", "jurisdiction_id", "public_channels",
                                       "max_extension_days", "unreachable_attempts", "proposal_redo_days",
                                       "open311_url",
                                       "open311_test_url"};
    cli_args a;
    int rc = cli_parse(argc, argv, NULL, 1, 3, "duban config show | config set KEY VALUE", &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    if (strcmp(a.pos[0], "set") == 0) {
        if (a.npos != 3)
            return err_set(e, ERR_INVALID, "argument", "usage: duban config set KEY VALUE");
        char detail[128];
        snprintf(detail, sizeof detail, "%.40s=%.60s", a.pos[1], a.pos[2]);
        store_actor who = cli_actor(c);
        if (!(rc = store_begin(c->st, e))) rc = store_config_set(c->st, a.pos[1], a.pos[2], c->now, e);
        if ((rc = store_logged_end(c->st, rc, &who, "config_changed", detail, e))) return rc;
    } else if (strcmp(a.pos[0], "show") != 0 || a.npos != 1) {
        return err_set(e, ERR_INVALID, "argument", "unknown config command '%s' (want show or set)",
                       a.pos[0]);
    }
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char v[256];
        if (store_config_get(c->st, keys[i], v, sizeof v, e) == 0)
            json_object_set_new(o, keys[i], json_string(v));
    }
    cli_print(o);
    return 0;
}

static int scheme_row(void *ctx, int year, int64_t set_at, const char *actor, const scheme *sch) {
    json_array_append_new(ctx, json_pack("{s:i, s:I, s:s?, s:o}", "year", year, "set_at", (json_int_t)set_at, "by",
                                         actor, "scheme", sch_to_json(sch)));
    return 0;
}

/* duban scheme show | scheme set YEAR PRESET|JSON: the 考核 schemes (docs/
 * rules.md), as PUT /api/v1/schemes/{year} sets them, logged the same way. */
int cmd_scheme(cli *c, int argc, char **argv, err *e) {
    cli_args a;
    int rc = cli_parse(argc, argv, NULL, 1, 3, "duban scheme show | scheme set YEAR PRESET|JSON", &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    if (strcmp(a.pos[0], "set") == 0) {
        if (a.npos != 3) return err_set(e, ERR_INVALID, "argument", "usage: duban scheme set YEAR PRESET|JSON");
        char *end;
        long year = strtol(a.pos[1], &end, 10);
        if (*end || end == a.pos[1] || year < 0 || year > 9999 || (year > 0 && year < 2000))
            return err_set(e, ERR_INVALID, "year", "year '%s' is 0 (every year) or from 2000 to 9999", a.pos[1]);
        json_error_t je;
        json_t *v = a.pos[2][0] == '{' ? json_loads(a.pos[2], 0, &je) : json_pack("{s:s}", "preset", a.pos[2]);
        if (!v) return err_set(e, ERR_INVALID, "scheme", "the scheme is not JSON: %s", je.text);
        scheme sch;
        rc = sch_from_json(v, &sch, e);
        json_decref(v);
        if (rc) return rc;
        char detail[64];
        snprintf(detail, sizeof detail, "year=%ld scheme=%s", year, sch.name);
        store_actor who = cli_actor(c);
        if (!(rc = store_begin(c->st, e))) rc = store_scheme_set(c->st, (int)year, &sch, c->now, who.name, e);
        if ((rc = store_logged_end(c->st, rc, &who, "scheme_set", detail, e))) return rc;
    } else if (strcmp(a.pos[0], "show") != 0 || a.npos != 1) {
        return err_set(e, ERR_INVALID, "argument", "unknown scheme command '%s' (want show or set)", a.pos[0]);
    }
    json_t *set = json_array();
    scheme now;
    if ((rc = store_scheme_list(c->st, scheme_row, set, e)) || (rc = store_scheme_at(c->st, c->now, c->now, &now, e))) {
        json_decref(set);
        return rc;
    }
    cli_print(json_pack("{s:o, s:o}", "set", set, "in_force", sch_to_json(&now)));
    return 0;
}

static json_t *ref_json(const unit_ref *u) {
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u->id, "code", u->code, "name", u->name);
}

static int unit_to_json(void *ctx, const store_unit *u) {
    json_array_append_new(ctx, store_unit_json(u));
    return 0;
}

int cmd_unit(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"kind", OPT_ARG}, {"parent", OPT_ARG}, {NULL, 0}};
    const char *usage = "duban unit add CODE NAME [--kind dept|township|center] [--parent CODE]"
                        " | unit list";
    cli_args a;
    unit_kind kind = UNIT_DEPT;
    int rc = cli_parse(argc, argv, spec, 1, 3, usage, &a, e);
    if (rc) return rc;
    if (strcmp(a.pos[0], "list") == 0 && a.npos == 1) {
        if ((rc = cli_open(c, false, e))) return rc;
        json_t *arr = json_array();
        rc = store_unit_list(c->st, unit_to_json, arr, e);
        if (rc == 0) cli_print(arr);
        else json_decref(arr);
        return rc;
    }
    if (strcmp(a.pos[0], "add") != 0 || a.npos != 3)
        return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
    if (cli_opt(&a, "kind") && (rc = unit_kind_parse(cli_opt(&a, "kind"), &kind, e)))
        return rc;
    if ((rc = cli_open(c, false, e))) return rc;
    int64_t id;
    if ((rc = store_unit_add(c->st, a.pos[1], a.pos[2], kind, cli_opt(&a, "parent"), c->now, &id,
                             e)))
        return rc;
    unit_ref u;
    if ((rc = store_unit_find(c->st, a.pos[1], &u, e))) return rc;
    json_t *o = ref_json(&u);
    json_object_set_new(o, "kind", json_string(unit_kind_name(kind)));
    json_object_set_new(o, "parent", cli_opt(&a, "parent") ? json_string(cli_opt(&a, "parent")) : json_null());
    cli_print(o);
    return 0;
}

/* duban category attribute CATEGORY CODE --type T --description D [--required] [--value K=NAME]... */
static int category_attribute(cli *c, const cli_args *a, err *e) {
    ref_attribute at = {.required = cli_flag(a, "required")};
    const char *const *vals;
    int n = cli_opt_all(a, "value", &vals), rc;
    if (!cli_opt(a, "type") || !cli_opt(a, "description"))
        return err_set(e, ERR_INVALID, "type", "an attribute needs --type and --description");
    if (n > REF_MAX_CHOICES)
        return err_set(e, ERR_INVALID, "value", "at most %d --value", REF_MAX_CHOICES);
    snprintf(at.code, sizeof at.code, "%s", a->pos[2]);
    snprintf(at.datatype, sizeof at.datatype, "%s", cli_opt(a, "type"));
    snprintf(at.description, sizeof at.description, "%s", cli_opt(a, "description"));
    for (int i = 0; i < n; i++) {
        const char *eq = strchr(vals[i], '=');
        if (!eq || eq == vals[i] || !eq[1])
            return err_set(e, ERR_INVALID, "value", "--value '%s' must be KEY=NAME", vals[i]);
        snprintf(at.choice_key[i], sizeof at.choice_key[0], "%.*s", (int)(eq - vals[i]), vals[i]);
        snprintf(at.choice_name[i], sizeof at.choice_name[0], "%s", eq + 1);
    }
    at.n_choices = n;
    if ((rc = cli_open(c, false, e)) || (rc = store_attribute_put(c->st, a->pos[1], &at, false, NULL, e))) return rc;
    cli_print(json_pack("{s:s, s:s, s:s, s:b}", "category", a->pos[1], "code", at.code, "type",
                        at.datatype, "required", at.required));
    return 0;
}

int cmd_category(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"parent", OPT_ARG}, {"unit", OPT_ARG}, {"type", OPT_ARG},
                                       {"description", OPT_ARG}, {"required", 0},
                                       {"value", OPT_ARG | OPT_MULTI}, {NULL, 0}};
    const char *usage = "duban category add CODE NAME [--parent CODE] [--unit CODE]"
                        " | category attribute CATEGORY CODE --type T --description D [--required]"
                        " [--value KEY=NAME]...";
    cli_args a;
    int rc = cli_parse(argc, argv, spec, 3, 3, usage, &a, e);
    if (rc) return rc;
    if (strcmp(a.pos[0], "attribute") == 0) return category_attribute(c, &a, e);
    if (strcmp(a.pos[0], "add") != 0) return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
    if ((rc = cli_open(c, false, e))) return rc;
    if ((rc = store_category_add(c->st, a.pos[1], a.pos[2], cli_opt(&a, "parent"),
                                 cli_opt(&a, "unit"), NULL, e)))
        return rc;
    unit_ref r;
    if ((rc = store_category_find(c->st, a.pos[1], &r, e))) return rc;
    cli_print(ref_json(&r));
    return 0;
}

/* Reads a whole file of at most `max` bytes; caller frees. */
static int read_file(const char *path, size_t max, char **out, size_t *len, err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, ERR_NOTFOUND, "file", "cannot open '%s'", path);
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (bad || n > max) {
        free(buf);
        return bad ? err_set(e, ERR_IO, "file", "cannot read '%s'", path)
                   : err_set(e, ERR_INVALID, "file", "'%s' is larger than %zu bytes", path, max);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* The calendar's entry for one day, if it has one (a holiday's name). */
typedef struct day_find {
    int32_t day;
    cal_day found;
} day_find;

static int find_day(void *ctx, const cal_day *d) {
    day_find *f = ctx;
    if (d->day == f->day) f->found = *d;
    return 0;
}

int cmd_calendar(cli *c, int argc, char **argv, err *e) {
    const char *usage = "duban calendar is-workday YYYY-MM-DD | calendar due START N UNIT"
                        " | calendar import FILE | calendar years";
    cli_args a;
    int rc = cli_parse(argc, argv, NULL, 1, 4, usage, &a, e);
    if (rc) return rc;
    const char *sub = a.pos[0];
    if (strcmp(sub, "is-workday") == 0 && a.npos == 2) {
        int32_t day;
        if ((rc = dt_parse_date(a.pos[1], &day, e)) || (rc = cli_open(c, false, e))) return rc;
        int y, m, d;
        dt_civil_from_days(day, &y, &m, &d);
        day_find f = {.day = day};
        if ((rc = store_calendar_days(c->st, y, find_day, &f, e))) return rc;
        const cal *cl = store_env(c->st)->cal;
        json_t *o = json_pack("{s:s, s:b, s:b}", "date", a.pos[1], "workday", cal_is_workday(cl, day),
                              "provisional", !cal_knows(cl, day, day));
        if (f.found.name[0]) json_object_set_new(o, "name", json_string(f.found.name));
        cli_print(o);
    } else if (strcmp(sub, "due") == 0 && a.npos == 4) {
        int64_t start, n;
        cal_unit unit;
        if ((rc = cli_open(c, false, e))) return rc;
        const case_env *env = store_env(c->st);
        if ((rc = dt_parse_instant(a.pos[1], env->tz, &start, e)) ||
            (rc = cli_int(a.pos[2], "N", 0, 100000, &n, e)) ||
            (rc = cal_unit_parse(a.pos[3], &unit, e)))
            return rc;
        int64_t due = cal_due(env->cal, start, (int32_t)n, unit, env->tz);
        char last[11];
        dt_format_date(dt_local_day(due - 1, env->tz), last);
        /* provisional: counted over a year whose notice is not imported */
        bool guess = !cal_knows(env->cal, dt_local_day(start, env->tz), dt_local_day(due - 1, env->tz));
        cli_print(json_pack("{s:o, s:I, s:s, s:o, s:s, s:b}", "start", case_time_json(start, env->tz),
                            "n", (json_int_t)n, "unit", cal_unit_name(unit), "due",
                            case_due_json(due, env->tz), "last_day", last, "provisional", guess));
    } else if (strcmp(sub, "import") == 0 && a.npos == 2) {
        char *text = NULL;
        size_t len = 0;
        cal_year y;
        if ((rc = read_file(a.pos[1], 1 << 20, &text, &len, e))) return rc;
        rc = cal_year_parse(text, len, &y, e);
        free(text);
        if (rc) {
            err_prefix(e, "%s: ", a.pos[1]);
            return rc;
        }
        size_t recomputed = 0;
        int off = 0;
        for (size_t i = 0; i < y.n; i++) off += y.days[i].off;
        char detail[64];
        snprintf(detail, sizeof detail, "%d: %d days off of %d", y.year, off, (int)y.n);
        store_actor who = cli_actor(c);
        if (!(rc = cli_open(c, false, e)) && !(rc = store_begin(c->st, e))) {
            rc = store_calendar_import(c->st, &y, c->actor, c->now, &recomputed, e);
            rc = store_logged_end(c->st, rc, &who, "calendar_imported", detail, e);
        }
        if (!rc) {
            cli_print(json_pack("{s:i, s:i, s:i, s:I}", "year", y.year, "off_days", off,
                                "work_days", (int)y.n - off, "recomputed",
                                (json_int_t)recomputed));
        }
        cal_year_clear(&y);
    } else if (strcmp(sub, "years") == 0 && a.npos == 1) {
        if ((rc = cli_open(c, false, e))) return rc;
        json_t *years = json_array();
        rc = store_calendar_years(c->st, year_to_json, years, e);
        if (rc == 0) cli_print(years);
        else json_decref(years);
    } else {
        return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
    }
    return rc;
}

int cmd_policy(cli *c, int argc, char **argv, err *e) {
    const char *usage = "duban policy show | policy set CHANNEL CLASS FIELD VALUE";
    cli_args a;
    int rc = cli_parse(argc, argv, NULL, 1, 5, usage, &a, e);
    if (rc) return rc;
    if (strcmp(a.pos[0], "set") == 0 && a.npos == 5) {
        case_channel ch;
        case_class cl;
        pol_stage sg;
        pol_rule r;
        if ((rc = case_channel_parse(a.pos[1], &ch, e)) || (rc = case_class_parse(a.pos[2], &cl, e)) ||
            (rc = pol_stage_parse(a.pos[3], &sg, e)) || (rc = pol_rule_parse(a.pos[4], &r, e)))
            return rc;
        char detail[128];
        snprintf(detail, sizeof detail, "%.20s/%.20s/%.20s=%.60s", a.pos[1], a.pos[2], a.pos[3], a.pos[4]);
        store_actor who = cli_actor(c);
        if ((rc = cli_open(c, false, e)) || (rc = store_begin(c->st, e))) return rc;
        rc = store_policy_set(c->st, ch, cl, sg, &r, e);
        if ((rc = store_logged_end(c->st, rc, &who, "policy_changed", detail, e))) return rc;
    } else if (strcmp(a.pos[0], "show") != 0 || a.npos != 1) {
        return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
    } else if ((rc = cli_open(c, false, e))) {
        return rc;
    }
    cli_print(pol_to_json(store_env(c->st)->pol));
    return 0;
}
