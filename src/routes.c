/*
 * THE route table. Every endpoint of the API is one row here; nothing
 * else dispatches, checks permissions or documents endpoints.
 */
#include "config.h"

#include "api/api.h"
#include "core/util.h"
#include "routes.h"

#define PERMS(...) { __VA_ARGS__, NULL }
#define NOPERMS { NULL }

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

	{ HTTP_GET, "/api/inventory", inventory_list, PERMS("inventory.read"), 0, ID_NONE,
	  "Inventory", "List inventory items", inventory_query, NULL, NULL,
	  "Stock lines (product, location, lot, bin) with their quantities and value, "
	  "ordered by id. quantityAvailable = on hand - reserved - on hold - picked - "
	  "recalled - expired." },

	{ HTTP_POST, "/api/inventory-levels", levels_upsert, PERMS("replenishment.write"),
	  ROUTE_CREATES, ID_NONE, "Inventory levels",
	  "Create or update inventory level settings", NULL, level_fields, NULL,
	  "Creates the level of the product at the location (201) or updates the one "
	  "there is (200). min <= reorder <= max must hold." },
	{ HTTP_GET, "/api/inventory-levels/[id]", levels_get, PERMS("inventory.read"), 0,
	  ID_LEVEL, "Inventory levels", "Get an inventory level", NULL, NULL, NULL, NULL },
	{ HTTP_PATCH, "/api/inventory-levels/[id]", levels_update, PERMS("replenishment.write"),
	  ROUTE_PARTIAL, ID_LEVEL, "Inventory levels", "Update inventory level settings",
	  NULL, level_patch_fields, NULL, NULL },
	{ HTTP_DELETE, "/api/inventory-levels/[id]", levels_delete, PERMS("replenishment.write"),
	  0, ID_LEVEL, "Inventory levels", "Delete an inventory level configuration",
	  NULL, NULL, NULL, NULL },
	{ HTTP_GET, "/api/products/[id]/inventory-levels", levels_for_product,
	  PERMS("products.read", "inventory.read"), 0, ID_PRODUCT, "Inventory levels",
	  "Get product inventory levels", NULL, NULL, NULL, NULL },

	MASTER("/api/products", "/api/products/[id]", ID_PRODUCT, res_products, "Products",
	       "product", "products", "products.read", "products.write"),
	MASTER("/api/categories", "/api/categories/[id]", ID_CATEGORY, res_categories, "Products",
	       "category", "categories", "products.read", "products.write"),
	MASTER("/api/locations", "/api/locations/[id]", ID_LOCATION, res_locations, "Locations",
	       "location", "locations", "locations.read", "locations.write"),
	{ HTTP_GET, "/api/locations/[id]/bins", resource_list, PERMS("locations.read"), 0,
	  ID_LOCATION, "Locations", "List the bins of a location", page_query, NULL, &res_bins, NULL },
	{ HTTP_POST, "/api/locations/[id]/bins", resource_create, PERMS("locations.write"),
	  ROUTE_CREATES, ID_LOCATION, "Locations", "Create a bin in a location", NULL, NULL,
	  &res_bins, NULL },
	{ HTTP_GET, "/api/bins/[id]", resource_get, PERMS("locations.read"), 0, ID_BIN,
	  "Locations", "Get a bin", NULL, NULL, &res_bins, NULL },
	{ HTTP_PATCH, "/api/bins/[id]", resource_update, PERMS("locations.write"), ROUTE_PARTIAL,
	  ID_BIN, "Locations", "Rename a bin", NULL, NULL, &res_bins, NULL },
	MASTER("/api/channels", "/api/channels/[id]", ID_CHANNEL, res_channels, "Channels",
	       "channel", "channels", "channels.read", "channels.write"),
	MASTER("/api/lots", "/api/lots/[id]", ID_LOT, res_lots, "Lots",
	       "lot", "lots", "inventory.read", "inventory.write"),
	MASTER("/api/reason-codes", "/api/reason-codes/[id]", ID_REASON_CODE, res_reason_codes,
	       "Reason codes", "reason code", "reason codes", "reasoncodes.read", "reasoncodes.write"),
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
