/*
 * http.c - libmicrohttpd plumbing for `mcred serve`: per-request context,
 * body limits (checked from Content-Length before anything is read),
 * content types, authentication before the body, per-IP rate limiting,
 * the access log, security headers and RFC 9457 problems.
 *
 * libmicrohttpd 0.9.75 closes a keep-alive connection when a response is
 * queued on the first call for a request; so every normal answer is queued
 * on a later call (after the body, or on the second call of a bodyless
 * request), as the library's examples do. Only a rejection of a request
 * whose body we refuse to read (too large, unauthenticated upload) is
 * queued at once, and then the connection closing is what we want.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "srv.h"

#define PROBLEM_BASE "https://w3id.org/mcred/problems/"
#define CSP "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"

/* Bytes of an oversize body without Content-Length read and dropped so
 * that the client still gets its 413 (see srv_on_request). */
#define SRV_DISCARD_MAX (8u * 1024u * 1024u)

/* libmicrohttpd's own messages, as JSON lines like the access log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512], line[1200];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = 0;
	n += (size_t)snprintf(line, sizeof line, "{\"event\":\"http\",\"message\":\"");
	for (const char *p = msg; *p && n + 8 < sizeof line; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\')
			n += (size_t)snprintf(line + n, sizeof line - n, "\\%c", ch);
		else if (ch < 0x20)
			n += ch == '\n' ? 0 : (size_t)snprintf(line + n, sizeof line - n, "\\u%04x", ch);
		else
			line[n++] = (char)ch;
	}
	n += (size_t)snprintf(line + n, sizeof line - n, "\"}\n");
	ssize_t w = write(STDERR_FILENO, line, n < sizeof line ? n : sizeof line - 1);
	(void)w;
}

void srv_mhd_logger(void *cls, const char *fmt, va_list ap)
{
	mhd_log(cls, fmt, ap);
}

int64_t srv_now(void)
{
	return (int64_t)time(NULL);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- replies --------------------------------------------------------------- */

void srv_problem(srv_reply *out, unsigned status, const char *code, const char *detail, const char *field)
{
	static const struct {
		const char *code, *title;
	} titles[] = {
		{"bad-json", "The request body is not acceptable JSON"},
		{"bad-field", "A field has a wrong or missing value"},
		{"too-large", "The request is too large"},
		{"unsupported-media-type", "Unsupported content type"},
		{"unauthorized", "Authentication required"},
		{"forbidden", "Not allowed"},
		{"not-found", "Not found"},
		{"conflict", "Conflict"},
		{"rate-limited", "Too many requests"},
		{"method-not-allowed", "Method not allowed"},
		{"unavailable", "Service unavailable"},
		{"internal", "Internal error"},
	};
	const char *title = "Error";
	for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
		if (strcmp(titles[i].code, code) == 0)
			title = titles[i].title;
	char type[128];
	snprintf(type, sizeof type, PROBLEM_BASE "%s", code);
	json_t *o = json_pack("{s:s, s:s, s:i}", "type", type, "title", title, "status", (json_int_t)status);
	if (o && detail && *detail)
		json_object_set_new(o, "detail", json_string(detail));
	if (o && field && *field)
		json_object_set_new(o, "field", json_string(field));
	if (out->body && !out->body_static)
		free(out->body);
	out->body = NULL;
	srv_json(out, status, o);
	out->type = "application/problem+json";
}

void srv_problem_mc(srv_reply *out, mc_status st, const mc_err *err)
{
	const char *detail = err && err->msg[0] ? err->msg : mc_strerror(st);
	const char *field = err ? err->path : NULL;
	switch (st) {
	case MC_ERR_JSON_SYNTAX:
	case MC_ERR_JSON_DUPKEY:
	case MC_ERR_JSON_ENCODING:
		srv_problem(out, 400, "bad-json", detail, field);
		return;
	case MC_ERR_JSON_LIMIT:
	case MC_ERR_TOO_LARGE:
		srv_problem(out, 413, "too-large", detail, field);
		return;
	case MC_ERR_MISSING:
		srv_problem(out, 404, "not-found", detail, field);
		return;
	case MC_ERR_ARG:
	case MC_ERR_TYPE:
	case MC_ERR_VALUE:
	case MC_ERR_INVALID:
	case MC_ERR_UNSUPPORTED:
	case MC_ERR_KEY:
		srv_problem(out, 400, "bad-field", detail, field);
		return;
	default:
		/* the library's message never holds secrets, but a database error
		 * is not the client's business: keep it generic */
		srv_problem(out, 500, "internal", "the server could not complete the request", NULL);
		return;
	}
}

void srv_json(srv_reply *out, unsigned status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(v);
	if (out->body && !out->body_static)
		free(out->body);
	out->body_static = 0;
	if (!text) {
		static const char oom[] = "{\"type\":\"" PROBLEM_BASE "internal\",\"title\":\"Internal error\",\"status\":500}";
		out->status = 500;
		out->type = "application/problem+json";
		out->body = (char *)oom;
		out->len = sizeof oom - 1;
		out->body_static = 1;
		return;
	}
	out->status = status;
	out->type = "application/json";
	out->body = text;
	out->len = strlen(text);
}

void srv_json_text(srv_reply *out, unsigned status, const char *text, size_t len)
{
	char *b = malloc(len + 1);
	if (!b) {
		srv_json(out, 500, NULL);
		return;
	}
	memcpy(b, text, len);
	b[len] = '\0';
	if (out->body && !out->body_static)
		free(out->body);
	out->status = status;
	out->type = "application/json";
	out->body = b;
	out->len = len;
	out->body_static = 0;
}

json_t *srv_body_object(srv_req *r, srv_reply *out)
{
	mc_err e = {0};
	if (r->len == 0) {
		srv_problem(out, 400, "bad-json", "the request body is empty; a JSON object is expected", "$");
		return NULL;
	}
	mc_status st = mc_json_check(r->body, r->len, &e);
	if (st != MC_OK) {
		srv_problem_mc(out, st, &e);
		return NULL;
	}
	json_error_t je;
	json_t *v = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (!v) {
		srv_problem(out, 400, "bad-json", je.text, "$");
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		srv_problem(out, 400, "bad-json", "a JSON object is expected", "$");
		return NULL;
	}
	return v;
}

const char *srv_query(srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- routing -------------------------------------------------------------- */

int srv_route_match(const char *pattern, const char *path, srv_req *r)
{
	int np = 0;
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p != '{') {
			if (*p != *u)
				return 0;
			p++;
			u++;
			continue;
		}
		const char *close = strchr(p, '}');
		if (!close || np >= 2)
			return 0;
		if (strncmp(p, "{...}", 5) == 0) {
			/* tail: the rest of the path, kept raw */
			size_t n = strlen(u);
			if (n == 0 || n > SRV_PARAM_MAX)
				return 0;
			if (r)
				memcpy(r->param[np], u, n + 1);
			return 1;
		}
		/* {name} then a literal suffix up to the next '/' or end */
		const char *lit = close + 1;
		size_t litlen = strcspn(lit, "/{");
		const char *seg_end = u + strcspn(u, "/");
		if ((size_t)(seg_end - u) <= litlen)
			return 0;
		const char *cap_end = seg_end - litlen;
		if (strncmp(cap_end, lit, litlen) != 0)
			return 0;
		/* libmicrohttpd hands over the path %-decoded already */
		size_t n = (size_t)(cap_end - u);
		if (n == 0 || n > SRV_PARAM_MAX)
			return 0;
		if (r) {
			memcpy(r->param[np], u, n);
			r->param[np][n] = '\0';
		}
		np++;
		p = lit + litlen;
		u = seg_end;
	}
	return *p == '\0' && *u == '\0';
}

/* ---- rate limiting --------------------------------------------------------- */


#define RATE_PROBE 8

/* Take one token from ip's bucket. Returns 0, or the seconds to wait. */
static unsigned rate_take(srv *s, const char *ip)
{
	if (s->cfg.rate <= 0)
		return 0;
	uint32_t h = 2166136261u;
	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	double now = mono();
	unsigned wait = 0;
	pthread_mutex_lock(&s->rate_mu);
	struct rate_slot *slot = NULL, *oldest = NULL;
	for (unsigned k = 0; k < RATE_PROBE; k++) {
		struct rate_slot *x = &s->rate[(h + k) % SRV_RATE_SLOTS];
		if (strcmp(x->ip, ip) == 0) {
			slot = x;
			break;
		}
		if (!oldest || x->last < oldest->last)
			oldest = x;
	}
	if (!slot) {
		slot = oldest;
		snprintf(slot->ip, sizeof slot->ip, "%s", ip);
		slot->tokens = s->cfg.burst;
		slot->last = now;
	}
	slot->tokens = fmin(s->cfg.burst, slot->tokens + (now - slot->last) * s->cfg.rate);
	slot->last = now;
	if (slot->tokens >= 1)
		slot->tokens -= 1;
	else
		wait = (unsigned)ceil((1 - slot->tokens) / s->cfg.rate);
	pthread_mutex_unlock(&s->rate_mu);
	return wait ? wait : 0;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)cap);
}

/* ---- authentication -------------------------------------------------------- */

static void tokens_refresh(srv *s)
{
	struct stat st;
	int64_t m = stat(s->cfg.tokens, &st) == 0 ? (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec : 0;
	if (m == s->tok_mtime_ns && s->tokens)
		return;
	mc_tokens *t = NULL;
	mc_err e = {0};
	if (mc_tokens_load(s->cfg.tokens, &t, &e) != MC_OK) {
		/* keep the previous set: a half-written file must not lock
		 * everybody out (writes are atomic renames anyway) */
		fprintf(stderr, "{\"event\":\"tokens\",\"error\":\"%s\"}\n", e.path);
		return;
	}
	mc_tokens_free(s->tokens);
	s->tokens = t;
	s->tok_mtime_ns = m;
}

int srv_token_check(srv *s, const char *tok, size_t len, char name[MC_TOKEN_NAME_MAX + 1], mc_role *role)
{
	pthread_mutex_lock(&s->tok_mu);
	tokens_refresh(s);
	mc_status st = mc_tokens_check(s->tokens, tok, len, name, role);
	pthread_mutex_unlock(&s->tok_mu);
	return st == MC_OK;
}

int srv_token_named(srv *s, const char *name, mc_role *role)
{
	int found = 0;
	pthread_mutex_lock(&s->tok_mu);
	tokens_refresh(s);
	for (size_t i = 0; i < mc_tokens_count(s->tokens) && !found; i++) {
		mc_token_info info;
		if (mc_tokens_get(s->tokens, i, &info) == MC_OK && strcmp(info.name, name) == 0) {
			found = 1;
			*role = info.role;
		}
	}
	pthread_mutex_unlock(&s->tok_mu);
	return found;
}

/* The session id from the Cookie header, or NULL. */
static const char *session_cookie(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SRV_SESSION_COOKIE);
}

int srv_session_of(srv *s, struct MHD_Connection *c, mc_session_info *info)
{
	const char *sid = session_cookie(c);
	return sid && mc_sessions_lookup(s->sessions, sid, strlen(sid), srv_now(), info) == MC_OK;
}

/* Authenticate r for route rt; 0 when allowed, else out holds 401/403. */
static int authorize(srv *s, srv_req *r, const char *method, srv_reply *out)
{
	const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0) {
			srv_problem(out, 401, "unauthorized", "use Authorization: Bearer <token>", "Authorization");
			return -1;
		}
		const char *tok = authz + 7;
		char name[MC_TOKEN_NAME_MAX + 1];
		mc_role role = MC_ROLE_READER;
		if (!srv_token_check(s, tok, strlen(tok), name, &role)) {
			srv_problem(out, 401, "unauthorized", "unknown or revoked token", "Authorization");
			return -1;
		}
		snprintf(r->actor, sizeof r->actor, "token:%s", name);
		r->role = role;
	} else {
		mc_session_info info;
		if (!srv_session_of(s, r->conn, &info)) {
			srv_problem(out, 401, "unauthorized", "log in or send an API token", "Authorization");
			return -1;
		}
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
			const char *csrf = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
			if (!csrf || !mc_secret_equal(csrf, strlen(csrf), info.csrf, strlen(info.csrf))) {
				srv_problem(out, 403, "forbidden", "missing or wrong X-CSRF-Token header", "X-CSRF-Token");
				return -1;
			}
		}
		/* a session lives only as long as the token it logged in with:
		 * `mcred token revoke` ends its sessions too */
		mc_role now_role;
		if (!srv_token_named(s, info.name, &now_role) || now_role != info.role) {
			const char *sid = session_cookie(r->conn);
			if (sid && mc_sessions_delete(s->sessions, sid, strlen(sid)) != MC_OK)
				sid = NULL;
			srv_problem(out, 401, "unauthorized", "the token of this session was revoked or changed", NULL);
			return -1;
		}
		snprintf(r->actor, sizeof r->actor, "session:%s", info.name);
		r->role = info.role;
	}
	r->authed = 1;
	if (!mc_role_allows(r->role, (mc_role)r->rt->auth)) {
		char msg[96];
		snprintf(msg, sizeof msg, "this needs the %s role", mc_role_name((mc_role)r->rt->auth));
		srv_problem(out, 403, "forbidden", msg, NULL);
		return -1;
	}
	return 0;
}

/* ---- per-request context ---------------------------------------------------- */

typedef struct conn_ctx {
	srv_req req;
	srv_reply reply;
	int rejected;    /* reply is set; discard the body */
	int queued;
	size_t cap, limit, discarded;
	double t0;
	char method[8];
	char allow[64];
	char *body_heap;
} conn_ctx;

static const char *media_type(struct MHD_Connection *c, char *buf, size_t cap)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct)
		return NULL;
	size_t n = strcspn(ct, ";");
	while (n && ct[n - 1] == ' ')
		n--;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(ct[i] >= 'A' && ct[i] <= 'Z' ? ct[i] + 32 : ct[i]);
	buf[n] = '\0';
	return buf;
}

static int type_ok(int body, const char *t)
{
	if (!t)
		return 0;
	if (body == BODY_BULK)
		return !strcmp(t, "text/csv") || !strcmp(t, "application/x-ndjson") || !strcmp(t, "application/jsonl");
	return !strcmp(t, "application/json") || (body == BODY_PUBLIC_JSON && (!strcmp(t, "application/vc+ld+json") ||
	                                                                     !strcmp(t, "application/ld+json")));
}

static int has_body(struct MHD_Connection *c, unsigned long long *clen)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	*clen = cl ? strtoull(cl, NULL, 10) : 0;
	return (cl && *clen > 0) || te;
}

/* First call: route, rate limit, auth, size and type checks. */
static void precheck(srv *s, conn_ctx *x, struct MHD_Connection *c, const char *url, const char *method)
{
	srv_req *r = &x->req;
	srv_reply *out = &x->reply;
	r->conn = c;
	char ip[INET6_ADDRSTRLEN];
	client_ip(c, ip, sizeof ip);
	unsigned wait = rate_take(s, ip);
	if (wait) {
		srv_problem(out, 429, "rate-limited", "too many requests from this address; retry later", NULL);
		out->retry_after = wait;
		x->rejected = 1;
		return;
	}
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	const srv_route *hit = NULL;
	int path_known = 0;
	for (size_t i = 0; i < srv_nroutes; i++) {
		if (!srv_route_match(srv_routes[i].pattern, url, NULL))
			continue;
		path_known = 1;
		if (strcmp(srv_routes[i].method, m) == 0) {
			hit = &srv_routes[i];
			break;
		}
	}
	if (!hit) {
		if (path_known) {
			srv_problem(out, 405, "method-not-allowed", "this path does not take that method", NULL);
			size_t n = 0;
			for (size_t i = 0; i < srv_nroutes; i++)
				if (srv_route_match(srv_routes[i].pattern, url, NULL) && n + 10 < sizeof x->allow)
					n += (size_t)snprintf(x->allow + n, sizeof x->allow - n, "%s%s", n ? ", " : "",
					                      srv_routes[i].method);
			out->allow = x->allow;
		} else {
			srv_problem(out, 404, "not-found", "no such page or endpoint", NULL);
		}
		x->rejected = 1;
		return;
	}
	r->rt = hit;
	if (!srv_route_match(hit->pattern, url, r)) {
		srv_problem(out, 404, "not-found", "no such page or endpoint", NULL);
		x->rejected = 1;
		return;
	}
	unsigned long long clen;
	int body = has_body(c, &clen);
	x->limit = hit->body == BODY_BULK ? SRV_BODY_BULK_MAX
	           : hit->body == BODY_JSON ? SRV_BODY_JSON_MAX
	           : hit->body == BODY_PUBLIC_JSON ? SRV_BODY_PUBLIC_MAX
	                                           : 0;
	/* authentication first: an unauthenticated client must not make us
	 * read (or store) a body */
	if (hit->auth != AUTH_PUBLIC && authorize(s, r, m, out) != 0) {
		x->rejected = 1;
		return;
	}
	if (body && clen > x->limit) {
		char msg[96];
		snprintf(msg, sizeof msg, "the body may be at most %zu bytes here", x->limit);
		srv_problem(out, 413, "too-large", msg, NULL);
		x->rejected = 1;
		return;
	}
	char tbuf[64];
	r->content_type = media_type(c, tbuf, sizeof tbuf);
	if (body && !type_ok(hit->body, r->content_type)) {
		srv_problem(out, 415, "unsupported-media-type",
		            hit->body == BODY_BULK ? "send text/csv or application/x-ndjson" : "send application/json",
		            "Content-Type");
		x->rejected = 1;
		return;
	}
	/* keep the media type past this call */
	r->content_type = !r->content_type ? NULL
	                  : !strcmp(r->content_type, "text/csv") ? "text/csv"
	                  : !strcmp(r->content_type, "application/json") ? "application/json"
	                                                                  : "application/x-ndjson";
	if (hit->body == BODY_BULK && body) {
		r->upload = tmpfile(); /* unlinked at once: nothing left behind */
		if (!r->upload) {
			srv_problem(out, 503, "unavailable", "cannot buffer the upload", NULL);
			x->rejected = 1;
		}
	}
}

static int append_body(conn_ctx *x, const char *data, size_t n)
{
	srv_req *r = &x->req;
	if (r->upload) {
		if (r->upload_len + n > x->limit)
			return -1;
		if (fwrite(data, 1, n, r->upload) != n)
			return -2;
		r->upload_len += n;
		return 0;
	}
	if (x->req.len + n > x->limit)
		return -1;
	if (x->req.len + n + 1 > x->cap) {
		size_t nc = x->cap ? x->cap : 4096;
		while (nc < x->req.len + n + 1)
			nc *= 2;
		char *nb = realloc(x->body_heap, nc);
		if (!nb)
			return -2;
		x->body_heap = nb;
		x->cap = nc;
	}
	memcpy(x->body_heap + x->req.len, data, n);
	x->req.len += n;
	x->body_heap[x->req.len] = '\0';
	x->req.body = x->body_heap;
	return 0;
}

static void add_headers(struct MHD_Response *resp, const srv_reply *o)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (o->type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, o->type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, o->cache ? o->cache : "no-store");
	if (o->etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, o->etag);
	if (o->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, o->location);
	if (o->set_cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, o->set_cookie);
	if (o->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, o->allow);
	if (o->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (o->retry_after) {
		char ra[16];
		snprintf(ra, sizeof ra, "%u", o->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
}

static enum MHD_Result send_reply(conn_ctx *x, struct MHD_Connection *c)
{
	srv_reply *o = &x->reply;
	if (!o->status)
		srv_problem(o, 500, "internal", "the handler gave no answer", NULL);
	struct MHD_Response *resp;
	if (o->status == 304 || !o->body) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else if (o->body_static) {
		resp = MHD_create_response_from_buffer(o->len, o->body, MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_buffer(o->len, o->body, MHD_RESPMEM_MUST_FREE);
		o->body = NULL; /* MHD frees it */
	}
	if (!resp)
		return MHD_NO;
	add_headers(resp, o);
	enum MHD_Result ret = MHD_queue_response(c, o->status, resp);
	MHD_destroy_response(resp);
	x->queued = 1;
	return ret;
}

enum MHD_Result srv_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	srv *s = cls;
	conn_ctx *x = *con_cls;
	if (!x) {
		x = calloc(1, sizeof *x);
		if (!x)
			return MHD_NO;
		x->t0 = mono();
		snprintf(x->method, sizeof x->method, "%s", method);
		*con_cls = x;
		pthread_mutex_lock(&s->flight_mu);
		s->in_flight++;
		pthread_mutex_unlock(&s->flight_mu);
		precheck(s, x, c, url, method);
		unsigned long long clen;
		if (x->rejected && has_body(c, &clen))
			return send_reply(x, c); /* do not read a body we refuse */
		return MHD_YES;
	}
	if (*upload_size) {
		if (!x->rejected) {
			int rc = append_body(x, upload_data, *upload_size);
			if (rc != 0) {
				x->rejected = 1;
				if (rc == -1)
					srv_problem(&x->reply, 413, "too-large", "the body is larger than allowed here", NULL);
				else
					srv_problem(&x->reply, 503, "unavailable", "cannot buffer the body", NULL);
			}
		} else {
			/* a body without Content-Length that outgrew its limit: this
			 * libmicrohttpd cannot answer in the middle of a body, so the
			 * rest is read and dropped (up to SRV_DISCARD_MAX, then the
			 * connection is cut) and 413 goes out at the end */
			x->discarded += *upload_size;
			if (x->discarded > SRV_DISCARD_MAX)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->queued)
		return MHD_YES;
	if (!x->rejected) {
		if (x->req.upload) {
			fflush(x->req.upload);
			rewind(x->req.upload);
		}
		x->req.rt->fn(s, &x->req, &x->reply);
	}
	return send_reply(x, c);
}

void srv_on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	srv *s = cls;
	(void)c;
	conn_ctx *x = *con_cls;
	if (!x)
		return;
	pthread_mutex_lock(&s->flight_mu);
	s->in_flight--;
	pthread_mutex_unlock(&s->flight_mu);
	if (s->cfg.access_log) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		char when[32];
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
		/* route template, never the raw path (ids are personal data) */
		char line[512];
		int n = snprintf(line, sizeof line,
		                 "{\"time\":\"%s.%03ldZ\",\"method\":\"%s\",\"route\":%s%s%s,\"status\":%u,"
		                 "\"bytes\":%zu,\"ms\":%.3f%s}\n",
		                 when, ts.tv_nsec / 1000000, x->method, x->req.rt ? "\"" : "",
		                 x->req.rt ? x->req.rt->pattern : "null", x->req.rt ? "\"" : "", x->reply.status,
		                 x->reply.len, (mono() - x->t0) * 1000,
		                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : ",\"aborted\":true");
		if (n > 0 && (size_t)n < sizeof line) {
			ssize_t w = write(STDERR_FILENO, line, (size_t)n); /* one write: lines never interleave */
			(void)w;
		}
	}
	if (x->reply.body && !x->reply.body_static)
		free(x->reply.body);
	if (x->req.upload)
		fclose(x->req.upload);
	free(x->body_heap);
	free(x);
	*con_cls = NULL;
}
