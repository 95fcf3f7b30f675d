/* html: the few pages the server writes itself (the 交办单, a service
 * point's poster, the 通报): the site's address for printed links and QR
 * codes, and sending a page whose one style block is allowed by its hash
 * (escaping is util/text's text_html). */
#ifndef DUBAN_HTML_H
#define DUBAN_HTML_H

#include <stdio.h>

#include "http/http_int.h"

/* site_url (configuration) or, unset, the address the server listens on,
 * followed by path ("/t/MZ..."); never the request's Host header. */
void html_site_url(http_req *req, const char *path, char *out, size_t n);
/* 200 with html (taken) under a policy allowing only `style` (the page's
 * one <style> block, by its SHA-256) and data: images; no script. */
int html_send(http_res *res, char *html, size_t len, const char *style);

#endif
