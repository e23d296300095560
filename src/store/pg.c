/*
 * pg.c - the PostgreSQL back-end (libpq). Every value travels as a bound
 * parameter, never inside SQL text. Results come back in binary format, so
 * integers and bytea decode without text parsing. A round trip costs ~25 us
 * on loopback here, so batches go through pipeline mode: a chunk of rows
 * is sent before any result is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_internal.h"

/* Statements prepared per connection (named "mc0", "mc1", ...). */
#define PG_CACHE 96
/* Parameters per statement and columns per row (credentials: 11 / 14). */
#define PG_MAX_PARAMS 16
#define PG_MAX_COLS 24
/* Rows sent per pipeline sync. Their results (~30 bytes each) must fit
 * in the socket buffers while we are still sending, or client and server
 * would both block writing; 256 rows is ~8 KB of results. */
#define PG_PIPE_CHUNK 256

/* Type OIDs of the columns our schema returns (pg_type.dat). */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };

/* Serializes concurrent migrators (pg_advisory_xact_lock key: "mcred"). */
#define PG_MIGRATION_LOCK "SELECT pg_advisory_xact_lock(469920621924)"

struct pg_store {
	struct mc_store base; /* first: mc_store * <-> pg_store * */
	PGconn *conn;
	/* prepared statements keyed by the SQL text's address */
	struct {
		const char *key;
		char name[16];
	} cache[PG_CACHE];
	size_t ncache;
};

/* Parameters of one execution in libpq's form; ints as decimal text. */
struct pg_params {
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS];
	int formats[PG_MAX_PARAMS];
	char ints[PG_MAX_PARAMS][24];
};

static struct pg_store *pg_downcast(mc_store *s)
{
	if (s->vt != &mc__store_pg)
		abort(); /* a bug in libmcred: see sq_downcast */
	return (struct pg_store *)s;
}

static int pg_class(const char *sqlstate)
{
	if (!sqlstate)
		return MC__DB_IO;
	if (strcmp(sqlstate, "23503") == 0)
		return MC__DB_FOREIGN;
	/* 23xxx integrity violations, P0001 raised by our triggers */
	if (strncmp(sqlstate, "23", 2) == 0 || strcmp(sqlstate, "P0001") == 0)
		return MC__DB_CONFLICT;
	return MC__DB_IO;
}

/* The primary message only: DETAIL lines quote row values. */
static mc_status pg_res_err(const PGresult *r, mc_err *err, const char *what)
{
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	return mc__store_dberr(err, pg_class(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL), "postgresql", what,
	                       msg ? msg : "no result (connection lost?)");
}

static mc_status pg_conn_err(struct pg_store *g, mc_err *err, const char *what)
{
	return mc__store_dberr(err, MC__DB_IO, "postgresql", what, PQerrorMessage(g->conn));
}

static mc_status pg_params(struct pg_params *pp, const mc__val *p, int n, mc_err *err)
{
	if (n > PG_MAX_PARAMS)
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "postgresql: %d parameters, at most %d", n, PG_MAX_PARAMS);
	for (int i = 0; i < n; i++) {
		pp->formats[i] = 0;
		pp->lengths[i] = 0;
		switch (p[i].type) {
		case MC__V_NULL: pp->values[i] = NULL; break;
		case MC__V_INT:
			snprintf(pp->ints[i], sizeof pp->ints[i], "%lld", (long long)p[i].i);
			pp->values[i] = pp->ints[i];
			break;
		case MC__V_TEXT: pp->values[i] = p[i].p; break;
		default: /* bytea, sent as raw bytes */
			if (p[i].n > INT32_MAX)
				return mc__fail(err, MC_ERR_TOO_LARGE, NULL, "postgresql: parameter too large");
			pp->values[i] = p[i].n ? p[i].p : "";
			pp->lengths[i] = (int)p[i].n;
			pp->formats[i] = 1;
			break;
		}
	}
	return MC_OK;
}

/* Name of the prepared statement for sql, preparing it on first use. */
static mc_status pg_prepare(struct pg_store *g, const char *sql, int nparams, const char **name, mc_err *err)
{
	for (size_t i = 0; i < g->ncache; i++)
		if (g->cache[i].key == sql) {
			*name = g->cache[i].name;
			return MC_OK;
		}
	if (g->ncache == PG_CACHE) {
		*name = NULL; /* run unnamed, parsed per call */
		return MC_OK;
	}
	char *nm = g->cache[g->ncache].name;
	snprintf(nm, sizeof g->cache[0].name, "mc%zu", g->ncache);
	PGresult *r = PQprepare(g->conn, nm, sql, nparams, NULL);
	mc_status st = PQresultStatus(r) == PGRES_COMMAND_OK ? MC_OK : pg_res_err(r, err, "prepare");
	PQclear(r);
	if (st == MC_OK) {
		g->cache[g->ncache++].key = sql;
		*name = nm;
	}
	return st;
}

static int64_t be_int(const unsigned char *p, int n)
{
	uint64_t v = (n && (p[0] & 0x80)) ? UINT64_MAX : 0; /* sign-extend */
	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return (int64_t)v;
}

static mc_status pg_rows(const PGresult *r, mc__row_fn row, void *ctx, mc_err *err)
{
	int nc = PQnfields(r), nr = PQntuples(r);
	mc__val cols[PG_MAX_COLS];
	if (nc > PG_MAX_COLS)
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "postgresql: %d result columns", nc);
	for (int t = 0; t < nr; t++) {
		for (int c = 0; c < nc; c++) {
			const unsigned char *p = (const unsigned char *)PQgetvalue(r, t, c);
			int len = PQgetlength(r, t, c);
			Oid ty = PQftype(r, c);
			mc__val *v = &cols[c];
			memset(v, 0, sizeof *v);
			if (PQgetisnull(r, t, c)) {
				v->type = MC__V_NULL;
			} else if (ty == OID_INT8 || ty == OID_INT4 || ty == OID_INT2 || ty == OID_BOOL) {
				v->type = MC__V_INT;
				v->i = be_int(p, len);
			} else {
				v->type = ty == OID_BYTEA ? MC__V_BLOB : MC__V_TEXT;
				v->p = p;
				v->n = (size_t)len;
			}
		}
		mc_status st = row(ctx, cols, nc);
		if (st != MC_OK)
			return mc__fail(err, st, NULL, "postgresql: reading a result row: %s", mc_strerror(st));
	}
	return MC_OK;
}

static int64_t pg_changes(const PGresult *r)
{
	const char *t = PQcmdTuples((PGresult *)r);
	return t && *t ? strtoll(t, NULL, 10) : 0;
}

static mc_status pg_result(const PGresult *r, mc__row_fn row, void *ctx, int64_t *changes, mc_err *err)
{
	ExecStatusType es = PQresultStatus(r);
	if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK)
		return pg_res_err(r, err, "exec");
	if (changes)
		*changes = pg_changes(r);
	return row && es == PGRES_TUPLES_OK ? pg_rows(r, row, ctx, err) : MC_OK;
}

static mc_status pg_exec(mc_store *s, const char *sql, const mc__val *params, int nparams, mc__row_fn row, void *ctx,
                         int64_t *changes, mc_err *err)
{
	struct pg_store *g = pg_downcast(s);
	struct pg_params pp;
	const char *name = NULL;
	mc_status st = pg_params(&pp, params, nparams, err);
	/* Parameterless statements (BEGIN, SAVEPOINT, ROLLBACK TO ...) run
	 * unnamed: preparing would cost a round trip, and a failed
	 * transaction refuses to prepare anything but its own exit. */
	if (st == MC_OK && nparams > 0)
		st = pg_prepare(g, sql, nparams, &name, err);
	if (st != MC_OK)
		return st;
	PGresult *r = name ? PQexecPrepared(g->conn, name, nparams, pp.values, pp.lengths, pp.formats, 1)
	                   : PQexecParams(g->conn, sql, nparams, NULL, pp.values, pp.lengths, pp.formats, 1);
	st = r ? pg_result(r, row, ctx, changes, err) : pg_conn_err(g, err, "exec");
	PQclear(r);
	return st;
}

/* Read the results of `sent` pipelined statements and their sync. The
 * first failure is kept (with its row); statements after it come back
 * PGRES_PIPELINE_ABORTED and are skipped. */
static mc_status pg_drain(struct pg_store *g, size_t base, size_t sent, int64_t *changes, size_t *bad_row,
                          mc_err *err)
{
	mc_status st = MC_OK;
	for (size_t i = 0; i < sent; i++) {
		PGresult *r = PQgetResult(g->conn);
		if (!r)
			return pg_conn_err(g, err, "pipeline");
		ExecStatusType es = PQresultStatus(r);
		if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK) {
			changes[base + i] = pg_changes(r);
		} else if (es != PGRES_PIPELINE_ABORTED && st == MC_OK) {
			st = pg_res_err(r, err, "batch insert");
			*bad_row = base + i;
		}
		PQclear(r);
		r = PQgetResult(g->conn); /* NULL ends each statement's results */
		PQclear(r);
	}
	PGresult *r = PQgetResult(g->conn);
	if (PQresultStatus(r) != PGRES_PIPELINE_SYNC && st == MC_OK)
		st = pg_conn_err(g, err, "pipeline sync");
	PQclear(r);
	return st;
}

static mc_status pg_exec_many(mc_store *s, const char *sql, const mc__val *params, int nparams, size_t nrows,
                              int64_t *changes, size_t *bad_row, mc_err *err)
{
	struct pg_store *g = pg_downcast(s);
	const char *name = NULL;
	struct pg_params pp;
	mc_status st = pg_prepare(g, sql, nparams, &name, err);
	if (st != MC_OK)
		return st;
	if (!name)
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "postgresql: statement cache full");
	if (!PQenterPipelineMode(g->conn))
		return pg_conn_err(g, err, "entering pipeline mode");
	for (size_t off = 0; off < nrows && st == MC_OK; off += PG_PIPE_CHUNK) {
		size_t k = nrows - off < PG_PIPE_CHUNK ? nrows - off : PG_PIPE_CHUNK, sent = 0;
		for (; sent < k && st == MC_OK; sent++) {
			st = pg_params(&pp, params + (off + sent) * (size_t)nparams, nparams, err);
			if (st == MC_OK &&
			    !PQsendQueryPrepared(g->conn, name, nparams, pp.values, pp.lengths, pp.formats, 1))
				st = pg_conn_err(g, err, "pipeline send");
			if (st != MC_OK)
				*bad_row = off + sent;
		}
		if (st != MC_OK)
			sent--; /* the failed one was not queued */
		if (!PQpipelineSync(g->conn)) {
			st = st != MC_OK ? st : pg_conn_err(g, err, "pipeline sync");
			break;
		}
		mc_status dst = pg_drain(g, off, sent, changes, bad_row, err);
		st = st != MC_OK ? st : dst;
	}
	PQexitPipelineMode(g->conn);
	return st;
}

static mc_status pg_script(mc_store *s, const char *sql, mc_err *err)
{
	struct pg_store *g = pg_downcast(s);
	PGresult *r = PQexec(g->conn, sql);
	mc_status st = r ? pg_result(r, NULL, NULL, NULL, err) : pg_conn_err(g, err, "exec");
	PQclear(r);
	return st;
}

static mc_status pg_lock_schema(mc_store *s, mc_err *err)
{
	return pg_script(s, PG_MIGRATION_LOCK, err);
}

static void pg_close(mc_store *s)
{
	struct pg_store *g = pg_downcast(s);
	PQfinish(g->conn);
	free(g);
}

/* libpq prints notices (WARNING, NOTICE) to stderr by default; the
 * library never prints. */
static void pg_quiet(void *arg, const char *message)
{
	MC__UNUSED(arg);
	MC__UNUSED(message);
}

static mc_status pg_open(const char *url, mc_store **out, mc_err *err)
{
	/* Parse first: libpq's parse errors may quote the URL, password and
	 * all, so they are not passed on. */
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &perr);
	PQfreemem(perr);
	if (!opts)
		return mc__fail(err, MC_ERR_ARG, "url", "postgresql: the connection URL is malformed");
	PQconninfoFree(opts);
	struct pg_store *g = calloc(1, sizeof *g);
	if (!g)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "postgresql: out of memory");
	g->base.vt = &mc__store_pg;
	g->conn = PQconnectdb(url);
	mc_status st = MC_OK;
	if (!g->conn)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "postgresql: out of memory");
	else if (PQstatus(g->conn) != CONNECTION_OK)
		st = pg_conn_err(g, err, "cannot connect");
	else if (PQsetClientEncoding(g->conn, "UTF8") != 0)
		st = pg_conn_err(g, err, "setting client encoding to UTF8");
	if (st != MC_OK) {
		pg_close(&g->base);
		return st;
	}
	PQsetNoticeProcessor(g->conn, pg_quiet, NULL);
	*out = &g->base;
	return MC_OK;
}

const struct mc__store_vtable mc__store_pg = {
	.name = "postgresql",
	.version = MC__STORE_VT_VERSION,
	.dialect = MC__SQL_PG,
	.begin_sql = "BEGIN",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.exec_many = pg_exec_many,
	.script = pg_script,
	.lock_schema = pg_lock_schema,
};
