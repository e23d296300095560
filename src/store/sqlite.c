/*
 * sqlite.c - the SQLite back-end: one file, WAL, the embedded default.
 * Prepared statements are cached per SQL text address and reused (reset,
 * rebind), which is what makes batch inserts cheap here; $N placeholders
 * are rewritten to SQLite's ?N once, at prepare.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store_internal.h"

/* Statements cached per connection. The shared operations use about 40
 * distinct statements; past this many, extra ones are prepared per call. */
#define SQ_CACHE 96
/* Widest result row (credentials: 14 columns) with room to grow. */
#define SQ_MAX_COLS 24
/* How long a writer waits for another process's lock before failing:
 * long enough to ride out a checkpoint or a concurrent batch commit. */
#define SQ_BUSY_MS 10000

struct sq_store {
	struct mc_store base; /* first: mc_store * <-> sq_store * */
	sqlite3 *db;
	/* prepared statements keyed by the SQL text's address */
	struct {
		const char *key;
		sqlite3_stmt *stmt;
	} cache[SQ_CACHE];
	size_t ncache;
};

/* Checked downcast (git files_downcast): a store of another back-end here
 * is a bug in libmcred, with no sane way to continue. */
static struct sq_store *sq_downcast(mc_store *s)
{
	if (s->vt != &mc__store_sqlite)
		abort();
	return (struct sq_store *)s;
}

static mc_status sq_err(struct sq_store *q, mc_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(q->db);
	int cls = ext == SQLITE_CONSTRAINT_FOREIGNKEY ? MC__DB_FOREIGN
	          : (ext & 0xff) == SQLITE_CONSTRAINT ? MC__DB_CONFLICT
	                                              : MC__DB_IO;
	return mc__store_dberr(err, cls, "sqlite", what, sqlite3_errmsg(q->db));
}

/* $N -> ?N; our SQL has no '$' inside literals. */
static char *sq_translate(const char *sql)
{
	char *t = strdup(sql);
	for (char *p = t; p && *p; p++)
		if (p[0] == '$' && p[1] >= '0' && p[1] <= '9')
			p[0] = '?';
	return t;
}

/* A prepared statement for sql; *owned is set when it is not cached and
 * must be finalized by the caller. */
static mc_status sq_prepare(struct sq_store *q, const char *sql, sqlite3_stmt **out, bool *owned, mc_err *err)
{
	for (size_t i = 0; i < q->ncache; i++)
		if (q->cache[i].key == sql) {
			*out = q->cache[i].stmt;
			*owned = false;
			return MC_OK;
		}
	char *text = sq_translate(sql);
	if (!text)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "sqlite: out of memory");
	*owned = q->ncache == SQ_CACHE;
	int rc = sqlite3_prepare_v3(q->db, text, -1, *owned ? 0 : SQLITE_PREPARE_PERSISTENT, out, NULL);
	free(text);
	if (rc != SQLITE_OK)
		return sq_err(q, err, "prepare");
	if (!*owned) {
		q->cache[q->ncache].key = sql;
		q->cache[q->ncache++].stmt = *out;
	}
	return MC_OK;
}

static mc_status sq_bind(struct sq_store *q, sqlite3_stmt *st, const mc__val *p, int n, mc_err *err)
{
	for (int i = 0; i < n; i++) {
		int rc = SQLITE_OK;
		switch (p[i].type) {
		case MC__V_NULL: rc = sqlite3_bind_null(st, i + 1); break;
		case MC__V_INT: rc = sqlite3_bind_int64(st, i + 1, p[i].i); break;
		case MC__V_TEXT: rc = sqlite3_bind_text64(st, i + 1, p[i].p, p[i].n, SQLITE_STATIC, SQLITE_UTF8); break;
		default: rc = sqlite3_bind_blob64(st, i + 1, p[i].n ? p[i].p : "", p[i].n, SQLITE_STATIC); break;
		}
		if (rc != SQLITE_OK)
			return sq_err(q, err, "bind");
	}
	return MC_OK;
}

static int sq_columns(sqlite3_stmt *st, mc__val *cols)
{
	int n = sqlite3_column_count(st);
	if (n > SQ_MAX_COLS)
		return -1;
	for (int i = 0; i < n; i++) {
		mc__val *v = &cols[i];
		memset(v, 0, sizeof *v);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
		case SQLITE_FLOAT:
			v->type = MC__V_INT;
			v->i = sqlite3_column_int64(st, i);
			break;
		case SQLITE_TEXT:
			v->type = MC__V_TEXT;
			v->p = sqlite3_column_text(st, i);
			v->n = (size_t)sqlite3_column_bytes(st, i);
			break;
		case SQLITE_BLOB:
			v->type = MC__V_BLOB;
			v->p = sqlite3_column_blob(st, i);
			v->n = (size_t)sqlite3_column_bytes(st, i);
			break;
		default: v->type = MC__V_NULL; break;
		}
	}
	return n;
}

/* Step st to completion, feeding rows to row. */
static mc_status sq_run(struct sq_store *q, sqlite3_stmt *st, mc__row_fn row, void *ctx, int64_t *changes,
                        mc_err *err)
{
	mc__val cols[SQ_MAX_COLS];
	for (;;) {
		int rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW)
			return sq_err(q, err, "step");
		if (!row)
			continue;
		int n = sq_columns(st, cols);
		mc_status rst = n < 0 ? MC_ERR_INTERNAL : row(ctx, cols, n);
		if (rst != MC_OK)
			return mc__fail(err, rst, NULL, "sqlite: reading a result row: %s", mc_strerror(rst));
	}
	if (changes)
		*changes = sqlite3_changes64(q->db);
	return MC_OK;
}

static void sq_done(sqlite3_stmt *st, bool owned)
{
	if (owned) {
		sqlite3_finalize(st);
		return;
	}
	/* reset releases the statement's locks; clearing drops pointers
	 * into the caller's memory */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static mc_status sq_exec(mc_store *s, const char *sql, const mc__val *params, int nparams, mc__row_fn row, void *ctx,
                         int64_t *changes, mc_err *err)
{
	struct sq_store *q = sq_downcast(s);
	sqlite3_stmt *st;
	bool owned;
	mc_status rc = sq_prepare(q, sql, &st, &owned, err);
	if (rc != MC_OK)
		return rc;
	rc = sq_bind(q, st, params, nparams, err);
	if (rc == MC_OK)
		rc = sq_run(q, st, row, ctx, changes, err);
	sq_done(st, owned);
	return rc;
}

static mc_status sq_exec_many(mc_store *s, const char *sql, const mc__val *params, int nparams, size_t nrows,
                              int64_t *changes, size_t *bad_row, mc_err *err)
{
	struct sq_store *q = sq_downcast(s);
	sqlite3_stmt *st;
	bool owned;
	mc_status rc = sq_prepare(q, sql, &st, &owned, err);
	if (rc != MC_OK)
		return rc; /* no row to blame: *bad_row stays nrows */
	for (size_t i = 0; rc == MC_OK && i < nrows; i++) {
		rc = sq_bind(q, st, params + i * (size_t)nparams, nparams, err);
		if (rc == MC_OK)
			rc = sq_run(q, st, NULL, NULL, &changes[i], err);
		if (rc != MC_OK)
			*bad_row = i;
		sqlite3_reset(st);
	}
	sq_done(st, owned);
	return rc;
}

static mc_status sq_script(mc_store *s, const char *sql, mc_err *err)
{
	struct sq_store *q = sq_downcast(s);
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_err(q, err, "exec");
	return MC_OK;
}

static void sq_close(mc_store *s)
{
	struct sq_store *q = sq_downcast(s);
	for (size_t i = 0; i < q->ncache; i++)
		sqlite3_finalize(q->cache[i].stmt);
	sqlite3_close_v2(q->db);
	free(q);
}

/* Settings before the first table: page_size only takes effect on an
 * empty file and cannot change once WAL is on, so it goes first
 * (8 KiB pages: ~1.7x faster inserts of 2 KB rows, a third smaller file). */
static const char sq_setup[] = "PRAGMA page_size = 8192;"
                               "PRAGMA journal_mode = WAL;"
                               /* WAL + NORMAL: durable across process
                                * crashes; a power loss may drop the last
                                * commits but never corrupts */
                               "PRAGMA synchronous = NORMAL;"
                               "PRAGMA foreign_keys = ON;";

/* ---- Catalogue ranking ------------------------------------------------
 * mcred_rank(catalogue_fts, nwords): relevance of one match for the
 * catalogue search (ops_trust.c), lower is better as with bm25. The first
 * nwords phrases of the query are the searcher's words; the rest are facet
 * terms (filters), which must not count. FTS5's bm25 computes an IDF for
 * every phrase by scanning its whole doclist once per query, and facet
 * terms are in a third to a half of all offers: that scan, not the
 * ranking, cost most of a search. Here each occurrence of a word counts
 * by column (title 10, description 4, outcomes 2, the weights bm25 had);
 * every word must occur anyway, so IDF would only reorder offers that all
 * contain every word. */
static void sq_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	static const double weight[] = {10.0, 4.0, 2.0};
	int nwords = nval >= 1 ? sqlite3_value_int(val[0]) : 0, ninst = 0;
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error(ctx, "mcred_rank: no instances", -1);
		return;
	}
	double score = 0;
	for (int i = 0; i < ninst; i++) {
		int phrase, col, off;
		if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase < nwords && col >= 0 && col < 3)
			score += weight[col];
	}
	sqlite3_result_double(ctx, -score);
}

/* Register mcred_rank with FTS5 (SQLite's documented fts5_api_ptr route). */
static int sq_register_rank(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, "mcred_rank", NULL, sq_rank, NULL);
}

static mc_status sq_open(const char *path, mc_store **out, mc_err *err)
{
	struct sq_store *q = calloc(1, sizeof *q);
	if (!q)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "sqlite: out of memory");
	q->base.vt = &mc__store_sqlite;
	int rc = sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		mc__fail(err, MC_ERR_IO, "url", "sqlite: cannot open %s: %s", path,
		         q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
		sq_close(&q->base);
		return MC_ERR_IO;
	}
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, SQ_BUSY_MS);
	if (sqlite3_exec(q->db, sq_setup, NULL, NULL, NULL) != SQLITE_OK || sq_register_rank(q->db) != SQLITE_OK) {
		mc_status st = sq_err(q, err, "setting up (is it an SQLite file?)");
		sq_close(&q->base);
		return st;
	}
	*out = &q->base;
	return MC_OK;
}

const struct mc__store_vtable mc__store_sqlite = {
	.name = "sqlite",
	.version = MC__STORE_VT_VERSION,
	.dialect = MC__SQL_SQLITE,
	/* IMMEDIATE takes the write lock at once: two deferred writers that
	 * both read first would deadlock and one would fail with BUSY */
	.begin_sql = "BEGIN IMMEDIATE",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.exec_many = sq_exec_many,
	.script = sq_script,
	.lock_schema = NULL,
};
