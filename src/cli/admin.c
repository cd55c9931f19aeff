/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl migrate, workspace and ledger: the schema, the workspaces
 * and their settings, and the ledger's consistency check.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "ledger/ledger.h"

/* ---- migrate ---- */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_migrate(struct cli *c)
{
	const char *dir = c->opt[CLI_OPT_DIR] ? c->opt[CLI_OPT_DIR] : PKGDATADIR "/migrations";
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct db_result res;
	DIR *d = NULL;
	struct dirent *de;
	int ret = 1, applied = 0, locked = 0;

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
	{ "request-approval", "request_approval", 1 },
};

/*
 * The settings are applied one by one, in the order given, so this command
 * reads its options itself rather than through the command table.
 */
int cmd_workspace_set(struct cli *c)
{
	int argc = c->argc;
	char **argv = c->argv;
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
		     " approval_quantity_threshold, approval_cost_threshold, request_approval"
		     " FROM workspaces WHERE id = ?",
		     DB_ARGS(ARG_INT(ws_id)), &res))
		return error("database: %s", db_error(c->db)), 1;
	for (i = 0; i < ARRAY_SIZE(workspace_settings); i++)
		printf("%s: %s\n", workspace_settings[i].option, db_cell(&res, 0, i));
	return 0;
}

int cmd_workspace_list(struct cli *c)
{
	struct db_result res;
	size_t i;

	if (db_query(c->db, c->pool, "SELECT id, slug, name FROM workspaces ORDER BY id",
		     DB_NOARGS, &res))
		return error("database: %s", db_error(c->db)), 1;
	for (i = 0; i < res.nrows; i++)
		printf("ws_%s\t%s\t%s\n", db_cell(&res, i, 0), db_cell(&res, i, 1),
		       db_cell(&res, i, 2));
	return 0;
}

int cmd_workspace_create(struct cli *c)
{
	const char *name = c->opt[CLI_OPT_NAME], *slug;
	struct db_result res;
	int64_t ws_id;

	if (c->nargs < 1)
		return error("workspace create: SLUG is required"), 1;
	slug = c->args[0];
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

static void print_mismatch(void *ctx, const char *what)
{
	(void)ctx;
	printf("mismatch: %s\n", what);
}

int cmd_ledger_verify(struct cli *c)
{
	const char *ws = c->opt[CLI_OPT_WORKSPACE];
	int64_t ws_id = 0;
	long mismatches;

	if (ws && !(ws_id = cli_workspace_id(c, ws)))
		return 1;
	mismatches = ledger_verify(c->db, c->pool, ws_id, print_mismatch, NULL);
	if (mismatches < 0)
		return error("database: %s", db_error(c->db)), 1;
	printf("%ld mismatch%s\n", mismatches, mismatches == 1 ? "" : "es");
	return mismatches ? 1 : 0;
}

int cmd_ledger_rollup(struct cli *c)
{
	const char *ws = c->opt[CLI_OPT_WORKSPACE];
	int64_t ws_id;

	if (!ws)
		return error("ledger rollup: --workspace is required"), 1;
	if (!(ws_id = cli_workspace_id(c, ws)))
		return 1;
	if (db_begin(c->db) || ledger_rollup_rebuild(c->db, c->pool, ws_id) || db_commit(c->db)) {
		error("database: %s", db_error(c->db));
		db_rollback(c->db);
		return 1;
	}
	printf("rebuilt the per-product sums of %s\n", ws);
	return 0;
}
