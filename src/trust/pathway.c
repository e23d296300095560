/*
 * pathway.c - stackability pathways: parse and validate the rule tree
 * (unknown and circular references rejected with the path), then evaluate
 * it over a learner's verified credentials: done, progress, what is missing.
 *
 * The tree is compiled into one node array; named rules ("rules") are
 * nodes too and "ref" nodes point at them, so a rule used twice is stored
 * once. Evaluation walks the array with a filter (minimum EQF level,
 * earliest issue date) narrowed by "level" and "within" nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trust/trust_internal.h"

enum node_kind { N_ITEM, N_ALL, N_ANY, N_AND, N_OR, N_ECTS, N_LEVEL, N_WITHIN, N_REF };

typedef struct node {
	enum node_kind kind;
	/* JSON path of the node, for messages */
	char *path;
	/* N_ITEM: achievement id; N_REF: rule name */
	char *text;
	/* children (node indexes); N_ECTS: its "from" items (N_ITEM nodes) */
	size_t *kids;
	size_t nkids;
	/* N_ANY: n; N_LEVEL: level; N_WITHIN: years */
	int64_t n;
	/* N_ECTS: minimum */
	double min;
	/* N_LEVEL, N_WITHIN: the inner rule, or SIZE_MAX for "at least one";
	 * N_REF: the named rule's node once resolved */
	size_t target;
} node;

struct mc_pathway {
	char *id;
	char *title;
	node *nodes;
	size_t n, cap;
	size_t root;
	/* named rules: name -> node */
	char **names;
	size_t *named;
	size_t nnamed;
};

#define NONE ((size_t)-1)

void mc_pathway_free(mc_pathway *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->nodes[i].path);
		free(p->nodes[i].text);
		free(p->nodes[i].kids);
	}
	for (size_t i = 0; i < p->nnamed; i++)
		free(p->names[i]);
	free(p->names);
	free(p->named);
	free(p->nodes);
	free(p->id);
	free(p->title);
	free(p);
}

const char *mc_pathway_id(const mc_pathway *p)
{
	return p ? p->id : NULL;
}

const char *mc_pathway_title(const mc_pathway *p)
{
	return p ? p->title : NULL;
}

/* ---- Parsing ------------------------------------------------------------ */

static mc_status new_node(mc_pathway *p, enum node_kind k, const char *path, size_t *out, mc_err *err)
{
	if (p->n == MC_PATHWAY_MAX_NODES)
		return mc__fail(err, MC_ERR_TOO_LARGE, path, "the pathway has more than %u rules and items",
		                MC_PATHWAY_MAX_NODES);
	if (p->n == p->cap) {
		size_t ncap = p->cap ? 2 * p->cap : 16;
		node *nn = realloc(p->nodes, ncap * sizeof *nn);
		if (!nn)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		p->nodes = nn;
		p->cap = ncap;
	}
	node *nd = &p->nodes[p->n];
	memset(nd, 0, sizeof *nd);
	nd->kind = k;
	nd->target = NONE;
	nd->path = strdup(path);
	p->n++;
	if (!nd->path)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	*out = p->n - 1;
	return MC_OK;
}

static mc_status parse_rule(mc_pathway *p, const cJSON *v, const char *path, int depth, size_t *out, mc_err *err);

/* An item: an achievement id (string) or a nested rule. */
static mc_status parse_item(mc_pathway *p, const cJSON *v, const char *path, int depth, size_t *out, mc_err *err)
{
	if (cJSON_IsString(v)) {
		if (!mc__iri_valid(v->valuestring))
			return mc__fail(err, MC_ERR_VALUE, path, "an item must be an achievement id (an absolute IRI) or a rule");
		MC__CHECK(new_node(p, N_ITEM, path, out, err));
		p->nodes[*out].text = strdup(v->valuestring);
		return p->nodes[*out].text ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	return parse_rule(p, v, path, depth, out, err);
}

/* A list of items (or, for and/or, rules) as node kids. */
static mc_status parse_list(mc_pathway *p, size_t at, const cJSON *arr, const char *path, int depth, bool rules_only,
                            mc_err *err)
{
	if (!cJSON_IsArray(arr))
		return mc__fail(err, MC_ERR_TYPE, path, "must be an array");
	size_t n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0)
		return mc__fail(err, MC_ERR_VALUE, path, "must not be empty");
	if (n > MC_PATHWAY_MAX_NODES)
		return mc__fail(err, MC_ERR_TOO_LARGE, path, "more than %u items", MC_PATHWAY_MAX_NODES);
	size_t *kids = calloc(n, sizeof *kids);
	if (!kids)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	p->nodes[at].kids = kids;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		char ip[MC_ERR_PATH_MAX];
		mc__path_index(ip, sizeof ip, path, i);
		size_t k;
		mc_status st = rules_only ? parse_rule(p, e, ip, depth, &k, err) : parse_item(p, e, ip, depth, &k, err);
		if (st != MC_OK)
			return st;
		p->nodes[at].kids[i++] = k; /* nodes may have moved: index again */
		p->nodes[at].nkids = i;
	}
	return MC_OK;
}

static mc_status parse_rule(mc_pathway *p, const cJSON *v, const char *path, int depth, size_t *out, mc_err *err)
{
	if (depth > MC_PATHWAY_MAX_DEPTH)
		return mc__fail(err, MC_ERR_JSON_LIMIT, path, "rules nest deeper than %d levels", MC_PATHWAY_MAX_DEPTH);
	if (!cJSON_IsObject(v) || !v->child || v->child->next)
		return mc__fail(err, MC_ERR_TYPE, path,
		                "a rule is an object with exactly one of all, any, and, or, ects, level, within, ref");
	const cJSON *m = v->child;
	const char *key = m->string;
	char mp[MC_ERR_PATH_MAX];
	mc__path_key(mp, sizeof mp, path, key);
	size_t at;
	if (strcmp(key, "all") == 0 || strcmp(key, "and") == 0 || strcmp(key, "or") == 0) {
		enum node_kind k = key[0] == 'a' ? (key[1] == 'l' ? N_ALL : N_AND) : N_OR;
		MC__CHECK(new_node(p, k, mp, &at, err));
		MC__CHECK(parse_list(p, at, m, mp, depth + 1, k != N_ALL, err));
	} else if (strcmp(key, "any") == 0) {
		static const char *const keys[] = {"n", "of", NULL};
		if (!cJSON_IsObject(m))
			return mc__fail(err, MC_ERR_TYPE, mp, "must be {\"n\": N, \"of\": [...]}");
		MC__CHECK(mc__tr_only(m, mp, keys, err));
		int64_t n = 0;
		MC__CHECK(mc__tr_int(m, mp, "n", true, 1, MC_PATHWAY_MAX_NODES, &n, NULL, err));
		MC__CHECK(new_node(p, N_ANY, mp, &at, err));
		p->nodes[at].n = n;
		char op[MC_ERR_PATH_MAX];
		mc__path_key(op, sizeof op, mp, "of");
		const cJSON *of = mc__json_get(m, "of");
		if (!of)
			return mc__fail(err, MC_ERR_MISSING, op, "\"of\" is required");
		MC__CHECK(parse_list(p, at, of, op, depth + 1, false, err));
		if ((size_t)n > p->nodes[at].nkids)
			return mc__fail_at(err, MC_ERR_VALUE, mp, "n", "asks for %lld of only %zu items", (long long)n,
			                   p->nodes[at].nkids);
	} else if (strcmp(key, "ects") == 0) {
		static const char *const keys[] = {"min", "from", NULL};
		if (!cJSON_IsObject(m))
			return mc__fail(err, MC_ERR_TYPE, mp, "must be {\"min\": X, \"from\": [...]}");
		MC__CHECK(mc__tr_only(m, mp, keys, err));
		double min = 0;
		MC__CHECK(mc__tr_num(m, mp, "min", true, 0.01, 1000, &min, NULL, err));
		MC__CHECK(new_node(p, N_ECTS, mp, &at, err));
		p->nodes[at].min = min;
		const cJSON *from = mc__json_get(m, "from");
		if (from) {
			char fp[MC_ERR_PATH_MAX];
			mc__path_key(fp, sizeof fp, mp, "from");
			/* "from" lists achievements only: a set to sum over */
			const cJSON *e;
			size_t i = 0;
			cJSON_ArrayForEach(e, from)
			{
				if (!cJSON_IsString(e)) {
					char ip[MC_ERR_PATH_MAX];
					mc__path_index(ip, sizeof ip, fp, i);
					return mc__fail(err, MC_ERR_TYPE, ip, "\"from\" lists achievement ids (strings)");
				}
				i++;
			}
			MC__CHECK(parse_list(p, at, from, fp, depth + 1, false, err));
		}
	} else if (strcmp(key, "level") == 0 || strcmp(key, "within") == 0) {
		bool lvl = key[0] == 'l';
		static const char *const lkeys[] = {"min", "rule", NULL}, *const wkeys[] = {"years", "rule", NULL};
		if (!cJSON_IsObject(m))
			return mc__fail(err, MC_ERR_TYPE, mp, lvl ? "must be {\"min\": n, \"rule\"?: {...}}"
			                                          : "must be {\"years\": N, \"rule\"?: {...}}");
		MC__CHECK(mc__tr_only(m, mp, lvl ? lkeys : wkeys, err));
		int64_t n = 0;
		MC__CHECK(mc__tr_int(m, mp, lvl ? "min" : "years", true, 1, lvl ? 8 : 100, &n, NULL, err));
		MC__CHECK(new_node(p, lvl ? N_LEVEL : N_WITHIN, mp, &at, err));
		p->nodes[at].n = n;
		const cJSON *r = mc__json_get(m, "rule");
		if (r) {
			char rp[MC_ERR_PATH_MAX];
			mc__path_key(rp, sizeof rp, mp, "rule");
			size_t k;
			MC__CHECK(parse_rule(p, r, rp, depth + 1, &k, err));
			p->nodes[at].target = k;
		}
	} else if (strcmp(key, "ref") == 0) {
		if (!cJSON_IsString(m) || !*m->valuestring)
			return mc__fail(err, MC_ERR_TYPE, mp, "must be the name of a rule in \"rules\"");
		MC__CHECK(new_node(p, N_REF, mp, &at, err));
		p->nodes[at].text = strdup(m->valuestring);
		if (!p->nodes[at].text)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	} else {
		return mc__fail(err, MC_ERR_VALUE, mp, "unknown rule \"%s\" (all, any, and, or, ects, level, within, ref)",
		                key);
	}
	*out = at;
	return MC_OK;
}

/* Resolve every ref; unknown names fail at the ref's path. */
static mc_status resolve(mc_pathway *p, mc_err *err)
{
	for (size_t i = 0; i < p->n; i++) {
		node *nd = &p->nodes[i];
		if (nd->kind != N_REF)
			continue;
		size_t j = 0;
		while (j < p->nnamed && strcmp(p->names[j], nd->text) != 0)
			j++;
		if (j == p->nnamed)
			return mc__fail(err, MC_ERR_VALUE, nd->path, "unknown reference \"%s\": no such rule in \"rules\"",
			                nd->text);
		nd->target = p->named[j];
	}
	return MC_OK;
}

/* Depth-first walk following refs: a ref back onto the current walk is a
 * cycle; the walk is also bounded in depth (refs count). */
enum { WHITE = 0, GREY = 1, BLACK = 2 };

static mc_status acyclic(const mc_pathway *p, size_t i, unsigned char *color, int depth, mc_err *err)
{
	const node *nd = &p->nodes[i];
	if (depth > MC_PATHWAY_MAX_DEPTH)
		return mc__fail(err, MC_ERR_JSON_LIMIT, nd->path, "rules nest deeper than %d levels (counting references)",
		                MC_PATHWAY_MAX_DEPTH);
	if (color[i] == GREY)
		return mc__fail(err, MC_ERR_VALUE, nd->path, "circular reference: this rule refers back to itself");
	if (color[i] == BLACK)
		return MC_OK;
	color[i] = GREY;
	for (size_t k = 0; k < nd->nkids; k++)
		MC__CHECK(acyclic(p, nd->kids[k], color, depth + 1, err));
	if (nd->target != NONE) {
		/* only refs (and filters' inner rules) can close a loop: blame the ref */
		if (color[nd->target] == GREY)
			return mc__fail(err, MC_ERR_VALUE, nd->path, "circular reference: \"%s\" leads back to itself",
			                nd->text ? nd->text : "rule");
		MC__CHECK(acyclic(p, nd->target, color, depth + 1, err));
	}
	color[i] = BLACK;
	return MC_OK;
}

static mc_status parse(mc_pathway *p, const cJSON *root, mc_err *err)
{
	static const char *const top[] = {"id", "title", "description", "rules", "rule", NULL};
	if (!cJSON_IsObject(root))
		return mc__fail(err, MC_ERR_TYPE, "$", "a pathway must be a JSON object");
	MC__CHECK(mc__tr_only(root, "$", top, err));
	const char *id;
	char *joined = NULL, *desc = NULL, *djoined = NULL;
	MC__CHECK(mc__tr_iri(root, "$", "id", true, &id, err));
	MC__CHECK(mc__tr_text(root, "$", "title", true, MC_STORE_TEXT_MAX, &p->title, &joined, err));
	free(joined);
	MC__CHECK(mc__tr_text(root, "$", "description", false, MC_JSON_MAX_BYTES, &desc, &djoined, err));
	free(desc);
	free(djoined);
	p->id = strdup(id);
	if (!p->id)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	const cJSON *rules = mc__json_get(root, "rules");
	if (rules) {
		if (!cJSON_IsObject(rules))
			return mc__fail(err, MC_ERR_TYPE, "$.rules", "must be an object of named rules");
		size_t n = (size_t)cJSON_GetArraySize(rules);
		if (n > MC_PATHWAY_MAX_NODES)
			return mc__fail(err, MC_ERR_TOO_LARGE, "$.rules", "more than %u named rules", MC_PATHWAY_MAX_NODES);
		p->names = calloc(n ? n : 1, sizeof *p->names);
		p->named = calloc(n ? n : 1, sizeof *p->named);
		if (!p->names || !p->named)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		const cJSON *r;
		cJSON_ArrayForEach(r, rules)
		{
			char rp[MC_ERR_PATH_MAX];
			mc__path_key(rp, sizeof rp, "$.rules", r->string);
			size_t at;
			MC__CHECK(parse_rule(p, r, rp, 1, &at, err));
			p->names[p->nnamed] = strdup(r->string);
			p->named[p->nnamed++] = at;
			if (!p->names[p->nnamed - 1])
				return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
	}
	const cJSON *rule = mc__json_get(root, "rule");
	if (!rule)
		return mc__fail(err, MC_ERR_MISSING, "$.rule", "\"rule\" is required");
	MC__CHECK(parse_rule(p, rule, "$.rule", 1, &p->root, err));
	MC__CHECK(resolve(p, err));
	unsigned char *color = calloc(p->n, 1);
	if (!color)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	mc_status st = MC_OK;
	/* every named rule, used or not, must be well-formed too */
	for (size_t i = 0; i < p->nnamed && st == MC_OK; i++) {
		memset(color, 0, p->n);
		st = acyclic(p, p->named[i], color, 1, err);
	}
	if (st == MC_OK) {
		memset(color, 0, p->n);
		st = acyclic(p, p->root, color, 1, err);
	}
	free(color);
	return st;
}

static mc_status parse_any(void *p, const cJSON *root, mc_err *err)
{
	return parse(p, root, err);
}

static void free_any(void *p)
{
	mc_pathway_free(p);
}

mc_status mc_pathway_parse(const char *buf, size_t len, mc_pathway **out, mc_err *err)
{
	return mc__tr_new(buf, len, sizeof **out, parse_any, free_any, (void **)out, err);
}

/* ---- Evaluation ------------------------------------------------------------ */

typedef struct filter {
	int min_level;
	int64_t since;
} filter;

typedef struct ev {
	const mc_pathway *p;
	const mc_cred_facts *const *c;
	size_t n;
	int64_t now;
	/* details: used flags (n) and the report; NULL on the fast path */
	unsigned char *used;
	mc_report *rep;
	mc_status st;
} ev;

typedef struct res {
	bool ok;
	double progress;
} res;

static bool counts(const mc_cred_facts *f, const filter *fl)
{
	return f && f->valid && (fl->min_level == 0 || f->eqf >= fl->min_level) &&
	       (fl->since == 0 || (f->issued && f->issued >= fl->since));
}

static void note(ev *e, bool report, const node *nd, const char *fmt, ...) MC__PRINTF(4, 5);
static void note(ev *e, bool report, const node *nd, const char *fmt, ...)
{
	if (!report || !e->rep)
		return;
	char msg[MC_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (mc__report_add(e->rep, "pathway", MC_FAIL, MC_ERR_MISSING, nd->path, "%s", msg) != MC_OK)
		e->st = MC_ERR_NOMEM;
}

static void describe_filter(const filter *fl, char *out, size_t cap)
{
	char lvl[48] = "", when[48] = "";
	if (fl->min_level)
		snprintf(lvl, sizeof lvl, " at EQF level %d or higher", fl->min_level);
	if (fl->since) {
		char t[32];
		mc__time_format(fl->since, t);
		t[10] = '\0';
		snprintf(when, sizeof when, " issued since %s", t);
	}
	snprintf(out, cap, "%s%s", lvl, when);
}

static res eval(ev *e, size_t i, const filter *fl, bool report);

static res eval_item(ev *e, const node *nd, const filter *fl, bool report)
{
	for (size_t k = 0; k < e->n; k++)
		if (counts(e->c[k], fl) && e->c[k]->achievement && strcmp(e->c[k]->achievement, nd->text) == 0) {
			if (e->used)
				e->used[k] = 1;
			return (res){true, 1.0};
		}
	char f[128];
	describe_filter(fl, f, sizeof f);
	note(e, report, nd, "Missing: a valid credential of %s%s.", nd->text, f);
	return (res){false, 0.0};
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x < y) - (x > y);
}

static res eval_any(ev *e, const node *nd, const filter *fl, bool report)
{
	size_t done = 0;
	/* small lists on the stack (the common case, and the fast path) */
	double small[32], *prog = nd->nkids <= 32 ? small : malloc(nd->nkids * sizeof *prog);
	if (!prog) {
		e->st = MC_ERR_NOMEM;
		return (res){false, 0.0};
	}
	for (size_t k = 0; k < nd->nkids; k++) {
		res r = eval(e, nd->kids[k], fl, false);
		done += r.ok;
		prog[k] = r.progress;
	}
	double sum = 0;
	if ((int64_t)done < nd->n) {
		qsort(prog, nd->nkids, sizeof *prog, cmp_desc);
		for (int64_t k = 0; k < nd->n; k++)
			sum += prog[k];
	}
	if (prog != small)
		free(prog);
	if ((int64_t)done >= nd->n)
		return (res){true, 1.0};
	note(e, report, nd, "%zu of the %lld required items done: %lld more needed from this list.", done,
	     (long long)nd->n, (long long)(nd->n - (int64_t)done));
	return (res){false, sum / (double)nd->n};
}

static res eval_ects(ev *e, const node *nd, const filter *fl, bool report)
{
	double sum = 0;
	for (size_t k = 0; k < e->n; k++) {
		const mc_cred_facts *f = e->c[k];
		if (!counts(f, fl) || !f->achievement || f->ects <= 0)
			continue;
		bool in = nd->nkids == 0;
		for (size_t j = 0; !in && j < nd->nkids; j++)
			in = strcmp(e->p->nodes[nd->kids[j]].text, f->achievement) == 0;
		/* the same achievement counts once, however many copies */
		bool seen = false;
		for (size_t j = 0; in && !seen && j < k; j++)
			seen = counts(e->c[j], fl) && e->c[j]->achievement && strcmp(e->c[j]->achievement, f->achievement) == 0;
		if (!in || seen)
			continue;
		sum += f->ects;
		if (e->used)
			e->used[k] = 1;
	}
	if (sum + 1e-9 >= nd->min)
		return (res){true, 1.0};
	char f[128];
	describe_filter(fl, f, sizeof f);
	note(e, report, nd, "%g of the %g ECTS required%s%s: %g more needed.", sum, nd->min,
	     nd->nkids ? " from the listed credentials" : "", f, nd->min - sum);
	return (res){false, sum / nd->min};
}

static res eval(ev *e, size_t i, const filter *fl, bool report)
{
	const node *nd = &e->p->nodes[i];
	switch (nd->kind) {
	case N_ITEM: return eval_item(e, nd, fl, report);
	case N_ALL:
	case N_AND: {
		bool ok = true;
		double sum = 0;
		for (size_t k = 0; k < nd->nkids; k++) {
			res r = eval(e, nd->kids[k], fl, report);
			ok = ok && r.ok;
			sum += r.progress;
		}
		return (res){ok, ok ? 1.0 : sum / (double)nd->nkids};
	}
	case N_OR: {
		double best = 0;
		for (size_t k = 0; k < nd->nkids; k++) {
			res r = eval(e, nd->kids[k], fl, false);
			if (r.ok)
				return (res){true, 1.0};
			best = r.progress > best ? r.progress : best;
		}
		note(e, report, nd, "None of the %zu alternatives is complete yet.", nd->nkids);
		return (res){false, best};
	}
	case N_ANY: return eval_any(e, nd, fl, report);
	case N_ECTS: return eval_ects(e, nd, fl, report);
	case N_LEVEL:
	case N_WITHIN: {
		filter f2 = *fl;
		if (nd->kind == N_LEVEL) {
			f2.min_level = nd->n > f2.min_level ? (int)nd->n : f2.min_level;
		} else {
			int64_t since = e->now - nd->n * 31557600; /* Julian years */
			f2.since = since > f2.since ? since : f2.since;
		}
		if (nd->target != NONE)
			return eval(e, nd->target, &f2, report);
		for (size_t k = 0; k < e->n; k++)
			if (counts(e->c[k], &f2)) {
				if (e->used)
					e->used[k] = 1;
				return (res){true, 1.0};
			}
		char d[128];
		describe_filter(&f2, d, sizeof d);
		note(e, report, nd, "Missing: any valid credential%s.", d);
		return (res){false, 0.0};
	}
	case N_REF: return eval(e, nd->target, fl, report);
	}
	return (res){false, 0.0};
}

void mc_pathway_result_clear(mc_pathway_result *r)
{
	if (!r)
		return;
	free(r->used);
	mc_report_free(r->missing);
	memset(r, 0, sizeof *r);
}

mc_status mc_pathway_eval(const mc_pathway *p, const mc_cred_facts *const *creds, size_t n, int64_t now, int details,
                          mc_pathway_result *res_out, mc_err *err)
{
	if (!res_out)
		return mc__fail(err, MC_ERR_ARG, "res", "res is NULL");
	memset(res_out, 0, sizeof *res_out);
	if (!p || (!creds && n))
		return mc__fail(err, MC_ERR_ARG, !p ? "p" : "creds", "argument is NULL");
	if (n > MC_PATHWAY_MAX_CREDENTIALS)
		return mc__fail(err, MC_ERR_TOO_LARGE, "n", "more than %u credentials", MC_PATHWAY_MAX_CREDENTIALS);
	ev e = {.p = p, .c = creds, .n = n, .now = now ? now : mc__time_now()};
	if (details) {
		e.used = calloc(n ? n : 1, 1);
		e.rep = mc__report_new();
		if (!e.used || !e.rep) {
			free(e.used);
			mc_report_free(e.rep);
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
		for (size_t k = 0; k < n; k++)
			if (creds[k] && !creds[k]->valid &&
			    mc__report_add(e.rep, "pathway", MC_WARN, MC_ERR_INVALID, "",
			                   "Credential %s was not counted: %s", creds[k]->credential_id ? creds[k]->credential_id : creds[k]->digest,
			                   creds[k]->problem[0] ? creds[k]->problem : "it did not verify.") != MC_OK)
				e.st = MC_ERR_NOMEM;
	}
	filter fl = {0, 0};
	res r = eval(&e, p->root, &fl, true);
	if (e.st != MC_OK) {
		free(e.used);
		mc_report_free(e.rep);
		return mc__fail(err, e.st, NULL, "out of memory");
	}
	res_out->done = r.ok;
	res_out->progress = r.ok ? 1.0 : r.progress;
	if (details) {
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			m += e.used[k];
		res_out->used = calloc(m ? m : 1, sizeof *res_out->used);
		if (!res_out->used) {
			free(e.used);
			mc_report_free(e.rep);
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		}
		for (size_t k = 0; k < n; k++)
			if (e.used[k])
				res_out->used[res_out->n_used++] = k;
		free(e.used);
		res_out->missing = e.rep;
	}
	return MC_OK;
}

mc_status mc_pathway_result_json(const mc_pathway *p, const mc_pathway_result *r, const mc_cred_facts *const *creds,
                                 size_t n, char **out, mc_err *err)
{
	if (!p || !r || !out)
		return mc__fail(err, MC_ERR_ARG, !p ? "p" : !r ? "r" : "out", "argument is NULL");
	*out = NULL;
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "pathway", p->id) && cJSON_AddStringToObject(o, "title", p->title) &&
	          cJSON_AddBoolToObject(o, "done", r->done) &&
	          cJSON_AddNumberToObject(o, "progress", (double)(long)(r->progress * 1000 + 0.5) / 1000.0);
	cJSON *used = ok ? cJSON_AddArrayToObject(o, "used") : NULL, *miss = used ? cJSON_AddArrayToObject(o, "missing") : NULL,
	      *nc = miss ? cJSON_AddArrayToObject(o, "notCounted") : NULL;
	ok = ok && nc;
	for (size_t i = 0; ok && i < r->n_used; i++) {
		size_t k = r->used[i];
		const mc_cred_facts *f = k < n ? creds[k] : NULL;
		const char *id = f ? (f->credential_id ? f->credential_id : f->digest) : "";
		ok = cJSON_AddItemToArray(used, cJSON_CreateString(id));
	}
	for (size_t i = 0; ok && r->missing && i < mc_report_count(r->missing); i++) {
		const mc_finding *f = mc_report_get(r->missing, i);
		cJSON *x = cJSON_CreateObject();
		ok = x && cJSON_AddItemToArray(f->result == MC_FAIL ? miss : nc, x) &&
		     (f->result != MC_FAIL || cJSON_AddStringToObject(x, "path", f->path)) &&
		     cJSON_AddStringToObject(x, "message", f->message);
	}
	if (ok)
		*out = mc__json_print(o, 1);
	cJSON_Delete(o);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}
