/*
 * fuzz_qa.c - libFuzzer target for the QA parsers: questionnaires,
 * responses (against a questionnaire), provider configurations, and the
 * canvas renderers on a maturity view. The first byte picks the parser;
 * for responses the input is "questionnaire NUL response" (without a NUL,
 * the input is answered against the shipped learner questionnaire).
 * Invariants: nothing crashes or leaks; a failure fills err with the same
 * status and a path; a questionnaire that passes makes an empty response
 * either pass or miss a required answer; a rendered canvas is exactly one
 * <svg> document.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/mcred.h"

/* The parsers bound what they read (MC_QA_QUESTIONS_MAX, MC_JSON_MAX_*);
 * longer inputs make runs slower without reaching new code. */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(mc_status st, const mc_err *e)
{
	assert(st == MC_OK ? e->status == MC_OK : e->status == st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (mc_init() != MC_OK)
			abort();
		ready = 1;
	}
	if (size < 1 || size > FUZZ_MAX_INPUT)
		return 0;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	mc_err e = {0};
	mc_status st;
	switch (data[0] % 4) {
	case 0:
		st = mc_qa_questionnaire_check(in, n, &e);
		same(st, &e);
		if (st == MC_OK) {
			mc_err r = {0};
			mc_status rs = mc_qa_response_check(in, n, "{\"answers\":{}}", 14, &r);
			assert(rs == MC_OK || rs == MC_ERR_MISSING);
			same(rs, &r);
		}
		break;
	case 1: {
		const char *nul = memchr(in, '\0', n);
		const char *q = nul ? in : mc_qa_questionnaire_default("learner");
		size_t ql = nul ? (size_t)(nul - in) : strlen(q);
		const char *r = nul ? nul + 1 : in;
		size_t rl = nul ? n - ql - 1 : n;
		st = mc_qa_response_check(q, ql, r, rl, &e);
		same(st, &e);
		break;
	}
	case 2:
		st = mc_qa_config_check(in, n, &e);
		same(st, &e);
		break;
	default: {
		char *svg = NULL;
		st = mc_qa_maturity_svg(in, n, &svg, &e);
		same(st, &e);
		assert((st == MC_OK) == (svg != NULL));
		if (svg) {
			assert(strncmp(svg, "<svg ", 5) == 0);
			assert(strstr(svg, "</svg>") == svg + strlen(svg) - 6);
		}
		mc_free(svg);
		char *html = NULL;
		mc_err he = {0};
		st = mc_qa_maturity_html(in, n, &html, &he);
		same(st, &he);
		mc_free(html);
	}
	}
	return 0;
}
