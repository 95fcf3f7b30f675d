/* Exporting a case list to Excel through the API on each driver: the job
 * counts what the filters select (a handler only its unit's), runs in the
 * background to done, its file is an XLSX workbook only its owner reads,
 * the export is in the access log; bad filters and unknown jobs refused; a
 * server killed with workbooks on its disk leaves them to the next server,
 * which removes them. */
#include "test.h"

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "tests/http/demo_suite.h"

static session DISP, CLERK, AUDITOR;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "export", "120");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &AUDITOR, "auditor");
    return 0;
}

/* How many cases a list query gives. */
static json_int_t listed(session *who, const char *query) {
    json_t *all = list_cases(who, query);
    json_int_t n = (json_int_t)json_array_size(all);
    json_decref(all);
    return n;
}

/* Starts an export and waits (bounded) for it; its id into id. */
static json_t *export_done(session *who, const char *query, char id[40]) {
    char path[512];
    snprintf(path, sizeof path, "/api/v1/cases/export?%s", query);
    call(&S, &R, "POST", path, "", who->h);
    want(202, path);
    json_t *v = J();
    snprintf(id, 40, "%s", S_(v, "id"));
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/exports/%s", id);
    for (int i = 0; i < 200; i++) {
        call(&S, &R, "GET", path, NULL, who->h);
        want(200, "progress");
        v = J();
        if (strcmp(S_(v, "status"), "running")) return v;
        json_decref(v);
        usleep(50000);
    }
    fail_msg("the export did not finish in 10 s");
    return NULL;
}

static void exports_what_the_list_gives(void **st) {
    (void)st;
    char id[40], path[128];
    const char *q = "channel=hotline&sort=newest";
    json_int_t n = listed(&DISP, q);
    assert_true(n > 20);
    json_t *v = export_done(&DISP, q, id);
    assert_str(S_(v, "status"), "done");
    assert_int_equal(I_(v, "total"), n);
    assert_int_equal(I_(v, "done"), n);
    char file[96];
    snprintf(file, sizeof file, "%s", S_(v, "file"));
    json_decref(v);
    call(&S, &R, "GET", file, NULL, DISP.h);
    want(200, "file");
    assert_memory_equal(R.body, "PK\x03\x04", 4); /* a zip: the workbook */
    assert_true(R.len > 2000);
    assert_non_null(strstr(R.headers, "spreadsheetml.sheet"));
    assert_non_null(strstr(R.headers, "attachment;"));
    /* only its owner reads it */
    call(&S, &R, "GET", file, NULL, CLERK.h);
    want(404, "another's file");
    snprintf(path, sizeof path, "/api/v1/exports/%s", id);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    want(404, "another's progress");
    /* a clerk's export is its unit's cases */
    json_int_t mine = listed(&CLERK, "sort=oldest");
    v = export_done(&CLERK, "sort=oldest", id);
    assert_int_equal(I_(v, "total"), mine);
    json_decref(v);
    call(&S, &R, "POST", "/api/v1/cases/export?unit=rsj", "", CLERK.h);
    want(403, "another unit's list");
    /* the auditor sees who exported what */
    call(&S, &R, "GET", "/api/v1/access-log?limit=50", NULL, AUDITOR.h);
    want(200, "log");
    assert_non_null(strstr(R.body, "\"export\""));
}

static void bad_requests(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases/export?status=lost", "", DISP.h);
    want(400, "bad status");
    assert_non_null(strstr(R.body, "\"status\""));
    call(&S, &R, "GET", "/api/v1/exports/0123456789abcdef0123456789abcdef", NULL, DISP.h);
    want(404, "unknown job");
    call(&S, &R, "GET", "/api/v1/exports/..%2F..%2Fetc", NULL, DISP.h);
    want(404, "not an id");
    call(&S, &R, "GET", "/api/v1/exports/0123456789abcdef0123456789abcdef/file", NULL, DISP.h);
    want(404, "unknown file");
    call(&S, &R, "POST", "/api/v1/cases/export", "", AUDITOR.h);
    want(403, "an auditor reads no cases");
    /* an empty selection is a workbook with its header row only */
    char id[40];
    json_t *v = export_done(&DISP, "text=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%BA%9B%E5%AD%97", id);
    assert_str(S_(v, "status"), "done");
    assert_int_equal(I_(v, "total"), 0);
    json_decref(v);
}

/* The folders of this test's servers (their names carry the pid). */
static bool folder_of(pid_t pid) {
    char path[128];
    snprintf(path, sizeof path, "%s", getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp");
    DIR *d = opendir(path);
    struct dirent *de;
    char prefix[48];
    snprintf(prefix, sizeof prefix, "duban-export-%d-", (int)pid);
    bool found = false;
    while (d && (de = readdir(d))) found |= !strncmp(de->d_name, prefix, strlen(prefix));
    if (d) closedir(d);
    return found;
}

static void a_killed_servers_files_are_swept(void **st) {
    (void)st;
    char id[40];
    server K, keep = S;
    server_start(&K, dbt, NULL);
    pid_t killed = K.pid;
    assert_false(folder_of(killed)); /* none before an export */
    S = K;
    json_decref(export_done(&DISP, "channel=hotline", id));
    S = keep;
    assert_true(folder_of(killed));
    kill(killed, SIGKILL);
    waitpid(killed, NULL, 0);
    assert_true(folder_of(killed)); /* left behind, workbook and all */
    server_start(&K, dbt, NULL); /* another start: it tidies up */
    assert_false(folder_of(killed));
    assert_int_equal(server_stop(&K), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exports_what_the_list_gives),
        cmocka_unit_test(bad_requests),
        cmocka_unit_test(a_killed_servers_files_are_swept),
    };
    return run_http_suite(tests, setup, teardown);
}
