/* hotspot: see hotspot.h. */
#include "core/hotspot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void hot_rule_default(hot_rule *r) { *r = (hot_rule){5, 0.01}; }

int hot_rule_parse(const char *s, hot_rule *r, err *e) {
    int n = -1, min;
    double p;
    if (!s || sscanf(s, "%4d/%lf%n", &min, &p, &n) != 2 || n != (int)strlen(s) || min < 1 || min > 1000 ||
        !(p > 0 && p < 1))
        return err_set(e, ERR_INVALID, "value",
                       "hotspot_rule '%s' must be MIN/P: a least weekly count (1-1000) and a probability"
                       " between 0 and 1 (e.g. 5/0.01)", s ? s : "");
    *r = (hot_rule){min, p};
    return 0;
}

/* Each term in log space, so a large mean does not underflow exp(-lambda). */
double hot_poisson_tail(int64_t k, double lambda) {
    if (k <= 0) return 1.0;
    double below = 0, ll = log(lambda);
    for (int64_t i = 0; i < k; i++) below += exp(-lambda + (double)i * ll - lgamma((double)i + 1));
    double tail = 1.0 - below;
    return tail < 0 ? 0 : tail;
}

bool hot_judge(const hot_rule *r, const int64_t week[HOT_WEEKS + 1], double *mean, double *p) {
    int64_t sum = 0;
    for (int i = 1; i <= HOT_WEEKS; i++) sum += week[i];
    *mean = (double)sum / HOT_WEEKS;
    *p = hot_poisson_tail(week[0], *mean > HOT_FLOOR ? *mean : HOT_FLOOR);
    return week[0] >= r->min_count && *p < r->p;
}

void hot_task_text(const char *category, const char *place, const int64_t week[HOT_WEEKS + 1],
                   double mean, char *title, size_t title_n, char *desc, size_t desc_n) {
    snprintf(title, title_n, "热点预警：%s%s近7天%lld件", place, category, (long long)week[0]);
    int n = snprintf(desc, desc_n,
                     "未诉先办：%s“%s”类诉求近7天%lld件，前8周平均每周%.1f件，明显高于往常。"
                     "请查明原因，主动处置，防止更多群众来电。近9周每周件数（由远及近）：",
                     place, category, (long long)week[0], mean);
    for (int i = HOT_WEEKS; i >= 0 && n > 0 && (size_t)n < desc_n; i--)
        n += snprintf(desc + n, desc_n - (size_t)n, "%lld%s", (long long)week[i], i ? "、" : "。");
}
