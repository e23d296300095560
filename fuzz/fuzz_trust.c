/*
 * fuzz_trust.c - libFuzzer target for the trust parsers: the first byte
 * picks the parser (register JSON, register CSV, pathway, recognition
 * policy, catalogue feed, offer). Inputs are capped at 64 KiB. A register
 * that parses must export to JSON and CSV and parse back to the same JSON;
 * a pathway that parses must evaluate over no credentials; nothing may leak
 * and a failure must fill the error.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/trust.h"

#define FUZZ_MAX (64u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void register_round_trip(const mc_register *reg)
{
	char *j1 = NULL, *csv = NULL, *j2 = NULL;
	mc_register back;
	assert(mc_register_to_json(reg, &j1, NULL) == MC_OK);
	assert(mc_register_to_csv(reg, &csv, NULL) == MC_OK);
	assert(mc_register_parse_csv(csv, strlen(csv), &back, NULL) == MC_OK);
	assert(mc_register_to_json(&back, &j2, NULL) == MC_OK);
	assert(strcmp(j1, j2) == 0);
	mc_register_clear(&back);
	mc_free(j1), mc_free(csv), mc_free(j2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	if (!inited) {
		if (mc_init() != MC_OK)
			abort();
		inited = 1;
	}
	if (size < 1 || size > FUZZ_MAX)
		return 0;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	mc_err e = {0};
	mc_status st;
	switch (data[0] % 6) {
	case 0:
	case 1: {
		mc_register reg;
		st = data[0] % 6 == 0 ? mc_register_parse_json(in, n, &reg, &e) : mc_register_parse_csv(in, n, &reg, &e);
		if (st == MC_OK) {
			register_round_trip(&reg);
			mc_register_check_result r;
			mc_register_check(&reg, reg.nproviders ? reg.providers[0].id : "did:x:y", 1700000000, "0688", &r);
		} else {
			assert(reg.providers == NULL && e.status == st);
		}
		mc_register_clear(&reg);
		break;
	}
	case 2: {
		mc_pathway *p = NULL;
		st = mc_pathway_parse(in, n, &p, &e);
		assert((st == MC_OK) == (p != NULL));
		if (p) {
			mc_pathway_result r;
			assert(mc_pathway_eval(p, NULL, 0, 1700000000, 1, &r, NULL) == MC_OK);
			assert(!r.done || r.progress == 1.0);
			mc_pathway_result_clear(&r);
		} else {
			assert(e.status == st);
		}
		mc_pathway_free(p);
		break;
	}
	case 3: {
		mc_recognition_policy *p = NULL;
		st = mc_recognition_policy_parse(in, n, &p, &e);
		assert((st == MC_OK) == (p != NULL));
		assert(st == MC_OK || e.status == st);
		mc_recognition_policy_free(p);
		break;
	}
	case 4: {
		mc_offer *v = NULL;
		size_t cnt = 0;
		st = mc_catalogue_feed_parse(in, n, &v, &cnt, &e);
		assert(st == MC_OK || (v == NULL && cnt == 0 && e.status == st));
		mc_offer_list_free(v, cnt);
		break;
	}
	default: {
		mc_offer o;
		st = mc_offer_parse(in, n, &o, &e);
		assert(st == MC_OK || (o.id == NULL && e.status == st));
		mc_offer_clear(&o);
		break;
	}
	}
	return 0;
}
