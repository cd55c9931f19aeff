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

/* The item object, in the order of item_select. An item is a product at
 * a location, narrowed to a lot and/or a bin when they were given;
 * inventoryItemId is the stock line counted when that was exactly one. */
static const struct api_column item_columns[] = {
	{ "id", CONV_ID, ID_COUNT_ITEM },
	{ "countId", CONV_ID, ID_COUNT },
	{ "inventoryItemId", CONV_ID, ID_ITEM },
	{ "productMasterId", CONV_ID, ID_PRODUCT },
	{ "locationId", CONV_ID, ID_LOCATION },
	{ "lotId", CONV_ID, ID_LOT },
	{ "binId", CONV_ID, ID_BIN },
	{ "countedQuantity", CONV_INT, ID_NONE },
	{ "systemQuantity", CONV_INT, ID_NONE },
	{ "variance", CONV_INT, ID_NONE },
	{ "unitCost", CONV_NUMBER, ID_NONE },
	{ "varianceValue", CONV_NUMBER, ID_NONE },
	{ "significant", CONV_BOOL, ID_NONE },
	{ "reason", CONV_STRING, ID_NONE },
	{ "notes", CONV_STRING, ID_NONE },
	{ "countedBy", CONV_STRING, ID_NONE },
	{ "transactionId", CONV_ID, ID_TRANSACTION },
	{ "adjustmentId", CONV_ID, ID_ADJUSTMENT },
	{ "createdAt", CONV_STRING, ID_NONE },
	{ "updatedAt", CONV_STRING, ID_NONE },
};

enum { ITEM_VARIANCE = 9, ITEM_VALUE = 11, ITEM_SIGNIFICANT = 12 };

static const char item_select[] =
	"SELECT i.id, i.count_id, i.stock_line_id, i.product_id, i.location_id, i.lot_id,"
	" i.bin_id, i.counted_qty, i.system_qty, i.variance, i.unit_cost, i.variance_value,"
	" i.significant, i.reason, i.notes, i.counted_by, i.transaction_id, i.adjustment_id,"
	" " SQL_ISO("i.created_at") ", " SQL_ISO("i.updated_at")
	" FROM inventory_count_items i WHERE i.workspace_id = ?";

static json_object *item_json(struct req *r, const struct db_result *res, size_t row)
{
	return api_columns_json(r, res, row, item_columns, ARRAY_SIZE(item_columns));
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
	if (db_query(r->db, r->pool, pool_printf(r->pool, "%s AND i.id = ?", item_select),
		     DB_ARGS(ARG_INT(ws), ARG_INT(item_id)), &res) || res.nrows != 1)
		return req_internal_error(r, "count item read");
	/* "Logs significant discrepancies for review": one line in the log,
	 * with the request id, and the flag on the item. */
	if (db_cell_int(&res, 0, ITEM_SIGNIFICANT))
		fprintf(stderr, "%s count %s: significant discrepancy on %s at %s: variance %s (value %s)\n",
			r->request_id ? r->request_id : "-", id_format(r->pool, ID_COUNT, id),
			id_format(r->pool, ID_PRODUCT, product), id_format(r->pool, ID_LOCATION, location),
			db_cell(&res, 0, ITEM_VARIANCE), db_cell(&res, 0, ITEM_VALUE));
	return req_respond(r, created ? 201 : 200, item_json(r, &res, 0));
}

int count_items_list(struct req *r)
{
	int64_t id = api_path_id(r, ID_COUNT);
	struct db_result res;
	json_object *items, *out;
	int found;
	size_t i;

	if ((found = api_exists(r, ID_COUNT, id)) < 0)
		return req_internal_error(r, "count check");
	if (!found)
		return api_not_found(r, ID_COUNT);
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s AND i.count_id = ? ORDER BY i.id", item_select),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "count items");
	items = json_object_new_array_ext((int)res.nrows);
	for (i = 0; i < res.nrows; i++)
		json_object_array_add(items, item_json(r, &res, i));
	out = json_object_new_object();
	json_object_object_add(out, "items", items);
	json_object_object_add(out, "count", json_object_new_int64((int64_t)res.nrows));
	return req_respond(r, 200, out);
}
