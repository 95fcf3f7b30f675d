/* html: see html.h. */
#include "http/html.h"

#include <sodium.h>
#include <string.h>

void html_site_url(http_req *req, const char *path, char *out, size_t n) {
    char base[256] = "";
    err e = {0};
    /* configuration, else the address the server listens on; never the
     * request's Host header, which whoever sends the request writes */
    if (store_config_get(req->st, "site_url", base, sizeof base, &e) || !base[0])
        snprintf(base, sizeof base, "%s", req->self_url ? req->self_url : "http://127.0.0.1:8080");
    size_t len = strlen(base);
    if (len && base[len - 1] == '/') base[len - 1] = '\0';
    snprintf(out, n, "%s%s", base, path);
}

int html_send(http_res *res, char *html, size_t len, const char *style) {
    unsigned char sum[32];
    char b64[64], csp[256];
    crypto_hash_sha256(sum, (const unsigned char *)style, strlen(style));
    sodium_bin2base64(b64, sizeof b64, sum, sizeof sum, sodium_base64_VARIANT_ORIGINAL);
    snprintf(csp, sizeof csp, "default-src 'none'; style-src 'sha256-%s'; img-src data:;"
             " frame-ancestors 'none'; base-uri 'none'; form-action 'none'", b64);
    http_add_header(res, "Content-Security-Policy", csp);
    http_add_header(res, "Cache-Control", "no-store");
    res->status = 200;
    res->body = html;
    res->len = len;
    res->content_type = "text/html; charset=utf-8";
    return 200;
}
