/*
 * invite.c - feedback by invitation: a QA officer makes a single-use link
 * for a learner (bound to the credential they hold), an employer or a
 * peer; the person answers the questionnaire through it without any
 * account. Only the SHA-256 of the token is stored, so the table hands
 * out no links; spending the invitation and recording the answer are one
 * transaction, so a link answers once even when two tabs race.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "qa/qa_internal.h"

#define INVITE_PREFIX "mqi_"
/* Hex characters of the short id shown in lists and the audit log: enough
 * to tell invitations apart, far too few to guess the token from. */
#define SHORT_ID 12

static const char *const audiences[] = {"learner", "employer", "peer"};

/* hex SHA-256 of a presented token; -1 when it cannot be one of ours */
static int token_hash(const char *token, char hex[65])
{
	if (!token || strlen(token) != MC_QA_INVITE_CHARS || strncmp(token, INVITE_PREFIX, 4) != 0)
		return -1;
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, MC_QA_INVITE_CHARS);
	sodium_bin2hex(hex, 65, h, sizeof h);
	return 0;
}

static mc_status row_version(void *ctx, const mc__val *c, int n)
{
	if (n != 1)
		return MC_ERR_INTERNAL;
	*(int64_t *)ctx = mc__col_int(&c[0], 0);
	return MC_OK;
}

/* The version feedback on tpl is about: the latest published one, else
 * the latest (feedback on a pilot run before publication is allowed). */
static mc_status spec_version(mc_store *s, const char *tpl, int64_t *v, mc_err *err)
{
	mc__val p[1] = {mc__v_text(tpl)};
	*v = 0;
	MC__CHECK(mc__store_exec(s, "invite", "SELECT max(version) FROM templates WHERE id = $1 AND state = 'published'", p,
	                         1, row_version, v, NULL, err));
	if (!*v)
		MC__CHECK(mc__store_exec(s, "invite", "SELECT max(version) FROM templates WHERE id = $1", p, 1, row_version, v,
		                         NULL, err));
	return *v ? MC_OK : mc__fail(err, MC_ERR_MISSING, "template_id", "invite: no template '%.200s'", tpl);
}

static mc_status invite_in(mc_store *s, const mc_qa_invite_in *in, const mc_qa_actor *who, const char *hash,
                           mc_err *err)
{
	int aud = -1;
	for (int i = 0; i < 3; i++)
		if (in->audience && strcmp(in->audience, audiences[i]) == 0)
			aud = i;
	if (aud < 0)
		return mc__fail(err, MC_ERR_VALUE, "audience", "invite: audience is learner, employer or peer");
	if (who->role != MC_QA_ROLE_OFFICER)
		return mc__fail(err, MC_ERR_VALUE, "actor.role", "invite: a %s cannot do this; it needs a qa-officer",
		                mc_qa_role_name(who->role));
	if (in->days < 0 || in->days > MC_QA_INVITE_DAYS_MAX)
		return mc__fail(err, MC_ERR_VALUE, "days", "invite: days is 1 to %d", MC_QA_INVITE_DAYS_MAX);
	if (aud == 0 && !in->credential_id)
		return mc__fail(err, MC_ERR_MISSING, "credential_id", "invite: a learner is invited for a credential they hold");
	if (aud != 0 && in->credential_id)
		return mc__fail(err, MC_ERR_VALUE, "credential_id", "invite: only learners answer for a credential");
	const char *tpl = in->template_id;
	int64_t tv = in->template_version;
	mc_store_credential cred = {0};
	mc_status st = MC_OK;
	if (in->credential_id) {
		st = mc__cred_get(s, in->credential_id, &cred, err);
		if (st == MC_OK && cred.erased_at)
			st = mc__fail(err, MC_ERR_VALUE, "credential_id", "invite: the learner's data was erased");
		if (st == MC_OK && tpl && strcmp(tpl, cred.template_id) != 0)
			st = mc__fail(err, MC_ERR_VALUE, "template_id", "invite: the credential was issued from '%.200s'",
			              cred.template_id);
		if (st == MC_OK) {
			tpl = cred.template_id;
			tv = cred.template_version;
		}
	}
	if (st == MC_OK && !tpl)
		st = mc__fail(err, MC_ERR_MISSING, "template_id", "invite: name the specification (template_id)");
	if (st == MC_OK && !tv)
		st = spec_version(s, tpl, &tv, err);
	char qid[MC_QA_ID_MAX + 16];
	snprintf(qid, sizeof qid, "%s-default", audiences[aud]);
	const char *q = in->questionnaire ? in->questionnaire : qid;
	char *qjson = NULL;
	cJSON *qt = NULL;
	if (st == MC_OK)
		st = mc_qa_questionnaire_get(s, q, 0, &qjson, NULL, err);
	if (st == MC_OK)
		st = mc__json_load(qjson, strlen(qjson), &qt, err);
	if (st == MC_OK && strcmp(mc__json_get(qt, "audience")->valuestring, audiences[aud]) != 0)
		st = mc__fail(err, MC_ERR_VALUE, "questionnaire", "invite: questionnaire '%s' is for %ss, not %ss", q,
		              mc__json_get(qt, "audience")->valuestring, audiences[aud]);
	cJSON_Delete(qt);
	mc_free(qjson);
	int64_t now = mc__time_now();
	if (st == MC_OK) {
		mc__val p[10] = {mc__v_text(hash),
		                 mc__v_text(audiences[aud]),
		                 mc__v_text(q),
		                 mc__v_text(tpl),
		                 mc__v_int(tv),
		                 mc__v_text(in->credential_id),
		                 mc__v_text(aud == 0 ? NULL : in->respondent),
		                 mc__v_text(who->id),
		                 mc__v_int(now),
		                 mc__v_int(now + 86400 * (int64_t)(in->days ? in->days : MC_QA_INVITE_DAYS_DEFAULT))};
		st = mc__store_exec(s, "invite",
		                    "INSERT INTO qa_invitations (hash, audience, questionnaire_id, template_id, template_version, "
		                    "credential_id, respondent, created_by, created, expires) VALUES ($1, $2, $3, $4, $5, $6, $7, "
		                    "$8, $9, $10)",
		                    p, 10, NULL, NULL, NULL, err);
	}
	if (st == MC_OK) {
		qa__js j = {false};
		cJSON *d = cJSON_CreateObject();
		char sid[SHORT_ID + 1];
		snprintf(sid, sizeof sid, "%.*s", SHORT_ID, hash);
		qa__str(&j, d, "invitation", sid);
		qa__str(&j, d, "audience", audiences[aud]);
		qa__str(&j, d, "questionnaire", q);
		qa__num(&j, d, "version", (double)tv);
		st = qa__audit(s, who, "feedback.invite", tpl, d, err);
	}
	mc_store_credential_clear(&cred);
	return st;
}

mc_status mc_qa_invite(mc_store *s, const mc_qa_invite_in *in, const mc_qa_actor *who,
                       char token[MC_QA_INVITE_CHARS + 1], mc_err *err)
{
	if (!s || !in || !token)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : !in ? "in" : "token", "argument is NULL");
	token[0] = '\0';
	MC__CHECK(qa__actor(err, who));
	if (in->template_id)
		MC__CHECK(qa__id(err, in->template_id, "template_id"));
	if (in->credential_id)
		MC__CHECK(qa__id(err, in->credential_id, "credential_id"));
	if (in->questionnaire && !qa__short_id(in->questionnaire))
		return mc__fail(err, MC_ERR_VALUE, "questionnaire", "questionnaire is not a questionnaire id");
	if (in->template_version < 0)
		return mc__fail(err, MC_ERR_ARG, "template_version", "versions are >= 0 (0: latest)");
	MC__CHECK(mc__check_text(err, in->respondent, "respondent", MC_STORE_TEXT_MAX, true));
	char tok[MC_QA_INVITE_CHARS + 1], hex[65];
	uint8_t raw[32];
	memcpy(tok, INVITE_PREFIX, 4);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(tok + 4, sizeof tok - 4, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	if (token_hash(tok, hex) != 0)
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "invite: token of the wrong length");
	mc_status st = mc__store_atomic_begin(s, false, err);
	if (st == MC_OK)
		st = mc__store_atomic_end(s, invite_in(s, in, who, hex, err), err);
	if (st == MC_OK)
		memcpy(token, tok, sizeof tok);
	sodium_memzero(tok, sizeof tok);
	return st;
}

/* One invitation row. */
typedef struct inv {
	char *audience, *q, *tpl, *cred, *respondent;
	int64_t version, created, expires, used;
	bool found;
} inv;

static void inv_clear(inv *x)
{
	free(x->audience), free(x->q), free(x->tpl), free(x->cred), free(x->respondent);
	memset(x, 0, sizeof *x);
}

static mc_status row_inv(void *ctx, const mc__val *c, int n)
{
	inv *x = ctx;
	if (n != 9)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&x->audience, &c[0]) || !mc__col_str(&x->q, &c[1]) || !mc__col_str(&x->tpl, &c[2]) ||
	    !mc__col_str(&x->cred, &c[4]) || !mc__col_str(&x->respondent, &c[5]))
		return MC_ERR_NOMEM;
	x->version = mc__col_int(&c[3], 0);
	x->created = mc__col_int(&c[6], 0);
	x->expires = mc__col_int(&c[7], 0);
	x->used = mc__col_int(&c[8], 0);
	x->found = true;
	return MC_OK;
}

#define INV_COLS                                                                                           \
	"audience, questionnaire_id, template_id, template_version, credential_id, respondent, created, expires, " \
	"used_at"

/* The live invitation of token: MISSING when unknown, VALUE (conflict)
 * when spent or expired. */
static mc_status inv_live(mc_store *s, const char *token, char hex[65], inv *x, mc_err *err)
{
	if (token_hash(token, hex) != 0)
		return mc__fail(err, MC_ERR_MISSING, "invitation", "no such invitation");
	mc__val p[1] = {mc__v_text(hex)};
	MC__CHECK(mc__store_exec(s, "invite", "SELECT " INV_COLS " FROM qa_invitations WHERE hash = $1", p, 1, row_inv, x,
	                         NULL, err));
	if (!x->found)
		return mc__fail(err, MC_ERR_MISSING, "invitation", "no such invitation");
	if (x->used)
		return mc__fail(err, MC_ERR_VALUE, "invitation", "conflict: this invitation has been answered already");
	if (x->expires <= mc__time_now())
		return mc__fail(err, MC_ERR_VALUE, "invitation", "conflict: this invitation has expired");
	return MC_OK;
}

mc_status mc_qa_invite_get(mc_store *s, const char *token, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	char hex[65];
	inv x = {0};
	mc_status st = inv_live(s, token, hex, &x, err);
	char *q = NULL, *tj = NULL;
	cJSON *ach = NULL;
	if (st == MC_OK)
		st = mc_qa_questionnaire_get(s, x.q, 0, &q, NULL, err);
	if (st == MC_OK)
		st = qa__template_json(s, x.tpl, x.version, NULL, &tj, err);
	if (st == MC_OK)
		st = mc__json_load(tj, strlen(tj), &ach, err);
	if (st == MC_OK) {
		qa__js j = {false};
		cJSON *root = cJSON_CreateObject();
		char sid[SHORT_ID + 1];
		snprintf(sid, sizeof sid, "%.*s", SHORT_ID, hex);
		qa__str(&j, root, "invitation", sid);
		qa__str(&j, root, "audience", x.audience);
		qa__str(&j, root, "template", x.tpl);
		qa__num(&j, root, "version", (double)x.version);
		qa__str(&j, root, "title", qa__title(ach));
		qa__str(&j, root, "respondent", x.respondent);
		qa__date(&j, root, "expires", x.expires);
		qa__raw(&j, root, "questionnaire", q);
		st = qa__finish(&j, root, json, err);
	}
	cJSON_Delete(ach);
	free(tj);
	mc_free(q);
	inv_clear(&x);
	return st;
}

static mc_status answer_in(mc_store *s, const char *token, const char *answers, char **id, mc_err *err)
{
	char hex[65];
	inv x = {0};
	mc_status st = inv_live(s, token, hex, &x, err);
	char actor[32];
	snprintf(actor, sizeof actor, "invitation:%.*s", SHORT_ID, hex);
	mc_qa_role role = MC_QA_ROLE_LEARNER;
	if (st == MC_OK)
		role = strcmp(x.audience, "learner") == 0    ? MC_QA_ROLE_LEARNER
		       : strcmp(x.audience, "employer") == 0 ? MC_QA_ROLE_EMPLOYER
		                                             : MC_QA_ROLE_PEER;
	mc_qa_actor who = {actor, role};
	mc_qa_response_in in = {.questionnaire = x.q,
	                        .template_id = x.tpl,
	                        .template_version = x.version,
	                        .credential_id = x.cred,
	                        .respondent = x.respondent,
	                        .answers = answers};
	if (st == MC_OK)
		st = mc_qa_respond(s, &in, &who, id, err);
	int64_t changed = 0;
	if (st == MC_OK) {
		/* the condition makes a racing second answer change nothing */
		mc__val p[3] = {mc__v_int(mc__time_now()), mc__v_text(*id), mc__v_text(hex)};
		st = mc__store_exec(s, "invite",
		                    "UPDATE qa_invitations SET used_at = $1, response_id = $2 WHERE hash = $3 AND used_at IS NULL",
		                    p, 3, NULL, NULL, &changed, err);
	}
	if (st == MC_OK && changed != 1)
		st = mc__fail(err, MC_ERR_VALUE, "invitation", "conflict: this invitation has been answered already");
	inv_clear(&x);
	return st;
}

mc_status mc_qa_invite_answer(mc_store *s, const char *token, const char *answers, char **id, mc_err *err)
{
	if (id)
		*id = NULL;
	if (!s || !answers)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "answers", "argument is NULL");
	char *rid = NULL;
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	mc_status st = mc__store_atomic_end(s, answer_in(s, token, answers, &rid, err), err);
	if (st == MC_OK && id)
		*id = rid;
	else
		mc_free(rid);
	return st;
}

typedef struct list_ctx {
	qa__js *j;
	cJSON *arr;
} list_ctx;

static mc_status row_list(void *ctx, const mc__val *c, int n)
{
	list_ctx *l = ctx;
	if (n != 10)
		return MC_ERR_INTERNAL;
	inv x = {0};
	mc_status st = row_inv(&x, c + 1, 9);
	char *hex = NULL;
	if (st == MC_OK && !mc__col_str(&hex, &c[0]))
		st = MC_ERR_NOMEM;
	if (st == MC_OK) {
		cJSON *o = qa__obj(l->j, l->arr, NULL);
		if (hex && strlen(hex) > SHORT_ID)
			hex[SHORT_ID] = '\0';
		qa__str(l->j, o, "invitation", hex);
		qa__str(l->j, o, "audience", x.audience);
		qa__str(l->j, o, "questionnaire", x.q);
		qa__str(l->j, o, "template", x.tpl);
		qa__num(l->j, o, "version", (double)x.version);
		qa__str(l->j, o, "credential", x.cred);
		qa__str(l->j, o, "respondent", x.respondent);
		qa__date(l->j, o, "created", x.created);
		qa__date(l->j, o, "expires", x.expires);
		qa__date(l->j, o, "used", x.used);
	}
	free(hex);
	inv_clear(&x);
	return st != MC_OK ? st : l->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_invite_list(mc_store *s, const char *tpl, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	if (tpl)
		MC__CHECK(qa__id(err, tpl, "template_id"));
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	list_ctx l = {&j, arr};
	mc__val p[1] = {mc__v_text(tpl)};
	mc_status st = mc__store_exec(s, "invite_list",
	                              tpl ? "SELECT hash, " INV_COLS " FROM qa_invitations WHERE template_id = $1 "
	                                    "ORDER BY created DESC, hash"
	                                  : "SELECT hash, " INV_COLS " FROM qa_invitations ORDER BY created DESC, hash",
	                              p, tpl ? 1 : 0, row_list, &l, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}

/* ---- lists the front-ends pick from ------------------------------------------ */

static mc_status row_qlist(void *ctx, const mc__val *c, int n)
{
	list_ctx *l = ctx;
	if (n != 4)
		return MC_ERR_INTERNAL;
	char *id = NULL, *aud = NULL, *json = NULL;
	mc_status st = MC_OK;
	if (!mc__col_str(&id, &c[0]) || !mc__col_str(&aud, &c[2]) || !mc__col_str(&json, &c[3]))
		st = MC_ERR_NOMEM;
	cJSON *q = st == MC_OK && json ? cJSON_Parse(json) : NULL;
	if (st == MC_OK) {
		cJSON *o = qa__obj(l->j, l->arr, NULL);
		qa__str(l->j, o, "id", id);
		qa__num(l->j, o, "version", (double)mc__col_int(&c[1], 0));
		qa__str(l->j, o, "audience", aud);
		qa__str(l->j, o, "title", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "title")));
	}
	cJSON_Delete(q);
	free(id), free(aud), free(json);
	return st != MC_OK ? st : l->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_questionnaire_list(mc_store *s, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	/* the defaults exist once anybody looks: mc_qa_questionnaire_get saves them */
	for (int i = 0; i < 3; i++) {
		char id[32], *q = NULL;
		snprintf(id, sizeof id, "%s-default", audiences[i]);
		mc_status st = mc_qa_questionnaire_get(s, id, 0, &q, NULL, err);
		mc_free(q);
		MC__CHECK(st);
	}
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	list_ctx l = {&j, arr};
	mc_status st = mc__store_exec(s, "questionnaire_list",
	                              "SELECT q.id, q.version, q.audience, q.json FROM qa_questionnaires q WHERE q.version = "
	                              "(SELECT max(version) FROM qa_questionnaires x WHERE x.id = q.id) ORDER BY q.id",
	                              NULL, 0, row_qlist, &l, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}

static mc_status row_sessions(void *ctx, const mc__val *c, int n)
{
	list_ctx *l = ctx;
	if (n != 6)
		return MC_ERR_INTERNAL;
	char *v[4] = {NULL, NULL, NULL, NULL};
	mc_status st = MC_OK;
	for (int i = 0; i < 4 && st == MC_OK; i++)
		if (!mc__col_str(&v[i], &c[i]))
			st = MC_ERR_NOMEM;
	if (st == MC_OK) {
		cJSON *o = qa__obj(l->j, l->arr, NULL);
		qa__str(l->j, o, "id", v[0]);
		qa__str(l->j, o, "provider", v[1]);
		qa__str(l->j, o, "title", v[2]);
		qa__str(l->j, o, "stage", v[3]);
		qa__date(l->j, o, "created", mc__col_int(&c[4], 0));
		qa__date(l->j, o, "closed", mc__col_int(&c[5], 0));
	}
	for (int i = 0; i < 4; i++)
		free(v[i]);
	return st != MC_OK ? st : l->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_maturity_list(mc_store *s, const char *provider, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	if (provider)
		MC__CHECK(qa__id(err, provider, "provider"));
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	list_ctx l = {&j, arr};
	mc__val p[1] = {mc__v_text(provider)};
	mc_status st = mc__store_exec(s, "maturity_list",
	                              provider ? "SELECT id, provider, title, stage, created, closed_at FROM qa_sessions "
	                                         "WHERE provider = $1 ORDER BY created DESC, id"
	                                       : "SELECT id, provider, title, stage, created, closed_at FROM qa_sessions "
	                                         "ORDER BY created DESC, id",
	                              p, provider ? 1 : 0, row_sessions, &l, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}
