/* SPDX-License-Identifier: MIT */
/*
 * Put-away: stock that landed in a location's receiving bin, or in no bin
 * at a location that has bins, waits to be put into a bin. A task reserves
 * what it will move, line by line (one stock line may be split over
 * several bins); completing it moves what was put away bin to bin through
 * the ledger and releases the rest, which stays a candidate.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/moves/moves.h"
#include "core/pool.h"
#include "core/util.h"
#include "ledger/ledger.h"

#define PUT_AWAY_MAX_LINES 100
#define PUT_AWAY_MAX_CANDIDATES 500

static const char *const task_statuses[] = { "PENDING", "COMPLETED", "CANCELLED", NULL };
static const char *const query_modes[] = { "tasks", "candidates", NULL };
static const char *const task_actions[] = { "COMPLETE", "CANCEL", NULL };

const struct field put_away_query[] = {
	{ .name = "mode", .type = FIELD_STRING, .values = query_modes,
	  .description = "tasks (default) or candidates: the stock waiting to be put away "
			 "(locationId required; at most 500 lines)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by location" },
	{ .name = "status", .type = FIELD_STRING, .values = task_statuses,
	  .description = "Tasks: filter by status" },
	{ .name = "assigneeId", .type = FIELD_STRING, .max_length = 200,
	  .description = "Tasks: filter by assignee" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Tasks: page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Tasks: page size (default: 20, max: 100)" },
	FIELDS_END
};

/* The lines of the POST: a new task's, or (COMPLETE) what was put away. */
static const struct field task_line_in[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM,
	  .description = "Creating (required): the stock line to put away, all of one location" },
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_PUT_AWAY_LINE,
	  .description = "COMPLETE (required): a line of the task" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Creating: at least 1. COMPLETE: what was put away, 0 to the line's quantity" },
	{ .name = "toBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .description = "Creating: default the suggested bin (the level's preferred bin, else "
			 "the bin holding most of the product)" },
	FIELDS_END
};

static const struct field done_line_in[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_PUT_AWAY_LINE, .flags = FIELD_REQUIRED },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "What was put away, at most the line's quantity" },
	FIELDS_END
};

const struct field put_away_post_fields[] = {
	{ .name = "action", .type = FIELD_STRING, .values = task_actions,
	  .description = "Absent: create a task from lines. COMPLETE or CANCEL: the task putAwayId" },
	{ .name = "putAwayId", .type = FIELD_ID, .kind = ID_PUT_AWAY,
	  .description = "With an action: the task" },
	{ .name = "assigneeId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 200,
	  .description = "Who puts it away" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 2000 },
	{ .name = "lines", .type = FIELD_ARRAY, .items = task_line_in,
	  .description = "Creating: 1 to 100 lines {inventoryItemId, quantity, toBinId}. COMPLETE: "
			 "[{lineId, quantity}], what was put away (default: every line whole); the "
			 "rest is released and stays a candidate" },
	FIELDS_END
};

const struct field put_away_action_fields[] = {
	{ .name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = task_actions },
	{ .name = "lines", .type = FIELD_ARRAY, .items = done_line_in,
	  .description = "COMPLETE: what was put away, line by line (default: every line whole)" },
	FIELDS_END
};

#define TASK_COLUMNS \
	{ .name = "id", .type = FIELD_ID, .kind = ID_PUT_AWAY, .column = "t.id" }, \
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .column = "t.location_id" }, \
	{ .name = "status", .type = FIELD_STRING, .values = task_statuses, .column = "t.status" }, \
	{ .name = "assigneeId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "t.assignee_id" }, \
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "t.notes" }, \
	{ .name = "createdBy", .type = FIELD_STRING, .column = "t.created_by" }, \
	{ .name = "createdAt", .type = FIELD_DATETIME, .column = "t.created_at" }, \
	{ .name = "updatedAt", .type = FIELD_DATETIME, .column = "t.updated_at" }, \
	{ .name = "completedAt", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, \
	  .column = "t.completed_at" },

const struct field put_away_task_columns[] = {
	TASK_COLUMNS
	FIELDS_END
};

static const struct field task_line_columns[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_PUT_AWAY_LINE, .column = "l.id" },
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .column = "l.stock_line_id" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "sl.product_id" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE, .column = "sl.lot_id" },
	{ .name = "fromBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .column = "sl.bin_id" },
	{ .name = "toBinId", .type = FIELD_ID, .kind = ID_BIN, .column = "l.to_bin_id" },
	{ .name = "quantity", .type = FIELD_INTEGER, .column = "l.quantity" },
	{ .name = "quantityPutAway", .type = FIELD_INTEGER, .column = "l.quantity_put_away" },
	FIELDS_END
};

const struct field put_away_answer[] = {
	TASK_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = task_line_columns },
	FIELDS_END
};

static const struct field candidate_columns[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .column = "sl.id" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "sl.product_id" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .column = "sl.location_id" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE, .column = "sl.lot_id" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .column = "sl.bin_id", .description = "The receiving bin, or null" },
	{ .name = "onHand", .type = FIELD_INTEGER, .column = "sl.qty_on_hand" },
	{ .name = "available", .type = FIELD_INTEGER, .column = SQL_AVAILABLE("sl", "lt"),
	  .description = "What can still be put away (not reserved by another task)" },
	FIELDS_END
};

static const struct field candidate_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "onHand", .type = FIELD_INTEGER },
	{ .name = "available", .type = FIELD_INTEGER },
	{ .name = "suggestedBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "suggestionSource", .type = FIELD_STRING, .flags = FIELD_NULLABLE,
	  .values = suggestion_sources },
	FIELDS_END
};

static const char *const candidates_mode[] = { "candidates", NULL };

const struct field put_away_candidates_answer[] = {
	{ .name = "mode", .type = FIELD_STRING, .values = candidates_mode },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "items", .type = FIELD_ARRAY, .items = candidate_fields,
	  .description = "Stock in the receiving bin, or in no bin at a location with bins, that "
			 "can still be put away; oldest line first" },
	FIELDS_END
};

/* ---- reading ---- */

static int task_respond(struct req *r, int64_t id, int status)
{
	struct db_result head, lines;
	struct jw w;
	size_t i;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM put_away_tasks t WHERE t.workspace_id = ? AND t.id = ?",
				 api_select(put_away_task_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &head))
		return req_internal_error(r, "put-away task");
	if (head.nrows == 0)
		return api_not_found(r, ID_PUT_AWAY);
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM put_away_lines l JOIN stock_lines sl ON sl.id = l.stock_line_id"
				 " WHERE l.workspace_id = ? AND l.task_id = ? ORDER BY l.id",
				 api_select(task_line_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "put-away lines");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	api_write_members(&w, &head, 0, put_away_task_columns);
	jw_key(&w, "lines");
	jw_open(&w, '[');
	for (i = 0; i < lines.nrows; i++)
		api_write_row(&w, &lines, i, task_line_columns);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, status, &w);
}

/* The candidates of a location: stock in its receiving bin, or without a
 * bin where the location has bins to put it in. */
static int candidates_respond(struct req *r, int64_t location)
{
	struct db_result rows;
	struct jw w;
	size_t i;
	int status;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM stock_lines sl" SQL_JOIN_LOT("sl")
				 " LEFT JOIN bins b ON b.id = sl.bin_id"
				 " WHERE sl.workspace_id = ? AND sl.location_id = ?"
				 " AND (b.is_receiving = 1 OR (sl.bin_id IS NULL AND EXISTS (SELECT 1"
				 " FROM bins b2 WHERE b2.workspace_id = sl.workspace_id"
				 " AND b2.location_id = sl.location_id AND b2.is_receiving = 0)))"
				 " AND " SQL_AVAILABLE("sl", "lt") " > 0 ORDER BY sl.id LIMIT ?",
				 api_select(candidate_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location), ARG_INT(PUT_AWAY_MAX_CANDIDATES)),
		     &rows))
		return req_internal_error(r, "put-away candidates");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "mode", "candidates");
	jw_kstr(&w, "locationId", id_format(r->pool, ID_LOCATION, location));
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < rows.nrows; i++) {
		const char *source;
		int64_t bin;

		if ((status = moves_suggest_bin(r, db_cell_int(&rows, i, 1), location, &bin, &source)))
			return status;
		jw_open(&w, '{');
		api_write_members(&w, &rows, i, candidate_columns);
		jw_kstr(&w, "suggestedBinId", bin ? id_format(r->pool, ID_BIN, bin) : NULL);
		jw_kstr(&w, "suggestionSource", source);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

static const struct api_filter task_filters[] = {
	{ "locationId", ID_LOCATION, " AND t.location_id = ?" },
	{ "status", ID_NONE, " AND t.status = ?" },
	{ "assigneeId", ID_NONE, " AND t.assignee_id = ?" },
};

static const struct api_list task_list_sql = {
	.count_sql = "SELECT COUNT(*) FROM put_away_tasks t WHERE t.workspace_id = ?",
	.rows_sql = " FROM put_away_tasks t WHERE t.workspace_id = ?",
	.rows_tail = " ORDER BY t.id DESC LIMIT ? OFFSET ?",
	.columns = put_away_task_columns,
};

int put_away_list(struct req *r)
{
	const char *mode = req_query(r, "mode");
	int64_t page, limit;
	struct query where;
	int status;

	if (mode && !strcmp(mode, "candidates")) {
		int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId"));

		if (!location)
			return req_field_error(r, "locationId", "is required with mode=candidates");
		if (api_exists(r, ID_LOCATION, location) != 1)
			return api_not_found(r, ID_LOCATION);
		return candidates_respond(r, location);
	}
	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_filters(r, task_filters, ARRAY_SIZE(task_filters), &where);
	return api_list_page(r, &task_list_sql, &where, page, limit);
}

/* ---- creating ---- */

struct task_line {
	int64_t item, quantity, to_bin;
	struct ledger_line line;
};

/* Reads and checks the lines of a new task; stores their location. */
static int read_task_lines(struct req *r, struct task_line **out, size_t *n, int64_t *location)
{
	json_object *arr = NULL;
	struct task_line *lines;
	size_t i, len;
	int status = 0;

	json_object_object_get_ex(r->json, "lines", &arr);
	len = arr ? json_object_array_length(arr) : 0;
	if (len < 1 || len > PUT_AWAY_MAX_LINES)
		return req_field_error(r, "lines", "must hold 1 to 100 lines");
	lines = pool_calloc(r->pool, len, sizeof(*lines));
	for (i = 0; i < len && !status; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct task_line *l = &lines[i];
		enum ledger_status st;

		l->item = api_member_id(e, "inventoryItemId", ID_ITEM);
		l->quantity = api_member_int(e, "quantity");
		l->to_bin = api_member_id(e, "toBinId", ID_BIN);
		if (!l->item)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].inventoryItemId", i),
					       "is required");
		if ((st = ledger_line_read(r->db, r->pool, api_ws(r), l->item, 0, &l->line)))
			return api_ledger_error(r, st);
		if (i == 0)
			*location = l->line.location_id;
		if (l->quantity < 1) {
			status = req_field_error(r, pool_printf(r->pool, "lines[%zu].quantity", i),
						 "must be at least 1");
		} else if (l->line.location_id != *location) {
			status = req_field_error(r, pool_printf(r->pool, "lines[%zu].inventoryItemId", i),
						 pool_printf(r->pool, "must be at %s, as the first line",
							     id_format(r->pool, ID_LOCATION, *location)));
		} else if (!l->to_bin) {
			const char *source;

			if ((status = moves_suggest_bin(r, l->line.product_id, *location, &l->to_bin,
							&source)))
				break;
			if (!l->to_bin || l->to_bin == l->line.bin_id)
				status = req_field_error(r, pool_printf(r->pool, "lines[%zu].toBinId", i),
							 "is required: there is no suggested bin other "
							 "than the one the stock is in");
		} else {
			status = moves_check_bin(r, pool_printf(r->pool, "lines[%zu].toBinId", i),
						 l->to_bin, *location);
		}
		if (!status && l->to_bin == l->line.bin_id)
			status = req_field_error(r, pool_printf(r->pool, "lines[%zu].toBinId", i),
						 "is the bin the stock is in");
	}
	*out = lines;
	*n = len;
	return status;
}

static int create_task(struct req *r)
{
	struct task_line *lines = NULL;
	struct db_result res;
	int64_t location = 0, id, *ids;
	const char *ref;
	size_t i, n = 0;
	int status;
	enum ledger_status st;

	if ((status = read_task_lines(r, &lines, &n, &location)))
		return status;
	ids = pool_calloc(r->pool, n, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = lines[i].item;
	if ((st = ledger_lock_lines(r->db, r->pool, api_ws(r), ids, n)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (db_query(r->db, r->pool,
		     "INSERT INTO put_away_tasks (workspace_id, location_id, assignee_id, notes, created_by)"
		     " VALUES (?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location),
			     ARG_TEXT(api_body_string(r, "assigneeId")),
			     ARG_TEXT(api_body_string(r, "notes")), ARG_TEXT(api_actor(r))), &res) ||
	    res.nrows != 1)
		return api_db_error(r, "put-away task");
	id = db_cell_int(&res, 0, 0);
	ref = id_format(r->pool, ID_PUT_AWAY, id);
	for (i = 0; i < n; i++) {
		struct ledger_entry e = {
			.workspace_id = api_ws(r), .line_id = lines[i].item, .type = "RESERVE",
			.actor = api_actor(r), .reference_type = "PUTAWAY", .reference_id = ref,
		};
		const char *refusal;

		if ((status = api_lot_refusal(r, lines[i].line.lot_id, &refusal)))
			return status;
		if (refusal)
			return req_error(r, 409, "Insufficient stock",
					 pool_printf(r->pool, "%s cannot be moved: %s",
						     id_format(r->pool, ID_ITEM, lines[i].item), refusal));
		e.delta[B_RESERVED] = lines[i].quantity;
		if ((st = ledger_post(r->db, r->pool, &e, NULL)) != LEDGER_OK)
			return api_ledger_error(r, st);
		if (db_query(r->db, r->pool,
			     "INSERT INTO put_away_lines (workspace_id, task_id, stock_line_id, to_bin_id,"
			     " quantity) VALUES (?, ?, ?, ?, ?)",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id), ARG_INT(lines[i].item),
				     ARG_INT(lines[i].to_bin), ARG_INT(lines[i].quantity)), NULL))
			return api_db_error(r, "put-away line");
	}
	return task_respond(r, id, 201);
}

/* ---- completing and cancelling ---- */

/* Completes (what was put away: the body's lines, or all) or cancels
 * task id, which must be PENDING. */
static int finish_task(struct req *r, int64_t id, const char *action)
{
	int complete = !strcmp(action, "COMPLETE");
	const char *ref = id_format(r->pool, ID_PUT_AWAY, id);
	json_object *arr = NULL;
	struct db_result task, lines;
	struct ledger_settings settings;
	enum ledger_status lst;
	size_t i, k, len;
	int64_t *done;

	if (db_query(r->db, r->pool,
		     "SELECT status, location_id FROM put_away_tasks WHERE workspace_id = ? AND id = ?"
		     " FOR UPDATE", DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &task))
		return req_internal_error(r, "put-away task");
	if (task.nrows == 0)
		return api_not_found(r, ID_PUT_AWAY);
	if (strcmp(db_cell(&task, 0, 0), "PENDING"))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "put-away %s is %s; %s needs PENDING", ref,
					     db_cell(&task, 0, 0), action));
	/* In stock line order: the order every writer locks them in. */
	if (db_query(r->db, r->pool,
		     "SELECT l.id, l.stock_line_id, sl.product_id, IFNULL(sl.lot_id, 0), l.to_bin_id,"
		     " l.quantity FROM put_away_lines l JOIN stock_lines sl ON sl.id = l.stock_line_id"
		     " WHERE l.workspace_id = ? AND l.task_id = ? ORDER BY l.stock_line_id, l.id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "put-away lines");
	if ((lst = ledger_settings_read(r->db, r->pool, api_ws(r), &settings)) != LEDGER_OK)
		return api_ledger_error(r, lst);
	done = pool_calloc(r->pool, lines.nrows + 1, sizeof(*done));
	for (i = 0; i < lines.nrows; i++)
		done[i] = complete ? db_cell_int(&lines, i, 5) : 0;
	if (complete && json_object_object_get_ex(r->json, "lines", &arr) && arr) {
		len = json_object_array_length(arr);
		if (len == 0)
			return req_field_error(r, "lines", "must hold at least one line (or be left out)");
		memset(done, 0, (lines.nrows + 1) * sizeof(*done));
		for (i = 0; i < len; i++) {
			json_object *e = json_object_array_get_idx(arr, i);
			int64_t line = api_member_id(e, "lineId", ID_PUT_AWAY_LINE);
			int64_t qty = api_member_int(e, "quantity");

			for (k = 0; k < lines.nrows && db_cell_int(&lines, k, 0) != line; k++)
				;
			if (k == lines.nrows)
				return req_field_error(r, pool_printf(r->pool, "lines[%zu].lineId", i),
						       pool_printf(r->pool, "is not a line of %s", ref));
			if (qty < 0 || qty > db_cell_int(&lines, k, 5))
				return req_field_error(r, pool_printf(r->pool, "lines[%zu].quantity", i),
						       pool_printf(r->pool, "must be 0 to %s",
								   db_cell(&lines, k, 5)));
			done[k] = qty;
		}
	}
	for (i = 0; i < lines.nrows; i++) {
		int64_t item = db_cell_int(&lines, i, 1), qty = db_cell_int(&lines, i, 5), to = 0;
		struct ledger_entry e = {
			.workspace_id = api_ws(r), .line_id = item, .actor = api_actor(r),
			.reference_type = "PUTAWAY", .reference_id = ref,
			.allow_negative = settings.allow_negative,
		};
		struct ledger_line line;
		enum ledger_status st;

		if (done[i] > 0)
			st = ledger_lock_move(r->db, r->pool, api_ws(r), item, db_cell_int(&lines, i, 2),
					      db_cell_int(&task, 0, 1), db_cell_int(&lines, i, 3),
					      db_cell_int(&lines, i, 4), &to);
		else
			st = LEDGER_OK;
		if (st == LEDGER_OK)
			st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		/* The task's whole reservation goes (no more than is still
		 * reserved); what was put away leaves with it. */
		e.type = done[i] > 0 ? "PUTAWAY_OUT" : "RELEASE";
		e.delta[B_RESERVED] = -(qty < line.qty[B_RESERVED] ? qty : line.qty[B_RESERVED]);
		e.delta[B_ON_HAND] = -done[i];
		if ((e.delta[B_RESERVED] || e.delta[B_ON_HAND]) &&
		    (st = ledger_post(r->db, r->pool, &e, NULL)) != LEDGER_OK)
			return api_ledger_error(r, st);
		if (done[i] > 0) {
			struct ledger_entry in = {
				.workspace_id = api_ws(r), .line_id = to, .type = "PUTAWAY_IN",
				.actor = api_actor(r), .reference_type = "PUTAWAY", .reference_id = ref,
				.allow_negative = settings.allow_negative,
			};

			in.delta[B_ON_HAND] = done[i];
			if ((st = ledger_post(r->db, r->pool, &in, NULL)) != LEDGER_OK)
				return api_ledger_error(r, st);
		}
		if (db_query(r->db, r->pool,
			     "UPDATE put_away_lines SET quantity_put_away = ? WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(done[i]), ARG_INT(api_ws(r)), ARG_INT(db_cell_int(&lines, i, 0))),
			     NULL))
			return api_db_error(r, "put-away line");
	}
	if (db_query(r->db, r->pool,
		     "UPDATE put_away_tasks SET status = ?, completed_at = CURRENT_TIMESTAMP(3)"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(complete ? "COMPLETED" : "CANCELLED"), ARG_INT(api_ws(r)),
			     ARG_INT(id)), NULL))
		return api_db_error(r, "put-away task");
	return task_respond(r, id, 200);
}

int put_away_post(struct req *r)
{
	const char *action = api_body_string(r, "action");
	int64_t id = api_body_id(r, "putAwayId", ID_PUT_AWAY);

	if (!action)
		return create_task(r);
	if (!id)
		return req_field_error(r, "putAwayId", "is required with an action");
	return finish_task(r, id, action);
}

int put_away_action(struct req *r)
{
	return finish_task(r, api_path_id(r, ID_PUT_AWAY), api_body_string(r, "action"));
}
