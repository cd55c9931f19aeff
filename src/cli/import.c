/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl import: bulk loads of master data and stock from CSV
 * (RFC 4180, read by libcsv, so quoted cells may hold commas, quotes and
 * line breaks). One transaction per file: the first bad line stops the
 * import with its line number, and nothing of the file is written;
 * --dry-run reads the whole file, prints every bad line and writes
 * nothing. Rows are created, or updated when their key (SKU, code, name)
 * exists; an update changes only the columns the file has. Stock is
 * posted through the ledger, so every imported quantity has its
 * transaction.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "cli/cli.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "db/query.h"
#include "ledger/record.h"

#define MAX_COLUMNS 16

struct csv_row {
	size_t n;                 /* the fields of the record, may exceed MAX_COLUMNS */
	char *cells[MAX_COLUMNS];
};

enum column_flags {
	COL_REQUIRED = 1 << 0,    /* in the header, and never empty */
};

struct import_column {
	const char *name;
	unsigned flags;
	/* What an update sets when the file has the column ("name =
	 * VALUES(name)"); NULL for the key columns, which an update keeps. */
	const char *update;
};

/* How often the rows so far are reported. */
#define PROGRESS_USEC 1000000

struct progress {
	int on, tty;
	const char *kind;
	off_t size;               /* the file's, or 0 when it is not known */
	off_t done;               /* bytes read */
	uint64_t start, last;     /* now_usec() */
};

struct import_ctx {
	struct cli *cli;
	const struct import_kind *kind;
	int64_t ws;
	const char *file;
	int dry_run;
	size_t line;              /* the physical line being read */
	size_t record_line;       /* the line where the current record began */
	int in_record;
	struct csv_row row;
	size_t ncolumns;          /* the header's fields */
	int col[MAX_COLUMNS];     /* index in the row of each declared column, or -1 */
	size_t rows, bad;
	int status;               /* CLI_EXIT_*: stop reading when not 0 */
	struct progress progress;
};

struct import_kind {
	const char *name;
	const struct import_column columns[MAX_COLUMNS];   /* ends with a NULL name */
	/* Imports one row. Returns 0, or -1 after printing the error. */
	int (*row)(struct import_ctx *ctx, struct csv_row *row);
};

static int row_error(struct import_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "error: FILE:LINE: message"; returns -1. */
static int row_error(struct import_ctx *ctx, const char *fmt, ...)
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
static const char *cell(struct import_ctx *ctx, struct csv_row *row, int i)
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
		return row_error(ctx, "%s must be true or false, not '%s'", name, s);
	return 0;
}

static int parse_nonneg(struct import_ctx *ctx, const char *s, const char *name, int64_t *out)
{
	if (!*s) {
		*out = 0;
		return 0;
	}
	if (parse_int64(s, out) || *out < 0)
		return row_error(ctx, "%s must be a whole number of at least 0, not '%s'", name, s);
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
		return row_error(ctx, "duplicate key: %s", db_error(db));
	return row_error(ctx, "the database refused the row: %s", db_error(db));
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

/* The columns of each kind, in the order of their cells (cell(ctx, row, i)). */
enum { PRODUCT_SKU, PRODUCT_NAME, PRODUCT_CATEGORY, PRODUCT_COST, PRODUCT_LOT, PRODUCT_EXPIRY };

static int import_product(struct import_ctx *ctx, struct csv_row *row)
{
	struct db *db = ctx->cli->db;
	struct pool *pool = ctx->cli->pool;
	const char *sku = cell(ctx, row, PRODUCT_SKU), *name = cell(ctx, row, PRODUCT_NAME);
	const char *cat = cell(ctx, row, PRODUCT_CATEGORY), *cost = cell(ctx, row, PRODUCT_COST);
	int64_t category = 0;
	int lot = 0, expiry = 0;
	char *end;
	double unit_cost = 0;

	if (strlen(sku) > 100)
		return row_error(ctx, "globalSku is longer than 100 characters: '%s'", sku);
	if (strlen(name) > 300)
		return row_error(ctx, "name is longer than 300 characters: '%.40s...'", name);
	if (*cost) {
		errno = 0;
		unit_cost = strtod(cost, &end);
		/* Plain decimals only: strtod would also take "inf", "nan", "0x10". */
		if (!plain_decimal(cost) || errno || *end || unit_cost < 0 || unit_cost > 1e13)
			return row_error(ctx, "unitCost must be a number of at least 0, not '%s'", cost);
	}
	if (parse_bool(ctx, cell(ctx, row, PRODUCT_LOT), "lotControlled", &lot) ||
	    parse_bool(ctx, cell(ctx, row, PRODUCT_EXPIRY), "expiryTracked", &expiry))
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
	row_error(ctx, "%s must be one of %s, not '%s'", name, sb.buf, v);
	strbuf_release(&sb);
	return -1;
}

enum { LOCATION_CODE, LOCATION_NAME, LOCATION_TYPE };

static int import_location(struct import_ctx *ctx, struct csv_row *row)
{
	const char *type = cell(ctx, row, LOCATION_TYPE);

	if (!*type)
		type = "WAREHOUSE";
	if (one_of(ctx, type, location_types, "type"))
		return -1;
	return upsert(ctx, "INSERT INTO locations (workspace_id, code, name, location_type,"
		      " is_destruction) VALUES (?, ?, ?, ?, ?)",
		      DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(cell(ctx, row, LOCATION_CODE)),
			      ARG_TEXT(cell(ctx, row, LOCATION_NAME)), ARG_TEXT(type),
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
	int64_t loc = location_by_code(ctx, cell(ctx, row, BIN_LOCATION));

	if (!loc)
		return -1;
	if (db_query(ctx->cli->db, ctx->cli->pool,
		     "INSERT IGNORE INTO bins (workspace_id, location_id, name) VALUES (?, ?, ?)",
		     DB_ARGS(ARG_INT(ctx->ws), ARG_INT(loc), ARG_TEXT(cell(ctx, row, BIN_NAME))), NULL))
		return db_fail(ctx);
	return 0;
}

enum { CHANNEL_CODE, CHANNEL_NAME, CHANNEL_TYPE, CHANNEL_LOW, CHANNEL_CRITICAL };

static int import_channel(struct import_ctx *ctx, struct csv_row *row)
{
	const char *type = cell(ctx, row, CHANNEL_TYPE);
	const char *low_text = cell(ctx, row, CHANNEL_LOW);
	const char *critical_text = cell(ctx, row, CHANNEL_CRITICAL);
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
		      DB_ARGS(ARG_INT(ctx->ws), ARG_TEXT(cell(ctx, row, CHANNEL_CODE)),
			      ARG_TEXT(cell(ctx, row, CHANNEL_NAME)), ARG_TEXT(type), ARG_INT(low),
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
	const char *expiry = cell(ctx, row, LOT_EXPIRY);
	const char *status = cell(ctx, row, LOT_STATUS);
	int64_t product;

	if (!*status)
		status = "ACTIVE";
	if (*expiry && !valid_date(expiry))
		return row_error(ctx, "expiryDate must be YYYY-MM-DD, not '%s'", expiry);
	if (one_of(ctx, status, lot_statuses, "status"))
		return -1;
	if (!(product = product_by_sku(ctx, cell(ctx, row, LOT_SKU))))
		return -1;
	return upsert(ctx, "INSERT INTO lots (workspace_id, product_id, lot_number, expiry_date,"
		      " status) VALUES (?, ?, ?, ?, ?)",
		      DB_ARGS(ARG_INT(ctx->ws), ARG_INT(product), ARG_TEXT(cell(ctx, row, LOT_NUMBER)),
			      ARG_TEXT(*expiry ? expiry : NULL), ARG_TEXT(status)));
}

enum { STOCK_SKU, STOCK_LOCATION, STOCK_LOT, STOCK_BIN, STOCK_QUANTITY };

/* Sets the on-hand quantity of a stock line through the ledger, by the
 * rules of recorded stock (ledger/record.h); lots must exist already. */
static int import_stock(struct import_ctx *ctx, struct csv_row *row)
{
	const char *lot_number = cell(ctx, row, STOCK_LOT), *bin_name = cell(ctx, row, STOCK_BIN);
	const char *quantity = cell(ctx, row, STOCK_QUANTITY);
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
	if (!(in.product_id = product_by_sku(ctx, cell(ctx, row, STOCK_SKU))) ||
	    !(in.location_id = location_by_code(ctx, cell(ctx, row, STOCK_LOCATION))))
		return -1;
	switch (stock_record(ctx->cli->db, ctx->cli->pool, ctx->ws, &in, &out)) {
	case STOCK_OK:
		return 0;
	case STOCK_NO_LOT:
		return row_error(ctx, "no lot '%s' of this product", lot_number);
	case STOCK_LOT_REQUIRED:
		return row_error(ctx, "product '%s' is lot-controlled: lotNumber is required",
				 cell(ctx, row, STOCK_SKU));
	case STOCK_NO_BIN:
		return row_error(ctx, "no bin '%s' in this location", bin_name);
	case STOCK_NEGATIVE:
		return row_error(ctx, "quantityOnHand %s would leave less than is reserved or held",
				 quantity);
	default:
		return db_fail(ctx);
	}
}

#define UPDATES(column, sql) { column, 0, sql }

/* In the order the tables depend on each other, which is the order to
 * import a workspace's files in (and inventoryctl export's). */
static const struct import_kind import_kinds[] = {
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

void import_help(FILE *out)
{
	const struct import_column *col;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(import_kinds); i++) {
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

/* ---------------------------------------------------------------- header */

/* The edit distance of a and b, ignoring case, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[64];

	if (la >= ARRAY_SIZE(d) || lb >= ARRAY_SIZE(d))
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = d[0];

		d[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = d[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			d[j] = best;
			diag = up;
		}
	}
	return d[lb];
}

/* Prints that name is no column of the kind, with the nearest one. */
static int unknown_column(struct import_ctx *ctx, const char *name)
{
	const struct import_column *col, *nearest = NULL;
	struct strbuf known = STRBUF_INIT;
	size_t best = (size_t)-1;

	for (col = ctx->kind->columns; col->name; col++) {
		size_t d = edit_distance(name, col->name);

		if (d < best) {
			best = d;
			nearest = col;
		}
		strbuf_addf(&known, "%s%s", known.len ? ", " : "", col->name);
	}
	if (nearest && best <= strlen(nearest->name) / 2)
		row_error(ctx, "unknown column '%s' for %s: did you mean '%s'?", name,
			  ctx->kind->name, nearest->name);
	else
		row_error(ctx, "unknown column '%s' for %s (the columns are %s)", name,
			  ctx->kind->name, known.buf);
	strbuf_release(&known);
	return -1;
}

/* Maps the header's names to the kind's columns. Returns 0 or -1. */
static int read_header(struct import_ctx *ctx, struct csv_row *hdr)
{
	const struct import_column *col;
	size_t k, i;

	if (hdr->n > MAX_COLUMNS)
		return row_error(ctx, "the header has %zu columns: %s has %d at most", hdr->n,
				 ctx->kind->name, MAX_COLUMNS);
	for (k = 0; k < MAX_COLUMNS; k++)
		ctx->col[k] = -1;
	for (i = 0; i < hdr->n; i++) {
		for (col = ctx->kind->columns, k = 0; col->name; col++, k++)
			if (!strcmp(hdr->cells[i], col->name))
				break;
		if (!col->name)
			return unknown_column(ctx, hdr->cells[i]);
		if (ctx->col[k] >= 0)
			return row_error(ctx, "the header names column '%s' twice", col->name);
		ctx->col[k] = (int)i;
	}
	for (col = ctx->kind->columns, k = 0; col->name; col++, k++)
		if (ctx->col[k] < 0 && (col->flags & COL_REQUIRED))
			return row_error(ctx, "the header has no column '%s'", col->name);
	ctx->ncolumns = hdr->n;
	return 0;
}

static int required_cells(struct import_ctx *ctx, struct csv_row *row)
{
	const struct import_column *col;
	int k;

	for (col = ctx->kind->columns, k = 0; col->name; col++, k++)
		if ((col->flags & COL_REQUIRED) && !*cell(ctx, row, k))
			return row_error(ctx, "%s is required: the cell is empty", col->name);
	return 0;
}

static void progress_show(struct progress *p, size_t rows, int last)
{
	uint64_t now = now_usec();
	double secs = (double)(now - p->start) / 1e6;
	double rate = secs > 0 ? (double)rows / secs : 0;

	if (!p->on || (!last && now - p->last < PROGRESS_USEC))
		return;
	p->last = now;
	fprintf(stderr, "%s%s: %zu rows, %.0f rows/s", p->tty ? "\r" : "", p->kind, rows, rate);
	if (last) {
		fprintf(stderr, " in %.1f s\n", secs);
		return;
	}
	if (p->size > 0 && p->done > 0) {
		double part = (double)p->done / (double)p->size;

		fprintf(stderr, ", %.0f%%, ETA %.0f s", part * 100, secs * (1 - part) / part);
	}
	fputs(p->tty ? "\033[K" : "\n", stderr);
}

/* ---------------------------------------------------------------- rows */

/* One record of the file: the header, or a row to import. */
static void end_record(struct import_ctx *ctx)
{
	struct csv_row *row = &ctx->row;

	ctx->in_record = 0;
	if (ctx->status)
		return;
	if (!ctx->ncolumns) {
		if (read_header(ctx, row))
			ctx->status = CLI_EXIT_DATA;
		goto out;
	}
	ctx->rows++;
	if (row->n != ctx->ncolumns)
		row_error(ctx, "the line has %zu fields, the header %zu", row->n, ctx->ncolumns);
	else if (!required_cells(ctx, row) && !ctx->kind->row(ctx, row))
		goto out;
	/* A database gone set status already. */
	ctx->bad++;
	if (!ctx->dry_run && !ctx->status)
		ctx->status = CLI_EXIT_DATA;
out:
	row->n = 0;
	/* Keep memory flat on large files. */
	if (ctx->rows % 1000 == 0)
		pool_reset(ctx->cli->pool);
	progress_show(&ctx->progress, ctx->rows, 0);
}

static void on_field(void *data, size_t len, void *arg)
{
	struct import_ctx *ctx = arg;

	if (!ctx->in_record) {
		ctx->in_record = 1;
		ctx->record_line = ctx->line;
	}
	if (ctx->row.n < MAX_COLUMNS)
		ctx->row.cells[ctx->row.n] = pool_strndup(ctx->cli->pool, data ? data : "", len);
	ctx->row.n++;
}

static void on_record(int c, void *arg)
{
	(void)c;
	end_record(arg);
}

/* Spaces are part of a field (RFC 4180): nothing is trimmed. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int blank_line(const char *line)
{
	return !line[strspn(line, "\r\n")];
}

/*
 * Feeds the file to the parser line by line, so that every record knows
 * the line it began on. Returns 0, or -1 after printing the error (and
 * setting ctx->status) when the file is not CSV or cannot be read.
 */
static int read_records(struct import_ctx *ctx, FILE *f)
{
	struct csv_parser parser;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = -1;

	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		error("unable to start the CSV parser");
		ctx->status = CLI_EXIT_FAIL;
		return -1;
	}
	csv_set_space_func(&parser, no_space);
	while (!ctx->status && (len = getline(&line, &cap, f)) >= 0) {
		char *p = line;

		ctx->line++;
		ctx->progress.done += len;
		if (ctx->line == 1 && !strncmp(p, "\xef\xbb\xbf", 3)) {
			p += 3;
			len -= 3;
		}
		if (!ctx->in_record && !blank_line(p)) {
			ctx->in_record = 1;
			ctx->record_line = ctx->line;
		}
		if (csv_parse(&parser, p, (size_t)len, on_field, on_record, ctx) != (size_t)len) {
			ctx->record_line = ctx->line;
			goto bad_csv;
		}
	}
	if (ferror(f)) {
		error("unable to read '%s': %s", ctx->file, strerror(errno));
		ctx->status = CLI_EXIT_FAIL;
		goto out;
	}
	if (!ctx->status && csv_fini(&parser, on_field, on_record, ctx))
		goto bad_csv;
	ret = 0;
	goto out;
bad_csv:
	row_error(ctx, "malformed CSV: %s (a quote must open a field and be doubled inside one,"
		  " and a quoted field must end); the rest of the file was not read",
		  csv_strerror(csv_error(&parser)));
	ctx->bad++;
	ctx->status = CLI_EXIT_DATA;
out:
	csv_free(&parser);
	free(line);
	return ret;
}

/* The file to read: FILE, or standard input for '-'. */
static FILE *open_input(struct import_ctx *ctx)
{
	struct stat st;
	FILE *f;

	if (!strcmp(ctx->file, "-")) {
		ctx->file = "standard input";
		f = stdin;
	} else if (!(f = fopen(ctx->file, "r"))) {
		error("unable to open '%s': %s", ctx->file, strerror(errno));
		return NULL;
	}
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode))
		ctx->progress.size = st.st_size;
	return f;
}

int cmd_import(struct cli *c)
{
	struct import_ctx ctx = { .cli = c, .dry_run = !!c->opt[CLI_OPT_DRY_RUN] };
	const char *ws = c->opt[CLI_OPT_WORKSPACE];
	FILE *f = NULL;
	size_t i;
	int ret = CLI_EXIT_FAIL, in_tx = 0;

	if (c->nargs != 2 || !ws) {
		cli_usage(c, stderr);
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(import_kinds); i++)
		if (!strcmp(import_kinds[i].name, c->args[0]))
			ctx.kind = &import_kinds[i];
	if (!ctx.kind) {
		error("unknown import kind '%s'", c->args[0]);
		return CLI_EXIT_USAGE;
	}
	ctx.file = c->args[1];
	if (!(f = open_input(&ctx)))
		goto out;
	if (!(ctx.ws = cli_workspace_id(c, ws))) {
		ret = db_unavailable(c->db) ? CLI_EXIT_DATABASE : CLI_EXIT_FAIL;
		goto out;
	}
	if (db_begin(c->db)) {
		error("database: %s", db_error(c->db));
		ret = CLI_EXIT_DATABASE;
		goto out;
	}
	in_tx = 1;
	ctx.progress.tty = isatty(STDERR_FILENO);
	ctx.progress.on = c->opt[CLI_OPT_PROGRESS] || ctx.progress.tty;
	ctx.progress.kind = ctx.kind->name;
	ctx.progress.start = ctx.progress.last = now_usec();
	read_records(&ctx, f);
	if (ctx.status && ctx.status != CLI_EXIT_DATA) {
		ret = ctx.status;
		goto out;
	}
	if (ctx.line == 0 || (!ctx.ncolumns && !ctx.status)) {
		error("%s: the file is empty", ctx.file);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	if (ctx.bad || ctx.status) {
		if (ctx.dry_run && ctx.bad)
			fprintf(stderr, "%s: %zu bad lines in %zu rows\n", ctx.file, ctx.bad, ctx.rows);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	progress_show(&ctx.progress, ctx.rows, 1);
	if (ctx.dry_run) {
		printf("%s: %zu %s, no bad line (dry run: nothing was written)\n", ctx.file,
		       ctx.rows, ctx.kind->name);
		ret = 0;
		goto out;
	}
	if (db_commit(c->db)) {
		error("database: %s", db_error(c->db));
		ret = CLI_EXIT_DATABASE;
		goto out;
	}
	in_tx = 0;
	printf("imported %zu %s from %s\n", ctx.rows, ctx.kind->name, ctx.file);
	ret = 0;
out:
	if (in_tx) {
		db_rollback(c->db);
		fprintf(stderr, "nothing was %s\n", ctx.dry_run ? "written (dry run)" : "imported");
	}
	if (f && f != stdin)
		fclose(f);
	return ret;
}
