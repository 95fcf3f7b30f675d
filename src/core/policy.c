/* policy: defaults and parsing of the 13710 deadline table (see policy.h). */
#include "core/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const stage_names[POL_STAGE_COUNT] = {"dispatch", "accept", "feedback",
                                                         "resolve", "extension"};

const char *pol_stage_name(pol_stage s) { return s < POL_STAGE_COUNT ? stage_names[s] : "?"; }

int pol_stage_parse(const char *s, pol_stage *out, err *e) {
    for (int i = 0; i < POL_STAGE_COUNT; i++)
        if (s && strcmp(s, stage_names[i]) == 0) {
            *out = (pol_stage)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "field",
                   "unknown policy field '%s' (want dispatch, accept, feedback, resolve or "
                   "extension)",
                   s ? s : "");
}

static pol_rule rule(int32_t n, cal_unit u) { return (pol_rule){.none = false, .n = n, .unit = u}; }

void pol_defaults(pol_table *p) {
    for (int ch = 0; ch < CH_COUNT; ch++)
        for (int cl = 0; cl < CL_COUNT; cl++) {
            pol_rule *r = p->r[ch][cl];
            r[POL_DISPATCH] = rule(0, CAL_SAMEDAY); /* 1: the same day */
            r[POL_ACCEPT] = rule(0, CAL_SAMEDAY);
            r[POL_FEEDBACK] = rule(3, CAL_DAY); /* 3: feedback within three days */
            r[POL_RESOLVE] = cl == CL_URGENT  ? rule(4, CAL_HOUR)
                             : cl == CL_MAJOR ? rule(1, CAL_MONTH) /* 1: a month */
                                              : rule(7, CAL_DAY);  /* 7: seven days */
            r[POL_EXTENSION] = (pol_rule){.none = true};
        }
    /* 信访工作条例: 60 days, extendable by 30. */
    for (int cl = 0; cl < CL_COUNT; cl++) {
        if (cl != CL_URGENT) p->r[CH_PETITION][cl][POL_RESOLVE] = rule(60, CAL_DAY);
        p->r[CH_PETITION][cl][POL_EXTENSION] = rule(30, CAL_DAY);
        /* Deputies' suggestions and CPPCC proposals: answered within three months. */
        p->r[CH_DEPUTY][cl][POL_RESOLVE] = rule(3, CAL_MONTH);
        p->r[CH_CPPCC][cl][POL_RESOLVE] = rule(3, CAL_MONTH);
    }
    /* A 码上评 差评 is 整改 (put right) within 15 working days. */
    p->r[CH_QR][CL_GENERAL][POL_RESOLVE] = rule(15, CAL_WORKDAY);
}

int pol_rule_parse(const char *s, pol_rule *out, err *e) {
    char unit[16];
    long n;
    int used = 0;
    if (!s) s = "";
    if (strcmp(s, "none") == 0) {
        *out = (pol_rule){.none = true};
        return 0;
    }
    if (strcmp(s, "sameday") == 0) {
        *out = rule(0, CAL_SAMEDAY);
        return 0;
    }
    if (sscanf(s, "%ld %15[a-z]%n", &n, unit, &used) != 2 || s[used] != '\0' || n < 0 ||
        n > 10000)
        goto bad;
    cal_unit u;
    if (cal_unit_parse(unit, &u, NULL)) goto bad;
    *out = rule((int32_t)n, u);
    return 0;
bad:
    return err_set(e, ERR_INVALID, "value",
                   "bad policy value '%s' (want e.g. '7 day', '5 workday', '1 month', "
                   "'4 hour', 'sameday' or 'none'; N from 0 to 10000)",
                   s);
}

void pol_rule_format(const pol_rule *r, char out[32]) {
    if (r->none)
        snprintf(out, 32, "none");
    else if (r->unit == CAL_SAMEDAY)
        snprintf(out, 32, "sameday");
    else
        snprintf(out, 32, "%d %s", (int)r->n, cal_unit_name(r->unit));
}

int64_t pol_due(const pol_table *p, const cal *c, int tz, case_channel ch, case_class cl,
                pol_stage s, int64_t start) {
    const pol_rule *r = &p->r[ch][cl][s];
    if (r->none) return 0;
    return cal_due(c, start, r->n, r->unit, tz);
}

int pol_rule_check(pol_stage s, const pol_rule *r, err *e) {
    if (s == POL_DISPATCH && r->none)
        return err_set(e, ERR_INVALID, "rule", "the dispatch deadline cannot be 'none'");
    return 0;
}
