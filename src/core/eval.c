/* eval: see eval.h. */
#include "core/eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/text.h"

static const struct { const char *name, *label; } levels[EV_COUNT] = {
    [EV_VERY_SATISFIED] = {"very_satisfied", "非常满意"},
    [EV_SATISFIED] = {"satisfied", "满意"},
    [EV_BASIC] = {"basic", "基本满意"},
    [EV_UNSATISFIED] = {"unsatisfied", "不满意"},
    [EV_VERY_UNSATISFIED] = {"very_unsatisfied", "非常不满意"},
};

static const struct { unsigned bit; const char *name, *label; } reasons[] = {
    {EVR_EFFICIENCY, "efficiency", "办事效率"}, {EVR_ATTITUDE, "attitude", "服务态度"},
    {EVR_GUIDE, "guide", "办事指南"},           {EVR_FACILITY, "facility", "环境设施"},
    {EVR_OTHER, "other", "其他"},
};
#define N_REASONS (sizeof reasons / sizeof *reasons)

const char *eval_level_name(eval_level l) {
    return l > EV_NONE && l < EV_COUNT ? levels[l].name : "?";
}
const char *eval_level_label(eval_level l) {
    return l > EV_NONE && l < EV_COUNT ? levels[l].label : "?";
}

int eval_level_parse(const char *s, eval_level *out, err *e) {
    for (int l = EV_VERY_SATISFIED; l < EV_COUNT; l++)
        if (s && strcmp(s, levels[l].name) == 0) {
            *out = (eval_level)l;
            return 0;
        }
    return err_set(e, ERR_INVALID, "level",
                   "unknown level '%s' (want very_satisfied, satisfied, basic, unsatisfied or "
                   "very_unsatisfied)",
                   s ? s : "");
}

bool eval_is_bad(eval_level l) { return l == EV_UNSATISFIED || l == EV_VERY_UNSATISFIED; }

int eval_reason_parse(const char *s, unsigned *bit, err *e) {
    for (size_t i = 0; i < N_REASONS; i++)
        if (s && strcmp(s, reasons[i].name) == 0) {
            *bit = reasons[i].bit;
            return 0;
        }
    return err_set(e, ERR_INVALID, "reasons",
                   "unknown reason '%s' (want efficiency, attitude, guide, facility or other)",
                   s ? s : "");
}

void eval_reasons_label(unsigned bits, char *out, size_t n) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < N_REASONS; i++) {
        if (!(bits & reasons[i].bit)) continue;
        int k = snprintf(out + used, n - used, "%s%s", used ? "、" : "", reasons[i].label);
        if (k < 0 || (size_t)k >= n - used) break;
        used += (size_t)k;
    }
}

void point_clear(service_point *p) {
    free(p->name);
    free(p->place);
    p->name = p->place = NULL;
}

int point_check(const service_point *p, err *e) {
    if (text_blank(p->name) || text_len(p->name) > POINT_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "a service point needs a name of 1-%d characters",
                       POINT_NAME_MAX);
    if (p->place && text_len(p->place) > 128)
        return err_set(e, ERR_INVALID, "place", "place is at most 128 characters");
    if (!p->unit.id && !p->unit.code[0])
        return err_set(e, ERR_INVALID, "unit", "a service point belongs to a unit");
    return 0;
}

bool point_code_valid(const char *code) {
    if (!code || strlen(code) != POINT_CODE_LEN) return false;
    for (const char *c = code; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))) return false;
    return true;
}

int eval_check(const evaluation *ev, err *e) {
    if (ev->level <= EV_NONE || ev->level >= EV_COUNT)
        return err_set(e, ERR_INVALID, "level", "choose a level");
    if (ev->reasons & ~(unsigned)EVR_ALL) return err_set(e, ERR_INVALID, "reasons", "bad reasons");
    if (ev->comment && text_len(ev->comment) > EVAL_COMMENT_MAX)
        return err_set(e, ERR_INVALID, "comment", "a comment is at most %d characters",
                       EVAL_COMMENT_MAX);
    if (ev->phone && ev->phone[0]) {
        size_t digits = 0;
        for (const char *p = ev->phone; *p; p++) {
            if (*p >= '0' && *p <= '9')
                digits++;
            else if (!strchr("+- ", *p))
                return err_set(e, ERR_INVALID, "phone",
                               "a phone number holds only digits, '+', '-' and spaces");
        }
        if (digits < 7 || strlen(ev->phone) > 20)
            return err_set(e, ERR_INVALID, "phone", "a phone number has 7 to 20 digits");
    }
    if (ev->report && text_blank(ev->comment))
        return err_set(e, ERR_INVALID, "comment", "say what the problem is");
    return 0;
}

bool eval_makes_case(const evaluation *ev) {
    return ev->report || (eval_is_bad(ev->level) && !text_blank(ev->comment));
}

void eval_case(const evaluation *ev, const service_point *p, int64_t now, case_rec *c,
               char *title, size_t title_n, char *desc, size_t desc_n) {
    char why[128];
    eval_reasons_label(ev->reasons, why, sizeof why);
    snprintf(title, title_n, "码上评%s：%s", ev->report && !eval_is_bad(ev->level) ? "反映" : "差评",
             p->name);
    bool place = p->place && p->place[0];
    snprintf(desc, desc_n, "服务点：%s%s%s%s\n评价：%s%s%s\n%s", p->name, place ? "（" : "",
             place ? p->place : "", place ? "）" : "", eval_level_label(ev->level),
             why[0] ? "；问题：" : "", why, ev->comment ? ev->comment : "");
    c->channel = CH_QR;
    c->klass = CL_GENERAL;
    c->appeal = ev->report && !eval_is_bad(ev->level) ? AP_SUGGESTION : AP_COMPLAINT;
    c->title = title;
    c->description = desc;
    c->requester_phone = ev->phone && ev->phone[0] ? (char *)ev->phone : NULL;
    c->received_at = now;
}

/* ---- the page's token ---- */

static void put64(unsigned char *p, int64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)((uint64_t)v >> (8 * i));
}

static int64_t get64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return (int64_t)v;
}

/* point (8) | issued (8) | nonce (16) | HMAC-SHA256 of those (32) */
enum { TOKEN_BODY = 32, TOKEN_LEN = 64 };

void eval_token_make(const unsigned char key[32], int64_t point_id, int64_t now, char out[EVAL_TOKEN_HEX]) {
    unsigned char t[TOKEN_LEN];
    put64(t, point_id);
    put64(t + 8, now);
    randombytes_buf(t + 16, 16);
    crypto_auth_hmacsha256(t + TOKEN_BODY, t, TOKEN_BODY, key);
    sodium_bin2hex(out, EVAL_TOKEN_HEX, t, sizeof t);
}

int eval_token_check(const unsigned char key[32], const char *token, int64_t point_id, int64_t now,
                     unsigned char nonce[16], err *e) {
    unsigned char t[TOKEN_LEN];
    size_t n = 0;
    if (!token || strlen(token) != 2 * TOKEN_LEN ||
        sodium_hex2bin(t, sizeof t, token, strlen(token), NULL, &n, NULL) || n != TOKEN_LEN ||
        crypto_auth_hmacsha256_verify(t + TOKEN_BODY, t, TOKEN_BODY, key) || get64(t) != point_id)
        return err_set(e, ERR_INVALID, "token", "the evaluation page's token is missing or not this point's:"
                                                " open the page from its QR code");
    int64_t issued = get64(t + 8);
    if (issued > now + 60 || now - issued > EVAL_TOKEN_TTL)
        return err_set(e, ERR_INVALID, "token", "the evaluation page has been open too long: reload it");
    memcpy(nonce, t + 16, 16);
    return 0;
}
