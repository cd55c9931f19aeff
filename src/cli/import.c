/*
 * inventoryctl import: bulk loads of master data and stock from CSV. One
 * transaction per file: the first bad line stops the import with its line
 * number, and nothing of the file is written. Rows are created, or
 * updated when their key (SKU, code, name) exists. Stock is posted through
 * the ledger, so every imported quantity has its transaction.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "ledger/record.h"

#define MAX_COLUMNS 16

struct csv_row {
	size_t n;
	char *cells[MAX_COLUMNS];
};

struct import_ctx {
	struct cli *cli;
	int64_t ws;
	const char *file;
	size_t line;
	int col[MAX_COLUMNS];     /* index in the row of each declared column */
};

struct import_kind {
	const char *name;
	const char *const columns[MAX_COLUMNS];   /* NULL-terminated; '*' marks required */
	/* Imports one row. Returns 0, or -1 after printing the error. */
	int (*row)(struct import_ctx *ctx, struct csv_row *row);
};

/*
 * Parses one CSV record from the line into row (cells from the pool).
 * Quoted cells may hold commas and doubled quotes. Returns 0 or -1.
 */
static int csv_parse(struct pool *pool, const char *line, struct csv_row *row)
{
	struct strbuf cell = STRBUF_INIT;
	const char *p = line;
	int ret = -1;

	row->n = 0;
	for (;;) {
		strbuf_reset(&cell);
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					goto out;
				if (*p == '"' && p[1] == '"') {
					strbuf_addch(&cell, '"');
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					strbuf_addch(&cell, *p++);
				}
			}
			if (*p && *p != ',')
				goto out;
		} else {
			while (*p && *p != ',')
				strbuf_addch(&cell, *p++);
		}
		if (row->n >= MAX_COLUMNS)
			goto out;
		row->cells[row->n++] = pool_strdup(pool, cell.len ? cell.buf : "");
		if (!*p)
			break;
		p++;
	}
	ret = 0;
out:
	strbuf_release(&cell);
	return ret;
}

static int row_error(struct import_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "error: FILE:LINE: message"; returns -1. */
static int row_error(struct import_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "error: %s:%zu: ", ctx->file, ctx->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* The value of declared column i ("" when the file lacks it). */
static const char *cell(struct import_ctx *ctx, struct csv_row *row, int i)
{
	int c = ctx->col[i];

	return c >= 0 && (size_t)c < row->n ? row->cells[c] : "";
}

static int parse_bool(struct import_ctx *ctx, const char *s, const char *name, int *out)
{
	if (!*s || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no"))
		*out = 0;
	else if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes"))
		*out = 1;
	else
		return row_error(ctx, "%s must be true or false", name);
	return 0;
}

static int parse_nonneg(struct import_ctx *ctx, const char *s, const char *name, int64_t *out)
{
	if (!*s) {
		*out = 0;
		return 0;
	}
	if (parse_int64(s, out) || *out < 0)
		return row_error(ctx, "%s must be a whole number of at least 0", name);
	return 0;
}

static int db_fail(struct import_ctx *ctx)
{
	if (db_errno(ctx->cli->db) == DB_ER_DUP_ENTRY)
		return row_error(ctx, "duplicate key: %s", db_error(ctx->cli->db));
	return row_error(ctx, "database: %s", db_error(ctx->cli->db));
}

/* Looks up the id of an object by a unique text key in the workspace. */
static int64_t lookup(struct import_ctx *ctx, const char *sql, const char *key,
		      const char *what_noun)
{
	struct db_result res;

	if (db_query(ctx->cli->db, ctx->cli->pool, sql,
		     DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(key)), &res))
		return db_fail(ctx), 0;
	if (res.nrows == 0)
		return row_error(ctx, "no %s '%s'", what_noun, key), 0;
	return db_cell_int(&res, 0, 0);
}

/* Digits with at most one '.', as in "10.50". */
static int plain_decimal(const char *s)
{
	int digits = 0, dots = 0;

	for (; *s; s++) {
		if (*s == '.')
			dots++;
		else if (isdigit((unsigned char)*s))
			digits++;
		else
			return 0;
	}
	return digits > 0 && dots <= 1;
}

static int import_product(struct import_ctx *ctx, struct csv_row *row)
{
	struct db *db = ctx->cli->db;
	struct pool *pool = ctx->cli->pool;
	const char *sku = cell(ctx, row, 0), *name = cell(ctx, row, 1), *cat = cell(ctx, row, 2);
	const char *cost = cell(ctx, row, 3);
	int64_t category = 0;
	int lot = 0, expiry = 0;
	char *end;
	double unit_cost = 0;

	if (strlen(sku) > 100 || strlen(name) > 300)
		return row_error(ctx, "%s", "globalSku or name too long");
	if (*cost) {
		errno = 0;
		unit_cost = strtod(cost, &end);
		/* Plain decimals only: strtod would also take "inf", "nan", "0x10". */
		if (!plain_decimal(cost) || errno || *end || unit_cost < 0 || unit_cost > 1e13)
			return row_error(ctx, "unitCost must be a number of at least 0, not '%s'", cost);
	}
	if (parse_bool(ctx, cell(ctx, row, 4), "lotControlled", &lot) ||
	    parse_bool(ctx, cell(ctx, row, 5), "expiryTracked", &expiry))
		return -1;
	if (*cat) {
		if (db_query(db, pool, "INSERT IGNORE INTO categories (workspace_id, name) VALUES (?, ?)",
			     DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(cat)), NULL))
			return db_fail(ctx);
		category = lookup(ctx, "SELECT id FROM categories WHERE workspace_id = ? AND name = ?",
				  cat, "category");
		if (!category)
			return -1;
	}
	if (db_query(db, pool,
		     "INSERT INTO products (workspace_id, global_sku, name, category_id, unit_cost,"
		     " lot_controlled, expiry_tracked) VALUES (?, ?, ?, ?, ?, ?, ?)"
		     " ON DUPLICATE KEY UPDATE name = VALUES(name), category_id = VALUES(category_id),"
		     " unit_cost = VALUES(unit_cost), lot_controlled = VALUES(lot_controlled),"
		     " expiry_tracked = VALUES(expiry_tracked)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(sku), ARG_TEXT(name), ARG_ID(category),
			     ARG_DOUBLE(unit_cost), ARG_INT(lot), ARG_INT(expiry)), NULL))
		return db_fail(ctx);
	return 0;
}

static const char *const location_types[] = {
	"WAREHOUSE", "STORE", "CLINIC", "DISTRIBUTION_CENTER", "VIRTUAL", "DESTRUCTION", NULL
};
static const char *const channel_types[] = {
	"E_COMMERCE", "RETAIL", "WHOLESALE", "MARKETPLACE", "INTERNAL", NULL
};
static const char *const lot_statuses[] = { "ACTIVE", "ON_HOLD", "RECALLED", "EXPIRED", NULL };

static int one_of(struct import_ctx *ctx, const char *v, const char *const *values,
		  const char *name)
{
	for (; *values; values++)
		if (!strcmp(*values, v))
			return 0;
	return row_error(ctx, "%s is not one of the allowed values", name);
}

static int import_location(struct import_ctx *ctx, struct csv_row *row)
{
	const char *type = *cell(ctx, row, 2) ? cell(ctx, row, 2) : "WAREHOUSE";

	if (one_of(ctx, type, location_types, "type"))
		return -1;
	if (db_query(ctx->cli->db, ctx->cli->pool,
		     "INSERT INTO locations (workspace_id, code, name, location_type, is_destruction)"
		     " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name),"
		     " location_type = VALUES(location_type), is_destruction = VALUES(is_destruction)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(cell(ctx, row, 0)), ARG_TEXT(cell(ctx, row, 1)),
			     ARG_TEXT(type), ARG_INT(!strcmp(type, "DESTRUCTION"))), NULL))
		return db_fail(ctx);
	return 0;
}

static int64_t location_by_code(struct import_ctx *ctx, const char *code)
{
	return lookup(ctx, "SELECT id FROM locations WHERE workspace_id = ? AND code = ?", code,
		      "location with code");
}

static int64_t product_by_sku(struct import_ctx *ctx, const char *sku)
{
	return lookup(ctx, "SELECT id FROM products WHERE workspace_id = ? AND global_sku = ?", sku,
		      "product with globalSku");
}

static int import_bin(struct import_ctx *ctx, struct csv_row *row)
{
	int64_t loc = location_by_code(ctx, cell(ctx, row, 0));

	if (!loc)
		return -1;
	if (db_query(ctx->cli->db, ctx->cli->pool,
		     "INSERT IGNORE INTO bins (workspace_id, location_id, name) VALUES (?, ?, ?)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_INT(loc), ARG_TEXT(cell(ctx, row, 1))), NULL))
		return db_fail(ctx);
	return 0;
}

static int import_channel(struct import_ctx *ctx, struct csv_row *row)
{
	const char *type = *cell(ctx, row, 2) ? cell(ctx, row, 2) : "E_COMMERCE";
	int64_t low = 10, critical = 0;

	if (one_of(ctx, type, channel_types, "channelType"))
		return -1;
	if ((*cell(ctx, row, 3) && parse_nonneg(ctx, cell(ctx, row, 3), "lowAtpThreshold", &low)) ||
	    (*cell(ctx, row, 4) && parse_nonneg(ctx, cell(ctx, row, 4), "criticalAtpThreshold", &critical)))
		return -1;
	if (db_query(ctx->cli->db, ctx->cli->pool,
		     "INSERT INTO channels (workspace_id, code, name, channel_type, low_atp_threshold,"
		     " critical_atp_threshold) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
		     " name = VALUES(name), channel_type = VALUES(channel_type),"
		     " low_atp_threshold = VALUES(low_atp_threshold),"
		     " critical_atp_threshold = VALUES(critical_atp_threshold)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(cell(ctx, row, 0)), ARG_TEXT(cell(ctx, row, 1)),
			     ARG_TEXT(type), ARG_INT(low), ARG_INT(critical)), NULL))
		return db_fail(ctx);
	return 0;
}

static int valid_date(const char *s)
{
	int y, m, d, n = 0;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	       m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int import_lot(struct import_ctx *ctx, struct csv_row *row)
{
	const char *expiry = cell(ctx, row, 2);
	const char *status = *cell(ctx, row, 3) ? cell(ctx, row, 3) : "ACTIVE";
	int64_t product = product_by_sku(ctx, cell(ctx, row, 0));

	if (!product)
		return -1;
	if (*expiry && !valid_date(expiry))
		return row_error(ctx, "expiryDate must be YYYY-MM-DD, not '%s'", expiry);
	if (one_of(ctx, status, lot_statuses, "status"))
		return -1;
	if (db_query(ctx->cli->db, ctx->cli->pool,
		     "INSERT INTO lots (workspace_id, product_id, lot_number, expiry_date, status)"
		     " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE expiry_date = VALUES(expiry_date),"
		     " status = VALUES(status)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_INT(product), ARG_TEXT(cell(ctx, row, 1)),
			     ARG_TEXT(*expiry ? expiry : NULL), ARG_TEXT(status)), NULL))
		return db_fail(ctx);
	return 0;
}

/* Sets the on-hand quantity of a stock line through the ledger, by the
 * rules of recorded stock (ledger/record.h); lots must exist already. */
static int import_stock(struct import_ctx *ctx, struct csv_row *row)
{
	const char *lot_number = cell(ctx, row, 2), *bin_name = cell(ctx, row, 3);
	struct stock_record_in in = {
		.mode = STOCK_RECORD_IMPORT,
		.lot_number = *lot_number ? lot_number : NULL,
		.bin_name = *bin_name ? bin_name : NULL,
		.comment = ctx->file,
		.actor = "inventoryctl",
	};
	struct stock_record_out out;

	if (!(in.product_id = product_by_sku(ctx, cell(ctx, row, 0))) ||
	    !(in.location_id = location_by_code(ctx, cell(ctx, row, 1))))
		return -1;
	if (!*cell(ctx, row, 4))
		return row_error(ctx, "%s is required", "quantityOnHand");
	if (parse_nonneg(ctx, cell(ctx, row, 4), "quantityOnHand", &in.quantity))
		return -1;
	switch (stock_record(ctx->cli->db, ctx->cli->pool, ctx->ws, &in, &out)) {
	case STOCK_OK:
		return 0;
	case STOCK_NO_LOT:
		return row_error(ctx, "no lot '%s' of this product", lot_number);
	case STOCK_LOT_REQUIRED:
		return row_error(ctx, "product '%s' is lot-controlled: lotNumber is required",
				 cell(ctx, row, 0));
	case STOCK_NO_BIN:
		return row_error(ctx, "no bin '%s' in this location", bin_name);
	case STOCK_NEGATIVE:
		return row_error(ctx, "quantityOnHand %s would leave less than is reserved or held",
				 cell(ctx, row, 4));
	default:
		return db_fail(ctx);
	}
}

static const struct import_kind import_kinds[] = {
	{ "products", { "*globalSku", "*name", "category", "unitCost", "lotControlled", "expiryTracked", NULL },
	  import_product },
	{ "locations", { "*code", "*name", "type", NULL }, import_location },
	{ "bins", { "*locationCode", "*name", NULL }, import_bin },
	{ "channels", { "*code", "*name", "channelType", "lowAtpThreshold", "criticalAtpThreshold", NULL },
	  import_channel },
	{ "lots", { "*globalSku", "*lotNumber", "expiryDate", "status", NULL }, import_lot },
	{ "stock", { "*globalSku", "*locationCode", "lotNumber", "binName", "*quantityOnHand", NULL },
	  import_stock },
};

void import_help(FILE *out)
{
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(import_kinds); i++) {
		fprintf(out, "  %-10s", import_kinds[i].name);
		for (k = 0; import_kinds[i].columns[k]; k++)
			fprintf(out, "%s%s", k ? "," : "", import_kinds[i].columns[k]);
		fputc('\n', out);
	}
	fprintf(out, "\nRows are created, or updated when their key exists. Stock sets the\n"
		"on-hand quantity through the ledger. One transaction per file: on the first\n"
		"bad line nothing is written and the line number is printed.\n");
}

/* Maps the header's names to the kind's columns. Returns 0 or -1. */
static int read_header(struct import_ctx *ctx, const struct import_kind *kind, struct csv_row *hdr)
{
	size_t k, i;

	for (k = 0; kind->columns[k]; k++) {
		const char *want = kind->columns[k] + (kind->columns[k][0] == '*');

		ctx->col[k] = -1;
		for (i = 0; i < hdr->n; i++)
			if (!strcmp(hdr->cells[i], want))
				ctx->col[k] = (int)i;
		if (ctx->col[k] < 0 && kind->columns[k][0] == '*')
			return row_error(ctx, "the header has no column '%s'", want);
	}
	return 0;
}

static int required_cells(struct import_ctx *ctx, const struct import_kind *kind,
			  struct csv_row *row)
{
	size_t k;

	for (k = 0; kind->columns[k]; k++)
		if (kind->columns[k][0] == '*' && !*cell(ctx, row, (int)k))
			return row_error(ctx, "%s is required", kind->columns[k] + 1);
	return 0;
}

int cmd_import(struct cli *c)
{
	const struct import_kind *kind = NULL;
	struct import_ctx ctx = { .cli = c };
	const char *ws = c->opt[CLI_OPT_WORKSPACE];
	char *line = NULL;
	size_t cap = 0, rows = 0, i;
	ssize_t len;
	FILE *f = NULL;
	int ret = 1, in_tx = 0;

	if (c->nargs != 2 || !ws) {
		cli_usage(c, stderr);
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(import_kinds); i++)
		if (!strcmp(import_kinds[i].name, c->args[0]))
			kind = &import_kinds[i];
	if (!kind) {
		error("unknown import kind '%s'", c->args[0]);
		return 1;
	}
	ctx.file = c->args[1];
	f = fopen(ctx.file, "r");
	if (!f) {
		error("unable to open '%s': %s", ctx.file, strerror(errno));
		goto out;
	}
	if (!(ctx.ws = cli_workspace_id(c, ws)))
		goto out;
	if (db_begin(c->db)) {
		error("database: %s", db_error(c->db));
		goto out;
	}
	in_tx = 1;
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct csv_row row;

		ctx.line++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (ctx.line == 1 && !strncmp(line, "\xef\xbb\xbf", 3))
			memmove(line, line + 3, (size_t)len - 2);
		if (!*line)
			continue;
		if (csv_parse(c->pool, line, &row)) {
			row_error(&ctx, "%s", "malformed CSV (unbalanced quotes or too many columns)");
			goto out;
		}
		if (ctx.line == 1) {
			if (read_header(&ctx, kind, &row))
				goto out;
			continue;
		}
		if (required_cells(&ctx, kind, &row) || kind->row(&ctx, &row))
			goto out;
		rows++;
		/* Keep memory flat on large files. */
		if (rows % 1000 == 0)
			pool_reset(c->pool);
	}
	if (ctx.line == 0) {
		error("%s: the file is empty", ctx.file);
		goto out;
	}
	if (db_commit(c->db)) {
		error("database: %s", db_error(c->db));
		goto out;
	}
	in_tx = 0;
	printf("imported %zu %s from %s\n", rows, kind->name, ctx.file);
	ret = 0;
out:
	if (in_tx) {
		db_rollback(c->db);
		fprintf(stderr, "nothing was imported\n");
	}
	free(line);
	if (f)
		fclose(f);
	return ret;
}
