/*
 * test_json.c - strict JSON acceptance and RFC 8785 canonicalization.
 * Vectors: ../shared/vectors/json-canonicalization (all 6 documents and the
 * 10,000-number ES6 file). Every accepted input has rejected twins.
 */
#include <math.h>

#include "testutil.h"

static const char *jcs_names[] = {"arrays", "french", "structures", "unicode", "values", "weird"};

START_TEST(jcs_vectors)
{
	char rel[256];
	snprintf(rel, sizeof rel, "json-canonicalization/testdata/input/%s.json", jcs_names[_i]);
	size_t in_len, exp_len, out_len;
	char *in = tu_vector(rel, &in_len);
	snprintf(rel, sizeof rel, "json-canonicalization/testdata/output/%s.json", jcs_names[_i]);
	char *exp = tu_vector(rel, &exp_len);
	char *out = NULL;
	mc_err err = {0};
	ck_assert_int_eq(mc_jcs(in, in_len, &out, &out_len, &err), MC_OK);
	ck_assert_uint_eq(out_len, exp_len);
	ck_assert_msg(memcmp(out, exp, exp_len) == 0, "%s: got %s", jcs_names[_i], out);
	/* canonical form is a fixed point */
	char *again = NULL;
	size_t again_len;
	ck_assert_int_eq(mc_jcs(out, out_len, &again, &again_len, NULL), MC_OK);
	ck_assert_uint_eq(again_len, out_len);
	ck_assert(memcmp(again, out, out_len) == 0);
	mc_free(again);
	mc_free(out);
	/* every truncated prefix of the input is rejected, cleanly */
	for (size_t n = 0; n < in_len; n++) {
		char *o = NULL;
		size_t ol;
		/* trailing whitespace-only suffixes still parse; skip those prefixes */
		size_t k = n;
		int only_ws = 1;
		for (; k < in_len; k++)
			if (!strchr(" \n\r\t", in[k]))
				only_ws = 0;
		if (only_ws)
			break;
		mc_err e = {0};
		ck_assert_int_ne(mc_jcs(in, n, &o, &ol, &e), MC_OK);
		ck_assert_ptr_null(o);
		ck_assert_int_ne(e.status, MC_OK);
	}
	free(in);
	free(exp);
}
END_TEST

static uint64_t hexval(const char *s, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
	}
	return v;
}

START_TEST(jcs_es6_numbers)
{
	size_t len;
	char *data = tu_vector("json-canonicalization/testdata/es6testfile10k.txt", &len);
	size_t lines = 0;
	char *save = NULL;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *comma = strchr(line, ',');
		ck_assert(comma);
		uint64_t bits = hexval(line, (size_t)(comma - line));
		double d;
		memcpy(&d, &bits, sizeof d);
		char out[32];
		ck_assert_int_eq(mc_jcs_number(d, out), MC_OK);
		ck_assert_msg(strcmp(out, comma + 1) == 0, "line %zu: %s gave %s", lines + 1, line, out);
		/* twin: the output parses back to the same double */
		ck_assert(strtod(out, NULL) == d);
		lines++;
	}
	ck_assert_uint_eq(lines, 10000);
	free(data);
	char out[32];
	ck_assert_int_eq(mc_jcs_number(NAN, out), MC_ERR_VALUE);
	ck_assert_int_eq(mc_jcs_number(INFINITY, out), MC_ERR_VALUE);
	ck_assert_int_eq(mc_jcs_number(-0.0, out), MC_OK);
	ck_assert_str_eq(out, "0");
}
END_TEST

/* Table of inputs the strict parser must refuse, with the status and the
 * path it must name. */
static const struct {
	const char *in;
	size_t len; /* 0 = strlen */
	mc_status st;
	const char *path;
} bad[] = {
	{"", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"{", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"{\"a\":1,}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"[1,2,]", 0, MC_ERR_JSON_SYNTAX, "$[2]"},
	{"{\"a\":01}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{\"a\":1.}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{\"a\":.5}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{\"a\":+1}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{\"a\":1e}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{\"a\":NaN}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{\"a\":1e999}", 0, MC_ERR_JSON_LIMIT, "$.a"},
	{"{\"a\":tru}", 0, MC_ERR_JSON_SYNTAX, "$.a"},
	{"{'a':1}", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"{\"a\":1} x", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"{\"a\":1}{}", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"{\"a\":1,\"b\":{\"c\":2,\"c\":3}}", 0, MC_ERR_JSON_DUPKEY, "$.b.c"},
	{"{\"a\":1,\"a\":1}", 0, MC_ERR_JSON_DUPKEY, "$.a"},
	{"{\"\\u0061\":1,\"a\":1}", 0, MC_ERR_JSON_DUPKEY, "$.a"},
	{"{\"x\":[{\"k\":\"\\ud800\"}]}", 0, MC_ERR_JSON_ENCODING, "$.x[0].k"},
	{"{\"x\":\"\\udc00\\ud800\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":\"\\ud800\\u0041\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":\"a\\u0000b\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":\"a\0b\"}", 10, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":1}\0", 8, MC_ERR_JSON_ENCODING, "$"},
	{"{\"x\":\"a\tb\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":\"\xc3\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":\"\xc0\xaf\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},      /* overlong '/' */
	{"{\"x\":\"\xed\xa0\x80\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},  /* UTF-8 surrogate */
	{"{\"x\":\"\xf4\x90\x80\x80\"}", 0, MC_ERR_JSON_ENCODING, "$.x"}, /* > U+10FFFF */
	{"{\"x\":\"\xff\"}", 0, MC_ERR_JSON_ENCODING, "$.x"},
	{"{\"x\":\"\\q\"}", 0, MC_ERR_JSON_SYNTAX, "$.x"},
	{"{\"x\":\"\\u12\"}", 0, MC_ERR_JSON_SYNTAX, "$.x"},
	{"\x01{}", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"\xef\xbb\xbf{}", 0, MC_ERR_JSON_SYNTAX, "$"},
	{"{\"a b\":[1,{\"c\":x}]}", 0, MC_ERR_JSON_SYNTAX, "$[\"a b\"][1].c"},
};

START_TEST(strict_rejects)
{
	mc_err err = {0};
	size_t len = bad[_i].len ? bad[_i].len : strlen(bad[_i].in);
	mc_status st = mc_json_check(bad[_i].in, len, &err);
	ck_assert_msg(st == bad[_i].st, "case %d: status %d (%s: %s), want %d", _i, st, err.path, err.msg, bad[_i].st);
	ck_assert_int_eq(err.status, st);
	ck_assert_msg(strcmp(err.path, bad[_i].path) == 0, "case %d: path %s want %s", _i, err.path, bad[_i].path);
	ck_assert(err.msg[0] != '\0');
}
END_TEST

START_TEST(strict_accepts)
{
	static const char *good[] = {
		"{}", "[]", "0", "-0", "1.5e-3", "\"\\ud83d\\ude02\"", "{\"a\":[1,2,{\"b\":null}],\"c\":true}",
		" \t\r\n{\"k\":\"caf\xc3\xa9 \xf0\x9f\x98\x82\"} ", "{\"a\":1,\"A\":2}",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		mc_err err = {0};
		ck_assert_msg(mc_json_check(good[i], strlen(good[i]), &err) == MC_OK, "%s: %s", good[i], err.msg);
		ck_assert_int_eq(err.status, MC_OK);
	}
}
END_TEST

START_TEST(limits)
{
	/* depth: MC_JSON_MAX_DEPTH arrays accepted, one more refused */
	char deep[2 * (MC_JSON_MAX_DEPTH + 1) + 1];
	for (int d = MC_JSON_MAX_DEPTH; d <= MC_JSON_MAX_DEPTH + 1; d++) {
		memset(deep, '[', (size_t)d);
		memset(deep + d, ']', (size_t)d);
		mc_err err = {0};
		mc_status st = mc_json_check(deep, (size_t)(2 * d), &err);
		ck_assert_int_eq(st, d <= MC_JSON_MAX_DEPTH ? MC_OK : MC_ERR_JSON_LIMIT);
	}
	/* a million-deep document fails fast, no stack use */
	size_t n = 1000000;
	char *huge = malloc(n);
	memset(huge, '[', n);
	mc_err err = {0};
	ck_assert_int_eq(mc_json_check(huge, n, &err), MC_ERR_JSON_LIMIT);
	free(huge);
	/* size */
	n = MC_JSON_MAX_BYTES + 1;
	huge = malloc(n);
	memset(huge, ' ', n);
	huge[0] = '1';
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_json_check(huge, n, &err), MC_ERR_JSON_LIMIT);
	ck_assert_int_eq(mc_json_check(huge, n - 1, NULL), MC_OK);
	free(huge);
	/* over-long number token */
	const char *longnum = "1.00000000000000000000000000000000000000000000000000000000000000001";
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_json_check(longnum, strlen(longnum), &err), MC_ERR_JSON_LIMIT);
	/* errors chain: the first one is kept */
	ck_assert_int_eq(mc_json_check("[", 1, &err), MC_ERR_JSON_SYNTAX);
	ck_assert_int_eq(err.status, MC_ERR_JSON_LIMIT);
}
END_TEST

START_TEST(jcs_utf16_order)
{
	/* U+FB33 (one unit 0xFB33) sorts AFTER U+1F602 (units D83D DE02) in
	 * UTF-16 order although its UTF-8 bytes sort before it. */
	const char *in = "{\"\xef\xac\xb3\":1,\"\xf0\x9f\x98\x82\":2,\"a\":3,\"\":4}";
	char *out = NULL;
	size_t n;
	ck_assert_int_eq(mc_jcs(in, strlen(in), &out, &n, NULL), MC_OK);
	ck_assert_str_eq(out, "{\"\":4,\"a\":3,\"\xf0\x9f\x98\x82\":2,\"\xef\xac\xb3\":1}");
	mc_free(out);
	/* large object goes through the heap path and sorts the same way */
	char big[4096] = "{";
	for (int i = 40; i > 0; i--)
		snprintf(big + strlen(big), sizeof big - strlen(big), "\"k%02d\":%d%s", i, i, i > 1 ? "," : "}");
	ck_assert_int_eq(mc_jcs(big, strlen(big), &out, &n, NULL), MC_OK);
	ck_assert(strncmp(out, "{\"k01\":1,\"k02\":2,", 17) == 0);
	mc_free(out);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, jcs_vectors, 0, (int)(sizeof jcs_names / sizeof *jcs_names));
	tcase_add_test(tc, jcs_es6_numbers);
	tcase_add_loop_test(tc, strict_rejects, 0, (int)(sizeof bad / sizeof *bad));
	tcase_add_test(tc, strict_accepts);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, jcs_utf16_order);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(json_suite)
