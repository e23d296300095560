/*
 * fuzz_jsonld.c - libFuzzer target for JSON-LD expansion and toRdf with
 * the offline loader (bundled contexts only; any other URL is refused).
 * One loader lives for the whole run, so its document and processed-context
 * caches are exercised across inputs, as in a long-running verifier.
 * Invariants checked: nothing crashes or leaks; a failure always carries a
 * message; successful expansion is a JSON array; a document that expands
 * also converts to RDF unless a size limit stops it, and a failed
 * conversion leaves no dataset behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcred/mcred.h"
#include "mcred/rdf.h"
#include "mcred/jsonld.h"

/* Inputs beyond this only make runs slower, not deeper. */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mc_jsonld_loader *loader;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (!loader) {
		if (mc_init() != MC_OK || mc_jsonld_loader_new(NULL, NULL, &loader, NULL) != MC_OK)
			abort();
	}
	/* the input's length picks options (the bytes stay plain JSON), so
	 * safe mode, a base IRI and json-ld-1.0 are all reached */
	mc_jsonld_opts o = {0};
	o.safe = size & 1;
	o.mode = size % 8 == 6 ? MC_JSONLD_1_0 : MC_JSONLD_1_1;
	if (size & 2)
		o.base = "https://example.org/base/doc";
	const char *json = (const char *)data;
	char *out = NULL;
	size_t out_len = 0;
	mc_err err = {0};
	mc_status st = mc_jsonld_expand(json, size, loader, &o, &out, &out_len, &err);
	if (st != MC_OK) {
		if (out || err.status != st || !err.msg[0])
			abort();
	} else {
		if (!out || strlen(out) != out_len)
			abort();
		cJSON *t = cJSON_ParseWithLength(out, out_len);
		if (!t || !cJSON_IsArray(t))
			abort();
		cJSON_Delete(t);
	}
	mc_rdf_dataset *ds = NULL;
	mc_err e2 = {0};
	mc_status st2 = mc_jsonld_to_rdf(json, size, loader, &o, &ds, &e2);
	if (st2 != MC_OK) {
		if (ds || e2.status != st2 || !e2.msg[0])
			abort();
		/* expansion succeeded: only a limit, or safe mode refusing what RDF
		 * cannot hold, may stop the conversion */
		if (st == MC_OK && st2 != MC_ERR_TOO_LARGE && !(o.safe && strncmp(e2.msg, "safe mode:", 10) == 0))
			abort();
	} else if (st != MC_OK) {
		abort(); /* conversion expands first: it cannot succeed alone */
	}
	mc_rdf_dataset_free(ds);
	mc_free(out);
	return 0;
}
