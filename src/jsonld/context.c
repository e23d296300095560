/*
 * context.c - JSON-LD 1.1 context processing (API 4.1 Context Processing,
 * 4.2 Create Term Definition) and IRI Expansion (5.2), step by step as
 * the specification numbers them; the step numbers are in the comments.
 *
 * An active context is immutable once processing returns it: processing
 * clones the context it starts from, so the contexts of enclosing nodes
 * (and "previous contexts") stay valid without copying on every lookup.
 */
#include <math.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonld/jsonld_internal.h"

/* Markers in the "defined" map of Create Term Definition. */
#define DEF_PENDING ((void *)1)
#define DEF_DONE ((void *)2)

mc_status mc__jl_error(jl_state *s, const char *code, const char *fmt, ...)
{
	char detail[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return mc__fail(s->err, MC_ERR_VALUE, NULL, "%s: %s", code, detail);
}

mc_status mc__jl_work(jl_state *s)
{
	if (++s->work > MC_JSONLD_MAX_WORK)
		return mc__fail(s->err, MC_ERR_TOO_LARGE, NULL,
		                "JSON-LD context processing exceeds %u steps (MC_JSONLD_MAX_WORK)", MC_JSONLD_MAX_WORK);
	return MC_OK;
}

#define NOMEM(s) mc__fail((s)->err, MC_ERR_NOMEM, NULL, "out of memory in JSON-LD processing")

jl_ctx *mc__jl_ctx_new(jl_state *s, const char *base)
{
	jl_ctx *c = mc__jl_alloc(&s->pool, sizeof *c);
	if (c) {
		memset(c, 0, sizeof *c);
		c->base = base;
		c->original_base = base;
	}
	return c;
}

static jl_ctx *ctx_clone(jl_state *s, const jl_ctx *a)
{
	jl_ctx *c = mc__jl_alloc(&s->pool, sizeof *c);
	if (!c)
		return NULL;
	*c = *a;
	c->persistent = false;
	if (!mc__jl_map_copy(&s->pool, &c->terms, &a->terms))
		return NULL;
	return c;
}

/* Everything Create Term Definition needs besides the term: the context
 * definition being processed and the parameters of its processing. */
typedef struct term_env {
	jl_ctx *active;
	const cJSON *local;
	jl_map defined;
	const char *base_url;
	bool protect;
	bool override;
	const jl_remote *remote;
	bool validate;
} term_env;

static mc_status create_term(jl_state *s, term_env *e, const char *term);

/* IRI Expansion (5.2.2). With e, terms of the context definition being
 * processed are defined on demand (steps 3 and 6.3). */
static mc_status iri_expand(jl_state *s, term_env *e, const jl_ctx *ctx, const char *value, bool doc_rel,
                            bool vocab, const char **out, const jl_term **tout)
{
	mc_status st;
	*out = NULL;
	if (tout)
		*tout = NULL;
	/* 1 */
	if (!value || mc__jl_is_keyword(value)) {
		*out = value;
		return MC_OK;
	}
	/* 2: reserved keyword form: ignored */
	if (mc__jl_keyword_form(value))
		return MC_OK;
	/* 3 */
	if (e && mc__json_get(e->local, value) && mc__jl_map_get(&e->defined, value) != DEF_DONE)
		if ((st = create_term(s, e, value)) != MC_OK)
			return st;
	const jl_term *t = mc__jl_term(ctx, value);
	if (tout)
		*tout = t;
	/* 4 */
	if (t && t->iri && mc__jl_is_keyword(t->iri)) {
		*out = t->iri;
		return MC_OK;
	}
	/* 5 */
	if (vocab && t) {
		*out = t->iri;
		return MC_OK;
	}
	/* 6 */
	const char *colon = strchr(value, ':');
	if (colon && colon != value) {
		const char *suffix = colon + 1;
		size_t np = (size_t)(colon - value);
		/* 6.2 */
		if ((np == 1 && value[0] == '_') || (suffix[0] == '/' && suffix[1] == '/')) {
			*out = value;
			return MC_OK;
		}
		char pbuf[256];
		char *prefix = np < sizeof pbuf ? pbuf : mc__jl_alloc(&s->pool, np + 1);
		if (!prefix)
			return NOMEM(s);
		memcpy(prefix, value, np);
		prefix[np] = '\0';
		/* 6.3 */
		if (e && mc__json_get(e->local, prefix) && mc__jl_map_get(&e->defined, prefix) != DEF_DONE) {
			if (prefix == pbuf && !(prefix = mc__jl_strdup(&s->pool, pbuf)))
				return NOMEM(s);
			if ((st = create_term(s, e, prefix)) != MC_OK)
				return st;
		}
		/* 6.4 */
		const jl_term *pt = mc__jl_term(ctx, prefix);
		if (pt && pt->iri && pt->prefix) {
			if (!(*out = mc__jl_concat(&s->pool, pt->iri, suffix)))
				return NOMEM(s);
			return MC_OK;
		}
		/* 6.5 */
		if (mc__jl_is_abs_iri(value)) {
			*out = value;
			return MC_OK;
		}
	}
	/* 7 */
	if (vocab && ctx->vocab) {
		if (!(*out = mc__jl_concat(&s->pool, ctx->vocab, value)))
			return NOMEM(s);
		return MC_OK;
	}
	/* 8 */
	if (doc_rel && ctx->base) {
		if (!(*out = mc__jl_resolve(&s->pool, ctx->base, value)))
			return NOMEM(s);
		return MC_OK;
	}
	/* 9 */
	*out = value;
	return MC_OK;
}

mc_status mc__jl_expand_iri(jl_state *s, const jl_ctx *ctx, const char *value, bool doc_rel, bool vocab,
                            const char **out)
{
	return iri_expand(s, NULL, ctx, value, doc_rel, vocab, out, NULL);
}

mc_status mc__jl_expand_key(jl_state *s, const jl_ctx *ctx, const char *key, const char **out, const jl_term **td)
{
	return iri_expand(s, NULL, ctx, key, false, true, out, td);
}

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Term definitions equal apart from @protected (step 27.1). */
static bool term_same(const jl_term *a, const jl_term *b)
{
	if (!streq(a->iri, b->iri) || !streq(a->type, b->type) || a->has_language != b->has_language ||
	    !streq(a->language, b->language) || a->has_direction != b->has_direction ||
	    !streq(a->direction, b->direction) || !streq(a->index, b->index) || !streq(a->nest, b->nest) ||
	    a->container != b->container || a->reverse != b->reverse || a->prefix != b->prefix)
		return false;
	if (!a->context || !b->context)
		return a->context == b->context;
	return cJSON_Compare(a->context, b->context, 1);
}

static bool is_gen_delim(char c)
{
	return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '@';
}

static unsigned container_bit(const char *v)
{
	static const struct {
		const char *k;
		unsigned bit;
	} t[] = {{"@list", JL_C_LIST},   {"@set", JL_C_SET},         {"@index", JL_C_INDEX}, {"@language", JL_C_LANGUAGE},
	         {"@id", JL_C_ID},       {"@type", JL_C_TYPE},       {"@graph", JL_C_GRAPH}};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (strcmp(v, t[i].k) == 0)
			return t[i].bit;
	return 0;
}

/* Step 19.1: the container value, as bits; 0 when invalid. */
static unsigned container_parse(const cJSON *v, bool *is_string)
{
	*is_string = cJSON_IsString(v);
	if (cJSON_IsString(v))
		return container_bit(v->valuestring);
	if (!cJSON_IsArray(v))
		return 0;
	unsigned bits = 0, n = 0;
	for (const cJSON *c = v->child; c; c = c->next) {
		unsigned b = cJSON_IsString(c) ? container_bit(c->valuestring) : 0;
		if (!b || (bits & b))
			return 0;
		bits |= b;
		n++;
	}
	if (n == 0)
		return 0;
	if (n == 1)
		return bits;
	if (bits & JL_C_LIST)
		return 0;
	if ((bits & JL_C_GRAPH) && (bits & (JL_C_ID | JL_C_INDEX)))
		return (bits & ~(JL_C_GRAPH | JL_C_ID | JL_C_INDEX | JL_C_SET)) || ((bits & JL_C_ID) && (bits & JL_C_INDEX))
		               ? 0
		               : bits;
	return (bits & JL_C_SET) && n == 2 ? bits : 0;
}

static mc_status mark_done(jl_state *s, term_env *e, const char *term)
{
	return mc__jl_map_put(&s->pool, &e->defined, term, DEF_DONE) ? MC_OK : NOMEM(s);
}

/* Create Term Definition (4.2.2). */
static mc_status create_term(jl_state *s, term_env *e, const char *term)
{
	mc_status st;
	jl_ctx *active = e->active;
	/* 1 */
	void *d = mc__jl_map_get(&e->defined, term);
	if (d == DEF_DONE)
		return MC_OK;
	if (d == DEF_PENDING)
		return mc__jl_error(s, "cyclic IRI mapping", "term \"%s\" depends on itself", term);
	if ((st = mc__jl_work(s)) != MC_OK)
		return st;
	/* 2 */
	if (!*term)
		return mc__jl_error(s, "invalid term definition", "empty term");
	if (!mc__jl_map_put(&s->pool, &e->defined, term, DEF_PENDING))
		return NOMEM(s);
	/* 3 */
	const cJSON *value = mc__json_get(e->local, term);
	/* 4 */
	if (strcmp(term, "@type") == 0) {
		if (s->v10)
			return mc__jl_error(s, "keyword redefinition", "@type cannot be redefined in json-ld-1.0");
		if (!cJSON_IsObject(value))
			return mc__jl_error(s, "keyword redefinition", "@type may only take @container and @protected");
		for (const cJSON *c = value->child; c; c = c->next)
			if (!(strcmp(c->string, "@protected") == 0 ||
			      (strcmp(c->string, "@container") == 0 && cJSON_IsString(c) &&
			       strcmp(c->valuestring, "@set") == 0)))
				return mc__jl_error(s, "keyword redefinition", "@type may only take @container: @set and @protected");
		if (!value->child)
			return mc__jl_error(s, "keyword redefinition", "empty redefinition of @type");
	} else if (mc__jl_is_keyword(term)) {
		/* 5 */
		return mc__jl_error(s, "keyword redefinition", "keyword %s cannot be redefined", term);
	} else if (mc__jl_keyword_form(term)) {
		if (s->safe)
			return mc__jl_error(s, "safe mode", "term %s has the form of a keyword", term);
		return mark_done(s, e, term);
	}
	/* 6 */
	const jl_term *prev = mc__jl_term(active, term);
	if (prev && !mc__jl_map_put(&s->pool, &active->terms, term, NULL))
		return NOMEM(s);
	/* 7-9 */
	bool simple = false;
	const cJSON *id = NULL;
	bool has_id = false;
	if (cJSON_IsNull(value)) {
		has_id = true; /* id stays NULL: the JSON null */
	} else if (cJSON_IsString(value)) {
		has_id = true;
		id = value;
		simple = true;
	} else if (cJSON_IsObject(value)) {
		id = mc__json_get(value, "@id");
		has_id = id != NULL;
		if (cJSON_IsNull(id))
			id = NULL;
	} else {
		return mc__jl_error(s, "invalid term definition", "term \"%s\" is neither a string nor an object", term);
	}
	const cJSON *obj = cJSON_IsObject(value) ? value : NULL;
	/* 10 */
	jl_term *def = mc__jl_alloc(&s->pool, sizeof *def);
	if (!def)
		return NOMEM(s);
	memset(def, 0, sizeof *def);
	/* 11 */
	const cJSON *v;
	if ((v = mc__json_get(obj, "@protected"))) {
		if (s->v10)
			return mc__jl_error(s, "invalid term definition", "@protected in json-ld-1.0");
		if (!cJSON_IsBool(v))
			return mc__jl_error(s, "invalid @protected value", "term \"%s\"", term);
		def->protect = cJSON_IsTrue(v);
	} else {
		def->protect = e->protect;
	}
	/* 12 */
	const cJSON *tv = mc__json_get(obj, "@type");
	if (tv) {
		if (!cJSON_IsString(tv))
			return mc__jl_error(s, "invalid type mapping", "term \"%s\": @type is not a string", term);
		const char *type;
		if ((st = iri_expand(s, e, active, tv->valuestring, false, true, &type, NULL)) != MC_OK)
			return st;
		if (type && (strcmp(type, "@json") == 0 || strcmp(type, "@none") == 0) && s->v10)
			return mc__jl_error(s, "invalid type mapping", "term \"%s\": %s in json-ld-1.0", term, type);
		if (!type || !(strcmp(type, "@id") == 0 || strcmp(type, "@json") == 0 || strcmp(type, "@none") == 0 ||
		               strcmp(type, "@vocab") == 0 || mc__jl_is_abs_iri(type)))
			return mc__jl_error(s, "invalid type mapping", "term \"%s\": type \"%s\"", term, tv->valuestring);
		def->type = type;
	}
	/* 13 */
	if ((v = mc__json_get(obj, "@reverse"))) {
		if (has_id || mc__json_get(obj, "@nest"))
			return mc__jl_error(s, "invalid reverse property", "term \"%s\": @reverse with @id or @nest", term);
		if (!cJSON_IsString(v))
			return mc__jl_error(s, "invalid IRI mapping", "term \"%s\": @reverse is not a string", term);
		if (mc__jl_keyword_form(v->valuestring)) {
			if (s->safe)
				return mc__jl_error(s, "safe mode", "@reverse %s has the form of a keyword", v->valuestring);
			return mark_done(s, e, term);
		}
		const char *iri;
		if ((st = iri_expand(s, e, active, v->valuestring, false, true, &iri, NULL)) != MC_OK)
			return st;
		if (!iri || !(mc__jl_is_abs_iri(iri) || strncmp(iri, "_:", 2) == 0))
			return mc__jl_error(s, "invalid IRI mapping", "term \"%s\": @reverse \"%s\"", term, v->valuestring);
		def->iri = iri;
		const cJSON *c = mc__json_get(obj, "@container");
		if (c) {
			if (cJSON_IsNull(c))
				;
			else if (cJSON_IsString(c) && strcmp(c->valuestring, "@set") == 0)
				def->container = JL_C_SET;
			else if (cJSON_IsString(c) && strcmp(c->valuestring, "@index") == 0)
				def->container = JL_C_INDEX;
			else
				return mc__jl_error(s, "invalid reverse property", "term \"%s\": container", term);
		}
		def->reverse = true;
		/* 13.7 returns here; the reference implementation goes on with
		 * @index, @context and the other entries (W3C test expand/0131
		 * needs @index), and so do we */
		goto after_container;
	}
	/* 14 */
	if (has_id && !(id && strcmp(id->valuestring ? id->valuestring : "", term) == 0)) {
		if (!id) {
			/* 14.1: kept to detect redefinitions, not used for expansion */
		} else {
			if (!cJSON_IsString(id))
				return mc__jl_error(s, "invalid IRI mapping", "term \"%s\": @id is not a string", term);
			const char *iv = id->valuestring;
			if (!mc__jl_is_keyword(iv) && mc__jl_keyword_form(iv)) {
				if (s->safe)
					return mc__jl_error(s, "safe mode", "@id %s has the form of a keyword", iv);
				return mark_done(s, e, term);
			}
			const char *iri;
			if ((st = iri_expand(s, e, active, iv, false, true, &iri, NULL)) != MC_OK)
				return st;
			if (!iri || !(mc__jl_is_keyword(iri) || mc__jl_is_abs_iri(iri) || strncmp(iri, "_:", 2) == 0))
				return mc__jl_error(s, "invalid IRI mapping", "term \"%s\": @id \"%s\"", term, iv);
			if (strcmp(iri, "@context") == 0)
				return mc__jl_error(s, "invalid keyword alias", "term \"%s\" aliases @context", term);
			def->iri = iri;
			/* 14.2.4 */
			const char *colon = strchr(term + 1, ':');
			size_t tl = strlen(term);
			bool inner_colon = colon && (size_t)(colon - term) < tl - 1;
			if (inner_colon || strchr(term, '/')) {
				if ((st = mark_done(s, e, term)) != MC_OK)
					return st;
				const char *self;
				if ((st = iri_expand(s, e, active, term, false, true, &self, NULL)) != MC_OK)
					return st;
				if (!streq(self, iri))
					return mc__jl_error(s, "invalid IRI mapping",
					                    "term \"%s\" would expand to \"%s\", not its @id", term,
					                    self ? self : "null");
				if (!mc__jl_map_put(&s->pool, &e->defined, term, DEF_PENDING))
					return NOMEM(s);
			}
			/* 14.2.5 */
			if (!strchr(term, ':') && !strchr(term, '/') && simple &&
			    (strncmp(iri, "_:", 2) == 0 || (*iri && is_gen_delim(iri[strlen(iri) - 1]))))
				def->prefix = true;
		}
	} else if (strchr(term + 1, ':')) {
		/* 15 */
		const char *colon = strchr(term + 1, ':');
		size_t np = (size_t)(colon - term);
		char *prefix = mc__jl_strndup(&s->pool, term, np);
		if (!prefix)
			return NOMEM(s);
		if (mc__json_get(e->local, prefix) && (st = create_term(s, e, prefix)) != MC_OK)
			return st;
		const jl_term *pt = mc__jl_term(active, prefix);
		if (pt && pt->iri) {
			if (!(def->iri = mc__jl_concat(&s->pool, pt->iri, colon + 1)))
				return NOMEM(s);
		} else {
			def->iri = term;
		}
	} else if (strchr(term, '/')) {
		/* 16: without the local context (a relative term is not a prefix) */
		const char *iri;
		if ((st = iri_expand(s, NULL, active, term, false, true, &iri, NULL)) != MC_OK)
			return st;
		if (!iri || !mc__jl_is_abs_iri(iri))
			return mc__jl_error(s, "invalid IRI mapping", "relative term \"%s\"", term);
		def->iri = iri;
	} else if (strcmp(term, "@type") == 0) {
		/* 17 */
		def->iri = "@type";
	} else if (active->vocab) {
		/* 18 */
		if (!(def->iri = mc__jl_concat(&s->pool, active->vocab, term)))
			return NOMEM(s);
	} else {
		return mc__jl_error(s, "invalid IRI mapping", "term \"%s\" has no @id and there is no @vocab", term);
	}
	/* 19 */
	if ((v = mc__json_get(obj, "@container"))) {
		bool is_string;
		unsigned bits = container_parse(v, &is_string);
		if (!bits)
			return mc__jl_error(s, "invalid container mapping", "term \"%s\"", term);
		if (s->v10 && (!is_string || (bits & (JL_C_GRAPH | JL_C_ID | JL_C_TYPE))))
			return mc__jl_error(s, "invalid container mapping", "term \"%s\": not json-ld-1.0", term);
		def->container = bits;
		if (bits & JL_C_TYPE) {
			if (!def->type)
				def->type = "@id";
			if (strcmp(def->type, "@id") && strcmp(def->type, "@vocab"))
				return mc__jl_error(s, "invalid type mapping", "term \"%s\": @type container needs @id or @vocab", term);
		}
	}
after_container:
	/* 20 */
	if ((v = mc__json_get(obj, "@index"))) {
		if (s->v10 || !(def->container & JL_C_INDEX))
			return mc__jl_error(s, "invalid term definition", "term \"%s\": @index without an @index container", term);
		if (!cJSON_IsString(v) || mc__jl_is_keyword(v->valuestring))
			return mc__jl_error(s, "invalid term definition", "term \"%s\": bad @index", term);
		const char *ix;
		if ((st = iri_expand(s, e, active, v->valuestring, false, true, &ix, NULL)) != MC_OK)
			return st;
		if (!ix || !mc__jl_is_abs_iri(ix))
			return mc__jl_error(s, "invalid term definition", "term \"%s\": @index is not an IRI", term);
		def->index = v->valuestring;
	}
	/* 21 */
	if ((v = mc__json_get(obj, "@context"))) {
		if (s->v10)
			return mc__jl_error(s, "invalid term definition", "term \"%s\": scoped context in json-ld-1.0", term);
		/* 21.3: validate now, discard the result; any failure is an
		 * invalid scoped context (as the reference implementation says). */
		mc_err inner = {0};
		mc_err *outer = s->err;
		s->err = &inner;
		const jl_ctx *scratch;
		st = mc__jl_process(s, active, v, e->base_url, e->remote, true, true, false, &scratch);
		s->err = outer;
		if (st == MC_ERR_NOMEM || st == MC_ERR_TOO_LARGE)
			return mc__fail(s->err, st, NULL, "%s", inner.msg);
		if (st != MC_OK)
			return mc__jl_error(s, "invalid scoped context", "term \"%s\": %s", term, inner.msg);
		def->context = v;
		def->base_url = e->base_url;
	}
	/* 22 */
	if ((v = mc__json_get(obj, "@language")) && !tv) {
		if (cJSON_IsNull(v)) {
			def->language = NULL;
		} else if (cJSON_IsString(v)) {
			if (!(def->language = mc__jl_lower(&s->pool, v->valuestring)))
				return NOMEM(s);
		} else {
			return mc__jl_error(s, "invalid language mapping", "term \"%s\"", term);
		}
		def->has_language = true;
	}
	/* 23 */
	if ((v = mc__json_get(obj, "@direction")) && !tv) {
		if (cJSON_IsNull(v))
			def->direction = NULL;
		else if (cJSON_IsString(v) && (strcmp(v->valuestring, "ltr") == 0 || strcmp(v->valuestring, "rtl") == 0))
			def->direction = v->valuestring;
		else
			return mc__jl_error(s, "invalid base direction", "term \"%s\"", term);
		def->has_direction = true;
	}
	/* 24 */
	if ((v = mc__json_get(obj, "@nest"))) {
		if (s->v10)
			return mc__jl_error(s, "invalid term definition", "term \"%s\": @nest in json-ld-1.0", term);
		if (!cJSON_IsString(v) || (mc__jl_is_keyword(v->valuestring) && strcmp(v->valuestring, "@nest")))
			return mc__jl_error(s, "invalid @nest value", "term \"%s\"", term);
		def->nest = v->valuestring;
	}
	/* 25 */
	if ((v = mc__json_get(obj, "@prefix"))) {
		if (s->v10 || strchr(term, ':') || strchr(term, '/'))
			return mc__jl_error(s, "invalid term definition", "term \"%s\": @prefix not allowed", term);
		if (!cJSON_IsBool(v))
			return mc__jl_error(s, "invalid @prefix value", "term \"%s\"", term);
		def->prefix = cJSON_IsTrue(v);
		if (def->prefix && def->iri && mc__jl_is_keyword(def->iri))
			return mc__jl_error(s, "invalid term definition", "term \"%s\": keyword alias as prefix", term);
	}
	/* 26 */
	for (const cJSON *k = obj ? obj->child : NULL; k; k = k->next) {
		static const char *const ok[] = {"@id",       "@reverse", "@container", "@context",   "@direction", "@index",
		                                 "@language", "@nest",    "@prefix",    "@protected", "@type"};
		bool found = false;
		for (size_t i = 0; i < sizeof ok / sizeof *ok && !found; i++)
			found = strcmp(k->string, ok[i]) == 0;
		if (!found)
			return mc__jl_error(s, "invalid term definition", "term \"%s\": unknown key %s", term, k->string);
	}
	/* A cached context's IRIs go to the loader's pool (they may point into
	 * a context document): toRdf recognizes them there by address and
	 * keeps what it works out about them (tordf.c, jl_iri_fact). */
	if (s->persisting && def->iri && !mc__jl_is_keyword(def->iri) && !mc__jl_pool_owns(&s->pool, def->iri) &&
	    !(def->iri = mc__jl_strdup(&s->pool, def->iri)))
		return NOMEM(s);
	/* 27 */
	if (!e->override && prev && prev->protect) {
		if (!term_same(def, prev))
			return mc__jl_error(s, "protected term redefinition", "term \"%s\" is protected", term);
		def = (jl_term *)prev;
	}
	/* 28 */
	if (def->protect)
		active->any_protected = true;
	if (def->iri && strcmp(def->iri, "@value") == 0)
		active->value_alias = true;
	if (def->iri && strcmp(def->iri, "@type") == 0) {
		if (active->ntype_aliases < JL_MAX_TYPE_ALIASES)
			active->type_aliases[active->ntype_aliases++] = term;
		else
			active->type_aliases_all = true;
	}
	if (!mc__jl_map_put(&s->pool, &active->terms, term, def))
		return NOMEM(s);
	return mark_done(s, e, term);
}

static bool remote_has(const jl_remote *r, const char *url)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->urls[i], url) == 0)
			return true;
	return false;
}

/* Dereference a context URL: the value of its @context entry. */
static mc_status load_context(jl_state *s, const char *url, const cJSON **ctx)
{
	const cJSON *doc;
	mc_status st = mc__jl_load(s, url, &doc);
	if (st != MC_OK)
		return st;
	*ctx = mc__json_get(doc, "@context");
	if (!*ctx)
		return mc__jl_error(s, "invalid remote context", "%s has no top-level @context", url);
	return MC_OK;
}

/* ---- Processed-context cache (per loader) ------------------------------ */

enum { JL_CF_V10 = 1, JL_CF_SAFE = 2, JL_CF_OVERRIDE = 4, JL_CF_PROPAGATE = 8 };

static unsigned cache_flags(const jl_state *s, bool override, bool propagate)
{
	return (s->v10 ? JL_CF_V10 : 0) | (s->safe ? JL_CF_SAFE : 0) | (override ? JL_CF_OVERRIDE : 0) |
	       (propagate ? JL_CF_PROPAGATE : 0);
}

static size_t centry_hash(const jl_ctx *a, const char *url, const cJSON *local, unsigned flags)
{
	uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull;
	if (url)
		for (const char *p = url; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
	else
		h ^= (uint64_t)(uintptr_t)local * 0xff51afd7ed558ccdull;
	h ^= flags;
	return (size_t)(h ^ (h >> 29));
}

static bool centry_is(const jl_centry *e, const jl_ctx *a, const char *url, const cJSON *local, unsigned flags)
{
	return e->active == a && e->flags == flags && e->local == local &&
	       (url ? e->url && strcmp(e->url, url) == 0 : !e->url);
}

static const jl_ctx *cache_get(const mc_jsonld_loader *l, const jl_ctx *a, const char *url, const cJSON *local,
                               unsigned flags)
{
	if (!l->ccap)
		return NULL;
	size_t mask = l->ccap - 1;
	for (size_t i = centry_hash(a, url, local, flags) & mask; l->cache[i].active; i = (i + 1) & mask)
		if (centry_is(&l->cache[i], a, url, local, flags))
			return l->cache[i].result;
	return NULL;
}

/* Store an entry; url must already be in the loader's pool. */
static bool cache_put(mc_jsonld_loader *l, const jl_ctx *a, const char *url, const cJSON *local, unsigned flags,
                      const jl_ctx *result)
{
	if (l->ccount >= MC_JSONLD_MAX_CACHED_CONTEXTS)
		return false;
	if ((l->ccount + 1) * 2 > l->ccap) {
		size_t cap = l->ccap ? l->ccap * 2 : 64;
		jl_centry *n = calloc(cap, sizeof *n);
		if (!n)
			return false;
		for (size_t i = 0; i < l->ccap; i++) {
			const jl_centry *e = &l->cache[i];
			if (!e->active)
				continue;
			size_t j = centry_hash(e->active, e->url, e->local, e->flags) & (cap - 1);
			while (n[j].active)
				j = (j + 1) & (cap - 1);
			n[j] = *e;
		}
		free(l->cache);
		l->cache = n;
		l->ccap = cap;
	}
	size_t j = centry_hash(a, url, local, flags) & (l->ccap - 1);
	while (l->cache[j].active)
		j = (j + 1) & (l->ccap - 1);
	l->cache[j] = (jl_centry){a, url, local, flags, result};
	l->ccount++;
	return true;
}

void mc__jl_loader_cache_free(mc_jsonld_loader *l)
{
	free(l->cache);
	free(l->facts);
	mc__jl_pool_free(&l->pool);
}

/* Allocate into the loader's pool until persist_end (s->pool is swapped,
 * so every allocation path is covered). */
static bool persist_begin(jl_state *s, jl_pool *saved)
{
	if (s->persisting || s->loader->pool.total > MC_JSONLD_MAX_CACHE_BYTES ||
	    s->loader->ccount >= MC_JSONLD_MAX_CACHED_CONTEXTS)
		return false;
	*saved = s->pool;
	s->pool = s->loader->pool;
	s->persisting++;
	s->cacheable = true;
	return true;
}

static void persist_end(jl_state *s, jl_pool *saved)
{
	s->loader->pool = s->pool;
	s->pool = *saved;
	s->persisting--;
}

const jl_ctx *mc__jl_initial(jl_state *s, const char *base)
{
	mc_jsonld_loader *l = s->loader;
	for (size_t i = 0; i < l->ninitial; i++)
		if (streq(l->initial[i]->base, base))
			return l->initial[i];
	if (l->ninitial < JL_MAX_INITIAL && l->pool.total <= MC_JSONLD_MAX_CACHE_BYTES) {
		jl_ctx *c = mc__jl_alloc(&l->pool, sizeof *c);
		char *b = base ? mc__jl_strdup(&l->pool, base) : NULL;
		if (c && (b || !base)) {
			memset(c, 0, sizeof *c);
			c->base = c->original_base = b;
			c->persistent = true;
			l->initial[l->ninitial++] = c;
			return c;
		}
	}
	return mc__jl_ctx_new(s, base);
}

mc_status mc__jl_scoped(jl_state *s, const jl_ctx *owner, const jl_term *td, const jl_ctx *active, bool override,
                        bool propagate, const jl_ctx **out)
{
	static const jl_remote none;
	if (owner->persistent && active->persistent) {
		unsigned fl = cache_flags(s, override, propagate);
		const jl_ctx *hit = cache_get(s->loader, active, NULL, td->context, fl);
		if (hit) {
			*out = hit;
			return MC_OK;
		}
		jl_pool saved;
		if (persist_begin(s, &saved)) {
			mc_status st = mc__jl_process(s, active, td->context, td->base_url, &none, override, propagate, true, out);
			persist_end(s, &saved);
			if (st == MC_OK && s->cacheable && cache_put(s->loader, active, NULL, td->context, fl, *out))
				((jl_ctx *)*out)->persistent = true;
			return st;
		}
	}
	return mc__jl_process(s, active, td->context, td->base_url, &none, override, propagate, true, out);
}

static mc_status process(jl_state *s, const jl_ctx *active, const cJSON *local, const char *base_url,
                         const jl_remote *remote, bool override_protected, bool propagate, bool validate,
                         const jl_ctx **out);

mc_status mc__jl_process(jl_state *s, const jl_ctx *active, const cJSON *local, const char *base_url,
                         const jl_remote *remote, bool override_protected, bool propagate, bool validate,
                         const jl_ctx **out)
{
	mc_status st;
	if ((st = mc__jl_work(s)) != MC_OK)
		return st;
	if (s->depth >= MC_JSONLD_MAX_NESTING)
		return mc__fail(s->err, MC_ERR_TOO_LARGE, NULL,
		                "JSON-LD contexts nest deeper than %u levels (MC_JSONLD_MAX_NESTING)", MC_JSONLD_MAX_NESTING);
	s->depth++;
	st = process(s, active, local, base_url, remote, override_protected, propagate, validate, out);
	s->depth--;
	return st;
}

/* Context Processing (4.1.2) proper; mc__jl_process bounds its nesting. */
static mc_status process(jl_state *s, const jl_ctx *active, const cJSON *local, const char *base_url,
                         const jl_remote *remote, bool override_protected, bool propagate, bool validate,
                         const jl_ctx **out)
{
	mc_status st;
	/* 1: result is cloned only when about to change (fresh), so that a
	 * list of cached remote contexts costs no copy */
	jl_ctx *result = (jl_ctx *)active;
	bool fresh = false;
	/* 2 */
	const cJSON *pv = mc__json_get(local, "@propagate");
	if (pv) {
		if (!cJSON_IsBool(pv))
			return mc__jl_error(s, "invalid @propagate value", "@propagate must be true or false");
		propagate = cJSON_IsTrue(pv);
	}
	/* 3 */
	if (!propagate && !result->previous) {
		if (!(result = ctx_clone(s, active)))
			return NOMEM(s);
		fresh = true;
		result->previous = active;
	}
	/* 4-5 */
	const cJSON *single = local, *item = cJSON_IsArray(local) ? local->child : single;
	for (; item; item = cJSON_IsArray(local) ? item->next : NULL) {
		/* 5.1 */
		if (cJSON_IsNull(item)) {
			if (!override_protected && result->any_protected)
				return mc__jl_error(s, "invalid context nullification", "the context has protected terms");
			jl_ctx *nul = mc__jl_ctx_new(s, active->original_base);
			if (!nul)
				return NOMEM(s);
			if (!propagate)
				nul->previous = result;
			result = nul;
			fresh = true;
			continue;
		}
		/* 5.2 */
		if (cJSON_IsString(item)) {
			const char *url = mc__jl_resolve(&s->pool, base_url, item->valuestring);
			if (!url)
				return NOMEM(s);
			if (!validate && remote_has(remote, url))
				continue;
			if (remote->n >= MC_JSONLD_MAX_REMOTE_CONTEXTS)
				return mc__jl_error(s, "context overflow", "more than %u remote contexts (at %s)",
				                    MC_JSONLD_MAX_REMOTE_CONTEXTS, url);
			jl_remote r2 = *remote;
			const cJSON *loaded;
			const jl_ctx *next;
			jl_pool saved;
			unsigned fl = cache_flags(s, false, true);
			if (remote->n == 0 && validate && result->persistent) {
				/* a document's own context list: cached per loader */
				const jl_ctx *hit = cache_get(s->loader, result, url, NULL, fl);
				if (hit) {
					result = (jl_ctx *)hit;
					fresh = false;
					continue;
				}
				if (persist_begin(s, &saved)) {
					const char *purl = mc__jl_strdup(&s->pool, url);
					if (purl) {
						r2.urls[r2.n++] = purl;
						st = load_context(s, purl, &loaded);
						if (st == MC_OK)
							st = mc__jl_process(s, result, loaded, purl, &r2, false, true, validate, &next);
					} else {
						st = NOMEM(s);
					}
					persist_end(s, &saved);
					if (st != MC_OK)
						return st;
					if (s->cacheable && cache_put(s->loader, result, purl, NULL, fl, next))
						((jl_ctx *)next)->persistent = true;
					result = (jl_ctx *)next;
					fresh = false;
					continue;
				}
			}
			r2.urls[r2.n++] = url;
			if ((st = load_context(s, url, &loaded)) != MC_OK)
				return st;
			if ((st = mc__jl_process(s, result, loaded, url, &r2, false, true, validate, &next)) != MC_OK)
				return st;
			result = (jl_ctx *)next;
			fresh = false; /* may be the context we started from */
			continue;
		}
		/* 5.3 */
		if (!cJSON_IsObject(item))
			return mc__jl_error(s, "invalid local context", "a context must be an object, a string or null");
		if (!fresh) {
			if (!(result = ctx_clone(s, result)))
				return NOMEM(s);
			fresh = true;
		}
		const cJSON *ctx = item, *v;
		/* 5.5 */
		if ((v = mc__json_get(ctx, "@version"))) {
			if (!cJSON_IsNumber(v) || v->valuedouble != 1.1)
				return mc__jl_error(s, "invalid @version value", "@version must be 1.1");
			if (s->v10)
				return mc__jl_error(s, "processing mode conflict", "@version 1.1 in json-ld-1.0 mode");
		}
		/* 5.6 */
		if ((v = mc__json_get(ctx, "@import"))) {
			if (s->v10)
				return mc__jl_error(s, "invalid context entry", "@import in json-ld-1.0");
			if (!cJSON_IsString(v))
				return mc__jl_error(s, "invalid @import value", "@import must be a string");
			const char *url = mc__jl_resolve(&s->pool, base_url, v->valuestring);
			if (!url)
				return NOMEM(s);
			const cJSON *imp;
			if ((st = load_context(s, url, &imp)) != MC_OK)
				return st;
			if (!cJSON_IsObject(imp))
				return mc__jl_error(s, "invalid remote context", "imported context %s is not an object", url);
			if (mc__json_get(imp, "@import"))
				return mc__jl_error(s, "invalid context entry", "imported context %s has @import", url);
			/* 5.6.8: merge; references, so nothing is copied. The merged
			 * object lives in the call's arena: not cacheable. */
			s->cacheable = false;
			cJSON *merged = cJSON_CreateObject();
			if (!merged)
				return NOMEM(s);
			for (const cJSON *c = imp->child; c; c = c->next)
				if (!mc__json_get(ctx, c->string) && !cJSON_AddItemReferenceToObject(merged, c->string, (cJSON *)c))
					return NOMEM(s);
			for (const cJSON *c = ctx->child; c; c = c->next)
				if (!cJSON_AddItemReferenceToObject(merged, c->string, (cJSON *)c))
					return NOMEM(s);
			ctx = merged;
		}
		/* 5.7 */
		if ((v = mc__json_get(ctx, "@base")) && remote->n == 0) {
			if (cJSON_IsNull(v)) {
				result->base = NULL;
			} else if (cJSON_IsString(v) && mc__jl_is_abs_iri(v->valuestring)) {
				result->base = v->valuestring;
			} else if (cJSON_IsString(v) && result->base) {
				if (!(result->base = mc__jl_resolve(&s->pool, result->base, v->valuestring)))
					return NOMEM(s);
			} else {
				return mc__jl_error(s, "invalid base IRI", "@base must be an IRI or null");
			}
		}
		/* 5.8 */
		if ((v = mc__json_get(ctx, "@vocab"))) {
			if (cJSON_IsNull(v)) {
				result->vocab = NULL;
			} else if (cJSON_IsString(v)) {
				if (s->v10 && !mc__jl_is_abs_iri(v->valuestring) && strncmp(v->valuestring, "_:", 2))
					return mc__jl_error(s, "invalid vocab mapping", "@vocab must be an absolute IRI in json-ld-1.0");
				const char *voc;
				if ((st = iri_expand(s, NULL, result, v->valuestring, true, true, &voc, NULL)) != MC_OK)
					return st;
				if (!voc || mc__jl_is_keyword(voc))
					return mc__jl_error(s, "invalid vocab mapping", "@vocab \"%s\"", v->valuestring);
				result->vocab = voc;
			} else {
				return mc__jl_error(s, "invalid vocab mapping", "@vocab must be a string or null");
			}
		}
		/* 5.9 */
		if ((v = mc__json_get(ctx, "@language"))) {
			if (cJSON_IsNull(v))
				result->language = NULL;
			else if (cJSON_IsString(v)) {
				if (!(result->language = mc__jl_lower(&s->pool, v->valuestring)))
					return NOMEM(s);
			} else
				return mc__jl_error(s, "invalid default language", "@language must be a string or null");
		}
		/* 5.10 */
		if ((v = mc__json_get(ctx, "@direction"))) {
			if (s->v10)
				return mc__jl_error(s, "invalid context entry", "@direction in json-ld-1.0");
			if (cJSON_IsNull(v))
				result->direction = NULL;
			else if (cJSON_IsString(v) &&
			         (strcmp(v->valuestring, "ltr") == 0 || strcmp(v->valuestring, "rtl") == 0))
				result->direction = v->valuestring;
			else
				return mc__jl_error(s, "invalid base direction", "@direction must be ltr, rtl or null");
		}
		/* 5.11 */
		if ((v = mc__json_get(ctx, "@propagate"))) {
			if (s->v10)
				return mc__jl_error(s, "invalid context entry", "@propagate in json-ld-1.0");
			if (!cJSON_IsBool(v))
				return mc__jl_error(s, "invalid @propagate value", "@propagate must be true or false");
		}
		bool protect = false;
		if ((v = mc__json_get(ctx, "@protected"))) {
			if (s->v10)
				return mc__jl_error(s, "invalid context entry", "@protected in json-ld-1.0");
			if (!cJSON_IsBool(v))
				return mc__jl_error(s, "invalid @protected value", "@protected must be true or false");
			protect = cJSON_IsTrue(v);
		}
		/* 5.12-5.13 */
		term_env env = {.active = result,
		                .local = ctx,
		                .base_url = base_url,
		                .protect = protect,
		                .override = override_protected,
		                .remote = remote,
		                .validate = validate};
		for (const cJSON *c = ctx->child; c; c = c->next) {
			const char *k = c->string;
			if (strcmp(k, "@base") == 0 || strcmp(k, "@direction") == 0 || strcmp(k, "@import") == 0 ||
			    strcmp(k, "@language") == 0 || strcmp(k, "@propagate") == 0 || strcmp(k, "@protected") == 0 ||
			    strcmp(k, "@version") == 0 || strcmp(k, "@vocab") == 0)
				continue;
			if ((st = create_term(s, &env, k)) != MC_OK)
				return st;
		}
	}
	*out = result;
	return MC_OK;
}
