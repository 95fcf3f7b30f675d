/* writer: see writer.h. */
#include "http/writer.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/view.h"
#include "http/http_int.h"
#include "store/store_auth.h"
#include "store/store_case.h"

#define WRITER_MAX_GROUP 2000

struct writer {
    store *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    write_job *head, *tail;
    bool stopping;
};

void write_job_free(write_job *job) {
    if (!job) return;
    free(job->c.title);
    free(job->c.description);
    free(job->c.requester_name);
    free(job->c.requester_phone);
    free(job->c.result);
    free(job->note);
    free(job->reply);
    json_decref(job->body);
    free(job);
}

static void error_body(write_job *j, const err *e) {
    http_err_view v;
    http_err_view_of(e, j->rid, &v);
    j->status = v.status;
    json_decref(j->body);
    j->body = http_err_json(&v, v.status >= 500 ? j->rid : NULL);
}

/* A case as the caller may see it (core/view.h). */
static json_t *job_case_json(const write_job *j, const case_rec *c, int tz) {
    return case_view_json(c, j->view, 0, tz);
}

static void run_create(store *st, write_job *j) {
    err e = {0};
    bool replayed = false;
    /* The store fills in the case; keep the job's own strings to free later. */
    case_rec c = j->c;
    if (store_case_create_keyed(st, &c, j->actor, j->key[0] ? j->key : NULL, &replayed, &e)) {
        error_body(j, &e);
        return;
    }
    j->status = replayed ? 200 : 201;
    j->body = job_case_json(j, &c, store_env(st)->tz);
    snprintf(j->location, sizeof j->location, "/api/v1/cases/%lld", (long long)c.id);
    if (replayed) case_rec_clear(&c); /* owned copies of the first request's case */
}

static void run_act(store *st, write_job *j) {
    err e = {0};
    case_rec out;
    if (!store_case_act_scoped(st, j->id, j->scope, &j->r, &out, &e)) {
        j->status = 200;
        j->body = job_case_json(j, &out, store_env(st)->tz);
        case_rec_clear(&out);
        return;
    }
    /* A 404 names a bad reference in the request unless it is the case itself. */
    if (e.code == ERR_NOTFOUND && strcmp(e.field, "id") != 0) e.code = ERR_INVALID;
    if (e.code == ERR_FORBIDDEN) { /* refusals go to the access log, as the router's do */
        char detail[96];
        snprintf(detail, sizeof detail, "%s: %s", case_action_name(j->r.action), e.field);
        store_access_log(st, j->r.at, j->user_id, j->actor, "refused", j->id, detail, NULL);
    }
    error_body(j, &e);
    /* Refused by the case's state (another action got there first, say): the
     * answer shows the state it is in now. */
    if (e.code == ERR_CONFLICT && !store_case_get_scoped(st, j->id, j->scope, &out, NULL)) {
        json_object_set_new(j->body, "current", job_case_json(j, &out, store_env(st)->tz));
        case_rec_clear(&out);
    }
}

void write_job_run(store *st, write_job *j) {
    if (j->kind == WRITE_CREATE)
        run_create(st, j);
    else
        run_act(st, j);
}

static void *committer(void *arg) {
    writer *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->head && !w->stopping) pthread_cond_wait(&w->cv, &w->mu);
        write_job *group = w->head;
        int n = 0;
        write_job *last = group;
        while (last && last->next && n + 1 < WRITER_MAX_GROUP) last = last->next, n++;
        if (last) {
            w->head = last->next;
            if (!w->head) w->tail = NULL;
            last->next = NULL;
        }
        bool stop = w->stopping && !w->head && !group;
        pthread_mutex_unlock(&w->mu);
        if (stop) break;
        if (!group) continue;
        /* One transaction for the group: each job in its own savepoint, so a
         * bad one fails alone; one commit makes them all durable together. */
        err e = {0};
        bool ok = store_begin(w->st, &e) == 0;
        for (write_job *j = group; ok && j; j = j->next) write_job_run(w->st, j);
        if (ok && store_commit(w->st, &e)) ok = false;
        for (write_job *j = group, *next; j; j = next) {
            next = j->next;
            if (!ok) error_body(j, &e);
            atomic_store(&j->done, true);
            MHD_resume_connection(j->conn);
        }
    }
    return NULL;
}

int writer_start(const char *target, writer **out, err *e) {
    writer *w = calloc(1, sizeof *w);
    if (!w) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = store_open(target, NULL, &w->st, e);
    if (rc) {
        free(w);
        return rc;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, committer, w)) {
        store_close(w->st);
        free(w);
        return err_set(e, ERR_IO, "", "cannot start the committer");
    }
    *out = w;
    return 0;
}

bool writer_submit(writer *w, write_job *job) {
    pthread_mutex_lock(&w->mu);
    bool ok = !w->stopping;
    if (ok) {
        if (w->tail)
            w->tail->next = job;
        else
            w->head = job;
        w->tail = job;
        pthread_cond_signal(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return ok;
}

void writer_stop(writer *w) {
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    bool running = !w->stopping;
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (running) pthread_join(w->thread, NULL);
}

void writer_free(writer *w) {
    if (!w) return;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    store_close(w->st);
    free(w);
}
_Static_assert(sizeof ((write_job *)0)->rid == HTTP_RID_LEN, "write_job.rid holds a request id");
