/*
 * rdf.h - RDF datasets, strict N-Quads parsing and RDF Dataset
 * Canonicalization (W3C RDFC-1.0, formerly URDNA2015) to canonical N-Quads.
 *
 * Included by <mcred/mcred.h>; include that header, not this one alone.
 *
 * Model (RDF 1.1): a dataset is a SET of quads. Adding a quad that is
 * already present changes nothing. Subject: IRI or blank node; predicate:
 * IRI; object: IRI, blank node or literal; graph: the default graph, an IRI
 * or a blank node. Terms are copied into the dataset on add (interned once
 * each), so the caller's strings may be freed right after the call.
 *
 * Term rules (the same for mc_rdf_dataset_add and the N-Quads parser):
 *  - All text is UTF-8; invalid UTF-8, surrogate code points and
 *    non-characters beyond U+10FFFF are refused.
 *  - IRIs are absolute (they start with a scheme "x:") and contain no
 *    U+0000..U+0020 nor any of  < > " { } | ^ ` \  -- also not through a
 *    \u escape: an IRI that canonical N-Quads could not print is refused.
 *  - Blank node labels follow the N-Quads BLANK_NODE_LABEL production
 *    (without the "_:"). They only name nodes within one dataset.
 *  - Literals may hold any Unicode scalar value, U+0000 included (written
 *    \u0000 in N-Quads). A literal has either a language tag or a datatype
 *    IRI. The datatype xsd:string is the same as no datatype (RDF 1.1) and
 *    is never printed; rdf:langString without a language tag is refused.
 *  - Language tags: [a-zA-Z]{1,8} ("-" [a-zA-Z0-9]{1,8})*, i.e. the N-Quads
 *    LANGTAG production with BCP 47's 8-character subtag ceiling. Case is
 *    kept as written (as the JavaScript reference implementation does), so
 *    "x"@en and "x"@EN are different terms here.
 *
 * Errors: malformed input (syntax, encoding, bad term) is MC_ERR_VALUE;
 * wrong use of the API (NULL pointers, a literal as subject...) is
 * MC_ERR_ARG; exceeding one of the limits below, including the
 * canonicalization work limits, is MC_ERR_TOO_LARGE.
 *
 * Ownership: mc_rdf_dataset and mc_rdfc_map are opaque handles created and
 * freed by the library; N-Quads text returned through `char **` is the
 * caller's, freed with mc_free().
 *
 * Threads: a dataset may be canonicalized from several threads at once;
 * adding to it needs exclusive access.
 */
#ifndef MCRED_RDF_H
#define MCRED_RDF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits --------------------------------------------------------- */

/* Largest N-Quads document mc_nquads_parse accepts. N-Quads spell every
 * IRI in full on every line, so a JSON-LD credential at the JSON ceiling
 * (MC_JSON_MAX_BYTES, 4 MiB) expands to roughly 2-3 times that; 4 times
 * covers it while bounding the parse to one pass over 16 MiB. */
#define MC_NQUADS_MAX_BYTES (16u * 1024u * 1024u)

/* Most distinct quads in one dataset. A large micro-credential (hundreds of
 * learning outcomes, each a dozen statements) stays under 20,000 quads;
 * 100,000 leaves room five times over and bounds the index memory to a few
 * MiB. */
#define MC_RDF_MAX_QUADS 100000u

/* Most distinct blank nodes in one dataset. JSON-LD makes one per node
 * object without an @id, so a credential has at most a few thousand;
 * canonicalization keeps several words of state per blank node. */
#define MC_RDF_MAX_BLANK_NODES 65536u

/* Most bytes of distinct term text (IRIs, labels, escaped literals) in one
 * dataset. Parsed text is never longer than its N-Quads source except for
 * raw control characters, which canonical form escapes as 6 bytes; this is
 * 4 times MC_NQUADS_MAX_BYTES and keeps every offset in 32 bits. */
#define MC_RDF_MAX_TEXT_BYTES (64u * 1024u * 1024u)

/* Largest canonical N-Quads output. Interning lets a few long terms be
 * repeated on many lines, so output is capped on its own: 64 MiB is far
 * above any credential, and refusing beyond it stops a small dataset from
 * asking for gigabytes. Checked before any work is done. */
#define MC_RDFC_MAX_OUTPUT_BYTES (64u * 1024u * 1024u)

/* Default ceiling on Hash N-Degree Quads invocations in one canonicalization
 * (RDFC-1.0 4.8; its "dataset poisoning" section asks implementations to
 * bound this). Datasets whose blank nodes all have distinct first-degree
 * hashes -- nearly every real credential -- make no such call. The most any
 * W3C test needs is 468 (test044-046, "double circle" graphs); 2,000 is four
 * times that. */
#define MC_RDFC_MAX_NDEGREE_CALLS 2000u

/* Default ceiling on work units in Hash N-Degree Quads. Calls alone do not
 * bound the time: a blank node with k look-alike neighbours costs k!
 * permutations, and one permutation of a huge group costs as much as the
 * group. A unit is one short step (a permutation started, a blank node
 * placed in a path); a hash costs 8 units (+1 per 64 bytes); 32 issuer
 * entries scanned or copied cost 1. A unit is about 35 ns on a current
 * server core (measured on the poison clique), so the default caps this part
 * near 35 ms. The W3C suite needs at most 36,852 units (test044-046): the
 * default is 27 times that. */
#define MC_RDFC_MAX_WORK 1000000u

/* Deepest recursion of Hash N-Degree Quads, always enforced (options cannot
 * raise it): each level holds stack and heap, and a chain of look-alike
 * blank nodes deeper than this is not a credential. The W3C suite needs 7. */
#define MC_RDFC_MAX_DEPTH 256u

/* ---- Datasets ------------------------------------------------------- */

typedef struct mc_rdf_dataset mc_rdf_dataset;

typedef enum mc_rdf_kind {
	MC_RDF_DEFAULT_GRAPH = 0, /* only as a graph: the default graph */
	MC_RDF_IRI = 1,
	MC_RDF_BLANK = 2,
	MC_RDF_LITERAL = 3
} mc_rdf_kind;

/* Pass as mc_rdf_term.len when value is NUL-terminated. */
#define MC_RDF_NTS ((size_t)-1)

/* One RDF term, described by the caller for mc_rdf_dataset_add. Nothing
 * is kept: the dataset copies what it needs. */
typedef struct mc_rdf_term {
	/* what the term is */
	mc_rdf_kind kind;
	/* IRI, blank node label without "_:", or literal lexical form (UTF-8) */
	const char *value;
	/* bytes of value, or MC_RDF_NTS; literals containing U+0000 need it */
	size_t len;
	/* literal only: datatype IRI, or NULL for xsd:string / a language tag */
	const char *datatype;
	/* literal only: language tag, or NULL */
	const char *language;
} mc_rdf_term;

/* New empty dataset. *out is NULL on failure. Free with mc_rdf_dataset_free. */
MC_API MC_NODISCARD mc_status mc_rdf_dataset_new(mc_rdf_dataset **out, mc_err *err);
/* Free ds and everything in it. NULL is allowed. */
MC_API void mc_rdf_dataset_free(mc_rdf_dataset *ds);

/* Add the quad (s, p, o, g); g NULL means the default graph. Terms are
 * checked against the rules above; err->path names the bad position
 * ("subject", "predicate", "object", "graph"). On any failure the dataset
 * holds the same quads as before. */
MC_API MC_NODISCARD mc_status mc_rdf_dataset_add(mc_rdf_dataset *ds, const mc_rdf_term *s,
                                                 const mc_rdf_term *p, const mc_rdf_term *o,
                                                 const mc_rdf_term *g, mc_err *err);

/* Number of distinct quads in ds. */
MC_API size_t mc_rdf_dataset_size(const mc_rdf_dataset *ds);

/* ---- N-Quads -------------------------------------------------------- */

/* Parse an RDF 1.1 N-Quads document buf[0..len) (no NUL terminator needed)
 * and add its quads to ds. Strict: the W3C grammar exactly (comments and
 * blank lines allowed, whitespace between terms optional), \uXXXX and
 * \UXXXXXXXX escapes must name Unicode scalar values (a lone or paired
 * surrogate such as \uD800 is refused), ECHAR only as [tbnrf"'\], raw NUL
 * bytes are refused anywhere, plus the term rules above. RDF 1.2 additions
 * (triple terms, directional language tags, VERSION) are not accepted.
 * Errors are MC_ERR_VALUE with err->path "nquads" and a message starting
 * "line L, column C:" (1-based, columns counted in characters);
 * MC_ERR_TOO_LARGE beyond MC_NQUADS_MAX_BYTES or a dataset limit. On
 * failure ds may already hold the quads of the lines before the bad one. */
MC_API MC_NODISCARD mc_status mc_nquads_parse(mc_rdf_dataset *ds, const char *buf, size_t len, mc_err *err);

/* ---- Canonicalization (RDFC-1.0) ------------------------------------ */

typedef enum mc_rdfc_hash {
	MC_RDFC_SHA256 = 0, /* RDFC-1.0's hash algorithm, and the default */
	MC_RDFC_SHA384 = 1  /* the parameterised variant some W3C tests use */
} mc_rdfc_hash;

/* Options. Zero-initialise (mc_rdfc_opts o = {0};) or pass NULL for the
 * defaults. Raising a work limit above its default accepts datasets that
 * may take exponential time: only do it for trusted input. */
typedef struct mc_rdfc_opts {
	/* hash algorithm */
	mc_rdfc_hash hash;
	/* Hash N-Degree Quads invocations allowed; 0 = MC_RDFC_MAX_NDEGREE_CALLS */
	uint64_t max_ndegree_calls;
	/* work units allowed (see MC_RDFC_MAX_WORK); 0 = MC_RDFC_MAX_WORK */
	uint64_t max_work;
} mc_rdfc_opts;

/* Canonicalize ds with RDFC-1.0 and serialize it as canonical N-Quads:
 * one quad per line, each terminated by "\n", lines sorted in code point
 * order, blank nodes labelled _:c14n0, _:c14n1, ...  *out is NUL-terminated
 * for convenience (*len excludes the NUL) and NULL on failure; the caller
 * frees it with mc_free. An empty dataset gives "" (len 0).
 * MC_ERR_TOO_LARGE when a work limit is hit (a "poison" dataset: err->msg
 * says which limit), or the output would pass MC_RDFC_MAX_OUTPUT_BYTES. */
MC_API MC_NODISCARD mc_status mc_rdfc_canonicalize(const mc_rdf_dataset *ds, const mc_rdfc_opts *opts,
                                                   char **out, size_t *len, mc_err *err);

/* The issued identifiers map of the canonical issuer (RDFC-1.0 step 7's
 * alternative result): input blank node label -> canonical label. */
typedef struct mc_rdfc_map mc_rdfc_map;

/* Like mc_rdfc_canonicalize, and also hand out the issued identifiers map
 * in *map (free with mc_rdfc_map_free). out and len may be NULL when only
 * the map is wanted. On failure *map is NULL. */
MC_API MC_NODISCARD mc_status mc_rdfc_canonicalize_map(const mc_rdf_dataset *ds, const mc_rdfc_opts *opts,
                                                       char **out, size_t *len, mc_rdfc_map **map,
                                                       mc_err *err);

/* Number of entries: one per blank node in the dataset's quads. */
MC_API size_t mc_rdfc_map_count(const mc_rdfc_map *m);
/* Entry i (i < count) in issue order, so entry i's canonical label is
 * "c14n<i>". Labels are without "_:" and live as long as m. Returns 0 and
 * sets both to NULL when i is out of range. */
MC_API int mc_rdfc_map_get(const mc_rdfc_map *m, size_t i, const char **input_label, const char **canonical_label);
/* Canonical label (without "_:") issued for an input label, NULL if none. */
MC_API const char *mc_rdfc_map_lookup(const mc_rdfc_map *m, const char *input_label);
/* NULL is allowed. */
MC_API void mc_rdfc_map_free(mc_rdfc_map *m);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_RDF_H */
