/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl: the admin CLI. Migrations, workspaces, API keys, tokens,
 * imports, exports and the OpenAPI document.
 *
 * Every command is one row of cli_commands. The row drives the lookup, the
 * `--help` texts, the option parsing and what is loaded before the handler
 * runs, so a handler only ever sees a known command with valid options.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <mysql.h>

#include "cli/cli.h"
#include "core/conf.h"
#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "routes.h"

#define APIKEY_OPTIONS                                                                  \
	(CLI_OPTS(CLI_OPT_WORKSPACE) | CLI_OPTS(CLI_OPT_PERMISSIONS) | CLI_OPTS(CLI_OPT_ROLES) | \
	 CLI_OPTS(CLI_OPT_NAME))

/* In the order of `inventoryctl --help`; rows of one command are adjacent. */
const struct cli_command cli_commands[] = {
	{
		.name = "migrate",
		.run = cmd_migrate,
		.flags = CLI_DB,
		.options = CLI_OPTS(CLI_OPT_DIR),
		.usage = "[--dir DIR]",
		.summary = "apply the schema migrations not applied yet",
		.help = "Applies, in order, the files NNNN_name.sql of DIR (default "
			PKGDATADIR "/migrations)\nthat are not recorded in schema_migrations "
			"yet. Safe to run again.",
	},
	{
		.name = "workspace", .sub = "create",
		.run = cmd_workspace_create,
		.flags = CLI_DB,
		.options = CLI_OPTS(CLI_OPT_NAME),
		.usage = "SLUG [--name NAME]",
		.summary = "create a workspace",
		.help = "SLUG: lowercase letters, digits, '-' and '_', at most 64.\n"
			"create gives the workspace the standard reason codes (CYCLE_COUNT, DAMAGE, ...).",
	},
	{
		.name = "workspace", .sub = "list",
		.run = cmd_workspace_list,
		.flags = CLI_DB,
		.usage = "",
		.summary = "list the workspaces",
	},
	{
		/* Reads its settings itself, in order: see workspace_settings. */
		.name = "workspace", .sub = "set",
		.run = cmd_workspace_set,
		.flags = CLI_DB,
		.usage = "SLUG [--allow-negative yes|no] [--healthcare yes|no]\n"
			 "[--large-adjustment-threshold N] [--approval-quantity N] [--approval-cost X]\n"
			 "[--request-approval yes|no]",
		.summary = "change a workspace's settings",
		.help = "set prints the settings after the change:\n"
			"  allow-negative              on-hand may go below zero (default no)\n"
			"  healthcare                  large negative adjustments need a root cause (no)\n"
			"  large-adjustment-threshold  what counts as large (100 units)\n"
			"  approval-quantity           stock adjustments above this need approval (50)\n"
			"  approval-cost               ... or above this cost impact (500)\n"
			"  request-approval            submitted stock requests wait for approval (yes)",
	},
	{
		.name = "ledger", .sub = "verify",
		.run = cmd_ledger_verify,
		.flags = CLI_DB,
		.options = CLI_OPTS(CLI_OPT_WORKSPACE),
		.usage = "[--workspace SLUG]",
		.summary = "recompute stock lines from the ledger",
		.help = "Recomputes every stock line (of one workspace, or all) from its stock\n"
			"transactions, and the sums kept per product, and prints each mismatch.\n"
			"Exits 1 when there is one.",
	},
	{
		.name = "ledger", .sub = "rollup",
		.run = cmd_ledger_rollup,
		.flags = CLI_DB,
		.options = CLI_OPTS(CLI_OPT_WORKSPACE),
		.usage = "--workspace SLUG",
		.summary = "rebuild the per-product sums of the ledger",
		.help = "Recomputes a workspace's per-product sums (on hand, and per day the\n"
			"deltas and outflows that the analytics read) from its stock transactions,\n"
			"after the ledger was changed other than through the API or import. Run it\n"
			"while nothing posts to the workspace.",
	},
	{
		.name = "apikey", .sub = "create",
		.run = cmd_apikey_create,
		.flags = CLI_DB,
		.options = APIKEY_OPTIONS,
		.usage = "--workspace SLUG --permissions P1,P2 [--roles R1,R2] [--name NAME]",
		.summary = "create an API key",
		.help = "create prints the key's id and the key itself, which is shown only once:\n"
			"only its SHA-256 hash is stored. Permissions are strings such as\n"
			"inventory.read, inventory.* or *; roles are member, manager and admin.",
		.help_more = permissions_help,
	},
	{
		.name = "apikey", .sub = "revoke",
		.run = cmd_apikey_revoke,
		.flags = CLI_DB,
		.options = APIKEY_OPTIONS,
		.usage = "ID",
		.summary = "revoke an API key (key_N)",
	},
	{
		.name = "apikey", .sub = "list",
		.run = cmd_apikey_list,
		.flags = CLI_DB,
		.options = APIKEY_OPTIONS,
		.usage = "--workspace SLUG",
		.summary = "list a workspace's API keys",
	},
	{
		.name = "token",
		.run = cmd_token,
		.flags = CLI_DB | CLI_PRIVATE_KEY,
		.options = CLI_OPTS(CLI_OPT_WORKSPACE) | CLI_OPTS(CLI_OPT_USER) |
			   CLI_OPTS(CLI_OPT_PERMISSIONS) | CLI_OPTS(CLI_OPT_ROLES) | CLI_OPTS(CLI_OPT_TTL),
		.usage = "--workspace SLUG --user ID --permissions P1,P2 [--roles R1,R2] [--ttl SECONDS]",
		.summary = "print a signed JWT",
		.help = "Prints a JWT signed with the configured algorithm and key (jwt.secret, or\n"
			"jwt.private_key_file for RS256). --workspace none makes a token without a\n"
			"workspace (platform level), which every inventory route refuses. TTL: 3600.",
		.help_more = permissions_help,
	},
	{
		.name = "import",
		.run = cmd_import,
		.flags = CLI_DB,
		.options = CLI_OPTS(CLI_OPT_WORKSPACE) | CLI_OPTS(CLI_OPT_DRY_RUN) |
			   CLI_OPTS(CLI_OPT_PROGRESS),
		.usage = "KIND FILE --workspace SLUG [--dry-run] [--progress]",
		.summary = "import products|locations|bins|channels|lots|stock",
		.help = "FILE is CSV (RFC 4180: quoted fields may hold commas, doubled quotes and\n"
			"line breaks). The first line names the columns (any order; * marks the\n"
			"required ones):",
		.help_more = import_help,
	},
	{
		.name = "export",
		.run = cmd_export,
		.flags = CLI_DB,
		.options = CLI_OPTS(CLI_OPT_WORKSPACE) | CLI_OPTS(CLI_OPT_FORMAT) |
			   CLI_OPTS(CLI_OPT_LOCATION) | CLI_OPTS(CLI_OPT_OUTPUT),
		.usage = "KIND --workspace SLUG [--format csv|ndjson] [--location ID|CODE]\n"
			 "--output FILE",
		.summary = "export a workspace's rows to a file",
		.help = "Writes every stock line (inventory) or stock transaction (transactions) of\n"
			"the workspace, or of one location, ordered by id, in the columns of\n"
			"GET /api/inventory and of the adjustment history; or every product,\n"
			"location, bin, channel, lot or stock line in the columns of inventoryctl\n"
			"import, which reads the files back (import them in that order: products,\n"
			"locations, bins, channels, lots, stock). csv (the default) is\n"
			"RFC 4180 with CRLF line ends, ndjson one JSON object per line, as\n"
			"GET /api/inventory/export writes them. Rows are read 1,000 at a time and\n"
			"written at once, so memory stays flat; the rows so far go to stderr. FILE\n"
			"appears only once it is whole (it is written beside it, then renamed); '-'\n"
			"writes to standard output. Exits 1, leaving no FILE, when the export fails.",
		.help_more = export_help,
	},
	{
		.name = "openapi",
		.run = cmd_openapi,
		.usage = "",
		.summary = "print the OpenAPI document",
		.help = "Prints the OpenAPI 3.1 document of the API (as GET /api/openapi.json\n"
			"serves it) on standard output. Needs no configuration.",
	},
};

const size_t cli_ncommands = ARRAY_SIZE(cli_commands);

static const struct {
	const char *name;
	int has_arg;              /* getopt's required_argument or no_argument */
} cli_opts[CLI_OPT__MAX] = {
	[CLI_OPT_DIR] = { "dir", required_argument },
	[CLI_OPT_DRY_RUN] = { "dry-run", no_argument },
	[CLI_OPT_FORMAT] = { "format", required_argument },
	[CLI_OPT_LOCATION] = { "location", required_argument },
	[CLI_OPT_NAME] = { "name", required_argument },
	[CLI_OPT_OUTPUT] = { "output", required_argument },
	[CLI_OPT_PERMISSIONS] = { "permissions", required_argument },
	[CLI_OPT_PROGRESS] = { "progress", no_argument },
	[CLI_OPT_ROLES] = { "roles", required_argument },
	[CLI_OPT_TTL] = { "ttl", required_argument },
	[CLI_OPT_USER] = { "user", required_argument },
	[CLI_OPT_WORKSPACE] = { "workspace", required_argument },
};

/* The summary column of `inventoryctl --help`. */
#define SUMMARY_COLUMN 38

/*
 * Prints "name sub usage" starting at column start, continuing each further
 * line of the usage at column indent. Returns the column where it stopped.
 */
static int print_synopsis(FILE *out, const struct cli_command *cmd, int start, int indent)
{
	const char *p = cmd->usage, *nl;
	int col = start;

	col += fprintf(out, "%s%s%s%s", cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "",
		       *p ? " " : "");
	while ((nl = strchr(p, '\n'))) {
		fprintf(out, "%.*s\n%*s", (int)(nl - p), p, indent, "");
		col = indent;
		p = nl + 1;
	}
	return col + fprintf(out, "%s", p);
}

static void print_commands(FILE *out)
{
	size_t i;

	fputs("usage: inventoryctl [--config FILE] COMMAND [ARGS]\n\ncommands:\n", out);
	for (i = 0; i < cli_ncommands; i++) {
		int col;

		fputs("  ", out);
		col = print_synopsis(out, &cli_commands[i], 2, 6);
		if (col < SUMMARY_COLUMN && !strchr(cli_commands[i].usage, '\n'))
			fprintf(out, "%*s", SUMMARY_COLUMN - col, "");
		else
			fprintf(out, "\n%*s", SUMMARY_COLUMN, "");
		fprintf(out, "%s\n", cli_commands[i].summary);
	}
	fputs("\nThe configuration file is --config FILE (or --config=FILE, anywhere on the\n"
	      "command line) or $INVENTORY_CONF. Every command takes --help.\n"
	      "inventoryctl --version prints the version.\n"
	      "Exit status: 0 done, 1 failed, 2 usage error, 3 the database cannot be\n"
	      "reached or failed, 4 bad data (inventoryctl import).\n", out);
}

/* Prints the usage and help of the rows of command name, or of name sub only. */
static void print_help(FILE *out, const char *name, const char *sub)
{
	const char *prefix = "usage: ";
	size_t i;

	for (i = 0; i < cli_ncommands; i++) {
		const struct cli_command *cmd = &cli_commands[i];

		if (strcmp(cmd->name, name) || (sub && strcmp(cmd->sub, sub)))
			continue;
		fprintf(out, "%sinventoryctl ", prefix);
		print_synopsis(out, cmd, 0, 11);
		fputc('\n', out);
		prefix = "       ";
	}
	for (i = 0; i < cli_ncommands; i++) {
		const struct cli_command *cmd = &cli_commands[i];

		if (strcmp(cmd->name, name) || (sub && strcmp(cmd->sub, sub)))
			continue;
		if (cmd->help)
			fprintf(out, "\n%s\n", cmd->help);
		if (cmd->help_more)
			cmd->help_more(out);
	}
}

void cli_usage(const struct cli *c, FILE *out)
{
	print_help(out, c->cmd->name, c->cmd->sub);
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (is_help(argv[i]))
			return 1;
	return 0;
}

/*
 * Finds the row of c->argv and sets c->cmd. Returns -1 when there is none,
 * or when help was asked for, after printing it; *status is then the exit
 * status.
 */
static int find_command(struct cli *c, int *status)
{
	const char *name = c->argv[0], *sub = c->argc > 1 ? c->argv[1] : NULL;
	int known = 0;
	size_t i;

	for (i = 0; i < cli_ncommands && !c->cmd; i++) {
		const struct cli_command *cmd = &cli_commands[i];

		if (strcmp(cmd->name, name))
			continue;
		known = 1;
		if (!cmd->sub || (sub && !strcmp(cmd->sub, sub)))
			c->cmd = cmd;
	}
	*status = CLI_EXIT_USAGE;
	if (!known) {
		error("unknown command '%s'", name);
		print_commands(stderr);
		return -1;
	}
	if (wants_help(c->argc, c->argv)) {
		print_help(stdout, name, c->cmd ? c->cmd->sub : NULL);
		*status = 0;
		return -1;
	}
	if (!c->cmd && !sub) {
		print_help(stderr, name, NULL);
		return -1;
	}
	if (!c->cmd) {
		error("unknown %s command '%s'", name, sub);
		return -1;
	}
	return 0;
}

/*
 * Parses the options the command declares into c->opt and leaves the
 * operands in c->args. Returns 0, or -1 after getopt printed the error.
 */
static int parse_options(struct cli *c)
{
	struct option opts[CLI_OPT__MAX + 1];
	int first = c->cmd->sub ? 2 : 1, opt;
	size_t n = 0, i;

	c->args = c->argv + first;
	c->nargs = c->argc - first;
	if (!c->cmd->options)
		return 0;
	memset(opts, 0, sizeof(opts));
	for (i = 0; i < CLI_OPT__MAX; i++)
		if (c->cmd->options & CLI_OPTS(i))
			opts[n++] = (struct option){ cli_opts[i].name, cli_opts[i].has_arg, NULL, (int)i };
	optind = first;
	while ((opt = getopt_long(c->argc, c->argv, "", opts, NULL)) != -1) {
		if (opt < 0 || opt >= CLI_OPT__MAX)
			return -1;
		c->opt[opt] = optarg ? optarg : "";
	}
	c->args = c->argv + optind;
	c->nargs = c->argc - optind;
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

int cmd_openapi(struct cli *c)
{
	json_object *doc;

	if (c->nargs) {
		cli_usage(c, stderr);
		return CLI_EXIT_USAGE;
	}
	doc = openapi_document();
	printf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return 0;
}

/*
 * Takes --config FILE and --config=FILE out of argv, wherever they are
 * (before "--"), into *config. Returns 0, or -1 after printing the error.
 */
static int take_config(int *argc, char **argv, const char **config)
{
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strncmp(argv[i], "--config=", 9)) {
			*config = argv[i] + 9;
		} else if (!strcmp(argv[i], "--config")) {
			if (i + 1 == *argc)
				return error("--config needs a FILE");
			*config = argv[++i];
		} else {
			argv[n++] = argv[i];
			continue;
		}
		if (!**config)
			return error("--config needs a FILE");
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct conf conf = { 0 };
	struct cli c = { .conf = &conf };
	const char *config = NULL;
	int ret = CLI_EXIT_FAIL;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("inventoryctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (take_config(&argc, argv, &config))
		return CLI_EXIT_USAGE;
	if (argc <= 1 || is_help(argv[1]) || !strcmp(argv[1], "help")) {
		print_commands(argc <= 1 ? stderr : stdout);
		return argc <= 1 ? CLI_EXIT_USAGE : 0;
	}
	c.argc = argc - 1;
	c.argv = argv + 1;
	if (find_command(&c, &ret))
		return ret;
	if (parse_options(&c))
		return CLI_EXIT_USAGE;
	if ((c.cmd->flags & (CLI_CONF | CLI_DB)) &&
	    conf_load(&conf, config, !!(c.cmd->flags & CLI_PRIVATE_KEY)))
		return 1;
	if (c.cmd->flags & CLI_DB) {
		if (mysql_library_init(0, NULL, NULL))
			die("unable to initialise the MariaDB client library");
		c.db = db_open(&conf, DB_ADMIN);
		if (db_ping(c.db)) {
			error("unable to reach the database: %s", db_error(c.db));
			ret = CLI_EXIT_DATABASE;
			goto out;
		}
	}
	c.pool = pool_create();
	ret = c.cmd->run(&c);
out:
	pool_destroy(c.pool);
	db_close(c.db);
	if (c.db)
		mysql_library_end();
	if (c.conf->db_name)
		conf_release(&conf);
	return ret;
}
