/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/util.h"

#define POOL_BLOCK_SIZE (16 * 1024)
/* Blocks kept on reset for the next request, at most this many bytes:
 * a responder answers much the same requests again and again, and
 * malloc and free of the same blocks each time cost more than the work. */
#define POOL_SPARE_MAX (512 * 1024)
#define POOL_ALIGN (sizeof(max_align_t))

struct pool_block {
	struct pool_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct pool_cleanup {
	struct pool_cleanup *next;
	pool_cleanup_fn fn;
	void *data;
};

struct pool {
	struct pool_block *first;    /* the default-size block kept on reset */
	struct pool_block *blocks;   /* the block allocated from, then older ones */
	struct pool_cleanup *cleanups;
	size_t bytes;
	struct pool_block *spare;    /* blocks kept on reset, not in use */
	size_t spare_bytes;
};

static struct pool_block *block_new(size_t size)
{
	struct pool_block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/* A block of at least size bytes: a spare one, or a new one. */
static struct pool_block *block_get(struct pool *pool, size_t size)
{
	struct pool_block **p, *b;

	for (p = &pool->spare; (b = *p); p = &b->next) {
		if (b->size < size)
			continue;
		*p = b->next;
		pool->spare_bytes -= b->size;
		b->next = NULL;
		b->used = 0;
		return b;
	}
	return block_new(size);
}

struct pool *pool_create(void)
{
	struct pool *pool = xmalloc(sizeof(*pool));

	pool->first = pool->blocks = block_new(POOL_BLOCK_SIZE);
	pool->cleanups = NULL;
	pool->bytes = POOL_BLOCK_SIZE;
	pool->spare = NULL;
	pool->spare_bytes = 0;
	return pool;
}

static void run_cleanups(struct pool *pool)
{
	while (pool->cleanups) {
		struct pool_cleanup *c = pool->cleanups;

		pool->cleanups = c->next;
		c->fn(c->data);
	}
}

void pool_reset(struct pool *pool)
{
	struct pool_block *b, *next;

	if (!pool)
		return;
	run_cleanups(pool);
	for (b = pool->blocks; b; b = next) {
		next = b->next;
		if (b == pool->first)
			continue;
		if (pool->spare_bytes + b->size <= POOL_SPARE_MAX) {
			b->next = pool->spare;
			pool->spare = b;
			pool->spare_bytes += b->size;
		} else {
			free(b);
		}
	}
	pool->blocks = pool->first;
	pool->first->next = NULL;
	pool->first->used = 0;
	pool->bytes = pool->first->size;
}

void pool_destroy(struct pool *pool)
{
	if (!pool)
		return;
	pool_reset(pool);
	while (pool->spare) {
		struct pool_block *b = pool->spare;

		pool->spare = b->next;
		free(b);
	}
	free(pool->first);
	free(pool);
}

void *pool_alloc(struct pool *pool, size_t n)
{
	struct pool_block *b = pool->blocks;
	size_t need = (n + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
	void *p;

	if (need < n)
		die("pool allocation of %zu bytes overflows", n);
	if (b->size - b->used < need) {
		size_t size = need > POOL_BLOCK_SIZE / 4 ? need : POOL_BLOCK_SIZE;
		struct pool_block *nb = block_get(pool, size);

		/* A large allocation gets its own block behind the current one,
		 * so the current block's free space is not wasted. */
		if (size == need && b->size - b->used > 0) {
			nb->next = b->next;
			b->next = nb;
			nb->used = need;
			pool->bytes += nb->size;
			return nb->data;
		}
		nb->next = b;
		pool->blocks = b = nb;
		pool->bytes += nb->size;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	return p;
}

void pool_grow(struct pool *pool, char **buf, size_t *cap, size_t len, size_t n, size_t first)
{
	size_t size;
	char *grown;

	if (*cap - len > n)
		return;
	size = *cap ? *cap : first;
	while (size - len <= n)
		size *= 2;
	grown = pool_alloc(pool, size);
	if (len)
		memcpy(grown, *buf, len);
	*buf = grown;
	*cap = size;
}

char *pool_int64(struct pool *pool, int64_t v)
{
	char text[24], *p = text + sizeof(text);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	return pool_strndup(pool, p, (size_t)(text + sizeof(text) - 1 - p));
}

void *pool_calloc(struct pool *pool, size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		die("pool allocation of %zu x %zu bytes overflows", nmemb, size);
	p = pool_alloc(pool, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *pool_strndup(struct pool *pool, const char *s, size_t n)
{
	char *p = pool_alloc(pool, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pool_strdup(struct pool *pool, const char *s)
{
	return s ? pool_strndup(pool, s, strlen(s)) : NULL;
}

char *pool_printf(struct pool *pool, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("bad format '%s'", fmt);
	p = pool_alloc(pool, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void pool_cleanup_add(struct pool *pool, pool_cleanup_fn fn, void *data)
{
	struct pool_cleanup *c = pool_alloc(pool, sizeof(*c));

	c->fn = fn;
	c->data = data;
	c->next = pool->cleanups;
	pool->cleanups = c;
}

size_t pool_bytes(const struct pool *pool)
{
	return pool->bytes;
}
