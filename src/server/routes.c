/*
 * routes.c - the route table (one table drives dispatch, authorisation,
 * the access log's route names and the OpenAPI test) and the handlers
 * that need only the store and the verifier. The issuer-service handlers
 * are in issuer_api.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcred/trust.h"
#include "qa_api.h"
#include "srv.h"

/* ---- small helpers ----------------------------------------------------------- */

static int64_t json_int_or(json_t *o, const char *k, int64_t dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

static const char *template_state_name(mc_template_state st)
{
	return st == MC_TEMPLATE_PUBLISHED ? "published" : st == MC_TEMPLATE_RETIRED ? "retired" : "draft";
}

const char *srv_cred_state_name(int st)
{
	return st == MC_CRED_REVOKED ? "revoked" : st == MC_CRED_SUSPENDED ? "suspended" : "active";
}

static json_t *parse_or_null(const char *text)
{
	return text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : json_null();
}

/* Undo a failed write; its own failure changes nothing for the client
 * (closing the connection rolls back too). */
static void rollback(mc_store *st)
{
	if (mc_store_rollback(st, NULL) != MC_OK)
		return;
}

/* Append an audit entry for a store write made by the server. */
static mc_status audit(mc_store *st, const srv_req *r, const char *action, const char *subject, mc_err *e)
{
	mc_store_audit a = {.actor = (char *)(r->actor[0] ? r->actor : "server"),
	                    .action = (char *)action,
	                    .subject = (char *)subject};
	return mc_store_audit_append(st, &a, NULL, e);
}

/* ---- public ------------------------------------------------------------------ */

static void h_healthz(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	int64_t v = 0, n = 0;
	mc_err e = {0};
	mc_status st = mc_store_schema(srv_worker_store(w), &v, &n, &e);
	srv_worker_put(s, w, st != MC_OK);
	if (st != MC_OK) {
		srv_problem(out, 503, "unavailable", "the store does not answer", NULL);
		return;
	}
	srv_json(out, 200, json_pack("{s:s,s:s}", "status", "ok", "store", s->backend));
}

static void h_openapi(srv *s, srv_req *r, srv_reply *out)
{
	(void)s;
	(void)r;
	out->status = 200;
	out->type = "application/json";
	out->body = (char *)srv_openapi_json;
	out->len = strlen(srv_openapi_json);
	out->body_static = 1;
	out->cache = "no-cache";
}

void srv_reply_asset(srv_req *r, srv_reply *out, const char *path)
{
	const srv_asset *a = srv_asset_find(path);
	if (!a) {
		srv_problem(out, 404, "not-found", "no such page (the portal files are not built in)", NULL);
		return;
	}
	snprintf(out->etag, sizeof out->etag, "\"%s\"", a->etag);
	out->cache = "no-cache";
	out->type = a->type;
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strcmp(inm, out->etag) == 0) {
		out->status = 304;
		return;
	}
	out->status = 200;
	out->body = (char *)a->data;
	out->len = a->len;
	out->body_static = 1;
}

static void h_page(srv *s, srv_req *r, srv_reply *out)
{
	(void)s;
	const char *p = r->rt->pattern;
	srv_reply_asset(r, out, !strcmp(p, "/") ? "index.html"
	                    : !strcmp(p, "/verify") ? "verify.html"
	                    : !strcmp(p, "/admin") ? "admin.html"
	                                           : "credential.html");
}

static void h_asset(srv *s, srv_req *r, srv_reply *out)
{
	(void)s;
	char path[SRV_PARAM_MAX + 16];
	/* the tail is raw: refuse anything that could leave assets/ */
	if (strstr(r->param[0], "..") || strchr(r->param[0], '%') || strchr(r->param[0], '?')) {
		srv_problem(out, 404, "not-found", "no such file", NULL);
		return;
	}
	snprintf(path, sizeof path, "assets/%s", r->param[0]);
	srv_reply_asset(r, out, path);
}

static void h_did(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	size_t len = 0;
	char *doc = srv_did_document(s, &len);
	if (!doc) {
		srv_problem(out, 404, "not-found", "the issuer is not a did:web issuer", NULL);
		return;
	}
	out->status = 200;
	out->type = "application/did+json";
	out->body = doc;
	out->len = len;
	out->cache = "public, max-age=300";
}

/* The summary of EU elements shown beside the checks (docs/api.md), as
 * JSON text (caller frees), or NULL when the credential has none to show.
 * cJSON rather than jansson here: this runs on every verification and
 * jansson's parse + ordered dump of the extract cost a fifth of the
 * request (callgrind); fields are linked by reference, not copied. */
static char *summary(const char *ext)
{
	if (!ext)
		return NULL;
	cJSON *x = cJSON_Parse(ext);
	cJSON *o = x ? cJSON_CreateObject() : NULL;
	char *text = NULL;
	if (o) {
		cJSON *a = cJSON_GetObjectItemCaseSensitive(x, "achievement"),
		      *i = cJSON_GetObjectItemCaseSensitive(x, "issuer"), *l = cJSON_GetObjectItemCaseSensitive(x, "learner");
		static const struct {
			const char *from, *to;
		} amap[] = {{"title", "title"},
		            {"description", "description"},
		            {"ects", "ects"},
		            {"eqfLevel", "eqf"},
		            {"nqf", "nqf"},
		            {"learningOutcomes", "learningOutcomes"},
		            {"assessment", "assessment"},
		            {"participation", "participation"},
		            {"qualityAssurance", "qa"},
		            {"iscedF", "iscedF"},
		            {"languages", "languages"},
		            {"workload", "workload"},
		            {"prerequisites", "prerequisites"},
		            {"stackability", "stackability"}};
		for (size_t k = 0; k < sizeof amap / sizeof *amap; k++) {
			cJSON *v = cJSON_GetObjectItemCaseSensitive(a, amap[k].from);
			if (v)
				cJSON_AddItemReferenceToObject(o, amap[k].to, v);
		}
		cJSON *iss = cJSON_AddObjectToObject(o, "issuer"), *lrn = cJSON_AddObjectToObject(o, "learner");
		static const char *const ikeys[] = {"id", "name", "country", "url"};
		static const char *const lkeys[] = {"name", "givenName", "familyName", "grade"};
		for (size_t k = 0; k < 4; k++) {
			cJSON *v = cJSON_GetObjectItemCaseSensitive(i, ikeys[k]), *w = cJSON_GetObjectItemCaseSensitive(l, lkeys[k]);
			if (v && iss)
				cJSON_AddItemReferenceToObject(iss, ikeys[k], v);
			if (w && lrn)
				cJSON_AddItemReferenceToObject(lrn, lkeys[k], w);
		}
		cJSON *issued = cJSON_GetObjectItemCaseSensitive(l, "issued");
		if (issued)
			cJSON_AddItemReferenceToObject(o, "issued", issued);
		/* the whole extract, verbatim */
		cJSON_AddItemToObject(o, "elements", cJSON_CreateRaw(ext));
		text = cJSON_PrintUnformatted(o);
	}
	cJSON_Delete(o);
	cJSON_Delete(x);
	return text;
}

static const char *result_name(mc_result r)
{
	return r == MC_PASS ? "pass" : r == MC_FAIL ? "fail" : r == MC_WARN ? "warn" : "skip";
}

/* A growing text buffer for answers built by hand (the verify answer is
 * on the hot path: jansson's tree and dump cost as much as a signature
 * check there). */
typedef struct tbuf {
	char *p;
	size_t n, cap;
	int bad;
} tbuf;

static void tb_add(tbuf *b, const char *s, size_t n)
{
	if (b->bad)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->bad = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void tb_adds(tbuf *b, const char *s)
{
	tb_add(b, s, strlen(s));
}

/* A JSON string literal (UTF-8 kept as is; the library's messages are
 * valid UTF-8). */
static void tb_str(tbuf *b, const char *s)
{
	tb_add(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		tb_add(b, run, (size_t)(s - run));
		char esc[8];
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof esc, "\\%c", c);
		else
			snprintf(esc, sizeof esc, "\\u%04x", c);
		tb_adds(b, esc);
		run = s + 1;
	}
	tb_add(b, run, (size_t)(s - run));
	tb_add(b, "\"", 1);
}

static void h_verify(srv *s, srv_req *r, srv_reply *out)
{
	mc_err e = {0};
	if (r->len == 0) {
		srv_problem(out, 400, "bad-json", "send the credential as the request body", "$");
		return;
	}
	size_t dl = 0;
	char *did = srv_did_document(s, &dl);
	mc_status_lists *lists = srv_local_status_lists(s, r->body, r->len);
	mc_verify_opts o = {.did_documents = did, .did_documents_len = dl, .status_lists = lists};
	/* the register line (a store with a register: without one there is
	 * nothing to check issuers against) */
	void *reg_handle = NULL;
	const struct mc_register *reg = srv_register_acquire(s, &reg_handle);
	if (reg && reg->nproviders)
		o.trust_register = reg;
	mc_report *rep = NULL;
	char *ext = NULL; /* the EU elements, from verification's own read */
	mc_status st = mc_verify_extract(r->body, r->len, &o, &rep, &ext, &e);
	free(did);
	mc_status_lists_free(lists);
	if (reg_handle)
		srv_register_release(reg_handle);
	if (!rep) {
		mc_free(ext);
		srv_problem_mc(out, st, &e);
		return;
	}
	/* not JSON at all (or not strict JSON): 400, the only client error
	 * here; mc_verify's strict parse is the one check (no second parse);
	 * ext is NULL then */
	const mc_finding *f0 = mc_report_count(rep) ? mc_report_get(rep, 0) : NULL;
	if (f0 && !strcmp(f0->check, "json") && f0->result == MC_FAIL) {
		mc_err je = {.status = f0->code != MC_OK ? f0->code : MC_ERR_JSON_SYNTAX};
		snprintf(je.path, sizeof je.path, "%s", f0->path[0] ? f0->path : "$");
		snprintf(je.msg, sizeof je.msg, "%s", f0->message);
		mc_report_free(rep); /* f0 is gone from here on */
		srv_problem_mc(out, je.status, &je);
		return;
	}
	int ok = st == MC_OK && mc_report_ok(rep);
	tbuf b = {0};
	tb_adds(&b, ok ? "{\"verified\":true,\"checks\":[" : "{\"verified\":false,\"checks\":[");
	for (size_t i = 0; i < mc_report_count(rep); i++) {
		const mc_finding *f = mc_report_get(rep, i);
		tb_adds(&b, i ? ",{\"check\":" : "{\"check\":");
		tb_str(&b, f->check);
		tb_adds(&b, ",\"result\":\"");
		tb_adds(&b, result_name(f->result));
		tb_adds(&b, "\",\"message\":");
		tb_str(&b, f->message);
		tb_adds(&b, ",\"path\":");
		tb_str(&b, f->path);
		tb_adds(&b, "}");
	}
	mc_report_free(rep);
	tb_adds(&b, "],\"credential\":");
	char *st_text = summary(ext);
	mc_free(ext);
	tb_adds(&b, st_text ? st_text : "null");
	cJSON_free(st_text);
	tb_adds(&b, "}");
	if (b.bad) {
		free(b.p);
		srv_problem(out, 500, "internal", "out of memory", NULL);
		return;
	}
	out->status = 200;
	out->type = "application/json";
	out->body = b.p;
	out->len = b.n;
}

/* ---- session ------------------------------------------------------------------- */

static void h_login(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	const char *tok = json_string_value(json_object_get(b, "token"));
	if (!tok) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "token is required (a string)", "$.token");
		return;
	}
	char name[MC_TOKEN_NAME_MAX + 1];
	mc_role role;
	int ok = srv_token_check(s, tok, strlen(tok), name, &role);
	json_decref(b);
	if (!ok) {
		srv_problem(out, 401, "unauthorized", "unknown or revoked token", "$.token");
		return;
	}
	char sid[MC_SESSION_ID_CHARS + 1];
	mc_session_info info;
	mc_err e = {0};
	if (mc_sessions_create(s->sessions, name, role, srv_now(), sid, &info, &e) != MC_OK) {
		srv_problem_mc(out, MC_ERR_INTERNAL, &e);
		return;
	}
	snprintf(out->set_cookie, sizeof out->set_cookie,
	         SRV_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", sid, SRV_SESSION_LIFETIME,
	         s->cfg.secure_cookie ? "; Secure" : "");
	srv_json(out, 200, json_pack("{s:s,s:s,s:s}", "csrf", info.csrf, "role", mc_role_name(role), "name", name));
}

static void h_session(srv *s, srv_req *r, srv_reply *out)
{
	mc_session_info info;
	if (strncmp(r->actor, "session:", 8) != 0 || !srv_session_of(s, r->conn, &info)) {
		srv_problem(out, 401, "unauthorized", "not logged in (API tokens have no session)", NULL);
		return;
	}
	srv_json(out, 200,
	         json_pack("{s:s,s:s,s:s}", "csrf", info.csrf, "role", mc_role_name(info.role), "name", info.name));
}

static void h_logout(srv *s, srv_req *r, srv_reply *out)
{
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SRV_SESSION_COOKIE);
	if (strncmp(r->actor, "session:", 8) != 0 || !sid ||
	    mc_sessions_delete(s->sessions, sid, strlen(sid)) != MC_OK) {
		srv_problem(out, 401, "unauthorized", "not logged in", NULL);
		return;
	}
	snprintf(out->set_cookie, sizeof out->set_cookie,
	         SRV_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
	         s->cfg.secure_cookie ? "; Secure" : "");
	srv_json(out, 200, json_pack("{s:b}", "loggedOut", 1));
}

/* ---- templates ------------------------------------------------------------------ */

static void h_template_list(srv *s, srv_req *r, srv_reply *out)
{
	(void)r;
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_template *ts = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_template_list(srv_worker_store(w), &ts, &n, &e);
	json_t *arr = json_array();
	for (size_t i = 0; st == MC_OK && i < n; i++) {
		json_t *tj = json_loads(ts[i].json, 0, NULL);
		json_t *title = tj ? json_object_get(tj, "title") : NULL;
		json_array_append_new(arr, json_pack("{s:s,s:I,s:s,s:O*}", "id", ts[i].id, "version",
		                                     (json_int_t)ts[i].version, "state", template_state_name(ts[i].state),
		                                     "title", title));
		json_decref(tj);
	}
	mc_store_template_list_free(ts, n);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		json_decref(arr);
		srv_problem_mc(out, st, &e);
		return;
	}
	srv_json(out, 200, arr);
}

static void h_template_save(srv *s, srv_req *r, srv_reply *out)
{
	json_t *b = srv_body_object(r, out);
	if (!b)
		return;
	json_t *tpl = json_object_get(b, "template");
	const char *id = json_string_value(json_object_get(b, "id"));
	if (!json_is_object(tpl)) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "template must be an object (docs/model.md achievement)", "$.template");
		return;
	}
	if (!id)
		id = json_string_value(json_object_get(tpl, "id"));
	if (!id || !*id || strlen(id) > MC_STORE_ID_MAX) {
		json_decref(b);
		srv_problem(out, 400, "bad-field", "id is required (a string), or the template's own id", "$.id");
		return;
	}
	char *text = json_dumps(tpl, JSON_COMPACT | JSON_PRESERVE_ORDER);
	mc_err e = {0};
	mc_report *rep = NULL;
	static const char dummy_issuer[] = "{\"id\":\"did:example:issuer\",\"name\":\"x\",\"country\":\"AT\"}";
	static const char dummy_learner[] = "{\"id\":\"did:example:learner\"}";
	mc_status st = text ? mc_credential_check_inputs(text, strlen(text), dummy_issuer, strlen(dummy_issuer),
	                                                 dummy_learner, strlen(dummy_learner), NULL, &rep, &e)
	                    : MC_ERR_NOMEM;
	if (st != MC_OK) {
		/* every problem, with the template's own paths under $.template */
		json_t *errs = json_array();
		for (size_t i = 0; rep && i < mc_report_count(rep); i++) {
			const mc_finding *f = mc_report_get(rep, i);
			if (f->result == MC_FAIL)
				json_array_append_new(errs, json_pack("{s:s,s:s}", "field", f->path, "message", f->message));
		}
		mc_report_free(rep);
		free(text);
		json_decref(b);
		srv_problem_mc(out, st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &e);
		if (out->status == 400) {
			json_t *p = json_loads(out->body, 0, NULL);
			json_object_set_new(p, "errors", errs);
			srv_json(out, 400, p);
			out->type = "application/problem+json";
		} else {
			json_decref(errs);
		}
		return;
	}
	mc_report_free(rep);
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w) {
		free(text);
		json_decref(b);
		return;
	}
	mc_store *st_ = srv_worker_store(w);
	int64_t version = 0;
	mc_store_template t = {0};
	st = mc_store_begin(st_, &e);
	if (st == MC_OK)
		st = mc_store_template_save(st_, id, text, &version, &e);
	if (st == MC_OK)
		st = audit(st_, r, "template.save", id, &e);
	if (st == MC_OK)
		st = mc_store_commit(st_, &e);
	else
		rollback(st_);
	if (st == MC_OK)
		st = mc_store_template_get(st_, id, version, &t, &e);
	if (st == MC_OK)
		srv_json(out, 201, json_pack("{s:s,s:I,s:s}", "id", id, "version", (json_int_t)version, "state",
		                             template_state_name(t.state)));
	else
		srv_problem_mc(out, st == MC_ERR_VALUE ? MC_ERR_VALUE : st, &e);
	mc_store_template_clear(&t);
	srv_worker_put(s, w, st == MC_ERR_IO);
	free(text);
	json_decref(b);
}

static void h_template_get(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_template *v = NULL;
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_store_template_versions(srv_worker_store(w), r->param[0], &v, &n, &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st == MC_OK && n == 0)
		st = MC_ERR_MISSING;
	if (st != MC_OK) {
		mc_store_template_list_free(v, n);
		if (st == MC_ERR_MISSING)
			srv_problem(out, 404, "not-found", "no template with this id", "id");
		else
			srv_problem_mc(out, st, &e);
		return;
	}
	json_t *vs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(vs, json_pack("{s:I,s:s,s:I,s:o}", "version", (json_int_t)v[i].version, "state",
		                                     template_state_name(v[i].state), "created", (json_int_t)v[i].created,
		                                     "template", parse_or_null(v[i].json)));
	mc_store_template_list_free(v, n);
	srv_json(out, 200, json_pack("{s:s,s:o}", "id", r->param[0], "versions", vs));
}

static void h_template_publish(srv *s, srv_req *r, srv_reply *out)
{
	int64_t version = 0;
	if (r->len) {
		json_t *b = srv_body_object(r, out);
		if (!b)
			return;
		json_t *v = json_object_get(b, "version");
		if (v && (!json_is_integer(v) || json_integer_value(v) < 1)) {
			json_decref(b);
			srv_problem(out, 400, "bad-field", "version must be a positive integer", "$.version");
			return;
		}
		version = json_int_or(b, "version", 0);
		json_decref(b);
	}
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store *st_ = srv_worker_store(w);
	mc_store_template t = {0};
	mc_err e = {0};
	mc_status st = mc_store_template_get(st_, r->param[0], version, &t, &e);
	if (st == MC_OK)
		st = mc_store_begin(st_, &e);
	if (st == MC_OK) {
		st = mc_store_template_set_state(st_, r->param[0], t.version, MC_TEMPLATE_PUBLISHED, &e);
		if (st == MC_OK)
			st = audit(st_, r, "template.publish", r->param[0], &e);
		if (st == MC_OK)
			st = mc_store_commit(st_, &e);
		else
			rollback(st_);
	}
	if (st == MC_OK)
		srv_json(out, 200, json_pack("{s:s,s:I,s:s}", "id", r->param[0], "version", (json_int_t)t.version, "state",
		                             "published"));
	else if (st == MC_ERR_VALUE)
		srv_problem(out, 409, "conflict", e.msg, "$.version");
	else
		srv_problem_mc(out, st, &e);
	mc_store_template_clear(&t);
	srv_worker_put(s, w, st == MC_ERR_IO);
}

/* ---- credentials and learners (store only) ----------------------------------------- */

static void h_credential_get(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store_credential c = {0};
	mc_err e = {0};
	char *share = NULL;
	mc_status st = mc_store_credential_get(srv_worker_store(w), r->param[0], &c, &e);
	if (st == MC_OK && mc_store_share_of(srv_worker_store(w), c.id, &share, NULL) != MC_OK)
		share = NULL; /* not shared */
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		mc_store_credential_clear(&c);
		return;
	}
	json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:s,s:I,s:o,s:s?}", "id", c.id, "state", srv_cred_state_name(c.state),
	                      "template", c.template_id, "templateVersion", (json_int_t)c.template_version, "learnerId",
	                      c.learner_id, "issued", (json_int_t)c.issued_at, "credential", parse_or_null(c.json),
	                      "share", share);
	mc_free(share);
	if (c.state_reason)
		json_object_set_new(o, "reason", json_string(c.state_reason));
	if (c.erased_at)
		json_object_set_new(o, "erased", json_integer(c.erased_at));
	mc_store_credential_clear(&c);
	srv_json(out, 200, o);
}

static void h_learner_export(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	char *json = NULL;
	mc_err e = {0};
	mc_status st = mc_store_learner_export(srv_worker_store(w), r->param[0], &json, &e);
	if (st == MC_OK)
		st = audit(srv_worker_store(w), r, "learner.export", r->param[0], &e);
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		mc_free(json);
		srv_problem_mc(out, st, &e);
		return;
	}
	srv_json_text(out, 200, json, strlen(json));
	mc_free(json);
}

static void h_learner_erase(srv *s, srv_req *r, srv_reply *out)
{
	srv_worker *w = srv_worker_get(s, 0, NULL, out);
	if (!w)
		return;
	mc_store *st_ = srv_worker_store(w);
	size_t count = 0;
	mc_err e = {0};
	mc_status st = mc_store_begin(st_, &e);
	if (st == MC_OK) {
		st = mc_store_learner_erase(st_, r->param[0], &count, &e);
		if (st == MC_OK)
			st = audit(st_, r, "learner.erase", r->param[0], &e);
		if (st == MC_OK)
			st = mc_store_commit(st_, &e);
		else
			rollback(st_);
	}
	srv_worker_put(s, w, st == MC_ERR_IO);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return;
	}
	srv_json(out, 200, json_pack("{s:I}", "erased", (json_int_t)count));
}

/* ---- the table -------------------------------------------------------------------------- */

#define R(m, p, f, a, b) {m, p, f, a, b}
const srv_route srv_routes[] = {
	R("GET", "/healthz", h_healthz, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/openapi.json", h_openapi, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/", h_page, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/verify", h_page, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/admin", h_page, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/assets/{...}", h_asset, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/.well-known/did.json", h_did, AUTH_PUBLIC, BODY_NONE),
	R("POST", "/api/v1/verify", h_verify, AUTH_PUBLIC, BODY_PUBLIC_JSON),
	R("GET", "/status/{...}", srv_h_status_list, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/c/{share}.json", srv_h_shared_json, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/c/{share}/qr.svg", srv_h_shared_qr, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/c/{share}", h_page, AUTH_PUBLIC, BODY_NONE),
	R("POST", "/api/v1/session", h_login, AUTH_PUBLIC, BODY_PUBLIC_JSON),
	R("GET", "/api/v1/session", h_session, MC_ROLE_READER, BODY_NONE),
	R("DELETE", "/api/v1/session", h_logout, MC_ROLE_READER, BODY_NONE),
	R("GET", "/api/v1/templates", h_template_list, MC_ROLE_READER, BODY_NONE),
	R("POST", "/api/v1/templates", h_template_save, MC_ROLE_ISSUER, BODY_JSON),
	R("GET", "/api/v1/templates/{id}", h_template_get, MC_ROLE_READER, BODY_NONE),
	R("POST", "/api/v1/templates/{id}/publish", h_template_publish, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/credentials", srv_h_issue, MC_ROLE_ISSUER, BODY_JSON),
	R("GET", "/api/v1/credentials", srv_h_search, MC_ROLE_READER, BODY_NONE),
	R("GET", "/api/v1/credentials/{id}", h_credential_get, MC_ROLE_READER, BODY_NONE),
	R("POST", "/api/v1/credentials/{id}/revoke", srv_h_set_status, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/credentials/{id}/suspend", srv_h_set_status, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/credentials/{id}/reinstate", srv_h_set_status, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/credentials/{id}/reissue", srv_h_reissue, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/credentials/{id}/share", srv_h_share, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/bulk", srv_bulk_start, MC_ROLE_ISSUER, BODY_BULK),
	R("GET", "/api/v1/bulk/{job}", srv_bulk_status, MC_ROLE_READER, BODY_NONE),
	R("GET", "/api/v1/learners/{id}", h_learner_export, MC_ROLE_ADMIN, BODY_NONE),
	R("DELETE", "/api/v1/learners/{id}", h_learner_erase, MC_ROLE_ADMIN, BODY_NONE),
	/* trust and transparency (issue 6): handlers in trust_api.c */
	R("GET", "/catalogue", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/pathway", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/register", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/api/v1/register", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("POST", "/api/v1/register", srv_h_trust, MC_ROLE_ADMIN, BODY_JSON),
	R("POST", "/api/v1/register/csv", srv_h_trust, MC_ROLE_ADMIN, BODY_BULK),
	R("GET", "/api/v1/register/providers", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/api/v1/register/signed", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/api/v1/catalogue", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("POST", "/api/v1/catalogue/offers", srv_h_trust, MC_ROLE_ISSUER, BODY_JSON),
	R("GET", "/api/v1/catalogue/offers/{...}", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("POST", "/api/v1/catalogue/feeds", srv_h_trust, MC_ROLE_ADMIN, BODY_JSON),
	R("GET", "/api/v1/pathways", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("POST", "/api/v1/pathways", srv_h_trust, MC_ROLE_ISSUER, BODY_JSON),
	R("POST", "/api/v1/pathways/evaluate", srv_h_trust, AUTH_PUBLIC, BODY_PUBLIC_JSON),
	R("POST", "/api/v1/pathways/issue", srv_h_trust, MC_ROLE_ISSUER, BODY_JSON),
	R("GET", "/api/v1/pathways/{...}", srv_h_trust, AUTH_PUBLIC, BODY_NONE),
	R("GET", "/api/v1/recognition/policies", srv_h_trust, MC_ROLE_READER, BODY_NONE),
	R("POST", "/api/v1/recognition/policies", srv_h_trust, MC_ROLE_ADMIN, BODY_JSON),
	R("GET", "/api/v1/recognition/policies/{...}", srv_h_trust, MC_ROLE_READER, BODY_NONE),
	R("DELETE", "/api/v1/recognition/policies/{...}", srv_h_trust, MC_ROLE_ADMIN, BODY_NONE),
	R("POST", "/api/v1/recognition/decide", srv_h_trust, MC_ROLE_ISSUER, BODY_JSON),
	R("GET", "/api/v1/recognition/decisions", srv_h_trust, MC_ROLE_READER, BODY_NONE),
	/* ---- quality assurance (issue 7): qa_api.h, qa_api.c ---- */
	SRV_QA_ROUTES
};
const size_t srv_nroutes = sizeof srv_routes / sizeof *srv_routes;
