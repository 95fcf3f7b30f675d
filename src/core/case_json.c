/* case_json: see case_json.h. Masking happens here so that no caller can
 * forget it: full contact details need the explicit CASE_JSON_REVEAL flag. */
#include "core/case_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

#include "core/audit.h"
#include "core/metrics.h"
#include "core/policy.h"
#include "core/mask.h"
#include "util/datetime.h"
#include "util/jsonw.h"

json_t *case_time_json(int64_t t, int tz) {
    if (!t) return json_null();
    char buf[32];
    dt_format_instant(t, tz, buf);
    return json_string(buf);
}

int64_t case_due_shown(int64_t due, int tz) {
    return due && dt_day_start(dt_local_day(due, tz), tz) == due ? due - 1 : due;
}

json_t *case_due_json(int64_t due, int tz) { return case_time_json(case_due_shown(due, tz), tz); }

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *unit_or_null(const unit_ref *u) {
    if (!u->id) return json_null();
    return json_pack("{s:s, s:s}", "code", u->code, "name", u->name);
}

json_t *case_to_json(const case_rec *c, int tz, unsigned flags) {
    char name[CASE_NAME_MAX], phone[40];
    json_t *o = json_object(), *assist = json_array();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "case_no", json_string(c->case_no));
    json_object_set_new(o, "channel", json_string(case_channel_name(c->channel)));
    json_object_set_new(o, "class", json_string(case_class_name(c->klass)));
    json_object_set_new(o, "appeal_type", str_or_null(case_appeal_name(c->appeal)));
    json_object_set_new(o, "appeal_type_label", str_or_null(case_appeal_label(c->appeal)));
    json_object_set_new(o, "channel_label", json_string(case_channel_label(c->channel)));
    json_object_set_new(o, "class_label", json_string(case_class_label(c->klass)));
    json_object_set_new(o, "status", json_string(case_status_name(c->status)));
    json_object_set_new(o, "status_label", json_string(case_status_label(c->status)));
    json_object_set_new(o, "title", str_or_null(c->title));
    json_object_set_new(o, "description", str_or_null(c->description));
    json_object_set_new(o, "category", unit_or_null(&c->category));
    json_object_set_new(o, "township", unit_or_null(&c->township));
    json_object_set_new(o, "lead_unit", unit_or_null(&c->lead));
    for (int i = 0; i < c->n_assist; i++) json_array_append_new(assist, unit_or_null(&c->assist[i]));
    json_object_set_new(o, "assist_units", assist);
    if (flags & CASE_JSON_REVEAL) {
        json_object_set_new(o, "requester_name", str_or_null(c->requester_name));
        json_object_set_new(o, "requester_phone", str_or_null(c->requester_phone));
    } else if (c->confidential) { /* not even the masks */
        json_object_set_new(o, "requester_name", json_null());
        json_object_set_new(o, "requester_phone", json_null());
    } else {
        mask_name(c->requester_name, name, sizeof name);
        mask_phone(c->requester_phone, phone, sizeof phone);
        json_object_set_new(o, "requester_name", c->requester_name ? json_string(name) : json_null());
        json_object_set_new(o, "requester_phone",
                            c->requester_phone ? json_string(phone) : json_null());
    }
    json_object_set_new(o, "confidential", json_boolean(c->confidential));
    json_object_set_new(o, "public_summary", str_or_null(c->public_summary));
    json_object_set_new(o, "public_reply", str_or_null(c->public_reply));
    static const struct { const char *key; size_t off; } times[] = {
        {"received_at", offsetof(case_rec, received_at)},
        {"dispatched_at", offsetof(case_rec, dispatched_at)},
        {"accepted_at", offsetof(case_rec, accepted_at)},
        {"first_feedback_at", offsetof(case_rec, first_feedback_at)},
        {"resolved_at", offsetof(case_rec, resolved_at)},
        {"visited_at", offsetof(case_rec, visited_at)},
        {"closed_at", offsetof(case_rec, closed_at)},
        {"updated_at", offsetof(case_rec, updated_at)},
        {"instructed_at", offsetof(case_rec, instructed_at)},
    };
    for (size_t i = 0; i < sizeof times / sizeof *times; i++)
        json_object_set_new(o, times[i].key,
                            case_time_json(*(const int64_t *)((const char *)c + times[i].off), tz));
    static const char *const due_keys[DUE_COUNT] = {"dispatch_due", "accept_due", "feedback_due",
                                                    "resolve_due"};
    json_t *provisional = json_array();
    unsigned guessed = case_provisional_pending(c);
    for (int k = 0; k < DUE_COUNT; k++) {
        json_object_set_new(o, due_keys[k], case_due_json(c->due[k], tz));
        if (guessed & 1u << k) json_array_append_new(provisional, json_string(due_keys[k]));
    }
    case_due_kind next;
    int64_t next_due = case_next_due(c, &next);
    json_object_set_new(o, "next_due", next_due ? json_pack("{s:s, s:o}", "kind",
                                                            case_due_name(next), "due",
                                                            case_due_json(next_due, tz))
                                                : json_null());
    /* deadlines counted over days the loaded calendar does not cover yet */
    json_object_set_new(o, "provisional", provisional);
    const char *sat = case_satisfaction_name(c->satisfaction);
    json_object_set_new(o, "satisfaction", sat ? json_string(sat) : json_null());
    json_object_set_new(o, "solved", c->solved < 0 ? json_null() : json_boolean(c->solved));
    json_object_set_new(o, "result", str_or_null(c->result));
    json_object_set_new(o, "visit_waived", json_boolean(c->visit_waived));
    json_object_set_new(o, "unreachable_days", json_integer(c->unreachable_days));
    json_object_set_new(o, "closed_unreachable", json_boolean(c->closed_unreachable));
    json_object_set_new(o, "merged_into",
                        c->merged_into ? json_integer(c->merged_into) : json_null());
    json_object_set_new(o, "purged_at", c->purged_at ? case_time_json(c->purged_at, tz) : json_null());
    if (c->answer != ANS_NONE) {
        json_t *a = json_pack("{s:s, s:s}", "class", case_answer_name(c->answer), "label",
                              case_answer_label(c->answer));
        if (c->promise_day) {
            char day[11];
            dt_format_date(c->promise_day, day);
            json_object_set_new(a, "promised", json_string(day));
        }
        json_object_set_new(o, "answer", a);
    } else {
        json_object_set_new(o, "answer", json_null());
    }
    const char *review = case_review_name(c->review);
    json_object_set_new(o, "review", review ? json_pack("{s:s, s:o}", "state", review, "at",
                                                        case_time_json(c->review_at, tz))
                                            : json_null());
    json_object_set_new(o, "reopen_count", json_integer(c->reopen_count));
    json_object_set_new(o, "extension_count", json_integer(c->extension_count));
    json_object_set_new(o, "plan_count", json_integer(c->plan_count));
    json_object_set_new(o, "return_count", json_integer(c->return_count));
    if (c->pending != PENDING_NONE) {
        char until[11];
        dt_format_date(c->pending_until, until);
        json_object_set_new(o, "pending",
                            json_pack("{s:s, s:s}", "kind",
                                      c->pending == PENDING_PLAN ? "plan" : "extension", "until",
                                      until));
    } else {
        json_object_set_new(o, "pending", json_null());
    }
    return o;
}

json_t *case_overdue_json(const case_rec *c, int64_t now, int tz) {
    case_due_kind kind;
    int64_t due = case_next_due(c, &kind);
    if (!due || due > now) return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(case_due_name(kind)));
    json_object_set_new(o, "due", case_due_json(due, tz));
    json_object_set_new(o, "by_seconds", json_integer(now - due));
    return o;
}

json_t *case_event_to_json(const case_event *ev, int tz) {
    char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
    audit_hex(ev->prev_hash, prev);
    audit_hex(ev->hash, hash);
    /* Built key by key: json_pack would parse its format for every event of
     * every case shown. */
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer(ev->seq));
    json_object_set_new(o, "actor", json_string(ev->actor));
    json_object_set_new(o, "at", case_time_json(ev->at, tz));
    json_object_set_new(o, "action", json_string(case_action_name(ev->action)));
    json_object_set_new(o, "from", ev->from == ST_NONE ? json_null()
                                                       : json_string(case_status_name(ev->from)));
    json_object_set_new(o, "to", json_string(case_status_name(ev->to)));
    json_object_set_new(o, "payload", case_event_payload(ev));
    json_object_set_new(o, "prev_hash", json_string(prev));
    json_object_set_new(o, "hash", json_string(hash));
    return o;
}

static bool compact_object(const char *s, size_t n) { return n >= 2 && s[0] == '{' && s[n - 1] == '}'; }

void case_event_write(jsonw *w, const case_event *ev, int tz) {
    char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX], at[32];
    audit_hex(ev->prev_hash, prev);
    audit_hex(ev->hash, hash);
    if (ev->at) dt_format_instant(ev->at, tz, at);
    JSONW_LIT(w, "{\"seq\":");
    jsonw_int(w, ev->seq);
    JSONW_LIT(w, ",\"actor\":");
    jsonw_cstr(w, ev->actor);
    JSONW_LIT(w, ",\"at\":");
    jsonw_cstr(w, ev->at ? at : NULL);
    JSONW_LIT(w, ",\"action\":");
    jsonw_cstr(w, case_action_name(ev->action));
    JSONW_LIT(w, ",\"from\":");
    jsonw_cstr(w, ev->from == ST_NONE ? NULL : case_status_name(ev->from));
    JSONW_LIT(w, ",\"to\":");
    jsonw_cstr(w, case_status_name(ev->to));
    JSONW_LIT(w, ",\"payload\":");
    /* the two halves as case_event_payload joins them before parsing */
    size_t t = ev->text ? strlen(ev->text) : 0, p = ev->payload ? strlen(ev->payload) : 0;
    if (t > 2 && compact_object(ev->text, t) && compact_object(ev->payload, p)) {
        jsonw_raw(w, ev->text, t - 1);
        if (p > 2) JSONW_LIT(w, ",");
        jsonw_raw(w, ev->payload + 1, p - 1);
    } else if (t <= 2 && compact_object(ev->payload, p)) {
        jsonw_raw(w, ev->payload, p);
    } else { /* anything else as case_event_payload reads it */
        json_t *pl = case_event_payload(ev);
        jsonw_value(w, pl, CASE_JSON_REALS);
        json_decref(pl);
    }
    JSONW_LIT(w, ",\"prev_hash\":");
    jsonw_cstr(w, prev);
    JSONW_LIT(w, ",\"hash\":");
    jsonw_cstr(w, hash);
    JSONW_LIT(w, "}");
}

json_t *case_event_payload(const case_event *ev) {
    json_t *o = NULL;
    size_t t = ev->text ? strlen(ev->text) : 0, p = ev->payload ? strlen(ev->payload) : 0;
    if (t > 2 && p >= 2 && ev->text[0] == '{' && ev->text[t - 1] == '}' && ev->payload[0] == '{') {
        /* Both are compact objects: one text, "{text..." + "," + "...payload}",
         * parsed once. */
        char stackbuf[4096], *buf = t + p + 2 <= sizeof stackbuf ? stackbuf : malloc(t + p + 2);
        if (buf) {
            memcpy(buf, ev->text, t - 1);
            size_t k = t - 1;
            if (p > 2) buf[k++] = ',';
            memcpy(buf + k, ev->payload + 1, p - 1);
            o = json_loadb(buf, k + p - 1, 0, NULL);
            if (buf != stackbuf) free(buf);
        }
    } else if (ev->payload) {
        o = json_loads(ev->payload, 0, NULL);
    }
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    return o;
}

/* A computed figure, rounded where it is made (CASE_JSON_REALS). */
static json_t *real_or_null(double v) { return isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6); }

void case_json_real_text(double v, char out[32]) {
    snprintf(out, 32, "%.15g", v);
    if (!strpbrk(out, ".eEn")) strcat(out, ".0"); /* a real stays a real, as jansson writes it */
}

json_t *met_to_json(const met_counts *m, const met_weights *w) {
    met_rates r;
    met_compute(m, w, &r);
    json_t *o = json_object();
    static const struct { const char *key; size_t off; } counts[] = {
        {"dispatched", offsetof(met_counts, dispatched)},
        {"accepted_on_time", offsetof(met_counts, accepted_on_time)},
        {"feedback_expected", offsetof(met_counts, feedback_expected)},
        {"feedback_on_time", offsetof(met_counts, feedback_on_time)},
        {"resolved", offsetof(met_counts, resolved)},
        {"resolved_on_time", offsetof(met_counts, resolved_on_time)},
        {"visited", offsetof(met_counts, visited)},
        {"solved", offsetof(met_counts, solved)},
        {"satisfied", offsetof(met_counts, satisfied)},
        {"reopened", offsetof(met_counts, reopened)},
        {"ever_resolved", offsetof(met_counts, ever_resolved)},
        {"returned", offsetof(met_counts, returned)},
        {"extended", offsetof(met_counts, extended)},
        {"overdue", offsetof(met_counts, overdue)},
        {"unreachable", offsetof(met_counts, unreachable)},
        {"excluded", offsetof(met_counts, excluded)},
    };
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        json_object_set_new(o, counts[i].key,
                            json_integer(*(const int64_t *)((const char *)m + counts[i].off)));
    json_t *by = json_object();
    for (int a = 0; a < AP_COUNT; a++)
        json_object_set_new(by, a == AP_NONE ? "none" : case_appeal_name((case_appeal)a),
                            json_integer(m->appeal[a]));
    json_object_set_new(o, "by_appeal_type", by);
    static const struct { const char *key; size_t off; } rates[] = {
        {"accept_rate", offsetof(met_rates, accept_rate)},
        {"feedback_rate", offsetof(met_rates, feedback_rate)},
        {"resolve_rate", offsetof(met_rates, resolve_rate)},
        {"ontime_resolve_rate", offsetof(met_rates, ontime_rate)},
        {"solve_rate", offsetof(met_rates, solve_rate)},
        {"satisfaction_rate", offsetof(met_rates, satisfy_rate)},
        {"reopen_rate", offsetof(met_rates, reopen_rate)},
        {"return_rate", offsetof(met_rates, return_rate)},
        {"extension_rate", offsetof(met_rates, extension_rate)},
        {"composite", offsetof(met_rates, composite)},
    };
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++)
        json_object_set_new(o, rates[i].key,
                            real_or_null(*(const double *)((const char *)&r + rates[i].off)));
    return o;
}


json_t *pol_to_json(const pol_table *p) {
    json_t *arr = json_array();
    for (int ch = 0; ch < CH_COUNT; ch++)
        for (int cl = 0; cl < CL_COUNT; cl++) {
            json_t *row = json_pack("{s:s, s:s}", "channel", case_channel_name((case_channel)ch),
                                    "class", case_class_name((case_class)cl));
            for (int sg = 0; sg < POL_STAGE_COUNT; sg++) {
                char text[32];
                pol_rule_format(&p->r[ch][cl][sg], text);
                json_object_set_new(row, pol_stage_name((pol_stage)sg), json_string(text));
            }
            json_array_append_new(arr, row);
        }
    return arr;
}
