/* ref: reference data as duban understands it, apart from where it is kept:
 * the kinds of unit, what a code may look like, the configuration keys and
 * their values, and what a category's attribute (an Open311 service
 * attribute) must hold, and a reply template. The store calls these before
 * it writes anything. */
#ifndef DUBAN_REF_H
#define DUBAN_REF_H

#include <stdbool.h>

#include "core/case.h"
#include "util/err.h"

typedef enum { UNIT_DEPT, UNIT_TOWNSHIP, UNIT_CENTER, UNIT_KIND_COUNT } unit_kind;
const char *unit_kind_name(unit_kind k);
int unit_kind_parse(const char *s, unit_kind *k, err *e);

/* A unit's or category's code (letters, digits, '-', '_', '.'; under
 * CASE_CODE_MAX bytes) and name (1 to CASE_NAME_MAX - 1 bytes). */
int ref_check_code(const char *what, const char *code, const char *name, err *e);

/* The configuration an administrator may set, and what each value must look like. */
int ref_check_config(const char *key, const char *value, err *e);

/* What a category asks beyond the description. */
#define REF_MAX_CHOICES 16
typedef struct ref_attribute {
    char code[48], datatype[20], description[256];
    bool required;
    int order;
    int n_choices; /* for singlevaluelist and multivaluelist */
    char choice_key[REF_MAX_CHOICES][48], choice_name[REF_MAX_CHOICES][96];
} ref_attribute;
int ref_check_attribute(const ref_attribute *a, err *e);
bool ref_attribute_is_list(const ref_attribute *a);

/* A reply template (答复模板): a standard wording for a category's results
 * and answers, that the unit adapts. Strings borrowed. */
#define TEMPLATE_TITLE_MAX 60   /* characters */
#define TEMPLATE_BODY_MAX 2000  /* characters */
typedef struct ref_template {
    int64_t id;
    unit_ref category; /* none: for every category */
    const char *title, *body;
} ref_template;
/* A title and a body, not blank, within the limits: ERR_INVALID naming it. */
int ref_check_template(const ref_template *t, err *e);

#endif
