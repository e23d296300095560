/* vc_internal.h - shared between proof.c and verify.c. */
#ifndef MC_VC_INTERNAL_H
#define MC_VC_INTERNAL_H

#include "internal.h"

/* Verify one DataIntegrityProof object against the document tree (which
 * must not contain "proof"). Adds "proof" and "signature" entries to rep.
 * On success copies the key (Ed25519 suites only) and the verification
 * method id out. Returns
 * MC_OK, MC_ERR_INVALID (reported), or MC_ERR_NOMEM. */
mc_status mc__proof_verify_one(const cJSON *doc_no_proof, const cJSON *proof, const char *path, const mc_verify_opts *opts, mc_report *rep,
                               uint8_t pk_out[MC_ED25519_PK_BYTES], char *vm_out, size_t vm_cap);

/* A signing key by reference (no copy of the secret): alg names the
 * member that is set. */
typedef struct mc__signer {
	mc_key_alg alg;
	const mc_keypair *ed25519;
	const mc_p256_keypair *p256;
} mc__signer;

/* Add a proof (the suite of opts, or the key's default) to a parsed
 * document in place (no reparse: the issuance path builds trees). root is
 * unchanged on failure. */
mc_status mc__proof_sign_tree(cJSON *root, const mc__signer *key, const mc_proof_opts *opts, mc_err *err);

/* The same; when canon_out is not NULL and the suite is eddsa-jcs-2022 it
 * also receives the RFC 8785 form of the signed document (malloc'd),
 * spliced from the canonical text that was hashed instead of a second
 * canonicalization. For the RDF suites *canon_out is set to NULL. */
mc_status mc__proof_sign_tree_canon(cJSON *root, const mc__signer *key, const mc_proof_opts *opts, char **canon_out,
                                    size_t *canon_len, mc_err *err);

#endif
