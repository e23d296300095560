/*
 * bench_sign_verify.c - credentials signed and verified per second with
 * eddsa-jcs-2022 (and, for comparison, eddsa-rdfc-2022 and ecdsa-rdfc-2019)
 * on one core, next to raw libsodium Ed25519 sign/verify
 * measured in the same run, as a ratio. Also the JSON parsers on the same
 * document (the parser choice is the largest cost after Ed25519 itself).
 *
 *   make bench                      (BENCH_SECONDS=2 per measurement)
 *   BENCH_SECONDS=0.05 build/bench/bench_sign_verify   (smoke run in tests)
 *
 * Pinned to CPU 0 so the figures are single-core.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <sched.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "mcred/mcred.h"

#include "bench.h"

static double budget = 2.0;

/* Run fn repeatedly for `budget` seconds; return operations per second. */
#define RATE(var, ...)                                           \
	do {                                                         \
		double t0 = now_s(), t;                                  \
		long n = 0;                                              \
		do {                                                     \
			for (int k_ = 0; k_ < 64; k_++) {                    \
				__VA_ARGS__;                                          \
			}                                                    \
			n += 64;                                             \
			t = now_s() - t0;                                    \
		} while (t < budget);                                    \
		var = (double)n / t;                                     \
	} while (0)

/* Measure an operation and a raw Ed25519 baseline in alternating slices
 * (20 of each within `budget`), so that both see the same machine: a ratio
 * from two separate windows swings by 10% when another process wakes up. */
#define PAIRED(var, rawvar, rawbody, ...)                          \
	do {                                                           \
		double to_ = 0, tr_ = 0;                                   \
		long no_ = 0, nr_ = 0;                                     \
		for (int r_ = 0; r_ < 20; r_++) {                          \
			double t0_ = now_s(), t_;                              \
			do {                                                   \
				for (int k_ = 0; k_ < 16; k_++) {                  \
					__VA_ARGS__;                                   \
				}                                                  \
				no_ += 16;                                         \
				t_ = now_s() - t0_;                                \
			} while (t_ < budget / 40);                            \
			to_ += t_;                                             \
			t0_ = now_s();                                         \
			do {                                                   \
				for (int k_ = 0; k_ < 16; k_++) {                  \
					rawbody;                                       \
				}                                                  \
				nr_ += 16;                                         \
				t_ = now_s() - t0_;                                \
			} while (t_ < budget / 40);                            \
			tr_ += t_;                                             \
		}                                                          \
		var = (double)no_ / to_;                                   \
		rawvar = (double)nr_ / tr_;                                \
	} while (0)

/* the raw baseline: one Ed25519 signature/verification of a 64-byte message */
static uint8_t raw_msg[64], raw_sig[64];
static mc_keypair raw_kp;
#define RAW_SIGN crypto_sign_ed25519_detached(raw_sig, NULL, raw_msg, sizeof raw_msg, raw_kp.sk)
#define RAW_VERIFY sink += crypto_sign_ed25519_verify_detached(raw_sig, raw_msg, sizeof raw_msg, raw_kp.pk)

/* Measure one input set; print its rows. Returns 0 on success. */
static int run_set(const char *ex, double raw_sign, double raw_verify, const mc_keypair *kp)
{
	char p[512];
	size_t al, il, ll;
	snprintf(p, sizeof p, "%s/achievement.json", ex);
	char *a = slurp(p, &al);
	snprintf(p, sizeof p, "%s/issuer.json", ex);
	char *i = slurp(p, &il);
	snprintf(p, sizeof p, "%s/learner.json", ex);
	char *l = slurp(p, &ll);
	char did[MC_DID_KEY_MAX];
	if (mc_did_key_from_pk(kp->pk, did))
		return 1;
	mc_build_opts bo = {.issuer_id = did, .valid_from = "2025-01-01T00:00:00Z"};
	char *cred = NULL, *signed_cred = NULL, *diddoc = NULL;
	mc_err err = {0};
	if (mc_credential_build(a, al, i, il, l, ll, &bo, &cred, &err) != MC_OK) {
		fprintf(stderr, "bench: build failed: %s at %s\n", err.msg, err.path);
		return 1;
	}
	mc_proof_opts po = {.created = "2025-01-01T00:00:00Z", .flags = MC_PROOF_COMPACT};
	if (mc_proof_add(cred, strlen(cred), kp, &po, &signed_cred, &err) != MC_OK)
		return 1;
	size_t cl = strlen(cred), sl = strlen(signed_cred);
	/* a did:web issuer (examples/) is verified with its DID document, offline */
	if (mc_did_web_document("www.uni-graz.example", kp->pk, &diddoc, NULL) != MC_OK)
		return 1;
	mc_verify_opts full = {.did_documents = diddoc, .did_documents_len = strlen(diddoc)};
	mc_report *rep = NULL;
	if (mc_verify(signed_cred, sl, &full, &rep, NULL) != MC_OK) {
		fprintf(stderr, "bench: the benchmark credential from %s does not verify\n", ex);
		return 1;
	}
	mc_report_free(rep);
	mc_doc *doc = NULL;
	if (mc_doc_parse(cred, cl, &doc, NULL) != MC_OK)
		return 1;
	volatile int sink = 0;
	double issue, doc_sign, cred_sign, cred_verify, proof_verify, parse_strict, parse_cjson, parse_jansson;
	RATE(issue, {
		mc_doc *d = NULL;
		char *o = NULL;
		sink += mc_credential_build_doc(a, al, i, il, l, ll, &bo, &d, NULL);
		sink += mc_doc_sign(d, kp, &po, NULL);
		sink += mc_doc_serialize(d, MC_DOC_CANONICAL, &o, NULL);
		mc_free(o);
		mc_doc_free(d);
	});
	double rs_doc, rs_text, rv_all, rv_proof;
	PAIRED(doc_sign, rs_doc, RAW_SIGN, {
		/* the signed canonical text is what an issuer stores or sends;
		 * borrowing it costs no copy (mc_doc_canonical_text) */
		size_t olen = 0;
		sink += mc_doc_sign(doc, kp, &po, NULL);
		const char *o = mc_doc_canonical_text(doc, &olen);
		sink += !o || o[olen - 1] != '}';
		mc_doc_strip_proof(doc);
	});
	PAIRED(cred_sign, rs_text, RAW_SIGN, {
		char *o = NULL;
		sink += mc_proof_add(cred, cl, kp, &po, &o, NULL);
		mc_free(o);
	});
	PAIRED(cred_verify, rv_all, RAW_VERIFY, {
		mc_report *r = NULL;
		sink += mc_verify(signed_cred, sl, &full, &r, NULL);
		mc_report_free(r);
	});
	mc_verify_opts proof_only = full;
	proof_only.flags = MC_VERIFY_PROOF_ONLY;
	PAIRED(proof_verify, rv_proof, RAW_VERIFY, {
		mc_report *r = NULL;
		sink += mc_verify(signed_cred, sl, &proof_only, &r, NULL);
		mc_report_free(r);
	});
	RATE(parse_strict, sink += mc_json_check(signed_cred, sl, NULL));
	RATE(parse_cjson, cJSON_Delete(cJSON_ParseWithLength(signed_cred, sl)));
	RATE(parse_jansson, {
		json_error_t je;
		json_decref(json_loadb(signed_cred, sl, JSON_REJECT_DUPLICATES, &je));
	});
	printf("\n  credential: EU micro-credential from %s/, %zu bytes signed (compact)\n", ex, sl);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw sign (%.0f/s alongside; target >= 70%%)\n",
	       "sign credential (JCS+SHA-256+Ed25519, text out)", doc_sign, 100 * doc_sign / rs_doc, rs_doc);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw sign (%.0f/s alongside)\n", "sign from text (+ strict parse)", cred_sign,
	       100 * cred_sign / rs_text, rs_text);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw sign\n", "issue (parse 3 inputs, validate, build, sign)", issue,
	       100 * issue / raw_sign);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw verify (%.0f/s alongside; target >= 70%%)\n", "verify, all checks",
	       cred_verify, 100 * cred_verify / rv_all, rv_all);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw verify (%.0f/s alongside)\n", "verify, proof only", proof_verify,
	       100 * proof_verify / rv_proof, rv_proof);
	printf("  %-46s %9.0f /s\n", "JSON strict check (scanner + cJSON tree)", parse_strict);
	printf("  %-46s %9.0f /s\n", "JSON cJSON alone (lenient)", parse_cjson);
	printf("  %-46s %9.0f /s  (cJSON/Jansson = %.1fx)\n", "JSON Jansson (REJECT_DUPLICATES)", parse_jansson,
	       parse_cjson / parse_jansson);
	/* the RDF suites: JSON-LD toRdf + RDFC-1.0 dominate, not the signature */
	mc_proof_opts pr = po;
	pr.cryptosuite = MC_SUITE_EDDSA_RDFC;
	char *rdfc_cred = NULL;
	if (mc_proof_add(cred, cl, kp, &pr, &rdfc_cred, &err) != MC_OK) {
		fprintf(stderr, "bench: rdfc signing failed: %s\n", err.msg);
		return 1;
	}
	size_t rl = strlen(rdfc_cred);
	double rdfc_sign, rdfc_verify, rdfc_proof, rdfc_rs, rdfc_rv, rdfc_rp;
	PAIRED(rdfc_sign, rdfc_rs, RAW_SIGN, {
		sink += mc_doc_sign(doc, kp, &pr, NULL);
		mc_doc_strip_proof(doc);
	});
	PAIRED(rdfc_verify, rdfc_rv, RAW_VERIFY, {
		mc_report *r = NULL;
		sink += mc_verify(rdfc_cred, rl, &full, &r, NULL);
		mc_report_free(r);
	});
	PAIRED(rdfc_proof, rdfc_rp, RAW_VERIFY, {
		mc_report *r = NULL;
		sink += mc_verify(rdfc_cred, rl, &proof_only, &r, NULL);
		mc_report_free(r);
	});
	mc_key pk;
	memset(&pk, 0, sizeof pk);
	pk.alg = MC_KEY_P256;
	char *ecdsa_cred = NULL;
	mc_proof_opts pe = po;
	pe.cryptosuite = MC_SUITE_ECDSA_RDFC;
	mc_public_key ppub;
	char pvm[MC_VM_ID_MAX];
	if (mc_p256_keypair_generate(&pk.p256, NULL) != MC_OK)
		return 1;
	mc_key_public(&pk, &ppub);
	if (mc_public_key_vm(&ppub, pvm) != MC_OK)
		return 1;
	pe.verification_method = pvm; /* the did:web issuer's document lists the Ed25519 key only */
	if (
	    mc_proof_add_key(cred, cl, &pk, &pe, &ecdsa_cred, &err) != MC_OK)
		return 1;
	size_t el = strlen(ecdsa_cred);
	double ecdsa_sign, ecdsa_proof;
	RATE(ecdsa_sign, {
		sink += mc_doc_sign_key(doc, &pk, &pe, NULL);
		mc_doc_strip_proof(doc);
	});
	RATE(ecdsa_proof, {
		mc_report *r = NULL;
		sink += mc_verify(ecdsa_cred, el, &proof_only, &r, NULL);
		mc_report_free(r);
	});
	printf("  eddsa-rdfc-2022 (%zu bytes signed):\n", rl);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw sign (%.0f/s alongside)\n", "sign credential (toRdf+RDFC+Ed25519)",
	       rdfc_sign, 100 * rdfc_sign / rdfc_rs, rdfc_rs);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw verify (%.0f/s alongside)\n", "verify, all checks", rdfc_verify,
	       100 * rdfc_verify / rdfc_rv, rdfc_rv);
	printf("  %-46s %9.0f /s  = %5.1f%% of raw verify (%.0f/s alongside)\n", "verify, proof only", rdfc_proof,
	       100 * rdfc_proof / rdfc_rp, rdfc_rp);
	printf("  ecdsa-rdfc-2019 (P-256, OpenSSL):\n");
	printf("  %-46s %9.0f /s\n", "sign credential", ecdsa_sign);
	printf("  %-46s %9.0f /s\n", "verify, proof only", ecdsa_proof);
	mc_key_wipe(&pk);
	mc_free(ecdsa_cred);
	mc_free(rdfc_cred);
	mc_doc_free(doc);
	mc_free(cred);
	mc_free(signed_cred);
	mc_free(diddoc);
	free(a);
	free(i);
	free(l);
	if (sink)
		fprintf(stderr, "bench: a measured call failed (%d)\n", sink);
	return sink ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *bs = getenv("BENCH_SECONDS");
	if (bs && atof(bs) > 0)
		budget = atof(bs);
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof set, &set);
	if (mc_init() != MC_OK)
		return 1;
	if (argc >= 3 && strcmp(argv[1], "--verify-rate") == 0) {
		/* bench/bench_server.sh: the one-core rate of mc_verify (all
		 * checks) on the very credential the HTTP benchmark posts */
		size_t cl = 0, dl = 0;
		char *cred = slurp(argv[2], &cl), *dd = argc >= 4 ? slurp(argv[3], &dl) : NULL;
		mc_verify_opts o = {.did_documents = dd, .did_documents_len = dl};
		mc_report *r0 = NULL;
		if (mc_verify(cred, cl, &o, &r0, NULL) != MC_OK) {
			fprintf(stderr, "bench: %s does not verify\n", argv[2]);
			return 1;
		}
		mc_report_free(r0);
		double rate;
		volatile int vs = 0;
		RATE(rate, {
			mc_report *r = NULL;
			vs += mc_verify(cred, cl, &o, &r, NULL);
			mc_report_free(r);
		});
		printf("verify_rate %.0f\n", rate);
		free(cred);
		free(dd);
		return vs != 0;
	}
	mc_keypair kp;
	if (mc_keypair_generate(&kp, NULL))
		return 1;
	raw_kp = kp;
	uint8_t msg[64], sig[64];
	randombytes_buf(msg, sizeof msg);
	crypto_sign_ed25519_detached(sig, NULL, msg, sizeof msg, kp.sk);
	memcpy(raw_msg, msg, sizeof msg);
	memcpy(raw_sig, sig, sizeof sig);
	volatile int sink = 0;
	double raw_sign, raw_verify;
	RATE(raw_sign, crypto_sign_ed25519_detached(sig, NULL, msg, sizeof msg, kp.sk));
	RATE(raw_verify, sink += crypto_sign_ed25519_verify_detached(sig, msg, sizeof msg, kp.pk));
	printf("bench_sign_verify: eddsa-jcs-2022, one core (pinned to CPU 0), %.2f s per figure, %ld cores online\n"
	       "  ratios compare with raw Ed25519 measured in alternating slices of the same window\n",
	       budget, sysconf(_SC_NPROCESSORS_ONLN));
	printf("  %-46s %9.0f /s\n", "raw Ed25519 sign (libsodium, 64-byte message)", raw_sign);
	printf("  %-46s %9.0f /s\n", "raw Ed25519 verify (libsodium)", raw_verify);
	int rc = 0;
	const char *sets[] = {"bench/data", "examples"};
	for (int k = 1; k < argc; k++)
		rc |= run_set(argv[k], raw_sign, raw_verify, &kp);
	for (size_t k = 0; argc == 1 && k < sizeof sets / sizeof *sets; k++)
		rc |= run_set(sets[k], raw_sign, raw_verify, &kp);
	mc_keypair_wipe(&kp);
	return rc || sink;
}
