/*
 * trust_internal.h - helpers shared by the trust modules (register,
 * pathways, recognition, catalogue): strict readers of JSON members that
 * name the bad field, and the register check on a parsed credential that
 * mc_verify calls.
 */
#ifndef MC_TRUST_INTERNAL_H
#define MC_TRUST_INTERNAL_H

#include <stdbool.h>

#include "internal.h"
#include "mcred/trust.h"

/* Fail with err naming base.key (or base when key is NULL). */
/* Every member of obj is one of keys (NULL-terminated); else MC_ERR_VALUE
 * "unknown field" at the first other. */
mc_status mc__tr_only(const cJSON *obj, const char *base, const char *const *keys, mc_err *err);
/* Object member `key` as a string of 1..max bytes without control
 * characters. Absent: *out = NULL and MC_ERR_MISSING when req, else MC_OK. */
mc_status mc__tr_str(const cJSON *obj, const char *base, const char *key, bool req, size_t max, const char **out,
                     mc_err *err);
/* The same, additionally an absolute IRI. */
mc_status mc__tr_iri(const cJSON *obj, const char *base, const char *key, bool req, const char **out, mc_err *err);
/* A JSON number in [lo, hi]; *present (may be NULL) says whether it was there. */
mc_status mc__tr_num(const cJSON *obj, const char *base, const char *key, bool req, double lo, double hi,
                     double *out, bool *present, mc_err *err);
/* An integer in [lo, hi]. */
mc_status mc__tr_int(const cJSON *obj, const char *base, const char *key, bool req, int64_t lo, int64_t hi,
                     int64_t *out, bool *present, mc_err *err);
/* An array member (required when req) of at most max items; *out NULL when absent. */
mc_status mc__tr_array(const cJSON *obj, const char *base, const char *key, bool req, size_t max, const cJSON **out,
                       mc_err *err);
/* A multilingual text (string or {"lang": string}) of 1..max bytes per
 * value; *first (malloc'd) is the first value, *joined (malloc'd) every
 * value joined by " " (the search text). */
mc_status mc__tr_text(const cJSON *obj, const char *base, const char *key, bool req, size_t max, char **first,
                      char **joined, mc_err *err);
/* The same for a node at an explicit path (array items). */
mc_status mc__tr_text_node(const cJSON *v, const char *path, size_t max, char **first, char **joined, mc_err *err);
/* Start of every parse entry point: out and buf must not be NULL, buf
 * must be strict JSON (*root, delete with cJSON_Delete). */
mc_status mc__tr_load(const char *buf, size_t len, const void *out, cJSON **root, mc_err *err);
/* Parse buf into a new zeroed object of size bytes with parse; on failure
 * release(obj) (which takes NULL) and *out stays NULL. */
mc_status mc__tr_new(const char *buf, size_t len, size_t size, mc_status (*parse)(void *obj, const cJSON *root, mc_err *err),
                     void (*release)(void *obj), void **out, mc_err *err);
/* Text without control characters (bytes < 0x20, 0x7f). */
bool mc__tr_plain(const char *s);
/* "YYYY-MM-DD" of a real calendar day. */
bool mc__tr_date(const char *s, int64_t *t);
/* ISCED-F prefix: 2 to 4 digits whose broad field is 00-10 or 99. */
bool mc__tr_field_prefix(const char *s);
/* Hex SHA-256 of buf. */
mc_status mc__tr_digest(const void *buf, size_t len, char out[65]);

/* strdup that tolerates NULL (returns NULL) and sets *oom on failure. */
char *mc__tr_dup(const char *s, bool *oom);

/* Sort as mc_register documents (after loading from a store, whose ORDER
 * BY may follow a locale). */
void mc__register_sort(mc_register *reg);
/* Find a provider by id (binary search over the sorted array). */
const mc_reg_provider *mc__register_find_provider(const mc_register *reg, const char *id);
/* Append the "register" finding for the parsed credential root to rep:
 * the check's result, or MC_WARN in place of MC_FAIL unless require. */
mc_status mc__register_check_tree(const mc_register *reg, const cJSON *root, int require, mc_report *rep);

/* Kind and decision codes. */
const char *mc__qa_kind_code(mc_extqa_kind k);
const char *mc__qa_decision_code(mc_extqa_decision d);
int mc__qa_kind_parse(const char *s);     /* -1 when unknown */
int mc__qa_decision_parse(const char *s); /* -1 when unknown */

#endif /* MC_TRUST_INTERNAL_H */
