/* SPDX-License-Identifier: MIT */
/*
 * Channel ATP inside: the policy that applies to a channel at a location,
 * and the cells (cells.c), the one SQL definition of every figure that
 * the matrix and its export (atp.c), the drilldown and the summary
 * (views.c) select from.
 */
#ifndef INV_API_CHANNELS_CELLS_H
#define INV_API_CHANNELS_CELLS_H

#include "api/api.h"

/* "Location not found or not accessible", the seed's 404. */
#define LOCATION_GONE "Location not found or not accessible"

/*
 * The policy that applies to channel c at a location: its own for the
 * location (pl), else the channel's for every location (pc), else the
 * defaults; a policy's null threshold is the channel's.
 */
#define POLICY(col) "IF(pl.id IS NULL, pc." col ", pl." col ")"
#define POLICY_JOINS(loc) \
	" LEFT JOIN channel_atp_policies pl ON pl.workspace_id = c.workspace_id" \
	" AND pl.channel_id = c.id AND pl.location_key = " loc \
	" LEFT JOIN channel_atp_policies pc ON pc.workspace_id = c.workspace_id" \
	" AND pc.channel_id = c.id AND pc.location_key = 0"
#define POLICY_PERCENT "IFNULL(" POLICY("allocation_percent") ", 100)"
#define POLICY_SAFETY "IFNULL(" POLICY("safety_stock") ", 0)"
#define POLICY_LOW "IFNULL(" POLICY("low_atp_threshold") ", c.low_atp_threshold)"
#define POLICY_CRITICAL "IFNULL(" POLICY("critical_atp_threshold") ", c.critical_atp_threshold)"
#define POLICY_SCOPE "IF(pl.id IS NOT NULL, 'LOCATION', IF(pc.id IS NOT NULL, 'CHANNEL', 'DEFAULT'))"

/*
 * What line t could sell: on hand less every bucket but reservations, and
 * nothing from an unusable lot (SQL_AVAILABLE's rule, reservations left
 * in); available is this less the line's reservations.
 */
#define SQL_SELLABLE(t, l) "(CASE WHEN " SQL_LOT_UNUSABLE(l) " IS TRUE THEN 0 ELSE " t ".qty_on_hand - " \
	t ".qty_on_hold - " t ".qty_picked - " t ".qty_recalled - " t ".qty_expired END)"

/* The query fields of a location's cells, and of the channels shown. */
#define ATP_LOCATION_QUERY \
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED, \
	  .not_found = LOCATION_GONE, .description = "Location ID (required)" },
#define ATP_CHANNELS_QUERY \
	{ .name = "channels", .type = FIELD_STRING, .max_length = 4000, \
	  .description = "Comma-separated channels to show, by id (chn_3) or code (DTC); " \
			 "default: every channel. An unknown one is 400" },

/* Which cells: 0 / NULL for every one. */
struct cell_scope {
	int64_t location, product;
	const int64_t *products;        /* nproducts product ids */
	size_t nproducts;
	const char *channels;           /* a JSON array of channel ids */
};

/* col among the ids of a bound JSON array (a short list: the channels). */
#define IN_JSON(col) " AND " col " IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j)"

/* Appends the cells of sc (a derived table, to be named) to q. Its
 * columns: product_id, location_id, channel_id, channel_name, channel_type,
 * channel_code, policy_id, policy_scope, allocation_percent, safety_stock,
 * low, critical, the stock's on_hand, reserved, available, sellable,
 * on_hold, picked, recalled, expired, then reserved_by_channel, allocated,
 * atp and severity. */
void atp_add_cells(struct req *r, struct query *q, const struct cell_scope *sc);
/* The rows of res as an array of cols. */
void atp_write_rows(struct jw *w, const struct db_result *res, const struct field *cols);

extern const char *const atp_severities[];
/* A location as {id, name}, from locations l. */
extern const struct field atp_location_fields[];

#endif
