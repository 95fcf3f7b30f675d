/* case: the case record and the 13710 state machine. Pure: no I/O, no clock;
 * the caller passes the time, the calendar and the deadline policy in. The
 * transition table (case.c) is the single place that says which action is
 * legal in which state and what it needs. */
#ifndef DUBAN_CASE_H
#define DUBAN_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

typedef enum {
    CH_HOTLINE, CH_QR, CH_PETITION, CH_CITYMGMT, CH_DEPUTY, CH_CPPCC, CH_ENTERPRISE,
    CH_LEADER_TASK, CH_OPEN311, CH_COUNT
} case_channel;

typedef enum { CL_URGENT, CL_GENERAL, CL_MAJOR, CL_COUNT } case_class;

/* 诉求类型: what the person asks for (咨询 求助 投诉 举报 建议 表扬). AP_NONE:
 * not classified (cases from before schema 12, or not given at intake). */
typedef enum {
    AP_NONE, AP_CONSULT, AP_HELP, AP_COMPLAINT, AP_REPORT, AP_SUGGESTION, AP_PRAISE, AP_COUNT
} case_appeal;

/* ST_MERGED: 已并案, a duplicate that follows its main case (merged_into)
 * until that is resolved; then it is resolved with its result and visited
 * on its own. */
typedef enum {
    ST_RECEIVED, ST_DISPATCHED, ST_ACCEPTED, ST_RESOLVED, ST_VISITED, ST_CLOSED, ST_MERGED,
    ST_COUNT,
    ST_NONE = -1 /* before creation */
} case_status;

typedef enum {
    ACT_CREATE, ACT_DISPATCH, ACT_MERGE, ACT_REJECT, ACT_ACCEPT, ACT_RETURN, ACT_FEEDBACK,
    ACT_REQUEST_EXTENSION, ACT_APPROVE_EXTENSION, ACT_DENY_EXTENSION, ACT_PROPOSE_PLAN,
    ACT_APPROVE_PLAN, ACT_DENY_PLAN, ACT_RESOLVE, ACT_VISIT, ACT_WAIVE_VISIT, ACT_REOPEN,
    ACT_CLOSE,
    ACT_PUBLISH, /* 公开: a public summary (and reply) written to be read by anyone */
    ACT_RECOMPUTE, /* the system's: provisional deadlines counted again (calendar import) */
    ACT_ANSWER, /* 直接答复: the 12345 centre answers at intake; received -> resolved */
    ACT_REASSIGN, /* 改派: the dispatcher moves the case to another lead unit (not a 退单) */
    ACT_INSTRUCT, /* 领导批示: a leader's instruction, optionally with an earlier deadline */
    ACT_UNREACHABLE, /* 回访 联系不上: a visit attempt that reached nobody */
    ACT_CLOSE_UNREACHABLE, /* closed after enough such attempts on different days */
    ACT_FOLLOW, /* the system's: a merged case takes its main case's result */
    ACT_ATTACH, /* a photo or a PDF added to the case (its SHA-256 in the event) */
    ACT_PUBLISH_ATTACHMENT, /* a dispatcher shows an attachment to the public, or hides it */
    ACT_URGE, /* 催办: the 督查室 reminds the units at work on a case; no state changes */
    /* 申诉复核: the lead unit contests an unsatisfied 回访 it thinks mistaken or
     * malicious, with its reasons; the 督查室 upholds it (the visit leaves the
     * rates) or rejects it. No state changes. */
    ACT_REQUEST_REVIEW, ACT_UPHOLD_REVIEW, ACT_REJECT_REVIEW,
    ACT_COUNT
} case_action;

typedef enum { SAT_NONE = -1, SAT_UNSATISFIED, SAT_BASIC, SAT_SATISFIED } case_satisfaction;
typedef enum { PENDING_NONE, PENDING_EXTENSION, PENDING_PLAN } case_pending;
/* The answer to a 人大代表建议 or 政协提案, as the national classification
 * has it: A 已解决, B 正在解决, C 列入计划逐步解决, D 留作参考. B and C promise
 * a date; the case stays open (on the 清零 ledger) until it has passed and
 * been checked. */
typedef enum { ANS_NONE, ANS_A, ANS_B, ANS_C, ANS_D, ANS_COUNT } case_answer;
#define CASE_PROPOSAL(ch) ((ch) == CH_DEPUTY || (ch) == CH_CPPCC)
#define CASE_PROMISES(a) ((a) == ANS_B || (a) == ANS_C)
#define CASE_PROPOSAL_MAX_MONTHS 6 /* from 交办, however extended */
/* 申诉复核 of the latest 回访 (a new visit starts afresh). */
typedef enum { REVIEW_NONE, REVIEW_PENDING, REVIEW_UPHELD, REVIEW_REJECTED, REVIEW_COUNT } case_review;

/* The four supervised deadlines, in the order a case meets them. */
typedef enum { DUE_DISPATCH, DUE_ACCEPT, DUE_FEEDBACK, DUE_RESOLVE, DUE_COUNT } case_due_kind;

/* case_rec.alerted holds three bits (blue, yellow, red) per deadline kind; they
 * are cleared whenever that deadline is set anew. */
#define CASE_ALERT_BIT(kind, level) (1u << ((kind) * 3 + (level)))
#define CASE_ALERT_KIND(kind) (7u << ((kind) * 3))

#define CASE_MAX_ASSIST 8
#define CASE_CODE_MAX 32
#define CASE_NAME_MAX 128
#define CASE_ACTOR_MAX 64
#define CASE_RESULT_MIN 5 /* characters: a result says what was done, not just "已处理" */

typedef struct unit_ref {
    int64_t id; /* 0: none */
    char code[CASE_CODE_MAX];
    char name[CASE_NAME_MAX];
} unit_ref;

/* Times are Unix seconds; 0 means "not yet". Strings are owned (case_rec_clear). */
typedef struct case_rec {
    int64_t id;
    char case_no[CASE_CODE_MAX];
    case_channel channel;
    case_class klass;
    case_appeal appeal;
    case_status status;
    char *title, *description, *requester_name, *requester_phone, *result;
    /* 公开摘要 and 公开答复: written by a dispatcher to be public (ACT_PUBLISH);
     * NULL until then. Owned, like the strings above. */
    char *public_summary, *public_reply;
    unit_ref category, township, lead;
    unit_ref assist[CASE_MAX_ASSIST];
    int n_assist;
    bool confidential;
    int64_t received_at, dispatched_at, accepted_at, first_feedback_at, resolved_at,
        visited_at, closed_at, updated_at;
    int64_t due[DUE_COUNT];
    /* The instant each deadline was counted from (0: a date someone set), and
     * which pending deadlines are provisional: counted over days outside the
     * loaded calendar (one bit per case_due_kind), so an import of that year
     * counts them again (ACT_RECOMPUTE). */
    int64_t due_from[DUE_COUNT];
    unsigned provisional;
    case_satisfaction satisfaction;
    int solved; /* -1 unknown, 0 no, 1 yes */
    int reopen_count, extension_count, plan_count, return_count;
    bool visit_waived;
    case_pending pending;
    int32_t pending_until; /* day number of the requested new deadline */
    uint32_t alerted;      /* supervision levels raised, see supervise.h */
    int64_t instructed_at; /* the latest 领导批示; 0: none */
    int unreachable_days;  /* days on which a 回访 attempt reached nobody */
    int32_t unreachable_day; /* the last such day (day number); 0: none */
    bool closed_unreachable; /* closed because nobody could be reached */
    int64_t merged_into; /* 并案: the main case this one follows; 0: none */
    case_answer answer;  /* a proposal's answer (ACT_RESOLVE); ANS_NONE otherwise */
    int32_t promise_day; /* B, C: the day it promises (day number); 0: none */
    case_review review;  /* of the latest 回访 */
    int64_t review_at;   /* when review last changed; 0: never */
    int64_t purged_at;   /* its requester data erased (store_purge.h); 0: not */
    int event_count;
    unsigned char last_hash[32]; /* hash of the newest event (audit.h) */
    unsigned char text_key[32];  /* keys the digests of its events' free text; zero: none */
} case_rec;

typedef struct case_event {
    int64_t id, case_id;
    int seq; /* 1 for the creation event */
    char actor[CASE_ACTOR_MAX];
    int64_t at;
    case_action action;
    case_status from, to;
    char *payload; /* JSON object text, owned: what the event did */
    /* The free text people typed (a title, a note), a JSON object apart from
     * the payload, owned; NULL if none. The hash covers a keyed digest of it,
     * not the text, so the text can be erased (leaving text_digest) and the
     * chain still verifies (audit.h: scheme 2). */
    char *text;
    int scheme; /* AUDIT_SCHEME_* */
    bool text_erased;
    unsigned char text_digest[32];
    unsigned char prev_hash[32], hash[32];
} case_event;

/* An attachment as an event records it (core/file.h checks the bytes). */
typedef struct case_file {
    int64_t id;
    const char *name, *mime; /* ACT_ATTACH */
    int64_t size;
    unsigned char sha256[32];
    bool published; /* ACT_PUBLISH_ATTACHMENT: shown to the public or not */
} case_file;

/* An action request: what the caller asks for, already resolved to unit ids. */
typedef struct case_req {
    case_action action;
    /* When: a clock's reading, unless at_given. A reading earlier than the
     * case's last event (another node's clock behind, or the same second
     * committed first) is taken as that event's time; a time someone gave
     * (the CLI's --at) is refused instead. */
    int64_t at;
    bool at_given;
    const char *actor;
    const char *note;
    const char *reply; /* ACT_PUBLISH: the public reply, or NULL */
    /* The unit acting (a handler's), or 0 for none (the 督查室, the system):
     * a unit acts as the case's lead (主办) or an assisting unit (协办), and
     * case_part_allows says what each may do. */
    int64_t unit_id;
    unit_ref lead;
    unit_ref assist[CASE_MAX_ASSIST];
    int n_assist;
    int32_t until; /* day number; INT32_MIN when absent */
    case_satisfaction satisfaction;
    int solved; /* -1 when absent */
    int64_t kb_id; /* ACT_ANSWER: the 知识库 entry the answer came from; 0: none */
    /* ACT_MERGE: the main case (id and number); ACT_FOLLOW: the main case,
     * whose result is the note */
    int64_t into;
    const char *into_no;
    const case_file *file; /* ACT_ATTACH, ACT_PUBLISH_ATTACHMENT */
    case_answer answer;    /* ACT_RESOLVE of a proposal (until: the date B/C promise) */
} case_req;

struct cal;
struct pol_table;

/* What a stored event recorded, for replaying it (core/replay.h): each
 * deadline it set (0: none), taken as recorded instead of counted again by
 * today's policy and calendar, and, for a recount (ACT_RECOMPUTE), which of
 * them were still provisional. */
typedef struct case_recorded {
    int64_t due[DUE_COUNT];
    unsigned provisional;
} case_recorded;

typedef struct case_env {
    const struct cal *cal;
    const struct pol_table *pol;
    int tz; /* deployment UTC offset in seconds */
    unsigned public_channels; /* view_channels (core/view.h): whose cases the public sees */
    int max_extension_days;   /* an extension or plan date at most this far ahead; 0: 365 */
    int unreachable_attempts; /* failed visits on different days before closing; 0: 3 */
    int proposal_redo_days;   /* a proposal answered unsatisfactorily is answered again within; 0: 30 */
    /* Replaying a stored event: what it recorded. NULL for every action
     * taken; set, the settings above that only bound a request (the
     * extension's reach, the attempts needed) bound nothing: they were
     * checked when it was taken, under the settings of that day. */
    const case_recorded *recorded;
} case_env;

const char *case_channel_name(case_channel c);
const char *case_appeal_name(case_appeal a);  /* "consult" ...; NULL for AP_NONE */
const char *case_appeal_label(case_appeal a); /* 咨询 ...; NULL for AP_NONE */
int case_appeal_parse(const char *s, case_appeal *out, err *e); /* not AP_NONE */
const char *case_class_name(case_class c);
const char *case_channel_label(case_channel c); /* 12345热线 ... */
const char *case_class_label(case_class c);     /* 紧急 一般 重大 */
const char *case_status_name(case_status s);
const char *case_status_label(case_status s); /* 已受理 ... */
const char *case_action_name(case_action a);
const char *case_due_name(case_due_kind k);
const char *case_due_label(case_due_kind k); /* 派单 签收 反馈 办结 */
/* The kind named (case_due_name), or DUE_COUNT for none. */
case_due_kind case_due_lookup(const char *name);
const char *case_satisfaction_name(case_satisfaction s);
const char *case_review_name(case_review r); /* NULL for REVIEW_NONE */
const char *case_answer_name(case_answer a);  /* "A" ...; NULL for ANS_NONE */
const char *case_answer_label(case_answer a); /* 已解决 ...; NULL for ANS_NONE */
int case_answer_parse(const char *s, case_answer *out, err *e); /* A B C D */
int case_review_parse(const char *s, case_review *out, err *e); /* not REVIEW_NONE */
int case_channel_parse(const char *s, case_channel *out, err *e);
int case_class_parse(const char *s, case_class *out, err *e);
int case_status_parse(const char *s, case_status *out, err *e);
int case_action_parse(const char *s, case_action *out, err *e);
int case_satisfaction_parse(const char *s, case_satisfaction *out, err *e);

void case_req_init(case_req *r, case_action a, int64_t at, const char *actor);

/* When a case may say it was received: not before 2000, and at most a day
 * after now (a client's clock may run ahead; more is a typo). */
int case_check_received(int64_t received_at, int64_t now, err *e);

/* Whether the intake fields in c make a case (case_create checks them too). */
int case_check_intake(const case_rec *c, err *e);
/* Fills a new case (status received, dispatch deadline set) from the intake
 * fields already in c, and the creation event. */
int case_create(case_rec *c, const case_env *env, const char *actor, case_event *ev, err *e);

/* Applies an action: on success c holds the new state and ev the event to
 * append; on error c is unchanged and the message names state and action. */
int case_apply(case_rec *c, const case_req *r, const case_env *env, case_event *ev, err *e);

/* A unit's part in a case: 主办 (the lead) or 协办 (assisting). */
typedef enum { PART_NONE, PART_LEAD, PART_ASSIST } case_part;
case_part case_part_of(const case_rec *c, int64_t unit_id);
const char *case_part_name(case_part p); /* "lead", "assist", "none" */
/* The lead accepts, returns, reports, asks for more time or a plan and
 * resolves; an assisting unit adds its opinion (feedback) and nothing else;
 * any other unit nothing. ERR_FORBIDDEN names the part and the action. */
int case_part_allows(case_part p, case_action a, err *e);

/* Whether the table has a row (state, action); for listing what is possible. */
bool case_action_allowed(case_status s, case_action a);
/* Whether action a may be taken on c now, as far as the case says: a row for
 * its state, its guard holds (a pending request to decide, ...) and, for a
 * unit (unit_id not 0), its part allows it. What an action needs (a note, a
 * date) is not asked. */
bool case_action_possible(const case_rec *c, case_action a, int64_t unit_id, const case_env *env);

/* The deadline the case is currently held to for a kind, or 0 if none applies
 * (already met, or not yet started). */
int64_t case_pending_due(const case_rec *c, case_due_kind k);
/* The earliest deadline the case is held to now (case_pending_due), its kind
 * into *kind; 0 (and DUE_COUNT) when none. A case is overdue at t exactly
 * when this is <= t: the work queues sort and filter on it. */
int64_t case_next_due(const case_rec *c, case_due_kind *kind);
/* Answered by the 12345 centre itself (直接答复): resolved, never
 * dispatched and not merged. Outside every unit's rates; the centre's own
 * 直接答复率. */
bool case_answered_directly(const case_rec *c);
/* Whether a new case of the channel is confidential unless intake says
 * otherwise: a petition is (《信访工作条例》: the petitioner's identity is
 * protected), so only those who see contacts read who petitioned. */
bool case_confidential_default(case_channel ch);
/* The provisional bits of the deadlines still pending (the stored ones). */
unsigned case_provisional_pending(const case_rec *c);
/* True when some pending deadline has passed at `now`. */
bool case_overdue(const case_rec *c, int64_t now);

void case_rec_clear(case_rec *c);
void case_event_clear(case_event *ev);

#endif
