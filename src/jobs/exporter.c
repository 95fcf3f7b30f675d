/* exporter: see exporter.h. */
#include "jobs/exporter.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
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
    int64_t finished_at; /* 0 while running */
    export_state state;
} job;

struct exporter {
    char *target;
    jobs *jobs; /* its queue, EXPORT_QUEUE */
    char dir[PATH_MAX];
    pthread_mutex_t mu;
    job *list;
};

/* The folder of a server killed before it could remove its own (its
 * workbooks hold case data): one named for a process that no longer runs. */
static void sweep_dead(const char *tmp) {
    DIR *d = opendir(tmp);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        int pid = 0, n = 0;
        if (sscanf(de->d_name, "duban-export-%d-%*6[A-Za-z0-9]%n", &pid, &n) != 1 || de->d_name[n] || pid <= 0 ||
            !(kill(pid, 0) != 0 && errno == ESRCH))
            continue;
        char dir[PATH_MAX], file[PATH_MAX + 300];
        snprintf(dir, sizeof dir, "%s/%s", tmp, de->d_name);
        DIR *in = opendir(dir);
        struct dirent *f;
        while (in && (f = readdir(in)))
            if (strcmp(f->d_name, ".") && strcmp(f->d_name, "..")) {
                snprintf(file, sizeof file, "%s/%s", dir, f->d_name);
                unlink(file);
            }
        if (in) closedir(in);
        rmdir(dir);
    }
    if (d) closedir(d);
}

int exporter_new(const char *target, jobs *jb, exporter **out, err *e) {
    exporter *x = calloc(1, sizeof *x);
    if (!x || !(x->target = strdup(target))) {
        free(x);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    int rc = jobs_queue(jb, EXPORT_QUEUE, EXPORT_MAX_RUNNING, 0, e);
    if (rc) {
        free(x->target);
        free(x);
        return rc;
    }
    x->jobs = jb;
    pthread_mutex_init(&x->mu, NULL);
    const char *tmp = getenv("TMPDIR");
    sweep_dead(tmp && tmp[0] ? tmp : "/tmp"); /* a server restarted after a crash tidies up */
    *out = x;
    return 0;
}

/* Made with the first export, not at start: a server that never exports
 * leaves nothing behind even when it is killed. Under x->mu. */
static int ensure_dir(exporter *x, err *e) {
    if (x->dir[0]) return 0;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !tmp[0]) tmp = "/tmp";
    sweep_dead(tmp);
    snprintf(x->dir, sizeof x->dir, "%s/duban-export-%d-XXXXXX", tmp, (int)getpid());
    if (!mkdtemp(x->dir)) {
        x->dir[0] = '\0';
        return err_set(e, ERR_IO, "", "cannot make a directory for exports");
    }
    return 0;
}

static void job_free(job *j) {
    if (j->state.path[0]) unlink(j->state.path);
    free(j->text);
    free(j);
}

void exporter_free(exporter *x) {
    if (!x) return;
    for (job *j = x->list, *next; j; j = next) {
        next = j->next;
        job_free(j);
    }
    if (x->dir[0]) rmdir(x->dir);
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

_Static_assert(sizeof case_cols / sizeof *case_cols <= 18 && sizeof ledger_cols / sizeof *ledger_cols <= 18,
               "a page row holds MAX_COLS cells");

/* Rows travel from the database to the sheet a page at a time: the job's
 * thread reads and formats the next page while a writer thread writes this
 * one into the workbook, so a hundred thousand rows cost the slower of the
 * two, not both. Two pages, taken in turn: memory stays constant. */
#ifndef EXPORT_PAGE_ROWS
#define EXPORT_PAGE_ROWS 1000 /* the test builds make it small: their exports cross many handoffs */
#endif
#define MAX_COLS 18
#define CELL_NUMBER (-1)

typedef struct page {
    size_t n; /* rows */
    int32_t cell[EXPORT_PAGE_ROWS][MAX_COLS]; /* 0 blank, CELL_NUMBER, else 1 + offset into text */
    double num[EXPORT_PAGE_ROWS][MAX_COLS];
    char *text;
    size_t len, cap;
    enum { PAGE_FREE, PAGE_FULL } state;
} page;

typedef struct sheet {
    job *j;
    lxw_worksheet *ws;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    page *pages; /* [2] */
    bool closed; /* no more pages */
    int failed;  /* the writer's error: the reader stops */
    /* the reader's: the page it fills, where the list goes on from */
    page *pg;
    int64_t last_id, last_due;
} sheet;

static int put_text(page *pg, lxw_col_t k, const char *text) {
    if (!text || !text[0]) return 0;
    size_t n = strlen(text) + 1;
    if (pg->len + n > pg->cap) {
        size_t want = pg->cap ? pg->cap : 64 * 1024;
        while (want < pg->len + n) want *= 2;
        char *p = realloc(pg->text, want);
        if (!p) return ERR_NOMEM;
        pg->text = p;
        pg->cap = want;
    }
    memcpy(pg->text + pg->len, text, n);
    pg->cell[pg->n][k] = (int32_t)pg->len + 1;
    pg->len += n;
    return 0;
}

static int put_row(page *pg, const char *const *cells, lxw_col_t n) {
    int rc = 0;
    for (lxw_col_t k = 0; !rc && k < n; k++) rc = put_text(pg, k, cells[k]);
    return rc;
}

static void when(int64_t t, int tz, char out[20]) {
    if (t)
        dt_format_minute(t, tz, out);
    else
        out[0] = '\0';
}

static int case_row(const export_spec *spec, page *pg, const case_rec *c) {
    int tz = spec->tz;
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
        case_overdue(c, spec->now) ? "是" : "否",
        c->satisfaction >= SAT_UNSATISFIED && c->satisfaction <= SAT_SATISFIED ? sat[c->satisfaction] : ""};
    return put_row(pg, cells, sizeof cells / sizeof *cells);
}

/* No contact details: the ledger is about who must act, not who asked. */
static int ledger_row(const export_spec *spec, page *pg, const case_rec *c) {
    ledger_line l;
    char recv[20], due[20];
    ledger_line_of(c, spec->now, spec->tz, &l);
    when(c->received_at, spec->tz, recv);
    when(l.due ? case_due_shown(l.due, spec->tz) : 0, spec->tz, due);
    const char *cells[] = {c->case_no, c->title, case_channel_label(c->channel),
                           case_class_label(c->klass), l.step, c->lead.id ? c->lead.name : "未派单",
                           recv, NULL, ledger_due_label(&l), due};
    const double nums[][2] = {{7, l.age_days}, {10, l.overdue_days}, {11, c->reopen_count}};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        pg->cell[pg->n][(int)nums[i][0]] = CELL_NUMBER;
        pg->num[pg->n][(int)nums[i][0]] = nums[i][1];
    }
    return put_row(pg, cells, sizeof cells / sizeof *cells);
}

/* The reader's callback: a case into the page it fills. */
static int read_case(void *ctx, const case_rec *c) {
    sheet *s = ctx;
    page *pg = s->pg;
    memset(pg->cell[pg->n], 0, sizeof pg->cell[pg->n]);
    int rc = s->j->spec.layout == EXPORT_LEDGER ? ledger_row(&s->j->spec, pg, c) : case_row(&s->j->spec, pg, c);
    if (rc) return rc;
    pg->n++;
    s->last_id = c->id;
    case_due_kind kind;
    s->last_due = case_next_due(c, &kind);
    return 0;
}

/* The writer thread: each full page, in turn, into the sheet (row 0 is the
 * header), until the reader closes. */
static void *write_pages(void *arg) {
    sheet *s = arg;
    lxw_row_t row = 1;
    for (int k = 0;; k ^= 1) {
        page *pg = &s->pages[k];
        pthread_mutex_lock(&s->mu);
        while (pg->state != PAGE_FULL && !s->closed) pthread_cond_wait(&s->cv, &s->mu);
        bool stop = pg->state != PAGE_FULL;
        pthread_mutex_unlock(&s->mu);
        if (stop) break;
        int rc = 0;
        for (size_t r = 0; !rc && r < pg->n; r++, row++)
            for (lxw_col_t c = 0; !rc && c < MAX_COLS; c++) {
                int32_t v = pg->cell[r][c];
                if (v == CELL_NUMBER)
                    rc = worksheet_write_number(s->ws, row, c, pg->num[r][c], NULL) != LXW_NO_ERROR;
                else if (v > 0)
                    rc = worksheet_write_string(s->ws, row, c, pg->text + v - 1, NULL) != LXW_NO_ERROR;
            }
        pthread_mutex_lock(&s->j->x->mu);
        s->j->state.done += (int64_t)pg->n;
        pthread_mutex_unlock(&s->j->x->mu);
        pthread_mutex_lock(&s->mu);
        pg->state = PAGE_FREE;
        if (rc) s->failed = ERR_IO;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        if (rc) break;
    }
    return NULL;
}

static void fail(job *j, const char *why) {
    pthread_mutex_lock(&j->x->mu);
    snprintf(j->state.error, sizeof j->state.error, "%.159s", why);
    j->state.status = EXPORT_FAILED;
    j->finished_at = time(NULL);
    pthread_mutex_unlock(&j->x->mu);
}

/* The header row: bold on grey, frozen, the columns as wide as their text. */
static void write_header(lxw_workbook *wb, lxw_worksheet *ws, const struct layout *lay) {
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xF2F2F2);
    worksheet_freeze_panes(ws, 1, 0);
    for (lxw_col_t k = 0; k < lay->n; k++) {
        worksheet_set_column(ws, k, k, lay->cols[k].width, NULL);
        worksheet_write_string(ws, 0, k, lay->cols[k].title, head);
    }
}

/* The reader: the list page by page in its own order, each page after the
 * last, handed to the writer. */
static int read_pages(store *st, sheet *s, err *e) {
    store_case_filter f = s->j->spec.filter;
    f.text = s->j->text;
    f.limit = EXPORT_PAGE_ROWS;
    f.after_id = f.after_due = 0;
    int rc = 0;
    for (int k = 0; !rc; k ^= 1) {
        page *pg = &s->pages[k];
        pthread_mutex_lock(&s->mu);
        while (pg->state != PAGE_FREE && !s->failed) pthread_cond_wait(&s->cv, &s->mu);
        rc = s->failed;
        pthread_mutex_unlock(&s->mu);
        if (rc) return err_set(e, ERR_IO, "", "cannot write a row");
        pg->n = pg->len = 0;
        s->pg = pg;
        if ((rc = store_case_list(st, &f, read_case, s, e)) && !e->code)
            err_set(e, ERR_IO, "", "out of memory");
        f.after_id = s->last_id;
        f.after_due = s->last_due;
        bool last = (int)pg->n < f.limit;
        pthread_mutex_lock(&s->mu);
        if (pg->n) pg->state = PAGE_FULL;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        if (last) break;
    }
    return rc;
}

static void run(void *arg) {
    job *j = arg;
    store *st = NULL;
    err e = {0};
    char path[PATH_MAX + 48];
    snprintf(path, sizeof path, "%s/%s.xlsx", j->x->dir, j->id);
    sheet s = {.j = j};
    pthread_t writer;
    bool writing = false;
    lxw_workbook *wb = NULL;
    const struct layout *lay = &layouts[j->spec.layout];
    int rc = store_open(j->x->target, NULL, &st, &e);
    if (!rc && !(s.pages = calloc(2, sizeof *s.pages))) rc = err_set(&e, ERR_NOMEM, "", "out of memory");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = j->x->dir};
    if (!rc && (!(wb = workbook_new_opt(path, &opt)) || !(s.ws = workbook_add_worksheet(wb, lay->sheet))))
        rc = err_set(&e, ERR_IO, "", "cannot start the workbook");
    if (!rc) {
        write_header(wb, s.ws, lay);
        pthread_mutex_init(&s.mu, NULL);
        pthread_cond_init(&s.cv, NULL);
        if (pthread_create(&writer, NULL, write_pages, &s))
            rc = err_set(&e, ERR_IO, "", "cannot start the export");
        else
            writing = true;
    }
    if (!rc) rc = read_pages(st, &s, &e);
    if (writing) {
        pthread_mutex_lock(&s.mu);
        s.closed = true;
        pthread_cond_broadcast(&s.cv);
        pthread_mutex_unlock(&s.mu);
        pthread_join(writer, NULL);
        if (!rc && s.failed) rc = err_set(&e, ERR_IO, "", "cannot write a row");
        pthread_mutex_destroy(&s.mu);
        pthread_cond_destroy(&s.cv);
    }
    store_close(st);
    for (int k = 0; s.pages && k < 2; k++) free(s.pages[k].text);
    free(s.pages);
    lxw_error closed = wb ? workbook_close(wb) : LXW_NO_ERROR;
    if (!rc && closed != LXW_NO_ERROR) rc = err_set(&e, ERR_IO, "", "cannot write the workbook: %s", lxw_strerror(closed));
    if (rc) {
        unlink(path);
        fail(j, e.msg);
        return;
    }
    pthread_mutex_lock(&j->x->mu);
    snprintf(j->state.path, sizeof j->state.path, "%s", path);
    j->state.status = EXPORT_DONE;
    j->state.total = j->state.done;
    j->finished_at = time(NULL);
    pthread_mutex_unlock(&j->x->mu);
}

/* The server stopped before the job's turn came. */
static void dropped(void *arg) { fail(arg, "the server stopped before the export began"); }

/* Drops finished jobs older than EXPORT_KEEP_S (their task has ended: it
 * touches the job no more once it is marked finished). Under mu. */
static void sweep(exporter *x, int64_t now) {
    for (job **p = &x->list; *p;) {
        job *j = *p;
        if (j->finished_at && j->finished_at + EXPORT_KEEP_S < now) {
            *p = j->next;
            job_free(j);
            continue;
        }
        p = &j->next;
    }
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
    sweep(x, time(NULL));
    /* listed before its task can start (and mark it finished) */
    if (!(rc = ensure_dir(x, e)) && !(rc = jobs_submit(x->jobs, EXPORT_QUEUE, run, dropped, j, e))) {
        j->next = x->list;
        x->list = j;
    }
    pthread_mutex_unlock(&x->mu);
    if (rc) {
        job_free(j);
        if (rc == ERR_THROTTLED)
            err_set(e, rc, "", "%d exports are running; try again in a minute", EXPORT_MAX_RUNNING);
        return rc;
    }
    memcpy(id, j->id, EXPORT_ID_LEN);
    return 0;
}

int exporter_get(exporter *x, const char *id, int64_t owner, export_state *out, err *e) {
    pthread_mutex_lock(&x->mu);
    sweep(x, time(NULL));
    job *j = x->list;
    while (j && (strcmp(j->id, id) != 0 || j->spec.owner != owner)) j = j->next;
    if (j) *out = j->state;
    pthread_mutex_unlock(&x->mu);
    return j ? 0 : err_set(e, ERR_NOTFOUND, "id", "no export '%.40s' (they are kept an hour)", id);
}
