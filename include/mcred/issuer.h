/*
 * issuer.h - the issuer service: issue, bulk-issue, revoke, suspend,
 * reinstate and reissue credentials held in an mc_store, and publish the
 * signed status list credentials that verifiers fetch.
 *
 * This is the logic both front-ends share: the `mcred` store commands and
 * `mcred serve` call these functions and do nothing but argument handling
 * and presentation. Every operation that changes the store runs in one
 * transaction and appends to the audit log in that same transaction, so a
 * crash leaves either all of it or none of it.
 *
 * An mc_issuer is an issuing session: one store, one issuer, its active
 * signing key (decrypted in memory, wiped on close). Like mc_store it is
 * used by one thread at a time; open one per thread (the key file is
 * opened again, which costs one Argon2id derivation: open once, reuse).
 *
 * Status list credentials are regenerated and signed with the active key
 * whenever a credential's status changes (revoke, suspend, reinstate) and
 * when a list is created, so mc_issuer_status_list_credential always
 * returns a current, signed list without needing the key.
 */
#ifndef MCRED_ISSUER_H
#define MCRED_ISSUER_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"
#include "mcred/store.h"
#include "mcred/bulk.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_issuer mc_issuer;

typedef struct mc_issuer_opts {
	/* the issuer to act for; NULL means the store's only issuer (an error
	 * naming "issuer" when the store holds none or several) */
	const char *issuer_id;
	/* unlocks the active key's encrypted key file (docs/keyfile.md) */
	const char *passphrase;
	size_t passphrase_len;
	/* MC_SUITE_*; NULL means eddsa-rdfc-2022 (ecdsa-rdfc-2019 for P-256) */
	const char *suite;
	/* who acts, for the audit log: "cli", "token:<name>", ...; NULL = "cli" */
	const char *actor;
} mc_issuer_opts;

/* Open an issuing session. On failure *out is NULL. */
MC_API MC_NODISCARD mc_status mc_issuer_open(mc_store *s, const mc_issuer_opts *o, mc_issuer **out, mc_err *err);
/* Wipe the key and free. NULL is a no-op. The store stays the caller's. */
MC_API void mc_issuer_close(mc_issuer *is);
/* The issuer's id (DID or URL). */
MC_API const char *mc_issuer_id(const mc_issuer *is);

/* One credential to issue. */
typedef struct mc_issue_req {
	/* template id; its latest published version is used unless
	 * template_version > 0 names one (which must be published) */
	const char *template_id;
	int64_t template_version;
	/* learner JSON (docs/model.md "learner"); strict JSON */
	const char *learner_json;
	/* the source row's id (SIS/LMS); NULL or "" when there is none */
	const char *external_id;
	/* issue batch id; may be NULL */
	const char *batch_id;
	/* unix seconds for validFrom/issuance; 0 = now */
	int64_t issued_at;
} mc_issue_req;

/* What one issuance produced. Strings are the caller's (mc_issuer_result_clear). */
typedef struct mc_issue_result {
	char *credential_id;   /* "urn:uuid:..." */
	char *credential_json; /* the signed credential, compact JSON */
	int existed;           /* 1: (template, learner, external id) was issued
	                        * before; the stored credential is returned and
	                        * nothing is written */
} mc_issue_result;

MC_API MC_NODISCARD mc_status mc_issuer_issue(mc_issuer *is, const mc_issue_req *req, mc_issue_result *out,
                                              mc_err *err);
MC_API void mc_issue_result_clear(mc_issue_result *r);

/* ---- bulk issuance ---------------------------------------------------- */

typedef struct mc_bulk_summary {
	uint64_t rows;     /* data rows read */
	uint64_t issued;   /* newly issued */
	uint64_t existing; /* issued by an earlier run (idempotency key matched) */
	uint64_t rejected; /* rows with errors (reported through on_reject) */
	int committed;     /* 0 when --all-or-nothing rolled everything back */
} mc_bulk_summary;

typedef struct mc_issuer_bulk_opts {
	/* template for rows that name none */
	const char *template_id;
	/* batch id recorded on every credential; NULL = a new urn:uuid */
	const char *batch_id;
	/* 1: issue nothing if any row is rejected */
	int all_or_nothing;
	/* rows per transaction; 0 = default (MC_ISSUER_BULK_BATCH) */
	size_t batch_size;
	/* called for each rejected row: row number (1 = first data row), the
	 * field's path and a message. May be NULL. */
	void (*on_reject)(void *ctx, uint64_t row, const char *path, const char *msg);
	/* called after each committed transaction and at the end. May be NULL. */
	void (*on_progress)(void *ctx, const mc_bulk_summary *sofar, uint64_t bytes_read);
	void *ctx;
} mc_issuer_bulk_opts;

#define MC_ISSUER_BULK_BATCH 1000u

/* Issue every row of r (CSV or JSON Lines, bulk.h). Idempotent: rerunning
 * a batch issues only what is missing. Memory stays flat (one transaction's
 * rows). Returns MC_OK when the file was read to its end, even if rows were
 * rejected (see out->rejected). */
MC_API MC_NODISCARD mc_status mc_issuer_bulk(mc_issuer *is, mc_bulk_reader *r, const mc_issuer_bulk_opts *o,
                                             mc_bulk_summary *out, mc_err *err);

/* ---- status, reissue ---------------------------------------------------- */

/* Change a credential's status (MC_CRED_REVOKED, MC_CRED_SUSPENDED, or
 * MC_CRED_ACTIVE to reinstate a suspended one) with a reason kept in the
 * audit log, and re-sign the status list credential it points to. Revoking
 * is final: reinstating a revoked credential is MC_ERR_VALUE. */
MC_API MC_NODISCARD mc_status mc_issuer_set_status(mc_issuer *is, const char *credential_id, mc_cred_state to,
                                                   const char *reason, mc_err *err);

/* Reissue credential_id: a new credential (new id, new proof with the
 * current active key, new status entry) from the same template version and
 * the stored learner data, or from corrected_learner_json when not NULL.
 * The new credential records the one it replaces; the old one is revoked
 * with reason "superseded by <new id>". */
MC_API MC_NODISCARD mc_status mc_issuer_reissue(mc_issuer *is, const char *credential_id,
                                                const char *corrected_learner_json, mc_issue_result *out,
                                                mc_err *err);

/* The current signed status list credential for list_id (its URL), as
 * stored at the last change. Needs no key: any reader (the public HTTP
 * endpoint) can serve it. *etag receives a strong validator that changes
 * whenever the list changes (may be NULL). */
MC_API MC_NODISCARD mc_status mc_issuer_status_list_credential(mc_store *s, const char *list_id, char **json,
                                                               char **etag, mc_err *err);

/* ---- sharing and search (for the portal and the issuer admin) --------- */

/* Make credential_id publicly viewable under a random share id (22+
 * url-safe characters from 128 random bits); returns the existing one when
 * it is shared already. Audit-logged. */
MC_API MC_NODISCARD mc_status mc_issuer_share(mc_issuer *is, const char *credential_id, char **share_id, mc_err *err);
/* The stored credential behind a share id (MC_ERR_MISSING when unknown or
 * unshared, or erased). Needs no key. */
MC_API MC_NODISCARD mc_status mc_issuer_shared(mc_store *s, const char *share_id, mc_store_credential *out,
                                               mc_err *err);

/* One line of a credential search. */
typedef struct mc_cred_hit {
	char *id, *template_id, *learner_id, *learner_name;
	int64_t template_version, issued;
	mc_cred_state state;
} mc_cred_hit;

/* Search issued credentials: q matches learner id, learner name or
 * credential id (case-insensitive substring; NULL = all); template_id and
 * state filter (NULL / -1 = any). Newest first. *total counts all matches. */
MC_API MC_NODISCARD mc_status mc_issuer_search(mc_store *s, const char *q, const char *template_id, int state,
                                               size_t limit, size_t offset, mc_cred_hit **out, size_t *n,
                                               size_t *total, mc_err *err);
MC_API void mc_cred_hit_list_free(mc_cred_hit *v, size_t n);

#ifdef __cplusplus
}
#endif
#endif
