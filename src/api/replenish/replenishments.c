/* SPDX-License-Identifier: MIT */
/*
 * Replenishments: what was ordered for a location, one record per source.
 * From another location (internal), approval opens a transfer source ->
 * location and the record completes when that transfer is received (see
 * transfers.c); from an outside supplier, completion receives the lines
 * through the ledger (RECEIPT, with record-stock's rules).
 */
#include "config.h"

#include <string.h>

#include "api/adjust/adjust.h"
#include "api/api.h"
#include "api/moves/moves.h"
#include "api/replenish/replenish.h"
#include "core/pool.h"
#include "core/util.h"
#include "ledger/record.h"

#define REPLENISHMENT_MAX_LINES 500

static const char *const rep_statuses[] = { "PENDING", "APPROVED", "COMPLETED", "CANCELLED", NULL };
static const char *const rep_actions[] = { "APPROVE", "COMPLETE", "CANCEL", NULL };
static const char *const methods[] = { "MIN_MAX", "FORECAST", NULL };

const struct field replenishment_query[] = {
	{ .name = "status", .type = FIELD_STRING, .values = rep_statuses },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH },
	{ .name = "sourceLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Replenishments with a line of this product" },
	API_CREATED_RANGE_QUERY
	API_PAGE_QUERY
	FIELDS_END
};

static const struct field line_in[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED, .description = "At least 1" },
	{ .name = "sourceLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_NULLABLE,
	  .description = "Default: the level's replenishment location, else an outside supplier" },
	FIELDS_END
};

const struct field replenishment_create_fields[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "The location replenished" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 2000 },
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_in,
	  .description = "What to order (or fromSuggestions)" },
	{ .name = "fromSuggestions", .type = FIELD_BOOLEAN,
	  .description = "true: a line per suggestion above 0 at locationId, with the filters below" },
	{ .name = "productMasterIds", .type = FIELD_ARRAY, .kind = ID_PRODUCT },
	{ .name = "categoryId", .type = FIELD_ID, .kind = ID_CATEGORY, .flags = FIELD_MATCH },
	{ .name = "status", .type = FIELD_STRING, .values = replenish_statuses },
	{ .name = "method", .type = FIELD_STRING, .values = methods },
	FIELDS_END
};

static const struct field receipt_in[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_REPLENISHMENT_LINE, .flags = FIELD_REQUIRED },
	{ .name = "quantity", .type = FIELD_INTEGER, .description = "Received (default: the line's)" },
	{ .name = "lotNumber", .type = FIELD_STRING, .max_length = 100,
	  .description = "Required for a lot-controlled product" },
	{ .name = "expiryDate", .type = FIELD_DATE, .description = "For a new lot" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN,
	  .description = "Default: the level's preferred bin, else the receiving bin, else none" },
	FIELDS_END
};

const struct field replenishment_action_fields[] = {
	{ .name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = rep_actions,
	  .description = "APPROVE (PENDING), COMPLETE (APPROVED, outside supplier), CANCEL "
			 "(PENDING or APPROVED)" },
	{ .name = "lines", .type = FIELD_ARRAY, .items = receipt_in,
	  .description = "COMPLETE: what arrived (default: every line whole, no lot)" },
	FIELDS_END
};

#define SQL_REP_SUM(expr) \
	"(SELECT IFNULL(SUM(" expr "), 0) FROM replenishment_lines l" \
	" WHERE l.workspace_id = rp.workspace_id AND l.replenishment_id = rp.id)"

#define REP_COLUMNS \
	{ .name = "id", .type = FIELD_ID, .kind = ID_REPLENISHMENT, .column = "rp.id" }, \
	{ .name = "number", .type = FIELD_STRING, .column = "rp.number", .description = "REP-000042" }, \
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .column = "rp.location_id" }, \
	{ .name = "sourceLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_NULLABLE, \
	  .column = "rp.source_location_id", .description = "null: an outside supplier" }, \
	{ .name = "status", .type = FIELD_STRING, .values = rep_statuses, .column = "rp.status" }, \
	{ .name = "transferId", .type = FIELD_ID, .kind = ID_TRANSFER, .flags = FIELD_NULLABLE, \
	  .column = "rp.transfer_id", .description = "Internal: the transfer opened on approval" }, \
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "rp.notes" }, \
	{ .name = "createdBy", .type = FIELD_STRING, .column = "rp.created_by" }, \
	{ .name = "createdAt", .type = FIELD_DATETIME, .column = "rp.created_at" }, \
	{ .name = "updatedAt", .type = FIELD_DATETIME, .column = "rp.updated_at" }, \
	{ .name = "approvedAt", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .column = "rp.approved_at" }, \
	{ .name = "approvedBy", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "rp.approved_by" }, \
	{ .name = "completedAt", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .column = "rp.completed_at" }, \
	{ .name = "cancelledAt", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .column = "rp.cancelled_at" }, \
	{ .name = "lineCount", .type = FIELD_INTEGER, .column = SQL_REP_SUM("1") }, \
	{ .name = "quantity", .type = FIELD_INTEGER, .column = SQL_REP_SUM("l.quantity") }, \
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = SQL_REP_SUM("l.quantity_received") },

const struct field replenishment_columns[] = {
	REP_COLUMNS
	FIELDS_END
};

static const struct field line_columns[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_REPLENISHMENT_LINE, .column = "l.id" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "l.product_id" },
	{ .name = "quantity", .type = FIELD_INTEGER, .column = "l.quantity" },
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = "l.quantity_received" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE, .column = "l.lot_id",
	  .description = "Supplier: the lot received" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE, .column = "l.bin_id",
	  .description = "Supplier: the bin it was received into" },
	FIELDS_END
};

const struct field replenishment_answer[] = {
	REP_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_columns },
	FIELDS_END
};

const struct field replenishment_created_answer[] = {
	{ .name = "items", .type = FIELD_ARRAY, .items = replenishment_answer,
	  .description = "One replenishment per source location (outside supplier: one)" },
	FIELDS_END
};

/* ---- reading ---- */

/* Writes replenishment id with its lines into w. */
static int write_replenishment(struct req *r, struct jw *w, int64_t id)
{
	struct db_result head, lines;
	size_t i;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM replenishments rp WHERE rp.workspace_id = ? AND rp.id = ?",
				 api_select(replenishment_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &head) ||
	    db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM replenishment_lines l WHERE l.workspace_id = ?"
				 " AND l.replenishment_id = ? ORDER BY l.id", api_select(line_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "replenishment");
	if (head.nrows == 0)
		return api_not_found(r, ID_REPLENISHMENT);
	jw_open(w, '{');
	api_write_members(w, &head, 0, replenishment_columns);
	jw_key(w, "lines");
	jw_open(w, '[');
	for (i = 0; i < lines.nrows; i++)
		api_write_row(w, &lines, i, line_columns);
	jw_close(w, ']');
	jw_close(w, '}');
	return 0;
}

static int replenishment_respond(struct req *r, int64_t id, int status)
{
	struct jw w;
	int err;

	jw_init(&w, r->pool);
	if ((err = write_replenishment(r, &w, id)))
		return err;
	return req_respond_jw(r, status, &w);
}

int replenishment_get(struct req *r)
{
	return replenishment_respond(r, api_path_id(r, ID_REPLENISHMENT), 200);
}

static const struct api_filter list_filters[] = {
	{ "status", ID_NONE, " AND rp.status = ?" },
	{ "locationId", ID_LOCATION, " AND rp.location_id = ?" },
	{ "sourceLocationId", ID_LOCATION, " AND rp.source_location_id = ?" },
	{ "productMasterId", ID_PRODUCT,
	  " AND EXISTS (SELECT 1 FROM replenishment_lines l WHERE l.workspace_id = rp.workspace_id"
	  " AND l.replenishment_id = rp.id AND l.product_id = ?)" },
};

static const struct api_list list_sql = {
	.count_sql = "SELECT COUNT(*) FROM replenishments rp WHERE rp.workspace_id = ?",
	.rows_sql = " FROM replenishments rp WHERE rp.workspace_id = ?",
	.rows_tail = " ORDER BY rp.id DESC LIMIT ? OFFSET ?",
	.columns = replenishment_columns,
};

int replenishment_list(struct req *r)
{
	int64_t page, limit;
	struct query where;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_filters(r, list_filters, ARRAY_SIZE(list_filters), &where);
	if ((status = api_add_date_range(r, &where, "rp.created_at")))
		return status;
	return api_list_page(r, &list_sql, &where, page, limit);
}

/* ---- creating ---- */

struct order_line {
	int64_t product, quantity, source;   /* source 0: an outside supplier */
};

/* The body's lines, each with its source (given, else the level's). */
static int read_lines(struct req *r, int64_t location, struct order_line **out, size_t *n)
{
	json_object *arr = NULL;
	struct order_line *lines;
	struct db_result res;
	size_t i, len;

	json_object_object_get_ex(r->json, "lines", &arr);
	len = arr ? json_object_array_length(arr) : 0;
	if (len < 1 || len > REPLENISHMENT_MAX_LINES)
		return req_field_error(r, "lines", "must hold 1 to 500 lines (or use fromSuggestions)");
	lines = pool_calloc(r->pool, len, sizeof(*lines));
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct order_line *l = &lines[i];

		l->product = api_member_id(e, "productMasterId", ID_PRODUCT);
		l->quantity = api_member_int(e, "quantity");
		l->source = api_member_id(e, "sourceLocationId", ID_LOCATION);
		if (l->quantity < 1)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].quantity", i),
					       "must be at least 1");
		if (!api_member_string(e, "sourceLocationId")) {
			if (db_query(r->db, r->pool,
				     "SELECT IFNULL(replenishment_location_id, 0) FROM inventory_levels"
				     " WHERE workspace_id = ? AND product_id = ? AND location_id = ?",
				     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(l->product), ARG_INT(location)), &res))
				return req_internal_error(r, "inventory level");
			l->source = res.nrows ? db_cell_int(&res, 0, 0) : 0;
		}
		if (l->source == location)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].sourceLocationId", i),
					       "must not be the location replenished");
	}
	*out = lines;
	*n = len;
	return 0;
}

/* The current suggestions above 0 at location, as lines. */
static int suggested_lines(struct req *r, int64_t location, struct order_line **out, size_t *n)
{
	struct level_figures *rows;
	struct figures_filter f;
	const char *method;
	size_t i, k = 0, count;
	int status;

	replenish_body_filter(r, &f);
	f.location = location;
	if ((status = replenish_figures(r, &f, &method, &rows, &count)))
		return status;
	*out = pool_calloc(r->pool, count + 1, sizeof(**out));
	for (i = 0; i < count; i++)
		if (rows[i].suggested > 0)
			(*out)[k++] = (struct order_line){
				rows[i].product, rows[i].suggested,
				/* (A level cannot name its own location any more;
				 * one made before that rule orders from outside.) */
				rows[i].source == location ? 0 : rows[i].source,
			};
	if (k == 0)
		return req_error(r, 400, "Bad Request", "nothing to replenish: every suggestion is 0");
	*n = k;
	return 0;
}

int replenishment_create(struct req *r)
{
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	const char *from = api_body_string(r, "fromSuggestions");
	struct order_line *lines = NULL;
	int64_t *ids;
	size_t i, k, n = 0, made = 0;
	struct jw w;
	int status;

	if (from && !strcmp(from, "true") && !api_body_has(r, "lines"))
		status = suggested_lines(r, location, &lines, &n);
	else
		status = read_lines(r, location, &lines, &n);
	if (status)
		return status;
	ids = pool_calloc(r->pool, n, sizeof(*ids));
	/* One replenishment per source, in the order sources first appear. */
	for (i = 0; i < n; i++) {
		const char *number;
		struct db_result res;

		for (k = 0; k < i && lines[k].source != lines[i].source; k++)
			;
		if (k < i)
			continue;
		if ((status = moves_next_number(r, "REP", &number)))
			return status;
		if (db_query(r->db, r->pool,
			     "INSERT INTO replenishments (workspace_id, number, location_id, source_location_id,"
			     " notes, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_TEXT(number), ARG_INT(location),
				     ARG_ID(lines[i].source), ARG_TEXT(api_body_string(r, "notes")),
				     ARG_TEXT(api_actor(r))), &res) || res.nrows != 1)
			return api_db_error(r, "replenishment");
		ids[made++] = db_cell_int(&res, 0, 0);
		for (k = i; k < n; k++)
			if (lines[k].source == lines[i].source &&
			    db_query(r->db, r->pool,
				     "INSERT INTO replenishment_lines (workspace_id, replenishment_id,"
				     " product_id, quantity) VALUES (?, ?, ?, ?)",
				     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(ids[made - 1]),
					     ARG_INT(lines[k].product), ARG_INT(lines[k].quantity)), NULL))
				return api_db_error(r, "replenishment line");
	}
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "items");
	jw_open(&w, '[');
	for (i = 0; i < made; i++)
		if ((status = write_replenishment(r, &w, ids[i])))
			return status;
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 201, &w);
}

/* ---- actions ---- */

struct rep_row {
	int64_t id, location, source, transfer;
	const char *number, *status;
};

static int approve(struct req *r, struct rep_row *rp)
{
	struct transfer_line_in *tl;
	struct db_result lines;
	int64_t *tl_ids, transfer = 0;
	size_t i;
	int status;

	if (rp->source) {
		if (db_query(r->db, r->pool,
			     "SELECT id, product_id, quantity FROM replenishment_lines"
			     " WHERE workspace_id = ? AND replenishment_id = ? ORDER BY id",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(rp->id)), &lines))
			return req_internal_error(r, "replenishment lines");
		tl = pool_calloc(r->pool, lines.nrows + 1, sizeof(*tl));
		tl_ids = pool_calloc(r->pool, lines.nrows + 1, sizeof(*tl_ids));
		for (i = 0; i < lines.nrows; i++)
			tl[i] = (struct transfer_line_in){ .product = db_cell_int(&lines, i, 1),
							   .quantity = db_cell_int(&lines, i, 2) };
		{
			struct transfer_open t = {
				.from = rp->source, .to = rp->location, .reference = rp->number,
				.lines = tl, .nlines = lines.nrows,
			};

			if ((status = transfer_open(r, &t, &transfer, tl_ids)))
				return status;
		}
		for (i = 0; i < lines.nrows; i++)
			if (db_query(r->db, r->pool,
				     "UPDATE replenishment_lines SET transfer_line_id = ?"
				     " WHERE workspace_id = ? AND id = ?",
				     DB_ARGS(ARG_INT(tl_ids[i]), ARG_INT(api_ws(r)),
					     ARG_INT(db_cell_int(&lines, i, 0))), NULL))
				return api_db_error(r, "replenishment line");
	}
	if (db_query(r->db, r->pool,
		     "UPDATE replenishments SET status = 'APPROVED', transfer_id = ?,"
		     " approved_at = CURRENT_TIMESTAMP(3), approved_by = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_ID(transfer), ARG_TEXT(api_actor(r)), ARG_INT(api_ws(r)), ARG_INT(rp->id)),
		     NULL))
		return api_db_error(r, "replenishment");
	return 0;
}

/* Receives one line from the supplier through the ledger. */
static int receive_line(struct req *r, const struct rep_row *rp, int64_t line, int64_t product,
			int64_t qty, json_object *e, size_t at)
{
	struct stock_record_in in = {
		.mode = STOCK_RECORD_RECEIVE, .product_id = product, .location_id = rp->location,
		.lot_number = api_member_string(e, "lotNumber"),
		.expiry_date = api_member_string(e, "expiryDate"),
		.bin_id = api_member_id(e, "binId", ID_BIN), .quantity = qty,
		.comment = rp->number, .actor = api_actor(r),
	};
	struct stock_record_out out;
	struct db_result res;
	enum stock_status st;

	if (!in.bin_id) {
		if (db_query(r->db, r->pool,
			     "SELECT IFNULL(preferred_bin_id, 0) FROM inventory_levels"
			     " WHERE workspace_id = ? AND product_id = ? AND location_id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(product), ARG_INT(rp->location)), &res))
			return req_internal_error(r, "inventory level");
		in.bin_id = res.nrows ? db_cell_int(&res, 0, 0) : 0;
	}
	st = stock_record(r->db, r->pool, api_ws(r), &in, &out);
	if (st != STOCK_OK)
		return record_stock_error(r, st, out.message, pool_printf(r->pool, "lines[%zu].lotId", at),
					  pool_printf(r->pool, "lines[%zu].lotNumber", at));
	if (db_query(r->db, r->pool,
		     "UPDATE replenishment_lines l JOIN stock_lines sl ON sl.workspace_id = l.workspace_id"
		     " AND sl.id = ? SET l.quantity_received = ?, l.lot_id = sl.lot_id, l.bin_id = sl.bin_id"
		     " WHERE l.workspace_id = ? AND l.id = ?",
		     DB_ARGS(ARG_INT(out.line_id), ARG_INT(qty), ARG_INT(api_ws(r)), ARG_INT(line)), NULL))
		return api_db_error(r, "replenishment line");
	return 0;
}

/* COMPLETE from a supplier: every line (or those of the body) received. */
static int complete(struct req *r, struct rep_row *rp)
{
	json_object *arr = NULL;
	struct db_result lines;
	size_t i, k, k2, len;
	int status;

	if (rp->source)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "replenishment %s comes from another location: it "
					     "completes when its transfer is received", rp->number));
	if (db_query(r->db, r->pool,
		     "SELECT id, product_id, quantity FROM replenishment_lines"
		     " WHERE workspace_id = ? AND replenishment_id = ? ORDER BY id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(rp->id)), &lines))
		return req_internal_error(r, "replenishment lines");
	json_object_object_get_ex(r->json, "lines", &arr);
	len = arr ? json_object_array_length(arr) : 0;
	if (arr && len == 0)
		return req_field_error(r, "lines", "must hold at least one line (or be left out)");
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i), *q = NULL;
		int64_t line = api_member_id(e, "lineId", ID_REPLENISHMENT_LINE), qty;

		for (k = 0; k < lines.nrows && db_cell_int(&lines, k, 0) != line; k++)
			;
		if (k == lines.nrows)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].lineId", i),
					       pool_printf(r->pool, "is not a line of %s", rp->number));
		for (k2 = 0; k2 < i; k2++)
			if (api_member_id(json_object_array_get_idx(arr, k2), "lineId",
					  ID_REPLENISHMENT_LINE) == line)
				return req_field_error(r, pool_printf(r->pool, "lines[%zu].lineId", i),
						       "is on an earlier entry: a line is received once");
		qty = json_object_object_get_ex(e, "quantity", &q) && q ? json_object_get_int64(q)
									: db_cell_int(&lines, k, 2);
		if (qty < 1)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].quantity", i),
					       "must be at least 1");
		if ((status = receive_line(r, rp, line, db_cell_int(&lines, k, 1), qty, e, i)))
			return status;
	}
	for (i = 0; !arr && i < lines.nrows; i++)
		if ((status = receive_line(r, rp, db_cell_int(&lines, i, 0), db_cell_int(&lines, i, 1),
					   db_cell_int(&lines, i, 2), NULL, i)))
			return status;
	if (db_query(r->db, r->pool,
		     "UPDATE replenishments SET status = 'COMPLETED', completed_at = CURRENT_TIMESTAMP(3)"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(rp->id)), NULL))
		return api_db_error(r, "replenishment");
	return 0;
}

static int cancel(struct req *r, struct rep_row *rp)
{
	struct db_result res;
	int status;

	if (rp->transfer) {
		if (db_query(r->db, r->pool,
			     "SELECT status FROM transfers WHERE workspace_id = ? AND id = ? FOR UPDATE",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(rp->transfer)), &res) || res.nrows != 1)
			return req_internal_error(r, "transfer");
		if (strcmp(db_cell(&res, 0, 0), "PENDING"))
			return req_error(r, 409, "Conflict",
					 pool_printf(r->pool, "the transfer of %s is %s: only a PENDING one "
						     "is cancelled with it", rp->number, db_cell(&res, 0, 0)));
		if ((status = transfer_cancel(r, rp->transfer, NULL)))
			return status;
	}
	if (db_query(r->db, r->pool,
		     "UPDATE replenishments SET status = 'CANCELLED', cancelled_at = CURRENT_TIMESTAMP(3)"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(rp->id)), NULL))
		return api_db_error(r, "replenishment");
	return 0;
}

int replenishment_action(struct req *r)
{
	const char *action = api_body_string(r, "action"), *needs = NULL;
	struct db_result res;
	struct rep_row rp;
	int status;

	if (db_query(r->db, r->pool,
		     "SELECT id, location_id, IFNULL(source_location_id, 0), IFNULL(transfer_id, 0),"
		     " number, status FROM replenishments WHERE workspace_id = ? AND id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(api_path_id(r, ID_REPLENISHMENT))), &res))
		return req_internal_error(r, "replenishment");
	if (res.nrows == 0)
		return api_not_found(r, ID_REPLENISHMENT);
	rp = (struct rep_row){ db_cell_int(&res, 0, 0), db_cell_int(&res, 0, 1), db_cell_int(&res, 0, 2),
			       db_cell_int(&res, 0, 3), db_cell(&res, 0, 4), db_cell(&res, 0, 5) };
	if (!strcmp(action, "APPROVE") && strcmp(rp.status, "PENDING"))
		needs = "PENDING";
	else if (!strcmp(action, "COMPLETE") && strcmp(rp.status, "APPROVED"))
		needs = "APPROVED";
	else if (!strcmp(action, "CANCEL") && strcmp(rp.status, "PENDING") &&
		 strcmp(rp.status, "APPROVED"))
		needs = "PENDING or APPROVED";
	if (needs)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "replenishment %s is %s; %s needs %s", rp.number,
					     rp.status, action, needs));
	if (!strcmp(action, "APPROVE"))
		status = approve(r, &rp);
	else if (!strcmp(action, "COMPLETE"))
		status = complete(r, &rp);
	else
		status = cancel(r, &rp);
	return status ? status : replenishment_respond(r, rp.id, 200);
}
