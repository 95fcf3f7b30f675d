/* appraise: see appraise.h. */
#include "core/appraise.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const names[AP_PARTS] = {"cases", "good_rate", "fix_rate", "tasks", "projects"};
static const char *const labels[AP_PARTS] = {"办件综合得分", "码上评好评率", "差评整改率", "重点任务按期率",
                                             "项目计划完成度"};

const char *appraise_part_name(appraise_part_kind k) { return k < AP_PARTS ? names[k] : "?"; }
const char *appraise_part_label(appraise_part_kind k) { return k < AP_PARTS ? labels[k] : "?"; }

void appraise_weights_default(appraise_weights *w) { *w = (appraise_weights){{0.40, 0.15, 0.15, 0.15, 0.15}}; }

int appraise_weights_parse(const char *s, appraise_weights *w, err *e) {
    int v[AP_PARTS], n = -1;
    if (!s || sscanf(s, "%3d/%3d/%3d/%3d/%3d%n", &v[0], &v[1], &v[2], &v[3], &v[4], &n) != AP_PARTS ||
        n != (int)strlen(s))
        goto bad;
    int sum = 0;
    for (int i = 0; i < AP_PARTS; i++) {
        if (v[i] < 0) goto bad;
        sum += v[i];
    }
    if (sum != 100) goto bad;
    for (int i = 0; i < AP_PARTS; i++) w->w[i] = v[i] / 100.0;
    return 0;
bad:
    return err_set(e, ERR_INVALID, "value", "appraisal_weights '%s' must be five whole percents adding up to 100:"
                   " cases/好评率/整改率/tasks/projects (e.g. 40/15/15/15/15)", s ? s : "");
}

double appraise_score(const appraise_part parts[AP_PARTS], const appraise_weights *w) {
    double sum = 0, wsum = 0;
    for (int i = 0; i < AP_PARTS; i++)
        if (!isnan(parts[i].value) && w->w[i] > 0) {
            sum += parts[i].value * w->w[i];
            wsum += w->w[i];
        }
    return wsum > 0 ? sum / wsum : NAN;
}
