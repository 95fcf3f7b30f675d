/* Attachments through the API on each driver: photos and PDFs judged by
 * their bytes (raw bodies and multipart forms), the size limit, who may add
 * and read them, downloads with the right type, publishing to the public,
 * and bytes altered in the database caught by `audit verify`. */
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
        cmocka_unit_test(published_ones_are_public),
        cmocka_unit_test(altered_bytes_are_caught),
    };
    return run_http_suite(tests, setup, teardown);
}
