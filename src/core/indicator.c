/* indicator: see indicator.h. */
#include "core/indicator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ind_period_parse(const char *s, int *year, int *order, const char *field, err *e) {
    int y, x = 0, n = -1;
    char q;
    if (s && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4 && strlen(s) == 4 && y >= 2000 && y <= 2100) {
        x = 13; /* the whole year, after its months and quarters */
    } else if (s && strlen(s) == 7 && sscanf(s, "%4d-%c%d%n", &y, &q, &x, &n) == 3 && n == 7 && q == 'Q' &&
               x >= 1 && x <= 4 && y >= 2000 && y <= 2100) {
        x = x * 3; /* a quarter sorts with its last month */
    } else if (s && strlen(s) == 7 && s[4] == '-' && sscanf(s, "%4d-%2d%n", &y, &x, &n) == 2 && n == 7 &&
               x >= 1 && x <= 12 && y >= 2000 && y <= 2100) {
    } else {
        return err_set(e, ERR_INVALID, field, "period '%s' must be a year (2024), a quarter (2024-Q3) or a"
                       " month (2024-09), 2000-2100", s ? s : "");
    }
    *year = y;
    *order = x * 2 + (strlen(s) == 7 && s[5] == 'Q'); /* a quarter after its last month */
    return 0;
}

static const char *const kind_names[] = {"target", "actual"};
const char *ind_kind_name(ind_kind k) { return kind_names[k == IND_ACTUAL]; }

int ind_kind_parse(const char *s, ind_kind *k, err *e) {
    if (s && (!strcmp(s, "target") || !strcmp(s, "目标"))) *k = IND_TARGET;
    else if (s && (!strcmp(s, "actual") || !strcmp(s, "实际"))) *k = IND_ACTUAL;
    else return err_set(e, ERR_INVALID, "kind", "kind '%s' must be target (目标) or actual (实际)", s ? s : "");
    return 0;
}

int ind_value_parse(const char *s, double *v, const char *field, err *e) {
    char *end;
    const char *p = s;
    double x = p && *p ? strtod(p, &end) : NAN;
    if (p && *p && *end == '%' && !end[1]) end++;
    const char *dot = p ? strchr(p, '.') : NULL;
    if (!p || !*p || *end || isnan(x) || x < -100 || x > 1000 || (dot && strspn(dot + 1, "0123456789") > 2))
        return err_set(e, ERR_INVALID, field, "growth '%s' must be a percentage from -100 to 1000 with at"
                       " most 2 decimals (e.g. 5.5)", s ? s : "");
    *v = x;
    return 0;
}

ind_status ind_judge(bool has_target, double target, bool has_actual, double actual) {
    if (!has_target || !has_actual) return IND_NO_DATA;
    /* compared in hundredths, as the values are written */
    long t = lround(target * 100), a = lround(actual * 100);
    return a >= t ? IND_MET : a >= t - 100 ? IND_NEAR : IND_BEHIND;
}

static const char *const status_names[] = {"no_data", "met", "near", "behind"};
static const char *const status_labels[] = {"暂无对比", "达到目标", "差距1个百分点内", "落后于目标"};
const char *ind_status_name(ind_status s) { return status_names[s]; }
const char *ind_status_label(ind_status s) { return status_labels[s]; }
