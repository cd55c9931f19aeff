/*
 * Availability (ATP): stock lines and their totals, one line's record,
 * reservations and picks, and totals by location.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/master/master.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

const struct field availability_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH, .description = "Filter by location" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH, .description = "Filter by product" },
	{ .name = "productId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Filter by legacy product (deprecated; same ids)" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH, .description = "Filter by lot" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_MATCH, .description = "Filter by bin" },
	{ .name = "includeExpired", .type = FIELD_BOOLEAN, .description = "Include expired stock (default: false)" },
	{ .name = "includeRecalled", .type = FIELD_BOOLEAN, .description = "Include recalled stock (default: false)" },
	{ .name = "includeOnHold", .type = FIELD_BOOLEAN, .description = "Include held stock (default: false)" },
	{ .name = "summary", .type = FIELD_BOOLEAN,
	  .description = "Return aggregated summary instead of stock lines (default: false)" },
	{ .name = "includeStockLines", .type = FIELD_BOOLEAN,
	  .description = "Include stock lines when summary=true (default: false)" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page of stock lines (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER,
	  .description = "Stock lines per page, also of the summary's stockLines (default: 100, max: 500)" },
	FIELDS_END
};

static const char *const availability_actions[] = {
	"RESERVE", "RELEASE", "PICK", "UNPICK", "SHIP", NULL
};

const struct field availability_update_fields[] = {
	{ .name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = availability_actions,
	  .description = "RESERVE (reserved +q), RELEASE (reserved -q), PICK (reserved -q up to what "
			 "is reserved, picked +q), UNPICK (picked -q, back to available), SHIP "
			 "(picked -q and on hand -q)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Quantity (at least 1)" },
	{ .name = "referenceId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 64,
	  .description = "The order or document it is for" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

/* 1 when the boolean query parameter is "true" or "1" (validated before). */
static int query_flag(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

/* ---- stock lines ---- */

enum item_col {
	IT_ID, IT_PRODUCT, IT_LOCATION, IT_LOT, IT_BIN, IT_ON_HAND, IT_AVAILABLE, IT_RESERVED,
	IT_ON_HOLD, IT_PICKED, IT_RECALLED, IT_EXPIRED, IT_LOT_NUMBER, IT_EXPIRY, IT_LOT_STATUS,
	IT_IS_EXPIRED, IT_UPDATED, IT__MAX
};

#define ITEM_COLUMNS \
	"SELECT sl.id, sl.product_id, sl.location_id, sl.lot_id, sl.bin_id, sl.qty_on_hand, " \
	SQL_AVAILABLE("sl", "lt") ", sl.qty_reserved, sl.qty_on_hold, sl.qty_picked, sl.qty_recalled," \
	" sl.qty_expired, lt.lot_number, " SQL_DATE("lt.expiry_date") ", lt.status, " \
	SQL_LOT_EXPIRED("lt") " IS TRUE, " SQL_ISO("sl.updated_at")
#define ITEM_FROM " FROM stock_lines sl" SQL_JOIN_LOT("sl") " WHERE sl.workspace_id = ?"

static const char item_select[] = ITEM_COLUMNS ITEM_FROM;
/* Filtered by location alone, the location's index gives the id order;
 * left to itself the optimizer may walk the primary key instead. */
static const char item_select_by_location[] =
	ITEM_COLUMNS " FROM stock_lines sl FORCE INDEX (ix_stock_lines_location)" SQL_JOIN_LOT("sl")
	" WHERE sl.workspace_id = ?";

static const char *const item_quantities[] = {
	[IT_ON_HAND] = "qtyOnHand", [IT_AVAILABLE] = "qtyAvailable", [IT_RESERVED] = "qtyReserved",
	[IT_ON_HOLD] = "qtyOnHold", [IT_PICKED] = "qtyPicked", [IT_RECALLED] = "qtyRecalled",
	[IT_EXPIRED] = "qtyExpired",
};

/* A line of item_select; with full, also isExpired and updatedAt. */
static json_object *item_json(struct req *r, const struct db_result *res, size_t i, int full)
{
	json_object *o = json_object_new_object();
	size_t col;

	json_object_object_add(o, "id", api_cell_id(r, res, i, IT_ID, ID_ITEM));
	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, IT_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, IT_LOCATION, ID_LOCATION));
	json_object_object_add(o, "lotId", api_cell_id(r, res, i, IT_LOT, ID_LOT));
	json_object_object_add(o, "binId", api_cell_id(r, res, i, IT_BIN, ID_BIN));
	for (col = IT_ON_HAND; col <= IT_EXPIRED; col++)
		json_object_object_add(o, item_quantities[col], api_cell_int(res, i, col));
	json_object_object_add(o, "lotNumber", api_cell_string(res, i, IT_LOT_NUMBER));
	json_object_object_add(o, "expiryDate", api_cell_string(res, i, IT_EXPIRY));
	json_object_object_add(o, "lotStatus", api_cell_string(res, i, IT_LOT_STATUS));
	if (full) {
		json_object_object_add(o, "isExpired", api_cell_bool(res, i, IT_IS_EXPIRED));
		json_object_object_add(o, "updatedAt", api_cell_string(res, i, IT_UPDATED));
	}
	return o;
}

/* Reads one stock line of the workspace. Returns 0, or 404/500 (set). */
static int item_fetch(struct req *r, int64_t id, json_object **out)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_result res;
	int ret;

	strbuf_addf(&sql, "%s AND sl.id = ?", item_select);
	ret = db_query(r->db, r->pool, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res);
	strbuf_release(&sql);
	if (ret)
		return req_internal_error(r, "availability read");
	if (res.nrows == 0)
		return api_not_found(r, ID_ITEM);
	*out = item_json(r, &res, 0, 1);
	return 0;
}

/* ---- GET /api/inventory/availability ---- */

static const struct api_filter availability_filters[] = {
	{ "locationId", ID_LOCATION, " AND sl.location_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND sl.product_id = ?" },
	{ "productId", ID_PRODUCT, " AND sl.product_id = ?" },   /* the legacy alias */
	{ "lotId", ID_LOT, " AND sl.lot_id = ?" },
	{ "binId", ID_BIN, " AND sl.bin_id = ?" },
};

/* What the include* flags put back; left out by default. */
static const struct {
	const char *param;
	const char *sql;
} availability_exclusions[] = {
	{ "includeExpired", " AND " SQL_LOT_EXPIRED("lt") " IS NOT TRUE" },
	{ "includeRecalled", " AND lt.status = 'RECALLED' IS NOT TRUE" },
	{ "includeOnHold", " AND lt.status = 'ON_HOLD' IS NOT TRUE" },
};

enum total_col {
	TOT_LINES, TOT_ON_HAND, TOT_AVAILABLE, TOT_ON_HOLD, TOT_PICKED, TOT_RECALLED, TOT_EXPIRED,
	TOT_RESERVED, TOT__MAX
};

static const char totals_select[] =
	"SELECT COUNT(*), IFNULL(SUM(sl.qty_on_hand), 0), IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0),"
	" IFNULL(SUM(sl.qty_on_hold), 0), IFNULL(SUM(sl.qty_picked), 0),"
	" IFNULL(SUM(sl.qty_recalled), 0), IFNULL(SUM(sl.qty_expired), 0),"
	" IFNULL(SUM(sl.qty_reserved), 0)"
	" FROM stock_lines sl" SQL_JOIN_LOT("sl") " WHERE sl.workspace_id = ?";

static const char *const total_names[TOT__MAX] = {
	[TOT_ON_HAND] = "totalOnHand", [TOT_AVAILABLE] = "totalAvailable",
	[TOT_ON_HOLD] = "totalOnHold", [TOT_PICKED] = "totalPicked",
	[TOT_RECALLED] = "totalRecalled", [TOT_EXPIRED] = "totalExpired",
	[TOT_RESERVED] = "totalReserved",
};

/* Adds the sums of the totals row to o. */
static void add_totals(json_object *o, const struct db_result *totals)
{
	size_t col;

	for (col = TOT_ON_HAND; col < TOT__MAX; col++)
		json_object_object_add(o, total_names[col], api_cell_int(totals, 0, col));
}

/* The value of the first of two query parameters given, as a JSON id. */
static json_object *filter_echo(const struct req *r, const char *name, const char *alias)
{
	const char *v = req_query(r, name);

	if ((!v || !*v) && alias)
		v = req_query(r, alias);
	return v && *v ? json_object_new_string(v) : NULL;
}

/* Totals computed from lines, when they are all the matching lines. */
static void totals_from_lines(struct req *r, const struct db_result *lines,
			      struct db_result *totals)
{
	static const enum item_col source[TOT__MAX] = {
		[TOT_ON_HAND] = IT_ON_HAND, [TOT_AVAILABLE] = IT_AVAILABLE, [TOT_ON_HOLD] = IT_ON_HOLD,
		[TOT_PICKED] = IT_PICKED, [TOT_RECALLED] = IT_RECALLED, [TOT_EXPIRED] = IT_EXPIRED,
		[TOT_RESERVED] = IT_RESERVED,
	};
	size_t col, i;

	memset(totals, 0, sizeof(*totals));
	totals->nrows = 1;
	totals->ncols = TOT__MAX;
	totals->cells = pool_calloc(r->pool, TOT__MAX, sizeof(char *));
	totals->cells[TOT_LINES] = pool_printf(r->pool, "%zu", lines->nrows);
	for (col = TOT_ON_HAND; col < TOT__MAX; col++) {
		int64_t sum = 0;

		for (i = 0; i < lines->nrows; i++)
			sum += db_cell_int(lines, i, source[col]);
		totals->cells[col] = pool_printf(r->pool, "%lld", (long long)sum);
	}
}

static int availability_answer(struct req *r, int summary, const struct db_result *totals,
			       const struct db_result *lines, int64_t page, int64_t limit)
{
	json_object *out = json_object_new_object(), *data, *arr;
	size_t i;

	if (summary) {
		data = json_object_new_object();
		json_object_object_add(data, "productMasterId",
				       filter_echo(r, "productMasterId", "productId"));
		json_object_object_add(data, "locationId", filter_echo(r, "locationId", NULL));
		add_totals(data, totals);
		json_object_object_add(data, "lineCount", api_cell_int(totals, 0, TOT_LINES));
		if (lines) {
			arr = json_object_new_array_ext((int)lines->nrows);
			for (i = 0; i < lines->nrows; i++) {
				json_object *l = json_object_new_object();

				json_object_object_add(l, "id", api_cell_id(r, lines, i, IT_ID, ID_ITEM));
				json_object_object_add(l, "qtyOnHand", api_cell_int(lines, i, IT_ON_HAND));
				json_object_object_add(l, "qtyAvailable", api_cell_int(lines, i, IT_AVAILABLE));
				json_object_array_add(arr, l);
			}
			json_object_object_add(data, "stockLines", arr);
		}
		json_object_object_add(out, "type", json_object_new_string("summary"));
		json_object_object_add(out, "data", data);
		if (lines)
			json_object_object_add(out, "pagination",
					       api_pagination(page, limit, db_cell_int(totals, 0, TOT_LINES)));
		return req_respond(r, 200, out);
	}
	data = json_object_new_object();
	add_totals(data, totals);
	arr = json_object_new_array_ext((int)lines->nrows);
	for (i = 0; i < lines->nrows; i++)
		json_object_array_add(arr, item_json(r, lines, i, 0));
	json_object_object_add(out, "type", json_object_new_string("stockLines"));
	json_object_object_add(out, "count", json_object_new_int64((int64_t)lines->nrows));
	json_object_object_add(out, "totals", data);
	json_object_object_add(out, "data", arr);
	json_object_object_add(out, "pagination",
			       api_pagination(page, limit, db_cell_int(totals, 0, TOT_LINES)));
	return req_respond(r, 200, out);
}

int availability_list(struct req *r)
{
	struct db_result totals, lines;
	int summary = query_flag(r, "summary"), with_lines, by_location = 0;
	const char *page_select;
	struct query where, q;
	size_t filters = 0;
	int64_t page, limit;
	size_t i;
	int status;

	if ((status = api_page(r, 100, 500, &page, &limit)))
		goto out;
	with_lines = !summary || query_flag(r, "includeStockLines");
	api_where_init(r, &where);
	filters = api_add_filters(r, availability_filters, ARRAY_SIZE(availability_filters), &where);
	by_location = filters == 1 && req_query(r, "locationId") && *req_query(r, "locationId");
	page_select = by_location ? item_select_by_location : item_select;
	for (i = 0; i < ARRAY_SIZE(availability_exclusions); i++)
		if (!query_flag(r, availability_exclusions[i].param))
			query_add(&where, availability_exclusions[i].sql);

	if (!summary && page == 1) {
		/* The page first: when every matching line is on it (the usual
		 * case for one product at one location), the totals are its
		 * sums and one query answers. */
		query_init(&q, r->pool, page_select);
		query_append(&q, &where);
		query_bind(&q, " ORDER BY sl.id LIMIT ? OFFSET 0", ARG_INT(limit));
		if (query_run(&q, r->db, &lines)) {
			status = req_internal_error(r, "availability lines");
			goto out;
		}
		if ((int64_t)lines.nrows < limit) {
			totals_from_lines(r, &lines, &totals);
			status = availability_answer(r, 0, &totals, &lines, page, limit);
			goto out;
		}
	}
	/* Totals over every matching line, then the page: two queries. */
	query_init(&q, r->pool, totals_select);
	query_append(&q, &where);
	if (query_run(&q, r->db, &totals)) {
		status = req_internal_error(r, "availability totals");
		goto out;
	}
	if (with_lines) {
		query_init(&q, r->pool, page_select);
		query_append(&q, &where);
		query_bind(&q, " ORDER BY sl.id LIMIT ?", ARG_INT(limit));
		query_bind(&q, " OFFSET ?", ARG_INT((page - 1) * limit));
		if (query_run(&q, r->db, &lines)) {
			status = req_internal_error(r, "availability lines");
			goto out;
		}
	}
	status = availability_answer(r, summary, &totals, with_lines ? &lines : NULL, page, limit);
out:
	return status;
}

/* ---- GET /api/inventory/availability/[id] ---- */

int availability_get(struct req *r)
{
	json_object *item;
	int64_t id = api_path_id(r, ID_ITEM);
	int status;

	if (!id)
		return api_not_found(r, ID_ITEM);
	if ((status = item_fetch(r, id, &item)))
		return status;
	return req_respond(r, 200, item);
}

/* ---- POST /api/inventory/availability/[id] ---- */

enum availability_action { ACT_RESERVE, ACT_RELEASE, ACT_PICK, ACT_UNPICK, ACT_SHIP, ACT__MAX };

_Static_assert(ARRAY_SIZE(availability_actions) == ACT__MAX + 1,
	       "one action name per enum availability_action");

/* 409 {"error": "Conflict", "message": "only N <bucket>"} */
static int only_conflict(struct req *r, int64_t have, const char *bucket)
{
	return req_error(r, 409, "Conflict",
			 pool_printf(r->pool, "only %lld %s", (long long)have, bucket));
}

int availability_update(struct req *r)
{
	const char *action = api_body_string(r, "action"), *refusal;
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	struct ledger_line line;
	json_object *item, *out;
	enum ledger_status st;
	int64_t id = api_path_id(r, ID_ITEM), q, from_reserved;
	int act, status;

	q = json_object_get_int64(json_object_object_get(r->json, "quantity"));
	for (act = 0; act < ACT__MAX && strcmp(availability_actions[act], action); act++)
		;
	if (q < 1)
		return req_field_error(r, "quantity", "must be at least 1");
	if (!id)
		return api_not_found(r, ID_ITEM);
	/* Lock the line first: the checks below read what the post changes. */
	st = ledger_line_read(r->db, r->pool, api_ws(r), id, 1, &line);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	if (act == ACT_RESERVE || act == ACT_PICK) {
		refusal = api_lot_refusal(r, line.lot_id);
		if (refusal && !*refusal)
			return req_internal_error(r, "lot status");
		if (refusal)
			return req_error(r, 409, "Conflict", refusal);
	}
	switch (act) {
	case ACT_RESERVE:
		e.delta[B_RESERVED] = q;
		break;
	case ACT_RELEASE:
		if (q > line.qty[B_RESERVED])
			return only_conflict(r, line.qty[B_RESERVED], "reserved");
		e.delta[B_RESERVED] = -q;
		break;
	case ACT_PICK:
		/* A pick consumes its reservation first; picking beyond it
		 * needs available stock, which the ledger enforces. */
		from_reserved = q < line.qty[B_RESERVED] ? q : line.qty[B_RESERVED];
		e.delta[B_RESERVED] = -from_reserved;
		e.delta[B_PICKED] = q;
		break;
	case ACT_UNPICK:
		if (q > line.qty[B_PICKED])
			return only_conflict(r, line.qty[B_PICKED], "picked");
		e.delta[B_PICKED] = -q;
		break;
	case ACT_SHIP:
		if (q > line.qty[B_PICKED])
			return only_conflict(r, line.qty[B_PICKED], "picked");
		e.delta[B_PICKED] = -q;
		e.delta[B_ON_HAND] = -q;
		break;
	default:
		return req_field_error(r, "action", "is not one of the allowed values");
	}
	e.workspace_id = api_ws(r);
	e.line_id = id;
	e.type = availability_actions[act];
	e.comment = api_body_string(r, "comment");
	e.actor = api_actor(r);
	e.reference_type = "AVAILABILITY";
	e.reference_id = api_body_string(r, "referenceId");
	st = ledger_post(r->db, r->pool, &e, &posted);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	if ((status = item_fetch(r, id, &item)))
		return status;
	out = json_object_new_object();
	json_object_object_add(out, "success", json_object_new_boolean(1));
	json_object_object_add(out, "action", json_object_new_string(availability_actions[act]));
	json_object_object_add(out, "quantity", json_object_new_int64(q));
	json_object_object_add(out, "transactionId",
			       json_object_new_string(id_format(r->pool, ID_TRANSACTION,
								posted.transaction_id)));
	json_object_object_add(out, "item", item);
	return req_respond(r, 200, out);
}

/* ---- GET /api/inventory/locations ---- */

enum loc_col {
	LC_ID, LC_NAME, LC_CODE, LC_TYPE, LC_ON_HAND, LC_AVAILABLE, LC_RESERVED, LC_ON_HOLD,
	LC_PICKED, LC_RECALLED, LC_EXPIRED, LC_LINES, LC_PRODUCTS, LC_VALUE, LC__MAX
};

static const char *const location_totals[] = {
	[LC_ON_HAND] = "totalOnHand", [LC_AVAILABLE] = "totalAvailable",
	[LC_RESERVED] = "totalReserved", [LC_ON_HOLD] = "totalOnHold",
	[LC_PICKED] = "totalPicked", [LC_RECALLED] = "totalRecalled",
	[LC_EXPIRED] = "totalExpired", [LC_LINES] = "stockLineCount",
	[LC_PRODUCTS] = "productCount",
};

static json_object *location_json(struct req *r, const struct db_result *res, size_t i,
				  const void *ctx)
{
	json_object *o = json_object_new_object();
	size_t col;

	(void)ctx;
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, LC_ID, ID_LOCATION));
	json_object_object_add(o, "locationName", api_cell_string(res, i, LC_NAME));
	json_object_object_add(o, "locationCode", api_cell_string(res, i, LC_CODE));
	json_object_object_add(o, "locationType", api_cell_string(res, i, LC_TYPE));
	for (col = LC_ON_HAND; col <= LC_PRODUCTS; col++)
		json_object_object_add(o, location_totals[col], api_cell_int(res, i, col));
	json_object_object_add(o, "totalValue", api_cell_number(res, i, LC_VALUE));
	return o;
}

int inventory_by_location(struct req *r)
{
	/* The page of locations first, then their lines: the LEFT JOIN keeps
	 * locations without stock. */
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM locations WHERE workspace_id = ?",
		.rows_sql = "SELECT l.id, l.name, l.code, l.location_type,"
			" IFNULL(SUM(sl.qty_on_hand), 0), IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0),"
			" IFNULL(SUM(sl.qty_reserved), 0), IFNULL(SUM(sl.qty_on_hold), 0),"
			" IFNULL(SUM(sl.qty_picked), 0), IFNULL(SUM(sl.qty_recalled), 0),"
			" IFNULL(SUM(sl.qty_expired), 0), COUNT(sl.id), COUNT(DISTINCT sl.product_id),"
			" IFNULL(ROUND(SUM(sl.qty_on_hand * p.unit_cost), 2), 0)"
			" FROM (SELECT id, workspace_id, name, code, location_type FROM locations"
			" WHERE workspace_id = ?",
		.rows_tail = " ORDER BY id LIMIT ? OFFSET ?) l"
			" LEFT JOIN stock_lines sl ON sl.workspace_id = l.workspace_id"
			" AND sl.location_id = l.id" SQL_JOIN_LOT("sl")
			" LEFT JOIN products p ON p.workspace_id = sl.workspace_id AND p.id = sl.product_id"
			" GROUP BY l.id, l.name, l.code, l.location_type ORDER BY l.id",
		.row_fn = location_json,
	};
	struct query where;
	int64_t page, limit;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_search(r, &res_locations, &where);
	return api_list_page(r, &list, &where, page, limit, NULL);
}
