/* webhook: see webhook.h. */
#include "jobs/webhook.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/conn.h"
#include "store/store_outbox.h"

typedef struct turn_ctx {
    store *st;
    const job_run *run;
    char url[512], secret[160];
    int64_t retry_s;
} turn_ctx;

static size_t ignore(char *p, size_t sz, size_t n, void *ctx) {
    (void)p, (void)ctx;
    return sz * n;
}

/* A POST in flight is given up when the server stops (curl asks a few
 * times a second): a stop waits for no receiver. */
static int progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
    const turn_ctx *t = ctx;
    (void)dt, (void)dn, (void)ut, (void)un;
    return t->run->stopping(t->run);
}

/* One POST; "" when the receiver took it (2xx), else why not. */
static void post(const turn_ctx *t, const store_outbox_row *r, char *why, size_t n) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof mac + 1], sig[96], id[64];
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, (const unsigned char *)t->secret, strlen(t->secret));
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)r->body, strlen(r->body));
    crypto_auth_hmacsha256_final(&h, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(sig, sizeof sig, "X-Duban-Signature: sha256=%s", hex);
    snprintf(id, sizeof id, "X-Duban-Delivery: %lld", (long long)r->id);
    CURL *c = curl_easy_init();
    struct curl_slist *hs = NULL;
    hs = curl_slist_append(hs, "Content-Type: application/json; charset=utf-8");
    hs = curl_slist_append(hs, sig);
    hs = curl_slist_append(hs, id);
    why[0] = '\0';
    if (!c || !hs) {
        snprintf(why, n, "out of memory");
    } else {
        curl_easy_setopt(c, CURLOPT_URL, t->url);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ignore);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        if (cc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (cc == CURLE_ABORTED_BY_CALLBACK) snprintf(why, n, "the server stopped during the attempt");
        else if (cc != CURLE_OK) snprintf(why, n, "%s", curl_easy_strerror(cc));
        else if (status < 200 || status > 299) snprintf(why, n, "the receiver answered %ld", status);
    }
    curl_slist_free_all(hs);
    if (c) curl_easy_cleanup(c);
}

/* Sends one row and records the attempt (the time after the POST, which may
 * have waited 10 s). */
static int deliver(turn_ctx *t, const store_outbox_row *r, err *e) {
    char why[200];
    post(t, r, why, sizeof why);
    int64_t now = t->run->clock(), wait = t->run->stopping(t->run) ? 0 : t->retry_s;
    for (int i = 1; i < r->attempts + 1 && wait < 3600; i++) wait *= 2; /* back-off, at most an hour */
    int rc = store_outbox_done(t->st, r->id, now, why[0] ? why : NULL, now + (wait < 3600 ? wait : 3600), e);
    if (rc) err_prefix(e, "delivery %lld not recorded (it is sent again once its lease ends): ", (long long)r->id);
    return rc;
}

static int turn(void *arg, const job_run *run, err *e) {
    job_conn *c = arg;
    turn_ctx t = {0};
    int rc = job_conn_get(c, &t.st, e);
    if (rc || (rc = store_refresh(t.st, e))) return job_conn_after(c, rc);
    if (store_config_get(t.st, "webhook_url", t.url, sizeof t.url, NULL) || !t.url[0]) return 0;
    store_config_get(t.st, "webhook_secret", t.secret, sizeof t.secret, NULL);
    t.retry_s = store_config_int(t.st, "webhook_retry_seconds", 30);
    t.run = run;
    for (int n = 0; !rc && n < WEBHOOK_TURN_MAX && !run->stopping(run); n++) {
        store_outbox_row r;
        char *body;
        if ((rc = store_outbox_claim(t.st, run->clock(), &r, &body, e))) break;
        rc = deliver(&t, &r, e);
        free(body);
    }
    return job_conn_after(c, rc == ERR_NOTFOUND ? 0 : rc); /* NOTFOUND: nothing more is due */
}

int webhook_job_def(const char *target, job_def *def, err *e) {
    return job_conn_def("webhook", WEBHOOK_PERIOD_MS, turn, target, def, e);
}
