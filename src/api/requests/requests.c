/* SPDX-License-Identifier: MIT */
/*
 * Stock requests: the request with its lines, comments and history;
 * creating, listing, editing while it is a draft.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/moves/moves.h"
#include "api/requests/requests.h"
#include "core/pool.h"
#include "core/util.h"

#define REQUEST_MAX_LINES 200

const char *const request_statuses[] = {
	"DRAFT", "SUBMITTED", "PENDING_APPROVAL", "APPROVED", "REJECTED", "ISSUED", "RECEIVED",
	"CANCELLED", NULL
};
const char *const request_priorities[] = { "LOW", "NORMAL", "HIGH", "URGENT", NULL };

const struct field request_query[] = {
	{ .name = "status", .type = FIELD_STRING, .max_length = 200,
	  .description = "Statuses, comma-separated (DRAFT,APPROVED)" },
	{ .name = "requestingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH },
	{ .name = "fulfillingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH },
	{ .name = "requestedBy", .type = FIELD_STRING, .max_length = 200 },
	{ .name = "priority", .type = FIELD_STRING, .values = request_priorities },
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_MATCH,
	  .description = "Requests with a line of a product of this category" },
	API_CREATED_RANGE_QUERY
	{ .name = "search", .type = FIELD_STRING, .max_length = 200,
	  .description = "Matches the number or the notes (substring)" },
	API_PAGE_QUERY
	FIELDS_END
};

static const struct field line_in[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED, .description = "At least 1" },
	FIELDS_END
};

#define REQUEST_HEAD_FIELDS \
	{ .name = "priority", .type = FIELD_STRING, .values = request_priorities, \
	  .description = "Default NORMAL" }, \
	{ .name = "neededBy", .type = FIELD_DATE, .flags = FIELD_NULLABLE }, \
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 2000 },

const struct field request_create_fields[] = {
	{ .name = "requestingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "Who asks" },
	{ .name = "fulfillingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "Who supplies; not the requesting location" },
	REQUEST_HEAD_FIELDS
	{ .name = "fromStocklist", .type = FIELD_BOOLEAN,
	  .description = "Lines from the requesting location's stocklist (suggestions above 0)" },
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_in,
	  .description = "1 to 200 lines, a product at most once (required without fromStocklist)" },
	FIELDS_END
};

const struct field request_update_fields[] = {
	REQUEST_HEAD_FIELDS
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_in, .description = "Replaces every line" },
	FIELDS_END
};

const struct field request_lines_fields[] = {
	{ .name = "lines", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .items = line_in,
	  .description = "Added; a product already on the request gets the new quantity" },
	{ .name = "replace", .type = FIELD_BOOLEAN, .description = "true: these replace every line" },
	FIELDS_END
};

const struct field request_comment_fields[] = {
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 2000 },
	FIELDS_END
};

#define SQL_LINE_SUM(expr) \
	"(SELECT IFNULL(SUM(" expr "), 0) FROM stock_request_lines l" \
	" WHERE l.workspace_id = r.workspace_id AND l.request_id = r.id)"
#define WHO_AND_WHEN(step, col) \
	{ .name = step "At", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .column = "r." col "_at" }, \
	{ .name = step "By", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "r." col "_by" },

#define REQUEST_COLUMNS \
	{ .name = "id", .type = FIELD_ID, .kind = ID_STOCK_REQUEST, .column = "r.id" }, \
	{ .name = "number", .type = FIELD_STRING, .column = "r.number", .description = "SR-000042" }, \
	{ .name = "requestingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, \
	  .column = "r.requesting_location_id" }, \
	{ .name = "fulfillingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, \
	  .column = "r.fulfilling_location_id" }, \
	{ .name = "status", .type = FIELD_STRING, .values = request_statuses, .column = "r.status" }, \
	{ .name = "priority", .type = FIELD_STRING, .values = request_priorities, .column = "r.priority" }, \
	{ .name = "neededBy", .type = FIELD_DATE, .flags = FIELD_NULLABLE, .column = "r.needed_by" }, \
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "r.notes" }, \
	{ .name = "requestedBy", .type = FIELD_STRING, .column = "r.requested_by" }, \
	{ .name = "createdAt", .type = FIELD_DATETIME, .column = "r.created_at" }, \
	{ .name = "updatedAt", .type = FIELD_DATETIME, .column = "r.updated_at" }, \
	WHO_AND_WHEN("submitted", "submitted") \
	WHO_AND_WHEN("approved", "approved") \
	WHO_AND_WHEN("rejected", "rejected") \
	WHO_AND_WHEN("issued", "issued") \
	WHO_AND_WHEN("received", "received") \
	WHO_AND_WHEN("cancelled", "cancelled") \
	{ .name = "transferId", .type = FIELD_ID, .kind = ID_TRANSFER, .flags = FIELD_NULLABLE, \
	  .column = "r.transfer_id", .description = "The transfer that fulfils it, from approval on" }, \
	{ .name = "lineCount", .type = FIELD_INTEGER, .column = SQL_LINE_SUM("1") }, \
	{ .name = "quantityRequested", .type = FIELD_INTEGER, .column = SQL_LINE_SUM("l.quantity_requested") }, \
	{ .name = "quantityApproved", .type = FIELD_INTEGER, .column = SQL_LINE_SUM("l.quantity_approved") }, \
	{ .name = "quantityIssued", .type = FIELD_INTEGER, .column = SQL_LINE_SUM("l.quantity_issued") }, \
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = SQL_LINE_SUM("l.quantity_received") },

const struct field request_columns[] = {
	REQUEST_COLUMNS
	FIELDS_END
};

static const struct field line_columns[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_STOCK_REQUEST_LINE, .column = "l.id" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "l.product_id" },
	{ .name = "quantityRequested", .type = FIELD_INTEGER, .column = "l.quantity_requested" },
	{ .name = "quantityApproved", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE,
	  .column = "l.quantity_approved", .description = "null until approved" },
	{ .name = "quantityIssued", .type = FIELD_INTEGER, .column = "l.quantity_issued" },
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = "l.quantity_received" },
	{ .name = "quantityOnHandAtRequest", .type = FIELD_INTEGER,
	  .column = "l.quantity_on_hand_at_request",
	  .description = "The requesting location's on hand when the line was made" },
	{ .name = "cancelReason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "l.cancel_reason",
	  .description = "Why the approval cut the line" },
	FIELDS_END
};

static const struct field comment_columns[] = {
	{ .name = "comment", .type = FIELD_STRING, .column = "e.comment" },
	{ .name = "author", .type = FIELD_STRING, .column = "e.actor" },
	{ .name = "createdAt", .type = FIELD_DATETIME, .column = "e.created_at" },
	FIELDS_END
};

static const struct field history_columns[] = {
	{ .name = "fromStatus", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "e.from_status",
	  .description = "null: created" },
	{ .name = "toStatus", .type = FIELD_STRING, .column = "e.to_status" },
	{ .name = "actor", .type = FIELD_STRING, .column = "e.actor" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "e.comment" },
	{ .name = "createdAt", .type = FIELD_DATETIME, .column = "e.created_at" },
	FIELDS_END
};

const struct field request_answer[] = {
	REQUEST_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_columns },
	{ .name = "comments", .type = FIELD_ARRAY, .items = comment_columns },
	{ .name = "history", .type = FIELD_ARRAY, .items = history_columns,
	  .description = "Every transition: who, when, from, to, comment" },
	FIELDS_END
};

const struct field request_lines_answer[] = {
	{ .name = "items", .type = FIELD_ARRAY, .items = line_columns },
	FIELDS_END
};

const struct field request_deleted_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "id", .type = FIELD_ID, .kind = ID_STOCK_REQUEST },
	FIELDS_END
};

/* ---- reading ---- */

/* Writes the rows of cols that sql selects for request id as an array. */
static int write_rows(struct req *r, struct jw *w, const struct field *cols, const char *sql,
		      int64_t id)
{
	struct db_result rows;
	size_t i;

	if (db_query(r->db, r->pool, pool_printf(r->pool, "%s%s", api_select(cols), sql),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &rows))
		return req_internal_error(r, "stock request");
	jw_open(w, '[');
	for (i = 0; i < rows.nrows; i++)
		api_write_row(w, &rows, i, cols);
	jw_close(w, ']');
	return 0;
}

static const char lines_sql[] =
	" FROM stock_request_lines l WHERE l.workspace_id = ? AND l.request_id = ? ORDER BY l.id";

int request_respond(struct req *r, int64_t id, int status)
{
	struct db_result head;
	struct jw w;
	int err;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM stock_requests r WHERE r.workspace_id = ? AND r.id = ?",
				 api_select(request_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &head))
		return req_internal_error(r, "stock request");
	if (head.nrows == 0)
		return api_not_found(r, ID_STOCK_REQUEST);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	api_write_members(&w, &head, 0, request_columns);
	jw_key(&w, "lines");
	if ((err = write_rows(r, &w, line_columns, lines_sql, id)))
		return err;
	jw_key(&w, "comments");
	if ((err = write_rows(r, &w, comment_columns,
			      " FROM stock_request_events e WHERE e.workspace_id = ? AND e.request_id = ?"
			      " AND e.kind = 'COMMENT' ORDER BY e.id", id)))
		return err;
	jw_key(&w, "history");
	if ((err = write_rows(r, &w, history_columns,
			      " FROM stock_request_events e WHERE e.workspace_id = ? AND e.request_id = ?"
			      " AND e.kind = 'TRANSITION' ORDER BY e.id", id)))
		return err;
	jw_close(&w, '}');
	return req_respond_jw(r, status, &w);
}

int request_get(struct req *r)
{
	return request_respond(r, api_path_id(r, ID_STOCK_REQUEST), 200);
}

int request_lines_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_STOCK_REQUEST);
	struct jw w;
	int status;

	if ((status = api_exists(r, ID_STOCK_REQUEST, id)) != 1)
		return status < 0 ? req_internal_error(r, "stock request") : api_not_found(r, ID_STOCK_REQUEST);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "items");
	if ((status = write_rows(r, &w, line_columns, lines_sql, id)))
		return status;
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

static const struct api_filter list_filters[] = {
	{ "requestingLocationId", ID_LOCATION, " AND r.requesting_location_id = ?" },
	{ "fulfillingLocationId", ID_LOCATION, " AND r.fulfilling_location_id = ?" },
	{ "requestedBy", ID_NONE, " AND r.requested_by = ?" },
	{ "priority", ID_NONE, " AND r.priority = ?" },
	{ "categoryId", ID_CATEGORY,
	  " AND EXISTS (SELECT 1 FROM stock_request_lines l JOIN products p"
	  " ON p.workspace_id = l.workspace_id AND p.id = l.product_id"
	  " WHERE l.workspace_id = r.workspace_id AND l.request_id = r.id AND p.category_id = ?)" },
};

static const struct api_list request_list_sql = {
	.count_sql = "SELECT COUNT(*) FROM stock_requests r WHERE r.workspace_id = ?",
	.rows_sql = " FROM stock_requests r WHERE r.workspace_id = ?",
	.rows_tail = " ORDER BY r.id DESC LIMIT ? OFFSET ?",
	.columns = request_columns,
};

/* The status filter: a comma-separated list of statuses. */
static int add_status_filter(struct req *r, struct query *where)
{
	const char *list = req_query(r, "status"), *p;

	if (!list || !*list)
		return 0;
	for (p = list; *p;) {
		size_t len = strcspn(p, ",");
		const char *const *s;

		for (s = request_statuses; *s && (strlen(*s) != len || strncmp(*s, p, len)); s++)
			;
		if (!*s)
			return req_field_error(r, "status", "must be statuses separated by commas: DRAFT, "
					       "SUBMITTED, PENDING_APPROVAL, APPROVED, REJECTED, ISSUED, "
					       "RECEIVED, CANCELLED");
		p += len + (p[len] == ',');
	}
	query_bind(where, " AND FIND_IN_SET(r.status, ?) > 0", ARG_TEXT(list));
	return 0;
}

int request_list(struct req *r)
{
	int64_t page, limit;
	struct query where;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_filters(r, list_filters, ARRAY_SIZE(list_filters), &where);
	if ((status = add_status_filter(r, &where)) ||
	    (status = api_add_date_range(r, &where, "r.created_at")))
		return status;
	/* INSTR, not LIKE: '%' and '_' in the search are plain text. */
	api_add_search_fragment(r, &where, " AND (INSTR(r.number, ?) > 0"
				" OR INSTR(IFNULL(r.notes, ''), ?) > 0)");
	return api_list_page(r, &request_list_sql, &where, page, limit);
}

/* ---- writing ---- */

int request_lock(struct req *r, int64_t id, struct request_row *out)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT id, requesting_location_id, fulfilling_location_id, IFNULL(transfer_id, 0),"
		     " number, status, requested_by FROM stock_requests WHERE workspace_id = ? AND id = ?"
		     " FOR UPDATE", DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "stock request");
	if (res.nrows == 0)
		return api_not_found(r, ID_STOCK_REQUEST);
	*out = (struct request_row){
		db_cell_int(&res, 0, 0), db_cell_int(&res, 0, 1), db_cell_int(&res, 0, 2),
		db_cell_int(&res, 0, 3), db_cell(&res, 0, 4), db_cell(&res, 0, 5), db_cell(&res, 0, 6),
	};
	return 0;
}

int request_event(struct req *r, int64_t id, const char *from, const char *to, const char *comment)
{
	if (db_query(r->db, r->pool,
		     "INSERT INTO stock_request_events (workspace_id, request_id, kind, from_status,"
		     " to_status, comment, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id), ARG_TEXT(to ? "TRANSITION" : "COMMENT"),
			     ARG_TEXT(from), ARG_TEXT(to), ARG_TEXT(comment), ARG_TEXT(api_actor(r))), NULL))
		return api_db_error(r, "stock request event");
	return 0;
}

int request_editable(const struct req *r, const struct request_row *row)
{
	return !strcmp(row->status, "DRAFT") ||
	       (!strcmp(row->status, "PENDING_APPROVAL") && !strcmp(row->requested_by, api_actor(r)));
}

/* 409 for a request that cannot be edited now. */
static int not_editable(struct req *r, const struct request_row *row)
{
	return req_error(r, 409, "Conflict",
			 pool_printf(r->pool, "stock request %s is %s: only a DRAFT (or, by its "
				     "requester, one PENDING_APPROVAL) can be edited", row->number,
				     row->status));
}

/*
 * Writes the lines of the body's array name to request id (requesting
 * location requesting): each product's quantity, with the requester's on
 * hand now; replace first removes every line.
 */
static int write_lines(struct req *r, int64_t id, int64_t requesting, const char *name, int replace)
{
	json_object *arr = NULL;
	size_t i, k, len;

	json_object_object_get_ex(r->json, name, &arr);
	len = arr ? json_object_array_length(arr) : 0;
	if (len < 1 || len > REQUEST_MAX_LINES)
		return req_field_error(r, name, "must hold 1 to 200 lines");
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		int64_t product = api_member_id(e, "productMasterId", ID_PRODUCT);

		if (api_member_int(e, "quantity") < 1)
			return req_field_error(r, pool_printf(r->pool, "%s[%zu].quantity", name, i),
					       "must be at least 1");
		for (k = 0; k < i; k++)
			if (api_member_id(json_object_array_get_idx(arr, k), "productMasterId",
					  ID_PRODUCT) == product)
				return req_field_error(r, pool_printf(r->pool, "%s[%zu].productMasterId",
								      name, i),
						       "is on an earlier line");
	}
	if (replace && db_query(r->db, r->pool,
				"DELETE FROM stock_request_lines WHERE workspace_id = ? AND request_id = ?",
				DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), NULL))
		return api_db_error(r, "stock request lines");
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (db_query(r->db, r->pool,
			     "INSERT INTO stock_request_lines (workspace_id, request_id, product_id,"
			     " quantity_requested, quantity_on_hand_at_request)"
			     " SELECT ?, ?, ?, ?, IFNULL(SUM(qty_on_hand), 0) FROM stock_lines"
			     " WHERE workspace_id = ? AND product_id = ? AND location_id = ?"
			     " ON DUPLICATE KEY UPDATE quantity_requested = VALUES(quantity_requested),"
			     " quantity_on_hand_at_request = VALUES(quantity_on_hand_at_request)",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id),
				     ARG_INT(api_member_id(e, "productMasterId", ID_PRODUCT)),
				     ARG_INT(api_member_int(e, "quantity")), ARG_INT(api_ws(r)),
				     ARG_INT(api_member_id(e, "productMasterId", ID_PRODUCT)),
				     ARG_INT(requesting)), NULL))
			return api_db_error(r, "stock request line");
	}
	return 0;
}

/* The lines of the requesting location's stocklist, suggestions above 0. */
static int lines_from_stocklist(struct req *r, int64_t id, int64_t requesting)
{
	struct db_result rows;
	size_t i, n = 0;
	int status;

	if ((status = request_stocklist_read(r, requesting, &rows)))
		return status;
	for (i = 0; i < rows.nrows; i++) {
		if (db_cell_int(&rows, i, 5) <= 0)
			continue;
		if (db_query(r->db, r->pool,
			     "INSERT INTO stock_request_lines (workspace_id, request_id, product_id,"
			     " quantity_requested, quantity_on_hand_at_request) VALUES (?, ?, ?, ?, ?)",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id), ARG_INT(db_cell_int(&rows, i, 0)),
				     ARG_INT(db_cell_int(&rows, i, 5)), ARG_INT(db_cell_int(&rows, i, 4))),
			     NULL))
			return api_db_error(r, "stock request line");
		n++;
	}
	if (n == 0)
		return req_field_error(r, "fromStocklist",
				       "the requesting location's stocklist suggests nothing");
	return 0;
}

int request_create(struct req *r)
{
	int64_t requesting = api_body_id(r, "requestingLocationId", ID_LOCATION);
	int64_t fulfilling = api_body_id(r, "fulfillingLocationId", ID_LOCATION), id;
	const char *stocklist = api_body_string(r, "fromStocklist"), *priority, *number;
	int from_stocklist = stocklist && !strcmp(stocklist, "true");
	struct db_result res;
	int status;

	if (requesting == fulfilling)
		return req_field_error(r, "fulfillingLocationId", "must differ from requestingLocationId");
	if (!from_stocklist && !api_body_has(r, "lines"))
		return req_field_error(r, "lines", "is required without fromStocklist");
	priority = api_body_string(r, "priority");
	if ((status = moves_next_number(r, "SR", &number)))
		return status;
	if (db_query(r->db, r->pool,
		     "INSERT INTO stock_requests (workspace_id, number, requesting_location_id,"
		     " fulfilling_location_id, priority, needed_by, notes, requested_by)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_TEXT(number), ARG_INT(requesting),
			     ARG_INT(fulfilling), ARG_TEXT(priority ? priority : "NORMAL"),
			     ARG_TEXT(api_body_string(r, "neededBy")), ARG_TEXT(api_body_string(r, "notes")),
			     ARG_TEXT(api_actor(r))), &res) || res.nrows != 1)
		return api_db_error(r, "stock request");
	id = db_cell_int(&res, 0, 0);
	if (from_stocklist && !api_body_has(r, "lines"))
		status = lines_from_stocklist(r, id, requesting);
	else
		status = write_lines(r, id, requesting, "lines", 0);
	if (status || (status = request_event(r, id, NULL, "DRAFT", NULL)))
		return status;
	return request_respond(r, id, 201);
}

int request_update(struct req *r)
{
	static const struct { const char *field, *sql; } head[] = {
		{ "priority", "UPDATE stock_requests SET priority = ? WHERE workspace_id = ? AND id = ?" },
		{ "neededBy", "UPDATE stock_requests SET needed_by = ? WHERE workspace_id = ? AND id = ?" },
		{ "notes", "UPDATE stock_requests SET notes = ? WHERE workspace_id = ? AND id = ?" },
	};
	struct request_row row;
	size_t i;
	int status;

	if ((status = request_lock(r, api_path_id(r, ID_STOCK_REQUEST), &row)))
		return status;
	if (!request_editable(r, &row))
		return not_editable(r, &row);
	for (i = 0; i < ARRAY_SIZE(head); i++)
		if (api_body_has(r, head[i].field) &&
		    db_query(r->db, r->pool, head[i].sql,
			     DB_ARGS(ARG_TEXT(api_body_string(r, head[i].field)), ARG_INT(api_ws(r)),
				     ARG_INT(row.id)), NULL))
			return api_db_error(r, "stock request");
	if (api_body_has(r, "lines") && (status = write_lines(r, row.id, row.requesting, "lines", 1)))
		return status;
	return request_respond(r, row.id, 200);
}

int request_lines_post(struct req *r)
{
	const char *replace = api_body_string(r, "replace");
	struct request_row row;
	int status;

	if ((status = request_lock(r, api_path_id(r, ID_STOCK_REQUEST), &row)))
		return status;
	if (!request_editable(r, &row))
		return not_editable(r, &row);
	if ((status = write_lines(r, row.id, row.requesting, "lines",
				  replace && !strcmp(replace, "true"))))
		return status;
	return request_respond(r, row.id, 200);
}

int request_delete(struct req *r)
{
	static const char *const sql[] = {
		/* A transfer of an earlier approval, cancelled by its rollback,
		 * stays, no longer tied to the request. */
		"UPDATE transfers SET stock_request_id = NULL WHERE workspace_id = ? AND stock_request_id = ?",
		"DELETE FROM stock_request_events WHERE workspace_id = ? AND request_id = ?",
		"DELETE FROM stock_request_lines WHERE workspace_id = ? AND request_id = ?",
		"DELETE FROM stock_requests WHERE workspace_id = ? AND id = ?",
	};
	struct request_row row;
	struct jw w;
	size_t i;
	int status;

	if ((status = request_lock(r, api_path_id(r, ID_STOCK_REQUEST), &row)))
		return status;
	if (strcmp(row.status, "DRAFT"))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "stock request %s is %s: only a DRAFT is deleted; "
					     "cancel it instead", row.number, row.status));
	for (i = 0; i < ARRAY_SIZE(sql); i++)
		if (db_query(r->db, r->pool, sql[i], DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row.id)), NULL))
			return api_db_error(r, "stock request delete");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_kstr(&w, "id", id_format(r->pool, ID_STOCK_REQUEST, row.id));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

int request_comment(struct req *r)
{
	struct request_row row;
	int status;

	if ((status = request_lock(r, api_path_id(r, ID_STOCK_REQUEST), &row)) ||
	    (status = request_event(r, row.id, NULL, NULL, api_body_string(r, "comment"))))
		return status;
	return request_respond(r, row.id, 201);
}
