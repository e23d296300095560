/*
 * recognition.c - automatic recognition "starting from cases where all the
 * elements are available" (Council Recommendation): a recognising
 * institution's policy, applied to one presented credential. Every
 * condition becomes a reason, met or not; any unmet one refers the
 * credential to a person instead of rejecting it, because a missing element
 * is a question for a person, not a "no".
 */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trust/trust_internal.h"

/* Longest list in a policy (providers, kinds, fields). */
#define POLICY_MAX_LIST 10000u

struct mc_recognition_policy {
	char *id;
	char *institution;
	char *towards;
	/* providers: registered == true, or a list of ids */
	bool registered;
	char **providers;
	size_t nproviders;
	/* accepted QA kinds as a bit set (1 << mc_extqa_kind); 0 = any */
	unsigned kinds;
	int min_level;
	double min_ects, max_ects;
	char **fields;
	size_t nfields;
	int64_t max_age_years;
};

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void mc_recognition_policy_free(mc_recognition_policy *p)
{
	if (!p)
		return;
	free(p->id);
	free(p->institution);
	free(p->towards);
	free_list(p->providers, p->nproviders);
	free_list(p->fields, p->nfields);
	free(p);
}

const char *mc_recognition_policy_id(const mc_recognition_policy *p)
{
	return p ? p->id : NULL;
}

const char *mc_recognition_policy_towards(const mc_recognition_policy *p)
{
	return p ? p->towards : NULL;
}

/* A list of strings, each checked by ok (NULL: any non-empty plain text). */
static mc_status str_list(const cJSON *arr, const char *path, bool (*ok)(const char *), const char *what, char ***out,
                          size_t *n, mc_err *err)
{
	if (!cJSON_IsArray(arr) || !arr->child)
		return mc__fail(err, MC_ERR_TYPE, path, "must be a non-empty array of %s", what);
	size_t cnt = (size_t)cJSON_GetArraySize(arr);
	if (cnt > POLICY_MAX_LIST)
		return mc__fail(err, MC_ERR_TOO_LARGE, path, "more than %u items", POLICY_MAX_LIST);
	*out = calloc(cnt, sizeof **out);
	if (!*out)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		char ip[MC_ERR_PATH_MAX];
		mc__path_index(ip, sizeof ip, path, *n);
		if (!cJSON_IsString(e) || !ok(e->valuestring))
			return mc__fail(err, MC_ERR_VALUE, ip, "must be %s", what);
		if (!((*out)[(*n)++] = strdup(e->valuestring)))
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	return MC_OK;
}

static bool any_kind(const char *s)
{
	return mc__qa_kind_parse(s) >= 0;
}

static mc_status parse(mc_recognition_policy *p, const cJSON *root, mc_err *err)
{
	static const char *const keys[] = {"id",     "institution", "towards", "providers", "qaKinds", "minLevel",
	                                   "minEcts", "maxEcts",     "fields",  "maxAgeYears", NULL};
	if (!cJSON_IsObject(root))
		return mc__fail(err, MC_ERR_TYPE, "$", "a policy must be a JSON object");
	MC__CHECK(mc__tr_only(root, "$", keys, err));
	const char *id, *inst;
	char *joined = NULL;
	MC__CHECK(mc__tr_iri(root, "$", "id", true, &id, err));
	MC__CHECK(mc__tr_iri(root, "$", "institution", true, &inst, err));
	MC__CHECK(mc__tr_text(root, "$", "towards", true, MC_STORE_TEXT_MAX, &p->towards, &joined, err));
	free(joined);
	if (!(p->id = strdup(id)) || !(p->institution = strdup(inst)))
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	const cJSON *prov = mc__json_get(root, "providers");
	if (!prov)
		return mc__fail(err, MC_ERR_MISSING, "$.providers", "\"providers\" is required: \"registered\" or a list of ids");
	if (cJSON_IsString(prov)) {
		if (strcmp(prov->valuestring, "registered") != 0)
			return mc__fail(err, MC_ERR_VALUE, "$.providers", "must be \"registered\" or a list of provider ids");
		p->registered = true;
	} else {
		MC__CHECK(str_list(prov, "$.providers", mc__iri_valid, "provider ids (absolute IRIs)", &p->providers,
		               &p->nproviders, err));
	}
	const cJSON *kinds = mc__json_get(root, "qaKinds");
	if (kinds) {
		char **v = NULL;
		size_t n = 0;
		mc_status st = str_list(kinds, "$.qaKinds", any_kind,
		                        "QA kinds (institutional-review, programme-accreditation, iso-17024, "
		                        "platform-certification, other)",
		                        &v, &n, err);
		for (size_t i = 0; st == MC_OK && i < n; i++)
			p->kinds |= 1u << mc__qa_kind_parse(v[i]);
		free_list(v, n);
		MC__CHECK(st);
	}
	int64_t lvl = 0;
	bool has_min = false, has_max = false;
	MC__CHECK(mc__tr_int(root, "$", "minLevel", false, 1, 8, &lvl, NULL, err));
	p->min_level = (int)lvl;
	MC__CHECK(mc__tr_num(root, "$", "minEcts", false, 0.01, 1000, &p->min_ects, &has_min, err));
	MC__CHECK(mc__tr_num(root, "$", "maxEcts", false, 0.01, 1000, &p->max_ects, &has_max, err));
	if (has_min && has_max && p->max_ects < p->min_ects)
		return mc__fail(err, MC_ERR_VALUE, "$.maxEcts", "maxEcts %g is below minEcts %g", p->max_ects, p->min_ects);
	const cJSON *fields = mc__json_get(root, "fields");
	if (fields)
		MC__CHECK(str_list(fields, "$.fields", mc__tr_field_prefix, "ISCED-F field codes of 2 to 4 digits", &p->fields,
		               &p->nfields, err));
	MC__CHECK(mc__tr_int(root, "$", "maxAgeYears", false, 1, 100, &p->max_age_years, NULL, err));
	return MC_OK;
}

static mc_status parse_any(void *p, const cJSON *root, mc_err *err)
{
	return parse(p, root, err);
}

static void free_any(void *p)
{
	mc_recognition_policy_free(p);
}

mc_status mc_recognition_policy_parse(const char *buf, size_t len, mc_recognition_policy **out, mc_err *err)
{
	return mc__tr_new(buf, len, sizeof **out, parse_any, free_any, (void **)out, err);
}

void mc_recognition_clear(mc_recognition *d)
{
	if (!d)
		return;
	free(d->policy);
	free(d->towards);
	free(d->credential_id);
	free(d->issuer);
	mc_report_free(d->reasons);
	memset(d, 0, sizeof *d);
}

typedef struct decide {
	mc_report *rep;
	int fails;
	mc_status st;
} decide;

static void reason(decide *d, bool ok, const char *path, const char *fmt, ...) MC__PRINTF(4, 5);
static void reason(decide *d, bool ok, const char *path, const char *fmt, ...)
{
	char msg[MC_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->fails += !ok;
	if (mc__report_add(d->rep, "recognition", ok ? MC_PASS : MC_FAIL, ok ? MC_OK : MC_ERR_INVALID, path, "%s", msg) !=
	    MC_OK)
		d->st = MC_ERR_NOMEM;
}

static void check_issuer(const mc_recognition_policy *p, const mc_register *reg, const mc_cred_facts *f, decide *d)
{
	const char *iss = f->issuer;
	if (!iss) {
		reason(d, false, "$.issuer", "Missing element: the credential names no issuer.");
		return;
	}
	mc_register_check_result rc = {0};
	bool have_rc = false;
	if (reg) {
		mc_register_check(reg, iss, f->issued, f->field[0] ? f->field : NULL, &rc);
		have_rc = true;
	}
	if (p->registered) {
		if (!reg)
			reason(d, false, "$.issuer", "No register of providers was available to check the issuer %s.", iss);
		else
			reason(d, rc.result == MC_PASS, "$.issuer", "%s%s", rc.result == MC_PASS ? "" : "Unregistered issuer or no valid ESG-aligned QA: ",
			       rc.reason);
	} else {
		bool in = false;
		for (size_t i = 0; !in && i < p->nproviders; i++)
			in = strcmp(p->providers[i], iss) == 0;
		reason(d, in, "$.issuer", in ? "The issuer %s is an accepted provider." : "The issuer %s is not among the accepted providers.",
		       iss);
	}
	if (p->kinds) {
		if (!have_rc)
			reason(d, false, "$.issuer", "No register was available to check the issuer's kind of quality assurance.");
		else if (!rc.qa || rc.result == MC_FAIL)
			reason(d, false, "$.issuer", "No external QA result of an accepted kind is valid for %s on the issue date.", iss);
		else
			reason(d, (p->kinds >> rc.qa->kind) & 1u, "$.issuer", "The issuer's QA (%s) is %san accepted kind.",
			       mc__qa_kind_code(rc.qa->kind), (p->kinds >> rc.qa->kind) & 1u ? "" : "not ");
	}
}

static void check_elements(const mc_recognition_policy *p, const mc_cred_facts *f, int64_t now, decide *d)
{
	const char *A = "$.credentialSubject.achievement";
	char path[MC_ERR_PATH_MAX];
	if (p->min_level) {
		mc__path_key(path, sizeof path, A, "eqfLevel");
		if (!f->eqf)
			reason(d, false, path, "Missing element: the credential states no EQF level (at least %d is required).",
			       p->min_level);
		else
			reason(d, f->eqf >= p->min_level, path, "Level %s: EQF %d, the policy requires at least %d.",
			       f->eqf >= p->min_level ? "matches" : "mismatch", f->eqf, p->min_level);
	}
	if (p->min_ects > 0 || p->max_ects > 0) {
		mc__path_key(path, sizeof path, A, "creditsAvailable");
		if (f->ects <= 0) {
			reason(d, false, path, "Missing element: the credential states no workload in ECTS.");
		} else {
			bool ok = (p->min_ects <= 0 || f->ects >= p->min_ects) && (p->max_ects <= 0 || f->ects <= p->max_ects);
			char range[96];
			if (p->min_ects > 0 && p->max_ects > 0)
				snprintf(range, sizeof range, "between %g and %g", p->min_ects, p->max_ects);
			else if (p->min_ects > 0)
				snprintf(range, sizeof range, "at least %g", p->min_ects);
			else
				snprintf(range, sizeof range, "at most %g", p->max_ects);
			reason(d, ok, path, "Workload %s: %g ECTS, the policy accepts %s.", ok ? "matches" : "mismatch", f->ects,
			       range);
		}
	}
	if (p->nfields) {
		mc__path_key(path, sizeof path, A, "iscedF");
		bool ok = false;
		for (size_t i = 0; f->field[0] && !ok && i < p->nfields; i++)
			ok = strncmp(f->field, p->fields[i], strlen(p->fields[i])) == 0;
		if (!f->field[0])
			reason(d, false, path, "Missing element: the credential states no ISCED-F field.");
		else
			reason(d, ok, path, "Field %s: ISCED-F %s %s the accepted fields.", ok ? "matches" : "mismatch", f->field,
			       ok ? "is among" : "is not among");
	}
	if (p->max_age_years) {
		if (!f->issued)
			reason(d, false, "$.validFrom", "Missing element: the credential has no issue date.");
		else
			reason(d, f->issued >= now - p->max_age_years * 31557600, "$.validFrom",
			       "The credential was issued %s the last %lld years.",
			       f->issued >= now - p->max_age_years * 31557600 ? "within" : "before", (long long)p->max_age_years);
	}
}

mc_status mc_recognise(const mc_recognition_policy *p, const mc_register *reg, mc_verify_cache *cache,
                       const char *cred, size_t len, int64_t now, mc_recognition *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!p || !cache || !cred)
		return mc__fail(err, MC_ERR_ARG, !p ? "p" : !cache ? "cache" : "cred", "argument is NULL");
	now = now ? now : mc__time_now();
	const mc_cred_facts *f = NULL;
	MC__CHECK(mc_verify_cache_get(cache, cred, len, &f, NULL, err));
	decide d = {.rep = mc__report_new()};
	if (!d.rep)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (f->valid)
		reason(&d, true, "", "The credential verified: signature, issuer key, dates and status are valid.");
	else
		reason(&d, false, "", "The credential did not verify (%s): %s", f->problem_check[0] ? f->problem_check : "verify",
		       f->problem[0] ? f->problem : "see mcred verify.");
	check_issuer(p, reg, f, &d);
	check_elements(p, f, now, &d);
	bool oom = d.st != MC_OK;
	out->policy = mc__tr_dup(p->id, &oom);
	out->towards = mc__tr_dup(p->towards, &oom);
	out->credential_id = mc__tr_dup(f->credential_id, &oom);
	out->issuer = mc__tr_dup(f->issuer, &oom);
	memcpy(out->digest, f->digest, sizeof out->digest);
	out->reasons = d.rep;
	out->decided_at = now;
	if (oom) {
		mc_recognition_clear(out);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	out->outcome = d.fails ? MC_REFERRED : MC_RECOGNISED;
	out->ects = d.fails ? 0 : f->ects;
	return MC_OK;
}

mc_status mc_recognition_json(const mc_recognition *d, char **out, mc_err *err)
{
	if (!d || !out)
		return mc__fail(err, MC_ERR_ARG, !d ? "d" : "out", "argument is NULL");
	*out = NULL;
	char when[32];
	mc__time_format(d->decided_at, when);
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "outcome", d->outcome == MC_RECOGNISED ? "recognised" : "referred") &&
	          cJSON_AddNumberToObject(o, "ects", d->ects) &&
	          (!d->towards || cJSON_AddStringToObject(o, "towards", d->towards)) &&
	          (!d->policy || cJSON_AddStringToObject(o, "policy", d->policy)) &&
	          (!d->credential_id || cJSON_AddStringToObject(o, "credential", d->credential_id)) &&
	          (!d->issuer || cJSON_AddStringToObject(o, "issuer", d->issuer)) &&
	          cJSON_AddStringToObject(o, "digest", d->digest) && cJSON_AddStringToObject(o, "decidedAt", when);
	cJSON *rs = ok ? cJSON_AddArrayToObject(o, "reasons") : NULL;
	ok = ok && rs;
	for (size_t i = 0; ok && d->reasons && i < mc_report_count(d->reasons); i++) {
		const mc_finding *f = mc_report_get(d->reasons, i);
		cJSON *x = cJSON_CreateObject();
		ok = x && cJSON_AddItemToArray(rs, x) &&
		     cJSON_AddStringToObject(x, "result", f->result == MC_PASS ? "met" : "not met") &&
		     (!f->path[0] || cJSON_AddStringToObject(x, "path", f->path)) &&
		     cJSON_AddStringToObject(x, "message", f->message);
	}
	if (ok)
		*out = mc__json_print(o, 1);
	cJSON_Delete(o);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}
