/*
 * strict.c - strict JSON parsing into cJSON trees.
 *
 * cJSON is our tree type (creation, printing, lookup), but its parser is
 * lenient: it accepts "01" and "1.", treats any byte <= 0x20 as whitespace,
 * passes invalid UTF-8 and raw control characters through, truncates
 * strings at \u0000 and keeps duplicate keys. Anything we sign must mean one
 * thing only, so this file parses itself, in one pass over the bytes with an
 * explicit end and an explicit container stack (no recursion), and builds
 * the cJSON nodes as it goes: every deviation from RFC 8259 is an error
 * naming the JSON path, nothing is repaired, duplicate keys are found when
 * their object closes. Building the tree here instead of running a
 * validating scan and then cJSON's parser halves the work of a parse, which
 * sits on the verification hot path next to the Ed25519 check.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* cJSON copies a number token into a 64-byte buffer before strtod and fails
 * on longer tokens. No credential needs more than 17 significant digits, so
 * longer numbers are refused here with a clear message instead. */
#define MC__JSON_MAX_NUMBER_CHARS 63

/* One level of the scanner's container stack, used only to name the path
 * of an error. */
typedef struct frame {
	int is_obj;          /* 1 object, 0 array */
	size_t index;        /* array: index of the current element */
	const char *key;     /* object: raw (escaped) bytes of the current key */
	size_t key_len;
} frame;

typedef struct scanner {
	const unsigned char *p, *end, *start;
	int depth;
	frame st[MC_JSON_MAX_DEPTH + 1];
	mc_err *err;
	/* the tree being built: container and last child at each depth */
	cJSON *node[MC_JSON_MAX_DEPTH + 1];
	cJSON *last[MC_JSON_MAX_DEPTH + 1];
	cJSON *root;
	char *key; /* decoded key waiting for its value (owned until attached) */
} scanner;

static void path_of(const scanner *s, char *out, size_t cap)
{
	char tmp[MC_ERR_PATH_MAX];
	snprintf(out, cap, "$");
	for (int i = 1; i <= s->depth; i++) {
		const frame *f = &s->st[i];
		if (f->is_obj) {
			if (!f->key)
				break;
			char key[96];
			size_t n = f->key_len < sizeof key - 1 ? f->key_len : sizeof key - 1;
			memcpy(key, f->key, n);
			key[n] = '\0';
			mc__path_key(tmp, sizeof tmp, out, key);
		} else {
			mc__path_index(tmp, sizeof tmp, out, f->index);
		}
		snprintf(out, cap, "%s", tmp);
	}
}

static mc_status fail(scanner *s, mc_status st, const char *what)
{
	char path[MC_ERR_PATH_MAX];
	path_of(s, path, sizeof path);
	return mc__fail(s->err, st, path, "%s at byte %zu", what, (size_t)(s->p - s->start));
}

static void skip_ws(scanner *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int hex4(const unsigned char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		v = v << 4 | d;
	}
	*out = v;
	return 1;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), 0 if invalid or truncated. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F; /* U+D800..DFFF are not characters */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

/* Scan a string starting at the opening quote. */
/* 1 for bytes that need no attention inside a string: printable ASCII
 * other than '"' and '\\'. The scanner skips runs of them in a tight loop,
 * which is where nearly all of its time goes on real documents. */
static const unsigned char plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	R16(0), R16(0),                                 /* 0x00-0x1f control */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20-0x2f, '"' = 0 */
	R16(1), R16(1),                                 /* 0x30-0x4f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50-0x5f, '\\' = 0 */
	R16(1), R16(1),                                 /* 0x60-0x7f */
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0) /* UTF-8 */
#undef R16
};

static mc_status scan_string(scanner *s)
{
	const unsigned char *begin = ++s->p;
	while (s->p < s->end) {
		while (s->end - s->p >= 4 && plain[s->p[0]] && plain[s->p[1]] && plain[s->p[2]] && plain[s->p[3]])
			s->p += 4;
		while (s->p < s->end && plain[*s->p])
			s->p++;
		if (s->p >= s->end)
			break;
		unsigned c = *s->p;
		if (c == '"') {
			if ((size_t)(s->p - begin) > MC_JSON_MAX_STRING)
				return fail(s, MC_ERR_JSON_LIMIT, "string longer than MC_JSON_MAX_STRING");
			s->p++;
			return MC_OK;
		}
		if (c < 0x20)
			return fail(s, c == 0 ? MC_ERR_JSON_ENCODING : MC_ERR_JSON_ENCODING,
			            c == 0 ? "NUL byte in string" : "unescaped control character in string");
		if (c == '\\') {
			if (s->end - s->p < 2)
				return fail(s, MC_ERR_JSON_SYNTAX, "unterminated escape");
			unsigned e = s->p[1];
			if (e == 'u') {
				unsigned u, u2;
				if (s->end - s->p < 6 || !hex4(s->p + 2, &u))
					return fail(s, MC_ERR_JSON_SYNTAX, "bad \\u escape");
				if (u == 0)
					return fail(s, MC_ERR_JSON_ENCODING, "\\u0000 (NUL) in string");
				if (u >= 0xDC00 && u <= 0xDFFF)
					return fail(s, MC_ERR_JSON_ENCODING, "lone low surrogate escape");
				if (u >= 0xD800 && u <= 0xDBFF) {
					if (s->end - s->p < 12 || s->p[6] != '\\' || s->p[7] != 'u' || !hex4(s->p + 8, &u2) ||
					    u2 < 0xDC00 || u2 > 0xDFFF)
						return fail(s, MC_ERR_JSON_ENCODING, "lone high surrogate escape");
					s->p += 12;
				} else {
					s->p += 6;
				}
				continue;
			}
			if (!strchr("\"\\/bfnrt", (int)e) || e == 0)
				return fail(s, MC_ERR_JSON_SYNTAX, "invalid escape in string");
			s->p += 2;
			continue;
		}
		if (c < 0x80) {
			s->p++;
			continue;
		}
		size_t n = utf8_len(s->p, s->end);
		if (!n)
			return fail(s, MC_ERR_JSON_ENCODING, "invalid UTF-8 in string");
		s->p += n;
	}
	return fail(s, MC_ERR_JSON_SYNTAX, "unterminated string");
}

/* Decode the validated string body [b, e) (escapes resolved, surrogate
 * pairs joined) into a new cJSON_malloc buffer; NULL when out of memory.
 * The decoded form is never longer than the raw one. */
static char *decode_string(const unsigned char *b, const unsigned char *e)
{
	char *out = cJSON_malloc((size_t)(e - b) + 1), *o = out;
	if (!out)
		return NULL;
	while (b < e) {
		const unsigned char *bs = memchr(b, '\\', (size_t)(e - b));
		size_t run = bs ? (size_t)(bs - b) : (size_t)(e - b);
		memcpy(o, b, run);
		o += run;
		b += run;
		if (!bs)
			break;
		unsigned c = b[1], u, u2;
		b += 2;
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			hex4(b, &u);
			b += 4;
			if (u >= 0xD800 && u <= 0xDBFF) { /* validated: a low surrogate follows */
				hex4(b + 2, &u2);
				b += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
			}
			if (u < 0x80) {
				*o++ = (char)u;
			} else if (u < 0x800) {
				*o++ = (char)(0xC0 | u >> 6);
				*o++ = (char)(0x80 | (u & 0x3F));
			} else if (u < 0x10000) {
				*o++ = (char)(0xE0 | u >> 12);
				*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
				*o++ = (char)(0x80 | (u & 0x3F));
			} else {
				*o++ = (char)(0xF0 | u >> 18);
				*o++ = (char)(0x80 | ((u >> 12) & 0x3F));
				*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
				*o++ = (char)(0x80 | (u & 0x3F));
			}
			break;
		default: *o++ = (char)c; break; /* '"', '\\', '/' */
		}
	}
	*o = '\0';
	return out;
}

static int is_digit(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static mc_status scan_number(scanner *s)
{
	const unsigned char *b = s->p;
	if (*s->p == '-')
		s->p++;
	if (!is_digit(s->p, s->end))
		return fail(s, MC_ERR_JSON_SYNTAX, "invalid number");
	if (*s->p == '0') {
		s->p++;
		if (is_digit(s->p, s->end))
			return fail(s, MC_ERR_JSON_SYNTAX, "number with leading zero");
	} else {
		while (is_digit(s->p, s->end))
			s->p++;
	}
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!is_digit(s->p, s->end))
			return fail(s, MC_ERR_JSON_SYNTAX, "number without digits after '.'");
		while (is_digit(s->p, s->end))
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!is_digit(s->p, s->end))
			return fail(s, MC_ERR_JSON_SYNTAX, "number without exponent digits");
		while (is_digit(s->p, s->end))
			s->p++;
	}
	if (s->p - b > MC__JSON_MAX_NUMBER_CHARS) {
		s->p = b;
		return fail(s, MC_ERR_JSON_LIMIT, "number longer than 63 characters");
	}
	return MC_OK;
}

static mc_status scan_literal(scanner *s, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return fail(s, MC_ERR_JSON_SYNTAX, "unexpected character");
	s->p += n;
	return MC_OK;
}

static mc_status nomem(scanner *s)
{
	return fail(s, MC_ERR_NOMEM, "out of memory while building the JSON tree");
}

/* Link item under the current container (or make it the root), giving it
 * the pending key. cJSON keeps child->prev pointing at the last child. */
static void attach(scanner *s, cJSON *item)
{
	if (s->depth == 0) {
		s->root = item;
		return;
	}
	cJSON *parent = s->node[s->depth], *last = s->last[s->depth];
	item->string = s->key;
	s->key = NULL;
	if (!last) {
		parent->child = item;
	} else {
		last->next = item;
		item->prev = last;
	}
	parent->child->prev = item;
	s->last[s->depth] = item;
}

/* Duplicate keys of the object at the current depth, checked when it
 * closes: hashes compared pairwise for small objects, sorting for big. */
#define MC__DUP_PAIRWISE_MAX 16

static int cmp_keys(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static mc_status check_dups(scanner *s)
{
	const cJSON *obj = s->node[s->depth], *dup = NULL;
	size_t count = 0;
	for (const cJSON *c = obj->child; c; c = c->next)
		count++;
	if (count < 2)
		return MC_OK;
	if (count <= MC__DUP_PAIRWISE_MAX) {
		uint32_t h[MC__DUP_PAIRWISE_MAX];
		const cJSON *k[MC__DUP_PAIRWISE_MAX];
		size_t m = 0;
		for (const cJSON *a = obj->child; a; a = a->next, m++) {
			uint32_t x = 2166136261u; /* FNV-1a */
			for (const unsigned char *q = (const unsigned char *)a->string; *q; q++)
				x = (x ^ *q) * 16777619u;
			h[m] = x;
			k[m] = a;
		}
		for (size_t a = 0; a < m && !dup; a++)
			for (size_t b = a + 1; b < m; b++)
				if (h[a] == h[b] && strcmp(k[a]->string, k[b]->string) == 0) {
					dup = k[b];
					break;
				}
	} else {
		const cJSON **v = malloc(count * sizeof *v);
		if (!v)
			return nomem(s);
		size_t i = 0;
		for (const cJSON *c = obj->child; c; c = c->next)
			v[i++] = c;
		qsort(v, count, sizeof *v, cmp_keys);
		for (i = 1; i < count && !dup; i++)
			if (strcmp(v[i - 1]->string, v[i]->string) == 0)
				dup = v[i];
		free(v);
	}
	if (!dup)
		return MC_OK;
	frame *f = &s->st[s->depth];
	f->key = dup->string;
	f->key_len = strlen(dup->string);
	char msg[96];
	snprintf(msg, sizeof msg, "duplicate key \"%.64s\"", dup->string);
	return fail(s, MC_ERR_JSON_DUPKEY, msg);
}

/* The value grammar with an explicit container stack (no recursion), so
 * depth costs no C stack and the path is always at hand. */
static mc_status scan_document(scanner *s)
{
	mc_status st;
	skip_ws(s);
	for (;;) {
		/* expect a value */
		if (s->p >= s->end)
			return fail(s, MC_ERR_JSON_SYNTAX, "unexpected end of input");
		unsigned c = *s->p;
		cJSON *item = NULL;
		if (c == '{' || c == '[') {
			if (s->depth >= MC_JSON_MAX_DEPTH)
				return fail(s, MC_ERR_JSON_LIMIT, "nesting deeper than MC_JSON_MAX_DEPTH");
			if (!(item = c == '{' ? cJSON_CreateObject() : cJSON_CreateArray()))
				return nomem(s);
			attach(s, item);
			frame *f = &s->st[++s->depth];
			s->node[s->depth] = item;
			s->last[s->depth] = NULL;
			f->is_obj = c == '{';
			f->index = 0;
			f->key = NULL;
			f->key_len = 0;
			s->p++;
			skip_ws(s);
			if (s->p < s->end && *s->p == (f->is_obj ? '}' : ']')) {
				s->p++;
				s->depth--;
				goto after_value;
			}
			if (f->is_obj)
				goto expect_key;
			continue;
		} else if (c == '"') {
			const unsigned char *b = s->p + 1;
			if ((st = scan_string(s)))
				return st;
			char *str = decode_string(b, s->p - 1);
			if (!str || !(item = cJSON_CreateNull())) {
				cJSON_free(str);
				return nomem(s);
			}
			item->type = cJSON_String;
			item->valuestring = str;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			const unsigned char *b = s->p;
			if ((st = scan_number(s)))
				return st;
			char tok[MC__JSON_MAX_NUMBER_CHARS + 1];
			memcpy(tok, b, (size_t)(s->p - b));
			tok[s->p - b] = '\0';
			double d = strtod(tok, NULL);
			if (!isfinite(d)) {
				s->p = b;
				return fail(s, MC_ERR_JSON_LIMIT, "number out of the IEEE 754 double range");
			}
			if (!(item = cJSON_CreateNumber(d)))
				return nomem(s);
		} else if (c == 't') {
			if ((st = scan_literal(s, "true")))
				return st;
			if (!(item = cJSON_CreateTrue()))
				return nomem(s);
		} else if (c == 'f') {
			if ((st = scan_literal(s, "false")))
				return st;
			if (!(item = cJSON_CreateFalse()))
				return nomem(s);
		} else if (c == 'n') {
			if ((st = scan_literal(s, "null")))
				return st;
			if (!(item = cJSON_CreateNull()))
				return nomem(s);
		} else if (c == 0) {
			return fail(s, MC_ERR_JSON_ENCODING, "NUL byte");
		} else {
			return fail(s, MC_ERR_JSON_SYNTAX, "unexpected character");
		}
		attach(s, item);
	after_value:
		skip_ws(s);
		if (s->depth == 0) {
			if (s->p != s->end)
				return fail(s, s->p < s->end && *s->p == 0 ? MC_ERR_JSON_ENCODING : MC_ERR_JSON_SYNTAX,
				            "trailing data after the JSON value");
			return MC_OK;
		}
		frame *f = &s->st[s->depth];
		if (s->p >= s->end)
			return fail(s, MC_ERR_JSON_SYNTAX, "unexpected end of input");
		if (*s->p == ',') {
			s->p++;
			skip_ws(s);
			if (f->is_obj)
				goto expect_key;
			f->index++;
			continue;
		}
		if (*s->p == (f->is_obj ? '}' : ']')) {
			if (f->is_obj && (st = check_dups(s)))
				return st;
			s->p++;
			s->depth--;
			goto after_value;
		}
		return fail(s, MC_ERR_JSON_SYNTAX, f->is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
	expect_key:
		if (s->p >= s->end || *s->p != '"')
			return fail(s, MC_ERR_JSON_SYNTAX, "expected a string key");
		{
			const unsigned char *k = s->p + 1;
			if ((st = scan_string(s)))
				return st;
			f = &s->st[s->depth];
			f->key = (const char *)k;
			f->key_len = (size_t)(s->p - 1 - k);
			if (!(s->key = decode_string(k, s->p - 1)))
				return nomem(s);
		}
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return fail(s, MC_ERR_JSON_SYNTAX, "expected ':' after key");
		s->p++;
		skip_ws(s);
	}
}

static mc_status scan(const char *buf, size_t len, cJSON **out, mc_err *err)
{
	*out = NULL;
	if (!buf)
		return mc__fail(err, MC_ERR_ARG, "$", "no input");
	if (len > MC_JSON_MAX_BYTES)
		return mc__fail(err, MC_ERR_JSON_LIMIT, "$", "input of %zu bytes exceeds MC_JSON_MAX_BYTES (%u)", len,
		                MC_JSON_MAX_BYTES);
	scanner *s = malloc(sizeof *s);
	if (!s)
		return mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
	s->start = s->p = (const unsigned char *)buf;
	s->end = s->p + len;
	s->depth = 0;
	s->err = err;
	s->root = NULL;
	s->key = NULL;
	mc_status st = scan_document(s);
	cJSON_free(s->key);
	if (st == MC_OK)
		*out = s->root;
	else
		cJSON_Delete(s->root); /* everything made so far is attached to it */
	free(s);
	return st;
}

cJSON *mc__json_parse(const char *buf, size_t len, mc_err *err)
{
	cJSON *root = NULL;
	return scan(buf, len, &root, err) == MC_OK ? root : NULL;
}

mc_status mc__json_load(const char *buf, size_t len, cJSON **out, mc_err *err)
{
	mc_err local = {0};
	*out = mc__json_parse(buf, len, &local);
	if (!*out)
		return mc__fail(err, local.status, local.path, "%s", local.msg);
	return MC_OK;
}

mc_status mc_json_check(const char *buf, size_t len, mc_err *err)
{
	mc_err local = {0};
	cJSON *root = mc__json_parse(buf, len, &local);
	if (!root)
		return mc__fail(err, local.status, local.path, "%s", local.msg);
	cJSON_Delete(root);
	return MC_OK;
}

cJSON *mc__json_get(const cJSON *obj, const char *key)
{
	/* readers look up many keys per credential: compare the first byte
	 * before calling strcmp (cJSON's own lookup calls it for every member) */
	if (!obj || (obj->type & 0xFF) != cJSON_Object)
		return NULL;
	for (cJSON *c = obj->child; c; c = c->next)
		if (c->string && c->string[0] == key[0] && strcmp(c->string, key) == 0)
			return c;
	return NULL;
}

char *mc__json_print(const cJSON *node, int pretty)
{
	mc__arena_suspend(); /* the text goes to the caller: plain malloc */
	char *s = pretty ? cJSON_Print(node) : cJSON_PrintUnformatted(node);
	mc__arena_resume();
	return s;
}
