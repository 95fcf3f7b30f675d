/* case: names, the transition table and the effects of each action. The
 * table decides legality and required inputs; apply_effects() only runs for a
 * row the table allowed, on a copy, so a refused action changes nothing. */
#include "core/case.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/case_json.h"
#include "core/policy.h"
#include "util/datetime.h"
#include "util/text.h"

static const char *const channel_names[CH_COUNT] = {
    "hotline", "qr", "petition", "citymgmt", "deputy", "cppcc", "enterprise", "leader_task",
    "open311"};
static const char *const class_names[CL_COUNT] = {"urgent", "general", "major"};
static const char *const channel_labels[CH_COUNT] = {
    "12345热线", "码上评", "信访", "数字城管", "人大代表建议", "政协提案", "企业服务", "领导交办",
    "Open311"};
static const char *const class_labels[CL_COUNT] = {"紧急", "一般", "重大"};
static const char *const status_names[ST_COUNT] = {"received", "dispatched", "accepted",
                                                   "resolved", "visited",    "closed",
                                                   "merged"};
static const char *const status_labels[ST_COUNT] = {"已受理", "已派单", "办理中",
                                                    "已办结", "已回访", "已销号", "已并案"};
static const char *const action_names[ACT_COUNT] = {
    "create", "dispatch", "merge", "reject", "accept", "return", "feedback",
    "request_extension", "approve_extension", "deny_extension", "propose_plan", "approve_plan",
    "deny_plan", "resolve", "visit", "waive_visit", "reopen", "close", "publish", "recompute",
    "answer", "reassign", "instruct", "unreachable", "close_unreachable", "follow", "attach",
    "publish_attachment", "urge", "request_review", "uphold_review", "reject_review"};
static const char *const due_names[DUE_COUNT] = {"dispatch", "accept", "feedback", "resolve"};
static const char *const sat_names[] = {"unsatisfied", "basic", "satisfied"};
static const char *const review_names[REVIEW_COUNT] = {NULL, "pending", "upheld", "rejected"};

const char *case_review_name(case_review r) { return r < REVIEW_COUNT ? review_names[r] : NULL; }

static const char *const answer_names[ANS_COUNT] = {NULL, "A", "B", "C", "D"};
static const char *const answer_labels[ANS_COUNT] = {NULL, "已解决", "正在解决", "列入计划逐步解决", "留作参考"};
const char *case_answer_name(case_answer a) { return a < ANS_COUNT ? answer_names[a] : NULL; }
const char *case_answer_label(case_answer a) { return a < ANS_COUNT ? answer_labels[a] : NULL; }

int case_answer_parse(const char *s, case_answer *out, err *e) {
    for (int i = ANS_A; s && i < ANS_COUNT; i++)
        if (strcmp(s, answer_names[i]) == 0) {
            *out = (case_answer)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "answer",
                   "answer '%s' must be A (已解决), B (正在解决), C (列入计划逐步解决) or D (留作参考)", s ? s : "");
}

int case_review_parse(const char *s, case_review *out, err *e) {
    for (int i = REVIEW_PENDING; s && i < REVIEW_COUNT; i++)
        if (strcmp(s, review_names[i]) == 0) {
            *out = (case_review)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "review", "unknown review state '%s' (want pending, upheld or rejected)",
                   s ? s : "");
}

const char *case_channel_name(case_channel c) { return c < CH_COUNT ? channel_names[c] : "?"; }

static const char *const appeal_names[AP_COUNT] = {
    [AP_CONSULT] = "consult", [AP_HELP] = "help", [AP_COMPLAINT] = "complaint",
    [AP_REPORT] = "report", [AP_SUGGESTION] = "suggestion", [AP_PRAISE] = "praise"};
static const char *const appeal_labels[AP_COUNT] = {
    [AP_CONSULT] = "咨询", [AP_HELP] = "求助", [AP_COMPLAINT] = "投诉",
    [AP_REPORT] = "举报", [AP_SUGGESTION] = "建议", [AP_PRAISE] = "表扬"};

const char *case_appeal_name(case_appeal a) { return a < AP_COUNT ? appeal_names[a] : NULL; }
const char *case_appeal_label(case_appeal a) { return a < AP_COUNT ? appeal_labels[a] : NULL; }

int case_appeal_parse(const char *s, case_appeal *out, err *e) {
    for (int i = AP_CONSULT; s && i < AP_COUNT; i++)
        if (strcmp(s, appeal_names[i]) == 0) {
            *out = (case_appeal)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "appeal_type",
                   "unknown appeal_type '%s' (want consult, help, complaint, report, suggestion"
                   " or praise: 咨询 求助 投诉 举报 建议 表扬)", s ? s : "");
}
const char *case_class_name(case_class c) { return c < CL_COUNT ? class_names[c] : "?"; }
const char *case_channel_label(case_channel c) { return c < CH_COUNT ? channel_labels[c] : "?"; }
const char *case_class_label(case_class c) { return c < CL_COUNT ? class_labels[c] : "?"; }
const char *case_status_name(case_status s) {
    return s >= 0 && s < ST_COUNT ? status_names[s] : "none";
}
const char *case_status_label(case_status s) {
    return s >= 0 && s < ST_COUNT ? status_labels[s] : "";
}
const char *case_action_name(case_action a) { return a < ACT_COUNT ? action_names[a] : "?"; }
const char *case_due_name(case_due_kind k) { return k < DUE_COUNT ? due_names[k] : "?"; }
const char *case_due_label(case_due_kind k) {
    static const char *const labels[DUE_COUNT] = {"派单", "签收", "反馈", "办结"};
    return k < DUE_COUNT ? labels[k] : "";
}
case_due_kind case_due_lookup(const char *name) {
    int k = 0;
    while (k < DUE_COUNT && !(name && strcmp(name, due_names[k]) == 0)) k++;
    return (case_due_kind)k;
}
const char *case_satisfaction_name(case_satisfaction s) {
    return s >= SAT_UNSATISFIED && s <= SAT_SATISFIED ? sat_names[s] : NULL;
}

static int lookup(const char *const *names, int n, const char *s, int *out) {
    for (int i = 0; i < n; i++)
        if (s && strcmp(names[i], s) == 0) {
            *out = i;
            return 0;
        }
    return -1;
}

#define PARSER(fn, type, names, count, what, list)                                        \
    int fn(const char *s, type *out, err *e) {                                            \
        int i;                                                                            \
        if (lookup(names, count, s, &i) == 0) {                                           \
            *out = (type)i;                                                               \
            return 0;                                                                     \
        }                                                                                 \
        return err_set(e, ERR_INVALID, what, "unknown " what " '%s' (want " list ")",     \
                       s ? s : "");                                                       \
    }
PARSER(case_channel_parse, case_channel, channel_names, CH_COUNT, "channel",
       "hotline, qr, petition, citymgmt, deputy, cppcc, enterprise, leader_task or open311")
PARSER(case_class_parse, case_class, class_names, CL_COUNT, "class", "urgent, general or major")
PARSER(case_status_parse, case_status, status_names, ST_COUNT, "status",
       "received, dispatched, accepted, resolved, visited or closed")
PARSER(case_satisfaction_parse, case_satisfaction, sat_names, 3, "satisfaction",
       "satisfied, basic or unsatisfied")

int case_action_parse(const char *s, case_action *out, err *e) {
    int i;
    if (lookup(action_names, ACT_COUNT, s, &i) == 0 && i != ACT_CREATE) {
        *out = (case_action)i;
        return 0;
    }
    return err_set(e, ERR_INVALID, "action",
                   "unknown action '%s' (want dispatch, merge, reject, accept, return, feedback, "
                   "request_extension, approve_extension, deny_extension, propose_plan, "
                   "approve_plan, deny_plan, resolve, visit, waive_visit, reopen, close, publish, answer"
                   ", reassign, instruct,"
                   " unreachable, close_unreachable, follow, attach, publish_attachment, urge,"
                   " request_review, uphold_review or reject_review)",
                   s ? s : "");
}

/* ---- the transition table --------------------------------------------- */

enum { NEED_UNIT = 1, NEED_NOTE = 2, NEED_UNTIL = 4, NEED_VISIT = 8, NEED_INTO = 16, NEED_FILE = 32 };
/* A row for every state, the case staying in it. */
#define ST_ANY ST_COUNT
enum { G_NONE, G_NO_PENDING, G_PENDING_EXT, G_PENDING_PLAN, G_MAJOR_NO_PENDING, G_PROVISIONAL,
       G_DISPATCHED, G_ANSWERED, G_UNREACHABLE, G_VISIT_OWED, G_REVIEWABLE, G_REVIEW_PENDING };

static const struct transition {
    case_status from;
    case_action action;
    case_status to;
    unsigned needs;
    int guard;
} transitions[] = {
    {ST_RECEIVED, ACT_DISPATCH, ST_DISPATCHED, NEED_UNIT, G_NONE},
    /* 并案: the duplicate follows the main case, then takes its result and
     * its own 回访 (the store applies ACT_FOLLOW when the main is resolved) */
    {ST_RECEIVED, ACT_MERGE, ST_MERGED, NEED_NOTE | NEED_INTO, G_NONE},
    {ST_MERGED, ACT_FOLLOW, ST_RESOLVED, NEED_NOTE | NEED_INTO, G_NONE},
    {ST_MERGED, ACT_PUBLISH, ST_MERGED, NEED_NOTE, G_NONE},
    {ST_RECEIVED, ACT_REJECT, ST_CLOSED, NEED_NOTE, G_NONE},
    {ST_DISPATCHED, ACT_ACCEPT, ST_ACCEPTED, 0, G_NONE},
    {ST_DISPATCHED, ACT_RETURN, ST_RECEIVED, NEED_NOTE, G_NONE},
    {ST_ACCEPTED, ACT_FEEDBACK, ST_ACCEPTED, NEED_NOTE, G_NONE},
    {ST_ACCEPTED, ACT_REQUEST_EXTENSION, ST_ACCEPTED, NEED_NOTE, G_NO_PENDING},
    {ST_ACCEPTED, ACT_APPROVE_EXTENSION, ST_ACCEPTED, 0, G_PENDING_EXT},
    {ST_ACCEPTED, ACT_DENY_EXTENSION, ST_ACCEPTED, NEED_NOTE, G_PENDING_EXT},
    {ST_ACCEPTED, ACT_PROPOSE_PLAN, ST_ACCEPTED, NEED_NOTE | NEED_UNTIL, G_MAJOR_NO_PENDING},
    {ST_ACCEPTED, ACT_APPROVE_PLAN, ST_ACCEPTED, 0, G_PENDING_PLAN},
    {ST_ACCEPTED, ACT_DENY_PLAN, ST_ACCEPTED, NEED_NOTE, G_PENDING_PLAN},
    /* a pending request is decided first, not dropped by the resolution */
    {ST_ACCEPTED, ACT_RESOLVE, ST_RESOLVED, NEED_NOTE, G_NO_PENDING},
    {ST_RESOLVED, ACT_VISIT, ST_VISITED, NEED_VISIT, G_NONE},
    {ST_RESOLVED, ACT_WAIVE_VISIT, ST_VISITED, NEED_NOTE, G_VISIT_OWED},
    {ST_RESOLVED, ACT_REOPEN, ST_ACCEPTED, NEED_NOTE, G_DISPATCHED},
    {ST_VISITED, ACT_CLOSE, ST_CLOSED, 0, G_NONE},
    {ST_VISITED, ACT_REOPEN, ST_ACCEPTED, NEED_NOTE, G_DISPATCHED},
    /* 直接答复: a question answered on the call (the note is the answer); the
     * usual 回访 follows. If the answer did not settle it, the case goes to a
     * unit as any other (a direct answer has no unit to reopen it). */
    {ST_RECEIVED, ACT_ANSWER, ST_RESOLVED, NEED_NOTE, G_NONE},
    /* 改派: another lead unit, which signs for it afresh; not the first unit's 退单 */
    {ST_DISPATCHED, ACT_REASSIGN, ST_DISPATCHED, NEED_UNIT | NEED_NOTE, G_NONE},
    {ST_ACCEPTED, ACT_REASSIGN, ST_DISPATCHED, NEED_UNIT | NEED_NOTE, G_NO_PENDING},
    /* 领导批示 on any case not closed (the note is the instruction) */
    {ST_RECEIVED, ACT_INSTRUCT, ST_RECEIVED, NEED_NOTE, G_NONE},
    {ST_DISPATCHED, ACT_INSTRUCT, ST_DISPATCHED, NEED_NOTE, G_NONE},
    {ST_ACCEPTED, ACT_INSTRUCT, ST_ACCEPTED, NEED_NOTE, G_NONE},
    {ST_RESOLVED, ACT_INSTRUCT, ST_RESOLVED, NEED_NOTE, G_NONE},
    {ST_VISITED, ACT_INSTRUCT, ST_VISITED, NEED_NOTE, G_NONE},
    /* 回访 联系不上: attempts are recorded; after enough on different days the
     * dispatcher closes the case unvisited */
    {ST_RESOLVED, ACT_UNREACHABLE, ST_RESOLVED, 0, G_NONE},
    {ST_RESOLVED, ACT_CLOSE_UNREACHABLE, ST_CLOSED, 0, G_UNREACHABLE},
    {ST_RESOLVED, ACT_DISPATCH, ST_DISPATCHED, NEED_UNIT, G_ANSWERED},
    {ST_VISITED, ACT_DISPATCH, ST_DISPATCHED, NEED_UNIT, G_ANSWERED},
    /* publishing (the note is the public summary) changes no state */
    {ST_RECEIVED, ACT_PUBLISH, ST_RECEIVED, NEED_NOTE, G_NONE},
    {ST_DISPATCHED, ACT_PUBLISH, ST_DISPATCHED, NEED_NOTE, G_NONE},
    {ST_ACCEPTED, ACT_PUBLISH, ST_ACCEPTED, NEED_NOTE, G_NONE},
    {ST_RESOLVED, ACT_PUBLISH, ST_RESOLVED, NEED_NOTE, G_NONE},
    {ST_VISITED, ACT_PUBLISH, ST_VISITED, NEED_NOTE, G_NONE},
    {ST_CLOSED, ACT_PUBLISH, ST_CLOSED, NEED_NOTE, G_NONE},
    /* attachments (evidence, 答复函) in any state; publishing one shows it to
     * the public on the case's public pages */
    {ST_ANY, ACT_ATTACH, ST_ANY, NEED_FILE, G_NONE},
    {ST_ANY, ACT_PUBLISH_ATTACHMENT, ST_ANY, NEED_FILE, G_NONE},
    /* 催办: while a unit has the case */
    {ST_DISPATCHED, ACT_URGE, ST_DISPATCHED, NEED_NOTE, G_NONE},
    {ST_ACCEPTED, ACT_URGE, ST_ACCEPTED, NEED_NOTE, G_NONE},
    /* 申诉复核 of an unsatisfied 回访, once per visit, before or after 销号 */
    {ST_VISITED, ACT_REQUEST_REVIEW, ST_VISITED, NEED_NOTE, G_REVIEWABLE},
    {ST_CLOSED, ACT_REQUEST_REVIEW, ST_CLOSED, NEED_NOTE, G_REVIEWABLE},
    {ST_VISITED, ACT_UPHOLD_REVIEW, ST_VISITED, NEED_NOTE, G_REVIEW_PENDING},
    {ST_CLOSED, ACT_UPHOLD_REVIEW, ST_CLOSED, NEED_NOTE, G_REVIEW_PENDING},
    {ST_VISITED, ACT_REJECT_REVIEW, ST_VISITED, NEED_NOTE, G_REVIEW_PENDING},
    {ST_CLOSED, ACT_REJECT_REVIEW, ST_CLOSED, NEED_NOTE, G_REVIEW_PENDING},
    /* a calendar import counts provisional deadlines again; no state changes */
    {ST_RECEIVED, ACT_RECOMPUTE, ST_RECEIVED, 0, G_PROVISIONAL},
    {ST_DISPATCHED, ACT_RECOMPUTE, ST_DISPATCHED, 0, G_PROVISIONAL},
    {ST_ACCEPTED, ACT_RECOMPUTE, ST_ACCEPTED, 0, G_PROVISIONAL},
};

static const struct transition *find_transition(case_status s, case_action a) {
    for (size_t i = 0; i < sizeof transitions / sizeof *transitions; i++)
        if ((transitions[i].from == s || (transitions[i].from == ST_ANY && s >= 0 && s < ST_COUNT)) &&
            transitions[i].action == a)
            return &transitions[i];
    return NULL;
}

bool case_action_allowed(case_status s, case_action a) { return find_transition(s, a) != NULL; }

/* ---- 主办 and 协办 --------------------------------------------------------- */

#define P_LEAD (1u << PART_LEAD)
#define P_ASSIST (1u << PART_ASSIST)

/* What a unit may do by its part in the case; an action not listed is no
 * unit's (the 督查室's, say). */
static const unsigned part_actions[ACT_COUNT] = {
    [ACT_ACCEPT] = P_LEAD,
    [ACT_RETURN] = P_LEAD, /* a 退单 counts against the lead: only the lead may */
    [ACT_FEEDBACK] = P_LEAD | P_ASSIST, /* an assisting unit's is its 协办意见 */
    [ACT_REQUEST_EXTENSION] = P_LEAD,
    [ACT_PROPOSE_PLAN] = P_LEAD,
    [ACT_RESOLVE] = P_LEAD,
    [ACT_ATTACH] = P_LEAD | P_ASSIST, /* evidence from either */
    [ACT_REQUEST_REVIEW] = P_LEAD, /* the visit judged the lead's work */
};

case_part case_part_of(const case_rec *c, int64_t unit_id) {
    if (unit_id && c->lead.id == unit_id) return PART_LEAD;
    for (int i = 0; unit_id && i < c->n_assist; i++)
        if (c->assist[i].id == unit_id) return PART_ASSIST;
    return PART_NONE;
}

const char *case_part_name(case_part p) {
    return p == PART_LEAD ? "lead" : p == PART_ASSIST ? "assist" : "none";
}

int case_part_allows(case_part p, case_action a, err *e) {
    if (a < ACT_COUNT && (part_actions[a] & (1u << p))) return 0;
    if (p == PART_ASSIST)
        return err_set(e, ERR_FORBIDDEN, "action",
                       "an assisting unit (协办) may only add its opinion (feedback) and"
                       " attachments; '%s' is the lead unit's (主办)", case_action_name(a));
    if (p == PART_LEAD)
        return err_set(e, ERR_FORBIDDEN, "action", "'%s' is not a unit's action",
                       case_action_name(a));
    return err_set(e, ERR_FORBIDDEN, "action", "this unit has no part in the case");
}

static int check_guard(const case_rec *c, const struct transition *t, int env_attempts, bool replaying, err *e) {
    const char *act = case_action_name(t->action);
    switch (t->guard) {
    case G_MAJOR_NO_PENDING:
        if (c->klass != CL_MAJOR)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' is only for major cases; this case is '%s'", act,
                           case_class_name(c->klass));
        /* fall through */
    case G_NO_PENDING:
        if (c->pending != PENDING_NONE) {
            char until[11];
            dt_format_date(c->pending_until, until);
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: a %s request (until %s) is pending; approve or"
                           " deny it first", act, c->pending == PENDING_PLAN ? "plan" : "extension",
                           until);
        }
        return 0;
    case G_PENDING_EXT:
        if (c->pending != PENDING_EXTENSION)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: no extension request is pending", act);
        return 0;
    case G_PENDING_PLAN:
        if (c->pending != PENDING_PLAN)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: no plan is pending", act);
        return 0;
    case G_DISPATCHED:
        if (c->merged_into)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: the case was merged (并案) into case %lld and"
                           " follows it; act on that one", act, (long long)c->merged_into);
        if (case_answered_directly(c))
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: the case was answered directly (直接答复) and has"
                           " no unit to take it back; dispatch it to one instead", act);
        return 0;
    case G_ANSWERED:
        if (c->merged_into)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: the case was merged (并案) into case %lld and"
                           " follows it; act on that one", act, (long long)c->merged_into);
        if (!case_answered_directly(c))
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: the case is handled by a unit; reopen it instead", act);
        return 0;
    case G_UNREACHABLE: {
        int need = env_attempts;
        if (c->unreachable_days < need)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: %d visit attempt(s) on different days reached"
                           " nobody; %d are needed", act, c->unreachable_days, need);
        return 0;
    }
    case G_VISIT_OWED: /* 码上评: whoever left a phone is called back */
        if (c->channel == CH_QR && c->requester_phone && c->requester_phone[0])
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: a 码上评 case whose evaluator left a phone number"
                           " must be visited (回访)", act);
        return 0;
    case G_REVIEWABLE:
        if (c->satisfaction != SAT_UNSATISFIED || !c->visited_at)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: only an unsatisfied 回访 may be contested", act);
        if (c->review != REVIEW_NONE)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: this 回访 has been contested already (%s)", act,
                           case_review_name(c->review));
        return 0;
    case G_REVIEW_PENDING:
        if (c->review != REVIEW_PENDING)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: no 申诉复核 is waiting for a decision", act);
        return 0;
    case G_PROVISIONAL: /* (a replay's calendar is today's, which may know those days now) */
        if (!case_provisional_pending(c) && !replaying)
            return err_set(e, ERR_CONFLICT, "action",
                           "action '%s' refused: the case has no provisional deadline", act);
        return 0;
    default:
        return 0;
    }
}

bool case_action_possible(const case_rec *c, case_action a, int64_t unit_id, const case_env *env) {
    const struct transition *t = find_transition(c->status, a);
    if (!t) return false;
    if (unit_id && case_part_allows(case_part_of(c, unit_id), a, NULL)) return false;
    return check_guard(c, t, env->unreachable_attempts > 0 ? env->unreachable_attempts : 3, false, NULL) == 0;
}

static int check_needs(const case_rec *c, const struct transition *t, const case_req *r, err *e) {
    const char *act = case_action_name(t->action);
    if ((t->needs & NEED_UNIT) && r->lead.id == 0)
        return err_set(e, ERR_INVALID, "unit", "action '%s' needs a lead unit (unit)", act);
    if ((t->needs & NEED_NOTE) && text_blank(r->note))
        return err_set(e, ERR_INVALID, "note", "action '%s' needs a note that is not blank", act);
    if (t->action == ACT_RESOLVE && (!r->note || text_len(r->note) < CASE_RESULT_MIN))
        return err_set(e, ERR_INVALID, "note",
                       "the result of 'resolve' must say what was done (at least %d characters)",
                       CASE_RESULT_MIN);
    if ((t->needs & NEED_UNTIL) && r->until == INT32_MIN)
        return err_set(e, ERR_INVALID, "until", "action '%s' needs a date (until)", act);
    if (t->needs & NEED_VISIT) {
        if (r->satisfaction == SAT_NONE)
            return err_set(e, ERR_INVALID, "satisfaction",
                           "action '%s' needs satisfaction: satisfied, basic or unsatisfied", act);
        if (r->solved < 0)
            return err_set(e, ERR_INVALID, "solved", "action '%s' needs solved: whether it was solved", act);
    }
    if (r->note && strlen(r->note) > 8192)
        return err_set(e, ERR_INVALID, "note", "note is %zu bytes; the limit is 8192",
                       strlen(r->note));
    if ((t->needs & NEED_INTO) && (r->into <= 0 || r->into == c->id))
        return err_set(e, ERR_INVALID, "into",
                       "action '%s' needs the main case (into), another case than this one", act);
    if (r->into && !(t->needs & NEED_INTO))
        return err_set(e, ERR_INVALID, "into", "only 'merge' takes a main case (into)");
    if ((t->needs & NEED_FILE) && (!r->file || r->file->id <= 0))
        return err_set(e, ERR_INVALID, "attachment", "action '%s' needs an attachment", act);
    if (t->action == ACT_ATTACH && (!r->file->name || !r->file->mime || r->file->size <= 0))
        return err_set(e, ERR_INVALID, "attachment", "an attachment needs a name, a type and bytes");
    if (r->file && !(t->needs & NEED_FILE))
        return err_set(e, ERR_INVALID, "attachment", "only 'attach' and 'publish_attachment' take one");
    if (r->kb_id && t->action != ACT_ANSWER)
        return err_set(e, ERR_INVALID, "kb", "only 'answer' takes a 知识库 entry (kb)");
    if (r->reply && t->action != ACT_PUBLISH)
        return err_set(e, ERR_INVALID, "reply", "only 'publish' takes a public reply");
    if (r->reply && strlen(r->reply) > 8192)
        return err_set(e, ERR_INVALID, "reply", "reply is %zu bytes; the limit is 8192",
                       strlen(r->reply));
    (void)c;
    return 0;
}

void case_req_init(case_req *r, case_action a, int64_t at, const char *actor) {
    memset(r, 0, sizeof *r);
    r->action = a;
    r->at = at;
    r->actor = actor;
    r->until = INT32_MIN;
    r->satisfaction = SAT_NONE;
    r->solved = -1;
}

/* ---- effects ----------------------------------------------------------- */

static int64_t due_for(const case_env *env, const case_rec *c, pol_stage s, int64_t start) {
    return pol_due(env->pol, env->cal, env->tz, c->channel, c->klass, s, start);
}

/* The stage whose rule sets each deadline. */
static const pol_stage due_stage[DUE_COUNT] = {
    [DUE_DISPATCH] = POL_DISPATCH, [DUE_ACCEPT] = POL_ACCEPT,
    [DUE_FEEDBACK] = POL_FEEDBACK, [DUE_RESOLVE] = POL_RESOLVE,
};

/* Counts deadline k from start by the policy, and says whether the count
 * went over days the loaded calendar does not cover (an hour rule never
 * does). Its alert levels start again. */
static void set_due(case_rec *n, const case_env *env, case_due_kind k, int64_t start) {
    pol_stage s = due_stage[k];
    const pol_rule *r = &env->pol->r[n->channel][n->klass][s];
    const case_recorded *rec = env->recorded;
    int64_t d = rec && rec->due[k] ? rec->due[k] : due_for(env, n, s, start);
    bool guess = d && r->unit != CAL_HOUR &&
                 !cal_knows(env->cal, dt_local_day(start, env->tz), dt_local_day(d - 1, env->tz));
    n->due[k] = d;
    n->due_from[k] = start;
    n->provisional = guess ? n->provisional | 1u << k : n->provisional & ~(1u << k);
    n->alerted &= ~CASE_ALERT_KIND(k);
}

/* A deadline set to a date a person chose (an approved extension or plan). */
static void set_due_fixed(case_rec *n, const case_env *env, case_due_kind k, int64_t due) {
    n->due[k] = env->recorded && env->recorded->due[k] ? env->recorded->due[k] : due;
    n->due_from[k] = 0;
    n->provisional &= ~(1u << k);
    n->alerted &= ~CASE_ALERT_KIND(k);
}

static void put_due(json_t *o, const char *k, int64_t t, int tz) {
    json_object_set_new(o, k, case_due_json(t, tz));
}

static void put_day(json_t *o, const char *k, int32_t day) {
    char buf[11];
    dt_format_date(day, buf);
    json_object_set_new(o, k, json_string(buf));
}

/* The last day of a deadline instant (24:00 belongs to the day before). */
static int32_t last_day(int64_t due, int tz) { return dt_local_day(due - 1, tz); }

static int set_until(case_rec *n, const case_req *r, const case_env *env, json_t *pl, err *e) {
    int32_t until = r->until;
    int32_t current = last_day(n->due[DUE_RESOLVE], env->tz);
    if (until == INT32_MIN) {
        int64_t d = due_for(env, n, POL_EXTENSION, n->due[DUE_RESOLVE] - 1);
        if (d == 0)
            return err_set(e, ERR_INVALID, "until",
                           "action '%s' needs a date (until): %s/%s has no default extension",
                           case_action_name(r->action), case_channel_name(n->channel),
                           case_class_name(n->klass));
        until = last_day(d, env->tz);
    }
    if (until <= current) {
        char a[11], b[11];
        dt_format_date(until, a);
        dt_format_date(current, b);
        return err_set(e, ERR_INVALID, "until",
                       "until %s must be later than the current deadline's last day %s", a, b);
    }
    if (CASE_PROPOSAL(n->channel) && n->dispatched_at) { /* 3 months from 交办, at most 6 */
        int y, m, d;
        dt_civil_from_days(dt_local_day(n->dispatched_at, env->tz), &y, &m, &d);
        int mm = y * 12 + (m - 1) + CASE_PROPOSAL_MAX_MONTHS, dim = dt_days_in_month(mm / 12, mm % 12 + 1);
        int32_t cap = dt_days_from_civil(mm / 12, mm % 12 + 1, d < dim ? d : dim);
        if (until > cap) {
            char a[11], b[11];
            dt_format_date(until, a);
            dt_format_date(cap, b);
            return err_set(e, ERR_INVALID, "until",
                           "until %s is past %s: a 人大代表建议 or 政协提案 is answered within %d months of 交办",
                           a, b, CASE_PROPOSAL_MAX_MONTHS);
        }
    }
    int32_t asked = dt_local_day(r->at, env->tz),
            max = env->recorded ? INT32_MAX / 2 : env->max_extension_days ? env->max_extension_days : 365;
    if (until > asked + max) {
        char a[11];
        dt_format_date(until, a);
        return err_set(e, ERR_INVALID, "until", "until %s is more than %d days after the request", a, max);
    }
    n->pending_until = until;
    put_day(pl, "until", until);
    return 0;
}

static json_t *unit_json(const unit_ref *u) {
    return json_pack("{s:s, s:s}", "code", u->code, "name", u->name);
}

/* The lead and assisting units of a dispatch or a reassignment, into n and
 * the event's payload. */
static int set_units(case_rec *n, const case_req *r, json_t *pl, err *e) {
    json_t *assist = json_array();
    json_object_set_new(pl, "unit", unit_json(&r->lead));
    json_object_set_new(pl, "assist", assist);
    for (int i = 0; i < r->n_assist; i++) {
        if (r->assist[i].id == r->lead.id)
            return err_set(e, ERR_INVALID, "assist", "unit '%s' cannot both lead and assist",
                           r->lead.code);
        for (int j = 0; j < i; j++)
            if (r->assist[j].id == r->assist[i].id)
                return err_set(e, ERR_INVALID, "assist", "assisting unit '%s' given twice",
                               r->assist[i].code);
        n->assist[i] = r->assist[i];
        json_array_append_new(assist, unit_json(&r->assist[i]));
    }
    n->n_assist = r->n_assist;
    n->lead = r->lead;
    return 0;
}

static int apply_effects(case_rec *n, const case_req *r, const case_env *env, json_t *pl,
                         err *e) {
    int64_t at = r->at;
    int tz = env->tz;
    switch (r->action) {
    case ACT_DISPATCH: {
        if (n->resolved_at) { /* after a direct answer that did not settle it */
            json_object_set_new(pl, "after_answer", json_true());
            n->resolved_at = n->visited_at = 0;
            n->satisfaction = SAT_NONE;
            n->solved = -1;
            n->visit_waived = false;
        }
        int rc = set_units(n, r, pl, e);
        if (rc) return rc;
        n->dispatched_at = at;
        set_due(n, env, DUE_ACCEPT, at);
        set_due(n, env, DUE_FEEDBACK, at);
        set_due(n, env, DUE_RESOLVE, at);
        if (r->until != INT32_MIN) { /* a 领导交办 task or milestone: its own day, not 7 days */
            if (n->channel != CH_LEADER_TASK)
                return err_set(e, ERR_INVALID, "until", "only a 领导交办 (leader_task) case is dispatched with"
                               " its own day (until)");
            if (r->until < dt_local_day(at, tz))
                return err_set(e, ERR_INVALID, "until", "the day (until) cannot be in the past");
            set_due_fixed(n, env, DUE_RESOLVE, dt_day_start(r->until + 1, tz));
            put_day(pl, "until", r->until); /* a day someone chose, not the policy's: a replay needs to know */
        }
        put_due(pl, "accept_due", n->due[DUE_ACCEPT], tz);
        put_due(pl, "feedback_due", n->due[DUE_FEEDBACK], tz);
        put_due(pl, "resolve_due", n->due[DUE_RESOLVE], tz);
        break;
    }
    case ACT_MERGE: {
        n->merged_into = r->into;
        json_t *main = json_pack("{s:I}", "id", (json_int_t)r->into);
        if (r->into_no) json_object_set_new(main, "case_no", json_string(r->into_no));
        json_object_set_new(pl, "into", main);
        break;
    }
    case ACT_FOLLOW:
        n->resolved_at = at;
        json_object_set_new(pl, "main", json_integer(r->into));
        break;
    case ACT_REJECT:
        n->closed_at = at;
        break;
    case ACT_ATTACH: {
        char hex[65];
        for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", r->file->sha256[i]);
        json_object_set_new(pl, "attachment",
                            json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)r->file->id,
                                      "name", r->file->name, "mime", r->file->mime, "size",
                                      (json_int_t)r->file->size, "sha256", hex));
        break;
    }
    case ACT_PUBLISH_ATTACHMENT:
        json_object_set_new(pl, "attachment", json_integer(r->file->id));
        json_object_set_new(pl, "published", json_boolean(r->file->published));
        break;
    case ACT_ACCEPT:
        n->accepted_at = at;
        break;
    case ACT_RETURN:
        json_object_set_new(pl, "unit", unit_json(&n->lead));
        n->return_count++;
        memset(&n->lead, 0, sizeof n->lead);
        memset(n->assist, 0, sizeof n->assist);
        n->n_assist = 0;
        n->dispatched_at = 0;
        n->due[DUE_ACCEPT] = n->due[DUE_FEEDBACK] = n->due[DUE_RESOLVE] = 0;
        n->alerted = 0;
        set_due(n, env, DUE_DISPATCH, at);
        put_due(pl, "dispatch_due", n->due[DUE_DISPATCH], tz);
        break;
    case ACT_FEEDBACK:
        if (r->unit_id && r->unit_id != n->lead.id) { /* 协办意见: marked, not the lead's 反馈 */
            for (int i = 0; i < n->n_assist; i++)
                if (n->assist[i].id == r->unit_id) json_object_set_new(pl, "assist_unit", unit_json(&n->assist[i]));
            break;
        }
        if (!n->first_feedback_at) n->first_feedback_at = at;
        break;
    case ACT_REQUEST_EXTENSION:
    case ACT_PROPOSE_PLAN: {
        int rc = set_until(n, r, env, pl, e);
        if (rc) return rc;
        n->pending = r->action == ACT_PROPOSE_PLAN ? PENDING_PLAN : PENDING_EXTENSION;
        break;
    }
    case ACT_APPROVE_EXTENSION:
    case ACT_APPROVE_PLAN:
        set_due_fixed(n, env, DUE_RESOLVE, dt_day_start(n->pending_until + 1, tz));
        if (r->action == ACT_APPROVE_PLAN)
            n->plan_count++;
        else
            n->extension_count++;
        n->pending = PENDING_NONE;
        n->pending_until = 0;
        put_due(pl, "resolve_due", n->due[DUE_RESOLVE], tz);
        break;
    case ACT_DENY_EXTENSION:
    case ACT_DENY_PLAN:
        n->pending = PENDING_NONE;
        n->pending_until = 0;
        break;
    case ACT_ANSWER:
        n->resolved_at = at;
        if (r->kb_id) json_object_set_new(pl, "kb", json_integer(r->kb_id));
        break;
    case ACT_UNREACHABLE: { /* attempts count once a day */
        int32_t day = dt_local_day(at, tz);
        if (day != n->unreachable_day) n->unreachable_days++;
        n->unreachable_day = day;
        json_object_set_new(pl, "days", json_integer(n->unreachable_days));
        break;
    }
    case ACT_CLOSE_UNREACHABLE:
        n->closed_at = at;
        n->closed_unreachable = true;
        json_object_set_new(pl, "days", json_integer(n->unreachable_days));
        break;
    case ACT_INSTRUCT: /* with an earlier resolution day, if the case is held to one */
        n->instructed_at = at;
        if (r->until != INT32_MIN) {
            int64_t d = dt_day_start(r->until + 1, tz);
            if (!case_pending_due(n, DUE_RESOLVE))
                return err_set(e, ERR_INVALID, "until",
                               "the case is held to no resolution deadline a 批示 could bring forward");
            if (d >= n->due[DUE_RESOLVE] || r->until < dt_local_day(at, tz))
                return err_set(e, ERR_INVALID, "until",
                               "a 批示 may bring the deadline forward, to a day from today on"
                               " before the current one");
            set_due_fixed(n, env, DUE_RESOLVE, d);
            put_due(pl, "resolve_due", n->due[DUE_RESOLVE], tz);
        }
        break;
    case ACT_REASSIGN: { /* a fresh 签收 and 反馈 for the new unit; 办结 stays unless set */
        if (r->lead.id == n->lead.id)
            return err_set(e, ERR_INVALID, "unit", "the case is already with '%s'", r->lead.code);
        json_object_set_new(pl, "from_unit", unit_json(&n->lead));
        int rc = set_units(n, r, pl, e);
        if (rc) return rc;
        n->dispatched_at = at;
        n->accepted_at = n->first_feedback_at = 0;
        set_due(n, env, DUE_ACCEPT, at);
        set_due(n, env, DUE_FEEDBACK, at);
        put_due(pl, "accept_due", n->due[DUE_ACCEPT], tz);
        put_due(pl, "feedback_due", n->due[DUE_FEEDBACK], tz);
        if (r->until != INT32_MIN) {
            if (r->until < dt_local_day(at, tz))
                return err_set(e, ERR_INVALID, "until", "a new resolution day cannot be in the past");
            set_due_fixed(n, env, DUE_RESOLVE, dt_day_start(r->until + 1, tz));
            put_due(pl, "resolve_due", n->due[DUE_RESOLVE], tz);
        }
        break;
    }
    case ACT_RESOLVE:
        n->resolved_at = at;
        if (!n->first_feedback_at) n->first_feedback_at = at;
        n->pending = PENDING_NONE;
        n->pending_until = 0;
        if (CASE_PROPOSAL(n->channel)) { /* the written answer: its class, and a B/C's date */
            n->answer = r->answer;
            n->promise_day = CASE_PROMISES(r->answer) ? r->until : 0;
            json_object_set_new(pl, "answer", json_string(case_answer_name(n->answer)));
            if (n->promise_day) put_day(pl, "promised", n->promise_day);
        }
        break;
    case ACT_VISIT:
        n->visited_at = at;
        n->review = REVIEW_NONE; /* a new visit, a new judgement */
        n->review_at = 0;
        n->satisfaction = r->satisfaction;
        n->solved = r->solved;
        json_object_set_new(pl, "satisfaction",
                            json_string(case_satisfaction_name(r->satisfaction)));
        json_object_set_new(pl, "solved", json_boolean(r->solved));
        break;
    case ACT_WAIVE_VISIT:
        n->visit_waived = true;
        break;
    case ACT_REQUEST_REVIEW: /* the reasons are the note */
    case ACT_UPHOLD_REVIEW:
    case ACT_REJECT_REVIEW:
        n->review = r->action == ACT_REQUEST_REVIEW ? REVIEW_PENDING
                    : r->action == ACT_UPHOLD_REVIEW ? REVIEW_UPHELD
                                                     : REVIEW_REJECTED;
        n->review_at = at;
        json_object_set_new(pl, "review", json_string(case_review_name(n->review)));
        break;
    case ACT_REOPEN:
        n->reopen_count++;
        n->review = REVIEW_NONE; /* the visit it answered is gone */
        n->review_at = 0;
        n->resolved_at = n->visited_at = 0;
        n->satisfaction = SAT_NONE;
        n->solved = -1;
        n->visit_waived = false;
        n->answer = ANS_NONE;
        n->promise_day = 0;
        if (CASE_PROPOSAL(n->channel)) /* answered again within the configured period */
            set_due_fixed(n, env, DUE_RESOLVE,
                          dt_day_start(dt_local_day(at, tz) +
                                           (env->proposal_redo_days > 0 ? env->proposal_redo_days : 30) + 1,
                                       tz));
        else
            set_due(n, env, DUE_RESOLVE, at);
        put_due(pl, "resolve_due", n->due[DUE_RESOLVE], tz);
        break;
    case ACT_CLOSE:
        n->closed_at = at;
        break;
    case ACT_PUBLISH:
        if (r->reply && r->reply[0]) json_object_set_new(pl, "reply", json_string(r->reply));
        break;
    case ACT_URGE: /* the note (what it asks) is the event's text; the units it went to: */
        json_object_set_new(pl, "unit", unit_json(&n->lead));
        break;
    case ACT_RECOMPUTE: { /* each pending provisional deadline, from where it was counted */
        static const char *const keys[DUE_COUNT] = {"dispatch_due", "accept_due",
                                                    "feedback_due", "resolve_due"};
        json_t *was = json_object(), *still = json_array();
        const case_recorded *rec = env->recorded;
        unsigned bits = case_provisional_pending(n);
        for (int k = 0; rec && k < DUE_COUNT; k++) /* replayed: the ones it recounted */
            bits = rec->due[k] ? bits | 1u << k : bits & ~(1u << k);
        for (int k = 0; k < DUE_COUNT; k++) {
            if (!(bits & 1u << k)) continue;
            json_object_set_new(was, keys[k], case_due_json(n->due[k], tz));
            int64_t old_due = n->due[k], old_alerted = n->alerted;
            set_due(n, env, (case_due_kind)k, n->due_from[k]);
            if (rec) /* as it found them then, not as today's calendar would */
                n->provisional = (n->provisional & ~(1u << k)) | (rec->provisional & 1u << k);
            if (n->due[k] == old_due) /* the same day: the levels raised stand */
                n->alerted = (uint32_t)old_alerted;
            put_due(pl, keys[k], n->due[k], tz);
            if (n->provisional & 1u << k) json_array_append_new(still, json_string(keys[k]));
        }
        json_object_set_new(pl, "was", was);
        json_object_set_new(pl, "provisional", still);
        break;
    }
    default:
        return err_set(e, ERR_INVALID, "action", "action '%s' cannot be applied",
                       case_action_name(r->action));
    }
    return 0;
}

/* What people type, kept apart from the payload (case_event.text). */
static const char *const free_text_fields[] = {"title", "note", "reply"};

static int fill_event(case_event *ev, const case_rec *c, case_action a, const char *actor,
                      int64_t at, case_status from, json_t *payload, err *e) {
    json_t *text = json_object();
    for (size_t i = 0; i < sizeof free_text_fields / sizeof *free_text_fields; i++) {
        json_t *v = json_object_get(payload, free_text_fields[i]);
        if (!v) continue;
        json_object_set(text, free_text_fields[i], v);
        json_object_del(payload, free_text_fields[i]);
    }
    memset(ev, 0, sizeof *ev);
    ev->scheme = AUDIT_SCHEME_TEXT_DIGEST;
    ev->text = json_object_size(text) ? json_dumps(text, JSON_COMPACT) : NULL;
    bool nomem = json_object_size(text) && !ev->text;
    json_decref(text);
    if (nomem) return err_set(e, ERR_NOMEM, "", "out of memory");
    ev->case_id = c->id;
    ev->seq = c->event_count;
    snprintf(ev->actor, sizeof ev->actor, "%s", actor && actor[0] ? actor : "system");
    ev->at = at;
    ev->action = a;
    ev->from = from;
    ev->to = c->status;
    /* jansson keeps insertion order and payloads are built in a fixed order,
     * so the text (and its hash) is deterministic without sorting keys. */
    ev->payload = json_dumps(payload, JSON_COMPACT);
    if (!ev->payload) {
        free(ev->text);
        ev->text = NULL;
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    return 0;
}

/* 人大代表建议 and 政协提案: the answer's class, the date a B or C answer
 * promises, and no 销号 before that date has passed (docs/rules.md). */
static int check_proposal(const case_rec *c, const case_req *r, const case_env *env, err *e) {
    int32_t today = dt_local_day(r->at, env->tz);
    bool resolving = r->action == ACT_RESOLVE && CASE_PROPOSAL(c->channel);
    if (r->answer != ANS_NONE && !resolving)
        return err_set(e, ERR_INVALID, "answer",
                       "only 'resolve' of a 人大代表建议 or 政协提案 takes an answer class (answer)");
    if (resolving) {
        if (r->answer == ANS_NONE)
            return err_set(e, ERR_INVALID, "answer",
                           "the answer to a 人大代表建议 or 政协提案 needs its class (answer): A 已解决, B 正在解决,"
                           " C 列入计划逐步解决 or D 留作参考");
        if (CASE_PROMISES(r->answer) && r->until == INT32_MIN)
            return err_set(e, ERR_INVALID, "until", "a %s answer promises a date by which it is done (until)",
                           case_answer_name(r->answer));
        if (CASE_PROMISES(r->answer) && r->until <= today)
            return err_set(e, ERR_INVALID, "until", "the date a %s answer promises must be after today",
                           case_answer_name(r->answer));
        if (!CASE_PROMISES(r->answer) && r->until != INT32_MIN)
            return err_set(e, ERR_INVALID, "until", "only a B or C answer promises a date (until)");
    }
    if (r->action == ACT_CLOSE && CASE_PROMISES(c->answer)) {
        char day[11];
        dt_format_date(c->promise_day, day);
        if (today <= c->promise_day)
            return err_set(e, ERR_CONFLICT, "action",
                           "the answer (%s) promised %s: the case stays open until that day has passed and"
                           " the promise is checked", case_answer_name(c->answer), day);
        if (text_blank(r->note))
            return err_set(e, ERR_INVALID, "note",
                           "closing a %s answer needs a note: what was checked of the promise due %s",
                           case_answer_name(c->answer), day);
    }
    return 0;
}

int case_apply(case_rec *c, const case_req *r, const case_env *env, case_event *ev, err *e) {
    const struct transition *t = find_transition(c->status, r->action);
    if (!t)
        return err_set(e, ERR_CONFLICT, "action",
                       "action '%s' is not allowed in state '%s' (%s)",
                       case_action_name(r->action), case_status_name(c->status),
                       case_status_label(c->status));
    case_req clocked;
    if (r->at < c->updated_at && !r->at_given) { /* time never runs backwards in a case */
        clocked = *r;
        clocked.at = c->updated_at;
        r = &clocked;
    }
    if (r->at < c->updated_at) {
        char a[32], b[32];
        dt_format_instant(r->at, env->tz, a);
        dt_format_instant(c->updated_at, env->tz, b);
        return err_set(e, ERR_INVALID, "at", "time %s is before the case's last event at %s", a,
                       b);
    }
    case_part part = case_part_of(c, r->unit_id);
    int rc = r->unit_id ? case_part_allows(part, r->action, e) : 0;
    if (!rc) rc = check_guard(c, t, env->recorded ? 1 : env->unreachable_attempts > 0 ? env->unreachable_attempts : 3,
                              env->recorded != NULL, e);
    if (!rc) rc = check_needs(c, t, r, e);
    if (!rc) rc = check_proposal(c, r, env, e);
    if (rc) return rc;

    case_rec n = *c;
    json_t *pl = json_object();
    char *result = NULL, *summary = NULL, *reply = NULL;
    if (r->note && r->note[0]) json_object_set_new(pl, "note", json_string(r->note));
    if ((rc = apply_effects(&n, r, env, pl, e))) goto out;
    if (r->action == ACT_RESOLVE || r->action == ACT_FOLLOW || r->action == ACT_REJECT ||
        r->action == ACT_ANSWER) {
        if (!(result = strdup(r->note))) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
            goto out;
        }
        n.result = result;
    } else if (r->action == ACT_REOPEN || (r->action == ACT_DISPATCH && c->resolved_at)) {
        n.result = NULL;
    } else if (r->action == ACT_PUBLISH) {
        if (!(summary = strdup(r->note)) ||
            (r->reply && r->reply[0] && !(reply = strdup(r->reply)))) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
            goto out;
        }
        n.public_summary = summary;
        n.public_reply = reply;
    }
    n.status = t->to == ST_ANY ? c->status : t->to;
    n.updated_at = r->at;
    n.event_count++;
    if ((rc = fill_event(ev, &n, r->action, r->actor, r->at, c->status, pl, e))) goto out;
    if (n.result != c->result) free(c->result);
    if (n.public_summary != c->public_summary) free(c->public_summary);
    if (n.public_reply != c->public_reply) free(c->public_reply);
    *c = n;
    result = summary = reply = NULL;
out:
    free(result);
    free(summary);
    free(reply);
    json_decref(pl);
    return rc;
}

static int check_text(const char *s, const char *field, size_t max, bool required, err *e) {
    if (required && (!s || !s[0])) return err_set(e, ERR_INVALID, field, "%s is required", field);
    if (s && strlen(s) > max)
        return err_set(e, ERR_INVALID, field, "%s is %zu bytes; the limit is %zu", field,
                       strlen(s), max);
    return 0;
}

int case_check_received(int64_t received_at, int64_t now, err *e) {
    if (received_at < 946684800 - 8 * 3600) /* 2000-01-01 in China */
        return err_set(e, ERR_INVALID, "received_at", "received_at is before 2000");
    if (received_at > now + 86400)
        return err_set(e, ERR_INVALID, "received_at", "received_at is more than a day in the future");
    return 0;
}

int case_check_intake(const case_rec *c, err *e) {
    int rc;
    if ((rc = check_text(c->title, "title", 512, true, e)) ||
        (rc = check_text(c->description, "description", 16384, false, e)) ||
        (rc = check_text(c->requester_name, "requester_name", 64, false, e)) ||
        (rc = check_text(c->requester_phone, "requester_phone", 32, false, e)))
        return rc;
    for (const char *p = c->requester_phone; p && *p; p++)
        if (!strchr("0123456789+- ", *p))
            return err_set(e, ERR_INVALID, "requester_phone",
                           "requester phone may hold only digits, '+', '-' and spaces");
    if (c->channel >= CH_COUNT || c->klass >= CL_COUNT)
        return err_set(e, ERR_INVALID, "channel", "bad channel or class");
    if (c->appeal >= AP_COUNT) return err_set(e, ERR_INVALID, "appeal_type", "bad appeal_type");
    return 0;
}

int case_create(case_rec *c, const case_env *env, const char *actor, case_event *ev, err *e) {
    int rc = case_check_intake(c, e);
    if (rc) return rc;
    c->status = ST_RECEIVED;
    c->updated_at = c->received_at;
    c->satisfaction = SAT_NONE;
    c->solved = -1;
    set_due(c, env, DUE_DISPATCH, c->received_at);
    c->event_count = 1;
    json_t *pl = json_pack("{s:s, s:s, s:s, s:s}", "case_no", c->case_no, "channel",
                           case_channel_name(c->channel), "class", case_class_name(c->klass),
                           "title", c->title);
    if (c->appeal != AP_NONE)
        json_object_set_new(pl, "appeal_type", json_string(case_appeal_name(c->appeal)));
    put_due(pl, "dispatch_due", c->due[DUE_DISPATCH], env->tz);
    rc = fill_event(ev, c, ACT_CREATE, actor, c->received_at, ST_NONE, pl, e);
    json_decref(pl);
    return rc;
}

int64_t case_pending_due(const case_rec *c, case_due_kind k) {
    bool working = c->status == ST_DISPATCHED || c->status == ST_ACCEPTED;
    switch (k) {
    case DUE_DISPATCH: return c->status == ST_RECEIVED ? c->due[k] : 0;
    case DUE_ACCEPT: return c->status == ST_DISPATCHED ? c->due[k] : 0;
    case DUE_FEEDBACK: return working && !c->first_feedback_at ? c->due[k] : 0;
    case DUE_RESOLVE: return working ? c->due[k] : 0;
    default: return 0;
    }
}

bool case_confidential_default(case_channel ch) { return ch == CH_PETITION; }

bool case_answered_directly(const case_rec *c) {
    return c->resolved_at && !c->dispatched_at && !c->merged_into;
}

int64_t case_next_due(const case_rec *c, case_due_kind *kind) {
    int64_t best = 0;
    *kind = DUE_COUNT;
    for (int k = 0; k < DUE_COUNT; k++) {
        int64_t d = case_pending_due(c, (case_due_kind)k);
        if (d && (!best || d < best)) best = d, *kind = (case_due_kind)k;
    }
    return best;
}

unsigned case_provisional_pending(const case_rec *c) {
    unsigned bits = 0;
    for (int k = 0; k < DUE_COUNT; k++)
        if ((c->provisional & 1u << k) && case_pending_due(c, (case_due_kind)k)) bits |= 1u << k;
    return bits;
}

bool case_overdue(const case_rec *c, int64_t now) {
    case_due_kind k;
    int64_t d = case_next_due(c, &k);
    return d && d <= now;
}

void case_rec_clear(case_rec *c) {
    free(c->title);
    free(c->description);
    free(c->requester_name);
    free(c->requester_phone);
    free(c->result);
    free(c->public_summary);
    free(c->public_reply);
    memset(c, 0, sizeof *c);
}

void case_event_clear(case_event *ev) {
    free(ev->payload);
    free(ev->text);
    memset(ev, 0, sizeof *ev);
}
