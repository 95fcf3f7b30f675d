/* anchor: what holds the chains' heads outside the database. Whoever can
 * write the database can rewrite a chain whole (the per-case key is in it
 * too); a root signed with a key kept elsewhere, over every head at a
 * moment, and stored elsewhere, makes that visible: a history that changed
 * before the anchor no longer gives its leaf.
 *
 * The tree is RFC 6962's (a leaf is H(0x00 || leaf), a node H(0x01 || left
 * || right), an odd node carried up), its hash the signature's own: SHA-256
 * with Ed25519 (libsodium), SM3 with SM2 (OpenSSL 3: the 国密 algorithms a
 * 等保 level-3 system's 密评 expects). Keys are files: a private key the
 * server reads (mode 0600) and a public key to verify with, kept apart. */
#ifndef DUBAN_ANCHOR_H
#define DUBAN_ANCHOR_H

#include <stddef.h>

#include "util/err.h"

typedef enum { ANCHOR_ED25519, ANCHOR_SM2, ANCHOR_ALG_COUNT } anchor_alg;

#define ANCHOR_SIG_MAX 128

const char *anchor_alg_name(anchor_alg a); /* "ed25519", "sm2" */
int anchor_alg_parse(const char *s, anchor_alg *out, err *e);

void anchor_leaf_hash(anchor_alg a, const char *leaf, size_t n, unsigned char out[32]);
/* The root over n leaf hashes (the array is overwritten); zeros for none. */
void anchor_root(anchor_alg a, unsigned char (*hashes)[32], size_t n, unsigned char root[32]);

/* The algorithm of the private key in path. */
int anchor_key_alg(const char *path, anchor_alg *out, err *e);
/* A new key pair into priv_path (0600) and pub_path. */
int anchor_keygen(anchor_alg a, const char *priv_path, const char *pub_path, err *e);
/* Signs msg with the private key in path; *alg: the key's algorithm. */
int anchor_sign(const char *path, const void *msg, size_t n, anchor_alg *alg, unsigned char sig[ANCHOR_SIG_MAX],
                size_t *sig_len, err *e);
/* 0 when sig is msg's signature by the public key in path, of algorithm alg. */
int anchor_verify(const char *path, anchor_alg alg, const void *msg, size_t n, const unsigned char *sig,
                  size_t sig_len, err *e);

#endif
