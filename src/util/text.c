/* text: see text.h. */
#include "util/text.h"

#include <stdint.h>
#include <string.h>

/* The length of the well-formed sequence at p (at most n bytes) and its code
 * point, or 0 when it is not well formed (RFC 3629's table). */
static size_t decode(const unsigned char *p, size_t n, uint32_t *cp) {
    unsigned char c = p[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

int text_check(const char *s, size_t n, const char *field, err *e) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = decode(p + i, n - i, &cp);
        if (!k)
            return err_set(e, ERR_INVALID, field, "%s is not valid UTF-8 (at byte %zu)", field, i);
        bool newline = cp == '\n' || (cp == '\r' && i + 1 < n && p[i + 1] == '\n');
        if ((cp < 0x20 && cp != '\t' && !newline) || (cp >= 0x7F && cp <= 0x9F))
            return err_set(e, ERR_INVALID, field,
                           "%s holds a control character (U+%04X at byte %zu)", field,
                           (unsigned)cp, i);
        i += k;
    }
    return 0;
}

char *text_mend(char *s) {
    unsigned char *p = (unsigned char *)s, *o = p;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = decode(p + i, n - i, &cp);
        if (!k) { /* not a whole character: left out */
            i++;
            continue;
        }
        memmove(o, p + i, k);
        o += k;
        i += k;
    }
    *o = '\0';
    return s;
}

void text_html(FILE *f, const char *s) {
    for (; s && *s; s++) switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

size_t text_len(const char *s) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) n += (*p & 0xC0) != 0x80;
    return n;
}

bool text_blank(const char *s) {
    for (; s && *s; s++) {
        if (strchr(" \t\r\n", *s)) continue;
        if (!strncmp(s, "\xe3\x80\x80", 3)) {
            s += 2;
            continue;
        }
        return false;
    }
    return true;
}
