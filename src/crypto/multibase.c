/*
 * multibase.c - multibase base58btc ("z" prefix, Bitcoin alphabet) and the
 * Multikey encodings of Ed25519 keys used by did:key and Data Integrity.
 *
 * Base58 is a big-number radix conversion, quadratic in the length. The
 * values mcred handles are keys, signatures, salts and nonces (<= 100
 * bytes), so both directions refuse anything beyond MB_MAX_BYTES: this keeps
 * the work per call bounded whatever an attacker puts in a document, and
 * lets the scratch space live on the stack.
 *
 * The encoding is a bijection between byte strings and valid strings
 * (leading 0x00 bytes <-> leading '1's, the rest is a number without
 * leading zero digits), so decoding needs no separate canonicity check.
 */
#include <string.h>

#include <sodium.h>

#include "internal.h"

/* Largest byte string either direction handles. */
#define MB_MAX_BYTES 4096u
/* ceil(log(256)/log(58)) digits per byte is < 1.38: the digit bound used
 * by the reference implementation. */
#define MB_DIGITS(n) ((n) * 138u / 100u + 1u)
/* 'z' + worst case digits. */
#define MB_MAX_CHARS (1u + MB_DIGITS(MB_MAX_BYTES))

/* Multicodec prefixes (varint): ed25519-pub 0xed, ed25519-priv 0x1300. */
#define MK_PUB_LEN (2 + MC_ED25519_PK_BYTES)
#define MK_SEC_LEN (2 + MC_ED25519_SEED_BYTES)
static const uint8_t mk_pub_prefix[2] = {0xed, 0x01};
static const uint8_t mk_sec_prefix[2] = {0x80, 0x26};

static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Digit value of c, or -1 outside the alphabet (0, O, I, l and non-ASCII). */
static int b58_value(unsigned char c)
{
	const char *p = c ? strchr(b58_alphabet, c) : NULL;
	return p ? (int)(p - b58_alphabet) : -1;
}

mc_status mc_multibase_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	if (!out || (!in && len))
		return MC_ERR_ARG;
	if (len > MB_MAX_BYTES)
		return MC_ERR_TOO_LARGE;
	size_t zeros = 0;
	while (zeros < len && in[zeros] == 0)
		zeros++;
	/* Little-endian limbs in base 58^5 (< 2^30), folding in 32 input bits at
	 * a time (limb * 2^32 + word < 2^62): a 64-byte signature takes 16
	 * passes instead of 64, which matters because a proofValue is encoded
	 * on every signature. A partial leading word is folded in first. */
	enum { LIMB_DIGITS = 5 };
	const uint64_t limb_base = 656356768ull; /* 58^5 */
	uint64_t limbs[MB_DIGITS(MB_MAX_BYTES) / LIMB_DIGITS + 2];
	size_t nl = 0, i = zeros;
	while (i < len) {
		size_t take = (len - i) % 4 ? (len - i) % 4 : 4;
		uint64_t word = 0;
		for (size_t k = 0; k < take; k++)
			word = word << 8 | in[i + k];
		i += take;
		uint64_t carry = word;
		for (size_t j = 0; j < nl; j++) {
			carry += limbs[j] << (8 * take);
			limbs[j] = carry % limb_base;
			carry /= limb_base;
		}
		while (carry) {
			limbs[nl++] = carry % limb_base;
			carry /= limb_base;
		}
	}
	/* Expand limbs to little-endian base-58 digits; drop leading zeros. */
	uint8_t digits[MB_DIGITS(MB_MAX_BYTES) + LIMB_DIGITS];
	size_t used = 0;
	for (size_t j = 0; j < nl; j++) {
		uint64_t v = limbs[j];
		for (int k = 0; k < LIMB_DIGITS; k++) {
			digits[used++] = (uint8_t)(v % 58u);
			v /= 58u;
		}
	}
	while (used && digits[used - 1] == 0)
		used--;
	sodium_memzero(limbs, nl * sizeof *limbs);
	size_t need = 1 + zeros + used + 1;
	if (need > cap)
		return MC_ERR_TOO_LARGE;
	char *o = out;
	*o++ = 'z';
	memset(o, '1', zeros);
	o += zeros;
	for (size_t j = used; j > 0; j--)
		*o++ = b58_alphabet[digits[j - 1]];
	*o = '\0';
	sodium_memzero(digits, used);
	return MC_OK;
}

mc_status mc_multibase_decode(const char *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len,
                              mc_err *err)
{
	if (!in)
		return mc__fail(err, MC_ERR_ARG, "in", "multibase input is NULL");
	if ((!out && cap) || !out_len)
		return mc__fail(err, MC_ERR_ARG, "out", "output buffer is NULL");
	uint8_t none[1];
	if (!out)
		out = none; /* cap is 0: only "z" can succeed, and writes nothing */
	if (in_len == 0 || in[0] != 'z')
		return mc__fail(err, MC_ERR_VALUE, "in", "multibase value must start with 'z' (base58btc)");
	if (in_len > MB_MAX_CHARS)
		return mc__fail(err, MC_ERR_VALUE, "in", "multibase value longer than %u characters", MB_MAX_CHARS);
	const char *s = in + 1;
	size_t n = in_len - 1;
	for (size_t i = 0; i < n; i++)
		if (b58_value((unsigned char)s[i]) < 0)
			return mc__fail(err, MC_ERR_VALUE, "in", "character %zu is not in the base58btc alphabet", i + 1);
	size_t zeros = 0;
	while (zeros < n && s[zeros] == '1')
		zeros++;
	/* Early size check: d significant digits encode a value >= 58^(d-1),
	 * which needs at least floor((d-1) * log256(58)) + 1 bytes, and
	 * log256(58) > 0.732. Keeps the quadratic loop below proportional to cap. */
	size_t d = n - zeros;
	if (zeros > cap || (d > 0 && (d - 1) * 732u / 1000u + 1u > cap - zeros))
		return mc__fail(err, MC_ERR_VALUE, "in", "multibase value decodes to more than %zu bytes", cap);
	/* Accumulate in little-endian 32-bit limbs (one multiply-add per limb
	 * and digit instead of one per byte): a proofValue is decoded on every
	 * verification. d digits need at most d*log2(58)/32 + 1 limbs. */
	size_t room = cap - zeros, nl = 0;
	uint32_t limbs[MB_MAX_CHARS * 6 / 32 + 2];
	for (size_t i = zeros; i < n; i++) {
		uint64_t carry = (uint64_t)b58_value((unsigned char)s[i]);
		for (size_t j = 0; j < nl; j++) {
			carry += (uint64_t)limbs[j] * 58u;
			limbs[j] = (uint32_t)carry;
			carry >>= 32;
		}
		if (carry)
			limbs[nl++] = (uint32_t)carry;
	}
	/* Big-endian bytes without leading zeros. */
	size_t used = nl * 4;
	while (used && ((limbs[(used - 1) / 4] >> (8 * ((used - 1) % 4))) & 0xffu) == 0)
		used--;
	if (used > room) {
		sodium_memzero(limbs, nl * sizeof *limbs);
		return mc__fail(err, MC_ERR_VALUE, "in", "multibase value decodes to more than %zu bytes", cap);
	}
	memset(out, 0, zeros);
	for (size_t k = 0; k < used; k++)
		out[zeros + used - 1 - k] = (uint8_t)(limbs[k / 4] >> (8 * (k % 4)));
	sodium_memzero(limbs, nl * sizeof *limbs);
	*out_len = zeros + used;
	return MC_OK;
}

mc_status mc_multikey_encode(const uint8_t pk[MC_ED25519_PK_BYTES], char out[MC_MULTIKEY_MAX])
{
	if (!pk || !out)
		return MC_ERR_ARG;
	uint8_t buf[MK_PUB_LEN];
	memcpy(buf, mk_pub_prefix, sizeof mk_pub_prefix);
	memcpy(buf + 2, pk, MC_ED25519_PK_BYTES);
	return mc_multibase_encode(buf, sizeof buf, out, MC_MULTIKEY_MAX);
}

/* Decode mk into exactly want bytes starting with prefix; MC_ERR_KEY
 * otherwise, with the multibase detail in the message. */
static mc_status multikey_bytes(const char *mk, const uint8_t prefix[2], uint8_t *buf, size_t want,
                                const char *what, mc_err *err)
{
	if (!mk)
		return mc__fail(err, MC_ERR_ARG, "mk", "Multikey is NULL");
	/* A Multikey fits comfortably in MC_MULTIKEY_MAX; strnlen keeps a huge
	 * or unterminated-looking argument from being walked in full. */
	size_t len = strnlen(mk, MC_MULTIKEY_MAX);
	if (len == MC_MULTIKEY_MAX)
		return mc__fail(err, MC_ERR_KEY, "mk", "%s is longer than %d characters", what, MC_MULTIKEY_MAX - 1);
	mc_err sub = {0};
	size_t n = 0;
	if (mc_multibase_decode(mk, len, buf, want, &n, &sub) != MC_OK)
		return mc__fail(err, MC_ERR_KEY, "mk", "%s is not valid multibase: %s", what, sub.msg);
	if (n != want || buf[0] != prefix[0] || buf[1] != prefix[1])
		return mc__fail(err, MC_ERR_KEY, "mk", "%s must be multicodec 0x%02x%02x followed by %zu key bytes", what,
		                prefix[0], prefix[1], want - 2);
	return MC_OK;
}

mc_status mc_multikey_decode(const char *mk, uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err)
{
	if (!pk)
		return mc__fail(err, MC_ERR_ARG, "pk", "output key is NULL");
	uint8_t buf[MK_PUB_LEN];
	mc_status st = multikey_bytes(mk, mk_pub_prefix, buf, sizeof buf, "Ed25519 public Multikey", err);
	if (st == MC_OK)
		memcpy(pk, buf + 2, MC_ED25519_PK_BYTES);
	return st;
}

mc_status mc_multikey_secret_decode(const char *mk, uint8_t seed[MC_ED25519_SEED_BYTES], mc_err *err)
{
	if (!seed)
		return mc__fail(err, MC_ERR_ARG, "seed", "output seed is NULL");
	uint8_t buf[MK_SEC_LEN];
	mc_status st = multikey_bytes(mk, mk_sec_prefix, buf, sizeof buf, "Ed25519 secret Multikey", err);
	if (st == MC_OK)
		memcpy(seed, buf + 2, MC_ED25519_SEED_BYTES);
	sodium_memzero(buf, sizeof buf);
	return st;
}
