/* SPDX-License-Identifier: MIT */
/*
 * Typed stock adjustments (DAMAGE, THEFT, EXPIRED, FOUND, CORRECTION,
 * RETURN) with manager approval. A pending adjustment changes no stock;
 * approval posts it through the ledger.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/adjust/adjust.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

static const char *const adjustment_types[] = {
	"DAMAGE", "THEFT", "EXPIRED", "FOUND", "CORRECTION", "RETURN", NULL
};
static const char *const adjustment_statuses[] = { "PENDING", "APPLIED", "REJECTED", NULL };

const struct field stock_adjustment_fields[] = {
	{ .name = "type", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = adjustment_types,
	  .description = "DAMAGE, THEFT and EXPIRED take a negative quantityChange; FOUND and "
			 "RETURN a positive one; CORRECTION either" },
	{ .name = "quantityChange", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED,
	  .description = "Signed change of on-hand quantity (not 0)" },
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM,
	  .description = "The stock line (or productMasterId and locationId)" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE, .description = "Product" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION,
	  .not_found = API_PRODUCT_OR_LOCATION_GONE, .description = "Location" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .description = "Lot (batch)" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .description = "Bin" },
	{ .name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 500,
	  .description = "Why" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Additional notes" },
	{ .name = "referenceNumber", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 100,
	  .description = "External reference (incident report, RMA, ...)" },
	FIELDS_END
};

const struct field stock_adjustment_query[] = {
	{ .name = "status", .type = FIELD_STRING, .values = adjustment_statuses, .description = "Filter by status" },
	{ .name = "type", .type = FIELD_STRING, .values = adjustment_types, .description = "Filter by type" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Filter by product" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by location" },
	{ .name = "fromDate", .type = FIELD_DATETIME, .description = "Created from (ISO 8601)" },
	{ .name = "toDate", .type = FIELD_DATETIME, .description = "Created up to (ISO 8601)" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	FIELDS_END
};

const struct field stock_adjustment_decision_fields[] = {
	{ .name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 500,
	  .description = "Why it was approved or rejected" },
	FIELDS_END
};

const struct field stock_adjustment_approve_fields[] = {
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Notes about the approval, kept on the adjustment as approvalNotes" },
	{ .name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 500,
	  .description = "Why it was approved (added to the ledger transaction's comment)" },
	FIELDS_END
};

/* ---- the adjustment object ---- */

/* A stock adjustment as every answer of these routes shows it. */
const struct field stock_adjustment_columns[] = {
	{ .name = "id", .column = "a.id", .type = FIELD_ID, .kind = ID_ADJUSTMENT },
	{ .name = "type", .column = "a.adjustment_type", .type = FIELD_STRING,
	  .values = adjustment_types },
	{ .name = "quantityChange", .column = "a.quantity_change", .type = FIELD_INTEGER },
	{ .name = "inventoryItemId", .column = "a.stock_line_id", .type = FIELD_ID, .kind = ID_ITEM,
	  .flags = FIELD_NULLABLE,
	  .description = "The stock line; null for one by product that is pending or changed "
			 "several lines" },
	{ .name = "productMasterId", .column = "a.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "locationId", .column = "a.location_id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "lotId", .column = "a.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "a.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "unitCost", .column = "a.unit_cost", .type = FIELD_NUMBER,
	  .description = "The product's unit cost when it was created" },
	{ .name = "costImpact", .column = "a.cost_impact", .type = FIELD_NUMBER,
	  .description = "quantityChange x unitCost" },
	{ .name = "reason", .column = "a.reason", .type = FIELD_STRING },
	{ .name = "notes", .column = "a.notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "referenceNumber", .column = "a.reference_number", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "status", .column = "a.status", .type = FIELD_STRING, .values = adjustment_statuses },
	{ .name = "requiresApproval", .column = "a.requires_approval", .type = FIELD_BOOLEAN },
	{ .name = "createdBy", .column = "a.created_by", .type = FIELD_STRING },
	{ .name = "createdAt", .column = "a.created_at", .type = FIELD_DATETIME },
	{ .name = "approvedBy", .column = "a.approved_by", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE, .description = "The manager who approved it; null when it "
	  "applied without approval" },
	{ .name = "approvedAt", .column = "a.approved_at", .type = FIELD_DATETIME,
	  .flags = FIELD_NULLABLE },
	{ .name = "rejectedBy", .column = "a.rejected_by", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "rejectedAt", .column = "a.rejected_at", .type = FIELD_DATETIME,
	  .flags = FIELD_NULLABLE },
	{ .name = "rejectionReason", .column = "a.rejection_reason", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "transactionId", .column = "a.transaction_id", .type = FIELD_ID,
	  .kind = ID_TRANSACTION, .flags = FIELD_NULLABLE,
	  .description = "The (first) ledger transaction, once applied" },
	{ .name = "updatedAt", .column = "a.updated_at", .type = FIELD_DATETIME },
	{ .name = "quantityBefore", .column = "a.quantity_before", .type = FIELD_INTEGER,
	  .flags = FIELD_NULLABLE,
	  .description = "On hand of the lines it names before it applied; null until then" },
	{ .name = "quantityAfter", .column = "a.quantity_after", .type = FIELD_INTEGER,
	  .flags = FIELD_NULLABLE,
	  .description = "On hand of the lines it names after it applied; null until then" },
	{ .name = "approvalNotes", .column = "a.approval_notes", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	/* The seed's "whether adjustment is approved": applied, by a manager
	 * or automatically below the thresholds. */
	{ .name = "approved", .column = "a.status = 'APPLIED'", .type = FIELD_BOOLEAN,
	  .description = "Whether it applied (status APPLIED)" },
	FIELDS_END
};

static const char adjustment_from[] = " FROM stock_adjustments a WHERE a.workspace_id = ?";

/* Answers status_ok with adjustment id. Returns the status set. */
static int adjustment_respond(struct req *r, int64_t id, int status_ok)
{
	return api_respond_one(r, stock_adjustment_columns, adjustment_from, " AND a.id = ?",
			       ID_ADJUSTMENT, id, status_ok);
}

/* ---- creating and applying ---- */

/* Returns 0 when the sign of qty suits type, else the 400 status set. */
static int check_sign(struct req *r, const char *type, int64_t qty)
{
	static const char *const decreases[] = { "DAMAGE", "THEFT", "EXPIRED", NULL };
	static const char *const increases[] = { "FOUND", "RETURN", NULL };
	const char *const *t;

	if (qty == 0)
		return req_field_error(r, "quantityChange", "must not be 0");
	for (t = decreases; *t; t++)
		if (!strcmp(type, *t) && qty > 0)
			return req_field_error(r, "quantityChange",
					       pool_printf(r->pool, "must be negative for a %s adjustment "
							   "(it removes stock)", type));
	for (t = increases; *t; t++)
		if (!strcmp(type, *t) && qty < 0)
			return req_field_error(r, "quantityChange",
					       pool_printf(r->pool, "must be positive for a %s adjustment "
							   "(it adds stock)", type));
	return 0;
}

/* Checks that lot belongs to product and bin to location (0: none given).
 * Returns 0 or the 404 status set. */
static int check_lot_and_bin(struct req *r, int64_t product, int64_t location, int64_t lot,
			     int64_t bin)
{
	struct db_result res;

	if (lot) {
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM lots WHERE workspace_id = ? AND id = ? AND product_id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot), ARG_INT(product)), &res))
			return req_internal_error(r, "lot check");
		if (!res.nrows)
			return api_not_found(r, ID_LOT);
	}
	if (bin) {
		if (db_query(r->db, r->pool,
			     "SELECT 1 FROM bins WHERE workspace_id = ? AND id = ? AND location_id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(bin), ARG_INT(location)), &res))
			return req_internal_error(r, "bin check");
		if (!res.nrows)
			return api_not_found(r, ID_BIN);
	}
	return 0;
}

/*
 * What the body names: the stock line inventoryItemId (an exact scope), or
 * the product at the location, narrowed to lotId and binId when given.
 * Returns 0 with *scope and *line_id (0 for a product), or the error
 * status set.
 *
 * Nothing is written here: the caller locks the lines (ledger_scope_lock)
 * before it writes the adjustment row that references them, since the
 * row's foreign key would otherwise take a shared lock on a line that the
 * ledger's lock then has to upgrade, and two requests doing that deadlock.
 */
static int resolve_scope(struct req *r, struct ledger_scope *scope, int64_t *line_id)
{
	struct ledger_line line;
	enum ledger_status st;

	*line_id = 0;
	if (api_body_string(r, "inventoryItemId")) {
		st = ledger_line_read(r->db, r->pool, api_ws(r),
				      api_body_id(r, "inventoryItemId", ID_ITEM), 0, &line);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		*line_id = line.id;
		*scope = (struct ledger_scope){ line.product_id, line.location_id, line.lot_id,
						line.bin_id, 1 };
		return 0;
	}
	if (!api_body_string(r, "productMasterId"))
		return req_field_error(r, "inventoryItemId",
				       "inventoryItemId, or productMasterId and locationId, is required");
	if (!api_body_string(r, "locationId"))
		return req_field_error(r, "locationId", "is required with productMasterId");
	*scope = (struct ledger_scope){ api_body_id(r, "productMasterId", ID_PRODUCT),
					api_body_id(r, "locationId", ID_LOCATION),
					api_body_id(r, "lotId", ID_LOT), api_body_id(r, "binId", ID_BIN), 0 };
	/* The product and the location were checked by the dispatcher. */
	return check_lot_and_bin(r, scope->product_id, scope->location_id, scope->lot_id,
				 scope->bin_id);
}

/* The first max characters (not bytes) of the UTF-8 string s. */
static const char *utf8_prefix(struct pool *pool, const char *s, size_t max)
{
	size_t i, chars = 0;

	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
			return pool_strndup(pool, s, i);
	}
	return s;
}

/*
 * Posts adjustment id (qty on the locked lines of scope) through the
 * ledger and marks it APPLIED with its (first) transaction, the line it
 * changed when that was one, and the scope's on hand before and after.
 * approver is NULL when it applies without approval. Returns 0, or the
 * status set (409 when the stock does not allow it, 422 when an increase
 * has no line to go to; the dispatcher then rolls everything back).
 */
static int apply_adjustment(struct req *r, int64_t id, const struct ledger_scope *scope,
			    const struct ledger_scope_lines *lines, int64_t qty,
			    const char *comment, const char *approver)
{
	struct ledger_settings settings;
	struct ledger_entry e = { 0 };
	struct ledger_scope_result out;
	enum ledger_status st;

	if (ledger_settings_read(r->db, r->pool, api_ws(r), &settings))
		return req_internal_error(r, "ledger settings");
	e.workspace_id = api_ws(r);
	e.type = "STOCK_ADJUSTMENT";
	e.comment = utf8_prefix(r->pool, comment, 1000);
	e.actor = api_actor(r);
	e.reference_type = "STOCK_ADJUSTMENT";
	e.reference_id = id_format(r->pool, ID_ADJUSTMENT, id);
	e.allow_negative = settings.allow_negative;
	st = ledger_post_scope(r->db, r->pool, &e, scope, lines, qty, &out);
	if (st != LEDGER_OK)
		return api_scope_error(r, st, scope, lines);
	if (db_query(r->db, r->pool,
		     approver ?
		     "UPDATE stock_adjustments SET status = 'APPLIED', transaction_id = ?,"
		     " stock_line_id = IFNULL(stock_line_id, ?), quantity_before = ?, quantity_after = ?,"
		     " approved_by = ?, approved_at = NOW(3) WHERE workspace_id = ? AND id = ?" :
		     "UPDATE stock_adjustments SET status = 'APPLIED', transaction_id = ?,"
		     " stock_line_id = IFNULL(stock_line_id, ?), quantity_before = ?, quantity_after = ?,"
		     " approved_by = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(out.transaction_id), ARG_ID(out.line_id), ARG_INT(out.before),
			     ARG_INT(out.after), ARG_TEXT(approver), ARG_INT(api_ws(r)), ARG_INT(id)), NULL))
		return req_internal_error(r, "adjustment applied");
	return 0;
}

int stock_adjustment_create(struct req *r)
{
	const char *type = api_body_string(r, "type"), *reason = api_body_string(r, "reason");
	json_object *v = NULL;
	struct ledger_settings settings;
	struct ledger_scope scope;
	struct ledger_scope_lines lines;
	struct ledger_part *parts;
	struct db_result cost, ins;
	int64_t qty, id, line_id;
	enum ledger_status st;
	size_t nparts;
	double impact;
	int status, needs_approval;

	json_object_object_get_ex(r->json, "quantityChange", &v);
	qty = json_object_get_int64(v);
	if ((status = check_sign(r, type, qty)) || (status = resolve_scope(r, &scope, &line_id)))
		return status;
	/* Lock first, then write: the lines before the row that refers to
	 * them. A change the rule cannot place is refused now, pending or not
	 * (approval places it again on the stock of then). */
	if ((st = ledger_scope_lock(r->db, r->pool, api_ws(r), &scope, &lines)) != LEDGER_OK)
		return api_ledger_error(r, st);
	parts = pool_calloc(r->pool, lines.n + 1, sizeof(*parts));
	if ((st = ledger_scope_plan(&scope, &lines, qty, parts, &nparts)) != LEDGER_OK)
		return api_scope_error(r, st, &scope, &lines);
	if (ledger_settings_read(r->db, r->pool, api_ws(r), &settings))
		return req_internal_error(r, "ledger settings");
	/* The cost is the product's unit cost now; the exact DECIMAL text is
	 * stored as read, so both columns agree with what was decided. */
	if (db_query(r->db, r->pool,
		     "SELECT unit_cost, ? * unit_cost FROM products WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(qty), ARG_INT(api_ws(r)), ARG_INT(scope.product_id)), &cost) ||
	    cost.nrows != 1)
		return req_internal_error(r, "unit cost");
	impact = db_cell_double(&cost, 0, 1);
	needs_approval = (qty < 0 ? -qty : qty) > settings.approval_quantity_threshold ||
			 (impact < 0 ? -impact : impact) > settings.approval_cost_threshold ||
			 !strcmp(type, "THEFT");
	/* The row first: its id is the ledger transaction's reference. */
	if (db_query(r->db, r->pool,
		     "INSERT INTO stock_adjustments (workspace_id, stock_line_id, product_id, location_id,"
		     " lot_id, bin_id, adjustment_type, quantity_change, unit_cost, cost_impact, reason,"
		     " notes, reference_number, status, requires_approval, created_by)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_ID(line_id), ARG_INT(scope.product_id),
			     ARG_INT(scope.location_id), ARG_ID(scope.lot_id), ARG_ID(scope.bin_id),
			     ARG_TEXT(type), ARG_INT(qty),
			     ARG_TEXT(db_cell(&cost, 0, 0)), ARG_TEXT(db_cell(&cost, 0, 1)),
			     ARG_TEXT(reason), ARG_TEXT(api_body_string(r, "notes")),
			     ARG_TEXT(api_body_string(r, "referenceNumber")), ARG_INT(needs_approval),
			     ARG_TEXT(api_actor(r))), &ins))
		return api_db_error(r, "adjustment insert");
	id = (int64_t)ins.insert_id;
	if (!needs_approval && (status = apply_adjustment(r, id, &scope, &lines, qty, reason, NULL)))
		return status;
	return adjustment_respond(r, id, 201);
}

/*
 * Reads and locks pending adjustment [id] for a decision. Returns 0 with
 * res holding stock_line_id, quantity_change, reason, created_by, status,
 * product_id, location_id, lot_id, bin_id; or the status set: 404, or 409
 * when it is not PENDING.
 */
static int lock_pending(struct req *r, int64_t *id, struct db_result *res)
{
	*id = api_path_id(r, ID_ADJUSTMENT);
	if (!*id)
		return api_not_found(r, ID_ADJUSTMENT);
	if (db_query(r->db, r->pool,
		     "SELECT IFNULL(stock_line_id, 0), quantity_change, reason, created_by, status,"
		     " product_id, location_id, IFNULL(lot_id, 0), IFNULL(bin_id, 0)"
		     " FROM stock_adjustments WHERE workspace_id = ? AND id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(*id)), res))
		return req_internal_error(r, "adjustment lock");
	if (!res->nrows)
		return api_not_found(r, ID_ADJUSTMENT);
	if (strcmp(db_cell(res, 0, 4), "PENDING"))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "adjustment is %s, not PENDING", db_cell(res, 0, 4)));
	return 0;
}

int stock_adjustment_approve(struct req *r)
{
	const char *note = api_body_string(r, "reason"), *comment;
	struct ledger_scope scope;
	struct ledger_scope_lines lines;
	struct db_result res;
	enum ledger_status st;
	int64_t id;
	int status;

	if ((status = lock_pending(r, &id, &res)))
		return status;
	/* One by product is placed on the stock of now. */
	scope = (struct ledger_scope){ db_cell_int(&res, 0, 5), db_cell_int(&res, 0, 6),
				       db_cell_int(&res, 0, 7), db_cell_int(&res, 0, 8),
				       db_cell_int(&res, 0, 0) != 0 };
	/* Four eyes: approval exists so that someone else checks the change. */
	if (!strcmp(db_cell(&res, 0, 3), api_actor(r)))
		return req_error(r, 403, "Forbidden", "an adjustment cannot be approved by its creator");
	/* The approval's reason goes with the adjustment's reason into the
	 * ledger transaction's comment; its notes stay on the adjustment. */
	comment = db_cell(&res, 0, 2);
	if (note && *note)
		comment = pool_printf(r->pool, "%s (approval: %s)", comment, note);
	if ((st = ledger_scope_lock(r->db, r->pool, api_ws(r), &scope, &lines)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (db_query(r->db, r->pool,
		     "UPDATE stock_adjustments SET approval_notes = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(api_body_string(r, "notes")), ARG_INT(api_ws(r)), ARG_INT(id)),
		     NULL))
		return api_db_error(r, "approval notes");
	status = apply_adjustment(r, id, &scope, &lines, db_cell_int(&res, 0, 1), comment,
				  api_actor(r));
	return status ? status : adjustment_respond(r, id, 200);
}

int stock_adjustment_reject(struct req *r)
{
	struct db_result res;
	int64_t id;
	int status;

	if ((status = lock_pending(r, &id, &res)))
		return status;
	if (db_query(r->db, r->pool,
		     "UPDATE stock_adjustments SET status = 'REJECTED', rejected_by = ?,"
		     " rejected_at = NOW(3), rejection_reason = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_TEXT(api_actor(r)), ARG_TEXT(api_body_string(r, "reason")),
			     ARG_INT(api_ws(r)), ARG_INT(id)), NULL))
		return api_db_error(r, "adjustment reject");
	return adjustment_respond(r, id, 200);
}

int stock_adjustment_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_ADJUSTMENT);

	return id ? adjustment_respond(r, id, 200) : api_not_found(r, ID_ADJUSTMENT);
}

/* ---- lists ---- */

/* The equality filters and the column each one constrains. */
static const struct api_filter adjustment_filters[] = {
	{ "status", ID_NONE, " AND a.status = ?" },
	{ "type", ID_NONE, " AND a.adjustment_type = ?" },
	{ "productMasterId", ID_PRODUCT, " AND a.product_id = ?" },
	{ "locationId", ID_LOCATION, " AND a.location_id = ?" },
};

enum adj_list { LIST_ALL, LIST_PENDING, LIST_PRODUCT };

/* One page of adjustments with the query's filters. Returns the status. */
static int adjustment_list(struct req *r, enum adj_list which, int64_t product)
{
	/* Pending approvals are worked oldest first; everything else is
	 * history, newest first. */
	const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM stock_adjustments a WHERE a.workspace_id = ?",
		.rows_sql = adjustment_from,
		.rows_tail = which == LIST_PENDING ? " ORDER BY a.id ASC LIMIT ? OFFSET ?"
						   : " ORDER BY a.id DESC LIMIT ? OFFSET ?",
		.columns = stock_adjustment_columns,
	};
	struct query where;
	int64_t page, limit;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	if (which == LIST_PENDING)
		query_add(&where, " AND a.status = 'PENDING'");
	if (which == LIST_PRODUCT)
		query_bind(&where, " AND a.product_id = ?", ARG_INT(product));
	api_add_filters(r, adjustment_filters, ARRAY_SIZE(adjustment_filters), &where);
	if ((status = api_add_date_range(r, &where, "a.created_at")))
		return status;
	return api_list_page(r, &list, &where, page, limit);
}

int stock_adjustment_list(struct req *r)
{
	return adjustment_list(r, LIST_ALL, 0);
}

int stock_adjustment_pending(struct req *r)
{
	return adjustment_list(r, LIST_PENDING, 0);
}

int stock_adjustment_for_product(struct req *r)
{
	int64_t product = api_path_id(r, ID_PRODUCT);
	int found = api_exists(r, ID_PRODUCT, product);

	if (found < 0)
		return req_internal_error(r, "product check");
	if (!found)
		return api_not_found(r, ID_PRODUCT);
	return adjustment_list(r, LIST_PRODUCT, product);
}
