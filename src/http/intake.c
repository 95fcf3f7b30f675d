/* intake: see intake.h. */
#include "http/intake.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "store/store.h"
#include "store/store_case.h"

#define INTAKE_MAX_GROUP 2000

struct intake {
    store *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    intake_job *head, *tail;
    bool stopping;
};

void intake_job_free(intake_job *job) {
    if (!job) return;
    free(job->c.title);
    free(job->c.description);
    free(job->c.requester_name);
    free(job->c.requester_phone);
    free(job->c.result);
    json_decref(job->body);
    free(job);
}

static void error_body(intake_job *j, int status, const err *e) {
    j->status = status;
    j->body = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code",
                        status == 409 ? "conflict" : status == 422 ? "invalid" : "unavailable",
                        "message", e->msg, "field", e->field[0] ? e->field : NULL);
}

/* Creates one job's case inside the group's transaction. */
static void create_one(intake *in, intake_job *j) {
    err e = {0};
    bool replayed = false;
    /* The store fills in the case; keep the job's own strings to free later. */
    case_rec c = j->c;
    if (store_case_create_keyed(in->st, &c, j->actor, j->key[0] ? j->key : NULL, &replayed, &e)) {
        error_body(j, e.code == ERR_INVALID ? 422 : e.code == ERR_CONFLICT ? 409 : 503, &e);
        return;
    }
    json_t *o = case_to_json(&c, store_env(in->st)->tz, j->reveal ? CASE_JSON_REVEAL : 0);
    if (c.confidential && !j->reveal) {
        json_object_set_new(o, "requester_name", json_null());
        json_object_set_new(o, "requester_phone", json_null());
    }
    j->status = replayed ? 200 : 201;
    j->body = o;
    snprintf(j->location, sizeof j->location, "/api/v1/cases/%lld", (long long)c.id);
    if (replayed) case_rec_clear(&c); /* owned copies of the first request's case */
}

static void *committer(void *arg) {
    intake *in = arg;
    for (;;) {
        pthread_mutex_lock(&in->mu);
        while (!in->head && !in->stopping) pthread_cond_wait(&in->cv, &in->mu);
        intake_job *group = in->head;
        int n = 0;
        intake_job *last = group;
        while (last && last->next && n + 1 < INTAKE_MAX_GROUP) last = last->next, n++;
        if (last) {
            in->head = last->next;
            if (!in->head) in->tail = NULL;
            last->next = NULL;
        }
        bool stop = in->stopping && !in->head && !group;
        pthread_mutex_unlock(&in->mu);
        if (stop) break;
        if (!group) continue;
        /* One transaction for the group: each case in its own savepoint, so a
         * bad one fails alone; one commit makes them all durable together. */
        err e = {0};
        bool ok = store_begin(in->st, &e) == 0;
        for (intake_job *j = group; ok && j; j = j->next) create_one(in, j);
        if (ok && store_commit(in->st, &e)) ok = false;
        for (intake_job *j = group, *next; j; j = next) {
            next = j->next;
            if (!ok) {
                json_decref(j->body);
                j->body = NULL;
                error_body(j, 503, &e);
            }
            atomic_store(&j->done, true);
            MHD_resume_connection(j->conn);
        }
    }
    return NULL;
}

int intake_start(const char *db_path, intake **out, err *e) {
    intake *in = calloc(1, sizeof *in);
    if (!in) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = store_open(db_path, NULL, &in->st, e);
    if (rc) {
        free(in);
        return rc;
    }
    pthread_mutex_init(&in->mu, NULL);
    pthread_cond_init(&in->cv, NULL);
    if (pthread_create(&in->thread, NULL, committer, in)) {
        store_close(in->st);
        free(in);
        return err_set(e, ERR_IO, "", "cannot start the intake committer");
    }
    *out = in;
    return 0;
}

bool intake_submit(intake *in, intake_job *job) {
    pthread_mutex_lock(&in->mu);
    bool ok = !in->stopping;
    if (ok) {
        if (in->tail) in->tail->next = job;
        else in->head = job;
        in->tail = job;
        pthread_cond_signal(&in->cv);
    }
    pthread_mutex_unlock(&in->mu);
    return ok;
}

void intake_stop(intake *in) {
    if (!in) return;
    pthread_mutex_lock(&in->mu);
    in->stopping = true;
    pthread_cond_signal(&in->cv);
    pthread_mutex_unlock(&in->mu);
    pthread_join(in->thread, NULL);
    pthread_mutex_destroy(&in->mu);
    pthread_cond_destroy(&in->cv);
    store_close(in->st);
    free(in);
}
