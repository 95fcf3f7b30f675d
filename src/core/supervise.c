/* supervise: see supervise.h. */
#include "core/supervise.h"

static const char *const level_names[] = {"blue", "yellow", "red"};
static const char *const level_labels[] = {"蓝色预警", "黄色督办", "红色督办"};

int64_t sup_next_alert(const case_rec *c) {
    int64_t next = 0;
    for (int k = 0; k < DUE_COUNT; k++) {
        int64_t due = case_pending_due(c, (case_due_kind)k), t;
        if (!due) continue;
        if (!(c->alerted & CASE_ALERT_BIT(k, SUP_YELLOW))) {
            t = (c->alerted & CASE_ALERT_BIT(k, SUP_BLUE)) ? due : due - SUP_BLUE_BEFORE;
        } else if (!(c->alerted & CASE_ALERT_BIT(k, SUP_RED))) {
            t = due + SUP_RED_AFTER;
        } else {
            continue;
        }
        if (!next || t < next) next = t;
    }
    return next;
}

const char *sup_level_name(sup_level l) { return l < SUP_LEVEL_COUNT ? level_names[l] : "?"; }
const char *sup_level_label(sup_level l) { return l < SUP_LEVEL_COUNT ? level_labels[l] : "?"; }

int sup_eval(case_rec *c, int64_t now, sup_notice *out) {
    int n = 0;
    for (int k = 0; k < DUE_COUNT; k++) {
        int64_t due = case_pending_due(c, (case_due_kind)k);
        if (!due) continue;
        uint32_t blue = CASE_ALERT_BIT(k, SUP_BLUE), yellow = CASE_ALERT_BIT(k, SUP_YELLOW),
                 red = CASE_ALERT_BIT(k, SUP_RED);
        if (now >= due) {
            if (!(c->alerted & yellow)) {
                /* A late first look raises no blue: a warning after the fact is noise. */
                c->alerted |= yellow | blue;
                out[n++] = (sup_notice){(case_due_kind)k, SUP_YELLOW, due};
            }
            if (!(c->alerted & red) && now >= due + SUP_RED_AFTER) {
                c->alerted |= red; /* with the yellow, when the first look comes that late */
                out[n++] = (sup_notice){(case_due_kind)k, SUP_RED, due};
            }
        } else if (now >= due - SUP_BLUE_BEFORE && !(c->alerted & blue)) {
            c->alerted |= blue;
            out[n++] = (sup_notice){(case_due_kind)k, SUP_BLUE, due};
        }
    }
    return n;
}
