/* store_project: the key projects (core/project.h) of a plan year with what
 * they completed, their stages and monthly progress; written one at a time
 * or imported together (every row or none). */
#ifndef DUBAN_STORE_PROJECT_H
#define DUBAN_STORE_PROJECT_H

#include "core/project.h"
#include "core/ref.h"
#include "store/store.h"

#define PROJ_NAME_MAX 200   /* bytes */
#define PROJ_TEXT_MAX 1000  /* bytes: progress, problems */

typedef struct store_project {
    int64_t id;
    char name[PROJ_NAME_MAX + 1], leader[65], location[129];
    proj_category category;
    proj_level level;
    proj_stage stage;
    unit_ref unit; /* its code set, for a new one */
    double total, year_plan;
    int year;
    int32_t stage_day[PS_COUNT]; /* the day each stage was reached (0: not yet; 谋划 unused) */
    bool demo;
    /* read: the year's completed investment, the latest month reported and
     * what it said, and its problems' cases (those not closed) */
    double done;
    char last_month[8], last_progress[PROJ_TEXT_MAX + 1], last_problems[PROJ_TEXT_MAX + 1];
    int64_t problems, problems_open;
} store_project;

/* The projects of plan year `year`, by level, category and id. Caller frees. */
int store_projects(store *s, int year, store_project **out, size_t *n, err *e);
int store_project_get(store *s, int64_t id, store_project *out, err *e);
/* The plan years that have projects, newest first (at most max). */
int store_project_years(store *s, int *years, int max, int *n, err *e);

/* New projects (their unit codes resolved here), every one or none:
 * ERR_INVALID naming "unit" or "name" (taken that year) and row lines[i]. */
int store_project_add(store *s, store_project *p, size_t n, const int *lines, const char *by, int64_t now,
                      err *e);
/* The project reaches stage on day (a later stage's day is kept). */
int store_project_stage(store *s, int64_t id, proj_stage stage, int32_t day, err *e);

typedef struct store_progress {
    int line;           /* its row in an imported file; 0: none */
    int64_t project_id; /* or, imported, by name within year: */
    const char *name;
    int year;
    const char *month;  /* "YYYY-MM" */
    double completed;   /* invested in the month, 万元 */
    const char *progress, *problems;
    int64_t case_id;    /* the problem's case, 0: none */
    bool demo;
} store_progress;
/* Writes (or replaces) each month's progress, every row or none. */
int store_project_progress(store *s, const store_progress *p, size_t n, const char *by, int64_t now, err *e);

#endif
