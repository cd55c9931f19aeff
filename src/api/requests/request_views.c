/* SPDX-License-Identifier: MIT */
/*
 * What the workspace's stock requests add up to: the approvals waiting,
 * the dashboard, the figures by category, the values of the filters; and
 * the product lists a requester picks from (search, stocklist).
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/requests/requests.h"
#include "core/pool.h"
#include "core/util.h"

#define DATE_RANGE_QUERY \
	{ .name = "fromDate", .type = FIELD_DATE, .description = "Requests created on or after (default: 30 days ago)" }, \
	{ .name = "toDate", .type = FIELD_DATE, .description = "... and on or before (default: today)" },

const struct field request_pending_query[] = {
	API_PAGE_QUERY
	FIELDS_END
};

const struct field request_dashboard_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Requests from or to this location" },
	DATE_RANGE_QUERY
	FIELDS_END
};

const struct field request_by_category_query[] = {
	DATE_RANGE_QUERY
	FIELDS_END
};

const struct field request_search_query[] = {
	{ .name = "q", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 200,
	  .description = "Part of the product's name or SKU" },
	{ .name = "fulfillingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH },
	{ .name = "requestingLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "At most (default: 20, max: 100)" },
	FIELDS_END
};

const struct field request_stocklist_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "The requesting location" },
	FIELDS_END
};

/* ---- pending approvals ---- */

static const struct api_list pending_sql = {
	.count_sql = "SELECT COUNT(*) FROM stock_requests r WHERE r.workspace_id = ?"
		     " AND r.status = 'PENDING_APPROVAL' AND r.requested_by <> ?",
	.rows_sql = " FROM stock_requests r WHERE r.workspace_id = ?"
		    " AND r.status = 'PENDING_APPROVAL' AND r.requested_by <> ?",
	.rows_tail = " ORDER BY r.submitted_at, r.id LIMIT ? OFFSET ?",
	.columns = request_columns,
};

int request_pending_approvals(struct req *r)
{
	int64_t page, limit;
	struct query where;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	query_arg(&where, ARG_TEXT(api_actor(r)));
	return api_list_page(r, &pending_sql, &where, page, limit);
}

/* ---- dashboard and figures ---- */

/* The period of the query: fromDate and toDate, by default the last 30
 * days. Returns 0 or the 400 status set. */
static int period(struct req *r, const char **from, const char **to)
{
	struct db_result res;
	const char *f = req_query(r, "fromDate"), *t = req_query(r, "toDate");

	if (db_query(r->db, r->pool,
		     "SELECT DATE_FORMAT(IFNULL(?, CURRENT_DATE - INTERVAL 30 DAY), '%Y-%m-%d'),"
		     " DATE_FORMAT(IFNULL(?, CURRENT_DATE), '%Y-%m-%d')",
		     DB_ARGS(ARG_TEXT(f && *f ? f : NULL), ARG_TEXT(t && *t ? t : NULL)), &res) ||
	    res.nrows != 1)
		return req_internal_error(r, "period");
	*from = db_cell(&res, 0, 0);
	*to = db_cell(&res, 0, 1);
	if (strcmp(*from, *to) > 0)
		return req_field_error(r, "toDate", "must not be before fromDate");
	return 0;
}

/* The requests of the dashboard: created in the period, of the location
 * (either side) when given: the placeholders are workspace, from, to,
 * location, location. */
#define DASH_REQUESTS \
	" FROM stock_requests r WHERE r.workspace_id = ? AND r.created_at >= ?" \
	" AND r.created_at < ? + INTERVAL 1 DAY" \
	" AND (? = 0 OR r.requesting_location_id = ? OR r.fulfilling_location_id = ?)"
#define DASH_ARGS(ws, from, to, loc) \
	DB_ARGS(ARG_INT(ws), ARG_TEXT(from), ARG_TEXT(to), ARG_INT(loc), ARG_INT(loc), ARG_INT(loc))

static const struct field status_count_fields[] = {
	{ .name = "DRAFT", .type = FIELD_INTEGER }, { .name = "SUBMITTED", .type = FIELD_INTEGER },
	{ .name = "PENDING_APPROVAL", .type = FIELD_INTEGER }, { .name = "APPROVED", .type = FIELD_INTEGER },
	{ .name = "REJECTED", .type = FIELD_INTEGER }, { .name = "ISSUED", .type = FIELD_INTEGER },
	{ .name = "RECEIVED", .type = FIELD_INTEGER }, { .name = "CANCELLED", .type = FIELD_INTEGER },
	FIELDS_END
};

static const struct field fill_rate_fields[] = {
	{ .name = "issuedOfApproved", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE,
	  .description = "Issued / approved quantity (null: nothing approved)" },
	{ .name = "approvedOfRequested", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE,
	  .description = "Approved / requested quantity of the period's requests, cancelled ones "
			 "left out (null: nothing requested)" },
	FIELDS_END
};

static const struct field top_product_columns[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "l.product_id" },
	{ .name = "name", .type = FIELD_STRING, .column = "MIN(p.name)" },
	{ .name = "quantityRequested", .type = FIELD_INTEGER, .column = "SUM(l.quantity_requested)" },
	{ .name = "requestCount", .type = FIELD_INTEGER, .column = "COUNT(DISTINCT l.request_id)" },
	FIELDS_END
};

const struct field request_dashboard_answer[] = {
	{ .name = "fromDate", .type = FIELD_DATE },
	{ .name = "toDate", .type = FIELD_DATE },
	{ .name = "countsByStatus", .type = FIELD_OBJECT, .items = status_count_fields,
	  .description = "Requests created in the period, by status now" },
	{ .name = "waitingForApproval", .type = FIELD_INTEGER,
	  .description = "PENDING_APPROVAL now, whenever created" },
	{ .name = "overdue", .type = FIELD_INTEGER,
	  .description = "neededBy passed and not issued, received, rejected or cancelled" },
	{ .name = "fillRate", .type = FIELD_OBJECT, .items = fill_rate_fields },
	{ .name = "medianHoursSubmitToIssue", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE,
	  .description = "Of the requests of the period issued (null: none)" },
	{ .name = "topProducts", .type = FIELD_ARRAY, .items = top_product_columns,
	  .description = "The 10 most requested by quantity (cancelled requests left out)" },
	FIELDS_END
};

/* The median of the n sorted values of column col. */
static double median(const struct db_result *res, size_t col)
{
	size_t n = res->nrows;

	if (n % 2)
		return db_cell_double(res, n / 2, col);
	return (db_cell_double(res, n / 2 - 1, col) + db_cell_double(res, n / 2, col)) / 2;
}

/* A ratio, or null when the whole is 0. */
static void write_ratio(struct jw *w, const char *name, double part, double whole)
{
	jw_key(w, name);
	if (whole > 0)
		jw_decimal(w, pool_printf(w->pool, "%.4f", part / whole));
	else
		jw_null(w);
}

int request_dashboard(struct req *r)
{
	int64_t loc = id_parse(ID_LOCATION, req_query(r, "locationId")), ws = api_ws(r);
	struct db_result counts, totals, hours, top, now;
	const char *from, *to;
	const char *const *s;
	struct jw w;
	size_t i;
	int status;

	if ((status = period(r, &from, &to)))
		return status;
	if (db_query(r->db, r->pool, "SELECT r.status, COUNT(*)" DASH_REQUESTS " GROUP BY r.status",
		     DASH_ARGS(ws, from, to, loc), &counts) ||
	    db_query(r->db, r->pool,
		     "SELECT IFNULL(SUM(l.quantity_requested), 0), IFNULL(SUM(l.quantity_approved), 0),"
		     " IFNULL(SUM(l.quantity_issued), 0)"
		     " FROM stock_request_lines l JOIN stock_requests r ON r.workspace_id = l.workspace_id"
		     " AND r.id = l.request_id WHERE r.workspace_id = ? AND r.created_at >= ?"
		     " AND r.created_at < ? + INTERVAL 1 DAY"
		     " AND (? = 0 OR r.requesting_location_id = ? OR r.fulfilling_location_id = ?)"
		     " AND r.status <> 'CANCELLED'",
		     DASH_ARGS(ws, from, to, loc), &totals) ||
	    db_query(r->db, r->pool,
		     "SELECT TIMESTAMPDIFF(SECOND, r.submitted_at, r.issued_at) / 3600" DASH_REQUESTS
		     " AND r.issued_at IS NOT NULL AND r.submitted_at IS NOT NULL ORDER BY 1",
		     DASH_ARGS(ws, from, to, loc), &hours) ||
	    db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM stock_request_lines l JOIN stock_requests r"
				 " ON r.workspace_id = l.workspace_id AND r.id = l.request_id"
				 " JOIN products p ON p.workspace_id = l.workspace_id AND p.id = l.product_id"
				 " WHERE r.workspace_id = ? AND r.created_at >= ?"
				 " AND r.created_at < ? + INTERVAL 1 DAY"
				 " AND (? = 0 OR r.requesting_location_id = ? OR r.fulfilling_location_id = ?)"
				 " AND r.status <> 'CANCELLED' GROUP BY l.product_id"
				 " ORDER BY SUM(l.quantity_requested) DESC, l.product_id LIMIT 10",
				 api_select(top_product_columns)),
		     DASH_ARGS(ws, from, to, loc), &top) ||
	    db_query(r->db, r->pool,
		     "SELECT SUM(r.status = 'PENDING_APPROVAL'),"
		     " SUM(r.needed_by < CURRENT_DATE AND r.status NOT IN"
		     " ('ISSUED', 'RECEIVED', 'REJECTED', 'CANCELLED'))"
		     " FROM stock_requests r WHERE r.workspace_id = ?"
		     " AND (? = 0 OR r.requesting_location_id = ? OR r.fulfilling_location_id = ?)",
		     DB_ARGS(ARG_INT(ws), ARG_INT(loc), ARG_INT(loc), ARG_INT(loc)), &now))
		return req_internal_error(r, "dashboard");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "fromDate", from);
	jw_kstr(&w, "toDate", to);
	jw_key(&w, "countsByStatus");
	jw_open(&w, '{');
	for (s = request_statuses; *s; s++) {
		int64_t n = 0;

		for (i = 0; i < counts.nrows; i++)
			if (!strcmp(db_cell(&counts, i, 0), *s))
				n = db_cell_int(&counts, i, 1);
		jw_kint(&w, *s, n);
	}
	jw_close(&w, '}');
	jw_kint(&w, "waitingForApproval", db_cell_int(&now, 0, 0));
	jw_kint(&w, "overdue", db_cell_int(&now, 0, 1));
	jw_key(&w, "fillRate");
	jw_open(&w, '{');
	write_ratio(&w, "issuedOfApproved", db_cell_double(&totals, 0, 2), db_cell_double(&totals, 0, 1));
	write_ratio(&w, "approvedOfRequested", db_cell_double(&totals, 0, 1),
		    db_cell_double(&totals, 0, 0));
	jw_close(&w, '}');
	jw_key(&w, "medianHoursSubmitToIssue");
	if (hours.nrows)
		jw_decimal(&w, pool_printf(r->pool, "%.2f", median(&hours, 0)));
	else
		jw_null(&w);
	jw_key(&w, "topProducts");
	jw_open(&w, '[');
	for (i = 0; i < top.nrows; i++)
		api_write_row(&w, &top, i, top_product_columns);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

static const struct field by_category_columns[] = {
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_NULLABLE,
	  .column = "p.category_id", .description = "null: products without a category" },
	{ .name = "categoryName", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "MIN(c.name)" },
	{ .name = "requestCount", .type = FIELD_INTEGER, .column = "COUNT(DISTINCT l.request_id)" },
	{ .name = "lineCount", .type = FIELD_INTEGER, .column = "COUNT(*)" },
	{ .name = "quantityRequested", .type = FIELD_INTEGER, .column = "SUM(l.quantity_requested)" },
	{ .name = "quantityApproved", .type = FIELD_INTEGER, .column = "IFNULL(SUM(l.quantity_approved), 0)" },
	{ .name = "quantityIssued", .type = FIELD_INTEGER, .column = "SUM(l.quantity_issued)" },
	FIELDS_END
};

const struct field request_by_category_answer[] = {
	{ .name = "fromDate", .type = FIELD_DATE },
	{ .name = "toDate", .type = FIELD_DATE },
	{ .name = "items", .type = FIELD_ARRAY, .items = by_category_columns,
	  .description = "Requests created in the period, cancelled ones left out, by category name" },
	FIELDS_END
};

int request_by_category(struct req *r)
{
	struct db_result rows;
	const char *from, *to;
	struct jw w;
	size_t i;
	int status;

	if ((status = period(r, &from, &to)))
		return status;
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM stock_request_lines l JOIN stock_requests r"
				 " ON r.workspace_id = l.workspace_id AND r.id = l.request_id"
				 " JOIN products p ON p.workspace_id = l.workspace_id AND p.id = l.product_id"
				 " LEFT JOIN categories c ON c.workspace_id = p.workspace_id"
				 " AND c.id = p.category_id"
				 " WHERE r.workspace_id = ? AND r.created_at >= ?"
				 " AND r.created_at < ? + INTERVAL 1 DAY AND r.status <> 'CANCELLED'"
				 " GROUP BY p.category_id ORDER BY MIN(c.name) IS NULL, MIN(c.name)",
				 api_select(by_category_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_TEXT(from), ARG_TEXT(to)), &rows))
		return req_internal_error(r, "by category");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "fromDate", from);
	jw_kstr(&w, "toDate", to);
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < rows.nrows; i++)
		api_write_row(&w, &rows, i, by_category_columns);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- filters ---- */

static const struct field filter_location_columns[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_LOCATION, .column = "lc.id" },
	{ .name = "code", .type = FIELD_STRING, .column = "lc.code" },
	{ .name = "name", .type = FIELD_STRING, .column = "lc.name" },
	FIELDS_END
};

static const struct field filter_category_columns[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_CATEGORY, .column = "c.id" },
	{ .name = "name", .type = FIELD_STRING, .column = "c.name" },
	FIELDS_END
};

const struct field request_filters_answer[] = {
	{ .name = "statuses", .type = FIELD_ARRAY, .description = "Every status" },
	{ .name = "priorities", .type = FIELD_ARRAY, .description = "Every priority" },
	{ .name = "locations", .type = FIELD_ARRAY, .items = filter_location_columns,
	  .description = "The locations on the workspace's requests, either side" },
	{ .name = "requesters", .type = FIELD_ARRAY, .description = "Who has requested" },
	{ .name = "categories", .type = FIELD_ARRAY, .items = filter_category_columns,
	  .description = "The categories of the products requested" },
	FIELDS_END
};

static void write_strings(struct jw *w, const char *name, const char *const *values)
{
	jw_key(w, name);
	jw_open(w, '[');
	for (; *values; values++)
		jw_str(w, *values);
	jw_close(w, ']');
}

int request_filters(struct req *r)
{
	struct db_result locations, requesters, categories;
	struct jw w;
	size_t i;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM locations lc WHERE lc.workspace_id = ? AND EXISTS"
				 " (SELECT 1 FROM stock_requests r WHERE r.workspace_id = lc.workspace_id"
				 " AND lc.id IN (r.requesting_location_id, r.fulfilling_location_id))"
				 " ORDER BY lc.name, lc.id", api_select(filter_location_columns)),
		     DB_ARGS(ARG_INT(api_ws(r))), &locations) ||
	    db_query(r->db, r->pool,
		     "SELECT DISTINCT requested_by FROM stock_requests WHERE workspace_id = ?"
		     " ORDER BY requested_by", DB_ARGS(ARG_INT(api_ws(r))), &requesters) ||
	    db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM categories c WHERE c.workspace_id = ? AND EXISTS"
				 " (SELECT 1 FROM stock_request_lines l JOIN products p"
				 " ON p.workspace_id = l.workspace_id AND p.id = l.product_id"
				 " WHERE l.workspace_id = c.workspace_id AND p.category_id = c.id)"
				 " ORDER BY c.name, c.id", api_select(filter_category_columns)),
		     DB_ARGS(ARG_INT(api_ws(r))), &categories))
		return req_internal_error(r, "filters");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	write_strings(&w, "statuses", request_statuses);
	write_strings(&w, "priorities", request_priorities);
	jw_key(&w, "locations");
	jw_open(&w, '[');
	for (i = 0; i < locations.nrows; i++)
		api_write_row(&w, &locations, i, filter_location_columns);
	jw_close(&w, ']');
	jw_key(&w, "requesters");
	jw_open(&w, '[');
	for (i = 0; i < requesters.nrows; i++)
		jw_str(&w, db_cell(&requesters, i, 0));
	jw_close(&w, ']');
	jw_key(&w, "categories");
	jw_open(&w, '[');
	for (i = 0; i < categories.nrows; i++)
		api_write_row(&w, &categories, i, filter_category_columns);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- products ---- */

static const struct field search_columns[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "p.id" },
	{ .name = "sku", .type = FIELD_STRING, .column = "p.global_sku" },
	{ .name = "name", .type = FIELD_STRING, .column = "p.name" },
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_NULLABLE,
	  .column = "p.category_id" },
	{ .name = "availableAtFulfilling", .type = FIELD_INTEGER,
	  .column = "(SELECT IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0) FROM stock_lines sl"
		    SQL_JOIN_LOT("sl") " WHERE sl.workspace_id = p.workspace_id"
		    " AND sl.product_id = p.id AND sl.location_id = ?)",
	  .description = "What the fulfilling location can promise (0 without one)" },
	{ .name = "onHandAtRequesting", .type = FIELD_INTEGER,
	  .column = "(SELECT IFNULL(SUM(sl.qty_on_hand), 0) FROM stock_lines sl"
		    " WHERE sl.workspace_id = p.workspace_id AND sl.product_id = p.id"
		    " AND sl.location_id = ?)",
	  .description = "The requesting location's on hand (0 without one)" },
	FIELDS_END
};

const struct field request_search_answer[] = {
	{ .name = "items", .type = FIELD_ARRAY, .items = search_columns,
	  .description = "By name: products whose name or SKU holds q" },
	FIELDS_END
};

int request_product_search(struct req *r)
{
	int64_t fulfilling = id_parse(ID_LOCATION, req_query(r, "fulfillingLocationId"));
	int64_t requesting = id_parse(ID_LOCATION, req_query(r, "requestingLocationId"));
	const char *q = req_query(r, "q");
	struct db_result rows;
	int64_t page, limit;
	struct jw w;
	size_t i;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM products p WHERE p.workspace_id = ?"
				 " AND (INSTR(p.name, ?) > 0 OR INSTR(p.global_sku, ?) > 0)"
				 " ORDER BY p.name, p.id LIMIT ?", api_select(search_columns)),
		     DB_ARGS(ARG_INT(fulfilling), ARG_INT(requesting), ARG_INT(api_ws(r)), ARG_TEXT(q),
			     ARG_TEXT(q), ARG_INT(limit)), &rows))
		return req_internal_error(r, "product search");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < rows.nrows; i++)
		api_write_row(&w, &rows, i, search_columns);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

static const struct field stocklist_columns[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "v.product_id" },
	{ .name = "sku", .type = FIELD_STRING, .column = "p.global_sku" },
	{ .name = "name", .type = FIELD_STRING, .column = "p.name" },
	{ .name = "maxQuantity", .type = FIELD_INTEGER, .column = "FLOOR(v.max_quantity)" },
	{ .name = "onHand", .type = FIELD_INTEGER,
	  .column = "(SELECT IFNULL(SUM(sl.qty_on_hand), 0) FROM stock_lines sl"
		    " WHERE sl.workspace_id = v.workspace_id AND sl.product_id = v.product_id"
		    " AND sl.location_id = v.location_id)" },
	{ .name = "suggestedQuantity", .type = FIELD_INTEGER,
	  .column = "GREATEST(FLOOR(v.max_quantity) - (SELECT IFNULL(SUM(sl.qty_on_hand), 0)"
		    " FROM stock_lines sl WHERE sl.workspace_id = v.workspace_id"
		    " AND sl.product_id = v.product_id AND sl.location_id = v.location_id), 0)",
	  .description = "max(maxQuantity - onHand, 0)" },
	FIELDS_END
};

const struct field request_stocklist_answer[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "items", .type = FIELD_ARRAY, .items = stocklist_columns,
	  .description = "The location's inventory levels with status Supported and a maximum" },
	FIELDS_END
};

int request_stocklist_read(struct req *r, int64_t location, struct db_result *rows)
{
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM inventory_levels v JOIN products p"
				 " ON p.workspace_id = v.workspace_id AND p.id = v.product_id"
				 " WHERE v.workspace_id = ? AND v.location_id = ? AND v.status = 'Supported'"
				 " AND v.max_quantity IS NOT NULL ORDER BY v.product_id",
				 api_select(stocklist_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location)), rows))
		return req_internal_error(r, "stocklist");
	return 0;
}

int request_stocklist(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId"));
	struct db_result rows;
	struct jw w;
	size_t i;
	int status;

	if ((status = request_stocklist_read(r, location, &rows)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "locationId", id_format(r->pool, ID_LOCATION, location));
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < rows.nrows; i++)
		api_write_row(&w, &rows, i, stocklist_columns);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
