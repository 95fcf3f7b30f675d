/* store_backup: a consistent copy of a SQLite database taken while the
 * server writes, and its restore into a new place. The copy is SQLite's
 * online backup in a single step inside one read transaction: one
 * snapshot, finished however busy the writers are (a backup in several
 * steps starts again whenever another connection writes), and the rows of
 * every table counted in that same transaction, so the copy is checked
 * table by table against exactly what it copied. A PostgreSQL database
 * is backed up with pg_dump, or by WAL archiving for point-in-time recovery
 * (docs/operations.md). */
#ifndef DUBAN_STORE_BACKUP_H
#define DUBAN_STORE_BACKUP_H

#include "store/store.h"
#include "store/store_copy.h"

/* tables and rows (a backup's: every table, its rows in the source and in
 * the copy) are owned: store_backup_info_free. */
typedef struct store_backup_info {
    int64_t bytes, cases, events;
    int schema;
    store_copy_tables tables;
    int64_t (*rows)[2];
    bool counts_match;
} store_backup_info;
void store_backup_info_free(store_backup_info *b);

/* Writes the copy to path, which must not exist (ERR_CONFLICT): first under
 * a temporary name beside it, synced, checked, then renamed, so a crash
 * never leaves a half-written file under the backup's name. A table whose
 * rows differ between the source's snapshot and the copy fails it
 * (ERR_CONFLICT, nothing left at path). ERR_INVALID on PostgreSQL. */
int store_backup(store *s, const char *path, store_backup_info *out, err *e);

/* Checks a backup (a duban SQLite database that passes integrity_check, of
 * a schema this build knows) and copies it to target, a SQLite path that
 * must not exist (ERR_CONFLICT): a restore never overwrites a database. The
 * caller then opens target (upgrading an older schema) and verifies it. */
int store_restore(const char *backup, const char *target, store_backup_info *out, err *e);

#endif
