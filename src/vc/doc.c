/*
 * doc.c - mc_doc, a strictly parsed JSON document kept in memory so that
 * issuance signs and serialises the tree it built instead of printing and
 * reparsing it (the parse alone costs about as much as an Ed25519
 * signature on a 3 KB credential).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "vc/vc_internal.h"

struct mc_doc {
	cJSON *root;      /* owned; never arena memory (documents outlive calls) */
	char *canon;      /* RFC 8785 text of root as signed last, or NULL */
	size_t canon_len; /* bytes in canon */
};

mc_doc *mc__doc_wrap(cJSON *root)
{
	mc_doc *d = malloc(sizeof *d);
	if (!d) {
		cJSON_Delete(root);
		return NULL;
	}
	d->root = root;
	d->canon = NULL;
	d->canon_len = 0;
	return d;
}

mc_status mc_doc_parse(const char *buf, size_t len, mc_doc **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out must not be NULL");
	*out = NULL;
	cJSON *root = NULL;
	mc_status st = mc__json_load(buf, len, &root, err);
	if (st != MC_OK)
		return st;
	if (!(*out = mc__doc_wrap(root)))
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	return MC_OK;
}

static mc_status doc_sign(mc_doc *doc, const mc__signer *key, const mc_proof_opts *opts, mc_err *err)
{
	if (!doc)
		return mc__fail(err, MC_ERR_ARG, "doc", "doc must not be NULL");
	char *canon = NULL;
	size_t n = 0;
	/* canon stays NULL for the rdfc suites: MC_DOC_CANONICAL then
	 * serialises the tree with RFC 8785 on demand */
	mc_status st = mc__proof_sign_tree_canon(doc->root, key, opts, &canon, &n, err);
	if (st == MC_OK) {
		free(doc->canon);
		doc->canon = canon;
		doc->canon_len = canon ? n : 0;
	}
	return st;
}

mc_status mc_doc_sign(mc_doc *doc, const mc_keypair *kp, const mc_proof_opts *opts, mc_err *err)
{
	mc__signer k = {.alg = MC_KEY_ED25519, .ed25519 = kp};
	return doc_sign(doc, kp ? &k : NULL, opts, err);
}

mc_status mc_doc_sign_key(mc_doc *doc, const mc_key *key, const mc_proof_opts *opts, mc_err *err)
{
	if (!key)
		return doc_sign(doc, NULL, opts, err);
	mc__signer k = {.alg = key->alg, .ed25519 = &key->ed25519, .p256 = &key->p256};
	return doc_sign(doc, &k, opts, err);
}

void mc_doc_strip_proof(mc_doc *doc)
{
	if (!doc)
		return;
	free(doc->canon);
	doc->canon = NULL;
	if (cJSON_IsObject(doc->root))
		cJSON_DeleteItemFromObjectCaseSensitive(doc->root, "proof");
}

mc_status mc_doc_serialize(const mc_doc *doc, unsigned form, char **out, size_t *len)
{
	if (!out)
		return MC_ERR_ARG;
	*out = NULL;
	if (!doc || form > MC_DOC_CANONICAL)
		return MC_ERR_ARG;
	if (form == MC_DOC_CANONICAL && doc->canon) {
		/* kept from signing: the canonical text of exactly this tree */
		if (!(*out = malloc(doc->canon_len + 1)))
			return MC_ERR_NOMEM;
		memcpy(*out, doc->canon, doc->canon_len + 1);
		if (len)
			*len = doc->canon_len;
		return MC_OK;
	}
	if (form == MC_DOC_CANONICAL) {
		mc__buf b;
		mc__buf_init(&b, MC_JCS_MAX_BYTES);
		mc_status st = mc__jcs_node(doc->root, &b);
		if (st == MC_OK)
			st = b.status;
		if (st != MC_OK) {
			mc__buf_release(&b);
			return st;
		}
		*out = mc__buf_take(&b, len);
		return *out ? MC_OK : MC_ERR_NOMEM;
	}
	*out = mc__json_print(doc->root, form == MC_DOC_PRETTY);
	if (!*out)
		return MC_ERR_NOMEM;
	if (len)
		*len = strlen(*out);
	return MC_OK;
}

const char *mc_doc_canonical_text(const mc_doc *doc, size_t *len)
{
	if (!doc || !doc->canon)
		return NULL;
	if (len)
		*len = doc->canon_len;
	return doc->canon;
}

void mc_doc_free(mc_doc *doc)
{
	if (!doc)
		return;
	cJSON_Delete(doc->root);
	free(doc->canon);
	free(doc);
}
