/*
 * credential.c - BitstringStatusListCredential build and strict parse,
 * BitstringStatusListEntry build, and the status check of a credential
 * against a set of parsed status lists (spec 3.2, "Validate Algorithm").
 *
 * Deliberate choices: statusListIndex must be a JSON string of decimal
 * digits without sign or leading zero (the spec's form; "012" and 12 are
 * refused rather than guessed); dates of the list credential are compared
 * with the caller's clock at check time, not at add time, so one set of
 * lists can serve a long-running verifier.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mcred/status.h"

#define VC2_CONTEXT "https://www.w3.org/ns/credentials/v2"

/* ttl ceiling: integers above 2^53 do not survive a JSON number. */
#define TTL_MAX ((uint64_t)1 << 53)

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- build ----------------------------------------------------------- */

typedef struct jb {
	bool oom;
} jb;

static cJSON *put(jb *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->oom = true;
		return NULL;
	}
	return item;
}

static void push(jb *b, cJSON *arr, cJSON *item)
{
	if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		b->oom = true;
	}
}

static mc_status build_cred(const mc_statuslist *l, const mc_statuslist_cred_opts *o, char **out, mc_err *err)
{
	if (!o->id || !*o->id)
		return mc__fail(err, MC_ERR_ARG, "opts.id", "the status list credential needs an id (its URL)");
	if (!o->issuer || !*o->issuer)
		return mc__fail(err, MC_ERR_ARG, "opts.issuer", "the status list credential needs an issuer");
	const char *purpose = mc_status_purpose_name(o->purpose);
	if (!purpose)
		return mc__fail(err, MC_ERR_ARG, "opts.purpose", "unknown status purpose %d", (int)o->purpose);
	if (o->ttl_ms > TTL_MAX)
		return mc__fail(err, MC_ERR_ARG, "opts.ttl_ms", "ttl is above 2^53 milliseconds");
	char from[32];
	int64_t t_from, t_until;
	if (o->valid_from) {
		if (!mc__time_parse(o->valid_from, false, &t_from))
			return mc__fail(err, MC_ERR_VALUE, "opts.valid_from", "validFrom is not an XML Schema dateTime with a zone");
		snprintf(from, sizeof from, "%s", o->valid_from);
	} else {
		t_from = mc__time_now();
		mc__time_format(t_from, from);
	}
	if (o->valid_until) {
		if (!mc__time_parse(o->valid_until, false, &t_until))
			return mc__fail(err, MC_ERR_VALUE, "opts.valid_until", "validUntil is not an XML Schema dateTime with a zone");
		if (t_until <= t_from)
			return mc__fail(err, MC_ERR_VALUE, "opts.valid_until", "validUntil is not after validFrom");
	}
	char *enc = NULL;
	mc_status st = mc_statuslist_encode(l, &enc, err);
	if (st != MC_OK)
		return st;
	size_t idlen = strlen(o->id);
	char *subj_id = malloc(idlen + sizeof "#list");
	if (!subj_id) {
		mc_free(enc);
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	}
	memcpy(subj_id, o->id, idlen);
	memcpy(subj_id + idlen, "#list", sizeof "#list");

	jb b = {0};
	cJSON *root = cJSON_CreateObject();
	if (!root)
		b.oom = true;
	cJSON *ctx = put(&b, root, "@context", cJSON_CreateArray());
	push(&b, ctx, cJSON_CreateString(VC2_CONTEXT));
	put(&b, root, "id", cJSON_CreateString(o->id));
	cJSON *type = put(&b, root, "type", cJSON_CreateArray());
	push(&b, type, cJSON_CreateString("VerifiableCredential"));
	push(&b, type, cJSON_CreateString("BitstringStatusListCredential"));
	put(&b, root, "issuer", cJSON_CreateString(o->issuer));
	put(&b, root, "validFrom", cJSON_CreateString(from));
	if (o->valid_until)
		put(&b, root, "validUntil", cJSON_CreateString(o->valid_until));
	cJSON *subj = put(&b, root, "credentialSubject", cJSON_CreateObject());
	put(&b, subj, "id", cJSON_CreateString(subj_id));
	put(&b, subj, "type", cJSON_CreateString("BitstringStatusList"));
	put(&b, subj, "statusPurpose", cJSON_CreateString(purpose));
	put(&b, subj, "encodedList", cJSON_CreateString(enc));
	if (o->ttl_ms)
		put(&b, subj, "ttl", cJSON_CreateNumber((double)o->ttl_ms));
	free(subj_id);
	mc_free(enc);
	if (!b.oom && !(*out = mc__json_print(root, 1)))
		b.oom = true;
	cJSON_Delete(root);
	return b.oom ? mc__fail(err, MC_ERR_NOMEM, "", "out of memory") : MC_OK;
}

mc_status mc_statuslist_credential(const mc_statuslist *l, const mc_statuslist_cred_opts *opts, char **out,
                                   mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!l || !opts)
		return mc__fail(err, MC_ERR_ARG, l ? "opts" : "list", "%s is NULL", l ? "opts" : "list");
	mc__arena_begin();
	mc_status st = build_cred(l, opts, out, err);
	mc__arena_end();
	return st;
}

mc_status mc__status_entry_tree(const char *list_credential, mc_status_purpose purpose, uint64_t index, cJSON **out,
                                 mc_err *err)
{
	*out = NULL;
	if (!list_credential || !*list_credential)
		return mc__fail(err, MC_ERR_ARG, "list_credential", "the entry needs the status list credential's URL");
	const char *pname = mc_status_purpose_name(purpose);
	if (!pname)
		return mc__fail(err, MC_ERR_ARG, "purpose", "unknown status purpose %d", (int)purpose);
	if (index >= (uint64_t)MC_STATUSLIST_MAX_BYTES * 8u)
		return mc__fail(err, MC_ERR_VALUE, "index", "index %" PRIu64 " is beyond any status list", index);
	char idx[24];
	snprintf(idx, sizeof idx, "%" PRIu64, index);
	size_t n = strlen(list_credential), il = strlen(idx);
	char *id = malloc(n + 1 + il + 1);
	jb b = {0};
	cJSON *e = id ? cJSON_CreateObject() : NULL;
	if (e) {
		memcpy(id, list_credential, n);
		id[n] = '#';
		memcpy(id + n + 1, idx, il + 1);
		put(&b, e, "id", cJSON_CreateString(id));
		put(&b, e, "type", cJSON_CreateString("BitstringStatusListEntry"));
		put(&b, e, "statusPurpose", cJSON_CreateString(pname));
		put(&b, e, "statusListIndex", cJSON_CreateString(idx));
		put(&b, e, "statusListCredential", cJSON_CreateString(list_credential));
	}
	free(id);
	if (!e || b.oom) {
		cJSON_Delete(e);
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	}
	*out = e;
	return MC_OK;
}

mc_status mc_status_entry(const char *list_credential, mc_status_purpose purpose, uint64_t index, char **out,
                          mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	mc__arena_begin();
	cJSON *e = NULL;
	mc_status st = mc__status_entry_tree(list_credential, purpose, index, &e, err);
	if (st == MC_OK && !(*out = mc__json_print(e, 0)))
		st = mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	cJSON_Delete(e);
	mc__arena_end();
	return st;
}

/* ---- parse ----------------------------------------------------------- */

static int has_type(const cJSON *type, const char *t)
{
	if (cJSON_IsString(type))
		return strcmp(type->valuestring, t) == 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, type)
	{
		if (cJSON_IsString(c) && strcmp(c->valuestring, t) == 0)
			return 1;
	}
	return 0;
}

/* Optional dateTime member: absent leaves *has 0. */
static mc_status get_date(const cJSON *obj, const char *key, const char *path, int64_t *t, int *has, mc_err *err)
{
	const cJSON *v = mc__json_get(obj, key);
	*has = 0;
	if (!v)
		return MC_OK;
	if (!cJSON_IsString(v))
		return mc__fail(err, MC_ERR_TYPE, path, "%s must be a string", key);
	if (!mc__time_parse(v->valuestring, false, t))
		return mc__fail(err, MC_ERR_VALUE, path, "%s is not an XML Schema dateTime with a zone", key);
	*has = 1;
	return MC_OK;
}

static mc_status parse_tree(const cJSON *root, mc_statuslist_info *info, mc_statuslist **list, mc_err *err)
{
	if (!cJSON_IsObject(root))
		return mc__fail(err, MC_ERR_TYPE, "$", "a status list credential must be a JSON object");
	const cJSON *ctx = mc__json_get(root, "@context");
	const cJSON *first = cJSON_IsArray(ctx) ? ctx->child : ctx;
	if (!ctx)
		return mc__fail(err, MC_ERR_MISSING, "$[\"@context\"]", "@context is missing");
	if (!cJSON_IsString(first) || strcmp(first->valuestring, VC2_CONTEXT) != 0)
		return mc__fail(err, MC_ERR_VALUE, "$[\"@context\"]", "the first @context must be %s", VC2_CONTEXT);
	const cJSON *id = mc__json_get(root, "id");
	if (!id)
		return mc__fail(err, MC_ERR_MISSING, "$.id", "a status list credential needs an id (its URL)");
	if (!cJSON_IsString(id) || !*id->valuestring)
		return mc__fail(err, MC_ERR_TYPE, "$.id", "id must be a non-empty string");
	const cJSON *type = mc__json_get(root, "type");
	if (!type)
		return mc__fail(err, MC_ERR_MISSING, "$.type", "type is missing");
	if (!cJSON_IsArray(type))
		return mc__fail(err, MC_ERR_TYPE, "$.type", "type must be an array");
	if (!has_type(type, "VerifiableCredential") || !has_type(type, "BitstringStatusListCredential"))
		return mc__fail(err, MC_ERR_VALUE, "$.type",
		                "type must contain VerifiableCredential and BitstringStatusListCredential");
	const cJSON *iss = mc__json_get(root, "issuer");
	const char *issuer = NULL;
	if (cJSON_IsString(iss)) {
		issuer = iss->valuestring;
	} else if (cJSON_IsObject(iss)) {
		const cJSON *iid = mc__json_get(iss, "id");
		if (!cJSON_IsString(iid))
			return mc__fail(err, iid ? MC_ERR_TYPE : MC_ERR_MISSING, "$.issuer.id", "issuer.id must be a string");
		issuer = iid->valuestring;
	} else {
		return mc__fail(err, iss ? MC_ERR_TYPE : MC_ERR_MISSING, "$.issuer",
		                "issuer must be a string or an object with an id");
	}
	if (!*issuer)
		return mc__fail(err, MC_ERR_VALUE, "$.issuer", "issuer is empty");
	mc_statuslist_info in = {0};
	mc_status st = get_date(root, "validFrom", "$.validFrom", &in.valid_from, &in.has_valid_from, err);
	if (st == MC_OK)
		st = get_date(root, "validUntil", "$.validUntil", &in.valid_until, &in.has_valid_until, err);
	if (st != MC_OK)
		return st;
	if (in.has_valid_from && in.has_valid_until && in.valid_until <= in.valid_from)
		return mc__fail(err, MC_ERR_VALUE, "$.validUntil", "validUntil is not after validFrom");

	const cJSON *subj = mc__json_get(root, "credentialSubject");
	if (!subj)
		return mc__fail(err, MC_ERR_MISSING, "$.credentialSubject", "credentialSubject is missing");
	if (!cJSON_IsObject(subj))
		return mc__fail(err, MC_ERR_TYPE, "$.credentialSubject", "credentialSubject must be one object");
	const cJSON *sid = mc__json_get(subj, "id");
	if (sid && !cJSON_IsString(sid))
		return mc__fail(err, MC_ERR_TYPE, "$.credentialSubject.id", "credentialSubject.id must be a string");
	const cJSON *stype = mc__json_get(subj, "type");
	if (!stype)
		return mc__fail(err, MC_ERR_MISSING, "$.credentialSubject.type", "credentialSubject.type is missing");
	if (!has_type(stype, "BitstringStatusList"))
		return mc__fail(err, MC_ERR_VALUE, "$.credentialSubject.type", "credentialSubject.type must be BitstringStatusList");
	const cJSON *sp = mc__json_get(subj, "statusPurpose");
	if (!sp)
		return mc__fail(err, MC_ERR_MISSING, "$.credentialSubject.statusPurpose", "statusPurpose is missing");
	if (cJSON_IsString(sp)) {
		mc_status_purpose p;
		if (mc_status_purpose_parse(sp->valuestring, &p) != MC_OK)
			return mc__fail(err, MC_ERR_UNSUPPORTED, "$.credentialSubject.statusPurpose",
			                "status purpose \"%.64s\" is not supported (revocation, suspension)", sp->valuestring);
		in.purposes = 1u << p;
	} else if (cJSON_IsArray(sp) && sp->child) {
		size_t i = 0;
		for (const cJSON *c = sp->child; c; c = c->next, i++) {
			char path[64];
			snprintf(path, sizeof path, "$.credentialSubject.statusPurpose[%zu]", i);
			mc_status_purpose p;
			if (!cJSON_IsString(c))
				return mc__fail(err, MC_ERR_TYPE, path, "a status purpose must be a string");
			if (mc_status_purpose_parse(c->valuestring, &p) != MC_OK)
				return mc__fail(err, MC_ERR_UNSUPPORTED, path,
				                "status purpose \"%.64s\" is not supported (revocation, suspension)", c->valuestring);
			in.purposes |= 1u << p;
		}
	} else {
		return mc__fail(err, MC_ERR_TYPE, "$.credentialSubject.statusPurpose",
		                "statusPurpose must be a string or a non-empty array of strings");
	}
	const cJSON *ttl = mc__json_get(subj, "ttl");
	if (ttl) {
		if (!cJSON_IsNumber(ttl) || ttl->valuedouble < 0 || ttl->valuedouble > (double)TTL_MAX ||
		    ttl->valuedouble != (double)(uint64_t)ttl->valuedouble)
			return mc__fail(err, MC_ERR_VALUE, "$.credentialSubject.ttl",
			                "ttl must be a non-negative integer number of milliseconds");
		in.ttl_ms = (uint64_t)ttl->valuedouble;
	}
	const cJSON *el = mc__json_get(subj, "encodedList");
	if (!el)
		return mc__fail(err, MC_ERR_MISSING, "$.credentialSubject.encodedList", "encodedList is missing");
	if (!cJSON_IsString(el))
		return mc__fail(err, MC_ERR_TYPE, "$.credentialSubject.encodedList", "encodedList must be a string");
	mc_err de = {0};
	mc_statuslist *l = NULL;
	st = mc_statuslist_decode(el->valuestring, strlen(el->valuestring), &l, &de);
	if (st != MC_OK)
		return mc__fail(err, st, "$.credentialSubject.encodedList", "%s", de.msg);
	in.id = dupstr(id->valuestring);
	in.issuer = dupstr(issuer);
	if (!in.id || !in.issuer) {
		mc_statuslist_info_clear(&in);
		mc_statuslist_free(l);
		return mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
	}
	if (info)
		*info = in;
	else
		mc_statuslist_info_clear(&in);
	if (list)
		*list = l;
	else
		mc_statuslist_free(l);
	return MC_OK;
}

mc_status mc_statuslist_credential_parse(const char *json, size_t len, mc_statuslist_info *info, mc_statuslist **list,
                                         mc_err *err)
{
	if (info)
		memset(info, 0, sizeof *info);
	if (list)
		*list = NULL;
	if (!json)
		return mc__fail(err, MC_ERR_ARG, "json", "json is NULL");
	mc__arena_begin();
	cJSON *root = NULL;
	mc_status st = mc__json_load(json, len, &root, err);
	if (st == MC_OK)
		st = parse_tree(root, info, list, err);
	cJSON_Delete(root);
	mc__arena_end();
	return st;
}

void mc_statuslist_info_clear(mc_statuslist_info *info)
{
	if (!info)
		return;
	free(info->id);
	free(info->issuer);
	memset(info, 0, sizeof *info);
}

/* ---- the set of lists ------------------------------------------------ */

typedef struct held {
	mc_statuslist_info info;
	mc_statuslist *list;
} held;

struct mc_status_lists {
	held *v;
	size_t n, cap;
};

mc_status mc_status_lists_new(mc_status_lists **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = calloc(1, sizeof **out);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
}

void mc_status_lists_free(mc_status_lists *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		mc_statuslist_info_clear(&s->v[i].info);
		mc_statuslist_free(s->v[i].list);
	}
	free(s->v);
	free(s);
}

size_t mc_status_lists_count(const mc_status_lists *s)
{
	return s ? s->n : 0;
}

static const held *find(const mc_status_lists *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].info.id, id) == 0)
			return &s->v[i];
	return NULL;
}

/* Run mc_verify; every failure but eu-elements and dates is fatal. */
static mc_status verify_list(const char *json, size_t len, const mc_verify_opts *opts, mc_err *err)
{
	mc_report *rep = NULL;
	mc_err ve = {0};
	mc_status st = mc_verify(json, len, opts, &rep, &ve);
	if (st != MC_OK && st != MC_ERR_INVALID) {
		mc_report_free(rep);
		return mc__fail(err, st, ve.path, "%s", ve.msg);
	}
	st = MC_OK;
	for (size_t i = 0; rep && i < mc_report_count(rep); i++) {
		const mc_finding *f = mc_report_get(rep, i);
		if (f->result != MC_FAIL || strcmp(f->check, "eu-elements") == 0 || strcmp(f->check, "dates") == 0)
			continue;
		st = mc__fail(err, MC_ERR_INVALID, f->path, "status list credential: %s: %s", f->check, f->message);
		break;
	}
	mc_report_free(rep);
	return st;
}

mc_status mc_status_lists_add(mc_status_lists *s, const char *json, size_t len, const mc_verify_opts *verify,
                              mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "lists", "lists is NULL");
	held h = {0};
	mc_status st = mc_statuslist_credential_parse(json, len, &h.info, &h.list, err);
	if (st != MC_OK)
		return st;
	if (find(s, h.info.id)) {
		st = mc__fail(err, MC_ERR_VALUE, "$.id", "a status list with id %.200s was already added", h.info.id);
		goto fail;
	}
	if (verify && (st = verify_list(json, len, verify, err)) != MC_OK)
		goto fail;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 4;
		held *nv = realloc(s->v, ncap * sizeof *nv);
		if (!nv) {
			st = mc__fail(err, MC_ERR_NOMEM, "", "out of memory");
			goto fail;
		}
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = h;
	return MC_OK;
fail:
	mc_statuslist_info_clear(&h.info);
	mc_statuslist_free(h.list);
	return st;
}

/* ---- the check ------------------------------------------------------- */

/* Record a failure for this entry. */
static void entry_fail(mc_status_result *r, mc_status st, const char *base, const char *key, const char *fmt, ...)
	MC__PRINTF(5, 6);
static void entry_fail(mc_status_result *r, mc_status st, const char *base, const char *key, const char *fmt, ...)
{
	r->code = st;
	r->set = 0;
	va_list ap;
	va_start(ap, fmt);
	mc__fail_atv(&r->detail, st, base, key, fmt, ap);
	va_end(ap);
}

/* statusListIndex: "0" or [1-9][0-9]*, below 2^63. */
static int parse_index(const char *s, uint64_t *out)
{
	if (!*s || (s[0] == '0' && s[1]) || strlen(s) > 19)
		return 0;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return 0;
	*out = v;
	return 1;
}

static void check_entry(const mc_status_lists *lists, const cJSON *e, const char *base, int64_t now,
                        mc_status_result *r)
{
	memset(r, 0, sizeof *r);
	if (!cJSON_IsObject(e)) {
		entry_fail(r, MC_ERR_TYPE, base, NULL, "%s", "a status entry must be an object");
		return;
	}
	const cJSON *type = mc__json_get(e, "type");
	if (!type) {
		entry_fail(r, MC_ERR_MISSING, base, "type", "%s", "the status entry has no type");
		return;
	}
	if (!has_type(type, "BitstringStatusListEntry")) {
		entry_fail(r, MC_ERR_UNSUPPORTED, base, "type", "%s",
		           "only BitstringStatusListEntry status entries are supported");
		return;
	}
	const cJSON *id = mc__json_get(e, "id");
	if (id && !cJSON_IsString(id)) {
		entry_fail(r, MC_ERR_TYPE, base, "id", "%s", "id must be a string");
		return;
	}
	const cJSON *size = mc__json_get(e, "statusSize");
	if (size && !(cJSON_IsNumber(size) && size->valuedouble == 1.0)) {
		entry_fail(r, cJSON_IsNumber(size) ? MC_ERR_UNSUPPORTED : MC_ERR_TYPE, base, "statusSize", "%s",
		           "only statusSize 1 is supported");
		return;
	}
	const cJSON *sp = mc__json_get(e, "statusPurpose");
	if (!cJSON_IsString(sp)) {
		entry_fail(r, sp ? MC_ERR_TYPE : MC_ERR_MISSING, base, "statusPurpose", "%s",
		           "statusPurpose must be a string");
		return;
	}
	if (mc_status_purpose_parse(sp->valuestring, &r->purpose) != MC_OK) {
		entry_fail(r, MC_ERR_UNSUPPORTED, base, "statusPurpose",
		           "status purpose \"%.64s\" is not supported (revocation, suspension)", sp->valuestring);
		return;
	}
	const cJSON *ix = mc__json_get(e, "statusListIndex");
	if (!cJSON_IsString(ix)) {
		entry_fail(r, ix ? MC_ERR_TYPE : MC_ERR_MISSING, base, "statusListIndex", "%s",
		           "statusListIndex must be a string of decimal digits");
		return;
	}
	if (!parse_index(ix->valuestring, &r->index)) {
		entry_fail(r, MC_ERR_VALUE, base, "statusListIndex", "statusListIndex \"%.32s\" is not a decimal index",
		           ix->valuestring);
		return;
	}
	const cJSON *lc = mc__json_get(e, "statusListCredential");
	if (!cJSON_IsString(lc)) {
		entry_fail(r, lc ? MC_ERR_TYPE : MC_ERR_MISSING, base, "statusListCredential", "%s",
		           "statusListCredential must be a URL string");
		return;
	}
	const held *h = lists ? find(lists, lc->valuestring) : NULL;
	if (!h) {
		entry_fail(r, MC_ERR_MISSING, base, "statusListCredential", "status list %.200s is not available",
		           lc->valuestring);
		return;
	}
	char when[32];
	if (h->info.has_valid_until && h->info.valid_until <= now) {
		mc__time_format(h->info.valid_until, when);
		entry_fail(r, MC_ERR_INVALID, base, "statusListCredential", "the status list expired on %s", when);
		return;
	}
	if (h->info.has_valid_from && h->info.valid_from > now) {
		mc__time_format(h->info.valid_from, when);
		entry_fail(r, MC_ERR_INVALID, base, "statusListCredential", "the status list is not valid before %s", when);
		return;
	}
	if (!(h->info.purposes & (1u << r->purpose))) {
		entry_fail(r, MC_ERR_VALUE, base, "statusPurpose", "the status list is not a %s list",
		           mc_status_purpose_name(r->purpose));
		return;
	}
	if (r->index >= mc_statuslist_size(h->list)) {
		entry_fail(r, MC_ERR_VALUE, base, "statusListIndex", "statusListIndex %s is outside the status list",
		           ix->valuestring);
		return;
	}
	int bit = 0;
	if (mc_statuslist_get(h->list, r->index, &bit, NULL) != MC_OK) {
		entry_fail(r, MC_ERR_INTERNAL, base, "statusListIndex", "%s", "the bit could not be read");
		return;
	}
	r->set = bit;
	r->code = MC_OK;
}

static mc_status check_tree(const mc_status_lists *lists, const cJSON *root, int64_t now, mc_status_result *res,
                            size_t cap, size_t *n, mc_err *err)
{
	if (!cJSON_IsObject(root))
		return mc__fail(err, MC_ERR_TYPE, "$", "a credential must be a JSON object");
	const cJSON *cs = mc__json_get(root, "credentialStatus");
	if (!cs)
		return mc__fail(err, MC_ERR_MISSING, "$.credentialStatus", "the credential has no credentialStatus");
	size_t count = cJSON_IsArray(cs) ? (size_t)cJSON_GetArraySize(cs) : 1;
	if (cJSON_IsArray(cs) && count == 0)
		return mc__fail(err, MC_ERR_VALUE, "$.credentialStatus", "credentialStatus is an empty array");
	if (count > cap || count > MC_STATUS_MAX_ENTRIES)
		return mc__fail(err, MC_ERR_TOO_LARGE, "$.credentialStatus",
		                "credentialStatus has %zu entries; at most %zu can be checked", count,
		                cap < MC_STATUS_MAX_ENTRIES ? cap : (size_t)MC_STATUS_MAX_ENTRIES);
	mc_status st = MC_OK;
	if (!cJSON_IsArray(cs)) {
		check_entry(lists, cs, "$.credentialStatus", now, &res[0]);
	} else {
		size_t i = 0;
		for (const cJSON *e = cs->child; e; e = e->next, i++) {
			char base[64];
			snprintf(base, sizeof base, "$.credentialStatus[%zu]", i);
			check_entry(lists, e, base, now, &res[i]);
		}
	}
	for (size_t i = 0; i < count; i++)
		if (res[i].code != MC_OK && st == MC_OK)
			st = mc__fail(err, MC_ERR_INVALID, res[i].detail.path, "%s", res[i].detail.msg);
	*n = count;
	return st;
}

mc_status mc_status_check(const mc_status_lists *lists, const char *cred, size_t len, int64_t now,
                          mc_status_result *res, size_t cap, size_t *n, mc_err *err)
{
	if (!n)
		return mc__fail(err, MC_ERR_ARG, "n", "n is NULL");
	*n = 0;
	if (!cred)
		return mc__fail(err, MC_ERR_ARG, "cred", "cred is NULL");
	if (!res && cap)
		return mc__fail(err, MC_ERR_ARG, "res", "res is NULL");
	if (!now)
		now = mc__time_now();
	mc__arena_begin();
	cJSON *root = NULL;
	mc_status st = mc__json_load(cred, len, &root, err);
	if (st == MC_OK)
		st = check_tree(lists, root, now, res, cap, n, err);
	cJSON_Delete(root);
	mc__arena_end();
	return st;
}
