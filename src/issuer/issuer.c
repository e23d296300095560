/*
 * issuer.c - the issuer service (include/mcred/issuer.h): an issuing
 * session over an mc_store, single issuance, status changes with signed
 * status list credentials, reissue, sharing and search. Bulk issuance is
 * in bulk_issue.c. The CLI (src/cli/cmd_store.c) and the server call these
 * and only parse arguments and present results.
 *
 * Conventions kept in the store:
 *  - each issuer's revocation lists are "<base>/status/revocation/<k>",
 *    k = 1, 2, ... (a new list when one is full), base the issuer's url or,
 *    without one, its id (docs/issuing.md);
 *  - every list carries its signed BitstringStatusListCredential, made
 *    when the list is created and again whenever a bit changes, in the
 *    transaction that changes it (mc_store_status_list_publish).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "issuer/issuer_internal.h"
#include "mcred/status.h"

/* ---- small helpers ----------------------------------------------------- */

mc_status mc__issuer_audit(mc_issuer *is, const char *action, const char *subject, const char *details, mc_err *err)
{
	mc_store_audit e = {.actor = is->actor, .action = (char *)action, .subject = (char *)subject,
	                    .details = (char *)details};
	return mc_store_audit_append(is->s, &e, NULL, err);
}

char *mc__json_pairs(const char *const *kv, size_t n)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	for (size_t i = 0; ok && i + 1 < n; i += 2)
		if (kv[i + 1] && !cJSON_AddStringToObject(o, kv[i], kv[i + 1]))
			ok = false;
	char *out = ok ? mc__json_print(o, 0) : NULL;
	cJSON_Delete(o);
	return out;
}

void mc__issuer_rollback(mc_store *s)
{
	mc_err e = {0};
	/* the failure being reported is the first one; a failed rollback
	 * leaves the store as the database left it (both roll back on close) */
	mc_status st = mc_store_rollback(s, &e);
	MC__UNUSED(st);
}

/* Commit when st is MC_OK, roll back otherwise; returns the first failure. */
static mc_status finish_tx(mc_store *s, mc_status st, mc_err *err)
{
	if (st == MC_OK)
		st = mc_store_commit(s, err);
	if (st != MC_OK)
		mc__issuer_rollback(s);
	return st;
}

static int suite_known(const char *s)
{
	return strcmp(s, MC_SUITE_EDDSA_RDFC) == 0 || strcmp(s, MC_SUITE_EDDSA_JCS) == 0 ||
	       strcmp(s, MC_SUITE_ECDSA_RDFC) == 0;
}

/* ---- templates ----------------------------------------------------------- */

mc_status mc__issuer_template(mc_store *s, const char *id, int64_t want, int64_t *version, char **json, mc_err *err)
{
	mc_store_template *v = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_template_versions(s, id, &v, &n, &e);
	if (st == MC_OK && n == 0)
		st = mc__fail(err, MC_ERR_MISSING, "template", "unknown template '%.200s'", id);
	else if (st != MC_OK)
		return mc__fail(err, st, e.path, "%s", e.msg);
	size_t best = n;
	for (size_t i = 0; st == MC_OK && i < n; i++)
		if (v[i].state == MC_TEMPLATE_PUBLISHED && (want == 0 || v[i].version == want))
			best = i;
	if (st == MC_OK && best == n) {
		if (want)
			st = mc__fail(err, MC_ERR_VALUE, "template_version",
			              "template '%.200s' version %lld is not published", id, (long long)want);
		else
			st = mc__fail(err, MC_ERR_VALUE, "template",
			              "template '%.200s' has no published version (mcred template publish)", id);
	}
	if (st == MC_OK) {
		*version = v[best].version;
		*json = strdup(v[best].json);
		if (!*json)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	mc_store_template_list_free(v, n);
	return st;
}

/* ---- opening ------------------------------------------------------------- */

/* The issuer's document for mc_credential_build: the profile column, else
 * (a store written before schema 3 and not migrated by this library) the
 * "mcred:profile" member of identifiers, else rebuilt from the columns. */
static mc_status issuer_profile(const mc_store_issuer *is, char **out)
{
	if (is->profile) {
		*out = strdup(is->profile);
		return *out ? MC_OK : MC_ERR_NOMEM;
	}
	cJSON *ids = is->identifiers ? mc__json_parse(is->identifiers, strlen(is->identifiers), NULL) : NULL;
	const cJSON *p = mc__json_get(ids, "mcred:profile");
	cJSON *built = NULL;
	if (!cJSON_IsObject(p)) {
		built = cJSON_CreateObject();
		if (built && (!cJSON_AddStringToObject(built, "id", is->id) ||
		              !cJSON_AddStringToObject(built, "name", is->legal_name) ||
		              !cJSON_AddStringToObject(built, "country", is->country) ||
		              (is->url && !cJSON_AddStringToObject(built, "url", is->url)))) {
			cJSON_Delete(built);
			built = NULL;
		}
		p = built;
	}
	*out = p ? mc__json_print(p, 0) : NULL;
	cJSON_Delete(built);
	cJSON_Delete(ids);
	return *out ? MC_OK : MC_ERR_NOMEM;
}

static mc_status find_issuer(mc_store *s, const char *id, mc_store_issuer *is, mc_err *err)
{
	if (id)
		return mc_store_issuer_get(s, id, is, err);
	mc_store_issuer *all = NULL;
	size_t n = 0;
	mc_status st = mc_store_issuer_list(s, &all, &n, err);
	if (st == MC_OK && n == 0)
		st = mc__fail(err, MC_ERR_MISSING, "issuer", "the store holds no issuer (mcred issuer add)");
	else if (st == MC_OK && n > 1)
		st = mc__fail(err, MC_ERR_ARG, "issuer", "the store holds %zu issuers: name one (--issuer ID)", n);
	if (st == MC_OK) {
		*is = all[0];
		memset(&all[0], 0, sizeof all[0]);
	}
	mc_store_issuer_list_free(all, n);
	return st;
}

static mc_status lists_catch_up(mc_issuer *is, mc_err *err);

mc_status mc_issuer_open(mc_store *s, const mc_issuer_opts *o, mc_issuer **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!s || !o)
		return mc__fail(err, MC_ERR_ARG, s ? "opts" : "store", "%s is NULL", s ? "opts" : "store");
	if (o->suite && !suite_known(o->suite))
		return mc__fail(err, MC_ERR_UNSUPPORTED, "suite", "suite must be " MC_SUITE_EDDSA_RDFC ", " MC_SUITE_EDDSA_JCS
		                                                 " or " MC_SUITE_ECDSA_RDFC);
	if (o->actor && (!*o->actor || strlen(o->actor) > MC_STORE_TEXT_MAX))
		return mc__fail(err, MC_ERR_ARG, "actor", "actor must be 1 to %u bytes", MC_STORE_TEXT_MAX);
	if (!o->passphrase && o->passphrase_len)
		return mc__fail(err, MC_ERR_ARG, "passphrase", "passphrase is NULL");
	mc_issuer *is = calloc(1, sizeof *is);
	if (!is)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	is->s = s;
	is->list_k = 1;
	mc_store_issuer row = {0};
	mc_store_key k = {0};
	mc_status st = find_issuer(s, o->issuer_id, &row, err);
	if (st == MC_OK) {
		is->issuer_id = strdup(row.id);
		is->actor = strdup(o->actor ? o->actor : "cli");
		st = issuer_profile(&row, &is->profile);
		if (st == MC_OK && (!is->issuer_id || !is->actor))
			st = MC_ERR_NOMEM;
		if (st != MC_OK)
			mc__fail(err, st, NULL, "out of memory");
	}
	if (st == MC_OK) {
		const char *base = row.url ? row.url : row.id;
		size_t bl = strlen(base);
		while (bl && base[bl - 1] == '/')
			bl--;
		if (bl > MC_ISSUER_LIST_BASE_MAX)
			st = mc__fail(err, MC_ERR_VALUE, "issuer.url", "the issuer's url is longer than %d bytes",
			              MC_ISSUER_LIST_BASE_MAX);
		else
			snprintf(is->list_base, sizeof is->list_base, "%.*s/status/revocation/", (int)bl, base);
	}
	if (st == MC_OK)
		st = mc_store_key_active(s, is->issuer_id, &k, err);
	if (st == MC_OK && !k.key_file)
		st = mc__fail(err, MC_ERR_KEY, "key", "the active key of %.200s has no private part", is->issuer_id);
	if (st == MC_OK) {
		st = mc_keyfile_open_key(k.key_file, strlen(k.key_file), o->passphrase ? o->passphrase : "",
		                         o->passphrase_len, &is->key, err);
		is->have_key = st == MC_OK;
	}
	if (st == MC_OK && !(is->key_id = strdup(k.key_id)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK) {
		is->suite = o->suite ? o->suite : is->key.alg == MC_KEY_P256 ? MC_SUITE_ECDSA_RDFC : MC_SUITE_EDDSA_RDFC;
		/* the suite must fit the key: a wrong pair would fail at each signature */
		int p256 = strcmp(is->suite, MC_SUITE_ECDSA_RDFC) == 0;
		if (p256 != (is->key.alg == MC_KEY_P256))
			st = mc__fail(err, MC_ERR_KEY, "suite", "suite %s does not fit the issuer's %s key", is->suite,
			              is->key.alg == MC_KEY_P256 ? "P-256" : "Ed25519");
	}
	mc_store_issuer_clear(&row);
	mc_store_key_clear(&k);
	if (st == MC_OK)
		st = lists_catch_up(is, err);
	if (st != MC_OK) {
		mc_issuer_close(is);
		return st;
	}
	*out = is;
	return MC_OK;
}

void mc_issuer_close(mc_issuer *is)
{
	if (!is)
		return;
	if (is->have_key)
		mc_key_wipe(&is->key);
	free(is->issuer_id);
	free(is->profile);
	free(is->key_id);
	free(is->actor);
	sodium_memzero(is, sizeof *is);
	free(is);
}

mc_status mc_issuer_set_actor(mc_issuer *is, const char *actor, mc_err *err)
{
	if (!is || !actor)
		return mc__fail(err, MC_ERR_ARG, is ? "actor" : "issuer", "a required argument is NULL");
	if (!*actor || strlen(actor) > MC_STORE_TEXT_MAX)
		return mc__fail(err, MC_ERR_ARG, "actor", "actor must be 1 to %u bytes", MC_STORE_TEXT_MAX);
	char *dup = strdup(actor);
	if (!dup)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	free(is->actor);
	is->actor = dup;
	return MC_OK;
}

const char *mc_issuer_id(const mc_issuer *is)
{
	return is ? is->issuer_id : NULL;
}

/* ---- status lists ------------------------------------------------------- */

/* Sign the list's current bits as a BitstringStatusListCredential and store
 * it with its ETag (inside the caller's transaction). */
mc_status mc__issuer_publish_list(mc_issuer *is, const char *list_id, mc_err *err)
{
	mc_store_status_list l = {0};
	mc_statuslist *bits = NULL;
	char *unsigned_json = NULL, *signed_json = NULL;
	size_t slen = 0;
	mc_doc *doc = NULL;
	mc_status st = mc_store_status_list_get(is->s, list_id, &l, err);
	if (st == MC_OK)
		st = mc_statuslist_from_bytes(l.bits, (size_t)l.size / 8, &bits, err);
	if (st == MC_OK) {
		mc_statuslist_cred_opts co = {.id = list_id, .issuer = is->issuer_id, .purpose = l.purpose};
		st = mc_statuslist_credential(bits, &co, &unsigned_json, err);
	}
	if (st == MC_OK)
		st = mc_doc_parse(unsigned_json, strlen(unsigned_json), &doc, err);
	if (st == MC_OK) {
		mc_proof_opts po = {.cryptosuite = is->suite, .verification_method = is->key_id};
		st = mc_doc_sign_key(doc, &is->key, &po, err);
	}
	if (st == MC_OK && (st = mc_doc_serialize(doc, MC_DOC_COMPACT, &signed_json, &slen)) != MC_OK)
		mc__fail(err, st, NULL, "status list credential: cannot serialise");
	if (st == MC_OK) {
		/* a strong validator: the first 128 bits of the SHA-256 of the
		 * exact bytes served, quoted as the ETag header wants */
		uint8_t h[crypto_hash_sha256_BYTES];
		char hex[2 * 16 + 1], etag[2 * 16 + 3];
		crypto_hash_sha256(h, (const unsigned char *)signed_json, slen);
		sodium_bin2hex(hex, sizeof hex, h, 16);
		snprintf(etag, sizeof etag, "\"%s\"", hex);
		st = mc_store_status_list_publish(is->s, list_id, signed_json, etag, err);
	}
	mc_free(signed_json);
	mc_doc_free(doc);
	mc_free(unsigned_json);
	mc_statuslist_free(bits);
	mc_store_status_list_clear(&l);
	return st;
}

/* Each revocation list ".../status/revocation/<k>" has a paired suspension
 * list ".../status/suspension/<k>" of the same size whose allocation
 * mirrors it: a credential carries one index and two status entries, so
 * verifiers see a suspension as well as a revocation. 0 when list_id is
 * not a revocation list of this shape (a store written before the pairing:
 * its credentials carry a revocation entry only). */
int mc__issuer_suspension_id(const char *list_id, char out[MC_STORE_ID_MAX])
{
	static const char rev[] = "/status/revocation/", sus[] = "/status/suspension/";
	const char *at = list_id ? strstr(list_id, rev) : NULL;
	if (!at || strstr(at + 1, rev))
		return 0;
	int n = snprintf(out, MC_STORE_ID_MAX, "%.*s%s%s", (int)(at - list_id), list_id, sus, at + sizeof rev - 1);
	return n > 0 && n < MC_STORE_ID_MAX;
}

/* Create the list (purpose, minimum size) and publish its first signed
 * credential. */
static mc_status list_create(mc_issuer *is, const char *id, mc_status_purpose purpose, mc_err *err)
{
	mc_status st = mc_store_status_list_create(is->s, id, purpose, MC_STATUS_LIST_MIN_BITS, err);
	return st == MC_OK ? mc__issuer_publish_list(is, id, err) : st;
}

/* Take n random indexes of the current revocation list and the same ones
 * of its suspension twin (both created on first use). */
static mc_status alloc_pair(mc_issuer *is, const char *list_id, size_t n, int64_t *idx, mc_err *err)
{
	char sus[MC_STORE_ID_MAX];
	if (!mc__issuer_suspension_id(list_id, sus))
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "status list id has no suspension twin");
	mc_status st = mc_store_status_alloc(is->s, list_id, n, idx, err);
	if (st == MC_ERR_MISSING) {
		mc_err e = {0};
		st = list_create(is, list_id, MC_PURPOSE_REVOCATION, &e);
		if (st == MC_OK)
			st = list_create(is, sus, MC_PURPOSE_SUSPENSION, &e);
		if (st == MC_OK)
			st = mc_store_status_alloc(is->s, list_id, n, idx, &e);
		if (st != MC_OK)
			*err = e;
	}
	return st == MC_OK ? mc_store_status_reserve(is->s, sus, n, idx, err) : st;
}

/* Stores written before migration 3 kept status lists without their
 * signed credential and without suspension twins: a verifier asking for
 * the list got nothing (status unknown, even for a revoked credential) and
 * the first allocation failed on the missing twin. Opening the issuer
 * publishes every list of its own that lacks a credential and creates the
 * missing twins, once, in one transaction. On a current store this is one
 * read per list. */
static mc_status lists_catch_up(mc_issuer *is, mc_err *err)
{
	bool in_tx = false;
	mc_status st = MC_OK;
	for (unsigned k = 1; st == MC_OK && k < 100000; k++) {
		char rev[MC_STORE_ID_MAX], sus[MC_STORE_ID_MAX];
		if (snprintf(rev, sizeof rev, "%s%u", is->list_base, k) >= (int)sizeof rev || !mc__issuer_suspension_id(rev, sus))
			return mc__fail(err, MC_ERR_INTERNAL, NULL, "status list id has no suspension twin");
		const char *ids[2] = {rev, sus};
		int need[2] = {0, 0}; /* 1: publish, 2: create the twin */
		for (int i = 0; i < 2 && st == MC_OK; i++) {
			char *j = NULL;
			mc_err e = {0};
			st = mc_store_status_list_published(is->s, ids[i], &j, NULL, &e);
			mc_free(j);
			if (st == MC_ERR_MISSING) {
				mc_store_status_list l = {0};
				st = mc_store_status_list_get(is->s, ids[i], &l, &e);
				mc_store_status_list_clear(&l);
				need[i] = st == MC_OK ? 1 : 2;
				if (st == MC_ERR_MISSING && i == 0)
					return in_tx ? mc_store_commit(is->s, err) : MC_OK; /* past the last list */
				if (st == MC_ERR_MISSING)
					st = MC_OK;
			}
			if (st != MC_OK)
				mc__fail(err, st, e.path, "%s", e.msg);
		}
		if (st != MC_OK || (!need[0] && !need[1]))
			continue;
		if (!in_tx && (st = mc_store_begin(is->s, err)) == MC_OK)
			in_tx = true;
		for (int i = 0; i < 2 && st == MC_OK; i++) {
			if (need[i] == 2)
				st = list_create(is, sus, MC_PURPOSE_SUSPENSION, err);
			else if (need[i] == 1)
				st = mc__issuer_publish_list(is, ids[i], err);
			if (st == MC_OK && need[i]) {
				const char *kv[] = {"key", is->key_id, "why", "published on upgrade"};
				char *det = mc__json_pairs(kv, 4);
				st = det ? mc__issuer_audit(is, "status-list.publish", ids[i], det, err)
				         : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
				free(det);
			}
		}
	}
	if (in_tx && st != MC_OK)
		mc__issuer_rollback(is->s);
	else if (in_tx)
		st = mc_store_commit(is->s, err);
	return st;
}

mc_status mc__issuer_alloc(mc_issuer *is, size_t n, int64_t *idx, char *list_id, size_t cap, mc_err *err)
{
	/* one list per try: at most this many full lists are stepped over */
	for (int tries = 0; tries < 100000; tries++) {
		if (snprintf(list_id, cap, "%s%u", is->list_base, is->list_k) >= (int)cap)
			return mc__fail(err, MC_ERR_INTERNAL, NULL, "status list id does not fit");
		mc_err e = {0};
		mc_status st = alloc_pair(is, list_id, n, idx, &e);
		if (st == MC_ERR_TOO_LARGE && n <= MC_STATUS_LIST_MIN_BITS) {
			is->list_k++;
			continue;
		}
		if (st != MC_OK)
			return mc__fail(err, st, e.path, "%s", e.msg);
		return MC_OK;
	}
	return mc__fail(err, MC_ERR_INTERNAL, NULL, "no status list with room found");
}

mc_status mc__issuer_sign_tree(const char *suite, const char *key_id, const mc_key *key, cJSON *cred,
                               const char *list_id, int64_t index, char **out, size_t *out_len, mc_err *err)
{
	char sus[MC_STORE_ID_MAX];
	cJSON *entries = NULL, *e = NULL;
	mc_status st = MC_OK;
	if (!cJSON_IsObject(cred))
		st = mc__fail(err, MC_ERR_INTERNAL, NULL, "built credential is not an object");
	else if (!mc__issuer_suspension_id(list_id, sus))
		st = mc__fail(err, MC_ERR_INTERNAL, NULL, "status list id has no suspension twin");
	else if (!(entries = cJSON_AddArrayToObject(cred, "credentialStatus")))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	/* revocation then suspension, at the same index of paired lists */
	if (st == MC_OK && (st = mc__status_entry_tree(list_id, MC_PURPOSE_REVOCATION, (uint64_t)index, &e, err)) == MC_OK)
		cJSON_AddItemToArray(entries, e);
	if (st == MC_OK && (st = mc__status_entry_tree(sus, MC_PURPOSE_SUSPENSION, (uint64_t)index, &e, err)) == MC_OK)
		cJSON_AddItemToArray(entries, e);
	mc_doc *doc = NULL;
	if (st != MC_OK)
		cJSON_Delete(cred);
	else if (!(doc = mc__doc_wrap(cred)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK) {
		mc_proof_opts po = {.cryptosuite = suite, .verification_method = key_id};
		st = mc_doc_sign_key(doc, key, &po, err);
	}
	if (st == MC_OK && (st = mc_doc_serialize(doc, MC_DOC_COMPACT, out, out_len)) != MC_OK)
		mc__fail(err, st, NULL, "cannot serialise the credential");
	mc_doc_free(doc);
	return st;
}

mc_status mc_issuer_status_list_credential(mc_store *s, const char *list_id, char **json, char **etag, mc_err *err)
{
	return mc_store_status_list_published(s, list_id, json, etag, err);
}

mc_status mc_issuer_publish_status_list(mc_issuer *is, const char *list_id, mc_err *err)
{
	if (!is || !list_id)
		return mc__fail(err, MC_ERR_ARG, is ? "list_id" : "issuer", "%s is NULL", is ? "list_id" : "issuer");
	mc_status st = mc_store_begin(is->s, err);
	if (st != MC_OK)
		return st;
	st = mc__issuer_publish_list(is, list_id, err);
	if (st == MC_OK) {
		const char *kv[] = {"key", is->key_id};
		char *det = mc__json_pairs(kv, 2);
		st = det ? mc__issuer_audit(is, "status-list.publish", list_id, det, err)
		         : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		free(det);
	}
	return finish_tx(is->s, st, err);
}

/* ---- learner input ------------------------------------------------------- */

struct membuf {
	const char *p;
	size_t n, off;
};

static mc_status mem_read(void *ctx, char *buf, size_t cap, size_t *got)
{
	struct membuf *m = ctx;
	size_t k = m->n - m->off < cap ? m->n - m->off : cap;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	*got = k;
	return MC_OK;
}

mc_status mc__issuer_learner(const char *learner_json, const char *template_id, mc__learner *out, mc_err *err)
{
	memset(out, 0, sizeof *out);
	size_t len = strnlen(learner_json, (size_t)MC_BULK_MAX_RECORD + 1);
	if (len > MC_BULK_MAX_RECORD)
		return mc__fail(err, MC_ERR_TOO_LARGE, "learner", "the learner document is larger than %u bytes",
		                MC_BULK_MAX_RECORD);
	/* one compact line through the JSON Lines reader: a single issue and a
	 * bulk row get the same checks, normalisation and idempotency key */
	cJSON *doc = NULL;
	mc_err pe = {0};
	mc_status st = mc__json_load(learner_json, len, &doc, &pe);
	if (st != MC_OK)
		return mc__fail(err, st, "learner", "learner: %s%s%s", pe.msg, pe.path[0] ? " at " : "", pe.path);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return mc__fail(err, MC_ERR_TYPE, "learner", "the learner document must be a JSON object");
	}
	char *line = mc__json_print(doc, 0);
	cJSON_Delete(doc);
	if (!line)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	struct membuf m = {line, strlen(line), 0};
	mc_bulk_opts o = {.format = MC_BULK_JSONL, .default_template = template_id};
	mc_bulk_reader *r = NULL;
	mc_bulk_row row;
	mc_err e = {0};
	st = mc_bulk_open(mem_read, &m, &o, &r, &e);
	if (st == MC_OK)
		st = mc_bulk_next(r, &row, &e);
	if (st == MC_OK && row.kind != MC_BULK_ROW)
		st = mc__fail(&e, MC_ERR_MISSING, "", "the learner document is empty");
	if (st != MC_OK) {
		/* "line 1: email" -> "learner.email" */
		const char *f = strstr(e.path, ": ");
		f = f ? f + 2 : "";
		mc__fail(err, st, NULL, "learner%s%s: %s", *f ? "." : "", f, e.msg);
		if (err)
			snprintf(err->path, sizeof err->path, "learner%s%.200s", *f ? "." : "", f);
	} else {
		out->learner = strdup(row.learner);
		out->ref = strdup(row.learner_ref ? row.learner_ref : "");
		out->ext = strdup(row.external_id ? row.external_id : "");
		out->len = row.learner_len;
		if (!out->learner || !out->ref || !out->ext) {
			mc__learner_clear(out);
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
	}
	mc_bulk_close(r);
	free(line);
	return st;
}

void mc__learner_clear(mc__learner *l)
{
	free(l->learner);
	free(l->ref);
	free(l->ext);
	memset(l, 0, sizeof *l);
}

/* ---- issue ---------------------------------------------------------------- */

void mc_issue_result_clear(mc_issue_result *r)
{
	if (!r)
		return;
	free(r->credential_id);
	free(r->credential_json);
	memset(r, 0, sizeof *r);
}

static mc_status result_set(mc_issue_result *out, const char *id, const char *json, int existed)
{
	out->credential_id = strdup(id);
	out->credential_json = json ? strdup(json) : NULL;
	out->existed = existed;
	if (!out->credential_id || (json && !out->credential_json)) {
		mc_issue_result_clear(out);
		return MC_ERR_NOMEM;
	}
	return MC_OK;
}

/* Add extra's members to the built credential's credentialSubject (a
 * stacked credential's parts, a recognition decision). A member the
 * builder wrote already is an error: extra adds, never overrides an EU
 * element. */
static mc_status add_subject(cJSON *cred, const char *extra, mc_err *err)
{
	cJSON *ex = NULL;
	mc_status st = mc__json_load(extra, strlen(extra), &ex, err);
	cJSON *subj = cJSON_GetObjectItemCaseSensitive(cred, "credentialSubject");
	if (st == MC_OK && (!cJSON_IsObject(subj) || !cJSON_IsObject(ex)))
		st = mc__fail(err, MC_ERR_INTERNAL, "subject_extra", "subject or extra members are not objects");
	while (st == MC_OK && ex->child) {
		cJSON *m = ex->child;
		if (cJSON_GetObjectItemCaseSensitive(subj, m->string))
			st = mc__fail(err, MC_ERR_VALUE, "subject_extra", "the subject has %.100s already", m->string);
		else if (!cJSON_AddItemToObject(subj, m->string, cJSON_DetachItemViaPointer(ex, m))) {
			cJSON_Delete(m);
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
	}
	cJSON_Delete(ex);
	return st;
}

/* Build, allocate, sign and insert one credential and its audit entry, in
 * the caller's transaction. subject_extra (NULL: none) is a JSON object
 * whose members join credentialSubject before signing. */
mc_status mc__issuer_issue_one(mc_issuer *is, const char *tid, int64_t tver, const char *tjson, const char *learner,
                               size_t llen, const char *ref, const char *ext, const char *batch, const char *replaces,
                               int64_t issued_at, const char *subject_extra, char id[48], char **signed_json,
                               mc_err *err)
{
	mc__uuid7_urn(id);
	char vf[32];
	if (issued_at)
		mc__time_format(issued_at, vf);
	mc_build_opts bo = {.issuer_id = is->issuer_id, .credential_id = id, .valid_from = issued_at ? vf : NULL};
	char list_id[MC_STORE_ID_MAX + 1];
	int64_t index = -1;
	size_t slen = 0;
	cJSON *cred = NULL;
	mc_status st = mc__build_tree_texts(tjson, strlen(tjson), is->profile, strlen(is->profile), learner, llen, &bo,
	                                    &cred, err);
	if (st == MC_ERR_INVALID)
		st = MC_ERR_VALUE; /* a learner that does not build is a bad value */
	if (st == MC_OK && subject_extra)
		st = add_subject(cred, subject_extra, err);
	if (st == MC_OK)
		st = mc__issuer_alloc(is, 1, &index, list_id, sizeof list_id, err);
	if (st == MC_OK) {
		st = mc__issuer_sign_tree(is->suite, is->key_id, &is->key, cred, list_id, index, signed_json, &slen, err);
		cred = NULL; /* consumed */
	}
	if (st == MC_OK) {
		mc_store_credential cr = {.id = id, .template_id = (char *)tid, .template_version = tver,
		                          .learner_id = (char *)ref, .external_id = (char *)ext, .batch_id = (char *)batch,
		                          .status_list_id = list_id, .status_index = index, .learner = (char *)learner,
		                          .json = *signed_json, .issued_at = issued_at, .replaces = (char *)replaces};
		st = mc__store_credential_add_signed(is->s, &cr, 1, 0, NULL, err);
	}
	cJSON_Delete(cred);
	return st;
}

mc_status mc_issuer_issue(mc_issuer *is, const mc_issue_req *req, mc_issue_result *out, mc_err *err)
{
	return mc__issuer_issue_ext(is, req, NULL, "credential.issue", NULL, 0, out, err);
}

mc_status mc__issuer_issue_ext(mc_issuer *is, const mc_issue_req *req, const char *subject_extra, const char *action,
                               const char *const *kv, size_t nkv, mc_issue_result *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!is || !req || !req->template_id || !req->learner_json)
		return mc__fail(err, MC_ERR_ARG, !is ? "issuer" : !req ? "req" : !req->template_id ? "template_id" : "learner",
		                "a required argument is NULL");
	if (req->template_version < 0 || req->issued_at < 0)
		return mc__fail(err, MC_ERR_ARG, req->issued_at < 0 ? "issued_at" : "template_version", "negative value");
	mc__learner l;
	mc_status st = mc__issuer_learner(req->learner_json, req->template_id, &l, err);
	if (st != MC_OK)
		return st;
	const char *ext = req->external_id && *req->external_id ? req->external_id : l.ext;
	int64_t tver = 0;
	char *tjson = NULL, *signed_json = NULL;
	mc_store_credential ex = {0};
	st = mc__issuer_template(is->s, req->template_id, req->template_version, &tver, &tjson, err);
	if (st == MC_OK) {
		mc_err fe = {0};
		mc_status fs = mc_store_credential_find(is->s, req->template_id, l.ref, ext, &ex, &fe);
		if (fs == MC_OK) {
			/* issued before: the idempotent answer, nothing written */
			st = result_set(out, ex.id, ex.json, 1);
			if (st != MC_OK)
				mc__fail(err, st, NULL, "out of memory");
			goto done;
		}
		if (fs != MC_ERR_MISSING)
			st = mc__fail(err, fs, fe.path, "%s", fe.msg);
	}
	char id[48];
	if (st == MC_OK)
		st = mc_store_begin(is->s, err);
	if (st == MC_OK) {
		st = mc__issuer_issue_one(is, req->template_id, tver, tjson, l.learner, l.len, l.ref, ext, req->batch_id,
		                          NULL, req->issued_at, subject_extra, id, &signed_json, err);
		if (st == MC_OK) {
			/* the template and key, then the caller's pairs (at most 4) */
			const char *pairs[12] = {"template", req->template_id, "key", is->key_id};
			size_t np = 4;
			for (size_t i = 0; i + 1 < nkv && np + 2 <= sizeof pairs / sizeof *pairs; i += 2) {
				pairs[np++] = kv[i];
				pairs[np++] = kv[i + 1];
			}
			char *det = mc__json_pairs(pairs, np);
			st = det ? mc__issuer_audit(is, action, id, det, err)
			         : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			free(det);
		}
		st = finish_tx(is->s, st, err);
	}
	if (st == MC_OK && (st = result_set(out, id, signed_json, 0)) != MC_OK)
		mc__fail(err, st, NULL, "out of memory");
done:
	mc_store_credential_clear(&ex);
	mc_free(signed_json);
	free(tjson);
	mc__learner_clear(&l);
	return st;
}

/* ---- status changes ------------------------------------------------------- */

static const char *state_name(mc_cred_state s)
{
	return s == MC_CRED_REVOKED ? "revoked" : s == MC_CRED_SUSPENDED ? "suspended" : "active";
}

/* Change the state in the caller's transaction: the store row, the
 * revocation bit, the re-signed list credential and the audit entry. */
static mc_status set_status_in(mc_issuer *is, const mc_store_credential *cr, mc_cred_state to, const char *reason,
                               const char *action, mc_err *err)
{
	if (cr->state == to)
		return mc__fail(err, MC_ERR_VALUE, "state", "conflict: %s is already %s", cr->id, state_name(to));
	if (cr->state == MC_CRED_REVOKED)
		return mc__fail(err, MC_ERR_VALUE, "state", "conflict: %s is revoked, and revocation is final", cr->id);
	if (to == MC_CRED_ACTIVE && cr->state != MC_CRED_SUSPENDED)
		return mc__fail(err, MC_ERR_VALUE, "state", "conflict: only a suspended credential can be reinstated");
	/* Revoking sets the revocation bit; suspending sets, and reinstating
	 * clears, the bit of the paired suspension list; the changed list is
	 * re-signed. A revoked suspended credential keeps its suspension bit:
	 * both statuses are true. */
	char sus[MC_STORE_ID_MAX], quoted[MC_STORE_ID_MAX + 2];
	const char *list = NULL;
	if (to == MC_CRED_REVOKED)
		list = cr->status_list_id;
	else if (cr->status_list_id && mc__issuer_suspension_id(cr->status_list_id, sus) &&
	         snprintf(quoted, sizeof quoted, "\"%s\"", sus) < (int)sizeof quoted && cr->json &&
	         strstr(cr->json, quoted))
		list = sus; /* quoted: ".../suspension/1" must not match ".../suspension/10" */
	/* Credentials from before the pairing (schema 2 stores) carry no
	 * suspension entry: a suspension would live in the store only, and
	 * every verifier would still see the credential valid. Refused;
	 * reinstating one suspended back then stays possible. */
	if (to == MC_CRED_SUSPENDED && !list)
		return mc__fail(err, MC_ERR_UNSUPPORTED, "state",
		                "%s carries no suspension entry (issued before suspension lists), so verifiers could not "
		                "see a suspension: revoke it, or reissue it and suspend the new credential",
		                cr->id);
	mc_status st = mc_store_credential_set_state(is->s, cr->id, to, reason, err);
	if (st == MC_OK && list) {
		st = mc_store_status_list_set(is->s, list, cr->status_index, to != MC_CRED_ACTIVE, err);
		if (st == MC_OK)
			st = mc__issuer_publish_list(is, list, err);
	}
	if (st == MC_OK) {
		const char *kv[] = {"reason", reason, "list", cr->status_list_id};
		char *det = mc__json_pairs(kv, 4);
		st = det ? mc__issuer_audit(is, action, cr->id, det, err) : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		free(det);
	}
	return st;
}

static mc_status check_reason(const char *reason, mc_err *err)
{
	if (reason && strlen(reason) > MC_STORE_TEXT_MAX)
		return mc__fail(err, MC_ERR_VALUE, "reason", "the reason is longer than %u bytes", MC_STORE_TEXT_MAX);
	return MC_OK;
}

mc_status mc_issuer_set_status(mc_issuer *is, const char *credential_id, mc_cred_state to, const char *reason,
                               mc_err *err)
{
	if (!is || !credential_id)
		return mc__fail(err, MC_ERR_ARG, is ? "credential_id" : "issuer", "a required argument is NULL");
	if (to != MC_CRED_ACTIVE && to != MC_CRED_SUSPENDED && to != MC_CRED_REVOKED)
		return mc__fail(err, MC_ERR_ARG, "to", "unknown credential state %d", (int)to);
	mc_status st = check_reason(reason, err);
	if (st != MC_OK)
		return st;
	static const char *const actions[] = {"credential.reinstate", "credential.suspend", "credential.revoke"};
	mc_store_credential cr = {0};
	st = mc_store_begin(is->s, err);
	if (st != MC_OK)
		return st;
	st = mc_store_credential_get(is->s, credential_id, &cr, err);
	if (st == MC_OK)
		st = set_status_in(is, &cr, to, reason, actions[to], err);
	st = finish_tx(is->s, st, err);
	mc_store_credential_clear(&cr);
	return st;
}

/* ---- reissue -------------------------------------------------------------- */

/* The issuer id of a stored credential (issuer or issuer.id); malloc'd. */
static char *credential_issuer(const char *json)
{
	cJSON *doc = mc__json_parse(json, strlen(json), NULL);
	const cJSON *iss = mc__json_get(doc, "issuer");
	if (cJSON_IsObject(iss))
		iss = mc__json_get(iss, "id");
	char *out = cJSON_IsString(iss) ? strdup(iss->valuestring) : NULL;
	cJSON_Delete(doc);
	return out;
}

/* The credentialSubject members an issuance added beyond the template and
 * the learner (a stacked credential's hasPart, a recognition decision), as
 * a JSON object text for mc__issuer_issue_one, so a reissue keeps them;
 * *out stays NULL when there are none. */
static mc_status subject_extra_of(const char *json, char **out, mc_err *err)
{
	static const char *const keys[] = {"hasPart", "recognition"};
	*out = NULL;
	cJSON *doc = mc__json_parse(json, strlen(json), NULL);
	const cJSON *subj = mc__json_get(doc, "credentialSubject");
	cJSON *ex = NULL;
	mc_status st = MC_OK;
	for (size_t i = 0; i < sizeof keys / sizeof *keys && st == MC_OK; i++) {
		const cJSON *v = mc__json_get(subj, keys[i]);
		if (!v)
			continue;
		cJSON *dup = cJSON_Duplicate(v, 1);
		if (!ex)
			ex = cJSON_CreateObject();
		if (!dup || !ex || !cJSON_AddItemToObject(ex, keys[i], dup)) {
			cJSON_Delete(dup);
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
	}
	if (st == MC_OK && ex && !(*out = mc__json_print(ex, 0)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	cJSON_Delete(ex);
	cJSON_Delete(doc);
	return st;
}

mc_status mc_issuer_reissue(mc_issuer *is, const char *credential_id, const char *corrected_learner_json,
                            mc_issue_result *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!is || !credential_id)
		return mc__fail(err, MC_ERR_ARG, is ? "credential_id" : "issuer", "a required argument is NULL");
	mc_store_credential old = {0};
	mc__learner l = {0};
	char *tjson = NULL, *signed_json = NULL, *ext = NULL, *batch = NULL, *who = NULL;
	int64_t tver = 0;
	mc_status st = mc_store_credential_get(is->s, credential_id, &old, err);
	if (st == MC_OK && !old.json)
		st = mc__fail(err, MC_ERR_VALUE, "credential_id", "%s was erased: there is nothing to reissue",
		              credential_id);
	if (st == MC_OK && old.state == MC_CRED_REVOKED)
		st = mc__fail(err, MC_ERR_VALUE, "credential_id", "%s is revoked: revoked credentials are not reissued",
		              credential_id);
	if (st == MC_OK && (!(who = credential_issuer(old.json)) || strcmp(who, is->issuer_id) != 0))
		st = mc__fail(err, MC_ERR_VALUE, "issuer", "%s was issued by %.200s, not by %.200s", credential_id,
		              who ? who : "(none)", is->issuer_id);
	/* the same template version, even if a later one is published now */
	mc_store_template t = {0};
	if (st == MC_OK)
		st = mc_store_template_get(is->s, old.template_id, old.template_version, &t, err);
	if (st == MC_OK) {
		tver = t.version;
		tjson = t.json;
		t.json = NULL;
	}
	mc_store_template_clear(&t);
	if (st == MC_OK && corrected_learner_json)
		st = mc__issuer_learner(corrected_learner_json, old.template_id, &l, err);
	const char *learner = l.learner ? l.learner : old.learner ? old.learner : "{}";
	size_t llen = l.learner ? l.len : strlen(learner);
	char nid[48];
	if (st == MC_OK) {
		/* the idempotency triple must differ from the original's */
		size_t el = strlen(old.external_id) + 64, bl = strlen(credential_id) + 16;
		ext = malloc(el);
		batch = malloc(bl);
		if (!ext || !batch)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		else
			snprintf(batch, bl, "reissue:%s", credential_id);
	}
	if (st == MC_OK)
		st = mc_store_begin(is->s, err);
	if (st == MC_OK) {
		uint8_t r[8];
		char hex[17];
		randombytes_buf(r, sizeof r);
		sodium_bin2hex(hex, sizeof hex, r, sizeof r);
		snprintf(ext, strlen(old.external_id) + 64, "%s#reissue:%s", old.external_id, hex);
		char *extra = NULL;
		st = subject_extra_of(old.json, &extra, err);
		if (st == MC_OK)
			st = mc__issuer_issue_one(is, old.template_id, tver, tjson, learner, llen, old.learner_id, ext, batch,
			                          credential_id, 0, extra, nid, &signed_json, err);
		mc_free(extra);
		if (st == MC_OK) {
			char reason[96];
			snprintf(reason, sizeof reason, "superseded by %s", nid);
			st = set_status_in(is, &old, MC_CRED_REVOKED, reason, "credential.revoke", err);
		}
		if (st == MC_OK) {
			const char *kv[] = {"original", credential_id, "key", is->key_id, "corrected",
			                    corrected_learner_json ? "learner" : NULL};
			char *det = mc__json_pairs(kv, 6);
			st = det ? mc__issuer_audit(is, "credential.reissue", nid, det, err)
			         : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			free(det);
		}
		st = finish_tx(is->s, st, err);
	}
	if (st == MC_OK && (st = result_set(out, nid, signed_json, 0)) != MC_OK)
		mc__fail(err, st, NULL, "out of memory");
	mc_free(signed_json);
	free(tjson);
	free(ext);
	free(batch);
	free(who);
	mc__learner_clear(&l);
	mc_store_credential_clear(&old);
	return st;
}

/* ---- sharing and search ----------------------------------------------------- */

mc_status mc_issuer_share(mc_issuer *is, const char *credential_id, char **share_id, mc_err *err)
{
	if (!share_id)
		return mc__fail(err, MC_ERR_ARG, "share_id", "share_id is NULL");
	*share_id = NULL;
	if (!is || !credential_id)
		return mc__fail(err, MC_ERR_ARG, is ? "credential_id" : "issuer", "a required argument is NULL");
	mc_store_credential cr = {0};
	mc_status st = mc_store_begin(is->s, err);
	if (st != MC_OK)
		return st;
	st = mc_store_credential_get(is->s, credential_id, &cr, err);
	if (st == MC_OK && !cr.json)
		st = mc__fail(err, MC_ERR_VALUE, "credential_id", "%s was erased: it cannot be shared", credential_id);
	if (st == MC_OK) {
		mc_err e = {0};
		mc_status fs = mc_store_share_of(is->s, credential_id, share_id, &e);
		if (fs == MC_OK) {
			st = finish_tx(is->s, st, err); /* shared already: the same id */
			goto out;
		}
		if (fs != MC_ERR_MISSING)
			st = mc__fail(err, fs, e.path, "%s", e.msg);
	}
	if (st == MC_OK) {
		/* 128 random bits, base64url without padding: 22 characters */
		uint8_t r[16];
		char id[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
		randombytes_buf(r, sizeof r);
		sodium_bin2base64(id, sizeof id, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		st = mc_store_share_add(is->s, id, credential_id, err);
		if (st == MC_OK)
			st = mc__issuer_audit(is, "credential.share", credential_id, NULL, err);
		if (st == MC_OK && !(*share_id = strdup(id)))
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	st = finish_tx(is->s, st, err);
out:
	if (st != MC_OK) {
		free(*share_id);
		*share_id = NULL;
	}
	mc_store_credential_clear(&cr);
	return st;
}

mc_status mc_issuer_shared(mc_store *s, const char *share_id, mc_store_credential *out, mc_err *err)
{
	mc_status st = mc_store_share_get(s, share_id, out, err);
	if (st == MC_OK && !out->json) {
		mc_store_credential_clear(out);
		st = mc__fail(err, MC_ERR_MISSING, "share_id", "the shared credential was erased");
	}
	return st;
}

mc_status mc_issuer_share_of(mc_store *s, const char *credential_id, char **share_id, mc_err *err)
{
	return mc_store_share_of(s, credential_id, share_id, err);
}

mc_status mc_issuer_search(mc_store *s, const char *q, const char *template_id, int state, size_t limit, size_t offset,
                           mc_cred_hit **out, size_t *n, size_t *total, mc_err *err)
{
	return mc_store_credential_search(s, q, template_id, state, limit, offset, out, n, total, err);
}
