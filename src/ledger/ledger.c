/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "ledger/ledger.h"

enum ledger_status ledger_settings_read(struct db *db, struct pool *pool, int64_t workspace_id,
					struct ledger_settings *out)
{
	struct db_result res;

	if (db_query(db, pool,
		     "SELECT allow_negative_stock, is_healthcare, large_adjustment_threshold,"
		     " approval_quantity_threshold, approval_cost_threshold FROM workspaces WHERE id = ?",
		     DB_ARGS(ARG_INT(workspace_id)), &res) || res.nrows != 1)
		return LEDGER_ERROR;
	out->allow_negative = db_cell_int(&res, 0, 0) != 0;
	out->is_healthcare = db_cell_int(&res, 0, 1) != 0;
	out->large_adjustment_threshold = db_cell_int(&res, 0, 2);
	out->approval_quantity_threshold = db_cell_int(&res, 0, 3);
	out->approval_cost_threshold = db_cell_double(&res, 0, 4);
	return LEDGER_OK;
}

int64_t ledger_available(const int64_t qty[B__MAX])
{
	return qty[B_ON_HAND] - qty[B_RESERVED] - qty[B_ON_HOLD] - qty[B_PICKED] -
	       qty[B_RECALLED] - qty[B_EXPIRED];
}

enum ledger_status ledger_line_ensure(struct db *db, struct pool *pool, int64_t workspace_id,
				      int64_t product_id, int64_t location_id, int64_t lot_id,
				      int64_t bin_id, int64_t *line_id)
{
	struct db_result res;

	/* ON DUPLICATE KEY takes the existing row's lock directly: concurrent
	 * callers queue instead of deadlocking on a lock upgrade. */
	if (db_query(db, pool,
		     "INSERT INTO stock_lines (workspace_id, product_id, location_id, lot_id, bin_id)"
		     " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(product_id), ARG_INT(location_id),
			     ARG_ID(lot_id), ARG_ID(bin_id)), &res) || res.insert_id == 0)
		return LEDGER_ERROR;
	*line_id = (int64_t)res.insert_id;
	/* A new line (1 row affected, 0 for an existing one) is counted for
	 * the lists' totals (stock_line_counts), and so is its product when
	 * it is the product's first line at the location. The count's row is
	 * locked first: the line another transaction is adding for the same
	 * product there is then committed (or not there) when the product's
	 * lines are counted, so that each new product counts once. */
	if (res.affected == 1 &&
	    (db_query(db, pool,
		      "INSERT INTO stock_line_counts (workspace_id, location_id, line_count)"
		      " VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE line_count = line_count + 1",
		      DB_ARGS(ARG_INT(workspace_id), ARG_INT(location_id)), NULL) ||
	     db_query(db, pool,
		      "UPDATE stock_line_counts SET product_count = product_count + 1"
		      " WHERE workspace_id = ? AND location_id = ? AND (SELECT COUNT(*) FROM stock_lines"
		      " WHERE workspace_id = ? AND location_id = ? AND product_id = ?) = 1",
		      DB_ARGS(ARG_INT(workspace_id), ARG_INT(location_id), ARG_INT(workspace_id),
			      ARG_INT(location_id), ARG_INT(product_id)), NULL)))
		return LEDGER_ERROR;
	return LEDGER_OK;
}

enum ledger_status ledger_line_read(struct db *db, struct pool *pool, int64_t workspace_id,
				    int64_t line_id, int lock, struct ledger_line *out)
{
	struct db_result res;
	size_t i;

	if (db_query(db, pool, lock ?
		     "SELECT id, product_id, location_id, IFNULL(lot_id, 0), IFNULL(bin_id, 0),"
		     " qty_on_hand, qty_reserved, qty_on_hold, qty_picked, qty_recalled, qty_expired"
		     " FROM stock_lines WHERE workspace_id = ? AND id = ? FOR UPDATE" :
		     "SELECT id, product_id, location_id, IFNULL(lot_id, 0), IFNULL(bin_id, 0),"
		     " qty_on_hand, qty_reserved, qty_on_hold, qty_picked, qty_recalled, qty_expired"
		     " FROM stock_lines WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(line_id)), &res))
		return LEDGER_ERROR;
	if (res.nrows != 1)
		return LEDGER_NO_LINE;
	out->id = db_cell_int(&res, 0, 0);
	out->product_id = db_cell_int(&res, 0, 1);
	out->location_id = db_cell_int(&res, 0, 2);
	out->lot_id = db_cell_int(&res, 0, 3);
	out->bin_id = db_cell_int(&res, 0, 4);
	for (i = 0; i < B__MAX; i++)
		out->qty[i] = db_cell_int(&res, 0, 5 + i);
	return LEDGER_OK;
}

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

enum ledger_status ledger_lock_lines(struct db *db, struct pool *pool, int64_t workspace_id,
				     int64_t *ids, size_t n)
{
	struct ledger_line line;
	enum ledger_status st;
	size_t i;

	qsort(ids, n, sizeof(*ids), compare_ids);
	for (i = 0; i < n; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		st = ledger_line_read(db, pool, workspace_id, ids[i], 1, &line);
		if (st != LEDGER_OK)
			return st;
	}
	return LEDGER_OK;
}

enum ledger_status ledger_lock_move(struct db *db, struct pool *pool, int64_t workspace_id,
				    int64_t from, int64_t product_id, int64_t location_id,
				    int64_t lot_id, int64_t bin_id, int64_t *to)
{
	struct ledger_line line;
	struct db_result res;
	enum ledger_status st;
	int64_t ids[2];

	/* An existing line is found without a lock, then both are locked in
	 * id order: another move may go the other way between the two. */
	if (db_query(db, pool,
		     "SELECT id FROM stock_lines WHERE workspace_id = ? AND product_id = ?"
		     " AND location_id = ? AND lot_key = ? AND bin_key = ?",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(product_id), ARG_INT(location_id),
			     ARG_INT(lot_id), ARG_INT(bin_id)), &res))
		return LEDGER_ERROR;
	if (res.nrows) {
		ids[0] = from;
		ids[1] = *to = db_cell_int(&res, 0, 0);
		return ledger_lock_lines(db, pool, workspace_id, ids, 2);
	}
	/* Creating the line locks it (or the one a concurrent request has
	 * just made): take from first. */
	st = ledger_line_read(db, pool, workspace_id, from, 1, &line);
	if (st != LEDGER_OK)
		return st;
	return ledger_line_ensure(db, pool, workspace_id, product_id, location_id, lot_id, bin_id, to);
}

enum ledger_status ledger_post(struct db *db, struct pool *pool, const struct ledger_entry *e,
			       struct ledger_result *out)
{
	struct ledger_line line;
	int64_t after[B__MAX];
	struct db_result res;
	enum ledger_status st;
	int i;

	if (e->locked && e->locked->id == e->line_id) {
		line = *e->locked;
	} else {
		st = ledger_line_read(db, pool, e->workspace_id, e->line_id, 1, &line);
		if (st != LEDGER_OK)
			return st;
	}
	for (i = 0; i < B__MAX; i++)
		after[i] = line.qty[i] + e->delta[i];
	for (i = B_RESERVED; i < B__MAX; i++)
		if (after[i] < 0)
			return LEDGER_NEGATIVE;
	/* Only a change that lowers available is refused for leaving it (or
	 * on hand) below zero: stock already short may be received or counted
	 * up. A workspace that allows negative stock lets on-hand decreases
	 * through, never reservations or holds beyond what is available.
	 * Forced moves (recall, expiry) only shift stock between buckets. */
	if (!e->force && ledger_available(e->delta) < 0 &&
	    (after[B_ON_HAND] < 0 || ledger_available(after) < 0) &&
	    !(e->allow_negative && e->delta[B_ON_HAND] < 0))
		return LEDGER_NEGATIVE;
	if (after[B_ON_HAND] < 0 && !e->allow_negative)
		return LEDGER_NEGATIVE;
	if (db_query(db, pool,
		     "INSERT INTO stock_transactions (workspace_id, stock_line_id, product_id, location_id,"
		     " transaction_type, delta_on_hand, delta_reserved, delta_on_hold, delta_picked,"
		     " delta_recalled, delta_expired, qty_before, qty_after, reason_code_id, comment,"
		     " root_cause, actor, reference_type, reference_id)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		     " RETURNING id, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'),"
		     " DATE_FORMAT(created_at, '%Y-%m-%d'),"
		     " TIMESTAMPDIFF(MICROSECOND, DATE(created_at), created_at)",
		     DB_ARGS(ARG_INT(e->workspace_id), ARG_INT(line.id), ARG_INT(line.product_id),
			     ARG_INT(line.location_id), ARG_TEXT(e->type),
			     ARG_INT(e->delta[B_ON_HAND]), ARG_INT(e->delta[B_RESERVED]),
			     ARG_INT(e->delta[B_ON_HOLD]), ARG_INT(e->delta[B_PICKED]),
			     ARG_INT(e->delta[B_RECALLED]), ARG_INT(e->delta[B_EXPIRED]),
			     ARG_INT(line.qty[B_ON_HAND]), ARG_INT(after[B_ON_HAND]),
			     ARG_ID(e->reason_code_id), ARG_TEXT(e->comment), ARG_TEXT(e->root_cause),
			     ARG_TEXT(e->actor ? e->actor : "system"), ARG_TEXT(e->reference_type),
			     ARG_TEXT(e->reference_id)), &res) || res.nrows != 1)
		return LEDGER_ERROR;
	if (db_query(db, pool,
		     "UPDATE stock_lines SET qty_on_hand = ?, qty_reserved = ?, qty_on_hold = ?,"
		     " qty_picked = ?, qty_recalled = ?, qty_expired = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(after[B_ON_HAND]), ARG_INT(after[B_RESERVED]),
			     ARG_INT(after[B_ON_HOLD]), ARG_INT(after[B_PICKED]),
			     ARG_INT(after[B_RECALLED]), ARG_INT(after[B_EXPIRED]),
			     ARG_INT(e->workspace_id), ARG_INT(line.id)), NULL))
		return LEDGER_ERROR;
	if (ledger_rollup_add(db, pool, e->workspace_id, line.product_id, e->type, db_cell(&res, 0, 2),
			      db_cell_int(&res, 0, 3), e->delta[B_ON_HAND]))
		return LEDGER_ERROR;
	if (out) {
		out->transaction_id = db_cell_int(&res, 0, 0);
		out->created_at = db_cell(&res, 0, 1);
		for (i = 0; i < B__MAX; i++) {
			out->before[i] = line.qty[i];
			out->after[i] = after[i];
		}
	}
	return LEDGER_OK;
}

/* The scope's condition on stock_lines sl; its arguments follow. */
#define SCOPE_WHERE \
	" WHERE sl.workspace_id = ? AND sl.product_id = ? AND sl.location_id = ?" \
	" AND (? OR sl.lot_key = ?) AND (? OR sl.bin_key = ?)"
#define SCOPE_ARGS(ws, s) \
	ARG_INT(ws), ARG_INT((s)->product_id), ARG_INT((s)->location_id), \
	ARG_INT(!(s)->exact && !(s)->lot_id), ARG_INT((s)->lot_id), \
	ARG_INT(!(s)->exact && !(s)->bin_id), ARG_INT((s)->bin_id)

struct fefo_line {
	struct ledger_line line;
	const char *expiry;          /* YYYY-MM-DD, or NULL: none */
};

static int compare_fefo(const void *a, const void *b)
{
	const struct fefo_line *x = a, *y = b;
	int c;

	if (!x->expiry != !y->expiry)
		return x->expiry ? -1 : 1;
	if (x->expiry && (c = strcmp(x->expiry, y->expiry)))
		return c;
	return (x->line.id > y->line.id) - (x->line.id < y->line.id);
}

enum ledger_status ledger_scope_lock(struct db *db, struct pool *pool, int64_t workspace_id,
				     const struct ledger_scope *scope, struct ledger_scope_lines *out)
{
	struct db_result ids, rows, expiry;
	struct fefo_line *fl;
	enum ledger_status st;
	int64_t *id_list;
	size_t i, j, b;

	/* Lock in id order first, so that this never deadlocks with a change
	 * that locks several lines; the locking read after it also takes the
	 * lines made since. */
	if (db_query(db, pool, "SELECT sl.id FROM stock_lines sl" SCOPE_WHERE,
		     DB_ARGS(SCOPE_ARGS(workspace_id, scope)), &ids))
		return LEDGER_ERROR;
	id_list = pool_calloc(pool, ids.nrows + 1, sizeof(*id_list));
	for (i = 0; i < ids.nrows; i++)
		id_list[i] = db_cell_int(&ids, i, 0);
	if ((st = ledger_lock_lines(db, pool, workspace_id, id_list, ids.nrows)) != LEDGER_OK)
		return st;
	if (db_query(db, pool,
		     "SELECT sl.id, sl.product_id, sl.location_id, IFNULL(sl.lot_id, 0),"
		     " IFNULL(sl.bin_id, 0), sl.qty_on_hand, sl.qty_reserved, sl.qty_on_hold,"
		     " sl.qty_picked, sl.qty_recalled, sl.qty_expired FROM stock_lines sl" SCOPE_WHERE
		     " ORDER BY sl.id FOR UPDATE",
		     DB_ARGS(SCOPE_ARGS(workspace_id, scope)), &rows) ||
	    db_query(db, pool,
		     "SELECT sl.id, DATE_FORMAT(l.expiry_date, '%Y-%m-%d') FROM stock_lines sl"
		     " JOIN lots l ON l.workspace_id = sl.workspace_id AND l.id = sl.lot_id" SCOPE_WHERE
		     " AND l.expiry_date IS NOT NULL",
		     DB_ARGS(SCOPE_ARGS(workspace_id, scope)), &expiry))
		return LEDGER_ERROR;
	fl = pool_calloc(pool, rows.nrows + 1, sizeof(*fl));
	for (i = 0; i < rows.nrows; i++) {
		struct ledger_line *l = &fl[i].line;

		l->id = db_cell_int(&rows, i, 0);
		l->product_id = db_cell_int(&rows, i, 1);
		l->location_id = db_cell_int(&rows, i, 2);
		l->lot_id = db_cell_int(&rows, i, 3);
		l->bin_id = db_cell_int(&rows, i, 4);
		for (b = 0; b < B__MAX; b++)
			l->qty[b] = db_cell_int(&rows, i, 5 + b);
		for (j = 0; j < expiry.nrows; j++)
			if (db_cell_int(&expiry, j, 0) == l->id)
				fl[i].expiry = db_cell(&expiry, j, 1);
	}
	qsort(fl, rows.nrows, sizeof(*fl), compare_fefo);
	/* Room for the line an increase may create. */
	out->lines = pool_calloc(pool, rows.nrows + 1, sizeof(*out->lines));
	out->n = rows.nrows;
	out->on_hand = 0;
	for (i = 0; i < rows.nrows; i++) {
		out->lines[i] = fl[i].line;
		out->on_hand += fl[i].line.qty[B_ON_HAND];
	}
	return LEDGER_OK;
}

enum ledger_status ledger_scope_plan(const struct ledger_scope *scope,
				     const struct ledger_scope_lines *lines, int64_t delta,
				     struct ledger_part *parts, size_t *n)
{
	int64_t want_lot = scope->lot_id, want_bin = scope->bin_id, left, take, avail;
	size_t i;

	*n = 0;
	if (delta == 0)
		return LEDGER_OK;
	if (delta < 0) {
		if (!lines->n)
			return LEDGER_NO_LINE;
		left = -delta;
		for (i = 0; i < lines->n && left > 0; i++) {
			avail = ledger_available(lines->lines[i].qty);
			take = avail < left ? avail : left;
			if (take <= 0)
				continue;
			parts[(*n)++] = (struct ledger_part){ i, -take };
			left -= take;
		}
		if (left > 0) {
			i = lines->n - 1;
			if (*n && parts[*n - 1].line == i)
				parts[*n - 1].delta -= left;
			else
				parts[(*n)++] = (struct ledger_part){ i, -left };
		}
		return LEDGER_OK;
	}
	if (lines->n == 1) {
		parts[(*n)++] = (struct ledger_part){ 0, delta };
		return LEDGER_OK;
	}
	/* The line named, or the default line: the given lot and bin, none
	 * for those not given. A new one only where there is no line. */
	for (i = 0; i < lines->n; i++)
		if (lines->lines[i].lot_id == want_lot && lines->lines[i].bin_id == want_bin)
			break;
	if (i == lines->n && lines->n)
		return LEDGER_AMBIGUOUS;
	parts[(*n)++] = (struct ledger_part){ i, delta };
	return LEDGER_OK;
}

enum ledger_status ledger_post_scope(struct db *db, struct pool *pool,
				     const struct ledger_entry *tmpl, const struct ledger_scope *scope,
				     const struct ledger_scope_lines *lines, int64_t delta,
				     struct ledger_scope_result *out)
{
	struct ledger_part *parts = pool_calloc(pool, lines->n + 1, sizeof(*parts));
	struct ledger_entry e = *tmpl;
	struct ledger_result posted;
	struct ledger_line line;
	enum ledger_status st;
	size_t n, i, b;

	out->transaction_id = out->line_id = out->failed_line_id = 0;
	out->before = out->after = lines->on_hand;
	if ((st = ledger_scope_plan(scope, lines, delta, parts, &n)) != LEDGER_OK)
		return st;
	for (i = 0; i < n; i++) {
		if (parts[i].line < lines->n) {
			line = lines->lines[parts[i].line];
		} else {
			/* ON DUPLICATE KEY locks a line made meanwhile as well. */
			if (ledger_line_ensure(db, pool, e.workspace_id, scope->product_id,
					       scope->location_id, scope->lot_id, scope->bin_id, &line.id) ||
			    (st = ledger_line_read(db, pool, e.workspace_id, line.id, 1, &line)) != LEDGER_OK)
				return st == LEDGER_OK ? LEDGER_ERROR : st;
		}
		e.line_id = line.id;
		e.locked = &line;
		for (b = 0; b < B__MAX; b++)
			e.delta[b] = 0;
		e.delta[B_ON_HAND] = parts[i].delta;
		if ((st = ledger_post(db, pool, &e, &posted)) != LEDGER_OK) {
			out->failed_line_id = line.id;
			return st;
		}
		if (!out->transaction_id)
			out->transaction_id = posted.transaction_id;
		out->after += parts[i].delta;
	}
	out->line_id = n == 1 ? e.line_id : 0;
	return LEDGER_OK;
}

long ledger_verify(struct db *db, struct pool *pool, int64_t workspace_id,
		   ledger_report_fn report, void *ctx)
{
	static const char *const names[B__MAX] = {
		"on hand", "reserved", "on hold", "picked", "recalled", "expired"
	};
	struct db_result lines, chain;
	long mismatches = 0, rollup;
	size_t i, b;

	/* Each line's buckets against the sums of its transactions' deltas. */
	if (db_query(db, pool,
		     "SELECT sl.workspace_id, sl.id,"
		     " sl.qty_on_hand, sl.qty_reserved, sl.qty_on_hold, sl.qty_picked,"
		     " sl.qty_recalled, sl.qty_expired,"
		     " IFNULL(SUM(t.delta_on_hand), 0), IFNULL(SUM(t.delta_reserved), 0),"
		     " IFNULL(SUM(t.delta_on_hold), 0), IFNULL(SUM(t.delta_picked), 0),"
		     " IFNULL(SUM(t.delta_recalled), 0), IFNULL(SUM(t.delta_expired), 0)"
		     " FROM stock_lines sl LEFT JOIN stock_transactions t"
		     " ON t.workspace_id = sl.workspace_id AND t.stock_line_id = sl.id"
		     " WHERE (? = 0 OR sl.workspace_id = ?)"
		     " GROUP BY sl.workspace_id, sl.id"
		     " HAVING sl.qty_on_hand <> IFNULL(SUM(t.delta_on_hand), 0)"
		     " OR sl.qty_reserved <> IFNULL(SUM(t.delta_reserved), 0)"
		     " OR sl.qty_on_hold <> IFNULL(SUM(t.delta_on_hold), 0)"
		     " OR sl.qty_picked <> IFNULL(SUM(t.delta_picked), 0)"
		     " OR sl.qty_recalled <> IFNULL(SUM(t.delta_recalled), 0)"
		     " OR sl.qty_expired <> IFNULL(SUM(t.delta_expired), 0)",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(workspace_id)), &lines))
		return -1;
	for (i = 0; i < lines.nrows; i++) {
		for (b = 0; b < B__MAX; b++) {
			int64_t have = db_cell_int(&lines, i, 2 + b), sum = db_cell_int(&lines, i, 8 + b);

			if (have != sum) {
				report(ctx, pool_printf(pool, "ws_%s item_%s: %s is %lld, transactions sum to %lld",
							db_cell(&lines, i, 0), db_cell(&lines, i, 1), names[b],
							(long long)have, (long long)sum));
				mismatches++;
			}
		}
	}
	/* Every transaction's before and after must differ by its delta. */
	if (db_query(db, pool,
		     "SELECT workspace_id, id FROM stock_transactions"
		     " WHERE (? = 0 OR workspace_id = ?) AND qty_after - qty_before <> delta_on_hand",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(workspace_id)), &chain))
		return -1;
	for (i = 0; i < chain.nrows; i++) {
		report(ctx, pool_printf(pool, "ws_%s txn_%s: quantity after minus before is not its delta",
					db_cell(&chain, i, 0), db_cell(&chain, i, 1)));
		mismatches++;
	}
	/* The lists' line and product counters against the lines. */
	if (db_query(db, pool,
		     "SELECT x.workspace_id, x.location_id, IFNULL(c.line_count, 0), x.n,"
		     " IFNULL(c.product_count, 0), x.products FROM"
		     " (SELECT workspace_id, location_id, COUNT(*) AS n,"
		     "  COUNT(DISTINCT product_id) AS products FROM stock_lines"
		     "  WHERE (? = 0 OR workspace_id = ?) GROUP BY workspace_id, location_id) x"
		     " LEFT JOIN stock_line_counts c"
		     " ON c.workspace_id = x.workspace_id AND c.location_id = x.location_id"
		     " WHERE IFNULL(c.line_count, 0) <> x.n OR IFNULL(c.product_count, 0) <> x.products",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(workspace_id)), &chain))
		return -1;
	for (i = 0; i < chain.nrows; i++) {
		report(ctx, pool_printf(pool, "ws_%s loc_%s: %s stock lines counted, %s exist;"
					" %s products counted, %s have lines",
					db_cell(&chain, i, 0), db_cell(&chain, i, 1),
					db_cell(&chain, i, 2), db_cell(&chain, i, 3),
					db_cell(&chain, i, 4), db_cell(&chain, i, 5)));
		mismatches++;
	}
	rollup = ledger_rollup_verify(db, pool, workspace_id, report, ctx);
	return rollup < 0 ? -1 : mismatches + rollup;
}
