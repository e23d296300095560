/*
 * verify.c - verification of a credential as a list of plain-language
 * checks: json, structure, eu-elements, proof, signature, issuer-key, dates,
 * status. Verification writes nothing but the report; a failing check does
 * not stop the others (a verifier wants to see everything that is wrong),
 * except that nothing is checked inside a document that is not strict JSON.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "trust/trust_internal.h"
#include "vc/vc_internal.h"

/* Clock skew tolerated between issuer and verifier for proof.created. */
#define MC__CLOCK_SKEW_SECONDS 300

static const char *issuer_id(const cJSON *root)
{
	const cJSON *iss = mc__json_get(root, "issuer");
	if (cJSON_IsString(iss))
		return iss->valuestring;
	const cJSON *id = mc__json_get(iss, "id");
	return cJSON_IsString(id) ? id->valuestring : NULL;
}

static int has_type(const cJSON *root, const char *t)
{
	const cJSON *type = mc__json_get(root, "type");
	if (cJSON_IsString(type))
		return strcmp(type->valuestring, t) == 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, type)
	{
		if (cJSON_IsString(c) && strcmp(c->valuestring, t) == 0)
			return 1;
	}
	return 0;
}

static void check_structure(const cJSON *root, mc_report *rep)
{
	int ok = 1;
	const cJSON *ctx = mc__json_get(root, "@context");
	const cJSON *first = cJSON_IsArray(ctx) ? ctx->child : ctx;
	if (!cJSON_IsString(first) || strcmp(first->valuestring, MC_VC_CONTEXT_URL) != 0) {
		mc__report_add(rep, "structure", MC_FAIL, MC_ERR_VALUE, "$[\"@context\"]",
		               "The first @context must be %s (Verifiable Credentials 2.0).", MC_VC_CONTEXT_URL);
		ok = 0;
	}
	if (!has_type(root, "VerifiableCredential")) {
		mc__report_add(rep, "structure", MC_FAIL, MC_ERR_VALUE, "$.type",
		               "The type list does not contain VerifiableCredential.");
		ok = 0;
	}
	if (!issuer_id(root)) {
		mc__report_add(rep, "structure", MC_FAIL, MC_ERR_MISSING, "$.issuer", "The credential names no issuer.");
		ok = 0;
	}
	const cJSON *subj = mc__json_get(root, "credentialSubject");
	if (!cJSON_IsObject(subj) && !cJSON_IsArray(subj)) {
		mc__report_add(rep, "structure", MC_FAIL, MC_ERR_MISSING, "$.credentialSubject",
		               "The credential has no subject.");
		ok = 0;
	}
	if (ok)
		mc__report_add(rep, "structure", MC_PASS, MC_OK, "", "The credential has the W3C Verifiable Credential 2.0 structure.");
}

static void check_dates(const cJSON *root, const cJSON *proof, int64_t now, mc_report *rep)
{
	char when[32];
	int64_t from = 0, until = 0;
	int has_from = 0, has_until = 0, ok = 1;
	const cJSON *vf = mc__json_get(root, "validFrom"), *vu = mc__json_get(root, "validUntil");
	if (vf) {
		if (!cJSON_IsString(vf) || !mc__time_parse(vf->valuestring, false, &from)) {
			mc__report_add(rep, "dates", MC_FAIL, MC_ERR_VALUE, "$.validFrom", "validFrom is not a valid date and time.");
			ok = 0;
		} else {
			has_from = 1;
		}
	}
	if (vu) {
		if (!cJSON_IsString(vu) || !mc__time_parse(vu->valuestring, false, &until)) {
			mc__report_add(rep, "dates", MC_FAIL, MC_ERR_VALUE, "$.validUntil", "validUntil is not a valid date and time.");
			ok = 0;
		} else {
			has_until = 1;
		}
	}
	if (has_from && from > now) {
		mc__time_format(from, when);
		mc__report_add(rep, "dates", MC_FAIL, MC_ERR_INVALID, "$.validFrom", "The credential is not valid before %s.", when);
		ok = 0;
	}
	if (has_until && until <= now) {
		mc__time_format(until, when);
		mc__report_add(rep, "dates", MC_FAIL, MC_ERR_INVALID, "$.validUntil", "The credential expired on %s.", when);
		ok = 0;
	}
	if (has_from && has_until && until <= from) {
		mc__report_add(rep, "dates", MC_FAIL, MC_ERR_VALUE, "$.validUntil", "validUntil is not after validFrom.");
		ok = 0;
	}
	const cJSON *created = cJSON_IsObject(proof) ? mc__json_get(proof, "created") : NULL;
	int64_t c;
	if (cJSON_IsString(created) && mc__time_parse(created->valuestring, false, &c) && c > now + MC__CLOCK_SKEW_SECONDS) {
		mc__report_add(rep, "dates", MC_FAIL, MC_ERR_INVALID, "$.proof.created", "The proof claims to be created in the future.");
		ok = 0;
	}
	if (ok) {
		if (has_until) {
			mc__time_format(until, when);
			mc__report_add(rep, "dates", MC_PASS, MC_OK, "", "The credential is within its validity period (until %s).", when);
		} else {
			mc__report_add(rep, "dates", MC_PASS, MC_OK, "", "The credential is valid from its issue date with no end date.");
		}
	}
}

static void check_eu_elements(const cJSON *root, mc_report *rep, char **extract)
{
	mc_report *r = mc__report_new();
	if (!r || mc__credential_validate_tree(root, r, extract) == MC_ERR_NOMEM) {
		mc_report_free(r);
		mc__report_add(rep, "eu-elements", MC_FAIL, MC_ERR_NOMEM, "", "The EU elements could not be checked: out of memory.");
		return;
	}
	size_t fails = 0;
	for (size_t i = 0; i < mc_report_count(r); i++)
		fails += mc_report_get(r, i)->result == MC_FAIL;
	if (fails == 0) {
		mc_report_free(r);
		mc__report_add(rep, "eu-elements", MC_PASS, MC_OK, "",
		               "All mandatory EU micro-credential elements are present and valid.");
		return;
	}
	mc__report_merge(rep, r);
}

/* Revocation and suspension from the Bitstring Status Lists the caller
 * supplied (already verified when added). A set revocation or suspension
 * bit fails; an entry whose list is missing or unreadable is a warning:
 * the status is unknown, which is not the same as revoked. */
static void check_status(const char *cred, size_t len, const mc_status_lists *lists, int64_t now, mc_report *rep)
{
	mc_status_result res[MC_STATUS_MAX_ENTRIES];
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_status_check(lists, cred, len, now, res, MC_STATUS_MAX_ENTRIES, &n, &e);
	if (st != MC_OK && st != MC_ERR_INVALID) {
		mc__report_add(rep, "status", MC_WARN, st, e.path[0] ? e.path : "$.credentialStatus",
		               "The status could not be checked: %s.", e.msg);
		return;
	}
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const mc_status_result *r = &res[i];
		char path[64];
		snprintf(path, sizeof path, n > 1 ? "$.credentialStatus[%zu]" : "$.credentialStatus", i);
		if (r->code != MC_OK) {
			mc__report_add(rep, "status", MC_WARN, r->code, r->detail.path[0] ? r->detail.path : path,
			               "The status could not be checked: %s.", r->detail.msg);
			bad = 1;
		} else if (r->set) {
			int revoked = r->purpose == MC_PURPOSE_REVOCATION;
			mc__report_add(rep, "status", MC_FAIL, MC_ERR_INVALID, path,
			               revoked ? "The credential has been revoked by its issuer (status list index %llu)."
			                       : "The credential is suspended by its issuer (status list index %llu).",
			               (unsigned long long)r->index);
			bad = 1;
		}
	}
	if (!bad)
		mc__report_add(rep, "status", MC_PASS, MC_OK, "$.credentialStatus",
		               "The issuer's status list says the credential is neither revoked nor suspended.");
}

/* The controller part of a verification method id ("did:key:z..#z.." ->
 * "did:key:z.."). */
static void vm_controller(const char *vm, char *out, size_t cap)
{
	const char *hash = strchr(vm, '#');
	size_t n = hash ? (size_t)(hash - vm) : strlen(vm);
	snprintf(out, cap, "%.*s", (int)n, vm);
}

static mc_status verify(const char *cred, size_t len, const mc_verify_opts *opts, mc_report **rep_out,
                        char **extract, mc_err *err);

mc_status mc_verify(const char *cred, size_t len, const mc_verify_opts *opts, mc_report **rep_out, mc_err *err)
{
	return mc_verify_extract(cred, len, opts, rep_out, NULL, err);
}

mc_status mc_verify_extract(const char *cred, size_t len, const mc_verify_opts *opts, mc_report **rep_out,
                            char **extract, mc_err *err)
{
	if (extract)
		*extract = NULL;
	if (!rep_out)
		return mc__fail(err, MC_ERR_ARG, "rep", "rep must not be NULL");
	/* every tree made while verifying is dropped at the end: one arena */
	mc__arena_begin();
	mc_status st = verify(cred, len, opts, rep_out, extract, err);
	mc__arena_end();
	return st;
}

static mc_status verify(const char *cred, size_t len, const mc_verify_opts *opts, mc_report **rep_out,
                        char **extract, mc_err *err)
{
	*rep_out = NULL;
	mc_report *rep = mc__report_new();
	if (!rep)
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	int64_t now = opts && opts->now ? opts->now : mc__time_now();
	unsigned flags = opts ? opts->flags : 0;
	int full = !(flags & MC_VERIFY_PROOF_ONLY);

	cJSON *root = NULL;
	mc_err je = {0};
	if (mc__json_load(cred, len, &root, &je) != MC_OK) {
		mc__report_add(rep, "json", MC_FAIL, je.status, je.path, "The file is not acceptable JSON: %s.", je.msg);
		*rep_out = rep;
		return mc__fail(err, MC_ERR_INVALID, je.path, "%s", je.msg);
	}
	mc__report_add(rep, "json", MC_PASS, MC_OK, "", "The file is well-formed JSON with no duplicate keys or bad characters.");
	if (!cJSON_IsObject(root)) {
		mc__report_add(rep, "structure", MC_FAIL, MC_ERR_TYPE, "$", "A credential must be a JSON object.");
		cJSON_Delete(root);
		*rep_out = rep;
		return mc__fail(err, MC_ERR_INVALID, "$", "not a JSON object");
	}
	if (full) {
		check_structure(root, rep);
		check_eu_elements(root, rep, extract);
	}

	cJSON *proof = cJSON_DetachItemFromObjectCaseSensitive(root, "proof");
	char vm[MC_VM_ID_MAX] = "";
	int signed_ok = 0;
	if (!proof) {
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_MISSING, "$.proof", "The credential is not signed: it has no proof.");
	} else if (cJSON_IsArray(proof)) {
		/* proof set: every proof must verify (proof chains are not supported) */
		size_t i = 0;
		signed_ok = cJSON_GetArraySize(proof) > 0;
		for (const cJSON *p = proof->child; p; p = p->next, i++) {
			char path[64];
			snprintf(path, sizeof path, "$.proof[%zu]", i);
			char one[MC_VM_ID_MAX] = "";
			if (mc__json_get(p, "previousProof")) {
				mc__report_add(rep, "proof", MC_FAIL, MC_ERR_UNSUPPORTED, path, "Proof chains (previousProof) are not supported.");
				signed_ok = 0;
				continue;
			}
			if (mc__proof_verify_one(root, p, path, opts, rep, NULL, one, sizeof one) != MC_OK)
				signed_ok = 0;
			else if (!vm[0])
				snprintf(vm, sizeof vm, "%s", one);
		}
		if (!signed_ok && i == 0)
			mc__report_add(rep, "proof", MC_FAIL, MC_ERR_MISSING, "$.proof", "The proof set is empty.");
	} else {
		signed_ok = mc__proof_verify_one(root, proof, "$.proof", opts, rep, NULL, vm, sizeof vm) == MC_OK;
	}

	if (full) {
		const char *iss = issuer_id(root);
		if (signed_ok && iss) {
			char ctrl[MC_VM_ID_MAX];
			vm_controller(vm, ctrl, sizeof ctrl);
			if (strcmp(ctrl, iss) == 0)
				mc__report_add(rep, "issuer-key", MC_PASS, MC_OK, "$.issuer", "The key that signed belongs to the issuer %s.", iss);
			else
				mc__report_add(rep, "issuer-key", MC_FAIL, MC_ERR_INVALID, "$.issuer",
				               "The signing key belongs to %s, not to the issuer %s.", ctrl, iss);
		} else if (iss) {
			mc__report_add(rep, "issuer-key", MC_SKIP, MC_OK, "$.issuer",
			               "The issuer's key could not be checked because the signature is not valid.");
		}
		check_dates(root, cJSON_IsArray(proof) ? proof->child : proof, now, rep);
		if (!mc__json_get(root, "credentialStatus"))
			mc__report_add(rep, "status", MC_SKIP, MC_OK, "", "The credential has no revocation status entry.");
		else if (!opts || !opts->status_lists)
			mc__report_add(rep, "status", MC_WARN, MC_OK, "$.credentialStatus",
			               "The credential has a status entry, but no status list was supplied to check it.");
		else
			check_status(cred, len, opts->status_lists, now, rep);
		if (opts && opts->trust_register) {
			if (signed_ok)
				mc__register_check_tree(opts->trust_register, root, (flags & MC_VERIFY_REQUIRE_REGISTERED) != 0,
				                        rep);
			else
				mc__report_add(rep, "register", MC_SKIP, MC_OK, "$.issuer",
				               "The register was not checked because the signature is not valid.");
		}
	}
	cJSON_Delete(proof);
	cJSON_Delete(root);
	*rep_out = rep;
	if (mc_report_ok(rep))
		return MC_OK;
	for (size_t i = 0; i < mc_report_count(rep); i++) {
		const mc_finding *f = mc_report_get(rep, i);
		if (f->result == MC_FAIL)
			return mc__fail(err, MC_ERR_INVALID, f->path, "%s", f->message);
	}
	return MC_ERR_INVALID;
}
