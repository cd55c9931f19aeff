/*
 * inventoryctl: the admin CLI. Migrations, workspaces, API keys, tokens,
 * imports and the OpenAPI document.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/conf.h"
#include "core/ids.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "ledger/ledger.h"
#include "routes.h"

static const char usage_main[] =
	"usage: inventoryctl [--config FILE] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  migrate [--dir DIR]                 apply the schema migrations not applied yet\n"
	"  workspace create SLUG [--name NAME] create a workspace\n"
	"  workspace list                      list the workspaces\n"
	"  workspace set SLUG [--allow-negative yes|no] [--healthcare yes|no]\n"
	"      [--large-adjustment-threshold N] [--approval-quantity N] [--approval-cost X]\n"
	"  ledger verify [--workspace SLUG]    recompute stock lines from the ledger\n"
	"  apikey create --workspace SLUG --permissions P1,P2 [--roles R1,R2] [--name NAME]\n"
	"  apikey revoke ID                    revoke an API key (key_N)\n"
	"  apikey list --workspace SLUG        list a workspace's API keys\n"
	"  token --workspace SLUG --user ID --permissions P1,P2 [--roles R1,R2] [--ttl SECONDS]\n"
	"  import KIND FILE --workspace SLUG   import products|locations|bins|channels|lots|stock\n"
	"  openapi                             print the OpenAPI document\n"
	"\n"
	"The configuration file is --config FILE or $INVENTORY_CONF.\n"
	"Every command takes --help.\n";

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int64_t cli_workspace_id(struct cli *c, const char *slug)
{
	struct db_result res;

	if (db_query(c->db, c->pool, "SELECT id FROM workspaces WHERE slug = ?",
		     DB_ARGS(ARG_TEXT(slug)), &res)) {
		error("database: %s", db_error(c->db));
		return 0;
	}
	if (res.nrows == 0) {
		error("no workspace '%s'", slug);
		return 0;
	}
	return db_cell_int(&res, 0, 0);
}

/* ---- migrate ---- */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_migrate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "dir", required_argument, NULL, 'd' }, { 0 } };
	const char *dir = PKGDATADIR "/migrations";
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct db_result res;
	DIR *d = NULL;
	struct dirent *de;
	int opt, ret = 1, applied = 0, locked = 0;

	if (wants_help(argc, argv)) {
		printf("usage: inventoryctl migrate [--dir DIR]\n\nApplies, in order, the files "
		       "NNNN_name.sql of DIR (default %s)\nthat are not recorded in schema_migrations "
		       "yet. Safe to run again.\n", PKGDATADIR "/migrations");
		return 0;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'd')
			goto out;
		dir = optarg;
	}
	d = opendir(dir);
	if (!d) {
		error("unable to open '%s': %s", dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 9 || strcmp(de->d_name + len - 4, ".sql") || de->d_name[4] != '_')
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			names = xrealloc(names, alloc * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	qsort(names, n, sizeof(*names), compare_names);
	/* Two migrate runs at once must not apply a file twice. */
	if (db_query(c->db, c->pool, "SELECT GET_LOCK('inventory_migrate', 60)", DB_NOARGS, &res) ||
	    db_cell_int(&res, 0, 0) != 1) {
		error("unable to take the migration lock: %s", db_error(c->db));
		goto out;
	}
	locked = 1;
	if (db_exec_script(c->db,
			   "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   " version CHAR(4) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
			   " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))"
			   " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")) {
		error("unable to create schema_migrations: %s", db_error(c->db));
		goto out;
	}
	for (i = 0; i < n; i++) {
		char version[5], *path, *sql;

		memcpy(version, names[i], 4);
		version[4] = '\0';
		if (db_query(c->db, c->pool, "SELECT 1 FROM schema_migrations WHERE version = ?",
			     DB_ARGS(ARG_TEXT(version)), &res)) {
			error("database: %s", db_error(c->db));
			goto out;
		}
		if (res.nrows)
			continue;
		path = pool_printf(c->pool, "%s/%s", dir, names[i]);
		sql = read_whole_file(path);
		if (!sql) {
			error("unable to read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (db_exec_script(c->db, sql)) {
			error("migration '%s' failed: %s", names[i], db_error(c->db));
			free(sql);
			goto out;
		}
		free(sql);
		if (db_query(c->db, c->pool, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
			     DB_ARGS(ARG_TEXT(version), ARG_TEXT(names[i])), NULL)) {
			error("database: %s", db_error(c->db));
			goto out;
		}
		printf("applied %s\n", names[i]);
		applied++;
	}
	printf("%d migration%s applied, schema up to date\n", applied, applied == 1 ? "" : "s");
	ret = 0;
out:
	if (locked)
		db_query(c->db, c->pool, "SELECT RELEASE_LOCK('inventory_migrate')", DB_NOARGS, NULL);
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* ---- workspace ---- */

static int valid_slug(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 64)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}

static int parse_yes_no(const char *v, const char *opt, int64_t *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = 0;
	else
		return error("%s takes yes or no, not '%s'", opt, v);
	return 0;
}

/* The workspace settings that `workspace set` changes: option, column. */
static const struct {
	const char *option;
	const char *column;
	int is_flag;
} workspace_settings[] = {
	{ "allow-negative", "allow_negative_stock", 1 },
	{ "healthcare", "is_healthcare", 1 },
	{ "large-adjustment-threshold", "large_adjustment_threshold", 0 },
	{ "approval-quantity", "approval_quantity_threshold", 0 },
	{ "approval-cost", "approval_cost_threshold", 0 },
};

static int workspace_set(struct cli *c, int argc, char **argv)
{
	struct option opts[ARRAY_SIZE(workspace_settings) + 1];
	struct db_result res;
	int64_t ws_id, v;
	size_t i;
	int opt, idx;

	memset(opts, 0, sizeof(opts));
	for (i = 0; i < ARRAY_SIZE(workspace_settings); i++) {
		opts[i].name = workspace_settings[i].option;
		opts[i].has_arg = required_argument;
		opts[i].val = 's';
	}
	if (argc < 3 || argv[2][0] == '-')
		return error("workspace set: SLUG is required"), 1;
	if (!(ws_id = cli_workspace_id(c, argv[2])))
		return 1;
	optind = 3;
	while ((opt = getopt_long(argc, argv, "", opts, &idx)) != -1) {
		const char *sql;

		if (opt != 's')
			return 1;
		if (workspace_settings[idx].is_flag) {
			if (parse_yes_no(optarg, opts[idx].name, &v))
				return 1;
		} else if (strcmp(workspace_settings[idx].option, "approval-cost") == 0) {
			char *end;
			double d = strtod(optarg, &end);

			if (*end || d < 0 || d > 1e13)
				return error("--approval-cost takes an amount of at least 0"), 1;
			if (db_query(c->db, c->pool,
				     "UPDATE workspaces SET approval_cost_threshold = ? WHERE id = ?",
				     DB_ARGS(ARG_DOUBLE(d), ARG_INT(ws_id)), NULL))
				return error("database: %s", db_error(c->db)), 1;
			continue;
		} else if (parse_int64(optarg, &v) || v < 0) {
			return error("--%s takes a whole number of at least 0", opts[idx].name), 1;
		}
		/* The column comes from the fixed table above, never from input. */
		sql = pool_printf(c->pool, "UPDATE workspaces SET %s = ? WHERE id = ?",
				  workspace_settings[idx].column);
		if (db_query(c->db, c->pool, sql, DB_ARGS(ARG_INT(v), ARG_INT(ws_id)), NULL))
			return error("database: %s", db_error(c->db)), 1;
	}
	if (optind < argc)
		return error("workspace set: unexpected '%s'", argv[optind]), 1;
	if (db_query(c->db, c->pool,
		     "SELECT allow_negative_stock, is_healthcare, large_adjustment_threshold,"
		     " approval_quantity_threshold, approval_cost_threshold FROM workspaces WHERE id = ?",
		     DB_ARGS(ARG_INT(ws_id)), &res))
		return error("database: %s", db_error(c->db)), 1;
	for (i = 0; i < ARRAY_SIZE(workspace_settings); i++)
		printf("%s: %s\n", workspace_settings[i].option, db_cell(&res, 0, i));
	return 0;
}

static int cmd_workspace(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'n' }, { 0 } };
	const char *name = NULL, *slug;
	struct db_result res;
	int64_t ws_id;
	size_t i;
	int opt;

	if (wants_help(argc, argv) || argc < 2) {
		printf("usage: inventoryctl workspace create SLUG [--name NAME]\n"
		       "       inventoryctl workspace list\n"
		       "       inventoryctl workspace set SLUG [--allow-negative yes|no] [--healthcare yes|no]\n"
		       "           [--large-adjustment-threshold N] [--approval-quantity N] [--approval-cost X]\n\n"
		       "SLUG: lowercase letters, digits, '-' and '_', at most 64.\n"
		       "create gives the workspace the standard reason codes (CYCLE_COUNT, DAMAGE, ...).\n"
		       "set prints the settings after the change:\n"
		       "  allow-negative              on-hand may go below zero (default no)\n"
		       "  healthcare                  large negative adjustments need a root cause (no)\n"
		       "  large-adjustment-threshold  what counts as large (100 units)\n"
		       "  approval-quantity           stock adjustments above this need approval (50)\n"
		       "  approval-cost               ... or above this cost impact (500)\n");
		return argc < 2 && !wants_help(argc, argv);
	}
	if (!strcmp(argv[1], "list")) {
		if (db_query(c->db, c->pool, "SELECT id, slug, name FROM workspaces ORDER BY id",
			     DB_NOARGS, &res))
			return error("database: %s", db_error(c->db)), 1;
		for (i = 0; i < res.nrows; i++)
			printf("ws_%s\t%s\t%s\n", db_cell(&res, i, 0), db_cell(&res, i, 1),
			       db_cell(&res, i, 2));
		return 0;
	}
	if (!strcmp(argv[1], "set"))
		return workspace_set(c, argc, argv);
	if (strcmp(argv[1], "create"))
		return error("unknown workspace command '%s'", argv[1]), 1;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'n')
			return 1;
		name = optarg;
	}
	if (optind >= argc)
		return error("workspace create: SLUG is required"), 1;
	slug = argv[optind];
	if (!valid_slug(slug))
		return error("invalid slug '%s': use lowercase letters, digits, '-' and '_'", slug), 1;
	/* A workspace starts with the standard reason codes (migration 0006). */
	if (db_begin(c->db) ||
	    db_query(c->db, c->pool, "INSERT INTO workspaces (slug, name) VALUES (?, ?)",
		     DB_ARGS(ARG_TEXT(slug), ARG_TEXT(name ? name : slug)), &res))
		goto fail;
	ws_id = res.insert_id;
	if (db_query(c->db, c->pool,
		     "INSERT INTO reason_codes (workspace_id, code, name, description)"
		     " SELECT ?, code, name, description FROM standard_reason_codes ORDER BY code",
		     DB_ARGS(ARG_INT(ws_id)), NULL) ||
	    db_commit(c->db))
		goto fail;
	printf("id: ws_%llu\nslug: %s\n", (unsigned long long)ws_id, slug);
	return 0;
fail:
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		error("workspace '%s' already exists", slug);
	else
		error("database: %s", db_error(c->db));
	db_rollback(c->db);
	return 1;
}

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
 * Normalises a permission list into "a.b,c.*". A well-formed permission
 * that grants none of perm_names (a typo, or one of a later version) is
 * kept, with a warning. Returns NULL after an error.
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
		if (!perm_set_granted(norm))
			fprintf(stderr, "warning: permission '%s' grants nothing: no such permission\n",
				perms[i]);
		if (sb.len)
			strbuf_addch(&sb, ',');
		strbuf_adds(&sb, norm);
	}
	out = pool_strdup(pool, sb.buf);
	strbuf_release(&sb);
	return out;
}

static int check_roles(const char *roles)
{
	unsigned bits;

	if (roles && roles_parse_list(roles, &bits))
		return error("invalid roles '%s': use member, manager and admin", roles);
	return 0;
}

static int cmd_apikey(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "workspace", required_argument, NULL, 'w' },
		{ "permissions", required_argument, NULL, 'p' },
		{ "roles", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ 0 }
	};
	const char *ws = NULL, *perms = NULL, *roles = "", *name = "";
	char key[APIKEY_LEN + 1], hash[65];
	struct db_result res;
	int64_t ws_id, id;
	size_t i;
	int opt;

	if (wants_help(argc, argv) || argc < 2) {
		printf("usage: inventoryctl apikey create --workspace SLUG --permissions P1,P2 "
		       "[--roles R1,R2] [--name NAME]\n"
		       "       inventoryctl apikey revoke ID\n"
		       "       inventoryctl apikey list --workspace SLUG\n\n"
		       "create prints the key's id and the key itself, which is shown only once:\n"
		       "only its SHA-256 hash is stored. Permissions are strings such as\n"
		       "inventory.read, inventory.* or *; roles are member, manager and admin.\n");
		return argc < 2 && !wants_help(argc, argv);
	}
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'w': ws = optarg; break;
		case 'p': perms = optarg; break;
		case 'r': roles = optarg; break;
		case 'n': name = optarg; break;
		default: return 1;
		}
	}
	if (!strcmp(argv[1], "revoke")) {
		if (optind >= argc || !(id = id_parse(ID_APIKEY, argv[optind])))
			return error("apikey revoke: give the key's id, key_N"), 1;
		if (db_query(c->db, c->pool,
			     "UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP(3)"
			     " WHERE id = ? AND revoked_at IS NULL", DB_ARGS(ARG_INT(id)), &res))
			return error("database: %s", db_error(c->db)), 1;
		if (res.affected != 1)
			return error("no active API key '%s'", argv[optind]), 1;
		printf("revoked %s\n", argv[optind]);
		return 0;
	}
	if (!ws)
		return error("apikey %s: --workspace is required", argv[1]), 1;
	if (!(ws_id = cli_workspace_id(c, ws)))
		return 1;
	if (!strcmp(argv[1], "list")) {
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
	if (strcmp(argv[1], "create"))
		return error("unknown apikey command '%s'", argv[1]), 1;
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

static int cmd_token(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "workspace", required_argument, NULL, 'w' },
		{ "user", required_argument, NULL, 'u' },
		{ "permissions", required_argument, NULL, 'p' },
		{ "roles", required_argument, NULL, 'r' },
		{ "ttl", required_argument, NULL, 't' },
		{ 0 }
	};
	const char *ws = NULL, *user = NULL, *perms = "", *roles = "", **plist, **rlist;
	int64_t ws_id = 0, ttl = 3600;
	size_t np, nr;
	char *token;
	int opt;

	if (wants_help(argc, argv)) {
		printf("usage: inventoryctl token --workspace SLUG --user ID --permissions P1,P2 "
		       "[--roles R1,R2] [--ttl SECONDS]\n\n"
		       "Prints a JWT signed with the configured algorithm and key (jwt.secret, or\n"
		       "jwt.private_key_file for RS256). --workspace none makes a token without a\n"
		       "workspace (platform level), which every inventory route refuses. TTL: 3600.\n");
		return 0;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'w': ws = optarg; break;
		case 'u': user = optarg; break;
		case 'p': perms = optarg; break;
		case 'r': roles = optarg; break;
		case 't':
			if (parse_int64(optarg, &ttl) || ttl < 1 || ttl > 31536000)
				return error("--ttl must be 1 to 31536000 seconds"), 1;
			break;
		default: return 1;
		}
	}
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

static void print_mismatch(void *ctx, const char *what)
{
	(void)ctx;
	printf("mismatch: %s\n", what);
}

static int cmd_ledger(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "workspace", required_argument, NULL, 'w' }, { 0 } };
	const char *ws = NULL;
	int64_t ws_id = 0;
	long mismatches;
	int opt;

	if (wants_help(argc, argv) || argc < 2) {
		printf("usage: inventoryctl ledger verify [--workspace SLUG]\n\n"
		       "Recomputes every stock line (of one workspace, or all) from its stock\n"
		       "transactions and prints each mismatch. Exits 1 when there is one.\n");
		return argc < 2 && !wants_help(argc, argv);
	}
	if (strcmp(argv[1], "verify"))
		return error("unknown ledger command '%s'", argv[1]), 1;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'w')
			return 1;
		ws = optarg;
	}
	if (ws && !(ws_id = cli_workspace_id(c, ws)))
		return 1;
	mismatches = ledger_verify(c->db, c->pool, ws_id, print_mismatch, NULL);
	if (mismatches < 0)
		return error("database: %s", db_error(c->db)), 1;
	printf("%ld mismatch%s\n", mismatches, mismatches == 1 ? "" : "es");
	return mismatches ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct conf conf = { 0 };
	struct cli c = { &conf, NULL, NULL };
	const char *config = NULL, *cmd;
	int ret = 1, first = 1;

	if (argc > 2 && !strcmp(argv[1], "--config")) {
		config = argv[2];
		first = 3;
	}
	if (argc <= first || !strcmp(argv[first], "--help") || !strcmp(argv[first], "-h") ||
	    !strcmp(argv[first], "help")) {
		fputs(usage_main, argc <= first ? stderr : stdout);
		return argc <= first ? 1 : 0;
	}
	cmd = argv[first];
	argc -= first;
	argv += first;
	if (!strcmp(cmd, "openapi")) {
		json_object *doc = openapi_document();

		printf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
		return 0;
	}
	if (strcmp(cmd, "migrate") && strcmp(cmd, "workspace") && strcmp(cmd, "apikey") &&
	    strcmp(cmd, "token") && strcmp(cmd, "import") && strcmp(cmd, "ledger")) {
		error("unknown command '%s'", cmd);
		fputs(usage_main, stderr);
		return 1;
	}
	/* --help needs neither configuration nor database. */
	if (wants_help(argc, argv) && strcmp(cmd, "import") == 0)
		return cmd_import(&c, argc, argv);
	if (!wants_help(argc, argv)) {
		if (conf_load(&conf, config, !strcmp(cmd, "token")))
			return 1;
		if (mysql_library_init(0, NULL, NULL))
			die("unable to initialise the MariaDB client library");
		c.db = db_open(&conf, DB_ADMIN);
		if (db_ping(c.db)) {
			error("unable to reach the database: %s", db_error(c.db));
			goto out;
		}
	}
	c.pool = pool_create();
	if (!strcmp(cmd, "migrate"))
		ret = cmd_migrate(&c, argc, argv);
	else if (!strcmp(cmd, "workspace"))
		ret = cmd_workspace(&c, argc, argv);
	else if (!strcmp(cmd, "apikey"))
		ret = cmd_apikey(&c, argc, argv);
	else if (!strcmp(cmd, "token"))
		ret = cmd_token(&c, argc, argv);
	else if (!strcmp(cmd, "ledger"))
		ret = cmd_ledger(&c, argc, argv);
	else
		ret = cmd_import(&c, argc, argv);
out:
	pool_destroy(c.pool);
	db_close(c.db);
	if (c.db)
		mysql_library_end();
	if (c.conf->db_name)
		conf_release(&conf);
	return ret;
}
