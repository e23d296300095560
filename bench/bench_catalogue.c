/*
 * bench_catalogue.c - catalogue search latency and pathway evaluation rate.
 *
 *   make bench-catalogue       200,000 generated offers; SQLite, and
 *                              PostgreSQL too when MCRED_TEST_PG is set
 *   BENCH_SECONDS=0.2 build/bench/bench_catalogue   smoke run (5,000 offers)
 *
 * Environment: BENCH_CATALOGUE_OFFERS (default 200000, 5000 when
 * BENCH_SECONDS < 1), BENCH_CATALOGUE_QUERIES (default 2000),
 * MCRED_TEST_PG (a PostgreSQL URL: a schema is created and dropped).
 *
 * Offers are generated from a fixed seed: titles, descriptions and
 * outcomes of words drawn from a 3,000-word vocabulary with a Zipf-like
 * skew (a few common words, a long tail, as real course texts), 500
 * providers, 20 ISCED-F fields, 10 countries, 5 languages, 3 modes. Each
 * query is 1-3 vocabulary words plus two filters drawn from (country, EQF
 * level, mode, language, ECTS range), limit 20; the latency of every query
 * is measured and the median and p99 reported.
 *
 * Pathways: a learner holding 50 signed credentials (eddsa-jcs-2022) and a
 * pathway of 12 parts (all of 6, any 3 of 10, at least 40 ECTS, a level
 * filter, within 5 years). Every credential is verified once through the
 * cache; then the evaluation is timed (a) over the cached facts, and (b)
 * including the 50 cache look-ups by SHA-256 digest per evaluation, as a
 * service that receives the credentials again would do.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "bench.h"
#include "mcred/mcred.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

#define VOCAB 3000
static char vocab[VOCAB][16];

/* Zipf-like: the square of a uniform number skews towards the head. */
static const char *word(void)
{
	double u = (double)rnd() / 4294967296.0;
	size_t i = (size_t)(u * u * VOCAB);
	return vocab[i < VOCAB ? i : VOCAB - 1];
}

static void make_vocab(void)
{
	static const char *const syl[] = {"da", "ta", "lo", "gi", "ma", "ne", "ri", "so", "ku", "ve", "ba", "te",
	                                  "ni", "ro", "la", "mi", "po", "se", "fu", "ka", "de", "li", "no", "ra"};
	for (size_t i = 0; i < VOCAB; i++) {
		size_t n = 2 + i % 3;
		vocab[i][0] = 0;
		for (size_t k = 0; k < n; k++)
			strcat(vocab[i], syl[rnd() % 24]);
	}
}

/* n words: Zipf-skewed as the texts (zipf), or uniform over the
 * vocabulary (what a searcher types: content words, not the head words
 * that occur in half the offers, which behave as stopwords) */
static void words_from(char *out, size_t cap, int n, int zipf)
{
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < n && len + 20 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", zipf ? word() : vocab[rnd() % VOCAB]);
}

static void words(char *out, size_t cap, int n)
{
	words_from(out, cap, n, 1);
}

static const char *const fields[] = {"0688", "0613", "0542", "0412", "0413", "0311", "0111", "0222", "0232", "0314",
                                     "0511", "0533", "0611", "0712", "0713", "0732", "0811", "0912", "0923", "1013"};
static const char *const countries[] = {"AT", "DE", "FI", "FR", "IT", "ES", "NL", "PL", "SE", "IE"};
static const char *const langs[] = {"en", "de", "fr", "fi", "es"};
static const char *const modes[] = {"online", "onsite", "blended"};
static const double ects_v[] = {1, 2, 3, 4, 5, 6, 10};

static void die(const char *what, const mc_err *e)
{
	fprintf(stderr, "bench_catalogue: %s: %s %s\n", what, e->path, e->msg);
	exit(1);
}

static void fill(mc_store *s, size_t n)
{
	enum { BATCH = 5000 };
	mc_offer *v = calloc(BATCH, sizeof *v);
	char title[128], desc[512], lo[512], json[2048];
	double t0 = now_s();
	for (size_t base = 0; base < n; base += BATCH) {
		size_t m = n - base < BATCH ? n - base : BATCH;
		for (size_t i = 0; i < m; i++) {
			mc_offer *o = &v[i];
			words(title, sizeof title, 3 + (int)(rnd() % 4));
			words(desc, sizeof desc, 12 + (int)(rnd() % 10));
			words(lo, sizeof lo, 18);
			char id[64], prov[64];
			snprintf(id, sizeof id, "https://p%u.example/o/%zu", (unsigned)(rnd() % 500), base + i);
			snprintf(prov, sizeof prov, "did:web:p%u.example", (unsigned)(rnd() % 500));
			const char *f = fields[rnd() % 20], *c = countries[rnd() % 10], *l = langs[rnd() % 5],
			           *md = modes[rnd() % 3];
			double ects = ects_v[rnd() % 7];
			int eqf = 3 + (int)(rnd() % 6);
			snprintf(json, sizeof json,
			         "{\"id\":\"%s\",\"provider\":\"%s\",\"title\":\"%s\",\"description\":\"%s\","
			         "\"learningOutcomes\":[\"%s\"],\"ects\":%g,\"eqfLevel\":%d,\"iscedF\":\"%s\",\"country\":\"%s\","
			         "\"language\":\"%s\",\"mode\":\"%s\"}",
			         id, prov, title, desc, lo, ects, eqf, f, c, l, md);
			mc_err e = {0};
			if (mc_offer_parse(json, strlen(json), o, &e) != MC_OK)
				die("offer", &e);
		}
		mc_err e = {0};
		if (mc_store_catalogue_put(s, v, m, &e) != MC_OK)
			die("put", &e);
		for (size_t i = 0; i < m; i++)
			mc_offer_clear(&v[i]);
	}
	free(v);
	printf("  loaded %zu offers in %.1f s\n", n, now_s() - t0);
}

/* CPU time of this thread: the search cost without the time other
 * processes on a shared machine take (the SQLite search runs in-process;
 * for PostgreSQL the server's work is not in it). */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void search(mc_store *s, const char *name, size_t nq, int zipf)
{
	double *lat = calloc(nq, sizeof *lat), *cpu = calloc(nq, sizeof *cpu);
	size_t hits = 0, empty = 0;
	for (size_t i = 0; i < nq; i++) {
		char text[64];
		words_from(text, sizeof text, 1 + (int)(rnd() % 3), zipf);
		mc_catalogue_query q = {.text = text, .limit = 20};
		/* two filters out of five */
		unsigned a = rnd() % 5, b = (a + 1 + rnd() % 4) % 5;
		for (unsigned k = 0; k < 5; k++) {
			if (k != a && k != b)
				continue;
			switch (k) {
			case 0: q.country = countries[rnd() % 10]; break;
			case 1: q.eqf = 3 + (int)(rnd() % 6); break;
			case 2: q.mode = modes[rnd() % 3]; break;
			case 3: q.language = langs[rnd() % 5]; break;
			default: q.ects_min = 2, q.ects_max = 6; break;
			}
		}
		mc_offer *out = NULL;
		size_t n = 0;
		mc_err e = {0};
		double t0 = now_s(), c0 = cpu_s();
		if (mc_store_catalogue_search(s, &q, &out, &n, &e) != MC_OK)
			die("search", &e);
		lat[i] = (now_s() - t0) * 1e3;
		cpu[i] = (cpu_s() - c0) * 1e3;
		hits += n;
		empty += n == 0;
		mc_offer_list_free(out, n);
	}
	qsort(lat, nq, sizeof *lat, cmp_d);
	qsort(cpu, nq, sizeof *cpu, cmp_d);
	size_t p99 = (size_t)((double)nq * 0.99);
	printf("  %s search, %s words: %zu queries (1-3 words + 2 filters, limit 20): wall median %.3f ms, p99 %.3f ms, max %.3f ms;"
	       " this process's CPU median %.3f ms, p99 %.3f ms; %.1f hits/query, %zu empty\n",
	       name, zipf ? "head-heavy (Zipf as the texts)" : "content (uniform over the vocabulary)", nq, lat[nq / 2], lat[p99], lat[nq - 1], cpu[nq / 2], cpu[p99], (double)hits / (double)nq, empty);
	free(lat);
	free(cpu);
}

static void run_store(const char *name, const char *url, size_t n, size_t nq)
{
	mc_store *s = NULL;
	mc_err e = {0};
	if (mc_store_open(url, &s, &e) != MC_OK)
		die("open", &e);
	printf("%s:\n", name);
	fill(s, n);
	/* warm the caches once, as a running service would be */
	search(s, "warm-up", nq / 10 ? nq / 10 : 1, 0);
	search(s, name, nq, 0);
	search(s, name, nq, 1);
	mc_store_close(s);
}

static void pg_exec(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bench_catalogue: %s: %s\n", sql, PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
	PQfinish(c);
}

/* ---- pathways ---------------------------------------------------------- */

static char *credential(const mc_keypair *kp, const char *did, int i)
{
	char ach[1024], iss[256];
	snprintf(ach, sizeof ach,
	         "{\"id\":\"https://uni.example/mc/%d\",\"title\":\"Course %d\",\"description\":\"A course.\","
	         "\"learningOutcomes\":[\"Analyse data\"],\"ects\":%d,\"eqfLevel\":%d,\"iscedF\":\"0688\","
	         "\"assessment\":{\"type\":\"written-exam\"},\"participation\":\"online\","
	         "\"qualityAssurance\":{\"type\":\"external-institutional\"}}",
	         i, i, 2 + i % 5, 5 + i % 3);
	snprintf(iss, sizeof iss, "{\"id\":\"%s\",\"name\":\"Test University\",\"country\":\"AT\"}", did);
	static const char lrn[] = "{\"id\":\"did:example:learner\",\"issued\":\"2025-06-30\"}";
	char *u = NULL, *c = NULL;
	mc_err e = {0};
	if (mc_credential_build(ach, strlen(ach), iss, strlen(iss), lrn, strlen(lrn), NULL, &u, &e) != MC_OK)
		die("build", &e);
	mc_proof_opts po = {.cryptosuite = MC_SUITE_EDDSA_JCS, .created = "2025-07-01T00:00:00Z"};
	if (mc_proof_add(u, strlen(u), kp, &po, &c, &e) != MC_OK)
		die("sign", &e);
	mc_free(u);
	return c;
}

static void pathways(double seconds)
{
	enum { N = 50 };
	mc_keypair kp;
	uint8_t seed[32] = {7};
	char did[MC_DID_KEY_MAX];
	mc_err e = {0};
	if (mc_keypair_from_seed(&kp, seed, &e) != MC_OK || mc_did_key_from_pk(kp.pk, did) != MC_OK)
		die("key", &e);
	char *cred[N];
	for (int i = 0; i < N; i++)
		cred[i] = credential(&kp, did, i);
	static const char pw_json[] =
		"{\"id\":\"https://uni.example/pathways/data\",\"title\":\"Certificate\","
		"\"rules\":{\"core\":{\"all\":[\"https://uni.example/mc/1\",\"https://uni.example/mc/2\",\"https://uni.example/mc/3\","
		"\"https://uni.example/mc/4\",\"https://uni.example/mc/5\",\"https://uni.example/mc/6\"]}},"
		"\"rule\":{\"and\":[{\"ref\":\"core\"},"
		"{\"any\":{\"n\":3,\"of\":[\"https://uni.example/mc/10\",\"https://uni.example/mc/12\",\"https://uni.example/mc/14\","
		"\"https://uni.example/mc/16\",\"https://uni.example/mc/18\",\"https://uni.example/mc/60\",\"https://uni.example/mc/61\","
		"\"https://uni.example/mc/62\",\"https://uni.example/mc/63\",\"https://uni.example/mc/64\"]}},"
		"{\"ects\":{\"min\":40}},{\"level\":{\"min\":6,\"rule\":{\"ects\":{\"min\":20}}}},{\"within\":{\"years\":5}}]}}";
	mc_pathway *pw = NULL;
	if (mc_pathway_parse(pw_json, strlen(pw_json), &pw, &e) != MC_OK)
		die("pathway", &e);
	mc_verify_cache *cache = NULL;
	mc_verify_opts vo = {0};
	if (mc_verify_cache_new(&vo, 0, &cache, &e) != MC_OK)
		die("cache", &e);
	const mc_cred_facts *facts[N];
	double t0 = now_s();
	for (int i = 0; i < N; i++)
		if (mc_verify_cache_get(cache, cred[i], strlen(cred[i]), &facts[i], NULL, &e) != MC_OK || !facts[i]->valid)
			die("verify", &e);
	double tv = now_s() - t0;
	int64_t now = 1767225600; /* 2026-01-01 */
	mc_pathway_result r;
	if (mc_pathway_eval(pw, facts, N, now, 1, &r, &e) != MC_OK)
		die("eval", &e);
	printf("pathways: %d credentials verified once in %.1f ms; pathway %s, progress %.2f, %zu used\n", N, tv * 1e3,
	       r.done ? "complete" : "not complete", r.progress, r.n_used);
	mc_pathway_result_clear(&r);
	for (int mode = 0; mode < 3; mode++) {
		size_t evals = 0;
		t0 = now_s();
		double t;
		do {
			for (int k = 0; k < 100; k++) {
				if (mode == 2)
					for (int i = 0; i < N; i++)
						if (mc_verify_cache_get(cache, cred[i], strlen(cred[i]), &facts[i], NULL, &e) != MC_OK)
							die("cache", &e);
				if (mc_pathway_eval(pw, facts, N, now, mode != 0, &r, &e) != MC_OK)
					die("eval", &e);
				mc_pathway_result_clear(&r);
				evals++;
			}
			t = now_s() - t0;
		} while (t < seconds);
		printf("  %s: %.0f evaluations/s\n",
		       mode == 0   ? "cached facts, verdict and progress only"
		       : mode == 1 ? "cached facts, with what is missing and what counted"
		                   : "50 cache look-ups by SHA-256 + evaluation with details",
		       (double)evals / t);
	}
	if (mc_verify_cache_runs(cache) != N) {
		fprintf(stderr, "bench_catalogue: the cache verified %zu times, want %d\n", mc_verify_cache_runs(cache), N);
		exit(1);
	}
	for (int i = 0; i < N; i++)
		mc_free(cred[i]);
	mc_verify_cache_free(cache);
	mc_pathway_free(pw);
}

int main(void)
{
	if (mc_init() != MC_OK)
		return 1;
	const char *bs = getenv("BENCH_SECONDS");
	double seconds = bs ? atof(bs) : 2.0;
	const char *no = getenv("BENCH_CATALOGUE_OFFERS"), *nq = getenv("BENCH_CATALOGUE_QUERIES");
	size_t n = no ? (size_t)strtoul(no, NULL, 10) : seconds < 1 ? 5000 : 200000;
	size_t q = nq ? (size_t)strtoul(nq, NULL, 10) : seconds < 1 ? 200 : 2000;
	make_vocab();
	char path[256], url[1400];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/mcred-bench-catalogue-%ld.db", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	snprintf(url, sizeof url, "sqlite:%s", path);
	run_store("sqlite", url, n, q);
	if (getenv("BENCH_CATALOGUE_KEEP")) /* keep the SQLite file for inspection */
		printf("  kept %s\n", path);
	else
		unlink(path);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", path), unlink(side);
	snprintf(side, sizeof side, "%s-shm", path), unlink(side);
	const char *pg = getenv("MCRED_TEST_PG");
	if (pg && *pg) {
		char schema[64], sql[128];
		snprintf(schema, sizeof schema, "bench_cat_%ld", (long)getpid());
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
		pg_exec(pg, sql);
		snprintf(url, sizeof url, "%s%soptions=-csearch_path%%3D%s", pg, strchr(pg, '?') ? "&" : "?", schema);
		run_store("postgresql", url, n, q);
		snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
		pg_exec(pg, sql);
	}
	pathways(seconds);
	return 0;
}
