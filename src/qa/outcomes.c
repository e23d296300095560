/*
 * outcomes.c - outcome signals beside feedback (recognition decisions by
 * other institutions, employment follow-ups; EDEH QA questions 20-22) and
 * the provider's public QA page (ESG 1.8: public information), which puts
 * the configuration, each specification's QA status and, when the
 * provider opted in, the feedback aggregates in one JSON document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa/qa_internal.h"

static const char *const decisions[] = {"recognised", "partially-recognised", "not-recognised"};
static const char *const statuses[] = {"employed", "self-employed", "unemployed", "studying", "other"};

static bool one_of(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return false;
}

static mc_status spec_args(mc_store *s, const char *tpl, int64_t version, const char *cred, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	MC__CHECK(qa__id(err, tpl, "template_id"));
	if (version < 0)
		return mc__fail(err, MC_ERR_ARG, "template_version", "template_version must be >= 0 (0: unknown)");
	if (cred)
		MC__CHECK(qa__id(err, cred, "credential_id"));
	/* the specification must exist: a typo would file the signal nowhere */
	mc_store_template t = {0};
	mc_status st = mc__template_get(s, tpl, version, &t, err);
	mc_store_template_clear(&t);
	return st;
}

static mc_status add_in(mc_store *s, const char *op, const char *sql, const mc__val *p, int np,
                        const mc_qa_actor *who, const char *tpl, cJSON *details, mc_err *err)
{
	mc_status st = mc__store_exec(s, op, sql, p, np, NULL, NULL, NULL, err);
	if (st == MC_OK)
		return qa__audit(s, who, op, tpl, details, err);
	cJSON_Delete(details);
	return st;
}

mc_status mc_qa_recognition_add(mc_store *s, const mc_qa_recognition_in *in, const mc_qa_actor *who, mc_err *err)
{
	if (!in)
		return mc__fail(err, MC_ERR_ARG, "in", "in is NULL");
	MC__CHECK(qa__actor(err, who));
	MC__CHECK(spec_args(s, in->template_id, in->template_version, in->credential_id, err));
	MC__CHECK(mc__check_text(err, in->institution, "institution", MC_STORE_TEXT_MAX, false));
	if (in->country && (strlen(in->country) != 2 || in->country[0] < 'A' || in->country[0] > 'Z' ||
	                    in->country[1] < 'A' || in->country[1] > 'Z'))
		return mc__fail(err, MC_ERR_VALUE, "country", "country is ISO 3166-1 alpha-2 (\"DE\")");
	if (!one_of(in->decision, decisions, 3))
		return mc__fail(err, MC_ERR_VALUE, "decision",
		                "decision is \"recognised\", \"partially-recognised\" or \"not-recognised\"");
	MC__CHECK(mc__check_text(err, in->purpose, "purpose", MC_STORE_TEXT_MAX, true));
	if (in->decided_at < 0)
		return mc__fail(err, MC_ERR_VALUE, "decided_at", "decided_at is negative");
	int64_t now = mc__time_now();
	mc__val p[9] = {mc__v_text(in->template_id), mc__v_int(in->template_version), mc__v_text(in->credential_id),
	                mc__v_text(in->institution), mc__v_text(in->country),        mc__v_text(in->decision),
	                mc__v_text(in->purpose),     mc__v_int(in->decided_at ? in->decided_at : now), mc__v_int(now)};
	if (!in->template_version)
		p[1] = mc__v_text(NULL);
	qa__js j = {false};
	cJSON *d = cJSON_CreateObject();
	qa__str(&j, d, "institution", in->institution);
	qa__str(&j, d, "decision", in->decision);
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(
		s,
		add_in(s, "outcome.recognition",
		       "INSERT INTO qa_recognitions (template_id, template_version, credential_id, institution, country, "
		       "decision, purpose, decided_at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		       p, 9, who, in->template_id, d, err),
		err);
}

mc_status mc_qa_employment_add(mc_store *s, const mc_qa_employment_in *in, const mc_qa_actor *who, mc_err *err)
{
	if (!in)
		return mc__fail(err, MC_ERR_ARG, "in", "in is NULL");
	MC__CHECK(qa__actor(err, who));
	MC__CHECK(spec_args(s, in->template_id, in->template_version, in->credential_id, err));
	if (in->months_after < 0 || in->months_after > 120)
		return mc__fail(err, MC_ERR_VALUE, "months_after", "months_after is 0 to 120");
	if (!one_of(in->status, statuses, 5))
		return mc__fail(err, MC_ERR_VALUE, "status",
		                "status is employed, self-employed, unemployed, studying or other");
	if (in->in_field < -1 || in->in_field > 1)
		return mc__fail(err, MC_ERR_VALUE, "in_field", "in_field is 1 (yes), 0 (no) or -1 (unknown)");
	mc__val p[7] = {mc__v_text(in->template_id), mc__v_int(in->template_version), mc__v_text(in->credential_id),
	                mc__v_int(in->months_after), mc__v_text(in->status),           mc__v_int(in->in_field),
	                mc__v_int(mc__time_now())};
	if (!in->template_version)
		p[1] = mc__v_text(NULL);
	if (in->in_field < 0)
		p[5] = mc__v_text(NULL);
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(
		s,
		add_in(s, "outcome.employment",
		       "INSERT INTO qa_employment (template_id, template_version, credential_id, months_after, status, in_field, "
		       "recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		       p, 7, who, in->template_id, NULL, err),
		err);
}

typedef struct list_ctx {
	qa__js *j;
	cJSON *arr;
	int64_t counts[5];
	int64_t n, known, in_field;
} list_ctx;

static mc_status row_recognition(void *ctx, const mc__val *c, int n)
{
	list_ctx *x = ctx;
	if (n != 5)
		return MC_ERR_INTERNAL;
	char *v[4] = {NULL, NULL, NULL, NULL};
	for (int i = 0; i < 4; i++)
		if (!mc__col_str(&v[i], &c[i])) {
			for (int k = 0; k < i; k++)
				free(v[k]);
			return MC_ERR_NOMEM;
		}
	for (int i = 0; i < 3; i++)
		if (v[2] && strcmp(v[2], decisions[i]) == 0)
			x->counts[i]++;
	x->n++;
	cJSON *o = qa__obj(x->j, x->arr, NULL);
	qa__str(x->j, o, "institution", v[0]);
	qa__str(x->j, o, "country", v[1]);
	qa__str(x->j, o, "decision", v[2]);
	qa__str(x->j, o, "purpose", v[3]);
	qa__date(x->j, o, "decided", mc__col_int(&c[4], 0));
	for (int i = 0; i < 4; i++)
		free(v[i]);
	return x->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

static mc_status row_platform(void *ctx, const mc__val *c, int n)
{
	list_ctx *x = ctx;
	if (n != 5)
		return MC_ERR_INTERNAL;
	char *policy = NULL, *outcome = NULL, *towards = NULL;
	mc_status st = MC_OK;
	if (!mc__col_str(&policy, &c[0]) || !mc__col_str(&outcome, &c[1]) || !mc__col_str(&towards, &c[3]))
		st = MC_ERR_NOMEM;
	if (st == MC_OK) {
		x->n++;
		x->counts[outcome && strcmp(outcome, "recognised") == 0 ? 0 : 1]++;
		cJSON *o = qa__obj(x->j, x->arr, NULL);
		qa__str(x->j, o, "policy", policy);
		qa__str(x->j, o, "outcome", outcome);
		qa__num(x->j, o, "ects", (double)mc__col_int(&c[2], 0) / 100.0);
		qa__str(x->j, o, "towards", towards);
		qa__date(x->j, o, "decided", mc__col_int(&c[4], 0));
	}
	free(policy), free(outcome), free(towards);
	return st != MC_OK ? st : x->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

static mc_status row_employment(void *ctx, const mc__val *c, int n)
{
	list_ctx *x = ctx;
	if (n != 2)
		return MC_ERR_INTERNAL;
	for (int i = 0; i < 5; i++)
		if (mc__name_index(&c[0], statuses + i, 1) == 0)
			x->counts[i]++;
	x->n++;
	if (c[1].type == MC__V_INT) {
		x->known++;
		x->in_field += c[1].i == 1;
	}
	return MC_OK;
}

static mc_status outcomes_tree(mc_store *s, const char *tpl, int64_t version, int min_group, qa__js *j, cJSON *root,
                               mc_err *err)
{
	qa__str(j, root, "template", tpl);
	if (version)
		qa__num(j, root, "version", (double)version);
	else
		qa__str(j, root, "version", NULL);
	mc__val p[2] = {mc__v_text(tpl), mc__v_int(version)};
	cJSON *rec = qa__obj(j, root, "recognition");
	list_ctx r = {j, qa__arr(j, rec, "decisions"), {0}, 0, 0, 0};
	MC__CHECK(version ? mc__store_exec(s, "outcomes",
	                               "SELECT institution, country, decision, purpose, decided_at FROM qa_recognitions "
	                               "WHERE template_id = $1 AND template_version = $2 ORDER BY decided_at, seq",
	                               p, 2, row_recognition, &r, NULL, err)
	              : mc__store_exec(s, "outcomes",
	                               "SELECT institution, country, decision, purpose, decided_at FROM qa_recognitions "
	                               "WHERE template_id = $1 ORDER BY decided_at, seq",
	                               p, 1, row_recognition, &r, NULL, err));
	qa__num(j, rec, "total", (double)r.n);
	for (int i = 0; i < 3; i++)
		qa__num(j, rec, decisions[i], (double)r.counts[i]);
	/* decisions the trust module took on credentials issued from this
	 * specification (mc_recognise + store, table recognition_decisions):
	 * the platform's own evidence beside what institutions reported */
	list_ctx t = {j, qa__arr(j, rec, "platformDecisions"), {0}, 0, 0, 0};
	MC__CHECK(version ? mc__store_exec(s, "outcomes",
	                               "SELECT d.policy_id, d.outcome, d.ects_centi, d.towards, d.decided_at FROM "
	                               "recognition_decisions d JOIN credentials c ON c.id = d.credential_id "
	                               "WHERE c.template_id = $1 AND c.template_version = $2 ORDER BY d.decided_at, d.id",
	                               p, 2, row_platform, &t, NULL, err)
	              : mc__store_exec(s, "outcomes",
	                               "SELECT d.policy_id, d.outcome, d.ects_centi, d.towards, d.decided_at FROM "
	                               "recognition_decisions d JOIN credentials c ON c.id = d.credential_id "
	                               "WHERE c.template_id = $1 ORDER BY d.decided_at, d.id",
	                               p, 1, row_platform, &t, NULL, err));
	qa__num(j, rec, "platformTotal", (double)t.n);
	qa__num(j, rec, "platformRecognised", (double)t.counts[0]);
	qa__num(j, rec, "platformReferred", (double)t.counts[1]);
	cJSON *emp = qa__obj(j, root, "employment");
	list_ctx e = {j, NULL, {0}, 0, 0, 0};
	MC__CHECK(version ? mc__store_exec(s, "outcomes",
	                               "SELECT status, in_field FROM qa_employment WHERE template_id = $1 AND template_version = $2",
	                               p, 2, row_employment, &e, NULL, err)
	              : mc__store_exec(s, "outcomes", "SELECT status, in_field FROM qa_employment WHERE template_id = $1", p,
	                               1, row_employment, &e, NULL, err));
	qa__num(j, emp, "minGroupSize", min_group);
	if (e.n < min_group) {
		qa__bool(j, emp, "suppressed", true);
	} else {
		qa__num(j, emp, "followUps", (double)e.n);
		for (int i = 0; i < 5; i++)
			qa__num(j, emp, statuses[i], (double)e.counts[i]);
		qa__num(j, emp, "inFieldKnown", (double)e.known);
		qa__num(j, emp, "inField", (double)e.in_field);
	}
	return j->nomem ? mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory") : MC_OK;
}

mc_status mc_qa_outcomes(mc_store *s, const char *tpl, int64_t version, int min_group, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	MC__CHECK(qa__id(err, tpl, "template"));
	if (version < 0)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 0 (0: all)");
	MC__CHECK(qa__min_group(s, tpl, min_group, &min_group, err));
	qa__js j = {false};
	cJSON *root = cJSON_CreateObject();
	mc_status st = outcomes_tree(s, tpl, version, min_group, &j, root, err);
	if (st != MC_OK) {
		cJSON_Delete(root);
		return st;
	}
	return qa__finish(&j, root, json, err);
}

/* ---- public page ---------------------------------------------------------- */

typedef struct pspec {
	char *tpl, *state;
	int64_t version, approved, published, retired, due;
} pspec;

typedef struct pspecs {
	pspec *v;
	size_t n, cap;
} pspecs;

static mc_status row_pspec(void *ctx, const mc__val *c, int n)
{
	pspecs *l = ctx;
	if (n != 7)
		return MC_ERR_INTERNAL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		pspec *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return MC_ERR_NOMEM;
		l->v = v;
		l->cap = cap;
	}
	pspec *x = &l->v[l->n];
	memset(x, 0, sizeof *x);
	if (!mc__col_str(&x->tpl, &c[0]) || !mc__col_str(&x->state, &c[2])) {
		free(x->tpl);
		return MC_ERR_NOMEM;
	}
	x->version = mc__col_int(&c[1], 0);
	x->approved = mc__col_int(&c[3], 0);
	x->published = mc__col_int(&c[4], 0);
	x->retired = mc__col_int(&c[5], 0);
	x->due = mc__col_int(&c[6], 0);
	l->n++;
	return MC_OK;
}

static void pspecs_free(pspecs *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].tpl);
		free(l->v[i].state);
	}
	free(l->v);
}

static void describe_chain(qa__js *j, cJSON *proc, const cJSON *chain)
{
	char text[2048];
	size_t used = (size_t)snprintf(text, sizeof text, "Each proposal is checked automatically for every EU mandatory "
	                                                  "element, ECTS against workload (%d-%d hours per credit), written "
	                                                  "learning outcomes and named assessment, then decided by ",
	                               MC_QA_HOURS_PER_ECTS_MIN, MC_QA_HOURS_PER_ECTS_MAX);
	cJSON *steps = qa__arr(j, proc, "steps");
	int i = 0, n = cJSON_GetArraySize(chain);
	const cJSON *e;
	cJSON_ArrayForEach(e, chain)
	{
		cJSON *o = qa__obj(j, steps, NULL);
		qa__num(j, o, "step", i + 1);
		const char *name = mc__json_get(e, "name")->valuestring;
		qa__str(j, o, "id", mc__json_get(e, "id")->valuestring);
		qa__str(j, o, "name", name);
		qa__str(j, o, "role", mc__json_get(e, "role")->valuestring);
		if (used < sizeof text)
			used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i == 0 ? "" : i == n - 1 ? " and then " : ", then ",
			                         name);
		i++;
	}
	if (used < sizeof text)
		snprintf(text + used, sizeof text - used, "%s", n > 1 ? ", in this order." : ".");
	qa__str(j, proc, "description", text);
}

static mc_status row_extqa(void *ctx, const mc__val *c, int n)
{
	list_ctx *x = ctx;
	if (n != 8)
		return MC_ERR_INTERNAL;
	static const int cols[7] = {0, 2, 3, 4, 5, 6, 7};
	static const char *const keys[7] = {"agency", "kind", "decision", "validFrom", "validUntil", "report", "scope"};
	char *v[7] = {NULL};
	mc_status st = MC_OK;
	for (int i = 0; i < 7 && st == MC_OK; i++)
		if (!mc__col_str(&v[i], &c[cols[i]]))
			st = MC_ERR_NOMEM;
	if (st == MC_OK) {
		cJSON *o = qa__obj(x->j, x->arr, NULL);
		for (int i = 0; i < 7; i++)
			qa__str(x->j, o, keys[i], v[i]);
		qa__bool(x->j, o, "eqarRegistered", mc__col_int(&c[1], 0) == 1);
	}
	for (int i = 0; i < 7; i++)
		free(v[i]);
	return st != MC_OK ? st : x->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_public_page(mc_store *s, const char *provider, int64_t now, char **json, mc_err *err)
{
	MC__CHECK(qa__provider_args(s, json, provider, now, err));
	if (!now)
		now = mc__time_now();
	qa__config cfg;
	MC__CHECK(qa__config_load(s, provider, &cfg, err));
	pspecs l = {NULL, 0, 0};
	mc__val p[1] = {mc__v_text(provider ? provider : "")};
	/* drafts, submissions and rejections are internal; the rest is public */
	mc_status st = mc__store_exec(s, "public_page",
	                              "SELECT template_id, template_version, state, approved_at, published_at, retired_at, "
	                              "review_due FROM qa_specs WHERE provider = $1 AND state IN ('approved','published',"
	                              "'under-review','modified','retired','superseded') ORDER BY template_id, template_version",
	                              p, 1, row_pspec, &l, NULL, err);
	qa__js j = {false};
	cJSON *root = cJSON_CreateObject();
	qa__str(&j, root, "provider", provider);
	qa__str(&j, root, "policy", cfg.policy);
	describe_chain(&j, qa__obj(&j, root, "approvalProcess"), cfg.chain);
	cJSON *cycle = qa__obj(&j, root, "reviewCycle");
	qa__num(&j, cycle, "intervalDays", cfg.review_days);
	qa__str(&j, cycle, "description", cfg.review_cycle);
	cJSON *subst = cfg.substantial ? cJSON_Duplicate(cfg.substantial, true) : cJSON_CreateArray();
	if (!subst || !cJSON_AddItemToObject(root, "substantialChanges", subst)) {
		cJSON_Delete(subst);
		j.nomem = true;
	}
	qa__bool(&j, root, "feedbackPublished", cfg.publish_feedback);
	qa__num(&j, root, "minGroupSize", cfg.min_group);
	/* external QA results of this provider from the register (trust.h,
	 * tables reg_*): matched by register id or by any of the provider's
	 * identifiers (the issuer DID is usually one of them) */
	cJSON *ext = qa__arr(&j, root, "externalQa");
	if (st == MC_OK && provider && *provider) {
		list_ctx x = {&j, ext, {0}, 0, 0, 0};
		mc__val q[1] = {mc__v_text(provider)};
		st = mc__store_exec(s, "public_page",
		                    "SELECT a.name, a.eqar_registered, r.kind, r.decision, r.valid_from, r.valid_until, "
		                    "r.report_url, r.scope FROM reg_qa_results r JOIN reg_agencies a ON a.id = r.agency_id "
		                    "JOIN reg_providers p ON p.id = r.provider_id WHERE p.id = $1 OR "
		                    "p.identifiers LIKE '%\"' || $1 || '\"%' ORDER BY r.valid_from DESC, r.id",
		                    q, 1, row_extqa, &x, NULL, err);
	}
	cJSON *arr = qa__arr(&j, root, "specifications");
	for (size_t i = 0; i < l.n && st == MC_OK; i++) {
		const pspec *x = &l.v[i];
		cJSON *o = qa__obj(&j, arr, NULL);
		char *tj = NULL;
		cJSON *ach = NULL;
		st = qa__template_json(s, x->tpl, x->version, NULL, &tj, err);
		if (st == MC_OK)
			st = mc__json_load(tj, strlen(tj), &ach, err);
		free(tj);
		qa__str(&j, o, "template", x->tpl);
		qa__num(&j, o, "version", (double)x->version);
		qa__str(&j, o, "title", ach ? qa__title(ach) : NULL);
		cJSON_Delete(ach);
		qa__str(&j, o, "state", x->state);
		qa__date(&j, o, "approved", x->approved);
		qa__date(&j, o, "published", x->published);
		qa__date(&j, o, "retired", x->retired);
		bool live = strcmp(x->state, "published") == 0 || strcmp(x->state, "under-review") == 0;
		qa__date(&j, o, "reviewDue", live ? x->due : 0);
		qa__bool(&j, o, "reviewOverdue", live && x->due && x->due < now);
		if (st == MC_OK && cfg.publish_feedback && live) {
			cJSON *agg = NULL;
			st = qa__aggregate_tree(s, x->tpl, x->version, cfg.min_group, &agg, err);
			if (st == MC_OK && !cJSON_AddItemToObject(o, "feedback", agg)) {
				cJSON_Delete(agg);
				j.nomem = true;
			}
		}
	}
	pspecs_free(&l);
	qa__config_release(&cfg);
	if (st != MC_OK) {
		cJSON_Delete(root);
		return st;
	}
	return qa__finish(&j, root, json, err);
}

/* ---- feedback on the catalogue ----------------------------------------- */

typedef struct live_spec {
	char *provider;
	int64_t version;
} live_spec;

static mc_status row_live(void *ctx, const mc__val *c, int n)
{
	live_spec *x = ctx;
	if (n != 2)
		return MC_ERR_INTERNAL;
	free(x->provider);
	if (!mc__col_str(&x->provider, &c[0]))
		return MC_ERR_NOMEM;
	x->version = mc__col_int(&c[1], 0);
	return MC_OK;
}

mc_status mc_qa_public_feedback(mc_store *s, const char *tpl, int64_t version, char **json, mc_err *err)
{
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	*json = NULL;
	if (!s || !tpl || !*tpl || version < 0)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "template", "%s is missing or negative",
		                !s ? "store" : "the template");
	/* the newest live version (or the one asked for): only a specification
	 * on offer shows feedback, as on the public QA page */
	live_spec x = {NULL, 0};
	mc__val p[2] = {mc__v_text(tpl), mc__v_int(version)};
	mc_status st = mc__store_exec(s, "public_feedback",
	                              "SELECT provider, template_version FROM qa_specs WHERE template_id = $1 AND "
	                              "($2 = 0 OR template_version = $2) AND state IN ('published','under-review') "
	                              "ORDER BY template_version",
	                              p, 2, row_live, &x, NULL, err);
	if (st == MC_OK && !x.provider)
		st = mc__fail(err, MC_ERR_MISSING, "template", "%.200s has no published specification", tpl);
	qa__config cfg;
	bool have_cfg = false;
	if (st == MC_OK && (st = qa__config_load(s, x.provider, &cfg, err)) == MC_OK)
		have_cfg = true;
	if (st == MC_OK && !cfg.publish_feedback)
		st = mc__fail(err, MC_ERR_MISSING, "template", "the provider of %.200s does not publish feedback", tpl);
	cJSON *agg = NULL;
	if (st == MC_OK)
		st = qa__aggregate_tree(s, tpl, x.version, cfg.min_group, &agg, err);
	if (st == MC_OK && !(*json = mc__json_print(agg, 0)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	cJSON_Delete(agg);
	if (have_cfg)
		qa__config_release(&cfg);
	free(x.provider);
	return st;
}
