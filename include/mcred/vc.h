/*
 * vc.h - W3C Data Integrity proofs and credential verification.
 *
 * Cryptosuites (proof creation and verification follow the specifications'
 * algorithms: the proof configuration takes the document's @context, both
 * are canonicalized, hashed with SHA-256, and hash(proofConfig) ||
 * hash(document) is signed; proofValue is multibase base58btc):
 *
 *  - eddsa-rdfc-2022 (W3C Data Integrity EdDSA Cryptosuites v1.0, 3.2):
 *    JSON-LD toRdf in safe mode with the bundled contexts (offline, see
 *    jsonld.h) and RDFC-1.0 canonical N-Quads; Ed25519. What Open Badges
 *    3.0 verifiers expect; `mcred issue` and `mcred sign` use it by default.
 *  - eddsa-jcs-2022 (the same, 3.3): RFC 8785 JCS; Ed25519. The fastest,
 *    and the library default for Ed25519 keys (cryptosuite NULL) so that
 *    existing callers keep their output.
 *  - ecdsa-rdfc-2019 (W3C Data Integrity ECDSA Cryptosuites v1.0, 3.2,
 *    P-256 only): as eddsa-rdfc-2022, signed with ECDSA P-256/SHA-256,
 *    r || s (see crypto.h for the acceptance policy). Default for P-256.
 *
 * Under the rdfc suites a document whose terms the contexts do not define
 * cannot be signed or verified (MC_ERR_VALUE / a failed "signature" check
 * naming the term): silently dropping it would leave it unsigned. Only the
 * contexts bundled in the library are available (jsonld.h), so a document
 * with another context fails the same way, naming the URL.
 *
 * The rdfc suites keep one JSON-LD loader per calling thread (created on
 * first use, freed when the thread exits) holding the processed contexts.
 */
#ifndef MCRED_VC_H
#define MCRED_VC_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_proof_opts {
	/* MC_SUITE_*; NULL selects the key's default: eddsa-jcs-2022 for
	 * Ed25519, ecdsa-rdfc-2019 for P-256. A suite of the other key type is
	 * MC_ERR_KEY, an unknown one MC_ERR_UNSUPPORTED. */
	const char *cryptosuite;
	/* XML Schema dateTime for proof.created; NULL = now (UTC, seconds) */
	const char *created;
	/* verification method id; NULL = derived: when the document's issuer
	 * (issuer or issuer.id) is a DID other than did:key, "<issuer>#key-1"
	 * (the method `mcred did web` publishes); otherwise the key's did:key
	 * method "did:key:z..#z.." */
	const char *verification_method;
	/* NULL = "assertionMethod" */
	const char *proof_purpose;
	/* MC_PROOF_* flags */
	unsigned flags;
} mc_proof_opts;

#define MC_SUITE_EDDSA_RDFC "eddsa-rdfc-2022"
#define MC_SUITE_EDDSA_JCS "eddsa-jcs-2022"
#define MC_SUITE_ECDSA_RDFC "ecdsa-rdfc-2019"

/* Output the signed document as compact JSON (no indentation): smaller and
 * faster, for bulk issuance. Default is indented for people. */
#define MC_PROOF_COMPACT 1u

/* Sign doc (a JSON object without "proof") and return it with a
 * DataIntegrityProof added, pretty-printed in input key order. */
MC_API MC_NODISCARD mc_status mc_proof_add(const char *doc, size_t len, const mc_keypair *kp,
                                           const mc_proof_opts *opts, char **out, mc_err *err);
/* The same with a key of either algorithm (crypto.h mc_key). */
MC_API MC_NODISCARD mc_status mc_proof_add_key(const char *doc, size_t len, const mc_key *key,
                                               const mc_proof_opts *opts, char **out, mc_err *err);

/*
 * In-memory documents: the issuance path. A credential built or parsed once
 * is signed and serialised without being printed and parsed again, which is
 * what bulk issuance and reissue (strip the old proof, sign again) need.
 * An mc_doc is an opaque handle owned by the caller: free it with
 * mc_doc_free. It is not thread-safe; use one per thread.
 */
typedef struct mc_doc mc_doc;

/* Parse buf strictly (see json.h) into a new document. */
MC_API MC_NODISCARD mc_status mc_doc_parse(const char *buf, size_t len, mc_doc **out, mc_err *err);
/* Add a DataIntegrityProof (as mc_proof_add does). The document is
 * unchanged on failure; a document that already has a proof is refused. */
MC_API MC_NODISCARD mc_status mc_doc_sign(mc_doc *doc, const mc_keypair *kp, const mc_proof_opts *opts, mc_err *err);
/* The same with a key of either algorithm. */
MC_API MC_NODISCARD mc_status mc_doc_sign_key(mc_doc *doc, const mc_key *key, const mc_proof_opts *opts, mc_err *err);
/* Remove the document's proof, if any (before signing it again). */
MC_API void mc_doc_strip_proof(mc_doc *doc);

/* Serialisation forms for mc_doc_serialize. */
#define MC_DOC_PRETTY 0u    /* indented, members in document order */
#define MC_DOC_COMPACT 1u   /* no whitespace, members in document order */
#define MC_DOC_CANONICAL 2u /* RFC 8785: no whitespace, members sorted (also after
                              an rdfc signature: JCS is a JSON form, not RDF) */

/* Write the document as JSON text to *out (NUL-terminated; *len, if not
 * NULL, excludes the NUL). Caller frees with mc_free. */
MC_API MC_NODISCARD mc_status mc_doc_serialize(const mc_doc *doc, unsigned form, char **out, size_t *len);
/* The RFC 8785 text of a document as signed by its last mc_doc_sign with
 * eddsa-jcs-2022 (kept from signing, so no serialisation work), borrowed:
 * valid until the document is signed again, stripped or freed; the caller
 * must not free it. NULL when no such text is kept (use mc_doc_serialize). */
MC_API const char *mc_doc_canonical_text(const mc_doc *doc, size_t *len);
MC_API void mc_doc_free(mc_doc *doc);

/* Verify only flag: check the proof, not issuer binding, dates or model. */
#define MC_VERIFY_PROOF_ONLY 1u
/* With trust_register: an issuer that fails the register check fails the
 * verification; without this flag that line is a warning, because a
 * credential can be cryptographically valid from an unregistered issuer. */
#define MC_VERIFY_REQUIRE_REGISTERED 2u

typedef struct mc_verify_opts {
	/* unix seconds used for date checks; 0 = current time */
	int64_t now;
	/* MC_VERIFY_* flags */
	unsigned flags;
	/* DID documents (one object or an array) used to resolve non-did:key
	 * verification methods such as did:web, offline; NULL = none */
	const char *did_documents;
	/* length of did_documents in bytes */
	size_t did_documents_len;
	/* Bitstring Status List credentials to check credentialStatus against
	 * (see status.h; the caller verified them when adding); NULL = status
	 * is reported as not checked */
	const struct mc_status_lists *status_lists;
	/* register of providers and QA (trust.h) to check the issuer against,
	 * as a separate "register" line; NULL = no such line */
	const struct mc_register *trust_register;
} mc_verify_opts;

/* Verify a credential and report every check: "json" (strict parse),
 * "structure" (VC 2.0 shape), "eu-elements" (Annex I completeness, see
 * model.h), "proof" (cryptosuite known and named, key type matches),
 * "signature" (for rdfc suites: fails naming an undefined term), "issuer-key" (the
 * verification method belongs to the issuer), "dates" (validFrom/validUntil
 * against now), "status", and "register" when opts->trust_register is set
 * (trust.h mc_register_check on the issuer, validFrom and ISCED-F field;
 * skipped when the signature is not valid). *rep receives the report (free with mc_report_free) even
 * when the credential is invalid. Returns MC_OK when every check passed,
 * MC_ERR_INVALID when one failed, other codes when verification could not
 * run (then *rep may be NULL). Writes nothing else. */
MC_API MC_NODISCARD mc_status mc_verify(const char *cred, size_t len, const mc_verify_opts *opts,
                                        mc_report **rep, mc_err *err);

/* mc_verify, and from the same parse and model read the credential's EU
 * elements as mc_credential_extract gives them (compact text; free with
 * mc_free). *extract stays NULL when an EU element failed to read or with
 * MC_VERIFY_PROOF_ONLY. A verification page shows both, and reading the
 * credential twice cost a third of the answer. extract may be NULL. */
MC_API MC_NODISCARD mc_status mc_verify_extract(const char *cred, size_t len, const mc_verify_opts *opts,
                                                mc_report **rep, char **extract, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_VC_H */
