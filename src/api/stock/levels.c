/* SPDX-License-Identifier: MIT */
/*
 * Inventory levels: min, reorder and max quantities (and replenishment
 * settings) per product and location. One level per product and location:
 * POST creates it or updates the one there is.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/replenish/replenish.h"
#include "api/stock/stock.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

static const char *const abc_classes[] = { "A", "B", "C", NULL };

/*
 * The settings, shared by POST and PATCH and the answer; t is the table
 * prefix of their columns ("" in an UPDATE's SET, "lv." in a SELECT).
 */
#define LEVEL_SETTINGS(t) \
	{ .name = "minQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .column = t "min_quantity", \
	  .description = "Minimum quantity (must be <= reorder <= max)" }, \
	{ .name = "reorderQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .column = t "reorder_quantity", \
	  .description = "Reorder point (must be >= min and <= max)" }, \
	{ .name = "maxQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .column = t "max_quantity", \
	  .description = "Maximum quantity (must be >= reorder)" }, \
	{ .name = "status", .type = FIELD_STRING, .max_length = 32, .column = t "status", \
	  .description = "Status (default: \"Supported\")" }, \
	{ .name = "abcClass", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .values = abc_classes, \
	  .column = t "abc_class", .description = "ABC classification (A, B, or C)" }, \
	{ .name = "expectedLeadTimeDays", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = t "expected_lead_time_days", .description = "Expected lead time in days" }, \
	{ .name = "replenishmentPeriodDays", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = t "replenishment_period_days", .description = "Replenishment period in days" }, \
	{ .name = "forecastPeriodDays", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = t "forecast_period_days", .description = "Forecast period in days" }, \
	{ .name = "forecastQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE | FIELD_NONNEGATIVE, \
	  .column = t "forecast_quantity", .description = "Forecast quantity" }, \
	{ .name = "preferredBinLocationId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE, \
	  .column = t "preferred_bin_id", .description = "Preferred bin (a bin of the location)" }, \
	{ .name = "replenishmentLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_NULLABLE, \
	  .column = t "replenishment_location_id", .description = "Replenishment source location" }, \
	{ .name = "comments", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000, \
	  .column = t "comments", .description = "Additional comments" }

const struct field level_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE,
	  .description = "Product Master ID (required unless productId is given)" },
	{ .name = "productId", .type = FIELD_ID, .kind = ID_PRODUCT,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE,
	  .description = "Legacy Product ID (deprecated; same ids as productMasterId)" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE, .description = "Location ID" },
	LEVEL_SETTINGS(""),
	FIELDS_END
};

const struct field level_patch_fields[] = { LEVEL_SETTINGS(""), FIELDS_END };

#define NSETTINGS (ARRAY_SIZE(level_patch_fields) - 1)

/* A level's product, twice: as the seed named it, and as product masters do. */
static const struct field level_product[] = {
	{ .name = "id", .column = "lv.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "sku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "name", .column = "p.name", .type = FIELD_STRING },
	FIELDS_END
};

static const struct field level_product_master[] = {
	{ .name = "id", .column = "lv.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	FIELDS_END
};

/* A level as every route of levels answers it: SELECT list, JSON, schema. */
#define LEVEL_COLUMNS \
	{ .name = "id", .column = "lv.id", .type = FIELD_ID, .kind = ID_LEVEL }, \
	{ .name = "productMasterId", .column = "lv.product_id", .type = FIELD_ID, .kind = ID_PRODUCT }, \
	{ .name = "locationId", .column = "lv.location_id", .type = FIELD_ID, .kind = ID_LOCATION }, \
	LEVEL_SETTINGS("lv."), \
	{ .name = "createdAt", .column = "lv.created_at", .type = FIELD_DATETIME }, \
	{ .name = "updatedAt", .column = "lv.updated_at", .type = FIELD_DATETIME }, \
	{ .name = "product", .type = FIELD_OBJECT, .items = level_product }, \
	{ .name = "productMaster", .type = FIELD_OBJECT, .items = level_product_master },

const struct field level_columns[] = {
	LEVEL_COLUMNS
	FIELDS_END
};

/* With the replenishment status, as a product's levels are answered. */
static const struct field product_level_fields[] = {
	LEVEL_COLUMNS
	{ .name = "replenishmentStatus", .type = FIELD_STRING, .flags = FIELD_NULLABLE,
	  .values = replenish_statuses,
	  .description = "STOCK_OUT, BELOW_MIN, BELOW_REORDER, OK or OVERSTOCK, by the rule of the "
			 "replenishment suggestions; null for a level that is not Supported" },
	FIELDS_END
};

/* The cells of level_columns read in C. */
enum level_col { LV_ID, LV_PRODUCT, LV_LOCATION, LV_SETTINGS };

#define LEVEL_FROM \
	" FROM inventory_levels lv" \
	" JOIN products p ON p.workspace_id = lv.workspace_id AND p.id = lv.product_id" \
	" WHERE lv.workspace_id = ?"

/* SELECT ... FROM ... WHERE lv.workspace_id = ? and the condition cond. */
static const char *level_sql(struct req *r, const char *cond)
{
	return pool_printf(r->pool, "%s" LEVEL_FROM "%s", api_select(level_columns), cond);
}

/* Answers row 0 of res, a level read with level_sql. */
static int level_respond(struct req *r, int status, const struct db_result *res)
{
	struct jw w;

	jw_init(&w, r->pool);
	api_write_row(&w, res, 0, level_columns);
	return req_respond_jw(r, status, &w);
}

/* Reads the level with id (FOR UPDATE inside a transaction when lock). */
static int level_read(struct req *r, int64_t id, int lock, struct db_result *res)
{
	const char *sql = level_sql(r, lock ? " AND lv.id = ? FOR UPDATE" : " AND lv.id = ?");

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

/* Checks that the preferred bin is a bin of the level's location and the
 * replenishment location another one (that the ids are the workspace's
 * was checked before). Returns 0 or status. */
static int check_setting_refs(struct req *r, int64_t location_id)
{
	int64_t bin = api_body_id(r, "preferredBinLocationId", ID_BIN);
	struct db_result res;

	if (api_body_id(r, "replenishmentLocationId", ID_LOCATION) == location_id)
		return req_field_error(r, "replenishmentLocationId",
				       "must be another location than the level's");
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
	return level_respond(r, status_ok, &res);
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
		     level_sql(r, " AND lv.product_id = ? AND lv.location_id = ? FOR UPDATE"),
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
	return level_respond(r, 200, &res);
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

const struct field level_deleted_fields[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "message", .type = FIELD_STRING },
	FIELDS_END
};

int levels_delete(struct req *r)
{
	int64_t id = api_path_id(r, ID_LEVEL);
	struct db_result res;
	struct jw w;

	if (!id)
		return api_not_found(r, ID_LEVEL);
	if (db_query(r->db, r->pool, "DELETE FROM inventory_levels WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "level delete");
	if (res.affected == 0)
		return api_not_found(r, ID_LEVEL);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	jw_kstr(&w, "message", "Inventory level deleted");
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

const struct field product_levels_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "items", .type = FIELD_ARRAY, .items = product_level_fields,
	  .description = "The product's level at each location, by location" },
	{ .name = "count", .type = FIELD_INTEGER },
	FIELDS_END
};

int levels_for_product(struct req *r)
{
	int64_t product = api_path_id(r, ID_PRODUCT);
	struct level_figures *figures;
	struct db_result res;
	const char *method;
	size_t i, nfig = 0;
	struct jw w;
	int status, found = api_exists(r, ID_PRODUCT, product);

	if (found < 0)
		return req_internal_error(r, "product check");
	if (!found)
		return api_not_found(r, ID_PRODUCT);
	if (db_query(r->db, r->pool,
		     level_sql(r, " AND lv.product_id = ? ORDER BY lv.location_id, lv.id"),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product)), &res))
		return req_internal_error(r, "levels");
	{
		struct figures_filter f = { .product = product };

		if ((status = replenish_figures(r, &f, &method, &figures, &nfig)))
			return status;
	}
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "productMasterId", id_format(r->pool, ID_PRODUCT, product));
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < res.nrows; i++) {
		const char *level_status = NULL;
		size_t k;

		for (k = 0; k < nfig; k++)
			if (figures[k].level == db_cell_int(&res, i, LV_ID))
				level_status = figures[k].status;
		jw_open(&w, '{');
		api_write_members(&w, &res, i, level_columns);
		jw_kstr(&w, "replenishmentStatus", level_status);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_kint(&w, "count", (int64_t)res.nrows);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
