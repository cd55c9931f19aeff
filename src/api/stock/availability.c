/*
 * Availability (ATP): stock lines and their totals, one line's record,
 * reservations and picks, the bulk check, totals by location and lot
 * control validation.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
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

/* Bulk check items look products, locations and lots up: an unknown one,
 * or another workspace's, answers "found": false for that item alone. */
static const struct field check_item_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Product (or sku)" },
	{ .name = "sku", .type = FIELD_STRING, .max_length = 100, .description = "Product SKU" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED | FIELD_MATCH,
	  .description = "Location" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH, .description = "Lot" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Quantity wanted" },
	FIELDS_END
};

const struct field availability_check_fields[] = {
	{ .name = "items", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .items = check_item_fields,
	  .description = "1 to 500 items {sku or productMasterId, locationId, quantity}" },
	FIELDS_END
};

const struct field lot_control_query[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH,
	  .description = "Lot (an unknown one answers lotExists false)" },
	{ .name = "lotNumber", .type = FIELD_STRING, .description = "Lot number" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .description = "Location" },
	FIELDS_END
};

static const char *const movement_types[] = { "RECEIPT", "ISSUE", "TRANSFER", "ADJUSTMENT", NULL };

const struct field lot_control_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH,
	  .description = "Lot (an unknown one answers lotExists false)" },
	{ .name = "lotNumber", .type = FIELD_STRING, .max_length = 100, .description = "Lot number" },
	{ .name = "expiryDate", .type = FIELD_DATE, .description = "Expiry date of a new lot (receipts)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .description = "Location" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_MATCH,
	  .description = "Bin (an unknown one, or one of another location, is an error of the answer)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Quantity to move" },
	{ .name = "movementType", .type = FIELD_STRING, .values = movement_types,
	  .description = "RECEIPT, ISSUE, TRANSFER or ADJUSTMENT (default ISSUE)" },
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
	struct strbuf where = STRBUF_INIT, sql = STRBUF_INIT;
	struct db_arg args[ARRAY_SIZE(availability_filters) + 3];
	struct db_result totals, lines;
	int summary = query_flag(r, "summary"), with_lines, by_location = 0;
	const char *page_select;
	size_t filters = 0;
	int64_t page, limit;
	size_t n = 0, i;
	int status;

	if ((status = api_page(r, 100, 500, &page, &limit)))
		goto out;
	with_lines = !summary || query_flag(r, "includeStockLines");
	args[n++] = ARG_INT(api_ws(r));
	filters = api_add_filters(r, availability_filters, ARRAY_SIZE(availability_filters), &where, args, &n);
	by_location = filters == 1 && req_query(r, "locationId") && *req_query(r, "locationId");
	page_select = by_location ? item_select_by_location : item_select;
	for (i = 0; i < ARRAY_SIZE(availability_exclusions); i++)
		if (!query_flag(r, availability_exclusions[i].param))
			strbuf_adds(&where, availability_exclusions[i].sql);

	if (!summary && page == 1) {
		/* The page first: when every matching line is on it (the usual
		 * case for one product at one location), the totals are its
		 * sums and one query answers. */
		strbuf_addf(&sql, "%s%s ORDER BY sl.id LIMIT ? OFFSET 0", page_select, where.buf);
		args[n] = ARG_INT(limit);
		if (db_query(r->db, r->pool, sql.buf, args, n + 1, &lines)) {
			status = req_internal_error(r, "availability lines");
			goto out;
		}
		if ((int64_t)lines.nrows < limit) {
			totals_from_lines(r, &lines, &totals);
			status = availability_answer(r, 0, &totals, &lines, page, limit);
			goto out;
		}
		strbuf_reset(&sql);
	}
	/* Totals over every matching line, then the page: two queries. */
	strbuf_addf(&sql, "%s%s", totals_select, where.buf);
	if (db_query(r->db, r->pool, sql.buf, args, n, &totals)) {
		status = req_internal_error(r, "availability totals");
		goto out;
	}
	if (with_lines) {
		strbuf_reset(&sql);
		strbuf_addf(&sql, "%s%s ORDER BY sl.id LIMIT ? OFFSET ?", page_select, where.buf);
		args[n++] = ARG_INT(limit);
		args[n++] = ARG_INT((page - 1) * limit);
		if (db_query(r->db, r->pool, sql.buf, args, n, &lines)) {
			status = req_internal_error(r, "availability lines");
			goto out;
		}
	}
	status = availability_answer(r, summary, &totals, with_lines ? &lines : NULL, page, limit);
out:
	strbuf_release(&where);
	strbuf_release(&sql);
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

/* ---- POST /api/inventory/availability/check ---- */

#define CHECK_MAX_ITEMS 500
#define SKU_MAX_LENGTH 100

struct check_item {
	const char *sku, *product, *location, *lot;   /* as sent; NULL when absent */
	int64_t product_id, location_id, lot_id, quantity;
};

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * An optional id member of item: stores it (and its text) and returns 0;
 * answers 400 naming items[i].name when it is not such an id.
 */
static int check_item_id(struct req *r, json_object *item, size_t i, const char *name,
			 enum id_kind kind, int required, const char **text, int64_t *id)
{
	json_object *v;

	if (!json_object_object_get_ex(item, name, &v) || !v) {
		if (required)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].%s", i, name),
					       "is required");
		return 0;
	}
	*text = json_object_get_string(v);
	if (!json_object_is_type(v, json_type_string) || (*id = id_parse(kind, *text)) <= 0)
		return req_field_error(r, pool_printf(r->pool, "items[%zu].%s", i, name),
				       pool_printf(r->pool, "must be an id such as %s_1",
						   id_prefixes[kind]));
	return 0;
}

/* Validates the body's items into out[0..*n). Returns 0 or the 400 set. */
static int check_items_parse(struct req *r, struct check_item **out, size_t *n)
{
	json_object *items = json_object_object_get(r->json, "items");
	struct check_item *c;
	size_t i, len = json_object_array_length(items);
	int status;

	if (len < 1 || len > CHECK_MAX_ITEMS)
		return req_error(r, 400, "Invalid request data", "items must hold 1 to 500 items");
	c = pool_calloc(r->pool, len, sizeof(*c));
	for (i = 0; i < len; i++) {
		json_object *item = json_object_array_get_idx(items, i), *v;

		if (!json_object_is_type(item, json_type_object))
			return req_field_error(r, pool_printf(r->pool, "items[%zu]", i),
					       "must be an object");
		if ((status = check_item_id(r, item, i, "productMasterId", ID_PRODUCT, 0,
					    &c[i].product, &c[i].product_id)) ||
		    (status = check_item_id(r, item, i, "locationId", ID_LOCATION, 1,
					    &c[i].location, &c[i].location_id)) ||
		    (status = check_item_id(r, item, i, "lotId", ID_LOT, 0, &c[i].lot, &c[i].lot_id)))
			return status;
		if (json_object_object_get_ex(item, "sku", &v) && v) {
			if (!json_object_is_type(v, json_type_string))
				return req_field_error(r, pool_printf(r->pool, "items[%zu].sku", i),
						       "must be a string");
			c[i].sku = json_object_get_string(v);
			if (utf8_chars(c[i].sku) > SKU_MAX_LENGTH)
				return req_field_error(r, pool_printf(r->pool, "items[%zu].sku", i),
						       "must be at most 100 characters");
		}
		if (!c[i].sku && !c[i].product)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].sku", i),
					       "or productMasterId is required");
		if (!json_object_object_get_ex(item, "quantity", &v) || !v)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].quantity", i),
					       "is required");
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
		    json_object_get_int64(v) > FIELD_INTEGER_MAX)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].quantity", i),
					       "must be an integer from 0");
		c[i].quantity = json_object_get_int64(v);
	}
	*out = c;
	*n = len;
	return 0;
}

enum check_col { CK_INDEX, CK_PRODUCT, CK_SKU, CK_LOCATION, CK_LOT_FOUND, CK_AVAILABLE, CK__MAX };

/*
 * Every item in one statement: the items travel as one JSON parameter,
 * JSON_TABLE turns them into rows, and each row joins its product (by id,
 * or by SKU when no id was given), location, requested lot and the usable
 * stock lines there. Products are joined twice so that each join can use
 * an index (the primary key, uq_products_sku); an OR across both cannot.
 */
static const char check_sql[] =
	"SELECT q.i, MAX(COALESCE(p.id, ps.id)), MAX(COALESCE(p.global_sku, ps.global_sku)),"
	" MAX(loc.id), MAX(q.lot = 0 OR rl.id IS NOT NULL),"
	" IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0)"
	" FROM JSON_TABLE(?, '$[*]' COLUMNS (i INT PATH '$.i',"
	" sku VARCHAR(100) PATH '$.sku', pid BIGINT PATH '$.pid',"
	" loc BIGINT PATH '$.loc', lot BIGINT PATH '$.lot')) AS q"
	" LEFT JOIN products p ON p.workspace_id = ? AND p.id = q.pid"
	" LEFT JOIN products ps ON q.pid = 0 AND ps.workspace_id = ?"
	" AND ps.global_sku = q.sku COLLATE utf8mb4_unicode_ci"
	" LEFT JOIN locations loc FORCE INDEX (PRIMARY) ON loc.workspace_id = ? AND loc.id = q.loc"
	" LEFT JOIN lots rl ON q.lot <> 0 AND rl.workspace_id = ? AND rl.id = q.lot"
	" AND rl.product_id = COALESCE(p.id, ps.id)"
	" LEFT JOIN stock_lines sl ON sl.workspace_id = ? AND sl.product_id = COALESCE(p.id, ps.id)"
	" AND sl.location_id = loc.id AND (q.lot = 0 OR sl.lot_id = rl.id)"
	" LEFT JOIN lots lt ON lt.workspace_id = sl.workspace_id AND lt.id = sl.lot_id"
	" GROUP BY q.i ORDER BY q.i";

static json_object *check_result_json(struct req *r, const struct check_item *c,
				      const struct db_result *res, size_t row)
{
	json_object *o = json_object_new_object();
	int found = db_cell(res, row, CK_PRODUCT) && db_cell(res, row, CK_LOCATION) &&
		    db_cell_int(res, row, CK_LOT_FOUND);
	int64_t available = found ? db_cell_int(res, row, CK_AVAILABLE) : 0;

	if (db_cell(res, row, CK_PRODUCT)) {
		json_object_object_add(o, "sku", api_cell_string(res, row, CK_SKU));
		json_object_object_add(o, "productMasterId",
				       api_cell_id(r, res, row, CK_PRODUCT, ID_PRODUCT));
	} else {
		json_object_object_add(o, "sku", c->sku ? json_object_new_string(c->sku) : NULL);
		json_object_object_add(o, "productMasterId",
				       c->product ? json_object_new_string(c->product) : NULL);
	}
	json_object_object_add(o, "locationId", json_object_new_string(c->location));
	if (c->lot)
		json_object_object_add(o, "lotId", json_object_new_string(c->lot));
	json_object_object_add(o, "requestedQuantity", json_object_new_int64(c->quantity));
	json_object_object_add(o, "availableQuantity", json_object_new_int64(available));
	json_object_object_add(o, "isAvailable", json_object_new_boolean(available >= c->quantity));
	if (!found)
		json_object_object_add(o, "found", json_object_new_boolean(0));
	return o;
}

int availability_check(struct req *r)
{
	struct check_item *items = NULL;
	struct db_result res;
	json_object *rows, *results, *out;
	int64_t ws = api_ws(r);
	size_t n = 0, i;
	int status;

	if ((status = check_items_parse(r, &items, &n)))
		return status;
	rows = req_own(r, json_object_new_array_ext((int)n));
	for (i = 0; i < n; i++) {
		json_object *q = json_object_new_object();

		json_object_object_add(q, "i", json_object_new_int64((int64_t)i));
		json_object_object_add(q, "sku", json_object_new_string(items[i].sku ? items[i].sku : ""));
		json_object_object_add(q, "pid", json_object_new_int64(items[i].product_id));
		json_object_object_add(q, "loc", json_object_new_int64(items[i].location_id));
		json_object_object_add(q, "lot", json_object_new_int64(items[i].lot_id));
		json_object_array_add(rows, q);
	}
	if (db_query(r->db, r->pool, check_sql,
		     DB_ARGS(ARG_TEXT(json_object_to_json_string_ext(rows, JSON_C_TO_STRING_PLAIN)),
			     ARG_INT(ws), ARG_INT(ws), ARG_INT(ws), ARG_INT(ws), ARG_INT(ws)), &res))
		return req_internal_error(r, "availability check");
	if (res.nrows != n)
		return req_internal_error(r, "availability check rows");
	results = json_object_new_array_ext((int)n);
	for (i = 0; i < n; i++)
		json_object_array_add(results, check_result_json(r, &items[i], &res, i));
	out = json_object_new_object();
	json_object_object_add(out, "results", results);
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
	struct strbuf where = STRBUF_INIT, count = STRBUF_INIT, sql = STRBUF_INIT;
	struct db_arg args[8] = { ARG_INT(api_ws(r)) };
	int64_t page, limit;
	size_t n = 1;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		goto out;
	api_add_search(r, &res_locations, &where, args, &n);
	strbuf_addf(&count, "SELECT COUNT(*) FROM locations WHERE workspace_id = ?%s", where.buf);
	/* The page of locations first, then their lines: the LEFT JOIN keeps
	 * locations without stock. LIMIT and OFFSET are bound last. */
	strbuf_addf(&sql, "SELECT l.id, l.name, l.code, l.location_type,"
		    " IFNULL(SUM(sl.qty_on_hand), 0), IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0),"
		    " IFNULL(SUM(sl.qty_reserved), 0), IFNULL(SUM(sl.qty_on_hold), 0),"
		    " IFNULL(SUM(sl.qty_picked), 0), IFNULL(SUM(sl.qty_recalled), 0),"
		    " IFNULL(SUM(sl.qty_expired), 0), COUNT(sl.id), COUNT(DISTINCT sl.product_id),"
		    " IFNULL(ROUND(SUM(sl.qty_on_hand * p.unit_cost), 2), 0)"
		    " FROM (SELECT id, workspace_id, name, code, location_type FROM locations"
		    " WHERE workspace_id = ?%s ORDER BY id LIMIT ? OFFSET ?) l"
		    " LEFT JOIN stock_lines sl ON sl.workspace_id = l.workspace_id"
		    " AND sl.location_id = l.id" SQL_JOIN_LOT("sl")
		    " LEFT JOIN products p ON p.workspace_id = sl.workspace_id AND p.id = sl.product_id"
		    " GROUP BY l.id, l.name, l.code, l.location_type ORDER BY l.id", where.buf);
	status = api_list_page(r, count.buf, sql.buf, args, n, page, limit, location_json, NULL);
out:
	strbuf_release(&where);
	strbuf_release(&count);
	strbuf_release(&sql);
	return status;
}

/* ---- lot control validation ---- */

/* MOVE_RECEIPT.. in the order of movement_types. */
enum movement { MOVE_NONE, MOVE_RECEIPT, MOVE_ISSUE, MOVE_TRANSFER, MOVE_ADJUSTMENT, MOVE__MAX };

_Static_assert(ARRAY_SIZE(movement_types) == MOVE__MAX, "one name per movement after MOVE_NONE");

struct lot_check {
	int64_t product_id, lot_id, location_id, bin_id, quantity;
	int has_quantity;
	const char *lot_number, *expiry_date;   /* NULL when not given */
	enum movement movement;                 /* MOVE_NONE: the GET, no movement */
};

struct lot_state {
	int lot_controlled, expiry_tracked, provided, exists, expired, recalled, on_hold;
	int bin_misplaced;           /* unknown, or of another location */
	int64_t available;
	const char *lot_number;      /* of the existing lot */
	json_object *lot, *errors;
};

enum lot_col { LT_ID, LT_NUMBER, LT_EXPIRY, LT_STATUS, LT_EXPIRED };

/* Reads the product's lot named by id, else by number (no rows when
 * there is none). Returns 0 or -1 on a database error. */
static int lot_read(struct req *r, const struct lot_check *in, struct db_result *res)
{
	return db_query(r->db, r->pool,
			"SELECT lt.id, lt.lot_number, " SQL_DATE("lt.expiry_date") ", lt.status, "
			SQL_LOT_EXPIRED("lt") " IS TRUE FROM lots lt WHERE lt.workspace_id = ?"
			" AND lt.product_id = ? AND (lt.id = ? OR (? = 0 AND lt.lot_number = ?))",
			DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->product_id), ARG_INT(in->lot_id),
				ARG_INT(in->lot_id), ARG_TEXT(in->lot_number ? in->lot_number : "")), res);
}

/*
 * Available quantity of the lot (lot_id), or of the product when lot_id
 * is 0, at the location and bin when given (unusable lots have none). The
 * optional filters are "? = 0 OR ...": one statement, every value bound.
 * Returns 0 or -1 on a database error.
 */
static int lot_available(struct req *r, const struct lot_check *in, int64_t lot_id, int64_t *out)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0) FROM stock_lines sl" SQL_JOIN_LOT("sl")
		     " WHERE sl.workspace_id = ? AND sl.product_id = ?"
		     " AND (? = 0 OR sl.location_id = ?) AND (? = 0 OR sl.bin_id = ?)"
		     " AND (? = 0 OR sl.lot_id = ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->product_id),
			     ARG_INT(in->location_id), ARG_INT(in->location_id),
			     ARG_INT(in->bin_id), ARG_INT(in->bin_id), ARG_INT(lot_id), ARG_INT(lot_id)),
		     &res))
		return -1;
	*out = db_cell_int(&res, 0, 0);
	return 0;
}

static void lot_error(struct lot_state *st, const char *message)
{
	json_object_array_add(st->errors, json_object_new_string(message));
}

/* The checks of an existing lot, or of a new one in a receipt. */
static void lot_checks(const struct lot_check *in, struct lot_state *st, const char *today)
{
	if (st->lot_controlled && !st->provided)
		lot_error(st, "lot is required for this product");
	if (st->provided && !st->exists) {
		if (in->movement != MOVE_RECEIPT || in->lot_id) {
			lot_error(st, "lot not found");
			return;
		}
		/* A receipt may bring a new lot number. */
		if (st->expiry_tracked && !in->expiry_date)
			lot_error(st, "expiryDate is required for a new lot");
		st->expired = in->expiry_date && strcmp(in->expiry_date, today) < 0;
		if (st->expired)
			lot_error(st, "lot is expired");
		return;
	}
	if (!st->exists)
		return;
	if (in->lot_id && in->lot_number && strcmp(in->lot_number, st->lot_number))
		lot_error(st, "lotNumber does not match lotId");
	if (st->expired)
		lot_error(st, "lot is expired");
	if (st->recalled)
		lot_error(st, "lot is recalled");
	/* Stock may be received into a held lot; it stays held. */
	if (st->on_hold && in->movement != MOVE_RECEIPT)
		lot_error(st, "lot is on hold");
}

static json_object *lot_state_json(struct req *r, const struct lot_check *in,
				   struct lot_state *st)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "productMasterId",
			       json_object_new_string(id_format(r->pool, ID_PRODUCT, in->product_id)));
	json_object_object_add(o, "lotControlled", json_object_new_boolean(st->lot_controlled));
	json_object_object_add(o, "expiryTracked", json_object_new_boolean(st->expiry_tracked));
	json_object_object_add(o, "lotRequired", json_object_new_boolean(st->lot_controlled));
	json_object_object_add(o, "lotProvided", json_object_new_boolean(st->provided));
	json_object_object_add(o, "lotExists", json_object_new_boolean(st->exists));
	json_object_object_add(o, "lot", st->lot);
	json_object_object_add(o, "isExpired", json_object_new_boolean(st->expired));
	json_object_object_add(o, "isRecalled", json_object_new_boolean(st->recalled));
	json_object_object_add(o, "isOnHold", json_object_new_boolean(st->on_hold));
	json_object_object_add(o, "availableQuantity", json_object_new_int64(st->available));
	if (in->movement != MOVE_NONE) {
		json_object_object_add(o, "movementType",
				       json_object_new_string(movement_types[in->movement - MOVE_RECEIPT]));
		json_object_object_add(o, "quantity",
				       in->has_quantity ? json_object_new_int64(in->quantity) : NULL);
	}
	json_object_object_add(o, "valid",
			       json_object_new_boolean(json_object_array_length(st->errors) == 0));
	json_object_object_add(o, "errors", st->errors);
	return o;
}

/*
 * Reads what the checks need (product, location, lot, bin, available), then
 * checks. Answers 200 {..., "valid", "errors"}, or 404 for an unknown
 * product or location.
 */
static int lot_control_run(struct req *r, const struct lot_check *in)
{
	struct lot_state st = { 0 };
	struct db_result prod, lot, bin;
	int found;

	if (db_query(r->db, r->pool,
		     "SELECT lot_controlled, expiry_tracked, " SQL_DATE("CURRENT_DATE")
		     " FROM products WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->product_id)), &prod))
		return req_internal_error(r, "lot control product");
	if (prod.nrows == 0)
		return api_not_found(r, ID_PRODUCT);
	if (in->location_id) {
		found = api_exists(r, ID_LOCATION, in->location_id);
		if (found <= 0)
			return found < 0 ? req_internal_error(r, "lot control location")
					 : api_not_found(r, ID_LOCATION);
	}
	st.lot_controlled = db_cell_int(&prod, 0, 0) != 0;
	st.expiry_tracked = db_cell_int(&prod, 0, 1) != 0;
	st.provided = in->lot_id || in->lot_number;
	if (st.provided) {
		if (lot_read(r, in, &lot))
			return req_internal_error(r, "lot control lot");
		st.exists = lot.nrows > 0;
	}
	if (in->bin_id) {
		if (db_query(r->db, r->pool, "SELECT location_id FROM bins WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(in->bin_id)), &bin))
			return req_internal_error(r, "lot control bin");
		st.bin_misplaced = bin.nrows == 0 ||
				   (in->location_id && db_cell_int(&bin, 0, 0) != in->location_id);
	}
	/* A lot that was named but does not exist holds nothing. */
	if ((!st.provided || st.exists) &&
	    lot_available(r, in, st.exists ? db_cell_int(&lot, 0, LT_ID) : 0, &st.available))
		return req_internal_error(r, "lot control available");

	st.errors = json_object_new_array();
	if (st.exists) {
		st.lot = json_object_new_object();
		json_object_object_add(st.lot, "id", api_cell_id(r, &lot, 0, LT_ID, ID_LOT));
		json_object_object_add(st.lot, "lotNumber", api_cell_string(&lot, 0, LT_NUMBER));
		json_object_object_add(st.lot, "expiryDate", api_cell_string(&lot, 0, LT_EXPIRY));
		json_object_object_add(st.lot, "status", api_cell_string(&lot, 0, LT_STATUS));
		st.lot_number = db_cell(&lot, 0, LT_NUMBER);
		st.expired = db_cell_int(&lot, 0, LT_EXPIRED) != 0;
		st.recalled = !strcmp(db_cell(&lot, 0, LT_STATUS), "RECALLED");
		st.on_hold = !strcmp(db_cell(&lot, 0, LT_STATUS), "ON_HOLD");
	}
	lot_checks(in, &st, db_cell(&prod, 0, 2));
	if (st.bin_misplaced)
		lot_error(&st, in->location_id ? "bin not found at this location" : "bin not found");
	if ((in->movement == MOVE_ISSUE || in->movement == MOVE_TRANSFER ||
	     in->movement == MOVE_ADJUSTMENT) && in->has_quantity && st.available < in->quantity)
		lot_error(&st, pool_printf(r->pool, "insufficient available quantity (%lld)",
					   (long long)st.available));
	return req_respond(r, 200, lot_state_json(r, in, &st));
}

int lot_control_validate_get(struct req *r)
{
	struct lot_check in = { 0 };
	const char *v;

	in.product_id = id_parse(ID_PRODUCT, req_query(r, "productMasterId"));
	if ((v = req_query(r, "lotId")) && *v)
		in.lot_id = id_parse(ID_LOT, v);
	if ((v = req_query(r, "lotNumber")) && *v)
		in.lot_number = v;
	if ((v = req_query(r, "locationId")) && *v)
		in.location_id = id_parse(ID_LOCATION, v);
	in.movement = MOVE_NONE;
	return lot_control_run(r, &in);
}

int lot_control_validate_post(struct req *r)
{
	struct lot_check in = { 0 };
	const char *movement = api_body_string(r, "movementType"), *v;
	json_object *q;
	size_t i;

	in.product_id = api_body_id(r, "productMasterId", ID_PRODUCT);
	in.lot_id = api_body_id(r, "lotId", ID_LOT);
	in.location_id = api_body_id(r, "locationId", ID_LOCATION);
	in.bin_id = api_body_id(r, "binId", ID_BIN);
	if ((v = api_body_string(r, "lotNumber")) && *v)
		in.lot_number = v;
	if ((v = api_body_string(r, "expiryDate")) && *v)
		in.expiry_date = v;
	if (json_object_object_get_ex(r->json, "quantity", &q) && q) {
		in.has_quantity = 1;
		in.quantity = json_object_get_int64(q);
	}
	in.movement = MOVE_ISSUE;
	for (i = 0; movement && movement_types[i]; i++)
		if (!strcmp(movement, movement_types[i]))
			in.movement = (enum movement)(MOVE_RECEIPT + i);
	return lot_control_run(r, &in);
}
