/* Attachments through the API on each driver: photos and PDFs judged by
 * their bytes (raw bodies and multipart forms), the size limit, who may add
 * and read them (refused on the request's headers, before its body),
 * downloads with the right type, large uploads staged on disk, publishing
 * to the public, and bytes altered in the database caught by `audit verify`. */
#include "test.h"

#include <sodium.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "db/db.h"
#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session OP, DISP, CLERK, OTHER, LEADER;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "files", "5");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &LEADER, "leader");
    return 0;
}

/* A body of n bytes that begins with a format's signature. */
static unsigned char *bytes(const char *magic, size_t mlen, size_t n) {
    unsigned char *p = malloc(n);
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 7 + 3);
    memcpy(p, magic, mlen);
    return p;
}
#define JPEG "\xff\xd8\xff\xe0\x00\x10JFIF", 10
#define PNG "\x89PNG\r\n\x1a\n", 8
#define WEBP "RIFF\x24\x00\x00\x00WEBPVP8 ", 16
#define PDF "%PDF-1.4\n", 9
#define GIF "GIF89a", 6

/* POST the bytes raw (with ?name=) or, with a form name, as a multipart
 * form's "file" part claiming type `claim`. */
static void upload(session *who, int64_t case_id, const char *name, const unsigned char *p,
                   size_t n, const char *form_name, const char *claim) {
    char url[512], *esc;
    CURL *c = curl_easy_init();
    esc = curl_easy_escape(c, name ? name : "", 0);
    snprintf(url, sizeof url, "%s/api/v1/cases/%lld/attachments%s%s", S.url, (long long)case_id,
             name && !form_name ? "?name=" : "", name && !form_name ? esc : "");
    curl_free(esc);
    memset(&R, 0, offsetof(reply, body) + 1);
    R.len = R.hlen = 0;
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, who->cookie);
    h = curl_slist_append(h, who->csrf);
    curl_mime *mime = NULL;
    if (form_name) {
        mime = curl_mime_init(c);
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, "file");
        curl_mime_filename(part, form_name);
        curl_mime_type(part, claim);
        curl_mime_data(part, (const char *)p, n);
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    } else {
        h = curl_slist_append(h, "Content-Type: application/octet-stream");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, p);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &R);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &R);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (curl_easy_perform(c) != CURLE_OK) R.status = -1;
    else curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &R.status);
    curl_mime_free(mime);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static int64_t CASE_ID, PHOTO, LETTER;

static int64_t new_case(void) {
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"河阳路井盖缺失\","
         "\"requester_name\":\"孙八\",\"requester_phone\":\"13500005555\"}", OP.h);
    want(201, "intake");
    json_t *v = J();
    int64_t id = I_(v, "id");
    json_decref(v);
    return id;
}

static int count_files(int64_t id) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/attachments", (long long)id);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    json_t *v = J();
    int n = (int)json_array_size(json_object_get(v, "attachments"));
    json_decref(v);
    return n;
}

static void photos_and_pdfs_by_their_bytes(void **st) {
    (void)st;
    CASE_ID = new_case();
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)CASE_ID);
    call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
    want(200, "dispatch");
    /* the operator's photo, raw */
    unsigned char *jpg = bytes(JPEG, 5000);
    upload(&OP, CASE_ID, "现场照片.jpg", jpg, 5000, NULL, NULL);
    want(201, "photo");
    assert_non_null(strstr(R.headers, "Location: /api/v1/cases/"));
    json_t *v = J();
    PHOTO = I_(v, "id");
    assert_str(S_(v, "mime"), "image/jpeg");
    assert_int_equal(I_(v, "size"), 5000);
    assert_str(S_(v, "name"), "现场照片.jpg");
    unsigned char sum[32];
    char hex[65];
    crypto_hash_sha256(sum, jpg, 5000);
    sodium_bin2hex(hex, sizeof hex, sum, 32);
    assert_str(S_(v, "sha256"), hex);
    assert_false(json_is_true(json_object_get(v, "published")));
    json_decref(v);
    /* the lead unit's 答复函 in a form, whatever type the client claims; the
     * path a browser may send is dropped */
    unsigned char *pdf = bytes(PDF, 3000);
    upload(&CLERK, CASE_ID, NULL, pdf, 3000, "C:\\文件\\答复函.pdf", "image/png");
    want(201, "letter");
    v = J();
    LETTER = I_(v, "id");
    assert_str(S_(v, "mime"), "application/pdf");
    assert_str(S_(v, "name"), "答复函.pdf");
    json_decref(v);
    unsigned char *png = bytes(PNG, 100), *webp = bytes(WEBP, 100);
    upload(&DISP, CASE_ID, "a.png", png, 100, NULL, NULL);
    want(201, "png");
    upload(&DISP, CASE_ID, "b.webp", webp, 100, "b.webp", "image/webp");
    want(201, "webp");
    /* the event records each SHA-256; the chain covers it */
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)CASE_ID);
    call(&S, &R, "GET", path, NULL, DISP.h);
    assert_non_null(strstr(R.body, hex));
    assert_non_null(strstr(R.body, "\"action\":\"attach\""));
    /* the bytes back, with their type; a PDF as a download */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/attachments/%lld", (long long)CASE_ID, (long long)PHOTO);
    call(&S, &R, "GET", path, NULL, LEADER.h);
    want(200, "photo back");
    assert_int_equal(R.len, 5000);
    assert_memory_equal(R.body, jpg, 5000);
    assert_non_null(strstr(R.headers, "Content-Type: image/jpeg"));
    assert_non_null(strstr(R.headers, "Content-Disposition: inline"));
    assert_non_null(strstr(R.headers, "X-Content-Type-Options: nosniff"));
    snprintf(path, sizeof path, "/api/v1/cases/%lld/attachments/%lld", (long long)CASE_ID, (long long)LETTER);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    want(200, "letter back");
    assert_non_null(strstr(R.headers, "Content-Type: application/pdf"));
    assert_non_null(strstr(R.headers, "Content-Disposition: attachment; filename*=UTF-8''%E7%AD%94"));
    free(jpg), free(pdf), free(png), free(webp);
    assert_int_equal(count_files(CASE_ID), 4);
}

static void bad_uploads_change_nothing(void **st) {
    (void)st;
    int before = count_files(CASE_ID);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)CASE_ID);
    call(&S, &R, "GET", path, NULL, DISP.h);
    json_t *v = J();
    size_t events = json_array_size(json_object_get(v, "events"));
    json_decref(v);
    unsigned char *gif = bytes(GIF, 100), *text = (unsigned char *)strdup("这不是图片，只是文字 JFIF");
    static const struct { const char *what; long status; const char *field; } rows[] = {
        {"a GIF", 422, "file"},          {"text named .jpg", 422, "file"},
        {"an empty body", 422, "file"},  {"no name", 422, "name"},
        {"one byte over the limit", 413, "file"},
    };
    unsigned char *big = bytes(JPEG, 10485761), *small = bytes(JPEG, 100);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        switch (i) {
        case 0: upload(&OP, CASE_ID, "x.gif", gif, 100, NULL, NULL); break;
        case 1: upload(&OP, CASE_ID, "x.jpg", text, strlen((char *)text), "x.jpg", "image/jpeg"); break;
        case 2: upload(&OP, CASE_ID, "x.jpg", (const unsigned char *)"", 0, NULL, NULL); break;
        case 3: upload(&OP, CASE_ID, NULL, small, 100, NULL, NULL); break;
        case 4: upload(&OP, CASE_ID, "big.jpg", big, 10485761, NULL, NULL); break;
        }
        if (R.status != rows[i].status) fail_msg("%s: %ld %.200s", rows[i].what, R.status, R.body);
        v = J();
        const char *f = S_(json_object_get(v, "error"), "field");
        if (!f || strcmp(f, rows[i].field)) fail_msg("%s: field %s", rows[i].what, f ? f : "-");
        json_decref(v);
    }
    /* far over: refused before it is read */
    unsigned char *huge = bytes(JPEG, 12 << 20);
    upload(&OP, CASE_ID, "huge.jpg", huge, 12 << 20, NULL, NULL);
    want(413, "huge");
    /* not theirs to add */
    unsigned char *jpg = bytes(JPEG, 100);
    upload(&OTHER, CASE_ID, "x.jpg", jpg, 100, NULL, NULL);
    want(404, "another unit");
    upload(&LEADER, CASE_ID, "x.jpg", jpg, 100, NULL, NULL);
    want(403, "leader");
    upload(&OP, 99999999, "x.jpg", jpg, 100, NULL, NULL);
    want(404, "unknown case");
    free(gif), free(text), free(big), free(huge), free(jpg), free(small);
    assert_int_equal(count_files(CASE_ID), before);
    call(&S, &R, "GET", path, NULL, DISP.h);
    v = J();
    assert_int_equal(json_array_size(json_object_get(v, "events")), events);
    json_decref(v);
    char fp[128];
    snprintf(fp, sizeof fp, "/api/v1/cases/%lld/attachments/99999", (long long)CASE_ID);
    call(&S, &R, "GET", fp, NULL, DISP.h);
    want(404, "unknown attachment");
    snprintf(fp, sizeof fp, "/api/v1/cases/%lld/attachments/%lld", (long long)CASE_ID, (long long)PHOTO);
    call(&S, &R, "GET", fp, NULL, OTHER.h);
    want(404, "another unit reads");
}

/* POST path's head (for a body of 10 MB, an upload's, or else 1 MB) with
 * these headers ("" for none), then 64 KB of it: the answer that came
 * within wait_s seconds (-1: none). */
static long before_body(const char *path, const char *headers, int wait_s) {
    size_t total = strstr(path, "/attachments") ? 10 << 20 : 1 << 20;
    char head[1024];
    snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nContent-Type: application/octet-stream%s%s", path,
             headers[0] ? "\r\n" : "", headers);
    return answer_before_body(&S, head, total, 64 << 10, wait_s, &R);
}

/* The code and field of R's error, as "code field" ("-" for none). */
static const char *refusal(void) {
    static char out[96];
    json_t *v = J(), *e = json_object_get(v, "error");
    snprintf(out, sizeof out, "%s %s", S_(e, "code") ? S_(e, "code") : "-", S_(e, "field") ? S_(e, "field") : "-");
    json_decref(v);
    return out;
}

/* An upload from someone who may not make it is answered on its headers,
 * with what the whole request would have been answered: the server has
 * had 64 KB of the 10 MB declared, and nothing more comes. A case's
 * handler refusing first on the path alone (a clerk dispatching another
 * unit's case: 403, not 404) does so here too. A refusal by role is in
 * the access log once. */
static void refused_before_the_body(void **st) {
    (void)st;
    char mine[96], unknown[96], act[96], both[512], sql[512];
    snprintf(mine, sizeof mine, "/api/v1/cases/%lld/attachments", (long long)CASE_ID);
    snprintf(unknown, sizeof unknown, "/api/v1/cases/99999999/attachments");
    snprintf(act, sizeof act, "/api/v1/cases/%lld/actions/dispatch", (long long)CASE_ID);
    static const char bogus[] = "Authorization: Bearer 00000000000000000000000000000000000000000000000000000000000000";
    struct { const char *what, *path, *headers; const session *who; long status; const char *code_field; } rows[] = {
        {"no one signed in", mine, "", NULL, 401, "unauthorized -"},
        {"an unknown token", mine, bogus, NULL, 401, "unauthorized Authorization"},
        {"a session without its CSRF token", mine, OTHER.cookie, NULL, 403, "csrf X-CSRF-Token"},
        {"another unit's clerk", mine, NULL, &OTHER, 404, "not_found id"},
        {"a leader (not the route's role)", mine, NULL, &LEADER, 403, "forbidden -"},
        {"an unknown case", unknown, NULL, &OP, 404, "not_found id"},
        {"a clerk dispatching another unit's case", act, NULL, &OTHER, 403, "forbidden action"},
    };
    snprintf(sql, sizeof sql, "SELECT count(*) FROM access_log WHERE action = 'refused' AND ("
             "(actor = 'leader' AND detail = 'POST %s') OR (actor = 'heyang.clerk' AND detail = 'POST %s'))", mine, act);
    int64_t logged = test_db_int(dbt, sql);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        if (rows[i].who) snprintf(both, sizeof both, "%s\r\n%s", rows[i].who->cookie, rows[i].who->csrf);
        long got = before_body(rows[i].path, rows[i].who ? both : rows[i].headers, 10);
        if (got != rows[i].status)
            fail_msg("%s: %ld before the body (want %ld): %.200s", rows[i].what, got, rows[i].status, R.body);
        if (strcmp(refusal(), rows[i].code_field))
            fail_msg("%s: '%s' (want '%s')", rows[i].what, refusal(), rows[i].code_field);
    }
    assert_int_equal(test_db_int(dbt, sql), logged + 2);
    /* and someone who may: the server waits for the body (nothing answered in 2 s) */
    snprintf(both, sizeof both, "%s\r\n%s", OP.cookie, OP.csrf);
    assert_int_equal(before_body(mine, both, 2), -1);
}

/* The server's descriptors open on staged uploads (unlinked files named
 * duban-upload-*): how many, and whether each was unlinked. */
static int staged_files(bool *all_unlinked) {
    char dir[64], link[128], target[512];
    int n = 0;
    *all_unlinked = true;
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)S.pid);
    for (int fd = 0; fd < 4096; fd++) {
        snprintf(link, sizeof link, "%s/%d", dir, fd);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k <= 0) continue;
        target[k] = '\0';
        if (!strstr(target, "/duban-upload-")) continue;
        n++;
        if (!strstr(target, " (deleted)")) *all_unlinked = false;
    }
    return n;
}

/* Waits (up to 5 s) for the server to hold `want` staged files. */
static int staged_files_become(int want, bool *unlinked) {
    int n = staged_files(unlinked);
    for (int i = 0; i < 100 && n != want; i++) {
        usleep(50000);
        n = staged_files(unlinked);
    }
    return n;
}

typedef struct digest {
    crypto_hash_sha256_state h;
    size_t len;
} digest;

static size_t on_digest(char *p, size_t sz, size_t n, void *ctx) {
    digest *d = ctx;
    crypto_hash_sha256_update(&d->h, (const unsigned char *)p, sz * n);
    d->len += sz * n;
    return sz * n;
}

/* GET path as who: the status, and the body's length and SHA-256. */
static long download(const session *who, const char *path, size_t *len, unsigned char sum[32]) {
    char url[256];
    long status = -1;
    digest d = {.len = 0};
    crypto_hash_sha256_init(&d.h);
    snprintf(url, sizeof url, "%s%s", S.url, path);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, who->cookie);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_digest);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    crypto_hash_sha256_final(&d.h, sum);
    *len = d.len;
    return status;
}

/* Large uploads go to disk as they arrive (an unlinked file, closed
 * whether the upload completes or the client leaves) and are stored and
 * read back whole: 5 MB raw and 3 MB in a form. */
static void large_uploads_are_staged(void **st) {
    (void)st;
    int64_t id = new_case();
    bool unlinked;
    assert_int_equal(staged_files(&unlinked), 0);
    /* half a 5 MB upload, then the client is gone */
    int fd = raw_connect(&S);
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "POST /api/v1/cases/%lld/attachments?name=half.jpg HTTP/1.1\r\nHost: duban\r\n%s\r\n%s\r\n"
                     "Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n",
                     (long long)id, OP.cookie, OP.csrf, 5 << 20);
    unsigned char *half = bytes(JPEG, 2 << 20);
    assert_int_equal(send(fd, head, (size_t)n, MSG_NOSIGNAL), n);
    assert_int_equal(send(fd, half, 2 << 20, MSG_NOSIGNAL), 2 << 20);
    assert_int_equal(staged_files_become(1, &unlinked), 1);
    assert_true(unlinked);
    close(fd);
    assert_int_equal(staged_files_become(0, &unlinked), 0);
    free(half);
    /* whole ones, raw and in a form */
    static const struct { const char *name, *form; size_t size; } rows[] = {
        {"大图.jpg", NULL, 5 << 20},
        {"答复函.pdf", "答复函.pdf", 3 << 20},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        unsigned char *p = i ? bytes(PDF, rows[i].size) : bytes(JPEG, rows[i].size), sum[32], back[32];
        char hex[65], path[128];
        upload(&OP, id, rows[i].name, p, rows[i].size, rows[i].form, "application/pdf");
        want(201, rows[i].name);
        crypto_hash_sha256(sum, p, rows[i].size);
        sodium_bin2hex(hex, sizeof hex, sum, 32);
        json_t *v = J();
        assert_int_equal(I_(v, "size"), rows[i].size);
        assert_str(S_(v, "sha256"), hex);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/attachments/%lld", (long long)id, (long long)I_(v, "id"));
        json_decref(v);
        size_t len;
        assert_int_equal(download(&DISP, path, &len, back), 200);
        assert_int_equal(len, rows[i].size);
        assert_memory_equal(back, sum, 32);
        free(p);
    }
    assert_int_equal(staged_files_become(0, &unlinked), 0);
}

static void published_ones_are_public(void **st) {
    (void)st;
    char pub[96], act[128], body[64];
    snprintf(pub, sizeof pub, "/api/v1/public/attachments/%lld", (long long)PHOTO);
    call(&S, &R, "GET", pub, NULL, NULL);
    want(404, "unpublished");
    snprintf(act, sizeof act, "/api/v1/cases/%lld/attachments/%lld/publish", (long long)CASE_ID,
             (long long)PHOTO);
    call(&S, &R, "POST", act, "{\"published\":true}", CLERK.h);
    want(403, "clerk publishes");
    call(&S, &R, "POST", act, "{\"published\":\"yes\"}", DISP.h);
    want(422, "published not a boolean");
    call(&S, &R, "POST", act, "{\"published\":true}", DISP.h);
    want(200, "publish");
    call(&S, &R, "GET", pub, NULL, NULL);
    want(404, "a hotline case is not public until published itself");
    snprintf(body, sizeof body, "/api/v1/cases/%lld/actions/publish", (long long)CASE_ID);
    call(&S, &R, "POST", body, "{\"note\":\"河阳路井盖缺失，已交城管局处理\"}", DISP.h);
    want(200, "publish the case");
    call(&S, &R, "GET", pub, NULL, NULL);
    want(200, "public photo");
    assert_non_null(strstr(R.headers, "Content-Type: image/jpeg"));
    /* the public's Open311 view points at it */
    char o311[96];
    snprintf(o311, sizeof o311, "/open311/v2/requests/%lld.json", (long long)CASE_ID);
    call(&S, &R, "GET", o311, NULL, NULL);
    want(200, "open311");
    assert_non_null(strstr(R.body, pub));
    /* and so does the tracking page, for the requester with the check code */
    char track[128];
    snprintf(o311, sizeof o311, "/api/v1/cases/%lld", (long long)CASE_ID);
    call(&S, &R, "GET", o311, NULL, DISP.h);
    json_t *c = reply_json(&R);
    snprintf(track, sizeof track, "/api/v1/public/track/%s?code=%s",
             json_string_value(json_object_get(c, "case_no")),
             json_string_value(json_object_get(c, "track_code")));
    json_decref(c);
    call(&S, &R, "GET", track, NULL, NULL);
    want(200, "track");
    assert_non_null(strstr(R.body, pub));
    /* the unpublished PDF stays private */
    snprintf(pub, sizeof pub, "/api/v1/public/attachments/%lld", (long long)LETTER);
    call(&S, &R, "GET", pub, NULL, NULL);
    want(404, "unpublished letter");
    call(&S, &R, "POST", act, "{\"published\":false}", DISP.h);
    want(200, "hide");
    snprintf(pub, sizeof pub, "/api/v1/public/attachments/%lld", (long long)PHOTO);
    call(&S, &R, "GET", pub, NULL, NULL);
    want(404, "hidden again");
    call(&S, &R, "GET", track, NULL, NULL);
    want(200, "track");
    assert_non_null(strstr(R.body, "\"photos\":[]"));
    snprintf(act, sizeof act, "/api/v1/cases/%lld/attachments/99999/publish", (long long)CASE_ID);
    call(&S, &R, "POST", act, "{\"published\":true}", DISP.h);
    want(404, "unknown attachment");
}

static void altered_bytes_are_caught(void **st) {
    (void)st;
    cli_run *r = calloc(1, sizeof *r);
    const char *argv[] = {"duban", "--db", dbt, "audit", "verify", NULL};
    run_cli(r, argv);
    if (r->status != 0) fail_msg("audit before: %d %s", r->status, r->err);
    db *d;
    err e = {0};
    if (db_open(dbt, NULL, &d, &e)) fail_msg("open: %s", e.msg);
    char sql[160];
    /* one byte of the letter changed where the files are kept */
    snprintf(sql, sizeof sql, "UPDATE attachments SET data = %s WHERE id = %lld",
             db_dialect_of(d) == DB_SQLITE ? "CAST(substr(data, 1, 100) || x'00' AS BLOB)"
                                           : "substring(data from 1 for 100) || '\\x00'::bytea",
             (long long)LETTER);
    if (db_exec(d, sql, &e)) fail_msg("alter: %s", e.msg);
    db_close(d);
    run_cli(r, argv);
    assert_int_equal(r->status, CLI_EXIT_AUDIT);
    char want_msg[64];
    snprintf(want_msg, sizeof want_msg, "attachment %lld", (long long)LETTER);
    if (!strstr(r->err, want_msg)) fail_msg("audit says: %s", r->err);
    free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(photos_and_pdfs_by_their_bytes),
        cmocka_unit_test(bad_uploads_change_nothing),
        cmocka_unit_test(refused_before_the_body),
        cmocka_unit_test(large_uploads_are_staged),
        cmocka_unit_test(published_ones_are_public),
        cmocka_unit_test(altered_bytes_are_caught),
    };
    return run_http_suite(tests, setup, teardown);
}
