/* task: 1+10+N's "10" and "N" — the ten key works the seeds name, and
 * phased tasks — and what a task is made of: a 领导交办 case with its group
 * and responsible leader, its milestones (节点, each a case with its own day,
 * so 13710 applies to each) and the problems raised under it (cases too).
 * Pure. */
#ifndef DUBAN_TASK_H
#define DUBAN_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

#define TASK_KEY_GROUPS 10
#define TASK_MAX_MILESTONES 24
#define TASK_GROUP_MAX 64   /* bytes */
#define TASK_LEADER_MAX 64  /* bytes */

typedef enum { TASK_KEY, TASK_PHASED } task_kind;
typedef enum { TASK_ROLE_TASK, TASK_ROLE_MILESTONE, TASK_ROLE_PROBLEM } task_role;

/* The "10": 三个一批项目建设 ... 安全稳定 (the glossary of 004). */
extern const char *const task_key_groups[TASK_KEY_GROUPS];
const char *task_kind_name(task_kind k); /* key phased */
int task_kind_parse(const char *s, task_kind *k, err *e);
const char *task_role_name(task_role r); /* task milestone problem */
int task_role_parse(const char *s, task_role *r);
/* A key task's group is one of the ten; a phased task's any name of 1-32
 * characters. ERR_INVALID naming "group" otherwise. */
int task_group_check(task_kind k, const char *group, err *e);

typedef struct task_milestone {
    const char *title;
    int32_t due; /* day number */
} task_milestone;
/* Milestones in time order, none past the task's own day, none before
 * today, each titled (1-100 characters). ERR_INVALID naming
 * "milestones" and which one otherwise. */
int task_milestones_check(const task_milestone *m, int n, int32_t today, int32_t task_due, err *e);

#endif
