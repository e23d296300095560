/*
 * report.c - the check list behind mc_report. Entries own copies of their
 * strings; the array grows by doubling up to a ceiling so a hostile input
 * with thousands of errors cannot make the report unbounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A credential with more problems than this is garbage; later entries are
 * dropped and one final entry says so. */
#define MC__REPORT_MAX_ENTRIES 500

/* Strings of all entries live in a few pooled chunks (one allocation for a
 * typical verification instead of three per entry); entries point into them,
 * so chunks never move. */
#define MC__REPORT_POOL_CHUNK 2048u

typedef struct pool_chunk {
	struct pool_chunk *next;
	size_t used, cap;
	char data[];
} pool_chunk;

struct mc_report {
	mc_finding *v;
	size_t n, cap;
	int truncated;
	pool_chunk *pool;
};

mc_report *mc__report_new(void)
{
	return calloc(1, sizeof(mc_report));
}

static char *pool_dup(mc_report *r, const char *s)
{
	size_t n = strlen(s) + 1;
	pool_chunk *c = r->pool;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > MC__REPORT_POOL_CHUNK ? n : MC__REPORT_POOL_CHUNK;
		pool_chunk *nc = malloc(sizeof *nc + cap);
		if (!nc)
			return NULL;
		nc->next = c;
		nc->used = 0;
		nc->cap = cap;
		r->pool = c = nc;
	}
	char *d = c->data + c->used;
	memcpy(d, s, n);
	c->used += n;
	return d;
}

/* Most report messages are constant or take only %s arguments, and every
 * verification writes about eight of them: format those by hand (vsnprintf
 * costs a few percent of a whole verification) and leave anything else to
 * vsnprintf. Output is truncated at cap - 1 bytes either way. */
static void format_msg(char *out, size_t cap, const char *fmt, va_list ap)
{
	for (const char *p = fmt; *p; p++)
		if (*p == '%' && !(p[1] == 's' || p[1] == '%')) {
			vsnprintf(out, cap, fmt, ap);
			return;
		}
	size_t n = 0;
	for (const char *p = fmt; *p && n + 1 < cap; p++) {
		if (*p != '%') {
			out[n++] = *p;
			continue;
		}
		p++;
		if (*p == '%') {
			out[n++] = '%';
			continue;
		}
		const char *a = va_arg(ap, const char *);
		if (!a)
			a = "(null)";
		while (*a && n + 1 < cap)
			out[n++] = *a++;
	}
	out[n] = '\0';
}

mc_status mc__report_add(mc_report *r, const char *check, mc_result res, mc_status code, const char *path,
                         const char *fmt, ...)
{
	if (!r)
		return MC_ERR_ARG;
	if (r->n >= MC__REPORT_MAX_ENTRIES) {
		if (!r->truncated) {
			r->truncated = 1;
			r->v[r->n - 1].result = MC_FAIL;
		}
		return MC_OK;
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		mc_finding *nv = realloc(r->v, nc * sizeof *nv);
		if (!nv)
			return MC_ERR_NOMEM;
		r->v = nv;
		r->cap = nc;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	format_msg(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mc_finding *f = &r->v[r->n];
	f->check = pool_dup(r, check);
	f->path = pool_dup(r, path ? path : "");
	f->message = pool_dup(r, msg);
	f->result = res;
	f->code = code;
	if (!f->check || !f->path || !f->message)
		return MC_ERR_NOMEM; /* pooled strings go with the report */
	r->n++;
	return MC_OK;
}

mc_status mc__report_merge(mc_report *dst, mc_report *src)
{
	if (!src)
		return MC_OK;
	mc_status st = MC_OK;
	for (size_t i = 0; i < src->n && st == MC_OK; i++) {
		const mc_finding *f = &src->v[i];
		st = mc__report_add(dst, f->check, f->result, f->code, f->path, "%s", f->message);
	}
	mc_report_free(src);
	return st;
}

size_t mc_report_count(const mc_report *r)
{
	return r ? r->n : 0;
}

const mc_finding *mc_report_get(const mc_report *r, size_t i)
{
	return r && i < r->n ? &r->v[i] : NULL;
}

int mc_report_ok(const mc_report *r)
{
	if (!r)
		return 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].result == MC_FAIL)
			return 0;
	return 1;
}

static const char *result_name(mc_result r)
{
	switch (r) {
	case MC_PASS: return "pass";
	case MC_FAIL: return "fail";
	case MC_WARN: return "warn";
	case MC_SKIP: return "skip";
	}
	return "fail";
}

mc_status mc_report_json(const mc_report *r, char **out)
{
	*out = NULL;
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = root ? cJSON_AddArrayToObject(root, "checks") : NULL;
	if (!arr || !cJSON_AddBoolToObject(root, "ok", mc_report_ok(r))) {
		cJSON_Delete(root);
		return MC_ERR_NOMEM;
	}
	for (size_t i = 0; r && i < r->n; i++) {
		const mc_finding *f = &r->v[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o) || !cJSON_AddStringToObject(o, "check", f->check) ||
		    !cJSON_AddStringToObject(o, "result", result_name(f->result)) ||
		    !cJSON_AddStringToObject(o, "path", f->path) || !cJSON_AddStringToObject(o, "message", f->message) ||
		    !cJSON_AddNumberToObject(o, "code", (double)f->code)) {
			cJSON_Delete(root);
			return MC_ERR_NOMEM;
		}
	}
	*out = mc__json_print(root, 1);
	cJSON_Delete(root);
	return *out ? MC_OK : MC_ERR_NOMEM;
}

void mc_report_free(mc_report *r)
{
	if (!r)
		return;
	while (r->pool) {
		pool_chunk *c = r->pool;
		r->pool = c->next;
		free(c);
	}
	free(r->v);
	free(r);
}
