/* store: the only door to persistent data. Backend-neutral: no SQL and no
 * backend type appear here. Every case change is one transaction holding the
 * new case row and one hash-chained event; on error nothing is written. */
#ifndef DUBAN_STORE_H
#define DUBAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/case.h"
#include "core/metrics.h"
#include "core/policy.h"
#include "core/supervise.h"
#include "util/err.h"

typedef struct store store;

typedef struct store_opts {
    int max_version; /* migrate only this far (tests of old schemas); 0 = latest */
    int sync_full;   /* 1: fsync every commit (default), 0: NORMAL */
} store_opts;

int store_open(const char *path, const store_opts *opts, store **out, err *e);
void store_close(store *s);
int store_schema_version(store *s);
int store_latest_version(void);

/* The calendar, policy and time zone cases are judged by; owned by the store.
 * Brought up to date (if another connection changed them) at the start of
 * each transaction and by store_refresh. */
const case_env *store_env(store *s);
int store_refresh(store *s, err *e);

/* A read transaction around many reads (one snapshot, one lock instead of one
 * per statement), e.g. one HTTP request. A write inside it ends it, writes,
 * and starts a fresh one, so writes always see the latest state. */
int store_read_begin(store *s, err *e);
void store_read_end(store *s);

/* Explicit batches: inside one, each operation is a savepoint (a failed one
 * still writes nothing) and the batch commits once. */
int store_begin(store *s, err *e);
int store_commit(store *s, err *e);
void store_rollback(store *s);

/* Configuration: tz_offset (e.g. "+08:00"), case_prefix (e.g. "MZ"). */
int store_config_get(store *s, const char *key, char *out, size_t outsz, err *e);
int store_config_set(store *s, const char *key, const char *value, err *e);

int store_calendar_import(store *s, const cal_year *y, err *e);
typedef struct store_cal_year { int year, off_days, work_days; } store_cal_year;
typedef int (*store_cal_year_fn)(void *ctx, const store_cal_year *y);
int store_calendar_years(store *s, store_cal_year_fn fn, void *ctx, err *e);
typedef int (*store_cal_day_fn)(void *ctx, const cal_day *d);
int store_calendar_days(store *s, int year, store_cal_day_fn fn, void *ctx, err *e);

int store_policy_set(store *s, case_channel ch, case_class cl, pol_stage st, const pol_rule *r,
                     err *e);

typedef enum { UNIT_DEPT, UNIT_TOWNSHIP, UNIT_CENTER, UNIT_KIND_COUNT } unit_kind;
const char *store_unit_kind_name(unit_kind k);
int store_unit_kind_parse(const char *s, unit_kind *k, err *e);

typedef struct store_unit {
    unit_ref ref;
    unit_kind kind;
    char parent[CASE_CODE_MAX];
} store_unit;
int store_unit_add(store *s, const char *code, const char *name, unit_kind kind,
                   const char *parent_code, int64_t now, int64_t *id, err *e);
int store_unit_find(store *s, const char *code, unit_ref *out, err *e);
typedef int (*store_unit_fn)(void *ctx, const store_unit *u);
int store_unit_list(store *s, store_unit_fn fn, void *ctx, err *e);

int store_category_add(store *s, const char *code, const char *name, const char *parent_code,
                       const char *unit_code, int64_t *id, err *e);
int store_category_find(store *s, const char *code, unit_ref *out, err *e);
typedef struct store_category {
    unit_ref ref;
    char parent[CASE_CODE_MAX];
    unit_ref unit; /* the unit that usually handles it */
} store_category;
typedef int (*store_category_fn)(void *ctx, const store_category *c);
int store_category_list(store *s, store_category_fn fn, void *ctx, err *e);

/* Intake: c carries channel, class, title, received_at and the optional fields
 * (category/township ids resolved); on success c is the stored case. */
int store_case_create(store *s, case_rec *c, const char *actor, err *e);
/* With an idempotency key (per actor): a retry with the same key returns the
 * case the first call created instead of creating another; then *replayed is
 * set and c holds owned strings (the caller clears it with case_rec_clear). */
int store_case_create_keyed(store *s, case_rec *c, const char *actor, const char *key,
                            bool *replayed, err *e);
/* Applies r to case id; on success out (may be NULL) is the new case. */
int store_case_act(store *s, int64_t id, const case_req *r, case_rec *out, err *e);
int store_case_get(store *s, int64_t id, case_rec *out, err *e);
/* The same, confined to cases that unit leads or assists (0: no confinement);
 * another unit's case is "unknown", exactly as a missing one. */
int store_case_act_scoped(store *s, int64_t id, int64_t unit, const case_req *r, case_rec *out,
                          err *e);
int store_case_get_scoped(store *s, int64_t id, int64_t unit, case_rec *out, err *e);
typedef int (*store_event_fn)(void *ctx, const case_event *ev);
int store_case_events(store *s, int64_t id, store_event_fn fn, void *ctx, err *e);

typedef struct store_case_filter {
    int status;         /* case_status, or -1 for any */
    int channel;        /* case_channel, or -1 */
    int klass;          /* case_class, or -1 */
    int64_t category_id, township_id; /* 0 for any */
    int64_t received_from, received_to; /* [from, to); 0 for open */
    const char *text;   /* in title or description; NULL for any */
    int64_t unit_id;    /* lead or assisting unit; 0 for any */
    int64_t overdue_at; /* only cases overdue at this instant; 0 for no filter */
    int64_t after_id;   /* keyset paging: ids greater than this */
    int limit;          /* 1..1000 */
} store_case_filter;
typedef int (*store_case_fn)(void *ctx, const case_rec *c);
int store_case_list(store *s, const store_case_filter *f, store_case_fn fn, void *ctx, err *e);
/* Likely duplicates received since `since`: the same phone first, then cases
 * sharing the most 3-character runs of text; at most `limit`, within `unit`
 * when not 0. */
int store_case_similar(store *s, const char *text, const char *phone, int64_t since,
                       int64_t unit, int limit, store_case_fn fn, void *ctx, err *e);

/* Raises due notices at `now` in one transaction; idempotent. *first_id is the
 * id of the first new notice (list them with store_notice_list). */
int store_sweep(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e);

typedef struct store_notice {
    int64_t id, case_id;
    char case_no[CASE_CODE_MAX];
    case_due_kind kind;
    sup_level level;
    int64_t due, raised_at;
    unit_ref unit;
} store_notice;
typedef int (*store_notice_fn)(void *ctx, const store_notice *n);
int store_notice_list(store *s, int64_t min_id, int64_t case_id, store_notice_fn fn, void *ctx,
                      err *e);

typedef struct store_unit_stats {
    unit_ref unit;
    met_counts m;
} store_unit_stats;
/* Per lead unit over cases dispatched in [from, to), as they stood at `at`.
 * *out (caller frees) is sorted by unit code. */
int store_stats(store *s, int64_t from, int64_t to, int64_t at, store_unit_stats **out,
                size_t *n, err *e);

typedef struct store_audit {
    int64_t cases, events;
    int64_t bad_case; /* 0 when every chain holds */
    int bad_seq;
    char why[160];
} store_audit;
int store_audit_verify(store *s, store_audit *out, err *e);

/* Where a case is, and links to its pictures (as Open311 clients send them). */
#define STORE_MAX_MEDIA 8
typedef struct store_place {
    bool has_point;
    double lat, lon;
    char address[256], address_id[64];
    int n_media;
    char media[STORE_MAX_MEDIA][512];
} store_place;
int store_place_set(store *s, int64_t case_id, const store_place *p, err *e);
/* Fills p (empty if nothing was recorded). */
int store_place_get(store *s, int64_t case_id, store_place *p, err *e);
/* The id of the case numbered case_no, or 0. */
int64_t store_case_id_by_no(store *s, const char *case_no);
/* Events in [from, to), oldest first, at most limit: for update feeds. */
int store_events_between(store *s, int64_t from, int64_t to, int limit, store_event_fn fn,
                         void *ctx, err *e);

/* What a category asks beyond the description (Open311 service attributes). */
#define STORE_MAX_CHOICES 16
typedef struct store_attribute {
    char code[48], datatype[20], description[256];
    bool required;
    int order;
    int n_choices; /* for singlevaluelist and multivaluelist */
    char choice_key[STORE_MAX_CHOICES][48], choice_name[STORE_MAX_CHOICES][96];
} store_attribute;
int store_attribute_add(store *s, const char *category, const store_attribute *a, err *e);
typedef int (*store_attribute_fn)(void *ctx, const store_attribute *a);
int store_attribute_list(store *s, const char *category, store_attribute_fn fn, void *ctx, err *e);
int store_case_attribute_set(store *s, int64_t case_id, const char *code, const char *value, err *e);

/* ---- accounts (the policy around them is in src/auth/) ---- */

typedef struct store_user {
    int64_t id;
    char username[64];
    char display_name[CASE_NAME_MAX];
    char role[16];
    unit_ref unit; /* handlers: their unit */
    char password_hash[160];
    bool disabled;
} store_user;

int store_user_add(store *s, const store_user *u, int64_t now, int64_t *id, err *e);
int store_user_get(store *s, const char *username, store_user *out, err *e);
int store_user_get_id(store *s, int64_t id, store_user *out, err *e);
int store_user_set_password(store *s, const char *username, const char *hash, err *e);
int store_user_set_disabled(store *s, const char *username, bool disabled, err *e);
typedef int (*store_user_fn)(void *ctx, const store_user *u);
int store_user_list(store *s, store_user_fn fn, void *ctx, err *e);

/* Sessions and API tokens are found by the SHA-256 of their secret. */
typedef struct store_session {
    int64_t id, user_id, created_at, last_seen, ended_at;
    char csrf[65]; /* 64 hex digits */
} store_session;
int store_session_add(store *s, const unsigned char hash[32], int64_t user_id, const char *csrf,
                      int64_t now, err *e);
int store_session_get(store *s, const unsigned char hash[32], store_session *out, err *e);
int store_session_touch(store *s, int64_t id, int64_t now, err *e);
int store_session_end(store *s, int64_t id, int64_t now, err *e);

typedef struct store_token {
    int64_t id, created_by, created_at, revoked_at;
    char name[64];
    char role[16];
    unit_ref unit;
} store_token;
int store_token_add(store *s, const unsigned char hash[32], const store_token *t, int64_t *id,
                    err *e);
int store_token_get(store *s, const unsigned char hash[32], store_token *out, err *e);
int store_token_revoke(store *s, int64_t id, int64_t now, err *e);

/* Failed logins per key ("user:NAME", "addr:IP"): count within the window
 * that started at first_at, and the latest. */
typedef struct store_failures { int64_t count, first_at, last_at; } store_failures;
int store_failures_get(store *s, const char *key, store_failures *out, err *e);
int store_failures_add(store *s, const char *key, int64_t now, int64_t window, err *e);
int store_failures_clear(store *s, const char *key, err *e);

/* The access log: logins, refusals, reveals of personal data. */
int store_access_log(store *s, int64_t now, int64_t user_id, const char *actor,
                     const char *action, int64_t case_id, const char *detail, err *e);
typedef struct store_access {
    int64_t id, at, user_id, case_id;
    char actor[64], action[32], detail[256];
} store_access;
typedef int (*store_access_fn)(void *ctx, const store_access *a);
int store_access_list(store *s, int64_t after_id, int limit, store_access_fn fn, void *ctx,
                      err *e);

/* Figures for a summary: counts by status, open overdue at `now`. */
typedef struct store_summary {
    int64_t units, categories, cases, events, notices;
    int64_t by_status[ST_COUNT];
    int64_t overdue;
    int64_t due_today; /* pending deadlines falling on today's date */
} store_summary;
int store_summary_get(store *s, int64_t now, store_summary *out, err *e);

#endif
