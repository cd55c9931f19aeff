/* GET /api/inventory: stock lines with product, location, lot and bin. */
#include "config.h"

#include "api/api.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

const struct field inventory_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH, .description = "Filter by location" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH, .description = "Filter by product" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH, .description = "Filter by lot" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_MATCH, .description = "Filter by bin" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	FIELDS_END
};

/* The filters and the column each one constrains, in one table. */
static const struct api_filter inventory_filters[] = {
	{ "locationId", ID_LOCATION, " AND sl.location_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND sl.product_id = ?" },
	{ "lotId", ID_LOT, " AND sl.lot_id = ?" },
	{ "binId", ID_BIN, " AND sl.bin_id = ?" },
};

enum inv_col {
	INV_ID, INV_PRODUCT, INV_PRODUCT_NAME, INV_SKU, INV_LOCATION, INV_LOCATION_NAME,
	INV_ON_HAND, INV_RESERVED, INV_AVAILABLE, INV_LOT, INV_LOT_NUMBER, INV_EXPIRY,
	INV_BIN, INV_BIN_NAME, INV_UNIT_COST, INV_TOTAL_VALUE, INV_LAST_COUNTED,
	INV_CREATED, INV_UPDATED, INV__MAX
};

/*
 * A page is chosen on the index alone (workspace, location, id) and only
 * its rows are joined: deep pages skip index entries, not whole rows.
 */
static const char inventory_select_head[] =
	"SELECT sl.id, sl.product_id, p.name, p.global_sku, sl.location_id, l.name,"
	" sl.qty_on_hand, sl.qty_reserved, " SQL_AVAILABLE("sl", "lt") ","
	" sl.lot_id, lt.lot_number, " SQL_DATE("lt.expiry_date") ","
	" sl.bin_id, b.name, p.unit_cost, ROUND(sl.qty_on_hand * p.unit_cost, 2),"
	" " SQL_ISO("sl.last_counted_at") ", " SQL_ISO("sl.created_at") ", " SQL_ISO("sl.updated_at")
	" FROM (SELECT sl.id FROM stock_lines sl WHERE sl.workspace_id = ?";
static const char inventory_select_tail[] =
	" ORDER BY sl.id LIMIT ? OFFSET ?) page"
	" JOIN stock_lines sl ON sl.id = page.id"
	" JOIN products p ON p.workspace_id = sl.workspace_id AND p.id = sl.product_id"
	" JOIN locations l ON l.workspace_id = sl.workspace_id AND l.id = sl.location_id"
	" LEFT JOIN lots lt ON lt.workspace_id = sl.workspace_id AND lt.id = sl.lot_id"
	" LEFT JOIN bins b ON b.workspace_id = sl.workspace_id AND b.id = sl.bin_id"
	" ORDER BY sl.id";

static json_object *item_json(struct req *r, const struct db_result *res, size_t i,
			      const void *ctx)
{
	(void)ctx;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", api_cell_id(r, res, i, INV_ID, ID_ITEM));
	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, INV_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "productName", api_cell_string(res, i, INV_PRODUCT_NAME));
	json_object_object_add(o, "globalSku", api_cell_string(res, i, INV_SKU));
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, INV_LOCATION, ID_LOCATION));
	json_object_object_add(o, "locationName", api_cell_string(res, i, INV_LOCATION_NAME));
	json_object_object_add(o, "quantityOnHand", api_cell_int(res, i, INV_ON_HAND));
	json_object_object_add(o, "quantityReserved", api_cell_int(res, i, INV_RESERVED));
	json_object_object_add(o, "quantityAvailable", api_cell_int(res, i, INV_AVAILABLE));
	json_object_object_add(o, "lotId", api_cell_id(r, res, i, INV_LOT, ID_LOT));
	json_object_object_add(o, "lotNumber", api_cell_string(res, i, INV_LOT_NUMBER));
	json_object_object_add(o, "expiryDate", api_cell_string(res, i, INV_EXPIRY));
	json_object_object_add(o, "binId", api_cell_id(r, res, i, INV_BIN, ID_BIN));
	json_object_object_add(o, "binName", api_cell_string(res, i, INV_BIN_NAME));
	json_object_object_add(o, "unitCost", api_cell_number(res, i, INV_UNIT_COST));
	json_object_object_add(o, "totalValue", api_cell_number(res, i, INV_TOTAL_VALUE));
	json_object_object_add(o, "lastCountedAt", api_cell_string(res, i, INV_LAST_COUNTED));
	json_object_object_add(o, "createdAt", api_cell_string(res, i, INV_CREATED));
	json_object_object_add(o, "updatedAt", api_cell_string(res, i, INV_UPDATED));
	return o;
}

int inventory_list(struct req *r)
{
	struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM stock_lines sl WHERE sl.workspace_id = ?",
		.rows_sql = inventory_select_head,
		.rows_tail = inventory_select_tail,
		.row_fn = item_json,
	};
	struct query where;
	int64_t page, limit;
	size_t filters;
	int status, by_location;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	filters = api_add_filters(r, inventory_filters, ARRAY_SIZE(inventory_filters), &where);
	by_location = filters == 1 && req_query(r, "locationId") && *req_query(r, "locationId");
	/* With no filter or the location alone, the total is a counter the
	 * database keeps (stock_line_counts, aliased as the filter names it),
	 * not a count of the index. */
	if (filters == 0 || by_location)
		list.count_sql = "SELECT IFNULL(SUM(sl.line_count), 0) FROM stock_line_counts sl"
				 " WHERE sl.workspace_id = ?";
	return api_list_page(r, &list, &where, page, limit, NULL);
}
