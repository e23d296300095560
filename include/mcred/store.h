/*
 * store.h - durable storage for an issuer: issuers, signing keys, versioned
 * achievement templates, the credential archive, status lists and an
 * append-only audit log, in SQLite (the embedded default, one file) or
 * PostgreSQL (libpq, for institutions and national registers).
 *
 * Both back-ends implement the same semantics and pass the same conformance
 * suite (tests/test_store.c); docs/store.md describes the schema.
 *
 * Ownership, once: input structs and strings stay the caller's and are only
 * read during the call; everything the store returns is malloc'd and freed
 * by the caller with the matching *_clear (one struct) or *_list_free
 * (an array) function, or mc_free for a plain char * or uint8_t *.
 *
 * Errors follow mcred.h. Two store-specific outcomes reuse existing codes
 * until mcred.h grows dedicated ones:
 *   - not found (no such row)             -> MC_ERR_MISSING
 *   - conflict (duplicate key, row in use, invalid state change)
 *                                         -> MC_ERR_VALUE, message says which
 *   - the database failed (I/O, lock timeout, connection)
 *                                         -> MC_ERR_IO, message names the step
 * Messages never contain the connection string or a password.
 *
 * Threads: an mc_store is used by one thread at a time. Open one per thread.
 */
#ifndef MCRED_STORE_H
#define MCRED_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (why: see each) ------------------------------------------ */

/* Longest id: issuer DID/URL, key id (a DID URL with fragment), template
 * id, credential id, learner id, external id, batch id, list id. did:web
 * with a path and a fragment stays well under 512 bytes; 2 KiB is the
 * common URL ceiling of browsers and proxies. */
#define MC_STORE_ID_MAX 2048
/* Longest short text: legal name, actor, action, status reason. Official
 * legal names run to ~250 characters in UTF-8; 1 KiB leaves room. */
#define MC_STORE_TEXT_MAX 1024
/* MC_STATUS_LIST_MIN_BITS: see limits.h. */
/* Largest status list: 2^24 bits is a 2 MiB blob, read and written whole
 * on allocation; 16.7 million credentials per list is plenty, and more
 * lists can be created. */
#define MC_STATUS_LIST_MAX_BITS 16777216u
/* Most rows in one mc_store_credential_add_batch call: bounds the memory
 * of one call (rows x MC_JSON_MAX_BYTES in the worst case is the caller's,
 * but the back-end's bound parameters are ours). Split larger batches. */
#define MC_STORE_BATCH_MAX 100000u

/* ---- Opening --------------------------------------------------------- */

/* An open store. Opaque; created by mc_store_open, freed by mc_store_close. */
typedef struct mc_store mc_store;

/*
 * Open (creating if needed) the store named by url:
 *   "PATH" or "sqlite:PATH"                 SQLite file (default back-end)
 *   "postgresql://..." or "postgres://..."  PostgreSQL, libpq URI conninfo
 * Pending schema migrations are applied at once, inside one transaction,
 * and recorded in the table schema_version; opening an up-to-date store
 * applies none. A store whose schema is newer than this library is refused
 * with MC_ERR_UNSUPPORTED. On failure *out is NULL.
 */
MC_API MC_NODISCARD mc_status mc_store_open(const char *url, mc_store **out, mc_err *err);
/* Close and free. An open transaction is rolled back. NULL is a no-op. */
MC_API void mc_store_close(mc_store *s);
/* "sqlite" or "postgresql". */
MC_API const char *mc_store_backend(const mc_store *s);
/* Current schema version, and how many migrations schema_version records
 * (each migration is recorded exactly once, when it is applied). */
MC_API MC_NODISCARD mc_status mc_store_schema(mc_store *s, int64_t *version, int64_t *applied, mc_err *err);

/* ---- Transactions ---------------------------------------------------- */

/*
 * Group operations: nothing between begin and rollback remains. Without an
 * explicit transaction every operation is atomic on its own. Operations
 * made of several statements (key rotation, template edit, batch insert,
 * index allocation, erasure) run in a savepoint inside an open transaction,
 * so a failing one leaves the transaction as it was before the call.
 * Transactions do not nest: begin while one is open is MC_ERR_ARG.
 */
MC_API MC_NODISCARD mc_status mc_store_begin(mc_store *s, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_commit(mc_store *s, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_rollback(mc_store *s, mc_err *err);

/* ---- Issuers --------------------------------------------------------- */

/* An issuing institution. */
typedef struct mc_store_issuer {
	/* DID or https URL; primary key; required */
	char *id;
	/* official legal name; required */
	char *legal_name;
	/* ISO 3166-1 alpha-2, upper case ("FI"); required */
	char *country;
	/* JSON object of identifiers ({"erasmus":"SF HELSINK01","vat":...});
	 * NULL stores "{}" */
	char *identifiers;
	/* web address; may be NULL */
	char *url;
	/* unix seconds; 0 on input means now */
	int64_t created;
	/* the issuer document credentials are built from (docs/model.md
	 * "issuer": multilingual name, region, email, identifiers array...),
	 * strict JSON object; may be NULL (then the columns above are used).
	 * Schema 3 and later; older stores kept it inside identifiers under
	 * "mcred:profile", which migration 3 moves here. */
	char *profile;
} mc_store_issuer;

/* Insert; an existing id is a conflict (MC_ERR_VALUE). */
MC_API MC_NODISCARD mc_status mc_store_issuer_add(mc_store *s, const mc_store_issuer *in, mc_err *err);
/* Replace every field but id and created; MC_ERR_MISSING if absent. */
MC_API MC_NODISCARD mc_status mc_store_issuer_update(mc_store *s, const mc_store_issuer *in, mc_err *err);
/* Fill *out (zeroed first); free with mc_store_issuer_clear. */
MC_API MC_NODISCARD mc_status mc_store_issuer_get(mc_store *s, const char *id, mc_store_issuer *out, mc_err *err);
/* Delete an issuer that nothing references (no keys): a conflict
 * otherwise, because keys must outlive what they signed. */
MC_API MC_NODISCARD mc_status mc_store_issuer_delete(mc_store *s, const char *id, mc_err *err);
/* Every issuer, by id. Free with mc_store_issuer_list_free. */
MC_API MC_NODISCARD mc_status mc_store_issuer_list(mc_store *s, mc_store_issuer **out, size_t *n, mc_err *err);
MC_API void mc_store_issuer_clear(mc_store_issuer *v);
MC_API void mc_store_issuer_list_free(mc_store_issuer *v, size_t n);

/* ---- Signing keys ---------------------------------------------------- */

/* A signing key. An issuer has any number of keys, at most one active
 * (retired_at == 0). Keys are never deleted: retired keys keep verifying
 * what they signed. */
typedef struct mc_store_key {
	/* verification method id ("did:web:x#key-2"); primary key */
	char *key_id;
	/* owning issuer; must exist */
	char *issuer_id;
	/* public key, multibase ("z6Mk...") */
	char *public_key_multibase;
	/* encrypted key file JSON (docs/keyfile.md); NULL for public-only */
	char *key_file;
	/* unix seconds; 0 on input means now */
	int64_t created;
	/* unix seconds it stopped signing; 0 while active */
	int64_t retired_at;
} mc_store_key;

/* Insert a key. With retired_at == 0 it becomes the issuer's active key
 * and the previously active key, if any, is retired at the new key's
 * created time, atomically: that is rotation. With retired_at != 0 the key
 * is stored as already retired (importing history). */
MC_API MC_NODISCARD mc_status mc_store_key_add(mc_store *s, const mc_store_key *in, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_key_get(mc_store *s, const char *key_id, mc_store_key *out, mc_err *err);
/* The issuer's active key; MC_ERR_MISSING when every key is retired. */
MC_API MC_NODISCARD mc_status mc_store_key_active(mc_store *s, const char *issuer_id, mc_store_key *out, mc_err *err);
/* Retire a key at `at` (0 = now); retiring a retired key is a conflict. */
MC_API MC_NODISCARD mc_status mc_store_key_retire(mc_store *s, const char *key_id, int64_t at, mc_err *err);
/* Every key of the issuer, oldest first. */
MC_API MC_NODISCARD mc_status mc_store_key_list(mc_store *s, const char *issuer_id, mc_store_key **out, size_t *n,
                                                mc_err *err);
MC_API void mc_store_key_clear(mc_store_key *v);
MC_API void mc_store_key_list_free(mc_store_key *v, size_t n);

/* ---- Achievement templates ------------------------------------------- */

typedef enum mc_template_state {
	MC_TEMPLATE_DRAFT = 0,     /* editable in place */
	MC_TEMPLATE_PUBLISHED = 1, /* frozen: credentials are issued from it */
	MC_TEMPLATE_RETIRED = 2    /* frozen, no new issuance */
} mc_template_state;

/* One version of a template. (id, version) is the key credentials use. */
typedef struct mc_store_template {
	/* template id; required */
	char *id;
	/* 1, 2, ...; output only */
	int64_t version;
	/* output only: draft, published or retired */
	mc_template_state state;
	/* the template JSON (EU standard elements); strict JSON */
	char *json;
	/* unix seconds the version was created; output only */
	int64_t created;
} mc_store_template;

/* Save template JSON under id: the first save creates version 1 as a
 * draft; saving over a draft edits it in place; saving different JSON over
 * a published or retired version creates the next version as a draft,
 * leaving the published one untouched (saving the same bytes again changes
 * nothing). *version (may be NULL) receives the version now holding json. */
MC_API MC_NODISCARD mc_status mc_store_template_save(mc_store *s, const char *id, const char *json,
                                                     int64_t *version, mc_err *err);
/* Move a version forward: draft -> published -> retired (draft -> retired
 * allowed); asking for the current state is a no-op. Moving back is a
 * conflict. */
MC_API MC_NODISCARD mc_status mc_store_template_set_state(mc_store *s, const char *id, int64_t version,
                                                          mc_template_state state, mc_err *err);
/* Version `version` of id; version 0 means the latest version. */
MC_API MC_NODISCARD mc_status mc_store_template_get(mc_store *s, const char *id, int64_t version,
                                                    mc_store_template *out, mc_err *err);
/* Every version of id, oldest first. */
/* Most templates one mc_store_template_list call returns: an
 * institution offers hundreds; a national catalogue is read through the
 * catalogue search (trust.h), not this list. */
#define MC_STORE_TEMPLATE_LIST_MAX 10000u
/* The latest version of every template, ordered by id (the first
 * MC_STORE_TEMPLATE_LIST_MAX). */
MC_API MC_NODISCARD mc_status mc_store_template_list(mc_store *s, mc_store_template **out, size_t *n, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_template_versions(mc_store *s, const char *id, mc_store_template **out,
                                                         size_t *n, mc_err *err);
MC_API void mc_store_template_clear(mc_store_template *v);
MC_API void mc_store_template_list_free(mc_store_template *v, size_t n);

/* ---- Credential archive ---------------------------------------------- */

typedef enum mc_cred_state {
	MC_CRED_ACTIVE = 0,
	MC_CRED_SUSPENDED = 1, /* may be reinstated */
	MC_CRED_REVOKED = 2    /* final */
} mc_cred_state;

/* One issued credential. (template_id, learner_id, external_id) is
 * unique: re-running an import never issues twice. */
typedef struct mc_store_credential {
	/* credential id ("urn:uuid:..."); primary key */
	char *id;
	/* the template version it was issued from; must exist */
	char *template_id;
	int64_t template_version;
	/* the learner's id in the issuer's systems (student number, DID) */
	char *learner_id;
	/* the source row's id (SIS/LMS export); "" when there is none */
	char *external_id;
	/* issue batch; may be NULL */
	char *batch_id;
	/* status list and index; on output list NULL and index -1 when it has
	 * none (on input the index is ignored without a list). (list, index)
	 * is unique. */
	char *status_list_id;
	int64_t status_index;
	/* the learner record as imported (name, email, grade...), strict JSON
	 * object; may be NULL. Personal data: blanked by erasure. */
	char *learner;
	/* the signed credential, strict JSON. Personal data: NULL after
	 * erasure. */
	char *json;
	/* unix seconds; 0 on input means now */
	int64_t issued_at;
	/* output only (set with mc_store_credential_set_state) */
	mc_cred_state state;
	/* output only: reason of the last state change; NULL if none */
	char *state_reason;
	/* output only: unix seconds of erasure, 0 if not erased */
	int64_t erased_at;
	/* the credential this one replaces (reissue), which must exist; NULL
	 * for a first issuance */
	char *replaces;
} mc_store_credential;

/* Insert one credential. A duplicate id or (template, learner, external
 * id), or a taken (list, index), is a conflict (MC_ERR_VALUE). */
MC_API MC_NODISCARD mc_status mc_store_credential_add(mc_store *s, const mc_store_credential *in, mc_err *err);

/* Skip rows whose (template, learner, external id) is already stored
 * instead of failing: the idempotent re-run of an import. */
#define MC_STORE_SKIP_EXISTING 1u

/*
 * Insert n rows atomically: all or none (in a savepoint when a transaction
 * is open). Costs one round trip per chunk of rows on PostgreSQL (pipeline
 * mode) and one reused prepared statement on SQLite. With
 * MC_STORE_SKIP_EXISTING, inserted[i] (may be NULL) is 1 for rows written
 * and 0 for rows skipped. On failure err->path names the row
 * ("rows[12].learner_id") and nothing was written.
 */
MC_API MC_NODISCARD mc_status mc_store_credential_add_batch(mc_store *s, const mc_store_credential *rows, size_t n,
                                                            unsigned flags, uint8_t *inserted, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_credential_get(mc_store *s, const char *id, mc_store_credential *out,
                                                      mc_err *err);
/* Look up by the idempotency key. */
MC_API MC_NODISCARD mc_status mc_store_credential_find(mc_store *s, const char *template_id, const char *learner_id,
                                                       const char *external_id, mc_store_credential *out,
                                                       mc_err *err);
/* An idempotency key: (template, learner, external id). */
typedef struct mc_store_cred_key {
	const char *template_id, *learner_id, *external_id;
} mc_store_cred_key;

/* Which of n keys are stored already: exists[i] = 1 when keys[i] is, else
 * 0. One query for all n (1 to MC_STORE_BATCH_MAX): a bulk import checks a
 * whole batch in one round trip instead of n. */
MC_API MC_NODISCARD mc_status mc_store_credential_exists(mc_store *s, const mc_store_cred_key *keys, size_t n,
                                                         uint8_t *exists, mc_err *err);
/* Change state with a reason (may be NULL): active <-> suspended, and
 * either -> revoked. Leaving revoked is a conflict. The status-list bits
 * are the caller's (mc_store_status_list_set), in the same transaction. */
MC_API MC_NODISCARD mc_status mc_store_credential_set_state(mc_store *s, const char *id, mc_cred_state state,
                                                            const char *reason, mc_err *err);
MC_API void mc_store_credential_clear(mc_store_credential *v);

/* One line of a credential search. */
typedef struct mc_cred_hit {
	/* credential, template and learner ids; learner_name is the learner
	 * record's "name", else "givenName familyName", else NULL (erased) */
	char *id, *template_id, *learner_id, *learner_name;
	int64_t template_version, issued;
	mc_cred_state state;
} mc_cred_hit;

/* Most hits one search returns: a page for a screen or an API answer,
 * never the archive. */
#define MC_STORE_SEARCH_MAX 1000u

/*
 * Search the archive: q (NULL or "" = everything) matches, as a substring,
 * the credential id, the learner id or the learner record (names, email;
 * erased records no longer match), case-insensitively (PostgreSQL ILIKE;
 * SQLite LIKE, which folds ASCII letters only); '%', '_' and '\' in q are
 * literal. template_id (NULL = any) and state (-1 = any, else an
 * mc_cred_state) filter. Newest first (issued_at, then id). At most limit
 * hits (1 to MC_STORE_SEARCH_MAX) after skipping offset; *total receives
 * the number of all matches. Free *out with mc_cred_hit_list_free.
 */
MC_API MC_NODISCARD mc_status mc_store_credential_search(mc_store *s, const char *q, const char *template_id,
                                                         int state, size_t limit, size_t offset, mc_cred_hit **out,
                                                         size_t *n, size_t *total, mc_err *err);
MC_API void mc_cred_hit_list_free(mc_cred_hit *v, size_t n);

/* ---- Shares ------------------------------------------------------------- */

/* Longest share id: 128 random bits are 22 base64url characters; ids up
 * to 64 characters are accepted from other generators. */
#define MC_STORE_SHARE_ID_MAX 64

/* Record that credential_id is publicly viewable under share_id
 * (url-safe characters [A-Za-z0-9_-], 16 to MC_STORE_SHARE_ID_MAX). A
 * credential has at most one share: sharing it again, or a taken share id,
 * is a conflict (MC_ERR_VALUE); an unknown credential is MC_ERR_MISSING. */
MC_API MC_NODISCARD mc_status mc_store_share_add(mc_store *s, const char *share_id, const char *credential_id,
                                                 mc_err *err);
/* The share id of credential_id (*share_id malloc'd, mc_free);
 * MC_ERR_MISSING when it is not shared. */
MC_API MC_NODISCARD mc_status mc_store_share_of(mc_store *s, const char *credential_id, char **share_id,
                                                mc_err *err);
/* The credential behind share_id; MC_ERR_MISSING when the share id is
 * unknown. (Erasure removes the learner's shares.) */
MC_API MC_NODISCARD mc_status mc_store_share_get(mc_store *s, const char *share_id, mc_store_credential *out,
                                                 mc_err *err);

/* ---- Status lists (W3C Bitstring Status List v1.0) -------------------- */

/* mc_status_purpose: see mcred.h (shared with status.h). */

typedef struct mc_store_status_list {
	/* list id (the status list credential's URL); primary key */
	char *id;
	mc_status_purpose purpose;
	/* number of entries (bits), a multiple of 8 */
	int64_t size;
	/* size/8 bytes; bit i is bit (7 - i%8) of byte i/8 (the spec's
	 * left-to-right order) */
	uint8_t *bits;
	/* indexes handed out so far */
	int64_t allocated;
} mc_store_status_list;

/* Create an all-zero list of `size` bits (MC_STATUS_LIST_MIN_BITS to
 * MC_STATUS_LIST_MAX_BITS, a multiple of 8). */
MC_API MC_NODISCARD mc_status mc_store_status_list_create(mc_store *s, const char *id, mc_status_purpose purpose,
                                                          int64_t size, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_status_list_get(mc_store *s, const char *id, mc_store_status_list *out,
                                                       mc_err *err);
/* Hand out n indexes never handed out before (they stay taken forever,
 * even when the credential is erased), spread at random over the list.
 * MC_ERR_TOO_LARGE when fewer than n are left (nothing is taken then). */
MC_API MC_NODISCARD mc_status mc_store_status_alloc(mc_store *s, const char *list_id, size_t n, int64_t *indexes,
                                                    mc_err *err);
/* Take exactly the n given indexes of list_id, which must all be free
 * (MC_ERR_VALUE naming "indexes" otherwise; nothing is taken then). The
 * issuer mirrors each revocation list's allocation onto its paired
 * suspension list with it, so one index serves both purposes. */
MC_API MC_NODISCARD mc_status mc_store_status_reserve(mc_store *s, const char *list_id, size_t n,
                                                      const int64_t *indexes, mc_err *err);
/* Set (value 1) or clear (0) the bit at index. */
MC_API MC_NODISCARD mc_status mc_store_status_list_set(mc_store *s, const char *list_id, int64_t index, int value,
                                                       mc_err *err);
MC_API void mc_store_status_list_clear(mc_store_status_list *v);

/* Store the list's current signed status list credential and its ETag
 * (any text up to MC_STORE_ID_MAX; the issuer service stores a quoted
 * strong HTTP validator). Call in the transaction that changed the bits,
 * so the published list never lags the store. */
MC_API MC_NODISCARD mc_status mc_store_status_list_publish(mc_store *s, const char *list_id, const char *credential,
                                                           const char *etag, mc_err *err);
/* The stored status list credential and ETag (both malloc'd, mc_free;
 * etag may be NULL). MC_ERR_MISSING when the list is unknown or nothing
 * was published for it yet. */
MC_API MC_NODISCARD mc_status mc_store_status_list_published(mc_store *s, const char *list_id, char **credential,
                                                             char **etag, mc_err *err);

/* ---- Audit log ------------------------------------------------------- */

/* One audit entry. The log is append-only: there is no update or delete,
 * and both back-ends refuse UPDATE and DELETE on the table. Keep personal
 * data out of it (use ids): erasure does not touch the log. */
typedef struct mc_store_audit {
	/* output only: 1, 2, ... in append order (may skip after rollbacks) */
	int64_t seq;
	/* unix seconds; 0 on input means now */
	int64_t time;
	/* who: user, service or "cli" */
	char *actor;
	/* what: "credential.revoke", "key.rotate", ... */
	char *action;
	/* the id acted on; may be NULL */
	char *subject;
	/* strict JSON object; NULL stores "{}" */
	char *details;
} mc_store_audit;

MC_API MC_NODISCARD mc_status mc_store_audit_append(mc_store *s, const mc_store_audit *in, int64_t *seq,
                                                    mc_err *err);
/* Entries with seq > after, in order, at most max of them. */
MC_API MC_NODISCARD mc_status mc_store_audit_list(mc_store *s, int64_t after, size_t max, mc_store_audit **out,
                                                  size_t *n, mc_err *err);
MC_API void mc_store_audit_clear(mc_store_audit *v);
MC_API void mc_store_audit_list_free(mc_store_audit *v, size_t n);

/* ---- Learner rights (GDPR) ------------------------------------------- */

/* Everything stored about a learner, as one JSON object (GDPR access):
 * {"learnerId":..., "credentials":[{...every column..., "learner":{...},
 *  "credential":{...}}], "audit":[entries whose subject is the learner or
 * one of the learner's credentials]}. Free *json with mc_free. */
MC_API MC_NODISCARD mc_status mc_store_learner_export(mc_store *s, const char *learner_id, char **json,
                                                      mc_err *err);
/* Erase a learner's personal data (GDPR erasure): the learner record and
 * the signed credential of each of the learner's credentials become NULL
 * and erased_at is set. Ids, template, status-list index, state and the
 * audit log stay: revocation and accountability need them. *count (may be
 * NULL) receives the number of credentials erased now. */
MC_API MC_NODISCARD mc_status mc_store_learner_erase(mc_store *s, const char *learner_id, size_t *count,
                                                     mc_err *err);

/* ---- Test builds only ------------------------------------------------ */
#ifdef MC_TEST_BUILD
/* Make the nth back-end call from now fail with MC_ERR_IO (n >= 1; 0
 * disables), as SQLite's os.c fault injection does; *calls (may be NULL)
 * receives the number of back-end calls this handle has made so far. */
MC_API void mc_store_test_fail_at(mc_store *s, unsigned long n, unsigned long *calls);
/* Run raw SQL with no parameters (schema checks, tamper attempts). */
MC_API MC_NODISCARD mc_status mc_store_test_exec(mc_store *s, const char *sql, mc_err *err);
#endif

#ifdef __cplusplus
}
#endif
/* issuer.h needs this header whole: mark it read, and let issuer.h in
 * now if it was skipped while this header was half-read (see issuer.h) */
#define MCRED_STORE_H_COMPLETE
#include "mcred/issuer.h"
#endif /* MCRED_STORE_H */
