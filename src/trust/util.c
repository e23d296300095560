/*
 * util.c - strict member readers for the trust formats. Each names the
 * field it refuses (JSON path) and never repairs a value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trust/trust_internal.h"

mc_status mc__tr_only(const cJSON *obj, const char *base, const char *const *keys, mc_err *err)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, obj)
	{
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], m->string) != 0)
			i++;
		if (!keys[i])
			return mc__fail_at(err, MC_ERR_VALUE, base, m->string, "unknown field \"%s\"", m->string);
	}
	return MC_OK;
}

bool mc__tr_plain(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* A string node at path of 1..max bytes without control characters. */
static mc_status str_at(const cJSON *v, const char *path, size_t max, mc_err *err)
{
	if (!cJSON_IsString(v))
		return mc__fail(err, MC_ERR_TYPE, path, "must be a string");
	size_t n = strlen(v->valuestring);
	if (n == 0)
		return mc__fail(err, MC_ERR_VALUE, path, "must not be empty");
	if (n > max)
		return mc__fail(err, MC_ERR_VALUE, path, "is longer than %zu bytes", max);
	if (!mc__tr_plain(v->valuestring))
		return mc__fail(err, MC_ERR_VALUE, path, "contains a control character");
	return MC_OK;
}

static mc_status str_node(const cJSON *v, const char *base, const char *key, size_t max, mc_err *err)
{
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	return str_at(v, path, max, err);
}

mc_status mc__tr_str(const cJSON *obj, const char *base, const char *key, bool req, size_t max, const char **out,
                     mc_err *err)
{
	*out = NULL;
	const cJSON *v = mc__json_get(obj, key);
	if (!v || cJSON_IsNull(v)) {
		if (req)
			return mc__fail_at(err, MC_ERR_MISSING, base, key, "\"%s\" is required", key);
		return MC_OK;
	}
	mc_status st = str_node(v, base, key, max, err);
	if (st == MC_OK)
		*out = v->valuestring;
	return st;
}

mc_status mc__tr_iri(const cJSON *obj, const char *base, const char *key, bool req, const char **out, mc_err *err)
{
	mc_status st = mc__tr_str(obj, base, key, req, MC_STORE_ID_MAX, out, err);
	if (st == MC_OK && *out && !mc__iri_valid(*out)) {
		*out = NULL;
		return mc__fail_at(err, MC_ERR_VALUE, base, key, "must be an absolute IRI (a URL or DID)");
	}
	return st;
}

mc_status mc__tr_num(const cJSON *obj, const char *base, const char *key, bool req, double lo, double hi,
                     double *out, bool *present, mc_err *err)
{
	if (present)
		*present = false;
	const cJSON *v = mc__json_get(obj, key);
	if (!v) {
		if (req)
			return mc__fail_at(err, MC_ERR_MISSING, base, key, "\"%s\" is required", key);
		return MC_OK;
	}
	if (!cJSON_IsNumber(v))
		return mc__fail_at(err, MC_ERR_TYPE, base, key, "must be a number");
	if (!(v->valuedouble >= lo && v->valuedouble <= hi))
		return mc__fail_at(err, MC_ERR_VALUE, base, key, "must be between %g and %g", lo, hi);
	*out = v->valuedouble;
	if (present)
		*present = true;
	return MC_OK;
}

mc_status mc__tr_int(const cJSON *obj, const char *base, const char *key, bool req, int64_t lo, int64_t hi,
                     int64_t *out, bool *present, mc_err *err)
{
	double d = 0;
	bool here = false;
	mc_status st = mc__tr_num(obj, base, key, req, (double)lo, (double)hi, &d, &here, err);
	if (present)
		*present = here;
	if (st != MC_OK || !here)
		return st;
	if (d != (double)(int64_t)d)
		return mc__fail_at(err, MC_ERR_VALUE, base, key, "must be a whole number");
	*out = (int64_t)d;
	return MC_OK;
}

mc_status mc__tr_array(const cJSON *obj, const char *base, const char *key, bool req, size_t max, const cJSON **out,
                       mc_err *err)
{
	*out = NULL;
	const cJSON *v = mc__json_get(obj, key);
	if (!v) {
		if (req)
			return mc__fail_at(err, MC_ERR_MISSING, base, key, "\"%s\" is required", key);
		return MC_OK;
	}
	if (!cJSON_IsArray(v))
		return mc__fail_at(err, MC_ERR_TYPE, base, key, "must be an array");
	if ((size_t)cJSON_GetArraySize(v) > max)
		return mc__fail_at(err, MC_ERR_TOO_LARGE, base, key, "has more than %zu items", max);
	*out = v;
	return MC_OK;
}

mc_status mc__tr_text_node(const cJSON *v, const char *path, size_t max, char **first, char **joined, mc_err *err)
{
	*first = *joined = NULL;
	if (cJSON_IsString(v)) {
		mc_status st = str_at(v, path, max, err);
		if (st != MC_OK)
			return st;
		*first = strdup(v->valuestring);
		*joined = strdup(v->valuestring);
	} else if (cJSON_IsObject(v) && v->child) {
		mc__buf b;
		mc__buf_init(&b, (size_t)MC_JSON_MAX_BYTES);
		const cJSON *m;
		cJSON_ArrayForEach(m, v)
		{
			mc_status st = mc__lang_valid(m->string)
			                       ? str_node(m, path, m->string, max, err)
			                       : mc__fail_at(err, MC_ERR_VALUE, path, m->string,
			                                     "language keys are ISO 639-1 codes (\"en\", \"de-AT\")");
			if (st != MC_OK) {
				mc__buf_release(&b);
				return st;
			}
			if (b.len)
				mc__buf_adds(&b, " ");
			mc__buf_adds(&b, m->valuestring);
		}
		*first = strdup(v->child->valuestring);
		*joined = mc__buf_take(&b, NULL);
	} else {
		return mc__fail(err, MC_ERR_TYPE, path, "must be a string or a language map {\"en\": \"...\"}");
	}
	if (!*first || !*joined) {
		free(*first);
		free(*joined);
		*first = *joined = NULL;
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	return MC_OK;
}

mc_status mc__tr_text(const cJSON *obj, const char *base, const char *key, bool req, size_t max, char **first,
                      char **joined, mc_err *err)
{
	*first = *joined = NULL;
	const cJSON *v = mc__json_get(obj, key);
	if (!v) {
		if (req)
			return mc__fail_at(err, MC_ERR_MISSING, base, key, "\"%s\" is required", key);
		return MC_OK;
	}
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	return mc__tr_text_node(v, path, max, first, joined, err);
}

bool mc__tr_date(const char *s, int64_t *t)
{
	return strlen(s) == 10 && mc__time_parse(s, true, t);
}

bool mc__tr_field_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	int broad = (s[0] - '0') * 10 + (s[1] - '0');
	return broad <= 10 || broad == 99;
}

mc_status mc__tr_digest(const void *buf, size_t len, char out[65])
{
	uint8_t h[MC_SHA256_BYTES];
	mc_status st = mc_sha256(buf, len, h);
	if (st != MC_OK)
		return st;
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < MC_SHA256_BYTES; i++) {
		out[2 * i] = hx[h[i] >> 4];
		out[2 * i + 1] = hx[h[i] & 15];
	}
	out[64] = '\0';
	return MC_OK;
}

char *mc__tr_dup(const char *s, bool *oom)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

mc_status mc__tr_load(const char *buf, size_t len, const void *out, cJSON **root, mc_err *err)
{
	*root = NULL;
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	if (!buf)
		return mc__fail(err, MC_ERR_ARG, "buf", "buf is NULL");
	return mc__json_load(buf, len, root, err);
}

mc_status mc__tr_new(const char *buf, size_t len, size_t size, mc_status (*parse)(void *obj, const cJSON *root, mc_err *err),
                     void (*release)(void *obj), void **out, mc_err *err)
{
	if (out)
		*out = NULL;
	cJSON *root = NULL;
	mc_status st = mc__tr_load(buf, len, out, &root, err);
	if (st != MC_OK)
		return st;
	void *obj = calloc(1, size);
	st = obj ? parse(obj, root, err) : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	cJSON_Delete(root);
	if (st != MC_OK) {
		release(obj);
		return st;
	}
	*out = obj;
	return MC_OK;
}
