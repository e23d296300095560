/*
 * register.c - the register of providers, QA agencies and external QA
 * results (DEQAR-like): strict JSON and CSV forms, export, publication as a
 * signed credential, and the check "is the issuer a registered provider
 * with a valid ESG-aligned external QA result on the issue date".
 *
 * Both input forms go through the same entry readers: a CSV row becomes a
 * JSON object keyed by column names, so every rule (types, codes, dates,
 * references) is written once and errors name the CSV column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trust/trust_internal.h"

static const char *const kind_codes[] = {"institutional-review", "programme-accreditation", "iso-17024",
                                         "platform-certification", "other"};
static const char *const decision_codes[] = {"positive", "positive-with-conditions", "negative"};

const char *mc__qa_kind_code(mc_extqa_kind k)
{
	return (unsigned)k < 5 ? kind_codes[k] : "other";
}

const char *mc__qa_decision_code(mc_extqa_decision d)
{
	return (unsigned)d < 3 ? decision_codes[d] : "negative";
}

static int code_find(const char *const *codes, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(codes[i], s) == 0)
			return i;
	return -1;
}

int mc__qa_kind_parse(const char *s)
{
	return code_find(kind_codes, 5, s);
}

int mc__qa_decision_parse(const char *s)
{
	return code_find(decision_codes, 3, s);
}

/* ---- Lifetime -------------------------------------------------------- */

void mc_register_clear(mc_register *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->nproviders; i++) {
		mc_reg_provider *p = &reg->providers[i];
		free(p->id), free(p->name), free(p->country), free(p->kind), free(p->identifiers), free(p->url);
	}
	for (size_t i = 0; i < reg->nagencies; i++) {
		mc_reg_agency *a = &reg->agencies[i];
		free(a->id), free(a->name), free(a->country), free(a->url);
	}
	for (size_t i = 0; i < reg->nresults; i++) {
		mc_reg_qa *q = &reg->results[i];
		free(q->id), free(q->provider), free(q->agency), free(q->report_url), free(q->scope);
	}
	free(reg->providers);
	free(reg->agencies);
	free(reg->results);
	memset(reg, 0, sizeof *reg);
}

/* ---- Entry readers (shared by JSON and CSV) --------------------------- */

/* Member names per form: [0] JSON, [1] CSV column. */
enum { F_JSON = 0, F_CSV = 1 };
enum {
	K_ID,
	K_NAME,
	K_COUNTRY,
	K_KIND,
	K_EQAR,
	K_IDENTIFIERS,
	K_URL,
	K_PROVIDER,
	K_AGENCY,
	K_DECISION,
	K_FROM,
	K_UNTIL,
	K_REPORT,
	K_SCOPE,
	K_N
};
static const char *const names[K_N][2] = {
	{"id", "id"},
	{"name", "name"},
	{"country", "country"},
	{"kind", "kind"},
	{"eqarRegistered", "eqar_registered"},
	{"identifiers", "identifiers"},
	{"url", "url"},
	{"provider", "provider"},
	{"agency", "agency"},
	{"decision", "decision"},
	{"validFrom", "valid_from"},
	{"validUntil", "valid_until"},
	{"report", "report"},
	{"scope", "scope"},
};

typedef struct reader {
	int form;
	mc_err *err;
	bool oom;
} reader;

#define N(k) names[k][rd->form]

static mc_status only(reader *rd, const cJSON *o, const char *base, const int *keys, int nkeys)
{
	const char *allowed[K_N + 2];
	int n = 0;
	if (rd->form == F_CSV)
		allowed[n++] = "record";
	for (int i = 0; i < nkeys; i++)
		allowed[n++] = N(keys[i]);
	allowed[n] = NULL;
	const cJSON *m;
	cJSON_ArrayForEach(m, o)
	{
		int i = 0;
		while (allowed[i] && strcmp(allowed[i], m->string) != 0)
			i++;
		if (!allowed[i])
			return mc__fail_at(rd->err, MC_ERR_VALUE, base, m->string,
			                   rd->form == F_CSV ? "column \"%s\" does not apply to this record: leave it empty"
			                                     : "unknown field \"%s\"",
			                   m->string);
	}
	return MC_OK;
}

static mc_status country(reader *rd, const cJSON *o, const char *base, char **out)
{
	const char *c;
	MC__CHECK(mc__tr_str(o, base, N(K_COUNTRY), true, 2, &c, rd->err));
	if (!mc__country_valid(c))
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_COUNTRY),
		                   "must be an ISO 3166-1 alpha-2 code in upper case (\"AT\")");
	*out = mc__tr_dup(c, &rd->oom);
	return MC_OK;
}

static mc_status read_provider(reader *rd, const cJSON *o, const char *base, mc_reg_provider *p)
{
	static const int keys[] = {K_ID, K_NAME, K_COUNTRY, K_KIND, K_IDENTIFIERS, K_URL};
	if (!cJSON_IsObject(o))
		return mc__fail_at(rd->err, MC_ERR_TYPE, base, NULL, "a provider must be an object");
	MC__CHECK(only(rd, o, base, keys, 6));
	const char *id, *name, *kind, *url;
	MC__CHECK(mc__tr_iri(o, base, N(K_ID), true, &id, rd->err));
	MC__CHECK(mc__tr_str(o, base, N(K_NAME), true, MC_STORE_TEXT_MAX, &name, rd->err));
	MC__CHECK(mc__tr_str(o, base, N(K_KIND), true, 16, &kind, rd->err));
	if (strcmp(kind, "hei") != 0 && strcmp(kind, "alternative") != 0)
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_KIND),
		                   "must be \"hei\" (higher-education institution) or \"alternative\"");
	MC__CHECK(mc__tr_iri(o, base, N(K_URL), false, &url, rd->err));
	const cJSON *ids = mc__json_get(o, N(K_IDENTIFIERS));
	if (ids) {
		if (!cJSON_IsObject(ids))
			return mc__fail_at(rd->err, MC_ERR_TYPE, base, N(K_IDENTIFIERS),
			                   "must be an object of identifiers ({\"erasmus\": \"A GRAZ01\"})");
		char path[MC_ERR_PATH_MAX];
		mc__path_key(path, sizeof path, base, N(K_IDENTIFIERS));
		const cJSON *m;
		cJSON_ArrayForEach(m, ids)
		{
			const char *v;
			MC__CHECK(mc__tr_str(ids, path, m->string, true, MC_STORE_TEXT_MAX, &v, rd->err));
		}
		char *txt = cJSON_PrintUnformatted(ids);
		if (!txt)
			rd->oom = true;
		p->identifiers = txt;
	} else {
		p->identifiers = mc__tr_dup("{}", &rd->oom);
	}
	MC__CHECK(country(rd, o, base, &p->country));
	p->id = mc__tr_dup(id, &rd->oom);
	p->name = mc__tr_dup(name, &rd->oom);
	p->kind = mc__tr_dup(kind, &rd->oom);
	p->url = mc__tr_dup(url, &rd->oom);
	return MC_OK;
}

static mc_status read_agency(reader *rd, const cJSON *o, const char *base, mc_reg_agency *a)
{
	static const int keys[] = {K_ID, K_NAME, K_COUNTRY, K_EQAR, K_URL};
	if (!cJSON_IsObject(o))
		return mc__fail_at(rd->err, MC_ERR_TYPE, base, NULL, "an agency must be an object");
	MC__CHECK(only(rd, o, base, keys, 5));
	const char *id, *name, *url;
	MC__CHECK(mc__tr_iri(o, base, N(K_ID), true, &id, rd->err));
	MC__CHECK(mc__tr_str(o, base, N(K_NAME), true, MC_STORE_TEXT_MAX, &name, rd->err));
	const cJSON *eq = mc__json_get(o, N(K_EQAR));
	if (!eq)
		return mc__fail_at(rd->err, MC_ERR_MISSING, base, N(K_EQAR), "\"%s\" is required (true or false)",
		                   N(K_EQAR));
	if (!cJSON_IsBool(eq))
		return mc__fail_at(rd->err, MC_ERR_TYPE, base, N(K_EQAR), "must be true or false");
	MC__CHECK(mc__tr_iri(o, base, N(K_URL), false, &url, rd->err));
	MC__CHECK(country(rd, o, base, &a->country));
	a->eqar_registered = cJSON_IsTrue(eq);
	a->id = mc__tr_dup(id, &rd->oom);
	a->name = mc__tr_dup(name, &rd->oom);
	a->url = mc__tr_dup(url, &rd->oom);
	return MC_OK;
}

static mc_status read_qa(reader *rd, const cJSON *o, const char *base, mc_reg_qa *q)
{
	static const int keys[] = {K_ID, K_PROVIDER, K_AGENCY, K_KIND, K_DECISION, K_FROM, K_UNTIL, K_REPORT, K_SCOPE};
	if (!cJSON_IsObject(o))
		return mc__fail_at(rd->err, MC_ERR_TYPE, base, NULL, "a QA result must be an object");
	MC__CHECK(only(rd, o, base, keys, 9));
	const char *id, *prov, *ag, *kind, *dec, *from, *until, *report, *scope;
	MC__CHECK(mc__tr_iri(o, base, N(K_ID), true, &id, rd->err));
	MC__CHECK(mc__tr_iri(o, base, N(K_PROVIDER), true, &prov, rd->err));
	MC__CHECK(mc__tr_iri(o, base, N(K_AGENCY), true, &ag, rd->err));
	MC__CHECK(mc__tr_str(o, base, N(K_KIND), true, 32, &kind, rd->err));
	int k = mc__qa_kind_parse(kind);
	if (k < 0)
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_KIND),
		                   "must be one of institutional-review, programme-accreditation, iso-17024, "
		                   "platform-certification, other");
	MC__CHECK(mc__tr_str(o, base, N(K_DECISION), true, 32, &dec, rd->err));
	int d = mc__qa_decision_parse(dec);
	if (d < 0)
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_DECISION),
		                   "must be one of positive, positive-with-conditions, negative");
	int64_t tf = 0, tu = 0;
	MC__CHECK(mc__tr_str(o, base, N(K_FROM), true, 10, &from, rd->err));
	if (!mc__tr_date(from, &tf))
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_FROM), "must be a date YYYY-MM-DD");
	MC__CHECK(mc__tr_str(o, base, N(K_UNTIL), false, 10, &until, rd->err));
	if (until && !mc__tr_date(until, &tu))
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_UNTIL), "must be a date YYYY-MM-DD");
	if (until && tu < tf)
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_UNTIL),
		                   "conflicting dates: valid until %s is before valid from %s", until, from);
	MC__CHECK(mc__tr_iri(o, base, N(K_REPORT), false, &report, rd->err));
	MC__CHECK(mc__tr_str(o, base, N(K_SCOPE), false, 4, &scope, rd->err));
	if (scope && !mc__tr_field_prefix(scope))
		return mc__fail_at(rd->err, MC_ERR_VALUE, base, N(K_SCOPE),
		                   "must be an ISCED-F field code of 2 to 4 digits (\"06\", \"0688\")");
	q->kind = (mc_extqa_kind)k;
	q->decision = (mc_extqa_decision)d;
	snprintf(q->valid_from, sizeof q->valid_from, "%s", from);
	snprintf(q->valid_until, sizeof q->valid_until, "%s", until ? until : "");
	q->id = mc__tr_dup(id, &rd->oom);
	q->provider = mc__tr_dup(prov, &rd->oom);
	q->agency = mc__tr_dup(ag, &rd->oom);
	q->report_url = mc__tr_dup(report, &rd->oom);
	q->scope = mc__tr_dup(scope, &rd->oom);
	return MC_OK;
}

/* ---- Whole-register rules: unique ids, references, order ------------- */

/* Where entry i came from, for messages: "$.providers[3]" or "rows[7]". */
typedef struct origin {
	const char *prefix; /* "$.providers" / "rows" */
	size_t *row;        /* CSV: row number of entry i; NULL for JSON */
} origin;

static void origin_path(const origin *o, size_t i, char *out, size_t cap)
{
	snprintf(out, cap, "%s[%zu]", o->prefix, o->row ? o->row[i] : i);
}

/* qsort of an empty array may get NULL, which qsort must not */
static void sort_arr(void *v, size_t n, size_t elem, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, elem, cmp);
}

typedef struct idx {
	const char *id;
	size_t i;
} idx;

static int idx_cmp(const void *a, const void *b)
{
	const idx *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Duplicate ids: the second occurrence (in input order) is the error. */
static mc_status unique(const char **ids, size_t n, const origin *o, const char *field, mc_err *err)
{
	if (n < 2)
		return MC_OK;
	idx *v = malloc(n * sizeof *v);
	if (!v)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = (idx){ids[i], i};
	sort_arr(v, n, sizeof *v, idx_cmp);
	mc_status st = MC_OK;
	for (size_t i = 1; i < n && st == MC_OK; i++)
		if (strcmp(v[i].id, v[i - 1].id) == 0) {
			char path[MC_ERR_PATH_MAX];
			origin_path(o, v[i].i, path, sizeof path);
			st = mc__fail_at(err, MC_ERR_VALUE, path, field, "duplicate id %s", v[i].id);
		}
	free(v);
	return st;
}

static int prov_cmp(const void *a, const void *b)
{
	return strcmp(((const mc_reg_provider *)a)->id, ((const mc_reg_provider *)b)->id);
}

static int agency_cmp(const void *a, const void *b)
{
	return strcmp(((const mc_reg_agency *)a)->id, ((const mc_reg_agency *)b)->id);
}

static int qa_cmp(const void *a, const void *b)
{
	const mc_reg_qa *x = a, *y = b;
	int c = strcmp(x->provider, y->provider);
	return c ? c : strcmp(x->id, y->id);
}

const mc_reg_provider *mc__register_find_provider(const mc_register *reg, const char *id)
{
	if (!reg || !reg->nproviders)
		return NULL;
	mc_reg_provider key = {.id = (char *)id};
	return bsearch(&key, reg->providers, reg->nproviders, sizeof key, prov_cmp);
}

static const mc_reg_agency *find_agency(const mc_register *reg, const char *id)
{
	if (!reg->nagencies)
		return NULL;
	mc_reg_agency key = {.id = (char *)id};
	return bsearch(&key, reg->agencies, reg->nagencies, sizeof key, agency_cmp);
}

void mc__register_sort(mc_register *reg)
{
	sort_arr(reg->providers, reg->nproviders, sizeof *reg->providers, prov_cmp);
	sort_arr(reg->agencies, reg->nagencies, sizeof *reg->agencies, agency_cmp);
	sort_arr(reg->results, reg->nresults, sizeof *reg->results, qa_cmp);
}

/* Check ids and references, then sort (after, so paths name the input). */
static mc_status finish(mc_register *reg, const origin *op, const origin *oa, const origin *oq, const char *id_field,
                        const char *prov_field, const char *agency_field, mc_err *err)
{
	size_t most = reg->nproviders > reg->nagencies ? reg->nproviders : reg->nagencies;
	most = most > reg->nresults ? most : reg->nresults;
	const char **ids = malloc((most ? most : 1) * sizeof *ids);
	if (!ids)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	mc_status st = MC_OK;
	for (size_t i = 0; i < reg->nproviders; i++)
		ids[i] = reg->providers[i].id;
	st = unique(ids, reg->nproviders, op, id_field, err);
	for (size_t i = 0; st == MC_OK && i < reg->nagencies; i++)
		ids[i] = reg->agencies[i].id;
	if (st == MC_OK)
		st = unique(ids, reg->nagencies, oa, id_field, err);
	for (size_t i = 0; st == MC_OK && i < reg->nresults; i++)
		ids[i] = reg->results[i].id;
	if (st == MC_OK)
		st = unique(ids, reg->nresults, oq, id_field, err);
	free(ids);
	if (st != MC_OK)
		return st;
	sort_arr(reg->providers, reg->nproviders, sizeof *reg->providers, prov_cmp);
	sort_arr(reg->agencies, reg->nagencies, sizeof *reg->agencies, agency_cmp);
	for (size_t i = 0; i < reg->nresults; i++) {
		const mc_reg_qa *q = &reg->results[i];
		char path[MC_ERR_PATH_MAX];
		origin_path(oq, i, path, sizeof path);
		if (!mc__register_find_provider(reg, q->provider))
			return mc__fail_at(err, MC_ERR_VALUE, path, prov_field, "unknown provider %s: not in the register",
			                   q->provider);
		if (!find_agency(reg, q->agency))
			return mc__fail_at(err, MC_ERR_VALUE, path, agency_field, "unknown agency %s: not in the register",
			                   q->agency);
	}
	sort_arr(reg->results, reg->nresults, sizeof *reg->results, qa_cmp);
	return MC_OK;
}

/* ---- JSON form -------------------------------------------------------- */

static mc_status grow(void **arr, size_t n, size_t elem)
{
	void *p = calloc(n ? n : 1, elem);
	if (!p)
		return MC_ERR_NOMEM;
	*arr = p;
	return MC_OK;
}

static mc_status parse_tree(const cJSON *root, const char *base, mc_register *out, mc_err *err)
{
	static const char *const top[] = {"providers", "agencies", "qaResults", NULL};
	if (!cJSON_IsObject(root))
		return mc__fail_at(err, MC_ERR_TYPE, base, NULL, "the register must be a JSON object");
	MC__CHECK(mc__tr_only(root, base, top, err));
	const cJSON *ap, *aa, *aq;
	MC__CHECK(mc__tr_array(root, base, "providers", true, MC_TRUST_MAX_ENTRIES, &ap, err));
	MC__CHECK(mc__tr_array(root, base, "agencies", true, MC_TRUST_MAX_ENTRIES, &aa, err));
	MC__CHECK(mc__tr_array(root, base, "qaResults", true, MC_TRUST_MAX_ENTRIES, &aq, err));
	size_t np = (size_t)cJSON_GetArraySize(ap), na = (size_t)cJSON_GetArraySize(aa),
	       nq = (size_t)cJSON_GetArraySize(aq);
	if (grow((void **)&out->providers, np, sizeof *out->providers) ||
	    grow((void **)&out->agencies, na, sizeof *out->agencies) ||
	    grow((void **)&out->results, nq, sizeof *out->results))
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	reader rd = {.form = F_JSON, .err = err};
	char pp[MC_ERR_PATH_MAX], pa[MC_ERR_PATH_MAX], pq[MC_ERR_PATH_MAX], path[MC_ERR_PATH_MAX];
	mc__path_key(pp, sizeof pp, base, "providers");
	mc__path_key(pa, sizeof pa, base, "agencies");
	mc__path_key(pq, sizeof pq, base, "qaResults");
	const cJSON *e;
	cJSON_ArrayForEach(e, ap)
	{
		mc__path_index(path, sizeof path, pp, out->nproviders);
		MC__CHECK(read_provider(&rd, e, path, &out->providers[out->nproviders++]));
	}
	cJSON_ArrayForEach(e, aa)
	{
		mc__path_index(path, sizeof path, pa, out->nagencies);
		MC__CHECK(read_agency(&rd, e, path, &out->agencies[out->nagencies++]));
	}
	cJSON_ArrayForEach(e, aq)
	{
		mc__path_index(path, sizeof path, pq, out->nresults);
		MC__CHECK(read_qa(&rd, e, path, &out->results[out->nresults++]));
	}
	if (rd.oom)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	origin op = {pp, NULL}, oa = {pa, NULL}, oq = {pq, NULL};
	return finish(out, &op, &oa, &oq, "id", "provider", "agency", err);
}

static mc_status parse_tree_or_clear(const cJSON *root, const char *base, mc_register *out, mc_err *err)
{
	memset(out, 0, sizeof *out);
	mc_status st = parse_tree(root, base, out, err);
	if (st != MC_OK)
		mc_register_clear(out);
	return st;
}

mc_status mc_register_parse_json(const char *buf, size_t len, mc_register *out, mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	cJSON *root = NULL;
	MC__CHECK(mc__tr_load(buf, len, out, &root, err));
	mc_status st = parse_tree_or_clear(root, "$", out, err);
	cJSON_Delete(root);
	return st;
}

/* ---- CSV form ---------------------------------------------------------- */

static const char csv_header[] = "record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,"
                                 "decision,valid_from,valid_until,report,scope";
#define CSV_COLS 15
static const char *const csv_cols[CSV_COLS] = {"record",      "id",       "name",       "country",     "kind",
                                              "eqar_registered", "identifiers", "url",   "provider",    "agency",
                                              "decision",    "valid_from", "valid_until", "report",   "scope"};

/* Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static bool utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t k;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

/* One CSV record: up to CSV_COLS fields, each copied (unquoted) into a
 * malloc'd string. Advances *pp; returns the field count, or -1 with err. */
typedef struct csv_row {
	char *f[CSV_COLS];
	int n;
} csv_row;

static void row_release(csv_row *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

static mc_status csv_read_row_in(const char **pp, const char *end, size_t rowno, csv_row *r, mc_err *err)
{
	const char *p = *pp;
	char rpath[48];
	snprintf(rpath, sizeof rpath, rowno ? "rows[%zu]" : "header", rowno);
	r->n = 0;
	for (;;) {
		if (r->n == CSV_COLS)
			return mc__fail(err, MC_ERR_VALUE, rpath, "more than %d columns", CSV_COLS);
		mc__buf b;
		mc__buf_init(&b, MC_STORE_ID_MAX + MC_STORE_TEXT_MAX);
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end) {
					mc__buf_release(&b);
					return mc__fail(err, MC_ERR_VALUE, rpath, "unterminated quoted field");
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						mc__buf_add(&b, "\"", 1);
						p += 2;
						continue;
					}
					p++;
					break;
				}
				mc__buf_add(&b, p++, 1);
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				mc__buf_release(&b);
				return mc__fail(err, MC_ERR_VALUE, rpath, "text after a closing quote");
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (*p == '"') {
					mc__buf_release(&b);
					return mc__fail(err, MC_ERR_VALUE, rpath, "a quote inside an unquoted field");
				}
				mc__buf_add(&b, p++, 1);
			}
		}
		if (b.status != MC_OK) {
			mc__buf_release(&b);
			return mc__fail(err, b.status == MC_ERR_NOMEM ? MC_ERR_NOMEM : MC_ERR_VALUE, rpath,
			                "field %d is too long", r->n + 1);
		}
		size_t flen = b.len;
		char *s = b.len ? mc__buf_take(&b, NULL) : strdup("");
		mc__buf_release(&b);
		if (!s)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		r->f[r->n++] = s;
		if (memchr(s, '\0', flen) || strlen(s) != flen || !utf8_ok((const unsigned char *)s, flen))
			return mc__fail(err, MC_ERR_JSON_ENCODING, rpath, "field %d is not valid UTF-8 text", r->n);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '\r') {
			if (p + 1 >= end || p[1] != '\n')
				return mc__fail(err, MC_ERR_VALUE, rpath, "a bare carriage return");
			p++;
		}
		if (p < end)
			p++; /* '\n' */
		*pp = p;
		return MC_OK;
	}
}

/* On failure the fields read so far are freed. */
static mc_status csv_read_row(const char **pp, const char *end, size_t rowno, csv_row *r, mc_err *err)
{
	mc_status st = csv_read_row_in(pp, end, rowno, r, err);
	if (st != MC_OK)
		row_release(r);
	return st;
}

/* Build the row's object keyed by column (empty cells are absent). */
static mc_status csv_object(const csv_row *r, const char *rpath, cJSON **out, mc_err *err)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (int i = 1; i < CSV_COLS; i++) {
		const char *v = r->f[i];
		if (!*v)
			continue;
		cJSON *node = NULL;
		if (i == 5) { /* eqar_registered */
			if (strcmp(v, "true") && strcmp(v, "false")) {
				cJSON_Delete(o);
				return mc__fail_at(err, MC_ERR_VALUE, rpath, csv_cols[i], "must be true or false");
			}
			node = cJSON_CreateBool(strcmp(v, "true") == 0);
		} else if (i == 6) { /* identifiers: a JSON object */
			mc_err je = {0};
			if (mc__json_load(v, strlen(v), &node, &je) != MC_OK) {
				cJSON_Delete(o);
				return mc__fail_at(err, je.status, rpath, csv_cols[i], "is not a JSON object: %s", je.msg);
			}
		} else {
			node = cJSON_CreateString(v);
		}
		if (!node || !cJSON_AddItemToObject(o, csv_cols[i], node)) {
			cJSON_Delete(node);
			cJSON_Delete(o);
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
	}
	*out = o;
	return MC_OK;
}

static mc_status csv_parse(const char *buf, size_t len, mc_register *out, size_t **rows, mc_err *err)
{
	if (len > MC_TRUST_CSV_MAX_BYTES)
		return mc__fail(err, MC_ERR_JSON_LIMIT, "buf", "the CSV is larger than %u bytes", MC_TRUST_CSV_MAX_BYTES);
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* a byte-order mark spreadsheet programs write */
	csv_row r = {0};
	mc_status st = csv_read_row(&p, end, 0, &r, err);
	if (st == MC_OK) {
		mc__buf h;
		mc__buf_init(&h, 1024);
		for (int i = 0; i < r.n; i++) {
			if (i)
				mc__buf_adds(&h, ",");
			mc__buf_adds(&h, r.f[i]);
		}
		if (h.status != MC_OK || !h.data || strcmp(h.data, csv_header) != 0)
			st = mc__fail(err, MC_ERR_VALUE, "header", "the header line must be exactly: %s", csv_header);
		mc__buf_release(&h);
	}
	row_release(&r);
	if (st != MC_OK)
		return st;
	/* capacity: one entry per line at most */
	size_t lines = 1;
	for (const char *q = p; q < end; q++)
		lines += *q == '\n';
	if (lines > 3 * (size_t)MC_TRUST_MAX_ENTRIES)
		return mc__fail(err, MC_ERR_TOO_LARGE, "buf", "more than %u rows", 3 * MC_TRUST_MAX_ENTRIES);
	out->providers = calloc(lines, sizeof *out->providers);
	out->agencies = calloc(lines, sizeof *out->agencies);
	out->results = calloc(lines, sizeof *out->results);
	for (int i = 0; i < 3; i++)
		rows[i] = calloc(lines, sizeof **rows);
	if (!out->providers || !out->agencies || !out->results || !rows[0] || !rows[1] || !rows[2])
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	reader rd = {.form = F_CSV, .err = err};
	for (size_t rowno = 1; p < end; rowno++) {
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			char rp[48];
			snprintf(rp, sizeof rp, "rows[%zu]", rowno);
			return mc__fail(err, MC_ERR_VALUE, rp, "empty line");
		}
		MC__CHECK(csv_read_row(&p, end, rowno, &r, err));
		char rpath[48];
		snprintf(rpath, sizeof rpath, "rows[%zu]", rowno);
		if (r.n != CSV_COLS) {
			row_release(&r);
			return mc__fail(err, MC_ERR_VALUE, rpath, "has %d columns, the header has %d", r.n, CSV_COLS);
		}
		cJSON *o = NULL;
		st = csv_object(&r, rpath, &o, err);
		if (st == MC_OK) {
			const char *rec = r.f[0];
			if (strcmp(rec, "provider") == 0) {
				rows[0][out->nproviders] = rowno;
				st = read_provider(&rd, o, rpath, &out->providers[out->nproviders++]);
			} else if (strcmp(rec, "agency") == 0) {
				rows[1][out->nagencies] = rowno;
				st = read_agency(&rd, o, rpath, &out->agencies[out->nagencies++]);
			} else if (strcmp(rec, "qa") == 0) {
				rows[2][out->nresults] = rowno;
				st = read_qa(&rd, o, rpath, &out->results[out->nresults++]);
			} else {
				st = mc__fail_at(err, MC_ERR_VALUE, rpath, "record", "must be provider, agency or qa");
			}
		}
		cJSON_Delete(o);
		row_release(&r);
		if (st != MC_OK)
			return st;
		if (out->nproviders > MC_TRUST_MAX_ENTRIES || out->nagencies > MC_TRUST_MAX_ENTRIES ||
		    out->nresults > MC_TRUST_MAX_ENTRIES)
			return mc__fail(err, MC_ERR_TOO_LARGE, rpath, "more than %u entries of one kind",
			                MC_TRUST_MAX_ENTRIES);
	}
	if (rd.oom)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	origin op = {"rows", rows[0]}, oa = {"rows", rows[1]}, oq = {"rows", rows[2]};
	return finish(out, &op, &oa, &oq, "id", "provider", "agency", err);
}

mc_status mc_register_parse_csv(const char *buf, size_t len, mc_register *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!buf)
		return mc__fail(err, MC_ERR_ARG, "buf", "buf is NULL");
	size_t *rows[3] = {0};
	mc_status st = csv_parse(buf, len, out, rows, err);
	for (int i = 0; i < 3; i++)
		free(rows[i]);
	if (st != MC_OK)
		mc_register_clear(out);
	return st;
}

/* ---- Export ------------------------------------------------------------ */

static bool add_str(cJSON *o, const char *k, const char *v)
{
	return !v || cJSON_AddStringToObject(o, k, v) != NULL;
}

static cJSON *register_tree(const mc_register *reg)
{
	cJSON *root = cJSON_CreateObject(), *ap = cJSON_AddArrayToObject(root, "providers"),
	      *aa = cJSON_AddArrayToObject(root, "agencies"), *aq = cJSON_AddArrayToObject(root, "qaResults");
	bool ok = root && ap && aa && aq;
	for (size_t i = 0; ok && i < reg->nproviders; i++) {
		const mc_reg_provider *p = &reg->providers[i];
		cJSON *o = cJSON_CreateObject(), *ids = NULL;
		ok = o && cJSON_AddItemToArray(ap, o) && add_str(o, "id", p->id) && add_str(o, "name", p->name) &&
		     add_str(o, "country", p->country) && add_str(o, "kind", p->kind);
		if (ok && p->identifiers && strcmp(p->identifiers, "{}") != 0)
			ok = mc__json_load(p->identifiers, strlen(p->identifiers), &ids, NULL) == MC_OK &&
			     cJSON_AddItemToObject(o, "identifiers", ids);
		ok = ok && add_str(o, "url", p->url);
	}
	for (size_t i = 0; ok && i < reg->nagencies; i++) {
		const mc_reg_agency *a = &reg->agencies[i];
		cJSON *o = cJSON_CreateObject();
		ok = o && cJSON_AddItemToArray(aa, o) && add_str(o, "id", a->id) && add_str(o, "name", a->name) &&
		     add_str(o, "country", a->country) && cJSON_AddBoolToObject(o, "eqarRegistered", a->eqar_registered) &&
		     add_str(o, "url", a->url);
	}
	for (size_t i = 0; ok && i < reg->nresults; i++) {
		const mc_reg_qa *q = &reg->results[i];
		cJSON *o = cJSON_CreateObject();
		ok = o && cJSON_AddItemToArray(aq, o) && add_str(o, "id", q->id) && add_str(o, "provider", q->provider) &&
		     add_str(o, "agency", q->agency) && add_str(o, "kind", mc__qa_kind_code(q->kind)) &&
		     add_str(o, "decision", mc__qa_decision_code(q->decision)) && add_str(o, "validFrom", q->valid_from) &&
		     add_str(o, "validUntil", q->valid_until[0] ? q->valid_until : NULL) &&
		     add_str(o, "report", q->report_url) && add_str(o, "scope", q->scope);
	}
	if (!ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

mc_status mc_register_to_json(const mc_register *reg, char **out, mc_err *err)
{
	if (!reg || !out)
		return mc__fail(err, MC_ERR_ARG, reg ? "out" : "reg", "argument is NULL");
	cJSON *t = register_tree(reg);
	*out = t ? mc__json_print(t, 1) : NULL;
	cJSON_Delete(t);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}

static void csv_field(mc__buf *b, const char *v, bool last)
{
	if (v && *v) {
		if (strpbrk(v, ",\"\r\n")) {
			mc__buf_adds(b, "\"");
			for (const char *p = v; *p; p++)
				mc__buf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
			mc__buf_adds(b, "\"");
		} else {
			mc__buf_adds(b, v);
		}
	}
	mc__buf_adds(b, last ? "\n" : ",");
}

static void csv_line(mc__buf *b, const char *const *v)
{
	for (int i = 0; i < CSV_COLS; i++)
		csv_field(b, v[i], i == CSV_COLS - 1);
}

mc_status mc_register_to_csv(const mc_register *reg, char **out, mc_err *err)
{
	if (!reg || !out)
		return mc__fail(err, MC_ERR_ARG, reg ? "out" : "reg", "argument is NULL");
	mc__buf b;
	mc__buf_init(&b, (size_t)MC_TRUST_CSV_MAX_BYTES * 2);
	mc__buf_adds(&b, csv_header);
	mc__buf_adds(&b, "\n");
	for (size_t i = 0; i < reg->nproviders; i++) {
		const mc_reg_provider *p = &reg->providers[i];
		const char *ids = p->identifiers && strcmp(p->identifiers, "{}") ? p->identifiers : NULL;
		const char *v[CSV_COLS] = {"provider", p->id, p->name, p->country, p->kind, NULL, ids, p->url};
		csv_line(&b, v);
	}
	for (size_t i = 0; i < reg->nagencies; i++) {
		const mc_reg_agency *a = &reg->agencies[i];
		const char *v[CSV_COLS] = {"agency", a->id, a->name, a->country, NULL, a->eqar_registered ? "true" : "false",
		                           NULL, a->url};
		csv_line(&b, v);
	}
	for (size_t i = 0; i < reg->nresults; i++) {
		const mc_reg_qa *q = &reg->results[i];
		const char *v[CSV_COLS] = {"qa",          q->id,        NULL,
		                           NULL,          mc__qa_kind_code(q->kind), NULL,
		                           NULL,          NULL,         q->provider,
		                           q->agency,     mc__qa_decision_code(q->decision), q->valid_from,
		                           q->valid_until, q->report_url, q->scope};
		csv_line(&b, v);
	}
	mc_status st = b.status;
	*out = mc__buf_take(&b, NULL);
	mc__buf_release(&b);
	if (!*out)
		return mc__fail(err, st == MC_OK ? MC_ERR_NOMEM : st, NULL, "the CSV could not be written");
	return MC_OK;
}

/* ---- Signed publication -------------------------------------------------- */

#define REGISTER_TYPE "McredTrustRegister"

mc_status mc_register_sign(const mc_register *reg, const char *register_id, const char *issuer_id,
                           const mc_key *key, char **out, mc_err *err)
{
	if (!reg || !key || !out)
		return mc__fail(err, MC_ERR_ARG, !reg ? "reg" : !key ? "key" : "out", "argument is NULL");
	*out = NULL;
	if (register_id && !mc__iri_valid(register_id))
		return mc__fail(err, MC_ERR_VALUE, "register_id", "the register id must be an absolute IRI");
	char did[MC_DID_KEY_MAX], when[32];
	if (!issuer_id) {
		mc_public_key pub;
		mc_key_public(key, &pub);
		MC__CHECK(mc_public_key_did(&pub, did));
		issuer_id = did;
	} else if (!mc__iri_valid(issuer_id)) {
		return mc__fail(err, MC_ERR_VALUE, "issuer_id", "the issuer must be a DID");
	}
	mc__time_format(mc__time_now(), when);
	cJSON *vc = cJSON_CreateObject(), *ctx = cJSON_AddArrayToObject(vc, "@context"),
	      *type = cJSON_AddArrayToObject(vc, "type");
	cJSON *subj = cJSON_CreateObject(), *body = register_tree(reg);
	bool ok = vc && ctx && type && subj && body && cJSON_AddItemToArray(ctx, cJSON_CreateString(MC_VC_CONTEXT_URL)) &&
	          cJSON_AddItemToArray(type, cJSON_CreateString("VerifiableCredential")) &&
	          cJSON_AddItemToArray(type, cJSON_CreateString(REGISTER_TYPE)) &&
	          add_str(vc, "issuer", issuer_id) && add_str(vc, "validFrom", when) &&
	          add_str(subj, "id", register_id) && cJSON_AddItemToObject(subj, "register", body);
	if (ok)
		body = NULL;
	ok = ok && cJSON_AddItemToObject(vc, "credentialSubject", subj);
	if (ok)
		subj = NULL;
	cJSON_Delete(body);
	cJSON_Delete(subj);
	if (!ok) {
		cJSON_Delete(vc);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	mc_doc *doc = mc__doc_wrap(vc);
	if (!doc)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	/* eddsa-jcs-2022 for Ed25519: the register's terms are not in any
	 * bundled JSON-LD context, and JCS signs the JSON as it is */
	mc_proof_opts po = {.cryptosuite = key->alg == MC_KEY_ED25519 ? MC_SUITE_EDDSA_JCS : NULL};
	mc_status st = mc_doc_sign_key(doc, key, &po, err);
	if (st == MC_OK)
		st = mc_doc_serialize(doc, MC_DOC_PRETTY, out, NULL);
	if (st == MC_ERR_NOMEM)
		mc__fail(err, st, NULL, "out of memory");
	mc_doc_free(doc);
	return st;
}

static bool has_type(const cJSON *root, const char *t)
{
	const cJSON *c, *type = mc__json_get(root, "type");
	cJSON_ArrayForEach(c, type)
	{
		if (cJSON_IsString(c) && strcmp(c->valuestring, t) == 0)
			return true;
	}
	return false;
}

mc_status mc_register_open_signed(const char *buf, size_t len, const char *expected_issuer, const char *did_documents,
                                  size_t did_documents_len, mc_register *out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	memset(out, 0, sizeof *out);
	if (!buf)
		return mc__fail(err, MC_ERR_ARG, "buf", "buf is NULL");
	mc_verify_opts vo = {.flags = MC_VERIFY_PROOF_ONLY, .did_documents = did_documents,
	                     .did_documents_len = did_documents_len};
	mc_report *rep = NULL;
	mc_err ve = {0};
	mc_status st = mc_verify(buf, len, &vo, &rep, &ve);
	mc_report_free(rep);
	if (st == MC_ERR_INVALID)
		return mc__fail(err, MC_ERR_SIGNATURE, ve.path, "the register's signature does not verify: %s", ve.msg);
	if (st != MC_OK)
		return mc__fail(err, st, ve.path, "%s", ve.msg);
	cJSON *root = NULL;
	MC__CHECK(mc__json_load(buf, len, &root, err));
	const cJSON *iss = mc__json_get(root, "issuer"), *proof = mc__json_get(root, "proof");
	if (cJSON_IsArray(proof))
		proof = proof->child;
	const cJSON *vm = mc__json_get(proof, "verificationMethod");
	if (!has_type(root, REGISTER_TYPE)) {
		st = mc__fail(err, MC_ERR_VALUE, "$.type", "the document is not a published register (type %s)",
		              REGISTER_TYPE);
	} else if (!cJSON_IsString(iss) || !cJSON_IsString(vm)) {
		st = mc__fail(err, MC_ERR_MISSING, "$.issuer", "the register names no issuer");
	} else {
		size_t n = strcspn(vm->valuestring, "#");
		if (strlen(iss->valuestring) != n || strncmp(iss->valuestring, vm->valuestring, n) != 0)
			st = mc__fail(err, MC_ERR_SIGNATURE, "$.proof.verificationMethod",
			              "the register was signed by %s, not by its issuer %s", vm->valuestring, iss->valuestring);
		else if (expected_issuer && strcmp(expected_issuer, iss->valuestring) != 0)
			st = mc__fail(err, MC_ERR_SIGNATURE, "$.issuer", "the register is published by %s, not by %s",
			              iss->valuestring, expected_issuer);
	}
	if (st == MC_OK)
		st = parse_tree_or_clear(mc__json_get(mc__json_get(root, "credentialSubject"), "register"),
		                         "$.credentialSubject.register", out, err);
	cJSON_Delete(root);
	return st;
}

/* ---- The check ------------------------------------------------------------ */

/* Last day of validity, inclusive: until the end of valid_until. */
static bool qa_valid_on(const mc_reg_qa *q, int64_t when)
{
	int64_t from = 0, until = 0;
	if (!mc__tr_date(q->valid_from, &from) || when < from)
		return false;
	if (!q->valid_until[0])
		return true;
	return mc__tr_date(q->valid_until, &until) && when < until + 86400;
}

static bool qa_covers(const mc_reg_qa *q, const char *field)
{
	if (!q->scope)
		return true;
	return field && strncmp(field, q->scope, strlen(q->scope)) == 0;
}

void mc_register_check(const mc_register *reg, const char *issuer, int64_t when, const char *field,
                       mc_register_check_result *res)
{
	memset(res, 0, sizeof *res);
	res->result = MC_FAIL;
	char day[32];
	mc__time_format(when, day);
	day[10] = '\0';
	const mc_reg_provider *p = issuer ? mc__register_find_provider(reg, issuer) : NULL;
	if (!p) {
		snprintf(res->reason, sizeof res->reason, "The issuer %s is not a registered provider.",
		         issuer ? issuer : "(none)");
		return;
	}
	res->provider = p;
	/* results are sorted by provider: find the first of p's */
	size_t lo = 0, hi = reg->nresults;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(reg->results[mid].provider, p->id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const mc_reg_qa *best = NULL, *weak = NULL, *stale = NULL;
	const char *weak_why = NULL;
	for (size_t i = lo; i < reg->nresults && strcmp(reg->results[i].provider, p->id) == 0; i++) {
		const mc_reg_qa *q = &reg->results[i];
		if (!qa_covers(q, field))
			continue;
		if (q->decision == MC_EXTQA_NEGATIVE)
			continue;
		if (!qa_valid_on(q, when)) {
			stale = stale ? stale : q;
			continue;
		}
		const mc_reg_agency *a = find_agency(reg, q->agency);
		bool esg_kind = q->kind == MC_EXTQA_INSTITUTIONAL || q->kind == MC_EXTQA_PROGRAMME;
		if (a && a->eqar_registered && esg_kind && q->decision == MC_EXTQA_POSITIVE) {
			best = q;
			break;
		}
		if (!weak) {
			weak = q;
			weak_why = !esg_kind                 ? "is not an ESG-aligned kind of review"
			           : !a || !a->eqar_registered ? "is by an agency not registered in EQAR"
			                                       : "is positive only with conditions";
		}
	}
	if (best) {
		const mc_reg_agency *a = find_agency(reg, best->agency);
		res->result = MC_PASS;
		res->qa = best;
		snprintf(res->reason, sizeof res->reason,
		         "%s is a registered provider with a positive %s by %s (EQAR-registered), valid from %s%s%s on %s.",
		         p->name, mc__qa_kind_code(best->kind), a->name, best->valid_from,
		         best->valid_until[0] ? " to " : "", best->valid_until, day);
	} else if (weak) {
		const mc_reg_agency *a = find_agency(reg, weak->agency);
		res->result = MC_WARN;
		res->qa = weak;
		snprintf(res->reason, sizeof res->reason,
		         "%s is a registered provider, but its only QA valid on %s (%s by %s) %s.", p->name, day,
		         mc__qa_kind_code(weak->kind), a ? a->name : weak->agency, weak_why);
	} else if (stale) {
		res->qa = stale;
		snprintf(res->reason, sizeof res->reason,
		         "%s is a registered provider, but no positive external QA result was valid on %s (%s %s%s%s).",
		         p->name, day, mc__qa_kind_code(stale->kind), stale->valid_from,
		         stale->valid_until[0] ? " to " : " onwards", stale->valid_until);
	} else {
		snprintf(res->reason, sizeof res->reason,
		         "%s is a registered provider without a positive external QA result%s.", p->name,
		         field ? " covering the credential's field" : "");
	}
}

/* The issue date and field of a parsed credential. */
static const char *tree_field(const cJSON *root, char out[5])
{
	const cJSON *a = mc__json_get(mc__json_get(root, "credentialSubject"), "achievement");
	const cJSON *f = mc__json_get(a, "iscedF");
	out[0] = '\0';
	if (!cJSON_IsString(f))
		return NULL;
	size_t n = strlen(f->valuestring);
	if (n < 4)
		return NULL;
	memcpy(out, f->valuestring + n - 4, 5);
	return mc__iscedf_valid(out) ? out : NULL;
}

mc_status mc__register_check_tree(const mc_register *reg, const cJSON *root, int require, mc_report *rep)
{
	const cJSON *iss = mc__json_get(root, "issuer");
	if (cJSON_IsObject(iss))
		iss = mc__json_get(iss, "id");
	const cJSON *vf = mc__json_get(root, "validFrom");
	int64_t when = 0;
	if (!cJSON_IsString(iss))
		return mc__report_add(rep, "register", MC_SKIP, MC_OK, "$.issuer",
		                      "The register was not checked: the credential names no issuer.");
	if (!cJSON_IsString(vf) || !mc__time_parse(vf->valuestring, false, &when))
		return mc__report_add(rep, "register", require ? MC_FAIL : MC_WARN, MC_ERR_MISSING, "$.validFrom",
		                      "The register could not be checked: the credential has no valid issue date.");
	char field[5];
	mc_register_check_result r;
	mc_register_check(reg, iss->valuestring, when, tree_field(root, field), &r);
	mc_result res = r.result == MC_FAIL && !require ? MC_WARN : r.result;
	return mc__report_add(rep, "register", res, r.result == MC_PASS ? MC_OK : MC_ERR_INVALID, "$.issuer", "%s",
	                      r.reason);
}
