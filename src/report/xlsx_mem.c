/* xlsx_mem: see xlsx_mem.h. */
#include "report/xlsx_mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int xlsx_mem(xlsx_fill fill, void *ctx, size_t max, char **out, size_t *len, err *e) {
    *out = NULL;
    *len = 0;
    int fd = memfd_create("duban-xlsx", MFD_CLOEXEC);
    if (fd < 0) return err_set(e, ERR_IO, "", "cannot make a workbook: %s", strerror(errno));
    char path[40];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int rc = fill(ctx, path, e);
    struct stat sb;
    if (!rc && fstat(fd, &sb) != 0) rc = err_set(e, ERR_IO, "", "cannot read the workbook back");
    if (!rc && (size_t)sb.st_size > max)
        rc = err_set(e, ERR_TOO_LARGE, "", "the workbook is %lld bytes; the limit is %zu", (long long)sb.st_size, max);
    if (!rc && !(*out = malloc((size_t)sb.st_size + 1))) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    if (!rc && pread(fd, *out, (size_t)sb.st_size, 0) != sb.st_size) rc = err_set(e, ERR_IO, "", "cannot read the workbook back");
    if (rc) {
        free(*out);
        *out = NULL;
    } else {
        *len = (size_t)sb.st_size;
    }
    close(fd);
    return rc;
}
