/*
 * maturity.c - the EDEH maturity self-assessment (Part 4 of "A European
 * maturity model for micro-credentials", 2024) as a workshop: sessions,
 * first indications hidden from one another until the discussion, revised
 * indications, actions, comparison over time, and the colours the
 * platform can propose from what the store shows.
 *
 * The questions are data (data/qa/maturity_edeh.json, embedded); a score
 * for an id the model does not have is refused, never stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa/qa_internal.h"

static const char *const colours[] = {"red", "yellow", "green"};
static const char *const stages[] = {"first", "discussion", "closed"};

mc_status mc_qa_colour_parse(const char *s, mc_qa_colour *out)
{
	for (int i = 0; s && out && i < 3; i++)
		if (strcmp(s, colours[i]) == 0) {
			*out = (mc_qa_colour)i;
			return MC_OK;
		}
	return MC_ERR_VALUE;
}

const char *mc_qa_maturity_model(void)
{
	return mc__qa_data_maturity_edeh;
}

static mc_status model_load(cJSON **out, mc_err *err)
{
	const char *m = mc__qa_data_maturity_edeh;
	return mc__json_load(m, strlen(m), out, err);
}

/* The question object of id in the model, NULL when there is none. */
static const cJSON *model_question(const cJSON *model, const char *id)
{
	const cJSON *area, *q;
	cJSON_ArrayForEach(area, mc__json_get(model, "areas"))
	{
		cJSON_ArrayForEach(q, mc__json_get(area, "questions"))
		{
			const cJSON *qid = mc__json_get(q, "id");
			if (cJSON_IsString(qid) && strcmp(qid->valuestring, id) == 0)
				return q;
		}
	}
	return NULL;
}

/* ---- sessions ------------------------------------------------------------ */

typedef struct session {
	bool found;
	int stage;
	char *title, *provider, *model;
	int64_t created, closed;
} session;

static void session_clear(session *x)
{
	free(x->title);
	free(x->provider);
	free(x->model);
	memset(x, 0, sizeof *x);
}

static mc_status row_session(void *ctx, const mc__val *c, int n)
{
	session *x = ctx;
	if (n != 6)
		return MC_ERR_INTERNAL;
	session_clear(x);
	x->found = true;
	x->stage = mc__name_index(&c[3], stages, 3);
	if (x->stage < 0)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&x->title, &c[0]) || !mc__col_str(&x->provider, &c[1]) || !mc__col_str(&x->model, &c[2]))
		return MC_ERR_NOMEM;
	x->created = mc__col_int(&c[4], 0);
	x->closed = mc__col_int(&c[5], 0);
	return MC_OK;
}

static mc_status session_load(mc_store *s, const char *id, session *x, mc_err *err)
{
	memset(x, 0, sizeof *x);
	mc__val p[1] = {mc__v_text(id)};
	MC__CHECK(mc__store_exec(s, "maturity",
	                     "SELECT title, provider, model, stage, created, closed_at FROM qa_sessions WHERE id = $1", p, 1,
	                     row_session, x, NULL, err));
	return x->found ? MC_OK : mc__fail(err, MC_ERR_MISSING, "session", "maturity: no such session");
}

mc_status mc_qa_maturity_new(mc_store *s, const char *provider, const char *title, const mc_qa_actor *who, char **id,
                             mc_err *err)
{
	if (!s || !id)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "id", "argument is NULL");
	*id = NULL;
	if (provider)
		MC__CHECK(qa__id(err, provider, "provider"));
	MC__CHECK(mc__check_text(err, title, "title", MC_STORE_TEXT_MAX, false));
	MC__CHECK(qa__actor(err, who));
	char u[48];
	mc__uuid_urn(u);
	cJSON *model = NULL;
	MC__CHECK(model_load(&model, err));
	const cJSON *mid = mc__json_get(model, "id");
	mc__val p[5] = {mc__v_text(u), mc__v_text(provider), mc__v_text(title),
	                mc__v_text(cJSON_IsString(mid) ? mid->valuestring : "edeh"), mc__v_int(mc__time_now())};
	mc_status st = mc__store_atomic_begin(s, false, err);
	if (st == MC_OK) {
		st = mc__store_exec(s, "maturity_new",
		                    "INSERT INTO qa_sessions (id, provider, title, model, stage, created) "
		                    "VALUES ($1, $2, $3, $4, 'first', $5)",
		                    p, 5, NULL, NULL, NULL, err);
		if (st == MC_OK)
			st = qa__audit(s, who, "maturity.new", u, NULL, err);
		st = mc__store_atomic_end(s, st, err);
	}
	cJSON_Delete(model);
	if (st == MC_OK && !(*id = strdup(u)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	return st;
}

static mc_status score_in(mc_store *s, const char *sid, const char *participant, const char *question,
                          mc_qa_colour c, const char *note, mc_err *err)
{
	session x;
	MC__CHECK(session_load(s, sid, &x, err));
	int stage = x.stage;
	session_clear(&x);
	if (stage == MC_QA_STAGE_CLOSED)
		return mc__fail(err, MC_ERR_VALUE, "state", "maturity score: conflict: the session is closed");
	mc__val p[7] = {mc__v_text(sid),  mc__v_text(participant), mc__v_text(question),
	                mc__v_text(stage == MC_QA_STAGE_FIRST ? "first" : "final"), mc__v_text(colours[c]),
	                mc__v_text(note), mc__v_int(mc__time_now())};
	return mc__store_exec(s, "maturity_score",
	                      "INSERT INTO qa_scores (session_id, participant, question, phase, colour, note, updated) "
	                      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id, participant, question, phase) "
	                      "DO UPDATE SET colour = excluded.colour, note = excluded.note, updated = excluded.updated",
	                      p, 7, NULL, NULL, NULL, err);
}

static mc_status check_question(const char *question, mc_err *err)
{
	if (!question || !*question)
		return mc__fail(err, MC_ERR_ARG, "question", "question is missing");
	cJSON *model = NULL;
	MC__CHECK(model_load(&model, err));
	bool known = model_question(model, question) != NULL;
	cJSON_Delete(model);
	return known ? MC_OK
	             : mc__fail(err, MC_ERR_VALUE, "question",
	                        "the maturity model has no question '%.64s' (ids such as B1, T5, Q23, E1)", question);
}

mc_status mc_qa_maturity_score(mc_store *s, const char *session_id, const char *participant, const char *question,
                               mc_qa_colour c, const char *note, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	MC__CHECK(qa__id(err, session_id, "session"));
	MC__CHECK(mc__check_text(err, participant, "participant", MC_STORE_TEXT_MAX, false));
	if ((unsigned)c > MC_QA_GREEN)
		return mc__fail(err, MC_ERR_VALUE, "colour", "a colour is red, yellow or green");
	MC__CHECK(qa__text(err, note, "note", true));
	MC__CHECK(check_question(question, err));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, score_in(s, session_id, participant, question, c, note, err), err);
}

static mc_status stage_in(mc_store *s, const char *sid, mc_qa_stage to, const mc_qa_actor *who, mc_err *err)
{
	session x;
	MC__CHECK(session_load(s, sid, &x, err));
	int cur = x.stage;
	session_clear(&x);
	if ((int)to != cur + 1)
		return mc__fail(err, MC_ERR_VALUE, "state",
		                "maturity stage: conflict: the session is in stage %s; the next stage is %s", stages[cur],
		                cur < 2 ? stages[cur + 1] : "none (it is closed)");
	mc__val p[3] = {mc__v_text(sid), mc__v_text(stages[to]), mc__v_int(mc__time_now())};
	if (to == MC_QA_STAGE_CLOSED)
		MC__CHECK(mc__store_exec(s, "maturity_stage", "UPDATE qa_sessions SET stage = $2, closed_at = $3 WHERE id = $1",
		                     p, 3, NULL, NULL, NULL, err));
	else
		MC__CHECK(mc__store_exec(s, "maturity_stage", "UPDATE qa_sessions SET stage = $2 WHERE id = $1", p, 2, NULL,
		                     NULL, NULL, err));
	qa__js j = {false};
	cJSON *d = cJSON_CreateObject();
	qa__str(&j, d, "stage", stages[to]);
	return qa__audit(s, who, "maturity.stage", sid, d, err);
}

mc_status mc_qa_maturity_stage(mc_store *s, const char *session_id, mc_qa_stage to, const mc_qa_actor *who,
                               mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	MC__CHECK(qa__id(err, session_id, "session"));
	MC__CHECK(qa__actor(err, who));
	if ((unsigned)to > MC_QA_STAGE_CLOSED)
		return mc__fail(err, MC_ERR_ARG, "stage", "unknown stage %d", (int)to);
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, stage_in(s, session_id, to, who, err), err);
}

static mc_status action_in(mc_store *s, const char *sid, const char *question, const char *text, const char *owner,
                           mc_err *err)
{
	session x;
	MC__CHECK(session_load(s, sid, &x, err));
	int stage = x.stage;
	session_clear(&x);
	if (stage == MC_QA_STAGE_CLOSED)
		return mc__fail(err, MC_ERR_VALUE, "state", "maturity action: conflict: the session is closed");
	mc__val p[5] = {mc__v_text(sid), mc__v_text(question), mc__v_text(text), mc__v_text(owner),
	                mc__v_int(mc__time_now())};
	return mc__store_exec(s, "maturity_action",
	                      "INSERT INTO qa_actions (session_id, question, text, owner, created) VALUES ($1, $2, $3, $4, $5)",
	                      p, 5, NULL, NULL, NULL, err);
}

mc_status mc_qa_maturity_action(mc_store *s, const char *session_id, const char *question, const char *text,
                                const char *owner, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	MC__CHECK(qa__id(err, session_id, "session"));
	if (question)
		MC__CHECK(check_question(question, err));
	MC__CHECK(qa__text(err, text, "text", false));
	MC__CHECK(mc__check_text(err, owner, "owner", MC_STORE_TEXT_MAX, true));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, action_in(s, session_id, question, text, owner, err), err);
}

/* ---- proposals ------------------------------------------------------------- */

typedef struct sample {
	size_t n, eu_ok, vc, proof, status;
} sample;

static mc_status row_sample(void *ctx, const mc__val *c, int n)
{
	sample *x = ctx;
	if (n != 1 || c[0].type != MC__V_TEXT)
		return n == 1 ? MC_OK : MC_ERR_INTERNAL;
	x->n++;
	mc_report *rep = NULL;
	mc_status st = mc_credential_validate(c[0].p, c[0].n, &rep, NULL);
	if (st == MC_OK)
		x->eu_ok++;
	mc_report_free(rep);
	cJSON *root = NULL;
	if (mc__json_load(c[0].p, c[0].n, &root, NULL) == MC_OK) {
		const cJSON *ctx0 = cJSON_GetArrayItem(mc__json_get(root, "@context"), 0);
		if (cJSON_IsString(ctx0) && strcmp(ctx0->valuestring, MC_VC_CONTEXT_URL) == 0)
			x->vc++;
		if (mc__json_get(root, "proof"))
			x->proof++;
		if (mc__json_get(root, "credentialStatus"))
			x->status++;
	}
	cJSON_Delete(root);
	return st == MC_ERR_NOMEM ? MC_ERR_NOMEM : MC_OK;
}

static mc_status count(mc_store *s, const char *sql, const mc__val *p, int np, int64_t *out, mc_err *err)
{
	*out = 0;
	return mc__store_exec(s, "maturity_propose", sql, p, np, mc__row_int, out, NULL, err);
}

static void propose(qa__js *j, cJSON *arr, const char *q, int colour, const char *fmt, ...) MC__PRINTF(5, 6);
static void propose(qa__js *j, cJSON *arr, const char *q, int colour, const char *fmt, ...)
{
	char ev[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev, sizeof ev, fmt, ap);
	va_end(ap);
	cJSON *o = qa__obj(j, arr, NULL);
	qa__str(j, o, "question", q);
	qa__str(j, o, "colour", colours[colour]);
	qa__str(j, o, "evidence", ev);
}

/* Feedback of one audience: responses, and whether one (template,
 * version, questionnaire version) group reaches the minimum size. */
static mc_status audience(mc_store *s, const char *aud, int min_group, int64_t *n, int64_t *big, mc_err *err)
{
	mc__val p[2] = {mc__v_text(aud), mc__v_int(min_group)};
	MC__CHECK(count(s, "SELECT count(*) FROM qa_responses WHERE audience = $1", p, 1, n, err));
	return count(s,
	             "SELECT count(*) FROM (SELECT 1 FROM qa_responses WHERE audience = $1 GROUP BY template_id, "
	             "template_version, questionnaire_id, questionnaire_version HAVING count(*) >= $2) g",
	             p, 2, big, err);
}

static mc_status propose_tree(mc_store *s, const char *provider, qa__js *j, cJSON *arr, mc_err *err)
{
	sample x = {0, 0, 0, 0, 0};
	mc__val lim[1] = {mc__v_int(MC_QA_SAMPLE_MAX)};
	MC__CHECK(mc__store_exec(s, "maturity_propose",
	                     "SELECT json FROM credentials WHERE json IS NOT NULL ORDER BY issued_at DESC, id LIMIT $1", lim,
	                     1, row_sample, &x, NULL, err));
	if (x.n) {
		propose(j, arr, "E1", x.eu_ok == x.n ? MC_QA_GREEN : x.eu_ok * 10 >= x.n * 9 ? MC_QA_YELLOW : MC_QA_RED,
		        "%zu of the %zu newest credentials carry every mandatory EU element (checked with the model "
		        "validator)",
		        x.eu_ok, x.n);
		propose(j, arr, "T5", x.vc == x.n && x.proof == x.n ? MC_QA_GREEN : x.vc ? MC_QA_YELLOW : MC_QA_RED,
		        "%zu of %zu credentials use the W3C VC 2.0 data model and %zu carry a Data Integrity proof; "
		        "download to an EUDI wallet is not something the platform can see",
		        x.vc, x.n, x.proof);
		propose(j, arr, "T2",
		        x.proof == x.n && x.status == x.n ? MC_QA_GREEN : x.proof == x.n ? MC_QA_YELLOW : MC_QA_RED,
		        "%zu of %zu credentials are signed and %zu have a revocation status entry that verifiers check "
		        "against the issuer's signed status list",
		        x.proof, x.n, x.status);
	}
	int64_t api = 0, bulk = 0, all = 0;
	MC__CHECK(count(s,
	            "SELECT count(*) FROM audit_log WHERE action LIKE 'credential.issue%' AND actor LIKE 'token:%'",
	            NULL, 0, &api, err));
	MC__CHECK(count(s, "SELECT count(*) FROM credentials WHERE batch_id IS NOT NULL AND batch_id NOT LIKE 'reissue:%'",
	            NULL, 0, &bulk, err));
	MC__CHECK(count(s, "SELECT count(*) FROM credentials", NULL, 0, &all, err));
	if (all)
		propose(j, arr, "T10", api ? MC_QA_GREEN : bulk ? MC_QA_YELLOW : MC_QA_RED,
		        api ? "%lld issuance(s) came through the HTTP API with a service token (of %lld credentials)"
		        : bulk ? "no issuance came through the API; %lld of %lld credentials came from bulk file imports"
		               : "%lld of %lld credentials were issued through the API or in bulk: all were issued one by one",
		        (long long)(api ? api : bulk), (long long)all);

	qa__config cfg;
	MC__CHECK(qa__config_load(s, provider, &cfg, err));
	int min_group = cfg.min_group, publish = cfg.publish_feedback;
	int64_t nsub = cJSON_GetArraySize(cfg.substantial);
	int nsteps = cJSON_GetArraySize(cfg.chain);
	qa__config_release(&cfg);

	int64_t ln = 0, lbig = 0, en = 0, ebig = 0, pn = 0, pbig = 0;
	MC__CHECK(audience(s, "learner", min_group, &ln, &lbig, err));
	MC__CHECK(audience(s, "employer", min_group, &en, &ebig, err));
	MC__CHECK(audience(s, "peer", min_group, &pn, &pbig, err));
	const char *fb = publish ? (lbig ? "published" : "opted in to publish") : "not published";
	int pubc = publish && lbig ? MC_QA_GREEN : publish || lbig ? MC_QA_YELLOW : MC_QA_RED;
	propose(j, arr, "B9", pubc,
	        "learner feedback is %s: %lld response(s), %lld group(s) large enough to show (minimum %d)", fb,
	        (long long)ln, (long long)lbig, min_group);
	propose(j, arr, "T7", pubc, "the catalogue shows learner feedback aggregates: %s (%lld group(s) of %d or more)",
	        publish ? "yes" : "no", (long long)lbig, min_group);
	propose(j, arr, "Q25", lbig ? MC_QA_GREEN : ln ? MC_QA_YELLOW : MC_QA_RED,
	        "%lld learner response(s) collected with the questionnaires", (long long)ln);
	propose(j, arr, "Q26", ebig ? MC_QA_GREEN : en ? MC_QA_YELLOW : MC_QA_RED,
	        "%lld employer response(s) on the precision of outcomes and the match of assessment with real work",
	        (long long)en);
	propose(j, arr, "Q27", pbig ? MC_QA_GREEN : pn ? MC_QA_YELLOW : MC_QA_RED, "%lld peer review(s) recorded",
	        (long long)pn);

	int64_t rec = 0, inst = 0, emp = 0;
	MC__CHECK(count(s, "SELECT count(*) FROM qa_recognitions", NULL, 0, &rec, err));
	MC__CHECK(count(s, "SELECT count(DISTINCT institution) FROM qa_recognitions", NULL, 0, &inst, err));
	MC__CHECK(count(s, "SELECT count(*) FROM qa_employment", NULL, 0, &emp, err));
	propose(j, arr, "Q22", rec ? MC_QA_GREEN : MC_QA_RED,
	        "%lld recognition decision(s) by %lld other institution(s) are recorded", (long long)rec, (long long)inst);
	propose(j, arr, "Q20", emp >= min_group ? MC_QA_GREEN : emp ? MC_QA_YELLOW : MC_QA_RED,
	        "%lld employment follow-up(s) recorded", (long long)emp);

	int64_t specs = 0, overdue = 0, submitted = 0;
	mc__val now[1] = {mc__v_int(mc__time_now())};
	MC__CHECK(count(s, "SELECT count(*) FROM qa_specs WHERE state IN ('published','under-review')", NULL, 0, &specs, err));
	MC__CHECK(count(s,
	            "SELECT count(*) FROM qa_specs WHERE state IN ('published','under-review') AND review_due < $1",
	            now, 1, &overdue, err));
	MC__CHECK(count(s, "SELECT count(*) FROM qa_events WHERE action = 'submit'", NULL, 0, &submitted, err));
	if (specs)
		propose(j, arr, "Q23", overdue == 0 ? MC_QA_GREEN : overdue * 4 <= specs ? MC_QA_YELLOW : MC_QA_RED,
		        "%lld published specification(s) have periodic review dates; %lld review(s) are overdue",
		        (long long)specs, (long long)overdue);
	propose(j, arr, "Q9", submitted ? MC_QA_GREEN : MC_QA_YELLOW,
	        "proposals go through a %d-step approval chain; %lld submission(s) recorded", nsteps,
	        (long long)submitted);
	propose(j, arr, "Q10", nsub ? MC_QA_GREEN : MC_QA_RED,
	        "%lld achievement element(s) are configured as substantial: changing them triggers re-approval",
	        (long long)nsub);
	return j->nomem ? mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory") : MC_OK;
}

mc_status mc_qa_maturity_propose(mc_store *s, const char *provider, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	if (provider)
		MC__CHECK(qa__id(err, provider, "provider"));
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	mc_status st = propose_tree(s, provider, &j, arr, err);
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}

/* ---- view ------------------------------------------------------------------ */

typedef struct score {
	char *participant, *question, *note;
	int final, colour;
} score;

typedef struct scores {
	score *v;
	size_t n, cap;
} scores;

static mc_status row_score(void *ctx, const mc__val *c, int n)
{
	scores *l = ctx;
	if (n != 5)
		return MC_ERR_INTERNAL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		score *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return MC_ERR_NOMEM;
		l->v = v;
		l->cap = cap;
	}
	score *x = &l->v[l->n];
	memset(x, 0, sizeof *x);
	static const char *const phases[] = {"first", "final"};
	x->final = mc__name_index(&c[2], phases, 2) == 1;
	x->colour = mc__name_index(&c[3], colours, 3);
	if (!mc__col_str(&x->participant, &c[0]) || !mc__col_str(&x->question, &c[1]) || !mc__col_str(&x->note, &c[4])) {
		free(x->participant);
		free(x->question);
		return MC_ERR_NOMEM;
	}
	l->n++;
	return x->colour < 0 ? MC_ERR_INTERNAL : MC_OK;
}

static void scores_free(scores *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].participant);
		free(l->v[i].question);
		free(l->v[i].note);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static mc_status scores_load(mc_store *s, const char *sid, scores *l, mc_err *err)
{
	memset(l, 0, sizeof *l);
	mc__val p[1] = {mc__v_text(sid)};
	mc_status st = mc__store_exec(s, "maturity_view",
	                              "SELECT participant, question, phase, colour, note FROM qa_scores WHERE session_id = $1 "
	                              "ORDER BY question, phase, participant",
	                              p, 1, row_score, l, NULL, err);
	if (st != MC_OK)
		scores_free(l);
	return st;
}

/* The resulting colour of a question: each participant's latest
 * indication (revised, else first), then the median, the lower of the two
 * middle ones when even: a workshop should not round itself up. -1 when
 * nobody scored. */
static int result_colour(const scores *l, const char *q)
{
	int c[3] = {0, 0, 0};
	for (size_t i = 0; i < l->n; i++) {
		const score *x = &l->v[i];
		if (strcmp(x->question, q) != 0)
			continue;
		if (!x->final) {
			bool revised = false;
			for (size_t k = 0; k < l->n && !revised; k++)
				revised = l->v[k].final && strcmp(l->v[k].question, q) == 0 &&
				          strcmp(l->v[k].participant, x->participant) == 0;
			if (revised)
				continue;
		}
		c[x->colour]++;
	}
	int n = c[0] + c[1] + c[2];
	if (!n)
		return -1;
	int mid = (n - 1) / 2; /* lower median */
	return mid < c[0] ? 0 : mid < c[0] + c[1] ? 1 : 2;
}

typedef struct actions_ctx {
	qa__js *j;
	cJSON *general;
	cJSON *model;
} actions_ctx;

static mc_status row_action(void *ctx, const mc__val *c, int n)
{
	actions_ctx *a = ctx;
	if (n != 4)
		return MC_ERR_INTERNAL;
	char *q = NULL, *text = NULL, *owner = NULL;
	if (!mc__col_str(&q, &c[0]) || !mc__col_str(&text, &c[1]) || !mc__col_str(&owner, &c[2])) {
		free(q);
		free(text);
		return MC_ERR_NOMEM;
	}
	cJSON *target = a->general;
	if (q) {
		cJSON *qo = (cJSON *)model_question(a->model, q);
		target = qo ? mc__json_get(qo, "actions") : NULL;
	}
	cJSON *o = target ? qa__obj(a->j, target, NULL) : NULL;
	qa__str(a->j, o, "text", text);
	qa__str(a->j, o, "owner", owner);
	qa__date(a->j, o, "created", mc__col_int(&c[3], 0));
	free(q);
	free(text);
	free(owner);
	return a->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

static void add_counts(qa__js *j, cJSON *parent, const char *key, const scores *l, const char *q, int final)
{
	int c[3] = {0, 0, 0};
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].final == final && strcmp(l->v[i].question, q) == 0)
			c[l->v[i].colour]++;
	cJSON *o = qa__obj(j, parent, key);
	for (int k = 2; k >= 0; k--)
		qa__num(j, o, colours[k], c[k]);
}

static mc_status view_tree(mc_store *s, const char *sid, const char *viewer, qa__js *j, cJSON **out, mc_err *err)
{
	session x;
	scores l;
	cJSON *model = NULL, *props = NULL;
	char *ptext = NULL;
	*out = NULL;
	MC__CHECK(session_load(s, sid, &x, err));
	mc_status st = scores_load(s, sid, &l, err);
	if (st != MC_OK) {
		session_clear(&x);
		return st;
	}
	if (st == MC_OK)
		st = model_load(&model, err);
	if (st == MC_OK)
		st = mc_qa_maturity_propose(s, x.provider, &ptext, err);
	if (st == MC_OK)
		st = mc__json_load(ptext, strlen(ptext), &props, err);
	bool hide = x.stage == MC_QA_STAGE_FIRST && viewer != NULL;
	cJSON *root = st == MC_OK ? qa__obj(j, NULL, NULL) : NULL;
	cJSON *sess = qa__obj(j, root, "session");
	qa__str(j, sess, "id", sid);
	qa__str(j, sess, "title", x.title);
	qa__str(j, sess, "provider", x.provider);
	qa__str(j, sess, "stage", stages[x.stage]);
	qa__date(j, sess, "created", x.created);
	qa__date(j, sess, "closed", x.closed);
	qa__str(j, root, "viewer", viewer);
	cJSON *mm = qa__obj(j, root, "model");
	qa__str(j, mm, "id", cJSON_IsString(mc__json_get(model, "id")) ? mc__json_get(model, "id")->valuestring : NULL);
	qa__str(j, mm, "title",
	        cJSON_IsString(mc__json_get(model, "title")) ? mc__json_get(model, "title")->valuestring : NULL);
	/* participants: distinct names */
	size_t np = 0;
	for (size_t i = 0; i < l.n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(l.v[k].participant, l.v[i].participant) == 0;
		np += !seen;
	}
	qa__num(j, root, "participants", (double)np);
	cJSON *areas = root ? cJSON_DetachItemFromObject(model, "areas") : NULL;
	if (root && !areas)
		j->nomem = true;
	else if (root)
		cJSON_AddItemToObject(root, "areas", areas);
	cJSON *area, *q;
	cJSON_ArrayForEach(area, areas)
	{
		cJSON_ArrayForEach(q, mc__json_get(area, "questions"))
		{
			const char *qid = mc__json_get(q, "id")->valuestring;
			for (int phase = 0; phase < 2; phase++) {
				cJSON *arr = qa__arr(j, q, phase ? "revised" : "first");
				int hidden = 0;
				for (size_t i = 0; i < l.n; i++) {
					const score *sc = &l.v[i];
					if (sc->final != phase || strcmp(sc->question, qid) != 0)
						continue;
					if (hide && strcmp(sc->participant, viewer) != 0) {
						hidden++;
						continue;
					}
					cJSON *o = qa__obj(j, arr, NULL);
					qa__str(j, o, "participant", sc->participant);
					qa__str(j, o, "colour", colours[sc->colour]);
					qa__str(j, o, "note", sc->note);
				}
				if (!phase)
					qa__num(j, q, "hidden", hidden);
			}
			cJSON *counts = qa__obj(j, q, "counts");
			if (!hide) {
				add_counts(j, counts, "first", &l, qid, 0);
				add_counts(j, counts, "revised", &l, qid, 1);
			}
			int rc = hide ? -1 : result_colour(&l, qid);
			qa__str(j, q, "result", rc < 0 ? NULL : colours[rc]);
			const cJSON *p, *found = NULL;
			cJSON_ArrayForEach(p, props) if (strcmp(mc__json_get(p, "question")->valuestring, qid) == 0) found = p;
			if (found) {
				cJSON *dup = cJSON_Duplicate(found, true);
				if (!dup || !cJSON_AddItemToObject(q, "proposal", dup)) {
					cJSON_Delete(dup);
					j->nomem = true;
				}
			} else {
				qa__raw(j, q, "proposal", NULL);
			}
			qa__arr(j, q, "actions");
		}
	}
	actions_ctx a = {j, qa__arr(j, root, "actions"), root};
	mc__val p[1] = {mc__v_text(sid)};
	if (st == MC_OK && root)
		st = mc__store_exec(s, "maturity_view",
		                    "SELECT question, text, owner, created FROM qa_actions WHERE session_id = $1 ORDER BY seq",
		                    p, 1, row_action, &a, NULL, err);
	if (st == MC_OK)
		*out = root;
	else
		cJSON_Delete(root);
	cJSON_Delete(model);
	cJSON_Delete(props);
	mc_free(ptext);
	scores_free(&l);
	session_clear(&x);
	return st;
}

mc_status mc_qa_maturity_view(mc_store *s, const char *session_id, const char *viewer, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	MC__CHECK(qa__id(err, session_id, "session"));
	MC__CHECK(mc__check_text(err, viewer, "viewer", MC_STORE_TEXT_MAX, true));
	qa__js j = {false};
	cJSON *root = NULL;
	MC__CHECK(view_tree(s, session_id, viewer, &j, &root, err));
	return qa__finish(&j, root, json, err);
}

/* ---- compare ----------------------------------------------------------------- */

mc_status mc_qa_maturity_compare(mc_store *s, const char *older, const char *newer, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	MC__CHECK(qa__id(err, older, "older"));
	MC__CHECK(qa__id(err, newer, "newer"));
	session xa, xb;
	scores la, lb;
	MC__CHECK(session_load(s, older, &xa, err));
	mc_status st = session_load(s, newer, &xb, err);
	if (st != MC_OK) {
		session_clear(&xa);
		return st;
	}
	memset(&la, 0, sizeof la);
	memset(&lb, 0, sizeof lb);
	cJSON *model = NULL;
	st = scores_load(s, older, &la, err);
	if (st == MC_OK)
		st = scores_load(s, newer, &lb, err);
	if (st == MC_OK)
		st = model_load(&model, err);
	qa__js j = {false};
	cJSON *root = st == MC_OK ? qa__obj(&j, NULL, NULL) : NULL;
	const session *sx[2] = {&xa, &xb};
	const char *ids[2] = {older, newer};
	for (int k = 0; k < 2; k++) {
		cJSON *o = qa__obj(&j, root, k ? "newer" : "older");
		qa__str(&j, o, "id", ids[k]);
		qa__str(&j, o, "title", sx[k]->title);
		qa__date(&j, o, "created", sx[k]->created);
	}
	int tally[5] = {0, 0, 0, 0, 0};
	static const char *const change[] = {"better", "worse", "same", "new", "gone"};
	cJSON *qs = qa__arr(&j, root, "questions");
	const cJSON *areas = root ? mc__json_get(model, "areas") : NULL, *area, *q;
	cJSON_ArrayForEach(area, areas)
	{
		cJSON_ArrayForEach(q, mc__json_get(area, "questions"))
		{
			const char *qid = mc__json_get(q, "id")->valuestring;
			int a = result_colour(&la, qid), b = result_colour(&lb, qid);
			if (a < 0 && b < 0)
				continue;
			int ch = a < 0 ? 3 : b < 0 ? 4 : b > a ? 0 : b < a ? 1 : 2;
			tally[ch]++;
			cJSON *o = qa__obj(&j, qs, NULL);
			qa__str(&j, o, "question", qid);
			qa__str(&j, o, "area", mc__json_get(area, "id")->valuestring);
			qa__str(&j, o, "older", a < 0 ? NULL : colours[a]);
			qa__str(&j, o, "newer", b < 0 ? NULL : colours[b]);
			qa__str(&j, o, "change", change[ch]);
		}
	}
	cJSON *sum = qa__obj(&j, root, "summary");
	for (int k = 0; k < 5; k++)
		qa__num(&j, sum, change[k], tally[k]);
	cJSON_Delete(model);
	scores_free(&la);
	scores_free(&lb);
	session_clear(&xa);
	session_clear(&xb);
	if (st != MC_OK) {
		cJSON_Delete(root);
		return st;
	}
	return qa__finish(&j, root, json, err);
}
