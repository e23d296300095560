/*
 * qa.h - internal quality assurance of micro-credentials (issue 7): the
 * lifecycle of a specification through a configurable approval chain,
 * feedback questionnaires and anonymous aggregates, outcome signals, the
 * provider's public QA page (ESG 1.8), and the EDEH maturity
 * self-assessment with its boardroom canvas (SVG, printable HTML).
 *
 * A "specification" is an achievement template of the store
 * (mc_store_template_*), named by (template id, version). The QA state of
 * a version lives beside the template; publishing and retiring through
 * this module also move the template's own state, so the issuer service
 * issues only what QA published.
 *
 * Conventions are mcred.h's: mc_status + caller-owned mc_err naming the
 * bad field; strings returned through char ** are malloc'd and freed with
 * mc_free. Every operation that changes the store is atomic (a savepoint
 * inside a caller's transaction) and appends its audit entry in the same
 * section, with the actor's id and role. Invalid lifecycle steps are
 * MC_ERR_VALUE with "conflict" and the current state in the message and
 * err->path "state". JSON outputs are compact; their shapes are in
 * docs/qa.md.
 */
#ifndef MCRED_QA_H
#define MCRED_QA_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"
#include "mcred/report.h"
#include "mcred/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (why: see each) ------------------------------------------ */

/* Default smallest group of feedback responses an aggregate shows. Five is
 * the usual disclosure-control threshold of course evaluations: below it a
 * lecturer can often tell who answered what. Configurable per provider
 * ("minGroupSize"), never below MC_QA_MIN_GROUP_FLOOR. */
#define MC_QA_MIN_GROUP_DEFAULT 5
/* With two respondents each one learns the other's answer from the mean:
 * three is the least a configuration may ask for. */
#define MC_QA_MIN_GROUP_FLOOR 3
/* Steps in an approval chain. IMINQA's longest example has four bodies
 * (faculty, LLL committee, QA office, senate); 16 is generous. */
#define MC_QA_CHAIN_MAX 16
/* Questions in one questionnaire: a survey longer than this is not
 * answered; the bound also caps the per-question aggregate work. */
#define MC_QA_QUESTIONS_MAX 100
/* Longest free-text answer, comment, note or policy paragraph, in bytes. */
#define MC_QA_TEXT_MAX 8000
/* Longest id of a step, question, questionnaire or session ([a-z0-9-.]). */
#define MC_QA_ID_MAX 64
/* Period of a periodic review: 1 day to 10 years. */
#define MC_QA_REVIEW_DAYS_MAX 3650
/* Default review interval: a yearly look, as the ENQA working group asks
 * for more frequent monitoring of micro-credentials than of degrees. */
#define MC_QA_REVIEW_DAYS_DEFAULT 365
/* Workload convention of ECTS: 25 to 30 hours of learning per credit. */
#define MC_QA_HOURS_PER_ECTS_MIN 25
#define MC_QA_HOURS_PER_ECTS_MAX 30
/* A learning outcome "written" as a statement has at least this many words
 * ("Analyse public datasets" is three). */
#define MC_QA_OUTCOME_MIN_WORDS 3
/* Credentials the maturity proposals sample (newest first): validating
 * each costs a parse; 500 gives a fair picture in well under a second. */
#define MC_QA_SAMPLE_MAX 500

/* Largest SVG or HTML rendering of a maturity session: the canvas of the
 * EDEH model is about 60 KB; notes and actions are bounded by the store.
 * 4 MiB stops a runaway view from making the page unbounded. */
#define MC_QA_RENDER_MAX (4u * 1024u * 1024u)

/* ---- Roles and actors ------------------------------------------------- */

typedef enum mc_qa_role {
	MC_QA_ROLE_PROPOSER = 0,  /* "proposer": designs and submits a specification */
	MC_QA_ROLE_REVIEWER = 1,  /* "reviewer": a member of an approval body */
	MC_QA_ROLE_OFFICER = 2,   /* "qa-officer": publishes, reviews, retires */
	MC_QA_ROLE_LEARNER = 3,   /* "learner" */
	MC_QA_ROLE_EMPLOYER = 4,  /* "employer" */
	MC_QA_ROLE_PEER = 5       /* "peer": another provider or external reviewer */
} mc_qa_role;

/* Who acts. The library does not authenticate: the front-end vouches for
 * the role and the library checks it against the step. */
typedef struct mc_qa_actor {
	/* user or service id for the audit log ("cli", "token:alice"); required */
	const char *id;
	mc_qa_role role;
} mc_qa_actor;

MC_API const char *mc_qa_role_name(mc_qa_role r);
/* "proposer", "reviewer", "qa-officer", "learner", "employer", "peer". */
MC_API MC_NODISCARD mc_status mc_qa_role_parse(const char *s, mc_qa_role *out);

/* ---- Configuration (per provider) ------------------------------------- */

/*
 * A provider's QA configuration, one JSON object (docs/qa.md):
 *   {"policy": text, "approvalChain": [{"id","name","role"}...] (1..16
 *    steps; role "reviewer" or "qa-officer"),
 *    "substantialChanges": [achievement member names],
 *    "reviewIntervalDays": 1..3650, "minGroupSize": >= 3,
 *    "publishFeedback": bool, "reviewCycle": text?}
 * Unknown members are errors. A provider without a stored configuration
 * uses mc_qa_config_default(), the IMINQA three-step chain.
 */
MC_API const char *mc_qa_config_default(void);
/* Check a configuration document (strict, every rule above). */
MC_API MC_NODISCARD mc_status mc_qa_config_check(const char *json, size_t len, mc_err *err);
/* Store (replace) provider's configuration; audit "qa.config". */
MC_API MC_NODISCARD mc_status mc_qa_config_set(mc_store *s, const char *provider, const char *json,
                                               const mc_qa_actor *who, mc_err *err);
/* The stored configuration, or the default when none is stored. */
MC_API MC_NODISCARD mc_status mc_qa_config_get(mc_store *s, const char *provider, char **json, mc_err *err);

/* ---- Lifecycle -------------------------------------------------------- */

typedef enum mc_qa_state {
	MC_QA_DRAFT = 0,        /* being written; submit it */
	MC_QA_SUBMITTED = 1,    /* in the approval chain */
	MC_QA_APPROVED = 2,     /* every step approved; publish it */
	MC_QA_PUBLISHED = 3,    /* in the catalogue; credentials are issued */
	MC_QA_UNDER_REVIEW = 4, /* periodic or ad-hoc review of a published version */
	MC_QA_MODIFIED = 5,     /* a new version with minor changes only: publish it */
	MC_QA_RETIRED = 6,      /* catalogue stops; issued credentials stay valid */
	MC_QA_REJECTED = 7,     /* an approval body said no; final for this version */
	MC_QA_SUPERSEDED = 8    /* a newer version was published */
} mc_qa_state;

MC_API const char *mc_qa_state_name(mc_qa_state st);

/* Decisions of an approval step. */
typedef enum mc_qa_decision {
	MC_QA_APPROVE = 0,
	MC_QA_REJECT = 1,
	MC_QA_REQUEST_CHANGES = 2 /* back to draft; resubmission restarts the chain */
} mc_qa_decision;

/* "approve", "reject", "request-changes". */
MC_API MC_NODISCARD mc_status mc_qa_decision_parse(const char *s, mc_qa_decision *out);

/* State of a version. A template version never touched by QA reports the
 * state its template has (draft, published, retired). */
MC_API MC_NODISCARD mc_status mc_qa_state_get(mc_store *s, const char *tpl, int64_t version, mc_qa_state *out,
                                              mc_err *err);

/*
 * Submit a draft version for approval (role proposer) under provider's
 * configuration, whose chain is copied into the record (later edits of the
 * configuration do not move the steps under a pending submission). The
 * formal checks run first: EU mandatory elements (the model validator),
 * ECTS against workloadHours (25-30 h per ECTS), learning outcomes written
 * as statements, assessment named. Their report goes to *checks (may be
 * NULL; caller frees with mc_report_free) and, as JSON, into the record.
 * A report with a FAIL refuses the submission with MC_ERR_INVALID (err
 * holds the first failure); warnings do not.
 */
MC_API MC_NODISCARD mc_status mc_qa_submit(mc_store *s, const char *provider, const char *tpl, int64_t version,
                                           const mc_qa_actor *who, mc_report **checks, mc_err *err);

/* Record the decision of approval step step_id on a submitted version.
 * The step must be the pending one (steps go in chain order) and the
 * actor's role the step's role. The last approval makes the version
 * approved; reject makes it rejected (its template is retired so edits
 * start a new version); request-changes sends it back to draft. comment
 * may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_decide(mc_store *s, const char *tpl, int64_t version, const char *step_id,
                                           mc_qa_decision d, const char *comment, const mc_qa_actor *who,
                                           mc_err *err);

/* Publish an approved or modified version (role qa-officer): the template
 * is published, the next review is due after the provider's interval, and
 * an older published version of the same template becomes superseded
 * (its template retired; its credentials stay valid). */
MC_API MC_NODISCARD mc_status mc_qa_publish(mc_store *s, const char *tpl, int64_t version, const mc_qa_actor *who,
                                            mc_err *err);

/* Open a review of a published version (qa-officer); reason may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_review_start(mc_store *s, const char *tpl, int64_t version,
                                                 const char *reason, const mc_qa_actor *who, mc_err *err);
/* Close a review without changes: published again, next review due one
 * interval from now (qa-officer). */
MC_API MC_NODISCARD mc_status mc_qa_review_close(mc_store *s, const char *tpl, int64_t version,
                                                 const char *comment, const mc_qa_actor *who, mc_err *err);

/* Set the next review of a published or under-review version to `due`
 * (unix seconds, > 0), overriding the interval, e.g. an earlier review
 * after poor feedback (qa-officer). */
MC_API MC_NODISCARD mc_status mc_qa_review_schedule(mc_store *s, const char *tpl, int64_t version, int64_t due,
                                                    const mc_qa_actor *who, mc_err *err);

/* What mc_qa_modify did. */
typedef struct mc_qa_modify_result {
	/* the new version */
	int64_t version;
	/* 1: a substantial field changed, the new version is a draft that
	 * needs the approval chain; 0: minor change, it is "modified" and may
	 * be published at once */
	int reapproval;
	/* JSON array of every changed achievement member, and of the
	 * substantial ones; caller frees both with mc_free */
	char *changed;
	char *substantial;
} mc_qa_modify_result;

/* Modify a published or under-review version (proposer or qa-officer):
 * json (the whole new achievement) becomes the next template version. The
 * members that differ are compared with the provider's
 * "substantialChanges". The version must be the template's latest; a
 * retired, rejected or superseded one cannot be modified. */
MC_API MC_NODISCARD mc_status mc_qa_modify(mc_store *s, const char *tpl, int64_t version, const char *json,
                                           const mc_qa_actor *who, mc_qa_modify_result *out, mc_err *err);
MC_API void mc_qa_modify_result_clear(mc_qa_modify_result *r);

/* Retire a version (qa-officer) from published, under review, approved
 * or modified: the template is retired (no new issuance; what was issued
 * stays valid and verifiable), and one notification record is written for
 * each credential of the template that is not revoked, naming its learner
 * id, for the front-end to deliver. *notified (may be NULL) gets the
 * count. reason may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_retire(mc_store *s, const char *tpl, int64_t version, const char *reason,
                                           const mc_qa_actor *who, size_t *notified, mc_err *err);

/* The record of a version as JSON: state, provider, chain with the
 * pending step, stored formal checks, dates, review due, history of
 * decisions (every lifecycle step with actor, role, comment, date) and
 * the number of retirement notifications. */
MC_API MC_NODISCARD mc_status mc_qa_spec_json(mc_store *s, const char *tpl, int64_t version, char **json,
                                              mc_err *err);
/* Retirement notifications of a template: [{"version","credential",
 * "learner","created"}]. */
MC_API MC_NODISCARD mc_status mc_qa_notifications(mc_store *s, const char *tpl, char **json, mc_err *err);
/* Published or under-review versions whose review is due before `now`
 * (0 = the clock), oldest due first: [{"template","version","provider",
 * "state","reviewDue","daysOverdue"}]. provider NULL lists every one. */
MC_API MC_NODISCARD mc_status mc_qa_overdue(mc_store *s, const char *provider, int64_t now, char **json,
                                            mc_err *err);

/* ---- Feedback --------------------------------------------------------- */

/*
 * A questionnaire is data (docs/qa.md):
 *   {"id": "learner-default", "audience": "learner"|"employer"|"peer",
 *    "title": string, "questions": [{"id", "type": "scale"|"yesno"|"text",
 *    "text": string, "required": bool?}]}
 * Scale answers are integers 1..5. A response is {"answers": {question id:
 * answer}}; unknown question ids, wrong types and missing required answers
 * are errors naming the path ("$.answers.q9").
 */
MC_API MC_NODISCARD mc_status mc_qa_questionnaire_check(const char *json, size_t len, mc_err *err);
/* Check a response against a questionnaire (both strict JSON). */
MC_API MC_NODISCARD mc_status mc_qa_response_check(const char *questionnaire, size_t qlen, const char *response,
                                                   size_t rlen, mc_err *err);
/* The shipped default questionnaire of an audience ("learner",
 * "employer", "peer"); NULL for any other. */
MC_API const char *mc_qa_questionnaire_default(const char *audience);
/* Save a questionnaire: a new version when its text differs from the
 * latest (responses keep the version they answered). *version may be NULL.
 * audit "feedback.questionnaire". */
MC_API MC_NODISCARD mc_status mc_qa_questionnaire_save(mc_store *s, const char *json, const mc_qa_actor *who,
                                                       int64_t *version, mc_err *err);
/* Version (0 = latest) of questionnaire id; an unknown id that names a
 * shipped default ("learner-default", ...) is saved first. */
MC_API MC_NODISCARD mc_status mc_qa_questionnaire_get(mc_store *s, const char *id, int64_t version, char **json,
                                                      int64_t *got_version, mc_err *err);

/* Every stored questionnaire, latest version each, the shipped defaults
 * first saved: [{"id","version","audience","title"}] by id. */
MC_API MC_NODISCARD mc_status mc_qa_questionnaire_list(mc_store *s, char **json, mc_err *err);

/* One response to record. */
typedef struct mc_qa_response_in {
	/* questionnaire id and version (0 = latest) */
	const char *questionnaire;
	int64_t questionnaire_version;
	/* the specification; template_version 0 = the credential's (learner)
	 * or the latest published version */
	const char *template_id;
	int64_t template_version;
	/* learners: the credential they hold (required; one response per
	 * credential and questionnaire); others: NULL */
	const char *credential_id;
	/* employers and peers: organisation or reviewer name; may be NULL;
	 * never exported for learners */
	const char *respondent;
	/* {"answers": {...}} */
	const char *answers;
} mc_qa_response_in;

/* Record a response; *id (may be NULL) receives its new id (urn:uuid). */
MC_API MC_NODISCARD mc_status mc_qa_respond(mc_store *s, const mc_qa_response_in *in, const mc_qa_actor *who,
                                            char **id, mc_err *err);
/* Learners to invite after completion: credentials of tpl (any version)
 * that are neither revoked nor erased and have not answered questionnaire
 * q, oldest first: [{"credential","learner","version","issued"}]. For the
 * front-end that sends the invitations; never published. */
MC_API MC_NODISCARD mc_status mc_qa_feedback_pending(mc_store *s, const char *tpl, const char *q, char **json,
                                                     mc_err *err);
/* Aggregates per questionnaire version for a template (version 0 = all
 * versions together). Any group with fewer than min_group responses (0 =
 * the provider's configuration, else MC_QA_MIN_GROUP_DEFAULT; values below
 * MC_QA_MIN_GROUP_FLOOR are MC_ERR_VALUE) is returned as {"suppressed":
 * true} with no counts at all, and so is any question answered fewer
 * times. Free-text answers are counted, never shown. */
MC_API MC_NODISCARD mc_status mc_qa_feedback_aggregate(mc_store *s, const char *tpl, int64_t version,
                                                       int min_group, char **json, mc_err *err);
/* Responses to questionnaire q (all its versions) about tpl (version 0 =
 * all) as RFC 4180 CSV: response id, questionnaire version, audience,
 * template, version, date (day only), then one column per question. No
 * credential, learner or respondent column. Cells that start with = + - @
 * get a leading ' (spreadsheet formula injection). */
MC_API MC_NODISCARD mc_status mc_qa_feedback_csv(mc_store *s, const char *q, const char *tpl, int64_t version,
                                                 char **csv, mc_err *err);

/* ---- Outcome signals ---------------------------------------------------- */

typedef struct mc_qa_recognition_in {
	const char *template_id;
	int64_t template_version;    /* 0 = unknown */
	const char *credential_id;   /* may be NULL */
	const char *institution;     /* required: who decided */
	const char *country;         /* ISO 3166-1 alpha-2 or NULL */
	const char *decision;        /* "recognised", "partially-recognised", "not-recognised" */
	const char *purpose;         /* "admission", "credit transfer", ...; may be NULL */
	int64_t decided_at;          /* unix seconds; 0 = now */
} mc_qa_recognition_in;

typedef struct mc_qa_employment_in {
	const char *template_id;
	int64_t template_version;    /* 0 = unknown */
	const char *credential_id;   /* may be NULL */
	int months_after;            /* months after completion, 0..120 */
	const char *status;          /* "employed", "self-employed", "unemployed", "studying", "other" */
	int in_field;                /* 1 yes, 0 no, -1 unknown */
} mc_qa_employment_in;

MC_API MC_NODISCARD mc_status mc_qa_recognition_add(mc_store *s, const mc_qa_recognition_in *in,
                                                    const mc_qa_actor *who, mc_err *err);
MC_API MC_NODISCARD mc_status mc_qa_employment_add(mc_store *s, const mc_qa_employment_in *in,
                                                   const mc_qa_actor *who, mc_err *err);
/* Recognition decisions (by decision, institutions) and employment
 * follow-ups (rates; suppressed below min_group as for feedback) of tpl
 * (version 0 = all). */
MC_API MC_NODISCARD mc_status mc_qa_outcomes(mc_store *s, const char *tpl, int64_t version, int min_group,
                                             char **json, mc_err *err);

/* ---- Public QA page (ESG 1.8) ------------------------------------------- */

/* The provider's public QA information as JSON: policy, the approval
 * process (from the chain), the review cycle, and each specification the
 * provider took through QA with its status, dates and (when the provider
 * opted in with "publishFeedback") its feedback aggregates. */
MC_API MC_NODISCARD mc_status mc_qa_public_page(mc_store *s, const char *provider, int64_t now, char **json,
                                                mc_err *err);

/* The feedback aggregates of template tpl (version 0 = its newest published
 * one) as the public QA page shows them, for the catalogue: MC_ERR_MISSING
 * unless the specification is published (or under review) and its provider
 * opted in with "publishFeedback". Groups below the provider's minimum
 * size are withheld as in mc_qa_feedback_aggregate. */
MC_API MC_NODISCARD mc_status mc_qa_public_feedback(mc_store *s, const char *tpl, int64_t version, char **json,
                                                    mc_err *err);

/* ---- Maturity self-assessment (EDEH Part 4) ------------------------------ */

typedef enum mc_qa_colour {
	MC_QA_RED = 0,    /* serious effort needed for the next step */
	MC_QA_YELLOW = 1, /* good progress, substantial room for improvement */
	MC_QA_GREEN = 2   /* on track */
} mc_qa_colour;

/* "red", "yellow", "green". */
MC_API MC_NODISCARD mc_status mc_qa_colour_parse(const char *s, mc_qa_colour *out);

/* The EDEH maturity model shipped with mcred (data/qa/maturity_edeh.json):
 * areas (business, technology, qa, elements) and their questions. */
MC_API const char *mc_qa_maturity_model(void);

/* Workshop stages: participants give first indications (hidden from one
 * another), then discuss (everything visible; scores now revise the first
 * indication), then the session is closed (read-only). */
typedef enum mc_qa_stage {
	MC_QA_STAGE_FIRST = 0,
	MC_QA_STAGE_DISCUSSION = 1,
	MC_QA_STAGE_CLOSED = 2
} mc_qa_stage;

/* New session; *id receives its id ("urn:uuid:..."). provider may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_maturity_new(mc_store *s, const char *provider, const char *title,
                                                 const mc_qa_actor *who, char **id, mc_err *err);
/* Sessions, newest first (provider NULL = all): [{"id","provider","title",
 * "stage","created","closed"}]. */
MC_API MC_NODISCARD mc_status mc_qa_maturity_list(mc_store *s, const char *provider, char **json, mc_err *err);
/* Score question (a model id such as "T5") for participant: a first
 * indication in the first stage, a revision in discussion; scoring again
 * replaces the earlier score of that stage. note may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_maturity_score(mc_store *s, const char *session, const char *participant,
                                                   const char *question, mc_qa_colour c, const char *note,
                                                   mc_err *err);
/* Move a session forward (first -> discussion -> closed). */
MC_API MC_NODISCARD mc_status mc_qa_maturity_stage(mc_store *s, const char *session, mc_qa_stage to,
                                                   const mc_qa_actor *who, mc_err *err);
/* Record an action (question may be NULL for a general one; owner may be NULL). */
MC_API MC_NODISCARD mc_status mc_qa_maturity_action(mc_store *s, const char *session, const char *question,
                                                    const char *text, const char *owner, mc_err *err);
/* What the platform can see for itself, per question, from the store:
 * [{"question","colour","evidence"}] (credentials carry every mandatory
 * element; W3C VC; revocation; automated issuance; learner feedback
 * published; ...). provider may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_maturity_propose(mc_store *s, const char *provider, char **json, mc_err *err);
/* The session for display: model questions with each participant's
 * indications (first and revised), counts, the resulting colour, the
 * platform's proposal and the actions. In the first stage a viewer sees
 * only their own indications and how many others scored (viewer NULL: the
 * facilitator, sees all). */
MC_API MC_NODISCARD mc_status mc_qa_maturity_view(mc_store *s, const char *session, const char *viewer,
                                                  char **json, mc_err *err);
/* Compare two sessions question by question (resulting colours and the
 * change: "better", "worse", "same", "new", "gone"). */
MC_API MC_NODISCARD mc_status mc_qa_maturity_compare(mc_store *s, const char *older, const char *newer,
                                                     char **json, mc_err *err);
/* The boardroom canvas of a view (mc_qa_maturity_view output) as a
 * standalone SVG document: areas as rows, questions as cells with one
 * coloured mark per participant, counts, and the resulting colour. Pure:
 * no store. */
MC_API MC_NODISCARD mc_status mc_qa_maturity_svg(const char *view, size_t len, char **svg, mc_err *err);
/* A printable HTML page (A3 landscape): the canvas, then every question
 * with indications, notes, the proposal and the actions. Pure. */
MC_API MC_NODISCARD mc_status mc_qa_maturity_html(const char *view, size_t len, char **html, mc_err *err);

/* ---- Invitations (feedback by single-use link) --------------------------- */

/* Days an invitation stays valid by default: a term plus the holidays. */
#define MC_QA_INVITE_DAYS_DEFAULT 90
/* Longest validity that may be asked for: one year. */
#define MC_QA_INVITE_DAYS_MAX 366
/* Characters of an invitation token without NUL: "mqi_" + base64url of 32
 * random bytes. Only its SHA-256 is stored (a copy of the table hands out
 * nothing). */
#define MC_QA_INVITE_CHARS 47u

/* What an invitation asks. */
typedef struct mc_qa_invite_in {
	/* "learner", "employer" or "peer": the role the answer is recorded with */
	const char *audience;
	/* questionnaire id (its audience must match); NULL = "<audience>-default" */
	const char *questionnaire;
	/* the specification; for learners the credential's (may be NULL then) */
	const char *template_id;
	int64_t template_version; /* 0 = the credential's or the latest published */
	/* learners: the credential they hold (required) */
	const char *credential_id;
	/* employers and peers: who is asked (organisation); may be NULL */
	const char *respondent;
	/* validity in days, 1..MC_QA_INVITE_DAYS_MAX; 0 = the default */
	int days;
} mc_qa_invite_in;

/* Create an invitation (role qa-officer) and write its token to token
 * (the only time it exists in clear; the link carries it). audit
 * "feedback.invite" with the invitation's short id (first 12 hex of the
 * hash), never the token. */
MC_API MC_NODISCARD mc_status mc_qa_invite(mc_store *s, const mc_qa_invite_in *in, const mc_qa_actor *who,
                                           char token[MC_QA_INVITE_CHARS + 1], mc_err *err);
/* What the form shows for a token: {"invitation" (short id), "audience",
 * "template","version","title","respondent","expires","questionnaire":
 * {...}}. MC_ERR_MISSING for an unknown token; MC_ERR_VALUE with path
 * "invitation" and "conflict" in the message when used or expired. */
MC_API MC_NODISCARD mc_status mc_qa_invite_get(mc_store *s, const char *token, char **json, mc_err *err);
/* Answer an invitation once: the response ({"answers": ...}) is recorded
 * as by mc_qa_respond with the invitation's audience as role and the
 * actor "invitation:<short id>", and the invitation is spent in the same
 * transaction (a second answer is the conflict above). *id may be NULL. */
MC_API MC_NODISCARD mc_status mc_qa_invite_answer(mc_store *s, const char *token, const char *answers, char **id,
                                                  mc_err *err);
/* Invitations of a template (tpl NULL = all), newest first, without
 * tokens: [{"invitation","audience","questionnaire","template","version",
 * "credential","respondent","created","expires","used"}]. */
MC_API MC_NODISCARD mc_status mc_qa_invite_list(mc_store *s, const char *tpl, char **json, mc_err *err);

/* ---- Delivery of notifications (durable outbox) ---------------------------- */

/* Attempts before an outbox entry is given up ("failed"); with the
 * doubling back-off from 30 s that is about 4 days of trying. */
#define MC_QA_DELIVERY_ATTEMPTS_DEFAULT 12
/* Seconds a sender holds an entry it is delivering; another sender (or a
 * rerun after a crash) takes it over only after this. */
#define MC_QA_DELIVERY_LEASE_DEFAULT 60
/* Longest target (URL or mailto: address) and secret of a subscriber. */
#define MC_QA_TARGET_MAX 2048
#define MC_QA_SECRET_MAX 256
/* Shortest HMAC secret: 16 bytes keeps HMAC-SHA256 forgery out of reach. */
#define MC_QA_SECRET_MIN 16
/* Email target meaning "each holder's own address" (see below). */
#define MC_QA_TARGET_HOLDERS "holders"

/*
 * Subscribers receive every retirement notification written after they
 * were added (no backlog: a new system does not get years of old mail):
 * kind "webhook" (target an http(s) URL; HTTP POST of the JSON payload)
 * or "email" (target "mailto:addr"; sent through the SMTP server of the
 * send options). The email target MC_QA_TARGET_HOLDERS ("holders") writes
 * to each holder instead: the address in the learner record of the
 * credential (a plain-text letter, not the JSON); an entry whose learner
 * has no address (none given, or erased) fails at once, never retried. Each delivery is signed with HMAC-SHA256 under the
 * subscriber's secret: header X-Mcred-Signature "t=<unix>,v1=<hex of
 * HMAC(secret, "<unix>.<body>")>", and carries the stable delivery id
 * (header Idempotency-Key, member "id") so a receiver drops a repeat.
 * audit "notify.subscriber".
 */
MC_API MC_NODISCARD mc_status mc_qa_subscriber_add(mc_store *s, const char *id, const char *kind,
                                                   const char *target, const char *secret, const mc_qa_actor *who,
                                                   mc_err *err);
/* Stop delivering to a subscriber (kept for the record; its entries still
 * due are not sent); MC_ERR_MISSING when no active one has this id. */
MC_API MC_NODISCARD mc_status mc_qa_subscriber_remove(mc_store *s, const char *id, const mc_qa_actor *who,
                                                      mc_err *err);
/* [{"id","kind","target","active","created"}] (never the secret). */
MC_API MC_NODISCARD mc_status mc_qa_subscriber_list(mc_store *s, char **json, mc_err *err);

/* One delivery as a transport sees it. */
typedef struct mc_qa_delivery {
	const char *kind;      /* "webhook" or "email" */
	const char *target;    /* URL or "mailto:addr" */
	const char *key;       /* delivery id: hex SHA-256 of subscriber, template, version, credential */
	const char *body;      /* JSON payload (docs/qa.md) */
	size_t len;
	const char *signature; /* X-Mcred-Signature value */
	/* a holders subscriber: target is the holder's "mailto:addr" and text
	 * the plain-text letter to send instead of body; NULL otherwise */
	const char *text;
} mc_qa_delivery;

/* A transport: MC_OK when the receiver accepted the delivery; anything
 * else is a failure, retried later, with why (cap bytes) saying what. */
typedef mc_status (*mc_qa_send_fn)(void *ctx, const mc_qa_delivery *d, char *why, size_t cap);

typedef struct mc_qa_send_opts {
	/* NULL: the built-in libcurl transport (HTTP POST; SMTP for email) */
	mc_qa_send_fn send;
	void *ctx;
	/* built-in transport: SMTP server URL ("smtp://host:port") and sender
	 * address for email subscribers; timeout per delivery (0 = 10 s) */
	const char *smtp_url;
	const char *mail_from;
	long timeout_seconds;
	/* most entries this pass (0 = every due one) */
	size_t max;
	/* lease seconds (0 = MC_QA_DELIVERY_LEASE_DEFAULT) */
	int64_t lease;
	/* attempts before giving up (0 = MC_QA_DELIVERY_ATTEMPTS_DEFAULT) */
	int max_attempts;
	/* the clock (0 = now); tests move it */
	int64_t now;
} mc_qa_send_opts;

typedef struct mc_qa_send_stats {
	size_t queued;    /* new outbox entries made from notifications this pass */
	size_t delivered; /* accepted by the receiver this pass */
	size_t retry;     /* failed this pass, will be retried */
	size_t failed;    /* failed for the last time this pass */
} mc_qa_send_stats;

/*
 * One delivery pass: first every notification x active subscriber pair
 * without an outbox entry gets one (so the outbox is complete even when
 * retirement happened in another process), then each due entry is
 * claimed (a conditional update: two senders never hold one entry),
 * handed to the transport and marked delivered, or rescheduled with a
 * doubling back-off (30 s, 1 min, ...), or failed after max_attempts.
 * The outbox is durable: a sender killed mid-pass leaves its claimed
 * entry to be taken over after the lease, and delivered entries are never
 * sent again. A receiver may see one entry twice only when the sender
 * died between the receiver's answer and the commit; the delivery id is
 * the same then. Errors of single deliveries are in the outbox, not in
 * the return value (store failures are).
 */
MC_API MC_NODISCARD mc_status mc_qa_outbox_send(mc_store *s, const mc_qa_send_opts *o, mc_qa_send_stats *stats,
                                                mc_err *err);
/* The outbox (tpl NULL = all): [{"id","subscriber","template","version",
 * "credential","state","attempts","nextAttempt","lastError","delivered"}]. */
MC_API MC_NODISCARD mc_status mc_qa_outbox_list(mc_store *s, const char *tpl, char **json, mc_err *err);
/* The signature header value for body under secret at time t (what a
 * receiver recomputes): "t=<t>,v1=<64 hex>" into out. */
MC_API MC_NODISCARD mc_status mc_qa_sign(const char *secret, int64_t t, const char *body, size_t len,
                                         char out[96], mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_QA_H */
