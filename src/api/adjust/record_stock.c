/*
 * Recorded stock and lot corrections: set or receive a product's stock at a
 * location, lot and bin, and move a line's stock to another lot. Every
 * change posts through the ledger inside the request's transaction.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/adjust/adjust.h"
#include "api/adjust/internal.h"
#include "core/pool.h"
#include "core/util.h"
#include "ledger/ledger.h"
#include "ledger/record.h"

const struct field lot_correction_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_REQUIRED,
	  .description = "The stock line of the wrong lot" },
	{ .name = "toLotId", .type = FIELD_ID, .kind = ID_LOT,
	  .description = "The right lot: an ACTIVE lot of the item's product (or toLotNumber)" },
	{ .name = "toLotNumber", .type = FIELD_STRING, .max_length = 100,
	  .description = "The right lot's number; the lot is created when new" },
	{ .name = "expiryDate", .type = FIELD_DATE,
	  .description = "Expiry date of a lot created by toLotNumber (required when the "
			 "product is expiry-tracked)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Quantity to move (at least 1)" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE, .description = "Reason code" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

static const char *const record_modes[] = { "SET", "RECEIVE", NULL };

const struct field record_stock_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE, .description = "Product" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE, .description = "Location" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .description = "An existing lot of the product" },
	{ .name = "lotNumber", .type = FIELD_STRING, .max_length = 100,
	  .description = "A lot number; the lot is created when new. Lot-controlled products "
			 "need lotId or lotNumber" },
	{ .name = "expiryDate", .type = FIELD_DATE,
	  .description = "Expiry date of a new lot (required when the product is expiry-tracked)" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .description = "A bin of the location" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Counted quantity (SET) or received quantity (RECEIVE, at least 1)" },
	{ .name = "mode", .type = FIELD_STRING, .values = record_modes,
	  .description = "SET (default): on hand becomes quantity; RECEIVE: quantity is added" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE, .description = "Reason code" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

/* Returns 0 when id is 0 (none given) or an active reason code of the
 * workspace, else the status of the 404 (or 500) set. */
static int check_reason_code(struct req *r, int64_t id)
{
	int active;

	if (!id)
		return 0;
	active = stock_reason_code_active(r->db, r->pool, api_ws(r), id);
	if (active < 0)
		return req_internal_error(r, "reason code");
	return active ? 0 : api_not_found(r, ID_REASON_CODE);
}

/*
 * The answer to a stock service status: what (STOCK_ERROR) names what
 * failed, id_field and number_field the body's names of the lot. Returns
 * the status of the error response set.
 */
static int stock_error(struct req *r, enum stock_status st, const char *what,
		       const char *id_field, const char *number_field)
{
	switch (st) {
	case STOCK_NEGATIVE:
		return api_ledger_error(r, LEDGER_NEGATIVE);
	case STOCK_NO_PRODUCT_OR_LOCATION:
		return req_error(r, 404, API_PRODUCT_OR_LOCATION_GONE, NULL);
	case STOCK_BAD_QUANTITY:
		return req_field_error(r, "quantity", "must be at least 1 when mode is RECEIVE");
	case STOCK_NO_BIN:
		return api_not_found(r, ID_BIN);
	case STOCK_LOT_REQUIRED:
		return req_field_error(r, number_field, "is required for lot-controlled products");
	case STOCK_NO_REASON_CODE:
		return api_not_found(r, ID_REASON_CODE);
	case STOCK_NO_LOT:
		return api_not_found(r, ID_LOT);
	case STOCK_LOT_MISMATCH:
		return req_field_error(r, number_field,
				       pool_printf(r->pool, "does not match the number of %s", id_field));
	case STOCK_EXPIRY_REQUIRED:
		return req_field_error(r, "expiryDate",
				       "is required for a new lot of an expiry-tracked product");
	default:
		return api_db_error(r, what ? what : "stock");
	}
}

/* The body's string field name, or NULL when it is absent or blank. */
static const char *body_text(struct req *r, const char *name)
{
	const char *s = api_body_string(r, name);

	return adjust_blank(s) ? NULL : s;
}

enum line_col {
	LN_ID, LN_PRODUCT, LN_LOCATION, LN_LOT, LN_LOT_NUMBER, LN_BIN, LN_ON_HAND, LN_AVAILABLE,
	LN_RESERVED, LN_COUNTED
};

/*
 * A stock line as the responses show it: the seed's six fields, and with
 * full also its lot, bin and last count. Returns 0, or the status set.
 */
static int line_json(struct req *r, int64_t line_id, int full, json_object **out)
{
	struct db_result res;
	json_object *o;

	if (db_query(r->db, r->pool,
		     "SELECT sl.id, sl.product_id, sl.location_id, sl.lot_id, lt.lot_number, sl.bin_id,"
		     " sl.qty_on_hand, " SQL_AVAILABLE("sl", "lt") ", sl.qty_reserved,"
		     " " SQL_ISO("sl.last_counted_at")
		     " FROM stock_lines sl" SQL_JOIN_LOT("sl")
		     " WHERE sl.workspace_id = ? AND sl.id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(line_id)), &res))
		return req_internal_error(r, "stock line");
	if (res.nrows != 1)
		return api_not_found(r, ID_ITEM);
	o = json_object_new_object();
	json_object_object_add(o, "id", api_cell_id(r, &res, 0, LN_ID, ID_ITEM));
	json_object_object_add(o, "productMasterId", api_cell_id(r, &res, 0, LN_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "locationId", api_cell_id(r, &res, 0, LN_LOCATION, ID_LOCATION));
	if (full) {
		json_object_object_add(o, "lotId", api_cell_id(r, &res, 0, LN_LOT, ID_LOT));
		json_object_object_add(o, "lotNumber", api_cell_string(&res, 0, LN_LOT_NUMBER));
		json_object_object_add(o, "binId", api_cell_id(r, &res, 0, LN_BIN, ID_BIN));
	}
	json_object_object_add(o, "qtyOnHand", api_cell_int(&res, 0, LN_ON_HAND));
	json_object_object_add(o, "qtyAvailable", api_cell_int(&res, 0, LN_AVAILABLE));
	json_object_object_add(o, "qtyReserved", api_cell_int(&res, 0, LN_RESERVED));
	if (full)
		json_object_object_add(o, "lastCountedAt", api_cell_string(&res, 0, LN_COUNTED));
	*out = o;
	return 0;
}

enum txn_col { TX_ID, TX_LINE, TX_TYPE, TX_DELTA, TX_REASON, TX_CREATED, TX_REF_TYPE, TX_REF_ID };

/*
 * A posted transaction as the seed shows it: {id, inventoryItemId,
 * transactionType, deltaQty, reasonCodeId, createdAt}, and with
 * reference also referenceType and referenceId. Returns 0 or the status.
 */
static int txn_json(struct req *r, int64_t txn_id, int reference, json_object **out)
{
	struct db_result res;
	json_object *o;

	if (db_query(r->db, r->pool,
		     "SELECT id, stock_line_id, transaction_type, delta_on_hand, reason_code_id,"
		     " " SQL_ISO("created_at") ", reference_type, reference_id"
		     " FROM stock_transactions WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(txn_id)), &res) || res.nrows != 1)
		return req_internal_error(r, "transaction");
	o = json_object_new_object();
	json_object_object_add(o, "id", api_cell_id(r, &res, 0, TX_ID, ID_TRANSACTION));
	json_object_object_add(o, "inventoryItemId", api_cell_id(r, &res, 0, TX_LINE, ID_ITEM));
	json_object_object_add(o, "transactionType", api_cell_string(&res, 0, TX_TYPE));
	json_object_object_add(o, "deltaQty", api_cell_int(&res, 0, TX_DELTA));
	json_object_object_add(o, "reasonCodeId", api_cell_id(r, &res, 0, TX_REASON, ID_REASON_CODE));
	json_object_object_add(o, "createdAt", api_cell_string(&res, 0, TX_CREATED));
	if (reference) {
		json_object_object_add(o, "referenceType", api_cell_string(&res, 0, TX_REF_TYPE));
		json_object_object_add(o, "referenceId", api_cell_string(&res, 0, TX_REF_ID));
	}
	*out = o;
	return 0;
}

int lot_correction(struct req *r)
{
	int64_t ws = api_ws(r), source_id = api_body_id(r, "inventoryItemId", ID_ITEM);
	int64_t quantity = adjust_body_int(r, "quantity");
	int64_t reason = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	const char *lot_field = api_body_has(r, "toLotId") ? "toLotId" : "toLotNumber";
	const char *from_number = NULL;
	struct ledger_entry e = { 0 };
	struct ledger_result posted[2];
	struct ledger_line source;
	struct stock_lot lot;
	json_object *from = NULL, *to = NULL, *txns = NULL, *txn, *out;
	enum ledger_status st;
	enum stock_status st2;
	int64_t target_id;
	int status, k;

	if (quantity < 1) {
		status = req_field_error(r, "quantity", "must be at least 1");
		goto out;
	}
	if ((status = check_reason_code(r, reason)))
		goto out;
	st = ledger_line_read(r->db, r->pool, ws, source_id, 0, &source);
	if (st != LEDGER_OK) {
		status = api_ledger_error(r, st);
		goto out;
	}
	st2 = stock_lot_resolve(r->db, r->pool, ws, source.product_id, api_body_id(r, "toLotId", ID_LOT),
				body_text(r, "toLotNumber"), api_body_string(r, "expiryDate"), 1, &lot);
	if (st2 != STOCK_OK) {
		status = stock_error(r, st2, "lot", "toLotId", "toLotNumber");
		goto out;
	}
	if (!lot.id) {
		status = req_field_error(r, "toLotId", "is required (or toLotNumber)");
		goto out;
	}
	if (lot.id == source.lot_id) {
		status = req_field_error(r, lot_field, "must name another lot than the item's");
		goto out;
	}
	/* Stock moved into a held, recalled or expired lot would count as
	 * available there: the lot's status is applied to its lines only when
	 * it changes. */
	if (strcmp(lot.status, "ACTIVE")) {
		status = req_error(r, 409, "Conflict",
				   pool_printf(r->pool, "lot %s is %s: stock cannot be moved into it",
					       lot.number, lot.status));
		goto out;
	}
	st = ledger_lock_move(r->db, r->pool, ws, source_id, source.product_id, source.location_id,
			      lot.id, source.bin_id, &target_id);
	if (st != LEDGER_OK) {
		status = api_ledger_error(r, st);
		goto out;
	}
	/* One event: the target's entry refers to the source's. */
	e.workspace_id = ws;
	e.type = "LOT_CORRECTION";
	e.reason_code_id = reason;
	e.comment = api_body_string(r, "comment");
	e.actor = api_actor(r);
	e.reference_type = "LOT_CORRECTION";
	e.line_id = source_id;
	e.delta[B_ON_HAND] = -quantity;
	st = ledger_post(r->db, r->pool, &e, &posted[0]);
	if (st == LEDGER_OK) {
		e.line_id = target_id;
		e.delta[B_ON_HAND] = quantity;
		e.reference_id = id_format(r->pool, ID_TRANSACTION, posted[0].transaction_id);
		st = ledger_post(r->db, r->pool, &e, &posted[1]);
	}
	if (st != LEDGER_OK) {
		status = api_ledger_error(r, st);
		goto out;
	}
	if ((status = line_json(r, source_id, 1, &from)) || (status = line_json(r, target_id, 1, &to)))
		goto out;
	txns = json_object_new_array();
	for (k = 0; k < 2; k++) {
		if ((status = txn_json(r, posted[k].transaction_id, 1, &txn)))
			goto out;
		json_object_array_add(txns, txn);
	}
	if (source.lot_id) {
		json_object *v;

		if (json_object_object_get_ex(from, "lotNumber", &v) && v)
			from_number = json_object_get_string(v);
	}
	out = json_object_new_object();
	json_object_object_add(out, "success", json_object_new_boolean(1));
	json_object_object_add(out, "fromItem", from);
	json_object_object_add(out, "toItem", to);
	json_object_object_add(out, "transactions", txns);
	json_object_object_add(out, "message",
			       json_object_new_string(pool_printf(r->pool, "Moved %s from %s%s to lot %s",
								  adjust_units(r, quantity, 0),
								  from_number ? "lot " : "no lot",
								  from_number ? from_number : "",
								  lot.number)));
	from = to = txns = NULL;
	status = req_respond(r, 200, out);
out:
	json_object_put(from);
	json_object_put(to);
	json_object_put(txns);
	return status;
}

/* ---------------------------------------------------------------- record stock */

int record_stock(struct req *r)
{
	const char *mode = api_body_string(r, "mode");
	int receive = mode && !strcmp(mode, "RECEIVE");
	struct stock_record_in in = {
		.mode = receive ? STOCK_RECORD_RECEIVE : STOCK_RECORD_COUNT,
		.product_id = api_body_id(r, "productMasterId", ID_PRODUCT),
		.location_id = api_body_id(r, "locationId", ID_LOCATION),
		.lot_id = api_body_id(r, "lotId", ID_LOT),
		.lot_number = body_text(r, "lotNumber"),
		.expiry_date = api_body_string(r, "expiryDate"),
		.bin_id = api_body_id(r, "binId", ID_BIN),
		.quantity = adjust_body_int(r, "quantity"),
		.reason_code_id = api_body_id(r, "reasonCodeId", ID_REASON_CODE),
		.comment = api_body_string(r, "comment"),
		.actor = api_actor(r),
	};
	struct stock_record_out rec;
	json_object *txn = NULL, *item = NULL;
	enum stock_status st;
	int status;

	/* POST /api/inventory/record-stock needs only inventory.write, which
	 * records received stock; setting on hand is inventory.adjust's. */
	if (!receive && !principal_has_all(&r->principal, PERM_BIT(PERM_INVENTORY_ADJUST))) {
		status = req_error(r, 403, "Forbidden",
				   "setting on-hand quantities (mode SET, the default) requires permission "
				   "inventory.adjust; inventory.write records received stock only (mode RECEIVE)");
		goto out;
	}
	st = stock_record(r->db, r->pool, api_ws(r), &in, &rec);
	if (st != STOCK_OK) {
		status = stock_error(r, st, rec.message, "lotId", "lotNumber");
		goto out;
	}
	if ((status = txn_json(r, rec.transaction_id, 0, &txn)) ||
	    (status = line_json(r, rec.line_id, 1, &item)))
		goto out;
	status = adjust_answer_posted(r, rec.line_created ? 201 : 200, txn, item, rec.lot.created,
				      pool_printf(r->pool, "%s %s", receive ? "Received" : "Recorded",
						  adjust_units(r, in.quantity, 0)));
	txn = item = NULL;
out:
	json_object_put(txn);
	json_object_put(item);
	return status;
}
