/* webhook: see webhook.h. */
#include "jobs/webhook.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "jobs/conn.h"
#include "store/store_outbox.h"

typedef struct turn_ctx {
    store *st;
    const job_run *run;
    char url[512], secret[160];
    char allow[256]; /* webhook_allow_hosts: hosts that may be private */
    int64_t retry_s;
} turn_ctx;

/* One attempt: what post() needs beside the turn. */
typedef struct attempt {
    const turn_ctx *t;
    bool refused; /* the address was a private one the configuration does not name */
    char ip[64];
} attempt;

static size_t ignore(char *p, size_t sz, size_t n, void *ctx) {
    (void)p, (void)ctx;
    return sz * n;
}

/* A POST in flight is given up when the server stops (curl asks a few
 * times a second): a stop waits for no receiver. */
static int progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
    const attempt *a = ctx;
    (void)dt, (void)dn, (void)ut, (void)un;
    return a->t->run->stopping(a->t->run);
}

/* Whether the URL's host is one webhook_allow_hosts names (commas between). */
static bool allowed_host(const char *url, const char *allow) {
    CURLU *u = curl_url();
    char *host = NULL;
    bool ok = false;
    if (u && !curl_url_set(u, CURLUPART_URL, url, 0) && !curl_url_get(u, CURLUPART_HOST, &host, 0)) {
        size_t n = strlen(host);
        for (const char *p = allow; *p && !ok;) {
            size_t len = strcspn(p, ",");
            ok = len == n && strncasecmp(p, host, n) == 0;
            p += len + (p[len] == ',');
        }
    }
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
}

/* Loopback, private, link-local (the cloud's metadata address among them),
 * unspecified, shared or multicast: the county's own network, where a
 * webhook could be turned into a probe. */
static bool private_address(const char *ip) {
    unsigned char a[16];
    if (inet_pton(AF_INET6, ip, a) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a, mapped, 12) == 0) {
            char v4[16];
            snprintf(v4, sizeof v4, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
            return private_address(v4);
        }
        bool zero = true;
        for (int i = 0; i < 15; i++) zero = zero && !a[i];
        return (zero && (a[15] == 0 || a[15] == 1)) || (a[0] & 0xfe) == 0xfc /* fc00::/7 */ ||
               (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) /* fe80::/10 */ || a[0] == 0xff;
    }
    if (inet_pton(AF_INET, ip, a) != 1) return true; /* not an address we can judge: not sent */
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224;
}

/* Called once connected, before the request is sent: a private address
 * (whatever name led to it, 0x7f000001 or a DNS name alike) is refused
 * unless its host is named in webhook_allow_hosts. */
static int before_sending(void *ctx, char *ip, char *local_ip, int remote_port, int local_port) {
    attempt *a = ctx;
    (void)local_ip, (void)remote_port, (void)local_port;
    snprintf(a->ip, sizeof a->ip, "%s", ip);
    if (private_address(ip) && !allowed_host(a->t->url, a->t->allow)) {
        a->refused = true;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

/* One POST; "" when the receiver took it (2xx), else why not. The body is
 * signed with the time it is sent (a receiver refuses an old one, so a
 * captured request cannot be played again): HMAC-SHA256 under the secret
 * of "TIMESTAMP.BODY"; with no secret, nothing is signed. */
static void post(const turn_ctx *t, const store_outbox_row *r, int64_t now, char *why, size_t n) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof mac + 1], sig[96], id[64], ts[64], stamp[24];
    snprintf(stamp, sizeof stamp, "%lld", (long long)now);
    snprintf(ts, sizeof ts, "X-Duban-Timestamp: %s", stamp);
    snprintf(id, sizeof id, "X-Duban-Delivery: %lld", (long long)r->id);
    CURL *c = curl_easy_init();
    struct curl_slist *hs = NULL;
    hs = curl_slist_append(hs, "Content-Type: application/json; charset=utf-8");
    hs = curl_slist_append(hs, ts);
    hs = curl_slist_append(hs, id);
    if (t->secret[0]) {
        crypto_auth_hmacsha256_state h;
        crypto_auth_hmacsha256_init(&h, (const unsigned char *)t->secret, strlen(t->secret));
        crypto_auth_hmacsha256_update(&h, (const unsigned char *)stamp, strlen(stamp));
        crypto_auth_hmacsha256_update(&h, (const unsigned char *)".", 1);
        crypto_auth_hmacsha256_update(&h, (const unsigned char *)r->body, strlen(r->body));
        crypto_auth_hmacsha256_final(&h, mac);
        sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
        snprintf(sig, sizeof sig, "X-Duban-Signature: sha256=%s", hex);
        hs = curl_slist_append(hs, sig);
    }
    attempt a = {.t = t};
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
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &a);
        curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, before_sending);
        curl_easy_setopt(c, CURLOPT_PREREQDATA, &a);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect would bypass the check */
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        if (cc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (a.refused)
            snprintf(why, n, "refused: %.60s is a private address (loopback, LAN, link-local);"
                             " name the host in webhook_allow_hosts to allow it", a.ip);
        else if (cc == CURLE_ABORTED_BY_CALLBACK) snprintf(why, n, "the server stopped during the attempt");
        /* one text for every failure to connect: an open port and a closed one look the same */
        else if (cc != CURLE_OK) snprintf(why, n, "could not reach the receiver");
        else if (status < 200 || status > 299) snprintf(why, n, "the receiver answered %ld", status);
    }
    curl_slist_free_all(hs);
    if (c) curl_easy_cleanup(c);
}

/* Sends one row and records the attempt (the time after the POST, which may
 * have waited 10 s). */
static int deliver(turn_ctx *t, const store_outbox_row *r, err *e) {
    char why[200];
    post(t, r, t->run->clock(), why, sizeof why);
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
    store_config_get(t.st, "webhook_allow_hosts", t.allow, sizeof t.allow, NULL);
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
