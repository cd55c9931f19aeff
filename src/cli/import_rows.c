/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl import: what a row of each kind of file means, and how it
 * is written (created, or updated where its key exists; stock through the
 * ledger). import.c reads the file.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/import.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "db/query.h"
#include "ledger/record.h"

/* Prints "error: FILE:LINE: message"; returns -1. */
int import_row_error(struct import_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "error: %s:%zu: ", ctx->file, ctx->record_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* The value of declared column i ("" when the file lacks it). */
const char *import_cell(struct import_ctx *ctx, struct csv_row *row, int i)
{
	int c = ctx->col[i];

	return c >= 0 && (size_t)c < row->n ? row->cells[c] : "";
}

static int has_column(struct import_ctx *ctx, int i)
{
	return ctx->col[i] >= 0;
}

static int parse_bool(struct import_ctx *ctx, const char *s, const char *name, int *out)
{
	if (!*s || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no"))
		*out = 0;
	else if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes"))
		*out = 1;
	else
		return import_row_error(ctx, "%s must be true or false, not '%s'", name, s);
	return 0;
}

static int parse_nonneg(struct import_ctx *ctx, const char *s, const char *name, int64_t *out)
{
	if (!*s) {
		*out = 0;
		return 0;
	}
	if (parse_int64(s, out) || *out < 0)
		return import_row_error(ctx, "%s must be a whole number of at least 0, not '%s'", name, s);
	return 0;
}

/* Reports a failed statement: a row error, unless the database is gone,
 * which stops the import. Returns -1. */
static int db_fail(struct import_ctx *ctx)
{
	struct db *db = ctx->cli->db;

	if (db_unavailable(db)) {
		ctx->status = CLI_EXIT_DATABASE;
		return error("database: %s", db_error(db));
	}
	if (db_errno(db) == DB_ER_DUP_ENTRY)
		return import_row_error(ctx, "duplicate key: %s", db_error(db));
	return import_row_error(ctx, "the database refused the row: %s", db_error(db));
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
		return import_row_error(ctx, "no %s '%s'", what_noun, key), 0;
	return db_cell_int(&res, 0, 0);
}

/*
 * Runs insert (an INSERT of every column, with args) as an upsert whose
 * update sets only the columns of the kind that the file has: a new row
 * gets the defaults for the others, an existing row keeps them.
 */
static int upsert(struct import_ctx *ctx, const char *insert, const struct db_arg *args,
		  size_t nargs)
{
	const struct import_column *col;
	struct query q;
	size_t i, n = 0;

	query_init(&q, ctx->cli->pool, insert);
	for (i = 0; i < nargs; i++)
		query_arg(&q, args[i]);
	query_add(&q, " ON DUPLICATE KEY UPDATE ");
	for (col = ctx->kind->columns, i = 0; col->name; col++, i++) {
		if (!col->update || !has_column(ctx, (int)i))
			continue;
		if (n++)
			query_add(&q, ", ");
		query_add(&q, col->update);
	}
	/* Only the key columns: an existing row stays as it is. */
	if (!n)
		query_add(&q, "id = id");
	if (query_run(&q, ctx->cli->db, NULL))
		return db_fail(ctx);
	return 0;
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

/* The columns of each kind, in the order of their cells (import_cell(ctx, row, i)). */
enum { PRODUCT_SKU, PRODUCT_NAME, PRODUCT_CATEGORY, PRODUCT_COST, PRODUCT_LOT, PRODUCT_EXPIRY };

static int import_product(struct import_ctx *ctx, struct csv_row *row)
{
	struct db *db = ctx->cli->db;
	struct pool *pool = ctx->cli->pool;
	const char *sku = import_cell(ctx, row, PRODUCT_SKU), *name = import_cell(ctx, row, PRODUCT_NAME);
	const char *cat = import_cell(ctx, row, PRODUCT_CATEGORY), *cost = import_cell(ctx, row, PRODUCT_COST);
	int64_t category = 0;
	int lot = 0, expiry = 0;
	char *end;
	double unit_cost = 0;

	if (strlen(sku) > 100)
		return import_row_error(ctx, "globalSku is longer than 100 characters: '%s'", sku);
	if (strlen(name) > 300)
		return import_row_error(ctx, "name is longer than 300 characters: '%.40s...'", name);
	if (*cost) {
		errno = 0;
		unit_cost = strtod(cost, &end);
		/* Plain decimals only: strtod would also take "inf", "nan", "0x10". */
		if (!plain_decimal(cost) || errno || *end || unit_cost < 0 || unit_cost > 1e13)
			return import_row_error(ctx, "unitCost must be a number of at least 0, not '%s'", cost);
	}
	if (parse_bool(ctx, import_cell(ctx, row, PRODUCT_LOT), "lotControlled", &lot) ||
	    parse_bool(ctx, import_cell(ctx, row, PRODUCT_EXPIRY), "expiryTracked", &expiry))
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
	return upsert(ctx, "INSERT INTO products (workspace_id, global_sku, name, category_id,"
		      " unit_cost, lot_controlled, expiry_tracked) VALUES (?, ?, ?, ?, ?, ?, ?)",
		      DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(sku), ARG_TEXT(name), ARG_ID(category),
			      ARG_DOUBLE(unit_cost), ARG_INT(lot), ARG_INT(expiry)));
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
	struct strbuf sb = STRBUF_INIT;
	const char *const *p;

	for (p = values; *p; p++)
		if (!strcmp(*p, v))
			return 0;
	for (p = values; *p; p++)
		strbuf_addf(&sb, "%s%s", p == values ? "" : ", ", *p);
	import_row_error(ctx, "%s must be one of %s, not '%s'", name, sb.buf, v);
	strbuf_release(&sb);
	return -1;
}

enum { LOCATION_CODE, LOCATION_NAME, LOCATION_TYPE };

static int import_location(struct import_ctx *ctx, struct csv_row *row)
{
	const char *type = import_cell(ctx, row, LOCATION_TYPE);

	if (!*type)
		type = "WAREHOUSE";
	if (one_of(ctx, type, location_types, "type"))
		return -1;
	return upsert(ctx, "INSERT INTO locations (workspace_id, code, name, location_type,"
		      " is_destruction) VALUES (?, ?, ?, ?, ?)",
		      DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(import_cell(ctx, row, LOCATION_CODE)),
			      ARG_TEXT(import_cell(ctx, row, LOCATION_NAME)), ARG_TEXT(type),
			      ARG_INT(!strcmp(type, "DESTRUCTION"))));
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

enum { BIN_LOCATION, BIN_NAME };

static int import_bin(struct import_ctx *ctx, struct csv_row *row)
{
	int64_t loc = location_by_code(ctx, import_cell(ctx, row, BIN_LOCATION));

	if (!loc)
		return -1;
	if (db_query(ctx->cli->db, ctx->cli->pool,
		     "INSERT IGNORE INTO bins (workspace_id, location_id, name) VALUES (?, ?, ?)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_INT(loc), ARG_TEXT(import_cell(ctx, row, BIN_NAME))), NULL))
		return db_fail(ctx);
	return 0;
}

enum { CHANNEL_CODE, CHANNEL_NAME, CHANNEL_TYPE, CHANNEL_LOW, CHANNEL_CRITICAL };

static int import_channel(struct import_ctx *ctx, struct csv_row *row)
{
	const char *type = import_cell(ctx, row, CHANNEL_TYPE);
	const char *low_text = import_cell(ctx, row, CHANNEL_LOW);
	const char *critical_text = import_cell(ctx, row, CHANNEL_CRITICAL);
	int64_t low = 10, critical = 0;

	if (!*type)
		type = "E_COMMERCE";
	if (one_of(ctx, type, channel_types, "channelType"))
		return -1;
	if ((*low_text && parse_nonneg(ctx, low_text, "lowAtpThreshold", &low)) ||
	    (*critical_text && parse_nonneg(ctx, critical_text, "criticalAtpThreshold", &critical)))
		return -1;
	return upsert(ctx, "INSERT INTO channels (workspace_id, code, name, channel_type,"
		      " low_atp_threshold, critical_atp_threshold) VALUES (?, ?, ?, ?, ?, ?)",
		      DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(import_cell(ctx, row, CHANNEL_CODE)),
			      ARG_TEXT(import_cell(ctx, row, CHANNEL_NAME)), ARG_TEXT(type), ARG_INT(low),
			      ARG_INT(critical)));
}

static int valid_date(const char *s)
{
	int y, m, d, n = 0;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	       m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

enum { LOT_SKU, LOT_NUMBER, LOT_EXPIRY, LOT_STATUS };

static int import_lot(struct import_ctx *ctx, struct csv_row *row)
{
	const char *expiry = import_cell(ctx, row, LOT_EXPIRY);
	const char *status = import_cell(ctx, row, LOT_STATUS);
	int64_t product;

	if (!*status)
		status = "ACTIVE";
	if (*expiry && !valid_date(expiry))
		return import_row_error(ctx, "expiryDate must be YYYY-MM-DD, not '%s'", expiry);
	if (one_of(ctx, status, lot_statuses, "status"))
		return -1;
	if (!(product = product_by_sku(ctx, import_cell(ctx, row, LOT_SKU))))
		return -1;
	return upsert(ctx, "INSERT INTO lots (workspace_id, product_id, lot_number, expiry_date,"
		      " status) VALUES (?, ?, ?, ?, ?)",
		      DB_ARGS(ARG_INT(ctx->ws), ARG_INT(product), ARG_TEXT(import_cell(ctx, row, LOT_NUMBER)),
			      ARG_TEXT(*expiry ? expiry : NULL), ARG_TEXT(status)));
}

enum { STOCK_SKU, STOCK_LOCATION, STOCK_LOT, STOCK_BIN, STOCK_QUANTITY };

/* Sets the on-hand quantity of a stock line through the ledger, by the
 * rules of recorded stock (ledger/record.h); lots must exist already. */
static int import_stock(struct import_ctx *ctx, struct csv_row *row)
{
	const char *lot_number = import_cell(ctx, row, STOCK_LOT), *bin_name = import_cell(ctx, row, STOCK_BIN);
	const char *quantity = import_cell(ctx, row, STOCK_QUANTITY);
	struct stock_record_in in = {
		.mode = STOCK_RECORD_IMPORT,
		.lot_number = *lot_number ? lot_number : NULL,
		.bin_name = *bin_name ? bin_name : NULL,
		.comment = ctx->file,
		.actor = "inventoryctl",
	};
	struct stock_record_out out;

	if (parse_nonneg(ctx, quantity, "quantityOnHand", &in.quantity))
		return -1;
	if (!(in.product_id = product_by_sku(ctx, import_cell(ctx, row, STOCK_SKU))) ||
	    !(in.location_id = location_by_code(ctx, import_cell(ctx, row, STOCK_LOCATION))))
		return -1;
	switch (stock_record(ctx->cli->db, ctx->cli->pool, ctx->ws, &in, &out)) {
	case STOCK_OK:
		return 0;
	case STOCK_NO_LOT:
		return import_row_error(ctx, "no lot '%s' of this product", lot_number);
	case STOCK_LOT_REQUIRED:
		return import_row_error(ctx, "product '%s' is lot-controlled: lotNumber is required",
				 import_cell(ctx, row, STOCK_SKU));
	case STOCK_NO_BIN:
		return import_row_error(ctx, "no bin '%s' in this location", bin_name);
	case STOCK_NEGATIVE:
		return import_row_error(ctx, "quantityOnHand %s would leave less than is reserved or held",
				 quantity);
	default:
		return db_fail(ctx);
	}
}

#define UPDATES(column, sql) { column, 0, sql }

/* In the order the tables depend on each other, which is the order to
 * import a workspace's files in (and inventoryctl export's). */
const struct import_kind import_kinds[] = {
	{ "products", {
		[PRODUCT_SKU] = { "globalSku", COL_REQUIRED, NULL },
		[PRODUCT_NAME] = { "name", COL_REQUIRED, "name = VALUES(name)" },
		[PRODUCT_CATEGORY] = UPDATES("category", "category_id = VALUES(category_id)"),
		[PRODUCT_COST] = UPDATES("unitCost", "unit_cost = VALUES(unit_cost)"),
		[PRODUCT_LOT] = UPDATES("lotControlled", "lot_controlled = VALUES(lot_controlled)"),
		[PRODUCT_EXPIRY] = UPDATES("expiryTracked", "expiry_tracked = VALUES(expiry_tracked)"),
	  }, import_product },
	{ "locations", {
		[LOCATION_CODE] = { "code", COL_REQUIRED, NULL },
		[LOCATION_NAME] = { "name", COL_REQUIRED, "name = VALUES(name)" },
		[LOCATION_TYPE] = UPDATES("type", "location_type = VALUES(location_type),"
					  " is_destruction = VALUES(is_destruction)"),
	  }, import_location },
	{ "bins", {
		[BIN_LOCATION] = { "locationCode", COL_REQUIRED, NULL },
		[BIN_NAME] = { "name", COL_REQUIRED, NULL },
	  }, import_bin },
	{ "channels", {
		[CHANNEL_CODE] = { "code", COL_REQUIRED, NULL },
		[CHANNEL_NAME] = { "name", COL_REQUIRED, "name = VALUES(name)" },
		[CHANNEL_TYPE] = UPDATES("channelType", "channel_type = VALUES(channel_type)"),
		[CHANNEL_LOW] = UPDATES("lowAtpThreshold",
					"low_atp_threshold = VALUES(low_atp_threshold)"),
		[CHANNEL_CRITICAL] = UPDATES("criticalAtpThreshold",
					     "critical_atp_threshold = VALUES(critical_atp_threshold)"),
	  }, import_channel },
	{ "lots", {
		[LOT_SKU] = { "globalSku", COL_REQUIRED, NULL },
		[LOT_NUMBER] = { "lotNumber", COL_REQUIRED, NULL },
		[LOT_EXPIRY] = UPDATES("expiryDate", "expiry_date = VALUES(expiry_date)"),
		[LOT_STATUS] = UPDATES("status", "status = VALUES(status)"),
	  }, import_lot },
	{ "stock", {
		[STOCK_SKU] = { "globalSku", COL_REQUIRED, NULL },
		[STOCK_LOCATION] = { "locationCode", COL_REQUIRED, NULL },
		[STOCK_LOT] = { "lotNumber", 0, NULL },
		[STOCK_BIN] = { "binName", 0, NULL },
		[STOCK_QUANTITY] = { "quantityOnHand", COL_REQUIRED, NULL },
	  }, import_stock },
};

const size_t import_kinds_count = ARRAY_SIZE(import_kinds);

void import_help(FILE *out)
{
	const struct import_column *col;
	size_t i;

	for (i = 0; i < import_kinds_count; i++) {
		fprintf(out, "  %-10s", import_kinds[i].name);
		for (col = import_kinds[i].columns; col->name; col++)
			fprintf(out, "%s%s%s", col == import_kinds[i].columns ? "" : ",",
				col->flags & COL_REQUIRED ? "*" : "", col->name);
		fputc('\n', out);
	}
	fputs("\nRows are created, or updated when their key exists (the first columns:\n"
	      "globalSku, code, locationCode+name, globalSku+lotNumber). An update changes\n"
	      "only the columns the file has; a new row gets the defaults for the others.\n"
	      "An empty cell of a column the file has means the default (no category, 0,\n"
	      "false, WAREHOUSE, E_COMMERCE, ACTIVE, no expiry). A column of another name is\n"
	      "an error. Stock sets the on-hand quantity through the ledger. One transaction\n"
	      "per file: on the first bad line nothing is written and the line number is\n"
	      "printed; --dry-run reads the whole file, prints every bad line (its line\n"
	      "number, value and reason) and writes nothing.\n"
	      "\n"
	      "--progress prints rows per second (and the time left when FILE is a file)\n"
	      "on stderr, as it does without it when stderr is a terminal. FILE '-' is\n"
	      "standard input.\n"
	      "\n"
	      "Exit status: 0 imported (or, with --dry-run, the file is good), 1 another\n"
	      "failure (the file cannot be read), 2 a usage error, 3 the database cannot\n"
	      "be reached or failed, 4 the file has bad lines (nothing was written).\n", out);
}
