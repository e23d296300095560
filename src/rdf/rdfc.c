/*
 * rdfc.c - RDF Dataset Canonicalization, W3C RDFC-1.0 (2024 Recommendation),
 * step by step as written (section numbers in the comments), and the
 * canonical N-Quads serialization.
 *
 * Representation: blank nodes are numbered 0..nb-1 in order of first
 * mention (quad order, then subject, object, graph), which is the key order
 * of the spec's "blank node to quads map"; that map is a CSR index of quad
 * numbers. First-degree hashes are computed once per blank node. Hashes are
 * kept as raw digests: comparing lower-case hex strings in code point order
 * is the same as comparing the digests bytewise. All sorts are stable, so
 * ties keep first-mention order. Identifier issuers are small arrays
 * (issue order) searched linearly; they only grow with the blank nodes a
 * Hash N-Degree Quads exploration reaches, which the work limits bound.
 *
 * The digest is computed with OpenSSL EVP directly (not mc_sha256): RDFC
 * hashes many short pieces, so a reused streaming context saves a copy per
 * hash, and SHA-384 is needed too.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "rdf/rdf_internal.h"

#define NONE UINT32_MAX
#define MAXD 48 /* SHA-384 digest bytes, the largest supported */

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *md_sha256, *md_sha384;

static void md_fetch(void)
{
	/* Explicit fetch once: EVP_sha256() would look the method up per use. */
	md_sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	md_sha384 = EVP_MD_fetch(NULL, "SHA2-384", NULL);
}

/* Identifier issuer (RDFC-1.0 4.3) for temporary "b" identifiers: ids[i]
 * is the blank node issued "b<i>"; the issued identifiers map in order. */
typedef struct issuer {
	uint32_t *ids;
	uint32_t n, cap;
} issuer;

typedef struct rdfc {
	const mc_rdf_dataset *ds;
	EVP_MD_CTX *mdc;
	const EVP_MD *md;
	/* digest bytes: 32 or 48 */
	unsigned dlen;
	/* blank nodes: count, term of each, blank node of each term (or NONE) */
	uint32_t nb;
	uint32_t *bterm, *tb;
	/* blank node to quads map: quads of node b are qlist[qoff[b] .. qoff[b+1]) */
	uint32_t *qoff, *qlist;
	/* first-degree hash of each blank node, raw and as hex */
	uint8_t *h1;
	char *h1hex;
	/* canonical issuer: number issued to each node (or NONE), and issue order */
	uint32_t *canon, *corder, ncanon;
	/* work done and allowed: Hash N-Degree Quads calls; work units (see
	 * charge()); issuer entries scanned or copied, 32 to a unit */
	uint64_t calls, work, scanned;
	uint64_t max_calls, max_work;
	/* scratch for serialized quads, each output_bound() bytes: lines in
	 * quad order, and the same lines sorted */
	mc__buf line;
	char *sorted;
	uint32_t *loff, *llen, *lidx, *ltmp;
	/* scratch of issue_all, one entry per blank node */
	uint32_t *fill, *order, *otmp;
	/* every array above (and line.data) is carved from this one block,
	 * sized from the dataset before any work (run()) */
	void *block;
	mc_err *err;
} rdfc;

/* ---- small helpers --------------------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static void tohex(char *out, const uint8_t *d, unsigned n)
{
	static const char hx[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
}

/* "_:" prefix + decimal number: writes into out (>= 16 bytes), returns length. */
static size_t label(char *out, const char *prefix, uint32_t num)
{
	size_t n = 0;
	out[n++] = '_';
	out[n++] = ':';
	while (*prefix)
		out[n++] = *prefix++;
	char d[10];
	size_t k = 0;
	do {
		d[k++] = (char)('0' + num % 10);
		num /= 10;
	} while (num);
	while (k)
		out[n++] = d[--k];
	return n;
}

/* Code point order of two UTF-8 strings = bytewise order. */
static int strcmp_n(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static mc_status h_begin(rdfc *r)
{
	return EVP_DigestInit_ex2(r->mdc, r->md, NULL) == 1 ? MC_OK : MC_ERR_CRYPTO;
}

static mc_status h_add(rdfc *r, const void *p, size_t n)
{
	return EVP_DigestUpdate(r->mdc, p, n) == 1 ? MC_OK : MC_ERR_CRYPTO;
}

static mc_status h_end(rdfc *r, uint8_t *out)
{
	unsigned n = 0;
	if (EVP_DigestFinal_ex(r->mdc, out, &n) != 1 || n != r->dlen)
		return MC_ERR_CRYPTO;
	return MC_OK;
}

static mc_status fail(rdfc *r, mc_status st, const char *what)
{
	if (st == MC_ERR_NOMEM)
		return mc__fail(r->err, st, "dataset", "out of memory during canonicalization");
	if (st == MC_ERR_CRYPTO)
		return mc__fail(r->err, st, "dataset", "hash function failed during canonicalization");
	return mc__fail(r->err, st, "dataset", "%s", what ? what : mc_strerror(st));
}

/* Work accounting. A unit is roughly one short step (placing a blank node
 * in a path, starting a permutation, starting a call); a hash costs
 * W_HASH units plus one per 64 bytes hashed; 32 issuer entries scanned or
 * copied cost one unit. Every loop of Hash N-Degree Quads charges, so the
 * time of a canonicalization is proportional to the budget, whatever the
 * shape of the graph. */
#define W_HASH 8u

static mc_status charge(rdfc *r, uint64_t units)
{
	r->work += units;
	if (r->work + r->scanned / 32 <= r->max_work)
		return MC_OK;
	char msg[200];
	snprintf(msg, sizeof msg,
	         "canonicalization stopped after %llu units of work in Hash N-Degree Quads (work limit; the "
	         "dataset looks like a poison graph)",
	         (unsigned long long)r->max_work);
	return fail(r, MC_ERR_TOO_LARGE, msg);
}

/* ---- issuers --------------------------------------------------------- */

static uint32_t iss_find(rdfc *r, const issuer *is, uint32_t b)
{
	uint32_t i = 0;
	while (i < is->n && is->ids[i] != b)
		i++;
	r->scanned += i;
	return i < is->n ? i : NONE;
}

/* Issue Identifier (4.5): existing identifier, or the next one. */
static mc_status iss_issue(rdfc *r, issuer *is, uint32_t b, uint32_t *id)
{
	uint32_t i = iss_find(r, is, b);
	if (i != NONE) {
		*id = i;
		return MC_OK;
	}
	if (is->n == is->cap) {
		uint32_t nc = is->cap ? is->cap * 2 : 8;
		uint32_t *n = realloc(is->ids, (size_t)nc * sizeof *n);
		if (!n)
			return MC_ERR_NOMEM;
		is->ids = n;
		is->cap = nc;
	}
	is->ids[is->n] = b;
	*id = is->n++;
	return MC_OK;
}

static mc_status iss_clone(rdfc *r, const issuer *src, issuer *dst)
{
	dst->cap = src->n + 8;
	dst->n = src->n;
	dst->ids = malloc((size_t)dst->cap * sizeof *dst->ids);
	if (!dst->ids)
		return MC_ERR_NOMEM;
	if (src->n)
		memcpy(dst->ids, src->ids, (size_t)src->n * sizeof *dst->ids);
	r->scanned += src->n;
	return MC_OK;
}

static void iss_free(issuer *is)
{
	free(is->ids);
	is->ids = NULL;
	is->n = is->cap = 0;
}

static void canon_issue(rdfc *r, uint32_t b)
{
	if (r->canon[b] == NONE) {
		r->canon[b] = r->ncanon;
		r->corder[r->ncanon++] = b;
	}
}

/* ---- serialization ----------------------------------------------------- */

static int line_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const rdfc *r = ctx;
	return strcmp_n(r->line.data + r->loff[a], r->llen[a], r->line.data + r->loff[b], r->llen[b]);
}

/* Append quad qi in canonical N-Quads form to r->line. Blank nodes are
 * written by mode: ref == NONE: canonical labels; else "_:a" for the
 * reference node ref and "_:z" for the others (4.6.3 step 3.1). r->line
 * holds output_bound() bytes from the start (a whole serialization fits),
 * so the pieces are copied without a check each. */
static void put_quad(rdfc *r, uint32_t qi, uint32_t ref)
{
	const mc_rdf_dataset *ds = r->ds;
	const uint32_t *q = &ds->quads[4 * (size_t)qi];
	int nterms = q[3] == MC__RDF_DEFAULT ? 3 : 4;
	char *o = r->line.data + r->line.len;
	for (int i = 0; i < nterms; i++) {
		uint32_t t = q[i];
		if (i)
			*o++ = ' ';
		if (ds->terms[t].kind == MC_RDF_BLANK) {
			uint32_t b = r->tb[t];
			if (ref == NONE) {
				o += label(o, "c14n", r->canon[b]);
			} else {
				memcpy(o, b == ref ? "_:a" : "_:z", 3);
				o += 3;
			}
		} else {
			memcpy(o, mc__rdf_text(ds, t), ds->terms[t].len);
			o += ds->terms[t].len;
		}
	}
	memcpy(o, " .\n", 3);
	r->line.len = (size_t)(o + 3 - r->line.data);
}

/* Lines 0..k-1 of r->line (offsets loff, lengths llen) in code point order,
 * concatenated into r->sorted; returns the length. */
static size_t sort_lines(rdfc *r, uint32_t k)
{
	for (uint32_t i = 0; i < k; i++)
		r->lidx[i] = i;
	mc__rdf_sort(r->lidx, r->ltmp, k, line_cmp, r);
	size_t pos = 0;
	for (uint32_t i = 0; i < k; i++) {
		memcpy(r->sorted + pos, r->line.data + r->loff[r->lidx[i]], r->llen[r->lidx[i]]);
		pos += r->llen[r->lidx[i]];
	}
	return pos;
}

/* ---- 4.6 Hash First Degree Quads ---------------------------------------- */

static mc_status hash_first_degree(rdfc *r, uint32_t b)
{
	uint32_t k = 0;
	r->line.len = 0;
	for (uint32_t j = r->qoff[b]; j < r->qoff[b + 1]; j++, k++) {
		r->loff[k] = (uint32_t)r->line.len;
		put_quad(r, r->qlist[j], b);
		r->llen[k] = (uint32_t)(r->line.len - r->loff[k]);
	}
	/* one digest update for the sorted lines: per-call overhead of the
	 * digest is larger than the copy */
	size_t n = sort_lines(r, k);
	mc_status st = h_begin(r);
	if (st == MC_OK)
		st = h_add(r, r->sorted, n);
	if (st == MC_OK)
		st = h_end(r, r->h1 + (size_t)b * r->dlen);
	if (st == MC_OK)
		tohex(r->h1hex + (size_t)b * 2 * r->dlen, r->h1 + (size_t)b * r->dlen, r->dlen);
	return st;
}

/* ---- 4.7 Hash Related Blank Node ----------------------------------------- */

static mc_status hash_related(rdfc *r, uint32_t related, uint32_t qi, const issuer *is, char position,
                              uint8_t *out)
{
	const mc_rdf_dataset *ds = r->ds;
	uint32_t p = ds->quads[4 * (size_t)qi + 1];
	mc_status st = charge(r, W_HASH + ds->terms[p].len / 64);
	if (st != MC_OK)
		return st;
	st = h_begin(r);
	/* 1: position; 2: predicate as <iri>, which is its canonical text */
	if (st == MC_OK)
		st = h_add(r, &position, 1);
	if (st == MC_OK && position != 'g')
		st = h_add(r, mc__rdf_text(ds, p), ds->terms[p].len);
	/* 3: canonical identifier, else the one issued by issuer; 4: else h1 */
	char l[24];
	uint32_t id;
	if (st == MC_OK) {
		if (r->canon[related] != NONE)
			st = h_add(r, l, label(l, "c14n", r->canon[related]));
		else if ((id = iss_find(r, is, related)) != NONE)
			st = h_add(r, l, label(l, "b", id));
		else
			st = h_add(r, r->h1hex + (size_t)related * 2 * r->dlen, 2 * (size_t)r->dlen);
	}
	if (st == MC_OK)
		st = h_end(r, out);
	return st;
}

/* ---- 4.8 Hash N-Degree Quads ------------------------------------------- */

typedef struct digest_list {
	const uint8_t *d;
	unsigned dlen;
} digest_list;

static int digest_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const digest_list *l = ctx;
	return memcmp(l->d + (size_t)a * l->dlen, l->d + (size_t)b * l->dlen, l->dlen);
}

static int next_permutation(uint32_t *v, uint32_t n)
{
	if (n < 2)
		return 0;
	uint32_t i = n - 1;
	while (i > 0 && v[i - 1] >= v[i])
		i--;
	if (i == 0)
		return 0;
	uint32_t j = n - 1;
	while (v[j] <= v[i - 1])
		j--;
	uint32_t t = v[i - 1];
	v[i - 1] = v[j];
	v[j] = t;
	for (uint32_t a = i, z = n - 1; a < z; a++, z--) {
		t = v[a];
		v[a] = v[z];
		v[z] = t;
	}
	return 1;
}

/* Code point comparison of a growing path with the chosen path, kept
 * incrementally: paths only grow, so once they differ the order is fixed,
 * and each byte is compared once (a plain compare after every step would
 * be quadratic in the group size). */
typedef struct pathcmp {
	/* bytes known equal */
	size_t pos;
	/* -1 / 1 once the paths differ within both lengths, else 0 */
	int res;
} pathcmp;

static int path_cmp(pathcmp *pc, const mc__buf *path, const mc__buf *chosen)
{
	if (pc->res == 0) {
		size_t lim = path->len < chosen->len ? path->len : chosen->len;
		while (pc->pos < lim && path->data[pc->pos] == chosen->data[pc->pos])
			pc->pos++;
		if (pc->pos < lim)
			pc->res = (unsigned char)path->data[pc->pos] < (unsigned char)chosen->data[pc->pos] ? -1 : 1;
	}
	if (pc->res)
		return pc->res;
	return path->len < chosen->len ? -1 : path->len > chosen->len;
}

/* Steps 5.4.4.3 and 5.4.5.5: chosen path is not empty, path is at least
 * as long and code point ordered after it. */
static int skip_path(pathcmp *pc, const mc__buf *path, const mc__buf *chosen, int have_chosen)
{
	return have_chosen && path->len >= chosen->len && path_cmp(pc, path, chosen) > 0;
}

/* Hash N-Degree Quads (4.8.3) for blank node n with issuer *is. On
 * success *is is replaced by the result's issuer (the old one freed) and
 * out holds the hash. */
static mc_status hash_ndegree(rdfc *r, uint32_t n, issuer *is, uint8_t *out, unsigned depth)
{
	char msg[200];
	if (++r->calls > r->max_calls) {
		snprintf(msg, sizeof msg,
		         "canonicalization stopped after %llu calls of Hash N-Degree Quads (work limit; the "
		         "dataset looks like a poison graph)",
		         (unsigned long long)r->max_calls);
		return fail(r, MC_ERR_TOO_LARGE, msg);
	}
	if (depth > MC_RDFC_MAX_DEPTH) {
		snprintf(msg, sizeof msg,
		         "canonicalization stopped: Hash N-Degree Quads recursion deeper than %u (work limit)",
		         (unsigned)MC_RDFC_MAX_DEPTH);
		return fail(r, MC_ERR_TOO_LARGE, msg);
	}
	mc_status st = charge(r, 1);
	if (st != MC_OK)
		return st;
	const mc_rdf_dataset *ds = r->ds;
	const unsigned dlen = r->dlen;

	/* 1-3: Hn as a list of (related hash, related node), sorted by hash */
	uint32_t nq = r->qoff[n + 1] - r->qoff[n];
	size_t cap = 3 * (size_t)nq;
	uint32_t *rel = xcalloc(cap, sizeof *rel);   /* related node */
	uint32_t *idx = xcalloc(cap, sizeof *idx);   /* sort order */
	uint32_t *tmp = xcalloc(cap, sizeof *tmp);   /* sort scratch, then recursion list */
	uint32_t *perm = xcalloc(cap, sizeof *perm); /* permutation of one group */
	uint8_t *rh = xcalloc(cap, dlen);            /* related hashes */
	mc__buf data, path, chosen;
	mc__buf_init(&data, MC_RDFC_MAX_OUTPUT_BYTES);
	mc__buf_init(&path, MC_RDFC_MAX_OUTPUT_BYTES);
	mc__buf_init(&chosen, MC_RDFC_MAX_OUTPUT_BYTES);
	issuer copy = {0}, chosen_is = {0};
	if (!rel || !idx || !tmp || !perm || !rh) {
		st = MC_ERR_NOMEM;
		goto done;
	}
	uint32_t k = 0;
	for (uint32_t j = r->qoff[n]; j < r->qoff[n + 1] && st == MC_OK; j++) {
		uint32_t qi = r->qlist[j];
		static const int comp[3] = {0, 2, 3};
		static const char posc[3] = {'s', 'o', 'g'};
		for (int c = 0; c < 3 && st == MC_OK; c++) {
			uint32_t t = ds->quads[4 * (size_t)qi + (size_t)comp[c]];
			if (ds->terms[t].kind != MC_RDF_BLANK || r->tb[t] == n)
				continue;
			rel[k] = r->tb[t];
			st = hash_related(r, rel[k], qi, is, posc[c], rh + (size_t)k * dlen);
			idx[k] = k;
			k++;
		}
	}
	if (st != MC_OK)
		goto done;
	digest_list dl = {rh, dlen};
	mc__rdf_sort(idx, tmp, k, digest_cmp, &dl);

	/* 5: each related hash group, in code point order of the hash */
	for (uint32_t g = 0; g < k && st == MC_OK;) {
		uint32_t ge = g + 1;
		while (ge < k && digest_cmp(&dl, idx[g], idx[ge]) == 0)
			ge++;
		uint32_t gn = ge - g;
		const uint32_t *grp = idx + g; /* the group's blank node list, as indices into rel */
		/* 5.1 */
		char hex[2 * MAXD];
		tohex(hex, rh + (size_t)idx[g] * dlen, dlen);
		mc__buf_add(&data, hex, 2 * (size_t)dlen);
		/* 5.2, 5.3 */
		int have_chosen = 0;
		chosen.len = 0;
		for (uint32_t i = 0; i < gn; i++)
			perm[i] = i;
		/* 5.4: every permutation p of the blank node list */
		do {
			/* 5.4.1-5.4.3 */
			if ((st = charge(r, 1)) != MC_OK || (st = iss_clone(r, is, &copy)) != MC_OK)
				break;
			path.len = 0;
			pathcmp pc = {0, 0};
			uint32_t nrec = 0;
			int skip = 0;
			/* 5.4.4 */
			for (uint32_t i = 0; i < gn && st == MC_OK; i++) {
				if ((st = charge(r, 1)) != MC_OK)
					break;
				uint32_t related = rel[grp[perm[i]]];
				char l[24];
				if (r->canon[related] != NONE) { /* 5.4.4.1 */
					mc__buf_add(&path, l, label(l, "c14n", r->canon[related]));
				} else { /* 5.4.4.2 */
					uint32_t id = iss_find(r, &copy, related);
					if (id == NONE) {
						tmp[nrec++] = related;
						st = iss_issue(r, &copy, related, &id);
					}
					mc__buf_add(&path, l, label(l, "b", id));
				}
				if (path.status == MC_OK && skip_path(&pc, &path, &chosen, have_chosen)) {
					skip = 1; /* 5.4.4.3 */
					break;
				}
			}
			/* 5.4.5 */
			for (uint32_t i = 0; i < nrec && !skip && st == MC_OK; i++) {
				uint8_t res[MAXD];
				uint32_t id;
				st = hash_ndegree(r, tmp[i], &copy, res, depth + 1); /* 5.4.5.1, 5.4.5.4 */
				if (st == MC_OK)
					st = iss_issue(r, &copy, tmp[i], &id);
				if (st != MC_OK)
					break;
				char l[24];
				mc__buf_add(&path, l, label(l, "b", id)); /* 5.4.5.2 */
				tohex(hex, res, dlen);
				mc__buf_add(&path, "<", 1); /* 5.4.5.3 */
				mc__buf_add(&path, hex, 2 * (size_t)dlen);
				mc__buf_add(&path, ">", 1);
				if (path.status == MC_OK && skip_path(&pc, &path, &chosen, have_chosen))
					skip = 1; /* 5.4.5.5 */
			}
			if (st == MC_OK && path.status != MC_OK)
				st = path.status;
			if (st != MC_OK)
				break;
			/* 5.4.6 */
			if (!skip && (!have_chosen || path_cmp(&pc, &path, &chosen) < 0)) {
				mc__buf t = chosen;
				chosen = path;
				path = t;
				iss_free(&chosen_is);
				chosen_is = copy;
				copy = (issuer){0};
				have_chosen = 1;
			} else {
				iss_free(&copy);
			}
		} while (next_permutation(perm, gn));
		if (st != MC_OK)
			break;
		/* 5.5, 5.6 */
		mc__buf_add(&data, chosen.data, chosen.len);
		iss_free(is);
		*is = chosen_is;
		chosen_is = (issuer){0};
		g = ge;
	}
	if (st == MC_OK && data.status != MC_OK)
		st = data.status;
	/* 6 */
	if (st == MC_OK)
		st = charge(r, W_HASH + data.len / 64);
	if (st == MC_OK)
		st = h_begin(r);
	if (st == MC_OK)
		st = h_add(r, data.data ? data.data : "", data.len);
	if (st == MC_OK)
		st = h_end(r, out);
done:
	iss_free(&copy);
	iss_free(&chosen_is);
	mc__buf_release(&data);
	mc__buf_release(&path);
	mc__buf_release(&chosen);
	free(rel);
	free(idx);
	free(tmp);
	free(perm);
	free(rh);
	if (st != MC_OK && st != MC_ERR_TOO_LARGE)
		fail(r, st, NULL);
	return st;
}

/* ---- 4.4 Canonicalization Algorithm ----------------------------------- */

struct mc_rdfc_map {
	/* entries in issue order */
	size_t n;
	/* input label of entry i (without "_:") */
	const char **in;
	/* canonical label of entry i */
	const char **canon;
	/* entry numbers sorted by input label, for lookup */
	uint32_t *by_in;
	/* the strings */
	char *text;
};

static void rdfc_release(rdfc *r)
{
	EVP_MD_CTX_free(r->mdc);
	free(r->sorted);
	free(r->block);
}

typedef struct hp_result {
	issuer is;
	uint8_t hash[MAXD];
} hp_result;

static int h1_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const rdfc *r = ctx;
	return memcmp(r->h1 + (size_t)a * r->dlen, r->h1 + (size_t)b * r->dlen, r->dlen);
}

typedef struct result_list {
	const hp_result *v;
	unsigned dlen;
} result_list;

static int result_list_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const result_list *l = ctx;
	return memcmp(l->v[a].hash, l->v[b].hash, l->dlen);
}

/* Steps 1-5: assign canonical identifiers. */
static mc_status issue_all(rdfc *r)
{
	const mc_rdf_dataset *ds = r->ds;
	mc_status st = MC_OK;
	/* 2: blank node to quads map. Number nodes by first mention. */
	uint32_t nq = ds->nquads;
	for (uint32_t qi = 0; qi < nq; qi++) {
		for (int c = 0; c < 4; c++) {
			uint32_t t = ds->quads[4 * (size_t)qi + (size_t)c];
			if (ds->terms[t].kind == MC_RDF_BLANK && r->tb[t] == NONE) {
				r->tb[t] = r->nb;
				r->bterm[r->nb++] = t;
			}
		}
	}
	uint32_t nb = r->nb;
	memset(r->qoff, 0, ((size_t)nb + 1) * sizeof *r->qoff);
	memset(r->canon, 0xFF, (size_t)nb * sizeof *r->canon);
	/* a quad mentioning a node twice is listed once for it */
	size_t total = 0;
	for (uint32_t qi = 0; qi < nq; qi++) {
		const uint32_t *q = &ds->quads[4 * (size_t)qi];
		for (int c = 0; c < 4; c++) {
			if (ds->terms[q[c]].kind != MC_RDF_BLANK)
				continue;
			int dup = 0;
			for (int e = 0; e < c; e++)
				dup |= q[e] == q[c];
			if (!dup) {
				r->qoff[r->tb[q[c]] + 1]++;
				total++;
			}
		}
	}
	for (uint32_t b = 0; b < nb; b++)
		r->qoff[b + 1] += r->qoff[b];
	uint32_t *fill = r->fill;
	memset(fill, 0, (size_t)nb * sizeof *fill);
	for (uint32_t qi = 0; qi < nq; qi++) {
		const uint32_t *q = &ds->quads[4 * (size_t)qi];
		for (int c = 0; c < 4; c++) {
			if (ds->terms[q[c]].kind != MC_RDF_BLANK)
				continue;
			int dup = 0;
			for (int e = 0; e < c; e++)
				dup |= q[e] == q[c];
			if (!dup) {
				uint32_t b = r->tb[q[c]];
				r->qlist[r->qoff[b] + fill[b]++] = qi;
			}
		}
	}

	/* 3: first-degree hashes; hash to blank nodes map as a sorted list */
	for (uint32_t b = 0; b < nb && st == MC_OK; b++)
		st = hash_first_degree(r, b);
	if (st != MC_OK)
		return st;
	uint32_t *order = r->order, *otmp = r->otmp;
	for (uint32_t b = 0; b < nb; b++)
		order[b] = b;
	mc__rdf_sort(order, otmp, nb, h1_cmp, r);

	/* 4: unique hashes, in hash order */
	for (uint32_t i = 0; i < nb;) {
		uint32_t e = i + 1;
		while (e < nb && h1_cmp(r, order[i], order[e]) == 0)
			e++;
		if (e - i == 1)
			canon_issue(r, order[i]);
		i = e;
	}

	/* 5: shared hashes, in hash order */
	hp_result *res = NULL;
	uint32_t *ridx = NULL, *rtmp = NULL;
	for (uint32_t i = 0; i < nb && st == MC_OK;) {
		uint32_t e = i + 1;
		while (e < nb && h1_cmp(r, order[i], order[e]) == 0)
			e++;
		uint32_t gn = e - i;
		if (gn == 1) {
			i = e;
			continue;
		}
		free(res);
		free(ridx);
		free(rtmp);
		res = xcalloc(gn, sizeof *res);
		ridx = xcalloc(gn, sizeof *ridx);
		rtmp = xcalloc(gn, sizeof *rtmp);
		if (!res || !ridx || !rtmp) {
			st = MC_ERR_NOMEM;
			break;
		}
		/* 5.1, 5.2 */
		uint32_t nr = 0;
		for (uint32_t j = i; j < e && st == MC_OK; j++) {
			uint32_t b = order[j];
			if (r->canon[b] != NONE) /* 5.2.1 */
				continue;
			uint32_t id;
			st = iss_issue(r, &res[nr].is, b, &id); /* 5.2.2, 5.2.3 */
			if (st == MC_OK)
				st = hash_ndegree(r, b, &res[nr].is, res[nr].hash, 1); /* 5.2.4 */
			ridx[nr] = nr;
			nr++;
		}
		if (st == MC_OK) {
			/* 5.3: by hash; equal hashes keep blank node order */
			result_list rl = {res, r->dlen};
			mc__rdf_sort(ridx, rtmp, nr, result_list_cmp, &rl);
			for (uint32_t j = 0; j < nr; j++) {
				const issuer *is = &res[ridx[j]].is;
				for (uint32_t m = 0; m < is->n; m++) /* 5.3.1 */
					canon_issue(r, is->ids[m]);
			}
		}
		for (uint32_t j = 0; j < nr; j++)
			iss_free(&res[j].is);
		i = e;
	}
	free(res);
	free(ridx);
	free(rtmp);
	if (st == MC_OK && r->ncanon != nb)
		st = MC_ERR_INTERNAL;
	return st;
}

/* Upper bound of the canonical output size, before any work. */
static uint64_t output_bound(const mc_rdf_dataset *ds)
{
	uint64_t total = 0;
	for (uint32_t qi = 0; qi < ds->nquads; qi++) {
		const uint32_t *q = &ds->quads[4 * (size_t)qi];
		for (int c = 0; c < 4; c++) {
			const mc__rdf_term *t = &ds->terms[q[c]];
			total += (t->kind == MC_RDF_BLANK ? 16u : t->len) + 1u;
		}
		total += 3;
	}
	return total;
}

static int map_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const mc_rdfc_map *m = ctx;
	return strcmp(m->in[a], m->in[b]);
}

static mc_status build_map(rdfc *r, mc_rdfc_map **out)
{
	const mc_rdf_dataset *ds = r->ds;
	size_t bytes = 0;
	for (uint32_t i = 0; i < r->ncanon; i++)
		bytes += ds->terms[r->bterm[r->corder[i]]].len - 2 + 1 + 16;
	mc_rdfc_map *m = calloc(1, sizeof *m);
	if (!m)
		return MC_ERR_NOMEM;
	m->n = r->ncanon;
	m->in = xcalloc(m->n, sizeof *m->in);
	m->canon = xcalloc(m->n, sizeof *m->canon);
	m->by_in = xcalloc(m->n, sizeof *m->by_in);
	m->text = xcalloc(bytes, 1);
	uint32_t *tmp = xcalloc(m->n, sizeof *tmp);
	if (!m->in || !m->canon || !m->by_in || !m->text || !tmp) {
		free(tmp);
		mc_rdfc_map_free(m);
		return MC_ERR_NOMEM;
	}
	char *p = m->text;
	for (uint32_t i = 0; i < r->ncanon; i++) {
		uint32_t t = r->bterm[r->corder[i]];
		size_t n = ds->terms[t].len - 2;
		memcpy(p, mc__rdf_text(ds, t) + 2, n);
		p[n] = '\0';
		m->in[i] = p;
		p += n + 1;
		char l[24];
		size_t ln = label(l, "c14n", i);
		memcpy(p, l + 2, ln - 2);
		p[ln - 2] = '\0';
		m->canon[i] = p;
		p += ln - 1;
		m->by_in[i] = i;
	}
	mc__rdf_sort(m->by_in, tmp, m->n, map_cmp, m);
	free(tmp);
	*out = m;
	return MC_OK;
}

/* Steps 1-7 into r (released by the caller, also on failure): canonical
 * labels, and with serialize the sorted canonical N-Quads in r->sorted
 * (*n bytes). */
static mc_status run(rdfc *r, const mc_rdf_dataset *ds, const mc_rdfc_opts *opts, bool serialize, size_t *n,
                     mc_err *err)
{
	*r = (rdfc){.ds = ds, .err = err};
	mc_rdfc_opts o = opts ? *opts : (mc_rdfc_opts){0};
	if (o.hash != MC_RDFC_SHA256 && o.hash != MC_RDFC_SHA384)
		return mc__fail(err, MC_ERR_ARG, "opts.hash", "unknown hash algorithm %d", (int)o.hash);
	uint64_t bound = output_bound(ds);
	if (bound > MC_RDFC_MAX_OUTPUT_BYTES)
		return mc__fail(err, MC_ERR_TOO_LARGE, "dataset",
		                "canonical N-Quads would exceed MC_RDFC_MAX_OUTPUT_BYTES (%u bytes)",
		                (unsigned)MC_RDFC_MAX_OUTPUT_BYTES);
	if (pthread_once(&md_once, md_fetch) != 0)
		return mc__fail(err, MC_ERR_CRYPTO, "dataset", "cannot load the hash algorithm");
	r->md = o.hash == MC_RDFC_SHA384 ? md_sha384 : md_sha256;
	r->dlen = o.hash == MC_RDFC_SHA384 ? 48 : 32;
	r->max_calls = o.max_ndegree_calls ? o.max_ndegree_calls : MC_RDFC_MAX_NDEGREE_CALLS;
	r->max_work = o.max_work ? o.max_work : MC_RDFC_MAX_WORK;
	if (!r->md)
		return mc__fail(err, MC_ERR_CRYPTO, "dataset", "cannot load the hash algorithm");
	/* One block for the work arrays (bounded by the dataset's limits:
	 * MC_RDF_MAX_QUADS, MC_RDF_MAX_BLANK_NODES, the output bound): blank
	 * nodes in quads are at most the dataset's, a quad lists at most four.
	 * Every serialization (of all quads, or of one node's) fits in bound
	 * bytes: put_quad writes without checks. The sorted output is its own
	 * allocation, handed over to the caller. */
	size_t nl = ds->nquads, nbl = ds->nblank, dl = r->dlen;
	size_t words = (size_t)ds->nterms + 4 * nl + (nbl + 1) + 4 * nbl + 4 * nl + 3 * nbl;
	size_t bytes = words * sizeof(uint32_t) + nbl * dl * 3 + (size_t)bound + 1;
	unsigned char *blk = r->block = malloc(bytes);
	r->sorted = malloc((size_t)bound + 1);
	mc_status st = MC_OK;
	r->mdc = EVP_MD_CTX_new();
	if (!blk || !r->sorted || !r->mdc)
		return fail(r, MC_ERR_NOMEM, NULL);
	uint32_t *w = (uint32_t *)(void *)blk;
	r->tb = w, w += ds->nterms;
	r->loff = w, w += nl;
	r->llen = w, w += nl;
	r->lidx = w, w += nl;
	r->ltmp = w, w += nl;
	r->qoff = w, w += nbl + 1;
	r->bterm = w, w += nbl;
	r->canon = w, w += nbl;
	r->corder = w, w += nbl;
	r->fill = w, w += nbl;
	r->qlist = w, w += 4 * nl;
	r->order = w, w += nbl;
	r->otmp = w, w += nbl;
	unsigned char *b8 = (unsigned char *)w;
	r->h1 = b8, b8 += nbl * dl;
	r->h1hex = (char *)b8, b8 += nbl * 2 * dl;
	mc__buf_init(&r->line, MC_RDFC_MAX_OUTPUT_BYTES);
	r->line.data = (char *)b8;
	r->line.cap = (size_t)bound + 1;
	if (st == MC_OK) {
		memset(r->tb, 0xFF, (size_t)ds->nterms * sizeof *r->tb);
		st = issue_all(r);
	}
	/* 6, 7: serialize with canonical labels, sort, concatenate */
	if (st == MC_OK && serialize) {
		r->line.len = 0;
		for (uint32_t qi = 0; qi < ds->nquads; qi++) {
			r->loff[qi] = (uint32_t)r->line.len;
			put_quad(r, qi, NONE);
			r->llen[qi] = (uint32_t)(r->line.len - r->loff[qi]);
		}
		*n = sort_lines(r, ds->nquads);
		r->sorted[*n] = '\0';
	}
	if (st != MC_OK)
		fail(r, st, NULL); /* no-op when a more specific message is recorded */
	return st;
}

mc_status mc_rdfc_canonicalize_map(const mc_rdf_dataset *ds, const mc_rdfc_opts *opts, char **out, size_t *len,
                                   mc_rdfc_map **map, mc_err *err)
{
	if (out)
		*out = NULL;
	if (map)
		*map = NULL;
	if (!ds || (!out && !map))
		return mc__fail(err, MC_ERR_ARG, !ds ? "ds" : "out", "argument is NULL");
	rdfc r;
	size_t n = 0;
	mc_status st = run(&r, ds, opts, out != NULL, &n, err);
	if (st == MC_OK && map && (st = build_map(&r, map)) != MC_OK)
		fail(&r, st, NULL);
	if (st == MC_OK && out) {
		/* the sorted scratch is the result: handed over, not copied */
		*out = r.sorted;
		r.sorted = NULL;
		if (len)
			*len = n;
	}
	rdfc_release(&r);
	return st;
}

mc_status mc__rdfc_sha256(const mc_rdf_dataset *ds, uint8_t out[32], mc_err *err)
{
	if (!ds)
		return mc__fail(err, MC_ERR_ARG, "ds", "argument is NULL");
	rdfc r;
	size_t n = 0;
	mc_status st = run(&r, ds, NULL, true, &n, err);
	if (st == MC_OK && ((st = h_begin(&r)) != MC_OK || (st = h_add(&r, r.sorted, n)) != MC_OK ||
	                    (st = h_end(&r, out)) != MC_OK))
		fail(&r, st, NULL);
	rdfc_release(&r);
	return st;
}

mc_status mc_rdfc_canonicalize(const mc_rdf_dataset *ds, const mc_rdfc_opts *opts, char **out, size_t *len,
                               mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	return mc_rdfc_canonicalize_map(ds, opts, out, len, NULL, err);
}

/* ---- map accessors ----------------------------------------------------- */

size_t mc_rdfc_map_count(const mc_rdfc_map *m)
{
	return m ? m->n : 0;
}

int mc_rdfc_map_get(const mc_rdfc_map *m, size_t i, const char **input_label, const char **canonical_label)
{
	int ok = m && i < m->n;
	if (input_label)
		*input_label = ok ? m->in[i] : NULL;
	if (canonical_label)
		*canonical_label = ok ? m->canon[i] : NULL;
	return ok;
}

const char *mc_rdfc_map_lookup(const mc_rdfc_map *m, const char *input_label)
{
	if (!m || !input_label)
		return NULL;
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->in[m->by_in[mid]], input_label);
		if (c == 0)
			return m->canon[m->by_in[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void mc_rdfc_map_free(mc_rdfc_map *m)
{
	if (!m)
		return;
	free(m->in);
	free(m->canon);
	free(m->by_in);
	free(m->text);
	free(m);
}
