/*
 * Inventory levels: min, reorder and max quantities (and replenishment
 * settings) per product and location. One level per product and location:
 * POST creates it or updates the one there is.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

static const char *const abc_classes[] = { "A", "B", "C", NULL };

/* The settings, shared by POST and PATCH; column order = SELECT order. */
#define LEVEL_SETTINGS \
	{ .name = "minQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .column = "min_quantity", \
	  .description = "Minimum quantity (must be <= reorder <= max)" }, \
	{ .name = "reorderQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .column = "reorder_quantity", \
	  .description = "Reorder point (must be >= min and <= max)" }, \
	{ .name = "maxQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .column = "max_quantity", \
	  .description = "Maximum quantity (must be >= reorder)" }, \
	{ .name = "status", .type = FIELD_STRING, .max_length = 32, .column = "status", \
	  .description = "Status (default: \"Supported\")" }, \
	{ .name = "abcClass", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .values = abc_classes, \
	  .column = "abc_class", .description = "ABC classification (A, B, or C)" }, \
	{ .name = "expectedLeadTimeDays", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = "expected_lead_time_days", .description = "Expected lead time in days" }, \
	{ .name = "replenishmentPeriodDays", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = "replenishment_period_days", .description = "Replenishment period in days" }, \
	{ .name = "forecastPeriodDays", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = "forecast_period_days", .description = "Forecast period in days" }, \
	{ .name = "forecastQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = "forecast_quantity", .description = "Forecast quantity" }, \
	{ .name = "preferredBinLocationId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE, \
	  .column = "preferred_bin_id", .description = "Preferred bin (a bin of the location)" }, \
	{ .name = "replenishmentLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_NULLABLE, \
	  .column = "replenishment_location_id", .description = "Replenishment source location" }, \
	{ .name = "comments", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000, \
	  .column = "comments", .description = "Additional comments" }

const struct field level_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE,
	  .description = "Product Master ID (required unless productId is given)" },
	{ .name = "productId", .type = FIELD_ID, .kind = ID_PRODUCT,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE,
	  .description = "Legacy Product ID (deprecated; same ids as productMasterId)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE, .description = "Location ID" },
	LEVEL_SETTINGS,
	FIELDS_END
};

const struct field level_patch_fields[] = { LEVEL_SETTINGS, FIELDS_END };

#define NSETTINGS (ARRAY_SIZE(level_patch_fields) - 1)

enum level_col { LV_ID, LV_PRODUCT, LV_LOCATION, LV_SETTINGS };

static const char level_select[] =
	"SELECT lv.id, lv.product_id, lv.location_id, lv.min_quantity, lv.reorder_quantity,"
	" lv.max_quantity, lv.status, lv.abc_class, lv.expected_lead_time_days,"
	" lv.replenishment_period_days, lv.forecast_period_days, lv.forecast_quantity,"
	" lv.preferred_bin_id, lv.replenishment_location_id, lv.comments,"
	" " SQL_ISO("lv.created_at") ", " SQL_ISO("lv.updated_at") ", p.global_sku, p.name"
	" FROM inventory_levels lv"
	" JOIN products p ON p.workspace_id = lv.workspace_id AND p.id = lv.product_id"
	" WHERE lv.workspace_id = ?";

static json_object *level_json(struct req *r, const struct db_result *res, size_t i)
{
	json_object *o = json_object_new_object(), *product, *master;
	size_t col = LV_SETTINGS, k;

	json_object_object_add(o, "id", api_cell_id(r, res, i, LV_ID, ID_LEVEL));
	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, LV_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, LV_LOCATION, ID_LOCATION));
	for (k = 0; k < NSETTINGS; k++, col++) {
		const struct field *f = &level_patch_fields[k];
		json_object *v;

		if (f->type == FIELD_NUMBER)
			v = api_cell_number(res, i, col);
		else if (f->type == FIELD_INTEGER)
			v = api_cell_int(res, i, col);
		else if (f->type == FIELD_ID)
			v = api_cell_id(r, res, i, col, f->kind);
		else
			v = api_cell_string(res, i, col);
		json_object_object_add(o, f->name, v);
	}
	json_object_object_add(o, "createdAt", api_cell_string(res, i, col++));
	json_object_object_add(o, "updatedAt", api_cell_string(res, i, col++));
	product = json_object_new_object();
	json_object_object_add(product, "id", api_cell_id(r, res, i, LV_PRODUCT, ID_PRODUCT));
	json_object_object_add(product, "sku", api_cell_string(res, i, col));
	json_object_object_add(product, "name", api_cell_string(res, i, col + 1));
	master = json_object_new_object();
	json_object_object_add(master, "id", api_cell_id(r, res, i, LV_PRODUCT, ID_PRODUCT));
	json_object_object_add(master, "globalSku", api_cell_string(res, i, col));
	json_object_object_add(master, "productName", api_cell_string(res, i, col + 1));
	json_object_object_add(o, "product", product);
	json_object_object_add(o, "productMaster", master);
	return o;
}

/* Reads the level with id (FOR UPDATE inside a transaction when lock). */
static int level_read(struct req *r, int64_t id, int lock, struct db_result *res)
{
	const char *sql = pool_printf(r->pool, "%s AND lv.id = ?%s", level_select,
				      lock ? " FOR UPDATE" : "");

	return db_query(r->db, r->pool, sql, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), res);
}

/*
 * The quantities after this request: the body's value where given (null
 * clears), else the stored one. has[] says which are set at all.
 */
static void merged_quantities(struct req *r, const struct db_result *cur, double q[3], int has[3])
{
	int k;

	for (k = 0; k < 3; k++) {
		const struct field *f = &level_patch_fields[k];
		json_object *v;

		if (json_object_object_get_ex(r->json, f->name, &v)) {
			has[k] = v != NULL;
			q[k] = v ? json_object_get_double(v) : 0;
		} else {
			has[k] = cur && cur->nrows && db_cell(cur, 0, LV_SETTINGS + (size_t)k);
			q[k] = has[k] ? db_cell_double(cur, 0, LV_SETTINGS + (size_t)k) : 0;
		}
	}
}

/* Returns 0 when min <= reorder <= max holds for the values that are set,
 * else the 400 status set. */
static int check_quantities(struct req *r, const struct db_result *cur)
{
	double q[3];
	int has[3], k;

	merged_quantities(r, cur, q, has);
	for (k = 0; k < 3; k++)
		if (has[k] && q[k] < 0)
			return req_field_error(r, level_patch_fields[k].name, "must not be negative");
	if ((has[0] && has[1] && q[0] > q[1]) || (has[1] && has[2] && q[1] > q[2]) ||
	    (has[0] && has[2] && q[0] > q[2]))
		return req_error(r, 400, "Invalid quantities: min \u2264 reorder \u2264 max required", NULL);
	return 0;
}

/* Checks that the preferred bin is a bin of the level's location (that
 * the ids are the workspace's was checked before). Returns 0 or status. */
static int check_setting_refs(struct req *r, int64_t location_id)
{
	int64_t bin = api_body_id(r, "preferredBinLocationId", ID_BIN);
	struct db_result res;

	if (api_body_string(r, "preferredBinLocationId")) {
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM bins WHERE workspace_id = ? AND id = ? AND location_id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(bin), ARG_INT(location_id)), &res))
			return req_internal_error(r, "bin check");
		if (!res.nrows)
			return api_not_found(r, ID_BIN);
	}
	return 0;
}

/* Appends ", col = ?" and its value for every setting in the body. */
static void settings_assignments(struct req *r, struct query *q)
{
	size_t k;

	for (k = 0; k < NSETTINGS; k++) {
		const struct field *f = &level_patch_fields[k];
		const char *assign;
		json_object *v;

		if (!json_object_object_get_ex(r->json, f->name, &v))
			continue;
		assign = pool_printf(r->pool, ", %s = ?", f->column);
		if (!v)
			query_bind(q, assign, ARG_NULL);
		else if (f->type == FIELD_NUMBER)
			query_bind(q, assign, ARG_DOUBLE(json_object_get_double(v)));
		else if (f->type == FIELD_INTEGER)
			query_bind(q, assign, ARG_INT(json_object_get_int64(v)));
		else if (f->type == FIELD_ID)
			query_bind(q, assign, ARG_ID(id_parse(f->kind, json_object_get_string(v))));
		else
			query_bind(q, assign, ARG_TEXT(json_object_get_string(v)));
	}
}

/* Writes the settings of the body to level id, then answers with it. */
static int level_write_and_respond(struct req *r, int64_t id, int status_ok)
{
	struct db_result res;
	struct query q;

	query_init(&q, r->pool, "UPDATE inventory_levels SET updated_at = CURRENT_TIMESTAMP(3)");
	settings_assignments(r, &q);
	query_bind(&q, " WHERE workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND id = ?", ARG_INT(id));
	if (query_run(&q, r->db, NULL) || level_read(r, id, 0, &res))
		return req_internal_error(r, "level write");
	return req_respond(r, status_ok, level_json(r, &res, 0));
}

int levels_upsert(struct req *r)
{
	int64_t product = api_body_id(r, "productMasterId", ID_PRODUCT);
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	struct db_result found, cur, ins;
	int64_t id;
	int status, created;

	if (!api_body_string(r, "productMasterId") && !api_body_string(r, "productId"))
		return req_field_error(r, "productMasterId", "is required");
	if (!product)
		product = api_body_id(r, "productId", ID_PRODUCT);
	if (db_query(r->db, r->pool,
		     "SELECT (SELECT COUNT(*) FROM products WHERE workspace_id = ? AND id = ?)"
		     " + (SELECT COUNT(*) FROM locations WHERE workspace_id = ? AND id = ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(api_ws(r)), ARG_INT(location)),
		     &found))
		return req_internal_error(r, "level lookup");
	if (db_cell_int(&found, 0, 0) != 2)
		return req_error(r, 404, "Product or location not found", NULL);
	if ((status = check_setting_refs(r, location)))
		return status;
	/* Create the row or take an exclusive lock on the one there is, in one
	 * statement: concurrent upserts of the same product and location queue
	 * here instead of deadlocking on a shared-to-exclusive lock upgrade. */
	if (db_query(r->db, r->pool,
		     "INSERT INTO inventory_levels (workspace_id, product_id, location_id)"
		     " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(location)), &ins) ||
	    db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s AND lv.product_id = ? AND lv.location_id = ? FOR UPDATE",
				 level_select),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(location)), &cur) ||
	    cur.nrows != 1)
		return req_internal_error(r, "level upsert");
	created = ins.affected == 1;
	id = db_cell_int(&cur, 0, LV_ID);
	if ((status = check_quantities(r, &cur)))
		return status;
	return level_write_and_respond(r, id, created ? 201 : 200);
}

int levels_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_LEVEL);
	struct db_result res;

	if (!id)
		return api_not_found(r, ID_LEVEL);
	if (level_read(r, id, 0, &res))
		return req_internal_error(r, "level read");
	if (!res.nrows)
		return api_not_found(r, ID_LEVEL);
	return req_respond(r, 200, level_json(r, &res, 0));
}

int levels_update(struct req *r)
{
	int64_t id = api_path_id(r, ID_LEVEL);
	struct db_result cur;
	int status;

	if (!id)
		return api_not_found(r, ID_LEVEL);
	if (level_read(r, id, 1, &cur))
		return req_internal_error(r, "level read");
	if (!cur.nrows)
		return api_not_found(r, ID_LEVEL);
	if ((status = check_setting_refs(r, db_cell_int(&cur, 0, LV_LOCATION))) ||
	    (status = check_quantities(r, &cur)))
		return status;
	return level_write_and_respond(r, id, 200);
}

int levels_delete(struct req *r)
{
	int64_t id = api_path_id(r, ID_LEVEL);
	struct db_result res;
	json_object *o;

	if (!id)
		return api_not_found(r, ID_LEVEL);
	if (db_query(r->db, r->pool, "DELETE FROM inventory_levels WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "level delete");
	if (res.affected == 0)
		return api_not_found(r, ID_LEVEL);
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "message", json_object_new_string("Inventory level deleted"));
	return req_respond(r, 200, o);
}

int levels_for_product(struct req *r)
{
	int64_t product = api_path_id(r, ID_PRODUCT);
	struct db_result res;
	json_object *items, *o;
	size_t i;
	int found = api_exists(r, ID_PRODUCT, product);

	if (found < 0)
		return req_internal_error(r, "product check");
	if (!found)
		return api_not_found(r, ID_PRODUCT);
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s AND lv.product_id = ? ORDER BY lv.location_id, lv.id",
				 level_select),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product)), &res))
		return req_internal_error(r, "levels");
	items = json_object_new_array_ext((int)res.nrows);
	for (i = 0; i < res.nrows; i++)
		json_object_array_add(items, level_json(r, &res, i));
	o = json_object_new_object();
	json_object_object_add(o, "productMasterId",
			       json_object_new_string(id_format(r->pool, ID_PRODUCT, product)));
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "count", json_object_new_int64((int64_t)res.nrows));
	return req_respond(r, 200, o);
}
