/*
 * stacked.c - credentials the trust code leads to (include/mcred/trust.h):
 * the stacked credential of a completed pathway, which references its
 * parts, and a recognition decision issued as a credential. Both are
 * ordinary issuances (template + learner, status entry, signature, archive
 * row, audit entry) through mc__issuer_issue_ext, with extra members on
 * credentialSubject defined by the mcred context (hasPart, recognition).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "issuer/issuer_internal.h"
#include "mcred/trust.h"
#include "trust/trust_internal.h"

/* {"id"?: credential id, "digestSRI": "sha256-<base64>"} from the hex
 * SHA-256 the verification cache keys credentials by. */
static cJSON *part_ref(const char *credential_id, const char *hex)
{
	unsigned char bin[32];
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)], sri[8 + sizeof b64];
	size_t bl = 0;
	if (sodium_hex2bin(bin, sizeof bin, hex, strlen(hex), NULL, &bl, NULL) != 0 || bl != sizeof bin)
		return NULL;
	sodium_bin2base64(b64, sizeof b64, bin, sizeof bin, sodium_base64_VARIANT_ORIGINAL);
	snprintf(sri, sizeof sri, "sha256-%s", b64);
	cJSON *o = cJSON_CreateObject();
	if (o && ((credential_id && !cJSON_AddStringToObject(o, "id", credential_id)) ||
	          !cJSON_AddStringToObject(o, "digestSRI", sri))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* credentialSubject.id of a credential, or NULL; borrowed from root. */
static const char *subject_id(const cJSON *root)
{
	const cJSON *id = mc__json_get(mc__json_get(root, "credentialSubject"), "id");
	return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* {"hasPart": [...]} for the credentials that counted, after checking
 * each is the learner's. */
static mc_status parts_extra(const mc_stacked_req *req, const char *learner_id, const mc_pathway_result *r,
                             const mc_cred_facts *const *facts, char **out, mc_err *err)
{
	cJSON *o = cJSON_CreateObject(), *arr = o ? cJSON_AddArrayToObject(o, "hasPart") : NULL;
	mc_status st = arr ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; st == MC_OK && i < r->n_used; i++) {
		size_t k = r->used[i];
		cJSON *doc = mc__json_parse(req->creds[k], req->lens[k], NULL);
		const char *sid = subject_id(doc);
		if (!sid || strcmp(sid, learner_id) != 0) {
			char path[32];
			snprintf(path, sizeof path, "credentials[%zu]", k);
			st = mc__fail(err, MC_ERR_VALUE, path, "credential %.200s belongs to %.200s, not to the learner %.200s",
			              facts[k]->credential_id ? facts[k]->credential_id : facts[k]->digest,
			              sid ? sid : "(no subject id)", learner_id);
		} else {
			cJSON *ref = part_ref(facts[k]->credential_id, facts[k]->digest);
			if (!ref || !cJSON_AddItemToArray(arr, ref)) {
				cJSON_Delete(ref);
				st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			}
		}
		cJSON_Delete(doc);
	}
	if (st == MC_OK && !(*out = mc__json_print(o, 0)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	cJSON_Delete(o);
	return st;
}

/* The learner's "id" (malloc'd) or an error naming learner.id. */
static mc_status learner_id_of(const char *learner_json, char **out, mc_err *err)
{
	cJSON *l = NULL;
	mc_err pe = {0};
	if (mc__json_load(learner_json, strlen(learner_json), &l, &pe) != MC_OK)
		return mc__fail(err, pe.status, "learner", "learner: %s", pe.msg);
	const cJSON *id = mc__json_get(l, "id");
	*out = cJSON_IsString(id) && *id->valuestring ? strdup(id->valuestring) : NULL;
	cJSON_Delete(l);
	if (!*out)
		return mc__fail(err, MC_ERR_VALUE, "learner.id",
		                "a stacked credential needs the learner's id, which its parts must carry as their subject");
	return MC_OK;
}

mc_status mc_issuer_issue_stacked(mc_issuer *is, const mc_stacked_req *req, mc_issue_result *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!is || !req || !req->pathway || !req->template_id || !req->learner_json || !req->cache ||
	    (req->n && (!req->creds || !req->lens)))
		return mc__fail(err, MC_ERR_ARG, !is ? "issuer" : !req ? "req" : "req", "a required argument is NULL");
	if (req->n > MC_PATHWAY_MAX_CREDENTIALS)
		return mc__fail(err, MC_ERR_TOO_LARGE, "credentials", "more than %u credentials", MC_PATHWAY_MAX_CREDENTIALS);
	char *lid = NULL, *extra = NULL;
	mc_status st = learner_id_of(req->learner_json, &lid, err);
	const mc_cred_facts **facts = st == MC_OK ? calloc(req->n ? req->n : 1, sizeof *facts) : NULL;
	if (st == MC_OK && !facts)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; st == MC_OK && i < req->n; i++)
		st = mc_verify_cache_get(req->cache, req->creds[i], req->lens[i], &facts[i], NULL, err);
	mc_pathway_result r = {0};
	if (st == MC_OK)
		st = mc_pathway_eval(req->pathway, facts, req->n, req->now, 1, &r, err);
	if (st == MC_OK && !r.done) {
		/* the first unmet requirement says best what is missing */
		const char *first = "";
		for (size_t i = 0; r.missing && i < mc_report_count(r.missing); i++)
			if (mc_report_get(r.missing, i)->result == MC_FAIL) {
				first = mc_report_get(r.missing, i)->message;
				break;
			}
		st = mc__fail(err, MC_ERR_VALUE, "credentials", "the pathway %.200s is not complete (progress %d%%). %s",
		              mc_pathway_id(req->pathway), (int)(r.progress * 100), first);
	}
	if (st == MC_OK)
		st = parts_extra(req, lid, &r, facts, &extra, err);
	/* idempotent per (template, learner, pathway) */
	size_t el = strlen(mc_pathway_id(req->pathway)) + 16;
	char *ext = st == MC_OK ? malloc(el) : NULL;
	if (st == MC_OK && !ext)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK) {
		snprintf(ext, el, "pathway:%s", mc_pathway_id(req->pathway));
		char nparts[24];
		snprintf(nparts, sizeof nparts, "%zu", r.n_used);
		mc_issue_req ir = {.template_id = req->template_id, .template_version = req->template_version,
		                   .learner_json = req->learner_json, .external_id = ext};
		const char *kv[] = {"pathway", mc_pathway_id(req->pathway), "parts", nparts};
		st = mc__issuer_issue_ext(is, &ir, extra, "credential.issue-stacked", kv, 4, out, err);
	}
	free(ext);
	mc_pathway_result_clear(&r);
	free(facts);
	free(extra);
	free(lid);
	return st;
}

/* The learner of the recognised credential, for the new one: who it is
 * and their names, not the other institution's grade, dates or student
 * number. */
static mc_status recognition_learner(const char *cred, size_t len, char **out, mc_err *err)
{
	char *ex = NULL;
	mc_err xe = {0};
	mc_status st = mc_credential_extract(cred, len, &ex, &xe);
	if (st != MC_OK)
		return mc__fail(err, MC_ERR_VALUE, "credential", "the recognised credential cannot be read: %s", xe.msg);
	cJSON *root = mc__json_parse(ex, strlen(ex), NULL), *l = cJSON_CreateObject();
	mc_free(ex);
	const cJSON *src = mc__json_get(root, "learner");
	static const char *const keep[] = {"id", "email", "name", "givenName", "familyName", NULL};
	bool ok = l != NULL;
	for (const char *const *k = keep; ok && *k; k++) {
		const cJSON *v = mc__json_get(src, *k);
		if (cJSON_IsString(v))
			ok = cJSON_AddStringToObject(l, *k, v->valuestring) != NULL;
	}
	if (ok && !mc__json_get(l, "id") && !mc__json_get(l, "email"))
		st = mc__fail(err, MC_ERR_VALUE, "credential",
		              "the recognised credential names its learner by neither id nor email");
	else if (!ok || !(*out = mc__json_print(l, 0)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	cJSON_Delete(root);
	cJSON_Delete(l);
	return st;
}

static mc_status recognition_extra(const mc_recognition *d, char **out, mc_err *err)
{
	cJSON *o = cJSON_CreateObject(), *rec = o ? cJSON_AddObjectToObject(o, "recognition") : NULL;
	cJSON *ref = part_ref(d->credential_id, d->digest), *reasons = cJSON_CreateArray();
	bool ok = rec && ref && reasons && cJSON_AddStringToObject(rec, "recognitionOutcome", "recognised") &&
	          cJSON_AddNumberToObject(rec, "ectsRecognised", d->ects) &&
	          (!d->towards || cJSON_AddStringToObject(rec, "recognisedTowards", d->towards)) &&
	          cJSON_AddStringToObject(rec, "recognitionPolicy", d->policy);
	if (ok) {
		ok = cJSON_AddItemToObject(rec, "recognisedCredential", ref);
		ref = NULL;
	}
	for (size_t i = 0; ok && d->reasons && i < mc_report_count(d->reasons); i++)
		ok = cJSON_AddItemToArray(reasons, cJSON_CreateString(mc_report_get(d->reasons, i)->message));
	if (ok) {
		ok = cJSON_AddItemToObject(rec, "recognitionReason", reasons);
		reasons = NULL;
	}
	*out = ok ? mc__json_print(o, 0) : NULL;
	cJSON_Delete(ref);
	cJSON_Delete(reasons);
	cJSON_Delete(o);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_status mc_issuer_issue_recognition(mc_issuer *is, const mc_recognition *d, const char *template_id,
                                      const char *cred, size_t len, mc_issue_result *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!is || !d || !template_id || !cred)
		return mc__fail(err, MC_ERR_ARG, !is ? "issuer" : !d ? "decision" : !template_id ? "template" : "credential",
		                "a required argument is NULL");
	if (!d->policy || strlen(d->digest) != 64)
		return mc__fail(err, MC_ERR_ARG, "decision", "not a decision made by mc_recognise");
	if (d->outcome != MC_RECOGNISED)
		return mc__fail(err, MC_ERR_VALUE, "decision",
		                "only a recognised decision is issued as a credential; a referred one waits for a person");
	char hex[65];
	mc_status st = mc__tr_digest(cred, len, hex);
	if (st == MC_OK && strcmp(hex, d->digest) != 0)
		st = mc__fail(err, MC_ERR_VALUE, "credential", "this is not the credential the decision was made for");
	char *learner = NULL, *extra = NULL, ext[80];
	if (st == MC_OK)
		st = recognition_learner(cred, len, &learner, err);
	if (st == MC_OK)
		st = recognition_extra(d, &extra, err);
	if (st == MC_OK) {
		/* idempotent per (template, learner, recognised credential) */
		snprintf(ext, sizeof ext, "recognition:%s", d->digest);
		mc_issue_req ir = {.template_id = template_id, .learner_json = learner, .external_id = ext};
		const char *kv[] = {"policy", d->policy, "recognised", d->credential_id ? d->credential_id : d->digest};
		st = mc__issuer_issue_ext(is, &ir, extra, "credential.issue-recognition", kv, 4, out, err);
	}
	free(learner);
	free(extra);
	return st;
}

mc_status mc_issuer_sign_register(mc_issuer *is, const mc_register *reg, const char *register_id, char **out,
                                  mc_err *err)
{
	if (out)
		*out = NULL;
	if (!is || !reg || !register_id || !out)
		return mc__fail(err, MC_ERR_ARG, !is ? "issuer" : !reg ? "reg" : !register_id ? "register_id" : "out",
		                "a required argument is NULL");
	return mc_register_sign(reg, register_id, is->issuer_id, &is->key, out, err);
}
