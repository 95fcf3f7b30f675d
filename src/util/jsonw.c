/* jsonw: see jsonw.h. One growing buffer; each string is copied in runs of
 * the bytes that need no escape. */
#include "util/jsonw.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool room(jsonw *o, size_t k) {
    if (o->n + k <= o->cap) return true;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->n + k) cap *= 2;
    char *p = o->failed ? NULL : realloc(o->p, cap);
    if (!p) {
        o->failed = true;
        return false;
    }
    o->p = p;
    o->cap = cap;
    return true;
}

static void put(jsonw *o, const char *s, size_t k) {
    if (!room(o, k)) return;
    memcpy(o->p + o->n, s, k);
    o->n += k;
}

/* As jansson escapes: the two that must be, the control characters (the
 * five with short forms, the rest as \u00XX in capitals); nothing else. */
static void put_string(jsonw *o, const char *s, size_t len) {
    static const char hex[] = "0123456789ABCDEF";
    if (!room(o, len * 6 + 2)) return;
    char *w = o->p + o->n;
    *w++ = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *w++ = (char)c;
            continue;
        }
        *w++ = '\\';
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '\b': *w++ = 'b'; break;
        case '\f': *w++ = 'f'; break;
        case '\n': *w++ = 'n'; break;
        case '\r': *w++ = 'r'; break;
        case '\t': *w++ = 't'; break;
        default:
            memcpy(w, "u00", 3);
            w[3] = hex[c >> 4];
            w[4] = hex[c & 15];
            w += 5;
        }
    }
    *w++ = '"';
    o->n = (size_t)(w - o->p);
}

static void put_integer(jsonw *o, json_int_t v) {
    char t[24], *e = t + sizeof t, *p = e;
    /* unsigned, so that the most negative value has its magnitude */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    put(o, p, (size_t)(e - p));
}

static void put_value(jsonw *o, const json_t *v, size_t flags, int depth);

/* "{" and the members: all of an object but its closing brace. */
static size_t put_members(jsonw *o, const json_t *v, size_t flags, int depth) {
    const char *key;
    size_t klen, n = 0;
    json_t *item;
    void *tmp;
    put(o, "{", 1);
    json_object_keylen_foreach_safe((json_t *)v, tmp, key, klen, item) {
        if (n++) put(o, ",", 1);
        put_string(o, key, klen);
        put(o, ":", 1);
        put_value(o, item, flags, depth + 1);
    }
    return n;
}

static void put_value(jsonw *o, const json_t *v, size_t flags, int depth) {
    if (!v || depth > JSONW_MAX_DEPTH) {
        o->failed = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        put_members(o, v, flags, depth);
        put(o, "}", 1);
        break;
    case JSON_ARRAY:
        put(o, "[", 1);
        for (size_t i = 0, n = json_array_size(v); i < n; i++) {
            if (i) put(o, ",", 1);
            put_value(o, json_array_get(v, i), flags, depth + 1);
        }
        put(o, "]", 1);
        break;
    case JSON_STRING: put_string(o, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: put_integer(o, json_integer_value(v)); break;
    case JSON_REAL: {
        char t[64];
        size_t k = json_dumpb(v, t, sizeof t, JSON_ENCODE_ANY | JSON_COMPACT | flags);
        if (!k || k > sizeof t) o->failed = true;
        else put(o, t, k);
        break;
    }
    case JSON_TRUE: put(o, "true", 4); break;
    case JSON_FALSE: put(o, "false", 5); break;
    case JSON_NULL: put(o, "null", 4); break;
    }
}

void jsonw_raw(jsonw *w, const char *text, size_t n) { put(w, text, n); }
void jsonw_string(jsonw *w, const char *s, size_t n) { put_string(w, s, n); }
void jsonw_cstr(jsonw *w, const char *s) {
    if (s) put_string(w, s, strlen(s));
    else put(w, "null", 4);
}
void jsonw_int(jsonw *w, json_int_t v) { put_integer(w, v); }
void jsonw_value(jsonw *w, const json_t *v, size_t flags) { put_value(w, v, flags, 0); }

size_t jsonw_object_open(jsonw *w, const json_t *obj, size_t flags) {
    if (!json_is_object(obj)) {
        w->failed = true;
        return 0;
    }
    return put_members(w, obj, flags, 0);
}

char *jsonw_take(jsonw *w, size_t *len) {
    if (!w->failed && room(w, 1)) w->p[w->n] = '\0';
    char *text = w->failed ? NULL : w->p;
    *len = w->failed ? 0 : w->n;
    if (!text) free(w->p);
    *w = (jsonw){0};
    return text;
}

void jsonw_free(jsonw *w) {
    free(w->p);
    *w = (jsonw){0};
}

char *jsonw_dumps(const json_t *v, size_t flags, size_t *len) {
    jsonw w = {0};
    put_value(&w, v, flags, 0);
    return jsonw_take(&w, len);
}
