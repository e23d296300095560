/*
 * jsonld.h - JSON-LD 1.1 processing: context processing, the Expansion
 * algorithm and Deserialize JSON-LD to RDF (W3C JSON-LD 1.1 Processing
 * Algorithms and API), never touching the network.
 *
 * Include <mcred/mcred.h> and <mcred/rdf.h> before this header.
 *
 * Documents and contexts: remote contexts ("@context": "https://...", and
 * @import) are fetched only through an mc_jsonld_loader. The library's own
 * loader serves the contexts bundled in the library (mc_jsonld_bundled) and
 * refuses every other URL with MC_ERR_UNSUPPORTED naming the URL. An
 * application may supply a callback that serves more (for example files
 * from disk); it decides, the library never fetches anything.
 *
 * Errors: every JSON-LD error of the specification is MC_ERR_VALUE and
 * err->msg starts with the spec's error code followed by ": " (for example
 * "invalid term definition: ..."), so callers may match on it. A context
 * that cannot be loaded is MC_ERR_UNSUPPORTED ("loading remote context
 * failed: ... <url>"); exceeding a limit below is MC_ERR_TOO_LARGE; input
 * that is not JSON fails as in mc_json_check.
 *
 * Language tags are normalized to lower case (the specification allows it;
 * the reference JavaScript implementation does it, and signatures computed
 * there over canonical N-Quads depend on it).
 *
 * Threads: a loader caches the contexts it has parsed; use one loader per
 * thread, or serialize the calls that share one.
 */
#ifndef MCRED_JSONLD_H
#define MCRED_JSONLD_H

#include <stddef.h>

#include "mcred/mcred.h"
#include "mcred/rdf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits --------------------------------------------------------- */

/* Most remote contexts (URLs and @import) dereferenced while processing one
 * context chain. A credential names 2-4; the specification asks processors
 * to detect recursive inclusion with a limit ("context overflow"). */
#define MC_JSONLD_MAX_REMOTE_CONTEXTS 32u

/* Deepest nesting of context processing: a remote context inside a remote
 * context, a scoped context inside a scoped context. Each level holds a
 * few stack frames (the algorithm is recursive, as specified); the VC 2.0
 * and Open Badges contexts need 4, and 64 keeps any thread's stack safe. */
#define MC_JSONLD_MAX_NESTING 64u

/* Most context processing steps (local contexts applied, scoped contexts
 * included) and term definitions created in one call. The VC 2.0 and
 * Open Badges 3.0 contexts together define about 400 terms, each with a
 * scoped context validated once; 200,000 bounds the time a hostile context
 * with many nested scoped contexts can take, far above any real document. */
#define MC_JSONLD_MAX_WORK 200000u

/* Largest expanded JSON-LD text mc_jsonld_expand returns. Expansion spells
 * every term as a full IRI and wraps every value in an object, so a
 * document grows about 3-6 times; 8 times the JSON input ceiling covers
 * that. The quad count of mc_jsonld_to_rdf is bounded by MC_RDF_MAX_QUADS. */
#define MC_JSONLD_MAX_OUTPUT_BYTES (8u * MC_JSON_MAX_BYTES)

/* Most documents a loader keeps parsed. Beyond it, those cached stay and
 * new ones are parsed on each use (correct, only slower). */
#define MC_JSONLD_MAX_CACHED 64u

/* Processed contexts a loader keeps (the result of applying a remote or a
 * scoped context to a cached context), and the memory they may take. A
 * credential type needs a few dozen; processing the VC 2.0 and Open Badges
 * contexts is most of the cost of a conversion, so they are processed once
 * per loader. Beyond either ceiling nothing more is cached. */
#define MC_JSONLD_MAX_CACHED_CONTEXTS 4096u
#define MC_JSONLD_MAX_CACHE_BYTES (64u * 1024u * 1024u)

/* ---- Document loader ------------------------------------------------ */

/* Application callback: put the JSON text of the document at url in *doc
 * (allocated with malloc: the library frees it with free) and its length
 * in *len. Return MC_OK, or an error (fill err) when it cannot or will not
 * serve url; MC_ERR_UNSUPPORTED is the usual refusal. The callback may call
 * mc_jsonld_bundled to serve the library's contexts. */
typedef mc_status (*mc_jsonld_load_fn)(void *user, const char *url, char **doc, size_t *len, mc_err *err);

typedef struct mc_jsonld_loader mc_jsonld_loader;

/* New loader. fn NULL gives the offline loader: bundled contexts only.
 * With fn, every URL goes to fn (which may use mc_jsonld_bundled). user is
 * passed to fn unchanged. Free with mc_jsonld_loader_free. */
MC_API MC_NODISCARD mc_status mc_jsonld_loader_new(mc_jsonld_load_fn fn, void *user, mc_jsonld_loader **out,
                                                   mc_err *err);
/* NULL is allowed. */
MC_API void mc_jsonld_loader_free(mc_jsonld_loader *l);

/* The bundled copy of the context at url, as static text (never freed):
 *   https://www.w3.org/ns/credentials/v2, .../credentials/examples/v2,
 *   https://w3id.org/security/data-integrity/v2, .../multikey/v1,
 *   https://www.w3.org/ns/did/v1, https://www.w3.org/ns/credentials/status/v1,
 *   https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json (.2, .3) and
 *   .../context.json, https://w3id.org/mcred/v1.
 * MC_ERR_UNSUPPORTED (message naming url) for any other URL. */
MC_API MC_NODISCARD mc_status mc_jsonld_bundled(const char *url, const char **doc, size_t *len, mc_err *err);

/* ---- Processing ------------------------------------------------------ */

typedef enum mc_jsonld_mode {
	MC_JSONLD_1_1 = 0, /* json-ld-1.1, the default */
	MC_JSONLD_1_0 = 1  /* json-ld-1.0: 1.1 features are errors or ignored */
} mc_jsonld_mode;

/* Options. Zero-initialise or pass NULL for the defaults. */
typedef struct mc_jsonld_opts {
	/* base IRI of the document (its URL); NULL: none, relative IRIs stay
	 * relative and are dropped from RDF */
	const char *base;
	/* processing mode */
	mc_jsonld_mode mode;
	/* nonzero: fail (MC_ERR_VALUE, "safe mode: ...") instead of silently
	 * dropping a property with an undefined term, a keyword-like term or
	 * value, a relative IRI or an ill-formed literal that cannot become RDF.
	 * Signature verification over RDF (eddsa-rdfc-2022) needs this: an
	 * undefined term would otherwise be left out of what is signed. */
	int safe;
	/* URL of a context applied before the document's own (the API's
	 * expandContext option), loaded through the loader; NULL for none */
	const char *expand_context;
} mc_jsonld_opts;

/* Expand the JSON-LD document json[0..len) and return the expanded form as
 * compact JSON text in *out (NUL-terminated; *out_len without the NUL, may
 * be NULL); free with mc_free. loader NULL: a temporary offline loader. */
MC_API MC_NODISCARD mc_status mc_jsonld_expand(const char *json, size_t len, mc_jsonld_loader *loader,
                                               const mc_jsonld_opts *opts, char **out, size_t *out_len,
                                               mc_err *err);

/* Deserialize the JSON-LD document json[0..len) to RDF (expansion, then the
 * spec's Deserialize JSON-LD to RDF with rdfDirection null and no
 * generalized RDF) into a new dataset *out (free with mc_rdf_dataset_free;
 * NULL on failure). Native numbers become xsd:integer ("5") when integral
 * and below 10^21, else xsd:double in canonical form ("2.5E0", "1.0E21");
 * booleans xsd:boolean; @json literals rdf:JSON in RFC 8785 form. Triples
 * with a relative IRI or a blank node predicate are dropped (an error in
 * safe mode). Blank node labels are b0, b1, ... in document order. */
MC_API MC_NODISCARD mc_status mc_jsonld_to_rdf(const char *json, size_t len, mc_jsonld_loader *loader,
                                               const mc_jsonld_opts *opts, mc_rdf_dataset **out, mc_err *err);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_JSONLD_H */
