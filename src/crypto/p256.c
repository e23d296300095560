/*
 * p256.c - ECDSA over NIST P-256 with SHA-256 through OpenSSL 3, for the
 * ecdsa-rdfc-2019 cryptosuite, and the algorithm-generic key helpers
 * (mc_key, mc_public_key, their Multikey and did:key forms).
 *
 * Keys cross the API as bytes (32-byte scalar, 33-byte compressed point)
 * and become EVP_PKEYs only for the duration of one call: nothing of
 * OpenSSL's leaks into the public header, and mc_p256_keypair stays a
 * plain value like mc_keypair. The policy (high S accepted, r and s range-
 * checked by OpenSSL, compressed keys only) is stated in crypto.h.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <sodium.h>

#include "internal.h"

/* Multicodec p256-pub (0x1200) as an unsigned varint. */
static const uint8_t mk_p256_prefix[2] = {0x80, 0x24};
/* Multicodec ed25519-pub (0xed). */
static const uint8_t mk_ed_prefix[2] = {0xed, 0x01};

static const uint8_t empty_msg[1];

/* Compute the compressed public point d*G; MC_ERR_KEY unless 1 <= d < n. */
static mc_status p256_public(const uint8_t sk[MC_P256_SK_BYTES], uint8_t pk[MC_P256_PK_BYTES])
{
	mc_status st = MC_ERR_CRYPTO;
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *d = BN_secure_new();
	EC_POINT *p = g ? EC_POINT_new(g) : NULL;
	if (!g || !ctx || !d || !p)
		goto done;
	if (!BN_bin2bn(sk, MC_P256_SK_BYTES, d))
		goto done;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(g)) >= 0) {
		st = MC_ERR_KEY;
		goto done;
	}
	if (EC_POINT_mul(g, p, d, NULL, NULL, ctx) != 1 ||
	    EC_POINT_point2oct(g, p, POINT_CONVERSION_COMPRESSED, pk, MC_P256_PK_BYTES, ctx) != MC_P256_PK_BYTES)
		goto done;
	st = MC_OK;
done:
	EC_POINT_free(p);
	BN_clear_free(d);
	BN_CTX_free(ctx);
	EC_GROUP_free(g);
	return st;
}

/* Is pk a valid compressed point on P-256? */
static bool p256_point_ok(const uint8_t pk[MC_P256_PK_BYTES])
{
	if (pk[0] != 0x02 && pk[0] != 0x03)
		return false;
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = g ? EC_POINT_new(g) : NULL;
	bool ok = p && EC_POINT_oct2point(g, p, pk, MC_P256_PK_BYTES, NULL) == 1 && !EC_POINT_is_at_infinity(g, p);
	EC_POINT_free(p);
	EC_GROUP_free(g);
	return ok;
}

/* An EVP_PKEY holding pk (and sk when not NULL). NULL on any failure,
 * including pk not on the curve. */
static EVP_PKEY *p256_pkey(const uint8_t pk[MC_P256_PK_BYTES], const uint8_t *sk)
{
	EVP_PKEY *key = NULL;
	BIGNUM *d = NULL;
	OSSL_PARAM *params = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!bld || !ctx)
		goto done;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pk, MC_P256_PK_BYTES))
		goto done;
	if (sk) {
		if (!(d = BN_secure_new()) || !BN_bin2bn(sk, MC_P256_SK_BYTES, d) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d))
			goto done;
	}
	if (!(params = OSSL_PARAM_BLD_to_param(bld)))
		goto done;
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, sk ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
		key = NULL;
done:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

mc_status mc_p256_keypair_from_secret(mc_p256_keypair *kp, const uint8_t sk[MC_P256_SK_BYTES], mc_err *err)
{
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	if (!sk)
		return mc__fail(err, MC_ERR_ARG, "sk", "secret pointer is NULL");
	mc_p256_keypair tmp;
	mc_status st = p256_public(sk, tmp.pk);
	if (st == MC_ERR_KEY)
		return mc__fail(err, st, "sk", "a P-256 private key must be an integer from 1 to n-1");
	if (st != MC_OK)
		return mc__fail(err, st, "sk", "OpenSSL could not derive the P-256 public key");
	memcpy(tmp.sk, sk, MC_P256_SK_BYTES);
	*kp = tmp;
	sodium_memzero(&tmp, sizeof tmp);
	return MC_OK;
}

mc_status mc_p256_keypair_generate(mc_p256_keypair *kp, mc_err *err)
{
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	uint8_t sk[MC_P256_SK_BYTES];
	/* Rejection sampling: n is just below 2^256, so a retry is rare. */
	for (int i = 0; i < 64; i++) {
		if (RAND_priv_bytes(sk, sizeof sk) != 1)
			break;
		mc_err sub = {0};
		if (mc_p256_keypair_from_secret(kp, sk, &sub) == MC_OK) {
			sodium_memzero(sk, sizeof sk);
			return MC_OK;
		}
	}
	sodium_memzero(sk, sizeof sk);
	return mc__fail(err, MC_ERR_CRYPTO, "kp", "OpenSSL could not generate a P-256 key");
}

void mc_p256_keypair_wipe(mc_p256_keypair *kp)
{
	if (kp)
		sodium_memzero(kp, sizeof *kp);
}

mc_status mc_p256_sign(const mc_p256_keypair *kp, const uint8_t *msg, size_t len, uint8_t sig[MC_P256_SIG_BYTES])
{
	if (!kp || !sig || (!msg && len))
		return MC_ERR_ARG;
	/* Refuse a pair whose public half is not derived from the secret: the
	 * proof would name a key that cannot verify it. */
	uint8_t pk[MC_P256_PK_BYTES];
	mc_status st = p256_public(kp->sk, pk);
	if (st != MC_OK)
		return st;
	if (memcmp(pk, kp->pk, sizeof pk) != 0)
		return MC_ERR_KEY;
	st = MC_ERR_CRYPTO;
	EVP_PKEY *key = p256_pkey(kp->pk, kp->sk);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[80];
	size_t der_len = sizeof der;
	ECDSA_SIG *es = NULL;
	if (!key || !md || EVP_DigestSignInit_ex(md, NULL, "SHA2-256", NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(md, der, &der_len, msg ? msg : empty_msg, len) != 1)
		goto done;
	const unsigned char *p = der;
	if (!(es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)))
		goto done;
	if (BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, 32) != 32 || BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + 32, 32) != 32)
		goto done;
	st = MC_OK;
done:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return st;
}

mc_status mc_p256_verify(const uint8_t pk[MC_P256_PK_BYTES], const uint8_t *msg, size_t len,
                         const uint8_t sig[MC_P256_SIG_BYTES])
{
	if (!pk || !sig || (!msg && len))
		return MC_ERR_ARG;
	if (pk[0] != 0x02 && pk[0] != 0x03)
		return MC_ERR_SIGNATURE;
	mc_status st = MC_ERR_SIGNATURE;
	EVP_PKEY *key = p256_pkey(pk, NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
	unsigned char *der = NULL;
	if (!md || !es || !r || !s) {
		st = MC_ERR_NOMEM;
		goto done;
	}
	if (!key)
		goto done; /* not a point on the curve */
	if (ECDSA_SIG_set0(es, r, s) != 1) {
		st = MC_ERR_NOMEM;
		goto done;
	}
	r = s = NULL; /* owned by es */
	int der_len = i2d_ECDSA_SIG(es, &der);
	if (der_len <= 0) {
		st = MC_ERR_CRYPTO;
		goto done;
	}
	/* OpenSSL rejects r, s == 0 and r, s >= n itself. */
	if (EVP_DigestVerifyInit_ex(md, NULL, "SHA2-256", NULL, NULL, key, NULL) == 1 &&
	    EVP_DigestVerify(md, der, (size_t)der_len, msg ? msg : empty_msg, len) == 1)
		st = MC_OK;
done:
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return st;
}

/* ---- algorithm-generic keys ------------------------------------------ */

void mc_key_wipe(mc_key *k)
{
	if (k)
		sodium_memzero(k, sizeof *k);
}

void mc_key_public(const mc_key *k, mc_public_key *pub)
{
	if (!k || !pub)
		return;
	memset(pub, 0, sizeof *pub);
	pub->alg = k->alg;
	if (k->alg == MC_KEY_P256)
		memcpy(pub->bytes, k->p256.pk, MC_P256_PK_BYTES);
	else
		memcpy(pub->bytes, k->ed25519.pk, MC_ED25519_PK_BYTES);
}

mc_status mc_public_key_multikey(const mc_public_key *pub, char out[MC_MULTIKEY_MAX])
{
	if (!pub || !out)
		return MC_ERR_ARG;
	if (pub->alg == MC_KEY_ED25519)
		return mc_multikey_encode(pub->bytes, out);
	if (pub->alg != MC_KEY_P256)
		return MC_ERR_ARG;
	uint8_t buf[2 + MC_P256_PK_BYTES];
	memcpy(buf, mk_p256_prefix, 2);
	memcpy(buf + 2, pub->bytes, MC_P256_PK_BYTES);
	return mc_multibase_encode(buf, sizeof buf, out, MC_MULTIKEY_MAX);
}

mc_status mc_multikey_decode_public(const char *mk, mc_public_key *pub, mc_err *err)
{
	if (!mk)
		return mc__fail(err, MC_ERR_ARG, "mk", "Multikey is NULL");
	if (!pub)
		return mc__fail(err, MC_ERR_ARG, "pub", "output key is NULL");
	size_t len = strnlen(mk, MC_MULTIKEY_MAX);
	if (len == MC_MULTIKEY_MAX)
		return mc__fail(err, MC_ERR_KEY, "mk", "public Multikey is longer than %d characters", MC_MULTIKEY_MAX - 1);
	uint8_t buf[2 + MC_P256_PK_BYTES];
	size_t n = 0;
	mc_err sub = {0};
	if (mc_multibase_decode(mk, len, buf, sizeof buf, &n, &sub) != MC_OK)
		return mc__fail(err, MC_ERR_KEY, "mk", "public Multikey is not valid multibase: %s", sub.msg);
	mc_public_key k;
	memset(&k, 0, sizeof k);
	if (n == 2 + MC_ED25519_PK_BYTES && memcmp(buf, mk_ed_prefix, 2) == 0) {
		k.alg = MC_KEY_ED25519;
		memcpy(k.bytes, buf + 2, MC_ED25519_PK_BYTES);
	} else if (n == 2 + MC_P256_PK_BYTES && memcmp(buf, mk_p256_prefix, 2) == 0) {
		k.alg = MC_KEY_P256;
		memcpy(k.bytes, buf + 2, MC_P256_PK_BYTES);
		if (!p256_point_ok(k.bytes))
			return mc__fail(err, MC_ERR_KEY, "mk", "P-256 Multikey is not a compressed point on the curve");
	} else {
		return mc__fail(err, MC_ERR_KEY, "mk",
		                "public Multikey must be Ed25519 (0xed01 + 32 bytes) or P-256 (0x8024 + 33 bytes)");
	}
	*pub = k;
	return MC_OK;
}

mc_status mc_public_key_did(const mc_public_key *pub, char out[MC_DID_KEY_MAX])
{
	char mk[MC_MULTIKEY_MAX];
	mc_status st = mc_public_key_multikey(pub, mk);
	if (st != MC_OK)
		return st;
	int n = snprintf(out, MC_DID_KEY_MAX, "did:key:%s", mk);
	return n > 0 && n < MC_DID_KEY_MAX ? MC_OK : MC_ERR_INTERNAL;
}

mc_status mc_public_key_vm(const mc_public_key *pub, char out[MC_VM_ID_MAX])
{
	char mk[MC_MULTIKEY_MAX];
	mc_status st = mc_public_key_multikey(pub, mk);
	if (st != MC_OK)
		return st;
	int n = snprintf(out, MC_VM_ID_MAX, "did:key:%s#%s", mk, mk);
	return n > 0 && n < MC_VM_ID_MAX ? MC_OK : MC_ERR_INTERNAL;
}
