/* eval: 码上评 — the national 政务服务"好差评" scale, the service points a QR
 * code is posted at, and the rules that make an evaluation a case. Pure: the
 * store keeps points and evaluations, the HTTP layer throttles. */
#ifndef DUBAN_EVAL_H
#define DUBAN_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/case.h"

/* Best first, as the scale is printed. 差评: EV_UNSATISFIED and worse. */
typedef enum {
    EV_NONE, EV_VERY_SATISFIED, EV_SATISFIED, EV_BASIC, EV_UNSATISFIED, EV_VERY_UNSATISFIED,
    EV_COUNT
} eval_level;

/* What was wrong, a bit each (办事效率 服务态度 办事指南 环境设施 其他). */
typedef enum {
    EVR_EFFICIENCY = 1, EVR_ATTITUDE = 2, EVR_GUIDE = 4, EVR_FACILITY = 8, EVR_OTHER = 16
} eval_reason;
#define EVR_ALL 31

#define EVAL_COMMENT_MAX 500 /* characters */
#define POINT_NAME_MAX 64    /* characters */
#define POINT_CODE_LEN 10    /* the code in /q/{code}: lower-case letters and digits */

const char *eval_level_name(eval_level l);  /* "very_satisfied" ... */
const char *eval_level_label(eval_level l); /* 非常满意 ... */
int eval_level_parse(const char *s, eval_level *out, err *e);
bool eval_is_bad(eval_level l); /* 差评 */
/* "efficiency" ... -> one bit; ERR_INVALID naming it otherwise. */
int eval_reason_parse(const char *s, unsigned *bit, err *e);
/* The labels of reasons joined by "、" into out. */
void eval_reasons_label(unsigned reasons, char *out, size_t n);

/* A service point (a window, a hall, a department's service): where a QR code
 * hangs, belonging to a unit. Strings owned (point_clear). */
typedef struct service_point {
    int64_t id;
    char code[POINT_CODE_LEN + 1];
    char *name, *place;
    unit_ref unit;
    bool active;
    int64_t created_at;
} service_point;
void point_clear(service_point *p);
/* A name (1..POINT_NAME_MAX characters) and a unit required; place at most
 * 128 characters. ERR_INVALID naming the field. */
int point_check(const service_point *p, err *e);
/* A code of POINT_CODE_LEN lower-case letters and digits (what /q/ accepts). */
bool point_code_valid(const char *code);

/* One evaluation as given. Strings borrowed. */
typedef struct evaluation {
    eval_level level;
    unsigned reasons;
    const char *comment, *phone;
    bool report; /* "我要反映问题": a case whatever the level */
} evaluation;
/* The level required; reasons within EVR_ALL; comment at most
 * EVAL_COMMENT_MAX characters; phone as case intake takes one; a report
 * needs a comment (a case says what is wrong). */
int eval_check(const evaluation *ev, err *e);
/* A 差评 with a comment, or a report, becomes a case (channel qr). */
bool eval_makes_case(const evaluation *ev);
/* The case it becomes, routed to the point's unit: title and description
 * written into the given buffers, which c's fields then borrow. */
void eval_case(const evaluation *ev, const service_point *p, int64_t now, case_rec *c,
               char *title, size_t title_n, char *desc, size_t desc_n);

/* ---- the evaluation page's token ----
 * What the /q/ page is given with the point and sends back with the
 * evaluation: the point, the moment it was given, a nonce and an HMAC of
 * them (a key the server keeps), in hex. A page elsewhere cannot make one
 * for a visitor's browser (it cannot read the point page's answer), each
 * is taken once (the store keeps its nonce), and it lasts EVAL_TOKEN_TTL.
 * It stops cross-site posts; a script fetches one per post, which is what
 * the burst rule (docs/rules.md) is for. */
#define EVAL_TOKEN_TTL (2 * 3600)
#define EVAL_TOKEN_HEX 129
void eval_token_make(const unsigned char key[32], int64_t point_id, int64_t now, char out[EVAL_TOKEN_HEX]);
/* 0 when token is one eval_token_make made for point_id, given at most
 * EVAL_TOKEN_TTL before now; its nonce into nonce. ERR_INVALID naming
 * "token" otherwise. */
int eval_token_check(const unsigned char key[32], const char *token, int64_t point_id, int64_t now,
                     unsigned char nonce[16], err *e);

#endif
