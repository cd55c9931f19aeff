/* SPDX-License-Identifier: MIT */
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
	LEDGER_AMBIGUOUS = -4,       /* an increase has no single line to go to */
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

/*
 * The two lines of a move: locks line from and the line of product,
 * location, lot and bin (0 for none), creating that one when there is
 * none, and stores its id in *to. Both are taken in ascending id order; a
 * line created here is newer than from, so from is locked before it is
 * made. Returns LEDGER_OK, LEDGER_NO_LINE (from) or LEDGER_ERROR.
 */
enum ledger_status ledger_lock_move(struct db *db, struct pool *pool, int64_t workspace_id,
				    int64_t from, int64_t product_id, int64_t location_id,
				    int64_t lot_id, int64_t bin_id, int64_t *to);

/* Posts one entry. The caller has begun the transaction and commits it. */
enum ledger_status ledger_post(struct db *db, struct pool *pool, const struct ledger_entry *e,
			       struct ledger_result *out);

/*
 * A product's stock at a location: what counts and adjustments by product
 * compare with and change. lot_id and bin_id narrow it when not 0; exact
 * makes them exact (0 then means "no lot", "no bin"), naming one line.
 */
struct ledger_scope {
	int64_t product_id, location_id, lot_id, bin_id;
	int exact;
};

/* The lines of a scope, locked, in the order decreases take from them. */
struct ledger_scope_lines {
	struct ledger_line *lines;
	size_t n;
	int64_t on_hand;             /* the sum over the lines */
};

/*
 * Locks the scope's lines (in ascending id order) and reads them into out,
 * ordered first expiry first out: lots with an expiry date by that date,
 * then lots without one and stock without a lot, each by line id.
 * Returns LEDGER_OK or LEDGER_ERROR.
 */
enum ledger_status ledger_scope_lock(struct db *db, struct pool *pool, int64_t workspace_id,
				     const struct ledger_scope *scope, struct ledger_scope_lines *out);

/* One line's share of a change; line == n of the lines: a new line. */
struct ledger_part {
	size_t line;
	int64_t delta;
};

/*
 * The rule that spreads a change of on hand over a scope's lines:
 *   a decrease takes from the lines in their order (first expiry first
 *   out), from each at most what is available there; what is left is taken
 *   from the last line, for the ledger to allow (negative stock) or refuse;
 *   an increase goes to the line named (an exact scope, or lot and bin both
 *   given; created when new), else to the scope's only line, else to a new
 *   line of what was given when there is none, else to the product's
 *   default line (the given lot and bin, "none" for those not given) when
 *   it exists; otherwise the rule cannot decide.
 * parts needs room for lines->n + 1. Returns LEDGER_OK with parts[0..*n)
 * (none when delta is 0), LEDGER_NO_LINE for a decrease without lines, or
 * LEDGER_AMBIGUOUS.
 */
enum ledger_status ledger_scope_plan(const struct ledger_scope *scope,
				     const struct ledger_scope_lines *lines, int64_t delta,
				     struct ledger_part *parts, size_t *n);

struct ledger_scope_result {
	int64_t transaction_id;      /* the first posted; 0 when nothing was */
	int64_t line_id;             /* the line changed when it was one, else 0 */
	int64_t failed_line_id;      /* LEDGER_NEGATIVE: the line refused */
	int64_t before, after;       /* on hand of the scope */
};

/*
 * Posts delta to the scope's locked lines by ledger_scope_plan, one entry
 * (a copy of tmpl with its line and on-hand delta) per line changed, and
 * creates the line an increase goes to when it is new.
 */
enum ledger_status ledger_post_scope(struct db *db, struct pool *pool,
				     const struct ledger_entry *tmpl, const struct ledger_scope *scope,
				     const struct ledger_scope_lines *lines, int64_t delta,
				     struct ledger_scope_result *out);

/*
 * Recomputes every stock line (of one workspace, or all when 0) from its
 * transactions, the per-location line counts from the lines and the
 * per-product sums (rollup.c) from the transactions, and calls report for
 * each mismatch. Returns the number of mismatches, or -1 on a database
 * error.
 */
typedef void (*ledger_report_fn)(void *ctx, const char *what);
long ledger_verify(struct db *db, struct pool *pool, int64_t workspace_id,
		   ledger_report_fn report, void *ctx);

/* rollup.c: the ledger summed per product (migration 0015). */

/* The entries that take stock out of use, as C strings and as SQL. */
#define LEDGER_USED_TYPES "SHIP", "ISSUE", "EXPIRED_CONSUMED"
#define LEDGER_USED_TYPES_SQL "('SHIP', 'ISSUE', 'EXPIRED_CONSUMED')"
int ledger_type_used(const char *type);
/*
 * Adds a posting's on-hand delta, of type, at micros microseconds after
 * the start of UTC day day, to the running totals of its product: written
 * just before the open transaction commits (at once without one).
 * Returns 0 or -1.
 */
int ledger_rollup_add(struct db *db, struct pool *pool, int64_t workspace_id, int64_t product_id,
		      const char *type, const char *day, int64_t micros, int64_t delta);
/* Recomputes a workspace's sums from its ledger (after the ledger was
 * changed by hand). Returns 0 or -1. */
int ledger_rollup_rebuild(struct db *db, struct pool *pool, int64_t workspace_id);
/* The per-product mismatches, as ledger_verify counts them. */
long ledger_rollup_verify(struct db *db, struct pool *pool, int64_t workspace_id,
			  ledger_report_fn report, void *ctx);

#endif
