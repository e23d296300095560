/*
 * fuzz_json.c - libFuzzer target for the strict JSON scanner, the cJSON tree
 * behind it, RFC 8785 canonicalization and credential verification.
 * Invariants checked: nothing crashes or leaks; canonical output is
 * accepted again and is a fixed point; verify always returns a report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/mcred.h"

/* Inputs beyond this only make runs slower, not deeper. */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	const char *buf = (const char *)data;
	mc_err err = {0};
	mc_status st = mc_json_check(buf, size, &err);
	if ((st == MC_OK) != (err.status == MC_OK))
		abort();
	char *out = NULL;
	size_t n = 0;
	mc_status cst = mc_jcs(buf, size, &out, &n, NULL);
	if ((cst == MC_OK) != (st == MC_OK))
		abort(); /* canonicalization accepts exactly what the checker accepts */
	if (cst == MC_OK) {
		char *again = NULL;
		size_t m = 0;
		if (mc_jcs(out, n, &again, &m, NULL) != MC_OK || m != n || memcmp(out, again, n) != 0)
			abort(); /* JCS output must be a fixed point */
		mc_free(again);
	}
	mc_free(out);
	mc_report *rep = NULL;
	mc_status vst = mc_verify(buf, size, NULL, &rep, NULL);
	if (vst != MC_ERR_NOMEM && !rep)
		abort();
	mc_report_free(rep);
	return 0;
}
