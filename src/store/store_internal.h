/*
 * store_internal.h - the back-end interface of mc_store (git's
 * ref_storage_be shape): one const vtable per back-end, the base struct
 * each back-end embeds first, and the helpers the shared operations use.
 *
 * Deliberate choice: the vtable is a small SQL executor (exec one
 * statement, exec one statement for many rows, run a script), not one
 * method per entity operation. The operations (src/store/ops_*.c) are
 * written once against it, so both back-ends share every rule (template
 * versioning, rotation, allocation) and differ only where the databases
 * do: placeholders, types, pipelining, error codes and DDL.
 */
#ifndef MC_STORE_INTERNAL_H
#define MC_STORE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"
#include "mcred/store.h"

/* Bump when the vtable changes shape; open checks it (sqlite3_io_methods
 * iVersion habit), so a stale back-end object cannot be linked silently. */
#define MC__STORE_VT_VERSION 1

/* SQL dialect, indexing per-dialect text (migrations). */
enum { MC__SQL_SQLITE = 0, MC__SQL_PG = 1, MC__SQL_N = 2 };

/* A bound parameter or a result column. Text and blob point into the
 * caller's memory (parameters) or the back-end's (columns: valid during
 * the row callback only). */
enum { MC__V_NULL = 0, MC__V_INT, MC__V_TEXT, MC__V_BLOB };
typedef struct mc__val {
	/* MC__V_* */
	int type;
	/* MC__V_INT value */
	int64_t i;
	/* text (NUL-terminated for parameters) or blob bytes */
	const void *p;
	/* bytes at p */
	size_t n;
} mc__val;

mc__val mc__v_int(int64_t i);
/* NULL s gives SQL NULL. */
mc__val mc__v_text(const char *s);
mc__val mc__v_blob(const void *p, size_t n);

/* Called once per result row; a non-MC_OK return stops the statement. */
typedef mc_status (*mc__row_fn)(void *ctx, const mc__val *cols, int ncols);

struct mc__store_vtable {
	/* "sqlite", "postgresql" */
	const char *name;
	/* MC__STORE_VT_VERSION */
	int version;
	/* MC__SQL_*: picks migration text */
	int dialect;
	/* statement that opens a write transaction */
	const char *begin_sql;
	/* open the back-end named by target (URL without a "sqlite:" prefix) */
	mc_status (*open)(const char *target, mc_store **out, mc_err *err);
	void (*close)(mc_store *s);
	/* run sql ($1..$n placeholders) with params; sql has static storage
	 * (back-ends cache prepared statements by its address); row (may be NULL) sees
	 * each result row; *changes (may be NULL) gets the rows affected */
	mc_status (*exec)(mc_store *s, const char *sql, const mc__val *params, int nparams, mc__row_fn row, void *ctx,
	                  int64_t *changes, mc_err *err);
	/* run sql for nrows parameter sets (params is nrows x nparams, row
	 * major), without a round trip per row; changes[i] gets row i's
	 * count; on failure *bad_row is the failing row (or nrows) */
	mc_status (*exec_many)(mc_store *s, const char *sql, const mc__val *params, int nparams, size_t nrows,
	                       int64_t *changes, size_t *bad_row, mc_err *err);
	/* several ;-separated statements, no parameters (DDL, tests) */
	mc_status (*script)(mc_store *s, const char *sql, mc_err *err);
	/* serialize migrators inside the migration transaction; NULL when
	 * begin_sql already does */
	mc_status (*lock_schema)(mc_store *s, mc_err *err);
};

extern const struct mc__store_vtable mc__store_sqlite;
extern const struct mc__store_vtable mc__store_pg;

/* The base every back-end struct embeds as its first member. */
struct mc_store {
	/* the back-end; checked by each back-end's downcast */
	const struct mc__store_vtable *vt;
	/* a caller transaction (mc_store_begin) is open */
	bool in_tx;
	/* nesting of internal atomic sections (BEGIN or SAVEPOINT) */
	int atomic_depth;
	/* the outermost atomic section opened its own BEGIN */
	bool atomic_began;
	/* back-end calls made, and the one to fail (0: none); test builds */
	unsigned long calls;
	unsigned long fail_at;
};

/* Back-end calls: every operation reaches the vtable through these, which
 * count calls and, in test builds, fail the chosen one. op names the
 * operation in messages ("issuer_add"). */
mc_status mc__store_exec(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                         mc__row_fn row, void *ctx, int64_t *changes, mc_err *err);
mc_status mc__store_exec_many(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                              size_t nrows, int64_t *changes, size_t *bad_row, mc_err *err);
mc_status mc__store_script(mc_store *s, const char *op, const char *sql, mc_err *err);

/* Atomic sections: BEGIN outside a transaction, SAVEPOINT inside one.
 * single: the section is one statement, which is atomic by itself outside
 * a transaction, so no BEGIN is needed (saves two round trips). end
 * commits/releases when st is MC_OK and rolls back otherwise; returns the
 * first failure. */
mc_status mc__store_atomic_begin(mc_store *s, bool single, mc_err *err);
mc_status mc__store_atomic_end(mc_store *s, mc_status st, mc_err *err);

/* One write statement as its own atomic section: a savepoint inside a
 * transaction (so a failure does not abort the caller's transaction on
 * PostgreSQL), nothing extra outside one. */
mc_status mc__store_write(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                          int64_t *changes, mc_err *err);
/* Index of a text column among names, -1 if none matches. */
int mc__name_index(const mc__val *v, const char *const *names, int n);

/* The argument checks of the mc_store_* wrappers, for modules that store
 * their own tables (src/qa): UTF-8 text without control characters, 1 to
 * max bytes (NULL allowed when optional); strict JSON that is an object. */
mc_status mc__check_text(mc_err *err, const char *v, const char *path, size_t max, bool optional);
mc_status mc__check_json_object(mc_err *err, const char *v, const char *path);

/* Apply pending migrations (schema.c). */
mc_status mc__store_migrate(mc_store *s, mc_err *err);
mc_status mc__store_schema(mc_store *s, int64_t *version, int64_t *applied, mc_err *err);

/* Row helpers. mc__col_str: malloc'd copy of a text column (NULL for SQL
 * NULL); false on allocation failure. */
bool mc__col_str(char **dst, const mc__val *v);
int64_t mc__col_int(const mc__val *v, int64_t if_null);
/* Row callback that stores column 0 as an integer into *(int64_t *)ctx. */
mc_status mc__row_int(void *ctx, const mc__val *cols, int ncols);
/* Collecting rows into structs: fill converts one row into the struct at
 * dst (zeroed beforehand) and returns MC_OK, MC_ERR_NOMEM or
 * MC_ERR_INTERNAL (wrong shape); clear frees what fill allocated. */
typedef mc_status (*mc__fill_fn)(void *dst, const mc__val *cols, int ncols);
typedef void (*mc__clear_fn)(void *dst);
typedef struct mc__rows {
	/* malloc'd array of n elements of elem bytes (cap allocated) */
	void *arr;
	size_t n, cap, elem;
	mc__fill_fn fill;
	mc__clear_fn clear;
} mc__rows;
/* Row callback appending to an mc__rows. */
mc_status mc__row_collect(void *ctx, const mc__val *cols, int ncols);
/* Free every element and the array. */
void mc__rows_release(mc__rows *r);
/* Run a query expected to return at most one row into *out (elem bytes,
 * zeroed first); MC_ERR_MISSING naming what when there is none. */
mc_status mc__get_one(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams, void *out,
                      size_t elem, mc__fill_fn fill, mc__clear_fn clear, const char *what, mc_err *err);
/* Run a query into a new array (*out, *n); the array is NULL when empty. */
mc_status mc__get_list(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                       void **out, size_t *n, size_t elem, mc__fill_fn fill, mc__clear_fn clear, mc_err *err);

/* Back-end messages: the database's own words, prefixed with the back-end
 * name, mapped to a status (constraint -> MC_ERR_VALUE, foreign key ->
 * MC_ERR_MISSING, anything else -> MC_ERR_IO). */
enum { MC__DB_IO = 0, MC__DB_CONFLICT, MC__DB_FOREIGN };
mc_status mc__store_dberr(mc_err *err, int cls, const char *backend, const char *what, const char *msg);

/* Operations shared by the back-ends (ops_*.c), called by the wrappers
 * in store.c after argument checks. Same contracts as store.h. */
mc_status mc__issuer_add(mc_store *s, const mc_store_issuer *in, mc_err *err);
mc_status mc__issuer_update(mc_store *s, const mc_store_issuer *in, mc_err *err);
mc_status mc__issuer_get(mc_store *s, const char *id, mc_store_issuer *out, mc_err *err);
mc_status mc__issuer_delete(mc_store *s, const char *id, mc_err *err);
mc_status mc__issuer_list(mc_store *s, mc_store_issuer **out, size_t *n, mc_err *err);
mc_status mc__key_add(mc_store *s, const mc_store_key *in, mc_err *err);
mc_status mc__key_get(mc_store *s, const char *key_id, mc_store_key *out, mc_err *err);
mc_status mc__key_active(mc_store *s, const char *issuer_id, mc_store_key *out, mc_err *err);
mc_status mc__key_retire(mc_store *s, const char *key_id, int64_t at, mc_err *err);
mc_status mc__key_list(mc_store *s, const char *issuer_id, mc_store_key **out, size_t *n, mc_err *err);
mc_status mc__template_save(mc_store *s, const char *id, const char *json, int64_t *version, mc_err *err);
mc_status mc__template_set_state(mc_store *s, const char *id, int64_t version, mc_template_state st,
                                 mc_err *err);
mc_status mc__template_get(mc_store *s, const char *id, int64_t version, mc_store_template *out, mc_err *err);
mc_status mc__template_list(mc_store *s, mc_store_template **out, size_t *n, mc_err *err);
mc_status mc__template_versions(mc_store *s, const char *id, mc_store_template **out, size_t *n, mc_err *err);
mc_status mc__cred_add_batch(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                             uint8_t *inserted, mc_err *err);
mc_status mc__cred_get(mc_store *s, const char *id, mc_store_credential *out, mc_err *err);
mc_status mc__cred_find(mc_store *s, const char *tpl, const char *learner, const char *ext,
                        mc_store_credential *out, mc_err *err);
mc_status mc__cred_exists(mc_store *s, const mc_store_cred_key *keys, size_t n, uint8_t *exists, mc_err *err);
mc_status mc__cred_set_state(mc_store *s, const char *id, mc_cred_state st, const char *reason, mc_err *err);
mc_status mc__slist_create(mc_store *s, const char *id, mc_status_purpose p, int64_t size, mc_err *err);
mc_status mc__slist_get(mc_store *s, const char *id, mc_store_status_list *out, mc_err *err);
mc_status mc__slist_alloc(mc_store *s, const char *id, size_t n, int64_t *idx, bool fixed, mc_err *err);
mc_status mc__slist_set(mc_store *s, const char *id, int64_t index, int value, mc_err *err);
mc_status mc__slist_publish(mc_store *s, const char *id, const char *cred, const char *etag, mc_err *err);
mc_status mc__slist_published(mc_store *s, const char *id, char **cred, char **etag, mc_err *err);
mc_status mc__cred_search(mc_store *s, const char *q, const char *tpl, int state, size_t limit, size_t offset,
                          mc_cred_hit **out, size_t *n, size_t *total, mc_err *err);
mc_status mc__share_add(mc_store *s, const char *share_id, const char *cred_id, mc_err *err);
mc_status mc__share_of(mc_store *s, const char *cred_id, char **share_id, mc_err *err);
mc_status mc__share_get(mc_store *s, const char *share_id, mc_store_credential *out, mc_err *err);
mc_status mc__audit_append(mc_store *s, const mc_store_audit *in, int64_t *seq, mc_err *err);
mc_status mc__audit_list(mc_store *s, int64_t after, size_t max, mc_store_audit **out, size_t *n, mc_err *err);
mc_status mc__learner_export(mc_store *s, const char *learner_id, char **json, mc_err *err);
mc_status mc__learner_erase(mc_store *s, const char *learner_id, size_t *count, mc_err *err);

#endif /* MC_STORE_INTERNAL_H */
