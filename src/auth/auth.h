/* SPDX-License-Identifier: MIT */
/*
 * Authentication: a bearer credential (a JWT or an API key) becomes a
 * principal: the workspace it acts in, its permissions and its roles.
 */
#ifndef INV_AUTH_H
#define INV_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "auth/perm.h"

struct pool;
struct db;
struct conf;

enum role { ROLE_MEMBER = 1u << 0, ROLE_MANAGER = 1u << 1, ROLE_ADMIN = 1u << 2 };

#define AUTH_MAX_PERMISSIONS 64

struct principal {
	int authenticated;
	int64_t workspace_id;          /* 0: no workspace (platform token) */
	const char *subject;           /* user id, or "apikey:<id>" */
	const char **permissions;      /* normalised to the dotted spelling */
	size_t npermissions;
	unsigned roles;
};

enum auth_result { AUTH_OK = 0, AUTH_INVALID = -1, AUTH_ERROR = -2 };

/*
 * Verifies the "Bearer ..." header value and fills p from the pool.
 * Returns AUTH_OK, AUTH_INVALID (answer 401) or AUTH_ERROR (the database
 * could not be asked: answer 500/503).
 */
enum auth_result auth_authenticate(struct pool *pool, struct db *db, const struct conf *conf,
				   const char *authorization, struct principal *p);

/* JWT verification alone (no database); now is the current time. */
enum auth_result auth_verify_jwt(struct pool *pool, const struct conf *conf, const char *token,
				 time_t now, struct principal *p);
/*
 * Signs a token with the configured algorithm and key. Returns a malloc'd
 * string or NULL after printing an error.
 */
char *auth_sign_jwt(const struct conf *conf, const char *subject, int64_t workspace_id,
		    const char *const *permissions, size_t npermissions,
		    const char *const *roles, size_t nroles, long ttl_seconds, time_t now);

/* API keys: "ik_" followed by 64 hex digits from getrandom(2). */
#define APIKEY_PREFIX "ik_"
#define APIKEY_LEN (3 + 64)
/* Writes a new key and its SHA-256 hash (hex). Returns 0 or -1. */
int apikey_generate(char key[APIKEY_LEN + 1], char hash[65]);
enum auth_result apikey_verify(struct pool *pool, struct db *db, const struct conf *conf,
			       const char *key, struct principal *p);

/*
 * Normalises a permission string: the vendor's colon spelling
 * ("inventory:read") becomes the dotted one. Returns a pool string, or
 * NULL when it is not a valid permission (letters, digits, '_', '-', '.',
 * '*' segments).
 */
const char *perm_normalise(struct pool *pool, const char *perm);
/* Returns 1 when granted (a normalised permission) covers required:
 * equal, "*", or a family "inventory.*". */
int perm_grants(const char *granted, const char *required);
/* Returns the permissions p's strings grant. */
perm_set principal_perms(const struct principal *p);
/* Returns 1 when p holds every permission in required. */
int principal_has_all(const struct principal *p, perm_set required);
/* Parses a role name; returns its bit or 0. */
unsigned role_parse(const char *name);
/* Parses a comma-separated list of roles; returns -1 on an unknown one. */
int roles_parse_list(const char *list, unsigned *roles);

#endif
