/*
 * jsonld_internal.h - state shared by the JSON-LD modules: a bump pool for
 * the contexts and strings of one call, string-keyed hash maps, the active
 * context with its term definitions (context.c), expansion (expand.c),
 * RDF (tordf.c) and the loader's document cache (loader.c).
 *
 * Memory: contexts, term definitions and expanded IRIs live in a jl_pool
 * freed at the end of each call; JSON trees of the input and the expanded
 * output live in the per-thread cJSON arena (src/json/arena.c); documents
 * parsed by a loader are malloc'd and live as long as the loader.
 */
#ifndef MC_JSONLD_INTERNAL_H
#define MC_JSONLD_INTERNAL_H

#include "internal.h"
#include "mcred/jsonld.h"

/* ---- Pool ------------------------------------------------------------ */

typedef struct jl_chunk jl_chunk;
typedef struct jl_pool {
	/* newest chunk */
	jl_chunk *head;
	/* total bytes allocated, against MC_JSONLD_POOL_MAX */
	size_t total;
} jl_pool;

void *mc__jl_alloc(jl_pool *p, size_t n);
char *mc__jl_strndup(jl_pool *p, const char *s, size_t n);
char *mc__jl_strdup(jl_pool *p, const char *s);
char *mc__jl_concat(jl_pool *p, const char *a, const char *b);
void mc__jl_pool_free(jl_pool *p);
/* ptr points into memory of p. */
bool mc__jl_pool_owns(const jl_pool *p, const void *ptr);

/* ---- String map (open addressing; keys are not copied) ------------- */

typedef struct jl_slot {
	const char *key; /* NULL: empty */
	void *val;       /* NULL: removed (the key stays as a tombstone) */
	size_t hash;     /* of key: probes compare it before the text */
} jl_slot;

typedef struct jl_map {
	jl_slot *slots;
	size_t cap;   /* power of two or 0 */
	size_t count; /* used slots, tombstones included */
} jl_map;

void *mc__jl_map_get(const jl_map *m, const char *key);
/* Set key (the pointer is kept). Returns false on allocation failure. */
bool mc__jl_map_put(jl_pool *p, jl_map *m, const char *key, void *val);
/* Copy of m in p (same keys and values). */
bool mc__jl_map_copy(jl_pool *p, jl_map *dst, const jl_map *src);

/* ---- Term definitions and the active context ----------------------- */

enum {
	JL_C_LIST = 1u << 0,
	JL_C_SET = 1u << 1,
	JL_C_INDEX = 1u << 2,
	JL_C_LANGUAGE = 1u << 3,
	JL_C_ID = 1u << 4,
	JL_C_TYPE = 1u << 5,
	JL_C_GRAPH = 1u << 6
};

typedef struct jl_term {
	const char *iri;       /* IRI mapping (may be a keyword); NULL: mapped to null */
	const char *type;      /* type mapping or NULL */
	const char *language;  /* language mapping when has_language (NULL: null) */
	const char *direction; /* direction mapping when has_direction (NULL: null) */
	const char *index;     /* index mapping or NULL */
	const char *nest;      /* nest value or NULL */
	const cJSON *context;  /* scoped context (may be a JSON null) or NULL */
	const char *base_url;  /* base URL for the scoped context */
	unsigned container;    /* JL_C_* */
	bool has_language, has_direction, reverse, prefix, protect;
} jl_term;

/* Aliases of @type a context lists (contexts define one, "type"). */
#define JL_MAX_TYPE_ALIASES 4

typedef struct jl_ctx {
	jl_map terms;                  /* term -> jl_term */
	const char *base;              /* base IRI, NULL when null */
	const char *original_base;     /* original base URL */
	const char *vocab;             /* vocabulary mapping or NULL */
	const char *language;          /* default language or NULL */
	const char *direction;         /* default base direction or NULL */
	const struct jl_ctx *previous; /* previous context (non-propagated) or NULL */
	bool any_protected;            /* some term definition is protected */
	/* some term was defined as an alias of @value (never cleared: false
	 * means only the key "@value" itself expands to @value) */
	bool value_alias;
	/* terms ever defined as aliases of @type (a superset of the current
	 * ones: expansion confirms a match with a lookup); more than
	 * JL_MAX_TYPE_ALIASES: type_aliases_all, and every key is looked up */
	const char *type_aliases[JL_MAX_TYPE_ALIASES];
	unsigned ntype_aliases;
	bool type_aliases_all;
	bool persistent;               /* owned by a loader's cache: immutable, outlives calls */
} jl_ctx;

/* Cached parsed document of a loader. */
typedef struct jl_doc {
	char *url;
	cJSON *root;
} jl_doc;

/* Processed-context cache entry: the result of applying one remote
 * context (url) or one scoped context (local) to a cached context. */
typedef struct jl_centry {
	const jl_ctx *active;
	const char *url;     /* remote context URL, or NULL */
	const cJSON *local;  /* scoped context, or NULL */
	unsigned flags;      /* JL_CF_* */
	const jl_ctx *result;
} jl_centry;

/* Initial contexts the cache keeps (one per base IRI in use). */
#define JL_MAX_INITIAL 8

/* What toRdf works out about an IRI (tordf.c), kept by the loader for the
 * IRI strings of its own pool, which term definitions map to and every
 * conversion meets again. */
typedef struct jl_iri_fact {
	const char *iri; /* NULL: empty slot */
	uint32_t len;
	uint32_t hash;  /* mc__rdf_iri_hash: the dataset's hash of it */
	bool valid;     /* can be an RDF IRI */
	bool checked;   /* and passes the dataset's own IRI check */
} jl_iri_fact;

/* Most IRI facts a loader keeps: the bundled contexts define about a
 * thousand terms; an IRI met beyond this is simply worked out each time. */
#define JL_MAX_IRI_FACTS 8192u

struct mc_jsonld_loader {
	mc_jsonld_load_fn fn;
	void *user;
	jl_doc docs[MC_JSONLD_MAX_CACHED];
	size_t ndocs;
	/* processed contexts: everything cached lives in pool */
	jl_pool pool;
	jl_centry *cache; /* open addressing, power-of-two capacity */
	size_t ccap, ccount;
	jl_ctx *initial[JL_MAX_INITIAL];
	size_t ninitial;
	/* IRI facts by string address (open addressing, power-of-two capacity) */
	jl_iri_fact *facts;
	size_t fcap, fcount;
};

void mc__jl_loader_cache_free(mc_jsonld_loader *l);

/* State of one call. */
typedef struct jl_state {
	jl_pool pool;
	mc_jsonld_loader *loader;
	mc_err *err;
	bool v10;  /* processing mode json-ld-1.0 */
	bool safe; /* safe mode */
	size_t work;
	unsigned depth;   /* nesting of Context Processing calls */
	size_t out_items; /* cJSON values created by expansion */
	/* > 0 while allocating into the loader's pool (s->pool is swapped) */
	int persisting;
	/* cleared when a step made something that cannot be cached */
	bool cacheable;
} jl_state;

/* Record a JSON-LD error ("code: detail") as MC_ERR_VALUE. */
mc_status mc__jl_error(jl_state *s, const char *code, const char *fmt, ...) MC__PRINTF(3, 4);
/* Count one unit of work; MC_ERR_TOO_LARGE past MC_JSONLD_MAX_WORK. */
mc_status mc__jl_work(jl_state *s);

static inline const jl_term *mc__jl_term(const jl_ctx *c, const char *key)
{
	return (const jl_term *)mc__jl_map_get(&c->terms, key);
}

bool mc__jl_is_keyword(const char *s);
/* "@" followed by one or more ALPHA: reserved for future keywords. */
bool mc__jl_keyword_form(const char *s);
/* Starts with a scheme and ':' (an absolute IRI). */
bool mc__jl_is_abs_iri(const char *s);
/* Resolve ref against base (RFC 3986 5.2). */
char *mc__jl_resolve(jl_pool *p, const char *base, const char *ref);
/* A lower-case copy (language tags). */
char *mc__jl_lower(jl_pool *p, const char *s);

/* New context with the given base (the initial context). */
jl_ctx *mc__jl_ctx_new(jl_state *s, const char *base);
/* The initial context for base: the loader's cached one when it can. */
const jl_ctx *mc__jl_initial(jl_state *s, const char *base);

/* Context Processing algorithm (4.1.2). remote: remote contexts so far. */
typedef struct jl_remote {
	const char *urls[MC_JSONLD_MAX_REMOTE_CONTEXTS];
	size_t n;
} jl_remote;

mc_status mc__jl_process(jl_state *s, const jl_ctx *active, const cJSON *local, const char *base_url,
                         const jl_remote *remote, bool override_protected, bool propagate, bool validate,
                         const jl_ctx **out);

/* Apply the scoped context of td (a term definition of owner) to active
 * (Context Processing with the term's base URL), cached when owner and
 * active are cached contexts. */
mc_status mc__jl_scoped(jl_state *s, const jl_ctx *owner, const jl_term *td, const jl_ctx *active, bool override,
                        bool propagate, const jl_ctx **out);

/* IRI Expansion (5.2.2) against a finished context. *out NULL for null. */
mc_status mc__jl_expand_iri(jl_state *s, const jl_ctx *ctx, const char *value, bool doc_relative, bool vocab,
                            const char **out);

/* IRI Expansion of a key (vocab true, not document-relative) that also
 * gives the term definition looked up on the way (*td, NULL when none):
 * expansion uses both, and looks the key up once. */
mc_status mc__jl_expand_key(jl_state *s, const jl_ctx *ctx, const char *key, const char **out, const jl_term **td);

/* Fetch and parse the document at url through the loader (cached). */
mc_status mc__jl_load(jl_state *s, const char *url, const cJSON **root);

/* Expansion algorithm on a whole document: expanded array in *out (cJSON
 * arena). */
mc_status mc__jl_expand_doc(jl_state *s, const cJSON *doc, const mc_jsonld_opts *o, cJSON **out);

/* Bundled context text by URL, NULL if none. */
const char *mc__jl_bundled(const char *url, size_t *len);

#endif /* MC_JSONLD_INTERNAL_H */
