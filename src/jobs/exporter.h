/* exporter: spreadsheets made in the background. A case list of any size is
 * written as XLSX by libxlsxwriter in its constant-memory mode (a row at a
 * time, flushed to a temporary file), as a task of the jobs' queue "export"
 * with its own database connection, that reads and formats a page of rows
 * while a second thread writes the one before; the page polls its progress
 * and downloads the file once done.
 * Jobs live in this node's memory, and their files on its disk, for an hour
 * after they finish; at most EXPORT_MAX_RUNNING run at once. */
#ifndef DUBAN_JOBS_EXPORTER_H
#define DUBAN_JOBS_EXPORTER_H

#include <limits.h>
#include <stdint.h>

#include "jobs/jobs.h"
#include "store/store_case.h"
#include "util/err.h"

#define EXPORT_ID_LEN 33 /* 32 hex digits and NUL */
#define EXPORT_MAX_RUNNING 4
#define EXPORT_KEEP_S 3600
#define EXPORT_QUEUE "export"

typedef struct exporter exporter;

/* Starts the queue EXPORT_QUEUE in jb. */
int exporter_new(const char *target, jobs *jb, exporter **out, err *e);
/* Removes every file; the queue must have stopped (jobs_stop). */
void exporter_free(exporter *x);

/* What to export: the filter (its text copied), whose it is, and how times
 * are written. Contacts are always masked: a spreadsheet travels. */
typedef enum {
    EXPORT_CASES,  /* a case list, as the search page shows it */
    EXPORT_LEDGER, /* the 清零 ledger: step, age, next deadline, days overdue */
} export_layout;
typedef struct export_spec {
    export_layout layout;
    store_case_filter filter;
    int64_t owner; /* the user who asked: only they read it */
    int tz;
    int64_t now;
} export_spec;
int exporter_start(exporter *x, const export_spec *spec, char id[EXPORT_ID_LEN], err *e);

typedef enum { EXPORT_RUNNING, EXPORT_DONE, EXPORT_FAILED } export_status;
typedef struct export_state {
    export_status status;
    export_layout layout;
    int64_t done, total;
    char error[160];
    char path[PATH_MAX + 48]; /* the file, once done: the directory, the id, .xlsx */
} export_state;
/* Another user's job is ERR_NOTFOUND, as a missing one. */
int exporter_get(exporter *x, const char *id, int64_t owner, export_state *out, err *e);

#endif
