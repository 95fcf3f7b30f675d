/* duban: entry point. Reads the global options and the clock, then hands the
 * rest of the command line to a command from the table below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "util/datetime.h"

static const struct command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv, err *e);
    const char *help;
} commands[] = {
    {"init", cmd_init, "init                      create or upgrade the database"},
    {"serve", cmd_serve, "serve [--listen A:P]       the HTTP API and web UI"},
    {"config", cmd_config, "config show|set KEY VALUE  tz_offset, case_prefix, jurisdiction_id, public_channels"},
    {"user", cmd_user, "user add|role|passwd|disable|enable|list  accounts and roles"},
    {"token", cmd_token, "token create|revoke        API tokens for integrations"},
    {"unit", cmd_unit, "unit add|list              handling units (departments, townships)"},
    {"category", cmd_category, "category add|list          intake categories"},
    {"calendar", cmd_calendar, "calendar is-workday|due|import|years"},
    {"policy", cmd_policy, "policy show|set            the 13710 deadline table"},
    {"scheme", cmd_scheme, "scheme show|set YEAR PRESET|JSON  the 考核 scheme by year"},
    {"case", cmd_case, "case create|act|show|list"},
    {"sweep", cmd_sweep, "sweep --at T               raise 督办 notices (idempotent)"},
    {"notices", cmd_notices, "notices [--case ID]        list supervision notices"},
    {"stats", cmd_stats, "stats --from D --to D      figures per lead unit"},
    {"report", cmd_report, "report --month YYYY-MM     the month's 通报 (xlsx, html or json)"},
    {"audit", cmd_audit, "audit verify|anchor|keygen  replay every case; the logs, the anchors"},
    {"backup", cmd_backup, "backup PATH                a consistent copy while the server runs (SQLite)"},
    {"restore", cmd_restore, "restore BACKUP             into --db, a new path; then audit verify"},
    {"retention", cmd_retention, "retention show|set CHANNEL DAYS  how long requester data is kept"},
    {"purge", cmd_purge, "purge [--before DATE] [--dry-run]  erase requester data past its retention"},
    {"summary", cmd_summary, "summary                    counts by status, overdue now"},
    {"demo", cmd_demo, "demo [--seed N]            build a realistic 孟州市 demo database"},
    {"migrate-store", cmd_migrate_store,
     "migrate-store --from sqlite:PATH --to postgresql://...  move to another database"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: duban [--db PATH|postgresql://...] [--actor NAME] COMMAND ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %s\n", commands[i].help);
}

static int exit_code(int rc) {
    switch (rc) {
    case 0: return 0;
    case ERR_INVALID:
    case ERR_TOO_LARGE: return 2;
    case ERR_NOTFOUND: return 3;
    case ERR_CONFLICT: return 4;
    case ERR_AUDIT: return CLI_EXIT_AUDIT;
    case ERR_AUTH:
    case ERR_FORBIDDEN:
    case ERR_THROTTLED: return 4;
    default: return 1;
    }
}

int main(int argc, char **argv) {
    cli c = {.db_path = getenv("DUBAN_DB"), .actor = getenv("USER"), .now = time(NULL)};
    err e = {0};
    int i = 1, rc;
    if (!c.db_path) c.db_path = "duban.db";
    if (!c.actor) c.actor = "cli";
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            c.db_path = argv[++i];
        } else if (strcmp(argv[i], "--actor") == 0 && i + 1 < argc) {
            c.actor = argv[++i];
        } else {
            fprintf(stderr, "duban: unknown or incomplete global option '%s'\n", argv[i]);
            return 2;
        }
    }
    store_target_label(c.db_path, c.db_label, sizeof c.db_label);
    /* DUBAN_NOW pins the clock, for reproducible scripts and tests. */
    const char *now = getenv("DUBAN_NOW");
    if (now && dt_parse_instant(now, 8 * 3600, &c.now, &e)) {
        fprintf(stderr, "duban: DUBAN_NOW: %s\n", e.msg);
        return 2;
    }
    if (i >= argc || strcmp(argv[i], "help") == 0) {
        usage(i >= argc ? stderr : stdout);
        return i >= argc ? 2 : 0;
    }
    const struct command *cmd = NULL;
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(commands[k].name, argv[i]) == 0) cmd = &commands[k];
    if (!cmd) {
        fprintf(stderr, "duban: unknown command '%s' (try 'duban help')\n", argv[i]);
        return 2;
    }
    rc = cmd->run(&c, argc - i - 1, argv + i + 1, &e);
    if (rc == CLI_HELP) rc = 0;
    if (rc && rc != ERR_AUDIT) fprintf(stderr, "duban: %s\n", e.msg[0] ? e.msg : "failed");
    fflush(stdout);
    store_close(c.st);
    return exit_code(rc);
}
