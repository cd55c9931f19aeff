/* SPDX-License-Identifier: MIT */
/*
 * The figures of every Supported inventory level, read in one query (each
 * figure a correlated sum over an index led by workspace and product), and
 * the rule that turns them into a status and a suggested quantity.
 *
 * One comparison rule everywhere: a threshold is reached when the
 * position is at or below it.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/replenish/replenish.h"
#include "core/pool.h"
#include "core/util.h"

const char *const replenish_statuses[] = {
	"STOCK_OUT", "BELOW_MIN", "BELOW_REORDER", "OK", "OVERSTOCK", NULL
};
static const char *const methods[] = { "MIN_MAX", "FORECAST", NULL };

/* The ledger entries that are demand: stock that left to be used, less
 * what came back (an issue rolled back: TRANSFER_RETURN). */
#define DEMAND_TYPES "('SHIP', 'TRANSFER_OUT', 'ISSUE', 'TRANSFER_RETURN')"

/*
 * One row per level, its figures from derived tables that each read their
 * table once, grouped by product and location (a subquery per level would
 * run thousands of times). Where the derived tables say LOCATIONS they
 * take the locations of the levels asked for. The placeholders, in order:
 * default lead time, default period, in-transit flag, expiring flag,
 * default lead time, open-requests flag, then those of the derived tables
 * and of the conditions (see replenish_figures).
 */
#define SQL_FIGURES_HEAD \
	"SELECT v.id, v.product_id, v.location_id, IFNULL(v.replenishment_location_id, 0)," \
	" v.min_quantity, v.reorder_quantity, v.max_quantity," \
	" IFNULL(v.expected_lead_time_days, ?), IFNULL(v.replenishment_period_days, ?)," \
	" IFNULL(SUM(s.on_hand), 0), IFNULL(SUM(s.available), 0)," \
	" ? * IFNULL(MAX(tr.quantity), 0)," \
	" ? * IFNULL(SUM(CASE WHEN s.expiry_date >= CURRENT_DATE AND s.expiry_date < CURRENT_DATE" \
	" + INTERVAL IFNULL(v.expected_lead_time_days, ?) DAY THEN s.available END), 0)," \
	" IFNULL(MAX(ro.quantity), 0) + ? * IFNULL(MAX(sq.quantity), 0)," \
	" IFNULL(MAX(d.outflow), 0)" \
	" FROM inventory_levels v"

/*
 * The derived tables read only the locations of the levels asked for:
 * AT_LOCATION one location (its placeholder takes it), AT_LEVELS those
 * with a Supported level (its placeholder takes the workspace).
 */
#define AT_LOCATION(col) col " = ?"
#define AT_LEVELS(col) \
	col " IN (SELECT DISTINCT lv.location_id FROM inventory_levels lv WHERE lv.workspace_id = ?" \
	" AND lv.status = 'Supported')"

/* One product's rows, or every product's (the placeholders take the
 * product, twice: 0 for all). */
#define PRODUCT(col) "(? = 0 OR " col " = ?)"

/* Each takes the workspace, then the value of LOC, then PRODUCT's. */
/* The stock, by lot expiry date (so that what expires within each level's
 * lead time is summed from the same rows). */
#define SQL_STOCK(LOC) \
	" LEFT JOIN (SELECT sl.product_id, sl.location_id, lt.expiry_date, SUM(sl.qty_on_hand) on_hand," \
	" SUM(" SQL_AVAILABLE("sl", "lt") ") available FROM stock_lines sl" SQL_JOIN_LOT("sl") \
	" WHERE sl.workspace_id = ? AND " LOC("sl.location_id") " AND " PRODUCT("sl.product_id") \
	" GROUP BY sl.product_id, sl.location_id, lt.expiry_date) s" \
	" ON s.product_id = v.product_id AND s.location_id = v.location_id"
#define SQL_IN_TRANSIT(LOC) \
	" LEFT JOIN (SELECT l.product_id, t.to_location_id location_id," \
	" SUM(l.quantity_shipped - l.quantity_received - l.quantity_written_off) quantity" \
	" FROM transfers t JOIN transfer_lines l ON l.workspace_id = t.workspace_id" \
	" AND l.transfer_id = t.id WHERE t.workspace_id = ? AND " LOC("t.to_location_id") \
	" AND " PRODUCT("l.product_id") \
	" AND t.status IN ('SHIPPED', 'PARTIALLY_RECEIVED') GROUP BY l.product_id, t.to_location_id) tr" \
	" ON tr.product_id = v.product_id AND tr.location_id = v.location_id"
/* Open replenishments: what has not shipped (internal) or arrived. */
#define SQL_ON_ORDER(LOC) \
	" LEFT JOIN (SELECT rl.product_id, rp.location_id, SUM(rl.quantity" \
	" - GREATEST(IFNULL(tl.quantity_shipped, 0), rl.quantity_received)) quantity" \
	" FROM replenishments rp JOIN replenishment_lines rl ON rl.workspace_id = rp.workspace_id" \
	" AND rl.replenishment_id = rp.id LEFT JOIN transfer_lines tl" \
	" ON tl.workspace_id = rl.workspace_id AND tl.id = rl.transfer_line_id" \
	" WHERE rp.workspace_id = ? AND " LOC("rp.location_id") " AND " PRODUCT("rl.product_id") \
	" AND rp.status IN ('PENDING', 'APPROVED')" \
	" GROUP BY rl.product_id, rp.location_id) ro" \
	" ON ro.product_id = v.product_id AND ro.location_id = v.location_id"
/* Approved stock requests to the location, not issued yet. */
#define SQL_REQUESTED(LOC) \
	" LEFT JOIN (SELECT srl.product_id, sr.requesting_location_id location_id," \
	" SUM(srl.quantity_approved) quantity FROM stock_requests sr JOIN stock_request_lines srl" \
	" ON srl.workspace_id = sr.workspace_id AND srl.request_id = sr.id" \
	" WHERE sr.workspace_id = ? AND " LOC("sr.requesting_location_id") " AND " PRODUCT("srl.product_id") \
	" AND sr.status = 'APPROVED'" \
	" GROUP BY srl.product_id, sr.requesting_location_id) sq" \
	" ON sq.product_id = v.product_id AND sq.location_id = v.location_id"
/* Outflows over the demand window (its placeholder first). */
#define SQL_DEMAND(LOC) \
	" LEFT JOIN (SELECT t.product_id, t.location_id, -SUM(t.delta_on_hand) outflow" \
	" FROM stock_transactions t WHERE t.created_at >= CURRENT_TIMESTAMP(3) - INTERVAL ? DAY" \
	" AND t.workspace_id = ? AND " LOC("t.location_id") " AND t.transaction_type IN " DEMAND_TYPES \
	" AND " PRODUCT("t.product_id") \
	/* a move between the bins of one location is not demand */ \
	" AND NOT (t.transaction_type = 'TRANSFER_OUT' AND EXISTS (SELECT 1 FROM transfers x" \
	" WHERE x.workspace_id = t.workspace_id AND x.id = CAST(SUBSTRING(t.reference_id, 5) AS UNSIGNED)" \
	" AND x.from_location_id = x.to_location_id))" \
	" GROUP BY t.product_id, t.location_id) d" \
	" ON d.product_id = v.product_id AND d.location_id = v.location_id"

enum fig_col { F_LEVEL, F_PRODUCT, F_LOCATION, F_SOURCE, F_MIN, F_REORDER, F_MAX, F_LEAD,
	       F_PERIOD, F_ON_HAND, F_AVAILABLE, F_IN_TRANSIT, F_EXPIRING, F_ON_ORDER, F_OUTFLOW };

/* q rounded up to a multiple of m (m >= 1). */
static int64_t round_up(int64_t q, int64_t m)
{
	return m > 1 && q % m ? (q / m + 1) * m : q;
}

void replenish_plan(struct level_figures *f, const char *method, int64_t multiple)
{
	int forecast = !strcmp(method, "FORECAST");
	double min = f->min ? atof(f->min) : 0, max = f->max ? atof(f->max) : 0;
	double target;

	f->position = f->available + f->in_transit + f->on_order - f->expiring;
	if (forecast)
		f->reorder_point = (int64_t)ceil(f->demand * (double)f->lead - 1e-9);
	else
		f->reorder_point = f->reorder ? (int64_t)ceil(atof(f->reorder) - 1e-9)
					      : (int64_t)ceil(min - 1e-9);
	if (f->position <= 0)
		f->status = replenish_statuses[0];
	else if (f->min && (double)f->position <= min)
		f->status = replenish_statuses[1];
	else if (f->position <= f->reorder_point)
		f->status = replenish_statuses[2];
	else if (f->max && (double)f->position > max)
		f->status = replenish_statuses[4];
	else
		f->status = replenish_statuses[3];
	if (forecast)
		target = ceil(f->demand * (double)(f->lead + f->period) - 1e-9);
	else if (f->position <= f->reorder_point)
		target = f->max ? floor(max + 1e-9) : (double)f->reorder_point;
	else
		target = (double)f->position;
	f->suggested = target > (double)f->position ? round_up((int64_t)target - f->position, multiple)
						      : 0;
	f->cover = f->demand > 0 ? (double)f->position / f->demand : -1;
}

/* Stock-outs first, then the fewest days of cover (no demand last). */
static int by_urgency(const void *a, const void *b)
{
	const struct level_figures *x = a, *y = b;
	int xo = x->status == replenish_statuses[0], yo = y->status == replenish_statuses[0];

	if (xo != yo)
		return yo - xo;
	if ((x->cover < 0) != (y->cover < 0))
		return x->cover < 0 ? 1 : -1;
	if (x->cover != y->cover)
		return x->cover < y->cover ? -1 : 1;
	return x->product < y->product ? -1 : x->product > y->product;
}

/* s is the only one with several rows per level: the others are read
 * with MAX. */
#define DERIVED(LOC) SQL_STOCK(LOC), SQL_IN_TRANSIT(LOC), SQL_ON_ORDER(LOC), SQL_REQUESTED(LOC), \
	SQL_DEMAND(LOC)
static const char *const derived_at_location[] = { DERIVED(AT_LOCATION) };
static const char *const derived_at_levels[] = { DERIVED(AT_LEVELS) };
#define NDERIVED ARRAY_SIZE(derived_at_location)

int replenish_figures(struct req *r, const struct figures_filter *f, const char **method,
		      struct level_figures **out, size_t *n)
{
	struct replenish_config c;
	struct level_figures *rows;
	struct db_result res;
	struct query q;
	size_t i, k = 0;
	int status;

	if ((status = replenish_config_read(r, &c)))
		return status;
	*method = f->method ? f->method : c.method;
	query_init(&q, r->pool, SQL_FIGURES_HEAD);
	query_arg(&q, ARG_INT(c.v[CFG_LEAD]));
	query_arg(&q, ARG_INT(c.v[CFG_PERIOD]));
	query_arg(&q, ARG_INT(c.v[CFG_IN_TRANSIT]));
	query_arg(&q, ARG_INT(c.v[CFG_EXCLUDE_EXPIRING]));
	query_arg(&q, ARG_INT(c.v[CFG_LEAD]));
	query_arg(&q, ARG_INT(c.v[CFG_OPEN_REQUESTS]));
	for (i = 0; i < NDERIVED; i++) {
		query_add(&q, f->location ? derived_at_location[i] : derived_at_levels[i]);
		/* The demand window comes first in the last one. */
		if (i == NDERIVED - 1)
			query_arg(&q, ARG_INT(c.v[CFG_WINDOW]));
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_INT(f->location ? f->location : api_ws(r)));
		query_arg(&q, ARG_INT(f->product));
		query_arg(&q, ARG_INT(f->product));
	}
	query_bind(&q, " WHERE v.workspace_id = ? AND v.status = 'Supported'", ARG_INT(api_ws(r)));
	if (f->location)
		query_bind(&q, " AND v.location_id = ?", ARG_INT(f->location));
	if (f->product)
		query_bind(&q, " AND v.product_id = ?", ARG_INT(f->product));
	if (f->products)
		query_bind(&q, " AND v.product_id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]'"
			   " COLUMNS (id BIGINT PATH '$')) j)", ARG_TEXT(f->products));
	if (f->category)
		query_bind(&q, " AND EXISTS (SELECT 1 FROM products p WHERE p.workspace_id = v.workspace_id"
			   " AND p.id = v.product_id AND p.category_id = ?)", ARG_INT(f->category));
	query_add(&q, " GROUP BY v.id");
	if (query_run(&q, r->db, &res))
		return req_internal_error(r, "replenishment figures");
	rows = pool_calloc(r->pool, res.nrows + 1, sizeof(*rows));
	for (i = 0; i < res.nrows; i++) {
		struct level_figures *x = &rows[k];

		*x = (struct level_figures){
			.level = db_cell_int(&res, i, F_LEVEL), .product = db_cell_int(&res, i, F_PRODUCT),
			.location = db_cell_int(&res, i, F_LOCATION),
			.source = db_cell_int(&res, i, F_SOURCE),
			.min = db_cell(&res, i, F_MIN), .reorder = db_cell(&res, i, F_REORDER),
			.max = db_cell(&res, i, F_MAX),
			.lead = db_cell_int(&res, i, F_LEAD), .period = db_cell_int(&res, i, F_PERIOD),
			.on_hand = db_cell_int(&res, i, F_ON_HAND),
			.available = db_cell_int(&res, i, F_AVAILABLE),
			.in_transit = db_cell_int(&res, i, F_IN_TRANSIT),
			.expiring = db_cell_int(&res, i, F_EXPIRING),
			.on_order = db_cell_int(&res, i, F_ON_ORDER),
			/* Kept to 4 decimals, as answered; a return of what left
			 * before the window cannot make it negative. */
			.demand = round(fmax(0, db_cell_double(&res, i, F_OUTFLOW)) /
					(double)c.v[CFG_WINDOW] * 10000) / 10000,
		};
		replenish_plan(x, *method, c.v[CFG_ROUND]);
		if (!f->status || !strcmp(f->status, x->status))
			k++;
	}
	qsort(rows, k, sizeof(*rows), by_urgency);
	*out = rows;
	*n = k;
	return 0;
}

/* ---- POST /api/inventory/replenishment/suggestions ---- */

#define SUGGESTION_FILTERS \
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH, \
	  .description = "Only this location's levels" }, \
	{ .name = "productMasterIds", .type = FIELD_ARRAY, .kind = ID_PRODUCT, \
	  .description = "Only these products" }, \
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_MATCH, \
	  .description = "Only products of this category" }, \
	{ .name = "status", .type = FIELD_STRING, .values = replenish_statuses, \
	  .description = "Only levels in this status" }, \
	{ .name = "method", .type = FIELD_STRING, .values = methods, \
	  .description = "Instead of the configuration's" },

const struct field replenish_suggest_fields[] = {
	SUGGESTION_FILTERS
	FIELDS_END
};

static const struct field suggestion_fields[] = {
	{ .name = "levelId", .type = FIELD_ID, .kind = ID_LEVEL },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "sourceLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_NULLABLE,
	  .description = "The level's replenishment location; null: an outside supplier" },
	{ .name = "minQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE },
	{ .name = "reorderQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE },
	{ .name = "maxQuantity", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE },
	{ .name = "onHand", .type = FIELD_INTEGER },
	{ .name = "available", .type = FIELD_INTEGER,
	  .description = "Not expired, held or recalled, nor committed" },
	{ .name = "inTransit", .type = FIELD_INTEGER,
	  .description = "Shipped transfers to the location, not yet received (includeInTransit)" },
	{ .name = "onOrder", .type = FIELD_INTEGER,
	  .description = "Open replenishments not shipped or received yet, and approved stock "
			 "requests (includeOpenRequests)" },
	{ .name = "expiringWithinLeadTime", .type = FIELD_INTEGER,
	  .description = "Available stock whose lot expires before today + lead time" },
	{ .name = "averageDailyDemand", .type = FIELD_NUMBER,
	  .description = "SHIP, TRANSFER_OUT and ISSUE outflows over demandWindowDays, per day" },
	{ .name = "leadTimeDays", .type = FIELD_INTEGER },
	{ .name = "replenishmentPeriodDays", .type = FIELD_INTEGER },
	{ .name = "position", .type = FIELD_INTEGER,
	  .description = "available + inTransit + onOrder - expiringWithinLeadTime" },
	{ .name = "reorderPoint", .type = FIELD_INTEGER,
	  .description = "MIN_MAX: reorderQuantity, else minQuantity, else 0. FORECAST: "
			 "ceil(averageDailyDemand x leadTimeDays)" },
	{ .name = "status", .type = FIELD_STRING, .values = replenish_statuses,
	  .description = "STOCK_OUT position <= 0; BELOW_MIN position <= minQuantity; "
			 "BELOW_REORDER position <= reorderPoint; OVERSTOCK position > maxQuantity; "
			 "else OK (the first that holds)" },
	{ .name = "suggestedQuantity", .type = FIELD_INTEGER,
	  .description = "MIN_MAX: at or below the reorder point, (maxQuantity, else reorderPoint) "
			 "- position. FORECAST: ceil(demand x (lead time + period)) - position. "
			 "At least 0, rounded up to roundToMultiple" },
	{ .name = "daysOfCover", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE,
	  .description = "position / averageDailyDemand; null without demand" },
	{ .name = "method", .type = FIELD_STRING, .values = methods },
	FIELDS_END
};

const struct field replenish_suggest_answer[] = {
	{ .name = "method", .type = FIELD_STRING, .values = methods },
	{ .name = "items", .type = FIELD_ARRAY, .items = suggestion_fields,
	  .description = "Every Supported level matching the filters, most urgent first: "
			 "stock-outs, then the fewest days of cover, then those without demand" },
	FIELDS_END
};

static void write_quantity(struct jw *w, const char *name, const char *cell)
{
	jw_key(w, name);
	if (cell)
		jw_decimal(w, cell);
	else
		jw_null(w);
}

static void write_suggestion(struct jw *w, const struct level_figures *x, const char *method)
{
	struct pool *pool = w->pool;

	jw_open(w, '{');
	jw_kstr(w, "levelId", id_format(pool, ID_LEVEL, x->level));
	jw_kstr(w, "productMasterId", id_format(pool, ID_PRODUCT, x->product));
	jw_kstr(w, "locationId", id_format(pool, ID_LOCATION, x->location));
	jw_kstr(w, "sourceLocationId", x->source ? id_format(pool, ID_LOCATION, x->source) : NULL);
	write_quantity(w, "minQuantity", x->min);
	write_quantity(w, "reorderQuantity", x->reorder);
	write_quantity(w, "maxQuantity", x->max);
	jw_kint(w, "onHand", x->on_hand);
	jw_kint(w, "available", x->available);
	jw_kint(w, "inTransit", x->in_transit);
	jw_kint(w, "onOrder", x->on_order);
	jw_kint(w, "expiringWithinLeadTime", x->expiring);
	write_quantity(w, "averageDailyDemand", pool_printf(pool, "%.4f", x->demand));
	jw_kint(w, "leadTimeDays", x->lead);
	jw_kint(w, "replenishmentPeriodDays", x->period);
	jw_kint(w, "position", x->position);
	jw_kint(w, "reorderPoint", x->reorder_point);
	jw_kstr(w, "status", x->status);
	jw_kint(w, "suggestedQuantity", x->suggested);
	write_quantity(w, "daysOfCover", x->cover < 0 ? NULL : pool_printf(pool, "%.2f", x->cover));
	jw_kstr(w, "method", method);
	jw_close(w, '}');
}

/* The filters of the body (suggestions, and replenishments made from them). */
void replenish_body_filter(struct req *r, struct figures_filter *f)
{
	json_object *ids = NULL;

	memset(f, 0, sizeof(*f));
	f->location = api_body_id(r, "locationId", ID_LOCATION);
	f->category = api_body_id(r, "categoryId", ID_CATEGORY);
	f->status = api_body_string(r, "status");
	f->method = api_body_string(r, "method");
	if (json_object_object_get_ex(r->json, "productMasterIds", &ids) && ids) {
		struct strbuf sb = STRBUF_INIT;
		size_t i, len = json_object_array_length(ids);

		strbuf_addch(&sb, '[');
		for (i = 0; i < len; i++)
			strbuf_addf(&sb, "%s%lld", i ? "," : "",
				    (long long)id_parse(ID_PRODUCT, json_object_get_string(
						json_object_array_get_idx(ids, i))));
		strbuf_addch(&sb, ']');
		f->products = pool_strdup(r->pool, sb.buf);
		strbuf_release(&sb);
	}
}

int replenish_suggestions(struct req *r)
{
	struct level_figures *rows;
	struct figures_filter f;
	const char *method;
	struct jw w;
	size_t i, n;
	int status;

	replenish_body_filter(r, &f);
	if ((status = replenish_figures(r, &f, &method, &rows, &n)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "method", method);
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < n; i++)
		write_suggestion(&w, &rows[i], method);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
