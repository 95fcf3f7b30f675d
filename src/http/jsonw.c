/* jsonw: see jsonw.h. One growing buffer; each string is copied in runs of
 * the bytes that need no escape. */
#include "http/jsonw.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char *p;
    size_t n, cap;
    bool failed;
} out;

static bool room(out *o, size_t k) {
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

static void put(out *o, const char *s, size_t k) {
    if (!room(o, k)) return;
    memcpy(o->p + o->n, s, k);
    o->n += k;
}

/* As jansson escapes: the two that must be, the control characters (the
 * five with short forms, the rest as \u00XX in capitals); nothing else. */
static void put_string(out *o, const char *s, size_t len) {
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

static void put_integer(out *o, json_int_t v) {
    char t[24], *e = t + sizeof t, *p = e;
    /* unsigned, so that the most negative value has its magnitude */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    put(o, p, (size_t)(e - p));
}

static void put_value(out *o, const json_t *v, size_t flags, int depth) {
    if (!v || depth > JSONW_MAX_DEPTH) {
        o->failed = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        size_t klen;
        json_t *item;
        void *tmp;
        bool first = true;
        put(o, "{", 1);
        json_object_keylen_foreach_safe((json_t *)v, tmp, key, klen, item) {
            if (!first) put(o, ",", 1);
            first = false;
            put_string(o, key, klen);
            put(o, ":", 1);
            put_value(o, item, flags, depth + 1);
        }
        put(o, "}", 1);
        break;
    }
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

char *jsonw_dumps(const json_t *v, size_t flags, size_t *len) {
    out o = {0};
    put_value(&o, v, flags, 0);
    if (!o.failed && room(&o, 1)) o.p[o.n] = '\0';
    if (o.failed) {
        free(o.p);
        *len = 0;
        return NULL;
    }
    *len = o.n;
    return o.p;
}
