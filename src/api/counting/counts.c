/* SPDX-License-Identifier: MIT */
/*
 * Inventory count sessions (FULL, CYCLE, SPOT, ANNUAL): managers start
 * one (one in progress per workspace and location), counters add items,
 * the system computes variances and their value, and completing with
 * applyAdjustments sets quantities to the counted ones through the ledger.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/counting/counting.h"
#include "api/counting/counts.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

static const char *const count_types[] = { "FULL", "CYCLE", "SPOT", "ANNUAL", NULL };
static const char *const count_statuses[] = { "IN_PROGRESS", "COMPLETED", "CANCELLED", NULL };

const struct field counts_query[] = {
	{ .name = "status", .type = FIELD_STRING, .values = count_statuses, .description = "Filter by status" },
	{ .name = "type", .type = FIELD_STRING, .values = count_types, .description = "Filter by type" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by location" },
	{ .name = "fromDate", .type = FIELD_DATETIME, .description = "Started from (ISO 8601)" },
	{ .name = "toDate", .type = FIELD_DATETIME, .description = "Started up to (ISO 8601)" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	FIELDS_END
};

const struct field count_start_fields[] = {
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 200,
	  .description = "Name for this count session" },
	{ .name = "type", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = count_types,
	  .description = "FULL, CYCLE, SPOT or ANNUAL" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION,
	  .description = "The location counted (default: the whole workspace)" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Additional notes" },
	FIELDS_END
};

const struct field count_complete_fields[] = {
	{ .name = "applyAdjustments", .type = FIELD_BOOLEAN,
	  .description = "Whether to apply stock adjustments (default false)" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Notes about completion" },
	FIELDS_END
};

const struct field counts_summary_query[] = {
	{ .name = "fromDate", .type = FIELD_DATETIME, .description = "Filter from date (ISO 8601)" },
	{ .name = "toDate", .type = FIELD_DATETIME, .description = "Filter to date (ISO 8601)" },
	FIELDS_END
};


/* ---------------------------------------------------------------- objects */


/*
 * A count session: the SELECT list, the JSON and the schema of every
 * answer that shows one. The aggregates are computed from the items in
 * the same query, never stored: missing is the (positive) value of the
 * negative variances, excess that of the positive ones.
 */
const struct field count_columns[] = {
	{ .name = "id", .column = "c.id", .type = FIELD_ID, .kind = ID_COUNT },
	{ .name = "name", .column = "c.name", .type = FIELD_STRING },
	{ .name = "type", .column = "c.count_type", .type = FIELD_STRING, .values = count_types },
	{ .name = "locationId", .column = "c.location_id", .type = FIELD_ID, .kind = ID_LOCATION,
	  .flags = FIELD_NULLABLE, .description = "null: the whole workspace" },
	{ .name = "notes", .column = "c.notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "status", .column = "c.status", .type = FIELD_STRING, .values = count_statuses },
	{ .name = "startedAt", .column = "c.started_at", .type = FIELD_DATETIME },
	{ .name = "startedBy", .column = "c.started_by", .type = FIELD_STRING },
	{ .name = "completedAt", .column = "c.completed_at", .type = FIELD_DATETIME,
	  .flags = FIELD_NULLABLE, .description = "When it was completed or cancelled" },
	{ .name = "completedBy", .column = "c.completed_by", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "completionNotes", .column = "c.completion_notes", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "adjustmentsApplied", .column = "c.adjustments_applied", .type = FIELD_BOOLEAN },
	{ .name = "itemsCounted", .column = "COUNT(i.id)", .type = FIELD_INTEGER },
	{ .name = "itemsWithDiscrepancies", .column = "COUNT(IF(i.variance <> 0, i.id, NULL))",
	  .type = FIELD_INTEGER },
	{ .name = "totalValueMissing",
	  .column = "IFNULL(SUM(IF(i.variance_value < 0, -i.variance_value, 0)), 0)",
	  .type = FIELD_NUMBER, .description = "The value of the negative variances, as a positive number" },
	{ .name = "totalValueExcess",
	  .column = "IFNULL(SUM(IF(i.variance_value > 0, i.variance_value, 0)), 0)",
	  .type = FIELD_NUMBER, .description = "The value of the positive variances" },
	{ .name = "netVarianceValue", .column = "IFNULL(SUM(i.variance_value), 0)", .type = FIELD_NUMBER },
	FIELDS_END
};

/* After the SELECT list of count_columns; callers append conditions,
 * then " GROUP BY c.id". */
static const char count_from[] =
	" FROM inventory_counts c LEFT JOIN inventory_count_items i"
	" ON i.workspace_id = c.workspace_id AND i.count_id = c.id"
	" WHERE c.workspace_id = ?";

/* Answers count id with status_ok. Returns the status set. */
static int count_respond(struct req *r, int64_t id, int status_ok)
{
	return api_respond_one(r, count_columns, count_from, " AND c.id = ? GROUP BY c.id", ID_COUNT,
			       id, status_ok);
}

/* ---------------------------------------------------------------- helpers */

static int body_bool(struct req *r, const char *name)
{
	json_object *v;

	return json_object_object_get_ex(r->json, name, &v) && v && json_object_get_boolean(v);
}

/*
 * Reads and locks count [id] of the path for a change. Returns 0 with
 * *id set and *location its location (0: the whole workspace), or the
 * status set: 404, or 409 when it is not in progress.
 */
int count_lock_in_progress(struct req *r, int64_t *id, int64_t *location)
{
	struct db_result res;
	const char *status;

	*id = api_path_id(r, ID_COUNT);
	if (!*id)
		return api_not_found(r, ID_COUNT);
	if (db_query(r->db, r->pool,
		     "SELECT status, IFNULL(location_id, 0) FROM inventory_counts"
		     " WHERE workspace_id = ? AND id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(*id)), &res))
		return req_internal_error(r, "count lock");
	if (!res.nrows)
		return api_not_found(r, ID_COUNT);
	status = db_cell(&res, 0, 0);
	if (strcmp(status, "IN_PROGRESS"))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "the inventory count is %s, not IN_PROGRESS", status));
	if (location)
		*location = db_cell_int(&res, 0, 1);
	return 0;
}


/* ---------------------------------------------------------------- sessions */

/* 409: count id (0: unknown) is in progress with an overlapping scope. */
static int count_in_progress(struct req *r, int64_t id)
{
	struct jw w;

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "error", "Conflict");
	jw_kstr(&w, "message", "an inventory count is already in progress");
	jw_kstr(&w, "countId", id ? id_format(r->pool, ID_COUNT, id) : NULL);
	jw_close(&w, '}');
	return req_respond_jw(r, 409, &w);
}

int count_start(struct req *r)
{
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	struct db_result res;

	/* The location, when given, was checked by the dispatcher. Counts
	 * whose scopes overlap are never in progress together: a
	 * workspace-wide count overlaps every count. The workspace's guard
	 * row orders concurrent starts, so exactly one of them sees no other. */
	if (db_query(r->db, r->pool,
		     "INSERT INTO count_start_guards (workspace_id) VALUES (?)"
		     " ON DUPLICATE KEY UPDATE workspace_id = workspace_id",
		     DB_ARGS(ARG_INT(api_ws(r))), NULL) ||
	    db_query(r->db, r->pool,
		     "SELECT id FROM inventory_counts WHERE workspace_id = ? AND in_progress_key IS NOT NULL"
		     " AND (? = 0 OR in_progress_key IN (0, ?)) LIMIT 1",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location), ARG_INT(location)), &res))
		return req_internal_error(r, "counts in progress");
	if (res.nrows)
		return count_in_progress(r, db_cell_int(&res, 0, 0));
	if (db_query(r->db, r->pool,
		     "INSERT INTO inventory_counts (workspace_id, location_id, name, count_type, notes,"
		     " started_by) VALUES (?, ?, ?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_ID(location), ARG_TEXT(api_body_string(r, "name")),
			     ARG_TEXT(api_body_string(r, "type")), ARG_TEXT(api_body_string(r, "notes")),
			     ARG_TEXT(api_actor(r))), &res)) {
		if (db_errno(r->db) == DB_ER_DUP_ENTRY)
			return count_in_progress(r, 0);
		return api_db_error(r, "count insert");
	}
	return count_respond(r, (int64_t)res.insert_id, 201);
}

int count_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_COUNT);

	return id ? count_respond(r, id, 200) : api_not_found(r, ID_COUNT);
}

/* The equality filters of the list and the column each one constrains. */
static const struct api_filter count_filters[] = {
	{ "status", ID_NONE, " AND c.status = ?" },
	{ "type", ID_NONE, " AND c.count_type = ?" },
	{ "locationId", ID_LOCATION, " AND c.location_id = ?" },
};

int counts_list(struct req *r)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM inventory_counts c WHERE c.workspace_id = ?",
		.rows_sql = count_from,
		.rows_tail = " GROUP BY c.id ORDER BY c.id DESC LIMIT ? OFFSET ?",
		.columns = count_columns,
	};
	struct query where;
	int64_t page, limit;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_filters(r, count_filters, ARRAY_SIZE(count_filters), &where);
	/* toDate includes what it names (a plain date: that whole day). */
	if ((status = api_add_date_range(r, &where, "c.started_at")))
		return status;
	return api_list_page(r, &list, &where, page, limit);
}

/* Ends count id as new_status (COMPLETED or CANCELLED) by the caller. */
static int count_close(struct req *r, int64_t id, const char *new_status, const char *notes,
		       int applied)
{
	if (db_query(r->db, r->pool,
		     "UPDATE inventory_counts SET status = ?, completed_by = ?, completed_at = NOW(3),"
		     " completion_notes = ?, adjustments_applied = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(new_status), ARG_TEXT(api_actor(r)), ARG_TEXT(notes),
			     ARG_INT(applied), ARG_INT(api_ws(r)), ARG_INT(id)), NULL))
		return api_db_error(r, "count close");
	return 0;
}

int count_cancel(struct req *r)
{
	int64_t id;
	int status;

	if ((status = count_lock_in_progress(r, &id, NULL)) ||
	    (status = count_close(r, id, "CANCELLED", NULL, 0)))
		return status;
	return count_respond(r, id, 200);
}

/* ---------------------------------------------------------------- completion */

enum apply_col {
	AP_ITEM, AP_VARIANCE, AP_UNIT_COST, AP_VALUE, AP_REASON, AP_PRODUCT, AP_LOCATION, AP_LOT,
	AP_BIN
};

/* Posts one item's variance by the ledger's rule and records its
 * pre-approved adjustment. */
static int apply_item(struct req *r, const struct db_result *items, size_t i, const char *count_ref,
		      const struct ledger_settings *settings)
{
	int64_t ws = api_ws(r), delta = db_cell_int(items, i, AP_VARIANCE);
	const char *reason = db_cell(items, i, AP_REASON), *label;
	struct ledger_scope scope = { 0 };
	struct ledger_scope_lines lines;
	struct ledger_scope_result posted;
	struct ledger_entry e = { 0 };
	struct db_result res;
	enum ledger_status st;

	scope.product_id = db_cell_int(items, i, AP_PRODUCT);
	scope.location_id = db_cell_int(items, i, AP_LOCATION);
	scope.lot_id = db_cell_int(items, i, AP_LOT);
	scope.bin_id = db_cell_int(items, i, AP_BIN);
	if ((st = ledger_scope_lock(r->db, r->pool, ws, &scope, &lines)) != LEDGER_OK)
		return api_ledger_error(r, st);
	e.workspace_id = ws;
	e.type = "COUNT_ADJUSTMENT";
	e.comment = reason && *reason ?
		    pool_printf(r->pool, "Inventory count %s: %s", count_ref, reason) :
		    pool_printf(r->pool, "Inventory count %s", count_ref);
	e.actor = api_actor(r);
	e.reference_type = "COUNT";
	e.reference_id = count_ref;
	e.allow_negative = settings->allow_negative;
	st = ledger_post_scope(r->db, r->pool, &e, &scope, &lines, delta, &posted);
	if (st == LEDGER_NEGATIVE) {
		label = id_format(r->pool, ID_COUNT_ITEM, db_cell_int(items, i, AP_ITEM));
		return req_error(r, 409, "Insufficient stock",
				 pool_printf(r->pool, "applying %s (%+lld, from %s) would leave available"
					     " stock below zero; nothing was applied", label, (long long)delta,
					     id_format(r->pool, ID_ITEM, posted.failed_line_id)));
	}
	if (st != LEDGER_OK)
		return api_scope_error(r, st, &scope, &lines);
	if (db_query(r->db, r->pool,
		     "INSERT INTO stock_adjustments (workspace_id, stock_line_id, product_id, location_id,"
		     " lot_id, bin_id, adjustment_type, quantity_change, quantity_before, quantity_after,"
		     " unit_cost, cost_impact, reason, notes, status, requires_approval, created_by,"
		     " approved_by, approved_at, transaction_id)"
		     " VALUES (?, ?, ?, ?, ?, ?, 'CORRECTION', ?, ?, ?, ?, ?, ?, ?, 'APPLIED', 0, ?, ?,"
		     " NOW(3), ?)",
		     DB_ARGS(ARG_INT(ws), ARG_ID(posted.line_id), ARG_INT(scope.product_id),
			     ARG_INT(scope.location_id), ARG_ID(scope.lot_id), ARG_ID(scope.bin_id),
			     ARG_INT(delta), ARG_INT(posted.before), ARG_INT(posted.after),
			     ARG_TEXT(db_cell(items, i, AP_UNIT_COST)), ARG_TEXT(db_cell(items, i, AP_VALUE)),
			     ARG_TEXT(pool_printf(r->pool, "Inventory count %s", count_ref)),
			     ARG_TEXT(reason), ARG_TEXT(api_actor(r)), ARG_TEXT(api_actor(r)),
			     ARG_INT(posted.transaction_id)), &res))
		return api_db_error(r, "count adjustment");
	if (db_query(r->db, r->pool,
		     "UPDATE inventory_count_items SET transaction_id = ?, adjustment_id = ?"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(posted.transaction_id), ARG_INT((int64_t)res.insert_id), ARG_INT(ws),
			     ARG_INT(db_cell_int(items, i, AP_ITEM))), NULL))
		return req_internal_error(r, "count item applied");
	return 0;
}

/* The stock lines in an item's scope, joined to inventory_count_items i. */
#define ITEM_LINES \
	" JOIN stock_lines sl ON sl.workspace_id = i.workspace_id AND sl.product_id = i.product_id" \
	" AND sl.location_id = i.location_id AND (i.lot_key = 0 OR sl.lot_key = i.lot_key)" \
	" AND (i.bin_key = 0 OR sl.bin_key = i.bin_key)"

/*
 * Applies count id: every item's variance (counted - snapshot) is posted
 * through the ledger, so movements after the snapshot stay. All lines of
 * the counted scopes are locked first in id order; all are dated
 * last_counted_at.
 */
static int apply_count(struct req *r, int64_t id)
{
	int64_t ws = api_ws(r), *line_ids;
	const char *count_ref = id_format(r->pool, ID_COUNT, id);
	struct ledger_settings settings;
	struct db_result items, lines;
	enum ledger_status st;
	size_t i;
	int status;

	if (db_query(r->db, r->pool,
		     "SELECT i.id, i.variance, i.unit_cost, i.variance_value, i.reason, i.product_id,"
		     " i.location_id, i.lot_key, i.bin_key FROM inventory_count_items i"
		     " WHERE i.workspace_id = ? AND i.count_id = ? ORDER BY i.id",
		     DB_ARGS(ARG_INT(ws), ARG_INT(id)), &items))
		return req_internal_error(r, "count items");
	if (!items.nrows)
		return 0;
	if (db_query(r->db, r->pool,
		     "SELECT DISTINCT sl.id FROM inventory_count_items i" ITEM_LINES
		     " WHERE i.workspace_id = ? AND i.count_id = ?",
		     DB_ARGS(ARG_INT(ws), ARG_INT(id)), &lines))
		return req_internal_error(r, "count lines");
	line_ids = pool_calloc(r->pool, lines.nrows + 1, sizeof(*line_ids));
	for (i = 0; i < lines.nrows; i++)
		line_ids[i] = db_cell_int(&lines, i, 0);
	if ((st = ledger_lock_lines(r->db, r->pool, ws, line_ids, lines.nrows)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (ledger_settings_read(r->db, r->pool, ws, &settings))
		return req_internal_error(r, "ledger settings");
	for (i = 0; i < items.nrows; i++)
		if (db_cell_int(&items, i, AP_VARIANCE) != 0 &&
		    (status = apply_item(r, &items, i, count_ref, &settings)))
			return status;
	/* A count dates every line it counted (and those it made); the date
	 * is not a quantity, so it is set here rather than by the ledger. */
	if (db_query(r->db, r->pool,
		     "UPDATE inventory_count_items i" ITEM_LINES " SET sl.last_counted_at = NOW(3) WHERE i.workspace_id = ? AND i.count_id = ?",
		     DB_ARGS(ARG_INT(ws), ARG_INT(id)), NULL))
		return req_internal_error(r, "last counted");
	return 0;
}

int count_complete(struct req *r)
{
	int apply = body_bool(r, "applyAdjustments"), status;
	int64_t id;

	if ((status = count_lock_in_progress(r, &id, NULL)) ||
	    (apply && (status = apply_count(r, id))) ||
	    (status = count_close(r, id, "COMPLETED", api_body_string(r, "notes"), apply)))
		return status;
	return count_respond(r, id, 200);
}

/* ---------------------------------------------------------------- summary */

/* Cancelled counts are counted by status and type, but their items are
 * abandoned findings: they are left out of the item and value totals. */
#define SUMMARY_TOTALS \
	{ .name = "totalCounts", .column = "COUNT(DISTINCT c.id)", .type = FIELD_INTEGER }, \
	{ .name = "inProgress", .column = "COUNT(DISTINCT IF(c.status = 'IN_PROGRESS', c.id, NULL))", \
	  .type = FIELD_INTEGER }, \
	{ .name = "completed", .column = "COUNT(DISTINCT IF(c.status = 'COMPLETED', c.id, NULL))", \
	  .type = FIELD_INTEGER }, \
	{ .name = "cancelled", .column = "COUNT(DISTINCT IF(c.status = 'CANCELLED', c.id, NULL))", \
	  .type = FIELD_INTEGER }, \
	{ .name = "itemsCounted", .column = "COUNT(IF(c.status <> 'CANCELLED', i.id, NULL))", \
	  .type = FIELD_INTEGER, .description = "Items of counts not cancelled" }, \
	{ .name = "itemsWithDiscrepancies", \
	  .column = "COUNT(IF(c.status <> 'CANCELLED' AND i.variance <> 0, i.id, NULL))", \
	  .type = FIELD_INTEGER }, \
	{ .name = "totalValueMissing", \
	  .column = "IFNULL(SUM(IF(c.status <> 'CANCELLED' AND i.variance_value < 0," \
		    " -i.variance_value, 0)), 0)", .type = FIELD_NUMBER }, \
	{ .name = "totalValueExcess", \
	  .column = "IFNULL(SUM(IF(c.status <> 'CANCELLED' AND i.variance_value > 0," \
		    " i.variance_value, 0)), 0)", .type = FIELD_NUMBER }, \
	{ .name = "netVarianceValue", \
	  .column = "IFNULL(SUM(IF(c.status <> 'CANCELLED', i.variance_value, 0)), 0)", \
	  .type = FIELD_NUMBER },

static const struct field summary_by_type[] = {
	{ .name = "FULL", .column = "COUNT(DISTINCT IF(c.count_type = 'FULL', c.id, NULL))",
	  .type = FIELD_INTEGER },
	{ .name = "CYCLE", .column = "COUNT(DISTINCT IF(c.count_type = 'CYCLE', c.id, NULL))",
	  .type = FIELD_INTEGER },
	{ .name = "SPOT", .column = "COUNT(DISTINCT IF(c.count_type = 'SPOT', c.id, NULL))",
	  .type = FIELD_INTEGER },
	{ .name = "ANNUAL", .column = "COUNT(DISTINCT IF(c.count_type = 'ANNUAL', c.id, NULL))",
	  .type = FIELD_INTEGER },
	FIELDS_END
};

/* The summary's one row: the totals, then the counts by type. */
#define SUMMARY_COLUMNS \
	SUMMARY_TOTALS \
	{ .name = "byType", .type = FIELD_OBJECT, .items = summary_by_type, \
	  .description = "Counts started, by type" },

static const struct field summary_columns[] = {
	SUMMARY_COLUMNS
	FIELDS_END
};

static const struct field summary_period_fields[] = {
	{ .name = "from", .type = FIELD_STRING, .flags = FIELD_NULLABLE,
	  .description = "fromDate as given" },
	{ .name = "to", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .description = "toDate as given" },
	FIELDS_END
};

const struct field counts_summary_fields[] = {
	{ .name = "period", .type = FIELD_OBJECT, .items = summary_period_fields },
	SUMMARY_COLUMNS
	FIELDS_END
};

/* Query parameter name, or NULL when absent or empty. */
static const char *query_given(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v && *v ? v : NULL;
}

int counts_summary(struct req *r)
{
	struct db_result res;
	struct query q;
	struct jw w;
	int status;

	query_init(&q, r->pool, api_select(summary_columns));
	query_bind(&q, count_from, ARG_INT(api_ws(r)));
	if ((status = api_add_date_range(r, &q, "c.started_at")))
		goto out;
	if (query_run(&q, r->db, &res) || res.nrows != 1) {
		status = req_internal_error(r, "count summary");
		goto out;
	}
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "period");
	jw_open(&w, '{');
	jw_kstr(&w, "from", query_given(r, "fromDate"));
	jw_kstr(&w, "to", query_given(r, "toDate"));
	jw_close(&w, '}');
	api_write_members(&w, &res, 0, summary_columns);
	jw_close(&w, '}');
	status = req_respond_jw(r, 200, &w);
out:
	return status;
}
