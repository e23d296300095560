/*
 * model.h (internal) - the EU micro-credential as a C struct, and the four
 * conversions around it:
 *
 *   three input documents --mc__model_read_inputs-->  mc__model
 *   mc__model             --mc__model_to_credential-> credential JSON
 *   credential JSON       --mc__model_read_credential-> mc__model (+ report)
 *   mc__model             --mc__model_to_inputs-->    {"achievement","issuer","learner"}
 *
 * The readers are also the validators: they check every element while
 * reading and put EVERY problem in a report (check "eu-elements") instead of
 * stopping at the first, so one pass tells a provider all that is wrong.
 * Report paths are JSON paths in the document read, prefixed with the input
 * name for inputs ("achievement: $.ects").
 *
 * Ownership: every pointer in mc__model is owned by the model and freed by
 * mc__model_release. Builders return new cJSON trees the caller deletes.
 */
#ifndef MC_MODEL_INTERNAL_H
#define MC_MODEL_INTERNAL_H

#include <stdbool.h>

#include "internal.h"

/* Check name used for every model finding. */
#define MC__CHECK_EU "eu-elements"

/* Language used for plain-string texts when the achievement names none. */
#define MC__DEFAULT_LANG "en"

/* Namespaces of the controlled values we emit as IRIs. */
#define MC__EQF_IRI "http://data.europa.eu/snb/eqf/"
#define MC__ISCED_IRI "http://data.europa.eu/snb/isced-f/"
#define MC__ESCO_SKILL_IRI "http://data.europa.eu/esco/skill/"

/* Largest workload in hours: 180 ECTS at 30 h each is 5,400 h; twice that
 * leaves room for any national hour convention and still flags typos. */
#define MC__MAX_WORKLOAD_HOURS 10000
/* Annex I gives no ceiling; 180 ECTS is a full bachelor, beyond which a
 * "micro" credential is certainly a mistake. */
#define MC__MAX_ECTS 180.0

/* ---- multilingual text -------------------------------------------------- */

typedef struct mc__text {
	/* BCP 47 subset: "de" or "de-AT" (ISO 639-1 + optional ISO 3166 region) */
	char *lang;
	/* non-empty UTF-8 */
	char *text;
} mc__text;

/* A language map in insertion order; n == 0 means absent. */
typedef struct mc__lmap {
	mc__text *v;
	size_t n;
} mc__lmap;

void mc__lmap_release(mc__lmap *m);
mc_status mc__lmap_add(mc__lmap *m, const char *lang, const char *text);
/* Text in lang, else the first entry, else NULL. */
const char *mc__lmap_pick(const mc__lmap *m, const char *lang);
/* Same entries, any order. */
bool mc__lmap_equal(const mc__lmap *a, const mc__lmap *b);
/* {"en": "...", ...}; NULL on allocation failure. */
cJSON *mc__lmap_json(const mc__lmap *m);
/* For input-format output: a plain string when the map is one entry in the
 * default language, else the map. */
cJSON *mc__lmap_json_input(const mc__lmap *m, const char *deflang);

/* ---- controlled vocabularies (codes.c) ---------------------------------- */

typedef struct mc__vocab {
	/* what the field is, for messages ("form of participation") */
	const char *what;
	const char *const *codes;
	size_t n;
} mc__vocab;

extern const mc__vocab mc__v_participation, mc__v_assessment, mc__v_qa, mc__v_supervision, mc__v_idverif,
	mc__v_qfehea, mc__v_idscheme;

/* 1-based index of s in v, 0 when unknown. */
int mc__vocab_find(const mc__vocab *v, const char *s);
/* Code for a 1-based index (NULL for 0). */
const char *mc__vocab_code(const mc__vocab *v, int idx);
/* "a, b, c" for messages. */
void mc__vocab_list(const mc__vocab *v, char *out, size_t cap);

/* OB3 identifierType for an issuer identifier scheme (1-based), and back. */
const char *mc__idscheme_obtype(int scheme);
int mc__idscheme_from_obtype(const char *t);

bool mc__country_valid(const char *cc);
/* ISO 3166-2 shape "AT-7" whose country part is cc (when cc is a valid
 * country; otherwise any valid country part). */
bool mc__region_valid(const char *region, const char *cc);
/* "de" or "de-AT": ISO 639-1 code, optional ISO 3166-1 region. */
bool mc__lang_valid(const char *tag);
/* Four digits, broad field 00-10 or 99. */
bool mc__iscedf_valid(const char *code);
/* English name of the ISCED-F broad field of a valid code. */
const char *mc__iscedf_broad_name(const char *code);
/* Absolute IRI: scheme ":" rest, no spaces, controls or <>"{}|\^`. */
bool mc__iri_valid(const char *s);
/* local@domain, no spaces, one @. */
bool mc__email_valid(const char *s);

/* ---- the model ----------------------------------------------------------- */

typedef struct mc__outcome {
	/* the outcome statement, multilingual */
	mc__lmap text;
	/* skill IRIs: ESCO ones first, then others (the order the credential keeps) */
	char **skills;
	size_t nskills;
} mc__outcome;

/* A larger credential this one stacks into. */
typedef struct mc__stack_target {
	/* absolute IRI or NULL */
	char *id;
	mc__lmap title;
} mc__stack_target;

typedef struct mc__identifier {
	/* 1-based index in mc__v_idscheme */
	int scheme;
	char *value;
} mc__identifier;

typedef struct mc__model {
	/* --- achievement (template) --- */
	char *ach_id;             /* absolute IRI */
	char *deflang;            /* language of plain-string texts, never NULL once read */
	mc__lmap title;           /* Annex I: title (mandatory) */
	mc__lmap description;     /* OB3 requires it */
	mc__outcome *outcomes;    /* Annex I: learning outcomes (mandatory, >= 1) */
	size_t noutcomes;
	double ects;              /* Annex I: notional workload; 0 = absent */
	int workload_hours;       /* optional; 0 = absent */
	int eqf;                  /* 1..8; 0 = absent */
	int qfehea;               /* index in mc__v_qfehea; 0 = absent */
	char *nqf_framework;      /* both set or both NULL */
	char *nqf_level;
	int assessment;           /* Annex I: type of assessment (mandatory) */
	mc__lmap assessment_desc; /* optional */
	int participation;        /* Annex I: form of participation (mandatory) */
	int qa_type;              /* Annex I: type of quality assurance (mandatory) */
	mc__lmap qa_desc;
	char *qa_agency;
	char *qa_url;
	mc__lmap prerequisites;   /* optional elements from here on */
	int supervision;
	int idverif;
	bool has_stack;           /* stackability given */
	bool standalone;
	mc__stack_target *stack_into;
	size_t nstack_into;
	mc__lmap further_info;
	char iscedf[5];           /* "" = absent */
	char **languages;         /* languages of instruction/assessment */
	size_t nlanguages;
	bool has_awarding;        /* awarding body differs from the issuer */
	char *awarding_id;
	mc__lmap awarding_name;
	char *awarding_url;
	mc__lmap grading_scheme;  /* optional description of the grade scale */
	/* --- issuer --- */
	char *iss_id;
	mc__lmap iss_name;        /* Annex I: awarding body (unless has_awarding) */
	char country[3];          /* Annex I: country of the issuer */
	char *region;             /* ISO 3166-2 or NULL */
	char *iss_url;
	char *iss_email;
	mc__identifier *iss_ids;
	size_t niss_ids;
	/* --- learner --- */
	char *lr_id;              /* DID, URL or mailto: IRI */
	char *lr_name;
	char *lr_given;
	char *lr_family;
	char *lr_email;
	char *lr_student_id;
	char *lr_external_id;
	char *grade;
	char *issued;             /* Annex I: date of issuing, dateTime */
	char *valid_until;
} mc__model;

void mc__model_init(mc__model *m);
void mc__model_release(mc__model *m);
/* Field-by-field equality (texts compared as sets of (lang, text)). When
 * they differ, *where names the first field that does. */
bool mc__model_equal(const mc__model *a, const mc__model *b, const char **where);

/* ---- reading with a report (read.c) -------------------------------------- */

typedef struct mc__rd {
	mc_report *rep;   /* findings go here */
	const char *doc;  /* "achievement", ... prefixes paths; NULL for a credential */
	mc_status st;     /* MC_ERR_NOMEM once anything failed to allocate */
} mc__rd;

/* Record a problem at path (a "$..." path in the current document). */
void mc__rd_fail(mc__rd *rd, mc_status code, const char *path, const char *fmt, ...) MC__PRINTF(4, 5);

/* Field readers. Each returns 1 when the member is present and valid, 0
 * when absent (nothing reported unless `what` is non-NULL, which makes it
 * mandatory and reports "<what> is missing"), -1 when present but invalid
 * (reported). base is the object's path; key the member name. */
/* An object member that must be an object when present: NULL (with a
 * finding when `what` names a mandatory element) if absent or not an
 * object. path receives the member's JSON path. */
const cJSON *mc__rd_obj(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what,
                       char path[MC_ERR_PATH_MAX]);
int mc__rd_str(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what, char **out);
int mc__rd_text(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what,
                const char *deflang, mc__lmap *out);
int mc__rd_code(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const mc__vocab *v,
                bool mandatory, int *out);
int mc__rd_iri(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what, char **out);
/* A multilingual text at an explicit node (string or language map). */
int mc__rd_text_node(mc__rd *rd, const cJSON *node, const char *path, const char *deflang, mc__lmap *out);
/* Array member with 0..MC_MODEL_MAX_ITEMS items (a single non-array value
 * is reported). Returns the array or NULL. */
const cJSON *mc__rd_array(mc__rd *rd, const cJSON *obj, const char *base, const char *key, bool nonempty,
                          const char *what);
/* Normalise an ISO 8601 date or dateTime to dateTime text (a bare date
 * becomes midnight UTC); false if not a valid date. */
bool mc__date_norm(const char *s, char out[40], int64_t *t);
/* Has JSON-LD "type" (string or array) the given value? */
bool mc__has_type(const cJSON *node, const char *type);
/* Duplicate a string into *dst (NULL stays NULL). */
mc_status mc__strdup_to(char **dst, const char *s);
/* Append to a growable char* list. */
mc_status mc__strlist_add(char ***v, size_t *n, const char *s);

/* ---- the four conversions ------------------------------------------------- */

/* Read the three input documents (already parsed, must be objects). A
 * missing issuer id falls back to issuer_id. */
void mc__model_read_inputs(mc__model *m, const cJSON *ach, const cJSON *iss, const cJSON *lrn, const char *issuer_id,
                           mc_report *rep, mc_status *st);
/* Read the achievement document alone (the formal checks of a QA
 * submission, src/qa): the same rules and paths as mc__model_read_inputs. */
void mc__model_read_achievement(mc__model *m, const cJSON *ach, mc_report *rep, mc_status *st);
/* Read a credential; every problem goes to rep. */
void mc__model_read_credential(mc__model *m, const cJSON *cred, mc_report *rep, mc_status *st);
/* Build the credential. NULL on allocation failure. */
cJSON *mc__model_to_credential(const mc__model *m, const char *cred_id, const char *valid_from);
/* Build {"achievement":..,"issuer":..,"learner":..}. NULL on allocation failure. */
cJSON *mc__model_to_inputs(const mc__model *m);

/* First FAIL finding of rep into err (message gets "(N problems in total)"
 * when there are more). The status recorded and returned is `status`, or
 * the finding's own code when status is MC_OK; MC_OK when nothing failed. */
mc_status mc__report_first(const mc_report *rep, mc_err *err, mc_status status);

#endif /* MC_MODEL_INTERNAL_H */
