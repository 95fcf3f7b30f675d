/* store_sql: every statement the store caches, with the SQLite text and,
 * where PostgreSQL needs another, its text beside it, so each difference
 * between the dialects is visible in one place. The parameters are ?1, ?2 ...
 * in both (the PostgreSQL driver renumbers them). The schema's migrations,
 * written the same way, are in store_schema.c. */
#include "store/store_int.h"

#define CASE_WHERE_ID                                                                       \
    " WHERE c.id = ?1 AND (CAST(?2 AS BIGINT) IS NULL"                                      \
    " OR c.lead_unit_id = ?2 OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id" \
    " AND cu.unit_id = ?2 AND cu.returned_at IS NULL))"

#define ALERT_COLS "c.id, c.status, c.dispatch_due, c.accept_due, c.feedback_due," \
                   " c.resolve_due, c.first_feedback_at, a.alerted, c.lead_unit_id"

const store_sql store_sql_text[Q_COUNT] = {
    [Q_CONFIG_GET] = SAME("SELECT value FROM config WHERE key = ?1"),
    [Q_ENV_VERSION] = SAME("SELECT coalesce((SELECT CAST(value AS BIGINT) FROM config"
                           " WHERE key = 'env_version'), 0)"),
    [Q_ENV_BUMP] = SAME("UPDATE config SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT)"
                        " WHERE key = 'env_version'"),
    [Q_CONFIG_SET] = SAME("INSERT INTO config(key, value) VALUES(?1, ?2)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
    [Q_UNIT_ADD] = SAME("INSERT INTO units(code, name, kind, parent_id, created_at)"
                        " VALUES(?1, ?2, ?3, ?4, ?5)"),
    [Q_UNIT_FIND] = SAME("SELECT id, code, name FROM units WHERE code = ?1"),
    [Q_CAT_ADD] = SAME("INSERT INTO categories(code, name, parent_id, unit_id) VALUES(?1, ?2, ?3, ?4)"),
    [Q_CAT_FIND] = SAME("SELECT id, code, name FROM categories WHERE code = ?1"),
    /* The day's next number and the next case id, in one round trip. The
     * counter row stays locked by the transaction until it ends. SQLite has
     * one writer at a time, so max + 1 read in a write transaction stays
     * ours; several PostgreSQL writers need the sequence. */
    [Q_CASE_SEQ_NEXT] = {"INSERT INTO case_seq(day, n) VALUES(?1, 1)"
                         " ON CONFLICT(day) DO UPDATE SET n = case_seq.n + 1"
                         " RETURNING n, (SELECT coalesce(max(id), 0) + 1 FROM cases)",
                         "INSERT INTO case_seq(day, n) VALUES(?1, 1)"
                         " ON CONFLICT(day) DO UPDATE SET n = case_seq.n + 1"
                         " RETURNING n, nextval('cases_id_seq')"},
    /* Later cases of a SQLite transaction: counted on (store.seq), written back. */
    [Q_CASE_SEQ_SET] = SAME("UPDATE case_seq SET n = ?2 WHERE day = ?1"),
    [Q_CASE_INSERT] =
        SAME("INSERT INTO cases(id, case_no, channel, class, status, title, description,"
             " requester_name, requester_phone, confidential, category_id, township_id,"
             " received_at, updated_at, dispatch_due, event_count, last_hash, text_key,"
             " provisional, due_from, next_due, next_kind, appeal_type)"
             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
             " ?18, ?19, ?20, ?21, ?22, ?23)"),
    /* PostgreSQL's case_units has a column named rowid for the assists' order. */
    [Q_CASE_GET] = {CASE_SELECT_LITE CASE_WHERE_ID, CASE_SELECT_PG CASE_WHERE_ID},
    /* An action reads the case it changes under a row lock: a second action
     * on the same case waits, then sees the first one's result. (SQLite's
     * write transaction already excludes every other writer.) */
    [Q_CASE_GET_LOCKED] = {CASE_SELECT_LITE CASE_WHERE_ID,
                           CASE_SELECT_PG CASE_WHERE_ID " FOR UPDATE OF c"},
    /* The history (core/metrics.h) grows by the records of the action, ?27,
     * appended in place; fig_until (?44) is when the case last changed if
     * it is settled, or never, while some 办理 may still be open. */
#define CASE_UPDATE_SET                                                                             \
    "UPDATE cases SET status = ?2, lead_unit_id = ?3, dispatched_at = ?4, accepted_at = ?5,"          \
    " first_feedback_at = ?6, resolved_at = ?7, visited_at = ?8, closed_at = ?9,"                     \
    " updated_at = ?10, dispatch_due = ?11, accept_due = ?12, feedback_due = ?13,"                    \
    " resolve_due = ?14, satisfaction = ?15, solved = ?16, result = ?17, visit_waived = ?18,"         \
    " reopen_count = ?19, extension_count = ?20, plan_count = ?21, return_count = ?22,"               \
    " pending = ?23, pending_until = ?24, event_count = ?25, last_hash = ?26,"                        \
    " text_key = ?28, public_summary = ?29, public_reply = ?30, provisional = ?31,"                   \
    " due_from = ?32, next_due = ?33, next_kind = ?34, instructed_at = ?35,"                          \
    " unreachable_days = ?36, unreachable_day = ?37, closed_unreachable = ?38,"                       \
    " merged_into = ?39, review = ?40, review_at = ?41, answer = ?42, promise_day = ?43,"             \
    " fig_until = ?44,"
    [Q_CASE_UPDATE] = {CASE_UPDATE_SET " history = CAST(coalesce(history, X'') || ?27 AS BLOB) WHERE id = ?1",
                       CASE_UPDATE_SET " history = coalesce(history, ''::bytea) || ?27 WHERE id = ?1"},
    /* (their status follows the case's by trigger: migration 34) */
    [Q_UNITS_NEXT] = SAME("UPDATE case_units SET next_due = ?2, next_kind = ?3"
                          " WHERE case_id = ?1 AND returned_at IS NULL"),
    [Q_EVENT_INSERT] = SAME("INSERT INTO events(case_id, seq, actor, at, action, from_status,"
                            " to_status, payload, prev_hash, hash, scheme, text)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
    [Q_UNITS_ASSIGN] = SAME("INSERT INTO case_units(case_id, unit_id, role, assigned_at,"
                            " next_due, next_kind, status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
    /* ?3: 1 when the assignments end by 改派, 0 by a 退单 */
    [Q_UNITS_RETURN] = SAME("UPDATE case_units SET returned_at = ?2, reassigned = ?3"
                            " WHERE case_id = ?1 AND returned_at IS NULL"),
    [Q_EVENTS_OF] = SAME("SELECT " EVENT_COLS " FROM events WHERE case_id = ?1 ORDER BY seq"),
    /* A notice another sweep raised first is not raised again. */
    [Q_NOTICE_INSERT] = SAME("INSERT INTO notices(case_id, kind, level, due, raised_at, unit_id)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING"),
    /* Every case gets its row at creation (or in migration 2), so later writes
     * are plain updates; an upsert would try an insert first. */
    [Q_ALERTED_ADD] = SAME("INSERT INTO case_alerts(case_id, alerted, alert_at) VALUES(?1, ?2, ?3)"),
    [Q_ALERTED_SET] = SAME("UPDATE case_alerts SET alerted = ?2, alert_at = ?3 WHERE case_id = ?1"),
    [Q_TOKEN_GET] = SAME("SELECT t.id, t.name, t.role, un.id, un.code, un.name, t.created_by,"
                         " t.created_at, t.revoked_at FROM api_tokens t"
                         " LEFT JOIN units un ON un.id = t.unit_id WHERE t.token_hash = ?1"),
    [Q_SESSION_GET] = SAME("SELECT id, user_id, created_at, last_seen, ended_at, csrf FROM sessions"
                           " WHERE token_hash = ?1"),
    [Q_POLICY_PUT] = SAME("INSERT INTO policy(channel, class, stage, rule) VALUES(?1, ?2, ?3, ?4)"
                          " ON CONFLICT(channel, class, stage) DO UPDATE SET rule = excluded.rule"),
    [Q_POLICY_SEED] = SAME("INSERT INTO policy(channel, class, stage, rule) VALUES(?1, ?2, ?3, ?4)"
                           " ON CONFLICT DO NOTHING"),
    /* SQLite's trigram index is written after commits, in batches, by the
     * server's indexer (store_text_index; a trigger per insert cost 20x
     * more); searches match the few cases not indexed yet directly.
     * PostgreSQL's GIN index is written with each case. */
    [Q_TEXT_NEXT] = {"SELECT max(id), count(*) FROM (SELECT id FROM cases WHERE id >"
                     " (SELECT CAST(value AS INTEGER) FROM config WHERE key = 'text_indexed_to')"
                     " ORDER BY id LIMIT ?1)",
                     ""},
    [Q_TEXT_CATCH_UP] = {"INSERT INTO case_text(rowid, title, description)"
                         " SELECT id, title, description FROM cases WHERE id > (SELECT"
                         " CAST(value AS INTEGER) FROM config WHERE key = 'text_indexed_to')"
                         " AND id <= ?1",
                         ""},
    [Q_TEXT_MARK] = {"UPDATE config SET value = CAST(?1 AS TEXT) WHERE key = 'text_indexed_to'", ""},
    [Q_TEXT_INSERT] = {"", "INSERT INTO case_text(id, title, description) VALUES(?1, ?2, ?3)"},
    /* Other PostgreSQL connections learn of a new calendar, policy or time
     * zone at their next use, without asking (store.c, st_env_fresh). */
    [Q_ENV_NOTIFY] = {"", "NOTIFY duban_env"},
    /* Through the received_at index: no phone index taxes every intake. */
    [Q_SIMILAR_PHONE] = {"SELECT id FROM cases INDEXED BY cases_received"
                         " WHERE received_at >= ?2 AND requester_phone = ?1"
                         " ORDER BY received_at DESC LIMIT 50",
                         "SELECT id FROM cases WHERE received_at >= ?2 AND requester_phone = ?1"
                         " ORDER BY received_at DESC LIMIT 50"},
    /* Cases sharing the most text: SQLite ORs every 3-character run of it
     * (?1) and ranks by bm25; PostgreSQL ranks by pg_trgm similarity to the
     * text itself (?3). */
    [Q_SIMILAR_TEXT] = {"SELECT t.rowid FROM case_text t JOIN cases c ON c.id = t.rowid"
                        " WHERE case_text MATCH ?1 AND c.received_at >= ?2"
                        " ORDER BY bm25(case_text) LIMIT 200",
                        "SELECT c.id FROM case_text t JOIN cases c ON c.id = t.id"
                        " WHERE c.received_at >= ?2 AND (t.title % ?3 OR t.description % ?3)"
                        " ORDER BY greatest(similarity(t.title, ?3),"
                        " similarity(coalesce(t.description, ''), ?3)) DESC, c.id DESC LIMIT 200"},
    /* The cases the indexer has not reached yet, for the duplicate check. */
    [Q_SIMILAR_TAIL] = {"SELECT id, title, description FROM cases WHERE id > (SELECT"
                        " CAST(value AS INTEGER) FROM config WHERE key = 'text_indexed_to')"
                        " AND received_at >= ?1 ORDER BY id DESC LIMIT 2000",
                        ""},
    [Q_SWEEP_DUE] = {"SELECT case_id FROM case_alerts INDEXED BY case_alerts_due"
                     " WHERE alert_at <= ?1",
                     "SELECT case_id FROM case_alerts WHERE alert_at <= ?1"},
    /* The sweep rewrites a case's alert state: locked like an action's. */
    [Q_SWEEP_CASE] = {"SELECT " ALERT_COLS " FROM cases c JOIN case_alerts a ON a.case_id = c.id"
                      " WHERE c.id = ?1",
                      "SELECT " ALERT_COLS " FROM cases c JOIN case_alerts a ON a.case_id = c.id"
                      " WHERE c.id = ?1 FOR UPDATE OF c"},
    /* every case a figure of [?1, ?2) may count: one that changed since ?1
     * or is not settled (fig_until), received before ?2 (with its id for
     * the lists). On SQLite the caller tests received_at and an empty
     * history: a test in the scan's loop costs more there than in C (the
     * ?2 term is constant, evaluated once); PostgreSQL filters before
     * sending. */
    [Q_STATS_SCAN] = {"SELECT received_at, history, appeal_type FROM cases INDEXED BY cases_fig"
                      " WHERE fig_until >= ?1 AND ?2 IS NOT NULL",
                      "SELECT received_at, history, appeal_type FROM cases"
                      " WHERE fig_until >= ?1 AND received_at < ?2 AND history IS NOT NULL"},
    [Q_STATS_SCAN_IDS] = {"SELECT received_at, history, appeal_type, id FROM cases INDEXED BY cases_fig"
                          " WHERE fig_until >= ?1 AND ?2 IS NOT NULL",
                          "SELECT received_at, history, appeal_type, id FROM cases"
                          " WHERE fig_until >= ?1 AND received_at < ?2 AND history IS NOT NULL"},
    [Q_IDEMPOTENT_GET] = SAME("SELECT case_id FROM idempotency WHERE actor = ?1 AND key = ?2"),
    [Q_IDEMPOTENT_PUT] = SAME("INSERT INTO idempotency(actor, key, case_id, created_at)"
                              " VALUES(?1, ?2, ?3, ?4)"),
    [Q_ATTRIBUTE_PUT] = SAME("INSERT INTO case_attributes(case_id, code, value) VALUES(?1, ?2, ?3)"
                             " ON CONFLICT(case_id, code) DO UPDATE SET value = excluded.value"),
    [Q_PLACE_PUT] = SAME("INSERT INTO case_locations(case_id, lat, lon, address, address_id)"
                         " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(case_id) DO UPDATE SET"
                         " lat = excluded.lat, lon = excluded.lon, address = excluded.address,"
                         " address_id = excluded.address_id"),
    /* A failure after the window has passed starts a new count. */
    [Q_FAILURES_ADD] = SAME(
        "INSERT INTO login_failures(key, count, first_at, last_at) VALUES(?1, 1, ?2, ?2)"
        " ON CONFLICT(key) DO UPDATE SET"
        " count = CASE WHEN login_failures.first_at + ?3 <= ?2 THEN 1"
        " ELSE login_failures.count + 1 END,"
        " first_at = CASE WHEN login_failures.first_at + ?3 <= ?2 THEN ?2"
        " ELSE login_failures.first_at END, last_at = ?2"),
    [Q_SCHEMA_VERSION] = {"PRAGMA user_version",
                          "SELECT coalesce((SELECT max(version) FROM schema_version), 0)"},
    /* Nodes starting together migrate one at a time (the key is not the
     * sweep's lead: a node holding that must not keep others from starting). */
    [Q_MIGRATE_BEGIN] = {"BEGIN IMMEDIATE",
                         "BEGIN; SELECT pg_advisory_xact_lock(1371001);"
                         " CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)"},
    [Q_SNAPSHOT_BEGIN] = {"BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"},
    [Q_BEGIN] = {"BEGIN IMMEDIATE", "BEGIN"},
    /* SQLite: one read transaction per request is cheaper than a lock per
     * statement. PostgreSQL: each statement is its own snapshot already, and
     * BEGIN and COMMIT would cost two more round trips per request. */
    [Q_READ_BEGIN] = {"BEGIN", ""},
    [Q_COMMIT] = SAME("COMMIT"),
    [Q_ROLLBACK] = SAME("ROLLBACK"),
    [Q_SAVEPOINT] = SAME("SAVEPOINT op"),
    [Q_RELEASE] = SAME("RELEASE op"),
    [Q_ROLLBACK_TO] = SAME("ROLLBACK TO op"),
};

const store_sql store_sql_case_select = {CASE_SELECT_LITE, CASE_SELECT_PG};
const store_sql store_sql_case_cols = {"SELECT " CASE_COLS_HEAD CASE_ASSISTS_LITE,
                                       "SELECT " CASE_COLS_HEAD CASE_ASSISTS_PG};

/* A substring of the title or the description, without case: FTS5 trigram
 * phrases; ILIKE over pg_trgm GIN indexes of case_text (the text's %, _ and
 * \ escaped). */
/* The indexed cases through the index, and those the indexer has not
 * reached yet (the newest, a second's worth at most) read directly: one
 * statement, so one snapshot of both. */
const store_sql store_sql_text_filter = {
    " AND c.id IN (SELECT rowid FROM case_text WHERE case_text MATCH"
    " '\"' || replace(:text, '\"', '\"\"') || '\"'"
    " UNION ALL SELECT id FROM cases WHERE id > (SELECT CAST(value AS INTEGER) FROM config"
    " WHERE key = 'text_indexed_to') AND (instr(lower(title), lower(:text)) > 0"
    " OR instr(lower(coalesce(description, '')), lower(:text)) > 0))",
    " AND c.id IN (SELECT id FROM case_text WHERE title ILIKE ('%' || replace(replace(replace(:text,"
    " '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%') OR description ILIKE ('%' ||"
    " replace(replace(replace(:text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'))"};

const store_sql store_sql_schema_set = {"PRAGMA user_version = %d",
                                        "DELETE FROM schema_version;"
                                        " INSERT INTO schema_version VALUES(%d)"};

/* core/view.h's case_is_public in SQL, with :public the public channels as
 * ",open311,qr," (public_list). */
const store_sql store_sql_public_filter = {
    " AND c.confidential = 0 AND (c.public_summary IS NOT NULL"
    " OR instr(:public, ',' || c.channel || ',') > 0)",
    " AND c.confidential = 0 AND (c.public_summary IS NOT NULL"
    " OR strpos(:public, ',' || c.channel || ',') > 0)"};

/* Shorter than 3 characters (below a trigram): a plain substring, with case. */
const store_sql store_sql_text_filter_short = {
    " AND (instr(c.title, :text) > 0 OR instr(coalesce(c.description, ''), :text) > 0)",
    " AND (strpos(c.title, :text) > 0 OR strpos(coalesce(c.description, ''), :text) > 0)"};
