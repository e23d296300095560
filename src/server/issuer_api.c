/*
 * issuer_api.c - handlers backed by the issuer service (mcred/issuer.h):
 * issue, search, revoke/suspend/reinstate, reissue, share, the public
 * status lists and shared credentials, and the local status lists the
 * verifier checks against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "srv.h"

/* Most hits one search page returns: the admin pages 50 at a time;
 * 500 bounds the answer (~100 KB). */
#define SRV_SEARCH_MAX 500u

/* "<public url>" + suffix into out; the Host header stands in when no
 * public URL is configured (a local test server). */
static void absolute_url(srv *s, srv_req *r, const char *suffix, char *out, size_t cap)
{
	if (s->cfg.public_url[0]) {
		snprintf(out, cap, "%s%s", s->cfg.public_url, suffix);
		return;
	}
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	snprintf(out, cap, "http://%s%s", host ? host : "localhost", suffix);
}

mc_status_lists *srv_local_status_lists(srv *s, const char *cred, size_t len)
{
	return srv_local_status_lists_add(s, NULL, cred, len);
}

mc_status_lists *srv_local_status_lists_add(srv *s, mc_status_lists *lists, const char *cred, size_t len)
{
	/* cheap test first: most verifications of foreign credentials stop here */
	if (!strstr(cred, "statusListCredential")) /* cred is NUL-terminated */
		return lists;
	/* cJSON, not jansson: on a 7 KB credential jansson's parse cost 1.2 M
	 * instructions, a fifth of an rdfc verification (callgrind). This
	 * parse only finds list URLs; mc_verify parses strictly. */
	cJSON *doc = cJSON_ParseWithLength(cred, len);
	cJSON *cs = cJSON_GetObjectItemCaseSensitive(doc, "credentialStatus");
	if (!cs) {
		cJSON_Delete(doc);
		return lists;
	}
	srv_reply dummy = {0};
	srv_worker *w = NULL;
	size_t n = cJSON_IsArray(cs) ? (size_t)cJSON_GetArraySize(cs) : 1;
	for (size_t i = 0; i < n && i < MC_STATUS_MAX_ENTRIES; i++) {
		cJSON *e = cJSON_IsArray(cs) ? cJSON_GetArrayItem(cs, (int)i) : cs;
		const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "statusListCredential"));
		if (!url)
			continue;
		if (!w && !(w = srv_worker_get(s, 0, NULL, &dummy)))
			break;
		char *lj = NULL;
		mc_err err = {0};
		if (mc_issuer_status_list_credential(srv_worker_store(w), url, &lj, NULL, &err) == MC_OK) {
			if (!lists && mc_status_lists_new(&lists, NULL) != MC_OK)
				lists = NULL;
			/* our own list, read from our store: no proof check needed;
			 * a duplicate (two entries on one list) is refused harmlessly */
			mc_status ast = lists ? mc_status_lists_add(lists, lj, strlen(lj), NULL, NULL) : MC_OK;
			(void)ast;
		}
		mc_free(lj);
	}
	free(dummy.body);
	srv_worker_put(s, w, 0);
	cJSON_Delete(doc);
	return lists;
}

void srv_h_status_list(srv *s, srv_req *r, srv_reply *out)
{
	char id[SRV_PARAM_MAX + 1100];
	char path[SRV_PARAM_MAX + 16];
	snprintf(path, sizeof path, "/status/%s", r->param[0]);
	absolute_url(s, r, path, id, sizeof id);
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	char *json = NULL, *etag = NULL;
	mc_err e = {0};
	mc_status st = mc_issuer_status_list_credential(srv_worker_store(w), id, &json, &etag, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		if (st == MC_ERR_MISSING)
			srv_problem(out, 404, "not-found", "no such status list", NULL);
		else
			srv_problem_mc(out, st, &e);
		mc_free(json);
		mc_free(etag);
		return;
	}
	snprintf(out->etag, sizeof out->etag, "\"%.64s\"", etag ? etag : "");
	mc_free(etag);
	out->cache = "public, max-age=300";
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strcmp(inm, out->etag) == 0) {
		mc_free(json);
		out->status = 304;
		return;
	}
	srv_json_text(out, 200, json, strlen(json));
	out->type = "application/vc+ld+json";
	mc_free(json);
}

/* The credential shared under r's {share}; 0, or -1 with out filled. */
static int shared(srv *s, srv_req *r, mc_store_credential *c, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return -1;
	mc_err e = {0};
	mc_status st = mc_issuer_shared(srv_worker_store(w), r->param[0], c, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st == MC_OK && c->json)
		return 0;
	mc_store_credential_clear(c);
	if (st == MC_OK || st == MC_ERR_MISSING || st == MC_ERR_VALUE) /* VALUE: not even a share id */
		srv_problem(out, 404, "not-found", "no credential is shared under this link", NULL);
	else
		srv_problem_mc(out, st, &e);
	return -1;
}

void srv_h_shared_json(srv *s, srv_req *r, srv_reply *out)
{
	mc_store_credential c = {0};
	if (shared(s, r, &c, out) != 0)
		return;
	srv_json_text(out, 200, c.json, strlen(c.json));
	out->type = "application/vc+ld+json";
	mc_store_credential_clear(&c);
}

void srv_h_shared_qr(srv *s, srv_req *r, srv_reply *out)
{
	mc_store_credential c = {0};
	if (shared(s, r, &c, out) != 0)
		return;
	mc_store_credential_clear(&c);
	/* the QR code opens the verify page on the shared credential */
	char suffix[SRV_PARAM_MAX + 32], url[SRV_PARAM_MAX + 1100];
	snprintf(suffix, sizeof suffix, "/verify?c=%s", r->param[0]);
	absolute_url(s, r, suffix, url, sizeof url);
	size_t len = 0;
	char *svg = srv_qr_svg(url, &len);
	if (!svg) {
		srv_problem(out, 500, "internal", "cannot draw the QR code", NULL);
		return;
	}
	out->status = 200;
	out->type = "image/svg+xml";
	out->body = svg;
	out->len = len;
	out->cache = "public, max-age=3600";
}

/* ---- issuer API ---------------------------------------------------------- */

static void issue_reply(srv_reply *out, const mc_issue_result *res)
{
	json_t *cred = json_loads(res->credential_json, 0, NULL);
	json_t *o = json_pack("{s:s,s:o,s:b}", "id", res->credential_id, "credential", cred ? cred : json_null(),
	                      "existed", res->existed);
	srv_json(out, res->existed ? 200 : 201, o);
}

void srv_h_issue(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *tid = json_string_value(json_object_get(b, "template"));
	json_t *learner = json_object_get(b, "learner");
	json_t *ext = json_object_get(b, "externalId");
	json_t *ver = json_object_get(b, "templateVersion");
	const char *bad = !tid ? "$.template" : !json_is_object(learner) ? "$.learner"
	                  : (ext && !json_is_string(ext)) ? "$.externalId"
	                  : (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1)) ? "$.templateVersion"
	                                                                                   : NULL;
	if (bad) {
		srv_problem(out, 400, "bad-field",
		            !strcmp(bad, "$.template")    ? "template is required (a template id)"
		            : !strcmp(bad, "$.learner")   ? "learner is required (an object, docs/model.md)"
		            : !strcmp(bad, "$.externalId") ? "externalId must be a string"
		                                          : "templateVersion must be a positive integer",
		            bad);
		json_decref(b);
		return;
	}
	char *lj = json_dumps(learner, JSON_COMPACT | JSON_PRESERVE_ORDER);
	srv_worker *w = lj ? srv_worker_get(s, 1, r->actor, out) : NULL;
	if (!w) {
		if (!lj)
			srv_problem(out, 500, "internal", "out of memory", NULL);
		free(lj);
		json_decref(b);
		return;
	}
	mc_issue_req req = {.template_id = tid,
	                    .template_version = ver ? (int64_t)json_integer_value(ver) : 0,
	                    .learner_json = lj,
	                    .external_id = json_string_value(ext)};
	mc_issue_result res = {0};
	mc_err e = {0};
	mc_status st = mc_issuer_issue(srv_worker_issuer(w), &req, &res, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st == MC_OK) {
		issue_reply(out, &res);
	} else {
		/* the issuer names "template", "learner", "learner.email":
		 * the request's JSON paths are those under $ */
		if (!strncmp(e.path, "learner", 7) || !strcmp(e.path, "template")) {
			char p[sizeof e.path];
			memcpy(p, e.path, sizeof p);
			p[sizeof p - 3] = '\0';
			e.path[0] = '$';
			e.path[1] = '.';
			memcpy(e.path + 2, p, strlen(p) + 1);
		}
		if (st == MC_ERR_MISSING && !strcmp(e.path, "$.template"))
			st = MC_ERR_VALUE; /* an unknown template is a bad field, not a missing resource */
		srv_problem_mc(out, st, &e);
	}
	mc_issue_result_clear(&res);
	free(lj);
	json_decref(b);
}

void srv_h_search(srv *s, srv_req *r, srv_reply *out)
{
	const char *q = srv_query(r, "q"), *tid = srv_query(r, "template"), *state = srv_query(r, "state");
	const char *lim = srv_query(r, "limit"), *off = srv_query(r, "offset");
	int stv = -1;
	if (state && *state) {
		stv = !strcmp(state, "active") ? MC_CRED_ACTIVE : !strcmp(state, "suspended") ? MC_CRED_SUSPENDED
		      : !strcmp(state, "revoked")                                              ? MC_CRED_REVOKED
		                                                                                : -2;
		if (stv == -2) {
			srv_problem(out, 400, "bad-field", "state is active, suspended or revoked", "state");
			return;
		}
	}
	char *end;
	unsigned long limit = 50, offset = 0;
	if (lim && *lim) {
		limit = strtoul(lim, &end, 10);
		if (*end || *lim == '-' || limit < 1 || limit > SRV_SEARCH_MAX) {
			srv_problem(out, 400, "bad-field", "limit is 1-500", "limit");
			return;
		}
	}
	if (off && *off) {
		offset = strtoul(off, &end, 10);
		if (*end || *off == '-' || offset > 100000000ul) {
			srv_problem(out, 400, "bad-field", "offset is a number >= 0", "offset");
			return;
		}
	}
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_cred_hit *hits = NULL;
	size_t n = 0, total = 0;
	mc_err e = {0};
	mc_status st = mc_issuer_search(srv_worker_store(w), q && *q ? q : NULL, tid && *tid ? tid : NULL, stv, limit,
	                                offset, &hits, &n, &total, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *learner = json_pack("{s:s,s:s?}", "id", hits[i].learner_id ? hits[i].learner_id : "", "name",
		                            hits[i].learner_name);
		json_array_append_new(items, json_pack("{s:s,s:o,s:s,s:I,s:s,s:I}", "id", hits[i].id, "learner", learner,
		                                       "template", hits[i].template_id, "templateVersion",
		                                       (json_int_t)hits[i].template_version, "state",
		                                       srv_cred_state_name(hits[i].state), "issued",
		                                       (json_int_t)hits[i].issued));
	}
	mc_cred_hit_list_free(hits, n);
	srv_json(out, 200, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total));
}

void srv_h_set_status(srv *s, srv_req *r, srv_reply *out)
{
	const char *p = r->rt->pattern;
	mc_cred_state to = strstr(p, "/revoke") ? MC_CRED_REVOKED : strstr(p, "/suspend") ? MC_CRED_SUSPENDED
	                                                                                   : MC_CRED_ACTIVE;
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	json_t *reason = json_object_get(b, "reason");
	if (!json_is_string(reason) || !*json_string_value(reason) ||
	    strlen(json_string_value(reason)) > MC_STORE_TEXT_MAX) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "reason is required (a non-empty string)", "$.reason");
		return;
	}
	srv_worker *w = srv_worker_get(s, 1, r->actor, out);
	if (!w) {
		json_decref(b);
		return;
	}
	mc_err e = {0};
	mc_status st = mc_issuer_set_status(srv_worker_issuer(w), r->param[0], to, json_string_value(reason), &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	json_decref(b);
	if (st == MC_OK)
		srv_json(out, 200, json_pack("{s:s,s:s}", "id", r->param[0], "state", srv_cred_state_name(to)));
	else if (st == MC_ERR_VALUE)
		srv_problem(out, 409, "conflict", e.msg, "id");
	else
		srv_problem_mc(out, st, &e);
}

void srv_h_reissue(srv *s, srv_req *r, srv_reply *out)
{
	char *lj = NULL;
	if (r->len) {
		json_t *b = srv_body_object(r, out);
		if (!b)
			return;
		json_t *l = json_object_get(b, "learner");
		if (l && !json_is_object(l)) {
			json_decref(b);
			srv_problem(out, 400, "bad-field", "learner must be an object", "$.learner");
			return;
		}
		lj = l ? json_dumps(l, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(b);
	}
	srv_worker *w = srv_worker_get(s, 1, r->actor, out);
	if (!w) {
		free(lj);
		return;
	}
	mc_issue_result res = {0};
	mc_err e = {0};
	mc_status st = mc_issuer_reissue(srv_worker_issuer(w), r->param[0], lj, &res, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	free(lj);
	if (st == MC_OK) {
		res.existed = 0;
		issue_reply(out, &res);
	} else if (st == MC_ERR_VALUE && strcmp(e.path, "id") == 0) {
		srv_problem(out, 409, "conflict", e.msg, "id");
	} else {
		srv_problem_mc(out, st, &e);
	}
	mc_issue_result_clear(&res);
}

void srv_h_share(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 1, r->actor, out);
	if (!w)
		return;
	char *share = NULL;
	mc_err e = {0};
	mc_status st = mc_issuer_share(srv_worker_issuer(w), r->param[0], &share, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	char url[256];
	snprintf(url, sizeof url, "/c/%s", share);
	srv_json(out, 201, json_pack("{s:s,s:s}", "share", share, "url", url));
	mc_free(share);
}
