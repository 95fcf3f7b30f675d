/* Intake's cost in instructions (for callgrind, whose counts repeat where
 * timings on a shared machine do not): 20,000 cases through
 * store_case_create, 10,000 per transaction. Builds against this tree and
 * against the commits before the store was split (bench/compare.sh), hence
 * the optional headers. Usage: bench_intake DB */
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#if __has_include("store/store_case.h")
#include "store/store_case.h"
#endif

int main(int argc, char **argv) {
    store *s;
    err e = {0};
    if (argc != 2 || store_open(argv[1], NULL, &s, &e)) {
        fprintf(stderr, "bench_intake: %s\n", argc != 2 ? "usage: bench_intake DB" : e.msg);
        return 2;
    }
    int64_t t0 = 1772380800; /* 2026-03-02 00:00 +08:00 */
    for (int i = 0; i < 20000; i++) {
        if (i % 10000 == 0 && (i ? store_commit(s, &e) : 0) + store_begin(s, &e)) return 1;
        case_rec c = {0};
        char title[64];
        snprintf(title, sizeof title, "韩愈大街路灯不亮 #%d", i);
        c.channel = CH_HOTLINE;
        c.klass = CL_GENERAL;
        c.title = title;
        c.requester_name = "张三";
        c.requester_phone = "13812341234";
        c.received_at = t0 + (int64_t)((uint64_t)i * 2593u % (30u * 86400u));
        if (store_case_create(s, &c, "bench", &e)) {
            fprintf(stderr, "bench_intake: %s\n", e.msg);
            return 1;
        }
    }
    int rc = store_commit(s, &e);
    store_close(s);
    return rc ? 1 : 0;
}
