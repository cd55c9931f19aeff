/* SPDX-License-Identifier: MIT */
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
int record_stock_error(struct req *r, enum stock_status st, const char *what,
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

/* A stock line as the answers show it, after the change. */
static const struct field line_columns[] = {
	{ .name = "id", .column = "sl.id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "productMasterId", .column = "sl.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .column = "sl.location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "sl.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "qtyOnHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER },
	{ .name = "qtyAvailable", .column = SQL_AVAILABLE("sl", "lt"), .type = FIELD_INTEGER },
	{ .name = "qtyReserved", .column = "sl.qty_reserved", .type = FIELD_INTEGER },
	{ .name = "lastCountedAt", .column = "sl.last_counted_at", .type = FIELD_DATETIME,
	  .flags = FIELD_NULLABLE },
	FIELDS_END
};

/* The index of lotNumber in line_columns. */
#define LINE_LOT_NUMBER 4

/*
 * Writes stock line line_id (line_columns) as the next value of w; with
 * lot_number, also gives its lot's number (NULL: none). Returns 0, or the
 * status set.
 */
static int write_line(struct req *r, struct jw *w, int64_t line_id, const char **lot_number)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM stock_lines sl" SQL_JOIN_LOT("sl")
				 " WHERE sl.workspace_id = ? AND sl.id = ?", api_select(line_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(line_id)), &res))
		return req_internal_error(r, "stock line");
	if (res.nrows != 1)
		return api_not_found(r, ID_ITEM);
	api_write_row(w, &res, 0, line_columns);
	if (lot_number)
		*lot_number = db_cell(&res, 0, LINE_LOT_NUMBER);
	return 0;
}

#define TXN_COLUMNS \
	{ .name = "id", .column = "id", .type = FIELD_ID, .kind = ID_TRANSACTION }, \
	{ .name = "inventoryItemId", .column = "stock_line_id", .type = FIELD_ID, .kind = ID_ITEM }, \
	{ .name = "transactionType", .column = "transaction_type", .type = FIELD_STRING }, \
	{ .name = "deltaQty", .column = "delta_on_hand", .type = FIELD_INTEGER, \
	  .description = "The change of on hand" }, \
	{ .name = "reasonCodeId", .column = "reason_code_id", .type = FIELD_ID, \
	  .kind = ID_REASON_CODE, .flags = FIELD_NULLABLE }, \
	{ .name = "createdAt", .column = "created_at", .type = FIELD_DATETIME },

const struct field adjust_txn_columns[] = {
	TXN_COLUMNS
	FIELDS_END
};

/* A transaction that belongs to an event of several. */
static const struct field txn_reference_columns[] = {
	TXN_COLUMNS
	{ .name = "referenceType", .column = "reference_type", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "referenceId", .column = "reference_id", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE, .description = "The first transaction of the event" },
	FIELDS_END
};

/* Writes posted transaction txn_id (cols) as the next value of w.
 * Returns 0 or the status set. */
static int write_txn(struct req *r, struct jw *w, int64_t txn_id, const struct field *cols)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM stock_transactions WHERE workspace_id = ? AND id = ?",
				 api_select(cols)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(txn_id)), &res) || res.nrows != 1)
		return req_internal_error(r, "transaction");
	api_write_row(w, &res, 0, cols);
	return 0;
}

const struct field lot_correction_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "fromItem", .type = FIELD_OBJECT, .items = line_columns,
	  .description = "The stock line of the wrong lot, after the move" },
	{ .name = "toItem", .type = FIELD_OBJECT, .items = line_columns,
	  .description = "The stock line of the right lot, after the move" },
	{ .name = "transactions", .type = FIELD_ARRAY, .items = txn_reference_columns,
	  .description = "Out of the wrong lot, then into the right one" },
	{ .name = "message", .type = FIELD_STRING },
	FIELDS_END
};

const struct field record_stock_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "transaction", .type = FIELD_OBJECT, .items = adjust_txn_columns },
	{ .name = "inventoryItem", .type = FIELD_OBJECT, .items = line_columns,
	  .description = "The stock line after the change" },
	{ .name = "lotCreated", .type = FIELD_BOOLEAN,
	  .description = "Whether lotNumber named a new lot, created here" },
	{ .name = "message", .type = FIELD_STRING },
	FIELDS_END
};

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
	struct jw w;
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
		status = record_stock_error(r, st2, "lot", "toLotId", "toLotNumber");
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
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_key(&w, "fromItem");
	if ((status = write_line(r, &w, source_id, &from_number)))
		goto out;
	jw_key(&w, "toItem");
	if ((status = write_line(r, &w, target_id, NULL)))
		goto out;
	jw_key(&w, "transactions");
	jw_open(&w, '[');
	for (k = 0; k < 2; k++)
		if ((status = write_txn(r, &w, posted[k].transaction_id, txn_reference_columns)))
			goto out;
	jw_close(&w, ']');
	jw_kstr(&w, "message", pool_printf(r->pool, "Moved %s from %s%s to lot %s",
					   adjust_units(r, quantity, 0),
					   from_number ? "lot " : "no lot",
					   from_number ? from_number : "", lot.number));
	jw_close(&w, '}');
	status = req_respond_jw(r, 200, &w);
out:
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
	struct jw w;
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
		status = record_stock_error(r, st, rec.message, "lotId", "lotNumber");
		goto out;
	}
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_key(&w, "transaction");
	if ((status = write_txn(r, &w, rec.transaction_id, adjust_txn_columns)))
		goto out;
	jw_key(&w, "inventoryItem");
	if ((status = write_line(r, &w, rec.line_id, NULL)))
		goto out;
	jw_kbool(&w, "lotCreated", rec.lot.created);
	jw_kstr(&w, "message", pool_printf(r->pool, "%s %s", receive ? "Received" : "Recorded",
					   adjust_units(r, in.quantity, 0)));
	jw_close(&w, '}');
	status = req_respond_jw(r, rec.line_created ? 201 : 200, &w);
out:
	return status;
}
