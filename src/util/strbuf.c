/* strbuf: see strbuf.h. */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(strbuf *sb, size_t max) { *sb = (strbuf)STRBUF_INIT(max); }

/* Room for n more bytes and the NUL, or the buffer fails. */
static int grow(strbuf *sb, size_t n) {
    if (sb->failed) return sb->failed;
    if (n > sb->max - sb->len) return sb->failed = ERR_TOO_LARGE;
    if (sb->len + n + 1 <= sb->alloc) return 0;
    size_t want = sb->alloc ? sb->alloc : 64;
    while (want < sb->len + n + 1) want *= 2;
    if (want > sb->max + 1) want = sb->max + 1;
    char *p = realloc(sb->buf, want);
    if (!p) return sb->failed = ERR_NOMEM;
    sb->buf = p;
    sb->alloc = want;
    return 0;
}

int strbuf_add(strbuf *sb, const char *s, size_t n) {
    int rc = grow(sb, n);
    if (rc) return rc;
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return 0;
}

int strbuf_adds(strbuf *sb, const char *s) { return strbuf_add(sb, s, strlen(s)); }

int strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap) {
    if (sb->failed) return sb->failed;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    int rc = n < 0 ? (sb->failed = ERR_INVALID) : grow(sb, (size_t)n);
    if (!rc) {
        vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, again);
        sb->len += (size_t)n;
    }
    va_end(again);
    return rc;
}

int strbuf_addf(strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

const char *strbuf_str(const strbuf *sb) { return sb->buf ? sb->buf : ""; }

int strbuf_check(const strbuf *sb, const char *what, err *e) {
    if (sb->failed == ERR_TOO_LARGE)
        return err_set(e, ERR_TOO_LARGE, "", "%s would be longer than %zu bytes", what, sb->max);
    if (sb->failed == ERR_NOMEM) return err_set(e, ERR_NOMEM, "", "out of memory building %s", what);
    if (sb->failed) return err_set(e, sb->failed, "", "cannot build %s", what);
    return 0;
}

char *strbuf_detach(strbuf *sb) {
    char *s = NULL;
    if (!sb->failed) s = sb->buf ? sb->buf : calloc(1, 1);
    else free(sb->buf);
    size_t max = sb->max;
    strbuf_init(sb, max);
    return s;
}

void strbuf_reset(strbuf *sb) {
    sb->len = 0;
    sb->failed = 0;
    if (sb->buf) sb->buf[0] = '\0';
}

void strbuf_release(strbuf *sb) {
    free(sb->buf);
    strbuf_init(sb, sb->max);
}
