/* project: 三个一批 and the 三十工程 — a key project's category, level and
 * stage (谋划 → 签约 → 开工 → 投产, each on a day), its planned investment,
 * and how its year stands: the plan completed against the time gone (red,
 * yellow, green). Amounts are in 万元. Pure. */
#ifndef DUBAN_PROJECT_H
#define DUBAN_PROJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

typedef enum { PC_INDUSTRY, PC_INFRA, PC_LIVELIHOOD, PC_OTHER, PC_COUNT } proj_category;
typedef enum { PL_PROVINCE, PL_JIAOZUO, PL_CITY, PL_COUNT } proj_level;
typedef enum { PS_PLANNING, PS_SIGNED, PS_STARTED, PS_PRODUCING, PS_COUNT } proj_stage;
typedef enum { RAG_NONE, RAG_GREEN, RAG_YELLOW, RAG_RED } proj_rag;

#define PROJ_RAG_YELLOW_POINTS 10 /* behind the time gone by up to this many points: yellow */

const char *proj_category_name(proj_category c); /* industry infrastructure livelihood other */
const char *proj_category_label(proj_category c); /* 工业 基础设施 民生 其他 */
const char *proj_level_name(proj_level l);        /* province jiaozuo city */
const char *proj_level_label(proj_level l);       /* 省重点 焦作市重点 市重点 */
const char *proj_stage_name(proj_stage s);        /* planning signed started producing */
const char *proj_stage_label(proj_stage s);       /* 谋划 签约 开工 投产 */
const char *proj_rag_name(proj_rag r);            /* none green yellow red */
/* By name or by label (as a spreadsheet has it); ERR_INVALID naming field. */
int proj_category_parse(const char *s, proj_category *out, err *e);
int proj_level_parse(const char *s, proj_level *out, err *e);
int proj_stage_parse(const char *s, proj_stage *out, err *e);
/* An amount in 万元: 0 to 10,000,000, at most 2 decimals. */
int proj_amount_parse(const char *s, double *v, const char *field, err *e);

/* The share of the year gone at day `day` (1 on its last day), and the
 * colour of a project that has completed `done` of its year's plan `plan`:
 * green at or above the time gone, yellow up to PROJ_RAG_YELLOW_POINTS
 * below, red further below; RAG_NONE without a plan. */
double proj_year_gone(int32_t day);
proj_rag proj_judge(double done, double plan, double gone);

#endif
