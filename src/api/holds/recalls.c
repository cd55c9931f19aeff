/* SPDX-License-Identifier: MIT */
/*
 * Recalls: a recalled lot's stock moves to the recalled bucket, and back
 * when the recall is withdrawn. The sweep that does it is shared with
 * expiry, which moves expired stock to the expired bucket.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/holds/holds.h"
#include "api/holds/internal.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

/* ---- recalls and expiry: sweeping stock into a bucket ---- */

/*
 * Which stock lines a sweep touches: a condition on sl (the stock line)
 * and lt (its lot) with one placeholder. Fixed text, never input.
 */
const char sweep_scope_line[] = "sl.id = ?";
const char sweep_scope_lot[] = "sl.lot_id = ?";
const char sweep_scope_location[] =
	"sl.location_id = ? AND " SQL_LOT_EXPIRED("lt");

static int64_t at_least_zero(int64_t x)
{
	return x > 0 ? x : 0;
}

/*
 * The change a sweep makes to a line with quantities q. Recall and expiry
 * move everything neither recalled, expired nor picked into their bucket
 * and take back reservations and holds, so available ends at 0 and the
 * buckets stay parts of on hand. Returns 1 when there is a change.
 */
static int sweep_delta(enum sweep kind, const int64_t q[B__MAX], int64_t d[B__MAX])
{
	int64_t rest = at_least_zero(q[B_ON_HAND] - q[B_RECALLED] - q[B_EXPIRED] - q[B_PICKED]);
	int i;

	for (i = 0; i < B__MAX; i++)
		d[i] = 0;
	if (kind == SWEEP_RECALL_RELEASE) {
		d[B_RECALLED] = -q[B_RECALLED];
	} else {
		d[kind == SWEEP_RECALL ? B_RECALLED : B_EXPIRED] = rest;
		d[B_RESERVED] = -q[B_RESERVED];
		d[B_ON_HOLD] = -q[B_ON_HOLD];
	}
	for (i = 0; i < B__MAX; i++)
		if (d[i])
			return 1;
	return 0;
}

/*
 * Ends the active holds on the lines of the scope: their lines there count
 * as released (the sweep's transaction takes the held stock back), and a
 * hold with nothing left held is RELEASED with why. The caller holds the
 * lines' locks, so no hold of them can change meanwhile.
 */
static int holds_take_back(struct req *r, const char *scope, int64_t arg, const char *why)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_result res;
	size_t i;
	int status = 0;

	strbuf_addf(&sql, "SELECT hl.id, hl.hold_id FROM inventory_hold_lines hl"
		    " JOIN inventory_holds h ON h.id = hl.hold_id AND h.workspace_id = hl.workspace_id"
		    " JOIN stock_lines sl ON sl.id = hl.stock_line_id AND sl.workspace_id = hl.workspace_id"
		    " JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
		    " WHERE hl.workspace_id = ? AND h.status = 'ACTIVE'"
		    " AND hl.released_quantity < hl.quantity AND %s ORDER BY hl.hold_id, hl.id", scope);
	if (db_query(r->db, r->pool, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(arg)), &res)) {
		status = req_internal_error(r, "held lines");
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_hold_lines SET released_quantity = quantity"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(db_cell_int(&res, i, 0))), NULL)) {
			status = req_internal_error(r, "hold line");
			goto out;
		}
		if (i + 1 < res.nrows && db_cell_int(&res, i + 1, 1) == db_cell_int(&res, i, 1))
			continue;
		/* The last line of this hold in the scope: is anything left held? */
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_holds SET status = 'RELEASED', released_by = ?,"
			     " released_at = CURRENT_TIMESTAMP(3), release_reason = ?"
			     " WHERE workspace_id = ? AND id = ? AND status = 'ACTIVE' AND NOT EXISTS"
			     " (SELECT 1 FROM inventory_hold_lines WHERE workspace_id = ? AND hold_id = ?"
			     " AND released_quantity < quantity)",
			     DB_ARGS(ARG_TEXT(holds_actor(r)), ARG_TEXT(why), ARG_INT(api_ws(r)),
				     ARG_INT(db_cell_int(&res, i, 1)), ARG_INT(api_ws(r)),
				     ARG_INT(db_cell_int(&res, i, 1))), NULL)) {
			status = req_internal_error(r, "release hold");
			goto out;
		}
	}
out:
	strbuf_release(&sql);
	return status;
}

/* The sweep takes back every reservation of the lines of the scope, so
 * also the channels' shares of them. */
static int channel_reservations_take_back(struct req *r, const char *scope, int64_t arg)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_result res;
	int status = 0;

	strbuf_addf(&sql, "DELETE cr FROM channel_reservations cr JOIN stock_lines sl"
		    " ON sl.workspace_id = cr.workspace_id AND sl.id = cr.stock_line_id"
		    " JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
		    " WHERE cr.workspace_id = ? AND %s", scope);
	if (db_query(r->db, r->pool, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(arg)), &res))
		status = req_internal_error(r, "channel reservations");
	strbuf_release(&sql);
	return status;
}

/*
 * Sweeps the stock lines of the scope (which have lots): locks them in id
 * order, ends the holds on them and posts one forced transaction of type
 * per line that changes. Returns 0 or the status of the error set.
 */
int holds_sweep(struct req *r, enum sweep kind, const char *scope, int64_t arg,
		const char *type, const char *comment, struct sweep_out *out)
{
	struct strbuf sql = STRBUF_INIT;
	struct ledger_settings s;
	int64_t *ids;
	size_t n, i;
	int status;

	strbuf_addf(&sql, "SELECT sl.id FROM stock_lines sl"
		    " JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
		    " WHERE sl.workspace_id = ? AND %s ORDER BY sl.id", scope);
	if ((status = holds_read_settings(r, &s)) ||
	    (status = holds_query_ids(r, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(arg)), &ids, &n)) ||
	    (status = holds_lock_lines(r, ids, n)))
		goto out;
	if (out) {
		out->line_ids = pool_calloc(r->pool, n ? n : 1, sizeof(*out->line_ids));
		out->marked = pool_calloc(r->pool, n ? n : 1, sizeof(*out->marked));
	}
	if (kind != SWEEP_RECALL_RELEASE &&
	    ((status = holds_take_back(r, scope, arg,
				       kind == SWEEP_RECALL ? "lot recalled" : "stock expired")) ||
	     (status = channel_reservations_take_back(r, scope, arg))))
		goto out;
	for (i = 0; i < n; i++) {
		struct ledger_line line;
		struct ledger_entry e = {
			.line_id = ids[i], .type = type, .comment = comment, .reference_type = "LOT",
			.allow_negative = s.allow_negative, .force = 1,
		};
		enum ledger_status st = ledger_line_read(r->db, r->pool, api_ws(r), ids[i], 1, &line);

		if (st != LEDGER_OK) {
			status = api_ledger_error(r, st);
			goto out;
		}
		if (!sweep_delta(kind, line.qty, e.delta))
			continue;
		e.reference_id = id_format(r->pool, ID_LOT, line.lot_id);
		if ((status = holds_post(r, &e, NULL)))
			goto out;
		if (out) {
			out->line_ids[out->lines] = ids[i];
			out->marked[out->lines++] = e.delta[B_EXPIRED];
			out->quantity += e.delta[B_EXPIRED];
		}
	}
out:
	strbuf_release(&sql);
	return status;
}

int lot_after_update(struct req *r, int64_t id, json_object *before)
{
	struct db_result res;
	json_object *v;
	const char *was = NULL, *now;

	if (json_object_object_get_ex(before, "status", &v))
		was = json_object_get_string(v);
	if (db_query(r->db, r->pool, "SELECT status FROM lots WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res) || res.nrows != 1)
		return req_internal_error(r, "lot status");
	now = db_cell(&res, 0, 0);
	if (!was || !now || !strcmp(was, now))
		return 0;
	if (!strcmp(now, "RECALLED"))
		return holds_sweep(r, SWEEP_RECALL, sweep_scope_lot, id, "RECALL", "lot recalled", NULL);
	/* A withdrawn recall gives the stock back; other moves change no stock. */
	if (!strcmp(was, "RECALLED") && !strcmp(now, "ACTIVE"))
		return holds_sweep(r, SWEEP_RECALL_RELEASE, sweep_scope_lot, id, "RECALL_RELEASE",
				   "recall withdrawn", NULL);
	return 0;
}
