/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/principal_cache.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

struct cached_principal *principal_cache_slot(struct cached_principal *cache, size_t nslots,
					      const char hash[65])
{
	return &cache[strtoul((char[]){ hash[0], hash[1], hash[2], hash[3], 0 }, NULL, 16) % nslots];
}

void principal_set_permissions(struct pool *pool, struct principal *p, const char *list)
{
	char *perms = pool_strdup(pool, list), *tok, *save = NULL;
	size_t n = 1;
	const char *c;

	for (c = perms; *c; c++)
		n += *c == ',';
	p->permissions = pool_calloc(pool, n + 1, sizeof(char *));
	p->npermissions = 0;
	for (tok = strtok_r(perms, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		p->permissions[p->npermissions++] = tok;
}

int principal_cache_get(struct pool *pool, const struct cached_principal *slot,
			const char hash[65], uint64_t now, struct principal *p)
{
	if (!slot->permissions || now >= slot->expires || !const_time_eq(slot->hash, hash))
		return 0;
	principal_set_permissions(pool, p, slot->permissions);
	p->workspace_id = slot->workspace_id;
	p->roles = slot->roles;
	p->subject = pool_strdup(pool, slot->subject);
	p->authenticated = 1;
	return 1;
}

void principal_cache_put(struct cached_principal *slot, const char hash[65], uint64_t expires,
			 const struct principal *p)
{
	struct strbuf perms = STRBUF_INIT;
	size_t i;

	/* Normalised permissions hold no comma (perm_normalise). */
	for (i = 0; i < p->npermissions; i++) {
		if (i)
			strbuf_addch(&perms, ',');
		strbuf_adds(&perms, p->permissions[i]);
	}
	free(slot->permissions);
	free(slot->subject);
	memcpy(slot->hash, hash, 65);
	slot->expires = expires;
	slot->workspace_id = p->workspace_id;
	slot->roles = p->roles;
	slot->permissions = xstrdup(perms.buf);
	slot->subject = xstrdup(p->subject);
	strbuf_release(&perms);
}
