/* SPDX-License-Identifier: MIT */
/*
 * Lot control validation: whether a movement of a product may use a lot
 * (or create one), and what it would leave.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

const struct field lot_control_query[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH,
	  .description = "Lot (an unknown one answers lotExists false)" },
	{ .name = "lotNumber", .type = FIELD_STRING, .description = "Lot number" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .description = "Location" },
	FIELDS_END
};

static const char *const movement_types[] = { "RECEIPT", "ISSUE", "TRANSFER", "ADJUSTMENT", NULL };

const struct field lot_control_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH,
	  .description = "Lot (an unknown one answers lotExists false)" },
	{ .name = "lotNumber", .type = FIELD_STRING, .max_length = 100, .description = "Lot number" },
	{ .name = "expiryDate", .type = FIELD_DATE, .description = "Expiry date of a new lot (receipts)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .description = "Location" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_MATCH,
	  .description = "Bin (an unknown one, or one of another location, is an error of the answer)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Quantity to move" },
	{ .name = "movementType", .type = FIELD_STRING, .values = movement_types,
	  .description = "RECEIPT, ISSUE, TRANSFER or ADJUSTMENT (default ISSUE)" },
	FIELDS_END
};

/* ---- lot control validation ---- */

/* MOVE_RECEIPT.. in the order of movement_types. */
enum movement { MOVE_NONE, MOVE_RECEIPT, MOVE_ISSUE, MOVE_TRANSFER, MOVE_ADJUSTMENT, MOVE__MAX };

_Static_assert(ARRAY_SIZE(movement_types) == MOVE__MAX, "one name per movement after MOVE_NONE");

struct lot_check {
	int64_t product_id, lot_id, location_id, bin_id, quantity;
	int has_quantity;
	const char *lot_number, *expiry_date;   /* NULL when not given */
	enum movement movement;                 /* MOVE_NONE: the GET, no movement */
};

/* More than the checks below can find at once. */
#define LOT_ERRORS_MAX 8

struct lot_state {
	int lot_controlled, expiry_tracked, provided, exists, expired, recalled, on_hold;
	int bin_misplaced;           /* unknown, or of another location */
	int64_t available;
	const char *lot_number;      /* of the existing lot */
	const struct db_result *lot; /* its row (lot_columns), when it exists */
	const char *errors[LOT_ERRORS_MAX];
	size_t nerrors;
};

/* The lot as the answer has it; the row read adds whether it is expired. */
static const struct field lot_columns[] = {
	{ .name = "id", .column = "lt.id", .type = FIELD_ID, .kind = ID_LOT },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE },
	{ .name = "status", .column = "lt.status", .type = FIELD_STRING },
	FIELDS_END
};

enum lot_col { LT_ID, LT_NUMBER, LT_EXPIRY, LT_STATUS, LT_EXPIRED };

/* Reads the product's lot named by id, else by number (no rows when
 * there is none). Returns 0 or -1 on a database error. */
static int lot_read(struct req *r, const struct lot_check *in, struct db_result *res)
{
	return db_query(r->db, r->pool,
			pool_printf(r->pool, "%s, " SQL_LOT_EXPIRED("lt") " IS TRUE FROM lots lt"
				    " WHERE lt.workspace_id = ? AND lt.product_id = ?"
				    " AND (lt.id = ? OR (? = 0 AND lt.lot_number = ?))",
				    api_select(lot_columns)),
			DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->product_id), ARG_INT(in->lot_id),
				ARG_INT(in->lot_id), ARG_TEXT(in->lot_number ? in->lot_number : "")), res);
}

/*
 * Available quantity of the lot (lot_id), or of the product when lot_id
 * is 0, at the location and bin when given (unusable lots have none). The
 * optional filters are "? = 0 OR ...": one statement, every value bound.
 * Returns 0 or -1 on a database error.
 */
static int lot_available(struct req *r, const struct lot_check *in, int64_t lot_id, int64_t *out)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0) FROM stock_lines sl" SQL_JOIN_LOT("sl")
		     " WHERE sl.workspace_id = ? AND sl.product_id = ?"
		     " AND (? = 0 OR sl.location_id = ?) AND (? = 0 OR sl.bin_id = ?)"
		     " AND (? = 0 OR sl.lot_id = ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->product_id),
			     ARG_INT(in->location_id), ARG_INT(in->location_id),
			     ARG_INT(in->bin_id), ARG_INT(in->bin_id), ARG_INT(lot_id), ARG_INT(lot_id)),
		     &res))
		return -1;
	*out = db_cell_int(&res, 0, 0);
	return 0;
}

static void lot_error(struct lot_state *st, const char *message)
{
	if (st->nerrors == LOT_ERRORS_MAX)
		bug("more than %d lot control errors", LOT_ERRORS_MAX);
	st->errors[st->nerrors++] = message;
}

/* The checks of an existing lot, or of a new one in a receipt. */
static void lot_checks(const struct lot_check *in, struct lot_state *st, const char *today)
{
	if (st->lot_controlled && !st->provided)
		lot_error(st, "lot is required for this product");
	if (st->provided && !st->exists) {
		if (in->movement != MOVE_RECEIPT || in->lot_id) {
			lot_error(st, "lot not found");
			return;
		}
		/* A receipt may bring a new lot number. */
		if (st->expiry_tracked && !in->expiry_date)
			lot_error(st, "expiryDate is required for a new lot");
		st->expired = in->expiry_date && strcmp(in->expiry_date, today) < 0;
		if (st->expired)
			lot_error(st, "lot is expired");
		return;
	}
	if (!st->exists)
		return;
	if (in->lot_id && in->lot_number && strcmp(in->lot_number, st->lot_number))
		lot_error(st, "lotNumber does not match lotId");
	if (st->expired)
		lot_error(st, "lot is expired");
	if (st->recalled)
		lot_error(st, "lot is recalled");
	/* Stock may be received into a held lot; it stays held. */
	if (st->on_hold && in->movement != MOVE_RECEIPT)
		lot_error(st, "lot is on hold");
}

/* The answer of both validations; the POST's adds the movement. */
#define LOT_STATE_HEAD \
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT }, \
	{ .name = "lotControlled", .type = FIELD_BOOLEAN }, \
	{ .name = "expiryTracked", .type = FIELD_BOOLEAN }, \
	{ .name = "lotRequired", .type = FIELD_BOOLEAN, .description = "The same as lotControlled" }, \
	{ .name = "lotProvided", .type = FIELD_BOOLEAN, .description = "A lot id or number was given" }, \
	{ .name = "lotExists", .type = FIELD_BOOLEAN }, \
	{ .name = "lot", .type = FIELD_OBJECT, .items = lot_columns, .flags = FIELD_NULLABLE, \
	  .description = "The lot, when it exists" }, \
	{ .name = "isExpired", .type = FIELD_BOOLEAN }, \
	{ .name = "isRecalled", .type = FIELD_BOOLEAN }, \
	{ .name = "isOnHold", .type = FIELD_BOOLEAN }, \
	{ .name = "availableQuantity", .type = FIELD_INTEGER, \
	  .description = "Of the lot (else the product), at the location and bin when given" },

#define LOT_STATE_TAIL \
	{ .name = "valid", .type = FIELD_BOOLEAN, .description = "No errors" }, \
	{ .name = "errors", .type = FIELD_ARRAY, \
	  .description = "Messages (strings), one per rule the movement would break" },

const struct field lot_control_answer[] = {
	LOT_STATE_HEAD
	LOT_STATE_TAIL
	FIELDS_END
};

const struct field lot_control_movement_answer[] = {
	LOT_STATE_HEAD
	{ .name = "movementType", .type = FIELD_STRING, .values = movement_types },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE,
	  .description = "As sent, or null" },
	LOT_STATE_TAIL
	FIELDS_END
};

static int lot_state_respond(struct req *r, const struct lot_check *in,
			     const struct lot_state *st)
{
	struct jw w;
	size_t i;

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "productMasterId", id_format(r->pool, ID_PRODUCT, in->product_id));
	jw_kbool(&w, "lotControlled", st->lot_controlled);
	jw_kbool(&w, "expiryTracked", st->expiry_tracked);
	jw_kbool(&w, "lotRequired", st->lot_controlled);
	jw_kbool(&w, "lotProvided", st->provided);
	jw_kbool(&w, "lotExists", st->exists);
	jw_key(&w, "lot");
	if (st->lot)
		api_write_row(&w, st->lot, 0, lot_columns);
	else
		jw_null(&w);
	jw_kbool(&w, "isExpired", st->expired);
	jw_kbool(&w, "isRecalled", st->recalled);
	jw_kbool(&w, "isOnHold", st->on_hold);
	jw_kint(&w, "availableQuantity", st->available);
	if (in->movement != MOVE_NONE) {
		jw_kstr(&w, "movementType", movement_types[in->movement - MOVE_RECEIPT]);
		jw_key(&w, "quantity");
		if (in->has_quantity)
			jw_int(&w, in->quantity);
		else
			jw_null(&w);
	}
	jw_kbool(&w, "valid", st->nerrors == 0);
	jw_key(&w, "errors");
	jw_open(&w, '[');
	for (i = 0; i < st->nerrors; i++)
		jw_str(&w, st->errors[i]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/*
 * Reads what the checks need (product, location, lot, bin, available), then
 * checks. Answers 200 {..., "valid", "errors"}, or 404 for an unknown
 * product or location.
 */
static int lot_control_run(struct req *r, const struct lot_check *in)
{
	struct lot_state st = { 0 };
	struct db_result prod, lot, bin;
	int found;

	if (db_query(r->db, r->pool,
		     "SELECT lot_controlled, expiry_tracked, " SQL_DATE("CURRENT_DATE")
		     " FROM products WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->product_id)), &prod))
		return req_internal_error(r, "lot control product");
	if (prod.nrows == 0)
		return api_not_found(r, ID_PRODUCT);
	if (in->location_id) {
		found = api_exists(r, ID_LOCATION, in->location_id);
		if (found <= 0)
			return found < 0 ? req_internal_error(r, "lot control location")
					 : api_not_found(r, ID_LOCATION);
	}
	st.lot_controlled = db_cell_int(&prod, 0, 0) != 0;
	st.expiry_tracked = db_cell_int(&prod, 0, 1) != 0;
	st.provided = in->lot_id || in->lot_number;
	if (st.provided) {
		if (lot_read(r, in, &lot))
			return req_internal_error(r, "lot control lot");
		st.exists = lot.nrows > 0;
	}
	if (in->bin_id) {
		if (db_query(r->db, r->pool, "SELECT location_id FROM bins WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->bin_id)), &bin))
			return req_internal_error(r, "lot control bin");
		st.bin_misplaced = bin.nrows == 0 ||
				   (in->location_id && db_cell_int(&bin, 0, 0) != in->location_id);
	}
	/* A lot that was named but does not exist holds nothing. */
	if ((!st.provided || st.exists) &&
	    lot_available(r, in, st.exists ? db_cell_int(&lot, 0, LT_ID) : 0, &st.available))
		return req_internal_error(r, "lot control available");

	if (st.exists) {
		st.lot = &lot;
		st.lot_number = db_cell(&lot, 0, LT_NUMBER);
		st.expired = db_cell_int(&lot, 0, LT_EXPIRED) != 0;
		st.recalled = !strcmp(db_cell(&lot, 0, LT_STATUS), "RECALLED");
		st.on_hold = !strcmp(db_cell(&lot, 0, LT_STATUS), "ON_HOLD");
	}
	lot_checks(in, &st, db_cell(&prod, 0, 2));
	if (st.bin_misplaced)
		lot_error(&st, in->location_id ? "bin not found at this location" : "bin not found");
	if ((in->movement == MOVE_ISSUE || in->movement == MOVE_TRANSFER ||
	     in->movement == MOVE_ADJUSTMENT) && in->has_quantity && st.available < in->quantity)
		lot_error(&st, pool_printf(r->pool, "insufficient available quantity (%lld)",
					   (long long)st.available));
	return lot_state_respond(r, in, &st);
}

int lot_control_validate_get(struct req *r)
{
	struct lot_check in = { 0 };
	const char *v;

	in.product_id = id_parse(ID_PRODUCT, req_query(r, "productMasterId"));
	if ((v = req_query(r, "lotId")) && *v)
		in.lot_id = id_parse(ID_LOT, v);
	if ((v = req_query(r, "lotNumber")) && *v)
		in.lot_number = v;
	if ((v = req_query(r, "locationId")) && *v)
		in.location_id = id_parse(ID_LOCATION, v);
	in.movement = MOVE_NONE;
	return lot_control_run(r, &in);
}

int lot_control_validate_post(struct req *r)
{
	struct lot_check in = { 0 };
	const char *movement = api_body_string(r, "movementType"), *v;
	json_object *q;
	size_t i;

	in.product_id = api_body_id(r, "productMasterId", ID_PRODUCT);
	in.lot_id = api_body_id(r, "lotId", ID_LOT);
	in.location_id = api_body_id(r, "locationId", ID_LOCATION);
	in.bin_id = api_body_id(r, "binId", ID_BIN);
	if ((v = api_body_string(r, "lotNumber")) && *v)
		in.lot_number = v;
	if ((v = api_body_string(r, "expiryDate")) && *v)
		in.expiry_date = v;
	if (json_object_object_get_ex(r->json, "quantity", &q) && q) {
		in.has_quantity = 1;
		in.quantity = json_object_get_int64(q);
	}
	in.movement = MOVE_ISSUE;
	for (i = 0; movement && movement_types[i]; i++)
		if (!strcmp(movement, movement_types[i]))
			in.movement = (enum movement)(MOVE_RECEIPT + i);
	return lot_control_run(r, &in);
}
