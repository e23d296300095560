/*
 * util.c - the JSON-LD modules' small tools: a bump pool (everything of one
 * call is freed at once, so error paths cannot leak), string-keyed hash
 * maps for term lookup, keyword and IRI predicates, and RFC 3986 reference
 * resolution.
 */
#include <ctype.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "jsonld/jsonld_internal.h"

/* Pool chunks: a context with 100 terms takes about 20 KB. */
#define JL_CHUNK_MIN (32u * 1024u)
/* Ceiling on one call's pool: contexts and IRIs of a document at the JSON
 * ceiling fit many times over; a hostile context cannot take more. */
#define JL_POOL_MAX (256u * 1024u * 1024u)

struct jl_chunk {
	jl_chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

void *mc__jl_alloc(jl_pool *p, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n > JL_POOL_MAX)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	jl_chunk *c = p->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = c ? c->cap * 2 : JL_CHUNK_MIN;
		if (cap > 1024u * 1024u)
			cap = 1024u * 1024u;
		if (cap < n)
			cap = n;
		if (p->total + cap > JL_POOL_MAX)
			return NULL;
		jl_chunk *nc = malloc(sizeof *nc + cap);
		if (!nc)
			return NULL;
		nc->next = c;
		nc->used = 0;
		nc->cap = cap;
		p->head = c = nc;
		p->total += cap;
	}
	void *r = c->data + c->used;
	c->used += n;
	return r;
}

char *mc__jl_strndup(jl_pool *p, const char *s, size_t n)
{
	char *r = mc__jl_alloc(p, n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

char *mc__jl_strdup(jl_pool *p, const char *s)
{
	return mc__jl_strndup(p, s, strlen(s));
}

char *mc__jl_concat(jl_pool *p, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *r = mc__jl_alloc(p, na + nb + 1);
	if (r) {
		memcpy(r, a, na);
		memcpy(r + na, b, nb + 1);
	}
	return r;
}

char *mc__jl_lower(jl_pool *p, const char *s)
{
	char *r = mc__jl_strdup(p, s);
	if (r)
		for (char *q = r; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	return r;
}

bool mc__jl_pool_owns(const jl_pool *p, const void *ptr)
{
	const unsigned char *q = ptr;
	for (const jl_chunk *c = p->head; c; c = c->next)
		if (q >= c->data && q < c->data + c->used)
			return true;
	return false;
}

void mc__jl_pool_free(jl_pool *p)
{
	while (p->head) {
		jl_chunk *c = p->head;
		p->head = c->next;
		free(c);
	}
	p->total = 0;
}

/* ---- Map ---------------------------------------------------------------- */

/* Keys are mostly long IRIs sharing long prefixes: mix 8 bytes at a time
 * (a byte-wise FNV-1a was a tenth of a whole conversion). */
static size_t hash_str(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (size_t)h;
}

void *mc__jl_map_get(const jl_map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1, h = hash_str(key);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const jl_slot *sl = &m->slots[i];
		if (!sl->key)
			return NULL;
		if (sl->hash == h && strcmp(sl->key, key) == 0)
			return sl->val;
	}
}

static void map_insert(jl_slot *slots, size_t cap, const char *key, size_t h, void *val, size_t *count)
{
	size_t mask = cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		if (!slots[i].key) {
			slots[i].key = key;
			slots[i].val = val;
			slots[i].hash = h;
			(*count)++;
			return;
		}
		if (slots[i].hash == h && strcmp(slots[i].key, key) == 0) {
			slots[i].val = val;
			return;
		}
	}
}

bool mc__jl_map_put(jl_pool *p, jl_map *m, const char *key, void *val)
{
	if ((m->count + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		jl_slot *ns = mc__jl_alloc(p, cap * sizeof *ns);
		if (!ns)
			return false;
		memset(ns, 0, cap * sizeof *ns);
		size_t count = 0;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key && m->slots[i].val)
				map_insert(ns, cap, m->slots[i].key, m->slots[i].hash, m->slots[i].val, &count);
		m->slots = ns; /* the old array stays in the pool until the call ends */
		m->cap = cap;
		m->count = count;
	}
	map_insert(m->slots, m->cap, key, hash_str(key), val, &m->count);
	return true;
}

bool mc__jl_map_copy(jl_pool *p, jl_map *dst, const jl_map *src)
{
	*dst = *src;
	if (!src->cap)
		return true;
	dst->slots = mc__jl_alloc(p, src->cap * sizeof *dst->slots);
	if (!dst->slots)
		return false;
	memcpy(dst->slots, src->slots, src->cap * sizeof *dst->slots);
	return true;
}

/* ---- Keywords and IRIs -------------------------------------------------- */

/* Called for every key and IRI: dispatch on the first letter, then compare
 * the rest with the few keywords that share it. */
bool mc__jl_is_keyword(const char *s)
{
	if (!s || s[0] != '@')
		return false;
	const char *r = s + 2;
	switch (s[1]) {
	case 'b':
		return strcmp(r, "ase") == 0;
	case 'c':
		return strcmp(r, "ontainer") == 0 || strcmp(r, "ontext") == 0;
	case 'd':
		return strcmp(r, "efault") == 0 || strcmp(r, "irection") == 0;
	case 'e':
		return strcmp(r, "mbed") == 0 || strcmp(r, "xplicit") == 0;
	case 'g':
		return strcmp(r, "raph") == 0;
	case 'i':
		return strcmp(r, "d") == 0 || strcmp(r, "mport") == 0 || strcmp(r, "ncluded") == 0 ||
		       strcmp(r, "ndex") == 0;
	case 'j':
		return strcmp(r, "son") == 0;
	case 'l':
		return strcmp(r, "anguage") == 0 || strcmp(r, "ist") == 0;
	case 'n':
		return strcmp(r, "est") == 0 || strcmp(r, "one") == 0;
	case 'o':
		return strcmp(r, "mitDefault") == 0;
	case 'p':
		return strcmp(r, "refix") == 0 || strcmp(r, "reserve") == 0 || strcmp(r, "ropagate") == 0 ||
		       strcmp(r, "rotected") == 0;
	case 'r':
		return strcmp(r, "equireAll") == 0 || strcmp(r, "everse") == 0;
	case 's':
		return strcmp(r, "et") == 0;
	case 't':
		return strcmp(r, "ype") == 0;
	case 'v':
		return strcmp(r, "alue") == 0 || strcmp(r, "ersion") == 0 || strcmp(r, "ocab") == 0;
	default:
		return false;
	}
}

bool mc__jl_keyword_form(const char *s)
{
	if (!s || s[0] != '@' || !s[1])
		return false;
	for (const char *q = s + 1; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
			return false;
	return true;
}

/* Length of the scheme of s, 0 if s does not start with one and ':'. */
static size_t scheme_len(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' ? i : 0;
}

/* As the reference implementation's test: a scheme, then no white space. */
bool mc__jl_is_abs_iri(const char *s)
{
	if (!s || scheme_len(s) == 0)
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
			return false;
	return true;
}

/* ---- RFC 3986 section 5.2 ------------------------------------------------ */

typedef struct uri_parts {
	const char *scheme, *auth, *path, *query, *frag;
	size_t nscheme, nauth, npath, nquery, nfrag;
	bool has_auth, has_query, has_frag;
} uri_parts;

static void uri_split(const char *s, uri_parts *u)
{
	memset(u, 0, sizeof *u);
	size_t n = scheme_len(s);
	if (n) {
		u->scheme = s;
		u->nscheme = n;
		s += n + 1;
	}
	if (s[0] == '/' && s[1] == '/') {
		s += 2;
		u->has_auth = true;
		u->auth = s;
		u->nauth = strcspn(s, "/?#");
		s += u->nauth;
	}
	u->path = s;
	u->npath = strcspn(s, "?#");
	s += u->npath;
	if (*s == '?') {
		u->has_query = true;
		u->query = ++s;
		u->nquery = strcspn(s, "#");
		s += u->nquery;
	}
	if (*s == '#') {
		u->has_frag = true;
		u->frag = s + 1;
		u->nfrag = strlen(s + 1);
	}
}

/* remove_dot_segments (5.2.4) of in[0..n) into out (at least n+1 bytes);
 * returns the output length. */
static size_t remove_dots(const char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;
	while (i < n) {
		const char *p = in + i;
		size_t r = n - i;
		if (r >= 3 && memcmp(p, "../", 3) == 0) {
			i += 3;
		} else if (r >= 2 && memcmp(p, "./", 2) == 0) {
			i += 2;
		} else if (r >= 3 && memcmp(p, "/./", 3) == 0) {
			i += 2;
		} else if (r == 2 && memcmp(p, "/.", 2) == 0) {
			i += 1;
			out[o++] = '/';
			i += 1;
		} else if ((r >= 4 && memcmp(p, "/../", 4) == 0) || (r == 3 && memcmp(p, "/..", 3) == 0)) {
			if (r == 3) {
				i += 3;
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
				out[o++] = '/';
			} else {
				i += 3;
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			}
		} else if ((r == 1 && p[0] == '.') || (r == 2 && memcmp(p, "..", 2) == 0)) {
			i = n;
		} else {
			/* move the first segment (with its leading '/', if any) */
			size_t k = (p[0] == '/') ? 1 : 0;
			while (k < r && p[k] != '/')
				k++;
			memcpy(out + o, p, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	return o;
}

char *mc__jl_resolve(jl_pool *p, const char *base, const char *ref)
{
	if (!base)
		return mc__jl_strdup(p, ref);
	uri_parts b, r;
	uri_split(base, &b);
	uri_split(ref, &r);
	if (r.nscheme) /* already absolute: only dot segments go */
		b = r;
	size_t cap = strlen(base) + strlen(ref) + 8;
	char *tmp = mc__jl_alloc(p, cap), *path = mc__jl_alloc(p, cap), *out = mc__jl_alloc(p, cap);
	if (!tmp || !path || !out)
		return NULL;
	const char *auth = b.auth, *query = NULL;
	size_t nauth = b.nauth, nquery = 0;
	bool has_auth = b.has_auth, has_query = false;
	size_t np;
	if (r.nscheme) {
		np = remove_dots(r.path, r.npath, path);
		has_query = r.has_query, query = r.query, nquery = r.nquery;
	} else if (r.has_auth) {
		has_auth = true, auth = r.auth, nauth = r.nauth;
		np = remove_dots(r.path, r.npath, path);
		has_query = r.has_query, query = r.query, nquery = r.nquery;
	} else if (r.npath == 0) {
		memcpy(path, b.path, b.npath);
		np = b.npath;
		path[np] = '\0';
		if (r.has_query)
			has_query = true, query = r.query, nquery = r.nquery;
		else
			has_query = b.has_query, query = b.query, nquery = b.nquery;
	} else {
		if (r.path[0] == '/') {
			np = remove_dots(r.path, r.npath, path);
		} else {
			size_t nt = 0;
			if (b.has_auth && b.npath == 0) {
				tmp[nt++] = '/';
			} else {
				size_t k = b.npath;
				while (k > 0 && b.path[k - 1] != '/')
					k--;
				memcpy(tmp, b.path, k);
				nt = k;
			}
			memcpy(tmp + nt, r.path, r.npath);
			nt += r.npath;
			np = remove_dots(tmp, nt, path);
		}
		has_query = r.has_query, query = r.query, nquery = r.nquery;
	}
	size_t o = 0;
	memcpy(out + o, b.scheme, b.nscheme);
	o += b.nscheme;
	if (b.nscheme)
		out[o++] = ':';
	if (has_auth) {
		out[o++] = '/', out[o++] = '/';
		memcpy(out + o, auth, nauth);
		o += nauth;
	}
	memcpy(out + o, path, np);
	o += np;
	if (has_query) {
		out[o++] = '?';
		memcpy(out + o, query, nquery);
		o += nquery;
	}
	if (r.has_frag) {
		out[o++] = '#';
		memcpy(out + o, r.frag, r.nfrag);
		o += r.nfrag;
	}
	out[o] = '\0';
	return out;
}
