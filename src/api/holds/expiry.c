/* SPDX-License-Identifier: MIT */
/*
 * Expired stock: it moves to the expired bucket, and from there is consumed
 * or sent to a destruction location. All through the ledger.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/holds/holds.h"
#include "api/moves/moves.h"
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

/* A stock line's quantities after a change (qty_write). */
static const struct field expired_line_fields[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "qtyOnHand", .type = FIELD_INTEGER },
	{ .name = "qtyExpired", .type = FIELD_INTEGER },
	{ .name = "qtyAvailable", .type = FIELD_INTEGER,
	  .description = "On hand less every other bucket; 0 when the lot is expired, recalled or held" },
	FIELDS_END
};

/* Writes member name: a line's quantities; lot_refusal is
 * api_lot_refusal of its lot. */
static void qty_write(struct jw *w, struct req *r, const char *name, int64_t line_id,
		      const int64_t q[B__MAX], const char *lot_refusal)
{
	jw_key(w, name);
	jw_open(w, '{');
	jw_kstr(w, "id", id_format(r->pool, ID_ITEM, line_id));
	jw_kint(w, "qtyOnHand", q[B_ON_HAND]);
	jw_kint(w, "qtyExpired", q[B_EXPIRED]);
	jw_kint(w, "qtyAvailable", api_available(ledger_available(q), lot_refusal));
	jw_close(w, '}');
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

static const char *const lot_statuses[] = { "ACTIVE", "ON_HOLD", "RECALLED", "EXPIRED", NULL };

/* An expired stock line as the list answers it. */
const struct field expired_columns[] = {
	{ .name = "id", .column = "sl.id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "productMasterId", .column = "sl.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "locationId", .column = "sl.location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "locationName", .column = "l.name", .type = FIELD_STRING },
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING },
	{ .name = "lotStatus", .column = "lt.status", .type = FIELD_STRING, .values = lot_statuses },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE,
	  .description = "null for a lot expired by its status alone" },
	{ .name = "daysExpired", .column = "GREATEST(DATEDIFF(d.as_of, lt.expiry_date), 0)",
	  .type = FIELD_INTEGER, .flags = FIELD_NULLABLE,
	  .description = "Days from the expiry date to asOf; null without an expiry date" },
	{ .name = "qtyOnHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER },
	{ .name = "qtyExpired", .column = "sl.qty_expired", .type = FIELD_INTEGER,
	  .description = "Already moved to the expired bucket" },
	{ .name = "qtyUnmarked", .column = "sl.qty_on_hand - sl.qty_expired - sl.qty_recalled",
	  .type = FIELD_INTEGER, .description = "On hand neither marked expired nor recalled" },
	{ .name = "unitCost", .column = "p.unit_cost", .type = FIELD_NUMBER },
	{ .name = "valueAtRisk", .column = "ROUND(sl.qty_on_hand * p.unit_cost, 2)", .type = FIELD_NUMBER,
	  .description = "qtyOnHand x unitCost, to the cent" },
	FIELDS_END
};

int expired_list(struct req *r)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*)" EXPIRED_FROM EXPIRED_WHERE,
		.rows_sql = EXPIRED_FROM
			" JOIN products p ON p.id = sl.product_id AND p.workspace_id = sl.workspace_id"
			" JOIN locations l ON l.id = sl.location_id AND l.workspace_id = sl.workspace_id"
			EXPIRED_WHERE,
		/* Lots expired by status alone (no date) come after the dated ones. */
		.rows_tail = " ORDER BY lt.expiry_date IS NULL, lt.expiry_date, sl.id LIMIT ? OFFSET ?",
		.columns = expired_columns,
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
	return api_list_page(r, &list, &where, page, limit);
}

static int lot_is_expired(const struct db_result *res, size_t status_col, size_t past_col)
{
	const char *status = db_cell(res, 0, status_col);

	return (status && !strcmp(status, "EXPIRED")) || db_cell_int(res, 0, past_col) == 1;
}

static const struct field marked_line_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "quantityMarked", .type = FIELD_INTEGER,
	  .description = "Moved to the expired bucket (0 when only reservations and holds were taken back)" },
	FIELDS_END
};

const struct field mark_expired_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "markedLines", .type = FIELD_INTEGER, .description = "Stock lines changed" },
	{ .name = "totalQuantity", .type = FIELD_INTEGER, .description = "Moved to the expired bucket" },
	{ .name = "items", .type = FIELD_ARRAY, .items = marked_line_fields,
	  .description = "The stock lines changed, by id" },
	FIELDS_END
};

int expired_mark(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), lot = api_body_id(r, "lotId", ID_LOT);
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	const char *comment = api_body_string(r, "comment");
	struct sweep_out out = { 0 };
	struct db_result res;
	struct jw w;
	size_t i;
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
	if ((status = holds_sweep(r, SWEEP_EXPIRE,
				  item ? sweep_scope_line : lot ? sweep_scope_lot : sweep_scope_location,
				  item ? item : lot ? lot : location, "EXPIRE", comment, &out)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_kint(&w, "markedLines", (int64_t)out.lines);
	jw_kint(&w, "totalQuantity", out.quantity);
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < out.lines; i++) {
		jw_open(&w, '{');
		jw_kstr(&w, "inventoryItemId", id_format(r->pool, ID_ITEM, out.line_ids[i]));
		jw_kint(&w, "quantityMarked", out.marked[i]);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
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

const struct field mark_consumed_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "quantity", .type = FIELD_INTEGER, .description = "Expired quantity consumed" },
	{ .name = "transactionId", .type = FIELD_ID, .kind = ID_TRANSACTION },
	{ .name = "item", .type = FIELD_OBJECT, .items = expired_line_fields,
	  .description = "The stock line after the change" },
	FIELDS_END
};

int expired_consume(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), qty = 0;
	int64_t reason_code = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	const char *refusal;
	struct ledger_settings s;
	struct ledger_result done;
	struct ledger_line line;
	enum ledger_status st;
	struct jw w;
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
	if ((status = api_lot_refusal(r, line.lot_id, &refusal)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_kstr(&w, "inventoryItemId", id_format(r->pool, ID_ITEM, item));
	jw_kint(&w, "quantity", qty);
	jw_kstr(&w, "transactionId", id_format(r->pool, ID_TRANSACTION, done.transaction_id));
	qty_write(&w, r, "item", item, done.after, refusal);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

static const char *const destruction_types[] = { "DESTRUCTION_OUT", "DESTRUCTION_IN", NULL };

static const struct field destruction_txn_fields[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_TRANSACTION },
	{ .name = "type", .type = FIELD_STRING, .values = destruction_types },
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "quantityChange", .type = FIELD_INTEGER },
	FIELDS_END
};

const struct field transfer_destruction_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "quantity", .type = FIELD_INTEGER, .description = "Expired quantity sent" },
	{ .name = "referenceId", .type = FIELD_STRING,
	  .description = "The reference of both transactions (dst_...)" },
	{ .name = "transferId", .type = FIELD_ID, .kind = ID_TRANSFER,
	  .description = "The COMPLETED transfer that records the move" },
	{ .name = "fromItem", .type = FIELD_OBJECT, .items = expired_line_fields,
	  .description = "The stock line it left, after the change" },
	{ .name = "toItem", .type = FIELD_OBJECT, .items = expired_line_fields,
	  .description = "Its stock line at the destruction location, after the change" },
	{ .name = "transactions", .type = FIELD_ARRAY, .items = destruction_txn_fields,
	  .description = "DESTRUCTION_OUT, then DESTRUCTION_IN" },
	FIELDS_END
};

/* Writes one of the two transactions of a transfer to destruction. */
static void txn_write(struct jw *w, struct req *r, const struct ledger_result *t, const char *type,
		      int64_t line, int64_t change)
{
	jw_open(w, '{');
	jw_kstr(w, "id", id_format(r->pool, ID_TRANSACTION, t->transaction_id));
	jw_kstr(w, "type", type);
	jw_kstr(w, "inventoryItemId", id_format(r->pool, ID_ITEM, line));
	jw_kint(w, "quantityChange", change);
	jw_close(w, '}');
}

int expired_destroy(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), qty = 0, dest_line = 0, transfer;
	int64_t dest = api_body_id(r, "destinationLocationId", ID_LOCATION);
	const char *comment = api_body_string(r, "comment"), *ref, *refusal;
	struct ledger_result out_done, in_done;
	struct ledger_settings s;
	struct ledger_line line;
	struct db_result res;
	enum ledger_status st;
	struct jw w;
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
	if ((status = transfer_record_done(r, line.location_id, dest, line.product_id, line.lot_id,
					   item, qty, ref, &transfer)))
		return status;
	if ((status = api_lot_refusal(r, line.lot_id, &refusal)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_kint(&w, "quantity", qty);
	jw_kstr(&w, "referenceId", ref);
	jw_kstr(&w, "transferId", id_format(r->pool, ID_TRANSFER, transfer));
	qty_write(&w, r, "fromItem", item, out_done.after, refusal);
	qty_write(&w, r, "toItem", dest_line, in_done.after, refusal);
	jw_key(&w, "transactions");
	jw_open(&w, '[');
	txn_write(&w, r, &out_done, "DESTRUCTION_OUT", item, -qty);
	txn_write(&w, r, &in_done, "DESTRUCTION_IN", dest_line, qty);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
