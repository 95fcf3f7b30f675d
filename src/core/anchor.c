/* anchor: see anchor.h. */
#include "core/anchor.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

static const char *const alg_names[ANCHOR_ALG_COUNT] = {"ed25519", "sm2"};
/* SM2's signer identity (GB/T 32918.2, GM/T 0009's default) */
static const char sm2_id[] = "1234567812345678";

const char *anchor_alg_name(anchor_alg a) { return a < ANCHOR_ALG_COUNT ? alg_names[a] : "?"; }

int anchor_alg_parse(const char *s, anchor_alg *out, err *e) {
    for (int i = 0; s && i < ANCHOR_ALG_COUNT; i++)
        if (!strcmp(s, alg_names[i])) {
            *out = (anchor_alg)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "alg", "unknown signing algorithm '%s' (want ed25519 or sm2)", s ? s : "");
}

static void hash2(anchor_alg a, unsigned char tag, const void *p, size_t n, const void *q, size_t m,
                  unsigned char out[32]) {
    if (a == ANCHOR_SM2) {
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        unsigned len = 32;
        EVP_DigestInit_ex(c, EVP_sm3(), NULL);
        EVP_DigestUpdate(c, &tag, 1);
        EVP_DigestUpdate(c, p, n);
        if (m) EVP_DigestUpdate(c, q, m);
        EVP_DigestFinal_ex(c, out, &len);
        EVP_MD_CTX_free(c);
        return;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, &tag, 1);
    crypto_hash_sha256_update(&h, p, n);
    if (m) crypto_hash_sha256_update(&h, q, m);
    crypto_hash_sha256_final(&h, out);
}

void anchor_leaf_hash(anchor_alg a, const char *leaf, size_t n, unsigned char out[32]) {
    hash2(a, 0x00, leaf, n, NULL, 0, out);
}

void anchor_root(anchor_alg a, unsigned char (*h)[32], size_t n, unsigned char root[32]) {
    memset(root, 0, 32);
    if (!n) return;
    while (n > 1) { /* each level in place: pairs hashed, an odd one carried up */
        size_t k = 0;
        for (size_t i = 0; i + 1 < n; i += 2) hash2(a, 0x01, h[i], 32, h[i + 1], 32, h[k++]);
        if (n % 2) memmove(h[k++], h[n - 1], 32);
        n = k;
    }
    memcpy(root, h[0], 32);
}

/* ---- Ed25519: the key files are hex, with a first line naming them ---- */

static int write_file(const char *path, const char *text, mode_t mode, err *e) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0) return err_set(e, ERR_IO, "out", "cannot create %s (it must not exist yet)", path);
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n;
    ok = close(fd) == 0 && ok;
    return ok ? 0 : err_set(e, ERR_IO, "out", "cannot write %s", path);
}

/* The hex after a header line "duban-anchor-<kind> ed25519", into out. */
static int read_hex_key(const char *path, const char *kind, unsigned char *out, size_t n, err *e) {
    char buf[512], head[64], hex[300];
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_NOTFOUND, "key", "cannot read the key file %s", path);
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    snprintf(head, sizeof head, "duban-anchor-%s ed25519", kind);
    size_t bin_len = 0;
    if (strncmp(buf, head, strlen(head)) || sscanf(buf + strlen(head), "%299s", hex) != 1 ||
        sodium_hex2bin(out, n, hex, strlen(hex), NULL, &bin_len, NULL) || bin_len != n)
        return err_set(e, ERR_INVALID, "key", "%s is not an ed25519 %s key written by `duban audit keygen`", path,
                       kind);
    return 0;
}

static bool is_pem(const char *path) {
    char buf[16] = "";
    FILE *f = fopen(path, "r");
    if (!f) return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return !strncmp(buf, "-----BEGIN", 10);
}

int anchor_key_alg(const char *path, anchor_alg *out, err *e) {
    if (is_pem(path)) {
        *out = ANCHOR_SM2;
        return 0;
    }
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    int rc = read_hex_key(path, "private", sk, sizeof sk, e);
    sodium_memzero(sk, sizeof sk);
    *out = ANCHOR_ED25519;
    return rc;
}

/* ---- SM2 through OpenSSL: PEM files ---- */

static int sm2_keygen(const char *priv_path, const char *pub_path, err *e) {
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
    if (!k) return err_set(e, ERR_IO, "alg", "OpenSSL cannot make an SM2 key");
    int rc = 0;
    int fd = open(priv_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f || !PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL))
        rc = err_set(e, ERR_IO, "out", "cannot create %s (it must not exist yet)", priv_path);
    if (f) fclose(f);
    else if (fd >= 0) close(fd);
    if (!rc) {
        fd = open(pub_path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f || !PEM_write_PUBKEY(f, k)) rc = err_set(e, ERR_IO, "out", "cannot create %s", pub_path);
        if (f) fclose(f);
        else if (fd >= 0) close(fd);
    }
    EVP_PKEY_free(k);
    return rc;
}

static EVP_PKEY *read_pem(const char *path, bool priv) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    EVP_PKEY *k = priv ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : PEM_read_PUBKEY(f, NULL, NULL, NULL);
    fclose(f);
    if (k && !EVP_PKEY_is_a(k, "SM2")) {
        EVP_PKEY_free(k);
        k = NULL;
    }
    return k;
}

/* One SM2-with-SM3 signing or verification of msg. */
static int sm2_run(EVP_PKEY *k, bool sign, const void *msg, size_t n, unsigned char *sig, size_t *sig_len) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = c && (sign ? EVP_DigestSignInit_ex(c, &pc, "SM3", NULL, NULL, k, NULL)
                        : EVP_DigestVerifyInit_ex(c, &pc, "SM3", NULL, NULL, k, NULL)) == 1 &&
             EVP_PKEY_CTX_set1_id(pc, sm2_id, sizeof sm2_id - 1) == 1;
    if (ok && sign) {
        size_t cap = ANCHOR_SIG_MAX;
        ok = EVP_DigestSign(c, sig, &cap, msg, n) == 1;
        *sig_len = cap;
    } else if (ok) {
        ok = EVP_DigestVerify(c, sig, *sig_len, msg, n) == 1;
    }
    EVP_MD_CTX_free(c);
    return ok ? 0 : -1;
}

int anchor_keygen(anchor_alg a, const char *priv_path, const char *pub_path, err *e) {
    if (a == ANCHOR_SM2) return sm2_keygen(priv_path, pub_path, e);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char hex[2 * crypto_sign_SECRETKEYBYTES + 1], text[256];
    crypto_sign_keypair(pk, sk);
    sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
    sodium_memzero(sk, sizeof sk);
    snprintf(text, sizeof text, "duban-anchor-private ed25519\n%s\n", hex);
    sodium_memzero(hex, sizeof hex);
    int rc = write_file(priv_path, text, 0600, e);
    sodium_memzero(text, sizeof text);
    if (rc) return rc;
    sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
    snprintf(text, sizeof text, "duban-anchor-public ed25519\n%s\n", hex);
    return write_file(pub_path, text, 0644, e);
}

int anchor_sign(const char *path, const void *msg, size_t n, anchor_alg *alg, unsigned char sig[ANCHOR_SIG_MAX],
                size_t *sig_len, err *e) {
    if (is_pem(path)) {
        EVP_PKEY *k = read_pem(path, true);
        if (!k) return err_set(e, ERR_INVALID, "key", "%s is not an SM2 private key", path);
        int rc = sm2_run(k, true, msg, n, sig, sig_len);
        EVP_PKEY_free(k);
        *alg = ANCHOR_SM2;
        return rc ? err_set(e, ERR_IO, "key", "SM2 signing failed with %s", path) : 0;
    }
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    int rc = read_hex_key(path, "private", sk, sizeof sk, e);
    if (!rc) {
        unsigned long long len;
        crypto_sign_detached(sig, &len, msg, n, sk);
        *sig_len = (size_t)len;
        *alg = ANCHOR_ED25519;
    }
    sodium_memzero(sk, sizeof sk);
    return rc;
}

int anchor_verify(const char *path, anchor_alg alg, const void *msg, size_t n, const unsigned char *sig,
                  size_t sig_len, err *e) {
    if (alg == ANCHOR_SM2) {
        EVP_PKEY *k = read_pem(path, false);
        if (!k) return err_set(e, ERR_INVALID, "pub", "%s is not an SM2 public key (PEM)", path);
        size_t len = sig_len;
        int rc = sm2_run(k, false, msg, n, (unsigned char *)sig, &len);
        EVP_PKEY_free(k);
        return rc ? err_set(e, ERR_CONFLICT, "anchor", "the signature does not verify with %s", path) : 0;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    int rc = read_hex_key(path, "public", pk, sizeof pk, e);
    if (rc) return rc;
    if (sig_len != crypto_sign_BYTES || crypto_sign_verify_detached(sig, msg, n, pk))
        return err_set(e, ERR_CONFLICT, "anchor", "the signature does not verify with %s", path);
    return 0;
}
