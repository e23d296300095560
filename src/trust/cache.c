/*
 * cache.c - verify each credential once: an open-addressing table keyed by
 * the SHA-256 of the credential's bytes, holding the facts the pathway and
 * recognition code read. A credential presented again (the same bytes) is
 * answered from the table, which is what makes repeated pathway
 * evaluations cheap: signature checks dominate verification.
 */
#include <stdlib.h>
#include <string.h>

#include "trust/trust_internal.h"

struct mc_verify_cache {
	mc_verify_opts opts;
	/* slots: a power of two, at most half full */
	mc_cred_facts **slot;
	size_t cap, n, max;
	/* mc_verify runs (cache misses) */
	size_t runs;
	/* facts of the last credential verified while the table was full */
	mc_cred_facts *overflow;
};

mc_status mc_verify_cache_new(const mc_verify_opts *opts, size_t max, mc_verify_cache **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	mc_verify_cache *c = calloc(1, sizeof *c);
	if (!c)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (opts)
		c->opts = *opts;
	c->max = max == 0 || max > MC_VERIFY_CACHE_MAX ? MC_VERIFY_CACHE_MAX : max;
	c->cap = 64;
	c->slot = calloc(c->cap, sizeof *c->slot);
	if (!c->slot) {
		free(c);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	*out = c;
	return MC_OK;
}

static void facts_free(mc_cred_facts *f)
{
	if (!f)
		return;
	free(f->credential_id);
	free(f->issuer);
	free(f->achievement);
	free(f->qa_type);
	free(f);
}

void mc_verify_cache_free(mc_verify_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		facts_free(c->slot[i]);
	facts_free(c->overflow);
	free(c->slot);
	free(c);
}

size_t mc_verify_cache_runs(const mc_verify_cache *c)
{
	return c ? c->runs : 0;
}

static size_t hash_of(const char *digest)
{
	size_t h = 0;
	for (int i = 0; i < 16; i++) {
		char ch = digest[i];
		h = (h << 4) | (size_t)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
	}
	return h;
}

static mc_cred_facts **find(mc_verify_cache *c, const char *digest)
{
	size_t i = hash_of(digest) & (c->cap - 1);
	while (c->slot[i] && strcmp(c->slot[i]->digest, digest) != 0)
		i = (i + 1) & (c->cap - 1);
	return &c->slot[i];
}

static bool grow(mc_verify_cache *c)
{
	size_t ncap = c->cap * 2;
	mc_cred_facts **ns = calloc(ncap, sizeof *ns), **old = c->slot;
	if (!ns)
		return false;
	size_t ocap = c->cap;
	c->slot = ns;
	c->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i])
			*find(c, old[i]->digest) = old[i];
	free(old);
	return true;
}

static const cJSON *subject_of(const cJSON *root)
{
	const cJSON *s = mc__json_get(root, "credentialSubject");
	return cJSON_IsArray(s) ? s->child : s;
}

static char *dup_str(const cJSON *v, bool *oom)
{
	return cJSON_IsString(v) ? mc__tr_dup(v->valuestring, oom) : NULL;
}

/* Read the facts from a credential that parsed (valid or not). */
static void read_facts(const char *cred, size_t len, mc_cred_facts *f, bool *oom)
{
	cJSON *root = NULL;
	if (mc__json_load(cred, len, &root, NULL) != MC_OK || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return;
	}
	const cJSON *iss = mc__json_get(root, "issuer");
	f->credential_id = dup_str(mc__json_get(root, "id"), oom);
	f->issuer = dup_str(cJSON_IsObject(iss) ? mc__json_get(iss, "id") : iss, oom);
	const cJSON *a = mc__json_get(subject_of(root), "achievement");
	f->achievement = dup_str(mc__json_get(a, "id"), oom);
	const cJSON *ects = mc__json_get(a, "creditsAvailable");
	if (cJSON_IsNumber(ects) && ects->valuedouble > 0 && ects->valuedouble <= 1000)
		f->ects = ects->valuedouble;
	const cJSON *eqf = mc__json_get(a, "eqfLevel");
	if (cJSON_IsString(eqf)) {
		size_t n = strlen(eqf->valuestring);
		char d = n ? eqf->valuestring[n - 1] : 0;
		if (n > 2 && eqf->valuestring[n - 2] == '/' && d >= '1' && d <= '8')
			f->eqf = d - '0';
	}
	const cJSON *isc = mc__json_get(a, "iscedF");
	if (cJSON_IsString(isc) && strlen(isc->valuestring) >= 4) {
		const char *t = isc->valuestring + strlen(isc->valuestring) - 4;
		if (mc__tr_field_prefix(t))
			memcpy(f->field, t, 5);
	}
	f->qa_type = dup_str(mc__json_get(mc__json_get(a, "qualityAssurance"), "qualityAssuranceType"), oom);
	const cJSON *vf = mc__json_get(root, "validFrom");
	int64_t t = 0;
	if (cJSON_IsString(vf) && mc__time_parse(vf->valuestring, false, &t))
		f->issued = t;
	cJSON_Delete(root);
}

mc_status mc_verify_cache_get(mc_verify_cache *c, const char *cred, size_t len, const mc_cred_facts **facts,
                              int *verified, mc_err *err)
{
	if (!c || !cred || !facts)
		return mc__fail(err, MC_ERR_ARG, !c ? "c" : !cred ? "cred" : "facts", "argument is NULL");
	*facts = NULL;
	if (verified)
		*verified = 0;
	char digest[65];
	mc_status st = mc__tr_digest(cred, len, digest);
	if (st != MC_OK)
		return mc__fail(err, st, NULL, "hashing the credential failed");
	mc_cred_facts **slot = find(c, digest);
	if (*slot) {
		*facts = *slot;
		return MC_OK;
	}
	mc_cred_facts *f = calloc(1, sizeof *f);
	if (!f)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	memcpy(f->digest, digest, sizeof digest);
	mc_report *rep = NULL;
	mc_err ve = {0};
	st = mc_verify(cred, len, &c->opts, &rep, &ve);
	c->runs++;
	if (verified)
		*verified = 1;
	if (st != MC_OK && st != MC_ERR_INVALID) {
		mc_report_free(rep);
		facts_free(f);
		return mc__fail(err, st, ve.path, "%s", ve.msg);
	}
	f->valid = st == MC_OK;
	for (size_t i = 0; rep && i < mc_report_count(rep); i++) {
		const mc_finding *x = mc_report_get(rep, i);
		if (x->result == MC_FAIL) {
			snprintf(f->problem, sizeof f->problem, "%s", x->message);
			snprintf(f->problem_check, sizeof f->problem_check, "%s", x->check);
			break;
		}
	}
	mc_report_free(rep);
	bool oom = false;
	read_facts(cred, len, f, &oom);
	if (oom) {
		facts_free(f);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	if (c->n >= c->max) {
		/* full: not kept; borrowed until the next call (trust.h) */
		facts_free(c->overflow);
		c->overflow = f;
		*facts = f;
		return MC_OK;
	}
	if (2 * (c->n + 1) > c->cap) {
		if (!grow(c)) {
			facts_free(f);
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
		slot = find(c, digest);
	}
	*slot = f;
	c->n++;
	*facts = f;
	return MC_OK;
}
