/* store_backup: see store_backup.h. */
#include "store/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/strbuf.h"

/* fsync of a file, or of the directory that holds it (so a rename lasts). */
static int sync_path(const char *path, bool dir, err *e) {
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    const char *p = dir ? dirname(copy) : copy;
    int fd = open(p, O_RDONLY | (dir ? O_DIRECTORY : 0));
    if (fd < 0 || fsync(fd) != 0) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return err_set(e, ERR_IO, "path", "cannot sync '%s': %s", p, strerror(saved));
    }
    close(fd);
    return 0;
}

/* Opens a copy just written, proves it (integrity_check, a schema this
 * build knows) and counts it — every table of the source's when a backup
 * gives them, into rows[i][1]; closed before it is renamed, so no WAL file
 * is left beside the temporary name. */
static int check_copy(const char *path, store_backup_info *out, err *e) {
    db *d = NULL;
    db_stmt *st = NULL;
    db_opts o = {.must_exist = true};
    int64_t version = 0;
    int rc = db_open(path, &o, &d, e);
    if (!rc && !(rc = db_prepare(d, "PRAGMA integrity_check", 0, &st, e)) && !(rc = db_first(st, e)) &&
        strcmp(db_col_text(st, 0), "ok") != 0)
        rc = err_set(e, ERR_INVALID, "backup", "'%s' is damaged: %.120s", path, db_col_text(st, 0));
    if (st) db_finalize(st);
    if (!rc && !(rc = db_query_int(d, "PRAGMA user_version", &version, e)) &&
        (version < 1 || version > store_latest_version()))
        rc = err_set(e, ERR_INVALID, "backup", "'%s' is not a duban database this build knows (schema %lld; %d here)",
                     path, (long long)version, store_latest_version());
    if (!rc && (rc = db_query_int(d, "SELECT count(*) FROM cases", &out->cases, e)) == 0)
        rc = db_query_int(d, "SELECT count(*) FROM events", &out->events, e);
    out->counts_match = true;
    for (size_t i = 0; !rc && i < out->tables.n; i++) {
        strbuf sql = STRBUF_INIT(1024);
        strbuf_addf(&sql, "SELECT count(*) FROM %s", out->tables.name[i]);
        if (!(rc = strbuf_check(&sql, "a table's count", e)) && !(rc = db_query_int(d, strbuf_str(&sql), &out->rows[i][1], e)))
            out->counts_match &= out->rows[i][1] == out->rows[i][0];
        strbuf_release(&sql);
    }
    out->schema = (int)version;
    db_close(d);
    struct stat sb;
    if (!rc && stat(path, &sb) == 0) out->bytes = sb.st_size;
    return rc;
}

void store_backup_info_free(store_backup_info *b) {
    store_copy_tables_free(&b->tables);
    free(b->rows);
    b->rows = NULL;
}

/* The copy, and the rows of every table as the copy's snapshot holds them:
 * counted and copied in one read transaction. */
static int snapshot_copy(store *s, const char *tmp, store_backup_info *out, err *e) {
    bool began;
    int rc = store_copy_tables_of(s, &out->tables, e);
    if (!rc && !(out->rows = calloc(out->tables.n ? out->tables.n : 1, sizeof *out->rows)))
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
    if (rc || (rc = st_snapshot_begin(s, &began, e))) return rc;
    for (size_t i = 0; !rc && i < out->tables.n; i++)
        rc = store_count_rows(s, out->tables.name[i], &out->rows[i][0], e);
    if (!rc) rc = db_copy_to(s->db, tmp, e);
    st_snapshot_end(s, began);
    return rc;
}

static int refuse_existing(const char *path, err *e) {
    if (access(path, F_OK) == 0)
        return err_set(e, ERR_CONFLICT, "path", "'%s' exists: a backup or a restore never overwrites a file", path);
    return 0;
}

/* The last step of both: the checked temporary file under its own name. */
static int put_in_place(const char *tmp, const char *path, err *e) {
    if (rename(tmp, path) != 0) return err_set(e, ERR_IO, "path", "cannot rename to '%s': %s", path, strerror(errno));
    return sync_path(path, true, e);
}

int store_backup(store *s, const char *path, store_backup_info *out, err *e) {
    memset(out, 0, sizeof *out);
    if (db_dialect_of(s->db) != DB_SQLITE)
        return err_set(e, ERR_INVALID, "db", "a PostgreSQL database is backed up with pg_dump (docs/operations.md)");
    int rc = refuse_existing(path, e);
    if (rc) return rc;
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.partial-%d", path, (int)getpid());
    unlink(tmp);
    if ((rc = snapshot_copy(s, tmp, out, e))) err_prefix(e, "backup to '%s': ", path);
    if (!rc) rc = sync_path(tmp, false, e);
    if (!rc) rc = check_copy(tmp, out, e);
    for (size_t i = 0; !rc && !out->counts_match && i < out->tables.n; i++)
        if (out->rows[i][0] != out->rows[i][1])
            rc = err_set(e, ERR_CONFLICT, "backup", "the copy of %s holds %lld rows, the database %lld",
                         out->tables.name[i], (long long)out->rows[i][1], (long long)out->rows[i][0]);
    if (!rc) rc = refuse_existing(path, e); /* made meanwhile: leave it be */
    if (!rc) rc = put_in_place(tmp, path, e);
    if (rc) unlink(tmp);
    return rc;
}

static int copy_file(const char *from, const char *to, err *e) {
    int in = open(from, O_RDONLY), out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
    int rc = 0;
    if (in < 0 || out < 0) {
        rc = err_set(e, ERR_IO, in < 0 ? "backup" : "db", "cannot open '%s': %s", in < 0 ? from : to, strerror(errno));
    } else {
        char buf[1 << 16];
        ssize_t n;
        while ((n = read(in, buf, sizeof buf)) > 0)
            for (ssize_t off = 0; off < n && !rc;) {
                ssize_t w = write(out, buf + off, (size_t)(n - off));
                if (w < 0) rc = err_set(e, ERR_IO, "db", "cannot write '%s': %s", to, strerror(errno));
                else off += w;
            }
        if (!rc && n < 0) rc = err_set(e, ERR_IO, "backup", "cannot read '%s': %s", from, strerror(errno));
        if (!rc && fsync(out) != 0) rc = err_set(e, ERR_IO, "db", "cannot sync '%s': %s", to, strerror(errno));
    }
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return rc;
}

int store_restore(const char *backup, const char *target, store_backup_info *out, err *e) {
    memset(out, 0, sizeof *out);
    if (db_dialect_of_target(target) != DB_SQLITE)
        return err_set(e, ERR_INVALID, "db", "a PostgreSQL database is restored with pg_restore or psql"
                                             " (docs/operations.md)");
    if (db_dialect_of_target(backup) != DB_SQLITE || access(backup, R_OK) != 0)
        return err_set(e, ERR_NOTFOUND, "backup", "cannot read the backup '%s'", backup);
    if (!strncmp(target, "sqlite:", 7)) target += 7;
    int rc = refuse_existing(target, e);
    if (rc) return rc;
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.partial-%d", target, (int)getpid());
    unlink(tmp);
    if (!(rc = copy_file(backup, tmp, e)) && !(rc = check_copy(tmp, out, e)))
        rc = put_in_place(tmp, target, e);
    if (rc) unlink(tmp);
    return rc;
}
