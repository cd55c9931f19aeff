/* SPDX-License-Identifier: MIT */
/*
 * Memory pools: one per request. Everything a request allocates comes from
 * its pool and is freed at once when the pool is reset or destroyed.
 * Resources that are not memory (json objects, statements, files) are
 * registered as cleanups and released, last registered first, at that time.
 */
#ifndef INV_POOL_H
#define INV_POOL_H

#include <stddef.h>
#include <stdint.h>

struct pool;

typedef void (*pool_cleanup_fn)(void *data);

/* Returns a new, empty pool. Dies when memory is exhausted. */
struct pool *pool_create(void);
/* Runs the cleanups and frees everything the pool holds; safe on NULL. */
void pool_destroy(struct pool *pool);
/* Runs the cleanups and frees all memory but the first block, for reuse. */
void pool_reset(struct pool *pool);

/* Returns n bytes aligned for any type. Never returns NULL. */
void *pool_alloc(struct pool *pool, size_t n);
/* As pool_alloc, zero-filled; nmemb * size is checked for overflow. */
void *pool_calloc(struct pool *pool, size_t nmemb, size_t size);
char *pool_strdup(struct pool *pool, const char *s);
char *pool_strndup(struct pool *pool, const char *s, size_t n);
/* Returns a formatted string allocated from the pool. */
char *pool_printf(struct pool *pool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Registers fn(data) to run when the pool is reset or destroyed. */
/*
 * Makes room in *buf (*cap bytes, len used) for n more bytes and a NUL:
 * a buffer of at least first bytes, doubled as needed, in the pool (an
 * outgrown one stays there until the reset).
 */
void pool_grow(struct pool *pool, char **buf, size_t *cap, size_t len, size_t n, size_t first);

/* v in decimal, without printf's cost (hot paths: ids, counts). */
char *pool_int64(struct pool *pool, int64_t v);

void pool_cleanup_add(struct pool *pool, pool_cleanup_fn fn, void *data);

/* Bytes currently held by the pool (for metrics and tests). */
size_t pool_bytes(const struct pool *pool);

#endif
