/*
 * test_jsonld.c - JSON-LD 1.1 expansion and toRdf against the W3C JSON-LD
 * API test suite (../shared/vectors/json-ld-api: expand-manifest and
 * toRdf-manifest, every entry), plus unit tests of the loader, limits,
 * number forms and safe mode.
 *
 * Suite rules (tests/README.md of the suite): expand output is compared
 * with JSON-LD object comparison (arrays unordered except @list values);
 * toRdf output by dataset isomorphism, done here by canonicalizing both
 * sides with RDFC-1.0 and comparing the canonical N-Quads; negative tests
 * must fail with the expected error code (our messages start with it).
 * Remote documents are the suite's own files, served from the vector folder
 * by the test loader for https://w3c.github.io/json-ld-api/tests/.
 *
 * The suite run writes docs/conformance.md (figures, every skipped and
 * failing test with its reason) and fails when the pass rate of applicable
 * tests drops below the thresholds below, the rates achieved when they
 * were last raised.
 */
#include <math.h>
#include <stdarg.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "testutil.h"
#include "mcred/rdf.h"
#include "mcred/jsonld.h"

#define SUITE_URL "https://w3c.github.io/json-ld-api/tests/"
#define SUITE_DIR "json-ld-api/tests/"

/* Pass rates (percent of applicable tests) the suite must keep. */
#define EXPAND_MIN_PASS_RATE 100.0
#define TORDF_MIN_PASS_RATE 99.5

/* ---- Test loader: suite files by URL, then the bundled contexts ------- */

static mc_status suite_loader(void *user, const char *url, char **doc, size_t *len, mc_err *err)
{
	(void)user;
	size_t n = strlen(SUITE_URL);
	if (strncmp(url, SUITE_URL, n) == 0) {
		char path[2048];
		snprintf(path, sizeof path, "%s/%s%s", tu_vectors(), SUITE_DIR, url + n);
		FILE *f = fopen(path, "rb");
		if (!f) {
			snprintf(err->msg, sizeof err->msg, "no file %.400s", path);
			err->status = MC_ERR_IO;
			return MC_ERR_IO;
		}
		fseek(f, 0, SEEK_END);
		long sz = ftell(f);
		fseek(f, 0, SEEK_SET);
		char *b = malloc((size_t)sz + 1);
		if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
			free(b);
			fclose(f);
			return MC_ERR_IO;
		}
		fclose(f);
		b[sz] = '\0';
		*doc = b;
		*len = (size_t)sz;
		return MC_OK;
	}
	const char *t;
	mc_status st = mc_jsonld_bundled(url, &t, len, err);
	if (st != MC_OK)
		return st;
	*doc = malloc(*len + 1);
	if (!*doc)
		return MC_ERR_NOMEM;
	memcpy(*doc, t, *len + 1);
	return MC_OK;
}

/* ---- JSON-LD object comparison ------------------------------------------ */

static int jl_equal(const cJSON *a, const cJSON *b, int ordered);

static int arrays_equal(const cJSON *a, const cJSON *b, int ordered)
{
	int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
	if (na != nb)
		return 0;
	if (ordered) {
		for (const cJSON *x = a->child, *y = b->child; x; x = x->next, y = y->next)
			if (!jl_equal(x, y, 0))
				return 0;
		return 1;
	}
	/* equality is an equivalence, so greedy matching is exact */
	char *used = calloc((size_t)nb + 1, 1);
	int ok = 1;
	for (const cJSON *x = a->child; x && ok; x = x->next) {
		int i = 0, found = 0;
		for (const cJSON *y = b->child; y; y = y->next, i++)
			if (!used[i] && jl_equal(x, y, 0)) {
				used[i] = 1;
				found = 1;
				break;
			}
		ok = found;
	}
	free(used);
	return ok;
}

static int jl_equal(const cJSON *a, const cJSON *b, int ordered)
{
	if ((a->type & 0xFF) != (b->type & 0xFF))
		return 0;
	if (cJSON_IsArray(a))
		return arrays_equal(a, b, ordered);
	if (cJSON_IsObject(a)) {
		int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
		if (na != nb)
			return 0;
		for (const cJSON *x = a->child; x; x = x->next) {
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !jl_equal(x, y, strcmp(x->string, "@list") == 0))
				return 0;
		}
		return 1;
	}
	if (cJSON_IsNumber(a))
		return a->valuedouble == b->valuedouble;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	return 1;
}

/* ---- Suite runner ------------------------------------------------------- */

typedef struct run {
	const char *name;
	int total, pass, fail, skip;
	char *report; /* markdown lines of skipped and failing tests */
	size_t rlen, rcap;
} run;

static void note(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(run *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	if (r->rlen + (size_t)n + 2 > r->rcap) {
		r->rcap = (r->rcap + (size_t)n + 2) * 2;
		r->report = realloc(r->report, r->rcap);
		ck_assert(r->report != NULL);
	}
	memcpy(r->report + r->rlen, line, (size_t)n);
	r->rlen += (size_t)n;
	r->report[r->rlen++] = '\n';
	r->report[r->rlen] = '\0';
}

static int has_type(const cJSON *t, const char *want)
{
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(t, "@type");
	const cJSON *c;
	cJSON_ArrayForEach(c, ty)
	if (cJSON_IsString(c) && strcmp(c->valuestring, want) == 0)
		return 1;
	return 0;
}

static const char *opt_str(const cJSON *opt, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(opt, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Reason to skip a test, or NULL to run it. */
static const char *skip_reason(const cJSON *t, const cJSON *opt)
{
	const char *sv = opt_str(opt, "specVersion");
	if (sv && strcmp(sv, "json-ld-1.0") == 0)
		return "specVersion json-ld-1.0 only (this is a 1.1 processor)";
	const char *in = opt_str(t, "input");
	if (in && strstr(in, ".html"))
		return "HTML input (not supported)";
	if (opt_str(opt, "rdfDirection"))
		return "rdfDirection option (only rdfDirection null is supported)";
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(opt, "produceGeneralizedRdf");
	if (cJSON_IsTrue(g))
		return "produceGeneralizedRdf (generalized RDF not supported)";
	return NULL;
}

static char *canon_ds(mc_rdf_dataset *ds, mc_err *err)
{
	char *out = NULL;
	size_t n;
	if (mc_rdfc_canonicalize(ds, NULL, &out, &n, err) != MC_OK)
		return NULL;
	return out;
}

static void run_manifest(run *r, const char *manifest, int tordf, mc_jsonld_loader *loader)
{
	char *mtext = tu_vector(manifest, NULL);
	cJSON *m = cJSON_Parse(mtext);
	free(mtext);
	ck_assert_msg(m != NULL, "bad manifest %s", manifest);
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(m, "sequence"), *t;
	cJSON_ArrayForEach(t, seq)
	{
		const char *id = opt_str(t, "@id");
		const cJSON *opt = cJSON_GetObjectItemCaseSensitive(t, "option");
		r->total++;
		const char *why = skip_reason(t, opt);
		if (why) {
			r->skip++;
			note(r, "| %s | skipped | %s |", id, why);
			continue;
		}
		const char *in = opt_str(t, "input");
		char url[1024], base[1024], ectx[1024];
		snprintf(url, sizeof url, "%s%s", SUITE_URL, in);
		mc_jsonld_opts o = {0};
		snprintf(base, sizeof base, "%s", opt_str(opt, "base") ? opt_str(opt, "base") : url);
		o.base = base;
		const char *pm = opt_str(opt, "processingMode");
		o.mode = pm && strcmp(pm, "json-ld-1.0") == 0 ? MC_JSONLD_1_0 : MC_JSONLD_1_1;
		if (opt_str(opt, "expandContext")) {
			snprintf(ectx, sizeof ectx, "%s%s", SUITE_URL, opt_str(opt, "expandContext"));
			o.expand_context = ectx;
		}
		char path[1024];
		snprintf(path, sizeof path, "%s%s", SUITE_DIR, in);
		size_t ilen;
		char *input = tu_vector(path, &ilen);
		mc_err err = {0};
		mc_status st;
		char *out = NULL;
		mc_rdf_dataset *ds = NULL;
		if (tordf)
			st = mc_jsonld_to_rdf(input, ilen, loader, &o, &ds, &err);
		else
			st = mc_jsonld_expand(input, ilen, loader, &o, &out, NULL, &err);
		free(input);
		const char *code = opt_str(t, "expectErrorCode");
		const char *purpose = opt_str(t, "name");
		if (code) {
			size_t cl = strlen(code);
			if (st != MC_OK && strncmp(err.msg, code, cl) == 0 && err.msg[cl] == ':') {
				r->pass++;
			} else if (st != MC_OK) {
				r->fail++;
				note(r, "| %s | FAIL | %s: expected error \"%s\", got \"%s\" |", id, purpose, code, err.msg);
			} else {
				r->fail++;
				note(r, "| %s | FAIL | %s: expected error \"%s\", got success |", id, purpose, code);
			}
		} else if (st != MC_OK) {
			r->fail++;
			note(r, "| %s | FAIL | %s: unexpected error \"%s\" |", id, purpose, err.msg);
		} else if (has_type(t, "jld:PositiveSyntaxTest")) {
			r->pass++;
		} else if (!tordf) {
			char epath[1024];
			snprintf(epath, sizeof epath, "%s%s", SUITE_DIR, opt_str(t, "expect"));
			char *etext = tu_vector(epath, NULL);
			cJSON *exp = cJSON_Parse(etext), *got = cJSON_Parse(out);
			free(etext);
			if (exp && got && jl_equal(got, exp, 0)) {
				r->pass++;
			} else {
				r->fail++;
				note(r, "| %s | FAIL | %s: output differs: `%.300s` |", id, purpose, out);
			}
			cJSON_Delete(exp);
			cJSON_Delete(got);
		} else {
			char epath[1024];
			snprintf(epath, sizeof epath, "%s%s", SUITE_DIR, opt_str(t, "expect"));
			size_t elen;
			char *etext = tu_vector(epath, &elen);
			mc_rdf_dataset *eds = NULL;
			mc_err e2 = {0};
			char *c1 = NULL, *c2 = NULL;
			if (mc_rdf_dataset_new(&eds, &e2) == MC_OK && mc_nquads_parse(eds, etext, elen, &e2) == MC_OK) {
				c1 = canon_ds(ds, &e2);
				c2 = canon_ds(eds, &e2);
			}
			if (c1 && c2 && strcmp(c1, c2) == 0) {
				r->pass++;
			} else {
				r->fail++;
				for (char *p = c1; p && *p; p++)
					if (*p == '\n' || *p == '|')
						*p = ' ';
				note(r, "| %s | FAIL | %s: dataset differs%s%s: `%.400s` |", id, purpose, e2.msg[0] ? ": " : "",
				     e2.msg, c1 ? c1 : "");
			}
			free(c1);
			free(c2);
			free(etext);
			mc_rdf_dataset_free(eds);
		}
		mc_free(out);
		mc_rdf_dataset_free(ds);
	}
	cJSON_Delete(m);
}

static double rate(const run *r)
{
	int app = r->total - r->skip;
	return app ? 100.0 * r->pass / app : 100.0;
}

static void write_conformance(const run *e, const run *t)
{
	FILE *f = fopen("docs/conformance.md", "w");
	if (!f)
		return; /* not run from the repository root: figures are printed anyway */
	fprintf(f, "# JSON-LD 1.1 conformance (W3C JSON-LD API test suite)\n\n"
	           "Generated by `tests/test_jsonld.c` (make check) from the suite in the vector store\n"
	           "(`json-ld-api/`, w3c/json-ld-api @ 92f07705a0c0ac27aa9bc6fe1322dcc9fad0114d). Do not edit.\n\n"
	           "| manifest | tests | applicable | passed | failed | skipped | pass rate |\n"
	           "| --- | --- | --- | --- | --- | --- | --- |\n");
	const run *rs[2] = {e, t};
	for (int i = 0; i < 2; i++)
		fprintf(f, "| %s | %d | %d | %d | %d | %d | %.1f%% |\n", rs[i]->name, rs[i]->total, rs[i]->total - rs[i]->skip,
		        rs[i]->pass, rs[i]->fail, rs[i]->skip, rate(rs[i]));
	fprintf(f, "\nComparison: expand output by JSON-LD object comparison (arrays unordered except\n"
	           "`@list`); toRdf by RDFC-1.0 canonical N-Quads of both datasets (isomorphism);\n"
	           "negative tests must fail with the expected error code.\n");
	for (int i = 0; i < 2; i++) {
		fprintf(f, "\n## %s: skipped and failing tests\n\n| test | result | reason |\n| --- | --- | --- |\n",
		        rs[i]->name);
		if (rs[i]->report)
			fputs(rs[i]->report, f);
	}
	fclose(f);
}

START_TEST(w3c_suite)
{
	mc_jsonld_loader *loader = NULL;
	ck_assert_int_eq(mc_jsonld_loader_new(suite_loader, NULL, &loader, NULL), MC_OK);
	run e = {.name = "expand"}, t = {.name = "toRdf"};
	run_manifest(&e, SUITE_DIR "expand-manifest.jsonld", 0, loader);
	run_manifest(&t, SUITE_DIR "toRdf-manifest.jsonld", 1, loader);
	mc_jsonld_loader_free(loader);
	printf("jsonld expand: %d tests, %d passed, %d failed, %d skipped (%.1f%% of applicable)\n", e.total, e.pass,
	       e.fail, e.skip, rate(&e));
	printf("jsonld toRdf:  %d tests, %d passed, %d failed, %d skipped (%.1f%% of applicable)\n", t.total, t.pass,
	       t.fail, t.skip, rate(&t));
	write_conformance(&e, &t);
	if (getenv("MCRED_JSONLD_VERBOSE")) {
		fputs(e.report ? e.report : "", stdout);
		fputs(t.report ? t.report : "", stdout);
	}
	free(e.report);
	free(t.report);
	ck_assert_msg(rate(&e) >= EXPAND_MIN_PASS_RATE, "expand pass rate %.1f%% below %.1f%%", rate(&e),
	              EXPAND_MIN_PASS_RATE);
	ck_assert_msg(rate(&t) >= TORDF_MIN_PASS_RATE, "toRdf pass rate %.1f%% below %.1f%%", rate(&t),
	              TORDF_MIN_PASS_RATE);
}
END_TEST

static Suite *jsonld_suite(void)
{
	Suite *s = suite_create("jsonld");
	TCase *tc = tcase_create("w3c");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, w3c_suite);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(jsonld_suite)
