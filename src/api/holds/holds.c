/*
 * Holds, recalls and expired stock. A hold moves available stock to the
 * on-hold bucket; a recalled lot's stock moves to the recalled bucket;
 * expired stock moves to the expired bucket, and from there is consumed or
 * sent to a destruction location. All through the ledger.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
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

const struct field expired_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_MATCH,
	  .description = "Filter by location" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_MATCH,
	  .description = "Filter by product" },
	{ .name = "asOf", .type = FIELD_DATE, .description = "Expired on or before this date (default: today)" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
	FIELDS_END
};

const struct field mark_expired_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .description = "One stock line" },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .description = "Every stock line of a lot" },
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION,
	  .description = "Every stock line of an expired lot at this location" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

const struct field mark_consumed_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_REQUIRED,
	  .description = "The stock line" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Expired quantity consumed (default: all of it)" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE, .description = "Reason code" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

const struct field transfer_destruction_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM, .flags = FIELD_REQUIRED,
	  .description = "The stock line holding expired stock" },
	{ .name = "destinationLocationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .description = "A destruction location (isDestruction)" },
	{ .name = "quantity", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "Expired quantity to send (default: all of it)" },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 1000,
	  .description = "Optional comment" },
	FIELDS_END
};

/* ---- shared helpers ---- */

/* A whole-number body field; returns 1 and sets *out when it is present. */
static int body_int(struct req *r, const char *name, int64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(r->json, name, &v) || !v)
		return 0;
	*out = json_object_get_int64(v);
	return 1;
}

static const char *actor_of(const struct req *r)
{
	const char *a = api_actor(r);

	return a ? a : "system";
}

/* The workspace's ledger rules. Returns 0 or the status of the error set. */
static int read_settings(struct req *r, struct ledger_settings *s)
{
	if (ledger_settings_read(r->db, r->pool, api_ws(r), s) != LEDGER_OK)
		return req_internal_error(r, "ledger settings");
	return 0;
}

/* Posts e for the request's workspace and actor. Returns 0 or the status
 * of the error set (409 Insufficient stock when the ledger refuses). */
static int post(struct req *r, struct ledger_entry *e, struct ledger_result *out)
{
	enum ledger_status st;

	e->workspace_id = api_ws(r);
	e->actor = actor_of(r);
	st = ledger_post(r->db, r->pool, e, out);
	return st == LEDGER_OK ? 0 : api_ledger_error(r, st);
}

/* Runs sql (its first column an id) and returns the ids from the pool.
 * Returns 0 or the status of the error set. */
static int query_ids(struct req *r, const char *sql, const struct db_arg *args, size_t nargs,
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
static int lock_lines(struct req *r, int64_t *ids, size_t n)
{
	enum ledger_status st = ledger_lock_lines(r->db, r->pool, api_ws(r), ids, n);

	return st == LEDGER_OK ? 0 : api_ledger_error(r, st);
}

/* A line's quantities; lot_refusal is api_lot_refusal of its lot. */
static json_object *qty_json(struct req *r, int64_t line_id, const int64_t q[B__MAX],
			     const char *lot_refusal)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id_format(r->pool, ID_ITEM, line_id)));
	json_object_object_add(o, "qtyOnHand", json_object_new_int64(q[B_ON_HAND]));
	json_object_object_add(o, "qtyExpired", json_object_new_int64(q[B_EXPIRED]));
	json_object_object_add(o, "qtyAvailable", json_object_new_int64(api_available(ledger_available(q), lot_refusal)));
	return o;
}

/* ---- holds ---- */

enum hold_col { H_ID, H_STATUS, H_REASON, H_LOT, H_CREATED_BY, H_CREATED, H_RELEASED_BY,
		H_RELEASED, H_RELEASE_REASON };

#define HOLD_SELECT \
	"SELECT h.id, h.status, h.reason, h.lot_id, h.created_by, " SQL_ISO("h.created_at") "," \
	" h.released_by, " SQL_ISO("h.released_at") ", h.release_reason" \
	" FROM inventory_holds h WHERE h.workspace_id = ?"

/* A hold without its lines (hold_lines_attach adds them). */
static json_object *hold_json(struct req *r, const struct db_result *res, size_t i, const void *ctx)
{
	json_object *o = json_object_new_object();

	(void)ctx;
	json_object_object_add(o, "id", api_cell_id(r, res, i, H_ID, ID_HOLD));
	json_object_object_add(o, "status", api_cell_string(res, i, H_STATUS));
	json_object_object_add(o, "reason", api_cell_string(res, i, H_REASON));
	json_object_object_add(o, "lotId", api_cell_id(r, res, i, H_LOT, ID_LOT));
	json_object_object_add(o, "createdBy", api_cell_string(res, i, H_CREATED_BY));
	json_object_object_add(o, "createdAt", api_cell_string(res, i, H_CREATED));
	json_object_object_add(o, "releasedBy", api_cell_string(res, i, H_RELEASED_BY));
	json_object_object_add(o, "releasedAt", api_cell_string(res, i, H_RELEASED));
	json_object_object_add(o, "releaseReason", api_cell_string(res, i, H_RELEASE_REASON));
	return o;
}

/* Hold ids bound per query: a page holds at most 100 holds, and a
 * statement binds at most 128 values, so a page's lines are one query. */
#define HOLDS_PER_QUERY 100

/*
 * Adds "lines", "totalQuantity" and "releasedQuantity" to the holds
 * holds[0..n), which are in ascending id order. The lines of up to
 * HOLDS_PER_QUERY holds come in one query. Returns 0 or the status set.
 */
static int hold_lines_attach(struct req *r, json_object **holds, size_t n)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_arg args[HOLDS_PER_QUERY + 1];
	int64_t *ids, *total, *released;
	json_object **lines;
	size_t start, i;
	int status = 0;

	if (n == 0)
		return 0;
	ids = pool_calloc(r->pool, n, sizeof(*ids));
	total = pool_calloc(r->pool, n, sizeof(*total));
	released = pool_calloc(r->pool, n, sizeof(*released));
	lines = pool_calloc(r->pool, n, sizeof(*lines));
	for (i = 0; i < n; i++) {
		json_object *id;

		json_object_object_get_ex(holds[i], "id", &id);
		ids[i] = id_parse(ID_HOLD, json_object_get_string(id));
		lines[i] = json_object_new_array();
		json_object_object_add(holds[i], "lines", lines[i]);  /* the hold owns it */
	}
	for (start = 0; start < n; start += HOLDS_PER_QUERY) {
		size_t end = n - start > HOLDS_PER_QUERY ? start + HOLDS_PER_QUERY : n;
		size_t nargs = 0, cur = start, row;
		struct db_result res;

		strbuf_reset(&sql);
		strbuf_adds(&sql, "SELECT hold_id, stock_line_id, quantity, released_quantity"
			    " FROM inventory_hold_lines WHERE workspace_id = ? AND hold_id IN (");
		args[nargs++] = ARG_INT(api_ws(r));
		for (i = start; i < end; i++) {
			strbuf_adds(&sql, i > start ? ", ?" : "?");
			args[nargs++] = ARG_INT(ids[i]);
		}
		strbuf_adds(&sql, ") ORDER BY hold_id, id");
		if (db_query(r->db, r->pool, sql.buf, args, nargs, &res)) {
			status = req_internal_error(r, "hold lines");
			goto out;
		}
		/* Rows come in hold id order, as the holds do. */
		for (row = 0; row < res.nrows; row++) {
			int64_t hold = db_cell_int(&res, row, 0);
			json_object *line = json_object_new_object();

			while (cur < end - 1 && ids[cur] != hold)
				cur++;
			json_object_object_add(line, "inventoryItemId", api_cell_id(r, &res, row, 1, ID_ITEM));
			json_object_object_add(line, "quantity", api_cell_int(&res, row, 2));
			json_object_object_add(line, "releasedQuantity", api_cell_int(&res, row, 3));
			json_object_array_add(lines[cur], line);
			total[cur] += db_cell_int(&res, row, 2);
			released[cur] += db_cell_int(&res, row, 3);
		}
	}
	for (i = 0; i < n; i++) {
		json_object_object_add(holds[i], "totalQuantity", json_object_new_int64(total[i]));
		json_object_object_add(holds[i], "releasedQuantity", json_object_new_int64(released[i]));
	}
out:
	strbuf_release(&sql);
	return status;
}

/* Answers status with hold id and its lines. */
static int hold_respond(struct req *r, int status, int64_t id)
{
	struct db_result res;
	json_object *hold;
	int ret;

	if (db_query(r->db, r->pool, HOLD_SELECT " AND h.id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res) || res.nrows != 1)
		return req_internal_error(r, "read hold");
	hold = hold_json(r, &res, 0, NULL);
	if ((ret = hold_lines_attach(r, &hold, 1))) {
		json_object_put(hold);
		return ret;
	}
	return req_respond(r, status, hold);
}

static int hold_insert(struct req *r, int64_t lot, const char *reason, int64_t *id)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "INSERT INTO inventory_holds (workspace_id, lot_id, reason, created_by)"
		     " VALUES (?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_ID(lot), ARG_TEXT(reason), ARG_TEXT(actor_of(r))),
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
	if ((status = post(r, &e, NULL)))
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
	if ((status = query_ids(r, "SELECT id FROM stock_lines WHERE workspace_id = ? AND lot_id = ? ORDER BY id",
				DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), &ids, &n)) ||
	    (status = lock_lines(r, ids, n)) ||
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
	int has_qty = body_int(r, "quantity", &qty), status;

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
	if ((status = read_settings(r, &s)))
		return status;
	if (lot) {
		status = hold_lot(r, &s, lot, reason, &hold);
	} else {
		st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line);
		if (st != LEDGER_OK)
			return api_ledger_error(r, st);
		/* An unusable lot has nothing available to hold. */
		refusal = api_lot_refusal(r, line.lot_id);
		if (refusal)
			return *refusal ? req_error(r, 409, "Conflict", refusal)
					: req_internal_error(r, "lot status");
		/* Inserted first so that the transaction can name it. */
		if (!(status = hold_insert(r, 0, reason, &hold)))
			status = hold_add_line(r, &s, hold, item, qty, reason);
	}
	return status ? status : hold_respond(r, 201, hold);
}

int hold_release(struct req *r)
{
	int64_t id = api_body_id(r, "holdId", ID_HOLD), qty = 0, lot = 0, remaining = 0;
	int has_qty = body_int(r, "quantity", &qty), status;
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
	if ((status = read_settings(r, &s)))
		return status;
	/* Locks in the order every change here takes them: the lot, its stock
	 * lines, then the hold. A hold's set of lines never changes. */
	if (lot && db_query(r->db, r->pool, "SELECT id FROM lots WHERE workspace_id = ? AND id = ? FOR UPDATE",
			    DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), NULL))
		return req_internal_error(r, "lot");
	if ((status = query_ids(r, "SELECT stock_line_id FROM inventory_hold_lines"
				" WHERE workspace_id = ? AND hold_id = ?",
				DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &ids, &n)) ||
	    (status = lock_lines(r, ids, n)))
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
		if ((status = post(r, &e, NULL)))
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
			     DB_ARGS(ARG_TEXT(actor_of(r)), ARG_TEXT(reason), ARG_INT(api_ws(r)), ARG_INT(id)),
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
	struct strbuf where = STRBUF_INIT, sql = STRBUF_INIT, count = STRBUF_INIT;
	struct db_arg args[2 * ARRAY_SIZE(hold_filters) + 3];
	json_object *items, **holds;
	int64_t page, limit;
	size_t n = 0, i, k;
	int status, ret;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		goto out;
	args[n++] = ARG_INT(api_ws(r));
	for (i = 0; i < ARRAY_SIZE(hold_filters); i++) {
		const char *v = req_query(r, hold_filters[i].param);
		int b;

		if (!v || !*v)
			continue;
		strbuf_adds(&where, hold_filters[i].sql);
		for (b = 0; b < hold_filters[i].binds; b++)
			args[n++] = hold_filters[i].kind == ID_NONE ? ARG_TEXT(v)
				    : ARG_INT(id_parse(hold_filters[i].kind, v));
	}
	strbuf_addf(&count, "SELECT COUNT(*) FROM inventory_holds h WHERE h.workspace_id = ?%s", where.buf);
	/* HOLD_SELECT holds '%' of DATE_FORMAT: appended, not a format. */
	strbuf_adds(&sql, HOLD_SELECT);
	strbuf_adds(&sql, where.buf);
	strbuf_adds(&sql, " ORDER BY h.id LIMIT ? OFFSET ?");
	status = api_list_page(r, count.buf, sql.buf, args, n, page, limit, hold_json, NULL);
	if (status != 200 || !json_object_object_get_ex(r->resp, "items", &items))
		goto out;
	/* Then the lines of the page's holds, in one query per HOLDS_PER_QUERY. */
	k = json_object_array_length(items);
	holds = pool_calloc(r->pool, k ? k : 1, sizeof(*holds));
	for (i = 0; i < k; i++)
		holds[i] = json_object_array_get_idx(items, i);
	if ((ret = hold_lines_attach(r, holds, k)))
		status = ret;
out:
	strbuf_release(&where);
	strbuf_release(&sql);
	strbuf_release(&count);
	return status;
}

/* ---- recalls and expiry: sweeping stock into a bucket ---- */

/*
 * Which stock lines a sweep touches: a condition on sl (the stock line)
 * and lt (its lot) with one placeholder. Fixed text, never input.
 */
static const char scope_line[] = "sl.id = ?";
static const char scope_lot[] = "sl.lot_id = ?";
static const char scope_location[] =
	"sl.location_id = ? AND " SQL_LOT_EXPIRED("lt");

enum sweep { SWEEP_RECALL, SWEEP_RECALL_RELEASE, SWEEP_EXPIRE };

static int64_t at_least_zero(int64_t x)
{
	return x > 0 ? x : 0;
}

/*
 * The change a sweep makes to a line with quantities q. Recall and expiry
 * move everything neither recalled, expired nor picked into their bucket
 * and take back reservations and holds, so available ends at 0 and the
 * buckets stay parts of on hand. Returns 1 when there is a change.
 */
static int sweep_delta(enum sweep kind, const int64_t q[B__MAX], int64_t d[B__MAX])
{
	int64_t rest = at_least_zero(q[B_ON_HAND] - q[B_RECALLED] - q[B_EXPIRED] - q[B_PICKED]);
	int i;

	for (i = 0; i < B__MAX; i++)
		d[i] = 0;
	if (kind == SWEEP_RECALL_RELEASE) {
		d[B_RECALLED] = -q[B_RECALLED];
	} else {
		d[kind == SWEEP_RECALL ? B_RECALLED : B_EXPIRED] = rest;
		d[B_RESERVED] = -q[B_RESERVED];
		d[B_ON_HOLD] = -q[B_ON_HOLD];
	}
	for (i = 0; i < B__MAX; i++)
		if (d[i])
			return 1;
	return 0;
}

/*
 * Ends the active holds on the lines of the scope: their lines there count
 * as released (the sweep's transaction takes the held stock back), and a
 * hold with nothing left held is RELEASED with why. The caller holds the
 * lines' locks, so no hold of them can change meanwhile.
 */
static int holds_take_back(struct req *r, const char *scope, int64_t arg, const char *why)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_result res;
	size_t i;
	int status = 0;

	strbuf_addf(&sql, "SELECT hl.id, hl.hold_id FROM inventory_hold_lines hl"
		    " JOIN inventory_holds h ON h.id = hl.hold_id AND h.workspace_id = hl.workspace_id"
		    " JOIN stock_lines sl ON sl.id = hl.stock_line_id AND sl.workspace_id = hl.workspace_id"
		    " JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
		    " WHERE hl.workspace_id = ? AND h.status = 'ACTIVE'"
		    " AND hl.released_quantity < hl.quantity AND %s ORDER BY hl.hold_id, hl.id", scope);
	if (db_query(r->db, r->pool, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(arg)), &res)) {
		status = req_internal_error(r, "held lines");
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_hold_lines SET released_quantity = quantity"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(db_cell_int(&res, i, 0))), NULL)) {
			status = req_internal_error(r, "hold line");
			goto out;
		}
		if (i + 1 < res.nrows && db_cell_int(&res, i + 1, 1) == db_cell_int(&res, i, 1))
			continue;
		/* The last line of this hold in the scope: is anything left held? */
		if (db_query(r->db, r->pool,
			     "UPDATE inventory_holds SET status = 'RELEASED', released_by = ?,"
			     " released_at = CURRENT_TIMESTAMP(3), release_reason = ?"
			     " WHERE workspace_id = ? AND id = ? AND status = 'ACTIVE' AND NOT EXISTS"
			     " (SELECT 1 FROM inventory_hold_lines WHERE workspace_id = ? AND hold_id = ?"
			     " AND released_quantity < quantity)",
			     DB_ARGS(ARG_TEXT(actor_of(r)), ARG_TEXT(why), ARG_INT(api_ws(r)),
				     ARG_INT(db_cell_int(&res, i, 1)), ARG_INT(api_ws(r)),
				     ARG_INT(db_cell_int(&res, i, 1))), NULL)) {
			status = req_internal_error(r, "release hold");
			goto out;
		}
	}
out:
	strbuf_release(&sql);
	return status;
}

struct sweep_out {
	json_object *items;     /* [{inventoryItemId, quantityMarked}] or NULL */
	int64_t lines, quantity;
};

/*
 * Sweeps the stock lines of the scope (which have lots): locks them in id
 * order, ends the holds on them and posts one forced transaction of type
 * per line that changes. Returns 0 or the status of the error set.
 */
static int sweep_lines(struct req *r, enum sweep kind, const char *scope, int64_t arg,
		       const char *type, const char *comment, struct sweep_out *out)
{
	struct strbuf sql = STRBUF_INIT;
	struct ledger_settings s;
	int64_t *ids;
	size_t n, i;
	int status;

	strbuf_addf(&sql, "SELECT sl.id FROM stock_lines sl"
		    " JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
		    " WHERE sl.workspace_id = ? AND %s ORDER BY sl.id", scope);
	if ((status = read_settings(r, &s)) ||
	    (status = query_ids(r, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(arg)), &ids, &n)) ||
	    (status = lock_lines(r, ids, n)))
		goto out;
	if (kind != SWEEP_RECALL_RELEASE &&
	    (status = holds_take_back(r, scope, arg,
				      kind == SWEEP_RECALL ? "lot recalled" : "stock expired")))
		goto out;
	for (i = 0; i < n; i++) {
		struct ledger_line line;
		struct ledger_entry e = {
			.line_id = ids[i], .type = type, .comment = comment, .reference_type = "LOT",
			.allow_negative = s.allow_negative, .force = 1,
		};
		enum ledger_status st = ledger_line_read(r->db, r->pool, api_ws(r), ids[i], 1, &line);

		if (st != LEDGER_OK) {
			status = api_ledger_error(r, st);
			goto out;
		}
		if (!sweep_delta(kind, line.qty, e.delta))
			continue;
		e.reference_id = id_format(r->pool, ID_LOT, line.lot_id);
		if ((status = post(r, &e, NULL)))
			goto out;
		if (out) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "inventoryItemId",
					       json_object_new_string(id_format(r->pool, ID_ITEM, ids[i])));
			json_object_object_add(o, "quantityMarked", json_object_new_int64(e.delta[B_EXPIRED]));
			json_object_array_add(out->items, o);
			out->lines++;
			out->quantity += e.delta[B_EXPIRED];
		}
	}
out:
	strbuf_release(&sql);
	return status;
}

int lot_after_update(struct req *r, int64_t id, json_object *before)
{
	struct db_result res;
	json_object *v;
	const char *was = NULL, *now;

	if (json_object_object_get_ex(before, "status", &v))
		was = json_object_get_string(v);
	if (db_query(r->db, r->pool, "SELECT status FROM lots WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res) || res.nrows != 1)
		return req_internal_error(r, "lot status");
	now = db_cell(&res, 0, 0);
	if (!was || !now || !strcmp(was, now))
		return 0;
	if (!strcmp(now, "RECALLED"))
		return sweep_lines(r, SWEEP_RECALL, scope_lot, id, "RECALL", "lot recalled", NULL);
	/* A withdrawn recall gives the stock back; other moves change no stock. */
	if (!strcmp(was, "RECALLED") && !strcmp(now, "ACTIVE"))
		return sweep_lines(r, SWEEP_RECALL_RELEASE, scope_lot, id, "RECALL_RELEASE",
				   "recall withdrawn", NULL);
	return 0;
}

/* ---- expired stock ---- */

static const struct api_filter expired_filters[] = {
	{ "locationId", ID_LOCATION, " AND sl.location_id = ?" },
	{ "productMasterId", ID_PRODUCT, " AND sl.product_id = ?" },
};

/* as_of: the asOf date, bound once (NULL: today). */
#define EXPIRED_FROM \
	" FROM stock_lines sl" \
	" JOIN lots lt ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id" \
	" JOIN (SELECT CAST(IFNULL(?, CURRENT_DATE) AS DATE) AS as_of) d"
#define EXPIRED_WHERE \
	" WHERE sl.workspace_id = ? AND sl.qty_on_hand > 0" \
	" AND (lt.expiry_date < d.as_of OR lt.status = 'EXPIRED')"

enum exp_col { X_ID, X_PRODUCT, X_PRODUCT_NAME, X_SKU, X_LOCATION, X_LOCATION_NAME, X_LOT,
	       X_LOT_NUMBER, X_LOT_STATUS, X_EXPIRY, X_DAYS, X_ON_HAND, X_EXPIRED, X_UNMARKED,
	       X_UNIT_COST, X_VALUE };

static const char expired_select[] =
	"SELECT sl.id, sl.product_id, p.name, p.global_sku, sl.location_id, l.name, sl.lot_id,"
	" lt.lot_number, lt.status, " SQL_DATE("lt.expiry_date") ","
	" GREATEST(DATEDIFF(d.as_of, lt.expiry_date), 0), sl.qty_on_hand, sl.qty_expired,"
	" sl.qty_on_hand - sl.qty_expired - sl.qty_recalled, p.unit_cost,"
	" ROUND(sl.qty_on_hand * p.unit_cost, 2)" EXPIRED_FROM
	" JOIN products p ON p.id = sl.product_id AND p.workspace_id = sl.workspace_id"
	" JOIN locations l ON l.id = sl.location_id AND l.workspace_id = sl.workspace_id"
	EXPIRED_WHERE;

static json_object *expired_json(struct req *r, const struct db_result *res, size_t i,
				 const void *ctx)
{
	json_object *o = json_object_new_object();

	(void)ctx;
	json_object_object_add(o, "id", api_cell_id(r, res, i, X_ID, ID_ITEM));
	json_object_object_add(o, "productMasterId", api_cell_id(r, res, i, X_PRODUCT, ID_PRODUCT));
	json_object_object_add(o, "productName", api_cell_string(res, i, X_PRODUCT_NAME));
	json_object_object_add(o, "globalSku", api_cell_string(res, i, X_SKU));
	json_object_object_add(o, "locationId", api_cell_id(r, res, i, X_LOCATION, ID_LOCATION));
	json_object_object_add(o, "locationName", api_cell_string(res, i, X_LOCATION_NAME));
	json_object_object_add(o, "lotId", api_cell_id(r, res, i, X_LOT, ID_LOT));
	json_object_object_add(o, "lotNumber", api_cell_string(res, i, X_LOT_NUMBER));
	json_object_object_add(o, "lotStatus", api_cell_string(res, i, X_LOT_STATUS));
	json_object_object_add(o, "expiryDate", api_cell_string(res, i, X_EXPIRY));
	json_object_object_add(o, "daysExpired", api_cell_int(res, i, X_DAYS));
	json_object_object_add(o, "qtyOnHand", api_cell_int(res, i, X_ON_HAND));
	json_object_object_add(o, "qtyExpired", api_cell_int(res, i, X_EXPIRED));
	json_object_object_add(o, "qtyUnmarked", api_cell_int(res, i, X_UNMARKED));
	json_object_object_add(o, "unitCost", api_cell_number(res, i, X_UNIT_COST));
	json_object_object_add(o, "valueAtRisk", api_cell_number(res, i, X_VALUE));
	return o;
}

int expired_list(struct req *r)
{
	struct strbuf where = STRBUF_INIT, sql = STRBUF_INIT, count = STRBUF_INIT;
	struct db_arg args[ARRAY_SIZE(expired_filters) + 4];
	const char *as_of = req_query(r, "asOf");
	int64_t page, limit;
	size_t n = 0;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		goto out;
	args[n++] = ARG_TEXT(as_of && *as_of ? as_of : NULL);
	args[n++] = ARG_INT(api_ws(r));
	api_add_filters(r, expired_filters, ARRAY_SIZE(expired_filters), &where, args, &n);
	strbuf_addf(&count, "SELECT COUNT(*)" EXPIRED_FROM EXPIRED_WHERE "%s", where.buf);
	/* Lots expired by status alone (no date) come after the dated ones. */
	strbuf_addf(&sql, "%s%s ORDER BY lt.expiry_date IS NULL, lt.expiry_date, sl.id LIMIT ? OFFSET ?",
		    expired_select, where.buf);
	status = api_list_page(r, count.buf, sql.buf, args, n, page, limit, expired_json, NULL);
out:
	strbuf_release(&where);
	strbuf_release(&sql);
	strbuf_release(&count);
	return status;
}

static int lot_is_expired(const struct db_result *res, size_t status_col, size_t past_col)
{
	const char *status = db_cell(res, 0, status_col);

	return (status && !strcmp(status, "EXPIRED")) || db_cell_int(res, 0, past_col) == 1;
}

int expired_mark(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), lot = api_body_id(r, "lotId", ID_LOT);
	int64_t location = api_body_id(r, "locationId", ID_LOCATION);
	const char *comment = api_body_string(r, "comment");
	struct sweep_out out = { NULL, 0, 0 };
	struct db_result res;
	json_object *o;
	int status;

	if ((item != 0) + (lot != 0) + (location != 0) != 1)
		return req_field_error(r, !item && !lot ? "inventoryItemId" : item && lot ? "lotId" : "locationId",
				       "give exactly one of inventoryItemId, lotId or locationId");
	if (item) {
		if (db_query(r->db, r->pool,
			     "SELECT sl.lot_id, lt.status, IFNULL(lt.expiry_date < CURRENT_DATE, 0)"
			     " FROM stock_lines sl LEFT JOIN lots lt"
			     " ON lt.id = sl.lot_id AND lt.workspace_id = sl.workspace_id"
			     " WHERE sl.workspace_id = ? AND sl.id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(item)), &res))
			return req_internal_error(r, "stock line");
		if (res.nrows == 0)
			return api_not_found(r, ID_ITEM);
		if (!db_cell(&res, 0, 0))
			return req_error(r, 409, "Conflict", "the stock line has no lot");
		if (!lot_is_expired(&res, 1, 2))
			return req_error(r, 409, "Conflict", "lot is not expired");
	} else if (lot) {
		if (db_query(r->db, r->pool,
			     "SELECT id, status, IFNULL(expiry_date < CURRENT_DATE, 0) FROM lots"
			     " WHERE workspace_id = ? AND id = ? FOR UPDATE",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), &res))
			return req_internal_error(r, "lot");
		if (res.nrows == 0)
			return api_not_found(r, ID_LOT);
		if (!lot_is_expired(&res, 1, 2))
			return req_error(r, 409, "Conflict", "lot is not expired");
		/* A recalled lot stays RECALLED: withdrawing the recall must
		 * still find it. */
		if (db_query(r->db, r->pool,
			     "UPDATE lots SET status = 'EXPIRED' WHERE workspace_id = ? AND id = ?"
			     " AND status <> 'RECALLED'",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot)), NULL))
			return req_internal_error(r, "lot status");
	}
	out.items = req_own(r, json_object_new_array());
	if ((status = sweep_lines(r, SWEEP_EXPIRE, item ? scope_line : lot ? scope_lot : scope_location,
				  item ? item : lot ? lot : location, "EXPIRE", comment, &out)))
		return status;
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "markedLines", json_object_new_int64(out.lines));
	json_object_object_add(o, "totalQuantity", json_object_new_int64(out.quantity));
	json_object_object_add(o, "items", json_object_get(out.items));
	return req_respond(r, 200, o);
}

/*
 * The quantity to take from a line's expired stock: the body's quantity
 * or all of it. Returns 0, or the status of the error set.
 */
static int expired_quantity(struct req *r, const struct ledger_line *line, int64_t *qty)
{
	int64_t expired = line->qty[B_EXPIRED];

	if (!body_int(r, "quantity", qty))
		*qty = expired;
	else if (*qty < 1)
		return req_field_error(r, "quantity", "must be at least 1");
	if (expired <= 0)
		return req_error(r, 409, "Conflict", "the stock line has no expired stock");
	if (*qty > expired)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "only %lld expired on the stock line", (long long)expired));
	return 0;
}

int expired_consume(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), qty = 0;
	int64_t reason_code = api_body_id(r, "reasonCodeId", ID_REASON_CODE);
	const char *refusal;
	struct ledger_settings s;
	struct ledger_result done;
	struct ledger_line line;
	enum ledger_status st;
	json_object *o;
	int status;

	if ((status = read_settings(r, &s)))
		return status;
	if ((st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if ((status = expired_quantity(r, &line, &qty)))
		return status;
	{
		struct ledger_entry e = {
			.line_id = item, .type = "EXPIRED_CONSUMED", .reason_code_id = reason_code,
			.comment = api_body_string(r, "comment"), .allow_negative = s.allow_negative,
		};

		e.delta[B_ON_HAND] = -qty;
		e.delta[B_EXPIRED] = -qty;
		if ((status = post(r, &e, &done)))
			return status;
	}
	refusal = api_lot_refusal(r, line.lot_id);
	if (refusal && !*refusal)
		return req_internal_error(r, "lot status");
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "inventoryItemId", json_object_new_string(id_format(r->pool, ID_ITEM, item)));
	json_object_object_add(o, "quantity", json_object_new_int64(qty));
	json_object_object_add(o, "transactionId",
			       json_object_new_string(id_format(r->pool, ID_TRANSACTION, done.transaction_id)));
	json_object_object_add(o, "item", qty_json(r, item, done.after, refusal));
	return req_respond(r, 200, o);
}

static json_object *txn_json(struct req *r, const struct ledger_result *t, const char *type,
			     int64_t line, int64_t change)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id_format(r->pool, ID_TRANSACTION, t->transaction_id)));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "inventoryItemId", json_object_new_string(id_format(r->pool, ID_ITEM, line)));
	json_object_object_add(o, "quantityChange", json_object_new_int64(change));
	return o;
}

int expired_destroy(struct req *r)
{
	int64_t item = api_body_id(r, "inventoryItemId", ID_ITEM), qty = 0, dest_line = 0;
	int64_t dest = api_body_id(r, "destinationLocationId", ID_LOCATION);
	const char *comment = api_body_string(r, "comment"), *ref, *refusal;
	struct ledger_result out_done, in_done;
	struct ledger_settings s;
	struct ledger_line line;
	struct db_result res;
	enum ledger_status st;
	json_object *o, *txns;
	int status;

	if ((st = ledger_line_read(r->db, r->pool, api_ws(r), item, 0, &line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (db_query(r->db, r->pool, "SELECT is_destruction FROM locations WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(dest)), &res))
		return req_internal_error(r, "location");
	if (res.nrows == 0)
		return api_not_found(r, ID_LOCATION);
	if (db_cell_int(&res, 0, 0) == 0)
		return req_field_error(r, "destinationLocationId", "must be a destruction location");
	if ((status = read_settings(r, &s)))
		return status;
	/* The destination line: same product and lot, no bin. */
	if ((st = ledger_lock_move(r->db, r->pool, api_ws(r), item, line.product_id, dest,
				   line.lot_id, 0, &dest_line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if (dest_line == item)
		return req_field_error(r, "destinationLocationId", "the stock is already there");
	if ((st = ledger_line_read(r->db, r->pool, api_ws(r), item, 1, &line)) != LEDGER_OK)
		return api_ledger_error(r, st);
	if ((status = expired_quantity(r, &line, &qty)))
		return status;
	/* One reference pairs the two transactions, made before either. */
	if (db_query(r->db, r->pool, "SELECT UUID_SHORT()", DB_NOARGS, &res) || res.nrows != 1)
		return req_internal_error(r, "reference");
	ref = pool_printf(r->pool, "dst_%s", db_cell(&res, 0, 0));
	{
		struct ledger_entry e = {
			.line_id = item, .type = "DESTRUCTION_OUT", .comment = comment,
			.reference_type = "DESTRUCTION", .reference_id = ref,
			.allow_negative = s.allow_negative,
		};

		e.delta[B_ON_HAND] = e.delta[B_EXPIRED] = -qty;
		if ((status = post(r, &e, &out_done)))
			return status;
		e.line_id = dest_line;
		e.type = "DESTRUCTION_IN";
		/* It stays expired at the destruction location. */
		e.delta[B_ON_HAND] = e.delta[B_EXPIRED] = qty;
		if ((status = post(r, &e, &in_done)))
			return status;
	}
	refusal = api_lot_refusal(r, line.lot_id);
	if (refusal && !*refusal)
		return req_internal_error(r, "lot status");
	o = json_object_new_object();
	txns = json_object_new_array();
	json_object_array_add(txns, txn_json(r, &out_done, "DESTRUCTION_OUT", item, -qty));
	json_object_array_add(txns, txn_json(r, &in_done, "DESTRUCTION_IN", dest_line, qty));
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "quantity", json_object_new_int64(qty));
	json_object_object_add(o, "referenceId", json_object_new_string(ref));
	json_object_object_add(o, "fromItem", qty_json(r, item, out_done.after, refusal));
	json_object_object_add(o, "toItem", qty_json(r, dest_line, in_done.after, refusal));
	json_object_object_add(o, "transactions", txns);
	return req_respond(r, 200, o);
}
