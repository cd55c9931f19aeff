/* SPDX-License-Identifier: MIT */
/*
 * Cycle counts: batches of stock lines to count at a location, counted
 * line by line (blind or not) and resolved line by line. This file: the
 * GET modes and batch creation. Batch details, lists and the blind form
 * are in cycle_count_batch.c, counting and resolving in
 * cycle_count_flow.c, the ABC classification in cycle_count_abc.c. A
 * count never writes quantities: accepting a count posts counted -
 * snapshot through the ledger.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/counting/counting.h"
#include "api/counting/cycle_count.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

static const char *const cycle_modes[] = {
	"all-products", "batches", "to-resolve", "suggestions", "abc-config", NULL
};
static const char *const abc_classes[] = { "A", "B", "C", NULL };

const struct field cycle_count_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .not_found = CC_LOCATION_GONE,
	  .description = "Location ID (required unless mode=abc-config)" },
	{ .name = "mode", .type = FIELD_STRING, .values = cycle_modes,
	  .description = "all-products (default), batches, to-resolve, suggestions, abc-config" },
	{ .name = "search", .type = FIELD_STRING, .description = "Product name or SKU (all-products)" },
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_MATCH,
	  .description = "Category (all-products)" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_MATCH,
	  .description = "Bin (all-products)" },
	{ .name = "abcClass", .type = FIELD_STRING, .values = abc_classes, .description = "ABC class (all-products)" },
	{ .name = "showOverdueOnly", .type = FIELD_BOOLEAN, .description = "Only overdue items (all-products)" },
	{ .name = "status", .type = FIELD_STRING, .values = cc_batch_statuses, .description = "Batch status (batches)" },
	{ .name = "assigneeId", .type = FIELD_STRING, .description = "Assignee (batches)" },
	{ .name = "includeCompleted", .type = FIELD_BOOLEAN,
	  .description = "Include resolved and cancelled batches (batches; default false)" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 50, max: 200)" },
	FIELDS_END
};

const struct field cycle_count_create_fields[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = CC_LOCATION_GONE, .description = "The location to count" },
	{ .name = "name", .type = FIELD_STRING, .max_length = 200, .description = "Batch name" },
	{ .name = "productMasterIds", .type = FIELD_ARRAY, .kind = ID_PRODUCT,
	  .description = "Count every stock line of these products at the location" },
	{ .name = "inventoryItemIds", .type = FIELD_ARRAY, .kind = ID_ITEM,
	  .description = "Count these stock lines" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .description = "Count every line of this bin" },
	{ .name = "assigneeId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 200,
	  .description = "Who counts" },
	{ .name = "deadline", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .description = "Due by" },
	{ .name = "blind", .type = FIELD_BOOLEAN,
	  .description = "Counters do not see system quantities (default false)" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Notes" },
	FIELDS_END
};

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts ids and drops duplicates; returns the new count. */
static size_t sort_unique(int64_t *ids, size_t n)
{
	size_t i, out = 0;

	qsort(ids, n, sizeof(*ids), compare_ids);
	for (i = 0; i < n; i++)
		if (out == 0 || ids[out - 1] != ids[i])
			ids[out++] = ids[i];
	return out;
}

/*
 * The array field name as ids of kind (absent or null: none). Returns 0,
 * or the 400 status set naming the element, "inventoryItemIds[2]".
 */
static int body_ids(struct req *r, const char *name, enum id_kind kind, int64_t **ids, size_t *n)
{
	json_object *arr = NULL;
	size_t i, len;

	*ids = NULL;
	*n = 0;
	if (!json_object_object_get_ex(r->json, name, &arr) || !arr)
		return 0;
	len = json_object_array_length(arr);
	if (len > CC_BATCH_MAX_LINES)
		return req_field_error(r, name, "must hold at most 1000 ids");
	*ids = pool_calloc(r->pool, len + 1, sizeof(**ids));
	for (i = 0; i < len; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		if (json_object_is_type(v, json_type_string))
			(*ids)[i] = id_parse(kind, json_object_get_string(v));
		if ((*ids)[i] <= 0)
			return req_field_error(r, pool_printf(r->pool, "%s[%zu]", name, i),
					       pool_printf(r->pool, "must be an id such as %s_1",
							   id_prefixes[kind]));
	}
	*n = len;
	return 0;
}

int cycle_count_get(struct req *r)
{
	const char *mode = req_query(r, "mode"), *loc = req_query(r, "locationId");
	int64_t location;

	if (!mode || !*mode)
		mode = "all-products";
	if (!strcmp(mode, "abc-config"))
		return cc_config_respond(r);
	if (!loc || !*loc)
		return req_error(r, 400, "locationId is required", NULL);
	location = id_parse(ID_LOCATION, loc);
	if (!strcmp(mode, "batches"))
		return cc_mode_batches(r, location);
	if (!strcmp(mode, "to-resolve"))
		return cc_mode_to_resolve(r, location);
	return cc_mode_products(r, location, !strcmp(mode, "suggestions"));
}

int cycle_count_create(struct req *r)
{
	int64_t ws = api_ws(r), location = api_body_id(r, "locationId", ID_LOCATION);
	int64_t bin = api_body_id(r, "binId", ID_BIN), *items, *products, *ids, batch;
	struct db_result res, by_product = { 0 }, by_bin = { 0 };
	size_t nitems, nproducts, n = 0, i;
	int status;

	if ((status = body_ids(r, "inventoryItemIds", ID_ITEM, &items, &nitems)) ||
	    (status = body_ids(r, "productMasterIds", ID_PRODUCT, &products, &nproducts)))
		return status;
	if (!nitems && !nproducts && !bin)
		return req_field_error(r, "inventoryItemIds",
				       "nothing to count: give inventoryItemIds, productMasterIds or binId");
	if (nitems) {
		if (db_query(r->db, r->pool,
			     "SELECT j.pos, sl.id, sl.location_id FROM " CC_JSON_IDS
			     " LEFT JOIN stock_lines sl ON sl.workspace_id = ? AND sl.id = j.id ORDER BY j.pos",
			     DB_ARGS(ARG_TEXT(cc_ids_json(r, items, nitems)), ARG_INT(ws)), &res))
			return req_internal_error(r, "stock lines");
		for (i = 0; i < res.nrows; i++) {
			if (!db_cell(&res, i, 1))
				return api_not_found(r, ID_ITEM);
			if (db_cell_int(&res, i, 2) != location)
				return req_field_error(r, pool_printf(r->pool, "inventoryItemIds[%zu]", i),
						       pool_printf(r->pool, "is not at location %s",
								   id_format(r->pool, ID_LOCATION, location)));
		}
	}
	if (nproducts) {
		const char *list = cc_ids_json(r, products, nproducts);

		if (db_query(r->db, r->pool,
			     "SELECT sl.id FROM stock_lines sl WHERE sl.workspace_id = ?"
			     " AND sl.location_id = ? AND sl.product_id IN (SELECT j.id FROM " CC_JSON_IDS ")",
			     DB_ARGS(ARG_INT(ws), ARG_INT(location), ARG_TEXT(list)), &by_product))
			return req_internal_error(r, "product lines");
	}
	if (bin) {
		if (db_query(r->db, r->pool, "SELECT location_id FROM bins WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(ws), ARG_INT(bin)), &res))
			return req_internal_error(r, "bin");
		if (!res.nrows)
			return api_not_found(r, ID_BIN);
		if (db_cell_int(&res, 0, 0) != location)
			return req_field_error(r, "binId", pool_printf(r->pool, "is not a bin of location %s",
								       id_format(r->pool, ID_LOCATION, location)));
		if (db_query(r->db, r->pool,
			     "SELECT id FROM stock_lines WHERE workspace_id = ? AND location_id = ? AND bin_id = ?",
			     DB_ARGS(ARG_INT(ws), ARG_INT(location), ARG_INT(bin)), &by_bin))
			return req_internal_error(r, "bin lines");
	}
	ids = pool_calloc(r->pool, nitems + by_product.nrows + by_bin.nrows + 1, sizeof(*ids));
	for (i = 0; i < nitems; i++)
		ids[n++] = items[i];
	cc_append_ids(&by_product, ids, &n);
	cc_append_ids(&by_bin, ids, &n);
	n = sort_unique(ids, n);
	if (!n)
		return req_error(r, 400, "Invalid request data",
				 "nothing to count: no stock line matches at the location");
	if (n > CC_BATCH_MAX_LINES)
		return req_error(r, 400, "Invalid request data", "a batch holds at most 1000 stock lines");
	if ((status = cc_batch_insert(r, location, ids, n, "MANUAL", NULL, api_body_string(r, "name"),
				   &batch)))
		return status;
	return cc_batch_respond(r, batch, 201);
}
