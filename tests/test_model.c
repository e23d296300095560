/*
 * test_model.c - the EU micro-credential model: build -> credential ->
 * extract round trips with every element, the examples, and for every
 * mandatory element and every checked value a failing twin whose report
 * names the right path. Runs from the project root (reads examples/ and
 * docs/context.md) and reads the VC/OB3 contexts from the shared vectors.
 */
#include <cjson/cJSON.h>

#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

/* JSON written with single quotes (C has no raw strings); texts use ’. */
static char *J(const char *s)
{
	char *d = strdup(s);
	ck_assert_ptr_nonnull(d);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

typedef struct inputs {
	char *a, *i, *l;
} inputs;

static inputs examples(void)
{
	inputs in;
	in.a = tu_read("examples/achievement.json", NULL);
	in.i = tu_read("examples/issuer.json", NULL);
	in.l = tu_read("examples/learner.json", NULL);
	return in;
}

static void inputs_free(inputs *in)
{
	free(in->a);
	free(in->i);
	free(in->l);
}

static const mc_build_opts fixed = {NULL, "urn:uuid:00000000-0000-4000-8000-00000000abcd", NULL};

static mc_status build(const inputs *in, const mc_build_opts *o, char **out, mc_err *e)
{
	return mc_credential_build(in->a, strlen(in->a), in->i, strlen(in->i), in->l, strlen(in->l), o, out, e);
}

static char *build_ok(const inputs *in)
{
	char *out = NULL;
	mc_err e = {0};
	mc_status st = build(in, &fixed, &out, &e);
	ck_assert_msg(st == MC_OK, "build failed: %d %s: %s", st, e.path, e.msg);
	return out;
}

/* Walk a dotted path ("credentialSubject.achievement.name", array indexes
 * as numbers) and delete (value NULL) or set the last member. Returns a new
 * pretty-printed document; frees nothing. */
static char *edit(const char *json, const char *path, const char *value)
{
	cJSON *root = cJSON_Parse(json);
	ck_assert_ptr_nonnull(root);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	cJSON *node = root;
	char *seg = buf, *dot;
	while ((dot = strchr(seg, '.'))) {
		*dot = '\0';
		node = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, atoi(seg))
		                           : cJSON_GetObjectItemCaseSensitive(node, seg);
		ck_assert_msg(node != NULL, "edit: no %s in %s", seg, path);
		seg = dot + 1;
	}
	if (!value) {
		if (cJSON_IsArray(node))
			cJSON_DeleteItemFromArray(node, atoi(seg));
		else
			cJSON_DeleteItemFromObjectCaseSensitive(node, seg);
	} else {
		char *v = J(value);
		cJSON *nv = cJSON_Parse(v);
		free(v);
		ck_assert_msg(nv != NULL, "edit: bad value %s", value);
		if (cJSON_IsArray(node))
			cJSON_ReplaceItemInArray(node, atoi(seg), nv);
		else if (cJSON_GetObjectItemCaseSensitive(node, seg))
			cJSON_ReplaceItemInObjectCaseSensitive(node, seg, nv);
		else
			cJSON_AddItemToObject(node, seg, nv);
	}
	char *out = cJSON_Print(root);
	cJSON_Delete(root);
	return out;
}

/* Apply edits (path, value-or-NULL pairs, NULL-terminated) in place. */
static void edits(char **doc, const char *const *pv)
{
	for (; pv[0]; pv += 2) {
		char *n = edit(*doc, pv[0], pv[1]);
		free(*doc);
		*doc = n;
	}
}

static int has_finding(const mc_report *r, const char *path)
{
	for (size_t i = 0; i < mc_report_count(r); i++) {
		const mc_finding *f = mc_report_get(r, i);
		if (f->result == MC_FAIL && strcmp(f->path, path) == 0 && strcmp(f->check, "eu-elements") == 0)
			return 1;
	}
	return 0;
}

static size_t fail_count(const mc_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < mc_report_count(r); i++)
		n += mc_report_get(r, i)->result == MC_FAIL;
	return n;
}

static char *report_text(const mc_report *r)
{
	char *j = NULL;
	if (!r || mc_report_json(r, &j) != MC_OK)
		return strdup("(no report)");
	return j;
}

/* Validate and expect exactly: invalid, with a finding at each path. */
static void expect_invalid(const char *cred, const char *const *paths)
{
	mc_report *r = NULL;
	mc_err e = {0};
	mc_status st = mc_credential_validate(cred, strlen(cred), &r, &e);
	char *txt = report_text(r);
	ck_assert_msg(st == MC_ERR_INVALID, "expected MC_ERR_INVALID, got %d; report %s", st, txt);
	ck_assert_int_eq(e.status, MC_ERR_INVALID);
	ck_assert_ptr_nonnull(r);
	ck_assert(!mc_report_ok(r));
	for (; *paths; paths++)
		ck_assert_msg(has_finding(r, *paths), "no finding at %s; report %s", *paths, txt);
	free(txt);
	mc_report_free(r);
}

static void expect_valid(const char *cred)
{
	mc_report *r = NULL;
	mc_err e = {0};
	mc_status st = mc_credential_validate(cred, strlen(cred), &r, &e);
	char *txt = report_text(r);
	ck_assert_msg(st == MC_OK, "expected valid, got %d (%s: %s); report %s", st, e.path, e.msg, txt);
	ck_assert(mc_report_ok(r));
	free(txt);
	mc_report_free(r);
}

/* Compare two JSON texts structurally (key order and spacing ignored). */
static void json_eq(const char *got, const char *want, const char *what)
{
	cJSON *g = cJSON_Parse(got), *w = cJSON_Parse(want);
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(w);
	int same = cJSON_Compare(g, w, 1);
	char *gs = cJSON_PrintUnformatted(g), *ws = cJSON_PrintUnformatted(w);
	ck_assert_msg(same, "%s differs:\n got  %s\n want %s", what, gs, ws);
	free(gs);
	free(ws);
	cJSON_Delete(g);
	cJSON_Delete(w);
}

/* The {"achievement"|"issuer"|"learner"} member of an extract, as text. */
static char *part(const char *extracted, const char *name)
{
	cJSON *root = cJSON_Parse(extracted);
	ck_assert_ptr_nonnull(root);
	cJSON *p = cJSON_GetObjectItemCaseSensitive(root, name);
	ck_assert_ptr_nonnull(p);
	char *s = cJSON_PrintUnformatted(p);
	cJSON_Delete(root);
	return s;
}

static char *extract_ok(const char *cred)
{
	char *x = NULL;
	mc_err e = {0};
	mc_status st = mc_credential_extract(cred, strlen(cred), &x, &e);
	ck_assert_msg(st == MC_OK, "extract failed: %d %s: %s", st, e.path, e.msg);
	return x;
}

/* ---- every element, round trip ------------------------------------------------ */

/* Inputs in the canonical form extract writes back: texts that are one
 * default-language entry are plain strings, dates are dateTimes, ESCO
 * skills come before other skills. Unicode from several scripts. */
static const char full_achievement[] =
	"{'id': 'urn:uuid:6f1c1f5e-3d2a-4b8e-9a51-0c1d2e3f4a5b', 'defaultLanguage': 'de',"
	" 'title': {'de': 'Datenkompetenz ✓', 'en': 'Data literacy', 'el': 'Ψηφιακός γραμματισμός'},"
	" 'description': 'Beschreibung mit Ümlauten, 日本語 und 🎓',"
	" 'learningOutcomes': ["
	"   {'text': {'de': 'Daten bewerten', 'en': 'Assess data'},"
	"    'skills': ['http://data.europa.eu/esco/skill/713fb616-118e-40bc-9366-4a69879a49d5',"
	"               'http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f',"
	"               'https://skills.example/framework/42']},"
	"   'Nur auf Deutsch',"
	"   {'en': 'English only outcome'},"
	"   {'text': 'Mit Fähigkeit, ohne ESCO', 'skills': ['urn:skill:x-1']}],"
	" 'ects': 2.5, 'workloadHours': 62, 'eqfLevel': 5, 'qfEheaCycle': 'short',"
	" 'nqf': {'framework': 'DQR', 'level': '5'},"
	" 'assessment': {'type': 'online-test', 'description': {'de': 'Online-Test', 'en': 'Online test'}},"
	" 'participation': 'online',"
	" 'qualityAssurance': {'type': 'iso-17024', 'description': 'Zertifiziert nach ISO 17024',"
	"   'agency': 'Deutsche Akkreditierungsstelle', 'url': 'https://qa.example/report/1'},"
	" 'prerequisites': 'Keine',"
	" 'supervision': 'unsupervised', 'identityVerification': 'none',"
	" 'stackability': {'standalone': false, 'stackableInto': ["
	"   {'id': 'https://uni.example/msc', 'title': {'de': 'MSc Daten', 'en': 'MSc Data'}},"
	"   {'title': 'Zertifikat ohne IRI'}]},"
	" 'furtherInformation': {'en': 'More at https://uni.example'},"
	" 'iscedF': '0542', 'languages': ['de', 'en', 'el'],"
	" 'awardingBody': {'id': 'did:web:faculty.uni.example', 'name': {'de': 'Fakultät', 'en': 'Faculty'},"
	"   'url': 'https://faculty.uni.example/'},"
	" 'gradingScheme': 'Bestanden / nicht bestanden'}";

static const char full_issuer[] =
	"{'id': 'did:web:uni.example', 'name': 'Universität Beispiel', 'country': 'DE', 'region': 'DE-BY',"
	" 'url': 'https://uni.example/', 'email': 'info@uni.example',"
	" 'identifiers': [{'scheme': 'erasmus', 'value': 'D MUNCHEN01'}, {'scheme': 'national', 'value': 'HRB 123'},"
	"   {'scheme': 'vat', 'value': 'DE123456789'}, {'scheme': 'schac', 'value': 'uni.example'},"
	"   {'scheme': 'other', 'value': 'ROR 05xyz'}]}";

static const char full_learner[] =
	"{'id': 'mailto:anna@example.org', 'name': 'Anna Müller-Łukasz', 'givenName': 'Anna',"
	" 'familyName': 'Müller-Łukasz', 'email': 'anna@example.org', 'studentId': 'S-42', 'externalId': 'crm-7',"
	" 'grade': 'bestanden', 'issued': '2025-01-31T10:00:00+01:00', 'validUntil': '2030-01-31T10:00:00+01:00'}";

static inputs full_inputs(void)
{
	inputs in = {J(full_achievement), J(full_issuer), J(full_learner)};
	return in;
}

START_TEST(roundtrip_every_element)
{
	inputs in = full_inputs();
	char *cred = build_ok(&in);
	expect_valid(cred);
	char *x = extract_ok(cred);
	char *a = part(x, "achievement"), *i = part(x, "issuer"), *l = part(x, "learner");
	json_eq(a, in.a, "achievement");
	json_eq(i, in.i, "issuer");
	json_eq(l, in.l, "learner");
	/* and the extracted documents build the very same credential */
	inputs again = {a, i, l};
	char *cred2 = build_ok(&again);
	ck_assert_str_eq(cred2, cred);
	mc_free(cred2);
	mc_free(x);
	mc_free(cred);
	inputs_free(&again);
	inputs_free(&in);
}
END_TEST

START_TEST(roundtrip_minimal)
{
	/* only the mandatory elements; plain strings in the default language */
	inputs in = {J("{'title': 'T', 'description': 'D', 'learningOutcomes': ['LO'], 'ects': 1,"
	               " 'qfEheaCycle': 'second', 'assessment': {'type': 'oral-exam'}, 'participation': 'onsite',"
	               " 'qualityAssurance': {'type': 'internal'}}"),
	             J("{'id': 'did:example:issuer', 'name': 'Issuer', 'country': 'MT'}"),
	             J("{'studentId': '123'}")};
	mc_build_opts o = fixed;
	o.valid_from = "2024-02-29";
	char *out = NULL;
	mc_err e = {0};
	ck_assert_int_eq(build(&in, &o, &out, &e), MC_OK);
	expect_valid(out);
	char *x = extract_ok(out);
	char *a = part(x, "achievement"), *l = part(x, "learner");
	/* the generated achievement id and the date of issuing come back too */
	char *want_l = J("{'studentId': '123', 'issued': '2024-02-29T00:00:00Z'}");
	json_eq(l, want_l, "learner");
	cJSON *ao = cJSON_Parse(a);
	cJSON *id = cJSON_GetObjectItemCaseSensitive(ao, "id");
	ck_assert(cJSON_IsString(id) && strncmp(id->valuestring, "urn:uuid:", 9) == 0);
	cJSON_DeleteItemFromObjectCaseSensitive(ao, "id");
	char *a2 = cJSON_PrintUnformatted(ao);
	json_eq(a2, in.a, "achievement");
	cJSON_Delete(ao);
	free(a2);
	free(want_l);
	free(a);
	free(l);
	mc_free(x);
	mc_free(out);
	inputs_free(&in);
}
END_TEST

START_TEST(default_language)
{
	/* plain strings take the achievement's defaultLanguage, also in the issuer */
	inputs in = full_inputs();
	char *cred = build_ok(&in);
	cJSON *c = cJSON_Parse(cred);
	cJSON *ach = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "credentialSubject"),
	                                              "achievement");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(ach, "inLanguage")->valuestring, "de");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(ach, "name")->valuestring, "Datenkompetenz ✓");
	cJSON *dl = cJSON_GetObjectItemCaseSensitive(ach, "descriptionLang");
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(dl, "de"));
	cJSON *iss = cJSON_GetObjectItemCaseSensitive(c, "issuer");
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(iss, "nameLang"), "de"));
	cJSON_Delete(c);
	mc_free(cred);
	inputs_free(&in);
}
END_TEST

START_TEST(grade_ids_deterministic)
{
	/* the grade scale's id derives from the achievement IRI, even one with
	 * a fragment or longer than any fixed buffer (fuzz regression) */
	inputs in = examples();
	char longid[700];
	snprintf(longid, sizeof longid, "'https://uni.example/mc#%0600d'", 7);
	char *n = edit(in.a, "id", longid);
	free(in.a);
	in.a = n;
	char *c1 = build_ok(&in), *c2 = build_ok(&in);
	ck_assert_str_eq(c1, c2);
	ck_assert_ptr_nonnull(strstr(c1, "0007-grade\""));
	mc_free(c1);
	mc_free(c2);
	inputs_free(&in);
}
END_TEST

/* ---- the examples ------------------------------------------------------------ */

START_TEST(examples_build_and_validate)
{
	inputs in = examples();
	char *cred = build_ok(&in);
	expect_valid(cred);
	mc_report *r = NULL;
	ck_assert_int_eq(mc_credential_validate(cred, strlen(cred), &r, NULL), MC_OK);
	ck_assert_uint_eq(mc_report_count(r), 1);
	ck_assert_int_eq(mc_report_get(r, 0)->result, MC_PASS);
	mc_report_free(r);
	/* deterministic for a fixed credential id */
	char *again = build_ok(&in);
	ck_assert_str_eq(again, cred);
	/* the three standard contexts, OB3 required members */
	cJSON *c = cJSON_Parse(cred);
	cJSON *ctx = cJSON_GetObjectItemCaseSensitive(c, "@context");
	ck_assert_str_eq(cJSON_GetArrayItem(ctx, 0)->valuestring, MC_VC_CONTEXT_URL);
	ck_assert_str_eq(cJSON_GetArrayItem(ctx, 1)->valuestring, MC_OB_CONTEXT_URL);
	ck_assert_str_eq(cJSON_GetArrayItem(ctx, 2)->valuestring, MC_CONTEXT_URL);
	cJSON *ach = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "credentialSubject"),
	                                              "achievement");
	const char *req[] = {"id", "type", "criteria", "description", "name", "achievementType"};
	for (size_t k = 0; k < sizeof req / sizeof req[0]; k++)
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(ach, req[k]) != NULL, "achievement.%s", req[k]);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(ach, "achievementType")->valuestring, "MicroCredential");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(ach, "eqfLevel")->valuestring,
	                 "http://data.europa.eu/snb/eqf/6");
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(ach, "creditsAvailable")->valuedouble, 5);
	cJSON_Delete(c);
	/* extract -> build gives the same credential */
	char *x = extract_ok(cred);
	inputs back = {part(x, "achievement"), part(x, "issuer"), part(x, "learner")};
	char *cred2 = build_ok(&back);
	ck_assert_str_eq(cred2, cred);
	mc_free(cred2);
	inputs_free(&back);
	mc_free(x);
	mc_free(again);
	mc_free(cred);
	inputs_free(&in);
}
END_TEST

START_TEST(example_inputs_check_clean)
{
	inputs in = examples();
	mc_report *r = NULL;
	ck_assert_int_eq(mc_credential_check_inputs(in.a, strlen(in.a), in.i, strlen(in.i), in.l, strlen(in.l), NULL,
	                                             &r, NULL),
	                 MC_OK);
	ck_assert_uint_eq(fail_count(r), 0);
	mc_report_free(r);
	inputs_free(&in);
}
END_TEST

/* ---- mandatory elements: failing twins on the credential ------------------------- */

#define ACH "credentialSubject.achievement."
#define PACH "$.credentialSubject.achievement."

static const struct {
	const char *element;
	const char *remove[5];
	const char *path;
} mandatory[] = {
	{"learner identification", {"credentialSubject.id", "credentialSubject.identifier"}, "$.credentialSubject.id"},
	{"title", {ACH "name", ACH "nameLang"}, PACH "name"},
	{"country of the issuer", {"issuer.address.addressCountryCode"}, "$.issuer.address.addressCountryCode"},
	{"country (no address)", {"issuer.address"}, "$.issuer.address.addressCountryCode"},
	{"awarding body", {"issuer.name", "issuer.nameLang"}, "$.issuer.name"},
	{"date of issuing", {"validFrom"}, "$.validFrom"},
	{"learning outcomes", {ACH "learningOutcome"}, PACH "learningOutcome"},
	{"workload (ECTS)", {ACH "creditsAvailable"}, PACH "creditsAvailable"},
	{"level", {ACH "eqfLevel", ACH "qfEheaCycle", ACH "nqfFramework", ACH "nqfLevel"}, PACH "eqfLevel"},
	{"type of assessment", {ACH "assessmentType"}, PACH "assessmentType"},
	{"form of participation", {ACH "participationMode"}, PACH "participationMode"},
	{"type of quality assurance", {ACH "qualityAssurance"}, PACH "qualityAssurance"},
	{"type of quality assurance (code)", {ACH "qualityAssurance.qualityAssuranceType"},
	 PACH "qualityAssurance.qualityAssuranceType"},
	{"achievementType", {ACH "achievementType"}, PACH "achievementType"},
	{"OB3 criteria", {ACH "criteria"}, PACH "criteria"},
	{"OB3 description", {ACH "description", ACH "descriptionLang"}, PACH "description"},
	{"issuer", {"issuer"}, "$.issuer"},
};

START_TEST(mandatory_twin_credential)
{
	inputs in = examples();
	char *cred = build_ok(&in);
	expect_valid(cred);
	for (size_t r = 0; r < 5 && mandatory[_i].remove[r]; r++) {
		char *n = edit(cred, mandatory[_i].remove[r], NULL);
		mc_free(cred);
		cred = n;
	}
	const char *paths[] = {mandatory[_i].path, NULL};
	expect_invalid(cred, paths);
	/* extract refuses, naming the same element */
	char *x = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_credential_extract(cred, strlen(cred), &x, &e), MC_ERR_INVALID);
	ck_assert_ptr_null(x);
	ck_assert_str_eq(e.path, mandatory[_i].path);
	free(cred);
	inputs_free(&in);
}
END_TEST

/* ---- mandatory elements: failing twins on the inputs ------------------------------ */

static const struct {
	char doc; /* a, i, l */
	const char *remove[4];
	const char *path;
} mandatory_in[] = {
	{'l', {"id", "email", "studentId"}, "learner: $.id"},
	{'a', {"title"}, "achievement: $.title"},
	{'i', {"country"}, "issuer: $.country"},
	{'i', {"name"}, "issuer: $.name"},
	{'i', {"id"}, "issuer: $.id"},
	{'a', {"learningOutcomes"}, "achievement: $.learningOutcomes"},
	{'a', {"ects"}, "achievement: $.ects"},
	{'a', {"eqfLevel", "qfEheaCycle", "nqf"}, "achievement: $.eqfLevel"},
	{'a', {"assessment"}, "achievement: $.assessment"},
	{'a', {"assessment.type"}, "achievement: $.assessment.type"},
	{'a', {"participation"}, "achievement: $.participation"},
	{'a', {"qualityAssurance"}, "achievement: $.qualityAssurance"},
	{'a', {"qualityAssurance.type"}, "achievement: $.qualityAssurance.type"},
	{'a', {"description"}, "achievement: $.description"},
};

START_TEST(mandatory_twin_inputs)
{
	inputs in = examples();
	char **doc = mandatory_in[_i].doc == 'a' ? &in.a : mandatory_in[_i].doc == 'i' ? &in.i : &in.l;
	for (size_t r = 0; r < 4 && mandatory_in[_i].remove[r]; r++) {
		char *n = edit(*doc, mandatory_in[_i].remove[r], NULL);
		free(*doc);
		*doc = n;
	}
	char *out = NULL;
	mc_err e = {0};
	mc_status st = build(&in, &fixed, &out, &e);
	ck_assert_msg(st == MC_ERR_MISSING, "got %d %s: %s", st, e.path, e.msg);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(e.path, mandatory_in[_i].path);
	mc_report *r = NULL;
	ck_assert_int_eq(mc_credential_check_inputs(in.a, strlen(in.a), in.i, strlen(in.i), in.l, strlen(in.l), NULL,
	                                            &r, NULL),
	                 MC_ERR_INVALID);
	ck_assert(has_finding(r, mandatory_in[_i].path));
	ck_assert_uint_eq(fail_count(r), 1);
	mc_report_free(r);
	inputs_free(&in);
}
END_TEST

START_TEST(issuer_id_from_options)
{
	inputs in = examples();
	char *n = edit(in.i, "id", NULL);
	free(in.i);
	in.i = n;
	mc_build_opts o = fixed;
	o.issuer_id = "did:web:fallback.example";
	char *out = NULL;
	mc_err e = {0};
	ck_assert_int_eq(build(&in, &o, &out, &e), MC_OK);
	ck_assert_ptr_nonnull(strstr(out, "did:web:fallback.example"));
	mc_free(out);
	inputs_free(&in);
}
END_TEST

/* ---- invalid values ---------------------------------------------------------------- */

static const struct {
	const char *path, *value, *report;
} bad_cred[] = {
	{ACH "eqfLevel", "'http://data.europa.eu/snb/eqf/9'", PACH "eqfLevel"},
	{ACH "eqfLevel", "6", PACH "eqfLevel"},
	{ACH "creditsAvailable", "-1", PACH "creditsAvailable"},
	{ACH "creditsAvailable", "0", PACH "creditsAvailable"},
	{ACH "creditsAvailable", "180.5", PACH "creditsAvailable"},
	{ACH "creditsAvailable", "'NaN'", PACH "creditsAvailable"},
	{ACH "creditsAvailable", "'5'", PACH "creditsAvailable"},
	{"issuer.address.addressCountryCode", "'XX'", "$.issuer.address.addressCountryCode"},
	{"issuer.address.addressCountryCode", "'at'", "$.issuer.address.addressCountryCode"},
	{"issuer.address.addressRegion", "'DE-BY'", "$.issuer.address.addressRegion"},
	{"validFrom", "'2024-13-01T00:00:00Z'", "$.validFrom"},
	{"validFrom", "'2024-06-01'", "$.validFrom"},
	{"validUntil", "'2025-06-29T23:59:59Z'", "$.validUntil"},
	{"awardedDate", "'yesterday'", "$.awardedDate"},
	{ACH "participationMode", "'telepathy'", PACH "participationMode"},
	{ACH "assessmentType", "'vibes'", PACH "assessmentType"},
	{ACH "qualityAssurance.qualityAssuranceType", "'none'", PACH "qualityAssurance.qualityAssuranceType"},
	{ACH "qualityAssurance.url", "'not a url'", PACH "qualityAssurance.url"},
	{ACH "supervision", "'sometimes'", PACH "supervision"},
	{ACH "identityVerification", "'passport'", PACH "identityVerification"},
	{ACH "qfEheaCycle", "'fourth'", PACH "qfEheaCycle"},
	{ACH "nqfFramework", NULL, PACH "nqfFramework"},
	{ACH "iscedF", "'http://data.europa.eu/snb/isced-f/1234'", PACH "iscedF"},
	{ACH "iscedF", "'http://data.europa.eu/snb/isced-f/061'", PACH "iscedF"},
	{ACH "iscedF", "'0613'", PACH "iscedF"},
	{ACH "inLanguage", "'english'", PACH "inLanguage"},
	{ACH "nameLang", "{'english': 'x'}", PACH "nameLang.english"},
	{ACH "nameLang", "{'en': ''}", PACH "nameLang.en"},
	{ACH "nameLang", "{}", PACH "nameLang"},
	{ACH "nameLang", "['x']", PACH "nameLang"},
	{ACH "name", "''", PACH "name"},
	{ACH "name", "42", PACH "name"},
	{ACH "learningOutcome", "[]", PACH "learningOutcome"},
	{ACH "learningOutcome", "{'title': 'x'}", PACH "learningOutcome"},
	{ACH "learningOutcome.0.title", "{'en': '   '}", PACH "learningOutcome[0].title.en"},
	{ACH "learningOutcome.1", "'just text'", PACH "learningOutcome[1]"},
	{ACH "learningOutcome.0.relatedESCOSkill", "['not an iri']", PACH "learningOutcome[0].relatedESCOSkill[0]"},
	{ACH "instructionLanguage", "['en', 'deutsch']", PACH "instructionLanguage[1]"},
	{ACH "volumeOfLearning", "'P1M'", PACH "volumeOfLearning"},
	{ACH "achievementType", "'Badge'", PACH "achievementType"},
	{ACH "prerequisites", "{'type': 'Note'}", PACH "prerequisites.noteLiteral"},
	{ACH "stackability.standalone", "'yes'", PACH "stackability.standalone"},
	{ACH "awardingBody", "{'url': 'https://x.example/'}", PACH "awardingBody.name"},
	{ACH "alignment.0.targetUrl", NULL, PACH "alignment[0].targetUrl"},
	{ACH "type", "['Badge']", PACH "type"},
	{ACH "id", "'relative/path'", PACH "id"},
	{"type", "['VerifiableCredential']", "$.type"},
	{"id", NULL, "$.id"},
	{"@context", "['https://www.w3.org/ns/credentials/v2']", "$.@context"},
	{"issuer", "'did:web:uni.example'", "$.issuer"},
	{"issuer.email", "'no-at-sign'", "$.issuer.email"},
	{"credentialSubject", "[]", "$.credentialSubject"},
	/* fuzz regression: issuer texts read before any achievement language */
	{"credentialSubject", NULL, "$.credentialSubject"},
	{"credentialSubject.type", "'Person'", "$.credentialSubject.type"},
	{"credentialSubject.identifier.0.hashed", "'no'", "$.credentialSubject.identifier[0].hashed"},
	{"credentialSubject.result.0.value", "1", "$.credentialSubject.result[0].value"},
	{"issuer.otherIdentifier.0", "'x'", "$.issuer.otherIdentifier[0]"},
};

START_TEST(invalid_value_credential)
{
	inputs in = examples();
	char *cred = build_ok(&in);
	char *n = edit(cred, bad_cred[_i].path, bad_cred[_i].value);
	const char *paths[] = {bad_cred[_i].report, NULL};
	expect_invalid(n, paths);
	free(n);
	mc_free(cred);
	inputs_free(&in);
}
END_TEST

static const struct {
	char doc;
	const char *path, *value, *report;
	mc_status code;
} bad_in[] = {
	{'a', "ects", "-1", "achievement: $.ects", MC_ERR_VALUE},
	{'a', "ects", "0", "achievement: $.ects", MC_ERR_VALUE},
	{'a', "ects", "181", "achievement: $.ects", MC_ERR_VALUE},
	{'a', "ects", "'NaN'", "achievement: $.ects", MC_ERR_TYPE},
	{'a', "ects", "'5'", "achievement: $.ects", MC_ERR_TYPE},
	{'a', "ects", "null", "achievement: $.ects", MC_ERR_TYPE},
	{'a', "eqfLevel", "9", "achievement: $.eqfLevel", MC_ERR_VALUE},
	{'a', "eqfLevel", "0", "achievement: $.eqfLevel", MC_ERR_VALUE},
	{'a', "eqfLevel", "6.5", "achievement: $.eqfLevel", MC_ERR_VALUE},
	{'a', "eqfLevel", "'6'", "achievement: $.eqfLevel", MC_ERR_TYPE},
	{'a', "workloadHours", "0", "achievement: $.workloadHours", MC_ERR_VALUE},
	{'a', "participation", "'telepathy'", "achievement: $.participation", MC_ERR_VALUE},
	{'a', "assessment", "'written-exam'", "achievement: $.assessment", MC_ERR_TYPE},
	{'a', "assessment.type", "'vibes'", "achievement: $.assessment.type", MC_ERR_VALUE},
	{'a', "qualityAssurance.type", "'trust-me'", "achievement: $.qualityAssurance.type", MC_ERR_VALUE},
	{'a', "qfEheaCycle", "'first-cycle'", "achievement: $.qfEheaCycle", MC_ERR_VALUE},
	{'a', "nqf", "{'framework': 'NQR'}", "achievement: $.nqf.level", MC_ERR_MISSING},
	{'a', "iscedF", "'1234'", "achievement: $.iscedF", MC_ERR_VALUE},
	{'a', "iscedF", "'061'", "achievement: $.iscedF", MC_ERR_VALUE},
	{'a', "iscedF", "'06a3'", "achievement: $.iscedF", MC_ERR_VALUE},
	{'a', "iscedF", "613", "achievement: $.iscedF", MC_ERR_TYPE},
	{'a', "languages", "['english']", "achievement: $.languages[0]", MC_ERR_VALUE},
	{'a', "languages", "'en'", "achievement: $.languages", MC_ERR_TYPE},
	{'a', "defaultLanguage", "'xx'", "achievement: $.defaultLanguage", MC_ERR_VALUE},
	{'a', "title", "5", "achievement: $.title", MC_ERR_TYPE},
	{'a', "title", "''", "achievement: $.title", MC_ERR_VALUE},
	{'a', "title", "{'EN': 'x'}", "achievement: $.title.EN", MC_ERR_VALUE},
	{'a', "learningOutcomes", "'Do things'", "achievement: $.learningOutcomes", MC_ERR_TYPE},
	{'a', "learningOutcomes", "[]", "achievement: $.learningOutcomes", MC_ERR_MISSING},
	{'a', "learningOutcomes", "[{'skills': []}]", "achievement: $.learningOutcomes[0].text", MC_ERR_MISSING},
	{'a', "learningOutcomes", "[{'text': 'x', 'skills': ['esco skill']}]",
	 "achievement: $.learningOutcomes[0].skills[0]", MC_ERR_VALUE},
	{'a', "learningOutcomes", "[7]", "achievement: $.learningOutcomes[0]", MC_ERR_TYPE},
	{'a', "stackability", "{'stackableInto': []}", "achievement: $.stackability.standalone", MC_ERR_MISSING},
	{'a', "stackability", "{'standalone': 'yes'}", "achievement: $.stackability.standalone", MC_ERR_TYPE},
	{'a', "stackability", "{'standalone': true, 'stackableInto': [{'id': 'x y', 'title': 'T'}]}",
	 "achievement: $.stackability.stackableInto[0].id", MC_ERR_VALUE},
	{'a', "awardingBody", "{'id': 'did:web:x.example'}", "achievement: $.awardingBody.name", MC_ERR_MISSING},
	{'a', "qualityAssurance.url", "'www.example.org'", "achievement: $.qualityAssurance.url", MC_ERR_VALUE},
	{'a', "ECTS", "5", "achievement: $.ECTS", MC_ERR_VALUE},
	{'a', "id", "'no scheme'", "achievement: $.id", MC_ERR_VALUE},
	{'i', "country", "'XX'", "issuer: $.country", MC_ERR_VALUE},
	{'i', "country", "'AUT'", "issuer: $.country", MC_ERR_VALUE},
	{'i', "region", "'AT6'", "issuer: $.region", MC_ERR_VALUE},
	{'i', "region", "'DE-BY'", "issuer: $.region", MC_ERR_VALUE},
	{'i', "email", "'nobody'", "issuer: $.email", MC_ERR_VALUE},
	{'i', "identifiers", "[{'scheme': 'orcid', 'value': 'x'}]", "issuer: $.identifiers[0].scheme", MC_ERR_VALUE},
	{'i', "identifiers", "[{'scheme': 'vat'}]", "issuer: $.identifiers[0].value", MC_ERR_MISSING},
	{'l', "issued", "'2024-13-01'", "learner: $.issued", MC_ERR_VALUE},
	{'l', "issued", "'2024-02-30'", "learner: $.issued", MC_ERR_VALUE},
	{'l', "issued", "'2024-06-01T10:00:00'", "learner: $.issued", MC_ERR_VALUE},
	{'l', "validUntil", "'2025-06-29'", "learner: $.validUntil", MC_ERR_VALUE},
	{'l', "validUntil", "'2025-06-30'", "learner: $.validUntil", MC_ERR_VALUE},
	{'l', "email", "'maria at example.org'", "learner: $.email", MC_ERR_VALUE},
	{'l', "id", "'maria'", "learner: $.id", MC_ERR_VALUE},
	{'l', "grade", "1", "learner: $.grade", MC_ERR_TYPE},
	{'l', "nickname", "'Mimi'", "learner: $.nickname", MC_ERR_VALUE},
};

START_TEST(invalid_value_inputs)
{
	inputs in = examples();
	char **doc = bad_in[_i].doc == 'a' ? &in.a : bad_in[_i].doc == 'i' ? &in.i : &in.l;
	char *n = edit(*doc, bad_in[_i].path, bad_in[_i].value);
	free(*doc);
	*doc = n;
	char *out = NULL;
	mc_err e = {0};
	mc_status st = build(&in, &fixed, &out, &e);
	ck_assert_msg(st == bad_in[_i].code, "%s: got %d (%s: %s)", bad_in[_i].report, st, e.path, e.msg);
	ck_assert_str_eq(e.path, bad_in[_i].report);
	ck_assert_ptr_null(out);
	ck_assert(strlen(e.msg) > 0);
	inputs_free(&in);
}
END_TEST

/* ---- many problems, one pass ------------------------------------------------------- */

START_TEST(all_errors_one_pass_credential)
{
	inputs in = examples();
	char *cred = build_ok(&in);
	const char *pv[] = {ACH "eqfLevel",
	                    "'http://data.europa.eu/snb/eqf/9'",
	                    ACH "creditsAvailable",
	                    "-1",
	                    "issuer.address.addressCountryCode",
	                    "'XX'",
	                    "validFrom",
	                    "'2024-13-01T00:00:00Z'",
	                    ACH "participationMode",
	                    "'telepathy'",
	                    ACH "assessmentType",
	                    "'vibes'",
	                    NULL};
	edits(&cred, pv);
	char *n = edit(cred, ACH "qualityAssurance", NULL);
	free(cred);
	cred = edit(n, "credentialSubject.id", NULL);
	free(n);
	n = edit(cred, "credentialSubject.identifier", NULL);
	free(cred);
	const char *paths[] = {PACH "eqfLevel",
	                       PACH "creditsAvailable",
	                       "$.issuer.address.addressCountryCode",
	                       "$.validFrom",
	                       PACH "participationMode",
	                       PACH "assessmentType",
	                       PACH "qualityAssurance",
	                       "$.credentialSubject.id",
	                       NULL};
	expect_invalid(n, paths);
	mc_report *r = NULL;
	ck_assert_int_eq(mc_credential_validate(n, strlen(n), &r, NULL), MC_ERR_INVALID);
	ck_assert_uint_eq(fail_count(r), 8);
	mc_report_free(r);
	free(n);
	inputs_free(&in);
}
END_TEST

START_TEST(all_errors_one_pass_inputs)
{
	inputs in = examples();
	const char *pa[] = {"ects", "0", "eqfLevel", "9", "participation", "'telepathy'", "languages", "['xx']", NULL};
	const char *pi[] = {"country", "'XX'", NULL};
	const char *pl[] = {"issued", "'2024-13-01'", NULL};
	edits(&in.a, pa);
	edits(&in.i, pi);
	edits(&in.l, pl);
	mc_report *r = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_credential_check_inputs(in.a, strlen(in.a), in.i, strlen(in.i), in.l, strlen(in.l), NULL,
	                                            &r, &e),
	                 MC_ERR_INVALID);
	const char *paths[] = {"achievement: $.ects",          "achievement: $.eqfLevel", "achievement: $.participation",
	                       "achievement: $.languages[0]", "issuer: $.country",       "learner: $.issued"};
	for (size_t k = 0; k < 6; k++)
		ck_assert_msg(has_finding(r, paths[k]), "missing %s", paths[k]);
	ck_assert_uint_eq(fail_count(r), 6);
	ck_assert_str_eq(e.path, "achievement: $.ects");
	ck_assert_ptr_nonnull(strstr(e.msg, "6 problems"));
	mc_report_free(r);
	/* build reports the first, mentioning the rest */
	char *out = NULL;
	mc_err e2 = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e2), MC_ERR_VALUE);
	ck_assert_str_eq(e2.path, "achievement: $.ects");
	inputs_free(&in);
}
END_TEST

/* ---- limits ---------------------------------------------------------------------------- */

static char *repeat_array(const char *item, int n)
{
	size_t il = strlen(item), cap = (il + 1) * (size_t)n + 3;
	char *s = malloc(cap), *p = s;
	*p++ = '[';
	for (int k = 0; k < n; k++) {
		if (k)
			*p++ = ',';
		memcpy(p, item, il);
		p += il;
	}
	*p++ = ']';
	*p = '\0';
	return s;
}

START_TEST(huge_lists_rejected)
{
	inputs in = examples();
	/* at the limit: accepted */
	char *ok = repeat_array("'Outcome'", MC_MODEL_MAX_ITEMS);
	char *n = edit(in.a, "learningOutcomes", ok);
	char *a_saved = in.a;
	in.a = n;
	char *out = NULL;
	mc_err e = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e), MC_OK);
	expect_valid(out);
	/* the credential with one outcome too many is rejected as well */
	char *big = repeat_array("{'type': 'LearningOutcome', 'title': {'en': 'x'}}", MC_MODEL_MAX_ITEMS + 1);
	char *c2 = edit(out, ACH "learningOutcome", big);
	const char *paths[] = {PACH "learningOutcome", NULL};
	expect_invalid(c2, paths);
	free(c2);
	free(big);
	mc_free(out);
	free(n);
	free(ok);
	/* one over: refused, naming the list */
	char *over = repeat_array("'Outcome'", MC_MODEL_MAX_ITEMS + 1);
	in.a = edit(a_saved, "learningOutcomes", over);
	out = NULL;
	mc_err e2 = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e2), MC_ERR_VALUE);
	ck_assert_str_eq(e2.path, "achievement: $.learningOutcomes");
	ck_assert_ptr_null(out);
	free(in.a);
	free(over);
	/* skills, languages, identifiers and language maps have the same ceiling */
	char *skills = repeat_array("'urn:x:y'", MC_MODEL_MAX_ITEMS + 1);
	size_t ll = strlen(skills) + 64;
	char *lo_json = malloc(ll);
	snprintf(lo_json, ll, "[{'text': 'x', 'skills': %s}]", skills);
	in.a = edit(a_saved, "learningOutcomes", lo_json);
	mc_err e3 = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e3), MC_ERR_VALUE);
	ck_assert_str_eq(e3.path, "achievement: $.learningOutcomes[0].skills");
	free(in.a);
	free(lo_json);
	free(skills);
	/* a language map with more languages than the ceiling */
	size_t cap = 16 * (MC_MODEL_MAX_ITEMS + 2);
	char *map = malloc(cap);
	size_t used = (size_t)snprintf(map, cap, "{");
	for (int k = 0; k <= MC_MODEL_MAX_ITEMS; k++)
		used += (size_t)snprintf(map + used, cap - used, "%s'k%d': 'x'", k ? "," : "", k);
	snprintf(map + used, cap - used, "}");
	in.a = edit(a_saved, "title", map);
	mc_err e4 = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e4), MC_ERR_VALUE);
	ck_assert_str_eq(e4.path, "achievement: $.title");
	free(in.a);
	free(map);
	in.a = a_saved;
	inputs_free(&in);
}
END_TEST

/* ---- not objects, not JSON, bad arguments --------------------------------------------------- */

START_TEST(inputs_not_objects)
{
	const char *bad[] = {"[]", "\"x\"", "42", "null", "true"};
	const char *names[] = {"achievement: $", "issuer: $", "learner: $"};
	for (size_t d = 0; d < 3; d++) {
		for (size_t k = 0; k < 5; k++) {
			inputs in = examples();
			char **doc = d == 0 ? &in.a : d == 1 ? &in.i : &in.l;
			free(*doc);
			*doc = strdup(bad[k]);
			char *out = NULL;
			mc_err e = {0};
			ck_assert_int_eq(build(&in, &fixed, &out, &e), MC_ERR_TYPE);
			ck_assert_str_eq(e.path, names[d]);
			ck_assert_ptr_null(out);
			inputs_free(&in);
		}
	}
	/* not JSON at all: the parser's status, the path names the document */
	inputs in = examples();
	free(in.l);
	in.l = strdup("{\"name\": \"x\",}");
	char *out = NULL;
	mc_err e = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e), MC_ERR_JSON_SYNTAX);
	ck_assert(strncmp(e.path, "learner: $", 10) == 0);
	free(in.l);
	in.l = strdup("{\"id\": \"a\", \"id\": \"b\"}");
	mc_err e2 = {0};
	ck_assert_int_eq(build(&in, &fixed, &out, &e2), MC_ERR_JSON_DUPKEY);
	inputs_free(&in);
	/* NULL arguments */
	ck_assert_int_eq(mc_credential_build(NULL, 0, "{}", 2, "{}", 2, NULL, &out, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_credential_build("{}", 2, "{}", 2, "{}", 2, NULL, NULL, NULL), MC_ERR_ARG);
}
END_TEST

START_TEST(credential_not_object)
{
	const char *bad[] = {"[]", "\"x\"", "42", "null"};
	for (size_t k = 0; k < 4; k++) {
		const char *paths[] = {"$", NULL};
		expect_invalid(bad[k], paths);
		char *x = NULL;
		ck_assert_int_eq(mc_credential_extract(bad[k], strlen(bad[k]), &x, NULL), MC_ERR_INVALID);
		ck_assert_ptr_null(x);
	}
	mc_report *r = (mc_report *)1;
	mc_err e = {0};
	ck_assert_int_eq(mc_credential_validate("{", 1, &r, &e), MC_ERR_JSON_SYNTAX);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(mc_credential_validate("{}", 2, NULL, NULL), MC_ERR_INVALID);
	ck_assert_int_eq(mc_credential_validate(NULL, 0, NULL, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_credential_extract("{}", 2, NULL, NULL), MC_ERR_ARG);
	/* an empty object lacks every element: one pass names them all */
	mc_report *r2 = NULL;
	ck_assert_int_eq(mc_credential_validate("{}", 2, &r2, NULL), MC_ERR_INVALID);
	ck_assert(has_finding(r2, "$.issuer"));
	ck_assert(has_finding(r2, "$.credentialSubject"));
	ck_assert(has_finding(r2, "$.validFrom"));
	ck_assert(has_finding(r2, "$.type"));
	mc_report_free(r2);
}
END_TEST

START_TEST(build_options)
{
	inputs in = examples();
	char *out = NULL;
	/* valid_from after the learner's validUntil: the self-check refuses */
	char *n = edit(in.l, "validUntil", "'2025-12-31'");
	free(in.l);
	in.l = n;
	mc_build_opts o = fixed;
	o.valid_from = "2026-01-01T00:00:00Z";
	mc_err e = {0};
	ck_assert_int_eq(build(&in, &o, &out, &e), MC_ERR_INVALID);
	ck_assert_str_eq(e.path, "$.validUntil");
	ck_assert_ptr_null(out);
	o.valid_from = "soon";
	mc_err e2 = {0};
	ck_assert_int_eq(build(&in, &o, &out, &e2), MC_ERR_VALUE);
	ck_assert_str_eq(e2.path, "valid_from");
	o.valid_from = NULL;
	o.credential_id = "not an iri";
	mc_err e3 = {0};
	ck_assert_int_eq(build(&in, &o, &out, &e3), MC_ERR_VALUE);
	ck_assert_str_eq(e3.path, "credential_id");
	/* defaults: random urn:uuid id, validFrom = issued */
	ck_assert_int_eq(build(&in, NULL, &out, NULL), MC_OK);
	cJSON *c = cJSON_Parse(out);
	ck_assert(strncmp(cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring, "urn:uuid:", 9) == 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "validFrom")->valuestring, "2025-06-30T00:00:00Z");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "validUntil")->valuestring, "2025-12-31T00:00:00Z");
	cJSON_Delete(c);
	mc_free(out);
	/* no issued date: now, and the date of issuing equals it */
	n = edit(in.l, "issued", NULL);
	free(in.l);
	in.l = n;
	n = edit(in.l, "validUntil", NULL);
	free(in.l);
	in.l = n;
	ck_assert_int_eq(build(&in, NULL, &out, NULL), MC_OK);
	c = cJSON_Parse(out);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "validFrom")->valuestring,
	                 cJSON_GetObjectItemCaseSensitive(c, "awardedDate")->valuestring);
	cJSON_Delete(c);
	mc_free(out);
	inputs_free(&in);
}
END_TEST

/* ---- the context ---------------------------------------------------------------------------- */

/* Collect every term name defined anywhere (scoped contexts too). */
static void collect_terms(const cJSON *ctx, cJSON *set)
{
	if (cJSON_IsArray(ctx)) {
		const cJSON *e;
		cJSON_ArrayForEach(e, ctx) collect_terms(e, set);
		return;
	}
	const cJSON *t;
	cJSON_ArrayForEach(t, ctx)
	{
		if (t->string[0] == '@')
			continue;
		if (!cJSON_GetObjectItemCaseSensitive(set, t->string))
			cJSON_AddTrueToObject(set, t->string);
		const cJSON *scoped = cJSON_GetObjectItemCaseSensitive(t, "@context");
		if (scoped)
			collect_terms(scoped, set);
	}
}

static cJSON *terms_of_file(const char *rel)
{
	char *s = tu_vector(rel, NULL);
	cJSON *doc = cJSON_Parse(s);
	free(s);
	ck_assert_ptr_nonnull(doc);
	cJSON *set = cJSON_CreateObject();
	collect_terms(cJSON_GetObjectItemCaseSensitive(doc, "@context"), set);
	cJSON_Delete(doc);
	return set;
}

/* Every key of the credential must be a term of VC, OB3 or ours
 * (language-map keys excepted). */
static void check_keys_defined(const cJSON *node, const cJSON *ours, const cJSON *vc, const cJSON *ob)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, node)
	{
		if (e->string && strcmp(e->string, "@context") != 0) {
			const char *k = e->string;
			ck_assert_msg(cJSON_GetObjectItemCaseSensitive(ours, k) || cJSON_GetObjectItemCaseSensitive(vc, k) ||
			                  cJSON_GetObjectItemCaseSensitive(ob, k),
			              "term %s is defined by no context", k);
			const cJSON *def = cJSON_GetObjectItemCaseSensitive(ours, k);
			const cJSON *cont = cJSON_IsObject(def) ? cJSON_GetObjectItemCaseSensitive(def, "@container") : NULL;
			if (cJSON_IsString(cont) && strcmp(cont->valuestring, "@language") == 0)
				continue;
		}
		if (e->string && strcmp(e->string, "@context") == 0)
			continue;
		if (cJSON_IsObject(e) || cJSON_IsArray(e))
			check_keys_defined(e, ours, vc, ob);
	}
}

START_TEST(context_terms)
{
	const char *doc = mc_context_document();
	ck_assert_int_eq(mc_json_check(doc, strlen(doc), NULL), MC_OK);
	cJSON *ctxdoc = cJSON_Parse(doc);
	cJSON *ctx = cJSON_GetObjectItemCaseSensitive(ctxdoc, "@context");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "@protected")));
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(ctx, "@version")->valuedouble, 1.1);
	cJSON *vc = terms_of_file("w3c-vc/contexts/credentials-v2.jsonld");
	cJSON *ob = terms_of_file("openbadges-v3/spec/contexts/context-3.0.3.json");
	char *docs = tu_read("docs/context.md", NULL);
	const cJSON *t;
	cJSON_ArrayForEach(t, ctx)
	{
		if (t->string[0] == '@')
			continue;
		/* no redefinition of a protected VC / OB3 term, anywhere */
		ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(vc, t->string), "%s collides with VC 2.0", t->string);
		ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(ob, t->string), "%s collides with OB 3.0", t->string);
		/* every term has an absolute IRI and is documented */
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "@id");
		ck_assert_msg(cJSON_IsString(id) && (strncmp(id->valuestring, "http://", 7) == 0 ||
		                                     strncmp(id->valuestring, "https://", 8) == 0),
		              "%s has no absolute @id", t->string);
		char needle[128];
		snprintf(needle, sizeof needle, "`%s`", t->string);
		ck_assert_msg(strstr(docs, needle) != NULL, "%s is not documented in docs/context.md", t->string);
		ck_assert_msg(strstr(docs, id->valuestring) != NULL, "IRI of %s not in docs/context.md", t->string);
	}
	/* everything the builder writes is defined */
	inputs in = full_inputs();
	char *cred = build_ok(&in);
	cJSON *c = cJSON_Parse(cred);
	check_keys_defined(c, ctx, vc, ob);
	cJSON_Delete(c);
	mc_free(cred);
	inputs_free(&in);
	free(docs);
	cJSON_Delete(vc);
	cJSON_Delete(ob);
	cJSON_Delete(ctxdoc);
}
END_TEST

/* ---- extract on foreign but valid credentials ------------------------------------------------- */

START_TEST(extract_tolerates_extensions)
{
	inputs in = examples();
	char *cred = build_ok(&in);
	/* unknown members, an extra context, a hashed identity and an OB3
	 * identifier type we do not map are all fine */
	const char *pv[] = {"credentialSubject.achievement.tag", "['data']",
	                    "credentialSubject.role", "'Participant'",
	                    "issuer.phone", "'+43 316 380'",
	                    NULL};
	edits(&cred, pv);
	char *n = edit(cred, "credentialSubject.identifier.1",
	               "{'type': 'IdentityObject', 'hashed': true, 'identityHash': 'sha256$abc', 'identityType': 'emailAddress'}");
	free(cred);
	cred = n;
	expect_valid(cred);
	char *x = extract_ok(cred);
	char *l = part(x, "learner");
	/* the hashed identity replaced the student id: it is not extracted */
	ck_assert_ptr_null(strstr(l, "studentId"));
	free(l);
	mc_free(x);
	free(cred);
	inputs_free(&in);
}
END_TEST

/* build_doc gives the same credential as build, and a failing twin */
START_TEST(build_doc_same_as_build)
{
	inputs in = examples();
	char *text = build_ok(&in), *c1 = NULL, *c2 = NULL;
	mc_doc *d = NULL;
	ck_assert_int_eq(mc_credential_build_doc(in.a, strlen(in.a), in.i, strlen(in.i), in.l, strlen(in.l), &fixed, &d,
	                                         NULL),
	                 MC_OK);
	size_t l1, l2;
	ck_assert_int_eq(mc_doc_serialize(d, MC_DOC_CANONICAL, &c1, &l1), MC_OK);
	ck_assert_int_eq(mc_jcs(text, strlen(text), &c2, &l2, NULL), MC_OK);
	ck_assert_str_eq(c1, c2);
	mc_doc_free(d);
	d = NULL;
	char *bad = edit(in.a, "ects", "-1");
	mc_err e = {0};
	ck_assert_int_ne(mc_credential_build_doc(bad, strlen(bad), in.i, strlen(in.i), in.l, strlen(in.l), &fixed, &d, &e),
	                 MC_OK);
	ck_assert_ptr_null(d);
	ck_assert(strstr(e.path, "ects") != NULL);
	free(bad);
	mc_free(c1);
	mc_free(c2);
	mc_free(text);
	inputs_free(&in);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("roundtrip");
	tcase_add_test(tc, roundtrip_every_element);
	tcase_add_test(tc, roundtrip_minimal);
	tcase_add_test(tc, default_language);
	tcase_add_test(tc, grade_ids_deterministic);
	tcase_add_test(tc, examples_build_and_validate);
	tcase_add_test(tc, example_inputs_check_clean);
	tcase_add_test(tc, extract_tolerates_extensions);
	suite_add_tcase(s, tc);

	tc = tcase_create("mandatory");
	tcase_add_loop_test(tc, mandatory_twin_credential, 0, (int)(sizeof mandatory / sizeof mandatory[0]));
	tcase_add_loop_test(tc, mandatory_twin_inputs, 0, (int)(sizeof mandatory_in / sizeof mandatory_in[0]));
	tcase_add_test(tc, issuer_id_from_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("invalid");
	tcase_add_loop_test(tc, invalid_value_credential, 0, (int)(sizeof bad_cred / sizeof bad_cred[0]));
	tcase_add_loop_test(tc, invalid_value_inputs, 0, (int)(sizeof bad_in / sizeof bad_in[0]));
	tcase_add_test(tc, all_errors_one_pass_credential);
	tcase_add_test(tc, all_errors_one_pass_inputs);
	tcase_add_test(tc, huge_lists_rejected);
	tcase_add_test(tc, inputs_not_objects);
	tcase_add_test(tc, credential_not_object);
	tcase_add_test(tc, build_options);
	tcase_add_test(tc, build_doc_same_as_build);
	suite_add_tcase(s, tc);

	tc = tcase_create("context");
	tcase_add_test(tc, context_terms);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(model_suite)
