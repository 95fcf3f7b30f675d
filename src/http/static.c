/* static: files of the web UI from cfg->web_root, and the few libraries it
 * uses from node_modules under /vendor/<package>/... Paths are checked segment
 * by segment (no "..", ".", empty or hidden segments) and the resolved file
 * must lie under its root. Content type by extension; ETag and caching: the
 * hashed names under /assets/ for a year, pages revalidated each time. A file
 * precompressed at build time (FILE.br, FILE.gz) is sent as it is when the
 * client takes it. A page path that names no file (/cases/12, the web UI's
 * own routes) is the UI's index.html, or under /q/ and /t/ a public page. Every answer carries the strict
 * Content-Security-Policy: scripts and styles from this origin only. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http_int.h"

#define STATIC_MAX_FILE (16u << 20)

/* npm packages the UI may load: nothing else in node_modules is served. */
static const char *const vendor_packages[] = {"echarts", "alpinejs"};

static const struct { const char *ext, *type; } types[] = {
    {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},           {".yaml", "application/yaml; charset=utf-8"},
    {".svg", "image/svg+xml"},               {".png", "image/png"},
    {".ico", "image/x-icon"},                {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},                {".map", "application/json"},
};

static const char *content_type(const char *path) {
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

/* Every segment must be a plain name: no traversal, no hidden files. */
static bool safe_path(const char *p) {
    if (*p != '/') return false;
    while (*p == '/') {
        const char *seg = p + 1, *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || seg[0] == '.' || memchr(seg, '\\', n)) return false;
        p = seg + n;
    }
    return *p == '\0';
}

#define CSP                                                                               \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;" \
    " font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none';" \
    " base-uri 'none'; form-action 'self'"

/* The precompressed twin the client accepts ("br" before "gzip"), if built. */
static const char *encoding_for(const http_req *req, const char *real, char *twin, size_t n) {
    const char *ae = http_header(req, "Accept-Encoding");
    static const char *const encs[][2] = {{"br", ".br"}, {"gzip", ".gz"}};
    for (size_t i = 0; ae && i < 2; i++) {
        struct stat sb;
        if (!strstr(ae, encs[i][0])) continue;
        if (snprintf(twin, n, "%s%s", real, encs[i][1]) < (int)n && stat(twin, &sb) == 0 &&
            S_ISREG(sb.st_mode))
            return encs[i][0];
    }
    return NULL;
}

/* A UI route: no extension in its last segment, outside the API. */
/* The page a path that names no file stands for: the public pages under /q/
 * (码上评) and /t/ (tracking), else the staff's app; NULL for what is not a
 * page (the API, a missing file with an extension). */
static const struct {
    const char *prefix, *page; /* page NULL: not a page */
    bool exact;                /* the path itself, not what starts with it */
} ui_pages[] = {
    {"/api/", NULL, false},      {"/open311", NULL, false}, {"/vendor/", NULL, false},
    {"/q/", "/q.html", false},   {"/t/", "/t.html", false}, {"/t", "/t.html", true},
};

static const char *ui_page(const char *path) {
    const char *last = strrchr(path, '/');
    if (!last || strchr(last, '.')) return NULL;
    for (size_t i = 0; i < sizeof ui_pages / sizeof *ui_pages; i++) {
        size_t n = strlen(ui_pages[i].prefix);
        if (strncmp(path, ui_pages[i].prefix, n) == 0 && (!ui_pages[i].exact || path[n] == '\0'))
            return ui_pages[i].page;
    }
    return "/index.html";
}

static int not_found(http_req *req, http_res *res) {
    return http_error(res, 404, "not_found", NULL, "no such file: %s", req->path);
}

int http_static(http_req *req, http_res *res) {
    const http_config *cfg = req->cfg;
    const char *path = strcmp(req->path, "/") == 0 ? "/index.html" : req->path;
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s", cfg->web_root ? cfg->web_root : "");
    if (strncmp(path, "/vendor/", 8) == 0) {
        /* the root is the package itself: a link inside it that leads to
         * another package (or anywhere else) is refused below */
        root[0] = '\0';
        for (size_t i = 0; cfg->npm_root && i < sizeof vendor_packages / sizeof *vendor_packages; i++) {
            size_t n = strlen(vendor_packages[i]);
            if (strncmp(path + 8, vendor_packages[i], n) == 0 && path[8 + n] == '/') {
                snprintf(root, sizeof root, "%s/%s", cfg->npm_root, vendor_packages[i]);
                path += 8 + n; /* "/vendor/echarts/dist/x.js" -> "/dist/x.js" */
            }
        }
    }
    if (!root[0] || !safe_path(path)) return not_found(req, res);
    http_add_header(res, "Content-Security-Policy", CSP);
    char full[PATH_MAX], real[PATH_MAX], real_root[PATH_MAX], twin[PATH_MAX + 4];
    if (snprintf(full, sizeof full, "%s%s", root, path) >= (int)sizeof full ||
        !realpath(root, real_root))
        return not_found(req, res);
    if (!realpath(full, real)) {
        const char *page = ui_page(path);
        if (!page || snprintf(full, sizeof full, "%s%s", root, page) >= (int)sizeof full ||
            !realpath(full, real))
            return not_found(req, res);
        path = page;
    }
    size_t rl = strlen(real_root);
    if (strncmp(real, real_root, rl) != 0 || real[rl] != '/') return not_found(req, res);
    const char *type = content_type(real), *enc = encoding_for(req, real, twin, sizeof twin);
    /* O_NONBLOCK: a FIFO (or a device) opens at once instead of holding the
     * worker, and fstat then refuses anything but a regular file */
    int fd = open(enc ? twin : real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat sb;
    if (fd < 0) return not_found(req, res);
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > STATIC_MAX_FILE) {
        close(fd);
        return not_found(req, res);
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx%s%s\"", (unsigned long long)sb.st_mtime,
             (unsigned long long)sb.st_size, enc ? "-" : "", enc ? enc : "");
    http_add_header(res, "ETag", etag);
    /* Pages revalidate each time; hashed assets never change; the rest an hour. */
    http_add_header(res, "Cache-Control", strcmp(type, types[0].type) == 0 ? "no-cache"
                                          : strncmp(path, "/assets/", 8) == 0
                                              ? "public, max-age=31536000, immutable"
                                              : "public, max-age=3600");
    if (enc) http_add_header(res, "Content-Encoding", enc);
    http_add_header(res, "Vary", "Accept-Encoding");
    const char *inm = http_header(req, "If-None-Match");
    res->content_type = type;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        res->status = 304;
        return 304;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
    close(fd);
    if (got != sb.st_size) {
        free(buf);
        return http_error(res, 500, "internal", NULL, "cannot read %s", req->path);
    }
    res->status = 200;
    res->body = buf;
    res->len = (size_t)got;
    return 200;
}
