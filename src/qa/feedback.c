/*
 * feedback.c - questionnaires as data, responses tied to a specification
 * version, aggregates that never show a group smaller than the minimum,
 * and the CSV export without learner identities.
 *
 * Anonymity, concretely: a learner's response is linked to the credential
 * only so that one credential answers a questionnaire once; no aggregate,
 * export or audit entry carries the credential, the learner or the
 * respondent. Groups (and single questions) answered fewer than the
 * minimum times show no numbers at all, not even their size.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa/qa_internal.h"

enum { T_SCALE = 0, T_YESNO = 1, T_TEXT = 2 };
static const char *const qtypes[] = {"scale", "yesno", "text"};
static const char *const audiences[] = {"learner", "employer", "peer"};

/* Largest CSV export: 100,000 responses of a few hundred bytes each fit;
 * a bigger export should be filtered by version. */
#define QA_EXPORT_MAX (64u * 1024u * 1024u)

static int name_of(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static mc_status need_text(const cJSON *o, const char *key, const char *base, mc_err *err)
{
	char p[MC_ERR_PATH_MAX];
	mc__path_key(p, sizeof p, base, key);
	const cJSON *v = mc__json_get(o, key);
	if (!v)
		return mc__fail(err, MC_ERR_MISSING, p, "%s is missing", key);
	if (!cJSON_IsString(v))
		return mc__fail(err, MC_ERR_TYPE, p, "%s must be a string", key);
	return qa__text(err, v->valuestring, p, false);
}

/* ---- questionnaires ---------------------------------------------------- */

static mc_status questionnaire_tree(const cJSON *q, mc_err *err)
{
	if (!cJSON_IsObject(q))
		return mc__fail(err, MC_ERR_TYPE, "$", "a questionnaire is a JSON object");
	static const char *const keys[] = {"id", "audience", "title", "description", "questions", NULL};
	MC__CHECK(qa__known_keys(q, "$", keys, err));
	const cJSON *id = mc__json_get(q, "id");
	if (!cJSON_IsString(id) || !qa__short_id(id->valuestring))
		return mc__fail(err, id ? MC_ERR_VALUE : MC_ERR_MISSING, "$.id",
		                "id is 1-64 letters, digits, '-', '.', '_' (\"learner-default\")");
	const cJSON *aud = mc__json_get(q, "audience");
	if (!cJSON_IsString(aud) || name_of(aud->valuestring, audiences, 3) < 0)
		return mc__fail(err, aud ? MC_ERR_VALUE : MC_ERR_MISSING, "$.audience",
		                "audience is \"learner\", \"employer\" or \"peer\"");
	MC__CHECK(need_text(q, "title", "$", err));
	if (mc__json_get(q, "description"))
		MC__CHECK(need_text(q, "description", "$", err));
	const cJSON *qs = mc__json_get(q, "questions");
	if (!cJSON_IsArray(qs))
		return mc__fail(err, qs ? MC_ERR_TYPE : MC_ERR_MISSING, "$.questions", "questions is an array");
	int n = cJSON_GetArraySize(qs);
	if (n < 1 || n > MC_QA_QUESTIONS_MAX)
		return mc__fail(err, MC_ERR_VALUE, "$.questions", "a questionnaire has 1 to %d questions",
		                MC_QA_QUESTIONS_MAX);
	static const char *const qkeys[] = {"id", "type", "text", "required", NULL};
	int i = 0;
	const cJSON *e, *o;
	cJSON_ArrayForEach(e, qs)
	{
		char p[MC_ERR_PATH_MAX];
		mc__path_index(p, sizeof p, "$.questions", (size_t)i++);
		if (!cJSON_IsObject(e))
			return mc__fail(err, MC_ERR_TYPE, p, "a question is an object {id, type, text, required?}");
		MC__CHECK(qa__known_keys(e, p, qkeys, err));
		const cJSON *qid = mc__json_get(e, "id"), *type = mc__json_get(e, "type"), *req = mc__json_get(e, "required");
		char pp[MC_ERR_PATH_MAX];
		mc__path_key(pp, sizeof pp, p, "id");
		if (!cJSON_IsString(qid) || !qa__short_id(qid->valuestring))
			return mc__fail(err, qid ? MC_ERR_VALUE : MC_ERR_MISSING, pp,
			                "a question id is 1-64 letters, digits, '-', '.', '_'");
		cJSON_ArrayForEach(o, qs)
		{
			if (o == e)
				break;
			if (strcmp(mc__json_get(o, "id")->valuestring, qid->valuestring) == 0)
				return mc__fail(err, MC_ERR_VALUE, pp, "two questions have the id '%s'", qid->valuestring);
		}
		mc__path_key(pp, sizeof pp, p, "type");
		if (!cJSON_IsString(type) || name_of(type->valuestring, qtypes, 3) < 0)
			return mc__fail(err, type ? MC_ERR_VALUE : MC_ERR_MISSING, pp,
			                "a question type is \"scale\" (1-5), \"yesno\" or \"text\"");
		MC__CHECK(need_text(e, "text", p, err));
		mc__path_key(pp, sizeof pp, p, "required");
		if (req && !cJSON_IsBool(req))
			return mc__fail(err, MC_ERR_TYPE, pp, "required is true or false");
	}
	return MC_OK;
}

static mc_status questionnaire_parse(const char *json, size_t len, cJSON **out, mc_err *err)
{
	MC__CHECK(mc__json_load(json, len, out, err));
	mc_status st = questionnaire_tree(*out, err);
	if (st != MC_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return st;
}

mc_status mc_qa_questionnaire_check(const char *json, size_t len, mc_err *err)
{
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	cJSON *q = NULL;
	MC__CHECK(questionnaire_parse(json, len, &q, err));
	cJSON_Delete(q);
	return MC_OK;
}

static mc_status response_tree(const cJSON *q, const cJSON *r, mc_err *err)
{
	if (!cJSON_IsObject(r))
		return mc__fail(err, MC_ERR_TYPE, "$", "a response is a JSON object {\"answers\": {...}}");
	static const char *const keys[] = {"answers", NULL};
	MC__CHECK(qa__known_keys(r, "$", keys, err));
	const cJSON *ans = mc__json_get(r, "answers"), *a, *e;
	if (!cJSON_IsObject(ans))
		return mc__fail(err, ans ? MC_ERR_TYPE : MC_ERR_MISSING, "$.answers", "answers is an object {question: answer}");
	const cJSON *qs = mc__json_get(q, "questions");
	cJSON_ArrayForEach(a, ans)
	{
		char p[MC_ERR_PATH_MAX];
		mc__path_key(p, sizeof p, "$.answers", a->string);
		const cJSON *def = NULL;
		cJSON_ArrayForEach(e, qs) if (strcmp(mc__json_get(e, "id")->valuestring, a->string) == 0) def = e;
		if (!def)
			return mc__fail(err, MC_ERR_VALUE, p, "the questionnaire has no question '%.64s'", a->string);
		int t = name_of(mc__json_get(def, "type")->valuestring, qtypes, 3);
		if (t == T_SCALE) {
			if (!cJSON_IsNumber(a))
				return mc__fail(err, MC_ERR_TYPE, p, "a scale answer is a number from 1 to 5");
			double d = a->valuedouble;
			if (d != floor(d) || d < 1 || d > 5)
				return mc__fail(err, MC_ERR_VALUE, p, "a scale answer is a whole number from 1 to 5");
		} else if (t == T_YESNO) {
			if (!cJSON_IsBool(a))
				return mc__fail(err, MC_ERR_TYPE, p, "a yes/no answer is true or false");
		} else {
			if (!cJSON_IsString(a))
				return mc__fail(err, MC_ERR_TYPE, p, "a text answer is a string");
			MC__CHECK(mc__check_text(err, a->valuestring, p, MC_QA_TEXT_MAX, false));
		}
	}
	cJSON_ArrayForEach(e, qs)
	{
		const char *qid = mc__json_get(e, "id")->valuestring;
		if (cJSON_IsTrue(mc__json_get(e, "required")) && !mc__json_get(ans, qid)) {
			char p[MC_ERR_PATH_MAX];
			mc__path_key(p, sizeof p, "$.answers", qid);
			return mc__fail(err, MC_ERR_MISSING, p, "question '%s' needs an answer", qid);
		}
	}
	return MC_OK;
}

mc_status mc_qa_response_check(const char *questionnaire, size_t qlen, const char *response, size_t rlen,
                               mc_err *err)
{
	if (!questionnaire || !response)
		return mc__fail(err, MC_ERR_ARG, !questionnaire ? "questionnaire" : "response", "argument is NULL");
	cJSON *q = NULL, *r = NULL;
	MC__CHECK(questionnaire_parse(questionnaire, qlen, &q, err));
	mc_status st = mc__json_load(response, rlen, &r, err);
	if (st == MC_OK)
		st = response_tree(q, r, err);
	cJSON_Delete(q);
	cJSON_Delete(r);
	return st;
}

const char *mc_qa_questionnaire_default(const char *audience)
{
	switch (name_of(audience, audiences, 3)) {
	case 0: return mc__qa_data_questionnaire_learner;
	case 1: return mc__qa_data_questionnaire_employer;
	case 2: return mc__qa_data_questionnaire_peer;
	default: return NULL;
	}
}

typedef struct qrow {
	int64_t version;
	char *json;
} qrow;

static mc_status row_q(void *ctx, const mc__val *c, int n)
{
	qrow *x = ctx;
	if (n != 2)
		return MC_ERR_INTERNAL;
	free(x->json);
	x->version = mc__col_int(&c[0], 0);
	return mc__col_str(&x->json, &c[1]) ? MC_OK : MC_ERR_NOMEM;
}

/* Version (0 = latest) of a stored questionnaire; x->json NULL if none. */
static mc_status q_load(mc_store *s, const char *id, int64_t version, qrow *x, mc_err *err)
{
	memset(x, 0, sizeof *x);
	mc__val p[2] = {mc__v_text(id), mc__v_int(version)};
	if (version)
		return mc__store_exec(s, "questionnaire", "SELECT version, json FROM qa_questionnaires WHERE id = $1 AND version = $2",
		                      p, 2, row_q, x, NULL, err);
	return mc__store_exec(s, "questionnaire",
	                      "SELECT version, json FROM qa_questionnaires WHERE id = $1 ORDER BY version DESC LIMIT 1", p, 1,
	                      row_q, x, NULL, err);
}

static mc_status q_save_in(mc_store *s, const char *json, const mc_qa_actor *who, int64_t *version, mc_err *err)
{
	cJSON *q = NULL;
	MC__CHECK(questionnaire_parse(json, strlen(json), &q, err));
	const char *id = mc__json_get(q, "id")->valuestring, *aud = mc__json_get(q, "audience")->valuestring;
	qrow x;
	mc_status st = q_load(s, id, 0, &x, err);
	int64_t v = x.version;
	if (st == MC_OK && (!x.json || strcmp(x.json, json) != 0)) {
		v = x.version + 1;
		mc__val p[5] = {mc__v_text(id), mc__v_int(v), mc__v_text(aud), mc__v_text(json), mc__v_int(mc__time_now())};
		st = mc__store_exec(s, "questionnaire_save",
		                    "INSERT INTO qa_questionnaires (id, version, audience, json, created) VALUES ($1, $2, $3, $4, $5)",
		                    p, 5, NULL, NULL, NULL, err);
		qa__js j = {false};
		cJSON *d = cJSON_CreateObject();
		qa__num(&j, d, "version", (double)v);
		if (st == MC_OK)
			st = qa__audit(s, who, "feedback.questionnaire", id, d, err);
		else
			cJSON_Delete(d);
	}
	if (st == MC_OK && version)
		*version = v;
	free(x.json);
	cJSON_Delete(q);
	return st;
}

mc_status mc_qa_questionnaire_save(mc_store *s, const char *json, const mc_qa_actor *who, int64_t *version,
                                   mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	MC__CHECK(qa__actor(err, who));
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, q_save_in(s, json, who, version, err), err);
}

/* The questionnaire, installing a shipped default on first use. */
static mc_status q_get(mc_store *s, const char *id, int64_t version, qrow *x, mc_err *err)
{
	MC__CHECK(q_load(s, id, version, x, err));
	if (x->json)
		return MC_OK;
	for (int i = 0; i < 3 && version <= 1; i++) {
		char did[32];
		snprintf(did, sizeof did, "%s-default", audiences[i]);
		if (strcmp(id, did) != 0)
			continue;
		static const mc_qa_actor mcred = {"mcred", MC_QA_ROLE_OFFICER};
		MC__CHECK(q_save_in(s, mc_qa_questionnaire_default(audiences[i]), &mcred, NULL, err));
		return q_load(s, id, version, x, err);
	}
	return MC_OK;
}

mc_status mc_qa_questionnaire_get(mc_store *s, const char *id, int64_t version, char **json, int64_t *got_version,
                                  mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	if (!qa__short_id(id))
		return mc__fail(err, MC_ERR_ARG, "id", "id is not a questionnaire id");
	if (version < 0)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 0 (0: latest)");
	qrow x;
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	mc_status st = mc__store_atomic_end(s, q_get(s, id, version, &x, err), err);
	if (st == MC_OK && !x.json)
		st = mc__fail(err, MC_ERR_MISSING, "id", "no questionnaire '%s'%s", id, version ? " in that version" : "");
	if (st == MC_OK) {
		*json = x.json;
		if (got_version)
			*got_version = x.version;
	} else {
		free(x.json);
	}
	return st;
}

/* ---- responses --------------------------------------------------------- */

static mc_status latest_published(mc_store *s, const char *tpl, int64_t *v, mc_err *err)
{
	mc__val p[1] = {mc__v_text(tpl)};
	*v = 0;
	MC__CHECK(mc__store_exec(s, "respond", "SELECT max(version) FROM templates WHERE id = $1 AND state = 'published'", p, 1,
	                     mc__row_int, v, NULL, err));
	return *v ? MC_OK : mc__fail(err, MC_ERR_MISSING, "template_id", "respond: '%.200s' has no published version", tpl);
}

static mc_status respond_in(mc_store *s, const mc_qa_response_in *in, const mc_qa_actor *who, char *id,
                            mc_err *err)
{
	qrow x;
	cJSON *q = NULL, *r = NULL;
	mc_store_credential cred = {0};
	const char *tpl = in->template_id;
	int64_t tv = in->template_version;
	mc_status st = q_get(s, in->questionnaire, in->questionnaire_version, &x, err);
	if (st == MC_OK && !x.json)
		st = mc__fail(err, MC_ERR_MISSING, "questionnaire", "respond: no questionnaire '%s'", in->questionnaire);
	if (st == MC_OK)
		st = mc__json_load(x.json, strlen(x.json), &q, err);
	if (st == MC_OK)
		st = mc__json_load(in->answers, strlen(in->answers), &r, err);
	if (st == MC_OK)
		st = response_tree(q, r, err);
	int aud = st == MC_OK ? name_of(mc__json_get(q, "audience")->valuestring, audiences, 3) : 0;
	if (aud < 0)
		aud = 0; /* the stored questionnaire was checked: cannot happen */
	mc_qa_role want = aud == 0 ? MC_QA_ROLE_LEARNER : aud == 1 ? MC_QA_ROLE_EMPLOYER : MC_QA_ROLE_PEER;
	if (st == MC_OK && who->role != want && who->role != MC_QA_ROLE_OFFICER)
		st = mc__fail(err, MC_ERR_VALUE, "actor.role", "respond: a %s questionnaire is answered by a %s, not a %s",
		              audiences[aud], mc_qa_role_name(want), mc_qa_role_name(who->role));
	if (st == MC_OK && aud == 0 && !in->credential_id)
		st = mc__fail(err, MC_ERR_MISSING, "credential_id",
		              "respond: a learner answers for a credential they hold (credential_id)");
	if (st == MC_OK && in->credential_id) {
		st = mc__cred_get(s, in->credential_id, &cred, err);
		if (st == MC_OK && tpl && strcmp(tpl, cred.template_id) != 0)
			st = mc__fail(err, MC_ERR_VALUE, "template_id", "respond: the credential was issued from '%.200s'",
			              cred.template_id);
		if (st == MC_OK && tv && tv != cred.template_version)
			st = mc__fail(err, MC_ERR_VALUE, "template_version", "respond: the credential was issued from version %lld",
			              (long long)cred.template_version);
		if (st == MC_OK) {
			tpl = cred.template_id;
			tv = cred.template_version;
		}
	}
	if (st == MC_OK && !tpl)
		st = mc__fail(err, MC_ERR_MISSING, "template_id", "respond: name the specification (template_id)");
	if (st == MC_OK && !tv)
		st = latest_published(s, tpl, &tv, err);
	if (st == MC_OK && in->credential_id) {
		int64_t dup = 0;
		mc__val p[2] = {mc__v_text(in->questionnaire), mc__v_text(in->credential_id)};
		st = mc__store_exec(s, "respond",
		                    "SELECT count(*) FROM qa_responses WHERE questionnaire_id = $1 AND credential_id = $2", p, 2,
		                    mc__row_int, &dup, NULL, err);
		if (st == MC_OK && dup)
			st = mc__fail(err, MC_ERR_VALUE, "credential_id",
			              "respond: conflict: this credential has already answered questionnaire '%s'",
			              in->questionnaire);
	}
	if (st == MC_OK) {
		/* stored in the canonical compact form: the export reads it back */
		char *compact = mc__json_print(r, 0);
		mc__val p[10] = {mc__v_text(id),       mc__v_text(in->questionnaire), mc__v_int(x.version),
		                 mc__v_text(audiences[aud]), mc__v_text(tpl),        mc__v_int(tv),
		                 mc__v_text(in->credential_id), mc__v_text(aud == 0 ? NULL : in->respondent),
		                 mc__v_text(compact), mc__v_int(mc__time_now())};
		st = compact ? mc__store_exec(s, "respond",
		                              "INSERT INTO qa_responses (id, questionnaire_id, questionnaire_version, audience, "
		                              "template_id, template_version, credential_id, respondent, answers, created) "
		                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		                              p, 10, NULL, NULL, NULL, err)
		             : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		free(compact);
	}
	if (st == MC_OK) {
		qa__js j = {false};
		cJSON *d = cJSON_CreateObject();
		qa__str(&j, d, "template", tpl);
		qa__num(&j, d, "version", (double)tv);
		qa__str(&j, d, "questionnaire", in->questionnaire);
		st = qa__audit(s, who, "feedback.respond", id, d, err);
	}
	mc_store_credential_clear(&cred);
	cJSON_Delete(q);
	cJSON_Delete(r);
	free(x.json);
	return st;
}

mc_status mc_qa_respond(mc_store *s, const mc_qa_response_in *in, const mc_qa_actor *who, char **id, mc_err *err)
{
	if (id)
		*id = NULL;
	if (!s || !in)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "in", "argument is NULL");
	MC__CHECK(qa__actor(err, who));
	if (!qa__short_id(in->questionnaire))
		return mc__fail(err, MC_ERR_ARG, "questionnaire", "questionnaire is not a questionnaire id");
	if (in->questionnaire_version < 0 || in->template_version < 0)
		return mc__fail(err, MC_ERR_ARG, "version", "versions are >= 0 (0: latest)");
	if (in->template_id)
		MC__CHECK(qa__id(err, in->template_id, "template_id"));
	if (in->credential_id)
		MC__CHECK(qa__id(err, in->credential_id, "credential_id"));
	MC__CHECK(mc__check_text(err, in->respondent, "respondent", MC_STORE_TEXT_MAX, true));
	MC__CHECK(mc__check_json_object(err, in->answers, "answers"));
	char u[48];
	mc__uuid_urn(u);
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	MC__CHECK(mc__store_atomic_end(s, respond_in(s, in, who, u, err), err));
	if (id && !(*id = strdup(u)))
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	return MC_OK;
}

/* ---- aggregates ------------------------------------------------------------ */

typedef struct group {
	char *qid, *audience;
	int64_t qv, n;
} group;

typedef struct groups {
	group v[256];
	size_t n;
} groups;

static mc_status row_group(void *ctx, const mc__val *c, int n)
{
	groups *g = ctx;
	if (n != 4)
		return MC_ERR_INTERNAL;
	if (g->n == sizeof g->v / sizeof *g->v)
		return MC_OK; /* more questionnaire versions than a page shows: the first 256 */
	group *x = &g->v[g->n];
	if (!mc__col_str(&x->qid, &c[0]) || !mc__col_str(&x->audience, &c[2])) {
		free(x->qid);
		return MC_ERR_NOMEM;
	}
	x->qv = mc__col_int(&c[1], 0);
	x->n = mc__col_int(&c[3], 0);
	g->n++;
	return MC_OK;
}

static void groups_free(groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].qid);
		free(g->v[i].audience);
	}
	g->n = 0;
}

typedef struct acc {
	const cJSON *questions;
	int nq;
	int64_t answered[MC_QA_QUESTIONS_MAX], sum[MC_QA_QUESTIONS_MAX], counts[MC_QA_QUESTIONS_MAX][5],
		yes[MC_QA_QUESTIONS_MAX];
} acc;

static mc_status row_answers(void *ctx, const mc__val *c, int n)
{
	acc *a = ctx;
	if (n != 1 || c[0].type != MC__V_TEXT)
		return MC_ERR_INTERNAL;
	cJSON *r = NULL;
	if (mc__json_load(c[0].p, c[0].n, &r, NULL) != MC_OK)
		return MC_ERR_INTERNAL; /* stored responses were checked: a bad one is a bug */
	const cJSON *ans = mc__json_get(r, "answers"), *q;
	int i = 0;
	cJSON_ArrayForEach(q, a->questions)
	{
		const cJSON *v = mc__json_get(ans, mc__json_get(q, "id")->valuestring);
		if (v && i < MC_QA_QUESTIONS_MAX) {
			a->answered[i]++;
			if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= 5) {
				a->sum[i] += (int64_t)v->valuedouble;
				a->counts[i][(int)v->valuedouble - 1]++;
			} else if (cJSON_IsTrue(v)) {
				a->yes[i]++;
			}
		}
		i++;
	}
	cJSON_Delete(r);
	return MC_OK;
}

mc_status qa__min_group(mc_store *s, const char *tpl, int asked, int *out, mc_err *err)
{
	if (asked) {
		if (asked < MC_QA_MIN_GROUP_FLOOR)
			return mc__fail(err, MC_ERR_VALUE, "min_group", "the minimum group size is at least %d",
			                MC_QA_MIN_GROUP_FLOOR);
		*out = asked;
		return MC_OK;
	}
	char *prov = NULL;
	mc__val p[1] = {mc__v_text(tpl)};
	MC__CHECK(mc__store_exec(s, "aggregate",
	                     "SELECT provider FROM qa_specs WHERE template_id = $1 ORDER BY template_version DESC LIMIT 1", p,
	                     1, qa__row_text, &prov, NULL, err));
	qa__config cfg;
	mc_status st = qa__config_load(s, prov, &cfg, err);
	free(prov);
	MC__CHECK(st);
	*out = cfg.min_group;
	qa__config_release(&cfg);
	return MC_OK;
}

static mc_status group_tree(mc_store *s, const char *tpl, int64_t version, const group *g, int min_group, qa__js *j,
                            cJSON *o, mc_err *err)
{
	qa__str(j, o, "questionnaire", g->qid);
	qa__num(j, o, "questionnaireVersion", (double)g->qv);
	qa__str(j, o, "audience", g->audience);
	if (g->n < min_group) {
		qa__bool(j, o, "suppressed", true);
		return MC_OK;
	}
	qrow x;
	cJSON *q = NULL;
	MC__CHECK(q_load(s, g->qid, g->qv, &x, err));
	mc_status st = x.json ? mc__json_load(x.json, strlen(x.json), &q, err)
	                      : mc__fail(err, MC_ERR_INTERNAL, NULL, "a response names a missing questionnaire");
	free(x.json);
	if (st != MC_OK)
		return st;
	acc *a = calloc(1, sizeof *a);
	if (!a) {
		cJSON_Delete(q);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	a->questions = mc__json_get(q, "questions");
	mc__val p[4] = {mc__v_text(tpl), mc__v_text(g->qid), mc__v_int(g->qv), mc__v_int(version)};
	st = version ? mc__store_exec(s, "aggregate",
	                              "SELECT answers FROM qa_responses WHERE template_id = $1 AND questionnaire_id = $2 "
	                              "AND questionnaire_version = $3 AND template_version = $4",
	                              p, 4, row_answers, a, NULL, err)
	             : mc__store_exec(s, "aggregate",
	                              "SELECT answers FROM qa_responses WHERE template_id = $1 AND questionnaire_id = $2 "
	                              "AND questionnaire_version = $3",
	                              p, 3, row_answers, a, NULL, err);
	qa__str(j, o, "title", cJSON_IsString(mc__json_get(q, "title")) ? mc__json_get(q, "title")->valuestring : NULL);
	qa__num(j, o, "responses", (double)g->n);
	cJSON *arr = qa__arr(j, o, "questions");
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a->questions)
	{
		cJSON *qo = qa__obj(j, arr, NULL);
		const char *type = mc__json_get(e, "type")->valuestring;
		qa__str(j, qo, "id", mc__json_get(e, "id")->valuestring);
		qa__str(j, qo, "type", type);
		qa__str(j, qo, "text", mc__json_get(e, "text")->valuestring);
		if (a->answered[i] < min_group) {
			qa__bool(j, qo, "suppressed", true);
		} else {
			qa__num(j, qo, "answered", (double)a->answered[i]);
			int t = name_of(type, qtypes, 3);
			if (t == T_SCALE) {
				qa__num(j, qo, "mean", round(100.0 * (double)a->sum[i] / (double)a->answered[i]) / 100.0);
				cJSON *c = qa__obj(j, qo, "counts");
				for (int k = 0; k < 5; k++) {
					char key[2] = {(char)('1' + k), 0};
					qa__num(j, c, key, (double)a->counts[i][k]);
				}
			} else if (t == T_YESNO) {
				qa__num(j, qo, "yes", (double)a->yes[i]);
				qa__num(j, qo, "no", (double)(a->answered[i] - a->yes[i]));
			}
			/* text: counted, never shown (free text can name people) */
		}
		i++;
	}
	free(a);
	cJSON_Delete(q);
	return st;
}

mc_status qa__aggregate_tree(mc_store *s, const char *tpl, int64_t version, int min_group, cJSON **out, mc_err *err)
{
	*out = NULL;
	int mg = 0;
	MC__CHECK(qa__min_group(s, tpl, min_group, &mg, err));
	groups *g = calloc(1, sizeof *g);
	if (!g)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	mc__val p[2] = {mc__v_text(tpl), mc__v_int(version)};
	mc_status st =
		version ? mc__store_exec(s, "aggregate",
	                                 "SELECT questionnaire_id, questionnaire_version, audience, count(*) FROM qa_responses "
	                                 "WHERE template_id = $1 AND template_version = $2 GROUP BY questionnaire_id, "
	                                 "questionnaire_version, audience ORDER BY questionnaire_id, questionnaire_version",
	                                 p, 2, row_group, g, NULL, err)
	                : mc__store_exec(s, "aggregate",
	                                 "SELECT questionnaire_id, questionnaire_version, audience, count(*) FROM qa_responses "
	                                 "WHERE template_id = $1 GROUP BY questionnaire_id, questionnaire_version, audience "
	                                 "ORDER BY questionnaire_id, questionnaire_version",
	                                 p, 1, row_group, g, NULL, err);
	qa__js j = {false};
	cJSON *root = cJSON_CreateObject();
	qa__str(&j, root, "template", tpl);
	if (version)
		qa__num(&j, root, "version", (double)version);
	else
		qa__str(&j, root, "version", NULL);
	qa__num(&j, root, "minGroupSize", mg);
	cJSON *arr = qa__arr(&j, root, "groups");
	for (size_t i = 0; i < g->n && st == MC_OK; i++)
		st = group_tree(s, tpl, version, &g->v[i], mg, &j, qa__obj(&j, arr, NULL), err);
	groups_free(g);
	free(g);
	if (st == MC_OK && (j.nomem || !root))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st != MC_OK) {
		cJSON_Delete(root);
		return st;
	}
	*out = root;
	return MC_OK;
}

mc_status mc_qa_feedback_aggregate(mc_store *s, const char *tpl, int64_t version, int min_group, char **json,
                                   mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	MC__CHECK(qa__id(err, tpl, "template"));
	if (version < 0)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 0 (0: all)");
	cJSON *root = NULL;
	MC__CHECK(qa__aggregate_tree(s, tpl, version, min_group, &root, err));
	qa__js j = {false};
	return qa__finish(&j, root, json, err);
}

/* ---- CSV export ---------------------------------------------------------------- */

static void csv_cell(mc__buf *b, const char *v)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;
	bool formula = v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r';
	if (quote || formula)
		mc__buf_adds(b, "\"");
	if (formula)
		mc__buf_adds(b, "'");
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			mc__buf_adds(b, "\"\"");
		else
			mc__buf_add(b, p, 1);
	}
	if (quote || formula)
		mc__buf_adds(b, "\"");
}

typedef struct csv_ctx {
	mc__buf *b;
	cJSON *cols; /* question ids, array of strings */
} csv_ctx;

static mc_status row_qcols(void *ctx, const mc__val *c, int n)
{
	csv_ctx *x = ctx;
	if (n != 1 || c[0].type != MC__V_TEXT)
		return MC_ERR_INTERNAL;
	cJSON *q = NULL;
	if (mc__json_load(c[0].p, c[0].n, &q, NULL) != MC_OK)
		return MC_ERR_INTERNAL;
	const cJSON *e, *k;
	cJSON_ArrayForEach(e, mc__json_get(q, "questions"))
	{
		const char *id = mc__json_get(e, "id")->valuestring;
		bool seen = false;
		cJSON_ArrayForEach(k, x->cols) seen = seen || strcmp(k->valuestring, id) == 0;
		cJSON *sid = seen ? NULL : cJSON_CreateString(id);
		if (!seen && (!sid || !cJSON_AddItemToArray(x->cols, sid))) {
			cJSON_Delete(sid);
			cJSON_Delete(q);
			return MC_ERR_NOMEM;
		}
	}
	cJSON_Delete(q);
	return MC_OK;
}

static mc_status row_csv(void *ctx, const mc__val *c, int n)
{
	csv_ctx *x = ctx;
	if (n != 7 || c[6].type != MC__V_TEXT)
		return MC_ERR_INTERNAL;
	char *id = NULL, *aud = NULL, *tpl = NULL, num[32], day[32];
	if (!mc__col_str(&id, &c[0]) || !mc__col_str(&aud, &c[2]) || !mc__col_str(&tpl, &c[3])) {
		free(id);
		free(aud);
		return MC_ERR_NOMEM;
	}
	csv_cell(x->b, id);
	snprintf(num, sizeof num, ",%lld,", (long long)mc__col_int(&c[1], 0));
	mc__buf_adds(x->b, num);
	csv_cell(x->b, aud);
	mc__buf_adds(x->b, ",");
	csv_cell(x->b, tpl);
	mc__time_format(mc__col_int(&c[5], 0), day);
	day[10] = '\0'; /* the day only: the time of day helps re-identify */
	mc__buf_addf(x->b, ",%lld,%s", (long long)mc__col_int(&c[4], 0), day);
	free(id);
	free(aud);
	free(tpl);
	cJSON *r = NULL;
	if (mc__json_load(c[6].p, c[6].n, &r, NULL) != MC_OK)
		return MC_ERR_INTERNAL;
	const cJSON *ans = mc__json_get(r, "answers"), *k;
	cJSON_ArrayForEach(k, x->cols)
	{
		const cJSON *v = mc__json_get(ans, k->valuestring);
		mc__buf_adds(x->b, ",");
		if (cJSON_IsNumber(v))
			mc__buf_addf(x->b, "%d", (int)v->valuedouble);
		else if (cJSON_IsBool(v))
			mc__buf_adds(x->b, cJSON_IsTrue(v) ? "yes" : "no");
		else if (cJSON_IsString(v))
			csv_cell(x->b, v->valuestring);
	}
	mc__buf_adds(x->b, "\r\n");
	cJSON_Delete(r);
	return x->b->status;
}

mc_status mc_qa_feedback_csv(mc_store *s, const char *q, const char *tpl, int64_t version, char **csv, mc_err *err)
{
	if (!s || !csv)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "csv", "argument is NULL");
	*csv = NULL;
	if (!qa__short_id(q))
		return mc__fail(err, MC_ERR_ARG, "questionnaire", "questionnaire is not a questionnaire id");
	MC__CHECK(qa__id(err, tpl, "template"));
	if (version < 0)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 0 (0: all)");
	mc__buf b;
	mc__buf_init(&b, QA_EXPORT_MAX);
	csv_ctx x = {&b, cJSON_CreateArray()};
	if (!x.cols)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	mc__val p[3] = {mc__v_text(q), mc__v_text(tpl), mc__v_int(version)};
	mc_status st = mc__store_exec(s, "feedback_csv", "SELECT json FROM qa_questionnaires WHERE id = $1 ORDER BY version",
	                              p, 1, row_qcols, &x, NULL, err);
	if (st == MC_OK && cJSON_GetArraySize(x.cols) == 0)
		st = mc__fail(err, MC_ERR_MISSING, "questionnaire", "no questionnaire '%s'", q);
	mc__buf_adds(&b, "response,questionnaire_version,audience,template,template_version,date");
	const cJSON *k;
	cJSON_ArrayForEach(k, x.cols)
	{
		mc__buf_adds(&b, ",");
		csv_cell(&b, k->valuestring);
	}
	mc__buf_adds(&b, "\r\n");
	if (st == MC_OK)
		st = version ? mc__store_exec(s, "feedback_csv",
		                              "SELECT id, questionnaire_version, audience, template_id, template_version, created, "
		                              "answers FROM qa_responses WHERE questionnaire_id = $1 AND template_id = $2 AND "
		                              "template_version = $3 ORDER BY created, id",
		                              p, 3, row_csv, &x, NULL, err)
		             : mc__store_exec(s, "feedback_csv",
		                              "SELECT id, questionnaire_version, audience, template_id, template_version, created, "
		                              "answers FROM qa_responses WHERE questionnaire_id = $1 AND template_id = $2 "
		                              "ORDER BY created, id",
		                              p, 2, row_csv, &x, NULL, err);
	cJSON_Delete(x.cols);
	if (st == MC_OK && b.status != MC_OK)
		st = mc__fail(err, b.status, NULL, "feedback export: %s", mc_strerror(b.status));
	if (st != MC_OK) {
		mc__buf_release(&b);
		return st;
	}
	*csv = mc__buf_take(&b, NULL);
	return *csv ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}

/* ---- invitations ------------------------------------------------------------ */

typedef struct pending_ctx {
	qa__js *j;
	cJSON *arr;
} pending_ctx;

static mc_status row_pending(void *ctx, const mc__val *c, int n)
{
	pending_ctx *x = ctx;
	if (n != 4)
		return MC_ERR_INTERNAL;
	char *cred = NULL, *learner = NULL;
	if (!mc__col_str(&cred, &c[0]) || !mc__col_str(&learner, &c[1])) {
		free(cred);
		return MC_ERR_NOMEM;
	}
	cJSON *o = qa__obj(x->j, x->arr, NULL);
	qa__str(x->j, o, "credential", cred);
	qa__str(x->j, o, "learner", learner);
	qa__num(x->j, o, "version", (double)mc__col_int(&c[2], 0));
	qa__date(x->j, o, "issued", mc__col_int(&c[3], 0));
	free(cred);
	free(learner);
	return x->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_feedback_pending(mc_store *s, const char *tpl, const char *q, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	MC__CHECK(qa__id(err, tpl, "template"));
	if (!qa__short_id(q))
		return mc__fail(err, MC_ERR_ARG, "questionnaire", "questionnaire is not a questionnaire id");
	qa__js j = {false};
	pending_ctx x = {&j, cJSON_CreateArray()};
	mc__val p[2] = {mc__v_text(tpl), mc__v_text(q)};
	mc_status st = mc__store_exec(s, "feedback_pending",
	                              "SELECT c.id, c.learner_id, c.template_version, c.issued_at FROM credentials c "
	                              "WHERE c.template_id = $1 AND c.state <> 'revoked' AND c.erased_at IS NULL "
	                              "AND NOT EXISTS (SELECT 1 FROM qa_responses r WHERE r.credential_id = c.id "
	                              "AND r.questionnaire_id = $2) ORDER BY c.issued_at, c.id",
	                              p, 2, row_pending, &x, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(x.arr);
		return st;
	}
	return qa__finish(&j, x.arr, json, err);
}
