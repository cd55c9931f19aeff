/*
 * Expired stock: it moves to the expired bucket, and from there is consumed
 * or sent to a destruction location. All through the ledger.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/holds/holds.h"
#include "api/holds/internal.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

const struct field expired_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by location" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Filter by product" },
	{ .name = "asOf", .type = FIELD_DATE, .description = "Expired on or before this date (default: today)" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	FIELDS_END
};

const struct field mark_expired_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .description = "One stock line" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .description = "Every stock line of a lot" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION,
	  .description = "Every stock line of an expired lot at this location" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

const struct field mark_consumed_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_REQUIRED,
	  .description = "The stock line" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Expired quantity consumed (default: all of it)" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE, .description = "Reason code" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

const struct field transfer_destruction_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_REQUIRED,
	  .description = "The stock line holding expired stock" },
	{ .name = "destinationLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "A destruction location (isDestruction)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Expired quantity to send (default: all of it)" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

/* A line's quantities; lot_refusal is api_lot_refusal of its lot. */
static json_object *qty_json(struct req *r, int64_t line_id, const int64_t q[B__MAX],
			     const char *lot_refusal)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id_format(r->pool, ID_ITEM, line_id)));
	json_object_object_add(o, "qtyOnHand", json_object_new_int64(q[B_ON_HAND]));
	json_object_object_add(o, "qtyExpired", json_object_new_int64(q[B_EXPIRED]));
	json_object_object_add(o, "qtyAvailable", json_object_new_int64(api_available(ledger_available(q), lot_refusal)));
	return o;
}

/* ---- expired stock ---- */

static const struct api_filter expired_filters[] = {
	{ "locationId", ID_LOCATION, " AND sl.location_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND sl.product_id = ?" },
};

/* as_of: the asOf date, bound once (NULL: today). */
#define EXPIRED_FROM \
	" FROM stock_lines sl" \
	" JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id" \
	" JOIN (SELECT CAST(IFNULL(?, CURRENT_DATE) AS DATE) AS as_of) d"
#define EXPIRED_WHERE \
	" WHERE sl.workspace_id = ? AND sl.qty_on_hand > 0" \
	" AND (lt.expiry_date < d.as_of OR lt.status = 'EXPIRED')"

enum exp_col { X_ID, X_PRODUCT, X_PRODUCT_NAME, X_SKU, X_LOCATION, X_LOCATION_NAME, X_LOT,
	       X_LOT_NUMBER, X_LOT_STATUS, X_EXPIRY, X_DAYS, X_ON_HAND, X_EXPIRED, X_UNMARKED,
	       X_UNIT_COST, X_VALUE };

static const char expired_select[] =
	"SELECT sl.id, sl.product_id, p.name, p.global_sku, sl.location_id, l.name, sl.lot_id,"
	" lt.lot_number, lt.status, " SQL_DATE("lt.expiry_date") ","
	" GREATEST(DATEDIFF(d.as_of, lt.expiry_date), 0), sl.qty_on_hand, sl.qty_expired,"
	" sl.qty_on_hand - sl.qty_expired - sl.qty_recalled, p.unit_cost,"
	" ROUND(sl.qty_on_hand * p.unit_cost, 2)" EXPIRED_FROM
	" JOIN products p ON p.id = sl.product_id AND p.workspace_id = sl.workspace_id"
	" JOIN locations l ON l.id = sl.location_id AND l.workspace_id = sl.workspace_id"
	EXPIRED_WHERE;

static json_object *expired_json(struct req *r, const struct db_result *res, size_t i,
				 const void *ctx)
{
	json_object *o = json_object_new_object();

	(void)ctx;
	json_object_object_add(o, "id", api_cell_id(r, res, i, X_ID, ID_ITEM));
	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, X_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "productName", api_cell_string(res, i, X_PRODUCT_NAME));
	json_object_object_add(o, "globalSku", api_cell_string(res, i, X_SKU));
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, X_LOCATION, ID_LOCATION));
	json_object_object_add(o, "locationName", api_cell_string(res, i, X_LOCATION_NAME));
	json_object_object_add(o, "lotId", api_cell_id(r, res, i, X_LOT, ID_LOT));
	json_object_object_add(o, "lotNumber", api_cell_string(res, i, X_LOT_NUMBER));
	json_object_object_add(o, "lotStatus", api_cell_string(res, i, X_LOT_STATUS));
	json_object_object_add(o, "expiryDate", api_cell_string(res, i, X_EXPIRY));
	json_object_object_add(o, "daysExpired", api_cell_int(res, i, X_DAYS));
	json_object_object_add(o, "qtyOnHand", api_cell_int(res, i, X_ON_HAND));
	json_object_object_add(o, "qtyExpired", api_cell_int(res, i, X_EXPIRED));
	json_object_object_add(o, "qtyUnmarked", api_cell_int(res, i, X_UNMARKED));
	json_object_object_add(o, "unitCost", api_cell_number(res, i, X_UNIT_COST));
	json_object_object_add(o, "valueAtRisk", api_cell_number(res, i, X_VALUE));
	return o;
}

int expired_list(struct req *r)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*)" EXPIRED_FROM EXPIRED_WHERE,
		.rows_sql = expired_select,
		/* Lots expired by status alone (no date) come after the dated ones. */
		.rows_tail = " ORDER BY lt.expiry_date IS NULL, lt.expiry_date, sl.id LIMIT ? OFFSET ?",
		.row_fn = expired_json,
	};
	const char *as_of = req_query(r, "asOf");
	struct query where;
	int64_t page, limit;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	query_init(&where, r->pool, "");
	query_arg(&where, ARG_TEXT(as_of && *as_of ? as_of : NULL));
	query_arg(&where, ARG_INT(api_ws(r)));
	api_add_filters(r, expired_filters, ARRAY_SIZE(expired_filters), &where);
	return api_list_page(r, &list, &where, page, limit, NULL);
}

static int lot_is_expired(const struct db_result *res, size_t status_col, size_t past_col)
{
	const char *status = db_cell(res, 0, status_col);

	return (status && !strcmp(status, "EXPIRED")) || db_cell_int(res, 0, past_col) == 1;
}

int expired_mark(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), lot = api_body_id(r, "lotId", ID_LOT);
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	const char *comment = api_body_string(r, "comment");
	struct sweep_out out = { NULL, 0, 0 };
	struct db_result res;
	json_object *o;
	int status;

	if ((item != 0) + (lot != 0) + (location != 0) != 1)
		return req_field_error(r, !item && !lot ? "inventoryItemId" : item && lot ? "lotId" : "locationId",
				       "give exactly one of inventoryItemId, lotId or locationId");
	if (item) {
		if (db_query(r->db, r->pool,
			     "SELECT sl.lot_id, lt.status, IFNULL(lt.expiry_date < CURRENT_DATE, 0)"
			     " FROM stock_lines sl LEFT JOIN lots lt"
			     " ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
			     " WHERE sl.workspace_id = ? AND sl.id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(item)), &res))
			return req_internal_error(r, "stock line");
		if (res.nrows == 0)
			return api_not_found(r, ID_ITEM);
		if (!db_cell(&res, 0, 0))
			return req_error(r, 409, "Conflict", "the stock line has no lot");
		if (!lot_is_expired(&res, 1, 2))
			return req_error(r, 409, "Conflict", "lot is not expired");
	} else if (lot) {
		if (db_query(r->db, r->pool,
			     "SELECT id, status, IFNULL(expiry_date < CURRENT_DATE, 0) FROM lots"
			     " WHERE workspace_id = ? AND id = ? FOR UPDATE",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), &res))
			return req_internal_error(r, "lot");
		if (res.nrows == 0)
			return api_not_found(r, ID_LOT);
		if (!lot_is_expired(&res, 1, 2))
			return req_error(r, 409, "Conflict", "lot is not expired");
		/* A recalled lot stays RECALLED: withdrawing the recall must
		 * still find it. */
		if (db_query(r->db, r->pool,
			     "UPDATE lots SET status = 'EXPIRED' WHERE workspace_id = ? AND id = ?"
			     " AND status <> 'RECALLED'",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), NULL))
			return req_internal_error(r, "lot status");
	}
	out.items = req_own(r, json_object_new_array());
	if ((status = holds_sweep(r, SWEEP_EXPIRE,
				  item ? sweep_scope_line : lot ? sweep_scope_lot : sweep_scope_location,
				  item ? item : lot ? lot : location, "EXPIRE", comment, &out)))
		return status;
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "markedLines", json_object_new_int64(out.lines));
	json_object_object_add(o, "totalQuantity", json_object_new_int64(out.quantity));
	json_object_object_add(o, "items", json_object_get(out.items));
	return req_respond(r, 200, o);
}

/*
 * The quantity to take from a line's expired stock: the body's quantity
 * or all of it. Returns 0, or the status of the error set.
 */
static int expired_quantity(struct req *r, const struct ledger_line *line, int64_t *qty)
{
	int64_t expired = line->qty[B_EXPIRED];

	if (!holds_body_int(r, "quantity", qty))
		*qty = expired;
	else if (*qty < 1)
		return req_field_error(r, "quantity", "must be at least 1");
	if (expired <= 0)
		return req_error(r, 409, "Conflict", "the stock line has no expired stock");
	if (*qty > expired)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "only %lld expired on the stock line", (long long)expired));
	return 0;
}

int expired_consume(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), qty = 0;
	int64_t reason_code = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	const char *refusal;
	struct ledger_settings s;
	struct ledger_result done;
	struct ledger_line line;
	enum ledger_status st;
	json_object *o;
	int status;

	if ((status = holds_read_settings(r, &s)))
		return status;
	if ((st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if ((status = expired_quantity(r, &line, &qty)))
		return status;
	{
		struct ledger_entry e = {
			.line_id = item, .type = "EXPIRED_CONSUMED", .reason_code_id = reason_code,
			.comment = api_body_string(r, "comment"), .allow_negative = s.allow_negative,
		};

		e.delta[B_ON_HAND] = -qty;
		e.delta[B_EXPIRED] = -qty;
		if ((status = holds_post(r, &e, &done)))
			return status;
	}
	refusal = api_lot_refusal(r, line.lot_id);
	if (refusal && !*refusal)
		return req_internal_error(r, "lot status");
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "inventoryItemId", json_object_new_string(id_format(r->pool, ID_ITEM, item)));
	json_object_object_add(o, "quantity", json_object_new_int64(qty));
	json_object_object_add(o, "transactionId",
			       json_object_new_string(id_format(r->pool, ID_TRANSACTION, done.transaction_id)));
	json_object_object_add(o, "item", qty_json(r, item, done.after, refusal));
	return req_respond(r, 200, o);
}

static json_object *txn_json(struct req *r, const struct ledger_result *t, const char *type,
			     int64_t line, int64_t change)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id_format(r->pool, ID_TRANSACTION, t->transaction_id)));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "inventoryItemId", json_object_new_string(id_format(r->pool, ID_ITEM, line)));
	json_object_object_add(o, "quantityChange", json_object_new_int64(change));
	return o;
}

int expired_destroy(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), qty = 0, dest_line = 0;
	int64_t dest = api_body_id(r, "destinationLocationId", ID_LOCATION);
	const char *comment = api_body_string(r, "comment"), *ref, *refusal;
	struct ledger_result out_done, in_done;
	struct ledger_settings s;
	struct ledger_line line;
	struct db_result res;
	enum ledger_status st;
	json_object *o, *txns;
	int status;

	if ((st = ledger_line_read(r->db, r->pool, api_ws(r), item, 0, &line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (db_query(r->db, r->pool, "SELECT is_destruction FROM locations WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(dest)), &res))
		return req_internal_error(r, "location");
	if (res.nrows == 0)
		return api_not_found(r, ID_LOCATION);
	if (db_cell_int(&res, 0, 0) == 0)
		return req_field_error(r, "destinationLocationId", "must be a destruction location");
	if ((status = holds_read_settings(r, &s)))
		return status;
	/* The destination line: same product and lot, no bin. */
	if ((st = ledger_lock_move(r->db, r->pool, api_ws(r), item, line.product_id, dest,
				   line.lot_id, 0, &dest_line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (dest_line == item)
		return req_field_error(r, "destinationLocationId", "the stock is already there");
	if ((st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if ((status = expired_quantity(r, &line, &qty)))
		return status;
	/* One reference pairs the two transactions, made before either. */
	if (db_query(r->db, r->pool, "SELECT UUID_SHORT()", DB_NOARGS, &res) || res.nrows != 1)
		return req_internal_error(r, "reference");
	ref = pool_printf(r->pool, "dst_%s", db_cell(&res, 0, 0));
	{
		struct ledger_entry e = {
			.line_id = item, .type = "DESTRUCTION_OUT", .comment = comment,
			.reference_type = "DESTRUCTION", .reference_id = ref,
			.allow_negative = s.allow_negative,
		};

		e.delta[B_ON_HAND] = e.delta[B_EXPIRED] = -qty;
		if ((status = holds_post(r, &e, &out_done)))
			return status;
		e.line_id = dest_line;
		e.type = "DESTRUCTION_IN";
		/* It stays expired at the destruction location. */
		e.delta[B_ON_HAND] = e.delta[B_EXPIRED] = qty;
		if ((status = holds_post(r, &e, &in_done)))
			return status;
	}
	refusal = api_lot_refusal(r, line.lot_id);
	if (refusal && !*refusal)
		return req_internal_error(r, "lot status");
	o = json_object_new_object();
	txns = json_object_new_array();
	json_object_array_add(txns, txn_json(r, &out_done, "DESTRUCTION_OUT", item, -qty));
	json_object_array_add(txns, txn_json(r, &in_done, "DESTRUCTION_IN", dest_line, qty));
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "quantity", json_object_new_int64(qty));
	json_object_object_add(o, "referenceId", json_object_new_string(ref));
	json_object_object_add(o, "fromItem", qty_json(r, item, out_done.after, refusal));
	json_object_object_add(o, "toItem", qty_json(r, dest_line, in_done.after, refusal));
	json_object_object_add(o, "transactions", txns);
	return req_respond(r, 200, o);
}
