/*
 * expand.c - the JSON-LD 1.1 Expansion algorithm (API 5.1.2) and Value
 * Expansion (5.3.2), with the specification's step numbers in comments,
 * and mc_jsonld_expand.
 *
 * Keys of every object are processed in lexicographic order (the API's
 * "ordered" flag always on), so output is deterministic and matches the
 * reference implementation's array order. Recursion follows the input's
 * nesting, which the strict parser bounds (MC_JSON_MAX_DEPTH).
 * Framing (frameExpansion) is not implemented: it is not part of expansion
 * as used for credentials.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonld/jsonld_internal.h"

/* Most JSON values in one expanded document: about five per input value,
 * and a 4 MiB input has well under 400,000 values; at ~64 bytes each the
 * ceiling keeps the tree under 128 MiB. */
#define JL_MAX_VALUES 2000000u

#define NOMEM(s) mc__fail((s)->err, MC_ERR_NOMEM, NULL, "out of memory in JSON-LD expansion")

static mc_status expand(jl_state *s, const jl_ctx *active, const char *prop, const cJSON *el, const char *base_url,
                        bool from_map, cJSON **out);
static mc_status expand_td(jl_state *s, const jl_ctx *active, const char *prop, const jl_term *ptd, const cJSON *el,
                           const char *base_url, bool from_map, cJSON **out);

/* v is the keyword kw. Expanded keys and IRIs are compared with keywords
 * all the time; most are IRIs, which the first byte tells apart. */
static inline bool is_kw(const char *v, const char *kw)
{
	return v[0] == '@' && strcmp(v, kw) == 0;
}

/* ---- Small tree helpers ------------------------------------------------- */

static mc_status count(jl_state *s)
{
	if (++s->out_items > JL_MAX_VALUES)
		return mc__fail(s->err, MC_ERR_TOO_LARGE, NULL, "expanded JSON-LD exceeds %u values", JL_MAX_VALUES);
	return MC_OK;
}

/* A string value that refers to v without a copy: every string the
 * expansion writes (IRIs and keywords, languages, directions: literals,
 * input document, the call's pool, cached contexts) outlives the expanded
 * tree, and toRdf recognizes a cached context's IRIs by their address. */
static cJSON *new_string(jl_state *s, const char *v)
{
	return count(s) == MC_OK ? cJSON_CreateStringReference(v) : NULL;
}
static cJSON *new_object(jl_state *s)
{
	return count(s) == MC_OK ? cJSON_CreateObject() : NULL;
}
static cJSON *new_array(jl_state *s)
{
	return count(s) == MC_OK ? cJSON_CreateArray() : NULL;
}
/* An input value in the output: a string refers to the input's text (which
 * outlives the expanded tree, as new_string's do), anything else is
 * copied. */
static cJSON *copy_value(jl_state *s, const cJSON *v)
{
	if (count(s) != MC_OK)
		return NULL;
	return cJSON_IsString(v) ? cJSON_CreateStringReference(v->valuestring) : cJSON_Duplicate(v, 1);
}

static mc_status fail_alloc(jl_state *s)
{
	/* the value count may have been the reason */
	if (s->err && s->err->status != MC_OK)
		return s->err->status;
	return NOMEM(s);
}

static bool has(const cJSON *o, const char *k)
{
	return mc__json_get(o, k) != NULL;
}

static size_t nkeys(const cJSON *o)
{
	size_t n = 0;
	for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
		n++;
	return n;
}

static bool is_graph_object(const cJSON *v)
{
	if (!cJSON_IsObject(v) || !has(v, "@graph"))
		return false;
	for (const cJSON *c = v->child; c; c = c->next)
		if (strcmp(c->string, "@graph") && strcmp(c->string, "@id") && strcmp(c->string, "@index"))
			return false;
	return true;
}

static bool is_scalar(const cJSON *v)
{
	return cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v);
}

/* Wrap v in an array unless it is one. */
static cJSON *as_array(jl_state *s, cJSON *v)
{
	if (cJSON_IsArray(v))
		return v;
	cJSON *a = new_array(s);
	if (a && v)
		cJSON_AddItemToArray(a, v);
	return a;
}

/* Append v (or each item of v when it is an array) to array a. */
static void append_all(cJSON *a, cJSON *v)
{
	if (!cJSON_IsArray(v)) {
		cJSON_AddItemToArray(a, v);
		return;
	}
	for (cJSON *c = v->child; c;) {
		cJSON *next = c->next;
		cJSON_DetachItemViaPointer(v, c);
		cJSON_AddItemToArray(a, c);
		c = next;
	}
}

/* Keys of the expanded tree are not copied (cJSON_AddItemToObjectCS): they
 * are literals, strings of the input document, or IRIs in the call's pool
 * or the loader's, all of which outlive the tree. Every item added is new
 * or moved without its old key, so no key is freed while in use. */

/* add value (API 5.x "add value" with as array true). */
static mc_status add_value(jl_state *s, cJSON *obj, const char *key, cJSON *v)
{
	cJSON *a = mc__json_get(obj, key);
	if (!a) {
		if (!(a = new_array(s)))
			return fail_alloc(s);
		cJSON_AddItemToObjectCS(obj, key, a);
	} else if (!cJSON_IsArray(a)) {
		cJSON *arr = new_array(s);
		if (!arr)
			return fail_alloc(s);
		cJSON_DetachItemViaPointer(obj, a);
		cJSON_AddItemToArray(arr, a);
		cJSON_AddItemToObjectCS(obj, key, arr);
		a = arr;
	}
	append_all(a, v);
	return MC_OK;
}

/* Keys of o sorted by code point (UTF-8 bytes compare in the same order). */
static int cmp_key(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}
static int cmp_str(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->valuestring, (*(const cJSON *const *)b)->valuestring);
}

static const cJSON **sorted_members(jl_state *s, const cJSON *o, size_t *n)
{
	*n = nkeys(o);
	const cJSON **v = mc__jl_alloc(&s->pool, (*n ? *n : 1) * sizeof *v);
	if (!v)
		return NULL;
	size_t i = 0;
	for (const cJSON *c = o->child; c; c = c->next)
		v[i++] = c;
	if (*n > 16) {
		qsort(v, *n, sizeof *v, cmp_key);
		return v;
	}
	/* most objects have a few entries: insertion sort, no qsort call per
	 * object (keys are distinct, so stability does not matter) */
	for (size_t j = 1; j < *n; j++) {
		const cJSON *x = v[j];
		size_t k = j;
		const unsigned char *xs = (const unsigned char *)x->string;
		for (; k > 0; k--) {
			const unsigned char *ks = (const unsigned char *)v[k - 1]->string;
			/* most keys differ in the first byte */
			if (ks[0] != xs[0] ? ks[0] < xs[0] : strcmp((const char *)ks, (const char *)xs) <= 0)
				break;
			v[k] = v[k - 1];
		}
		v[k] = x;
	}
	return v;
}

/* ---- Value Expansion (5.3.2) ----------------------------------------- */

/* td: the definition of prop in ctx (NULL when none). */
static mc_status value_expand_td(jl_state *s, const jl_ctx *ctx, const jl_term *td, const cJSON *value, cJSON **out)
{
	mc_status st;
	const char *type = td ? td->type : NULL;
	/* 1-2 */
	if (type && cJSON_IsString(value) && (is_kw(type, "@id") || is_kw(type, "@vocab"))) {
		const char *iri;
		if ((st = mc__jl_expand_iri(s, ctx, value->valuestring, true, is_kw(type, "@vocab"), &iri)) !=
		    MC_OK)
			return st;
		cJSON *o = new_object(s), *v = iri ? new_string(s, iri) : cJSON_CreateNull();
		if (!o || !v)
			return fail_alloc(s);
		cJSON_AddItemToObjectCS(o, "@id", v);
		*out = o;
		return MC_OK;
	}
	/* 3 */
	cJSON *o = new_object(s), *v = copy_value(s, value);
	if (!o || !v)
		return fail_alloc(s);
	cJSON_AddItemToObjectCS(o, "@value", v);
	if (type && !is_kw(type, "@id") && !is_kw(type, "@vocab") && !is_kw(type, "@none")) {
		/* 4 */
		cJSON *t = new_string(s, type);
		if (!t)
			return fail_alloc(s);
		cJSON_AddItemToObjectCS(o, "@type", t);
	} else if (cJSON_IsString(value)) {
		/* 5 */
		const char *lang = td && td->has_language ? td->language : ctx->language;
		const char *dir = td && td->has_direction ? td->direction : ctx->direction;
		if (lang) {
			cJSON *l = new_string(s, lang);
			if (!l)
				return fail_alloc(s);
			cJSON_AddItemToObjectCS(o, "@language", l);
		}
		if (dir) {
			cJSON *d = new_string(s, dir);
			if (!d)
				return fail_alloc(s);
			cJSON_AddItemToObjectCS(o, "@direction", d);
		}
	}
	*out = o;
	return MC_OK;
}

static mc_status value_expand(jl_state *s, const jl_ctx *ctx, const char *prop, const cJSON *value, cJSON **out)
{
	return value_expand_td(s, ctx, prop ? mc__jl_term(ctx, prop) : NULL, value, out);
}

/* ---- Expansion (5.1.2) --------------------------------------------------- */

/* What steps 13 and 14 share across nested (@nest) objects. */
typedef struct obj_env {
	const jl_ctx *active;     /* active context after steps 7-11 */
	const jl_ctx *type_ctx;   /* type-scoped context (step 10) */
	const char *prop;         /* active property */
	const char *input_type;   /* step 12 */
	const char *base_url;
	cJSON *result;
	/* the object's entries sorted (step 11 sorted them), else NULL */
	const cJSON **members;
	size_t nmembers;
} obj_env;

static mc_status dropped(jl_state *s, const char *what, const char *key)
{
	if (s->safe)
		return mc__jl_error(s, "safe mode", "%s \"%s\" would be dropped", what, key);
	return MC_OK;
}

/* Step 13.8: index, type and id maps. */
static mc_status expand_index_map(jl_state *s, obj_env *o, const char *key, const jl_term *td, const cJSON *value,
                                  cJSON **out)
{
	mc_status st;
	unsigned cm = td->container;
	const jl_ctx *active = o->active;
	cJSON *ev = new_array(s);
	if (!ev)
		return fail_alloc(s);
	/* 13.8.2 */
	const char *index_key = td->index ? td->index : "@index";
	size_t n;
	const cJSON **m = sorted_members(s, value, &n);
	if (!m)
		return NOMEM(s);
	for (size_t i = 0; i < n; i++) {
		const char *index = m[i]->string;
		/* 13.8.3.1-3 */
		const jl_ctx *map_ctx = active;
		if (cm & (JL_C_ID | JL_C_TYPE))
			map_ctx = active->previous ? active->previous : active;
		if (cm & JL_C_TYPE) {
			const jl_term *it = mc__jl_term(map_ctx, index);
			if (it && it->context && (st = mc__jl_scoped(s, map_ctx, it, map_ctx, false, true, &map_ctx)) != MC_OK)
				return st;
		}
		/* 13.8.3.4 */
		const char *exp_index;
		if ((st = mc__jl_expand_iri(s, active, index, false, true, &exp_index)) != MC_OK)
			return st;
		bool none = exp_index && is_kw(exp_index, "@none");
		/* 13.8.3.5-6 */
		cJSON *iv;
		if ((st = expand(s, map_ctx, key, m[i], o->base_url, true, &iv)) != MC_OK)
			return st;
		if (!iv)
			continue;
		if (!(iv = as_array(s, iv)))
			return fail_alloc(s);
		/* 13.8.3.7 */
		for (cJSON *item = iv->child; item;) {
			cJSON *next = item->next;
			cJSON_DetachItemViaPointer(iv, item);
			if ((cm & JL_C_GRAPH) && !is_graph_object(item)) {
				cJSON *g = new_object(s), *a = as_array(s, item);
				if (!g || !a)
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(g, "@graph", a);
				item = g;
			}
			if ((cm & JL_C_INDEX) && !is_kw(index_key, "@index") && !none) {
				/* 13.8.3.7.2 */
				cJSON *re;
				cJSON *ikey = cJSON_CreateString(index);
				if (!ikey)
					return fail_alloc(s);
				st = value_expand(s, active, index_key, ikey, &re);
				if (st != MC_OK)
					return st;
				const char *eik;
				if ((st = mc__jl_expand_iri(s, active, index_key, false, true, &eik)) != MC_OK)
					return st;
				if (!eik)
					return mc__jl_error(s, "invalid term definition", "@index %s does not expand", index_key);
				cJSON *vals = new_array(s);
				if (!vals)
					return fail_alloc(s);
				cJSON_AddItemToArray(vals, re);
				cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(item, eik);
				if (old)
					append_all(vals, old);
				cJSON_AddItemToObjectCS(item, eik, vals);
				if (has(item, "@value"))
					return mc__jl_error(s, "invalid value object", "property-valued index on a value");
			} else if ((cm & JL_C_INDEX) && !has(item, "@index") && !none) {
				cJSON *ix = new_string(s, index);
				if (!ix)
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(item, "@index", ix);
			} else if ((cm & JL_C_ID) && !has(item, "@id") && !none) {
				const char *idv;
				if ((st = mc__jl_expand_iri(s, active, index, true, false, &idv)) != MC_OK)
					return st;
				cJSON *idn = idv ? new_string(s, idv) : cJSON_CreateNull();
				if (!idn)
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(item, "@id", idn);
			} else if ((cm & JL_C_TYPE) && !none) {
				cJSON *types = new_array(s), *t0 = exp_index ? new_string(s, exp_index) : NULL;
				if (!types || (exp_index && !t0))
					return fail_alloc(s);
				if (t0)
					cJSON_AddItemToArray(types, t0);
				cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(item, "@type");
				if (old)
					append_all(types, old);
				cJSON_AddItemToObjectCS(item, "@type", types);
			}
			cJSON_AddItemToArray(ev, item);
			item = next;
		}
	}
	*out = ev;
	return MC_OK;
}

/* The keyword entries of an expanded object, found in one pass: steps
 * 15-19 test several of them for every node object. */
enum {
	KW_VALUE = 1u << 0,
	KW_TYPE = 1u << 1,
	KW_SET = 1u << 2,
	KW_LIST = 1u << 3,
	KW_LANGUAGE = 1u << 4,
	KW_DIRECTION = 1u << 5,
	KW_INDEX = 1u << 6,
	KW_ID = 1u << 7,
	KW_OTHER = 1u << 8 /* an IRI or another keyword */
};

typedef struct kw_summary {
	unsigned has;             /* KW_* */
	size_t n;                 /* entries */
	const cJSON *value, *type; /* the @value and @type entries, or NULL */
} kw_summary;

/* o may be any value: only an object has entries. */
static void kw_scan(const cJSON *o, kw_summary *k)
{
	*k = (kw_summary){0};
	for (const cJSON *c = cJSON_IsObject(o) ? o->child : NULL; c; c = c->next) {
		const char *e = c->string;
		unsigned bit = KW_OTHER;
		if (e[0] == '@') {
			/* the second letter picks the one keyword to compare with */
			switch (e[1]) {
			case 'v':
				if (strcmp(e, "@value") == 0)
					bit = KW_VALUE, k->value = k->value ? k->value : c;
				break;
			case 't':
				if (strcmp(e, "@type") == 0)
					bit = KW_TYPE, k->type = k->type ? k->type : c;
				break;
			case 'i':
				bit = strcmp(e, "@id") == 0 ? KW_ID : strcmp(e, "@index") == 0 ? KW_INDEX : bit;
				break;
			case 'l':
				bit = strcmp(e, "@language") == 0 ? KW_LANGUAGE : strcmp(e, "@list") == 0 ? KW_LIST : bit;
				break;
			case 's':
				bit = strcmp(e, "@set") == 0 ? KW_SET : bit;
				break;
			case 'd':
				bit = strcmp(e, "@direction") == 0 ? KW_DIRECTION : bit;
				break;
			default:
				break;
			}
		}
		k->has |= bit;
		k->n++;
	}
}

/* Step 13.4: a key that expands to a keyword. */
static mc_status expand_keyword(jl_state *s, obj_env *o, const char *ep, const cJSON *value)
{
	mc_status st;
	cJSON *result = o->result, *ev = NULL;
	const jl_ctx *active = o->active;
	/* 13.4.1 */
	if (o->prop && is_kw(o->prop, "@reverse"))
		return mc__jl_error(s, "invalid reverse property map", "keyword %s inside @reverse", ep);
	/* 13.4.2 */
	if (has(result, ep) && (s->v10 || (!is_kw(ep, "@included") && !is_kw(ep, "@type"))))
		return mc__jl_error(s, "colliding keywords", "two entries expand to %s", ep);
	if (strcmp(ep, "@id") == 0) {
		/* 13.4.3 */
		if (!cJSON_IsString(value))
			return mc__jl_error(s, "invalid @id value", "@id must be a string");
		const char *iri;
		if ((st = mc__jl_expand_iri(s, active, value->valuestring, true, false, &iri)) != MC_OK)
			return st;
		if (!iri) { /* kept as null (13.4.16): the node is not the parent's */
			if ((st = dropped(s, "@id", value->valuestring)) != MC_OK)
				return st;
			if (!(ev = cJSON_CreateNull()))
				return fail_alloc(s);
		} else if (!(ev = new_string(s, iri))) {
			return fail_alloc(s);
		}
	} else if (strcmp(ep, "@type") == 0) {
		/* 13.4.4 */
		bool ok = cJSON_IsString(value) || cJSON_IsArray(value);
		for (const cJSON *c = cJSON_IsArray(value) ? value->child : NULL; c && ok; c = c->next)
			ok = cJSON_IsString(c);
		if (!ok)
			return mc__jl_error(s, "invalid type value", "@type must be a string or an array of strings");
		if (cJSON_IsString(value)) {
			const char *iri;
			if ((st = mc__jl_expand_iri(s, o->type_ctx, value->valuestring, true, true, &iri)) != MC_OK)
				return st;
			if (!iri)
				return dropped(s, "@type", value->valuestring);
			if (!(ev = new_string(s, iri)))
				return fail_alloc(s);
		} else {
			if (!(ev = new_array(s)))
				return fail_alloc(s);
			for (const cJSON *c = value->child; c; c = c->next) {
				const char *iri;
				if ((st = mc__jl_expand_iri(s, o->type_ctx, c->valuestring, true, true, &iri)) != MC_OK)
					return st;
				if (!iri) {
					if ((st = dropped(s, "@type", c->valuestring)) != MC_OK)
						return st;
					continue;
				}
				cJSON *t = new_string(s, iri);
				if (!t)
					return fail_alloc(s);
				cJSON_AddItemToArray(ev, t);
			}
		}
		/* 13.4.4.5 */
		cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(result, "@type");
		if (old) {
			cJSON *a = as_array(s, old);
			if (!a)
				return fail_alloc(s);
			append_all(a, ev);
			ev = a;
		}
	} else if (strcmp(ep, "@graph") == 0) {
		/* 13.4.5 */
		if ((st = expand(s, active, "@graph", value, o->base_url, false, &ev)) != MC_OK)
			return st;
		if (!(ev = as_array(s, ev)))
			return fail_alloc(s);
	} else if (strcmp(ep, "@included") == 0) {
		/* 13.4.6 */
		if (s->v10)
			return MC_OK;
		/* "@included" as active property: free-floating values are kept
		 * (not dropped as at the top) so that the check below sees them */
		if ((st = expand(s, active, "@included", value, o->base_url, false, &ev)) != MC_OK)
			return st;
		if (!(ev = as_array(s, ev)))
			return fail_alloc(s);
		for (const cJSON *c = ev->child; c; c = c->next)
			if (!cJSON_IsObject(c) || has(c, "@value") || has(c, "@list") || has(c, "@set"))
				return mc__jl_error(s, "invalid @included value", "@included holds a non-node");
		cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(result, "@included");
		if (old) {
			append_all(old, ev);
			ev = old;
		}
	} else if (strcmp(ep, "@value") == 0) {
		/* 13.4.7 */
		if (o->input_type && strcmp(o->input_type, "@json") == 0) {
			if (s->v10)
				return mc__jl_error(s, "invalid value object value", "@json in json-ld-1.0");
		} else if (!cJSON_IsNull(value) && !is_scalar(value)) {
			return mc__jl_error(s, "invalid value object value", "@value must be a scalar or null");
		}
		if (!(ev = copy_value(s, value)))
			return fail_alloc(s);
		cJSON_AddItemToObjectCS(result, "@value", ev); /* 13.4.7.4 keeps null */
		return MC_OK;
	} else if (strcmp(ep, "@language") == 0) {
		/* 13.4.8 */
		if (!cJSON_IsString(value))
			return mc__jl_error(s, "invalid language-tagged string", "@language must be a string");
		char *l = mc__jl_lower(&s->pool, value->valuestring);
		if (!l || !(ev = new_string(s, l)))
			return fail_alloc(s);
	} else if (strcmp(ep, "@direction") == 0) {
		/* 13.4.9 */
		if (s->v10)
			return MC_OK;
		if (!cJSON_IsString(value) || (strcmp(value->valuestring, "ltr") && strcmp(value->valuestring, "rtl")))
			return mc__jl_error(s, "invalid base direction", "@direction must be ltr or rtl");
		if (!(ev = copy_value(s, value)))
			return fail_alloc(s);
	} else if (strcmp(ep, "@index") == 0) {
		/* 13.4.10 */
		if (!cJSON_IsString(value))
			return mc__jl_error(s, "invalid @index value", "@index must be a string");
		if (!(ev = copy_value(s, value)))
			return fail_alloc(s);
	} else if (strcmp(ep, "@list") == 0) {
		/* 13.4.11 */
		if (!o->prop || is_kw(o->prop, "@graph"))
			return MC_OK;
		if ((st = expand(s, active, o->prop, value, o->base_url, false, &ev)) != MC_OK)
			return st;
		if (!(ev = as_array(s, ev)))
			return fail_alloc(s);
	} else if (strcmp(ep, "@set") == 0) {
		/* 13.4.12 */
		if ((st = expand(s, active, o->prop, value, o->base_url, false, &ev)) != MC_OK)
			return st;
		if (!ev) { /* keep the entry: step 17 needs it */
			if (!(ev = new_array(s)))
				return fail_alloc(s);
		}
	} else if (strcmp(ep, "@reverse") == 0) {
		/* 13.4.13 */
		if (!cJSON_IsObject(value))
			return mc__jl_error(s, "invalid @reverse value", "@reverse must be an object");
		if ((st = expand(s, active, "@reverse", value, o->base_url, false, &ev)) != MC_OK)
			return st;
		if (!cJSON_IsObject(ev))
			return MC_OK;
		cJSON *rr = cJSON_DetachItemFromObjectCaseSensitive(ev, "@reverse");
		if (rr) {
			/* 13.4.13.3: reversed twice */
			for (cJSON *p = rr->child; p;) {
				cJSON *next = p->next;
				cJSON_DetachItemViaPointer(rr, p);
				if ((st = add_value(s, result, p->string, p)) != MC_OK)
					return st;
				p = next;
			}
		}
		if (ev->child) {
			cJSON *rm = mc__json_get(result, "@reverse");
			if (!rm) {
				if (!(rm = new_object(s)))
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(result, "@reverse", rm);
			}
			for (cJSON *p = ev->child; p;) {
				cJSON *next = p->next;
				cJSON_DetachItemViaPointer(ev, p);
				for (const cJSON *it = cJSON_IsArray(p) ? p->child : p; it;
				     it = cJSON_IsArray(p) ? it->next : NULL)
					if (has(it, "@value") || has(it, "@list"))
						return mc__jl_error(s, "invalid reverse property value", "%s", p->string);
				if ((st = add_value(s, rm, p->string, p)) != MC_OK)
					return st;
				p = next;
			}
		}
		return MC_OK;
	} else if (strcmp(ep, "@nest") == 0) {
		/* 13.4.14: handled after the other keys (step 14) */
		return MC_OK;
	} else {
		/* @context was skipped before; framing keywords and others that
		 * carry no data are ignored */
		return MC_OK;
	}
	/* 13.4.16 */
	if (ev)
		cJSON_AddItemToObjectCS(result, ep, ev);
	return MC_OK;
}

/* Steps 13 and 14 for the entries of el (the object itself or a nested
 * @nest object). */
static mc_status expand_entries(jl_state *s, obj_env *o, const cJSON *el)
{
	mc_status st;
	const jl_ctx *active = o->active;
	size_t n = o->nmembers;
	const cJSON **m = o->members;
	if (!m && !(m = sorted_members(s, el, &n)))
		return NOMEM(s);
	/* keys expanding to @nest, in order (step 14) */
	const cJSON **nests = mc__jl_alloc(&s->pool, (n ? n : 1) * sizeof *nests);
	size_t nn = 0;
	if (!nests)
		return NOMEM(s);
	for (size_t i = 0; i < n; i++) {
		const char *key = m[i]->string;
		const cJSON *value = m[i];
		/* 13.1 */
		if (is_kw(key, "@context"))
			continue;
		/* 13.2; td is 13.5's term definition, found on the way */
		const char *ep;
		const jl_term *td;
		if ((st = mc__jl_expand_key(s, active, key, &ep, &td)) != MC_OK)
			return st;
		/* 13.3 */
		if (!ep || (!strchr(ep, ':') && !mc__jl_is_keyword(ep))) {
			if ((st = dropped(s, "property", key)) != MC_OK)
				return st;
			continue;
		}
		/* 13.4 */
		if (mc__jl_is_keyword(ep)) {
			if (is_kw(ep, "@nest"))
				nests[nn++] = m[i];
			if ((st = expand_keyword(s, o, ep, value)) != MC_OK)
				return st;
			continue;
		}
		/* 13.5 */
		unsigned cm = td ? td->container : 0;
		cJSON *ev = NULL;
		if (td && td->type && is_kw(td->type, "@json")) {
			/* 13.6 */
			cJSON *v = copy_value(s, value), *t = new_string(s, "@json");
			if (!(ev = new_object(s)) || !v || !t)
				return fail_alloc(s);
			cJSON_AddItemToObjectCS(ev, "@value", v);
			cJSON_AddItemToObjectCS(ev, "@type", t);
		} else if ((cm & JL_C_LANGUAGE) && cJSON_IsObject(value)) {
			/* 13.7 */
			if (!(ev = new_array(s)))
				return fail_alloc(s);
			const char *dir = td->has_direction ? td->direction : active->direction;
			size_t nl;
			const cJSON **langs = sorted_members(s, value, &nl);
			if (!langs)
				return NOMEM(s);
			for (size_t j = 0; j < nl; j++) {
				const char *lang = langs[j]->string;
				const char *el_lang;
				if ((st = mc__jl_expand_iri(s, active, lang, false, true, &el_lang)) != MC_OK)
					return st;
				bool none = is_kw(lang, "@none") || (el_lang && is_kw(el_lang, "@none"));
				const cJSON *lv = langs[j];
				for (const cJSON *it = cJSON_IsArray(lv) ? lv->child : lv; it;
				     it = cJSON_IsArray(lv) ? it->next : NULL) {
					if (cJSON_IsNull(it))
						continue;
					if (!cJSON_IsString(it))
						return mc__jl_error(s, "invalid language map value", "language %s", lang);
					cJSON *v = new_object(s), *val = copy_value(s, it);
					if (!v || !val)
						return fail_alloc(s);
					cJSON_AddItemToObjectCS(v, "@value", val);
					if (!none) {
						char *l = mc__jl_lower(&s->pool, lang);
						cJSON *ln = l ? new_string(s, l) : NULL;
						if (!ln)
							return fail_alloc(s);
						cJSON_AddItemToObjectCS(v, "@language", ln);
					}
					if (dir) {
						cJSON *d = new_string(s, dir);
						if (!d)
							return fail_alloc(s);
						cJSON_AddItemToObjectCS(v, "@direction", d);
					}
					cJSON_AddItemToArray(ev, v);
				}
			}
		} else if ((cm & (JL_C_INDEX | JL_C_TYPE | JL_C_ID)) && cJSON_IsObject(value)) {
			/* 13.8 */
			if ((st = expand_index_map(s, o, key, td, value, &ev)) != MC_OK)
				return st;
		} else {
			/* 13.9 */
			if ((st = expand_td(s, active, key, td, value, o->base_url, false, &ev)) != MC_OK)
				return st;
		}
		/* 13.10 */
		if (!ev)
			continue;
		if ((cm & JL_C_LIST) && !(cJSON_IsObject(ev) && has(ev, "@list"))) {
			/* 13.11 */
			cJSON *a = as_array(s, ev), *l = new_object(s);
			if (!a || !l)
				return fail_alloc(s);
			cJSON_AddItemToObjectCS(l, "@list", a);
			ev = l;
		} else if ((cm & JL_C_GRAPH) && !(cm & (JL_C_ID | JL_C_INDEX))) {
			/* 13.12 */
			cJSON *a = as_array(s, ev), *w = new_array(s);
			if (!a || !w)
				return fail_alloc(s);
			for (cJSON *it = a->child; it;) {
				cJSON *next = it->next;
				cJSON_DetachItemViaPointer(a, it);
				cJSON *g = new_object(s), *ga = as_array(s, it);
				if (!g || !ga)
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(g, "@graph", ga);
				cJSON_AddItemToArray(w, g);
				it = next;
			}
			ev = w;
		}
		if (td && td->reverse) {
			/* 13.13 */
			cJSON *rm = mc__json_get(o->result, "@reverse");
			if (!rm) {
				if (!(rm = new_object(s)))
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(o->result, "@reverse", rm);
			}
			for (const cJSON *it = cJSON_IsArray(ev) ? ev->child : ev; it;
			     it = cJSON_IsArray(ev) ? it->next : NULL)
				if (has(it, "@value") || has(it, "@list"))
					return mc__jl_error(s, "invalid reverse property value", "%s", key);
			if ((st = add_value(s, rm, ep, ev)) != MC_OK)
				return st;
		} else {
			/* 13.14 */
			if ((st = add_value(s, o->result, ep, ev)) != MC_OK)
				return st;
		}
	}
	/* 14 */
	for (size_t i = 0; i < nn; i++) {
		const cJSON *nv = nests[i];
		/* a term aliasing @nest may carry a scoped context for the
		 * nested entries (as the reference implementation applies it) */
		obj_env no = *o;
		no.members = NULL;
		no.nmembers = 0;
		const jl_term *nt = mc__jl_term(active, nv->string);
		if (nt && nt->context && (st = mc__jl_scoped(s, active, nt, active, true, true, &no.active)) != MC_OK)
			return st;
		for (const cJSON *it = cJSON_IsArray(nv) ? nv->child : nv; it; it = cJSON_IsArray(nv) ? it->next : NULL) {
			if (!cJSON_IsObject(it))
				return mc__jl_error(s, "invalid @nest value", "@nest must hold objects");
			for (const cJSON *c = it->child; c; c = c->next) {
				const char *k;
				if ((st = mc__jl_expand_iri(s, no.active, c->string, false, true, &k)) != MC_OK)
					return st;
				if (k && is_kw(k, "@value"))
					return mc__jl_error(s, "invalid @nest value", "@nest holds a value object");
			}
			if ((st = expand_entries(s, &no, it)) != MC_OK)
				return st;
		}
	}
	return MC_OK;
}

/* Step 11's test: key expands to @type in ctx. Only the key "@type" and
 * terms aliasing it do (IRI Expansion returns a keyword from nothing
 * else), so a key that is none of the context's aliases is not looked up. */
static mc_status expands_to_type(jl_state *s, const jl_ctx *ctx, const char *key, bool *yes)
{
	*yes = is_kw(key, "@type");
	bool candidate = !*yes && ctx->type_aliases_all;
	for (unsigned a = 0; a < ctx->ntype_aliases && !*yes && !candidate; a++)
		candidate = ctx->type_aliases[a][0] == key[0] && strcmp(ctx->type_aliases[a], key) == 0;
	const char *k = NULL;
	mc_status st = candidate ? mc__jl_expand_iri(s, ctx, key, false, true, &k) : MC_OK;
	if (k && is_kw(k, "@type"))
		*yes = true;
	return st;
}

static mc_status expand_object(jl_state *s, const jl_ctx *active, const char *prop, const cJSON *el,
                               const char *base_url, bool from_map, const jl_term *ptd, cJSON **out)
{
	mc_status st;
	const jl_ctx *owner = active; /* where ptd was found */
	/* 7 */
	if (active->previous && !from_map) {
		bool revert = true;
		size_t n = 0;
		const char *only = NULL;
		if (active->value_alias) {
			for (const cJSON *c = el->child; c && revert; c = c->next) {
				const char *k;
				if ((st = mc__jl_expand_iri(s, active, c->string, false, true, &k)) != MC_OK)
					return st;
				if (k && is_kw(k, "@value"))
					revert = false;
				only = k;
				n++;
			}
		} else {
			/* no term aliases @value: only the key "@value" expands to
			 * it, and only a lone key needs expanding (to see @id) */
			for (const cJSON *c = el->child; c && revert; c = c->next, n++)
				if (is_kw(c->string, "@value"))
					revert = false;
			if (revert && n == 1 && (st = mc__jl_expand_iri(s, active, el->child->string, false, true, &only)) != MC_OK)
				return st;
		}
		if (revert && n == 1 && only && is_kw(only, "@id"))
			revert = false;
		if (revert)
			active = active->previous;
	}
	/* 8 */
	if (ptd && ptd->context && (st = mc__jl_scoped(s, owner, ptd, active, true, true, &active)) != MC_OK)
		return st;
	/* 9 */
	const cJSON *lc = mc__json_get(el, "@context");
	if (lc && (st = mc__jl_process(s, active, lc, base_url, &(jl_remote){0}, false, true, true, &active)) != MC_OK)
		return st;
	/* 10 */
	const jl_ctx *type_ctx = active;
	/* 11-12 */
	size_t n;
	const cJSON **m = sorted_members(s, el, &n);
	if (!m)
		return NOMEM(s);
	const cJSON *type_entry = NULL;
	for (size_t i = 0; i < n; i++) {
		bool is_type;
		if ((st = expands_to_type(s, type_ctx, m[i]->string, &is_type)) != MC_OK)
			return st;
		if (!is_type)
			continue;
		if (!type_entry)
			type_entry = m[i];
		const cJSON *v = m[i];
		size_t nt = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
		const cJSON **tv = mc__jl_alloc(&s->pool, nt * sizeof *tv);
		if (!tv)
			return NOMEM(s);
		size_t j = 0;
		for (const cJSON *c = cJSON_IsArray(v) ? v->child : v; c; c = cJSON_IsArray(v) ? c->next : NULL)
			if (cJSON_IsString(c))
				tv[j++] = c;
		qsort(tv, j, sizeof *tv, cmp_str);
		for (size_t t = 0; t < j; t++) {
			const jl_term *tt = mc__jl_term(type_ctx, tv[t]->valuestring);
			if (tt && tt->context && (st = mc__jl_scoped(s, type_ctx, tt, active, false, false, &active)) != MC_OK)
				return st;
		}
	}
	const char *input_type = NULL;
	if (type_entry) {
		const cJSON *last = type_entry;
		if (cJSON_IsArray(last)) {
			last = last->child;
			while (last && last->next)
				last = last->next;
		}
		if (cJSON_IsString(last) &&
		    (st = mc__jl_expand_iri(s, active, last->valuestring, false, true, &input_type)) != MC_OK)
			return st;
	}
	/* 12-14 */
	cJSON *result = new_object(s);
	if (!result)
		return fail_alloc(s);
	obj_env o = {.active = active,
	             .type_ctx = type_ctx,
	             .prop = prop,
	             .input_type = input_type,
	             .base_url = base_url,
	             .result = result,
	             .members = m,
	             .nmembers = n};
	if ((st = expand_entries(s, &o, el)) != MC_OK)
		return st;
	/* 15 */
	kw_summary k;
	kw_scan(result, &k);
	const cJSON *val = k.value, *type = k.type;
	if (val) {
		const unsigned allowed = KW_DIRECTION | KW_INDEX | KW_LANGUAGE | KW_TYPE | KW_VALUE;
		for (const cJSON *c = (k.has & ~allowed) ? result->child : NULL; c; c = c->next)
			if (strcmp(c->string, "@direction") && strcmp(c->string, "@index") && strcmp(c->string, "@language") &&
			    strcmp(c->string, "@type") && strcmp(c->string, "@value"))
				return mc__jl_error(s, "invalid value object", "value object with %s", c->string);
		if (type && (k.has & (KW_LANGUAGE | KW_DIRECTION)))
			return mc__jl_error(s, "invalid value object", "value object with @type and @language/@direction");
		if (type && cJSON_IsString(type) && is_kw(type->valuestring, "@json")) {
			/* 15.2: any JSON value */
		} else if (cJSON_IsNull(val) || (cJSON_IsArray(val) && !val->child)) {
			*out = NULL;
			return MC_OK;
		} else if (!cJSON_IsString(val) && (k.has & KW_LANGUAGE)) {
			return mc__jl_error(s, "invalid language-tagged value", "@language on a non-string");
		} else if (type && (!cJSON_IsString(type) || !mc__jl_is_abs_iri(type->valuestring))) {
			return mc__jl_error(s, "invalid typed value", "@type of a value must be an IRI");
		}
	} else if (type && !cJSON_IsArray(type)) {
		/* 16 (the entries stay the same) */
		cJSON_DetachItemViaPointer(result, (cJSON *)type);
		cJSON *a = as_array(s, (cJSON *)type);
		if (!a)
			return fail_alloc(s);
		cJSON_AddItemToObjectCS(result, "@type", a);
	} else if (k.has & (KW_SET | KW_LIST)) {
		/* 17 */
		if (k.n > 2 || (k.n == 2 && !(k.has & KW_INDEX)))
			return mc__jl_error(s, "invalid set or list object", "@set/@list with other entries");
		if (k.has & KW_SET) {
			cJSON *sv = cJSON_DetachItemFromObjectCaseSensitive(result, "@set");
			result = sv;
			kw_scan(result, &k);
		}
	}
	/* 18 */
	if (cJSON_IsObject(result) && k.n == 1 && (k.has & KW_LANGUAGE)) {
		*out = NULL;
		return MC_OK;
	}
	/* 19 */
	if (!prop || is_kw(prop, "@graph")) {
		if (cJSON_IsObject(result) &&
		    (!k.n || (k.has & (KW_VALUE | KW_LIST)) || (k.n == 1 && (k.has & KW_ID)))) {
			*out = NULL;
			return MC_OK;
		}
	}
	*out = result;
	return MC_OK;
}

static mc_status expand(jl_state *s, const jl_ctx *active, const char *prop, const cJSON *el, const char *base_url,
                        bool from_map, cJSON **out)
{
	/* 3 */
	const jl_term *ptd = prop ? mc__jl_term(active, prop) : NULL;
	return expand_td(s, active, prop, ptd, el, base_url, from_map, out);
}

/* Expansion with step 3 done: ptd is prop's definition in active. */
static mc_status expand_td(jl_state *s, const jl_ctx *active, const char *prop, const jl_term *ptd, const cJSON *el,
                           const char *base_url, bool from_map, cJSON **out)
{
	mc_status st;
	*out = NULL;
	/* 1 */
	if (!el || cJSON_IsNull(el))
		return MC_OK;
	/* 4 */
	if (is_scalar(el)) {
		if (!prop || is_kw(prop, "@graph"))
			return MC_OK;
		if (ptd && ptd->context) {
			if ((st = mc__jl_scoped(s, active, ptd, active, false, true, &active)) != MC_OK)
				return st;
			return value_expand(s, active, prop, el, out);
		}
		return value_expand_td(s, active, ptd, el, out);
	}
	/* 5 */
	if (cJSON_IsArray(el)) {
		cJSON *result = new_array(s);
		if (!result)
			return fail_alloc(s);
		for (const cJSON *c = el->child; c; c = c->next) {
			cJSON *item;
			if ((st = expand_td(s, active, prop, ptd, c, base_url, from_map, &item)) != MC_OK)
				return st;
			if (ptd && (ptd->container & JL_C_LIST) && cJSON_IsArray(item)) {
				cJSON *l = new_object(s);
				if (!l)
					return fail_alloc(s);
				cJSON_AddItemToObjectCS(l, "@list", item);
				item = l;
			}
			if (item)
				append_all(result, item);
		}
		*out = result;
		return MC_OK;
	}
	/* 6 */
	if (!cJSON_IsObject(el))
		return mc__fail(s->err, MC_ERR_INTERNAL, NULL, "unexpected JSON type in expansion");
	return expand_object(s, active, prop, el, base_url, from_map, ptd, out);
}

mc_status mc__jl_expand_doc(jl_state *s, const cJSON *doc, const mc_jsonld_opts *o, cJSON **out)
{
	mc_status st;
	const char *base = o && o->base ? o->base : NULL;
	const jl_ctx *active = mc__jl_initial(s, base);
	if (!active)
		return NOMEM(s);
	if (o && o->expand_context) {
		const cJSON *ec;
		if ((st = mc__jl_load(s, o->expand_context, &ec)) != MC_OK)
			return st;
		const cJSON *inner = mc__json_get(ec, "@context");
		if ((st = mc__jl_process(s, active, inner ? inner : ec, o->expand_context, &(jl_remote){0}, false, true,
		                         true, &active)) != MC_OK)
			return st;
	}
	cJSON *r;
	if ((st = expand(s, active, NULL, doc, base, false, &r)) != MC_OK)
		return st;
	if (cJSON_IsObject(r) && nkeys(r) == 1 && has(r, "@graph"))
		r = cJSON_DetachItemFromObjectCaseSensitive(r, "@graph");
	if (!r)
		r = new_array(s);
	if (!(r = as_array(s, r)))
		return fail_alloc(s);
	*out = r;
	return MC_OK;
}
