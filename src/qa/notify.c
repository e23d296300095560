/*
 * notify.c - delivering retirement notifications: subscribers (webhooks,
 * email), a durable outbox with claims, retries and back-off, HMAC
 * signatures, and the built-in libcurl transport. mc_qa_retire writes the
 * notification records; this file gets them to the people and systems
 * that hold the credential. The outbox lives in the store, so a sender
 * that is killed loses nothing and a rerun sends nothing twice that was
 * recorded as delivered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "qa/qa_internal.h"

/* First retry after this many seconds, doubling per attempt; capped at a
 * day so a receiver that is down for a weekend is tried a few times a day. */
#define BACKOFF_FIRST 30
#define BACKOFF_MAX 86400
/* Entries one pass reads at a time: bounds memory; a pass loops. */
#define BATCH 64
/* Bytes of a receiver's answer kept in last_error. */
#define WHY_MAX 200

static const char *const kinds[] = {"webhook", "email"};

/* ---- subscribers ------------------------------------------------------------ */

/* "mailto:" and one address: no spaces, brackets, line breaks or lists
 * (they would inject SMTP headers or recipients). */
static bool mail_ok(const char *target)
{
	return strncmp(target, "mailto:", 7) == 0 && strlen(target) <= MC_QA_TARGET_MAX && strchr(target + 7, '@') &&
	       target[7] != '@' && !strpbrk(target, " <>\r\n,;\"\\");
}

static mc_status subscriber_in(mc_store *s, const char *id, const char *kind, const char *target, const char *secret,
                               const mc_qa_actor *who, mc_err *err)
{
	mc__val p[5] = {mc__v_text(id), mc__v_text(kind), mc__v_text(target), mc__v_text(secret),
	                mc__v_int(mc__time_now())};
	MC__CHECK(mc__store_exec(s, "subscriber_add",
	                         "INSERT INTO qa_subscribers (id, kind, target, secret, active, created) "
	                         "VALUES ($1, $2, $3, $4, 1, $5)",
	                         p, 5, NULL, NULL, NULL, err));
	qa__js j = {false};
	cJSON *d = cJSON_CreateObject();
	qa__str(&j, d, "kind", kind);
	qa__str(&j, d, "target", target);
	qa__str(&j, d, "change", "added");
	return qa__audit(s, who, "notify.subscriber", id, d, err);
}

mc_status mc_qa_subscriber_add(mc_store *s, const char *id, const char *kind, const char *target, const char *secret,
                               const mc_qa_actor *who, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "argument is NULL");
	MC__CHECK(qa__actor(err, who));
	if (who->role != MC_QA_ROLE_OFFICER)
		return mc__fail(err, MC_ERR_VALUE, "actor.role", "subscriber: a %s cannot do this; it needs a qa-officer",
		                mc_qa_role_name(who->role));
	if (!qa__short_id(id))
		return mc__fail(err, MC_ERR_VALUE, "id", "a subscriber id is 1-%d of a-z 0-9 . -", MC_QA_ID_MAX);
	int k = -1;
	for (int i = 0; i < 2; i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			k = i;
	if (k < 0)
		return mc__fail(err, MC_ERR_VALUE, "kind", "kind is webhook or email");
	MC__CHECK(mc__check_text(err, target, "target", MC_QA_TARGET_MAX, false));
	if (k == 0 && strncmp(target, "https://", 8) != 0 && strncmp(target, "http://", 7) != 0)
		return mc__fail(err, MC_ERR_VALUE, "target", "a webhook target is an http(s) URL");
	if (k == 1 && strcmp(target, MC_QA_TARGET_HOLDERS) != 0 && !mail_ok(target))
		return mc__fail(err, MC_ERR_VALUE, "target", "an email target is mailto:one@address or " MC_QA_TARGET_HOLDERS);
	MC__CHECK(mc__check_text(err, secret, "secret", MC_QA_SECRET_MAX, false));
	if (strlen(secret) < MC_QA_SECRET_MIN)
		return mc__fail(err, MC_ERR_VALUE, "secret", "the secret has at least %d characters", MC_QA_SECRET_MIN);
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, subscriber_in(s, id, kind, target, secret, who, err), err);
}

static mc_status remove_in(mc_store *s, const char *id, const mc_qa_actor *who, mc_err *err)
{
	int64_t changed = 0;
	mc__val p[1] = {mc__v_text(id)};
	MC__CHECK(mc__store_exec(s, "subscriber_remove", "UPDATE qa_subscribers SET active = 0 WHERE id = $1 AND active = 1",
	                         p, 1, NULL, NULL, &changed, err));
	if (changed != 1)
		return mc__fail(err, MC_ERR_MISSING, "id", "no active subscriber '%s'", id);
	qa__js j = {false};
	cJSON *d = cJSON_CreateObject();
	qa__str(&j, d, "change", "removed");
	return qa__audit(s, who, "notify.subscriber", id, d, err);
}

mc_status mc_qa_subscriber_remove(mc_store *s, const char *id, const mc_qa_actor *who, mc_err *err)
{
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "argument is NULL");
	MC__CHECK(qa__actor(err, who));
	if (who->role != MC_QA_ROLE_OFFICER)
		return mc__fail(err, MC_ERR_VALUE, "actor.role", "subscriber: it needs a qa-officer");
	if (!qa__short_id(id))
		return mc__fail(err, MC_ERR_MISSING, "id", "no such subscriber");
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, remove_in(s, id, who, err), err);
}

typedef struct list_ctx {
	qa__js *j;
	cJSON *arr;
} list_ctx;

static mc_status row_sub(void *ctx, const mc__val *c, int n)
{
	list_ctx *l = ctx;
	if (n != 5)
		return MC_ERR_INTERNAL;
	char *v[3] = {NULL, NULL, NULL};
	mc_status st = MC_OK;
	for (int i = 0; i < 3 && st == MC_OK; i++)
		if (!mc__col_str(&v[i], &c[i]))
			st = MC_ERR_NOMEM;
	if (st == MC_OK) {
		cJSON *o = qa__obj(l->j, l->arr, NULL);
		qa__str(l->j, o, "id", v[0]);
		qa__str(l->j, o, "kind", v[1]);
		qa__str(l->j, o, "target", v[2]);
		qa__bool(l->j, o, "active", mc__col_int(&c[3], 0) == 1);
		qa__date(l->j, o, "created", mc__col_int(&c[4], 0));
	}
	for (int i = 0; i < 3; i++)
		free(v[i]);
	return st != MC_OK ? st : l->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_subscriber_list(mc_store *s, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	list_ctx l = {&j, arr};
	mc_status st = mc__store_exec(s, "subscriber_list",
	                              "SELECT id, kind, target, active, created FROM qa_subscribers ORDER BY id", NULL, 0,
	                              row_sub, &l, NULL, err);
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}

/* ---- signatures --------------------------------------------------------------- */

mc_status mc_qa_sign(const char *secret, int64_t t, const char *body, size_t len, char out[96], mc_err *err)
{
	if (!secret || !body || !out)
		return mc__fail(err, MC_ERR_ARG, "secret", "argument is NULL");
	char ts[24];
	int tn = snprintf(ts, sizeof ts, "%lld.", (long long)t);
	crypto_auth_hmacsha256_state h;
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * sizeof mac + 1];
	crypto_auth_hmacsha256_init(&h, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)ts, (unsigned long long)tn);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&h, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, 96, "t=%lld,v1=%s", (long long)t, hex);
	sodium_memzero(&h, sizeof h);
	return MC_OK;
}

/* ---- the outbox ------------------------------------------------------------------ */

/* Outbox entries for every notification x active subscriber pair that has
 * none, notifications made since the subscriber was added. One statement:
 * idempotent, and the unique constraint stops two senders doubling. */
static mc_status fill(mc_store *s, int64_t now, size_t *queued, mc_err *err)
{
	int64_t changed = 0;
	mc__val p[1] = {mc__v_int(now)};
	MC__CHECK(mc__store_write(s, "outbox_fill",
	                          "INSERT INTO qa_outbox (subscriber_id, template_id, template_version, credential_id, "
	                          "learner_id, state, attempts, next_at, created) "
	                          "SELECT b.id, n.template_id, n.template_version, n.credential_id, n.learner_id, 'pending', 0, "
	                          "$1, $1 FROM qa_notifications n, qa_subscribers b WHERE b.active = 1 AND n.created >= b.created "
	                          "AND NOT EXISTS (SELECT 1 FROM qa_outbox o WHERE o.subscriber_id = b.id AND "
	                          "o.template_id = n.template_id AND o.template_version = n.template_version AND "
	                          "o.credential_id = n.credential_id)",
	                          p, 1, &changed, err));
	*queued = (size_t)changed;
	return MC_OK;
}

/* One due entry with what its delivery needs. */
typedef struct entry {
	int64_t seq, version, attempts, notified;
	char *sub, *kind, *target, *secret, *tpl, *cred, *learner;
} entry;

typedef struct batch {
	entry v[BATCH];
	size_t n;
} batch;

static void batch_clear(batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		entry *e = &b->v[i];
		free(e->sub), free(e->kind), free(e->target), free(e->tpl), free(e->cred), free(e->learner);
		if (e->secret) {
			sodium_memzero(e->secret, strlen(e->secret));
			free(e->secret);
		}
	}
	memset(b, 0, sizeof *b);
}

static mc_status row_entry(void *ctx, const mc__val *c, int n)
{
	batch *b = ctx;
	if (n != 11)
		return MC_ERR_INTERNAL;
	if (b->n == BATCH)
		return MC_OK;
	entry *e = &b->v[b->n++];
	e->seq = mc__col_int(&c[0], 0);
	e->version = mc__col_int(&c[5], 0);
	e->attempts = mc__col_int(&c[8], 0);
	e->notified = mc__col_int(&c[10], 0);
	if (!mc__col_str(&e->sub, &c[1]) || !mc__col_str(&e->kind, &c[2]) || !mc__col_str(&e->target, &c[3]) ||
	    !mc__col_str(&e->secret, &c[9]) || !mc__col_str(&e->tpl, &c[4]) || !mc__col_str(&e->cred, &c[6]) ||
	    !mc__col_str(&e->learner, &c[7]))
		return MC_ERR_NOMEM;
	return MC_OK;
}

/* The stable delivery id: a receiver sees the same one on a repeat. */
static void delivery_key(const entry *e, char hex[65])
{
	crypto_hash_sha256_state h;
	uint8_t d[crypto_hash_sha256_BYTES];
	char ver[24];
	snprintf(ver, sizeof ver, "%lld", (long long)e->version);
	const char *parts[4] = {e->sub, e->tpl, ver, e->cred};
	crypto_hash_sha256_init(&h);
	for (int i = 0; i < 4; i++) /* NUL-separated: no two tuples share bytes */
		crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(hex, 65, d, sizeof d);
}

/* The JSON payload (docs/qa.md). */
static char *payload(const entry *e, const char *key)
{
	qa__js j = {false};
	cJSON *o = cJSON_CreateObject();
	qa__str(&j, o, "id", key);
	qa__str(&j, o, "type", "mcred.specification.retired");
	qa__str(&j, o, "template", e->tpl);
	qa__num(&j, o, "version", (double)e->version);
	qa__str(&j, o, "credential", e->cred);
	qa__str(&j, o, "learner", e->learner);
	qa__date(&j, o, "retired", e->notified);
	qa__str(&j, o, "message", "The micro-credential specification was retired: it is no longer offered. Credentials "
	                          "issued from it stay valid and verifiable.");
	char *out = NULL;
	mc_err e2 = {0};
	if (qa__finish(&j, o, &out, &e2) != MC_OK)
		return NULL;
	return out;
}

/* A holders subscriber writes to the address in the credential's learner
 * record: "mailto:<email>" in to (cap bytes), or 0 when there is none
 * (never given, erased, or not a single plain address). */
typedef struct learner_row {
	char *json;
} learner_row;

static mc_status row_learner(void *ctx, const mc__val *c, int n)
{
	learner_row *r = ctx;
	if (n != 1)
		return MC_ERR_INTERNAL;
	free(r->json);
	return mc__col_str(&r->json, &c[0]) ? MC_OK : MC_ERR_NOMEM;
}

static mc_status holder_address(mc_store *s, const char *cred, char *to, size_t cap, bool *found, mc_err *err)
{
	*found = false;
	learner_row r = {NULL};
	mc__val p[1] = {mc__v_text(cred)};
	MC__CHECK(mc__store_exec(s, "holder_address", "SELECT learner FROM credentials WHERE id = $1 AND erased_at IS NULL",
	                         p, 1, row_learner, &r, NULL, err));
	cJSON *l = r.json ? mc__json_parse(r.json, strlen(r.json), NULL) : NULL;
	const cJSON *em = mc__json_get(l, "email");
	if (cJSON_IsString(em) && (size_t)snprintf(to, cap, "mailto:%s", em->valuestring) < cap && mail_ok(to))
		*found = true;
	cJSON_Delete(l);
	free(r.json);
	return MC_OK;
}

/* The letter to a holder: what happened and that nothing is lost. */
static char *holder_letter(const entry *e)
{
	char when[32];
	mc__time_format(e->notified, when);
	mc__buf b;
	mc__buf_init(&b, 3 * MC_QA_TARGET_MAX); /* two ids of at most MC_STORE_ID_MAX and the words */
	mc__buf_addf(&b,
	             "Hello,\r\n\r\nthe micro-credential specification %s (version %lld) was retired on %.10s: "
	             "it is no longer offered.\r\n\r\nYour credential %s stays valid: anyone can still verify it, "
	             "and you keep it in your wallet as before. You need to do nothing.\r\n",
	             e->tpl, (long long)e->version, when, e->cred);
	return mc__buf_take(&b, NULL);
}

/* ---- the built-in transport (libcurl) -------------------------------------------- */

typedef struct upload {
	const char *p;
	size_t n, off;
} upload;

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
	upload *u = ctx;
	size_t room = size * nmemb, left = u->n - u->off, k = left < room ? left : room;
	memcpy(buf, u->p + u->off, k);
	u->off += k;
	return k;
}

static size_t drop_cb(char *p, size_t size, size_t nmemb, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * nmemb;
}

typedef struct curl_ctx {
	const mc_qa_send_opts *o;
} curl_ctx;

static mc_status curl_send(void *ctx, const mc_qa_delivery *d, char *why, size_t cap)
{
	const mc_qa_send_opts *o = ((curl_ctx *)ctx)->o;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(why, cap, "cannot start libcurl");
		return MC_ERR_INTERNAL;
	}
	struct curl_slist *h = NULL, *rcpt = NULL;
	char line[256];
	char *mail = NULL;
	upload u = {0};
	long timeout = o->timeout_seconds > 0 ? o->timeout_seconds : 10;
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (strcmp(d->kind, "webhook") == 0) {
		/* no redirects: a receiver must not bounce the payload elsewhere */
		curl_easy_setopt(c, CURLOPT_URL, d->target);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)d->len);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, drop_cb);
		h = curl_slist_append(h, "Content-Type: application/json");
		snprintf(line, sizeof line, "Idempotency-Key: %s", d->key);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "X-Mcred-Signature: %s", d->signature);
		h = curl_slist_append(h, line);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	} else {
		if (!o->smtp_url || !o->mail_from) {
			curl_easy_cleanup(c);
			snprintf(why, cap, "no SMTP server configured for email subscribers");
			return MC_ERR_UNSUPPORTED;
		}
		char to[MC_QA_TARGET_MAX + 4], from[MC_QA_TARGET_MAX + 4];
		snprintf(to, sizeof to, "<%s>", d->target + 7);
		snprintf(from, sizeof from, "<%s>", o->mail_from);
		mc__buf b;
		mc__buf_init(&b, d->len + 4096);
		mc__buf_addf(&b,
		             "From: %s\r\nTo: %s\r\nSubject: %s\r\n"
		             "Message-ID: <%s@mcred>\r\nX-Mcred-Signature: %s\r\nMIME-Version: 1.0\r\n"
		             "Content-Type: %s; charset=utf-8\r\n\r\n",
		             from, to,
		             d->text ? "Your micro-credential: its specification was retired"
		                     : "A micro-credential specification was retired",
		             d->key, d->signature, d->text ? "text/plain" : "application/json");
		if (d->text)
			mc__buf_adds(&b, d->text);
		else
			mc__buf_add(&b, d->body, d->len);
		mc__buf_adds(&b, "\r\n");
		size_t n = 0;
		mail = mc__buf_take(&b, &n);
		if (!mail) {
			curl_easy_cleanup(c);
			snprintf(why, cap, "out of memory");
			return MC_ERR_NOMEM;
		}
		u = (upload){mail, n, 0};
		rcpt = curl_slist_append(rcpt, to);
		curl_easy_setopt(c, CURLOPT_URL, o->smtp_url);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, &u);
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	}
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	mc_status st = MC_OK;
	if (rc != CURLE_OK) {
		snprintf(why, cap, "%s", curl_easy_strerror(rc));
		st = MC_ERR_IO;
	} else if (strcmp(d->kind, "webhook") == 0 && (code < 200 || code > 299)) {
		snprintf(why, cap, "the receiver answered HTTP %ld", code);
		st = MC_ERR_IO;
	}
	curl_slist_free_all(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	free(mail);
	return st;
}

/* ---- a pass --------------------------------------------------------------------- */

static mc_status finish(mc_store *s, const entry *e, mc_status sent, const char *why, int64_t now, int max_attempts,
                        mc_qa_send_stats *stats, mc_err *err)
{
	if (sent == MC_OK) {
		mc__val p[2] = {mc__v_int(now), mc__v_int(e->seq)};
		MC__CHECK(mc__store_write(s, "outbox_done",
		                          "UPDATE qa_outbox SET state = 'delivered', delivered_at = $1, lease_until = NULL, "
		                          "last_error = NULL WHERE seq = $2",
		                          p, 2, NULL, err));
		stats->delivered++;
		return MC_OK;
	}
	int64_t attempts = e->attempts + 1, wait = BACKOFF_FIRST;
	for (int64_t i = 1; i < attempts && wait < BACKOFF_MAX; i++)
		wait *= 2;
	if (wait > BACKOFF_MAX)
		wait = BACKOFF_MAX;
	bool last = attempts >= max_attempts;
	mc__val p[4] = {mc__v_text(last ? "failed" : "pending"), mc__v_int(now + wait), mc__v_text(why), mc__v_int(e->seq)};
	MC__CHECK(mc__store_write(s, "outbox_retry",
	                          "UPDATE qa_outbox SET state = $1, next_at = $2, last_error = $3, lease_until = NULL "
	                          "WHERE seq = $4",
	                          p, 4, NULL, err));
	if (last)
		stats->failed++;
	else
		stats->retry++;
	return MC_OK;
}

mc_status mc_qa_outbox_send(mc_store *s, const mc_qa_send_opts *o, mc_qa_send_stats *stats, mc_err *err)
{
	mc_qa_send_opts dflt = {0};
	mc_qa_send_stats local = {0};
	if (!s)
		return mc__fail(err, MC_ERR_ARG, "store", "argument is NULL");
	if (!o)
		o = &dflt;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	int64_t now = o->now ? o->now : mc__time_now();
	int64_t lease = o->lease > 0 ? o->lease : MC_QA_DELIVERY_LEASE_DEFAULT;
	int max_attempts = o->max_attempts > 0 ? o->max_attempts : MC_QA_DELIVERY_ATTEMPTS_DEFAULT;
	curl_ctx cc = {o};
	mc_qa_send_fn send = o->send ? o->send : curl_send;
	void *ctx = o->send ? o->ctx : &cc;
	MC__CHECK(fill(s, now, &stats->queued, err));
	size_t done = 0;
	int64_t after = 0;
	for (;;) {
		batch b = {0};
		mc__val p[3] = {mc__v_int(now), mc__v_int(after), mc__v_int(BATCH)};
		mc_status st = mc__store_exec(
			s, "outbox_due",
			"SELECT o.seq, o.subscriber_id, b.kind, b.target, o.template_id, o.template_version, o.credential_id, "
			"o.learner_id, o.attempts, b.secret, n.created FROM qa_outbox o JOIN qa_subscribers b ON b.id = o.subscriber_id "
			"JOIN qa_notifications n ON n.template_id = o.template_id AND n.template_version = o.template_version AND "
			"n.credential_id = o.credential_id "
			"WHERE b.active = 1 AND ((o.state = 'pending' AND o.next_at <= $1) OR (o.state = 'sending' AND o.lease_until <= $1)) "
			"AND o.seq > $2 ORDER BY o.seq LIMIT $3",
			p, 3, row_entry, &b, NULL, err);
		if (st != MC_OK || b.n == 0) {
			batch_clear(&b);
			return st;
		}
		for (size_t i = 0; i < b.n && st == MC_OK; i++) {
			entry *e = &b.v[i];
			after = e->seq;
			if (o->max && done >= o->max)
				break;
			/* the claim: only one sender gets the row (state and lease
			 * are both in the condition) */
			int64_t changed = 0;
			mc__val c[4] = {mc__v_int(now + lease), mc__v_int(e->seq), mc__v_int(now), mc__v_int(e->attempts)};
			st = mc__store_write(s, "outbox_claim",
			                     "UPDATE qa_outbox SET state = 'sending', lease_until = $1, attempts = attempts + 1 "
			                     "WHERE seq = $2 AND attempts = $4 AND ((state = 'pending' AND next_at <= $3) OR "
			                     "(state = 'sending' AND lease_until <= $3))",
			                     c, 4, &changed, err);
			if (st != MC_OK || changed != 1)
				continue;
			done++;
			char key[65], sig[96], why[WHY_MAX + 1] = "", to[MC_QA_TARGET_MAX + 1];
			delivery_key(e, key);
			char *body = payload(e, key), *text = NULL;
			mc_status sent = MC_ERR_NOMEM;
			const char *target = e->target;
			bool holders = strcmp(e->kind, "email") == 0 && strcmp(e->target, MC_QA_TARGET_HOLDERS) == 0, found = true;
			if (holders && (st = holder_address(s, e->cred, to, sizeof to, &found, err)) == MC_OK && found) {
				target = to;
				text = holder_letter(e);
			}
			if (st != MC_OK) {
				/* the store failed: leave the claim to expire */
			} else if (!found) {
				/* nobody to write to: given up at once, retrying cannot help */
				snprintf(why, sizeof why, "the holder has no email address on record");
				st = finish(s, e, MC_ERR_MISSING, why, now, 1, stats, err);
			} else {
				if (body && (!holders || text) && mc_qa_sign(e->secret, now, body, strlen(body), sig, NULL) == MC_OK) {
					mc_qa_delivery d = {e->kind, target, key, body, strlen(body), sig, text};
					sent = send(ctx, &d, why, sizeof why);
					if (sent != MC_OK && !why[0])
						snprintf(why, sizeof why, "%s", mc_strerror(sent));
				}
				st = finish(s, e, sent, why, now, max_attempts, stats, err);
			}
			free(text);
			mc_free(body);
		}
		batch_clear(&b);
		if (st != MC_OK || (o->max && done >= o->max))
			return st;
	}
}

typedef struct obox_ctx {
	qa__js *j;
	cJSON *arr;
} obox_ctx;

static mc_status row_obox(void *ctx, const mc__val *c, int n)
{
	obox_ctx *l = ctx;
	if (n != 10)
		return MC_ERR_INTERNAL;
	char *v[5] = {NULL, NULL, NULL, NULL, NULL};
	static const int col[5] = {0, 1, 3, 4, 8};
	mc_status st = MC_OK;
	for (int i = 0; i < 5 && st == MC_OK; i++)
		if (!mc__col_str(&v[i], &c[col[i]]))
			st = MC_ERR_NOMEM;
	if (st == MC_OK) {
		cJSON *o = qa__obj(l->j, l->arr, NULL);
		qa__str(l->j, o, "subscriber", v[0]);
		qa__str(l->j, o, "template", v[1]);
		qa__num(l->j, o, "version", (double)mc__col_int(&c[2], 0));
		qa__str(l->j, o, "credential", v[2]);
		qa__str(l->j, o, "state", v[3]);
		qa__num(l->j, o, "attempts", (double)mc__col_int(&c[5], 0));
		qa__date(l->j, o, "nextAttempt", mc__col_int(&c[6], 0));
		qa__date(l->j, o, "delivered", mc__col_int(&c[7], 0));
		qa__str(l->j, o, "lastError", v[4]);
		qa__date(l->j, o, "created", mc__col_int(&c[9], 0));
	}
	for (int i = 0; i < 5; i++)
		free(v[i]);
	return st != MC_OK ? st : l->j->nomem ? MC_ERR_NOMEM : MC_OK;
}

mc_status mc_qa_outbox_list(mc_store *s, const char *tpl, char **json, mc_err *err)
{
	if (!s || !json)
		return mc__fail(err, MC_ERR_ARG, !s ? "store" : "json", "argument is NULL");
	*json = NULL;
	if (tpl)
		MC__CHECK(qa__id(err, tpl, "template_id"));
	qa__js j = {false};
	cJSON *arr = cJSON_CreateArray();
	obox_ctx l = {&j, arr};
	mc__val p[1] = {mc__v_text(tpl)};
#define OBOX_COLS                                                                                             \
	"SELECT subscriber_id, template_id, template_version, credential_id, state, attempts, next_at, delivered_at, " \
	"last_error, created FROM qa_outbox "
	mc_status st = mc__store_exec(s, "outbox_list",
	                              tpl ? OBOX_COLS "WHERE template_id = $1 ORDER BY seq" : OBOX_COLS "ORDER BY seq", p,
	                              tpl ? 1 : 0, row_obox, &l, NULL, err);
#undef OBOX_COLS
	if (st != MC_OK) {
		cJSON_Delete(arr);
		return st;
	}
	return qa__finish(&j, arr, json, err);
}
