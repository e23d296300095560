/*
 * srv.h - internals of `mcred serve` (src/server, compiled against
 * include/ only like the CLI). The HTTP plumbing (http.c) owns limits,
 * rate limiting, auth, logging and the security headers; handlers
 * (routes.c) only turn a parsed request into a reply. One route table
 * drives dispatch, authorisation and the OpenAPI test.
 */
#ifndef MC_SRV_H
#define MC_SRV_H

#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "mcred/auth.h"
#include "mcred/mcred.h"
#include "serve.h"

/* ---- Limits (why: see each) ---------------------------------------------- */

/* Body of an unauthenticated request (POST /api/v1/verify, session login).
 * A typical credential is 2-5 KB, one with an embedded image a few hundred
 * KB; 1 MiB covers those and bounds what anybody on the network can make
 * the server buffer (MHD buffers a request per connection). */
#define SRV_BODY_PUBLIC_MAX (1u * 1024u * 1024u)
/* Body of an authenticated JSON request (template, issue): the library's
 * JSON ceiling (a template can carry long multilingual outcome lists). */
#define SRV_BODY_JSON_MAX (MC_JSON_MAX_BYTES)
/* Bulk upload (CSV / JSON Lines), streamed to an unlinked temp file, never
 * held in memory: 256 MiB is ~1 million learner rows. */
#define SRV_BODY_BULK_MAX (256u * 1024u * 1024u)
/* Memory for one connection's headers and read buffer
 * (MHD_OPTION_CONNECTION_MEMORY_LIMIT): 32 KiB keeps a long cookie and
 * Authorization header while refusing header floods (431/close). */
#define SRV_CONN_MEMORY (32u * 1024u)
/* Seconds a connection may stay idle (slowloris). */
#define SRV_CONN_TIMEOUT 30u
/* Concurrent connections (file descriptors and per-connection memory). */
#define SRV_CONN_MAX 1024u
/* Longest path parameter (an id), URL-decoded: the store's id ceiling. */
#define SRV_PARAM_MAX 2048u
/* Rate limiter: client IPs tracked at once (fixed table, least recently
 * seen replaced): bounds memory under a spoofed-address flood. */
#define SRV_RATE_SLOTS 4096u
/* Sessions held in memory (oldest dropped when full), idle and absolute
 * lifetimes in seconds. */
#define SRV_SESSIONS_MAX 1024u
#define SRV_SESSION_IDLE (30 * 60)
#define SRV_SESSION_LIFETIME (12 * 60 * 60)
/* Bulk jobs remembered (finished ones are dropped oldest first) and run at
 * once (each holds a store connection and an unlocked key). */
#define SRV_JOBS_MAX 64u
#define SRV_JOBS_RUNNING 2u
/* Errors kept per bulk job for GET /api/v1/bulk/{job}. */
#define SRV_JOB_ERRORS_MAX 100u
/* Longest config file line and file. */
#define SRV_CONFIG_MAX (64u * 1024u)

/* ---- configuration ------------------------------------------------------- */

typedef struct srv_config {
	char store[4096];        /* store URL; default ./mcred.db */
	char tokens[4096];       /* token file; default <store path>.tokens */
	char bind[64];           /* listen address; default 127.0.0.1 */
	unsigned port;           /* default 8080; 0 = any free port */
	char port_file[4096];    /* write the bound port here (tests) */
	char public_url[1024];   /* https://issuer.example: status list ids and share URLs */
	char issuer[2048];       /* issuer id to act for; "" = the store's only one */
	char passphrase_file[4096];
	unsigned threads;        /* MHD thread pool size; 0 = thread per connection */
	double rate;             /* requests per second per client IP; 0 = off */
	double burst;            /* bucket size */
	int access_log;          /* 1 = JSON lines on stderr */
	int secure_cookie;       /* 1 = Secure flag on the session cookie */
} srv_config;

/* Fill c from defaults, then the config file (--config or $MCRED_CONFIG),
 * then MCRED_* environment variables, then flags: later wins. Prints the
 * problem and returns -1 on a bad value. */
int srv_config_load(srv_config *c, int argc, char **argv);

/* ---- the server ---------------------------------------------------------- */

typedef struct srv_worker srv_worker;
/* One client address's token bucket (http.c). 46 = INET6_ADDRSTRLEN. */
struct rate_slot {
	char ip[46];
	double tokens, last;
};
typedef struct srv_jobs srv_jobs;

typedef struct srv {
	srv_config cfg;
	char backend[16];
	/* store/issuer pool: one pair per concurrent handler, opened lazily */
	pthread_mutex_t pool_mu;
	srv_worker *idle;
	size_t nworkers;
	/* passphrase kept (sodium_malloc, locked) to open issuers lazily; NULL
	 * when none was given: the issuer API then answers 503 */
	char *pass;
	size_t pass_len;
	/* what the last mc_issuer_open returned (start-up decisions) */
	mc_status issuer_status;
	/* tokens, reloaded when the file changes */
	pthread_mutex_t tok_mu;
	mc_tokens *tokens;
	int64_t tok_mtime_ns;
	mc_sessions *sessions;
	/* rate limiter */
	pthread_mutex_t rate_mu;
	struct rate_slot *rate;
	/* DID document cache */
	pthread_mutex_t did_mu;
	char *did_doc;
	size_t did_len;
	int64_t did_at;
	srv_jobs *jobs;
	/* requests between their first call and completion (graceful stop) */
	pthread_mutex_t flight_mu;
	long in_flight;
	volatile sig_atomic_t stopping;
} srv;

/* A reply a handler fills. body is malloc'd (owned) unless body_static. */
typedef struct srv_reply {
	unsigned status;
	const char *type;
	char *body;
	size_t len;
	int body_static;
	char etag[80];
	const char *cache;       /* Cache-Control; default "no-store" */
	char location[512];
	char set_cookie[256];
	unsigned retry_after;
	const char *allow;
} srv_reply;

/* One parsed request as a handler sees it. */
typedef struct srv_req {
	const struct srv_route *rt;
	struct MHD_Connection *conn;
	char param[2][SRV_PARAM_MAX + 1]; /* {x} captures in order; {...} tail */
	char *body;
	size_t len;
	FILE *upload; /* bulk body, rewound, or NULL */
	size_t upload_len;
	const char *content_type; /* media type without parameters, lower case */
	/* who: "token:<name>", "session:<name>" or "" */
	char actor[MC_TOKEN_NAME_MAX + 16];
	mc_role role;
	int authed;
} srv_req;

typedef void (*srv_handler)(srv *s, srv_req *r, srv_reply *out);

/* What a route reads. */
enum { BODY_NONE = 0, BODY_JSON = 1, BODY_BULK = 2, BODY_PUBLIC_JSON = 3 };
/* Who may call: AUTH_PUBLIC or an mc_role. */
#define AUTH_PUBLIC (-1)

typedef struct srv_route {
	const char *method;
	const char *pattern; /* "/api/v1/credentials/{id}/revoke", "{share}.json", "/status/{...}" */
	srv_handler fn;
	int auth;            /* AUTH_PUBLIC or the least mc_role */
	int body;            /* BODY_* */
} srv_route;

extern const srv_route srv_routes[];
extern const size_t srv_nroutes;

/* Match path against pattern; captures go to r->param. 1 on a match. */
int srv_route_match(const char *pattern, const char *path, srv_req *r);

/* ---- helpers for handlers ------------------------------------------------ */

/* RFC 9457 problem: code is one of docs/api.md's (bad-json, not-found...). */
void srv_problem(srv_reply *out, unsigned status, const char *code, const char *detail, const char *field);
/* Problem for a library failure, status chosen from st. */
void srv_problem_mc(srv_reply *out, mc_status st, const mc_err *err);
/* Reply with a JSON value (stolen: decref'd here). */
void srv_json(srv_reply *out, unsigned status, json_t *v);
/* Reply with JSON text (copied). */
void srv_json_text(srv_reply *out, unsigned status, const char *text, size_t len);
/* Parse the request's JSON body strictly (mc_json_check: duplicate keys,
 * encoding) into a jansson object; on failure fills out and returns NULL. */
json_t *srv_body_object(srv_req *r, srv_reply *out);
/* Query parameter (URL-decoded by MHD) or NULL. */
const char *srv_query(srv_req *r, const char *name);

/* Store (+ issuer when need_issuer) for this thread's request; returns NULL
 * after filling out with a problem. srv_worker_put gives it back. */
srv_worker *srv_worker_get(struct srv *s, int need_issuer, const char *actor, srv_reply *out);
void srv_worker_put(srv *s, srv_worker *w, int broken);
mc_store *srv_worker_store(srv_worker *w);
struct mc_issuer *srv_worker_issuer(srv_worker *w);

/* The did:web document of the store's issuers (active + retired keys), or
 * NULL when the issuer is not did:web. Cached a few seconds. Caller frees. */
char *srv_did_document(srv *s, size_t *len);

/* Bulk jobs (jobs.c). */
int srv_jobs_init(srv *s);
void srv_jobs_stop(srv *s);
void srv_bulk_start(srv *s, srv_req *r, srv_reply *out);
void srv_bulk_status(srv *s, srv_req *r, srv_reply *out);

/* Issuer-service handlers (issuer_api.c). */
void srv_h_status_list(srv *s, srv_req *r, srv_reply *out);
void srv_h_shared_json(srv *s, srv_req *r, srv_reply *out);
void srv_h_shared_qr(srv *s, srv_req *r, srv_reply *out);
void srv_h_issue(srv *s, srv_req *r, srv_reply *out);
void srv_h_search(srv *s, srv_req *r, srv_reply *out);
void srv_h_set_status(srv *s, srv_req *r, srv_reply *out);
void srv_h_reissue(srv *s, srv_req *r, srv_reply *out);
void srv_h_share(srv *s, srv_req *r, srv_reply *out);
/* Status lists of this store that cred's credentialStatus names, for
 * mc_verify; NULL when none. Caller frees with mc_status_lists_free. */
mc_status_lists *srv_local_status_lists(srv *s, const char *cred, size_t len);
/* The same, added to lists (created when NULL): one set for a wallet. */
mc_status_lists *srv_local_status_lists_add(srv *s, mc_status_lists *lists, const char *cred, size_t len);
const char *srv_cred_state_name(int st);

/* Trust and transparency (trust_api.c): one handler for every route of
 * the "trust" block of srv_routes (it dispatches on the route's method
 * and pattern), the register snapshot POST /api/v1/verify checks issuers
 * against (NULL when the store does not answer; release what acquire
 * gave), and dropping that snapshot (imports, shutdown). */
void srv_h_trust(srv *s, srv_req *r, srv_reply *out);
const struct mc_register *srv_register_acquire(srv *s, void **handle);
void srv_register_release(void *handle);
void srv_trust_stop(void);
/* Serve a file of web/ (ETag, 304) (routes.c). */
void srv_reply_asset(srv_req *r, srv_reply *out, const char *path);

/* Check a bearer token against the token file (reloaded when it
 * changed). 1 and name/role filled when valid. */
int srv_token_check(srv *s, const char *tok, size_t len, char name[MC_TOKEN_NAME_MAX + 1], mc_role *role);

/* 1 and *role set when a token called name exists (sessions end with
 * their token). */
int srv_token_named(srv *s, const char *name, mc_role *role);

/* Ids of every template in the store (see serve.c for how). Caller frees
 * each and the array. */

/* Default token file for a store URL: "<path>.tokens" for SQLite,
 * "mcred.tokens" for PostgreSQL. */
int srv_default_tokens_path(const char *store, char *out, size_t cap);


/* QR code of text as an SVG document (qr.c); NULL on failure. */
char *srv_qr_svg(const char *text, size_t *len);

/* Embedded web/ files (generated from web/ by scripts/embed_web.sh). */
typedef struct srv_asset {
	const char *path; /* relative to web/: "index.html", "assets/app.js" */
	const char *type;
	const unsigned char *data;
	size_t len;
	const char *etag;
} srv_asset;
extern const srv_asset srv_assets[];
extern const size_t srv_nassets;
const srv_asset *srv_asset_find(const char *path);
extern const char srv_openapi_json[];

/* MHD callbacks (http.c) */
enum MHD_Result srv_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_size, void **con_cls);
/* Header settings that follow the configuration (call before serving). */
void srv_http_init(const srv *s);
void srv_mhd_logger(void *cls, const char *fmt, va_list ap);
void srv_on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe);
#define SRV_SESSION_COOKIE "mcred_session"
/* 1 and *info filled when the request carries a live session cookie. */
int srv_session_of(srv *s, struct MHD_Connection *c, mc_session_info *info);

/* now in unix seconds */
int64_t srv_now(void);

#endif
