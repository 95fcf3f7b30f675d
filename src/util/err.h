/* err: the error value every layer returns instead of printing.
 * A function that can fail takes an `err *` last, returns 0 on success or an
 * ERR_* code, and fills the struct with a message naming the offending value. */
#ifndef DUBAN_ERR_H
#define DUBAN_ERR_H

enum {
    ERR_OK = 0,
    ERR_INVALID,   /* malformed or out-of-range input */
    ERR_NOTFOUND,  /* unknown id, code or name */
    ERR_CONFLICT,  /* illegal transition, duplicate, stale write */
    ERR_IO,        /* storage or file failure */
    ERR_NOMEM,
    ERR_AUTH,      /* who is asking is not known: no or a bad session or token */
    ERR_FORBIDDEN, /* known, but not allowed */
    ERR_THROTTLED, /* too many attempts: wait */
    ERR_TOO_LARGE, /* bigger than the limit it is held to */
    ERR_FULL,      /* the storage takes no writes: disk full, or mounted read-only */
};

typedef struct err {
    int code;
    char field[64];   /* the input the error is about, "" if none */
    char msg[512];
} err;

/* Records the error in e (which may be NULL) and returns code, so callers can
 * write `return err_set(e, ERR_INVALID, "date", "bad date '%s'", s);`. */
int err_set(err *e, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Puts context in front of the message: "--at: malformed time ...". */
void err_prefix(err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(err *e);
const char *err_code_name(int code);

#endif
