/* replay: see replay.h. */
#include "core/replay.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/case_json.h"
#include "util/datetime.h"

/* Stands for a note a purge erased where an action needs one: long enough
 * for any rule on a note's length, and never compared with anything. */
static const char erased_note[] = "(erased under the retention period)";

static const char *const due_keys[DUE_COUNT] = {"dispatch_due", "accept_due", "feedback_due", "resolve_due"};

static int32_t day_of(json_t *pl, const char *key) {
    int32_t d;
    const char *s = json_string_value(json_object_get(pl, key));
    return s && !dt_parse_date(s, &d, NULL) ? d : INT32_MIN;
}

static const char *text_of(json_t *tx, const char *key) {
    return json_string_value(json_object_get(tx, key));
}

/* The unit a payload's member names ({"code", "name"}), into out. */
static int unit_of(replay *rp, json_t *u, unit_ref *out, err *e) {
    const char *code = json_string_value(json_object_get(u, "code"));
    if (code && rp->unit(rp->ctx, code, out)) return 0;
    return err_set(e, ERR_INVALID, "unit", "it names unit '%s', which does not exist", code ? code : "");
}

/* The request an event records, into r (its strings borrowed from pl, tx
 * and file, which must outlive it). */
static int request_of(replay *rp, const case_event *ev, json_t *pl, json_t *tx, case_file *file, int tz,
                      case_req *r, case_recorded *rec, err *e) {
    case_req_init(r, ev->action, ev->at, ev->actor);
    r->at_given = true; /* its own time; the chain keeps them in order */
    r->note = ev->text_erased ? erased_note : text_of(tx, "note");
    r->reply = ev->text_erased ? NULL : text_of(tx, "reply");
    memset(rec, 0, sizeof *rec);
    for (int k = 0; k < DUE_COUNT; k++) rec->due[k] = case_due_parse(json_string_value(json_object_get(pl, due_keys[k])), tz);
    json_t *still = json_object_get(pl, "provisional"), *v;
    size_t i;
    json_array_foreach(still, i, v) /* a recount's: those still counted over unknown days */
        for (int k = 0; k < DUE_COUNT; k++)
            if (json_string_value(v) && !strcmp(json_string_value(v), due_keys[k])) rec->provisional |= 1u << k;
    int rc = 0;
    switch (ev->action) {
    case ACT_DISPATCH:
    case ACT_REASSIGN: {
        json_t *assist = json_object_get(pl, "assist");
        if ((rc = unit_of(rp, json_object_get(pl, "unit"), &r->lead, e))) return rc;
        json_array_foreach(assist, i, v) {
            if (i >= CASE_MAX_ASSIST) break;
            if ((rc = unit_of(rp, v, &r->assist[i], e))) return rc;
            r->n_assist = (int)i + 1;
        }
        r->until = day_of(pl, "until"); /* a 领导交办 day */
        if (ev->action == ACT_REASSIGN && rec->due[DUE_RESOLVE]) /* recorded only when a day was given */
            r->until = dt_local_day(rec->due[DUE_RESOLVE] - 1, tz);
        break;
    }
    case ACT_INSTRUCT:
        if (rec->due[DUE_RESOLVE]) r->until = dt_local_day(rec->due[DUE_RESOLVE] - 1, tz);
        break;
    case ACT_REQUEST_EXTENSION:
    case ACT_PROPOSE_PLAN: r->until = day_of(pl, "until"); break;
    case ACT_RESOLVE: {
        const char *a = json_string_value(json_object_get(pl, "answer"));
        if (a && (rc = case_answer_parse(a, &r->answer, e))) return rc;
        r->until = day_of(pl, "promised");
        break;
    }
    case ACT_VISIT: {
        const char *sat = json_string_value(json_object_get(pl, "satisfaction"));
        if ((rc = case_satisfaction_parse(sat ? sat : "", &r->satisfaction, e))) return rc;
        json_t *solved = json_object_get(pl, "solved");
        r->solved = json_is_boolean(solved) ? json_is_true(solved) : -1;
        break;
    }
    case ACT_ANSWER: r->kb_id = json_integer_value(json_object_get(pl, "kb")); break;
    case ACT_MERGE: {
        json_t *into = json_object_get(pl, "into");
        r->into = json_integer_value(json_object_get(into, "id"));
        r->into_no = json_string_value(json_object_get(into, "case_no"));
        break;
    }
    case ACT_FOLLOW: r->into = json_integer_value(json_object_get(pl, "main")); break;
    case ACT_ATTACH: {
        json_t *a = json_object_get(pl, "attachment");
        const char *hex = json_string_value(json_object_get(a, "sha256"));
        file->id = json_integer_value(json_object_get(a, "id"));
        file->name = json_string_value(json_object_get(a, "name"));
        file->mime = json_string_value(json_object_get(a, "mime"));
        file->size = json_integer_value(json_object_get(a, "size"));
        for (int k = 0; hex && strlen(hex) == 64 && k < 32; k++) {
            unsigned b;
            if (sscanf(hex + 2 * k, "%2x", &b) == 1) file->sha256[k] = (unsigned char)b;
        }
        r->file = file;
        break;
    }
    case ACT_PUBLISH_ATTACHMENT:
        file->id = json_integer_value(json_object_get(pl, "attachment"));
        file->published = json_is_true(json_object_get(pl, "published"));
        r->file = file;
        break;
    case ACT_FEEDBACK: { /* a 协办 unit's opinion names it; the lead's does not */
        json_t *by = json_object_get(pl, "assist_unit");
        unit_ref u;
        if (by && !(rc = unit_of(rp, by, &u, e))) r->unit_id = u.id;
        break;
    }
    default: break;
    }
    return rc;
}

static int apply(replay *rp, const case_event *ev, const case_env *env, bool create, err *e) {
    json_t *pl = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
    /* the free text: apart from the payload (scheme 2), or in it (scheme 1) */
    json_t *tx = ev->text_erased ? NULL : ev->text ? json_loads(ev->text, 0, NULL) : json_incref(pl);
    case_req r;
    case_file file = {0};
    case_recorded rec;
    case_event made = {0};
    case_env replaying = *env;
    replaying.recorded = &rec;
    int rc = json_is_object(pl) ? request_of(rp, ev, pl, tx, &file, env->tz, &r, &rec, e)
                                : err_set(e, ERR_INVALID, "payload", "its payload is not a JSON object");
    if (!rc && create) {
        case_rec *c = &rp->c;
        const char *no = json_string_value(json_object_get(pl, "case_no"));
        const char *ch = json_string_value(json_object_get(pl, "channel"));
        const char *cl = json_string_value(json_object_get(pl, "class"));
        const char *ap = json_string_value(json_object_get(pl, "appeal_type"));
        snprintf(c->case_no, sizeof c->case_no, "%s", no ? no : "");
        c->received_at = ev->at;
        if ((rc = case_channel_parse(ch ? ch : "", &c->channel, e)) || (rc = case_class_parse(cl ? cl : "", &c->klass, e)) ||
            (ap && (rc = case_appeal_parse(ap, &c->appeal, e))))
            goto out;
        if (rp->title_known) {
            free(c->title);
            if (!(c->title = strdup(text_of(tx, "title") ? text_of(tx, "title") : ""))) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                goto out;
            }
        }
        rc = case_create(c, &replaying, ev->actor, &made, e);
    } else if (!rc) {
        rc = case_apply(&rp->c, &r, &replaying, &made, e);
    }
    if (rc && e) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        rc = err_set(e, ERR_INVALID, "events", "event %d (%s) cannot be replayed: %s", ev->seq,
                     case_action_name(ev->action), why);
    }
    if (rc) goto out;
    memcpy(rp->c.last_hash, ev->hash, 32);
    switch (ev->action) { /* what the columns made of free text follow */
    case ACT_RESOLVE:
    case ACT_FOLLOW:
    case ACT_REJECT:
    case ACT_ANSWER: rp->result_known = !ev->text_erased; break;
    case ACT_REOPEN:
    case ACT_DISPATCH: rp->result_known = rp->result_known || !rp->c.result; break;
    case ACT_PUBLISH: rp->public_known = !ev->text_erased; break;
    default: break;
    }
out:
    case_event_clear(&made);
    json_decref(pl);
    json_decref(tx);
    return rc;
}

int replay_begin(replay *rp, const case_rec *row, const case_event *ev, const case_env *env,
                 replay_unit_fn unit, void *ctx, err *e) {
    memset(rp, 0, sizeof *rp);
    rp->unit = unit;
    rp->ctx = ctx;
    rp->result_known = rp->public_known = true;
    rp->title_known = !ev->text_erased;
    if (ev->action != ACT_CREATE)
        return err_set(e, ERR_INVALID, "events", "event 1 is '%s', not the case's creation",
                       case_action_name(ev->action));
    case_rec *c = &rp->c;
    c->id = row->id;
    c->category = row->category;
    c->township = row->township;
    c->confidential = row->confidential;
    memcpy(c->text_key, row->text_key, 32);
    /* the intake's own facts, which no event holds: copied, and not compared */
    if ((row->title && !(c->title = strdup(row->title))) ||
        (row->description && !(c->description = strdup(row->description))) ||
        (row->requester_name && !(c->requester_name = strdup(row->requester_name))) ||
        (row->requester_phone && !(c->requester_phone = strdup(row->requester_phone))))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    return apply(rp, ev, env, true, e);
}

int replay_event(replay *rp, const case_event *ev, const case_env *env, err *e) {
    return apply(rp, ev, env, false, e);
}

void replay_clear(replay *rp) { case_rec_clear(&rp->c); }

/* ---- the comparison ---------------------------------------------------- */

enum { T_I64, T_I32, T_INT, T_BOOL, T_STR };
_Static_assert(sizeof(case_status) == sizeof(int) && sizeof(case_satisfaction) == sizeof(int) &&
                   sizeof(case_pending) == sizeof(int) && sizeof(case_answer) == sizeof(int),
               "enums compared as int");

/* Every column an action writes, by its name in the cases table. */
static const struct column {
    const char *name;
    size_t off;
    int type;
} columns[] = {
#define COL(name, field, type) {name, offsetof(case_rec, field), type}
    COL("case_no", case_no, -1), COL("channel", channel, T_INT), COL("class", klass, T_INT),
    COL("appeal_type", appeal, T_INT), COL("status", status, T_INT), COL("received_at", received_at, T_I64),
    COL("lead_unit_id", lead.id, T_I64), COL("dispatched_at", dispatched_at, T_I64),
    COL("accepted_at", accepted_at, T_I64), COL("first_feedback_at", first_feedback_at, T_I64),
    COL("resolved_at", resolved_at, T_I64), COL("visited_at", visited_at, T_I64),
    COL("closed_at", closed_at, T_I64), COL("updated_at", updated_at, T_I64),
    COL("dispatch_due", due[DUE_DISPATCH], T_I64), COL("accept_due", due[DUE_ACCEPT], T_I64),
    COL("feedback_due", due[DUE_FEEDBACK], T_I64), COL("resolve_due", due[DUE_RESOLVE], T_I64),
    COL("satisfaction", satisfaction, T_INT), COL("solved", solved, T_INT),
    COL("visit_waived", visit_waived, T_BOOL), COL("reopen_count", reopen_count, T_INT),
    COL("extension_count", extension_count, T_INT), COL("plan_count", plan_count, T_INT),
    COL("return_count", return_count, T_INT), COL("pending", pending, T_INT),
    COL("event_count", event_count, T_INT), COL("instructed_at", instructed_at, T_I64),
    COL("unreachable_days", unreachable_days, T_INT), COL("unreachable_day", unreachable_day, T_I32),
    COL("closed_unreachable", closed_unreachable, T_BOOL), COL("merged_into", merged_into, T_I64),
    COL("review", review, T_INT), COL("review_at", review_at, T_I64), COL("answer", answer, T_INT),
    COL("promise_day", promise_day, T_I32),
#undef COL
};

static bool same_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

const char *replay_diff(const replay *rp, const case_rec *row) {
    const case_rec *c = &rp->c;
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++) {
        const char *a = (const char *)c + columns[i].off, *b = (const char *)row + columns[i].off;
        bool same;
        switch (columns[i].type) {
        case T_I64: same = *(const int64_t *)a == *(const int64_t *)b; break;
        case T_I32: same = *(const int32_t *)a == *(const int32_t *)b; break;
        case T_INT: same = *(const int *)a == *(const int *)b; break;
        case T_BOOL: same = *(const bool *)a == *(const bool *)b; break;
        default: same = !strcmp(a, b); break; /* a char array */
        }
        if (!same) return columns[i].name;
    }
    if (c->pending_until != row->pending_until) return "pending_until";
    unsigned prov = case_provisional_pending(c);
    if (prov != row->provisional) return "provisional";
    /* kept while a deadline is provisional, for its recount (the others'
     * are what the row held when it was last written: not compared) */
    for (int k = 0; k < DUE_COUNT; k++)
        if (prov ? prov & 1u << k && c->due_from[k] != row->due_from[k] : row->due_from[k] != 0) return "due_from";
    if (memcmp(c->last_hash, row->last_hash, 32)) return "last_hash";
    /* made of free text: compared while the text is there (a purge empties result) */
    if (rp->title_known && !same_str(c->title, row->title)) return "title";
    if (rp->result_known && !row->purged_at && !same_str(c->result, row->result)) return "result";
    if (rp->public_known && !same_str(c->public_summary, row->public_summary)) return "public_summary";
    if (rp->public_known && !same_str(c->public_reply, row->public_reply)) return "public_reply";
    return NULL;
}
