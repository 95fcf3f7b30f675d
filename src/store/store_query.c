/* store_query: see store_query.h. */
#include "store/store_query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

void st_q_init(st_query *q) {
    memset(q, 0, sizeof *q);
    strbuf_init(&q->sql, ST_Q_MAX);
}

void st_q_release(st_query *q) { strbuf_release(&q->sql); }

static void fail(st_query *q, const char *why, const char *name) {
    if (!q->bad[0]) snprintf(q->bad, sizeof q->bad, "%s%.40s", why, name);
}

/* The place of a name (n bytes at s), added if new; -1 when there is no room. */
static int slot(st_query *q, const char *s, size_t n) {
    for (int i = 0; i < q->n; i++)
        if (strlen(q->p[i].name) == n && !memcmp(q->p[i].name, s, n)) return i;
    if (q->n == ST_Q_PARAMS || n >= sizeof q->p[0].name) {
        char name[40];
        snprintf(name, sizeof name, "%.*s", (int)(n < 39 ? n : 39), s);
        fail(q, "too many names, or too long: ", name);
        return -1;
    }
    memcpy(q->p[q->n].name, s, n);
    q->p[q->n].name[n] = '\0';
    return q->n++;
}

static bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

void st_q_add(st_query *q, const char *fmt, ...) {
    /* formatted whole first: a fragment may itself hold names */
    strbuf clause = STRBUF_INIT(ST_Q_MAX);
    va_list ap;
    va_start(ap, fmt);
    if (strbuf_vaddf(&clause, fmt, ap)) fail(q, "a clause too long or not formatted", "");
    va_end(ap);
    const char *text = clause.failed ? NULL : strbuf_str(&clause);
    /* ":name" becomes ?N, outside quotes; "::" (a cast) is left alone */
    for (const char *s = text; s && *s;) {
        if (*s == '\'' || *s == '"') {
            const char *end = strchr(s + 1, *s);
            size_t n = end ? (size_t)(end - s) + 1 : strlen(s);
            strbuf_add(&q->sql, s, n);
            s += n;
        } else if (s[0] == '-' && s[1] == '-') { /* a comment, to its line's end (as db_pg.c reads it) */
            size_t n = strcspn(s, "\n");
            strbuf_add(&q->sql, s, n);
            s += n;
        } else if (s[0] == ':' && s[1] == ':') {
            strbuf_add(&q->sql, s, 2);
            s += 2;
        } else if (s[0] == ':' && name_start(s[1])) {
            size_t n = 1;
            while (name_char(s[n])) n++;
            int k = slot(q, s + 1, n - 1);
            if (k >= 0) {
                q->p[k].used = true;
                strbuf_addf(&q->sql, "?%d", k + 1);
            }
            s += n;
        } else {
            size_t n = 1 + strcspn(s + 1, "'\":-");
            strbuf_add(&q->sql, s, n);
            s += n;
        }
    }
    strbuf_release(&clause);
}

static struct st_q_param *given(st_query *q, const char *name) {
    int k = slot(q, name, strlen(name));
    return k < 0 ? NULL : &q->p[k];
}

void st_q_int(st_query *q, const char *name, int64_t v) {
    struct st_q_param *p = given(q, name);
    if (p) p->type = ST_Q_INT, p->i = v;
}

void st_q_id(st_query *q, const char *name, int64_t v) {
    struct st_q_param *p = given(q, name);
    if (p) p->type = ST_Q_ID, p->i = v;
}

void st_q_text(st_query *q, const char *name, const char *v) {
    struct st_q_param *p = given(q, name);
    if (p) p->type = ST_Q_TEXT, p->text = v;
}

void st_q_blob(st_query *q, const char *name, const void *v, size_t n) {
    struct st_q_param *p = given(q, name);
    if (p) p->type = ST_Q_BLOB, p->text = v, p->len = n;
}

int st_q_prepare(store *s, st_query *q, unsigned flags, db_stmt **out, err *e) {
    *out = NULL;
    int rc = strbuf_check(&q->sql, "a statement", e);
    if (rc) return rc;
    for (int i = 0; i < q->n && !q->bad[0]; i++)
        if (q->p[i].used && q->p[i].type == ST_Q_UNSET) fail(q, "no value for :", q->p[i].name);
    if (q->bad[0]) return err_set(e, ERR_INVALID, "", "a statement: %s", q->bad);
    if ((rc = st_prepare(s, strbuf_str(&q->sql), flags, out, e))) return rc;
    for (int i = 0; i < q->n; i++) {
        if (!q->p[i].used) continue; /* given for a clause left out */
        if (q->p[i].type == ST_Q_INT) db_bind_int(*out, i + 1, q->p[i].i);
        else if (q->p[i].type == ST_Q_ID) db_bind_id(*out, i + 1, q->p[i].i);
        else if (q->p[i].type == ST_Q_BLOB) db_bind_blob(*out, i + 1, q->p[i].text, q->p[i].len);
        else db_bind_text(*out, i + 1, q->p[i].text);
    }
    return 0;
}
