/*
 * The stock ledger: the only code that changes stock quantities. Every
 * change locks its stock line, checks the rules, writes one immutable
 * stock transaction and updates the line, inside the caller's database
 * transaction.
 */
#ifndef INV_LEDGER_H
#define INV_LEDGER_H

#include <stdint.h>

struct db;
struct pool;

struct ledger_delta {
	int64_t on_hand, reserved, on_hold, picked, recalled, expired;
};

struct ledger_entry {
	int64_t workspace_id;
	int64_t line_id;
	const char *type;            /* ADJUSTMENT, RECEIPT, IMPORT, ... */
	struct ledger_delta delta;
	int64_t reason_code_id;      /* 0: none */
	const char *comment;
	const char *root_cause;
	const char *actor;
	const char *reference_type;
	const char *reference_id;
	int allow_negative;          /* the workspace allows negative stock */
};

struct ledger_result {
	int64_t transaction_id;
	int64_t qty_before;          /* on hand */
	int64_t qty_after;
};

enum ledger_status {
	LEDGER_OK = 0,
	LEDGER_ERROR = -1,           /* database error: see db_errno */
	LEDGER_NEGATIVE = -2,        /* a bucket or available would go below zero */
	LEDGER_NO_LINE = -3,         /* no such stock line in the workspace */
};

/*
 * Finds or creates the stock line of product, location, lot and bin (0 for
 * none) and stores its id. Returns LEDGER_OK or LEDGER_ERROR.
 */
enum ledger_status ledger_line_ensure(struct db *db, struct pool *pool, int64_t workspace_id,
				      int64_t product_id, int64_t location_id, int64_t lot_id,
				      int64_t bin_id, int64_t *line_id);

/* Posts one entry. The caller has begun the transaction and commits it. */
enum ledger_status ledger_post(struct db *db, struct pool *pool, const struct ledger_entry *e,
			       struct ledger_result *out);

/* Reads the on-hand quantity of a line, locking it. */
enum ledger_status ledger_lock_line(struct db *db, struct pool *pool, int64_t workspace_id,
				    int64_t line_id, int64_t qty[6]);

#endif
