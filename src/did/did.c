/*
 * did.c - did:key identifiers and documents (W3C did:key method, Multikey
 * form), offline resolution of did:key verification methods, and did:web
 * documents for publishing an issuer key.
 *
 * Only did:key resolves offline: the DID is the key. Everything else is
 * refused as unsupported rather than guessed, because resolving did:web
 * here would mean network access, which the library never does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

#define DID_KEY_PREFIX "did:key:"
#define DID_WEB_PREFIX "did:web:"
/* Longest did:web method-specific id accepted (host + port + path). */
#define DID_WEB_DOMAIN_MAX 512
/* Longest DID method name echoed back in an error message. */
#define METHOD_ECHO_MAX 32

static const char ctx_did_v1[] = "https://www.w3.org/ns/did/v1";
static const char ctx_multikey_v1[] = "https://w3id.org/security/multikey/v1";

mc_status mc_did_key_from_pk(const uint8_t pk[MC_ED25519_PK_BYTES], char out[MC_DID_KEY_MAX])
{
	if (!pk || !out)
		return MC_ERR_ARG;
	char mk[MC_MULTIKEY_MAX];
	mc_status st = mc_multikey_encode(pk, mk);
	if (st != MC_OK)
		return st;
	int n = snprintf(out, MC_DID_KEY_MAX, DID_KEY_PREFIX "%s", mk);
	return n > 0 && n < MC_DID_KEY_MAX ? MC_OK : MC_ERR_INTERNAL;
}

mc_status mc_did_key_vm(const uint8_t pk[MC_ED25519_PK_BYTES], char out[MC_VM_ID_MAX])
{
	if (!pk || !out)
		return MC_ERR_ARG;
	char mk[MC_MULTIKEY_MAX];
	mc_status st = mc_multikey_encode(pk, mk);
	if (st != MC_OK)
		return st;
	int n = snprintf(out, MC_VM_ID_MAX, DID_KEY_PREFIX "%s#%s", mk, mk);
	return n > 0 && n < MC_VM_ID_MAX ? MC_OK : MC_ERR_INTERNAL;
}

/* Refuse a reference that is not did:key, naming its DID method (or saying
 * it is no DID at all) so the user knows what to change. */
static mc_status unsupported_method(const char *ref, const char *path, mc_err *err)
{
	if (strncmp(ref, "did:", 4) != 0)
		return mc__fail(err, MC_ERR_UNSUPPORTED, path,
		                "'%.64s' is not a DID; only did:key verification methods resolve offline", ref);
	const char *m = ref + 4;
	size_t n = strspn(m, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (n == 0 || n > METHOD_ECHO_MAX || m[n] != ':')
		return mc__fail(err, MC_ERR_VALUE, path, "'%.64s' is not a valid DID", ref);
	return mc__fail(err, MC_ERR_UNSUPPORTED, path,
	                "DID method '%.*s' cannot be resolved offline; only did:key is supported", (int)n, m);
}

/* Split "did:key:<mk>[#<fragment>]" and decode <mk>. *frag is NULL without
 * '#'. Method-specific-id syntax errors are MC_ERR_KEY (it is the key). */
static mc_status parse_did_key(const char *ref, const char *path, uint8_t pk[MC_ED25519_PK_BYTES],
                               const char **frag, mc_err *err)
{
	if (strncmp(ref, DID_KEY_PREFIX, strlen(DID_KEY_PREFIX)) != 0)
		return unsupported_method(ref, path, err);
	const char *mk = ref + strlen(DID_KEY_PREFIX);
	const char *hash = strchr(mk, '#');
	size_t mk_len = hash ? (size_t)(hash - mk) : strlen(mk);
	if (mk_len >= MC_MULTIKEY_MAX)
		return mc__fail(err, MC_ERR_KEY, path, "did:key method-specific id is too long for an Ed25519 key");
	char buf[MC_MULTIKEY_MAX];
	memcpy(buf, mk, mk_len);
	buf[mk_len] = '\0';
	mc_err sub = {0};
	if (mc_multikey_decode(buf, pk, &sub) != MC_OK)
		return mc__fail(err, sub.status, path, "did:key does not hold an Ed25519 key: %s", sub.msg);
	*frag = hash ? hash + 1 : NULL;
	return MC_OK;
}

mc_status mc_did_key_resolve_vm(const char *vm, uint8_t pk[MC_ED25519_PK_BYTES], mc_err *err)
{
	if (!vm)
		return mc__fail(err, MC_ERR_ARG, "vm", "verification method is NULL");
	if (!pk)
		return mc__fail(err, MC_ERR_ARG, "pk", "output key is NULL");
	if (strnlen(vm, MC_VM_ID_MAX) == MC_VM_ID_MAX)
		return mc__fail(err, MC_ERR_VALUE, "vm", "verification method id is longer than %d characters",
		                MC_VM_ID_MAX - 1);
	const char *frag = NULL;
	uint8_t key[MC_ED25519_PK_BYTES];
	mc_status st = parse_did_key(vm, "vm", key, &frag, err);
	if (st != MC_OK)
		return st;
	/* A did:key document has exactly one method, "#" + the multikey; any
	 * other fragment designates nothing. */
	if (frag) {
		const char *mk = vm + strlen(DID_KEY_PREFIX);
		size_t mk_len = (size_t)(frag - 1 - mk);
		if (strlen(frag) != mk_len || memcmp(frag, mk, mk_len) != 0)
			return mc__fail(err, MC_ERR_VALUE, "vm", "did:key fragment must repeat the key ('#%.*s')",
			                (int)mk_len, mk);
	}
	memcpy(pk, key, sizeof key);
	return MC_OK;
}

/* obj[key] = item, taking ownership of item even on failure. */
static bool put(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

/* ["s"] or ["a", "b"] (b may be NULL). */
static cJSON *str_array(const char *a, const char *b)
{
	cJSON *arr = cJSON_CreateArray();
	if (!arr)
		return NULL;
	const char *v[2] = {a, b};
	for (size_t i = 0; i < 2 && v[i]; i++) {
		cJSON *s = cJSON_CreateString(v[i]);
		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *multikey_vm(const char *vm_id, const char *controller, const char *mk)
{
	cJSON *vm = cJSON_CreateObject();
	if (!vm)
		return NULL;
	if (!put(vm, "id", cJSON_CreateString(vm_id)) || !put(vm, "type", cJSON_CreateString("Multikey")) ||
	    !put(vm, "controller", cJSON_CreateString(controller)) ||
	    !put(vm, "publicKeyMultibase", cJSON_CreateString(mk))) {
		cJSON_Delete(vm);
		return NULL;
	}
	return vm;
}

/* The shared shape of both documents: contexts, id, one Multikey method
 * referenced by each verification relationship in rels (NULL-terminated). */
static mc_status write_document(const char *did, const char *vm_id, const char *mk, const char *const *rels,
                                char **out, mc_err *err)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *vms = cJSON_CreateArray();
	bool ok = doc && vms && cJSON_AddItemToArray(vms, multikey_vm(vm_id, did, mk));
	ok = ok && put(doc, "@context", str_array(ctx_did_v1, ctx_multikey_v1));
	ok = ok && put(doc, "id", cJSON_CreateString(did));
	if (ok) {
		ok = put(doc, "verificationMethod", vms);
		vms = NULL; /* owned by doc now, or already deleted by put */
	}
	for (size_t i = 0; ok && rels[i]; i++)
		ok = put(doc, rels[i], str_array(vm_id, NULL));
	char *text = ok ? cJSON_Print(doc) : NULL;
	cJSON_Delete(vms);
	cJSON_Delete(doc);
	if (!text)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory building the DID document");
	*out = text;
	return MC_OK;
}

mc_status mc_did_key_document(const char *did, char **out, mc_err *err)
{
	if (!did)
		return mc__fail(err, MC_ERR_ARG, "did", "DID is NULL");
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "output pointer is NULL");
	*out = NULL;
	if (strnlen(did, MC_DID_KEY_MAX) == MC_DID_KEY_MAX)
		return mc__fail(err, MC_ERR_VALUE, "did", "DID is longer than %d characters", MC_DID_KEY_MAX - 1);
	static const char *const rels[] = {"authentication", "assertionMethod", "capabilityDelegation",
	                                   "capabilityInvocation", NULL};
	/* P-256 ("zDn..."): the Multikey decoder already checks the point. */
	if (strncmp(did, DID_KEY_PREFIX "zDn", strlen(DID_KEY_PREFIX) + 3) == 0) {
		if (strchr(did, '#'))
			return mc__fail(err, MC_ERR_VALUE, "did", "expected a DID, not a DID URL with a fragment");
		mc_public_key pub;
		mc_err sub = {0};
		char mk[MC_MULTIKEY_MAX], vm_id[MC_VM_ID_MAX];
		if (mc_multikey_decode_public(did + strlen(DID_KEY_PREFIX), &pub, &sub) != MC_OK)
			return mc__fail(err, MC_ERR_KEY, "did", "did:key does not hold a valid key: %s", sub.msg);
		if (mc_public_key_multikey(&pub, mk) != MC_OK || mc_public_key_vm(&pub, vm_id) != MC_OK)
			return mc__fail(err, MC_ERR_INTERNAL, "did", "cannot re-encode the did:key");
		return write_document(did, vm_id, mk, rels, out, err);
	}
	uint8_t pk[MC_ED25519_PK_BYTES];
	const char *frag = NULL;
	mc_status st = parse_did_key(did, "did", pk, &frag, err);
	if (st != MC_OK)
		return st;
	if (frag)
		return mc__fail(err, MC_ERR_VALUE, "did", "expected a DID, not a DID URL with a fragment");
	/* The did:key spec's document algorithm validates the key. Resolution
	 * (the verification hot path) skips this: the strict verifier rejects
	 * small-order and non-canonical keys anyway. */
	if (!crypto_core_ed25519_is_valid_point(pk))
		return mc__fail(err, MC_ERR_KEY, "did", "did:key does not encode a valid Ed25519 public key");
	char mk[MC_MULTIKEY_MAX], vm_id[MC_VM_ID_MAX];
	if (mc_multikey_encode(pk, mk) != MC_OK || mc_did_key_vm(pk, vm_id) != MC_OK)
		return mc__fail(err, MC_ERR_INTERNAL, "did", "cannot re-encode the did:key");
	return write_document(did, vm_id, mk, rels, out, err);
}

/* One host label: 1-63 of [a-z0-9-], not starting or ending with '-'. */
static bool host_label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") >= n;
}

/* Host: lowercase labels separated by dots. Returns the length consumed or 0. */
static size_t scan_host(const char *s)
{
	size_t n = strcspn(s, "%:");
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t l = 0;
		while (i + l < n && s[i + l] != '.')
			l++;
		if (!host_label_ok(s + i, l))
			return 0;
		i += l + 1;
		if (i == n && s[n - 1] == '.')
			return 0; /* trailing dot */
	}
	return n;
}

/* "%3A" + port 1..65535 without leading zeros. Returns length or 0. */
static size_t scan_port(const char *s)
{
	if (strncmp(s, "%3A", 3) != 0 && strncmp(s, "%3a", 3) != 0)
		return 0;
	size_t d = strspn(s + 3, "0123456789");
	if (d == 0 || d > 5 || s[3] == '0')
		return 0;
	unsigned long port = strtoul(s + 3, NULL, 10);
	return port <= 65535 ? 3 + d : 0;
}

/* did:web method-specific id: host [%3A port] *(":" segment), where a path
 * segment is URL-unreserved characters other than "." and "..". Anything
 * else (uppercase host, userinfo, query, other escapes) is refused: the id
 * becomes a URL and a file path on the issuer's side. */
static bool did_web_domain_ok(const char *d)
{
	/* "did:web:x" passed whole would otherwise read as host "did" with
	 * path segments and yield did:web:did:web:x. */
	if (strncmp(d, "did:", 4) == 0)
		return false;
	size_t n = scan_host(d);
	if (n == 0)
		return false;
	if (d[n] == '%') {
		size_t p = scan_port(d + n);
		if (p == 0)
			return false;
		n += p;
	}
	while (d[n] == ':') {
		const char *seg = d + n + 1;
		size_t l = strspn(seg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~");
		if (l == 0 || (l == 1 && seg[0] == '.') || (l == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		n += 1 + l;
	}
	return d[n] == '\0';
}

mc_status mc_did_web_document(const char *domain, const uint8_t pk[MC_ED25519_PK_BYTES], char **out, mc_err *err)
{
	if (!domain)
		return mc__fail(err, MC_ERR_ARG, "domain", "domain is NULL");
	if (!pk)
		return mc__fail(err, MC_ERR_ARG, "pk", "public key is NULL");
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "output pointer is NULL");
	*out = NULL;
	if (strnlen(domain, DID_WEB_DOMAIN_MAX + 1) > DID_WEB_DOMAIN_MAX)
		return mc__fail(err, MC_ERR_VALUE, "domain", "did:web domain is longer than %d characters",
		                DID_WEB_DOMAIN_MAX);
	if (!did_web_domain_ok(domain))
		return mc__fail(err, MC_ERR_VALUE, "domain",
		                "'%.64s' is not a did:web id: expected a lowercase host, optional %%3A port and "
		                ":path segments",
		                domain);
	char did[sizeof DID_WEB_PREFIX + DID_WEB_DOMAIN_MAX];
	char vm_id[sizeof did + 8];
	char mk[MC_MULTIKEY_MAX];
	if (mc_multikey_encode(pk, mk) != MC_OK)
		return mc__fail(err, MC_ERR_INTERNAL, "pk", "cannot encode the public key");
	snprintf(did, sizeof did, DID_WEB_PREFIX "%s", domain);
	snprintf(vm_id, sizeof vm_id, "%s#key-1", did);
	static const char *const rels[] = {"authentication", "assertionMethod", NULL};
	return write_document(did, vm_id, mk, rels, out, err);
}
