/* Shared test prelude: cmocka wants these headers first. */
#ifndef DUBAN_TEST_H
#define DUBAN_TEST_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <stdio.h>
#include <unistd.h>

#define assert_str(a, b) assert_string_equal((a), (b))

/* Removes a SQLite database and its WAL files. */
static inline void test_rm_db(const char *path) {
    char p[512];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}
#endif
