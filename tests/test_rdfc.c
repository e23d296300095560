/*
 * test_rdfc.c - RDF datasets, the strict N-Quads parser and RDFC-1.0.
 * Vectors: ../shared/vectors/rdf-canon (the W3C rdf-canon test suite, all
 * 86 entries of tests/manifest.jsonld: eval tests byte for byte, map tests
 * against the issued identifiers map, the poison negative test against the
 * work limit). Every parser acceptance has rejected twins, and every prefix
 * of every suite input parses to fewer quads or fails cleanly.
 */
#include <time.h>

#include <cjson/cJSON.h>

#include "testutil.h"
#include "mcred/rdf.h"

#define SUITE_DIR "rdf-canon/tests/"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static mc_rdf_dataset *parse_ok(const char *buf, size_t len)
{
	mc_rdf_dataset *ds = NULL;
	mc_err err = {0};
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, &err), MC_OK);
	mc_status st = mc_nquads_parse(ds, buf, len, &err);
	ck_assert_msg(st == MC_OK, "parse failed: %s (%s)", err.msg, mc_strerror(st));
	return ds;
}

/* Canonical N-Quads of an N-Quads text; caller frees. */
static char *canon_of(const char *buf, size_t len, const mc_rdfc_opts *o, size_t *out_len)
{
	mc_rdf_dataset *ds = parse_ok(buf, len);
	char *out = NULL;
	mc_err err = {0};
	mc_status st = mc_rdfc_canonicalize(ds, o, &out, out_len, &err);
	ck_assert_msg(st == MC_OK, "canonicalize failed: %s", err.msg);
	mc_rdf_dataset_free(ds);
	return out;
}

/* Parse status of buf, with the error kept for inspection. */
static mc_status parse_status(const char *buf, size_t len, mc_err *err, size_t *nquads)
{
	mc_rdf_dataset *ds = NULL;
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, NULL), MC_OK);
	mc_status st = mc_nquads_parse(ds, buf, len, err);
	if (nquads)
		*nquads = mc_rdf_dataset_size(ds);
	mc_rdf_dataset_free(ds);
	return st;
}

/* ---- W3C suite --------------------------------------------------------- */

typedef struct w3c_case {
	const char *id, *type, *action, *result;
	mc_rdfc_opts opts;
} w3c_case;

/* Run one manifest entry; 1 if it passes. why gets a reason otherwise. */
static int run_case(const w3c_case *c, char *why, size_t whylen)
{
	char rel[512];
	size_t in_len;
	snprintf(rel, sizeof rel, SUITE_DIR "%s", c->action);
	char *in = tu_vector(rel, &in_len);
	mc_rdf_dataset *ds = NULL;
	mc_err err = {0};
	int ok = 0;
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, NULL), MC_OK);
	if (mc_nquads_parse(ds, in, in_len, &err) != MC_OK) {
		snprintf(why, whylen, "parse: %s", err.msg);
		goto out;
	}
	if (strcmp(c->type, "rdfc:RDFC10NegativeEvalTest") == 0) {
		char *o = NULL;
		mc_status st = mc_rdfc_canonicalize(ds, &c->opts, &o, NULL, &err);
		ok = st == MC_ERR_TOO_LARGE && o == NULL && err.status == MC_ERR_TOO_LARGE &&
		     strstr(err.msg, "work limit") != NULL;
		if (!ok)
			snprintf(why, whylen, "expected the work limit, got %s: %s", mc_strerror(st), err.msg);
		goto out;
	}
	size_t exp_len;
	snprintf(rel, sizeof rel, SUITE_DIR "%s", c->result);
	char *exp = tu_vector(rel, &exp_len);
	if (strcmp(c->type, "rdfc:RDFC10EvalTest") == 0) {
		char *o = NULL;
		size_t n = 0;
		mc_status st = mc_rdfc_canonicalize(ds, &c->opts, &o, &n, &err);
		ok = st == MC_OK && n == exp_len && memcmp(o, exp, n) == 0 && o[n] == '\0';
		if (!ok)
			snprintf(why, whylen, "%s: %s\n--- got ---\n%.1500s--- expected ---\n%.1500s", mc_strerror(st),
			         err.msg, o ? o : "", exp);
		mc_free(o);
	} else if (strcmp(c->type, "rdfc:RDFC10MapTest") == 0) {
		mc_rdfc_map *m = NULL;
		mc_status st = mc_rdfc_canonicalize_map(ds, &c->opts, NULL, NULL, &m, &err);
		cJSON *j = cJSON_Parse(exp);
		ck_assert_ptr_nonnull(j);
		ok = st == MC_OK && (size_t)cJSON_GetArraySize(j) == mc_rdfc_map_count(m);
		if (!ok)
			snprintf(why, whylen, "%s %s: %zu entries, expected %d", mc_strerror(st), err.msg,
			         mc_rdfc_map_count(m), cJSON_GetArraySize(j));
		for (cJSON *e = j->child; ok && e; e = e->next) {
			const char *got = mc_rdfc_map_lookup(m, e->string);
			ok = got && cJSON_IsString(e) && strcmp(got, e->valuestring) == 0;
			if (!ok)
				snprintf(why, whylen, "%s -> %s, expected %s", e->string, got ? got : "(none)",
				         cJSON_IsString(e) ? e->valuestring : "?");
		}
		/* entry i is c14n<i>, and get() agrees with lookup() */
		for (size_t i = 0; ok && i < mc_rdfc_map_count(m); i++) {
			const char *a, *b;
			char want[32];
			snprintf(want, sizeof want, "c14n%zu", i);
			ok = mc_rdfc_map_get(m, i, &a, &b) && strcmp(b, want) == 0 &&
			     strcmp(mc_rdfc_map_lookup(m, a), b) == 0;
			if (!ok)
				snprintf(why, whylen, "map entry %zu inconsistent", i);
		}
		cJSON_Delete(j);
		mc_rdfc_map_free(m);
	} else {
		snprintf(why, whylen, "unknown test type %s", c->type);
	}
	free(exp);
out:
	mc_rdf_dataset_free(ds);
	free(in);
	return ok;
}

static cJSON *load_manifest(void)
{
	char *m = tu_vector(SUITE_DIR "manifest.jsonld", NULL);
	cJSON *j = cJSON_Parse(m);
	free(m);
	ck_assert_ptr_nonnull(j);
	return j;
}

static w3c_case case_of(const cJSON *e)
{
	w3c_case c = {0};
	c.id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
	c.type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type"));
	c.action = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "action"));
	c.result = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "result"));
	const char *h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "hashAlgorithm"));
	ck_assert_msg(c.id && c.type && c.action, "manifest entry without id/type/action");
	ck_assert_msg(!h || strcmp(h, "SHA384") == 0 || strcmp(h, "SHA256") == 0, "unknown hash %s", h);
	c.opts.hash = h && strcmp(h, "SHA384") == 0 ? MC_RDFC_SHA384 : MC_RDFC_SHA256;
	return c;
}

START_TEST(w3c_suite)
{
	cJSON *man = load_manifest();
	cJSON *entries = cJSON_GetObjectItemCaseSensitive(man, "entries");
	int total = cJSON_GetArraySize(entries), passed = 0, eval = 0, map = 0, neg = 0;
	double t0 = now_us();
	for (cJSON *e = entries->child; e; e = e->next) {
		w3c_case c = case_of(e);
		char why[4096] = "";
		if (run_case(&c, why, sizeof why))
			passed++;
		else
			printf("rdf-canon %s (%s) FAILED: %s\n", c.id, c.type, why);
		eval += strcmp(c.type, "rdfc:RDFC10EvalTest") == 0;
		map += strcmp(c.type, "rdfc:RDFC10MapTest") == 0;
		neg += strcmp(c.type, "rdfc:RDFC10NegativeEvalTest") == 0;
	}
	double t1 = now_us();
	printf("rdf-canon: %d/%d passed (%d eval, %d map, %d negative) in %.1f ms\n", passed, total, eval, map, neg,
	       (t1 - t0) / 1000.0);
	ck_assert_int_eq(total, 86);
	ck_assert_int_eq(passed, total);
	cJSON_Delete(man);
}
END_TEST

/* Canonical output is a fixed point, and does not depend on the order of
 * the input lines nor on the blank node labels. */
START_TEST(w3c_invariance)
{
	cJSON *man = load_manifest();
	cJSON *entries = cJSON_GetObjectItemCaseSensitive(man, "entries");
	int checked = 0;
	for (cJSON *e = entries->child; e; e = e->next) {
		w3c_case c = case_of(e);
		if (strcmp(c.type, "rdfc:RDFC10EvalTest") != 0)
			continue;
		char rel[512];
		size_t in_len, n1, n2, n3;
		snprintf(rel, sizeof rel, SUITE_DIR "%s", c.action);
		char *in = tu_vector(rel, &in_len);
		char *o1 = canon_of(in, in_len, &c.opts, &n1);
		char *o2 = canon_of(o1, n1, &c.opts, &n2);
		ck_assert_msg(n1 == n2 && memcmp(o1, o2, n1) == 0, "%s: not a fixed point", c.id);
		/* reverse the lines and rename every blank node _:x -> _:r_x */
		char *rev = malloc(2 * in_len + 2), *w = rev;
		ck_assert_ptr_nonnull(rev);
		size_t end = in_len;
		while (end > 0) {
			size_t st = end - 1;
			while (st > 0 && in[st - 1] != '\n')
				st--;
			for (size_t i = st; i < end; i++) {
				*w++ = in[i];
				if (in[i] == '_' && i + 1 < end && in[i + 1] == ':' && (i == st || in[i - 1] == ' ')) {
					*w++ = ':', *w++ = 'r', *w++ = '_';
					i++;
				}
			}
			if (w > rev && w[-1] != '\n')
				*w++ = '\n';
			end = st;
		}
		char *o3 = canon_of(rev, (size_t)(w - rev), &c.opts, &n3);
		ck_assert_msg(n1 == n3 && memcmp(o1, o3, n1) == 0, "%s: depends on order or labels:\n%s\nvs\n%s", c.id,
		              o1, o3);
		free(rev);
		mc_free(o1);
		mc_free(o2);
		mc_free(o3);
		free(in);
		checked++;
	}
	ck_assert_int_eq(checked, 64);
	cJSON_Delete(man);
}
END_TEST

/* Every truncated prefix of every suite input parses to no more quads than
 * the whole, or fails with a located error; never crashes or leaks. */
START_TEST(prefixes)
{
	cJSON *man = load_manifest();
	cJSON *entries = cJSON_GetObjectItemCaseSensitive(man, "entries");
	size_t files = 0, fails = 0;
	for (cJSON *e = entries->child; e; e = e->next) {
		w3c_case c = case_of(e);
		if (strcmp(c.type, "rdfc:RDFC10MapTest") == 0)
			continue; /* same inputs as the eval tests */
		char rel[512];
		size_t in_len, full;
		snprintf(rel, sizeof rel, SUITE_DIR "%s", c.action);
		char *in = tu_vector(rel, &in_len);
		ck_assert_int_eq(parse_status(in, in_len, NULL, &full), MC_OK);
		for (size_t n = 0; n < in_len; n++) {
			char *copy = malloc(n ? n : 1); /* exact size: ASan sees any overread */
			memcpy(copy, in, n);
			mc_err err = {0};
			size_t got;
			mc_status st = parse_status(copy, n, &err, &got);
			if (st == MC_OK) {
				ck_assert_uint_le(got, full);
			} else {
				fails++;
				ck_assert_int_eq(st, MC_ERR_VALUE);
				ck_assert_int_eq(err.status, MC_ERR_VALUE);
				ck_assert_str_eq(err.path, "nquads");
				ck_assert_msg(strncmp(err.msg, "line ", 5) == 0, "unlocated error: %s", err.msg);
			}
			free(copy);
		}
		free(in);
		files++;
	}
	printf("rdf-canon prefixes: %zu files, %zu truncations rejected\n", files, fails);
	ck_assert_uint_eq(files, 65);
	cJSON_Delete(man);
}
END_TEST

/* ---- parser: accepted and rejected inputs ------------------------------- */

static const struct {
	const char *in;
	size_t len; /* 0: strlen */
	const char *msg; /* part of the expected message */
} bad[] = {
    {"<http://a b> <a:p> <a:o> .", 0, "space in IRI"},
    {"<http://a<b> <a:p> <a:o> .", 0, "not allowed in IRI"},
    {"<http://a{b}> <a:p> <a:o> .", 0, "not allowed in IRI"},
    {"<http://a\\u0020b> <a:p> <a:o> .", 0, "U+0020"},
    {"<http://a\\u003Eb> <a:p> <a:o> .", 0, "U+003E"},
    {"<http://a\\n> <a:p> <a:o> .", 0, "only \\u and \\U"},
    {"<relative> <a:p> <a:o> .", 0, "not absolute"},
    {"<:x> <a:p> <a:o> .", 0, "not absolute"},
    {"<1a:x> <a:p> <a:o> .", 0, "not absolute"},
    {"<a:s> <a:p> <a:o", 0, "unterminated IRI"},
    {"<a:s> <a:p> <a:o\n> .", 0, "line break in IRI"},
    {"<a:s> <a:p> \"\\a\" .", 0, "invalid escape"},
    {"<a:s> <a:p> \"\\u12\" .", 0, "4 hex digits"},
    {"<a:s> <a:p> \"\\u12", 0, "truncated"},
    {"<a:s> <a:p> \"\\U0011FFFF\" .", 0, "beyond U+10FFFF"},
    {"<a:s> <a:p> \"\\uD800\" .", 0, "surrogate"},
    {"<a:s> <a:p> \"\\uDFFF\" .", 0, "surrogate"},
    {"<a:s> <a:p> \"\\uD83C\\uDF03\" .", 0, "surrogate"},
    {"<a:s> <a:p> <a:\\uD800> .", 0, "surrogate"},
    {"<a:s> <a:p> \"a\0b\" .", 16, "NUL byte"},
    {"<a:s> <a:p> <a:o> . # c\0mment", 29, "NUL byte"},
    {"<a:s> <a:p> \"\xC3\x28\" .", 0, "invalid UTF-8"},
    {"<a:s> <a:p> \"\xC0\xAF\" .", 0, "invalid UTF-8"},
    {"<a:s> <a:p> \"\xED\xA0\x80\" .", 0, "invalid UTF-8"},
    {"<a:s> <a:p> \"\xF4\x90\x80\x80\" .", 0, "invalid UTF-8"},
    {"<a:s> <a:p> \"abc .", 0, "unterminated string"},
    {"<a:s> <a:p> \"abc\n\" .", 0, "line break inside a string"},
    {"<a:s> <a:p> \"abc\\", 0, "unterminated string"},
    {"<a:s> <a:p> \"a\"@ .", 0, "language tag"},
    {"<a:s> <a:p> \"a\"@1en .", 0, "language tag"},
    {"<a:s> <a:p> \"a\"@en- .", 0, "language tag"},
    {"<a:s> <a:p> \"a\"@en--us .", 0, "language tag"},
    {"<a:s> <a:p> \"a\"@abcdefghi .", 0, "longer than 8"},
    {"<a:s> <a:p> \"a\"@en-abcdefghi .", 0, "longer than 8"},
    {"<a:s> <a:p> \"a\"@en_US .", 0, "\"_:\""},
    {"<a:s> <a:p> \"a\"@en--ltr .", 0, "language tag"},
    {"<a:s> <a:p> \"a\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .", 0, "langString"},
    {"<a:s> <a:p> \"a\"^^xsd:string .", 0, "^^<datatype IRI>"},
    {"<a:s> <a:p> \"a\"^<a:d> .", 0, "^^<datatype IRI>"},
    {"<a:s> <a:p> <a:o>", 0, "expected '.'"},
    {"<a:s> <a:p> <a:o> . <a:s> <a:p> <a:o> .", 0, "end of the line"},
    {"<a:s> <a:p> <a:o> <a:g> <a:h> .", 0, "expected '.'"},
    {"\"s\" <a:p> <a:o> .", 0, "expected a subject"},
    {"<a:s> _:p <a:o> .", 0, "predicate"},
    {"<a:s> \"p\" <a:o> .", 0, "predicate"},
    {"<a:s> <a:p> <a:o> \"g\" .", 0, "expected '.'"},
    {"<a:s> <a:p> .", 0, "expected an object"},
    {"_: <a:p> <a:o> .", 0, "must start with"},
    {"_:.a <a:p> <a:o> .", 0, "must start with"},
    {"_:-a <a:p> <a:o> .", 0, "must start with"},
    {"_a <a:p> <a:o> .", 0, "\"_:\""},
    {"<a:s> <a:p> _:", 0, "empty blank node label"},
    {"<<( <a:s> <a:p> <a:o> )>> <a:p> <a:o> .", 0, "not allowed in IRI"},
    {"VERSION \"1.2\"", 0, "expected a subject"},
    {"@prefix a: <a:> .", 0, "expected a subject"},
    {"<a:s> <a:p> 1 .", 0, "expected an object"},
    {"<a:s> <a:p> '1' .", 0, "expected an object"},
    {"<a:s>\n<a:p> <a:o> .", 0, "predicate"},
    {"_:s.x <a:p> _:o.. # the label is o, the first '.' ends the statement", 0, "end of the line"},
};

START_TEST(parse_rejects)
{
	size_t len = bad[_i].len ? bad[_i].len : strlen(bad[_i].in);
	mc_err err = {0};
	size_t n = 99;
	mc_status st = parse_status(bad[_i].in, len, &err, &n);
	ck_assert_msg(st == MC_ERR_VALUE, "case %d accepted: %s", _i, bad[_i].in);
	ck_assert_int_eq(err.status, MC_ERR_VALUE);
	ck_assert_str_eq(err.path, "nquads");
	ck_assert_msg(strncmp(err.msg, "line 1, column ", 15) == 0 || strncmp(err.msg, "line 2, column ", 15) == 0,
	              "case %d: %s", _i, err.msg);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL, "case %d: message \"%s\" lacks \"%s\"", _i, err.msg,
	              bad[_i].msg);
}
END_TEST

START_TEST(parse_accepts)
{
	static const struct {
		const char *in;
		size_t quads;
	} good[] = {
	    {"", 0},
	    {"\n\r\n  \t\n", 0},
	    {"# only a comment", 0},
	    {"<a:s><a:p><a:o>.", 1},
	    {"_:s<a:p>_:o.", 1},
	    {"<a:s> <a:p> \"x\"@en-US.", 1},
	    {"<a:s> <a:p> \"x\"^^<a:dt><a:g>.", 1},
	    {"<a:s>\t<a:p>\t<a:o>\t<a:g>\t.\t# comment\r\n<a:s> <a:p> <a:o> .", 2},
	    {"<a:s> <a:p> \"a\" .\n<a:s> <a:p> \"a\"^^<http://www.w3.org/2001/XMLSchema#string> .\n", 1},
	    {"<a:s> <a:p> \"a\"@en .\n<a:s> <a:p> \"a\"@EN .\n", 2},
	    {"<a:s> <a:p> <a:o> .\n<a:s> <a:p> <a:o> <a:g> .\n<a:s> <a:p> <a:o> .\n", 2},
	    {"_:a <a:p> _:a _:a .", 1},
	    {"_:\xC3\xA9t\xC3\xA9-1\xC2\xB7x <a:p> \"\\U0001F303\\u00e9\\t\" .", 1},
	    {"<a:s> <a:p> \"\\u0000\" .", 1},
	    {"<a:s> <a:p> \"a\"@abcdefgh-12345678 .", 1},
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		mc_err err = {0};
		size_t n = 0;
		mc_status st = parse_status(good[i].in, strlen(good[i].in), &err, &n);
		ck_assert_msg(st == MC_OK, "case %zu rejected: %s", i, err.msg);
		ck_assert_msg(n == good[i].quads, "case %zu: %zu quads", i, n);
	}
	/* label may contain dots inside */
	size_t n = 0;
	ck_assert_int_eq(parse_status("_:a.b.c <a:p> _:d.e.", 20, NULL, &n), MC_OK);
	ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(parse_locates)
{
	mc_err err = {0};
	const char *in = "<a:s> <a:p> <a:o> .\r\n# comment\n\n<a:s> <a:p> \"\xC3\xA9t\xC3\xA9\"@1x .\n";
	ck_assert_int_eq(parse_status(in, strlen(in), &err, NULL), MC_ERR_VALUE);
	ck_assert_msg(strncmp(err.msg, "line 4, column 18: ", 19) == 0, "%s", err.msg);
	/* canonical escaping of every control character, and none of the rest */
	const char *lit = "<a:s> <a:p> \"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001F\\\"\\\\\\u007f'\\u0080~\" .\n";
	size_t on;
	char *o = canon_of(lit, strlen(lit), NULL, &on);
	ck_assert_str_eq(o, "<a:s> <a:p> \"\\u0000\\u0001\\b\\t\\n\\u000B\\f\\r\\u001F\\\"\\\\\\u007F'\xC2\x80~\" .\n");
	mc_free(o);
}
END_TEST

/* ---- API ------------------------------------------------------------------- */

START_TEST(api_build)
{
	mc_rdf_dataset *ds = NULL;
	mc_err err = {0};
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, &err), MC_OK);
	mc_rdf_term s = {MC_RDF_BLANK, "cred", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term p = {MC_RDF_IRI, "https://schema.org/name", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term o = {MC_RDF_LITERAL, "a\0b\"", 4, NULL, "en"};
	mc_rdf_term g = {MC_RDF_BLANK, "g1", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term o2 = {MC_RDF_LITERAL, "5", MC_RDF_NTS, "http://www.w3.org/2001/XMLSchema#integer", NULL};
	mc_rdf_term o3 = {MC_RDF_LITERAL, "x", MC_RDF_NTS, "http://www.w3.org/2001/XMLSchema#string", NULL};
	mc_rdf_term dg = {MC_RDF_DEFAULT_GRAPH, NULL, 0, NULL, NULL};
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o, &g, &err), MC_OK);
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o2, NULL, &err), MC_OK);
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o2, &dg, &err), MC_OK); /* same quad */
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o3, NULL, &err), MC_OK);
	ck_assert_uint_eq(mc_rdf_dataset_size(ds), 3);
	char *out = NULL;
	size_t n;
	mc_rdfc_map *m = NULL;
	ck_assert_int_eq(mc_rdfc_canonicalize_map(ds, NULL, &out, &n, &m, &err), MC_OK);
	const char *nq = "_:c14n1 <https://schema.org/name> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
	                 "_:c14n1 <https://schema.org/name> \"a\\u0000b\\\"\"@en _:c14n0 .\n"
	                 "_:c14n1 <https://schema.org/name> \"x\" .\n";
	ck_assert_str_eq(out, nq);
	ck_assert_uint_eq(n, strlen(nq));
	ck_assert_uint_eq(mc_rdfc_map_count(m), 2);
	ck_assert_str_eq(mc_rdfc_map_lookup(m, "cred"), "c14n1");
	ck_assert_str_eq(mc_rdfc_map_lookup(m, "g1"), "c14n0");
	ck_assert_ptr_null(mc_rdfc_map_lookup(m, "nope"));
	const char *a, *b;
	ck_assert_int_eq(mc_rdfc_map_get(m, 2, &a, &b), 0);
	ck_assert_ptr_null(a);
	mc_rdfc_map_free(m);
	/* the same dataset written as N-Quads canonicalizes the same */
	size_t n2;
	char *out2 = canon_of(nq, strlen(nq), NULL, &n2);
	ck_assert_str_eq(out2, out);
	mc_free(out2);
	mc_free(out);

	/* misuse and bad terms leave the dataset as it was */
	mc_rdf_term lit = {MC_RDF_LITERAL, "x", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term bad_iri = {MC_RDF_IRI, "http://a b", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term rel_iri = {MC_RDF_IRI, "a/b", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term bad_lbl = {MC_RDF_BLANK, "a b", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term bad_lang = {MC_RDF_LITERAL, "x", MC_RDF_NTS, NULL, "en-"};
	mc_rdf_term both = {MC_RDF_LITERAL, "x", MC_RDF_NTS, "a:dt", "en"};
	mc_rdf_term ls = {MC_RDF_LITERAL, "x", MC_RDF_NTS, "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", NULL};
	mc_rdf_term bad_utf = {MC_RDF_LITERAL, "\xED\xA0\x80", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term null_v = {MC_RDF_IRI, NULL, 0, NULL, NULL};
	struct {
		const mc_rdf_term *s, *p, *o, *g;
		mc_status st;
		const char *path;
	} cases[] = {
	    {&lit, &p, &o2, NULL, MC_ERR_ARG, "subject"},
	    {&s, &s, &o2, NULL, MC_ERR_ARG, "predicate"},
	    {&s, &p, &o2, &lit, MC_ERR_ARG, "graph"},
	    {&s, &p, &dg, NULL, MC_ERR_ARG, "object"},
	    {&s, &p, &bad_iri, NULL, MC_ERR_VALUE, "object"},
	    {&rel_iri, &p, &o2, NULL, MC_ERR_VALUE, "subject"},
	    {&bad_lbl, &p, &o2, NULL, MC_ERR_VALUE, "subject"},
	    {&s, &p, &bad_lang, NULL, MC_ERR_VALUE, "object"},
	    {&s, &p, &both, NULL, MC_ERR_VALUE, "object"},
	    {&s, &p, &ls, NULL, MC_ERR_VALUE, "object"},
	    {&s, &p, &bad_utf, NULL, MC_ERR_VALUE, "object"},
	    {&s, &null_v, &o2, NULL, MC_ERR_ARG, "predicate"},
	    {&s, NULL, &o2, NULL, MC_ERR_ARG, "predicate"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mc_err e = {0};
		ck_assert_int_eq(mc_rdf_dataset_add(ds, cases[i].s, cases[i].p, cases[i].o, cases[i].g, &e), cases[i].st);
		ck_assert_str_eq(e.path, cases[i].path);
		ck_assert_uint_eq(mc_rdf_dataset_size(ds), 3);
	}
	ck_assert_int_eq(mc_rdfc_canonicalize(NULL, NULL, &out, &n, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, NULL, &n, NULL), MC_ERR_ARG);
	mc_rdfc_opts bad_hash = {.hash = (mc_rdfc_hash)7};
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, &bad_hash, &out, &n, NULL), MC_ERR_ARG);
	ck_assert_ptr_null(out);
	mc_rdf_dataset_free(ds);
	mc_rdf_dataset_free(NULL);
	mc_rdfc_map_free(NULL);

	/* empty dataset: empty output */
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, NULL), MC_OK);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, &out, &n, NULL), MC_OK);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(n, 0);
	mc_free(out);
	mc_rdf_dataset_free(ds);
}
END_TEST

/* ---- limits ------------------------------------------------------------------ */

START_TEST(limits)
{
	/* input size */
	char *big = malloc((size_t)MC_NQUADS_MAX_BYTES + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, '\n', (size_t)MC_NQUADS_MAX_BYTES + 1);
	mc_err err = {0};
	ck_assert_int_eq(parse_status(big, (size_t)MC_NQUADS_MAX_BYTES, &err, NULL), MC_OK);
	ck_assert_int_eq(parse_status(big, (size_t)MC_NQUADS_MAX_BYTES + 1, &err, NULL), MC_ERR_TOO_LARGE);
	free(big);

	/* quad count */
	mc_rdf_dataset *ds = NULL;
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, NULL), MC_OK);
	mc_rdf_term s = {MC_RDF_IRI, "a:s", MC_RDF_NTS, NULL, NULL};
	mc_rdf_term p = {MC_RDF_IRI, "a:p", MC_RDF_NTS, NULL, NULL};
	char num[32];
	mc_rdf_term o = {MC_RDF_LITERAL, num, MC_RDF_NTS, NULL, NULL};
	for (unsigned i = 0; i < MC_RDF_MAX_QUADS; i++) {
		snprintf(num, sizeof num, "%u", i);
		ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o, NULL, NULL), MC_OK);
	}
	memset(&err, 0, sizeof err);
	snprintf(num, sizeof num, "x");
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o, NULL, &err), MC_ERR_TOO_LARGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "MC_RDF_MAX_QUADS"));
	snprintf(num, sizeof num, "7"); /* present already: a set, so fine */
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &s, &p, &o, NULL, NULL), MC_OK);
	ck_assert_uint_eq(mc_rdf_dataset_size(ds), MC_RDF_MAX_QUADS);
	mc_rdf_dataset_free(ds);

	/* blank nodes */
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, NULL), MC_OK);
	mc_rdf_term b = {MC_RDF_BLANK, num, MC_RDF_NTS, NULL, NULL};
	for (unsigned i = 0; i < MC_RDF_MAX_BLANK_NODES; i++) {
		snprintf(num, sizeof num, "b%u", i);
		ck_assert_int_eq(mc_rdf_dataset_add(ds, &b, &p, &s, NULL, NULL), MC_OK);
	}
	memset(&err, 0, sizeof err);
	snprintf(num, sizeof num, "last");
	ck_assert_int_eq(mc_rdf_dataset_add(ds, &b, &p, &s, NULL, &err), MC_ERR_TOO_LARGE);
	ck_assert_str_eq(err.path, "subject");
	mc_rdf_dataset_free(ds);

	/* output: one 1 MiB literal on 70 lines is 70 MiB of N-Quads */
	ck_assert_int_eq(mc_rdf_dataset_new(&ds, NULL), MC_OK);
	size_t ln = 1u << 20;
	char *lit = malloc(ln);
	memset(lit, 'x', ln);
	mc_rdf_term L = {MC_RDF_LITERAL, lit, ln, NULL, NULL};
	mc_rdf_term S = {MC_RDF_IRI, num, MC_RDF_NTS, NULL, NULL};
	for (int i = 0; i < 70; i++) {
		snprintf(num, sizeof num, "a:%d", i);
		ck_assert_int_eq(mc_rdf_dataset_add(ds, &S, &p, &L, NULL, NULL), MC_OK);
	}
	free(lit);
	char *out = NULL;
	size_t n;
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, &out, &n, &err), MC_ERR_TOO_LARGE);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err.msg, "MC_RDFC_MAX_OUTPUT_BYTES"));
	mc_rdf_dataset_free(ds);
}
END_TEST

/* Work limits: the defaults pass every positive test (w3c_suite), the
 * poison clique fails under each limit alone, and tight options bite. */
START_TEST(work_limits)
{
	size_t len;
	char *clique = tu_vector(SUITE_DIR "rdfc10/test074-in.nq", &len);
	mc_rdf_dataset *ds = parse_ok(clique, len);
	char *out = NULL;
	size_t n;
	mc_err err = {0};
	double t0 = now_us();
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, &out, &n, &err), MC_ERR_TOO_LARGE);
	double t1 = now_us();
	printf("rdf-canon poison clique rejected in %.2f ms: %s\n", (t1 - t0) / 1000, err.msg);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(err.path, "dataset");
	/* each limit alone stops it */
	mc_rdfc_opts only_calls = {.max_ndegree_calls = 500, .max_work = UINT64_MAX};
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, &only_calls, &out, &n, &err), MC_ERR_TOO_LARGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "calls of Hash N-Degree Quads"));
	mc_rdfc_opts only_work = {.max_ndegree_calls = UINT64_MAX, .max_work = 100000};
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, &only_work, &out, &n, &err), MC_ERR_TOO_LARGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "units of work"));
	mc_rdf_dataset_free(ds);
	free(clique);

	/* the double circle needs Hash N-Degree Quads: 1 call is not enough */
	char *dc = tu_vector(SUITE_DIR "rdfc10/test044-in.nq", &len);
	ds = parse_ok(dc, len);
	mc_rdfc_opts one = {.max_ndegree_calls = 1};
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, &one, &out, &n, &err), MC_ERR_TOO_LARGE);
	mc_rdfc_opts little_work = {.max_work = 100};
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, &little_work, &out, &n, NULL), MC_ERR_TOO_LARGE);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, &out, &n, NULL), MC_OK);
	mc_free(out);
	mc_rdf_dataset_free(ds);
	free(dc);

	/* a chain of look-alike blank nodes deeper than MC_RDFC_MAX_DEPTH */
	size_t cap = 64 * (MC_RDFC_MAX_DEPTH + 10);
	char *chain = malloc(cap), *w = chain;
	for (unsigned i = 0; i < MC_RDFC_MAX_DEPTH + 8; i++)
		w += snprintf(w, cap - (size_t)(w - chain), "_:n%u <a:next> _:n%u .\n", i, i + 1);
	w += snprintf(w, cap - (size_t)(w - chain), "_:n%u <a:next> _:n0 .\n", MC_RDFC_MAX_DEPTH + 8);
	ds = parse_ok(chain, (size_t)(w - chain));
	mc_rdfc_opts roomy = {.max_ndegree_calls = UINT64_MAX, .max_work = UINT64_MAX};
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(mc_rdfc_canonicalize(ds, &roomy, &out, &n, &err), MC_ERR_TOO_LARGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "deeper than"));
	mc_rdf_dataset_free(ds);
	free(chain);

	/* Two look-alike hubs sharing 5,000 look-alike leaves: one related
	 * group of 5,000 nodes. Must stop on the limits, quickly, even with the
	 * call limit lifted (the work budget bounds a single huge permutation). */
	for (int lift = 0; lift < 2; lift++) {
		cap = 64 * 10000;
		chain = malloc(cap);
		w = chain;
		for (unsigned i = 0; i < 5000; i++)
			w += snprintf(w, cap - (size_t)(w - chain), "_:h1 <a:p> _:l%u .\n_:h2 <a:p> _:l%u .\n", i, i);
		ds = parse_ok(chain, (size_t)(w - chain));
		mc_rdfc_opts o = {.max_ndegree_calls = lift ? UINT64_MAX : 0};
		memset(&err, 0, sizeof err);
		t0 = now_us();
		ck_assert_int_eq(mc_rdfc_canonicalize(ds, &o, &out, &n, &err), MC_ERR_TOO_LARGE);
		t1 = now_us();
		printf("rdf-canon 2 hubs x 5000 leaves rejected in %.2f ms: %s\n", (t1 - t0) / 1000, err.msg);
		mc_rdf_dataset_free(ds);
		free(chain);
	}
}
END_TEST

/* Time one of the larger suite inputs (sanitizer build: an upper bound). */
START_TEST(timing)
{
	static const char *files[] = {"test044-in.nq", "test060-in.nq", "test053-in.nq"};
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		char rel[256];
		size_t len;
		snprintf(rel, sizeof rel, SUITE_DIR "rdfc10/%s", files[f]);
		char *in = tu_vector(rel, &len);
		mc_rdf_dataset *ds = parse_ok(in, len);
		int iters = 0;
		double t0 = now_us();
		while (iters < 200 && now_us() - t0 < 200000) { /* 200 runs or 0.2 s */
			char *out = NULL;
			size_t n;
			ck_assert_int_eq(mc_rdfc_canonicalize(ds, NULL, &out, &n, NULL), MC_OK);
			mc_free(out);
			iters++;
		}
		double t1 = now_us();
		printf("rdf-canon timing %s (%zu quads): %.1f us per canonicalization (ASan build)\n", files[f],
		       mc_rdf_dataset_size(ds), (t1 - t0) / iters);
		mc_rdf_dataset_free(ds);
		free(in);
	}
}
END_TEST

static Suite *rdfc_suite(void)
{
	Suite *s = suite_create("rdfc");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, w3c_suite);
	tcase_add_test(tc, w3c_invariance);
	tcase_add_test(tc, prefixes);
	tcase_add_loop_test(tc, parse_rejects, 0, (int)(sizeof bad / sizeof *bad));
	tcase_add_test(tc, parse_accepts);
	tcase_add_test(tc, parse_locates);
	tcase_add_test(tc, api_build);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, work_limits);
	tcase_add_test(tc, timing);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(rdfc_suite)
