/*
 * test_vc.c - eddsa-jcs-2022 and eddsa-rdfc-2022 against the W3C (and Open
 * Badges) vectors (byte for byte, every intermediate step), ecdsa-rdfc-2019
 * against the W3C VC 2.0 examples and a round trip, and the verification
 * check list with a failing twin for each passing case.
 */
#include <cjson/cJSON.h>

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

/* mc_verify_extract: the report of mc_verify and, from the same read, the
 * elements mc_credential_extract gives; none when an element fails or with
 * MC_VERIFY_PROOF_ONLY. */
START_TEST(verify_extract)
{
	mc_keypair kp;
	vector_key(&kp);
	char did[MC_DID_KEY_MAX];
	ck_assert_int_eq(mc_did_key_from_pk(kp.pk, did), MC_OK);
	char *a = tu_read("examples/achievement.json", NULL), *i = tu_read("examples/issuer.json", NULL),
	     *l = tu_read("examples/learner.json", NULL);
	cJSON *iss = cJSON_Parse(i);
	cJSON_ReplaceItemInObject(iss, "id", cJSON_CreateString(did));
	char *i2 = cJSON_PrintUnformatted(iss);
	char *unsigned_cred = NULL, *cred = NULL;
	ck_assert_int_eq(mc_credential_build(a, strlen(a), i2, strlen(i2), l, strlen(l), NULL, &unsigned_cred, NULL),
	                 MC_OK);
	mc_proof_opts o = {.cryptosuite = "eddsa-jcs-2022"};
	ck_assert_int_eq(mc_proof_add(unsigned_cred, strlen(unsigned_cred), &kp, &o, &cred, NULL), MC_OK);

	mc_report *rep = NULL;
	char *x = NULL, *want = NULL;
	ck_assert_int_eq(mc_verify_extract(cred, strlen(cred), NULL, &rep, &x, NULL), MC_OK);
	ck_assert(find_check(rep, "eu-elements", MC_PASS));
	mc_report_free(rep);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(mc_credential_extract(cred, strlen(cred), &want, NULL), MC_OK);
	cJSON *gx = cJSON_Parse(x), *gw = cJSON_Parse(want);
	ck_assert(gx && gw && cJSON_Compare(gx, gw, 1));
	ck_assert_ptr_null(strchr(x, '\n')); /* compact */
	cJSON_Delete(gx);
	cJSON_Delete(gw);
	mc_free(x);
	mc_free(want);

	/* twin: a failing EU element gives the report but no extract */
	char *bad = strdup(cred), *at = strstr(bad, "\"creditsAvailable\"");
	ck_assert_ptr_nonnull(at);
	memcpy(at, "\"creditsAvailablX\"", 18);
	x = (char *)"unchanged";
	ck_assert_int_eq(mc_verify_extract(bad, strlen(bad), NULL, &rep, &x, NULL), MC_ERR_INVALID);
	ck_assert_ptr_null(x);
	ck_assert(find_check(rep, "eu-elements", MC_FAIL));
	mc_report_free(rep);
	free(bad);
	/* proof only: no element read, no extract */
	mc_verify_opts po = {.flags = MC_VERIFY_PROOF_ONLY};
	ck_assert_int_eq(mc_verify_extract(cred, strlen(cred), &po, &rep, &x, NULL), MC_OK);
	ck_assert_ptr_null(x);
	mc_report_free(rep);
	/* rep is required; extract is optional */
	ck_assert_int_eq(mc_verify_extract(cred, strlen(cred), NULL, NULL, &x, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_verify_extract(cred, strlen(cred), NULL, &rep, NULL, NULL), MC_OK);
	mc_report_free(rep);

	mc_free(cred);
	mc_free(unsigned_cred);
	cJSON_free(i2);
	cJSON_Delete(iss);
	free(a);
	free(i);
	free(l);
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
	/* the borrowed text is the same bytes, and goes away with the proof */
	size_t bl = 0;
	const char *borrowed = mc_doc_canonical_text(d, &bl);
	ck_assert_ptr_nonnull(borrowed);
	ck_assert_uint_eq(bl, kl);
	ck_assert(memcmp(borrowed, kept, kl) == 0);
	ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_PRETTY, &pretty, NULL), MC_OK);
	ck_assert_int_eq(mc_jcs(pretty, strlen(pretty), &fresh, &fl, NULL), MC_OK);
	ck_assert_msg(kl == fl && memcmp(kept, fresh, fl) == 0, "case %d:\n%s\n%s", _i, kept, fresh);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(kept, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	mc_report_free(rep);
	mc_free(kept);
	mc_free(pretty);
	mc_free(fresh);
	mc_doc_strip_proof(d);
	ck_assert_ptr_null(mc_doc_canonical_text(d, NULL));
	mc_doc_free(d);
	mc_keypair_wipe(&kp);
}
END_TEST


/* ---- eddsa-rdfc-2022 and ecdsa-rdfc-2019 -------------------------------- */

#define RDFC_DIR "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/"
#define OB_DIR "openbadges-v3/spec/test-vectors/eddsa-rdfc-2022/"

/* RDFC-1.0 canonical N-Quads of a JSON-LD text (safe mode, offline). */
static char *rdfc_of(const char *json, size_t len)
{
	mc_rdf_dataset *ds = NULL;
	mc_jsonld_opts o = {0};
	o.safe = 1;
	mc_err e = {0};
	ck_assert_msg(mc_jsonld_to_rdf(json, len, NULL, &o, &ds, &e) == MC_OK, "toRdf: %s", e.msg);
	char *out = NULL;
	size_t n;
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, &out, &n, &e), MC_OK);
	mc_rdf_dataset_free(ds);
	return out;
}

static void sha_hex(const char *s, char hex[65])
{
	uint8_t h[32];
	ck_assert_int_eq(mc_sha256(s, strlen(s), h), MC_OK);
	tu_hex(h, 32, hex);
}

static void hex_bin(const char *hex, uint8_t *out, size_t n)
{
	ck_assert_uint_eq(strlen(hex), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

START_TEST(rdfc_vector_steps)
{
	size_t n;
	char hex[65], combined[129], sighex[129];
	/* canonical document and its hash */
	char *doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", &n);
	char *canon_doc = rdfc_of(doc, n);
	char *want = tu_vector(RDFC_DIR "canonDocDataInt.txt", NULL);
	ck_assert_str_eq(canon_doc, want);
	free(want);
	char *doc_hash = tu_chomp(tu_vector(RDFC_DIR "docHashDataInt.txt", NULL));
	sha_hex(canon_doc, hex);
	ck_assert_str_eq(hex, doc_hash);
	/* canonical proof configuration and its hash */
	char *cfg = tu_vector(RDFC_DIR "proofConfigDataInt.json", &n);
	char *canon_cfg = rdfc_of(cfg, n);
	want = tu_vector(RDFC_DIR "proofCanonDataInt.txt", NULL);
	ck_assert_str_eq(canon_cfg, want);
	free(want);
	char *cfg_hash = tu_chomp(tu_vector(RDFC_DIR "proofHashDataInt.txt", NULL));
	sha_hex(canon_cfg, hex);
	ck_assert_str_eq(hex, cfg_hash);
	/* hashData = proof hash || document hash */
	snprintf(combined, sizeof combined, "%s%s", cfg_hash, doc_hash);
	char *want_comb = tu_chomp(tu_vector(RDFC_DIR "combinedHashDataInt.txt", NULL));
	ck_assert_str_eq(combined, want_comb);
	/* the raw signature over it */
	mc_keypair kp;
	vector_key(&kp);
	uint8_t hd[64], sig[64];
	hex_bin(combined, hd, 64);
	ck_assert_int_eq(mc_ed25519_sign(&kp, hd, 64, sig), MC_OK);
	tu_hex(sig, 64, sighex);
	char *want_sig = tu_chomp(tu_vector(RDFC_DIR "sigHexDataInt.txt", NULL));
	ck_assert_str_eq(sighex, want_sig);
	char b58[128];
	ck_assert_int_eq(mc_multibase_encode(sig, 64, b58, sizeof b58), MC_OK);
	char *want_b58 = tu_chomp(tu_vector(RDFC_DIR "sigBTC58DataInt.txt", NULL));
	ck_assert_str_eq(b58, want_b58);
	/* the library end to end: the signed document is the vector's */
	mc_proof_opts o = {.created = W3C_CREATED, .cryptosuite = MC_SUITE_EDDSA_RDFC};
	char *out = NULL;
	mc_err err = {0};
	ck_assert_msg(mc_proof_add(doc, strlen(doc), &kp, &o, &out, &err) == MC_OK, "%s", err.msg);
	char *got = json_str(out, "proofValue");
	ck_assert_str_eq(got, want_b58);
	char *signed_vec = tu_vector(RDFC_DIR "signedDataInt.json", &n);
	char *c1 = NULL, *c2 = NULL;
	size_t l1, l2;
	ck_assert_int_eq(mc_jcs(out, strlen(out), &c1, &l1, NULL), MC_OK);
	ck_assert_int_eq(mc_jcs(signed_vec, n, &c2, &l2, NULL), MC_OK);
	ck_assert_str_eq(c1, c2);
	mc_free(c1);
	mc_free(c2);
	free(got);
	mc_free(out);
	free(signed_vec);
	free(want_b58);
	free(want_sig);
	free(want_comb);
	free(cfg_hash);
	free(doc_hash);
	mc_free(canon_cfg);
	mc_free(canon_doc);
	free(cfg);
	free(doc);
	mc_keypair_wipe(&kp);
}
END_TEST

START_TEST(rdfc_vector_verifies)
{
	char *doc = tu_vector(RDFC_DIR "signedDataInt.json", NULL);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(doc, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	const mc_finding *f = find_check(rep, "proof", MC_PASS);
	ck_assert(f && strstr(f->message, "eddsa-rdfc-2022"));
	mc_report_free(rep);
	free(doc);
}
END_TEST

/* Tampering twins of the rdfc vector. Edits that change no RDF (JSON
 * whitespace, member order) are not tampering under rdfc, so none here. */
static const struct {
	const char *from, *to, *check;
} rdfc_tamper[] = {
	{"Alumni Credential\"", "Alumni Credentiak\"", "signature"},
	{"The School of Examples", "The School of Exampler", "signature"},
	{"2023-01-01T00:00:00Z", "2023-01-01T00:00:01Z", "signature"},
	{"did:example:abcdefgh", "did:example:abcdefgi", "signature"},
	{"\"created\": \"2023-02-24T23:36:38Z\"", "\"created\": \"2023-02-24T23:36:39Z\"", "signature"},
	{"eddsa-rdfc-2022", "eddsa-rdfc-2023", "proof"},
	{"eddsa-rdfc-2022", "ecdsa-rdfc-2019", "proof"}, /* an Ed25519 key cannot sign ecdsa */
	{"eddsa-rdfc-2022", "eddsa-jcs-2022", "signature"},
	{"assertionMethod", "authentication", "proof"},
	{"\"name\": \"Alumni Credential\",", "\"name\": \"Alumni Credential\", \"undefinedTermZ\": 1,", "signature"},
	{"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ3", "proof"},
	{"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
	 "did:key:z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7#z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7",
	 "signature"}, /* another valid key */
};

START_TEST(rdfc_tampered_fails)
{
	char *doc = tu_vector(RDFC_DIR "signedDataInt.json", NULL);
	char *bad = replace_once(doc, rdfc_tamper[_i].from, rdfc_tamper[_i].to);
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert_msg(find_check(rep, rdfc_tamper[_i].check, MC_FAIL), "case %d: no failing %s check", _i,
	              rdfc_tamper[_i].check);
	mc_report_free(rep);
	free(bad);
	free(doc);
}
END_TEST

/* Every bit of the signature matters: flip each bit of the decoded
 * proofValue (sampled every 5th bit to keep the ASan run short). */
START_TEST(rdfc_proofvalue_bits)
{
	char *doc = tu_vector(RDFC_DIR "signedDataInt.json", NULL);
	char *pv = json_str(doc, "proofValue");
	uint8_t sig[64];
	size_t n = 0;
	ck_assert_int_eq(mc_multibase_decode(pv, strlen(pv), sig, sizeof sig, &n, NULL), MC_OK);
	ck_assert_uint_eq(n, 64);
	for (int bit = 0; bit < 512; bit += 5) {
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		char enc[128];
		ck_assert_int_eq(mc_multibase_encode(sig, 64, enc, sizeof enc), MC_OK);
		char *bad = replace_once(doc, pv, enc);
		mc_report *rep = NULL;
		ck_assert_msg(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep) == MC_ERR_INVALID, "bit %d", bit);
		ck_assert(find_check(rep, "signature", MC_FAIL));
		mc_report_free(rep);
		free(bad);
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	free(pv);
	free(doc);
}
END_TEST

START_TEST(ob_vector)
{
	size_t n;
	char *vec = tu_vector(OB_DIR "vector.json", NULL);
	char *skhex = json_str(vec, "privateKeyHex");
	uint8_t seed[32];
	skhex[64] = '\0'; /* seed || pk: the first half is the seed */
	hex_bin(skhex, seed, 32);
	mc_keypair kp;
	ck_assert_int_eq(mc_keypair_from_seed(&kp, seed, NULL), MC_OK);
	char *pkhex = json_str(vec, "publicKeyHex"), hex[129];
	tu_hex(kp.pk, 32, hex);
	ck_assert_str_eq(hex, pkhex);
	char *cred = tu_vector(OB_DIR "credential.json", &n);
	/* canonical document and its hash */
	char *canon = rdfc_of(cred, n);
	char *want = tu_vector(OB_DIR "document-canon.txt", NULL);
	ck_assert_str_eq(canon, want);
	char *dh = json_str(vec, "documentHashHex");
	sha_hex(canon, hex);
	ck_assert_str_eq(hex, dh);
	free(want);
	mc_free(canon);
	/* canonical proof configuration: proof.json minus proofValue, plus the
	 * credential's @context */
	char *proof = tu_vector(OB_DIR "proof.json", NULL);
	char *cut = strstr(proof, ",\n    \"proofValue\"");
	ck_assert(cut);
	snprintf(cut, strlen(cut) + 1, ",\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
	                                "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]}");
	canon = rdfc_of(proof, strlen(proof));
	want = tu_vector(OB_DIR "proof-canon.txt", NULL);
	ck_assert_str_eq(canon, want);
	char *ph = json_str(vec, "proofHashHex");
	sha_hex(canon, hex);
	ck_assert_str_eq(hex, ph);
	char comb[129];
	snprintf(comb, sizeof comb, "%s%s", ph, dh);
	char *dts = json_str(vec, "dataToSignHex");
	ck_assert_str_eq(comb, dts);
	/* signature and the signed credential */
	uint8_t hd[64], sig[64];
	hex_bin(dts, hd, 64);
	ck_assert_int_eq(mc_ed25519_sign(&kp, hd, 64, sig), MC_OK);
	tu_hex(sig, 64, hex);
	char *sh = json_str(vec, "signatureHex");
	ck_assert_str_eq(hex, sh);
	mc_proof_opts o = {.created = "2010-01-01T19:23:24Z", .cryptosuite = MC_SUITE_EDDSA_RDFC,
	                   .verification_method = "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"};
	char *out = NULL;
	mc_err err = {0};
	ck_assert_msg(mc_proof_add(cred, n, &kp, &o, &out, &err) == MC_OK, "%s", err.msg);
	char *pv = json_str(out, "proofValue"), *wpv = json_str(vec, "proofValue");
	ck_assert_str_eq(pv, wpv);
	char *sc = tu_vector(OB_DIR "signed-credential.json", &n), *c1, *c2;
	size_t l1, l2;
	ck_assert_int_eq(mc_jcs(out, strlen(out), &c1, &l1, NULL), MC_OK);
	ck_assert_int_eq(mc_jcs(sc, n, &c2, &l2, NULL), MC_OK);
	ck_assert_str_eq(c1, c2);
	/* twin: the verification method is an https URL mcred cannot resolve
	 * offline; verification says so instead of passing */
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(sc, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "proof", MC_FAIL));
	mc_report_free(rep);
	mc_free(c1);
	mc_free(c2);
	free(sc);
	free(pv);
	free(wpv);
	mc_free(out);
	free(sh);
	free(dts);
	free(ph);
	mc_free(canon);
	free(want);
	free(proof);
	free(dh);
	free(cred);
	free(pkhex);
	free(skhex);
	free(vec);
	mc_keypair_wipe(&kp);
}
END_TEST

#define SET_DIR "vc-di-eddsa/TestVectors/proof-set-chain/"

START_TEST(rdfc_proof_sets)
{
	const char *files[] = {SET_DIR "signedProofSet1.json", SET_DIR "signedProofSet2.json"};
	for (size_t k = 0; k < 2; k++) {
		char *doc = tu_vector(files[k], NULL);
		mc_report *rep = NULL;
		ck_assert_int_eq(verify_text(doc, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
		size_t sigs = 0;
		for (size_t i = 0; i < mc_report_count(rep); i++)
			sigs += strcmp(mc_report_get(rep, i)->check, "signature") == 0 &&
			        mc_report_get(rep, i)->result == MC_PASS;
		ck_assert_uint_eq(sigs, k + 1);
		mc_report_free(rep);
		/* twins: the document, and each proof's value, and each proof's key */
		char *bad = replace_once(doc, "The School of Examples", "The School of Examplez");
		ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
		mc_report_free(rep);
		free(bad);
		const char *pvs[] = {"p93zdr\"", "BgtnsrXY\""};
		const char *pvs_bad[] = {"p93zds\"", "BgtnsrXZ\""};
		for (size_t j = 0; j <= k; j++) {
			bad = replace_once(doc, pvs[j], pvs_bad[j]);
			ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
			ck_assert(find_check(rep, "signature", MC_FAIL));
			mc_report_free(rep);
			free(bad);
		}
		/* the second proof claims the first proof's key */
		if (k == 1) {
			bad = replace_once(doc,
			                   "did:key:z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E#z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E",
			                   "did:key:z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7#z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7");
			ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
			ck_assert(find_check(rep, "signature", MC_PASS));
			ck_assert(find_check(rep, "signature", MC_FAIL));
			mc_report_free(rep);
			free(bad);
		}
		free(doc);
	}
}
END_TEST

/* ecdsa-rdfc-2019: the W3C VC 2.0 and Bitstring Status List examples
 * (P-256 did:key, bare DID as verification method). */
static const char *const ecdsa_examples[] = {
	"w3c-vc/vc-data-model-2.0/examples/example-03-use-of-the-id-property.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-04-use-of-the-type-property.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-05-use-of-the-name-and-description-properties.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-07-use-of-the-issuer-property.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-08-expanded-use-of-the-issuer-property.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-09-use-of-the-credentialsubject-property.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-11-use-of-the-validfrom-and-validuntil-properties.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-22-a-simple-credential.ecdsa-rdfc-2019.json",
	"w3c-vc/vc-data-model-2.0/examples/example-35-use-of-issuer-properties.ecdsa-rdfc-2019.json",
	"w3c-vc/bitstring-status-list/examples/example-04-a-revocable-verifiable-credential.ecdsa-rdfc-2019.json",
	"w3c-vc/bitstring-status-list/examples/example-05-a-status-list-verifiable-credential.ecdsa-rdfc-2019.json",
};

START_TEST(ecdsa_examples_verify)
{
	char *doc = tu_vector(ecdsa_examples[_i], NULL);
	mc_report *rep = NULL;
	mc_status st = verify_text(doc, MC_VERIFY_PROOF_ONLY, &rep);
	ck_assert_msg(st == MC_OK, "%s: %s", ecdsa_examples[_i],
	              mc_report_count(rep) ? mc_report_get(rep, mc_report_count(rep) - 1)->message : "");
	const mc_finding *f = find_check(rep, "proof", MC_PASS);
	ck_assert(f && strstr(f->message, "ecdsa-rdfc-2019"));
	mc_report_free(rep);
	/* twin: flip the last proofValue character */
	char *pv = json_str(doc, "proofValue");
	char *pv2 = strdup(pv);
	size_t l = strlen(pv2);
	pv2[l - 1] = pv2[l - 1] == '2' ? '3' : '2';
	char *bad = replace_once(doc, pv, pv2);
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "signature", MC_FAIL));
	mc_report_free(rep);
	free(bad);
	/* twin: the proof's date */
	const char *c = strstr(doc, "\"created\": \"");
	ck_assert(c);
	char old[40], neu[40];
	snprintf(old, sizeof old, "%.32s", c);
	snprintf(neu, sizeof neu, "%.31s%c", c, c[31] == '1' ? '2' : '1');
	bad = replace_once(doc, old, neu);
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	mc_report_free(rep);
	free(bad);
	free(pv2);
	free(pv);
	free(doc);
}
END_TEST

START_TEST(ecdsa_round_trip)
{
	mc_key k, other;
	memset(&k, 0, sizeof k);
	memset(&other, 0, sizeof other);
	k.alg = other.alg = MC_KEY_P256;
	ck_assert_int_eq(mc_p256_keypair_generate(&k.p256, NULL), MC_OK);
	ck_assert_int_eq(mc_p256_keypair_generate(&other.p256, NULL), MC_OK);
	size_t n;
	char *doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", &n);
	char *out = NULL;
	mc_err err = {0};
	/* default suite for a P-256 key */
	ck_assert_msg(mc_proof_add_key(doc, n, &k, NULL, &out, &err) == MC_OK, "%s", err.msg);
	ck_assert(strstr(out, "\"ecdsa-rdfc-2019\""));
	ck_assert(strstr(out, "did:key:zDn"));
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(out, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	mc_report_free(rep);
	/* non-deterministic nonces: a second signature differs, both verify */
	char *out2 = NULL;
	ck_assert_int_eq(mc_proof_add_key(doc, n, &k, NULL, &out2, NULL), MC_OK);
	char *pv1 = json_str(out, "proofValue"), *pv2 = json_str(out2, "proofValue");
	ck_assert_str_ne(pv1, pv2);
	ck_assert_int_eq(verify_text(out2, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
	mc_report_free(rep);
	/* twins: tampered claim; signature by another key under this key's name */
	char *bad = replace_once(out, "The School of Examples", "The School of Examplez");
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "signature", MC_FAIL));
	mc_report_free(rep);
	free(bad);
	mc_public_key pub;
	char vm[MC_VM_ID_MAX];
	mc_key_public(&k, &pub);
	ck_assert_int_eq(mc_public_key_vm(&pub, vm), MC_OK);
	mc_proof_opts o = {.verification_method = vm};
	char *forged = NULL;
	ck_assert_int_eq(mc_proof_add_key(doc, n, &other, &o, &forged, NULL), MC_OK);
	ck_assert_int_eq(verify_text(forged, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "signature", MC_FAIL));
	mc_report_free(rep);
	mc_free(forged);
	/* a suite of the other key type is refused */
	o.verification_method = NULL;
	o.cryptosuite = MC_SUITE_EDDSA_RDFC;
	ck_assert_int_eq(mc_proof_add_key(doc, n, &k, &o, &forged, NULL), MC_ERR_KEY);
	o.cryptosuite = "ecdsa-jcs-2019";
	ck_assert_int_eq(mc_proof_add_key(doc, n, &k, &o, &forged, NULL), MC_ERR_UNSUPPORTED);
	/* an ecdsa proof naming an Ed25519 did:key fails the proof check */
	bad = replace_once(out, "\"ecdsa-rdfc-2019\"", "\"eddsa-rdfc-2022\"");
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	ck_assert(find_check(rep, "proof", MC_FAIL));
	mc_report_free(rep);
	free(bad);
	free(pv1);
	free(pv2);
	mc_free(out);
	mc_free(out2);
	free(doc);
	mc_key_wipe(&k);
	mc_key_wipe(&other);
}
END_TEST

/* mc_doc_sign with rdfc suites: nothing is spliced, the canonical form is
 * RFC 8785 of the signed tree, and it verifies. */
START_TEST(doc_sign_rdfc)
{
	mc_keypair kp;
	vector_key(&kp);
	mc_key pk;
	memset(&pk, 0, sizeof pk);
	pk.alg = MC_KEY_P256;
	ck_assert_int_eq(mc_p256_keypair_generate(&pk.p256, NULL), MC_OK);
	size_t n;
	char *doc = tu_vector("vc-di-eddsa/TestVectors/unsigned.json", &n);
	for (int k = 0; k < 2; k++) {
		mc_doc *d = NULL;
		ck_assert_int_eq(mc_doc_parse(doc, n, &d, NULL), MC_OK);
		mc_proof_opts o = {.created = W3C_CREATED, .cryptosuite = k ? MC_SUITE_ECDSA_RDFC : MC_SUITE_EDDSA_RDFC};
		mc_err err = {0};
		if (k)
			ck_assert_msg(mc_doc_sign_key(d, &pk, &o, &err) == MC_OK, "%s", err.msg);
		else
			ck_assert_msg(mc_doc_sign(d, &kp, &o, &err) == MC_OK, "%s", err.msg);
		char *canon = NULL, *pretty = NULL, *fresh = NULL;
		size_t cl, fl;
		ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_CANONICAL, &canon, &cl), MC_OK);
		ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_PRETTY, &pretty, NULL), MC_OK);
		ck_assert_int_eq(mc_jcs(pretty, strlen(pretty), &fresh, &fl, NULL), MC_OK);
		ck_assert(cl == fl && memcmp(canon, fresh, fl) == 0);
		if (!k) {
			char *pv = json_str(canon, "proofValue");
			ck_assert_str_eq(pv, "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme");
			free(pv);
		}
		mc_report *rep = NULL;
		ck_assert_int_eq(verify_text(canon, MC_VERIFY_PROOF_ONLY, &rep), MC_OK);
		mc_report_free(rep);
		/* strip and sign again (reissue) */
		mc_doc_strip_proof(d);
		ck_assert_int_eq(k ? mc_doc_sign_key(d, &pk, &o, NULL) : mc_doc_sign(d, &kp, &o, NULL), MC_OK);
		mc_free(canon);
		mc_free(pretty);
		mc_free(fresh);
		mc_doc_free(d);
	}
	free(doc);
	mc_keypair_wipe(&kp);
	mc_key_wipe(&pk);
}
END_TEST

/* Safe mode: an undefined term can be neither signed nor verified under
 * rdfc, and the message names it. */
START_TEST(rdfc_undefined_term)
{
	mc_keypair kp;
	vector_key(&kp);
	const char *doc = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
	                  "\"issuer\":\"https://example.org/1\",\"credentialSubject\":{\"id\":\"did:example:2\",\"gpaScore\":4}}";
	mc_proof_opts o = {.cryptosuite = MC_SUITE_EDDSA_RDFC};
	char *out = NULL;
	mc_err err = {0};
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &o, &out, &err), MC_ERR_VALUE);
	ck_assert_msg(strstr(err.msg, "gpaScore"), "%s", err.msg);
	/* jcs signs it; swapping the suite name then fails naming the term */
	o.cryptosuite = MC_SUITE_EDDSA_JCS;
	ck_assert_int_eq(mc_proof_add(doc, strlen(doc), &kp, &o, &out, NULL), MC_OK);
	char *bad = replace_once(out, "eddsa-jcs-2022", "eddsa-rdfc-2022");
	mc_report *rep = NULL;
	ck_assert_int_eq(verify_text(bad, MC_VERIFY_PROOF_ONLY, &rep), MC_ERR_INVALID);
	const mc_finding *f = find_check(rep, "signature", MC_FAIL);
	ck_assert(f);
	ck_assert_msg(strstr(f->message, "gpaScore") && strstr(f->message, "eddsa-rdfc-2022"), "%s", f->message);
	mc_report_free(rep);
	free(bad);
	mc_free(out);
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
	tcase_add_test(tc, verify_extract);
	tcase_add_test(tc, doc_sign_matches_text_path);
	tcase_add_loop_test(tc, signed_canonical_splice, 0, (int)(sizeof splice_docs / sizeof *splice_docs));
	suite_add_tcase(s, tc);
	tc = tcase_create("rdfc");
	tcase_add_test(tc, rdfc_vector_steps);
	tcase_add_test(tc, rdfc_vector_verifies);
	tcase_add_loop_test(tc, rdfc_tampered_fails, 0, (int)(sizeof rdfc_tamper / sizeof *rdfc_tamper));
	tcase_add_test(tc, rdfc_proofvalue_bits);
	tcase_add_test(tc, ob_vector);
	tcase_add_test(tc, rdfc_proof_sets);
	tcase_add_loop_test(tc, ecdsa_examples_verify, 0, (int)(sizeof ecdsa_examples / sizeof *ecdsa_examples));
	tcase_add_test(tc, ecdsa_round_trip);
	tcase_add_test(tc, doc_sign_rdfc);
	tcase_add_test(tc, rdfc_undefined_term);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(vc_suite)
