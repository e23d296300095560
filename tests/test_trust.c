/*
 * test_trust.c - trust and transparency (trust.h): register (JSON, CSV,
 * signed publication, the check, the verify line), verification cache,
 * pathways, recognition, catalogue; the store parts on both back-ends
 * (store_fixture.h). Each passing case has a failing twin beside it.
 */
#include "store_fixture.h"

/* ---- Fixtures: a signing key, credentials, a register ---------------- */

static mc_keypair g_kp, g_kp2;
static char g_did[MC_DID_KEY_MAX], g_did2[MC_DID_KEY_MAX];
static int64_t T_2025; /* 2025-06-30T00:00:00Z */

/* Runs in main, before Check forks: no ck_assert here. */
static bool keys(void)
{
	uint8_t seed[32], seed2[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i + 1), seed2[i] = (uint8_t)(200 - i);
	mc_err e = {0};
	return mc_keypair_from_seed(&g_kp, seed, &e) == MC_OK && mc_keypair_from_seed(&g_kp2, seed2, &e) == MC_OK &&
	       mc_did_key_from_pk(g_kp.pk, g_did) == MC_OK && mc_did_key_from_pk(g_kp2.pk, g_did2) == MC_OK &&
	       mc_datetime_parse("2025-06-30T00:00:00Z", &T_2025) == MC_OK;
}

/* A signed micro-credential of achievement ach_id by the key (issuer = its
 * did:key). eqf 0 / field NULL leave the element out. */
static char *mk_cred_by(const mc_keypair *kp, const char *did, const char *ach_id, double ects, int eqf,
                        const char *field, const char *issued)
{
	char ach[2048], iss[512], lrn[256], lvl[32] = "", fld[32] = "";
	/* without an EQF level the credential states its QF-EHEA cycle */
	snprintf(lvl, sizeof lvl, eqf ? "\"eqfLevel\":%d," : "\"qfEheaCycle\":\"first\",", eqf);
	if (field)
		snprintf(fld, sizeof fld, "\"iscedF\":\"%s\",", field);
	snprintf(ach, sizeof ach,
	         "{\"id\":\"%s\",\"title\":\"Course %s\",\"description\":\"A course.\","
	         "\"learningOutcomes\":[\"Analyse data\"],\"ects\":%g,%s%s"
	         "\"assessment\":{\"type\":\"written-exam\"},\"participation\":\"online\","
	         "\"qualityAssurance\":{\"type\":\"external-institutional\"}}",
	         ach_id, ach_id, ects, lvl, fld);
	snprintf(iss, sizeof iss, "{\"id\":\"%s\",\"name\":\"Test University\",\"country\":\"AT\"}", did);
	snprintf(lrn, sizeof lrn, "{\"id\":\"did:example:learner-1\",\"issued\":\"%s\"}", issued);
	char *unsigned_cred = NULL, *signed_cred = NULL;
	mc_err e = {0};
	mc_status st = mc_credential_build(ach, strlen(ach), iss, strlen(iss), lrn, strlen(lrn), NULL, &unsigned_cred, &e);
	ck_assert_msg(st == MC_OK, "build: %s %s", e.path, e.msg);
	mc_proof_opts po = {.cryptosuite = MC_SUITE_EDDSA_JCS, .created = "2025-07-01T00:00:00Z"};
	st = mc_proof_add(unsigned_cred, strlen(unsigned_cred), kp, &po, &signed_cred, &e);
	ck_assert_msg(st == MC_OK, "sign: %s", e.msg);
	mc_free(unsigned_cred);
	return signed_cred;
}

static char *mk_cred(const char *ach_id, double ects, int eqf, const char *field, const char *issued)
{
	return mk_cred_by(&g_kp, g_did, ach_id, ects, eqf, field, issued);
}

/* A register: provider g_did with an institutional review by an
 * EQAR-registered agency valid 2020-01-01..2026-12-31, provider g_did2
 * with only an ISO 17024 certification. */
static char *mk_register_json(const char *until)
{
	char *b = malloc(4096);
	snprintf(b, 4096,
	         "{\"providers\":["
	         "{\"id\":\"%s\",\"name\":\"Test University\",\"country\":\"AT\",\"kind\":\"hei\","
	         "\"identifiers\":{\"erasmus\":\"A TEST01\"},\"url\":\"https://uni.example\"},"
	         "{\"id\":\"%s\",\"name\":\"Skills Ltd\",\"country\":\"DE\",\"kind\":\"alternative\"}],"
	         "\"agencies\":["
	         "{\"id\":\"https://aq.example\",\"name\":\"AQ Austria\",\"country\":\"AT\",\"eqarRegistered\":true},"
	         "{\"id\":\"https://cert.example\",\"name\":\"CertBody\",\"country\":\"DE\",\"eqarRegistered\":false}],"
	         "\"qaResults\":["
	         "{\"id\":\"https://aq.example/r/1\",\"provider\":\"%s\",\"agency\":\"https://aq.example\","
	         "\"kind\":\"institutional-review\",\"decision\":\"positive\",\"validFrom\":\"2020-01-01\","
	         "\"validUntil\":\"%s\",\"report\":\"https://aq.example/r/1.pdf\"},"
	         "{\"id\":\"https://cert.example/c/9\",\"provider\":\"%s\",\"agency\":\"https://cert.example\","
	         "\"kind\":\"iso-17024\",\"decision\":\"positive\",\"validFrom\":\"2021-01-01\"}]}",
	         g_did, g_did2, g_did, until, g_did2);
	return b;
}

static void load_register(mc_register *reg)
{
	char *j = mk_register_json("2026-12-31");
	mc_err e = {0};
	mc_status st = mc_register_parse_json(j, strlen(j), reg, &e);
	ck_assert_msg(st == MC_OK, "%s: %s", e.path, e.msg);
	free(j);
}

/* want NULL: any path */
static bool path_is(const char *got, const char *want)
{
	return !want || strcmp(got, want) == 0;
}

#define EXPECT(want, path_, expr)                                                                          \
	do {                                                                                               \
		mc_err e = {0};                                                                            \
		mc_status st_ = (expr);                                                                    \
		ck_assert_msg(st_ == (want), "%s: got %s (%s %s), want %s", #expr, mc_strerror(st_), e.path, \
		              e.msg, mc_strerror(want));                                                   \
		ck_assert_msg(path_is(e.path, path_), "path %s, want %s (%s)", e.path, path_ ? path_ : "", e.msg); \
	} while (0)

/* ---- Register: JSON --------------------------------------------------- */

START_TEST(register_json)
{
	mc_register reg;
	load_register(&reg);
	ck_assert_uint_eq(reg.nproviders, 2);
	ck_assert_uint_eq(reg.nagencies, 2);
	ck_assert_uint_eq(reg.nresults, 2);
	ck_assert_str_eq(reg.results[0].valid_until[0] ? reg.results[0].valid_until : reg.results[1].valid_until,
	                 "2026-12-31");
	char *out = NULL;
	DO(mc_register_to_json(&reg, &out, &e));
	mc_register again;
	DO(mc_register_parse_json(out, strlen(out), &again, &e));
	char *out2 = NULL;
	DO(mc_register_to_json(&again, &out2, &e));
	ck_assert_str_eq(out, out2);
	mc_free(out), mc_free(out2);
	mc_register_clear(&again);
	mc_register_clear(&reg);
}
END_TEST

START_TEST(register_json_bad)
{
	mc_register reg;
	/* conflicting QA dates: valid until before valid from */
	char *j = mk_register_json("2019-12-31");
	EXPECT(MC_ERR_VALUE, "$.qaResults[0].validUntil", mc_register_parse_json(j, strlen(j), &reg, &e));
	ck_assert_ptr_null(reg.providers);
	free(j);
	/* an impossible date */
	j = mk_register_json("2026-02-30");
	EXPECT(MC_ERR_VALUE, "$.qaResults[0].validUntil", mc_register_parse_json(j, strlen(j), &reg, &e));
	free(j);
	static const char unknown_ref[] =
		"{\"providers\":[],\"agencies\":[{\"id\":\"https://a.example\",\"name\":\"A\",\"country\":\"AT\","
		"\"eqarRegistered\":true}],\"qaResults\":[{\"id\":\"urn:r1\",\"provider\":\"did:web:nobody.example\","
		"\"agency\":\"https://a.example\",\"kind\":\"other\",\"decision\":\"positive\",\"validFrom\":\"2020-01-01\"}]}";
	EXPECT(MC_ERR_VALUE, "$.qaResults[0].provider", mc_register_parse_json(unknown_ref, strlen(unknown_ref), &reg, &e));
	static const char unknown_field[] = "{\"providers\":[{\"id\":\"did:web:x.example\",\"name\":\"X\",\"country\":\"AT\","
	                                    "\"kind\":\"hei\",\"colour\":\"red\"}],\"agencies\":[],\"qaResults\":[]}";
	EXPECT(MC_ERR_VALUE, "$.providers[0].colour", mc_register_parse_json(unknown_field, strlen(unknown_field), &reg, &e));
	static const char dup[] = "{\"providers\":[{\"id\":\"did:web:x.example\",\"name\":\"X\",\"country\":\"AT\",\"kind\":\"hei\"},"
	                          "{\"id\":\"did:web:x.example\",\"name\":\"Y\",\"country\":\"AT\",\"kind\":\"hei\"}],"
	                          "\"agencies\":[],\"qaResults\":[]}";
	EXPECT(MC_ERR_VALUE, "$.providers[1].id", mc_register_parse_json(dup, strlen(dup), &reg, &e));
	static const char bad_kind[] = "{\"providers\":[{\"id\":\"did:web:x.example\",\"name\":\"X\",\"country\":\"AT\","
	                               "\"kind\":\"university\"}],\"agencies\":[],\"qaResults\":[]}";
	EXPECT(MC_ERR_VALUE, "$.providers[0].kind", mc_register_parse_json(bad_kind, strlen(bad_kind), &reg, &e));
	static const char dupkey[] = "{\"providers\":[],\"providers\":[],\"agencies\":[],\"qaResults\":[]}";
	EXPECT(MC_ERR_JSON_DUPKEY, NULL, mc_register_parse_json(dupkey, strlen(dupkey), &reg, &e));
	static const char missing[] = "{\"providers\":[],\"agencies\":[]}";
	EXPECT(MC_ERR_MISSING, "$.qaResults", mc_register_parse_json(missing, strlen(missing), &reg, &e));
}
END_TEST

/* ---- Register: CSV ---------------------------------------------------- */

START_TEST(register_csv_roundtrip)
{
	mc_register reg;
	load_register(&reg);
	char *csv = NULL, *j1 = NULL, *j2 = NULL;
	DO(mc_register_to_csv(&reg, &csv, &e));
	mc_register back;
	DO(mc_register_parse_csv(csv, strlen(csv), &back, &e));
	DO(mc_register_to_json(&reg, &j1, &e));
	DO(mc_register_to_json(&back, &j2, &e));
	ck_assert_str_eq(j1, j2);
	mc_free(csv), mc_free(j1), mc_free(j2);
	mc_register_clear(&back);
	mc_register_clear(&reg);
	/* quoted fields with commas, quotes and a CRLF line end */
	static const char q[] =
		"record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,decision,valid_from,valid_until,report,scope\r\n"
		"provider,did:web:q.example,\"Quote \"\"Q\"\", Inc.\",FI,alternative,,\"{\"\"vat\"\":\"\"FI1\"\"}\",,,,,,,,\r\n";
	DO(mc_register_parse_csv(q, strlen(q), &back, &e));
	ck_assert_str_eq(back.providers[0].name, "Quote \"Q\", Inc.");
	ck_assert_str_eq(back.providers[0].identifiers, "{\"vat\":\"FI1\"}");
	mc_register_clear(&back);
}
END_TEST

#define CSV_HDR                                                                                                 \
	"record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,decision,valid_from,valid_until," \
	"report,scope\n"

START_TEST(register_csv_bad)
{
	mc_register reg;
	static const char dates[] = CSV_HDR
		"provider,did:web:x.example,X,AT,hei,,,,,,,,,,\n"
		"agency,https://a.example,A,AT,,true,,,,,,,,,\n"
		"qa,urn:r1,,,institutional-review,,,,did:web:x.example,https://a.example,positive,2024-01-01,2023-01-01,,\n";
	EXPECT(MC_ERR_VALUE, "rows[3].valid_until", mc_register_parse_csv(dates, strlen(dates), &reg, &e));
	static const char ok_twin[] = CSV_HDR
		"provider,did:web:x.example,X,AT,hei,,,,,,,,,,\n"
		"agency,https://a.example,A,AT,,true,,,,,,,,,\n"
		"qa,urn:r1,,,institutional-review,,,,did:web:x.example,https://a.example,positive,2022-01-01,2023-01-01,,06\n";
	DO(mc_register_parse_csv(ok_twin, strlen(ok_twin), &reg, &e));
	ck_assert_str_eq(reg.results[0].scope, "06");
	mc_register_clear(&reg);
	static const char header[] = "record,id,name\nprovider,did:web:x.example,X\n";
	EXPECT(MC_ERR_VALUE, "header", mc_register_parse_csv(header, strlen(header), &reg, &e));
	static const char quote[] = CSV_HDR "provider,did:web:x.example,\"X,AT,hei,,,,,,,,,,\n";
	EXPECT(MC_ERR_VALUE, "rows[1]", mc_register_parse_csv(quote, strlen(quote), &reg, &e));
	static const char stray[] = CSV_HDR "provider,did:web:x.example,X,AT,hei,true,,,,,,,,,\n";
	EXPECT(MC_ERR_VALUE, "rows[1].eqar_registered", mc_register_parse_csv(stray, strlen(stray), &reg, &e));
	static const char cols[] = CSV_HDR "provider,did:web:x.example,X,AT,hei\n";
	EXPECT(MC_ERR_VALUE, "rows[1]", mc_register_parse_csv(cols, strlen(cols), &reg, &e));
	static const char badutf8[] = CSV_HDR "provider,did:web:x.example,X\xff,AT,hei,,,,,,,,,,\n";
	EXPECT(MC_ERR_JSON_ENCODING, "rows[1]", mc_register_parse_csv(badutf8, strlen(badutf8), &reg, &e));
	static const char rec[] = CSV_HDR "school,did:web:x.example,X,AT,hei,,,,,,,,,,\n";
	EXPECT(MC_ERR_VALUE, "rows[1].record", mc_register_parse_csv(rec, strlen(rec), &reg, &e));
}
END_TEST

/* ---- Register: the check ------------------------------------------------ */

START_TEST(register_check)
{
	mc_register reg;
	load_register(&reg);
	mc_register_check_result r;
	mc_register_check(&reg, g_did, T_2025, NULL, &r);
	ck_assert_int_eq(r.result, MC_PASS);
	ck_assert_ptr_nonnull(strstr(r.reason, "AQ Austria"));
	/* the twin: the same issuer after the review expired */
	int64_t t2027;
	ck_assert(mc_datetime_parse("2027-01-01T00:00:00Z", &t2027) == MC_OK);
	mc_register_check(&reg, g_did, t2027, NULL, &r);
	ck_assert_int_eq(r.result, MC_FAIL);
	/* the last day is inclusive */
	int64_t last;
	ck_assert(mc_datetime_parse("2026-12-31T23:59:59Z", &last) == MC_OK);
	mc_register_check(&reg, g_did, last, NULL, &r);
	ck_assert_int_eq(r.result, MC_PASS);
	/* ISO 17024 by a non-EQAR body: registered, not ESG-aligned */
	mc_register_check(&reg, g_did2, T_2025, NULL, &r);
	ck_assert_int_eq(r.result, MC_WARN);
	/* not registered at all */
	mc_register_check(&reg, "did:web:unknown.example", T_2025, NULL, &r);
	ck_assert_int_eq(r.result, MC_FAIL);
	ck_assert_ptr_nonnull(strstr(r.reason, "not a registered provider"));
	mc_register_clear(&reg);
}
END_TEST

START_TEST(register_check_scope)
{
	char j[2048];
	snprintf(j, sizeof j,
	         "{\"providers\":[{\"id\":\"%s\",\"name\":\"U\",\"country\":\"AT\",\"kind\":\"hei\"}],"
	         "\"agencies\":[{\"id\":\"https://aq.example\",\"name\":\"AQ\",\"country\":\"AT\",\"eqarRegistered\":true}],"
	         "\"qaResults\":[{\"id\":\"urn:p1\",\"provider\":\"%s\",\"agency\":\"https://aq.example\","
	         "\"kind\":\"programme-accreditation\",\"decision\":\"positive\",\"validFrom\":\"2020-01-01\",\"scope\":\"06\"}]}",
	         g_did, g_did);
	mc_register reg;
	DO(mc_register_parse_json(j, strlen(j), &reg, &e));
	mc_register_check_result r;
	mc_register_check(&reg, g_did, T_2025, "0688", &r);
	ck_assert_int_eq(r.result, MC_PASS);
	mc_register_check(&reg, g_did, T_2025, "0413", &r); /* outside the accredited field */
	ck_assert_int_eq(r.result, MC_FAIL);
	mc_register_check(&reg, g_did, T_2025, NULL, &r);
	ck_assert_int_eq(r.result, MC_FAIL);
	mc_register_clear(&reg);
}
END_TEST

/* ---- Register: signed publication ---------------------------------------- */

START_TEST(register_signed)
{
	mc_register reg, back;
	load_register(&reg);
	mc_key key = {.alg = MC_KEY_ED25519, .ed25519 = g_kp};
	char *signed_reg = NULL;
	DO(mc_register_sign(&reg, "https://register.example/2025", NULL, &key, &signed_reg, &e));
	DO(mc_register_open_signed(signed_reg, strlen(signed_reg), g_did, NULL, 0, &back, &e));
	ck_assert_uint_eq(back.nproviders, 2);
	mc_register_clear(&back);
	/* twin: another publisher expected */
	EXPECT(MC_ERR_SIGNATURE, "$.issuer",
	       mc_register_open_signed(signed_reg, strlen(signed_reg), g_did2, NULL, 0, &back, &e));
	/* twin: one byte of the register changed after signing */
	char *p = strstr(signed_reg, "Skills Ltd");
	ck_assert_ptr_nonnull(p);
	p[0] = 'K';
	EXPECT(MC_ERR_SIGNATURE, NULL, mc_register_open_signed(signed_reg, strlen(signed_reg), NULL, NULL, 0, &back, &e));
	ck_assert_ptr_null(back.providers);
	mc_free(signed_reg);
	mc_register_clear(&reg);
}
END_TEST

/* ---- mc_verify with a register ------------------------------------------- */

static const mc_finding *find_check(const mc_report *r, const char *check)
{
	for (size_t i = 0; i < mc_report_count(r); i++)
		if (strcmp(mc_report_get(r, i)->check, check) == 0)
			return mc_report_get(r, i);
	return NULL;
}

START_TEST(verify_register_line)
{
	mc_register reg;
	load_register(&reg);
	char *c1 = mk_cred("https://uni.example/mc/1", 5, 6, "0688", "2025-06-30");
	char *c2 = mk_cred_by(&g_kp2, g_did2, "https://skills.example/mc/1", 2, 4, NULL, "2025-06-30");
	mc_verify_opts vo = {.trust_register = &reg};
	mc_report *rep = NULL;
	DO(mc_verify(c1, strlen(c1), &vo, &rep, &e));
	const mc_finding *f = find_check(rep, "register");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->result, MC_PASS);
	mc_report_free(rep);
	/* twin: not ESG-aligned -> a warning; the credential stays valid */
	DO(mc_verify(c2, strlen(c2), &vo, &rep, &e));
	ck_assert_int_eq(find_check(rep, "register")->result, MC_WARN);
	mc_report_free(rep);
	/* an unregistered issuer: valid signature, warning line ... */
	mc_register empty = {0};
	vo.trust_register = &empty;
	DO(mc_verify(c1, strlen(c1), &vo, &rep, &e));
	ck_assert_int_eq(find_check(rep, "register")->result, MC_WARN);
	ck_assert_int_eq(find_check(rep, "signature")->result, MC_PASS);
	mc_report_free(rep);
	/* ... and a failure when registration is required */
	vo.flags = MC_VERIFY_REQUIRE_REGISTERED;
	EXPECT(MC_ERR_INVALID, NULL, mc_verify(c1, strlen(c1), &vo, &rep, &e));
	ck_assert_int_eq(find_check(rep, "register")->result, MC_FAIL);
	mc_report_free(rep);
	/* without a register there is no such line */
	vo = (mc_verify_opts){0};
	DO(mc_verify(c1, strlen(c1), &vo, &rep, &e));
	ck_assert_ptr_null(find_check(rep, "register"));
	mc_report_free(rep);
	mc_free(c1), mc_free(c2);
	mc_register_clear(&reg);
}
END_TEST

/* ---- Verification cache -------------------------------------------------- */

START_TEST(cache_verifies_once)
{
	char *c = mk_cred("https://uni.example/mc/1", 5, 6, "0688", "2025-06-30");
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	const mc_cred_facts *f = NULL, *g = NULL;
	int ran = 0;
	DO(mc_verify_cache_get(cache, c, strlen(c), &f, &ran, &e));
	ck_assert_int_eq(ran, 1);
	ck_assert_int_eq(f->valid, 1);
	ck_assert_str_eq(f->achievement, "https://uni.example/mc/1");
	ck_assert_int_eq(f->eqf, 6);
	ck_assert_str_eq(f->field, "0688");
	ck_assert(f->ects == 5);
	ck_assert_int_eq(f->issued, T_2025);
	DO(mc_verify_cache_get(cache, c, strlen(c), &g, &ran, &e));
	ck_assert_int_eq(ran, 0);
	ck_assert_ptr_eq(f, g);
	ck_assert_uint_eq(mc_verify_cache_runs(cache), 1);
	/* twin: a tampered copy is another credential, verified and invalid */
	char *p = strstr(c, "Course");
	p[0] = 'K';
	DO(mc_verify_cache_get(cache, c, strlen(c), &g, &ran, &e));
	ck_assert_int_eq(ran, 1);
	ck_assert_int_eq(g->valid, 0);
	ck_assert_str_eq(g->problem_check, "signature");
	mc_verify_cache_free(cache);
	mc_free(c);
	/* a cache of one entry keeps working past its size */
	DO(mc_verify_cache_new(NULL, 1, &cache, &e));
	char *a = mk_cred("https://uni.example/mc/a", 1, 5, NULL, "2025-06-30");
	char *b = mk_cred("https://uni.example/mc/b", 1, 5, NULL, "2025-06-30");
	DO(mc_verify_cache_get(cache, a, strlen(a), &f, &ran, &e));
	DO(mc_verify_cache_get(cache, b, strlen(b), &g, &ran, &e));
	ck_assert_str_eq(g->achievement, "https://uni.example/mc/b");
	DO(mc_verify_cache_get(cache, b, strlen(b), &g, &ran, &e));
	ck_assert_int_eq(ran, 1); /* not kept */
	mc_verify_cache_free(cache);
	mc_free(a), mc_free(b);
}
END_TEST

/* ---- Pathways -------------------------------------------------------------- */

static const char PATHWAY[] =
	"{\"id\":\"https://uni.example/pathways/data\",\"title\":\"Certificate in Data\","
	"\"rules\":{\"core\":{\"all\":[\"https://uni.example/mc/1\",\"https://uni.example/mc/2\"]},"
	"          \"electives\":{\"any\":{\"n\":1,\"of\":[\"https://uni.example/mc/3\",\"https://uni.example/mc/4\"]}}},"
	"\"rule\":{\"and\":[{\"ref\":\"core\"},{\"ref\":\"electives\"},"
	"  {\"ects\":{\"min\":12}},"
	"  {\"level\":{\"min\":6,\"rule\":{\"ects\":{\"min\":5}}}},"
	"  {\"within\":{\"years\":5}}]}}";

static void facts_of(mc_verify_cache *cache, char **creds, size_t n, const mc_cred_facts **out)
{
	for (size_t i = 0; i < n; i++) {
		mc_err e = {0};
		ck_assert(mc_verify_cache_get(cache, creds[i], strlen(creds[i]), &out[i], NULL, &e) == MC_OK);
	}
}

START_TEST(pathway_eval)
{
	mc_pathway *pw = NULL;
	DO(mc_pathway_parse(PATHWAY, strlen(PATHWAY), &pw, &e));
	ck_assert_str_eq(mc_pathway_id(pw), "https://uni.example/pathways/data");
	char *cr[4] = {mk_cred("https://uni.example/mc/1", 5, 6, "0688", "2025-06-30"),
	               mk_cred("https://uni.example/mc/2", 4, 5, "0688", "2025-06-30"),
	               mk_cred("https://uni.example/mc/4", 3, 6, "0688", "2025-06-30"),
	               mk_cred("https://uni.example/mc/9", 2, 4, "0688", "2025-06-30")};
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	const mc_cred_facts *f[4];
	facts_of(cache, cr, 4, f);
	mc_pathway_result r;
	int64_t now = T_2025 + 86400 * 30;
	DO(mc_pathway_eval(pw, f, 4, now, 1, &r, &e));
	ck_assert_msg(r.done, "not done");
	ck_assert(r.progress == 1.0);
	ck_assert_uint_eq(r.n_used, 4);
	char *json = NULL;
	DO(mc_pathway_result_json(pw, &r, f, 4, &json, &e));
	ck_assert_ptr_nonnull(strstr(json, "\"done\":"));
	ck_assert_ptr_null(strstr(json, "false"));
	mc_free(json);
	mc_pathway_result_clear(&r);
	/* twin: without mc/2 the core and the ECTS total are missing */
	const mc_cred_facts *g[3] = {f[0], f[2], f[3]};
	DO(mc_pathway_eval(pw, g, 3, now, 1, &r, &e));
	ck_assert(!r.done);
	ck_assert(r.progress > 0.5 && r.progress < 1.0);
	int core = 0, ects = 0;
	for (size_t i = 0; i < mc_report_count(r.missing); i++) {
		const mc_finding *m = mc_report_get(r.missing, i);
		core += strcmp(m->path, "$.rules.core.all[1]") == 0 && strstr(m->message, "mc/2") != NULL;
		ects += strcmp(m->path, "$.rule.and[2].ects") == 0;
	}
	ck_assert_int_eq(core, 1);
	ck_assert_int_eq(ects, 1);
	mc_pathway_result_clear(&r);
	/* twin: ten years later the "within 5 years" part fails */
	DO(mc_pathway_eval(pw, f, 4, T_2025 + 10 * 31557600LL, 0, &r, &e));
	ck_assert(!r.done);
	ck_assert_ptr_null(r.missing);
	mc_pathway_result_clear(&r);
	/* a tampered credential is not counted, and the report says why */
	char *bad = strdup(cr[1]);
	strstr(bad, "Course")[0] = 'K';
	const mc_cred_facts *fb = NULL;
	DO(mc_verify_cache_get(cache, bad, strlen(bad), &fb, NULL, &e));
	const mc_cred_facts *h[4] = {f[0], fb, f[2], f[3]};
	DO(mc_pathway_eval(pw, h, 4, now, 1, &r, &e));
	ck_assert(!r.done);
	int warned = 0;
	for (size_t i = 0; i < mc_report_count(r.missing); i++)
		warned += mc_report_get(r.missing, i)->result == MC_WARN;
	ck_assert_int_eq(warned, 1);
	mc_pathway_result_clear(&r);
	free(bad);
	/* the level filter: an EQF 5 credential does not count towards level >= 6 */
	static const char lvl[] = "{\"id\":\"urn:p\",\"title\":\"L\",\"rule\":{\"level\":{\"min\":6,\"rule\":"
	                          "{\"all\":[\"https://uni.example/mc/2\"]}}}}";
	mc_pathway *pl = NULL;
	DO(mc_pathway_parse(lvl, strlen(lvl), &pl, &e));
	DO(mc_pathway_eval(pl, f, 4, now, 0, &r, &e));
	ck_assert(!r.done);
	mc_pathway_free(pl);
	for (int i = 0; i < 4; i++)
		mc_free(cr[i]);
	mc_verify_cache_free(cache);
	mc_pathway_free(pw);
}
END_TEST

START_TEST(pathway_bad)
{
	mc_pathway *pw = (mc_pathway *)1;
	static const char circ[] = "{\"id\":\"urn:p\",\"title\":\"C\",\"rules\":{\"a\":{\"and\":[{\"ref\":\"b\"}]},"
	                           "\"b\":{\"or\":[{\"ref\":\"a\"}]}},\"rule\":{\"ref\":\"a\"}}";
	EXPECT(MC_ERR_VALUE, "$.rules.b.or[0].ref", mc_pathway_parse(circ, strlen(circ), &pw, &e));
	ck_assert_ptr_null(pw);
	static const char self[] = "{\"id\":\"urn:p\",\"title\":\"C\",\"rules\":{\"a\":{\"ref\":\"a\"}},\"rule\":{\"all\":[\"urn:x\"]}}";
	EXPECT(MC_ERR_VALUE, "$.rules.a.ref", mc_pathway_parse(self, strlen(self), &pw, &e));
	static const char unknown[] = "{\"id\":\"urn:p\",\"title\":\"U\",\"rule\":{\"and\":[{\"all\":[\"urn:x\"]},{\"ref\":\"nope\"}]}}";
	EXPECT(MC_ERR_VALUE, "$.rule.and[1].ref", mc_pathway_parse(unknown, strlen(unknown), &pw, &e));
	static const char twin[] = "{\"id\":\"urn:p\",\"title\":\"U\",\"rules\":{\"nope\":{\"all\":[\"urn:y\"]}},"
	                           "\"rule\":{\"and\":[{\"all\":[\"urn:x\"]},{\"ref\":\"nope\"}]}}";
	DO(mc_pathway_parse(twin, strlen(twin), &pw, &e));
	mc_pathway_free(pw);
	static const char bad_n[] = "{\"id\":\"urn:p\",\"title\":\"N\",\"rule\":{\"any\":{\"n\":3,\"of\":[\"urn:a\",\"urn:b\"]}}}";
	EXPECT(MC_ERR_VALUE, "$.rule.any.n", mc_pathway_parse(bad_n, strlen(bad_n), &pw, &e));
	static const char bad_rule[] = "{\"id\":\"urn:p\",\"title\":\"R\",\"rule\":{\"most\":[\"urn:a\"]}}";
	EXPECT(MC_ERR_VALUE, "$.rule.most", mc_pathway_parse(bad_rule, strlen(bad_rule), &pw, &e));
	static const char two[] = "{\"id\":\"urn:p\",\"title\":\"R\",\"rule\":{\"all\":[\"urn:a\"],\"or\":[]}}";
	EXPECT(MC_ERR_TYPE, "$.rule", mc_pathway_parse(two, strlen(two), &pw, &e));
	static const char item[] = "{\"id\":\"urn:p\",\"title\":\"R\",\"rule\":{\"all\":[\"not an iri\"]}}";
	EXPECT(MC_ERR_VALUE, "$.rule.all[0]", mc_pathway_parse(item, strlen(item), &pw, &e));
	/* oversize: more items than MC_PATHWAY_MAX_NODES */
	size_t cap = 64 + 16 * (MC_PATHWAY_MAX_NODES + 1);
	char *big = malloc(cap);
	size_t n = (size_t)snprintf(big, cap, "{\"id\":\"urn:p\",\"title\":\"B\",\"rule\":{\"all\":[");
	for (unsigned i = 0; i <= MC_PATHWAY_MAX_NODES; i++)
		n += (size_t)snprintf(big + n, cap - n, "%s\"urn:i:%u\"", i ? "," : "", i);
	n += (size_t)snprintf(big + n, cap - n, "]}}");
	EXPECT(MC_ERR_TOO_LARGE, NULL, mc_pathway_parse(big, n, &pw, &e));
	free(big);
	/* too deep */
	char deep[4096];
	n = (size_t)snprintf(deep, sizeof deep, "{\"id\":\"urn:p\",\"title\":\"D\",\"rule\":");
	for (int i = 0; i < MC_PATHWAY_MAX_DEPTH + 2; i++)
		n += (size_t)snprintf(deep + n, sizeof deep - n, "{\"and\":[");
	n += (size_t)snprintf(deep + n, sizeof deep - n, "{\"all\":[\"urn:a\"]}");
	for (int i = 0; i < MC_PATHWAY_MAX_DEPTH + 2; i++)
		n += (size_t)snprintf(deep + n, sizeof deep - n, "]}");
	n += (size_t)snprintf(deep + n, sizeof deep - n, "}");
	EXPECT(MC_ERR_JSON_LIMIT, NULL, mc_pathway_parse(deep, n, &pw, &e));
}
END_TEST

/* ---- Recognition -------------------------------------------------------------- */

static const char POLICY[] = "{\"id\":\"https://uni-b.example/recognition/2025\",\"institution\":\"did:web:uni-b.example\","
                             "\"towards\":\"MSc Data Science, electives\",\"providers\":\"registered\","
                             "\"qaKinds\":[\"institutional-review\",\"programme-accreditation\"],"
                             "\"minLevel\":6,\"minEcts\":3,\"maxEcts\":10,\"fields\":[\"06\"],\"maxAgeYears\":5}";

static bool has_reason(const mc_recognition *d, mc_result res, const char *text)
{
	for (size_t i = 0; i < mc_report_count(d->reasons); i++) {
		const mc_finding *f = mc_report_get(d->reasons, i);
		if (f->result == res && strstr(f->message, text))
			return true;
	}
	return false;
}

START_TEST(recognition)
{
	mc_register reg;
	load_register(&reg);
	mc_recognition_policy *pol = NULL;
	DO(mc_recognition_policy_parse(POLICY, strlen(POLICY), &pol, &e));
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	int64_t now = T_2025 + 86400;
	char *ok = mk_cred("https://uni.example/mc/1", 5, 6, "0688", "2025-06-30");
	mc_recognition d;
	DO(mc_recognise(pol, &reg, cache, ok, strlen(ok), now, &d, &e));
	ck_assert_int_eq(d.outcome, MC_RECOGNISED);
	ck_assert(d.ects == 5);
	ck_assert_str_eq(d.towards, "MSc Data Science, electives");
	char *json = NULL;
	DO(mc_recognition_json(&d, &json, &e));
	ck_assert_ptr_nonnull(strstr(json, "\"recognised\""));
	mc_free(json);
	mc_recognition_clear(&d);
	/* twin: EQF 5 -> referred with a level mismatch */
	char *low = mk_cred("https://uni.example/mc/1", 5, 5, "0688", "2025-06-30");
	DO(mc_recognise(pol, &reg, cache, low, strlen(low), now, &d, &e));
	ck_assert_int_eq(d.outcome, MC_REFERRED);
	ck_assert(d.ects == 0);
	ck_assert(has_reason(&d, MC_FAIL, "Level mismatch"));
	mc_recognition_clear(&d);
	/* twin: no level and no field at all -> missing elements */
	char *bare = mk_cred("https://uni.example/mc/1", 5, 0, NULL, "2025-06-30");
	DO(mc_recognise(pol, &reg, cache, bare, strlen(bare), now, &d, &e));
	ck_assert_int_eq(d.outcome, MC_REFERRED);
	ck_assert(has_reason(&d, MC_FAIL, "states no EQF level"));
	ck_assert(has_reason(&d, MC_FAIL, "states no ISCED-F field"));
	mc_recognition_clear(&d);
	/* twin: workload above the maximum */
	char *big = mk_cred("https://uni.example/mc/1", 20, 6, "0688", "2025-06-30");
	DO(mc_recognise(pol, &reg, cache, big, strlen(big), now, &d, &e));
	ck_assert(has_reason(&d, MC_FAIL, "Workload mismatch"));
	mc_recognition_clear(&d);
	/* twin: issuer with ISO 17024 only -> unregistered for this policy */
	char *iso = mk_cred_by(&g_kp2, g_did2, "https://skills.example/mc/1", 5, 6, "0688", "2025-06-30");
	DO(mc_recognise(pol, &reg, cache, iso, strlen(iso), now, &d, &e));
	ck_assert_int_eq(d.outcome, MC_REFERRED);
	ck_assert(has_reason(&d, MC_FAIL, "not an accepted kind") || has_reason(&d, MC_FAIL, "no valid ESG-aligned QA"));
	mc_recognition_clear(&d);
	/* twin: a bad signature */
	char *bad = strdup(ok);
	strstr(bad, "Course")[0] = 'K';
	DO(mc_recognise(pol, &reg, cache, bad, strlen(bad), now, &d, &e));
	ck_assert_int_eq(d.outcome, MC_REFERRED);
	ck_assert(has_reason(&d, MC_FAIL, "did not verify (signature)"));
	mc_recognition_clear(&d);
	/* twin: "registered" without a register refers */
	DO(mc_recognise(pol, NULL, cache, ok, strlen(ok), now, &d, &e));
	ck_assert_int_eq(d.outcome, MC_REFERRED);
	mc_recognition_clear(&d);
	free(bad);
	mc_free(ok), mc_free(low), mc_free(bare), mc_free(big), mc_free(iso);
	mc_verify_cache_free(cache);
	mc_recognition_policy_free(pol);
	mc_register_clear(&reg);
}
END_TEST

START_TEST(recognition_policy_bad)
{
	mc_recognition_policy *p = NULL;
	static const char range[] = "{\"id\":\"urn:p\",\"institution\":\"did:web:b.example\",\"towards\":\"X\","
	                            "\"providers\":\"registered\",\"minEcts\":10,\"maxEcts\":5}";
	EXPECT(MC_ERR_VALUE, "$.maxEcts", mc_recognition_policy_parse(range, strlen(range), &p, &e));
	static const char kinds[] = "{\"id\":\"urn:p\",\"institution\":\"did:web:b.example\",\"towards\":\"X\","
	                            "\"providers\":\"registered\",\"qaKinds\":[\"institutional-review\",\"vibes\"]}";
	EXPECT(MC_ERR_VALUE, "$.qaKinds[1]", mc_recognition_policy_parse(kinds, strlen(kinds), &p, &e));
	static const char prov[] = "{\"id\":\"urn:p\",\"institution\":\"did:web:b.example\",\"towards\":\"X\",\"providers\":\"all\"}";
	EXPECT(MC_ERR_VALUE, "$.providers", mc_recognition_policy_parse(prov, strlen(prov), &p, &e));
	static const char okp[] = "{\"id\":\"urn:p\",\"institution\":\"did:web:b.example\",\"towards\":\"X\","
	                          "\"providers\":[\"did:web:a.example\"],\"minEcts\":5,\"maxEcts\":10}";
	DO(mc_recognition_policy_parse(okp, strlen(okp), &p, &e));
	mc_recognition_policy_free(p);
}
END_TEST

/* ---- Catalogue: formats ------------------------------------------------------- */

static const char OFFER[] =
	"{\"id\":\"https://uni.example/offers/1\",\"provider\":\"did:web:uni.example\","
	"\"title\":{\"en\":\"Data literacy for public administration\",\"de\":\"Datenkompetenz\"},"
	"\"description\":\"Finding and assessing open data.\",\"learningOutcomes\":[\"Assess data quality\","
	"{\"en\":\"Visualise statistics\"}],\"ects\":5,\"eqfLevel\":6,\"iscedF\":\"0688\",\"country\":\"AT\","
	"\"language\":\"en\",\"mode\":\"online\",\"price\":{\"amount\":0,\"currency\":\"EUR\"},"
	"\"schedule\":{\"start\":\"2026-03-01\",\"end\":\"2026-06-30\"},\"enrolment\":\"https://uni.example/enrol\"}";

START_TEST(offer_parse)
{
	mc_offer o;
	DO(mc_offer_parse(OFFER, strlen(OFFER), &o, &e));
	ck_assert_str_eq(o.title, "Data literacy for public administration");
	ck_assert_ptr_nonnull(strstr(o.outcomes, "Visualise statistics"));
	ck_assert_str_eq(o.field, "0688");
	mc_offer_clear(&o);
	char bad[2048];
	snprintf(bad, sizeof bad, "%s", OFFER);
	memcpy(strstr(bad, "2026-06-30"), "2026-01-30", 10); /* ends before it starts */
	EXPECT(MC_ERR_VALUE, "$.schedule.end", mc_offer_parse(bad, strlen(bad), &o, &e));
	snprintf(bad, sizeof bad, "%s", OFFER);
	memcpy(strstr(bad, "\"online\""), "\"remote\"", 8);
	EXPECT(MC_ERR_VALUE, "$.mode", mc_offer_parse(bad, strlen(bad), &o, &e));
	static const char lo[] = "{\"id\":\"urn:o\",\"provider\":\"did:web:u.example\",\"title\":\"T\",\"description\":\"D\","
	                         "\"learningOutcomes\":[\"a\",7],\"ects\":1,\"country\":\"AT\",\"language\":\"en\",\"mode\":\"online\"}";
	EXPECT(MC_ERR_TYPE, "$.learningOutcomes[1]", mc_offer_parse(lo, strlen(lo), &o, &e));
}
END_TEST

START_TEST(feed_parse)
{
	char feed[4096];
	snprintf(feed, sizeof feed, "{\"provider\":\"did:web:uni.example\",\"offers\":[%s]}", OFFER);
	mc_offer *v = NULL;
	size_t n = 0;
	DO(mc_catalogue_feed_parse(feed, strlen(feed), &v, &n, &e));
	ck_assert_uint_eq(n, 1);
	mc_offer_list_free(v, n);
	/* malformed feeds name the field */
	snprintf(feed, sizeof feed, "{\"provider\":\"did:web:other.example\",\"offers\":[%s]}", OFFER);
	EXPECT(MC_ERR_VALUE, "$.offers[0].provider", mc_catalogue_feed_parse(feed, strlen(feed), &v, &n, &e));
	ck_assert_ptr_null(v);
	snprintf(feed, sizeof feed, "{\"offers\":[%s,%s]}", OFFER, OFFER);
	EXPECT(MC_ERR_VALUE, "$.offers[1].id", mc_catalogue_feed_parse(feed, strlen(feed), &v, &n, &e));
	static const char ects[] = "{\"offers\":[{\"id\":\"urn:o\",\"provider\":\"did:web:u.example\",\"title\":\"T\","
	                           "\"description\":\"D\",\"learningOutcomes\":[\"a\"],\"ects\":\"5\",\"country\":\"AT\","
	                           "\"language\":\"en\",\"mode\":\"online\"}]}";
	EXPECT(MC_ERR_TYPE, "$.offers[0].ects", mc_catalogue_feed_parse(ects, strlen(ects), &v, &n, &e));
	static const char notarr[] = "{\"offers\":{}}";
	EXPECT(MC_ERR_TYPE, "$.offers", mc_catalogue_feed_parse(notarr, strlen(notarr), &v, &n, &e));
	static const char trunc[] = "{\"offers\":[";
	EXPECT(MC_ERR_JSON_SYNTAX, NULL, mc_catalogue_feed_parse(trunc, strlen(trunc), &v, &n, &e));
}
END_TEST

START_TEST(offer_from_template)
{
	size_t alen;
	char path[512];
	snprintf(path, sizeof path, "%s", "examples/achievement.json");
	char *ach = tu_read(path, &alen);
	static const char det[] = "{\"id\":\"https://uni-graz.example/offers/dl-2026\",\"provider\":\"did:web:www.uni-graz.example\","
	                          "\"country\":\"AT\",\"language\":\"en\",\"mode\":\"blended\",\"place\":\"Graz\"}";
	char *offer = NULL;
	DO(mc_offer_from_template(ach, alen, det, strlen(det), "data-literacy-pa", 1, &offer, &e));
	mc_offer o;
	DO(mc_offer_parse(offer, strlen(offer), &o, &e));
	ck_assert_str_eq(o.field, "0688");
	ck_assert_int_eq(o.eqf, 6);
	ck_assert_ptr_nonnull(strstr(offer, "stackableInto"));
	mc_offer_clear(&o);
	mc_free(offer);
	static const char bad[] = "{\"id\":\"https://uni-graz.example/offers/dl-2026\",\"provider\":\"did:web:www.uni-graz.example\","
	                          "\"country\":\"AT\",\"language\":\"en\",\"mode\":\"blended\",\"ects\":3}";
	EXPECT(MC_ERR_VALUE, NULL, mc_offer_from_template(ach, alen, bad, strlen(bad), "t", 1, &offer, &e));
	free(ach);
}
END_TEST

/* ---- Store (both back-ends) ---------------------------------------------------- */

START_TEST(store_register)
{
	mc_store *s = open_store();
	mc_register reg, back;
	load_register(&reg);
	DO(mc_store_register_import(s, &reg, "tester", &e));
	DO(mc_store_register_load(s, &back, &e));
	char *a = NULL, *b = NULL;
	DO(mc_register_to_json(&reg, &a, &e));
	DO(mc_register_to_json(&back, &b, &e));
	ck_assert_str_eq(a, b);
	mc_free(b);
	mc_register_clear(&back);
	/* importing again replaces by id: still one of each */
	snprintf(reg.providers[0].name, strlen(reg.providers[0].name) + 1, "%s", "Renamed U");
	DO(mc_store_register_import(s, &reg, NULL, &e));
	DO(mc_store_register_load(s, &back, &e));
	ck_assert_uint_eq(back.nproviders, 2);
	ck_assert_uint_eq(back.nresults, 2);
	mc_register_clear(&back);
	mc_store_audit *log = NULL;
	size_t n = 0;
	DO(mc_store_audit_list(s, 0, 10, &log, &n, &e));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(log[0].action, "register.import");
	ck_assert_str_eq(log[0].actor, "tester");
	mc_store_audit_list_free(log, n);
	/* twin: the database refuses a result that ends before it starts */
	strcpy(reg.results[0].valid_until, "2000-01-01");
	EXPECT(MC_ERR_VALUE, NULL, mc_store_register_import(s, &reg, NULL, &e));
	DO(mc_store_register_load(s, &back, &e)); /* nothing of the failed import remains */
	ck_assert_uint_eq(back.nresults, 2);
	mc_register_clear(&back);
	DO(mc_store_audit_list(s, 0, 10, &log, &n, &e));
	ck_assert_uint_eq(n, 2);
	mc_store_audit_list_free(log, n);
	mc_free(a);
	mc_register_clear(&reg);
	mc_store_close(s);
}
END_TEST

START_TEST(store_recognition)
{
	mc_store *s = open_store();
	mc_register reg;
	load_register(&reg);
	mc_recognition_policy *pol = NULL;
	DO(mc_recognition_policy_parse(POLICY, strlen(POLICY), &pol, &e));
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	char *c = mk_cred("https://uni.example/mc/1", 5, 6, "0688", "2025-06-30");
	mc_recognition d;
	DO(mc_recognise(pol, &reg, cache, c, strlen(c), T_2025 + 86400, &d, &e));
	int64_t id = 0, n = 0;
	DO(mc_store_recognition_record(s, &d, "registrar", &id, &e));
	ck_assert_int_ge(id, 1);
	DO(mc_store_recognition_count(s, d.digest, &n, &e));
	ck_assert_int_eq(n, 1);
	mc_store_audit *log = NULL;
	size_t nl = 0;
	DO(mc_store_audit_list(s, 0, 10, &log, &nl, &e));
	ck_assert_uint_eq(nl, 1);
	ck_assert_str_eq(log[0].action, "recognition.decide");
	mc_store_audit_list_free(log, nl);
	/* twin: a decision not made by mc_recognise is refused, nothing recorded */
	mc_recognition fake = {0};
	EXPECT(MC_ERR_ARG, "d", mc_store_recognition_record(s, &fake, NULL, NULL, &e));
	DO(mc_store_recognition_count(s, d.digest, &n, &e));
	ck_assert_int_eq(n, 1);
	mc_recognition_clear(&d);
	mc_free(c);
	mc_verify_cache_free(cache);
	mc_recognition_policy_free(pol);
	mc_register_clear(&reg);
	mc_store_close(s);
}
END_TEST

static void put_offer(mc_store *s, const char *id, const char *title, double ects, int eqf, const char *field,
                      const char *country, const char *mode)
{
	char j[2048];
	snprintf(j, sizeof j,
	         "{\"id\":\"%s\",\"provider\":\"did:web:%s.example\",\"title\":\"%s\",\"description\":\"A course.\","
	         "\"learningOutcomes\":[\"Apply what was learned\"],\"ects\":%g,\"eqfLevel\":%d,\"iscedF\":\"%s\","
	         "\"country\":\"%s\",\"language\":\"en\",\"mode\":\"%s\"}",
	         id, country, title, ects, eqf, field, country, mode);
	mc_offer o;
	DO(mc_offer_parse(j, strlen(j), &o, &e));
	DO(mc_store_catalogue_put(s, &o, 1, &e));
	mc_offer_clear(&o);
}

START_TEST(store_catalogue)
{
	mc_store *s = open_store();
	put_offer(s, "urn:o:1", "Data literacy for public administration", 5, 6, "0688", "AT", "online");
	put_offer(s, "urn:o:2", "Machine learning basics", 3, 6, "0613", "FI", "onsite");
	put_offer(s, "urn:o:3", "Data engineering", 10, 7, "0613", "AT", "blended");
	put_offer(s, "urn:o:4", "Öffentliche Daten", 2, 5, "0688", "AT", "online");
	mc_catalogue_query q = {.text = "data"};
	mc_offer *hits = NULL;
	size_t n = 0;
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 2); /* 1 and 3; "Daten" is another word */
	mc_offer_list_free(hits, n);
	/* two filters: ECTS range and country */
	q = (mc_catalogue_query){.text = "data", .ects_min = 4, .ects_max = 6, .country = "AT"};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(hits[0].id, "urn:o:1");
	ck_assert(hits[0].ects == 5);
	mc_offer_list_free(hits, n);
	/* twin: the same words with a filter nothing meets */
	q.mode = "onsite";
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_offer_list_free(hits, n);
	/* field prefix and level, no text: ordered by title */
	q = (mc_catalogue_query){.field = "06", .eqf = 6};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(hits[0].id, "urn:o:1");
	mc_offer_list_free(hits, n);
	/* relevance: a title match ranks first */
	q = (mc_catalogue_query){.text = "machine learning"};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 1);
	mc_offer_list_free(hits, n);
	/* provider filter, and an open ECTS range (left to SQL) */
	q = (mc_catalogue_query){.text = "basics", .provider = "did:web:FI.example"};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 1);
	mc_offer_list_free(hits, n);
	q.provider = "did:web:AT.example"; /* twin */
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_offer_list_free(hits, n);
	q = (mc_catalogue_query){.text = "data", .ects_min = 6, .language = "en"};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(hits[0].id, "urn:o:3");
	mc_offer_list_free(hits, n);
	q = (mc_catalogue_query){.text = "data", .ects_min = 2.5, .ects_max = 5, .field = "0688", .eqf = 6};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 1);
	mc_offer_list_free(hits, n);
	/* operators and quotes in the text are words, not syntax */
	q = (mc_catalogue_query){.text = "data\" OR title:x NEAR("};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_offer_list_free(hits, n);
	/* replacing an offer updates the index */
	put_offer(s, "urn:o:2", "Statistics basics", 3, 6, "0613", "FI", "onsite");
	q = (mc_catalogue_query){.text = "machine"};
	DO(mc_store_catalogue_search(s, &q, &hits, &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_offer_list_free(hits, n);
	q = (mc_catalogue_query){.field = "6"};
	EXPECT(MC_ERR_VALUE, "q.field", mc_store_catalogue_search(s, &q, &hits, &n, &e));
	mc_store_close(s);
}
END_TEST

static void add_store_tests(TCase *tc)
{
	tcase_add_checked_fixture(tc, fresh, cleanup);
	tcase_add_test(tc, store_register);
	tcase_add_test(tc, store_recognition);
	tcase_add_test(tc, store_catalogue);
}

static Suite *trust_suite(void)
{
	Suite *su = two_backends("trust", add_store_tests, NULL);
	TCase *tc = tcase_create("formats");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, register_json);
	tcase_add_test(tc, register_json_bad);
	tcase_add_test(tc, register_csv_roundtrip);
	tcase_add_test(tc, register_csv_bad);
	tcase_add_test(tc, register_check);
	tcase_add_test(tc, register_check_scope);
	tcase_add_test(tc, register_signed);
	tcase_add_test(tc, verify_register_line);
	tcase_add_test(tc, cache_verifies_once);
	tcase_add_test(tc, pathway_eval);
	tcase_add_test(tc, pathway_bad);
	tcase_add_test(tc, recognition);
	tcase_add_test(tc, recognition_policy_bad);
	tcase_add_test(tc, offer_parse);
	tcase_add_test(tc, feed_parse);
	tcase_add_test(tc, offer_from_template);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	if (mc_init() != MC_OK || !keys())
		return EXIT_FAILURE;
	SRunner *sr = srunner_create(trust_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
