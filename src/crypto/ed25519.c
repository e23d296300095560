/*
 * ed25519.c - Ed25519 key pairs, signing and strict verification.
 *
 * Everything is delegated to libsodium's crypto_sign_ed25519_*: it is
 * deterministic RFC 8032 signing, and its verifier (1.0.18+, without
 * ED25519_COMPAT) is the strict policy documented in crypto.h: S must be
 * canonical, A and R must not be small-order points, A must be a canonical
 * encoding, and R is compared byte for byte with the recomputed (canonical)
 * encoding, so a non-canonical R never verifies.
 */
#include <string.h>

#include <sodium.h>

#include "internal.h"

/* Stand-in for a NULL message of length 0: libsodium hashes msg with
 * memcpy-like code, and passing NULL there is undefined behaviour. */
static const uint8_t empty_msg[1];

mc_status mc_keypair_generate(mc_keypair *kp, mc_err *err)
{
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	if (crypto_sign_ed25519_keypair(kp->pk, kp->sk) != 0) {
		mc_keypair_wipe(kp);
		return mc__fail(err, MC_ERR_CRYPTO, "kp", "libsodium could not generate an Ed25519 key");
	}
	return MC_OK;
}

mc_status mc_keypair_from_seed(mc_keypair *kp, const uint8_t seed[MC_ED25519_SEED_BYTES], mc_err *err)
{
	if (!kp)
		return mc__fail(err, MC_ERR_ARG, "kp", "key pair pointer is NULL");
	if (!seed)
		return mc__fail(err, MC_ERR_ARG, "seed", "seed pointer is NULL");
	if (crypto_sign_ed25519_seed_keypair(kp->pk, kp->sk, seed) != 0) {
		mc_keypair_wipe(kp);
		return mc__fail(err, MC_ERR_CRYPTO, "seed", "libsodium could not derive an Ed25519 key");
	}
	return MC_OK;
}

void mc_keypair_wipe(mc_keypair *kp)
{
	if (kp)
		sodium_memzero(kp, sizeof *kp);
}

mc_status mc_ed25519_sign(const mc_keypair *kp, const uint8_t *msg, size_t len, uint8_t sig[MC_ED25519_SIG_BYTES])
{
	if (!kp || !sig || (!msg && len))
		return MC_ERR_ARG;
	/* libsodium signs with the public key stored in sk[32..64], not kp->pk.
	 * If the two ever disagree (a hand-built or corrupted struct), signing
	 * would publish signatures under a wrong A with the same nonce, which
	 * leaks the secret scalar; refuse instead. */
	if (sodium_memcmp(kp->pk, kp->sk + MC_ED25519_SEED_BYTES, MC_ED25519_PK_BYTES) != 0)
		return MC_ERR_KEY;
	if (crypto_sign_ed25519_detached(sig, NULL, msg ? msg : empty_msg, (unsigned long long)len, kp->sk) != 0)
		return MC_ERR_CRYPTO;
	return MC_OK;
}

mc_status mc_ed25519_verify(const uint8_t pk[MC_ED25519_PK_BYTES], const uint8_t *msg, size_t len,
                            const uint8_t sig[MC_ED25519_SIG_BYTES])
{
	if (!pk || !sig || (!msg && len))
		return MC_ERR_ARG;
	if (crypto_sign_ed25519_verify_detached(sig, msg ? msg : empty_msg, (unsigned long long)len, pk) != 0)
		return MC_ERR_SIGNATURE;
	return MC_OK;
}
