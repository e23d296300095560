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
#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"
#include "mcred/store.h"
#include "mcred/bulk.h"

/* The include guard waits until store.h and bulk.h are whole: mcred.h (the
 * umbrella) includes this header, and store.h and bulk.h include mcred.h
 * first, so a file that includes store.h or bulk.h alone reaches this
 * point while that header is half-read. It is then skipped here and
 * included again from the end of store.h / bulk.h. */
#if defined(MCRED_STORE_H_COMPLETE) && defined(MCRED_BULK_H_COMPLETE) && !defined(MCRED_ISSUER_H)
#define MCRED_ISSUER_H

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
/* Who acts from now on, for the audit log (as mc_issuer_opts.actor; 1 to
 * MC_STORE_TEXT_MAX bytes). A server keeps sessions open across requests
 * (opening one derives the key) and names each request's caller with it.
 * On failure the actor is unchanged. */
MC_API MC_NODISCARD mc_status mc_issuer_set_actor(mc_issuer *is, const char *actor, mc_err *err);
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
	/* called for each rejected row: its number as mc_bulk_row.row gives it
	 * (CSV: the header is row 1, so the first data row is 2, as a
	 * spreadsheet shows; JSON Lines: the line number), the field's path
	 * ("email", "template"; "" for the whole row) and a message. May be
	 * NULL. */
	void (*on_reject)(void *ctx, uint64_t row, const char *path, const char *msg);
	/* called after each committed transaction and at the end. May be NULL. */
	/* bytes_read is 0: the reader does not count bytes (a caller that
	 * opened it on a FILE can ftell that) */
	void (*on_progress)(void *ctx, const mc_bulk_summary *sofar, uint64_t bytes_read);
	void *ctx;
	/* threads that build and sign, the calling thread included (it signs
	 * while it is not reading rows or writing transactions); 0 = one per
	 * online processor, at most MC_ISSUER_BULK_THREADS_MAX. Callbacks and
	 * every store call stay on the calling thread. */
	unsigned threads;
} mc_issuer_bulk_opts;

/* Most signing threads: signing is CPU-bound, so more threads than cores
 * only add memory (each holds its own JSON-LD caches). */
#define MC_ISSUER_BULK_THREADS_MAX 16u

#define MC_ISSUER_BULK_BATCH 1000u
/* Most rows per transaction: a transaction's rows are held in memory
 * (about 10 KB each while signing), so this bounds a run's memory. */
#define MC_ISSUER_BULK_BATCH_MAX 10000u

/* Issue every row of r (CSV or JSON Lines, bulk.h). Idempotent: rerunning
 * a batch issues only what is missing. Memory stays flat: two batches are
 * held, one being signed while the one before it is written. Returns MC_OK
 * when the file was read to its end, even if rows were rejected (see
 * out->rejected). */
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
/* Re-sign list_id's status list credential now with the active key (after
 * a key rotation, or for a list stored before schema 3). Audit-logged. */
MC_API MC_NODISCARD mc_status mc_issuer_publish_status_list(mc_issuer *is, const char *list_id, mc_err *err);

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
/* The share id of credential_id without creating one (*share_id malloc'd,
 * mc_free); MC_ERR_MISSING when it is not shared. Needs no key. (Added for
 * GET /api/v1/credentials/{id}, which shows the share or null.) */
MC_API MC_NODISCARD mc_status mc_issuer_share_of(mc_store *s, const char *credential_id, char **share_id,
                                                 mc_err *err);

/* mc_cred_hit and mc_cred_hit_list_free are declared in store.h (the
 * search runs there, mc_store_credential_search); this is the same call.
 * Search issued credentials: q matches learner id, learner name or
 * credential id (case-insensitive substring; NULL = all); template_id and
 * state filter (NULL / -1 = any). Newest first. *total counts all matches.
 * limit is 1 to MC_STORE_SEARCH_MAX. */
MC_API MC_NODISCARD mc_status mc_issuer_search(mc_store *s, const char *q, const char *template_id, int state,
                                               size_t limit, size_t offset, mc_cred_hit **out, size_t *n,
                                               size_t *total, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif
