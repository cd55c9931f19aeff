/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl export: a workspace's stock lines or stock transactions to a
 * file, in the columns and formats of the API's exports (api/export.h): read
 * EXPORT_CHUNK_ROWS rows at a time after the last id written, each chunk
 * written at once, so that memory stays flat whatever the size.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/adjust/adjust.h"
#include "api/export.h"
#include "api/stock/stock.h"
#include "cli/cli.h"
#include "core/ids.h"
#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "db/query.h"

/*
 * A workspace's rows in the columns of inventoryctl import, which reads
 * them back (the same names, NULL as an empty cell, booleans as true and
 * false). The key, t.id, is selected after the columns and not written.
 */
#define IMPORT_KEYSET(t) " AND " t ".id > ? ORDER BY " t ".id LIMIT ?"

static const struct field product_rows[] = {
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "name", .column = "p.name", .type = FIELD_STRING },
	{ .name = "category", .column = "c.name", .type = FIELD_STRING },
	{ .name = "unitCost", .column = "p.unit_cost", .type = FIELD_NUMBER },
	{ .name = "lotControlled", .column = "p.lot_controlled", .type = FIELD_BOOLEAN },
	{ .name = "expiryTracked", .column = "p.expiry_tracked", .type = FIELD_BOOLEAN },
	FIELDS_END
};

static const struct export_source product_import_source = {
	.name = "products",
	.columns = product_rows,
	.from = ", p.id FROM products p LEFT JOIN categories c"
		" ON c.workspace_id = p.workspace_id AND c.id = p.category_id WHERE p.workspace_id = ?",
	.keyset = IMPORT_KEYSET("p"),
	.key_last = 1,
};

static const struct field location_rows[] = {
	{ .name = "code", .column = "l.code", .type = FIELD_STRING },
	{ .name = "name", .column = "l.name", .type = FIELD_STRING },
	{ .name = "type", .column = "l.location_type", .type = FIELD_STRING },
	FIELDS_END
};

static const struct export_source location_import_source = {
	.name = "locations",
	.columns = location_rows,
	.from = ", l.id FROM locations l WHERE l.workspace_id = ?",
	.keyset = IMPORT_KEYSET("l"),
	.location_sql = " AND l.id = ?",
	.key_last = 1,
};

static const struct field bin_rows[] = {
	{ .name = "locationCode", .column = "l.code", .type = FIELD_STRING },
	{ .name = "name", .column = "b.name", .type = FIELD_STRING },
	FIELDS_END
};

static const struct export_source bin_import_source = {
	.name = "bins",
	.columns = bin_rows,
	.from = ", b.id FROM bins b JOIN locations l"
		" ON l.workspace_id = b.workspace_id AND l.id = b.location_id WHERE b.workspace_id = ?",
	.keyset = IMPORT_KEYSET("b"),
	.location_sql = " AND b.location_id = ?",
	.key_last = 1,
};

static const struct field channel_rows[] = {
	{ .name = "code", .column = "ch.code", .type = FIELD_STRING },
	{ .name = "name", .column = "ch.name", .type = FIELD_STRING },
	{ .name = "channelType", .column = "ch.channel_type", .type = FIELD_STRING },
	{ .name = "lowAtpThreshold", .column = "ch.low_atp_threshold", .type = FIELD_INTEGER },
	{ .name = "criticalAtpThreshold", .column = "ch.critical_atp_threshold",
	  .type = FIELD_INTEGER },
	FIELDS_END
};

static const struct export_source channel_import_source = {
	.name = "channels",
	.columns = channel_rows,
	.from = ", ch.id FROM channels ch WHERE ch.workspace_id = ?",
	.keyset = IMPORT_KEYSET("ch"),
	.key_last = 1,
};

static const struct field lot_rows[] = {
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE },
	{ .name = "status", .column = "lt.status", .type = FIELD_STRING },
	FIELDS_END
};

static const struct export_source lot_import_source = {
	.name = "lots",
	.columns = lot_rows,
	.from = ", lt.id FROM lots lt JOIN products p"
		" ON p.workspace_id = lt.workspace_id AND p.id = lt.product_id WHERE lt.workspace_id = ?",
	.keyset = IMPORT_KEYSET("lt"),
	.key_last = 1,
};

static const struct field stock_rows[] = {
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "locationCode", .column = "l.code", .type = FIELD_STRING },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING },
	{ .name = "binName", .column = "b.name", .type = FIELD_STRING },
	{ .name = "quantityOnHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER },
	FIELDS_END
};

/* As the inventory export: a chunk's ids on the index, then their rows. */
static const struct export_source stock_import_source = {
	.name = "stock",
	.columns = stock_rows,
	.from = ", sl.id FROM (SELECT sl.id FROM stock_lines sl WHERE sl.workspace_id = ?",
	.keyset = IMPORT_KEYSET("sl") ") page"
		" JOIN stock_lines sl ON sl.id = page.id"
		" JOIN products p ON p.workspace_id = sl.workspace_id AND p.id = sl.product_id"
		" JOIN locations l ON l.workspace_id = sl.workspace_id AND l.id = sl.location_id"
		" LEFT JOIN lots lt ON lt.workspace_id = sl.workspace_id AND lt.id = sl.lot_id"
		" LEFT JOIN bins b ON b.workspace_id = sl.workspace_id AND b.id = sl.bin_id"
		" ORDER BY sl.id",
	.location_sql = " AND sl.location_id = ?",
	.key_last = 1,
};

static const struct export_kind {
	const char *name;
	const struct export_source *src;
} export_kinds[] = {
	{ "inventory", &inventory_export_source },
	{ "transactions", &transaction_export_source },
	{ "products", &product_import_source },
	{ "locations", &location_import_source },
	{ "bins", &bin_import_source },
	{ "channels", &channel_import_source },
	{ "lots", &lot_import_source },
	{ "stock", &stock_import_source },
};

static void print_column(void *out, const char *name)
{
	fprintf(out, " %s", name);
}

void export_help(FILE *out)
{
	size_t i;

	fputs("\nKIND and its columns:\n", out);
	for (i = 0; i < ARRAY_SIZE(export_kinds); i++) {
		fprintf(out, "  %s:", export_kinds[i].name);
		export_column_names(export_kinds[i].src->columns, print_column, out);
		fputc('\n', out);
	}
}

static int file_write(void *file, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, file) == len ? 0 : -1;
}

/* The rows so far: one line that rewrites itself on a terminal, else a
 * line every PROGRESS_EVERY rows. */
#define PROGRESS_EVERY 100000

struct progress {
	const char *kind;
	int tty;
	uint64_t reported;
};

static void show_progress(void *ctx, uint64_t rows)
{
	struct progress *p = ctx;

	if (p->tty)
		fprintf(stderr, "\r%s: %llu rows", p->kind, (unsigned long long)rows);
	else if (rows / PROGRESS_EVERY > p->reported / PROGRESS_EVERY)
		fprintf(stderr, "%s: %llu rows\n", p->kind, (unsigned long long)rows);
	else
		return;
	p->reported = rows;
}

/* The id of the workspace's location named by "loc_N" or its code; 0
 * after printing an error. */
static int64_t location_id(struct cli *c, int64_t ws, const char *name)
{
	struct db_result res;

	if (db_query(c->db, c->pool, "SELECT id FROM locations WHERE workspace_id = ?"
		     " AND (id = ? OR code = ?)",
		     DB_ARGS(ARG_INT(ws), ARG_INT(id_parse(ID_LOCATION, name)), ARG_TEXT(name)), &res)) {
		error("database: %s", db_error(c->db));
		return 0;
	}
	if (res.nrows != 1) {
		error("no location '%s' in workspace '%s'", name, c->opt[CLI_OPT_WORKSPACE]);
		return 0;
	}
	return db_cell_int(&res, 0, 0);
}

/* Opens a new file beside path, with the usual mode; *tmp its name. */
static FILE *open_beside(struct cli *c, const char *path, char **tmp)
{
	mode_t mask = umask(0);
	FILE *f;
	int fd;

	umask(mask);
	*tmp = pool_printf(c->pool, "%s.XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		error("unable to create '%s': %s", *tmp, strerror(errno));
		*tmp = NULL;
		return NULL;
	}
	fchmod(fd, 0666 & ~mask);
	f = fdopen(fd, "w");
	if (!f) {
		error("unable to open '%s': %s", *tmp, strerror(errno));
		close(fd);
	}
	return f;
}

int cmd_export(struct cli *c)
{
	const struct export_source *src = NULL;
	const char *ws_slug = c->opt[CLI_OPT_WORKSPACE], *output = c->opt[CLI_OPT_OUTPUT];
	const char *location = c->opt[CLI_OPT_LOCATION];
	struct progress progress = { .tty = isatty(STDERR_FILENO) };
	struct export ex = { .pool = NULL };
	enum export_format format;
	struct query where;
	char *tmp = NULL;
	FILE *f = NULL;
	int64_t ws;
	size_t i;
	int ret = 1, whole;

	if (c->nargs != 1 || !ws_slug || !output) {
		cli_usage(c, stderr);
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(export_kinds); i++)
		if (!strcmp(export_kinds[i].name, c->args[0]))
			src = export_kinds[i].src;
	if (!src) {
		error("unknown export kind '%s'", c->args[0]);
		export_help(stderr);
		return CLI_EXIT_USAGE;
	}
	if (export_format_parse(c->opt[CLI_OPT_FORMAT], &format)) {
		error("unknown format '%s' (csv or ndjson)", c->opt[CLI_OPT_FORMAT]);
		return CLI_EXIT_USAGE;
	}
	if (location && !src->location_sql) {
		error("--location does not apply to %s", src->name);
		return CLI_EXIT_USAGE;
	}
	if (!(ws = cli_workspace_id(c, ws_slug)))
		return db_unavailable(c->db) ? CLI_EXIT_DATABASE : CLI_EXIT_FAIL;
	query_init(&where, c->pool, "");
	query_arg(&where, ARG_INT(ws));
	if (location) {
		int64_t loc = location_id(c, ws, location);

		if (!loc)
			return db_unavailable(c->db) ? CLI_EXIT_DATABASE : CLI_EXIT_FAIL;
		query_bind(&where, src->location_sql, ARG_INT(loc));
	}
	f = strcmp(output, "-") ? open_beside(c, output, &tmp) : stdout;
	if (!f)
		goto out;
	progress.kind = src->name;
	export_init(&ex, format, src->columns, (struct export_sink){ file_write, f });
	whole = export_keyset(c->db, &ex, src, &where, show_progress, &progress) == 0;
	if (progress.tty)
		fputc('\n', stderr);
	if (!whole && !ex.failed) {
		error("database: %s", db_error(c->db));
		export_fail(&ex, "the database failed");
		ret = CLI_EXIT_DATABASE;
	}
	if (fflush(f) || ferror(f) || ex.failed) {
		error("unable to write '%s': %s", tmp ? tmp : "standard output", strerror(errno));
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	if (!whole)
		goto out;
	if (tmp) {
		if (fclose(f)) {
			f = NULL;
			error("unable to write '%s': %s", tmp, strerror(errno));
			goto out;
		}
		f = NULL;
		if (rename(tmp, output)) {
			error("unable to rename '%s' to '%s': %s", tmp, output, strerror(errno));
			goto out;
		}
		tmp = NULL;
	}
	fprintf(stderr, "exported %llu %s rows to %s\n", (unsigned long long)ex.rows, src->name,
		strcmp(output, "-") ? output : "standard output");
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "the export is incomplete%s\n", tmp ? ": nothing was written" : "");
	if (f && f != stdout)
		fclose(f);
	if (tmp)
		unlink(tmp);
	if (ex.pool)
		export_release(&ex);
	return ret;
}
