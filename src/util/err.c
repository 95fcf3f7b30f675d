/* err: formatting of error values (see err.h). */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(err *e, int code, const char *field, const char *fmt, ...) {
    if (!e) return code;
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void err_prefix(err *e, const char *fmt, ...) {
    if (!e) return;
    char pre[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t p = (size_t)n < sizeof pre ? (size_t)n : sizeof pre - 1;
    size_t len = strlen(e->msg), room = sizeof e->msg - 1 - p;
    if (len > room) len = room;
    memmove(e->msg + p, e->msg, len);
    memcpy(e->msg, pre, p);
    e->msg[p + len] = '\0';
}

void err_clear(err *e) {
    if (e) memset(e, 0, sizeof *e);
}

const char *err_code_name(int code) {
    static const char *const names[] = {
        [ERR_OK] = "ok", [ERR_INVALID] = "invalid", [ERR_NOTFOUND] = "not_found",
        [ERR_CONFLICT] = "conflict", [ERR_IO] = "io", [ERR_NOMEM] = "no_memory",
        [ERR_AUTH] = "unauthorized", [ERR_FORBIDDEN] = "forbidden", [ERR_THROTTLED] = "throttled",
        [ERR_TOO_LARGE] = "too_large", [ERR_FULL] = "storage_full",
    };
    if (code < 0 || code >= (int)(sizeof names / sizeof names[0])) return "unknown";
    return names[code];
}
