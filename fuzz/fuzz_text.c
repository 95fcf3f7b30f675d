/* The small parsers every request and command line goes through, on any
 * text: ISO 8601 instants, dates, months and offsets; the deadline rules
 * (13710 policy), a 考核 scheme's JSON (then scored), 综合考评's weights, the hot-spot rule,
 * working hours, public channels, every configuration value by key, a
 * case's history (the bytes the figures are counted from), and the text
 * check every string of a request body passes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/appraise.h"
#include "core/hotspot.h"
#include "core/metrics.h"
#include "core/notify.h"
#include "core/policy.h"
#include "core/ref.h"
#include "core/scheme.h"
#include "core/view.h"
#include "util/datetime.h"
#include "util/text.h"

static met_counts *fuzz_unit(void *ctx, int64_t unit) {
    return unit >= 0 && unit < 4 ? &((met_counts *)ctx)[unit] : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    err e = {0};
    int64_t t;
    int32_t day, next;
    int off, a, b;
    (void)dt_parse_instant(s, 8 * 3600, &t, &e);
    (void)dt_parse_date(s, &day, &e);
    (void)dt_parse_month(s, &day, &next, &e);
    (void)dt_parse_offset(s, &off, &e);
    pol_rule r;
    if (pol_rule_parse(s, &r, &e) == 0)
        for (int st = 0; st < POL_STAGE_COUNT; st++) (void)pol_rule_check((pol_stage)st, &r, &e);
    json_t *j = json_loads(s, 0, NULL);
    scheme sch;
    if (j && sch_from_json(j, &sch, &e) == 0) {
        met_counts m = {.accept_due = 7, .accepted_on_time = 3, .due = 9, .resolved = 9, .resolved_on_time = 1,
                        .visited = 2, .satisfied = 1, .ever_resolved = 4, .reopened = 4, .overdue = 8};
        sch_score sc;
        sch_score_of(&sch, &m, &sc);
        json_decref(sch_score_json(&sch, &sc));
        char said[512];
        sch_describe(&sch, said, sizeof said);
    }
    json_decref(j);
    /* any bytes as a case's history (as the database hands it back): counted,
     * or refused, never read past its end */
    met_counts per_unit[4] = {0};
    (void)met_hist_count(data, size, 1767196800, AP_NONE, 1767196800, 1769875200, INT64_MAX / 2, fuzz_unit, per_unit);
    met_case_at at;
    (void)met_hist_at(data, size, 1767196800, INT64_MAX / 2, &at);
    (void)met_hist_overdue_at(data, size, 1767196800, 1769875200);
    appraise_weights aw;
    (void)appraise_weights_parse(s, &aw, &e);
    hot_rule h;
    (void)hot_rule_parse(s, &h, &e);
    (void)notify_hours_parse(s, &a, &b, &e);
    view_channels v;
    (void)view_channels_parse(s, &v, &e);
    static const char *const keys[] = {"tz_offset", "case_prefix", "jurisdiction_id", "max_extension_days",
                                       "webhook_secret", "webhook_hours", "site_url", "composite_weights",
                                       "appraisal_weights", "hotspot_rule", "public_channels", "report_cutoff_days"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) (void)ref_check_config(keys[k], s, &e);
    (void)text_check((const char *)data, size, "field", &e); /* the raw bytes: NULs and invalid UTF-8 too */
    free(s);
    return 0;
}
