/*
 * bulk_issue.c - mc_issuer_bulk: issue every row of a CSV or JSON Lines
 * reader (bulk.h), one transaction per batch (docs/issuing.md "Bulk
 * issuance"). For each batch:
 *   1. rows whose (template, learner, external id) is already stored are
 *      skipped before anything is built or signed, so a re-run costs no
 *      signatures;
 *   2. the rest are built (rows that fail are rejected and dropped);
 *   3. in one transaction: status indexes, signatures, insert with
 *      MC_STORE_SKIP_EXISTING (a row repeated inside the file is skipped,
 *      not duplicated), one audit entry, commit.
 * A crash therefore leaves whole batches only, and re-running the same
 * input issues exactly the missing rows.
 *
 * all_or_nothing: the whole run is one transaction. After the first
 * rejected row nothing more is signed (rows are still read and checked, so
 * every problem is reported) and at the end everything is rolled back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "issuer/issuer_internal.h"

/* A template the input names, looked up once per run. */
typedef struct tmpl_entry {
	char *id;
	int64_t version;
	char *json; /* NULL when unusable: err says why */
	mc_err err;
	mc_status st;
} tmpl_entry;

/* One valid row waiting in the batch (copied out of the reader). */
typedef struct pending {
	uint64_t row;
	const tmpl_entry *t;
	char *learner, *ref, *ext;
	size_t llen;
	char *text; /* unsigned credential */
	char id[48];
	char *signed_json;
} pending;

typedef struct bulk_run {
	mc_issuer *is;
	const mc_issuer_bulk_opts *o;
	tmpl_entry **tmpl; /* each allocated alone: rows point to them */
	size_t ntmpl;
	pending *batch;
	size_t nbatch;
	bool in_tx; /* all_or_nothing: the run's transaction is open */
	bool dry;   /* all_or_nothing after a rejection: check, sign nothing */
	const char *batch_id;
	mc_bulk_summary sum;
} bulk_run;

static void pending_clear(pending *p)
{
	free(p->learner);
	free(p->ref);
	free(p->ext);
	mc_free(p->text);
	mc_free(p->signed_json);
	memset(p, 0, sizeof *p);
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

/* 1 + 2: drop rows already issued, build the rest. Returns the number of
 * rows left at the front of the batch. */
static mc_status skip_and_build(bulk_run *b, size_t *left, mc_err *err)
{
	size_t n = 0;
	for (size_t i = 0; i < b->nbatch; i++) {
		pending *p = &b->batch[i];
		mc_store_credential ex = {0};
		mc_err fe = {0};
		mc_status fs = mc_store_credential_find(b->is->s, p->t->id, p->ref, p->ext, &ex, &fe);
		mc_store_credential_clear(&ex);
		if (fs == MC_OK) {
			b->sum.existing++;
			pending_clear(p);
			continue;
		}
		if (fs != MC_ERR_MISSING)
			return mc__fail(err, fs, fe.path, "%s", fe.msg);
		mc__uuid_urn(p->id);
		mc_build_opts bo = {.issuer_id = b->is->issuer_id, .credential_id = p->id};
		mc_err be = {0};
		mc_status bs = mc_credential_build(p->t->json, strlen(p->t->json), b->is->profile, strlen(b->is->profile),
		                                   p->learner, p->llen, &bo, &p->text, &be);
		if (bs != MC_OK) {
			reject(b, p->row, be.path, be.msg);
			pending_clear(p);
			continue;
		}
		if (b->dry) {
			pending_clear(p);
			continue;
		}
		if (n != i) {
			b->batch[n] = *p;
			memset(p, 0, sizeof *p);
		}
		n++;
	}
	*left = b->dry ? 0 : n;
	return MC_OK;
}

/* 3: indexes, signatures, rows and the audit entry, in the transaction. */
static mc_status sign_and_store(bulk_run *b, size_t n, size_t *written, mc_err *err)
{
	mc_issuer *is = b->is;
	int64_t *idx = malloc(n * sizeof *idx);
	mc_store_credential *rows = calloc(n, sizeof *rows);
	uint8_t *ins = calloc(n, 1);
	char list_id[MC_STORE_ID_MAX + 1];
	mc_status st = idx && rows && ins ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK)
		st = mc__issuer_alloc(is, n, idx, list_id, sizeof list_id, err);
	for (size_t i = 0; i < n && st == MC_OK; i++) {
		pending *p = &b->batch[i];
		size_t sl = 0;
		st = mc__issuer_sign(is->suite, is->key_id, &is->key, p->text, list_id, idx[i], &p->signed_json, &sl, err);
		rows[i] = (mc_store_credential){.id = p->id, .template_id = p->t->id, .template_version = p->t->version,
		                                .learner_id = p->ref, .external_id = p->ext,
		                                .batch_id = (char *)b->batch_id, .status_list_id = list_id,
		                                .status_index = idx[i], .learner = p->learner, .json = p->signed_json};
	}
	if (st == MC_OK)
		st = mc_store_credential_add_batch(is->s, rows, n, MC_STORE_SKIP_EXISTING, ins, err);
	*written = 0;
	for (size_t i = 0; st == MC_OK && i < n; i++)
		*written += ins[i];
	if (st == MC_OK) {
		char cnt[32];
		snprintf(cnt, sizeof cnt, "%zu", *written);
		const char *kv[] = {"issued", cnt, "list", list_id, "key", is->key_id};
		char *det = mc__json_pairs(kv, 6);
		st = det ? mc__issuer_audit(is, "credential.issue-batch", b->batch_id, det, err)
		         : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		free(det);
	}
	free(idx);
	free(rows);
	free(ins);
	return st;
}

static mc_status flush(bulk_run *b, mc_err *err)
{
	size_t n = 0, written = 0;
	mc_status st = skip_and_build(b, &n, err);
	if (st == MC_OK && n > 0) {
		if (!b->in_tx)
			st = mc_store_begin(b->is->s, err);
		if (st == MC_OK)
			st = sign_and_store(b, n, &written, err);
		if (!b->in_tx) {
			if (st == MC_OK)
				st = mc_store_commit(b->is->s, err);
			if (st != MC_OK)
				mc__issuer_rollback(b->is->s);
		}
		if (st == MC_OK) {
			b->sum.issued += written;
			b->sum.existing += n - written; /* repeated inside the input */
		}
	}
	for (size_t i = 0; i < b->nbatch; i++)
		pending_clear(&b->batch[i]);
	b->nbatch = 0;
	if (st == MC_OK)
		progress(b);
	return st;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static mc_status run(bulk_run *b, mc_bulk_reader *r, size_t batch_size, mc_err *err)
{
	mc_status st = MC_OK;
	while (st == MC_OK) {
		mc_bulk_row row;
		mc_err e = {0};
		mc_status rs = mc_bulk_next(r, &row, &e);
		if (row.kind == MC_BULK_END)
			break;
		if (row.kind == MC_BULK_FAILED) {
			st = mc__fail(err, rs, e.path, "%s", e.msg);
			break;
		}
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
		if (!t) {
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			break;
		}
		if (t->st != MC_OK) {
			reject(b, row.row, t->err.path, t->err.msg);
			continue;
		}
		pending *p = &b->batch[b->nbatch];
		p->row = row.row;
		p->t = t;
		p->llen = row.learner_len;
		p->learner = strdup(row.learner);
		p->ref = dup_or_empty(row.learner_ref);
		p->ext = dup_or_empty(row.external_id);
		b->nbatch++;
		if (!p->learner || !p->ref || !p->ext) {
			st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
			break;
		}
		if (b->nbatch == batch_size)
			st = flush(b, err);
	}
	if (st == MC_OK && b->nbatch)
		st = flush(b, err);
	for (size_t i = 0; i < b->nbatch; i++)
		pending_clear(&b->batch[i]);
	b->nbatch = 0;
	return st;
}

mc_status mc_issuer_bulk(mc_issuer *is, mc_bulk_reader *r, const mc_issuer_bulk_opts *o, mc_bulk_summary *out,
                         mc_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!is || !r || !o || !out)
		return mc__fail(err, MC_ERR_ARG, !is ? "issuer" : !r ? "reader" : !o ? "opts" : "out", "argument is NULL");
	size_t batch_size = o->batch_size ? o->batch_size : MC_ISSUER_BULK_BATCH;
	if (batch_size > MC_ISSUER_BULK_BATCH_MAX)
		return mc__fail(err, MC_ERR_ARG, "batch_size", "batch_size must be 1 to %u", MC_ISSUER_BULK_BATCH_MAX);
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
	b.batch = calloc(batch_size, sizeof *b.batch);
	mc_status st = b.batch ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK && o->all_or_nothing) {
		st = mc_store_begin(is->s, err);
		b.in_tx = st == MC_OK;
	}
	if (st == MC_OK)
		st = run(&b, r, batch_size, err);
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
	free(b.batch);
	for (size_t i = 0; i < b.ntmpl; i++) {
		free(b.tmpl[i]->id);
		free(b.tmpl[i]->json);
		free(b.tmpl[i]);
	}
	free(b.tmpl);
	return st;
}
