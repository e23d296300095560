/*
 * resolve.c - offline resolution of a verification method to an Ed25519
 * or P-256 key: did:key from the identifier itself, any other DID (did:web) from DID
 * documents the caller supplies (fetched and pinned by the operator, e.g.
 * the issuer's published /.well-known/did.json). No network, by design: a
 * verifier that fetched did:web on demand would let the credential choose
 * which hosts we contact.
 */
#include <string.h>

#include "internal.h"

/* Largest number of DID documents accepted in one resolution set. */
#define MC__DID_DOCS_MAX 64

/* Does the relationship list (assertionMethod) reference vm, either as a
 * string (absolute or "#fragment") or as an embedded method with that id? */
static int listed(const cJSON *rel, const char *vm, const char *frag)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, rel)
	{
		const char *id = cJSON_IsString(c) ? c->valuestring : NULL;
		if (!id && cJSON_IsObject(c) && cJSON_IsString(mc__json_get(c, "id")))
			id = mc__json_get(c, "id")->valuestring;
		if (id && (strcmp(id, vm) == 0 || (frag && strcmp(id, frag) == 0)))
			return 1;
	}
	return 0;
}

static const cJSON *find_method(const cJSON *doc, const char *vm, const char *frag)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, mc__json_get(doc, "verificationMethod"))
	{
		const cJSON *id = mc__json_get(c, "id");
		if (cJSON_IsString(id) && (strcmp(id->valuestring, vm) == 0 || (frag && strcmp(id->valuestring, frag) == 0)))
			return c;
	}
	cJSON_ArrayForEach(c, mc__json_get(doc, "assertionMethod"))
	{
		const cJSON *id = mc__json_get(c, "id");
		if (cJSON_IsObject(c) && cJSON_IsString(id) &&
		    (strcmp(id->valuestring, vm) == 0 || (frag && strcmp(id->valuestring, frag) == 0)))
			return c;
	}
	return NULL;
}

/* did:key:<mk>[#<mk>] of either algorithm. */
static mc_status resolve_did_key(const char *vm, mc_public_key *pub, mc_err *err)
{
	size_t len = strnlen(vm, MC_VM_ID_MAX);
	if (len == MC_VM_ID_MAX)
		return mc__fail(err, MC_ERR_VALUE, "vm", "verification method id is longer than %d characters",
		                MC_VM_ID_MAX - 1);
	const char *mk = vm + 8, *hash = strchr(mk, '#');
	size_t mk_len = hash ? (size_t)(hash - mk) : strlen(mk);
	if (mk_len >= MC_MULTIKEY_MAX)
		return mc__fail(err, MC_ERR_KEY, "vm", "did:key method-specific id is too long");
	if (hash && (strlen(hash + 1) != mk_len || memcmp(hash + 1, mk, mk_len) != 0))
		return mc__fail(err, MC_ERR_VALUE, "vm", "did:key fragment must repeat the key ('#%.*s')", (int)mk_len, mk);
	char buf[MC_MULTIKEY_MAX];
	memcpy(buf, mk, mk_len);
	buf[mk_len] = '\0';
	mc_err sub = {0};
	if (mc_multikey_decode_public(buf, pub, &sub) != MC_OK)
		return mc__fail(err, sub.status, "vm", "did:key does not hold a supported key: %s", sub.msg);
	return MC_OK;
}

/* Resolve vm to a key of either algorithm: did:key from the identifier,
 * other DIDs from docs. */
static mc_status resolve_public(const char *vm, const char *docs, size_t docs_len, mc_public_key *pub, mc_err *err)
{
	if (!vm)
		return mc__fail(err, MC_ERR_ARG, "verificationMethod", "no verification method");
	if (strncmp(vm, "did:key:", 8) == 0)
		return resolve_did_key(vm, pub, err);
	const char *hash = strchr(vm, '#');
	if (strncmp(vm, "did:", 4) != 0 || !hash)
		return mc__fail(err, MC_ERR_UNSUPPORTED, "verificationMethod",
		                "verification method %.100s is not a DID URL with a fragment", vm);
	if (!docs)
		return mc__fail(err, MC_ERR_UNSUPPORTED, "verificationMethod",
		                "%.100s cannot be resolved offline: supply the issuer's DID document", vm);
	size_t did_len = (size_t)(hash - vm);
	cJSON *root = NULL;
	mc_status st = mc__json_load(docs, docs_len, &root, err);
	if (st)
		return st;
	const cJSON *doc = NULL, *c;
	int n = 0;
	if (cJSON_IsObject(root)) {
		c = mc__json_get(root, "id");
		if (cJSON_IsString(c) && strlen(c->valuestring) == did_len && strncmp(c->valuestring, vm, did_len) == 0)
			doc = root;
	} else {
		cJSON_ArrayForEach(c, root)
		{
			if (++n > MC__DID_DOCS_MAX)
				break;
			const cJSON *id = mc__json_get(c, "id");
			if (cJSON_IsString(id) && strlen(id->valuestring) == did_len &&
			    strncmp(id->valuestring, vm, did_len) == 0) {
				doc = c;
				break;
			}
		}
	}
	if (!doc) {
		cJSON_Delete(root);
		return mc__fail(err, MC_ERR_UNSUPPORTED, "verificationMethod",
		                "no DID document was supplied for %.*s", (int)(did_len > 100 ? 100 : did_len), vm);
	}
	const cJSON *m = find_method(doc, vm, hash);
	const cJSON *type = mc__json_get(m, "type"), *pkmb = mc__json_get(m, "publicKeyMultibase");
	if (!m)
		st = mc__fail(err, MC_ERR_KEY, "verificationMethod", "the DID document has no method %.100s", vm);
	else if (!listed(mc__json_get(doc, "assertionMethod"), vm, hash))
		st = mc__fail(err, MC_ERR_KEY, "verificationMethod",
		              "%.100s is not authorised for assertionMethod in its DID document", vm);
	else if (!cJSON_IsString(type) || strcmp(type->valuestring, "Multikey") != 0 || !cJSON_IsString(pkmb))
		st = mc__fail(err, MC_ERR_UNSUPPORTED, "verificationMethod",
		              "%.100s is not a Multikey with publicKeyMultibase", vm);
	else
		st = mc_multikey_decode_public(pkmb->valuestring, pub, err);
	cJSON_Delete(root);
	return st;
}

mc_status mc_did_resolve_vm_public(const char *vm, const char *docs, size_t docs_len, mc_public_key *pub, mc_err *err)
{
	if (!pub)
		return mc__fail(err, MC_ERR_ARG, "pub", "output key is NULL");
	mc_public_key k;
	mc_status st = resolve_public(vm, docs, docs_len, &k, err);
	if (st == MC_OK)
		*pub = k;
	return st;
}

mc_status mc_did_resolve_vm(const char *vm, const char *docs, size_t docs_len, uint8_t pk[MC_ED25519_PK_BYTES],
                            mc_err *err)
{
	if (vm && strncmp(vm, "did:key:", 8) == 0)
		return mc_did_key_resolve_vm(vm, pk, err);
	mc_public_key k;
	mc_status st = resolve_public(vm, docs, docs_len, &k, err);
	if (st != MC_OK)
		return st;
	if (k.alg != MC_KEY_ED25519)
		return mc__fail(err, MC_ERR_KEY, "verificationMethod", "%.100s is not an Ed25519 key", vm);
	memcpy(pk, k.bytes, MC_ED25519_PK_BYTES);
	return MC_OK;
}
