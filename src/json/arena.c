/*
 * arena.c - a per-thread bump allocator for the cJSON trees of one
 * operation (one verification, one signature).
 *
 * Why: cJSON allocates every node, key and string separately; on a 3 KB
 * credential, malloc and free of those made up about a fifth of a whole
 * verification. Between mc__arena_begin and mc__arena_end every cJSON
 * allocation on this thread comes from a few large chunks, cJSON_Delete of
 * such memory does nothing, and the end releases the chunks at once.
 *
 * How: mc_init installs cJSON hooks that route to the arena when this
 * thread has one open and to malloc/free otherwise, so cJSON use outside an
 * arena (by libmcred or by the application) is unaffected. Rules for
 * libmcred code: nothing allocated inside an arena may outlive its end, and
 * text handed to the caller (cJSON_Print output) must be produced while the
 * arena is suspended, so that it comes from malloc and mc_free can free it.
 * Applications that use cJSON themselves must not call cJSON_InitHooks.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* First chunk: one typical credential's tree fits (a 7 KB credential makes
 * about 30 KB of nodes). Later chunks double, so a 4 MiB document needs a
 * dozen chunks and the ownership test in arena_free stays short. */
#define MC__ARENA_FIRST_CHUNK (64u * 1024u)

typedef struct chunk {
	struct chunk *next; /* older chunk */
	size_t used;        /* bytes handed out from data */
	size_t cap;         /* bytes in data */
	alignas(max_align_t) unsigned char data[];
} chunk;

static _Thread_local struct {
	chunk *head;   /* newest chunk; NULL when no arena is open */
	int open;      /* begin/end nesting depth */
	int suspended; /* > 0: allocate from malloc even though open */
} tl;

static int owned(const void *p)
{
	for (const chunk *c = tl.head; c; c = c->next)
		if ((const unsigned char *)p >= c->data && (const unsigned char *)p < c->data + c->cap)
			return 1;
	return 0;
}

static void *arena_malloc(size_t n)
{
	if (!tl.open || tl.suspended)
		return malloc(n);
	const size_t align = alignof(max_align_t);
	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	chunk *c = tl.head;
	if (!c || c->cap - c->used < n) {
		size_t cap = c ? c->cap * 2 : MC__ARENA_FIRST_CHUNK;
		while (cap < n)
			cap *= 2;
		chunk *nc = malloc(sizeof *nc + cap);
		if (!nc)
			return NULL;
		nc->next = c;
		nc->used = 0;
		nc->cap = cap;
		tl.head = c = nc;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

static void arena_free(void *p)
{
	if (p && !owned(p))
		free(p);
}

static void install_hooks(void)
{
	cJSON_Hooks h = {arena_malloc, arena_free};
	cJSON_InitHooks(&h);
}

void mc__arena_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install_hooks);
}

void mc__arena_begin(void)
{
	tl.open++;
}

void mc__arena_end(void)
{
	if (tl.open > 0 && --tl.open == 0) {
		while (tl.head) {
			chunk *c = tl.head;
			tl.head = c->next;
			free(c);
		}
	}
}

void mc__arena_suspend(void)
{
	tl.suspended++;
}

void mc__arena_resume(void)
{
	if (tl.suspended > 0)
		tl.suspended--;
}

/* ---- Arena-aware malloc for library structures ---------------------- */

/* Arena blocks handed out by mc__malloc carry their size in front, so that
 * mc__realloc can copy them. Outside an arena these are plain libc calls. */
typedef struct block_head {
	size_t size;
	size_t pad; /* keeps the payload max_align_t aligned */
} block_head;

void *mc__malloc(size_t n)
{
	if (!tl.open || tl.suspended)
		return malloc(n);
	if (n > SIZE_MAX - sizeof(block_head))
		return NULL;
	block_head *h = arena_malloc(sizeof *h + n);
	if (!h)
		return NULL;
	h->size = n;
	return h + 1;
}

void *mc__calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (!tl.open || tl.suspended)
		return calloc(n, size);
	void *p = mc__malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *mc__realloc(void *p, size_t n)
{
	if (!p)
		return mc__malloc(n);
	if (!tl.head || !owned(p))
		return realloc(p, n);
	size_t old = ((block_head *)p - 1)->size;
	void *q = mc__malloc(n);
	if (q)
		memcpy(q, p, old < n ? old : n);
	return q;
}

void mc__free(void *p)
{
	arena_free(p);
}
