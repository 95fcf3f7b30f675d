/* store_task: see store_task.h. */
#include "store/store_task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_case.h"
#include "store/store_int.h"
#include "store/store_query.h"

/* A 领导交办 case, received and dispatched to unit now; until: its own day
 * (INT32_MIN: the usual deadlines). Inside the caller's transaction. */
static int dispatched(store *s, const char *title, const char *description, case_class klass, unit_ref unit,
                      int32_t until, const char *actor, int64_t now, case_rec *out, err *e) {
    case_rec in = {.channel = CH_LEADER_TASK, .klass = klass, .title = (char *)title,
                   .description = (char *)description, .received_at = now};
    int rc = store_case_create(s, &in, actor, e);
    if (rc) return rc;
    case_req r = {.action = ACT_DISPATCH, .at = now, .actor = actor, .until = until, .solved = -1, .lead = unit};
    return st_act_in_tx(s, in.id, 0, &r, out, e);
}

static int link(store *s, int64_t case_id, task_role role, int64_t parent, int64_t project,
                const store_task_spec *t, int seq, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "INSERT INTO tasks(case_id, role, parent_id, project_id, grp, kind, leader, seq)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", 0, &st, e);
    if (rc) return st_fail(rc, e, "task");
    db_bind_int(st, 1, case_id);
    db_bind_text(st, 2, task_role_name(role));
    db_bind_id(st, 3, parent);
    db_bind_id(st, 4, project);
    db_bind_text(st, 5, t ? t->group : NULL);
    db_bind_text(st, 6, t ? task_kind_name(t->kind) : NULL);
    db_bind_text(st, 7, t && t->leader && t->leader[0] ? t->leader : NULL);
    db_bind_int(st, 8, seq);
    rc = st_fail(db_run(st, e), e, "task");
    db_finalize(st);
    return rc;
}

/* store_begin + a savepoint around fn's work, so a refusal undoes only it. */
static int in_batch(store *s, int rc, err *e) {
    rc = st_tx_end(s, rc, e);
    err ignored = {0};
    int committed = store_commit(s, rc ? &ignored : e);
    return rc ? rc : committed;
}

static int batch_begin(store *s, err *e) {
    int rc = store_begin(s, e);
    if (!rc && (rc = st_tx_begin(s, e))) store_rollback(s);
    return rc;
}

int store_task_create(store *s, const store_task_spec *t, const char *actor, int64_t now, int64_t *task_id,
                      err *e) {
    int rc = batch_begin(s, e);
    if (rc) return rc;
    case_rec task = {0}, m = {0};
    if (!(rc = dispatched(s, t->title, t->description, CL_MAJOR, t->unit, t->due, actor, now, &task, e)))
        rc = link(s, task.id, TASK_ROLE_TASK, 0, 0, t, 0, e);
    for (int i = 0; !rc && i < t->n_milestones; i++) {
        char title[512];
        snprintf(title, sizeof title, "%s：%s", t->title, t->milestones[i].title);
        if (!(rc = dispatched(s, title, NULL, CL_GENERAL, t->unit, t->milestones[i].due, actor, now, &m, e)))
            rc = link(s, m.id, TASK_ROLE_MILESTONE, task.id, 0, t, i + 1, e);
        case_rec_clear(&m);
    }
    *task_id = task.id;
    case_rec_clear(&task);
    return in_batch(s, rc, e);
}

int store_task_problem(store *s, int64_t parent, int64_t project, unit_ref unit, int64_t scope,
                       const char *title, const char *description, const char *actor, int64_t now,
                       case_rec *out, err *e) {
    memset(out, 0, sizeof *out);
    int rc = batch_begin(s, e);
    if (rc) return rc;
    if (parent) { /* the task's own unit takes its problems */
        db_stmt *st;
        if (!(rc = st_prepare(s, "SELECT u.id, u.code, u.name FROM tasks t JOIN cases c ON c.id = t.case_id"
                                 " JOIN units u ON u.id = c.lead_unit_id WHERE t.case_id = ?1 AND t.role = 'task'"
                                 " AND (CAST(?2 AS BIGINT) IS NULL OR c.lead_unit_id = ?2)", 0, &st, e))) {
            db_bind_int(st, 1, parent);
            db_bind_id(st, 2, scope);
            if ((rc = db_first(st, e)) == 0) st_read_ref(st, 0, &unit);
            else if (rc == ERR_NOTFOUND) err_set(e, ERR_NOTFOUND, "id", "no task %lld", (long long)parent);
            db_finalize(st);
        }
    }
    if (!rc) rc = dispatched(s, title, description, CL_GENERAL, unit, INT32_MIN, actor, now, out, e);
    if (!rc) rc = link(s, out->id, TASK_ROLE_PROBLEM, parent, project, NULL, 0, e);
    rc = in_batch(s, rc, e);
    if (rc) case_rec_clear(out);
    return rc;
}

/* Each row: the case's columns, then the link's (read from the end). */
#define LINK_COLS ", t.role, t.kind, t.grp, t.leader, t.parent_id, t.project_id, t.seq"
#define N_LINK_COLS 7

static int emit(db_stmt *st, store_task_fn fn, void *ctx, err *e) {
    case_rec c = {0};
    int rc = st_read_case(st, &c, e);
    if (!rc) {
        int k = db_col_count(st) - N_LINK_COLS;
        store_task_item it = {.c = &c, .parent_id = db_col_int(st, k + 4), .project_id = db_col_int(st, k + 5),
                              .seq = (int)db_col_int(st, k + 6)};
        task_role_parse(db_col_text(st, k), &it.role);
        if (!db_col_null(st, k + 1)) task_kind_parse(db_col_text(st, k + 1), &it.kind, NULL);
        st_col_copy(st, k + 2, it.group, sizeof it.group);
        st_col_copy(st, k + 3, it.leader, sizeof it.leader);
        rc = fn(ctx, &it);
    }
    case_rec_clear(&c);
    return rc;
}

int store_task_list(store *s, const char *group, const char *leader, int64_t scope, store_task_fn fn,
                    void *ctx, err *e) {
    /* the tasks, then their children, kept together: ordered by the task */
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "%s" LINK_COLS " FROM tasks t JOIN cases c ON c.id = t.case_id" STORE_CASE_JOINS
                 " LEFT JOIN tasks p ON p.case_id = t.parent_id WHERE (t.role = 'task' OR p.case_id IS NOT NULL)",
             st_sql(s, &store_sql_case_cols));
    if (group) st_q_add(&q, " AND coalesce(p.grp, t.grp) = :group");
    if (leader) st_q_add(&q, " AND coalesce(p.leader, t.leader) = :leader");
    if (scope) st_q_add(&q, " AND c.lead_unit_id = :scope");
    st_q_add(&q, " ORDER BY coalesce(t.parent_id, t.case_id),"
                 " CASE t.role WHEN 'task' THEN 0 WHEN 'milestone' THEN 1 ELSE 2 END, t.seq, c.id");
    st_q_text(&q, "group", group);
    st_q_text(&q, "leader", leader);
    st_q_id(&q, "scope", scope);
    db_stmt *st;
    int rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return st_fail(rc, e, "tasks");
    while (!rc && db_next(st, &rc, e)) rc = emit(st, fn, ctx, e);
    db_finalize(st);
    return rc;
}

int store_project_problems(store *s, int64_t project, store_task_fn fn, void *ctx, err *e) {
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "%s" LINK_COLS " FROM tasks t JOIN cases c ON c.id = t.case_id" STORE_CASE_JOINS
                 " WHERE t.project_id = :project ORDER BY c.id", st_sql(s, &store_sql_case_cols));
    st_q_int(&q, "project", project);
    db_stmt *st;
    int rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return st_fail(rc, e, "project problems");
    while (!rc && db_next(st, &rc, e)) rc = emit(st, fn, ctx, e);
    db_finalize(st);
    return rc;
}
