/*
 * lifecycle.c - a specification version from draft to retirement: formal
 * checks at submission, the approval chain step by step, publication with
 * a review due date, reviews, modification into a new version (substantial
 * changes go back through the chain), retirement with notification
 * records. Each step is one atomic section that also writes its history
 * row (qa_events) and audit entry, so a decision is recorded completely or
 * not at all.
 *
 * The QA state sits in qa_specs beside the template; the template's own
 * state (draft/published/retired) is moved with it, since the issuer
 * service reads only that.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "qa/qa_internal.h"

#define DAY 86400

static const char *const state_names[] = {"draft",   "submitted", "approved", "published", "under-review",
                                          "modified", "retired",   "rejected", "superseded"};
#define NSTATES 9

const char *mc_qa_state_name(mc_qa_state st)
{
	return (unsigned)st < NSTATES ? state_names[st] : "unknown";
}

mc_status mc_qa_decision_parse(const char *s, mc_qa_decision *out)
{
	static const char *const names[] = {"approve", "reject", "request-changes"};
	for (int i = 0; s && out && i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (mc_qa_decision)i;
			return MC_OK;
		}
	return MC_ERR_VALUE;
}

/* ---- formal checks ------------------------------------------------------ */

#define CK_WORKLOAD "workload"
#define CK_OUTCOMES "learning-outcomes"
#define CK_ASSESSMENT "assessment"

static size_t words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; *s; s++) {
		bool sp = isspace((unsigned char)*s) != 0;
		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

/* The shortest text of an outcome item (a string, a language map, or
 * {"text": ...}); SIZE_MAX when it has none. */
static size_t outcome_words(const cJSON *item)
{
	if (cJSON_IsObject(item) && mc__json_get(item, "text"))
		item = mc__json_get(item, "text");
	if (cJSON_IsString(item))
		return words(item->valuestring);
	size_t least = SIZE_MAX;
	const cJSON *map = cJSON_IsObject(item) ? item : NULL, *l;
	cJSON_ArrayForEach(l, map)
	{
		size_t w = cJSON_IsString(l) ? words(l->valuestring) : 0;
		if (w < least)
			least = w;
	}
	return least;
}

static void check_workload(mc_report *r, const cJSON *a, mc_status *st)
{
	const cJSON *ects = mc__json_get(a, "ects"), *hours = mc__json_get(a, "workloadHours");
	mc_status s = MC_OK;
	if (!cJSON_IsNumber(ects) || !(ects->valuedouble > 0))
		s = mc__report_add(r, CK_WORKLOAD, MC_SKIP, MC_OK, "$.ects", "no valid ECTS value to compare with");
	else if (!cJSON_IsNumber(hours))
		s = mc__report_add(r, CK_WORKLOAD, MC_WARN, MC_ERR_MISSING, "$.workloadHours",
		                   "workloadHours is not stated, so the ECTS value cannot be checked against it");
	else {
		double lo = ects->valuedouble * MC_QA_HOURS_PER_ECTS_MIN, hi = ects->valuedouble * MC_QA_HOURS_PER_ECTS_MAX;
		double h = hours->valuedouble;
		if (h >= lo && h <= hi)
			s = mc__report_add(r, CK_WORKLOAD, MC_PASS, MC_OK, "$.workloadHours",
			                   "%g hours fit %g ECTS (%d-%d hours per credit)", h, ects->valuedouble,
			                   MC_QA_HOURS_PER_ECTS_MIN, MC_QA_HOURS_PER_ECTS_MAX);
		else
			s = mc__report_add(r, CK_WORKLOAD, MC_FAIL, MC_ERR_VALUE, "$.workloadHours",
			                   "%g ECTS stand for %g to %g hours of learning (%d-%d per credit); %g are stated",
			                   ects->valuedouble, lo, hi, MC_QA_HOURS_PER_ECTS_MIN, MC_QA_HOURS_PER_ECTS_MAX, h);
	}
	if (s != MC_OK)
		*st = s;
}

static void check_outcomes(mc_report *r, const cJSON *a, mc_status *st)
{
	const cJSON *lo = mc__json_get(a, "learningOutcomes");
	mc_status s = MC_OK;
	int n = cJSON_IsArray(lo) ? cJSON_GetArraySize(lo) : 0;
	if (n == 0) {
		s = mc__report_add(r, CK_OUTCOMES, MC_FAIL, MC_ERR_MISSING, "$.learningOutcomes",
		                   "no learning outcomes are written");
	} else {
		int i = 0, bad = 0;
		const cJSON *item;
		cJSON_ArrayForEach(item, lo)
		{
			char p[MC_ERR_PATH_MAX];
			mc__path_index(p, sizeof p, "$.learningOutcomes", (size_t)i++);
			size_t w = outcome_words(item);
			if (w == SIZE_MAX || w < MC_QA_OUTCOME_MIN_WORDS) {
				bad++;
				s = mc__report_add(r, CK_OUTCOMES, MC_FAIL, MC_ERR_VALUE, p,
				                   "a learning outcome is a statement of at least %d words of what the learner "
				                   "can do (\"Analyse open data sets with spreadsheets\")",
				                   MC_QA_OUTCOME_MIN_WORDS);
				if (s != MC_OK)
					break;
			}
		}
		if (!bad && s == MC_OK)
			s = mc__report_add(r, CK_OUTCOMES, MC_PASS, MC_OK, "$.learningOutcomes",
			                   "%d learning outcome(s) written as statements", n);
	}
	if (s != MC_OK)
		*st = s;
}

static void check_assessment(mc_report *r, const cJSON *a, mc_status *st)
{
	const cJSON *as = mc__json_get(a, "assessment");
	const cJSON *type = mc__json_get(as, "type");
	mc_status s;
	if (!cJSON_IsString(type) || !type->valuestring[0])
		s = mc__report_add(r, CK_ASSESSMENT, MC_FAIL, MC_ERR_MISSING, "$.assessment.type",
		                   "the assessment method is not named");
	else if (!mc__json_get(as, "description"))
		s = mc__report_add(r, CK_ASSESSMENT, MC_WARN, MC_ERR_MISSING, "$.assessment.description",
		                   "assessment \"%s\" is named but not described: say how each outcome is assessed",
		                   type->valuestring);
	else
		s = mc__report_add(r, CK_ASSESSMENT, MC_PASS, MC_OK, "$.assessment", "assessment named and described (%s)",
		                   type->valuestring);
	if (s != MC_OK)
		*st = s;
}

mc_status qa__formal_checks(const char *json, mc_report **out, mc_err *err)
{
	*out = NULL;
	cJSON *a = NULL;
	MC__CHECK(mc__json_load(json, strlen(json), &a, err));
	mc_report *r = mc__report_new();
	if (!r) {
		cJSON_Delete(a);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	mc_status st = MC_OK;
	if (!cJSON_IsObject(a)) {
		st = mc__report_add(r, MC__CHECK_EU, MC_FAIL, MC_ERR_TYPE, "achievement: $",
		                    "the specification is not a JSON object");
	} else {
		mc__model m;
		mc__model_init(&m);
		size_t before = mc_report_count(r);
		mc__model_read_achievement(&m, a, r, &st);
		mc__model_release(&m);
		if (st == MC_OK && mc_report_count(r) == before)
			st = mc__report_add(r, MC__CHECK_EU, MC_PASS, MC_OK, "achievement: $",
			                    "every EU mandatory element of the specification is present and valid");
		check_workload(r, a, &st);
		check_outcomes(r, a, &st);
		check_assessment(r, a, &st);
	}
	cJSON_Delete(a);
	if (st != MC_OK) {
		mc_report_free(r);
		return mc__fail(err, st, NULL, "formal checks: %s", mc_strerror(st));
	}
	*out = r;
	return MC_OK;
}

/* ---- the qa_specs row --------------------------------------------------- */

typedef struct spec {
	bool found;
	char *provider;
	int state;
	char *chain;
	int64_t step, round;
	char *checks, *reapproval;
	int64_t submitted, approved, published, retired, review_due, updated;
} spec;

static void spec_clear(spec *p)
{
	free(p->provider);
	free(p->chain);
	free(p->checks);
	free(p->reapproval);
	memset(p, 0, sizeof *p);
}

#define SPEC_COLS                                                                                      \
	"provider, state, chain, step, round, checks, reapproval, submitted_at, approved_at, published_at, " \
	"retired_at, review_due, updated"

static mc_status row_spec(void *ctx, const mc__val *c, int n)
{
	spec *p = ctx;
	if (n != 13)
		return MC_ERR_INTERNAL;
	spec_clear(p);
	p->found = true;
	p->state = mc__name_index(&c[1], state_names, NSTATES);
	if (p->state < 0)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&p->provider, &c[0]) || !mc__col_str(&p->chain, &c[2]) || !mc__col_str(&p->checks, &c[5]) ||
	    !mc__col_str(&p->reapproval, &c[6]))
		return MC_ERR_NOMEM;
	p->step = mc__col_int(&c[3], 0);
	p->round = mc__col_int(&c[4], 0);
	p->submitted = mc__col_int(&c[7], 0);
	p->approved = mc__col_int(&c[8], 0);
	p->published = mc__col_int(&c[9], 0);
	p->retired = mc__col_int(&c[10], 0);
	p->review_due = mc__col_int(&c[11], 0);
	p->updated = mc__col_int(&c[12], 0);
	return MC_OK;
}

/* The QA record of (tpl, version); without one, the state its template
 * implies. MC_ERR_MISSING when the template version does not exist. */
static mc_status load(mc_store *s, const char *tpl, int64_t version, spec *out, mc_err *err)
{
	memset(out, 0, sizeof *out);
	mc__val p[2] = {mc__v_text(tpl), mc__v_int(version)};
	mc_status st = mc__store_exec(s, "qa", "SELECT " SPEC_COLS " FROM qa_specs WHERE template_id = $1 AND template_version = $2",
	                              p, 2, row_spec, out, NULL, err);
	if (st != MC_OK || out->found)
		return st;
	mc_store_template t = {0};
	st = mc__template_get(s, tpl, version, &t, err);
	if (st == MC_OK)
		out->state = t.state == MC_TEMPLATE_PUBLISHED ? MC_QA_PUBLISHED
		             : t.state == MC_TEMPLATE_RETIRED ? MC_QA_RETIRED
		                                              : MC_QA_DRAFT;
	mc_store_template_clear(&t);
	return st;
}

/* Write the row's mutable columns (insert when new: a template QA never
 * saw, provider "" = the default configuration). */
static mc_status save(mc_store *s, const char *tpl, int64_t version, const spec *p, mc_err *err)
{
	mc__val v[15] = {mc__v_text(tpl),           mc__v_int(version),        mc__v_text(p->provider ? p->provider : ""),
	                 mc__v_text(state_names[p->state]), mc__v_text(p->chain), mc__v_int(p->step),
	                 mc__v_int(p->round),       mc__v_text(p->checks),     mc__v_text(p->reapproval),
	                 mc__v_int(p->submitted),   mc__v_int(p->approved),    mc__v_int(p->published),
	                 mc__v_int(p->retired),     mc__v_int(p->review_due),  mc__v_int(mc__time_now())};
	/* 0 stands for "not yet": store NULL */
	for (int i = 9; i < 14; i++)
		if (v[i].i == 0)
			v[i] = mc__v_text(NULL);
	return mc__store_exec(
		s, "qa",
		"INSERT INTO qa_specs (template_id, template_version, " SPEC_COLS ") "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
		"ON CONFLICT (template_id, template_version) DO UPDATE SET provider = excluded.provider, "
		"state = excluded.state, chain = excluded.chain, step = excluded.step, round = excluded.round, "
		"checks = excluded.checks, reapproval = excluded.reapproval, submitted_at = excluded.submitted_at, "
		"approved_at = excluded.approved_at, published_at = excluded.published_at, retired_at = excluded.retired_at, "
		"review_due = excluded.review_due, updated = excluded.updated",
		v, 15, NULL, NULL, NULL, err);
}

/* One history row and one audit entry for a lifecycle step. */
static mc_status record(mc_store *s, const char *tpl, int64_t version, const spec *p, const char *action,
                        const char *step_id, const char *decision, const char *comment, const mc_qa_actor *who,
                        mc_err *err)
{
	mc__val v[10] = {mc__v_text(tpl),      mc__v_int(version),   mc__v_int(p->round),
	                 mc__v_text(action),   mc__v_text(step_id),  mc__v_text(decision),
	                 mc__v_text(who->id),  mc__v_text(mc_qa_role_name(who->role)), mc__v_text(comment),
	                 mc__v_int(mc__time_now())};
	MC__CHECK(mc__store_exec(s, "qa",
	                     "INSERT INTO qa_events (template_id, template_version, round, action, step_id, decision, "
	                     "actor, role, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	                     v, 10, NULL, NULL, NULL, err));
	qa__js j = {false};
	cJSON *d = cJSON_CreateObject();
	qa__num(&j, d, "version", (double)version);
	qa__str(&j, d, "state", state_names[p->state]);
	if (step_id)
		qa__str(&j, d, "step", step_id);
	if (decision)
		qa__str(&j, d, "decision", decision);
	if (j.nomem || !d) {
		cJSON_Delete(d);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	char action_name[64];
	snprintf(action_name, sizeof action_name, "qa.%s", action);
	return qa__audit(s, who, action_name, tpl, d, err);
}

static mc_status conflict(mc_err *err, const char *op, const char *tpl, int64_t version, int state,
                          const char *allowed)
{
	return mc__fail(err, MC_ERR_VALUE, "state",
	                "qa %s: conflict: version %lld of '%.200s' is %s; %s needs %s", op, (long long)version, tpl,
	                state_names[state], op, allowed);
}

static mc_status need_role(mc_err *err, const char *op, const mc_qa_actor *who, mc_qa_role a, int b)
{
	if (who->role == a || (b >= 0 && who->role == (mc_qa_role)b))
		return MC_OK;
	return mc__fail(err, MC_ERR_VALUE, "actor.role", "qa %s: a %s cannot do this; it needs a %s%s%s", op,
	                mc_qa_role_name(who->role), mc_qa_role_name(a), b >= 0 ? " or a " : "",
	                b >= 0 ? mc_qa_role_name((mc_qa_role)b) : "");
}

static mc_status common_args(mc_store *s, const char *tpl, int64_t version, bool need_actor, const mc_qa_actor *who,
                              mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	MC__CHECK(qa__id(err, tpl, "template"));
	if (version < 1)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 1");
	return need_actor ? qa__actor(err, who) : MC_OK;
}

mc_status mc_qa_state_get(mc_store *s, const char *tpl, int64_t version, mc_qa_state *out, mc_err *err)
{
	MC__CHECK(common_args(s, tpl, version, false, NULL, err));
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	spec p;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK)
		*out = (mc_qa_state)p.state;
	spec_clear(&p);
	return st;
}

/* ---- submit --------------------------------------------------------------- */

static mc_status submit_in(mc_store *s, const char *provider, const char *tpl, int64_t version,
                           const mc_qa_actor *who, mc_report **checks, mc_err *err)
{
	spec p;
	qa__config cfg = {0};
	char *json = NULL, *report = NULL;
	mc_report *rep = NULL;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != MC_QA_DRAFT)
		st = conflict(err, "submit", tpl, version, p.state, "a draft");
	if (st == MC_OK)
		st = need_role(err, "submit", who, MC_QA_ROLE_PROPOSER, -1);
	if (st == MC_OK)
		st = qa__config_load(s, provider, &cfg, err);
	if (st == MC_OK)
		st = qa__template_json(s, tpl, version, NULL, &json, err);
	if (st == MC_OK)
		st = qa__formal_checks(json, &rep, err);
	if (st == MC_OK && mc_report_json(rep, &report) != MC_OK)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK && !mc_report_ok(rep)) {
		st = mc__report_first(rep, err, MC_ERR_INVALID);
	} else if (st == MC_OK) {
		char *chain = mc__json_print(cfg.chain, 0);
		if (!chain)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		free(p.provider);
		p.provider = provider ? strdup(provider) : NULL;
		free(p.chain);
		p.chain = chain;
		free(p.checks);
		p.checks = report;
		report = NULL;
		p.state = MC_QA_SUBMITTED;
		p.step = 0;
		p.round++;
		p.submitted = mc__time_now();
		p.approved = 0;
		if (st == MC_OK && provider && !p.provider)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		if (st == MC_OK)
			st = save(s, tpl, version, &p, err);
		if (st == MC_OK)
			st = record(s, tpl, version, &p, "submit", NULL, NULL, NULL, who, err);
	}
	if (checks)
		*checks = rep;
	else
		mc_report_free(rep);
	free(report);
	free(json);
	qa__config_release(&cfg);
	spec_clear(&p);
	return st;
}

mc_status mc_qa_submit(mc_store *s, const char *provider, const char *tpl, int64_t version, const mc_qa_actor *who,
                       mc_report **checks, mc_err *err)
{
	if (checks)
		*checks = NULL;
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	if (provider && *provider)
		MC__CHECK(qa__id(err, provider, "provider"));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, submit_in(s, provider, tpl, version, who, checks, err), err);
}

/* ---- decide ----------------------------------------------------------------- */

static const char *step_member(const cJSON *step, const char *key)
{
	const cJSON *v = mc__json_get(step, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static mc_status decide_in(mc_store *s, const char *tpl, int64_t version, const char *step_id, mc_qa_decision d,
                           const char *comment, const mc_qa_actor *who, mc_err *err)
{
	static const char *const dnames[] = {"approve", "reject", "request-changes"};
	spec p;
	cJSON *chain = NULL;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != MC_QA_SUBMITTED)
		st = conflict(err, "decide", tpl, version, p.state, "a submitted version in the approval chain");
	if (st == MC_OK && (!p.chain || mc__json_load(p.chain, strlen(p.chain), &chain, err) != MC_OK))
		st = mc__fail(err, MC_ERR_INTERNAL, NULL, "qa decide: the stored approval chain is unreadable");
	const cJSON *cur = st == MC_OK ? cJSON_GetArrayItem(chain, (int)p.step) : NULL;
	if (st == MC_OK && !cur)
		st = mc__fail(err, MC_ERR_INTERNAL, NULL, "qa decide: pending step %lld is outside the chain",
		              (long long)p.step);
	if (st == MC_OK && strcmp(step_member(cur, "id"), step_id) != 0) {
		bool known = false;
		const cJSON *e;
		cJSON_ArrayForEach(e, chain) known = known || strcmp(step_member(e, "id"), step_id) == 0;
		st = known ? mc__fail(err, MC_ERR_VALUE, "step",
		                      "qa decide: conflict: out of order: the pending step is '%s' (%s), not '%.64s'",
		                      step_member(cur, "id"), step_member(cur, "name"), step_id)
		           : mc__fail(err, MC_ERR_VALUE, "step", "qa decide: the approval chain has no step '%.64s'",
		                      step_id);
	}
	mc_qa_role need;
	if (st == MC_OK && mc_qa_role_parse(step_member(cur, "role"), &need) != MC_OK)
		st = mc__fail(err, MC_ERR_INTERNAL, NULL, "qa decide: the stored step has no valid role");
	if (st == MC_OK)
		st = need_role(err, "decide", who, need, -1);
	if (st == MC_OK) {
		int n = cJSON_GetArraySize(chain);
		if (d == MC_QA_APPROVE) {
			p.step++;
			if (p.step >= n) {
				p.state = MC_QA_APPROVED;
				p.approved = mc__time_now();
			}
		} else if (d == MC_QA_REJECT) {
			p.state = MC_QA_REJECTED;
			/* frozen: an edit after a rejection starts a new version */
			st = mc__template_set_state(s, tpl, version, MC_TEMPLATE_RETIRED, err);
		} else {
			p.state = MC_QA_DRAFT;
			p.step = 0;
		}
	}
	if (st == MC_OK)
		st = save(s, tpl, version, &p, err);
	if (st == MC_OK)
		st = record(s, tpl, version, &p, "decide", step_id, dnames[d], comment, who, err);
	cJSON_Delete(chain);
	spec_clear(&p);
	return st;
}

mc_status mc_qa_decide(mc_store *s, const char *tpl, int64_t version, const char *step_id, mc_qa_decision d,
                       const char *comment, const mc_qa_actor *who, mc_err *err)
{
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	if (!qa__short_id(step_id))
		return mc__fail(err, MC_ERR_ARG, "step", "step must be a step id of the approval chain");
	if ((unsigned)d > MC_QA_REQUEST_CHANGES)
		return mc__fail(err, MC_ERR_ARG, "decision", "unknown decision %d", (int)d);
	MC__CHECK(qa__text(err, comment, "comment", true));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, decide_in(s, tpl, version, step_id, d, comment, who, err), err);
}

/* ---- publish, review ------------------------------------------------------------ */

static mc_status review_days(mc_store *s, const spec *p, int *days, mc_err *err)
{
	qa__config cfg;
	MC__CHECK(qa__config_load(s, p->provider, &cfg, err));
	*days = cfg.review_days;
	qa__config_release(&cfg);
	return MC_OK;
}

typedef struct vlist {
	int64_t v[64];
	size_t n;
	bool more;
} vlist;

static mc_status row_version(void *ctx, const mc__val *c, int n)
{
	vlist *l = ctx;
	if (n < 1)
		return MC_ERR_INTERNAL;
	if (l->n < sizeof l->v / sizeof *l->v)
		l->v[l->n++] = mc__col_int(&c[0], 0);
	else
		l->more = true;
	return MC_OK;
}

/* Other published versions of tpl become superseded: one specification
 * has one version in the catalogue. */
static mc_status supersede(mc_store *s, const char *tpl, int64_t keep, const mc_qa_actor *who, mc_err *err)
{
	mc_status st;
	do {
		vlist l = {{0}, 0, false};
		mc__val p[2] = {mc__v_text(tpl), mc__v_int(keep)};
		MC__CHECK(mc__store_exec(s, "qa_publish",
		                     "SELECT version FROM templates WHERE id = $1 AND version <> $2 AND state = 'published' "
		                     "ORDER BY version",
		                     p, 2, row_version, &l, NULL, err));
		st = MC_OK;
		for (size_t i = 0; i < l.n && st == MC_OK; i++) {
			spec o;
			st = load(s, tpl, l.v[i], &o, err);
			if (st == MC_OK) {
				o.state = MC_QA_SUPERSEDED;
				st = mc__template_set_state(s, tpl, l.v[i], MC_TEMPLATE_RETIRED, err);
			}
			if (st == MC_OK)
				st = save(s, tpl, l.v[i], &o, err);
			if (st == MC_OK)
				st = record(s, tpl, l.v[i], &o, "supersede", NULL, NULL, NULL, who, err);
			spec_clear(&o);
		}
		if (st != MC_OK || !l.more)
			break;
	} while (1);
	return st;
}

static mc_status publish_in(mc_store *s, const char *tpl, int64_t version, const mc_qa_actor *who, mc_err *err)
{
	spec p;
	int days = 0;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != MC_QA_APPROVED && p.state != MC_QA_MODIFIED)
		st = conflict(err, "publish", tpl, version, p.state, "an approved or modified version");
	if (st == MC_OK)
		st = need_role(err, "publish", who, MC_QA_ROLE_OFFICER, -1);
	if (st == MC_OK)
		st = review_days(s, &p, &days, err);
	if (st == MC_OK)
		st = mc__template_set_state(s, tpl, version, MC_TEMPLATE_PUBLISHED, err);
	if (st == MC_OK) {
		p.state = MC_QA_PUBLISHED;
		p.published = mc__time_now();
		p.review_due = p.published + (int64_t)days * DAY;
		st = save(s, tpl, version, &p, err);
	}
	if (st == MC_OK)
		st = record(s, tpl, version, &p, "publish", NULL, NULL, NULL, who, err);
	if (st == MC_OK)
		st = supersede(s, tpl, version, who, err);
	spec_clear(&p);
	return st;
}

mc_status mc_qa_publish(mc_store *s, const char *tpl, int64_t version, const mc_qa_actor *who, mc_err *err)
{
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, publish_in(s, tpl, version, who, err), err);
}

static mc_status review_in(mc_store *s, const char *tpl, int64_t version, bool start, const char *comment,
                           const mc_qa_actor *who, mc_err *err)
{
	spec p;
	int days = 0;
	const char *op = start ? "review start" : "review close";
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != (start ? MC_QA_PUBLISHED : MC_QA_UNDER_REVIEW))
		st = conflict(err, op, tpl, version, p.state, start ? "a published version" : "a version under review");
	if (st == MC_OK)
		st = need_role(err, op, who, MC_QA_ROLE_OFFICER, -1);
	if (st == MC_OK && !start)
		st = review_days(s, &p, &days, err);
	if (st == MC_OK) {
		p.state = start ? MC_QA_UNDER_REVIEW : MC_QA_PUBLISHED;
		if (!start)
			p.review_due = mc__time_now() + (int64_t)days * DAY;
		st = save(s, tpl, version, &p, err);
	}
	if (st == MC_OK)
		st = record(s, tpl, version, &p, start ? "review-start" : "review-close", NULL, NULL, comment, who, err);
	spec_clear(&p);
	return st;
}

mc_status mc_qa_review_start(mc_store *s, const char *tpl, int64_t version, const char *reason,
                             const mc_qa_actor *who, mc_err *err)
{
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	MC__CHECK(qa__text(err, reason, "reason", true));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, review_in(s, tpl, version, true, reason, who, err), err);
}

mc_status mc_qa_review_close(mc_store *s, const char *tpl, int64_t version, const char *comment,
                             const mc_qa_actor *who, mc_err *err)
{
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	MC__CHECK(qa__text(err, comment, "comment", true));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, review_in(s, tpl, version, false, comment, who, err), err);
}

static mc_status schedule_in(mc_store *s, const char *tpl, int64_t version, int64_t due, const mc_qa_actor *who,
                             mc_err *err)
{
	spec p;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != MC_QA_PUBLISHED && p.state != MC_QA_UNDER_REVIEW)
		st = conflict(err, "review schedule", tpl, version, p.state, "a published version or one under review");
	if (st == MC_OK)
		st = need_role(err, "review schedule", who, MC_QA_ROLE_OFFICER, -1);
	if (st == MC_OK) {
		p.review_due = due;
		st = save(s, tpl, version, &p, err);
	}
	char when[32];
	mc__time_format(due, when);
	if (st == MC_OK)
		st = record(s, tpl, version, &p, "review-schedule", NULL, NULL, when, who, err);
	spec_clear(&p);
	return st;
}

mc_status mc_qa_review_schedule(mc_store *s, const char *tpl, int64_t version, int64_t due, const mc_qa_actor *who,
                                mc_err *err)
{
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	if (due <= 0)
		return mc__fail(err, MC_ERR_ARG, "due", "due must be a time after 1970");
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, schedule_in(s, tpl, version, due, who, err), err);
}

/* ---- modify ------------------------------------------------------------------------ */

static bool listed(const cJSON *arr, const char *name)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) if (cJSON_IsString(e) && strcmp(e->valuestring, name) == 0) return true;
	return false;
}

/* Members of a and b that differ (present in one only, or unequal). */
static mc_status diff(const cJSON *a, const cJSON *b, const cJSON *substantial, cJSON *changed, cJSON *subst)
{
	const cJSON *pair[2] = {a, b};
	for (int k = 0; k < 2; k++) {
		const cJSON *m;
		cJSON_ArrayForEach(m, pair[k])
		{
			const cJSON *o = mc__json_get(pair[1 - k], m->string);
			if (k == 1 && o)
				continue; /* seen from a */
			if (o && cJSON_Compare(m, o, true))
				continue;
			cJSON *n1 = cJSON_CreateString(m->string);
			if (!n1 || !cJSON_AddItemToArray(changed, n1))
				return cJSON_Delete(n1), MC_ERR_NOMEM;
			if (listed(substantial, m->string)) {
				cJSON *n2 = cJSON_CreateString(m->string);
				if (!n2 || !cJSON_AddItemToArray(subst, n2))
					return cJSON_Delete(n2), MC_ERR_NOMEM;
			}
		}
	}
	return MC_OK;
}

static mc_status modify_in(mc_store *s, const char *tpl, int64_t version, const char *json, const mc_qa_actor *who,
                           mc_qa_modify_result *out, mc_err *err)
{
	spec p, np;
	memset(&np, 0, sizeof np);
	qa__config cfg = {0};
	char *old = NULL;
	cJSON *a = NULL, *b = NULL, *changed = cJSON_CreateArray(), *subst = cJSON_CreateArray();
	mc_report *rep = NULL;
	int64_t latest = 0;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != MC_QA_PUBLISHED && p.state != MC_QA_UNDER_REVIEW)
		st = conflict(err, "modify", tpl, version, p.state, "a published version or one under review");
	if (st == MC_OK)
		st = need_role(err, "modify", who, MC_QA_ROLE_PROPOSER, MC_QA_ROLE_OFFICER);
	if (st == MC_OK)
		st = qa__template_json(s, tpl, 0, &latest, &old, err);
	if (st == MC_OK && latest != version)
		st = mc__fail(err, MC_ERR_VALUE, "version",
		              "qa modify: conflict: version %lld of '%.200s' is pending; modify that one instead",
		              (long long)latest, tpl);
	free(old);
	old = NULL;
	if (st == MC_OK)
		st = qa__template_json(s, tpl, version, NULL, &old, err);
	if (st == MC_OK)
		st = mc__json_load(old, strlen(old), &a, err);
	if (st == MC_OK)
		st = mc__json_load(json, strlen(json), &b, err);
	if (st == MC_OK)
		st = qa__config_load(s, p.provider, &cfg, err);
	if (st == MC_OK && (!changed || !subst || diff(a, b, cfg.substantial, changed, subst) != MC_OK))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK && cJSON_GetArraySize(changed) == 0)
		st = mc__fail(err, MC_ERR_VALUE, "json", "qa modify: nothing changed");
	bool reapproval = st == MC_OK && cJSON_GetArraySize(subst) > 0;
	if (st == MC_OK && !reapproval) {
		/* no approval body looks at a minor change: the formal checks must
		 * still hold for what will be published */
		st = qa__formal_checks(json, &rep, err);
		if (st == MC_OK && !mc_report_ok(rep))
			st = mc__report_first(rep, err, MC_ERR_INVALID);
		if (st == MC_OK && mc_report_json(rep, &np.checks) != MC_OK)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	if (st == MC_OK)
		st = mc__template_save(s, tpl, json, &out->version, err);
	if (st == MC_OK) {
		out->reapproval = reapproval;
		out->changed = mc__json_print(changed, 0);
		out->substantial = mc__json_print(subst, 0);
		np.provider = p.provider ? strdup(p.provider) : NULL;
		np.reapproval = reapproval ? mc__json_print(subst, 0) : NULL;
		if (!out->changed || !out->substantial || (p.provider && !np.provider) || (reapproval && !np.reapproval))
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		np.state = reapproval ? MC_QA_DRAFT : MC_QA_MODIFIED;
		np.found = true;
	}
	if (st == MC_OK)
		st = save(s, tpl, out->version, &np, err);
	if (st == MC_OK)
		st = record(s, tpl, version, &p, "modify", NULL, reapproval ? "substantial" : "minor", out->changed, who,
		            err);
	if (st == MC_OK)
		st = record(s, tpl, out->version, &np, "modified-from", NULL, reapproval ? "substantial" : "minor",
		            out->changed, who, err);
	mc_report_free(rep);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(changed);
	cJSON_Delete(subst);
	free(old);
	qa__config_release(&cfg);
	spec_clear(&p);
	spec_clear(&np);
	return st;
}

mc_status mc_qa_modify(mc_store *s, const char *tpl, int64_t version, const char *json, const mc_qa_actor *who,
                       mc_qa_modify_result *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	MC__CHECK(mc__check_json_object(err, json, "json"));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	mc_status st = mc__store_atomic_end(s, modify_in(s, tpl, version, json, who, out, err), err);
	if (st != MC_OK)
		mc_qa_modify_result_clear(out);
	return st;
}

void mc_qa_modify_result_clear(mc_qa_modify_result *r)
{
	if (!r)
		return;
	free(r->changed);
	free(r->substantial);
	memset(r, 0, sizeof *r);
}

/* ---- retire ------------------------------------------------------------------------- */

static mc_status retire_in(mc_store *s, const char *tpl, int64_t version, const char *reason,
                           const mc_qa_actor *who, size_t *notified, mc_err *err)
{
	spec p;
	int64_t n = 0;
	mc_status st = load(s, tpl, version, &p, err);
	if (st == MC_OK && p.state != MC_QA_PUBLISHED && p.state != MC_QA_UNDER_REVIEW && p.state != MC_QA_APPROVED &&
	    p.state != MC_QA_MODIFIED)
		st = conflict(err, "retire", tpl, version, p.state, "a published, under-review, approved or modified version");
	if (st == MC_OK)
		st = need_role(err, "retire", who, MC_QA_ROLE_OFFICER, -1);
	if (st == MC_OK)
		st = mc__template_set_state(s, tpl, version, MC_TEMPLATE_RETIRED, err);
	if (st == MC_OK) {
		p.state = MC_QA_RETIRED;
		p.retired = mc__time_now();
		st = save(s, tpl, version, &p, err);
	}
	if (st == MC_OK) {
		/* everyone who holds the specification, whatever the version: the
		 * catalogue stops offering it, and holders and the systems that
		 * accepted it are told their credential stays valid */
		mc__val v[3] = {mc__v_text(tpl), mc__v_int(version), mc__v_int(mc__time_now())};
		st = mc__store_exec(s, "qa_retire",
		                    "INSERT INTO qa_notifications (template_id, template_version, credential_id, learner_id, "
		                    "kind, created) SELECT $1, $2, id, learner_id, 'retirement', $3 FROM credentials "
		                    "WHERE template_id = $1 AND state <> 'revoked' "
		                    "ON CONFLICT (template_id, template_version, credential_id) DO NOTHING",
		                    v, 3, NULL, NULL, &n, err);
	}
	if (st == MC_OK)
		st = record(s, tpl, version, &p, "retire", NULL, NULL, reason, who, err);
	if (st == MC_OK && notified)
		*notified = (size_t)n;
	spec_clear(&p);
	return st;
}

mc_status mc_qa_retire(mc_store *s, const char *tpl, int64_t version, const char *reason, const mc_qa_actor *who,
                       size_t *notified, mc_err *err)
{
	if (notified)
		*notified = 0;
	MC__CHECK(common_args(s, tpl, version, true, who, err));
	MC__CHECK(qa__text(err, reason, "reason", true));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, retire_in(s, tpl, version, reason, who, notified, err), err);
}

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct events_ctx {
	qa__js *j;
	cJSON *arr;
} events_ctx;

static mc_status row_event(void *ctx, const mc__val *c, int n)
{
	events_ctx *e = ctx;
	if (n != 8)
		return MC_ERR_INTERNAL;
	cJSON *o = qa__obj(e->j, e->arr, NULL);
	static const char *const keys[] = {"action", "step", "decision", "actor", "role", "comment"};
	for (int i = 0; i < 6; i++) {
		char *v = NULL;
		if (!mc__col_str(&v, &c[i + 1]))
			return MC_ERR_NOMEM;
		qa__str(e->j, o, keys[i], v);
		free(v);
	}
	qa__num(e->j, o, "round", (double)mc__col_int(&c[0], 0));
	qa__date(e->j, o, "at", mc__col_int(&c[7], 0));
	return e->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_spec_json(mc_store *s, const char *tpl, int64_t version, char **json, mc_err *err)
{
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	*json = NULL;
	MC__CHECK(common_args(s, tpl, version, false, NULL, err));
	spec p;
	MC__CHECK(load(s, tpl, version, &p, err));
	qa__js j = {false};
	cJSON *root = cJSON_CreateObject();
	qa__str(&j, root, "template", tpl);
	qa__num(&j, root, "version", (double)version);
	qa__str(&j, root, "state", state_names[p.state]);
	qa__bool(&j, root, "underQa", p.found);
	qa__str(&j, root, "provider", p.found && p.provider && *p.provider ? p.provider : NULL);
	qa__num(&j, root, "round", (double)p.round);
	qa__raw(&j, root, "chain", p.chain);
	cJSON *chain = mc__json_get(root, "chain");
	const cJSON *pending = p.state == MC_QA_SUBMITTED ? cJSON_GetArrayItem(chain, (int)p.step) : NULL;
	qa__str(&j, root, "pendingStep", pending ? step_member(pending, "id") : NULL);
	qa__raw(&j, root, "checks", p.checks);
	qa__raw(&j, root, "reapproval", p.reapproval);
	qa__date(&j, root, "submitted", p.submitted);
	qa__date(&j, root, "approved", p.approved);
	qa__date(&j, root, "published", p.published);
	qa__date(&j, root, "retired", p.retired);
	qa__date(&j, root, "reviewDue", p.review_due);
	events_ctx e = {&j, qa__arr(&j, root, "history")};
	mc__val v[2] = {mc__v_text(tpl), mc__v_int(version)};
	mc_status st = mc__store_exec(s, "qa_spec",
	                              "SELECT round, action, step_id, decision, actor, role, comment, at FROM qa_events "
	                              "WHERE template_id = $1 AND template_version = $2 ORDER BY seq",
	                              v, 2, row_event, &e, NULL, err);
	int64_t nn = 0;
	if (st == MC_OK)
		st = mc__store_exec(s, "qa_spec",
		                    "SELECT count(*) FROM qa_notifications WHERE template_id = $1 AND template_version = $2", v,
		                    2, mc__row_int, &nn, NULL, err);
	qa__num(&j, root, "notifications", (double)nn);
	spec_clear(&p);
	if (st != MC_OK) {
		cJSON_Delete(root);
		return st;
	}
	return qa__finish(&j, root, json, err);
}

static mc_status row_note(void *ctx, const mc__val *c, int n)
{
	events_ctx *e = ctx;
	if (n != 4)
		return MC_ERR_INTERNAL;
	cJSON *o = qa__obj(e->j, e->arr, NULL);
	char *cred = NULL, *learner = NULL;
	if (!mc__col_str(&cred, &c[1]) || !mc__col_str(&learner, &c[2])) {
		free(cred);
		return MC_ERR_NOMEM;
	}
	qa__num(e->j, o, "version", (double)mc__col_int(&c[0], 0));
	qa__str(e->j, o, "credential", cred);
	qa__str(e->j, o, "learner", learner);
	qa__date(e->j, o, "created", mc__col_int(&c[3], 0));
	free(cred);
	free(learner);
	return e->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_notifications(mc_store *s, const char *tpl, char **json, mc_err *err)
{
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	*json = NULL;
	MC__CHECK(common_args(s, tpl, 1, false, NULL, err));
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	events_ctx e = {&j, arr};
	mc__val v[1] = {mc__v_text(tpl)};
	mc_status st = mc__store_exec(s, "qa_notifications",
	                              "SELECT template_version, credential_id, learner_id, created FROM qa_notifications "
	                              "WHERE template_id = $1 ORDER BY template_version, credential_id",
	                              v, 1, row_note, &e, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}

typedef struct overdue_ctx {
	qa__js *j;
	cJSON *arr;
	int64_t now;
} overdue_ctx;

static mc_status row_overdue(void *ctx, const mc__val *c, int n)
{
	overdue_ctx *o = ctx;
	if (n != 5)
		return MC_ERR_INTERNAL;
	char *tpl = NULL, *prov = NULL, *state = NULL;
	if (!mc__col_str(&tpl, &c[0]) || !mc__col_str(&prov, &c[2]) || !mc__col_str(&state, &c[3])) {
		free(tpl);
		free(prov);
		return MC_ERR_NOMEM;
	}
	cJSON *e = qa__obj(o->j, o->arr, NULL);
	int64_t due = mc__col_int(&c[4], 0);
	qa__str(o->j, e, "template", tpl);
	qa__num(o->j, e, "version", (double)mc__col_int(&c[1], 0));
	qa__str(o->j, e, "provider", prov && *prov ? prov : NULL); /* "": the default provider */
	qa__str(o->j, e, "state", state);
	qa__date(o->j, e, "reviewDue", due);
	qa__num(o->j, e, "daysOverdue", (double)((o->now - due) / DAY));
	free(tpl);
	free(prov);
	free(state);
	return o->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_overdue(mc_store *s, const char *provider, int64_t now, char **json, mc_err *err)
{
	MC__CHECK(qa__provider_args(s, json, provider, now, err));
	qa__js j = {false};
	overdue_ctx o = {&j, cJSON_CreateArray(), now ? now : mc__time_now()};
	mc__val v[2] = {mc__v_int(o.now), mc__v_text(provider)};
	mc_status st = provider
	                       ? mc__store_exec(s, "qa_overdue",
	                                        "SELECT template_id, template_version, provider, state, review_due FROM qa_specs "
	                                        "WHERE state IN ('published','under-review') AND review_due < $1 AND provider = $2 "
	                                        "ORDER BY review_due, template_id, template_version",
	                                        v, 2, row_overdue, &o, NULL, err)
	                       : mc__store_exec(s, "qa_overdue",
	                                        "SELECT template_id, template_version, provider, state, review_due FROM qa_specs "
	                                        "WHERE state IN ('published','under-review') AND review_due < $1 "
	                                        "ORDER BY review_due, template_id, template_version",
	                                        v, 1, row_overdue, &o, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(o.arr);
		return st;
	}
	return qa__finish(&j, o.arr, json, err);
}
