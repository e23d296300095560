/*
 * internal.h - declarations shared across libmcred's modules (mc__ names).
 * Never installed, never included by src/cli.
 */
#ifndef MC_INTERNAL_H
#define MC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "mcred/mcred.h"

#define MC__UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define MC__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MC__PRINTF(a, b)
#endif

/* Record the first failure in err (if err is non-NULL and still MC_OK) and
 * return st, so callers write `return mc__fail(err, MC_ERR_VALUE, path, ...)`.
 * path may be NULL. */
mc_status mc__fail(mc_err *err, mc_status st, const char *path, const char *fmt, ...) MC__PRINTF(4, 5);
/* mc__fail at the path base.key (mc__path_key; key NULL: base itself). */
mc_status mc__fail_at(mc_err *err, mc_status st, const char *base, const char *key, const char *fmt, ...)
	MC__PRINTF(5, 6);
mc_status mc__fail_atv(mc_err *err, mc_status st, const char *base, const char *key, const char *fmt, va_list ap)
	MC__PRINTF(5, 0);

/* ---- JSON (src/json) ------------------------------------------------- */

/* Strictly parse buf (see json.h) into a cJSON tree. On failure returns
 * NULL and fills err. Caller frees with cJSON_Delete. */
cJSON *mc__json_parse(const char *buf, size_t len, mc_err *err);
/* The same, returning the status (robust when err already holds an earlier
 * failure). *out is NULL on failure. */
mc_status mc__json_load(const char *buf, size_t len, cJSON **out, mc_err *err);

/* Append the RFC 8785 canonical form of node to a growing buffer. */
typedef struct mc__buf {
	char *data;       /* heap, NUL-terminated when len > 0 */
	size_t len;       /* bytes used, excluding NUL */
	size_t cap;       /* bytes allocated */
	size_t limit;     /* ceiling; growth past it fails with MC_ERR_TOO_LARGE */
	mc_status status; /* sticky: first failure, then every append is a no-op */
} mc__buf;

void mc__buf_init(mc__buf *b, size_t limit);
void mc__buf_add(mc__buf *b, const void *p, size_t n);
/* Room for n more bytes (and a NUL) at the end of b, for a caller that
 * writes them itself and then adds n to b->len (and writes the NUL); NULL
 * (b->status set) past the limit or out of memory. */
char *mc__buf_room(mc__buf *b, size_t n);
void mc__buf_adds(mc__buf *b, const char *s);
void mc__buf_addf(mc__buf *b, const char *fmt, ...) MC__PRINTF(2, 3);
/* Hand the data to the caller (who frees it) and reset b. NULL on error. */
char *mc__buf_take(mc__buf *b, size_t *len);
void mc__buf_release(mc__buf *b);

mc_status mc__jcs_node(const cJSON *node, mc__buf *b);
/* JCS of an object, recording member i's key and start offset in b
 * (keys/offs have room for every member), in canonical order. */
mc_status mc__jcs_object_offsets(const cJSON *obj, mc__buf *b, const char **keys, size_t *offs);
/* RFC 8785 member order of two UTF-8 keys (UTF-16 code units): <0, 0, >0. */
int mc__jcs_key_cmp(const char *a, const char *b);

/* Object member by exact key (case-sensitive, unlike cJSON_GetObjectItem). */
cJSON *mc__json_get(const cJSON *obj, const char *key);
/* Print a tree (pretty when pretty != 0) into a malloc'd string, also
 * inside an arena (the result is always mc_free-able). */
char *mc__json_print(const cJSON *node, int pretty);

/* Per-thread arena for cJSON trees (src/json/arena.c): every cJSON
 * allocation between begin and end comes from it, cJSON_Delete of it is
 * free, end releases it. Nests. Nothing made inside may outlive end. */
void mc__arena_install(void); /* once, from mc_init */
void mc__arena_begin(void);
void mc__arena_end(void);
void mc__arena_suspend(void);
void mc__arena_resume(void);
/* malloc/calloc/realloc/free that use the arena while one is open on this
 * thread (free of arena memory does nothing) and libc otherwise. For
 * structures whose life ends inside the operation, such as the model read
 * while verifying; memory may be freed with mc__free whatever its origin. */
void *mc__malloc(size_t n);
void *mc__calloc(size_t n, size_t size);
void *mc__realloc(void *p, size_t n);
void mc__free(void *p);

/* Append a JSON-path step to path (cap bytes): key or [index]. */
void mc__path_key(char *path, size_t cap, const char *base, const char *key);
void mc__path_index(char *path, size_t cap, const char *base, size_t index);

/* ---- Time (src/util) ------------------------------------------------- */

/* Parse an XML Schema dateTime / ISO 8601 "YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)"
 * to unix seconds. Returns false on any deviation. When allow_date is set,
 * a bare "YYYY-MM-DD" is accepted as midnight UTC. */
bool mc__time_parse(const char *s, bool allow_date, int64_t *out);
/* Format unix seconds as "YYYY-MM-DDThh:mm:ssZ" (21 bytes with NUL). */
void mc__time_format(int64_t t, char out[32]);
int64_t mc__time_now(void);

/* Random v4 UUID URN "urn:uuid:xxxxxxxx-...." (46 bytes with NUL). */
void mc__uuid_urn(char out[48]);
/* Time-ordered v7 UUID URN (RFC 9562: 48-bit Unix milliseconds, then 74
 * random bits), for credential ids: they are the archive's primary key, and
 * keys that grow with time append to the index instead of landing on a
 * random page of it (at a million credentials, random keys made each insert
 * touch a page the cache no longer held). The time it reveals is the time
 * of issue, which the credential states anyway. */
void mc__uuid7_urn(char out[48]);

/* ---- Reports (src/util/report.c) ------------------------------------ */

mc_report *mc__report_new(void);
/* Append an entry; returns MC_ERR_NOMEM on failure (the report stays valid). */
mc_status mc__report_add(mc_report *r, const char *check, mc_result res, mc_status code,
                         const char *path, const char *fmt, ...) MC__PRINTF(6, 7);
/* Move every entry of src to the end of dst, then free src. */
mc_status mc__report_merge(mc_report *dst, mc_report *src);

/* A BitstringStatusListEntry object (mc_status_entry's tree; caller owns
 * *out). */
mc_status mc__status_entry_tree(const char *list_credential, mc_status_purpose purpose, uint64_t index, cJSON **out,
                                mc_err *err);

/* mc_store_credential_add_batch for rows whose json libmcred serialised
 * from a tree it built and signed in this call (issuance): every field is
 * checked except that json is not parsed again, which on a 3 KB credential
 * cost a tenth of issuing it. Never for json that came from outside. */
mc_status mc__store_credential_add_signed(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                                          uint8_t *inserted, mc_err *err);

/* ---- Documents (src/vc/doc.c) -------------------------------------- */

/* Wrap a tree in a new mc_doc that owns it. On failure deletes root and
 * returns NULL. The tree must come from malloc, unless the doc is freed
 * before the arena the tree came from ends (bulk issuance does that). */
mc_doc *mc__doc_wrap(cJSON *root);

/* The achievement and issuer documents of mc_credential_build parsed once,
 * for issuing many credentials from one template (src/model/build.c). The
 * trees are only read while building, so threads may share one. */
typedef struct mc__build_prep {
	cJSON *ach, *iss;
} mc__build_prep;
mc_status mc__build_prepare(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                            mc__build_prep *p, mc_err *err);
void mc__build_prep_release(mc__build_prep *p);
/* mc_credential_build's tree for one learner document (caller owns *out),
 * from prepared documents or from the three texts. */
mc_status mc__build_tree(const mc__build_prep *p, const char *learner, size_t llen, const mc_build_opts *opts,
                         cJSON **out, mc_err *err);
mc_status mc__build_tree_texts(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                               const char *learner, size_t llen, const mc_build_opts *opts, cJSON **out,
                               mc_err *err);

/* ---- JSON-LD (src/jsonld) ------------------------------------------- */

/* mc_jsonld_to_rdf on a parsed document (strict tree), so signing and
 * verifying with the rdfc suites do not print and reparse the credential. */
mc_status mc__jsonld_to_rdf_tree(const cJSON *doc, mc_jsonld_loader *loader, const mc_jsonld_opts *opts,
                                 mc_rdf_dataset **out, mc_err *err);
/* SHA-256 of the RDFC-1.0 canonical N-Quads of ds (what the rdfc suites
 * sign), hashed where canonicalization sorted them: no output copy. */
mc_status mc__rdfc_sha256(const mc_rdf_dataset *ds, uint8_t out[32], mc_err *err);

/* ---- Model (src/model) --------------------------------------------- */

/* Add an "eu-elements" MC_FAIL entry to rep for every missing or invalid EU
 * element of the parsed credential root; adds nothing when all are valid.
 * When extract is not NULL and nothing failed, *extract gets the compact
 * mc_credential_extract text of the same model (malloc). Returns MC_OK or
 * MC_ERR_NOMEM (findings are in rep, not in the status). */
mc_status mc__credential_validate_tree(const cJSON *root, mc_report *rep, char **extract);

/* Return the status of expr from the enclosing function unless it is MC_OK. */
#define MC__CHECK(expr)                         \
	do {                                    \
		mc_status check_st_ = (expr);   \
		if (check_st_ != MC_OK)         \
			return check_st_;       \
	} while (0)

#endif /* MC_INTERNAL_H */
