/* store_json: see store_json.h. */
#include "store/store_json.h"

#include "core/case_json.h"

json_t *store_ref_json(const unit_ref *r) {
    return r->id ? json_pack("{s:s, s:s}", "code", r->code, "name", r->name) : json_null();
}

json_t *store_notice_json(const store_notice *n, int tz) {
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)n->id,
                     "case_id", (json_int_t)n->case_id, "case_no", n->case_no, "deadline",
                     case_due_name(n->kind), "level", sup_level_name(n->level), "label",
                     sup_level_label(n->level), "due", case_time_json(n->due, tz), "raised_at",
                     case_time_json(n->raised_at, tz), "unit", store_ref_json(&n->unit));
}

json_t *store_unit_json(const store_unit *u) {
    return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)u->ref.id, "code", u->ref.code,
                     "name", u->ref.name, "kind", store_unit_kind_name(u->kind), "parent",
                     u->parent[0] ? json_string(u->parent) : json_null());
}
