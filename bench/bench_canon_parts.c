/*
 * bench_canon_parts.c - the stages of eddsa-rdfc-2022 canonicalization,
 * timed apart, for two credentials built at run time (run from the repo
 * root):
 *   typical  bench/data/ inputs, did:key issuer (about 3.4 KB)
 *   large    examples/ inputs, did:web issuer (about 7.3 KB)
 * Per document: mc_jsonld_expand (expanded JSON text), mc_jsonld_to_rdf
 * (expansion + deserialization to a dataset), mc_rdfc_canonicalize of a
 * prepared dataset (RDFC-1.0 + canonical N-Quads), and the two together as
 * signing does them. One warm loader, as in a long-running issuer.
 *
 *   BENCH_SECONDS=S     seconds per measurement (default 1)
 *   BENCH_NO_INIT=1     skip mc_init (as bench_rdfc does: no cJSON arena
 *                       hooks unless the library installs them itself)
 *   BENCH_PARTS_LOOP=N  profiling mode: only run N rounds of to_rdf +
 *                       canonicalize over both documents, print nothing
 *                       else (for perf record / callgrind)
 * A last line "BENCH_CANON_PARTS key=value ..." (microseconds) is for
 * scripts. Pinned to CPU 0.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mcred/mcred.h"

#include "bench.h"

static volatile int sink;
static double budget = 1.0;

/* Mean microseconds per run of body over the budget (best of 5 slices). */
#define TIME_US(var, ...)                                                \
	do {                                                                 \
		double best_ = 1e30;                                             \
		for (int r_ = 0; r_ < 5; r_++) {                                 \
			long n_ = 0;                                                 \
			double t0_ = now_s(), t_;                                    \
			do {                                                         \
				for (int k_ = 0; k_ < 16; k_++) {                        \
					__VA_ARGS__;                                         \
				}                                                        \
				n_ += 16;                                                \
				t_ = now_s() - t0_;                                      \
			} while (t_ < budget / 5);                                   \
			if (t_ / (double)n_ < best_)                                 \
				best_ = t_ / (double)n_;                                 \
		}                                                                \
		var = best_ * 1e6;                                               \
	} while (0)

int main(void)
{
	const char *bs = getenv("BENCH_SECONDS");
	if (bs && atof(bs) > 0)
		budget = atof(bs);
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	int pinned = sched_setaffinity(0, sizeof set, &set) == 0;
	if (!getenv("BENCH_NO_INIT") && mc_init() != MC_OK)
		return 1;

	uint8_t seed[MC_ED25519_SEED_BYTES];
	for (size_t k = 0; k < sizeof seed; k++)
		seed[k] = (uint8_t)(k * 7 + 1);
	mc_keypair kp;
	mc_err err = {0};
	char did[MC_DID_KEY_MAX];
	if (mc_keypair_from_seed(&kp, seed, &err) != MC_OK || mc_did_key_from_pk(kp.pk, did) != MC_OK)
		return 1;
	mc_keypair_wipe(&kp);

	const char *names[2] = {"typical", "large"};
	char *docs[2] = {bench_credential("bench/data", did), bench_credential("examples", did)};
	size_t lens[2] = {strlen(docs[0]), strlen(docs[1])};

	mc_jsonld_loader *loader = NULL;
	if (mc_jsonld_loader_new(NULL, NULL, &loader, &err) != MC_OK)
		return 1;
	mc_jsonld_opts jo = {.safe = 1};

	mc_rdf_dataset *ds[2] = {NULL, NULL};
	size_t nql[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		char *nq = NULL;
		if (mc_jsonld_to_rdf(docs[i], lens[i], loader, &jo, &ds[i], &err) != MC_OK ||
		    mc_rdfc_canonicalize(ds[i], NULL, &nq, &nql[i], &err) != MC_OK) {
			fprintf(stderr, "bench_canon_parts: %s does not canonicalize: %s\n", names[i], err.msg);
			return 1;
		}
		mc_free(nq);
	}

	const char *loop = getenv("BENCH_PARTS_LOOP");
	if (loop && atol(loop) > 0) {
		long n = atol(loop);
		for (long r = 0; r < n; r++)
			for (int i = 0; i < 2; i++) {
				mc_rdf_dataset *d = NULL;
				char *nq = NULL;
				size_t nl = 0;
				sink += mc_jsonld_to_rdf(docs[i], lens[i], loader, &jo, &d, NULL);
				sink += mc_rdfc_canonicalize(d, NULL, &nq, &nl, NULL);
				mc_free(nq);
				mc_rdf_dataset_free(d);
			}
		goto done;
	}

	printf("bench_canon_parts: %s; %.2f s per measurement; microseconds per call (best slice)\n",
	       pinned ? "pinned to CPU 0" : "NOT pinned", budget);
	double res[2][4];
	for (int i = 0; i < 2; i++) {
		double ex, tr, rc, both;
		TIME_US(ex, {
			char *o = NULL;
			sink += mc_jsonld_expand(docs[i], lens[i], loader, &jo, &o, NULL, NULL);
			mc_free(o);
		});
		TIME_US(tr, {
			mc_rdf_dataset *d = NULL;
			sink += mc_jsonld_to_rdf(docs[i], lens[i], loader, &jo, &d, NULL);
			mc_rdf_dataset_free(d);
		});
		TIME_US(rc, {
			char *nq = NULL;
			size_t nl = 0;
			sink += mc_rdfc_canonicalize(ds[i], NULL, &nq, &nl, NULL);
			mc_free(nq);
		});
		TIME_US(both, {
			mc_rdf_dataset *d = NULL;
			char *nq = NULL;
			size_t nl = 0;
			sink += mc_jsonld_to_rdf(docs[i], lens[i], loader, &jo, &d, NULL);
			sink += mc_rdfc_canonicalize(d, NULL, &nq, &nl, NULL);
			mc_free(nq);
			mc_rdf_dataset_free(d);
		});
		res[i][0] = ex;
		res[i][1] = tr;
		res[i][2] = rc;
		res[i][3] = both;
		printf("  %-8s %5zu B JSON, %4zu quads, %5zu B N-Quads: expand %7.1f  to_rdf %7.1f  rdfc %7.1f  "
		       "to_rdf+rdfc %7.1f us (%6.0f /s)\n",
		       names[i], lens[i], mc_rdf_dataset_size(ds[i]), nql[i], ex, tr, rc, both, 1e6 / both);
	}
	printf("BENCH_CANON_PARTS typical_expand=%.1f typical_tordf=%.1f typical_rdfc=%.1f typical_total=%.1f "
	       "large_expand=%.1f large_tordf=%.1f large_rdfc=%.1f large_total=%.1f\n",
	       res[0][0], res[0][1], res[0][2], res[0][3], res[1][0], res[1][1], res[1][2], res[1][3]);
done:
	for (int i = 0; i < 2; i++) {
		mc_rdf_dataset_free(ds[i]);
		mc_free(docs[i]);
	}
	mc_jsonld_loader_free(loader);
	return sink == 12345678 ? 2 : 0;
}
