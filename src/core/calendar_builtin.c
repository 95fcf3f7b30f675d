/* calendar_builtin: see calendar_builtin.h. The assembler's .incbin reads the
 * JSON files at build time (paths are relative to the repository root, where
 * make runs the compiler); the Makefile makes this object depend on them. */
#include "core/calendar_builtin.h"

#include <stdlib.h>
#include <string.h>

#include "core/holiday.h"

#define EMBED(y)                                                                  \
    __asm__(".section .rodata\n"                                                 \
            ".balign 16\n"                                                        \
            "cal_json_" #y ":\n"                                                  \
            ".incbin \"data/calendar/" #y ".json\"\n"                             \
            "cal_json_" #y "_end:\n"                                              \
            ".byte 0\n"                                                           \
            ".previous\n");                                                       \
    extern const char cal_json_##y[] __asm__("cal_json_" #y);                     \
    extern const char cal_json_##y##_end[] __asm__("cal_json_" #y "_end");

EMBED(2020)
EMBED(2021)
EMBED(2022)
EMBED(2023)
EMBED(2024)
EMBED(2025)
EMBED(2026)
EMBED(festivals)

const char *cal_builtin_json(int year, size_t *len) {
    static const struct { const char *begin, *end; } files[] = {
        {cal_json_2020, cal_json_2020_end}, {cal_json_2021, cal_json_2021_end},
        {cal_json_2022, cal_json_2022_end}, {cal_json_2023, cal_json_2023_end},
        {cal_json_2024, cal_json_2024_end}, {cal_json_2025, cal_json_2025_end},
        {cal_json_2026, cal_json_2026_end},
    };
    if (year < CAL_BUILTIN_FIRST || year > CAL_BUILTIN_LAST) return NULL;
    *len = (size_t)(files[year - CAL_BUILTIN_FIRST].end - files[year - CAL_BUILTIN_FIRST].begin);
    return files[year - CAL_BUILTIN_FIRST].begin;
}

const char *cal_builtin_festivals(size_t *len) {
    *len = (size_t)(cal_json_festivals_end - cal_json_festivals);
    return cal_json_festivals;
}

int cal_builtin_new(cal **out, err *e) {
    cal_day *all = NULL;
    size_t n = 0;
    int rc = 0;
    for (int y = CAL_BUILTIN_FIRST; y <= CAL_BUILTIN_LAST && rc == 0; y++) {
        size_t len;
        const char *json = cal_builtin_json(y, &len);
        cal_year cy;
        if ((rc = cal_year_parse(json, len, &cy, e))) break;
        cal_day *grown = realloc(all, (n + cy.n) * sizeof *all);
        if (grown) {
            all = grown;
            memcpy(all + n, cy.days, cy.n * sizeof *all);
            n += cy.n;
        } else {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        }
        cal_year_clear(&cy);
    }
    cal_day *law = NULL;
    if (!rc && !(rc = hol_complete(all, n, &law, &n, e))) rc = cal_new(law, n, out, e);
    free(law);
    free(all);
    return rc;
}
