/* kb: the 知识库 — the answers the 12345 centre gives on the call (直接答复),
 * each kept by a unit and valid until a day. What an entry must hold and how
 * an operator's typed words become search terms; the store keeps them. */
#ifndef DUBAN_KB_H
#define DUBAN_KB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/case.h"

#define KB_QUESTION_MAX 1024 /* bytes */
#define KB_ANSWER_MAX 16384
#define KB_POLICY_MAX 1024
#define KB_MAX_TERMS 4
#define KB_TERM_MAX 96 /* bytes of one search term */

/* Strings owned (kb_entry_clear). valid_until is a day number, 0: no end. */
typedef struct kb_entry {
    int64_t id;
    char *question, *answer, *policy;
    unit_ref category, unit;
    int32_t valid_until;
    int64_t uses, created_at, updated_at;
    char updated_by[CASE_ACTOR_MAX];
} kb_entry;

void kb_entry_clear(kb_entry *k);
/* The question and the answer required and not blank, lengths within the
 * limits above: ERR_INVALID naming the field. */
int kb_check(const kb_entry *k, err *e);
/* Offered to an operator on day `today`: not expired (valid through its
 * valid_until day). */
bool kb_valid_on(const kb_entry *k, int32_t today);

/* {id, question, answer, policy, category, unit, valid_until, valid, uses,
 * created_at, updated_at, updated_by}; valid: kb_valid_on today. */
struct json_t;
struct json_t *kb_entry_json(const kb_entry *k, int tz, int32_t today);

/* The words typed, split at spaces (ASCII and the full-width one) into at
 * most KB_MAX_TERMS terms, each a substring every match must contain.
 * Returns the number; ERR_INVALID (field "q") for a term too long. */
int kb_terms(const char *q, char terms[KB_MAX_TERMS][KB_TERM_MAX], int *n, err *e);

#endif
