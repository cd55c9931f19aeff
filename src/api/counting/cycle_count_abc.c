/*
 * The ABC classification of cycle counts: products ranked by consumption
 * value over the configured period, the counting frequency of each class,
 * the all-products and suggestions modes built on it, and batches of what
 * is due.
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

static const char *const abc_classes[] = { "A", "B", "C", NULL };

const struct field cycle_count_abc_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .not_found = CC_LOCATION_GONE,
	  .description = "Classify the stock of one location (default: all)" },
	{ .name = "abcClass", .type = FIELD_STRING, .values = abc_classes, .description = "Only this class" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 50, max: 200)" },
	FIELDS_END
};

const struct field cycle_count_abc_fields[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = CC_LOCATION_GONE, .description = "The location to count" },
	{ .name = "classes", .type = FIELD_ARRAY,
	  .description = "Classes to include, e.g. [\"A\", \"B\"] (default: all)" },
	{ .name = "maxItems", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "At most this many stock lines (default 200, max 1000)" },
	{ .name = "assigneeId", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 200,
	  .description = "Who counts" },
	{ .name = "deadline", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .description = "Due by" },
	{ .name = "blind", .type = FIELD_BOOLEAN, .description = "Blind count (default false)" },
	FIELDS_END
};

const struct field cycle_count_abc_config_fields[] = {
	{ .name = "aPercent", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE,
	  .description = "Share of consumption value in class A (default 80)" },
	{ .name = "bPercent", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE, .description = "Class B (15)" },
	{ .name = "cPercent", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE,
	  .description = "Class C (5); the three add up to 100" },
	{ .name = "aFrequencyDays", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Count class A every N days (30)" },
	{ .name = "bFrequencyDays", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE, .description = "(60)" },
	{ .name = "cFrequencyDays", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE, .description = "(90)" },
	{ .name = "periodDays", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Consumption is measured over the last N days (365)" },
	FIELDS_END
};

/* Stock that left the shelf: shipped, adjusted or recorded down, consumed. */
#define CONSUMING_TYPES \
	"('SHIP', 'ADJUSTMENT', 'STOCK_ADJUSTMENT', 'EXPIRED_CONSUMED', 'RECORD_STOCK')"

/* ---------------------------------------------------------------- ABC configuration */

enum cfg_col { CF_A, CF_B, CF_C, CF_A_DAYS, CF_B_DAYS, CF_C_DAYS, CF_PERIOD, CF__MAX };
static const char *const config_names[CF__MAX] = {
	"aPercent", "bPercent", "cPercent", "aFrequencyDays", "bFrequencyDays", "cFrequencyDays",
	"periodDays"
};

/* The workspace's configuration or the defaults: one row of CF_ columns.
 * Returns 0 or -1. */
static int config_read(struct req *r, struct db_result *cfg)
{
	return db_query(r->db, r->pool,
			"SELECT COALESCE(MAX(a_percent), 80), COALESCE(MAX(b_percent), 15),"
			" COALESCE(MAX(c_percent), 5), COALESCE(MAX(a_frequency_days), 30),"
			" COALESCE(MAX(b_frequency_days), 60), COALESCE(MAX(c_frequency_days), 90),"
			" COALESCE(MAX(period_days), 365)"
			" FROM cycle_count_abc_config WHERE workspace_id = ?",
			DB_ARGS(ARG_INT(api_ws(r))), cfg);
}

int cc_config_respond(struct req *r)
{
	struct db_result cfg;
	json_object *o, *out;
	size_t i;

	if (config_read(r, &cfg))
		return req_internal_error(r, "abc config");
	o = json_object_new_object();
	for (i = 0; i < CF__MAX; i++)
		json_object_object_add(o, config_names[i], api_cell_number(&cfg, 0, i));
	out = json_object_new_object();
	json_object_object_add(out, "config", o);
	return req_respond(r, 200, out);
}

int cycle_count_abc_config_update(struct req *r)
{
	struct db_result cur;
	int64_t cents[3], days[4];
	json_object *v;
	size_t i;

	/* The row (when there is one) is locked so that two merges serialise. */
	if (db_query(r->db, r->pool,
		     "SELECT 1 FROM cycle_count_abc_config WHERE workspace_id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r))), NULL) || config_read(r, &cur))
		return req_internal_error(r, "abc config");
	for (i = 0; i < 3; i++) {
		double d = json_object_object_get_ex(r->json, config_names[i], &v) ?
			   json_object_get_double(v) : strtod(db_cell(&cur, 0, i), NULL);
		double c = d * 100;

		/* Hundredths, exactly: the column is DECIMAL(5,2). */
		cents[i] = (int64_t)(c + 0.5);
		if (c - (double)cents[i] > 1e-6 || (double)cents[i] - c > 1e-6)
			return req_field_error(r, config_names[i], "must have at most 2 decimals");
		if (cents[i] > 10000)
			return req_field_error(r, config_names[i], "must be at most 100");
	}
	if (cents[0] + cents[1] + cents[2] != 10000)
		return req_error(r, 400, "Invalid request data",
				 "aPercent + bPercent + cPercent must equal 100");
	for (i = 0; i < 4; i++) {
		days[i] = json_object_object_get_ex(r->json, config_names[CF_A_DAYS + i], &v) ?
			  json_object_get_int64(v) : db_cell_int(&cur, 0, CF_A_DAYS + i);
		if (days[i] < 1 || days[i] > 36500)
			return req_field_error(r, config_names[CF_A_DAYS + i],
					       "must be between 1 and 36500");
	}
	if (db_query(r->db, r->pool,
		     "INSERT INTO cycle_count_abc_config (workspace_id, a_percent, b_percent, c_percent,"
		     " a_frequency_days, b_frequency_days, c_frequency_days, period_days, updated_by)"
		     " VALUES (?, ? / 100, ? / 100, ? / 100, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
		     " a_percent = VALUES(a_percent), b_percent = VALUES(b_percent),"
		     " c_percent = VALUES(c_percent), a_frequency_days = VALUES(a_frequency_days),"
		     " b_frequency_days = VALUES(b_frequency_days),"
		     " c_frequency_days = VALUES(c_frequency_days), period_days = VALUES(period_days),"
		     " updated_by = VALUES(updated_by)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(cents[0]), ARG_INT(cents[1]), ARG_INT(cents[2]),
			     ARG_INT(days[0]), ARG_INT(days[1]), ARG_INT(days[2]), ARG_INT(days[3]),
			     ARG_TEXT(api_actor(r))), NULL))
		return api_db_error(r, "abc config");
	return cc_config_respond(r);
}

/* ---------------------------------------------------------------- ABC classification */

/*
 * Appends "WITH ..., abc AS (...)": every product with stock lines (at
 * location, or in the workspace when it is 0) with its consumption over the
 * period (qty, val = qty x unit cost), its cumulative share of all value
 * (cum_pct) and its class (cls). Ranked by value, ties by id; A while the
 * cumulative share is within aPercent (and the top product always, so one
 * dominant product is not C), B within aPercent + bPercent, else C; no
 * consumption (or none at all) is C. One statement, window functions.
 */
static void abc_cte(struct req *r, const struct db_result *cfg, int64_t location, struct query *q)
{
	query_bind(q, "WITH cons AS (SELECT t.product_id, SUM(-t.delta_on_hand) AS qty"
		      " FROM stock_transactions t WHERE t.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(q, " AND t.delta_on_hand < 0 AND t.transaction_type IN " CONSUMING_TYPES
		      " AND t.created_at >= NOW(3) - INTERVAL ? DAY",
		   ARG_INT(db_cell_int(cfg, 0, CF_PERIOD)));
	if (location)
		query_bind(q, " AND t.location_id = ?", ARG_INT(location));
	query_bind(q, " GROUP BY t.product_id),"
		      " stocked AS (SELECT DISTINCT sl.product_id FROM stock_lines sl"
		      " WHERE sl.workspace_id = ?", ARG_INT(api_ws(r)));
	if (location)
		query_bind(q, " AND sl.location_id = ?", ARG_INT(location));
	query_add(q, "),"
		     " valued AS (SELECT p.id, p.global_sku, p.name, COALESCE(c.qty, 0) AS qty,"
		     " COALESCE(c.qty, 0) * p.unit_cost AS val FROM stocked s"
		     " JOIN products p ON p.workspace_id = ? AND p.id = s.product_id"
		     " LEFT JOIN cons c ON c.product_id = s.product_id),"
		     " ranked AS (SELECT v.*,"
		     " SUM(v.val) OVER (ORDER BY v.val DESC, v.id ROWS UNBOUNDED PRECEDING) AS cum,"
		     " SUM(v.val) OVER () AS total, ROW_NUMBER() OVER (ORDER BY v.val DESC, v.id) AS rnk"
		     " FROM valued v),"
		     " abc AS (SELECT k.*, IF(k.total > 0, k.cum * 100 / k.total, 0) AS cum_pct,"
		     " CASE WHEN k.val <= 0 OR k.total <= 0 THEN 'C'"
		     " WHEN k.rnk = 1 OR k.cum * 100 <= CAST(? AS DECIMAL(7,2)) * k.total THEN 'A'");
	query_arg(q, ARG_INT(api_ws(r)));
	query_arg(q, ARG_TEXT(db_cell(cfg, 0, CF_A)));
	query_bind(q, " WHEN k.cum * 100 <= (CAST(? AS DECIMAL(7,2))",
		   ARG_TEXT(db_cell(cfg, 0, CF_A)));
	query_bind(q, " + CAST(? AS DECIMAL(7,2))) * k.total THEN 'B' ELSE 'C' END AS cls FROM ranked k)",
		   ARG_TEXT(db_cell(cfg, 0, CF_B)));
}

/* Appends "CASE cls WHEN 'A' THEN aFrequencyDays ... END" with its values. */
static void frequency_case(struct query *q, const char *cls_col, const struct db_result *cfg)
{
	query_add(q, " (CASE ");
	query_add(q, cls_col);
	query_bind(q, " WHEN 'A' THEN ?", ARG_INT(db_cell_int(cfg, 0, CF_A_DAYS)));
	query_bind(q, " WHEN 'B' THEN ?", ARG_INT(db_cell_int(cfg, 0, CF_B_DAYS)));
	query_bind(q, " ELSE ? END)", ARG_INT(db_cell_int(cfg, 0, CF_C_DAYS)));
}

/*
 * Appends the products at location after abc_cte: "due" with id,
 * global_sku, name, qty (on hand there), last_date (the latest count of
 * its lines there), cls (the level's abc_class when set, else computed),
 * val, next_date and overdue. With filters, the all-products filters.
 */
static void due_cte(struct req *r, const struct db_result *cfg, int64_t location, int filters,
		    struct query *q)
{
	const char *search = req_query(r, "search"), *category = req_query(r, "categoryId");
	const char *bin = req_query(r, "binId");

	query_bind(q, ", at_loc AS (SELECT sl.product_id, SUM(sl.qty_on_hand) AS qty,"
		      " MAX(sl.last_counted_at) AS last_counted FROM stock_lines sl"
		      " WHERE sl.workspace_id = ?", ARG_INT(api_ws(r)));
	query_add(q, " AND sl.location_id = ? GROUP BY sl.product_id),"
		     " classed AS (SELECT p.id, p.global_sku, p.name, al.qty,"
		     " DATE(al.last_counted) AS last_date,"
		     " COALESCE(NULLIF(il.abc_class, ''), abc.cls, 'C') AS cls, COALESCE(abc.val, 0) AS val"
		     " FROM at_loc al JOIN products p ON p.workspace_id = ? AND p.id = al.product_id");
	query_arg(q, ARG_INT(location));
	query_arg(q, ARG_INT(api_ws(r)));
	query_bind(q, " LEFT JOIN inventory_levels il ON il.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(q, " AND il.product_id = al.product_id AND il.location_id = ?"
		      " LEFT JOIN abc ON abc.id = al.product_id WHERE 1 = 1", ARG_INT(location));
	if (filters && search && *search) {
		/* INSTR, not LIKE: '%' and '_' in the search are plain text. */
		query_bind(q, " AND (INSTR(p.name, ?) > 0", ARG_TEXT(search));
		query_bind(q, " OR INSTR(p.global_sku, ?) > 0)", ARG_TEXT(search));
	}
	if (filters && category && *category)
		query_bind(q, " AND p.category_id = ?", ARG_INT(id_parse(ID_CATEGORY, category)));
	if (filters && bin && *bin) {
		query_bind(q, " AND EXISTS (SELECT 1 FROM stock_lines bl WHERE bl.workspace_id = ?",
			   ARG_INT(api_ws(r)));
		query_bind(q, " AND bl.location_id = ?", ARG_INT(location));
		query_bind(q, " AND bl.product_id = al.product_id AND bl.bin_id = ?)",
			   ARG_INT(id_parse(ID_BIN, bin)));
	}
	/* Never counted: due today, and overdue. */
	query_add(q, "), dated AS (SELECT c.*, IF(c.last_date IS NULL, CURDATE(),"
		     " c.last_date + INTERVAL");
	frequency_case(q, "c.cls", cfg);
	query_add(q, " DAY) AS next_date FROM classed c),"
		     " due AS (SELECT d.*, (d.last_date IS NULL OR d.next_date < CURDATE())"
		     " AS overdue FROM dated d)");
}

enum due_col { DC_ID, DC_SKU, DC_NAME, DC_LAST, DC_NEXT, DC_OVERDUE, DC_CLASS, DC_QTY, DC_VALUE };

#define DUE_SELECT \
	" SELECT id, global_sku, name, " SQL_DATE("last_date") ", " SQL_DATE("next_date") "," \
	" overdue, cls, qty, val FROM due"

static json_object *due_json(struct req *r, const struct db_result *res, size_t i,
			     const char *location, int suggestion)
{
	json_object *o = json_object_new_object();
	const char *next = db_cell(res, i, DC_NEXT);
	int overdue = db_cell_int(res, i, DC_OVERDUE) != 0;

	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, DC_ID, ID_PRODUCT));
	json_object_object_add(o, "sku", api_cell_string(res, i, DC_SKU));
	json_object_object_add(o, "productName", api_cell_string(res, i, DC_NAME));
	if (!suggestion)
		json_object_object_add(o, "locationId", json_object_new_string(location));
	json_object_object_add(o, "lastCountedDate", api_cell_string(res, i, DC_LAST));
	json_object_object_add(o, "nextCountDate", api_cell_string(res, i, DC_NEXT));
	json_object_object_add(o, "isOverdue", json_object_new_boolean(overdue));
	json_object_object_add(o, "abcClass", api_cell_string(res, i, DC_CLASS));
	json_object_object_add(o, "currentQty", api_cell_int(res, i, DC_QTY));
	if (suggestion) {
		json_object_object_add(o, "consumptionValue", api_cell_number(res, i, DC_VALUE));
		json_object_object_add(o, "reason", json_object_new_string(
			!db_cell(res, i, DC_LAST) ? "never counted" :
			overdue ? pool_printf(r->pool, "overdue since %s", next) :
			pool_printf(r->pool, "due %s", next)));
	}
	return o;
}

/* mode=all-products, and mode=suggestions (what to count next: overdue
 * first, then by class, then by consumption value). */
int cc_mode_products(struct req *r, int64_t location, int suggestions)
{
	const char *cls = req_query(r, "abcClass");
	const char *loc = id_format(r->pool, ID_LOCATION, location);
	struct db_result cfg, count, rows;
	struct query q, where, sql;
	int64_t page, limit;
	json_object *out, *arr;
	size_t i;
	int status;

	query_init(&q, r->pool, "");
	if ((status = api_page(r, 50, 200, &page, &limit)))
		goto out;
	if (config_read(r, &cfg)) {
		status = req_internal_error(r, "abc config");
		goto out;
	}
	abc_cte(r, &cfg, location, &q);
	due_cte(r, &cfg, location, !suggestions, &q);
	query_init(&where, r->pool, " WHERE 1 = 1");
	if (!suggestions && cls && *cls)
		query_bind(&where, " AND cls = ?", ARG_TEXT(cls));
	if (!suggestions && cc_query_bool(r, "showOverdueOnly"))
		query_add(&where, " AND overdue");
	query_init(&sql, r->pool, "");
	query_append(&sql, &q);
	query_add(&sql, " SELECT COUNT(*), COALESCE(SUM(overdue), 0) FROM due");
	query_append(&sql, &where);
	if (query_run(&sql, r->db, &count)) {
		status = req_internal_error(r, "cycle count products");
		goto out;
	}
	query_init(&sql, r->pool, "");
	query_append(&sql, &q);
	query_add(&sql, DUE_SELECT);
	query_append(&sql, &where);
	query_add(&sql, suggestions ? " ORDER BY overdue DESC, cls, val DESC, id" : " ORDER BY id");
	query_bind(&sql, " LIMIT ?", ARG_INT(limit));
	query_bind(&sql, " OFFSET ?", ARG_INT((page - 1) * limit));
	if (query_run(&sql, r->db, &rows)) {
		status = req_internal_error(r, "cycle count products");
		goto out;
	}
	arr = json_object_new_array_ext((int)rows.nrows);
	for (i = 0; i < rows.nrows; i++)
		json_object_array_add(arr, due_json(r, &rows, i, loc, suggestions));
	out = cc_mode_answer(suggestions ? "suggestions" : "all-products",
			     suggestions ? "suggestions" : "products", arr);
	if (!suggestions)
		json_object_object_add(out, "overdueCount", api_cell_int(&count, 0, 1));
	json_object_object_add(out, "pagination",
			       api_pagination(page, limit, db_cell_int(&count, 0, 0)));
	status = req_respond(r, 200, out);
out:
	return status;
}

int cycle_count_abc_get(struct req *r)
{
	static const char *const classes[] = { "A", "B", "C" };
	const char *cls = req_query(r, "abcClass"), *loc = req_query(r, "locationId");
	int64_t location = loc && *loc ? id_parse(ID_LOCATION, loc) : 0, page, limit, total = 0;
	struct db_result cfg, summary, period, rows;
	json_object *out, *sum = NULL, *items, *o;
	struct query q, sql;
	size_t i, j;
	int status;

	query_init(&q, r->pool, "");
	if ((status = api_page(r, 50, 200, &page, &limit)))
		goto out;
	if (config_read(r, &cfg) ||
	    db_query(r->db, r->pool,
		     "SELECT " SQL_ISO("NOW() - INTERVAL ? DAY") ", " SQL_ISO("NOW()"),
		     DB_ARGS(ARG_INT(db_cell_int(&cfg, 0, CF_PERIOD))), &period)) {
		status = req_internal_error(r, "abc config");
		goto out;
	}
	abc_cte(r, &cfg, location, &q);
	query_init(&sql, r->pool, "");
	query_append(&sql, &q);
	query_add(&sql, " SELECT cls, COUNT(*), SUM(val),"
			" IFNULL(ROUND(SUM(val) * 100 / NULLIF(MAX(total), 0), 2), 0) FROM abc GROUP BY cls");
	if (query_run(&sql, r->db, &summary)) {
		status = req_internal_error(r, "abc summary");
		goto out;
	}
	sum = json_object_new_object();
	for (i = 0; i < 3; i++) {
		o = json_object_new_object();
		for (j = 0; j < summary.nrows && strcmp(db_cell(&summary, j, 0), classes[i]); j++)
			;
		json_object_object_add(o, "count", j < summary.nrows ? api_cell_int(&summary, j, 1) :
						   json_object_new_int(0));
		json_object_object_add(o, "value", j < summary.nrows ?
					   api_cell_number(&summary, j, 2) : json_object_new_int(0));
		json_object_object_add(o, "percentOfValue", j < summary.nrows ?
					   api_cell_number(&summary, j, 3) : json_object_new_int(0));
		if (j < summary.nrows && (!cls || !*cls || !strcmp(cls, classes[i])))
			total += db_cell_int(&summary, j, 1);
		json_object_object_add(sum, classes[i], o);
	}
	query_init(&sql, r->pool, "");
	query_append(&sql, &q);
	query_add(&sql, " SELECT id, global_sku, name, qty, val, ROUND(cum_pct, 2), cls FROM abc");
	if (cls && *cls)
		query_bind(&sql, " WHERE cls = ?", ARG_TEXT(cls));
	query_add(&sql, " ORDER BY val DESC, id");
	query_bind(&sql, " LIMIT ?", ARG_INT(limit));
	query_bind(&sql, " OFFSET ?", ARG_INT((page - 1) * limit));
	if (query_run(&sql, r->db, &rows)) {
		status = req_internal_error(r, "abc items");
		goto out;
	}
	items = json_object_new_array_ext((int)rows.nrows);
	for (i = 0; i < rows.nrows; i++) {
		const char *c = db_cell(&rows, i, 6);

		o = json_object_new_object();
		json_object_object_add(o, "productMasterId", api_cell_id(r, &rows, i, 0, ID_PRODUCT));
		json_object_object_add(o, "sku", api_cell_string(&rows, i, 1));
		json_object_object_add(o, "productName", api_cell_string(&rows, i, 2));
		json_object_object_add(o, "consumptionQty", api_cell_int(&rows, i, 3));
		json_object_object_add(o, "consumptionValue", api_cell_number(&rows, i, 4));
		json_object_object_add(o, "cumulativePercent", api_cell_number(&rows, i, 5));
		json_object_object_add(o, "abcClass", api_cell_string(&rows, i, 6));
		json_object_object_add(o, "frequencyDays",
				       api_cell_int(&cfg, 0, CF_A_DAYS + (size_t)(c[0] - 'A')));
		json_object_array_add(items, o);
	}
	out = json_object_new_object();
	o = json_object_new_object();
	for (i = 0; i < CF__MAX; i++)
		json_object_object_add(o, config_names[i], api_cell_number(&cfg, 0, i));
	json_object_object_add(out, "config", o);
	o = json_object_new_object();
	json_object_object_add(o, "from", api_cell_string(&period, 0, 0));
	json_object_object_add(o, "to", api_cell_string(&period, 0, 1));
	json_object_object_add(out, "period", o);
	json_object_object_add(out, "summary", sum);
	sum = NULL;
	json_object_object_add(out, "items", items);
	json_object_object_add(out, "pagination", api_pagination(page, limit, total));
	status = req_respond(r, 200, out);
out:
	json_object_put(sum);
	return status;
}

/* ---------------------------------------------------------------- ABC batches */

int cycle_count_abc_create(struct req *r)
{
	static const char *const all[] = { "A", "B", "C" };
	const char *want[3] = { NULL, NULL, NULL }, *single = NULL;
	int64_t location = api_body_id(r, "locationId", ID_LOCATION), max = 200, *ids, batch;
	json_object *classes = NULL, *v;
	struct strbuf names = STRBUF_INIT;
	struct db_result cfg, res;
	size_t i, k, n = 0, nwant = 0;
	struct query q;
	int status;

	query_init(&q, r->pool, "");
	if (json_object_object_get_ex(r->json, "maxItems", &v) && v &&
	    ((max = json_object_get_int64(v)) < 1 || max > CC_BATCH_MAX_LINES)) {
		status = req_field_error(r, "maxItems", "must be between 1 and 1000");
		goto out;
	}
	if (json_object_object_get_ex(r->json, "classes", &classes) && classes) {
		if (!json_object_array_length(classes)) {
			status = req_field_error(r, "classes", "must name at least one class");
			goto out;
		}
		for (i = 0; i < json_object_array_length(classes); i++) {
			v = json_object_array_get_idx(classes, i);
			for (k = 0; k < 3 && (!json_object_is_type(v, json_type_string) ||
					      strcmp(json_object_get_string(v), all[k])); k++)
				;
			if (k == 3) {
				status = req_field_error(r, pool_printf(r->pool, "classes[%zu]", i),
							 "must be A, B or C");
				goto out;
			}
			want[k] = all[k];
		}
	} else {
		memcpy(want, all, sizeof(want));
	}
	for (k = 0; k < 3; k++) {
		if (!want[k])
			continue;
		strbuf_addf(&names, "%s%s", nwant++ ? ", " : "", want[k]);
		single = want[k];
	}
	if (config_read(r, &cfg)) {
		status = req_internal_error(r, "abc config");
		goto out;
	}
	/* The location's lines by class (the level's, else computed) that are
	 * due by their class's frequency and in no open batch. */
	abc_cte(r, &cfg, location, &q);
	query_bind(&q, ", lined AS (SELECT sl.id, sl.last_counted_at, abc.val,"
		       " COALESCE(NULLIF(il.abc_class, ''), abc.cls, 'C') AS cls FROM stock_lines sl"
		       " JOIN abc ON abc.id = sl.product_id"
		       " LEFT JOIN inventory_levels il ON il.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND il.product_id = sl.product_id AND il.location_id = sl.location_id"
		       " WHERE sl.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND sl.location_id = ?)", ARG_INT(location));
	query_bind(&q, " SELECT x.id FROM lined x WHERE x.cls IN (?", ARG_TEXT(want[0]));
	query_bind(&q, ", ?", ARG_TEXT(want[1]));
	query_bind(&q, ", ?) AND (x.last_counted_at IS NULL OR x.last_counted_at < NOW(3) - INTERVAL",
		   ARG_TEXT(want[2]));
	frequency_case(&q, "x.cls", &cfg);
	query_bind(&q, " DAY) AND NOT EXISTS (SELECT 1 FROM cycle_count_lines l"
		       " JOIN cycle_count_batches b ON b.workspace_id = l.workspace_id AND b.id = l.batch_id"
		       " WHERE l.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND l.stock_line_id = x.id AND b.status IN " CC_OPEN_STATUSES ")"
		       " ORDER BY x.cls, x.val DESC, x.id LIMIT ?", ARG_INT(max));
	if (query_run(&q, r->db, &res)) {
		status = req_internal_error(r, "abc lines");
		goto out;
	}
	if (!res.nrows) {
		status = req_error(r, 409, "Conflict", "nothing is due for counting at this location");
		goto out;
	}
	ids = pool_calloc(r->pool, res.nrows, sizeof(*ids));
	cc_append_ids(&res, ids, &n);
	if ((status = cc_batch_insert(r, location, ids, n, "ABC", nwant == 1 ? single : NULL,
				   pool_printf(r->pool, "ABC cycle count (%s)", names.buf), &batch)))
		goto out;
	status = cc_batch_respond(r, batch, 201);
out:
	strbuf_release(&names);
	return status;
}
