/* view: see view.h. */
#include "core/view.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "util/mutant.h"

int view_channels_parse(const char *list, view_channels *out, err *e) {
    view_channels v = 0;
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        char name[32];
        case_channel ch;
        if (n >= sizeof name) n = sizeof name - 1;
        memcpy(name, p, n);
        name[n] = '\0';
        if (case_channel_parse(name, &ch, e)) return ERR_INVALID;
        v |= VIEW_CHANNEL(ch);
        p += strcspn(p, ",");
        if (*p) p++;
    }
    *out = v;
    return 0;
}

bool case_is_public(const case_rec *c, view_channels pub) {
    if (c->confidential && !MUTANT("public")) return false;
    return c->public_summary || (c->channel < CH_COUNT && (pub & VIEW_CHANNEL(c->channel)));
}

char *view_public_description(const case_rec *c, view_channels pub) {
    if (!case_is_public(c, pub)) return NULL;
    const char *t = c->public_summary ? c->public_summary
                    : c->description  ? c->description
                                      : c->title;
    return t ? view_scrub(t) : NULL;
}

char *view_public_reply(const case_rec *c, view_channels pub) {
    if (!case_is_public(c, pub) || !c->public_reply) return NULL;
    return view_scrub(c->public_reply);
}

/* ---- the scrubber ---- */

/* The length of the Arabic digit at p (ASCII, full-width "０"-"９"), or 0. */
static size_t arabic_at(const unsigned char *p) {
    if (*p >= '0' && *p <= '9') return 1;
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) return 3;
    return 0;
}

/* The length of a Chinese numeral as a number is read aloud
 * (〇一二三四五六七八九, 零, 幺 for 1), or 0. */
static size_t numeral_at(const unsigned char *p) {
    static const char *const numerals[] = {"〇", "零", "一", "幺", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (*p >= 0xE3 && *p <= 0xE9)
        for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++)
            if (strncmp((const char *)p, numerals[i], 3) == 0) return 3; /* stops at the end */
    return 0;
}

/* A number is written in one kind of digit (chinese: numerals, else
 * Arabic): "张三 138…" is a name and a number, not one number. */
static size_t digit_at(const unsigned char *p, bool chinese) { return chinese ? numeral_at(p) : arabic_at(p); }

/* The length of a separator inside a number at p, or 0: a space, '-', '.',
 * '/', '_', '(', ')', their full-width forms (U+3000, U+FF0D, U+FF0E, U+FF0F,
 * U+FF3F, U+FF08, U+FF09) and the dashes U+2010-U+2015. */
static size_t sep_at(const unsigned char *p) {
    if (*p == ' ' || *p == '-' || *p == '.' || *p == '/' || *p == '_' || *p == '(' || *p == ')') return 1;
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
    if (p[0] == 0xEF && p[1] == 0xBC &&
        (p[2] == 0x8D || p[2] == 0x8E || p[2] == 0x8F || p[2] == 0xBF || p[2] == 0x88 || p[2] == 0x89))
        return 3;
    if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) return 3;
    return 0;
}

/* The separators between two digits ("139 - 1234": up to three), or 0
 * when no digit follows them. */
static size_t seps_at(const unsigned char *p, bool chinese) {
    size_t n = 0;
    for (int k = 0; k < 3; k++) {
        size_t s = sep_at(p + n);
        if (!s) break;
        n += s;
        if (digit_at(p + n, chinese)) return n;
    }
    return 0;
}

/* An ID number's check character: X, x or their full-width forms. */
static size_t idx_at(const unsigned char *p) {
    if (*p == 'X' || *p == 'x') return 1;
    if (p[0] == 0xEF && ((p[1] == 0xBC && p[2] == 0xB8) || (p[1] == 0xBD && p[2] == 0x98))) return 3;
    return 0;
}

/* Scans the number starting at p (a digit): its end, its digit count and its
 * groups' sizes (up to 8) as split by separators. */
static const unsigned char *scan_number(const unsigned char *p, bool chinese, int *digits, int groups[8],
                                        int *ngroups) {
    const unsigned char *end = p;
    *digits = 0;
    *ngroups = 0;
    int in_group = 0;
    for (;;) {
        size_t k = digit_at(p, chinese);
        if (k) {
            (*digits)++;
            in_group++;
            p += k;
            end = p;
            continue;
        }
        size_t s = seps_at(p, chinese);
        if (s) { /* separators between digits */
            if (*ngroups < 8) groups[(*ngroups)++] = in_group;
            in_group = 0;
            p += s;
            continue;
        }
        break;
    }
    if (*ngroups < 8) groups[(*ngroups)++] = in_group;
    size_t x = idx_at(end);
    if (x && *digits == 17) end += x; /* an 18-character ID ending in X */
    return end;
}

/* 2026-11-29 or 2026.11.29: a date, not a number to hide. */
static bool looks_like_date(const int *groups, int ngroups) {
    return ngroups == 3 && groups[0] == 4 && groups[1] >= 1 && groups[1] <= 2 && groups[2] >= 1 &&
           groups[2] <= 2;
}

/* A case number (MZ20261125-0001: letters, eight digits, '-', four) is
 * the public's to read; so is an amount (digits followed by 元, 万 or 亿). */
static bool case_number_or_amount(const unsigned char *start, const unsigned char *text,
                                  const unsigned char *end, const int *groups, int ngroups) {
    bool letters = start > text && ((start[-1] >= 'A' && start[-1] <= 'Z') || (start[-1] >= 'a' && start[-1] <= 'z'));
    if (letters && ngroups == 2 && groups[0] == 8 && groups[1] == 4 && start[8] == '-') return true;
    const char *after = (const char *)end;
    return ngroups == 1 && (!strncmp(after, "元", 3) || !strncmp(after, "万", 3) || !strncmp(after, "亿", 3));
}

char *view_scrub(const char *text) {
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    if (!out) return NULL;
    const unsigned char *p = (const unsigned char *)text, *t0 = p;
    char *o = out;
    while (*p) {
        bool chinese = !arabic_at(p);
        if (!digit_at(p, chinese)) {
            *o++ = (char)*p++;
            continue;
        }
        int digits, groups[8], ng;
        const unsigned char *end = scan_number(p, chinese, &digits, groups, &ng);
        bool hide = digits >= 7 && !looks_like_date(groups, ng) && !case_number_or_amount(p, t0, end, groups, ng);
        while (p < end) {
            size_t k = digit_at(p, chinese);
            if (!k) k = idx_at(p);
            if (hide && k) { /* one '*' per digit: a wider one shrinks */
                *o++ = '*';
                p += k;
            } else {
                size_t s = k ? k : sep_at(p);
                if (!s) s = 1;
                memcpy(o, p, s);
                o += s;
                p += s;
            }
        }
    }
    *o = '\0';
    return out;
}

/* Sets key to text (taking it); nothing when NULL. */
static void set_taken(json_t *o, const char *key, char *text) {
    if (text) json_object_set_new(o, key, json_string(text));
    free(text);
}

void case_view_out(case_out *o, const case_rec *c, case_view v, int tz) {
    case_out_members(o, c, tz, v == VIEW_CONTACT ? CASE_JSON_REVEAL : 0);
    char code[VIEW_TRACK_CODE_LEN + 1];
    /* those who talk to the requester give them the receipt's check code */
    if (v == VIEW_CONTACT && view_track_code(c, code)) case_out_str(o, "track_code", code);
}

json_t *case_view_json(const case_rec *c, case_view v, view_channels pub, int tz) {
    if (v != VIEW_PUBLIC) {
        case_out o = {.obj = json_object()};
        case_view_out(&o, c, v, tz);
        return o.obj;
    }
    if (!case_is_public(c, pub)) return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "case_no", json_string(c->case_no));
    json_object_set_new(o, "status", json_string(case_status_name(c->status)));
    json_object_set_new(o, "status_label", json_string(case_status_label(c->status)));
    if (c->category.id)
        json_object_set_new(o, "category", json_pack("{s:s, s:s}", "code", c->category.code,
                                                     "name", c->category.name));
    if (c->lead.id) json_object_set_new(o, "unit", json_string(c->lead.name));
    json_object_set_new(o, "received_at", case_time_json(c->received_at, tz));
    json_object_set_new(o, "updated_at", case_time_json(c->updated_at, tz));
    if (c->due[DUE_RESOLVE]) json_object_set_new(o, "resolve_due", case_due_json(c->due[DUE_RESOLVE], tz));
    set_taken(o, "description", view_public_description(c, pub));
    set_taken(o, "reply", view_public_reply(c, pub));
    return o;
}

/* ---- tracking ---- */

bool view_track_code(const case_rec *c, char out[VIEW_TRACK_CODE_LEN + 1]) {
    static const unsigned char zero[32];
    if (!memcmp(c->text_key, zero, 32)) return false;
    unsigned char h[VIEW_TRACK_CODE_LEN / 2];
    /* keyed by the case's secret, over a label: nothing else hashes this */
    crypto_generichash(h, sizeof h, (const unsigned char *)"duban track code", 16, c->text_key, 32);
    sodium_bin2hex(out, VIEW_TRACK_CODE_LEN + 1, h, sizeof h);
    return true;
}

bool view_track_code_ok(const case_rec *c, const char *given) {
    char want[VIEW_TRACK_CODE_LEN + 1], got[VIEW_TRACK_CODE_LEN + 1];
    size_t n = 0;
    if (!given || !view_track_code(c, want)) return false;
    for (; *given; given++) {
        if (*given == ' ' || *given == '-') continue;
        if (n == VIEW_TRACK_CODE_LEN) return false;
        got[n++] = (char)tolower((unsigned char)*given);
    }
    return n == VIEW_TRACK_CODE_LEN && sodium_memcmp(got, want, n) == 0;
}

/* One step of 13710; a step with no deadline is left out, but for the "0"
 * (tracked until closed), which has none. */
static void add_step(json_t *arr, const char *step, const char *label, int64_t due, int64_t done,
                     int64_t now, int tz) {
    bool zero = strcmp(step, "0") == 0;
    if (!due && !done && !zero) return;
    const char *state = done ? (due && done > due ? "done_late" : "done")
                        : due && now > due ? "overdue"
                                           : "due";
    json_t *o = json_pack("{s:s, s:s, s:s}", "step", step, "label", label, "state", state);
    if (due) json_object_set_new(o, "due", case_due_json(due, tz));
    if (done) json_object_set_new(o, "done_at", case_time_json(done, tz));
    json_array_append_new(arr, o);
}

json_t *case_track_json(const case_rec *c, view_channels pub, int tz, int64_t now) {
    json_t *o = json_object(), *steps = json_array();
    json_object_set_new(o, "case_no", json_string(c->case_no));
    json_object_set_new(o, "channel_label", json_string(case_channel_label(c->channel)));
    json_object_set_new(o, "status", json_string(case_status_name(c->status)));
    json_object_set_new(o, "status_label", json_string(case_status_label(c->status)));
    if (c->category.id) json_object_set_new(o, "category", json_string(c->category.name));
    if (c->lead.id) json_object_set_new(o, "unit", json_string(c->lead.name));
    json_object_set_new(o, "received_at", case_time_json(c->received_at, tz));
    json_object_set_new(o, "updated_at", case_time_json(c->updated_at, tz));
    add_step(steps, "1", "当日交办", c->due[DUE_DISPATCH], c->dispatched_at, now, tz);
    add_step(steps, "3", "三日内反馈", c->due[DUE_FEEDBACK], c->first_feedback_at, now, tz);
    add_step(steps, c->klass == CL_MAJOR ? "30" : "7",
             c->channel == CH_QR ? "整改办结" : c->klass == CL_MAJOR ? "一月内办结" : "七日内办结",
             c->due[DUE_RESOLVE], c->resolved_at, now, tz);
    add_step(steps, "0", "跟踪销号", 0, c->closed_at, now, tz);
    json_object_set_new(o, "steps", steps);
    char *d = view_public_description(c, pub), *r = view_public_reply(c, pub);
    if (d) json_object_set_new(o, "description", json_string(d));
    if (r) json_object_set_new(o, "reply", json_string(r));
    free(d);
    free(r);
    return o;
}
