/*
 * test_crypto.c - Ed25519 (RFC 8032 vectors and the strict acceptance
 * policy), SHA-256, multibase/Multikey, did:key / did:web and encrypted key
 * files, checked against RFC 8032, Bitcoin's base58 vectors and the W3C
 * vc-di-eddsa vectors.
 */
#include <cjson/cJSON.h>
#include <time.h>

#include "testutil.h"

/* ---- helpers --------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex into out (cap bytes); returns the byte count. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex);
	ck_assert_msg(n % 2 == 0 && n / 2 <= cap, "bad hex literal %s", hex);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		ck_assert(hi >= 0 && lo >= 0);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return n / 2;
}

/* "key": "value" from a flat JSON file, good enough for keyPair.json. */
static void json_str(const char *json, const char *key, char *out, size_t cap)
{
	char pat[128];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(json, pat);
	ck_assert_msg(p != NULL, "%s missing", key);
	p = strchr(p + strlen(pat), '"');
	ck_assert(p != NULL);
	const char *e = strchr(p + 1, '"');
	ck_assert(e != NULL && (size_t)(e - p - 1) < cap);
	memcpy(out, p + 1, (size_t)(e - p - 1));
	out[e - p - 1] = '\0';
}

static void keypair_from_hex(const char *seed_hex, mc_keypair *kp)
{
	uint8_t seed[MC_ED25519_SEED_BYTES];
	ck_assert_uint_eq(unhex(seed_hex, seed, sizeof seed), sizeof seed);
	ck_assert_int_eq(mc_keypair_from_seed(kp, seed, NULL), MC_OK);
}

/* The W3C vc-di-eddsa key pair. */
static void w3c_keypair(mc_keypair *kp, char pub_mk[MC_MULTIKEY_MAX])
{
	char *json = tu_vector("vc-di-eddsa/TestVectors/keyPair.json", NULL);
	char sec_mk[MC_MULTIKEY_MAX];
	json_str(json, "publicKeyMultibase", pub_mk, MC_MULTIKEY_MAX);
	json_str(json, "privateKeyMultibase", sec_mk, sizeof sec_mk);
	free(json);
	uint8_t seed[MC_ED25519_SEED_BYTES];
	mc_err e = {0};
	ck_assert_int_eq(mc_multikey_secret_decode(sec_mk, seed, &e), MC_OK);
	ck_assert_int_eq(mc_keypair_from_seed(kp, seed, &e), MC_OK);
}

/* ---- Ed25519: RFC 8032 section 7.1 ----------------------------------- */

struct rfc_vec {
	const char *name, *seed, *pk, *msg, *sig;
};

static const struct rfc_vec rfc8032[] = {
	{"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
	 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	 "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	 "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
	 "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	 "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	 "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
	 "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	 "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	/* message = SHA-512("abc") */
	{"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	 "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	 "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	 "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

START_TEST(ed25519_rfc8032)
{
	const struct rfc_vec *v = &rfc8032[_i];
	mc_keypair kp;
	uint8_t pk[32], msg[64], sig[64], want[64];
	keypair_from_hex(v->seed, &kp);
	unhex(v->pk, pk, sizeof pk);
	ck_assert_msg(memcmp(kp.pk, pk, 32) == 0, "%s: public key", v->name);
	size_t mlen = unhex(v->msg, msg, sizeof msg);
	unhex(v->sig, want, sizeof want);
	/* TEST 1 signs the empty message: pass NULL to pin that it is allowed. */
	const uint8_t *m = mlen ? msg : NULL;
	ck_assert_int_eq(mc_ed25519_sign(&kp, m, mlen, sig), MC_OK);
	ck_assert_msg(memcmp(sig, want, 64) == 0, "%s: signature bytes", v->name);
	ck_assert_int_eq(mc_ed25519_verify(pk, m, mlen, sig), MC_OK);
	/* Flipped-bit twins: every part of (A, M, R, S) is bound. */
	for (size_t bit = 0; bit < 512; bit += 37) {
		uint8_t bad[64];
		memcpy(bad, sig, 64);
		bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_int_eq(mc_ed25519_verify(pk, m, mlen, bad), MC_ERR_SIGNATURE);
	}
	uint8_t badpk[32];
	memcpy(badpk, pk, 32);
	badpk[5] ^= 0x10;
	ck_assert_int_eq(mc_ed25519_verify(badpk, m, mlen, sig), MC_ERR_SIGNATURE);
	if (mlen) {
		msg[mlen - 1] ^= 1;
		ck_assert_int_eq(mc_ed25519_verify(pk, msg, mlen, sig), MC_ERR_SIGNATURE);
	} else {
		uint8_t one = 0;
		ck_assert_int_eq(mc_ed25519_verify(pk, &one, 1, sig), MC_ERR_SIGNATURE);
	}
	mc_keypair_wipe(&kp);
}
END_TEST

/* ---- Ed25519: the strict acceptance policy ---------------------------
 * Each vector below satisfies the cofactorless equation [S]B = R + [h]A
 * once S is reduced mod L and points are decoded leniently (checked with an
 * independent big-integer implementation when the vectors were written), so
 * a lenient verifier accepts it; OpenSSL 3.0 accepts the small-order and
 * non-canonical-A ones. mcred must reject them all. */

struct strict_vec {
	const char *why, *pk, *msg_text, *sig;
};

static const struct strict_vec strict_vecs[] = {
	/* RFC 8032 TEST 1 with S replaced by S + L. */
	{"non-canonical S (S + L)", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
	 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	 "4c8c7872aa064e049dbb3013fbf29380d25bf5f0595bbe24655141438e7a101b"},
	/* A = identity: (R, S) = (B, 1) satisfies B = B + [h]O for ANY message. */
	{"small-order A (identity 0100..00)", "0100000000000000000000000000000000000000000000000000000000000000",
	 "mcred",
	 "5866666666666666666666666666666666666666666666666666666666666666"
	 "0100000000000000000000000000000000000000000000000000000000000000"},
	/* A of order 8; message chosen so that h = 0 mod 8, making (B, 1) valid. */
	{"small-order A (order 8)", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	 "mcred small-order 12",
	 "5866666666666666666666666666666666666666666666666666666666666666"
	 "0100000000000000000000000000000000000000000000000000000000000000"},
	/* Non-canonical R: the identity encoded as y = p + 1, S = h * a for the
	 * TEST 1 key, so [S]B = O + [h]A holds once R is decoded. */
	{"non-canonical R (y = p + 1)", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "mcred",
	 "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
	 "cce58696760bc2b09b14469cb9bd6eab3852fa630103f718952e148908c7cb03"},
	/* Non-canonical A: the identity encoded as y = p + 1, universal (B, 1). */
	{"non-canonical A (y = p + 1)", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "mcred",
	 "5866666666666666666666666666666666666666666666666666666666666666"
	 "0100000000000000000000000000000000000000000000000000000000000000"},
};

START_TEST(ed25519_strict_policy)
{
	const struct strict_vec *v = &strict_vecs[_i];
	uint8_t pk[32], sig[64];
	unhex(v->pk, pk, sizeof pk);
	unhex(v->sig, sig, sizeof sig);
	mc_status st = mc_ed25519_verify(pk, (const uint8_t *)v->msg_text, strlen(v->msg_text), sig);
	ck_assert_msg(st == MC_ERR_SIGNATURE, "%s: accepted (status %d)", v->why, st);
}
END_TEST

/* "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko 2020) case 0:
 * small-order A and R, S = 0; valid under the cofactorless equation. */
START_TEST(ed25519_taming_case0)
{
	uint8_t pk[32], msg[32], sig[64];
	unhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", pk, 32);
	unhex("8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6", msg, 32);
	unhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
	      "0000000000000000000000000000000000000000000000000000000000000000",
	      sig, 64);
	ck_assert_int_eq(mc_ed25519_verify(pk, msg, 32, sig), MC_ERR_SIGNATURE);
}
END_TEST

START_TEST(ed25519_keys)
{
	mc_keypair a, b;
	mc_err e = {0};
	ck_assert_int_eq(mc_keypair_generate(&a, &e), MC_OK);
	ck_assert_int_eq(mc_keypair_generate(&b, &e), MC_OK);
	ck_assert(memcmp(a.pk, b.pk, 32) != 0);
	const uint8_t msg[] = "micro-credential";
	uint8_t sig[64];
	ck_assert_int_eq(mc_ed25519_sign(&a, msg, sizeof msg, sig), MC_OK);
	ck_assert_int_eq(mc_ed25519_verify(a.pk, msg, sizeof msg, sig), MC_OK);
	ck_assert_int_eq(mc_ed25519_verify(b.pk, msg, sizeof msg, sig), MC_ERR_SIGNATURE);
	/* from_seed reproduces a generated key from its seed. */
	mc_keypair c;
	ck_assert_int_eq(mc_keypair_from_seed(&c, a.sk, &e), MC_OK);
	ck_assert(memcmp(&a, &c, sizeof a) == 0);
	/* A pair whose two copies of A disagree is refused, not signed with. */
	memcpy(c.pk, b.pk, 32);
	ck_assert_int_eq(mc_ed25519_sign(&c, msg, sizeof msg, sig), MC_ERR_KEY);
	/* Arguments. */
	ck_assert_int_eq(mc_ed25519_sign(NULL, msg, 1, sig), MC_ERR_ARG);
	ck_assert_int_eq(mc_ed25519_sign(&a, NULL, 1, sig), MC_ERR_ARG);
	ck_assert_int_eq(mc_ed25519_verify(a.pk, NULL, 1, sig), MC_ERR_ARG);
	ck_assert_int_eq(mc_keypair_generate(NULL, &e), MC_ERR_ARG);
	ck_assert_str_eq(e.path, "kp");
	mc_keypair_wipe(&a);
	mc_keypair_wipe(&b);
	mc_keypair_wipe(&c);
	static const mc_keypair zero;
	ck_assert(memcmp(&a, &zero, sizeof a) == 0);
	mc_keypair_wipe(NULL);
}
END_TEST

/* ---- SHA-256 --------------------------------------------------------- */

static void sha_hex(const void *d, size_t n, char out[65])
{
	uint8_t h[32];
	ck_assert_int_eq(mc_sha256(d, n, h), MC_OK);
	tu_hex(h, 32, out);
}

START_TEST(sha256_known)
{
	char hx[65];
	sha_hex("abc", 3, hx);
	ck_assert_str_eq(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha_hex(NULL, 0, hx);
	ck_assert_str_eq(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha_hex(m, strlen(m), hx);
	ck_assert_str_eq(hx, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	size_t big = 1000000;
	char *a = malloc(big);
	ck_assert(a != NULL);
	memset(a, 'a', big);
	sha_hex(a, big, hx);
	free(a);
	ck_assert_str_eq(hx, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	uint8_t h[32];
	ck_assert_int_eq(mc_sha256(NULL, 1, h), MC_ERR_ARG);
}
END_TEST

/* The W3C vectors' canonical documents hash to their docHash/proofHash
 * files (byte-exact inputs, trailing newline included for RDFC). */
START_TEST(sha256_w3c)
{
	static const char *const files[][2] = {
		{"eddsa-jcs-2022/canonDocJCS.txt", "eddsa-jcs-2022/docHashJCS.txt"},
		{"eddsa-jcs-2022/proofCanonJCS.txt", "eddsa-jcs-2022/proofHashJCS.txt"},
		{"eddsa-rdfc-2022/canonDocDataInt.txt", "eddsa-rdfc-2022/docHashDataInt.txt"},
		{"eddsa-rdfc-2022/proofCanonDataInt.txt", "eddsa-rdfc-2022/proofHashDataInt.txt"},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[256], hx[65];
		size_t n;
		snprintf(p, sizeof p, "vc-di-eddsa/TestVectors/%s", files[i][0]);
		char *in = tu_vector(p, &n);
		snprintf(p, sizeof p, "vc-di-eddsa/TestVectors/%s", files[i][1]);
		char *want = tu_chomp(tu_vector(p, NULL));
		sha_hex(in, n, hx);
		ck_assert_msg(strcmp(hx, want) == 0, "%s", files[i][0]);
		free(in);
		free(want);
	}
}
END_TEST

/* ---- multibase ------------------------------------------------------- */

/* Bitcoin Core's base58_encode_decode.json. */
static const char *const b58_vecs[][2] = {
	{"", ""},
	{"61", "2g"},
	{"626262", "a3gV"},
	{"636363", "aPEr"},
	{"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
	{"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
	{"516b6fcd0f", "ABnLTmg"},
	{"bf4f89001e670274dd", "3SEo3LWLoPntC"},
	{"572e4794", "3EFU7m"},
	{"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
	{"10c8511e", "Rt5zm"},
	{"00000000000000000000", "1111111111"},
};

START_TEST(multibase_vectors)
{
	uint8_t in[64], out[64];
	char enc[128], want[128];
	size_t n = unhex(b58_vecs[_i][0], in, sizeof in);
	snprintf(want, sizeof want, "z%s", b58_vecs[_i][1]);
	ck_assert_int_eq(mc_multibase_encode(in, n, enc, sizeof enc), MC_OK);
	ck_assert_str_eq(enc, want);
	size_t got = 99;
	mc_err e = {0};
	ck_assert_int_eq(mc_multibase_decode(want, strlen(want), out, sizeof out, &got, &e), MC_OK);
	ck_assert_uint_eq(got, n);
	ck_assert(n == 0 || memcmp(in, out, n) == 0);
	/* Exactly enough room succeeds, one byte less fails in both directions. */
	ck_assert_int_eq(mc_multibase_encode(in, n, enc, strlen(want) + 1), MC_OK);
	ck_assert_int_eq(mc_multibase_encode(in, n, enc, strlen(want)), MC_ERR_TOO_LARGE);
	ck_assert_int_eq(mc_multibase_decode(want, strlen(want), out, n, &got, NULL), MC_OK);
	if (n)
		ck_assert_int_eq(mc_multibase_decode(want, strlen(want), out, n - 1, &got, NULL), MC_ERR_VALUE);
}
END_TEST

static mc_status mb_dec(const char *s, size_t cap, size_t *n, mc_err *e)
{
	uint8_t out[256];
	ck_assert(cap <= sizeof out);
	return mc_multibase_decode(s, strlen(s), out, cap, n, e);
}

START_TEST(multibase_edges)
{
	char enc[64];
	uint8_t out[16];
	size_t n = 7;
	mc_err e = {0};
	/* empty */
	ck_assert_int_eq(mc_multibase_encode(NULL, 0, enc, sizeof enc), MC_OK);
	ck_assert_str_eq(enc, "z");
	ck_assert_int_eq(mc_multibase_decode("z", 1, NULL, 0, &n, &e), MC_OK);
	ck_assert_uint_eq(n, 0);
	/* leading zeros are '1's, each way */
	const uint8_t lz[] = {0, 0, 1};
	ck_assert_int_eq(mc_multibase_encode(lz, 3, enc, sizeof enc), MC_OK);
	ck_assert_str_eq(enc, "z112");
	ck_assert_int_eq(mc_multibase_decode("z111", 4, out, sizeof out, &n, &e), MC_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert(out[0] == 0 && out[1] == 0 && out[2] == 0);
	ck_assert_int_eq(mc_multibase_decode("z1112", 5, out, 3, &n, &e), MC_ERR_VALUE);
	/* characters outside the Bitcoin alphabet */
	static const char *const bad[] = {"z20", "zO2", "zI2", "zl2", "z2+", "z2 ", "z\xc3\xa9", "z2-"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		mc_err e2 = {0};
		ck_assert_msg(mb_dec(bad[i], 16, &n, &e2) == MC_ERR_VALUE, "%s accepted", bad[i]);
		ck_assert_str_eq(e2.path, "in");
	}
	/* an embedded NUL inside in_len is a character too */
	ck_assert_int_eq(mc_multibase_decode("z2\0" "2", 4, out, sizeof out, &n, NULL), MC_ERR_VALUE);
	/* in_len is honoured: the bytes after it are not read */
	ck_assert_int_eq(mc_multibase_decode("z2g0000", 3, out, sizeof out, &n, NULL), MC_OK);
	ck_assert(n == 1 && out[0] == 'a');
	/* missing or wrong multibase prefix */
	ck_assert_int_eq(mc_multibase_decode("", 0, out, sizeof out, &n, &e), MC_ERR_VALUE);
	ck_assert_int_eq(mb_dec("2g", 16, &n, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mb_dec("Z2g", 16, &n, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mb_dec("f61", 16, &n, NULL), MC_ERR_VALUE);
	/* overlong: larger than cap, and absurdly long input fails fast */
	ck_assert_int_eq(mb_dec("zEJDM8drfXA6uyA", 9, &n, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mb_dec("zEJDM8drfXA6uyA", 10, &n, NULL), MC_OK);
	ck_assert_int_eq(mb_dec("z11111111111111111", 16, &n, NULL), MC_ERR_VALUE);
	size_t big = 1u << 20;
	char *huge = malloc(big + 1);
	ck_assert(huge != NULL);
	memset(huge, 'z', big);
	huge[big] = '\0';
	uint8_t sink[64];
	ck_assert_int_eq(mc_multibase_decode(huge, big, sink, sizeof sink, &n, NULL), MC_ERR_VALUE);
	memset(huge + 1, '2', 6000);
	ck_assert_int_eq(mc_multibase_decode(huge, 6001, sink, sizeof sink, &n, NULL), MC_ERR_VALUE);
	/* encoding refuses inputs beyond its bound rather than going quadratic */
	char *eout = malloc(2 * big);
	ck_assert(eout != NULL);
	ck_assert_int_eq(mc_multibase_encode((const uint8_t *)huge, 8192, eout, 2 * big), MC_ERR_TOO_LARGE);
	free(eout);
	free(huge);
	/* arguments */
	ck_assert_int_eq(mc_multibase_encode(lz, 3, NULL, 10), MC_ERR_ARG);
	ck_assert_int_eq(mc_multibase_decode(NULL, 0, out, 1, &n, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_multibase_decode("z", 1, out, 1, NULL, NULL), MC_ERR_ARG);
}
END_TEST

START_TEST(multibase_roundtrip)
{
	uint8_t in[300], out[300];
	char enc[512];
	srand(12345);
	for (size_t len = 0; len <= sizeof in; len += 1 + len / 8) {
		for (int rep = 0; rep < 4; rep++) {
			size_t zeros = (size_t)rand() % (len + 1);
			for (size_t i = 0; i < len; i++)
				in[i] = i < zeros ? 0 : (uint8_t)rand();
			ck_assert_int_eq(mc_multibase_encode(in, len, enc, sizeof enc), MC_OK);
			size_t n = 0;
			ck_assert_int_eq(mc_multibase_decode(enc, strlen(enc), out, len, &n, NULL), MC_OK);
			ck_assert_uint_eq(n, len);
			ck_assert(len == 0 || memcmp(in, out, len) == 0);
		}
	}
}
END_TEST

START_TEST(multikey_codec)
{
	mc_keypair kp;
	keypair_from_hex(rfc8032[0].seed, &kp);
	char mk[MC_MULTIKEY_MAX];
	ck_assert_int_eq(mc_multikey_encode(kp.pk, mk), MC_OK);
	ck_assert_uint_eq(strlen(mk), 48);
	ck_assert(strncmp(mk, "z6Mk", 4) == 0);
	uint8_t pk[32], seed[32];
	mc_err e = {0};
	ck_assert_int_eq(mc_multikey_decode(mk, pk, &e), MC_OK);
	ck_assert(memcmp(pk, kp.pk, 32) == 0);
	/* a public Multikey is not a secret one and vice versa */
	ck_assert_int_eq(mc_multikey_secret_decode(mk, seed, &e), MC_ERR_KEY);
	ck_assert_str_eq(e.path, "mk");
	ck_assert_int_eq(mc_multikey_decode("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", pk, NULL), MC_ERR_KEY);
	/* X25519 (0xec01) and P-256 did:key values are not Ed25519 */
	ck_assert_int_eq(mc_multikey_decode("z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F", pk, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_multikey_decode("zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", pk, NULL), MC_ERR_KEY);
	/* truncated, extended, empty, not multibase */
	char shorter[MC_MULTIKEY_MAX];
	snprintf(shorter, sizeof shorter, "%.47s", mk);
	ck_assert_int_eq(mc_multikey_decode(shorter, pk, NULL), MC_ERR_KEY);
	char longer[MC_MULTIKEY_MAX + 8];
	snprintf(longer, sizeof longer, "%s2", mk);
	ck_assert_int_eq(mc_multikey_decode(longer, pk, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_multikey_decode("", pk, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_multikey_decode(mk + 1, pk, NULL), MC_ERR_KEY);
	char huge[300];
	memset(huge, '2', sizeof huge - 1);
	huge[0] = 'z';
	huge[sizeof huge - 1] = '\0';
	ck_assert_int_eq(mc_multikey_decode(huge, pk, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_multikey_decode(NULL, pk, NULL), MC_ERR_ARG);
	mc_keypair_wipe(&kp);
}
END_TEST

/* ---- W3C vc-di-eddsa vectors ----------------------------------------- */

START_TEST(w3c_keypair_vector)
{
	mc_keypair kp;
	char pub_mk[MC_MULTIKEY_MAX], mk[MC_MULTIKEY_MAX];
	w3c_keypair(&kp, pub_mk);
	ck_assert_int_eq(mc_multikey_encode(kp.pk, mk), MC_OK);
	ck_assert_str_eq(mk, pub_mk);
	uint8_t pk[32];
	ck_assert_int_eq(mc_multikey_decode(pub_mk, pk, NULL), MC_OK);
	ck_assert(memcmp(pk, kp.pk, 32) == 0);
	mc_keypair_wipe(&kp);
}
END_TEST

static const char *const w3c_sig_dirs[][2] = {
	{"eddsa-jcs-2022", "JCS"},
	{"eddsa-rdfc-2022", "DataInt"},
	{"eddsa-rdfc-2022/employ", "DataInt"},
	{"Ed25519Signature2020", "EdSig"},
};

/* Signing combinedHash reproduces sigHex; its base58btc is sigBTC58. */
START_TEST(w3c_signatures)
{
	const char *dir = w3c_sig_dirs[_i][0], *suf = w3c_sig_dirs[_i][1];
	mc_keypair kp;
	char pub_mk[MC_MULTIKEY_MAX];
	w3c_keypair(&kp, pub_mk);
	char p[256];
	snprintf(p, sizeof p, "vc-di-eddsa/TestVectors/%s/combinedHash%s.txt", dir, suf);
	char *hash_hex = tu_chomp(tu_vector(p, NULL));
	snprintf(p, sizeof p, "vc-di-eddsa/TestVectors/%s/sigHex%s.txt", dir, suf);
	char *sig_hex = tu_chomp(tu_vector(p, NULL));
	snprintf(p, sizeof p, "vc-di-eddsa/TestVectors/%s/sigBTC58%s.txt", dir, suf);
	char *sig_b58 = tu_chomp(tu_vector(p, NULL));
	uint8_t hash[64], sig[64], dec[64];
	char hx[129], b58[MC_ED25519_SIG_BYTES * 2];
	ck_assert_uint_eq(unhex(hash_hex, hash, sizeof hash), 64);
	ck_assert_int_eq(mc_ed25519_sign(&kp, hash, 64, sig), MC_OK);
	tu_hex(sig, 64, hx);
	ck_assert_str_eq(hx, sig_hex);
	ck_assert_int_eq(mc_multibase_encode(sig, 64, b58, sizeof b58), MC_OK);
	ck_assert_str_eq(b58, sig_b58);
	size_t n = 0;
	ck_assert_int_eq(mc_multibase_decode(sig_b58, strlen(sig_b58), dec, sizeof dec, &n, NULL), MC_OK);
	ck_assert(n == 64 && memcmp(dec, sig, 64) == 0);
	ck_assert_int_eq(mc_ed25519_verify(kp.pk, hash, 64, dec), MC_OK);
	hash[63] ^= 1;
	ck_assert_int_eq(mc_ed25519_verify(kp.pk, hash, 64, dec), MC_ERR_SIGNATURE);
	free(hash_hex);
	free(sig_hex);
	free(sig_b58);
	mc_keypair_wipe(&kp);
}
END_TEST

/* ---- did:key --------------------------------------------------------- */

static const char w3c_did[] = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
static const char w3c_vm[] =
	"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

START_TEST(did_key_ids)
{
	mc_keypair kp;
	char pub_mk[MC_MULTIKEY_MAX], did[MC_DID_KEY_MAX], vm[MC_VM_ID_MAX];
	w3c_keypair(&kp, pub_mk);
	ck_assert_int_eq(mc_did_key_from_pk(kp.pk, did), MC_OK);
	ck_assert_str_eq(did, w3c_did);
	ck_assert_int_eq(mc_did_key_vm(kp.pk, vm), MC_OK);
	ck_assert_str_eq(vm, w3c_vm);
	mc_keypair_wipe(&kp);
}
END_TEST

static void expect_rel(const cJSON *doc, const char *rel, const char *vm)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc, rel);
	ck_assert_msg(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 1, "%s", rel);
	ck_assert_str_eq(cJSON_GetArrayItem(a, 0)->valuestring, vm);
}

/* Common checks of a did:key or did:web document; returns the parsed tree. */
static cJSON *check_doc(const char *text, const char *did, const char *vm, const char *mk)
{
	ck_assert_int_eq(mc_json_check(text, strlen(text), NULL), MC_OK);
	cJSON *doc = cJSON_Parse(text);
	ck_assert(doc != NULL);
	const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(doc, "@context");
	ck_assert(cJSON_IsArray(ctx) && cJSON_GetArraySize(ctx) == 2);
	ck_assert_str_eq(cJSON_GetArrayItem(ctx, 0)->valuestring, "https://www.w3.org/ns/did/v1");
	ck_assert_str_eq(cJSON_GetArrayItem(ctx, 1)->valuestring, "https://w3id.org/security/multikey/v1");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(doc, "id")->valuestring, did);
	const cJSON *vms = cJSON_GetObjectItemCaseSensitive(doc, "verificationMethod");
	ck_assert(cJSON_IsArray(vms) && cJSON_GetArraySize(vms) == 1);
	const cJSON *m = cJSON_GetArrayItem(vms, 0);
	ck_assert_int_eq(cJSON_GetArraySize(m), 4);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(m, "id")->valuestring, vm);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(m, "type")->valuestring, "Multikey");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(m, "controller")->valuestring, did);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(m, "publicKeyMultibase")->valuestring, mk);
	expect_rel(doc, "authentication", vm);
	expect_rel(doc, "assertionMethod", vm);
	return doc;
}

START_TEST(did_key_document)
{
	char *text = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_did_key_document(w3c_did, &text, &e), MC_OK);
	cJSON *doc = check_doc(text, w3c_did, w3c_vm, w3c_did + 8);
	expect_rel(doc, "capabilityInvocation", w3c_vm);
	expect_rel(doc, "capabilityDelegation", w3c_vm);
	/* contexts, id, verificationMethod and four relationships, nothing else */
	ck_assert_int_eq(cJSON_GetArraySize(doc), 7);
	cJSON_Delete(doc);
	mc_free(text);

	/* a DID URL, another method, an invalid point, garbage */
	text = (char *)1;
	ck_assert_int_eq(mc_did_key_document(w3c_vm, &text, &e), MC_ERR_VALUE);
	ck_assert_ptr_null(text);
	ck_assert_str_eq(e.path, "did");
	ck_assert_int_eq(mc_did_key_document("did:web:uni.example", &text, NULL), MC_ERR_UNSUPPORTED);
	uint8_t ident[32] = {1};
	char did[MC_DID_KEY_MAX];
	ck_assert_int_eq(mc_did_key_from_pk(ident, did), MC_OK);
	ck_assert_int_eq(mc_did_key_document(did, &text, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_did_key_document("did:key:zzz", &text, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_did_key_document(NULL, &text, NULL), MC_ERR_ARG);
}
END_TEST

START_TEST(did_key_resolve)
{
	mc_keypair kp;
	char pub_mk[MC_MULTIKEY_MAX];
	w3c_keypair(&kp, pub_mk);
	uint8_t pk[32];
	mc_err e = {0};
	ck_assert_int_eq(mc_did_key_resolve_vm(w3c_vm, pk, &e), MC_OK);
	ck_assert(memcmp(pk, kp.pk, 32) == 0);
	memset(pk, 0, 32);
	ck_assert_int_eq(mc_did_key_resolve_vm(w3c_did, pk, &e), MC_OK);
	ck_assert(memcmp(pk, kp.pk, 32) == 0);

	/* other methods: unsupported, naming the method */
	e = (mc_err){0};
	ck_assert_int_eq(mc_did_key_resolve_vm("did:web:uni.example#key-1", pk, &e), MC_ERR_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(e.msg, "'web'"));
	ck_assert_str_eq(e.path, "vm");
	ck_assert_int_eq(mc_did_key_resolve_vm("did:example:123#k", pk, NULL), MC_ERR_UNSUPPORTED);
	ck_assert_int_eq(mc_did_key_resolve_vm("https://uni.example/keys/1", pk, NULL), MC_ERR_UNSUPPORTED);
	ck_assert_int_eq(mc_did_key_resolve_vm("garbage", pk, NULL), MC_ERR_UNSUPPORTED);
	ck_assert_int_eq(mc_did_key_resolve_vm("", pk, NULL), MC_ERR_UNSUPPORTED);
	ck_assert_int_eq(mc_did_key_resolve_vm("did:", pk, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_did_key_resolve_vm("did:KEY:z6Mk", pk, NULL), MC_ERR_VALUE);

	/* did:key with a fragment other than the key */
	char vm[MC_VM_ID_MAX + 8];
	snprintf(vm, sizeof vm, "%s#key-1", w3c_did);
	ck_assert_int_eq(mc_did_key_resolve_vm(vm, pk, NULL), MC_ERR_VALUE);
	snprintf(vm, sizeof vm, "%s#", w3c_did);
	ck_assert_int_eq(mc_did_key_resolve_vm(vm, pk, NULL), MC_ERR_VALUE);
	snprintf(vm, sizeof vm, "%sx", w3c_vm);
	ck_assert_int_eq(mc_did_key_resolve_vm(vm, pk, NULL), MC_ERR_VALUE);
	snprintf(vm, sizeof vm, "%s#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", w3c_did);
	ck_assert_int_eq(mc_did_key_resolve_vm(vm, pk, NULL), MC_ERR_VALUE);
	/* did:key that holds no Ed25519 key */
	ck_assert_int_eq(mc_did_key_resolve_vm("did:key:", pk, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_did_key_resolve_vm("did:key:z6Mk0", pk, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_did_key_resolve_vm("did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F", pk, NULL),
	                 MC_ERR_KEY);
	snprintf(vm, sizeof vm, "%s/path", w3c_did);
	ck_assert_int_eq(mc_did_key_resolve_vm(vm, pk, NULL), MC_ERR_KEY);
	/* overlong */
	char huge[1024];
	memset(huge, 'z', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	memcpy(huge, "did:key:", 8);
	ck_assert_int_eq(mc_did_key_resolve_vm(huge, pk, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_did_key_resolve_vm(NULL, pk, NULL), MC_ERR_ARG);
	mc_keypair_wipe(&kp);
}
END_TEST

/* ---- did:web --------------------------------------------------------- */

START_TEST(did_web_document)
{
	mc_keypair kp;
	char pub_mk[MC_MULTIKEY_MAX];
	w3c_keypair(&kp, pub_mk);
	static const char *const good[] = {"uni.example", "uni.example:issuers:1", "localhost%3A8443",
	                                   "w3c-ccg.github.io:user:alice", "a.b%3a443:x_y~z.json",
	                                   "xn--bcher-kva.example:Dept"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *text = NULL, did[600], vm[620];
		mc_err e = {0};
		ck_assert_msg(mc_did_web_document(good[i], kp.pk, &text, &e) == MC_OK, "%s: %s", good[i], e.msg);
		snprintf(did, sizeof did, "did:web:%s", good[i]);
		snprintf(vm, sizeof vm, "%s#key-1", did);
		cJSON *doc = check_doc(text, did, vm, pub_mk);
		ck_assert_int_eq(cJSON_GetArraySize(doc), 5);
		cJSON_Delete(doc);
		mc_free(text);
	}
	static const char *const bad[] = {
		"", "Uni.example", "uni.example/path", "uni..example", "-a.example", "a-.example", "a.example.",
		".example", "uni.example:", "uni.example::x", "uni.example:..", "uni.example:.", "user@uni.example",
		"uni.example%3A", "uni.example%3A0", "uni.example%3A080", "uni.example%3A65536", "uni.example%2F",
		"uni.example?x", "uni example", "did:web:uni.example", "uni.example#key", "uni.example:a%20b",
		"uni_example.org", "%3A80",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example" /* 64-char label */};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *text = (char *)1;
		mc_err e = {0};
		ck_assert_msg(mc_did_web_document(bad[i], kp.pk, &text, &e) == MC_ERR_VALUE, "%s accepted", bad[i]);
		ck_assert_ptr_null(text);
		ck_assert_str_eq(e.path, "domain");
	}
	char *text = NULL;
	char longdom[700];
	memset(longdom, 'a', sizeof longdom - 1);
	longdom[sizeof longdom - 1] = '\0';
	ck_assert_int_eq(mc_did_web_document(longdom, kp.pk, &text, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_did_web_document(NULL, kp.pk, &text, NULL), MC_ERR_ARG);
	mc_keypair_wipe(&kp);
}
END_TEST

/* ---- key files ------------------------------------------------------- */

static const char pass[] = "correct horse battery staple";

static char *seal_fast(const mc_keypair *kp)
{
	char *out = NULL;
	mc_err e = {0};
	ck_assert_msg(mc_keyfile_seal(kp, pass, strlen(pass), MC_KEYFILE_FAST, &out, &e) == MC_OK, "%s", e.msg);
	ck_assert_ptr_nonnull(out);
	return out;
}

/* Edit a key file through cJSON: set (or, with val NULL, delete) a member of
 * the root or of "kdf". */
static char *edit(const char *kf, const char *obj, const char *key, cJSON *val)
{
	cJSON *root = cJSON_Parse(kf);
	ck_assert(root != NULL);
	cJSON *o = obj ? cJSON_GetObjectItemCaseSensitive(root, obj) : root;
	ck_assert(o != NULL);
	if (val) {
		if (cJSON_GetObjectItemCaseSensitive(o, key))
			cJSON_ReplaceItemInObjectCaseSensitive(o, key, val);
		else
			cJSON_AddItemToObject(o, key, val);
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	}
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	ck_assert(s != NULL);
	return s;
}

static mc_status open_kf(const char *kf, mc_keypair *kp, mc_err *e)
{
	return mc_keyfile_open(kf, strlen(kf), pass, strlen(pass), kp, e);
}

START_TEST(keyfile_roundtrip)
{
	mc_keypair kp, back;
	char pub_mk[MC_MULTIKEY_MAX];
	w3c_keypair(&kp, pub_mk);
	char *kf = seal_fast(&kp);
	ck_assert_int_eq(mc_json_check(kf, strlen(kf), NULL), MC_OK);
	/* the public fields, by name */
	cJSON *root = cJSON_Parse(kf);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "type")->valuestring, "mcred-key-v1");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "alg")->valuestring, "Ed25519");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "publicKeyMultibase")->valuestring, pub_mk);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "did")->valuestring, w3c_did);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "cipher")->valuestring, "xchacha20poly1305-ietf");
	const cJSON *kdf = cJSON_GetObjectItemCaseSensitive(root, "kdf");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(kdf, "alg")->valuestring, "argon2id13");
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(kdf, "opslimit")->valueint, 1);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(kdf, "memlimit")->valueint, 8192);
	/* the secret is not in clear, in any encoding we produce */
	char seed_mb[128], seed_hex[65];
	ck_assert_int_eq(mc_multibase_encode(kp.sk, 32, seed_mb, sizeof seed_mb), MC_OK);
	tu_hex(kp.sk, 32, seed_hex);
	ck_assert_ptr_null(strstr(kf, seed_mb + 1));
	ck_assert_ptr_null(strstr(kf, seed_hex));
	cJSON_Delete(root);

	uint8_t pk[32];
	mc_err e = {0};
	ck_assert_int_eq(mc_keyfile_public(kf, strlen(kf), pk, &e), MC_OK);
	ck_assert(memcmp(pk, kp.pk, 32) == 0);
	ck_assert_int_eq(open_kf(kf, &back, &e), MC_OK);
	ck_assert(memcmp(&back, &kp, sizeof kp) == 0);
	/* fresh salt and nonce every time */
	char *kf2 = seal_fast(&kp);
	ck_assert_str_ne(kf, kf2);
	mc_free(kf2);
	mc_free(kf);
	mc_keypair_wipe(&kp);
	mc_keypair_wipe(&back);
}
END_TEST

START_TEST(keyfile_default_limits)
{
	mc_keypair kp, back;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	char *kf = NULL;
	ck_assert_int_eq(mc_keyfile_seal(&kp, pass, strlen(pass), 0, &kf, NULL), MC_OK);
	cJSON *root = cJSON_Parse(kf);
	const cJSON *kdf = cJSON_GetObjectItemCaseSensitive(root, "kdf");
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(kdf, "opslimit")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(kdf, "memlimit")->valueint, 268435456);
	cJSON_Delete(root);
	ck_assert_int_eq(open_kf(kf, &back, NULL), MC_OK);
	ck_assert(memcmp(&back, &kp, sizeof kp) == 0);
	mc_free(kf);
	mc_keypair_wipe(&kp);
	mc_keypair_wipe(&back);
}
END_TEST

START_TEST(keyfile_passphrase)
{
	mc_keypair kp, back;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	char *kf = seal_fast(&kp);
	mc_err e = {0};
	static const mc_keypair zero;
	memset(&back, 0, sizeof back);
	ck_assert_int_eq(mc_keyfile_open(kf, strlen(kf), "wrong", 5, &back, &e), MC_ERR_PASSPHRASE);
	ck_assert_str_eq(e.path, "$.ciphertext");
	ck_assert(memcmp(&back, &zero, sizeof back) == 0); /* untouched on failure */
	ck_assert_int_eq(mc_keyfile_open(kf, strlen(kf), pass, strlen(pass) - 1, &back, NULL), MC_ERR_PASSPHRASE);
	ck_assert_int_eq(mc_keyfile_open(kf, strlen(kf), "", 0, &back, NULL), MC_ERR_PASSPHRASE);
	/* passphrase bounds */
	char *longpass = malloc(MC_PASSPHRASE_MAX + 1);
	memset(longpass, 'p', MC_PASSPHRASE_MAX + 1);
	e = (mc_err){0};
	ck_assert_int_eq(mc_keyfile_open(kf, strlen(kf), longpass, MC_PASSPHRASE_MAX + 1, &back, &e), MC_ERR_ARG);
	ck_assert_str_eq(e.path, "passphrase");
	char *kf2 = NULL;
	ck_assert_int_eq(mc_keyfile_seal(&kp, longpass, MC_PASSPHRASE_MAX + 1, MC_KEYFILE_FAST, &kf2, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_keyfile_seal(&kp, longpass, MC_PASSPHRASE_MAX, MC_KEYFILE_FAST, &kf2, NULL), MC_OK);
	ck_assert_int_eq(mc_keyfile_open(kf2, strlen(kf2), longpass, MC_PASSPHRASE_MAX, &back, NULL), MC_OK);
	mc_free(kf2);
	free(longpass);
	/* empty passphrase, NULL passphrase, unknown flags, inconsistent pair */
	ck_assert_int_eq(mc_keyfile_seal(&kp, "", 0, MC_KEYFILE_FAST, &kf2, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_keyfile_seal(&kp, NULL, 3, MC_KEYFILE_FAST, &kf2, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_keyfile_seal(&kp, pass, 4, 0x80, &kf2, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_keyfile_open(kf, strlen(kf), NULL, 0, &back, NULL), MC_ERR_ARG);
	mc_keypair odd = kp;
	odd.pk[0] ^= 1;
	ck_assert_int_eq(mc_keyfile_seal(&odd, pass, 4, MC_KEYFILE_FAST, &kf2, NULL), MC_ERR_KEY);
	ck_assert_ptr_null(kf2);
	mc_free(kf);
	mc_keypair_wipe(&kp);
	mc_keypair_wipe(&back);
}
END_TEST

/* Public fields are associated data: swapping the identity of a key file
 * for another key's (consistently, so it parses) fails decryption. */
START_TEST(keyfile_tamper)
{
	mc_keypair kp, other, back;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	ck_assert_int_eq(mc_keypair_generate(&other, NULL), MC_OK);
	char *kf = seal_fast(&kp);
	char mk[MC_MULTIKEY_MAX], did[MC_DID_KEY_MAX];
	ck_assert_int_eq(mc_multikey_encode(other.pk, mk), MC_OK);
	ck_assert_int_eq(mc_did_key_from_pk(other.pk, did), MC_OK);
	mc_err e = {0};

	/* both public fields replaced: parses, public() believes it, open fails */
	char *t1 = edit(kf, NULL, "publicKeyMultibase", cJSON_CreateString(mk));
	char *t2 = edit(t1, NULL, "did", cJSON_CreateString(did));
	uint8_t pk[32];
	ck_assert_int_eq(mc_keyfile_public(t2, strlen(t2), pk, NULL), MC_OK);
	ck_assert_int_eq(open_kf(t2, &back, &e), MC_ERR_PASSPHRASE);
	/* only one of them: the file is inconsistent */
	e = (mc_err){0};
	ck_assert_int_eq(mc_keyfile_public(t1, strlen(t1), pk, &e), MC_ERR_KEY);
	ck_assert_str_eq(e.path, "$.did");
	mc_free(t1);
	mc_free(t2);

	/* ciphertext: flip one bit of the last byte, re-encode */
	cJSON *root = cJSON_Parse(kf);
	const char *ct_mb = cJSON_GetObjectItemCaseSensitive(root, "ciphertext")->valuestring;
	uint8_t ct[64];
	size_t n = 0;
	ck_assert_int_eq(mc_multibase_decode(ct_mb, strlen(ct_mb), ct, sizeof ct, &n, NULL), MC_OK);
	ck_assert_uint_eq(n, 48);
	cJSON_Delete(root);
	for (size_t i = 0; i < n; i += 47) {
		char enc[128];
		ct[i] ^= 1;
		ck_assert_int_eq(mc_multibase_encode(ct, n, enc, sizeof enc), MC_OK);
		ct[i] ^= 1;
		t1 = edit(kf, NULL, "ciphertext", cJSON_CreateString(enc));
		ck_assert_int_eq(open_kf(t1, &back, NULL), MC_ERR_PASSPHRASE);
		mc_free(t1);
	}
	/* KDF parameters and nonce are bound too */
	t1 = edit(kf, "kdf", "opslimit", cJSON_CreateNumber(2));
	ck_assert_int_eq(open_kf(t1, &back, NULL), MC_ERR_PASSPHRASE);
	mc_free(t1);
	t1 = edit(kf, "kdf", "memlimit", cJSON_CreateNumber(16384));
	ck_assert_int_eq(open_kf(t1, &back, NULL), MC_ERR_PASSPHRASE);
	mc_free(t1);
	uint8_t nonce[24] = {0};
	char nonce_mb[64];
	ck_assert_int_eq(mc_multibase_encode(nonce, 24, nonce_mb, sizeof nonce_mb), MC_OK);
	t1 = edit(kf, NULL, "nonce", cJSON_CreateString(nonce_mb));
	ck_assert_int_eq(open_kf(t1, &back, NULL), MC_ERR_PASSPHRASE);
	mc_free(t1);
	/* reformatting whitespace or member order is harmless */
	t1 = edit(kf, NULL, "type", cJSON_CreateString("mcred-key-v1"));
	ck_assert_int_eq(open_kf(t1, &back, NULL), MC_OK);
	ck_assert(memcmp(&back, &kp, sizeof kp) == 0);
	mc_free(t1);
	mc_free(kf);
	mc_keypair_wipe(&kp);
	mc_keypair_wipe(&other);
	mc_keypair_wipe(&back);
}
END_TEST

START_TEST(keyfile_truncated)
{
	mc_keypair kp, back;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	char *kf = seal_fast(&kp);
	size_t len = strlen(kf);
	for (size_t n = 0; n < len; n++) {
		/* a private copy of exactly n bytes, so ASan sees any over-read */
		char *p = malloc(n ? n : 1);
		memcpy(p, kf, n);
		uint8_t pk[32];
		mc_err e = {0};
		mc_status st = mc_keyfile_public(p, n, pk, &e);
		ck_assert_msg(st == MC_ERR_KEY, "prefix %zu: status %d", n, st);
		ck_assert_int_eq(e.status, MC_ERR_KEY);
		ck_assert_int_ne(mc_keyfile_open(p, n, pass, strlen(pass), &back, NULL), MC_OK);
		free(p);
	}
	mc_free(kf);
	mc_keypair_wipe(&kp);
}
END_TEST

static void expect_kf(const char *text, mc_status want, const char *path)
{
	uint8_t pk[32];
	mc_err e = {0};
	mc_status st = mc_keyfile_public(text, strlen(text), pk, &e);
	ck_assert_msg(st == want, "status %d (want %d): %s at %s for %s", st, want, e.msg, e.path, text);
	if (path)
		ck_assert_msg(strcmp(e.path, path) == 0, "path %s, want %s", e.path, path);
}

START_TEST(keyfile_strict)
{
	mc_keypair kp;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	char *kf = seal_fast(&kp);
	/* duplicate keys, at the top and inside kdf */
	size_t len = strlen(kf);
	char *dup = malloc(len + 64);
	snprintf(dup, len + 64, "{\"alg\":\"Ed25519\",%s", kf + 1);
	expect_kf(dup, MC_ERR_KEY, NULL);
	uint8_t pk[32];
	mc_err e = {0};
	ck_assert_int_eq(mc_keyfile_public(dup, strlen(dup), pk, &e), MC_ERR_KEY);
	ck_assert_ptr_nonnull(strstr(e.msg, "duplicate"));
	const char *k = strstr(kf, "\"kdf\"");
	const char *brace = strchr(k, '{');
	snprintf(dup, len + 64, "%.*s\"salt\":\"z11\",%s", (int)(brace - kf + 1), kf, brace + 1);
	expect_kf(dup, MC_ERR_KEY, NULL);
	free(dup);

	char *t;
	/* unknown and missing fields */
	t = edit(kf, NULL, "comment", cJSON_CreateString("hi"));
	expect_kf(t, MC_ERR_KEY, "$.comment");
	mc_free(t);
	t = edit(kf, "kdf", "parallelism", cJSON_CreateNumber(1));
	expect_kf(t, MC_ERR_KEY, "$.kdf.parallelism");
	mc_free(t);
	static const char *const top[] = {"type", "alg", "publicKeyMultibase", "did", "kdf", "cipher", "nonce",
	                                  "ciphertext"};
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
		char path[64];
		snprintf(path, sizeof path, "$.%s", top[i]);
		t = edit(kf, NULL, top[i], NULL);
		expect_kf(t, MC_ERR_KEY, path);
		mc_free(t);
		t = edit(kf, NULL, top[i], cJSON_CreateTrue());
		expect_kf(t, MC_ERR_KEY, path);
		mc_free(t);
	}
	static const char *const kdfk[] = {"alg", "opslimit", "memlimit", "salt"};
	for (size_t i = 0; i < sizeof kdfk / sizeof kdfk[0]; i++) {
		char path[64];
		snprintf(path, sizeof path, "$.kdf.%s", kdfk[i]);
		t = edit(kf, "kdf", kdfk[i], NULL);
		expect_kf(t, MC_ERR_KEY, path);
		mc_free(t);
		t = edit(kf, "kdf", kdfk[i], cJSON_CreateArray());
		expect_kf(t, MC_ERR_KEY, path);
		mc_free(t);
	}
	/* versions and algorithms mcred does not know */
	t = edit(kf, NULL, "type", cJSON_CreateString("mcred-key-v2"));
	expect_kf(t, MC_ERR_UNSUPPORTED, "$.type");
	mc_free(t);
	t = edit(kf, NULL, "alg", cJSON_CreateString("secp256k1"));
	expect_kf(t, MC_ERR_UNSUPPORTED, "$.alg");
	mc_free(t);
	/* P-256 is known, but this file's key is Ed25519: a mismatch */
	t = edit(kf, NULL, "alg", cJSON_CreateString("P-256"));
	expect_kf(t, MC_ERR_KEY, "$.publicKeyMultibase");
	mc_free(t);
	t = edit(kf, NULL, "cipher", cJSON_CreateString("aes256gcm"));
	expect_kf(t, MC_ERR_UNSUPPORTED, "$.cipher");
	mc_free(t);
	t = edit(kf, "kdf", "alg", cJSON_CreateString("scrypt"));
	expect_kf(t, MC_ERR_UNSUPPORTED, "$.kdf.alg");
	mc_free(t);
	/* KDF cost out of the accepted range: a hostile file must not make us
	 * allocate gigabytes or spin for minutes */
	static const struct {
		const char *key;
		double v;
	} costs[] = {{"opslimit", 0},    {"opslimit", 21},         {"opslimit", 1.5}, {"opslimit", -1},
	             {"memlimit", 4096}, {"memlimit", 2147483648.0}, {"memlimit", 1e300}, {"memlimit", 8192.5}};
	for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++) {
		char path[64];
		snprintf(path, sizeof path, "$.kdf.%s", costs[i].key);
		t = edit(kf, "kdf", costs[i].key, cJSON_CreateNumber(costs[i].v));
		expect_kf(t, MC_ERR_KEY, path);
		mc_free(t);
	}
	/* binary fields of the wrong size or encoding */
	t = edit(kf, NULL, "nonce", cJSON_CreateString("z2g"));
	expect_kf(t, MC_ERR_KEY, "$.nonce");
	mc_free(t);
	t = edit(kf, "kdf", "salt", cJSON_CreateString("not multibase"));
	expect_kf(t, MC_ERR_KEY, "$.kdf.salt");
	mc_free(t);
	t = edit(kf, NULL, "ciphertext", cJSON_CreateString("z"));
	expect_kf(t, MC_ERR_KEY, "$.ciphertext");
	mc_free(t);
	t = edit(kf, NULL, "publicKeyMultibase", cJSON_CreateString("z6Mk"));
	expect_kf(t, MC_ERR_KEY, "$.publicKeyMultibase");
	mc_free(t);
	/* not an object, not JSON, trailing garbage */
	expect_kf("[]", MC_ERR_KEY, "$");
	expect_kf("\"mcred-key-v1\"", MC_ERR_KEY, "$");
	expect_kf("", MC_ERR_KEY, NULL);
	char *trail = malloc(len + 8);
	snprintf(trail, len + 8, "%s x", kf);
	expect_kf(trail, MC_ERR_KEY, NULL);
	free(trail);
	ck_assert_int_eq(mc_keyfile_public(NULL, 0, pk, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_keyfile_public(kf, len, NULL, NULL), MC_ERR_ARG);
	mc_free(kf);
	mc_keypair_wipe(&kp);
}
END_TEST

/* ---- suite ----------------------------------------------------------- */

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))


/* ---- P-256 ------------------------------------------------------------- */

static void p256_unhex(const char *hex, uint8_t *out, size_t n)
{
	ck_assert_uint_eq(strlen(hex), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* RFC 6979 A.2.5: P-256 key, and its SHA-256 signature of "sample". */
#define P256_D "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
#define P256_UX "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
#define P256_R "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
#define P256_S "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"
#define P256_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"

/* out = a - b (32-byte big-endian, a >= b). */
static void sub256(const uint8_t a[32], const uint8_t b[32], uint8_t out[32])
{
	int borrow = 0;
	for (int i = 31; i >= 0; i--) {
		int d = a[i] - b[i] - borrow;
		borrow = d < 0;
		out[i] = (uint8_t)(d + (borrow ? 256 : 0));
	}
}

START_TEST(p256_rfc6979_policy)
{
	uint8_t d[32], sig[64], n[32];
	p256_unhex(P256_D, d, 32);
	p256_unhex(P256_R, sig, 32);
	p256_unhex(P256_S, sig + 32, 32);
	p256_unhex(P256_N, n, 32);
	mc_p256_keypair kp;
	ck_assert_int_eq(mc_p256_keypair_from_secret(&kp, d, NULL), MC_OK);
	/* Uy ends in 0x99 (odd): compressed prefix 0x03 */
	char hex[67];
	tu_hex(kp.pk, 33, hex);
	ck_assert_str_eq(hex, "03" P256_UX);
	const uint8_t *msg = (const uint8_t *)"sample";
	/* the RFC's s is above n/2 (high S): accepted */
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, 6, sig), MC_OK);
	/* and its low-S twin n - s as well (the policy accepts both) */
	uint8_t low[64];
	memcpy(low, sig, 32);
	sub256(n, sig + 32, low + 32);
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, 6, low), MC_OK);
	/* every bit of the signature matters */
	for (int bit = 0; bit < 512; bit += 3) {
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(mc_p256_verify(kp.pk, msg, 6, sig) == MC_ERR_SIGNATURE, "bit %d", bit);
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	/* another message, r = 0, s = 0, s = n, r = n */
	ck_assert_int_eq(mc_p256_verify(kp.pk, (const uint8_t *)"samplf", 6, sig), MC_ERR_SIGNATURE);
	uint8_t bad[64];
	memcpy(bad, sig, 64);
	memset(bad, 0, 32);
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, 6, bad), MC_ERR_SIGNATURE);
	memcpy(bad, sig, 64);
	memset(bad + 32, 0, 32);
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, 6, bad), MC_ERR_SIGNATURE);
	memcpy(bad, sig, 64);
	memcpy(bad + 32, n, 32);
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, 6, bad), MC_ERR_SIGNATURE);
	memcpy(bad, n, 32);
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, 6, bad), MC_ERR_SIGNATURE);
	/* keys: wrong parity prefix, uncompressed prefix, x not on the curve */
	uint8_t pk[33];
	memcpy(pk, kp.pk, 33);
	pk[0] = 0x02;
	ck_assert_int_eq(mc_p256_verify(pk, msg, 6, sig), MC_ERR_SIGNATURE);
	pk[0] = 0x04;
	ck_assert_int_eq(mc_p256_verify(pk, msg, 6, sig), MC_ERR_SIGNATURE);
	memset(pk + 1, 0xff, 32);
	pk[0] = 0x02;
	ck_assert_int_eq(mc_p256_verify(pk, msg, 6, sig), MC_ERR_SIGNATURE);
	/* secrets out of range */
	memset(d, 0, 32);
	ck_assert_int_eq(mc_p256_keypair_from_secret(&kp, d, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_p256_keypair_from_secret(&kp, n, NULL), MC_ERR_KEY);
	mc_p256_keypair_wipe(&kp);
}
END_TEST

START_TEST(p256_sign_round_trip)
{
	mc_p256_keypair kp, other;
	ck_assert_int_eq(mc_p256_keypair_generate(&kp, NULL), MC_OK);
	ck_assert_int_eq(mc_p256_keypair_generate(&other, NULL), MC_OK);
	uint8_t sig[64], sig2[64];
	const uint8_t msg[64] = {1, 2, 3};
	ck_assert_int_eq(mc_p256_sign(&kp, msg, sizeof msg, sig), MC_OK);
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, sizeof msg, sig), MC_OK);
	ck_assert_int_eq(mc_p256_verify(other.pk, msg, sizeof msg, sig), MC_ERR_SIGNATURE);
	ck_assert_int_eq(mc_p256_sign(&kp, msg, sizeof msg, sig2), MC_OK);
	ck_assert(memcmp(sig, sig2, 64) != 0); /* random nonces */
	ck_assert_int_eq(mc_p256_verify(kp.pk, msg, sizeof msg, sig2), MC_OK);
	ck_assert_int_eq(mc_p256_sign(&kp, NULL, 0, sig), MC_OK);
	ck_assert_int_eq(mc_p256_verify(kp.pk, NULL, 0, sig), MC_OK);
	/* an incoherent pair is refused */
	mc_p256_keypair mixed = kp;
	memcpy(mixed.pk, other.pk, 33);
	ck_assert_int_eq(mc_p256_sign(&mixed, msg, sizeof msg, sig), MC_ERR_KEY);
	mc_p256_keypair_wipe(&kp);
	mc_p256_keypair_wipe(&other);
	mc_p256_keypair_wipe(&mixed);
}
END_TEST

START_TEST(p256_multikey_did)
{
	/* the key of the W3C VC 2.0 ecdsa-rdfc-2019 examples */
	const char *mk = "zDnaebSRtPnW6YCpxAhR5JPxJqt9UunCsBPhLEtUokUvp87nQ";
	mc_public_key pub;
	mc_err e = {0};
	ck_assert_int_eq(mc_multikey_decode_public(mk, &pub, &e), MC_OK);
	ck_assert_int_eq(pub.alg, MC_KEY_P256);
	char out[MC_MULTIKEY_MAX], did[MC_DID_KEY_MAX], vm[MC_VM_ID_MAX];
	ck_assert_int_eq(mc_public_key_multikey(&pub, out), MC_OK);
	ck_assert_str_eq(out, mk);
	ck_assert_int_eq(mc_public_key_did(&pub, did), MC_OK);
	ck_assert_str_eq(did, "did:key:zDnaebSRtPnW6YCpxAhR5JPxJqt9UunCsBPhLEtUokUvp87nQ");
	ck_assert_int_eq(mc_public_key_vm(&pub, vm), MC_OK);
	mc_public_key back;
	ck_assert_int_eq(mc_did_resolve_vm_public(vm, NULL, 0, &back, NULL), MC_OK);
	ck_assert(memcmp(&back, &pub, sizeof pub) == 0);
	ck_assert_int_eq(mc_did_resolve_vm_public(did, NULL, 0, &back, NULL), MC_OK);
	/* the Ed25519-only resolver refuses it */
	uint8_t pk[32];
	ck_assert_int_eq(mc_did_resolve_vm(vm, NULL, 0, pk, NULL), MC_ERR_KEY);
	/* a wrong fragment */
	char wrong[MC_VM_ID_MAX];
	snprintf(wrong, sizeof wrong, "%s#key-1", did);
	ck_assert_int_eq(mc_did_resolve_vm_public(wrong, NULL, 0, &back, NULL), MC_ERR_VALUE);
	char *doc = NULL;
	ck_assert_int_eq(mc_did_key_document(did, &doc, NULL), MC_OK);
	ck_assert(strstr(doc, mk) && strstr(doc, "assertionMethod"));
	mc_free(doc);
	/* Ed25519 keys still decode through the generic decoder */
	ck_assert_int_eq(mc_multikey_decode_public("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", &pub, NULL), MC_OK);
	ck_assert_int_eq(pub.alg, MC_KEY_ED25519);
	/* a 0x8024 key that is no point; X25519; too short */
	uint8_t raw[35] = {0x80, 0x24, 0x02};
	memset(raw + 3, 0xff, 32);
	char enc[80];
	ck_assert_int_eq(mc_multibase_encode(raw, sizeof raw, enc, sizeof enc), MC_OK);
	ck_assert_int_eq(mc_multikey_decode_public(enc, &pub, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_multikey_decode_public("z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F", &pub, NULL), MC_ERR_KEY);
	ck_assert_int_eq(mc_multibase_encode(raw, 34, enc, sizeof enc), MC_OK);
	ck_assert_int_eq(mc_multikey_decode_public(enc, &pub, NULL), MC_ERR_KEY);
}
END_TEST

START_TEST(p256_keyfile)
{
	mc_key k, back;
	memset(&k, 0, sizeof k);
	k.alg = MC_KEY_P256;
	ck_assert_int_eq(mc_p256_keypair_generate(&k.p256, NULL), MC_OK);
	char *kf = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_keyfile_seal_key(&k, pass, strlen(pass), MC_KEYFILE_FAST, &kf, &e), MC_OK);
	ck_assert(strstr(kf, "\"P-256\"") && strstr(kf, "did:key:zDn"));
	ck_assert_int_eq(mc_keyfile_open_key(kf, strlen(kf), pass, strlen(pass), &back, &e), MC_OK);
	ck_assert_int_eq(back.alg, MC_KEY_P256);
	ck_assert(memcmp(&back.p256, &k.p256, sizeof k.p256) == 0);
	mc_public_key pub;
	ck_assert_int_eq(mc_keyfile_public_key(kf, strlen(kf), &pub, NULL), MC_OK);
	ck_assert_int_eq(pub.alg, MC_KEY_P256);
	ck_assert(memcmp(pub.bytes, k.p256.pk, 33) == 0);
	/* wrong passphrase; the Ed25519-only API refuses the file */
	ck_assert_int_eq(mc_keyfile_open_key(kf, strlen(kf), "nope", 4, &back, NULL), MC_ERR_PASSPHRASE);
	mc_keypair ed;
	uint8_t pk[32];
	ck_assert_int_eq(mc_keyfile_open(kf, strlen(kf), pass, strlen(pass), &ed, NULL), MC_ERR_UNSUPPORTED);
	ck_assert_int_eq(mc_keyfile_public(kf, strlen(kf), pk, NULL), MC_ERR_UNSUPPORTED);
	/* the alg is bound: relabelling it as Ed25519 is refused */
	char *t = edit(kf, NULL, "alg", cJSON_CreateString("Ed25519"));
	ck_assert_int_eq(mc_keyfile_open_key(t, strlen(t), pass, strlen(pass), &back, NULL), MC_ERR_KEY);
	mc_free(t);
	/* an Ed25519 file opens through the generic API too */
	mc_key ek;
	memset(&ek, 0, sizeof ek);
	ek.alg = MC_KEY_ED25519;
	ck_assert_int_eq(mc_keypair_generate(&ek.ed25519, NULL), MC_OK);
	char *kf2 = seal_fast(&ek.ed25519);
	ck_assert(strstr(kf2, "\"Ed25519\""));
	ck_assert_int_eq(mc_keyfile_open_key(kf2, strlen(kf2), pass, strlen(pass), &back, NULL), MC_OK);
	ck_assert_int_eq(back.alg, MC_KEY_ED25519);
	ck_assert(memcmp(&back.ed25519, &ek.ed25519, sizeof ek.ed25519) == 0);
	/* sealing an incoherent P-256 pair is refused */
	k.p256.pk[5] ^= 1;
	char *kf3 = NULL;
	ck_assert_int_eq(mc_keyfile_seal_key(&k, pass, strlen(pass), MC_KEYFILE_FAST, &kf3, NULL), MC_ERR_KEY);
	mc_free(kf2);
	mc_free(kf);
	mc_key_wipe(&k);
	mc_key_wipe(&ek);
	mc_key_wipe(&back);
}
END_TEST

static Suite *crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = tcase_create("ed25519");
	tcase_add_loop_test(tc, ed25519_rfc8032, 0, N(rfc8032));
	tcase_add_loop_test(tc, ed25519_strict_policy, 0, N(strict_vecs));
	tcase_add_test(tc, ed25519_taming_case0);
	tcase_add_test(tc, ed25519_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("sha256");
	tcase_add_test(tc, sha256_known);
	tcase_add_test(tc, sha256_w3c);
	suite_add_tcase(s, tc);

	tc = tcase_create("multibase");
	tcase_add_loop_test(tc, multibase_vectors, 0, N(b58_vecs));
	tcase_add_test(tc, multibase_edges);
	tcase_add_test(tc, multibase_roundtrip);
	tcase_add_test(tc, multikey_codec);
	suite_add_tcase(s, tc);

	tc = tcase_create("w3c");
	tcase_add_test(tc, w3c_keypair_vector);
	tcase_add_loop_test(tc, w3c_signatures, 0, N(w3c_sig_dirs));
	suite_add_tcase(s, tc);

	tc = tcase_create("did");
	tcase_add_test(tc, did_key_ids);
	tcase_add_test(tc, did_key_document);
	tcase_add_test(tc, did_key_resolve);
	tcase_add_test(tc, did_web_document);
	suite_add_tcase(s, tc);

	tc = tcase_create("keyfile");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, keyfile_roundtrip);
	tcase_add_test(tc, keyfile_default_limits);
	tcase_add_test(tc, keyfile_passphrase);
	tcase_add_test(tc, keyfile_tamper);
	tcase_add_test(tc, keyfile_truncated);
	tcase_add_test(tc, keyfile_strict);
	suite_add_tcase(s, tc);
	tc = tcase_create("p256");
	tcase_add_test(tc, p256_rfc6979_policy);
	tcase_add_test(tc, p256_sign_round_trip);
	tcase_add_test(tc, p256_multikey_did);
	tcase_add_test(tc, p256_keyfile);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(crypto_suite)
