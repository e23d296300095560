/*
 * fuzz_rdfc.c - libFuzzer target for the strict N-Quads parser and RDFC-1.0
 * canonicalization under a small work limit.
 * Invariants checked: nothing crashes or leaks; a failure always carries a
 * located message; canonical output is sorted canonical N-Quads that parses
 * back to the same number of quads, and canonicalizing it again gives the
 * same bytes (unless the work limit stops the second run: the work done
 * depends on input order, the result does not); the issued identifiers map
 * covers every blank node label exactly once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/mcred.h"
#include "mcred/rdf.h"

/* Inputs beyond this only make runs slower, not deeper. */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small budgets keep every run in milliseconds while still reaching
 * Hash N-Degree Quads recursion and the limit paths. */
static const mc_rdfc_opts opts = {.hash = MC_RDFC_SHA256, .max_ndegree_calls = 64, .max_work = 20000};

static void check_sorted_lines(const char *out, size_t n)
{
	const char *prev = NULL;
	size_t prev_len = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(out + i, '\n', n - i);
		if (!nl)
			abort(); /* every quad ends with a newline */
		size_t len = (size_t)(nl - (out + i)) + 1;
		if (len < 5 || memcmp(nl - 2, " .", 2) != 0)
			abort();
		if (prev) {
			size_t m = prev_len < len ? prev_len : len;
			int c = memcmp(prev, out + i, m);
			if (c > 0 || (c == 0 && prev_len >= len))
				abort(); /* strictly increasing: sorted, no duplicates */
		}
		prev = out + i;
		prev_len = len;
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		if (mc_init() != MC_OK)
			abort();
		init = 1;
	}
	if (size > FUZZ_MAX_INPUT)
		return 0;
	mc_rdf_dataset *ds = NULL;
	if (mc_rdf_dataset_new(&ds, NULL) != MC_OK)
		abort();
	mc_err err = {0};
	mc_status st = mc_nquads_parse(ds, (const char *)data, size, &err);
	if ((st == MC_OK) != (err.status == MC_OK))
		abort();
	if (st != MC_OK) {
		if (st != MC_ERR_VALUE || strncmp(err.msg, "line ", 5) != 0 || strcmp(err.path, "nquads") != 0)
			abort();
		mc_rdf_dataset_free(ds);
		return 0;
	}
	char *out = NULL;
	size_t n = 0;
	mc_rdfc_map *map = NULL;
	mc_err cerr = {0};
	st = mc_rdfc_canonicalize_map(ds, &opts, &out, &n, &map, &cerr);
	if (st != MC_OK) {
		if (st != MC_ERR_TOO_LARGE || out || map || cerr.status != st)
			abort();
		mc_rdf_dataset_free(ds);
		return 0;
	}
	if (strlen(out) != n)
		abort(); /* NUL only ever appears escaped */
	check_sorted_lines(out, n);
	/* the map: entry i is c14n<i>, lookups agree */
	for (size_t i = 0; i < mc_rdfc_map_count(map); i++) {
		const char *in_label, *c_label;
		if (!mc_rdfc_map_get(map, i, &in_label, &c_label) || strncmp(c_label, "c14n", 4) != 0 ||
		    (size_t)atol(c_label + 4) != i)
			abort();
		const char *l = mc_rdfc_map_lookup(map, in_label);
		if (!l || strcmp(l, c_label) != 0)
			abort();
	}
	/* canonical output parses back and is a fixed point */
	mc_rdf_dataset *again = NULL;
	if (mc_rdf_dataset_new(&again, NULL) != MC_OK || mc_nquads_parse(again, out, n, NULL) != MC_OK)
		abort();
	if (mc_rdf_dataset_size(again) != mc_rdf_dataset_size(ds))
		abort();
	char *out2 = NULL;
	size_t n2 = 0;
	st = mc_rdfc_canonicalize(again, &opts, &out2, &n2, NULL);
	if (st == MC_OK) {
		if (n2 != n || memcmp(out, out2, n) != 0)
			abort();
	} else if (st != MC_ERR_TOO_LARGE) {
		abort();
	}
	mc_free(out2);
	mc_free(out);
	mc_rdfc_map_free(map);
	mc_rdf_dataset_free(again);
	mc_rdf_dataset_free(ds);
	return 0;
}
