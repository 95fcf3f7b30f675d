/* kb: see kb.h. */
#include "core/kb.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "util/datetime.h"
#include "util/text.h"

void kb_entry_clear(kb_entry *k) {
    free(k->question);
    free(k->answer);
    free(k->policy);
    memset(k, 0, sizeof *k);
}

static int check(const char *s, const char *field, size_t max, bool required, err *e) {
    if (required && text_blank(s))
        return err_set(e, ERR_INVALID, field, "%s is required and may not be blank", field);
    if (s && strlen(s) > max)
        return err_set(e, ERR_INVALID, field, "%s is %zu bytes; the limit is %zu", field, strlen(s),
                       max);
    return 0;
}

int kb_check(const kb_entry *k, err *e) {
    int rc;
    if ((rc = check(k->question, "question", KB_QUESTION_MAX, true, e)) ||
        (rc = check(k->answer, "answer", KB_ANSWER_MAX, true, e)) ||
        (rc = check(k->policy, "policy", KB_POLICY_MAX, false, e)))
        return rc;
    if (k->valid_until < 0) return err_set(e, ERR_INVALID, "valid_until", "valid_until is before 1970");
    return 0;
}

bool kb_valid_on(const kb_entry *k, int32_t today) {
    return k->valid_until == 0 || k->valid_until >= today;
}

/* The length of the separator at s: an ASCII space or tab, or U+3000. */
static size_t sep(const char *s) {
    if (*s == ' ' || *s == '\t') return 1;
    return strncmp(s, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

int kb_terms(const char *q, char terms[KB_MAX_TERMS][KB_TERM_MAX], int *n, err *e) {
    *n = 0;
    for (const char *p = q ? q : ""; *p;) {
        size_t s = sep(p);
        if (s) {
            p += s;
            continue;
        }
        const char *start = p;
        while (*p && !sep(p)) p++;
        size_t len = (size_t)(p - start);
        if (*n == KB_MAX_TERMS) return 0; /* the first few words say enough */
        if (len >= KB_TERM_MAX)
            return err_set(e, ERR_INVALID, "q", "a search word is %zu bytes; the limit is %d", len,
                           KB_TERM_MAX - 1);
        memcpy(terms[*n], start, len);
        terms[(*n)++][len] = '\0';
    }
    return 0;
}

static json_t *ref_json(const unit_ref *r) {
    return r->id ? json_pack("{s:s, s:s}", "code", r->code, "name", r->name) : json_null();
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *kb_entry_json(const kb_entry *k, int tz, int32_t today) {
    char day[11];
    if (k->valid_until) dt_format_date(k->valid_until, day);
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:I, s:o, s:o, s:s}", "id",
                     (json_int_t)k->id, "question", str_or_null(k->question), "answer",
                     str_or_null(k->answer), "policy", str_or_null(k->policy), "category",
                     ref_json(&k->category), "unit", ref_json(&k->unit), "valid_until",
                     k->valid_until ? json_string(day) : json_null(), "valid",
                     kb_valid_on(k, today), "uses", (json_int_t)k->uses, "created_at",
                     case_time_json(k->created_at, tz), "updated_at",
                     case_time_json(k->updated_at, tz), "updated_by", k->updated_by);
}
