/*
 * Cycle count batches as the answers show them: batch details, the lists
 * of GET mode=batches and mode=to-resolve, the blind form, and creating a
 * batch. Shared by the other cycle count files through cycle_count.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/counting/counting.h"
#include "api/counting/cycle_count.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

const struct field cycle_count_blind_query[] = {
	{ .name = "batchId", .type = FIELD_ID, .kind = ID_CYCLE_BATCH, .flags = FIELD_REQUIRED,
	  .description = "The batch" },
	FIELDS_END
};

/* ---------------------------------------------------------------- shared */

/* Which answers show a column. V_SYSTEM marks the system quantities that a
 * blind batch hides until it is counted. */
enum view { V_DETAIL = 1, V_LIST = 2, V_RESOLVE = 4, V_FORM = 8, V_SYSTEM = 16 };

struct column {
	const char *name;
	enum api_conv conv;
	enum id_kind kind;
	unsigned views;
};

/* Row row of res as an object of the columns in view (column i is cols[i]). */
static json_object *columns_json(struct req *r, const struct db_result *res, size_t row,
				 const struct column *cols, size_t ncols, unsigned view, int hide_system)
{
	json_object *o = json_object_new_object(), *v;
	size_t i;

	for (i = 0; i < ncols; i++) {
		const struct column *c = &cols[i];

		if (!(c->views & view))
			continue;
		if (hide_system && (c->views & V_SYSTEM)) {
			json_object_object_add(o, c->name, NULL);
			continue;
		}
		v = api_cell_value(r, res, row, i, c->conv, c->kind);
		json_object_object_add(o, c->name, v);
	}
	return o;
}

enum batch_col {
	BC_ID, BC_NAME, BC_LOCATION, BC_STATUS, BC_BLIND, BC_SOURCE, BC_ABC, BC_ASSIGNEE,
	BC_DEADLINE, BC_NOTES, BC_CREATED_BY, BC_CREATED, BC_STARTED, BC_SUBMITTED, BC_RESOLVED,
	BC_CANCELLED, BC_ITEMS, BC_COUNTED, BC__MAX
};

#define VB (V_DETAIL | V_LIST)
static const struct column batch_columns[BC__MAX] = {
	[BC_ID] = { "id", CONV_ID, ID_CYCLE_BATCH, VB },
	[BC_NAME] = { "name", CONV_STRING, ID_NONE, VB },
	[BC_LOCATION] = { "locationId", CONV_ID, ID_LOCATION, VB },
	[BC_STATUS] = { "status", CONV_STRING, ID_NONE, VB },
	[BC_BLIND] = { "blind", CONV_BOOL, ID_NONE, VB },
	[BC_SOURCE] = { "source", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_ABC] = { "abcClass", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_ASSIGNEE] = { "assigneeId", CONV_STRING, ID_NONE, VB },
	[BC_DEADLINE] = { "deadline", CONV_STRING, ID_NONE, VB },
	[BC_NOTES] = { "notes", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_CREATED_BY] = { "createdBy", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_CREATED] = { "createdAt", CONV_STRING, ID_NONE, VB },
	[BC_STARTED] = { "startedAt", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_SUBMITTED] = { "submittedAt", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_RESOLVED] = { "resolvedAt", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_CANCELLED] = { "cancelledAt", CONV_STRING, ID_NONE, V_DETAIL },
	[BC_ITEMS] = { "itemCount", CONV_INT, ID_NONE, VB },
	[BC_COUNTED] = { "countedCount", CONV_INT, ID_NONE, VB },
};

/* countedCount: lines with a count standing (a recount clears it). */
#define BATCH_SELECT \
	"SELECT b.id, b.name, b.location_id, b.status, b.blind, b.source, b.abc_class," \
	" b.assignee_id, " SQL_ISO("b.deadline") ", b.notes, b.created_by, " SQL_ISO("b.created_at") "," \
	" " SQL_ISO("b.started_at") ", " SQL_ISO("b.submitted_at") ", " SQL_ISO("b.resolved_at") "," \
	" " SQL_ISO("b.cancelled_at") "," \
	" (SELECT COUNT(*) FROM cycle_count_lines l" \
	"  WHERE l.workspace_id = b.workspace_id AND l.batch_id = b.id)," \
	" (SELECT COUNT(*) FROM cycle_count_lines l WHERE l.workspace_id = b.workspace_id" \
	"  AND l.batch_id = b.id AND l.status IN ('COUNTED', 'ACCEPTED', 'KEPT'))" \
	" FROM cycle_count_batches b WHERE b.workspace_id = ?"

enum line_col {
	LC_ID, LC_BATCH, LC_ITEM, LC_PRODUCT, LC_SKU, LC_NAME, LC_LOT, LC_LOT_NUMBER, LC_EXPIRY,
	LC_BIN, LC_BIN_NAME, LC_STATUS, LC_SYSTEM, LC_SNAPSHOT, LC_COUNTED, LC_VARIANCE, LC_VALUE,
	LC_COUNTED_BY, LC_COUNTED_AT, LC_RESOLVED_BY, LC_RESOLVED_AT, LC_REASON, LC_REASON_CODE,
	LC_TXN, LC__MAX
};

#define VDR (V_DETAIL | V_RESOLVE)
#define VALL (V_DETAIL | V_RESOLVE | V_FORM)
static const struct column line_columns[LC__MAX] = {
	[LC_ID] = { "lineId", CONV_ID, ID_CYCLE_LINE, VALL },
	[LC_BATCH] = { "batchId", CONV_ID, ID_CYCLE_BATCH, V_RESOLVE },
	[LC_ITEM] = { "inventoryItemId", CONV_ID, ID_ITEM, VALL },
	[LC_PRODUCT] = { "productMasterId", CONV_ID, ID_PRODUCT, VALL },
	[LC_SKU] = { "sku", CONV_STRING, ID_NONE, VALL },
	[LC_NAME] = { "productName", CONV_STRING, ID_NONE, VALL },
	[LC_LOT] = { "lotId", CONV_ID, ID_LOT, V_DETAIL },
	[LC_LOT_NUMBER] = { "lotNumber", CONV_STRING, ID_NONE, VALL },
	[LC_EXPIRY] = { "expiryDate", CONV_STRING, ID_NONE, V_FORM },
	[LC_BIN] = { "binId", CONV_ID, ID_BIN, V_DETAIL },
	[LC_BIN_NAME] = { "binName", CONV_STRING, ID_NONE, VALL },
	[LC_STATUS] = { "status", CONV_STRING, ID_NONE, V_DETAIL },
	[LC_SYSTEM] = { "systemQty", CONV_INT, ID_NONE, V_DETAIL | V_SYSTEM },
	[LC_SNAPSHOT] = { "snapshotQty", CONV_INT, ID_NONE, VDR | V_SYSTEM },
	[LC_COUNTED] = { "countedQty", CONV_INT, ID_NONE, VALL },
	[LC_VARIANCE] = { "variance", CONV_INT, ID_NONE, VDR | V_SYSTEM },
	[LC_VALUE] = { "varianceValue", CONV_NUMBER, ID_NONE, VDR | V_SYSTEM },
	[LC_COUNTED_BY] = { "countedBy", CONV_STRING, ID_NONE, VDR },
	[LC_COUNTED_AT] = { "countedAt", CONV_STRING, ID_NONE, VDR },
	[LC_RESOLVED_BY] = { "resolvedBy", CONV_STRING, ID_NONE, V_DETAIL },
	[LC_RESOLVED_AT] = { "resolvedAt", CONV_STRING, ID_NONE, V_DETAIL },
	[LC_REASON] = { "resolutionReason", CONV_STRING, ID_NONE, V_DETAIL },
	[LC_REASON_CODE] = { "reasonCodeId", CONV_ID, ID_REASON_CODE, V_DETAIL },
	[LC_TXN] = { "transactionId", CONV_ID, ID_TRANSACTION, V_DETAIL },
};

/* systemQty is the stock line's on hand now; the variance is against the
 * snapshot taken when the count was recorded. */
#define LINE_FROM \
	" FROM cycle_count_lines l" \
	" JOIN cycle_count_batches b ON b.workspace_id = l.workspace_id AND b.id = l.batch_id" \
	" JOIN stock_lines sl ON sl.workspace_id = l.workspace_id AND sl.id = l.stock_line_id" \
	" JOIN products p ON p.workspace_id = l.workspace_id AND p.id = l.product_id" \
	" LEFT JOIN lots lt ON lt.workspace_id = l.workspace_id AND lt.id = sl.lot_id" \
	" LEFT JOIN bins bn ON bn.workspace_id = l.workspace_id AND bn.id = sl.bin_id" \
	" WHERE l.workspace_id = ?"
#define LINE_SELECT \
	"SELECT l.id, l.batch_id, l.stock_line_id, l.product_id, p.global_sku, p.name, sl.lot_id," \
	" lt.lot_number, " SQL_DATE("lt.expiry_date") ", sl.bin_id, bn.name, l.status," \
	" sl.qty_on_hand, l.snapshot_qty, l.counted_qty, l.counted_qty - l.snapshot_qty," \
	" (l.counted_qty - l.snapshot_qty) * p.unit_cost, l.counted_by, " SQL_ISO("l.counted_at") "," \
	" l.resolved_by, " SQL_ISO("l.resolved_at") ", l.resolution_reason, l.reason_code_id," \
	" l.transaction_id" LINE_FROM

int cc_query_bool(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

static int body_bool(struct req *r, const char *name)
{
	json_object *v;

	return json_object_object_get_ex(r->json, name, &v) && v && json_object_get_boolean(v);
}

/* "[3,5,8]": ids as a JSON array, for CC_JSON_IDS. */
const char *cc_ids_json(struct req *r, const int64_t *ids, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	size_t i;

	strbuf_addch(&sb, '[');
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%lld", i ? "," : "", (long long)ids[i]);
	strbuf_addch(&sb, ']');
	out = pool_strdup(r->pool, sb.buf);
	strbuf_release(&sb);
	return out;
}

/*
 * The body's deadline as a UTC DATETIME text, NULL when absent; a date
 * alone means the end of that day. Returns 0 or the 400 status set.
 */
static int body_deadline(struct req *r, const char **out)
{
	const char *s = api_body_string(r, "deadline"), *offset = "+00:00", *local, *p;
	struct db_result res;
	size_t len;

	*out = NULL;
	if (!s)
		return 0;
	if (strlen(s) == 10) {
		local = pool_printf(r->pool, "%s 23:59:59.999", s);
	} else {
		p = s + 11;
		len = strspn(p, "0123456789:.");
		local = pool_printf(r->pool, "%.10s %.*s", s, (int)len, p);
		p += len;
		if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':')
			offset = p;
		else if ((*p == '+' || *p == '-') && strlen(p) == 5)
			offset = pool_printf(r->pool, "%.3s:%s", p, p + 3);
		else if (*p && strcmp(p, "Z"))
			return req_field_error(r, "deadline", "must be an ISO 8601 date-time");
	}
	/* The database parses it: NULL for an impossible date or offset. */
	if (db_query(r->db, r->pool, "SELECT CONVERT_TZ(?, ?, '+00:00')",
		     DB_ARGS(ARG_TEXT(local), ARG_TEXT(offset)), &res))
		return req_internal_error(r, "deadline");
	if (res.nrows != 1 || !db_cell(&res, 0, 0))
		return req_field_error(r, "deadline", "must be an ISO 8601 date-time");
	*out = db_cell(&res, 0, 0);
	return 0;
}

/* ---------------------------------------------------------------- batches */

/* The batch with its lines. Returns 0 with *out, or the status set. */
int cc_batch_details(struct req *r, int64_t id, json_object **out)
{
	struct db_result b, lines;
	json_object *o, *arr;
	const char *st;
	size_t i;
	int hide;

	if (db_query(r->db, r->pool, BATCH_SELECT " AND b.id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &b))
		return req_internal_error(r, "batch");
	if (!b.nrows)
		return api_not_found(r, ID_CYCLE_BATCH);
	if (db_query(r->db, r->pool, LINE_SELECT " AND l.batch_id = ? ORDER BY l.id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "batch lines");
	/* A blind batch shows no system quantity while it is being counted. */
	st = db_cell(&b, 0, BC_STATUS);
	hide = db_cell_int(&b, 0, BC_BLIND) && (!strcmp(st, "CREATED") || !strcmp(st, "IN_PROGRESS"));
	o = columns_json(r, &b, 0, batch_columns, BC__MAX, V_DETAIL, 0);
	arr = json_object_new_array_ext((int)lines.nrows);
	for (i = 0; i < lines.nrows; i++)
		json_object_array_add(arr, columns_json(r, &lines, i, line_columns, LC__MAX, V_DETAIL,
							hide));
	json_object_object_add(o, "lines", arr);
	*out = o;
	return 0;
}

int cc_batch_respond(struct req *r, int64_t id, int status_ok)
{
	json_object *o;
	int status = cc_batch_details(r, id, &o);

	return status ? status : req_respond(r, status_ok, o);
}

int cycle_count_batch_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_CYCLE_BATCH);

	return id ? cc_batch_respond(r, id, 200) : api_not_found(r, ID_CYCLE_BATCH);
}

/* mode=batches */
int cc_mode_batches(struct req *r, int64_t location)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM cycle_count_batches b WHERE b.workspace_id = ?",
		.rows_sql = BATCH_SELECT,
		.rows_tail = " ORDER BY b.id LIMIT ? OFFSET ?",
	};
	const char *st = req_query(r, "status"), *assignee = req_query(r, "assigneeId");
	struct db_result count, rows;
	json_object *out, *arr;
	struct query where;
	int64_t page, limit;
	size_t i;
	int status;

	if ((status = api_page(r, 50, 200, &page, &limit)))
		return status;
	api_where_init(r, &where);
	query_bind(&where, " AND b.location_id = ?", ARG_INT(location));
	if (st && *st)
		query_bind(&where, " AND b.status = ?", ARG_TEXT(st));
	else if (!cc_query_bool(r, "includeCompleted"))
		query_add(&where, " AND b.status IN " CC_OPEN_STATUSES);
	if (assignee && *assignee)
		query_bind(&where, " AND b.assignee_id = ?", ARG_TEXT(assignee));
	if ((status = api_list_run(r, &list, &where, limit, (page - 1) * limit, &count, &rows)))
		return status;
	arr = json_object_new_array_ext((int)rows.nrows);
	for (i = 0; i < rows.nrows; i++)
		json_object_array_add(arr, columns_json(r, &rows, i, batch_columns, BC__MAX, V_LIST, 0));
	out = cc_mode_answer("batches", "batches", arr);
	json_object_object_add(out, "pagination", api_pagination(page, limit,
								 db_cell_int(&count, 0, 0)));
	return req_respond(r, 200, out);
}

json_object *cc_mode_answer(const char *type, const char *key, json_object *items)
{
	json_object *out = json_object_new_object();

	json_object_object_add(out, "type", json_object_new_string(type));
	json_object_object_add(out, key, items);
	json_object_object_add(out, "count",
			       json_object_new_int64((int64_t)json_object_array_length(items)));
	return out;
}

#define TO_RESOLVE_WHERE \
	" AND b.location_id = ? AND b.status = 'COUNTED' AND l.status = 'COUNTED'" \
	" AND l.counted_qty <> l.snapshot_qty"

/* mode=to-resolve: the discrepancies of counted batches at the location. */
int cc_mode_to_resolve(struct req *r, int64_t location)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM cycle_count_lines l JOIN cycle_count_batches b"
			     " ON b.workspace_id = l.workspace_id AND b.id = l.batch_id"
			     " WHERE l.workspace_id = ?",
		.rows_sql = LINE_SELECT,
		.rows_tail = " ORDER BY l.batch_id, l.id LIMIT ? OFFSET ?",
	};
	struct db_result count, rows;
	json_object *out, *arr;
	struct query where;
	int64_t page, limit;
	size_t i;
	int status;

	if ((status = api_page(r, 50, 200, &page, &limit)))
		return status;
	query_init(&where, r->pool, TO_RESOLVE_WHERE);
	query_arg(&where, ARG_INT(api_ws(r)));
	query_arg(&where, ARG_INT(location));
	if ((status = api_list_run(r, &list, &where, limit, (page - 1) * limit, &count, &rows)))
		return status;
	arr = json_object_new_array_ext((int)rows.nrows);
	for (i = 0; i < rows.nrows; i++)
		json_object_array_add(arr, columns_json(r, &rows, i, line_columns, LC__MAX, V_RESOLVE, 0));
	out = cc_mode_answer("to-resolve", "items", arr);
	json_object_object_add(out, "pagination", api_pagination(page, limit,
								 db_cell_int(&count, 0, 0)));
	return req_respond(r, 200, out);
}
/*
 * Creates a batch at location of the stock lines ids[0..n) (sorted, no
 * duplicates) with the body's assigneeId, deadline, blind and notes.
 * Returns 0 with *batch, or the status set: 409 when a line is already in
 * an open batch.
 */
int cc_batch_insert(struct req *r, int64_t location, int64_t *ids, size_t n,
			const char *source, const char *abc_class, const char *name, int64_t *batch)
{
	const char *deadline, *list = cc_ids_json(r, ids, n);
	struct db_result res;
	enum ledger_status st;
	int status;

	if ((status = body_deadline(r, &deadline)))
		return status;
	/* Locking the lines serialises batch creations over them; the check
	 * then sees a batch another request has just committed (the session
	 * reads committed data). */
	st = ledger_lock_lines(r->db, r->pool, api_ws(r), ids, n);
	if (st != LEDGER_OK)
		return api_ledger_error(r, st);
	if (db_query(r->db, r->pool,
		     "SELECT l.stock_line_id, l.batch_id FROM cycle_count_lines l"
		     " JOIN cycle_count_batches b ON b.workspace_id = l.workspace_id AND b.id = l.batch_id"
		     " WHERE l.workspace_id = ? AND b.status IN " CC_OPEN_STATUSES
		     " AND l.stock_line_id IN (SELECT j.id FROM " CC_JSON_IDS ")"
		     " ORDER BY l.stock_line_id LIMIT 1",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_TEXT(list)), &res))
		return req_internal_error(r, "open batches");
	if (res.nrows)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "%s is already in open batch %s",
					     id_format(r->pool, ID_ITEM, db_cell_int(&res, 0, 0)),
					     id_format(r->pool, ID_CYCLE_BATCH, db_cell_int(&res, 0, 1))));
	if (db_query(r->db, r->pool,
		     "INSERT INTO cycle_count_batches (workspace_id, location_id, name, blind, source,"
		     " abc_class, assignee_id, deadline, notes, created_by)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location), ARG_TEXT(name),
			     ARG_INT(body_bool(r, "blind")), ARG_TEXT(source), ARG_TEXT(abc_class),
			     ARG_TEXT(api_body_string(r, "assigneeId")), ARG_TEXT(deadline),
			     ARG_TEXT(api_body_string(r, "notes")), ARG_TEXT(api_actor(r))), &res))
		return api_db_error(r, "batch insert");
	*batch = (int64_t)res.insert_id;
	if (db_query(r->db, r->pool,
		     "INSERT INTO cycle_count_lines (workspace_id, batch_id, stock_line_id, product_id)"
		     " SELECT sl.workspace_id, ?, sl.id, sl.product_id FROM stock_lines sl"
		     " WHERE sl.workspace_id = ? AND sl.id IN (SELECT j.id FROM " CC_JSON_IDS ")"
		     " ORDER BY sl.id",
		     DB_ARGS(ARG_INT(*batch), ARG_INT(api_ws(r)), ARG_TEXT(list)), NULL))
		return req_internal_error(r, "batch lines");
	return 0;
}

/* Appends the first column of res (ids) to ids[*n..], which has room. */
void cc_append_ids(const struct db_result *res, int64_t *ids, size_t *n)
{
	size_t i;

	for (i = 0; i < res->nrows; i++)
		ids[(*n)++] = db_cell_int(res, i, 0);
}
int cycle_count_blind_form(struct req *r)
{
	int64_t id = id_parse(ID_CYCLE_BATCH, req_query(r, "batchId"));
	struct db_result b, lines;
	json_object *out, *arr;
	size_t i;

	if (db_query(r->db, r->pool,
		     "SELECT b.id, b.name, b.location_id, loc.name, b.status FROM cycle_count_batches b"
		     " JOIN locations loc ON loc.workspace_id = b.workspace_id AND loc.id = b.location_id"
		     " WHERE b.workspace_id = ? AND b.id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &b))
		return req_internal_error(r, "batch");
	if (!b.nrows)
		return api_not_found(r, ID_CYCLE_BATCH);
	/* In walking order: by bin, then SKU. */
	if (db_query(r->db, r->pool, LINE_SELECT " AND l.batch_id = ?"
		     " ORDER BY bn.name IS NULL, bn.name, p.global_sku, l.id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "batch lines");
	arr = json_object_new_array_ext((int)lines.nrows);
	for (i = 0; i < lines.nrows; i++)
		json_object_array_add(arr, columns_json(r, &lines, i, line_columns, LC__MAX, V_FORM, 0));
	out = json_object_new_object();
	json_object_object_add(out, "batchId", api_cell_id(r, &b, 0, 0, ID_CYCLE_BATCH));
	json_object_object_add(out, "name", api_cell_string(&b, 0, 1));
	json_object_object_add(out, "locationId", api_cell_id(r, &b, 0, 2, ID_LOCATION));
	json_object_object_add(out, "locationName", api_cell_string(&b, 0, 3));
	json_object_object_add(out, "status", api_cell_string(&b, 0, 4));
	json_object_object_add(out, "lines", arr);
	return req_respond(r, 200, out);
}
