/* res_system: the server's own state. */
#include "http/resources.h"
#include "store/store.h"

int res_health(http_req *req, http_res *res) {
    return http_json(res, 200,
                     json_pack("{s:s, s:i}", "status", "ok", "schema_version",
                               store_schema_version(req->st)));
}
