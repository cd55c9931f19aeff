/* inventoryctl: shared pieces of the admin commands. */
#ifndef INV_CLI_H
#define INV_CLI_H

#include <stdint.h>

struct db;
struct pool;
struct conf;

struct cli {
	struct conf *conf;
	struct db *db;
	struct pool *pool;
};

/* Looks up a workspace by slug; returns its id, or 0 after printing an error. */
int64_t cli_workspace_id(struct cli *c, const char *slug);

/* inventoryctl import KIND FILE --workspace SLUG. Returns the exit status. */
int cmd_import(struct cli *c, int argc, char **argv);

#endif
