/*
 * tordf.c - Deserialize JSON-LD to RDF (API 7.1-7.4): expanded JSON-LD
 * to quads in an mc_rdf_dataset, and the public entry points.
 *
 * The specification first builds a node map (7.2.2) and then walks it. Its
 * only effects beyond relabelling blank nodes are merging the statements of
 * one node met several times and removing duplicates; an RDF dataset is a
 * set, so walking the expanded tree directly yields the same dataset with
 * one pass and no intermediate tree. Every list object still gets fresh
 * blank nodes, as in the node map (lists are never merged).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonld/jsonld_internal.h"
#include "rdf/rdf_internal.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD_NS "http://www.w3.org/2001/XMLSchema#"

#define NOMEM(s) mc__fail((s)->err, MC_ERR_NOMEM, NULL, "out of memory in JSON-LD to RDF")

/* A node term (IRI or blank node) met during the walk, one record per
 * distinct IRI or issued label: whether it can be in RDF is decided once,
 * and its dataset term index is memoized after the first quad using it. */
typedef struct rterm {
	const char *value;
	uint32_t id; /* dataset term index, NO_ID until interned */
	mc_rdf_kind kind;
	bool valid;
	bool checked; /* passes the dataset's checks too */
	bool hashed;  /* IRI whose length and dataset hash are known */
	uint32_t len, hash;
} rterm;

#define NO_ID UINT32_MAX

/* A node term: IRI or blank node; valid false when it cannot be in RDF.
 * r is the walk's record of it (NULL for the "null" subject). */
typedef struct node_term {
	mc_rdf_kind kind;
	const char *value;
	bool valid;
	rterm *r;
} node_term;

/* IRI string (by address) -> rterm. The strings of one walk are never
 * freed or reused while it runs (pool, arena and input document), and most
 * IRIs are the same few term definitions' strings met again and again, so
 * the address finds them without hashing text. The same text at two
 * addresses gets two records; the dataset interns both to one term. */
typedef struct iri_slot {
	const char *key;
	rterm *val;
} iri_slot;

typedef struct iri_map {
	iri_slot *slots;
	size_t cap, count; /* cap: power of two or 0 */
} iri_map;

static size_t iri_slot_of(const iri_map *m, const char *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h ^ (h >> 32)) & (m->cap - 1);
	while (m->slots[i].key && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static rterm *iri_get(const iri_map *m, const char *key)
{
	return m->cap ? m->slots[iri_slot_of(m, key)].val : NULL;
}

/* key must not be in m. false: out of memory (or past the pool ceiling). */
static bool iri_put(jl_pool *p, iri_map *m, const char *key, rterm *val)
{
	if ((m->count + 1) * 4 > m->cap * 3) {
		iri_map n = {.cap = m->cap ? m->cap * 2 : 64};
		if (!(n.slots = mc__jl_alloc(p, n.cap * sizeof *n.slots)))
			return false;
		memset(n.slots, 0, n.cap * sizeof *n.slots);
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key)
				n.slots[iri_slot_of(&n, m->slots[i].key)] = m->slots[i];
		n.count = m->count;
		*m = n; /* the old slots stay in the pool until the call ends */
	}
	m->slots[iri_slot_of(m, key)] = (iri_slot){key, val};
	m->count++;
	return true;
}

typedef struct rdf_walk {
	jl_state *s;
	mc_rdf_dataset *ds;
	jl_map labels;      /* input blank node label -> rterm of the issued label */
	iri_map iris;       /* IRI string -> rterm */
	unsigned long next; /* next issued label number */
	node_term rdf_type; /* rdf:type, once looked up */
} rdf_walk;

/* Byte classes for iri_ok: 1 = a character N-Quads cannot carry in an
 * IRI (mc__rdf_iri_bad), 2 = '#'. A table: this runs over every distinct
 * IRI of every conversion. */
static const unsigned char IRI_CLASS[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0,
    /* 0x80..0xFF: 0 */
};

/* Well-formed enough for RDF: absolute, none of the characters N-Quads
 * cannot carry, at most one '#' (a fragment cannot hold another). *ascii:
 * no byte above 0x7F, so that the dataset's own IRI check (the same
 * characters, UTF-8 and the scheme) cannot fail either. */
static bool iri_ok(const char *v, bool *ascii)
{
	int hashes = 0;
	unsigned char high = 0;
	const unsigned char *p = (const unsigned char *)v;
	for (; *p; p++) {
		unsigned char k = IRI_CLASS[*p];
		high |= *p;
		if (k) {
			if (k == 1)
				return false;
			hashes++;
		}
	}
	*ascii = high < 0x80;
	return hashes <= 1 && !mc__rdf_check_scheme(v, (size_t)(p - (const unsigned char *)v));
}

static bool lang_ok(const char *l)
{
	size_t n = 0;
	bool first = true;
	for (const char *p = l;; p++) {
		char c = *p;
		if (c == '-' || c == '\0') {
			if (n < 1 || n > 8)
				return false;
			if (!c)
				return true;
			n = 0;
			first = false;
			continue;
		}
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!(alpha || (!first && c >= '0' && c <= '9')))
			return false;
		n++;
	}
}

static rterm *new_rterm(rdf_walk *w, mc_rdf_kind kind, const char *value, bool valid)
{
	rterm *r = mc__jl_alloc(&w->s->pool, sizeof *r);
	if (r)
		*r = (rterm){.value = value, .id = NO_ID, .kind = kind, .valid = valid};
	return r;
}

/* The issued blank node for input label (NULL: a fresh one). */
static mc_status issue(rdf_walk *w, const char *input, rterm **out)
{
	if (input) {
		rterm *got = mc__jl_map_get(&w->labels, input);
		if (got) {
			*out = got;
			return MC_OK;
		}
	}
	char buf[32], *e = buf + sizeof buf;
	*--e = '\0';
	unsigned long v = w->next++;
	do
		*--e = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	*--e = 'b';
	char *l = mc__jl_strndup(&w->s->pool, e, (size_t)(buf + sizeof buf - 1 - e));
	rterm *r = l ? new_rterm(w, MC_RDF_BLANK, l, true) : NULL;
	if (!r || (input && !mc__jl_map_put(&w->s->pool, &w->labels, input, r)))
		return NOMEM(w->s);
	*out = r;
	return MC_OK;
}

static void node_from(node_term *t, rterm *r)
{
	*t = (node_term){.kind = r->kind, .value = r->value, .valid = r->valid, .r = r};
}

/* Slot of iri in a facts table of cap (power of two) entries: its own, or
 * the empty one where it would go. */
static size_t fact_slot(const jl_iri_fact *t, size_t cap, const char *iri)
{
	uint64_t h = (uint64_t)(uintptr_t)iri * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h ^ (h >> 32)) & (cap - 1);
	while (t[i].iri && t[i].iri != iri)
		i = (i + 1) & (cap - 1);
	return i;
}

/* The loader's facts about an IRI string of its pool (a term definition's
 * IRI), worked out on first use; NULL for other strings, or when the
 * table is full (JL_MAX_IRI_FACTS). */
static const jl_iri_fact *iri_fact(rdf_walk *w, const char *iri)
{
	mc_jsonld_loader *l = w->s->loader;
	if (!mc__jl_pool_owns(&l->pool, iri))
		return NULL;
	size_t i = l->fcap ? fact_slot(l->facts, l->fcap, iri) : 0;
	if (l->fcap && l->facts[i].iri)
		return &l->facts[i];
	if (l->fcount >= JL_MAX_IRI_FACTS)
		return NULL;
	if ((l->fcount + 1) * 2 > l->fcap) {
		size_t cap = l->fcap ? l->fcap * 2 : 256;
		jl_iri_fact *n = calloc(cap, sizeof *n);
		if (!n)
			return NULL;
		for (size_t k = 0; k < l->fcap; k++)
			if (l->facts[k].iri)
				n[fact_slot(n, cap, l->facts[k].iri)] = l->facts[k];
		free(l->facts);
		l->facts = n;
		l->fcap = cap;
		i = fact_slot(n, cap, iri);
	}
	size_t len = strlen(iri);
	if (len > MC_RDF_MAX_TEXT_BYTES)
		return NULL;
	bool ascii = false, ok = iri_ok(iri, &ascii);
	l->facts[i] = (jl_iri_fact){.iri = iri,
	                            .len = (uint32_t)len,
	                            .hash = mc__rdf_iri_hash(iri, len),
	                            .valid = ok,
	                            .checked = ok && ascii};
	l->fcount++;
	return &l->facts[i];
}

/* Term for an IRI or blank node identifier as found in expanded JSON-LD.
 * id must stay valid during the walk (it is kept as a key). */
static mc_status node_of(rdf_walk *w, const char *id, node_term *t)
{
	rterm *r;
	if (id[0] == '_' && id[1] == ':') {
		mc_status st = issue(w, id + 2, &r);
		if (st != MC_OK)
			return st;
	} else if (!(r = iri_get(&w->iris, id))) {
		const jl_iri_fact *f = iri_fact(w, id);
		bool ascii = false, ok = f ? f->valid : iri_ok(id, &ascii);
		if (!(r = new_rterm(w, MC_RDF_IRI, id, ok)) || !iri_put(&w->s->pool, &w->iris, id, r))
			return NOMEM(w->s);
		r->checked = f ? f->checked : ok && ascii;
		if (f) {
			r->hashed = true;
			r->len = f->len;
			r->hash = f->hash;
		}
	}
	node_from(t, r);
	return MC_OK;
}

static mc_status drop(rdf_walk *w, const char *what, const char *v)
{
	if (w->s->safe)
		return mc__jl_error(w->s, "safe mode", "%s \"%s\" cannot be expressed in RDF", what, v ? v : "");
	return MC_OK;
}

/* Dataset term index of a node term, interned on first use. false: the
 * term does not pass the dataset's checks (or interning failed); the
 * caller then takes the public path, which reports why. */
static bool node_id(rdf_walk *w, rterm *r, uint32_t *id)
{
	if (r->id == NO_ID) {
		size_t n = r->hashed ? r->len : strlen(r->value);
		uint32_t got;
		if (n > MC_RDF_MAX_TEXT_BYTES)
			return false;
		if (r->kind == MC_RDF_IRI) {
			if ((!r->checked && mc__rdf_check_iri(r->value, n)) ||
			    (r->hashed ? mc__rdf_term_iri_hashed(w->ds, r->value, n, r->hash, &got)
			               : mc__rdf_term_iri(w->ds, r->value, n, &got)) != MC_OK)
				return false;
		} else {
			if (mc__rdf_check_label(r->value, n) || mc__rdf_term_blank(w->ds, r->value, n, &got) != MC_OK)
				return false;
		}
		r->id = got;
	}
	*id = r->id;
	return true;
}

/* The same for a literal, with mc_rdf_dataset_add's checks. */
static bool literal_id(rdf_walk *w, const mc_rdf_term *o, uint32_t *id)
{
	size_t n = o->len == MC_RDF_NTS ? strlen(o->value) : o->len;
	size_t dtn = o->datatype ? strlen(o->datatype) : 0, ln = o->language ? strlen(o->language) : 0;
	if (n > MC_RDF_MAX_TEXT_BYTES || mc__rdf_check_utf8(o->value, n) ||
	    (o->datatype && mc__rdf_check_iri(o->datatype, dtn)) || (o->language && mc__rdf_check_lang(o->language, ln)) ||
	    mc__rdf_check_literal(o->datatype, dtn, o->language))
		return false;
	return mc__rdf_term_literal(w->ds, o->value, n, o->datatype, dtn, o->language, ln, id) == MC_OK;
}

/* Add the quad (s, p, o, g); the object is the node term on when not NULL,
 * else the literal o. Terms that cannot be in RDF drop the quad. */
static mc_status emit(rdf_walk *w, const node_term *s, const node_term *p, const mc_rdf_term *o, rterm *on,
                      const node_term *g)
{
	if (!s->valid || !p->valid || (g && !g->valid) || (on && !on->valid))
		return MC_OK;
	uint32_t q[4] = {0, 0, 0, MC__RDF_DEFAULT};
	if (node_id(w, s->r, &q[0]) && node_id(w, p->r, &q[1]) && (!g || node_id(w, g->r, &q[3])) &&
	    (on ? node_id(w, on, &q[2]) : literal_id(w, o, &q[2])) && mc__rdf_add_quad(w->ds, q) == MC_OK)
		return MC_OK;
	/* a check or a limit failed: the public path says which */
	mc_rdf_term to = on ? (mc_rdf_term){.kind = on->kind, .value = on->value, .len = MC_RDF_NTS} : *o;
	mc_rdf_term ts = {.kind = s->kind, .value = s->value, .len = MC_RDF_NTS};
	mc_rdf_term tp = {.kind = p->kind, .value = p->value, .len = MC_RDF_NTS};
	mc_rdf_term tg = {.kind = g ? g->kind : MC_RDF_DEFAULT_GRAPH, .value = g ? g->value : NULL, .len = MC_RDF_NTS};
	return mc_rdf_dataset_add(w->ds, &ts, &tp, &to, g ? &tg : NULL, w->s->err);
}

static mc_status emit_node(rdf_walk *w, const node_term *s, const node_term *p, const node_term *o,
                           const node_term *g)
{
	if (!o->valid)
		return MC_OK;
	return emit(w, s, p, NULL, o->r, g);
}

/* JavaScript's Number.prototype.toString for an integral |v| < 1e21:
 * shortest round-trip digits, padded with zeros (never an exponent). */
static void format_integer(double v, char out[48])
{
	if (v == 0) {
		strcpy(out, "0");
		return;
	}
	if (fabs(v) < 9007199254740992.0) {
		snprintf(out, 48, "%.0f", v);
		return;
	}
	char e[40];
	for (int p = 1; p <= 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is "[-]d.ddde+XX": digits then zeros up to the exponent */
	char digits[24];
	size_t nd = 0, o = 0;
	const char *q = e;
	if (*q == '-')
		out[o++] = *q++;
	for (; *q && *q != 'e'; q++)
		if (*q != '.')
			digits[nd++] = *q;
	int exp = atoi(q + 1);
	for (int i = 0; i <= exp; i++)
		out[o++] = (size_t)i < nd ? digits[i] : '0';
	out[o] = '\0';
}

/* xsd:double canonical form as the reference implementation writes it:
 * toExponential(15) with the fraction's trailing zeros cut to one. */
static void format_double(double v, char out[48])
{
	char e[48];
	snprintf(e, sizeof e, "%.15e", v);
	char *x = strchr(e, 'e');
	int exp = atoi(x + 1);
	char *end = x;
	while (end > e && end[-1] == '0' && end[-2] != '.')
		end--;
	size_t m = (size_t)(end - e), o = 0;
	memcpy(out, e, m); /* at most "-d.ddddddddddddddd": 18 bytes */
	out[m] = 'E';
	o = m + 1;
	if (exp < 0) {
		out[o++] = '-';
		exp = -exp;
	}
	char d[8];
	size_t nd = 0;
	do
		d[nd++] = (char)('0' + exp % 10);
	while ((exp /= 10) > 0);
	while (nd)
		out[o++] = d[--nd];
	out[o] = '\0';
}

static mc_status object_term(rdf_walk *w, const cJSON *item, const node_term *g, mc_rdf_term *o, rterm **on,
                             bool *ok, char *numbuf);

static mc_status walk_node(rdf_walk *w, const cJSON *node, const node_term *g, node_term *subject);

/* The statement (s, p, object of item) in g, the object converted first. */
static mc_status emit_object(rdf_walk *w, const node_term *s, const node_term *p, const cJSON *item,
                             const node_term *g)
{
	mc_rdf_term o;
	rterm *on;
	bool ok;
	char num[48];
	mc_status st = object_term(w, item, g, &o, &on, &ok, num);
	if (st == MC_OK && ok)
		st = emit(w, s, p, &o, on, g);
	return st;
}

/* List Conversion (7.4.2); *head is rdf:nil or the first blank node. */
static mc_status list_term(rdf_walk *w, const cJSON *list, const node_term *g, node_term *head)
{
	mc_status st;
	node_term first, rest, nil;
	if ((st = node_of(w, RDF_NS "first", &first)) != MC_OK || (st = node_of(w, RDF_NS "rest", &rest)) != MC_OK ||
	    (st = node_of(w, RDF_NS "nil", &nil)) != MC_OK)
		return st;
	if (!list || !list->child) {
		*head = nil;
		return MC_OK;
	}
	node_term cur;
	rterm *r;
	if ((st = issue(w, NULL, &r)) != MC_OK)
		return st;
	node_from(&cur, r);
	*head = cur;
	for (const cJSON *it = list->child; it; it = it->next) {
		if ((st = emit_object(w, &cur, &first, it, g)) != MC_OK)
			return st;
		node_term next = nil;
		if (it->next) {
			if ((st = issue(w, NULL, &r)) != MC_OK)
				return st;
			node_from(&next, r);
		}
		if ((st = emit_node(w, &cur, &rest, &next, g)) != MC_OK)
			return st;
		cur = next;
	}
	return MC_OK;
}

/* Object to RDF Conversion (7.3.2). Node objects are walked (their own
 * statements emitted) and stand for their identifier. *ok false: null. */
static mc_status object_term(rdf_walk *w, const cJSON *item, const node_term *g, mc_rdf_term *o, rterm **on,
                             bool *ok, char *numbuf)
{
	mc_status st;
	memset(o, 0, sizeof *o);
	*on = NULL;
	*ok = false;
	o->len = MC_RDF_NTS;
	/* the keywords this step reads, in one pass over the entries (this
	 * runs for every value of the document) */
	const cJSON *list = NULL, *value = NULL, *tv = NULL, *lv = NULL;
	for (const cJSON *c = cJSON_IsObject(item) ? item->child : NULL; c; c = c->next) {
		const char *k = c->string;
		if (k[0] != '@')
			continue;
		/* one compare per key: the second letter tells them apart */
		if (k[1] == 'l' && !list && strcmp(k, "@list") == 0)
			list = c;
		else if (k[1] == 'v' && !value && strcmp(k, "@value") == 0)
			value = c;
		else if (k[1] == 't' && !tv && strcmp(k, "@type") == 0)
			tv = c;
		else if (k[1] == 'l' && !lv && strcmp(k, "@language") == 0)
			lv = c;
	}
	if (list) {
		node_term head;
		if ((st = list_term(w, list, g, &head)) != MC_OK)
			return st;
		o->kind = head.kind;
		o->value = head.value;
		*on = head.r;
		*ok = true;
		return MC_OK;
	}
	if (!value) {
		node_term n;
		if ((st = walk_node(w, item, g, &n)) != MC_OK)
			return st;
		if (!n.valid)
			return drop(w, "object", n.value);
		o->kind = n.kind;
		o->value = n.value;
		*on = n.r;
		*ok = true;
		return MC_OK;
	}
	/* 4-14: value object */
	const char *dt = cJSON_IsString(tv) ? tv->valuestring : NULL;
	bool json = dt && strcmp(dt, "@json") == 0;
	bool ascii;
	if (dt && !json && !iri_ok(dt, &ascii))
		return drop(w, "datatype", dt);
	if (cJSON_IsString(lv) && !lang_ok(lv->valuestring))
		return drop(w, "language tag", lv->valuestring);
	o->kind = MC_RDF_LITERAL;
	if (json) {
		mc__buf b;
		mc__buf_init(&b, MC_JCS_MAX_BYTES);
		if ((st = mc__jcs_node(value, &b)) != MC_OK || b.status != MC_OK) {
			mc__buf_release(&b);
			return mc__fail(w->s->err, st ? st : b.status, NULL, "cannot canonicalize a JSON literal");
		}
		size_t n;
		char *txt = mc__buf_take(&b, &n);
		char *copy = txt ? mc__jl_strndup(&w->s->pool, txt, n) : mc__jl_strdup(&w->s->pool, "");
		free(txt);
		if (!copy)
			return NOMEM(w->s);
		o->value = copy;
		o->datatype = RDF_NS "JSON";
	} else if (cJSON_IsBool(value)) {
		o->value = cJSON_IsTrue(value) ? "true" : "false";
		o->datatype = dt ? dt : XSD_NS "boolean";
	} else if (cJSON_IsNumber(value)) {
		double d = value->valuedouble;
		if (d != floor(d) || fabs(d) >= 1e21 || (dt && strcmp(dt, XSD_NS "double") == 0)) {
			format_double(d, numbuf);
			o->datatype = dt ? dt : XSD_NS "double";
		} else {
			format_integer(d, numbuf);
			o->datatype = dt ? dt : XSD_NS "integer";
		}
		o->value = numbuf;
	} else if (cJSON_IsString(value)) {
		o->value = value->valuestring;
		if (cJSON_IsString(lv))
			o->language = lv->valuestring; /* rdfDirection null: @direction is not in RDF */
		else
			o->datatype = dt;
	} else {
		return drop(w, "value", NULL);
	}
	*ok = true;
	return MC_OK;
}

/* The statements of one node object (what the node map would hold for it,
 * plus those of the nodes nested in it), in graph g. */
static mc_status walk_node(rdf_walk *w, const cJSON *node, const node_term *g, node_term *subject)
{
	mc_status st;
	node_term subj;
	const cJSON *id = mc__json_get(node, "@id");
	if (cJSON_IsString(id)) {
		if ((st = node_of(w, id->valuestring, &subj)) != MC_OK)
			return st;
	} else if (id) { /* "@id": null (a keyword-like IRI was ignored) */
		subj = (node_term){.kind = MC_RDF_IRI, .value = "null", .valid = false, .r = NULL};
	} else {
		rterm *r;
		if ((st = issue(w, NULL, &r)) != MC_OK)
			return st;
		node_from(&subj, r);
	}
	if (!subj.valid && (st = drop(w, "subject", subj.value)) != MC_OK)
		return st;
	*subject = subj;
	for (const cJSON *c = node->child; c; c = c->next) {
		const char *k = c->string;
		if (k[0] != '@') {
			node_term pt;
			if ((st = node_of(w, k, &pt)) != MC_OK)
				return st;
			if (pt.kind == MC_RDF_BLANK)
				pt.valid = false; /* no generalized RDF */
			if (!pt.valid && (st = drop(w, "property", k)) != MC_OK)
				return st;
			for (const cJSON *v = cJSON_IsArray(c) ? c->child : c; v; v = cJSON_IsArray(c) ? v->next : NULL) {
				if ((st = emit_object(w, &subj, &pt, v, g)) != MC_OK)
					return st;
			}
		} else if (k[1] == 't' && strcmp(k, "@type") == 0) {
			for (const cJSON *t = cJSON_IsArray(c) ? c->child : c; t; t = cJSON_IsArray(c) ? t->next : NULL) {
				if (!cJSON_IsString(t))
					continue;
				node_term tt;
				if ((st = node_of(w, t->valuestring, &tt)) != MC_OK)
					return st;
				if (!tt.valid && (st = drop(w, "type", tt.value)) != MC_OK)
					return st;
				if (!w->rdf_type.r && (st = node_of(w, RDF_NS "type", &w->rdf_type)) != MC_OK)
					return st;
				if ((st = emit_node(w, &subj, &w->rdf_type, &tt, g)) != MC_OK)
					return st;
			}
		} else if (k[1] == 'r' && strcmp(k, "@reverse") == 0) {
			for (const cJSON *p = c->child; p; p = p->next) {
				node_term pt;
				if ((st = node_of(w, p->string, &pt)) != MC_OK)
					return st;
				if (pt.kind == MC_RDF_BLANK)
					pt.valid = false; /* no generalized RDF */
				if (!pt.valid && (st = drop(w, "property", p->string)) != MC_OK)
					return st;
				for (const cJSON *v = cJSON_IsArray(p) ? p->child : p; v; v = cJSON_IsArray(p) ? v->next : NULL) {
					node_term vt;
					if ((st = walk_node(w, v, g, &vt)) != MC_OK)
						return st;
					if ((st = emit_node(w, &vt, &pt, &subj, g)) != MC_OK)
						return st;
				}
			}
		} else if (k[1] == 'g' && strcmp(k, "@graph") == 0) {
			for (const cJSON *v = c->child; v; v = v->next) {
				if (mc__json_get(v, "@value") || mc__json_get(v, "@list"))
					continue;
				node_term vt;
				if ((st = walk_node(w, v, &subj, &vt)) != MC_OK)
					return st;
			}
		} else if (k[1] == 'i' && strcmp(k, "@included") == 0) {
			for (const cJSON *v = c->child; v; v = v->next) {
				node_term vt;
				if ((st = walk_node(w, v, g, &vt)) != MC_OK)
					return st;
			}
		}
		/* other keywords (@id, @index, ...) carry no statement */
	}
	return MC_OK;
}

/* ---- Public entry points ------------------------------------------------ */

static mc_status state_begin(jl_state *s, mc_jsonld_loader *loader, mc_jsonld_loader **tmp, const mc_jsonld_opts *o,
                             mc_err *err)
{
	memset(s, 0, sizeof *s);
	s->err = err;
	/* the cJSON trees of a call go to the per-thread arena: make sure its
	 * hooks are in even when the application did not call mc_init */
	mc__arena_install();
	s->v10 = o && o->mode == MC_JSONLD_1_0;
	s->safe = o && o->safe;
	*tmp = NULL;
	if (!loader) {
		mc_status st = mc_jsonld_loader_new(NULL, NULL, tmp, err);
		if (st != MC_OK)
			return st;
		loader = *tmp;
	}
	s->loader = loader;
	return MC_OK;
}

static void state_end(jl_state *s, mc_jsonld_loader *tmp)
{
	mc__jl_pool_free(&s->pool);
	mc_jsonld_loader_free(tmp);
}

/* Parse and expand; the trees live in the caller's open arena. */
static mc_status parse_expand(jl_state *s, const char *json, size_t len, const mc_jsonld_opts *o, cJSON **out)
{
	cJSON *doc;
	mc_status st = mc__json_load(json, len, &doc, s->err);
	if (st != MC_OK)
		return st;
	return mc__jl_expand_doc(s, doc, o, out);
}

mc_status mc_jsonld_expand(const char *json, size_t len, mc_jsonld_loader *loader, const mc_jsonld_opts *opts,
                           char **out, size_t *out_len, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "mc_jsonld_expand needs out");
	*out = NULL;
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "mc_jsonld_expand needs a document");
	jl_state s;
	mc_jsonld_loader *tmp;
	mc_status st = state_begin(&s, loader, &tmp, opts, err);
	if (st != MC_OK)
		return st;
	mc__arena_begin();
	cJSON *r;
	st = parse_expand(&s, json, len, opts, &r);
	if (st == MC_OK) {
		char *txt = mc__json_print(r, 0);
		if (!txt) {
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory printing expanded JSON-LD");
		} else if (strlen(txt) > MC_JSONLD_MAX_OUTPUT_BYTES) {
			free(txt);
			st = mc__fail(err, MC_ERR_TOO_LARGE, NULL, "expanded JSON-LD exceeds %u bytes",
			              MC_JSONLD_MAX_OUTPUT_BYTES);
		} else {
			*out = txt;
			if (out_len)
				*out_len = strlen(txt);
		}
	}
	mc__arena_end();
	state_end(&s, tmp);
	return st;
}

/* Shared by the text and tree entry points: exactly one of json or tree. */
static mc_status to_rdf(const char *json, size_t len, const cJSON *tree, mc_jsonld_loader *loader,
                        const mc_jsonld_opts *opts, mc_rdf_dataset **out, mc_err *err)
{
	jl_state s;
	mc_jsonld_loader *tmp;
	mc_status st = state_begin(&s, loader, &tmp, opts, err);
	if (st != MC_OK)
		return st;
	mc_rdf_dataset *ds = NULL;
	if ((st = mc_rdf_dataset_new(&ds, err)) != MC_OK) {
		state_end(&s, tmp);
		return st;
	}
	mc__arena_begin();
	cJSON *r;
	st = tree ? mc__jl_expand_doc(&s, tree, opts, &r) : parse_expand(&s, json, len, opts, &r);
	rdf_walk w = {.s = &s, .ds = ds};
	for (const cJSON *n = st == MC_OK ? r->child : NULL; n && st == MC_OK; n = n->next) {
		node_term t;
		st = walk_node(&w, n, NULL, &t);
	}
	mc__arena_end();
	state_end(&s, tmp);
	if (st != MC_OK) {
		mc_rdf_dataset_free(ds);
		return st;
	}
	*out = ds;
	return MC_OK;
}

mc_status mc_jsonld_to_rdf(const char *json, size_t len, mc_jsonld_loader *loader, const mc_jsonld_opts *opts,
                           mc_rdf_dataset **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "mc_jsonld_to_rdf needs out");
	*out = NULL;
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "mc_jsonld_to_rdf needs a document");
	return to_rdf(json, len, NULL, loader, opts, out, err);
}

mc_status mc__jsonld_to_rdf_tree(const cJSON *doc, mc_jsonld_loader *loader, const mc_jsonld_opts *opts,
                                 mc_rdf_dataset **out, mc_err *err)
{
	*out = NULL;
	if (!doc)
		return mc__fail(err, MC_ERR_ARG, "doc", "mc__jsonld_to_rdf_tree needs a document");
	return to_rdf(NULL, 0, doc, loader, opts, out, err);
}
