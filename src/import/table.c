/* table: see table.h. CSV is read by RFC 4180's rules (quotes, doubled
 * quotes, commas and line breaks inside quotes); XLSX by unzipping the first
 * worksheet and its shared strings (minizip) and reading their XML
 * (libxml2's reader). */
#include "import/table.h"

#include <iconv.h>
#include <stdbool.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <unzip.h>

#include "util/text.h"

typedef struct row {
    char **cell;
    size_t n, cap;
} row;

struct table {
    row *rows;
    size_t n, cap;
};

void table_free(table *t) {
    if (!t) return;
    for (size_t r = 0; r < t->n; r++) {
        for (size_t c = 0; c < t->rows[r].n; c++) free(t->rows[r].cell[c]);
        free(t->rows[r].cell);
    }
    free(t->rows);
    free(t);
}

size_t table_rows(const table *t) { return t->n; }
size_t table_cols(const table *t, size_t r) { return r < t->n ? t->rows[r].n : 0; }

const char *table_cell(const table *t, size_t r, size_t c) {
    if (r >= t->n || c >= t->rows[r].n || !t->rows[r].cell[c]) return "";
    return t->rows[r].cell[c];
}

int table_row_blank(const table *t, size_t r) {
    for (size_t c = 0; c < table_cols(t, r); c++)
        if (table_cell(t, r, c)[0]) return 0;
    return 1;
}

int table_find_col(const table *t, size_t r, const char *const *names) {
    for (size_t c = 0; c < table_cols(t, r); c++)
        for (const char *const *n = names; *n; n++)
            if (!strcmp(table_cell(t, r, c), *n)) return (int)c;
    return -1;
}

static int grow(void **p, size_t *cap, size_t n, size_t size) {
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 8;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int new_row(table *t, err *e) {
    if (t->n >= TABLE_MAX_ROWS)
        return err_set(e, ERR_INVALID, "file", "more than %d rows", TABLE_MAX_ROWS);
    if (grow((void **)&t->rows, &t->cap, t->n, sizeof *t->rows)) return err_set(e, ERR_NOMEM, "", "out of memory");
    t->rows[t->n++] = (row){0};
    return 0;
}

/* Sets cell col of the last row to the n bytes at s, trimmed. */
static int put_cell(table *t, size_t col, const char *s, size_t n, err *e) {
    if (col >= TABLE_MAX_COLS)
        return err_set(e, ERR_INVALID, "file", "row %zu has more than %d columns", t->n, TABLE_MAX_COLS);
    row *r = &t->rows[t->n - 1];
    while (r->n <= col) {
        if (grow((void **)&r->cell, &r->cap, r->n, sizeof *r->cell)) return err_set(e, ERR_NOMEM, "", "out of memory");
        r->cell[r->n++] = NULL;
    }
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    err bad = {0};
    if (text_check(s, n, "file", &bad))
        return err_set(e, ERR_INVALID, "file", "row %zu, column %zu: %s", t->n, col + 1, bad.msg);
    free(r->cell[col]);
    if (!(r->cell[col] = strndup(s, n))) return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

/* ---- CSV ---- */

/* UTF-8 as it is (a BOM dropped), or GB18030 turned into UTF-8. */
static int to_utf8(const unsigned char *data, size_t len, char **out, err *e) {
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) data += 3, len -= 3;
    if (!memchr(data, '\0', len) && text_check((const char *)data, len, "file", NULL) == 0) {
        if (!(*out = strndup((const char *)data, len))) return err_set(e, ERR_NOMEM, "", "out of memory");
        return 0;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return err_set(e, ERR_IO, "file", "cannot read GB18030 here");
    size_t cap = len * 2 + 1, left = cap - 1, in_left = len;
    char *buf = malloc(cap), *o = buf, *in = (char *)data;
    int rc = 0;
    if (!buf) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    else if (iconv(cd, &in, &in_left, &o, &left) == (size_t)-1)
        rc = err_set(e, ERR_INVALID, "file",
                     "the file is neither UTF-8 nor GB18030 (a bad byte at offset %zu); save it as CSV UTF-8 or as"
                     " Excel's CSV", len - in_left);
    iconv_close(cd);
    if (rc) {
        free(buf);
        return rc;
    }
    *o = '\0';
    *out = buf;
    return 0;
}

static int read_csv(const unsigned char *data, size_t len, table *t, err *e) {
    char *text = NULL;
    int rc = to_utf8(data, len, &text, e);
    if (rc) return rc;
    char *field = malloc(strlen(text) + 1);
    if (!field) {
        free(text);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    size_t col = 0, fn = 0;
    bool quoted = false, started = false;
    const char *p = text;
    rc = new_row(t, e);
    for (; !rc && *p; p++) {
        if (quoted) {
            if (*p == '"' && p[1] == '"') field[fn++] = '"', p++;
            else if (*p == '"') quoted = false;
            else field[fn++] = *p;
        } else if (*p == '"' && !started) {
            quoted = started = true;
        } else if (*p == ',') {
            rc = put_cell(t, col++, field, fn, e);
            fn = 0;
            started = false;
        } else if (*p == '\n') {
            if (!(rc = put_cell(t, col, field, fn, e)) && p[1]) rc = new_row(t, e);
            col = fn = 0;
            started = false;
        } else {
            field[fn++] = *p;
            started = true;
        }
    }
    if (!rc && quoted) rc = err_set(e, ERR_INVALID, "file", "row %zu: a quote is never closed", t->n);
    if (!rc && (fn || col)) rc = put_cell(t, col, field, fn, e);
    free(field);
    free(text);
    return rc;
}

/* ---- XLSX ---- */

typedef struct strings {
    char **s;
    size_t n, cap;
} strings;

/* The whole of a zip member, NUL-terminated; NULL when absent. */
static char *member(unzFile z, const char *name, size_t max, err *e) {
    unz_file_info info;
    if (unzLocateFile(z, name, 0) != UNZ_OK) return NULL;
    if (unzGetCurrentFileInfo(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK || info.uncompressed_size > max) {
        err_set(e, ERR_INVALID, "file", "the workbook's %s is too large or unreadable", name);
        return NULL;
    }
    char *buf = malloc(info.uncompressed_size + 1);
    int got = -1;
    if (buf && unzOpenCurrentFile(z) == UNZ_OK) {
        got = unzReadCurrentFile(z, buf, (unsigned)info.uncompressed_size);
        unzCloseCurrentFile(z);
    }
    if (!buf || got != (int)info.uncompressed_size) {
        free(buf);
        err_set(e, ERR_INVALID, "file", "cannot unzip the workbook's %s", name);
        return NULL;
    }
    buf[got] = '\0';
    return buf;
}

static bool named(xmlTextReaderPtr r, const char *name) {
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && !strcmp((const char *)n, name);
}

/* The text of the element the reader is on (its t descendants, joined). */
static char *inner_text(xmlTextReaderPtr r, const char *end) {
    size_t cap = 64, n = 0;
    char *out = calloc(1, cap);
    int depth = xmlTextReaderDepth(r);
    if (xmlTextReaderIsEmptyElement(r)) return out;
    while (out && xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth && named(r, end)) break;
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            size_t k = strlen(v);
            if (n + k + 1 > cap) {
                char *q = realloc(out, cap = (n + k + 1) * 2);
                if (!q) { free(out); return NULL; }
                out = q;
            }
            memcpy(out + n, v, k + 1);
            n += k;
        }
    }
    return out;
}

static int read_strings(const char *xml, strings *ss, err *e) {
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
    if (!r) return err_set(e, ERR_INVALID, "file", "the workbook's shared strings are not XML");
    int rc = 0, k;
    while (!rc && (k = xmlTextReaderRead(r)) == 1)
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && named(r, "si")) {
            if (grow((void **)&ss->s, &ss->cap, ss->n, sizeof *ss->s) || !(ss->s[ss->n] = inner_text(r, "si")))
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
            else
                ss->n++;
        }
    if (!rc && k < 0) rc = err_set(e, ERR_INVALID, "file", "the workbook's shared strings are not well-formed XML");
    xmlFreeTextReader(r);
    return rc;
}

/* "BC12" -> column 54 (0-based), row 12. */
static int cell_ref(const char *ref, size_t *col, size_t *rowno) {
    size_t c = 0;
    const char *p = ref;
    while (*p >= 'A' && *p <= 'Z' && c < 100000) c = c * 26 + (size_t)(*p++ - 'A' + 1);
    char *end;
    long r = strtol(p, &end, 10);
    if (!c || p == ref || *end || r < 1) return -1;
    *col = c - 1;
    *rowno = (size_t)r;
    return 0;
}

static int read_sheet(const char *xml, const strings *ss, table *t, err *e) {
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
    if (!r) return err_set(e, ERR_INVALID, "file", "the worksheet is not XML");
    int rc = 0, k;
    size_t col = 0, rowno = 0;
    char *type = NULL;
    while (!rc && (k = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) continue;
        if (named(r, "c")) {
            xmlChar *ref = xmlTextReaderGetAttribute(r, (const xmlChar *)"r");
            free(type);
            type = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"t");
            size_t rn = 0;
            if (!ref || cell_ref((const char *)ref, &col, &rn))
                rc = err_set(e, ERR_INVALID, "file", "a cell without a reference in the worksheet");
            else if (rn > TABLE_MAX_ROWS)
                rc = err_set(e, ERR_INVALID, "file", "more than %d rows", TABLE_MAX_ROWS);
            while (!rc && t->n < rn) rc = new_row(t, e); /* rows keep their numbers */
            rowno = rn;
            xmlFree(ref);
        } else if ((named(r, "v") || named(r, "is")) && rowno) {
            char *v = inner_text(r, named(r, "v") ? "v" : "is");
            if (!v) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            const char *text = v;
            if (type && !strcmp(type, "s")) {
                char *end;
                long i = strtol(v, &end, 10);
                if (*end || i < 0 || (size_t)i >= ss->n) rc = err_set(e, ERR_INVALID, "file", "a shared string out of range");
                else text = ss->s[i];
            }
            if (!rc) rc = put_cell(t, col, text, strlen(text), e);
            free(v);
        }
    }
    if (!rc && k < 0) rc = err_set(e, ERR_INVALID, "file", "the worksheet is not well-formed XML");
    free(type);
    xmlFreeTextReader(r);
    return rc;
}

static int read_xlsx(const unsigned char *data, size_t len, table *t, err *e) {
    /* minizip reads a named file: an anonymous one in memory (as
     * report/xlsx_mem writes), so nothing is left on disk */
    int fd = memfd_create("duban-table", MFD_CLOEXEC);
    if (fd < 0) return err_set(e, ERR_IO, "file", "cannot keep the workbook to read it");
    char path[40];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    bool wrote = write(fd, data, len) == (ssize_t)len;
    unzFile z = wrote ? unzOpen(path) : NULL;
    close(fd);
    if (!z) return err_set(e, ERR_INVALID, "file", "the file looks like a workbook but is not a readable XLSX");
    strings ss = {0};
    int rc = 0;
    err none = {0};
    char *shared = member(z, "xl/sharedStrings.xml", TABLE_MAX_BYTES * 4, &none);
    if (none.code) rc = err_set(e, none.code, "file", "%s", none.msg);
    char *sheet = rc ? NULL : member(z, "xl/worksheets/sheet1.xml", TABLE_MAX_BYTES * 8, e);
    if (!rc && !sheet && !e->code) rc = err_set(e, ERR_INVALID, "file", "the workbook has no first worksheet (xl/worksheets/sheet1.xml)");
    else if (!rc && !sheet) rc = e->code;
    if (!rc && shared) rc = read_strings(shared, &ss, e);
    if (!rc) rc = read_sheet(sheet, &ss, t, e);
    for (size_t i = 0; i < ss.n; i++) free(ss.s[i]);
    free(ss.s);
    free(shared);
    free(sheet);
    unzClose(z);
    return rc;
}

int table_read(const unsigned char *data, size_t len, table **out, err *e) {
    *out = NULL;
    if (len > TABLE_MAX_BYTES)
        return err_set(e, ERR_INVALID, "file", "the file is %zu bytes; the limit is %zu", len, TABLE_MAX_BYTES);
    if (!len) return err_set(e, ERR_INVALID, "file", "the file is empty");
    table *t = calloc(1, sizeof *t);
    if (!t) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = len >= 4 && !memcmp(data, "PK\x03\x04", 4) ? read_xlsx(data, len, t, e) : read_csv(data, len, t, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
