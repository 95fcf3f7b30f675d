/* exporter: see exporter.h. */
#include "http/exporter.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/case_json.h"
#include "core/ledger.h"
#include "core/mask.h"
#include "util/datetime.h"

typedef struct job {
    struct job *next;
    exporter *x;
    char id[EXPORT_ID_LEN];
    export_spec spec;
    char *text; /* the filter's text, owned */
    pthread_t thread;
    int64_t finished_at; /* 0 while running */
    export_state state;
} job;

struct exporter {
    char *target;
    char dir[PATH_MAX];
    pthread_mutex_t mu;
    job *jobs;
};

int exporter_new(const char *target, exporter **out, err *e) {
    exporter *x = calloc(1, sizeof *x);
    const char *tmp = getenv("TMPDIR");
    if (!x || !(x->target = strdup(target))) goto nomem;
    snprintf(x->dir, sizeof x->dir, "%s/duban-export-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(x->dir)) {
        free(x->target);
        free(x);
        return err_set(e, ERR_IO, "", "cannot make a directory for exports");
    }
    pthread_mutex_init(&x->mu, NULL);
    *out = x;
    return 0;
nomem:
    free(x);
    return err_set(e, ERR_NOMEM, "", "out of memory");
}

static void job_free(job *j) {
    if (j->state.path[0]) unlink(j->state.path);
    free(j->text);
    free(j);
}

void exporter_free(exporter *x) {
    if (!x) return;
    for (job *j = x->jobs, *next; j; j = next) {
        next = j->next;
        pthread_join(j->thread, NULL);
        job_free(j);
    }
    rmdir(x->dir);
    pthread_mutex_destroy(&x->mu);
    free(x->target);
    free(x);
}

/* ---- the sheet ---- */

typedef struct column { const char *title; double width; } column;
static const column case_cols[] = {
    {"受理编号", 17}, {"受理时间", 17}, {"渠道", 11}, {"诉求类型", 9}, {"紧急程度", 9},
    {"状态", 9},      {"标题", 36},     {"问题分类", 14}, {"乡镇（街道）", 12}, {"主办单位", 22},
    {"协办单位", 22}, {"诉求人", 9},    {"联系电话", 14}, {"交办时间", 17}, {"办结时限", 17},
    {"办结时间", 17}, {"是否超期", 9},  {"满意度", 10},
};
static const column ledger_cols[] = {
    {"受理编号", 17}, {"标题", 36},     {"渠道", 11},     {"紧急程度", 9}, {"当前环节", 10},
    {"主办单位", 22}, {"受理时间", 17}, {"已历天数", 9},  {"期限", 7},     {"期限时间", 17},
    {"超期天数", 9},  {"重办次数", 9},
};
static const struct layout {
    const char *sheet;
    const column *cols;
    lxw_col_t n;
} layouts[] = {
    [EXPORT_CASES] = {"案件", case_cols, sizeof case_cols / sizeof *case_cols},
    [EXPORT_LEDGER] = {"清零台账", ledger_cols, sizeof ledger_cols / sizeof *ledger_cols},
};

typedef struct sheet {
    lxw_worksheet *ws;
    lxw_format *head;
    job *j;
    lxw_row_t row;
    int64_t last_id, last_due;
} sheet;

static void when(int64_t t, int tz, char out[20]) {
    if (t)
        dt_format_minute(t, tz, out);
    else
        out[0] = '\0';
}

/* Writes the row's text cells (empty ones left blank). */
static int put_row(sheet *s, const char *const *cells, lxw_col_t n) {
    for (lxw_col_t k = 0; k < n; k++)
        if (cells[k] && cells[k][0] &&
            worksheet_write_string(s->ws, s->row, k, cells[k], NULL) != LXW_NO_ERROR)
            return ERR_IO;
    return 0;
}

static int case_row(sheet *s, const case_rec *c) {
    int tz = s->j->spec.tz;
    char recv[20], disp[20], due[20], done[20], name[160], phone[64], assist[512] = "";
    when(c->received_at, tz, recv);
    when(c->dispatched_at, tz, disp);
    when(c->due[DUE_RESOLVE], tz, due);
    when(c->resolved_at, tz, done);
    if (c->confidential) {
        snprintf(name, sizeof name, "（保密）");
        snprintf(phone, sizeof phone, "（保密）");
    } else {
        mask_name(c->requester_name ? c->requester_name : "", name, sizeof name);
        mask_phone(c->requester_phone ? c->requester_phone : "", phone, sizeof phone);
    }
    for (int i = 0; i < c->n_assist; i++)
        snprintf(assist + strlen(assist), sizeof assist - strlen(assist), "%s%s", i ? "、" : "",
                 c->assist[i].name);
    static const char *const sat[] = {"不满意", "基本满意", "满意"};
    const char *cells[] = {
        c->case_no, recv, case_channel_label(c->channel), case_appeal_label(c->appeal),
        case_class_label(c->klass), case_status_label(c->status), c->title,
        c->category.id ? c->category.name : "", c->township.id ? c->township.name : "",
        c->lead.id ? c->lead.name : "", assist, name, phone, disp, due, done,
        case_overdue(c, s->j->spec.now) ? "是" : "否",
        c->satisfaction >= SAT_UNSATISFIED && c->satisfaction <= SAT_SATISFIED ? sat[c->satisfaction] : ""};
    return put_row(s, cells, sizeof cells / sizeof *cells);
}

/* No contact details: the ledger is about who must act, not who asked. */
static int ledger_row(sheet *s, const case_rec *c) {
    ledger_line l;
    char recv[20], due[20];
    ledger_line_of(c, s->j->spec.now, s->j->spec.tz, &l);
    when(c->received_at, s->j->spec.tz, recv);
    when(l.due ? case_due_shown(l.due, s->j->spec.tz) : 0, s->j->spec.tz, due);
    const char *cells[] = {c->case_no, c->title, case_channel_label(c->channel),
                           case_class_label(c->klass), l.step, c->lead.id ? c->lead.name : "待派单",
                           recv, NULL, ledger_due_label(&l), due};
    int rc = put_row(s, cells, sizeof cells / sizeof *cells);
    const double nums[][2] = {{7, l.age_days}, {10, l.overdue_days}, {11, c->reopen_count}};
    for (size_t i = 0; !rc && i < sizeof nums / sizeof *nums; i++)
        if (worksheet_write_number(s->ws, s->row, (lxw_col_t)nums[i][0], nums[i][1], NULL) != LXW_NO_ERROR)
            rc = ERR_IO;
    return rc;
}

static int write_case(void *ctx, const case_rec *c) {
    sheet *s = ctx;
    s->row++;
    int rc = s->j->spec.layout == EXPORT_LEDGER ? ledger_row(s, c) : case_row(s, c);
    if (rc) return rc;
    s->last_id = c->id;
    case_due_kind kind;
    s->last_due = case_next_due(c, &kind);
    pthread_mutex_lock(&s->j->x->mu);
    s->j->state.done++;
    pthread_mutex_unlock(&s->j->x->mu);
    return 0;
}

static void fail(job *j, const char *why) {
    pthread_mutex_lock(&j->x->mu);
    snprintf(j->state.error, sizeof j->state.error, "%.159s", why);
    j->state.status = EXPORT_FAILED;
    j->finished_at = time(NULL);
    pthread_mutex_unlock(&j->x->mu);
}

static void *run(void *arg) {
    job *j = arg;
    store *st = NULL;
    err e = {0};
    char path[PATH_MAX + 48];
    snprintf(path, sizeof path, "%s/%s.xlsx", j->x->dir, j->id);
    if (store_open(j->x->target, NULL, &st, &e)) {
        fail(j, e.msg);
        return NULL;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = j->x->dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    sheet s = {.j = j};
    int rc = 0;
    const struct layout *lay = &layouts[j->spec.layout];
    if (!wb || !(s.ws = workbook_add_worksheet(wb, lay->sheet))) {
        rc = ERR_IO;
        err_set(&e, ERR_IO, "", "cannot start the workbook");
    }
    if (!rc) {
        s.head = workbook_add_format(wb);
        format_set_bold(s.head);
        format_set_bg_color(s.head, 0xF2F2F2);
        worksheet_freeze_panes(s.ws, 1, 0);
        for (lxw_col_t k = 0; k < lay->n; k++) {
            worksheet_set_column(s.ws, k, k, lay->cols[k].width, NULL);
            worksheet_write_string(s.ws, 0, k, lay->cols[k].title, s.head);
        }
    }
    /* page by page in the list's own order, each page after the last */
    store_case_filter f = j->spec.filter;
    f.text = j->text;
    f.limit = 1000;
    f.after_id = f.after_due = 0;
    for (int64_t before = -1; !rc && s.row != before;) {
        before = s.row;
        if ((rc = store_case_list(st, &f, write_case, &s, &e)) && !e.code)
            err_set(&e, ERR_IO, "", "cannot write a row");
        f.after_id = s.last_id;
        f.after_due = s.last_due;
        if ((int64_t)(s.row - before) < f.limit) break;
    }
    lxw_error closed = wb ? workbook_close(wb) : LXW_NO_ERROR;
    store_close(st);
    if (!rc && closed != LXW_NO_ERROR) err_set(&e, ERR_IO, "", "cannot write the workbook: %s", lxw_strerror(closed));
    if (rc || closed != LXW_NO_ERROR) {
        unlink(path);
        fail(j, e.msg);
        return NULL;
    }
    pthread_mutex_lock(&j->x->mu);
    snprintf(j->state.path, sizeof j->state.path, "%s", path);
    j->state.status = EXPORT_DONE;
    j->state.total = j->state.done;
    j->finished_at = time(NULL);
    pthread_mutex_unlock(&j->x->mu);
    return NULL;
}

/* Drops finished jobs older than EXPORT_KEEP_S; counts those running. Under mu. */
static int sweep(exporter *x, int64_t now) {
    int running = 0;
    for (job **p = &x->jobs; *p;) {
        job *j = *p;
        if (!j->finished_at) {
            running++;
        } else if (j->finished_at + EXPORT_KEEP_S < now) {
            *p = j->next;
            pthread_join(j->thread, NULL);
            job_free(j);
            continue;
        }
        p = &j->next;
    }
    return running;
}

int exporter_start(exporter *x, const export_spec *spec, char id[EXPORT_ID_LEN], err *e) {
    store *st = NULL;
    int64_t total = 0;
    int rc = store_open(x->target, NULL, &st, e);
    if (!rc) rc = store_case_count(st, &spec->filter, &total, e);
    store_close(st);
    if (rc) return rc;
    job *j = calloc(1, sizeof *j);
    if (!j || (spec->filter.text && !(j->text = strdup(spec->filter.text)))) {
        free(j);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(j->id, sizeof j->id, raw, sizeof raw);
    j->x = x;
    j->spec = *spec;
    j->spec.filter.text = NULL;
    j->state.total = total;
    j->state.layout = spec->layout;
    pthread_mutex_lock(&x->mu);
    if (sweep(x, time(NULL)) >= EXPORT_MAX_RUNNING) {
        pthread_mutex_unlock(&x->mu);
        job_free(j);
        return err_set(e, ERR_THROTTLED, "", "%d exports are running; try again in a minute",
                       EXPORT_MAX_RUNNING);
    }
    if (pthread_create(&j->thread, NULL, run, j)) {
        pthread_mutex_unlock(&x->mu);
        job_free(j);
        return err_set(e, ERR_IO, "", "cannot start the export");
    }
    j->next = x->jobs;
    x->jobs = j;
    pthread_mutex_unlock(&x->mu);
    memcpy(id, j->id, EXPORT_ID_LEN);
    return 0;
}

int exporter_get(exporter *x, const char *id, int64_t owner, export_state *out, err *e) {
    pthread_mutex_lock(&x->mu);
    sweep(x, time(NULL));
    job *j = x->jobs;
    while (j && (strcmp(j->id, id) != 0 || j->spec.owner != owner)) j = j->next;
    if (j) *out = j->state;
    pthread_mutex_unlock(&x->mu);
    return j ? 0 : err_set(e, ERR_NOTFOUND, "id", "no export '%.40s' (they are kept an hour)", id);
}
