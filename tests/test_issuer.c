/*
 * test_issuer.c - the issuer service (issuer.h) on SQLite and, with
 * $MCRED_TEST_PG, PostgreSQL (tests/store_fixture.h). Each behaviour is
 * checked with a passing case and its failing twin: open / wrong
 * passphrase, issue / unknown or unpublished template, revoke / revoke
 * twice, reinstate a suspended / a revoked credential, good learner / bad
 * learner naming the field, bulk / bad rows, share / unknown share...
 */
#include <cjson/cJSON.h>

#include "store_fixture.h"
#include "mcred/trust.h"

static const char PASS[] = "issuer test passphrase";
static char g_did[MC_DID_KEY_MAX];

static const char LEARNER[] = "{\"id\":\"did:example:ada\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\","
                              "\"email\":\"ada@example.org\",\"grade\":\"1\",\"issued\":\"2025-06-30\"}";

/* A store with one did:key issuer (its key sealed with PASS) and template
 * "ds101" published from examples/achievement.json. */
static mc_store *setup(void)
{
	mc_store *s = open_store();
	mc_key k = {.alg = MC_KEY_ED25519};
	DO(mc_keypair_generate(&k.ed25519, &e));
	mc_public_key pub;
	mc_key_public(&k, &pub);
	char vm[MC_VM_ID_MAX], mk[MC_MULTIKEY_MAX], *kf = NULL;
	ck_assert_int_eq(mc_public_key_did(&pub, g_did), MC_OK);
	ck_assert_int_eq(mc_public_key_vm(&pub, vm), MC_OK);
	ck_assert_int_eq(mc_public_key_multikey(&pub, mk), MC_OK);
	DO(mc_keyfile_seal_key(&k, PASS, strlen(PASS), MC_KEYFILE_FAST, &kf, &e));
	mc_key_wipe(&k);
	char profile[512];
	snprintf(profile, sizeof profile,
	         "{\"id\":\"%s\",\"name\":{\"en\":\"University of Testing\"},\"country\":\"AT\","
	         "\"url\":\"https://uni.example/\"}",
	         g_did);
	mc_store_issuer is = {.id = g_did, .legal_name = "University of Testing", .country = "AT",
	                      .url = "https://uni.example/", .profile = profile};
	DO(mc_store_issuer_add(s, &is, &e));
	mc_store_key sk = {.key_id = vm, .issuer_id = g_did, .public_key_multibase = mk, .key_file = kf};
	DO(mc_store_key_add(s, &sk, &e));
	mc_free(kf);
	char *ach = tu_read("examples/achievement.json", NULL);
	int64_t v = 0;
	DO(mc_store_template_save(s, "ds101", ach, &v, &e));
	DO(mc_store_template_set_state(s, "ds101", v, MC_TEMPLATE_PUBLISHED, &e));
	free(ach);
	return s;
}

static mc_issuer *open_issuer(mc_store *s)
{
	mc_issuer_opts o = {.passphrase = PASS, .passphrase_len = strlen(PASS), .actor = "test"};
	mc_issuer *is = NULL;
	DO(mc_issuer_open(s, &o, &is, &e));
	ck_assert_str_eq(mc_issuer_id(is), g_did);
	return is;
}

/* Issue LEARNER-like learner with this id; returns the credential id. */
static char *issue(mc_issuer *is, const char *learner_id)
{
	char l[256];
	snprintf(l, sizeof l, "{\"id\":\"%s\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}", learner_id);
	mc_issue_req req = {.template_id = "ds101", .learner_json = l};
	mc_issue_result r = {0};
	DO(mc_issuer_issue(is, &req, &r, &e));
	char *id = strdup(r.credential_id);
	mc_issue_result_clear(&r);
	return id;
}

/* Bit of the credential's revocation entry, read through the published
 * (and signature-checked) status list credential. */
/* The bit of the given purpose, read as a verifier would: every list the
 * credential's credentialStatus entries name, as the store publishes it
 * (signed, with an ETag), then mc_status_check. Every issued credential
 * carries two entries, revocation then suspension, at the same index. */
static int status_bit(mc_store *s, const char *cred_json, mc_status_purpose purpose)
{
	cJSON *c = cJSON_Parse(cred_json);
	const cJSON *cs = cJSON_GetObjectItem(c, "credentialStatus");
	ck_assert(cJSON_IsArray(cs));
	ck_assert_int_eq(cJSON_GetArraySize(cs), 2);
	mc_status_lists *ls = NULL;
	DO(mc_status_lists_new(&ls, &e));
	const cJSON *entry;
	cJSON_ArrayForEach(entry, cs)
	{
		const char *list = cJSON_GetObjectItem(entry, "statusListCredential")->valuestring;
		char *lj = NULL, *etag = NULL;
		DO(mc_issuer_status_list_credential(s, list, &lj, &etag, &e));
		ck_assert(etag && etag[0] == '"');
		mc_verify_opts vo = {0};
		DO(mc_status_lists_add(ls, lj, strlen(lj), &vo, &e));
		mc_free(lj);
		mc_free(etag);
	}
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 0), "statusListIndex")->valuestring,
	                 cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 1), "statusListIndex")->valuestring);
	mc_status_result res[2];
	size_t n = 0;
	DO(mc_status_check(ls, cred_json, strlen(cred_json), 0, res, 2, &n, &e));
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(res[0].purpose, MC_PURPOSE_REVOCATION);
	ck_assert_int_eq(res[1].purpose, MC_PURPOSE_SUSPENSION);
	int bit = res[purpose == MC_PURPOSE_SUSPENSION].set;
	mc_status_lists_free(ls);
	cJSON_Delete(c);
	return bit;
}

static int revoked_bit(mc_store *s, const char *cred_json)
{
	return status_bit(s, cred_json, MC_PURPOSE_REVOCATION);
}

static int suspended_bit(mc_store *s, const char *cred_json)
{
	return status_bit(s, cred_json, MC_PURPOSE_SUSPENSION);
}

static char *cred_json(mc_store *s, const char *id)
{
	mc_store_credential c = {0};
	DO(mc_store_credential_get(s, id, &c, &e));
	char *j = c.json ? strdup(c.json) : NULL;
	mc_store_credential_clear(&c);
	return j;
}

/* ---- open ------------------------------------------------------------ */

START_TEST(open_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	mc_issuer_close(is);
	/* the issuer named explicitly */
	mc_issuer_opts o = {.issuer_id = g_did, .passphrase = PASS, .passphrase_len = strlen(PASS)};
	DO(mc_issuer_open(s, &o, &is, &e));
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(open_bad)
{
	mc_store *s = setup();
	mc_issuer *is = (mc_issuer *)1;
	mc_issuer_opts o = {.passphrase = "wrong", .passphrase_len = 5};
	FAILS(MC_ERR_PASSPHRASE, mc_issuer_open(s, &o, &is, &e));
	ck_assert_ptr_null(is);
	o = (mc_issuer_opts){.issuer_id = "did:web:nobody.example", .passphrase = PASS, .passphrase_len = strlen(PASS)};
	FAILS(MC_ERR_MISSING, mc_issuer_open(s, &o, &is, &e));
	o = (mc_issuer_opts){.passphrase = PASS, .passphrase_len = strlen(PASS), .suite = "nope-2099"};
	FAILS(MC_ERR_UNSUPPORTED, mc_issuer_open(s, &o, &is, &e));
	o.suite = MC_SUITE_ECDSA_RDFC; /* a P-256 suite for an Ed25519 key */
	FAILS(MC_ERR_KEY, mc_issuer_open(s, &o, &is, &e));
	/* two issuers: the id must be given */
	mc_store_issuer two = {.id = "did:web:two.example", .legal_name = "Two", .country = "FI"};
	DO(mc_store_issuer_add(s, &two, &e));
	o = (mc_issuer_opts){.passphrase = PASS, .passphrase_len = strlen(PASS)};
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_issuer_open(s, &o, &is, &e), MC_ERR_ARG);
		ck_assert_str_eq(e.path, "issuer");
	}
	/* an issuer without a key */
	o.issuer_id = "did:web:two.example";
	FAILS(MC_ERR_MISSING, mc_issuer_open(s, &o, &is, &e));
	mc_store_close(s);
}
END_TEST

/* ---- issue ----------------------------------------------------------- */

/* A credential id is an RFC 9562 version 7 UUID URN whose millisecond
 * timestamp is now (within ten minutes): time-ordered archive keys. */
static int is_uuid7_now(const char *id)
{
	if (strlen(id) != 45 || strncmp(id, "urn:uuid:", 9) != 0)
		return 0;
	const char *u = id + 9;
	if (u[14] != '7' || !strchr("89ab", u[19]))
		return 0;
	char hex[13];
	memcpy(hex, u, 8);
	memcpy(hex + 8, u + 9, 4);
	hex[12] = '\0';
	long long ms = strtoll(hex, NULL, 16), now = (long long)time(NULL) * 1000;
	return ms > now - 600000 && ms < now + 600000;
}

START_TEST(uuid7_check)
{
	/* the checker's failing twins: a v4 id, a v7 id from 1970, truncated */
	ck_assert(!is_uuid7_now("urn:uuid:00000000-0000-4000-8000-000000000000"));
	ck_assert(!is_uuid7_now("urn:uuid:00000000-0000-7000-8000-000000000000"));
	ck_assert(!is_uuid7_now("urn:uuid:00000000-0000-7000-8000-00000000000"));
}
END_TEST

START_TEST(issue_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	mc_issue_req req = {.template_id = "ds101", .learner_json = LEARNER, .external_id = "sis-1"};
	mc_issue_result r = {0};
	DO(mc_issuer_issue(is, &req, &r, &e));
	ck_assert_int_eq(r.existed, 0);
	ck_assert(is_uuid7_now(r.credential_id));
	ck_assert_ptr_nonnull(strstr(r.credential_json, "\"credentialStatus\""));
	/* the credential verifies (did:key: offline) */
	mc_report *rep = NULL;
	mc_verify_opts vo = {0};
	DO(mc_verify(r.credential_json, strlen(r.credential_json), &vo, &rep, &e));
	mc_report_free(rep);
	ck_assert_int_eq(revoked_bit(s, r.credential_json), 0);
	/* stored with the idempotency key and the audit entry */
	mc_store_credential c = {0};
	DO(mc_store_credential_find(s, "ds101", "did:example:ada", "sis-1", &c, &e));
	ck_assert_str_eq(c.id, r.credential_id);
	ck_assert_ptr_null(c.replaces);
	mc_store_credential_clear(&c);
	mc_store_audit *a = NULL;
	size_t na = 0;
	DO(mc_store_audit_list(s, 0, 100, &a, &na, &e));
	ck_assert(na >= 1);
	ck_assert_str_eq(a[na - 1].action, "credential.issue");
	ck_assert_str_eq(a[na - 1].actor, "test");
	mc_store_audit_list_free(a, na);
	/* again: the same credential, nothing new */
	mc_issue_result r2 = {0};
	DO(mc_issuer_issue(is, &req, &r2, &e));
	ck_assert_int_eq(r2.existed, 1);
	ck_assert_str_eq(r2.credential_id, r.credential_id);
	mc_issue_result_clear(&r2);
	mc_issue_result_clear(&r);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(issue_bad_template)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	mc_issue_result r = {0};
	mc_issue_req req = {.template_id = "nope", .learner_json = LEARNER};
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_issuer_issue(is, &req, &r, &e), MC_ERR_MISSING);
		ck_assert_str_eq(e.path, "template");
	}
	/* a template saved as a draft only */
	char *ach = tu_read("examples/achievement.json", NULL);
	int64_t v = 0;
	DO(mc_store_template_save(s, "draft-only", ach, &v, &e));
	free(ach);
	req.template_id = "draft-only";
	FAILS(MC_ERR_VALUE, mc_issuer_issue(is, &req, &r, &e));
	req.template_id = "ds101";
	req.template_version = 7;
	FAILS(MC_ERR_VALUE, mc_issuer_issue(is, &req, &r, &e));
	ck_assert_ptr_null(r.credential_id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(issue_bad_learner)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	mc_issue_result r = {0};
	mc_issue_req req = {.template_id = "ds101",
	                    .learner_json = "{\"id\":\"did:example:x\",\"givenName\":\"X\",\"email\":\"not-an-email\"}"};
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_issuer_issue(is, &req, &r, &e), MC_ERR_VALUE);
		ck_assert_str_eq(e.path, "learner.email");
	}
	req.learner_json = "{\"id\":\"did:example:x\",\"givenName\":\"X\",\"shoeSize\":\"44\"}";
	{
		mc_err e = {0};
		ck_assert_int_ne(mc_issuer_issue(is, &req, &r, &e), MC_OK);
		ck_assert_str_eq(e.path, "learner.shoeSize");
	}
	req.learner_json = "{\"id\":";
	FAILS(MC_ERR_JSON_SYNTAX, mc_issuer_issue(is, &req, &r, &e));
	req.learner_json = "[1]";
	FAILS(MC_ERR_TYPE, mc_issuer_issue(is, &req, &r, &e));
	/* nothing was stored */
	mc_cred_hit *h = NULL;
	size_t n = 0, total = 9;
	DO(mc_issuer_search(s, NULL, NULL, -1, 10, 0, &h, &n, &total, &e));
	ck_assert_uint_eq(total, 0);
	mc_cred_hit_list_free(h, n);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

/* ---- status ---------------------------------------------------------- */

START_TEST(revoke_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:r1");
	char *j = cred_json(s, id);
	cJSON *c = cJSON_Parse(j);
	const char *list = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "credentialStatus"), 0),
	                                       "statusListCredential")
	                       ->valuestring;
	char *before = NULL, *etag1 = NULL, *after = NULL, *etag2 = NULL;
	DO(mc_issuer_status_list_credential(s, list, &before, &etag1, &e));
	DO(mc_issuer_set_status(is, id, MC_CRED_REVOKED, "issued in error", &e));
	DO(mc_issuer_status_list_credential(s, list, &after, &etag2, &e));
	ck_assert_str_ne(etag1, etag2); /* regenerated and re-signed */
	ck_assert_str_ne(before, after);
	ck_assert_int_eq(revoked_bit(s, j), 1);
	mc_store_credential cr = {0};
	DO(mc_store_credential_get(s, id, &cr, &e));
	ck_assert_int_eq(cr.state, MC_CRED_REVOKED);
	ck_assert_str_eq(cr.state_reason, "issued in error");
	mc_store_credential_clear(&cr);
	mc_free(before);
	mc_free(after);
	mc_free(etag1);
	mc_free(etag2);
	cJSON_Delete(c);
	free(j);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(revoke_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:r2");
	DO(mc_issuer_set_status(is, id, MC_CRED_REVOKED, "fraud", &e));
	FAILS(MC_ERR_VALUE, mc_issuer_set_status(is, id, MC_CRED_REVOKED, "again", &e));     /* revoke twice */
	FAILS(MC_ERR_VALUE, mc_issuer_set_status(is, id, MC_CRED_ACTIVE, "oops", &e));       /* final */
	FAILS(MC_ERR_VALUE, mc_issuer_set_status(is, id, MC_CRED_SUSPENDED, "oops", &e));
	FAILS(MC_ERR_MISSING, mc_issuer_set_status(is, "urn:uuid:00000000-0000-4000-8000-000000000000",
	                                           MC_CRED_REVOKED, "x", &e));
	FAILS(MC_ERR_ARG, mc_issuer_set_status(is, id, (mc_cred_state)9, "x", &e));
	/* the first reason stays */
	mc_store_credential cr = {0};
	DO(mc_store_credential_get(s, id, &cr, &e));
	ck_assert_str_eq(cr.state_reason, "fraud");
	mc_store_credential_clear(&cr);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

/* A pooled session names each caller: the audit entry carries the actor
 * set last; a refused actor leaves the previous one in place. */
START_TEST(actor_per_call)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:actor");
	DO(mc_issuer_set_actor(is, "token:registrar", &e));
	FAILS(MC_ERR_ARG, mc_issuer_set_actor(is, "", &e));
	FAILS(MC_ERR_ARG, mc_issuer_set_actor(is, NULL, &e));
	DO(mc_issuer_set_status(is, id, MC_CRED_SUSPENDED, "check", &e));
	mc_store_audit *a = NULL;
	size_t na = 0;
	DO(mc_store_audit_list(s, 0, 100, &a, &na, &e));
	ck_assert(na >= 2);
	ck_assert_str_eq(a[na - 1].action, "credential.suspend");
	ck_assert_str_eq(a[na - 1].actor, "token:registrar");
	ck_assert_str_ne(a[na - 2].actor, "token:registrar"); /* the issue before it */
	mc_store_audit_list_free(a, na);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(suspend_reinstate_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:s1");
	char *j = cred_json(s, id);
	ck_assert_int_eq(suspended_bit(s, j), 0);
	DO(mc_issuer_set_status(is, id, MC_CRED_SUSPENDED, "under review", &e));
	/* published: a verifier sees the suspension, not a revocation */
	ck_assert_int_eq(suspended_bit(s, j), 1);
	ck_assert_int_eq(revoked_bit(s, j), 0);
	DO(mc_issuer_set_status(is, id, MC_CRED_ACTIVE, "review closed", &e));
	ck_assert_int_eq(suspended_bit(s, j), 0);
	ck_assert_int_eq(revoked_bit(s, j), 0);
	/* revoking a suspended credential: both bits stay set */
	DO(mc_issuer_set_status(is, id, MC_CRED_SUSPENDED, "again", &e));
	DO(mc_issuer_set_status(is, id, MC_CRED_REVOKED, "confirmed", &e));
	ck_assert_int_eq(suspended_bit(s, j), 1);
	ck_assert_int_eq(revoked_bit(s, j), 1);
	free(j);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(suspend_reinstate_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:s2");
	FAILS(MC_ERR_VALUE, mc_issuer_set_status(is, id, MC_CRED_ACTIVE, "not suspended", &e));
	DO(mc_issuer_set_status(is, id, MC_CRED_SUSPENDED, "under review", &e));
	FAILS(MC_ERR_VALUE, mc_issuer_set_status(is, id, MC_CRED_SUSPENDED, "twice", &e));
	char reason[MC_STORE_TEXT_MAX + 2];
	memset(reason, 'r', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	FAILS(MC_ERR_VALUE, mc_issuer_set_status(is, id, MC_CRED_ACTIVE, reason, &e));
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(status_list_missing)
{
	mc_store *s = setup();
	char *j = NULL, *etag = NULL;
	FAILS(MC_ERR_MISSING, mc_issuer_status_list_credential(s, "https://uni.example/status/revocation/9", &j, &etag, &e));
	ck_assert_ptr_null(j);
	mc_store_close(s);
}
END_TEST

/* ---- reissue ------------------------------------------------------------ */

START_TEST(reissue_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:re1");
	mc_issue_result r = {0};
	DO(mc_issuer_reissue(is, id, NULL, &r, &e));
	ck_assert_str_ne(r.credential_id, id);
	mc_store_credential n = {0}, o = {0};
	DO(mc_store_credential_get(s, r.credential_id, &n, &e));
	ck_assert_str_eq(n.replaces, id);
	ck_assert_str_eq(n.learner_id, "did:example:re1");
	DO(mc_store_credential_get(s, id, &o, &e));
	ck_assert_int_eq(o.state, MC_CRED_REVOKED); /* superseded */
	ck_assert_ptr_nonnull(strstr(o.state_reason, r.credential_id));
	ck_assert_int_eq(revoked_bit(s, o.json), 1);
	ck_assert_int_eq(revoked_bit(s, n.json), 0);
	/* with corrected data */
	mc_issue_result r2 = {0};
	DO(mc_issuer_reissue(is, r.credential_id,
	                     "{\"id\":\"did:example:re1\",\"givenName\":\"Augusta Ada\",\"familyName\":\"King\"}", &r2, &e));
	ck_assert_ptr_nonnull(strstr(r2.credential_json, "Augusta Ada"));
	/* the learner export shows both links */
	char *ex = NULL;
	DO(mc_store_learner_export(s, "did:example:re1", &ex, &e));
	ck_assert_ptr_nonnull(strstr(ex, "\"replaces\""));
	ck_assert_ptr_nonnull(strstr(ex, "\"replacedBy\""));
	mc_free(ex);
	mc_issue_result_clear(&r2);
	mc_store_credential_clear(&n);
	mc_store_credential_clear(&o);
	mc_issue_result_clear(&r);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(reissue_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	mc_issue_result r = {0};
	FAILS(MC_ERR_MISSING, mc_issuer_reissue(is, "urn:uuid:00000000-0000-4000-8000-000000000000", NULL, &r, &e));
	char *id = issue(is, "did:example:re2");
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_issuer_reissue(is, id, "{\"id\":\"did:example:re2\",\"email\":\"nope\"}", &r, &e),
		                 MC_ERR_VALUE);
		ck_assert_str_eq(e.path, "learner.email");
	}
	DO(mc_issuer_set_status(is, id, MC_CRED_REVOKED, "fraud", &e));
	FAILS(MC_ERR_VALUE, mc_issuer_reissue(is, id, NULL, &r, &e)); /* revoked */
	char *id2 = issue(is, "did:example:re3");
	size_t cnt = 0;
	DO(mc_store_learner_erase(s, "did:example:re3", &cnt, &e));
	FAILS(MC_ERR_VALUE, mc_issuer_reissue(is, id2, NULL, &r, &e)); /* erased */
	ck_assert_ptr_null(r.credential_id);
	free(id);
	free(id2);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

/* ---- bulk ------------------------------------------------------------------ */

typedef struct rejects {
	int n;
	uint64_t row[8];
	char path[8][64];
} rejects;

static void on_reject(void *ctx, uint64_t row, const char *path, const char *msg)
{
	rejects *r = ctx;
	if (r->n < 8) {
		r->row[r->n] = row;
		snprintf(r->path[r->n], sizeof r->path[0], "%s", path);
	}
	r->n++;
}

static const char CSV[] = "learner_id,given_name,family_name,email,external_id\n"
                          "did:example:b1,Anna,Berg,a1@uni.example,x-1\n"
                          "did:example:b2,Bert,Berg,not-an-email,x-2\n"
                          "did:example:b3,Cleo,Berg,a3@uni.example,x-3\n"
                          "did:example:b4,Dan,Berg,a4@uni.example,x-4\n";

static mc_status run_bulk(mc_issuer *is, const char *csv, int aon, size_t batch, rejects *rj, mc_bulk_summary *sum,
                          mc_err *err)
{
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	ck_assert_ptr_nonnull(f);
	mc_bulk_opts o = {.format = MC_BULK_CSV, .default_template = "ds101"};
	mc_bulk_reader *r = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_bulk_open_file(f, &o, &r, &e), MC_OK);
	mc_issuer_bulk_opts bo = {.template_id = "ds101", .all_or_nothing = aon, .batch_size = batch,
	                          .on_reject = on_reject, .ctx = rj};
	mc_status st = mc_issuer_bulk(is, r, &bo, sum, err);
	mc_bulk_close(r);
	fclose(f);
	return st;
}

START_TEST(bulk_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	rejects rj = {0};
	mc_bulk_summary sum;
	DO(run_bulk(is, CSV, 0, 2, &rj, &sum, &e));
	ck_assert_uint_eq(sum.rows, 4);
	ck_assert_uint_eq(sum.issued, 3);
	ck_assert_uint_eq(sum.rejected, 1);
	ck_assert_int_eq(sum.committed, 1);
	ck_assert_int_eq(rj.n, 1);
	ck_assert_uint_eq(rj.row[0], 3); /* the header is row 1 */
	ck_assert_str_eq(rj.path[0], "email");
	/* a rerun issues nothing */
	rj = (rejects){0};
	DO(run_bulk(is, CSV, 0, 0, &rj, &sum, &e));
	ck_assert_uint_eq(sum.issued, 0);
	ck_assert_uint_eq(sum.existing, 3);
	mc_store_credential c = {0};
	DO(mc_store_credential_find(s, "ds101", "did:example:b4", "x-4", &c, &e));
	ck_assert_int_eq(revoked_bit(s, c.json), 0);
	/* built, signed and stored without a reparse: it still verifies, and
	 * its id is time-ordered */
	ck_assert(is_uuid7_now(c.id));
	mc_report *rep = NULL;
	mc_verify_opts vo = {0};
	DO(mc_verify(c.json, strlen(c.json), &vo, &rep, &e));
	ck_assert(mc_report_ok(rep));
	mc_report_free(rep);
	mc_store_credential_clear(&c);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(bulk_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	rejects rj = {0};
	mc_bulk_summary sum;
	/* all or nothing with a bad row: nothing stays */
	DO(run_bulk(is, CSV, 1, 1, &rj, &sum, &e));
	ck_assert_uint_eq(sum.issued, 0);
	ck_assert_uint_eq(sum.rejected, 1);
	ck_assert_int_eq(sum.committed, 0);
	mc_cred_hit *h = NULL;
	size_t n = 0, total = 9;
	DO(mc_issuer_search(s, NULL, NULL, -1, 10, 0, &h, &n, &total, &e));
	ck_assert_uint_eq(total, 0);
	mc_cred_hit_list_free(h, n);
	/* batch over the ceiling */
	FAILS(MC_ERR_ARG, run_bulk(is, CSV, 0, MC_ISSUER_BULK_BATCH_MAX + 1, &rj, &sum, &e));
	/* unknown template: every row rejected naming "template" */
	rj = (rejects){0};
	DO(run_bulk(is, "learner_id,given_name,family_name,template\ndid:example:t,T,F,nope\n", 0, 0, &rj, &sum, &e));
	ck_assert_int_eq(rj.n, 1);
	ck_assert_str_eq(rj.path[0], "template");
	/* a broken header ends the stream: an error, not a reject */
	rj = (rejects){0};
	{
		mc_err e = {0};
		ck_assert_int_ne(run_bulk(is, "shoe_size\n44\n", 0, 0, &rj, &sum, &e), MC_OK);
		ck_assert_int_eq(rj.n, 0);
	}
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

/* ---- shares and search -------------------------------------------------- */

START_TEST(share_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *id = issue(is, "did:example:sh1");
	char *sh = NULL, *sh2 = NULL, *of = NULL;
	DO(mc_issuer_share(is, id, &sh, &e));
	ck_assert_uint_eq(strlen(sh), 22);
	DO(mc_issuer_share(is, id, &sh2, &e)); /* shared already: the same id */
	ck_assert_str_eq(sh, sh2);
	DO(mc_issuer_share_of(s, id, &of, &e));
	ck_assert_str_eq(sh, of);
	mc_store_credential c = {0};
	DO(mc_issuer_shared(s, sh, &c, &e));
	ck_assert_str_eq(c.id, id);
	mc_store_credential_clear(&c);
	char *ex = NULL;
	DO(mc_store_learner_export(s, "did:example:sh1", &ex, &e));
	ck_assert_ptr_nonnull(strstr(ex, sh));
	mc_free(ex);
	mc_free(sh);
	mc_free(sh2);
	mc_free(of);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(share_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	mc_store_credential c = {0};
	char *sh = NULL;
	FAILS(MC_ERR_MISSING, mc_issuer_shared(s, "AAAAAAAAAAAAAAAAAAAAAA", &c, &e));
	FAILS(MC_ERR_VALUE, mc_issuer_shared(s, "bad id!", &c, &e));
	FAILS(MC_ERR_MISSING, mc_issuer_share(is, "urn:uuid:00000000-0000-4000-8000-000000000000", &sh, &e));
	char *id = issue(is, "did:example:sh2");
	FAILS(MC_ERR_MISSING, mc_issuer_share_of(s, id, &sh, &e)); /* not shared */
	DO(mc_issuer_share(is, id, &sh, &e));
	/* erasure removes the share: the link stops working */
	DO(mc_store_learner_erase(s, "did:example:sh2", NULL, &e));
	FAILS(MC_ERR_MISSING, mc_issuer_shared(s, sh, &c, &e));
	char *sh2 = NULL;
	FAILS(MC_ERR_VALUE, mc_issuer_share(is, id, &sh2, &e)); /* erased */
	ck_assert_ptr_null(sh2);
	mc_free(sh);
	free(id);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(search_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *a = issue(is, "did:example:se1");
	mc_issue_req req = {.template_id = "ds101",
	                    .learner_json = "{\"id\":\"did:example:se2\",\"givenName\":\"Zoe\",\"familyName\":\"Quist\"}"};
	mc_issue_result r = {0};
	DO(mc_issuer_issue(is, &req, &r, &e));
	DO(mc_issuer_set_status(is, r.credential_id, MC_CRED_REVOKED, "x", &e));
	mc_cred_hit *h = NULL;
	size_t n = 0, total = 0;
	DO(mc_issuer_search(s, "quist", NULL, -1, 10, 0, &h, &n, &total, &e)); /* by name, any case */
	ck_assert_uint_eq(total, 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(h[0].id, r.credential_id);
	ck_assert_str_eq(h[0].learner_name, "Zoe Quist");
	ck_assert_int_eq(h[0].state, MC_CRED_REVOKED);
	mc_cred_hit_list_free(h, n);
	DO(mc_issuer_search(s, "did:example:se", "ds101", -1, 1, 0, &h, &n, &total, &e)); /* paged */
	ck_assert_uint_eq(total, 2);
	ck_assert_uint_eq(n, 1);
	mc_cred_hit_list_free(h, n);
	DO(mc_issuer_search(s, NULL, NULL, MC_CRED_ACTIVE, 10, 0, &h, &n, &total, &e));
	ck_assert_uint_eq(total, 1);
	ck_assert_str_eq(h[0].id, a);
	mc_cred_hit_list_free(h, n);
	mc_issue_result_clear(&r);
	free(a);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(search_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *a = issue(is, "did:example:se3");
	mc_cred_hit *h = NULL;
	size_t n = 0, total = 9;
	DO(mc_issuer_search(s, "%", NULL, -1, 10, 0, &h, &n, &total, &e)); /* literal, not a wildcard */
	ck_assert_uint_eq(total, 0);
	mc_cred_hit_list_free(h, n);
	DO(mc_issuer_search(s, "did:example:se3", "other", -1, 10, 0, &h, &n, &total, &e));
	ck_assert_uint_eq(total, 0);
	mc_cred_hit_list_free(h, n);
	FAILS(MC_ERR_ARG, mc_issuer_search(s, NULL, NULL, -1, 0, 0, &h, &n, &total, &e));
	FAILS(MC_ERR_ARG, mc_issuer_search(s, NULL, NULL, 7, 10, 0, &h, &n, &total, &e));
	free(a);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST


/* ---- stacked and recognition credentials (trust.h) ----------------------- */

/* FAILS, and the error names the field `where` */
#define FAILS_AT(want, where, expr)                                                              \
	do {                                                                                     \
		mc_err e = {0};                                                                  \
		mc_status st_ = (expr);                                                          \
		ck_assert_msg(st_ == (want), "%s: got %s (%s)", #expr, mc_strerror(st_), e.msg);  \
		ck_assert_str_eq(e.path, where);                                                 \
	} while (0)
/* expr (using &e) does not succeed */
#define REFUSED(expr)                                                                            \
	do {                                                                                     \
		mc_err e = {0};                                                                  \
		ck_assert_int_ne((expr), MC_OK);                                                 \
	} while (0)

#define PART_ACH "https://www.uni-graz.example/microcredentials/data-literacy-pa"
static const char PATHWAY[] = "{\"id\":\"https://uni.example/pathways/p\",\"title\":\"P\","
                              "\"rule\":{\"and\":[{\"all\":[\"" PART_ACH "\"]},{\"ects\":{\"min\":5}}]}}";

/* Template "cert" (the larger credential) published next to ds101. */
static void add_cert(mc_store *s)
{
	char *ach = tu_read("examples/achievement.json", NULL);
	cJSON *a = cJSON_Parse(ach);
	cJSON_ReplaceItemInObject(a, "id", cJSON_CreateString("https://uni.example/cert"));
	char *t = cJSON_PrintUnformatted(a);
	int64_t v = 0;
	DO(mc_store_template_save(s, "cert", t, &v, &e));
	DO(mc_store_template_set_state(s, "cert", v, MC_TEMPLATE_PUBLISHED, &e));
	cJSON_free(t);
	cJSON_Delete(a);
	free(ach);
}

START_TEST(stacked_ok)
{
	mc_store *s = setup();
	add_cert(s);
	mc_issuer *is = open_issuer(s);
	char *pid = issue(is, "did:example:ada");
	char *part = cred_json(s, pid);
	mc_pathway *pw = NULL;
	DO(mc_pathway_parse(PATHWAY, strlen(PATHWAY), &pw, &e));
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	const char *creds[] = {part};
	size_t lens[] = {strlen(part)};
	mc_stacked_req req = {.pathway = pw, .template_id = "cert", .learner_json = "{\"id\":\"did:example:ada\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}",
	                      .creds = creds, .lens = lens, .n = 1, .cache = cache};
	mc_issue_result r = {0};
	DO(mc_issuer_issue_stacked(is, &req, &r, &e));
	ck_assert_int_eq(r.existed, 0);
	cJSON *c = cJSON_Parse(r.credential_json);
	const cJSON *hp = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "credentialSubject"), "hasPart");
	ck_assert_int_eq(cJSON_GetArraySize(hp), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(hp, 0), "id")->valuestring, pid);
	ck_assert(strncmp(cJSON_GetObjectItem(cJSON_GetArrayItem(hp, 0), "digestSRI")->valuestring, "sha256-", 7) == 0);
	/* a normal credential: it verifies, and it is in the archive */
	mc_report *rep = NULL;
	DO(mc_verify(r.credential_json, strlen(r.credential_json), NULL, &rep, &e));
	mc_report_free(rep);
	mc_store_credential sc = {0};
	DO(mc_store_credential_get(s, r.credential_id, &sc, &e));
	mc_store_credential_clear(&sc);
	/* and changing a part reference breaks the signature */
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(hp, 0), "digestSRI", cJSON_CreateString("sha256-AAAA"));
	char *bad = cJSON_PrintUnformatted(c);
	REFUSED(mc_verify(bad, strlen(bad), NULL, &rep, &e));
	mc_report_free(rep);
	cJSON_free(bad);
	cJSON_Delete(c);
	/* idempotent */
	mc_issue_result r2 = {0};
	DO(mc_issuer_issue_stacked(is, &req, &r2, &e));
	ck_assert_int_eq(r2.existed, 1);
	ck_assert_str_eq(r2.credential_id, r.credential_id);
	mc_issue_result_clear(&r2);
	/* a reissue keeps hasPart as it was; a plain credential's reissue gets none */
	DO(mc_issuer_reissue(is, r.credential_id, NULL, &r2, &e));
	cJSON *re = cJSON_Parse(r2.credential_json), *orig = cJSON_Parse(r.credential_json);
	ck_assert(cJSON_Compare(cJSON_GetObjectItem(cJSON_GetObjectItem(re, "credentialSubject"), "hasPart"),
	                        cJSON_GetObjectItem(cJSON_GetObjectItem(orig, "credentialSubject"), "hasPart"), 1));
	DO(mc_verify(r2.credential_json, strlen(r2.credential_json), NULL, &rep, &e));
	mc_report_free(rep);
	cJSON_Delete(re);
	cJSON_Delete(orig);
	mc_issue_result_clear(&r2);
	DO(mc_issuer_reissue(is, pid, NULL, &r2, &e));
	ck_assert_ptr_null(strstr(r2.credential_json, "\"hasPart\""));
	mc_issue_result_clear(&r2);
	mc_issue_result_clear(&r);
	mc_verify_cache_free(cache);
	mc_pathway_free(pw);
	free(part);
	free(pid);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(stacked_bad)
{
	mc_store *s = setup();
	add_cert(s);
	mc_issuer *is = open_issuer(s);
	char *pid = issue(is, "did:example:bob");
	char *part = cred_json(s, pid);
	mc_pathway *pw = NULL;
	DO(mc_pathway_parse(PATHWAY, strlen(PATHWAY), &pw, &e));
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	const char *creds[] = {part};
	size_t lens[] = {strlen(part)};
	mc_stacked_req req = {.pathway = pw, .template_id = "cert", .learner_json = "{\"id\":\"did:example:ada\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}",
	                      .creds = creds, .lens = lens, .n = 0, .cache = cache};
	mc_issue_result r = {0};
	/* not complete: nothing presented */
	FAILS_AT(MC_ERR_VALUE, "credentials", mc_issuer_issue_stacked(is, &req, &r, &e));
	/* complete, but the part is Bob's */
	req.n = 1;
	FAILS_AT(MC_ERR_VALUE, "credentials[0]", mc_issuer_issue_stacked(is, &req, &r, &e));
	/* a learner without an id */
	req.learner_json = "{\"email\":\"bob@example.org\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}";
	FAILS_AT(MC_ERR_VALUE, "learner.id", mc_issuer_issue_stacked(is, &req, &r, &e));
	/* an unpublished template */
	req.learner_json = "{\"id\":\"did:example:bob\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}";
	req.template_id = "nope";
	REFUSED(mc_issuer_issue_stacked(is, &req, &r, &e));
	ck_assert(r.credential_id == NULL);
	mc_verify_cache_free(cache);
	mc_pathway_free(pw);
	free(part);
	free(pid);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

/* A decision on a credential of ours under a policy that lists our issuer;
 * min_level decides whether it is recognised (EQF 6) or referred. */
static void decide(const char *cred, int min_level, mc_verify_cache *cache, mc_recognition *d)
{
	char pol[512];
	snprintf(pol, sizeof pol,
	         "{\"id\":\"https://b.example/policy\",\"institution\":\"did:web:b.example\",\"towards\":\"MSc electives\","
	         "\"providers\":[\"%s\"],\"minLevel\":%d}",
	         g_did, min_level);
	mc_recognition_policy *p = NULL;
	DO(mc_recognition_policy_parse(pol, strlen(pol), &p, &e));
	DO(mc_recognise(p, NULL, cache, cred, strlen(cred), 0, d, &e));
	mc_recognition_policy_free(p);
}

START_TEST(recognition_ok)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *pid = issue(is, "did:example:ada");
	char *cred = cred_json(s, pid);
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	mc_recognition d = {0};
	decide(cred, 6, cache, &d);
	ck_assert_int_eq(d.outcome, MC_RECOGNISED);
	mc_issue_result r = {0};
	DO(mc_issuer_issue_recognition(is, &d, "ds101", cred, strlen(cred), &r, &e));
	cJSON *c = cJSON_Parse(r.credential_json);
	const cJSON *subj = cJSON_GetObjectItem(c, "credentialSubject"), *rec = cJSON_GetObjectItem(subj, "recognition");
	ck_assert_str_eq(cJSON_GetObjectItem(subj, "id")->valuestring, "did:example:ada");
	ck_assert_str_eq(cJSON_GetObjectItem(rec, "recognitionOutcome")->valuestring, "recognised");
	ck_assert(cJSON_GetObjectItem(rec, "ectsRecognised")->valuedouble == 5);
	ck_assert_str_eq(cJSON_GetObjectItem(rec, "recognisedTowards")->valuestring, "MSc electives");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "recognisedCredential"), "id")->valuestring, pid);
	ck_assert_int_gt(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "recognitionReason")), 1);
	mc_report *rep = NULL;
	DO(mc_verify(r.credential_json, strlen(r.credential_json), NULL, &rep, &e));
	mc_report_free(rep);
	cJSON_Delete(c);
	mc_issue_result_clear(&r);
	mc_recognition_clear(&d);
	mc_verify_cache_free(cache);
	free(cred);
	free(pid);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

START_TEST(recognition_bad)
{
	mc_store *s = setup();
	mc_issuer *is = open_issuer(s);
	char *pid = issue(is, "did:example:ada"), *pid2 = issue(is, "did:example:bob");
	char *cred = cred_json(s, pid), *other = cred_json(s, pid2);
	mc_verify_cache *cache = NULL;
	DO(mc_verify_cache_new(NULL, 0, &cache, &e));
	mc_recognition d = {0};
	mc_issue_result r = {0};
	/* referred (level 7 wanted): not issued */
	decide(cred, 7, cache, &d);
	ck_assert_int_eq(d.outcome, MC_REFERRED);
	FAILS_AT(MC_ERR_VALUE, "decision", mc_issuer_issue_recognition(is, &d, "ds101", cred, strlen(cred), &r, &e));
	mc_recognition_clear(&d);
	/* recognised, but another credential presented */
	decide(cred, 6, cache, &d);
	FAILS_AT(MC_ERR_VALUE, "credential", mc_issuer_issue_recognition(is, &d, "ds101", other, strlen(other), &r, &e));
	/* an unknown template */
	REFUSED(mc_issuer_issue_recognition(is, &d, "nope", cred, strlen(cred), &r, &e));
	ck_assert(r.credential_id == NULL);
	mc_recognition_clear(&d);
	mc_verify_cache_free(cache);
	free(cred), free(other), free(pid), free(pid2);
	mc_issuer_close(is);
	mc_store_close(s);
}
END_TEST

static void add_cases(TCase *tc)
{
	tcase_add_checked_fixture(tc, fresh, cleanup);
	tcase_add_test(tc, open_ok);
	tcase_add_test(tc, open_bad);
	tcase_add_test(tc, uuid7_check);
	tcase_add_test(tc, issue_ok);
	tcase_add_test(tc, issue_bad_template);
	tcase_add_test(tc, issue_bad_learner);
	tcase_add_test(tc, revoke_ok);
	tcase_add_test(tc, revoke_bad);
	tcase_add_test(tc, actor_per_call);
	tcase_add_test(tc, suspend_reinstate_ok);
	tcase_add_test(tc, suspend_reinstate_bad);
	tcase_add_test(tc, status_list_missing);
	tcase_add_test(tc, reissue_ok);
	tcase_add_test(tc, reissue_bad);
	tcase_add_test(tc, bulk_ok);
	tcase_add_test(tc, bulk_bad);
	tcase_add_test(tc, share_ok);
	tcase_add_test(tc, share_bad);
	tcase_add_test(tc, search_ok);
	tcase_add_test(tc, search_bad);
	tcase_add_test(tc, stacked_ok);
	tcase_add_test(tc, stacked_bad);
	tcase_add_test(tc, recognition_ok);
	tcase_add_test(tc, recognition_bad);
}

int main(void)
{
	if (mc_init() != MC_OK)
		return EXIT_FAILURE;
	SRunner *sr = srunner_create(two_backends("issuer", add_cases, NULL));
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
