/* store_backup: a consistent copy of a SQLite database taken while the
 * server writes, and its restore into a new place. The copy is VACUUM INTO:
 * one read transaction, one snapshot, finished however busy the writers
 * are (SQLite's online backup API starts again whenever another connection
 * writes, and under steady intake may never finish). A PostgreSQL database
 * is backed up with pg_dump, or by WAL archiving for point-in-time recovery
 * (docs/operations.md). */
#ifndef DUBAN_STORE_BACKUP_H
#define DUBAN_STORE_BACKUP_H

#include "store/store.h"

typedef struct store_backup_info {
    int64_t bytes, cases, events;
    int schema;
} store_backup_info;

/* Writes the copy to path, which must not exist (ERR_CONFLICT): first under
 * a temporary name beside it, synced, then renamed, so a crash never leaves
 * a half-written file under the backup's name. ERR_INVALID on PostgreSQL. */
int store_backup(store *s, const char *path, store_backup_info *out, err *e);

/* Checks a backup (a duban SQLite database that passes integrity_check, of
 * a schema this build knows) and copies it to target, a SQLite path that
 * must not exist (ERR_CONFLICT): a restore never overwrites a database. The
 * caller then opens target (upgrading an older schema) and verifies it. */
int store_restore(const char *backup, const char *target, store_backup_info *out, err *e);

#endif
