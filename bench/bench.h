/* Shared bench helpers: a monotonic clock and one result line per figure. */
#ifndef DUBAN_BENCH_H
#define DUBAN_BENCH_H

#include <stdio.h>
#include <time.h>

static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* | figure | value | baseline | ratio | target | */
static inline void row(const char *what, const char *value, const char *baseline, double ratio,
                       const char *target) {
    printf("| %s | %s | %s | %.3g | %s |\n", what, value, baseline, ratio, target);
    fflush(stdout);
}

#endif
