/*
 * limits.h - every ceiling libmcred enforces on untrusted input, with the
 * reason beside it. Test builds (MC_TEST_BUILD) do not change these; tests
 * reach them with generated input instead, which keeps the shipped values
 * the tested ones.
 */
#ifndef MCRED_LIMITS_H
#define MCRED_LIMITS_H

/* Largest JSON document accepted anywhere (credential, template, learner,
 * key file). A typical micro-credential is 2-5 KB; an Open Badge may embed
 * a data: URI image of a few hundred KB. 4 MiB leaves room for that and for
 * long multilingual learning-outcome lists while bounding memory per request. */
#define MC_JSON_MAX_BYTES (4u * 1024u * 1024u)

/* Deepest nesting of arrays/objects. Credentials nest about 6 levels
 * (credential > subject > achievement > alignment > ...). 64 is generous and
 * keeps recursive walkers far from the stack limit (SQLite's JSON_MAX_DEPTH
 * reasoning: depth is the attack, not breadth). */
#define MC_JSON_MAX_DEPTH 64

/* Longest single string value or key, in bytes. Long enough for a data:
 * URI image, short enough that one field cannot take the whole budget twice. */
#define MC_JSON_MAX_STRING (MC_JSON_MAX_BYTES)

/* Largest canonical (JCS) output we produce. Canonical form is never longer
 * than the input after whitespace removal, except for escapes: \u00XX of a
 * control character grows 1 byte to 6. Twice the input ceiling covers any
 * realistic document; beyond that we fail with MC_ERR_TOO_LARGE. */
#define MC_JCS_MAX_BYTES (2u * MC_JSON_MAX_BYTES)

/* Number of learning outcomes, languages per text, alignments, and other
 * repeated EU elements accepted in one micro-credential. Annex I elements
 * are short lists; 1000 flags generated garbage without limiting real use. */
#define MC_MODEL_MAX_ITEMS 1000

/* Passphrase length for encrypted key files: pwhash accepts more, but a
 * ceiling keeps a mistaken file-as-passphrase from reaching the KDF. */
#define MC_PASSPHRASE_MAX 1024

/* Smallest status list, in bits: W3C Bitstring Status List v1.0 section
 * 6.1 asks for at least 131,072 entries (16 KB) for herd privacy. */
#define MC_STATUS_LIST_MIN_BITS 131072u

#endif /* MCRED_LIMITS_H */
