/* SPDX-License-Identifier: MIT */
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

const char *const cc_batch_statuses[] = {
	"CREATED", "IN_PROGRESS", "COUNTED", "RESOLVED", "CANCELLED", NULL
};
static const char *const line_statuses[] = {
	"PENDING", "COUNTED", "RECOUNT", "ACCEPTED", "KEPT", NULL
};

/* What a batch's detail and its list entry both begin with. */
#define BATCH_HEAD_COLUMNS \
	{ .name = "id", .column = "b.id", .type = FIELD_ID, .kind = ID_CYCLE_BATCH }, \
	{ .name = "name", .column = "b.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE }, \
	{ .name = "locationId", .column = "b.location_id", .type = FIELD_ID, .kind = ID_LOCATION }, \
	{ .name = "status", .column = "b.status", .type = FIELD_STRING, .values = cc_batch_statuses }, \
	{ .name = "blind", .column = "b.blind", .type = FIELD_BOOLEAN, \
	  .description = "Counters do not see system quantities until it is counted" },
#define BATCH_ASSIGNED_COLUMNS \
	{ .name = "assigneeId", .column = "b.assignee_id", .type = FIELD_STRING, \
	  .flags = FIELD_NULLABLE }, \
	{ .name = "deadline", .column = "b.deadline", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE },
/* countedCount: lines with a count standing (a recount clears it). */
#define BATCH_COUNT_COLUMNS \
	{ .name = "itemCount", .type = FIELD_INTEGER, .description = "Its lines", \
	  .column = "(SELECT COUNT(*) FROM cycle_count_lines l" \
		    " WHERE l.workspace_id = b.workspace_id AND l.batch_id = b.id)" }, \
	{ .name = "countedCount", .type = FIELD_INTEGER, .description = "Its lines counted", \
	  .column = "(SELECT COUNT(*) FROM cycle_count_lines l WHERE l.workspace_id = b.workspace_id" \
		    " AND l.batch_id = b.id AND l.status IN ('COUNTED', 'ACCEPTED', 'KEPT'))" },
#define BATCH_DETAIL_COLUMNS \
	BATCH_HEAD_COLUMNS \
	{ .name = "source", .column = "b.source", .type = FIELD_STRING, \
	  .description = "MANUAL, or ABC for a batch of what the classification says is due" }, \
	{ .name = "abcClass", .column = "b.abc_class", .type = FIELD_STRING, .flags = FIELD_NULLABLE, \
	  .description = "The class of an ABC batch of one class" }, \
	BATCH_ASSIGNED_COLUMNS \
	{ .name = "notes", .column = "b.notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE }, \
	{ .name = "createdBy", .column = "b.created_by", .type = FIELD_STRING }, \
	{ .name = "createdAt", .column = "b.created_at", .type = FIELD_DATETIME }, \
	{ .name = "startedAt", .column = "b.started_at", .type = FIELD_DATETIME, \
	  .flags = FIELD_NULLABLE }, \
	{ .name = "submittedAt", .column = "b.submitted_at", .type = FIELD_DATETIME, \
	  .flags = FIELD_NULLABLE }, \
	{ .name = "resolvedAt", .column = "b.resolved_at", .type = FIELD_DATETIME, \
	  .flags = FIELD_NULLABLE }, \
	{ .name = "cancelledAt", .column = "b.cancelled_at", .type = FIELD_DATETIME, \
	  .flags = FIELD_NULLABLE }, \
	BATCH_COUNT_COLUMNS

static const struct field batch_columns[] = {
	BATCH_DETAIL_COLUMNS
	FIELDS_END
};

/* A batch in the list of GET mode=batches. */
const struct field cc_batch_list_columns[] = {
	BATCH_HEAD_COLUMNS
	BATCH_ASSIGNED_COLUMNS
	{ .name = "createdAt", .column = "b.created_at", .type = FIELD_DATETIME },
	BATCH_COUNT_COLUMNS
	FIELDS_END
};

/* A blind batch shows no system quantity while it is being counted. */
#define HIDDEN_WHILE_BLIND(expr) "IF(b.blind AND b.status IN ('CREATED', 'IN_PROGRESS'), NULL, " expr ")"

/* The stock line and product that a line counts. */
#define LINE_PRODUCT_COLUMNS \
	{ .name = "inventoryItemId", .column = "l.stock_line_id", .type = FIELD_ID, .kind = ID_ITEM }, \
	{ .name = "productMasterId", .column = "l.product_id", .type = FIELD_ID, .kind = ID_PRODUCT }, \
	{ .name = "sku", .column = "p.global_sku", .type = FIELD_STRING }, \
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
/* The count of a line against its snapshot (null until counted). */
#define LINE_COUNT_COLUMNS \
	{ .name = "snapshotQty", .column = HIDDEN_WHILE_BLIND("l.snapshot_qty"), .type = FIELD_INTEGER, \
	  .flags = FIELD_NULLABLE, .description = "On hand when the count was recorded" }, \
	{ .name = "countedQty", .column = "l.counted_qty", .type = FIELD_INTEGER, \
	  .flags = FIELD_NULLABLE }, \
	{ .name = "variance", .column = HIDDEN_WHILE_BLIND("l.counted_qty - l.snapshot_qty"), \
	  .type = FIELD_INTEGER, .flags = FIELD_NULLABLE, .description = "countedQty - snapshotQty" }, \
	{ .name = "varianceValue", \
	  .column = HIDDEN_WHILE_BLIND("(l.counted_qty - l.snapshot_qty) * p.unit_cost"), \
	  .type = FIELD_NUMBER, .flags = FIELD_NULLABLE, .description = "variance x the unit cost" }, \
	{ .name = "countedBy", .column = "l.counted_by", .type = FIELD_STRING, .flags = FIELD_NULLABLE }, \
	{ .name = "countedAt", .column = "l.counted_at", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE },

/* A line of a batch's details. systemQty is the stock line's on hand now;
 * the variance is against the snapshot taken when the count was recorded.
 * A blind batch hides both while it is being counted. */
static const struct field line_columns[] = {
	{ .name = "lineId", .column = "l.id", .type = FIELD_ID, .kind = ID_CYCLE_LINE },
	LINE_PRODUCT_COLUMNS
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "sl.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "binName", .column = "bn.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "status", .column = "l.status", .type = FIELD_STRING, .values = line_statuses },
	{ .name = "systemQty", .column = HIDDEN_WHILE_BLIND("sl.qty_on_hand"), .type = FIELD_INTEGER,
	  .flags = FIELD_NULLABLE, .description = "On hand now (null while a blind batch is counted)" },
	LINE_COUNT_COLUMNS
	{ .name = "resolvedBy", .column = "l.resolved_by", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "resolvedAt", .column = "l.resolved_at", .type = FIELD_DATETIME, .flags = FIELD_NULLABLE },
	{ .name = "resolutionReason", .column = "l.resolution_reason", .type = FIELD_STRING,
	  .flags = FIELD_NULLABLE },
	{ .name = "reasonCodeId", .column = "l.reason_code_id", .type = FIELD_ID, .kind = ID_REASON_CODE,
	  .flags = FIELD_NULLABLE },
	{ .name = "transactionId", .column = "l.transaction_id", .type = FIELD_ID, .kind = ID_TRANSACTION,
	  .flags = FIELD_NULLABLE, .description = "The ledger transaction of an accepted count" },
	FIELDS_END
};

/* A discrepancy in the list of GET mode=to-resolve. */
const struct field cc_line_resolve_columns[] = {
	{ .name = "lineId", .column = "l.id", .type = FIELD_ID, .kind = ID_CYCLE_LINE },
	{ .name = "batchId", .column = "l.batch_id", .type = FIELD_ID, .kind = ID_CYCLE_BATCH },
	LINE_PRODUCT_COLUMNS
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "binName", .column = "bn.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	LINE_COUNT_COLUMNS
	FIELDS_END
};

/* A line of the blind form: what to count, never a system quantity. */
static const struct field line_form_columns[] = {
	{ .name = "lineId", .column = "l.id", .type = FIELD_ID, .kind = ID_CYCLE_LINE },
	LINE_PRODUCT_COLUMNS
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE },
	{ .name = "binName", .column = "bn.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "countedQty", .column = "l.counted_qty", .type = FIELD_INTEGER, .flags = FIELD_NULLABLE },
	FIELDS_END
};

/* A batch with its lines: the answer of every change of a batch. */
const struct field cc_batch_fields[] = {
	BATCH_DETAIL_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_columns },
	FIELDS_END
};

#define LINE_FROM \
	" FROM cycle_count_lines l" \
	" JOIN cycle_count_batches b ON b.workspace_id = l.workspace_id AND b.id = l.batch_id" \
	" JOIN stock_lines sl ON sl.workspace_id = l.workspace_id AND sl.id = l.stock_line_id" \
	" JOIN products p ON p.workspace_id = l.workspace_id AND p.id = l.product_id" \
	" LEFT JOIN lots lt ON lt.workspace_id = l.workspace_id AND lt.id = sl.lot_id" \
	" LEFT JOIN bins bn ON bn.workspace_id = l.workspace_id AND bn.id = sl.bin_id" \
	" WHERE l.workspace_id = ?"
#define BATCH_FROM " FROM cycle_count_batches b WHERE b.workspace_id = ?"

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

/* Member key of the open object: the rows of res as cols say. */
static void write_rows(struct jw *w, const char *key, const struct db_result *rows,
		       const struct field *cols)
{
	size_t i;

	jw_key(w, key);
	jw_open(w, '[');
	for (i = 0; i < rows->nrows; i++)
		api_write_row(w, rows, i, cols);
	jw_close(w, ']');
}

/* The batch with its lines, as a value of w. Returns 0, or the status set. */
int cc_batch_write(struct req *r, int64_t id, struct jw *w)
{
	struct db_result b, lines;

	if (db_query(r->db, r->pool, pool_printf(r->pool, "%s" BATCH_FROM " AND b.id = ?",
						 api_select(batch_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &b))
		return req_internal_error(r, "batch");
	if (!b.nrows)
		return api_not_found(r, ID_CYCLE_BATCH);
	if (db_query(r->db, r->pool, pool_printf(r->pool, "%s" LINE_FROM " AND l.batch_id = ? ORDER BY l.id",
						 api_select(line_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "batch lines");
	jw_open(w, '{');
	api_write_members(w, &b, 0, batch_columns);
	write_rows(w, "lines", &lines, line_columns);
	jw_close(w, '}');
	return 0;
}

int cc_batch_respond(struct req *r, int64_t id, int status_ok)
{
	struct jw w;
	int status;

	jw_init(&w, r->pool);
	if ((status = cc_batch_write(r, id, &w)))
		return status;
	return req_respond_jw(r, status_ok, &w);
}

int cycle_count_batch_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_CYCLE_BATCH);

	return id ? cc_batch_respond(r, id, 200) : api_not_found(r, ID_CYCLE_BATCH);
}

void cc_mode_write(struct jw *w, const char *type, const char *key, const struct db_result *rows,
		   const struct field *cols)
{
	jw_open(w, '{');
	jw_kstr(w, "type", type);
	write_rows(w, key, rows, cols);
	jw_kint(w, "count", (int64_t)rows->nrows);
}

/* Answers a mode of GET /cycle-count that is a page of list. */
static int mode_page(struct req *r, const struct api_list *list, const struct query *where,
		     const char *type, const char *key, int64_t page, int64_t limit)
{
	struct db_result count, rows;
	struct jw w;
	int status;

	if ((status = api_list_run(r, list, where, limit, (page - 1) * limit, &count, &rows)))
		return status;
	jw_init(&w, r->pool);
	cc_mode_write(&w, type, key, &rows, list->columns);
	api_write_pagination(&w, page, limit, db_cell_int(&count, 0, 0));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* mode=batches */
int cc_mode_batches(struct req *r, int64_t location)
{
	static const struct api_list list = {
		.count_sql = "SELECT COUNT(*) FROM cycle_count_batches b WHERE b.workspace_id = ?",
		.rows_sql = BATCH_FROM,
		.rows_tail = " ORDER BY b.id LIMIT ? OFFSET ?",
		.columns = cc_batch_list_columns,
	};
	const char *st = req_query(r, "status"), *assignee = req_query(r, "assigneeId");
	struct query where;
	int64_t page, limit;
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
	return mode_page(r, &list, &where, "batches", "batches", page, limit);
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
		.rows_sql = LINE_FROM,
		.rows_tail = " ORDER BY l.batch_id, l.id LIMIT ? OFFSET ?",
		.columns = cc_line_resolve_columns,
	};
	struct query where;
	int64_t page, limit;
	int status;

	if ((status = api_page(r, 50, 200, &page, &limit)))
		return status;
	query_init(&where, r->pool, TO_RESOLVE_WHERE);
	query_arg(&where, ARG_INT(api_ws(r)));
	query_arg(&where, ARG_INT(location));
	return mode_page(r, &list, &where, "to-resolve", "items", page, limit);
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
#define BLIND_FORM_COLUMNS \
	{ .name = "batchId", .column = "b.id", .type = FIELD_ID, .kind = ID_CYCLE_BATCH }, \
	{ .name = "name", .column = "b.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE }, \
	{ .name = "locationId", .column = "b.location_id", .type = FIELD_ID, .kind = ID_LOCATION }, \
	{ .name = "locationName", .column = "loc.name", .type = FIELD_STRING }, \
	{ .name = "status", .column = "b.status", .type = FIELD_STRING, .values = cc_batch_statuses },

static const struct field blind_form_columns[] = {
	BLIND_FORM_COLUMNS
	FIELDS_END
};

const struct field cycle_count_blind_answer[] = {
	BLIND_FORM_COLUMNS
	{ .name = "lines", .type = FIELD_ARRAY, .items = line_form_columns,
	  .description = "In walking order: by bin, then SKU" },
	FIELDS_END
};

int cycle_count_blind_form(struct req *r)
{
	int64_t id = id_parse(ID_CYCLE_BATCH, req_query(r, "batchId"));
	struct db_result b, lines;
	struct jw w;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM cycle_count_batches b"
				 " JOIN locations loc ON loc.workspace_id = b.workspace_id"
				 " AND loc.id = b.location_id WHERE b.workspace_id = ? AND b.id = ?",
				 api_select(blind_form_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &b))
		return req_internal_error(r, "batch");
	if (!b.nrows)
		return api_not_found(r, ID_CYCLE_BATCH);
	/* In walking order: by bin, then SKU. */
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s" LINE_FROM " AND l.batch_id = ?"
				 " ORDER BY bn.name IS NULL, bn.name, p.global_sku, l.id",
				 api_select(line_form_columns)),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &lines))
		return req_internal_error(r, "batch lines");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	api_write_members(&w, &b, 0, blind_form_columns);
	write_rows(&w, "lines", &lines, line_form_columns);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
