/* SPDX-License-Identifier: MIT */
/*
 * GET /api/inventory/analytics: the figures of a scope's stock over a
 * period, all of them from one query. Today's stock comes from the stock
 * lines; the past from the ledger, read back from now: the on hand at an
 * instant t is today's less every change posted after t, so the period's
 * time-weighted average needs only the entries posted since it began.
 *
 * For an entry of delta d posted at c after the period's start F, the on
 * hand before c was d lower, for the share (min(c, E) - F) / (E - F) of the
 * period [F, E): the average is today's on hand less the sum of d x that
 * share.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "api/analytics/analytics.h"
#include "core/pool.h"
#include "core/util.h"
#include "ledger/ledger.h"

/* Ledger entries that take stock out of use; transfers out (net of those
 * sent back before they arrived) only when they leave the scope. */
#define USED_TYPES LEDGER_USED_TYPES_SQL
#define TRANSFER_TYPES "('TRANSFER_OUT', 'TRANSFER_RETURN')"
/* Transfer entry t goes to another location: a move between the bins of
 * one location stays in it. */
#define SQL_TO_ELSEWHERE(t) \
	"EXISTS (SELECT 1 FROM transfers x WHERE x.workspace_id = " t ".workspace_id" \
	" AND x.id = CAST(SUBSTRING(" t ".reference_id, 5) AS UNSIGNED)" \
	" AND x.to_location_id <> " t ".location_id)"

#define EXPIRING_DEFAULT 90
#define EXPIRING_MAX 3650
#define LOCATION_GONE "Location not found or not accessible"

/*
 * The scope's figures per category, and their total (the ROLLUP row, whose
 * category is NULL; products without a category group under 0), total
 * first. Per product: s its stock now, e its stock lines that expire in
 * the window (found from the lots, by expiry date), t its outflow in the
 * period and moved, the sum of its entries' deltas times their share of
 * the period (t's figures are s's for the whole workspace: T names which
 * holds them). The placeholders: the period's days; those of s; the
 * workspace of p; the expiry window, the workspace (and the location) of
 * e; those of t (SQL_LEDGER or SQL_LEDGER_DAYS); (the category); the
 * workspace of c.
 */
#define SQL_FIGURES(T) \
	"SELECT NULLIF(g.category_id, 0), IFNULL(c.name, 'Uncategorized'), g.value, g.units," \
	" ROUND(IF(g.average_value > 0, g.outflow_value / g.average_value, 0), 4)," \
	" IF(g.average_value > 0 AND g.outflow_value > 0," \
	" ROUND(? * g.average_value / g.outflow_value, 2), NULL), g.slow, g.expiring" \
	" FROM (SELECT IFNULL(p.category_id, 0) category_id," \
	" ROUND(SUM(s.units * p.unit_cost), 2) value, SUM(s.units) units," \
	" SUM(GREATEST(IFNULL(" T ".outflow, 0), 0) * p.unit_cost) outflow_value," \
	" SUM((s.units - IFNULL(" T ".moved, 0)) * p.unit_cost) average_value," \
	" SUM(s.units > 0 AND IFNULL(" T ".outflow, 0) <= 0) slow, IFNULL(SUM(e.n), 0) expiring" \
	" FROM "
/* s: a location's stock from its lines (its ledger is t, below); the
 * workspace's stock and ledger both from r (SQL_WORKSPACE_TOTALS). */
#define SQL_UNITS_AT_LOCATION \
	"(SELECT sl.product_id, SUM(sl.qty_on_hand) units FROM stock_lines sl" \
	" WHERE sl.workspace_id = ? AND sl.location_id = ? GROUP BY sl.product_id) s"
#define SQL_UNITS_IN_WORKSPACE "r s"
#define SQL_PRODUCTS \
	" JOIN products p ON p.workspace_id = ? AND p.id = s.product_id"
#define SQL_EXPIRING \
	" LEFT JOIN (SELECT sl.product_id, COUNT(*) n FROM lots lt JOIN stock_lines sl" \
	" ON sl.workspace_id = lt.workspace_id AND sl.lot_id = lt.id AND sl.qty_on_hand > 0" \
	" WHERE lt.expiry_date BETWEEN CURRENT_DATE AND CURRENT_DATE + INTERVAL ? DAY" \
	" AND lt.status <> 'EXPIRED' AND lt.workspace_id = ?"
#define SQL_EXPIRING_END \
	" GROUP BY sl.product_id) e ON e.product_id = s.product_id"
/* LEAVES: when a transfer entry leaves the scope. */
#define SQL_LEDGER(LEAVES) \
	" LEFT JOIN (SELECT t.product_id, SUM(CASE WHEN t.created_at >= ? THEN 0" \
	" WHEN t.transaction_type IN " USED_TYPES " THEN -t.delta_on_hand" \
	" WHEN t.transaction_type IN " TRANSFER_TYPES " AND " LEAVES " THEN -t.delta_on_hand" \
	" ELSE 0 END) outflow," \
	" SUM(t.delta_on_hand * (TIMESTAMPDIFF(MICROSECOND, CAST(? AS DATETIME(3))," \
	" LEAST(t.created_at, CAST(? AS DATETIME(3)))) / ?)) moved" \
	" FROM stock_transactions t WHERE t.workspace_id = ? AND t.created_at >= ?"
#define SQL_LEDGER_END \
	" GROUP BY t.product_id) t ON t.product_id = s.product_id"
/* The last day of each product's running totals (before a day). */
#define LAST_DAY(alias, before) \
	" (SELECT workspace_id, product_id, MAX(day) d FROM ledger_product_days" \
	" WHERE workspace_id = ?" before " GROUP BY workspace_id, product_id) " alias
#define TOTALS_AT(alias, last) \
	" ledger_product_days " alias " ON " alias ".workspace_id = " last ".workspace_id" \
	" AND " alias ".product_id = " last ".product_id AND " alias ".day = " last ".d"
/*
 * r: the whole workspace, per product, from the running totals that the
 * ledger keeps (ledger/rollup.c; three rows per product instead of every
 * line and entry): n the last, f the last before the period, e the last
 * in it. Its on hand is n's; its outflow and the average's correction
 * (moved, as SQL_LEDGER computes it entry by entry) come from the
 * differences: sum(delta x (instant - start)) / length over the period,
 * and every delta after it. Transfers never leave the workspace. The
 * placeholders: the period's start in seconds from 2000-01-01, its length
 * in seconds, the workspace (a), the workspace and the start day (fa),
 * the workspace and the end day (ea).
 */
#define SQL_WORKSPACE_TOTALS \
	"WITH r AS (SELECT a.product_id, n.total_delta units," \
	" IFNULL(e.total_used, 0) - IFNULL(f.total_used, 0) outflow," \
	" (IFNULL(e.total_delta_seconds, 0) - IFNULL(f.total_delta_seconds, 0)" \
	" - ? * (IFNULL(e.total_delta, 0) - IFNULL(f.total_delta, 0))) / ?" \
	" + n.total_delta - IFNULL(e.total_delta, 0) moved FROM" \
	LAST_DAY("a", "") " JOIN" TOTALS_AT("n", "a") \
	" LEFT JOIN" LAST_DAY("fa", " AND day < ?") " ON fa.product_id = a.product_id" \
	" LEFT JOIN" TOTALS_AT("f", "fa") \
	" LEFT JOIN" LAST_DAY("ea", " AND day < ?") " ON ea.product_id = a.product_id" \
	" LEFT JOIN" TOTALS_AT("e", "ea") ") "
#define SQL_ROLLUP \
	" GROUP BY IFNULL(p.category_id, 0) WITH ROLLUP) g" \
	" LEFT JOIN categories c ON c.workspace_id = ? AND c.id = g.category_id" \
	" WHERE g.category_id IS NULL OR g.units <> 0 OR g.value <> 0" \
	" ORDER BY g.category_id IS NOT NULL, g.value DESC, c.name, g.category_id"

/* The columns of SQL_FIGURES. */
enum figure_col { C_CATEGORY, C_NAME, C_VALUE, C_UNITS, C_TURNOVER, C_DAYS, C_SLOW, C_EXPIRING };

const struct field analytics_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .not_found = LOCATION_GONE,
	  .description = "Only this location's stock (default: every location of the workspace)" },
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY,
	  .description = "Only the products of this category" },
	{ .name = "fromDate", .type = FIELD_DATETIME,
	  .description = "First day of the period: a date, or a date-time standing for its UTC "
			 "day (default: 364 days before toDate)" },
	{ .name = "toDate", .type = FIELD_DATETIME,
	  .description = "Last day of the period, included (default: today, UTC)" },
	{ .name = "expiringWithinDays", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "The expiry window of expiringItems, in days from today "
			 "(default: 90, max: 3650)" },
	FIELDS_END
};

static const struct field category_fields[] = {
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_NULLABLE,
	  .description = "null: the products without a category, together" },
	{ .name = "categoryName", .type = FIELD_STRING,
	  .description = "\"Uncategorized\" for the products without a category" },
	{ .name = "value", .type = FIELD_NUMBER, .description = "On hand x unit cost, to the cent" },
	{ .name = "units", .type = FIELD_INTEGER, .description = "On hand" },
	FIELDS_END
};

/* In the order of their columns, from C_VALUE on; byCategory last. */
static const struct field analytics_fields[] = {
	{ .name = "totalValue", .type = FIELD_NUMBER,
	  .description = "On hand x the product's unit cost, summed, to the cent" },
	{ .name = "totalUnits", .type = FIELD_INTEGER, .description = "On hand now" },
	{ .name = "turnoverRate", .type = FIELD_NUMBER,
	  .description = "Value of the outflows in the period / average inventory value over "
			 "the period (4 decimals); 0 without any stock in the period" },
	{ .name = "averageDaysOnHand", .type = FIELD_NUMBER, .flags = FIELD_NULLABLE,
	  .description = "Days in the period / turnoverRate (2 decimals); null when nothing "
			 "turned over" },
	{ .name = "slowMovingItems", .type = FIELD_INTEGER,
	  .description = "Products with stock on hand and no outflow in the period" },
	{ .name = "expiringItems", .type = FIELD_INTEGER,
	  .description = "Stock lines with stock whose lot expires from today to today + "
			 "expiringWithinDays, both included" },
	{ .name = "byCategory", .type = FIELD_ARRAY, .items = category_fields,
	  .description = "Every category with stock on hand, largest value first" },
	FIELDS_END
};

static const struct field period_fields[] = {
	{ .name = "from", .type = FIELD_DATETIME, .description = "The first day, from 00:00:00 UTC" },
	{ .name = "to", .type = FIELD_DATETIME, .description = "The last day, to 23:59:59 UTC" },
	FIELDS_END
};

const struct field analytics_answer[] = {
	{ .name = "analytics", .type = FIELD_OBJECT, .items = analytics_fields },
	{ .name = "period", .type = FIELD_OBJECT, .items = period_fields },
	FIELDS_END
};

/* The figures of a scope without any stock line. */
static const char *const no_stock[] = {
	[C_VALUE] = "0", [C_UNITS] = "0", [C_TURNOVER] = "0", [C_SLOW] = "0", [C_EXPIRING] = "0",
};

#define DAY_SECONDS 86400
/* 2000-01-01, the origin of the ledger's running totals of instants. */
#define DAY_2000 10957
/* The days a period may start and end on: 1970-01-01 and 9998-12-31. */
#define DAY_FIRST 0
#define DAY_LAST 2932530

/* Whole UTC days since 1970-01-01, both included. */
struct period {
	int64_t from, to;
};

/*
 * The UTC day that the query's parameter name gives (a date-time stands
 * for its UTC day), or def when it is not given. Returns 0, or the 400
 * status set.
 */
static int query_day(struct req *r, const char *name, int64_t def, int64_t *day)
{
	const char *v = req_query(r, name), *utc;
	struct tm tm = { 0 };
	int64_t d;

	if (!v || !*v) {
		*day = def;
		return 0;
	}
	/* Validation has checked the syntax: what fails here is out of range. */
	utc = api_utc_bound(r->pool, v, 0);
	if (!utc || sscanf(utc, "%4d-%2d-%2d ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return req_field_error(r, name, "must be between 1970-01-01 and 9998-12-31");
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	d = (int64_t)timegm(&tm);
	d = d < 0 ? -1 : d / DAY_SECONDS;
	if (d < DAY_FIRST || d > DAY_LAST)
		return req_field_error(r, name, "must be between 1970-01-01 and 9998-12-31");
	*day = d;
	return 0;
}

/* The period of the query: toDate (default today) back to fromDate
 * (default 365 days in all). Returns 0, or the 400 status set. */
static int query_period(struct req *r, struct period *p)
{
	int status;

	if ((status = query_day(r, "toDate", (int64_t)time(NULL) / DAY_SECONDS, &p->to)))
		return status;
	if ((status = query_day(r, "fromDate", p->to > 364 ? p->to - 364 : 0, &p->from)))
		return status;
	if (p->from > p->to)
		return req_field_error(r, "fromDate", "must not be after toDate");
	return 0;
}

/* Day day (since 1970-01-01) as "YYYY-MM-DD". */
static const char *day_date(struct pool *pool, int64_t day)
{
	time_t t = (time_t)(day * DAY_SECONDS);
	struct tm tm;
	char text[16];

	if (!gmtime_r(&t, &tm) || !strftime(text, sizeof(text), "%Y-%m-%d", &tm))
		bug("day %lld cannot be formatted", (long long)day);
	return pool_strdup(pool, text);
}

/* The expiry window of the query. Returns 0, or the 400 status set. */
static int query_expiring(struct req *r, int64_t *days)
{
	const char *v = req_query(r, "expiringWithinDays");

	*days = EXPIRING_DEFAULT;
	if (!v || !*v)
		return 0;
	if (parse_int64(v, days) || *days > EXPIRING_MAX)
		return req_field_error(r, "expiringWithinDays",
				       pool_printf(r->pool, "must be at most %d", EXPIRING_MAX));
	return 0;
}

int analytics_get(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId"));
	int64_t category = id_parse(ID_CATEGORY, req_query(r, "categoryId"));
	const char *start, *end;
	const struct field *f;
	struct db_result res;
	struct period p;
	int64_t expiring, days;
	struct query q;
	struct jw w;
	size_t i, col;
	int status;

	if ((status = query_period(r, &p)) || (status = query_expiring(r, &expiring)))
		return status;
	days = p.to - p.from + 1;
	start = pool_printf(r->pool, "%s 00:00:00.000", day_date(r->pool, p.from));
	end = pool_printf(r->pool, "%s 00:00:00.000", day_date(r->pool, p.to + 1));

	if (location) {
		query_init(&q, r->pool, SQL_FIGURES("t"));
	} else {
		query_init(&q, r->pool, SQL_WORKSPACE_TOTALS);
		query_arg(&q, ARG_DOUBLE((double)(p.from - DAY_2000) * DAY_SECONDS));
		query_arg(&q, ARG_DOUBLE((double)days * DAY_SECONDS));
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_TEXT(day_date(r->pool, p.from)));
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_TEXT(day_date(r->pool, p.to + 1)));
		query_add(&q, SQL_FIGURES("s"));
	}
	query_arg(&q, ARG_INT(days));
	if (location) {
		query_add(&q, SQL_UNITS_AT_LOCATION);
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_INT(location));
	} else {
		query_add(&q, SQL_UNITS_IN_WORKSPACE);
	}
	query_bind(&q, SQL_PRODUCTS, ARG_INT(api_ws(r)));
	query_add(&q, SQL_EXPIRING);
	query_arg(&q, ARG_INT(expiring));
	query_arg(&q, ARG_INT(api_ws(r)));
	if (location)
		query_bind(&q, " AND sl.location_id = ?", ARG_INT(location));
	query_add(&q, SQL_EXPIRING_END);
	if (location) {
		query_add(&q, SQL_LEDGER(SQL_TO_ELSEWHERE("t")));
		query_arg(&q, ARG_TEXT(end));
		query_arg(&q, ARG_TEXT(start));
		query_arg(&q, ARG_TEXT(end));
		query_arg(&q, ARG_DOUBLE((double)days * DAY_SECONDS * 1e6));
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_TEXT(start));
		query_bind(&q, " AND t.location_id = ?", ARG_INT(location));
		query_add(&q, SQL_LEDGER_END);
	}
	if (category)
		query_bind(&q, " WHERE p.category_id = ?", ARG_INT(category));
	query_bind(&q, SQL_ROLLUP, ARG_INT(api_ws(r)));
	if (query_run(&q, r->db, &res))
		return req_internal_error(r, "inventory analytics");

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "analytics");
	jw_open(&w, '{');
	for (f = analytics_fields, col = C_VALUE; f->type != FIELD_ARRAY; f++, col++) {
		jw_key(&w, f->name);
		api_write_cell(&w, f, res.nrows ? db_cell(&res, 0, col) : no_stock[col]);
	}
	jw_key(&w, f->name);
	jw_open(&w, '[');
	for (i = 1; i < res.nrows; i++)
		api_write_row(&w, &res, i, category_fields);
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_key(&w, "period");
	jw_open(&w, '{');
	jw_kstr(&w, "from", pool_printf(r->pool, "%sT00:00:00Z", day_date(r->pool, p.from)));
	jw_kstr(&w, "to", pool_printf(r->pool, "%sT23:59:59Z", day_date(r->pool, p.to)));
	jw_close(&w, '}');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
