/* SPDX-License-Identifier: MIT */
/*
 * Master data: categories, products, locations, bins, channels, lots and
 * reason codes. Each is a generic resource declared by its fields; the
 * field tables are also the routes' declared bodies (validation, OpenAPI).
 */
#include "config.h"

#include "api/api.h"
#include "api/holds/holds.h"
#include "api/master/master.h"

static const char *const location_types[] = {
	"WAREHOUSE", "STORE", "CLINIC", "DISTRIBUTION_CENTER", "VIRTUAL", "DESTRUCTION", NULL
};
static const char *const channel_types[] = {
	"E_COMMERCE", "RETAIL", "WHOLESALE", "MARKETPLACE", "INTERNAL", NULL
};
static const char *const lot_statuses[] = { "ACTIVE", "ON_HOLD", "RECALLED", "EXPIRED", NULL };

static const struct field category_fields[] = {
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .max_length = 200, .column = "name", .description = "Category name, unique in the workspace" },
	FIELDS_END
};

static const struct field product_fields[] = {
	{ .name = "globalSku", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH | FIELD_FILTER,
	  .max_length = 100, .column = "global_sku", .description = "SKU, unique in the workspace" },
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .max_length = 300, .column = "name", .description = "Product name" },
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY,
	  .flags = FIELD_NULLABLE | FIELD_FILTER, .column = "category_id", .description = "Category" },
	{ .name = "unitCost", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE, .column = "unit_cost",
	  .description = "Cost of one unit (default 0)" },
	{ .name = "lotControlled", .type = FIELD_BOOLEAN, .column = "lot_controlled",
	  .description = "Stock must carry a lot (default false)" },
	{ .name = "expiryTracked", .type = FIELD_BOOLEAN, .column = "expiry_tracked",
	  .description = "Lots carry expiry dates (default false)" },
	FIELDS_END
};

static const struct field location_fields[] = {
	{ .name = "code", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH | FIELD_FILTER,
	  .max_length = 64, .column = "code", .description = "Short code, unique in the workspace" },
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .max_length = 200, .column = "name", .description = "Location name" },
	{ .name = "type", .type = FIELD_STRING, .values = location_types, .flags = FIELD_FILTER,
	  .column = "location_type", .description = "Kind of location (default WAREHOUSE)" },
	{ .name = "isDestruction", .type = FIELD_BOOLEAN, .column = "is_destruction",
	  .description = "Expired stock may be sent here for destruction" },
	{ .name = "requiresApproval", .type = FIELD_BOOLEAN, .column = "requires_approval",
	  .description = "Stock requests to this location wait for approval even where the "
			 "workspace does not require it (default false)" },
	FIELDS_END
};

static const struct field bin_fields[] = {
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .max_length = 100, .column = "name", .description = "Bin name, unique in its location" },
	{ .name = "isReceiving", .type = FIELD_BOOLEAN, .flags = FIELD_FILTER, .column = "is_receiving",
	  .description = "The location's receiving bin: receipts without a bin land here, and "
			 "its stock waits to be put away (default false)" },
	FIELDS_END
};

static const struct field channel_fields[] = {
	{ .name = "code", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_FILTER,
	  .max_length = 64, .column = "code", .description = "Channel code such as DTC" },
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .max_length = 200, .column = "name", .description = "Channel name" },
	{ .name = "channelType", .type = FIELD_STRING, .values = channel_types, .flags = FIELD_FILTER,
	  .column = "channel_type", .description = "Kind of channel (default E_COMMERCE)" },
	{ .name = "lowAtpThreshold", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE, .column = "low_atp_threshold",
	  .description = "ATP at or below this is LOW (default 10)" },
	{ .name = "criticalAtpThreshold", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE, .column = "critical_atp_threshold",
	  .description = "ATP at or below this is CRITICAL (default 0)" },
	FIELDS_END
};

/* A channel's ATP policy (see api/channels/atp.c for how it is applied). */
static const struct field policy_fields[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION,
	  .flags = FIELD_NULLABLE | FIELD_FILTER | FIELD_CREATE_ONLY, .column = "location_id",
	  .description = "The location it applies to, overriding the channel's policy there; "
			 "absent or null: the channel's policy, for every location without its own. "
			 "One policy per channel and location (409 otherwise)" },
	{ .name = "allocationPercent", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE,
	  .maximum = 100, .column = "allocation_percent",
	  .description = "Share of the location's sellable stock the channel may promise, "
			 "0 to 100 (default 100)" },
	{ .name = "safetyStock", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .column = "safety_stock", .description = "Units held back from the channel's quota (default 0)" },
	{ .name = "lowAtpThreshold", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE | FIELD_NULLABLE,
	  .column = "low_atp_threshold",
	  .description = "ATP at or below this is LOW; null: the channel's lowAtpThreshold" },
	{ .name = "criticalAtpThreshold", .type = FIELD_INTEGER,
	  .flags = FIELD_NONNEGATIVE | FIELD_NULLABLE, .column = "critical_atp_threshold",
	  .description = "ATP at or below this is CRITICAL; null: the channel's criticalAtpThreshold" },
	FIELDS_END
};

static const struct field lot_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_CREATE_ONLY, .column = "product_id",
	  .description = "The product of the lot" },
	{ .name = "lotNumber", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH | FIELD_FILTER,
	  .max_length = 100, .column = "lot_number", .description = "Lot number, unique per product" },
	{ .name = "expiryDate", .type = FIELD_DATE, .flags = FIELD_NULLABLE, .column = "expiry_date",
	  .description = "Expiry date" },
	{ .name = "status", .type = FIELD_STRING, .values = lot_statuses, .flags = FIELD_FILTER,
	  .column = "status", .description = "ACTIVE, ON_HOLD, RECALLED or EXPIRED (default ACTIVE)" },
	FIELDS_END
};

static const struct field reason_code_fields[] = {
	{ .name = "code", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_FILTER,
	  .max_length = 64, .column = "code", .description = "Reason code such as CYCLE_COUNT" },
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED | FIELD_SEARCH,
	  .max_length = 200, .column = "name", .description = "Reason shown to users" },
	{ .name = "description", .type = FIELD_STRING, .max_length = 500, .column = "description",
	  .description = "Longer explanation" },
	{ .name = "active", .type = FIELD_BOOLEAN, .flags = FIELD_FILTER, .column = "active",
	  .description = "Inactive codes cannot be used (default true)" },
	FIELDS_END
};

const struct resource res_categories = { "categories", ID_CATEGORY, category_fields, NULL, ID_NONE, NULL, NULL };
const struct resource res_products = { "products", ID_PRODUCT, product_fields, NULL, ID_NONE, NULL, NULL };
const struct resource res_locations = { "locations", ID_LOCATION, location_fields, NULL, ID_NONE, NULL, NULL };
const struct resource res_bins = { "bins", ID_BIN, bin_fields, "location_id", ID_LOCATION, "locationId", NULL };
const struct resource res_channels = { "channels", ID_CHANNEL, channel_fields, NULL, ID_NONE, NULL, NULL };
const struct resource res_policies = { "channel_atp_policies", ID_POLICY, policy_fields, "channel_id",
					ID_CHANNEL, "channelId", NULL };
/* Marking a lot RECALLED moves its stock to the recalled bucket. */
const struct resource res_lots = { "lots", ID_LOT, lot_fields, NULL, ID_NONE, NULL, lot_after_update };
const struct resource res_reason_codes = { "reason_codes", ID_REASON_CODE, reason_code_fields, NULL, ID_NONE, NULL, NULL };
