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

/* The ledger entries that are demand: stock that left to be used. */
#define DEMAND_TYPES "('SHIP', 'TRANSFER_OUT', 'ISSUE')"

/* The stock lines of the level's product at its location. */
#define LEVEL_LINES \
	" FROM stock_lines sl" SQL_JOIN_LOT("sl") \
	" WHERE sl.workspace_id = v.workspace_id AND sl.product_id = v.product_id" \
	" AND sl.location_id = v.location_id"

/*
 * One row per level; the placeholders, in order: default lead time,
 * default period, in-transit flag, default lead time, expiring flag,
 * open-requests flag, demand window.
 */
static const char figures_sql[] =
	"SELECT v.id, v.product_id, v.location_id, IFNULL(v.replenishment_location_id, 0),"
	" v.min_quantity, v.reorder_quantity, v.max_quantity,"
	" IFNULL(v.expected_lead_time_days, ?), IFNULL(v.replenishment_period_days, ?),"
	" (SELECT IFNULL(SUM(sl.qty_on_hand), 0)" LEVEL_LINES "),"
	" (SELECT IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0)" LEVEL_LINES "),"
	/* in transit: shipped to the location, not received nor written off */
	" ? * (SELECT IFNULL(SUM(l.quantity_shipped - l.quantity_received - l.quantity_written_off), 0)"
	" FROM transfer_lines l JOIN transfers t ON t.workspace_id = l.workspace_id"
	" AND t.id = l.transfer_id WHERE l.workspace_id = v.workspace_id"
	" AND l.product_id = v.product_id AND t.to_location_id = v.location_id"
	" AND t.status IN ('SHIPPED', 'PARTIALLY_RECEIVED')),"
	/* expiring before a replenishment could arrive */
	" (SELECT IFNULL(SUM(" SQL_AVAILABLE("sl", "lt") "), 0)" LEVEL_LINES
	" AND lt.expiry_date >= CURRENT_DATE"
	" AND lt.expiry_date < CURRENT_DATE + INTERVAL IFNULL(v.expected_lead_time_days, ?) DAY) * ?,"
	/* on order: open replenishments (what has not shipped or arrived) */
	" (SELECT IFNULL(SUM(rl.quantity - GREATEST(IFNULL(tl.quantity_shipped, 0),"
	" rl.quantity_received)), 0) FROM replenishment_lines rl JOIN replenishments rp"
	" ON rp.workspace_id = rl.workspace_id AND rp.id = rl.replenishment_id"
	" LEFT JOIN transfer_lines tl ON tl.workspace_id = rl.workspace_id AND tl.id = rl.transfer_line_id"
	" WHERE rl.workspace_id = v.workspace_id AND rl.product_id = v.product_id"
	" AND rp.location_id = v.location_id AND rp.status IN ('PENDING', 'APPROVED'))"
	/* ... and approved stock requests to the location, not issued yet */
	" + ? * (SELECT IFNULL(SUM(srl.quantity_approved), 0) FROM stock_request_lines srl"
	" JOIN stock_requests sr ON sr.workspace_id = srl.workspace_id AND sr.id = srl.request_id"
	" WHERE srl.workspace_id = v.workspace_id AND srl.product_id = v.product_id"
	" AND sr.requesting_location_id = v.location_id AND sr.status = 'APPROVED'),"
	/* outflows over the demand window */
	" (SELECT IFNULL(-SUM(t.delta_on_hand), 0) FROM stock_transactions t"
	" WHERE t.workspace_id = v.workspace_id AND t.product_id = v.product_id"
	" AND t.location_id = v.location_id AND t.transaction_type IN " DEMAND_TYPES
	" AND t.delta_on_hand < 0 AND t.created_at >= CURRENT_TIMESTAMP(3) - INTERVAL ? DAY)"
	" FROM inventory_levels v WHERE v.workspace_id = ? AND v.status = 'Supported'";

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
	query_init(&q, r->pool, figures_sql);
	query_arg(&q, ARG_INT(c.v[CFG_LEAD]));
	query_arg(&q, ARG_INT(c.v[CFG_PERIOD]));
	query_arg(&q, ARG_INT(c.v[CFG_IN_TRANSIT]));
	query_arg(&q, ARG_INT(c.v[CFG_LEAD]));
	query_arg(&q, ARG_INT(c.v[CFG_EXCLUDE_EXPIRING]));
	query_arg(&q, ARG_INT(c.v[CFG_OPEN_REQUESTS]));
	query_arg(&q, ARG_INT(c.v[CFG_WINDOW]));
	query_arg(&q, ARG_INT(api_ws(r)));
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
			/* Kept to 4 decimals, as answered. */
			.demand = round(db_cell_double(&res, i, F_OUTFLOW) /
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
