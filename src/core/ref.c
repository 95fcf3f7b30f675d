/* ref: see ref.h. */
#include "core/ref.h"

#include <stdlib.h>
#include <string.h>

#include "core/appraise.h"
#include "core/case.h"
#include "core/hotspot.h"
#include "core/metrics.h"
#include "core/notify.h"
#include "core/view.h"
#include "util/datetime.h"
#include "util/text.h"

static const char *const kind_names[UNIT_KIND_COUNT] = {"dept", "township", "center"};

const char *unit_kind_name(unit_kind k) { return k < UNIT_KIND_COUNT ? kind_names[k] : "?"; }

int unit_kind_parse(const char *str, unit_kind *k, err *e) {
    for (int i = 0; i < UNIT_KIND_COUNT; i++)
        if (str && strcmp(str, kind_names[i]) == 0) {
            *k = (unit_kind)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "kind", "unknown unit kind '%s' (want dept, township or center)",
                   str ? str : "");
}

int ref_check_code(const char *what, const char *code, const char *name, err *e) {
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n >= CASE_CODE_MAX)
        return err_set(e, ERR_INVALID, "code", "%s code must be 1-%d bytes", what,
                       CASE_CODE_MAX - 1);
    if (strspn(code, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != n)
        return err_set(e, ERR_INVALID, "code",
                       "%s code '%s' may hold only letters, digits, '-', '_' and '.'", what, code);
    if (!name || !name[0] || strlen(name) >= CASE_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "%s name must be 1-%d bytes", what,
                       CASE_NAME_MAX - 1);
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20)
            return err_set(e, ERR_INVALID, "name", "%s name must not hold control characters", what);
    return 0;
}

int ref_check_config(const char *key, const char *value, err *e) {
    size_t n = value ? strlen(value) : 0;
    if (!value) return err_set(e, ERR_INVALID, "value", "a value is required");
    if (strcmp(key, "tz_offset") == 0) {
        int off;
        return dt_parse_offset(value, &off, e) ? ERR_INVALID : 0;
    }
    if (strcmp(key, "case_prefix") == 0) {
        if (n < 1 || n > 8 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != n)
            return err_set(e, ERR_INVALID, "value",
                           "case_prefix '%s' must be 1-8 capital letters A-Z", value);
        return 0;
    }
    if (strcmp(key, "jurisdiction_id") == 0) {
        /* Open311 clients send it back: keep it to what needs no escaping. */
        if (n < 1 || n > 63 || strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n)
            return err_set(e, ERR_INVALID, "value",
                           "jurisdiction_id '%s' must be 1-63 of a-z, 0-9, '.', '-'", value);
        return 0;
    }
    /* whole numbers in a range */
    static const struct { const char *key; long lo, hi; } counts[] = {
        {"max_extension_days", 1, 3660}, {"unreachable_attempts", 1, 10},
        {"attachment_max_bytes", 1024, 104857600}, {"qr_addr_per_hour", 1, 100000},
        {"rank_min_dispatched", 0, 100000}, {"proposal_redo_days", 1, 365}, {"report_cutoff_days", 0, 20},
        {"webhook_repeat_minutes", 0, 10080}, {"webhook_retry_seconds", 1, 3600}, {"sms_per_day", 0, 100}};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        if (strcmp(key, counts[i].key) != 0) continue;
        char *end;
        long d = strtol(value, &end, 10);
        if (!*value || *end || d < counts[i].lo || d > counts[i].hi)
            return err_set(e, ERR_INVALID, "value", "%s '%s' must be %ld-%ld", key, value,
                           counts[i].lo, counts[i].hi);
        return 0;
    }
    if (strcmp(key, "webhook_secret") == 0) { /* the HMAC key: printable, long enough to guess at */
        if (n && (n < 16 || n > 128 || strspn(value, "!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_"
                                                      "abcdefghijklmnopqrstuvwxyz{|}~") != n))
            return err_set(e, ERR_INVALID, "value", "webhook_secret must be 16-128 printable ASCII characters"
                           " without spaces or quotes (or empty: none)");
        return 0;
    }
    if (strcmp(key, "webhook_allow_hosts") == 0) {
        /* host names (or addresses) the webhook may reach on a private
         * network, as the URL writes them, commas between; empty: none */
        if (n > 200 || strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[],") != n)
            return err_set(e, ERR_INVALID, "value", "webhook_allow_hosts must be host names or addresses,"
                                                    " commas between (at most 200 bytes)");
        return 0;
    }
    if (strcmp(key, "anchor_dir") == 0 || strcmp(key, "anchor_key") == 0) {
        /* where the server writes its daily anchor and the key it signs
         * with (store_anchor.h): files on the server, so the command line's
         * alone (the API keeps neither); an absolute path, or empty: none */
        if (n && (value[0] != '/' || n > 200 || strcspn(value, "\r\n\t") != n))
            return err_set(e, ERR_INVALID, "value", "%s must be an absolute path of at most 200 bytes (or empty)", key);
        return 0;
    }
    if (strcmp(key, "qr_burst") == 0) { /* MIN/FACTOR: store_eval.h */
        int a, b, k = -1;
        if (sscanf(value, "%d/%d%n", &a, &b, &k) != 2 || k != (int)n || a < 1 || a > 100000 || b < 1 || b > 100)
            return err_set(e, ERR_INVALID, "value", "qr_burst '%s' must be MIN/FACTOR: 1-100000 evaluations an hour,"
                                                    " 1-100 times the busiest hour", value);
        return 0;
    }
    if (strcmp(key, "webhook_hours") == 0) {
        int a, b;
        return notify_hours_parse(value, &a, &b, e);
    }
    if (strcmp(key, "open311_url") == 0 || strcmp(key, "open311_test_url") == 0 ||
        strcmp(key, "site_url") == 0 || strcmp(key, "webhook_url") == 0) {
        /* shown to the public in Open311's discovery, printed as a QR code on
         * a 交办单 (site_url: where duban is reached): a plain http(s) URL */
        bool scheme = strncmp(value, "https://", 8) == 0 || strncmp(value, "http://", 7) == 0;
        if (!(n == 0 && strcmp(key, "open311_url") != 0) && /* the others may be emptied */
            (!scheme || n > 200 || strcspn(value, " \t\r\n\"'<>") != n))
            return err_set(e, ERR_INVALID, "value", "%s '%s' must be an http(s) URL of at most 200 bytes",
                           key, value);
        return 0;
    }
    if (strcmp(key, "composite_weights") == 0)
        return err_set(e, ERR_INVALID, "key", "composite_weights is now a 考核 scheme, set by year:"
                                             " PUT /api/v1/schemes/{year} or duban scheme set YEAR PRESET (docs/rules.md)");
    if (strcmp(key, "appraisal_weights") == 0) {
        appraise_weights w;
        return appraise_weights_parse(value, &w, e);
    }
    if (strcmp(key, "hotspot_rule") == 0) {
        hot_rule r;
        return hot_rule_parse(value, &r, e);
    }
    if (strcmp(key, "public_channels") == 0) {
        view_channels v;
        return view_channels_parse(value, &v, e) ? ERR_INVALID : 0;
    }
    return err_set(e, ERR_INVALID, "key",
                   "unknown configuration key '%s' (want tz_offset, case_prefix, jurisdiction_id,"
                   " public_channels, max_extension_days, unreachable_attempts, proposal_redo_days,"
                   " attachment_max_bytes, qr_addr_per_hour, rank_min_dispatched, report_cutoff_days, appraisal_weights, hotspot_rule, webhook_url,"
                   " webhook_secret, webhook_allow_hosts, webhook_hours, webhook_repeat_minutes, webhook_retry_seconds,"
                   " anchor_dir, anchor_key, qr_burst, sms_per_day, open311_url,"
                   " open311_test_url or"
                   " site_url)", key);
}

static const char *const datatypes[] = {"string", "number", "datetime", "text",
                                        "singlevaluelist", "multivaluelist"};

bool ref_attribute_is_list(const ref_attribute *a) { return strstr(a->datatype, "valuelist") != NULL; }

int ref_check_attribute(const ref_attribute *a, err *e) {
    bool known = false;
    for (size_t i = 0; i < sizeof datatypes / sizeof *datatypes; i++)
        known |= !strcmp(a->datatype, datatypes[i]);
    if (!known)
        return err_set(e, ERR_INVALID, "datatype", "unknown attribute type '%s' (want string, number,"
                       " datetime, text, singlevaluelist or multivaluelist)", a->datatype);
    if (!a->code[0] || strspn(a->code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(a->code))
        return err_set(e, ERR_INVALID, "code", "attribute code '%s' must be a-z, 0-9 and '_'",
                       a->code);
    if (!a->description[0])
        return err_set(e, ERR_INVALID, "description", "an attribute needs a description");
    bool list = ref_attribute_is_list(a);
    if (list != (a->n_choices > 0))
        return err_set(e, ERR_INVALID, "values", list ? "a value list needs its values (KEY=NAME)"
                                                      : "only value lists take values");
    /* keys travel in forms and as "a,b" lists: plain names only */
    for (int i = 0; i < a->n_choices; i++)
        if (!a->choice_key[i][0] || strspn(a->choice_key[i], "abcdefghijklmnopqrstuvwxyz0123456789_-.") !=
                                        strlen(a->choice_key[i]))
            return err_set(e, ERR_INVALID, "values", "value key '%s' must be a-z, 0-9, '_', '-' or '.'",
                           a->choice_key[i]);
    return 0;
}

int ref_check_template(const ref_template *t, err *e) {
    if (text_blank(t->title) || text_len(t->title) > TEMPLATE_TITLE_MAX)
        return err_set(e, ERR_INVALID, "title", "a template needs a title of 1-%d characters",
                       TEMPLATE_TITLE_MAX);
    if (text_blank(t->body) || text_len(t->body) > TEMPLATE_BODY_MAX)
        return err_set(e, ERR_INVALID, "body", "a template needs a text of 1-%d characters",
                       TEMPLATE_BODY_MAX);
    return 0;
}
