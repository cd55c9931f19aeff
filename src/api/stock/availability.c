/* SPDX-License-Identifier: MIT */
/*
 * Availability (ATP): stock lines and their totals, one line's record,
 * reservations and picks, and totals by location.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/channels/channels.h"
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
	{ .name = "channelId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 64,
	  .description = "The sales channel (id such as chn_3 or code such as DTC) a RESERVE is for, "
			 "or whose reservation a RELEASE or PICK takes; its reservations use up its "
			 "ATP quota (GET /api/inventory/channel-location). Without it, RELEASE and PICK "
			 "take only reservations made for no channel" },
	FIELDS_END
};

/* 1 when the boolean query parameter is "true" or "1" (validated before). */
static int query_flag(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

/* ---- stock lines ---- */

/*
 * A stock line as availability answers it: its SELECT list, its JSON and
 * its schema. The indexes below name the cells read in C.
 */
enum item_col { IT_ID, IT_ON_HAND = 5, IT_AVAILABLE, IT_RESERVED, IT_ON_HOLD, IT_PICKED,
		IT_RECALLED, IT_EXPIRED };

/* The columns of a line in a list; one line alone adds two. */
#define LINE_COLUMNS \
	{ .name = "id", .column = "sl.id", .type = FIELD_ID, .kind = ID_ITEM }, \
	{ .name = "productMasterId", .column = "sl.product_id", .type = FIELD_ID, .kind = ID_PRODUCT }, \
	{ .name = "locationId", .column = "sl.location_id", .type = FIELD_ID, .kind = ID_LOCATION }, \
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE }, \
	{ .name = "binId", .column = "sl.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE }, \
	{ .name = "qtyOnHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER }, \
	{ .name = "qtyAvailable", .column = SQL_AVAILABLE("sl", "lt"), .type = FIELD_INTEGER, \
	  .description = "On hand less every other bucket; 0 when the lot is expired, recalled or held" }, \
	{ .name = "qtyReserved", .column = "sl.qty_reserved", .type = FIELD_INTEGER }, \
	{ .name = "qtyOnHold", .column = "sl.qty_on_hold", .type = FIELD_INTEGER }, \
	{ .name = "qtyPicked", .column = "sl.qty_picked", .type = FIELD_INTEGER }, \
	{ .name = "qtyRecalled", .column = "sl.qty_recalled", .type = FIELD_INTEGER }, \
	{ .name = "qtyExpired", .column = "sl.qty_expired", .type = FIELD_INTEGER }, \
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE }, \
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE }, \
	{ .name = "lotStatus", .column = "lt.status", .type = FIELD_STRING, .flags = FIELD_NULLABLE },

static const struct field availability_line_columns[] = {
	LINE_COLUMNS
	FIELDS_END
};

const struct field availability_item_columns[] = {
	LINE_COLUMNS
	{ .name = "isExpired", .column = SQL_LOT_EXPIRED("lt") " IS TRUE", .type = FIELD_BOOLEAN,
	  .description = "The lot's status is EXPIRED or its expiry date is before today (UTC)" },
	{ .name = "updatedAt", .column = "sl.updated_at", .type = FIELD_DATETIME },
	FIELDS_END
};

#define ITEM_FROM " FROM stock_lines sl" SQL_JOIN_LOT("sl") " WHERE sl.workspace_id = ?"
/* Filtered by location alone, the location's index gives the id order;
 * left to itself the optimizer may walk the primary key instead. */
#define ITEM_FROM_BY_LOCATION " FROM stock_lines sl FORCE INDEX (ix_stock_lines_location)" \
	SQL_JOIN_LOT("sl") " WHERE sl.workspace_id = ?"

/* Writes one stock line of the workspace. Returns 0, or 404/500 (set). */
static int item_write(struct req *r, int64_t id, struct jw *w)
{
	return api_write_one(r, w, availability_item_columns, ITEM_FROM, " AND sl.id = ?", ID_ITEM,
			     id);
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

/* The sums over the matching lines, then their count. */
enum total_col { TOT_ON_HAND, TOT_AVAILABLE, TOT_ON_HOLD, TOT_PICKED, TOT_RECALLED,
		 TOT_EXPIRED, TOT_RESERVED, TOT_LINES, TOT__MAX };

#define TOTAL_COLUMNS \
	{ .name = "totalOnHand", .column = "IFNULL(SUM(sl.qty_on_hand), 0)", .type = FIELD_INTEGER }, \
	{ .name = "totalAvailable", .column = "IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0)", \
	  .type = FIELD_INTEGER }, \
	{ .name = "totalOnHold", .column = "IFNULL(SUM(sl.qty_on_hold), 0)", .type = FIELD_INTEGER }, \
	{ .name = "totalPicked", .column = "IFNULL(SUM(sl.qty_picked), 0)", .type = FIELD_INTEGER }, \
	{ .name = "totalRecalled", .column = "IFNULL(SUM(sl.qty_recalled), 0)", .type = FIELD_INTEGER }, \
	{ .name = "totalExpired", .column = "IFNULL(SUM(sl.qty_expired), 0)", .type = FIELD_INTEGER }, \
	{ .name = "totalReserved", .column = "IFNULL(SUM(sl.qty_reserved), 0)", .type = FIELD_INTEGER },

/* The sums as the stock lines answer's "totals" has them. */
static const struct field availability_totals[] = {
	TOTAL_COLUMNS
	FIELDS_END
};

/* The sums and the count of lines, one row; a summary answers them all. */
static const struct field availability_total_columns[] = {
	TOTAL_COLUMNS
	{ .name = "lineCount", .column = "COUNT(*)", .type = FIELD_INTEGER,
	  .description = "How many stock lines match, on every page" },
	FIELDS_END
};

/* The value of the first of two query parameters given (an id), or NULL. */
static const char *filter_echo(const struct req *r, const char *name, const char *alias)
{
	const char *v = req_query(r, name);

	if ((!v || !*v) && alias)
		v = req_query(r, alias);
	return v && *v ? v : NULL;
}

/* Totals computed from lines, when they are all the matching lines. */
static void totals_from_lines(struct req *r, const struct db_result *lines,
			      struct db_result *totals)
{
	static const enum item_col source[TOT_LINES] = {
		[TOT_ON_HAND] = IT_ON_HAND, [TOT_AVAILABLE] = IT_AVAILABLE, [TOT_ON_HOLD] = IT_ON_HOLD,
		[TOT_PICKED] = IT_PICKED, [TOT_RECALLED] = IT_RECALLED, [TOT_EXPIRED] = IT_EXPIRED,
		[TOT_RESERVED] = IT_RESERVED,
	};
	size_t col, i;

	memset(totals, 0, sizeof(*totals));
	totals->nrows = 1;
	totals->ncols = TOT__MAX;
	totals->cells = pool_calloc(r->pool, TOT__MAX, sizeof(char *));
	totals->cells[TOT_LINES] = pool_int64(r->pool, (int64_t)lines->nrows);
	for (col = TOT_ON_HAND; col < TOT_LINES; col++) {
		int64_t sum = 0;

		for (i = 0; i < lines->nrows; i++)
			sum += db_cell_int(lines, i, source[col]);
		totals->cells[col] = pool_int64(r->pool, sum);
	}
}

static const struct field summary_line_fields[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "qtyOnHand", .type = FIELD_INTEGER },
	{ .name = "qtyAvailable", .type = FIELD_INTEGER },
	FIELDS_END
};

static const struct field summary_data_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_NULLABLE,
	  .description = "The product filter, when given" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_NULLABLE,
	  .description = "The location filter, when given" },
	TOTAL_COLUMNS
	{ .name = "lineCount", .type = FIELD_INTEGER, .description = "How many stock lines match" },
	{ .name = "inTransit", .type = FIELD_INTEGER,
	  .description = "Shipped by transfers to the location (filter) of the product (filter) and "
			 "not yet received nor written off; not part of any total" },
	{ .name = "stockLines", .type = FIELD_ARRAY, .items = summary_line_fields,
	  .flags = FIELD_OPTIONAL, .description = "With includeStockLines=true: the page's lines" },
	FIELDS_END
};

static const char *const lines_type[] = { "stockLines", NULL };
static const char *const summary_type[] = { "summary", NULL };

/* The two answers of GET /api/inventory/availability, told apart by type. */
const struct field availability_lines_fields[] = {
	{ .name = "type", .type = FIELD_STRING, .values = lines_type },
	{ .name = "count", .type = FIELD_INTEGER, .description = "The lines on this page" },
	{ .name = "totals", .type = FIELD_OBJECT, .items = availability_totals,
	  .description = "The sums over every matching line" },
	{ .name = "data", .type = FIELD_ARRAY, .items = availability_line_columns },
	{ .name = "pagination", .type = FIELD_OBJECT, .items = api_page_fields },
	FIELDS_END
};

const struct field availability_summary_fields[] = {
	{ .name = "type", .type = FIELD_STRING, .values = summary_type },
	{ .name = "data", .type = FIELD_OBJECT, .items = summary_data_fields },
	{ .name = "pagination", .type = FIELD_OBJECT, .items = api_page_fields,
	  .flags = FIELD_OPTIONAL, .description = "Of the stock lines, with includeStockLines=true" },
	FIELDS_END
};

/* What shipped transfers carry to the location and product filters. */
static int in_transit_read(struct req *r, int64_t *out)
{
	int64_t product = id_parse(ID_PRODUCT, filter_echo(r, "productMasterId", "productId"));
	int64_t location = id_parse(ID_LOCATION, filter_echo(r, "locationId", NULL));
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT IFNULL(SUM(l.quantity_shipped - l.quantity_received - l.quantity_written_off), 0)"
		     " FROM transfers t JOIN transfer_lines l ON l.workspace_id = t.workspace_id"
		     " AND l.transfer_id = t.id WHERE t.workspace_id = ?"
		     " AND t.status IN ('SHIPPED', 'PARTIALLY_RECEIVED')"
		     " AND (? = 0 OR t.to_location_id = ?) AND (? = 0 OR l.product_id = ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location), ARG_INT(location), ARG_INT(product),
			     ARG_INT(product)), &res))
		return req_internal_error(r, "in transit");
	*out = db_cell_int(&res, 0, 0);
	return 0;
}

static int availability_answer(struct req *r, int summary, const struct db_result *totals,
			       const struct db_result *lines, int64_t page, int64_t limit)
{
	int64_t total = db_cell_int(totals, 0, TOT_LINES), in_transit = 0;
	struct jw w;
	size_t i;
	int status;

	if (summary && (status = in_transit_read(r, &in_transit)))
		return status;

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	if (summary) {
		jw_kstr(&w, "type", "summary");
		jw_key(&w, "data");
		jw_open(&w, '{');
		jw_kstr(&w, "productMasterId", filter_echo(r, "productMasterId", "productId"));
		jw_kstr(&w, "locationId", filter_echo(r, "locationId", NULL));
		api_write_members(&w, totals, 0, availability_total_columns);
		jw_kint(&w, "inTransit", in_transit);
		if (lines) {
			jw_key(&w, "stockLines");
			jw_open(&w, '[');
			for (i = 0; i < lines->nrows; i++) {
				jw_open(&w, '{');
				jw_key(&w, "id");
				jw_id(&w, id_prefixes[ID_ITEM], db_cell(lines, i, IT_ID));
				jw_key(&w, "qtyOnHand");
				jw_decimal(&w, db_cell(lines, i, IT_ON_HAND));
				jw_key(&w, "qtyAvailable");
				jw_decimal(&w, db_cell(lines, i, IT_AVAILABLE));
				jw_close(&w, '}');
			}
			jw_close(&w, ']');
		}
		jw_close(&w, '}');
		if (lines)
			api_write_pagination(&w, page, limit, total);
	} else {
		jw_kstr(&w, "type", "stockLines");
		jw_kint(&w, "count", (int64_t)lines->nrows);
		jw_key(&w, "totals");
		jw_open(&w, '{');
		api_write_members(&w, totals, 0, availability_totals);
		jw_close(&w, '}');
		jw_key(&w, "data");
		jw_open(&w, '[');
		for (i = 0; i < lines->nrows; i++)
			api_write_row(&w, lines, i, availability_line_columns);
		jw_close(&w, ']');
		api_write_pagination(&w, page, limit, total);
	}
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

int availability_list(struct req *r)
{
	struct db_result totals, lines;
	int summary = query_flag(r, "summary"), with_lines, by_location = 0, have_lines = 0;
	const char *page_from;
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
	page_from = by_location ? ITEM_FROM_BY_LOCATION : ITEM_FROM;
	for (i = 0; i < ARRAY_SIZE(availability_exclusions); i++)
		if (!query_flag(r, availability_exclusions[i].param))
			query_add(&where, availability_exclusions[i].sql);

	if (!summary && page == 1) {
		/* The page first: when every matching line is on it (the usual
		 * case for one product at one location), the totals are its
		 * sums and one query answers. */
		query_init(&q, r->pool, api_select(availability_line_columns));
		query_add(&q, page_from);
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
		have_lines = 1;   /* a full first page: only its totals are missing */
	}
	/* Totals over every matching line, then the page: two queries. A
	 * location's totals read its index too: where the location is a large
	 * part of the workspace, the optimizer would read the whole table. */
	query_init(&q, r->pool, api_select(availability_total_columns));
	query_add(&q, page_from);
	query_append(&q, &where);
	if (query_run(&q, r->db, &totals)) {
		status = req_internal_error(r, "availability totals");
		goto out;
	}
	if (with_lines && !have_lines) {
		query_init(&q, r->pool, api_select(availability_line_columns));
		query_add(&q, page_from);
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
	int64_t id = api_path_id(r, ID_ITEM);
	struct jw w;
	int status;

	if (!id)
		return api_not_found(r, ID_ITEM);
	jw_init(&w, r->pool);
	if ((status = item_write(r, id, &w)))
		return status;
	return req_respond_jw(r, 200, &w);
}

/* ---- POST /api/inventory/availability/[id] ---- */

const struct field availability_update_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "action", .type = FIELD_STRING, .values = availability_actions },
	{ .name = "quantity", .type = FIELD_INTEGER },
	{ .name = "transactionId", .type = FIELD_ID, .kind = ID_TRANSACTION,
	  .description = "The ledger transaction that moved the quantity" },
	{ .name = "item", .type = FIELD_OBJECT, .items = availability_item_columns,
	  .description = "The stock line after the change" },
	{ .name = "channelId", .type = FIELD_ID, .kind = ID_CHANNEL, .flags = FIELD_OPTIONAL,
	  .description = "The channel of the reservation, when one was given" },
	FIELDS_END
};

enum availability_action { ACT_RESERVE, ACT_RELEASE, ACT_PICK, ACT_UNPICK, ACT_SHIP, ACT__MAX };

_Static_assert(ARRAY_SIZE(availability_actions) == ACT__MAX + 1,
	       "one action name per enum availability_action");

/* 409 {"error": "Conflict", "message": "only N <bucket>"} */
static int only_conflict(struct req *r, int64_t have, const char *bucket)
{
	return req_error(r, 409, "Conflict",
			 pool_printf(r->pool, "only %lld %s", (long long)have, bucket));
}

/*
 * The reservations of stock line line made for channels: *mine those of
 * channel (0: none), *assigned those of every channel.
 */
static int channel_shares(struct req *r, int64_t line, int64_t channel, int64_t *mine,
			  int64_t *assigned)
{
	struct db_result res;

	if (db_query(r->db, r->pool, "SELECT CAST(IFNULL(SUM(IF(channel_id = ?, quantity, 0)), 0) AS SIGNED),"
		     " CAST(IFNULL(SUM(quantity), 0) AS SIGNED) FROM channel_reservations"
		     " WHERE workspace_id = ? AND stock_line_id = ?",
		     DB_ARGS(ARG_INT(channel), ARG_INT(api_ws(r)), ARG_INT(line)), &res))
		return req_internal_error(r, "channel reservations");
	*mine = db_cell_int(&res, 0, 0);
	*assigned = db_cell_int(&res, 0, 1);
	return 0;
}

/* Adds delta to channel's reservation of line; none is kept at 0. */
static int channel_share_add(struct req *r, int64_t line, int64_t channel, int64_t delta)
{
	struct db_result res;

	if (db_query(r->db, r->pool, "INSERT INTO channel_reservations (workspace_id, stock_line_id,"
		     " channel_id, quantity) VALUES (?, ?, ?, ?)"
		     " ON DUPLICATE KEY UPDATE quantity = quantity + VALUES(quantity)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(line), ARG_INT(channel), ARG_INT(delta)), &res) ||
	    db_query(r->db, r->pool, "DELETE FROM channel_reservations WHERE workspace_id = ?"
		     " AND stock_line_id = ? AND channel_id = ? AND quantity <= 0",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(line), ARG_INT(channel)), &res))
		return req_internal_error(r, "channel reservation");
	return 0;
}

int availability_update(struct req *r)
{
	const char *action = api_body_string(r, "action"), *refusal;
	const char *channel_name = api_body_string(r, "channelId"), *takes;
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	struct ledger_line line;
	enum ledger_status st;
	struct jw w;
	int64_t id = api_path_id(r, ID_ITEM), q, from_reserved, channel = 0, mine = 0, assigned = 0;
	int64_t takeable;
	int act, status;

	q = json_object_get_int64(json_object_object_get(r->json, "quantity"));
	for (act = 0; act < ACT__MAX && strcmp(availability_actions[act], action); act++)
		;
	if (q < 1)
		return req_field_error(r, "quantity", "must be at least 1");
	if (channel_name && (act == ACT_UNPICK || act == ACT_SHIP))
		return req_field_error(r, "channelId", "applies to RESERVE, RELEASE and PICK only");
	if (!id)
		return api_not_found(r, ID_ITEM);
	if (channel_name && (status = channel_resolve(r, channel_name, &channel)))
		return status;
	/* Lock the line first: the checks below read what the post changes. */
	st = ledger_line_read(r->db, r->pool, api_ws(r), id, 1, &line);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	if (act == ACT_RESERVE || act == ACT_PICK) {
		if ((status = api_lot_refusal(r, line.lot_id, &refusal)))
			return status;
		if (refusal)
			return req_error(r, 409, "Conflict", refusal);
	}
	/* A caller takes back the channel's reservations, or else those made
	 * for no channel (the line's lock keeps the shares still). */
	if ((status = channel_shares(r, id, channel, &mine, &assigned)))
		return status;
	takeable = channel ? mine : line.qty[B_RESERVED] - assigned;
	takeable = takeable < 0 ? 0 : takeable < line.qty[B_RESERVED] ? takeable : line.qty[B_RESERVED];
	takes = channel ? "reserved for the channel" : assigned ? "reserved for no channel" : "reserved";
	switch (act) {
	case ACT_RESERVE:
		e.delta[B_RESERVED] = q;
		break;
	case ACT_RELEASE:
		if (q > takeable)
			return only_conflict(r, takeable, takes);
		e.delta[B_RESERVED] = -q;
		break;
	case ACT_PICK:
		/* A pick consumes its reservation first; picking beyond it
		 * needs available stock, which the ledger enforces. */
		from_reserved = q < takeable ? q : takeable;
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
	if (channel && e.delta[B_RESERVED] &&
	    (status = channel_share_add(r, id, channel, e.delta[B_RESERVED])))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_kstr(&w, "action", availability_actions[act]);
	jw_kint(&w, "quantity", q);
	jw_kstr(&w, "transactionId", id_format(r->pool, ID_TRANSACTION, posted.transaction_id));
	jw_key(&w, "item");
	if ((status = item_write(r, id, &w)))
		return status;
	if (channel)
		jw_kstr(&w, "channelId", id_format(r->pool, ID_CHANNEL, channel));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- GET /api/inventory/locations ---- */

/* A location and the sums of its stock lines (0 without any). */
const struct field location_total_columns[] = {
	{ .name = "locationId", .column = "l.id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "locationName", .column = "l.name", .type = FIELD_STRING },
	{ .name = "locationCode", .column = "l.code", .type = FIELD_STRING },
	{ .name = "locationType", .column = "l.location_type", .type = FIELD_STRING },
	{ .name = "totalOnHand", .column = "IFNULL(SUM(sl.qty_on_hand), 0)", .type = FIELD_INTEGER },
	{ .name = "totalAvailable", .column = "IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0)",
	  .type = FIELD_INTEGER },
	{ .name = "totalReserved", .column = "IFNULL(SUM(sl.qty_reserved), 0)", .type = FIELD_INTEGER },
	{ .name = "totalOnHold", .column = "IFNULL(SUM(sl.qty_on_hold), 0)", .type = FIELD_INTEGER },
	{ .name = "totalPicked", .column = "IFNULL(SUM(sl.qty_picked), 0)", .type = FIELD_INTEGER },
	{ .name = "totalRecalled", .column = "IFNULL(SUM(sl.qty_recalled), 0)", .type = FIELD_INTEGER },
	{ .name = "totalExpired", .column = "IFNULL(SUM(sl.qty_expired), 0)", .type = FIELD_INTEGER },
	{ .name = "stockLineCount", .column = "COUNT(sl.id)", .type = FIELD_INTEGER },
	{ .name = "productCount", .column = "COUNT(DISTINCT sl.product_id)", .type = FIELD_INTEGER },
	{ .name = "totalValue", .column = "IFNULL(ROUND(SUM(sl.qty_on_hand * p.unit_cost), 2), 0)",
	  .type = FIELD_NUMBER, .description = "On hand x unit cost, to the cent" },
	FIELDS_END
};

int inventory_by_location(struct req *r)
{
	/* The page of locations first, then their lines: the LEFT JOIN keeps
	 * locations without stock. */
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM locations WHERE workspace_id = ?",
		.rows_sql = " FROM (SELECT id, workspace_id, name, code, location_type FROM locations"
			" WHERE workspace_id = ?",
		.rows_tail = " ORDER BY id LIMIT ? OFFSET ?) l"
			" LEFT JOIN stock_lines sl ON sl.workspace_id = l.workspace_id"
			" AND sl.location_id = l.id" SQL_JOIN_LOT("sl")
			" LEFT JOIN products p ON p.workspace_id = sl.workspace_id AND p.id = sl.product_id"
			" GROUP BY l.id, l.name, l.code, l.location_type ORDER BY l.id",
		.columns = location_total_columns,
	};
	struct query where;
	int64_t page, limit;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_search(r, &res_locations, &where);
	return api_list_page(r, &list, &where, page, limit);
}
