/* SPDX-License-Identifier: MIT */
/*
 * Transfers: stock moved between two locations (shipped, in transit, then
 * received, bin by bin) or between the bins of one location (completed in
 * one step).
 *
 * A transfer is created PENDING with its lines, each picked at once from
 * the source's stock lines first expiry first out (ledger_scope_lock's
 * order), never from stock that cannot be promised; every pick is
 * reserved, so nothing else can promise it. SHIP posts TRANSFER_OUT on the
 * picked lines (on hand and reserved down); RECEIVE posts TRANSFER_IN at
 * the destination, in the pick's lot; CLOSE writes off what never arrived
 * (TRANSFER_LOSS, which changes no bucket: the stock left when shipped);
 * CANCEL releases the reservations. The transfer's row is locked first,
 * so two actions on one transfer run one after the other.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/moves/moves.h"
#include "core/pool.h"
#include "core/util.h"
#include "ledger/ledger.h"
#include "ledger/record.h"

#define TRANSFER_MAX_LINES 100

static const char *const transfer_statuses[] = {
	"PENDING", "SHIPPED", "PARTIALLY_RECEIVED", "RECEIVED", "COMPLETED", "CANCELLED", "CLOSED",
	NULL
};

static const char *const transfer_actions[] = {
	"SHIP", "RECEIVE", "COMPLETE", "CANCEL", "CLOSE", NULL
};

const struct field transfer_query[] = {
	{ .name = "status", .type = FIELD_STRING, .values = transfer_statuses,
	  .description = "Filter by status" },
	{ .name = "fromLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by source location" },
	{ .name = "toLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by destination location" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Transfers with a line of this product" },
	{ .name = "inTransit", .type = FIELD_BOOLEAN,
	  .description = "true: only SHIPPED and PARTIALLY_RECEIVED transfers" },
	API_CREATED_RANGE_QUERY
	{ .name = "search", .type = FIELD_STRING, .max_length = 200,
	  .description = "Matches the number or the reference (substring)" },
	API_PAGE_QUERY
	FIELDS_END
};

static const struct field transfer_line_in[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "The product" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE,
	  .description = "Only from this lot (default: any, first expiry first out)" },
	{ .name = "fromBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .description = "Only from this bin of the source (default: any)" },
	{ .name = "toBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .description = "Into this bin of the destination; required within one location" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED,
	  .description = "At least 1" },
	FIELDS_END
};

const struct field transfer_create_fields[] = {
	{ .name = "fromLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "Where the stock leaves" },
	{ .name = "toLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "Where it goes; the same location for a move between bins" },
	{ .name = "reference", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 200,
	  .description = "An outside reference (order, request)" },
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 2000 },
	{ .name = "neededBy", .type = FIELD_DATE, .flags = FIELD_NULLABLE },
	{ .name = "complete", .type = FIELD_BOOLEAN,
	  .description = "Within one location only: move the stock now (COMPLETED)" },
	{ .name = "lines", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .items = transfer_line_in,
	  .description = "1 to 100 lines" },
	FIELDS_END
};

static const struct field receipt_in[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_TRANSFER_LINE, .flags = FIELD_REQUIRED,
	  .description = "A line of this transfer (it may appear several times)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED,
	  .description = "At least 1, at most what is in transit on the line" },
	{ .name = "toBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE,
	  .description = "Default: the line's toBinId, else the destination's receiving bin, "
			 "else no bin" },
	FIELDS_END
};

const struct field transfer_action_fields[] = {
	{ .name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = transfer_actions,
	  .description = "SHIP (PENDING, two locations), RECEIVE (SHIPPED or PARTIALLY_RECEIVED), "
			 "COMPLETE (PENDING, one location), CANCEL (PENDING), CLOSE (SHIPPED or "
			 "PARTIALLY_RECEIVED: writes off what is in transit)" },
	{ .name = "lines", .type = FIELD_ARRAY, .items = receipt_in,
	  .description = "RECEIVE: what arrived, line by line (default: everything in transit)" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE,
	  .description = "CLOSE: why the rest is written off (required)" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Kept on the ledger entries" },
	FIELDS_END
};

#define TRANSFER_COLUMNS \
	{ .name = "id", .type = FIELD_ID, .kind = ID_TRANSFER, .column = "t.id" }, \
	{ .name = "number", .type = FIELD_STRING, .column = "t.number", \
	  .description = "TRF-000042, per workspace" }, \
	{ .name = "fromLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .column = "t.from_location_id" }, \
	{ .name = "toLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .column = "t.to_location_id" }, \
	{ .name = "status", .type = FIELD_STRING, .values = transfer_statuses, .column = "t.status" }, \
	{ .name = "reference", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "t.reference" }, \
	{ .name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .column = "t.notes" }, \
	{ .name = "neededBy", .type = FIELD_DATE, .flags = FIELD_NULLABLE, .column = "t.needed_by" }, \
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE, .flags = FIELD_NULLABLE, \
	  .column = "t.reason_code_id", .description = "Why a CLOSE wrote the rest off" }, \
	{ .name = "createdBy", .type = FIELD_STRING, .column = "t.created_by" }, \
	{ .name = "createdAt", .type = FIELD_DATETIME, .column = "t.created_at" }, \
	{ .name = "updatedAt", .type = FIELD_DATETIME, .column = "t.updated_at" }, \
	{ .name = "shippedAt", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, .column = "t.shipped_at" }, \
	{ .name = "completedAt", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE, \
	  .column = "t.completed_at", \
	  .description = "When it became RECEIVED, COMPLETED, CANCELLED or CLOSED" }, \
	{ .name = "lineCount", .type = FIELD_INTEGER, .column = "t.line_count" }, \
	{ .name = "quantity", .type = FIELD_INTEGER, .column = "t.quantity" }, \
	{ .name = "quantityShipped", .type = FIELD_INTEGER, .column = "t.quantity_shipped" }, \
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = "t.quantity_received" }, \
	{ .name = "quantityWrittenOff", .type = FIELD_INTEGER, .column = "t.quantity_written_off" }, \
	{ .name = "quantityInTransit", .type = FIELD_INTEGER, \
	  .column = "t.quantity_shipped - t.quantity_received - t.quantity_written_off", \
	  .description = "Shipped, not yet received nor written off" },

const struct field transfer_columns[] = {
	TRANSFER_COLUMNS
	FIELDS_END
};

/* The stock lines a line was picked from; the last, undeclared, column
 * ties each to its line. */
static const struct field pick_columns[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .column = "p.stock_line_id" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE, .column = "sl.lot_id" },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE, .column = "sl.bin_id" },
	{ .name = "quantity", .type = FIELD_INTEGER, .column = "p.quantity" },
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = "p.quantity_received" },
	{ .name = "quantityWrittenOff", .type = FIELD_INTEGER, .column = "p.quantity_written_off" },
	FIELDS_END
};

#define LINE_COLUMNS \
	{ .name = "id", .type = FIELD_ID, .kind = ID_TRANSFER_LINE, .column = "l.id" }, \
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .column = "l.product_id" }, \
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE, .column = "l.lot_id" }, \
	{ .name = "fromBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE, \
	  .column = "l.from_bin_id" }, \
	{ .name = "toBinId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE, \
	  .column = "l.to_bin_id" }, \
	{ .name = "quantity", .type = FIELD_INTEGER, .column = "l.quantity" }, \
	{ .name = "quantityShipped", .type = FIELD_INTEGER, .column = "l.quantity_shipped" }, \
	{ .name = "quantityReceived", .type = FIELD_INTEGER, .column = "l.quantity_received" }, \
	{ .name = "quantityWrittenOff", .type = FIELD_INTEGER, .column = "l.quantity_written_off" },

static const struct field line_columns[] = {
	LINE_COLUMNS
	FIELDS_END
};

static const struct field line_fields[] = {
	LINE_COLUMNS
	{ .name = "picks", .type = FIELD_ARRAY, .items = pick_columns,
	  .description = "The stock lines it was picked from, in picking order" },
	FIELDS_END
};

const struct field transfer_answer[] = {
	TRANSFER_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_fields },
	FIELDS_END
};

static const char transfer_from[] = " FROM transfers t WHERE t.workspace_id = ?";

/* ---- reading ---- */

/* Answers transfer id with its lines and picks, with status. */
static int transfer_respond(struct req *r, int64_t id, int status)
{
	struct db_result head, lines, picks;
	size_t i, p = 0;
	struct jw w;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s%s AND t.id = ?", api_select(transfer_columns), transfer_from),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &head))
		return req_internal_error(r, "transfer");
	if (head.nrows == 0)
		return api_not_found(r, ID_TRANSFER);
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM transfer_lines l WHERE l.workspace_id = ?"
				 " AND l.transfer_id = ? ORDER BY l.id", api_select(line_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines) ||
	    db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s, p.transfer_line_id FROM transfer_picks p"
				 " JOIN stock_lines sl ON sl.id = p.stock_line_id"
				 " WHERE p.workspace_id = ? AND p.transfer_id = ?"
				 " ORDER BY p.transfer_line_id, p.id", api_select(pick_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &picks))
		return req_internal_error(r, "transfer lines");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	api_write_members(&w, &head, 0, transfer_columns);
	jw_key(&w, "lines");
	jw_open(&w, '[');
	for (i = 0; i < lines.nrows; i++) {
		int64_t line = db_cell_int(&lines, i, 0);

		jw_open(&w, '{');
		api_write_members(&w, &lines, i, line_columns);
		jw_key(&w, "picks");
		jw_open(&w, '[');
		for (; p < picks.nrows && db_cell_int(&picks, p, picks.ncols - 1) == line; p++)
			api_write_row(&w, &picks, p, pick_columns);
		jw_close(&w, ']');
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, status, &w);
}

int transfer_get(struct req *r)
{
	return transfer_respond(r, api_path_id(r, ID_TRANSFER), 200);
}

static const struct api_filter transfer_filters[] = {
	{ "status", ID_NONE, " AND t.status = ?" },
	{ "fromLocationId", ID_LOCATION, " AND t.from_location_id = ?" },
	{ "toLocationId", ID_LOCATION, " AND t.to_location_id = ?" },
	{ "productMasterId", ID_PRODUCT,
	  " AND EXISTS (SELECT 1 FROM transfer_lines l WHERE l.workspace_id = t.workspace_id"
	  " AND l.transfer_id = t.id AND l.product_id = ?)" },
};

static const struct api_list transfer_list_sql = {
	.count_sql = "SELECT COUNT(*) FROM transfers t WHERE t.workspace_id = ?",
	.rows_sql = " FROM transfers t WHERE t.workspace_id = ?",
	.rows_tail = " ORDER BY t.id DESC LIMIT ? OFFSET ?",
	.columns = transfer_columns,
};

int transfer_list(struct req *r)
{
	const char *in_transit = req_query(r, "inTransit");
	int64_t page, limit;
	struct query where;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		return status;
	api_where_init(r, &where);
	api_add_filters(r, transfer_filters, ARRAY_SIZE(transfer_filters), &where);
	if (in_transit && (!strcmp(in_transit, "true") || !strcmp(in_transit, "1")))
		query_add(&where, " AND t.status IN ('SHIPPED', 'PARTIALLY_RECEIVED')");
	/* INSTR, not LIKE: '%' and '_' in the search are plain text. */
	api_add_search_fragment(r, &where, " AND (INSTR(t.number, ?) > 0"
				" OR INSTR(IFNULL(t.reference, ''), ?) > 0)");
	if ((status = api_add_date_range(r, &where, "t.created_at")))
		return status;
	return api_list_page(r, &transfer_list_sql, &where, page, limit);
}

/* ---- creating ---- */

/* Reads and checks the lines of the body into lines[0..*n). */
static int read_lines(struct req *r, int64_t from, int64_t to, struct transfer_line_in **out, size_t *n)
{
	json_object *arr = NULL;
	struct db_result res;
	struct transfer_line_in *lines;
	size_t i, len;
	int status = 0;

	json_object_object_get_ex(r->json, "lines", &arr);
	len = json_object_array_length(arr);
	if (len < 1 || len > TRANSFER_MAX_LINES)
		return req_field_error(r, "lines", "must hold 1 to 100 lines");
	lines = pool_calloc(r->pool, len, sizeof(*lines));
	for (i = 0; i < len && !status; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct transfer_line_in *l = &lines[i];
		const char *at = pool_printf(r->pool, "lines[%zu].", i);

		l->product = api_member_id(e, "productMasterId", ID_PRODUCT);
		l->lot = api_member_id(e, "lotId", ID_LOT);
		l->from_bin = api_member_id(e, "fromBinId", ID_BIN);
		l->to_bin = api_member_id(e, "toBinId", ID_BIN);
		l->quantity = api_member_int(e, "quantity");
		if (l->quantity < 1) {
			status = req_field_error(r, pool_printf(r->pool, "%squantity", at), "must be at least 1");
		} else if (from == to && (!l->to_bin || l->to_bin == l->from_bin)) {
			status = req_field_error(r, pool_printf(r->pool, "%stoBinId", at),
						 "is required within one location, and must differ "
						 "from fromBinId");
		} else if ((status = moves_check_bin(r, pool_printf(r->pool, "%sfromBinId", at),
						     l->from_bin, from)) ||
			   (status = moves_check_bin(r, pool_printf(r->pool, "%stoBinId", at),
						     l->to_bin, to))) {
			break;
		} else if (l->lot) {
			if (db_query(r->db, r->pool,
				     "SELECT product_id FROM lots WHERE workspace_id = ? AND id = ?",
				     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(l->lot)), &res))
				status = req_internal_error(r, "lot");
			else if (res.nrows != 1 || db_cell_int(&res, 0, 0) != l->product)
				status = req_field_error(r, pool_printf(r->pool, "%slotId", at),
							 pool_printf(r->pool, "is not a lot of %s",
								     id_format(r->pool, ID_PRODUCT, l->product)));
		}
	}
	*out = lines;
	*n = len;
	return status;
}

/* The pick of one stock line, posted and recorded. */
struct pick {
	int64_t line_id, quantity;
};

/*
 * Picks line l of transfer id from location from: locks the stock lines
 * of its scope, takes what each can promise in their order and reserves
 * it. 409 when they hold less than asked.
 */
static int pick_line(struct req *r, int64_t transfer, const char *ref, int64_t line_id,
		     int64_t from, int64_t to, const struct transfer_line_in *l)
{
	struct ledger_scope scope = { l->product, from, l->lot, l->from_bin, 0 };
	struct ledger_scope_lines lines;
	int64_t left = l->quantity, available = 0;
	enum ledger_status st;
	struct pick *picks;
	size_t i, n = 0;

	if ((st = ledger_scope_lock(r->db, r->pool, api_ws(r), &scope, &lines)) != LEDGER_OK)
		return api_ledger_error(r, st);
	picks = pool_calloc(r->pool, lines.n + 1, sizeof(*picks));
	for (i = 0; i < lines.n; i++) {
		const struct ledger_line *sl = &lines.lines[i];
		const char *refusal;
		int64_t can, take;
		int status;

		/* Within one location, stock already in the target bin does
		 * not move. */
		if (from == to && sl->bin_id == l->to_bin)
			continue;
		if ((status = api_lot_refusal(r, sl->lot_id, &refusal)))
			return status;
		can = api_available(ledger_available(sl->qty), refusal);
		if (can <= 0)
			continue;
		available += can;
		take = can < left ? can : left;
		if (take > 0)
			picks[n++] = (struct pick){ sl->id, take };
		left -= take;
	}
	if (left > 0)
		return req_error(r, 409, "Insufficient stock",
				 pool_printf(r->pool, "not enough available stock for %s at %s: "
					     "%lld requested, %lld available",
					     id_format(r->pool, ID_PRODUCT, l->product),
					     id_format(r->pool, ID_LOCATION, from),
					     (long long)l->quantity, (long long)available));
	for (i = 0; i < n; i++) {
		struct ledger_entry e = {
			.workspace_id = api_ws(r), .line_id = picks[i].line_id, .type = "RESERVE",
			.actor = api_actor(r), .reference_type = "TRANSFER", .reference_id = ref,
		};

		e.delta[B_RESERVED] = picks[i].quantity;
		if ((st = ledger_post(r->db, r->pool, &e, NULL)) != LEDGER_OK)
			return api_ledger_error(r, st);
		if (db_query(r->db, r->pool,
			     "INSERT INTO transfer_picks (workspace_id, transfer_id, transfer_line_id,"
			     " stock_line_id, quantity) VALUES (?, ?, ?, ?, ?)",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(transfer), ARG_INT(line_id),
				     ARG_INT(picks[i].line_id), ARG_INT(picks[i].quantity)), NULL))
			return api_db_error(r, "transfer pick");
	}
	return 0;
}

/* Inserts the transfer's row, PENDING, and stores its id. */
static int insert_transfer(struct req *r, int64_t from, int64_t to, const char *reference,
			   const char *notes, const char *needed_by, int64_t request, int64_t *id)
{
	const char *number;
	struct db_result res;
	int status;

	if ((status = moves_next_number(r, "TRF", &number)))
		return status;
	if (db_query(r->db, r->pool,
		     "INSERT INTO transfers (workspace_id, number, from_location_id, to_location_id,"
		     " reference, notes, needed_by, stock_request_id, created_by)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_TEXT(number), ARG_INT(from), ARG_INT(to),
			     ARG_TEXT(reference), ARG_TEXT(notes), ARG_TEXT(needed_by), ARG_ID(request),
			     ARG_TEXT(api_actor(r))),
		     &res) || res.nrows != 1)
		return api_db_error(r, "transfer");
	*id = db_cell_int(&res, 0, 0);
	return 0;
}

int transfer_open(struct req *r, const struct transfer_open *t, int64_t *id, int64_t *line_ids)
{
	const char *ref;
	struct db_result res;
	int64_t qty = 0;
	size_t i;
	int status;

	if ((status = insert_transfer(r, t->from, t->to, t->reference, t->notes, t->needed_by,
				      t->request, id)))
		return status;
	ref = id_format(r->pool, ID_TRANSFER, *id);
	for (i = 0; i < t->nlines; i++) {
		const struct transfer_line_in *l = &t->lines[i];

		if (db_query(r->db, r->pool,
			     "INSERT INTO transfer_lines (workspace_id, transfer_id, product_id, lot_id,"
			     " from_bin_id, to_bin_id, quantity) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(*id), ARG_INT(l->product), ARG_ID(l->lot),
				     ARG_ID(l->from_bin), ARG_ID(l->to_bin), ARG_INT(l->quantity)),
			     &res) || res.nrows != 1)
			return api_db_error(r, "transfer line");
		if (line_ids)
			line_ids[i] = db_cell_int(&res, 0, 0);
		if ((status = pick_line(r, *id, ref, db_cell_int(&res, 0, 0), t->from, t->to, l)))
			return status;
		qty += l->quantity;
	}
	if (db_query(r->db, r->pool,
		     "UPDATE transfers SET line_count = ?, quantity = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT((int64_t)t->nlines), ARG_INT(qty), ARG_INT(api_ws(r)), ARG_INT(*id)),
		     NULL))
		return api_db_error(r, "transfer");
	return 0;
}

int transfer_create(struct req *r)
{
	struct transfer_open t = {
		.from = api_body_id(r, "fromLocationId", ID_LOCATION),
		.to = api_body_id(r, "toLocationId", ID_LOCATION),
		.reference = api_body_string(r, "reference"),
		.notes = api_body_string(r, "notes"),
		.needed_by = api_body_string(r, "neededBy"),
	};
	const char *complete = api_body_string(r, "complete");
	int done = complete && !strcmp(complete, "true");
	struct transfer_line_in *lines = NULL;
	int64_t id = 0;
	int status;

	if (done && t.from != t.to)
		return req_field_error(r, "complete", "is only for a move within one location");
	if ((status = read_lines(r, t.from, t.to, &lines, &t.nlines)))
		return status;
	t.lines = lines;
	if ((status = transfer_open(r, &t, &id, NULL)))
		return status;
	if (done && (status = transfer_complete(r, id, api_body_string(r, "comment"))))
		return status;
	return transfer_respond(r, id, 201);
}

/* ---- actions ---- */

/* RECEIVE with the body's lines, or everything. */
static int receive(struct req *r, int64_t transfer, const char *comment)
{
	struct transfer_receipt *rc;
	json_object *arr = NULL;
	size_t i, len;

	json_object_object_get_ex(r->json, "lines", &arr);
	len = arr ? json_object_array_length(arr) : 0;
	if (arr && len == 0)
		return req_field_error(r, "lines", "must hold at least one line");
	rc = pool_calloc(r->pool, len + 1, sizeof(*rc));
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		rc[i] = (struct transfer_receipt){ api_member_id(e, "lineId", ID_TRANSFER_LINE),
						   api_member_int(e, "quantity"),
						   api_member_id(e, "toBinId", ID_BIN) };
	}
	return transfer_receive(r, transfer, rc, len, comment);
}

int transfer_action(struct req *r)
{
	int64_t id = api_path_id(r, ID_TRANSFER), from, to;
	const char *action = api_body_string(r, "action"), *comment = api_body_string(r, "comment");
	const char *status_now, *needs = NULL, *ref = id_format(r->pool, ID_TRANSFER, id);
	struct db_result res;
	int status;

	if (db_query(r->db, r->pool,
		     "SELECT t.status, t.from_location_id, t.to_location_id, sr.number"
		     " FROM transfers t LEFT JOIN stock_requests sr ON sr.workspace_id = t.workspace_id"
		     " AND sr.id = t.stock_request_id WHERE t.workspace_id = ? AND t.id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "transfer");
	if (res.nrows == 0)
		return api_not_found(r, ID_TRANSFER);
	status_now = db_cell(&res, 0, 0);
	from = db_cell_int(&res, 0, 1);
	to = db_cell_int(&res, 0, 2);
	if (db_cell(&res, 0, 3))
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "transfer %s fulfils stock request %s: act on the "
					     "request", ref, db_cell(&res, 0, 3)));
	if (!strcmp(action, "SHIP") || !strcmp(action, "CANCEL") || !strcmp(action, "COMPLETE")) {
		if (strcmp(status_now, "PENDING"))
			needs = "PENDING";
	} else if (strcmp(status_now, "SHIPPED") && strcmp(status_now, "PARTIALLY_RECEIVED")) {
		needs = "SHIPPED or PARTIALLY_RECEIVED";
	}
	if (needs)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "transfer %s is %s; %s needs %s", ref, status_now,
					     action, needs));
	if (!strcmp(action, "SHIP") && from == to)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "transfer %s moves stock within one location: "
					     "COMPLETE it", ref));
	if (!strcmp(action, "COMPLETE") && from != to)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "transfer %s is between two locations: SHIP it, "
					     "then RECEIVE it", ref));
	if (!strcmp(action, "SHIP"))
		status = transfer_ship(r, id, comment);
	else if (!strcmp(action, "COMPLETE"))
		status = transfer_complete(r, id, comment);
	else if (!strcmp(action, "CANCEL"))
		status = transfer_cancel(r, id, comment);
	else if (!strcmp(action, "RECEIVE"))
		status = receive(r, id, comment);
	else
		status = transfer_close(r, id, comment);
	return status ? status : transfer_respond(r, id, 200);
}

int transfer_record_done(struct req *r, int64_t from, int64_t to, int64_t product, int64_t lot,
			 int64_t item, int64_t quantity, const char *reference, int64_t *id)
{
	struct db_result res;
	int status;

	if ((status = insert_transfer(r, from, to, reference, NULL, NULL, 0, id)))
		return status;
	if (db_query(r->db, r->pool,
		     "INSERT INTO transfer_lines (workspace_id, transfer_id, product_id, lot_id,"
		     " quantity, quantity_shipped, quantity_received) VALUES (?, ?, ?, ?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(*id), ARG_INT(product), ARG_ID(lot),
			     ARG_INT(quantity), ARG_INT(quantity), ARG_INT(quantity)), &res) ||
	    res.nrows != 1 ||
	    db_query(r->db, r->pool,
		     "INSERT INTO transfer_picks (workspace_id, transfer_id, transfer_line_id,"
		     " stock_line_id, quantity, quantity_received) VALUES (?, ?, ?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(*id), ARG_INT(db_cell_int(&res, 0, 0)),
			     ARG_INT(item), ARG_INT(quantity), ARG_INT(quantity)), NULL) ||
	    db_query(r->db, r->pool,
		     "UPDATE transfers SET status = 'COMPLETED', line_count = 1,"
		     " quantity = ?, quantity_shipped = ?, quantity_received = ?,"
		     " shipped_at = CURRENT_TIMESTAMP(3), completed_at = CURRENT_TIMESTAMP(3)"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(quantity), ARG_INT(quantity), ARG_INT(quantity),
			     ARG_INT(api_ws(r)), ARG_INT(*id)), NULL))
		return api_db_error(r, "transfer");
	return 0;
}
