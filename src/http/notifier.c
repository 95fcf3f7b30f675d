/* notifier: see notifier.h. */
#include "http/notifier.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_outbox.h"

struct notifier {
    char *target;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
};

typedef struct turn_ctx {
    store *st;
    char url[512], secret[160];
    int64_t retry_s;
} turn_ctx;

static size_t ignore(char *p, size_t sz, size_t n, void *ctx) {
    (void)p, (void)ctx;
    return sz * n;
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
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        if (cc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (cc != CURLE_OK) snprintf(why, n, "%s", curl_easy_strerror(cc));
        else if (status < 200 || status > 299) snprintf(why, n, "the receiver answered %ld", status);
    }
    curl_slist_free_all(hs);
    if (c) curl_easy_cleanup(c);
}

static int deliver(void *ctx, const store_outbox_row *r) {
    turn_ctx *t = ctx;
    char why[200];
    post(t, r, why, sizeof why);
    int64_t now = time(NULL), wait = t->retry_s;
    for (int i = 1; i < r->attempts + 1 && wait < 3600; i++) wait *= 2; /* back-off, at most an hour */
    err e = {0};
    if (store_outbox_done(t->st, r->id, now, why[0] ? why : NULL, now + (wait < 3600 ? wait : 3600), &e))
        fprintf(stderr, "duban: webhook delivery %lld not recorded: %s\n", (long long)r->id, e.msg);
    return 0; /* the next row is tried all the same (an unrecorded one again once its lease ends) */
}

static void turn(notifier *n, store **st) {
    err e = {0};
    if (!*st && store_open(n->target, NULL, st, &e)) return;
    turn_ctx t = {.st = *st};
    if (store_refresh(*st, &e) || store_config_get(*st, "webhook_url", t.url, sizeof t.url, &e) || !t.url[0]) return;
    store_config_get(*st, "webhook_secret", t.secret, sizeof t.secret, NULL);
    t.retry_s = store_config_int(*st, "webhook_retry_seconds", 30);
    if (store_outbox_claim(*st, time(NULL), 20, deliver, &t, &e) && !store_healthy(*st)) {
        store_close(*st);
        *st = NULL;
    }
}

static void *run(void *arg) {
    notifier *n = arg;
    store *st = NULL;
    pthread_mutex_lock(&n->mu);
    while (!n->stopping) {
        pthread_mutex_unlock(&n->mu);
        turn(n, &st);
        pthread_mutex_lock(&n->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!n->stopping && pthread_cond_timedwait(&n->cv, &n->mu, &until) != ETIMEDOUT) {}
    }
    pthread_mutex_unlock(&n->mu);
    store_close(st);
    return NULL;
}

int notifier_start(const char *target, notifier **out, err *e) {
    notifier *n = calloc(1, sizeof *n);
    if (!n || !(n->target = strdup(target))) {
        free(n);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    pthread_mutex_init(&n->mu, NULL);
    pthread_cond_init(&n->cv, NULL);
    if (pthread_create(&n->thread, NULL, run, n)) {
        free(n->target);
        free(n);
        return err_set(e, ERR_IO, "", "cannot start the notifier");
    }
    *out = n;
    return 0;
}

void notifier_stop(notifier *n) {
    if (!n) return;
    pthread_mutex_lock(&n->mu);
    n->stopping = true;
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->mu);
    pthread_join(n->thread, NULL);
    pthread_mutex_destroy(&n->mu);
    pthread_cond_destroy(&n->cv);
    free(n->target);
    free(n);
}
