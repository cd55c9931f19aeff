/* SPDX-License-Identifier: MIT */
/*
 * Where stock can come from and go to inside a location: its bins with a
 * product's stock, the bin suggested for it, the receiving bin; and the
 * numbers people read on transfers.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/moves/moves.h"
#include "core/pool.h"
#include "core/util.h"

const char *const suggestion_sources[] = { "PREFERRED_BIN", "HOLDING_BIN", NULL };

int moves_next_number(struct req *r, const char *kind, const char **number)
{
	struct db_result res;

	/* LAST_INSERT_ID(expr) hands the new value back on this connection. */
	if (db_query(r->db, r->pool,
		     "INSERT INTO document_sequences (workspace_id, kind, last_value)"
		     " VALUES (?, ?, LAST_INSERT_ID(1))"
		     " ON DUPLICATE KEY UPDATE last_value = LAST_INSERT_ID(last_value + 1)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_TEXT(kind)), NULL) ||
	    db_query(r->db, r->pool, "SELECT LAST_INSERT_ID()", DB_NOARGS, &res) || res.nrows != 1)
		return api_db_error(r, "document number");
	*number = pool_printf(r->pool, "%s-%06lld", kind, (long long)db_cell_int(&res, 0, 0));
	return 0;
}

int moves_check_bin(struct req *r, const char *field, int64_t bin, int64_t location)
{
	struct db_result res;

	if (!bin)
		return 0;
	if (db_query(r->db, r->pool, "SELECT location_id FROM bins WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(bin)), &res))
		return req_internal_error(r, "bin");
	if (res.nrows == 0)
		return api_not_found(r, ID_BIN);
	if (db_cell_int(&res, 0, 0) != location)
		return req_field_error(r, field, pool_printf(r->pool, "must be a bin of %s",
							     id_format(r->pool, ID_LOCATION, location)));
	return 0;
}

int moves_receiving_bin(struct req *r, int64_t location, int64_t *bin)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT id FROM bins WHERE workspace_id = ? AND location_id = ? AND is_receiving = 1"
		     " ORDER BY id LIMIT 1",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location)), &res))
		return req_internal_error(r, "receiving bin");
	*bin = res.nrows ? db_cell_int(&res, 0, 0) : 0;
	return 0;
}

int moves_suggest_bin(struct req *r, int64_t product, int64_t location, int64_t *bin,
		      const char **source)
{
	struct db_result res;

	*bin = 0;
	*source = NULL;
	if (db_query(r->db, r->pool,
		     "SELECT preferred_bin_id FROM inventory_levels WHERE workspace_id = ?"
		     " AND product_id = ? AND location_id = ? AND preferred_bin_id IS NOT NULL",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(location)), &res))
		return req_internal_error(r, "preferred bin");
	if (res.nrows) {
		*bin = db_cell_int(&res, 0, 0);
		*source = suggestion_sources[0];
		return 0;
	}
	if (db_query(r->db, r->pool,
		     "SELECT sl.bin_id FROM stock_lines sl JOIN bins b ON b.id = sl.bin_id"
		     " WHERE sl.workspace_id = ? AND sl.product_id = ? AND sl.location_id = ?"
		     " AND b.is_receiving = 0 AND sl.qty_on_hand > 0"
		     " GROUP BY sl.bin_id ORDER BY SUM(sl.qty_on_hand) DESC, sl.bin_id LIMIT 1",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(location)), &res))
		return req_internal_error(r, "holding bin");
	if (res.nrows) {
		*bin = db_cell_int(&res, 0, 0);
		*source = suggestion_sources[1];
	}
	return 0;
}

const struct field transfer_bins_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "The location" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "The product" },
	FIELDS_END
};

/* The product's stock lines at the location, bin by bin; the first,
 * undeclared, column is the bin (0: none). */
static const struct field bin_stock_columns[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .column = "sl.id" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE, .column = "sl.lot_id" },
	{ .name = "lotNumber", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "lt.lot_number" },
	{ .name = "expiryDate", .type = FIELD_DATE, .flags = FIELD_NULLABLE, .column = "lt.expiry_date" },
	{ .name = "onHand", .type = FIELD_INTEGER, .column = "sl.qty_on_hand" },
	{ .name = "available", .type = FIELD_INTEGER, .column = SQL_AVAILABLE("sl", "lt") },
	FIELDS_END
};

static const struct field bin_fields[] = {
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .description = "null: the stock without a bin" },
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "isReceiving", .type = FIELD_BOOLEAN },
	{ .name = "onHand", .type = FIELD_INTEGER, .description = "The product's, in this bin" },
	{ .name = "available", .type = FIELD_INTEGER },
	{ .name = "stock", .type = FIELD_ARRAY, .items = bin_stock_columns,
	  .description = "The product's stock lines, first expiry first" },
	FIELDS_END
};

const struct field transfer_bins_answer[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "suggestedBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .description = "Where to put the product: the inventory level's preferred bin, else "
			 "the bin holding most of it, else null" },
	{ .name = "suggestionSource", .type = FIELD_STRING, .flags = FIELD_NULLABLE,
	  .values = suggestion_sources },
	{ .name = "bins", .type = FIELD_ARRAY, .items = bin_fields,
	  .description = "Every bin of the location by name, then the stock without a bin" },
	FIELDS_END
};

/* Writes one bin of the answer with the stock lines of it (bin 0: none). */
static void write_bin(struct jw *w, const struct db_result *stock, int64_t bin, const char *name,
		      int receiving)
{
	int64_t on_hand = 0, available = 0;
	size_t i;

	for (i = 0; i < stock->nrows; i++)
		if (db_cell_int(stock, i, 0) == bin) {
			on_hand += db_cell_int(stock, i, 5);
			available += db_cell_int(stock, i, 6);
		}
	jw_open(w, '{');
	jw_key(w, "binId");
	if (bin)
		jw_id(w, id_prefixes[ID_BIN], pool_int64(w->pool, bin));
	else
		jw_null(w);
	jw_kstr(w, "name", name);
	jw_kbool(w, "isReceiving", receiving);
	jw_kint(w, "onHand", on_hand);
	jw_kint(w, "available", available);
	jw_key(w, "stock");
	jw_open(w, '[');
	for (i = 0; i < stock->nrows; i++)
		if (db_cell_int(stock, i, 0) == bin) {
			/* The declared columns follow the bin's. */
			struct db_result row = *stock;

			row.cells = stock->cells + i * stock->ncols + 1;
			row.nrows = 1;
			api_write_row(w, &row, 0, bin_stock_columns);
		}
	jw_close(w, ']');
	jw_close(w, '}');
}

int transfer_bins(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId"));
	int64_t product = id_parse(ID_PRODUCT, req_query(r, "productMasterId")), bin;
	struct db_result bins, stock;
	const char *source;
	int status, loose = 0;
	struct jw w;
	size_t i;

	if ((status = moves_suggest_bin(r, product, location, &bin, &source)))
		return status;
	if (db_query(r->db, r->pool,
		     "SELECT id, name, is_receiving FROM bins WHERE workspace_id = ? AND location_id = ?"
		     " ORDER BY name, id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location)), &bins) ||
	    db_query(r->db, r->pool,
		     pool_printf(r->pool, "SELECT IFNULL(sl.bin_id, 0), %s FROM stock_lines sl"
				 SQL_JOIN_LOT("sl")
				 " WHERE sl.workspace_id = ? AND sl.product_id = ? AND sl.location_id = ?"
				 " AND sl.qty_on_hand <> 0"
				 " ORDER BY lt.expiry_date IS NULL, lt.expiry_date, sl.id",
				 api_select(bin_stock_columns) + strlen("SELECT ")),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(location)), &stock))
		return req_internal_error(r, "bins");
	for (i = 0; i < stock.nrows; i++)
		loose |= db_cell_int(&stock, i, 0) == 0;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "locationId", id_format(r->pool, ID_LOCATION, location));
	jw_kstr(&w, "productMasterId", id_format(r->pool, ID_PRODUCT, product));
	jw_kstr(&w, "suggestedBinId", bin ? id_format(r->pool, ID_BIN, bin) : NULL);
	jw_kstr(&w, "suggestionSource", source);
	jw_key(&w, "bins");
	jw_open(&w, '[');
	for (i = 0; i < bins.nrows; i++)
		write_bin(&w, &stock, db_cell_int(&bins, i, 0), db_cell(&bins, i, 1),
			  db_cell_int(&bins, i, 2) != 0);
	if (loose)
		write_bin(&w, &stock, 0, NULL, 0);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
