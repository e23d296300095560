/*
 * fuzz_multibase.c - libFuzzer target for the untrusted-text decoders of the
 * crypto module: multibase base58btc, Multikey, did:key resolution, did:web
 * domain validation and key files (public part and full open with a fixed
 * passphrase).
 * Invariants checked: nothing crashes or leaks; an error is reported in
 * mc_err exactly when a call fails; base58btc and Multikey decoding are
 * exact inverses of encoding; a key file that opens yields the public key
 * that mc_keyfile_public reads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcred/mcred.h"

/* Inputs beyond this only make runs slower, not deeper. */
#define FUZZ_MAX_INPUT 65536
/* Key files asking for more Argon2id work than this are only checked up
 * to decryption: honouring them (up to the library's 1 GiB cap) would make
 * each run take seconds and starve the fuzzer. Tests cover the cap. */
#define FUZZ_MAX_MEMLIMIT 65536.0
#define FUZZ_MAX_OPSLIMIT 2.0

static const char fuzz_pass[] = "fuzz";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_err(mc_status st, const mc_err *e)
{
	if ((st == MC_OK) != (e->status == MC_OK))
		abort();
}

/* Decode, and when it succeeds re-encode: base58btc is a bijection, so the
 * text must come back byte for byte. */
static void fuzz_multibase(const char *buf, size_t size)
{
	uint8_t out[256];
	size_t n = 0;
	mc_err e = {0};
	mc_status st = mc_multibase_decode(buf, size, out, sizeof out, &n, &e);
	check_err(st, &e);
	if (st != MC_OK)
		return;
	if (n > sizeof out)
		abort();
	char enc[512];
	if (mc_multibase_encode(out, n, enc, sizeof enc) != MC_OK || strlen(enc) != size ||
	    memcmp(enc, buf, size) != 0)
		abort();
}

/* The NUL-terminated APIs see the input up to its first NUL. */
static void fuzz_strings(const char *str)
{
	uint8_t pk[MC_ED25519_PK_BYTES] = {0};
	mc_err e = {0};
	mc_status st = mc_multikey_decode(str, pk, &e);
	check_err(st, &e);
	if (st == MC_OK) {
		char mk[MC_MULTIKEY_MAX];
		if (mc_multikey_encode(pk, mk) != MC_OK || strcmp(mk, str) != 0)
			abort();
	}
	e = (mc_err){0};
	check_err(mc_did_key_resolve_vm(str, pk, &e), &e);
	e = (mc_err){0};
	char *doc = NULL;
	st = mc_did_web_document(str, pk, &doc, &e);
	check_err(st, &e);
	if ((st == MC_OK) != (doc != NULL))
		abort();
	mc_free(doc);
	e = (mc_err){0};
	doc = NULL;
	st = mc_did_key_document(str, &doc, &e);
	check_err(st, &e);
	mc_free(doc);
}

/* Whether the key file asks for little enough Argon2id work to open. */
static int cheap_kdf(const char *buf, size_t size)
{
	cJSON *root = cJSON_ParseWithLength(buf, size);
	const cJSON *kdf = cJSON_GetObjectItemCaseSensitive(root, "kdf");
	const cJSON *ops = cJSON_GetObjectItemCaseSensitive(kdf, "opslimit");
	const cJSON *mem = cJSON_GetObjectItemCaseSensitive(kdf, "memlimit");
	int ok = cJSON_IsNumber(ops) && cJSON_IsNumber(mem) && ops->valuedouble <= FUZZ_MAX_OPSLIMIT &&
	         mem->valuedouble <= FUZZ_MAX_MEMLIMIT;
	cJSON_Delete(root);
	return ok;
}

static void fuzz_keyfile(const char *buf, size_t size)
{
	uint8_t pk[MC_ED25519_PK_BYTES];
	mc_err e = {0};
	mc_status st = mc_keyfile_public(buf, size, pk, &e);
	check_err(st, &e);
	if (st != MC_OK || !cheap_kdf(buf, size))
		return;
	mc_keypair kp;
	e = (mc_err){0};
	st = mc_keyfile_open(buf, size, fuzz_pass, strlen(fuzz_pass), &kp, &e);
	check_err(st, &e);
	if (st == MC_OK) {
		if (memcmp(kp.pk, pk, sizeof pk) != 0)
			abort();
		mc_keypair_wipe(&kp);
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
	const char *buf = (const char *)data;
	fuzz_multibase(buf, size);
	char *str = malloc(size + 1);
	if (!str)
		return 0;
	memcpy(str, buf, size);
	str[size] = '\0';
	fuzz_strings(str);
	free(str);
	fuzz_keyfile(buf, size);
	return 0;
}
