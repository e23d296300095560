/*
 * rdf_internal.h - the dataset representation shared by the N-Quads parser
 * (nquads.c), the dataset API (dataset.c) and RDFC-1.0 (rdfc.c).
 *
 * Every term is stored once, as its canonical N-Quads text: "<iri>",
 * "_:label" or "\"escaped\"[@lang|^^<dt>]". Canonical text is injective, so
 * two terms are equal exactly when their texts are, and serializing a quad
 * is concatenation. Quads are four term indices; index 0 is the default
 * graph (empty text).
 */
#ifndef MC_RDF_INTERNAL_H
#define MC_RDF_INTERNAL_H

#include "internal.h"
#include "mcred/rdf.h"

/* Term index of the default graph. */
#define MC__RDF_DEFAULT 0u

typedef struct mc__rdf_term {
	/* offset of the canonical text in the dataset's text buffer */
	uint32_t off;
	/* its length in bytes */
	uint32_t len;
	/* keyed hash of the text, for the intern table */
	uint32_t hash;
	/* mc_rdf_kind */
	uint32_t kind;
} mc__rdf_term;

struct mc_rdf_dataset {
	/* canonical texts of all terms, back to back (limit MC_RDF_MAX_TEXT_BYTES) */
	mc__buf text;
	/* terms; [0] is the default graph */
	mc__rdf_term *terms;
	uint32_t nterms, cterms;
	/* intern table: open addressing, power-of-two size, slot = term index + 1 */
	uint32_t *tslot;
	uint32_t tcap;
	/* quads, 4 term indices each (s, p, o, g), in insertion order */
	uint32_t *quads;
	uint32_t nquads, cquads;
	/* quad set: open addressing, slot = quad index + 1 */
	uint32_t *qslot;
	uint32_t qcap;
	/* distinct blank node terms */
	uint32_t nblank;
};

/* Text of term i. */
static inline const char *mc__rdf_text(const mc_rdf_dataset *ds, uint32_t i)
{
	return ds->text.data + ds->terms[i].off;
}

/* Decode one UTF-8 scalar value from p (< end). Returns its length (1-4)
 * and stores it in *cp, or 0 when the bytes are not valid UTF-8 (overlong,
 * surrogate, beyond U+10FFFF, truncated). */
size_t mc__utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp);
/* Append the UTF-8 encoding of scalar value cp. */
void mc__utf8_put(mc__buf *b, uint32_t cp);

/* N-Quads PN_CHARS_U and PN_CHARS character classes. */
int mc__rdf_pn_chars_u(uint32_t c);
int mc__rdf_pn_chars(uint32_t c);

/* Checks on decoded values. Each returns NULL when valid, else a static
 * message fragment saying what is wrong. */
const char *mc__rdf_check_iri(const char *v, size_t n);
/* Only the "absolute IRI" part of mc__rdf_check_iri (a scheme and ':'). */
const char *mc__rdf_check_scheme(const char *v, size_t n);
/* 1 for the characters an IRIREF may not contain: U+0000..U+0020 and
 * <>"{}|^`\ (raw, and here also through \u escapes). */
static inline int mc__rdf_iri_bad(uint32_t c)
{
	return c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' ||
	       c == '`' || c == '\\';
}
const char *mc__rdf_check_label(const char *v, size_t n);
const char *mc__rdf_check_lang(const char *v, size_t n);
const char *mc__rdf_check_utf8(const char *v, size_t n);
/* Datatype IRI (dt NULL: none) and language (NULL: none) of one literal
 * together: rdf:langString needs a language, a language allows no other
 * datatype. */
const char *mc__rdf_check_literal(const char *dt, size_t dtn, const char *lang);

/* Intern a term given by decoded, already-checked parts (literal: value,
 * datatype IRI or NULL, language or NULL). *id receives the term index. */
mc_status mc__rdf_term_iri(mc_rdf_dataset *ds, const char *v, size_t n, uint32_t *id);
/* The same with h = mc__rdf_iri_hash(v, n), known beforehand: the hash key
 * is fixed for the process, so a caller may keep the hash of an IRI it
 * interns again and again. */
mc_status mc__rdf_term_iri_hashed(mc_rdf_dataset *ds, const char *v, size_t n, uint32_t h, uint32_t *id);
uint32_t mc__rdf_iri_hash(const char *v, size_t n);
mc_status mc__rdf_term_blank(mc_rdf_dataset *ds, const char *v, size_t n, uint32_t *id);
mc_status mc__rdf_term_literal(mc_rdf_dataset *ds, const char *v, size_t n, const char *dt, size_t dtn,
                               const char *lang, size_t langn, uint32_t *id);

/* Add the quad q (term indices; q[3] == MC__RDF_DEFAULT for the default
 * graph) unless present. MC_ERR_TOO_LARGE past MC_RDF_MAX_QUADS. */
mc_status mc__rdf_add_quad(mc_rdf_dataset *ds, const uint32_t q[4]);

/* Stable merge sort of n uint32 items by cmp(ctx, a, b). tmp holds n items. */
void mc__rdf_sort(uint32_t *v, uint32_t *tmp, size_t n, int (*cmp)(const void *ctx, uint32_t a, uint32_t b),
                  const void *ctx);

#endif /* MC_RDF_INTERNAL_H */
