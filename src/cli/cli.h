/* cli: the `duban` command line. The only layer that prints or exits: every
 * command writes JSON to stdout, and an error becomes one line on stderr and
 * a non-zero exit status (2 bad input, 3 unknown id/code, 4 conflict, 1 other). */
#ifndef DUBAN_CLI_H
#define DUBAN_CLI_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store_auth.h"
#include "store/store_report.h"
#include "util/err.h"

/* ---- option parsing ---- */
enum { OPT_ARG = 1, OPT_MULTI = 2, OPT_REQUIRED = 4 };

typedef struct cli_optspec {
    const char *name; /* without the leading "--" */
    int flags;
} cli_optspec;

#define CLI_MAX_POS 8
#define CLI_MAX_OPTS 24
#define CLI_MAX_VALS 16

typedef struct cli_args {
    int npos;
    const char *pos[CLI_MAX_POS];
    struct {
        const char *name;
        const char *vals[CLI_MAX_VALS];
        int n;
    } opt[CLI_MAX_OPTS];
    int nopt;
} cli_args;

/* Parses argv (after the command words) against spec; `usage` names the
 * command in error messages. Positional count must lie in [min_pos, max_pos].
 * "--help" anywhere prints the usage to stdout and returns CLI_HELP, which
 * the command returns as it would an error; it exits 0. */
int cli_parse(int argc, char **argv, const cli_optspec *spec, int min_pos, int max_pos,
              const char *usage, cli_args *out, err *e);
const char *cli_opt(const cli_args *a, const char *name);
int cli_opt_all(const cli_args *a, const char *name, const char *const **vals);
bool cli_flag(const cli_args *a, const char *name);

/* ---- shared state of one invocation ---- */
typedef struct cli {
    const char *db_path;
    char db_label[512]; /* db_path as it may be printed (no password) */
    const char *actor;
    int64_t now; /* the clock, read once in main (or DUBAN_NOW) */
    store *st;
} cli;

/* Opens the store; create=false refuses a database file that does not exist. */
int cli_open(cli *c, bool create, err *e);
/* The command line's user as the actor of a logged change (store_logged_end). */
store_actor cli_actor(const cli *c);
/* Prints a JSON value (stolen) on stdout. */
void cli_print(json_t *v);
/* Parses --at style options: ISO 8601, local time when no offset; default now. */
int cli_time(cli *c, const char *s, const char *field, int64_t *t, err *e);
int cli_int(const char *s, const char *field, int64_t min, int64_t max, int64_t *out, err *e);

/* Collects notices as JSON into arr (a store_notice_fn context). */
typedef struct cli_collect {
    json_t *arr;
    int tz;
} cli_collect;
int cli_collect_notice(void *ctx, const store_notice *n);

int cmd_init(cli *c, int argc, char **argv, err *e);
int cmd_config(cli *c, int argc, char **argv, err *e);
int cmd_unit(cli *c, int argc, char **argv, err *e);
int cmd_category(cli *c, int argc, char **argv, err *e);
int cmd_calendar(cli *c, int argc, char **argv, err *e);
int cmd_policy(cli *c, int argc, char **argv, err *e);
int cmd_scheme(cli *c, int argc, char **argv, err *e);
int cmd_case(cli *c, int argc, char **argv, err *e);
int cmd_sweep(cli *c, int argc, char **argv, err *e);
int cmd_notices(cli *c, int argc, char **argv, err *e);
int cmd_stats(cli *c, int argc, char **argv, err *e);
int cmd_report(cli *c, int argc, char **argv, err *e);
int cmd_audit(cli *c, int argc, char **argv, err *e);
int cmd_summary(cli *c, int argc, char **argv, err *e);
int cmd_demo(cli *c, int argc, char **argv, err *e);
int cmd_migrate_store(cli *c, int argc, char **argv, err *e);
int cmd_backup(cli *c, int argc, char **argv, err *e);
int cmd_restore(cli *c, int argc, char **argv, err *e);
int cmd_purge(cli *c, int argc, char **argv, err *e);
int cmd_retention(cli *c, int argc, char **argv, err *e);
int cmd_serve(cli *c, int argc, char **argv, err *e);
int cmd_user(cli *c, int argc, char **argv, err *e);
int cmd_token(cli *c, int argc, char **argv, err *e);

/* Exit status for `duban audit verify` when a chain is broken. */
#define CLI_EXIT_AUDIT 5
#define ERR_AUDIT 100
#define CLI_HELP 101 /* not an error: the usage was asked for and printed */

#endif
