/* project_report: the weekly project bulletin (一周一通报) of a plan year —
 * every project with its stage, plan, what it completed, the share of the
 * plan against the time gone (red, yellow, green) and its open problems;
 * totals by level — as a workbook and as a printable page. */
#ifndef DUBAN_PROJECT_REPORT_H
#define DUBAN_PROJECT_REPORT_H

#include <stdio.h>

#include "store/store_project.h"
#include "util/err.h"

extern const char project_style[];

typedef struct project_report {
    const store_project *p;
    size_t n;
    int year;
    double gone; /* the share of the year gone at `at` */
    int64_t at;
    int tz;
} project_report;

int project_report_xlsx(const project_report *r, const char *path, err *e);
void project_report_html(const project_report *r, FILE *f);
/* The colour of project p in r (proj_judge). */
proj_rag project_report_rag(const project_report *r, const store_project *p);

#endif
