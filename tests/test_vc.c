/*
 * test_vc.c - eddsa-jcs-2022 against the W3C vectors (byte for byte, every
 * intermediate step), and the verification check list with a failing twin
 * for each passing case.
 */
#include "testutil.h"

#define JCS_DIR "vc-di-eddsa/TestVectors/eddsa-jcs-2022/"
#define W3C_CREATED "2023-02-24T23:36:38Z"

/* The W3C vector key, from keyPair.json. */
static void vector_key(mc_keypair *kp)
{
	char *kpj = tu_vector("vc-di-eddsa/TestVectors/keyPair.json", NULL);
	char *s = strstr(kpj, "privateKeyMultibase");
	ck_assert(s);
	s = strchr(s + 20, 'z');
	char *e = strchr(s, '"');
	*e = '\0';
	uint8_t seed[32];
	ck_assert_int_eq(mc_multikey_secret_decode(s, seed, NULL), MC_OK);
	ck_assert_int_eq(mc_keypair_from_seed(kp, seed, NULL), MC_OK);
	free(kpj);
}

/* Value of "key": "..." in a JSON text (first occurrence). */
static char *json_str(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *s = strstr(json, pat);
	ck_assert_msg(s != NULL, "no %s", key);
	s += strlen(pat);
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	ck_assert(*s == '"');
	s++;
	const char *e = strchr(s, '"');
	char *v = malloc((size_t)(e - s) + 1);
	memcpy(v, s, (size_t)(e - s));
	v[e - s] = '\0';
	return v;
}

START_TEST(jcs_vector_steps)
{
	/* canonical document and proof configuration, and their hashes */
	size_t n, m;
	char *unsigned_doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", &n);
	char *canon = NULL;
	ck_assert_int_eq(mc_jcs(unsigned_doc, n, &canon, &m, NULL), MC_OK);
	char *want = tu_chomp(tu_vector(JCS_DIR "canonDocJCS.txt", NULL));
	ck_assert_str_eq(canon, want);
	uint8_t h[32];
	char hex[65];
	ck_assert_int_eq(mc_sha256(canon, m, h), MC_OK);
	tu_hex(h, 32, hex);
	char *dh = tu_chomp(tu_vector(JCS_DIR "docHashJCS.txt", NULL));
	ck_assert_str_eq(hex, dh);
	mc_free(canon);
	free(want);
	free(dh);

	char *cfg = tu_vector(JCS_DIR "proofConfigJCS.json", &n);
	ck_assert_int_eq(mc_jcs(cfg, n, &canon, &m, NULL), MC_OK);
	want = tu_chomp(tu_vector(JCS_DIR "proofCanonJCS.txt", NULL));
	ck_assert_str_eq(canon, want);
	ck_assert_int_eq(mc_sha256(canon, m, h), MC_OK);
	tu_hex(h, 32, hex);
	char *ph = tu_chomp(tu_vector(JCS_DIR "proofHashJCS.txt", NULL));
	ck_assert_str_eq(hex, ph);
	mc_free(canon);
	free(want);
	free(ph);
	free(cfg);
	free(unsigned_doc);
}
END_TEST

START_TEST(jcs_vector_sign_reproduces)
{
	mc_keypair kp;
	vector_key(&kp);
	size_t n;
	char *doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", &n);
	mc_proof_opts o = {.created = W3C_CREATED};
	char *out = NULL;
	mc_err err = {0};
	ck_assert_int_eq(mc_proof_add(doc, n, &kp, &o, &out, &err), MC_OK);
	char *signed_vec = tu_vector(JCS_DIR "signedJCS.json", &n);
	char *want = json_str(signed_vec, "proofValue"), *got = json_str(out, "proofValue");
	ck_assert_str_eq(got, want);
	/* the whole signed document is the vector's, canonically */
	char *c1 = NULL, *c2 = NULL;
	size_t l1, l2;
	ck_assert_int_eq(mc_jcs(out, strlen(out), &c1, &l1, NULL), MC_OK);
	ck_assert_int_eq(mc_jcs(signed_vec, n, &c2, &l2, NULL), MC_OK);
	ck_assert_str_eq(c1, c2);
	mc_free(c1);
	mc_free(c2);
	free(want);
	free(got);
	free(signed_vec);
	mc_free(out);
	/* twin: another created date gives another signature */
	o.created = "2023-02-24T23:36:39Z";
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &o, &out, NULL), MC_OK);
	got = json_str(out, "proofValue");
	ck_assert_str_ne(got, "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX");
	free(got);
	mc_free(out);
	free(doc);
	mc_keypair_wipe(&kp);
}
END_TEST

static mc_status verify_text(const char *doc, unsigned flags, mc_report **rep)
{
	mc_verify_opts o = {.flags = flags};
	return mc_verify(doc, strlen(doc), &o, rep, NULL);
}

static const mc_finding *find_check(const mc_report *r, const char *check, mc_result res)
{
	for (size_t i = 0; i < mc_report_count(r); i++) {
		const mc_finding *f = mc_report_get(r, i);
		if (strcmp(f->check, check) == 0 && f->result == res)
			return f;
	}
	return NULL;
}

START_TEST(jcs_vector_verifies)
{
	char *doc = tu_vector(JCS_DIR "signedJCS.json", NULL);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(doc, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	ck_assert(find_check(rep, "signature", MC_PASS));
	mc_report_free(rep);
	/* full verification: the signature holds, but the issuer is an https
	 * URL, not the key's controller, and it is no EU micro-credential */
	ck_assert_int_eq(verify_text(doc, 0, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "signature", MC_PASS));
	ck_assert(find_check(rep, "issuer-key", MC_FAIL));
	ck_assert(find_check(rep, "eu-elements", MC_FAIL));
	mc_report_free(rep);
	free(doc);
}
END_TEST

/* Tampering twins: each edit of the signed vector must fail the proof. */
static const struct {
	const char *from, *to, *check;
} tamper[] = {
	{"Alumni Credential\"", "Alumni Credentiak\"", "signature"},
	{"The School of Examples", "The School of Exampler", "signature"},
	{"2023-01-01T00:00:00Z", "2023-01-01T00:00:01Z", "signature"},
	{"\"created\": \"2023-02-24T23:36:38Z\"", "\"created\": \"2023-02-24T23:36:39Z\"", "signature"},
	{"eddsa-jcs-2022", "eddsa-xyz-2022", "proof"},
	{"DataIntegrityProof", "Ed25519Signature2020", "proof"},
	{"assertionMethod", "authentication", "proof"},
	{"uVor51aX", "uVor51aY", "signature"},
	{"z2HnFSSPPBzR", "z2HnFSSPPBz0", "signature"}, /* '0' is not base58 */
	{"\"https://www.w3.org/ns/credentials/examples/v2\"\n    ],\n    \"proofValue\"",
	 "\"https://www.w3.org/ns/credentials/examples/v1\"\n    ],\n    \"proofValue\"", "signature"},
	{"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#", "did:web:example.org#", "proof"},
	{"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ3", "proof"},
};

static char *replace_once(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	ck_assert_msg(p != NULL, "pattern %s not found", from);
	size_t a = (size_t)(p - s), fl = strlen(from), tl = strlen(to), sl = strlen(s);
	char *r = malloc(sl - fl + tl + 1);
	memcpy(r, s, a);
	memcpy(r + a, to, tl);
	memcpy(r + a + tl, p + fl, sl - a - fl + 1);
	return r;
}

START_TEST(tampered_fails)
{
	char *doc = tu_vector(JCS_DIR "signedJCS.json", NULL);
	char *bad = replace_once(doc, tamper[_i].from, tamper[_i].to);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert_msg(find_check(rep, tamper[_i].check, MC_FAIL), "case %d: no failing %s check", _i, tamper[_i].check);
	mc_report_free(rep);
	free(bad);
	free(doc);
}
END_TEST

START_TEST(truncated_never_verifies)
{
	size_t n;
	char *doc = tu_vector(JCS_DIR "signedJCS.json", &n);
	for (size_t k = 0; k + 2 < n; k += 7) {
		mc_report *rep = NULL;
		mc_verify_opts o = {.flags = MC_VERIFY_PROOF_ONLY};
		ck_assert_int_eq(mc_verify(doc, k, &o, &rep, NULL), MC_ERR_INVALID);
		ck_assert_ptr_nonnull(rep);
		ck_assert(!mc_report_ok(rep));
		mc_report_free(rep);
	}
	free(doc);
}
END_TEST

START_TEST(wrong_key_and_unsigned)
{
	mc_keypair kp, other;
	vector_key(&kp);
	ck_assert_int_eq(mc_keypair_generate(&other, NULL), MC_OK);
	char *doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", NULL);
	/* signed by another key while claiming the vector key's method */
	char vm[MC_VM_ID_MAX];
	ck_assert_int_eq(mc_did_key_vm(kp.pk, vm), MC_OK);
	mc_proof_opts o = {.created = W3C_CREATED, .verification_method = vm};
	char *out = NULL;
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &other, &o, &out, NULL), MC_OK);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(out, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "signature", MC_FAIL));
	mc_report_free(rep);
	/* signing a signed document is refused */
	mc_err err = {0};
	ck_assert_int_eq(mc_proof_add(out, strlen(out), &kp, &o, &(char *){NULL}, &err), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "$.proof");
	mc_free(out);
	/* no proof at all */
	ck_assert_int_eq(verify_text(doc, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "proof", MC_FAIL));
	mc_report_free(rep);
	/* not an object / not JSON */
	ck_assert_int_eq(verify_text("[1]", 0, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "structure", MC_FAIL));
	mc_report_free(rep);
	ck_assert_int_eq(verify_text("{\"a\":1,\"a\":2}", 0, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "json", MC_FAIL));
	mc_report_free(rep);
	/* unknown suite and bad created for signing */
	mc_proof_opts bad = {.cryptosuite = "ecdsa-sd-2023"};
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &bad, &out, NULL), MC_ERR_UNSUPPORTED);
	bad = (mc_proof_opts){.created = "yesterday"};
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &bad, &out, NULL), MC_ERR_VALUE);
	free(doc);
	mc_keypair_wipe(&kp);
	mc_keypair_wipe(&other);
}
END_TEST

START_TEST(dates_checked)
{
	mc_keypair kp;
	vector_key(&kp);
	const char *tmpl = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
	                   "\"issuer\":\"%s\",\"validFrom\":\"2024-01-01T00:00:00Z\",\"validUntil\":\"2025-01-01T00:00:00Z\","
	                   "\"credentialSubject\":{\"id\":\"did:example:1\"}}";
	char did[MC_DID_KEY_MAX], doc[1024];
	ck_assert_int_eq(mc_did_key_from_pk(kp.pk, did), MC_OK);
	snprintf(doc, sizeof doc, tmpl, did);
	mc_proof_opts o = {.created = "2024-01-01T00:00:00Z"};
	char *out = NULL;
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &o, &out, NULL), MC_OK);
	int64_t inside, before, after;
	ck_assert_int_eq(mc_datetime_parse("2024-06-01T00:00:00Z", &inside), MC_OK);
	ck_assert_int_eq(mc_datetime_parse("2023-06-01T00:00:00+02:00", &before), MC_OK);
	ck_assert_int_eq(mc_datetime_parse("2025-01-01T00:00:00Z", &after), MC_OK);
	struct {
		int64_t now;
		mc_result want;
	} cases[] = {{inside, MC_PASS}, {before, MC_FAIL}, {after, MC_FAIL}};
	for (size_t i = 0; i < 3; i++) {
		mc_verify_opts vo = {.now = cases[i].now};
		mc_report *rep = NULL;
		mc_status vst = mc_verify(out, strlen(out), &vo, &rep, NULL);
		ck_assert_int_eq(vst, MC_ERR_INVALID); /* no EU elements in this document */
		ck_assert(find_check(rep, "eu-elements", MC_FAIL));
		ck_assert_msg(find_check(rep, "dates", cases[i].want), "case %zu", i);
		ck_assert(find_check(rep, "issuer-key", MC_PASS));
		ck_assert(find_check(rep, "signature", MC_PASS));
		mc_report_free(rep);
	}
	mc_free(out);
	mc_keypair_wipe(&kp);
}
END_TEST

START_TEST(doc_sign_matches_text_path)
{
	mc_keypair kp;
	vector_key(&kp);
	size_t n;
	char *unsigned_doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", &n);
	mc_doc *d = NULL;
	ck_assert_int_eq(mc_doc_parse(unsigned_doc, n, &d, NULL), MC_OK);
	mc_proof_opts o = {.created = W3C_CREATED};
	/* failure leaves the document unchanged and unsigned */
	mc_proof_opts bad = {.created = "not a date"};
	mc_err err = {0};
	ck_assert_int_eq(mc_doc_sign(d, &kp, &bad, &err), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "created");
	ck_assert_int_eq(mc_doc_sign(d, &kp, &o, NULL), MC_OK);
	/* signed twice is refused */
	ck_assert_int_eq(mc_doc_sign(d, &kp, &o, NULL), MC_ERR_VALUE);
	/* canonical serialisation equals the W3C signed vector's JCS */
	char *canon = NULL, *want = NULL;
	size_t cl, wl;
	ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_CANONICAL, &canon, &cl), MC_OK);
	char *signed_vec = tu_vector(JCS_DIR "signedJCS.json", &n);
	ck_assert_int_eq(mc_jcs(signed_vec, n, &want, &wl, NULL), MC_OK);
	ck_assert_str_eq(canon, want);
	/* every form verifies and canonicalizes to the same bytes */
	for (unsigned form = MC_DOC_PRETTY; form <= MC_DOC_CANONICAL; form++) {
		char *t = NULL, *c = NULL;
		size_t tl, l2;
		ck_assert_int_eq(mc_doc_serialize(d, form, &t, &tl), MC_OK);
		ck_assert_uint_eq(tl, strlen(t));
		mc_report *rep = NULL;
		ck_assert_int_eq(verify_text(t, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
		mc_report_free(rep);
		ck_assert_int_eq(mc_jcs(t, tl, &c, &l2, NULL), MC_OK);
		ck_assert_str_eq(c, want);
		mc_free(c);
		mc_free(t);
	}
	char *t = NULL;
	ck_assert_int_eq(mc_doc_serialize(d, 7, &t, NULL), MC_ERR_ARG);
	ck_assert_ptr_null(t);
	/* strip and sign again with another date: a different, valid proof */
	mc_doc_strip_proof(d);
	o.created = "2024-01-01T00:00:00Z";
	ck_assert_int_eq(mc_doc_sign(d, &kp, &o, NULL), MC_OK);
	ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_COMPACT, &t, NULL), MC_OK);
	ck_assert(strstr(t, "2024-01-01T00:00:00Z") != NULL);
	ck_assert(strstr(t, "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX") == NULL);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(t, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	mc_report_free(rep);
	mc_free(t);
	mc_free(canon);
	mc_free(want);
	free(signed_vec);
	free(unsigned_doc);
	mc_doc_free(d);
	/* bad input */
	err = (mc_err){0};
	ck_assert_int_eq(mc_doc_parse("{\"a\":1,\"a\":1}", 13, &d, &err), MC_ERR_JSON_DUPKEY);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(mc_doc_parse("[1]", 3, &d, NULL), MC_OK);
	ck_assert_int_eq(mc_doc_sign(d, &kp, &o, NULL), MC_ERR_TYPE);
	mc_doc_free(d);
	mc_doc_free(NULL);
	mc_keypair_wipe(&kp);
}
END_TEST

/* The canonical text kept from signing (spliced, not re-serialised) must
 * equal a fresh RFC 8785 serialisation wherever "proof" falls in order. */
static const char *splice_docs[] = {
	"{}",
	"{\"a\":1}",
	"{\"z\":1}",
	"{\"pro\":1,\"proof0\":2,\"prooe\":3,\"@context\":[\"x\"]}",
	"{\"a\":{\"proof\":1,\"b\":[{\"proof\":2}]},\"q\":\"\\\"x\\\\,{\",\"\\u20ac\":\"}\"}",
	/* more members than the 32 kept on the stack */
	"{\"zz\":0,\"k00\":0,\"k01\":1,\"k02\":2,\"k03\":3,\"k04\":4,\"k05\":5,\"k06\":6,\"k07\":7,\"k08\":8,\"k09\":9,\"k10\":10,\"k11\":11,\"k12\":12,\"k13\":13,\"k14\":14,\"k15\":15,\"k16\":16,\"k17\":17,\"k18\":18,\"k19\":19,\"k20\":20,\"k21\":21,\"k22\":22,\"k23\":23,\"k24\":24,\"k25\":25,\"k26\":26,\"k27\":27,\"k28\":28,\"k29\":29,\"k30\":30,\"k31\":31,\"k32\":32,\"k33\":33,\"k34\":34,\"k35\":35,\"k36\":36,\"k37\":37,\"k38\":38,\"k39\":39}",
	"{\"type\":\"VerifiableCredential\",\"issuer\":\"https://example.org/i\",\"\\ud83d\\ude02\":[1,2.5,-0,1e21]}",
};

START_TEST(signed_canonical_splice)
{
	mc_keypair kp;
	vector_key(&kp);
	mc_doc *d = NULL;
	ck_assert_int_eq(mc_doc_parse(splice_docs[_i], strlen(splice_docs[_i]), &d, NULL), MC_OK);
	mc_proof_opts o = {.created = W3C_CREATED};
	ck_assert_int_eq(mc_doc_sign(d, &kp, &o, NULL), MC_OK);
	char *kept = NULL, *pretty = NULL, *fresh = NULL;
	size_t kl, fl;
	ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_CANONICAL, &kept, &kl), MC_OK);
	ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_PRETTY, &pretty, NULL), MC_OK);
	ck_assert_int_eq(mc_jcs(pretty, strlen(pretty), &fresh, &fl, NULL), MC_OK);
	ck_assert_msg(kl == fl && memcmp(kept, fresh, fl) == 0, "case %d:\n%s\n%s", _i, kept, fresh);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(kept, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	mc_report_free(rep);
	mc_free(kept);
	mc_free(pretty);
	mc_free(fresh);
	mc_doc_free(d);
	mc_keypair_wipe(&kp);
}
END_TEST

static Suite *vc_suite(void)
{
	Suite *s = suite_create("vc");
	TCase *tc = tcase_create("eddsa-jcs-2022");
	tcase_add_test(tc, jcs_vector_steps);
	tcase_add_test(tc, jcs_vector_sign_reproduces);
	tcase_add_test(tc, jcs_vector_verifies);
	tcase_add_loop_test(tc, tampered_fails, 0, (int)(sizeof tamper / sizeof *tamper));
	tcase_add_test(tc, truncated_never_verifies);
	tcase_add_test(tc, wrong_key_and_unsigned);
	tcase_add_test(tc, dates_checked);
	tcase_add_test(tc, doc_sign_matches_text_path);
	tcase_add_loop_test(tc, signed_canonical_splice, 0, (int)(sizeof splice_docs / sizeof *splice_docs));
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(vc_suite)
