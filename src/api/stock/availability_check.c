/* SPDX-License-Identifier: MIT */
/*
 * The bulk availability check: what each of up to 500 items can promise.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

/* Bulk check items look products, locations and lots up: an unknown one,
 * or another workspace's, answers "found": false for that item alone. */
static const struct field check_item_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Product (or sku)" },
	{ .name = "sku", .type = FIELD_STRING, .max_length = 100, .description = "Product SKU" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED | FIELD_MATCH,
	  .description = "Location" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH, .description = "Lot" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "Quantity wanted" },
	FIELDS_END
};

const struct field availability_check_fields[] = {
	{ .name = "items", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .items = check_item_fields,
	  .description = "1 to 500 items {sku or productMasterId, locationId, quantity}" },
	FIELDS_END
};

/* ---- POST /api/inventory/availability/check ---- */

#define CHECK_MAX_ITEMS 500
#define SKU_MAX_LENGTH 100

struct check_item {
	const char *sku, *product, *location, *lot;   /* as sent; NULL when absent */
	int64_t product_id, location_id, lot_id, quantity;
};

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * An optional id member of item: stores it (and its text) and returns 0;
 * answers 400 naming items[i].name when it is not such an id.
 */
static int check_item_id(struct req *r, json_object *item, size_t i, const char *name,
			 enum id_kind kind, int required, const char **text, int64_t *id)
{
	json_object *v;

	if (!json_object_object_get_ex(item, name, &v) || !v) {
		if (required)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].%s", i, name),
					       "is required");
		return 0;
	}
	*text = json_object_get_string(v);
	if (!json_object_is_type(v, json_type_string) || (*id = id_parse(kind, *text)) <= 0)
		return req_field_error(r, pool_printf(r->pool, "items[%zu].%s", i, name),
				       pool_printf(r->pool, "must be an id such as %s_1",
						   id_prefixes[kind]));
	return 0;
}

/* Validates the body's items into out[0..*n). Returns 0 or the 400 set. */
static int check_items_parse(struct req *r, struct check_item **out, size_t *n)
{
	json_object *items = json_object_object_get(r->json, "items");
	struct check_item *c;
	size_t i, len = json_object_array_length(items);
	int status;

	if (len < 1 || len > CHECK_MAX_ITEMS)
		return req_error(r, 400, "Invalid request data", "items must hold 1 to 500 items");
	c = pool_calloc(r->pool, len, sizeof(*c));
	for (i = 0; i < len; i++) {
		json_object *item = json_object_array_get_idx(items, i), *v;

		if (!json_object_is_type(item, json_type_object))
			return req_field_error(r, pool_printf(r->pool, "items[%zu]", i),
					       "must be an object");
		if ((status = check_item_id(r, item, i, "productMasterId", ID_PRODUCT, 0,
					    &c[i].product, &c[i].product_id)) ||
		    (status = check_item_id(r, item, i, "locationId", ID_LOCATION, 1,
					    &c[i].location, &c[i].location_id)) ||
		    (status = check_item_id(r, item, i, "lotId", ID_LOT, 0, &c[i].lot, &c[i].lot_id)))
			return status;
		if (json_object_object_get_ex(item, "sku", &v) && v) {
			if (!json_object_is_type(v, json_type_string))
				return req_field_error(r, pool_printf(r->pool, "items[%zu].sku", i),
						       "must be a string");
			c[i].sku = json_object_get_string(v);
			if (utf8_chars(c[i].sku) > SKU_MAX_LENGTH)
				return req_field_error(r, pool_printf(r->pool, "items[%zu].sku", i),
						       "must be at most 100 characters");
		}
		if (!c[i].sku && !c[i].product)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].sku", i),
					       "or productMasterId is required");
		if (!json_object_object_get_ex(item, "quantity", &v) || !v)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].quantity", i),
					       "is required");
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
		    json_object_get_int64(v) > FIELD_INTEGER_MAX)
			return req_field_error(r, pool_printf(r->pool, "items[%zu].quantity", i),
					       "must be an integer from 0");
		c[i].quantity = json_object_get_int64(v);
	}
	*out = c;
	*n = len;
	return 0;
}

enum check_col { CK_INDEX, CK_PRODUCT, CK_SKU, CK_LOCATION, CK_LOT_FOUND, CK_AVAILABLE, CK__MAX };

/*
 * Every item in one statement: the items travel as one JSON parameter,
 * JSON_TABLE turns them into rows, and each row joins its product (by id,
 * or by SKU when no id was given), location, requested lot and the usable
 * stock lines there. Products are joined twice so that each join can use
 * an index (the primary key, uq_products_sku); an OR across both cannot.
 */
static const char check_sql[] =
	"SELECT q.i, MAX(COALESCE(p.id, ps.id)), MAX(COALESCE(p.global_sku, ps.global_sku)),"
	" MAX(loc.id), MAX(q.lot = 0 OR rl.id IS NOT NULL),"
	" IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0)"
	" FROM JSON_TABLE(?, '$[*]' COLUMNS (i INT PATH '$.i',"
	" sku VARCHAR(100) PATH '$.sku', pid BIGINT PATH '$.pid',"
	" loc BIGINT PATH '$.loc', lot BIGINT PATH '$.lot')) AS q"
	" LEFT JOIN products p ON p.workspace_id = ? AND p.id = q.pid"
	" LEFT JOIN products ps ON q.pid = 0 AND ps.workspace_id = ?"
	" AND ps.global_sku = q.sku COLLATE utf8mb4_unicode_ci"
	" LEFT JOIN locations loc FORCE INDEX (PRIMARY) ON loc.workspace_id = ? AND loc.id = q.loc"
	" LEFT JOIN lots rl ON q.lot <> 0 AND rl.workspace_id = ? AND rl.id = q.lot"
	" AND rl.product_id = COALESCE(p.id, ps.id)"
	" LEFT JOIN stock_lines sl ON sl.workspace_id = ? AND sl.product_id = COALESCE(p.id, ps.id)"
	" AND sl.location_id = loc.id AND (q.lot = 0 OR sl.lot_id = rl.id)"
	" LEFT JOIN lots lt ON lt.workspace_id = sl.workspace_id AND lt.id = sl.lot_id"
	" GROUP BY q.i ORDER BY q.i";

static const struct field check_result_fields[] = {
	{ .name = "sku", .type = FIELD_STRING, .flags = FIELD_NULLABLE,
	  .description = "The product's SKU, else the one sent (null when none was)" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_NULLABLE,
	  .description = "The product found, else the id sent (null when none was)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .description = "As sent" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_OPTIONAL,
	  .description = "As sent, when a lot was" },
	{ .name = "requestedQuantity", .type = FIELD_INTEGER },
	{ .name = "availableQuantity", .type = FIELD_INTEGER,
	  .description = "What the product can promise there (of the lot, when given)" },
	{ .name = "isAvailable", .type = FIELD_BOOLEAN,
	  .description = "availableQuantity >= requestedQuantity" },
	{ .name = "found", .type = FIELD_BOOLEAN, .flags = FIELD_OPTIONAL,
	  .description = "false when the product, location or lot is not the workspace's; "
			 "absent when all are" },
	FIELDS_END
};

const struct field availability_check_answer[] = {
	{ .name = "results", .type = FIELD_ARRAY, .items = check_result_fields,
	  .description = "One per item, in the order sent" },
	FIELDS_END
};

static void check_result_write(struct jw *w, const struct check_item *c,
			       const struct db_result *res, size_t row)
{
	int found = db_cell(res, row, CK_PRODUCT) && db_cell(res, row, CK_LOCATION) &&
		    db_cell_int(res, row, CK_LOT_FOUND);
	int64_t available = found ? db_cell_int(res, row, CK_AVAILABLE) : 0;

	jw_open(w, '{');
	if (db_cell(res, row, CK_PRODUCT)) {
		jw_kstr(w, "sku", db_cell(res, row, CK_SKU));
		jw_key(w, "productMasterId");
		jw_id(w, id_prefixes[ID_PRODUCT], db_cell(res, row, CK_PRODUCT));
	} else {
		jw_kstr(w, "sku", c->sku);
		jw_kstr(w, "productMasterId", c->product);
	}
	jw_kstr(w, "locationId", c->location);
	if (c->lot)
		jw_kstr(w, "lotId", c->lot);
	jw_kint(w, "requestedQuantity", c->quantity);
	jw_kint(w, "availableQuantity", available);
	jw_kbool(w, "isAvailable", available >= c->quantity);
	if (!found)
		jw_kbool(w, "found", 0);
	jw_close(w, '}');
}

int availability_check(struct req *r)
{
	struct check_item *items = NULL;
	struct db_result res;
	json_object *rows;
	struct jw w;
	int64_t ws = api_ws(r);
	size_t n = 0, i;
	int status;

	if ((status = check_items_parse(r, &items, &n)))
		return status;
	rows = req_own(r, json_object_new_array_ext((int)n));
	for (i = 0; i < n; i++) {
		json_object *q = json_object_new_object();

		json_object_object_add(q, "i", json_object_new_int64((int64_t)i));
		json_object_object_add(q, "sku", json_object_new_string(items[i].sku ? items[i].sku : ""));
		json_object_object_add(q, "pid", json_object_new_int64(items[i].product_id));
		json_object_object_add(q, "loc", json_object_new_int64(items[i].location_id));
		json_object_object_add(q, "lot", json_object_new_int64(items[i].lot_id));
		json_object_array_add(rows, q);
	}
	if (db_query(r->db, r->pool, check_sql,
		     DB_ARGS(ARG_TEXT(json_object_to_json_string_ext(rows, JSON_C_TO_STRING_PLAIN)),
			     ARG_INT(ws), ARG_INT(ws), ARG_INT(ws), ARG_INT(ws), ARG_INT(ws)), &res))
		return req_internal_error(r, "availability check");
	if (res.nrows != n)
		return req_internal_error(r, "availability check rows");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "results");
	jw_open(&w, '[');
	for (i = 0; i < n; i++)
		check_result_write(&w, &items[i], &res, i);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
