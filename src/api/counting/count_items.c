/* SPDX-License-Identifier: MIT */
/*
 * The items of an inventory count session: counters add a product at a
 * location (optionally a lot and bin) with its counted quantity, and the
 * system computes its variance and value.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/counting/counting.h"
#include "api/counting/counts.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

const struct field count_item_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product being counted" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .description = "Specific batch being counted (optional)" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .description = "Bin (optional)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION,
	  .description = "Location (required when the count has none)" },
	{ .name = "countedQuantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Actual quantity counted" },
	{ .name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 500,
	  .description = "Reason for discrepancy" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Additional notes" },
	FIELDS_END
};

/* ---------------------------------------------------------------- objects */

/* An item is a product at a location, narrowed to a lot and/or a bin when
 * they were given; inventoryItemId is the stock line counted when that was
 * exactly one. */
const struct field count_item_columns[] = {
	{ .name = "id", .column = "i.id", .type = FIELD_ID, .kind = ID_COUNT_ITEM },
	{ .name = "countId", .column = "i.count_id", .type = FIELD_ID, .kind = ID_COUNT },
	{ .name = "inventoryItemId", .column = "i.stock_line_id", .type = FIELD_ID, .kind = ID_ITEM,
	  .flags = FIELD_NULLABLE, .description = "The stock line, when the scope held exactly one" },
	{ .name = "productMasterId", .column = "i.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .column = "i.location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "lotId", .column = "i.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "i.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "countedQuantity", .column = "i.counted_qty", .type = FIELD_INTEGER },
	{ .name = "systemQuantity", .column = "i.system_qty", .type = FIELD_INTEGER,
	  .description = "On hand in the scope when it was counted" },
	{ .name = "variance", .column = "i.variance", .type = FIELD_INTEGER,
	  .description = "countedQuantity - systemQuantity" },
	{ .name = "unitCost", .column = "i.unit_cost", .type = FIELD_NUMBER },
	{ .name = "varianceValue", .column = "i.variance_value", .type = FIELD_NUMBER },
	{ .name = "significant", .column = "i.significant", .type = FIELD_BOOLEAN },
	{ .name = "reason", .column = "i.reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "notes", .column = "i.notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "countedBy", .column = "i.counted_by", .type = FIELD_STRING },
	{ .name = "transactionId", .column = "i.transaction_id", .type = FIELD_ID,
	  .kind = ID_TRANSACTION, .flags = FIELD_NULLABLE,
	  .description = "The ledger transaction that applied the variance" },
	{ .name = "adjustmentId", .column = "i.adjustment_id", .type = FIELD_ID, .kind = ID_ADJUSTMENT,
	  .flags = FIELD_NULLABLE },
	{ .name = "createdAt", .column = "i.created_at", .type = FIELD_DATETIME },
	{ .name = "updatedAt", .column = "i.updated_at", .type = FIELD_DATETIME },
	FIELDS_END
};

enum { ITEM_VARIANCE = 9, ITEM_VALUE = 11, ITEM_SIGNIFICANT = 12 };

static const char item_from[] = " FROM inventory_count_items i WHERE i.workspace_id = ?";

const struct field count_items_fields[] = {
	{ .name = "items", .type = FIELD_ARRAY, .items = count_item_columns },
	{ .name = "count", .type = FIELD_INTEGER, .description = "How many items" },
	FIELDS_END
};

/* The items of count_id matching cond (a fixed fragment binding one
 * value, arg), in id order. Returns 0 or -1. */
static int items_read(struct req *r, const char *cond, struct db_arg arg, struct db_result *res)
{
	return db_query(r->db, r->pool,
			pool_printf(r->pool, "%s%s%s ORDER BY i.id", api_select(count_item_columns),
				    item_from, cond),
			DB_ARGS(ARG_INT(api_ws(r)), arg), res);
}

/* ---------------------------------------------------------------- helpers */

static int64_t body_int(struct req *r, const char *name)
{
	json_object *v;

	return json_object_object_get_ex(r->json, name, &v) && v ? json_object_get_int64(v) : 0;
}

/* ---------------------------------------------------------------- items */

/*
 * Checks what the dispatcher cannot: a lot for a lot-controlled product,
 * the lot's product and the bin's location. Returns 0 with *unit_cost
 * (the product's DECIMAL text), or the error status set.
 */
static int check_item_refs(struct req *r, int64_t product, int64_t location,
			   int64_t lot, int64_t bin, const char **unit_cost)
{
	int64_t ws = api_ws(r);
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT lot_controlled, unit_cost FROM products WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(ws), ARG_INT(product)), &res))
		return req_internal_error(r, "product check");
	if (!res.nrows)
		return api_not_found(r, ID_PRODUCT);
	*unit_cost = db_cell(&res, 0, 1);
	if (db_cell_int(&res, 0, 0) && !lot)
		return req_field_error(r, "lotId", "is required for lot-controlled products");
	if (lot) {
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM lots WHERE workspace_id = ? AND id = ? AND product_id = ?",
			     DB_ARGS(ARG_INT(ws), ARG_INT(lot), ARG_INT(product)), &res))
			return req_internal_error(r, "lot check");
		if (!res.nrows)
			return api_not_found(r, ID_LOT);
	}
	if (bin) {
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM bins WHERE workspace_id = ? AND id = ? AND location_id = ?",
			     DB_ARGS(ARG_INT(ws), ARG_INT(bin), ARG_INT(location)), &res))
			return req_internal_error(r, "bin check");
		if (!res.nrows)
			return api_not_found(r, ID_BIN);
	}
	return 0;
}

/*
 * Finds the count's item of the same scope (counting it again replaces
 * it). Returns 0 with *item_id (0: none), or the status set: 409 when
 * another item's scope overlaps this one (the same stock counted twice
 * would be applied twice).
 */
static int find_item(struct req *r, int64_t count_id, const struct ledger_scope *scope,
		     int64_t *item_id)
{
	struct db_result res;
	size_t i;

	*item_id = 0;
	if (db_query(r->db, r->pool,
		     "SELECT id, lot_key = ? AND bin_key = ? FROM inventory_count_items"
		     " WHERE workspace_id = ? AND count_id = ? AND product_id = ? AND location_id = ?"
		     " AND (lot_key = 0 OR ? = 0 OR lot_key = ?) AND (bin_key = 0 OR ? = 0 OR bin_key = ?)",
		     DB_ARGS(ARG_INT(scope->lot_id), ARG_INT(scope->bin_id), ARG_INT(api_ws(r)),
			     ARG_INT(count_id), ARG_INT(scope->product_id), ARG_INT(scope->location_id),
			     ARG_INT(scope->lot_id), ARG_INT(scope->lot_id), ARG_INT(scope->bin_id),
			     ARG_INT(scope->bin_id)), &res))
		return req_internal_error(r, "count item lookup");
	for (i = 0; i < res.nrows; i++) {
		if (db_cell_int(&res, i, 1)) {
			*item_id = db_cell_int(&res, i, 0);
			continue;
		}
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "%s already counts some of this stock (another lot or "
					     "bin scope of the product at the location)",
					     id_format(r->pool, ID_COUNT_ITEM, db_cell_int(&res, i, 0))));
	}
	return 0;
}

int count_item_add(struct req *r)
{
	int64_t ws = api_ws(r), id, count_location, item_id;
	int64_t product = api_body_id(r, "productMasterId", ID_PRODUCT);
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	int64_t lot = api_body_id(r, "lotId", ID_LOT), bin = api_body_id(r, "binId", ID_BIN);
	int64_t counted = body_int(r, "countedQuantity"), system, variance, magnitude;
	const char *unit_cost = NULL;
	struct ledger_scope scope = { 0 };
	struct ledger_scope_lines lines;
	struct ledger_part *parts;
	struct db_result res;
	enum ledger_status st;
	size_t nparts;
	struct jw w;
	int status, qty_significant, created;

	/* The count's lock orders adds against completion and cancelling. */
	if ((status = count_lock_in_progress(r, &id, &count_location)))
		return status;
	if (count_location && location && location != count_location)
		return req_field_error(r, "locationId",
				       pool_printf(r->pool, "must be the count's location (%s)",
						   id_format(r->pool, ID_LOCATION, count_location)));
	if (!count_location && !location)
		return req_field_error(r, "locationId", "is required (the count has no location)");
	if (count_location)
		location = count_location;
	if ((status = check_item_refs(r, product, location, lot, bin, &unit_cost)))
		return status;
	scope.product_id = product;
	scope.location_id = location;
	scope.lot_id = lot;
	scope.bin_id = bin;
	if ((st = ledger_scope_lock(r->db, r->pool, ws, &scope, &lines)) != LEDGER_OK)
		return api_ledger_error(r, st);
	/* The snapshot: on hand of all the product's lines in the scope when
	 * counted. Completion applies counted - system, so stock that moves
	 * meanwhile is not overwritten. */
	system = lines.on_hand;
	variance = counted - system;
	/* Say now, not at completion, when found stock has no line to go to. */
	parts = pool_calloc(r->pool, lines.n + 1, sizeof(*parts));
	if (variance > 0 &&
	    (st = ledger_scope_plan(&scope, &lines, variance, parts, &nparts)) != LEDGER_OK)
		return api_scope_error(r, st, &scope, &lines);
	magnitude = variance < 0 ? -variance : variance;
	qty_significant = magnitude >= 5 && magnitude * 10 >= (system < 0 ? -system : system);
	if ((status = find_item(r, id, &scope, &item_id)))
		return status;
	created = item_id == 0;
	/* Values in DECIMAL arithmetic: the cost text times the variance. */
	if (created) {
		if (db_query(r->db, r->pool,
			     "INSERT INTO inventory_count_items (workspace_id, count_id, stock_line_id,"
			     " product_id, location_id, lot_id, bin_id, counted_qty, system_qty, variance,"
			     " unit_cost, variance_value, significant, reason, notes, counted_by)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS DECIMAL(18,4)),"
			     " CAST(? AS DECIMAL(18,4)) * ?, ? OR ABS(CAST(? AS DECIMAL(18,4)) * ?) >= 100,"
			     " ?, ?, ?)",
			     DB_ARGS(ARG_INT(ws), ARG_INT(id),
				     ARG_ID(lines.n == 1 ? lines.lines[0].id : 0), ARG_INT(product),
				     ARG_INT(location), ARG_ID(lot), ARG_ID(bin), ARG_INT(counted), ARG_INT(system), ARG_INT(variance), ARG_TEXT(unit_cost),
				     ARG_TEXT(unit_cost), ARG_INT(variance), ARG_INT(qty_significant),
				     ARG_TEXT(unit_cost), ARG_INT(variance),
				     ARG_TEXT(api_body_string(r, "reason")),
				     ARG_TEXT(api_body_string(r, "notes")), ARG_TEXT(api_actor(r))), &res))
			return api_db_error(r, "count item insert");
		item_id = (int64_t)res.insert_id;
	} else {
		/* Counting the same stock again replaces its count and snapshot. */
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_count_items SET stock_line_id = ?, counted_qty = ?,"
			     " system_qty = ?, variance = ?,"
			     " unit_cost = CAST(? AS DECIMAL(18,4)), variance_value = CAST(? AS DECIMAL(18,4)) * ?,"
			     " significant = ? OR ABS(CAST(? AS DECIMAL(18,4)) * ?) >= 100, reason = ?,"
			     " notes = ?, counted_by = ? WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_ID(lines.n == 1 ? lines.lines[0].id : 0), ARG_INT(counted),
				     ARG_INT(system), ARG_INT(variance), ARG_TEXT(unit_cost),
				     ARG_TEXT(unit_cost), ARG_INT(variance), ARG_INT(qty_significant),
				     ARG_TEXT(unit_cost), ARG_INT(variance),
				     ARG_TEXT(api_body_string(r, "reason")),
				     ARG_TEXT(api_body_string(r, "notes")), ARG_TEXT(api_actor(r)),
				     ARG_INT(ws), ARG_INT(item_id)), NULL))
			return api_db_error(r, "count item update");
	}
	if (items_read(r, " AND i.id = ?", ARG_INT(item_id), &res) || res.nrows != 1)
		return req_internal_error(r, "count item read");
	/* "Logs significant discrepancies for review": one line in the log,
	 * with the request id, and the flag on the item. */
	if (db_cell_int(&res, 0, ITEM_SIGNIFICANT))
		fprintf(stderr, "%s count %s: significant discrepancy on %s at %s: variance %s (value %s)\n",
			r->request_id ? r->request_id : "-", id_format(r->pool, ID_COUNT, id),
			id_format(r->pool, ID_PRODUCT, product), id_format(r->pool, ID_LOCATION, location),
			db_cell(&res, 0, ITEM_VARIANCE), db_cell(&res, 0, ITEM_VALUE));
	jw_init(&w, r->pool);
	api_write_row(&w, &res, 0, count_item_columns);
	return req_respond_jw(r, created ? 201 : 200, &w);
}

int count_items_list(struct req *r)
{
	int64_t id = api_path_id(r, ID_COUNT);
	struct db_result res;
	struct jw w;
	int found;
	size_t i;

	if ((found = api_exists(r, ID_COUNT, id)) < 0)
		return req_internal_error(r, "count check");
	if (!found)
		return api_not_found(r, ID_COUNT);
	if (items_read(r, " AND i.count_id = ?", ARG_INT(id), &res))
		return req_internal_error(r, "count items");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < res.nrows; i++)
		api_write_row(&w, &res, i, count_item_columns);
	jw_close(&w, ']');
	jw_kint(&w, "count", (int64_t)res.nrows);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
