/*
 * vc.h - W3C Data Integrity proofs and credential verification.
 *
 * Cryptosuites: eddsa-jcs-2022 (W3C Data Integrity EdDSA Cryptosuites v1.0,
 * section 3.3). Proof creation and verification follow the spec's
 * algorithms: the proof configuration takes the document's @context, both
 * are canonicalized with RFC 8785, hashed with SHA-256, and
 * hash(proofConfig) || hash(document) is signed with Ed25519; proofValue is
 * multibase base58btc.
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
	/* "eddsa-jcs-2022"; NULL selects the default suite */
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

/* Output the signed document as compact JSON (no indentation): smaller and
 * faster, for bulk issuance. Default is indented for people. */
#define MC_PROOF_COMPACT 1u

/* Sign doc (a JSON object without "proof") and return it with a
 * DataIntegrityProof added, pretty-printed in input key order. */
MC_API MC_NODISCARD mc_status mc_proof_add(const char *doc, size_t len, const mc_keypair *kp,
                                           const mc_proof_opts *opts, char **out, mc_err *err);

/* Verify only flag: check the proof, not issuer binding, dates or model. */
#define MC_VERIFY_PROOF_ONLY 1u

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
} mc_verify_opts;

/* Verify a credential and report every check: "json" (strict parse),
 * "structure" (VC 2.0 shape), "eu-elements" (Annex I completeness, see
 * model.h), "proof" (cryptosuite known), "signature", "issuer-key" (the
 * verification method belongs to the issuer), "dates" (validFrom/validUntil
 * against now). *rep receives the report (free with mc_report_free) even
 * when the credential is invalid. Returns MC_OK when every check passed,
 * MC_ERR_INVALID when one failed, other codes when verification could not
 * run (then *rep may be NULL). Writes nothing else. */
MC_API MC_NODISCARD mc_status mc_verify(const char *cred, size_t len, const mc_verify_opts *opts,
                                        mc_report **rep, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_VC_H */
