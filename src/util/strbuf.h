/* strbuf: a growable string with a limit, after git's strbuf and curl's
 * dynbuf. Text and SQL are built in one without fixed buffers, so nothing
 * is ever cut short: an append that would pass the limit (or finds no
 * memory) fails the buffer instead, every later append does nothing, and
 * strbuf_check turns the failure into an err once, where the caller is
 * ready to handle it. */
#ifndef DUBAN_STRBUF_H
#define DUBAN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/err.h"

typedef struct strbuf {
    char *buf;          /* NUL-terminated; NULL until something is added (strbuf_str gives "") */
    size_t len, alloc;
    size_t max;         /* the most len may reach */
    int failed;         /* 0, ERR_TOO_LARGE or ERR_NOMEM */
} strbuf;

#define STRBUF_INIT(limit) {NULL, 0, 0, (limit), 0}

void strbuf_init(strbuf *sb, size_t max);
/* Each returns 0, or the buffer's failure (then nothing was added). */
int strbuf_add(strbuf *sb, const char *s, size_t n);
int strbuf_adds(strbuf *sb, const char *s);
int strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
const char *strbuf_str(const strbuf *sb);
/* 0, or the failure as an err naming what was being built. */
int strbuf_check(const strbuf *sb, const char *what, err *e);
/* The string, the caller's to free (NULL if the buffer failed); the buffer
 * is empty again. */
char *strbuf_detach(strbuf *sb);
void strbuf_reset(strbuf *sb); /* empty, the failure forgotten, the memory kept */
void strbuf_release(strbuf *sb);

#endif
