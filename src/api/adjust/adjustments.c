/* SPDX-License-Identifier: MIT */
/*
 * Adjustments: set a stock line's on-hand quantity, the stock history and
 * reason codes. Every change posts through the ledger inside the request's
 * transaction.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "api/adjust/adjust.h"
#include "api/adjust/internal.h"
#include "api/export.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

const struct field adjust_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_REQUIRED,
	  .description = "The stock line to adjust" },
	{ .name = "newQtyOnHand", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "New quantity on hand (whole units)" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE, .flags = FIELD_REQUIRED,
	  .description = "Reason code for the adjustment (an active one)" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	{ .name = "rootCause", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Required in healthcare workspaces when on hand falls by at least the "
			 "workspace's large-adjustment threshold" },
	FIELDS_END
};

const struct field adjustments_query[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_MATCH, .description = "Filter by inventory item" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH, .description = "Filter by product" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH, .description = "Filter by location" },
	{ .name = "fromDate", .type = FIELD_DATETIME, .description = "Filter from date (ISO format)" },
	{ .name = "toDate", .type = FIELD_DATETIME, .description = "Filter to date (ISO format; a date alone includes that whole day)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Maximum results (default: 50, max: 200)" },
	{ .name = "offset", .type = FIELD_INTEGER, .description = "Offset for pagination (default: 0)" },
	FIELDS_END
};

/* ------------------------------------- shared with record_stock.c */

int adjust_blank(const char *s)
{
	if (!s)
		return 1;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* An integer of the (validated) body; 0 when absent or null. */
int64_t adjust_body_int(struct req *r, const char *name)
{
	json_object *v;

	if (!json_object_object_get_ex(r->json, name, &v) || !v)
		return 0;
	return json_object_get_int64(v);
}

/* "+50 units", "-1 unit", "0 units": signed when sign is set. */
const char *adjust_units(struct req *r, int64_t n, int sign)
{
	return pool_printf(r->pool, "%s%lld unit%s", sign && n > 0 ? "+" : "", (long long)n,
			   n == 1 || n == -1 ? "" : "s");
}

/* ---------------------------------------------------------------- adjust */

/* 400 for a large negative adjustment without a root cause. */
static int root_cause_required(struct req *r, int64_t threshold)
{
	const char *error = "rootCause is required for large negative adjustments";
	int status;

	status = req_field_error(r, "rootCause",
				 pool_printf(r->pool, "is required for negative adjustments of %lld "
					     "units or more in a healthcare workspace",
					     (long long)threshold));
	/* The error names the rule; details still name the field. */
	json_object_object_add(r->resp, "error", json_object_new_string(error));
	return status;
}

static const struct field posted_item_fields[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "qtyOnHand", .type = FIELD_INTEGER },
	{ .name = "qtyAvailable", .type = FIELD_INTEGER },
	{ .name = "qtyReserved", .type = FIELD_INTEGER },
	FIELDS_END
};

/* The answer of POST /api/inventory/adjust(ments). */
const struct field adjust_answer[] = {
	{ .name = "success", .type = FIELD_BOOLEAN },
	{ .name = "transaction", .type = FIELD_OBJECT, .items = adjust_txn_columns,
	  .description = "The ADJUSTMENT posted (deltaQty 0 when the quantity did not change)" },
	{ .name = "inventoryItem", .type = FIELD_OBJECT, .items = posted_item_fields,
	  .description = "The stock line after the adjustment" },
	{ .name = "message", .type = FIELD_STRING },
	FIELDS_END
};

/*
 * The transaction as adjust_txn_columns shows it and the stock line after
 * it, from what the ledger returned: no need to read them back.
 * lot_refusal is api_lot_refusal of the line's lot.
 */
static void write_posted(struct req *r, struct jw *w, const struct ledger_line *line,
			 const struct ledger_entry *e, const struct ledger_result *t,
			 const char *lot_refusal)
{
	jw_key(w, "transaction");
	jw_open(w, '{');
	jw_kstr(w, "id", id_format(r->pool, ID_TRANSACTION, t->transaction_id));
	jw_kstr(w, "inventoryItemId", id_format(r->pool, ID_ITEM, line->id));
	jw_kstr(w, "transactionType", e->type);
	jw_kint(w, "deltaQty", e->delta[B_ON_HAND]);
	jw_kstr(w, "reasonCodeId",
		e->reason_code_id ? id_format(r->pool, ID_REASON_CODE, e->reason_code_id) : NULL);
	jw_kstr(w, "createdAt", t->created_at);
	jw_close(w, '}');
	jw_key(w, "inventoryItem");
	jw_open(w, '{');
	jw_kstr(w, "id", id_format(r->pool, ID_ITEM, line->id));
	jw_kstr(w, "productMasterId", id_format(r->pool, ID_PRODUCT, line->product_id));
	jw_kstr(w, "locationId", id_format(r->pool, ID_LOCATION, line->location_id));
	jw_kint(w, "qtyOnHand", t->after[B_ON_HAND]);
	jw_kint(w, "qtyAvailable", api_available(ledger_available(t->after), lot_refusal));
	jw_kint(w, "qtyReserved", t->after[B_RESERVED]);
	jw_close(w, '}');
}

/*
 * Whether line line_id is the workspace's, the workspace's rules, whether
 * reason is one of its active reason codes and why the line's lot cannot
 * be promised (*refusal), in one query: this is the hot path of every
 * adjustment, and its route leaves the check of its ids to it
 * (ROUTE_OWN_REFERENCES). Returns 0, or the status of the error set.
 */
static int read_rules(struct req *r, int64_t reason, int64_t line_id, struct ledger_settings *s,
		      const char **refusal)
{
	struct db_result res;

	/* The line's lot comes along: a line never changes lot, and its
	 * status is read as the answer would read it after the posting. */
	if (db_query(r->db, r->pool,
		     "SELECT w.allow_negative_stock, w.is_healthcare, w.large_adjustment_threshold,"
		     " (SELECT COUNT(*) FROM reason_codes rc"
		     "  WHERE rc.workspace_id = w.id AND rc.id = ? AND rc.active = 1),"
		     " lt.status, " SQL_LOT_EXPIRED("lt") " IS TRUE, sl.id IS NOT NULL"
		     " FROM workspaces w LEFT JOIN stock_lines sl ON sl.workspace_id = w.id AND sl.id = ?"
		     " LEFT JOIN lots lt ON lt.workspace_id = sl.workspace_id AND lt.id = sl.lot_id"
		     " WHERE w.id = ?",
		     DB_ARGS(ARG_INT(reason), ARG_INT(line_id), ARG_INT(api_ws(r))), &res) ||
	    res.nrows != 1)
		return req_internal_error(r, "workspace rules");
	if (!db_cell_int(&res, 0, 6))
		return api_not_found(r, ID_ITEM);
	if (!db_cell_int(&res, 0, 3))
		return api_not_found(r, ID_REASON_CODE);
	memset(s, 0, sizeof(*s));
	s->allow_negative = db_cell_int(&res, 0, 0) != 0;
	s->is_healthcare = db_cell_int(&res, 0, 1) != 0;
	s->large_adjustment_threshold = db_cell_int(&res, 0, 2);
	*refusal = api_lot_refusal_of(r, db_cell(&res, 0, 4), db_cell_int(&res, 0, 5));
	return 0;
}

int adjust_set(struct req *r)
{
	int64_t ws = api_ws(r), line_id = api_body_id(r, "inventoryItemId", ID_ITEM);
	int64_t reason = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	const char *root_cause = api_body_string(r, "rootCause"), *refusal = NULL;
	struct ledger_settings settings;
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	struct ledger_line line;
	enum ledger_status st;
	struct jw w;
	int64_t delta;
	int status;

	if ((status = read_rules(r, reason, line_id, &settings, &refusal)))
		return status;
	st = ledger_line_read(r->db, r->pool, ws, line_id, 1, &line);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	delta = adjust_body_int(r, "newQtyOnHand") - line.qty[B_ON_HAND];
	if (settings.is_healthcare && delta < 0 && -delta >= settings.large_adjustment_threshold &&
	    adjust_blank(root_cause))
		return root_cause_required(r, settings.large_adjustment_threshold);
	/* A change of 0 is posted too: it puts the count on record. */
	e.workspace_id = ws;
	e.line_id = line_id;
	e.locked = &line;
	e.type = "ADJUSTMENT";
	e.delta[B_ON_HAND] = delta;
	e.reason_code_id = reason;
	e.comment = api_body_string(r, "comment");
	e.root_cause = adjust_blank(root_cause) ? NULL : root_cause;
	e.actor = api_actor(r);
	e.allow_negative = settings.allow_negative;
	st = ledger_post(r->db, r->pool, &e, &posted);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kbool(&w, "success", 1);
	write_posted(r, &w, &line, &e, &posted, refusal);
	jw_kstr(&w, "message", pool_printf(r->pool, "Adjusted %s", adjust_units(r, delta, 1)));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---------------------------------------------------------------- history */

/* Filters of the history: each a fixed fragment with its value bound. */
static const struct api_filter history_filters[] = {
	{ "inventoryItemId", ID_ITEM, " AND t.stock_line_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND t.product_id = ?" },
	{ "locationId", ID_LOCATION, " AND t.location_id = ?" },
};

static const struct field history_delta_columns[] = {
	{ .name = "onHand", .column = "t.delta_on_hand", .type = FIELD_INTEGER },
	{ .name = "reserved", .column = "t.delta_reserved", .type = FIELD_INTEGER },
	{ .name = "onHold", .column = "t.delta_on_hold", .type = FIELD_INTEGER },
	{ .name = "picked", .column = "t.delta_picked", .type = FIELD_INTEGER },
	{ .name = "recalled", .column = "t.delta_recalled", .type = FIELD_INTEGER },
	{ .name = "expired", .column = "t.delta_expired", .type = FIELD_INTEGER },
	FIELDS_END
};

/* A ledger transaction as the history answers it. */
const struct field adjustment_history_columns[] = {
	{ .name = "id", .column = "t.id", .type = FIELD_ID, .kind = ID_TRANSACTION },
	{ .name = "inventoryItemId", .column = "t.stock_line_id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "transactionType", .column = "t.transaction_type", .type = FIELD_STRING },
	{ .name = "deltaQty", .column = "t.delta_on_hand", .type = FIELD_INTEGER,
	  .description = "The change of on hand" },
	{ .name = "qtyBefore", .column = "t.qty_before", .type = FIELD_INTEGER },
	{ .name = "qtyAfter", .column = "t.qty_after", .type = FIELD_INTEGER },
	{ .name = "reasonCode", .column = "rc.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE,
	  .description = "The reason code's name" },
	{ .name = "reasonCodeId", .column = "t.reason_code_id", .type = FIELD_ID,
	  .kind = ID_REASON_CODE, .flags = FIELD_NULLABLE },
	{ .name = "comment", .column = "t.comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "rootCause", .column = "t.root_cause", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "createdAt", .column = "t.created_at", .type = FIELD_DATETIME },
	{ .name = "createdBy", .column = "t.actor", .type = FIELD_STRING },
	{ .name = "productMasterId", .column = "t.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .column = "t.location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "deltas", .type = FIELD_OBJECT, .items = history_delta_columns,
	  .description = "The change of each quantity of the line" },
	{ .name = "referenceType", .column = "t.reference_type", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "referenceId", .column = "t.reference_id", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE, .description = "The id of the object that made the change" },
	FIELDS_END
};

/*
 * Every transaction, oldest first (inventoryctl export transactions): each
 * chunk's ids are chosen on an index, then only its rows are joined.
 */
const struct export_source transaction_export_source = {
	.name = "transactions",
	.columns = adjustment_history_columns,
	.from = " FROM (SELECT t.id FROM stock_transactions t WHERE t.workspace_id = ?",
	.keyset = " AND t.id > ? ORDER BY t.id LIMIT ?) page"
		  " JOIN stock_transactions t ON t.id = page.id LEFT JOIN reason_codes rc"
		  " ON rc.workspace_id = t.workspace_id AND rc.id = t.reason_code_id ORDER BY t.id",
	.location_sql = " AND t.location_id = ?",
};

/*
 * Answers the stock transactions of the workspace, newest first, with the
 * query's filters; type_sql is a fixed fragment that narrows the types, or
 * "". Two queries: the total and the page.
 */
static int history(struct req *r, const char *type_sql)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM stock_transactions t WHERE t.workspace_id = ?",
		.rows_sql = " FROM stock_transactions t LEFT JOIN reason_codes rc"
			    " ON rc.workspace_id = t.workspace_id AND rc.id = t.reason_code_id"
			    " WHERE t.workspace_id = ?",
		.rows_tail = " ORDER BY t.id DESC LIMIT ? OFFSET ?",
		.columns = adjustment_history_columns,
	};
	struct query where;
	int64_t limit, offset;
	int status;

	if ((status = api_offset(r, 50, 200, &limit, &offset)))
		return status;
	api_where_init(r, &where);
	query_add(&where, type_sql);
	api_add_filters(r, history_filters, ARRAY_SIZE(history_filters), &where);
	if ((status = api_add_date_range(r, &where, "t.created_at")))
		return status;
	return api_list_offset(r, &list, &where, limit, offset, "entries");
}

int adjustments_history(struct req *r)
{
	return history(r, "");
}

int record_stock_list(struct req *r)
{
	return history(r, " AND t.transaction_type IN ('RECORD_STOCK', 'RECEIPT')");
}

/* ---------------------------------------------------------------- reason codes */

static const struct field reason_code_columns[] = {
	{ .name = "id", .column = "id", .type = FIELD_ID, .kind = ID_REASON_CODE },
	{ .name = "code", .column = "code", .type = FIELD_STRING },
	{ .name = "name", .column = "name", .type = FIELD_STRING },
	{ .name = "description", .column = "description", .type = FIELD_STRING },
	FIELDS_END
};

const struct field reason_codes_answer[] = {
	{ .name = "reasonCodes", .type = FIELD_ARRAY, .items = reason_code_columns },
	{ .name = "count", .type = FIELD_INTEGER },
	FIELDS_END
};

int adjustment_reason_codes(struct req *r)
{
	struct db_result res;
	struct jw w;
	size_t i;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM reason_codes WHERE workspace_id = ? AND active = 1"
				 " ORDER BY code", api_select(reason_code_columns)),
		     DB_ARGS(ARG_INT(api_ws(r))), &res))
		return req_internal_error(r, "reason codes");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "reasonCodes");
	jw_open(&w, '[');
	for (i = 0; i < res.nrows; i++)
		api_write_row(&w, &res, i, reason_code_columns);
	jw_close(&w, ']');
	jw_kint(&w, "count", (int64_t)res.nrows);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---------------------------------------------------------------- lot correction */
