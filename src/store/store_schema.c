/* store_schema: the schema's versioned migrations, SQLite and PostgreSQL
 * side by side (as store_sql.c does for the statements). Version N is
 * store_migrations[N - 1]; opening a store applies those its database lacks,
 * one transaction each (store.c, migrate). A change to the schema is a new
 * migration at the end: a database that has run one never runs it again. */
#include "store/store_int.h"

/* 申诉复核 of a 差评 (migration 25), with a time column of type T */
#define EVAL_REVIEW_COLS(T)                                                                  \
    "ALTER TABLE evaluations ADD COLUMN review TEXT;"                                        \
    "ALTER TABLE evaluations ADD COLUMN review_reason TEXT;"                                 \
    "ALTER TABLE evaluations ADD COLUMN review_by TEXT;"                                     \
    "ALTER TABLE evaluations ADD COLUMN review_at " T ";"                                    \
    "ALTER TABLE evaluations ADD COLUMN decision_note TEXT;"                                 \
    "ALTER TABLE evaluations ADD COLUMN decided_by TEXT;"                                    \
    "ALTER TABLE evaluations ADD COLUMN decided_at " T ";"                                   \
    "CREATE INDEX evaluations_review ON evaluations(id) WHERE review = 'pending';"

/* The seeds' glossary (004): the six main indicators of 1+10+N. */
#define INDICATORS_SEED                                                                      \
    "INSERT INTO indicators(code, name, grp, ord) VALUES"                                    \
    " ('gdp', '地区生产总值', 'gdp', 1), ('industry', '规上工业增加值', 'industry', 2),"       \
    " ('investment', '固定资产投资', 'investment', 3),"                                       \
    " ('retail', '社会消费品零售总额', 'retail', 4), ('revenue', '一般公共预算收入', 'revenue', 5)," \
    " ('income_urban', '城镇居民人均可支配收入', 'income', 6),"                               \
    " ('income_rural', '农村居民人均可支配收入', 'income', 7);"

/* The outbox's indexes, settings and cursors (migration 31). */
#define OUTBOX_REST                                                                          \
    "CREATE INDEX outbox_due ON outbox(next_at) WHERE sent_at IS NULL AND failed_at IS NULL;"  \
    "CREATE INDEX outbox_case ON outbox(case_id, kind, created_at);"                          \
    "INSERT INTO config VALUES('webhook_url', ''), ('webhook_secret', ''),"                   \
    " ('webhook_hours', '08:30-18:00'), ('webhook_repeat_minutes', '240'),"                   \
    " ('webhook_retry_seconds', '30');"                                                       \
    "INSERT INTO config SELECT 'outbox_notice_id', CAST(coalesce(max(id), 0) AS TEXT) FROM notices;" \
    "INSERT INTO config SELECT 'outbox_eval_id', CAST(coalesce(max(id), 0) AS TEXT) FROM evaluations;" \
    "INSERT INTO config SELECT 'outbox_event_id', CAST(coalesce(max(id), 0) AS TEXT) FROM events;"

/* Migration 11's indexes, the same on both drivers: one per work-queue
 * filter and sort (store_case_list). */
#define QUEUE_INDEXES \
    "CREATE INDEX cases_next_due ON cases(next_due, id) WHERE next_due IS NOT NULL;" \
    "CREATE INDEX cases_next_kind ON cases(next_kind, next_due, id) WHERE next_due IS NOT NULL;" \
    "CREATE INDEX cases_next_kind_id ON cases(next_kind, id) WHERE next_due IS NOT NULL;" \
    "CREATE INDEX cases_open ON cases(id) WHERE next_due IS NOT NULL;" \
    "CREATE INDEX cases_pending ON cases(pending, id) WHERE pending IS NOT NULL;" \
    "CREATE INDEX case_units_open_due ON case_units(unit_id, case_id)" \
    " WHERE returned_at IS NULL AND next_due IS NOT NULL;" \
    "CREATE INDEX case_units_open ON case_units(unit_id, case_id) WHERE returned_at IS NULL;" \
    "CREATE INDEX case_units_next_due ON case_units(unit_id, next_due, case_id)" \
    " WHERE returned_at IS NULL AND next_due IS NOT NULL;" \
    "CREATE INDEX case_units_next_kind ON case_units(unit_id, next_kind, next_due, case_id)" \
    " WHERE returned_at IS NULL AND next_due IS NOT NULL;"

/* A unit's queue by status, in id order and in deadline order (migration 34). */
#define QUEUE_STATUS_INDEXES \
    "CREATE INDEX case_units_status ON case_units(unit_id, status, case_id) WHERE returned_at IS NULL;" \
    "CREATE INDEX case_units_status_due ON case_units(unit_id, status, next_due, case_id)" \
    " WHERE returned_at IS NULL AND next_due IS NOT NULL;"

/* Version N of the schema is migrations[N - 1]. SQLite tables are STRICT;
 * PostgreSQL's use BIGINT for times and ids, BYTEA for hashes, and the "C"
 * collation for codes so that both sort them byte by byte. */
#define PROGRESS_LOG_SEED                                                                               \
    "INSERT INTO progress_log(project_id, month, completed, entered_at)"                                \
    " SELECT project_id, month, completed, entered_at FROM project_progress ORDER BY id;"
#define INDICATOR_LOG_SEED                                                                              \
    "INSERT INTO indicator_log(indicator_id, kind, period, year, ord, value, demo, source, entered_at)" \
    " SELECT indicator_id, kind, period, year, ord, value, demo, source, entered_at FROM indicator_values ORDER BY id;"
#define EVAL_NAMED                                                                                      \
    "UPDATE evaluations SET named = 1 WHERE case_id IN"                                               \
    " (SELECT id FROM cases WHERE requester_phone IS NOT NULL AND requester_phone <> '');"

const store_migration store_migrations[] = {
    /* 1: reference data, cases, their units and the event log */
    {{"CREATE TABLE config(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
      "INSERT INTO config VALUES('tz_offset', '+08:00'), ('case_prefix', 'MZ');"
      "CREATE TABLE units(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
      /* CHECKs use comparisons: an IN list costs an ephemeral index per insert */
      " name TEXT NOT NULL,"
      " kind TEXT NOT NULL CHECK (kind = 'dept' OR kind = 'township' OR kind = 'center'),"
      " parent_id INTEGER REFERENCES units(id), created_at INTEGER NOT NULL) STRICT;"
      "CREATE TABLE categories(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
      " name TEXT NOT NULL, parent_id INTEGER REFERENCES categories(id),"
      " unit_id INTEGER REFERENCES units(id)) STRICT;"
      "CREATE TABLE calendar_days(day INTEGER PRIMARY KEY, date TEXT NOT NULL,"
      " year INTEGER NOT NULL, off INTEGER NOT NULL CHECK (off = 0 OR off = 1),"
      " name TEXT NOT NULL) STRICT;"
      "CREATE INDEX calendar_days_year ON calendar_days(year);"
      "CREATE TABLE policy(channel TEXT NOT NULL, class TEXT NOT NULL, stage TEXT NOT NULL,"
      " rule TEXT NOT NULL, PRIMARY KEY (channel, class, stage)) STRICT;"
      "CREATE TABLE case_seq(day INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;"
      "CREATE TABLE cases(id INTEGER PRIMARY KEY, case_no TEXT NOT NULL UNIQUE,"
      " channel TEXT NOT NULL, class TEXT NOT NULL, status TEXT NOT NULL,"
      " title TEXT NOT NULL, description TEXT, requester_name TEXT, requester_phone TEXT,"
      " confidential INTEGER NOT NULL DEFAULT 0, result TEXT,"
      " category_id INTEGER REFERENCES categories(id), township_id INTEGER REFERENCES units(id),"
      " lead_unit_id INTEGER REFERENCES units(id),"
      " received_at INTEGER NOT NULL, dispatched_at INTEGER, accepted_at INTEGER,"
      " first_feedback_at INTEGER, resolved_at INTEGER, visited_at INTEGER, closed_at INTEGER,"
      " updated_at INTEGER NOT NULL, dispatch_due INTEGER, accept_due INTEGER,"
      " feedback_due INTEGER, resolve_due INTEGER,"
      " satisfaction INTEGER CHECK (satisfaction BETWEEN 0 AND 2)," /* unsatisfied/basic/satisfied */
      " solved INTEGER CHECK (solved = 0 OR solved = 1), visit_waived INTEGER NOT NULL DEFAULT 0,"
      " reopen_count INTEGER NOT NULL DEFAULT 0, extension_count INTEGER NOT NULL DEFAULT 0,"
      " plan_count INTEGER NOT NULL DEFAULT 0, return_count INTEGER NOT NULL DEFAULT 0,"
      " pending TEXT, pending_until INTEGER,"
      " event_count INTEGER NOT NULL, last_hash BLOB NOT NULL) STRICT;"
      /* Partial: a new case has no unit yet, and intake should not pay for it. */
      "CREATE INDEX cases_lead ON cases(lead_unit_id, id) WHERE lead_unit_id IS NOT NULL;"
      "CREATE TABLE case_units(case_id INTEGER NOT NULL REFERENCES cases(id),"
      " unit_id INTEGER NOT NULL REFERENCES units(id),"
      " role TEXT NOT NULL CHECK (role = 'lead' OR role = 'assist'),"
      " assigned_at INTEGER NOT NULL, returned_at INTEGER) STRICT;"
      "CREATE INDEX case_units_case ON case_units(case_id);"
      "CREATE INDEX case_units_unit ON case_units(unit_id, assigned_at);"
      "CREATE TABLE events(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
      " seq INTEGER NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL, action TEXT NOT NULL,"
      " from_status TEXT, to_status TEXT NOT NULL, payload TEXT NOT NULL,"
      " prev_hash BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (case_id, seq)) STRICT;",

      "CREATE TABLE config(key TEXT COLLATE \"C\" PRIMARY KEY, value TEXT NOT NULL);"
      "INSERT INTO config VALUES('tz_offset', '+08:00'), ('case_prefix', 'MZ');"
      "CREATE TABLE units(id BIGSERIAL PRIMARY KEY, code TEXT COLLATE \"C\" NOT NULL UNIQUE,"
      " name TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('dept', 'township', 'center')),"
      " parent_id BIGINT REFERENCES units(id), created_at BIGINT NOT NULL);"
      "CREATE TABLE categories(id BIGSERIAL PRIMARY KEY, code TEXT COLLATE \"C\" NOT NULL UNIQUE,"
      " name TEXT NOT NULL, parent_id BIGINT REFERENCES categories(id),"
      " unit_id BIGINT REFERENCES units(id));"
      "CREATE TABLE calendar_days(day INTEGER PRIMARY KEY, date TEXT NOT NULL,"
      " year INTEGER NOT NULL, off INTEGER NOT NULL CHECK (off IN (0, 1)), name TEXT NOT NULL);"
      "CREATE INDEX calendar_days_year ON calendar_days(year);"
      "CREATE TABLE policy(channel TEXT NOT NULL, class TEXT NOT NULL, stage TEXT NOT NULL,"
      " rule TEXT NOT NULL, PRIMARY KEY (channel, class, stage));"
      "CREATE TABLE case_seq(day INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
      "CREATE TABLE cases(id BIGSERIAL PRIMARY KEY, case_no TEXT COLLATE \"C\" NOT NULL UNIQUE,"
      " channel TEXT NOT NULL, class TEXT NOT NULL, status TEXT NOT NULL,"
      " title TEXT NOT NULL, description TEXT, requester_name TEXT, requester_phone TEXT,"
      " confidential INTEGER NOT NULL DEFAULT 0, result TEXT,"
      " category_id BIGINT REFERENCES categories(id), township_id BIGINT REFERENCES units(id),"
      " lead_unit_id BIGINT REFERENCES units(id),"
      " received_at BIGINT NOT NULL, dispatched_at BIGINT, accepted_at BIGINT,"
      " first_feedback_at BIGINT, resolved_at BIGINT, visited_at BIGINT, closed_at BIGINT,"
      " updated_at BIGINT NOT NULL, dispatch_due BIGINT, accept_due BIGINT,"
      " feedback_due BIGINT, resolve_due BIGINT,"
      " satisfaction INTEGER CHECK (satisfaction BETWEEN 0 AND 2),"
      " solved INTEGER CHECK (solved IN (0, 1)), visit_waived INTEGER NOT NULL DEFAULT 0,"
      " reopen_count INTEGER NOT NULL DEFAULT 0, extension_count INTEGER NOT NULL DEFAULT 0,"
      " plan_count INTEGER NOT NULL DEFAULT 0, return_count INTEGER NOT NULL DEFAULT 0,"
      " pending TEXT, pending_until INTEGER,"
      " event_count INTEGER NOT NULL, last_hash BYTEA NOT NULL);"
      "CREATE INDEX cases_lead ON cases(lead_unit_id, id) WHERE lead_unit_id IS NOT NULL;"
      /* rowid: the insertion order SQLite's implicit rowid gives, under the same name */
      "CREATE TABLE case_units(rowid BIGSERIAL PRIMARY KEY,"
      " case_id BIGINT NOT NULL REFERENCES cases(id), unit_id BIGINT NOT NULL REFERENCES units(id),"
      " role TEXT NOT NULL CHECK (role IN ('lead', 'assist')),"
      " assigned_at BIGINT NOT NULL, returned_at BIGINT);"
      "CREATE INDEX case_units_case ON case_units(case_id);"
      "CREATE INDEX case_units_unit ON case_units(unit_id, assigned_at);"
      "CREATE TABLE events(id BIGSERIAL PRIMARY KEY, case_id BIGINT NOT NULL REFERENCES cases(id),"
      " seq INTEGER NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL, action TEXT NOT NULL,"
      " from_status TEXT, to_status TEXT NOT NULL, payload TEXT NOT NULL,"
      " prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL, UNIQUE (case_id, seq));"},
     st_seed_calendar},
    /* 2: supervision: notices, and per case the levels raised and the next
     * alert time (indexed), in a narrow table of their own because a sweep
     * rewrites them for many cases at once */
    {{"CREATE TABLE notices(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
      " kind TEXT NOT NULL, level TEXT NOT NULL, due INTEGER NOT NULL,"
      " raised_at INTEGER NOT NULL, unit_id INTEGER REFERENCES units(id),"
      " UNIQUE (case_id, kind, level, due)) STRICT;"
      "CREATE TABLE case_alerts(case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
      " alerted INTEGER NOT NULL DEFAULT 0, alert_at INTEGER) STRICT;"
      "CREATE INDEX case_alerts_due ON case_alerts(alert_at) WHERE alert_at IS NOT NULL;"
      "INSERT INTO case_alerts(case_id) SELECT id FROM cases;",

      "CREATE TABLE notices(id BIGSERIAL PRIMARY KEY, case_id BIGINT NOT NULL REFERENCES cases(id),"
      " kind TEXT NOT NULL, level TEXT NOT NULL, due BIGINT NOT NULL,"
      " raised_at BIGINT NOT NULL, unit_id BIGINT REFERENCES units(id),"
      " UNIQUE (case_id, kind, level, due));"
      "CREATE TABLE case_alerts(case_id BIGINT PRIMARY KEY REFERENCES cases(id),"
      " alerted BIGINT NOT NULL DEFAULT 0, alert_at BIGINT);"
      "CREATE INDEX case_alerts_due ON case_alerts(alert_at) WHERE alert_at IS NOT NULL;"
      "INSERT INTO case_alerts(case_id) SELECT id FROM cases;"},
     st_seed_alert_at},
    /* 3: the policy table's rows, and each dispatched case's metric fields
     * packed in one value (core/metrics.h) under a covering index, so a report
     * over a million cases decodes three columns per case instead of thirteen */
    {{"ALTER TABLE cases ADD COLUMN metrics BLOB;"
      "CREATE INDEX cases_stats ON cases(dispatched_at, lead_unit_id, metrics)"
      " WHERE dispatched_at IS NOT NULL;",

      "ALTER TABLE cases ADD COLUMN metrics BYTEA;"
      "CREATE INDEX cases_stats ON cases(dispatched_at) INCLUDE (lead_unit_id, metrics)"
      " WHERE dispatched_at IS NOT NULL;"},
     st_seed_v3},
    /* 4: accounts: users, sessions and API tokens (secrets stored as SHA-256),
     * failed-login counters and the access log */
    {{"CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
      " display_name TEXT NOT NULL, role TEXT NOT NULL, unit_id INTEGER REFERENCES units(id),"
      " password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
      " created_at INTEGER NOT NULL) STRICT;"
      "CREATE TABLE sessions(id INTEGER PRIMARY KEY, token_hash BLOB NOT NULL UNIQUE,"
      " user_id INTEGER NOT NULL REFERENCES users(id), csrf TEXT NOT NULL,"
      " created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL, ended_at INTEGER) STRICT;"
      "CREATE TABLE api_tokens(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
      " token_hash BLOB NOT NULL UNIQUE, role TEXT NOT NULL, unit_id INTEGER REFERENCES units(id),"
      " created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL,"
      " revoked_at INTEGER) STRICT;"
      "CREATE TABLE login_failures(key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
      " first_at INTEGER NOT NULL, last_at INTEGER NOT NULL) STRICT;"
      "CREATE TABLE access_log(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id INTEGER,"
      " actor TEXT NOT NULL, action TEXT NOT NULL, case_id INTEGER, detail TEXT) STRICT;"
      /* Bumped with every calendar, policy or time zone change, so that each
       * connection (a server has one per worker) knows to reload its copy. */
      "INSERT INTO config VALUES('env_version', '0');",

      "CREATE TABLE users(id BIGSERIAL PRIMARY KEY, username TEXT COLLATE \"C\" NOT NULL UNIQUE,"
      " display_name TEXT NOT NULL, role TEXT NOT NULL, unit_id BIGINT REFERENCES units(id),"
      " password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
      " created_at BIGINT NOT NULL);"
      "CREATE TABLE sessions(id BIGSERIAL PRIMARY KEY, token_hash BYTEA NOT NULL UNIQUE,"
      " user_id BIGINT NOT NULL REFERENCES users(id), csrf TEXT NOT NULL,"
      " created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL, ended_at BIGINT);"
      "CREATE TABLE api_tokens(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL,"
      " token_hash BYTEA NOT NULL UNIQUE, role TEXT NOT NULL, unit_id BIGINT REFERENCES units(id),"
      " created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL, revoked_at BIGINT);"
      "CREATE TABLE login_failures(key TEXT COLLATE \"C\" PRIMARY KEY, count BIGINT NOT NULL,"
      " first_at BIGINT NOT NULL, last_at BIGINT NOT NULL);"
      "CREATE TABLE access_log(id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, user_id BIGINT,"
      " actor TEXT NOT NULL, action TEXT NOT NULL, case_id BIGINT, detail TEXT);"
      "INSERT INTO config VALUES('env_version', '0');"},
     NULL},
    /* 5: full-text search over titles and descriptions that works for Chinese
     * (FTS5 trigram: any 3 characters, shorter queries use instr(); pg_trgm
     * GIN indexes under ILIKE). SQLite's index is caught up in one batch
     * before a search rather than by a trigger per insert (20x cheaper:
     * titles and descriptions never change), so intake stays fast. And the
     * intake's idempotency keys. */
    {{"CREATE VIRTUAL TABLE case_text USING fts5(title, description, content='cases',"
      " content_rowid='id', tokenize='trigram');"
      "INSERT INTO config VALUES('text_indexed_to', '0');"
      "INSERT INTO config VALUES('jurisdiction_id', 'mengzhou');"
      "CREATE INDEX cases_received ON cases(received_at);"
      "CREATE TABLE idempotency(actor TEXT NOT NULL, key TEXT NOT NULL,"
      " case_id INTEGER NOT NULL REFERENCES cases(id), created_at INTEGER NOT NULL,"
      " PRIMARY KEY (actor, key)) STRICT;",

      /* Its own table, written once at intake: an update of a case (every
       * action) then never rewrites the trigram indexes. */
      "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
      "CREATE TABLE case_text(id BIGINT PRIMARY KEY REFERENCES cases(id), title TEXT NOT NULL,"
      " description TEXT);"
      "INSERT INTO case_text SELECT id, title, description FROM cases;"
      "CREATE INDEX case_text_title ON case_text USING gin (title gin_trgm_ops);"
      "CREATE INDEX case_text_description ON case_text USING gin (description gin_trgm_ops);"
      "INSERT INTO config VALUES('text_indexed_to', '0');"
      "INSERT INTO config VALUES('jurisdiction_id', 'mengzhou');"
      "CREATE INDEX cases_received ON cases(received_at);"
      "CREATE TABLE idempotency(actor TEXT NOT NULL, key TEXT NOT NULL,"
      " case_id BIGINT NOT NULL REFERENCES cases(id), created_at BIGINT NOT NULL,"
      " PRIMARY KEY (actor, key));"},
     NULL},
    /* 6: where a case is and its pictures (Open311 clients send both) */
    {{"CREATE TABLE case_locations(case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
      " lat REAL, lon REAL, address TEXT, address_id TEXT) STRICT;"
      "CREATE TABLE case_media(case_id INTEGER NOT NULL REFERENCES cases(id),"
      " url TEXT NOT NULL) STRICT;"
      "CREATE INDEX case_media_case ON case_media(case_id);",

      "CREATE TABLE case_locations(case_id BIGINT PRIMARY KEY REFERENCES cases(id),"
      " lat DOUBLE PRECISION, lon DOUBLE PRECISION, address TEXT, address_id TEXT);"
      "CREATE TABLE case_media(rowid BIGSERIAL PRIMARY KEY,"
      " case_id BIGINT NOT NULL REFERENCES cases(id), url TEXT NOT NULL);"
      "CREATE INDEX case_media_case ON case_media(case_id);"},
     NULL},
    /* 7: what a category asks for beyond the description (Open311 service
     * attributes), and the answers given on each case */
    {{"CREATE TABLE category_attributes(id INTEGER PRIMARY KEY,"
      " category_id INTEGER NOT NULL REFERENCES categories(id), code TEXT NOT NULL,"
      " datatype TEXT NOT NULL, required INTEGER NOT NULL, description TEXT NOT NULL,"
      " ord INTEGER NOT NULL, choices TEXT, UNIQUE (category_id, code)) STRICT;"
      "CREATE TABLE case_attributes(case_id INTEGER NOT NULL REFERENCES cases(id),"
      " code TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (case_id, code)) STRICT;",

      "CREATE TABLE category_attributes(id BIGSERIAL PRIMARY KEY,"
      " category_id BIGINT NOT NULL REFERENCES categories(id), code TEXT NOT NULL,"
      " datatype TEXT NOT NULL, required INTEGER NOT NULL, description TEXT NOT NULL,"
      " ord INTEGER NOT NULL, choices TEXT, UNIQUE (category_id, code));"
      "CREATE TABLE case_attributes(case_id BIGINT NOT NULL REFERENCES cases(id),"
      " code TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (case_id, code));"},
     NULL},
    /* 8: free text that can be erased without breaking the hash chain
     * (core/audit.h): each event's scheme, its free text apart from the
     * payload, the digest left when that text is erased, and each case's key
     * for those digests. Earlier events keep scheme 1. */
    {{"ALTER TABLE events ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1;"
      "ALTER TABLE events ADD COLUMN text TEXT;"
      "ALTER TABLE events ADD COLUMN text_digest BLOB;"
      "ALTER TABLE cases ADD COLUMN text_key BLOB;",

      "ALTER TABLE events ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1;"
      "ALTER TABLE events ADD COLUMN text TEXT;"
      "ALTER TABLE events ADD COLUMN text_digest BYTEA;"
      "ALTER TABLE cases ADD COLUMN text_key BYTEA;"},
     NULL},
    /* 9: what the public may read of a case (core/view.h): a summary and a
     * reply a dispatcher wrote to be public (ACT_PUBLISH). */
    {{"ALTER TABLE cases ADD COLUMN public_summary TEXT;"
      "ALTER TABLE cases ADD COLUMN public_reply TEXT;"
      "INSERT INTO config VALUES('public_channels', 'open311,qr');"
      "INSERT INTO config VALUES('max_extension_days', '365');"
      "INSERT INTO config VALUES('open311_url', 'http://127.0.0.1:8080/open311/v2');",

      "ALTER TABLE cases ADD COLUMN public_summary TEXT;"
      "ALTER TABLE cases ADD COLUMN public_reply TEXT;"
      "INSERT INTO config VALUES('public_channels', 'open311,qr');"
      "INSERT INTO config VALUES('max_extension_days', '365');"
      "INSERT INTO config VALUES('open311_url', 'http://127.0.0.1:8080/open311/v2');"},
     NULL},
    /* 10: deadlines counted beyond the loaded calendar (core/case.h): which
     * pending ones are provisional and where each was counted from, so that
     * importing the year counts them again. Cases from before keep theirs. */
    {{"ALTER TABLE cases ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE cases ADD COLUMN due_from TEXT;"
      "CREATE INDEX cases_provisional ON cases(id) WHERE provisional <> 0;",

      "ALTER TABLE cases ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE cases ADD COLUMN due_from TEXT;"
      "CREATE INDEX cases_provisional ON cases(id) WHERE provisional <> 0;"},
     NULL},
    /* 11: the work queues (GET /cases): each open case's next deadline and its
     * kind (case_next_due), on the case and on its units' rows, so that every
     * filter and sort of a queue (next deadline, newest; a pending request,
     * the deadline kind, due before, overdue; a unit's own) reads its page
     * from an index instead of sorting the unit's history. */
    {{"ALTER TABLE cases ADD COLUMN next_due INTEGER;"
      "ALTER TABLE cases ADD COLUMN next_kind TEXT;"
      "ALTER TABLE case_units ADD COLUMN next_due INTEGER;"
      "ALTER TABLE case_units ADD COLUMN next_kind TEXT;"
      QUEUE_INDEXES,

      "ALTER TABLE cases ADD COLUMN next_due BIGINT;"
      "ALTER TABLE cases ADD COLUMN next_kind TEXT;"
      "ALTER TABLE case_units ADD COLUMN next_due BIGINT;"
      "ALTER TABLE case_units ADD COLUMN next_kind TEXT;"
      QUEUE_INDEXES},
     st_seed_next_due},
    /* 12: 诉求类型, what each case asks for (core/case.h: case_appeal), given
     * at intake; NULL for the cases before */
    {{"ALTER TABLE cases ADD COLUMN appeal_type TEXT;"
      "CREATE INDEX cases_appeal ON cases(appeal_type, id) WHERE appeal_type IS NOT NULL;",

      "ALTER TABLE cases ADD COLUMN appeal_type TEXT;"
      "CREATE INDEX cases_appeal ON cases(appeal_type, id) WHERE appeal_type IS NOT NULL;"},
     NULL},
    /* 13: an assignment ended by 改派 (reassign) rather than a 退单: it does not
     * count as the unit's return */
    {{"ALTER TABLE case_units ADD COLUMN reassigned INTEGER NOT NULL DEFAULT 0;",
      "ALTER TABLE case_units ADD COLUMN reassigned INTEGER NOT NULL DEFAULT 0;"},
     NULL},
    /* 14: the latest 领导批示 on a case, and the cases with one, newest first */
    {{"ALTER TABLE cases ADD COLUMN instructed_at INTEGER;"
      "CREATE INDEX cases_instructed ON cases(id) WHERE instructed_at IS NOT NULL;",

      "ALTER TABLE cases ADD COLUMN instructed_at BIGINT;"
      "CREATE INDEX cases_instructed ON cases(id) WHERE instructed_at IS NOT NULL;"},
     NULL},
    /* 15: 回访 联系不上: the days a visit attempt reached nobody, and the cases
     * closed for it (counted per unit in stats) */
    {{"ALTER TABLE cases ADD COLUMN unreachable_days INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE cases ADD COLUMN unreachable_day INTEGER;"
      "ALTER TABLE cases ADD COLUMN closed_unreachable INTEGER NOT NULL DEFAULT 0;"
      "CREATE INDEX cases_unreachable ON cases(dispatched_at) WHERE closed_unreachable = 1;"
      "INSERT INTO config VALUES('unreachable_attempts', '3');",

      "ALTER TABLE cases ADD COLUMN unreachable_days INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE cases ADD COLUMN unreachable_day INTEGER;"
      "ALTER TABLE cases ADD COLUMN closed_unreachable INTEGER NOT NULL DEFAULT 0;"
      "CREATE INDEX cases_unreachable ON cases(dispatched_at) WHERE closed_unreachable = 1;"
      "INSERT INTO config VALUES('unreachable_attempts', '3');"},
     NULL},
    /* 16: the 知识库 (core/kb.h). Searched like cases: SQLite's FTS5 trigram
     * index (kept by triggers: entries change seldom), PostgreSQL's pg_trgm
     * over the same text; valid_until is a day number, NULL for no end. */
    {{"CREATE TABLE kb(id INTEGER PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,"
      " policy TEXT, category_id INTEGER REFERENCES categories(id),"
      " unit_id INTEGER REFERENCES units(id), valid_until INTEGER,"
      " uses INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL) STRICT;"
      "CREATE INDEX kb_unit ON kb(unit_id);"
      "CREATE VIRTUAL TABLE kb_text USING fts5(question, answer, policy, content='kb',"
      " content_rowid='id', tokenize='trigram');"
      "CREATE TRIGGER kb_ai AFTER INSERT ON kb BEGIN INSERT INTO kb_text(rowid, question,"
      " answer, policy) VALUES(new.id, new.question, new.answer, new.policy); END;"
      "CREATE TRIGGER kb_ad AFTER DELETE ON kb BEGIN INSERT INTO kb_text(kb_text, rowid,"
      " question, answer, policy) VALUES('delete', old.id, old.question, old.answer,"
      " old.policy); END;"
      "CREATE TRIGGER kb_au AFTER UPDATE OF question, answer, policy ON kb BEGIN"
      " INSERT INTO kb_text(kb_text, rowid, question, answer, policy) VALUES('delete', old.id,"
      " old.question, old.answer, old.policy); INSERT INTO kb_text(rowid, question, answer,"
      " policy) VALUES(new.id, new.question, new.answer, new.policy); END;",

      "CREATE TABLE kb(id BIGSERIAL PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,"
      " policy TEXT, category_id BIGINT REFERENCES categories(id),"
      " unit_id BIGINT REFERENCES units(id), valid_until INTEGER,"
      " uses BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL);"
      "CREATE INDEX kb_unit ON kb(unit_id);"
      "CREATE INDEX kb_text ON kb USING gin ((question || ' ' || answer || ' ' ||"
      " coalesce(policy, '')) gin_trgm_ops);"},
     NULL},
    /* 17: 并案 that keeps the person: the main case a duplicate follows */
    {{"ALTER TABLE cases ADD COLUMN merged_into INTEGER REFERENCES cases(id);"
      "CREATE INDEX cases_merged ON cases(merged_into) WHERE merged_into IS NOT NULL;",

      "ALTER TABLE cases ADD COLUMN merged_into BIGINT REFERENCES cases(id);"
      "CREATE INDEX cases_merged ON cases(merged_into) WHERE merged_into IS NOT NULL;"},
     NULL},
    /* 18: attachments, kept in the database so that every node serves them;
     * event_seq: the case's event that recorded the bytes' SHA-256 */
    {{"CREATE TABLE attachments(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES"
      " cases(id), event_seq INTEGER NOT NULL, name TEXT NOT NULL, mime TEXT NOT NULL,"
      " size INTEGER NOT NULL, sha256 BLOB NOT NULL, data BLOB NOT NULL,"
      " published INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
      " created_by TEXT NOT NULL) STRICT;"
      "CREATE INDEX attachments_case ON attachments(case_id);"
      "INSERT INTO config VALUES('attachment_max_bytes', '10485760');",

      "CREATE TABLE attachments(id BIGSERIAL PRIMARY KEY, case_id BIGINT NOT NULL REFERENCES"
      " cases(id), event_seq INTEGER NOT NULL, name TEXT NOT NULL, mime TEXT NOT NULL,"
      " size BIGINT NOT NULL, sha256 BYTEA NOT NULL, data BYTEA NOT NULL,"
      " published INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
      " created_by TEXT NOT NULL);"
      "CREATE INDEX attachments_case ON attachments(case_id);"
      "INSERT INTO config VALUES('attachment_max_bytes', '10485760');"},
     NULL},
    /* 19: the stats index covers 诉求类型 too: each unit's cases by type come
     * from the same scan as its rates */
    {{"DROP INDEX cases_stats;"
      "CREATE INDEX cases_stats ON cases(dispatched_at, lead_unit_id, metrics, appeal_type)"
      " WHERE dispatched_at IS NOT NULL;",

      "DROP INDEX cases_stats;"
      "CREATE INDEX cases_stats ON cases(dispatched_at) INCLUDE (lead_unit_id, metrics, appeal_type)"
      " WHERE dispatched_at IS NOT NULL;"},
     NULL},
    /* 20: 码上评 (core/eval.h): service points and their evaluations. An
     * evaluation keeps a digest of its device's cookie and its address only
     * for the throttle; no phone (that goes to the case it makes, if any).
     * A 码上评 case's 整改 deadline: 15 working days where the old default
     * of 7 days was never changed. */
    {{"CREATE TABLE service_points(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
      " name TEXT NOT NULL, place TEXT, unit_id INTEGER NOT NULL REFERENCES units(id),"
      " active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL) STRICT;"
      "CREATE TABLE evaluations(id INTEGER PRIMARY KEY,"
      " point_id INTEGER NOT NULL REFERENCES service_points(id),"
      " unit_id INTEGER NOT NULL REFERENCES units(id),"
      " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5), reasons INTEGER NOT NULL,"
      " comment TEXT, device BLOB NOT NULL, addr TEXT NOT NULL, at INTEGER NOT NULL,"
      " case_id INTEGER REFERENCES cases(id)) STRICT;"
      "CREATE INDEX evaluations_point ON evaluations(point_id, at);"
      "CREATE INDEX evaluations_at ON evaluations(at);"
      "INSERT INTO config VALUES('qr_addr_per_hour', '120'), ('rank_min_dispatched', '10');"
      "UPDATE policy SET rule = '15 workday' WHERE channel = 'qr' AND class = 'general'"
      " AND stage = 'resolve' AND rule = '7 day';",

      "CREATE TABLE service_points(id BIGSERIAL PRIMARY KEY, code TEXT COLLATE \"C\" NOT NULL"
      " UNIQUE, name TEXT NOT NULL, place TEXT, unit_id BIGINT NOT NULL REFERENCES units(id),"
      " active INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL);"
      "CREATE TABLE evaluations(id BIGSERIAL PRIMARY KEY,"
      " point_id BIGINT NOT NULL REFERENCES service_points(id),"
      " unit_id BIGINT NOT NULL REFERENCES units(id),"
      " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5), reasons INTEGER NOT NULL,"
      " comment TEXT, device BYTEA NOT NULL, addr TEXT NOT NULL, at BIGINT NOT NULL,"
      " case_id BIGINT REFERENCES cases(id));"
      "CREATE INDEX evaluations_point ON evaluations(point_id, at);"
      "CREATE INDEX evaluations_at ON evaluations(at);"
      "INSERT INTO config VALUES('qr_addr_per_hour', '120'), ('rank_min_dispatched', '10');"
      "UPDATE policy SET rule = '15 workday' WHERE channel = 'qr' AND class = 'general'"
      " AND stage = 'resolve' AND rule = '7 day';"},
     NULL},
    /* 21: the figures by the day received (the 12345 centre's, the
     * dashboard's breakdown) read the received_at index alone: it carries
     * the columns they count, so a year of a million cases is not a million
     * row lookups; and the units' figures find their (few) returned
     * assignments without reading every assignment */
    {{"DROP INDEX cases_received;"
      "CREATE INDEX cases_received ON cases(received_at, merged_into, dispatched_at, resolved_at,"
      " visited_at, satisfaction, channel, class, appeal_type, category_id, township_id);"
      "CREATE INDEX case_units_returned ON case_units(assigned_at, unit_id, returned_at, reassigned)"
      " WHERE role = 'lead' AND returned_at IS NOT NULL;",

      "DROP INDEX cases_received;"
      "CREATE INDEX cases_received ON cases(received_at) INCLUDE (merged_into, dispatched_at,"
      " resolved_at, visited_at, satisfaction, channel, class, appeal_type, category_id, township_id);"
      "CREATE INDEX case_units_returned ON case_units(assigned_at) INCLUDE (unit_id, returned_at,"
      " reassigned) WHERE role = 'lead' AND returned_at IS NOT NULL;"},
     NULL},
    /* 22: reply templates (答复模板), per category or for every one */
    {{"CREATE TABLE reply_templates(id INTEGER PRIMARY KEY,"
      " category_id INTEGER REFERENCES categories(id), title TEXT NOT NULL, body TEXT NOT NULL,"
      " updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL) STRICT;"
      "CREATE INDEX reply_templates_category ON reply_templates(category_id);",

      "CREATE TABLE reply_templates(id BIGSERIAL PRIMARY KEY,"
      " category_id BIGINT REFERENCES categories(id), title TEXT NOT NULL, body TEXT NOT NULL,"
      " updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL);"
      "CREATE INDEX reply_templates_category ON reply_templates(category_id);"},
     NULL},
    /* 23: 通报 published: numbered issues kept as they were sent (the figures,
     * the page and the workbook), a correction naming the issue it corrects */
    {{"CREATE TABLE bulletins(no INTEGER PRIMARY KEY, period_from INTEGER NOT NULL,"
      " period_to INTEGER NOT NULL, before_from INTEGER NOT NULL, published_at INTEGER NOT NULL,"
      " published_by TEXT NOT NULL, corrects INTEGER REFERENCES bulletins(no), note TEXT,"
      " figures TEXT NOT NULL, page TEXT NOT NULL, workbook BLOB NOT NULL) STRICT;",

      "CREATE TABLE bulletins(no BIGINT PRIMARY KEY, period_from BIGINT NOT NULL,"
      " period_to BIGINT NOT NULL, before_from BIGINT NOT NULL, published_at BIGINT NOT NULL,"
      " published_by TEXT NOT NULL, corrects BIGINT REFERENCES bulletins(no), note TEXT,"
      " figures TEXT NOT NULL, page TEXT NOT NULL, workbook BYTEA NOT NULL);"},
     NULL},
    /* 24: the 清零 ledger walks the cases not yet closed, all or one lead
     * unit's, without touching the closed ones */
    {SAME("CREATE INDEX cases_unclosed ON cases(id)"
          " WHERE status <> 'closed' AND status <> 'merged';"
          "CREATE INDEX cases_unclosed_lead ON cases(lead_unit_id, id)"
          " WHERE status <> 'closed' AND status <> 'merged';"),
     NULL},
    /* 25: 申诉复核 of a 回访 (core/case.h: case_review); the figures by the day
     * received leave an upheld one's visit out, so their index carries it */
    {{"ALTER TABLE cases ADD COLUMN review TEXT;"
      "ALTER TABLE cases ADD COLUMN review_at INTEGER;"
      "DROP INDEX cases_received;"
      "CREATE INDEX cases_received ON cases(received_at, merged_into, dispatched_at, resolved_at,"
      " visited_at, satisfaction, channel, class, appeal_type, category_id, township_id, review,"
      " review_at);"
      "CREATE INDEX cases_review ON cases(id) WHERE review = 'pending';"
      EVAL_REVIEW_COLS("INTEGER"),

      "ALTER TABLE cases ADD COLUMN review TEXT;"
      "ALTER TABLE cases ADD COLUMN review_at BIGINT;"
      "DROP INDEX cases_received;"
      "CREATE INDEX cases_received ON cases(received_at) INCLUDE (merged_into, dispatched_at,"
      " resolved_at, visited_at, satisfaction, channel, class, appeal_type, category_id, township_id,"
      " review, review_at);"
      "CREATE INDEX cases_review ON cases(id) WHERE review = 'pending';"
      EVAL_REVIEW_COLS("BIGINT")},
     NULL},
    /* 26: the cases made from hot spots (未诉先办), so a hot spot is made
     * into one case a week, not one per click */
    {{"CREATE TABLE hotspot_tasks(id INTEGER PRIMARY KEY,"
      " category_id INTEGER NOT NULL REFERENCES categories(id), place TEXT NOT NULL,"
      " place_id INTEGER NOT NULL REFERENCES units(id), made_at INTEGER NOT NULL,"
      " case_id INTEGER NOT NULL REFERENCES cases(id)) STRICT;"
      "CREATE INDEX hotspot_tasks_pair ON hotspot_tasks(category_id, place, place_id, made_at);",

      "CREATE TABLE hotspot_tasks(id BIGSERIAL PRIMARY KEY,"
      " category_id BIGINT NOT NULL REFERENCES categories(id), place TEXT NOT NULL,"
      " place_id BIGINT NOT NULL REFERENCES units(id), made_at BIGINT NOT NULL,"
      " case_id BIGINT NOT NULL REFERENCES cases(id));"
      "CREATE INDEX hotspot_tasks_pair ON hotspot_tasks(category_id, place, place_id, made_at);"},
     NULL},
    /* 27: the answer to a 人大代表建议 or 政协提案 (A/B/C/D) and the day a B or
     * C promises; a proposal answered unsatisfactorily is answered again
     * within proposal_redo_days */
    {SAME("ALTER TABLE cases ADD COLUMN answer TEXT;"
          "ALTER TABLE cases ADD COLUMN promise_day INTEGER;"
          "INSERT INTO config VALUES('proposal_redo_days', '30');"),
     NULL},
    /* 28: 1+10+N's "1": the main indicators (the sixth, 城乡居民人均可支配收入,
     * as its urban and rural halves, one group) and their growth rates —
     * yearly targets, actuals by year, quarter or month; demo marks what the
     * demo invented, source where a figure came from */
    {{"CREATE TABLE indicators(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
      " grp TEXT NOT NULL, ord INTEGER NOT NULL) STRICT;"
      INDICATORS_SEED
      "CREATE TABLE indicator_values(id INTEGER PRIMARY KEY,"
      " indicator_id INTEGER NOT NULL REFERENCES indicators(id), kind TEXT NOT NULL, period TEXT NOT NULL,"
      " year INTEGER NOT NULL, ord INTEGER NOT NULL, value REAL NOT NULL, demo INTEGER NOT NULL DEFAULT 0,"
      " source TEXT, entered_by TEXT NOT NULL, entered_at INTEGER NOT NULL,"
      " UNIQUE(indicator_id, kind, period)) STRICT;",

      "CREATE TABLE indicators(id BIGSERIAL PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
      " grp TEXT NOT NULL, ord INTEGER NOT NULL);"
      INDICATORS_SEED
      "CREATE TABLE indicator_values(id BIGSERIAL PRIMARY KEY,"
      " indicator_id BIGINT NOT NULL REFERENCES indicators(id), kind TEXT NOT NULL, period TEXT NOT NULL,"
      " year INTEGER NOT NULL, ord INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL,"
      " demo INTEGER NOT NULL DEFAULT 0, source TEXT, entered_by TEXT NOT NULL, entered_at BIGINT NOT NULL,"
      " UNIQUE(indicator_id, kind, period));"},
     NULL},
    /* 29: 1+10+N's "10" and "N": a key or phased task is a 领导交办 case with
     * its group and responsible leader; its milestones (节点) and the
     * problems raised under it are cases of their own, linked to it (a
     * project's problems too, by project_id, from migration 30 on) */
    {{"CREATE TABLE tasks(case_id INTEGER PRIMARY KEY REFERENCES cases(id), role TEXT NOT NULL,"
      " parent_id INTEGER REFERENCES cases(id), project_id INTEGER, grp TEXT, kind TEXT, leader TEXT,"
      " seq INTEGER NOT NULL DEFAULT 0) STRICT;"
      "CREATE INDEX tasks_parent ON tasks(parent_id, seq) WHERE parent_id IS NOT NULL;"
      "CREATE INDEX tasks_project ON tasks(project_id) WHERE project_id IS NOT NULL;"
      "CREATE INDEX tasks_role ON tasks(role, grp);",

      "CREATE TABLE tasks(case_id BIGINT PRIMARY KEY REFERENCES cases(id), role TEXT NOT NULL,"
      " parent_id BIGINT REFERENCES cases(id), project_id BIGINT, grp TEXT, kind TEXT, leader TEXT,"
      " seq INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX tasks_parent ON tasks(parent_id, seq) WHERE parent_id IS NOT NULL;"
      "CREATE INDEX tasks_project ON tasks(project_id) WHERE project_id IS NOT NULL;"
      "CREATE INDEX tasks_role ON tasks(role, grp);"},
     NULL},
    /* 30: 三个一批 and the 三十工程: key projects with their stage days, the
     * year's planned investment and monthly progress (万元); a problem raised
     * on a project is a 领导交办 case linked by tasks.project_id */
    {{"CREATE TABLE projects(id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,"
      " level TEXT NOT NULL, stage TEXT NOT NULL, unit_id INTEGER NOT NULL REFERENCES units(id), leader TEXT,"
      " location TEXT, total REAL NOT NULL, year INTEGER NOT NULL, year_plan REAL NOT NULL,"
      " signed_day INTEGER, started_day INTEGER, producing_day INTEGER, demo INTEGER NOT NULL DEFAULT 0,"
      " created_by TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE(year, name)) STRICT;"
      "CREATE TABLE project_progress(id INTEGER PRIMARY KEY,"
      " project_id INTEGER NOT NULL REFERENCES projects(id), month TEXT NOT NULL, year INTEGER NOT NULL,"
      " completed REAL NOT NULL, progress TEXT, problems TEXT, case_id INTEGER REFERENCES cases(id),"
      " demo INTEGER NOT NULL DEFAULT 0, entered_by TEXT NOT NULL, entered_at INTEGER NOT NULL,"
      " UNIQUE(project_id, month)) STRICT;",

      "CREATE TABLE projects(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,"
      " level TEXT NOT NULL, stage TEXT NOT NULL, unit_id BIGINT NOT NULL REFERENCES units(id), leader TEXT,"
      " location TEXT, total DOUBLE PRECISION NOT NULL, year INTEGER NOT NULL, year_plan DOUBLE PRECISION NOT NULL,"
      " signed_day INTEGER, started_day INTEGER, producing_day INTEGER, demo INTEGER NOT NULL DEFAULT 0,"
      " created_by TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE(year, name));"
      "CREATE TABLE project_progress(id BIGSERIAL PRIMARY KEY,"
      " project_id BIGINT NOT NULL REFERENCES projects(id), month TEXT NOT NULL, year INTEGER NOT NULL,"
      " completed DOUBLE PRECISION NOT NULL, progress TEXT, problems TEXT, case_id BIGINT REFERENCES cases(id),"
      " demo INTEGER NOT NULL DEFAULT 0, entered_by TEXT NOT NULL, entered_at BIGINT NOT NULL,"
      " UNIQUE(project_id, month));"},
     NULL},
    /* 31: the webhook's outbox: notices for people (督办 notices and
     * escalations, 差评 for the unit, a citizen's 受理回执 and 办结告知), each
     * kept until delivered, with when it may go and its attempts; the
     * cursors over the notices, evaluations and events already looked at
     * start at what is there, so turning the webhook on sends no history */
    {{"CREATE TABLE outbox(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, case_id INTEGER, unit_id INTEGER,"
      " urgent INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, created_at INTEGER NOT NULL,"
      " not_before INTEGER NOT NULL, next_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
      " lease_until INTEGER, sent_at INTEGER, failed_at INTEGER, last_error TEXT) STRICT;"
      OUTBOX_REST,

      "CREATE TABLE outbox(id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, case_id BIGINT, unit_id BIGINT,"
      " urgent INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, created_at BIGINT NOT NULL,"
      " not_before BIGINT NOT NULL, next_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
      " lease_until BIGINT, sent_at BIGINT, failed_at BIGINT, last_error TEXT);"
      OUTBOX_REST},
     NULL},
    /* 32: the 通报's proposals, found among a month's cases without reading
     * every one of them */
    {SAME("CREATE INDEX cases_proposals ON cases(dispatched_at) WHERE channel IN ('deputy', 'cppcc');"), NULL},
    /* 33: retention of requester data (store_purge.h): each channel's period
     * where it is not the default, when a case's data was erased, and an
     * attachment whose bytes were; the purge finds the closed cases not yet
     * purged by the day they closed */
    {{"CREATE TABLE retention(channel TEXT PRIMARY KEY, days INTEGER NOT NULL) STRICT;"
      "ALTER TABLE cases ADD COLUMN purged_at INTEGER;"
      "ALTER TABLE attachments ADD COLUMN erased_at INTEGER;"
      "CREATE INDEX cases_purge ON cases(closed_at) WHERE status = 'closed' AND purged_at IS NULL;",

      "CREATE TABLE retention(channel TEXT PRIMARY KEY, days INTEGER NOT NULL);"
      "ALTER TABLE cases ADD COLUMN purged_at BIGINT;"
      "ALTER TABLE attachments ADD COLUMN erased_at BIGINT;"
      "CREATE INDEX cases_purge ON cases(closed_at) WHERE status = 'closed' AND purged_at IS NULL;"},
     NULL},
    /* 34: a unit's queue of one status (unit=cgj&status=accepted) read by
     * an index instead of walking every case the unit ever had: each open
     * assignment carries its case's status (an ended one, the status it had
     * when it ended; none is left without). Triggers keep it, so that it
     * holds whoever writes — a node of the version before, still running
     * while another has upgraded the shared database, included: a case's
     * new status reaches its open assignments, and an assignment made
     * without one takes its case's. */
    {{"ALTER TABLE case_units ADD COLUMN status TEXT;"
      "UPDATE case_units SET status = (SELECT c.status FROM cases c WHERE c.id = case_units.case_id);"
      "CREATE TRIGGER cases_status_to_units AFTER UPDATE OF status ON cases"
      " WHEN OLD.status IS NOT NEW.status BEGIN"
      " UPDATE case_units SET status = NEW.status WHERE case_id = NEW.id AND returned_at IS NULL; END;"
      "CREATE TRIGGER case_units_status_of_case AFTER INSERT ON case_units WHEN NEW.status IS NULL BEGIN"
      " UPDATE case_units SET status = (SELECT c.status FROM cases c WHERE c.id = NEW.case_id)"
      " WHERE rowid = NEW.rowid; END;" QUEUE_STATUS_INDEXES,

      "ALTER TABLE case_units ADD COLUMN status TEXT;"
      "UPDATE case_units cu SET status = c.status FROM cases c WHERE c.id = cu.case_id;"
      "CREATE FUNCTION cases_status_to_units() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
      " UPDATE case_units SET status = NEW.status WHERE case_id = NEW.id AND returned_at IS NULL;"
      " RETURN NULL; END $$;"
      "CREATE TRIGGER cases_status_to_units AFTER UPDATE OF status ON cases FOR EACH ROW"
      " WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION cases_status_to_units();"
      "CREATE FUNCTION case_units_status_of_case() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
      " NEW.status := (SELECT c.status FROM cases c WHERE c.id = NEW.case_id); RETURN NEW; END $$;"
      "CREATE TRIGGER case_units_status_of_case BEFORE INSERT ON case_units FOR EACH ROW"
      " WHEN (NEW.status IS NULL) EXECUTE FUNCTION case_units_status_of_case();" QUEUE_STATUS_INDEXES},
     NULL},
    /* 35: the outbox in order per case: whether a row has an earlier one of
     * its case still to go (store_outbox_claim) is one look */
    {SAME("CREATE INDEX outbox_case_pending ON outbox(case_id, id)"
          " WHERE sent_at IS NULL AND failed_at IS NULL AND case_id IS NOT NULL;"), NULL},
    /* 36: a list of one status over every unit (status=accepted) read by an
     * index, in id order or by the next deadline, instead of walking every
     * case for the few of that status */
    {SAME("CREATE INDEX cases_status ON cases(status, id);"
          "CREATE INDEX cases_status_due ON cases(status, next_due, id) WHERE next_due IS NOT NULL;"), NULL},
    /* 37: figures as of any moment. Each case keeps its history (core/
     * metrics.h: every change a figure reads, with its time), written from
     * its events here and by every action after; the packed latest state
     * (metrics) it replaces goes, with its covering index. fig_until: the
     * last moment a figure can count the case (its last change, once it is
     * settled; never, while open), so a period's figures read the cases
     * that changed since its start and the open ones, not every case —
     * from an index that holds what they read. */
    {{"ALTER TABLE cases ADD COLUMN history BLOB;"
      "ALTER TABLE cases ADD COLUMN fig_until INTEGER NOT NULL DEFAULT 9223372036854775807;"
      "DROP INDEX cases_stats;"
      "ALTER TABLE cases DROP COLUMN metrics;"
      "CREATE INDEX cases_fig ON cases(fig_until, received_at, id, appeal_type, history);",
      "ALTER TABLE cases ADD COLUMN history BYTEA;"
      "ALTER TABLE cases ADD COLUMN fig_until BIGINT NOT NULL DEFAULT 9223372036854775807;"
      "DROP INDEX cases_stats;"
      "ALTER TABLE cases DROP COLUMN metrics;"
      "CREATE INDEX cases_fig ON cases(fig_until, received_at) INCLUDE (id, appeal_type, history);"},
     st_seed_history},
    /* 38: the 考核 scheme as data, by year, kept as set (core/scheme.h):
     * composite_weights becomes one (st_seed_schemes); the settings a
     * figure reads kept with the moment each was set, so a figure as of a
     * moment reads the settings in force then; and whether a 差评's author
     * left contact details (实名, in 整改率; the anonymous apart), known
     * for the older ones from their case's phone — before retention erases
     * it, which then no longer moves a past figure. */
    {{"CREATE TABLE schemes(id INTEGER PRIMARY KEY, year INTEGER NOT NULL, set_at INTEGER NOT NULL, actor TEXT,"
      " body TEXT NOT NULL) STRICT;"
      "CREATE TABLE config_log(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL,"
      " set_at INTEGER NOT NULL) STRICT;"
      "CREATE INDEX config_log_key ON config_log(key, set_at);"
      "INSERT INTO config_log(key, value, set_at) SELECT key, value, 0 FROM config"
      " WHERE key IN ('rank_min_dispatched', 'appraisal_weights');"
      "ALTER TABLE evaluations ADD COLUMN named INTEGER NOT NULL DEFAULT 0;" EVAL_NAMED,
      "CREATE TABLE schemes(id BIGSERIAL PRIMARY KEY, year INTEGER NOT NULL, set_at BIGINT NOT NULL, actor TEXT,"
      " body TEXT NOT NULL);"
      "CREATE TABLE config_log(id BIGSERIAL PRIMARY KEY, key TEXT COLLATE \"C\" NOT NULL, value TEXT NOT NULL,"
      " set_at BIGINT NOT NULL);"
      "CREATE INDEX config_log_key ON config_log(key, set_at);"
      "INSERT INTO config_log(key, value, set_at) SELECT key, value, 0 FROM config"
      " WHERE key IN ('rank_min_dispatched', 'appraisal_weights');"
      "ALTER TABLE evaluations ADD COLUMN named INTEGER NOT NULL DEFAULT 0;" EVAL_NAMED},
     st_seed_schemes},
    /* 39: the values reported, as reported: a project's monthly progress
     * and an indicator's value are put again when corrected, and the row
     * keeps only the last; each put is kept here with its moment too, so a
     * figure as of a moment (综合考评's projects, the indicators) reads what
     * had been reported by then. What is there starts them, at its time. */
    {{"CREATE TABLE progress_log(id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id),"
      " month TEXT NOT NULL, completed REAL NOT NULL, entered_at INTEGER NOT NULL) STRICT;"
      "CREATE INDEX progress_log_project ON progress_log(project_id, month, entered_at);"
      PROGRESS_LOG_SEED
      "CREATE TABLE indicator_log(id INTEGER PRIMARY KEY, indicator_id INTEGER NOT NULL REFERENCES indicators(id),"
      " kind TEXT NOT NULL, period TEXT NOT NULL, year INTEGER NOT NULL, ord INTEGER NOT NULL, value REAL NOT NULL,"
      " demo INTEGER NOT NULL, source TEXT, entered_at INTEGER NOT NULL) STRICT;"
      "CREATE INDEX indicator_log_year ON indicator_log(year, indicator_id, kind, period, entered_at);"
      INDICATOR_LOG_SEED,
      "CREATE TABLE progress_log(id BIGSERIAL PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES projects(id),"
      " month TEXT COLLATE \"C\" NOT NULL, completed DOUBLE PRECISION NOT NULL, entered_at BIGINT NOT NULL);"
      "CREATE INDEX progress_log_project ON progress_log(project_id, month, entered_at);"
      PROGRESS_LOG_SEED
      "CREATE TABLE indicator_log(id BIGSERIAL PRIMARY KEY, indicator_id BIGINT NOT NULL REFERENCES indicators(id),"
      " kind TEXT COLLATE \"C\" NOT NULL, period TEXT COLLATE \"C\" NOT NULL, year INTEGER NOT NULL,"
      " ord INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL, demo INTEGER NOT NULL, source TEXT,"
      " entered_at BIGINT NOT NULL);"
      "CREATE INDEX indicator_log_year ON indicator_log(year, indicator_id, kind, period, entered_at);"
      INDICATOR_LOG_SEED},
     NULL},
    /* 40: the access log, the evaluations and the notices chained as the
     * case events are (store_chain.h): a link per write of a row, and the
     * head of each chain; every row there now gets its first link. */
    {{"CREATE TABLE log_chain(chain TEXT NOT NULL, seq INTEGER NOT NULL, ref INTEGER NOT NULL, at INTEGER NOT NULL,"
      " digest BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (chain, seq)) STRICT;"
      "CREATE TABLE chain_heads(chain TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL) STRICT;"
      "INSERT INTO chain_heads VALUES('access_log', 0, zeroblob(32)), ('evaluations', 0, zeroblob(32)),"
      " ('notices', 0, zeroblob(32));",
      "CREATE TABLE log_chain(chain TEXT COLLATE \"C\" NOT NULL, seq BIGINT NOT NULL, ref BIGINT NOT NULL,"
      " at BIGINT NOT NULL, digest BYTEA NOT NULL, prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL,"
      " PRIMARY KEY (chain, seq));"
      "CREATE TABLE chain_heads(chain TEXT COLLATE \"C\" PRIMARY KEY, seq BIGINT NOT NULL, hash BYTEA NOT NULL);"
      "INSERT INTO chain_heads VALUES('access_log', 0, decode(repeat('00', 32), 'hex')),"
      " ('evaluations', 0, decode(repeat('00', 32), 'hex')), ('notices', 0, decode(repeat('00', 32), 'hex'));"},
     st_seed_chains},
    /* 41: 码上评 that one person cannot flood: the page's tokens taken (their
     * nonces), evaluations held by the burst rule (and the 督查室's
     * decision), and the phone number a message goes to, for the limit a day
     * per number. The evaluations' rows now read differently (the new
     * columns): each is noted in its chain again. */
    {{"CREATE TABLE eval_tokens(nonce BLOB PRIMARY KEY, used_at INTEGER NOT NULL) STRICT;"
      "CREATE INDEX eval_tokens_used ON eval_tokens(used_at);"
      "ALTER TABLE evaluations ADD COLUMN hold TEXT;"
      "ALTER TABLE evaluations ADD COLUMN held_at INTEGER;"
      "ALTER TABLE evaluations ADD COLUMN released_at INTEGER;"
      "ALTER TABLE evaluations ADD COLUMN hold_by TEXT;"
      "ALTER TABLE evaluations ADD COLUMN hold_note TEXT;"
      "CREATE INDEX evaluations_held ON evaluations(id) WHERE hold = 'held';"
      "ALTER TABLE outbox ADD COLUMN phone TEXT;"
      "CREATE INDEX outbox_phone ON outbox(phone, created_at) WHERE phone IS NOT NULL;",
      "CREATE TABLE eval_tokens(nonce BYTEA PRIMARY KEY, used_at BIGINT NOT NULL);"
      "CREATE INDEX eval_tokens_used ON eval_tokens(used_at);"
      "ALTER TABLE evaluations ADD COLUMN hold TEXT;"
      "ALTER TABLE evaluations ADD COLUMN held_at BIGINT;"
      "ALTER TABLE evaluations ADD COLUMN released_at BIGINT;"
      "ALTER TABLE evaluations ADD COLUMN hold_by TEXT;"
      "ALTER TABLE evaluations ADD COLUMN hold_note TEXT;"
      "CREATE INDEX evaluations_held ON evaluations(id) WHERE hold = 'held';"
      "ALTER TABLE outbox ADD COLUMN phone TEXT;"
      "CREATE INDEX outbox_phone ON outbox(phone, created_at) WHERE phone IS NOT NULL;"},
     st_renote_evaluations},
    /* 42: 三员分立: a password set by someone else (an account made or a
     * password reset by an administrator) is changed at first sign-in. */
    {{"ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;",
      "ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;"},
     NULL},
};
const int store_n_migrations = (int)(sizeof store_migrations / sizeof *store_migrations);
