/*
 * dataset.c - RDF datasets: term checks, interning of canonical term text,
 * the quad set, and the public mc_rdf_dataset_* API.
 *
 * Hash tables use SipHash-1-3 under a per-process random key: term text is
 * attacker-controlled, and a fixed hash would let crafted IRIs collide into
 * quadratic interning. SipHash-1-3 (the variant Rust's HashMap uses against
 * the same attack) takes half the rounds of libsodium's SipHash-2-4, and
 * every term of every conversion is hashed. The quad set hashes the
 * four keyed term hashes together. Table order never reaches
 * any output, so the key does not affect results.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "rdf/rdf_internal.h"

static const char XSD_STRING[] = "http://www.w3.org/2001/XMLSchema#string";
static const char RDF_LANGSTRING[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/* ---- keyed hash ------------------------------------------------------ */

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static uint64_t hash_k0, hash_k1;

static void key_init(void)
{
	uint64_t k[2];
	randombytes_buf(k, sizeof k);
	hash_k0 = k[0];
	hash_k1 = k[1];
}

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                                 \
	do {                                                                                                         \
		v0 += v1, v1 = ROTL64(v1, 13), v1 ^= v0, v0 = ROTL64(v0, 32);                                            \
		v2 += v3, v3 = ROTL64(v3, 16), v3 ^= v2;                                                                 \
		v0 += v3, v3 = ROTL64(v3, 21), v3 ^= v0;                                                                 \
		v2 += v1, v1 = ROTL64(v1, 17), v1 ^= v2, v2 = ROTL64(v2, 32);                                            \
	} while (0)

/* SipHash-1-3 of p under the process key (words in host byte order: the
 * value only places entries in tables, it never reaches any output). */
static uint32_t khash(const void *p, size_t n)
{
	const unsigned char *in = p;
	uint64_t v0 = 0x736f6d6570736575ull ^ hash_k0, v1 = 0x646f72616e646f6dull ^ hash_k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ hash_k0, v3 = 0x7465646279746573ull ^ hash_k1;
	uint64_t m;
	size_t left = n;
	for (; left >= 8; in += 8, left -= 8) {
		memcpy(&m, in, 8);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t b = (uint64_t)n << 56;
	for (size_t i = 0; i < left; i++)
		b |= (uint64_t)in[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	uint64_t h = v0 ^ v1 ^ v2 ^ v3;
	return (uint32_t)(h ^ (h >> 32));
}

/* ---- UTF-8 ------------------------------------------------------------ */

size_t mc__utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	unsigned c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

void mc__utf8_put(mc__buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	mc__buf_add(b, u, n);
}

/* ---- term checks ------------------------------------------------------ */

const char *mc__rdf_check_utf8(const char *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)v, *end = p + n;
	while (p < end) {
		uint64_t w;
		if (end - p >= 8 && (memcpy(&w, p, 8), !(w & 0x8080808080808080ull))) {
			p += 8; /* eight ASCII bytes */
			continue;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		uint32_t cp;
		size_t k = mc__utf8_decode(p, end, &cp);
		if (!k)
			return "invalid UTF-8";
		p += k;
	}
	return NULL;
}

const char *mc__rdf_check_scheme(const char *v, size_t n)
{
	/* absolute: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	size_t i = 0;
	while (i < n && v[i] != ':') {
		unsigned char c = (unsigned char)v[i];
		int alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
		if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			return "IRI is not absolute (no scheme)";
		i++;
	}
	if (i == 0 || i == n)
		return "IRI is not absolute (no scheme)";
	return NULL;
}

const char *mc__rdf_check_iri(const char *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)v, *end = p + n;
	while (p < end) {
		if (*p < 0x80) {
			if (mc__rdf_iri_bad(*p))
				return "IRI contains a character N-Quads forbids (space, control, or one of <>\"{}|^`\\)";
			p++;
			continue;
		}
		uint32_t cp;
		size_t k = mc__utf8_decode(p, end, &cp);
		if (!k)
			return "IRI is not valid UTF-8";
		p += k;
	}
	return mc__rdf_check_scheme(v, n);
}

static int pn_chars_base(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
	       (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
	       (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
	       (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
	       (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

int mc__rdf_pn_chars_u(uint32_t c)
{
	return pn_chars_base(c) || c == '_' || c == ':';
}

int mc__rdf_pn_chars(uint32_t c)
{
	return mc__rdf_pn_chars_u(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
	       (c >= 0x203F && c <= 0x2040);
}

const char *mc__rdf_check_label(const char *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)v, *end = p + n;
	if (n == 0)
		return "blank node label is empty";
	uint32_t cp = 0;
	for (size_t i = 0; p < end; i++) {
		size_t k = mc__utf8_decode(p, end, &cp);
		if (!k)
			return "blank node label is not valid UTF-8";
		int ok = i == 0 ? (mc__rdf_pn_chars_u(cp) || (cp >= '0' && cp <= '9')) : (mc__rdf_pn_chars(cp) || cp == '.');
		if (!ok)
			return "blank node label has a character BLANK_NODE_LABEL does not allow";
		p += k;
	}
	if (cp == '.')
		return "blank node label ends with '.'";
	return NULL;
}

const char *mc__rdf_check_lang(const char *v, size_t n)
{
	size_t i = 0, sub = 0;
	for (;;) {
		size_t start = i;
		while (i < n) {
			unsigned char c = (unsigned char)v[i];
			int alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
			if (!(alpha || (sub > 0 && c >= '0' && c <= '9')))
				break;
			i++;
		}
		if (i == start)
			return sub == 0 ? "language tag must start with a letter" : "language tag has an empty subtag";
		if (i - start > 8)
			return "language tag has a subtag longer than 8 characters";
		if (i == n)
			return NULL;
		if (v[i] != '-')
			return "language tag has a character other than letters, digits and '-'";
		i++;
		sub++;
	}
}

const char *mc__rdf_check_literal(const char *dt, size_t dtn, const char *lang)
{
	if (dt && dtn == sizeof RDF_LANGSTRING - 1 && memcmp(dt, RDF_LANGSTRING, dtn) == 0 && !lang)
		return "rdf:langString literal without a language tag";
	if (dt && lang && !(dtn == sizeof RDF_LANGSTRING - 1 && memcmp(dt, RDF_LANGSTRING, dtn) == 0))
		return "literal has both a language tag and a datatype other than rdf:langString";
	return NULL;
}

/* ---- interning -------------------------------------------------------- */

/* Make room for need elements of size elem in *v (capacity *cap, doubled
 * as needed). Returns the possibly moved array, or NULL (leaving *v and
 * *cap untouched) when memory runs out. */
static void *grow_array(void *v, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return v;
	uint64_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	if (nc > UINT32_MAX || nc > SIZE_MAX / elem)
		return NULL;
	void *n = realloc(v, (size_t)nc * elem);
	if (n)
		*cap = (uint32_t)nc;
	return n;
}

static mc_status term_table_grow(mc_rdf_dataset *ds)
{
	uint32_t nc = ds->tcap ? ds->tcap * 2 : 64;
	uint32_t *s = calloc(nc, sizeof *s);
	if (!s)
		return MC_ERR_NOMEM;
	for (uint32_t i = 1; i < ds->nterms; i++) {
		uint32_t j = ds->terms[i].hash & (nc - 1);
		while (s[j])
			j = (j + 1) & (nc - 1);
		s[j] = i + 1;
	}
	free(ds->tslot);
	ds->tslot = s;
	ds->tcap = nc;
	return MC_OK;
}

/* The candidate text is ds->text.data[start .. text.len). Find it or keep it
 * as a new term; a found duplicate is dropped from the buffer again. hp:
 * the term's hash when the caller has it (IRIs: of the IRI without its
 * angle brackets), else NULL (of the whole text). Equal texts are of one
 * kind, and every term of a kind is hashed the same way. */
static mc_status intern_tail(mc_rdf_dataset *ds, size_t start, uint32_t kind, const uint32_t *hp, uint32_t *id)
{
	mc__buf *t = &ds->text;
	if (t->status != MC_OK) {
		mc_status st = t->status;
		t->status = MC_OK;
		t->len = start;
		if (t->data)
			t->data[start] = '\0';
		return st;
	}
	const char *s = t->data + start;
	size_t n = t->len - start;
	uint32_t h = hp ? *hp : khash(s, n);
	for (uint32_t j = h & (ds->tcap - 1);; j = (j + 1) & (ds->tcap - 1)) {
		uint32_t e = ds->tslot[j];
		if (!e)
			break;
		const mc__rdf_term *tm = &ds->terms[e - 1];
		if (tm->hash == h && tm->len == n && memcmp(t->data + tm->off, s, n) == 0) {
			t->len = start;
			t->data[start] = '\0';
			*id = e - 1;
			return MC_OK;
		}
	}
	mc_status st = MC_OK;
	if (kind == MC_RDF_BLANK && ds->nblank >= MC_RDF_MAX_BLANK_NODES)
		st = MC_ERR_TOO_LARGE;
	if (st == MC_OK) {
		mc__rdf_term *nt = grow_array(ds->terms, &ds->cterms, ds->nterms + 1, sizeof *ds->terms);
		if (nt)
			ds->terms = nt;
		else
			st = MC_ERR_NOMEM;
	}
	if (st == MC_OK && (size_t)(ds->nterms + 1) * 2 > ds->tcap)
		st = term_table_grow(ds);
	if (st != MC_OK) {
		t->len = start;
		t->data[start] = '\0';
		return st;
	}
	uint32_t i = ds->nterms++;
	ds->terms[i] = (mc__rdf_term){.off = (uint32_t)start, .len = (uint32_t)n, .hash = h, .kind = kind};
	uint32_t j = h & (ds->tcap - 1);
	while (ds->tslot[j])
		j = (j + 1) & (ds->tcap - 1);
	ds->tslot[j] = i + 1;
	if (kind == MC_RDF_BLANK)
		ds->nblank++;
	*id = i;
	return MC_OK;
}

uint32_t mc__rdf_iri_hash(const char *v, size_t n)
{
	pthread_once(&key_once, key_init);
	return khash(v, n);
}

mc_status mc__rdf_term_iri_hashed(mc_rdf_dataset *ds, const char *v, size_t n, uint32_t h, uint32_t *id)
{
	size_t start = ds->text.len;
	char *o = n < SIZE_MAX - 2 ? mc__buf_room(&ds->text, n + 2) : NULL;
	if (o) {
		o[0] = '<';
		memcpy(o + 1, v, n);
		o[n + 1] = '>';
		o[n + 2] = '\0';
		ds->text.len += n + 2;
	} else if (ds->text.status == MC_OK) {
		ds->text.status = MC_ERR_TOO_LARGE;
	}
	return intern_tail(ds, start, MC_RDF_IRI, &h, id);
}

mc_status mc__rdf_term_iri(mc_rdf_dataset *ds, const char *v, size_t n, uint32_t *id)
{
	return mc__rdf_term_iri_hashed(ds, v, n, khash(v, n), id);
}

mc_status mc__rdf_term_blank(mc_rdf_dataset *ds, const char *v, size_t n, uint32_t *id)
{
	size_t start = ds->text.len;
	mc__buf_add(&ds->text, "_:", 2);
	mc__buf_add(&ds->text, v, n);
	return intern_tail(ds, start, MC_RDF_BLANK, NULL, id);
}

/* Canonical N-Quads string escaping (RDFC-1.0 / RDF 1.2 N-Triples canonical
 * form): " \ LF CR BS HT FF as ECHAR, other U+0000..U+001F and U+007F as
 * \u00XX with upper-case hex, everything else as UTF-8. ESC[c]: the length
 * of byte c escaped, 0 when it stands for itself. */
static const unsigned char ESC[256] = {
    6, 6, 6, 6, 6, 6, 6, 6, 2, 2, 2, 6, 2, 2, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6,
    /* 0x80..0xFF: 0 */
};

/* Write v escaped at o (room for escaped_len bytes); returns the end. */
static char *put_escaped(char *o, const char *v, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!ESC[c]) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\b': *o++ = 'b'; break;
		case '\t': *o++ = 't'; break;
		case '\f': *o++ = 'f'; break;
		default:
			o[0] = 'u', o[1] = '0', o[2] = '0', o[3] = hx[c >> 4], o[4] = hx[c & 15];
			o += 5;
		}
	}
	return o;
}

mc_status mc__rdf_term_literal(mc_rdf_dataset *ds, const char *v, size_t n, const char *dt, size_t dtn,
                               const char *lang, size_t langn, uint32_t *id)
{
	size_t start = ds->text.len;
	mc__buf *t = &ds->text;
	/* the exact length first, so the term is written in one go */
	size_t esc = 0, total;
	for (size_t i = 0; i < n; i++)
		esc += ESC[(unsigned char)v[i]] ? ESC[(unsigned char)v[i]] - 1u : 0u;
	bool typed = !lang && dt && !(dtn == sizeof XSD_STRING - 1 && memcmp(dt, XSD_STRING, dtn) == 0);
	/* every part is below MC_RDF_MAX_TEXT_BYTES (checked by the callers),
	 * escaping at most sextuples it: no overflow */
	total = 2 + n + esc + (lang ? 1 + langn : 0) + (typed ? 4 + dtn : 0);
	char *o = mc__buf_room(t, total);
	if (o) {
		*o++ = '"';
		if (esc) {
			o = put_escaped(o, v, n);
		} else {
			memcpy(o, v, n);
			o += n;
		}
		*o++ = '"';
		if (lang) {
			*o++ = '@';
			memcpy(o, lang, langn);
			o += langn;
		} else if (typed) {
			memcpy(o, "^^<", 3);
			memcpy(o + 3, dt, dtn);
			o[3 + dtn] = '>';
			o += 4 + dtn;
		}
		*o = '\0';
		t->len += total;
	}
	return intern_tail(ds, start, MC_RDF_LITERAL, NULL, id);
}

/* ---- quads -------------------------------------------------------------- */

/* Mixed from the keyed hashes of the four terms (already computed when
 * they were interned), in a position-dependent way: as unpredictable as the
 * term hashes, at a fraction of a SipHash call per quad. */
static uint32_t quad_hash(const mc_rdf_dataset *ds, const uint32_t q[4])
{
	uint64_t h = 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < 4; i++) {
		h = (h ^ ds->terms[q[i]].hash) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static mc_status quad_table_grow(mc_rdf_dataset *ds)
{
	uint32_t nc = ds->qcap ? ds->qcap * 2 : 64;
	uint32_t *s = calloc(nc, sizeof *s);
	if (!s)
		return MC_ERR_NOMEM;
	for (uint32_t i = 0; i < ds->nquads; i++) {
		uint32_t j = quad_hash(ds, &ds->quads[4 * (size_t)i]) & (nc - 1);
		while (s[j])
			j = (j + 1) & (nc - 1);
		s[j] = i + 1;
	}
	free(ds->qslot);
	ds->qslot = s;
	ds->qcap = nc;
	return MC_OK;
}

mc_status mc__rdf_add_quad(mc_rdf_dataset *ds, const uint32_t q[4])
{
	if ((size_t)(ds->nquads + 1) * 2 > ds->qcap) {
		mc_status st = quad_table_grow(ds);
		if (st != MC_OK)
			return st;
	}
	uint32_t j = quad_hash(ds, q) & (ds->qcap - 1);
	for (;; j = (j + 1) & (ds->qcap - 1)) {
		uint32_t e = ds->qslot[j];
		if (!e)
			break;
		if (memcmp(&ds->quads[4 * (size_t)(e - 1)], q, 4 * sizeof(uint32_t)) == 0)
			return MC_OK; /* a set: already there */
	}
	if (ds->nquads >= MC_RDF_MAX_QUADS)
		return MC_ERR_TOO_LARGE;
	uint32_t *nq = grow_array(ds->quads, &ds->cquads, ds->nquads + 1, 4 * sizeof(uint32_t));
	if (!nq)
		return MC_ERR_NOMEM;
	ds->quads = nq;
	memcpy(&ds->quads[4 * (size_t)ds->nquads], q, 4 * sizeof(uint32_t));
	ds->qslot[j] = ++ds->nquads;
	return MC_OK;
}

/* ---- sorting ------------------------------------------------------------ */

static void msort(uint32_t *v, uint32_t *tmp, size_t n, int (*cmp)(const void *, uint32_t, uint32_t),
                  const void *ctx)
{
	if (n < 2)
		return;
	if (n <= 8) { /* insertion sort: stable, cheap for the short lists RDFC mostly sorts */
		for (size_t i = 1; i < n; i++) {
			uint32_t x = v[i];
			size_t j = i;
			while (j > 0 && cmp(ctx, v[j - 1], x) > 0) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	msort(v, tmp, h, cmp, ctx);
	msort(v + h, tmp, n - h, cmp, ctx);
	if (cmp(ctx, v[h - 1], v[h]) <= 0)
		return;
	memcpy(tmp, v, h * sizeof *v);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		v[k++] = cmp(ctx, tmp[i], v[j]) <= 0 ? tmp[i++] : v[j++];
	while (i < h)
		v[k++] = tmp[i++];
}

void mc__rdf_sort(uint32_t *v, uint32_t *tmp, size_t n, int (*cmp)(const void *ctx, uint32_t a, uint32_t b),
                  const void *ctx)
{
	msort(v, tmp, n, cmp, ctx);
}

/* ---- public API ------------------------------------------------------- */

mc_status mc_rdf_dataset_new(mc_rdf_dataset **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	pthread_once(&key_once, key_init);
	mc_rdf_dataset *ds = calloc(1, sizeof *ds);
	if (!ds)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory creating a dataset");
	mc__buf_init(&ds->text, MC_RDF_MAX_TEXT_BYTES);
	/* term 0: the default graph, empty text */
	ds->terms = grow_array(NULL, &ds->cterms, 1, sizeof *ds->terms);
	if (!ds->terms || term_table_grow(ds) != MC_OK) {
		mc_rdf_dataset_free(ds);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory creating a dataset");
	}
	ds->terms[0] = (mc__rdf_term){.off = 0, .len = 0, .hash = 0, .kind = MC_RDF_DEFAULT_GRAPH};
	ds->nterms = 1;
	*out = ds;
	return MC_OK;
}

void mc_rdf_dataset_free(mc_rdf_dataset *ds)
{
	if (!ds)
		return;
	mc__buf_release(&ds->text);
	free(ds->terms);
	free(ds->tslot);
	free(ds->quads);
	free(ds->qslot);
	free(ds);
}

size_t mc_rdf_dataset_size(const mc_rdf_dataset *ds)
{
	return ds ? ds->nquads : 0;
}

/* Check one API term for its position; on success store the resolved value
 * length in *vlen. */
static mc_status check_term(const mc_rdf_term *t, const char *pos, int allow_blank, int allow_literal,
                            int allow_default, size_t *vlen, mc_err *err)
{
	if (t->kind == MC_RDF_DEFAULT_GRAPH && allow_default)
		return MC_OK;
	if (!(t->kind == MC_RDF_IRI || (t->kind == MC_RDF_BLANK && allow_blank) ||
	      (t->kind == MC_RDF_LITERAL && allow_literal)))
		return mc__fail(err, MC_ERR_ARG, pos, "%s cannot be of kind %d", pos, (int)t->kind);
	if (!t->value)
		return mc__fail(err, MC_ERR_ARG, pos, "%s value is NULL", pos);
	size_t n = t->len == MC_RDF_NTS ? strlen(t->value) : t->len;
	if (n > MC_RDF_MAX_TEXT_BYTES)
		return mc__fail(err, MC_ERR_TOO_LARGE, pos, "%s is longer than MC_RDF_MAX_TEXT_BYTES", pos);
	const char *why = NULL;
	if (t->kind == MC_RDF_IRI)
		why = mc__rdf_check_iri(t->value, n);
	else if (t->kind == MC_RDF_BLANK)
		why = mc__rdf_check_label(t->value, n);
	else {
		why = mc__rdf_check_utf8(t->value, n);
		if (!why && t->datatype)
			why = mc__rdf_check_iri(t->datatype, strlen(t->datatype));
		if (!why && t->language)
			why = mc__rdf_check_lang(t->language, strlen(t->language));
		if (!why)
			why = mc__rdf_check_literal(t->datatype, t->datatype ? strlen(t->datatype) : 0, t->language);
	}
	if (why)
		return mc__fail(err, MC_ERR_VALUE, pos, "%s: %s", pos, why);
	*vlen = n;
	return MC_OK;
}

static mc_status intern_term(mc_rdf_dataset *ds, const mc_rdf_term *t, size_t n, uint32_t *id)
{
	switch (t->kind) {
	case MC_RDF_DEFAULT_GRAPH:
		*id = MC__RDF_DEFAULT;
		return MC_OK;
	case MC_RDF_IRI:
		return mc__rdf_term_iri(ds, t->value, n, id);
	case MC_RDF_BLANK:
		return mc__rdf_term_blank(ds, t->value, n, id);
	case MC_RDF_LITERAL:
		return mc__rdf_term_literal(ds, t->value, n, t->datatype, t->datatype ? strlen(t->datatype) : 0,
		                            t->language, t->language ? strlen(t->language) : 0, id);
	}
	return MC_ERR_INTERNAL;
}

mc_status mc_rdf_dataset_add(mc_rdf_dataset *ds, const mc_rdf_term *s, const mc_rdf_term *p,
                             const mc_rdf_term *o, const mc_rdf_term *g, mc_err *err)
{
	if (!ds || !s || !p || !o)
		return mc__fail(err, MC_ERR_ARG, !ds ? "ds" : !s ? "subject" : !p ? "predicate" : "object",
		                "argument is NULL");
	static const mc_rdf_term dflt = {.kind = MC_RDF_DEFAULT_GRAPH};
	const mc_rdf_term *t[4] = {s, p, o, g ? g : &dflt};
	static const char *pos[4] = {"subject", "predicate", "object", "graph"};
	size_t n[4] = {0, 0, 0, 0};
	mc_status st;
	if ((st = check_term(s, pos[0], 1, 0, 0, &n[0], err)) != MC_OK ||
	    (st = check_term(p, pos[1], 0, 0, 0, &n[1], err)) != MC_OK ||
	    (st = check_term(o, pos[2], 1, 1, 0, &n[2], err)) != MC_OK ||
	    (st = check_term(t[3], pos[3], 1, 0, 1, &n[3], err)) != MC_OK)
		return st;
	uint32_t q[4];
	for (int i = 0; i < 4; i++) {
		st = intern_term(ds, t[i], n[i], &q[i]);
		if (st != MC_OK)
			return mc__fail(err, st, pos[i], "%s: %s", pos[i],
			                st == MC_ERR_TOO_LARGE ? "dataset exceeds MC_RDF_MAX_TEXT_BYTES or "
			                                         "MC_RDF_MAX_BLANK_NODES"
			                                       : mc_strerror(st));
	}
	st = mc__rdf_add_quad(ds, q);
	if (st != MC_OK)
		return mc__fail(err, st, "", "%s",
		                st == MC_ERR_TOO_LARGE ? "dataset exceeds MC_RDF_MAX_QUADS quads" : mc_strerror(st));
	return MC_OK;
}

