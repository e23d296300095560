/*
 * common.c - what every QA file uses: names of roles and states, the
 * provider configuration (checked strictly: a typo in "approvalChain"
 * would silently skip an approval body), argument checks, the audit
 * helper and the JSON builders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa/qa_internal.h"

static const char *const role_names[] = {"proposer", "reviewer", "qa-officer", "learner", "employer", "peer"};
#define NROLES (sizeof role_names / sizeof *role_names)

const char *mc_qa_role_name(mc_qa_role r)
{
	return (unsigned)r < NROLES ? role_names[r] : "unknown";
}

mc_status mc_qa_role_parse(const char *s, mc_qa_role *out)
{
	for (size_t i = 0; s && out && i < NROLES; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (mc_qa_role)i;
			return MC_OK;
		}
	return MC_ERR_VALUE;
}

/* ---- argument checks -------------------------------------------------- */

mc_status qa__id(mc_err *err, const char *v, const char *path)
{
	return mc__check_text(err, v, path, MC_STORE_ID_MAX, false);
}

mc_status qa__text(mc_err *err, const char *v, const char *path, bool optional)
{
	return mc__check_text(err, v, path, MC_QA_TEXT_MAX, optional);
}

mc_status qa__actor(mc_err *err, const mc_qa_actor *who)
{
	if (!who)
		return mc__fail(err, MC_ERR_ARG, "actor", "actor is NULL");
	MC__CHECK(mc__check_text(err, who->id, "actor.id", MC_STORE_TEXT_MAX, false));
	if ((unsigned)who->role >= NROLES)
		return mc__fail(err, MC_ERR_ARG, "actor.role", "unknown role %d", (int)who->role);
	return MC_OK;
}

mc_status qa__provider_args(mc_store *s, char **json, const char *provider, int64_t now, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	if (provider)
		MC__CHECK(mc__check_text(err, provider, "provider", MC_STORE_ID_MAX, false));
	return now < 0 ? mc__fail(err, MC_ERR_ARG, "now", "now is negative") : MC_OK;
}

mc_status qa__known_keys(const cJSON *o, const char *base, const char *const *keys, mc_err *err)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, o)
	{
		bool ok = false;
		for (const char *const *k = keys; *k && !ok; k++)
			ok = strcmp(*k, m->string) == 0;
		if (!ok) {
			char p[MC_ERR_PATH_MAX];
			mc__path_key(p, sizeof p, base, m->string);
			return mc__fail(err, MC_ERR_VALUE, p, "unknown member (see docs/qa.md)");
		}
	}
	return MC_OK;
}

bool qa__short_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > MC_QA_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '.' || c == '_'))
			return false;
	}
	return true;
}

/* ---- JSON builders ---------------------------------------------------- */

static cJSON *add(qa__js *j, cJSON *parent, const char *key, cJSON *item)
{
	if (!item) {
		j->nomem = true;
		return NULL;
	}
	if (!parent)
		return item;
	bool ok = cJSON_IsArray(parent) ? cJSON_AddItemToArray(parent, item)
	                                : cJSON_AddItemToObject(parent, key, item);
	if (!ok) {
		cJSON_Delete(item);
		j->nomem = true;
		return NULL;
	}
	return item;
}

cJSON *qa__obj(qa__js *j, cJSON *parent, const char *key)
{
	return add(j, parent, key, cJSON_CreateObject());
}

cJSON *qa__arr(qa__js *j, cJSON *parent, const char *key)
{
	return add(j, parent, key, cJSON_CreateArray());
}

void qa__str(qa__js *j, cJSON *o, const char *key, const char *v)
{
	if (o)
		add(j, o, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void qa__num(qa__js *j, cJSON *o, const char *key, double v)
{
	if (o)
		add(j, o, key, cJSON_CreateNumber(v));
}

void qa__bool(qa__js *j, cJSON *o, const char *key, bool v)
{
	if (o)
		add(j, o, key, cJSON_CreateBool(v));
}

void qa__date(qa__js *j, cJSON *o, const char *key, int64_t t)
{
	char buf[32];
	if (t)
		mc__time_format(t, buf);
	qa__str(j, o, key, t ? buf : NULL);
}

void qa__raw(qa__js *j, cJSON *o, const char *key, const char *json)
{
	if (!o)
		return;
	cJSON *v = json ? mc__json_parse(json, strlen(json), NULL) : NULL;
	add(j, o, key, v ? v : cJSON_CreateNull());
}

void qa__push(qa__js *j, cJSON *arr, cJSON *item)
{
	if (arr)
		add(j, arr, NULL, item);
	else
		cJSON_Delete(item);
}

mc_status qa__finish(qa__js *j, cJSON *root, char **out, mc_err *err)
{
	*out = NULL;
	if (root && !j->nomem)
		*out = mc__json_print(root, 0);
	cJSON_Delete(root);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory building JSON");
}

/* ---- audit ------------------------------------------------------------ */

mc_status qa__audit(mc_store *s, const mc_qa_actor *who, const char *action, const char *subject, cJSON *details,
                    mc_err *err)
{
	qa__js j = {false};
	if (!details)
		details = cJSON_CreateObject();
	qa__str(&j, details, "role", mc_qa_role_name(who->role));
	char *text = NULL;
	MC__CHECK(qa__finish(&j, details, &text, err));
	mc_store_audit e = {.actor = (char *)who->id, .action = (char *)action, .subject = (char *)subject,
	                    .details = text};
	mc_status st = mc_store_audit_append(s, &e, NULL, err);
	mc_free(text);
	return st;
}

/* ---- templates -------------------------------------------------------- */

mc_status qa__template_json(mc_store *s, const char *tpl, int64_t version, int64_t *got, char **json, mc_err *err)
{
	mc_store_template t = {0};
	*json = NULL;
	MC__CHECK(mc__template_get(s, tpl, version, &t, err));
	if (got)
		*got = t.version;
	*json = t.json;
	t.json = NULL;
	mc_store_template_clear(&t);
	return MC_OK;
}

const char *qa__title(const cJSON *ach)
{
	const cJSON *t = mc__json_get(ach, "title");
	if (cJSON_IsString(t))
		return t->valuestring;
	if (cJSON_IsObject(t)) {
		const cJSON *l = mc__json_get(ach, "defaultLanguage");
		const cJSON *v = cJSON_IsString(l) ? mc__json_get(t, l->valuestring) : NULL;
		if (!cJSON_IsString(v))
			v = mc__json_get(t, "en");
		if (!cJSON_IsString(v))
			v = t->child;
		if (cJSON_IsString(v))
			return v->valuestring;
	}
	return "";
}

/* ---- configuration ---------------------------------------------------- */

const char *mc_qa_config_default(void)
{
	return mc__qa_data_config_default;
}

static mc_status cfg_fail(mc_err *err, mc_status st, const char *path, const char *msg)
{
	return mc__fail(err, st, path, "QA configuration: %s", msg);
}

static mc_status check_chain(const cJSON *chain, mc_err *err)
{
	if (!cJSON_IsArray(chain))
		return cfg_fail(err, chain ? MC_ERR_TYPE : MC_ERR_MISSING, "$.approvalChain",
		                "approvalChain must be an array of steps {id, name, role}");
	int n = cJSON_GetArraySize(chain);
	if (n < 1 || n > MC_QA_CHAIN_MAX)
		return cfg_fail(err, MC_ERR_VALUE, "$.approvalChain", "approvalChain needs 1 to 16 steps");
	int i = 0;
	const cJSON *step;
	cJSON_ArrayForEach(step, chain)
	{
		char p[MC_ERR_PATH_MAX];
		mc__path_index(p, sizeof p, "$.approvalChain", (size_t)i++);
		if (!cJSON_IsObject(step))
			return cfg_fail(err, MC_ERR_TYPE, p, "a step is an object {id, name, role}");
		static const char *const keys[] = {"id", "name", "role", NULL};
		MC__CHECK(qa__known_keys(step, p, keys, err));
		const cJSON *id = mc__json_get(step, "id"), *name = mc__json_get(step, "name"),
		            *role = mc__json_get(step, "role");
		if (!cJSON_IsString(id) || !qa__short_id(id->valuestring))
			return cfg_fail(err, MC_ERR_VALUE, p, "a step needs an id of letters, digits, '-', '.', '_' (1-64)");
		if (!cJSON_IsString(name) || !name->valuestring[0] ||
		    mc__check_text(NULL, name->valuestring, "name", MC_STORE_TEXT_MAX, false) != MC_OK)
			return cfg_fail(err, MC_ERR_VALUE, p, "a step needs a name (the approval body)");
		mc_qa_role r;
		if (!cJSON_IsString(role) || mc_qa_role_parse(role->valuestring, &r) != MC_OK ||
		    (r != MC_QA_ROLE_REVIEWER && r != MC_QA_ROLE_OFFICER))
			return cfg_fail(err, MC_ERR_VALUE, p, "a step's role is \"reviewer\" or \"qa-officer\"");
		/* ids are unique: decisions name the step */
		const cJSON *o;
		int k = 0;
		cJSON_ArrayForEach(o, chain)
		{
			if (o == step)
				break;
			if (k++ >= 0 && strcmp(mc__json_get(o, "id")->valuestring, id->valuestring) == 0)
				return cfg_fail(err, MC_ERR_VALUE, p, "two steps have the same id");
		}
	}
	return MC_OK;
}

static mc_status cfg_int(const cJSON *root, const char *key, int lo, int hi, int dflt, int *out, mc_err *err)
{
	char p[64];
	snprintf(p, sizeof p, "$.%s", key);
	const cJSON *v = mc__json_get(root, key);
	*out = dflt;
	if (!v)
		return MC_OK;
	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble || v->valuedouble < lo ||
	    v->valuedouble > hi) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s must be a whole number from %d to %d", key, lo, hi);
		return cfg_fail(err, MC_ERR_VALUE, p, msg);
	}
	*out = (int)v->valuedouble;
	return MC_OK;
}

static mc_status config_read(qa__config *c, mc_err *err)
{
	const cJSON *root = c->root;
	if (!cJSON_IsObject(root))
		return cfg_fail(err, MC_ERR_TYPE, "$", "the configuration is a JSON object");
	static const char *const keys[] = {"policy", "approvalChain", "substantialChanges", "reviewIntervalDays",
	                                   "minGroupSize", "publishFeedback", "reviewCycle", NULL};
	MC__CHECK(qa__known_keys(root, "$", keys, err));
	const cJSON *m;
	const cJSON *pol = mc__json_get(root, "policy");
	if (!cJSON_IsString(pol) || qa__text(NULL, pol->valuestring, "policy", false) != MC_OK)
		return cfg_fail(err, pol ? MC_ERR_VALUE : MC_ERR_MISSING, "$.policy",
		                "policy must be the QA policy text (1 to 8000 bytes)");
	c->policy = pol->valuestring;
	const cJSON *rc = mc__json_get(root, "reviewCycle");
	if (rc && (!cJSON_IsString(rc) || qa__text(NULL, rc->valuestring, "reviewCycle", false) != MC_OK))
		return cfg_fail(err, MC_ERR_VALUE, "$.reviewCycle", "reviewCycle must be text (1 to 8000 bytes)");
	c->review_cycle = rc ? rc->valuestring : NULL;
	c->chain = mc__json_get(root, "approvalChain");
	MC__CHECK(check_chain(c->chain, err));
	c->substantial = mc__json_get(root, "substantialChanges");
	if (c->substantial) {
		if (!cJSON_IsArray(c->substantial))
			return cfg_fail(err, MC_ERR_TYPE, "$.substantialChanges",
			                "substantialChanges is an array of achievement member names");
		int i = 0;
		cJSON_ArrayForEach(m, c->substantial)
		{
			char p[MC_ERR_PATH_MAX];
			mc__path_index(p, sizeof p, "$.substantialChanges", (size_t)i++);
			if (!cJSON_IsString(m) || !qa__short_id(m->valuestring))
				return cfg_fail(err, MC_ERR_VALUE, p, "an achievement member name such as \"ects\"");
		}
	}
	MC__CHECK(cfg_int(root, "reviewIntervalDays", 1, MC_QA_REVIEW_DAYS_MAX, MC_QA_REVIEW_DAYS_DEFAULT, &c->review_days,
	              err));
	MC__CHECK(cfg_int(root, "minGroupSize", MC_QA_MIN_GROUP_FLOOR, 1000000, MC_QA_MIN_GROUP_DEFAULT, &c->min_group,
	              err));
	const cJSON *pf = mc__json_get(root, "publishFeedback");
	if (pf && !cJSON_IsBool(pf))
		return cfg_fail(err, MC_ERR_TYPE, "$.publishFeedback", "publishFeedback is true or false");
	c->publish_feedback = cJSON_IsTrue(pf);
	return MC_OK;
}

mc_status qa__config_parse(const char *json, size_t len, qa__config *out, mc_err *err)
{
	memset(out, 0, sizeof *out);
	MC__CHECK(mc__json_load(json, len, &out->root, err));
	mc_status st = config_read(out, err);
	if (st != MC_OK)
		qa__config_release(out);
	return st;
}

void qa__config_release(qa__config *c)
{
	cJSON_Delete(c->root);
	memset(c, 0, sizeof *c);
}

mc_status mc_qa_config_check(const char *json, size_t len, mc_err *err)
{
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	qa__config c;
	MC__CHECK(qa__config_parse(json, len, &c, err));
	qa__config_release(&c);
	return MC_OK;
}

mc_status qa__row_text(void *ctx, const mc__val *cols, int n)
{
	if (n < 1)
		return MC_ERR_INTERNAL;
	char **out = ctx;
	free(*out);
	return mc__col_str(out, &cols[0]) ? MC_OK : MC_ERR_NOMEM;
}

static mc_status config_text(mc_store *s, const char *provider, char **out, mc_err *err)
{
	*out = NULL;
	mc__val p[1] = {mc__v_text(provider ? provider : "")};
	MC__CHECK(mc__store_exec(s, "qa_config", "SELECT json FROM qa_config WHERE provider = $1", p, 1, qa__row_text, out,
	                     NULL, err));
	return MC_OK;
}

mc_status qa__config_load(mc_store *s, const char *provider, qa__config *out, mc_err *err)
{
	char *text = NULL;
	memset(out, 0, sizeof *out);
	MC__CHECK(config_text(s, provider, &text, err));
	const char *src = text ? text : mc__qa_data_config_default;
	mc_status st = qa__config_parse(src, strlen(src), out, err);
	free(text);
	return st;
}

mc_status mc_qa_config_set(mc_store *s, const char *provider, const char *json, const mc_qa_actor *who,
                           mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	if (provider && *provider)
		MC__CHECK(qa__id(err, provider, "provider"));
	MC__CHECK(qa__actor(err, who));
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	MC__CHECK(mc_qa_config_check(json, strlen(json), err));
	mc__val p[3] = {mc__v_text(provider ? provider : ""), mc__v_text(json), mc__v_int(mc__time_now())};
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	mc_status st = mc__store_exec(s, "qa_config_set",
	                              "INSERT INTO qa_config (provider, json, updated) VALUES ($1, $2, $3) "
	                              "ON CONFLICT (provider) DO UPDATE SET json = excluded.json, updated = excluded.updated",
	                              p, 3, NULL, NULL, NULL, err);
	if (st == MC_OK)
		st = qa__audit(s, who, "qa.config", provider && *provider ? provider : NULL, NULL, err);
	return mc__store_atomic_end(s, st, err);
}

mc_status mc_qa_config_get(mc_store *s, const char *provider, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	char *text = NULL;
	MC__CHECK(config_text(s, provider, &text, err));
	if (!text && !(text = strdup(mc__qa_data_config_default)))
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	*json = text;
	return MC_OK;
}
