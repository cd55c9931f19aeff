/*
 * The stock ledger: the only code that changes stock quantities.
 *
 * A stock line has six buckets: on hand, reserved, on hold, picked,
 * recalled and expired. The last five are parts of on hand, and
 *
 *     available = on hand - reserved - on hold - picked - recalled - expired
 *
 * is what the buckets leave free (SQL_BUCKETS_FREE in api/api.h). What a line
 * can promise (SQL_AVAILABLE, api_available) is that, or nothing when its
 * lot is expired, recalled or on hold; the handlers refuse reservations
 * and holds of such lots before posting.
 *
 * Every change runs inside the caller's database transaction (the
 * dispatcher opens one per writing request and retries it whole on a
 * deadlock): it locks the stock line (SELECT ... FOR UPDATE; several lines
 * always in ascending id order, so two requests cannot deadlock each
 * other), checks the rules, writes one immutable stock transaction with the
 * change of every bucket and the on-hand quantity before and after, and
 * updates the line.
 */
#ifndef INV_LEDGER_H
#define INV_LEDGER_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct pool;

enum ledger_bucket { B_ON_HAND, B_RESERVED, B_ON_HOLD, B_PICKED, B_RECALLED, B_EXPIRED, B__MAX };

struct ledger_line {
	int64_t id, product_id, location_id, lot_id, bin_id;   /* lot, bin: 0 for none */
	int64_t qty[B__MAX];
};

struct ledger_entry {
	int64_t workspace_id;
	int64_t line_id;
	const char *type;            /* ADJUSTMENT, RECORD_STOCK, HOLD, ... */
	int64_t delta[B__MAX];
	int64_t reason_code_id;      /* 0: none */
	const char *comment;
	const char *root_cause;
	const char *actor;
	const char *reference_type;  /* the document that caused it */
	const char *reference_id;
	int allow_negative;          /* the workspace allows negative stock */
	int force;                   /* recalls and expiry: may leave available below 0 */
	/* The line as the caller read it with a lock in this transaction, or
	 * NULL: ledger_post then reads and locks it itself. */
	const struct ledger_line *locked;
};

struct ledger_result {
	int64_t transaction_id;
	const char *created_at;      /* ISO 8601, from the database clock */
	int64_t before[B__MAX];
	int64_t after[B__MAX];
};

enum ledger_status {
	LEDGER_OK = 0,
	LEDGER_ERROR = -1,           /* database error: see db_errno */
	LEDGER_NEGATIVE = -2,        /* a bucket or available would go below zero */
	LEDGER_NO_LINE = -3,         /* no such stock line in the workspace */
};

/* The workspace's rules for the ledger. */
struct ledger_settings {
	int allow_negative;
	int is_healthcare;
	int64_t large_adjustment_threshold;
	int64_t approval_quantity_threshold;
	double approval_cost_threshold;
};

enum ledger_status ledger_settings_read(struct db *db, struct pool *pool, int64_t workspace_id,
					struct ledger_settings *out);

/* available of a line's quantities. */
int64_t ledger_available(const int64_t qty[B__MAX]);

/*
 * Finds or creates the stock line of product, location, lot and bin (0 for
 * none) and stores its id. Returns LEDGER_OK or LEDGER_ERROR.
 */
enum ledger_status ledger_line_ensure(struct db *db, struct pool *pool, int64_t workspace_id,
				      int64_t product_id, int64_t location_id, int64_t lot_id,
				      int64_t bin_id, int64_t *line_id);

/* Reads a line, locking it (FOR UPDATE) when lock is set. */
enum ledger_status ledger_line_read(struct db *db, struct pool *pool, int64_t workspace_id,
				    int64_t line_id, int lock, struct ledger_line *out);

/*
 * Locks the lines ids[0..n) in ascending id order (ids is sorted in
 * place). Call it first when one change touches several lines.
 */
enum ledger_status ledger_lock_lines(struct db *db, struct pool *pool, int64_t workspace_id,
				     int64_t *ids, size_t n);

/* Posts one entry. The caller has begun the transaction and commits it. */
enum ledger_status ledger_post(struct db *db, struct pool *pool, const struct ledger_entry *e,
			       struct ledger_result *out);

/*
 * Recomputes every stock line (of one workspace, or all when 0) from its
 * transactions, and the per-location line counts from the lines, and
 * calls report for each mismatch. Returns the number of
 * mismatches, or -1 on a database error.
 */
typedef void (*ledger_report_fn)(void *ctx, const char *what);
long ledger_verify(struct db *db, struct pool *pool, int64_t workspace_id,
		   ledger_report_fn report, void *ctx);

#endif
