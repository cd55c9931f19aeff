/* SPDX-License-Identifier: MIT */
/*
 * Holds: a hold moves available stock of a lot to the on-hold bucket until
 * it is released, all through the ledger. Also the ledger helpers that
 * recalls.c and expiry.c share.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/holds/holds.h"
#include "api/holds/internal.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

static const char *const hold_statuses[] = { "ACTIVE", "RELEASED", NULL };

const struct field holds_query[] = {
	{ .name = "status", .type = FIELD_STRING, .values = hold_statuses, .description = "Filter by status" },
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_MATCH,
	  .description = "Filter by stock line" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Filter by product" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by location" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_MATCH,
	  .description = "Filter by lot" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	FIELDS_END
};

const struct field hold_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM,
	  .description = "Hold quantity of this stock line (or lotId)" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT,
	  .description = "Hold the whole available stock of this lot, and mark it ON_HOLD" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Quantity to hold (required with inventoryItemId, at least 1)" },
	{ .name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 500,
	  .description = "Why" },
	FIELDS_END
};

const struct field hold_release_fields[] = {
	{ .name = "holdId", .type = FIELD_ID, .kind = ID_HOLD, .flags = FIELD_REQUIRED,
	  .description = "The hold" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Release only this much (single-line holds); default: all" },
	{ .name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 500,
	  .description = "Why" },
	FIELDS_END
};

/* ---- ledger helpers, shared with recalls.c and expiry.c ---- */

/* A whole-number body field; returns 1 and sets *out when it is present. */
int holds_body_int(struct req *r, const char *name, int64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(r->json, name, &v) || !v)
		return 0;
	*out = json_object_get_int64(v);
	return 1;
}

const char *holds_actor(const struct req *r)
{
	const char *a = api_actor(r);

	return a ? a : "system";
}

/* The workspace's ledger rules. Returns 0 or the status of the error set. */
int holds_read_settings(struct req *r, struct ledger_settings *s)
{
	if (ledger_settings_read(r->db, r->pool, api_ws(r), s) != LEDGER_OK)
		return req_internal_error(r, "ledger settings");
	return 0;
}

/* Posts e for the request's workspace and actor. Returns 0 or the status
 * of the error set (409 Insufficient stock when the ledger refuses). */
int holds_post(struct req *r, struct ledger_entry *e, struct ledger_result *out)
{
	enum ledger_status st;

	e->workspace_id = api_ws(r);
	e->actor = holds_actor(r);
	st = ledger_post(r->db, r->pool, e, out);
	return st == LEDGER_OK ? 0 : api_ledger_error(r, st);
}

/* Runs sql (its first column an id) and returns the ids from the pool.
 * Returns 0 or the status of the error set. */
int holds_query_ids(struct req *r, const char *sql, const struct db_arg *args, size_t nargs,
		    int64_t **ids, size_t *n)
{
	struct db_result res;
	size_t i;

	if (db_query(r->db, r->pool, sql, args, nargs, &res))
		return req_internal_error(r, "ids");
	*ids = pool_calloc(r->pool, res.nrows ? res.nrows : 1, sizeof(**ids));
	for (i = 0; i < res.nrows; i++)
		(*ids)[i] = db_cell_int(&res, i, 0);
	*n = res.nrows;
	return 0;
}

/* Locks the stock lines ids[0..n) in ascending id order. */
int holds_lock_lines(struct req *r, int64_t *ids, size_t n)
{
	enum ledger_status st = ledger_lock_lines(r->db, r->pool, api_ws(r), ids, n);

	return st == LEDGER_OK ? 0 : api_ledger_error(r, st);
}

/* ---- holds ---- */

/* A hold's own columns; hold_answer adds the members its lines give. */
#define HOLD_COLUMNS \
	{ .name = "id", .column = "h.id", .type = FIELD_ID, .kind = ID_HOLD }, \
	{ .name = "status", .column = "h.status", .type = FIELD_STRING, .values = hold_statuses }, \
	{ .name = "reason", .column = "h.reason", .type = FIELD_STRING }, \
	{ .name = "lotId", .column = "h.lot_id", .type = FIELD_ID, .kind = ID_LOT, \
	  .flags = FIELD_NULLABLE, .description = "The lot, for a hold of a whole lot" }, \
	{ .name = "createdBy", .column = "h.created_by", .type = FIELD_STRING }, \
	{ .name = "createdAt", .column = "h.created_at", .type = FIELD_DATETIME }, \
	{ .name = "releasedBy", .column = "h.released_by", .type = FIELD_STRING, .flags = FIELD_NULLABLE }, \
	{ .name = "releasedAt", .column = "h.released_at", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE }, \
	{ .name = "releaseReason", .column = "h.release_reason", .type = FIELD_STRING, \
	  .flags = FIELD_NULLABLE },

static const struct field hold_columns[] = {
	HOLD_COLUMNS
	FIELDS_END
};

/* A hold line; the query adds the hold's id after these columns. */
static const struct field hold_line_columns[] = {
	{ .name = "inventoryItemId", .column = "stock_line_id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "quantity", .column = "quantity", .type = FIELD_INTEGER },
	{ .name = "releasedQuantity", .column = "released_quantity", .type = FIELD_INTEGER },
	FIELDS_END
};

enum { HL_QUANTITY = 1, HL_RELEASED, HL_HOLD };

_Static_assert(ARRAY_SIZE(hold_line_columns) == HL_HOLD + 1,
	       "the hold's id comes right after the line's columns");

/* A hold as every holds route answers it. */
const struct field hold_answer[] = {
	HOLD_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = hold_line_columns,
	  .description = "One per stock line held, in the order they were held" },
	{ .name = "totalQuantity", .type = FIELD_INTEGER, .description = "The sum of the lines' quantity" },
	{ .name = "releasedQuantity", .type = FIELD_INTEGER,
	  .description = "The sum of the lines' releasedQuantity" },
	FIELDS_END
};

#define HOLD_FROM " FROM inventory_holds h WHERE h.workspace_id = ?"

/* Hold ids bound per query: a page holds at most 100 holds, and a
 * statement binds at most 128 values, so a page's lines are one query. */
#define HOLDS_PER_QUERY 100

/* The lines of the holds in rows [start, end) of holds (in ascending id
 * order), in hold id order. Returns 0 or the status of the error set. */
static int hold_lines_read(struct req *r, const struct db_result *holds, size_t start,
			   size_t end, struct db_result *lines)
{
	struct query q;
	size_t i;

	query_init(&q, r->pool, api_select(hold_line_columns));
	query_add(&q, ", hold_id FROM inventory_hold_lines WHERE workspace_id = ? AND hold_id IN (");
	query_arg(&q, ARG_INT(api_ws(r)));
	for (i = start; i < end; i++)
		query_bind(&q, i > start ? ", ?" : "?", ARG_INT(db_cell_int(holds, i, 0)));
	query_add(&q, ") ORDER BY hold_id, id");
	if (query_run(&q, r->db, lines))
		return req_internal_error(r, "hold lines");
	return 0;
}

/*
 * Writes row i of holds with its lines: those of lines from *cur on whose
 * hold it is (lines come in hold id order, as the holds do).
 */
static void hold_write(struct jw *w, const struct db_result *holds, size_t i,
		       const struct db_result *lines, size_t *cur)
{
	int64_t id = db_cell_int(holds, i, 0), total = 0, released = 0;

	jw_open(w, '{');
	api_write_members(w, holds, i, hold_columns);
	jw_key(w, "lines");
	jw_open(w, '[');
	for (; *cur < lines->nrows && db_cell_int(lines, *cur, HL_HOLD) == id; (*cur)++) {
		api_write_row(w, lines, *cur, hold_line_columns);
		total += db_cell_int(lines, *cur, HL_QUANTITY);
		released += db_cell_int(lines, *cur, HL_RELEASED);
	}
	jw_close(w, ']');
	jw_kint(w, "totalQuantity", total);
	jw_kint(w, "releasedQuantity", released);
	jw_close(w, '}');
}

/*
 * Writes the holds rows of res as an array, their lines read HOLDS_PER_QUERY
 * holds at a time. Returns 0 or the status of the error set.
 */
static int holds_write(struct req *r, struct jw *w, const struct db_result *holds)
{
	size_t start, i;
	int status;

	jw_open(w, '[');
	for (start = 0; start < holds->nrows; start += HOLDS_PER_QUERY) {
		size_t end = holds->nrows - start > HOLDS_PER_QUERY ? start + HOLDS_PER_QUERY
								    : holds->nrows;
		struct db_result lines;
		size_t cur = 0;

		if ((status = hold_lines_read(r, holds, start, end, &lines)))
			return status;
		for (i = start; i < end; i++)
			hold_write(w, holds, i, &lines, &cur);
	}
	jw_close(w, ']');
	return 0;
}

/* Answers status with hold id and its lines. */
static int hold_respond(struct req *r, int status, int64_t id)
{
	struct db_result hold, lines;
	struct query q;
	struct jw w;
	size_t cur = 0;
	int ret;

	query_init(&q, r->pool, api_select(hold_columns));
	query_add(&q, HOLD_FROM);
	query_arg(&q, ARG_INT(api_ws(r)));
	query_bind(&q, " AND h.id = ?", ARG_INT(id));
	if (query_run(&q, r->db, &hold) || hold.nrows != 1)
		return req_internal_error(r, "read hold");
	if ((ret = hold_lines_read(r, &hold, 0, 1, &lines)))
		return ret;
	jw_init(&w, r->pool);
	hold_write(&w, &hold, 0, &lines, &cur);
	return req_respond_jw(r, status, &w);
}

static int hold_insert(struct req *r, int64_t lot, const char *reason, int64_t *id)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "INSERT INTO inventory_holds (workspace_id, lot_id, reason, created_by)"
		     " VALUES (?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_ID(lot), ARG_TEXT(reason), ARG_TEXT(holds_actor(r))),
		     &res))
		return api_db_error(r, "insert hold");
	*id = (int64_t)res.insert_id;
	return 0;
}

/* Holds qty of line: the hold, its transaction and its one hold line. */
static int hold_add_line(struct req *r, const struct ledger_settings *s, int64_t hold,
			 int64_t line, int64_t qty, const char *reason)
{
	struct ledger_entry e = {
		.line_id = line, .type = "HOLD", .comment = reason, .reference_type = "HOLD",
		.reference_id = id_format(r->pool, ID_HOLD, hold), .allow_negative = s->allow_negative,
	};
	int status;

	e.delta[B_ON_HOLD] = qty;
	if ((status = holds_post(r, &e, NULL)))
		return status;
	if (db_query(r->db, r->pool,
		     "INSERT INTO inventory_hold_lines (workspace_id, hold_id, stock_line_id, quantity)"
		     " VALUES (?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(hold), ARG_INT(line), ARG_INT(qty)), NULL))
		return api_db_error(r, "insert hold line");
	return 0;
}

/* A hold of the whole available stock of a lot; the lot becomes ON_HOLD. */
static int hold_lot(struct req *r, const struct ledger_settings *s, int64_t lot,
		    const char *reason, int64_t *hold)
{
	struct db_result res;
	int64_t *ids;
	size_t n, i;
	int status;

	/* The lot is locked before its lines, as recalls and expiry do. */
	if (db_query(r->db, r->pool,
		     "SELECT lt.status, " SQL_LOT_EXPIRED("lt") " IS TRUE FROM lots lt"
		     " WHERE lt.workspace_id = ? AND lt.id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), &res))
		return req_internal_error(r, "lot");
	if (res.nrows == 0)
		return api_not_found(r, ID_LOT);
	if (!strcmp(db_cell(&res, 0, 0), "RECALLED"))
		return req_error(r, 409, "Conflict", "the lot is RECALLED");
	if (db_cell_int(&res, 0, 1))
		return req_error(r, 409, "Conflict", "the lot is EXPIRED");
	if ((status = holds_query_ids(r, "SELECT id FROM stock_lines"
				      " WHERE workspace_id = ? AND lot_id = ? ORDER BY id",
				      DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), &ids, &n)) ||
	    (status = holds_lock_lines(r, ids, n)) ||
	    (status = hold_insert(r, lot, reason, hold)))
		return status;
	for (i = 0; i < n; i++) {
		struct ledger_line line;
		enum ledger_status st = ledger_line_read(r->db, r->pool, api_ws(r), ids[i], 1, &line);
		int64_t avail;

		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		avail = ledger_available(line.qty);
		if (avail > 0 && (status = hold_add_line(r, s, *hold, ids[i], avail, reason)))
			return status;
	}
	if (db_query(r->db, r->pool, "UPDATE lots SET status = 'ON_HOLD' WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), NULL))
		return req_internal_error(r, "lot status");
	return 0;
}

int hold_create(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), lot = api_body_id(r, "lotId", ID_LOT);
	const char *reason = api_body_string(r, "reason"), *refusal;
	struct ledger_settings s;
	struct ledger_line line;
	enum ledger_status st;
	int64_t qty = 0, hold = 0;
	int has_qty = holds_body_int(r, "quantity", &qty), status;

	if (item && lot)
		return req_field_error(r, "lotId", "give either inventoryItemId or lotId, not both");
	if (!item && !lot)
		return req_field_error(r, "inventoryItemId", "inventoryItemId or lotId is required");
	if (item && !has_qty)
		return req_field_error(r, "quantity", "is required with inventoryItemId");
	if (item && qty < 1)
		return req_field_error(r, "quantity", "must be at least 1");
	if (lot && has_qty)
		return req_field_error(r, "quantity", "is not taken with lotId: a lot hold holds all available stock");
	if ((status = holds_read_settings(r, &s)))
		return status;
	if (lot) {
		status = hold_lot(r, &s, lot, reason, &hold);
	} else {
		st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		/* An unusable lot has nothing available to hold. */
		if ((status = api_lot_refusal(r, line.lot_id, &refusal)))
			return status;
		if (refusal)
			return req_error(r, 409, "Conflict", refusal);
		/* Inserted first so that the transaction can name it. */
		if (!(status = hold_insert(r, 0, reason, &hold)))
			status = hold_add_line(r, &s, hold, item, qty, reason);
	}
	return status ? status : hold_respond(r, 201, hold);
}

int hold_release(struct req *r)
{
	int64_t id = api_body_id(r, "holdId", ID_HOLD), qty = 0, lot = 0, remaining = 0;
	int has_qty = holds_body_int(r, "quantity", &qty), status;
	const char *reason = api_body_string(r, "reason");
	const char *ref = id_format(r->pool, ID_HOLD, id);
	struct ledger_settings s;
	struct db_result res, lines;
	int64_t *ids;
	size_t n, i;

	if (db_query(r->db, r->pool, "SELECT lot_id FROM inventory_holds WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return req_internal_error(r, "hold");
	if (res.nrows == 0)
		return api_not_found(r, ID_HOLD);
	lot = db_cell(&res, 0, 0) ? db_cell_int(&res, 0, 0) : 0;
	if (has_qty && lot)
		return req_field_error(r, "quantity", "a lot hold is released whole");
	if (has_qty && qty < 1)
		return req_field_error(r, "quantity", "must be at least 1");
	if ((status = holds_read_settings(r, &s)))
		return status;
	/* Locks in the order every change here takes them: the lot, its stock
	 * lines, then the hold. A hold's set of lines never changes. */
	if (lot && db_query(r->db, r->pool, "SELECT id FROM lots WHERE workspace_id = ? AND id = ? FOR UPDATE",
			    DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), NULL))
		return req_internal_error(r, "lot");
	if ((status = holds_query_ids(r, "SELECT stock_line_id FROM inventory_hold_lines"
				" WHERE workspace_id = ? AND hold_id = ?",
				DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &ids, &n)) ||
	    (status = holds_lock_lines(r, ids, n)))
		return status;
	if (db_query(r->db, r->pool,
		     "SELECT status FROM inventory_holds WHERE workspace_id = ? AND id = ? FOR UPDATE",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res) || res.nrows != 1)
		return req_internal_error(r, "hold");
	if (!strcmp(db_cell(&res, 0, 0), "RELEASED"))
		return req_error(r, 409, "Conflict", "the hold is already released");
	if (db_query(r->db, r->pool,
		     "SELECT id, stock_line_id, quantity - released_quantity FROM inventory_hold_lines"
		     " WHERE workspace_id = ? AND hold_id = ? ORDER BY stock_line_id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "hold lines");
	for (i = 0; i < lines.nrows; i++)
		remaining += db_cell_int(&lines, i, 2);
	if (has_qty && lines.nrows != 1)
		return req_field_error(r, "quantity", "only a single-line hold is released in part");
	if (has_qty && qty > remaining)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "only %lld of the hold is still held", (long long)remaining));
	for (i = 0; i < lines.nrows; i++) {
		int64_t part = has_qty ? qty : db_cell_int(&lines, i, 2);
		struct ledger_entry e = {
			.line_id = db_cell_int(&lines, i, 1), .type = "HOLD_RELEASE", .comment = reason,
			.reference_type = "HOLD", .reference_id = ref, .allow_negative = s.allow_negative,
		};

		if (part <= 0)
			continue;
		e.delta[B_ON_HOLD] = -part;
		if ((status = holds_post(r, &e, NULL)))
			return status;
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_hold_lines SET released_quantity = released_quantity + ?"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(part), ARG_INT(api_ws(r)), ARG_INT(db_cell_int(&lines, i, 0))), NULL))
			return req_internal_error(r, "hold line");
	}
	if (!has_qty || qty == remaining) {
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_holds SET status = 'RELEASED', released_by = ?,"
			     " released_at = CURRENT_TIMESTAMP(3), release_reason = ?"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_TEXT(holds_actor(r)), ARG_TEXT(reason), ARG_INT(api_ws(r)), ARG_INT(id)),
			     NULL))
			return req_internal_error(r, "release hold");
		/* The lot is usable again unless another hold of it is active. */
		if (lot && db_query(r->db, r->pool,
				    "UPDATE lots SET status = 'ACTIVE' WHERE workspace_id = ? AND id = ?"
				    " AND status = 'ON_HOLD' AND NOT EXISTS (SELECT 1 FROM inventory_holds"
				    " WHERE workspace_id = ? AND lot_id = ? AND status = 'ACTIVE')",
				    DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot), ARG_INT(api_ws(r)), ARG_INT(lot)),
				    NULL))
			return req_internal_error(r, "lot status");
	}
	return hold_respond(r, 200, id);
}

/* Holds' filters go through their lines: a lot hold has one per stock line. */
#define HOLD_HAS_LINE \
	" AND EXISTS (SELECT 1 FROM inventory_hold_lines hl JOIN stock_lines sl" \
	" ON sl.id = hl.stock_line_id AND sl.workspace_id = hl.workspace_id" \
	" WHERE hl.workspace_id = h.workspace_id AND hl.hold_id = h.id AND "

static const struct {
	const char *param;
	enum id_kind kind;
	const char *sql;
	int binds;
} hold_filters[] = {
	{ "status", ID_NONE, " AND h.status = ?", 1 },
	{ "inventoryItemId", ID_ITEM, HOLD_HAS_LINE "hl.stock_line_id = ?)", 1 },
	{ "productMasterId", ID_PRODUCT, HOLD_HAS_LINE "sl.product_id = ?)", 1 },
	{ "locationId", ID_LOCATION, HOLD_HAS_LINE "sl.location_id = ?)", 1 },
	/* A lot hold that found no stock still belongs to its lot. */
	{ "lotId", ID_LOT, " AND (h.lot_id = ? OR EXISTS (SELECT 1 FROM inventory_hold_lines hl"
	  " JOIN stock_lines sl ON sl.id = hl.stock_line_id AND sl.workspace_id = hl.workspace_id"
	  " WHERE hl.workspace_id = h.workspace_id AND hl.hold_id = h.id AND sl.lot_id = ?))", 2 },
};

int holds_list(struct req *r)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*)" HOLD_FROM,
		.rows_sql = HOLD_FROM,
		.rows_tail = " ORDER BY h.id LIMIT ? OFFSET ?",
		.columns = hold_columns,
	};
	struct db_result count, rows;
	struct query where;
	int64_t page, limit;
	struct jw w;
	size_t i;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		goto out;
	api_where_init(r, &where);
	for (i = 0; i < ARRAY_SIZE(hold_filters); i++) {
		const char *v = req_query(r, hold_filters[i].param);
		int b;

		if (!v || !*v)
			continue;
		query_add(&where, hold_filters[i].sql);
		for (b = 0; b < hold_filters[i].binds; b++)
			query_arg(&where, hold_filters[i].kind == ID_NONE ? ARG_TEXT(v)
				  : ARG_INT(id_parse(hold_filters[i].kind, v)));
	}
	if ((status = api_list_run(r, &list, &where, limit, (page - 1) * limit, &count, &rows)))
		goto out;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "items");
	if ((status = holds_write(r, &w, &rows)))
		goto out;
	api_write_pagination(&w, page, limit, db_cell_int(&count, 0, 0));
	jw_close(&w, '}');
	status = req_respond_jw(r, 200, &w);
out:
	return status;
}
