/* store_project: see store_project.h. */
#include "store/store_project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_query.h"
#include "store/store_ref.h"

#define PROJ_COLS                                                                             \
    "p.id, p.name, p.category, p.level, p.stage, u.id, u.code, u.name, p.leader, p.location," \
    " p.total, p.year, p.year_plan, p.signed_day, p.started_day, p.producing_day, p.demo,"     \
    " (SELECT coalesce(sum(g.completed), 0) FROM project_progress g WHERE g.project_id = p.id" \
    " AND g.year = p.year),"                                                                 \
    " (SELECT g.month || '\x1f' || coalesce(g.progress, '') || '\x1f' || coalesce(g.problems, '')" \
    " FROM project_progress g WHERE g.project_id = p.id ORDER BY g.month DESC LIMIT 1),"      \
    " (SELECT count(*) FROM tasks t WHERE t.project_id = p.id),"                             \
    " (SELECT count(*) FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.project_id = p.id" \
    " AND c.status <> 'closed')"

/* The last report's three parts come joined by a unit separator. */
#define PROJ_SELECT "SELECT " PROJ_COLS " FROM projects p JOIN units u ON u.id = p.unit_id WHERE "

static void read_project(db_stmt *st, store_project *p) {
    memset(p, 0, sizeof *p);
    p->id = db_col_int(st, 0);
    st_col_copy(st, 1, p->name, sizeof p->name);
    proj_category_parse(db_col_text(st, 2), &p->category, NULL);
    proj_level_parse(db_col_text(st, 3), &p->level, NULL);
    proj_stage_parse(db_col_text(st, 4), &p->stage, NULL);
    st_read_ref(st, 5, &p->unit);
    st_col_copy(st, 8, p->leader, sizeof p->leader);
    st_col_copy(st, 9, p->location, sizeof p->location);
    p->total = db_col_double(st, 10);
    p->year = (int)db_col_int(st, 11);
    p->year_plan = db_col_double(st, 12);
    for (int k = PS_SIGNED; k < PS_COUNT; k++) p->stage_day[k] = (int32_t)db_col_int(st, 13 + k - PS_SIGNED);
    p->demo = db_col_int(st, 16) != 0;
    p->done = db_col_double(st, 17);
    const char *last = db_col_text(st, 18);
    if (last) {
        const char *a = strchr(last, '\x1f'), *b = a ? strchr(a + 1, '\x1f') : NULL;
        if (a && b) {
            snprintf(p->last_month, sizeof p->last_month, "%.*s", (int)(a - last), last);
            snprintf(p->last_progress, sizeof p->last_progress, "%.*s", (int)(b - a - 1), a + 1);
            snprintf(p->last_problems, sizeof p->last_problems, "%s", b + 1);
        }
    }
    p->problems = db_col_int(st, 19);
    p->problems_open = db_col_int(st, 20);
}

int store_projects(store *s, int year, store_project **out, size_t *n, err *e) {
    db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = st_prepare(s, PROJ_SELECT "p.year = ?1 ORDER BY CASE p.level WHEN 'province' THEN 0"
                                      " WHEN 'jiaozuo' THEN 1 ELSE 2 END, p.category, p.id", 0, &st, e);
    if (rc) return st_fail(rc, e, "projects");
    db_bind_int(st, 1, year);
    while (db_next(st, &rc, e)) {
        if ((rc = st_grow(out, &cap, *n, sizeof **out, e))) break;
        read_project(st, &(*out)[(*n)++]);
    }
    db_finalize(st);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int store_project_get(store *s, int64_t id, store_project *out, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, PROJ_SELECT "p.id = ?1", 0, &st, e);
    if (rc) return st_fail(rc, e, "project");
    db_bind_int(st, 1, id);
    if ((rc = db_first(st, e)) == 0) read_project(st, out);
    else if (rc == ERR_NOTFOUND) err_set(e, ERR_NOTFOUND, "id", "no project %lld", (long long)id);
    db_finalize(st);
    return rc;
}

int store_project_years(store *s, int *years, int max, int *n, err *e) {
    db_stmt *st;
    *n = 0;
    int rc = st_prepare(s, "SELECT DISTINCT year FROM projects ORDER BY year DESC", 0, &st, e);
    if (rc) return st_fail(rc, e, "project years");
    while (*n < max && db_next(st, &rc, e)) years[(*n)++] = (int)db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

static void where(char *buf, size_t n, const int *lines, size_t i) {
    buf[0] = '\0';
    if (lines && lines[i]) snprintf(buf, n, "row %d: ", lines[i]);
}

int store_project_add(store *s, store_project *p, size_t n, const int *lines, const char *by, int64_t now,
                      err *e) {
    db_stmt *st = NULL;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    if ((rc = st_prepare(s, "INSERT INTO projects(name, category, level, stage, unit_id, leader, location, total,"
                            " year, year_plan, signed_day, started_day, producing_day, demo, created_by, created_at)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                         DB_RETURNS_ID, &st, e)))
        rc = st_fail(rc, e, "projects");
    for (size_t i = 0; !rc && i < n; i++) {
        char w[24];
        where(w, sizeof w, lines, i);
        err nf = {0};
        if (store_unit_find(s, p[i].unit.code, &p[i].unit, &nf)) {
            rc = err_set(e, ERR_INVALID, "unit", "%sno unit '%s'", w, p[i].unit.code);
            break;
        }
        db_reset(st);
        db_bind_text(st, 1, p[i].name);
        db_bind_text(st, 2, proj_category_name(p[i].category));
        db_bind_text(st, 3, proj_level_name(p[i].level));
        db_bind_text(st, 4, proj_stage_name(p[i].stage));
        db_bind_int(st, 5, p[i].unit.id);
        db_bind_text(st, 6, p[i].leader[0] ? p[i].leader : NULL);
        db_bind_text(st, 7, p[i].location[0] ? p[i].location : NULL);
        db_bind_double(st, 8, p[i].total);
        db_bind_int(st, 9, p[i].year);
        db_bind_double(st, 10, p[i].year_plan);
        for (int k = PS_SIGNED; k < PS_COUNT; k++) db_bind_id(st, 11 + k - PS_SIGNED, p[i].stage_day[k]);
        db_bind_int(st, 14, p[i].demo);
        db_bind_text(st, 15, by);
        db_bind_int(st, 16, now);
        if ((rc = db_run(st, e)) == ERR_CONFLICT) {
            rc = err_set(e, ERR_INVALID, "name", "%s%d already has a project named '%s'", w, p[i].year, p[i].name);
            break;
        }
        if ((rc = st_fail(rc, e, "project"))) break;
        p[i].id = db_last_id(s->db);
    }
    if (st) db_finalize(st);
    return st_tx_end(s, rc, e);
}

int store_project_stage(store *s, int64_t id, proj_stage stage, int32_t day, err *e) {
    static const char *const cols[PS_COUNT] = {NULL, "signed_day", "started_day", "producing_day"};
    /* a stage reached keeps its day; the stage shown is the furthest reached */
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "UPDATE projects SET stage = CASE WHEN :rank > (CASE stage WHEN 'planning' THEN 0"
                 " WHEN 'signed' THEN 1 WHEN 'started' THEN 2 ELSE 3 END) THEN :stage ELSE stage END");
    if (cols[stage]) st_q_add(&q, ", %s = :day", cols[stage]);
    st_q_add(&q, " WHERE id = :id");
    st_q_int(&q, "id", id);
    st_q_text(&q, "stage", proj_stage_name(stage));
    st_q_int(&q, "rank", stage);
    st_q_int(&q, "day", day);
    db_stmt *st;
    int rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return st_fail(rc, e, "project stage");
    rc = st_write1(s, st, e);
    if (!rc && db_changes(s->db) == 0) rc = err_set(e, ERR_NOTFOUND, "id", "no project %lld", (long long)id);
    return rc;
}

int store_project_progress(store *s, const store_progress *p, size_t n, const char *by, int64_t now, err *e) {
    db_stmt *find = NULL, *put = NULL, *log = NULL;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    if (!(rc = st_prepare(s, "SELECT id FROM projects WHERE (?1 = 0 AND name = ?2 AND year = ?3) OR id = ?1",
                          0, &find, e)))
        rc = st_prepare(s, "INSERT INTO project_progress(project_id, month, year, completed, progress, problems,"
                           " case_id, demo, entered_by, entered_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                           " ON CONFLICT(project_id, month) DO UPDATE SET completed = excluded.completed,"
                           " progress = excluded.progress, problems = excluded.problems,"
                           " case_id = coalesce(excluded.case_id, project_progress.case_id), demo = excluded.demo,"
                           " entered_by = excluded.entered_by, entered_at = excluded.entered_at",
                        0, &put, e);
    /* and as reported, for the figures as of a moment (migration 39) */
    if (!rc)
        rc = st_prepare(s, "INSERT INTO progress_log(project_id, month, completed, entered_at) SELECT project_id,"
                           " month, completed, entered_at FROM project_progress WHERE project_id = ?1 AND month = ?2",
                        0, &log, e);
    for (size_t i = 0; !rc && i < n; i++) {
        char w[24] = "";
        if (p[i].line) snprintf(w, sizeof w, "row %d: ", p[i].line);
        db_reset(find);
        db_bind_int(find, 1, p[i].project_id);
        db_bind_text(find, 2, p[i].name ? p[i].name : "");
        db_bind_int(find, 3, p[i].year);
        if ((rc = db_first(find, e)) == ERR_NOTFOUND) {
            rc = p[i].project_id ? err_set(e, ERR_NOTFOUND, "id", "no project %lld", (long long)p[i].project_id)
                                 : err_set(e, ERR_INVALID, "name", "%sno project '%s' in %d", w, p[i].name, p[i].year);
            break;
        }
        if (rc) break;
        int y = atoi(p[i].month);
        int64_t id = db_col_int(find, 0);
        db_reset(put);
        db_bind_int(put, 1, id);
        db_bind_text(put, 2, p[i].month);
        db_bind_int(put, 3, y);
        db_bind_double(put, 4, p[i].completed);
        db_bind_text(put, 5, p[i].progress && p[i].progress[0] ? p[i].progress : NULL);
        db_bind_text(put, 6, p[i].problems && p[i].problems[0] ? p[i].problems : NULL);
        db_bind_id(put, 7, p[i].case_id);
        db_bind_int(put, 8, p[i].demo);
        db_bind_text(put, 9, by);
        db_bind_int(put, 10, now);
        rc = st_fail(db_run(put, e), e, "progress");
        if (rc) break;
        db_reset(log);
        db_bind_int(log, 1, id);
        db_bind_text(log, 2, p[i].month);
        rc = st_fail(db_run(log, e), e, "progress");
    }
    if (find) db_finalize(find);
    if (put) db_finalize(put);
    if (log) db_finalize(log);
    return st_tx_end(s, rc, e);
}
