/*
 * store.c - the public mc_store_* entry points: thin wrappers that check
 * arguments and then call the shared operations; the only path to the
 * back-end vtable (so test builds can fail the Nth call, as SQLite's os.c
 * does); transactions and savepoints; row-collection helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* ---- Values and rows ------------------------------------------------- */

mc__val mc__v_int(int64_t i)
{
	mc__val v = {MC__V_INT, i, NULL, 0};
	return v;
}

mc__val mc__v_text(const char *s)
{
	mc__val v = {s ? MC__V_TEXT : MC__V_NULL, 0, s, s ? strlen(s) : 0};
	return v;
}

mc__val mc__v_blob(const void *p, size_t n)
{
	mc__val v = {MC__V_BLOB, 0, p, n};
	return v;
}

bool mc__col_str(char **dst, const mc__val *v)
{
	*dst = NULL;
	if (v->type == MC__V_NULL)
		return true;
	if (v->type == MC__V_INT) {
		/* not expected from our schema, but never crash on it */
		*dst = malloc(24);
		if (*dst)
			snprintf(*dst, 24, "%lld", (long long)v->i);
		return *dst != NULL;
	}
	*dst = malloc(v->n + 1);
	if (!*dst)
		return false;
	if (v->n)
		memcpy(*dst, v->p, v->n);
	(*dst)[v->n] = '\0';
	return true;
}

int64_t mc__col_int(const mc__val *v, int64_t if_null)
{
	return v->type == MC__V_INT ? v->i : if_null;
}

mc_status mc__row_int(void *ctx, const mc__val *cols, int ncols)
{
	if (ncols < 1)
		return MC_ERR_INTERNAL;
	*(int64_t *)ctx = mc__col_int(&cols[0], 0);
	return MC_OK;
}

static bool grow(mc__rows *r)
{
	if (r->n < r->cap)
		return true;
	size_t cap = r->cap ? r->cap * 2 : 8;
	if (cap < r->cap || SIZE_MAX / r->elem < cap)
		return false;
	void *a = realloc(r->arr, cap * r->elem);
	if (!a)
		return false;
	r->arr = a;
	r->cap = cap;
	return true;
}

mc_status mc__row_collect(void *ctx, const mc__val *cols, int ncols)
{
	mc__rows *r = ctx;
	if (!grow(r))
		return MC_ERR_NOMEM;
	void *dst = (char *)r->arr + r->n * r->elem;
	memset(dst, 0, r->elem);
	mc_status st = r->fill(dst, cols, ncols);
	if (st != MC_OK) {
		r->clear(dst);
		return st;
	}
	r->n++;
	return MC_OK;
}

void mc__rows_release(mc__rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		r->clear((char *)r->arr + i * r->elem);
	free(r->arr);
	r->arr = NULL;
	r->n = r->cap = 0;
}

mc_status mc__get_list(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                       void **out, size_t *n, size_t elem, mc__fill_fn fill, mc__clear_fn clear, mc_err *err)
{
	mc__rows r = {NULL, 0, 0, elem, fill, clear};
	*out = NULL;
	*n = 0;
	mc_status st = mc__store_exec(s, op, sql, params, nparams, mc__row_collect, &r, NULL, err);
	if (st != MC_OK) {
		mc__rows_release(&r);
		return st;
	}
	*out = r.arr;
	*n = r.n;
	return MC_OK;
}

mc_status mc__get_one(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams, void *out,
                      size_t elem, mc__fill_fn fill, mc__clear_fn clear, const char *what, mc_err *err)
{
	void *arr;
	size_t n;
	memset(out, 0, elem);
	MC__CHECK(mc__get_list(s, op, sql, params, nparams, &arr, &n, elem, fill, clear, err));
	if (n == 0)
		return mc__fail(err, MC_ERR_MISSING, NULL, "%s: no such %s", op, what);
	memcpy(out, arr, elem);
	for (size_t i = 1; i < n; i++) /* keys are unique: never more than one */
		clear((char *)arr + i * elem);
	free(arr);
	return MC_OK;
}

mc_status mc__store_dberr(mc_err *err, int cls, const char *backend, const char *what, const char *msg)
{
	mc_status st = cls == MC__DB_CONFLICT ? MC_ERR_VALUE : cls == MC__DB_FOREIGN ? MC_ERR_MISSING : MC_ERR_IO;
	const char *kind = cls == MC__DB_CONFLICT ? "conflict: " : cls == MC__DB_FOREIGN ? "refers to a missing row: " : "";
	/* one line: database messages may carry a DETAIL after a newline */
	size_t len = strcspn(msg ? msg : "", "\r\n");
	return mc__fail(err, st, NULL, "%s%s: %s: %.*s", kind, backend, what, (int)len, msg ? msg : "");
}

/* ---- Back-end calls -------------------------------------------------- */

/* Count the call; in test builds, fail the chosen one before it reaches
 * the database (it never runs, like a failed write). */
static mc_status gate(mc_store *s, const char *op, mc_err *err)
{
	s->calls++;
#ifdef MC_TEST_BUILD
	if (s->fail_at && s->calls == s->fail_at)
		return mc__fail(err, MC_ERR_IO, NULL, "%s: injected fault at back-end call %lu", op, s->calls);
#else
	MC__UNUSED(op);
	MC__UNUSED(err);
#endif
	return MC_OK;
}

/* Back-end messages get the operation's name in front. */
static mc_status relay(mc_err *err, const char *op, const mc_err *inner, mc_status st)
{
	if (st == MC_OK)
		return st;
	return mc__fail(err, st, inner->path[0] ? inner->path : NULL, "%s: %s", op,
	                inner->msg[0] ? inner->msg : mc_strerror(st));
}

mc_status mc__store_exec(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                         mc__row_fn row, void *ctx, int64_t *changes, mc_err *err)
{
	MC__CHECK(gate(s, op, err));
	mc_err e = {0};
	mc_status st = s->vt->exec(s, sql, params, nparams, row, ctx, changes, &e);
	return relay(err, op, &e, st);
}

mc_status mc__store_exec_many(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                              size_t nrows, int64_t *changes, size_t *bad_row, mc_err *err)
{
	*bad_row = nrows;
	MC__CHECK(gate(s, op, err));
	mc_err e = {0};
	mc_status st = s->vt->exec_many(s, sql, params, nparams, nrows, changes, bad_row, &e);
	return relay(err, op, &e, st);
}

mc_status mc__store_script(mc_store *s, const char *op, const char *sql, mc_err *err)
{
	MC__CHECK(gate(s, op, err));
	mc_err e = {0};
	mc_status st = s->vt->script(s, sql, &e);
	return relay(err, op, &e, st);
}

/* ---- Transactions ---------------------------------------------------- */

mc_status mc__store_atomic_begin(mc_store *s, bool single, mc_err *err)
{
	if (s->atomic_depth == 0 && !s->in_tx) {
		if (!single)
			MC__CHECK(mc__store_exec(s, "begin", s->vt->begin_sql, NULL, 0, NULL, NULL, NULL, err));
		s->atomic_began = !single;
	} else {
		/* one savepoint name for every level: both databases resolve a
		 * repeated name to the innermost one */
		MC__CHECK(mc__store_exec(s, "savepoint", "SAVEPOINT mc_sp", NULL, 0, NULL, NULL, NULL, err));
	}
	s->atomic_depth++;
	return MC_OK;
}

static void quiet(mc_store *s, const char *sql)
{
	/* cleanup after a failure: the first failure is what gets reported */
	(void)mc__store_exec(s, "rollback", sql, NULL, 0, NULL, NULL, NULL, NULL);
}

mc_status mc__store_atomic_end(mc_store *s, mc_status st, mc_err *err)
{
	bool outer = --s->atomic_depth == 0 && !s->in_tx;
	if (outer && !s->atomic_began)
		return st;
	if (outer) {
		s->atomic_began = false;
		if (st == MC_OK && (st = mc__store_exec(s, "commit", "COMMIT", NULL, 0, NULL, NULL, NULL, err)) == MC_OK)
			return MC_OK;
		quiet(s, "ROLLBACK");
		return st;
	}
	if (st == MC_OK && (st = mc__store_exec(s, "release", "RELEASE mc_sp", NULL, 0, NULL, NULL, NULL, err)) == MC_OK)
		return MC_OK;
	quiet(s, "ROLLBACK TO mc_sp");
	quiet(s, "RELEASE mc_sp");
	return st;
}

mc_status mc__store_write(mc_store *s, const char *op, const char *sql, const mc__val *params, int nparams,
                          int64_t *changes, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, true, err));
	mc_status st = mc__store_exec(s, op, sql, params, nparams, NULL, NULL, changes, err);
	return mc__store_atomic_end(s, st, err);
}

int mc__name_index(const mc__val *v, const char *const *names, int n)
{
	for (int i = 0; v->type == MC__V_TEXT && i < n; i++)
		if (strlen(names[i]) == v->n && memcmp(names[i], v->p, v->n) == 0)
			return i;
	return -1;
}

mc_status mc_store_begin(mc_store *s, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	if (s->in_tx || s->atomic_depth)
		return mc__fail(err, MC_ERR_ARG, NULL, "begin: a transaction is already open (they do not nest)");
	MC__CHECK(mc__store_exec(s, "begin", s->vt->begin_sql, NULL, 0, NULL, NULL, NULL, err));
	s->in_tx = true;
	return MC_OK;
}

mc_status mc_store_commit(mc_store *s, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	if (!s->in_tx)
		return mc__fail(err, MC_ERR_ARG, NULL, "commit: no transaction is open");
	s->in_tx = false;
	mc_status st = mc__store_exec(s, "commit", "COMMIT", NULL, 0, NULL, NULL, NULL, err);
	/* SQLite keeps a transaction open after a failed COMMIT, PostgreSQL
	 * ends it: roll back so both leave the same (empty) state. */
	if (st != MC_OK)
		quiet(s, "ROLLBACK");
	return st;
}

mc_status mc_store_rollback(mc_store *s, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	if (!s->in_tx)
		return mc__fail(err, MC_ERR_ARG, NULL, "rollback: no transaction is open");
	s->in_tx = false;
	return mc__store_exec(s, "rollback", "ROLLBACK", NULL, 0, NULL, NULL, NULL, err);
}

/* ---- Opening --------------------------------------------------------- */

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

mc_status mc_store_open(const char *url, mc_store **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!url || !*url)
		return mc__fail(err, MC_ERR_ARG, "url", "store URL is empty");
	const struct mc__store_vtable *vt = &mc__store_sqlite;
	const char *target = url;
	if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://"))
		vt = &mc__store_pg;
	else if (has_prefix(url, "sqlite:"))
		target = url + 7;
	if (!*target)
		return mc__fail(err, MC_ERR_ARG, "url", "store URL has no file path");
	if (vt->version != MC__STORE_VT_VERSION)
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "store back-end %s has vtable version %d, expected %d",
		                vt->name, vt->version, MC__STORE_VT_VERSION);
	mc_store *s = NULL;
	MC__CHECK(vt->open(target, &s, err));
	mc_status st = mc__store_migrate(s, err);
	if (st != MC_OK) {
		mc_store_close(s);
		return st;
	}
	*out = s;
	return MC_OK;
}

void mc_store_close(mc_store *s)
{
	if (!s)
		return;
	if (s->in_tx) {
		s->in_tx = false;
		quiet(s, "ROLLBACK");
	}
	s->vt->close(s);
}

const char *mc_store_backend(const mc_store *s)
{
	return s ? s->vt->name : "";
}

mc_status mc_store_schema(mc_store *s, int64_t *version, int64_t *applied, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");
	return mc__store_schema(s, version, applied, err);
}

#ifdef MC_TEST_BUILD
void mc_store_test_fail_at(mc_store *s, unsigned long n, unsigned long *calls)
{
	if (calls)
		*calls = s->calls;
	s->fail_at = n ? s->calls + n : 0;
}

mc_status mc_store_test_exec(mc_store *s, const char *sql, mc_err *err)
{
	if (!s || !sql)
		return mc__fail(err, MC_ERR_ARG, "sql", "store or sql is NULL");
	return mc__store_script(s, "test_exec", sql, err);
}
#endif

/* ---- Argument checks ------------------------------------------------- */

/* check_str flags */
enum { T_OPT = 1, /* NULL allowed */ T_EMPTY = 2, /* "" allowed */ T_OBJECT = 4 /* JSON must be an object */ };

/* Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF) and
 * no control characters: ids and names end up in logs and terminals. */
static bool text_ok(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	while (p < end) {
		unsigned c = *p++;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return false;
			continue;
		}
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
		if (more < 0 || c > 0xf4 || end - p < more)
			return false;
		uint32_t cp = c & (0x3fu >> more);
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (*p & 0x3fu);
		}
		if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

static mc_status check_str(mc_err *err, const char *v, const char *path, size_t max, unsigned fl)
{
	if (!v)
		return (fl & T_OPT) ? MC_OK : mc__fail(err, MC_ERR_ARG, path, "%s is NULL", path);
	size_t n = strnlen(v, max + 1);
	if (n == 0 && !(fl & T_EMPTY))
		return mc__fail(err, MC_ERR_ARG, path, "%s is empty", path);
	if (n > max)
		return mc__fail(err, MC_ERR_VALUE, path, "%s is longer than %zu bytes", path, max);
	if (!text_ok((const unsigned char *)v, n))
		return mc__fail(err, MC_ERR_VALUE, path, "%s is not UTF-8 text without control characters", path);
	return MC_OK;
}

static mc_status check_json(mc_err *err, const char *v, const char *path, unsigned fl);

mc_status mc__check_text(mc_err *err, const char *v, const char *path, size_t max, bool optional)
{
	return check_str(err, v, path, max, optional ? T_OPT : 0);
}

mc_status mc__check_json_object(mc_err *err, const char *v, const char *path)
{
	return check_json(err, v, path, T_OBJECT);
}

static mc_status check_id(mc_err *err, const char *v, const char *path)
{
	return check_str(err, v, path, MC_STORE_ID_MAX, 0);
}

/* Strict JSON (mc_json_check) under MC_JSON_MAX_BYTES: what is stored is
 * later signed, served and exported, so it must parse everywhere. */
static mc_status check_json(mc_err *err, const char *v, const char *path, unsigned fl)
{
	if (!v)
		return (fl & T_OPT) ? MC_OK : mc__fail(err, MC_ERR_ARG, path, "%s is NULL", path);
	size_t n = strnlen(v, (size_t)MC_JSON_MAX_BYTES + 1);
	mc_err e = {0};
	mc_status st = mc_json_check(v, n, &e);
	if (st != MC_OK)
		return mc__fail(err, st, path, "%s: %s%s%s", path, e.msg, e.path[0] ? " at " : "", e.path);
	if (fl & T_OBJECT) {
		v += strspn(v, " \t\r\n");
		if (*v != '{')
			return mc__fail(err, MC_ERR_TYPE, path, "%s must be a JSON object", path);
	}
	return MC_OK;
}

static mc_status need(mc_err *err, const void *p, const char *name)
{
	return p ? MC_OK : mc__fail(err, MC_ERR_ARG, name, "%s is NULL", name);
}

static mc_status check_time(mc_err *err, int64_t t, const char *path)
{
	return t >= 0 ? MC_OK : mc__fail(err, MC_ERR_VALUE, path, "%s is negative", path);
}

static mc_status check_issuer(const mc_store_issuer *in, mc_err *err)
{
	MC__CHECK(need(err, in, "issuer"));
	MC__CHECK(check_id(err, in->id, "issuer.id"));
	MC__CHECK(check_str(err, in->legal_name, "issuer.legal_name", MC_STORE_TEXT_MAX, 0));
	MC__CHECK(check_str(err, in->country, "issuer.country", 2, 0));
	const char *c = in->country;
	if (strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
		return mc__fail(err, MC_ERR_VALUE, "issuer.country", "issuer.country must be ISO 3166-1 alpha-2 (\"FI\")");
	MC__CHECK(check_json(err, in->identifiers, "issuer.identifiers", T_OPT | T_OBJECT));
	MC__CHECK(check_str(err, in->url, "issuer.url", MC_STORE_ID_MAX, T_OPT));
	MC__CHECK(check_json(err, in->profile, "issuer.profile", T_OPT | T_OBJECT));
	return check_time(err, in->created, "issuer.created");
}

static mc_status check_key(const mc_store_key *in, mc_err *err)
{
	MC__CHECK(need(err, in, "key"));
	MC__CHECK(check_id(err, in->key_id, "key.key_id"));
	MC__CHECK(check_id(err, in->issuer_id, "key.issuer_id"));
	MC__CHECK(check_str(err, in->public_key_multibase, "key.public_key_multibase", MC_STORE_ID_MAX, 0));
	MC__CHECK(check_json(err, in->key_file, "key.key_file", T_OPT | T_OBJECT));
	MC__CHECK(check_time(err, in->created, "key.created"));
	return check_time(err, in->retired_at, "key.retired_at");
}

/* Field paths are "<base>.<field>" (base "credential" or "rows[i]").
 * json_ours: json was serialised from a tree by libmcred in this call
 * (mc__store_credential_add_signed), so its strict re-parse is skipped. */
static mc_status check_cred(const mc_store_credential *c, const char *base, bool json_ours, mc_err *err)
{
	char p[64];
#define PATH(f) (snprintf(p, sizeof p, "%s." f, base), p)
	MC__CHECK(check_id(err, c->id, PATH("id")));
	MC__CHECK(check_id(err, c->template_id, PATH("template_id")));
	if (c->template_version < 1)
		return mc__fail(err, MC_ERR_VALUE, PATH("template_version"), "%s must be >= 1", p);
	MC__CHECK(check_id(err, c->learner_id, PATH("learner_id")));
	MC__CHECK(check_str(err, c->external_id, PATH("external_id"), MC_STORE_ID_MAX, T_EMPTY));
	MC__CHECK(check_str(err, c->batch_id, PATH("batch_id"), MC_STORE_ID_MAX, T_OPT));
	MC__CHECK(check_str(err, c->status_list_id, PATH("status_list_id"), MC_STORE_ID_MAX, T_OPT));
	if (c->status_list_id && (c->status_index < 0 || c->status_index >= (int64_t)MC_STATUS_LIST_MAX_BITS))
		return mc__fail(err, MC_ERR_VALUE, PATH("status_index"), "%s is outside any status list", p);
	MC__CHECK(check_json(err, c->learner, PATH("learner"), T_OPT | T_OBJECT));
	if (!json_ours)
		MC__CHECK(check_json(err, c->json, PATH("json"), T_OBJECT));
	else if (!c->json || c->json[0] != '{')
		return mc__fail(err, MC_ERR_INTERNAL, PATH("json"), "%s is not a serialised object", p);
	MC__CHECK(check_str(err, c->replaces, PATH("replaces"), MC_STORE_ID_MAX, T_OPT));
	return check_time(err, c->issued_at, PATH("issued_at"));
#undef PATH
}

#define NEED_STORE()                                                                  \
	do {                                                                          \
		if (!s)                                                               \
			return mc__fail(err, MC_ERR_ARG, "store", "store is NULL");   \
	} while (0)

/* ---- Issuers --------------------------------------------------------- */

mc_status mc_store_issuer_add(mc_store *s, const mc_store_issuer *in, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_issuer(in, err));
	return mc__issuer_add(s, in, err);
}

mc_status mc_store_issuer_update(mc_store *s, const mc_store_issuer *in, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_issuer(in, err));
	return mc__issuer_update(s, in, err);
}

mc_status mc_store_issuer_get(mc_store *s, const char *id, mc_store_issuer *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, id, "id"));
	return mc__issuer_get(s, id, out, err);
}

mc_status mc_store_issuer_delete(mc_store *s, const char *id, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, id, "id"));
	return mc__issuer_delete(s, id, err);
}

mc_status mc_store_issuer_list(mc_store *s, mc_store_issuer **out, size_t *n, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	MC__CHECK(need(err, n, "n"));
	return mc__issuer_list(s, out, n, err);
}

void mc_store_issuer_clear(mc_store_issuer *v)
{
	if (!v)
		return;
	free(v->id);
	free(v->legal_name);
	free(v->country);
	free(v->identifiers);
	free(v->url);
	free(v->profile);
	memset(v, 0, sizeof *v);
}

void mc_store_issuer_list_free(mc_store_issuer *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mc_store_issuer_clear(&v[i]);
	free(v);
}

/* ---- Keys ------------------------------------------------------------ */

mc_status mc_store_key_add(mc_store *s, const mc_store_key *in, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_key(in, err));
	return mc__key_add(s, in, err);
}

mc_status mc_store_key_get(mc_store *s, const char *key_id, mc_store_key *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, key_id, "key_id"));
	return mc__key_get(s, key_id, out, err);
}

mc_status mc_store_key_active(mc_store *s, const char *issuer_id, mc_store_key *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, issuer_id, "issuer_id"));
	return mc__key_active(s, issuer_id, out, err);
}

mc_status mc_store_key_retire(mc_store *s, const char *key_id, int64_t at, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, key_id, "key_id"));
	MC__CHECK(check_time(err, at, "at"));
	return mc__key_retire(s, key_id, at, err);
}

mc_status mc_store_key_list(mc_store *s, const char *issuer_id, mc_store_key **out, size_t *n, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	MC__CHECK(need(err, n, "n"));
	MC__CHECK(check_id(err, issuer_id, "issuer_id"));
	return mc__key_list(s, issuer_id, out, n, err);
}

void mc_store_key_clear(mc_store_key *v)
{
	if (!v)
		return;
	free(v->key_id);
	free(v->issuer_id);
	free(v->public_key_multibase);
	free(v->key_file);
	memset(v, 0, sizeof *v);
}

void mc_store_key_list_free(mc_store_key *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mc_store_key_clear(&v[i]);
	free(v);
}

/* ---- Templates ------------------------------------------------------- */

mc_status mc_store_template_save(mc_store *s, const char *id, const char *json, int64_t *version, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, id, "id"));
	MC__CHECK(check_json(err, json, "json", T_OBJECT));
	return mc__template_save(s, id, json, version, err);
}

mc_status mc_store_template_set_state(mc_store *s, const char *id, int64_t version, mc_template_state state,
                                      mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, id, "id"));
	if (version < 1)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 1");
	if (state != MC_TEMPLATE_DRAFT && state != MC_TEMPLATE_PUBLISHED && state != MC_TEMPLATE_RETIRED)
		return mc__fail(err, MC_ERR_ARG, "state", "unknown template state %d", (int)state);
	return mc__template_set_state(s, id, version, state, err);
}

mc_status mc_store_template_get(mc_store *s, const char *id, int64_t version, mc_store_template *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, id, "id"));
	if (version < 0)
		return mc__fail(err, MC_ERR_ARG, "version", "version must be >= 0 (0: latest)");
	return mc__template_get(s, id, version, out, err);
}

mc_status mc_store_template_list(mc_store *s, mc_store_template **out, size_t *n, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	MC__CHECK(need(err, n, "n"));
	return mc__template_list(s, out, n, err);
}

mc_status mc_store_template_versions(mc_store *s, const char *id, mc_store_template **out, size_t *n, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	MC__CHECK(need(err, n, "n"));
	MC__CHECK(check_id(err, id, "id"));
	return mc__template_versions(s, id, out, n, err);
}

void mc_store_template_clear(mc_store_template *v)
{
	if (!v)
		return;
	free(v->id);
	free(v->json);
	memset(v, 0, sizeof *v);
}

void mc_store_template_list_free(mc_store_template *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mc_store_template_clear(&v[i]);
	free(v);
}

/* ---- Credentials ----------------------------------------------------- */

mc_status mc_store_credential_add(mc_store *s, const mc_store_credential *in, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, in, "credential"));
	MC__CHECK(check_cred(in, "credential", false, err));
	return mc__cred_add_batch(s, in, 1, 0, NULL, err);
}

static mc_status cred_add_batch(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                                uint8_t *inserted, bool json_ours, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, rows, "rows"));
	if (n == 0 || n > MC_STORE_BATCH_MAX)
		return mc__fail(err, MC_ERR_ARG, "n", "a batch holds 1 to %u rows, not %zu", MC_STORE_BATCH_MAX, n);
	if (flags & ~MC_STORE_SKIP_EXISTING)
		return mc__fail(err, MC_ERR_ARG, "flags", "unknown flags 0x%x", flags);
	/* check every row before anything is sent: a bad row costs nothing */
	for (size_t i = 0; i < n; i++) {
		char base[32];
		snprintf(base, sizeof base, "rows[%zu]", i);
		MC__CHECK(check_cred(&rows[i], base, json_ours, err));
	}
	return mc__cred_add_batch(s, rows, n, flags, inserted, err);
}

mc_status mc_store_credential_add_batch(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                                        uint8_t *inserted, mc_err *err)
{
	return cred_add_batch(s, rows, n, flags, inserted, false, err);
}

mc_status mc__store_credential_add_signed(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                                          uint8_t *inserted, mc_err *err)
{
	return cred_add_batch(s, rows, n, flags, inserted, true, err);
}

mc_status mc_store_credential_get(mc_store *s, const char *id, mc_store_credential *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, id, "id"));
	return mc__cred_get(s, id, out, err);
}

mc_status mc_store_credential_find(mc_store *s, const char *template_id, const char *learner_id,
                                   const char *external_id, mc_store_credential *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, template_id, "template_id"));
	MC__CHECK(check_id(err, learner_id, "learner_id"));
	MC__CHECK(check_str(err, external_id, "external_id", MC_STORE_ID_MAX, T_EMPTY));
	return mc__cred_find(s, template_id, learner_id, external_id, out, err);
}

mc_status mc_store_credential_exists(mc_store *s, const mc_store_cred_key *keys, size_t n, uint8_t *exists,
                                     mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, keys, "keys"));
	MC__CHECK(need(err, exists, "exists"));
	if (n == 0 || n > MC_STORE_BATCH_MAX)
		return mc__fail(err, MC_ERR_ARG, "n", "n must be 1 to %u, not %zu", MC_STORE_BATCH_MAX, n);
	for (size_t i = 0; i < n; i++) {
		char p[48];
		snprintf(p, sizeof p, "keys[%zu].template_id", i);
		MC__CHECK(check_id(err, keys[i].template_id, p));
		snprintf(p, sizeof p, "keys[%zu].learner_id", i);
		MC__CHECK(check_id(err, keys[i].learner_id, p));
		snprintf(p, sizeof p, "keys[%zu].external_id", i);
		MC__CHECK(check_str(err, keys[i].external_id, p, MC_STORE_ID_MAX, T_EMPTY));
	}
	return mc__cred_exists(s, keys, n, exists, err);
}

mc_status mc_store_credential_set_state(mc_store *s, const char *id, mc_cred_state state, const char *reason,
                                        mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, id, "id"));
	if (state != MC_CRED_ACTIVE && state != MC_CRED_SUSPENDED && state != MC_CRED_REVOKED)
		return mc__fail(err, MC_ERR_ARG, "state", "unknown credential state %d", (int)state);
	MC__CHECK(check_str(err, reason, "reason", MC_STORE_TEXT_MAX, T_OPT | T_EMPTY));
	return mc__cred_set_state(s, id, state, reason, err);
}

void mc_store_credential_clear(mc_store_credential *v)
{
	if (!v)
		return;
	free(v->id);
	free(v->template_id);
	free(v->learner_id);
	free(v->external_id);
	free(v->batch_id);
	free(v->status_list_id);
	free(v->learner);
	free(v->json);
	free(v->state_reason);
	free(v->replaces);
	memset(v, 0, sizeof *v);
}

/* ---- Status lists ---------------------------------------------------- */

mc_status mc_store_status_list_create(mc_store *s, const char *id, mc_status_purpose purpose, int64_t size,
                                      mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, id, "id"));
	if (purpose != MC_PURPOSE_REVOCATION && purpose != MC_PURPOSE_SUSPENSION)
		return mc__fail(err, MC_ERR_ARG, "purpose", "unknown status purpose %d", (int)purpose);
	if (size < (int64_t)MC_STATUS_LIST_MIN_BITS || size > (int64_t)MC_STATUS_LIST_MAX_BITS || size % 8)
		return mc__fail(err, MC_ERR_VALUE, "size", "status list size %lld is not a multiple of 8 in [%u, %u]",
		                (long long)size, MC_STATUS_LIST_MIN_BITS, MC_STATUS_LIST_MAX_BITS);
	return mc__slist_create(s, id, purpose, size, err);
}

mc_status mc_store_status_list_get(mc_store *s, const char *id, mc_store_status_list *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_id(err, id, "id"));
	return mc__slist_get(s, id, out, err);
}

mc_status mc_store_status_alloc(mc_store *s, const char *list_id, size_t n, int64_t *indexes, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, list_id, "list_id"));
	MC__CHECK(need(err, indexes, "indexes"));
	if (n == 0 || n > MC_STATUS_LIST_MAX_BITS)
		return mc__fail(err, MC_ERR_ARG, "n", "n must be 1 to %u", MC_STATUS_LIST_MAX_BITS);
	return mc__slist_alloc(s, list_id, n, indexes, false, err);
}

mc_status mc_store_status_reserve(mc_store *s, const char *list_id, size_t n, const int64_t *indexes, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, list_id, "list_id"));
	MC__CHECK(need(err, indexes, "indexes"));
	if (n == 0 || n > MC_STATUS_LIST_MAX_BITS)
		return mc__fail(err, MC_ERR_ARG, "n", "n must be 1 to %u", MC_STATUS_LIST_MAX_BITS);
	/* alloc_in reads the array only when fixed; the cast keeps one code path */
	return mc__slist_alloc(s, list_id, n, (int64_t *)indexes, true, err);
}

mc_status mc_store_status_list_set(mc_store *s, const char *list_id, int64_t index, int value, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, list_id, "list_id"));
	if (index < 0)
		return mc__fail(err, MC_ERR_VALUE, "index", "index is negative");
	if (value != 0 && value != 1)
		return mc__fail(err, MC_ERR_ARG, "value", "value must be 0 or 1");
	return mc__slist_set(s, list_id, index, value, err);
}

void mc_store_status_list_clear(mc_store_status_list *v)
{
	if (!v)
		return;
	free(v->id);
	free(v->bits);
	memset(v, 0, sizeof *v);
}

mc_status mc_store_status_list_publish(mc_store *s, const char *list_id, const char *credential, const char *etag,
                                      mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, list_id, "list_id"));
	MC__CHECK(check_json(err, credential, "credential", T_OBJECT));
	MC__CHECK(check_str(err, etag, "etag", MC_STORE_ID_MAX, 0));
	return mc__slist_publish(s, list_id, credential, etag, err);
}

mc_status mc_store_status_list_published(mc_store *s, const char *list_id, char **credential, char **etag,
                                        mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, credential, "credential"));
	*credential = NULL;
	if (etag)
		*etag = NULL;
	MC__CHECK(check_id(err, list_id, "list_id"));
	return mc__slist_published(s, list_id, credential, etag, err);
}

/* ---- Search and shares ----------------------------------------------- */

mc_status mc_store_credential_search(mc_store *s, const char *q, const char *template_id, int state, size_t limit,
                                     size_t offset, mc_cred_hit **out, size_t *n, size_t *total, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	MC__CHECK(need(err, n, "n"));
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (q && *q)
		MC__CHECK(check_str(err, q, "q", MC_STORE_TEXT_MAX, 0));
	MC__CHECK(check_str(err, template_id, "template_id", MC_STORE_ID_MAX, T_OPT));
	if (state < -1 || state > MC_CRED_REVOKED)
		return mc__fail(err, MC_ERR_ARG, "state", "state must be -1 (any) or an mc_cred_state, not %d", state);
	if (limit == 0 || limit > MC_STORE_SEARCH_MAX)
		return mc__fail(err, MC_ERR_ARG, "limit", "limit must be 1 to %u", MC_STORE_SEARCH_MAX);
	if (offset > (size_t)INT64_MAX)
		return mc__fail(err, MC_ERR_ARG, "offset", "offset is too large");
	return mc__cred_search(s, q && *q ? q : NULL, template_id, state, limit, offset, out, n, total, err);
}

void mc_cred_hit_list_free(mc_cred_hit *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].id);
		free(v[i].template_id);
		free(v[i].learner_id);
		free(v[i].learner_name);
	}
	free(v);
}

static mc_status check_share_id(mc_err *err, const char *v)
{
	MC__CHECK(need(err, v, "share_id"));
	size_t n = strnlen(v, MC_STORE_SHARE_ID_MAX + 1);
	if (n < 16 || n > MC_STORE_SHARE_ID_MAX || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return mc__fail(err, MC_ERR_VALUE, "share_id", "a share id is 16 to %d characters of [A-Za-z0-9_-]",
		                MC_STORE_SHARE_ID_MAX);
	return MC_OK;
}

mc_status mc_store_share_add(mc_store *s, const char *share_id, const char *credential_id, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_share_id(err, share_id));
	MC__CHECK(check_id(err, credential_id, "credential_id"));
	return mc__share_add(s, share_id, credential_id, err);
}

mc_status mc_store_share_of(mc_store *s, const char *credential_id, char **share_id, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, share_id, "share_id"));
	*share_id = NULL;
	MC__CHECK(check_id(err, credential_id, "credential_id"));
	return mc__share_of(s, credential_id, share_id, err);
}

mc_status mc_store_share_get(mc_store *s, const char *share_id, mc_store_credential *out, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	memset(out, 0, sizeof *out);
	MC__CHECK(check_share_id(err, share_id));
	return mc__share_get(s, share_id, out, err);
}

/* ---- Audit ----------------------------------------------------------- */

mc_status mc_store_audit_append(mc_store *s, const mc_store_audit *in, int64_t *seq, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, in, "entry"));
	MC__CHECK(check_time(err, in->time, "entry.time"));
	MC__CHECK(check_str(err, in->actor, "entry.actor", MC_STORE_TEXT_MAX, 0));
	MC__CHECK(check_str(err, in->action, "entry.action", MC_STORE_TEXT_MAX, 0));
	MC__CHECK(check_str(err, in->subject, "entry.subject", MC_STORE_ID_MAX, T_OPT));
	MC__CHECK(check_json(err, in->details, "entry.details", T_OPT | T_OBJECT));
	return mc__audit_append(s, in, seq, err);
}

mc_status mc_store_audit_list(mc_store *s, int64_t after, size_t max, mc_store_audit **out, size_t *n, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, out, "out"));
	MC__CHECK(need(err, n, "n"));
	if (max == 0)
		return mc__fail(err, MC_ERR_ARG, "max", "max must be >= 1");
	return mc__audit_list(s, after, max, out, n, err);
}

void mc_store_audit_clear(mc_store_audit *v)
{
	if (!v)
		return;
	free(v->actor);
	free(v->action);
	free(v->subject);
	free(v->details);
	memset(v, 0, sizeof *v);
}

void mc_store_audit_list_free(mc_store_audit *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mc_store_audit_clear(&v[i]);
	free(v);
}

/* ---- Learners -------------------------------------------------------- */

mc_status mc_store_learner_export(mc_store *s, const char *learner_id, char **json, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(need(err, json, "json"));
	*json = NULL;
	MC__CHECK(check_id(err, learner_id, "learner_id"));
	return mc__learner_export(s, learner_id, json, err);
}

mc_status mc_store_learner_erase(mc_store *s, const char *learner_id, size_t *count, mc_err *err)
{
	NEED_STORE();
	MC__CHECK(check_id(err, learner_id, "learner_id"));
	return mc__learner_erase(s, learner_id, count, err);
}
