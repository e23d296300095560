/*
 * jcs.c - RFC 8785 JSON Canonicalization Scheme over a strictly parsed tree.
 *
 * Numbers: the ECMAScript Number-to-String algorithm (ECMA-262 7.1.12.1),
 * using the shortest decimal that round-trips, found with correctly rounded
 * printf/strtod (glibc is exact). Strings: only '"', '\\' and U+0000..001F
 * are escaped (short forms where JSON has them, else \u00xx lowercase);
 * everything else is copied as UTF-8. Object members are sorted by their
 * keys as arrays of UTF-16 code units, which differs from UTF-8 byte order
 * only between U+E000..FFFF and supplementary characters.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

mc_status mc_jcs_number(double d, char out[32])
{
	if (!isfinite(d))
		return MC_ERR_VALUE;
	if (d == 0) { /* also -0, which ECMAScript prints as "0" */
		memcpy(out, "0", 2);
		return MC_OK;
	}
	/* Integers below 2^53 (ECTS, levels, counts: nearly every number in a
	 * credential) print as plain digits in ECMAScript; skip the search. */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d) {
		char tmp[24];
		int64_t v = (int64_t)d;
		uint64_t u = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
		int k = 0;
		do {
			tmp[k++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		char *o = out;
		if (v < 0)
			*o++ = '-';
		while (k)
			*o++ = tmp[--k];
		*o = '\0';
		return MC_OK;
	}
	char e[40];
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(e, sizeof e, "%.*e", prec - 1, d);
		if (strtod(e, NULL) == d)
			break;
	}
	/* e is "[-]D[.DDD]e[+-]X..": collect the digits and the exponent. */
	char digits[24];
	int k = 0, neg = 0;
	const char *p = e;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	int n = atoi(p + 1) + 1; /* value = 0.digits * 10^n */
	char *o = out;
	if (neg)
		*o++ = '-';
	if (k <= n && n <= 21) {
		memcpy(o, digits, (size_t)k);
		o += k;
		for (int i = 0; i < n - k; i++)
			*o++ = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, digits, (size_t)n);
		o += n;
		*o++ = '.';
		memcpy(o, digits + n, (size_t)(k - n));
		o += k - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, digits, (size_t)k);
		o += k;
	} else {
		*o++ = digits[0];
		if (k > 1) {
			*o++ = '.';
			memcpy(o, digits + 1, (size_t)(k - 1));
			o += k - 1;
		}
		o += snprintf(o, 8, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
	*o = '\0';
	return MC_OK;
}

/* 1 for bytes JCS copies as they are: all but U+0000..001F, '"', '\\'.
 * NUL is 0 so it ends the run (strings never contain NUL: the parser
 * rejects \u0000). */
static const unsigned char verbatim[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	R16(0), R16(0), 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, R16(1), R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, R16(1), R16(1),
	R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1)
#undef R16
};

/* Append with the common case (room left, no error) inline: JCS emits many
 * short pieces and this runs for each one. */
static inline void put(mc__buf *b, const void *p, size_t n)
{
	if (b->status == MC_OK && n < b->cap - b->len && b->len + n <= b->limit) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		mc__buf_add(b, p, n);
	}
}

/* Does any byte of the 8-byte word v need escaping ('"', '\\' or below
 * 0x20)? The classic "has zero byte" test applied three times. */
static inline int word_needs_escape(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t lt20 = (v - ones * 0x20) & ~v;
	uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
	uint64_t zq = (q - ones) & ~q, zb = (bs - ones) & ~bs;
	return ((lt20 | zq | zb) & highs) != 0;
}

static void add_string_wrapped(mc__buf *b, const char *s, char pre, char post);

static void add_string(mc__buf *b, const char *s)
{
	add_string_wrapped(b, s, 0, 0);
}

/* Write pre (if not 0), the quoted escaped string, then post (if not 0):
 * a member key goes out as ,"key": in one step. */
static void add_string_wrapped(mc__buf *b, const char *s, char pre, char post)
{
	static const char hx[] = "0123456789abcdef";
	size_t len = strlen(s), i = 0;
	/* Most strings need no escape at all: find that 8 bytes at a time and
	 * then write quote, bytes, quote in one step. */
	while (len - i >= 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (word_needs_escape(v))
			break;
		i += 8;
	}
	while (i < len && verbatim[(unsigned char)s[i]])
		i++;
	if (i == len && b->status == MC_OK && len + 4 < b->cap - b->len && b->len + len + 4 <= b->limit) {
		char *o = b->data + b->len;
		if (pre)
			*o++ = pre;
		*o++ = '"';
		memcpy(o, s, len);
		o += len;
		*o++ = '"';
		if (post)
			*o++ = post;
		*o = '\0';
		b->len = (size_t)(o - b->data);
		return;
	}
	if (pre)
		put(b, &pre, 1);
	put(b, "\"", 1);
	const char *run = s;
	for (s += i;; s++) {
		/* skip bytes copied verbatim (everything but controls, '"', '\\') */
		while (verbatim[(unsigned char)*s])
			s++;
		unsigned char c = (unsigned char)*s;
		if (c == 0)
			break;
		put(b, run, (size_t)(s - run));
		char esc[7] = {'\\', 0};
		size_t n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hx[c >> 4];
			esc[5] = hx[c & 15];
			n = 6;
		}
		put(b, esc, n);
		run = s + 1;
	}
	put(b, run, (size_t)(s - run));
	put(b, "\"", 1);
	if (post)
		put(b, &post, 1);
}

/* Decode the UTF-8 code point at *p (input already validated). */
static unsigned decode(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned c = s[0];
	if (c < 0x80) {
		*p += 1;
		return c;
	}
	if (c < 0xE0) {
		*p += 2;
		return (c & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (c < 0xF0) {
		*p += 3;
		return (c & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*p += 4;
	return (c & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Compare two UTF-8 keys by UTF-16 code units. */
static int cmp_utf16(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	while (*x && *x == *y) {
		x++;
		y++;
	}
	if (!*x || !*y)
		return (*x != 0) - (*y != 0);
	if (*x < 0x80 && *y < 0x80) /* ASCII: byte order is code unit order */
		return *x < *y ? -1 : 1;
	/* Back up to the start of the differing code point (same offset in both:
	 * the prefixes are byte-identical). */
	while (x > (const unsigned char *)a && (*x & 0xC0) == 0x80) {
		x--;
		y--;
	}
	unsigned cx = decode(&x), cy = decode(&y);
	unsigned ux = cx < 0x10000 ? cx : 0xD800 + ((cx - 0x10000) >> 10);
	unsigned uy = cy < 0x10000 ? cy : 0xD800 + ((cy - 0x10000) >> 10);
	if (ux == uy) { /* both supplementary with the same high surrogate */
		ux = 0xDC00 + ((cx - 0x10000) & 0x3FF);
		uy = 0xDC00 + ((cy - 0x10000) & 0x3FF);
	}
	return ux < uy ? -1 : 1;
}

int mc__jcs_key_cmp(const char *a, const char *b)
{
	return strcmp(a, b) == 0 ? 0 : cmp_utf16(a, b);
}

static int cmp_members(const void *a, const void *b)
{
	return cmp_utf16((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static mc_status jcs_object(const cJSON *n, mc__buf *b, const char **keys, size_t *offs);

mc_status mc__jcs_node(const cJSON *n, mc__buf *b)
{
	char num[32];
	switch (n->type & 0xFF) {
	case cJSON_NULL: put(b, "null", 4); break;
	case cJSON_True: put(b, "true", 4); break;
	case cJSON_False: put(b, "false", 5); break;
	case cJSON_Number:
		if (mc_jcs_number(n->valuedouble, num) != MC_OK)
			return MC_ERR_VALUE;
		put(b, num, strlen(num));
		break;
	case cJSON_String: add_string(b, n->valuestring); break;
	case cJSON_Array:
		put(b, "[", 1);
		for (const cJSON *c = n->child; c; c = c->next) {
			if (c != n->child)
				put(b, ",", 1);
			mc_status st = mc__jcs_node(c, b);
			if (st)
				return st;
		}
		put(b, "]", 1);
		break;
	case cJSON_Object: {
		mc_status st = jcs_object(n, b, NULL, NULL);
		if (st)
			return st;
		break;
	}
	default:
		return MC_ERR_INTERNAL;
	}
	return b->status;
}

/* An object's members in RFC 8785 order. When keys/offs are given (room
 * for every member), member i's key and the buffer offset where it starts
 * are recorded, so a caller can insert a member later without rescanning. */
static mc_status jcs_object(const cJSON *n, mc__buf *b, const char **keys, size_t *offs)
{
	size_t count = 0, i = 0;
	const cJSON *small[32];
	const cJSON **v = small;
	for (const cJSON *c = n->child; c; c = c->next) {
		if (count < 32)
			small[count] = c;
		count++;
	}
	if (count > 32) {
		if (!(v = malloc(count * sizeof *v)))
			return MC_ERR_NOMEM;
		for (const cJSON *c = n->child; c; c = c->next)
			v[i++] = c;
		qsort(v, count, sizeof *v, cmp_members);
	} else {
		/* insertion sort: objects are small, and this avoids qsort's
		 * indirect calls and its temporary buffer */
		for (size_t a = 1; a < count; a++) {
			const cJSON *x = v[a];
			size_t b2 = a;
			while (b2 > 0 && cmp_utf16(v[b2 - 1]->string, x->string) > 0) {
				v[b2] = v[b2 - 1];
				b2--;
			}
			v[b2] = x;
		}
	}
	mc_status st = MC_OK;
	if (count == 0)
		put(b, "{", 1);
	for (i = 0; i < count && st == MC_OK; i++) {
		if (offs) {
			offs[i] = b->len + 1; /* after the '{' or ',' */
			keys[i] = v[i]->string;
		}
		add_string_wrapped(b, v[i]->string, i ? ',' : '{', ':');
		st = mc__jcs_node(v[i], b);
	}
	put(b, "}", 1);
	if (v != small)
		free(v);
	return st ? st : b->status;
}

mc_status mc__jcs_object_offsets(const cJSON *obj, mc__buf *b, const char **keys, size_t *offs)
{
	if (!cJSON_IsObject(obj))
		return MC_ERR_TYPE;
	return jcs_object(obj, b, keys, offs);
}

mc_status mc_jcs(const char *buf, size_t len, char **out, size_t *out_len, mc_err *err)
{
	*out = NULL;
	mc_err local = {0};
	cJSON *root = mc__json_parse(buf, len, &local);
	if (!root)
		return mc__fail(err, local.status, local.path, "%s", local.msg);
	mc__buf b;
	mc__buf_init(&b, MC_JCS_MAX_BYTES);
	mc_status st = mc__jcs_node(root, &b);
	cJSON_Delete(root);
	if (st == MC_OK)
		st = b.status;
	if (st != MC_OK) {
		mc__buf_release(&b);
		return mc__fail(err, st, "$", "canonicalization failed: %s", mc_strerror(st));
	}
	*out = mc__buf_take(&b, out_len);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, "$", "out of memory");
}
