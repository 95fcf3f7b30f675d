/* mask: see mask.h. */
#include "core/mask.h"

#include <stdio.h>
#include <string.h>

void mask_name(const char *name, char *out, size_t outsz) {
    if (!name || !name[0]) {
        snprintf(out, outsz, "%s", "");
        return;
    }
    /* Length of the first UTF-8 character from its lead byte. */
    unsigned char b = (unsigned char)name[0];
    size_t len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (strnlen(name, len) < len) len = strlen(name);
    snprintf(out, outsz, "%.*s**", (int)len, name);
}

void mask_phone(const char *phone, char *out, size_t outsz) {
    char digits[40];
    size_t n = 0;
    for (const char *p = phone; p && *p && n < sizeof digits - 1; p++)
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    digits[n] = '\0';
    const char *d = digits;
    if (n == 13 && strncmp(digits, "86", 2) == 0) { /* +86 country code */
        d += 2;
        n -= 2;
    }
    if (n == 0) {
        snprintf(out, outsz, "%s", "");
    } else if (n >= 11) {
        snprintf(out, outsz, "%.3s****%s", d, d + n - 4);
    } else if (n >= 7) {
        /* Landlines: keep the last four only. */
        snprintf(out, outsz, "****%s", d + n - 4);
    } else {
        snprintf(out, outsz, "****");
    }
}
