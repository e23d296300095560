/*
 * catalogue.c - offers of micro-credentials: the strict offer format, offers
 * built from published achievement templates, and catalogue feeds that an
 * aggregator (a regional or national portal) imports from many providers.
 * Searching is the store's (ops_trust.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trust/trust_internal.h"

/* Modes of delivery: the forms of participation of docs/model.md that an
 * offer can be taught in. */
static const char *const modes[] = {"online", "onsite", "blended", NULL};

void mc_offer_clear(mc_offer *o)
{
	if (!o)
		return;
	free(o->id), free(o->provider), free(o->title), free(o->description), free(o->outcomes);
	free(o->language), free(o->mode), free(o->json);
	memset(o, 0, sizeof *o);
}

void mc_offer_list_free(mc_offer *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mc_offer_clear(&v[i]);
	free(v);
}

static mc_status sub_object(const cJSON *o, const char *base, const char *key, const char *const *keys,
                            const cJSON **out, char path[MC_ERR_PATH_MAX], mc_err *err)
{
	*out = mc__json_get(o, key);
	mc__path_key(path, MC_ERR_PATH_MAX, base, key);
	if (!*out)
		return MC_OK;
	if (!cJSON_IsObject(*out))
		return mc__fail(err, MC_ERR_TYPE, path, "must be an object");
	return mc__tr_only(*out, path, keys, err);
}

static mc_status check_details(const cJSON *o, const char *base, mc_err *err)
{
	static const char *const price_keys[] = {"amount", "currency", NULL}, *const sched_keys[] = {"start", "end", NULL},
	                         *const qa_keys[] = {"type", "agency", "url", "description", NULL};
	const cJSON *sub;
	char path[MC_ERR_PATH_MAX];
	const char *s;
	MC__CHECK(sub_object(o, base, "price", price_keys, &sub, path, err));
	if (sub) {
		double amount;
		MC__CHECK(mc__tr_num(sub, path, "amount", true, 0, 1e9, &amount, NULL, err));
		MC__CHECK(mc__tr_str(sub, path, "currency", true, 3, &s, err));
		if (strlen(s) != 3 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
			return mc__fail_at(err, MC_ERR_VALUE, path, "currency", "must be an ISO 4217 code (\"EUR\")");
	}
	MC__CHECK(sub_object(o, base, "schedule", sched_keys, &sub, path, err));
	if (sub) {
		int64_t t0 = 0, t1 = 0;
		MC__CHECK(mc__tr_str(sub, path, "start", true, 10, &s, err));
		if (!mc__tr_date(s, &t0))
			return mc__fail_at(err, MC_ERR_VALUE, path, "start", "must be a date YYYY-MM-DD");
		MC__CHECK(mc__tr_str(sub, path, "end", false, 10, &s, err));
		if (s && !mc__tr_date(s, &t1))
			return mc__fail_at(err, MC_ERR_VALUE, path, "end", "must be a date YYYY-MM-DD");
		if (s && t1 < t0)
			return mc__fail_at(err, MC_ERR_VALUE, path, "end", "the course ends before it starts");
	}
	MC__CHECK(sub_object(o, base, "qualityAssurance", qa_keys, &sub, path, err));
	if (sub) {
		MC__CHECK(mc__tr_str(sub, path, "type", true, 64, &s, err));
		if (!mc__vocab_find(&mc__v_qa, s))
			return mc__fail_at(err, MC_ERR_VALUE, path, "type", "is not a type of quality assurance (docs/model.md)");
		MC__CHECK(mc__tr_str(sub, path, "agency", false, MC_STORE_TEXT_MAX, &s, err));
		MC__CHECK(mc__tr_iri(sub, path, "url", false, &s, err));
		char *a = NULL, *b = NULL;
		MC__CHECK(mc__tr_text(sub, path, "description", false, MC_STORE_TEXT_MAX, &a, &b, err));
		free(a), free(b);
	}
	MC__CHECK(mc__tr_iri(o, base, "enrolment", false, &s, err));
	char *a = NULL, *b = NULL;
	MC__CHECK(mc__tr_text(o, base, "place", false, MC_STORE_TEXT_MAX, &a, &b, err));
	free(a), free(b);
	return MC_OK;
}

static mc_status parse_offer(const cJSON *o, const char *base, mc_offer *out, mc_err *err)
{
	static const char *const keys[] = {"id",       "provider", "template", "title",    "description",
	                                   "learningOutcomes",     "ects",     "eqfLevel", "iscedF",
	                                   "country",  "language", "mode",     "place",    "price",
	                                   "enrolment", "schedule", "qualityAssurance",    "stackableInto", NULL};
	static const char *const tkeys[] = {"id", "version", NULL};
	if (!cJSON_IsObject(o))
		return mc__fail(err, MC_ERR_TYPE, base, "an offer must be a JSON object");
	MC__CHECK(mc__tr_only(o, base, keys, err));
	const char *id, *prov, *s;
	MC__CHECK(mc__tr_iri(o, base, "id", true, &id, err));
	MC__CHECK(mc__tr_iri(o, base, "provider", true, &prov, err));
	const cJSON *tpl;
	char path[MC_ERR_PATH_MAX];
	MC__CHECK(sub_object(o, base, "template", tkeys, &tpl, path, err));
	if (tpl) {
		int64_t v;
		MC__CHECK(mc__tr_str(tpl, path, "id", true, MC_STORE_ID_MAX, &s, err));
		MC__CHECK(mc__tr_int(tpl, path, "version", true, 1, INT32_MAX, &v, NULL, err));
	}
	char *first = NULL;
	MC__CHECK(mc__tr_text(o, base, "title", true, MC_STORE_TEXT_MAX, &out->title, &first, err));
	free(first);
	MC__CHECK(mc__tr_text(o, base, "description", true, MC_JSON_MAX_BYTES, &first, &out->description, err));
	free(first);
	const cJSON *lo;
	MC__CHECK(mc__tr_array(o, base, "learningOutcomes", true, MC_MODEL_MAX_ITEMS, &lo, err));
	mc__path_key(path, sizeof path, base, "learningOutcomes");
	if (!lo->child)
		return mc__fail(err, MC_ERR_VALUE, path, "an offer states at least one learning outcome");
	mc__buf b;
	mc__buf_init(&b, MC_JSON_MAX_BYTES);
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, lo)
	{
		char *one = NULL, *all = NULL, ip[MC_ERR_PATH_MAX];
		mc__path_index(ip, sizeof ip, path, i++);
		mc_status st = mc__tr_text_node(e, ip, MC_JSON_MAX_BYTES, &one, &all, err);
		if (st != MC_OK) {
			mc__buf_release(&b);
			return st;
		}
		if (b.len)
			mc__buf_adds(&b, "\n");
		mc__buf_adds(&b, all);
		free(one), free(all);
	}
	out->outcomes = mc__buf_take(&b, NULL);
	mc__buf_release(&b);
	int64_t eqf = 0;
	MC__CHECK(mc__tr_num(o, base, "ects", true, 0.01, 180, &out->ects, NULL, err));
	MC__CHECK(mc__tr_int(o, base, "eqfLevel", false, 1, 8, &eqf, NULL, err));
	out->eqf = (int)eqf;
	MC__CHECK(mc__tr_str(o, base, "iscedF", false, 4, &s, err));
	if (s && !mc__iscedf_valid(s))
		return mc__fail_at(err, MC_ERR_VALUE, base, "iscedF", "must be an ISCED-F 2013 detailed field (\"0688\")");
	snprintf(out->field, sizeof out->field, "%s", s ? s : "");
	MC__CHECK(mc__tr_str(o, base, "country", true, 2, &s, err));
	if (!mc__country_valid(s))
		return mc__fail_at(err, MC_ERR_VALUE, base, "country", "must be an ISO 3166-1 alpha-2 code (\"AT\")");
	snprintf(out->country, sizeof out->country, "%s", s);
	MC__CHECK(mc__tr_str(o, base, "language", true, 8, &s, err));
	if (!mc__lang_valid(s))
		return mc__fail_at(err, MC_ERR_VALUE, base, "language", "must be an ISO 639-1 code (\"en\")");
	out->language = strdup(s);
	MC__CHECK(mc__tr_str(o, base, "mode", true, 16, &s, err));
	size_t m = 0;
	while (modes[m] && strcmp(modes[m], s) != 0)
		m++;
	if (!modes[m])
		return mc__fail_at(err, MC_ERR_VALUE, base, "mode", "must be online, onsite or blended");
	out->mode = strdup(s);
	MC__CHECK(check_details(o, base, err));
	const cJSON *st_into;
	MC__CHECK(mc__tr_array(o, base, "stackableInto", false, MC_MODEL_MAX_ITEMS, &st_into, err));
	mc__path_key(path, sizeof path, base, "stackableInto");
	i = 0;
	cJSON_ArrayForEach(e, st_into)
	{
		char ip[MC_ERR_PATH_MAX];
		mc__path_index(ip, sizeof ip, path, i++);
		if (!cJSON_IsString(e) || !mc__iri_valid(e->valuestring))
			return mc__fail(err, MC_ERR_VALUE, ip, "must be the id (an IRI) of a larger credential or pathway");
	}
	out->id = strdup(id);
	out->provider = strdup(prov);
	out->json = cJSON_PrintUnformatted(o);
	if (!out->id || !out->provider || !out->json || !out->language || !out->mode || !out->outcomes)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	return MC_OK;
}

mc_status mc_offer_parse(const char *buf, size_t len, mc_offer *out, mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	cJSON *root = NULL;
	MC__CHECK(mc__tr_load(buf, len, out, &root, err));
	mc_status st = parse_offer(root, "$", out, err);
	cJSON_Delete(root);
	if (st != MC_OK)
		mc_offer_clear(out);
	return st;
}

mc_status mc_catalogue_feed_parse(const char *buf, size_t len, mc_offer **out, size_t *n, mc_err *err)
{
	static const char *const keys[] = {"provider", "offers", NULL};
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	cJSON *root = NULL;
	MC__CHECK(mc__tr_load(buf, len, out && n ? out : NULL, &root, err));
	mc_status st = MC_OK;
	const char *prov = NULL;
	const cJSON *arr = NULL;
	if (!cJSON_IsObject(root))
		st = mc__fail(err, MC_ERR_TYPE, "$", "a catalogue feed must be a JSON object {\"offers\": [...]}");
	if (st == MC_OK)
		st = mc__tr_only(root, "$", keys, err);
	if (st == MC_OK)
		st = mc__tr_iri(root, "$", "provider", false, &prov, err);
	if (st == MC_OK)
		st = mc__tr_array(root, "$", "offers", true, MC_TRUST_MAX_ENTRIES, &arr, err);
	size_t cnt = st == MC_OK ? (size_t)cJSON_GetArraySize(arr) : 0;
	mc_offer *v = st == MC_OK ? calloc(cnt ? cnt : 1, sizeof *v) : NULL;
	if (st == MC_OK && !v)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	size_t i = 0;
	const cJSON *e = st == MC_OK ? arr->child : NULL;
	for (; st == MC_OK && e; e = e->next, i++) {
		char path[MC_ERR_PATH_MAX];
		mc__path_index(path, sizeof path, "$.offers", i);
		st = parse_offer(e, path, &v[i], err);
		if (st == MC_OK && prov && strcmp(prov, v[i].provider) != 0)
			st = mc__fail_at(err, MC_ERR_VALUE, path, "provider", "the feed is %s's, but this offer is %s's", prov,
			                 v[i].provider);
		for (size_t j = 0; st == MC_OK && j < i; j++)
			if (strcmp(v[j].id, v[i].id) == 0)
				st = mc__fail_at(err, MC_ERR_VALUE, path, "id", "duplicate offer id %s (also $.offers[%zu])",
				                 v[i].id, j);
	}
	cJSON_Delete(root);
	if (st != MC_OK) {
		mc_offer_list_free(v, cnt);
		return st;
	}
	*out = v;
	*n = cnt;
	return MC_OK;
}

/* ---- Offers from templates ------------------------------------------------ */

static bool copy_member(cJSON *dst, const char *dkey, const cJSON *src, const char *skey)
{
	const cJSON *v = mc__json_get(src, skey);
	if (!v)
		return true;
	cJSON *c = cJSON_Duplicate(v, 1);
	return c && cJSON_AddItemToObject(dst, dkey, c);
}

mc_status mc_offer_from_template(const char *achievement, size_t alen, const char *details, size_t dlen,
                                 const char *template_id, int64_t version, char **offer_json, mc_err *err)
{
	static const char *const dkeys[] = {"id", "provider", "country", "language", "mode",
	                                    "place", "price", "enrolment", "schedule", NULL};
	if (!offer_json)
		return mc__fail(err, MC_ERR_ARG, "offer_json", "offer_json is NULL");
	*offer_json = NULL;
	if (!achievement || !details)
		return mc__fail(err, MC_ERR_ARG, !achievement ? "achievement" : "details", "argument is NULL");
	cJSON *ach = NULL, *det = NULL, *o = NULL;
	mc_status st = mc__json_load(achievement, alen, &ach, err);
	if (st == MC_OK)
		st = mc__json_load(details, dlen, &det, err);
	if (st == MC_OK && (!cJSON_IsObject(ach) || !cJSON_IsObject(det)))
		st = mc__fail(err, MC_ERR_TYPE, "$", "the template and the details must be JSON objects");
	if (st == MC_OK)
		st = mc__tr_only(det, "details: $", dkeys, err);
	if (st == MC_OK) {
		o = cJSON_CreateObject();
		bool ok = o && copy_member(o, "id", det, "id") && copy_member(o, "provider", det, "provider");
		if (ok && template_id) {
			cJSON *t = cJSON_AddObjectToObject(o, "template");
			ok = t && cJSON_AddStringToObject(t, "id", template_id) &&
			     cJSON_AddNumberToObject(t, "version", (double)version);
		}
		ok = ok && copy_member(o, "title", ach, "title") && copy_member(o, "description", ach, "description");
		/* outcomes: the texts, without the skill lists */
		const cJSON *lo = mc__json_get(ach, "learningOutcomes");
		if (ok && lo) {
			cJSON *arr = cJSON_AddArrayToObject(o, "learningOutcomes");
			const cJSON *e;
			ok = arr != NULL;
			cJSON_ArrayForEach(e, lo)
			{
				const cJSON *t = cJSON_IsObject(e) && mc__json_get(e, "text") ? mc__json_get(e, "text") : e;
				cJSON *c = cJSON_Duplicate(t, 1);
				ok = ok && c && cJSON_AddItemToArray(arr, c);
			}
		}
		ok = ok && copy_member(o, "ects", ach, "ects") && copy_member(o, "eqfLevel", ach, "eqfLevel") &&
		     copy_member(o, "iscedF", ach, "iscedF");
		for (const char *const *k = dkeys + 2; ok && *k; k++)
			ok = copy_member(o, *k, det, *k);
		const cJSON *qa = mc__json_get(ach, "qualityAssurance");
		if (ok && qa)
			ok = copy_member(o, "qualityAssurance", ach, "qualityAssurance");
		const cJSON *into = mc__json_get(mc__json_get(ach, "stackability"), "stackableInto");
		if (ok && cJSON_IsArray(into) && into->child) {
			cJSON *arr = cJSON_AddArrayToObject(o, "stackableInto");
			const cJSON *e;
			ok = arr != NULL;
			cJSON_ArrayForEach(e, into)
			{
				const cJSON *id = mc__json_get(e, "id");
				if (cJSON_IsString(id))
					ok = ok && cJSON_AddItemToArray(arr, cJSON_CreateString(id->valuestring));
			}
		}
		if (!ok)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	if (st == MC_OK) {
		/* the result must be a valid offer: its paths name the offer */
		mc_offer chk = {0};
		st = parse_offer(o, "$", &chk, err);
		if (st == MC_OK)
			*offer_json = mc__json_print(o, 1);
		mc_offer_clear(&chk);
		if (st == MC_OK && !*offer_json)
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	cJSON_Delete(o);
	cJSON_Delete(ach);
	cJSON_Delete(det);
	return st;
}
