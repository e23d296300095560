/*
 * mcred.h - public interface of libmcred, the micro-credential library.
 *
 * This header is the manual. Conventions that hold for every function here:
 *
 *  - Names: mc_ is public, mc__ internal (never in include/). module_verb.
 *  - Status: every fallible call returns an mc_status. MC_OK is 0. The enum is
 *    append-only: new codes go last, none is ever renumbered or removed.
 *  - Errors: callers pass an mc_err they own (may be NULL). The library fills
 *    it on the FIRST failure only and never touches it on success, so a
 *    sequence of calls can share one mc_err and report the first problem.
 *    err->path names the offending field as a JSON path ("$.proof.created")
 *    or, for non-JSON inputs, the argument name.
 *  - Memory: strings the library returns through `char **out` are allocated
 *    with malloc and are owned by the caller, who frees them with mc_free().
 *    Opaque handles (mc_report, ...) are created and destroyed by the library.
 *    Fixed-size values (keys) are caller-allocated structs without pointers.
 *  - The library never prints, never exits and never reads the environment
 *    except where a function says so.
 *  - Inputs are untrusted: every JSON input is parsed strictly (see
 *    mc_json_check) under the limits in <mcred/limits.h>.
 */
#ifndef MCRED_H
#define MCRED_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MC_API __attribute__((visibility("default")))
#define MC_NODISCARD __attribute__((warn_unused_result))
#else
#define MC_API
#define MC_NODISCARD
#endif

#define MC_VERSION "0.1.0"

/* Status codes. Append only. */
typedef enum mc_status {
	MC_OK = 0,
	MC_ERR_NOMEM = 1,          /* allocation failed */
	MC_ERR_ARG = 2,            /* caller passed an invalid argument */
	MC_ERR_JSON_SYNTAX = 3,    /* input is not JSON */
	MC_ERR_JSON_LIMIT = 4,     /* input exceeds a size or depth limit */
	MC_ERR_JSON_DUPKEY = 5,    /* an object repeats a key */
	MC_ERR_JSON_ENCODING = 6,  /* invalid UTF-8, lone surrogate, NUL, raw control char */
	MC_ERR_TYPE = 7,           /* a field has the wrong JSON type */
	MC_ERR_MISSING = 8,        /* a required field is absent */
	MC_ERR_VALUE = 9,          /* a field has an invalid value */
	MC_ERR_CRYPTO = 10,        /* the crypto library failed (not a bad signature) */
	MC_ERR_SIGNATURE = 11,     /* a signature does not verify */
	MC_ERR_KEY = 12,           /* a key or key file is malformed */
	MC_ERR_PASSPHRASE = 13,    /* wrong passphrase, or key file tampered */
	MC_ERR_UNSUPPORTED = 14,   /* unknown cryptosuite, DID method, version */
	MC_ERR_IO = 15,            /* reading or writing a file failed */
	MC_ERR_TOO_LARGE = 16,     /* an output buffer would exceed its ceiling */
	MC_ERR_INVALID = 17,       /* a credential failed verification or validation */
	MC_ERR_INTERNAL = 18       /* a bug in libmcred: please report */
} mc_status;

/* Human-readable, static, never NULL. */
MC_API const char *mc_strerror(mc_status st);

#define MC_ERR_PATH_MAX 256
#define MC_ERR_MSG_MAX 512

/* Caller-owned error detail. Zero-initialise it (mc_err e = {0};). */
typedef struct mc_err {
	/* first failure's status; MC_OK while nothing failed */
	mc_status status;
	/* JSON path or argument name of the bad field, "" if none applies */
	char path[MC_ERR_PATH_MAX];
	/* one sentence, no trailing newline */
	char msg[MC_ERR_MSG_MAX];
} mc_err;

/* Free anything the library returned through a `char **` or `uint8_t **`. */
MC_API void mc_free(void *p);

/* Call once before anything else (initialises libsodium). Thread-safe,
 * idempotent. Returns MC_ERR_CRYPTO if the crypto library cannot start. */
MC_API MC_NODISCARD mc_status mc_init(void);

/* What a status list entry says about a credential (W3C Bitstring Status
 * List v1.0 statusPurpose); shared by store.h and status.h. */
typedef enum mc_status_purpose {
	MC_PURPOSE_REVOCATION = 0,
	MC_PURPOSE_SUSPENSION = 1
} mc_status_purpose;

/* Parse an XML Schema dateTime with a zone ("2024-05-31T12:00:00Z",
 * "...+02:00", optional fraction) to unix seconds. MC_ERR_VALUE if it is
 * anything else; dates without a zone are refused as ambiguous. */
MC_API MC_NODISCARD mc_status mc_datetime_parse(const char *s, int64_t *unix_seconds);

#ifdef __cplusplus
}
#endif

#include "mcred/json.h"
#include "mcred/crypto.h"
#include "mcred/vc.h"
#include "mcred/model.h"
#include "mcred/rdf.h"
#include "mcred/jsonld.h"
#include "mcred/store.h"
#include "mcred/bulk.h"
#include "mcred/status.h"
#include "mcred/issuer.h"
#include "mcred/qa.h"
#include "mcred/trust.h"

#endif /* MCRED_H */
