/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "ledger/ledger.h"
#include "ledger/record.h"

struct record_mode {
	const char *type;            /* the transaction's */
	const char *reference_type;
	unsigned add:1, dated:1, create_lot:1, skip_unchanged:1;
	unsigned negative_setting:1; /* the workspace's allow_negative_stock applies */
};

static const struct record_mode record_modes[STOCK_RECORD__MAX] = {
	[STOCK_RECORD_COUNT] = { "RECORD_STOCK", NULL, 0, 1, 1, 0, 1 },
	[STOCK_RECORD_RECEIVE] = { "RECEIPT", NULL, 1, 0, 1, 0, 1 },
	/* An import never sets on hand below what is reserved or held. */
	[STOCK_RECORD_IMPORT] = { "IMPORT", "IMPORT", 0, 0, 0, 1, 0 },
};

int stock_reason_code_active(struct db *db, struct pool *pool, int64_t ws, int64_t id)
{
	struct db_result res;

	if (db_query(db, pool,
		     "SELECT 1 FROM reason_codes WHERE workspace_id = ? AND id = ? AND active = 1",
		     DB_ARGS(ARG_INT(ws), ARG_INT(id)), &res))
		return -1;
	return res.nrows != 0;
}

/* Reads the lot of product with id, or with number when id is 0. */
static int lot_lookup(struct db *db, struct pool *pool, int64_t ws, int64_t product, int64_t id,
		      const char *number, struct db_result *res)
{
	if (id)
		return db_query(db, pool,
				"SELECT id, lot_number, status FROM lots"
				" WHERE workspace_id = ? AND id = ? AND product_id = ?",
				DB_ARGS(ARG_INT(ws), ARG_INT(id), ARG_INT(product)), res);
	return db_query(db, pool,
			"SELECT id, lot_number, status FROM lots"
			" WHERE workspace_id = ? AND product_id = ? AND lot_number = ?",
			DB_ARGS(ARG_INT(ws), ARG_INT(product), ARG_TEXT(number)), res);
}

enum stock_status stock_lot_resolve(struct db *db, struct pool *pool, int64_t ws, int64_t product,
				    int64_t id, const char *number, const char *expiry, int create,
				    struct stock_lot *lot)
{
	struct db_result res, ins;

	memset(lot, 0, sizeof(*lot));
	if (!id && !number)
		return STOCK_OK;
	if (lot_lookup(db, pool, ws, product, id, number, &res))
		return STOCK_ERROR;
	if (!res.nrows && (id || !create))
		return STOCK_NO_LOT;
	/* Lot numbers compare as the unique key does: without case. */
	if (id && number && strcasecmp(db_cell(&res, 0, 1), number))
		return STOCK_LOT_MISMATCH;
	if (!res.nrows) {
		if (db_query(db, pool,
			     "SELECT expiry_tracked FROM products WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(ws), ARG_INT(product)), &res) || res.nrows != 1)
			return STOCK_ERROR;
		if (db_cell_int(&res, 0, 0) && !expiry)
			return STOCK_EXPIRY_REQUIRED;
		if (!db_query(db, pool,
			      "INSERT INTO lots (workspace_id, product_id, lot_number, expiry_date)"
			      " VALUES (?, ?, ?, ?)",
			      DB_ARGS(ARG_INT(ws), ARG_INT(product), ARG_TEXT(number), ARG_TEXT(expiry)),
			      &ins)) {
			lot->id = (int64_t)ins.insert_id;
			lot->number = number;
			lot->status = "ACTIVE";
			lot->created = 1;
			return STOCK_OK;
		}
		/* Another transaction created it first: a duplicate key undoes
		 * only this statement, so use the lot it made. */
		if (db_errno(db) != DB_ER_DUP_ENTRY ||
		    lot_lookup(db, pool, ws, product, 0, number, &res) || res.nrows != 1)
			return STOCK_ERROR;
	}
	lot->id = db_cell_int(&res, 0, 0);
	lot->number = db_cell(&res, 0, 1);
	lot->status = db_cell(&res, 0, 2);
	return STOCK_OK;
}

/* The bin of the location named by id, or by name when id is 0; 0 when
 * there is none such, -1 on a database error. */
static int64_t bin_lookup(struct db *db, struct pool *pool, int64_t ws, int64_t location,
			  int64_t id, const char *name)
{
	struct db_result res;
	int err;

	if (id)
		err = db_query(db, pool,
			       "SELECT id FROM bins WHERE workspace_id = ? AND id = ? AND location_id = ?",
			       DB_ARGS(ARG_INT(ws), ARG_INT(id), ARG_INT(location)), &res);
	else
		err = db_query(db, pool,
			       "SELECT id FROM bins WHERE workspace_id = ? AND location_id = ? AND name = ?",
			       DB_ARGS(ARG_INT(ws), ARG_INT(location), ARG_TEXT(name)), &res);
	if (err)
		return -1;
	return res.nrows ? db_cell_int(&res, 0, 0) : 0;
}

/* The location's receiving bin (the first flagged), 0 when it has none,
 * -1 on a database error. */
static int64_t receiving_bin(struct db *db, struct pool *pool, int64_t ws, int64_t location)
{
	struct db_result res;

	if (db_query(db, pool,
		     "SELECT id FROM bins WHERE workspace_id = ? AND location_id = ? AND is_receiving = 1"
		     " ORDER BY id LIMIT 1", DB_ARGS(ARG_INT(ws), ARG_INT(location)), &res))
		return -1;
	return res.nrows ? db_cell_int(&res, 0, 0) : 0;
}

/* The stock line of product, location, lot and bin (0: none), or 0 when
 * there is none yet; -1 on a database error. */
static int64_t line_lookup(struct db *db, struct pool *pool, int64_t ws, int64_t product,
			   int64_t location, int64_t lot, int64_t bin)
{
	struct db_result res;

	if (db_query(db, pool,
		     "SELECT id FROM stock_lines WHERE workspace_id = ? AND product_id = ?"
		     " AND location_id = ? AND lot_key = ? AND bin_key = ?",
		     DB_ARGS(ARG_INT(ws), ARG_INT(product), ARG_INT(location), ARG_INT(lot),
			     ARG_INT(bin)), &res))
		return -1;
	return res.nrows ? db_cell_int(&res, 0, 0) : 0;
}

/* Sets out->message to what and returns STOCK_ERROR. */
static enum stock_status record_error(struct stock_record_out *out, const char *what)
{
	out->message = what;
	return STOCK_ERROR;
}

enum stock_status stock_record(struct db *db, struct pool *pool, int64_t ws,
			       const struct stock_record_in *in, struct stock_record_out *out)
{
	const struct record_mode *mode = &record_modes[in->mode];
	struct ledger_settings settings = { 0 };
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	struct ledger_line line;
	struct db_result res;
	enum ledger_status lst;
	enum stock_status st;
	int64_t bin = 0;
	int ok;

	memset(out, 0, sizeof(*out));
	if (db_query(db, pool,
		     "SELECT p.lot_controlled FROM products p WHERE p.workspace_id = ? AND p.id = ?"
		     " AND EXISTS (SELECT 1 FROM locations l WHERE l.workspace_id = ? AND l.id = ?)",
		     DB_ARGS(ARG_INT(ws), ARG_INT(in->product_id), ARG_INT(ws),
			     ARG_INT(in->location_id)), &res))
		return record_error(out, "product");
	if (!res.nrows)
		return STOCK_NO_PRODUCT_OR_LOCATION;
	if (mode->add && in->quantity < 1)
		return STOCK_BAD_QUANTITY;
	if (in->bin_id || in->bin_name) {
		bin = bin_lookup(db, pool, ws, in->location_id, in->bin_id, in->bin_name);
		if (bin < 0)
			return record_error(out, "bin");
		if (!bin)
			return STOCK_NO_BIN;
	} else if (in->mode == STOCK_RECORD_RECEIVE) {
		/* A receipt without a bin lands in the receiving bin, if any:
		 * there it waits to be put away. */
		bin = receiving_bin(db, pool, ws, in->location_id);
		if (bin < 0)
			return record_error(out, "bin");
	}
	if (db_cell_int(&res, 0, 0) && !in->lot_id && !in->lot_number)
		return STOCK_LOT_REQUIRED;
	if (in->reason_code_id) {
		ok = stock_reason_code_active(db, pool, ws, in->reason_code_id);
		if (ok < 0)
			return record_error(out, "reason code");
		if (!ok)
			return STOCK_NO_REASON_CODE;
	}
	st = stock_lot_resolve(db, pool, ws, in->product_id, in->lot_id, in->lot_number,
			       in->expiry_date, mode->create_lot, &out->lot);
	if (st != STOCK_OK)
		return st == STOCK_ERROR ? record_error(out, "lot") : st;

	/* Lock first: the line is created or locked before the transaction
	 * and the count date that refer to it are written. */
	out->line_id = line_lookup(db, pool, ws, in->product_id, in->location_id, out->lot.id, bin);
	out->line_created = out->line_id == 0;
	if (out->line_id < 0 ||
	    (out->line_created && ledger_line_ensure(db, pool, ws, in->product_id, in->location_id,
						     out->lot.id, bin, &out->line_id)) ||
	    (mode->negative_setting && ledger_settings_read(db, pool, ws, &settings)) ||
	    ledger_line_read(db, pool, ws, out->line_id, 1, &line))
		return record_error(out, "stock line");
	if (mode->skip_unchanged && line.qty[B_ON_HAND] == in->quantity)
		return STOCK_OK;
	e.workspace_id = ws;
	e.line_id = out->line_id;
	e.type = mode->type;
	e.delta[B_ON_HAND] = mode->add ? in->quantity : in->quantity - line.qty[B_ON_HAND];
	e.reason_code_id = in->reason_code_id;
	e.comment = in->comment;
	e.actor = in->actor;
	e.reference_type = mode->reference_type;
	e.allow_negative = settings.allow_negative;
	e.locked = &line;
	lst = ledger_post(db, pool, &e, &posted);
	if (lst == LEDGER_NEGATIVE)
		return STOCK_NEGATIVE;
	if (lst != LEDGER_OK)
		return record_error(out, "ledger");
	out->transaction_id = posted.transaction_id;
	/* A count dates the line; the date is not a quantity, so it is set
	 * here rather than by the ledger. */
	if (mode->dated &&
	    db_query(db, pool,
		     "UPDATE stock_lines SET last_counted_at = NOW(3) WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(ws), ARG_INT(out->line_id)), NULL))
		return record_error(out, "last counted");
	return STOCK_OK;
}
