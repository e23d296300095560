/*
 * ops_archive.c - what issuance leaves behind: the credential archive,
 * status lists with random index allocation, the append-only audit log,
 * and the learner's GDPR export and erasure. Shared by both back-ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/store_internal.h"

static int64_t or_now(int64_t t)
{
	return t ? t : mc__time_now();
}

/* ---- Credentials ----------------------------------------------------- */

static const char *const cred_states[] = {"active", "suspended", "revoked"};

#define CRED_COLS                                                                                      \
	"id, template_id, template_version, learner_id, external_id, batch_id, status_list_id, status_index, " \
	"learner, json, issued_at, state, state_reason, erased_at, replaces"
#define CRED_INSERT                                                                                  \
	"INSERT INTO credentials (id, template_id, template_version, learner_id, external_id, batch_id, " \
	"status_list_id, status_index, learner, json, issued_at, replaces) "                             \
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
#define CRED_NPARAMS 12

static const char sql_cred_insert[] = CRED_INSERT;
/* The idempotent re-run: only the idempotency key may conflict silently;
 * a clash on the id or the status entry is still an error. */
static const char sql_cred_insert_skip[] =
	CRED_INSERT " ON CONFLICT (template_id, learner_id, external_id) DO NOTHING";

/* Rows per exec_many call: bounds the parameter array (and, on
 * PostgreSQL, the pipeline) whatever the batch size. */
#define CRED_CHUNK 512

static mc_status fill_cred(void *dst, const mc__val *c, int n)
{
	mc_store_credential *v = dst;
	if (n != 15)
		return MC_ERR_INTERNAL;
	int st = mc__name_index(&c[11], cred_states, 3);
	if (st < 0)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->template_id, &c[1]) ||
	    !mc__col_str(&v->learner_id, &c[3]) || !mc__col_str(&v->external_id, &c[4]) ||
	    !mc__col_str(&v->batch_id, &c[5]) || !mc__col_str(&v->status_list_id, &c[6]) ||
	    !mc__col_str(&v->learner, &c[8]) || !mc__col_str(&v->json, &c[9]) ||
	    !mc__col_str(&v->state_reason, &c[12]) || !mc__col_str(&v->replaces, &c[14]))
		return MC_ERR_NOMEM;
	v->template_version = mc__col_int(&c[2], 0);
	v->status_index = mc__col_int(&c[7], -1);
	v->issued_at = mc__col_int(&c[10], 0);
	v->state = (mc_cred_state)st;
	v->erased_at = mc__col_int(&c[13], 0);
	return MC_OK;
}

static void clear_cred(void *v)
{
	mc_store_credential_clear(v);
}

static void cred_params(mc__val *p, const mc_store_credential *c, int64_t now)
{
	p[0] = mc__v_text(c->id);
	p[1] = mc__v_text(c->template_id);
	p[2] = mc__v_int(c->template_version);
	p[3] = mc__v_text(c->learner_id);
	p[4] = mc__v_text(c->external_id);
	p[5] = mc__v_text(c->batch_id);
	p[6] = mc__v_text(c->status_list_id);
	/* no list, no index: the index alone means nothing */
	p[7] = c->status_list_id ? mc__v_int(c->status_index) : mc__v_text(NULL);
	p[8] = mc__v_text(c->learner);
	p[9] = mc__v_text(c->json);
	p[10] = mc__v_int(c->issued_at ? c->issued_at : now);
	p[11] = mc__v_text(c->replaces);
}

static mc_status batch_in(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                          uint8_t *inserted, mc_err *err)
{
	const char *sql = (flags & MC_STORE_SKIP_EXISTING) ? sql_cred_insert_skip : sql_cred_insert;
	mc__val *p = malloc(sizeof *p * CRED_NPARAMS * (n < CRED_CHUNK ? n : CRED_CHUNK));
	int64_t changes[CRED_CHUNK];
	if (!p)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "credential_add: out of memory");
	int64_t now = mc__time_now();
	mc_status st = MC_OK;
	for (size_t off = 0; off < n && st == MC_OK; off += CRED_CHUNK) {
		size_t k = n - off < CRED_CHUNK ? n - off : CRED_CHUNK, bad;
		for (size_t i = 0; i < k; i++)
			cred_params(p + i * CRED_NPARAMS, &rows[off + i], now);
		mc_err e = {0};
		st = mc__store_exec_many(s, "credential_add", sql, p, CRED_NPARAMS, k, changes, &bad, &e);
		if (st != MC_OK && bad < k) {
			char path[32];
			snprintf(path, sizeof path, "rows[%zu]", off + bad);
			mc__fail(err, st, path, "%s (%s)", e.msg, path);
		} else if (st != MC_OK) {
			mc__fail(err, st, e.path[0] ? e.path : NULL, "%s", e.msg);
		}
		for (size_t i = 0; st == MC_OK && inserted && i < k; i++)
			inserted[off + i] = changes[i] > 0;
	}
	free(p);
	return st;
}

mc_status mc__cred_add_batch(mc_store *s, const mc_store_credential *rows, size_t n, unsigned flags,
                             uint8_t *inserted, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, n == 1, err));
	mc_status st = batch_in(s, rows, n, flags, inserted, err);
	st = mc__store_atomic_end(s, st, err);
	if (st != MC_OK && inserted)
		memset(inserted, 0, n); /* nothing was written */
	return st;
}

mc_status mc__cred_get(mc_store *s, const char *id, mc_store_credential *out, mc_err *err)
{
	mc__val p[1] = {mc__v_text(id)};
	return mc__get_one(s, "credential_get", "SELECT " CRED_COLS " FROM credentials WHERE id = $1", p, 1, out,
	                   sizeof *out, fill_cred, clear_cred, "credential", err);
}

mc_status mc__cred_find(mc_store *s, const char *tpl, const char *learner, const char *ext,
                        mc_store_credential *out, mc_err *err)
{
	mc__val p[3] = {mc__v_text(tpl), mc__v_text(learner), mc__v_text(ext)};
	return mc__get_one(s, "credential_find",
	                   "SELECT " CRED_COLS " FROM credentials "
	                   "WHERE template_id = $1 AND learner_id = $2 AND external_id = $3",
	                   p, 3, out, sizeof *out, fill_cred, clear_cred, "credential", err);
}

/* The keys travel as one JSON array of [template, learner, external id]
 * triples, unpacked by the database (json_each / jsonb_array_elements),
 * so the statement text is the same for any n and stays prepared. Each
 * triple is then an index lookup on credentials_idempotency. */
static const char *const sql_exists[MC__SQL_N] = {
	"SELECT CAST(j.key AS INTEGER) FROM json_each($1) j JOIN credentials c "
	"ON c.template_id = json_extract(j.value, '$[0]') AND c.learner_id = json_extract(j.value, '$[1]') "
	"AND c.external_id = json_extract(j.value, '$[2]')",
	"SELECT e.ord - 1 FROM jsonb_array_elements(CAST($1 AS jsonb)) WITH ORDINALITY AS e(v, ord) JOIN credentials c "
	"ON c.template_id = e.v->>0 AND c.learner_id = e.v->>1 AND c.external_id = e.v->>2"};

struct exists_ctx {
	uint8_t *exists;
	size_t n;
};

static mc_status row_exists(void *ctx, const mc__val *c, int n)
{
	struct exists_ctx *x = ctx;
	int64_t i = n == 1 ? mc__col_int(&c[0], -1) : -1;
	if (i < 0 || (uint64_t)i >= x->n)
		return MC_ERR_INTERNAL;
	x->exists[i] = 1;
	return MC_OK;
}

mc_status mc__cred_exists(mc_store *s, const mc_store_cred_key *keys, size_t n, uint8_t *exists, mc_err *err)
{
	cJSON *arr = cJSON_CreateArray();
	bool ok = arr != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		const char *t[3] = {keys[i].template_id, keys[i].learner_id, keys[i].external_id};
		cJSON *one = cJSON_CreateStringArray(t, 3);
		ok = one && cJSON_AddItemToArray(arr, one);
		if (!ok)
			cJSON_Delete(one);
	}
	char *json = ok ? mc__json_print(arr, 0) : NULL;
	cJSON_Delete(arr);
	if (!json)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "credential_exists: out of memory");
	memset(exists, 0, n);
	struct exists_ctx x = {exists, n};
	mc__val p[1] = {mc__v_text(json)};
	mc_status st = mc__store_exec(s, "credential_exists", sql_exists[s->vt->dialect], p, 1, row_exists, &x, NULL, err);
	free(json);
	if (st != MC_OK)
		memset(exists, 0, n);
	return st;
}

static mc_status row_state(void *ctx, const mc__val *c, int n)
{
	if (n != 1)
		return MC_ERR_INTERNAL;
	*(int *)ctx = mc__name_index(&c[0], cred_states, 3);
	return *(int *)ctx < 0 ? MC_ERR_INTERNAL : MC_OK;
}

static mc_status set_state_in(mc_store *s, const char *id, mc_cred_state to, const char *reason, mc_err *err)
{
	int cur = -1;
	mc__val p[3] = {mc__v_text(id), mc__v_text(cred_states[to]), mc__v_text(reason)};
	MC__CHECK(mc__store_exec(s, "credential_set_state", "SELECT state FROM credentials WHERE id = $1", p, 1,
	                     row_state, &cur, NULL, err));
	if (cur < 0)
		return mc__fail(err, MC_ERR_MISSING, "id", "credential_set_state: no such credential");
	if (cur == MC_CRED_REVOKED && to != MC_CRED_REVOKED)
		return mc__fail(err, MC_ERR_VALUE, "state", "credential_set_state: conflict: revocation is final");
	if (cur == MC_CRED_REVOKED)
		return MC_OK; /* revoking twice keeps the first reason */
	return mc__store_exec(s, "credential_set_state",
	                      "UPDATE credentials SET state = $2, state_reason = $3 WHERE id = $1", p, 3, NULL, NULL,
	                      NULL, err);
}

mc_status mc__cred_set_state(mc_store *s, const char *id, mc_cred_state st, const char *reason, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, set_state_in(s, id, st, reason, err), err);
}

/* ---- Status lists ---------------------------------------------------- */

static const char *const purposes[] = {"revocation", "suspension"};

/* Bit i is the (7 - i%8)th bit of byte i/8: the spec's left-to-right order. */
static int bit_get(const uint8_t *b, int64_t i)
{
	return (b[i >> 3] >> (7 - (i & 7))) & 1;
}

static void bit_put(uint8_t *b, int64_t i, int v)
{
	uint8_t m = (uint8_t)(1u << (7 - (i & 7)));
	b[i >> 3] = v ? (uint8_t)(b[i >> 3] | m) : (uint8_t)(b[i >> 3] & ~m);
}

mc_status mc__slist_create(mc_store *s, const char *id, mc_status_purpose purpose, int64_t size, mc_err *err)
{
	uint8_t *zero = calloc(1, (size_t)size / 8);
	if (!zero)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "status_list_create: out of memory");
	mc__val p[6] = {mc__v_text(id),           mc__v_text(purposes[purpose]),     mc__v_int(size),
	                mc__v_blob(zero, (size_t)size / 8), mc__v_blob(zero, (size_t)size / 8), mc__v_int(mc__time_now())};
	mc_status st = mc__store_write(s, "status_list_create",
	                               "INSERT INTO status_lists (id, purpose, size, bits, taken, allocated, updated) "
	                               "VALUES ($1, $2, $3, $4, $5, 0, $6)",
	                               p, 6, NULL, err);
	free(zero);
	return st;
}

static mc_status fill_slist(void *dst, const mc__val *c, int n)
{
	mc_store_status_list *v = dst;
	if (n != 5)
		return MC_ERR_INTERNAL;
	int pu = mc__name_index(&c[1], purposes, 2);
	int64_t size = mc__col_int(&c[2], 0);
	if (pu < 0 || c[3].type != MC__V_BLOB || (int64_t)c[3].n * 8 != size)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !(v->bits = malloc(c[3].n)))
		return MC_ERR_NOMEM;
	memcpy(v->bits, c[3].p, c[3].n);
	v->purpose = (mc_status_purpose)pu;
	v->size = size;
	v->allocated = mc__col_int(&c[4], 0);
	return MC_OK;
}

static void clear_slist(void *v)
{
	mc_store_status_list_clear(v);
}

mc_status mc__slist_get(mc_store *s, const char *id, mc_store_status_list *out, mc_err *err)
{
	mc__val p[1] = {mc__v_text(id)};
	return mc__get_one(s, "status_list_get",
	                   "SELECT id, purpose, size, bits, allocated FROM status_lists WHERE id = $1", p, 1, out,
	                   sizeof *out, fill_slist, clear_slist, "status list", err);
}

/* A list row locked for change: its size and a copy of one bitstring. */
struct locked {
	int64_t size;
	uint8_t *a; /* "bits" or "taken", malloc'd */
	uint8_t *b; /* "taken" when two are asked for */
	bool found;
};

static mc_status blob_copy(uint8_t **dst, const mc__val *v, int64_t size)
{
	if (v->type != MC__V_BLOB || (int64_t)v->n * 8 != size)
		return MC_ERR_INTERNAL;
	*dst = malloc(v->n);
	if (!*dst)
		return MC_ERR_NOMEM;
	memcpy(*dst, v->p, v->n);
	return MC_OK;
}

static mc_status row_locked(void *ctx, const mc__val *c, int n)
{
	struct locked *l = ctx;
	if (n < 2 || l->found)
		return MC_ERR_INTERNAL;
	l->found = true;
	l->size = mc__col_int(&c[0], 0);
	MC__CHECK(blob_copy(&l->a, &c[1], l->size));
	return n == 3 ? blob_copy(&l->b, &c[2], l->size) : MC_OK;
}

/* Next free index at or after a random start, wrapping: uniform start,
 * first free slot; whole taken bytes are skipped 8 at a time. */
static int64_t pick_free(const uint8_t *taken, int64_t size)
{
	int64_t i = (int64_t)randombytes_uniform((uint32_t)size);
	for (int64_t seen = 0; seen < size; seen++, i = (i + 1) % size) {
		if ((i & 7) == 0 && taken[i >> 3] == 0xff && seen + 8 <= size) {
			seen += 7;
			i += 7;
			continue;
		}
		if (!bit_get(taken, i))
			return i;
	}
	return -1; /* unreachable: the counter said there was room */
}

/* Hand out n indexes of list id: random free ones into idx, or, when
 * fixed, exactly the n given in idx (each must be in range and free). */
static mc_status alloc_in(mc_store *s, const char *id, size_t n, int64_t *idx, bool fixed, mc_err *err)
{
	/* Reserve the count first: the UPDATE locks the row (PostgreSQL) and
	 * refuses to go past size, so the bitmap read next is ours alone. */
	mc__val p[3] = {mc__v_text(id), mc__v_int((int64_t)n), mc__v_int(mc__time_now())};
	struct locked l = {0, NULL, NULL, false};
	mc_status st = mc__store_exec(s, "status_alloc",
	                              "UPDATE status_lists SET allocated = allocated + $2, updated = $3 "
	                              "WHERE id = $1 AND allocated + $2 <= size RETURNING size, taken",
	                              p, 3, row_locked, &l, NULL, err);
	if (st == MC_OK && !l.found) {
		int64_t exists = 0;
		st = mc__store_exec(s, "status_alloc", "SELECT count(*) FROM status_lists WHERE id = $1", p, 1,
		                    mc__row_int, &exists, NULL, err);
		if (st == MC_OK)
			st = exists ? mc__fail(err, MC_ERR_TOO_LARGE, "n", "status_alloc: fewer than %zu free indexes left", n)
			            : mc__fail(err, MC_ERR_MISSING, "list_id", "status_alloc: no such status list");
	}
	for (size_t i = 0; st == MC_OK && i < n; i++) {
		if (fixed && (idx[i] < 0 || idx[i] >= l.size || bit_get(l.a, idx[i])))
			st = mc__fail(err, MC_ERR_VALUE, "indexes", "status_reserve: index %lld is %s", (long long)idx[i],
			              idx[i] < 0 || idx[i] >= l.size ? "outside the list" : "taken already");
		else if (!fixed && (idx[i] = pick_free(l.a, l.size)) < 0)
			st = mc__fail(err, MC_ERR_INTERNAL, NULL, "status_alloc: allocation count and bitmap disagree");
		else
			bit_put(l.a, idx[i], 1);
	}
	if (st == MC_OK) {
		mc__val u[2] = {mc__v_text(id), mc__v_blob(l.a, (size_t)l.size / 8)};
		st = mc__store_exec(s, "status_alloc", "UPDATE status_lists SET taken = $2 WHERE id = $1", u, 2, NULL,
		                    NULL, NULL, err);
	}
	free(l.a);
	return st;
}

mc_status mc__slist_alloc(mc_store *s, const char *id, size_t n, int64_t *idx, bool fixed, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, alloc_in(s, id, n, idx, fixed, err), err);
}

static mc_status set_in(mc_store *s, const char *id, int64_t index, int value, mc_err *err)
{
	mc__val p[2] = {mc__v_text(id), mc__v_int(mc__time_now())};
	struct locked l = {0, NULL, NULL, false};
	mc_status st = mc__store_exec(s, "status_list_set",
	                              "UPDATE status_lists SET updated = $2 WHERE id = $1 RETURNING size, bits, taken", p,
	                              2, row_locked, &l, NULL, err);
	if (st == MC_OK && !l.found)
		st = mc__fail(err, MC_ERR_MISSING, "list_id", "status_list_set: no such status list");
	else if (st == MC_OK && index >= l.size)
		st = mc__fail(err, MC_ERR_VALUE, "index", "status_list_set: index %lld is outside the list (%lld bits)",
		              (long long)index, (long long)l.size);
	else if (st == MC_OK && !bit_get(l.b, index))
		/* a bit nobody was given would flag a credential that does not exist */
		st = mc__fail(err, MC_ERR_VALUE, "index", "status_list_set: index %lld was never allocated",
		              (long long)index);
	if (st == MC_OK && bit_get(l.a, index) != value) {
		bit_put(l.a, index, value);
		mc__val u[2] = {mc__v_text(id), mc__v_blob(l.a, (size_t)l.size / 8)};
		st = mc__store_exec(s, "status_list_set", "UPDATE status_lists SET bits = $2 WHERE id = $1", u, 2, NULL,
		                    NULL, NULL, err);
	}
	free(l.a);
	free(l.b);
	return st;
}

mc_status mc__slist_set(mc_store *s, const char *id, int64_t index, int value, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, set_in(s, id, index, value, err), err);
}

mc_status mc__slist_publish(mc_store *s, const char *id, const char *cred, const char *etag, mc_err *err)
{
	mc__val p[3] = {mc__v_text(id), mc__v_text(cred), mc__v_text(etag)};
	int64_t changed = 0;
	MC__CHECK(mc__store_write(s, "status_list_publish", "UPDATE status_lists SET credential = $2, etag = $3 WHERE id = $1",
	                      p, 3, &changed, err));
	return changed ? MC_OK : mc__fail(err, MC_ERR_MISSING, "list_id", "status_list_publish: no such status list");
}

struct published {
	char *cred, *etag;
	bool found;
};

static mc_status row_published(void *ctx, const mc__val *c, int n)
{
	struct published *p = ctx;
	if (n != 2 || p->found)
		return MC_ERR_INTERNAL;
	p->found = true;
	return mc__col_str(&p->cred, &c[0]) && mc__col_str(&p->etag, &c[1]) ? MC_OK : MC_ERR_NOMEM;
}

mc_status mc__slist_published(mc_store *s, const char *id, char **cred, char **etag, mc_err *err)
{
	mc__val p[1] = {mc__v_text(id)};
	struct published r = {NULL, NULL, false};
	mc_status st = mc__store_exec(s, "status_list_published", "SELECT credential, etag FROM status_lists WHERE id = $1",
	                              p, 1, row_published, &r, NULL, err);
	if (st == MC_OK && !r.found)
		st = mc__fail(err, MC_ERR_MISSING, "list_id", "no such status list");
	else if (st == MC_OK && !r.cred)
		st = mc__fail(err, MC_ERR_MISSING, "list_id", "the status list has not been published yet");
	if (st != MC_OK) {
		free(r.cred);
		free(r.etag);
		return st;
	}
	*cred = r.cred;
	if (etag)
		*etag = r.etag;
	else
		free(r.etag);
	return MC_OK;
}

/* ---- Search ---------------------------------------------------------- */

/* The learner's display name from the stored learner record: "name",
 * else "givenName familyName"; NULL when erased or nameless. */
static char *learner_name(const mc__val *v)
{
	if (v->type != MC__V_TEXT)
		return NULL;
	cJSON *o = mc__json_parse(v->p, v->n, NULL);
	const cJSON *nm = mc__json_get(o, "name"), *gn = mc__json_get(o, "givenName"), *fn = mc__json_get(o, "familyName");
	char *out = NULL;
	if (cJSON_IsString(nm)) {
		out = strdup(nm->valuestring);
	} else if (cJSON_IsString(gn) || cJSON_IsString(fn)) {
		const char *g = cJSON_IsString(gn) ? gn->valuestring : "", *f = cJSON_IsString(fn) ? fn->valuestring : "";
		size_t len = strlen(g) + strlen(f) + 2;
		if ((out = malloc(len)))
			snprintf(out, len, "%s%s%s", g, *g && *f ? " " : "", f);
	}
	cJSON_Delete(o);
	return out;
}

static mc_status fill_hit(void *dst, const mc__val *c, int n)
{
	mc_cred_hit *v = dst;
	if (n != 7)
		return MC_ERR_INTERNAL;
	int st = mc__name_index(&c[6], cred_states, 3);
	if (st < 0)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->template_id, &c[1]) || !mc__col_str(&v->learner_id, &c[3]))
		return MC_ERR_NOMEM;
	v->learner_name = learner_name(&c[4]);
	v->template_version = mc__col_int(&c[2], 0);
	v->issued = mc__col_int(&c[5], 0);
	v->state = (mc_cred_state)st;
	return MC_OK;
}

static void clear_hit(void *v)
{
	mc_cred_hit *h = v;
	free(h->id);
	free(h->template_id);
	free(h->learner_id);
	free(h->learner_name);
	memset(h, 0, sizeof *h);
}

/* $1 pattern or NULL, $2 template or NULL, $3 state or NULL. CAST gives
 * PostgreSQL the parameter types it cannot infer from "IS NULL". */
#define SEARCH_WHERE(LIKE)                                                                                    \
	" FROM credentials WHERE (CAST($1 AS TEXT) IS NULL OR id " LIKE " $1 ESCAPE '\\' OR learner_id " LIKE      \
	" $1 ESCAPE '\\' OR learner " LIKE " $1 ESCAPE '\\')"                                                    \
	" AND (CAST($2 AS TEXT) IS NULL OR template_id = $2) AND (CAST($3 AS TEXT) IS NULL OR state = $3)"
#define SEARCH_COLS "SELECT id, template_id, template_version, learner_id, learner, issued_at, state"
#define SEARCH_PAGE " ORDER BY issued_at DESC, id DESC LIMIT $4 OFFSET $5"

static const char *const sql_search[MC__SQL_N] = {SEARCH_COLS SEARCH_WHERE("LIKE") SEARCH_PAGE,
                                                  SEARCH_COLS SEARCH_WHERE("ILIKE") SEARCH_PAGE};
static const char *const sql_search_count[MC__SQL_N] = {"SELECT count(*)" SEARCH_WHERE("LIKE"),
                                                        "SELECT count(*)" SEARCH_WHERE("ILIKE")};

mc_status mc__cred_search(mc_store *s, const char *q, const char *tpl, int state, size_t limit, size_t offset,
                          mc_cred_hit **out, size_t *n, size_t *total, mc_err *err)
{
	char *pat = NULL;
	if (q) {
		/* %q% with the pattern characters of q made literal */
		size_t len = strlen(q);
		pat = malloc(2 * len + 3);
		if (!pat)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "credential_search: out of memory");
		size_t k = 0;
		pat[k++] = '%';
		for (size_t i = 0; i < len; i++) {
			if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
				pat[k++] = '\\';
			pat[k++] = q[i];
		}
		pat[k++] = '%';
		pat[k] = '\0';
	}
	int d = s->vt->dialect;
	mc__val p[5] = {mc__v_text(pat), mc__v_text(tpl), mc__v_text(state < 0 ? NULL : cred_states[state]),
	                mc__v_int((int64_t)limit), mc__v_int((int64_t)offset)};
	int64_t count = 0;
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	mc_status st = mc__store_exec(s, "credential_search", sql_search_count[d], p, 3, mc__row_int, &count, NULL, err);
	if (st == MC_OK)
		st = mc__get_list(s, "credential_search", sql_search[d], p, 5, (void **)out, n, sizeof **out, fill_hit,
		                  clear_hit, err);
	st = mc__store_atomic_end(s, st, err);
	free(pat);
	if (st == MC_OK && total)
		*total = (size_t)count;
	return st;
}

/* ---- Shares ---------------------------------------------------------- */

mc_status mc__share_add(mc_store *s, const char *share_id, const char *cred_id, mc_err *err)
{
	mc__val p[3] = {mc__v_text(share_id), mc__v_text(cred_id), mc__v_int(mc__time_now())};
	return mc__store_write(s, "share_add", "INSERT INTO shares (id, credential_id, created) VALUES ($1, $2, $3)", p, 3,
	                       NULL, err);
}

static mc_status row_str(void *ctx, const mc__val *c, int n)
{
	if (n != 1 || *(char **)ctx)
		return MC_ERR_INTERNAL;
	return mc__col_str((char **)ctx, &c[0]) ? MC_OK : MC_ERR_NOMEM;
}

mc_status mc__share_of(mc_store *s, const char *cred_id, char **share_id, mc_err *err)
{
	mc__val p[1] = {mc__v_text(cred_id)};
	MC__CHECK(mc__store_exec(s, "share_of", "SELECT id FROM shares WHERE credential_id = $1", p, 1, row_str, share_id,
	                     NULL, err));
	return *share_id ? MC_OK : mc__fail(err, MC_ERR_MISSING, "credential_id", "the credential is not shared");
}

mc_status mc__share_get(mc_store *s, const char *share_id, mc_store_credential *out, mc_err *err)
{
	mc__val p[1] = {mc__v_text(share_id)};
	return mc__get_one(s, "share_get",
	                   "SELECT " CRED_COLS " FROM credentials WHERE id = (SELECT credential_id FROM shares WHERE id = $1)",
	                   p, 1, out, sizeof *out, fill_cred, clear_cred, "share", err);
}

/* ---- Audit ----------------------------------------------------------- */

#define AUDIT_COLS "seq, time, actor, action, subject, details"

static mc_status fill_audit(void *dst, const mc__val *c, int n)
{
	mc_store_audit *v = dst;
	if (n != 6)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->actor, &c[2]) || !mc__col_str(&v->action, &c[3]) || !mc__col_str(&v->subject, &c[4]) ||
	    !mc__col_str(&v->details, &c[5]))
		return MC_ERR_NOMEM;
	v->seq = mc__col_int(&c[0], 0);
	v->time = mc__col_int(&c[1], 0);
	return MC_OK;
}

static void clear_audit(void *v)
{
	mc_store_audit_clear(v);
}

mc_status mc__audit_append(mc_store *s, const mc_store_audit *in, int64_t *seq, mc_err *err)
{
	mc__val p[5] = {mc__v_int(or_now(in->time)), mc__v_text(in->actor), mc__v_text(in->action),
	                mc__v_text(in->subject), mc__v_text(in->details ? in->details : "{}")};
	int64_t got = 0;
	MC__CHECK(mc__store_atomic_begin(s, true, err));
	mc_status st = mc__store_exec(s, "audit_append",
	                              "INSERT INTO audit_log (time, actor, action, subject, details) "
	                              "VALUES ($1, $2, $3, $4, $5) RETURNING seq",
	                              p, 5, mc__row_int, &got, NULL, err);
	MC__CHECK(mc__store_atomic_end(s, st, err));
	if (seq)
		*seq = got;
	return MC_OK;
}

mc_status mc__audit_list(mc_store *s, int64_t after, size_t max, mc_store_audit **out, size_t *n, mc_err *err)
{
	mc__val p[2] = {mc__v_int(after), mc__v_int(max > INT64_MAX ? INT64_MAX : (int64_t)max)};
	return mc__get_list(s, "audit_list", "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
	                    p, 2, (void **)out, n, sizeof **out, fill_audit, clear_audit, err);
}

/* ---- Learners -------------------------------------------------------- */

/* cJSON building with one sticky failure flag instead of a check per
 * call (SQLite JsonString habit). */
static void put_str(cJSON *o, const char *k, const char *v, bool *ok)
{
	if (*ok && !(v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)))
		*ok = false;
}

static void put_num(cJSON *o, const char *k, int64_t v, bool *ok)
{
	if (*ok && !cJSON_AddNumberToObject(o, k, (double)v))
		*ok = false;
}

static void put_time(cJSON *o, const char *k, int64_t t, bool *ok)
{
	char buf[32];
	if (t)
		mc__time_format(t, buf);
	put_str(o, k, t ? buf : NULL, ok);
}

/* Stored documents were checked strict at insert: embed them as they are. */
static void put_raw(cJSON *o, const char *k, const char *json, bool *ok)
{
	if (*ok && !(json ? cJSON_AddRawToObject(o, k, json) : cJSON_AddNullToObject(o, k)))
		*ok = false;
}

/* A share of one of the learner's credentials. */
typedef struct share_row {
	char *id, *cred;
	int64_t created;
} share_row;

static mc_status fill_share(void *dst, const mc__val *c, int n)
{
	share_row *v = dst;
	if (n != 3)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->cred, &c[1]))
		return MC_ERR_NOMEM;
	v->created = mc__col_int(&c[2], 0);
	return MC_OK;
}

static void clear_share(void *v)
{
	share_row *r = v;
	free(r->id);
	free(r->cred);
}

/* The reissue links and share of credential c among the learner's
 * credentials all[0..n) (a reissue keeps the learner id, so both ends of
 * a link are in the export). */
static void export_links(cJSON *o, const mc_store_credential *c, const mc_store_credential *all, size_t n,
                         const share_row *sh, size_t nsh, bool *ok)
{
	put_str(o, "replaces", c->replaces, ok);
	const char *by = NULL;
	for (size_t i = 0; i < n && !by; i++)
		if (all[i].replaces && strcmp(all[i].replaces, c->id) == 0)
			by = all[i].id;
	put_str(o, "replacedBy", by, ok);
	const share_row *mine = NULL;
	for (size_t i = 0; i < nsh && !mine; i++)
		if (strcmp(sh[i].cred, c->id) == 0)
			mine = &sh[i];
	put_str(o, "shareId", mine ? mine->id : NULL, ok);
	put_time(o, "sharedAt", mine ? mine->created : 0, ok);
}

static void export_cred(cJSON *arr, const mc_store_credential *c, const mc_store_credential *all, size_t n,
                        const share_row *sh, size_t nsh, bool *ok)
{
	cJSON *o = *ok ? cJSON_CreateObject() : NULL;
	if (!o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		*ok = false;
		return;
	}
	put_str(o, "id", c->id, ok);
	put_str(o, "templateId", c->template_id, ok);
	put_num(o, "templateVersion", c->template_version, ok);
	put_str(o, "learnerId", c->learner_id, ok);
	put_str(o, "externalId", c->external_id, ok);
	put_str(o, "batchId", c->batch_id, ok);
	put_str(o, "statusListId", c->status_list_id, ok);
	put_num(o, "statusIndex", c->status_index, ok);
	put_time(o, "issuedAt", c->issued_at, ok);
	put_str(o, "state", cred_states[c->state], ok);
	put_str(o, "stateReason", c->state_reason, ok);
	put_time(o, "erasedAt", c->erased_at, ok);
	export_links(o, c, all, n, sh, nsh, ok);
	put_raw(o, "learner", c->learner, ok);
	put_raw(o, "credential", c->json, ok);
}

static void export_audit(cJSON *arr, const mc_store_audit *a, bool *ok)
{
	cJSON *o = *ok ? cJSON_CreateObject() : NULL;
	if (!o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		*ok = false;
		return;
	}
	put_num(o, "seq", a->seq, ok);
	put_time(o, "time", a->time, ok);
	put_str(o, "actor", a->actor, ok);
	put_str(o, "action", a->action, ok);
	put_str(o, "subject", a->subject, ok);
	put_raw(o, "details", a->details, ok);
}

static char *export_json(const char *learner_id, const mc_store_credential *c, size_t nc, const mc_store_audit *a,
                         size_t na, const share_row *sh, size_t nsh)
{
	bool ok = true;
	cJSON *root = cJSON_CreateObject();
	cJSON *creds = root ? cJSON_AddArrayToObject(root, "credentials") : NULL;
	cJSON *audit = creds ? cJSON_AddArrayToObject(root, "audit") : NULL;
	ok = audit != NULL;
	put_str(root, "learnerId", learner_id, &ok);
	for (size_t i = 0; ok && i < nc; i++)
		export_cred(creds, &c[i], c, nc, sh, nsh, &ok);
	for (size_t i = 0; ok && i < na; i++)
		export_audit(audit, &a[i], &ok);
	char *out = ok ? mc__json_print(root, 1) : NULL;
	cJSON_Delete(root);
	return out;
}

mc_status mc__learner_export(mc_store *s, const char *learner_id, char **json, mc_err *err)
{
	mc__val p[1] = {mc__v_text(learner_id)};
	mc_store_credential *c = NULL;
	mc_store_audit *a = NULL;
	share_row *sh = NULL;
	size_t nc = 0, na = 0, nsh = 0;
	/* one snapshot for both reads when we open the transaction */
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	mc_status st = mc__get_list(s, "learner_export",
	                            "SELECT " CRED_COLS " FROM credentials WHERE learner_id = $1 ORDER BY issued_at, id",
	                            p, 1, (void **)&c, &nc, sizeof *c, fill_cred, clear_cred, err);
	if (st == MC_OK)
		st = mc__get_list(s, "learner_export",
		                  "SELECT " AUDIT_COLS " FROM audit_log WHERE subject = $1 "
		                  "OR subject IN (SELECT id FROM credentials WHERE learner_id = $1) ORDER BY seq",
		                  p, 1, (void **)&a, &na, sizeof *a, fill_audit, clear_audit, err);
	if (st == MC_OK)
		st = mc__get_list(s, "learner_export",
		                  "SELECT id, credential_id, created FROM shares "
		                  "WHERE credential_id IN (SELECT id FROM credentials WHERE learner_id = $1) ORDER BY id",
		                  p, 1, (void **)&sh, &nsh, sizeof *sh, fill_share, clear_share, err);
	st = mc__store_atomic_end(s, st, err);
	if (st == MC_OK && !(*json = export_json(learner_id, c, nc, a, na, sh, nsh)))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "learner_export: out of memory");
	for (size_t i = 0; i < nc; i++)
		mc_store_credential_clear(&c[i]);
	free(c);
	mc_store_audit_list_free(a, na);
	for (size_t i = 0; i < nsh; i++)
		clear_share(&sh[i]);
	free(sh);
	return st;
}

static mc_status erase_in(mc_store *s, const mc__val *p, int64_t *changed, mc_err *err)
{
	/* shares publish the credential: they go with the personal data */
	MC__CHECK(mc__store_exec(s, "learner_erase",
	                     "DELETE FROM shares WHERE credential_id IN (SELECT id FROM credentials WHERE learner_id = $1)",
	                     p, 1, NULL, NULL, NULL, err));
	return mc__store_exec(s, "learner_erase",
	                      "UPDATE credentials SET learner = NULL, json = NULL, erased_at = $2 "
	                      "WHERE learner_id = $1 AND erased_at IS NULL",
	                      p, 2, NULL, NULL, changed, err);
}

mc_status mc__learner_erase(mc_store *s, const char *learner_id, size_t *count, mc_err *err)
{
	mc__val p[2] = {mc__v_text(learner_id), mc__v_int(mc__time_now())};
	int64_t changed = 0;
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	MC__CHECK(mc__store_atomic_end(s, erase_in(s, p, &changed, err), err));
	if (count)
		*count = (size_t)changed;
	return MC_OK;
}
