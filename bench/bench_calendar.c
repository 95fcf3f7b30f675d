/* Working-day arithmetic: cal_add_workdays against a day-by-day loop over
 * the same calendar and the same inputs (the baseline). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "util/datetime.h"

static int32_t naive_add(const cal *c, int32_t d, int32_t n) {
    while (n > 0)
        if (cal_is_workday(c, ++d)) n--;
    return d;
}

int main(void) {
    cal *c;
    if (cal_builtin_new(&c, NULL)) abort();
    enum { N = 1 << 16 };
    static int32_t days[N], ns[N];
    uint64_t x = 88172645463325252ULL;
    int32_t lo = dt_days_from_civil(2020, 1, 1), span = 7 * 365;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        days[i] = lo + (int32_t)(x % (uint64_t)span);
        ns[i] = 1 + (int32_t)((x >> 32) % 30); /* 1..30 working days: the 13710 range */
    }
    volatile int64_t sink = 0;
    long iters = 0;
    double t0 = now_s(), t;
    do {
        for (int i = 0; i < N; i++) sink += cal_add_workdays(c, days[i], ns[i]);
        iters += N;
    } while ((t = now_s()) - t0 < 1.0);
    double fast = (double)iters / (t - t0);
    long iters2 = 0;
    t0 = now_s();
    do {
        for (int i = 0; i < N; i++) sink += naive_add(c, days[i], ns[i]);
        iters2 += N;
    } while ((t = now_s()) - t0 < 1.0);
    double slow = (double)iters2 / (t - t0);
    char v[64], b[64];
    snprintf(v, sizeof v, "%.1f M/s", fast / 1e6);
    snprintf(b, sizeof b, "day-by-day loop %.1f M/s", slow / 1e6);
    row("working-day additions (N = 1..30)", v, b, fast / slow, fast >= 20e6 ? "≥ 20 M/s: met" : "≥ 20 M/s: NOT met");
    cal_free(c);
    return sink == 42 ? 1 : 0;
}
