/* res_openapi: docs/openapi.yaml, embedded at build time (like the
 * calendar) so the server describes itself from any working directory. */
#include "http/resources.h"

__asm__(".section .rodata\n"
        ".balign 16\n"
        "duban_openapi:\n"
        ".incbin \"docs/openapi.yaml\"\n"
        "duban_openapi_end:\n"
        ".previous\n");
extern const char duban_openapi[] __asm__("duban_openapi");
extern const char duban_openapi_end[] __asm__("duban_openapi_end");

int res_openapi(http_req *req, http_res *res) {
    (void)req;
    res->status = 200;
    res->body = (char *)duban_openapi;
    res->len = (size_t)(duban_openapi_end - duban_openapi);
    res->body_static = true;
    res->content_type = "application/yaml; charset=utf-8";
    http_add_header(res, "Cache-Control", "public, max-age=300");
    return 200;
}
