/*
 * fuzz_credential.c - libFuzzer target for the EU micro-credential reader:
 * mc_credential_validate and mc_credential_extract on arbitrary input, then
 * build from what was extracted.
 * Invariants checked: nothing crashes or leaks; validate and extract agree
 * on what is valid; validate always returns a report for parsed input; the
 * documents extract writes never make build report an internal error, and
 * when they build, the credential validates and build(extract(c)) == c
 * (build -> extract -> build is a fixed point).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcred/mcred.h"

/* Inputs beyond this only make runs slower, not deeper. */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const mc_build_opts opts = {NULL, "urn:uuid:00000000-0000-4000-8000-0000000f0220", NULL};

/* Build from an extract document; returns the credential or NULL. */
static char *rebuild(const char *extracted)
{
	cJSON *doc = cJSON_Parse(extracted);
	if (!doc)
		abort(); /* extract must write JSON */
	char *a = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(doc, "achievement"));
	char *i = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(doc, "issuer"));
	char *l = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(doc, "learner"));
	cJSON_Delete(doc);
	char *out = NULL;
	if (a && i && l) {
		mc_err err = {0};
		mc_status st = mc_credential_build(a, strlen(a), i, strlen(i), l, strlen(l), &opts, &out, &err);
		if (st == MC_ERR_INTERNAL)
			abort(); /* the self-check found a lossy round trip */
		if ((st == MC_OK) != (out != NULL))
			abort();
	}
	free(a);
	free(i);
	free(l);
	return out;
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
	const char *buf = (const char *)data;
	mc_report *rep = NULL;
	mc_err verr = {0};
	mc_status vst = mc_credential_validate(buf, size, &rep, &verr);
	if ((vst == MC_OK || vst == MC_ERR_INVALID) && !rep)
		abort();
	if (vst == MC_OK && !mc_report_ok(rep))
		abort();
	if (vst == MC_ERR_INVALID && (mc_report_ok(rep) || verr.status != MC_ERR_INVALID))
		abort();
	mc_report_free(rep);

	char *x = NULL;
	mc_err xerr = {0};
	mc_status xst = mc_credential_extract(buf, size, &x, &xerr);
	if (xst != vst && !(vst == MC_ERR_NOMEM || xst == MC_ERR_NOMEM))
		abort(); /* both read with the same reader */
	if ((xst == MC_OK) != (x != NULL))
		abort();
	if (x) {
		char *c1 = rebuild(x);
		if (c1) {
			if (mc_credential_validate(c1, strlen(c1), NULL, NULL) != MC_OK)
				abort();
			char *x2 = NULL;
			if (mc_credential_extract(c1, strlen(c1), &x2, NULL) != MC_OK)
				abort();
			char *c2 = rebuild(x2);
			if (!c2 || strcmp(c1, c2) != 0)
				abort();
			mc_free(c2);
			mc_free(x2);
		}
		mc_free(c1);
	}
	mc_free(x);
	return 0;
}
