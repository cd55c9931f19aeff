/* SPDX-License-Identifier: MIT */
/*
 * Counting a cycle count batch (START, RECORD, SUBMIT, CANCEL) and
 * resolving its discrepancies (ACCEPT posts counted - snapshot through the
 * ledger, RECOUNT, KEEP). Every change starts by locking the batch row.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/counting/counting.h"
#include "api/counting/cycle_count.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

static const char *const batch_actions[] = { "START", "RECORD", "SUBMIT", "CANCEL", NULL };

/* The elements of "counts" and "resolutions" (checked by the handlers). */
static const struct field count_entry_fields[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_CYCLE_LINE, .description = "A line of the batch" },
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM,
	  .description = "Or the stock line it counts" },
	{ .name = "countedQty", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Counted quantity" },
	FIELDS_END
};

static const struct field resolution_fields[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_CYCLE_LINE, .flags = FIELD_REQUIRED,
	  .description = "A COUNTED line of the batch" },
	{ .name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED,
	  .values = (const char *const[]){ "ACCEPT", "RECOUNT", "KEEP", NULL },
	  .description = "ACCEPT, RECOUNT or KEEP" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE,
	  .description = "An active reason code" },
	{ .name = "reason", .type = FIELD_STRING, .max_length = 500, .description = "Why" },
	FIELDS_END
};

const struct field cycle_count_update_fields[] = {
	{ .name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = batch_actions,
	  .description = "START, RECORD (counted quantities), SUBMIT or CANCEL" },
	{ .name = "counts", .type = FIELD_ARRAY, .items = count_entry_fields,
	  .description = "RECORD: [{\"lineId\": \"ccl_..\" or \"inventoryItemId\": \"item_..\", \"countedQty\": n}]" },
	{ .name = "assigneeId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 200,
	  .description = "Reassign (any action)" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Notes" },
	FIELDS_END
};

const struct field cycle_count_resolve_fields[] = {
	{ .name = "batchId", .type = FIELD_ID, .kind = ID_CYCLE_BATCH, .flags = FIELD_REQUIRED,
	  .description = "The batch" },
	{ .name = "resolutions", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .items = resolution_fields,
	  .description = "[{\"lineId\": \"ccl_..\", \"action\": \"ACCEPT\"|\"RECOUNT\"|\"KEEP\", "
			 "\"reasonCodeId\": \"rc_..\", \"reason\": \"...\"}]" },
	FIELDS_END
};
static const struct field posted_fields[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_CYCLE_LINE },
	{ .name = "transactionId", .type = FIELD_ID, .kind = ID_TRANSACTION },
	{ .name = "deltaQty", .type = FIELD_INTEGER, .description = "counted - snapshot, posted to on hand" },
	FIELDS_END
};

const struct field cycle_count_resolve_answer[] = {
	{ .name = "batch", .type = FIELD_OBJECT, .items = cc_batch_fields,
	  .description = "The batch after the resolutions" },
	{ .name = "resolved", .type = FIELD_INTEGER, .description = "Lines accepted or kept" },
	{ .name = "posted", .type = FIELD_ARRAY, .items = posted_fields,
	  .description = "The ledger transactions posted: one per accepted line with a variance" },
	FIELDS_END
};

/* ---------------------------------------------------------------- counting */

enum batch_action { ACT_START, ACT_RECORD, ACT_SUBMIT, ACT_CANCEL, ACT__MAX };
_Static_assert(ARRAY_SIZE(batch_actions) == ACT__MAX + 1, "one row per action");

/* The states each action may start from. */
static const char *const action_from[ACT__MAX][4] = {
	[ACT_START] = { "CREATED", NULL },
	[ACT_RECORD] = { "IN_PROGRESS", NULL },
	[ACT_SUBMIT] = { "IN_PROGRESS", NULL },
	[ACT_CANCEL] = { "CREATED", "IN_PROGRESS", "COUNTED", NULL },
};

/* Runs "UPDATE cycle_count_batches SET <set>" on batch; set is a fixed
 * fragment. Returns 0 or the status set. */
static int batch_set(struct req *r, int64_t batch, const char *set)
{
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "UPDATE cycle_count_batches SET %s"
				 " WHERE workspace_id = ? AND id = ?", set),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch)), NULL))
		return req_internal_error(r, "batch update");
	return 0;
}

/* Locks batch (every change of a batch or its lines starts here) and
 * stores its status. Returns 0 or the status set (404, 500). */
static int batch_lock(struct req *r, int64_t batch, const char **status)
{
	struct db_result res;

	if (!batch)
		return api_not_found(r, ID_CYCLE_BATCH);
	if (db_query(r->db, r->pool,
		     "SELECT status FROM cycle_count_batches WHERE workspace_id = ? AND id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch)), &res))
		return req_internal_error(r, "batch lock");
	if (!res.nrows)
		return api_not_found(r, ID_CYCLE_BATCH);
	*status = db_cell(&res, 0, 0);
	return 0;
}

/* Sets the batch COUNTED, or RESOLVED when no line awaits a decision. */
static int batch_settle(struct req *r, int64_t batch)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT COUNT(*) FROM cycle_count_lines WHERE workspace_id = ? AND batch_id = ?"
		     " AND status IN ('PENDING', 'COUNTED', 'RECOUNT')",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch)), &res))
		return req_internal_error(r, "batch lines");
	return batch_set(r, batch, db_cell_int(&res, 0, 0) ? "status = 'COUNTED'" :
				   "status = 'RESOLVED', resolved_at = NOW(3)");
}

/* Dates stock line by a count taken at counted_at (never backwards). */
static int line_counted(struct req *r, int64_t stock_line, const char *counted_at)
{
	if (db_query(r->db, r->pool,
		     "UPDATE stock_lines SET last_counted_at = GREATEST(IFNULL(last_counted_at,"
		     " CAST(? AS DATETIME(3))), CAST(? AS DATETIME(3))) WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(counted_at), ARG_TEXT(counted_at), ARG_INT(api_ws(r)),
			     ARG_INT(stock_line)), NULL))
		return req_internal_error(r, "last counted");
	return 0;
}

/*
 * RECORD: counts [{"lineId" or "inventoryItemId", "countedQty"}]. Each
 * count snapshots the stock line's on hand as committed now, without a
 * lock: stock may keep moving, and resolution applies counted - snapshot.
 * Returns 0 or the status set.
 */
static int record_counts(struct req *r, int64_t batch)
{
	json_object *counts = NULL, *c, *v;
	int64_t *lines, *items, *qty;
	struct db_result res;
	const char *st;
	size_t i, n = 0;

	if (json_object_object_get_ex(r->json, "counts", &counts) && counts)
		n = json_object_array_length(counts);
	if (!n)
		return req_field_error(r, "counts", "is required for RECORD (at least one count)");
	if (n > CC_BATCH_MAX_LINES)
		return req_field_error(r, "counts", "must hold at most 1000 counts");
	lines = pool_calloc(r->pool, n, sizeof(*lines));
	items = pool_calloc(r->pool, n, sizeof(*items));
	qty = pool_calloc(r->pool, n, sizeof(*qty));
	/* Every count is checked before any is recorded. */
	for (i = 0; i < n; i++) {
		c = json_object_array_get_idx(counts, i);
		if (!json_object_is_type(c, json_type_object))
			return req_field_error(r, pool_printf(r->pool, "counts[%zu]", i), "must be an object");
		if (json_object_object_get_ex(c, "lineId", &v) && v) {
			if (json_object_is_type(v, json_type_string))
				lines[i] = id_parse(ID_CYCLE_LINE, json_object_get_string(v));
			if (lines[i] <= 0)
				return req_field_error(r, pool_printf(r->pool, "counts[%zu].lineId", i),
						       "must be an id such as ccl_1");
		} else if (json_object_object_get_ex(c, "inventoryItemId", &v) && v) {
			if (json_object_is_type(v, json_type_string))
				items[i] = id_parse(ID_ITEM, json_object_get_string(v));
			if (items[i] <= 0)
				return req_field_error(r, pool_printf(r->pool, "counts[%zu].inventoryItemId", i),
						       "must be an id such as item_1");
		} else {
			return req_field_error(r, pool_printf(r->pool, "counts[%zu].lineId", i),
					       "lineId or inventoryItemId is required");
		}
		if (!json_object_object_get_ex(c, "countedQty", &v) ||
		    !json_object_is_type(v, json_type_int) ||
		    (qty[i] = json_object_get_int64(v)) < 0 || qty[i] > FIELD_INTEGER_MAX)
			return req_field_error(r, pool_printf(r->pool, "counts[%zu].countedQty", i),
					       "must be a whole number, at least 0");
	}
	for (i = 0; i < n; i++) {
		if (db_query(r->db, r->pool,
			     "SELECT l.id, l.status, sl.qty_on_hand FROM cycle_count_lines l"
			     " JOIN stock_lines sl ON sl.workspace_id = l.workspace_id AND sl.id = l.stock_line_id"
			     " WHERE l.workspace_id = ? AND l.batch_id = ? AND (l.id = ? OR l.stock_line_id = ?)",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch), ARG_INT(lines[i]), ARG_INT(items[i])),
			     &res))
			return req_internal_error(r, "count line");
		if (!res.nrows)
			return api_not_found(r, ID_CYCLE_LINE);
		st = db_cell(&res, 0, 1);
		if (!strcmp(st, "ACCEPTED") || !strcmp(st, "KEPT"))
			return req_error(r, 409, "Conflict", pool_printf(r->pool, "%s is already resolved (%s)",
					 id_format(r->pool, ID_CYCLE_LINE, db_cell_int(&res, 0, 0)), st));
		if (db_query(r->db, r->pool,
			     "UPDATE cycle_count_lines SET snapshot_qty = ?, counted_qty = ?, counted_by = ?,"
			     " counted_at = NOW(3), count_attempts = count_attempts + 1, status = 'COUNTED'"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(db_cell_int(&res, 0, 2)), ARG_INT(qty[i]), ARG_TEXT(api_actor(r)),
				     ARG_INT(api_ws(r)), ARG_INT(db_cell_int(&res, 0, 0))), NULL))
			return req_internal_error(r, "count");
	}
	return 0;
}

/* The lines of batch counted exactly as their snapshot (need no decision). */
#define MATCHING_LINES \
	" l.workspace_id = ? AND l.batch_id = ? AND l.status = 'COUNTED'" \
	" AND l.counted_qty = l.snapshot_qty"

/*
 * SUBMIT: every line must be counted; lines whose count matches the
 * snapshot are accepted at once (nothing to post), and the batch is
 * RESOLVED when nothing else awaits a decision. Returns 0 or the status.
 */
static int submit_batch(struct req *r, int64_t batch)
{
	struct db_result res;
	enum ledger_status st;
	int64_t *ids, left;
	size_t n = 0;
	int status;

	if (db_query(r->db, r->pool,
		     "SELECT COUNT(*) FROM cycle_count_lines WHERE workspace_id = ? AND batch_id = ?"
		     " AND status IN ('PENDING', 'RECOUNT')",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch)), &res))
		return req_internal_error(r, "batch lines");
	if ((left = db_cell_int(&res, 0, 0)))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "%lld line%s not counted", (long long)left,
					     left == 1 ? " is" : "s are"));
	if (db_query(r->db, r->pool,
		     "SELECT l.stock_line_id FROM cycle_count_lines l WHERE" MATCHING_LINES,
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch)), &res))
		return req_internal_error(r, "matching lines");
	ids = pool_calloc(r->pool, res.nrows + 1, sizeof(*ids));
	cc_append_ids(&res, ids, &n);
	st = ledger_lock_lines(r->db, r->pool, api_ws(r), ids, n);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	if (db_query(r->db, r->pool,
		     "UPDATE stock_lines sl JOIN cycle_count_lines l"
		     " ON l.workspace_id = sl.workspace_id AND l.stock_line_id = sl.id"
		     " SET sl.last_counted_at = GREATEST(IFNULL(sl.last_counted_at, l.counted_at), l.counted_at)"
		     " WHERE" MATCHING_LINES,
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(batch)), NULL) ||
	    db_query(r->db, r->pool,
		     "UPDATE cycle_count_lines l SET l.status = 'ACCEPTED', l.resolved_by = ?,"
		     " l.resolved_at = NOW(3), l.resolution_reason = 'the count matches the system quantity'"
		     " WHERE" MATCHING_LINES,
		     DB_ARGS(ARG_TEXT(api_actor(r)), ARG_INT(api_ws(r)), ARG_INT(batch)), NULL))
		return req_internal_error(r, "matching lines");
	if ((status = batch_set(r, batch, "submitted_at = NOW(3)")))
		return status;
	return batch_settle(r, batch);
}

int cycle_count_batch_update(struct req *r)
{
	int64_t id = api_path_id(r, ID_CYCLE_BATCH);
	const char *action = api_body_string(r, "action"), *st;
	size_t a, k;
	int status;

	if ((status = batch_lock(r, id, &st)))
		return status;
	for (a = 0; a < ACT__MAX && strcmp(batch_actions[a], action); a++)
		;
	if (a == ACT__MAX)
		return req_field_error(r, "action", "is not one of the allowed values");
	for (k = 0; action_from[a][k] && strcmp(action_from[a][k], st); k++)
		;
	if (!action_from[a][k])
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "batch is %s; cannot %s", st, action));
	if (api_body_has(r, "assigneeId") &&
	    db_query(r->db, r->pool,
		     "UPDATE cycle_count_batches SET assignee_id = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(api_body_string(r, "assigneeId")), ARG_INT(api_ws(r)), ARG_INT(id)),
		     NULL))
		return req_internal_error(r, "assignee");
	if (api_body_has(r, "notes") &&
	    db_query(r->db, r->pool,
		     "UPDATE cycle_count_batches SET notes = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(api_body_string(r, "notes")), ARG_INT(api_ws(r)), ARG_INT(id)), NULL))
		return req_internal_error(r, "notes");
	switch (a) {
	case ACT_START:
		status = batch_set(r, id, "status = 'IN_PROGRESS', started_at = NOW(3)");
		break;
	case ACT_RECORD:
		status = record_counts(r, id);
		break;
	case ACT_SUBMIT:
		status = submit_batch(r, id);
		break;
	default:
		status = batch_set(r, id, "status = 'CANCELLED', cancelled_at = NOW(3)");
		break;
	}
	return status ? status : cc_batch_respond(r, id, 200);
}

/* The number of characters (not bytes) of the UTF-8 string s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---------------------------------------------------------------- resolving */

enum resolution_action { RA_ACCEPT, RA_RECOUNT, RA_KEEP, RA__MAX };
static const char *const resolution_actions[RA__MAX] = { "ACCEPT", "RECOUNT", "KEEP" };

struct resolution {
	int64_t line, reason_code, stock_line, delta, txn;
	enum resolution_action action;
	const char *reason, *counted_at;
};

/* Checks and reads resolutions[0..n). Returns 0 or the 400 status set,
 * naming the element ("resolutions[1].action"). */
static int parse_resolutions(struct req *r, json_object *list, struct resolution *rs, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(list, i), *v;
		const char *at = pool_printf(r->pool, "resolutions[%zu]", i), *s;

		if (!json_object_is_type(o, json_type_object))
			return req_field_error(r, at, "must be an object");
		if (json_object_object_get_ex(o, "lineId", &v) && json_object_is_type(v, json_type_string))
			rs[i].line = id_parse(ID_CYCLE_LINE, json_object_get_string(v));
		if (rs[i].line <= 0)
			return req_field_error(r, pool_printf(r->pool, "%s.lineId", at),
					       "must be an id such as ccl_1");
		for (k = 0; k < i; k++)
			if (rs[k].line == rs[i].line)
				return req_field_error(r, pool_printf(r->pool, "%s.lineId", at),
						       "names a line that an earlier resolution names");
		s = json_object_object_get_ex(o, "action", &v) && json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : "";
		for (k = 0; k < RA__MAX && strcmp(resolution_actions[k], s); k++)
			;
		if (k == RA__MAX)
			return req_field_error(r, pool_printf(r->pool, "%s.action", at),
					       "must be ACCEPT, RECOUNT or KEEP");
		rs[i].action = (enum resolution_action)k;
		if (json_object_object_get_ex(o, "reasonCodeId", &v) && v &&
		    (!json_object_is_type(v, json_type_string) ||
		     (rs[i].reason_code = id_parse(ID_REASON_CODE, json_object_get_string(v))) <= 0))
			return req_field_error(r, pool_printf(r->pool, "%s.reasonCodeId", at),
					       "must be an id such as rc_1");
		if (json_object_object_get_ex(o, "reason", &v) && v) {
			if (!json_object_is_type(v, json_type_string) ||
			    utf8_chars(json_object_get_string(v)) > 500)
				return req_field_error(r, pool_printf(r->pool, "%s.reason", at),
						       "must be a string of at most 500 characters");
			rs[i].reason = json_object_get_string(v);
		}
	}
	return 0;
}

/*
 * Reads the lines rs name (they must be COUNTED lines of batch) and checks
 * their reason codes. Returns 0 or the status set (404, 409).
 */
static int read_resolution_lines(struct req *r, int64_t batch, struct resolution *rs, size_t n)
{
	int64_t *ids = pool_calloc(r->pool, n, sizeof(*ids));
	struct db_result res, rc;
	size_t i;

	for (i = 0; i < n; i++)
		ids[i] = rs[i].line;
	if (db_query(r->db, r->pool,
		     "SELECT j.pos, l.id, l.status, l.stock_line_id, l.counted_qty - l.snapshot_qty,"
		     " l.counted_at FROM " CC_JSON_IDS " LEFT JOIN cycle_count_lines l"
		     " ON l.workspace_id = ? AND l.batch_id = ? AND l.id = j.id ORDER BY j.pos",
		     DB_ARGS(ARG_TEXT(cc_ids_json(r, ids, n)), ARG_INT(api_ws(r)), ARG_INT(batch)), &res) ||
	    res.nrows != n)
		return req_internal_error(r, "resolution lines");
	for (i = 0; i < n; i++) {
		if (!db_cell(&res, i, 1))
			return api_not_found(r, ID_CYCLE_LINE);
		if (strcmp(db_cell(&res, i, 2), "COUNTED"))
			return req_error(r, 409, "Conflict",
					 pool_printf(r->pool, "%s is %s; only COUNTED lines are resolved",
						     id_format(r->pool, ID_CYCLE_LINE, rs[i].line),
						     db_cell(&res, i, 2)));
		rs[i].stock_line = db_cell_int(&res, i, 3);
		rs[i].delta = db_cell_int(&res, i, 4);
		rs[i].counted_at = db_cell(&res, i, 5);
		if (!rs[i].reason_code)
			continue;
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM reason_codes WHERE workspace_id = ? AND id = ? AND active = 1",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(rs[i].reason_code)), &rc))
			return req_internal_error(r, "reason code");
		if (!rc.nrows)
			return api_not_found(r, ID_REASON_CODE);
	}
	return 0;
}

/* Applies one resolution (its stock line is locked). Returns 0 or the
 * status set; a refused ledger post (409) undoes the whole request. */
static int apply_resolution(struct req *r, int64_t batch, const struct ledger_settings *settings,
			    struct resolution *rs)
{
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	enum ledger_status st;

	if (rs->action == RA_RECOUNT) {
		if (db_query(r->db, r->pool,
			     "UPDATE cycle_count_lines SET status = 'RECOUNT', counted_qty = NULL,"
			     " counted_by = NULL, counted_at = NULL, resolution_reason = ?, reason_code_id = ?"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_TEXT(rs->reason), ARG_ID(rs->reason_code), ARG_INT(api_ws(r)),
				     ARG_INT(rs->line)), NULL))
			return req_internal_error(r, "recount");
		return 0;
	}
	if (rs->action == RA_ACCEPT && rs->delta) {
		/* The difference, never the count itself: stock that moved after
		 * the snapshot stays moved. */
		e.workspace_id = api_ws(r);
		e.line_id = rs->stock_line;
		e.type = "CYCLE_COUNT";
		e.delta[B_ON_HAND] = rs->delta;
		e.reason_code_id = rs->reason_code;
		e.comment = rs->reason;
		e.actor = api_actor(r);
		e.reference_type = "CYCLE_COUNT";
		e.reference_id = id_format(r->pool, ID_CYCLE_BATCH, batch);
		e.allow_negative = settings->allow_negative;
		st = ledger_post(r->db, r->pool, &e, &posted);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		rs->txn = posted.transaction_id;
	}
	if (db_query(r->db, r->pool,
		     "UPDATE cycle_count_lines SET status = ?, resolved_by = ?, resolved_at = NOW(3),"
		     " resolution_reason = ?, reason_code_id = ?, transaction_id = ?"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(rs->action == RA_ACCEPT ? "ACCEPTED" : "KEPT"), ARG_TEXT(api_actor(r)),
			     ARG_TEXT(rs->reason), ARG_ID(rs->reason_code), ARG_ID(rs->txn),
			     ARG_INT(api_ws(r)), ARG_INT(rs->line)), NULL))
		return req_internal_error(r, "resolution");
	return line_counted(r, rs->stock_line, rs->counted_at);
}

int cycle_count_resolve(struct req *r)
{
	int64_t batch = api_body_id(r, "batchId", ID_CYCLE_BATCH), *lock;
	json_object *list = NULL;
	struct ledger_settings settings;
	struct jw w;
	struct resolution *rs;
	enum ledger_status st;
	size_t i, n, nlock = 0;
	int status, recount = 0, resolved = 0;
	const char *bst;

	json_object_object_get_ex(r->json, "resolutions", &list);
	n = json_object_array_length(list);
	if (!n)
		return req_field_error(r, "resolutions", "must name at least one line");
	if (n > CC_BATCH_MAX_LINES)
		return req_field_error(r, "resolutions", "must hold at most 1000 resolutions");
	rs = pool_calloc(r->pool, n, sizeof(*rs));
	lock = pool_calloc(r->pool, n, sizeof(*lock));
	if ((status = parse_resolutions(r, list, rs, n)) || (status = batch_lock(r, batch, &bst)))
		return status;
	if (strcmp(bst, "COUNTED"))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "batch is %s; only a COUNTED batch is resolved", bst));
	if ((status = read_resolution_lines(r, batch, rs, n)))
		return status;
	for (i = 0; i < n; i++)
		if (rs[i].action != RA_RECOUNT)
			lock[nlock++] = rs[i].stock_line;
	/* Every stock line this request touches, locked in id order first. */
	st = ledger_lock_lines(r->db, r->pool, api_ws(r), lock, nlock);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	if (ledger_settings_read(r->db, r->pool, api_ws(r), &settings))
		return req_internal_error(r, "ledger settings");
	for (i = 0; i < n; i++) {
		if ((status = apply_resolution(r, batch, &settings, &rs[i])))
			return status;
		recount |= rs[i].action == RA_RECOUNT;
		resolved += rs[i].action != RA_RECOUNT;
	}
	/* A recount sends the batch back to the counters, who RECORD and
	 * SUBMIT again. */
	status = recount ? batch_set(r, batch, "status = 'IN_PROGRESS', submitted_at = NULL") :
			   batch_settle(r, batch);
	if (status)
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "batch");
	if ((status = cc_batch_write(r, batch, &w)))
		return status;
	jw_kint(&w, "resolved", resolved);
	jw_key(&w, "posted");
	jw_open(&w, '[');
	for (i = 0; i < n; i++) {
		if (!rs[i].txn)
			continue;
		jw_open(&w, '{');
		jw_kstr(&w, "lineId", id_format(r->pool, ID_CYCLE_LINE, rs[i].line));
		jw_kstr(&w, "transactionId", id_format(r->pool, ID_TRANSACTION, rs[i].txn));
		jw_kint(&w, "deltaQty", rs[i].delta);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
