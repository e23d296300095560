/*
 * qa_api.c - the quality-assurance API (issue 7, include/mcred/qa.h): the
 * lifecycle of a specification, provider settings, questionnaires,
 * feedback by invitation, outcome signals, the public QA page, the
 * maturity workshop, and delivery of retirement notifications.
 *
 * Roles. Every staff route needs an API token or session (any mc_role);
 * what it may do is decided by the QA roles of that token (auth.h
 * "qa=proposer,reviewer,qa-officer"), looked up here by the token's name,
 * never taken from the request. When a token holds several QA roles the
 * handler acts in the one the step needs. Learners, employers and peers
 * have no token: they answer through a single-use invitation link (the
 * token in the path is checked against its stored hash by the library).
 * The library writes the audit entry of every decision with the actor
 * ("token:alice") and the role it acted in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mcred/qa.h"
#include "qa_api.h"
#include "srv.h"

/* Seconds between delivery passes of the notification thread (a
 * retirement wakes it at once; the interval is for retries). Overridden
 * by MCRED_NOTIFY_INTERVAL (1..3600) for tests. */
#define QA_NOTIFY_INTERVAL 30
/* Invitations one request may create ("pending": every learner not yet
 * asked): a cohort; more are created by asking again. */
#define QA_INVITE_BATCH 500

#define ROLE_BIT(r) (1u << (r))
#define ANY_STAFF (ROLE_BIT(MC_QA_ROLE_PROPOSER) | ROLE_BIT(MC_QA_ROLE_REVIEWER) | ROLE_BIT(MC_QA_ROLE_OFFICER))

/* ---- who acts -------------------------------------------------------------------- */

/* QA roles of the token behind r (by name; sessions end with their token,
 * so the name is current). */
static unsigned qa_roles(srv *s, const srv_req *r)
{
	const char *colon = strchr(r->actor, ':');
	if (!colon)
		return 0;
	const char *name = colon + 1;
	mc_role role;
	if (!srv_token_named(s, name, &role)) /* also reloads a changed token file */
		return 0;
	unsigned bits = 0;
	pthread_mutex_lock(&s->tok_mu);
	for (size_t i = 0; i < mc_tokens_count(s->tokens); i++) {
		mc_token_info info;
		if (mc_tokens_get(s->tokens, i, &info) == MC_OK && strcmp(info.name, name) == 0)
			bits = info.qa_roles;
	}
	pthread_mutex_unlock(&s->tok_mu);
	return bits;
}

/* Pick the first of want[] (in order of preference) that the caller holds;
 * -1 with a 403 naming what is needed otherwise. */
static int act_as(srv *s, srv_req *r, srv_reply *out, const mc_qa_role *want, size_t n, mc_qa_actor *who)
{
	unsigned have = qa_roles(s, r);
	for (size_t i = 0; i < n; i++)
		if (have & ROLE_BIT(want[i])) {
			who->id = r->actor;
			who->role = want[i];
			return 0;
		}
	char msg[160];
	size_t used = (size_t)snprintf(msg, sizeof msg, "this needs the QA role ");
	for (size_t i = 0; i < n && used < sizeof msg; i++)
		used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s", i ? " or " : "", mc_qa_role_name(want[i]));
	srv_problem(out, 403, "forbidden", msg, "qaRole");
	return -1;
}

#define ACT_AS(s, r, out, who, ...)                                                                      \
	act_as(s, r, out, (const mc_qa_role[]){__VA_ARGS__}, sizeof((const mc_qa_role[]){__VA_ARGS__}) / \
	                                                         sizeof(mc_qa_role),                       \
	       who)

static int staff(srv *s, srv_req *r, srv_reply *out, mc_qa_actor *who)
{
	return ACT_AS(s, r, out, who, MC_QA_ROLE_OFFICER, MC_QA_ROLE_REVIEWER, MC_QA_ROLE_PROPOSER);
}

/* ---- replies ---------------------------------------------------------------------- */

/* A library answer: JSON text on success; conflicts (a lifecycle step in
 * the wrong state, a spent invitation) are 409, a role the library
 * refused is 403, the rest as srv_problem_mc. */
static void lib_reply(srv_reply *out, unsigned ok_status, mc_status st, const mc_err *e, const char *json)
{
	if (st == MC_OK) {
		srv_json_text(out, ok_status, json ? json : "{}", json ? strlen(json) : 2);
		return;
	}
	if (st == MC_ERR_VALUE && (strcmp(e->path, "state") == 0 || strstr(e->msg, "conflict")))
		srv_problem(out, 409, "conflict", e->msg, e->path);
	else if (st == MC_ERR_VALUE && strcmp(e->path, "actor.role") == 0)
		srv_problem(out, 403, "forbidden", e->msg, "qaRole");
	else
		srv_problem_mc(out, st, e);
}

/* A store for this request; NULL with out filled. */
static mc_store *store_of(srv *s, srv_reply *out, srv_worker **w)
{
	*w = srv_worker_get(s, 0, NULL, out);
	return *w ? srv_worker_store(*w) : NULL;
}

static void done(srv *s, srv_worker *w, mc_status st)
{
	srv_worker_put(s, w, st == MC_ERR_IO);
}

/* Body member checks: 0, or -1 with a 400 naming the member. */
static int opt_string(json_t *b, const char *k, const char **v, srv_reply *out)
{
	json_t *x = json_object_get(b, k);
	*v = NULL;
	if (!x || json_is_null(x))
		return 0;
	if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > MC_QA_TEXT_MAX) {
		char f[64], m[96];
		snprintf(f, sizeof f, "$.%s", k);
		snprintf(m, sizeof m, "%s must be a non-empty string of at most %d bytes", k, MC_QA_TEXT_MAX);
		srv_problem(out, 400, "bad-field", m, f);
		return -1;
	}
	*v = json_string_value(x);
	return 0;
}

static int req_string(json_t *b, const char *k, const char **v, srv_reply *out)
{
	if (opt_string(b, k, v, out) != 0)
		return -1;
	if (!*v) {
		char f[64], m[64];
		snprintf(f, sizeof f, "$.%s", k);
		snprintf(m, sizeof m, "%s is required (a string)", k);
		srv_problem(out, 400, "bad-field", m, f);
		return -1;
	}
	return 0;
}

/* integer member in [lo, hi]; absent gives dflt (required when dflt < lo) */
static int int_member(json_t *b, const char *k, int64_t lo, int64_t hi, int64_t dflt, int64_t *v, srv_reply *out)
{
	json_t *x = json_object_get(b, k);
	*v = dflt;
	if (!x && dflt >= lo)
		return 0;
	if (!json_is_integer(x) || json_integer_value(x) < lo || json_integer_value(x) > hi) {
		char f[64], m[128];
		snprintf(f, sizeof f, "$.%s", k);
		snprintf(m, sizeof m, "%s must be an integer from %lld to %lld", k, (long long)lo, (long long)hi);
		srv_problem(out, 400, "bad-field", m, f);
		return -1;
	}
	*v = json_integer_value(x);
	return 0;
}

/* ?name=N as a version (>= 0); -1 with a 400 when it is not one. */
static int query_version(srv_req *r, const char *name, int64_t *v, srv_reply *out)
{
	const char *q = srv_query(r, name);
	*v = 0;
	if (!q)
		return 0;
	char *end = NULL;
	long long n = strtoll(q, &end, 10);
	if (!*q || *end || n < 0 || n > INT32_MAX) {
		srv_problem(out, 400, "bad-field", "must be a non-negative integer", name);
		return -1;
	}
	*v = n;
	return 0;
}

/* The provider a request is about: ?provider= / body, else the issuer the
 * server acts for, else "" (the default provider). */
static const char *provider_of(srv *s, const char *given)
{
	return given && *given ? given : s->cfg.issuer[0] ? s->cfg.issuer : NULL;
}

/* ---- lifecycle ------------------------------------------------------------------------ */

static const char *state_name_of(mc_store *st, const char *id, int64_t v)
{
	mc_qa_state q;
	mc_err e = {0};
	return mc_qa_state_get(st, id, v, &q, &e) == MC_OK ? mc_qa_state_name(q) : "unknown";
}

void srv_qa_specs(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_store_template *ts = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_template_list(st_, &ts, &n, &e);
	json_t *arr = json_array();
	for (size_t i = 0; st == MC_OK && i < n; i++) {
		mc_store_template *vs = NULL;
		size_t nv = 0;
		st = mc_store_template_versions(st_, ts[i].id, &vs, &nv, &e);
		json_t *versions = json_array();
		for (size_t k = 0; st == MC_OK && k < nv; k++)
			json_array_append_new(versions, json_pack("{s:I,s:s}", "version", (json_int_t)vs[k].version, "state",
			                                          state_name_of(st_, ts[i].id, vs[k].version)));
		mc_store_template_list_free(vs, nv);
		json_t *tj = json_loads(ts[i].json, 0, NULL);
		json_t *title = tj ? json_object_get(tj, "title") : NULL;
		json_array_append_new(arr, json_pack("{s:s,s:O*,s:o}", "id", ts[i].id, "title", title, "versions", versions));
		json_decref(tj);
	}
	mc_store_template_list_free(ts, n);
	done(s, w, st);
	if (st != MC_OK) {
		json_decref(arr);
		srv_problem_mc(out, st, &e);
		return;
	}
	srv_json(out, 200, arr);
}

void srv_qa_spec_get(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	int64_t v;
	if (staff(s, r, out, &who) != 0 || query_version(r, "version", &v, out) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_store_template t = {0};
	mc_status st = mc_store_template_get(st_, r->param[0], v, &t, &e);
	if (st == MC_OK)
		st = mc_qa_spec_json(st_, r->param[0], t.version, &json, &e);
	done(s, w, st);
	if (st == MC_OK) {
		json_t *o = json_loads(json, 0, NULL);
		json_object_set_new(o, "template", t.json ? json_loads(t.json, 0, NULL) : json_null());
		srv_json(out, 200, o);
	} else if (st == MC_ERR_MISSING) {
		srv_problem(out, 404, "not-found", "no such specification (template id and version)", "id");
	} else {
		lib_reply(out, 200, st, &e, NULL);
	}
	mc_store_template_clear(&t);
	mc_free(json);
}

/* The parts of a lifecycle request: body, version, comment. */
typedef struct step_req {
	json_t *b;
	int64_t version;
	const char *text; /* comment / reason */
} step_req;

static int step_parse(srv_req *r, srv_reply *out, step_req *q, const char *text_key)
{
	q->b = srv_body_object(r, out);
	if (!q->b)
		return -1;
	if (int_member(q->b, "version", 1, INT32_MAX, 0, &q->version, out) != 0 ||
	    (text_key && opt_string(q->b, text_key, &q->text, out) != 0)) {
		json_decref(q->b);
		return -1;
	}
	return 0;
}

/* Answer a lifecycle step with the specification's record. */
static void step_reply(srv *s, srv_worker *w, srv_req *r, srv_reply *out, mc_status st, mc_err *e, int64_t version,
                       json_t *extra)
{
	char *json = NULL;
	if (st == MC_OK)
		st = mc_qa_spec_json(srv_worker_store(w), r->param[0], version, &json, e);
	done(s, w, st);
	if (st == MC_OK) {
		json_t *o = json_loads(json, 0, NULL);
		if (extra)
			json_object_update(o, extra);
		srv_json(out, 200, o);
	} else {
		lib_reply(out, 200, st, e, NULL);
	}
	json_decref(extra);
	mc_free(json);
}

static const char *result_name(mc_result x)
{
	return x == MC_PASS ? "pass" : x == MC_FAIL ? "fail" : x == MC_WARN ? "warn" : "skip";
}

void srv_qa_submit(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	step_req q;
	const char *prov;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_PROPOSER) != 0 || step_parse(r, out, &q, NULL) != 0)
		return;
	if (opt_string(q.b, "provider", &prov, out) != 0) {
		json_decref(q.b);
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_) {
		json_decref(q.b);
		return;
	}
	mc_err e = {0};
	mc_report *rep = NULL;
	mc_status st = mc_qa_submit(st_, provider_of(s, prov), r->param[0], q.version, &who, &rep, &e);
	json_t *checks = json_array();
	for (size_t i = 0; rep && i < mc_report_count(rep); i++) {
		const mc_finding *f = mc_report_get(rep, i);
		json_array_append_new(checks, json_pack("{s:s,s:s,s:s,s:s}", "check", f->check, "result", result_name(f->result),
		                                        "path", f->path, "message", f->message));
	}
	mc_report_free(rep);
	json_decref(q.b);
	if (st == MC_ERR_INVALID) {
		/* the formal checks refused the submission: say every finding */
		done(s, w, st);
		srv_problem(out, 422, "bad-field", e.msg, e.path);
		json_t *p = json_loads(out->body, 0, NULL);
		json_object_set_new(p, "checks", checks);
		srv_json(out, 422, p);
		out->type = "application/problem+json";
		return;
	}
	step_reply(s, w, r, out, st, &e, q.version, json_pack("{s:o}", "formalChecks", checks));
}

void srv_qa_decide(srv *s, srv_req *r, srv_reply *out)
{
	step_req q;
	const char *step, *dec;
	mc_qa_decision d;
	mc_qa_actor who;
	/* roles before bodies; the step's own role is checked below */
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_REVIEWER, MC_QA_ROLE_OFFICER) != 0 || step_parse(r, out, &q, "comment") != 0)
		return;
	if (req_string(q.b, "step", &step, out) != 0 || req_string(q.b, "decision", &dec, out) != 0) {
		json_decref(q.b);
		return;
	}
	if (mc_qa_decision_parse(dec, &d) != MC_OK) {
		json_decref(q.b);
		srv_problem(out, 400, "bad-field", "decision is approve, reject or request-changes", "$.decision");
		return;
	}
	/* the step says which role decides it: act in that role when held */
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_) {
		json_decref(q.b);
		return;
	}
	mc_err e = {0};
	char *spec = NULL;
	mc_status st = mc_qa_spec_json(st_, r->param[0], q.version, &spec, &e);
	mc_qa_role need = MC_QA_ROLE_REVIEWER;
	json_t *sj = st == MC_OK ? json_loads(spec, 0, NULL) : NULL;
	json_t *chain = json_object_get(sj, "chain");
	size_t i;
	json_t *x;
	json_array_foreach(chain, i, x)
	{
		const char *id = json_string_value(json_object_get(x, "id"));
		const char *role = json_string_value(json_object_get(x, "role"));
		if (id && role && strcmp(id, step) == 0 && mc_qa_role_parse(role, &need) != MC_OK)
			need = MC_QA_ROLE_REVIEWER;
	}
	json_decref(sj);
	mc_free(spec);
	if (st != MC_OK) {
		done(s, w, st);
		json_decref(q.b);
		lib_reply(out, 200, st, &e, NULL);
		return;
	}
	if (act_as(s, r, out, &need, 1, &who) != 0) {
		done(s, w, MC_OK);
		json_decref(q.b);
		return;
	}
	st = mc_qa_decide(st_, r->param[0], q.version, step, d, q.text, &who, &e);
	json_decref(q.b);
	step_reply(s, w, r, out, st, &e, q.version, NULL);
}

/* publish, review start/close/schedule, retire: one shape */
void srv_qa_publish(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	step_req q;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0 || step_parse(r, out, &q, NULL) != 0)
		return;
	json_decref(q.b);
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	mc_status st = mc_qa_publish(st_, r->param[0], q.version, &who, &e);
	step_reply(s, w, r, out, st, &e, q.version, NULL);
}

void srv_qa_review(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	step_req q;
	const char *action, *due;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0 || step_parse(r, out, &q, "comment") != 0)
		return;
	if (req_string(q.b, "action", &action, out) != 0 || opt_string(q.b, "due", &due, out) != 0) {
		json_decref(q.b);
		return;
	}
	int kind = !strcmp(action, "start") ? 0 : !strcmp(action, "close") ? 1 : !strcmp(action, "schedule") ? 2 : -1;
	int64_t when = 0;
	mc_err e = {0};
	if (kind < 0)
		srv_problem(out, 400, "bad-field", "action is start, close or schedule", "$.action");
	else if (kind == 2 && (!due || mc_datetime_parse(due, &when) != MC_OK || when <= 0))
		srv_problem(out, 400, "bad-field", "due is required for schedule: an RFC 3339 date-time", "$.due");
	if (kind < 0 || (kind == 2 && out->status)) {
		json_decref(q.b);
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_) {
		json_decref(q.b);
		return;
	}
	mc_status st = kind == 0   ? mc_qa_review_start(st_, r->param[0], q.version, q.text, &who, &e)
	               : kind == 1 ? mc_qa_review_close(st_, r->param[0], q.version, q.text, &who, &e)
	                           : mc_qa_review_schedule(st_, r->param[0], q.version, when, &who, &e);
	json_decref(q.b);
	step_reply(s, w, r, out, st, &e, q.version, NULL);
}

void srv_qa_modify(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	step_req q;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_PROPOSER, MC_QA_ROLE_OFFICER) != 0 || step_parse(r, out, &q, NULL) != 0)
		return;
	json_t *ach = json_object_get(q.b, "achievement");
	if (!json_is_object(ach)) {
		json_decref(q.b);
		srv_problem(out, 400, "bad-field", "achievement must be an object (the whole new specification)",
		            "$.achievement");
		return;
	}
	char *text = json_dumps(ach, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(q.b);
	srv_worker *w;
	mc_store *st_ = text ? store_of(s, out, &w) : NULL;
	if (!st_) {
		if (!text)
			srv_problem(out, 500, "internal", "out of memory", NULL);
		free(text);
		return;
	}
	mc_err e = {0};
	mc_qa_modify_result res = {0};
	mc_status st = mc_qa_modify(st_, r->param[0], q.version, text, &who, &res, &e);
	free(text);
	json_t *extra = st == MC_OK ? json_pack("{s:I,s:b,s:o,s:o}", "newVersion", (json_int_t)res.version, "reapproval",
	                                        res.reapproval, "changed", json_loads(res.changed, 0, NULL), "substantial",
	                                        json_loads(res.substantial, 0, NULL))
	                            : NULL;
	int64_t nv = res.version;
	mc_qa_modify_result_clear(&res);
	step_reply(s, w, r, out, st, &e, st == MC_OK ? nv : q.version, extra);
}

/* ---- notification delivery ------------------------------------------------------------ */

/* One delivery thread per server process (mcred serve runs one server):
 * static state rather than a member of srv keeps srv.h untouched. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop, wake;
	srv *s;
} notifier = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, NULL};

static void notify_opts(mc_qa_send_opts *o)
{
	memset(o, 0, sizeof *o);
	o->smtp_url = getenv("MCRED_SMTP_URL");
	o->mail_from = getenv("MCRED_MAIL_FROM");
}

static void *notify_main(void *arg)
{
	srv *s = arg;
	const char *iv = getenv("MCRED_NOTIFY_INTERVAL");
	long interval = iv ? strtol(iv, NULL, 10) : QA_NOTIFY_INTERVAL;
	if (interval < 1 || interval > 3600)
		interval = QA_NOTIFY_INTERVAL;
	pthread_mutex_lock(&notifier.mu);
	while (!notifier.stop) {
		pthread_mutex_unlock(&notifier.mu);
		srv_reply dummy = {0};
		srv_worker *w = srv_worker_get(s, 0, NULL, &dummy);
		free(dummy.body);
		if (w) {
			mc_qa_send_opts o;
			mc_qa_send_stats stats;
			mc_err e = {0};
			notify_opts(&o);
			mc_status st = mc_qa_outbox_send(srv_worker_store(w), &o, &stats, &e);
			if (st != MC_OK)
				fprintf(stderr, "{\"event\":\"notify\",\"error\":\"%s\"}\n", mc_strerror(st));
			else if (stats.delivered || stats.retry || stats.failed)
				fprintf(stderr, "{\"event\":\"notify\",\"delivered\":%zu,\"retry\":%zu,\"failed\":%zu}\n",
				        stats.delivered, stats.retry, stats.failed);
			srv_worker_put(s, w, st == MC_ERR_IO);
		}
		pthread_mutex_lock(&notifier.mu);
		if (notifier.stop)
			break;
		if (!notifier.wake) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += interval;
			pthread_cond_timedwait(&notifier.cv, &notifier.mu, &ts);
		}
		notifier.wake = 0;
	}
	pthread_mutex_unlock(&notifier.mu);
	return NULL;
}

int srv_qa_notify_start(srv *s)
{
	/* libcurl's global state, once, before any thread uses it */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	notifier.s = s;
	notifier.stop = 0;
	if (pthread_create(&notifier.thread, NULL, notify_main, s) != 0)
		return -1;
	notifier.running = 1;
	return 0;
}

void srv_qa_notify_stop(srv *s)
{
	(void)s;
	if (!notifier.running)
		return;
	pthread_mutex_lock(&notifier.mu);
	notifier.stop = 1;
	pthread_cond_signal(&notifier.cv);
	pthread_mutex_unlock(&notifier.mu);
	pthread_join(notifier.thread, NULL);
	notifier.running = 0;
	curl_global_cleanup();
}

static void notify_wake(void)
{
	pthread_mutex_lock(&notifier.mu);
	notifier.wake = 1;
	pthread_cond_signal(&notifier.cv);
	pthread_mutex_unlock(&notifier.mu);
}

void srv_qa_retire(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	step_req q;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0 || step_parse(r, out, &q, "reason") != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_) {
		json_decref(q.b);
		return;
	}
	mc_err e = {0};
	size_t notified = 0;
	mc_status st = mc_qa_retire(st_, r->param[0], q.version, q.text, &who, &notified, &e);
	json_decref(q.b);
	if (st == MC_OK)
		notify_wake(); /* the outbox is filled and sent by the delivery thread */
	step_reply(s, w, r, out, st, &e, q.version, json_pack("{s:I}", "notified", (json_int_t)notified));
}

void srv_qa_overdue(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_overdue(st_, srv_query(r, "provider"), 0, &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

/* ---- settings ------------------------------------------------------------------------- */

void srv_qa_config_get(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_config_get(st_, provider_of(s, srv_query(r, "provider")), &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_config_put(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *prov;
	json_t *cfg = json_object_get(b, "config");
	if (opt_string(b, "provider", &prov, out) != 0 || !json_is_object(cfg)) {
		if (!out->status)
			srv_problem(out, 400, "bad-field", "config must be an object (docs/qa.md)", "$.config");
		json_decref(b);
		return;
	}
	char *text = json_dumps(cfg, JSON_COMPACT | JSON_PRESERVE_ORDER);
	srv_worker *w;
	mc_store *st_ = text ? store_of(s, out, &w) : NULL;
	if (st_) {
		mc_err e = {0};
		char *json = NULL;
		mc_status st = mc_qa_config_set(st_, provider_of(s, prov), text, &who, &e);
		if (st == MC_OK)
			st = mc_qa_config_get(st_, provider_of(s, prov), &json, &e);
		done(s, w, st);
		if (st != MC_OK && e.path[0] && e.path[0] == '$') {
			/* the library names paths inside the configuration */
			size_t n = strlen(e.path + 1);
			if (n > sizeof e.path - 9)
				n = sizeof e.path - 9;
			memmove(e.path + 8, e.path + 1, n);
			memcpy(e.path, "$.config", 8);
			e.path[8 + n] = '\0';
		}
		lib_reply(out, 200, st, &e, json);
		mc_free(json);
	} else if (!text) {
		srv_problem(out, 500, "internal", "out of memory", NULL);
	}
	free(text);
	json_decref(b);
}

/* ---- questionnaires -------------------------------------------------------------------- */

void srv_qa_q_list(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_questionnaire_list(st_, &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_q_get(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	int64_t v;
	if (staff(s, r, out, &who) != 0 || query_version(r, "version", &v, out) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	int64_t got = 0;
	mc_status st = mc_qa_questionnaire_get(st_, r->param[0], v, &json, &got, &e);
	done(s, w, st);
	if (st == MC_OK)
		srv_json(out, 200, json_pack("{s:I,s:o}", "version", (json_int_t)got, "questionnaire", json_loads(json, 0, NULL)));
	else if (st == MC_ERR_MISSING || st == MC_ERR_ARG)
		srv_problem(out, 404, "not-found", "no such questionnaire", "id");
	else
		lib_reply(out, 200, st, &e, NULL);
	mc_free(json);
}

void srv_qa_q_put(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *id = json_string_value(json_object_get(b, "id"));
	if (!id || strcmp(id, r->param[0]) != 0) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "the questionnaire's id must be the one in the path", "$.id");
		return;
	}
	char *text = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(b);
	srv_worker *w;
	mc_store *st_ = text ? store_of(s, out, &w) : NULL;
	if (st_) {
		mc_err e = {0};
		int64_t v = 0;
		mc_status st = mc_qa_questionnaire_save(st_, text, &who, &v, &e);
		done(s, w, st);
		if (st == MC_OK)
			srv_json(out, 200, json_pack("{s:s,s:I}", "id", r->param[0], "version", (json_int_t)v));
		else
			lib_reply(out, 200, st, &e, NULL);
	} else if (!text) {
		srv_problem(out, 500, "internal", "out of memory", NULL);
	}
	free(text);
}

/* ---- feedback ------------------------------------------------------------------------------ */

/* absolute link to the feedback page for a token */
static void invite_link(srv *s, srv_req *r, const char *tok, char *out, size_t cap)
{
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (s->cfg.public_url[0])
		snprintf(out, cap, "%s/qa/feedback#%s", s->cfg.public_url, tok);
	else
		snprintf(out, cap, "http://%s/qa/feedback#%s", host ? host : "localhost", tok);
}

void srv_qa_invite(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	mc_qa_invite_in in = {.template_id = r->param[0]};
	int64_t v, days;
	json_t *pending = json_object_get(b, "pending");
	if (req_string(b, "audience", &in.audience, out) != 0 || opt_string(b, "questionnaire", &in.questionnaire, out) ||
	    opt_string(b, "credential", &in.credential_id, out) || opt_string(b, "respondent", &in.respondent, out) ||
	    int_member(b, "version", 0, INT32_MAX, 0, &v, out) ||
	    int_member(b, "days", 1, MC_QA_INVITE_DAYS_MAX, MC_QA_INVITE_DAYS_DEFAULT, &days, out)) {
		json_decref(b);
		return;
	}
	if (pending && !json_is_boolean(pending)) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "pending must be a boolean", "$.pending");
		return;
	}
	in.template_version = v;
	in.days = (int)days;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_) {
		json_decref(b);
		return;
	}
	mc_err e = {0};
	mc_status st = MC_OK;
	json_t *arr = json_array();
	char tok[MC_QA_INVITE_CHARS + 1], link[2048];
	if (json_is_true(pending)) {
		/* every learner of the specification who has not answered yet */
		char qid[MC_QA_ID_MAX + 16];
		snprintf(qid, sizeof qid, "%s", in.questionnaire ? in.questionnaire : "learner-default");
		char *list = NULL;
		st = strcmp(in.audience, "learner") == 0
		             ? mc_qa_feedback_pending(st_, r->param[0], qid, &list, &e)
		             : (snprintf(e.path, sizeof e.path, "$.pending"),
		                snprintf(e.msg, sizeof e.msg, "pending invites learners only"), MC_ERR_VALUE);
		json_t *l = st == MC_OK ? json_loads(list, 0, NULL) : NULL;
		mc_free(list);
		size_t i;
		json_t *x;
		json_array_foreach(l, i, x)
		{
			if (st != MC_OK || i >= QA_INVITE_BATCH)
				break;
			in.credential_id = json_string_value(json_object_get(x, "credential"));
			in.template_version = 0;
			st = mc_qa_invite(st_, &in, &who, tok, &e);
			if (st == MC_OK) {
				invite_link(s, r, tok, link, sizeof link);
				json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "credential", in.credential_id, "token", tok,
				                                     "link", link));
			}
		}
		json_decref(l);
	} else {
		st = mc_qa_invite(st_, &in, &who, tok, &e);
		if (st == MC_OK) {
			invite_link(s, r, tok, link, sizeof link);
			json_array_append_new(arr, json_pack("{s:s?,s:s,s:s}", "credential", in.credential_id, "token", tok, "link",
			                                     link));
		}
	}
	json_decref(b);
	done(s, w, st);
	if (st == MC_OK) {
		srv_json(out, 201, json_pack("{s:o}", "invitations", arr));
	} else {
		json_decref(arr);
		if (st == MC_ERR_MISSING && strcmp(e.path, "credential_id") == 0)
			snprintf(e.path, sizeof e.path, "$.credential");
		lib_reply(out, 201, st, &e, NULL);
	}
}

/* GET handlers that are one library call on the path id */
typedef mc_status (*tpl_reader)(mc_store *, const char *, int64_t, char **, mc_err *);

static mc_status rd_invites(mc_store *st, const char *tpl, int64_t v, char **json, mc_err *e)
{
	(void)v;
	return mc_qa_invite_list(st, tpl, json, e);
}
static mc_status rd_feedback(mc_store *st, const char *tpl, int64_t v, char **json, mc_err *e)
{
	return mc_qa_feedback_aggregate(st, tpl, v, 0, json, e);
}
static mc_status rd_outcomes(mc_store *st, const char *tpl, int64_t v, char **json, mc_err *e)
{
	return mc_qa_outcomes(st, tpl, v, 0, json, e);
}
static mc_status rd_notifications(mc_store *st, const char *tpl, int64_t v, char **json, mc_err *e)
{
	(void)v;
	return mc_qa_notifications(st, tpl, json, e);
}

/* Staff read of tpl = the path id: the template must exist (404). */
static void tpl_read(srv *s, srv_req *r, srv_reply *out, tpl_reader fn, int officer_only)
{
	mc_qa_actor who;
	int64_t v;
	if ((officer_only ? ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) : staff(s, r, out, &who)) != 0 ||
	    query_version(r, "version", &v, out) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_store_template t = {0};
	mc_status st = mc_store_template_get(st_, r->param[0], v, &t, &e);
	mc_store_template_clear(&t);
	if (st == MC_ERR_MISSING) {
		done(s, w, MC_OK);
		srv_problem(out, 404, "not-found", "no such specification (template id and version)", "id");
		return;
	}
	if (st == MC_OK)
		st = fn(st_, r->param[0], v, &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_invites(srv *s, srv_req *r, srv_reply *out)
{
	tpl_read(s, r, out, rd_invites, 1);
}
void srv_qa_feedback(srv *s, srv_req *r, srv_reply *out)
{
	tpl_read(s, r, out, rd_feedback, 0);
}
void srv_qa_outcomes(srv *s, srv_req *r, srv_reply *out)
{
	tpl_read(s, r, out, rd_outcomes, 0);
}
void srv_qa_notifications(srv *s, srv_req *r, srv_reply *out)
{
	tpl_read(s, r, out, rd_notifications, 1);
}

void srv_qa_feedback_csv(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	int64_t v;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0 || query_version(r, "version", &v, out) != 0)
		return;
	const char *q = srv_query(r, "questionnaire");
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *csv = NULL;
	mc_status st = mc_qa_feedback_csv(st_, q ? q : "learner-default", r->param[0], v, &csv, &e);
	done(s, w, st);
	if (st != MC_OK) {
		lib_reply(out, 200, st, &e, NULL);
		return;
	}
	srv_json_text(out, 200, csv, strlen(csv));
	out->type = "text/csv; charset=utf-8";
	mc_free(csv);
}

/* the invitation token in the path; the form page reads it from the
 * fragment (never sent to servers or logs) and calls these */
void srv_qa_invitation_get(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_invite_get(st_, r->param[0], &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_invitation_answer(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	if (!json_is_object(json_object_get(b, "answers")) || json_object_size(b) != 1) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "send {\"answers\": {question id: answer}}", "$.answers");
		return;
	}
	json_decref(b);
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *id = NULL;
	mc_status st = mc_qa_invite_answer(st_, r->param[0], r->body, &id, &e);
	done(s, w, st);
	if (st == MC_OK)
		srv_json(out, 201, json_pack("{s:s,s:b}", "response", id, "thanks", 1));
	else
		lib_reply(out, 201, st, &e, NULL);
	mc_free(id);
}

/* ---- outcome signals ---------------------------------------------------------------------- */

void srv_qa_employment(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	mc_qa_employment_in in = {.template_id = r->param[0], .in_field = -1};
	int64_t v, months;
	json_t *inf = json_object_get(b, "inField");
	if (int_member(b, "version", 0, INT32_MAX, 0, &v, out) || int_member(b, "monthsAfter", 0, 120, -1, &months, out) ||
	    req_string(b, "status", &in.status, out) || opt_string(b, "credential", &in.credential_id, out)) {
		json_decref(b);
		return;
	}
	if (inf && !json_is_boolean(inf)) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "inField must be a boolean", "$.inField");
		return;
	}
	in.template_version = v;
	in.months_after = (int)months;
	in.in_field = inf ? json_is_true(inf) : -1;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (st_) {
		mc_err e = {0};
		mc_status st = mc_qa_employment_add(st_, &in, &who, &e);
		done(s, w, st);
		lib_reply(out, 201, st, &e, "{\"recorded\":true}");
	}
	json_decref(b);
}

void srv_qa_recognition(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	mc_qa_recognition_in in = {.template_id = r->param[0]};
	int64_t v;
	const char *when;
	if (int_member(b, "version", 0, INT32_MAX, 0, &v, out) || req_string(b, "institution", &in.institution, out) ||
	    req_string(b, "decision", &in.decision, out) || opt_string(b, "country", &in.country, out) ||
	    opt_string(b, "purpose", &in.purpose, out) || opt_string(b, "credential", &in.credential_id, out) ||
	    opt_string(b, "decided", &when, out)) {
		json_decref(b);
		return;
	}
	mc_err e = {0};
	if (when && mc_datetime_parse(when, &in.decided_at) != MC_OK) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "decided is an RFC 3339 date-time", "$.decided");
		return;
	}
	in.template_version = v;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (st_) {
		mc_status st = mc_qa_recognition_add(st_, &in, &who, &e);
		done(s, w, st);
		lib_reply(out, 201, st, &e, "{\"recorded\":true}");
	}
	json_decref(b);
}

/* ---- public QA page ------------------------------------------------------------------------ */

void srv_qa_public(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	/* "-" names the default provider (a store with one institution) */
	const char *prov = strcmp(r->param[0], "-") == 0 ? provider_of(s, NULL) : r->param[0];
	mc_status st = mc_qa_public_page(st_, prov, 0, &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	if (st == MC_OK)
		out->cache = "public, max-age=300";
	mc_free(json);
}

void srv_qa_page(srv *s, srv_req *r, srv_reply *out)
{
	(void)s;
	const char *p = r->rt->pattern;
	const char *file = !strcmp(p, "/qa") ? "qa.html"
	                   : !strcmp(p, "/qa/feedback") ? "qa-feedback.html"
	                   : !strcmp(p, "/qa/public") ? "qa-public.html"
	                                              : "qa-workshop.html";
	const srv_asset *a = srv_asset_find(file);
	if (!a) {
		srv_problem(out, 404, "not-found", "no such page (the portal files are not built in)", NULL);
		return;
	}
	snprintf(out->etag, sizeof out->etag, "\"%s\"", a->etag);
	out->cache = "no-cache";
	out->type = a->type;
	out->status = 200;
	out->body = (char *)a->data;
	out->len = a->len;
	out->body_static = 1;
}

/* ---- notifications: subscribers and outbox --------------------------------------------------- */

void srv_qa_subscribers(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_subscriber_list(st_, &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_subscriber_add(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *id, *kind, *target, *secret;
	if (req_string(b, "id", &id, out) || req_string(b, "kind", &kind, out) || req_string(b, "target", &target, out) ||
	    req_string(b, "secret", &secret, out)) {
		json_decref(b);
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (st_) {
		mc_err e = {0};
		mc_status st = mc_qa_subscriber_add(st_, id, kind, target, secret, &who, &e);
		done(s, w, st);
		if (st != MC_OK && e.path[0] && e.path[0] != '$') {
			char f[sizeof e.path];
			snprintf(f, sizeof f, "%s", e.path);
			snprintf(e.path, sizeof e.path, "$.%.*s", (int)sizeof e.path - 3, f);
		}
		if (st == MC_ERR_IO || st == MC_ERR_INTERNAL)
			srv_problem(out, 409, "conflict", "a subscriber with this id exists already", "$.id");
		else
			lib_reply(out, 201, st, &e, "{\"added\":true}");
	}
	json_decref(b);
}

void srv_qa_subscriber_del(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	mc_status st = mc_qa_subscriber_remove(st_, r->param[0], &who, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, "{\"removed\":true}");
}

void srv_qa_outbox(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_outbox_list(st_, srv_query(r, "template"), &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_outbox_send(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_qa_send_opts o;
	mc_qa_send_stats stats = {0};
	mc_err e = {0};
	notify_opts(&o);
	mc_status st = mc_qa_outbox_send(st_, &o, &stats, &e);
	done(s, w, st);
	if (st == MC_OK)
		srv_json(out, 200, json_pack("{s:I,s:I,s:I,s:I}", "queued", (json_int_t)stats.queued, "delivered",
		                             (json_int_t)stats.delivered, "retry", (json_int_t)stats.retry, "failed",
		                             (json_int_t)stats.failed));
	else
		lib_reply(out, 200, st, &e, NULL);
}

/* ---- maturity workshop ------------------------------------------------------------------------ */

/* The participant is the caller's token name: nobody scores for another. */
static const char *participant_of(const srv_req *r)
{
	const char *c = strchr(r->actor, ':');
	return c ? c + 1 : r->actor;
}

void srv_qa_m_model(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	const char *m = mc_qa_maturity_model();
	srv_json_text(out, 200, m, strlen(m));
}

void srv_qa_m_list(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_maturity_list(st_, srv_query(r, "provider"), &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_m_new(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *title, *prov;
	if (req_string(b, "title", &title, out) || opt_string(b, "provider", &prov, out)) {
		json_decref(b);
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (st_) {
		mc_err e = {0};
		char *id = NULL;
		mc_status st = mc_qa_maturity_new(st_, provider_of(s, prov), title, &who, &id, &e);
		done(s, w, st);
		if (st == MC_OK)
			srv_json(out, 201, json_pack("{s:s}", "id", id));
		else
			lib_reply(out, 201, st, &e, NULL);
		mc_free(id);
	}
	json_decref(b);
}

/* The view for this caller: a participant sees their own first
 * indications only until the discussion; ?facilitator=true (qa-officer)
 * sees all. */
static mc_status m_view(srv *s, srv_req *r, mc_store *st_, char **json, mc_err *e)
{
	const char *f = srv_query(r, "facilitator");
	int fac = f && strcmp(f, "true") == 0 && (qa_roles(s, r) & ROLE_BIT(MC_QA_ROLE_OFFICER));
	return mc_qa_maturity_view(st_, r->param[0], fac ? NULL : participant_of(r), json, e);
}

void srv_qa_m_get(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = m_view(s, r, st_, &json, &e);
	done(s, w, st);
	if (st == MC_OK) {
		json_t *o = json_loads(json, 0, NULL);
		json_object_set_new(o, "viewer", json_string(participant_of(r)));
		srv_json(out, 200, o);
	} else {
		lib_reply(out, 200, st, &e, NULL);
	}
	mc_free(json);
}

void srv_qa_m_canvas(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	int html = strstr(r->rt->pattern, ".html") != NULL;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL, *doc = NULL;
	mc_status st = m_view(s, r, st_, &json, &e);
	done(s, w, st);
	if (st == MC_OK)
		st = html ? mc_qa_maturity_html(json, strlen(json), &doc, &e) : mc_qa_maturity_svg(json, strlen(json), &doc, &e);
	mc_free(json);
	if (st != MC_OK) {
		lib_reply(out, 200, st, &e, NULL);
		return;
	}
	srv_json_text(out, 200, doc, strlen(doc));
	out->type = html ? "text/html; charset=utf-8" : "image/svg+xml";
	mc_free(doc);
}

void srv_qa_m_score(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *q, *colour, *note;
	mc_qa_colour c;
	if (req_string(b, "question", &q, out) || req_string(b, "colour", &colour, out) ||
	    opt_string(b, "note", &note, out)) {
		json_decref(b);
		return;
	}
	if (mc_qa_colour_parse(colour, &c) != MC_OK) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "colour is green, yellow or red", "$.colour");
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (st_) {
		mc_err e = {0};
		mc_status st = mc_qa_maturity_score(st_, r->param[0], participant_of(r), q, c, note, &e);
		done(s, w, st);
		if (st == MC_ERR_VALUE && strcmp(e.path, "question") == 0)
			snprintf(e.path, sizeof e.path, "$.question");
		lib_reply(out, 200, st, &e, "{\"scored\":true}");
	}
	json_decref(b);
}

void srv_qa_m_stage(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (ACT_AS(s, r, out, &who, MC_QA_ROLE_OFFICER) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *stage;
	if (req_string(b, "stage", &stage, out)) {
		json_decref(b);
		return;
	}
	int to = !strcmp(stage, "discussion") ? MC_QA_STAGE_DISCUSSION : !strcmp(stage, "closed") ? MC_QA_STAGE_CLOSED : -1;
	json_decref(b);
	if (to < 0) {
		srv_problem(out, 400, "bad-field", "stage is discussion or closed", "$.stage");
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	mc_status st = mc_qa_maturity_stage(st_, r->param[0], (mc_qa_stage)to, &who, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, "{\"staged\":true}");
}

void srv_qa_m_action(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *q, *text, *owner;
	if (req_string(b, "text", &text, out) || opt_string(b, "question", &q, out) || opt_string(b, "owner", &owner, out)) {
		json_decref(b);
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (st_) {
		mc_err e = {0};
		mc_status st = mc_qa_maturity_action(st_, r->param[0], q, text, owner, &e);
		done(s, w, st);
		lib_reply(out, 201, st, &e, "{\"recorded\":true}");
	}
	json_decref(b);
}

void srv_qa_m_proposals(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_maturity_propose(st_, provider_of(s, srv_query(r, "provider")), &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

void srv_qa_m_compare(srv *s, srv_req *r, srv_reply *out)
{
	mc_qa_actor who;
	if (staff(s, r, out, &who) != 0)
		return;
	const char *older = srv_query(r, "older"), *newer = srv_query(r, "newer");
	if (!older || !newer) {
		srv_problem(out, 400, "bad-field", "name both sessions: ?older=ID&newer=ID", !older ? "older" : "newer");
		return;
	}
	srv_worker *w;
	mc_store *st_ = store_of(s, out, &w);
	if (!st_)
		return;
	mc_err e = {0};
	char *json = NULL;
	mc_status st = mc_qa_maturity_compare(st_, older, newer, &json, &e);
	done(s, w, st);
	lib_reply(out, 200, st, &e, json);
	mc_free(json);
}

