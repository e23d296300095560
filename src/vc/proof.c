/*
 * proof.c - Data Integrity proofs on parsed trees (so verification parses
 * the input once) with three cryptosuites:
 *
 *  eddsa-jcs-2022  (W3C Data Integrity EdDSA Cryptosuites v1.0, 3.3)
 *  eddsa-rdfc-2022 (the same, 3.2)
 *  ecdsa-rdfc-2019 (W3C Data Integrity ECDSA Cryptosuites v1.0, 3.2; P-256)
 *
 * Create: proofConfig = {type, cryptosuite, created, verificationMethod,
 * proofPurpose, @context = document's @context}; hashData =
 * SHA-256(C(proofConfig)) || SHA-256(C(document)), where C is RFC 8785 for
 * jcs and, for rdfc, JSON-LD toRdf in safe mode followed by RDFC-1.0
 * canonical N-Quads; proofValue = "z" + base58btc(signature), where the
 * signature is Ed25519(hashData) or ECDSA-P256-SHA256(hashData) as r || s.
 * Verify: the same with proofOptions = proof minus proofValue, after
 * checking that the document's @context starts with proof.@context.
 *
 * The jcs path is tuned for bulk issuance (member offsets kept so the
 * signed canonical text is spliced, not recomputed); the rdfc paths print
 * the trees and go through the public JSON-LD API with one offline loader
 * per thread, which keeps the processed VC/OB contexts cached.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"
#include "vc/vc_internal.h"

#define MC__SUITE_JCS "eddsa-jcs-2022"
#define MC__SUITE_EDDSA_RDFC "eddsa-rdfc-2022"
#define MC__SUITE_ECDSA_RDFC "ecdsa-rdfc-2019"

typedef enum suite_id { SUITE_JCS, SUITE_EDDSA_RDFC, SUITE_ECDSA_RDFC, SUITE_UNKNOWN } suite_id;

static suite_id suite_of(const char *name)
{
	if (strcmp(name, MC__SUITE_JCS) == 0)
		return SUITE_JCS;
	if (strcmp(name, MC__SUITE_EDDSA_RDFC) == 0)
		return SUITE_EDDSA_RDFC;
	if (strcmp(name, MC__SUITE_ECDSA_RDFC) == 0)
		return SUITE_ECDSA_RDFC;
	return SUITE_UNKNOWN;
}

static const char *suite_name(suite_id s)
{
	return s == SUITE_JCS ? MC__SUITE_JCS : s == SUITE_EDDSA_RDFC ? MC__SUITE_EDDSA_RDFC : MC__SUITE_ECDSA_RDFC;
}

static mc_key_alg suite_alg(suite_id s)
{
	return s == SUITE_ECDSA_RDFC ? MC_KEY_P256 : MC_KEY_ED25519;
}

/* ---- RDF canonicalization (the rdfc suites) ------------------------------ */

/* One offline loader per thread: it caches the parsed and processed
 * bundled contexts, which is most of the cost of a conversion. Created on
 * first use, freed at thread exit (the main thread's lives until exit). */
static pthread_once_t loader_once = PTHREAD_ONCE_INIT;
static pthread_key_t loader_key;
static int loader_key_ok;

static void loader_destroy(void *p)
{
	mc_jsonld_loader_free(p);
}

static void loader_key_make(void)
{
	loader_key_ok = pthread_key_create(&loader_key, loader_destroy) == 0;
}

static mc_status thread_loader(mc_jsonld_loader **out, mc_err *err)
{
	static _Thread_local mc_jsonld_loader *loader;
	if (!loader) {
		if (pthread_once(&loader_once, loader_key_make) != 0 || !loader_key_ok)
			return mc__fail(err, MC_ERR_INTERNAL, "", "cannot create the per-thread JSON-LD loader key");
		mc_status st = mc_jsonld_loader_new(NULL, NULL, &loader, err);
		if (st != MC_OK)
			return st;
		if (pthread_setspecific(loader_key, loader) != 0) {
			mc_jsonld_loader_free(loader);
			loader = NULL;
			return mc__fail(err, MC_ERR_NOMEM, "", "cannot register the per-thread JSON-LD loader");
		}
	}
	*out = loader;
	return MC_OK;
}

/* SHA-256 of the RDFC-1.0 canonical N-Quads of a JSON-LD tree, converted
 * in safe mode: a term the contexts do not define fails (naming it)
 * instead of being left out of what is signed. */
static mc_status rdfc_hash(const cJSON *tree, uint8_t out[MC_SHA256_BYTES], mc_err *err)
{
	mc_jsonld_loader *l = NULL;
	mc_status st = thread_loader(&l, err);
	if (st != MC_OK)
		return st;
	mc_jsonld_opts o = {0};
	o.safe = 1;
	mc_rdf_dataset *ds = NULL;
	st = mc__jsonld_to_rdf_tree(tree, l, &o, &ds, err);
	if (st == MC_OK)
		st = mc__rdfc_sha256(ds, out, err);
	mc_rdf_dataset_free(ds);
	return st;
}

/* hashData for the rdfc suites. */
static mc_status rdfc_hash_data(const cJSON *config, const cJSON *doc, uint8_t out[64], mc_err *err)
{
	mc_status st = rdfc_hash(config, out, err);
	return st == MC_OK ? rdfc_hash(doc, out + 32, err) : st;
}

/* Sign hashData with the suite's algorithm. */
static mc_status sign_hash(const mc__signer *key, const uint8_t hash[64], uint8_t sig[64])
{
	if (key->alg == MC_KEY_P256)
		return mc_p256_sign(key->p256, hash, 64, sig);
	return mc_ed25519_sign(key->ed25519, hash, 64, sig);
}

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
/* k must be a string literal: it is linked, not copied (one allocation
 * less per member, on every signature). */
static mc_status add_str(cJSON *o, const char *k, const char *v)
{
	cJSON *it = cJSON_CreateString(v);
	if (!it || !cJSON_AddItemToObjectCS(o, k, it)) {
		cJSON_Delete(it);
		return MC_ERR_NOMEM;
	}
	return MC_OK;
}

mc_status mc__proof_sign_tree(cJSON *root, const mc__signer *key, const mc_proof_opts *opts, mc_err *err)
{
	return mc__proof_sign_tree_canon(root, key, opts, NULL, NULL, err);
}

mc_status mc__proof_sign_tree_canon(cJSON *root, const mc__signer *key, const mc_proof_opts *opts, char **canon_out,
                                    size_t *canon_len, mc_err *err)
{
	mc__buf canon = {0};
	member_index mi = {0};
	const char *small_keys[32];
	size_t small_offs[32];
	mc_proof_opts o = {0};
	if (opts)
		o = *opts;
	if (canon_out)
		*canon_out = NULL;
	if (!key || (key->alg == MC_KEY_ED25519 ? !key->ed25519 : key->alg == MC_KEY_P256 ? !key->p256 : 1))
		return mc__fail(err, MC_ERR_ARG, "key", "no signing key");
	/* default: eddsa-jcs-2022 for Ed25519 (unchanged since 0.1), the only
	 * P-256 suite for P-256 */
	suite_id suite = o.cryptosuite ? suite_of(o.cryptosuite) : key->alg == MC_KEY_P256 ? SUITE_ECDSA_RDFC : SUITE_JCS;
	if (suite == SUITE_UNKNOWN)
		return mc__fail(err, MC_ERR_UNSUPPORTED, "cryptosuite",
		                "cryptosuite \"%.64s\" is not supported for signing (supported: " MC__SUITE_EDDSA_RDFC
		                ", " MC__SUITE_JCS ", " MC__SUITE_ECDSA_RDFC ")",
		                o.cryptosuite);
	if (suite_alg(suite) != key->alg)
		return mc__fail(err, MC_ERR_KEY, "cryptosuite", "cryptosuite %s needs %s key", suite_name(suite),
		                suite_alg(suite) == MC_KEY_P256 ? "a P-256" : "an Ed25519");
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
		} else if (key->alg == MC_KEY_P256) {
			mc_public_key pub = {.alg = MC_KEY_P256};
			memcpy(pub.bytes, key->p256->pk, MC_P256_PK_BYTES);
			mc_status st = mc_public_key_vm(&pub, vm);
			if (st != MC_OK)
				return mc__fail(err, st, "key", "cannot derive did:key");
		} else {
			mc_status st = key_vm_cached(key->ed25519->pk, vm);
			if (st != MC_OK)
				return mc__fail(err, st, "key", "cannot derive did:key");
		}
		o.verification_method = vm;
	}
	mc_status st = MC_OK;
	cJSON *config = cJSON_CreateObject();
	if (!config || add_str(config, "type", "DataIntegrityProof") || add_str(config, "cryptosuite", suite_name(suite)) ||
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
	if (suite != SUITE_JCS) {
		/* rdfc: no canonical JSON is produced, so nothing to splice */
		canon_out = NULL;
		if ((st = rdfc_hash_data(config, root, hash, err)) != MC_OK)
			goto done;
		if ((st = sign_hash(key, hash, sig))) {
			mc__fail(err, st, "key", "signing failed");
			goto done;
		}
		goto encode;
	}
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
	if ((st = mc_ed25519_sign(key->ed25519, hash, sizeof hash, sig))) {
		mc__fail(err, st, "key", "signing failed");
		goto done;
	}
encode:;
	char pv[128];
	if ((st = mc_multibase_encode(sig, sizeof sig, pv, sizeof pv)) || (st = add_str(config, "proofValue", pv))) {
		mc__fail(err, st, "$", "cannot encode proofValue");
		goto done;
	}
	if (ctx && suite != SUITE_JCS) {
		/* rdfc: the @context belongs to the proof configuration only; the
		 * added proof is a clone of the options without it (ECDSA and
		 * EdDSA Cryptosuites 3.2.1, as in the W3C vector signedDataInt) */
		cJSON_DeleteItemFromObjectCaseSensitive(config, "@context");
	} else if (ctx) {
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

static mc_status proof_add(const char *doc, size_t len, const mc__signer *key, const mc_proof_opts *opts, char **out,
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
	st = mc__proof_sign_tree(root, key, opts, err);
	if (st == MC_OK) {
		*out = mc__json_print(root, !(opts && (opts->flags & MC_PROOF_COMPACT)));
		if (!*out)
			st = mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
	}
	cJSON_Delete(root);
	mc__arena_end();
	return st;
}

mc_status mc_proof_add(const char *doc, size_t len, const mc_keypair *kp, const mc_proof_opts *opts, char **out,
                       mc_err *err)
{
	mc__signer k = {.alg = MC_KEY_ED25519, .ed25519 = kp};
	return proof_add(doc, len, kp ? &k : NULL, opts, out, err);
}

mc_status mc_proof_add_key(const char *doc, size_t len, const mc_key *key, const mc_proof_opts *opts, char **out,
                           mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out must not be NULL");
	*out = NULL;
	if (!key)
		return mc__fail(err, MC_ERR_ARG, "key", "no signing key");
	mc__signer k = {.alg = key->alg, .ed25519 = &key->ed25519, .p256 = &key->p256};
	return proof_add(doc, len, &k, opts, out, err);
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
	suite_id sid = cJSON_IsString(suite) ? suite_of(suite->valuestring) : SUITE_UNKNOWN;
	if (sid == SUITE_UNKNOWN) {
		mc__path_key(p, sizeof p, path, "cryptosuite");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_UNSUPPORTED, p,
		               "The cryptosuite \"%.64s\" is not supported (supported: eddsa-rdfc-2022, eddsa-jcs-2022, "
		               "ecdsa-rdfc-2019).",
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
	mc_public_key pub = {.alg = MC_KEY_ED25519};
	const char *docs = opts ? opts->did_documents : NULL;
	size_t docs_len = opts ? opts->did_documents_len : 0;
	mc_status rs = sid == SUITE_JCS ? mc_did_resolve_vm(vm->valuestring, docs, docs_len, pk, &e)
	                                : mc_did_resolve_vm_public(vm->valuestring, docs, docs_len, &pub, &e);
	if (rs != MC_OK) {
		mc__path_key(p, sizeof p, path, "verificationMethod");
		mc__report_add(rep, "proof", MC_FAIL, e.status, p, "The signing key could not be resolved: %s.", e.msg);
		return MC_ERR_INVALID;
	}
	if (sid != SUITE_JCS && pub.alg != suite_alg(sid)) {
		mc__path_key(p, sizeof p, path, "verificationMethod");
		mc__report_add(rep, "proof", MC_FAIL, MC_ERR_KEY, p, "The cryptosuite %s needs %s key, but %.100s is %s key.",
		               suite_name(sid), suite_alg(sid) == MC_KEY_P256 ? "a P-256" : "an Ed25519", vm->valuestring,
		               pub.alg == MC_KEY_P256 ? "a P-256" : "an Ed25519");
		return MC_ERR_INVALID;
	}
	if (sid == SUITE_EDDSA_RDFC)
		memcpy(pk, pub.bytes, sizeof pk);
	uint8_t sig[MC_ED25519_SIG_BYTES];
	size_t siglen = 0;
	if (mc_multibase_decode(pv->valuestring, strlen(pv->valuestring), sig, sizeof sig, &siglen, &e) != MC_OK ||
	    siglen != sizeof sig) {
		mc__path_key(p, sizeof p, path, "proofValue");
		mc__report_add(rep, "signature", MC_FAIL, MC_ERR_SIGNATURE, p,
		               sid == SUITE_ECDSA_RDFC ? "The proof value is not a base58btc-encoded 64-byte P-256 signature (r || s)."
		                                       : "The proof value is not a base58btc-encoded 64-byte Ed25519 signature.");
		return MC_ERR_INVALID;
	}
	mc__report_add(rep, "proof", MC_PASS, MC_OK, path, "The proof is a DataIntegrityProof using %s.", suite_name(sid));

	/* proofOptions = proof minus proofValue; shallow copy of members */
	cJSON *options = cJSON_CreateObject();
	cJSON *unsecured = cJSON_CreateObject();
	mc_status st = options && unsecured ? MC_OK : MC_ERR_NOMEM;
	/* rdfc: proofConfig.@context is the unsecured document's @context
	 * (added below), so the proof's own is not copied */
	for (const cJSON *c = proof->child; c && st == MC_OK; c = c->next)
		if (strcmp(c->string, "proofValue") != 0 && (sid == SUITE_JCS || strcmp(c->string, "@context") != 0) &&
		    !cJSON_AddItemReferenceToObject(options, c->string, (cJSON *)c))
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
	if (st == MC_OK && sid != SUITE_JCS) {
		const cJSON *uctx = mc__json_get(unsecured, "@context");
		if (uctx && !cJSON_AddItemReferenceToObject(options, "@context", (cJSON *)uctx))
			st = MC_ERR_NOMEM;
	}
	uint8_t hash[64];
	mc_err he = {0};
	if (st == MC_OK && (sid == SUITE_JCS ? jcs_hash_data(options, unsecured, hash, &he)
	                                     : rdfc_hash_data(options, unsecured, hash, &he)) != MC_OK)
		st = he.status;
	cJSON_Delete(options);
	cJSON_Delete(unsecured);
	if (st == MC_ERR_INVALID)
		return st;
	if (st != MC_OK && sid != SUITE_JCS && st != MC_ERR_NOMEM) {
		/* safe mode names the undefined term, the unknown context, ... */
		mc__report_add(rep, "signature", MC_FAIL, st, he.path[0] ? he.path : path,
		               "The credential cannot be canonicalized for %s: %s.", suite_name(sid), he.msg);
		return MC_ERR_INVALID;
	}
	if (st != MC_OK) {
		mc__report_add(rep, "signature", MC_FAIL, st, path, "The credential could not be canonicalized: %s.",
		               mc_strerror(st));
		return st == MC_ERR_NOMEM ? st : MC_ERR_INVALID;
	}
	if (sid == SUITE_ECDSA_RDFC ? mc_p256_verify(pub.bytes, hash, sizeof hash, sig) != MC_OK
	                            : mc_ed25519_verify(pk, hash, sizeof hash, sig) != MC_OK) {
		mc__path_key(p, sizeof p, path, "proofValue");
		mc__report_add(rep, "signature", MC_FAIL, MC_ERR_SIGNATURE, p,
		               "The signature does not match: the credential was changed after signing or signed with another key.");
		return MC_ERR_INVALID;
	}
	mc__report_add(rep, "signature", MC_PASS, MC_OK, path, "The signature is valid for key %s.", vm->valuestring);
	if (pk_out && sid != SUITE_ECDSA_RDFC)
		memcpy(pk_out, pk, sizeof pk);
	if (vm_out)
		snprintf(vm_out, vm_cap, "%s", vm->valuestring);
	return MC_OK;
}
