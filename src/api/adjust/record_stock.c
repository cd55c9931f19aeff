/*
 * Recorded stock and lot corrections: set or receive a product's stock at a
 * location, lot and bin, and move a line's stock to another lot. Every
 * change posts through the ledger inside the request's transaction.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "api/adjust/adjust.h"
#include "api/adjust/internal.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

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
	struct db_result res;

	if (!id)
		return 0;
	if (db_query(r->db, r->pool,
		     "SELECT 1 FROM reason_codes WHERE workspace_id = ? AND id = ? AND active = 1",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "reason code");
	return res.nrows ? 0 : api_not_found(r, ID_REASON_CODE);
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

/* The stock line of product, location, lot and bin (0: none), or 0 when
 * there is none yet; -1 on a database error. */
static int64_t find_line(struct req *r, int64_t product, int64_t location, int64_t lot,
			 int64_t bin)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT id FROM stock_lines WHERE workspace_id = ? AND product_id = ?"
		     " AND location_id = ? AND lot_key = ? AND bin_key = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(location), ARG_INT(lot),
			     ARG_INT(bin)), &res))
		return -1;
	return res.nrows ? db_cell_int(&res, 0, 0) : 0;
}

struct lot_ref {
	int64_t id;           /* 0: no lot */
	const char *number;
	const char *status;
	int created;
};

/* Reads the lot of product with id, or with number when id is 0. */
static int lot_lookup(struct req *r, int64_t product, int64_t id, const char *number,
		      struct db_result *res)
{
	if (id)
		return db_query(r->db, r->pool,
				"SELECT id, lot_number, status FROM lots"
				" WHERE workspace_id = ? AND id = ? AND product_id = ?",
				DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id), ARG_INT(product)), res);
	return db_query(r->db, r->pool,
			"SELECT id, lot_number, status FROM lots"
			" WHERE workspace_id = ? AND product_id = ? AND lot_number = ?",
			DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_TEXT(number)), res);
}

/*
 * The lot of product that the body names by id (id_field) or by number
 * (number_field, with expiryDate). A lot id must be one of the product's
 * (else 404); a number not known yet creates the lot, which needs an
 * expiryDate when the product is expiry-tracked. Neither given: lot->id
 * is 0. Returns 0, or the status of the error response set.
 */
static int resolve_lot(struct req *r, int64_t product, const char *id_field,
		       const char *number_field, struct lot_ref *lot)
{
	int64_t id = api_body_id(r, id_field, ID_LOT);
	const char *number = api_body_string(r, number_field);
	const char *expiry = api_body_string(r, "expiryDate");
	struct db_result res;

	memset(lot, 0, sizeof(*lot));
	if (adjust_blank(number))
		number = NULL;
	if (!id && !number)
		return 0;
	if (lot_lookup(r, product, id, number, &res))
		return req_internal_error(r, "lot");
	if (id && !res.nrows)
		return api_not_found(r, ID_LOT);
	/* Lot numbers compare as the unique key does: without case. */
	if (id && number && strcasecmp(db_cell(&res, 0, 1), number))
		return req_field_error(r, number_field,
				       pool_printf(r->pool, "does not match the number of %s", id_field));
	if (!res.nrows) {
		struct db_result ins;

		if (db_query(r->db, r->pool,
			     "SELECT expiry_tracked FROM products WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product)), &res) || res.nrows != 1)
			return req_internal_error(r, "product");
		if (db_cell_int(&res, 0, 0) && !expiry)
			return req_field_error(r, "expiryDate",
					       "is required for a new lot of an expiry-tracked product");
		if (!db_query(r->db, r->pool,
			      "INSERT INTO lots (workspace_id, product_id, lot_number, expiry_date)"
			      " VALUES (?, ?, ?, ?)",
			      DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_TEXT(number),
				      ARG_TEXT(expiry)), &ins)) {
			lot->id = (int64_t)ins.insert_id;
			lot->number = number;
			lot->status = "ACTIVE";
			lot->created = 1;
			return 0;
		}
		/* Another request created it first: a duplicate key undoes only
		 * this statement, so use the lot it made. */
		if (db_errno(r->db) != DB_ER_DUP_ENTRY)
			return api_db_error(r, "lot insert");
		if (lot_lookup(r, product, 0, number, &res) || res.nrows != 1)
			return req_internal_error(r, "lot");
	}
	lot->id = db_cell_int(&res, 0, 0);
	lot->number = db_cell(&res, 0, 1);
	lot->status = db_cell(&res, 0, 2);
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
	struct lot_ref lot;
	json_object *from = NULL, *to = NULL, *txns = NULL, *txn, *out;
	enum ledger_status st;
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
	if ((status = resolve_lot(r, source.product_id, "toLotId", "toLotNumber", &lot)))
		goto out;
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
	int64_t ws = api_ws(r), product = api_body_id(r, "productMasterId", ID_PRODUCT);
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	int64_t bin = api_body_id(r, "binId", ID_BIN);
	int64_t reason = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	int64_t quantity = adjust_body_int(r, "quantity"), line_id;
	const char *mode = api_body_string(r, "mode");
	int receive = mode && !strcmp(mode, "RECEIVE"), created, lot_controlled;
	struct ledger_settings settings;
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	struct ledger_line line;
	struct db_result res;
	struct lot_ref lot;
	json_object *txn = NULL, *item = NULL;
	enum ledger_status st;
	int status;

	/* POST /api/inventory/record-stock needs only inventory.write, which
	 * records received stock; setting on hand is inventory.adjust's. */
	if (!receive && !principal_has_all(&r->principal, PERM_BIT(PERM_INVENTORY_ADJUST))) {
		status = req_error(r, 403, "Forbidden",
				   "setting on-hand quantities (mode SET, the default) requires permission "
				   "inventory.adjust; inventory.write records received stock only (mode RECEIVE)");
		goto out;
	}
	if (db_query(r->db, r->pool,
		     "SELECT p.lot_controlled FROM products p WHERE p.workspace_id = ? AND p.id = ?"
		     " AND EXISTS (SELECT 1 FROM locations l WHERE l.workspace_id = ? AND l.id = ?)",
		     DB_ARGS(ARG_INT(ws), ARG_INT(product), ARG_INT(ws), ARG_INT(location)), &res)) {
		status = req_internal_error(r, "product");
		goto out;
	}
	if (!res.nrows) {
		status = req_error(r, 404, "Product or location not found", NULL);
		goto out;
	}
	lot_controlled = db_cell_int(&res, 0, 0) != 0;
	if (receive && quantity < 1) {
		status = req_field_error(r, "quantity", "must be at least 1 when mode is RECEIVE");
		goto out;
	}
	if (bin) {
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM bins WHERE workspace_id = ? AND id = ? AND location_id = ?",
			     DB_ARGS(ARG_INT(ws), ARG_INT(bin), ARG_INT(location)), &res)) {
			status = req_internal_error(r, "bin");
			goto out;
		}
		if (!res.nrows) {
			status = api_not_found(r, ID_BIN);
			goto out;
		}
	}
	if (lot_controlled && !api_body_id(r, "lotId", ID_LOT) &&
	    adjust_blank(api_body_string(r, "lotNumber"))) {
		status = req_field_error(r, "lotNumber", "is required for lot-controlled products");
		goto out;
	}
	if ((status = check_reason_code(r, reason)) ||
	    (status = resolve_lot(r, product, "lotId", "lotNumber", &lot)))
		goto out;
	line_id = find_line(r, product, location, lot.id, bin);
	created = line_id == 0;
	if (created && ledger_line_ensure(r->db, r->pool, ws, product, location, lot.id, bin, &line_id))
		line_id = -1;
	if (line_id < 0 || ledger_settings_read(r->db, r->pool, ws, &settings)) {
		status = req_internal_error(r, "stock line");
		goto out;
	}
	st = ledger_line_read(r->db, r->pool, ws, line_id, 1, &line);
	if (st != LEDGER_OK) {
		status = api_ledger_error(r, st);
		goto out;
	}
	e.workspace_id = ws;
	e.line_id = line_id;
	e.type = receive ? "RECEIPT" : "RECORD_STOCK";
	e.delta[B_ON_HAND] = receive ? quantity : quantity - line.qty[B_ON_HAND];
	e.reason_code_id = reason;
	e.comment = api_body_string(r, "comment");
	e.actor = api_actor(r);
	e.allow_negative = settings.allow_negative;
	st = ledger_post(r->db, r->pool, &e, &posted);
	if (st != LEDGER_OK) {
		status = api_ledger_error(r, st);
		goto out;
	}
	/* A count dates the line; the date is not a quantity, so it is set
	 * here rather than by the ledger. */
	if (!receive &&
	    db_query(r->db, r->pool,
		     "UPDATE stock_lines SET last_counted_at = NOW(3) WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(ws), ARG_INT(line_id)), NULL)) {
		status = req_internal_error(r, "last counted");
		goto out;
	}
	if ((status = txn_json(r, posted.transaction_id, 0, &txn)) ||
	    (status = line_json(r, line_id, 1, &item)))
		goto out;
	status = adjust_answer_posted(r, created ? 201 : 200, txn, item, lot.created,
				      pool_printf(r->pool, "%s %s", receive ? "Received" : "Recorded",
						  adjust_units(r, quantity, 0)));
	txn = item = NULL;
out:
	json_object_put(txn);
	json_object_put(item);
	return status;
}
