/* store_anchor: `audit anchor` and `audit verify --anchors` (core/anchor.h).
 * An anchor is two files in a folder outside the database: NAME.leaves, a
 * line per chain head ("case ID COUNT HASH" for every case, "log NAME
 * COUNT HASH" for each log of store_chain.h), and NAME.json, the signed
 * root over them with its moment and algorithm. Verifying one checks the
 * signature with a public key given apart, the root against the leaves,
 * and each leaf against the database: the link it names must still be
 * there, with the same hash, so a history rewritten before the anchor —
 * even with every hash after it made anew — is named. */
#ifndef DUBAN_STORE_ANCHOR_H
#define DUBAN_STORE_ANCHOR_H

#include <stdint.h>

#include "core/anchor.h"
#include "store/store.h"
#include "store/store_audit.h"

typedef struct store_anchor {
    char name[64]; /* anchor-YYYYMMDDTHHMMSSZ */
    anchor_alg alg;
    int64_t leaves;
    char root[65];
} store_anchor;

/* Writes an anchor of the database as it is at `now` into dir, signed
 * with the private key in key_path. */
int store_anchor_write(store *s, const char *dir, const char *key_path, int64_t now, store_anchor *out, err *e);
/* When the newest anchor in dir was made (0: there is none). */
int store_anchor_newest(const char *dir, int64_t *at, err *e);
/* Checks every anchor in dir (NAME.json) with the public key in pub_path;
 * the first that fails is put in *a (its case, or its log, and why), after
 * *anchors (how many were checked). */
int store_anchor_verify(store *s, const char *dir, const char *pub_path, store_audit *a, int *anchors, err *e);

#endif
