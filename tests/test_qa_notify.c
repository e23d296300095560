/*
 * test_qa_notify.c - delivery of retirement notifications through the
 * outbox (qa.h mc_qa_outbox_send) with a test transport, feedback
 * invitations, and the QA roles of API tokens, on SQLite and PostgreSQL.
 * Every passing case has its failing twin: a refused delivery is retried
 * and then given up, a spent invitation answers no more, a bad role name
 * is refused.
 */
#include <time.h>

#include <jansson.h>

#include "testutil.h"
#include "store_fixture.h"
#include "mcred/auth.h"

/* the first back-off step of notify.c: a retry is due this long after a refusal */
#define BACKOFF_PROBE 30

static const mc_qa_actor QAO = {"carol", MC_QA_ROLE_OFFICER};
static const mc_qa_actor REV = {"bob", MC_QA_ROLE_REVIEWER};
static const char SECRET[] = "a test secret of enough length";

/* A call whose error is checked: err is reset first, because mc_err keeps
 * the first failure (calls chain). */
#define CALL(x) (memset(&err, 0, sizeof err), (x))

/* A transport that records what it was given and refuses the first
 * `refuse` deliveries (a receiver that is down). */
typedef struct sink {
	int calls, refuse;
	char keys[16][65];
	char last_sig[96];
	char last_body[2048];
	char targets[16][128];
	char last_text[2048];
} sink;

static mc_status sink_send(void *ctx, const mc_qa_delivery *d, char *why, size_t cap)
{
	sink *k = ctx;
	int n = k->calls++;
	if (n < 16)
		snprintf(k->keys[n], sizeof k->keys[n], "%s", d->key);
	snprintf(k->last_sig, sizeof k->last_sig, "%s", d->signature);
	snprintf(k->last_body, sizeof k->last_body, "%.*s", (int)d->len, d->body);
	if (n < 16)
		snprintf(k->targets[n], sizeof k->targets[n], "%s", d->target);
	snprintf(k->last_text, sizeof k->last_text, "%s", d->text ? d->text : "");
	if (k->refuse > 0) {
		k->refuse--;
		snprintf(why, cap, "receiver answered HTTP 503");
		return MC_ERR_IO;
	}
	return MC_OK;
}

static void add_cred(mc_store *s, const char *id, const char *tpl, const char *learner)
{
	mc_store_credential c = {.id = (char *)id, .template_id = (char *)tpl, .template_version = 1,
	                         .learner_id = (char *)learner, .external_id = (char *)id, .status_index = -1,
	                         .json = "{\"type\":\"VerifiableCredential\"}"};
	DO(mc_store_credential_add(s, &c, &e));
}

/* A published template "r" with two credentials. */
static mc_store *setup(void)
{
	mc_store *s = open_store();
	size_t len = 0;
	char *ach = tu_read("examples/achievement.json", &len);
	int64_t v = 0;
	DO(mc_store_template_save(s, "r", ach, &v, &e));
	DO(mc_store_template_set_state(s, "r", 1, MC_TEMPLATE_PUBLISHED, &e));
	free(ach);
	add_cred(s, "urn:uuid:c1", "r", "did:example:ada");
	add_cred(s, "urn:uuid:c2", "r", "did:example:bea");
	return s;
}

/* setup(), a webhook subscriber "lms", then "r" retired: two notifications due */
static mc_store *retired_for_lms(void)
{
	mc_store *s = setup();
	DO(mc_qa_subscriber_add(s, "lms", "webhook", "https://lms.example/hook", SECRET, &QAO, &e));
	DO(mc_qa_retire(s, "r", 1, NULL, &QAO, NULL, &e));
	return s;
}

static json_t *outbox(mc_store *s)
{
	char *j = NULL;
	DO(mc_qa_outbox_list(s, "r", &j, &e));
	json_t *o = json_loads(j, 0, NULL);
	mc_free(j);
	ck_assert_ptr_nonnull(o);
	return o;
}

START_TEST(delivered_once_and_signed)
{
	mc_store *s = setup();
	DO(mc_qa_subscriber_add(s, "lms", "webhook", "https://lms.example/hook", SECRET, &QAO, &e));
	size_t n = 0;
	DO(mc_qa_retire(s, "r", 1, "replaced", &QAO, &n, &e));
	ck_assert_uint_eq(n, 2);
	sink k = {0};
	mc_qa_send_opts o = {.send = sink_send, .ctx = &k};
	mc_qa_send_stats st = {0};
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.queued, 2);
	ck_assert_uint_eq(st.delivered, 2);
	ck_assert_int_eq(k.calls, 2);
	ck_assert_str_ne(k.keys[0], k.keys[1]);
	/* the receiver can check the signature: recompute it */
	long long t = 0;
	ck_assert_int_eq(sscanf(k.last_sig, "t=%lld,", &t), 1);
	char want[96];
	DO(mc_qa_sign(SECRET, t, k.last_body, strlen(k.last_body), want, &e));
	ck_assert_str_eq(want, k.last_sig);
	ck_assert_ptr_nonnull(strstr(k.last_body, "\"type\":\"mcred.specification.retired\""));
	/* twin: a wrong secret gives another signature */
	DO(mc_qa_sign("another secret entirely", t, k.last_body, strlen(k.last_body), want, &e));
	ck_assert_str_ne(want, k.last_sig);
	/* a second pass sends nothing: delivered entries are never sent again */
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.queued + st.delivered + st.retry, 0);
	ck_assert_int_eq(k.calls, 2);
	json_t *ob = outbox(s);
	ck_assert_uint_eq(json_array_size(ob), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ob, 0), "state")), "delivered");
	json_decref(ob);
	/* a subscriber added after the retirement gets no backlog (notifications
	 * of the second it was added in still count: one second later) */
	sleep(1);
	DO(mc_qa_subscriber_add(s, "late", "webhook", "https://late.example/hook", SECRET, &QAO, &e));
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.queued, 0);
	mc_store_close(s);
}
END_TEST

START_TEST(refused_is_retried_then_given_up)
{
	mc_store *s = retired_for_lms();
	sink k = {.refuse = 100};
	int64_t t0 = 2000000000;
	mc_qa_send_opts o = {.send = sink_send, .ctx = &k, .now = t0, .max_attempts = 3};
	mc_qa_send_stats st = {0};
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.retry, 2);
	/* not due again before the back-off (30 s) */
	o.now = t0 + 29;
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.retry + st.delivered, 0);
	o.now = t0 + 30;
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.retry, 2);
	json_t *ob = outbox(s);
	json_t *x = json_array_get(ob, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(x, "attempts")), 2);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(x, "lastError")), "503"));
	json_decref(ob);
	/* the third refusal is the last (back-off doubled to 60 s) */
	o.now = t0 + 30 + 60;
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.failed, 2);
	/* twin: a receiver that is back gets nothing given up */
	k.refuse = 0;
	o.now = t0 + 100000;
	int calls = k.calls;
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_int_eq(k.calls, calls);
	mc_store_close(s);
}
END_TEST

START_TEST(one_refusal_then_accepted)
{
	mc_store *s = retired_for_lms();
	sink k = {.refuse = 1};
	mc_qa_send_opts o = {.send = sink_send, .ctx = &k, .now = 2000000000};
	mc_qa_send_stats st = {0};
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.retry, 1);
	ck_assert_uint_eq(st.delivered, 1);
	o.now += BACKOFF_PROBE;
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_uint_eq(st.delivered, 1);
	/* the repeat carries the same delivery id: receivers drop duplicates */
	ck_assert_str_eq(k.keys[0], k.keys[2]);
	mc_store_close(s);
}
END_TEST

/* The "holders" email subscriber writes to each holder's own address from
 * the learner record, in words; holders without an address (none given,
 * erased, or one that would inject headers) fail at once, never retried. */
START_TEST(holders_get_a_letter)
{
	mc_store *s = setup(); /* c1, c2: no learner record */
	static const char *const learners[][3] = {
		{"urn:uuid:h1", "did:example:cy", "{\"id\":\"did:example:cy\",\"email\":\"cy@uni.example\"}"},
		{"urn:uuid:h2", "did:example:di", "{\"id\":\"did:example:di\",\"email\":\"di@uni.example\\r\\nBcc: x@evil.example\"}"},
		{"urn:uuid:h3", "did:example:ed", "{\"id\":\"did:example:ed\",\"email\":\"ed@uni.example\"}"}};
	for (int i = 0; i < 3; i++) {
		mc_store_credential c = {.id = (char *)learners[i][0], .template_id = "r", .template_version = 1,
		                         .learner_id = (char *)learners[i][1], .external_id = (char *)learners[i][0],
		                         .status_index = -1, .learner = (char *)learners[i][2],
		                         .json = "{\"type\":\"VerifiableCredential\"}"};
		DO(mc_store_credential_add(s, &c, &e));
	}
	size_t erased = 0;
	DO(mc_store_learner_erase(s, "did:example:ed", &erased, &e));
	DO(mc_qa_subscriber_add(s, "people", "email", MC_QA_TARGET_HOLDERS, SECRET, &QAO, &e));
	DO(mc_qa_retire(s, "r", 1, NULL, &QAO, NULL, &e));
	sink k = {0};
	mc_qa_send_opts o = {.send = sink_send, .ctx = &k};
	mc_qa_send_stats st = {0};
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	/* five holders: one letter, four without a usable address */
	ck_assert_uint_eq(st.queued, 5);
	ck_assert_uint_eq(st.delivered, 1);
	ck_assert_uint_eq(st.failed, 4);
	ck_assert_int_eq(k.calls, 1);
	ck_assert_str_eq(k.targets[0], "mailto:cy@uni.example");
	ck_assert_ptr_nonnull(strstr(k.last_text, "urn:uuid:h1 stays valid"));
	ck_assert_ptr_null(strstr(k.last_text, "{")); /* words, not the JSON */
	json_t *ob = outbox(s);
	size_t i;
	json_t *v;
	int no_address = 0;
	json_array_foreach(ob, i, v)
	{
		const char *why = json_string_value(json_object_get(v, "lastError"));
		no_address += why && strstr(why, "no email address") != NULL;
	}
	ck_assert_int_eq(no_address, 4);
	json_decref(ob);
	/* given up, not retried: a later pass sends nothing */
	o.now = (int64_t)time(NULL) + 86400;
	DO(mc_qa_outbox_send(s, &o, &st, &e));
	ck_assert_int_eq(k.calls, 1);
	mc_store_close(s);
}
END_TEST

START_TEST(subscriber_bad_input)
{
	mc_err err = {0};
	mc_store *s = setup();
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "webhook", "ftp://x", SECRET, &QAO, &err)), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "target");
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "email", "mailto:nobody", SECRET, &QAO, &err)), MC_ERR_VALUE);
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "email", "mailto:a@b.example\r\nBcc: c@d.example", SECRET, &QAO, &err)),
	                 MC_ERR_VALUE);
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "webhook", MC_QA_TARGET_HOLDERS, SECRET, &QAO, &err)),
	                 MC_ERR_VALUE); /* holders is an email target only */
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "pigeon", "https://x", SECRET, &QAO, &err)), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "kind");
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "webhook", "https://x", "short", &QAO, &err)), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "secret");
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "x", "webhook", "https://x", SECRET, &REV, &err)), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "actor.role");
	ck_assert_int_eq(CALL(mc_qa_subscriber_add(s, "Bad Id", "webhook", "https://x", SECRET, &QAO, &err)), MC_ERR_VALUE);
	/* twin: the good one, and no secret in the list */
	DO(mc_qa_subscriber_add(s, "x", "email", "mailto:registrar@uni.example", SECRET, &QAO, &e));
	char *j = NULL;
	DO(mc_qa_subscriber_list(s, &j, &e));
	ck_assert_ptr_null(strstr(j, SECRET));
	ck_assert_ptr_nonnull(strstr(j, "registrar@uni.example"));
	mc_free(j);
	ck_assert_int_eq(CALL(mc_qa_subscriber_remove(s, "nope", &QAO, &err)), MC_ERR_MISSING);
	DO(mc_qa_subscriber_remove(s, "x", &QAO, &e));
	ck_assert_int_eq(CALL(mc_qa_subscriber_remove(s, "x", &QAO, &err)), MC_ERR_MISSING);
	mc_store_close(s);
}
END_TEST

START_TEST(invitation_answers_once)
{
	mc_err err = {0};
	mc_store *s = setup();
	char tok[MC_QA_INVITE_CHARS + 1];
	mc_qa_invite_in in = {.audience = "learner", .credential_id = "urn:uuid:c1"};
	ck_assert_int_eq(CALL(mc_qa_invite(s, &in, &REV, tok, &err)), MC_ERR_VALUE); /* a reviewer does not invite */
	DO(mc_qa_invite(s, &in, &QAO, tok, &e));
	ck_assert_uint_eq(strlen(tok), MC_QA_INVITE_CHARS);
	char *j = NULL;
	DO(mc_qa_invite_get(s, tok, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"audience\":\"learner\""));
	mc_free(j);
	static const char ans[] = "{\"answers\":{\"outcomes-clear\":4,\"outcomes-achieved\":4,\"workload-accurate\":3,"
	                          "\"assessment-fair\":5,\"useful-for-work\":4,\"recommend\":true}}";
	char *id = NULL;
	ck_assert_int_eq(CALL(mc_qa_invite_answer(s, tok, "{\"answers\":{\"outcomes-clear\":9}}", &id, &err)), MC_ERR_VALUE);
	ck_assert_ptr_null(id);
	DO(mc_qa_invite_answer(s, tok, ans, &id, &e));
	ck_assert_ptr_nonnull(id);
	mc_free(id);
	/* twins: spent, unknown, mangled */
	ck_assert_int_eq(CALL(mc_qa_invite_answer(s, tok, ans, NULL, &err)), MC_ERR_VALUE);
	ck_assert_ptr_nonnull(strstr(err.msg, "conflict"));
	ck_assert_int_eq(CALL(mc_qa_invite_get(s, tok, &j, &err)), MC_ERR_VALUE);
	tok[10] = tok[10] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(CALL(mc_qa_invite_get(s, tok, &j, &err)), MC_ERR_MISSING);
	ck_assert_int_eq(CALL(mc_qa_invite_get(s, "mqi_short", &j, &err)), MC_ERR_MISSING);
	/* employers need no credential; learners do */
	mc_qa_invite_in bad = {.audience = "learner", .template_id = "r"};
	ck_assert_int_eq(CALL(mc_qa_invite(s, &bad, &QAO, tok, &err)), MC_ERR_MISSING);
	mc_qa_invite_in emp = {.audience = "employer", .template_id = "r", .respondent = "ACME"};
	DO(mc_qa_invite(s, &emp, &QAO, tok, &e));
	DO(mc_qa_invite_list(s, "r", &j, &e));
	ck_assert_ptr_null(strstr(j, "mqi_"));
	mc_free(j);
	mc_store_close(s);
}
END_TEST

START_TEST(token_qa_roles)
{
	mc_err err = {0};
	unsigned bits = 0;
	DO(mc_token_qa_roles_parse("proposer,qa-officer", &bits, &e));
	char out[96];
	mc_token_qa_roles_format(bits, out, sizeof out);
	ck_assert_str_eq(out, "proposer,qa-officer");
	ck_assert_int_eq(CALL(mc_token_qa_roles_parse("learner", &bits, &err)), MC_ERR_VALUE);
	ck_assert_int_eq(CALL(mc_token_qa_roles_parse("proposer,,x", &bits, &err)), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "qa_roles");
	mc_tokens *t = NULL;
	char tok[MC_TOKEN_CHARS + 1];
	DO(mc_tokens_new(&t, &e));
	DO(mc_tokens_add_qa(t, "olga", MC_ROLE_READER, 1u << MC_QA_ROLE_OFFICER, 1, tok, &e));
	ck_assert_int_eq(CALL(mc_tokens_add_qa(t, "lars", MC_ROLE_READER, 1u << MC_QA_ROLE_LEARNER, 1, tok, &err)), MC_ERR_VALUE);
	mc_token_info info;
	DO(mc_tokens_get(t, 0, &info));
	ck_assert_uint_eq(info.qa_roles, 1u << MC_QA_ROLE_OFFICER);
	mc_tokens_free(t);
	/* the file form: a fifth field, and a bad one names its line */
	static const char good[] = "mcred-tokens 1\nolga reader 0000000000000000000000000000000000000000000000000000000000000000 1 qa=qa-officer\n";
	static const char badf[] = "mcred-tokens 1\nolga reader 0000000000000000000000000000000000000000000000000000000000000000 1 qa=boss\n";
	DO(mc_tokens_parse(good, strlen(good), &t, &e));
	DO(mc_tokens_get(t, 0, &info));
	ck_assert_uint_eq(info.qa_roles, 1u << MC_QA_ROLE_OFFICER);
	mc_tokens_free(t);
	ck_assert_int_eq(CALL(mc_tokens_parse(badf, strlen(badf), &t, &err)), MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "line 2");
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_checked_fixture(tc, fresh, cleanup);
	tcase_add_test(tc, delivered_once_and_signed);
	tcase_add_test(tc, holders_get_a_letter);
	tcase_add_test(tc, refused_is_retried_then_given_up);
	tcase_add_test(tc, one_refusal_then_accepted);
	tcase_add_test(tc, subscriber_bad_input);
	tcase_add_test(tc, invitation_answers_once);
	tcase_add_test(tc, token_qa_roles);
}

static Suite *qa_notify_suite(void)
{
	return two_backends("qa_notify", add_tests, NULL);
}

TU_MAIN(qa_notify_suite)
