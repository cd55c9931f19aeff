#include "config.h"

#include "core/pool.h"
#include "db/db.h"
#include "ledger/ledger.h"

enum ledger_status ledger_line_ensure(struct db *db, struct pool *pool, int64_t workspace_id,
				      int64_t product_id, int64_t location_id, int64_t lot_id,
				      int64_t bin_id, int64_t *line_id)
{
	struct db_result res;

	if (db_query(db, pool,
		     "INSERT IGNORE INTO stock_lines (workspace_id, product_id, location_id, lot_id, bin_id)"
		     " VALUES (?, ?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(product_id), ARG_INT(location_id),
			     ARG_ID(lot_id), ARG_ID(bin_id)), NULL) ||
	    db_query(db, pool,
		     "SELECT id FROM stock_lines WHERE workspace_id = ? AND product_id = ?"
		     " AND location_id = ? AND lot_key = ? AND bin_key = ?",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(product_id), ARG_INT(location_id),
			     ARG_INT(lot_id), ARG_INT(bin_id)), &res) ||
	    res.nrows != 1)
		return LEDGER_ERROR;
	*line_id = db_cell_int(&res, 0, 0);
	return LEDGER_OK;
}

enum ledger_status ledger_lock_line(struct db *db, struct pool *pool, int64_t workspace_id,
				    int64_t line_id, int64_t qty[6])
{
	struct db_result res;
	size_t i;

	if (db_query(db, pool,
		     "SELECT qty_on_hand, qty_reserved, qty_on_hold, qty_picked, qty_recalled, qty_expired"
		     " FROM stock_lines WHERE workspace_id = ? AND id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(line_id)), &res))
		return LEDGER_ERROR;
	if (res.nrows != 1)
		return LEDGER_NO_LINE;
	for (i = 0; i < 6; i++)
		qty[i] = db_cell_int(&res, 0, i);
	return LEDGER_OK;
}

enum ledger_status ledger_post(struct db *db, struct pool *pool, const struct ledger_entry *e,
			       struct ledger_result *out)
{
	const struct ledger_delta *d = &e->delta;
	int64_t q[6], after[6], available;
	struct db_result res;
	enum ledger_status st;
	int i;

	st = ledger_lock_line(db, pool, e->workspace_id, e->line_id, q);
	if (st != LEDGER_OK)
		return st;
	after[0] = q[0] + d->on_hand;
	after[1] = q[1] + d->reserved;
	after[2] = q[2] + d->on_hold;
	after[3] = q[3] + d->picked;
	after[4] = q[4] + d->recalled;
	after[5] = q[5] + d->expired;
	available = after[0] - after[1] - after[2] - after[3] - after[4] - after[5];
	for (i = 1; i < 6; i++)
		if (after[i] < 0)
			return LEDGER_NEGATIVE;
	/* Only a change that lowers available is refused for going negative:
	 * stock already short may still be received or counted up. */
	if (!e->allow_negative && (after[0] < 0 || available < 0) &&
	    (d->on_hand - d->reserved - d->on_hold - d->picked - d->recalled - d->expired) < 0)
		return LEDGER_NEGATIVE;
	if (db_query(db, pool,
		     "INSERT INTO stock_transactions (workspace_id, stock_line_id, product_id, location_id,"
		     " transaction_type, delta_on_hand, delta_reserved, delta_on_hold, delta_picked,"
		     " delta_recalled, delta_expired, qty_before, qty_after, reason_code_id, comment,"
		     " root_cause, actor, reference_type, reference_id)"
		     " SELECT workspace_id, id, product_id, location_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
		     " FROM stock_lines WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(e->type), ARG_INT(d->on_hand), ARG_INT(d->reserved),
			     ARG_INT(d->on_hold), ARG_INT(d->picked), ARG_INT(d->recalled),
			     ARG_INT(d->expired), ARG_INT(q[0]), ARG_INT(after[0]),
			     ARG_ID(e->reason_code_id), ARG_TEXT(e->comment), ARG_TEXT(e->root_cause),
			     ARG_TEXT(e->actor), ARG_TEXT(e->reference_type), ARG_TEXT(e->reference_id),
			     ARG_INT(e->workspace_id), ARG_INT(e->line_id)), &res) ||
	    res.affected != 1)
		return LEDGER_ERROR;
	if (out) {
		out->transaction_id = (int64_t)res.insert_id;
		out->qty_before = q[0];
		out->qty_after = after[0];
	}
	if (db_query(db, pool,
		     "UPDATE stock_lines SET qty_on_hand = ?, qty_reserved = ?, qty_on_hold = ?,"
		     " qty_picked = ?, qty_recalled = ?, qty_expired = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(after[0]), ARG_INT(after[1]), ARG_INT(after[2]), ARG_INT(after[3]),
			     ARG_INT(after[4]), ARG_INT(after[5]), ARG_INT(e->workspace_id),
			     ARG_INT(e->line_id)), NULL))
		return LEDGER_ERROR;
	return LEDGER_OK;
}
