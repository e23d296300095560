/*
 * bitstring.c - the Bitstring Status List bitstring: an mc_statuslist
 * handle, bit access, and the encodedList form (GZIP then multibase
 * base64url, no padding).
 *
 * Decoding trusts nothing: base64url is checked character by character
 * (no padding, zero trailing bits, so one list has one encoding), and
 * inflation writes into a buffer that grows in steps up to
 * MC_STATUSLIST_MAX_BYTES and fails past it, whatever ISIZE claims.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "internal.h"
#include "mcred/status.h"

struct mc_statuslist {
	/* entries */
	uint64_t nbits;
	/* nbits / 8 bytes, heap */
	uint8_t *bytes;
};

static mc_status check_size(uint64_t nbits, mc_err *err, const char *path)
{
	if (nbits < MC_STATUS_LIST_MIN_BITS)
		return mc__fail(err, MC_ERR_VALUE, path,
		                "a status list needs at least %u entries (herd privacy), not %llu",
		                MC_STATUS_LIST_MIN_BITS, (unsigned long long)nbits);
	if (nbits % 8)
		return mc__fail(err, MC_ERR_VALUE, path, "a status list size must be a multiple of 8, not %llu",
		                (unsigned long long)nbits);
	if (nbits / 8 > MC_STATUSLIST_MAX_BYTES)
		return mc__fail(err, MC_ERR_TOO_LARGE, path, "a status list may hold at most %llu entries",
		                (unsigned long long)MC_STATUSLIST_MAX_BYTES * 8u);
	return MC_OK;
}

/* Take ownership of bytes (heap, nbits/8 long) in a new handle. */
static mc_status wrap(uint8_t *bytes, uint64_t nbits, mc_statuslist **out, mc_err *err)
{
	mc_statuslist *l = malloc(sizeof *l);
	if (!l) {
		free(bytes);
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	}
	l->nbits = nbits;
	l->bytes = bytes;
	*out = l;
	return MC_OK;
}

mc_status mc_statuslist_new(uint64_t nbits, mc_statuslist **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	mc_status st = check_size(nbits, err, "nbits");
	if (st != MC_OK)
		return st;
	uint8_t *b = calloc((size_t)(nbits / 8), 1);
	if (!b)
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	return wrap(b, nbits, out, err);
}

mc_status mc_statuslist_from_bytes(const uint8_t *bytes, size_t len, mc_statuslist **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!bytes)
		return mc__fail(err, MC_ERR_ARG, "bytes", "bytes is NULL");
	if (len > MC_STATUSLIST_MAX_BYTES)
		return mc__fail(err, MC_ERR_TOO_LARGE, "bytes", "a status list may hold at most %u bytes",
		                MC_STATUSLIST_MAX_BYTES);
	mc_status st = check_size((uint64_t)len * 8u, err, "bytes");
	if (st != MC_OK)
		return st;
	uint8_t *b = malloc(len);
	if (!b)
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	memcpy(b, bytes, len);
	return wrap(b, (uint64_t)len * 8u, out, err);
}

void mc_statuslist_free(mc_statuslist *l)
{
	if (!l)
		return;
	free(l->bytes);
	free(l);
}

uint64_t mc_statuslist_size(const mc_statuslist *l)
{
	return l ? l->nbits : 0;
}

const uint8_t *mc_statuslist_bytes(const mc_statuslist *l, size_t *len)
{
	if (len)
		*len = l ? (size_t)(l->nbits / 8) : 0;
	return l ? l->bytes : NULL;
}

mc_status mc_statuslist_set(mc_statuslist *l, uint64_t index, int value, mc_err *err)
{
	if (!l)
		return mc__fail(err, MC_ERR_ARG, "list", "list is NULL");
	if (value != 0 && value != 1)
		return mc__fail(err, MC_ERR_ARG, "value", "a status bit is 0 or 1, not %d", value);
	if (index >= l->nbits)
		return mc__fail(err, MC_ERR_VALUE, "index", "index %llu is outside the list of %llu entries",
		                (unsigned long long)index, (unsigned long long)l->nbits);
	uint8_t mask = (uint8_t)(0x80u >> (index % 8));
	if (value)
		l->bytes[index / 8] |= mask;
	else
		l->bytes[index / 8] &= (uint8_t)~mask;
	return MC_OK;
}

mc_status mc_statuslist_get(const mc_statuslist *l, uint64_t index, int *value, mc_err *err)
{
	if (!value)
		return mc__fail(err, MC_ERR_ARG, "value", "value is NULL");
	*value = 0;
	if (!l)
		return mc__fail(err, MC_ERR_ARG, "list", "list is NULL");
	if (index >= l->nbits)
		return mc__fail(err, MC_ERR_VALUE, "index", "index %llu is outside the list of %llu entries",
		                (unsigned long long)index, (unsigned long long)l->nbits);
	*value = (l->bytes[index / 8] >> (7 - index % 8)) & 1;
	return MC_OK;
}

/* ---- base64url (RFC 4648 section 5, no padding) ---------------------- */

static const char b64u[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64u_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Decode s[0..n) into out (room for n*3/4 bytes). Strict: alphabet only,
 * no '=', a length that is not 1 mod 4, and zero bits left over. */
static mc_status b64u_decode(const char *s, size_t n, uint8_t *out, size_t *out_len, mc_err *err)
{
	if (n % 4 == 1)
		return mc__fail(err, MC_ERR_VALUE, "encoded", "base64url text of %zu characters is truncated", n);
	size_t o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64u_val((unsigned char)s[i]);
		if (v < 0)
			return mc__fail(err, MC_ERR_VALUE, "encoded",
			                "character %zu is not base64url without padding (0x%02x)", i + 1,
			                (unsigned char)s[i]);
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)
		return mc__fail(err, MC_ERR_VALUE, "encoded", "base64url text has non-zero trailing bits");
	*out_len = o;
	return MC_OK;
}

/* ---- gzip ------------------------------------------------------------ */

/* zlib's windowBits for a gzip (RFC 1952) wrapper only: 15 + 16. Not 32
 * (auto-detect), which would also take a zlib stream. */
#define GZIP_WBITS (15 + 16)

mc_status mc_statuslist_encode(const mc_statuslist *l, char **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!l)
		return mc__fail(err, MC_ERR_ARG, "list", "list is NULL");
	size_t n = (size_t)(l->nbits / 8);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	/* default level: reproduces the spec's example (and pako's output) */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, GZIP_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return mc__fail(err, MC_ERR_NOMEM, "", "zlib could not start");
	uLong bound = deflateBound(&zs, (uLong)n);
	uint8_t *gz = malloc(bound);
	if (!gz) {
		deflateEnd(&zs);
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	}
	zs.next_in = l->bytes;
	zs.avail_in = (uInt)n;
	zs.next_out = gz;
	zs.avail_out = (uInt)bound;
	int zr = deflate(&zs, Z_FINISH);
	size_t gz_len = (size_t)zs.total_out;
	deflateEnd(&zs);
	if (zr != Z_STREAM_END) {
		free(gz);
		return mc__fail(err, MC_ERR_INTERNAL, "", "zlib deflate failed (%d)", zr);
	}
	size_t cap = 1 + (gz_len / 3) * 4 + 4 + 1;
	char *s = malloc(cap);
	if (!s) {
		free(gz);
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	}
	size_t o = 0;
	s[o++] = 'u';
	size_t i = 0;
	for (; i + 3 <= gz_len; i += 3) {
		uint32_t v = (uint32_t)gz[i] << 16 | (uint32_t)gz[i + 1] << 8 | gz[i + 2];
		s[o++] = b64u[v >> 18];
		s[o++] = b64u[(v >> 12) & 63];
		s[o++] = b64u[(v >> 6) & 63];
		s[o++] = b64u[v & 63];
	}
	if (gz_len - i == 1) {
		uint32_t v = (uint32_t)gz[i] << 16;
		s[o++] = b64u[v >> 18];
		s[o++] = b64u[(v >> 12) & 63];
	} else if (gz_len - i == 2) {
		uint32_t v = (uint32_t)gz[i] << 16 | (uint32_t)gz[i + 1] << 8;
		s[o++] = b64u[v >> 18];
		s[o++] = b64u[(v >> 12) & 63];
		s[o++] = b64u[(v >> 6) & 63];
	}
	s[o] = '\0';
	free(gz);
	*out = s;
	return MC_OK;
}

/* Inflate one gzip member gz[0..n) into a new buffer of at most
 * MC_STATUSLIST_MAX_BYTES. */
static mc_status gunzip(const uint8_t *gz, size_t n, uint8_t **out, size_t *out_len, mc_err *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, GZIP_WBITS) != Z_OK)
		return mc__fail(err, MC_ERR_NOMEM, "", "zlib could not start");
	/* grow from the spec minimum (16 KiB) by doubling: a bomb costs at most
	 * the ceiling, honest lists a few reallocations */
	size_t cap = MC_STATUS_LIST_MIN_BITS / 8;
	uint8_t *buf = malloc(cap);
	mc_status st = MC_OK;
	if (!buf) {
		st = mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
		goto done;
	}
	zs.next_in = (Bytef *)(uintptr_t)gz;
	zs.avail_in = (uInt)n;
	zs.next_out = buf;
	zs.avail_out = (uInt)cap;
	for (;;) {
		int zr = inflate(&zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_OK && zs.avail_out == 0) {
			if (cap >= MC_STATUSLIST_MAX_BYTES) {
				st = mc__fail(err, MC_ERR_TOO_LARGE, "encoded",
				              "the status list inflates to more than %u bytes", MC_STATUSLIST_MAX_BYTES);
				goto done;
			}
			size_t ncap = cap * 2 > MC_STATUSLIST_MAX_BYTES ? MC_STATUSLIST_MAX_BYTES : cap * 2;
			uint8_t *nb = realloc(buf, ncap);
			if (!nb) {
				st = mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
				goto done;
			}
			buf = nb;
			zs.next_out = buf + cap;
			zs.avail_out = (uInt)(ncap - cap);
			cap = ncap;
			continue;
		}
		if (zr == Z_OK)
			continue;
		if (zr == Z_MEM_ERROR) {
			st = mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
		} else if (zr == Z_BUF_ERROR) {
			/* no progress with output room left: the input ended early */
			st = mc__fail(err, MC_ERR_VALUE, "encoded", "the gzip stream is truncated");
		} else {
			st = mc__fail(err, MC_ERR_VALUE, "encoded", "the gzip stream is damaged: %s",
			              zs.msg ? zs.msg : "inflate failed");
		}
		goto done;
	}
	if (zs.avail_in != 0) {
		st = mc__fail(err, MC_ERR_VALUE, "encoded", "%u bytes follow the gzip stream", zs.avail_in);
		goto done;
	}
	*out_len = (size_t)zs.total_out;
	*out = buf;
	buf = NULL;
done:
	inflateEnd(&zs);
	free(buf);
	return st;
}

mc_status mc_statuslist_decode(const char *enc, size_t len, mc_statuslist **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!enc)
		return mc__fail(err, MC_ERR_ARG, "encoded", "encoded is NULL");
	if (len > MC_STATUSLIST_ENCODED_MAX)
		return mc__fail(err, MC_ERR_TOO_LARGE, "encoded", "encodedList is longer than %u characters",
		                MC_STATUSLIST_ENCODED_MAX);
	if (len == 0 || enc[0] != 'u')
		return mc__fail(err, MC_ERR_VALUE, "encoded",
		                "encodedList must be multibase base64url without padding (prefix 'u')");
	uint8_t *gz = malloc(len / 4 * 3 + 3);
	if (!gz)
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	size_t gz_len = 0;
	mc_status st = b64u_decode(enc + 1, len - 1, gz, &gz_len, err);
	uint8_t *raw = NULL;
	size_t raw_len = 0;
	if (st == MC_OK)
		st = gunzip(gz, gz_len, &raw, &raw_len, err);
	free(gz);
	if (st != MC_OK)
		return st;
	st = check_size((uint64_t)raw_len * 8u, err, "encoded");
	if (st != MC_OK) {
		free(raw);
		return st;
	}
	/* give back the doubling slack */
	uint8_t *fit = realloc(raw, raw_len);
	if (fit)
		raw = fit;
	return wrap(raw, (uint64_t)raw_len * 8u, out, err);
}

/* ---- purposes -------------------------------------------------------- */

const char *mc_status_purpose_name(mc_status_purpose p)
{
	switch (p) {
	case MC_PURPOSE_REVOCATION: return "revocation";
	case MC_PURPOSE_SUSPENSION: return "suspension";
	}
	return NULL;
}

mc_status mc_status_purpose_parse(const char *s, mc_status_purpose *out)
{
	if (s && strcmp(s, "revocation") == 0) {
		*out = MC_PURPOSE_REVOCATION;
		return MC_OK;
	}
	if (s && strcmp(s, "suspension") == 0) {
		*out = MC_PURPOSE_SUSPENSION;
		return MC_OK;
	}
	return MC_ERR_UNSUPPORTED;
}
