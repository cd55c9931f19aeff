/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/principal_cache.h"
#include "core/conf.h"
#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"

/*
 * A short-lived per-process cache of verified keys, so that a busy client
 * does not cost a database round trip per request. An entry lives at most
 * apikey.cache_seconds (max 60), so a revoked key stops working within a
 * minute in every process. Unknown keys are never cached.
 */
#define APIKEY_CACHE_SLOTS 64

static struct cached_principal key_cache[APIKEY_CACHE_SLOTS];

int apikey_generate(char key[APIKEY_LEN + 1], char hash[65])
{
	unsigned char raw[32];

	if (random_bytes(raw, sizeof(raw)))
		return -1;
	memcpy(key, APIKEY_PREFIX, 3);
	hex_encode(raw, sizeof(raw), key + 3);
	sha256_hex(key, APIKEY_LEN, hash);
	return 0;
}

enum auth_result apikey_verify(struct pool *pool, struct db *db, const struct conf *conf,
			       const char *key, struct principal *p)
{
	static const char sql[] =
		"SELECT id, workspace_id, permissions, roles FROM api_keys"
		" WHERE key_hash = ? AND revoked_at IS NULL";
	char hash[65];
	struct cached_principal *slot;
	struct db_result res;
	uint64_t now = now_usec();

	memset(p, 0, sizeof(*p));
	if (strlen(key) != APIKEY_LEN || strncmp(key, APIKEY_PREFIX, 3))
		return AUTH_INVALID;
	sha256_hex(key, APIKEY_LEN, hash);
	slot = principal_cache_slot(key_cache, APIKEY_CACHE_SLOTS, hash);
	if (principal_cache_get(pool, slot, hash, now, p))
		return AUTH_OK;
	if (db_query(db, pool, sql, DB_ARGS(ARG_TEXT(hash)), &res))
		return AUTH_ERROR;
	if (res.nrows != 1)
		return AUTH_INVALID;
	/* The stored permissions are normalised and comma-separated. */
	principal_set_permissions(pool, p, db_cell(&res, 0, 2) ? db_cell(&res, 0, 2) : "");
	roles_parse_list(db_cell(&res, 0, 3) ? db_cell(&res, 0, 3) : "", &p->roles);
	p->workspace_id = db_cell_int(&res, 0, 1);
	p->subject = pool_printf(pool, "apikey:key_%lld", (long long)db_cell_int(&res, 0, 0));
	p->authenticated = 1;
	principal_cache_put(slot, hash, now + (uint64_t)conf->apikey_cache_seconds * 1000000u, p);
	return AUTH_OK;
}

enum auth_result auth_authenticate(struct pool *pool, struct db *db, const struct conf *conf,
				   const char *authorization, struct principal *p)
{
	const char *token;

	memset(p, 0, sizeof(*p));
	if (!authorization || strncasecmp(authorization, "Bearer ", 7))
		return AUTH_INVALID;
	token = authorization + 7;
	while (*token == ' ')
		token++;
	if (!*token)
		return AUTH_INVALID;
	if (!strncmp(token, APIKEY_PREFIX, 3))
		return apikey_verify(pool, db, conf, token, p);
	return auth_verify_jwt(pool, conf, token, time(NULL), p);
}
