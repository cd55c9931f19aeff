/* SPDX-License-Identifier: MIT */
/* GET /api/inventory: stock lines with product, location, lot and bin. */
#include "config.h"

#include "api/api.h"
#include "api/export.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

/* The filters of the list and the export (inventory_filters applies them). */
#define INVENTORY_FILTER_QUERY \
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH, .description = "Filter by location" }, \
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH, .description = "Filter by product" }, \
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH, .description = "Filter by lot" }, \
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_MATCH, .description = "Filter by bin" },

const struct field inventory_query[] = {
	INVENTORY_FILTER_QUERY
	API_PAGE_QUERY
	{ .name = "after", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_MATCH,
	  .description = "Keyset paging: the lines after this one, in id order (pass the last id "
			 "of the previous answer); page is then ignored and answered as 1, total "
			 "still counts every match. A deep page costs what the first does." },
	FIELDS_END
};

const struct field inventory_export_query[] = {
	INVENTORY_FILTER_QUERY
	EXPORT_FORMAT_QUERY
	FIELDS_END
};

/* The filters and the column each one constrains, in one table. */
static const struct api_filter inventory_filters[] = {
	{ "locationId", ID_LOCATION, " AND sl.location_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND sl.product_id = ?" },
	{ "lotId", ID_LOT, " AND sl.lot_id = ?" },
	{ "binId", ID_BIN, " AND sl.bin_id = ?" },
};

/* A stock line as the list answers it: the SELECT list, the JSON and the
 * OpenAPI schema of GET /api/inventory all come from this table. */
const struct field inventory_columns[] = {
	{ .name = "id", .column = "sl.id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "productMasterId", .column = "sl.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "locationId", .column = "sl.location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "locationName", .column = "l.name", .type = FIELD_STRING },
	{ .name = "quantityOnHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER },
	{ .name = "quantityReserved", .column = "sl.qty_reserved", .type = FIELD_INTEGER },
	{ .name = "quantityAvailable", .column = SQL_AVAILABLE("sl", "lt"), .type = FIELD_INTEGER,
	  .description = "What the line can promise (see the operation's description)" },
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "sl.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "binName", .column = "b.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "unitCost", .column = "p.unit_cost", .type = FIELD_NUMBER },
	{ .name = "totalValue", .column = "ROUND(sl.qty_on_hand * p.unit_cost, 2)", .type = FIELD_NUMBER,
	  .description = "quantityOnHand x unitCost, to the cent" },
	{ .name = "lastCountedAt", .column = "sl.last_counted_at", .type = FIELD_DATETIME,
	  .flags = FIELD_NULLABLE },
	{ .name = "createdAt", .column = "sl.created_at", .type = FIELD_DATETIME },
	{ .name = "updatedAt", .column = "sl.updated_at", .type = FIELD_DATETIME },
	FIELDS_END
};

/*
 * A page is chosen on the index alone (workspace, location, id) and only
 * its rows are joined: deep pages skip index entries, not whole rows.
 * Filtered by location alone, that index is named: left to itself, the
 * optimizer at times walks (workspace, id) and filters, or takes the
 * channel matrix's (workspace, location, product) and sorts, reading a
 * large part of the location for every page.
 */
#define INVENTORY_PAGE_IDS(index_hint) \
	" FROM (SELECT sl.id FROM stock_lines sl" index_hint " WHERE sl.workspace_id = ?"
static const char inventory_select_from[] = INVENTORY_PAGE_IDS("");
static const char inventory_select_from_location[] =
	INVENTORY_PAGE_IDS(" FORCE INDEX (ix_stock_lines_location)");
/* What follows the choice of a page's ids: its rows and what they show. */
#define INVENTORY_PAGE_ROWS \
	") page" \
	" JOIN stock_lines sl ON sl.id = page.id" \
	" JOIN products p ON p.workspace_id = sl.workspace_id AND p.id = sl.product_id" \
	" JOIN locations l ON l.workspace_id = sl.workspace_id AND l.id = sl.location_id" \
	" LEFT JOIN lots lt ON lt.workspace_id = sl.workspace_id AND lt.id = sl.lot_id" \
	" LEFT JOIN bins b ON b.workspace_id = sl.workspace_id AND b.id = sl.bin_id" \
	" ORDER BY sl.id"
static const char inventory_select_tail[] = " ORDER BY sl.id LIMIT ? OFFSET ?" INVENTORY_PAGE_ROWS;

/* The export's chunks are pages that start after the last id sent. */
const struct export_source inventory_export_source = {
	.name = "inventory",
	.columns = inventory_columns,
	.from = inventory_select_from,
	.keyset = " AND sl.id > ? ORDER BY sl.id LIMIT ?" INVENTORY_PAGE_ROWS,
	.location_sql = " AND sl.location_id = ?",
};

int inventory_list(struct req *r)
{
	struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM stock_lines sl WHERE sl.workspace_id = ?",
		.rows_sql = inventory_select_from,
		.rows_tail = inventory_select_tail,
		.columns = inventory_columns,
	};
	struct query where, after;
	int64_t page, limit, after_id = id_parse(ID_ITEM, req_query(r, "after"));
	size_t filters;
	int status, by_location;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	/* After a line, the page starts at the index entry of the next one:
	 * no offset to walk. */
	if (after_id > 0) {
		query_init(&after, r->pool, "");
		query_bind(&after, " AND sl.id > ?", ARG_INT(after_id));
		list.rows_where = &after;
		page = 1;
	}
	api_where_init(r, &where);
	filters = api_add_filters(r, inventory_filters, ARRAY_SIZE(inventory_filters), &where);
	by_location = filters == 1 && req_query(r, "locationId") && *req_query(r, "locationId");
	/* With no filter or the location alone, the total is a counter the
	 * database keeps (stock_line_counts, aliased as the filter names it),
	 * not a count of the index. */
	if (by_location)
		list.rows_sql = inventory_select_from_location;
	if (filters == 0 || by_location)
		list.count_sql = "SELECT IFNULL(SUM(sl.line_count), 0) FROM stock_line_counts sl"
				 " WHERE sl.workspace_id = ?";
	return api_list_page(r, &list, &where, page, limit);
}

int inventory_export(struct req *r)
{
	struct query where;

	api_where_init(r, &where);
	api_add_filters(r, inventory_filters, ARRAY_SIZE(inventory_filters), &where);
	return export_respond(r, &inventory_export_source, &where);
}
