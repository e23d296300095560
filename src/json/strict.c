/*
 * strict.c - strict JSON acceptance in front of cJSON.
 *
 * cJSON builds the tree fast (about 7x Jansson on a 2 KB credential, which
 * matters because parsing sits on the verification hot path next to a 52 us
 * Ed25519 verify), but it is lenient: it accepts "01" and "1.", treats any
 * byte <= 0x20 as whitespace, passes invalid UTF-8 and raw control characters
 * through, truncates strings at \u0000, and keeps duplicate keys. Anything we
 * sign must mean one thing only, so a validating scanner runs first over the
 * raw bytes (one pass, explicit end, no allocation) and rejects all of those;
 * only then does cJSON build the tree, and a walk over the tree rejects
 * duplicate keys and non-finite numbers. Every error names the JSON path.
 */
#include <math.h>
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
		if (c == '{' || c == '[') {
			if (s->depth >= MC_JSON_MAX_DEPTH)
				return fail(s, MC_ERR_JSON_LIMIT, "nesting deeper than MC_JSON_MAX_DEPTH");
			frame *f = &s->st[++s->depth];
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
			if ((st = scan_string(s)))
				return st;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			if ((st = scan_number(s)))
				return st;
		} else if (c == 't') {
			if ((st = scan_literal(s, "true")))
				return st;
		} else if (c == 'f') {
			if ((st = scan_literal(s, "false")))
				return st;
		} else if (c == 'n') {
			if ((st = scan_literal(s, "null")))
				return st;
		} else if (c == 0) {
			return fail(s, MC_ERR_JSON_ENCODING, "NUL byte");
		} else {
			return fail(s, MC_ERR_JSON_SYNTAX, "unexpected character");
		}
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
		}
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return fail(s, MC_ERR_JSON_SYNTAX, "expected ':' after key");
		s->p++;
		skip_ws(s);
	}
}

static mc_status scan(const char *buf, size_t len, mc_err *err)
{
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
	mc_status st = scan_document(s);
	free(s);
	return st;
}

/* Path of a tree node, built only when reporting an error. */
typedef struct tpath {
	const struct tpath *up;
	const char *key; /* NULL for array elements */
	size_t index;
} tpath;

static void tpath_format(const tpath *tp, char *out, size_t cap)
{
	if (!tp) {
		snprintf(out, cap, "$");
		return;
	}
	char base[MC_ERR_PATH_MAX];
	tpath_format(tp->up, base, sizeof base);
	if (tp->key)
		mc__path_key(out, cap, base, tp->key);
	else
		mc__path_index(out, cap, base, tp->index);
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* Objects larger than this are checked by sorting instead of pairwise. */
#define MC__DUP_PAIRWISE_MAX 12

static mc_status check_tree(const cJSON *n, const tpath *tp, mc_err *err)
{
	char path[MC_ERR_PATH_MAX];
	if (cJSON_IsNumber(n) && !isfinite(n->valuedouble)) {
		tpath_format(tp, path, sizeof path);
		return mc__fail(err, MC_ERR_JSON_LIMIT, path, "number out of the IEEE 754 double range");
	}
	if (!cJSON_IsObject(n) && !cJSON_IsArray(n))
		return MC_OK;
	size_t count = 0, i = 0;
	for (const cJSON *c = n->child; c; c = c->next)
		count++;
	if (cJSON_IsObject(n) && count > 1) {
		const cJSON *dup = NULL;
		if (count <= MC__DUP_PAIRWISE_MAX) {
			for (const cJSON *a = n->child; a && !dup; a = a->next)
				for (const cJSON *b = a->next; b; b = b->next)
					if (strcmp(a->string, b->string) == 0) {
						dup = b;
						break;
					}
		} else {
			const cJSON **v = malloc(count * sizeof *v);
			if (!v)
				return mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
			for (const cJSON *c = n->child; c; c = c->next)
				v[i++] = c;
			qsort(v, count, sizeof *v, cmp_keys);
			for (i = 1; i < count && !dup; i++)
				if (strcmp(v[i - 1]->string, v[i]->string) == 0)
					dup = v[i];
			free(v);
		}
		if (dup) {
			tpath here = {tp, dup->string, 0};
			tpath_format(&here, path, sizeof path);
			return mc__fail(err, MC_ERR_JSON_DUPKEY, path, "duplicate key \"%.64s\"", dup->string);
		}
	}
	i = 0;
	for (const cJSON *c = n->child; c; c = c->next, i++) {
		tpath here = {tp, cJSON_IsObject(n) ? c->string : NULL, i};
		mc_status st = check_tree(c, &here, err);
		if (st)
			return st;
	}
	return MC_OK;
}

cJSON *mc__json_parse(const char *buf, size_t len, mc_err *err)
{
	if (scan(buf, len, err) != MC_OK)
		return NULL;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!root) {
		/* The scanner accepted it, so this is allocation failure (or a cJSON
		 * limit we did not mirror: report it as such, never crash). */
		mc__fail(err, MC_ERR_NOMEM, "$", "JSON tree could not be built (out of memory)");
		return NULL;
	}
	if (check_tree(root, NULL, err) != MC_OK) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
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
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

char *mc__json_print(const cJSON *node, int pretty)
{
	mc__arena_suspend(); /* the text goes to the caller: plain malloc */
	char *s = pretty ? cJSON_Print(node) : cJSON_PrintUnformatted(node);
	mc__arena_resume();
	return s;
}
