/* store_file: a case's attachments (core/file.h), kept in the database so
 * that every node serves them. Adding one and publishing one are events of
 * the case (ACT_ATTACH records the bytes' SHA-256, so the hash chain covers
 * them; store_audit_verify compares). */
#ifndef DUBAN_STORE_FILE_H
#define DUBAN_STORE_FILE_H

#include "core/file.h"
#include "store/store.h"

typedef struct store_file {
    int64_t id, case_id, size, created_at;
    int event_seq;
    char name[FILE_NAME_MAX + 1], mime[32], created_by[CASE_ACTOR_MAX];
    unsigned char sha256[32];
    bool published;
    int64_t erased_at; /* its bytes erased by a purge (store_purge.h): 0 if not */
    unsigned char *data; /* owned when read with its bytes (store_file_clear) */
} store_file;
void store_file_clear(store_file *f);

/* Adds the bytes as an attachment of case id by actor at `at`; unit: the
 * acting unit's scope (a clerk's: lead or assisting unit), 0 for none. The
 * type is read from the bytes; the limit is the configuration's
 * attachment_max_bytes (ERR_TOO_LARGE). out: what was stored, without the bytes. */
int store_file_add(store *s, int64_t case_id, int64_t unit, const char *actor, int64_t at,
                   const char *name, const unsigned char *data, size_t n, store_file *out, err *e);
/* Shows an attachment of case id to the public, or hides it (a dispatcher's). */
int store_file_publish(store *s, int64_t case_id, int64_t file_id, bool published,
                       const char *actor, int64_t at, err *e);
typedef int (*store_file_fn)(void *ctx, const store_file *f);
/* A case's attachments without their bytes, oldest first; published_only
 * for the public. */
int store_file_list(store *s, int64_t case_id, bool published_only, store_file_fn fn, void *ctx,
                    err *e);
/* One attachment of case id (0: of any case), with its bytes. */
int store_file_get(store *s, int64_t case_id, int64_t file_id, store_file *out, err *e);
/* The limit attachments are held to now (attachment_max_bytes). */
int store_file_limit(store *s, size_t *max, err *e);

#endif
