/*
 * status.h - W3C Bitstring Status List v1.0 (Recommendation, May 2025):
 * revocation and suspension of issued credentials.
 *
 * Three layers, each usable alone:
 *  1. mc_statuslist: the bitstring itself, an opaque handle. Entry i is bit
 *     (7 - i%8) of byte i/8 (the spec's "left-most bit is index 0", the same
 *     order as the store's blobs, see store.h). encodedList is the GZIP
 *     (RFC 1952) of the bytes, in multibase base64url without padding
 *     ("u..."). Encoding uses zlib's default level, which reproduces the
 *     spec's example byte for byte.
 *  2. The BitstringStatusListCredential that publishes a list: built
 *     unsigned (the caller signs it with mc_proof_add / mc_doc_sign) and
 *     parsed back strictly.
 *  3. BitstringStatusListEntry objects: built for a credential's
 *     credentialStatus, and checked against a set of status list
 *     credentials (mc_status_lists).
 *
 * Scope: statusSize 1 (one bit per entry), purposes "revocation" and
 * "suspension" (mc_status_purpose of store.h). Entries or lists with
 * statusSize > 1, statusMessage or another purpose ("message", "refresh")
 * are refused with MC_ERR_UNSUPPORTED rather than read wrongly.
 *
 * Decoding is strict and bounded: wrong multibase prefix, characters outside
 * the base64url alphabet, padding, non-zero trailing bits, a damaged or
 * truncated gzip stream, bytes after the gzip member, a list smaller than
 * MC_STATUS_LIST_MIN_BITS or an output above MC_STATUSLIST_MAX_BYTES are
 * all errors. The output ceiling is enforced while inflating; the size a
 * gzip trailer claims is never trusted for allocation.
 *
 * Ownership, once: strings returned through char ** are malloc'd and freed
 * with mc_free; handles are freed with their *_free function; inputs stay
 * the caller's and are only read during the call. Errors follow mcred.h:
 * err->path names the field ("$.credentialSubject.encodedList",
 * "$.credentialStatus[1].statusListIndex") or the argument ("encoded").
 */
#ifndef MCRED_STATUS_H
#define MCRED_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (why: see each) ------------------------------------------ */

/* Largest bitstring accepted, in bytes (2^27 entries). Our own store caps
 * lists at MC_STATUS_LIST_MAX_BITS (2 MiB); lists of other issuers may be
 * larger, but a verifier must not inflate without bound: 16 MiB of zeros
 * gzips to ~16 KB, so a small encodedList can claim a huge list (the
 * decompression bomb). Inflation stops with MC_ERR_TOO_LARGE at this size. */
#define MC_STATUSLIST_MAX_BYTES (16u * 1024u * 1024u)

/* Longest encodedList accepted, in characters. It travels inside a JSON
 * credential, which is capped at MC_JSON_MAX_BYTES anyway; an
 * incompressible 2 MiB list encodes to ~2.8 MB, under this. */
#define MC_STATUSLIST_ENCODED_MAX (MC_JSON_MAX_BYTES)

/* Most entries read from one credentialStatus. The spec's examples carry
 * two (revocation + suspension); 32 leaves room for several lists and
 * bounds the work one credential can ask of a verifier. */
#define MC_STATUS_MAX_ENTRIES 32u

/* ---- Bitstring -------------------------------------------------------- */

/* A status bitstring. Opaque; freed with mc_statuslist_free. Not
 * thread-safe for writing; concurrent reads are fine. */
typedef struct mc_statuslist mc_statuslist;

/* New all-zero list of nbits entries: at least MC_STATUS_LIST_MIN_BITS
 * (herd privacy, spec 6.1), a multiple of 8, at most
 * MC_STATUSLIST_MAX_BYTES * 8. MC_ERR_VALUE otherwise. */
MC_API MC_NODISCARD mc_status mc_statuslist_new(uint64_t nbits, mc_statuslist **out, mc_err *err);
/* New list holding a copy of len bytes (a store blob, see store.h); the
 * same size rules as mc_statuslist_new with nbits = 8 * len. */
MC_API MC_NODISCARD mc_status mc_statuslist_from_bytes(const uint8_t *bytes, size_t len, mc_statuslist **out,
                                                       mc_err *err);
/* NULL is a no-op. */
MC_API void mc_statuslist_free(mc_statuslist *l);
/* Number of entries (bits). */
MC_API uint64_t mc_statuslist_size(const mc_statuslist *l);
/* The list's bytes (size/8 of them), valid until the list is changed or
 * freed. *len (may be NULL) receives the byte count. */
MC_API const uint8_t *mc_statuslist_bytes(const mc_statuslist *l, size_t *len);
/* Set entry index to value (0 or 1). MC_ERR_VALUE (path "index") when
 * index >= size, MC_ERR_ARG for another value. */
MC_API MC_NODISCARD mc_status mc_statuslist_set(mc_statuslist *l, uint64_t index, int value, mc_err *err);
/* Read entry index into *value (0 or 1); MC_ERR_VALUE when out of range
 * (then *value is 0). */
MC_API MC_NODISCARD mc_status mc_statuslist_get(const mc_statuslist *l, uint64_t index, int *value, mc_err *err);

/* encodedList of the list: "u" + base64url(gzip(bytes)), NUL-terminated.
 * Free *out with mc_free. */
MC_API MC_NODISCARD mc_status mc_statuslist_encode(const mc_statuslist *l, char **out, mc_err *err);
/* Parse an encodedList (len bytes, no NUL needed) into a new list. Errors:
 * MC_ERR_VALUE for a bad prefix, base64url, gzip stream or a list below
 * the minimum; MC_ERR_TOO_LARGE above MC_STATUSLIST_ENCODED_MAX or
 * MC_STATUSLIST_MAX_BYTES. err->path is "encoded". *out is NULL on
 * failure. */
MC_API MC_NODISCARD mc_status mc_statuslist_decode(const char *enc, size_t len, mc_statuslist **out, mc_err *err);

/* ---- Status purposes -------------------------------------------------- */

/* "revocation" / "suspension"; NULL for another value. */
MC_API const char *mc_status_purpose_name(mc_status_purpose p);
/* Inverse of mc_status_purpose_name; MC_ERR_UNSUPPORTED for another
 * string (including the spec's "message" and "refresh"). */
MC_API MC_NODISCARD mc_status mc_status_purpose_parse(const char *s, mc_status_purpose *out);

/* ---- Status list credential ------------------------------------------ */

/* What mc_statuslist_credential writes besides the list. */
typedef struct mc_statuslist_cred_opts {
	/* credential id: the URL it is published at, and what entries name
	 * as statusListCredential; required */
	const char *id;
	/* issuer id (DID or URL); required */
	const char *issuer;
	/* statusPurpose of the list */
	mc_status_purpose purpose;
	/* XML Schema dateTime; NULL = now (UTC, seconds) */
	const char *valid_from;
	/* XML Schema dateTime after valid_from; NULL = no validUntil */
	const char *valid_until;
	/* credentialSubject.ttl: milliseconds a verifier may cache the list;
	 * 0 = none written */
	uint64_t ttl_ms;
} mc_statuslist_cred_opts;

/* Build the unsigned BitstringStatusListCredential for l (spec 2.2):
 * {"@context": [VC 2.0], "id", "type": ["VerifiableCredential",
 * "BitstringStatusListCredential"], "issuer", "validFrom", ["validUntil"],
 * "credentialSubject": {"id": "<id>#list", "type": "BitstringStatusList",
 * "statusPurpose", "encodedList", ["ttl"]}}, indented. Sign it with
 * mc_proof_add. Free *out with mc_free. */
MC_API MC_NODISCARD mc_status mc_statuslist_credential(const mc_statuslist *l, const mc_statuslist_cred_opts *opts,
                                                       char **out, mc_err *err);

/* What a parsed status list credential says besides its list. */
typedef struct mc_statuslist_info {
	/* credential id, malloc'd */
	char *id;
	/* issuer (string or issuer.id), malloc'd */
	char *issuer;
	/* bit (1u << purpose) set for each statusPurpose the list declares
	 * (the spec allows an array of purposes sharing one list) */
	unsigned purposes;
	/* validFrom in unix seconds; has_valid_from says whether present */
	int64_t valid_from;
	int has_valid_from;
	/* validUntil in unix seconds; has_valid_until says whether present */
	int64_t valid_until;
	int has_valid_until;
	/* credentialSubject.ttl in milliseconds, 0 when absent */
	uint64_t ttl_ms;
} mc_statuslist_info;

/* Parse a BitstringStatusListCredential strictly: a JSON object whose type
 * includes both "VerifiableCredential" and "BitstringStatusListCredential",
 * an id, an issuer, valid dates (validUntil after validFrom), and a
 * credentialSubject object of type "BitstringStatusList" with a
 * statusPurpose (string or non-empty array) and an encodedList that
 * decodes (mc_statuslist_decode). The proof, if any, is neither required
 * nor checked here, and dates are not compared with the clock (see
 * mc_status_lists_add / mc_status_check). info (may be NULL) is zeroed
 * first and filled; free it with mc_statuslist_info_clear. list (may be
 * NULL) receives the bitstring. On failure nothing is returned. */
MC_API MC_NODISCARD mc_status mc_statuslist_credential_parse(const char *json, size_t len, mc_statuslist_info *info,
                                                             mc_statuslist **list, mc_err *err);
MC_API void mc_statuslist_info_clear(mc_statuslist_info *info);

/* ---- Status entries --------------------------------------------------- */

/* Build {"id": "<list_credential>#<index>", "type":
 * "BitstringStatusListEntry", "statusPurpose", "statusListIndex": "<index>",
 * "statusListCredential": list_credential} as compact JSON text, ready to
 * be put in a credential's credentialStatus. Free *out with mc_free. */
MC_API MC_NODISCARD mc_status mc_status_entry(const char *list_credential, mc_status_purpose purpose, uint64_t index,
                                              char **out, mc_err *err);

/* A set of status list credentials a verifier has fetched, parsed once and
 * then used for any number of checks. Opaque; mc_status_lists_free. Not
 * thread-safe for adding; concurrent checks are fine. */
typedef struct mc_status_lists mc_status_lists;

MC_API MC_NODISCARD mc_status mc_status_lists_new(mc_status_lists **out, mc_err *err);
MC_API void mc_status_lists_free(mc_status_lists *s);
/* Parse json (mc_statuslist_credential_parse) and add it under its id.
 * verify == NULL trusts the caller to have verified the credential's proof.
 * Otherwise mc_verify runs with *verify and every check must pass except
 * "eu-elements" (a status list is not a micro-credential) and "dates"
 * (mc_status_check compares them with its own clock); a failed check is
 * MC_ERR_INVALID naming it. Adding a second list with the same id is
 * MC_ERR_VALUE. Nothing is added on failure. */
MC_API MC_NODISCARD mc_status mc_status_lists_add(mc_status_lists *s, const char *json, size_t len,
                                                  const mc_verify_opts *verify, mc_err *err);
/* Number of lists held. */
MC_API size_t mc_status_lists_count(const mc_status_lists *s);

/* The outcome for one credentialStatus entry. A plain value. */
typedef struct mc_status_result {
	/* the entry's statusPurpose (valid when code is MC_OK) */
	mc_status_purpose purpose;
	/* the entry's statusListIndex (valid when code is MC_OK) */
	uint64_t index;
	/* 1 when the entry's bit is set: revoked (revocation) or suspended
	 * (suspension); 0 when not set or when code is not MC_OK */
	int set;
	/* MC_OK when the bit was read; otherwise why it could not be:
	 *   MC_ERR_MISSING     no list with that statusListCredential was added
	 *   MC_ERR_VALUE       index out of the list's range, malformed entry,
	 *                      or the list does not declare the entry's purpose
	 *   MC_ERR_INVALID     the list credential is expired (validUntil <=
	 *                      now) or not yet valid (validFrom > now)
	 *   MC_ERR_UNSUPPORTED statusSize > 1, statusMessage or another purpose
	 * detail.path names the entry's field, detail.msg says what. */
	mc_status code;
	mc_err detail;
} mc_status_result;

/*
 * Check every BitstringStatusListEntry of a credential. cred is the whole
 * credential (JSON text); its credentialStatus may be one object or an
 * array. Entries of another type are reported with MC_ERR_UNSUPPORTED.
 * now is unix seconds (0 = current time). Results go to res[0..*n) in
 * entry order (cap of them; more entries than cap, or than
 * MC_STATUS_MAX_ENTRIES, is MC_ERR_TOO_LARGE).
 *
 * Returns MC_OK when every entry could be read (inspect res[i].set for
 * revoked/suspended); MC_ERR_INVALID when at least one could not (see
 * res[i].code; err gets the first); MC_ERR_MISSING when the credential has
 * no credentialStatus (*n = 0); other codes when the credential itself is
 * not acceptable JSON.
 */
MC_API MC_NODISCARD mc_status mc_status_check(const mc_status_lists *lists, const char *cred, size_t len, int64_t now,
                                              mc_status_result *res, size_t cap, size_t *n, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_STATUS_H */
