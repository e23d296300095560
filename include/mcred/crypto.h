/*
 * crypto.h - Ed25519 and P-256 keys, multibase/Multikey encodings, DIDs,
 * encrypted key files and SHA-256.
 *
 * Ed25519 acceptance policy (pinned by tests/test_crypto.c vectors):
 * signing and verification use libsodium's crypto_sign_ed25519 (RFC 8032,
 * deterministic). Verification is STRICT: a signature is rejected when its
 * S is not canonical (S >= L), when R or the public key A is a small-order
 * point, or when A or R is a non-canonical encoding. This is libsodium's
 * behaviour and mcred's policy; Monocypher and some JavaScript libraries are
 * more lenient on non-canonical A and R, so a signature they accept may be
 * refused here, never the reverse for honestly produced signatures.
 *
 * Secret material: mc_keypair holds the 32-byte seed and the expanded secret
 * key. Wipe it with mc_keypair_wipe() when done. Secrets are never printed by
 * the library; key files store them encrypted (Argon2id + XChaCha20-Poly1305).
 */
#ifndef MCRED_CRYPTO_H
#define MCRED_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_ED25519_PK_BYTES 32
#define MC_ED25519_SK_BYTES 64
#define MC_ED25519_SEED_BYTES 32
#define MC_ED25519_SIG_BYTES 64
#define MC_SHA256_BYTES 32

/* Multikey: multibase base58btc of 0xed01 || public key = "z6Mk..." (48 chars). */
#define MC_MULTIKEY_MAX 64
/* did:key:<multikey> */
#define MC_DID_KEY_MAX 80
/* did:key:<multikey>#<multikey> */
#define MC_VM_ID_MAX 160

/* Caller-allocated Ed25519 key pair. No interior pointers. */
typedef struct mc_keypair {
	/* public key A */
	uint8_t pk[MC_ED25519_PK_BYTES];
	/* libsodium expanded secret key: seed || pk */
	uint8_t sk[MC_ED25519_SK_BYTES];
} mc_keypair;

/* Fresh key from the OS CSPRNG. */
MC_API MC_NODISCARD mc_status mc_keypair_generate(mc_keypair *kp, mc_err *err);
/* Deterministic key from a 32-byte seed (RFC 8032 private key). */
MC_API MC_NODISCARD mc_status mc_keypair_from_seed(mc_keypair *kp, const uint8_t seed[MC_ED25519_SEED_BYTES], mc_err *err);
/* Zero the secret part (and the rest) of kp. */
MC_API void mc_keypair_wipe(mc_keypair *kp);

/* Ed25519 over msg. */
MC_API MC_NODISCARD mc_status mc_ed25519_sign(const mc_keypair *kp, const uint8_t *msg, size_t len, uint8_t sig[MC_ED25519_SIG_BYTES]);
/* MC_OK if valid under the strict policy above, MC_ERR_SIGNATURE otherwise. */
MC_API MC_NODISCARD mc_status mc_ed25519_verify(const uint8_t pk[MC_ED25519_PK_BYTES], const uint8_t *msg, size_t len, const uint8_t sig[MC_ED25519_SIG_BYTES]);

/* SHA-256 (OpenSSL 3, digest fetched once). */
MC_API MC_NODISCARD mc_status mc_sha256(const void *data, size_t len, uint8_t out[MC_SHA256_BYTES]);

/* Multibase base58btc ('z' prefix). encode writes a NUL-terminated string
 * into out (cap bytes) or fails with MC_ERR_TOO_LARGE. decode rejects a
 * missing 'z', characters outside the Bitcoin alphabet, and output longer
 * than cap, all with MC_ERR_VALUE (err->path "in"); *out_len receives the
 * decoded length. in need not be NUL-terminated. Base58 is quadratic, so
 * both directions handle at most 4096 bytes (MC_ERR_TOO_LARGE / _VALUE). */
MC_API MC_NODISCARD mc_status mc_multibase_encode(const uint8_t *in, size_t len, char *out, size_t cap);
MC_API MC_NODISCARD mc_status mc_multibase_decode(const char *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len, mc_err *err);

/* Multikey public key: "z" + base58btc(0xed 0x01 || pk). decode fails with
 * MC_ERR_KEY (err->path "mk") unless mk is exactly that shape; it does not
 * check that pk is a valid curve point (mc_ed25519_verify rejects
 * small-order and non-canonical keys). */
MC_API MC_NODISCARD mc_status mc_multikey_encode(const uint8_t pk[MC_ED25519_PK_BYTES], char out[MC_MULTIKEY_MAX]);
MC_API MC_NODISCARD mc_status mc_multikey_decode(const char *mk, uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err);
/* Multikey secret key as in the W3C vectors: "z" + base58btc(0x80 0x26 || seed). */
MC_API MC_NODISCARD mc_status mc_multikey_secret_decode(const char *mk, uint8_t seed[MC_ED25519_SEED_BYTES], mc_err *err);

/* did:key for an Ed25519 public key, and its verification method id
 * "did:key:z6Mk...#z6Mk...". */
MC_API MC_NODISCARD mc_status mc_did_key_from_pk(const uint8_t pk[MC_ED25519_PK_BYTES], char out[MC_DID_KEY_MAX]);
MC_API MC_NODISCARD mc_status mc_did_key_vm(const uint8_t pk[MC_ED25519_PK_BYTES], char out[MC_VM_ID_MAX]);
/* Resolve a verification method reference offline to the Ed25519 public key
 * it designates. Accepts "did:key:z6Mk...#z6Mk..." (fragment must equal the
 * key) and the bare "did:key:z6Mk..." (its one key). Other methods, and
 * references that are not DIDs: MC_ERR_UNSUPPORTED naming the method. A
 * did:key fragment other than the key, or a malformed DID: MC_ERR_VALUE. A
 * did:key that holds no Ed25519 key: MC_ERR_KEY. err->path is "vm". */
MC_API MC_NODISCARD mc_status mc_did_key_resolve_vm(const char *vm, uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err);
/* Resolve any verification method offline: did:key from the identifier,
 * other DIDs (did:web) from `docs`, a DID document or a JSON array of them
 * that the caller obtained and trusts (NULL when none). The method must be
 * listed under assertionMethod and be an Ed25519 Multikey. Never uses the
 * network. MC_ERR_UNSUPPORTED when no document covers the DID. */
MC_API MC_NODISCARD mc_status mc_did_resolve_vm(const char *vm, const char *docs, size_t docs_len,
                                                uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err);
/* The DID document of a did:key (W3C did:key method, Multikey form), as JSON:
 * one Multikey method "did:key:X#X" referenced from authentication,
 * assertionMethod, capabilityDelegation and capabilityInvocation. Unlike
 * resolution, this validates the key point (MC_ERR_KEY if invalid). */
MC_API MC_NODISCARD mc_status mc_did_key_document(const char *did, char **out, mc_err *err);
/* A did:web DID document for `domain` (e.g. "uni.example" or
 * "uni.example:issuers:1", already in did:web form) listing pk as a Multikey
 * verification method "#key-1" for assertionMethod and authentication.
 * domain must be a lowercase host, an optional percent-encoded port
 * ("localhost%3A8443") and optional ":segment"s of URL-unreserved
 * characters; anything else is MC_ERR_VALUE (err->path "domain"). */
MC_API MC_NODISCARD mc_status mc_did_web_document(const char *domain, const uint8_t pk[MC_ED25519_PK_BYTES], char **out, mc_err *err);

/* ---- ECDSA P-256 (secp256r1), for ecdsa-rdfc-2019 ---------------------
 *
 * P-256 acceptance policy (pinned by tests/test_crypto.c): signing and
 * verification use OpenSSL 3 (ECDSA with SHA-256 over the message, as the
 * W3C ECDSA Cryptosuites specify; signatures are IEEE P1363 r || s, 64
 * bytes, big-endian). Signing uses OpenSSL's random nonces, so two
 * signatures of the same message differ; verification accepts any valid
 * one. Verification accepts both low-S and high-S signatures (the W3C
 * specification does not require low S, and other implementations such as
 * WebCrypto produce either); it rejects r or s equal to 0 or >= n, and any
 * signature that is not exactly 64 bytes (the fixed-length encoding leaves
 * no other encoding freedom). Public keys are 33-byte compressed SEC1
 * points (0x02/0x03 || x) that must decode to a point on the curve; the
 * uncompressed form and the point at infinity are refused (MC_ERR_KEY). */
#define MC_P256_PK_BYTES 33
#define MC_P256_SK_BYTES 32
#define MC_P256_SIG_BYTES 64

/* Caller-allocated P-256 key pair. No interior pointers. */
typedef struct mc_p256_keypair {
	/* compressed public point */
	uint8_t pk[MC_P256_PK_BYTES];
	/* private scalar d, big-endian, 1 <= d < n */
	uint8_t sk[MC_P256_SK_BYTES];
} mc_p256_keypair;

/* Fresh key from OpenSSL's CSPRNG. */
MC_API MC_NODISCARD mc_status mc_p256_keypair_generate(mc_p256_keypair *kp, mc_err *err);
/* Key from a private scalar; MC_ERR_KEY unless 1 <= d < n. */
MC_API MC_NODISCARD mc_status mc_p256_keypair_from_secret(mc_p256_keypair *kp, const uint8_t sk[MC_P256_SK_BYTES],
                                                          mc_err *err);
MC_API void mc_p256_keypair_wipe(mc_p256_keypair *kp);
/* ECDSA P-256 with SHA-256 over msg; sig = r || s. MC_ERR_KEY when pk is
 * not the public key of sk. */
MC_API MC_NODISCARD mc_status mc_p256_sign(const mc_p256_keypair *kp, const uint8_t *msg, size_t len,
                                           uint8_t sig[MC_P256_SIG_BYTES]);
/* MC_OK if valid under the policy above, MC_ERR_SIGNATURE otherwise
 * (including a public key that is not a valid compressed point). */
MC_API MC_NODISCARD mc_status mc_p256_verify(const uint8_t pk[MC_P256_PK_BYTES], const uint8_t *msg, size_t len,
                                             const uint8_t sig[MC_P256_SIG_BYTES]);

/* ---- Keys of either algorithm ---------------------------------------- */

typedef enum mc_key_alg {
	MC_KEY_ED25519 = 0, /* Ed25519: eddsa-jcs-2022, eddsa-rdfc-2022 */
	MC_KEY_P256 = 1     /* ECDSA P-256: ecdsa-rdfc-2019 */
} mc_key_alg;

/* A signing key of either algorithm (caller-allocated, no pointers): the
 * member named by alg is used, the other is ignored. Wipe with mc_key_wipe. */
typedef struct mc_key {
	/* which member holds the key */
	mc_key_alg alg;
	/* when alg == MC_KEY_ED25519 */
	mc_keypair ed25519;
	/* when alg == MC_KEY_P256 */
	mc_p256_keypair p256;
} mc_key;

MC_API void mc_key_wipe(mc_key *k);

/* A public key of either algorithm. */
typedef struct mc_public_key {
	/* algorithm */
	mc_key_alg alg;
	/* the key: 32 bytes (Ed25519) or 33 (P-256 compressed point) */
	uint8_t bytes[MC_P256_PK_BYTES];
} mc_public_key;

/* The public key of k. */
MC_API void mc_key_public(const mc_key *k, mc_public_key *pub);
/* Multikey of either algorithm: Ed25519 "z6Mk..." (0xed 0x01 || key) or
 * P-256 "zDn..." (multicodec p256-pub 0x1200, varint 0x80 0x24 || the
 * compressed point). decode: MC_ERR_KEY (err->path "mk") for any other
 * shape; a P-256 key must also be a valid compressed point. */
MC_API MC_NODISCARD mc_status mc_public_key_multikey(const mc_public_key *pub, char out[MC_MULTIKEY_MAX]);
MC_API MC_NODISCARD mc_status mc_multikey_decode_public(const char *mk, mc_public_key *pub, mc_err *err);
/* did:key and its verification method "did:key:X#X" for either algorithm. */
MC_API MC_NODISCARD mc_status mc_public_key_did(const mc_public_key *pub, char out[MC_DID_KEY_MAX]);
MC_API MC_NODISCARD mc_status mc_public_key_vm(const mc_public_key *pub, char out[MC_VM_ID_MAX]);
/* mc_did_resolve_vm for keys of either algorithm (the Ed25519-only
 * functions above refuse P-256 keys with MC_ERR_KEY). */
MC_API MC_NODISCARD mc_status mc_did_resolve_vm_public(const char *vm, const char *docs, size_t docs_len,
                                                       mc_public_key *pub, mc_err *err);

/* Encrypted key files (JSON, see docs/keyfile.md). The passphrase is
 * stretched with Argon2id (crypto_pwhash, MODERATE limits unless
 * MC_KEYFILE_FAST is given, which tests use) and the seed sealed with
 * XChaCha20-Poly1305; the public key and did:key are stored in clear as
 * associated data, so tampering with them fails decryption. */
/* seal: passphrase 1..MC_PASSPHRASE_MAX bytes; pk must derive from the seed.
 * open: MC_ERR_PASSPHRASE for a wrong passphrase or tampered file,
 * MC_ERR_KEY (err->path = the JSON path) for a malformed file, including a
 * KDF cost beyond opslimit 20 / memlimit 1 GiB, MC_ERR_UNSUPPORTED for an
 * unknown type/alg/cipher value. kp is written only on success. */
#define MC_KEYFILE_FAST 1u
MC_API MC_NODISCARD mc_status mc_keyfile_seal(const mc_keypair *kp, const char *passphrase, size_t pass_len, unsigned flags, char **out, mc_err *err);
MC_API MC_NODISCARD mc_status mc_keyfile_open(const char *json, size_t len, const char *passphrase, size_t pass_len, mc_keypair *kp, mc_err *err);
/* Read only the public key of a key file (no passphrase needed). */
MC_API MC_NODISCARD mc_status mc_keyfile_public(const char *json, size_t len, uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err);
/* Key files of either algorithm ("alg": "Ed25519" or "P-256"; a P-256 file
 * seals the 32-byte private scalar the same way). The Ed25519-only
 * functions above refuse a P-256 file with MC_ERR_UNSUPPORTED. */
MC_API MC_NODISCARD mc_status mc_keyfile_seal_key(const mc_key *k, const char *passphrase, size_t pass_len, unsigned flags,
                                                  char **out, mc_err *err);
MC_API MC_NODISCARD mc_status mc_keyfile_open_key(const char *json, size_t len, const char *passphrase, size_t pass_len,
                                                  mc_key *k, mc_err *err);
MC_API MC_NODISCARD mc_status mc_keyfile_public_key(const char *json, size_t len, mc_public_key *pub, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_CRYPTO_H */
