/*
 * test_store.c - the mc_store conformance suite: the same test functions
 * run against SQLite (a temp file) and PostgreSQL ($MCRED_TEST_PG, each test
 * in a fresh schema). Without MCRED_TEST_PG the PostgreSQL half is a
 * FAILURE under CI=true and skipped with a notice otherwise; scripts/test.sh
 * starts a throwaway cluster (tests/store/pg-cluster.sh) and sets it.
 */
#include "store_fixture.h"

static void mk_issuer(mc_store *s, const char *id)
{
	mc_store_issuer is = {.id = (char *)id, .legal_name = "Helsingin yliopisto", .country = "FI",
	                      .identifiers = "{\"erasmus\":\"SF HELSINK01\"}", .url = "https://www.helsinki.fi"};
	DO(mc_store_issuer_add(s, &is, &e));
}

static const char TPL[] = "{\"name\":\"Data literacy\",\"ects\":3}";
static const char VC[] = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                         "\"type\":[\"VerifiableCredential\"],\"credentialSubject\":{\"name\":\"Ada L\"}}";
static const char LEARNER[] = "{\"name\":\"Ada L\",\"email\":\"ada@example.org\"}";

/* Template id published at version 1. */
static void mk_template(mc_store *s, const char *id)
{
	int64_t v = 0;
	DO(mc_store_template_save(s, id, TPL, &v, &e));
	ck_assert_int_eq(v, 1);
	DO(mc_store_template_set_state(s, id, 1, MC_TEMPLATE_PUBLISHED, &e));
}

static mc_store_credential cred(const char *id, const char *tpl, const char *learner, const char *ext)
{
	mc_store_credential c = {.id = (char *)id, .template_id = (char *)tpl, .template_version = 1,
	                         .learner_id = (char *)learner, .external_id = (char *)ext, .batch_id = "b1",
	                         .status_index = -1, .learner = (char *)LEARNER, .json = (char *)VC};
	return c;
}

static bool cred_exists(mc_store *s, const char *id)
{
	mc_store_credential c;
	mc_err e = {0};
	mc_status st = mc_store_credential_get(s, id, &c, &e);
	ck_assert_msg(st == MC_OK || st == MC_ERR_MISSING, "credential_get: %s", e.msg);
	mc_store_credential_clear(&c);
	return st == MC_OK;
}

/* ---- Schema and opening ---------------------------------------------- */

START_TEST(migrations_run_once)
{
	mc_store *s = open_store();
	int64_t v = 0, n = 0;
	DO(mc_store_schema(s, &v, &n, &e));
	/* the total grows with every migration: only its shape is checked */
	ck_assert_int_ge(v, 3);
	ck_assert_int_eq(n, v);
	int64_t first = v;
	mc_store_close(s);
	for (int i = 0; i < 3; i++) {
		s = open_store();
		DO(mc_store_schema(s, &v, &n, &e));
		ck_assert_int_eq(v, first);
		ck_assert_int_eq(n, first); /* reopening applies nothing */
		mc_store_close(s);
	}
	/* a store from a newer mcred is refused, not "upgraded" backwards */
	s = open_store();
	DO(mc_store_test_exec(s, "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)", &e));
	mc_store_close(s);
	mc_store *t = NULL;
	FAILS(MC_ERR_UNSUPPORTED, mc_store_open(g_url, &t, &e));
	ck_assert_ptr_null(t);
}
END_TEST

START_TEST(reopen_persists)
{
	mc_store *s = open_store();
	mk_issuer(s, "did:web:uni.example");
	mk_template(s, "tpl");
	mc_store_credential c = cred("urn:uuid:1", "tpl", "L1", "row-1");
	DO(mc_store_credential_add(s, &c, &e));
	mc_store_close(s);
	s = open_store();
	mc_store_issuer is;
	DO(mc_store_issuer_get(s, "did:web:uni.example", &is, &e));
	ck_assert_str_eq(is.legal_name, "Helsingin yliopisto");
	mc_store_issuer_clear(&is);
	ck_assert(cred_exists(s, "urn:uuid:1"));
	mc_store_close(s);
}
END_TEST

START_TEST(open_bad_input)
{
	mc_store *s = (mc_store *)1;
	FAILS(MC_ERR_ARG, mc_store_open(NULL, &s, &e));
	ck_assert_ptr_null(s);
	FAILS(MC_ERR_ARG, mc_store_open("", &s, &e));
	FAILS(MC_ERR_ARG, mc_store_open("sqlite:", &s, &e));
	FAILS(MC_ERR_ARG, mc_store_open("x", NULL, &e));
	/* not a database: refused with the file named, not overwritten */
	char path[] = "/tmp/mcred-notdb-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	ck_assert(write(fd, "this is not an sqlite database, not at all......", 48) == 48);
	close(fd);
	FAILS(MC_ERR_IO, mc_store_open(path, &s, &e));
	unlink(path);
	/* PostgreSQL messages never carry the password, even when the URL is
	 * malformed or the server is unreachable */
	mc_err pe = {0};
	ck_assert_int_eq(mc_store_open("postgresql://u:s3cretpw@host/%zz", &s, &pe), MC_ERR_ARG);
	ck_assert_ptr_null(strstr(pe.msg, "s3cretpw"));
	memset(&pe, 0, sizeof pe);
	ck_assert_int_eq(mc_store_open("postgresql://u:s3cretpw@127.0.0.1:1/db?connect_timeout=2", &s, &pe), MC_ERR_IO);
	ck_assert_ptr_null(strstr(pe.msg, "s3cretpw"));
	ck_assert_ptr_nonnull(strstr(pe.msg, "postgresql"));
	/* NULL store everywhere: an error, never a crash */
	mc_store_issuer is;
	FAILS(MC_ERR_ARG, mc_store_issuer_get(NULL, "x", &is, &e));
	FAILS(MC_ERR_ARG, mc_store_begin(NULL, &e));
	FAILS(MC_ERR_ARG, mc_store_audit_list(NULL, 0, 1, NULL, NULL, &e));
	mc_store_close(NULL);
}
END_TEST

/* ---- Issuers --------------------------------------------------------- */

START_TEST(issuer_crud)
{
	mc_store *s = open_store();
	mk_issuer(s, "did:web:a.example");
	mk_issuer(s, "did:web:b.example");
	mc_store_issuer is;
	DO(mc_store_issuer_get(s, "did:web:a.example", &is, &e));
	ck_assert_str_eq(is.country, "FI");
	ck_assert_str_eq(is.identifiers, "{\"erasmus\":\"SF HELSINK01\"}");
	ck_assert_str_eq(is.url, "https://www.helsinki.fi");
	ck_assert_int_gt(is.created, 1700000000);
	mc_store_issuer_clear(&is);
	/* duplicate id: conflict */
	mc_store_issuer dup = {.id = "did:web:a.example", .legal_name = "X", .country = "SE"};
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &dup, &e));
	/* update; NULL identifiers store {} and NULL url stays NULL */
	DO(mc_store_issuer_update(s, &dup, &e));
	DO(mc_store_issuer_get(s, "did:web:a.example", &is, &e));
	ck_assert_str_eq(is.legal_name, "X");
	ck_assert_str_eq(is.identifiers, "{}");
	ck_assert_ptr_null(is.url);
	mc_store_issuer_clear(&is);
	dup.id = "did:web:nobody";
	FAILS(MC_ERR_MISSING, mc_store_issuer_update(s, &dup, &e));
	FAILS(MC_ERR_MISSING, mc_store_issuer_get(s, "did:web:nobody", &is, &e));
	mc_store_issuer *list;
	size_t n;
	DO(mc_store_issuer_list(s, &list, &n, &e));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[1].id, "did:web:b.example");
	mc_store_issuer_list_free(list, n);
	/* delete: only an issuer without keys */
	mc_store_key k = {.key_id = "did:web:b.example#k1", .issuer_id = "did:web:b.example",
	                  .public_key_multibase = "z6Mkabc"};
	DO(mc_store_key_add(s, &k, &e));
	FAILS(MC_ERR_VALUE, mc_store_issuer_delete(s, "did:web:b.example", &e));
	DO(mc_store_issuer_delete(s, "did:web:a.example", &e));
	FAILS(MC_ERR_MISSING, mc_store_issuer_delete(s, "did:web:a.example", &e));
	DO(mc_store_issuer_list(s, &list, &n, &e));
	ck_assert_uint_eq(n, 1);
	mc_store_issuer_list_free(list, n);
	mc_store_close(s);
}
END_TEST

START_TEST(issuer_bad_input)
{
	mc_store *s = open_store();
	mc_store_issuer ok = {.id = "did:web:a", .legal_name = "A", .country = "FI"};
	mc_store_issuer b = ok;
	FAILS(MC_ERR_ARG, mc_store_issuer_add(s, NULL, &e));
	b.id = NULL;
	FAILS(MC_ERR_ARG, mc_store_issuer_add(s, &b, &e));
	b.id = "";
	FAILS(MC_ERR_ARG, mc_store_issuer_add(s, &b, &e));
	b = ok;
	b.country = "fi";
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &b, &e));
	b.country = "FIN";
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &b, &e));
	b = ok;
	b.identifiers = "{\"a\":1,\"a\":2}";
	FAILS(MC_ERR_JSON_DUPKEY, mc_store_issuer_add(s, &b, &e));
	b.identifiers = "{\"a\":";
	FAILS(MC_ERR_JSON_SYNTAX, mc_store_issuer_add(s, &b, &e));
	b.identifiers = "[1]";
	FAILS(MC_ERR_TYPE, mc_store_issuer_add(s, &b, &e));
	b = ok;
	b.legal_name = "A\xff";
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &b, &e));
	b.legal_name = "A\nB";
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &b, &e));
	b.legal_name = "\xed\xa0\x80"; /* UTF-8 encoded surrogate */
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &b, &e));
	/* oversize: one byte past each limit fails, the limit itself passes */
	char *big = malloc(MC_STORE_ID_MAX + 2);
	memset(big, 'a', MC_STORE_ID_MAX + 1);
	big[MC_STORE_ID_MAX + 1] = '\0';
	b = ok;
	b.id = big;
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_store_issuer_add(s, &b, &e), MC_ERR_VALUE);
		ck_assert_str_eq(e.path, "issuer.id");
	}
	big[MC_STORE_ID_MAX] = '\0';
	DO(mc_store_issuer_add(s, &b, &e));
	b = ok;
	b.id = "did:web:c";
	big[MC_STORE_TEXT_MAX] = '\0';
	b.legal_name = big;
	DO(mc_store_issuer_add(s, &b, &e));
	big[MC_STORE_TEXT_MAX] = 'a';
	big[MC_STORE_TEXT_MAX + 1] = '\0';
	b.id = "did:web:d";
	FAILS(MC_ERR_VALUE, mc_store_issuer_add(s, &b, &e));
	free(big);
	/* nothing half-written by the failures */
	mc_store_issuer *list;
	size_t n;
	DO(mc_store_issuer_list(s, &list, &n, &e));
	ck_assert_uint_eq(n, 2);
	mc_store_issuer_list_free(list, n);
	mc_store_close(s);
}
END_TEST

/* ---- Keys ------------------------------------------------------------ */

START_TEST(key_rotation)
{
	mc_store *s = open_store();
	mk_issuer(s, "did:web:u");
	mc_store_key k1 = {.key_id = "did:web:u#k1", .issuer_id = "did:web:u", .public_key_multibase = "z6Mk1",
	                   .key_file = "{\"kdf\":\"argon2id\"}", .created = 1000};
	mc_store_key k2 = {.key_id = "did:web:u#k2", .issuer_id = "did:web:u", .public_key_multibase = "z6Mk2",
	                   .created = 2000};
	DO(mc_store_key_add(s, &k1, &e));
	mc_store_key a;
	DO(mc_store_key_active(s, "did:web:u", &a, &e));
	ck_assert_str_eq(a.key_id, "did:web:u#k1");
	ck_assert_str_eq(a.key_file, "{\"kdf\":\"argon2id\"}");
	mc_store_key_clear(&a);
	DO(mc_store_key_add(s, &k2, &e)); /* rotation */
	DO(mc_store_key_active(s, "did:web:u", &a, &e));
	ck_assert_str_eq(a.key_id, "did:web:u#k2");
	ck_assert_ptr_null(a.key_file);
	mc_store_key_clear(&a);
	DO(mc_store_key_get(s, "did:web:u#k1", &a, &e)); /* kept for verification */
	ck_assert_int_eq(a.retired_at, 2000);
	ck_assert_str_eq(a.public_key_multibase, "z6Mk1");
	mc_store_key_clear(&a);
	/* importing an already retired key leaves the active one alone */
	mc_store_key k0 = {.key_id = "did:web:u#k0", .issuer_id = "did:web:u", .public_key_multibase = "z6Mk0",
	                   .created = 500, .retired_at = 900};
	DO(mc_store_key_add(s, &k0, &e));
	mc_store_key *list;
	size_t n;
	DO(mc_store_key_list(s, "did:web:u", &list, &n, &e));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(list[0].key_id, "did:web:u#k0");
	ck_assert_str_eq(list[2].key_id, "did:web:u#k2");
	ck_assert_int_eq(list[2].retired_at, 0);
	mc_store_key_list_free(list, n);
	FAILS(MC_ERR_VALUE, mc_store_key_add(s, &k2, &e)); /* same key id */
	DO(mc_store_key_retire(s, "did:web:u#k2", 3000, &e));
	FAILS(MC_ERR_MISSING, mc_store_key_active(s, "did:web:u", &a, &e));
	FAILS(MC_ERR_VALUE, mc_store_key_retire(s, "did:web:u#k2", 0, &e));
	FAILS(MC_ERR_MISSING, mc_store_key_retire(s, "did:web:u#nope", 0, &e));
	FAILS(MC_ERR_MISSING, mc_store_key_get(s, "did:web:u#nope", &a, &e));
	mc_store_key orphan = {.key_id = "did:web:x#k", .issuer_id = "did:web:x", .public_key_multibase = "z6Mk"};
	FAILS(MC_ERR_MISSING, mc_store_key_add(s, &orphan, &e));
	mc_store_key bad = k1;
	bad.key_id = "did:web:u#k9";
	bad.key_file = "not json";
	FAILS(MC_ERR_JSON_SYNTAX, mc_store_key_add(s, &bad, &e));
	bad.key_file = NULL;
	bad.public_key_multibase = NULL;
	FAILS(MC_ERR_ARG, mc_store_key_add(s, &bad, &e));
	mc_store_close(s);
}
END_TEST

/* ---- Templates ------------------------------------------------------- */

START_TEST(template_versioning)
{
	mc_store *s = open_store();
	int64_t v = 0;
	DO(mc_store_template_save(s, "t", "{\"v\":\"a\"}", &v, &e));
	ck_assert_int_eq(v, 1);
	DO(mc_store_template_save(s, "t", "{\"v\":\"b\"}", &v, &e)); /* draft: in place */
	ck_assert_int_eq(v, 1);
	DO(mc_store_template_set_state(s, "t", 1, MC_TEMPLATE_PUBLISHED, &e));
	DO(mc_store_template_set_state(s, "t", 1, MC_TEMPLATE_PUBLISHED, &e)); /* idempotent */
	DO(mc_store_template_save(s, "t", "{\"v\":\"b\"}", &v, &e)); /* same bytes: no new version */
	ck_assert_int_eq(v, 1);
	DO(mc_store_template_save(s, "t", "{\"v\":\"c\"}", &v, &e)); /* published: new version */
	ck_assert_int_eq(v, 2);
	mc_store_template t;
	DO(mc_store_template_get(s, "t", 1, &t, &e));
	ck_assert_str_eq(t.json, "{\"v\":\"b\"}");
	ck_assert_int_eq(t.state, MC_TEMPLATE_PUBLISHED);
	mc_store_template_clear(&t);
	DO(mc_store_template_get(s, "t", 0, &t, &e)); /* latest */
	ck_assert_int_eq(t.version, 2);
	ck_assert_int_eq(t.state, MC_TEMPLATE_DRAFT);
	ck_assert_str_eq(t.json, "{\"v\":\"c\"}");
	mc_store_template_clear(&t);
	/* credentials keep pointing at the version they came from */
	mk_issuer(s, "did:web:u");
	mc_store_credential c = cred("urn:uuid:t1", "t", "L", "x");
	DO(mc_store_credential_add(s, &c, &e));
	DO(mc_store_template_set_state(s, "t", 2, MC_TEMPLATE_PUBLISHED, &e));
	DO(mc_store_template_set_state(s, "t", 1, MC_TEMPLATE_RETIRED, &e));
	FAILS(MC_ERR_VALUE, mc_store_template_set_state(s, "t", 1, MC_TEMPLATE_PUBLISHED, &e));
	FAILS(MC_ERR_VALUE, mc_store_template_set_state(s, "t", 2, MC_TEMPLATE_DRAFT, &e));
	FAILS(MC_ERR_MISSING, mc_store_template_set_state(s, "t", 3, MC_TEMPLATE_PUBLISHED, &e));
	DO(mc_store_template_save(s, "t", "{\"v\":\"d\"}", &v, &e));
	ck_assert_int_eq(v, 3);
	mc_store_template *list;
	size_t n;
	DO(mc_store_template_versions(s, "t", &list, &n, &e));
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(list[0].state, MC_TEMPLATE_RETIRED);
	ck_assert_int_eq(list[1].state, MC_TEMPLATE_PUBLISHED);
	ck_assert_int_eq(list[2].state, MC_TEMPLATE_DRAFT);
	mc_store_template_list_free(list, n);
	/* every template once, at its latest version, by id */
	DO(mc_store_template_save(s, "a", "{\"v\":\"x\"}", &v, &e));
	DO(mc_store_template_list(s, &list, &n, &e));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0].id, "a");
	ck_assert_int_eq(list[0].version, 1);
	ck_assert_str_eq(list[1].id, "t");
	ck_assert_int_eq(list[1].version, 3);
	ck_assert_str_eq(list[1].json, "{\"v\":\"d\"}");
	mc_store_template_list_free(list, n);
	FAILS(MC_ERR_ARG, mc_store_template_list(s, NULL, &n, &e));
	mc_store_credential got;
	DO(mc_store_credential_get(s, "urn:uuid:t1", &got, &e));
	ck_assert_int_eq(got.template_version, 1);
	mc_store_credential_clear(&got);
	FAILS(MC_ERR_MISSING, mc_store_template_get(s, "t", 9, &t, &e));
	FAILS(MC_ERR_MISSING, mc_store_template_get(s, "nope", 0, &t, &e));
	FAILS(MC_ERR_JSON_SYNTAX, mc_store_template_save(s, "t", "{", &v, &e));
	FAILS(MC_ERR_TYPE, mc_store_template_save(s, "t", "\"str\"", &v, &e));
	FAILS(MC_ERR_JSON_ENCODING, mc_store_template_save(s, "t", "{\"a\":\"\\u0000\"}", &v, &e));
	FAILS(MC_ERR_ARG, mc_store_template_set_state(s, "t", 0, MC_TEMPLATE_PUBLISHED, &e));
	mc_store_close(s);
}
END_TEST

/* ---- Credentials ----------------------------------------------------- */

START_TEST(credential_crud)
{
	mc_store *s = open_store();
	mk_template(s, "tpl");
	DO(mc_store_status_list_create(s, "https://u.example/status/1", MC_PURPOSE_REVOCATION, 131072, &e));
	int64_t idx;
	DO(mc_store_status_alloc(s, "https://u.example/status/1", 1, &idx, &e));
	mc_store_credential c = cred("urn:uuid:c1", "tpl", "L1", "row-1");
	c.status_list_id = "https://u.example/status/1";
	c.status_index = idx;
	c.issued_at = 1717171717;
	DO(mc_store_credential_add(s, &c, &e));
	mc_store_credential g;
	DO(mc_store_credential_get(s, "urn:uuid:c1", &g, &e));
	ck_assert_str_eq(g.template_id, "tpl");
	ck_assert_str_eq(g.learner_id, "L1");
	ck_assert_str_eq(g.external_id, "row-1");
	ck_assert_str_eq(g.batch_id, "b1");
	ck_assert_str_eq(g.status_list_id, "https://u.example/status/1");
	ck_assert_int_eq(g.status_index, idx);
	ck_assert_str_eq(g.json, VC);
	ck_assert_str_eq(g.learner, LEARNER);
	ck_assert_int_eq(g.issued_at, 1717171717);
	ck_assert_int_eq(g.state, MC_CRED_ACTIVE);
	ck_assert_ptr_null(g.state_reason);
	ck_assert_int_eq(g.erased_at, 0);
	mc_store_credential_clear(&g);
	DO(mc_store_credential_find(s, "tpl", "L1", "row-1", &g, &e));
	ck_assert_str_eq(g.id, "urn:uuid:c1");
	mc_store_credential_clear(&g);
	FAILS(MC_ERR_MISSING, mc_store_credential_find(s, "tpl", "L1", "row-2", &g, &e));
	/* the idempotency key: same (template, learner, external id) */
	mc_store_credential d = cred("urn:uuid:c2", "tpl", "L1", "row-1");
	FAILS(MC_ERR_VALUE, mc_store_credential_add(s, &d, &e));
	d = cred("urn:uuid:c1", "tpl", "L1", "row-2"); /* same id */
	FAILS(MC_ERR_VALUE, mc_store_credential_add(s, &d, &e));
	d = cred("urn:uuid:c3", "tpl", "L2", "row-3"); /* same status entry */
	d.status_list_id = c.status_list_id;
	d.status_index = idx;
	FAILS(MC_ERR_VALUE, mc_store_credential_add(s, &d, &e));
	d = cred("urn:uuid:c4", "tpl", "L2", "");
	d.template_version = 2; /* no such version */
	FAILS(MC_ERR_MISSING, mc_store_credential_add(s, &d, &e));
	d.template_version = 1;
	d.status_list_id = "https://nowhere";
	d.status_index = 5;
	FAILS(MC_ERR_MISSING, mc_store_credential_add(s, &d, &e));
	d.status_list_id = NULL;
	DO(mc_store_credential_add(s, &d, &e)); /* no list: index ignored, stored as -1 */
	DO(mc_store_credential_get(s, "urn:uuid:c4", &g, &e));
	ck_assert_int_eq(g.status_index, -1);
	ck_assert_ptr_null(g.status_list_id);
	ck_assert_str_eq(g.external_id, "");
	mc_store_credential_clear(&g);
	/* state machine */
	DO(mc_store_credential_set_state(s, "urn:uuid:c1", MC_CRED_SUSPENDED, "exam under review", &e));
	DO(mc_store_credential_get(s, "urn:uuid:c1", &g, &e));
	ck_assert_int_eq(g.state, MC_CRED_SUSPENDED);
	ck_assert_str_eq(g.state_reason, "exam under review");
	mc_store_credential_clear(&g);
	DO(mc_store_credential_set_state(s, "urn:uuid:c1", MC_CRED_ACTIVE, NULL, &e));
	DO(mc_store_credential_set_state(s, "urn:uuid:c1", MC_CRED_REVOKED, "fraud", &e));
	DO(mc_store_credential_set_state(s, "urn:uuid:c1", MC_CRED_REVOKED, "again", &e));
	FAILS(MC_ERR_VALUE, mc_store_credential_set_state(s, "urn:uuid:c1", MC_CRED_ACTIVE, NULL, &e));
	FAILS(MC_ERR_MISSING, mc_store_credential_set_state(s, "urn:uuid:zz", MC_CRED_REVOKED, NULL, &e));
	DO(mc_store_credential_get(s, "urn:uuid:c1", &g, &e));
	ck_assert_int_eq(g.state, MC_CRED_REVOKED);
	ck_assert_str_eq(g.state_reason, "fraud");
	mc_store_credential_clear(&g);
	/* bad input names the field */
	d = cred("urn:uuid:c5", "tpl", "L2", "r5");
	d.json = "{\"a\":[1,]}";
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_store_credential_add(s, &d, &e), MC_ERR_JSON_SYNTAX);
		ck_assert_str_eq(e.path, "credential.json");
	}
	d.json = NULL;
	FAILS(MC_ERR_ARG, mc_store_credential_add(s, &d, &e));
	d.json = (char *)VC;
	d.learner = "[]";
	FAILS(MC_ERR_TYPE, mc_store_credential_add(s, &d, &e));
	d.learner = NULL;
	d.external_id = NULL;
	FAILS(MC_ERR_ARG, mc_store_credential_add(s, &d, &e));
	d.external_id = "r5";
	d.template_version = 0;
	FAILS(MC_ERR_VALUE, mc_store_credential_add(s, &d, &e));
	FAILS(MC_ERR_ARG, mc_store_credential_set_state(s, "urn:uuid:c4", (mc_cred_state)7, NULL, &e));
	/* too deep JSON: past the strict parser's depth limit */
	char deep[16 + 2 * (MC_JSON_MAX_DEPTH + 8)];
	size_t dn = 0;
	dn += (size_t)snprintf(deep, sizeof deep, "{\"a\":");
	for (int i = 0; i < MC_JSON_MAX_DEPTH + 4; i++)
		deep[dn++] = '[';
	for (int i = 0; i < MC_JSON_MAX_DEPTH + 4; i++)
		deep[dn++] = ']';
	deep[dn++] = '}';
	deep[dn] = '\0';
	d.template_version = 1;
	d.json = deep;
	FAILS(MC_ERR_JSON_LIMIT, mc_store_credential_add(s, &d, &e));
	mc_store_close(s);
}
END_TEST

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* n rows: ids urn:uuid:<prefix><i>, learner L<i % 7>, external <prefix>-<i>. */
struct rows {
	mc_store_credential *c;
	char (*id)[48];
	char (*ext)[48];
	char (*learner)[16];
	size_t n;
};

static struct rows mk_rows(size_t n, const char *prefix)
{
	struct rows r = {calloc(n, sizeof *r.c), calloc(n, sizeof *r.id), calloc(n, sizeof *r.ext),
	                 calloc(n, sizeof *r.learner), n};
	ck_assert(r.c && r.id && r.ext && r.learner);
	for (size_t i = 0; i < n; i++) {
		snprintf(r.id[i], sizeof r.id[i], "urn:uuid:%s%zu", prefix, i);
		snprintf(r.ext[i], sizeof r.ext[i], "%s-%zu", prefix, i);
		snprintf(r.learner[i], sizeof r.learner[i], "L%zu", i % 7);
		r.c[i] = cred(r.id[i], "tpl", r.learner[i], r.ext[i]);
	}
	return r;
}

static void free_rows(struct rows *r)
{
	free(r->c);
	free(r->id);
	free(r->ext);
	free(r->learner);
}

START_TEST(batch_insert)
{
	mc_store *s = open_store();
	mk_template(s, "tpl");
	/* more rows than one chunk (512) and one pipeline sync (256) */
	struct rows r = mk_rows(2000, "a");
	double t0 = now_ms();
	DO(mc_store_credential_add_batch(s, r.c, r.n, 0, NULL, &e));
	double ms = now_ms() - t0;
	printf("store[%s]: batch insert of %zu credentials in %.1f ms (%.0f rows/s, sanitizer build)\n",
	       mc_store_backend(s), r.n, ms, r.n / (ms / 1e3));
	ck_assert(cred_exists(s, "urn:uuid:a0"));
	ck_assert(cred_exists(s, "urn:uuid:a1999"));
	/* re-running the same import with SKIP_EXISTING writes only new rows */
	struct rows r2 = mk_rows(2100, "a");
	for (size_t i = 0; i < r2.n; i++)
		r2.id[i][9] = 'b'; /* new credential ids, same idempotency keys */
	uint8_t *ins = malloc(r2.n);
	DO(mc_store_credential_add_batch(s, r2.c, r2.n, MC_STORE_SKIP_EXISTING, ins, &e));
	size_t written = 0;
	for (size_t i = 0; i < r2.n; i++)
		written += ins[i];
	ck_assert_uint_eq(written, 100);
	ck_assert(!ins[0] && ins[2000] && ins[2099]);
	ck_assert(!cred_exists(s, "urn:uuid:b0"));
	ck_assert(cred_exists(s, "urn:uuid:b2050"));
	/* without the flag the same batch is a conflict naming the row */
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_store_credential_add_batch(s, r2.c, r2.n, 0, ins, &e), MC_ERR_VALUE);
		ck_assert_str_eq(e.path, "rows[0]");
		ck_assert_int_eq(ins[2099], 0);
	}
	FAILS(MC_ERR_ARG, mc_store_credential_add_batch(s, r2.c, 0, 0, NULL, &e));
	FAILS(MC_ERR_ARG, mc_store_credential_add_batch(s, r2.c, 1, 8, NULL, &e));
	free(ins);
	free_rows(&r);
	free_rows(&r2);
	mc_store_close(s);
}
END_TEST

START_TEST(batch_atomic)
{
	mc_store *s = open_store();
	mk_template(s, "tpl");
	/* row 700 repeats row 3's idempotency key: the database refuses it
	 * after 700 rows went in, and all of them must disappear */
	struct rows r = mk_rows(800, "a");
	r.c[700].external_id = r.ext[3];
	r.c[700].learner_id = r.learner[3];
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_store_credential_add_batch(s, r.c, r.n, 0, NULL, &e), MC_ERR_VALUE);
		ck_assert_str_eq(e.path, "rows[700]");
	}
	ck_assert(!cred_exists(s, "urn:uuid:a0"));
	ck_assert(!cred_exists(s, "urn:uuid:a699"));
	/* a row failing the checks is caught before anything is sent */
	r.c[700] = cred(r.id[700], "tpl", r.learner[700], r.ext[700]);
	r.c[650].json = "{";
	{
		mc_err e = {0};
		ck_assert_int_eq(mc_store_credential_add_batch(s, r.c, r.n, 0, NULL, &e), MC_ERR_JSON_SYNTAX);
		ck_assert_str_eq(e.path, "rows[650].json");
	}
	r.c[650].json = (char *)VC;
	/* inside a transaction: the failed batch leaves the transaction as it
	 * was (savepoint), and the transaction can still commit */
	DO(mc_store_begin(s, &e));
	mc_store_credential one = cred("urn:uuid:one", "tpl", "L9", "one");
	DO(mc_store_credential_add(s, &one, &e));
	r.c[799].id = "urn:uuid:one";
	FAILS(MC_ERR_VALUE, mc_store_credential_add_batch(s, r.c, r.n, 0, NULL, &e));
	mc_store_audit a = {.actor = "t", .action = "after"};
	DO(mc_store_audit_append(s, &a, NULL, &e));
	DO(mc_store_commit(s, &e));
	ck_assert(cred_exists(s, "urn:uuid:one"));
	ck_assert(!cred_exists(s, "urn:uuid:a0"));
	/* and a failing batch inside a transaction that is then rolled back
	 * leaves nothing at all */
	r.c[799].id = r.id[799];
	DO(mc_store_begin(s, &e));
	DO(mc_store_credential_add_batch(s, r.c, 400, 0, NULL, &e));
	FAILS(MC_ERR_VALUE, mc_store_credential_add_batch(s, r.c + 399, 2, 0, NULL, &e));
	DO(mc_store_rollback(s, &e));
	ck_assert(!cred_exists(s, "urn:uuid:a0"));
	ck_assert(!cred_exists(s, "urn:uuid:a399"));
	free_rows(&r);
	mc_store_close(s);
}
END_TEST

/* ---- Transactions ---------------------------------------------------- */

START_TEST(transactions)
{
	mc_store *s = open_store();
	FAILS(MC_ERR_ARG, mc_store_commit(s, &e));
	FAILS(MC_ERR_ARG, mc_store_rollback(s, &e));
	DO(mc_store_begin(s, &e));
	FAILS(MC_ERR_ARG, mc_store_begin(s, &e));
	mk_issuer(s, "did:web:u");
	mk_template(s, "tpl");
	DO(mc_store_status_list_create(s, "sl", MC_PURPOSE_REVOCATION, 131072, &e));
	int64_t idx[3];
	DO(mc_store_status_alloc(s, "sl", 3, idx, &e));
	mc_store_credential c = cred("urn:uuid:1", "tpl", "L", "x");
	DO(mc_store_credential_add(s, &c, &e));
	mc_store_audit a = {.actor = "t", .action = "issue", .subject = "urn:uuid:1"};
	DO(mc_store_audit_append(s, &a, NULL, &e));
	/* a failing operation inside the transaction does not end it */
	FAILS(MC_ERR_VALUE, mc_store_credential_add(s, &c, &e));
	ck_assert(cred_exists(s, "urn:uuid:1"));
	DO(mc_store_rollback(s, &e));
	mc_store_issuer is;
	FAILS(MC_ERR_MISSING, mc_store_issuer_get(s, "did:web:u", &is, &e));
	mc_store_template t;
	FAILS(MC_ERR_MISSING, mc_store_template_get(s, "tpl", 0, &t, &e));
	ck_assert(!cred_exists(s, "urn:uuid:1"));
	mc_store_status_list sl;
	FAILS(MC_ERR_MISSING, mc_store_status_list_get(s, "sl", &sl, &e));
	mc_store_audit *log;
	size_t n;
	DO(mc_store_audit_list(s, 0, 100, &log, &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_store_audit_list_free(log, n);
	/* commit keeps everything */
	DO(mc_store_begin(s, &e));
	mk_issuer(s, "did:web:u");
	mk_template(s, "tpl");
	DO(mc_store_credential_add(s, &c, &e));
	DO(mc_store_commit(s, &e));
	ck_assert(cred_exists(s, "urn:uuid:1"));
	/* closing with a transaction open rolls it back */
	DO(mc_store_begin(s, &e));
	mc_store_credential c2 = cred("urn:uuid:2", "tpl", "L", "y");
	DO(mc_store_credential_add(s, &c2, &e));
	mc_store_close(s);
	s = open_store();
	ck_assert(!cred_exists(s, "urn:uuid:2"));
	ck_assert(cred_exists(s, "urn:uuid:1"));
	mc_store_close(s);
}
END_TEST

/* ---- Status lists ---------------------------------------------------- */

START_TEST(status_lists)
{
	mc_store *s = open_store();
	const int64_t size = MC_STATUS_LIST_MIN_BITS;
	FAILS(MC_ERR_VALUE, mc_store_status_list_create(s, "small", MC_PURPOSE_REVOCATION, size - 8, &e));
	FAILS(MC_ERR_VALUE, mc_store_status_list_create(s, "odd", MC_PURPOSE_REVOCATION, size + 1, &e));
	FAILS(MC_ERR_VALUE, mc_store_status_list_create(s, "big", MC_PURPOSE_REVOCATION,
	                                                (int64_t)MC_STATUS_LIST_MAX_BITS + 8, &e));
	FAILS(MC_ERR_ARG, mc_store_status_list_create(s, "p", (mc_status_purpose)5, size, &e));
	DO(mc_store_status_list_create(s, "r", MC_PURPOSE_REVOCATION, size, &e));
	DO(mc_store_status_list_create(s, "s", MC_PURPOSE_SUSPENSION, size, &e));
	FAILS(MC_ERR_VALUE, mc_store_status_list_create(s, "r", MC_PURPOSE_REVOCATION, size, &e));
	/* allocation: unique, in range, spread (not sequential), never reused */
	uint8_t *seen = calloc(1, (size_t)size);
	int64_t idx[500];
	int64_t lo = size, hi = -1;
	size_t ascending = 0;
	for (int round = 0; round < 4; round++) {
		DO(mc_store_status_alloc(s, "r", 500, idx, &e));
		for (int i = 0; i < 500; i++) {
			ck_assert(idx[i] >= 0 && idx[i] < size);
			ck_assert_msg(!seen[idx[i]], "index %lld handed out twice", (long long)idx[i]);
			seen[idx[i]] = 1;
			lo = idx[i] < lo ? idx[i] : lo;
			hi = idx[i] > hi ? idx[i] : hi;
			ascending += i > 0 && idx[i] == idx[i - 1] + 1;
		}
	}
	ck_assert_int_lt(lo, size / 8);
	ck_assert_int_gt(hi, size - size / 8);
	ck_assert_uint_lt(ascending, 20);
	mc_store_status_list l;
	DO(mc_store_status_list_get(s, "r", &l, &e));
	ck_assert_int_eq(l.allocated, 2000);
	ck_assert_int_eq(l.size, size);
	ck_assert_int_eq(l.purpose, MC_PURPOSE_REVOCATION);
	for (int64_t i = 0; i < size / 8; i++)
		ck_assert_int_eq(l.bits[i], 0);
	mc_store_status_list_clear(&l);
	/* bits: MSB-first, only on allocated indexes, inside the list */
	int64_t k = idx[0];
	DO(mc_store_status_list_set(s, "r", k, 1, &e));
	DO(mc_store_status_list_set(s, "r", k, 1, &e));
	DO(mc_store_status_list_get(s, "r", &l, &e));
	ck_assert_int_eq(l.bits[k / 8], 0x80 >> (k % 8));
	mc_store_status_list_clear(&l);
	DO(mc_store_status_list_set(s, "r", k, 0, &e));
	DO(mc_store_status_list_get(s, "r", &l, &e));
	ck_assert_int_eq(l.bits[k / 8], 0);
	mc_store_status_list_clear(&l);
	int64_t never = 0;
	while (seen[never])
		never++;
	FAILS(MC_ERR_VALUE, mc_store_status_list_set(s, "r", never, 1, &e));
	FAILS(MC_ERR_VALUE, mc_store_status_list_set(s, "r", size, 1, &e));
	FAILS(MC_ERR_VALUE, mc_store_status_list_set(s, "r", -1, 1, &e));
	FAILS(MC_ERR_ARG, mc_store_status_list_set(s, "r", k, 2, &e));
	FAILS(MC_ERR_MISSING, mc_store_status_list_set(s, "nope", k, 1, &e));
	FAILS(MC_ERR_MISSING, mc_store_status_alloc(s, "nope", 1, idx, &e));
	FAILS(MC_ERR_ARG, mc_store_status_alloc(s, "r", 0, idx, &e));
	/* fill the other list completely: every index exactly once, then full */
	int64_t *all = malloc(sizeof *all * (size_t)size);
	memset(seen, 0, (size_t)size);
	DO(mc_store_status_alloc(s, "s", (size_t)size - 1, all, &e));
	DO(mc_store_status_alloc(s, "s", 1, all + size - 1, &e));
	for (int64_t i = 0; i < size; i++) {
		ck_assert(!seen[all[i]]);
		seen[all[i]] = 1;
	}
	FAILS(MC_ERR_TOO_LARGE, mc_store_status_alloc(s, "s", 1, idx, &e));
	free(all);
	free(seen);
	mc_store_close(s);
}
END_TEST

/* mc_store_status_reserve takes exactly the given indexes (the issuer
 * mirrors a revocation list onto its suspension twin with it). */
START_TEST(status_reserve)
{
	mc_store *s = open_store();
	DO(mc_store_status_list_create(s, "t", MC_PURPOSE_SUSPENSION, MC_STATUS_LIST_MIN_BITS, &e));
	int64_t want[3] = {0, 77, MC_STATUS_LIST_MIN_BITS - 1};
	DO(mc_store_status_reserve(s, "t", 3, want, &e));
	/* reserved means handed out: the bits can be set now */
	DO(mc_store_status_list_set(s, "t", 77, 1, &e));
	mc_store_status_list l = {0};
	DO(mc_store_status_list_get(s, "t", &l, &e));
	ck_assert_int_eq(l.allocated, 3);
	mc_store_status_list_clear(&l);
	/* failing twins: taken already (nothing of the call is taken then),
	 * out of range, negative, unknown list, n = 0 */
	int64_t again[2] = {5, 77};
	mc_err ev = {0};
	ck_assert_int_eq(mc_store_status_reserve(s, "t", 2, again, &ev), MC_ERR_VALUE);
	ck_assert_str_eq(ev.path, "indexes");
	FAILS(MC_ERR_VALUE, mc_store_status_list_set(s, "t", 5, 1, &e)); /* 5 was not kept */
	int64_t out[1] = {MC_STATUS_LIST_MIN_BITS};
	FAILS(MC_ERR_VALUE, mc_store_status_reserve(s, "t", 1, out, &e));
	out[0] = -1;
	FAILS(MC_ERR_VALUE, mc_store_status_reserve(s, "t", 1, out, &e));
	FAILS(MC_ERR_MISSING, mc_store_status_reserve(s, "nope", 1, want, &e));
	FAILS(MC_ERR_ARG, mc_store_status_reserve(s, "t", 0, want, &e));
	DO(mc_store_status_list_get(s, "t", &l, &e));
	ck_assert_int_eq(l.allocated, 3);
	mc_store_status_list_clear(&l);
	mc_store_close(s);
}
END_TEST

/* ---- Audit ----------------------------------------------------------- */

START_TEST(audit_append_only)
{
	mc_store *s = open_store();
	int64_t seq[3];
	mc_store_audit a = {.actor = "registrar", .action = "credential.issue", .subject = "urn:uuid:1",
	                    .details = "{\"batch\":\"b1\"}", .time = 1700000000};
	DO(mc_store_audit_append(s, &a, &seq[0], &e));
	a.action = "credential.revoke";
	a.details = NULL;
	a.time = 0;
	DO(mc_store_audit_append(s, &a, &seq[1], &e));
	a.subject = NULL;
	DO(mc_store_audit_append(s, &a, &seq[2], &e));
	ck_assert_int_lt(seq[0], seq[1]);
	ck_assert_int_lt(seq[1], seq[2]);
	mc_store_audit *log;
	size_t n;
	DO(mc_store_audit_list(s, 0, 100, &log, &n, &e));
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(log[0].seq, seq[0]);
	ck_assert_int_eq(log[0].time, 1700000000);
	ck_assert_str_eq(log[0].actor, "registrar");
	ck_assert_str_eq(log[0].details, "{\"batch\":\"b1\"}");
	ck_assert_str_eq(log[1].details, "{}");
	ck_assert_int_gt(log[1].time, 1700000000);
	ck_assert_ptr_null(log[2].subject);
	mc_store_audit_list_free(log, n);
	DO(mc_store_audit_list(s, seq[0], 1, &log, &n, &e));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(log[0].action, "credential.revoke");
	mc_store_audit_list_free(log, n);
	/* the database itself refuses to rewrite history */
	FAILS(MC_ERR_VALUE, mc_store_test_exec(s, "UPDATE audit_log SET actor = 'mallory'", &e));
	FAILS(MC_ERR_VALUE, mc_store_test_exec(s, "DELETE FROM audit_log", &e));
	DO(mc_store_audit_list(s, 0, 100, &log, &n, &e));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(log[0].actor, "registrar");
	mc_store_audit_list_free(log, n);
	a.details = "{\"x\":1,\"x\":1}";
	FAILS(MC_ERR_JSON_DUPKEY, mc_store_audit_append(s, &a, NULL, &e));
	a.details = NULL;
	a.actor = NULL;
	FAILS(MC_ERR_ARG, mc_store_audit_append(s, &a, NULL, &e));
	FAILS(MC_ERR_ARG, mc_store_audit_list(s, 0, 0, &log, &n, &e));
	mc_store_close(s);
}
END_TEST

/* ---- Learner rights -------------------------------------------------- */

START_TEST(learner_export_erase)
{
	mc_store *s = open_store();
	mk_template(s, "tpl");
	mc_store_credential c1 = cred("urn:uuid:1", "tpl", "L1", "r1");
	mc_store_credential c2 = cred("urn:uuid:2", "tpl", "L1", "r2");
	mc_store_credential c3 = cred("urn:uuid:3", "tpl", "L2", "r3");
	c3.learner = "{\"name\":\"Grace H\"}";
	DO(mc_store_credential_add(s, &c1, &e));
	DO(mc_store_credential_add(s, &c2, &e));
	DO(mc_store_credential_add(s, &c3, &e));
	mc_store_audit a = {.actor = "registrar", .action = "credential.issue", .subject = "urn:uuid:1"};
	DO(mc_store_audit_append(s, &a, NULL, &e));
	a.subject = "L1";
	a.action = "learner.export";
	DO(mc_store_audit_append(s, &a, NULL, &e));
	a.subject = "urn:uuid:3";
	DO(mc_store_audit_append(s, &a, NULL, &e));
	char *out = NULL;
	DO(mc_store_learner_export(s, "L1", &out, &e));
	DO(mc_json_check(out, strlen(out), &e));
	ck_assert_ptr_nonnull(strstr(out, "\"learnerId\":\t\"L1\""));
	ck_assert_ptr_nonnull(strstr(out, "urn:uuid:1"));
	ck_assert_ptr_nonnull(strstr(out, "urn:uuid:2"));
	ck_assert_ptr_nonnull(strstr(out, "ada@example.org"));
	ck_assert_ptr_nonnull(strstr(out, "learner.export"));
	ck_assert_ptr_null(strstr(out, "urn:uuid:3"));
	ck_assert_ptr_null(strstr(out, "Grace"));
	mc_free(out);
	size_t n = 0;
	DO(mc_store_learner_erase(s, "L1", &n, &e));
	ck_assert_uint_eq(n, 2);
	DO(mc_store_learner_erase(s, "L1", &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_store_credential g;
	DO(mc_store_credential_get(s, "urn:uuid:1", &g, &e));
	ck_assert_ptr_null(g.json);
	ck_assert_ptr_null(g.learner);
	ck_assert_int_gt(g.erased_at, 0);
	ck_assert_str_eq(g.learner_id, "L1");   /* ids stay: revocation needs them */
	ck_assert_str_eq(g.template_id, "tpl");
	mc_store_credential_clear(&g);
	DO(mc_store_credential_set_state(s, "urn:uuid:1", MC_CRED_REVOKED, "erased on request", &e));
	DO(mc_store_credential_get(s, "urn:uuid:3", &g, &e));
	ck_assert_str_eq(g.learner, "{\"name\":\"Grace H\"}"); /* others untouched */
	mc_store_credential_clear(&g);
	DO(mc_store_learner_export(s, "L1", &out, &e));
	DO(mc_json_check(out, strlen(out), &e));
	ck_assert_ptr_null(strstr(out, "ada@example.org"));
	ck_assert_ptr_nonnull(strstr(out, "erasedAt"));
	mc_free(out);
	DO(mc_store_learner_export(s, "nobody", &out, &e)); /* nothing held: empty lists */
	ck_assert_ptr_nonnull(strstr(out, "\"credentials\":\t[]"));
	mc_free(out);
	mc_store_audit *log;
	DO(mc_store_audit_list(s, 0, 10, &log, &n, &e));
	ck_assert_uint_eq(n, 3);
	mc_store_audit_list_free(log, n);
	FAILS(MC_ERR_ARG, mc_store_learner_export(s, "L1", NULL, &e));
	FAILS(MC_ERR_ARG, mc_store_learner_erase(s, "", NULL, &e));
	mc_store_close(s);
}
END_TEST

/* ---- Fault injection ------------------------------------------------- */

/* Step i of the fault-injection scenario: compound operations whose
 * failure must leave nothing behind. */
static mc_status fault_step(mc_store *s, int i, const struct rows *r, mc_err *e)
{
	mc_store_key k1 = {.key_id = "did:web:u#k1", .issuer_id = "did:web:u", .public_key_multibase = "z6Mk"};
	mc_store_key k2 = {.key_id = "did:web:u#k2", .issuer_id = "did:web:u", .public_key_multibase = "z6Mk"};
	int64_t idx[2];
	mc_status st;
	switch (i) {
	case 0: return mc_store_key_add(s, &k1, e);
	case 1: return mc_store_key_add(s, &k2, e); /* rotation: two writes */
	case 2: return mc_store_credential_add_batch(s, r->c, r->n, 0, NULL, e);
	case 3: return mc_store_status_alloc(s, "sl", 2, idx, e);
	default:
		if ((st = mc_store_begin(s, e)) != MC_OK)
			return st;
		if ((st = mc_store_template_save(s, "tpl", "{\"v\":2}", NULL, e)) != MC_OK) {
			ck_assert(mc_store_rollback(s, NULL) == MC_OK);
			return st;
		}
		return mc_store_commit(s, e); /* a failed commit rolls back */
	}
}

/* Exactly steps [0, made) are visible. */
static void fault_state(mc_store *s, int made)
{
	mc_store_key *keys;
	size_t nk, active = 0;
	DO(mc_store_key_list(s, "did:web:u", &keys, &nk, &e));
	ck_assert_uint_eq(nk, made < 1 ? 0 : made < 2 ? 1 : 2);
	for (size_t i = 0; i < nk; i++)
		active += keys[i].retired_at == 0;
	ck_assert_uint_eq(active, nk ? 1 : 0);
	mc_store_key_list_free(keys, nk);
	ck_assert(cred_exists(s, "urn:uuid:f0") == (made >= 3));
	ck_assert(cred_exists(s, "urn:uuid:f599") == (made >= 3));
	mc_store_status_list l;
	DO(mc_store_status_list_get(s, "sl", &l, &e));
	ck_assert_int_eq(l.allocated, made >= 4 ? 2 : 0);
	mc_store_status_list_clear(&l);
	mc_store_template t;
	DO(mc_store_template_get(s, "tpl", 0, &t, &e));
	ck_assert_int_eq(t.version, made >= 5 ? 2 : 1);
	mc_store_template_clear(&t);
}

/* For each step, fail back-end call N for N = 1, 2, ... until the step
 * succeeds: every failure must be a clean MC_ERR_IO that leaves nothing
 * behind, and the store must stay usable (SQLite os.c, curl torture). */
START_TEST(fault_injection)
{
	mc_store *s = open_store();
	mk_issuer(s, "did:web:u");
	mk_template(s, "tpl");
	DO(mc_store_status_list_create(s, "sl", MC_PURPOSE_REVOCATION, 131072, &e));
	struct rows r = mk_rows(600, "f");
	unsigned long injected = 0;
	for (int step = 0; step < 5; step++) {
		for (unsigned long n = 1;; n++) {
			ck_assert_uint_lt(n, 100);
			mc_err fe = {0};
			mc_store_test_fail_at(s, n, NULL);
			mc_status st = fault_step(s, step, &r, &fe);
			mc_store_test_fail_at(s, 0, NULL);
			fault_state(s, st == MC_OK ? step + 1 : step);
			if (st == MC_OK)
				break;
			ck_assert_msg(st == MC_ERR_IO && strstr(fe.msg, "injected"), "step %d call %lu: %s", step, n,
			              fe.msg);
			injected++;
		}
	}
	printf("store[%s]: %lu injected back-end faults, all clean\n", mc_store_backend(s), injected);
	ck_assert_uint_ge(injected, 18); /* 4 + 4 + 4 + 4 + 6 calls, less the failures cleanup absorbs */
	free_rows(&r);
	mc_store_close(s);
}
END_TEST

/* ---- SQLite file settings -------------------------------------------- */

START_TEST(sqlite_file_settings)
{
	mc_store *s = open_store();
	mk_issuer(s, "did:web:u");
	unsigned char h[100];
	FILE *f = fopen(g_path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(h, 1, sizeof h, f), sizeof h);
	fclose(f);
	ck_assert_int_eq((h[16] << 8) | h[17], 8192); /* page size */
	ck_assert_int_eq(h[18], 2);                    /* write version 2: WAL */
	/* foreign keys are enforced (checked through the API elsewhere); a
	 * raw insert of an orphan key is refused too */
	FAILS(MC_ERR_MISSING, mc_store_test_exec(s,
	                                         "INSERT INTO signing_keys (key_id, issuer_id, public_key_multibase, "
	                                         "created) VALUES ('k', 'nobody', 'z', 0)",
	                                         &e));
	mc_store_close(s);
}
END_TEST

START_TEST(credential_exists_batch)
{
	mc_store *s = open_store();
	mk_template(s, "tpl");
	mc_store_credential a = cred("urn:uuid:e1", "tpl", "L1", "row-1"), b = cred("urn:uuid:e2", "tpl", "L2", "");
	DO(mc_store_credential_add(s, &a, &e));
	DO(mc_store_credential_add(s, &b, &e));
	/* quotes and non-ASCII travel through the JSON parameter intact */
	mc_store_credential c = cred("urn:uuid:e3", "tpl", "L\"3 \xc3\xa9", "x'1");
	DO(mc_store_credential_add(s, &c, &e));
	mc_store_cred_key k[5] = {{"tpl", "L1", "row-1"}, {"tpl", "L1", "row-2"}, {"tpl", "L2", ""},
	                          {"other", "L2", ""}, {"tpl", "L\"3 \xc3\xa9", "x'1"}};
	uint8_t ex[5];
	memset(ex, 7, sizeof ex);
	DO(mc_store_credential_exists(s, k, 5, ex, &e));
	ck_assert_int_eq(ex[0], 1);
	ck_assert_int_eq(ex[1], 0);
	ck_assert_int_eq(ex[2], 1);
	ck_assert_int_eq(ex[3], 0);
	ck_assert_int_eq(ex[4], 1);
	/* failing twins: no keys, a bad key, too many */
	FAILS(MC_ERR_ARG, mc_store_credential_exists(s, k, 0, ex, &e));
	FAILS(MC_ERR_ARG, mc_store_credential_exists(s, NULL, 1, ex, &e));
	mc_store_cred_key bad[1] = {{"", "L1", "x"}};
	FAILS(MC_ERR_ARG, mc_store_credential_exists(s, bad, 1, ex, &e));
	FAILS(MC_ERR_ARG, mc_store_credential_exists(s, k, MC_STORE_BATCH_MAX + 1, ex, &e));
	mc_store_close(s);
}
END_TEST

START_TEST(published_list)
{
	mc_store *s = open_store();
	char *j = NULL, *etag = NULL;
	DO(mc_store_status_list_create(s, "https://x.example/status/1", MC_PURPOSE_REVOCATION, 131072, &e));
	FAILS(MC_ERR_MISSING, mc_store_status_list_published(s, "https://x.example/status/1", &j, &etag, &e));
	DO(mc_store_status_list_publish(s, "https://x.example/status/1", "{\"id\":\"l\"}", "\"e1\"", &e));
	DO(mc_store_status_list_published(s, "https://x.example/status/1", &j, &etag, &e));
	ck_assert_str_eq(j, "{\"id\":\"l\"}");
	ck_assert_str_eq(etag, "\"e1\"");
	mc_free(j);
	mc_free(etag);
	FAILS(MC_ERR_MISSING, mc_store_status_list_publish(s, "https://x.example/status/2", "{}", "\"e\"", &e));
	FAILS(MC_ERR_JSON_SYNTAX, mc_store_status_list_publish(s, "https://x.example/status/1", "{", "\"e\"", &e));
	mc_store_close(s);
}
END_TEST

static void add_conformance(TCase *tc)
{
	tcase_add_checked_fixture(tc, fresh, cleanup);
	tcase_add_test(tc, migrations_run_once);
	tcase_add_test(tc, reopen_persists);
	tcase_add_test(tc, open_bad_input);
	tcase_add_test(tc, issuer_crud);
	tcase_add_test(tc, issuer_bad_input);
	tcase_add_test(tc, key_rotation);
	tcase_add_test(tc, template_versioning);
	tcase_add_test(tc, credential_crud);
	tcase_add_test(tc, batch_insert);
	tcase_add_test(tc, batch_atomic);
	tcase_add_test(tc, transactions);
	tcase_add_test(tc, status_lists);
	tcase_add_test(tc, status_reserve);
	tcase_add_test(tc, audit_append_only);
	tcase_add_test(tc, learner_export_erase);
	tcase_add_test(tc, fault_injection);
	tcase_add_test(tc, credential_exists_batch);
	tcase_add_test(tc, published_list);
}

static void add_sqlite_only(TCase *tc)
{
	tcase_add_test(tc, sqlite_file_settings);
}

static Suite *store_suite(void)
{
	return two_backends("store", add_conformance, add_sqlite_only);
}

int main(void)
{
	if (mc_init() != MC_OK)
		return EXIT_FAILURE;
	SRunner *sr = srunner_create(store_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
