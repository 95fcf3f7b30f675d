/* text: what every text entering duban must be — well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing above U+10FFFF) without control
 * characters other than tab and newline (LF, or CR LF as a browser's form
 * sends it). Checked where text enters (JSON bodies, forms, query strings,
 * the command line), so nothing after has to wonder. */
#ifndef DUBAN_TEXT_H
#define DUBAN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

/* 0 when s[0..n) is acceptable; else ERR_INVALID naming field and what is
 * wrong at which byte. */
int text_check(const char *s, size_t n, const char *field, err *e);
/* Drops, in place, the bytes of s that are not whole UTF-8 characters —
 * what a byte-counted cut ("%.40s", a full buffer) leaves of a character it
 * split — so the rest can go into JSON. Returns s. */
char *text_mend(char *s);
/* Writes s escaped for HTML text and attribute values (& < > "). */
void text_html(FILE *f, const char *s);
/* The number of code points in a NUL-terminated UTF-8 string. */
size_t text_len(const char *s);
/* Nothing but spaces (ASCII or the ideographic U+3000), tabs and newlines;
 * NULL too. */
bool text_blank(const char *s);

#endif
