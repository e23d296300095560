/*
 * store_fixture.h - the per-test store location shared by the suites that
 * run on both back-ends (test_store.c, test_issuer.c): a temp SQLite file,
 * or a fresh schema in $MCRED_TEST_PG. Set the back-end per TCase with
 * use_sqlite / use_pg (unchecked fixtures, in the parent) and add
 * fresh / cleanup as the checked fixture (each test's child).
 */
#ifndef MC_STORE_FIXTURE_H
#define MC_STORE_FIXTURE_H

#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h> /* fixture only: creates and drops the per-test schema */

/* mcred.h first: it is the umbrella, and store.h included alone would
 * reach issuer.h (which needs store.h whole) while half-read */
#include "mcred/mcred.h"
#include "mcred/store.h"
#include "testutil.h"

/* ---- Fixture --------------------------------------------------------- */

enum { B_SQLITE = 0, B_PG = 1 };
static int g_backend;         /* set per TCase, in the parent, before forking */
static char g_url[1200];      /* this test's store URL */
static char g_path[512];      /* SQLite file */
static char g_schema[64];     /* PostgreSQL schema */

static void use_sqlite(void)
{
	g_backend = B_SQLITE;
}

static void use_pg(void)
{
	g_backend = B_PG;
}

static void pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("MCRED_TEST_PG"));
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "MCRED_TEST_PG: %s", PQerrorMessage(c));
	PGresult *r = PQexec(c, "SET client_min_messages = warning");
	PQclear(r);
	r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* A fresh, empty store location for each test (runs in the child). */
static void fresh(void)
{
	if (g_backend == B_SQLITE) {
		const char *tmp = getenv("TMPDIR");
		snprintf(g_path, sizeof g_path, "%s/mcred-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		int fd = mkstemp(g_path);
		ck_assert(fd >= 0);
		close(fd);
		unlink(g_path); /* SQLite creates it: page_size applies to new files */
		snprintf(g_url, sizeof g_url, "sqlite:%s", g_path);
		return;
	}
	const char *base = getenv("MCRED_TEST_PG");
	snprintf(g_schema, sizeof g_schema, "mct_%ld_%ld", (long)getpid(), (long)time(NULL));
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", g_schema);
	pg_admin(sql);
	snprintf(g_url, sizeof g_url, "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
	         g_schema);
}

static void cleanup(void)
{
	if (g_backend == B_SQLITE) {
		char p[600];
		unlink(g_path);
		snprintf(p, sizeof p, "%s-wal", g_path);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", g_path);
		unlink(p);
		return;
	}
	char sql[128];
	snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", g_schema);
	pg_admin(sql);
}

/* expr must use `&e` as its mc_err; checks the status and returns nothing */
#define FAILS(want, expr)                                                                        \
	do {                                                                                     \
		mc_err e = {0};                                                                  \
		mc_status st_ = (expr);                                                          \
		ck_assert_msg(st_ == (want), "%s: got %s (%s), want %s", #expr, mc_strerror(st_), e.msg, \
		              mc_strerror(want));                                                \
		ck_assert_msg(e.status == (want), "%s: err not filled", #expr);                  \
	} while (0)

static mc_store *open_store(void)
{
	mc_store *s = NULL;
	mc_err e = {0};
	mc_status st = mc_store_open(g_url, &s, &e);
	ck_assert_msg(st == MC_OK, "open %s: %s: %s", mc_store_backend(s), mc_strerror(st), e.msg);
	ck_assert_str_eq(mc_store_backend(s), g_backend == B_SQLITE ? "sqlite" : "postgresql");
	return s;
}

/* Run expr with a local mc_err named e, asserting MC_OK and printing it. */
#define DO(expr)                                                                                 \
	do {                                                                                     \
		mc_err e = {0};                                                                  \
		mc_status st_ = (expr);                                                          \
		ck_assert_msg(st_ == MC_OK, "%s: %s [%s] %s", #expr, mc_strerror(st_), e.path, e.msg); \
	} while (0)

START_TEST(pg_missing)
{
	ck_abort_msg("MCRED_TEST_PG is not set: the PostgreSQL half of the suite did not run "
	             "(scripts/test.sh starts a cluster with tests/store/pg-cluster.sh)");
}
END_TEST

/* Register add_cases on a "sqlite" TCase and, with $MCRED_TEST_PG, on a
 * "postgresql" one (a failing pg_missing under CI=true without it). extra
 * (may be NULL) adds SQLite-only cases. */
static inline Suite *two_backends(const char *name, void (*add_cases)(TCase *), void (*extra)(TCase *))
{
	Suite *su = suite_create(name);
	TCase *lite = tcase_create("sqlite");
	tcase_set_timeout(lite, 120);
	tcase_add_unchecked_fixture(lite, use_sqlite, NULL);
	add_cases(lite);
	if (extra)
		extra(lite);
	suite_add_tcase(su, lite);
	const char *pg = getenv("MCRED_TEST_PG");
	const char *ci = getenv("CI");
	bool have_pg = pg && *pg, in_ci = ci && strcmp(ci, "true") == 0;
	if (!have_pg && !in_ci) {
		printf("%s: MCRED_TEST_PG is not set: PostgreSQL half SKIPPED "
		       "(run scripts/test.sh, or: export MCRED_TEST_PG=$(bash tests/store/pg-cluster.sh start))\n",
		       name);
		return su;
	}
	TCase *tpg = tcase_create("postgresql");
	tcase_set_timeout(tpg, 120);
	if (have_pg) {
		tcase_add_unchecked_fixture(tpg, use_pg, NULL);
		add_cases(tpg);
	} else {
		tcase_add_test(tpg, pg_missing); /* CI must not pass by not running */
	}
	suite_add_tcase(su, tpg);
	return su;
}

#endif
