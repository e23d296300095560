/*
 * model.h - the EU micro-credential (Council Recommendation 2022, Annex I,
 * plus MICROBOL extras) as an Open Badges 3.0 / VC 2.0 credential.
 *
 * Inputs are three JSON documents (formats in docs/model.md):
 *   achievement - the template a provider defines: title, learning outcomes,
 *                 ECTS, levels, assessment, participation, QA, ... ;
 *   issuer      - the awarding body's profile: name, country, identifiers;
 *   learner     - one learner's data: identifier, name, grade, dates.
 * The output is an unsigned OpenBadgeCredential (achievementType
 * "MicroCredential") using the VC 2.0, OB 3.0.3 and mcred contexts
 * (MC_CONTEXT_URL, file contexts/mcred-v1.jsonld, terms in docs/context.md).
 * Text elements are multilingual: a string, or a language map
 * {"en": "...", "de": "..."}.
 */
#ifndef MCRED_MODEL_H
#define MCRED_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stable identifier of the project's JSON-LD context. */
#define MC_CONTEXT_URL "https://w3id.org/mcred/v1"
#define MC_VC_CONTEXT_URL "https://www.w3.org/ns/credentials/v2"
#define MC_OB_CONTEXT_URL "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

typedef struct mc_build_opts {
	/* issuer id (a DID) used when the issuer document has no "id" */
	const char *issuer_id;
	/* credential id; NULL = fresh "urn:uuid:" (random v4) */
	const char *credential_id;
	/* validFrom; NULL = the learner's "issued" date, else now (UTC) */
	const char *valid_from;
} mc_build_opts;

/* Assemble an unsigned credential. Every input is parsed strictly and
 * validated; on failure *out is NULL and err names the input field
 * ("learner: $.name"). The result always passes mc_credential_validate. */
MC_API MC_NODISCARD mc_status mc_credential_build(const char *achievement, size_t alen,
                                                  const char *issuer, size_t ilen,
                                                  const char *learner, size_t llen,
                                                  const mc_build_opts *opts, char **out, mc_err *err);

/* Check the three build inputs and list EVERY problem (mc_credential_build
 * stops at the first). *rep receives one MC_FAIL entry per problem, paths
 * prefixed with the document ("achievement: $.ects"); issuer_id plays the
 * role of mc_build_opts.issuer_id (may be NULL). Returns MC_OK when the
 * inputs would build, MC_ERR_INVALID when the report lists problems (err
 * holds the first), or a JSON status when a document does not parse (*rep
 * is then NULL). The caller frees *rep with mc_report_free. */
MC_API MC_NODISCARD mc_status mc_credential_check_inputs(const char *achievement, size_t alen,
                                                         const char *issuer, size_t ilen,
                                                         const char *learner, size_t llen,
                                                         const char *issuer_id, mc_report **rep, mc_err *err);

/* The same, returning the unsigned credential as an in-memory document to
 * sign with mc_doc_sign and write with mc_doc_serialize (no reparse). */
MC_API MC_NODISCARD mc_status mc_credential_build_doc(const char *achievement, size_t alen,
                                                      const char *issuer, size_t ilen,
                                                      const char *learner, size_t llen,
                                                      const mc_build_opts *opts, mc_doc **out, mc_err *err);

/* Check an OpenBadgeCredential for the EU micro-credential elements in one
 * pass: every missing mandatory element and every invalid value becomes an
 * MC_FAIL entry (check "eu-elements") naming its JSON path; absent optional
 * elements are not reported. Returns MC_OK if all present and valid,
 * MC_ERR_INVALID otherwise (report filled), other codes if the input is not
 * JSON (report may be NULL). */
MC_API MC_NODISCARD mc_status mc_credential_validate(const char *cred, size_t len, mc_report **rep, mc_err *err);

/* Read the EU elements back out of a credential, as one JSON object
 * {"achievement":{..},"issuer":{..},"learner":{..}} in the same formats
 * mc_credential_build takes, so build -> extract round-trips. */
MC_API MC_NODISCARD mc_status mc_credential_extract(const char *cred, size_t len, char **out, mc_err *err);

/* The project context document (JSON-LD) as a static string. */
MC_API const char *mc_context_document(void);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_MODEL_H */
