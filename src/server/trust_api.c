/*
 * trust_api.c - the trust and transparency API (docs/api.md, "Trust"):
 * the register of providers and their QA (public read, admin import, the
 * signed register), the catalogue (public faceted search and offer pages,
 * issuers add offers from published templates, admins import other
 * providers' feeds), stackability pathways (public read and evaluation,
 * issuers save pathways and issue the stacked credential), recognition
 * (admins keep policies, issuers decide and may issue the decision as a
 * credential) and the register snapshot POST /api/v1/verify checks issuers
 * against. Thin: every rule is in libmcred (mcred/trust.h).
 *
 * Ids of offers, pathways and policies are IRIs with slashes, which a
 * {name} segment cannot carry (the server receives the path %-decoded), so
 * a single-item route takes the rest of the path ({...}) as the id.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/trust.h"
#include "srv.h"

/* ---- Limits (why: see each) ------------------------------------------------ */

/* Credentials one public evaluation or stacked issuance takes: a learner's
 * wallet towards one pathway holds tens; each is verified (a signature
 * check, ~1 ms) on an unauthenticated request, so the count is bounded
 * well below MC_PATHWAY_MAX_CREDENTIALS. */
#define SRV_WALLET_MAX 200u
/* Hits per catalogue page, and how deep paging goes (the library returns
 * at most MC_CATALOGUE_MAX_RESULTS, best first). */
#define SRV_CATALOGUE_PAGE_MAX 100u
/* Seconds the register snapshot that POST /api/v1/verify checks against
 * is reused: loading it costs three queries, a verification one
 * signature; an import through this server drops it at once. */
#define SRV_REGISTER_TTL 5
/* Decisions one list answers. */
#define SRV_DECISIONS_MAX 500u

/* ---- helpers ------------------------------------------------------------------ */

/* A library failure on a request body: a missing member of the body is
 * the client's bad field (400), not a missing resource (404). */
static void body_problem(srv_reply *out, mc_status st, const mc_err *e)
{
	if (st == MC_ERR_MISSING)
		srv_problem(out, 400, "bad-field", e->msg[0] ? e->msg : "a required member is missing", e->path);
	else
		srv_problem_mc(out, st, e);
}

static json_t *loads_or_null(const char *text)
{
	json_t *v = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
	return v ? v : json_null();
}

/* A member that must be a non-empty string; fills out when it is not. */
static const char *need_str(json_t *b, const char *key, const char *path, srv_reply *out)
{
	const char *v = json_string_value(json_object_get(b, key));
	if (!v || !*v || strlen(v) > MC_STORE_ID_MAX) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s is required (a string of 1 to %u bytes)", key, MC_STORE_ID_MAX);
		srv_problem(out, 400, "bad-field", msg, path);
		return NULL;
	}
	return v;
}

static const char *result_word(mc_result r)
{
	return r == MC_PASS ? "pass" : r == MC_FAIL ? "fail" : r == MC_WARN ? "warn" : "skip";
}

/* ---- register snapshot ------------------------------------------------------------ */

/* Shared by request threads: the cache holds one reference, each user
 * another; the last release frees. */
typedef struct reg_snap {
	mc_register reg;
	int refs;
	int64_t at;
} reg_snap;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static reg_snap *reg_cur;

static void snap_unref_locked(reg_snap *p)
{
	if (p && --p->refs == 0) {
		mc_register_clear(&p->reg);
		free(p);
	}
}

const mc_register *srv_register_acquire(srv *s, void **handle)
{
	*handle = NULL;
	int64_t now = srv_now();
	pthread_mutex_lock(&reg_mu);
	if (reg_cur && now - reg_cur->at < SRV_REGISTER_TTL) {
		reg_cur->refs++;
		*handle = reg_cur;
		pthread_mutex_unlock(&reg_mu);
		return &((reg_snap *)*handle)->reg;
	}
	pthread_mutex_unlock(&reg_mu);
	reg_snap *n = calloc(1, sizeof *n);
	srv_reply dummy = {0};
	srv_worker *w = n ? srv_worker_get(s, 0, NULL, &dummy) : NULL;
	free(dummy.body);
	mc_err e = {0};
	mc_status st = w ? mc_store_register_load(srv_worker_store(w), &n->reg, &e) : MC_ERR_IO;
	if (w)
		srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		if (n)
			mc_register_clear(&n->reg);
		free(n);
		return NULL; /* the check is left out, not failed: the store did not answer */
	}
	n->refs = 2; /* the cache and the caller */
	n->at = now;
	pthread_mutex_lock(&reg_mu);
	snap_unref_locked(reg_cur);
	reg_cur = n;
	pthread_mutex_unlock(&reg_mu);
	*handle = n;
	return &n->reg;
}

void srv_register_release(void *handle)
{
	pthread_mutex_lock(&reg_mu);
	snap_unref_locked(handle);
	pthread_mutex_unlock(&reg_mu);
}

/* Drop the cached snapshot (after an import, and at shutdown). */
void srv_trust_stop(void)
{
	pthread_mutex_lock(&reg_mu);
	snap_unref_locked(reg_cur);
	reg_cur = NULL;
	pthread_mutex_unlock(&reg_mu);
}

/* ---- pages ---------------------------------------------------------------------------- */

static void h_page(srv *s, srv_req *r, srv_reply *out)
{
	(void)s;
	const char *p = r->rt->pattern;
	srv_reply_asset(r, out, !strcmp(p, "/catalogue") ? "catalogue.html"
	                        : !strcmp(p, "/pathway") ? "pathway.html"
	                                                 : "register.html");
}

/* ---- register ---------------------------------------------------------------------------- */

static void h_register_get(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	void *h;
	const mc_register *reg = srv_register_acquire(s, &h);
	if (!reg) {
		srv_problem(out, 503, "unavailable", "the store does not answer", NULL);
		return;
	}
	char *json = NULL;
	mc_err e = {0};
	mc_status st = mc_register_to_json(reg, &json, &e);
	srv_register_release(h);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	srv_json_text(out, 200, json, strlen(json));
	out->cache = "public, max-age=60";
	mc_free(json);
}

/* Providers with their QA results, each with its agency's name and
 * whether the agency is EQAR-registered, and today's register check. */
static void h_register_providers(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	void *h;
	const mc_register *reg = srv_register_acquire(s, &h);
	if (!reg) {
		srv_problem(out, 503, "unavailable", "the store does not answer", NULL);
		return;
	}
	json_t *arr = json_array();
	int64_t now = srv_now();
	for (size_t i = 0; i < reg->nproviders; i++) {
		const mc_reg_provider *p = &reg->providers[i];
		mc_register_check_result cr;
		mc_register_check(reg, p->id, now, NULL, &cr);
		json_t *qa = json_array();
		for (size_t k = 0; k < reg->nresults; k++) {
			const mc_reg_qa *q = &reg->results[k];
			if (strcmp(q->provider, p->id) != 0)
				continue;
			const mc_reg_agency *ag = NULL;
			for (size_t a = 0; a < reg->nagencies && !ag; a++)
				if (!strcmp(reg->agencies[a].id, q->agency))
					ag = &reg->agencies[a];
			static const char *const kinds[] = {"institutional-review", "programme-accreditation", "iso-17024",
			                                    "platform-certification", "other"};
			static const char *const decisions[] = {"positive", "positive-with-conditions", "negative"};
			json_array_append_new(
				qa, json_pack("{s:s,s:s,s:s?,s:b,s:s,s:s,s:s,s:s?,s:s?,s:s?}", "id", q->id, "agency", q->agency,
			                      "agencyName", ag ? ag->name : NULL, "eqarRegistered", ag && ag->eqar_registered,
			                      "kind", kinds[q->kind], "decision", decisions[q->decision], "validFrom",
			                      q->valid_from, "validUntil", q->valid_until[0] ? q->valid_until : NULL, "report",
			                      q->report_url, "scope", q->scope));
		}
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:o,s:{s:s,s:s}}", "id", p->id, "name", p->name,
		                                     "country", p->country, "kind", p->kind, "url", p->url, "qaResults", qa,
		                                     "check", "result", result_word(cr.result), "reason", cr.reason));
	}
	srv_register_release(h);
	srv_json(out, 200, json_pack("{s:o}", "providers", arr));
	out->cache = "public, max-age=60";
}

static void h_register_signed(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 1, r->actor[0] ? r->actor : "server", out);
	if (!w)
		return;
	mc_register reg = {0};
	mc_err e = {0};
	char *signed_json = NULL, id[MC_STORE_ID_MAX + 32];
	mc_status st = mc_store_register_load(srv_worker_store(w), &reg, &e);
	if (st == MC_OK) {
		/* the register's id: the publisher's own, so it is stable */
		snprintf(id, sizeof id, "%s#register", mc_issuer_id(srv_worker_issuer(w)));
		st = mc_issuer_sign_register(srv_worker_issuer(w), &reg, id, &signed_json, &e);
	}
	srv_worker_put(s, w, st == MC_ERR_IO);
	mc_register_clear(&reg);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	srv_json_text(out, 200, signed_json, strlen(signed_json));
	out->type = "application/vc+ld+json";
	mc_free(signed_json);
}

static void register_import(srv *s, srv_req *r, srv_reply *out, mc_register *reg)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_err e = {0};
	mc_status st = mc_store_register_import(srv_worker_store(w), reg, r->actor, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		/* the database refuses what the parser let through (a result
		 * naming a provider only the store knows is fine; a date CHECK) */
		srv_problem(out, st == MC_ERR_IO ? 500 : 409, st == MC_ERR_IO ? "internal" : "conflict",
		            st == MC_ERR_IO ? "the server could not complete the request" : e.msg, e.path);
		return;
	}
	srv_trust_stop(); /* the next verification sees the new register */
	srv_json(out, 200, json_pack("{s:I,s:I,s:I}", "providers", (json_int_t)reg->nproviders, "agencies",
	                             (json_int_t)reg->nagencies, "qaResults", (json_int_t)reg->nresults));
}

static void h_register_import(srv *s, srv_req *r, srv_reply *out)
{
	if (!r->len) {
		srv_problem(out, 400, "bad-json", "send the register as the request body", "$");
		return;
	}
	mc_register reg = {0};
	mc_err e = {0};
	mc_status st = mc_register_parse_json(r->body, r->len, &reg, &e);
	if (st != MC_OK)
		body_problem(out, st, &e);
	else
		register_import(s, r, out, &reg);
	mc_register_clear(&reg);
}

static void h_register_import_csv(srv *s, srv_req *r, srv_reply *out)
{
	if (!r->upload || r->upload_len == 0) {
		srv_problem(out, 400, "bad-field", "send the register CSV as the request body", "$");
		return;
	}
	if (strcmp(r->content_type, "text/csv") != 0) {
		srv_problem(out, 415, "unsupported-media-type", "send text/csv", "Content-Type");
		return;
	}
	if (r->upload_len > MC_TRUST_CSV_MAX_BYTES) {
		srv_problem(out, 413, "too-large", "the register CSV is larger than 32 MiB", "$");
		return;
	}
	char *buf = malloc(r->upload_len + 1);
	if (!buf || fread(buf, 1, r->upload_len, r->upload) != r->upload_len) {
		free(buf);
		srv_problem(out, 500, "internal", "cannot read the upload", NULL);
		return;
	}
	buf[r->upload_len] = '\0';
	mc_register reg = {0};
	mc_err e = {0};
	mc_status st = mc_register_parse_csv(buf, r->upload_len, &reg, &e);
	free(buf);
	if (st != MC_OK)
		body_problem(out, st, &e);
	else
		register_import(s, r, out, &reg);
	mc_register_clear(&reg);
}

/* ---- catalogue ------------------------------------------------------------------------------ */

/* A query number: "" or absent is 0; anything else must be a plain
 * number in [lo, hi]. -1 with out filled on a bad one. */
static int query_num(srv_req *r, const char *name, double lo, double hi, double *v, srv_reply *out)
{
	const char *q = srv_query(r, name);
	*v = 0;
	if (!q || !*q)
		return 0;
	char *end;
	*v = strtod(q, &end);
	if (*end || !isfinite(*v) || *v < lo || *v > hi) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s is a number from %g to %g", name, lo, hi);
		srv_problem(out, 400, "bad-field", msg, name);
		return -1;
	}
	return 0;
}

static json_t *offer_item(const mc_offer *o)
{
	json_t *j = loads_or_null(o->json);
	return j;
}

static void h_catalogue_search(srv *s, srv_req *r, srv_reply *out)
{
	double ects_min, ects_max, eqf, limit, offset;
	if (query_num(r, "ectsMin", 0, 1000, &ects_min, out) || query_num(r, "ectsMax", 0, 1000, &ects_max, out) ||
	    query_num(r, "eqf", 0, 8, &eqf, out) || query_num(r, "limit", 0, SRV_CATALOGUE_PAGE_MAX, &limit, out) ||
	    query_num(r, "offset", 0, MC_CATALOGUE_MAX_RESULTS - 1, &offset, out))
		return;
	if (eqf != floor(eqf) || limit != floor(limit) || offset != floor(offset)) {
		srv_problem(out, 400, "bad-field", "eqf, limit and offset are whole numbers", NULL);
		return;
	}
	if (ects_max > 0 && ects_min > ects_max) {
		srv_problem(out, 400, "bad-field", "ectsMin is above ectsMax", "ectsMin");
		return;
	}
	size_t page = limit > 0 ? (size_t)limit : 20, off = (size_t)offset;
	/* one more than the page tells whether there is a next page */
	size_t want = off + page + 1;
	if (want > MC_CATALOGUE_MAX_RESULTS)
		want = MC_CATALOGUE_MAX_RESULTS;
	mc_catalogue_query q = {.text = srv_query(r, "q"),
	                        .ects_min = ects_min,
	                        .ects_max = ects_max,
	                        .eqf = (int)eqf,
	                        .field = srv_query(r, "field"),
	                        .country = srv_query(r, "country"),
	                        .language = srv_query(r, "language"),
	                        .mode = srv_query(r, "mode"),
	                        .provider = srv_query(r, "provider"),
	                        .limit = want};
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_offer *hits = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_catalogue_search(srv_worker_store(w), &q, &hits, &n, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		/* the library names "q.text", "q.field": the query parameter */
		if (!strncmp(e.path, "q.", 2))
			memmove(e.path, e.path + 2, strlen(e.path + 2) + 1);
		if (!strcmp(e.path, "text"))
			snprintf(e.path, sizeof e.path, "q");
		else if (!strcmp(e.path, "ects_min"))
			snprintf(e.path, sizeof e.path, "ectsMin");
		srv_problem_mc(out, st, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = off; i < n && i < off + page; i++)
		json_array_append_new(items, offer_item(&hits[i]));
	int more = n > off + page;
	mc_offer_list_free(hits, n);
	srv_json(out, 200, json_pack("{s:o,s:I,s:I,s:b}", "items", items, "offset", (json_int_t)off, "limit",
	                             (json_int_t)page, "hasMore", more));
}

static void h_catalogue_offer(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store *st_ = srv_worker_store(w);
	mc_offer o = {0};
	mc_err e = {0};
	mc_status st = mc_store_catalogue_get(st_, r->param[0], &o, &e);
	json_t *pathways = json_array();
	json_t *offer = st == MC_OK ? loads_or_null(o.json) : NULL;
	/* the pathways it says it stacks into, with their titles when this
	 * server keeps them */
	json_t *into = offer ? json_object_get(offer, "stackableInto") : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(into, i, v)
	{
		const char *pid = json_string_value(v);
		mc_store_trust_doc d = {0};
		mc_err pe = {0};
		mc_status ps = pid ? mc_store_pathway_get(st_, pid, &d, &pe) : MC_ERR_MISSING;
		json_array_append_new(pathways, json_pack("{s:s,s:s?,s:b}", "id", pid ? pid : "", "title",
		                                          ps == MC_OK ? d.title : NULL, "known", ps == MC_OK));
		mc_store_trust_doc_clear(&d);
	}
	/* learner, employer and peer feedback on the specification behind the
	 * offer, when its provider publishes it (issue 7; null otherwise) */
	json_t *feedback = json_null();
	json_t *tpl = offer ? json_object_get(offer, "template") : NULL;
	const char *tid = json_string_value(json_object_get(tpl, "id"));
	if (tid) {
		char *fb = NULL;
		mc_err fe = {0};
		json_int_t tv = json_integer_value(json_object_get(tpl, "version"));
		if (mc_qa_public_feedback(st_, tid, tv > 0 ? (int64_t)tv : 0, &fb, &fe) == MC_OK) {
			json_decref(feedback);
			feedback = loads_or_null(fb);
		}
		mc_free(fb);
	}
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		json_decref(feedback);
		json_decref(pathways);
		mc_offer_clear(&o);
		srv_problem_mc(out, st, &e);
		return;
	}
	/* the provider's standing in the register today, for the offer's field */
	void *h;
	const mc_register *reg = srv_register_acquire(s, &h);
	json_t *check = json_null();
	if (reg) {
		mc_register_check_result cr;
		mc_register_check(reg, o.provider, srv_now(), o.field[0] ? o.field : NULL, &cr);
		check = json_pack("{s:s,s:s,s:s?}", "result", result_word(cr.result), "reason", cr.reason, "provider",
		                  cr.provider ? cr.provider->name : NULL);
		srv_register_release(h);
	}
	mc_offer_clear(&o);
	srv_json(out, 200, json_pack("{s:o,s:o,s:o,s:o}", "offer", offer, "stacksInto", pathways, "register", check,
	                             "feedback", feedback));
}

static void offers_put(srv *s, srv_reply *out, mc_offer *v, size_t n, int single)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_err e = {0};
	mc_offer old = {0};
	int existed = single && mc_store_catalogue_get(srv_worker_store(w), v[0].id, &old, NULL) == MC_OK;
	mc_offer_clear(&old);
	mc_status st = mc_store_catalogue_put(srv_worker_store(w), v, n, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK)
		srv_problem_mc(out, st, &e);
	else if (single)
		srv_json(out, existed ? 200 : 201,
		         json_pack("{s:s,s:b,s:o}", "id", v[0].id, "created", !existed, "offer", loads_or_null(v[0].json)));
	else
		srv_json(out, 200, json_pack("{s:I}", "imported", (json_int_t)n));
}

/* An offer from a published template of this store plus its details. */
static void h_offer_create(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *tid = need_str(b, "template", "$.template", out);
	json_t *det = json_object_get(b, "details"), *ver = json_object_get(b, "version");
	if (tid && !json_is_object(det)) {
		srv_problem(out, 400, "bad-field", "details is required (an object: id, provider, country, language, mode...)",
		            "$.details");
		tid = NULL;
	} else if (tid && ver && (!json_is_integer(ver) || json_integer_value(ver) < 1)) {
		srv_problem(out, 400, "bad-field", "version must be a positive integer", "$.version");
		tid = NULL;
	}
	srv_worker *w = tid ? srv_worker_get(s, 0, NULL, out) : NULL;
	if (!w) {
		json_decref(b);
		return;
	}
	mc_store_template t = {0};
	mc_err e = {0};
	char *dtext = json_dumps(det, JSON_COMPACT | JSON_PRESERVE_ORDER), *offer_json = NULL;
	mc_status st = mc_store_template_get(srv_worker_store(w), tid, ver ? json_integer_value(ver) : 0, &t, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st == MC_ERR_MISSING)
		st = MC_ERR_VALUE, snprintf(e.path, sizeof e.path, "$.template");
	else if (st == MC_OK && t.state != MC_TEMPLATE_PUBLISHED)
		st = MC_ERR_VALUE, snprintf(e.msg, sizeof e.msg, "template %s version %lld is not published", t.id,
		                            (long long)t.version),
		snprintf(e.path, sizeof e.path, "$.template");
	if (st == MC_OK)
		st = dtext ? mc_offer_from_template(t.json, strlen(t.json), dtext, strlen(dtext), t.id, t.version,
		                                    &offer_json, &e)
		           : MC_ERR_NOMEM;
	mc_offer o = {0};
	if (st == MC_OK)
		st = mc_offer_parse(offer_json, strlen(offer_json), &o, &e);
	if (st == MC_OK) {
		offers_put(s, out, &o, 1, 1);
	} else {
		/* "details: $.mode" -> "$.details.mode" */
		if (!strncmp(e.path, "details: $", 10)) {
			char p[sizeof e.path];
			snprintf(p, sizeof p, "$.details%.200s", e.path + 10);
			memcpy(e.path, p, sizeof p);
		}
		body_problem(out, st, &e);
	}
	mc_offer_clear(&o);
	mc_store_template_clear(&t);
	mc_free(offer_json);
	free(dtext);
	json_decref(b);
}

static void h_feed_import(srv *s, srv_req *r, srv_reply *out)
{
	if (!r->len) {
		srv_problem(out, 400, "bad-json", "send the catalogue feed as the request body", "$");
		return;
	}
	mc_offer *v = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_catalogue_feed_parse(r->body, r->len, &v, &n, &e);
	if (st != MC_OK)
		body_problem(out, st, &e);
	else
		offers_put(s, out, v, n, 0);
	mc_offer_list_free(v, n);
}

/* ---- pathways ---------------------------------------------------------------------------------- */

static void h_pathway_list(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_trust_doc *v = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_pathway_list(srv_worker_store(w), &v, &n, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I}", "id", v[i].id, "title", v[i].title, "updated",
		                                     (json_int_t)v[i].updated));
	mc_store_trust_doc_list_free(v, n);
	srv_json(out, 200, arr);
}

static void h_pathway_get(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_trust_doc d = {0};
	mc_offer *offers = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_pathway_get(srv_worker_store(w), r->param[0], &d, &e);
	if (st == MC_OK)
		st = mc_store_catalogue_stacking(srv_worker_store(w), r->param[0], &offers, &n, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		mc_store_trust_doc_clear(&d);
		srv_problem_mc(out, st, &e);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:f,s:i}", "id", offers[i].id, "title", offers[i].title,
		                                     "provider", offers[i].provider, "ects", offers[i].ects, "eqfLevel",
		                                     offers[i].eqf));
	mc_offer_list_free(offers, n);
	srv_json(out, 200, json_pack("{s:s,s:s,s:o,s:o}", "id", d.id, "title", d.title, "pathway", loads_or_null(d.json),
	                             "offers", arr));
	mc_store_trust_doc_clear(&d);
}

/* POST of a stored trust document (pathway or recognition policy): the
 * two differ only in the store call and the word in the error. */
typedef mc_status (*doc_put_fn)(mc_store *s, const char *json, size_t len, const char *actor, char **id,
                                int *created, mc_err *err);

static void doc_save(srv *s, srv_req *r, srv_reply *out, const char *what, doc_put_fn put)
{
	if (!r->len) {
		char msg[64];
		snprintf(msg, sizeof msg, "send the %s as the request body", what);
		srv_problem(out, 400, "bad-json", msg, "$");
		return;
	}
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	char *id = NULL;
	int created = 0;
	mc_err e = {0};
	mc_status st = put(srv_worker_store(w), r->body, r->len, r->actor, &id, &created, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK)
		body_problem(out, st, &e);
	else
		srv_json(out, created ? 201 : 200, json_pack("{s:s,s:b}", "id", id, "created", created));
	mc_free(id);
}

static void h_pathway_save(srv *s, srv_req *r, srv_reply *out)
{
	doc_save(s, r, out, "pathway", mc_store_pathway_put);
}

/* A learner's credentials from a request, verified once each (one cache)
 * against this server's DID document and the status lists it keeps for
 * them. */
typedef struct wallet {
	size_t n;
	char **texts;
	size_t *lens;
	mc_status_lists *lists;
	mc_verify_cache *cache;
	const mc_cred_facts **facts;
	char *did;
} wallet;

static void wallet_clear(wallet *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->texts[i]);
	mc_verify_cache_free(w->cache);
	mc_status_lists_free(w->lists);
	free(w->texts), free(w->lens), free(w->facts), free(w->did);
	memset(w, 0, sizeof *w);
}

/* Credentials as JSON text (a string: its exact bytes, so digests match
 * the file) or as objects (compact text). 0, or -1 with out filled. */
static int wallet_load(srv *s, json_t *arr, const char *base, wallet *w, srv_reply *out)
{
	memset(w, 0, sizeof *w);
	char msg[128];
	if (!json_is_array(arr) || json_array_size(arr) > SRV_WALLET_MAX) {
		snprintf(msg, sizeof msg, "credentials is required: an array of at most %u credentials", SRV_WALLET_MAX);
		srv_problem(out, json_is_array(arr) ? 413 : 400, json_is_array(arr) ? "too-large" : "bad-field", msg, base);
		return -1;
	}
	size_t n = json_array_size(arr), dl = 0;
	w->texts = calloc(n + 1, sizeof *w->texts);
	w->lens = calloc(n + 1, sizeof *w->lens);
	w->facts = calloc(n + 1, sizeof *w->facts);
	if (!w->texts || !w->lens || !w->facts) {
		wallet_clear(w);
		srv_problem(out, 500, "internal", "out of memory", NULL);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(arr, i);
		char *text = json_is_string(c) ? strdup(json_string_value(c))
		             : json_is_object(c) ? json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER)
		                                 : NULL;
		if (!text) {
			char path[64];
			snprintf(path, sizeof path, "%s[%zu]", base, i);
			wallet_clear(w);
			srv_problem(out, 400, "bad-field", "each credential is a JSON object or its text", path);
			return -1;
		}
		w->texts[w->n] = text;
		w->lens[w->n] = strlen(text);
		w->lists = srv_local_status_lists_add(s, w->lists, text, w->lens[w->n]);
		w->n++;
	}
	w->did = srv_did_document(s, &dl);
	mc_verify_opts o = {.did_documents = w->did, .did_documents_len = dl, .status_lists = w->lists};
	mc_err e = {0};
	mc_status st = mc_verify_cache_new(&o, 0, &w->cache, &e);
	for (size_t i = 0; st == MC_OK && i < w->n; i++)
		st = mc_verify_cache_get(w->cache, w->texts[i], w->lens[i], &w->facts[i], NULL, &e);
	if (st != MC_OK) {
		wallet_clear(w);
		srv_problem_mc(out, st, &e);
		return -1;
	}
	return 0;
}

/* The stored pathway named by body member "pathway" (400 when unknown:
 * it is a field of the request). */
static mc_pathway *body_pathway(srv *s, json_t *b, srv_reply *out)
{
	const char *pid = need_str(b, "pathway", "$.pathway", out);
	if (!pid)
		return NULL;
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return NULL;
	mc_store_trust_doc d = {0};
	mc_err e = {0};
	mc_pathway *p = NULL;
	mc_status st = mc_store_pathway_get(srv_worker_store(w), pid, &d, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st == MC_OK)
		st = mc_pathway_parse(d.json, strlen(d.json), &p, &e);
	mc_store_trust_doc_clear(&d);
	if (st == MC_ERR_MISSING)
		srv_problem(out, 400, "bad-field", "no pathway with this id", "$.pathway");
	else if (st != MC_OK)
		srv_problem_mc(out, st, &e);
	return p;
}

static void h_pathway_evaluate(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	mc_pathway *p = body_pathway(s, b, out);
	wallet w = {0};
	if (p && wallet_load(s, json_object_get(b, "credentials"), "$.credentials", &w, out) == 0) {
		mc_pathway_result res = {0};
		char *json = NULL;
		mc_err e = {0};
		mc_status st = mc_pathway_eval(p, w.facts, w.n, 0, 1, &res, &e);
		if (st == MC_OK)
			st = mc_pathway_result_json(p, &res, w.facts, w.n, &json, &e);
		if (st == MC_OK)
			srv_json_text(out, 200, json, strlen(json));
		else
			srv_problem_mc(out, st, &e);
		mc_free(json);
		mc_pathway_result_clear(&res);
		wallet_clear(&w);
	}
	mc_pathway_free(p);
	json_decref(b);
}

static void issue_reply(srv_reply *out, const mc_issue_result *res)
{
	srv_json(out, res->existed ? 200 : 201,
	         json_pack("{s:s,s:o,s:b}", "id", res->credential_id, "credential", loads_or_null(res->credential_json),
	                   "existed", res->existed));
}

static void h_pathway_issue(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *tid = need_str(b, "template", "$.template", out);
	json_t *learner = json_object_get(b, "learner"), *ver = json_object_get(b, "templateVersion");
	if (tid && !json_is_object(learner)) {
		srv_problem(out, 400, "bad-field", "learner is required (an object, docs/model.md)", "$.learner");
		tid = NULL;
	} else if (tid && ver && (!json_is_integer(ver) || json_integer_value(ver) < 1)) {
		srv_problem(out, 400, "bad-field", "templateVersion must be a positive integer", "$.templateVersion");
		tid = NULL;
	}
	mc_pathway *p = tid ? body_pathway(s, b, out) : NULL;
	wallet wl = {0};
	if (p && wallet_load(s, json_object_get(b, "credentials"), "$.credentials", &wl, out) == 0) {
		char *lj = json_dumps(learner, JSON_COMPACT | JSON_PRESERVE_ORDER);
		srv_worker *w = lj ? srv_worker_get(s, 1, r->actor, out) : NULL;
		if (w) {
			mc_err e = {0};
			mc_status st = MC_OK;
			mc_issue_result res = {0};
			if (st == MC_OK) {
				mc_stacked_req req = {.pathway = p, .template_id = tid,
				                      .template_version = ver ? (int64_t)json_integer_value(ver) : 0,
				                      .learner_json = lj, .creds = (const char *const *)wl.texts,
				                      .lens = wl.lens, .n = wl.n, .cache = wl.cache};
				st = mc_issuer_issue_stacked(srv_worker_issuer(w), &req, &res, &e);
			}
			srv_worker_put(s, w, st == MC_ERR_IO);
			if (st == MC_OK) {
				issue_reply(out, &res);
			} else {
				if (!strncmp(e.path, "credentials", 11) || !strncmp(e.path, "learner", 7) ||
				    !strcmp(e.path, "template")) {
					char pth[sizeof e.path];
					snprintf(pth, sizeof pth, "$.%.200s", e.path);
					memcpy(e.path, pth, sizeof pth);
				}
				if (st == MC_ERR_MISSING && !strcmp(e.path, "$.template"))
					st = MC_ERR_VALUE;
				if (st == MC_ERR_VALUE && !strcmp(e.path, "$.credentials"))
					srv_problem(out, 409, "conflict", e.msg, e.path); /* not complete yet */
				else
					srv_problem_mc(out, st, &e);
			}
			mc_issue_result_clear(&res);
		} else if (!lj) {
			srv_problem(out, 500, "internal", "out of memory", NULL);
		}
		free(lj);
		wallet_clear(&wl);
	}
	mc_pathway_free(p);
	json_decref(b);
}

/* ---- recognition --------------------------------------------------------------------------------- */

static void h_policy_list(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_trust_doc *v = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_policy_list(srv_worker_store(w), &v, &n, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "id", v[i].id, "towards", v[i].title, "policy",
		                                     loads_or_null(v[i].json)));
	mc_store_trust_doc_list_free(v, n);
	srv_json(out, 200, arr);
}

static void h_policy_get(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_trust_doc d = {0};
	mc_err e = {0};
	mc_status st = mc_store_policy_get(srv_worker_store(w), r->param[0], &d, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK)
		srv_problem_mc(out, st, &e);
	else
		srv_json(out, 200, json_pack("{s:s,s:s,s:I,s:o}", "id", d.id, "towards", d.title, "updated",
		                             (json_int_t)d.updated, "policy", loads_or_null(d.json)));
	mc_store_trust_doc_clear(&d);
}

static void h_policy_save(srv *s, srv_req *r, srv_reply *out)
{
	doc_save(s, r, out, "policy", mc_store_policy_put);
}

static void h_policy_delete(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_err e = {0};
	mc_status st = mc_store_policy_delete(srv_worker_store(w), r->param[0], r->actor, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK)
		srv_problem_mc(out, st, &e);
	else
		srv_json(out, 200, json_pack("{s:s,s:b}", "id", r->param[0], "deleted", 1));
}

/* Decide on one presented credential under a stored policy; record the
 * decision; on request issue a recognised one as a credential. */
static void h_recognition_decide(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *pid = need_str(b, "policy", "$.policy", out);
	json_t *cred = json_object_get(b, "credential"), *issue = json_object_get(b, "issue");
	const char *tid = NULL;
	if (pid && !json_is_object(cred) && !json_is_string(cred)) {
		srv_problem(out, 400, "bad-field", "credential is required (a JSON object or its text)", "$.credential");
		pid = NULL;
	} else if (pid && issue && !(json_is_object(issue) && (tid = json_string_value(json_object_get(issue, "template"))))) {
		srv_problem(out, 400, "bad-field", "issue is {\"template\": ID} (a published template of this store)",
		            "$.issue.template");
		pid = NULL;
	}
	if (!pid) {
		json_decref(b);
		return;
	}
	char *text = json_is_string(cred) ? strdup(json_string_value(cred))
	                                  : json_dumps(cred, JSON_COMPACT | JSON_PRESERVE_ORDER);
	srv_worker *w = text ? srv_worker_get(s, tid != NULL, r->actor, out) : NULL;
	if (!w) {
		if (!text)
			srv_problem(out, 500, "internal", "out of memory", NULL);
		free(text);
		json_decref(b);
		return;
	}
	mc_store *st_ = srv_worker_store(w);
	mc_store_trust_doc d = {0};
	mc_recognition_policy *pol = NULL;
	mc_err e = {0};
	mc_status st = mc_store_policy_get(st_, pid, &d, &e);
	if (st == MC_ERR_MISSING)
		st = MC_ERR_VALUE, snprintf(e.path, sizeof e.path, "$.policy"), snprintf(e.msg, sizeof e.msg, "no policy with this id");
	if (st == MC_OK)
		st = mc_recognition_policy_parse(d.json, strlen(d.json), &pol, &e);
	size_t len = strlen(text), dl = 0;
	char *did = srv_did_document(s, &dl);
	mc_status_lists *lists = srv_local_status_lists(s, text, len);
	mc_verify_opts vo = {.did_documents = did, .did_documents_len = dl, .status_lists = lists};
	mc_verify_cache *cache = NULL;
	mc_recognition dec = {0};
	mc_issue_result res = {0};
	int64_t did_id = 0;
	void *h = NULL;
	const mc_register *reg = st == MC_OK ? srv_register_acquire(s, &h) : NULL;
	if (st == MC_OK)
		st = mc_verify_cache_new(&vo, 1, &cache, &e);
	if (st == MC_OK)
		st = mc_recognise(pol, reg, cache, text, len, 0, &dec, &e);
	if (st == MC_OK)
		st = mc_store_recognition_record(st_, &dec, r->actor, &did_id, &e);
	int issued = 0;
	if (st == MC_OK && tid && dec.outcome == MC_RECOGNISED) {
		st = mc_issuer_issue_recognition(srv_worker_issuer(w), &dec, tid, text, len, &res, &e);
		if (st == MC_ERR_MISSING || (st == MC_ERR_VALUE && !strcmp(e.path, "template")))
			st = MC_ERR_VALUE, snprintf(e.path, sizeof e.path, "$.issue.template");
		issued = st == MC_OK;
	}
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (h)
		srv_register_release(h);
	char *dj = NULL;
	if (st == MC_OK)
		st = mc_recognition_json(&dec, &dj, &e);
	if (st == MC_OK) {
		json_t *o = json_pack("{s:I,s:o}", "id", (json_int_t)did_id, "decision", loads_or_null(dj));
		if (issued)
			json_object_set_new(o, "credential",
			                    json_pack("{s:s,s:b,s:o}", "id", res.credential_id, "existed", res.existed, "credential",
			                              loads_or_null(res.credential_json)));
		srv_json(out, 200, o);
	} else {
		body_problem(out, st, &e);
	}
	mc_free(dj);
	mc_issue_result_clear(&res);
	mc_recognition_clear(&dec);
	mc_verify_cache_free(cache);
	mc_status_lists_free(lists);
	free(did);
	mc_recognition_policy_free(pol);
	mc_store_trust_doc_clear(&d);
	free(text);
	json_decref(b);
}

static void h_recognition_decisions(srv *s, srv_req *r, srv_reply *out)
{
	double limit;
	if (query_num(r, "limit", 0, SRV_DECISIONS_MAX, &limit, out))
		return;
	if (limit != floor(limit)) {
		srv_problem(out, 400, "bad-field", "limit is a whole number", "limit");
		return;
	}
	const char *pol = srv_query(r, "policy");
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	char *json = NULL;
	mc_err e = {0};
	mc_status st = mc_store_recognition_list(srv_worker_store(w), pol && *pol ? pol : NULL,
	                                         limit > 0 ? (size_t)limit : 50, &json, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK)
		srv_problem_mc(out, st, &e);
	else
		srv_json_text(out, 200, json, strlen(json));
	mc_free(json);
}

/* ---- dispatch: srv_routes' "trust" block names srv_h_trust for every
 * route; this table maps each (method, pattern) to its handler, so the
 * handlers stay static here and routes.c keeps the one route table. */

static const struct {
	const char *method, *pattern;
	srv_handler fn;
} handlers[] = {
	{"GET", "/catalogue", h_page},
	{"GET", "/pathway", h_page},
	{"GET", "/register", h_page},
	{"GET", "/api/v1/register", h_register_get},
	{"POST", "/api/v1/register", h_register_import},
	{"POST", "/api/v1/register/csv", h_register_import_csv},
	{"GET", "/api/v1/register/providers", h_register_providers},
	{"GET", "/api/v1/register/signed", h_register_signed},
	{"GET", "/api/v1/catalogue", h_catalogue_search},
	{"POST", "/api/v1/catalogue/offers", h_offer_create},
	{"GET", "/api/v1/catalogue/offers/{...}", h_catalogue_offer},
	{"POST", "/api/v1/catalogue/feeds", h_feed_import},
	{"GET", "/api/v1/pathways", h_pathway_list},
	{"POST", "/api/v1/pathways", h_pathway_save},
	{"POST", "/api/v1/pathways/evaluate", h_pathway_evaluate},
	{"POST", "/api/v1/pathways/issue", h_pathway_issue},
	{"GET", "/api/v1/pathways/{...}", h_pathway_get},
	{"GET", "/api/v1/recognition/policies", h_policy_list},
	{"POST", "/api/v1/recognition/policies", h_policy_save},
	{"GET", "/api/v1/recognition/policies/{...}", h_policy_get},
	{"DELETE", "/api/v1/recognition/policies/{...}", h_policy_delete},
	{"POST", "/api/v1/recognition/decide", h_recognition_decide},
	{"GET", "/api/v1/recognition/decisions", h_recognition_decisions},
};

void srv_h_trust(srv *s, srv_req *r, srv_reply *out)
{
	for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
		if (!strcmp(handlers[i].method, r->rt->method) && !strcmp(handlers[i].pattern, r->rt->pattern)) {
			handlers[i].fn(s, r, out);
			return;
		}
	srv_problem(out, 500, "internal", "route without a trust handler", NULL);
}
