/* SPDX-License-Identifier: MIT */
/*
 * One cell of the channel x location matrix with every term behind it
 * (drilldown), and the totals per channel (summary), from the cells.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/channels/cells.h"
#include "api/channels/channels.h"
#include "core/pool.h"
#include "core/util.h"

/* ---- GET /api/inventory/channel-location/drilldown ---- */

const struct field channel_drilldown_query[] = {
	ATP_LOCATION_QUERY
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product ID (required)" },
	{ .name = "channelId", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 64,
	  .description = "The channel, by id (chn_3) or code (DTC) (required)" },
	FIELDS_END
};

static const struct field drill_product_columns[] = {
	{ .name = "productMasterId", .column = "p.id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	FIELDS_END
};

static const struct field drill_channel_columns[] = {
	{ .name = "channelId", .column = "c.id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "c.name", .type = FIELD_STRING },
	{ .name = "channelType", .column = "c.channel_type", .type = FIELD_STRING },
	{ .name = "channelCode", .column = "c.code", .type = FIELD_STRING },
	FIELDS_END
};

static const char *const policy_scopes[] = { "LOCATION", "CHANNEL", "DEFAULT", NULL };

static const struct field drill_policy_columns[] = {
	{ .name = "policyId", .column = POLICY("id"), .type = FIELD_ID, .kind = ID_POLICY,
	  .flags = FIELD_OPTIONAL, .description = "Absent: the default policy" },
	{ .name = "scope", .column = POLICY_SCOPE, .type = FIELD_STRING, .values = policy_scopes,
	  .description = "LOCATION: the channel's policy for this location; CHANNEL: its policy "
			 "for every location; DEFAULT: no policy (100 %, no safety stock)" },
	{ .name = "allocationPercent", .column = POLICY_PERCENT, .type = FIELD_NUMBER },
	{ .name = "safetyStock", .column = POLICY_SAFETY, .type = FIELD_INTEGER },
	{ .name = "lowAtpThreshold", .column = POLICY_LOW, .type = FIELD_INTEGER },
	{ .name = "criticalAtpThreshold", .column = POLICY_CRITICAL, .type = FIELD_INTEGER },
	FIELDS_END
};

/* Every term of the formula; all 0 (and CRITICAL: thresholds are never
 * negative) when the product has no stock line at the location. */
static const struct field drill_term_columns[] = {
	{ .name = "onHand", .column = "IFNULL(z.on_hand, 0)", .type = FIELD_INTEGER },
	{ .name = "onHold", .column = "IFNULL(z.on_hold, 0)", .type = FIELD_INTEGER },
	{ .name = "picked", .column = "IFNULL(z.picked, 0)", .type = FIELD_INTEGER },
	{ .name = "recalled", .column = "IFNULL(z.recalled, 0)", .type = FIELD_INTEGER },
	{ .name = "expired", .column = "IFNULL(z.expired, 0)", .type = FIELD_INTEGER },
	{ .name = "unusableLotStock", .column = "IFNULL(z.on_hand - z.on_hold - z.picked - z.recalled"
	  " - z.expired - z.sellable, 0)", .type = FIELD_INTEGER,
	  .description = "Stock of lots that are expired, recalled or on hold, not in a bucket yet" },
	{ .name = "sellable", .column = "IFNULL(z.sellable, 0)", .type = FIELD_INTEGER,
	  .description = "onHand - onHold - picked - recalled - expired - unusableLotStock" },
	{ .name = "reserved", .column = "IFNULL(z.reserved, 0)", .type = FIELD_INTEGER,
	  .description = "Every reservation at the location" },
	{ .name = "available", .column = "IFNULL(z.available, 0)", .type = FIELD_INTEGER,
	  .description = "sellable - reserved (by stock line)" },
	{ .name = "allocated", .column = "IFNULL(z.allocated, 0)", .type = FIELD_INTEGER,
	  .description = "floor(sellable x allocationPercent / 100)" },
	{ .name = "safetyStock", .column = POLICY_SAFETY, .type = FIELD_INTEGER },
	{ .name = "reservedByChannel", .column = "IFNULL(z.reserved_by_channel, 0)", .type = FIELD_INTEGER },
	{ .name = "quota", .column = "IFNULL(z.allocated - z.safety_stock - z.reserved_by_channel,"
	  " -" POLICY_SAFETY ")", .type = FIELD_INTEGER,
	  .description = "allocated - safetyStock - reservedByChannel" },
	{ .name = "atp", .column = "IFNULL(z.atp, 0)", .type = FIELD_INTEGER,
	  .description = "max(0, min(available, quota))" },
	{ .name = "severity", .column = "IFNULL(z.severity, 'CRITICAL')", .type = FIELD_STRING,
	  .values = atp_severities },
	{ .name = "threshold", .column = POLICY_LOW, .type = FIELD_INTEGER },
	FIELDS_END
};

/* The drilldown's first row: its objects, from one query. */
#define DRILL_HEAD \
	{ .name = "location", .type = FIELD_OBJECT, .items = atp_location_fields }, \
	{ .name = "product", .type = FIELD_OBJECT, .items = drill_product_columns }, \
	{ .name = "channel", .type = FIELD_OBJECT, .items = drill_channel_columns }, \
	{ .name = "policy", .type = FIELD_OBJECT, .items = drill_policy_columns, \
	  .description = "The policy that applies to the channel at the location" }, \
	{ .name = "terms", .type = FIELD_OBJECT, .items = drill_term_columns, \
	  .description = "Every term of the formula, for the whole location" },
static const struct field drill_columns[] = {
	DRILL_HEAD
	FIELDS_END
};

static const char *const formula[] = { ATP_FORMULA, NULL };

/* A stock line behind the cell, with its share of each term. */
static const struct field drill_line_columns[] = {
	{ .name = "id", .column = "sl.id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "lotStatus", .column = "lt.status", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "sl.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "binName", .column = "b.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "usable", .column = "NOT (" SQL_LOT_UNUSABLE("lt") " IS TRUE)", .type = FIELD_BOOLEAN,
	  .description = "false: its lot is expired, recalled or on hold, so it sells nothing" },
	{ .name = "onHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER },
	{ .name = "onHold", .column = "sl.qty_on_hold", .type = FIELD_INTEGER },
	{ .name = "picked", .column = "sl.qty_picked", .type = FIELD_INTEGER },
	{ .name = "recalled", .column = "sl.qty_recalled", .type = FIELD_INTEGER },
	{ .name = "expired", .column = "sl.qty_expired", .type = FIELD_INTEGER },
	{ .name = "sellable", .column = SQL_SELLABLE("sl", "lt"), .type = FIELD_INTEGER },
	{ .name = "reserved", .column = "sl.qty_reserved", .type = FIELD_INTEGER },
	{ .name = "available", .column = SQL_AVAILABLE("sl", "lt"), .type = FIELD_INTEGER },
	{ .name = "reservedByChannel", .column = "IFNULL(LEAST(cr.quantity, sl.qty_reserved), 0)",
	  .type = FIELD_INTEGER, .description = "Reserved for the channel on this line; counted in "
	  "the terms only when the line is usable" },
	FIELDS_END
};

const struct field channel_drilldown_answer[] = {
	DRILL_HEAD
	{ .name = "formula", .type = FIELD_STRING, .values = formula },
	{ .name = "lines", .type = FIELD_ARRAY, .items = drill_line_columns,
	  .description = "The product's stock lines at the location, first expiry first" },
	FIELDS_END
};

int channel_location_drilldown(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId"));
	int64_t product = id_parse(ID_PRODUCT, req_query(r, "productMasterId"));
	struct cell_scope sc = { .location = location, .product = product };
	struct db_result head, lines;
	int64_t channel;
	struct query q;
	struct jw w;
	int status;

	if ((status = channel_resolve(r, req_query(r, "channelId"), &channel)))
		return status;
	sc.channels = pool_printf(r->pool, "[%lld]", (long long)channel);
	/* One row: the location, product, channel, policy and terms. */
	query_init(&q, r->pool, api_select(drill_columns));
	query_bind(&q, " FROM channels c" POLICY_JOINS("?"), ARG_INT(location));
	query_bind(&q, " JOIN locations l ON l.workspace_id = c.workspace_id AND l.id = ?",
		   ARG_INT(location));
	query_bind(&q, " JOIN products p ON p.workspace_id = c.workspace_id AND p.id = ?",
		   ARG_INT(product));
	query_add(&q, " LEFT JOIN (");
	atp_add_cells(r, &q, &sc);
	query_bind(&q, ") z ON z.channel_id = c.id WHERE c.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND c.id = ?", ARG_INT(channel));
	if (query_run(&q, r->db, &head) || !head.nrows)
		return req_internal_error(r, "drilldown");

	query_init(&q, r->pool, api_select(drill_line_columns));
	query_bind(&q, " FROM stock_lines sl" SQL_JOIN_LOT("sl")
		   " LEFT JOIN bins b ON b.workspace_id = sl.workspace_id AND b.id = sl.bin_id"
		   " LEFT JOIN channel_reservations cr ON cr.workspace_id = sl.workspace_id"
		   " AND cr.stock_line_id = sl.id AND cr.channel_id = ?", ARG_INT(channel));
	query_bind(&q, " WHERE sl.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND sl.location_id = ?", ARG_INT(location));
	query_bind(&q, " AND sl.product_id = ?", ARG_INT(product));
	query_add(&q, " ORDER BY lt.expiry_date IS NULL, lt.expiry_date, sl.id");
	if (query_run(&q, r->db, &lines))
		return req_internal_error(r, "drilldown lines");

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	api_write_members(&w, &head, 0, drill_columns);
	jw_kstr(&w, "formula", formula[0]);
	jw_key(&w, "lines");
	atp_write_rows(&w, &lines, drill_line_columns);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- GET /api/inventory/channel/summary ---- */

const struct field channel_summary_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .not_found = LOCATION_GONE,
	  .description = "Only this location (default: every location)" },
	ATP_CHANNELS_QUERY
	FIELDS_END
};

static const struct field summary_columns[] = {
	{ .name = "channelId", .column = "c.id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "c.name", .type = FIELD_STRING },
	{ .name = "channelType", .column = "c.channel_type", .type = FIELD_STRING },
	{ .name = "channelCode", .column = "c.code", .type = FIELD_STRING },
	{ .name = "totalOnHand", .column = "IFNULL(g.on_hand, 0)", .type = FIELD_INTEGER },
	{ .name = "totalReserved", .column = "IFNULL(g.reserved, 0)", .type = FIELD_INTEGER,
	  .description = "Every reservation, for any channel or none" },
	{ .name = "totalAvailable", .column = "IFNULL(g.available, 0)", .type = FIELD_INTEGER },
	{ .name = "totalAtp", .column = "IFNULL(g.atp, 0)", .type = FIELD_INTEGER,
	  .description = "The sum of the channel's atp over every product and location" },
	{ .name = "reservedByChannel", .column = "IFNULL(g.reserved_by_channel, 0)", .type = FIELD_INTEGER },
	{ .name = "productCount", .column = "IFNULL(g.products, 0)", .type = FIELD_INTEGER,
	  .description = "Products with a stock line in scope" },
	{ .name = "locationCount", .column = "IFNULL(g.locations, 0)", .type = FIELD_INTEGER },
	{ .name = "okCount", .column = "IFNULL(g.ok, 0)", .type = FIELD_INTEGER,
	  .description = "Cells (product and location) whose severity is OK" },
	{ .name = "lowCount", .column = "IFNULL(g.low, 0)", .type = FIELD_INTEGER },
	{ .name = "criticalCount", .column = "IFNULL(g.critical, 0)", .type = FIELD_INTEGER },
	FIELDS_END
};

const struct field channel_summary_answer[] = {
	{ .name = "channels", .type = FIELD_ARRAY, .items = summary_columns, .description = "By channel id" },
	{ .name = "location", .type = FIELD_OBJECT, .items = atp_location_fields, .flags = FIELD_NULLABLE,
	  .description = "The location asked for; null: every location" },
	FIELDS_END
};

int channel_summary(struct req *r)
{
	struct cell_scope sc = { .location = id_parse(ID_LOCATION, req_query(r, "locationId")) };
	struct db_result rows, location;
	struct query q;
	struct jw w;
	int status;

	if ((status = channel_ids(r, "channels", req_query(r, "channels"), &sc.channels)))
		return status;
	query_init(&q, r->pool, api_select(summary_columns));
	query_add(&q, " FROM channels c LEFT JOIN (SELECT z.channel_id,"
		  " CAST(SUM(z.on_hand) AS SIGNED) on_hand, CAST(SUM(z.reserved) AS SIGNED) reserved,"
		  " CAST(SUM(z.available) AS SIGNED) available, CAST(SUM(z.atp) AS SIGNED) atp,"
		  " CAST(SUM(z.reserved_by_channel) AS SIGNED) reserved_by_channel,"
		  " COUNT(DISTINCT z.product_id) products, COUNT(DISTINCT z.location_id) locations,"
		  " SUM(z.severity = 'OK') ok, SUM(z.severity = 'LOW') low,"
		  " SUM(z.severity = 'CRITICAL') critical FROM (");
	atp_add_cells(r, &q, &sc);
	query_bind(&q, ") z GROUP BY z.channel_id) g ON g.channel_id = c.id WHERE c.workspace_id = ?",
		   ARG_INT(api_ws(r)));
	if (sc.channels)
		query_bind(&q, IN_JSON("c.id"), ARG_TEXT(sc.channels));
	query_add(&q, " ORDER BY c.id");
	if (query_run(&q, r->db, &rows))
		return req_internal_error(r, "channel summary");
	if (sc.location && db_query(r->db, r->pool, "SELECT l.id, l.name FROM locations l"
				    " WHERE l.workspace_id = ? AND l.id = ?",
				    DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(sc.location)), &location))
		return req_internal_error(r, "location");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "channels");
	atp_write_rows(&w, &rows, summary_columns);
	jw_key(&w, "location");
	if (sc.location && location.nrows)
		api_write_row(&w, &location, 0, atp_location_fields);
	else
		jw_null(&w);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
