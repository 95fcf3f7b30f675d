/* Commands on cases: create, act, show, list. Every input is parsed and
 * resolved (units, categories, dates) before the store is asked to write. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/case_json.h"
#include "util/datetime.h"
#include "store/store_ref.h"
#include "store/store_case.h"
#include "store/store_report.h"

static int case_create_cmd(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {
        {"channel", OPT_ARG | OPT_REQUIRED}, {"class", OPT_ARG | OPT_REQUIRED},
        {"title", OPT_ARG | OPT_REQUIRED},   {"at", OPT_ARG},
        {"category", OPT_ARG},               {"description", OPT_ARG},
        {"requester-name", OPT_ARG},         {"requester-phone", OPT_ARG},
        {"township", OPT_ARG},               {"confidential", 0},
        {"appeal-type", OPT_ARG},            {NULL, 0}};
    cli_args a;
    case_rec r = {0};
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban case create --channel CH --class CL --title T [--at ISO8601]"
                       " [--category CODE] [--description D] [--requester-name N]"
                       " [--requester-phone P] [--township CODE] [--confidential]"
                       " [--appeal-type consult|help|complaint|report|suggestion|praise]",
                       &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    if ((rc = case_channel_parse(cli_opt(&a, "channel"), &r.channel, e)) ||
        (rc = case_class_parse(cli_opt(&a, "class"), &r.klass, e)) ||
        (rc = cli_time(c, cli_opt(&a, "at"), "at", &r.received_at, e)) ||
        (rc = case_check_received(r.received_at, c->now, e)))
        return rc;
    if (cli_opt(&a, "appeal-type") && (rc = case_appeal_parse(cli_opt(&a, "appeal-type"), &r.appeal, e)))
        return rc;
    if (cli_opt(&a, "category") &&
        (rc = store_category_find(c->st, cli_opt(&a, "category"), &r.category, e)))
        return rc;
    if (cli_opt(&a, "township") &&
        (rc = store_unit_find(c->st, cli_opt(&a, "township"), &r.township, e)))
        return rc;
    /* The strings stay owned by argv: hand the store borrowed pointers. */
    r.title = (char *)cli_opt(&a, "title");
    r.description = (char *)cli_opt(&a, "description");
    r.requester_name = (char *)cli_opt(&a, "requester-name");
    r.requester_phone = (char *)cli_opt(&a, "requester-phone");
    r.confidential = cli_flag(&a, "confidential") || case_confidential_default(r.channel);
    if ((rc = store_case_create(c->st, &r, c->actor, e))) return rc;
    cli_print(case_to_json(&r, store_env(c->st)->tz, 0));
    return 0;
}

static int parse_id(const char *s, int64_t *id, err *e) {
    return cli_int(s, "case id", 1, INT64_MAX, id, e);
}

static int case_act_cmd(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {
        {"at", OPT_ARG},    {"unit", OPT_ARG},         {"assist", OPT_ARG | OPT_MULTI},
        {"note", OPT_ARG},  {"until", OPT_ARG},        {"satisfaction", OPT_ARG},
        {"solved", OPT_ARG}, {"reply", OPT_ARG},       {"into", OPT_ARG},
        {NULL, 0}};
    cli_args a;
    case_req r;
    case_action act;
    int64_t id, at;
    int rc = cli_parse(argc, argv, spec, 2, 2,
                       "duban case act ID ACTION [--at ISO8601] [--unit CODE] [--assist CODE]..."
                       " [--note TEXT] [--until YYYY-MM-DD] [--satisfaction S] [--solved yes|no]"
                       " [--reply TEXT] [--into MAIN_ID]",
                       &a, e);
    if (rc || (rc = parse_id(a.pos[0], &id, e)) || (rc = case_action_parse(a.pos[1], &act, e)) ||
        (rc = cli_open(c, false, e)) || (rc = cli_time(c, cli_opt(&a, "at"), "at", &at, e)))
        return rc;
    if (act == ACT_RECOMPUTE || act == ACT_FOLLOW)
        return err_set(e, ERR_INVALID, "action", "'%s' is the system's own action",
                       case_action_name(act));
    case_req_init(&r, act, at, c->actor);
    r.at_given = cli_opt(&a, "at") != NULL;
    if (cli_opt(&a, "into") && (rc = parse_id(cli_opt(&a, "into"), &r.into, e))) return rc;
    r.note = cli_opt(&a, "note");
    r.reply = cli_opt(&a, "reply");
    if (cli_opt(&a, "unit") && (rc = store_unit_find(c->st, cli_opt(&a, "unit"), &r.lead, e)))
        return rc;
    const char *const *assist;
    int n = cli_opt_all(&a, "assist", &assist);
    if (n > CASE_MAX_ASSIST)
        return err_set(e, ERR_INVALID, "assist", "at most %d assisting units", CASE_MAX_ASSIST);
    for (int i = 0; i < n; i++)
        if ((rc = store_unit_find(c->st, assist[i], &r.assist[i], e))) return rc;
    r.n_assist = n;
    if (n && !cli_opt(&a, "unit"))
        return err_set(e, ERR_INVALID, "assist", "--assist needs a lead unit (--unit)");
    if (cli_opt(&a, "until") && (rc = dt_parse_date(cli_opt(&a, "until"), &r.until, e))) return rc;
    if (cli_opt(&a, "satisfaction") &&
        (rc = case_satisfaction_parse(cli_opt(&a, "satisfaction"), &r.satisfaction, e)))
        return rc;
    const char *solved = cli_opt(&a, "solved");
    if (solved) {
        if (strcmp(solved, "yes") == 0) r.solved = 1;
        else if (strcmp(solved, "no") == 0) r.solved = 0;
        else return err_set(e, ERR_INVALID, "solved", "--solved '%s' must be yes or no", solved);
    }
    case_rec out;
    if ((rc = store_case_act(c->st, id, &r, &out, e))) return rc;
    cli_print(case_to_json(&out, store_env(c->st)->tz, 0));
    case_rec_clear(&out);
    return 0;
}

typedef struct ev_ctx { json_t *arr; int tz; } ev_ctx;

static int event_to_json(void *ctx, const case_event *ev) {
    ev_ctx *x = ctx;
    json_array_append_new(x->arr, case_event_to_json(ev, x->tz));
    return 0;
}

static int case_show_cmd(cli *c, int argc, char **argv, err *e) {
    cli_args a;
    int64_t id;
    case_rec r;
    int rc = cli_parse(argc, argv, NULL, 1, 1, "duban case show ID", &a, e);
    if (rc || (rc = parse_id(a.pos[0], &id, e)) || (rc = cli_open(c, false, e)) ||
        (rc = store_case_get(c->st, id, &r, e)))
        return rc;
    int tz = store_env(c->st)->tz;
    ev_ctx x = {json_array(), tz};
    cli_collect notices = {json_array(), tz};
    json_t *o = case_to_json(&r, tz, 0);
    case_rec_clear(&r);
    json_object_set_new(o, "events", x.arr);
    json_object_set_new(o, "notices", notices.arr);
    if ((rc = store_case_events(c->st, id, event_to_json, &x, e)) ||
        (rc = store_notice_list(c->st, 0, id, cli_collect_notice, &notices, e))) {
        json_decref(o);
        return rc;
    }
    cli_print(o);
    return 0;
}

typedef struct list_ctx { json_t *arr; int tz; int64_t last; } list_ctx;

static int list_one(void *ctx, const case_rec *r) {
    list_ctx *x = ctx;
    json_array_append_new(x->arr, case_to_json(r, x->tz, 0));
    x->last = r->id;
    return 0;
}

static int case_list_cmd(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"status", OPT_ARG}, {"unit", OPT_ARG},
                                       {"overdue-at", OPT_ARG}, {"after", OPT_ARG},
                                       {"limit", OPT_ARG}, {NULL, 0}};
    cli_args a;
    store_case_filter f = {.status = -1, .channel = -1, .klass = -1, .limit = 100};
    int64_t v;
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban case list [--status S] [--unit CODE] [--overdue-at ISO8601]"
                       " [--after ID] [--limit N]",
                       &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    if (cli_opt(&a, "status")) {
        case_status s;
        if ((rc = case_status_parse(cli_opt(&a, "status"), &s, e))) return rc;
        f.status = s;
    }
    if (cli_opt(&a, "unit")) {
        unit_ref u;
        if ((rc = store_unit_find(c->st, cli_opt(&a, "unit"), &u, e))) return rc;
        f.unit_id = u.id;
    }
    if (cli_opt(&a, "overdue-at") &&
        (rc = cli_time(c, cli_opt(&a, "overdue-at"), "overdue-at", &f.overdue_at, e)))
        return rc;
    if (cli_opt(&a, "after")) {
        if ((rc = cli_int(cli_opt(&a, "after"), "--after", 0, INT64_MAX, &v, e))) return rc;
        f.after_id = v;
    }
    if (cli_opt(&a, "limit")) {
        if ((rc = cli_int(cli_opt(&a, "limit"), "--limit", 1, 1000, &v, e))) return rc;
        f.limit = (int)v;
    }
    list_ctx x = {json_array(), store_env(c->st)->tz, 0};
    if ((rc = store_case_list(c->st, &f, list_one, &x, e))) {
        json_decref(x.arr);
        return rc;
    }
    size_t n = json_array_size(x.arr);
    cli_print(json_pack("{s:o, s:o}", "cases", x.arr, "next_after",
                        (int)n == f.limit ? json_integer(x.last) : json_null()));
    return 0;
}

int cmd_case(cli *c, int argc, char **argv, err *e) {
    static const struct { const char *name; int (*run)(cli *, int, char **, err *); } subs[] = {
        {"create", case_create_cmd}, {"act", case_act_cmd},
        {"show", case_show_cmd},     {"list", case_list_cmd},
    };
    for (size_t i = 0; argc > 0 && i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[0], subs[i].name) == 0) return subs[i].run(c, argc - 1, argv + 1, e);
    if (argc > 0 && strcmp(argv[0], "--help") == 0) {
        printf("usage: duban case create|act|show|list ... (duban case SUBCOMMAND --help)\n");
        return CLI_HELP;
    }
    return err_set(e, ERR_INVALID, "argument", "unknown case command '%s' (want create, act, show or list)",
                   argc > 0 ? argv[0] : "");
}
