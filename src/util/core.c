/*
 * core.c - library start-up, status strings, error recording, growable
 * buffers with a ceiling (curl's dynbuf habit), and JSON path building.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

mc_status mc_init(void)
{
	/* sodium_init is thread-safe and returns 1 when already initialised. */
	if (sodium_init() < 0)
		return MC_ERR_CRYPTO;
	mc__arena_install();
	return MC_OK;
}

void mc_free(void *p)
{
	free(p);
}

const char *mc_strerror(mc_status st)
{
	switch (st) {
	case MC_OK: return "no error";
	case MC_ERR_NOMEM: return "out of memory";
	case MC_ERR_ARG: return "invalid argument";
	case MC_ERR_JSON_SYNTAX: return "malformed JSON";
	case MC_ERR_JSON_LIMIT: return "JSON exceeds a size or depth limit";
	case MC_ERR_JSON_DUPKEY: return "duplicate key in JSON object";
	case MC_ERR_JSON_ENCODING: return "invalid text encoding in JSON";
	case MC_ERR_TYPE: return "field has the wrong type";
	case MC_ERR_MISSING: return "required field missing";
	case MC_ERR_VALUE: return "invalid value";
	case MC_ERR_CRYPTO: return "cryptographic library failure";
	case MC_ERR_SIGNATURE: return "signature does not verify";
	case MC_ERR_KEY: return "malformed key";
	case MC_ERR_PASSPHRASE: return "wrong passphrase or damaged key file";
	case MC_ERR_UNSUPPORTED: return "unsupported feature";
	case MC_ERR_IO: return "input/output error";
	case MC_ERR_TOO_LARGE: return "output too large";
	case MC_ERR_INVALID: return "credential is not valid";
	case MC_ERR_INTERNAL: return "internal error";
	}
	return "unknown status";
}

mc_status mc__fail(mc_err *err, mc_status st, const char *path, const char *fmt, ...)
{
	if (err && err->status == MC_OK && st != MC_OK) {
		err->status = st;
		snprintf(err->path, sizeof err->path, "%s", path ? path : "");
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return st;
}

mc_status mc__fail_atv(mc_err *err, mc_status st, const char *base, const char *key, const char *fmt, va_list ap)
{
	if (!err || err->status != MC_OK || st == MC_OK)
		return st;
	err->status = st;
	if (key)
		mc__path_key(err->path, sizeof err->path, base, key);
	else
		snprintf(err->path, sizeof err->path, "%s", base ? base : "");
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return st;
}

mc_status mc__fail_at(mc_err *err, mc_status st, const char *base, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mc__fail_atv(err, st, base, key, fmt, ap);
	va_end(ap);
	return st;
}

void mc__buf_init(mc__buf *b, size_t limit)
{
	memset(b, 0, sizeof *b);
	b->limit = limit;
}

char *mc__buf_room(mc__buf *b, size_t n)
{
	if (b->status != MC_OK)
		return NULL;
	if (n > b->limit || b->len > b->limit - n) {
		b->status = MC_ERR_TOO_LARGE;
		return NULL;
	}
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096; /* one page: most credentials fit */
		while (nc < b->len + n + 1)
			nc = nc > SIZE_MAX / 2 ? SIZE_MAX : nc * 2;
		char *d = realloc(b->data, nc);
		if (!d) {
			b->status = MC_ERR_NOMEM;
			return NULL;
		}
		b->data = d;
		b->cap = nc;
	}
	return b->data + b->len;
}

void mc__buf_add(mc__buf *b, const void *p, size_t n)
{
	char *o;
	if (n == 0 || !(o = mc__buf_room(b, n)))
		return;
	memcpy(o, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void mc__buf_adds(mc__buf *b, const char *s)
{
	mc__buf_add(b, s, strlen(s));
}

void mc__buf_addf(mc__buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->status = b->status ? b->status : MC_ERR_INTERNAL;
		return;
	}
	if ((size_t)n < sizeof tmp) {
		mc__buf_add(b, tmp, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->status = b->status ? b->status : MC_ERR_NOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	mc__buf_add(b, big, (size_t)n);
	free(big);
}

char *mc__buf_take(mc__buf *b, size_t *len)
{
	if (b->status != MC_OK) {
		mc__buf_release(b);
		return NULL;
	}
	char *d = b->data;
	if (!d)
		d = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void mc__buf_release(mc__buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Copy src (n bytes) to out at *pos, truncating at cap - 1. */
static void put(char *out, size_t cap, size_t *pos, const char *src, size_t n)
{
	if (*pos + 1 >= cap)
		return;
	if (n > cap - 1 - *pos)
		n = cap - 1 - *pos;
	memmove(out + *pos, src, n);
	*pos += n;
	out[*pos] = '\0';
}

/* Paths are built for every field a validator looks at, so this avoids
 * snprintf (measured: 6% of a whole verification with it). base and path
 * may be the same buffer. */
void mc__path_key(char *path, size_t cap, const char *base, const char *key)
{
	/* Keys that are plain identifiers use dot notation, others bracket-quoted. */
	int plain = key[0] != '\0';
	size_t klen = 0;
	for (const char *k = key; *k; k++, klen++) {
		unsigned char c = (unsigned char)*k;
		if (!(c == '_' || c == '@' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			plain = 0;
	}
	if (cap == 0)
		return;
	size_t pos = 0, blen = strlen(base);
	if (path != base) {
		path[0] = '\0';
		put(path, cap, &pos, base, blen);
	} else {
		pos = blen < cap ? blen : cap - 1;
	}
	if (plain) {
		put(path, cap, &pos, ".", 1);
		put(path, cap, &pos, key, klen);
	} else {
		put(path, cap, &pos, "[\"", 2);
		put(path, cap, &pos, key, klen > 64 ? 64 : klen);
		put(path, cap, &pos, "\"]", 2);
	}
}

void mc__path_index(char *path, size_t cap, const char *base, size_t index)
{
	snprintf(path, cap, "%s[%zu]", base, index);
}
