/* SPDX-License-Identifier: MIT */
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

/* The workspace's configuration or the defaults, in cfg_col order; the
 * names are those of PATCH /cycle-count/abc-config too. */
static const struct field config_columns[] = {
	[CF_A] = { .name = "aPercent", .column = "COALESCE(MAX(a_percent), 80)", .type = FIELD_NUMBER,
		   .description = "Share of consumption value in class A" },
	[CF_B] = { .name = "bPercent", .column = "COALESCE(MAX(b_percent), 15)", .type = FIELD_NUMBER },
	[CF_C] = { .name = "cPercent", .column = "COALESCE(MAX(c_percent), 5)", .type = FIELD_NUMBER },
	[CF_A_DAYS] = { .name = "aFrequencyDays", .column = "COALESCE(MAX(a_frequency_days), 30)",
			.type = FIELD_INTEGER, .description = "Count class A every N days" },
	[CF_B_DAYS] = { .name = "bFrequencyDays", .column = "COALESCE(MAX(b_frequency_days), 60)",
			.type = FIELD_INTEGER },
	[CF_C_DAYS] = { .name = "cFrequencyDays", .column = "COALESCE(MAX(c_frequency_days), 90)",
			.type = FIELD_INTEGER },
	[CF_PERIOD] = { .name = "periodDays", .column = "COALESCE(MAX(period_days), 365)",
			.type = FIELD_INTEGER, .description = "Consumption is measured over the last N days" },
	[CF__MAX] = FIELDS_END
};

const struct field cycle_count_config_answer[] = {
	{ .name = "config", .type = FIELD_OBJECT, .items = config_columns },
	FIELDS_END
};

/* The workspace's configuration or the defaults: one row of CF_ columns.
 * Returns 0 or -1. */
static int config_read(struct req *r, struct db_result *cfg)
{
	return db_query(r->db, r->pool,
			pool_printf(r->pool, "%s FROM cycle_count_abc_config WHERE workspace_id = ?",
				    api_select(config_columns)),
			DB_ARGS(ARG_INT(api_ws(r))), cfg);
}

/* Member "config" of the open object. */
static void write_config(struct jw *w, const struct db_result *cfg)
{
	jw_key(w, "config");
	api_write_row(w, cfg, 0, config_columns);
}

int cc_config_respond(struct req *r)
{
	struct db_result cfg;
	struct jw w;

	if (config_read(r, &cfg))
		return req_internal_error(r, "abc config");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	write_config(&w, &cfg);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
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
		double d = json_object_object_get_ex(r->json, config_columns[i].name, &v) ?
			   json_object_get_double(v) : strtod(db_cell(&cur, 0, i), NULL);
		double c = d * 100;

		/* Hundredths, exactly: the column is DECIMAL(5,2). */
		cents[i] = (int64_t)(c + 0.5);
		if (c - (double)cents[i] > 1e-6 || (double)cents[i] - c > 1e-6)
			return req_field_error(r, config_columns[i].name, "must have at most 2 decimals");
		if (cents[i] > 10000)
			return req_field_error(r, config_columns[i].name, "must be at most 100");
	}
	if (cents[0] + cents[1] + cents[2] != 10000)
		return req_error(r, 400, "Invalid request data",
				 "aPercent + bPercent + cPercent must equal 100");
	for (i = 0; i < 4; i++) {
		days[i] = json_object_object_get_ex(r->json, config_columns[CF_A_DAYS + i].name, &v) ?
			  json_object_get_int64(v) : db_cell_int(&cur, 0, CF_A_DAYS + i);
		if (days[i] < 1 || days[i] > 36500)
			return req_field_error(r, config_columns[CF_A_DAYS + i].name,
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
 * global_sku, name, location_id, qty (on hand there), last_date (the latest count of
 * its lines there), cls (the level's abc_class when set, else computed),
 * val, next_date and overdue. With filters, the all-products filters.
 */
static void due_cte(struct req *r, const struct db_result *cfg, int64_t location, int filters,
		    struct query *q)
{
	const char *search = req_query(r, "search"), *category = req_query(r, "categoryId");
	const char *bin = req_query(r, "binId");

	query_bind(q, ", at_loc AS (SELECT sl.product_id, sl.location_id, SUM(sl.qty_on_hand) AS qty,"
		      " MAX(sl.last_counted_at) AS last_counted FROM stock_lines sl"
		      " WHERE sl.workspace_id = ?", ARG_INT(api_ws(r)));
	query_add(q, " AND sl.location_id = ? GROUP BY sl.product_id, sl.location_id),"
		     " classed AS (SELECT p.id, p.global_sku, p.name, al.location_id, al.qty,"
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

/* The members of a product of mode=all-products and mode=suggestions. */
#define DUE_PRODUCT_COLUMNS \
	{ .name = "productMasterId", .column = "id", .type = FIELD_ID, .kind = ID_PRODUCT }, \
	{ .name = "sku", .column = "global_sku", .type = FIELD_STRING }, \
	{ .name = "productName", .column = "name", .type = FIELD_STRING },
#define DUE_DATE_COLUMNS \
	{ .name = "lastCountedDate", .column = "last_date", .type = FIELD_DATE, \
	  .flags = FIELD_NULLABLE, .description = "The latest count of its lines here" }, \
	{ .name = "nextCountDate", .column = "next_date", .type = FIELD_DATE, \
	  .description = "By its class's frequency; today when never counted" }, \
	{ .name = "isOverdue", .column = "overdue", .type = FIELD_BOOLEAN }, \
	{ .name = "abcClass", .column = "cls", .type = FIELD_STRING, .values = abc_classes }, \
	{ .name = "currentQty", .column = "qty", .type = FIELD_INTEGER, .description = "On hand here" },

static const struct field product_columns[] = {
	DUE_PRODUCT_COLUMNS
	{ .name = "locationId", .column = "location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	DUE_DATE_COLUMNS
	FIELDS_END
};

static const struct field suggestion_columns[] = {
	DUE_PRODUCT_COLUMNS
	DUE_DATE_COLUMNS
	{ .name = "consumptionValue", .column = "val", .type = FIELD_NUMBER },
	{ .name = "reason", .type = FIELD_STRING,
	  .column = "CASE WHEN last_date IS NULL THEN 'never counted'"
		    " WHEN overdue THEN CONCAT('overdue since ', DATE_FORMAT(next_date, '%Y-%m-%d'))"
		    " ELSE CONCAT('due ', DATE_FORMAT(next_date, '%Y-%m-%d')) END" },
	FIELDS_END
};

/* The answers of GET /cycle-count by mode; abc-config's is the other. */
static const char *const mode_types[] = {
	"all-products", "batches", "to-resolve", "suggestions", NULL
};

const struct field cycle_count_modes_answer[] = {
	{ .name = "type", .type = FIELD_STRING, .values = mode_types, .description = "The mode" },
	{ .name = "products", .type = FIELD_ARRAY, .items = product_columns, .flags = FIELD_OPTIONAL,
	  .description = "all-products" },
	{ .name = "batches", .type = FIELD_ARRAY, .items = cc_batch_list_columns,
	  .flags = FIELD_OPTIONAL, .description = "batches" },
	{ .name = "items", .type = FIELD_ARRAY, .items = cc_line_resolve_columns,
	  .flags = FIELD_OPTIONAL, .description = "to-resolve: counted lines whose count differs" },
	{ .name = "suggestions", .type = FIELD_ARRAY, .items = suggestion_columns,
	  .flags = FIELD_OPTIONAL,
	  .description = "suggestions: overdue first, then by class, then by consumption value" },
	{ .name = "count", .type = FIELD_INTEGER, .description = "The items in this answer" },
	{ .name = "overdueCount", .type = FIELD_INTEGER, .flags = FIELD_OPTIONAL,
	  .description = "all-products: every matching product that is overdue" },
	{ .name = "pagination", .type = FIELD_OBJECT, .items = api_page_fields },
	FIELDS_END
};

/* mode=all-products, and mode=suggestions (what to count next: overdue
 * first, then by class, then by consumption value). */
int cc_mode_products(struct req *r, int64_t location, int suggestions)
{
	const struct field *cols = suggestions ? suggestion_columns : product_columns;
	const char *cls = req_query(r, "abcClass");
	struct db_result cfg, count, rows;
	struct query q, where, sql;
	int64_t page, limit;
	struct jw w;
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
	query_add(&sql, " ");
	query_add(&sql, api_select(cols));
	query_add(&sql, " FROM due");
	query_append(&sql, &where);
	query_add(&sql, suggestions ? " ORDER BY overdue DESC, cls, val DESC, id" : " ORDER BY id");
	query_bind(&sql, " LIMIT ?", ARG_INT(limit));
	query_bind(&sql, " OFFSET ?", ARG_INT((page - 1) * limit));
	if (query_run(&sql, r->db, &rows)) {
		status = req_internal_error(r, "cycle count products");
		goto out;
	}
	jw_init(&w, r->pool);
	cc_mode_write(&w, suggestions ? "suggestions" : "all-products",
		      suggestions ? "suggestions" : "products", &rows, cols);
	if (!suggestions)
		jw_kint(&w, "overdueCount", db_cell_int(&count, 0, 1));
	api_write_pagination(&w, page, limit, db_cell_int(&count, 0, 0));
	jw_close(&w, '}');
	status = req_respond_jw(r, 200, &w);
out:
	return status;
}

/* A product as GET /cycle-count/abc ranks it. */
#define ABC_ITEM_COLUMNS \
	{ .name = "productMasterId", .column = "id", .type = FIELD_ID, .kind = ID_PRODUCT }, \
	{ .name = "sku", .column = "global_sku", .type = FIELD_STRING }, \
	{ .name = "productName", .column = "name", .type = FIELD_STRING }, \
	{ .name = "consumptionQty", .column = "qty", .type = FIELD_INTEGER, \
	  .description = "Consumed over the period" }, \
	{ .name = "consumptionValue", .column = "val", .type = FIELD_NUMBER, \
	  .description = "consumptionQty x unit cost" }, \
	{ .name = "cumulativePercent", .column = "ROUND(cum_pct, 2)", .type = FIELD_NUMBER, \
	  .description = "Share of all value of this product and those ranked above it" }, \
	{ .name = "abcClass", .column = "cls", .type = FIELD_STRING, .values = abc_classes },

static const struct field abc_item_columns[] = {
	ABC_ITEM_COLUMNS
	FIELDS_END
};
enum { ABC_CLASS_COLUMN = 6 };

static const struct field abc_item_fields[] = {
	ABC_ITEM_COLUMNS
	{ .name = "frequencyDays", .type = FIELD_INTEGER, .description = "Its class's" },
	FIELDS_END
};

/* A class's totals, from "abc" grouped by class; its class follows. */
static const struct field abc_class_fields[] = {
	{ .name = "count", .column = "COUNT(*)", .type = FIELD_INTEGER,
	  .description = "Products in the class" },
	{ .name = "value", .column = "SUM(val)", .type = FIELD_NUMBER,
	  .description = "Their consumption value" },
	{ .name = "percentOfValue", .column = "IFNULL(ROUND(SUM(val) * 100 / NULLIF(MAX(total), 0), 2), 0)",
	  .type = FIELD_NUMBER, .description = "Their share of all value" },
	FIELDS_END
};
enum { SUMMARY_COUNT = 0, SUMMARY_CLASS = ARRAY_SIZE(abc_class_fields) - 1 };

static const struct field abc_summary_fields[] = {
	{ .name = "A", .type = FIELD_OBJECT, .items = abc_class_fields },
	{ .name = "B", .type = FIELD_OBJECT, .items = abc_class_fields },
	{ .name = "C", .type = FIELD_OBJECT, .items = abc_class_fields },
	FIELDS_END
};

static const struct field abc_period_fields[] = {
	{ .name = "from", .type = FIELD_DATETIME },
	{ .name = "to", .type = FIELD_DATETIME },
	FIELDS_END
};

const struct field cycle_count_abc_answer[] = {
	{ .name = "config", .type = FIELD_OBJECT, .items = config_columns },
	{ .name = "period", .type = FIELD_OBJECT, .items = abc_period_fields,
	  .description = "Over which consumption is measured" },
	{ .name = "summary", .type = FIELD_OBJECT, .items = abc_summary_fields },
	{ .name = "items", .type = FIELD_ARRAY, .items = abc_item_fields,
	  .description = "By consumption value, highest first" },
	{ .name = "pagination", .type = FIELD_OBJECT, .items = api_page_fields },
	FIELDS_END
};

/* Member "summary": each class's row of summary (count, value, percent,
 * cls), or zeros. Returns how many products are in classes cls (all
 * when NULL or empty). */
static int64_t write_abc_summary(struct jw *w, const struct db_result *summary, const char *cls)
{
	static const char *const classes[] = { "A", "B", "C" };
	const struct field *f;
	int64_t total = 0;
	size_t i, j;

	jw_key(w, "summary");
	jw_open(w, '{');
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		for (j = 0; j < summary->nrows && strcmp(db_cell(summary, j, SUMMARY_CLASS), classes[i]);
		     j++)
			;
		jw_key(w, classes[i]);
		jw_open(w, '{');
		if (j < summary->nrows) {
			api_write_members(w, summary, j, abc_class_fields);
			if (!cls || !*cls || !strcmp(cls, classes[i]))
				total += db_cell_int(summary, j, SUMMARY_COUNT);
		} else {
			for (f = abc_class_fields; f->name; f++)
				jw_kint(w, f->name, 0);
		}
		jw_close(w, '}');
	}
	jw_close(w, '}');
	return total;
}

int cycle_count_abc_get(struct req *r)
{
	const char *cls = req_query(r, "abcClass"), *loc = req_query(r, "locationId");
	int64_t location = loc && *loc ? id_parse(ID_LOCATION, loc) : 0, page, limit, total;
	struct db_result cfg, summary, period, rows;
	struct query q, sql;
	struct jw w;
	size_t i;
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
	query_add(&sql, " ");
	query_add(&sql, api_select(abc_class_fields));
	query_add(&sql, ", cls FROM abc GROUP BY cls");
	if (query_run(&sql, r->db, &summary)) {
		status = req_internal_error(r, "abc summary");
		goto out;
	}
	query_init(&sql, r->pool, "");
	query_append(&sql, &q);
	query_add(&sql, " ");
	query_add(&sql, api_select(abc_item_columns));
	query_add(&sql, " FROM abc");
	if (cls && *cls)
		query_bind(&sql, " WHERE cls = ?", ARG_TEXT(cls));
	query_add(&sql, " ORDER BY val DESC, id");
	query_bind(&sql, " LIMIT ?", ARG_INT(limit));
	query_bind(&sql, " OFFSET ?", ARG_INT((page - 1) * limit));
	if (query_run(&sql, r->db, &rows)) {
		status = req_internal_error(r, "abc items");
		goto out;
	}
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	write_config(&w, &cfg);
	jw_key(&w, "period");
	jw_open(&w, '{');
	jw_kstr(&w, "from", db_cell(&period, 0, 0));
	jw_kstr(&w, "to", db_cell(&period, 0, 1));
	jw_close(&w, '}');
	total = write_abc_summary(&w, &summary, cls);
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < rows.nrows; i++) {
		const char *c = db_cell(&rows, i, ABC_CLASS_COLUMN);

		jw_open(&w, '{');
		api_write_members(&w, &rows, i, abc_item_columns);
		jw_key(&w, "frequencyDays");
		jw_decimal(&w, db_cell(&cfg, 0, CF_A_DAYS + (size_t)(c[0] - 'A')));
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	api_write_pagination(&w, page, limit, total);
	jw_close(&w, '}');
	status = req_respond_jw(r, 200, &w);
out:
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
