/* SPDX-License-Identifier: MIT */
/*
 * Recording stock: the rules that POST /api/inventory/record-stock and
 * `inventoryctl import stock` share. A product's stock at a location, in a
 * lot and a bin, is set to a counted quantity or increased by a received
 * one, through the ledger, inside the caller's transaction.
 *
 * The rules: product and location belong to the workspace; a bin must be
 * one of the location's, and a receipt without one goes to the location's
 * receiving bin when it has one; a lot-controlled product needs a lot; a
 * lot id must be one of the product's, and a lot number not known yet
 * creates the lot (when the mode allows it), which needs an expiry date
 * when the product is expiry-tracked. The stock line is found or created and locked
 * before any row that refers to it is written.
 *
 * No HTTP here: each caller turns a status into its own answer.
 */
#ifndef INV_LEDGER_RECORD_H
#define INV_LEDGER_RECORD_H

#include <stdint.h>

struct db;
struct pool;

enum stock_status {
	STOCK_OK = 0,
	STOCK_ERROR,                 /* database error: see db_errno; message says where */
	STOCK_NEGATIVE,              /* the ledger refused: available would go below zero */
	STOCK_NO_PRODUCT_OR_LOCATION,
	STOCK_BAD_QUANTITY,          /* a receipt of less than 1 */
	STOCK_NO_BIN,                /* no such bin at the location */
	STOCK_LOT_REQUIRED,          /* a lot-controlled product without a lot */
	STOCK_NO_REASON_CODE,        /* not an active reason code of the workspace */
	STOCK_NO_LOT,                /* lot id not the product's, or an unknown number not created */
	STOCK_LOT_MISMATCH,          /* lot id and lot number name different lots */
	STOCK_EXPIRY_REQUIRED,       /* a new lot of an expiry-tracked product without expiry */
};

/* How a record changes on hand, and what it leaves behind. */
enum stock_record_mode {
	STOCK_RECORD_COUNT,          /* on hand becomes quantity; dates the line's last count */
	STOCK_RECORD_RECEIVE,        /* quantity (at least 1) is added */
	STOCK_RECORD_IMPORT,         /* on hand becomes quantity; lots must exist; nothing
					posted when on hand is quantity already */
	STOCK_RECORD__MAX
};

struct stock_record_in {
	enum stock_record_mode mode;
	int64_t product_id, location_id;
	int64_t lot_id;              /* 0: lot_number names the lot, or none */
	const char *lot_number;      /* NULL: none */
	const char *expiry_date;     /* YYYY-MM-DD, for a lot created here; NULL: none */
	int64_t bin_id;              /* 0: bin_name names the bin, or none */
	const char *bin_name;        /* NULL: none */
	int64_t quantity;
	int64_t reason_code_id;      /* 0: none */
	const char *comment;
	const char *actor;
};

struct stock_lot {
	int64_t id;                  /* 0: no lot */
	const char *number;
	const char *status;          /* ACTIVE, ON_HOLD, RECALLED, EXPIRED */
	int created;
};

struct stock_record_out {
	int64_t line_id;
	int line_created;
	struct stock_lot lot;
	int64_t transaction_id;      /* 0: nothing was posted */
	const char *message;         /* STOCK_ERROR: what failed */
};

/* Returns 1 when id is an active reason code of the workspace, 0 when it
 * is not, -1 on a database error. */
int stock_reason_code_active(struct db *db, struct pool *pool, int64_t ws, int64_t id);

/*
 * The lot of product named by id, or by number when id is 0 (NULL: none).
 * A number not known yet creates the lot when create is set, with expiry
 * (required for an expiry-tracked product). Neither given: lot->id is 0.
 * Returns STOCK_OK, STOCK_NO_LOT, STOCK_LOT_MISMATCH, STOCK_EXPIRY_REQUIRED
 * or STOCK_ERROR.
 */
enum stock_status stock_lot_resolve(struct db *db, struct pool *pool, int64_t ws, int64_t product,
				    int64_t id, const char *number, const char *expiry, int create,
				    struct stock_lot *lot);

/*
 * Records in's stock in workspace ws and fills out. The checks run in the
 * order of the statuses above, after the product and location. Returns
 * STOCK_OK, or the first rule broken (nothing posted then).
 */
enum stock_status stock_record(struct db *db, struct pool *pool, int64_t ws,
			       const struct stock_record_in *in, struct stock_record_out *out);

#endif
