/* res_system: the server's own state: the schema, the database driver and
 * this node's background sweep (is it the leader, when did it last sweep). */
#include "http/resources.h"
#include "http/sweeper.h"
#include "store/store.h"

int res_health(http_req *req, http_res *res) {
    json_t *o = json_pack("{s:s, s:i, s:s}", "status", "ok", "schema_version",
                          store_schema_version(req->st), "driver", store_driver_name(req->st));
    if (req->sweeper) {
        sweeper_state w;
        sweeper_state_get(req->sweeper, &w);
        json_object_set_new(o, "sweep",
                            json_pack("{s:b, s:I, s:I, s:s?}", "leader", w.leading, "last_at",
                                      (json_int_t)w.last_at, "raised", (json_int_t)w.raised,
                                      "error", w.error[0] ? "the last sweep failed; see the server log" : NULL));
    }
    return http_json(res, 200, o);
}
