/*
 * qa_internal.h - what the files of src/qa share: the embedded data, the
 * provider configuration read into a struct, argument checks, the audit
 * helper and small JSON builders. The QA tables are written through the
 * store's SQL executor (store_internal.h) like the store's own operations,
 * so both back-ends run the same statements.
 */
#ifndef MC_QA_INTERNAL_H
#define MC_QA_INTERNAL_H

#include "internal.h"
#include "mcred/qa.h"
#include "store/store_internal.h"

/* Embedded from data/qa/ by the Makefile (scripts/embed.sh). */
extern const char mc__qa_data_config_default[];
extern const char mc__qa_data_questionnaire_learner[];
extern const char mc__qa_data_questionnaire_employer[];
extern const char mc__qa_data_questionnaire_peer[];
extern const char mc__qa_data_maturity_edeh[];

/* A provider's configuration, read and checked (mc_qa_config_check). */
typedef struct qa__config {
	/* the parsed document; the pointers below point into it */
	cJSON *root;
	const char *policy;
	const char *review_cycle;
	/* the approvalChain array */
	const cJSON *chain;
	/* the substantialChanges array */
	const cJSON *substantial;
	int review_days;
	int min_group;
	int publish_feedback;
} qa__config;

/* Parse and check a configuration; err paths are JSON paths. */
mc_status qa__config_parse(const char *json, size_t len, qa__config *out, mc_err *err);
/* The provider's stored configuration ("" = default provider), else the
 * shipped default. */
mc_status qa__config_load(mc_store *s, const char *provider, qa__config *out, mc_err *err);
void qa__config_release(qa__config *c);

/* Argument checks: ids are 1..MC_STORE_ID_MAX bytes of text; free text
 * up to MC_QA_TEXT_MAX (NULL allowed when optional). */
mc_status qa__id(mc_err *err, const char *v, const char *path);
mc_status qa__text(mc_err *err, const char *v, const char *path, bool optional);
mc_status qa__actor(mc_err *err, const mc_qa_actor *who);
/* The arguments of the JSON readers scoped by provider (NULL = all or the
 * default) at time now (0 = the clock); clears *json. */
mc_status qa__provider_args(mc_store *s, char **json, const char *provider, int64_t now, mc_err *err);
/* MC_ERR_VALUE naming the first member of object o not in keys
 * (NULL-terminated): in a hand-written document it is nearly always a typo. */
mc_status qa__known_keys(const cJSON *o, const char *base, const char *const *keys, mc_err *err);
/* Short ids of steps, questions, questionnaires: [a-z0-9.-]{1,64}. */
bool qa__short_id(const char *s);

/* Append an audit entry: actor and role from who, details an object to
 * which "role" is added (consumed; may be NULL). */
mc_status qa__audit(mc_store *s, const mc_qa_actor *who, const char *action, const char *subject, cJSON *details,
                    mc_err *err);

/* JSON helpers that keep going after an allocation failure and let the
 * final print report it: cJSON_Add* return NULL then, and print of a tree
 * with a missing member would silently drop it, so failures are counted. */
typedef struct qa__js {
	bool nomem;
} qa__js;
cJSON *qa__obj(qa__js *j, cJSON *parent, const char *key);
cJSON *qa__arr(qa__js *j, cJSON *parent, const char *key);
void qa__str(qa__js *j, cJSON *o, const char *key, const char *v);  /* NULL -> null */
void qa__num(qa__js *j, cJSON *o, const char *key, double v);
void qa__bool(qa__js *j, cJSON *o, const char *key, bool v);
void qa__date(qa__js *j, cJSON *o, const char *key, int64_t t);    /* 0 -> null */
/* Add a parsed JSON text (NULL or unparsable -> null). */
void qa__raw(qa__js *j, cJSON *o, const char *key, const char *json);
/* Append to an array. */
void qa__push(qa__js *j, cJSON *arr, cJSON *item);
/* Print root compactly into *out and delete it. */
mc_status qa__finish(qa__js *j, cJSON *root, char **out, mc_err *err);

/* Row callback: column 0 as a malloc'd string into *(char **)ctx. */
mc_status qa__row_text(void *ctx, const mc__val *cols, int n);

/* The template JSON of (tpl, version); version 0 = latest. */
mc_status qa__template_json(mc_store *s, const char *tpl, int64_t version, int64_t *got, char **json,
                            mc_err *err);
/* The title of an achievement in its default language ("" when none). */
const char *qa__title(const cJSON *ach);

/* Formal checks of an achievement (lifecycle.c): a new report. */
mc_status qa__formal_checks(const char *json, mc_report **out, mc_err *err);

/* The smallest group shown for tpl: asked when non-zero (at least
 * MC_QA_MIN_GROUP_FLOOR), else its provider's configuration. */
mc_status qa__min_group(mc_store *s, const char *tpl, int asked, int *out, mc_err *err);

/* Feedback aggregates of tpl as a cJSON tree (feedback.c), used by the
 * public page. */
mc_status qa__aggregate_tree(mc_store *s, const char *tpl, int64_t version, int min_group, cJSON **out,
                             mc_err *err);

#endif /* MC_QA_INTERNAL_H */
