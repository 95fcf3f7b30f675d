/* The small parsers every request and command line goes through, on any
 * text: ISO 8601 instants, dates, months and offsets; the deadline rules
 * (13710 policy), the composite and 综合考评 weights, the hot-spot rule,
 * working hours, public channels, every configuration value by key, and
 * the text check every string of a request body passes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/appraise.h"
#include "core/hotspot.h"
#include "core/metrics.h"
#include "core/notify.h"
#include "core/policy.h"
#include "core/ref.h"
#include "core/view.h"
#include "util/datetime.h"
#include "util/text.h"

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
    met_weights w;
    (void)met_weights_parse(s, &w, &e);
    appraise_weights aw;
    (void)appraise_weights_parse(s, &aw, &e);
    hot_rule h;
    (void)hot_rule_parse(s, &h, &e);
    (void)notify_hours_parse(s, &a, &b, &e);
    view_channels v;
    (void)view_channels_parse(s, &v, &e);
    static const char *const keys[] = {"tz_offset", "case_prefix", "jurisdiction_id", "max_extension_days",
                                       "webhook_secret", "webhook_hours", "site_url", "composite_weights",
                                       "appraisal_weights", "hotspot_rule", "public_channels"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) (void)ref_check_config(keys[k], s, &e);
    (void)text_check((const char *)data, size, "field", &e); /* the raw bytes: NULs and invalid UTF-8 too */
    free(s);
    return 0;
}
