/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <jwt.h>

#include "auth/auth.h"
#include "auth/principal_cache.h"
#include "core/conf.h"
#include "core/ids.h"
#include "core/pool.h"
#include "core/util.h"

static jwt_alg_t pinned_alg(const struct conf *conf)
{
	return conf->jwt_algorithm == JWT_RS256 ? JWT_ALG_RS256 : JWT_ALG_HS256;
}

static const char *verify_key(const struct conf *conf, int *len)
{
	const char *key = conf->jwt_algorithm == JWT_RS256 ? conf->jwt_public_key : conf->jwt_secret;

	*len = (int)strlen(key);
	return key;
}

/* Reads an integer claim; returns 0 when present and sane, -1 otherwise. */
static int int_claim(jwt_t *jwt, const char *name, long *out, int *present)
{
	long v;

	errno = 0;
	v = jwt_get_grant_int(jwt, name);
	if (errno == ENOENT) {
		*present = 0;
		return 0;
	}
	*present = 1;
	if (errno || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* The audience claim may be a string or an array of strings. */
static int audience_matches(jwt_t *jwt, const char *want)
{
	const char *s = jwt_get_grant(jwt, "aud");
	char *json;
	json_object *arr;
	size_t i;
	int ok = 0;

	if (s)
		return !strcmp(s, want);
	json = jwt_get_grants_json(jwt, "aud");
	if (!json)
		return 0;
	arr = json_tokener_parse(json);
	if (arr && json_object_is_type(arr, json_type_array)) {
		for (i = 0; i < json_object_array_length(arr) && !ok; i++) {
			json_object *e = json_object_array_get_idx(arr, i);

			ok = json_object_is_type(e, json_type_string) &&
			     !strcmp(json_object_get_string(e), want);
		}
	}
	json_object_put(arr);
	free(json);
	return ok;
}

/* Reads an array-of-strings claim into a pool array. Missing: empty. */
static int string_list_claim(struct pool *pool, jwt_t *jwt, const char *name,
			     const char ***out, size_t *n)
{
	char *json = jwt_get_grants_json(jwt, name);
	json_object *arr = NULL;
	size_t i, len;
	int ret = -1;

	*out = NULL;
	*n = 0;
	if (!json)
		return 0;
	arr = json_tokener_parse(json);
	if (!arr || !json_object_is_type(arr, json_type_array))
		goto out;
	len = json_object_array_length(arr);
	if (len > AUTH_MAX_PERMISSIONS)
		goto out;
	*out = pool_calloc(pool, len + 1, sizeof(char *));
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_string))
			goto out;
		(*out)[i] = pool_strdup(pool, json_object_get_string(e));
	}
	*n = len;
	ret = 0;
out:
	json_object_put(arr);
	free(json);
	return ret;
}

/*
 * The workspace claim is a string id, "ws_<n>", and nothing else (a bare
 * number is refused, as the README says). Absent, the token is platform
 * level (workspace 0). Returns 0 or -1.
 */
static int workspace_claim(jwt_t *jwt, int64_t *workspace_id)
{
	const char *s = jwt_get_grant(jwt, "workspace");
	long v;
	int present;

	*workspace_id = 0;
	if (s) {
		*workspace_id = id_parse(ID_WORKSPACE, s);
		return *workspace_id ? 0 : -1;
	}
	if (int_claim(jwt, "workspace", &v, &present))
		return -1;
	return present ? -1 : 0;
}

#define JWT_MAX_LENGTH 8192

/* Three non-empty base64url segments separated by dots, at most 8 KiB. */
static int jwt_well_formed(const char *token)
{
	size_t seglen = 0, dots = 0, i;

	for (i = 0; token[i]; i++) {
		char c = token[i];

		if (i >= JWT_MAX_LENGTH)
			return 0;
		if (c == '.') {
			if (seglen == 0)
				return 0;
			dots++;
			seglen = 0;
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   c == '-' || c == '_') {
			seglen++;
		} else {
			return 0;
		}
	}
	return dots == 2 && seglen > 0;
}

/*
 * Tokens verified before, so that a client's every request does not
 * decode and check its token again (libjwt's parsing and the claims cost
 * about a third of a small request). The key is the SHA-256 of the token
 * with every setting that decides whether it verifies; an entry serves
 * until the token's exp (with the leeway), as verification would. Tokens
 * with nbf are not kept (verification alone handles a clock before it).
 */
#define JWT_CACHE_SLOTS 64

static struct cached_principal jwt_cache[JWT_CACHE_SLOTS];

static void jwt_cache_hash(struct pool *pool, const struct conf *conf, const char *token,
			   const char *key, char hash[65])
{
	const char *s = pool_printf(pool, "%s\n%d\n%s\n%s\n%s\n%ld", token, (int)conf->jwt_algorithm,
				    key, conf->jwt_issuer, conf->jwt_audience,
				    (long)conf->jwt_leeway_seconds);

	sha256_hex(s, strlen(s), hash);
}

enum auth_result auth_verify_jwt(struct pool *pool, const struct conf *conf, const char *token,
				 time_t now, struct principal *p)
{
	jwt_t *jwt = NULL;
	const char *key, *alg, *sub, *iss, **perms = NULL, **roles = NULL;
	char hash[65];
	struct cached_principal *slot;
	size_t nperms, nroles, i;
	long exp, nbf;
	int keylen, present, has_nbf;
	enum auth_result ret = AUTH_INVALID;

	memset(p, 0, sizeof(*p));
	/* libjwt 1.10 misbehaves on empty segments: only a well-formed
	 * header.payload.signature of base64url text reaches it. */
	if (!jwt_well_formed(token) || now < 0)
		goto out;
	key = verify_key(conf, &keylen);
	jwt_cache_hash(pool, conf, token, key, hash);
	slot = principal_cache_slot(jwt_cache, JWT_CACHE_SLOTS, hash);
	if (principal_cache_get(pool, slot, hash, (uint64_t)now, p)) {
		ret = AUTH_OK;
		goto out;
	}
	/* A key is always passed: libjwt skips verification without one. */
	if (jwt_decode(&jwt, token, (const unsigned char *)key, keylen) || !jwt)
		goto out;
	/* The header names the algorithm; only the configured one is trusted,
	 * spelled exactly as RFC 7518 spells it (libjwt ignores letter case). */
	alg = jwt_get_header(jwt, "alg");
	if (jwt_get_alg(jwt) != pinned_alg(conf) || !alg ||
	    strcmp(alg, conf->jwt_algorithm == JWT_RS256 ? "RS256" : "HS256"))
		goto out;
	if (int_claim(jwt, "exp", &exp, &present) || !present)
		goto out;
	if (now >= exp + conf->jwt_leeway_seconds)
		goto out;
	if (int_claim(jwt, "nbf", &nbf, &has_nbf))
		goto out;
	if (has_nbf && now + conf->jwt_leeway_seconds < nbf)
		goto out;
	iss = jwt_get_grant(jwt, "iss");
	if (*conf->jwt_issuer && (!iss || strcmp(iss, conf->jwt_issuer)))
		goto out;
	if (*conf->jwt_audience && !audience_matches(jwt, conf->jwt_audience))
		goto out;
	sub = jwt_get_grant(jwt, "sub");
	if (!sub || !*sub)
		goto out;
	if (workspace_claim(jwt, &p->workspace_id))
		goto out;
	if (string_list_claim(pool, jwt, "permissions", &perms, &nperms) ||
	    string_list_claim(pool, jwt, "roles", &roles, &nroles))
		goto out;
	p->permissions = pool_calloc(pool, nperms + 1, sizeof(char *));
	for (i = 0; i < nperms; i++) {
		/* An unknown spelling grants nothing, but does not void the token. */
		const char *norm = perm_normalise(pool, perms[i]);

		if (norm)
			p->permissions[p->npermissions++] = norm;
	}
	for (i = 0; i < nroles; i++)
		p->roles |= role_parse(roles[i]);
	p->subject = pool_strdup(pool, sub);
	p->authenticated = 1;
	if (!has_nbf)
		principal_cache_put(slot, hash, (uint64_t)exp + (uint64_t)conf->jwt_leeway_seconds, p);
	ret = AUTH_OK;
out:
	if (jwt)
		jwt_free(jwt);
	if (ret != AUTH_OK)
		memset(p, 0, sizeof(*p));
	return ret;
}

char *auth_sign_jwt(const struct conf *conf, const char *subject, int64_t workspace_id,
		    const char *const *permissions, size_t npermissions,
		    const char *const *roles, size_t nroles, long ttl_seconds, time_t now)
{
	jwt_t *jwt = NULL;
	json_object *grants = json_object_new_object(), *arr;
	const char *key;
	char *token = NULL;
	size_t i;

	if (conf->jwt_algorithm == JWT_RS256 && !conf->jwt_private_key) {
		error("'jwt.private_key_file' is required to sign RS256 tokens");
		goto out;
	}
	key = conf->jwt_algorithm == JWT_RS256 ? conf->jwt_private_key : conf->jwt_secret;
	if (jwt_new(&jwt) ||
	    jwt_set_alg(jwt, pinned_alg(conf), (const unsigned char *)key, (int)strlen(key))) {
		error("unable to set up the token");
		goto out;
	}
	json_object_object_add(grants, "sub", json_object_new_string(subject));
	if (workspace_id > 0) {
		char ws[32];

		snprintf(ws, sizeof(ws), "ws_%lld", (long long)workspace_id);
		json_object_object_add(grants, "workspace", json_object_new_string(ws));
	}
	arr = json_object_new_array();
	for (i = 0; i < npermissions; i++)
		json_object_array_add(arr, json_object_new_string(permissions[i]));
	json_object_object_add(grants, "permissions", arr);
	arr = json_object_new_array();
	for (i = 0; i < nroles; i++)
		json_object_array_add(arr, json_object_new_string(roles[i]));
	json_object_object_add(grants, "roles", arr);
	json_object_object_add(grants, "iat", json_object_new_int64(now));
	json_object_object_add(grants, "exp", json_object_new_int64(now + ttl_seconds));
	if (*conf->jwt_issuer)
		json_object_object_add(grants, "iss", json_object_new_string(conf->jwt_issuer));
	if (*conf->jwt_audience)
		json_object_object_add(grants, "aud", json_object_new_string(conf->jwt_audience));
	if (jwt_add_grants_json(jwt, json_object_to_json_string(grants))) {
		error("unable to add the token's claims");
		goto out;
	}
	token = jwt_encode_str(jwt);
	if (!token)
		error("unable to sign the token");
out:
	json_object_put(grants);
	if (jwt)
		jwt_free(jwt);
	return token;
}
