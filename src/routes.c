/*
 * THE route table. Every endpoint of the API is one row here; nothing
 * else dispatches, checks permissions or documents endpoints.
 */
#include "config.h"

#include "api/api.h"
#include "api/adjust/adjust.h"
#include "api/counting/counting.h"
#include "api/holds/holds.h"
#include "api/master/master.h"
#include "api/stock/stock.h"
#include "api/system/system.h"
#include "core/util.h"
#include "routes.h"

#define PERMS(...) PERM_LIST(__VA_ARGS__)
#define NOPERMS PERM_LIST_NONE

const struct field page_query[] = {
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	{ .name = "search", .type = FIELD_STRING, .description = "Matches names and codes (substring)" },
	FIELDS_END
};

/* Master data: the generic list/get/create/update of one resource. */
#define MASTER(base, item, kind, res, tag, noun, plural, perm_read, perm_write) \
	{ HTTP_GET, base, resource_list, PERMS(perm_read), 0, ID_NONE, tag, "List " plural, \
	  page_query, NULL, &res, NULL }, \
	{ HTTP_POST, base, resource_create, PERMS(perm_write), ROUTE_CREATES, ID_NONE, tag, \
	  "Create a " noun, NULL, NULL, &res, NULL }, \
	{ HTTP_GET, item, resource_get, PERMS(perm_read), 0, kind, tag, "Get a " noun, \
	  NULL, NULL, &res, NULL }, \
	{ HTTP_PATCH, item, resource_update, PERMS(perm_write), ROUTE_PARTIAL, kind, tag, \
	  "Update a " noun, NULL, NULL, &res, NULL }

const struct route routes[] = {
	{ HTTP_GET, "/api/health", health_get, NOPERMS, ROUTE_PUBLIC, ID_NONE, "System",
	  "Health of the service and its database", NULL, NULL, NULL,
	  "200 when the database answers, 503 when it does not. No authentication." },
	{ HTTP_GET, "/api/openapi.json", openapi_get, NOPERMS, ROUTE_PUBLIC, ID_NONE, "System",
	  "This OpenAPI document", NULL, NULL, NULL, NULL },

	{ HTTP_GET, "/api/inventory", inventory_list, PERMS(PERM_INVENTORY_READ), 0, ID_NONE,
	  "Inventory", "List inventory items", inventory_query, NULL, NULL,
	  "Stock lines (product, location, lot, bin) with their quantities and value, "
	  "ordered by id. quantityAvailable = on hand - reserved - on hold - picked - "
	  "recalled - expired, and 0 when the line's lot is expired (status EXPIRED or "
	  "expiry date before today, UTC), RECALLED or ON_HOLD, marked or not." },

	{ HTTP_POST, "/api/inventory-levels", levels_upsert, PERMS(PERM_REPLENISHMENT_WRITE),
	  ROUTE_CREATES, ID_NONE, "Inventory levels",
	  "Create or update inventory level settings", NULL, level_fields, NULL,
	  "Creates the level of the product at the location (201) or updates the one "
	  "there is (200). min <= reorder <= max must hold." },
	{ HTTP_GET, "/api/inventory-levels/[id]", levels_get, PERMS(PERM_INVENTORY_READ), 0,
	  ID_LEVEL, "Inventory levels", "Get an inventory level", NULL, NULL, NULL, NULL },
	{ HTTP_PATCH, "/api/inventory-levels/[id]", levels_update, PERMS(PERM_REPLENISHMENT_WRITE),
	  ROUTE_PARTIAL, ID_LEVEL, "Inventory levels", "Update inventory level settings",
	  NULL, level_patch_fields, NULL, NULL },
	{ HTTP_DELETE, "/api/inventory-levels/[id]", levels_delete, PERMS(PERM_REPLENISHMENT_WRITE),
	  0, ID_LEVEL, "Inventory levels", "Delete an inventory level configuration",
	  NULL, NULL, NULL, NULL },
	{ HTTP_GET, "/api/products/[id]/inventory-levels", levels_for_product,
	  PERMS(PERM_PRODUCTS_READ, PERM_INVENTORY_READ), 0, ID_PRODUCT, "Inventory levels",
	  "Get product inventory levels", NULL, NULL, NULL, NULL },

	/* The stock ledger: adjustments (seeds 000, 002). */
	{ HTTP_POST, "/api/inventory/adjust", adjust_set, PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE,
	  "Adjustments", "Adjust inventory", NULL, adjust_fields, NULL,
	  "Sets a stock line's on-hand quantity; the difference is posted to the ledger "
	  "as an ADJUSTMENT. The same as POST /api/inventory/adjustments." },
	{ HTTP_GET, "/api/inventory/adjustments", adjustments_history, PERMS(PERM_INVENTORY_ADJUST), 0,
	  ID_NONE, "Adjustments", "List inventory adjustments", adjustments_query, NULL, NULL,
	  "The stock history (every ledger transaction), newest first, with limit/offset paging." },
	{ HTTP_POST, "/api/inventory/adjustments", adjust_set, PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE,
	  "Adjustments", "Create inventory adjustment", NULL, adjust_fields, NULL,
	  "Sets a stock line's on-hand quantity; the difference is posted to the ledger. "
	  "rootCause is required for large negative adjustments in healthcare workspaces." },
	{ HTTP_POST, "/api/inventory/adjustments/lot-correction", lot_correction,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE, "Adjustments", "Create lot correction adjustment",
	  NULL, lot_correction_fields, NULL,
	  "Moves a quantity from one lot to another of the same product, location and bin, "
	  "as one ledger event (two transactions with one reference)." },
	{ HTTP_GET, "/api/inventory/adjustments/reason-codes", adjustment_reason_codes,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE, "Adjustments", "List adjustment reason codes",
	  NULL, NULL, NULL, "The active reason codes of the workspace, ordered by code. A new "
	  "workspace starts with the standard set (CYCLE_COUNT, DAMAGE, THEFT, RECEIVED, ...), "
	  "its own copies to edit like any other code." },
	{ HTTP_GET, "/api/inventory/adjustments/record-stock", record_stock_list,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE, "Adjustments", "List recorded stock adjustments",
	  adjustments_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/adjustments/record-stock", record_stock,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE, "Adjustments", "Record stock adjustment",
	  NULL, record_stock_fields, NULL,
	  "Records counted (mode SET) or received (mode RECEIVE) stock for a product, location, "
	  "lot and bin, creating the lot and the stock line when new." },
	{ HTTP_POST, "/api/inventory/record-stock", record_stock, PERMS(PERM_INVENTORY_WRITE), 0,
	  ID_NONE, "Adjustments", "Record stock", NULL, record_stock_fields, NULL,
	  "The same as POST /api/inventory/adjustments/record-stock, but inventory.write records "
	  "received stock only: mode SET (the default) sets on hand, which also needs "
	  "inventory.adjust (403 naming it otherwise)." },

	/* Typed stock adjustments with manager approval (seed 004). */
#define PRODUCT_SCOPE_RULE \
	"By product, the change is spread over the product's stock lines at the location " \
	"(those of lotId and binId when given): a decrease takes first expiry first out (lots " \
	"by expiry date, then lots without one and stock without a lot, each by line id), from " \
	"each line at most what is available there, the rest from the last line (409 unless " \
	"the workspace allows negative stock); an increase goes to the line named (lotId and " \
	"binId both given), else to the only line, else to a new line of what was given when " \
	"there is none, else to the default line (the given lot and bin, none for those not " \
	"given) when it exists; otherwise 422 \"Ambiguous stock line\" with the candidate lines " \
	"in \"candidates\". No empty line is made to compare with."
	{ HTTP_POST, "/api/inventory/adjustments/stock", stock_adjustment_create,
	  PERMS(PERM_INVENTORY_ADJUST), ROUTE_CREATES, ID_NONE, "Stock adjustments",
	  "Create a stock adjustment (DAMAGE, THEFT, EXPIRED, FOUND, CORRECTION, RETURN)",
	  NULL, stock_adjustment_fields, NULL,
	  "Applied at once, or PENDING when it needs a manager's approval: |quantity| above the "
	  "workspace's approval quantity (50), |cost impact| above its approval cost (500), "
	  "or type THEFT. A pending adjustment changes no stock. inventoryItemId names one stock "
	  "line; productMasterId and locationId name the product there. " PRODUCT_SCOPE_RULE
	  " A pending one by product is placed by the same rule when approved; inventoryItemId "
	  "is then the line changed when it was one (else null), and quantityBefore and "
	  "quantityAfter are the total of the lines it names." },
	{ HTTP_GET, "/api/inventory/adjustments/stock", stock_adjustment_list,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_NONE, "Stock adjustments", "List stock adjustments",
	  stock_adjustment_query, NULL, NULL, NULL },
	{ HTTP_GET, "/api/inventory/adjustments/stock/[id]", stock_adjustment_get,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_ADJUSTMENT, "Stock adjustments", "Get a stock adjustment",
	  NULL, NULL, NULL, NULL },
	{ HTTP_GET, "/api/inventory/adjustments/pending", stock_adjustment_pending,
	  PERMS(PERM_INVENTORY_ADJUST), ROUTE_MANAGER, ID_NONE, "Stock adjustments",
	  "List stock adjustments waiting for approval", stock_adjustment_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/adjustments/stock/[id]/approve", stock_adjustment_approve,
	  PERMS(PERM_INVENTORY_ADJUST), ROUTE_MANAGER, ID_ADJUSTMENT, "Stock adjustments",
	  "Approve a pending stock adjustment", NULL, stock_adjustment_approve_fields, NULL,
	  "Posts the adjustment through the ledger (one by product placed on the stock of now, "
	  "see the create route) and records the approver and the approval's notes "
	  "(approvalNotes)." },
	{ HTTP_POST, "/api/inventory/adjustments/stock/[id]/reject", stock_adjustment_reject,
	  PERMS(PERM_INVENTORY_ADJUST), ROUTE_MANAGER, ID_ADJUSTMENT, "Stock adjustments",
	  "Reject a pending stock adjustment", NULL, stock_adjustment_decision_fields, NULL, NULL },
	{ HTTP_GET, "/api/products/[id]/adjustments", stock_adjustment_for_product,
	  PERMS(PERM_INVENTORY_ADJUST), 0, ID_PRODUCT, "Stock adjustments",
	  "List the stock adjustments of a product", stock_adjustment_query, NULL, NULL, NULL },

	/* Availability (ATP) of stock lines. */
	{ HTTP_GET, "/api/inventory/availability", availability_list, PERMS(PERM_INVENTORY_READ), 0,
	  ID_NONE, "Availability", "List availability records", availability_query, NULL, NULL,
	  "Stock lines with totals, or with summary=true one aggregate. Lines of expired, "
	  "recalled or held lots are left out unless includeExpired, includeRecalled or "
	  "includeOnHold, and have qtyAvailable 0 when included (a lot expires after its "
	  "expiry date, UTC). Totals cover every matching line; count is the number of "
	  "lines in this answer and pagination says how many match. With summary=true and "
	  "includeStockLines, stockLines is one page (page, limit) and pagination is given." },
	{ HTTP_GET, "/api/inventory/availability/[id]", availability_get, PERMS(PERM_INVENTORY_READ), 0,
	  ID_ITEM, "Availability", "Get availability record", NULL, NULL, NULL,
	  "One stock line; qtyAvailable is 0 when its lot is expired (isExpired), recalled "
	  "or on hold, whether or not its stock was marked." },
	{ HTTP_POST, "/api/inventory/availability/[id]", availability_update,
	  PERMS(PERM_INVENTORY_WRITE), 0, ID_ITEM, "Availability", "Create availability record",
	  NULL, availability_update_fields, NULL,
	  "Reserves, releases, picks, unpicks or ships a quantity of a stock line through the "
	  "ledger. A reservation or pick never exceeds what is available; a line whose lot "
	  "is expired, recalled or on hold has none (409 naming the lot's state)." },
	{ HTTP_POST, "/api/inventory/availability/check", availability_check,
	  PERMS(PERM_INVENTORY_READ), ROUTE_READONLY, ID_NONE, "Availability", "Check availability",
	  NULL, availability_check_fields, NULL,
	  "Checks up to 500 items in a constant number of queries. Stock of expired, recalled "
	  "or held lots is never available." },
	{ HTTP_GET, "/api/inventory/locations", inventory_by_location, PERMS(PERM_INVENTORY_READ), 0,
	  ID_NONE, "Inventory", "List inventory by location", page_query, NULL, NULL,
	  "Totals of every bucket per location; search matches the location's name or code. "
	  "totalAvailable follows the one definition of available." },
	{ HTTP_GET, "/api/inventory/lot-control/validate", lot_control_validate_get,
	  PERMS(PERM_INVENTORY_READ), 0, ID_NONE, "Lot control", "Get lot control validation",
	  lot_control_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/lot-control/validate", lot_control_validate_post,
	  PERMS(PERM_INVENTORY_READ), ROUTE_READONLY, ID_NONE, "Lot control", "Validate lot control",
	  NULL, lot_control_fields, NULL, "Validates a proposed movement; changes nothing." },

	/* Holds and expired stock. */
	{ HTTP_GET, "/api/inventory/holds", holds_list, PERMS(PERM_INVENTORY_READ), 0, ID_NONE,
	  "Holds", "List inventory holds", holds_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/holds", hold_create, PERMS(PERM_INVENTORY_WRITE), ROUTE_CREATES,
	  ID_NONE, "Holds", "Create inventory hold", NULL, hold_fields, NULL,
	  "Holds a quantity of a stock line, or the whole available stock of a lot. A line "
	  "whose lot is expired, recalled or on hold has nothing available to hold (409)." },
	{ HTTP_POST, "/api/inventory/holds/release", hold_release, PERMS(PERM_INVENTORY_WRITE), 0,
	  ID_NONE, "Holds", "Release inventory hold", NULL, hold_release_fields, NULL,
	  "Releases a hold, or part of a single-line hold." },
	{ HTTP_GET, "/api/inventory/expired", expired_list, PERMS(PERM_INVENTORY_READ), 0, ID_NONE,
	  "Expired", "List expired inventory", expired_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/expired/mark-expired", expired_mark, PERMS(PERM_INVENTORY_WRITE), 0,
	  ID_NONE, "Expired", "Mark inventory as expired", NULL, mark_expired_fields, NULL, NULL },
	{ HTTP_POST, "/api/inventory/expired/mark-consumed", expired_consume, PERMS(PERM_INVENTORY_WRITE),
	  0, ID_NONE, "Expired", "Mark expired inventory as consumed", NULL, mark_consumed_fields,
	  NULL, NULL },
	{ HTTP_POST, "/api/inventory/expired/transfer-destruction", expired_destroy,
	  PERMS(PERM_INVENTORY_WRITE), 0, ID_NONE, "Expired",
	  "Transfer expired inventory for destruction", NULL, transfer_destruction_fields, NULL,
	  "Moves expired stock to a destruction location through the ledger." },

	/* Cycle counts (seeds 000, 002). */
	{ HTTP_GET, "/api/inventory/cycle-count", cycle_count_get, PERMS(PERM_INVENTORY_CYCLECOUNT), 0,
	  ID_NONE, "Cycle counts", "Get cycle count data", cycle_count_query, NULL, NULL,
	  "Modes: all-products (default), batches, to-resolve, suggestions, abc-config. "
	  "locationId is required except for abc-config. The lists are paged (page, limit): "
	  "count is the number of items in this answer, pagination.total how many match; "
	  "overdueCount counts every matching product." },
	{ HTTP_POST, "/api/inventory/cycle-count", cycle_count_create, PERMS(PERM_INVENTORY_CYCLECOUNT),
	  ROUTE_CREATES, ID_NONE, "Cycle counts", "Create cycle count batch", NULL,
	  cycle_count_create_fields, NULL, NULL },
	{ HTTP_GET, "/api/inventory/cycle-count/[batchId]", cycle_count_batch_get,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_CYCLE_BATCH, "Cycle counts",
	  "Get cycle count batch details", NULL, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/cycle-count/[batchId]", cycle_count_batch_update,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_CYCLE_BATCH, "Cycle counts",
	  "Update cycle count batch", NULL, cycle_count_update_fields, NULL,
	  "START, RECORD counted quantities, SUBMIT or CANCEL. CREATED -> IN_PROGRESS -> "
	  "COUNTED -> RESOLVED; CREATED, IN_PROGRESS or COUNTED -> CANCELLED; anything else is 409." },
	{ HTTP_GET, "/api/inventory/cycle-count/abc", cycle_count_abc_get,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_NONE, "Cycle counts",
	  "Get ABC classification for cycle counting", cycle_count_abc_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/cycle-count/abc", cycle_count_abc_create,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), ROUTE_CREATES, ID_NONE, "Cycle counts",
	  "Create ABC-based cycle count", NULL, cycle_count_abc_fields, NULL,
	  "A batch of the stock lines due for counting by their class's frequency." },
	{ HTTP_PATCH, "/api/inventory/cycle-count/abc-config", cycle_count_abc_config_update,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), ROUTE_PARTIAL | ROUTE_ADMIN, ID_NONE, "Cycle counts",
	  "Update the ABC configuration (workspace admins)", NULL, cycle_count_abc_config_fields,
	  NULL, NULL },
	{ HTTP_GET, "/api/inventory/cycle-count/blind-form", cycle_count_blind_form,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_NONE, "Cycle counts", "Get blind cycle count form",
	  cycle_count_blind_query, NULL, NULL, "The lines to count, without system quantities." },
	{ HTTP_POST, "/api/inventory/cycle-count/resolve", cycle_count_resolve,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_NONE, "Cycle counts",
	  "Resolve cycle count discrepancies", NULL, cycle_count_resolve_fields, NULL,
	  "Per line: ACCEPT the count (posts counted - snapshot through the ledger), RECOUNT, "
	  "or KEEP the system quantity." },

	/* Inventory count sessions (seed 004). */
	{ HTTP_GET, "/api/inventory/counts", counts_list, PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_NONE,
	  "Count sessions", "List inventory count sessions", counts_query, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/counts", count_start, PERMS(PERM_INVENTORY_CYCLECOUNT),
	  ROUTE_CREATES | ROUTE_MANAGER, ID_NONE, "Count sessions", "Start an inventory count",
	  NULL, count_start_fields, NULL,
	  "Managers only. Counts whose scopes overlap are never in progress together: one "
	  "count per location, and a workspace-wide count (no locationId) overlaps every count. "
	  "409 names the count in progress in countId; of concurrent starts exactly one wins." },
	{ HTTP_GET, "/api/inventory/counts/summary", counts_summary, PERMS(PERM_INVENTORY_CYCLECOUNT), 0,
	  ID_NONE, "Count sessions", "Summary of inventory counts", counts_summary_query, NULL, NULL,
	  NULL },
	{ HTTP_GET, "/api/inventory/counts/[id]", count_get, PERMS(PERM_INVENTORY_CYCLECOUNT), 0,
	  ID_COUNT, "Count sessions", "Get an inventory count", NULL, NULL, NULL, NULL },
	{ HTTP_GET, "/api/inventory/counts/[id]/items", count_items_list,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), 0, ID_COUNT, "Count sessions", "Get count items",
	  NULL, NULL, NULL, NULL },
	{ HTTP_POST, "/api/inventory/counts/[id]/items", count_item_add,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), ROUTE_CREATES, ID_COUNT, "Count sessions", "Add count item",
	  NULL, count_item_fields, NULL,
	  "An item is the product at the count's location (or locationId), narrowed to lotId "
	  "and/or binId when given (lotId is required for lot-controlled products). It compares "
	  "with the total on hand of all the product's stock lines in that scope and values the "
	  "variance at the product's cost; inventoryItemId is the stock line when the scope holds "
	  "exactly one. Counting the same scope again replaces the item; a scope that overlaps "
	  "another item's (a bin of a product counted whole) is 409. Found stock that completion "
	  "could not place (see its rule) is 422 at once, with the candidate lines." },
	{ HTTP_POST, "/api/inventory/counts/[id]/complete", count_complete,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), ROUTE_MANAGER, ID_COUNT, "Count sessions",
	  "Complete an inventory count", NULL, count_complete_fields, NULL,
	  "With applyAdjustments, each item's variance (counted - system when counted, so stock "
	  "that moved since stays moved) is posted through the ledger, with a pre-approved "
	  "CORRECTION stock adjustment per item. " PRODUCT_SCOPE_RULE },
	{ HTTP_POST, "/api/inventory/counts/[id]/cancel", count_cancel,
	  PERMS(PERM_INVENTORY_CYCLECOUNT), ROUTE_MANAGER, ID_COUNT, "Count sessions",
	  "Cancel an inventory count", NULL, NULL, NULL, NULL },

	MASTER("/api/products", "/api/products/[id]", ID_PRODUCT, res_products, "Products",
	       "product", "products", PERM_PRODUCTS_READ, PERM_PRODUCTS_WRITE),
	MASTER("/api/categories", "/api/categories/[id]", ID_CATEGORY, res_categories, "Products",
	       "category", "categories", PERM_PRODUCTS_READ, PERM_PRODUCTS_WRITE),
	MASTER("/api/locations", "/api/locations/[id]", ID_LOCATION, res_locations, "Locations",
	       "location", "locations", PERM_LOCATIONS_READ, PERM_LOCATIONS_WRITE),
	{ HTTP_GET, "/api/locations/[id]/bins", resource_list, PERMS(PERM_LOCATIONS_READ), 0,
	  ID_LOCATION, "Locations", "List the bins of a location", page_query, NULL, &res_bins, NULL },
	{ HTTP_POST, "/api/locations/[id]/bins", resource_create, PERMS(PERM_LOCATIONS_WRITE),
	  ROUTE_CREATES, ID_LOCATION, "Locations", "Create a bin in a location", NULL, NULL,
	  &res_bins, NULL },
	{ HTTP_GET, "/api/bins/[id]", resource_get, PERMS(PERM_LOCATIONS_READ), 0, ID_BIN,
	  "Locations", "Get a bin", NULL, NULL, &res_bins, NULL },
	{ HTTP_PATCH, "/api/bins/[id]", resource_update, PERMS(PERM_LOCATIONS_WRITE), ROUTE_PARTIAL,
	  ID_BIN, "Locations", "Rename a bin", NULL, NULL, &res_bins, NULL },
	MASTER("/api/channels", "/api/channels/[id]", ID_CHANNEL, res_channels, "Channels",
	       "channel", "channels", PERM_CHANNELS_READ, PERM_CHANNELS_WRITE),
	MASTER("/api/lots", "/api/lots/[id]", ID_LOT, res_lots, "Lots",
	       "lot", "lots", PERM_INVENTORY_READ, PERM_INVENTORY_WRITE),
	MASTER("/api/reason-codes", "/api/reason-codes/[id]", ID_REASON_CODE, res_reason_codes,
	       "Reason codes", "reason code", "reason codes", PERM_REASONCODES_READ, PERM_REASONCODES_WRITE),
};

const size_t routes_count = ARRAY_SIZE(routes);

/* The body of a generic resource's create and update is its field table. */
const struct field *route_body(const struct route *rt)
{
	const struct resource *rs = rt->ctx;

	if (rt->body)
		return rt->body;
	if (rs && (rt->handler == resource_create || rt->handler == resource_update))
		return rs->fields;
	return NULL;
}

/* The filters of a generic list are its resource's FIELD_FILTER fields. */
const struct field *route_filters(const struct route *rt)
{
	const struct resource *rs = rt->ctx;

	return rs && rt->handler == resource_list ? rs->fields : NULL;
}
