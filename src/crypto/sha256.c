/*
 * sha256.c - SHA-256 through OpenSSL 3.
 *
 * EVP_sha256() hands out a legacy "implicit fetch" method, so every
 * EVP_DigestInit on it looks the provider implementation up again (a
 * locked hash-table walk). Signing and verifying hash two ~2 KB inputs each,
 * where that lookup is a visible share of the cost, so the implementation is
 * fetched once with EVP_MD_fetch and kept for the life of the process.
 */
#include <pthread.h>

#include <openssl/evp.h>

#include "internal.h"

static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
/* Written once under pthread_once, read-only afterwards; never freed on
 * purpose (the process keeps using it until exit). */
static EVP_MD *sha256_md;

/* Frees a thread's digest context when the thread ends (bulk issuance
 * signs on worker threads that come and go). */
static pthread_key_t ctx_key;
static int ctx_key_ok;

static void ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	ctx_key_ok = pthread_key_create(&ctx_key, ctx_free) == 0;
}

mc_status mc_sha256(const void *data, size_t len, uint8_t out[MC_SHA256_BYTES])
{
	static const unsigned char empty[1];
	if (!out || (!data && len))
		return MC_ERR_ARG;
	if (pthread_once(&sha256_once, sha256_fetch) != 0 || !sha256_md)
		return MC_ERR_CRYPTO;
	/* One context per thread, reused: EVP_Digest would allocate and free a
	 * context on every call, and signing hashes twice per credential. It is
	 * released when the thread ends (ctx_key's destructor; the main
	 * thread's lives until exit, a few hundred bytes, by design). */
	static _Thread_local EVP_MD_CTX *ctx;
	if (!ctx) {
		if (!ctx_key_ok || !(ctx = EVP_MD_CTX_new()))
			return MC_ERR_NOMEM;
		if (pthread_setspecific(ctx_key, ctx) != 0) {
			EVP_MD_CTX_free(ctx);
			ctx = NULL;
			return MC_ERR_NOMEM;
		}
	}
	unsigned int n = 0;
	if (EVP_DigestInit_ex2(ctx, sha256_md, NULL) != 1 || EVP_DigestUpdate(ctx, data ? data : empty, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != MC_SHA256_BYTES)
		return MC_ERR_CRYPTO;
	return MC_OK;
}
