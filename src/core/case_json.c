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
#include "core/scheme.h"
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

int64_t case_due_parse(const char *s, int tz) {
    int64_t t;
    if (!s || dt_parse_instant(s, tz, &t, NULL)) return 0;
    return dt_day_start(dt_local_day(t + 1, tz), tz) == t + 1 ? t + 1 : t;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *unit_or_null(const unit_ref *u) {
    if (!u->id) return json_null();
    return json_pack("{s:s, s:s}", "code", u->code, "name", u->name);
}

/* ---- a case's members, into a value or as text (case_out) ---- */

/* The member's name, and in text the comma before it. */
static bool key(case_out *o, const char *name) {
    o->n++;
    if (o->obj) return false;
    if (o->n > 1) JSONW_LIT(o->w, ",");
    jsonw_cstr(o->w, name);
    JSONW_LIT(o->w, ":");
    return true;
}

void case_out_value(case_out *o, const char *name, json_t *v) {
    if (!key(o, name)) {
        json_object_set_new_nocheck(o->obj, name, v ? v : json_null());
        return;
    }
    if (v) jsonw_value(o->w, v, CASE_JSON_REALS);
    else JSONW_LIT(o->w, "null");
    json_decref(v);
}

void case_out_str(case_out *o, const char *name, const char *s) {
    if (key(o, name)) jsonw_cstr(o->w, s);
    else json_object_set_new_nocheck(o->obj, name, str_or_null(s));
}

void case_out_int(case_out *o, const char *name, json_int_t v) {
    if (key(o, name)) jsonw_int(o->w, v);
    else json_object_set_new_nocheck(o->obj, name, json_integer(v));
}

static void out_bool(case_out *o, const char *name, bool v) {
    if (!key(o, name)) json_object_set_new_nocheck(o->obj, name, json_boolean(v));
    else if (v) JSONW_LIT(o->w, "true");
    else JSONW_LIT(o->w, "false");
}

/* A time as case_time_json writes it (null for 0). */
static void out_time(case_out *o, const char *name, int64_t t, int tz) {
    char buf[32];
    if (t) dt_format_instant(t, tz, buf);
    case_out_str(o, name, t ? buf : NULL);
}

static void out_unit(case_out *o, const char *name, const unit_ref *u) {
    if (!key(o, name)) {
        json_object_set_new_nocheck(o->obj, name, unit_or_null(u));
    } else if (!u->id) {
        JSONW_LIT(o->w, "null");
    } else {
        JSONW_LIT(o->w, "{\"code\":");
        jsonw_cstr(o->w, u->code);
        JSONW_LIT(o->w, ",\"name\":");
        jsonw_cstr(o->w, u->name);
        JSONW_LIT(o->w, "}");
    }
}

void case_out_members(case_out *o, const case_rec *c, int tz, unsigned flags) {
    char name[CASE_NAME_MAX], phone[40];
    case_out_int(o, "id", c->id);
    case_out_str(o, "case_no", c->case_no);
    case_out_str(o, "channel", case_channel_name(c->channel));
    case_out_str(o, "class", case_class_name(c->klass));
    case_out_str(o, "appeal_type", case_appeal_name(c->appeal));
    case_out_str(o, "appeal_type_label", case_appeal_label(c->appeal));
    case_out_str(o, "channel_label", case_channel_label(c->channel));
    case_out_str(o, "class_label", case_class_label(c->klass));
    case_out_str(o, "status", case_status_name(c->status));
    case_out_str(o, "status_label", case_status_label(c->status));
    case_out_str(o, "title", c->title);
    case_out_str(o, "description", c->description);
    out_unit(o, "category", &c->category);
    out_unit(o, "township", &c->township);
    out_unit(o, "lead_unit", &c->lead);
    json_t *assist = json_array();
    for (int i = 0; i < c->n_assist; i++) json_array_append_new(assist, unit_or_null(&c->assist[i]));
    case_out_value(o, "assist_units", assist);
    if (flags & CASE_JSON_REVEAL) {
        case_out_str(o, "requester_name", c->requester_name);
        case_out_str(o, "requester_phone", c->requester_phone);
    } else if (c->confidential) { /* not even the masks */
        case_out_str(o, "requester_name", NULL);
        case_out_str(o, "requester_phone", NULL);
    } else {
        mask_name(c->requester_name, name, sizeof name);
        mask_phone(c->requester_phone, phone, sizeof phone);
        case_out_str(o, "requester_name", c->requester_name ? name : NULL);
        case_out_str(o, "requester_phone", c->requester_phone ? phone : NULL);
    }
    out_bool(o, "confidential", c->confidential);
    case_out_str(o, "public_summary", c->public_summary);
    case_out_str(o, "public_reply", c->public_reply);
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
        out_time(o, times[i].key, *(const int64_t *)((const char *)c + times[i].off), tz);
    static const char *const due_keys[DUE_COUNT] = {"dispatch_due", "accept_due", "feedback_due",
                                                    "resolve_due"};
    json_t *provisional = json_array();
    unsigned guessed = case_provisional_pending(c);
    for (int k = 0; k < DUE_COUNT; k++) {
        out_time(o, due_keys[k], case_due_shown(c->due[k], tz), tz);
        if (guessed & 1u << k) json_array_append_new(provisional, json_string(due_keys[k]));
    }
    case_due_kind next;
    int64_t next_due = case_next_due(c, &next);
    case_out_value(o, "next_due", next_due ? json_pack("{s:s, s:o}", "kind", case_due_name(next), "due",
                                                       case_due_json(next_due, tz))
                                           : NULL);
    /* deadlines counted over days the loaded calendar does not cover yet */
    case_out_value(o, "provisional", provisional);
    case_out_str(o, "satisfaction", case_satisfaction_name(c->satisfaction));
    if (c->solved < 0) case_out_value(o, "solved", NULL);
    else out_bool(o, "solved", c->solved);
    case_out_str(o, "result", c->result);
    out_bool(o, "visit_waived", c->visit_waived);
    case_out_int(o, "unreachable_days", c->unreachable_days);
    out_bool(o, "closed_unreachable", c->closed_unreachable);
    if (c->merged_into) case_out_int(o, "merged_into", c->merged_into);
    else case_out_value(o, "merged_into", NULL);
    out_time(o, "purged_at", c->purged_at, tz);
    json_t *answer = NULL;
    if (c->answer != ANS_NONE) {
        answer = json_pack("{s:s, s:s}", "class", case_answer_name(c->answer), "label",
                           case_answer_label(c->answer));
        if (c->promise_day) {
            char day[11];
            dt_format_date(c->promise_day, day);
            json_object_set_new(answer, "promised", json_string(day));
        }
    }
    case_out_value(o, "answer", answer);
    const char *review = case_review_name(c->review);
    case_out_value(o, "review", review ? json_pack("{s:s, s:o}", "state", review, "at",
                                                   case_time_json(c->review_at, tz))
                                       : NULL);
    case_out_int(o, "reopen_count", c->reopen_count);
    case_out_int(o, "extension_count", c->extension_count);
    case_out_int(o, "plan_count", c->plan_count);
    case_out_int(o, "return_count", c->return_count);
    json_t *pending = NULL;
    if (c->pending != PENDING_NONE) {
        char until[11];
        dt_format_date(c->pending_until, until);
        pending = json_pack("{s:s, s:s}", "kind", c->pending == PENDING_PLAN ? "plan" : "extension", "until", until);
    }
    case_out_value(o, "pending", pending);
}

json_t *case_to_json(const case_rec *c, int tz, unsigned flags) {
    case_out o = {.obj = json_object()};
    case_out_members(&o, c, tz, flags);
    return o.obj;
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

json_t *met_to_json(const met_counts *m, const scheme *s) {
    met_rates r;
    met_compute(m, s, &r);
    json_t *o = json_object();
    static const struct { const char *key; size_t off; } counts[] = {
        {"dispatched", offsetof(met_counts, dispatched)},
        {"accept_due", offsetof(met_counts, accept_due)},
        {"accepted_on_time", offsetof(met_counts, accepted_on_time)},
        {"feedback_expected", offsetof(met_counts, feedback_expected)},
        {"feedback_on_time", offsetof(met_counts, feedback_on_time)},
        {"due", offsetof(met_counts, due)},
        {"resolved", offsetof(met_counts, resolved)},
        {"resolved_on_time", offsetof(met_counts, resolved_on_time)},
        {"carried", offsetof(met_counts, carried)},
        {"due_reopened", offsetof(met_counts, due_reopened)},
        {"visited", offsetof(met_counts, visited)},
        {"solved", offsetof(met_counts, solved)},
        {"satisfied", offsetof(met_counts, satisfied)},
        {"reopened", offsetof(met_counts, reopened)},
        {"ever_resolved", offsetof(met_counts, ever_resolved)},
        {"returned", offsetof(met_counts, returned)},
        {"extended", offsetof(met_counts, extended)},
        {"late_requests", offsetof(met_counts, late_requests)},
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
    for (int f = 0; f < MET_F_COUNT; f++)
        json_object_set_new(o, met_figure_name(f), real_or_null(met_figure_rate(&r, f)));
    json_object_set_new(o, "composite", real_or_null(r.composite));
    /* the composite's points, term by term, so a unit can check its own score */
    sch_score sc;
    sch_score_of(s, m, &sc);
    json_object_set_new(o, "score", sch_score_json(s, &sc));
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
