/*
 * issuer_internal.h - what issuer.c and bulk_issue.c share (mc__ names).
 */
#ifndef MC_ISSUER_INTERNAL_H
#define MC_ISSUER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"
#include "mcred/bulk.h"
#include "mcred/crypto.h"
#include "mcred/issuer.h"
#include "mcred/model.h"
#include "mcred/vc.h"

/* Longest issuer url (or id) a status list id is built on: the list id
 * "<base>/status/revocation/<k>" must stay under MC_STORE_ID_MAX. */
#define MC_ISSUER_LIST_BASE_MAX (MC_STORE_ID_MAX - 64)

struct mc_issuer {
	mc_store *s;
	char *issuer_id;
	/* the issuer document credentials are built from */
	char *profile;
	/* the active key and its verification method id */
	char *key_id;
	mc_key key;
	bool have_key;
	/* MC_SUITE_* (static string) */
	const char *suite;
	/* audit actor */
	char *actor;
	/* "<base>/status/revocation/" and the list number tried first */
	char list_base[MC_STORE_ID_MAX];
	unsigned list_k;
};

/* A learner document as the bulk reader normalises it. */
typedef struct mc__learner {
	char *learner; /* learner JSON for mc_credential_build */
	size_t len;
	char *ref; /* learner part of the idempotency key */
	char *ext; /* external id, "" when none */
} mc__learner;

mc_status mc__issuer_learner(const char *learner_json, const char *template_id, mc__learner *out, mc_err *err);
void mc__learner_clear(mc__learner *l);

/* Latest published version of template id (or version want > 0, which
 * must be published): MC_ERR_MISSING for an unknown template, MC_ERR_VALUE
 * when not published; err->path "template". */
mc_status mc__issuer_template(mc_store *s, const char *id, int64_t want, int64_t *version, char **json,
                              mc_err *err);
/* Allocate n revocation indexes from the issuer's current list, moving to
 * a new (signed) list when it is full. In the caller's transaction. */
int mc__issuer_suspension_id(const char *list_id, char out[MC_STORE_ID_MAX]);
mc_status mc__issuer_alloc(mc_issuer *is, size_t n, int64_t *idx, char *list_id, size_t cap, mc_err *err);
/* Re-sign list_id's status list credential and store it. */
mc_status mc__issuer_publish_list(mc_issuer *is, const char *list_id, mc_err *err);
/* Add the status entries to an unsigned credential tree (always consumed),
 * sign and serialise it (compact): a credential just built is signed
 * without a print and a parse. Touches only its arguments: safe on several
 * threads with a key each. */
mc_status mc__issuer_sign_tree(const char *suite, const char *key_id, const mc_key *key, cJSON *cred,
                               const char *list_id, int64_t index, char **out, size_t *out_len, mc_err *err);
mc_status mc__issuer_audit(mc_issuer *is, const char *action, const char *subject, const char *details,
                           mc_err *err);
/* {"k1":"v1",...} from string pairs, NULL values skipped; malloc'd. */
char *mc__json_pairs(const char *const *kv, size_t n);
void mc__issuer_rollback(mc_store *s);
/* Build from template version tver (tjson), add subject_extra's members
 * (a JSON object; NULL = none) to credentialSubject, allocate a status
 * entry, sign and insert, in the caller's transaction (issuer.c). */
mc_status mc__issuer_issue_one(mc_issuer *is, const char *tid, int64_t tver, const char *tjson, const char *learner,
                               size_t llen, const char *ref, const char *ext, const char *batch, const char *replaces,
                               int64_t issued_at, const char *subject_extra, char id[48], char **signed_json,
                               mc_err *err);
/* mc_issuer_issue with subject_extra, the audit action, and up to 4 more
 * key/value pairs (nkv strings) for the audit details: one issuance path
 * for plain, stacked and recognition credentials (idempotent the same way). */
mc_status mc__issuer_issue_ext(mc_issuer *is, const mc_issue_req *req, const char *subject_extra, const char *action,
                               const char *const *kv, size_t nkv, mc_issue_result *out, mc_err *err);

#endif
