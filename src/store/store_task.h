/* store_task: 1+10+N's key and phased tasks (core/task.h) — a task made
 * with its milestones in one transaction, each a 领导交办 case dispatched
 * with its own day; problems raised under a task (or a project) as cases
 * linked to it; and the tasks listed with what they are made of. */
#ifndef DUBAN_STORE_TASK_H
#define DUBAN_STORE_TASK_H

#include "core/task.h"
#include "store/store.h"

typedef struct store_task_spec {
    const char *title, *description, *group, *leader;
    task_kind kind;
    unit_ref unit;  /* the lead unit (resolved) */
    int32_t due;    /* the task's own day */
    const task_milestone *milestones;
    int n_milestones;
} store_task_spec;
/* The task and its milestones, dispatched to the unit; *task_id its case. */
int store_task_create(store *s, const store_task_spec *t, const char *actor, int64_t now, int64_t *task_id,
                      err *e);

/* A problem raised under task `parent` (its lead unit takes it) or under
 * project `project` (to `unit`): a 领导交办 case on the usual 13710
 * deadlines, dispatched at once. ERR_NOTFOUND when the task is not one (or
 * is outside `scope`, a unit; 0 for none). *out: the case (case_rec_clear). */
int store_task_problem(store *s, int64_t parent, int64_t project, unit_ref unit, int64_t scope,
                       const char *title, const char *description, const char *actor, int64_t now,
                       case_rec *out, err *e);

/* One linked case, as a list gives it: the case borrowed for the call. */
typedef struct store_task_item {
    const case_rec *c;
    task_role role;
    task_kind kind;
    char group[TASK_GROUP_MAX], leader[TASK_LEADER_MAX];
    int64_t parent_id, project_id;
    int seq;
} store_task_item;
typedef int (*store_task_fn)(void *ctx, const store_task_item *it);
/* The tasks (of a group, of a leader; NULL for any; of a unit when scope),
 * each followed by its milestones in order, then its problems. */
int store_task_list(store *s, const char *group, const char *leader, int64_t scope, store_task_fn fn,
                    void *ctx, err *e);
/* The problems raised under project `project`, oldest first. */
int store_project_problems(store *s, int64_t project, store_task_fn fn, void *ctx, err *e);

#endif
