/*
 * trust.h - trust and transparency (issue 6): the register of providers and
 * their external quality assurance (DEQAR-like), the check "is the issuer a
 * registered provider with valid ESG-aligned QA on the issue date", a
 * verification cache, stackability pathways, automatic recognition, and the
 * catalogue of offers. docs/trust.md has the formats and the reasoning.
 *
 * Ownership, once: inputs stay the caller's and are only read during the
 * call; structs the library fills are released with their *_clear function,
 * opaque handles with their *_free function, and char * results with
 * mc_free. A failed parse leaves its output zeroed. Errors follow mcred.h:
 * err->path is the JSON path of the bad field ("$.qaResults[3].validUntil"),
 * "rows[N].column" for CSV rows (N counts data rows from 1), or the argument.
 *
 * Threads: handles are used by one thread at a time; a parsed register or
 * pathway that nobody modifies may be read by several threads.
 */
#ifndef MCRED_TRUST_H
#define MCRED_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"
#include "mcred/report.h"
#include "mcred/store.h"

/* issuer.h's handle and result, for the stacked and recognition
 * credentials below. Declared here rather than by including issuer.h: its
 * guard waits for store.h and bulk.h to be whole (see there), so a file
 * that includes bulk.h first reaches this header before issuer.h is read.
 * A repeated identical typedef is valid C11. */
typedef struct mc_issuer mc_issuer;
typedef struct mc_issue_result mc_issue_result;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (why: see each) ------------------------------------------ */

/* Most providers, agencies or QA results in one register, and offers in one
 * catalogue feed. DEQAR lists ~3,500 institutions and ~100 agencies; a
 * national register of micro-credential providers is of the same order.
 * 100,000 leaves room and bounds one import. */
#define MC_TRUST_MAX_ENTRIES 100000u
/* Largest register CSV: 100,000 rows of ~300 bytes. The JSON forms are
 * capped by MC_JSON_MAX_BYTES like every JSON input. */
#define MC_TRUST_CSV_MAX_BYTES (32u * 1024u * 1024u)
/* Most rules (nodes) and credential references in one pathway: a degree
 * assembled from micro-credentials has tens of parts; 1,000 flags
 * generated garbage and bounds validation and evaluation work. */
#define MC_PATHWAY_MAX_NODES 1000u
/* Deepest nesting of pathway rules, counting named-rule references: real
 * pathways nest 2-4 levels; the evaluator recurses, so depth is bounded. */
#define MC_PATHWAY_MAX_DEPTH 32
/* Most credentials one pathway evaluation or recognition looks at: a
 * learner's wallet; bounds the work of one request. */
#define MC_PATHWAY_MAX_CREDENTIALS 10000u
/* Most verified credentials a cache keeps; older entries are not evicted,
 * further credentials are verified without caching. 64k entries of ~1 KB. */
#define MC_VERIFY_CACHE_MAX 65536u
/* Words of a catalogue query used for full-text search: a searcher types
 * 1-5 words; each word is a posting-list walk, so the count is bounded. */
#define MC_CATALOGUE_QUERY_WORDS 16
/* Most hits one search returns (paging beyond is the caller's). */
#define MC_CATALOGUE_MAX_RESULTS 1000u

/* ---- Register of providers and quality assurance ----------------------- */

/* Kinds of external QA result. Programme accreditation and institutional
 * review by an EQAR-registered agency are ESG-aligned; ISO 17024 personnel
 * certification and platform certification are not (they show QA, not
 * ESG alignment). */
typedef enum mc_extqa_kind {
	MC_EXTQA_INSTITUTIONAL = 0, /* "institutional-review" */
	MC_EXTQA_PROGRAMME = 1,     /* "programme-accreditation" */
	MC_EXTQA_ISO17024 = 2,      /* "iso-17024" */
	MC_EXTQA_PLATFORM = 3,      /* "platform-certification" */
	MC_EXTQA_OTHER = 4          /* "other" */
} mc_extqa_kind;

typedef enum mc_extqa_decision {
	MC_EXTQA_POSITIVE = 0,            /* "positive" */
	MC_EXTQA_POSITIVE_CONDITIONS = 1, /* "positive-with-conditions" */
	MC_EXTQA_NEGATIVE = 2             /* "negative" */
} mc_extqa_decision;

/* A provider: a higher-education institution or an alternative provider. */
typedef struct mc_reg_provider {
	/* DID or URL, as it appears as a credential's issuer; unique */
	char *id;
	/* official name */
	char *name;
	/* ISO 3166-1 alpha-2 */
	char *country;
	/* "hei" or "alternative" */
	char *kind;
	/* JSON object of identifiers ({"erasmus":"A GRAZ01","deqar":"DEQARINST0001"}) */
	char *identifiers;
	/* web site; may be NULL */
	char *url;
} mc_reg_provider;

/* A quality assurance agency. */
typedef struct mc_reg_agency {
	/* URL or other IRI; unique */
	char *id;
	char *name;
	/* ISO 3166-1 alpha-2 of the agency's seat */
	char *country;
	/* listed in EQAR (so its reviews follow the ESG) */
	int eqar_registered;
	/* may be NULL */
	char *url;
} mc_reg_agency;

/* One external QA result of a provider. */
typedef struct mc_reg_qa {
	/* IRI; unique */
	char *id;
	/* provider id and agency id; both must be in the register */
	char *provider;
	char *agency;
	mc_extqa_kind kind;
	mc_extqa_decision decision;
	/* "YYYY-MM-DD"; valid_until "" means open-ended; both days inclusive;
	 * until before from is rejected */
	char valid_from[11];
	char valid_until[11];
	/* the published report; may be NULL */
	char *report_url;
	/* ISCED-F field the result covers, 2 to 4 digits ("06", "0688"); NULL =
	 * the whole provider. A result scoped to "06" covers "0688". */
	char *scope;
} mc_reg_qa;

/* A register: three sorted arrays. After mc_register_parse_* or
 * mc_store_register_load providers and agencies are sorted by id and
 * results by (provider, id), which the checks rely on (binary search). */
typedef struct mc_register {
	mc_reg_provider *providers;
	size_t nproviders;
	mc_reg_agency *agencies;
	size_t nagencies;
	mc_reg_qa *results;
	size_t nresults;
} mc_register;

/* Free every member and zero *reg. */
MC_API void mc_register_clear(mc_register *reg);

/* Parse the JSON form (docs/trust.md):
 *   {"providers":[{"id","name","country","kind","identifiers"?,"url"?}],
 *    "agencies":[{"id","name","country","eqarRegistered","url"?}],
 *    "qaResults":[{"id","provider","agency","kind","decision","validFrom",
 *                  "validUntil"?,"report"?,"scope"?}]}
 * Strict: unknown members, duplicate ids, results naming an unknown provider
 * or agency, and validUntil before validFrom are errors naming the path. */
MC_API MC_NODISCARD mc_status mc_register_parse_json(const char *buf, size_t len, mc_register *out, mc_err *err);
/* Parse the CSV form: RFC 4180 (quoted fields, "" escapes, CRLF or LF), the
 * header line exactly
 *   record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,decision,valid_from,valid_until,report,scope
 * and one row per provider (record "provider"), agency ("agency") or QA
 * result ("qa"); columns that do not apply to the record must be empty.
 * Errors name "rows[N].column" (N from 1, the first data row). The same
 * rules as the JSON form apply. */
MC_API MC_NODISCARD mc_status mc_register_parse_csv(const char *buf, size_t len, mc_register *out, mc_err *err);
/* Write the JSON form (pretty) / the CSV form. Round-trips through parse. */
MC_API MC_NODISCARD mc_status mc_register_to_json(const mc_register *reg, char **out, mc_err *err);
MC_API MC_NODISCARD mc_status mc_register_to_csv(const mc_register *reg, char **out, mc_err *err);

/* Publish the register as signed data: a Verifiable Credential
 *   {"@context":[VC 2.0], "type":["VerifiableCredential","McredTrustRegister"],
 *    "issuer": issuer_id, "validFrom": now, "credentialSubject":
 *    {"id": register_id, "register": <JSON form>}}
 * signed with eddsa-jcs-2022 (any JSON, no JSON-LD context needed) by key,
 * so a verifier holding the publisher's DID document trusts it offline.
 * issuer_id NULL means the key's did:key. */
MC_API MC_NODISCARD mc_status mc_register_sign(const mc_register *reg, const char *register_id, const char *issuer_id,
                                               const mc_key *key, char **out, mc_err *err);
/* Open a published register: the proof must verify (did:key offline, other
 * DIDs through did_documents as in mc_verify_opts), the signing key must
 * belong to the issuer, and when expected_issuer is not NULL the issuer
 * must be it. Then the register is parsed as mc_register_parse_json does
 * (paths "$.credentialSubject.register..."). MC_ERR_SIGNATURE when the
 * proof or the issuer binding fails. */
MC_API MC_NODISCARD mc_status mc_register_open_signed(const char *buf, size_t len, const char *expected_issuer,
                                                      const char *did_documents, size_t did_documents_len,
                                                      mc_register *out, mc_err *err);

/* Outcome of the register check. */
typedef struct mc_register_check_result {
	/* MC_PASS: registered with a valid ESG-aligned result (positive, by an
	 *          EQAR-registered agency, institutional or programme kind,
	 *          covering the field) on the date;
	 * MC_WARN: registered, and the only results valid on the date are not
	 *          ESG-aligned (ISO 17024, platform, other, non-EQAR agency) or
	 *          positive with conditions;
	 * MC_FAIL: not registered, or no positive result valid on the date. */
	mc_result result;
	/* one plain sentence naming the provider, agency and dates used */
	char reason[MC_ERR_MSG_MAX];
	/* borrowed from the register (NULL when not found / none applies) */
	const mc_reg_provider *provider;
	const mc_reg_qa *qa;
} mc_register_check_result;

/* Check issuer at time `when` (unix seconds) for a credential in ISCED-F
 * field (4 digits or NULL when the credential names none: scoped results
 * then do not count). */
MC_API void mc_register_check(const mc_register *reg, const char *issuer, int64_t when, const char *field,
                              mc_register_check_result *res);

/* ---- Register in the store (both back-ends) ---------------------------- */

/* Insert or replace (by id) every provider, agency and result of reg, in
 * one transaction (a savepoint inside the caller's), and append an audit
 * entry "register.import" by actor (NULL = "cli"). */
MC_API MC_NODISCARD mc_status mc_store_register_import(mc_store *s, const mc_register *reg, const char *actor,
                                                       mc_err *err);
/* The whole register, sorted as mc_register documents. */
MC_API MC_NODISCARD mc_status mc_store_register_load(mc_store *s, mc_register *out, mc_err *err);

/* ---- Verification cache -------------------------------------------------- */

/* What the trust functions need to know about one credential, read once
 * when it is verified. */
typedef struct mc_cred_facts {
	/* hex SHA-256 of the credential bytes: the cache key */
	char digest[65];
	/* every mc_verify check passed */
	int valid;
	/* the first failing check's message when not valid ("" otherwise) */
	char problem[MC_ERR_MSG_MAX];
	/* check name of that failure ("signature", "status", ...) */
	char problem_check[32];
	/* credential id, issuer id and achievement id; NULL when absent */
	char *credential_id;
	char *issuer;
	char *achievement;
	/* ECTS (0 = absent), EQF level (0 = absent), ISCED-F ("" = absent) */
	double ects;
	int eqf;
	char field[5];
	/* type of quality assurance code (docs/model.md), NULL when absent */
	char *qa_type;
	/* date of issuing (validFrom), unix seconds; 0 when absent */
	int64_t issued;
} mc_cred_facts;

/* Verifies each distinct credential once (by SHA-256 of its bytes) with the
 * options given at creation, and keeps its facts. Opaque. */
typedef struct mc_verify_cache mc_verify_cache;

/* opts is copied (its pointers, such as status_lists and did_documents,
 * are borrowed and must outlive the cache); NULL = defaults. max entries
 * (0 = MC_VERIFY_CACHE_MAX, capped there). */
MC_API MC_NODISCARD mc_status mc_verify_cache_new(const struct mc_verify_opts *opts, size_t max,
                                                  mc_verify_cache **out, mc_err *err);
MC_API void mc_verify_cache_free(mc_verify_cache *c);
/* Facts of the credential (borrowed: valid until the cache is freed; once
 * the cache holds max entries, facts of further credentials are valid
 * until the next call only), verifying it on first sight. An invalid credential is a success here
 * (facts->valid == 0); only failures to run (memory, input not JSON at all
 * is still a fact) return an error. *verified (may be NULL) is 1 when this
 * call ran mc_verify, 0 when the cache answered. */
MC_API MC_NODISCARD mc_status mc_verify_cache_get(mc_verify_cache *c, const char *cred, size_t len,
                                                  const mc_cred_facts **facts, int *verified, mc_err *err);
/* Number of mc_verify runs so far (for tests and benchmarks). */
MC_API size_t mc_verify_cache_runs(const mc_verify_cache *c);

/* ---- Stackability pathways ------------------------------------------------ */

/* A parsed, validated pathway. Opaque. JSON form (docs/trust.md):
 *   {"id": IRI, "title": text, "credential"?: {...}, "rules"?: {"name": RULE},
 *    "rule": RULE}
 * RULE is an object with exactly one member:
 *   {"all": [ITEM...]}                     every item
 *   {"any": {"n": N, "of": [ITEM...]}}     at least N items
 *   {"and": [RULE...]} / {"or": [RULE...]} nested combination
 *   {"ects": {"min": X, "from"?: [ACHIEVEMENT...]}}  ECTS sum of held
 *                                          credentials (of those achievements)
 *   {"level": {"min": n, "rule"?: RULE}}   RULE counting only credentials of
 *                                          EQF level >= n (without RULE: at
 *                                          least one such credential)
 *   {"within": {"years": N, "rule"?: RULE}} RULE counting only credentials
 *                                          issued in the last N years
 *   {"ref": "name"}                        the named rule of "rules"
 * ITEM is an achievement id (string: the learner holds a valid credential of
 * it) or a RULE. Unknown names and circular references are rejected with
 * the path of the offending "ref". */
typedef struct mc_pathway mc_pathway;

MC_API MC_NODISCARD mc_status mc_pathway_parse(const char *buf, size_t len, mc_pathway **out, mc_err *err);
MC_API void mc_pathway_free(mc_pathway *p);
MC_API const char *mc_pathway_id(const mc_pathway *p);
/* The title (its first language when it is a language map). */
MC_API const char *mc_pathway_title(const mc_pathway *p);

/* Result of one evaluation. */
typedef struct mc_pathway_result {
	/* the pathway is complete */
	int done;
	/* 0..1: the share of the requirements met (for "any N" and "ects",
	 * proportional; "and" averages its parts, "or" takes the best) */
	double progress;
	/* credentials that counted towards a satisfied part (indexes into
	 * the caller's array, ascending), n_used of them */
	size_t *used;
	size_t n_used;
	/* what is missing, one MC_FAIL finding (check "pathway") per unmet
	 * requirement with the rule's path; plus MC_WARN findings for presented
	 * credentials that were not counted (not valid) and why. NULL when
	 * evaluated without details. */
	mc_report *missing;
} mc_pathway_result;

MC_API void mc_pathway_result_clear(mc_pathway_result *r);

/* Evaluate for a learner's credentials (facts from mc_verify_cache_get;
 * invalid ones never count). now: unix seconds for "within" (0 = clock).
 * details: fill used and missing (0 skips the allocations: the fast path
 * for ranking many pathways). */
MC_API MC_NODISCARD mc_status mc_pathway_eval(const mc_pathway *p, const mc_cred_facts *const *creds, size_t n,
                                              int64_t now, int details, mc_pathway_result *res, mc_err *err);
/* The result as JSON {"pathway","done","progress","used":[credential ids],
 * "missing":[{"path","message"}],"notCounted":[...]} */
MC_API MC_NODISCARD mc_status mc_pathway_result_json(const mc_pathway *p, const mc_pathway_result *r,
                                                     const mc_cred_facts *const *creds, size_t n, char **out,
                                                     mc_err *err);

/* ---- Recognition ------------------------------------------------------------ */

/* A recognising institution's policy. Opaque. JSON form (docs/trust.md):
 *   {"id": IRI, "institution": IRI, "towards": text,
 *    "providers": "registered" | [IRI...],
 *    "qaKinds"?: ["institutional-review", ...] (register result kinds),
 *    "minLevel"?: 1-8, "minEcts"?: X, "maxEcts"?: Y, "fields"?: ["06", "0688"],
 *    "maxAgeYears"?: N}
 * "registered" (and qaKinds) need a register at decision time. */
typedef struct mc_recognition_policy mc_recognition_policy;

MC_API MC_NODISCARD mc_status mc_recognition_policy_parse(const char *buf, size_t len, mc_recognition_policy **out,
                                                          mc_err *err);
MC_API void mc_recognition_policy_free(mc_recognition_policy *p);
MC_API const char *mc_recognition_policy_id(const mc_recognition_policy *p);
/* What recognised credits count towards ("towards"). */
MC_API const char *mc_recognition_policy_towards(const mc_recognition_policy *p);

typedef enum mc_recognition_outcome {
	MC_RECOGNISED = 0, /* automatically, as ects towards `towards` */
	MC_REFERRED = 1    /* to a person, for the reasons given */
} mc_recognition_outcome;

typedef struct mc_recognition {
	mc_recognition_outcome outcome;
	/* ECTS recognised (0 when referred) */
	double ects;
	/* copies: the policy's id and towards text, the credential's id and
	 * issuer (may be NULL), and its digest */
	char *policy;
	char *towards;
	char *credential_id;
	char *issuer;
	char digest[65];
	/* one finding per check (check "recognition"): MC_PASS for each
	 * condition met, MC_FAIL for each that sent it to a person */
	mc_report *reasons;
	/* unix seconds of the decision */
	int64_t decided_at;
} mc_recognition;

MC_API void mc_recognition_clear(mc_recognition *d);

/* Decide on one credential: verify it (through cache), then check issuer
 * (policy's providers, or the register when "registered"; NULL register
 * then refers), QA kind, level, workload and field. Any failing check
 * refers the credential to a person; all passing recognises it. now: unix
 * seconds (0 = clock). */
MC_API MC_NODISCARD mc_status mc_recognise(const mc_recognition_policy *p, const mc_register *reg,
                                           mc_verify_cache *cache, const char *cred, size_t len, int64_t now,
                                           mc_recognition *out, mc_err *err);
/* {"outcome":"recognised"|"referred","ects","towards","policy",
 *  "credential","issuer","digest","decidedAt","reasons":[{"result","message"}]} */
MC_API MC_NODISCARD mc_status mc_recognition_json(const mc_recognition *d, char **out, mc_err *err);
/* Record a decision in the store (table recognition_decisions) with an
 * audit entry "recognition.decide" by actor (NULL = "cli"), in one
 * transaction. *id (may be NULL) receives the decision's id. */
MC_API MC_NODISCARD mc_status mc_store_recognition_record(mc_store *s, const mc_recognition *d, const char *actor,
                                                          int64_t *id, mc_err *err);
/* Number of recorded decisions for a credential digest (tests, reports). */
MC_API MC_NODISCARD mc_status mc_store_recognition_count(mc_store *s, const char *digest, int64_t *n, mc_err *err);

/* ---- Catalogue ---------------------------------------------------------------- */

/* One offer (JSON form in docs/trust.md):
 *   {"id","provider","template"?:{"id","version"},"title","description",
 *    "learningOutcomes":[text...],"ects","eqfLevel"?,"iscedF"?,"country",
 *    "language","mode","place"?,"price"?:{"amount","currency"},"enrolment"?,
 *    "schedule"?:{"start","end"?},"qualityAssurance"?:{...},
 *    "stackableInto"?:[IRI...]}
 * Strict; unknown members are errors. */
typedef struct mc_offer {
	char *id;
	char *provider;
	char *title;
	char *description;
	/* the outcomes joined by newlines (full-text search) */
	char *outcomes;
	double ects;
	int eqf;
	char field[5];
	char country[3];
	char *language;
	char *mode;
	/* the whole offer, compact JSON */
	char *json;
} mc_offer;

MC_API void mc_offer_clear(mc_offer *o);
MC_API void mc_offer_list_free(mc_offer *v, size_t n);
MC_API MC_NODISCARD mc_status mc_offer_parse(const char *buf, size_t len, mc_offer *out, mc_err *err);
/* An offer from a published achievement template (docs/model.md format):
 * title, description, outcomes, ECTS, EQF, ISCED-F, QA and stackability
 * come from the template, the rest from details
 *   {"id","provider","country","language","mode","place"?,"price"?,
 *    "enrolment"?,"schedule"?}; template_id/version are recorded. */
MC_API MC_NODISCARD mc_status mc_offer_from_template(const char *achievement, size_t alen, const char *details,
                                                     size_t dlen, const char *template_id, int64_t version,
                                                     char **offer_json, mc_err *err);
/* A catalogue feed {"provider"?: IRI, "offers":[OFFER...]} (an aggregator
 * collects other providers' feeds). Every offer is checked; when the feed
 * names a provider, every offer must be that provider's. Errors name the
 * path ("$.offers[3].ects"). */
MC_API MC_NODISCARD mc_status mc_catalogue_feed_parse(const char *buf, size_t len, mc_offer **out, size_t *n,
                                                      mc_err *err);
/* Insert or replace offers by id, in one transaction. */
MC_API MC_NODISCARD mc_status mc_store_catalogue_put(mc_store *s, const mc_offer *offers, size_t n, mc_err *err);

typedef struct mc_catalogue_query {
	/* words searched in title, description and outcomes (all must occur);
	 * NULL or "" = no text condition (then ordered by title) */
	const char *text;
	/* filters; 0 / NULL = not filtered */
	double ects_min, ects_max;
	int eqf;
	/* ISCED-F prefix ("06" or "0688") */
	const char *field;
	const char *country;
	const char *language;
	const char *mode;
	const char *provider;
	/* most hits (0 = 20, capped at MC_CATALOGUE_MAX_RESULTS) */
	size_t limit;
} mc_catalogue_query;

/* Search, best match first (SQLite FTS5 bm25 / PostgreSQL ts_rank). The
 * hits are full offers; free with mc_offer_list_free. */
MC_API MC_NODISCARD mc_status mc_store_catalogue_search(mc_store *s, const mc_catalogue_query *q, mc_offer **out,
                                                        size_t *n, mc_err *err);


/* ---- Stored pathways and policies, offer lookups, decision lists ------------ */

/* A pathway or recognition policy as stored (migration 9): its id, title
 * (a pathway's title, a policy's "towards"), the JSON as validated, and
 * when it was last saved (unix seconds). */
typedef struct mc_store_trust_doc {
	char *id;
	char *title;
	char *json;
	int64_t updated;
} mc_store_trust_doc;

MC_API void mc_store_trust_doc_clear(mc_store_trust_doc *d);
MC_API void mc_store_trust_doc_list_free(mc_store_trust_doc *v, size_t n);

/* Validate json (mc_pathway_parse / mc_recognition_policy_parse: a bad one
 * is refused with the parser's path), then insert or replace it by its id,
 * with an audit entry "pathway.save" / "policy.save" by actor (NULL =
 * "cli"), atomically. *id (may be NULL) receives the id (mc_free) and
 * *created (may be NULL) 1 when the id was new. */
MC_API MC_NODISCARD mc_status mc_store_pathway_put(mc_store *s, const char *json, size_t len, const char *actor,
                                                   char **id, int *created, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_policy_put(mc_store *s, const char *json, size_t len, const char *actor,
                                                  char **id, int *created, mc_err *err);
/* One by id (MC_ERR_MISSING naming "id" when unknown); all, by title. */
MC_API MC_NODISCARD mc_status mc_store_pathway_get(mc_store *s, const char *id, mc_store_trust_doc *out, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_pathway_list(mc_store *s, mc_store_trust_doc **out, size_t *n, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_policy_get(mc_store *s, const char *id, mc_store_trust_doc *out, mc_err *err);
MC_API MC_NODISCARD mc_status mc_store_policy_list(mc_store *s, mc_store_trust_doc **out, size_t *n, mc_err *err);
/* Delete a policy (recorded decisions keep its id) with an audit entry
 * "policy.delete"; MC_ERR_MISSING when unknown. */
MC_API MC_NODISCARD mc_status mc_store_policy_delete(mc_store *s, const char *id, const char *actor, mc_err *err);

/* One offer by id (MC_ERR_MISSING naming "id" when unknown). */
MC_API MC_NODISCARD mc_status mc_store_catalogue_get(mc_store *s, const char *id, mc_offer *out, mc_err *err);
/* The offers whose stackableInto names pathway_id, by title, at most
 * MC_CATALOGUE_MAX_RESULTS. */
MC_API MC_NODISCARD mc_status mc_store_catalogue_stacking(mc_store *s, const char *pathway_id, mc_offer **out,
                                                          size_t *n, mc_err *err);
/* Recorded decisions, newest first, of one policy (NULL = all), at most
 * limit (1 to MC_CATALOGUE_MAX_RESULTS), as a JSON array text (mc_free):
 * [{"id","policy","digest","credential","issuer","outcome","ects",
 *   "towards","reasons":[{"result","message"}],"actor","decidedAt"}] */
MC_API MC_NODISCARD mc_status mc_store_recognition_list(mc_store *s, const char *policy, size_t limit, char **json,
                                                        mc_err *err);

/* ---- Issuing stacked and recognition credentials (the issuer service) ---------- */

/* The stacked credential of a completed pathway. */
typedef struct mc_stacked_req {
	/* the pathway the parts complete */
	const mc_pathway *pathway;
	/* the larger credential's published template (latest published
	 * version, or template_version > 0) */
	const char *template_id;
	int64_t template_version;
	/* the learner (docs/model.md "learner"); must have an "id", and every
	 * part that counts must be that learner's (credentialSubject.id) */
	const char *learner_json;
	/* the part credentials presented, n of them (creds[i] is lens[i]
	 * bytes); each is verified through cache, whose options (status
	 * lists, DID documents) the caller chose */
	const char *const *creds;
	const size_t *lens;
	size_t n;
	mc_verify_cache *cache;
	/* unix seconds for "within" rules (0 = clock) */
	int64_t now;
} mc_stacked_req;

/* Verify the parts, evaluate the pathway, and when it is complete issue
 * the template's credential (a normal signed credential in the archive:
 * status entry, revocable, verifiable) whose credentialSubject.hasPart
 * lists each part that counted as {"id": its credential id, "digestSRI":
 * "sha256-<base64 of SHA-256 of its bytes>"}. Idempotent per (template,
 * learner, pathway): issuing again returns the stored credential with
 * out->existed = 1. MC_ERR_VALUE naming "credentials" when the pathway is
 * not complete (the message says what is missing first), "credentials[i]"
 * for a part of another learner, "learner.id" without a learner id. Audit
 * entry "credential.issue-stacked". */
MC_API MC_NODISCARD mc_status mc_issuer_issue_stacked(mc_issuer *is, const mc_stacked_req *req,
                                                      mc_issue_result *out, mc_err *err);

/* Issue a recognition decision as a credential by the recognising
 * institution (the issuer is): the published template template_id
 * describes what is recognised (the learning it counts as); the learner is
 * the recognised credential's subject (its id or email and names); the
 * subject carries "recognition": {"recognitionOutcome": "recognised",
 * "ectsRecognised", "recognisedTowards", "recognitionPolicy",
 * "recognisedCredential": {"id"?, "digestSRI"}, "recognitionReason": [..]}.
 * cred must be the credential d was made for (same digest). Only a
 * recognised decision is issued (a referred one waits for a person):
 * MC_ERR_VALUE naming "decision" otherwise. Idempotent per (template,
 * learner, credential digest). Audit entry "credential.issue-recognition". */
MC_API MC_NODISCARD mc_status mc_issuer_issue_recognition(mc_issuer *is, const mc_recognition *d,
                                                          const char *template_id, const char *cred, size_t len,
                                                          mc_issue_result *out, mc_err *err);

/* mc_register_sign with the issuer's active key and id (a server holds
 * an issuing session, not the key itself). */
MC_API MC_NODISCARD mc_status mc_issuer_sign_register(mc_issuer *is, const mc_register *reg, const char *register_id,
                                                      char **out, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_TRUST_H */
