/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl: the command table and the pieces the commands share.
 * main() looks the command up in cli_commands, parses the options the row
 * declares, loads what the row needs (configuration, private key, database)
 * and only then calls the handler.
 */
#ifndef INV_CLI_H
#define INV_CLI_H

#include <stdint.h>
#include <stdio.h>

struct db;
struct pool;
struct conf;

/* The long options commands may declare; a row's options are a bit set of these. */
enum cli_opt {
	CLI_OPT_DIR,
	CLI_OPT_DRY_RUN,          /* a flag: no argument */
	CLI_OPT_FORMAT,
	CLI_OPT_LOCATION,
	CLI_OPT_NAME,
	CLI_OPT_OUTPUT,
	CLI_OPT_PERMISSIONS,
	CLI_OPT_PROGRESS,         /* a flag: no argument */
	CLI_OPT_ROLES,
	CLI_OPT_TTL,
	CLI_OPT_USER,
	CLI_OPT_WORKSPACE,
	CLI_OPT__MAX
};

#define CLI_OPTS(o) (1u << (o))

/* Exit statuses, so that scripts can tell what went wrong. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,        /* anything else: a file that cannot be read, ... */
	CLI_EXIT_USAGE = 2,       /* the command line: command, option, argument */
	CLI_EXIT_DATABASE = 3,    /* the database cannot be reached, or failed */
	CLI_EXIT_DATA = 4,        /* the data: an import file's bad lines */
};

/* What main() prepares before the handler runs. */
enum cli_flags {
	CLI_CONF = 1 << 0,        /* the configuration file */
	CLI_DB = 1 << 1,          /* a database connection (implies CLI_CONF) */
	CLI_PRIVATE_KEY = 1 << 2, /* the JWT signing key (with CLI_CONF) */
};

struct cli;

struct cli_command {
	const char *name;     /* first word: "apikey" */
	const char *sub;      /* second word, "create", or NULL when there is none */
	/* Runs the command. Returns the exit status. */
	int (*run)(struct cli *c);
	unsigned flags;       /* enum cli_flags */
	/*
	 * The options main() parses (CLI_OPTS bits) into cli.opt; with none,
	 * the handler reads cli.argv itself.
	 */
	unsigned options;
	const char *usage;    /* the arguments after the words; '\n' continues the line */
	const char *summary;  /* one line, for `inventoryctl --help` */
	const char *help;     /* more text for `inventoryctl CMD --help`, or NULL */
	void (*help_more)(FILE *out);   /* prints text that is computed, or NULL */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

struct cli {
	struct conf *conf;
	struct db *db;
	struct pool *pool;
	const struct cli_command *cmd;
	int argc;                        /* the words from the command name on */
	char **argv;
	const char *opt[CLI_OPT__MAX];   /* the declared options given, else NULL;
					  * a flag given is "" */
	int nargs;                       /* the operands left after the options */
	char **args;
};

/* Prints the usage lines and the help of c->cmd. */
void cli_usage(const struct cli *c, FILE *out);

/* Looks up a workspace by slug; returns its id, or 0 after printing an error. */
int64_t cli_workspace_id(struct cli *c, const char *slug);

/* The handlers, one per row of the table. */
int cmd_migrate(struct cli *c);
int cmd_workspace_create(struct cli *c);
int cmd_workspace_list(struct cli *c);
int cmd_workspace_set(struct cli *c);
int cmd_ledger_verify(struct cli *c);
int cmd_ledger_rollup(struct cli *c);
int cmd_apikey_create(struct cli *c);
int cmd_apikey_revoke(struct cli *c);
int cmd_apikey_list(struct cli *c);
int cmd_token(struct cli *c);
int cmd_import(struct cli *c);
int cmd_export(struct cli *c);
int cmd_openapi(struct cli *c);

/* Prints the import kinds and their columns (inventoryctl import --help). */
void import_help(FILE *out);
/* Prints the export kinds and their columns (inventoryctl export --help). */
void export_help(FILE *out);
/* Prints the known permissions (inventoryctl apikey create --help). */
void permissions_help(FILE *out);

#endif
