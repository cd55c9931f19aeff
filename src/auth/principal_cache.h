/* SPDX-License-Identifier: MIT */
/*
 * A per-process cache of verified credentials (API keys, JWTs): the
 * principal a credential stands for, under the SHA-256 of what verified
 * it, until a time the caller chooses. Fixed size, one entry per slot; a
 * new entry replaces the slot's old one. Within one process only: it
 * spares work, never holds anything another process needs.
 */
#ifndef INV_AUTH_PRINCIPAL_CACHE_H
#define INV_AUTH_PRINCIPAL_CACHE_H

#include <stdint.h>

struct pool;
struct principal;

struct cached_principal {
	char hash[65];
	uint64_t expires;         /* in the caller's unit and clock */
	int64_t workspace_id;
	unsigned roles;
	char *permissions;        /* comma-separated, normalised; NULL: empty slot */
	char *subject;
};

/* Sets p's permissions from a comma-separated list of normalised ones. */
void principal_set_permissions(struct pool *pool, struct principal *p, const char *list);
/* The slot of hash (hex) in a cache of nslots entries. */
struct cached_principal *principal_cache_slot(struct cached_principal *cache, size_t nslots,
					      const char hash[65]);
/* Fills p from the slot if it holds hash and now < its expiry: 1, else 0. */
int principal_cache_get(struct pool *pool, const struct cached_principal *slot,
			const char hash[65], uint64_t now, struct principal *p);
/* Stores p (authenticated) in the slot under hash until expires. */
void principal_cache_put(struct cached_principal *slot, const char hash[65], uint64_t expires,
			 const struct principal *p);

#endif
