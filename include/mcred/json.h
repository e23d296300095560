/*
 * json.h - strict JSON checking and RFC 8785 canonicalization.
 *
 * "Strict" means: exactly one RFC 8259 JSON text, at most MC_JSON_MAX_BYTES
 * and MC_JSON_MAX_DEPTH; no duplicate object keys (compared after unescaping);
 * strings are valid UTF-8 with no lone surrogate escapes, no NUL (raw or
 * \u0000) and no raw control characters; numbers follow the JSON grammar
 * exactly (no leading zeros, no "1.", no "+1") and are finite as IEEE 754
 * doubles. Nothing is repaired: the first problem is an error whose path
 * names the place ("$.credentialSubject.name" or "$.type[1]").
 */
#ifndef MCRED_JSON_H
#define MCRED_JSON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Check that buf[0..len) is strict JSON. Returns MC_OK or one of
 * MC_ERR_JSON_SYNTAX, _LIMIT, _DUPKEY, _ENCODING, _NOMEM. */
MC_API MC_NODISCARD mc_status mc_json_check(const char *buf, size_t len, mc_err *err);

/* RFC 8785 JSON Canonicalization Scheme. Parses buf strictly, then writes
 * the canonical UTF-8 bytes to *out (NUL-terminated for convenience; *out_len
 * excludes the NUL). On failure *out is NULL. Caller frees with mc_free. */
MC_API MC_NODISCARD mc_status mc_jcs(const char *buf, size_t len, char **out, size_t *out_len, mc_err *err);

/* Write the shortest ECMAScript Number.prototype.toString form of d
 * (RFC 8785 section 3.2.2.3) into out (at least 32 bytes). Returns
 * MC_ERR_VALUE for NaN and infinities, which JSON cannot carry. */
MC_API MC_NODISCARD mc_status mc_jcs_number(double d, char out[32]);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_JSON_H */
