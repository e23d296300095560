/*
 * test_status.c - W3C Bitstring Status List v1.0: the bitstring and its
 * encodedList (spec vectors, round trips, a failing twin for each way a
 * list can be malformed), the status list credential, entries and checks.
 */
#include <zlib.h>

#include "mcred/status.h"
#include "testutil.h"

#define BSL "w3c-vc/bitstring-status-list/examples/"
#define SPEC_LIST "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

/* gzip (windowBits wb: 31 gzip, 15 zlib) of n bytes of `fill`, then
 * multibase base64url. Caller frees. */
static char *gz_b64(const uint8_t *data, size_t n, int wb)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, wb, 8, Z_DEFAULT_STRATEGY), Z_OK);
	uLong bound = deflateBound(&zs, n);
	uint8_t *gz = malloc(bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)n;
	zs.next_out = gz;
	zs.avail_out = (uInt)bound;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t gl = zs.total_out;
	deflateEnd(&zs);
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char *s = malloc(2 + gl * 4 / 3 + 4);
	size_t o = 0, acc = 0;
	unsigned bits = 0;
	s[o++] = 'u';
	for (size_t i = 0; i < gl; i++) {
		acc = (acc << 8) | gz[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			s[o++] = a[(acc >> bits) & 63];
		}
	}
	if (bits)
		s[o++] = a[(acc << (6 - bits)) & 63];
	s[o] = '\0';
	free(gz);
	return s;
}

static char *gz_zeros(size_t n, int wb)
{
	uint8_t *z = calloc(n ? n : 1, 1);
	char *s = gz_b64(z, n, wb);
	free(z);
	return s;
}

static mc_status dec(const char *s, mc_err *e)
{
	mc_statuslist *l = (mc_statuslist *)1;
	mc_status st = mc_statuslist_decode(s, strlen(s), &l, e);
	if (st != MC_OK)
		ck_assert_ptr_null(l);
	mc_statuslist_free(l);
	return st;
}

/* ---- bitstring ------------------------------------------------------- */

START_TEST(size_rules)
{
	mc_statuslist *l = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_statuslist_new(MC_STATUS_LIST_MIN_BITS - 8, &l, &e), MC_ERR_VALUE);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(e.path, "nbits");
	ck_assert_int_eq(mc_statuslist_new(MC_STATUS_LIST_MIN_BITS + 1, &l, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_statuslist_new((uint64_t)MC_STATUSLIST_MAX_BYTES * 8 + 8, &l, NULL), MC_ERR_TOO_LARGE);
	ck_assert_int_eq(mc_statuslist_new(0, &l, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_statuslist_new(MC_STATUS_LIST_MIN_BITS, &l, NULL), MC_OK);
	ck_assert_uint_eq(mc_statuslist_size(l), 131072);
	size_t n = 0;
	const uint8_t *b = mc_statuslist_bytes(l, &n);
	ck_assert_uint_eq(n, 16384);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(b[i], 0);
	mc_statuslist_free(l);
	uint8_t small[100] = {0};
	ck_assert_int_eq(mc_statuslist_from_bytes(small, sizeof small, &l, NULL), MC_ERR_VALUE);
	mc_statuslist_free(NULL);
}
END_TEST

START_TEST(set_get_bounds)
{
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(MC_STATUS_LIST_MIN_BITS, &l, NULL), MC_OK);
	int v = 7;
	ck_assert_int_eq(mc_statuslist_set(l, 0, 1, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 9, 1, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 131071, 1, NULL), MC_OK);
	const uint8_t *b = mc_statuslist_bytes(l, NULL);
	/* left-most bit is index 0 (spec 3.1; store.h order) */
	ck_assert_uint_eq(b[0], 0x80);
	ck_assert_uint_eq(b[1], 0x40);
	ck_assert_uint_eq(b[16383], 0x01);
	ck_assert_int_eq(mc_statuslist_get(l, 9, &v, NULL), MC_OK);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(mc_statuslist_get(l, 10, &v, NULL), MC_OK);
	ck_assert_int_eq(v, 0);
	mc_err e = {0};
	ck_assert_int_eq(mc_statuslist_set(l, 131072, 1, &e), MC_ERR_VALUE);
	ck_assert_str_eq(e.path, "index");
	v = 5;
	ck_assert_int_eq(mc_statuslist_get(l, 131072, &v, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(mc_statuslist_get(l, UINT64_MAX, &v, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_statuslist_set(l, 1, 2, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_statuslist_set(l, 9, 0, NULL), MC_OK);
	ck_assert_uint_eq(b[1], 0x00);
	mc_statuslist_free(l);
}
END_TEST

/* zlib's default level reproduces the spec's example exactly. */
START_TEST(encode_spec_golden)
{
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(131072, &l, NULL), MC_OK);
	char *enc = NULL;
	ck_assert_int_eq(mc_statuslist_encode(l, &enc, NULL), MC_OK);
	ck_assert_str_eq(enc, SPEC_LIST);
	mc_free(enc);
	mc_statuslist_free(l);
}
END_TEST

/* Every example file of the REC with an encodedList: 131,072 entries, none
 * set (the examples say index 94567 of list 3 is "revocation", not revoked). */
START_TEST(decode_spec_examples)
{
	const char *files[] = {BSL "example-03-example-bitstringstatuslistcredential.json",
	                       BSL "example-05-a-status-list-verifiable-credential.json",
	                       BSL "example-05-a-status-list-verifiable-credential.eddsa-rdfc-2022.json",
	                       BSL "example-05-a-status-list-verifiable-credential.ecdsa-rdfc-2019.json"};
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		size_t n;
		char *j = tu_vector(files[f], &n);
		mc_statuslist_info info;
		mc_statuslist *l = NULL;
		mc_err e = {0};
		ck_assert_msg(mc_statuslist_credential_parse(j, n, &info, &l, &e) == MC_OK, "%s: %s %s", files[f], e.path,
		              e.msg);
		ck_assert_str_eq(info.id, "https://example.com/credentials/status/3");
		ck_assert_str_eq(info.issuer, "did:example:12345");
		ck_assert_uint_eq(info.purposes, 1u << MC_PURPOSE_REVOCATION);
		ck_assert_int_eq(info.has_valid_from, 1);
		ck_assert_int_eq(info.valid_from, 1617632860); /* 2021-04-05T14:27:40Z */
		ck_assert_int_eq(info.has_valid_until, 0);
		ck_assert_uint_eq(mc_statuslist_size(l), 131072);
		size_t nb;
		const uint8_t *b = mc_statuslist_bytes(l, &nb);
		for (size_t i = 0; i < nb; i++)
			ck_assert_uint_eq(b[i], 0);
		int v = 1;
		ck_assert_int_eq(mc_statuslist_get(l, 94567, &v, NULL), MC_OK);
		ck_assert_int_eq(v, 0);
		mc_statuslist_info_clear(&info);
		mc_statuslist_free(l);
		free(j);
	}
}
END_TEST

/* Example 4 (a revocable credential) against example 5 (its list). */
START_TEST(check_spec_example)
{
	size_t n1, n2;
	char *list = tu_vector(BSL "example-05-a-status-list-verifiable-credential.json", &n1);
	char *cred = tu_vector(BSL "example-04-a-revocable-verifiable-credential.json", &n2);
	mc_status_lists *s = NULL;
	ck_assert_int_eq(mc_status_lists_new(&s, NULL), MC_OK);
	ck_assert_int_eq(mc_status_lists_add(s, list, n1, NULL, NULL), MC_OK);
	ck_assert_uint_eq(mc_status_lists_count(s), 1);
	mc_status_result r[4];
	size_t n = 9;
	mc_err e = {0};
	ck_assert_int_eq(mc_status_check(s, cred, n2, 1750000000, r, 4, &n, &e), MC_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(r[0].code, MC_OK);
	ck_assert_int_eq(r[0].purpose, MC_PURPOSE_REVOCATION);
	ck_assert_uint_eq(r[0].index, 94567);
	ck_assert_int_eq(r[0].set, 0);
	/* the same list twice is refused */
	ck_assert_int_eq(mc_status_lists_add(s, list, n1, NULL, &e), MC_ERR_VALUE);
	ck_assert_str_eq(e.path, "$.id");
	ck_assert_uint_eq(mc_status_lists_count(s), 1);
	free(cred);
	/* example 1: list 4 (suspension) is not available */
	cred = tu_vector(BSL "example-01-example-statuslistcredential-using-simple-entries.json", &n2);
	mc_err e2 = {0};
	ck_assert_int_eq(mc_status_check(s, cred, n2, 1750000000, r, 4, &n, &e2), MC_ERR_INVALID);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(r[0].code, MC_OK);
	ck_assert_int_eq(r[1].code, MC_ERR_MISSING);
	ck_assert_str_eq(r[1].detail.path, "$.credentialStatus[1].statusListCredential");
	ck_assert_str_eq(e2.path, "$.credentialStatus[1].statusListCredential");
	free(cred);
	free(list);
	mc_status_lists_free(s);
}
END_TEST

START_TEST(round_trip)
{
	const uint64_t sizes[] = {131072, 131080, 1048576};
	for (size_t k = 0; k < 3; k++) {
		mc_statuslist *l = NULL, *m = NULL;
		ck_assert_int_eq(mc_statuslist_new(sizes[k], &l, NULL), MC_OK);
		uint32_t x = 12345;
		for (int i = 0; i < 500; i++) {
			x = x * 1103515245u + 12345u;
			ck_assert_int_eq(mc_statuslist_set(l, x % sizes[k], 1, NULL), MC_OK);
		}
		ck_assert_int_eq(mc_statuslist_set(l, 0, 1, NULL), MC_OK);
		ck_assert_int_eq(mc_statuslist_set(l, sizes[k] - 1, 1, NULL), MC_OK);
		char *enc = NULL;
		ck_assert_int_eq(mc_statuslist_encode(l, &enc, NULL), MC_OK);
		ck_assert_int_eq(enc[0], 'u');
		ck_assert_ptr_null(strchr(enc, '='));
		ck_assert_int_eq(mc_statuslist_decode(enc, strlen(enc), &m, NULL), MC_OK);
		size_t a, b;
		const uint8_t *pa = mc_statuslist_bytes(l, &a), *pb = mc_statuslist_bytes(m, &b);
		ck_assert_uint_eq(a, b);
		ck_assert_int_eq(memcmp(pa, pb, a), 0);
		/* and through from_bytes (the store's blob) */
		mc_statuslist *c = NULL;
		ck_assert_int_eq(mc_statuslist_from_bytes(pa, a, &c, NULL), MC_OK);
		char *enc2 = NULL;
		ck_assert_int_eq(mc_statuslist_encode(c, &enc2, NULL), MC_OK);
		ck_assert_str_eq(enc, enc2);
		mc_free(enc2);
		mc_free(enc);
		mc_statuslist_free(l);
		mc_statuslist_free(m);
		mc_statuslist_free(c);
	}
}
END_TEST

/* ---- failing twins of the encodedList -------------------------------- */

START_TEST(decode_bad_prefix)
{
	mc_err e = {0};
	ck_assert_int_eq(dec("", &e), MC_ERR_VALUE);
	ck_assert_str_eq(e.path, "encoded");
	char s[sizeof SPEC_LIST];
	const char prefixes[] = {'z', 'U', 'm', 'M', 'f', 'b', '\0'};
	for (size_t k = 0; k < sizeof prefixes; k++) {
		memcpy(s, SPEC_LIST, sizeof SPEC_LIST);
		s[0] = prefixes[k]; /* base58btc, base64url+pad, base64, ..., none */
		ck_assert_int_eq(mc_statuslist_decode(s, sizeof SPEC_LIST - 1, &(mc_statuslist *){NULL}, NULL), MC_ERR_VALUE);
	}
	ck_assert_int_eq(dec(SPEC_LIST + 1, NULL), MC_ERR_VALUE); /* no prefix */
	ck_assert_int_eq(dec(SPEC_LIST, NULL), MC_OK);
}
END_TEST

START_TEST(decode_bad_base64)
{
	char s[sizeof SPEC_LIST + 4];
	const char bad[] = {'+', '/', '=', ' ', '\n', '.', '\x80'};
	for (size_t k = 0; k < sizeof bad; k++) {
		memcpy(s, SPEC_LIST, sizeof SPEC_LIST);
		s[10] = bad[k];
		mc_err e = {0};
		ck_assert_int_eq(dec(s, &e), MC_ERR_VALUE);
		ck_assert_ptr_nonnull(strstr(e.msg, "character 10"));
	}
	/* padding at the end */
	snprintf(s, sizeof s, "%s==", SPEC_LIST);
	ck_assert_int_eq(dec(s, NULL), MC_ERR_VALUE);
	/* non-zero trailing bits: "AB" is one byte plus four bits 0001 */
	mc_err e = {0};
	ck_assert_int_eq(dec("uAB", &e), MC_ERR_VALUE);
	ck_assert_ptr_nonnull(strstr(e.msg, "trailing bits"));
	mc_err e2 = {0};
	ck_assert_int_eq(dec("uAA", &e2), MC_ERR_VALUE); /* the same with zero bits: gzip's turn */
	ck_assert_ptr_null(strstr(e2.msg, "trailing bits"));
	/* a length of 1 mod 4 cannot be base64 */
	ck_assert_int_eq(dec("uAAAAA", NULL), MC_ERR_VALUE);
}
END_TEST

/* Every proper prefix of a valid encodedList fails (Mbed TLS
 * parse_prefixes), and so does every single-character change. */
START_TEST(decode_truncated_and_flipped)
{
	char *enc = NULL;
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(131072, &l, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 4242, 1, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_encode(l, &enc, NULL), MC_OK);
	size_t n = strlen(enc);
	for (size_t k = 0; k < n; k++) {
		mc_statuslist *m = (mc_statuslist *)1;
		ck_assert_msg(mc_statuslist_decode(enc, k, &m, NULL) != MC_OK, "prefix %zu accepted", k);
		ck_assert_ptr_null(m);
	}
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t accepted_same = 0;
	for (size_t k = 1; k < n; k++) {
		char orig = enc[k];
		/* change the character to its neighbour in the alphabet */
		const char *p = strchr(a, orig);
		enc[k] = a[(p - a + 1) % 64];
		mc_statuslist *m = NULL;
		mc_status st = mc_statuslist_decode(enc, n, &m, NULL);
		/* header bytes zlib ignores (mtime, xfl, os) and the padding bits
		 * after the final deflate block may change and still decode: then
		 * the list must be the same (the CRC-32 and ISIZE hold) */
		if (st == MC_OK) {
			ck_assert_int_eq(memcmp(mc_statuslist_bytes(m, NULL), mc_statuslist_bytes(l, NULL), 16384), 0);
			accepted_same++;
		}
		mc_statuslist_free(m);
		enc[k] = orig;
	}
	ck_assert_uint_le(accepted_same, 10);
	mc_free(enc);
	mc_statuslist_free(l);
}
END_TEST

START_TEST(decode_not_gzip)
{
	/* a zlib (RFC 1950) stream, not gzip */
	char *s = gz_zeros(16384, 15);
	mc_err e = {0};
	ck_assert_int_eq(dec(s, &e), MC_ERR_VALUE);
	ck_assert_ptr_nonnull(strstr(e.msg, "gzip"));
	free(s);
	/* raw bytes, base64url of a list without compression */
	s = gz_zeros(16384, -15);
	ck_assert_int_eq(dec(s, NULL), MC_ERR_VALUE);
	free(s);
	/* empty */
	ck_assert_int_eq(dec("u", NULL), MC_ERR_VALUE);
}
END_TEST

START_TEST(decode_trailing_member)
{
	/* two gzip members back to back: the second is not read, so refused */
	uint8_t *z = calloc(16384, 1);
	z_stream zs;
	uint8_t gz[2][256];
	size_t gl[2];
	for (int k = 0; k < 2; k++) {
		memset(&zs, 0, sizeof zs);
		ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
		zs.next_in = z;
		zs.avail_in = 16384;
		zs.next_out = gz[k];
		zs.avail_out = sizeof gz[k];
		ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
		gl[k] = zs.total_out;
		deflateEnd(&zs);
	}
	uint8_t both[512];
	memcpy(both, gz[0], gl[0]);
	memcpy(both + gl[0], gz[1], gl[1]);
	/* encode by hand through gz_b64's alphabet: reuse it on raw bytes by
	 * gzip'ing nothing is not possible, so build base64url here */
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char s[1024];
	size_t o = 0, acc = 0, n = gl[0] + gl[1];
	unsigned bits = 0;
	s[o++] = 'u';
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | both[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			s[o++] = a[(acc >> bits) & 63];
		}
	}
	if (bits)
		s[o++] = a[(acc << (6 - bits)) & 63];
	s[o] = '\0';
	mc_err e = {0};
	ck_assert_int_eq(dec(s, &e), MC_ERR_VALUE);
	ck_assert_ptr_nonnull(strstr(e.msg, "follow"));
	free(z);
}
END_TEST

START_TEST(decode_sizes)
{
	mc_err e = {0};
	/* too small: one byte short of the 16 KiB minimum */
	char *s = gz_zeros(16383, 31);
	ck_assert_int_eq(dec(s, &e), MC_ERR_VALUE);
	ck_assert_ptr_nonnull(strstr(e.msg, "131072"));
	free(s);
	s = gz_zeros(0, 31);
	ck_assert_int_eq(dec(s, NULL), MC_ERR_VALUE);
	free(s);
	/* an odd byte count is still a whole number of bits: accepted */
	s = gz_zeros(16385, 31);
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_decode(s, strlen(s), &l, NULL), MC_OK);
	ck_assert_uint_eq(mc_statuslist_size(l), 131080);
	mc_statuslist_free(l);
	free(s);
	/* exactly the ceiling is accepted */
	s = gz_zeros(MC_STATUSLIST_MAX_BYTES, 31);
	ck_assert_int_eq(mc_statuslist_decode(s, strlen(s), &l, NULL), MC_OK);
	ck_assert_uint_eq(mc_statuslist_size(l), (uint64_t)MC_STATUSLIST_MAX_BYTES * 8);
	mc_statuslist_free(l);
	free(s);
}
END_TEST

/* A decompression bomb: ~64 KB of base64 claiming 64 MiB. */
START_TEST(decode_bomb)
{
	char *s = gz_zeros(64u * 1024 * 1024, 31);
	ck_assert_uint_lt(strlen(s), 100000);
	mc_err e = {0};
	ck_assert_int_eq(dec(s, &e), MC_ERR_TOO_LARGE);
	ck_assert_str_eq(e.path, "encoded");
	free(s);
	/* one byte over the ceiling */
	s = gz_zeros(MC_STATUSLIST_MAX_BYTES + 1, 31);
	ck_assert_int_eq(dec(s, NULL), MC_ERR_TOO_LARGE);
	free(s);
	/* an over-long encodedList is refused before decoding */
	size_t n = MC_STATUSLIST_ENCODED_MAX + 1;
	char *big = malloc(n + 1);
	memset(big, 'A', n);
	big[0] = 'u';
	big[n] = '\0';
	ck_assert_int_eq(dec(big, NULL), MC_ERR_TOO_LARGE);
	free(big);
}
END_TEST

/* ---- status list credential ------------------------------------------ */

static char *make_list_cred(const mc_statuslist *l, const char *id, const char *issuer, mc_status_purpose p,
                            const char *from, const char *until, uint64_t ttl)
{
	mc_statuslist_cred_opts o = {
	    .id = id, .issuer = issuer, .purpose = p, .valid_from = from, .valid_until = until, .ttl_ms = ttl};
	char *out = NULL;
	mc_err e = {0};
	ck_assert_msg(mc_statuslist_credential(l, &o, &out, &e) == MC_OK, "%s %s", e.path, e.msg);
	return out;
}

START_TEST(credential_build_parse)
{
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(131072, &l, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 77, 1, NULL), MC_OK);
	char *j = make_list_cred(l, "https://uni.example/status/1", "did:web:uni.example", MC_PURPOSE_SUSPENSION,
	                         "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 300000);
	ck_assert_ptr_nonnull(strstr(j, "\"BitstringStatusListCredential\""));
	ck_assert_ptr_nonnull(strstr(j, "\"https://uni.example/status/1#list\""));
	ck_assert_ptr_nonnull(strstr(j, "300000"));
	mc_statuslist_info info;
	mc_statuslist *m = NULL;
	mc_err e = {0};
	ck_assert_msg(mc_statuslist_credential_parse(j, strlen(j), &info, &m, &e) == MC_OK, "%s %s", e.path, e.msg);
	ck_assert_str_eq(info.id, "https://uni.example/status/1");
	ck_assert_str_eq(info.issuer, "did:web:uni.example");
	ck_assert_uint_eq(info.purposes, 1u << MC_PURPOSE_SUSPENSION);
	ck_assert_int_eq(info.valid_from, 1735689600);
	ck_assert_int_eq(info.has_valid_until, 1);
	ck_assert_int_eq(info.valid_until, 1767225600);
	ck_assert_uint_eq(info.ttl_ms, 300000);
	int v = 0;
	ck_assert_int_eq(mc_statuslist_get(m, 77, &v, NULL), MC_OK);
	ck_assert_int_eq(v, 1);
	mc_statuslist_info_clear(&info);
	mc_statuslist_free(m);
	mc_free(j);
	/* defaults: validFrom now, no validUntil, no ttl */
	j = make_list_cred(l, "https://uni.example/status/2", "did:web:uni.example", MC_PURPOSE_REVOCATION, NULL, NULL,
	                   0);
	ck_assert_ptr_null(strstr(j, "validUntil"));
	ck_assert_ptr_null(strstr(j, "ttl"));
	ck_assert_int_eq(mc_statuslist_credential_parse(j, strlen(j), &info, NULL, NULL), MC_OK);
	ck_assert_int_eq(info.has_valid_from, 1);
	mc_statuslist_info_clear(&info);
	mc_free(j);
	/* bad options */
	mc_statuslist_cred_opts o = {.id = "https://x/1", .issuer = "did:x", .valid_from = "2025-01-01"};
	char *out = NULL;
	ck_assert_int_eq(mc_statuslist_credential(l, &o, &out, &e), MC_ERR_VALUE);
	o.valid_from = "2025-01-01T00:00:00Z";
	o.valid_until = "2024-01-01T00:00:00Z";
	ck_assert_int_eq(mc_statuslist_credential(l, &o, &out, NULL), MC_ERR_VALUE);
	o.valid_until = NULL;
	o.issuer = "";
	ck_assert_int_eq(mc_statuslist_credential(l, &o, &out, NULL), MC_ERR_ARG);
	o.issuer = "did:x";
	o.purpose = (mc_status_purpose)7;
	ck_assert_int_eq(mc_statuslist_credential(l, &o, &out, NULL), MC_ERR_ARG);
	ck_assert_ptr_null(out);
	mc_statuslist_free(l);
}
END_TEST

/* Each mutation of a valid list credential, with the status and path. */
static const struct {
	const char *from, *to;
	mc_status st;
	const char *path;
} mutations[] = {
    {"\"BitstringStatusListCredential\"", "\"StatusList2021Credential\"", MC_ERR_VALUE, "$.type"},
    {"\"BitstringStatusList\"", "\"StatusList2021\"", MC_ERR_VALUE, "$.credentialSubject.type"},
    {"\"statusPurpose\": \"revocation\"", "\"statusPurpose\": \"message\"", MC_ERR_UNSUPPORTED,
     "$.credentialSubject.statusPurpose"},
    {"\"statusPurpose\": \"revocation\"", "\"statusPurpose\": [\"suspension\", 3]", MC_ERR_TYPE,
     "$.credentialSubject.statusPurpose[1]"},
    {"\"statusPurpose\": \"revocation\"", "\"statusPurpose\": []", MC_ERR_TYPE, "$.credentialSubject.statusPurpose"},
    {"\"encodedList\": \"u", "\"encodedList\": \"z", MC_ERR_VALUE, "$.credentialSubject.encodedList"},
    {"\"encodedList\": \"uH4sI", "\"encodedList\": \"uH4sJ", MC_ERR_VALUE, "$.credentialSubject.encodedList"},
    {"\"encodedList\"", "\"encodedLis\"", MC_ERR_MISSING, "$.credentialSubject.encodedList"},
    {"\"validFrom\": \"2021-04-05T14:27:40Z\"", "\"validFrom\": \"2021-04-05\"", MC_ERR_VALUE, "$.validFrom"},
    {"\"validFrom\": \"2021-04-05T14:27:40Z\"",
     "\"validFrom\": \"2021-04-05T14:27:40Z\", \"validUntil\": \"2021-04-05T14:27:40Z\"", MC_ERR_VALUE,
     "$.validUntil"},
    {"\"issuer\": \"did:example:12345\"", "\"issuer\": 5", MC_ERR_TYPE, "$.issuer"},
    {"\"issuer\": \"did:example:12345\"", "\"issuer\": {\"name\": \"x\"}", MC_ERR_MISSING, "$.issuer.id"},
    {"\"id\": \"https://example.com/credentials/status/3\",", "", MC_ERR_MISSING, "$.id"},
    {"\"https://www.w3.org/ns/credentials/v2\"", "\"https://www.w3.org/2018/credentials/v1\"", MC_ERR_VALUE,
     "$[\"@context\"]"},
    {"\"credentialSubject\": {", "\"credentialSubject\": [{", MC_ERR_JSON_SYNTAX, NULL},
    {"\"encodedList\"", "\"ttl\": -1, \"encodedList\"", MC_ERR_VALUE, "$.credentialSubject.ttl"},
    {"\"encodedList\"", "\"ttl\": 1.5, \"encodedList\"", MC_ERR_VALUE, "$.credentialSubject.ttl"},
    {"\"type\": [\"VerifiableCredential\", \"BitstringStatusListCredential\"]",
     "\"type\": \"BitstringStatusListCredential\"", MC_ERR_TYPE, "$.type"},
};

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	ck_assert_msg(p != NULL, "mutation source %s not found", from);
	size_t a = (size_t)(p - s), fl = strlen(from), tl = strlen(to);
	char *r = malloc(strlen(s) - fl + tl + 1);
	memcpy(r, s, a);
	memcpy(r + a, to, tl);
	strcpy(r + a + tl, p + fl);
	return r;
}

START_TEST(credential_parse_twins)
{
	size_t n;
	char *j = tu_vector(BSL "example-03-example-bitstringstatuslistcredential.json", &n);
	ck_assert_int_eq(mc_statuslist_credential_parse(j, n, NULL, NULL, NULL), MC_OK);
	for (size_t k = 0; k < sizeof mutations / sizeof *mutations; k++) {
		char *m = replace(j, mutations[k].from, mutations[k].to);
		mc_statuslist_info info;
		mc_statuslist *l = (mc_statuslist *)1;
		mc_err e = {0};
		mc_status st = mc_statuslist_credential_parse(m, strlen(m), &info, &l, &e);
		ck_assert_msg(st == mutations[k].st, "mutation %zu: %d (%s %s)", k, st, e.path, e.msg);
		if (mutations[k].path)
			ck_assert_msg(strcmp(e.path, mutations[k].path) == 0, "mutation %zu: path %s", k, e.path);
		ck_assert_ptr_null(l);
		ck_assert_ptr_null(info.id);
		free(m);
	}
	/* every prefix of the document fails */
	size_t last = n;
	while (last && j[last - 1] != '}')
		last--;
	for (size_t k = 0; k + 1 < last; k += 7)
		ck_assert_int_ne(mc_statuslist_credential_parse(j, k, NULL, NULL, NULL), MC_OK);
	/* purpose array sharing one list */
	char *m = replace(j, "\"statusPurpose\": \"revocation\"", "\"statusPurpose\": [\"revocation\", \"suspension\"]");
	mc_statuslist_info info;
	ck_assert_int_eq(mc_statuslist_credential_parse(m, strlen(m), &info, NULL, NULL), MC_OK);
	ck_assert_uint_eq(info.purposes, 3u);
	mc_statuslist_info_clear(&info);
	free(m);
	free(j);
}
END_TEST

/* ---- entries and checks ---------------------------------------------- */

START_TEST(entry_build)
{
	char *out = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_status_entry("https://example.com/credentials/status/3", MC_PURPOSE_REVOCATION, 94567, &out, &e),
	                 MC_OK);
	ck_assert_str_eq(out, "{\"id\":\"https://example.com/credentials/status/3#94567\",\"type\":"
	                      "\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":"
	                      "\"94567\",\"statusListCredential\":\"https://example.com/credentials/status/3\"}");
	mc_free(out);
	ck_assert_int_eq(mc_status_entry("", MC_PURPOSE_REVOCATION, 1, &out, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_status_entry("https://x", (mc_status_purpose)9, 1, &out, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_status_entry("https://x", MC_PURPOSE_SUSPENSION, UINT64_MAX, &out, NULL), MC_ERR_VALUE);
	ck_assert_ptr_null(out);
}
END_TEST

/* A credential whose credentialStatus is `status` (JSON text). */
static char *cred_with(const char *status)
{
	char *c = malloc(strlen(status) + 512);
	sprintf(c,
	        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
	        "\"issuer\":\"did:web:uni.example\",\"credentialSubject\":{\"id\":\"did:example:1\"},"
	        "\"credentialStatus\":%s}",
	        status);
	return c;
}

#define NOW 1750000000 /* 2025-06-15 */
#define REV "https://uni.example/status/rev"
#define SUS "https://uni.example/status/sus"
#define OLD "https://uni.example/status/old"
#define NEW "https://uni.example/status/new"

static mc_status_lists *lists_fixture(void)
{
	mc_status_lists *s = NULL;
	ck_assert_int_eq(mc_status_lists_new(&s, NULL), MC_OK);
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(131072, &l, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 1000, 1, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 131071, 1, NULL), MC_OK);
	struct {
		const char *id;
		mc_status_purpose p;
		const char *from, *until;
	} ls[] = {{REV, MC_PURPOSE_REVOCATION, "2025-01-01T00:00:00Z", NULL},
	          {SUS, MC_PURPOSE_SUSPENSION, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"},
	          {OLD, MC_PURPOSE_REVOCATION, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"},
	          {NEW, MC_PURPOSE_REVOCATION, "2030-01-01T00:00:00Z", NULL}};
	for (size_t i = 0; i < 4; i++) {
		char *j = make_list_cred(l, ls[i].id, "did:web:uni.example", ls[i].p, ls[i].from, ls[i].until, 0);
		mc_err e = {0};
		ck_assert_msg(mc_status_lists_add(s, j, strlen(j), NULL, &e) == MC_OK, "%s %s", e.path, e.msg);
		mc_free(j);
	}
	mc_statuslist_free(l);
	return s;
}

static mc_status check1(mc_status_lists *s, const char *status, mc_status_result *r, size_t *n, mc_err *e)
{
	char *c = cred_with(status);
	mc_status st = mc_status_check(s, c, strlen(c), NOW, r, 8, n, e);
	free(c);
	return st;
}

static char *entry(const char *list, mc_status_purpose p, uint64_t i)
{
	char *out = NULL;
	ck_assert_int_eq(mc_status_entry(list, p, i, &out, NULL), MC_OK);
	return out;
}

START_TEST(check_array_revoked_suspended)
{
	mc_status_lists *s = lists_fixture();
	char *a = entry(REV, MC_PURPOSE_REVOCATION, 1000);
	char *b = entry(SUS, MC_PURPOSE_SUSPENSION, 1001);
	char *c = entry(SUS, MC_PURPOSE_SUSPENSION, 131071);
	char arr[2048];
	snprintf(arr, sizeof arr, "[%s,%s,%s]", a, b, c);
	mc_status_result r[8];
	size_t n = 0;
	mc_err e = {0};
	ck_assert_int_eq(check1(s, arr, r, &n, &e), MC_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(r[0].purpose, MC_PURPOSE_REVOCATION);
	ck_assert_int_eq(r[0].set, 1); /* revoked */
	ck_assert_int_eq(r[1].purpose, MC_PURPOSE_SUSPENSION);
	ck_assert_int_eq(r[1].set, 0); /* not suspended */
	ck_assert_int_eq(r[2].set, 1); /* suspended, last index */
	ck_assert_uint_eq(r[2].index, 131071);
	ck_assert_int_eq(e.status, MC_OK);
	/* a single object works too */
	ck_assert_int_eq(check1(s, b, r, &n, NULL), MC_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(r[0].set, 0);
	/* capacity too small */
	char *cr = cred_with(arr);
	ck_assert_int_eq(mc_status_check(s, cr, strlen(cr), NOW, r, 2, &n, NULL), MC_ERR_TOO_LARGE);
	free(cr);
	free(a);
	free(b);
	free(c);
	mc_status_lists_free(s);
}
END_TEST

START_TEST(check_errors)
{
	mc_status_lists *s = lists_fixture();
	static const struct {
		const char *status;
		mc_status code;
		const char *path;
	} cases[] = {
	    /* out of range */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"131072\","
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_VALUE, "$.credentialStatus.statusListIndex"},
	    /* purpose mismatch */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"suspension\",\"statusListIndex\":\"1\","
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_VALUE, "$.credentialStatus.statusPurpose"},
	    /* expired list */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1\","
	     "\"statusListCredential\":\"" OLD "\"}",
	     MC_ERR_INVALID, "$.credentialStatus.statusListCredential"},
	    /* list not yet valid */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1\","
	     "\"statusListCredential\":\"" NEW "\"}",
	     MC_ERR_INVALID, "$.credentialStatus.statusListCredential"},
	    /* missing list */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1\","
	     "\"statusListCredential\":\"https://elsewhere/1\"}",
	     MC_ERR_MISSING, "$.credentialStatus.statusListCredential"},
	    /* index as a number, with a leading zero, negative, huge */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":1,"
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_TYPE, "$.credentialStatus.statusListIndex"},
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"01\","
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_VALUE, "$.credentialStatus.statusListIndex"},
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"-1\","
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_VALUE, "$.credentialStatus.statusListIndex"},
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\","
	     "\"statusListIndex\":\"99999999999999999999\",\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_VALUE, "$.credentialStatus.statusListIndex"},
	    /* unsupported */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"1\","
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_UNSUPPORTED, "$.credentialStatus.statusPurpose"},
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1\","
	     "\"statusSize\":2,\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_UNSUPPORTED, "$.credentialStatus.statusSize"},
	    {"{\"type\":\"StatusList2021Entry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1\","
	     "\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_UNSUPPORTED, "$.credentialStatus.type"},
	    /* malformed */
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusListIndex\":\"1\",\"statusListCredential\":\"" REV "\"}",
	     MC_ERR_MISSING, "$.credentialStatus.statusPurpose"},
	    {"{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1\"}",
	     MC_ERR_MISSING, "$.credentialStatus.statusListCredential"},
	    {"\"https://uni.example/status/rev#1\"", MC_ERR_TYPE, "$.credentialStatus"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		mc_status_result r[8];
		size_t n = 0;
		mc_err e = {0};
		ck_assert_msg(check1(s, cases[k].status, r, &n, &e) == MC_ERR_INVALID, "case %zu", k);
		ck_assert_uint_eq(n, 1);
		ck_assert_msg(r[0].code == cases[k].code, "case %zu: code %d (%s)", k, r[0].code, r[0].detail.msg);
		ck_assert_msg(strcmp(r[0].detail.path, cases[k].path) == 0, "case %zu: path %s", k, r[0].detail.path);
		ck_assert_str_eq(e.path, cases[k].path);
		ck_assert_int_eq(r[0].set, 0);
	}
	/* one good and one bad entry: the good one is still read */
	char *a = entry(REV, MC_PURPOSE_REVOCATION, 1000);
	char arr[1024];
	snprintf(arr, sizeof arr, "[%s,%s]", a, cases[1].status);
	mc_status_result r[8];
	size_t n = 0;
	mc_err e = {0};
	ck_assert_int_eq(check1(s, arr, r, &n, &e), MC_ERR_INVALID);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(r[0].code, MC_OK);
	ck_assert_int_eq(r[0].set, 1);
	ck_assert_int_eq(r[1].code, MC_ERR_VALUE);
	ck_assert_str_eq(e.path, "$.credentialStatus[1].statusPurpose");
	free(a);
	/* no credentialStatus, empty array, not JSON */
	const char *plain = "{\"type\":[\"VerifiableCredential\"]}";
	ck_assert_int_eq(mc_status_check(s, plain, strlen(plain), NOW, r, 8, &n, NULL), MC_ERR_MISSING);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(check1(s, "[]", r, &n, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_status_check(s, "{", 1, NOW, r, 8, &n, NULL), MC_ERR_JSON_SYNTAX);
	/* more entries than MC_STATUS_MAX_ENTRIES */
	char *many = malloc(64 * 200);
	size_t o = 0;
	many[o++] = '[';
	for (unsigned i = 0; i <= MC_STATUS_MAX_ENTRIES; i++)
		o += (size_t)sprintf(many + o, "%s%s", i ? "," : "", cases[0].status);
	many[o++] = ']';
	many[o] = '\0';
	char *cr = cred_with(many);
	mc_status_result big[64];
	ck_assert_int_eq(mc_status_check(s, cr, strlen(cr), NOW, big, 64, &n, NULL), MC_ERR_TOO_LARGE);
	free(cr);
	free(many);
	mc_status_lists_free(s);
}
END_TEST

/* Sign the list credential and let mc_status_lists_add verify it. */
START_TEST(lists_add_verified)
{
	mc_keypair kp;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	char did[MC_DID_KEY_MAX];
	ck_assert_int_eq(mc_did_key_from_pk(kp.pk, did), MC_OK);
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(131072, &l, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 5, 1, NULL), MC_OK);
	char *j = make_list_cred(l, "https://uni.example/status/9", did, MC_PURPOSE_REVOCATION, "2025-01-01T00:00:00Z",
	                         "2025-02-01T00:00:00Z", 0);
	const char *suites[] = {MC_SUITE_EDDSA_JCS, MC_SUITE_EDDSA_RDFC};
	for (size_t k = 0; k < 2; k++) {
		mc_proof_opts po = {.cryptosuite = suites[k]};
		char *signed_ = NULL;
		mc_err e = {0};
		ck_assert_msg(mc_proof_add(j, strlen(j), &kp, &po, &signed_, &e) == MC_OK, "%s %s", e.path, e.msg);
		mc_status_lists *s = NULL;
		ck_assert_int_eq(mc_status_lists_new(&s, NULL), MC_OK);
		/* expired by now (dates are the check's business), not a
		 * micro-credential: both ignored; the proof must hold */
		mc_verify_opts vo = {0};
		ck_assert_msg(mc_status_lists_add(s, signed_, strlen(signed_), &vo, &e) == MC_OK, "%s: %s %s", suites[k],
		              e.path, e.msg);
		/* tampered: the list changed after signing */
		mc_statuslist *t = NULL;
		ck_assert_int_eq(mc_statuslist_new(131072, &t, NULL), MC_OK);
		char *enc_t = NULL, *enc_l = NULL;
		ck_assert_int_eq(mc_statuslist_encode(t, &enc_t, NULL), MC_OK);
		ck_assert_int_eq(mc_statuslist_encode(l, &enc_l, NULL), MC_OK);
		char *bad = replace(signed_, enc_l, enc_t);
		mc_status_lists *s2 = NULL;
		ck_assert_int_eq(mc_status_lists_new(&s2, NULL), MC_OK);
		mc_err e2 = {0};
		ck_assert_int_eq(mc_status_lists_add(s2, bad, strlen(bad), &vo, &e2), MC_ERR_INVALID);
		ck_assert_msg(strstr(e2.msg, "signature") != NULL, "%s", e2.msg);
		ck_assert_uint_eq(mc_status_lists_count(s2), 0);
		/* the same, trusted without verification, is accepted */
		ck_assert_int_eq(mc_status_lists_add(s2, bad, strlen(bad), NULL, NULL), MC_OK);
		ck_assert_uint_eq(mc_status_lists_count(s2), 1);
		mc_status_lists_free(s2);
		free(bad);
		mc_free(enc_t);
		mc_free(enc_l);
		mc_statuslist_free(t);
		mc_free(signed_);
		mc_status_lists_free(s);
	}
	mc_free(j);
	mc_statuslist_free(l);
	mc_keypair_wipe(&kp);
}
END_TEST

/* mc_verify reads credentialStatus against supplied lists: revoked and
 * suspended fail, clear passes, no list supplied or list missing warns. */
START_TEST(verify_uses_status_lists)
{
	mc_keypair kp;
	ck_assert_int_eq(mc_keypair_generate(&kp, NULL), MC_OK);
	char did[MC_DID_KEY_MAX];
	ck_assert_int_eq(mc_did_key_from_pk(kp.pk, did), MC_OK);
	mc_statuslist *l = NULL;
	ck_assert_int_eq(mc_statuslist_new(131072, &l, NULL), MC_OK);
	ck_assert_int_eq(mc_statuslist_set(l, 7, 1, NULL), MC_OK);
	char *list = make_list_cred(l, "https://uni.example/status/1", did, MC_PURPOSE_REVOCATION, "2025-01-01T00:00:00Z",
	                            NULL, 0);
	mc_status_lists *lists = NULL;
	ck_assert_int_eq(mc_status_lists_new(&lists, NULL), MC_OK);
	ck_assert_int_eq(mc_status_lists_add(lists, list, strlen(list), NULL, NULL), MC_OK);
	static const struct {
		unsigned index;
		const char *list;
		mc_result want;
	} cases[] = {
		{7, "https://uni.example/status/1", MC_FAIL},   /* revoked */
		{8, "https://uni.example/status/1", MC_PASS},   /* clear */
		{9, "https://uni.example/status/404", MC_WARN}, /* list not supplied */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *entry = NULL;
		ck_assert_int_eq(mc_status_entry(cases[i].list, MC_PURPOSE_REVOCATION, cases[i].index, &entry, NULL), MC_OK);
		char doc[2048];
		snprintf(doc, sizeof doc,
		         "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
		         "\"issuer\":\"%s\",\"validFrom\":\"2025-01-01T00:00:00Z\",\"credentialSubject\":{\"id\":"
		         "\"did:example:1\"},\"credentialStatus\":%s}",
		         did, entry);
		char *signed_ = NULL;
		mc_proof_opts po = {.cryptosuite = MC_SUITE_EDDSA_JCS, .created = "2025-01-01T00:00:00Z"};
		ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &po, &signed_, NULL), MC_OK);
		mc_verify_opts vo = {.flags = 0, .status_lists = lists};
		mc_report *rep = NULL;
		mc_status vst = mc_verify(signed_, strlen(signed_), &vo, &rep, NULL);
		ck_assert_int_eq(vst, MC_ERR_INVALID); /* no EU elements in this document */
		int found = 0;
		for (size_t k = 0; k < mc_report_count(rep); k++) {
			const mc_finding *f = mc_report_get(rep, k);
			if (strcmp(f->check, "status") == 0) {
				ck_assert_msg(f->result == cases[i].want, "case %zu: %s", i, f->message);
				found = 1;
			}
		}
		ck_assert(found);
		mc_report_free(rep);
		/* without lists the status is reported as not checked */
		vo.status_lists = NULL;
		ck_assert_int_eq(mc_verify(signed_, strlen(signed_), &vo, &rep, NULL), MC_ERR_INVALID);
		for (size_t k = 0; k < mc_report_count(rep); k++)
			if (strcmp(mc_report_get(rep, k)->check, "status") == 0)
				ck_assert_int_eq(mc_report_get(rep, k)->result, MC_WARN);
		mc_report_free(rep);
		mc_free(signed_);
		mc_free(entry);
	}
	mc_status_lists_free(lists);
	mc_free(list);
	mc_statuslist_free(l);
	mc_keypair_wipe(&kp);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, size_rules);
	tcase_add_test(tc, set_get_bounds);
	tcase_add_test(tc, encode_spec_golden);
	tcase_add_test(tc, decode_spec_examples);
	tcase_add_test(tc, check_spec_example);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, decode_bad_prefix);
	tcase_add_test(tc, decode_bad_base64);
	tcase_add_test(tc, decode_truncated_and_flipped);
	tcase_add_test(tc, decode_not_gzip);
	tcase_add_test(tc, decode_trailing_member);
	tcase_add_test(tc, decode_sizes);
	tcase_add_test(tc, decode_bomb);
	tcase_add_test(tc, credential_build_parse);
	tcase_add_test(tc, credential_parse_twins);
	tcase_add_test(tc, entry_build);
	tcase_add_test(tc, check_array_revoked_suspended);
	tcase_add_test(tc, check_errors);
	tcase_add_test(tc, lists_add_verified);
	tcase_add_test(tc, verify_uses_status_lists);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(suite)
