/* file: see file.h. */
#include "core/file.h"

#include <string.h>

#include "util/text.h"

/* The signatures: the first bytes each format begins with. */
static const struct {
    const char *mime, *ext;
    size_t at, len;
    const char *magic;
} kinds[] = {
    {"image/jpeg", "jpg", 0, 3, "\xff\xd8\xff"},
    {"image/png", "png", 0, 8, "\x89PNG\r\n\x1a\n"},
    {"image/webp", "webp", 8, 4, "WEBP"}, /* after "RIFF" and a length */
    {"application/pdf", "pdf", 0, 5, "%PDF-"},
};
#define N_KINDS (sizeof kinds / sizeof *kinds)

const char *file_sniff(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < N_KINDS; i++) {
        if (n < kinds[i].at + kinds[i].len || memcmp(p + kinds[i].at, kinds[i].magic, kinds[i].len))
            continue;
        if (!strcmp(kinds[i].ext, "webp") && memcmp(p, "RIFF", 4)) continue;
        return kinds[i].mime;
    }
    return NULL;
}

const char *file_ext(const char *mime) {
    for (size_t i = 0; mime && i < N_KINDS; i++)
        if (!strcmp(kinds[i].mime, mime)) return kinds[i].ext;
    return "bin";
}

const char *file_base(const char *name) {
    const char *b = name;
    for (const char *p = name; p && *p; p++)
        if (*p == '/' || *p == '\\') b = p + 1;
    return b;
}

int file_check(const unsigned char *p, size_t n, size_t max, const char *name, const char **mime,
               err *e) {
    if (!n) return err_set(e, ERR_INVALID, "file", "the file is empty");
    if (n > max)
        return err_set(e, ERR_TOO_LARGE, "file", "the file is %zu bytes; the limit is %zu", n, max);
    if (!(*mime = file_sniff(p, n)))
        return err_set(e, ERR_INVALID, "file",
                       "the file is not a JPEG, PNG or WebP photo or a PDF (judged by its bytes,"
                       " not its name)");
    if (!name || text_blank(name)) return err_set(e, ERR_INVALID, "name", "the file needs a name");
    if (strlen(name) > FILE_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "the name is %zu bytes; the limit is %d",
                       strlen(name), FILE_NAME_MAX);
    int rc = text_check(name, strlen(name), "name", e);
    if (rc) return rc;
    if (strchr(name, '\n') || strchr(name, '\t') || strchr(name, '"'))
        return err_set(e, ERR_INVALID, "name", "a file name holds no newline, tab or quote");
    return 0;
}
