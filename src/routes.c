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

	/* Transfers and put-away (seeds 000, 002; the behaviour is ours). */
	{ .method = HTTP_GET, .pattern = "/api/inventory/transfers", .handler = transfer_list,
	  .permissions = PERMS(PERM_TRANSFERS_READ),
	  .tag = "Transfers",
	  .summary = "List transfers",
	  .query = transfer_query,
	  .response = { RESPONSE_PAGE, transfer_columns },
	  .description = "Newest first, without their lines (GET one for those)." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/transfers", .handler = transfer_create,
	  .permissions = PERMS(PERM_TRANSFERS_WRITE),
	  .flags = ROUTE_CREATES, .tag = "Transfers",
	  .summary = "Create a transfer",
	  .body = transfer_create_fields,
	  .response = { .fields = transfer_answer },
	  .description =
	    "Created PENDING with its lines. Each line is picked at once from the source's stock "
	    "of its product (and lot and bin, when given): first expiry first out (lots by expiry "
	    "date, then lots without one and stock without a lot), never from expired, held or "
	    "recalled stock, and each pick is reserved so that nothing else can promise it. Not "
	    "enough available: 409, nothing changes. Between the bins of one location every line "
	    "needs a toBinId; with complete=true such a move is done at once (COMPLETED)." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/transfers/bins", .handler = transfer_bins,
	  .permissions = PERMS(PERM_TRANSFERS_READ),
	  .tag = "Transfers",
	  .summary = "Bins of a location with a product's stock, and the suggested bin",
	  .query = transfer_bins_query,
	  .response = { .fields = transfer_bins_answer } },
	{ .method = HTTP_GET, .pattern = "/api/inventory/transfers/[id]", .handler = transfer_get,
	  .permissions = PERMS(PERM_TRANSFERS_READ), .path_kind = ID_TRANSFER,
	  .tag = "Transfers",
	  .summary = "Get a transfer with its lines and picks",
	  .response = { .fields = transfer_answer } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/transfers/[id]", .handler = transfer_action,
	  .permissions = PERMS(PERM_TRANSFERS_WRITE), .path_kind = ID_TRANSFER,
	  .tag = "Transfers",
	  .summary = "Ship, receive, complete, cancel or close a transfer",
	  .body = transfer_action_fields,
	  .response = { .fields = transfer_answer },
	  .description =
	    "PENDING -> SHIPPED (SHIP: ledger TRANSFER_OUT at the source; the stock is in transit) "
	    "-> PARTIALLY_RECEIVED or RECEIVED (RECEIVE: TRANSFER_IN at the destination, in the "
	    "picked lot, into the bin named per line, else the line's toBinId, else the "
	    "destination's receiving bin, else no bin). PENDING -> CANCELLED (CANCEL: reservations "
	    "released). Within one location PENDING -> COMPLETED (COMPLETE). SHIPPED or "
	    "PARTIALLY_RECEIVED -> CLOSED (CLOSE with reasonCodeId: what is in transit is written "
	    "off, a TRANSFER_LOSS entry per pick that changes no bucket, since the stock left the "
	    "source when shipped). Any other transition: 409 naming the current status." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/put-away", .handler = put_away_list,
	  .permissions = PERMS(PERM_INVENTORY_READ),
	  .tag = "Put-away",
	  .summary = "List put-away tasks, or the stock waiting to be put away",
	  .query = put_away_query,
	  .response = { RESPONSE_PAGE, put_away_task_columns, .alt = put_away_candidates_answer },
	  .description =
	    "Tasks newest first, without their lines. With mode=candidates: the stock of the "
	    "location in its receiving bin (a bin with isReceiving), or in no bin at a location "
	    "that has bins, that is not reserved yet, each line with its suggested bin." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/put-away", .handler = put_away_post,
	  .permissions = PERMS(PERM_INVENTORY_WRITE),
	  .flags = ROUTE_CREATES | ROUTE_UPSERT, .tag = "Put-away",
	  .summary = "Create, complete or cancel a put-away task",
	  .body = put_away_post_fields,
	  .response = { .fields = put_away_answer },
	  .description =
	    "Without action: creates a PENDING task (201) and reserves each line's quantity on its "
	    "stock line. With action COMPLETE or CANCEL and putAwayId: finishes the task (200). "
	    "COMPLETE moves what was put away bin to bin (ledger PUTAWAY_OUT, PUTAWAY_IN) and "
	    "releases the rest of the reservation: that stock stays a candidate." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/put-away/[id]", .handler = put_away_action,
	  .permissions = PERMS(PERM_INVENTORY_WRITE), .path_kind = ID_PUT_AWAY,
	  .tag = "Put-away",
	  .summary = "Complete or cancel a put-away task (extension)",
	  .body = put_away_action_fields,
	  .response = { .fields = put_away_answer },
	  .description = "The same as POST /api/inventory/put-away with an action and putAwayId." },

	/* Replenishment (seeds 000, 002; the behaviour is ours). */
	{ .method = HTTP_GET, .pattern = "/api/inventory/replenishment", .handler = replenishment_list,
	  .permissions = PERMS(PERM_REPLENISHMENT_READ), .tag = "Replenishment",
	  .summary = "List replenishments",
	  .query = replenishment_query, .response = { RESPONSE_PAGE, replenishment_columns },
	  .description = "Newest first, without their lines." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/replenishment", .handler = replenishment_create,
	  .permissions = PERMS(PERM_REPLENISHMENT_WRITE), .flags = ROUTE_CREATES,
	  .tag = "Replenishment",
	  .summary = "Order replenishment, from lines or from the suggestions",
	  .body = replenishment_create_fields, .response = { .fields = replenishment_created_answer },
	  .description =
	    "PENDING replenishments for locationId, one per source location (a line's "
	    "sourceLocationId, else its level's replenishment location, else an outside supplier). "
	    "With fromSuggestions=true the lines are the suggestions above 0 at the location; an "
	    "open replenishment counts as on order, so asking twice orders nothing twice." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/replenishment/config",
	  .handler = replenish_config_get,
	  .permissions = PERMS(PERM_REPLENISHMENT_READ), .tag = "Replenishment",
	  .summary = "The workspace's replenishment configuration",
	  .response = { .fields = replenish_config_fields } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/replenishment/config",
	  .handler = replenish_config_post,
	  .permissions = PERMS(PERM_REPLENISHMENT_WRITE), .flags = ROUTE_ADMIN,
	  .tag = "Replenishment",
	  .summary = "Change the replenishment configuration",
	  .body = replenish_config_fields, .response = { .fields = replenish_config_fields },
	  .description = "Any subset of the settings; an unknown key or a value out of range is 400 "
			 "and changes nothing. Answers the whole configuration." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/replenishment/suggestions",
	  .handler = replenish_suggestions,
	  .permissions = PERMS(PERM_REPLENISHMENT_READ), .flags = ROUTE_READONLY,
	  .tag = "Replenishment",
	  .summary = "What to reorder, and every figure behind it",
	  .body = replenish_suggest_fields, .response = { .fields = replenish_suggest_answer },
	  .description =
	    "Changes nothing. One row per Supported inventory level matching the filters, from one "
	    "query whatever the number of levels. A threshold is reached when the position is at "
	    "or below it; see each field for its rule." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/replenishment/[id]",
	  .handler = replenishment_get,
	  .permissions = PERMS(PERM_REPLENISHMENT_READ), .path_kind = ID_REPLENISHMENT,
	  .tag = "Replenishment", .summary = "Get a replenishment (extension)",
	  .response = { .fields = replenishment_answer } },
	{ .method = HTTP_POST, .pattern = "/api/inventory/replenishment/[id]",
	  .handler = replenishment_action,
	  .permissions = PERMS(PERM_REPLENISHMENT_WRITE), .path_kind = ID_REPLENISHMENT,
	  .tag = "Replenishment", .summary = "Approve, complete or cancel a replenishment (extension)",
	  .body = replenishment_action_fields, .response = { .fields = replenishment_answer },
	  .description =
	    "APPROVE: PENDING -> APPROVED; from another location it opens the transfer source -> "
	    "location (reserving first expiry first out; 409 when short), which is shipped and "
	    "received through /api/inventory/transfers/[id]: received (or closed), it completes the "
	    "replenishment. COMPLETE (outside supplier): APPROVED -> COMPLETED, each line received "
	    "through the ledger (RECEIPT) with its lot, into binId, else the level's preferred "
	    "bin, else the receiving bin. CANCEL: PENDING or APPROVED (its transfer only while "
	    "PENDING). Else 409 naming the status." },

	/* Stock requests (seeds 000, 002; the behaviour is ours). The fixed
	 * paths come before /api/stock-requests/[id]. */
#define SR(m, path, fn, perms, sum, ...) \
	{ .method = m, .pattern = "/api/stock-requests" path, .handler = fn, \
	  .permissions = perms, .tag = "Stock requests", .summary = sum, __VA_ARGS__ }
#define SR_READ PERMS(PERM_STOCKREQUESTS_READ)
#define SR_WRITE PERMS(PERM_STOCKREQUESTS_WRITE)
#define SR_APPROVE PERMS(PERM_STOCKREQUESTS_APPROVE)
	SR(HTTP_GET, "", request_list, SR_READ, "List stock requests", .flags = ROUTE_REPLICA,
	   .query = request_query, .response = { RESPONSE_PAGE, request_columns },
	   .description = "Newest first, without lines, comments and history." ),
	SR(HTTP_POST, "", request_create, SR_WRITE, "Create a stock request (DRAFT)",
	   .flags = ROUTE_CREATES, .body = request_create_fields,
	   .response = { .fields = request_answer },
	   .description =
	     "SR-000042 per workspace. Each line keeps the requesting location's on hand at the "
	     "time (quantityOnHandAtRequest). fromStocklist=true makes the lines from the "
	     "requesting location's stocklist: its Supported inventory levels, max(maxQuantity - "
	     "onHand, 0) each, lines of 0 left out." ),
	SR(HTTP_GET, "/pending-approvals", request_pending_approvals, SR_APPROVE,
	   "Stock requests waiting for the caller's approval",
	   .query = request_pending_query, .response = { RESPONSE_PAGE, request_columns },
	   .description = "PENDING_APPROVAL requests the caller did not make, oldest submission first." ),
	SR(HTTP_GET, "/dashboard", request_dashboard, SR_READ, "Stock request dashboard",
	   .query = request_dashboard_query, .response = { .fields = request_dashboard_answer } ),
	SR(HTTP_GET, "/by-category", request_by_category, SR_READ,
	   "Stock requests by product category",
	   .query = request_by_category_query, .response = { .fields = request_by_category_answer } ),
	SR(HTTP_GET, "/filters", request_filters, SR_READ, "The values the list's filters take",
	   .response = { .fields = request_filters_answer } ),
	SR(HTTP_GET, "/products/search", request_product_search,
	   PERMS(PERM_STOCKREQUESTS_READ, PERM_PRODUCTS_READ), "Products to request",
	   .query = request_search_query, .response = { .fields = request_search_answer } ),
	SR(HTTP_GET, "/products/stocklist", request_stocklist, SR_READ,
	   "A requesting location's stocklist with suggested quantities",
	   .query = request_stocklist_query, .response = { .fields = request_stocklist_answer } ),
	SR(HTTP_GET, "/[id]", request_get, SR_READ, "Get a stock request",
	   .path_kind = ID_STOCK_REQUEST, .response = { .fields = request_answer } ),
	SR(HTTP_PATCH, "/[id]", request_update, SR_WRITE, "Edit a stock request",
	   .path_kind = ID_STOCK_REQUEST, .flags = ROUTE_PARTIAL, .body = request_update_fields,
	   .response = { .fields = request_answer },
	   .description = "While DRAFT, or while PENDING_APPROVAL by its requester; else 409." ),
	SR(HTTP_DELETE, "/[id]", request_delete, SR_WRITE, "Delete a draft stock request",
	   .path_kind = ID_STOCK_REQUEST, .response = { .fields = request_deleted_answer },
	   .description = "Only a DRAFT; else 409 (cancel it instead)." ),
	SR(HTTP_POST, "/[id]/submit", request_submit, SR_WRITE, "Submit a stock request",
	   .path_kind = ID_STOCK_REQUEST, .body = request_rollback_fields,
	   .response = { .fields = request_answer },
	   .description =
	     "DRAFT -> SUBMITTED -> PENDING_APPROVAL when the workspace (inventoryctl workspace "
	     "set --request-approval, default yes) or the fulfilling location (requiresApproval) "
	     "requires approval; else approved whole at once, reserving the stock (409 when it is "
	     "short, and nothing changes)." ),
	SR(HTTP_POST, "/[id]/approve", request_approve, SR_APPROVE, "Approve a stock request",
	   .path_kind = ID_STOCK_REQUEST, .body = request_approve_fields,
	   .response = { .fields = request_answer },
	   .description =
	     "PENDING_APPROVAL -> APPROVED. Never by its requester (403). Lines may be cut (to 0) "
	     "with a reason. The approved quantities are reserved at the fulfilling location by "
	     "opening the request's transfer (PENDING, first expiry first out); 409 when the stock "
	     "is short, and nothing changes." ),
	SR(HTTP_POST, "/[id]/reject", request_reject, SR_APPROVE, "Reject a stock request",
	   .path_kind = ID_STOCK_REQUEST, .body = request_reject_fields,
	   .response = { .fields = request_answer },
	   .description = "PENDING_APPROVAL -> REJECTED, with a comment (required)." ),
	SR(HTTP_POST, "/[id]/rollback", request_rollback, SR_WRITE,
	   "Undo a stock request's last decision",
	   .path_kind = ID_STOCK_REQUEST, .body = request_rollback_fields,
	   .response = { .fields = request_answer },
	   .description =
	     "APPROVED or REJECTED -> PENDING_APPROVAL (the transfer cancelled, reservations "
	     "released), PENDING_APPROVAL -> DRAFT, ISSUED -> APPROVED while nothing was received "
	     "(the stock goes back through the ledger, TRANSFER_RETURN, reserved again)." ),
	SR(HTTP_POST, "/[id]/comment", request_comment, SR_WRITE, "Comment on a stock request",
	   .path_kind = ID_STOCK_REQUEST, .flags = ROUTE_CREATES, .body = request_comment_fields,
	   .response = { .fields = request_answer } ),
	SR(HTTP_GET, "/[id]/lines", request_lines_get, SR_READ, "A stock request's lines",
	   .path_kind = ID_STOCK_REQUEST, .response = { .fields = request_lines_answer } ),
	SR(HTTP_POST, "/[id]/lines", request_lines_post, SR_WRITE,
	   "Add or replace a stock request's lines",
	   .path_kind = ID_STOCK_REQUEST, .body = request_lines_fields,
	   .response = { .fields = request_answer },
	   .description = "While the request can be edited (as PATCH)." ),
	SR(HTTP_GET, "/[id]/status", request_status_get, SR_READ,
	   "A stock request's status, next statuses and history",
	   .path_kind = ID_STOCK_REQUEST, .response = { .fields = request_status_answer } ),
	SR(HTTP_POST, "/[id]/status", request_status_post, SR_WRITE, "Move a stock request",
	   .path_kind = ID_STOCK_REQUEST, .body = request_status_fields,
	   .response = { .fields = request_answer },
	   .description =
	     "To one of allowedTransitions, else 409 naming the current status. APPROVED and "
	     "REJECTED also need stockrequests.approve. ISSUED ships the transfer (the stock "
	     "leaves the fulfilling location); RECEIVED receives it, all or the lines given, into "
	     "the requesting location's receiving bin or no bin: the request is RECEIVED when "
	     "everything issued has arrived, else it stays ISSUED; with closeShort and a "
	     "reasonCodeId what never arrived is written off and it is RECEIVED short. CANCELLED "
	     "from any status before ISSUED releases the reservation." ),
#undef SR
#undef SR_READ
#undef SR_WRITE
#undef SR_APPROVE

	/* Cycle counts (seeds 000, 002). */
	{ .method = HTTP_GET, .pattern = "/api/inventory/cycle-count", .handler = cycle_count_get,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .tag = "Cycle counts",
	  .summary = "Get cycle count data",
	  .query = cycle_count_query,
	  .response = { .fields = cycle_count_modes_answer, .alt = cycle_count_config_answer },
	  .description =
	    "Modes: all-products (default), batches, to-resolve, suggestions, abc-config. "
	    "locationId is required except for abc-config. The lists are paged (page, limit): "
	    "count is the number of items in this answer, pagination.total how many match; "
	    "overdueCount counts every matching product." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/cycle-count",
	  .handler = cycle_count_create,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_CREATES, .tag = "Cycle counts",
	  .summary = "Create cycle count batch",
	  .response = { .fields = cc_batch_fields },
	  .body = cycle_count_create_fields },
	{ .method = HTTP_GET, .pattern = "/api/inventory/cycle-count/[batchId]",
	  .handler = cycle_count_batch_get,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .path_kind = ID_CYCLE_BATCH, .tag = "Cycle counts",
	  .response = { .fields = cc_batch_fields },
	  .summary = "Get cycle count batch details" },
	{ .method = HTTP_POST, .pattern = "/api/inventory/cycle-count/[batchId]",
	  .handler = cycle_count_batch_update,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .path_kind = ID_CYCLE_BATCH, .tag = "Cycle counts",
	  .summary = "Update cycle count batch",
	  .body = cycle_count_update_fields,
	  .response = { .fields = cc_batch_fields },
	  .description =
	    "START, RECORD counted quantities, SUBMIT or CANCEL. CREATED -> IN_PROGRESS -> "
	    "COUNTED -> RESOLVED; CREATED, IN_PROGRESS or COUNTED -> CANCELLED; anything else is 409." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/cycle-count/abc",
	  .handler = cycle_count_abc_get,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .tag = "Cycle counts",
	  .summary = "Get ABC classification for cycle counting",
	  .response = { .fields = cycle_count_abc_answer },
	  .query = cycle_count_abc_query },
	{ .method = HTTP_POST, .pattern = "/api/inventory/cycle-count/abc",
	  .handler = cycle_count_abc_create,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_CREATES, .tag = "Cycle counts",
	  .summary = "Create ABC-based cycle count",
	  .body = cycle_count_abc_fields,
	  .response = { .fields = cc_batch_fields },
	  .description =
	    "A batch of the stock lines due for counting by their class's frequency." },
	{ .method = HTTP_PATCH, .pattern = "/api/inventory/cycle-count/abc-config",
	  .handler = cycle_count_abc_config_update,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_PARTIAL | ROUTE_ADMIN, .tag = "Cycle counts",
	  .summary = "Update the ABC configuration (workspace admins)",
	  .response = { .fields = cycle_count_config_answer },
	  .body = cycle_count_abc_config_fields },
	{ .method = HTTP_GET, .pattern = "/api/inventory/cycle-count/blind-form",
	  .handler = cycle_count_blind_form,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .tag = "Cycle counts",
	  .summary = "Get blind cycle count form",
	  .query = cycle_count_blind_query,
	  .response = { .fields = cycle_count_blind_answer },
	  .description = "The lines to count, without system quantities." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/cycle-count/resolve",
	  .handler = cycle_count_resolve,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .tag = "Cycle counts",
	  .summary = "Resolve cycle count discrepancies",
	  .body = cycle_count_resolve_fields,
	  .response = { .fields = cycle_count_resolve_answer },
	  .description =
	    "Per line: ACCEPT the count (posts counted - snapshot through the ledger), RECOUNT, "
	    "or KEEP the system quantity." },

	/* Inventory count sessions (seed 004). */
	{ .method = HTTP_GET, .pattern = "/api/inventory/counts", .handler = counts_list,
	  .flags = ROUTE_REPLICA,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .tag = "Count sessions",
	  .summary = "List inventory count sessions",
	  .response = { .shape = RESPONSE_PAGE, .fields = count_columns },
	  .query = counts_query },
	{ .method = HTTP_POST, .pattern = "/api/inventory/counts", .handler = count_start,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_CREATES | ROUTE_MANAGER, .tag = "Count sessions",
	  .summary = "Start an inventory count",
	  .body = count_start_fields,
	  .response = { .fields = count_columns },
	  .description =
	    "Managers only. Counts whose scopes overlap are never in progress together: one "
	    "count per location, and a workspace-wide count (no locationId) overlaps every count. "
	    "409 names the count in progress in countId; of concurrent starts exactly one wins." },
	{ .method = HTTP_GET, .pattern = "/api/inventory/counts/summary", .handler = counts_summary,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .tag = "Count sessions",
	  .summary = "Summary of inventory counts",
	  .response = { .fields = counts_summary_fields },
	  .query = counts_summary_query },
	{ .method = HTTP_GET, .pattern = "/api/inventory/counts/[id]", .handler = count_get,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .path_kind = ID_COUNT, .tag = "Count sessions",
	  .response = { .fields = count_columns },
	  .summary = "Get an inventory count" },
	{ .method = HTTP_GET, .pattern = "/api/inventory/counts/[id]/items",
	  .handler = count_items_list,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .path_kind = ID_COUNT, .tag = "Count sessions",
	  .response = { .fields = count_items_fields },
	  .summary = "Get count items" },
	{ .method = HTTP_POST, .pattern = "/api/inventory/counts/[id]/items",
	  .handler = count_item_add,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_CREATES | ROUTE_UPSERT, .path_kind = ID_COUNT, .tag = "Count sessions",
	  .summary = "Add count item",
	  .body = count_item_fields,
	  .response = { .fields = count_item_columns },
	  .description =
	    "An item is the product at the count's location (or locationId), narrowed to lotId "
	    "and/or binId when given (lotId is required for lot-controlled products). It compares "
	    "with the total on hand of all the product's stock lines in that scope and values the "
	    "variance at the product's cost; inventoryItemId is the stock line when the scope holds "
	    "exactly one. Counting the same scope again replaces the item (200; a new item is 201); a scope that overlaps "
	    "another item's (a bin of a product counted whole) is 409. Found stock that completion "
	    "could not place (see its rule) is 422 at once, with the candidate lines." },
	{ .method = HTTP_POST, .pattern = "/api/inventory/counts/[id]/complete",
	  .handler = count_complete,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_MANAGER, .path_kind = ID_COUNT, .tag = "Count sessions",
	  .summary = "Complete an inventory count",
	  .body = count_complete_fields,
	  .response = { .fields = count_columns },
	  .description =
	    "With applyAdjustments, each item's variance (counted - system when counted, so stock "
	    "that moved since stays moved) is posted through the ledger, with a pre-approved "
	    "CORRECTION stock adjustment per item. " PRODUCT_SCOPE_RULE },
	{ .method = HTTP_POST, .pattern = "/api/inventory/counts/[id]/cancel",
	  .handler = count_cancel,
	  .permissions = PERMS(PERM_INVENTORY_CYCLECOUNT),
	  .flags = ROUTE_MANAGER, .path_kind = ID_COUNT, .tag = "Count sessions",
	  .response = { .fields = count_columns },
	  .summary = "Cancel an inventory count" },

	MASTER("/api/products", "/api/products/[id]", ID_PRODUCT, res_products, "Products",
	       "product", "products", PERM_PRODUCTS_READ, PERM_PRODUCTS_WRITE),
	MASTER("/api/categories", "/api/categories/[id]", ID_CATEGORY, res_categories, "Products",
	       "category", "categories", PERM_PRODUCTS_READ, PERM_PRODUCTS_WRITE),
	MASTER("/api/locations", "/api/locations/[id]", ID_LOCATION, res_locations, "Locations",
	       "location", "locations", PERM_LOCATIONS_READ, PERM_LOCATIONS_WRITE),
	{ .method = HTTP_GET, .pattern = "/api/locations/[id]/bins", .handler = resource_list,
	  .permissions = PERMS(PERM_LOCATIONS_READ),
	  .path_kind = ID_LOCATION, .tag = "Locations",
	  .summary = "List the bins of a location",
	  .query = page_query,
	  .ctx = &res_bins, .response = { RESPONSE_RESOURCE_PAGE } },
	{ .method = HTTP_POST, .pattern = "/api/locations/[id]/bins", .handler = resource_create,
	  .permissions = PERMS(PERM_LOCATIONS_WRITE),
	  .flags = ROUTE_CREATES, .path_kind = ID_LOCATION, .tag = "Locations",
	  .summary = "Create a bin in a location",
	  .ctx = &res_bins, .response = { RESPONSE_RESOURCE } },
	{ .method = HTTP_GET, .pattern = "/api/bins/[id]", .handler = resource_get,
	  .permissions = PERMS(PERM_LOCATIONS_READ),
	  .path_kind = ID_BIN, .tag = "Locations",
	  .summary = "Get a bin",
	  .ctx = &res_bins, .response = { RESPONSE_RESOURCE } },
	{ .method = HTTP_PATCH, .pattern = "/api/bins/[id]", .handler = resource_update,
	  .permissions = PERMS(PERM_LOCATIONS_WRITE),
	  .flags = ROUTE_PARTIAL, .path_kind = ID_BIN, .tag = "Locations",
	  .summary = "Rename a bin",
	  .ctx = &res_bins, .response = { RESPONSE_RESOURCE } },
	MASTER("/api/channels", "/api/channels/[id]", ID_CHANNEL, res_channels, "Channels",
	       "channel", "channels", PERM_CHANNELS_READ, PERM_CHANNELS_WRITE),
	{ .method = HTTP_GET, .pattern = "/api/channels/[id]/atp-policies", .handler = resource_list,
	  .permissions = PERMS(PERM_CHANNELS_READ),
	  .path_kind = ID_CHANNEL, .tag = "Channels",
	  .summary = "List a channel's ATP policies",
	  .query = page_query, .ctx = &res_policies, .response = { RESPONSE_RESOURCE_PAGE },
	  .description = "The channel's policy for every location (locationId null) and its "
			 "overrides per location. " ATP_FORMULA },
	{ .method = HTTP_POST, .pattern = "/api/channels/[id]/atp-policies", .handler = resource_create,
	  .permissions = PERMS(PERM_CHANNELS_WRITE),
	  .flags = ROUTE_CREATES, .path_kind = ID_CHANNEL, .tag = "Channels",
	  .summary = "Create an ATP policy for a channel",
	  .ctx = &res_policies, .response = { RESPONSE_RESOURCE },
	  .description = "One policy per channel and location, and one for every location "
			 "(no locationId): 409 for a second. " ATP_FORMULA },
	{ .method = HTTP_GET, .pattern = "/api/atp-policies/[id]", .handler = resource_get,
	  .permissions = PERMS(PERM_CHANNELS_READ),
	  .path_kind = ID_POLICY, .tag = "Channels",
	  .summary = "Get an ATP policy",
	  .ctx = &res_policies, .response = { RESPONSE_RESOURCE } },
	{ .method = HTTP_PATCH, .pattern = "/api/atp-policies/[id]", .handler = resource_update,
	  .permissions = PERMS(PERM_CHANNELS_WRITE),
	  .flags = ROUTE_PARTIAL, .path_kind = ID_POLICY, .tag = "Channels",
	  .summary = "Update an ATP policy",
	  .ctx = &res_policies, .response = { RESPONSE_RESOURCE } },
	{ .method = HTTP_DELETE, .pattern = "/api/atp-policies/[id]", .handler = resource_delete,
	  .permissions = PERMS(PERM_CHANNELS_WRITE),
	  .path_kind = ID_POLICY, .tag = "Channels",
	  .summary = "Delete an ATP policy",
	  .ctx = &res_policies, .response = { RESPONSE_EMPTY },
	  .description = "The channel falls back to its policy for every location, or the default." },
	MASTER("/api/lots", "/api/lots/[id]", ID_LOT, res_lots, "Lots",
	       "lot", "lots", PERM_INVENTORY_READ, PERM_INVENTORY_WRITE),
	MASTER("/api/reason-codes", "/api/reason-codes/[id]", ID_REASON_CODE, res_reason_codes,
	       "Reason codes", "reason code", "reason codes", PERM_REASONCODES_READ, PERM_REASONCODES_WRITE),
};

const size_t routes_count = ARRAY_SIZE(routes);
