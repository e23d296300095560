/*
 * serve.c - `mcred serve`: start-up (config, store, key unlock, tokens),
 * the store/issuer pool, the DID document cache, and graceful shutdown on
 * SIGTERM/SIGINT (stop accepting, let in-flight requests finish, stop bulk
 * jobs at a transaction boundary, close everything).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <sodium.h>

#include "qa_api.h"
#include "srv.h"

/* Seconds to wait for in-flight requests after a stop signal. */
#define SRV_DRAIN_SECONDS 20
/* Seconds the DID document is cached: a key rotation by the CLI shows
 * within this time without a database read per verification. */
#define SRV_DID_CACHE_SECONDS 10

struct srv_worker {
	mc_store *st;
	struct mc_issuer *is;
	srv_worker *next;
};

mc_store *srv_worker_store(srv_worker *w)
{
	return w->st;
}

struct mc_issuer *srv_worker_issuer(srv_worker *w)
{
	return w->is;
}

srv_worker *srv_worker_get(srv *s, int need_issuer, const char *actor, srv_reply *out)
{
	pthread_mutex_lock(&s->pool_mu);
	srv_worker *w = s->idle;
	if (w)
		s->idle = w->next;
	pthread_mutex_unlock(&s->pool_mu);
	mc_err e = {0};
	if (!w) {
		w = calloc(1, sizeof *w);
		if (!w || mc_store_open(s->cfg.store, &w->st, &e) != MC_OK) {
			fprintf(stderr, "{\"event\":\"store-open\",\"error\":\"%s\"}\n", mc_strerror(e.status));
			free(w);
			srv_problem(out, 503, "unavailable", "the store cannot be opened", NULL);
			return NULL;
		}
		pthread_mutex_lock(&s->pool_mu);
		s->nworkers++;
		pthread_mutex_unlock(&s->pool_mu);
	}
	if (need_issuer && !w->is) {
		if (!s->pass) {
			srv_problem(out, 503, "unavailable",
			            "the issuer key is locked: start the server with MCRED_PASSPHRASE or --passphrase-file",
			            NULL);
			srv_worker_put(s, w, 0);
			return NULL;
		}
		mc_issuer_opts o = {.issuer_id = s->cfg.issuer[0] ? s->cfg.issuer : NULL,
		                    .passphrase = s->pass,
		                    .passphrase_len = s->pass_len,
		                    .actor = "server"};
		mc_status st = mc_issuer_open(w->st, &o, &w->is, &e);
		s->issuer_status = st;
		if (st != MC_OK) {
			srv_problem(out, 503, "unavailable", e.msg[0] ? e.msg : "the issuer cannot be opened", e.path);
			srv_worker_put(s, w, 0);
			return NULL;
		}
	}
	/* pooled sessions: the audit log names this request's caller */
	if (need_issuer && mc_issuer_set_actor(w->is, actor && *actor ? actor : "server", &e) != MC_OK) {
		srv_problem(out, 500, "internal", "cannot record the caller", NULL);
		srv_worker_put(s, w, 0);
		return NULL;
	}
	return w;
}

static void worker_free(srv_worker *w)
{
	mc_issuer_close(w->is);
	mc_store_close(w->st);
	free(w);
}

void srv_worker_put(srv *s, srv_worker *w, int broken)
{
	if (!w)
		return;
	if (broken) {
		/* a connection that failed mid-way is not reused */
		pthread_mutex_lock(&s->pool_mu);
		s->nworkers--;
		pthread_mutex_unlock(&s->pool_mu);
		worker_free(w);
		return;
	}
	pthread_mutex_lock(&s->pool_mu);
	w->next = s->idle;
	s->idle = w;
	pthread_mutex_unlock(&s->pool_mu);
}

/* ---- DID document ---------------------------------------------------------- */

static char *build_did_document(srv *s, size_t *len)
{
	srv_reply dummy = {0};
	srv_worker *w = srv_worker_get(s, 0, NULL, &dummy);
	free(dummy.body);
	if (!w)
		return NULL;
	mc_err e = {0};
	mc_store_issuer *iss = NULL;
	size_t n = 0;
	char *text = NULL;
	const char *id = s->cfg.issuer[0] ? s->cfg.issuer : NULL;
	int broken = 0;
	if (mc_store_issuer_list(w->st, &iss, &n, &e) != MC_OK) {
		broken = 1;
		n = 0;
	}
	for (size_t i = 0; i < n && !text; i++) {
		if (id ? strcmp(iss[i].id, id) != 0 : n != 1)
			continue;
		if (strncmp(iss[i].id, "did:web:", 8) != 0)
			continue;
		mc_store_key *keys = NULL;
		size_t nk = 0;
		if (mc_store_key_list(w->st, iss[i].id, &keys, &nk, &e) != MC_OK)
			continue;
		json_t *doc = json_object(), *vms = json_array(), *am = json_array(), *auth = json_array();
		json_object_set_new(doc, "@context",
		                    json_pack("[s,s]", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"));
		json_object_set_new(doc, "id", json_string(iss[i].id));
		for (size_t k = 0; k < nk; k++) {
			/* retired keys stay listed as assertion methods: what they
			 * signed must keep verifying */
			json_array_append_new(vms, json_pack("{s:s,s:s,s:s,s:s}", "id", keys[k].key_id, "type", "Multikey",
			                                     "controller", iss[i].id, "publicKeyMultibase",
			                                     keys[k].public_key_multibase));
			json_array_append_new(am, json_string(keys[k].key_id));
			if (!keys[k].retired_at)
				json_array_append_new(auth, json_string(keys[k].key_id));
		}
		json_object_set_new(doc, "verificationMethod", vms);
		json_object_set_new(doc, "authentication", auth);
		json_object_set_new(doc, "assertionMethod", am);
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(doc);
		mc_store_key_list_free(keys, nk);
	}
	mc_store_issuer_list_free(iss, n);
	srv_worker_put(s, w, broken);
	if (text)
		*len = strlen(text);
	return text;
}

char *srv_did_document(srv *s, size_t *len)
{
	pthread_mutex_lock(&s->did_mu);
	int64_t now = srv_now();
	if (!s->did_at || now - s->did_at >= SRV_DID_CACHE_SECONDS) {
		free(s->did_doc);
		s->did_len = 0;
		s->did_doc = build_did_document(s, &s->did_len);
		s->did_at = now;
	}
	char *copy = NULL;
	if (s->did_doc && (copy = malloc(s->did_len + 1)) != NULL) {
		memcpy(copy, s->did_doc, s->did_len + 1);
		*len = s->did_len;
	}
	pthread_mutex_unlock(&s->did_mu);
	return copy;
}

/* ---- start and stop ---------------------------------------------------------- */

static int read_passphrase(srv *s)
{
	char buf[MC_PASSPHRASE_MAX + 2];
	size_t n = 0;
	if (s->cfg.passphrase_file[0]) {
		FILE *f = fopen(s->cfg.passphrase_file, "rb");
		if (!f) {
			fprintf(stderr, "mcred serve: cannot open passphrase file: %s\n", strerror(errno));
			return -1;
		}
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
	} else {
		const char *env = getenv("MCRED_PASSPHRASE");
		if (!env)
			return 0; /* public endpoints only */
		n = strlen(env);
		if (n > MC_PASSPHRASE_MAX) {
			fprintf(stderr, "mcred serve: passphrase too long\n");
			return -1;
		}
		memcpy(buf, env, n);
	}
	if (n == 0 || n > MC_PASSPHRASE_MAX) {
		fprintf(stderr, "mcred serve: the passphrase is empty or too long\n");
		return -1;
	}
	/* sodium_malloc: guarded, locked pages, wiped on free */
	s->pass = sodium_malloc(n + 1);
	if (!s->pass)
		return -1;
	memcpy(s->pass, buf, n);
	s->pass[n] = '\0';
	s->pass_len = n;
	sodium_memzero(buf, sizeof buf);
	return 0;
}

int mc_serve_main(int argc, char **argv)
{
	if (argc == 1 && strcmp(argv[0], "--routes") == 0) {
		/* the route table, for the OpenAPI test (tests/server/api.sh) */
		for (size_t i = 0; i < srv_nroutes; i++)
			printf("%s %s %s\n", srv_routes[i].method, srv_routes[i].pattern,
			       srv_routes[i].auth == AUTH_PUBLIC ? "public" : mc_role_name((mc_role)srv_routes[i].auth));
		return 0;
	}
	srv *s = calloc(1, sizeof *s);
	if (!s)
		return 4;
	int rc = 0;
	struct MHD_Daemon *d = NULL;
	if (srv_config_load(&s->cfg, argc, argv) != 0) {
		free(s);
		return 2;
	}
	pthread_mutex_init(&s->pool_mu, NULL);
	pthread_mutex_init(&s->tok_mu, NULL);
	pthread_mutex_init(&s->rate_mu, NULL);
	pthread_mutex_init(&s->did_mu, NULL);
	pthread_mutex_init(&s->flight_mu, NULL);
	mc_err e = {0};
	s->rate = calloc(SRV_RATE_SLOTS, sizeof *s->rate);
	if (!s->rate || mc_sessions_new(SRV_SESSIONS_MAX, SRV_SESSION_IDLE, SRV_SESSION_LIFETIME, &s->sessions, &e) != MC_OK ||
	    mc_tokens_load(s->cfg.tokens, &s->tokens, &e) != MC_OK) {
		fprintf(stderr, "mcred serve: %s%s%s\n", e.msg[0] ? e.msg : "out of memory", e.path[0] ? " at " : "", e.path);
		rc = 3;
		goto out;
	}
	if (read_passphrase(s) != 0) {
		rc = 3;
		goto out;
	}
	/* open the store once now: creates/migrates it, and fails early */
	{
		srv_reply r = {0};
		/* unlock the key now: a wrong passphrase stops the start; a store
		 * without an issuer yet serves the public endpoints (the issuer
		 * API answers 503 until `mcred issuer add` and a restart) */
		srv_worker *w = srv_worker_get(s, s->pass != NULL, "server", &r);
		if (!w && s->pass && s->issuer_status != MC_ERR_PASSPHRASE && s->issuer_status != MC_ERR_IO &&
		    s->issuer_status != MC_OK) {
			fprintf(stderr, "{\"event\":\"issuer\",\"unavailable\":true}\n");
			free(r.body);
			r.body = NULL;
			sodium_free(s->pass);
			s->pass = NULL;
			w = srv_worker_get(s, 0, "server", &r);
		}
		if (!w) {
			fprintf(stderr, "mcred serve: %s\n", r.body ? r.body : "cannot open the store");
			free(r.body);
			rc = 3;
			goto out;
		}
		snprintf(s->backend, sizeof s->backend, "%s", mc_store_backend(srv_worker_store(w)));
		if (!s->cfg.public_url[0]) {
			mc_store_issuer *iss = NULL;
			size_t n = 0;
			if (mc_store_issuer_list(srv_worker_store(w), &iss, &n, &e) == MC_OK) {
				for (size_t i = 0; i < n; i++)
					if ((s->cfg.issuer[0] ? !strcmp(iss[i].id, s->cfg.issuer) : n == 1) && iss[i].url)
						snprintf(s->cfg.public_url, sizeof s->cfg.public_url, "%s", iss[i].url);
				mc_store_issuer_list_free(iss, n);
			}
		}
		size_t ul = strlen(s->cfg.public_url);
		while (ul && s->cfg.public_url[ul - 1] == '/')
			s->cfg.public_url[--ul] = '\0';
		srv_worker_put(s, w, 0);
	}
	srv_http_init(s);
	if (srv_jobs_init(s) != 0) {
		rc = 4;
		goto out;
	}

	/* signals are taken by sigwait in this thread only: MHD's threads
	 * inherit the blocked mask */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* retirement notifications: delivered by a thread of their own */
	if (srv_qa_notify_start(s) != 0) {
		fprintf(stderr, "mcred serve: cannot start the notification thread\n");
		rc = 4;
		goto out;
	}

	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->cfg.port)};
	if (inet_pton(AF_INET, s->cfg.bind, &sa.sin_addr) != 1) {
		fprintf(stderr, "mcred serve: bind must be an IPv4 address, not '%s'\n", s->cfg.bind);
		rc = 2;
		goto out;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (s->cfg.threads == 0)
		flags |= MHD_USE_THREAD_PER_CONNECTION;
	else
		flags |= MHD_USE_EPOLL;
	d = MHD_start_daemon(flags, (uint16_t)s->cfg.port, NULL, NULL, srv_on_request, s,
	                     /* the logger first, so that no message escapes it */
	                     MHD_OPTION_EXTERNAL_LOGGER, srv_mhd_logger, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT,
	                     (unsigned)SRV_CONN_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_CONN_MAX,
	                     MHD_OPTION_NOTIFY_COMPLETED, srv_on_completed, s, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	                     s->cfg.threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
	                     (unsigned)s->cfg.threads, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "mcred serve: cannot listen on %s:%u\n", s->cfg.bind, s->cfg.port);
		rc = 4;
		goto out;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = di ? di->port : s->cfg.port;
	if (s->cfg.port_file[0]) {
		char tmp[4200];
		snprintf(tmp, sizeof tmp, "%s.tmp", s->cfg.port_file);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, s->cfg.port_file) != 0) {
			fprintf(stderr, "mcred serve: cannot write the port file\n");
			rc = 4;
			goto out;
		}
	}
	fprintf(stderr,
	        "{\"event\":\"listening\",\"address\":\"%s\",\"port\":%u,\"store\":\"%s\",\"threads\":%u,"
	        "\"issuer\":%s,\"tokens\":%zu}\n",
	        s->cfg.bind, port, s->backend, s->cfg.threads, s->pass ? "true" : "false", mc_tokens_count(s->tokens));

	int sig = 0;
	while (sigwait(&sigs, &sig) != 0)
		;
	s->stopping = 1;
	fprintf(stderr, "{\"event\":\"stopping\",\"signal\":%d}\n", sig);
	/* stop accepting; requests already started run to their end */
	MHD_socket lsock = MHD_quiesce_daemon(d);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock); /* quiesce hands the listening socket to us */
	srv_jobs_stop(s);
	for (int i = 0; i < SRV_DRAIN_SECONDS * 20; i++) {
		pthread_mutex_lock(&s->flight_mu);
		long n = s->in_flight;
		pthread_mutex_unlock(&s->flight_mu);
		if (n <= 0)
			break;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "{\"event\":\"stopped\"}\n");
out:
	if (d)
		MHD_stop_daemon(d);
	srv_jobs_stop(s);
	srv_qa_notify_stop(s);
	while (s->idle) {
		srv_worker *w = s->idle;
		s->idle = w->next;
		worker_free(w);
	}
	srv_trust_stop(); /* the register snapshot */
	if (s->pass)
		sodium_free(s->pass);
	mc_tokens_free(s->tokens);
	mc_sessions_free(s->sessions);
	free(s->rate);
	free(s->did_doc);
	pthread_mutex_destroy(&s->pool_mu);
	pthread_mutex_destroy(&s->tok_mu);
	pthread_mutex_destroy(&s->rate_mu);
	pthread_mutex_destroy(&s->did_mu);
	pthread_mutex_destroy(&s->flight_mu);
	free(s);
	return rc;
}
