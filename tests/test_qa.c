/*
 * test_qa.c - quality assurance (include/mcred/qa.h) on SQLite and
 * PostgreSQL: the lifecycle through the IMINQA and BCIT approval chains,
 * formal checks, modification, retirement; feedback and its anonymity
 * threshold; outcome signals; the public page; maturity sessions and the
 * canvas. Every passing case has a failing twin beside it.
 */
#include <jansson.h>

#include "testutil.h"
#include "store_fixture.h"

static const mc_qa_actor PROP = {"alice", MC_QA_ROLE_PROPOSER};
static const mc_qa_actor REV = {"bob", MC_QA_ROLE_REVIEWER};
static const mc_qa_actor QAO = {"carol", MC_QA_ROLE_OFFICER};

static char *g_ach; /* examples/achievement.json */

static const char BCIT[] =
	"{\"policy\":\"Micro-credentials follow an accelerated approval.\","
	"\"approvalChain\":[{\"id\":\"dean\",\"name\":\"Dean\",\"role\":\"reviewer\"},"
	"{\"id\":\"agile-quality-committee\",\"name\":\"Agile quality committee\",\"role\":\"qa-officer\"}],"
	"\"substantialChanges\":[\"learningOutcomes\",\"ects\"],\"reviewIntervalDays\":1,\"minGroupSize\":3,"
	"\"publishFeedback\":true}";

/* The example achievement with one member replaced (jansson path-free). */
static char *ach_with(const char *key, json_t *value)
{
	json_error_t je;
	json_t *a = json_loads(g_ach, 0, &je);
	ck_assert_ptr_nonnull(a);
	if (value)
		json_object_set_new(a, key, value);
	else
		json_object_del(a, key);
	char *out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return out;
}

static mc_store *setup(void)
{
	if (!g_ach)
		g_ach = tu_read("examples/achievement.json", NULL);
	return open_store();
}

static void save_tpl(mc_store *s, const char *id, const char *json, int64_t want_version)
{
	int64_t v = 0;
	DO(mc_store_template_save(s, id, json, &v, &e));
	ck_assert_int_eq(v, want_version);
}

static mc_qa_state state_of(mc_store *s, const char *id, int64_t v)
{
	mc_qa_state st = MC_QA_DRAFT;
	DO(mc_qa_state_get(s, id, v, &st, &e));
	return st;
}

static mc_template_state tpl_state(mc_store *s, const char *id, int64_t v)
{
	mc_store_template t;
	DO(mc_store_template_get(s, id, v, &t, &e));
	mc_template_state st = t.state;
	mc_store_template_clear(&t);
	return st;
}

/* Expect status want from expr and a message containing needle. */
#define FAILS_WITH(want, needle, expr)                                                               \
	do {                                                                                         \
		mc_err e = {0};                                                                      \
		mc_status st_ = (expr);                                                              \
		ck_assert_msg(st_ == (want), "%s: got %s (%s), want %s", #expr, mc_strerror(st_), e.msg,   \
		              mc_strerror(want));                                                    \
		ck_assert_msg(strstr(e.msg, needle) != NULL, "%s: message '%s' lacks '%s'", #expr, e.msg, \
		              needle);                                                               \
	} while (0)

static json_t *spec_json(mc_store *s, const char *id, int64_t v)
{
	char *j = NULL;
	DO(mc_qa_spec_json(s, id, v, &j, &e));
	json_error_t je;
	json_t *o = json_loads(j, JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(o != NULL, "spec json: %s", je.text);
	mc_free(j);
	return o;
}

static void approve_all_iminqa(mc_store *s, const char *id, int64_t v)
{
	DO(mc_qa_decide(s, id, v, "faculty-board", MC_QA_APPROVE, "fits the faculty profile", &REV, &e));
	ck_assert_int_eq(state_of(s, id, v), MC_QA_SUBMITTED);
	DO(mc_qa_decide(s, id, v, "lll-committee", MC_QA_APPROVE, NULL, &REV, &e));
	ck_assert_int_eq(state_of(s, id, v), MC_QA_SUBMITTED);
	DO(mc_qa_decide(s, id, v, "qa-office", MC_QA_APPROVE, "formal criteria met", &QAO, &e));
}

static void add_cred(mc_store *s, const char *id, const char *tpl, int64_t v, const char *learner)
{
	mc_store_credential c = {.id = (char *)id, .template_id = (char *)tpl, .template_version = v,
	                         .learner_id = (char *)learner, .external_id = (char *)id, .status_index = -1,
	                         .json = "{\"type\":\"VerifiableCredential\"}"};
	DO(mc_store_credential_add(s, &c, &e));
}

/* ---- lifecycle ------------------------------------------------------- */

START_TEST(lifecycle_iminqa)
{
	mc_store *s = setup();
	save_tpl(s, "ds101", g_ach, 1);
	ck_assert_int_eq(state_of(s, "ds101", 1), MC_QA_DRAFT);
	mc_report *rep = NULL;
	DO(mc_qa_submit(s, NULL, "ds101", 1, &PROP, &rep, &e));
	ck_assert(mc_report_ok(rep));
	/* the four formal checks ran and passed */
	const char *want[] = {"eu-elements", "workload", "learning-outcomes", "assessment"};
	for (size_t w = 0; w < 4; w++) {
		bool seen = false;
		for (size_t i = 0; i < mc_report_count(rep); i++) {
			const mc_finding *f = mc_report_get(rep, i);
			if (strcmp(f->check, want[w]) == 0) {
				seen = true;
				ck_assert_msg(f->result == MC_PASS, "%s: %s", f->check, f->message);
			}
		}
		ck_assert_msg(seen, "check %s did not run", want[w]);
	}
	mc_report_free(rep);
	ck_assert_int_eq(state_of(s, "ds101", 1), MC_QA_SUBMITTED);
	approve_all_iminqa(s, "ds101", 1);
	ck_assert_int_eq(state_of(s, "ds101", 1), MC_QA_APPROVED);
	ck_assert_int_eq(tpl_state(s, "ds101", 1), MC_TEMPLATE_DRAFT); /* not issuable before publication */
	DO(mc_qa_publish(s, "ds101", 1, &QAO, &e));
	ck_assert_int_eq(state_of(s, "ds101", 1), MC_QA_PUBLISHED);
	ck_assert_int_eq(tpl_state(s, "ds101", 1), MC_TEMPLATE_PUBLISHED);
	/* a periodic review without changes */
	DO(mc_qa_review_start(s, "ds101", 1, "yearly review", &QAO, &e));
	ck_assert_int_eq(state_of(s, "ds101", 1), MC_QA_UNDER_REVIEW);
	DO(mc_qa_review_close(s, "ds101", 1, "no changes needed", &QAO, &e));
	ck_assert_int_eq(state_of(s, "ds101", 1), MC_QA_PUBLISHED);
	/* history and checks are part of the record */
	json_t *o = spec_json(s, "ds101", 1);
	ck_assert_str_eq(json_string_value(json_object_get(o, "state")), "published");
	ck_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "ok")));
	json_t *h = json_object_get(o, "history");
	ck_assert_int_eq(json_array_size(h), 7); /* submit, 3 decisions, publish, review start/close */
	json_t *d0 = json_array_get(h, 1);
	ck_assert_str_eq(json_string_value(json_object_get(d0, "step")), "faculty-board");
	ck_assert_str_eq(json_string_value(json_object_get(d0, "decision")), "approve");
	ck_assert_str_eq(json_string_value(json_object_get(d0, "actor")), "bob");
	ck_assert_str_eq(json_string_value(json_object_get(d0, "role")), "reviewer");
	ck_assert_str_eq(json_string_value(json_object_get(d0, "comment")), "fits the faculty profile");
	ck_assert(json_is_string(json_object_get(d0, "at")));
	ck_assert(json_is_string(json_object_get(o, "reviewDue")));
	json_decref(o);
	/* every decision is in the audit log with its role */
	mc_store_audit *a = NULL;
	size_t n = 0;
	DO(mc_store_audit_list(s, 0, 100, &a, &n, &e));
	ck_assert_int_eq(n, 7);
	ck_assert_str_eq(a[0].action, "qa.submit");
	ck_assert_ptr_nonnull(strstr(a[0].details, "\"role\":\"proposer\""));
	ck_assert_str_eq(a[3].action, "qa.decide");
	ck_assert_ptr_nonnull(strstr(a[3].details, "\"role\":\"qa-officer\""));
	ck_assert_str_eq(a[3].actor, "carol");
	mc_store_audit_list_free(a, n);
	mc_store_close(s);
}
END_TEST

START_TEST(lifecycle_bcit_single_committee)
{
	mc_store *s = setup();
	DO(mc_qa_config_set(s, "did:web:bcit.example", BCIT, &QAO, &e));
	save_tpl(s, "badge", g_ach, 1);
	DO(mc_qa_submit(s, "did:web:bcit.example", "badge", 1, &PROP, NULL, &e));
	DO(mc_qa_decide(s, "badge", 1, "dean", MC_QA_APPROVE, "signed off", &REV, &e));
	DO(mc_qa_decide(s, "badge", 1, "agile-quality-committee", MC_QA_APPROVE, NULL, &QAO, &e));
	ck_assert_int_eq(state_of(s, "badge", 1), MC_QA_APPROVED);
	DO(mc_qa_publish(s, "badge", 1, &QAO, &e));
	/* the chain of the default provider is not used for this one */
	json_t *o = spec_json(s, "badge", 1);
	ck_assert_int_eq(json_array_size(json_object_get(o, "chain")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(o, "provider")), "did:web:bcit.example");
	json_decref(o);
	/* a one-day review interval is overdue two days later, not now */
	char *j = NULL;
	DO(mc_qa_overdue(s, NULL, 0, &j, &e));
	ck_assert_str_eq(j, "[]");
	mc_free(j);
	DO(mc_qa_overdue(s, "did:web:bcit.example", 4102444800 /* 2100-01-01 */, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"template\":\"badge\""));
	mc_free(j);
	DO(mc_qa_overdue(s, "did:web:other.example", 4102444800, &j, &e));
	ck_assert_str_eq(j, "[]");
	mc_free(j);
	/* an earlier review scheduled by hand is overdue at once; a draft has none */
	DO(mc_qa_review_schedule(s, "badge", 1, 1000000000 /* 2001 */, &QAO, &e));
	DO(mc_qa_overdue(s, NULL, 0, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"reviewDue\":\"2001-09-09T01:46:40Z\""));
	mc_free(j);
	FAILS_WITH(MC_ERR_VALUE, "needs a qa-officer", mc_qa_review_schedule(s, "badge", 1, 1000000000, &REV, &e));
	FAILS(MC_ERR_ARG, mc_qa_review_schedule(s, "badge", 1, 0, &QAO, &e));
	save_tpl(s, "draft", g_ach, 1);
	FAILS_WITH(MC_ERR_VALUE, "is draft", mc_qa_review_schedule(s, "draft", 1, 1000000000, &QAO, &e));
	mc_store_close(s);
}
END_TEST

START_TEST(invalid_transitions)
{
	mc_store *s = setup();
	save_tpl(s, "t", g_ach, 1);
	/* publishing an unapproved version */
	FAILS_WITH(MC_ERR_VALUE, "is draft", mc_qa_publish(s, "t", 1, &QAO, &e));
	FAILS_WITH(MC_ERR_VALUE, "is draft", mc_qa_decide(s, "t", 1, "faculty-board", MC_QA_APPROVE, NULL, &REV, &e));
	FAILS_WITH(MC_ERR_VALUE, "is draft", mc_qa_retire(s, "t", 1, NULL, &QAO, NULL, &e));
	DO(mc_qa_submit(s, NULL, "t", 1, &PROP, NULL, &e));
	FAILS_WITH(MC_ERR_VALUE, "is submitted", mc_qa_submit(s, NULL, "t", 1, &PROP, NULL, &e));
	FAILS_WITH(MC_ERR_VALUE, "is submitted", mc_qa_publish(s, "t", 1, &QAO, &e));
	approve_all_iminqa(s, "t", 1);
	/* only a QA officer publishes */
	FAILS_WITH(MC_ERR_VALUE, "needs a qa-officer", mc_qa_publish(s, "t", 1, &PROP, &e));
	DO(mc_qa_publish(s, "t", 1, &QAO, &e));
	FAILS_WITH(MC_ERR_VALUE, "is published", mc_qa_review_close(s, "t", 1, NULL, &QAO, &e));
	size_t notified = 99;
	DO(mc_qa_retire(s, "t", 1, "replaced by a new programme", &QAO, &notified, &e));
	ck_assert_uint_eq(notified, 0);
	ck_assert_int_eq(tpl_state(s, "t", 1), MC_TEMPLATE_RETIRED);
	/* modifying a retired one */
	char *m = ach_with("description", json_string("A changed description of the course."));
	mc_qa_modify_result r;
	FAILS_WITH(MC_ERR_VALUE, "is retired", mc_qa_modify(s, "t", 1, m, &PROP, &r, &e));
	FAILS_WITH(MC_ERR_VALUE, "is retired", mc_qa_review_start(s, "t", 1, NULL, &QAO, &e));
	free(m);
	/* unknown versions and bad arguments */
	FAILS(MC_ERR_MISSING, mc_qa_submit(s, NULL, "t", 9, &PROP, NULL, &e));
	FAILS(MC_ERR_MISSING, mc_qa_submit(s, NULL, "nope", 1, &PROP, NULL, &e));
	FAILS(MC_ERR_ARG, mc_qa_submit(s, NULL, "t", 0, &PROP, NULL, &e));
	FAILS(MC_ERR_ARG, mc_qa_submit(s, NULL, "t", 1, NULL, NULL, &e));
	FAILS(MC_ERR_ARG, mc_qa_submit(NULL, NULL, "t", 1, &PROP, NULL, &e));
	mc_qa_actor bad = {"x\ny", MC_QA_ROLE_PROPOSER};
	FAILS(MC_ERR_VALUE, mc_qa_submit(s, NULL, "t", 1, &bad, NULL, &e));
	mc_store_close(s);
}
END_TEST

START_TEST(reviewer_order)
{
	mc_store *s = setup();
	save_tpl(s, "t", g_ach, 1);
	DO(mc_qa_submit(s, NULL, "t", 1, &PROP, NULL, &e));
	/* the QA office cannot decide before the faculty board */
	FAILS_WITH(MC_ERR_VALUE, "out of order", mc_qa_decide(s, "t", 1, "qa-office", MC_QA_APPROVE, NULL, &QAO, &e));
	FAILS_WITH(MC_ERR_VALUE, "no step 'senate'", mc_qa_decide(s, "t", 1, "senate", MC_QA_APPROVE, NULL, &REV, &e));
	/* a proposer cannot approve their own proposal */
	FAILS_WITH(MC_ERR_VALUE, "needs a reviewer",
	           mc_qa_decide(s, "t", 1, "faculty-board", MC_QA_APPROVE, NULL, &PROP, &e));
	FAILS(MC_ERR_ARG, mc_qa_decide(s, "t", 1, "faculty board", MC_QA_APPROVE, NULL, &REV, &e));
	/* in order it goes through (twin) */
	DO(mc_qa_decide(s, "t", 1, "faculty-board", MC_QA_APPROVE, NULL, &REV, &e));
	FAILS_WITH(MC_ERR_VALUE, "out of order",
	           mc_qa_decide(s, "t", 1, "faculty-board", MC_QA_APPROVE, NULL, &REV, &e));
	/* request changes: back to draft, the chain restarts on resubmission */
	DO(mc_qa_decide(s, "t", 1, "lll-committee", MC_QA_REQUEST_CHANGES, "add employer input", &REV, &e));
	ck_assert_int_eq(state_of(s, "t", 1), MC_QA_DRAFT);
	DO(mc_qa_submit(s, NULL, "t", 1, &PROP, NULL, &e));
	FAILS_WITH(MC_ERR_VALUE, "out of order",
	           mc_qa_decide(s, "t", 1, "lll-committee", MC_QA_APPROVE, NULL, &REV, &e));
	/* reject: final for this version, its template frozen */
	DO(mc_qa_decide(s, "t", 1, "faculty-board", MC_QA_REJECT, "outside our remit", &REV, &e));
	ck_assert_int_eq(state_of(s, "t", 1), MC_QA_REJECTED);
	ck_assert_int_eq(tpl_state(s, "t", 1), MC_TEMPLATE_RETIRED);
	FAILS_WITH(MC_ERR_VALUE, "is rejected", mc_qa_submit(s, NULL, "t", 1, &PROP, NULL, &e));
	json_t *o = spec_json(s, "t", 1);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "round")), 2);
	json_decref(o);
	mc_store_close(s);
}
END_TEST

START_TEST(formal_checks)
{
	mc_store *s = setup();
	/* 90 hours for 5 ECTS is outside 125-150: refused, stays a draft */
	char *bad = ach_with("workloadHours", json_integer(90));
	save_tpl(s, "w", bad, 1);
	mc_report *rep = NULL;
	FAILS_WITH(MC_ERR_INVALID, "125 to 150", mc_qa_submit(s, NULL, "w", 1, &PROP, &rep, &e));
	ck_assert_ptr_nonnull(rep);
	ck_assert(!mc_report_ok(rep));
	mc_report_free(rep);
	ck_assert_int_eq(state_of(s, "w", 1), MC_QA_DRAFT);
	free(bad);
	/* twin: without workloadHours it is only a warning */
	char *nohours = ach_with("workloadHours", NULL);
	DO(mc_store_template_save(s, "w", nohours, NULL, &e));
	DO(mc_qa_submit(s, NULL, "w", 1, &PROP, &rep, &e));
	bool warned = false;
	for (size_t i = 0; i < mc_report_count(rep); i++)
		warned |= strcmp(mc_report_get(rep, i)->check, "workload") == 0 && mc_report_get(rep, i)->result == MC_WARN;
	ck_assert(warned);
	mc_report_free(rep);
	free(nohours);
	/* outcomes that are not statements, a missing EU element, no assessment */
	char *two = ach_with("learningOutcomes", json_pack("[s]", "Data stuff"));
	save_tpl(s, "o", two, 1);
	FAILS_WITH(MC_ERR_INVALID, "at least 3 words", mc_qa_submit(s, NULL, "o", 1, &PROP, NULL, &e));
	free(two);
	char *noqa = ach_with("qualityAssurance", NULL);
	save_tpl(s, "q", noqa, 1);
	FAILS_WITH(MC_ERR_INVALID, "quality assurance", mc_qa_submit(s, NULL, "q", 1, &PROP, NULL, &e));
	free(noqa);
	char *noas = ach_with("assessment", NULL);
	save_tpl(s, "a", noas, 1);
	FAILS(MC_ERR_INVALID, mc_qa_submit(s, NULL, "a", 1, &PROP, &rep, &e));
	bool named = false;
	for (size_t i = 0; i < mc_report_count(rep); i++)
		named |= strcmp(mc_report_get(rep, i)->check, "assessment") == 0 && mc_report_get(rep, i)->result == MC_FAIL;
	ck_assert(named);
	mc_report_free(rep);
	free(noas);
	mc_store_close(s);
}
END_TEST

/* Published version 1 of id under the default chain. */
static void published(mc_store *s, const char *id)
{
	save_tpl(s, id, g_ach, 1);
	DO(mc_qa_submit(s, NULL, id, 1, &PROP, NULL, &e));
	approve_all_iminqa(s, id, 1);
	DO(mc_qa_publish(s, id, 1, &QAO, &e));
}

START_TEST(modify_substantial_vs_minor)
{
	mc_store *s = setup();
	published(s, "m");
	/* minor: the description is not in substantialChanges */
	char *minor = ach_with("description", json_string("A refreshed description of the same course."));
	mc_qa_modify_result r;
	DO(mc_qa_modify(s, "m", 1, minor, &PROP, &r, &e));
	ck_assert_int_eq(r.version, 2);
	ck_assert_int_eq(r.reapproval, 0);
	ck_assert_str_eq(r.changed, "[\"description\"]");
	ck_assert_str_eq(r.substantial, "[]");
	mc_qa_modify_result_clear(&r);
	ck_assert_int_eq(state_of(s, "m", 2), MC_QA_MODIFIED);
	/* version 1 stays in the catalogue until version 2 is published */
	ck_assert_int_eq(state_of(s, "m", 1), MC_QA_PUBLISHED);
	/* a pending version must be modified instead of the published one */
	FAILS_WITH(MC_ERR_VALUE, "pending", mc_qa_modify(s, "m", 1, minor, &PROP, &r, &e));
	DO(mc_qa_publish(s, "m", 2, &QAO, &e));
	ck_assert_int_eq(state_of(s, "m", 1), MC_QA_SUPERSEDED);
	ck_assert_int_eq(tpl_state(s, "m", 1), MC_TEMPLATE_RETIRED);
	free(minor);
	/* twin: substantial (ECTS and hours) needs the chain again */
	json_error_t je;
	json_t *a = json_loads(g_ach, 0, &je);
	json_object_set_new(a, "ects", json_integer(6));
	json_object_set_new(a, "workloadHours", json_integer(150));
	json_object_set_new(a, "description", json_string("A refreshed description of the same course."));
	char *big = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	DO(mc_qa_modify(s, "m", 2, big, &PROP, &r, &e));
	ck_assert_int_eq(r.version, 3);
	ck_assert_int_eq(r.reapproval, 1);
	ck_assert_str_eq(r.substantial, "[\"ects\",\"workloadHours\"]");
	mc_qa_modify_result_clear(&r);
	ck_assert_int_eq(state_of(s, "m", 3), MC_QA_DRAFT);
	FAILS_WITH(MC_ERR_VALUE, "is draft", mc_qa_publish(s, "m", 3, &QAO, &e));
	json_t *o = spec_json(s, "m", 3);
	ck_assert_int_eq(json_array_size(json_object_get(o, "reapproval")), 2);
	json_decref(o);
	DO(mc_qa_submit(s, NULL, "m", 3, &PROP, NULL, &e));
	approve_all_iminqa(s, "m", 3);
	DO(mc_qa_publish(s, "m", 3, &QAO, &e));
	ck_assert_int_eq(state_of(s, "m", 2), MC_QA_SUPERSEDED);
	/* nothing changed, reviewer may not modify */
	FAILS_WITH(MC_ERR_VALUE, "nothing changed", mc_qa_modify(s, "m", 3, big, &PROP, &r, &e));
	FAILS_WITH(MC_ERR_VALUE, "needs a proposer or a qa-officer", mc_qa_modify(s, "m", 3, g_ach, &REV, &r, &e));
	FAILS(MC_ERR_JSON_SYNTAX, mc_qa_modify(s, "m", 3, "{", &PROP, &r, &e));
	free(big);
	mc_store_close(s);
}
END_TEST

START_TEST(retire_notifies_holders)
{
	mc_store *s = setup();
	published(s, "r");
	add_cred(s, "urn:uuid:c1", "r", 1, "did:example:ada");
	add_cred(s, "urn:uuid:c2", "r", 1, "did:example:bea");
	add_cred(s, "urn:uuid:c3", "r", 1, "did:example:cy");
	DO(mc_store_credential_set_state(s, "urn:uuid:c3", MC_CRED_REVOKED, "fraud", &e));
	size_t n = 0;
	DO(mc_qa_retire(s, "r", 1, "the employer partner left", &QAO, &n, &e));
	ck_assert_uint_eq(n, 2); /* the revoked one holds nothing */
	char *j = NULL;
	DO(mc_qa_notifications(s, "r", &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "did:example:ada"));
	ck_assert_ptr_nonnull(strstr(j, "did:example:bea"));
	ck_assert_ptr_null(strstr(j, "did:example:cy"));
	mc_free(j);
	/* credentials stay as they were */
	mc_store_credential c;
	DO(mc_store_credential_get(s, "urn:uuid:c1", &c, &e));
	ck_assert_int_eq(c.state, MC_CRED_ACTIVE);
	mc_store_credential_clear(&c);
	/* twin: a second retirement is refused and writes nothing */
	FAILS_WITH(MC_ERR_VALUE, "is retired", mc_qa_retire(s, "r", 1, NULL, &QAO, &n, &e));
	ck_assert_uint_eq(n, 0);
	mc_store_close(s);
}
END_TEST

START_TEST(config_bad_input)
{
	mc_store *s = setup();
	char *j = NULL;
	DO(mc_qa_config_get(s, "did:web:none.example", &j, &e));
	ck_assert_str_eq(j, mc_qa_config_default());
	mc_free(j);
	DO(mc_qa_config_check(BCIT, strlen(BCIT), &e));
	static const struct {
		const char *json, *path;
	} bad[] = {
		{"{\"policy\":\"p\",\"approvalChain\":[]}", "$.approvalChain"},
		{"{\"policy\":\"p\"}", "$.approvalChain"},
		{"{\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\"}]}", "$.policy"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"learner\"}]}", "$.approvalChain[0]"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\"},"
		 "{\"id\":\"a\",\"name\":\"B\",\"role\":\"reviewer\"}]}", "$.approvalChain[1]"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a b\",\"name\":\"A\",\"role\":\"reviewer\"}]}", "$.approvalChain[0]"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\",\"x\":1}]}",
		 "$.approvalChain[0].x"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\"}],\"minGroupSize\":2}",
		 "$.minGroupSize"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\"}],\"reviewIntervalDays\":0}",
		 "$.reviewIntervalDays"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\"}],\"aproval\":1}",
		 "$.aproval"},
		{"{\"policy\":\"p\",\"approvalChain\":[{\"id\":\"a\",\"name\":\"A\",\"role\":\"reviewer\"}],\"publishFeedback\":1}",
		 "$.publishFeedback"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		mc_err e = {0};
		mc_status st = mc_qa_config_set(s, "p", bad[i].json, &QAO, &e);
		ck_assert_msg(st != MC_OK, "case %zu accepted", i);
		ck_assert_msg(strcmp(e.path, bad[i].path) == 0, "case %zu: path %s, want %s (%s)", i, e.path, bad[i].path,
		              e.msg);
	}
	FAILS(MC_ERR_JSON_DUPKEY, mc_qa_config_set(s, "p", "{\"policy\":\"a\",\"policy\":\"b\"}", &QAO, &e));
	mc_store_close(s);
}
END_TEST

/* ---- maturity ------------------------------------------------------------ */

static json_t *view(mc_store *s, const char *sid, const char *viewer)
{
	char *j = NULL;
	DO(mc_qa_maturity_view(s, sid, viewer, &j, &e));
	json_error_t je;
	json_t *o = json_loads(j, JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(o != NULL, "view: %s", je.text);
	mc_free(j);
	return o;
}

static json_t *question(json_t *v, const char *id)
{
	size_t i, k;
	json_t *a, *q;
	json_array_foreach(json_object_get(v, "areas"), i, a) json_array_foreach(json_object_get(a, "questions"), k, q) if (
		strcmp(json_string_value(json_object_get(q, "id")), id) == 0) return q;
	ck_abort_msg("no question %s in the view", id);
	return NULL;
}

START_TEST(maturity_workshop)
{
	mc_store *s = setup();
	/* the shipped model: 10 + 10 + 31 questions and the mandatory-elements check */
	json_error_t je;
	json_t *m = json_loads(mc_qa_maturity_model(), 0, &je);
	ck_assert_ptr_nonnull(m);
	json_t *areas = json_object_get(m, "areas");
	ck_assert_int_eq(json_array_size(areas), 4);
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(areas, 0), "questions")), 10);
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(areas, 1), "questions")), 10);
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(areas, 2), "questions")), 31);
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(areas, 3), "questions")), 1);
	json_decref(m);

	char *sid = NULL;
	DO(mc_qa_maturity_new(s, NULL, "Board workshop 2026", &QAO, &sid, &e));
	DO(mc_qa_maturity_score(s, sid, "alice", "T5", MC_QA_GREEN, "we issue VC 2.0", &e));
	DO(mc_qa_maturity_score(s, sid, "bob", "T5", MC_QA_RED, "no <wallet> tests yet", &e));
	DO(mc_qa_maturity_score(s, sid, "bob", "Q23", MC_QA_YELLOW, NULL, &e));
	/* first indications stay private until the discussion */
	json_t *v = view(s, sid, "alice");
	json_t *q = question(v, "T5");
	ck_assert_int_eq(json_array_size(json_object_get(q, "first")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(q, "hidden")), 1);
	ck_assert(json_is_null(json_object_get(q, "result")));
	json_decref(v);
	v = view(s, sid, NULL); /* the facilitator sees all */
	ck_assert_int_eq(json_array_size(json_object_get(question(v, "T5"), "first")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(v, "participants")), 2);
	json_decref(v);
	DO(mc_qa_maturity_stage(s, sid, MC_QA_STAGE_DISCUSSION, &QAO, &e));
	v = view(s, sid, "alice");
	q = question(v, "T5");
	ck_assert_int_eq(json_array_size(json_object_get(q, "first")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(q, "hidden")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(q, "result")), "red"); /* lower median of red, green */
	json_decref(v);
	/* the revision replaces bob's first indication in the result */
	DO(mc_qa_maturity_score(s, sid, "bob", "T5", MC_QA_YELLOW, "after the demo", &e));
	DO(mc_qa_maturity_action(s, sid, "T5", "Test download into two EUDI wallet prototypes", "CIO", &e));
	DO(mc_qa_maturity_action(s, sid, NULL, "Share the minutes", NULL, &e));
	v = view(s, sid, NULL);
	q = question(v, "T5");
	ck_assert_str_eq(json_string_value(json_object_get(q, "result")), "yellow");
	ck_assert_int_eq(json_array_size(json_object_get(q, "revised")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(q, "actions")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(v, "actions")), 1);
	char *vtext = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	/* the canvas and the printable page */
	char *svg = NULL, *html = NULL;
	DO(mc_qa_maturity_svg(vtext, strlen(vtext), &svg, &e));
	ck_assert(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	ck_assert_ptr_nonnull(strstr(svg, ">T5</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "1G 1Y 0R"));
	ck_assert_ptr_nonnull(strstr(svg, ">Q31</text>"));
	ck_assert_ptr_null(strstr(svg, "<wallet>"));
	ck_assert(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
	DO(mc_qa_maturity_html(vtext, strlen(vtext), &html, &e));
	ck_assert_ptr_nonnull(strstr(html, "no &lt;wallet&gt; tests yet"));
	ck_assert_ptr_nonnull(strstr(html, "Test download into two EUDI wallet prototypes (CIO)"));
	ck_assert_ptr_null(strstr(html, "<script"));
	mc_free(svg);
	mc_free(html);
	free(vtext);
	DO(mc_qa_maturity_stage(s, sid, MC_QA_STAGE_CLOSED, &QAO, &e));
	FAILS_WITH(MC_ERR_VALUE, "closed", mc_qa_maturity_score(s, sid, "bob", "T5", MC_QA_GREEN, NULL, &e));
	FAILS_WITH(MC_ERR_VALUE, "closed", mc_qa_maturity_action(s, sid, NULL, "late", NULL, &e));
	FAILS_WITH(MC_ERR_VALUE, "stage closed", mc_qa_maturity_stage(s, sid, MC_QA_STAGE_CLOSED, &QAO, &e));
	mc_free(sid);
	mc_store_close(s);
}
END_TEST

START_TEST(maturity_bad_input)
{
	mc_store *s = setup();
	char *sid = NULL;
	DO(mc_qa_maturity_new(s, NULL, "w", &QAO, &sid, &e));
	/* unknown question id (twin of the scores above) */
	mc_err er = {0};
	ck_assert_int_eq(mc_qa_maturity_score(s, sid, "alice", "T11", MC_QA_GREEN, NULL, &er), MC_ERR_VALUE);
	ck_assert_str_eq(er.path, "question");
	er = (mc_err){0};
	ck_assert_int_eq(mc_qa_maturity_action(s, sid, "X1", "text", NULL, &er), MC_ERR_VALUE);
	/* bad colour */
	er = (mc_err){0};
	ck_assert_int_eq(mc_qa_maturity_score(s, sid, "alice", "T1", (mc_qa_colour)7, NULL, &er), MC_ERR_VALUE);
	ck_assert_str_eq(er.path, "colour");
	mc_qa_colour c;
	ck_assert_int_eq(mc_qa_colour_parse("green", &c), MC_OK);
	ck_assert_int_eq(c, MC_QA_GREEN);
	ck_assert_int_eq(mc_qa_colour_parse("blue", &c), MC_ERR_VALUE);
	ck_assert_int_eq(mc_qa_colour_parse("Green", &c), MC_ERR_VALUE);
	/* stages go one at a time; unknown sessions */
	FAILS_WITH(MC_ERR_VALUE, "next stage is discussion", mc_qa_maturity_stage(s, sid, MC_QA_STAGE_CLOSED, &QAO, &e));
	FAILS(MC_ERR_MISSING, mc_qa_maturity_score(s, "urn:uuid:none", "alice", "T1", MC_QA_RED, NULL, &e));
	char *j = NULL;
	FAILS(MC_ERR_MISSING, mc_qa_maturity_view(s, "urn:uuid:none", NULL, &j, &e));
	FAILS(MC_ERR_ARG, mc_qa_maturity_new(s, NULL, "", &QAO, &j, &e));
	/* the renderers refuse what is not a view */
	FAILS(MC_ERR_MISSING, mc_qa_maturity_svg("{}", 2, &j, &e));
	ck_assert_ptr_null(j);
	FAILS(MC_ERR_JSON_SYNTAX, mc_qa_maturity_svg("{", 1, &j, &e));
	FAILS(MC_ERR_TYPE, mc_qa_maturity_html("{\"areas\":[{\"title\":\"x\",\"questions\":[1]}]}", 41, &j, &e));
	mc_free(sid);
	mc_store_close(s);
}
END_TEST

START_TEST(maturity_compare_and_propose)
{
	mc_store *s = setup();
	char *a = NULL, *b = NULL, *j = NULL;
	DO(mc_qa_maturity_new(s, NULL, "2025", &QAO, &a, &e));
	DO(mc_qa_maturity_new(s, NULL, "2026", &QAO, &b, &e));
	DO(mc_qa_maturity_score(s, a, "alice", "T5", MC_QA_RED, NULL, &e));
	DO(mc_qa_maturity_score(s, a, "alice", "B1", MC_QA_GREEN, NULL, &e));
	DO(mc_qa_maturity_score(s, b, "alice", "T5", MC_QA_GREEN, NULL, &e));
	DO(mc_qa_maturity_score(s, b, "alice", "Q1", MC_QA_YELLOW, NULL, &e));
	DO(mc_qa_maturity_compare(s, a, b, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "{\"question\":\"T5\",\"area\":\"technology\",\"older\":\"red\",\"newer\":\"green\","
	                                "\"change\":\"better\"}"));
	ck_assert_ptr_nonnull(strstr(j, "\"summary\":{\"better\":1,\"worse\":0,\"same\":0,\"new\":1,\"gone\":1}"));
	mc_free(j);
	FAILS(MC_ERR_MISSING, mc_qa_maturity_compare(s, a, "urn:uuid:none", &j, &e));
	/* proposals from the store: one complete EU credential, one that is not */
	size_t il, ll;
	char *iss = tu_read("examples/issuer.json", &il), *lrn = tu_read("examples/learner.json", &ll);
	char *cred = NULL;
	mc_build_opts o = {.issuer_id = "did:web:uni.example"};
	DO(mc_credential_build(g_ach, strlen(g_ach), iss, il, lrn, ll, &o, &cred, &e));
	save_tpl(s, "ds", g_ach, 1);
	mc_store_credential c1 = {.id = "urn:uuid:p1", .template_id = "ds", .template_version = 1,
	                          .learner_id = "did:example:l1", .external_id = "", .status_index = -1, .json = cred};
	DO(mc_store_credential_add(s, &c1, &e));
	DO(mc_qa_maturity_propose(s, NULL, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "{\"question\":\"E1\",\"colour\":\"green\",\"evidence\":\"1 of the 1 newest"));
	/* unsigned: W3C VC data model but no proof */
	ck_assert_ptr_nonnull(strstr(j, "{\"question\":\"T5\",\"colour\":\"yellow\""));
	ck_assert_ptr_nonnull(strstr(j, "{\"question\":\"Q25\",\"colour\":\"red\""));
	mc_free(j);
	add_cred(s, "urn:uuid:p2", "ds", 1, "did:example:l2");
	DO(mc_qa_maturity_propose(s, NULL, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "{\"question\":\"E1\",\"colour\":\"red\",\"evidence\":\"1 of the 2 newest"));
	mc_free(j);
	/* the view carries the proposal beside the question */
	json_t *v = view(s, b, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(question(v, "E1"), "proposal"), "colour")),
	                 "red");
	json_decref(v);
	mc_free(cred);
	free(iss);
	free(lrn);
	mc_free(a);
	mc_free(b);
	mc_store_close(s);
}
END_TEST

/* ---- feedback ------------------------------------------------------------ */

static const mc_qa_actor LEARNER = {"learner-portal", MC_QA_ROLE_LEARNER};
static const mc_qa_actor EMPLOYER = {"employer-portal", MC_QA_ROLE_EMPLOYER};

static void learner_answer(mc_store *s, const char *cred, const char *answers, mc_status want, const char *path)
{
	mc_qa_response_in in = {.questionnaire = "learner-default", .credential_id = cred, .answers = answers};
	mc_err e = {0};
	char *id = NULL;
	mc_status st = mc_qa_respond(s, &in, &LEARNER, &id, &e);
	ck_assert_msg(st == want, "respond %s: %s (%s at %s)", cred, mc_strerror(st), e.msg, e.path);
	if (path)
		ck_assert_str_eq(e.path, path);
	if (want == MC_OK)
		ck_assert(strncmp(id, "urn:uuid:", 9) == 0);
	mc_free(id);
}

#define GOOD "{\"answers\":{\"outcomes-clear\":%d,\"outcomes-achieved\":4,\"workload-accurate\":3,"            \
	     "\"assessment-fair\":5,\"useful-for-work\":4,\"recommend\":%s%s}}"

START_TEST(feedback_threshold)
{
	mc_store *s = setup();
	published(s, "fb");
	char id[32], ans[512];
	for (int i = 1; i <= 6; i++) {
		snprintf(id, sizeof id, "urn:example:cred-%d", i);
		add_cred(s, id, "fb", 1, "did:example:someone");
	}
	for (int i = 1; i <= 4; i++) {
		snprintf(id, sizeof id, "urn:example:cred-%d", i);
		snprintf(ans, sizeof ans, GOOD, i, i == 1 ? "false" : "true",
		         i <= 2 ? ",\"improve\":\"=HYPERLINK(\\\"x\\\")\"" : "");
		learner_answer(s, id, ans, MC_OK, NULL);
	}
	/* four answers: below the default minimum of five, nothing is shown */
	char *j = NULL;
	DO(mc_qa_feedback_aggregate(s, "fb", 1, 0, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"minGroupSize\":5"));
	ck_assert_ptr_nonnull(strstr(j, "\"audience\":\"learner\",\"suppressed\":true}"));
	ck_assert_ptr_null(strstr(j, "\"responses\""));
	ck_assert_ptr_null(strstr(j, "\"mean\""));
	mc_free(j);
	/* invitations: the two credentials that have not answered */
	DO(mc_qa_feedback_pending(s, "fb", "learner-default", &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"credential\":\"urn:example:cred-5\""));
	ck_assert_ptr_nonnull(strstr(j, "\"credential\":\"urn:example:cred-6\""));
	ck_assert_ptr_null(strstr(j, "urn:example:cred-1\""));
	mc_free(j);
	DO(mc_store_credential_set_state(s, "urn:example:cred-6", MC_CRED_REVOKED, "fraud", &e));
	DO(mc_qa_feedback_pending(s, "fb", "learner-default", &j, &e));
	ck_assert_ptr_null(strstr(j, "urn:example:cred-6"));
	mc_free(j);
	FAILS(MC_ERR_ARG, mc_qa_feedback_pending(s, "fb", "bad id", &j, &e));
	/* the fifth makes the group visible; the text question (2 answers) stays hidden */
	snprintf(ans, sizeof ans, GOOD, 5, "true", "");
	learner_answer(s, "urn:example:cred-5", ans, MC_OK, NULL);
	DO(mc_qa_feedback_aggregate(s, "fb", 1, 0, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"responses\":5"));
	ck_assert_ptr_nonnull(strstr(j, "{\"id\":\"outcomes-clear\",\"type\":\"scale\""));
	ck_assert_ptr_nonnull(strstr(j, "\"answered\":5,\"mean\":3,\"counts\":{\"1\":1,\"2\":1,\"3\":1,\"4\":1,\"5\":1}"));
	ck_assert_ptr_nonnull(strstr(j, "\"yes\":4,\"no\":1"));
	ck_assert_ptr_nonnull(strstr(j, "{\"id\":\"improve\",\"type\":\"text\",\"text\":\"What should be improved?\","
	                                "\"suppressed\":true}"));
	ck_assert_ptr_null(strstr(j, "HYPERLINK"));
	ck_assert_ptr_null(strstr(j, "urn:example:cred"));
	mc_free(j);
	/* on the catalogue: only once the provider opts in (the default
	 * configuration does not publish feedback) */
	FAILS_WITH(MC_ERR_MISSING, "does not publish", mc_qa_public_feedback(s, "fb", 0, &j, &e));
	ck_assert_ptr_null(j);
	DO(mc_qa_config_set(s, NULL, BCIT, &QAO, &e)); /* publishFeedback, minimum 3 */
	DO(mc_qa_public_feedback(s, "fb", 0, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"responses\":5"));
	ck_assert_ptr_null(strstr(j, "urn:example:cred"));
	mc_free(j);
	DO(mc_qa_public_feedback(s, "fb", 1, &j, &e));
	mc_free(j);
	FAILS(MC_ERR_MISSING, mc_qa_public_feedback(s, "fb", 2, &j, &e));   /* no such version */
	FAILS(MC_ERR_MISSING, mc_qa_public_feedback(s, "nope", 0, &j, &e)); /* no such specification */
	FAILS(MC_ERR_ARG, mc_qa_public_feedback(s, "fb", -1, &j, &e));
	FAILS(MC_ERR_ARG, mc_qa_public_feedback(s, "fb", 0, NULL, &e));
	/* all versions together, and a caller's stricter minimum */
	DO(mc_qa_feedback_aggregate(s, "fb", 0, 6, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"suppressed\":true"));
	mc_free(j);
	FAILS(MC_ERR_VALUE, mc_qa_feedback_aggregate(s, "fb", 1, 2, &j, &e));
	/* one answer per credential and questionnaire */
	learner_answer(s, "urn:example:cred-5", ans, MC_ERR_VALUE, "credential_id");
	/* the export has every response but no credential or learner */
	DO(mc_qa_feedback_csv(s, "learner-default", "fb", 0, &j, &e));
	ck_assert(strncmp(j, "response,questionnaire_version,audience,template,template_version,date,outcomes-clear,", 84) ==
	          0);
	ck_assert_ptr_null(strstr(j, "urn:example:cred"));
	ck_assert_ptr_null(strstr(j, "did:example"));
	ck_assert_ptr_nonnull(strstr(j, ",\"'=HYPERLINK(\"\"x\"\")\"\r\n"));
	int lines = 0;
	for (const char *p = j; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	ck_assert_int_eq(lines, 6);
	mc_free(j);
	FAILS(MC_ERR_MISSING, mc_qa_feedback_csv(s, "nope", "fb", 0, &j, &e));
	/* employers answer about a specification, no credential needed */
	mc_qa_response_in in = {.questionnaire = "employer-default", .template_id = "fb", .respondent = "Acme GmbH",
	                        .answers = "{\"answers\":{\"competences-precise\":4,\"assessment-real-work\":3,"
	                                   "\"content-authentic\":4,\"holders-capable\":5,\"would-hire\":true}}"};
	DO(mc_qa_respond(s, &in, &EMPLOYER, NULL, &e));
	/* ... but not a learner's questionnaire, and a learner needs a credential */
	in.questionnaire = "learner-default";
	in.answers = ans;
	FAILS_WITH(MC_ERR_VALUE, "answered by a learner", mc_qa_respond(s, &in, &EMPLOYER, NULL, &e));
	FAILS_WITH(MC_ERR_MISSING, "credential", mc_qa_respond(s, &in, &LEARNER, NULL, &e));
	/* a credential of another specification */
	in.credential_id = "urn:example:cred-6";
	in.template_id = "other";
	FAILS(MC_ERR_VALUE, mc_qa_respond(s, &in, &LEARNER, NULL, &e));
	mc_store_close(s);
}
END_TEST

START_TEST(feedback_bad_input)
{
	mc_store *s = setup();
	published(s, "fb");
	add_cred(s, "urn:example:cred-1", "fb", 1, "did:example:l");
	char ans[512];
	snprintf(ans, sizeof ans, GOOD, 4, "true", "");
	/* unknown question id, out-of-range and mistyped answers, missing required */
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{\"nope\":1}}", MC_ERR_VALUE, "$.answers.nope");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{\"outcomes-clear\":6}}", MC_ERR_VALUE, "$.answers.outcomes-clear");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{\"outcomes-clear\":2.5}}", MC_ERR_VALUE, "$.answers.outcomes-clear");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{\"outcomes-clear\":\"4\"}}", MC_ERR_TYPE, "$.answers.outcomes-clear");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{\"recommend\":1}}", MC_ERR_TYPE, "$.answers.recommend");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{\"outcomes-clear\":4}}", MC_ERR_MISSING,
	               "$.answers.outcomes-achieved");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":{},\"extra\":1}", MC_ERR_VALUE, "$.extra");
	learner_answer(s, "urn:example:cred-1", "{\"answers\":[]}", MC_ERR_TYPE, "$.answers");
	learner_answer(s, "urn:example:cred-1", "[]", MC_ERR_TYPE, "answers");
	learner_answer(s, "urn:uuid:none", ans, MC_ERR_MISSING, NULL);
	/* the valid twin goes through */
	learner_answer(s, "urn:example:cred-1", ans, MC_OK, NULL);
	/* questionnaires */
	static const struct {
		const char *json, *path;
	} bad[] = {
		{"{\"id\":\"q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[]}", "$.questions"},
		{"{\"id\":\"q\",\"audience\":\"alumni\",\"title\":\"t\",\"questions\":[]}", "$.audience"},
		{"{\"id\":\"q q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[]}", "$.id"},
		{"{\"id\":\"q\",\"audience\":\"learner\",\"questions\":[]}", "$.title"},
		{"{\"id\":\"q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[{\"id\":\"a\",\"type\":\"stars\","
		 "\"text\":\"x\"}]}", "$.questions[0].type"},
		{"{\"id\":\"q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[{\"id\":\"a\",\"type\":\"text\","
		 "\"text\":\"x\"},{\"id\":\"a\",\"type\":\"text\",\"text\":\"y\"}]}", "$.questions[1].id"},
		{"{\"id\":\"q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[{\"id\":\"a\",\"type\":\"text\","
		 "\"text\":\"x\",\"required\":\"yes\"}]}", "$.questions[0].required"},
		{"{\"id\":\"q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[{\"id\":\"a\",\"type\":\"text\"}]}",
		 "$.questions[0].text"},
		{"{\"id\":\"q\",\"audience\":\"learner\",\"title\":\"t\",\"questions\":[],\"x\":1}", "$.x"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		mc_err er = {0};
		ck_assert_msg(mc_qa_questionnaire_check(bad[i].json, strlen(bad[i].json), &er) != MC_OK, "case %zu", i);
		ck_assert_msg(strcmp(er.path, bad[i].path) == 0, "case %zu: %s, want %s (%s)", i, er.path, bad[i].path,
		              er.msg);
	}
	for (int i = 0; i < 3; i++) {
		const char *aud[] = {"learner", "employer", "peer"};
		const char *d = mc_qa_questionnaire_default(aud[i]);
		DO(mc_qa_questionnaire_check(d, strlen(d), &e));
	}
	ck_assert_ptr_null(mc_qa_questionnaire_default("alumni"));
	/* editing: a new version when the text differs, none when it does not */
	const char *q1 = "{\"id\":\"short\",\"audience\":\"peer\",\"title\":\"t\",\"questions\":[{\"id\":\"a\","
	                 "\"type\":\"scale\",\"text\":\"x\"}]}";
	const char *q2 = "{\"id\":\"short\",\"audience\":\"peer\",\"title\":\"t2\",\"questions\":[{\"id\":\"a\","
	                 "\"type\":\"scale\",\"text\":\"x\"}]}";
	int64_t v = 0;
	DO(mc_qa_questionnaire_save(s, q1, &QAO, &v, &e));
	ck_assert_int_eq(v, 1);
	DO(mc_qa_questionnaire_save(s, q1, &QAO, &v, &e));
	ck_assert_int_eq(v, 1);
	DO(mc_qa_questionnaire_save(s, q2, &QAO, &v, &e));
	ck_assert_int_eq(v, 2);
	char *j = NULL;
	DO(mc_qa_questionnaire_get(s, "short", 1, &j, &v, &e));
	ck_assert_str_eq(j, q1);
	mc_free(j);
	FAILS(MC_ERR_MISSING, mc_qa_questionnaire_get(s, "short", 3, &j, &v, &e));
	FAILS(MC_ERR_MISSING, mc_qa_questionnaire_get(s, "unknown", 0, &j, &v, &e));
	/* response checks without a store */
	DO(mc_qa_response_check(q1, strlen(q1), "{\"answers\":{\"a\":3}}", 19, &e));
	FAILS(MC_ERR_VALUE, mc_qa_response_check(q1, strlen(q1), "{\"answers\":{\"b\":3}}", 19, &e));
	FAILS(MC_ERR_JSON_DUPKEY, mc_qa_response_check(q1, strlen(q1), "{\"answers\":{\"a\":3,\"a\":4}}", 25, &e));
	mc_store_close(s);
}
END_TEST

/* ---- outcomes and the public page --------------------------------------- */

START_TEST(outcomes_and_public_page)
{
	mc_store *s = setup();
	DO(mc_qa_config_set(s, "did:web:bcit.example", BCIT, &QAO, &e));
	save_tpl(s, "badge", g_ach, 1);
	DO(mc_qa_submit(s, "did:web:bcit.example", "badge", 1, &PROP, NULL, &e));
	save_tpl(s, "hidden", g_ach, 1);
	DO(mc_qa_submit(s, "did:web:bcit.example", "hidden", 1, &PROP, NULL, &e)); /* not public yet */
	DO(mc_qa_decide(s, "badge", 1, "dean", MC_QA_APPROVE, NULL, &REV, &e));
	DO(mc_qa_decide(s, "badge", 1, "agile-quality-committee", MC_QA_APPROVE, NULL, &QAO, &e));
	DO(mc_qa_publish(s, "badge", 1, &QAO, &e));
	mc_qa_recognition_in r = {.template_id = "badge", .template_version = 1, .institution = "TU Wien",
	                          .country = "AT", .decision = "recognised", .purpose = "credit transfer (5 ECTS)"};
	DO(mc_qa_recognition_add(s, &r, &QAO, &e));
	r.institution = "Uni Example";
	r.decision = "partially-recognised";
	r.country = NULL;
	DO(mc_qa_recognition_add(s, &r, &QAO, &e));
	r.decision = "maybe";
	FAILS(MC_ERR_VALUE, mc_qa_recognition_add(s, &r, &QAO, &e));
	r.decision = "recognised";
	r.template_id = "nope";
	FAILS(MC_ERR_MISSING, mc_qa_recognition_add(s, &r, &QAO, &e));
	mc_qa_employment_in em = {.template_id = "badge", .months_after = 6, .status = "employed", .in_field = 1};
	DO(mc_qa_employment_add(s, &em, &QAO, &e));
	DO(mc_qa_employment_add(s, &em, &QAO, &e));
	char *j = NULL;
	DO(mc_qa_outcomes(s, "badge", 0, 0, &j, &e)); /* BCIT minimum is 3 */
	ck_assert_ptr_nonnull(strstr(j, "\"total\":2,\"recognised\":1,\"partially-recognised\":1,\"not-recognised\":0"));
	ck_assert_ptr_nonnull(strstr(j, "\"employment\":{\"minGroupSize\":3,\"suppressed\":true}"));
	mc_free(j);
	em.status = "studying";
	em.in_field = -1;
	DO(mc_qa_employment_add(s, &em, &QAO, &e));
	DO(mc_qa_outcomes(s, "badge", 0, 0, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"followUps\":3,\"employed\":2,\"self-employed\":0,\"unemployed\":0,\"studying\":1,"
	                                "\"other\":0,\"inFieldKnown\":2,\"inField\":2"));
	mc_free(j);
	em.months_after = 200;
	FAILS(MC_ERR_VALUE, mc_qa_employment_add(s, &em, &QAO, &e));
	/* the public page */
	DO(mc_qa_public_page(s, "did:web:bcit.example", 0, &j, &e));
	json_error_t je;
	json_t *o = json_loads(j, JSON_REJECT_DUPLICATES, &je);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_string_value(json_object_get(o, "policy")), "Micro-credentials follow an accelerated approval.");
	json_t *proc = json_object_get(o, "approvalProcess");
	ck_assert_int_eq(json_array_size(json_object_get(proc, "steps")), 2);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(proc, "description")),
	                             "Dean and then Agile quality committee, in this order."));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "reviewCycle"), "intervalDays")), 1);
	json_t *specs = json_object_get(o, "specifications");
	ck_assert_int_eq(json_array_size(specs), 1); /* the submitted one is internal */
	json_t *sp = json_array_get(specs, 0);
	ck_assert_str_eq(json_string_value(json_object_get(sp, "title")), "Data Literacy for Public Administration");
	ck_assert_str_eq(json_string_value(json_object_get(sp, "state")), "published");
	ck_assert(json_is_false(json_object_get(sp, "reviewOverdue")));
	ck_assert(json_is_object(json_object_get(sp, "feedback"))); /* BCIT opted in */
	json_decref(o);
	mc_free(j);
	/* twin: the default provider did not opt in and has no specifications */
	DO(mc_qa_public_page(s, NULL, 4102444800, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"feedbackPublished\":false"));
	ck_assert_ptr_nonnull(strstr(j, "\"specifications\":[]"));
	mc_free(j);
	DO(mc_qa_public_page(s, "did:web:bcit.example", 4102444800, &j, &e));
	ck_assert_ptr_nonnull(strstr(j, "\"reviewOverdue\":true"));
	mc_free(j);
	mc_store_close(s);
}
END_TEST

/* ---- atomicity: every back-end call of a step fails once ------------------ */

static size_t audit_count(mc_store *s)
{
	mc_store_audit *a = NULL;
	size_t n = 0;
	DO(mc_store_audit_list(s, 0, 100000, &a, &n, &e));
	mc_store_audit_list_free(a, n);
	return n;
}

/* Run step with the nth back-end call failing, for n = 1, 2, ... until it
 * succeeds; after each failure the QA state, the template state and the
 * audit log must be as before. Returns the number of faults injected. */
static unsigned long walk_faults(mc_store *s, const char *tpl, int64_t v, int step)
{
	unsigned long injected = 0;
	for (unsigned long n = 1;; n++) {
		ck_assert_uint_lt(n, 200);
		mc_qa_state before = state_of(s, tpl, v);
		mc_template_state tbefore = tpl_state(s, tpl, v);
		size_t abefore = audit_count(s);
		mc_err fe = {0};
		size_t notified = 0;
		mc_store_test_fail_at(s, n, NULL);
		mc_status st = step == 0   ? mc_qa_submit(s, NULL, tpl, v, &PROP, NULL, &fe)
		               : step == 1 ? mc_qa_decide(s, tpl, v, "faculty-board", MC_QA_APPROVE, "ok", &REV, &fe)
		               : step == 2 ? mc_qa_publish(s, tpl, v, &QAO, &fe)
		                           : mc_qa_retire(s, tpl, v, "end", &QAO, &notified, &fe);
		mc_store_test_fail_at(s, 0, NULL);
		if (st == MC_OK)
			break;
		ck_assert_msg(st == MC_ERR_IO && strstr(fe.msg, "injected"), "step %d call %lu: %s", step, n, fe.msg);
		ck_assert_int_eq(state_of(s, tpl, v), before);
		ck_assert_int_eq(tpl_state(s, tpl, v), tbefore);
		ck_assert_uint_eq(audit_count(s), abefore);
		injected++;
	}
	return injected;
}

START_TEST(steps_are_atomic)
{
	mc_store *s = setup();
	/* version 1 published, version 2 a minor change: publishing 2
	 * supersedes 1 in the same section */
	published(s, "a");
	add_cred(s, "urn:uuid:a1", "a", 1, "did:example:ada");
	char *minor = ach_with("description", json_string("Another description of the course."));
	mc_qa_modify_result r;
	DO(mc_qa_modify(s, "a", 1, minor, &PROP, &r, &e));
	mc_qa_modify_result_clear(&r);
	free(minor);
	unsigned long n = walk_faults(s, "a", 2, 2);
	ck_assert_int_eq(state_of(s, "a", 1), MC_QA_SUPERSEDED);
	n += walk_faults(s, "a", 2, 3);
	save_tpl(s, "b", g_ach, 1);
	n += walk_faults(s, "b", 1, 0);
	n += walk_faults(s, "b", 1, 1);
	printf("qa[%s]: %lu injected back-end faults, all clean\n", mc_store_backend(s), n);
	ck_assert_uint_ge(n, 20);
	mc_store_close(s);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_checked_fixture(tc, fresh, cleanup);
	tcase_add_test(tc, lifecycle_iminqa);
	tcase_add_test(tc, lifecycle_bcit_single_committee);
	tcase_add_test(tc, invalid_transitions);
	tcase_add_test(tc, reviewer_order);
	tcase_add_test(tc, formal_checks);
	tcase_add_test(tc, modify_substantial_vs_minor);
	tcase_add_test(tc, retire_notifies_holders);
	tcase_add_test(tc, config_bad_input);
	tcase_add_test(tc, maturity_workshop);
	tcase_add_test(tc, maturity_bad_input);
	tcase_add_test(tc, maturity_compare_and_propose);
	tcase_add_test(tc, feedback_threshold);
	tcase_add_test(tc, feedback_bad_input);
	tcase_add_test(tc, outcomes_and_public_page);
	tcase_add_test(tc, steps_are_atomic);
}

static Suite *qa_suite(void)
{
	return two_backends("qa", add_tests, NULL);
}

TU_MAIN(qa_suite)
