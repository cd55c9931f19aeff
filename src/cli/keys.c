/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl apikey and token: the credentials that reach the API.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/ids.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"

/* ---- apikey and token ---- */

/* Splits a comma-separated list into pool strings; returns the count. */
static size_t split_list(struct pool *pool, const char *list, const char ***out)
{
	char *copy = pool_strdup(pool, list), *tok, *save = NULL;
	size_t n = 1, i = 0;
	const char *p;

	for (p = list; *p; p++)
		n += *p == ',';
	*out = pool_calloc(pool, n + 1, sizeof(char *));
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok)
			(*out)[i++] = tok;
	}
	return i;
}

/*
 * Normalises a permission list into "a.b,c.*". A permission must grant
 * one of perm_names at least: a known name, a family "inventory.*" or
 * "*"; a typo is refused rather than kept as a credential that silently
 * grants nothing. Returns NULL after an error.
 */
static const char *normalise_permissions(struct pool *pool, const char *list)
{
	const char **perms;
	size_t n = split_list(pool, list, &perms), i;
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	if (n == 0 || n > AUTH_MAX_PERMISSIONS) {
		error("--permissions needs 1 to %d permissions", AUTH_MAX_PERMISSIONS);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const char *norm = perm_normalise(pool, perms[i]);

		if (!norm) {
			error("invalid permission '%s'", perms[i]);
			strbuf_release(&sb);
			return NULL;
		}
		if (!perm_set_granted(norm)) {
			error("unknown permission '%s' (see inventoryctl apikey create --help)",
			      perms[i]);
			strbuf_release(&sb);
			return NULL;
		}
		if (sb.len)
			strbuf_addch(&sb, ',');
		strbuf_adds(&sb, norm);
	}
	out = pool_strdup(pool, sb.buf);
	strbuf_release(&sb);
	return out;
}

void permissions_help(FILE *out)
{
	size_t i;

	fputs("\nThe permissions (a family \"inventory.*\" or \"*\" grants several; another\n"
	      "name is refused):\n", out);
	for (i = 0; i < PERM__MAX; i++)
		fprintf(out, "%s%s%s", i % 4 ? " " : "  ", perm_names[i],
			i % 4 == 3 || i + 1 == PERM__MAX ? "\n" : "");
}

static int check_roles(const char *roles)
{
	unsigned bits;

	if (roles && roles_parse_list(roles, &bits))
		return error("invalid roles '%s': use member, manager and admin", roles);
	return 0;
}

int cmd_apikey_revoke(struct cli *c)
{
	struct db_result res;
	int64_t id;

	if (c->nargs < 1 || !(id = id_parse(ID_APIKEY, c->args[0])))
		return error("apikey revoke: give the key's id, key_N"), 1;
	if (db_query(c->db, c->pool,
		     "UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP(3)"
		     " WHERE id = ? AND revoked_at IS NULL", DB_ARGS(ARG_INT(id)), &res))
		return error("database: %s", db_error(c->db)), 1;
	if (res.affected != 1)
		return error("no active API key '%s'", c->args[0]), 1;
	printf("revoked %s\n", c->args[0]);
	return 0;
}

/* The workspace of --workspace; returns its id, or 0 after printing an error. */
static int64_t apikey_workspace(struct cli *c)
{
	if (!c->opt[CLI_OPT_WORKSPACE]) {
		error("apikey %s: --workspace is required", c->cmd->sub);
		return 0;
	}
	return cli_workspace_id(c, c->opt[CLI_OPT_WORKSPACE]);
}

int cmd_apikey_list(struct cli *c)
{
	struct db_result res;
	int64_t ws_id;
	size_t i;

	if (!(ws_id = apikey_workspace(c)))
		return 1;
	if (db_query(c->db, c->pool,
		     "SELECT id, name, key_prefix, permissions, roles, created_at,"
		     " IFNULL(revoked_at, '') FROM api_keys WHERE workspace_id = ? ORDER BY id",
		     DB_ARGS(ARG_INT(ws_id)), &res))
		return error("database: %s", db_error(c->db)), 1;
	printf("id\tname\tprefix\tpermissions\troles\tcreated\trevoked\n");
	for (i = 0; i < res.nrows; i++)
		printf("key_%s\t%s\t%s...\t%s\t%s\t%s\t%s\n", db_cell(&res, i, 0),
		       db_cell(&res, i, 1), db_cell(&res, i, 2), db_cell(&res, i, 3),
		       db_cell(&res, i, 4), db_cell(&res, i, 5), db_cell(&res, i, 6));
	return 0;
}

int cmd_apikey_create(struct cli *c)
{
	const char *perms = c->opt[CLI_OPT_PERMISSIONS];
	const char *roles = c->opt[CLI_OPT_ROLES] ? c->opt[CLI_OPT_ROLES] : "";
	const char *name = c->opt[CLI_OPT_NAME] ? c->opt[CLI_OPT_NAME] : "";
	char key[APIKEY_LEN + 1], hash[65];
	struct db_result res;
	int64_t ws_id;

	if (!(ws_id = apikey_workspace(c)))
		return 1;
	if (!perms)
		return error("apikey create: --permissions is required"), 1;
	if (!(perms = normalise_permissions(c->pool, perms)) || check_roles(*roles ? roles : NULL))
		return 1;
	if (apikey_generate(key, hash))
		return error("unable to read random bytes: %s", strerror(errno)), 1;
	if (db_query(c->db, c->pool,
		     "INSERT INTO api_keys (workspace_id, name, key_hash, key_prefix, permissions, roles)"
		     " VALUES (?, ?, ?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(ws_id), ARG_TEXT(name), ARG_TEXT(hash),
			     ARG_TEXT(pool_strndup(c->pool, key, 10)), ARG_TEXT(perms), ARG_TEXT(roles)),
		     &res))
		return error("database: %s", db_error(c->db)), 1;
	printf("id: key_%llu\nkey: %s\n", (unsigned long long)res.insert_id, key);
	return 0;
}

int cmd_token(struct cli *c)
{
	const char *ws = c->opt[CLI_OPT_WORKSPACE], *user = c->opt[CLI_OPT_USER];
	const char *perms = c->opt[CLI_OPT_PERMISSIONS] ? c->opt[CLI_OPT_PERMISSIONS] : "";
	const char *roles = c->opt[CLI_OPT_ROLES] ? c->opt[CLI_OPT_ROLES] : "";
	const char **plist, **rlist;
	int64_t ws_id = 0, ttl = 3600;
	size_t np, nr;
	char *token;

	if (c->opt[CLI_OPT_TTL] &&
	    (parse_int64(c->opt[CLI_OPT_TTL], &ttl) || ttl < 1 || ttl > 31536000))
		return error("--ttl must be 1 to 31536000 seconds"), 1;
	if (!ws || !user)
		return error("token: --workspace and --user are required"), 1;
	if (strcmp(ws, "none") && !(ws_id = cli_workspace_id(c, ws)))
		return 1;
	if (check_roles(*roles ? roles : NULL))
		return 1;
	if (*perms && !(perms = normalise_permissions(c->pool, perms)))
		return 1;
	np = split_list(c->pool, perms, &plist);
	nr = split_list(c->pool, roles, &rlist);
	token = auth_sign_jwt(c->conf, user, ws_id, plist, np, rlist, nr, (long)ttl, time(NULL));
	if (!token)
		return 1;
	printf("%s\n", token);
	free(token);
	return 0;
}

