/*
 * ops_trust.c - the trust tables (migrations 3-5): register import/load,
 * catalogue upsert and faceted full-text search, recognition decisions.
 * Written once against the SQL executor; only the full-text part differs
 * (SQLite FTS5 MATCH + bm25, PostgreSQL websearch_to_tsquery + ts_rank).
 * Filters are "($n IS NULL OR col = $n)" so one prepared statement serves
 * every combination of facets; CAST spells the parameter types, which
 * PostgreSQL cannot infer from "IS NULL" alone.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "trust/trust_internal.h"

static mc_status need_store(mc_store *s, mc_err *err)
{
	return s ? MC_OK : mc__fail(err, MC_ERR_ARG, "s", "store is NULL");
}

static mc_status audit(mc_store *s, const char *actor, const char *action, const char *subject, const char *details,
                       mc_err *err)
{
	mc_store_audit a = {.actor = (char *)(actor ? actor : "cli"), .action = (char *)action,
	                    .subject = (char *)subject, .details = (char *)details};
	return mc__audit_append(s, &a, NULL, err);
}

/* ---- Register ---------------------------------------------------------- */

static const char sql_prov_put[] =
	"INSERT INTO reg_providers (id, name, country, kind, identifiers, url) VALUES ($1, $2, $3, $4, $5, $6) "
	"ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country, kind = excluded.kind, "
	"identifiers = excluded.identifiers, url = excluded.url";
static const char sql_agency_put[] =
	"INSERT INTO reg_agencies (id, name, country, eqar_registered, url) VALUES ($1, $2, $3, $4, $5) "
	"ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country, "
	"eqar_registered = excluded.eqar_registered, url = excluded.url";
static const char sql_qa_put[] =
	"INSERT INTO reg_qa_results (id, provider_id, agency_id, kind, decision, valid_from, valid_until, report_url, "
	"scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	"ON CONFLICT (id) DO UPDATE SET provider_id = excluded.provider_id, agency_id = excluded.agency_id, "
	"kind = excluded.kind, decision = excluded.decision, valid_from = excluded.valid_from, "
	"valid_until = excluded.valid_until, report_url = excluded.report_url, scope = excluded.scope";

/* Run one upsert for n rows of np parameters built by fill. */
static mc_status put_rows(mc_store *s, const char *op, const char *sql, int np, size_t n,
                          void (*fill)(const void *src, size_t i, mc__val *p), const void *src, mc_err *err)
{
	if (n == 0)
		return MC_OK;
	mc__val *p = calloc(n * (size_t)np, sizeof *p);
	int64_t *changes = calloc(n, sizeof *changes);
	mc_status st = MC_OK;
	if (!p || !changes) {
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "%s: out of memory", op);
	} else {
		for (size_t i = 0; i < n; i++)
			fill(src, i, p + i * (size_t)np);
		size_t bad = n;
		st = mc__store_exec_many(s, op, sql, p, np, n, changes, &bad, err);
	}
	free(p);
	free(changes);
	return st;
}

static void fill_prov(const void *src, size_t i, mc__val *p)
{
	const mc_reg_provider *v = &((const mc_register *)src)->providers[i];
	p[0] = mc__v_text(v->id), p[1] = mc__v_text(v->name), p[2] = mc__v_text(v->country);
	p[3] = mc__v_text(v->kind), p[4] = mc__v_text(v->identifiers ? v->identifiers : "{}"), p[5] = mc__v_text(v->url);
}

static void fill_agency(const void *src, size_t i, mc__val *p)
{
	const mc_reg_agency *v = &((const mc_register *)src)->agencies[i];
	p[0] = mc__v_text(v->id), p[1] = mc__v_text(v->name), p[2] = mc__v_text(v->country);
	p[3] = mc__v_int(v->eqar_registered ? 1 : 0), p[4] = mc__v_text(v->url);
}

static void fill_qa(const void *src, size_t i, mc__val *p)
{
	const mc_reg_qa *v = &((const mc_register *)src)->results[i];
	p[0] = mc__v_text(v->id), p[1] = mc__v_text(v->provider), p[2] = mc__v_text(v->agency);
	p[3] = mc__v_text(mc__qa_kind_code(v->kind)), p[4] = mc__v_text(mc__qa_decision_code(v->decision));
	p[5] = mc__v_text(v->valid_from), p[6] = mc__v_text(v->valid_until[0] ? v->valid_until : NULL);
	p[7] = mc__v_text(v->report_url), p[8] = mc__v_text(v->scope);
}

static mc_status import_in(mc_store *s, const mc_register *reg, const char *actor, mc_err *err)
{
	MC__CHECK(put_rows(s, "register_import", sql_prov_put, 6, reg->nproviders, fill_prov, reg, err));
	MC__CHECK(put_rows(s, "register_import", sql_agency_put, 5, reg->nagencies, fill_agency, reg, err));
	MC__CHECK(put_rows(s, "register_import", sql_qa_put, 9, reg->nresults, fill_qa, reg, err));
	char details[160];
	snprintf(details, sizeof details, "{\"providers\":%zu,\"agencies\":%zu,\"qaResults\":%zu}", reg->nproviders,
	         reg->nagencies, reg->nresults);
	return audit(s, actor, "register.import", NULL, details, err);
}

mc_status mc_store_register_import(mc_store *s, const mc_register *reg, const char *actor, mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!reg)
		return mc__fail(err, MC_ERR_ARG, "reg", "register is NULL");
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, import_in(s, reg, actor, err), err);
}

static mc_status fill_prov_row(void *dst, const mc__val *c, int n)
{
	mc_reg_provider *v = dst;
	if (n != 6)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->name, &c[1]) || !mc__col_str(&v->country, &c[2]) ||
	    !mc__col_str(&v->kind, &c[3]) || !mc__col_str(&v->identifiers, &c[4]) || !mc__col_str(&v->url, &c[5]))
		return MC_ERR_NOMEM;
	return MC_OK;
}

static void clear_prov(void *dst)
{
	mc_reg_provider *v = dst;
	free(v->id), free(v->name), free(v->country), free(v->kind), free(v->identifiers), free(v->url);
}

static mc_status fill_agency_row(void *dst, const mc__val *c, int n)
{
	mc_reg_agency *v = dst;
	if (n != 5)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->name, &c[1]) || !mc__col_str(&v->country, &c[2]) ||
	    !mc__col_str(&v->url, &c[4]))
		return MC_ERR_NOMEM;
	v->eqar_registered = mc__col_int(&c[3], 0) != 0;
	return MC_OK;
}

static void clear_agency(void *dst)
{
	mc_reg_agency *v = dst;
	free(v->id), free(v->name), free(v->country), free(v->url);
}

static void copy_date(char out[11], const mc__val *v)
{
	out[0] = '\0';
	if (v->type == MC__V_TEXT && v->n == 10) {
		memcpy(out, v->p, 10);
		out[10] = '\0';
	}
}

static mc_status fill_qa_row(void *dst, const mc__val *c, int n)
{
	mc_reg_qa *v = dst;
	if (n != 9)
		return MC_ERR_INTERNAL;
	char *kind = NULL, *dec = NULL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->provider, &c[1]) || !mc__col_str(&v->agency, &c[2]) ||
	    !mc__col_str(&kind, &c[3]) || !mc__col_str(&dec, &c[4]) || !mc__col_str(&v->report_url, &c[7]) ||
	    !mc__col_str(&v->scope, &c[8])) {
		free(kind);
		free(dec);
		return MC_ERR_NOMEM;
	}
	int k = kind ? mc__qa_kind_parse(kind) : -1, d = dec ? mc__qa_decision_parse(dec) : -1;
	free(kind);
	free(dec);
	if (k < 0 || d < 0)
		return MC_ERR_INTERNAL; /* the table's CHECK makes this unreachable */
	v->kind = (mc_extqa_kind)k;
	v->decision = (mc_extqa_decision)d;
	copy_date(v->valid_from, &c[5]);
	copy_date(v->valid_until, &c[6]);
	return MC_OK;
}

static void clear_qa(void *dst)
{
	mc_reg_qa *v = dst;
	free(v->id), free(v->provider), free(v->agency), free(v->report_url), free(v->scope);
}

mc_status mc_store_register_load(mc_store *s, mc_register *out, mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	MC__CHECK(need_store(s, err));
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	mc_status st = mc__get_list(s, "register_load", "SELECT id, name, country, kind, identifiers, url FROM reg_providers",
	                            NULL, 0, (void **)&out->providers, &out->nproviders, sizeof *out->providers,
	                            fill_prov_row, clear_prov, err);
	if (st == MC_OK)
		st = mc__get_list(s, "register_load", "SELECT id, name, country, eqar_registered, url FROM reg_agencies",
		                  NULL, 0, (void **)&out->agencies, &out->nagencies, sizeof *out->agencies, fill_agency_row,
		                  clear_agency, err);
	if (st == MC_OK)
		st = mc__get_list(s, "register_load",
		                  "SELECT id, provider_id, agency_id, kind, decision, valid_from, valid_until, report_url, "
		                  "scope FROM reg_qa_results",
		                  NULL, 0, (void **)&out->results, &out->nresults, sizeof *out->results, fill_qa_row,
		                  clear_qa, err);
	if (st != MC_OK) {
		mc_register_clear(out);
		return st;
	}
	mc__register_sort(out);
	return MC_OK;
}

/* ---- Catalogue ------------------------------------------------------------ */

static int64_t centi(double ects)
{
	return (int64_t)llround(ects * 100.0);
}

static const char sql_offer_put[] =
	"INSERT INTO catalogue_offers (id, provider_id, title, description, outcomes, ects_centi, eqf, field, country, "
	"language, mode, json, facets, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
	"ON CONFLICT (id) DO UPDATE SET provider_id = excluded.provider_id, title = excluded.title, "
	"description = excluded.description, outcomes = excluded.outcomes, ects_centi = excluded.ects_centi, "
	"eqf = excluded.eqf, field = excluded.field, country = excluded.country, language = excluded.language, "
	"mode = excluded.mode, json = excluded.json, facets = excluded.facets, updated = excluded.updated";

/* Facet tokens: one search term per filter value, letters and digits only
 * (both tokenizers keep them whole), prefixed with "x" and the facet name
 * so that no word of a text can equal one. */
#define FACETS_MAX 256

static void token(mc__buf *b, const char *facet, const char *value)
{
	mc__buf_adds(b, b->len ? " x" : "x");
	mc__buf_adds(b, facet);
	for (const char *p = value; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			mc__buf_add(b, &c, 1);
	}
}

static void provider_token(mc__buf *b, const char *provider)
{
	char hex[65];
	if (mc__tr_digest(provider, strlen(provider), hex) != MC_OK)
		hex[0] = '\0';
	hex[16] = '\0'; /* 64 bits: collisions only widen the candidates, SQL filters exactly */
	token(b, "prov", hex);
}

static void offer_facets(const mc_offer *o, char out[FACETS_MAX])
{
	mc__buf b;
	mc__buf_init(&b, FACETS_MAX - 1);
	char num[24];
	token(&b, "country", o->country);
	token(&b, "lang", o->language);
	token(&b, "mode", o->mode);
	if (o->eqf) {
		snprintf(num, sizeof num, "%d", o->eqf);
		token(&b, "eqf", num);
	}
	for (size_t n = 2; o->field[0] && n <= 4; n++) {
		snprintf(num, sizeof num, "%.*s", (int)n, o->field);
		token(&b, "field", num);
	}
	snprintf(num, sizeof num, "%lld", (long long)(centi(o->ects) / 100));
	token(&b, "ects", num);
	provider_token(&b, o->provider);
	snprintf(out, FACETS_MAX, "%s", b.status == MC_OK && b.data ? b.data : "");
	mc__buf_release(&b);
}

typedef struct offer_rows {
	const mc_offer *o;
	char (*facets)[FACETS_MAX];
} offer_rows;

static void fill_offer(const void *src, size_t i, mc__val *p)
{
	const offer_rows *r = src;
	const mc_offer *o = &r->o[i];
	p[0] = mc__v_text(o->id), p[1] = mc__v_text(o->provider), p[2] = mc__v_text(o->title);
	p[3] = mc__v_text(o->description), p[4] = mc__v_text(o->outcomes), p[5] = mc__v_int(centi(o->ects));
	p[6] = o->eqf ? mc__v_int(o->eqf) : mc__v_text(NULL), p[7] = mc__v_text(o->field[0] ? o->field : NULL);
	p[8] = mc__v_text(o->country), p[9] = mc__v_text(o->language), p[10] = mc__v_text(o->mode);
	p[11] = mc__v_text(o->json), p[12] = mc__v_text(r->facets[i]), p[13] = mc__v_int(mc__time_now());
}

mc_status mc_store_catalogue_put(mc_store *s, const mc_offer *offers, size_t n, mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!offers && n)
		return mc__fail(err, MC_ERR_ARG, "offers", "offers is NULL");
	if (n > MC_STORE_BATCH_MAX)
		return mc__fail(err, MC_ERR_TOO_LARGE, "n", "more than %u offers in one call", MC_STORE_BATCH_MAX);
	for (size_t i = 0; i < n; i++)
		if (!offers[i].id || !offers[i].provider || !offers[i].title || !offers[i].description ||
		    !offers[i].outcomes || !offers[i].language || !offers[i].mode || !offers[i].json)
			return mc__fail(err, MC_ERR_ARG, "offers", "offer %zu is incomplete (use mc_offer_parse)", i);
	offer_rows rows = {offers, calloc(n ? n : 1, FACETS_MAX)};
	if (!rows.facets)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		offer_facets(&offers[i], rows.facets[i]);
	mc_status st = mc__store_atomic_begin(s, false, err);
	if (st == MC_OK)
		st = mc__store_atomic_end(s, put_rows(s, "catalogue_put", sql_offer_put, 14, n, fill_offer, &rows, err), err);
	free(rows.facets);
	return st;
}

/* The filters as facet terms: FTS5 "AND xcountryat AND (xects2 OR xects3)"
 * or tsquery "xcountryat & (xects2 | xects3)". NULL when no filter maps to
 * a term. An ECTS range becomes terms only when it spans at most
 * ECTS_TERMS whole credits (a wider range is left to the SQL filter). */
#define ECTS_TERMS 24

static char *facet_query(const mc_catalogue_query *q, bool fts5)
{
	mc__buf t;
	mc__buf_init(&t, 4096);
	const char *and_ = fts5 ? " AND " : " & ", *or_ = fts5 ? " OR " : " | ";
	size_t terms = 0;
	char one[FACETS_MAX];
#define TERM(facet, value)                                                     \
	do {                                                                   \
		mc__buf b_;                                                    \
		mc__buf_init(&b_, sizeof one - 1);                             \
		token(&b_, facet, value);                                      \
		snprintf(one, sizeof one, "%s", b_.data ? b_.data : "x");     \
		mc__buf_release(&b_);                                          \
		mc__buf_adds(&t, terms++ || fts5 ? and_ : "");                 \
		mc__buf_adds(&t, one);                                         \
	} while (0)
	if (q->country && *q->country)
		TERM("country", q->country);
	if (q->language && *q->language)
		TERM("lang", q->language);
	if (q->mode && *q->mode)
		TERM("mode", q->mode);
	char num[24];
	if (q->eqf) {
		snprintf(num, sizeof num, "%d", q->eqf);
		TERM("eqf", num);
	}
	if (q->field && *q->field)
		TERM("field", q->field);
	if (q->provider && *q->provider) {
		mc__buf b;
		mc__buf_init(&b, sizeof one - 1);
		provider_token(&b, q->provider);
		mc__buf_adds(&t, terms++ || fts5 ? and_ : "");
		mc__buf_adds(&t, b.data ? b.data : "x");
		mc__buf_release(&b);
	}
#undef TERM
	int64_t lo = q->ects_min > 0 ? (int64_t)q->ects_min : 0, hi = q->ects_max > 0 ? (int64_t)q->ects_max : -1;
	if (hi >= lo && hi - lo < ECTS_TERMS) {
		mc__buf_adds(&t, terms++ || fts5 ? and_ : "");
		mc__buf_adds(&t, "(");
		for (int64_t v = lo; v <= hi; v++) {
			snprintf(num, sizeof num, "%sxects%lld", v > lo ? or_ : "", (long long)v);
			mc__buf_adds(&t, num);
		}
		mc__buf_adds(&t, ")");
	}
	char *out = terms && t.status == MC_OK ? mc__buf_take(&t, NULL) : NULL;
	mc__buf_release(&t);
	return out;
}

#define OFFER_COLS                                                                                             \
	"o.id, o.provider_id, o.title, o.description, o.outcomes, o.ects_centi, o.eqf, o.field, o.country, " \
	"o.language, o.mode, o.json"
#define FILTERS                                                                                                \
	" AND (CAST($2 AS BIGINT) IS NULL OR o.ects_centi >= CAST($2 AS BIGINT))"                              \
	" AND (CAST($3 AS BIGINT) IS NULL OR o.ects_centi <= CAST($3 AS BIGINT))"                              \
	" AND (CAST($4 AS BIGINT) IS NULL OR o.eqf = CAST($4 AS BIGINT))"                                      \
	" AND (CAST($5 AS TEXT) IS NULL OR substr(o.field, 1, length(CAST($5 AS TEXT))) = CAST($5 AS TEXT))"   \
	" AND (CAST($6 AS TEXT) IS NULL OR o.country = CAST($6 AS TEXT))"                                      \
	" AND (CAST($7 AS TEXT) IS NULL OR o.language = CAST($7 AS TEXT))"                                     \
	" AND (CAST($8 AS TEXT) IS NULL OR o.mode = CAST($8 AS TEXT))"                                         \
	" AND (CAST($9 AS TEXT) IS NULL OR o.provider_id = CAST($9 AS TEXT))"

/* mcred_rank (sqlite.c): word occurrences weighted by column, title most,
 * then description, then outcomes (as PostgreSQL's weights A, B, C); the
 * facet terms ($11 = the number of word phrases before them) not counted */
static const char sql_search_sqlite[] = "SELECT " OFFER_COLS " FROM catalogue_fts JOIN catalogue_offers o "
                                        "ON o.rowid = catalogue_fts.rowid WHERE catalogue_fts MATCH $1" FILTERS
                                        " ORDER BY mcred_rank(catalogue_fts, $11), o.id LIMIT $10";
/* The same, ranking inside the index first: only the best $12 candidates
 * are joined with their rows and filtered (the facet terms already did). */
static const char sql_search_sqlite_top[] =
	"SELECT " OFFER_COLS " FROM (SELECT rowid AS r, mcred_rank(catalogue_fts, $11) AS score "
	"FROM catalogue_fts WHERE catalogue_fts MATCH $1 ORDER BY score, rowid LIMIT $12) f "
	"JOIN catalogue_offers o ON o.rowid = f.r WHERE 1 = 1" FILTERS " ORDER BY f.score, o.id LIMIT $10";
static const char sql_search_pg[] =
	"SELECT " OFFER_COLS " FROM catalogue_offers o, (SELECT CASE WHEN CAST($11 AS TEXT) IS NULL "
	"THEN websearch_to_tsquery('simple', CAST($1 AS TEXT)) ELSE websearch_to_tsquery('simple', CAST($1 AS TEXT)) "
	"&& to_tsquery('simple', CAST($11 AS TEXT)) END AS q) x WHERE o.search @@ x.q" FILTERS
	" ORDER BY ts_rank(o.search, x.q) DESC, o.id LIMIT CAST($10 AS BIGINT)";
static const char sql_browse[] = "SELECT " OFFER_COLS " FROM catalogue_offers o WHERE "
                                 "(CAST($1 AS TEXT) IS NULL)" FILTERS " ORDER BY o.title, o.id LIMIT CAST($10 AS BIGINT)";

static mc_status fill_offer_row(void *dst, const mc__val *c, int n)
{
	mc_offer *o = dst;
	if (n != 12)
		return MC_ERR_INTERNAL;
	char *field = NULL, *country = NULL;
	if (!mc__col_str(&o->id, &c[0]) || !mc__col_str(&o->provider, &c[1]) || !mc__col_str(&o->title, &c[2]) ||
	    !mc__col_str(&o->description, &c[3]) || !mc__col_str(&o->outcomes, &c[4]) || !mc__col_str(&field, &c[7]) ||
	    !mc__col_str(&country, &c[8]) || !mc__col_str(&o->language, &c[9]) || !mc__col_str(&o->mode, &c[10]) ||
	    !mc__col_str(&o->json, &c[11])) {
		free(field);
		free(country);
		return MC_ERR_NOMEM;
	}
	o->ects = (double)mc__col_int(&c[5], 0) / 100.0;
	o->eqf = (int)mc__col_int(&c[6], 0);
	snprintf(o->field, sizeof o->field, "%s", field ? field : "");
	snprintf(o->country, sizeof o->country, "%s", country ? country : "");
	free(field);
	free(country);
	return MC_OK;
}

static void clear_offer(void *dst)
{
	mc_offer_clear(dst);
}

/* The user's words as an FTS5 query: each word a quoted phrase (so no word
 * is read as an operator or column filter), all required. Words are runs
 * of letters and digits (any byte >= 0x80 counts as a letter: UTF-8). */
static mc_status fts_query(const char *text, char **out, int *nwords, mc_err *err)
{
	mc__buf b;
	mc__buf_init(&b, 4096);
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
			p++;
		const unsigned char *w = p;
		while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
			p++;
		if (p == w)
			continue;
		if (++n > MC_CATALOGUE_QUERY_WORDS) {
			mc__buf_release(&b);
			return mc__fail(err, MC_ERR_VALUE, "q.text", "more than %d words", MC_CATALOGUE_QUERY_WORDS);
		}
		mc__buf_adds(&b, n > 1 ? " \"" : "\"");
		mc__buf_add(&b, w, (size_t)(p - w));
		mc__buf_adds(&b, "\"");
	}
	if (b.status != MC_OK) {
		mc__buf_release(&b);
		return mc__fail(err, MC_ERR_VALUE, "q.text", "the query is too long");
	}
	*nwords = n;
	*out = n ? mc__buf_take(&b, NULL) : NULL;
	mc__buf_release(&b);
	return n && !*out ? mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory") : MC_OK;
}

mc_status mc_store_catalogue_search(mc_store *s, const mc_catalogue_query *q, mc_offer **out, size_t *n, mc_err *err)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	MC__CHECK(need_store(s, err));
	if (!q || !out || !n)
		return mc__fail(err, MC_ERR_ARG, !q ? "q" : "out", "argument is NULL");
	if (q->text && strlen(q->text) > MC_STORE_TEXT_MAX)
		return mc__fail(err, MC_ERR_VALUE, "q.text", "the query is longer than %d bytes", MC_STORE_TEXT_MAX);
	if (q->field && !mc__tr_field_prefix(q->field))
		return mc__fail(err, MC_ERR_VALUE, "q.field", "an ISCED-F field code of 2 to 4 digits");
	if (q->ects_min < 0 || q->ects_max < 0 || !isfinite(q->ects_min) || !isfinite(q->ects_max) ||
	    q->ects_min > 1000 || q->ects_max > 1000)
		return mc__fail(err, MC_ERR_VALUE, "q.ects_min", "ECTS bounds must be between 0 and 1000");
	if (q->eqf < 0 || q->eqf > 8)
		return mc__fail(err, MC_ERR_VALUE, "q.eqf", "EQF level 1-8 (0 = any)");
	size_t limit = q->limit ? q->limit : 20;
	if (limit > MC_CATALOGUE_MAX_RESULTS)
		limit = MC_CATALOGUE_MAX_RESULTS;
	char *match = NULL, *facets = NULL;
	int words = 0;
	bool lite = s->vt->dialect == MC__SQL_SQLITE;
	const char *text = q->text && *q->text ? q->text : NULL;
	if (text) /* PostgreSQL parses the text itself, but the word limit holds on both */
		MC__CHECK(fts_query(text, &match, &words, err));
	if (words) {
		facets = facet_query(q, lite);
		if (lite && facets) {
			size_t blen = strlen(match) + strlen(facets) + 1;
			char *both = malloc(blen);
			if (both)
				snprintf(both, blen, "%s%s", match, facets);
			free(match);
			match = both;
			if (!match) {
				free(facets);
				return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			}
		}
	}
	mc__val p[12] = {
		mc__v_text(lite ? match : text),
		q->ects_min > 0 ? mc__v_int(centi(q->ects_min)) : mc__v_text(NULL),
		q->ects_max > 0 ? mc__v_int(centi(q->ects_max)) : mc__v_text(NULL),
		q->eqf ? mc__v_int(q->eqf) : mc__v_text(NULL),
		mc__v_text(q->field && *q->field ? q->field : NULL),
		mc__v_text(q->country && *q->country ? q->country : NULL),
		mc__v_text(q->language && *q->language ? q->language : NULL),
		mc__v_text(q->mode && *q->mode ? q->mode : NULL),
		mc__v_text(q->provider && *q->provider ? q->provider : NULL),
		mc__v_int((int64_t)limit),
		lite ? mc__v_int(words) : mc__v_text(facets),
		mc__v_int(0),
	};
	const char *sql = !words ? sql_browse : lite ? sql_search_sqlite_top : sql_search_pg;
	/* SQLite ranks the candidates in the index first. When every filter
	 * is an exact facet term, the best `limit` candidates are the answer;
	 * otherwise (ECTS bounds, provider hash) take more and, if the filters
	 * leave fewer than limit, run the complete query. */
	bool exact = q->ects_min <= 0 && q->ects_max <= 0 && !(q->provider && *q->provider) &&
	             (!q->country || !*q->country || strspn(q->country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 2);
	if (lite && words)
		p[11] = mc__v_int((int64_t)(exact ? limit : 8 * limit));
	mc_status st;
	if (text && !words) /* only punctuation: nothing can match */
		st = MC_OK;
	else
		st = mc__get_list(s, "catalogue_search", sql, p, !words ? 10 : lite ? 12 : 11, (void **)out, n,
		                  sizeof **out, fill_offer_row, clear_offer, err);
	if (st == MC_OK && lite && words && !exact && *n < limit) {
		mc_offer_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		st = mc__get_list(s, "catalogue_search", sql_search_sqlite, p, 11, (void **)out, n, sizeof **out,
		                  fill_offer_row, clear_offer, err);
	}
	free(match);
	free(facets);
	return st;
}

/* ---- Recognition decisions --------------------------------------------------- */

static mc_status record_in(mc_store *s, const mc_recognition *d, const char *actor, int64_t *id, mc_err *err)
{
	char *json = NULL;
	MC__CHECK(mc_recognition_json(d, &json, err));
	cJSON *root = NULL;
	mc_status st = mc__json_load(json, strlen(json), &root, err);
	char *reasons = st == MC_OK ? cJSON_PrintUnformatted(mc__json_get(root, "reasons")) : NULL;
	cJSON_Delete(root);
	if (st == MC_OK && !reasons)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	int64_t got = 0;
	if (st == MC_OK) {
		mc__val p[10] = {mc__v_text(d->policy),
		                 mc__v_text(d->digest),
		                 mc__v_text(d->credential_id),
		                 mc__v_text(d->issuer),
		                 mc__v_text(d->outcome == MC_RECOGNISED ? "recognised" : "referred"),
		                 mc__v_int(centi(d->ects)),
		                 mc__v_text(d->towards),
		                 mc__v_text(reasons),
		                 mc__v_text(actor ? actor : "cli"),
		                 mc__v_int(d->decided_at ? d->decided_at : mc__time_now())};
		st = mc__store_exec(s, "recognition_record",
		                    "INSERT INTO recognition_decisions (policy_id, digest, credential_id, issuer_id, outcome, "
		                    "ects_centi, towards, reasons, actor, decided_at) "
		                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
		                    p, 10, mc__row_int, &got, NULL, err);
	}
	free(reasons);
	if (st == MC_OK) {
		/* ids only in the audit log: no personal data */
		char details[256];
		snprintf(details, sizeof details, "{\"decision\":%lld,\"outcome\":\"%s\",\"digest\":\"%s\"}",
		         (long long)got, d->outcome == MC_RECOGNISED ? "recognised" : "referred", d->digest);
		st = audit(s, actor, "recognition.decide", d->credential_id, details, err);
	}
	mc_free(json);
	if (st == MC_OK && id)
		*id = got;
	return st;
}

mc_status mc_store_recognition_record(mc_store *s, const mc_recognition *d, const char *actor, int64_t *id,
                                      mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!d || !d->policy || strlen(d->digest) != 64)
		return mc__fail(err, MC_ERR_ARG, "d", "not a decision made by mc_recognise");
	if (actor && (strlen(actor) > MC_STORE_TEXT_MAX || !mc__tr_plain(actor)))
		return mc__fail(err, MC_ERR_VALUE, "actor", "the actor must be short plain text");
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, record_in(s, d, actor, id, err), err);
}

mc_status mc_store_recognition_count(mc_store *s, const char *digest, int64_t *n, mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!digest || !n)
		return mc__fail(err, MC_ERR_ARG, !digest ? "digest" : "n", "argument is NULL");
	mc__val p[1] = {mc__v_text(digest)};
	*n = 0;
	return mc__store_exec(s, "recognition_count", "SELECT count(*) FROM recognition_decisions WHERE digest = $1", p,
	                      1, mc__row_int, n, NULL, err);
}

/* ---- Stored pathways and policies (migration 9) ------------------------------ */

void mc_store_trust_doc_clear(mc_store_trust_doc *d)
{
	if (!d)
		return;
	free(d->id);
	free(d->title);
	free(d->json);
	memset(d, 0, sizeof *d);
}

void mc_store_trust_doc_list_free(mc_store_trust_doc *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mc_store_trust_doc_clear(&v[i]);
	free(v);
}

static mc_status fill_doc(void *dst, const mc__val *c, int n)
{
	mc_store_trust_doc *d = dst;
	if (n != 4)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&d->id, &c[0]) || !mc__col_str(&d->title, &c[1]) || !mc__col_str(&d->json, &c[2]))
		return MC_ERR_NOMEM;
	d->updated = mc__col_int(&c[3], 0);
	return MC_OK;
}

static void clear_doc(void *dst)
{
	mc_store_trust_doc_clear(dst);
}

/* The two kinds of stored document differ only in table, parser and
 * audit action; the SQL is spelled out per table (statements are cached
 * by address, so they must be static text). */
typedef struct doc_kind {
	const char *what, *action, *del_action;
	const char *sql_exists, *sql_put, *sql_get, *sql_list, *sql_del;
} doc_kind;

#define DOC_SQL(T)                                                                                                     \
	"SELECT count(*) FROM " T " WHERE id = $1",                                                                      \
	"INSERT INTO " T " (id, title, json, actor, updated) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE "     \
	"SET title = excluded.title, json = excluded.json, actor = excluded.actor, updated = excluded.updated",           \
	"SELECT id, title, json, updated FROM " T " WHERE id = $1",                                                      \
	"SELECT id, title, json, updated FROM " T " ORDER BY title, id",                                                 \
	"DELETE FROM " T " WHERE id = $1"

static const doc_kind pathway_kind = {"pathway", "pathway.save", NULL, DOC_SQL("trust_pathways")};
static const doc_kind policy_kind = {"policy", "policy.save", "policy.delete", DOC_SQL("recognition_policies")};

static mc_status doc_put_in(mc_store *s, const doc_kind *k, const char *id, const char *title, const char *json,
                            const char *actor, int *created, mc_err *err)
{
	int64_t had = 0;
	mc__val q[1] = {mc__v_text(id)};
	MC__CHECK(mc__store_exec(s, k->what, k->sql_exists, q, 1, mc__row_int, &had, NULL, err));
	mc__val p[5] = {mc__v_text(id), mc__v_text(title), mc__v_text(json), mc__v_text(actor ? actor : "cli"),
	                mc__v_int(mc__time_now())};
	MC__CHECK(mc__store_exec(s, k->what, k->sql_put, p, 5, NULL, NULL, NULL, err));
	if (created)
		*created = had == 0;
	return audit(s, actor, k->action, id, "{}", err);
}

/* Parsed elsewhere (the caller validated); store the compact form. */
static mc_status doc_put(mc_store *s, const doc_kind *k, const char *json, size_t len, const char *id,
                         const char *title, const char *actor, char **id_out, int *created, mc_err *err)
{
	if (actor && (strlen(actor) > MC_STORE_TEXT_MAX || !mc__tr_plain(actor)))
		return mc__fail(err, MC_ERR_VALUE, "actor", "the actor must be short plain text");
	if (strlen(id) > MC_STORE_ID_MAX)
		return mc__fail(err, MC_ERR_VALUE, "$.id", "the id is longer than %u bytes", MC_STORE_ID_MAX);
	cJSON *root = NULL;
	MC__CHECK(mc__json_load(json, len, &root, err));
	char *compact = mc__json_print(root, 0);
	cJSON_Delete(root);
	if (!compact)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	mc_status st = mc__store_atomic_begin(s, false, err);
	if (st == MC_OK)
		st = mc__store_atomic_end(s, doc_put_in(s, k, id, title ? title : id, compact, actor, created, err), err);
	free(compact);
	if (st == MC_OK && id_out && !(*id_out = strdup(id)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	return st;
}

mc_status mc_store_pathway_put(mc_store *s, const char *json, size_t len, const char *actor, char **id, int *created,
                               mc_err *err)
{
	if (id)
		*id = NULL;
	MC__CHECK(need_store(s, err));
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	mc_pathway *p = NULL;
	MC__CHECK(mc_pathway_parse(json, len, &p, err));
	mc_status st = doc_put(s, &pathway_kind, json, len, mc_pathway_id(p), mc_pathway_title(p), actor, id, created, err);
	mc_pathway_free(p);
	return st;
}

mc_status mc_store_policy_put(mc_store *s, const char *json, size_t len, const char *actor, char **id, int *created,
                              mc_err *err)
{
	if (id)
		*id = NULL;
	MC__CHECK(need_store(s, err));
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	mc_recognition_policy *p = NULL;
	MC__CHECK(mc_recognition_policy_parse(json, len, &p, err));
	mc_status st = doc_put(s, &policy_kind, json, len, mc_recognition_policy_id(p), mc_recognition_policy_towards(p),
	                       actor, id, created, err);
	mc_recognition_policy_free(p);
	return st;
}

static mc_status doc_get(mc_store *s, const doc_kind *k, const char *id, mc_store_trust_doc *out, mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	MC__CHECK(need_store(s, err));
	if (!id || !out)
		return mc__fail(err, MC_ERR_ARG, !id ? "id" : "out", "argument is NULL");
	mc__val p[1] = {mc__v_text(id)};
	mc_status st = mc__get_one(s, k->what, k->sql_get, p, 1, out, sizeof *out, fill_doc, clear_doc, k->what, err);
	if (st == MC_ERR_MISSING)
		mc__fail(err, st, "id", "no %s with this id", k->what);
	return st;
}

static mc_status doc_list(mc_store *s, const doc_kind *k, mc_store_trust_doc **out, size_t *n, mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!out || !n)
		return mc__fail(err, MC_ERR_ARG, "out", "argument is NULL");
	return mc__get_list(s, k->what, k->sql_list, NULL, 0, (void **)out, n, sizeof **out, fill_doc, clear_doc, err);
}

mc_status mc_store_pathway_get(mc_store *s, const char *id, mc_store_trust_doc *out, mc_err *err)
{
	return doc_get(s, &pathway_kind, id, out, err);
}

mc_status mc_store_pathway_list(mc_store *s, mc_store_trust_doc **out, size_t *n, mc_err *err)
{
	return doc_list(s, &pathway_kind, out, n, err);
}

mc_status mc_store_policy_get(mc_store *s, const char *id, mc_store_trust_doc *out, mc_err *err)
{
	return doc_get(s, &policy_kind, id, out, err);
}

mc_status mc_store_policy_list(mc_store *s, mc_store_trust_doc **out, size_t *n, mc_err *err)
{
	return doc_list(s, &policy_kind, out, n, err);
}

static mc_status policy_delete_in(mc_store *s, const char *id, const char *actor, mc_err *err)
{
	int64_t changes = 0;
	mc__val p[1] = {mc__v_text(id)};
	MC__CHECK(mc__store_exec(s, "policy_delete", policy_kind.sql_del, p, 1, NULL, NULL, &changes, err));
	if (changes == 0)
		return mc__fail(err, MC_ERR_MISSING, "id", "no policy with this id");
	return audit(s, actor, policy_kind.del_action, id, "{}", err);
}

mc_status mc_store_policy_delete(mc_store *s, const char *id, const char *actor, mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!id)
		return mc__fail(err, MC_ERR_ARG, "id", "id is NULL");
	if (actor && (strlen(actor) > MC_STORE_TEXT_MAX || !mc__tr_plain(actor)))
		return mc__fail(err, MC_ERR_VALUE, "actor", "the actor must be short plain text");
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, policy_delete_in(s, id, actor, err), err);
}

/* ---- Offer lookups ---------------------------------------------------------------- */

static const char sql_offer_get[] = "SELECT " OFFER_COLS " FROM catalogue_offers o WHERE o.id = $1";
static const char sql_offer_stacking[] = "SELECT " OFFER_COLS " FROM catalogue_stacks k JOIN catalogue_offers o "
                                         "ON o.id = k.offer_id WHERE k.pathway_id = $1 ORDER BY o.title, o.id "
                                         "LIMIT CAST($2 AS BIGINT)";

mc_status mc_store_catalogue_get(mc_store *s, const char *id, mc_offer *out, mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	MC__CHECK(need_store(s, err));
	if (!id || !out)
		return mc__fail(err, MC_ERR_ARG, !id ? "id" : "out", "argument is NULL");
	mc__val p[1] = {mc__v_text(id)};
	mc_status st = mc__get_one(s, "catalogue_get", sql_offer_get, p, 1, out, sizeof *out, fill_offer_row, clear_offer,
	                           "offer", err);
	if (st == MC_ERR_MISSING)
		mc__fail(err, st, "id", "no offer with this id");
	return st;
}

mc_status mc_store_catalogue_stacking(mc_store *s, const char *pathway_id, mc_offer **out, size_t *n, mc_err *err)
{
	MC__CHECK(need_store(s, err));
	if (!pathway_id || !out || !n)
		return mc__fail(err, MC_ERR_ARG, !pathway_id ? "pathway_id" : "out", "argument is NULL");
	mc__val p[2] = {mc__v_text(pathway_id), mc__v_int(MC_CATALOGUE_MAX_RESULTS)};
	return mc__get_list(s, "catalogue_stacking", sql_offer_stacking, p, 2, (void **)out, n, sizeof **out,
	                    fill_offer_row, clear_offer, err);
}

/* ---- Recorded decisions ---------------------------------------------------------- */

static mc_status row_decision(void *ctx, const mc__val *c, int n)
{
	cJSON *arr = ctx, *o = cJSON_CreateObject();
	if (n != 11 || !o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return n != 11 ? MC_ERR_INTERNAL : MC_ERR_NOMEM;
	}
	static const char *const names[] = {NULL,      "policy",  "digest", "credential", "issuer",
	                                    "outcome", NULL,      "towards", NULL,        "actor"};
	bool ok = cJSON_AddNumberToObject(o, "id", (double)mc__col_int(&c[0], 0)) != NULL;
	for (int i = 1; ok && i < 10; i++) {
		if (!names[i])
			continue;
		char *v = NULL;
		ok = mc__col_str(&v, &c[i]) && (v ? cJSON_AddStringToObject(o, names[i], v) != NULL
		                                  : cJSON_AddNullToObject(o, names[i]) != NULL);
		free(v);
	}
	ok = ok && cJSON_AddNumberToObject(o, "ects", (double)mc__col_int(&c[6], 0) / 100.0);
	cJSON *reasons = c[8].type == MC__V_TEXT ? cJSON_ParseWithLength(c[8].p, c[8].n) : NULL;
	ok = ok && cJSON_AddItemToObject(o, "reasons", reasons ? reasons : cJSON_CreateArray());
	ok = ok && cJSON_AddNumberToObject(o, "decidedAt", (double)mc__col_int(&c[10], 0));
	return ok ? MC_OK : MC_ERR_NOMEM;
}

mc_status mc_store_recognition_list(mc_store *s, const char *policy, size_t limit, char **json, mc_err *err)
{
	if (json)
		*json = NULL;
	MC__CHECK(need_store(s, err));
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	if (limit < 1 || limit > MC_CATALOGUE_MAX_RESULTS)
		return mc__fail(err, MC_ERR_VALUE, "limit", "limit is 1 to %u", MC_CATALOGUE_MAX_RESULTS);
	cJSON *arr = cJSON_CreateArray();
	if (!arr)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	mc__val p[2] = {mc__v_text(policy), mc__v_int((int64_t)limit)};
	mc_status st = mc__store_exec(s, "recognition_list",
	                              "SELECT id, policy_id, digest, credential_id, issuer_id, outcome, ects_centi, towards, "
	                              "reasons, actor, decided_at FROM recognition_decisions "
	                              "WHERE (CAST($1 AS TEXT) IS NULL OR policy_id = $1) ORDER BY id DESC "
	                              "LIMIT CAST($2 AS BIGINT)",
	                              p, 2, row_decision, arr, NULL, err);
	if (st == MC_OK && !(*json = mc__json_print(arr, 0)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	cJSON_Delete(arr);
	return st;
}
