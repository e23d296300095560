/*
 * keyfile.c - passphrase-encrypted Ed25519 and P-256 key files
 * (docs/keyfile.md).
 *
 * The 32-byte seed (Ed25519) or private scalar (P-256) is the only secret; it is sealed with
 * XChaCha20-Poly1305 under a key stretched from the passphrase with
 * Argon2id. Every other field is public and is bound to the ciphertext as
 * associated data, so editing the public key, DID or KDF parameters makes
 * decryption fail instead of silently pairing a secret with the wrong
 * identity. Files are parsed strictly (mc__json_parse, no unknown fields)
 * and the KDF cost they ask for is capped, because opening a hostile file
 * must not let it choose gigabytes of memory or minutes of CPU.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

#define KF_TYPE "mcred-key-v1"
#define KF_ALG "Ed25519"
#define KF_ALG_P256 "P-256"
#define KF_KDF "argon2id13"
#define KF_CIPHER "xchacha20poly1305-ietf"

/* Upper bounds on the KDF cost a file may request. MODERATE (3 passes,
 * 256 MiB) is what mcred writes; SENSITIVE is 4 passes and 1 GiB. */
#define KF_OPS_MAX 20ull
#define KF_MEM_MAX (1024ull * 1024ull * 1024ull)

#define KF_SALT_BYTES crypto_pwhash_argon2id_SALTBYTES
#define KF_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define KF_KEY_BYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define KF_CT_BYTES (MC_ED25519_SEED_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
/* Room for the multibase form of any of the binary fields above. */
#define KF_MB_MAX 128

/* Everything in a key file, decoded. No secrets: the seed stays sealed. */
typedef struct kf_fields {
	/* the public key and its algorithm */
	mc_public_key pub;
	char mk[MC_MULTIKEY_MAX];
	char did[MC_DID_KEY_MAX];
	unsigned long long ops;
	size_t mem;
	uint8_t salt[KF_SALT_BYTES];
	uint8_t nonce[KF_NONCE_BYTES];
	uint8_t ct[KF_CT_BYTES];
	char salt_mb[KF_MB_MAX];
	char nonce_mb[KF_MB_MAX];
} kf_fields;

static const char *const kf_top_keys[] = {"type", "alg", "publicKeyMultibase", "did", "kdf",
                                          "cipher", "nonce", "ciphertext", NULL};
static const char *const kf_kdf_keys[] = {"alg", "opslimit", "memlimit", "salt", NULL};

static const char *kf_alg_name(mc_key_alg alg)
{
	return alg == MC_KEY_P256 ? KF_ALG_P256 : KF_ALG;
}

/* The associated data: every public field, one "name=value" per line, in a
 * fixed order. Values come from validated fields whose alphabets exclude
 * '\n' and '=', so the encoding is unambiguous. */
static size_t kf_aad(const kf_fields *f, char *out, size_t cap)
{
	int n = snprintf(out, cap,
	                 "type=" KF_TYPE "\nalg=%s\npublicKeyMultibase=%s\ndid=%s\nkdf.alg=" KF_KDF
	                 "\nkdf.opslimit=%llu\nkdf.memlimit=%zu\nkdf.salt=%s\ncipher=" KF_CIPHER "\nnonce=%s\n",
	                 kf_alg_name(f->pub.alg), f->mk, f->did, f->ops, f->mem, f->salt_mb, f->nonce_mb);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

#define KF_AAD_MAX 512

static mc_status check_passphrase(const char *pass, size_t len, mc_err *err)
{
	if (!pass)
		return mc__fail(err, MC_ERR_ARG, "passphrase", "passphrase is NULL");
	if (len > MC_PASSPHRASE_MAX)
		return mc__fail(err, MC_ERR_ARG, "passphrase", "passphrase is longer than %d bytes", MC_PASSPHRASE_MAX);
	return MC_OK;
}

/* Argon2id(passphrase, salt) -> AEAD key. Fails only on resource limits. */
static mc_status kf_derive(const kf_fields *f, const char *pass, size_t pass_len, uint8_t key[KF_KEY_BYTES],
                           mc_err *err)
{
	if (crypto_pwhash(key, KF_KEY_BYTES, pass, pass_len, f->salt, f->ops, f->mem, crypto_pwhash_ALG_ARGON2ID13) !=
	    0)
		return mc__fail(err, MC_ERR_NOMEM, "$.kdf",
		                "Argon2id key derivation failed (%zu bytes of memory unavailable)", f->mem);
	return MC_OK;
}

/* ---- reading -------------------------------------------------------- */

static mc_status only_known_keys(const cJSON *obj, const char *const *keys, const char *base, mc_err *err)
{
	for (const cJSON *c = obj->child; c; c = c->next) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], c->string) != 0)
			i++;
		if (!keys[i]) {
			char path[MC_ERR_PATH_MAX];
			mc__path_key(path, sizeof path, base, c->string);
			return mc__fail(err, MC_ERR_KEY, path, "unknown field in key file");
		}
	}
	return MC_OK;
}

/* obj[key] as a string; MC_ERR_KEY naming path when absent or not a string. */
static mc_status get_str(const cJSON *obj, const char *key, const char *path, const char **out, mc_err *err)
{
	const cJSON *v = mc__json_get(obj, key);
	if (!v)
		return mc__fail(err, MC_ERR_KEY, path, "key file lacks this field");
	if (!cJSON_IsString(v))
		return mc__fail(err, MC_ERR_KEY, path, "key file field must be a string");
	*out = v->valuestring;
	return MC_OK;
}

/* obj[key] must be the string `want`; another string is a format mcred
 * does not know (MC_ERR_UNSUPPORTED), anything else is malformed. */
static mc_status expect_str(const cJSON *obj, const char *key, const char *path, const char *want, mc_err *err)
{
	const char *s = NULL;
	mc_status st = get_str(obj, key, path, &s, err);
	if (st != MC_OK)
		return st;
	if (strcmp(s, want) != 0)
		return mc__fail(err, MC_ERR_UNSUPPORTED, path, "unsupported value '%.40s' (expected '%s')", s, want);
	return MC_OK;
}

/* An integer in [lo, hi] (JSON numbers are doubles; all bounds < 2^53). */
static mc_status get_uint(const cJSON *obj, const char *key, const char *path, unsigned long long lo,
                          unsigned long long hi, unsigned long long *out, mc_err *err)
{
	const cJSON *v = mc__json_get(obj, key);
	if (!v)
		return mc__fail(err, MC_ERR_KEY, path, "key file lacks this field");
	if (!cJSON_IsNumber(v))
		return mc__fail(err, MC_ERR_KEY, path, "key file field must be a number");
	double d = v->valuedouble;
	if (!(d >= (double)lo && d <= (double)hi) || d != (double)(unsigned long long)d)
		return mc__fail(err, MC_ERR_KEY, path, "must be an integer from %llu to %llu", lo, hi);
	*out = (unsigned long long)d;
	return MC_OK;
}

/* A multibase field of exactly n bytes; mb (KF_MB_MAX) keeps the text. */
static mc_status get_bytes(const cJSON *obj, const char *key, const char *path, uint8_t *buf, size_t n, char *mb,
                           mc_err *err)
{
	const char *s = NULL;
	mc_status st = get_str(obj, key, path, &s, err);
	if (st != MC_OK)
		return st;
	size_t len = strnlen(s, KF_MB_MAX);
	mc_err sub = {0};
	size_t got = 0;
	if (len == KF_MB_MAX)
		return mc__fail(err, MC_ERR_KEY, path, "value is too long");
	if (mc_multibase_decode(s, len, buf, n, &got, &sub) != MC_OK)
		return mc__fail(err, MC_ERR_KEY, path, "%s", sub.msg);
	if (got != n)
		return mc__fail(err, MC_ERR_KEY, path, "must decode to %zu bytes, not %zu", n, got);
	memcpy(mb, s, len + 1);
	return MC_OK;
}

/* alg, publicKeyMultibase and did, which must name the same key. */
static mc_status read_identity(const cJSON *root, kf_fields *f, mc_err *err)
{
	const char *mk = NULL, *did = NULL, *alg = NULL;
	mc_status st = get_str(root, "alg", "$.alg", &alg, err);
	if (st != MC_OK)
		return st;
	mc_key_alg want;
	if (strcmp(alg, KF_ALG) == 0)
		want = MC_KEY_ED25519;
	else if (strcmp(alg, KF_ALG_P256) == 0)
		want = MC_KEY_P256;
	else
		return mc__fail(err, MC_ERR_UNSUPPORTED, "$.alg", "unsupported value '%.40s' (expected '" KF_ALG
		                "' or '" KF_ALG_P256 "')", alg);
	if ((st = get_str(root, "publicKeyMultibase", "$.publicKeyMultibase", &mk, err)) != MC_OK)
		return st;
	mc_err sub = {0};
	if (mc_multikey_decode_public(mk, &f->pub, &sub) != MC_OK)
		return mc__fail(err, MC_ERR_KEY, "$.publicKeyMultibase", "%s", sub.msg);
	if (f->pub.alg != want)
		return mc__fail(err, MC_ERR_KEY, "$.publicKeyMultibase", "the public key is not an %s key", alg);
	if ((st = get_str(root, "did", "$.did", &did, err)) != MC_OK)
		return st;
	if (mc_public_key_multikey(&f->pub, f->mk) != MC_OK || mc_public_key_did(&f->pub, f->did) != MC_OK)
		return mc__fail(err, MC_ERR_INTERNAL, "$.publicKeyMultibase", "cannot re-encode the public key");
	if (strcmp(did, f->did) != 0)
		return mc__fail(err, MC_ERR_KEY, "$.did", "did must be the did:key of publicKeyMultibase");
	return MC_OK;
}

static mc_status read_kdf(const cJSON *root, kf_fields *f, mc_err *err)
{
	const cJSON *kdf = mc__json_get(root, "kdf");
	if (!kdf)
		return mc__fail(err, MC_ERR_KEY, "$.kdf", "key file lacks this field");
	if (!cJSON_IsObject(kdf))
		return mc__fail(err, MC_ERR_KEY, "$.kdf", "key file field must be an object");
	unsigned long long mem = 0;
	mc_status st;
	if ((st = only_known_keys(kdf, kf_kdf_keys, "$.kdf", err)) ||
	    (st = expect_str(kdf, "alg", "$.kdf.alg", KF_KDF, err)) ||
	    (st = get_uint(kdf, "opslimit", "$.kdf.opslimit", crypto_pwhash_argon2id_OPSLIMIT_MIN, KF_OPS_MAX, &f->ops,
	                   err)) ||
	    (st = get_uint(kdf, "memlimit", "$.kdf.memlimit", crypto_pwhash_argon2id_MEMLIMIT_MIN, KF_MEM_MAX, &mem,
	                   err)) ||
	    (st = get_bytes(kdf, "salt", "$.kdf.salt", f->salt, sizeof f->salt, f->salt_mb, err)))
		return st;
	f->mem = (size_t)mem;
	return MC_OK;
}

static mc_status read_top(const cJSON *root, kf_fields *f, mc_err *err)
{
	if (!cJSON_IsObject(root))
		return mc__fail(err, MC_ERR_KEY, "$", "key file must be a JSON object");
	char ct_mb[KF_MB_MAX];
	mc_status st;
	if ((st = only_known_keys(root, kf_top_keys, "$", err)) ||
	    (st = expect_str(root, "type", "$.type", KF_TYPE, err)) ||
	    (st = read_identity(root, f, err)) ||
	    (st = read_kdf(root, f, err)) || (st = expect_str(root, "cipher", "$.cipher", KF_CIPHER, err)) ||
	    (st = get_bytes(root, "nonce", "$.nonce", f->nonce, sizeof f->nonce, f->nonce_mb, err)) ||
	    (st = get_bytes(root, "ciphertext", "$.ciphertext", f->ct, sizeof f->ct, ct_mb, err)))
		return st;
	return MC_OK;
}

/* Parse and validate a whole key file. */
static mc_status kf_read(const char *json, size_t len, kf_fields *f, mc_err *err)
{
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "key file text is NULL");
	memset(f, 0, sizeof *f);
	mc_err sub = {0};
	cJSON *root = mc__json_parse(json, len, &sub);
	if (!root)
		return mc__fail(err, sub.status == MC_ERR_NOMEM ? MC_ERR_NOMEM : MC_ERR_KEY, sub.path,
		                "key file is not valid JSON: %s", sub.msg);
	mc_status st = read_top(root, f, err);
	cJSON_Delete(root);
	return st;
}

mc_status mc_keyfile_public_key(const char *json, size_t len, mc_public_key *pub, mc_err *err)
{
	if (!pub)
		return mc__fail(err, MC_ERR_ARG, "pub", "output key is NULL");
	kf_fields f;
	mc_status st = kf_read(json, len, &f, err);
	if (st == MC_OK)
		*pub = f.pub;
	return st;
}

/* The Ed25519-only entry points refuse other algorithms. */
static mc_status not_ed25519(mc_err *err)
{
	return mc__fail(err, MC_ERR_UNSUPPORTED, "$.alg",
	                "this is a P-256 key file; this operation needs an Ed25519 key (use the mc_key functions)");
}

mc_status mc_keyfile_public(const char *json, size_t len, uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err)
{
	if (!pk)
		return mc__fail(err, MC_ERR_ARG, "pk", "output key is NULL");
	kf_fields f;
	mc_status st = kf_read(json, len, &f, err);
	if (st == MC_OK && f.pub.alg != MC_KEY_ED25519)
		return not_ed25519(err);
	if (st == MC_OK)
		memcpy(pk, f.pub.bytes, MC_ED25519_PK_BYTES);
	return st;
}

/* Decrypt the seed; wrong passphrase and tampering are indistinguishable. */
static mc_status kf_unseal(const kf_fields *f, const uint8_t key[KF_KEY_BYTES], uint8_t seed[MC_ED25519_SEED_BYTES],
                           mc_err *err)
{
	char aad[KF_AAD_MAX];
	size_t aad_len = kf_aad(f, aad, sizeof aad);
	if (aad_len == 0)
		return mc__fail(err, MC_ERR_INTERNAL, "$", "key file associated data overflow");
	unsigned long long n = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(seed, &n, NULL, f->ct, sizeof f->ct, (const uint8_t *)aad,
	                                               aad_len, f->nonce, key) != 0 ||
	    n != MC_ED25519_SEED_BYTES)
		return mc__fail(err, MC_ERR_PASSPHRASE, "$.ciphertext",
		                "cannot decrypt the key: wrong passphrase, or the key file was modified");
	return MC_OK;
}

mc_status mc_keyfile_open_key(const char *json, size_t len, const char *passphrase, size_t pass_len, mc_key *k,
                             mc_err *err)
{
	if (!k)
		return mc__fail(err, MC_ERR_ARG, "k", "key pointer is NULL");
	kf_fields f;
	mc_status st = check_passphrase(passphrase, pass_len, err);
	if (st == MC_OK)
		st = kf_read(json, len, &f, err);
	if (st != MC_OK)
		return st;
	uint8_t key[KF_KEY_BYTES], seed[MC_ED25519_SEED_BYTES];
	mc_key tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.alg = f.pub.alg;
	if ((st = kf_derive(&f, passphrase, pass_len, key, err)) == MC_OK && (st = kf_unseal(&f, key, seed, err)) == MC_OK) {
		if (f.pub.alg == MC_KEY_P256)
			st = mc_p256_keypair_from_secret(&tmp.p256, seed, err);
		else
			st = mc_keypair_from_seed(&tmp.ed25519, seed, err);
	}
	if (st == MC_OK) {
		/* Only someone holding the passphrase can produce this mismatch,
		 * but a key file must never yield a key other than the one it
		 * shows. */
		mc_public_key got;
		mc_key_public(&tmp, &got);
		if (sodium_memcmp(got.bytes, f.pub.bytes, sizeof got.bytes) != 0)
			st = mc__fail(err, MC_ERR_KEY, "$.publicKeyMultibase", "the sealed key does not match the public key");
		else
			*k = tmp;
	}
	mc_key_wipe(&tmp);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(key, sizeof key);
	return st;
}

mc_status mc_keyfile_open(const char *json, size_t len, const char *passphrase, size_t pass_len, mc_keypair *kp,
                          mc_err *err)
{
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	/* Refuse a P-256 file before running the (slow) KDF. */
	mc_public_key pub;
	mc_err sub = {0};
	if (check_passphrase(passphrase, pass_len, &sub) == MC_OK && json &&
	    mc_keyfile_public_key(json, len, &pub, &sub) == MC_OK && pub.alg != MC_KEY_ED25519)
		return not_ed25519(err);
	mc_key k;
	mc_status st = mc_keyfile_open_key(json, len, passphrase, pass_len, &k, err);
	if (st == MC_OK)
		*kp = k.ed25519;
	mc_key_wipe(&k);
	return st;
}

/* ---- writing -------------------------------------------------------- */

static mc_status kf_fill(const mc_key *k, unsigned flags, kf_fields *f)
{
	memset(f, 0, sizeof *f);
	mc_key_public(k, &f->pub);
	bool fast = (flags & MC_KEYFILE_FAST) != 0;
	f->ops = fast ? crypto_pwhash_argon2id_OPSLIMIT_MIN : crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
	f->mem = fast ? crypto_pwhash_argon2id_MEMLIMIT_MIN : crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
	randombytes_buf(f->salt, sizeof f->salt);
	randombytes_buf(f->nonce, sizeof f->nonce);
	if (mc_public_key_multikey(&f->pub, f->mk) || mc_public_key_did(&f->pub, f->did) ||
	    mc_multibase_encode(f->salt, sizeof f->salt, f->salt_mb, sizeof f->salt_mb) ||
	    mc_multibase_encode(f->nonce, sizeof f->nonce, f->nonce_mb, sizeof f->nonce_mb))
		return MC_ERR_INTERNAL;
	return MC_OK;
}

static mc_status kf_encrypt(kf_fields *f, const mc_key *k, const uint8_t key[KF_KEY_BYTES])
{
	char aad[KF_AAD_MAX];
	size_t aad_len = kf_aad(f, aad, sizeof aad);
	if (aad_len == 0)
		return MC_ERR_INTERNAL;
	/* libsodium's sk is seed || pk: the seed is the first 32 bytes; a P-256
	 * secret is the 32-byte scalar. */
	const uint8_t *secret = k->alg == MC_KEY_P256 ? k->p256.sk : k->ed25519.sk;
	unsigned long long n = 0;
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(f->ct, &n, secret, MC_ED25519_SEED_BYTES, (const uint8_t *)aad,
	                                               aad_len, NULL, f->nonce, key) != 0 ||
	    n != sizeof f->ct)
		return MC_ERR_CRYPTO;
	return MC_OK;
}

/* obj[key] = item, taking ownership of item even on failure. */
static bool put(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static char *kf_print(const kf_fields *f)
{
	char ct_mb[KF_MB_MAX];
	if (mc_multibase_encode(f->ct, sizeof f->ct, ct_mb, sizeof ct_mb) != MC_OK)
		return NULL;
	cJSON *root = cJSON_CreateObject(), *kdf = cJSON_CreateObject();
	bool ok = root && kdf && put(kdf, "alg", cJSON_CreateString(KF_KDF)) &&
	          put(kdf, "opslimit", cJSON_CreateNumber((double)f->ops)) &&
	          put(kdf, "memlimit", cJSON_CreateNumber((double)f->mem)) &&
	          put(kdf, "salt", cJSON_CreateString(f->salt_mb));
	ok = ok && put(root, "type", cJSON_CreateString(KF_TYPE)) && put(root, "alg", cJSON_CreateString(kf_alg_name(f->pub.alg))) &&
	     put(root, "publicKeyMultibase", cJSON_CreateString(f->mk)) && put(root, "did", cJSON_CreateString(f->did));
	if (ok) {
		ok = put(root, "kdf", kdf);
		kdf = NULL; /* owned by root now, or already deleted by put */
	}
	ok = ok && put(root, "cipher", cJSON_CreateString(KF_CIPHER)) &&
	     put(root, "nonce", cJSON_CreateString(f->nonce_mb)) && put(root, "ciphertext", cJSON_CreateString(ct_mb));
	char *text = ok ? cJSON_Print(root) : NULL;
	cJSON_Delete(kdf);
	cJSON_Delete(root);
	return text;
}

mc_status mc_keyfile_seal_key(const mc_key *k, const char *passphrase, size_t pass_len, unsigned flags, char **out,
                             mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "output pointer is NULL");
	*out = NULL;
	if (!k)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	if (k->alg != MC_KEY_ED25519 && k->alg != MC_KEY_P256)
		return mc__fail(err, MC_ERR_ARG, "alg", "unknown key algorithm %d", (int)k->alg);
	if (flags & ~MC_KEYFILE_FAST)
		return mc__fail(err, MC_ERR_ARG, "flags", "unknown key file flags 0x%x", flags & ~MC_KEYFILE_FAST);
	mc_status st = check_passphrase(passphrase, pass_len, err);
	if (st != MC_OK)
		return st;
	if (pass_len == 0)
		return mc__fail(err, MC_ERR_ARG, "passphrase", "passphrase is empty");
	/* Seal only a coherent pair: the file shows pk in clear, and opening
	 * re-derives it from the sealed secret. */
	mc_key chk;
	memset(&chk, 0, sizeof chk);
	chk.alg = k->alg;
	if (k->alg == MC_KEY_P256)
		st = mc_p256_keypair_from_secret(&chk.p256, k->p256.sk, err);
	else
		st = mc_keypair_from_seed(&chk.ed25519, k->ed25519.sk, err);
	mc_public_key a, b;
	mc_key_public(&chk, &a);
	mc_key_public(k, &b);
	bool same = st == MC_OK && sodium_memcmp(a.bytes, b.bytes, sizeof a.bytes) == 0;
	mc_key_wipe(&chk);
	if (st != MC_OK)
		return st;
	if (!same)
		return mc__fail(err, MC_ERR_KEY, "kp", "key pair is inconsistent: pk is not derived from the seed");
	kf_fields f;
	uint8_t key[KF_KEY_BYTES];
	if ((st = kf_fill(k, flags, &f)) != MC_OK)
		return mc__fail(err, st, "kp", "cannot encode the key file fields");
	if ((st = kf_derive(&f, passphrase, pass_len, key, err)) != MC_OK)
		return st;
	st = kf_encrypt(&f, k, key);
	sodium_memzero(key, sizeof key);
	if (st != MC_OK)
		return mc__fail(err, st, "kp", "cannot encrypt the key");
	*out = kf_print(&f);
	if (!*out)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory writing the key file");
	return MC_OK;
}

mc_status mc_keyfile_seal(const mc_keypair *kp, const char *passphrase, size_t pass_len, unsigned flags, char **out,
                          mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "output pointer is NULL");
	*out = NULL;
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	mc_key k;
	memset(&k, 0, sizeof k);
	k.alg = MC_KEY_ED25519;
	k.ed25519 = *kp;
	mc_status st = mc_keyfile_seal_key(&k, passphrase, pass_len, flags, out, err);
	mc_key_wipe(&k);
	return st;
}
