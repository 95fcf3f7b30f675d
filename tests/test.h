/* Shared test prelude: cmocka wants these headers first. */
#ifndef DUBAN_TEST_H
#define DUBAN_TEST_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define assert_str(a, b) assert_string_equal((a), (b))
#endif
