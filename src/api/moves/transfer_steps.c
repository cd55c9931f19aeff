/* SPDX-License-Identifier: MIT */
/*
 * The steps of a transfer after its creation: ship, complete (within one
 * location), cancel, send back before anything arrived, receive and close.
 * Each posts through the ledger on the picked stock lines, locked in
 * ascending id order; the caller has locked the transfer and checked its
 * status.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/moves/moves.h"
#include "core/pool.h"
#include "core/util.h"
#include "ledger/ledger.h"
#include "ledger/record.h"

/* A pick as the actions read it, locked with its transfer. */
struct pick_row {
	int64_t id, line, stock_line, product, lot, to_bin, quantity, received, written_off;
};

#define PICK_ROW_SQL \
	"SELECT p.id, p.transfer_line_id, p.stock_line_id, l.product_id, IFNULL(sl.lot_id, 0)," \
	" IFNULL(l.to_bin_id, 0), p.quantity, p.quantity_received, p.quantity_written_off" \
	" FROM transfer_picks p JOIN transfer_lines l ON l.id = p.transfer_line_id" \
	" JOIN stock_lines sl ON sl.id = p.stock_line_id" \
	" WHERE p.workspace_id = ? AND p.transfer_id = ?"

/* Reads the picks of transfer, in order (by stock line: the lock order,
 * or by line and pick: the receiving order). */
static int read_picks(struct req *r, int64_t transfer, int by_stock_line, struct pick_row **out,
		      size_t *n)
{
	struct db_result res;
	struct pick_row *rows;
	size_t i;

	if (db_query(r->db, r->pool,
		     by_stock_line ? PICK_ROW_SQL " ORDER BY p.stock_line_id, p.id"
				   : PICK_ROW_SQL " ORDER BY p.transfer_line_id, p.id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), &res))
		return req_internal_error(r, "transfer picks");
	rows = pool_calloc(r->pool, res.nrows + 1, sizeof(*rows));
	for (i = 0; i < res.nrows; i++)
		rows[i] = (struct pick_row){
			db_cell_int(&res, i, 0), db_cell_int(&res, i, 1), db_cell_int(&res, i, 2),
			db_cell_int(&res, i, 3), db_cell_int(&res, i, 4), db_cell_int(&res, i, 5),
			db_cell_int(&res, i, 6), db_cell_int(&res, i, 7), db_cell_int(&res, i, 8),
		};
	*out = rows;
	*n = res.nrows;
	return 0;
}

/* Posts one change of a stock line for a transfer. */
static int post(struct req *r, int64_t line, const char *type, int64_t on_hand, int64_t reserved,
		const char *ref, int64_t reason, const char *comment)
{
	struct ledger_entry e = {
		.workspace_id = api_ws(r), .line_id = line, .type = type, .reason_code_id = reason,
		.comment = comment, .actor = api_actor(r), .reference_type = "TRANSFER",
		.reference_id = ref,
	};
	struct ledger_settings s;
	enum ledger_status st;

	/* A workspace that allows negative stock receives into, and writes
	 * off from, lines below zero. */
	if ((st = ledger_settings_read(r->db, r->pool, api_ws(r), &s)) != LEDGER_OK)
		return api_ledger_error(r, st);
	e.allow_negative = s.allow_negative;
	e.delta[B_ON_HAND] = on_hand;
	e.delta[B_RESERVED] = reserved;
	st = ledger_post(r->db, r->pool, &e, NULL);
	return st == LEDGER_OK ? 0 : api_ledger_error(r, st);
}

/* Locks the stock lines of picks[0..n) in ascending id order. */
static int lock_picked(struct req *r, const struct pick_row *picks, size_t n)
{
	int64_t *ids = pool_calloc(r->pool, n + 1, sizeof(*ids));
	enum ledger_status st;
	size_t i;

	for (i = 0; i < n; i++)
		ids[i] = picks[i].stock_line;
	st = ledger_lock_lines(r->db, r->pool, api_ws(r), ids, n);
	return st == LEDGER_OK ? 0 : api_ledger_error(r, st);
}

static int set_status(struct req *r, int64_t transfer, const char *status, int finished)
{
	if (db_query(r->db, r->pool,
		     finished ? "UPDATE transfers SET status = ?, completed_at = CURRENT_TIMESTAMP(3)"
				" WHERE workspace_id = ? AND id = ?"
			      : "UPDATE transfers SET status = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(status), ARG_INT(api_ws(r)), ARG_INT(transfer)), NULL))
		return api_db_error(r, "transfer status");
	return 0;
}

/* The counters of a transfer shipped whole, and of one moved whole; each
 * statement's placeholders are the workspace and the transfer. */
static const char *const shipped_whole[] = {
	"UPDATE transfer_lines SET quantity_shipped = quantity WHERE workspace_id = ? AND transfer_id = ?",
	"UPDATE transfers SET quantity_shipped = quantity, shipped_at = CURRENT_TIMESTAMP(3)"
	" WHERE workspace_id = ? AND id = ?",
	NULL
};
static const char *const moved_whole[] = {
	"UPDATE transfer_picks SET quantity_received = quantity WHERE workspace_id = ? AND transfer_id = ?",
	"UPDATE transfer_lines SET quantity_shipped = quantity, quantity_received = quantity"
	" WHERE workspace_id = ? AND transfer_id = ?",
	"UPDATE transfers SET quantity_shipped = quantity, quantity_received = quantity,"
	" shipped_at = CURRENT_TIMESTAMP(3) WHERE workspace_id = ? AND id = ?",
	NULL
};

static int update_transfer(struct req *r, int64_t transfer, const char *const *sql)
{
	for (; *sql; sql++)
		if (db_query(r->db, r->pool, *sql, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), NULL))
			return api_db_error(r, "transfer");
	return 0;
}

/* Moves every pick bin to bin within the source location: COMPLETE. */
int transfer_complete(struct req *r, int64_t transfer, const char *comment)
{
	const char *ref = id_format(r->pool, ID_TRANSFER, transfer);
	struct pick_row *picks;
	struct db_result loc;
	size_t i, n;
	int status;

	if ((status = read_picks(r, transfer, 1, &picks, &n)))
		return status;
	if (db_query(r->db, r->pool,
		     "SELECT to_location_id FROM transfers WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), &loc) || loc.nrows != 1)
		return req_internal_error(r, "transfer");
	for (i = 0; i < n; i++) {
		const struct pick_row *p = &picks[i];
		enum ledger_status st;
		int64_t to = 0;

		st = ledger_lock_move(r->db, r->pool, api_ws(r), p->stock_line, p->product,
				      db_cell_int(&loc, 0, 0), p->lot, p->to_bin, &to);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		if ((status = post(r, p->stock_line, "TRANSFER_OUT", -p->quantity, -p->quantity, ref, 0,
				   comment)) ||
		    (status = post(r, to, "TRANSFER_IN", p->quantity, 0, ref, 0, comment)))
			return status;
	}
	if ((status = update_transfer(r, transfer, moved_whole)))
		return status;
	return set_status(r, transfer, "COMPLETED", 1);
}

/* The counters of a transfer sent back before anything arrived. */
static const char *const unshipped[] = {
	"UPDATE transfer_lines SET quantity_shipped = 0 WHERE workspace_id = ? AND transfer_id = ?",
	"UPDATE transfers SET quantity_shipped = 0, shipped_at = NULL WHERE workspace_id = ? AND id = ?",
	NULL
};

/*
 * Every pick leaves its stock line with its reservation (sign -1, SHIP)
 * or comes back to it, reserved again (sign +1, before anything arrived):
 * one entry of type per pick, then the counters and the status.
 */
static int post_picks(struct req *r, int64_t transfer, int sign, const char *type,
		      const char *const *counters, const char *status_after, const char *comment)
{
	const char *ref = id_format(r->pool, ID_TRANSFER, transfer);
	struct pick_row *picks;
	size_t i, n;
	int status;

	if ((status = read_picks(r, transfer, 1, &picks, &n)) || (status = lock_picked(r, picks, n)))
		return status;
	for (i = 0; i < n; i++) {
		if (sign > 0 && (picks[i].received || picks[i].written_off))
			return req_error(r, 409, "Conflict",
					 pool_printf(r->pool, "%s has stock received already", ref));
		if ((status = post(r, picks[i].stock_line, type, sign * picks[i].quantity,
				   sign * picks[i].quantity, ref, 0, comment)))
			return status;
	}
	if ((status = update_transfer(r, transfer, counters)))
		return status;
	return set_status(r, transfer, status_after, 0);
}

int transfer_ship(struct req *r, int64_t transfer, const char *comment)
{
	return post_picks(r, transfer, -1, "TRANSFER_OUT", shipped_whole, "SHIPPED", comment);
}

int transfer_unship(struct req *r, int64_t transfer, const char *comment)
{
	return post_picks(r, transfer, 1, "TRANSFER_RETURN", unshipped, "PENDING", comment);
}

int transfer_cancel(struct req *r, int64_t transfer, const char *comment)
{
	const char *ref = id_format(r->pool, ID_TRANSFER, transfer);
	struct pick_row *picks;
	size_t i, n;
	int status;

	if ((status = read_picks(r, transfer, 1, &picks, &n)) || (status = lock_picked(r, picks, n)))
		return status;
	for (i = 0; i < n; i++) {
		struct ledger_entry e = {
			.workspace_id = api_ws(r), .line_id = picks[i].stock_line, .type = "RELEASE",
			.comment = comment, .actor = api_actor(r), .reference_type = "TRANSFER",
			.reference_id = ref,
		};
		struct ledger_line line;
		enum ledger_status st;

		/* What is still reserved of it: a reservation cannot go below 0
		 * even if someone released it by hand. */
		if ((st = ledger_line_read(r->db, r->pool, api_ws(r), picks[i].stock_line, 1, &line)))
			return api_ledger_error(r, st);
		e.delta[B_RESERVED] = -(picks[i].quantity < line.qty[B_RESERVED] ? picks[i].quantity
									  : line.qty[B_RESERVED]);
		if (e.delta[B_RESERVED] && (st = ledger_post(r->db, r->pool, &e, NULL)) != LEDGER_OK)
			return api_ledger_error(r, st);
	}
	/* A replenishment waiting for this transfer will not get it. */
	if (db_query(r->db, r->pool,
		     "UPDATE replenishments SET status = 'CANCELLED', cancelled_at = CURRENT_TIMESTAMP(3)"
		     " WHERE workspace_id = ? AND transfer_id = ? AND status IN ('PENDING', 'APPROVED')",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), NULL))
		return api_db_error(r, "replenishment");
	return set_status(r, transfer, "CANCELLED", 1);
}

/* Adds received (or written off) quantity to a pick, its line and its transfer. */
static int count_arrival(struct req *r, int64_t transfer, const struct pick_row *p, int64_t qty,
			 int written_off)
{
	static const char *const sql[2][3] = {
		{ "UPDATE transfer_picks SET quantity_received = quantity_received + ?"
		  " WHERE workspace_id = ? AND id = ?",
		  "UPDATE transfer_lines SET quantity_received = quantity_received + ?"
		  " WHERE workspace_id = ? AND id = ?",
		  "UPDATE transfers SET quantity_received = quantity_received + ?"
		  " WHERE workspace_id = ? AND id = ?" },
		{ "UPDATE transfer_picks SET quantity_written_off = quantity_written_off + ?"
		  " WHERE workspace_id = ? AND id = ?",
		  "UPDATE transfer_lines SET quantity_written_off = quantity_written_off + ?"
		  " WHERE workspace_id = ? AND id = ?",
		  "UPDATE transfers SET quantity_written_off = quantity_written_off + ?"
		  " WHERE workspace_id = ? AND id = ?" },
	};
	const int64_t ids[3] = { p->id, p->line, transfer };
	size_t i;

	for (i = 0; i < 3; i++)
		if (db_query(r->db, r->pool, sql[written_off][i],
			     DB_ARGS(ARG_INT(qty), ARG_INT(api_ws(r)), ARG_INT(ids[i])), NULL))
			return api_db_error(r, "transfer arrival");
	return 0;
}

/* Receives qty of line (a transfer line id) into bin at location to:
 * from its picks in order, each into its lot's line. */
static int receive_line(struct req *r, int64_t transfer, const char *ref, struct pick_row *picks,
			size_t n, int64_t line, int64_t qty, int64_t bin, int64_t to,
			const char *comment)
{
	size_t i;
	int status = 0;

	for (i = 0; i < n && qty > 0 && !status; i++) {
		struct pick_row *p = &picks[i];
		int64_t left = p->quantity - p->received - p->written_off, take, dest = 0;
		enum ledger_status st;

		if (p->line != line || left <= 0)
			continue;
		take = left < qty ? left : qty;
		st = ledger_line_ensure(r->db, r->pool, api_ws(r), p->product, to, p->lot,
					bin ? bin : (p->to_bin ? p->to_bin : 0), &dest);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		if ((status = post(r, dest, "TRANSFER_IN", take, 0, ref, 0, comment)) ||
		    (status = count_arrival(r, transfer, p, take, 0)))
			return status;
		p->received += take;
		qty -= take;
	}
	return status;
}

/* In transit on line of picks[0..n). */
static int64_t line_in_transit(const struct pick_row *picks, size_t n, int64_t line)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!line || picks[i].line == line)
			sum += picks[i].quantity - picks[i].received - picks[i].written_off;
	return sum;
}

/*
 * A replenishment from another location follows its transfer: its lines
 * count what arrived, and it is COMPLETED once the transfer is received
 * or closed.
 */
static int settle_replenishment(struct req *r, int64_t transfer, int done)
{
	if (db_query(r->db, r->pool,
		     "UPDATE replenishment_lines l JOIN transfer_lines tl ON tl.workspace_id = l.workspace_id"
		     " AND tl.id = l.transfer_line_id SET l.quantity_received = tl.quantity_received"
		     " WHERE l.workspace_id = ? AND tl.transfer_id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), NULL) ||
	    (done && db_query(r->db, r->pool,
			      "UPDATE replenishments SET status = 'COMPLETED',"
			      " completed_at = CURRENT_TIMESTAMP(3) WHERE workspace_id = ?"
			      " AND transfer_id = ? AND status = 'APPROVED'",
			      DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), NULL)))
		return api_db_error(r, "replenishment");
	return 0;
}

int transfer_receive(struct req *r, int64_t transfer, const struct transfer_receipt *rc, size_t n,
		     const char *comment)
{
	const char *ref = id_format(r->pool, ID_TRANSFER, transfer);
	struct pick_row *picks;
	struct db_result loc;
	int64_t receiving = 0, to;
	size_t i, np;
	int status, done;

	if (db_query(r->db, r->pool,
		     "SELECT to_location_id FROM transfers WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer)), &loc) || loc.nrows != 1)
		return req_internal_error(r, "transfer");
	to = db_cell_int(&loc, 0, 0);
	if ((status = read_picks(r, transfer, 0, &picks, &np)) ||
	    (status = moves_receiving_bin(r, to, &receiving)))
		return status;
	for (i = 0; i < n; i++) {
		int64_t line_bin = 0, left;
		size_t k;

		for (k = 0; k < np && picks[k].line != rc[i].line; k++)
			;
		if (k == np)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].lineId", i),
					       pool_printf(r->pool, "is not a line of %s", ref));
		line_bin = picks[k].to_bin;
		left = line_in_transit(picks, np, rc[i].line);
		if (rc[i].quantity < 1 || rc[i].quantity > left)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].quantity", i),
					       pool_printf(r->pool, "must be 1 to %lld (in transit)",
							   (long long)left));
		if ((status = moves_check_bin(r, pool_printf(r->pool, "lines[%zu].toBinId", i),
					      rc[i].bin, to)))
			return status;
		if ((status = receive_line(r, transfer, ref, picks, np, rc[i].line, rc[i].quantity,
					   rc[i].bin ? rc[i].bin : (line_bin ? line_bin : receiving),
					   to, comment)))
			return status;
	}
	/* No receipts: everything in transit, each line into its own bin. */
	for (i = 0; n == 0 && i < np; i++) {
		int64_t left = picks[i].quantity - picks[i].received - picks[i].written_off;

		if (left > 0 &&
		    (status = receive_line(r, transfer, ref, picks, np, picks[i].line, left,
					   picks[i].to_bin ? picks[i].to_bin : receiving, to, comment)))
			return status;
	}
	done = line_in_transit(picks, np, 0) == 0;
	if ((status = settle_replenishment(r, transfer, done)))
		return status;
	return done ? set_status(r, transfer, "RECEIVED", 1)
		    : set_status(r, transfer, "PARTIALLY_RECEIVED", 0);
}

int transfer_close(struct req *r, int64_t transfer, const char *comment)
{
	const char *ref = id_format(r->pool, ID_TRANSFER, transfer);
	int64_t reason = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	struct pick_row *picks;
	size_t i, n;
	int status, active;

	if (!reason)
		return req_field_error(r, "reasonCodeId", "is required to close a transfer");
	active = stock_reason_code_active(r->db, r->pool, api_ws(r), reason);
	if (active < 0)
		return req_internal_error(r, "reason code");
	if (!active)
		return req_field_error(r, "reasonCodeId", "must be an active reason code");
	if ((status = read_picks(r, transfer, 1, &picks, &n)))
		return status;
	for (i = 0; i < n; i++) {
		int64_t left = picks[i].quantity - picks[i].received - picks[i].written_off;
		const char *why;

		if (left <= 0)
			continue;
		why = pool_printf(r->pool, "%lld written off in transit%s%s", (long long)left,
				  comment ? ": " : "", comment ? comment : "");
		if ((status = post(r, picks[i].stock_line, "TRANSFER_LOSS", 0, 0, ref, reason, why)) ||
		    (status = count_arrival(r, transfer, &picks[i], left, 1)))
			return status;
	}
	if (db_query(r->db, r->pool,
		     "UPDATE transfers SET reason_code_id = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(reason), ARG_INT(api_ws(r)), ARG_INT(transfer)), NULL))
		return api_db_error(r, "transfer");
	if ((status = settle_replenishment(r, transfer, 1)))
		return status;
	return set_status(r, transfer, "CLOSED", 1);
}

