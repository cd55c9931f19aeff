/* SPDX-License-Identifier: MIT */
/*
 * THE route table. Every endpoint of the API is one row here; nothing
 * else dispatches, checks permissions or documents endpoints.
 */
#include "config.h"

#include "api/api.h"
#include "api/adjust/adjust.h"
#include "api/analytics/analytics.h"
#include "api/channels/channels.h"
#include "api/counting/counting.h"
#include "api/holds/holds.h"
#include "api/master/master.h"
#include "api/moves/moves.h"
#include "api/replenish/replenish.h"
#include "api/requests/requests.h"
#include "api/stock/stock.h"
#include "api/system/system.h"
#include "core/util.h"
#include "routes.h"

#define PERMS(...) PERM_LIST(__VA_ARGS__)
#define NOPERMS PERM_LIST_NONE

/* Master data: the generic list/get/create/update of one resource. */
#define MASTER(base, item, kind, res, tag_, noun, plural, perm_read, perm_write) \
	{ .method = HTTP_GET, .pattern = base, .handler = resource_list, \
	  .permissions = PERMS(perm_read), .flags = ROUTE_REPLICA, .tag = tag_, .summary = "List " plural, \
	  .query = page_query, .ctx = &res, .response = { RESPONSE_RESOURCE_PAGE } }, \
	{ .method = HTTP_POST, .pattern = base, .handler = resource_create, \
	  .permissions = PERMS(perm_write), .flags = ROUTE_CREATES, .tag = tag_, \
	  .summary = "Create a " noun, .ctx = &res, .response = { RESPONSE_RESOURCE } }, \
	{ .method = HTTP_GET, .pattern = item, .handler = resource_get, \
	  .permissions = PERMS(perm_read), .path_kind = kind, .tag = tag_, \
	  .summary = "Get a " noun, .ctx = &res, .response = { RESPONSE_RESOURCE } }, \
	{ .method = HTTP_PATCH, .pattern = item, .handler = resource_update, \
	  .permissions = PERMS(perm_write), .flags = ROUTE_PARTIAL, .path_kind = kind, .tag = tag_, \
	  .summary = "Update a " noun, .ctx = &res, .response = { RESPONSE_RESOURCE } }

const struct route routes[] = {
	{ .method = HTTP_GET, .pattern = "/api/health", .handler = health_get,
	  .flags = ROUTE_PUBLIC, .tag = "System",
	  .summary = "Health of the service and its database",
	  .response = { .fields = health_fields },
	  .description =
	    "200 when the database answers, 503 when it does not. No authentication. Also "
	    "says the version that answers and whether migrations are pending: a migration "
	    "installed with this version (make install puts them beside the binary) that the "
	    "database has not applied (inventoryctl migrate applies them). Pending migrations "
	    "do not change the status: the service answers, but routes that need the newer "
	    "schema may fail until they are applied." },
	{ .method = HTTP_GET, .pattern = "/api/health/live", .handler = health_live_get,
	  .flags = ROUTE_PUBLIC | ROUTE_NO_DB, .tag = "System",
	  .summary = "Liveness: the responder answers, without asking the database",
	  .response = { .fields = health_live_fields },
	  .description =
	    "Always 200 from a responder that takes requests, whether or not the database "
	    "answers: for a load balancer's liveness check (a 502 or 504 from nginx means no "
	    "responder answered). GET /api/health tells whether requests can be served." },
	{ .method = HTTP_GET, .pattern = "/api/metrics", .handler = metrics_get,
	  .permissions = PERMS(PERM_SYSTEM_METRICS), .tag = "System",
	  .summary = "Counters of the whole pool, in the Prometheus text format",
	  .response = { RESPONSE_TEXT, .media_type = METRICS_CONTENT_TYPE,
			.description = "The Prometheus text exposition format 0.0.4" },
	  .description =
	    "For the operator's Prometheus: the counters of every workspace together, never one "
	    "workspace's, so it needs the permission system.metrics (a credential with * holds "
	    "it too), and nginx/inventory-api.conf answers it only to loopback addresses unless "
	    "the operator allows others. Per route (the route table's method and pattern, not "
	    "the path requested; route=\"unmatched\" for requests that matched none): requests "
	    "by status class, a latency histogram, database statements, transactions run again "
	    "after a deadlock or lock wait timeout, idempotent replays. Per worker process "
	    "alive: start time, uptime and resident memory. The counters are shared by the "
	    "workers of a pool (a file beside the FastCGI socket) and keep the counts of a "
	    "worker that died; they start again from zero when that file is removed (a reboot, "
	    "or a service whose runtime directory is removed when it stops)." },
	{ .method = HTTP_GET, .pattern = "/api/openapi.json", .handler = openapi_get,
	  .flags = ROUTE_PUBLIC | ROUTE_NO_DB, .tag = "System",
	  .summary = "This OpenAPI document",
	  .response = { .fields = openapi_document_fields } },

	{ .method = HTTP_GET, .pattern = "/api/inventory", .handler = inventory_list,
	  .flags = ROUTE_REPLICA,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Inventory",
	  .summary = "List inventory items",
	  .query = inventory_query,
	  .response = { RESPONSE_PAGE, inventory_columns },
	  .description =
	    "Stock lines (product, location, lot, bin) with their quantities and value, "
	    "ordered by id. quantityAvailable = on hand - reserved - on hold - picked - "
	    "recalled - expired, and 0 when the line's lot is expired (status EXPIRED or "
	    "expiry date before today, UTC), RECALLED or ON_HOLD, marked or not." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/export", .handler = inventory_export,
	  .flags = ROUTE_REPLICA,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Inventory",
	  .summary = "Export every matching inventory item as CSV or NDJSON",
	  .query = inventory_export_query,
	  .response = { RESPONSE_STREAM, inventory_columns },
	  .description =
	    "Every stock line that the filters of GET /api/inventory select, ordered by id, "
	    "streamed as it is read (no pages, constant memory on the server), as an attachment "
	    "inventory.csv or inventory.ndjson. The columns are the list item's fields, in its "
	    "order. csv (the default): RFC 4180, UTF-8 without a byte order mark, lines ending "
	    "in CRLF, a header line of the field names; a field holding a comma, a quote, CR or "
	    "LF is quoted, its quotes doubled; null is an empty field and empty text \"\"; ids, "
	    "numbers and dates as in JSON, without quotes. ndjson: one JSON object per line, "
	    "the list item's members, each line ending in LF. The rows are read 1,000 at a time, "
	    "each chunk after the last id sent: every line that exists throughout the export "
	    "appears exactly once, each as it was when its chunk was read. A bad format or "
	    "filter is the usual JSON 400 (and a database failure before the first row a JSON "
	    "500 or 503); once rows are sent the status is 200, and an export that stops early "
	    "(the database failed) ends with a last line that says so, "
	    "{\"error\": \"Export incomplete\", \"message\": ...} in ndjson and "
	    "\"#error Export incomplete: ...\" in csv, and the HTTP transfer is cut short (no "
	    "last chunk), so that clients report an incomplete body." },

	{ .method = HTTP_POST, .pattern = "/api/inventory-levels", .handler = levels_upsert,
	  .permissions = PERMS(PERM_REPLENISHMENT_WRITE),
	  .flags = ROUTE_CREATES | ROUTE_UPSERT, .tag = "Inventory levels",
	  .summary = "Create or update inventory level settings",
	  .body = level_fields,
	  .response = { .fields = level_columns },
	  .description =
	    "Creates the level of the product at the location (201) or updates the one "
	    "there is (200). min <= reorder <= max must hold." },
	{ .method = HTTP_GET, .pattern = "/api/inventory-levels/[id]", .handler = levels_get,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .path_kind = ID_LEVEL, .tag = "Inventory levels",
	  .summary = "Get an inventory level",
	  .response = { .fields = level_columns } },
	{ .method = HTTP_PATCH, .pattern = "/api/inventory-levels/[id]", .handler = levels_update,
	  .permissions = PERMS(PERM_REPLENISHMENT_WRITE),
	  .flags = ROUTE_PARTIAL, .path_kind = ID_LEVEL, .tag = "Inventory levels",
	  .summary = "Update inventory level settings",
	  .body = level_patch_fields,
	  .response = { .fields = level_columns } },
	{ .method = HTTP_DELETE, .pattern = "/api/inventory-levels/[id]", .handler = levels_delete,
	  .permissions = PERMS(PERM_REPLENISHMENT_WRITE),
	  .path_kind = ID_LEVEL, .tag = "Inventory levels",
	  .summary = "Delete an inventory level configuration",
	  .response = { .fields = level_deleted_fields } },
	{ .method = HTTP_GET, .pattern = "/api/products/[id]/inventory-levels",
	  .handler = levels_for_product,
	  .permissions = PERMS(PERM_PRODUCTS_READ, PERM_INVENTORY_READ),
	  .path_kind = ID_PRODUCT, .tag = "Inventory levels",
	  .summary = "Get product inventory levels",
	  .response = { .fields = product_levels_fields } },

	/* The stock ledger: adjustments (seeds 000, 002). */
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjust", .handler = adjust_set,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Adjustments",
	  .summary = "Adjust inventory",
	  .flags = ROUTE_OWN_REFERENCES,
	  .body = adjust_fields,
	  .response = { .fields = adjust_answer },
	  .description =
	    "Sets a stock line's on-hand quantity; the difference is posted to the ledger "
	    "as an ADJUSTMENT. The same as POST /api/inventory/adjustments." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/adjustments",
	  .flags = ROUTE_REPLICA,
	  .handler = adjustments_history,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Adjustments",
	  .summary = "List inventory adjustments",
	  .query = adjustments_query,
	  .response = { .shape = RESPONSE_OFFSET, .fields = adjustment_history_columns,
			.items_name = "entries" },
	  .description =
	    "The stock history (every ledger transaction), newest first, with limit/offset paging." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjustments", .handler = adjust_set,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Adjustments",
	  .summary = "Create inventory adjustment",
	  .flags = ROUTE_OWN_REFERENCES,
	  .body = adjust_fields,
	  .response = { .fields = adjust_answer },
	  .description =
	    "Sets a stock line's on-hand quantity; the difference is posted to the ledger. "
	    "rootCause is required for large negative adjustments in healthcare workspaces." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjustments/lot-correction",
	  .handler = lot_correction,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Adjustments",
	  .summary = "Create lot correction adjustment",
	  .body = lot_correction_fields,
	  .response = { .fields = lot_correction_answer },
	  .description =
	    "Moves a quantity from one lot to another of the same product, location and bin, "
	    "as one ledger event (two transactions with one reference)." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/adjustments/reason-codes",
	  .handler = adjustment_reason_codes,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Adjustments",
	  .summary = "List adjustment reason codes",
	  .response = { .fields = reason_codes_answer },
	  .description = "The active reason codes of the workspace, ordered by code. A new "
	    "workspace starts with the standard set (CYCLE_COUNT, DAMAGE, THEFT, RECEIVED, ...), "
	    "its own copies to edit like any other code." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/adjustments/record-stock",
	  .handler = record_stock_list,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Adjustments",
	  .summary = "List recorded stock adjustments",
	  .query = adjustments_query,
	  .response = { .shape = RESPONSE_OFFSET, .fields = adjustment_history_columns,
			.items_name = "entries" } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjustments/record-stock",
	  .handler = record_stock,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .flags = ROUTE_CREATES | ROUTE_UPSERT, .tag = "Adjustments",
	  .summary = "Record stock adjustment",
	  .body = record_stock_fields,
	  .response = { .fields = record_stock_answer,
			.description = "201 when it made a new stock line, else 200" },
	  .description =
	    "Records counted (mode SET) or received (mode RECEIVE) stock for a product, location, "
	    "lot and bin, creating the lot and the stock line when new. A receipt without a bin "
	    "goes to the location's receiving bin (isReceiving) when it has one, where it waits "
	    "to be put away." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/record-stock", .handler = record_stock,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .flags = ROUTE_CREATES | ROUTE_UPSERT, .tag = "Adjustments",
	  .summary = "Record stock",
	  .body = record_stock_fields,
	  .response = { .fields = record_stock_answer,
			.description = "201 when it made a new stock line, else 200" },
	  .description =
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
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjustments/stock",
	  .handler = stock_adjustment_create,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .flags = ROUTE_CREATES, .tag = "Stock adjustments",
	  .summary =
	    "Create a stock adjustment (DAMAGE, THEFT, EXPIRED, FOUND, CORRECTION, RETURN)",
	  .body = stock_adjustment_fields,
	  .response = { .fields = stock_adjustment_columns },
	  .description =
	    "Applied at once, or PENDING when it needs a manager's approval: |quantity| above the "
	    "workspace's approval quantity (50), |cost impact| above its approval cost (500), "
	    "or type THEFT. A pending adjustment changes no stock. inventoryItemId names one stock "
	    "line; productMasterId and locationId name the product there. " PRODUCT_SCOPE_RULE
	    " A pending one by product is placed by the same rule when approved; inventoryItemId "
	    "is then the line changed when it was one (else null), and quantityBefore and "
	    "quantityAfter are the total of the lines it names." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/adjustments/stock",
	  .handler = stock_adjustment_list,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .tag = "Stock adjustments",
	  .summary = "List stock adjustments",
	  .query = stock_adjustment_query,
	  .response = { .shape = RESPONSE_PAGE, .fields = stock_adjustment_columns } },
	{ .method = HTTP_GET, .pattern = "/api/inventory/adjustments/stock/[id]",
	  .handler = stock_adjustment_get,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .path_kind = ID_ADJUSTMENT, .tag = "Stock adjustments",
	  .summary = "Get a stock adjustment",
	  .response = { .fields = stock_adjustment_columns } },
	{ .method = HTTP_GET, .pattern = "/api/inventory/adjustments/pending",
	  .handler = stock_adjustment_pending,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .flags = ROUTE_MANAGER, .tag = "Stock adjustments",
	  .summary = "List stock adjustments waiting for approval",
	  .query = stock_adjustment_query,
	  .response = { .shape = RESPONSE_PAGE, .fields = stock_adjustment_columns } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjustments/stock/[id]/approve",
	  .handler = stock_adjustment_approve,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .flags = ROUTE_MANAGER, .path_kind = ID_ADJUSTMENT, .tag = "Stock adjustments",
	  .summary = "Approve a pending stock adjustment",
	  .body = stock_adjustment_approve_fields,
	  .response = { .fields = stock_adjustment_columns },
	  .description =
	    "Posts the adjustment through the ledger (one by product placed on the stock of now, "
	    "see the create route) and records the approver and the approval's notes "
	    "(approvalNotes)." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/adjustments/stock/[id]/reject",
	  .handler = stock_adjustment_reject,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .flags = ROUTE_MANAGER, .path_kind = ID_ADJUSTMENT, .tag = "Stock adjustments",
	  .summary = "Reject a pending stock adjustment",
	  .body = stock_adjustment_decision_fields,
	  .response = { .fields = stock_adjustment_columns } },
	{ .method = HTTP_GET, .pattern = "/api/products/[id]/adjustments",
	  .handler = stock_adjustment_for_product,
	  .permissions = PERMS(PERM_INVENTORY_ADJUST),
	  .path_kind = ID_PRODUCT, .tag = "Stock adjustments",
	  .summary = "List the stock adjustments of a product",
	  .query = stock_adjustment_query,
	  .response = { .shape = RESPONSE_PAGE, .fields = stock_adjustment_columns } },

	/* Availability (ATP) of stock lines. */
	{ .method = HTTP_GET, .pattern = "/api/inventory/availability",
	  .handler = availability_list,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Availability",
	  .summary = "List availability records",
	  .query = availability_query,
	  .response = { .fields = availability_lines_fields, .alt = availability_summary_fields },
	  .description =
	    "Stock lines with totals, or with summary=true one aggregate. Lines of expired, "
	    "recalled or held lots are left out unless includeExpired, includeRecalled or "
	    "includeOnHold, and have qtyAvailable 0 when included (a lot expires after its "
	    "expiry date, UTC). Totals cover every matching line; count is the number of "
	    "lines in this answer and pagination says how many match. With summary=true and "
	    "includeStockLines, stockLines is one page (page, limit) and pagination is given." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/availability/[id]",
	  .handler = availability_get,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .path_kind = ID_ITEM, .tag = "Availability",
	  .summary = "Get availability record",
	  .response = { .fields = availability_item_columns },
	  .description =
	    "One stock line; qtyAvailable is 0 when its lot is expired (isExpired), recalled "
	    "or on hold, whether or not its stock was marked." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/availability/[id]",
	  .handler = availability_update,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .path_kind = ID_ITEM, .tag = "Availability",
	  .summary = "Create availability record",
	  .body = availability_update_fields,
	  .response = { .fields = availability_update_answer },
	  .description =
	    "Reserves, releases, picks, unpicks or ships a quantity of a stock line through the "
	    "ledger. A reservation or pick never exceeds what is available; a line whose lot "
	    "is expired, recalled or on hold has none (409 naming the lot's state)." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/availability/check",
	  .handler = availability_check,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .flags = ROUTE_READONLY, .tag = "Availability",
	  .summary = "Check availability",
	  .body = availability_check_fields,
	  .response = { .fields = availability_check_answer },
	  .description =
	    "Checks up to 500 items in a constant number of queries. Stock of expired, recalled "
	    "or held lots is never available." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/channel-location",
	  .flags = ROUTE_REPLICA,
	  .handler = channel_location_matrix,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Channel ATP",
	  .summary = "Get channel x location ATP matrix",
	  .query = channel_matrix_query,
	  .response = { .fields = channel_matrix_answer },
	  .description =
	    "What each channel can promise of each product at one location, a page of products "
	    "(those with a stock line there, by id) at a time, in a constant number of queries. "
	    ATP_FORMULA " Set policies with /api/channels/{id}/atp-policies; reserve for a channel "
	    "with POST /api/inventory/availability/{id} and channelId." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/channel-location/export",
	  .flags = ROUTE_REPLICA,
	  .handler = channel_location_export,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Channel ATP",
	  .summary = "Export the channel x location ATP matrix as CSV or NDJSON",
	  .query = channel_export_query,
	  .response = { RESPONSE_STREAM, channel_export_columns },
	  .description =
	    "Every cell of the matrix at the location (the products that GET "
	    "/api/inventory/channel-location would page through, each with every channel "
	    "shown), one row per product and channel, by product id then channel id, streamed "
	    "as it is read (200 products at a time, constant memory on the server), as the "
	    "attachment channel-location.csv or .ndjson. The formats are those of GET "
	    "/api/inventory/export; policyId is null (an empty CSV field) where the default "
	    "policy applies. " ATP_FORMULA },
	{ .method = HTTP_GET, .pattern = "/api/inventory/channel-location/drilldown",
	  .flags = ROUTE_REPLICA,
	  .handler = channel_location_drilldown,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Channel ATP",
	  .summary = "Drill down into channel-location ATP",
	  .query = channel_drilldown_query,
	  .response = { .fields = channel_drilldown_answer },
	  .description =
	    "One cell of the matrix: the policy applied, every term of the formula and the stock "
	    "lines behind them (lot, expiry, bin and each bucket). A product without stock at the "
	    "location answers zeros. 404 when the channel is not the workspace's. " ATP_FORMULA },
	{ .method = HTTP_GET, .pattern = "/api/inventory/channel/summary",
	  .flags = ROUTE_REPLICA,
	  .handler = channel_summary,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Channel ATP",
	  .summary = "Get channel inventory summary",
	  .query = channel_summary_query,
	  .response = { .fields = channel_summary_answer },
	  .description =
	    "Per channel, over every product and location (or one location): on hand, reserved, "
	    "available and ATP summed over the cells of the matrix, and how many cells are OK, LOW "
	    "and CRITICAL. Every channel is listed, with zeros where it has no stock in scope. "
	    ATP_FORMULA },
	{ .method = HTTP_GET, .pattern = "/api/inventory/locations",
	  .flags = ROUTE_REPLICA,
	  .handler = inventory_by_location,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Inventory",
	  .summary = "List inventory by location",
	  .query = page_query,
	  .response = { RESPONSE_PAGE, location_total_columns },
	  .description =
	    "Totals of every bucket per location; search matches the location's name or code. "
	    "totalAvailable follows the one definition of available." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/analytics",
	  .flags = ROUTE_REPLICA,
	  .handler = analytics_get,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Inventory",
	  .summary = "Get inventory analytics",
	  .query = analytics_query,
	  .response = { .fields = analytics_answer },
	  .description =
	    "The figures of the stock in scope (the location, or every location of the workspace; "
	    "with categoryId only that category's products) over the period, whole UTC days from "
	    "fromDate 00:00:00 to toDate 23:59:59 (default: the 365 days ending today). "
	    "value = on hand x the product's unit cost (its current one, for past stock too). "
	    "totalValue, totalUnits and byCategory are the stock now. "
	    "Outflows are the ledger's SHIP, ISSUE and EXPIRED_CONSUMED entries, and TRANSFER_OUT "
	    "entries of transfers to another location (less TRANSFER_RETURN: a shipment sent "
	    "back) when the scope is one location; a transfer between two locations of the "
	    "workspace, a move between the bins of one location, adjustments, counts and "
	    "destruction are not outflows. A product's net outflow below 0 counts as 0. "
	    "turnoverRate = value of the outflows in the period / average inventory value over "
	    "the period, that average being time-weighted: the on hand at each instant is "
	    "reconstructed from the ledger (today's on hand less every change posted after that "
	    "instant; the part of the period after now holds today's). turnoverRate is 0 when that "
	    "average is not above 0. averageDaysOnHand = days in the period / turnoverRate, null "
	    "when turnoverRate is 0. slowMovingItems counts the products with stock on hand in "
	    "scope (their sum above 0) and no outflow in the period. expiringItems counts the stock "
	    "lines with stock whose lot expires from today to today + expiringWithinDays (default "
	    "90), both included; stock already expired (expiry date before today, or the lot "
	    "EXPIRED) is not expiring: see GET /api/inventory/expired. byCategory lists the "
	    "categories with stock on hand, largest value first; the products without a category "
	    "are one row with categoryId null and categoryName \"Uncategorized\". "
	    "Without locationId the stock and the ledger are read from the running totals that "
	    "the ledger keeps per product and UTC day (the same figures, from three rows per "
	    "product instead of every stock line and entry). "
	    "fromDate after toDate is 400." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/lot-control/validate",
	  .handler = lot_control_validate_get,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Lot control",
	  .summary = "Get lot control validation",
	  .query = lot_control_query,
	  .response = { .fields = lot_control_answer } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/lot-control/validate",
	  .handler = lot_control_validate_post,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .flags = ROUTE_READONLY, .tag = "Lot control",
	  .summary = "Validate lot control",
	  .body = lot_control_fields,
	  .response = { .fields = lot_control_movement_answer },
	  .description = "Validates a proposed movement; changes nothing." },

	/* Holds and expired stock. */
	{ .method = HTTP_GET, .pattern = "/api/inventory/holds", .handler = holds_list,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Holds",
	  .summary = "List inventory holds",
	  .query = holds_query,
	  .response = { RESPONSE_PAGE, hold_answer } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/holds", .handler = hold_create,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .flags = ROUTE_CREATES, .tag = "Holds",
	  .summary = "Create inventory hold",
	  .body = hold_fields,
	  .response = { .fields = hold_answer },
	  .description =
	    "Holds a quantity of a stock line, or the whole available stock of a lot. A line "
	    "whose lot is expired, recalled or on hold has nothing available to hold (409)." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/holds/release", .handler = hold_release,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .tag = "Holds",
	  .summary = "Release inventory hold",
	  .body = hold_release_fields,
	  .response = { .fields = hold_answer },
	  .description = "Releases a hold, or part of a single-line hold." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/expired", .handler = expired_list,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Expired",
	  .summary = "List expired inventory",
	  .query = expired_query,
	  .response = { RESPONSE_PAGE, expired_columns },
	  .description =
	    "Stock lines with stock on hand whose lot expired before asOf (default: today, UTC) "
	    "or has the status EXPIRED, by expiry date (lots without one last), then by id." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/expired/mark-expired",
	  .handler = expired_mark,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .tag = "Expired",
	  .summary = "Mark inventory as expired",
	  .body = mark_expired_fields,
	  .response = { .fields = mark_expired_answer } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/expired/mark-consumed",
	  .handler = expired_consume,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .tag = "Expired",
	  .summary = "Mark expired inventory as consumed",
	  .body = mark_consumed_fields,
	  .response = { .fields = mark_consumed_answer } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/expired/transfer-destruction",
	  .handler = expired_destroy,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .tag = "Expired",
	  .summary = "Transfer expired inventory for destruction",
	  .body = transfer_destruction_fields,
	  .response = { .fields = transfer_destruction_answer },
	  .description = "Moves expired stock to a destruction location through the ledger." },

	/* The moves of stock, then counting and the master data below
	 * locations and channels: the same table, kept in files of their own. */
#include "routes_moves.inc"
#include "routes_counting.inc"
};

const size_t routes_count = ARRAY_SIZE(routes);
