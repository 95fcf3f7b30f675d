/* file: what an attachment may be. Photos (JPEG, PNG, WebP) and PDFs,
 * recognised by their bytes, never by the name or the type a client
 * claims; and the name kept with them. */
#ifndef DUBAN_FILE_H
#define DUBAN_FILE_H

#include <stddef.h>

#include "util/err.h"

#define FILE_NAME_MAX 200          /* bytes of a file name */
#define FILE_DEFAULT_MAX 10485760  /* the default size limit: 10 MB */

/* "image/jpeg", "image/png", "image/webp" or "application/pdf"; NULL for
 * anything else. */
const char *file_sniff(const unsigned char *p, size_t n);
/* The extension a type is saved with ("jpg", "png", "webp", "pdf"). */
const char *file_ext(const char *mime);
/* The last component of a path a browser may send as the name. */
const char *file_base(const char *name);
/* A file's bytes and name as an attachment: a known type, not empty, at
 * most max bytes (ERR_TOO_LARGE), a name without path or control
 * characters (its last path component is kept). *mime: the type. */
int file_check(const unsigned char *p, size_t n, size_t max, const char *name, const char **mime,
               err *e);

#endif
