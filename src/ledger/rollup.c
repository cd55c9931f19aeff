/* SPDX-License-Identifier: MIT */
/*
 * The ledger summed per product (migration 0015): product_on_hand and
 * ledger_product_days. A posting adds its on-hand delta to what its
 * transaction will write; the transaction writes it as its last step
 * before COMMIT, in product order, so that the rows these sums share
 * between transactions are locked last and always in the same order: two
 * transactions can wait for each other there but never deadlock.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "ledger/ledger.h"

static const char *const used_types[] = { LEDGER_USED_TYPES };

int ledger_type_used(const char *type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(used_types); i++)
		if (!strcmp(used_types[i], type))
			return 1;
	return 0;
}

/* One posting's change, in the open transaction. */
struct rollup_entry {
	int64_t workspace, product;
	const char *day;         /* "YYYY-MM-DD" (UTC) */
	int64_t micros;          /* its instant: microseconds into the day */
	int64_t delta, used;
};

struct rollup {
	struct pool *pool;
	struct rollup_entry *v;
	size_t n, cap;
};

static int by_key(const void *a, const void *b)
{
	const struct rollup_entry *x = a, *y = b;

	if (x->workspace != y->workspace)
		return x->workspace < y->workspace ? -1 : 1;
	if (x->product != y->product)
		return x->product < y->product ? -1 : 1;
	return strcmp(x->day, y->day);
}

/* The change of total_delta_seconds, exact: the delta times its instant,
 * the day's start from 2000-01-01 plus its microseconds into the day. */
#define DELTA_SECONDS "CAST(? AS DECIMAL(38,0)) * (TIMESTAMPDIFF(MICROSECOND, '2000-01-01', ?) + ?)" \
	" * 0.000001"
#define DELTA_SECONDS_ARGS(e) ARG_INT((e)->delta), ARG_TEXT((e)->day), ARG_INT((e)->micros)

/* An entry's delta times its instant, in seconds from 2000-01-01: exact. */
#define LEDGER_DELTA_SECONDS \
	"CAST(delta_on_hand AS DECIMAL(38,0)) * TIMESTAMPDIFF(MICROSECOND, '2000-01-01', created_at)" \
	" * 0.000001"

/*
 * Adds the changes of n entries, sorted by key, to the running totals: to
 * the rows of later days (there are some only when a posting committed
 * after midnight), and to the row of the entry's day, made from the last
 * row before it when new.
 */
static int rollup_write(struct db *db, struct pool *pool, struct rollup_entry *v, size_t n)
{
	size_t i;

	qsort(v, n, sizeof(*v), by_key);
	for (i = 0; i < n; i++) {
		const struct rollup_entry *e = &v[i];

		if (db_query(db, pool,
			     "UPDATE ledger_product_days SET total_delta = total_delta + ?,"
			     " total_delta_seconds = total_delta_seconds + " DELTA_SECONDS ","
			     " total_used = total_used + ? WHERE workspace_id = ? AND product_id = ? AND day > ?",
			     DB_ARGS(ARG_INT(e->delta), DELTA_SECONDS_ARGS(e), ARG_INT(e->used),
				     ARG_INT(e->workspace), ARG_INT(e->product), ARG_TEXT(e->day)), NULL) ||
		    db_query(db, pool,
			     "INSERT INTO ledger_product_days (workspace_id, product_id, day, total_delta,"
			     " total_delta_seconds, total_used)"
			     " SELECT ?, ?, ?, IFNULL(p.total_delta, 0) + ?,"
			     " IFNULL(p.total_delta_seconds, 0) + " DELTA_SECONDS ", IFNULL(p.total_used, 0) + ?"
			     " FROM (SELECT 1) one LEFT JOIN (SELECT total_delta, total_delta_seconds, total_used"
			     " FROM ledger_product_days WHERE workspace_id = ? AND product_id = ? AND day < ?"
			     " ORDER BY day DESC LIMIT 1) p ON TRUE"
			     " ON DUPLICATE KEY UPDATE"
			     " total_delta = ledger_product_days.total_delta + ?,"
			     " total_delta_seconds = ledger_product_days.total_delta_seconds + " DELTA_SECONDS ","
			     " total_used = ledger_product_days.total_used + ?",
			     DB_ARGS(ARG_INT(e->workspace), ARG_INT(e->product), ARG_TEXT(e->day),
				     ARG_INT(e->delta), DELTA_SECONDS_ARGS(e), ARG_INT(e->used),
				     ARG_INT(e->workspace), ARG_INT(e->product), ARG_TEXT(e->day),
				     ARG_INT(e->delta), DELTA_SECONDS_ARGS(e), ARG_INT(e->used)), NULL))
			return -1;
	}
	return 0;
}

static int rollup_before_commit(struct db *db, void *ctx)
{
	struct rollup *ru = ctx;

	return rollup_write(db, ru->pool, ru->v, ru->n);
}

int ledger_rollup_add(struct db *db, struct pool *pool, int64_t workspace_id, int64_t product_id,
		      const char *type, const char *day, int64_t micros, int64_t delta)
{
	struct rollup_entry e = {
		.workspace = workspace_id, .product = product_id, .day = day, .micros = micros,
		.delta = delta, .used = ledger_type_used(type) ? -delta : 0,
	};
	struct rollup *ru;

	if (!delta)
		return 0;
	/* Outside a transaction the posting is already committed: so are its sums. */
	if (!db_in_transaction(db))
		return rollup_write(db, pool, &e, 1);
	ru = db_before_commit_ctx(db, rollup_before_commit);
	if (!ru) {
		ru = pool_calloc(pool, 1, sizeof(*ru));
		ru->pool = pool;
		db_before_commit(db, rollup_before_commit, ru);
	}
	if (ru->n == ru->cap) {
		struct rollup_entry *v;

		ru->cap = ru->cap ? 2 * ru->cap : 8;
		v = pool_calloc(pool, ru->cap, sizeof(*v));
		if (ru->n)
			memcpy(v, ru->v, ru->n * sizeof(*v));
		ru->v = v;
	}
	ru->v[ru->n++] = e;
	return 0;
}

/* The running totals of a workspace's products per day, from its ledger
 * (as migration 0015 first made them). */
#define ROLLUP_FROM_LEDGER \
	"INSERT INTO ledger_product_days (workspace_id, product_id, day, total_delta," \
	" total_delta_seconds, total_used) SELECT workspace_id, product_id, day," \
	" SUM(delta) OVER w, SUM(delta_seconds) OVER w, SUM(used) OVER w" \
	" FROM (SELECT workspace_id, product_id, DATE(created_at) day, SUM(delta_on_hand) delta," \
	" SUM(" LEDGER_DELTA_SECONDS ") delta_seconds," \
	" SUM(IF(transaction_type IN " LEDGER_USED_TYPES_SQL ", -delta_on_hand, 0)) used" \
	" FROM stock_transactions WHERE workspace_id = ? AND delta_on_hand <> 0" \
	" GROUP BY workspace_id, product_id, DATE(created_at)) d" \
	" WINDOW w AS (PARTITION BY workspace_id, product_id ORDER BY day)"

int ledger_rollup_rebuild(struct db *db, struct pool *pool, int64_t workspace_id)
{
	if (db_query(db, pool, "DELETE FROM ledger_product_days WHERE workspace_id = ?",
		     DB_ARGS(ARG_INT(workspace_id)), NULL) ||
	    db_query(db, pool, ROLLUP_FROM_LEDGER, DB_ARGS(ARG_INT(workspace_id)), NULL))
		return -1;
	return 0;
}

long ledger_rollup_verify(struct db *db, struct pool *pool, int64_t workspace_id,
			  ledger_report_fn report, void *ctx)
{
	struct db_result res;
	size_t i;

	/* Each product's last row against its ledger's totals. */
	if (db_query(db, pool,
		     "SELECT l.workspace_id, l.product_id, IFNULL(k.total_delta, 0), l.delta,"
		     " IFNULL(k.total_used, 0), l.used FROM"
		     " (SELECT workspace_id, product_id, SUM(delta_on_hand) delta,"
		     " SUM(" LEDGER_DELTA_SECONDS ") ds,"
		     " SUM(IF(transaction_type IN " LEDGER_USED_TYPES_SQL ", -delta_on_hand, 0)) used"
		     " FROM stock_transactions WHERE (? = 0 OR workspace_id = ?) AND delta_on_hand <> 0"
		     " GROUP BY workspace_id, product_id) l"
		     " LEFT JOIN (SELECT workspace_id, product_id, MAX(day) d FROM ledger_product_days"
		     " WHERE (? = 0 OR workspace_id = ?) GROUP BY workspace_id, product_id) a"
		     " ON a.workspace_id = l.workspace_id AND a.product_id = l.product_id"
		     " LEFT JOIN ledger_product_days k ON k.workspace_id = a.workspace_id"
		     " AND k.product_id = a.product_id AND k.day = a.d"
		     " WHERE IFNULL(k.total_delta, 0) <> l.delta OR IFNULL(k.total_used, 0) <> l.used"
		     " OR IFNULL(k.total_delta_seconds, 0) <> l.ds",
		     DB_ARGS(ARG_INT(workspace_id), ARG_INT(workspace_id), ARG_INT(workspace_id),
			     ARG_INT(workspace_id)), &res))
		return -1;
	for (i = 0; i < res.nrows; i++)
		report(ctx, pool_printf(pool, "ws_%s prod_%s: the running totals kept (on hand %s,"
					" used %s) differ from the ledger (%s, %s): run inventoryctl"
					" ledger rollup",
					db_cell(&res, i, 0), db_cell(&res, i, 1), db_cell(&res, i, 2),
					db_cell(&res, i, 4), db_cell(&res, i, 3), db_cell(&res, i, 5)));
	return (long)res.nrows;
}
