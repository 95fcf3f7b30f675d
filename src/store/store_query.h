/* store_query: a statement built from clauses, its values bound by name.
 * In a clause ":name" stands for a value given with st_q_int, st_q_id or
 * st_q_text (before or after the clause); each name becomes one "?N",
 * however often it appears, so no one numbers parameters by hand and a
 * clause left out takes its parameter with it. Only fixed fragments go into
 * the text; values are always bound (a name from core's own tables may be
 * written in where a partial index serves only that constant). The text grows in a strbuf: a clause
 * is never cut off (the statement fails whole). Internal to the store. */
#ifndef DUBAN_STORE_QUERY_H
#define DUBAN_STORE_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "store/store.h"
#include "util/strbuf.h"

#define ST_Q_PARAMS 32
#define ST_Q_MAX (64 << 10) /* the longest statement text */

typedef struct st_query {
    strbuf sql;
    int n; /* names met or given */
    struct st_q_param {
        char name[32];
        enum { ST_Q_UNSET, ST_Q_INT, ST_Q_ID, ST_Q_TEXT, ST_Q_BLOB } type;
        int64_t i;
        const void *text; /* text or bytes, not copied: they must outlive the statement's run */
        size_t len;       /* the bytes' length */
        bool used;        /* named in the text (its ?N is its place + 1) */
    } p[ST_Q_PARAMS];
    char bad[128]; /* what went wrong first, for st_q_prepare's error */
} st_query;

void st_q_init(st_query *q);
/* Appends a clause (printf-style for fixed fragments only: names of tables,
 * columns, a sort direction; never a value). */
void st_q_add(st_query *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void st_q_int(st_query *q, const char *name, int64_t v);
void st_q_id(st_query *q, const char *name, int64_t v); /* 0 binds NULL */
void st_q_text(st_query *q, const char *name, const char *v);
void st_q_blob(st_query *q, const char *name, const void *p, size_t n);
/* The statement for one use (the caller finalizes it), every name bound;
 * ERR_INVALID naming the name when one in the text has no value, or the
 * text failed. */
int st_q_prepare(store *s, st_query *q, unsigned flags, db_stmt **out, err *e);
void st_q_release(st_query *q);

#endif
