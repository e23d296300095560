/*
 * bulk_issue.c - mc_issuer_bulk: issue every row of a CSV or JSON Lines
 * reader (bulk.h) in transactions of batch_size rows (docs/issuing.md
 * "Bulk issuance").
 *
 * For each batch, on the calling ("main") thread:
 *   1. read the rows (copied out of the reader);
 *   2. drop rows whose (template, learner, external id) is stored already:
 *      one query for the whole batch (mc_store_credential_exists), before
 *      anything is built or signed, so a re-run costs no signatures;
 *   3. allocate the batch's status indexes (their own small transaction:
 *      an index handed out is never handed out again, so a crash only
 *      leaves unused indexes behind);
 *   4. hand the batch to the signing threads, which build each credential
 *      (rows that fail are rejected) and sign it, while the main thread
 *      stores the PREVIOUS batch: insert with MC_STORE_SKIP_EXISTING (a row
 *      repeated inside the input is skipped, not duplicated) and one audit
 *      entry, in one transaction; then the main thread signs too until the
 *      batch is done.
 * So signing (the cost: JSON-LD to RDF, canonicalisation, Ed25519) runs on
 * every core while reading, lookups and writes overlap with it, and at
 * most two batches are in memory. A crash leaves whole batches only, and
 * re-running the same input issues exactly the rows that are missing.
 *
 * Threads: each signing thread has its own copy of the key (mc_key is a
 * plain struct, wiped when the thread ends) and uses only per-thread
 * library state (JSON-LD loader and caches, JSON arena, digest context);
 * the store is touched by the main thread only; callbacks run on the main
 * thread.
 *
 * all_or_nothing: the whole run is one transaction. After the first
 * rejected row nothing more is signed (rows are still read and checked, so
 * every problem is reported) and at the end everything is rolled back.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "issuer/issuer_internal.h"

/* A template the input names, looked up once per run. */
typedef struct tmpl_entry {
	char *id;
	int64_t version;
	char *json; /* NULL when unusable: err says why */
	/* json and the issuer profile parsed once, read by every signing thread */
	mc__build_prep prep;
	mc_err err;
	mc_status st;
} tmpl_entry;

/* One row of a batch (copied out of the reader). */
typedef struct pending {
	uint64_t row;
	const tmpl_entry *t;
	char *learner, *ref, *ext;
	size_t llen;
	char id[48];
	int64_t index;
	char *signed_json;
	/* set by the signing threads: the build failed (be says why) */
	bool rejected;
	mc_err be;
} pending;

/* A batch: rows[0..n) read; after the existence check rows[0..n) are the
 * ones to issue. */
typedef struct batch {
	pending *rows;
	size_t n;
	char list_id[MC_STORE_ID_MAX + 1];
	/* signing work: the next row to take, and rows finished */
	atomic_size_t next;
	size_t finished;
	/* first failure of a signing thread (not a rejected row) */
	mc_status st;
	mc_err err;
	/* build only (all_or_nothing after a rejection); fixed at dispatch */
	bool dry;
} batch;

typedef struct bulk_run bulk_run;

/* The signing threads and what they share with the main thread. */
typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	/* the batch being signed (NULL: none), bumped per batch */
	batch *cur;
	unsigned long gen;
	bool stop;
	pthread_t *th;
	size_t nth;
	const bulk_run *b;
} pool;

struct bulk_run {
	mc_issuer *is;
	const mc_issuer_bulk_opts *o;
	tmpl_entry **tmpl; /* each allocated alone: rows point to them */
	size_t ntmpl;
	batch bt[2];
	bool in_tx; /* all_or_nothing: the run's transaction is open */
	bool dry;   /* all_or_nothing after a rejection: check, sign nothing */
	const char *batch_id;
	mc_bulk_summary sum;
	pool pl;
};

static void pending_clear(pending *p)
{
	free(p->learner);
	free(p->ref);
	free(p->ext);
	mc_free(p->signed_json);
	memset(p, 0, sizeof *p);
}

static void batch_clear(batch *bt)
{
	for (size_t i = 0; i < bt->n; i++)
		pending_clear(&bt->rows[i]);
	bt->n = 0;
	atomic_store(&bt->next, 0);
	bt->finished = 0;
	bt->st = MC_OK;
	bt->err = (mc_err){0};
	bt->dry = false;
	bt->list_id[0] = '\0';
}

static const tmpl_entry *bulk_template(bulk_run *b, const char *id)
{
	for (size_t i = 0; i < b->ntmpl; i++)
		if (strcmp(b->tmpl[i]->id, id) == 0)
			return b->tmpl[i];
	tmpl_entry **nt = realloc(b->tmpl, (b->ntmpl + 1) * sizeof *nt);
	if (!nt)
		return NULL;
	b->tmpl = nt;
	tmpl_entry *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	b->tmpl[b->ntmpl++] = t;
	t->id = strdup(id);
	if (!t->id)
		return NULL;
	t->st = mc__issuer_template(b->is->s, id, 0, &t->version, &t->json, &t->err);
	if (t->st == MC_OK)
		t->st = mc__build_prepare(t->json, strlen(t->json), b->is->profile, strlen(b->is->profile), &t->prep,
		                          &t->err);
	return t;
}

/* Report a rejected row; path loses the reader's "row N: " prefix. */
static void reject(bulk_run *b, uint64_t row, const char *path, const char *msg)
{
	b->sum.rejected++;
	if (b->o->all_or_nothing)
		b->dry = true;
	if (!b->o->on_reject)
		return;
	const char *p = path ? path : "";
	if (strncmp(p, "row ", 4) == 0 || strncmp(p, "line ", 5) == 0) {
		const char *f = strstr(p, ": ");
		p = f ? f + 2 : "";
	}
	b->o->on_reject(b->o->ctx, row, p, msg);
}

static void progress(bulk_run *b)
{
	if (b->o->on_progress)
		b->o->on_progress(b->o->ctx, &b->sum, 0);
}

/* ---- signing (any thread) ------------------------------------------------ */

/* Build and sign one row with key (the calling thread's copy). The tree
 * goes from build to signature without a print and a parse, and lives in
 * this thread's arena: only the signed text (malloc) outlives the row. */
static mc_status sign_row(const bulk_run *b, const batch *bt, pending *p, const mc_key *key, mc_err *err)
{
	const mc_issuer *is = b->is;
	mc__uuid7_urn(p->id);
	mc_build_opts bo = {.issuer_id = is->issuer_id, .credential_id = p->id};
	cJSON *cred = NULL;
	mc_status st = MC_OK;
	mc__arena_begin();
	mc_status bs = mc__build_tree(&p->t->prep, p->learner, p->llen, &bo, &cred, &p->be);
	if (bs != MC_OK) {
		p->rejected = true;
		if (bs == MC_ERR_NOMEM)
			st = mc__fail(err, bs, NULL, "out of memory");
	} else if (bt->dry) {
		cJSON_Delete(cred);
	} else {
		size_t sl = 0;
		st = mc__issuer_sign_tree(is->suite, is->key_id, key, cred, bt->list_id, p->index, &p->signed_json, &sl,
		                          err);
	}
	mc__arena_end();
	return st;
}

/* Take rows of bt until none is left; returns how many this thread did. */
static size_t sign_some(const bulk_run *b, batch *bt, const mc_key *key, mc_status *st, mc_err *err)
{
	size_t did = 0;
	for (;;) {
		size_t i = atomic_fetch_add(&bt->next, 1);
		if (i >= bt->n)
			break;
		mc_status s = sign_row(b, bt, &bt->rows[i], key, err);
		if (s != MC_OK && *st == MC_OK)
			*st = s;
		did++;
	}
	return did;
}

/* Count rows done; record the first failure; wake the main thread. */
static void finish_some(pool *pl, batch *bt, size_t did, mc_status st, const mc_err *err)
{
	pthread_mutex_lock(&pl->mu);
	bt->finished += did;
	if (st != MC_OK && bt->st == MC_OK) {
		bt->st = st;
		bt->err = *err;
	}
	if (bt->finished == bt->n)
		pthread_cond_broadcast(&pl->done);
	pthread_mutex_unlock(&pl->mu);
}

static void *signer(void *arg)
{
	pool *pl = arg;
	mc_key key;
	memcpy(&key, &pl->b->is->key, sizeof key); /* this thread's copy */
	unsigned long seen = 0;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && (pl->gen == seen || !pl->cur))
			pthread_cond_wait(&pl->work, &pl->mu);
		if (pl->stop)
			break;
		seen = pl->gen;
		batch *bt = pl->cur;
		pthread_mutex_unlock(&pl->mu);
		mc_status st = MC_OK;
		mc_err err = {0};
		size_t did = sign_some(pl->b, bt, &key, &st, &err);
		finish_some(pl, bt, did, st, &err);
		pthread_mutex_lock(&pl->mu);
	}
	pthread_mutex_unlock(&pl->mu);
	mc_key_wipe(&key);
	return NULL;
}

static mc_status pool_start(pool *pl, const bulk_run *b, size_t n, mc_err *err)
{
	memset(pl, 0, sizeof *pl);
	pl->b = b;
	if (pthread_mutex_init(&pl->mu, NULL) || pthread_cond_init(&pl->work, NULL) || pthread_cond_init(&pl->done, NULL))
		return mc__fail(err, MC_ERR_INTERNAL, NULL, "cannot create thread locks");
	pl->th = calloc(n, sizeof *pl->th);
	if (!pl->th)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (; pl->nth < n; pl->nth++)
		if (pthread_create(&pl->th[pl->nth], NULL, signer, pl) != 0)
			break; /* fewer threads: the main thread signs the rest */
	return MC_OK;
}

static void pool_stop(pool *pl)
{
	if (!pl->b)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = true;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
	for (size_t i = 0; i < pl->nth; i++)
		pthread_join(pl->th[i], NULL);
	free(pl->th);
	pthread_cond_destroy(&pl->work);
	pthread_cond_destroy(&pl->done);
	pthread_mutex_destroy(&pl->mu);
	pl->b = NULL;
}

/* Give bt to the signing threads. */
static void pool_dispatch(pool *pl, batch *bt, bool dry)
{
	pthread_mutex_lock(&pl->mu);
	bt->dry = dry;
	pl->cur = bt;
	pl->gen++;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
}

/* Sign on this thread too, then wait until every row of bt is done. */
static mc_status pool_finish(pool *pl, batch *bt, mc_err *err)
{
	mc_status st = MC_OK;
	mc_err e = {0};
	size_t did = sign_some(pl->b, bt, &pl->b->is->key, &st, &e);
	finish_some(pl, bt, did, st, &e);
	pthread_mutex_lock(&pl->mu);
	while (bt->finished < bt->n)
		pthread_cond_wait(&pl->done, &pl->mu);
	pl->cur = NULL;
	st = bt->st;
	if (st != MC_OK)
		mc__fail(err, st, bt->err.path, "%s", bt->err.msg);
	pthread_mutex_unlock(&pl->mu);
	return st;
}

/* ---- the main thread's part -------------------------------------------- */

static mc_status tx_begin(bulk_run *b, mc_err *err)
{
	return b->in_tx ? MC_OK : mc_store_begin(b->is->s, err);
}

static mc_status tx_end(bulk_run *b, mc_status st, mc_err *err)
{
	if (b->in_tx)
		return st;
	if (st == MC_OK)
		st = mc_store_commit(b->is->s, err);
	if (st != MC_OK)
		mc__issuer_rollback(b->is->s);
	return st;
}

/* 2 + 3: drop rows issued before, allocate indexes for the rest. */
static mc_status prepare(bulk_run *b, batch *bt, mc_err *err)
{
	mc_store_cred_key *keys = malloc(bt->n * sizeof *keys);
	uint8_t *ex = malloc(bt->n);
	int64_t *idx = NULL;
	mc_status st = keys && ex ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; st == MC_OK && i < bt->n; i++)
		keys[i] = (mc_store_cred_key){bt->rows[i].t->id, bt->rows[i].ref, bt->rows[i].ext};
	if (st == MC_OK)
		st = mc_store_credential_exists(b->is->s, keys, bt->n, ex, err);
	size_t n = 0;
	for (size_t i = 0; st == MC_OK && i < bt->n; i++) {
		if (ex[i]) {
			b->sum.existing++;
			pending_clear(&bt->rows[i]);
			continue;
		}
		if (n != i) {
			bt->rows[n] = bt->rows[i];
			memset(&bt->rows[i], 0, sizeof bt->rows[i]);
		}
		n++;
	}
	if (st == MC_OK)
		bt->n = n;
	if (st == MC_OK && n && !b->dry) {
		idx = malloc(n * sizeof *idx);
		st = idx ? tx_begin(b, err) : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		if (st == MC_OK)
			st = tx_end(b, mc__issuer_alloc(b->is, n, idx, bt->list_id, sizeof bt->list_id, err), err);
		for (size_t i = 0; st == MC_OK && i < n; i++)
			bt->rows[i].index = idx[i];
	}
	free(idx);
	free(keys);
	free(ex);
	return st;
}

/* Report the rows the signing threads rejected, then insert the rest and
 * the audit entry in one transaction. */
static mc_status store(bulk_run *b, batch *bt, mc_err *err)
{
	size_t n = 0;
	for (size_t i = 0; i < bt->n; i++) {
		pending *p = &bt->rows[i];
		if (p->rejected) {
			reject(b, p->row, p->be.path, p->be.msg);
			continue;
		}
		if (b->dry)
			continue;
		n++;
	}
	/* a rejection in all_or_nothing mode: nothing more is stored */
	if (n == 0 || b->dry)
		return MC_OK;
	mc_issuer *is = b->is;
	mc_store_credential *rows = calloc(n, sizeof *rows);
	uint8_t *ins = calloc(n, 1);
	mc_status st = rows && ins ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0, k = 0; st == MC_OK && i < bt->n; i++) {
		pending *p = &bt->rows[i];
		if (p->rejected)
			continue;
		rows[k++] = (mc_store_credential){.id = p->id, .template_id = p->t->id, .template_version = p->t->version,
		                                  .learner_id = p->ref, .external_id = p->ext,
		                                  .batch_id = (char *)b->batch_id, .status_list_id = bt->list_id,
		                                  .status_index = p->index, .learner = p->learner, .json = p->signed_json};
	}
	if (st == MC_OK)
		st = tx_begin(b, err);
	if (st == MC_OK) {
		st = mc__store_credential_add_signed(is->s, rows, n, MC_STORE_SKIP_EXISTING, ins, err);
		size_t written = 0;
		for (size_t i = 0; st == MC_OK && i < n; i++)
			written += ins[i];
		if (st == MC_OK) {
			char cnt[32];
			snprintf(cnt, sizeof cnt, "%zu", written);
			const char *kv[] = {"issued", cnt, "list", bt->list_id, "key", is->key_id};
			char *det = mc__json_pairs(kv, 6);
			st = det ? mc__issuer_audit(is, "credential.issue-batch", b->batch_id, det, err)
			         : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			free(det);
		}
		st = tx_end(b, st, err);
		if (st == MC_OK) {
			b->sum.issued += written;
			b->sum.existing += n - written; /* repeated inside the input */
		}
	}
	free(rows);
	free(ins);
	return st;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* 1: read up to size rows into bt; *eof when the input ended. */
static mc_status fill(bulk_run *b, mc_bulk_reader *r, batch *bt, size_t size, bool *eof, mc_err *err)
{
	while (bt->n < size) {
		mc_bulk_row row;
		mc_err e = {0};
		mc_status rs = mc_bulk_next(r, &row, &e);
		if (row.kind == MC_BULK_END) {
			*eof = true;
			return MC_OK;
		}
		if (row.kind == MC_BULK_FAILED)
			return mc__fail(err, rs, e.path, "%s", e.msg);
		b->sum.rows++;
		if (row.kind == MC_BULK_BAD_ROW) {
			reject(b, row.row, e.path, e.msg);
			continue;
		}
		const char *tid = row.template_id ? row.template_id : b->o->template_id;
		if (!tid) {
			reject(b, row.row, "template", "no template (give a template id or a template column)");
			continue;
		}
		const tmpl_entry *t = bulk_template(b, tid);
		if (!t)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		if (t->st != MC_OK) {
			reject(b, row.row, t->err.path, t->err.msg);
			continue;
		}
		pending *p = &bt->rows[bt->n++];
		p->row = row.row;
		p->t = t;
		p->llen = row.learner_len;
		p->learner = strdup(row.learner);
		p->ref = dup_or_empty(row.learner_ref);
		p->ext = dup_or_empty(row.external_id);
		if (!p->learner || !p->ref || !p->ext)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	return MC_OK;
}

static mc_status run(bulk_run *b, mc_bulk_reader *r, size_t size, mc_err *err)
{
	batch *cur = &b->bt[0], *prev = NULL;
	bool eof = false;
	mc_status st = MC_OK;
	while (st == MC_OK && !eof) {
		st = fill(b, r, cur, size, &eof, err);
		if (st == MC_OK && cur->n)
			st = prepare(b, cur, err);
		bool signing = st == MC_OK && cur->n > 0;
		if (signing)
			pool_dispatch(&b->pl, cur, b->dry);
		/* store the previous batch while this one is signed */
		if (st == MC_OK && prev) {
			st = store(b, prev, err);
			batch_clear(prev);
			prev = NULL;
			if (st == MC_OK)
				progress(b);
		}
		if (signing) {
			mc_status fs = pool_finish(&b->pl, cur, err);
			if (st == MC_OK)
				st = fs;
		}
		if (st == MC_OK && cur->n) {
			prev = cur;
			cur = cur == &b->bt[0] ? &b->bt[1] : &b->bt[0];
		}
	}
	if (st == MC_OK && prev) {
		st = store(b, prev, err);
		if (st == MC_OK)
			progress(b);
	}
	return st;
}

mc_status mc_issuer_bulk(mc_issuer *is, mc_bulk_reader *r, const mc_issuer_bulk_opts *o, mc_bulk_summary *out,
                         mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!is || !r || !o || !out)
		return mc__fail(err, MC_ERR_ARG, !is ? "issuer" : !r ? "reader" : !o ? "opts" : "out", "argument is NULL");
	size_t size = o->batch_size ? o->batch_size : MC_ISSUER_BULK_BATCH;
	if (size > MC_ISSUER_BULK_BATCH_MAX)
		return mc__fail(err, MC_ERR_ARG, "batch_size", "batch_size must be 1 to %u", MC_ISSUER_BULK_BATCH_MAX);
	if (o->threads > MC_ISSUER_BULK_THREADS_MAX)
		return mc__fail(err, MC_ERR_ARG, "threads", "threads must be 0 to %u", MC_ISSUER_BULK_THREADS_MAX);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = o->threads ? o->threads
	                   : cpus < 1 ? 1
	                   : cpus > (long)MC_ISSUER_BULK_THREADS_MAX ? MC_ISSUER_BULK_THREADS_MAX : (unsigned)cpus;
	if (o->batch_id && (!*o->batch_id || strlen(o->batch_id) > MC_STORE_ID_MAX))
		return mc__fail(err, MC_ERR_ARG, "batch_id", "batch_id must be 1 to %u bytes", MC_STORE_ID_MAX);
	bulk_run b;
	memset(&b, 0, sizeof b);
	b.is = is;
	b.o = o;
	char uuid[48];
	if (!o->batch_id)
		mc__uuid_urn(uuid);
	b.batch_id = o->batch_id ? o->batch_id : uuid;
	b.bt[0].rows = calloc(size, sizeof *b.bt[0].rows);
	b.bt[1].rows = calloc(size, sizeof *b.bt[1].rows);
	mc_status st = b.bt[0].rows && b.bt[1].rows ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	/* threads - 1 helpers: the calling thread signs too */
	if (st == MC_OK)
		st = pool_start(&b.pl, &b, threads - 1, err);
	if (st == MC_OK && o->all_or_nothing) {
		st = mc_store_begin(is->s, err);
		b.in_tx = st == MC_OK;
	}
	if (st == MC_OK)
		st = run(&b, r, size, err);
	pool_stop(&b.pl);
	if (b.in_tx) {
		if (st == MC_OK && b.sum.rejected == 0) {
			st = mc_store_commit(is->s, err);
			if (st != MC_OK)
				mc__issuer_rollback(is->s);
		} else {
			mc__issuer_rollback(is->s);
		}
	}
	b.sum.committed = st == MC_OK && !(o->all_or_nothing && b.sum.rejected);
	if (o->all_or_nothing && !b.sum.committed)
		b.sum.issued = 0;
	if (st == MC_OK)
		progress(&b);
	*out = b.sum;
	for (int k = 0; k < 2; k++) {
		batch_clear(&b.bt[k]);
		free(b.bt[k].rows);
	}
	for (size_t i = 0; i < b.ntmpl; i++) {
		free(b.tmpl[i]->id);
		free(b.tmpl[i]->json);
		mc__build_prep_release(&b.tmpl[i]->prep);
		free(b.tmpl[i]);
	}
	free(b.tmpl);
	return st;
}
