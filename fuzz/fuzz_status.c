/*
 * fuzz_status.c - libFuzzer target for the Bitstring Status List decoders:
 * the first byte picks the input kind (even: an encodedList string; odd: a
 * BitstringStatusListCredential, then a credential checked against it).
 * Inputs are capped at 64 KiB; a decoded list must re-encode and decode to
 * the same bytes, and nothing may leak.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/status.h"

#define FUZZ_MAX (64u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const mc_statuslist *l)
{
	char *enc = NULL;
	mc_statuslist *m = NULL;
	assert(mc_statuslist_encode(l, &enc, NULL) == MC_OK);
	assert(mc_statuslist_decode(enc, strlen(enc), &m, NULL) == MC_OK);
	size_t a, b;
	const uint8_t *pa = mc_statuslist_bytes(l, &a), *pb = mc_statuslist_bytes(m, &b);
	assert(a == b && memcmp(pa, pb, a) == 0);
	mc_free(enc);
	mc_statuslist_free(m);
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
	if ((data[0] & 1) == 0) {
		mc_statuslist *l = NULL;
		mc_err e = {0};
		mc_status st = mc_statuslist_decode(in, n, &l, &e);
		assert((st == MC_OK) == (l != NULL));
		assert(st == MC_OK || e.status == st);
		if (l) {
			uint64_t bits = mc_statuslist_size(l);
			int v;
			assert(mc_statuslist_get(l, bits - 1, &v, NULL) == MC_OK);
			assert(mc_statuslist_get(l, bits, &v, NULL) == MC_ERR_VALUE);
			round_trip(l);
		}
		mc_statuslist_free(l);
		return 0;
	}
	/* a list credential, optionally followed by NUL and a credential */
	const char *nul = memchr(in, '\0', n);
	size_t ln = nul ? (size_t)(nul - in) : n;
	mc_status_lists *s = NULL;
	if (mc_status_lists_new(&s, NULL) != MC_OK)
		abort();
	mc_err e = {0};
	mc_status st = mc_status_lists_add(s, in, ln, NULL, &e);
	assert(st == MC_OK || e.status == st);
	if (nul) {
		mc_status_result r[MC_STATUS_MAX_ENTRIES];
		size_t cnt = 0;
		mc_err ce = {0};
		st = mc_status_check(s, nul + 1, n - ln - 1, 1750000000, r, MC_STATUS_MAX_ENTRIES, &cnt, &ce);
		assert(cnt <= MC_STATUS_MAX_ENTRIES);
		for (size_t i = 0; i < cnt; i++)
			assert(r[i].code != MC_OK || r[i].set == 0 || r[i].set == 1);
	}
	mc_status_lists_free(s);
	return 0;
}
