/*
 * proof.c - Data Integrity proofs with the eddsa-jcs-2022 cryptosuite
 * (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3), on parsed trees
 * so verification parses the input once.
 *
 * Create: proofConfig = {type, cryptosuite, created, verificationMethod,
 * proofPurpose, @context = document's @context}; hashData =
 * SHA-256(JCS(proofConfig)) || SHA-256(JCS(document)); proofValue =
 * "z" + base58btc(Ed25519(hashData)).
 * Verify: the same with proofOptions = proof minus proofValue, after
 * checking that the document's @context starts with proof.@context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"
#include "vc/vc_internal.h"

#define MC__SUITE_JCS "eddsa-jcs-2022"

/* hashData for eddsa-jcs-2022 from a proof-config tree and a document tree
 * (without its proof). */
/* Where the top-level members of the hashed document start in its JCS. */
typedef struct member_index {
	const char **keys;
	size_t *offs;
	size_t count;
} member_index;

static mc_status jcs_hash_data_keep(const cJSON *config, const cJSON *doc, uint8_t out[64], mc__buf *doc_canon,
                                    member_index *mi, mc_err *err);

static mc_status jcs_hash_data(const cJSON *config, const cJSON *doc, uint8_t out[64], mc_err *err)
{
	return jcs_hash_data_keep(config, doc, out, NULL, NULL, err);
}

/* hashData; when doc_canon is not NULL it receives JCS(doc) (the caller
 * releases it), so signing can write the canonical signed document without
 * a second canonicalization pass. */
static mc_status jcs_hash_data_keep(const cJSON *config, const cJSON *doc, uint8_t out[64], mc__buf *doc_canon,
                                    member_index *mi, mc_err *err)
{
	mc__buf b;
	mc__buf_init(&b, MC_JCS_MAX_BYTES);
	mc_status st = mc__jcs_node(config, &b);
	if (st == MC_OK)
		st = b.status;
	if (st == MC_OK)
		st = mc_sha256(b.data ? b.data : "", b.len, out);
	b.len = 0;
	b.status = MC_OK;
	if (st == MC_OK)
		st = mi ? mc__jcs_object_offsets(doc, &b, mi->keys, mi->offs) : mc__jcs_node(doc, &b);
	if (st == MC_OK)
		st = b.status;
	if (st == MC_OK)
		st = mc_sha256(b.data ? b.data : "", b.len, out + 32);
	if (st == MC_OK && doc_canon)
		*doc_canon = b;
	else
		mc__buf_release(&b);
	if (st != MC_OK)
		return mc__fail(err, st, "$", "canonicalization or hashing failed: %s", mc_strerror(st));
	return MC_OK;
}

/* Write JCS(root + proof) from JCS(root) without re-serialising: insert
 * "proof":{...} where RFC 8785 orders it among the top-level members, using
 * the member offsets recorded while root was canonicalized. */
static mc_status splice_proof(const cJSON *proof, const mc__buf *canon, const char *const *keys, const size_t *offs,
                              size_t count, char **out, size_t *out_len)
{
	size_t before = 0;
	while (before < count && mc__jcs_key_cmp(keys[before], "proof") < 0)
		before++;
	size_t off = before < count ? offs[before] : canon->len - 1; /* else: at the closing brace */
	mc__buf b;
	mc__buf_init(&b, MC_JCS_MAX_BYTES);
	mc__buf_add(&b, canon->data, off);
	if (before == count && count > 0)
		mc__buf_add(&b, ",", 1);
	mc__buf_add(&b, "\"proof\":", 8);
	mc_status st = mc__jcs_node(proof, &b);
	if (before < count)
		mc__buf_add(&b, ",", 1);
	mc__buf_add(&b, canon->data + off, canon->len - off);
	if (st == MC_OK)
		st = b.status;
	if (st != MC_OK) {
		mc__buf_release(&b);
		return st;
	}
	*out = mc__buf_take(&b, out_len);
	return *out ? MC_OK : MC_ERR_NOMEM;
}

/* did:key verification method of pk. Issuance signs many credentials with
 * one key, and deriving the method (two base58 encodings) costs about a
 * twentieth of a signature, so the last one is remembered per thread. */
static mc_status key_vm_cached(const uint8_t pk[MC_ED25519_PK_BYTES], char vm[MC_VM_ID_MAX])
{
	static _Thread_local struct {
		int valid;
		uint8_t pk[MC_ED25519_PK_BYTES];
		char vm[MC_VM_ID_MAX];
	} last;
	if (last.valid && memcmp(last.pk, pk, sizeof last.pk) == 0) {
		memcpy(vm, last.vm, MC_VM_ID_MAX);
		return MC_OK;
	}
	mc_status st = mc_did_key_vm(pk, vm);
	if (st == MC_OK) {
		memcpy(last.pk, pk, sizeof last.pk);
		memcpy(last.vm, vm, MC_VM_ID_MAX);
		last.valid = 1;
	}
	return st;
}

/* Add a string member, mapping allocation failure to MC_ERR_NOMEM. */
static mc_status add_str(cJSON *o, const char *k, const char *v)
{
	return cJSON_AddStringToObject(o, k, v) ? MC_OK : MC_ERR_NOMEM;
}

mc_status mc__proof_sign_tree(cJSON *root, const mc_keypair *kp, const mc_proof_opts *opts, mc_err *err)
{
	return mc__proof_sign_tree_canon(root, kp, opts, NULL, NULL, err);
}

mc_status mc__proof_sign_tree_canon(cJSON *root, const mc_keypair *kp, const mc_proof_opts *opts, char **canon_out,
                                    size_t *canon_len, mc_err *err)
{
	mc__buf canon = {0};
	member_index mi = {0};
	const char *small_keys[32];
	size_t small_offs[32];
	mc_proof_opts o = {0};
	if (opts)
		o = *opts;
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "key", "no signing key");
	if (o.cryptosuite && strcmp(o.cryptosuite, MC__SUITE_JCS) != 0)
		return mc__fail(err, MC_ERR_UNSUPPORTED, "cryptosuite", "cryptosuite \"%.64s\" is not supported for signing",
		                o.cryptosuite);
	char created[32], vm[MC_VM_ID_MAX];
	if (o.created) {
		int64_t t;
		if (!mc__time_parse(o.created, false, &t))
			return mc__fail(err, MC_ERR_VALUE, "created",
			                "created must be an XML Schema dateTime with zone, e.g. 2024-01-31T12:00:00Z");
	} else {
		mc__time_format(mc__time_now(), created);
		o.created = created;
	}
	if (!o.proof_purpose)
		o.proof_purpose = "assertionMethod";
	if (!cJSON_IsObject(root))
		return mc__fail(err, MC_ERR_TYPE, "$", "a credential must be a JSON object");
	if (mc__json_get(root, "proof"))
		return mc__fail(err, MC_ERR_VALUE, "$.proof", "document is already signed; proof sets are not created by mcred");
	if (!o.verification_method) {
		const cJSON *iss = mc__json_get(root, "issuer");
		if (cJSON_IsObject(iss))
			iss = mc__json_get(iss, "id");
		if (cJSON_IsString(iss) && strncmp(iss->valuestring, "did:", 4) == 0 &&
		    strncmp(iss->valuestring, "did:key:", 8) != 0 && !strchr(iss->valuestring, '#') &&
		    strlen(iss->valuestring) + 7 <= sizeof vm) {
			snprintf(vm, sizeof vm, "%s#key-1", iss->valuestring);
		} else {
			mc_status st = key_vm_cached(kp->pk, vm);
			if (st != MC_OK)
				return mc__fail(err, st, "key", "cannot derive did:key");
		}
		o.verification_method = vm;
	}
	mc_status st = MC_OK;
	cJSON *config = cJSON_CreateObject();
	if (!config || add_str(config, "type", "DataIntegrityProof") || add_str(config, "cryptosuite", MC__SUITE_JCS) ||
	    add_str(config, "created", o.created) || add_str(config, "verificationMethod", o.verification_method) ||
	    add_str(config, "proofPurpose", o.proof_purpose)) {
		st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
		goto done;
	}
	const cJSON *ctx = mc__json_get(root, "@context");
	if (ctx) {
		/* a reference, not a copy: the proof shares the document's @context */
		if (!cJSON_AddItemReferenceToObject(config, "@context", (cJSON *)ctx)) {
			st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
			goto done;
		}
	}
	uint8_t hash[64], sig[MC_ED25519_SIG_BYTES];
	if (canon_out) {
		for (const cJSON *c = root->child; c; c = c->next)
			mi.count++;
		if (mi.count <= 32) {
			mi.keys = small_keys;
			mi.offs = small_offs;
		} else if (!(mi.keys = malloc(mi.count * sizeof *mi.keys)) || !(mi.offs = malloc(mi.count * sizeof *mi.offs))) {
			free(mi.keys);
			mi.keys = NULL;
			st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
			goto done;
		}
	}
	st = jcs_hash_data_keep(config, root, hash, canon_out ? &canon : NULL, canon_out ? &mi : NULL, err);
	if (st)
		goto done;
	if ((st = mc_ed25519_sign(kp, hash, sizeof hash, sig))) {
		mc__fail(err, st, "key", "signing failed");
		goto done;
	}
	char pv[128];
	if ((st = mc_multibase_encode(sig, sizeof sig, pv, sizeof pv)) || (st = add_str(config, "proofValue", pv))) {
		mc__fail(err, st, "$", "cannot encode proofValue");
		goto done;
	}
	if (ctx) {
		/* make the proof own a real copy before it joins the tree */
		cJSON *dup = cJSON_Duplicate(ctx, 1);
		if (!dup || !cJSON_ReplaceItemInObjectCaseSensitive(config, "@context", dup)) {
			cJSON_Delete(dup);
			st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
			goto done;
		}
	}
	if (canon_out && (st = splice_proof(config, &canon, mi.keys, mi.offs, mi.count, canon_out, canon_len)) != MC_OK) {
		mc__fail(err, st, "$", "cannot write the signed document");
		goto done;
	}
	if (!cJSON_AddItemToObject(root, "proof", config)) {
		if (canon_out) {
			free(*canon_out);
			*canon_out = NULL;
		}
		st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
		goto done;
	}
	mc__buf_release(&canon);
	if (mi.keys != small_keys) {
		free(mi.keys);
		free(mi.offs);
	}
	return MC_OK;
done:
	mc__buf_release(&canon);
	if (mi.keys != small_keys) {
		free(mi.keys);
		free(mi.offs);
	}
	cJSON_Delete(config);
	return st;
}

mc_status mc_proof_add(const char *doc, size_t len, const mc_keypair *kp, const mc_proof_opts *opts, char **out,
                       mc_err *err)
{
	*out = NULL;
	cJSON *root = NULL;
	mc__arena_begin();
	mc_status st = mc__json_load(doc, len, &root, err);
	if (st) {
		mc__arena_end();
		return st;
	}
	st = mc__proof_sign_tree(root, kp, opts, err);
	if (st == MC_OK) {
		*out = mc__json_print(root, !(opts && (opts->flags & MC_PROOF_COMPACT)));
		if (!*out)
			st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
	}
	cJSON_Delete(root);
	mc__arena_end();
	return st;
}

/* Strings in an @context value compared element-wise; proof.@context must
 * be a prefix of the document's. */
static int context_prefix(const cJSON *doc_ctx, const cJSON *proof_ctx)
{
	if (!doc_ctx)
		return 0;
	if (!cJSON_IsArray(proof_ctx))
		return cJSON_Compare(cJSON_IsArray(doc_ctx) ? doc_ctx->child : doc_ctx, proof_ctx, 1);
	if (!cJSON_IsArray(doc_ctx))
		return cJSON_GetArraySize(proof_ctx) == 1 && cJSON_Compare(doc_ctx, proof_ctx->child, 1);
	const cJSON *a = doc_ctx->child, *b = proof_ctx->child;
	for (; b; a = a->next, b = b->next)
		if (!a || !cJSON_Compare(a, b, 1))
			return 0;
	return 1;
}

mc_status mc__proof_verify_one(const cJSON *doc_no_proof, const cJSON *proof, const char *path, const mc_verify_opts *opts, mc_report *rep,
                               uint8_t pk_out[MC_ED25519_PK_BYTES], char *vm_out, size_t vm_cap)
{
	char p[MC_ERR_PATH_MAX];
	if (!cJSON_IsObject(proof))
		return mc__report_add(rep, "proof", MC_FAIL, MC_ERR_TYPE, path, "The proof is not a JSON object."),
		       MC_ERR_INVALID;
	const cJSON *type = mc__json_get(proof, "type"), *suite = mc__json_get(proof, "cryptosuite");
	const cJSON *vm = mc__json_get(proof, "verificationMethod"), *pv = mc__json_get(proof, "proofValue");
	const cJSON *purpose = mc__json_get(proof, "proofPurpose"), *created = mc__json_get(proof, "created");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "DataIntegrityProof") != 0) {
		mc__path_key(p, sizeof p, path, "type");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_UNSUPPORTED, p,
		               "The proof type is not DataIntegrityProof, the only type mcred verifies.");
		return MC_ERR_INVALID;
	}
	if (!cJSON_IsString(suite) || strcmp(suite->valuestring, MC__SUITE_JCS) != 0) {
		mc__path_key(p, sizeof p, path, "cryptosuite");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_UNSUPPORTED, p,
		               "The cryptosuite \"%.64s\" is not supported (supported: eddsa-jcs-2022).",
		               cJSON_IsString(suite) ? suite->valuestring : "(missing)");
		return MC_ERR_INVALID;
	}
	if (!cJSON_IsString(purpose) || strcmp(purpose->valuestring, "assertionMethod") != 0) {
		mc__path_key(p, sizeof p, path, "proofPurpose");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_VALUE, p,
		               "The proof purpose must be assertionMethod for a credential.");
		return MC_ERR_INVALID;
	}
	int64_t t;
	if (created && (!cJSON_IsString(created) || !mc__time_parse(created->valuestring, false, &t))) {
		mc__path_key(p, sizeof p, path, "created");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_VALUE, p, "The proof creation date is not a valid dateTime.");
		return MC_ERR_INVALID;
	}
	if (!cJSON_IsString(pv) || !cJSON_IsString(vm)) {
		mc__path_key(p, sizeof p, path, cJSON_IsString(pv) ? "verificationMethod" : "proofValue");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_MISSING, p, "The proof lacks %s.",
		               cJSON_IsString(pv) ? "a verification method" : "a proof value");
		return MC_ERR_INVALID;
	}
	mc_err e = {0};
	uint8_t pk[MC_ED25519_PK_BYTES];
	if (mc_did_resolve_vm(vm->valuestring, opts ? opts->did_documents : NULL, opts ? opts->did_documents_len : 0, pk,
	                      &e) != MC_OK) {
		mc__path_key(p, sizeof p, path, "verificationMethod");
		mc__report_add(rep, "proof", MC_FAIL, e.status, p, "The signing key could not be resolved: %s.", e.msg);
		return MC_ERR_INVALID;
	}
	uint8_t sig[MC_ED25519_SIG_BYTES];
	size_t siglen = 0;
	if (mc_multibase_decode(pv->valuestring, strlen(pv->valuestring), sig, sizeof sig, &siglen, &e) != MC_OK ||
	    siglen != sizeof sig) {
		mc__path_key(p, sizeof p, path, "proofValue");
		mc__report_add(rep, "signature", MC_FAIL, MC_ERR_SIGNATURE, p,
		               "The proof value is not a base58btc-encoded 64-byte Ed25519 signature.");
		return MC_ERR_INVALID;
	}
	mc__report_add(rep, "proof", MC_PASS, MC_OK, path, "The proof is a DataIntegrityProof using eddsa-jcs-2022.");

	/* proofOptions = proof minus proofValue; shallow copy of members */
	cJSON *options = cJSON_CreateObject();
	cJSON *unsecured = cJSON_CreateObject();
	mc_status st = options && unsecured ? MC_OK : MC_ERR_NOMEM;
	for (const cJSON *c = proof->child; c && st == MC_OK; c = c->next)
		if (strcmp(c->string, "proofValue") != 0 && !cJSON_AddItemReferenceToObject(options, c->string, (cJSON *)c))
			st = MC_ERR_NOMEM;
	const cJSON *pctx = mc__json_get(proof, "@context");
	for (const cJSON *c = doc_no_proof->child; c && st == MC_OK; c = c->next) {
		if (strcmp(c->string, "@context") == 0 && pctx)
			continue;
		if (!cJSON_AddItemReferenceToObject(unsecured, c->string, (cJSON *)c))
			st = MC_ERR_NOMEM;
	}
	if (st == MC_OK && pctx) {
		if (!context_prefix(mc__json_get(doc_no_proof, "@context"), pctx)) {
			mc__path_key(p, sizeof p, path, "@context");
			mc__report_add(rep, "signature", MC_FAIL, MC_ERR_SIGNATURE, p,
			               "The proof's @context does not match the start of the credential's @context.");
			st = MC_ERR_INVALID;
		} else if (!cJSON_AddItemReferenceToObject(unsecured, "@context", (cJSON *)pctx)) {
			st = MC_ERR_NOMEM;
		}
	}
	uint8_t hash[64];
	mc_err he = {0};
	if (st == MC_OK && jcs_hash_data(options, unsecured, hash, &he) != MC_OK)
		st = he.status;
	cJSON_Delete(options);
	cJSON_Delete(unsecured);
	if (st == MC_ERR_INVALID)
		return st;
	if (st != MC_OK) {
		mc__report_add(rep, "signature", MC_FAIL, st, path, "The credential could not be canonicalized: %s.",
		               mc_strerror(st));
		return st == MC_ERR_NOMEM ? st : MC_ERR_INVALID;
	}
	if (mc_ed25519_verify(pk, hash, sizeof hash, sig) != MC_OK) {
		mc__path_key(p, sizeof p, path, "proofValue");
		mc__report_add(rep, "signature", MC_FAIL, MC_ERR_SIGNATURE, p,
		               "The signature does not match: the credential was changed after signing or signed with another key.");
		return MC_ERR_INVALID;
	}
	mc__report_add(rep, "signature", MC_PASS, MC_OK, path, "The signature is valid for key %s.", vm->valuestring);
	if (pk_out)
		memcpy(pk_out, pk, sizeof pk);
	if (vm_out)
		snprintf(vm_out, vm_cap, "%s", vm->valuestring);
	return MC_OK;
}
