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

/* {"success": true, "transaction", "inventoryItem", "lotCreated" (when
 * lot_created is not -1), "message"}; takes the references. */
int adjust_answer_posted(struct req *r, int status, json_object *txn, json_object *item,
				 int lot_created, const char *message)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "transaction", txn);
	json_object_object_add(o, "inventoryItem", item);
	if (lot_created >= 0)
		json_object_object_add(o, "lotCreated", json_object_new_boolean(lot_created));
	json_object_object_add(o, "message", json_object_new_string(message));
	return req_respond(r, status, o);
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

/*
 * The seed's transaction object, from what the ledger returned: no need to
 * read the row back.
 */
static json_object *posted_txn_json(struct req *r, int64_t line_id, const char *type,
				    int64_t delta, int64_t reason, const struct ledger_result *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id_format(r->pool, ID_TRANSACTION,
									 t->transaction_id)));
	json_object_object_add(o, "inventoryItemId",
			       json_object_new_string(id_format(r->pool, ID_ITEM, line_id)));
	json_object_object_add(o, "transactionType", json_object_new_string(type));
	json_object_object_add(o, "deltaQty", json_object_new_int64(delta));
	json_object_object_add(o, "reasonCodeId", reason ? json_object_new_string(
				       id_format(r->pool, ID_REASON_CODE, reason)) : NULL);
	json_object_object_add(o, "createdAt", json_object_new_string(t->created_at));
	return o;
}

/* The seed's inventoryItem object after a post; lot_refusal is
 * api_lot_refusal of the line's lot. */
static json_object *posted_item_json(struct req *r, const struct ledger_line *line,
				     const struct ledger_result *t, const char *lot_refusal)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id_format(r->pool, ID_ITEM, line->id)));
	json_object_object_add(o, "productMasterId",
			       json_object_new_string(id_format(r->pool, ID_PRODUCT, line->product_id)));
	json_object_object_add(o, "locationId",
			       json_object_new_string(id_format(r->pool, ID_LOCATION, line->location_id)));
	json_object_object_add(o, "qtyOnHand", json_object_new_int64(t->after[B_ON_HAND]));
	json_object_object_add(o, "qtyAvailable",
			       json_object_new_int64(api_available(ledger_available(t->after), lot_refusal)));
	json_object_object_add(o, "qtyReserved", json_object_new_int64(t->after[B_RESERVED]));
	return o;
}

/*
 * The workspace's rules and whether reason is one of its active reason
 * codes, in one query: this is the hot path of every adjustment.
 * Returns 0, or the status of the error set.
 */
static int read_rules(struct req *r, int64_t reason, struct ledger_settings *s)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT w.allow_negative_stock, w.is_healthcare, w.large_adjustment_threshold,"
		     " (SELECT COUNT(*) FROM reason_codes rc"
		     "  WHERE rc.workspace_id = w.id AND rc.id = ? AND rc.active = 1)"
		     " FROM workspaces w WHERE w.id = ?",
		     DB_ARGS(ARG_INT(reason), ARG_INT(api_ws(r))), &res) || res.nrows != 1)
		return req_internal_error(r, "workspace rules");
	if (!db_cell_int(&res, 0, 3))
		return api_not_found(r, ID_REASON_CODE);
	memset(s, 0, sizeof(*s));
	s->allow_negative = db_cell_int(&res, 0, 0) != 0;
	s->is_healthcare = db_cell_int(&res, 0, 1) != 0;
	s->large_adjustment_threshold = db_cell_int(&res, 0, 2);
	return 0;
}

int adjust_set(struct req *r)
{
	int64_t ws = api_ws(r), line_id = api_body_id(r, "inventoryItemId", ID_ITEM);
	int64_t reason = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	const char *root_cause = api_body_string(r, "rootCause"), *refusal;
	struct ledger_settings settings;
	struct ledger_entry e = { 0 };
	struct ledger_result posted;
	struct ledger_line line;
	enum ledger_status st;
	int64_t delta;
	int status;

	if ((status = read_rules(r, reason, &settings)))
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
	refusal = api_lot_refusal(r, line.lot_id);
	if (refusal && !*refusal)
		return req_internal_error(r, "lot status");
	return adjust_answer_posted(r, 200,
				    posted_txn_json(r, line_id, "ADJUSTMENT", delta, reason, &posted),
				    posted_item_json(r, &line, &posted, refusal), -1,
				    pool_printf(r->pool, "Adjusted %s", adjust_units(r, delta, 1)));
}

/* ---------------------------------------------------------------- history */

/* Filters of the history: each a fixed fragment with its value bound. */
static const struct api_filter history_filters[] = {
	{ "inventoryItemId", ID_ITEM, " AND t.stock_line_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND t.product_id = ?" },
	{ "locationId", ID_LOCATION, " AND t.location_id = ?" },
};

enum history_col {
	HC_ID, HC_LINE, HC_TYPE, HC_ON_HAND, HC_RESERVED, HC_ON_HOLD, HC_PICKED, HC_RECALLED,
	HC_EXPIRED, HC_BEFORE, HC_AFTER, HC_REASON_NAME, HC_REASON, HC_COMMENT, HC_ROOT_CAUSE,
	HC_CREATED, HC_ACTOR, HC_PRODUCT, HC_LOCATION, HC_REF_TYPE, HC_REF_ID
};

static const char history_select[] =
	"SELECT t.id, t.stock_line_id, t.transaction_type, t.delta_on_hand, t.delta_reserved,"
	" t.delta_on_hold, t.delta_picked, t.delta_recalled, t.delta_expired, t.qty_before,"
	" t.qty_after, rc.name, t.reason_code_id, t.comment, t.root_cause,"
	" " SQL_ISO("t.created_at") ", t.actor, t.product_id, t.location_id, t.reference_type,"
	" t.reference_id"
	" FROM stock_transactions t LEFT JOIN reason_codes rc"
	" ON rc.workspace_id = t.workspace_id AND rc.id = t.reason_code_id"
	" WHERE t.workspace_id = ?";

static json_object *history_entry(struct req *r, const struct db_result *res, size_t i,
				  const void *ctx)
{
	static const char *const bucket_names[B__MAX] = {
		"onHand", "reserved", "onHold", "picked", "recalled", "expired"
	};
	json_object *o = json_object_new_object(), *deltas = json_object_new_object();
	size_t b;

	(void)ctx;
	json_object_object_add(o, "id", api_cell_id(r, res, i, HC_ID, ID_TRANSACTION));
	json_object_object_add(o, "inventoryItemId", api_cell_id(r, res, i, HC_LINE, ID_ITEM));
	json_object_object_add(o, "transactionType", api_cell_string(res, i, HC_TYPE));
	json_object_object_add(o, "deltaQty", api_cell_int(res, i, HC_ON_HAND));
	json_object_object_add(o, "qtyBefore", api_cell_int(res, i, HC_BEFORE));
	json_object_object_add(o, "qtyAfter", api_cell_int(res, i, HC_AFTER));
	json_object_object_add(o, "reasonCode", api_cell_string(res, i, HC_REASON_NAME));
	json_object_object_add(o, "reasonCodeId", api_cell_id(r, res, i, HC_REASON, ID_REASON_CODE));
	json_object_object_add(o, "comment", api_cell_string(res, i, HC_COMMENT));
	json_object_object_add(o, "rootCause", api_cell_string(res, i, HC_ROOT_CAUSE));
	json_object_object_add(o, "createdAt", api_cell_string(res, i, HC_CREATED));
	json_object_object_add(o, "createdBy", api_cell_string(res, i, HC_ACTOR));
	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, HC_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, HC_LOCATION, ID_LOCATION));
	for (b = 0; b < B__MAX; b++)
		json_object_object_add(deltas, bucket_names[b], api_cell_int(res, i, HC_ON_HAND + b));
	json_object_object_add(o, "deltas", deltas);
	json_object_object_add(o, "referenceType", api_cell_string(res, i, HC_REF_TYPE));
	json_object_object_add(o, "referenceId", api_cell_string(res, i, HC_REF_ID));
	return o;
}

/*
 * Answers the stock transactions of the workspace, newest first, with the
 * query's filters; type_sql is a fixed fragment that narrows the types, or
 * "". Two queries: the total and the page.
 */
static int history(struct req *r, const char *type_sql)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM stock_transactions t WHERE t.workspace_id = ?",
		.rows_sql = history_select,
		.rows_tail = " ORDER BY t.id DESC LIMIT ? OFFSET ?",
		.row_fn = history_entry,
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
	return api_list_offset(r, &list, &where, limit, offset, "entries", NULL);
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

int adjustment_reason_codes(struct req *r)
{
	struct db_result res;
	json_object *codes, *out;
	size_t i;

	if (db_query(r->db, r->pool,
		     "SELECT id, code, name, description FROM reason_codes"
		     " WHERE workspace_id = ? AND active = 1 ORDER BY code",
		     DB_ARGS(ARG_INT(api_ws(r))), &res))
		return req_internal_error(r, "reason codes");
	codes = json_object_new_array_ext((int)res.nrows);
	for (i = 0; i < res.nrows; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", api_cell_id(r, &res, i, 0, ID_REASON_CODE));
		json_object_object_add(o, "code", api_cell_string(&res, i, 1));
		json_object_object_add(o, "name", api_cell_string(&res, i, 2));
		json_object_object_add(o, "description", api_cell_string(&res, i, 3));
		json_object_array_add(codes, o);
	}
	out = json_object_new_object();
	json_object_object_add(out, "reasonCodes", codes);
	json_object_object_add(out, "count", json_object_new_int64((int64_t)res.nrows));
	return req_respond(r, 200, out);
}

/* ---------------------------------------------------------------- lot correction */
