/* SPDX-License-Identifier: MIT */
/*
 * The workflow of a stock request, one table of transitions:
 *
 *   DRAFT -> SUBMITTED -> PENDING_APPROVAL (when approval is required)
 *                      -> APPROVED (else, at once) or REJECTED
 *   APPROVED -> ISSUED -> RECEIVED; CANCELLED from any status before ISSUED
 *
 * and rollbacks that undo the last decision. Approval opens the request's
 * transfer (its picks reserve the stock at the fulfilling location),
 * issuing ships it, receiving receives it; a rollback of an approval
 * cancels the transfer, one of an issue sends the stock back.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/moves/moves.h"
#include "api/requests/requests.h"
#include "auth/auth.h"
#include "core/pool.h"
#include "core/util.h"

enum step { SUBMIT, APPROVE, REJECT, ROLLBACK, CANCEL, ISSUE, RECEIVE };

static const struct transition {
	const char *from, *to;
	enum step step;
} transitions[] = {
	{ "DRAFT", "SUBMITTED", SUBMIT },
	{ "DRAFT", "CANCELLED", CANCEL },
	{ "SUBMITTED", "DRAFT", ROLLBACK },
	{ "SUBMITTED", "CANCELLED", CANCEL },
	{ "PENDING_APPROVAL", "APPROVED", APPROVE },
	{ "PENDING_APPROVAL", "REJECTED", REJECT },
	{ "PENDING_APPROVAL", "CANCELLED", CANCEL },
	{ "PENDING_APPROVAL", "DRAFT", ROLLBACK },
	{ "APPROVED", "ISSUED", ISSUE },
	{ "APPROVED", "CANCELLED", CANCEL },
	{ "APPROVED", "PENDING_APPROVAL", ROLLBACK },
	{ "REJECTED", "PENDING_APPROVAL", ROLLBACK },
	{ "REJECTED", "CANCELLED", CANCEL },
	{ "ISSUED", "RECEIVED", RECEIVE },
	{ "ISSUED", "APPROVED", ROLLBACK },
};

/* The transition of status by step (to NULL: any), or NULL. */
static const struct transition *transition_find(const char *status, enum step step, const char *to)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(transitions); i++)
		if (!strcmp(transitions[i].from, status) && (to ? !strcmp(transitions[i].to, to)
							   : transitions[i].step == step))
			return &transitions[i];
	return NULL;
}

static const struct field approval_in[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_STOCK_REQUEST_LINE, .flags = FIELD_REQUIRED },
	{ .name = "quantityApproved", .type = FIELD_INTEGER, .flags = FIELD_REQUIRED | FIELD_NONNEGATIVE,
	  .description = "0 to the quantity requested" },
	{ .name = "reason", .type = FIELD_STRING, .max_length = 500,
	  .description = "Required when the line is cut (below the quantity requested)" },
	FIELDS_END
};

/* The lines of POST .../status: receipts (RECEIVED) or approvals (APPROVED). */
static const struct field status_line_in[] = {
	{ .name = "lineId", .type = FIELD_ID, .kind = ID_STOCK_REQUEST_LINE, .flags = FIELD_REQUIRED },
	{ .name = "quantity", .type = FIELD_INTEGER, .description = "RECEIVED: what arrived, at least 1" },
	{ .name = "quantityApproved", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE,
	  .description = "APPROVED: as /approve" },
	{ .name = "reason", .type = FIELD_STRING, .max_length = 500, .description = "APPROVED: as /approve" },
	FIELDS_END
};

#define COMMENT_FIELD(what) \
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_length = 2000, \
	  .description = what },

const struct field request_approve_fields[] = {
	{ .name = "lines", .type = FIELD_ARRAY, .items = approval_in,
	  .description = "Lines approved below what was requested; the others are approved whole" },
	COMMENT_FIELD("Kept in the history")
	FIELDS_END
};

const struct field request_reject_fields[] = {
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 2000,
	  .description = "Why (required)" },
	FIELDS_END
};

const struct field request_rollback_fields[] = {
	COMMENT_FIELD("Kept in the history")
	FIELDS_END
};

const struct field request_status_fields[] = {
	{ .name = "status", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .values = request_statuses,
	  .description = "The status to move to: one of allowedTransitions" },
	COMMENT_FIELD("Kept in the history; required for REJECTED")
	{ .name = "lines", .type = FIELD_ARRAY, .items = status_line_in,
	  .description = "APPROVED: as /approve's lines. RECEIVED: what arrived (default all)" },
	{ .name = "closeShort", .type = FIELD_BOOLEAN,
	  .description = "RECEIVED: receive only the lines given (none without lines) and write off "
			 "the rest of the transfer (TRANSFER_LOSS with reasonCodeId): the request is "
			 "RECEIVED short" },
	{ .name = "reasonCodeId", .type = FIELD_ID, .kind = ID_REASON_CODE,
	  .description = "With closeShort: why the rest is written off (required)" },
	FIELDS_END
};

static const struct field history_fields[] = {
	{ .name = "fromStatus", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "toStatus", .type = FIELD_STRING },
	{ .name = "actor", .type = FIELD_STRING },
	{ .name = "comment", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "createdAt", .type = FIELD_DATETIME },
	FIELDS_END
};

const struct field request_status_answer[] = {
	{ .name = "id", .type = FIELD_ID, .kind = ID_STOCK_REQUEST },
	{ .name = "status", .type = FIELD_STRING, .values = request_statuses },
	{ .name = "allowedTransitions", .type = FIELD_ARRAY, .items = NULL,
	  .description = "The statuses it may move to now" },
	{ .name = "history", .type = FIELD_ARRAY, .items = history_fields },
	FIELDS_END
};

/* ---- steps ---- */

/* The columns that say who took a step and when ("<step>_at",
 * "<step>_by"): set by the status reached, cleared when a rollback leaves
 * the status again. */
static const struct { const char *status, *step; } step_columns[] = {
	{ "SUBMITTED", "submitted" }, { "PENDING_APPROVAL", "submitted" }, { "APPROVED", "approved" },
	{ "REJECTED", "rejected" }, { "ISSUED", "issued" }, { "RECEIVED", "received" },
	{ "CANCELLED", "cancelled" },
};

static const char *step_of(const char *status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(step_columns); i++)
		if (!strcmp(step_columns[i].status, status))
			return step_columns[i].step;
	return NULL;
}

/*
 * Moves row to status to and records the transition: forward, with who
 * and when (a status reached without columns of its own, PENDING_APPROVAL
 * after SUBMITTED, keeps them); back (a rollback), forgetting who took the
 * step undone.
 */
static int move(struct req *r, struct request_row *row, const char *to, const char *comment,
		int back)
{
	const char *step = back ? step_of(row->status) : step_of(to);
	int err, status;

	if (!back && !strcmp(to, "PENDING_APPROVAL"))
		step = NULL;
	/* The column names come from the fixed table above. */
	if (step && !back)
		err = db_query(r->db, r->pool,
			       pool_printf(r->pool, "UPDATE stock_requests SET status = ?,"
					   " %s_at = CURRENT_TIMESTAMP(3), %s_by = ?"
					   " WHERE workspace_id = ? AND id = ?", step, step),
			       DB_ARGS(ARG_TEXT(to), ARG_TEXT(api_actor(r)), ARG_INT(api_ws(r)),
				       ARG_INT(row->id)), NULL);
	else
		err = db_query(r->db, r->pool,
			       step ? pool_printf(r->pool, "UPDATE stock_requests SET status = ?,"
						  " %s_at = NULL, %s_by = NULL"
						  " WHERE workspace_id = ? AND id = ?", step, step)
				    : "UPDATE stock_requests SET status = ? WHERE workspace_id = ? AND id = ?",
			       DB_ARGS(ARG_TEXT(to), ARG_INT(api_ws(r)), ARG_INT(row->id)), NULL);
	if (err)
		return api_db_error(r, "stock request status");
	if ((status = request_event(r, row->id, row->status, to, comment)))
		return status;
	row->status = to;
	return 0;
}

/* Whether a request to row's fulfilling location waits for approval. */
static int needs_approval(struct req *r, const struct request_row *row, int *needed)
{
	struct db_result res;

	if (db_query(r->db, r->pool,
		     "SELECT w.request_approval OR l.requires_approval FROM workspaces w"
		     " JOIN locations l ON l.workspace_id = w.id AND l.id = ? WHERE w.id = ?",
		     DB_ARGS(ARG_INT(row->fulfilling), ARG_INT(api_ws(r))), &res) || res.nrows != 1)
		return req_internal_error(r, "approval setting");
	*needed = db_cell_int(&res, 0, 0) != 0;
	return 0;
}

/*
 * Approves row: the body's array lines may cut lines (with a reason), the
 * others are approved whole (all of them when automatic: a submission
 * that needs no approval); the approved quantities are reserved by
 * opening the request's transfer.
 */
static int approve(struct req *r, struct request_row *row, const char *comment, int automatic)
{
	struct transfer_line_in *tl;
	struct db_result lines;
	json_object *arr = NULL;
	int64_t *approved, *tl_ids, transfer = 0;
	size_t i, k, len, n = 0;
	int status;

	if (!automatic && !strcmp(row->requested_by, api_actor(r)))
		return req_error(r, 403, "Forbidden",
				 "the requester cannot approve their own stock request");
	if (db_query(r->db, r->pool,
		     "SELECT id, product_id, quantity_requested FROM stock_request_lines"
		     " WHERE workspace_id = ? AND request_id = ? ORDER BY id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id)), &lines))
		return req_internal_error(r, "stock request lines");
	approved = pool_calloc(r->pool, lines.nrows + 1, sizeof(*approved));
	for (i = 0; i < lines.nrows; i++)
		approved[i] = db_cell_int(&lines, i, 2);
	if (!automatic)
		json_object_object_get_ex(r->json, "lines", &arr);
	len = arr ? json_object_array_length(arr) : 0;
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		int64_t line = api_member_id(e, "lineId", ID_STOCK_REQUEST_LINE);
		int64_t q = api_member_int(e, "quantityApproved");
		const char *reason = api_member_string(e, "reason");

		for (k = 0; k < lines.nrows && db_cell_int(&lines, k, 0) != line; k++)
			;
		if (k == lines.nrows)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].lineId", i),
					       pool_printf(r->pool, "is not a line of %s", row->number));
		if (!json_object_object_get_ex(e, "quantityApproved", NULL))
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].quantityApproved", i),
					       "is required");
		if (q < 0 || q > db_cell_int(&lines, k, 2))
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].quantityApproved", i),
					       pool_printf(r->pool, "must be 0 to %s (requested)",
							   db_cell(&lines, k, 2)));
		if (q < db_cell_int(&lines, k, 2) && (!reason || !*reason))
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].reason", i),
					       "is required when a line is cut");
		approved[k] = q;
		if (db_query(r->db, r->pool,
			     "UPDATE stock_request_lines SET cancel_reason = ? WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_TEXT(q < db_cell_int(&lines, k, 2) ? reason : NULL),
				     ARG_INT(api_ws(r)), ARG_INT(line)), NULL))
			return api_db_error(r, "stock request line");
	}
	tl = pool_calloc(r->pool, lines.nrows + 1, sizeof(*tl));
	tl_ids = pool_calloc(r->pool, lines.nrows + 1, sizeof(*tl_ids));
	for (i = 0; i < lines.nrows; i++)
		if (approved[i] > 0)
			tl[n++] = (struct transfer_line_in){ .product = db_cell_int(&lines, i, 1),
							     .quantity = approved[i] };
	if (n > 0) {
		struct transfer_open t = {
			.from = row->fulfilling, .to = row->requesting, .reference = row->number,
			.request = row->id, .lines = tl, .nlines = n,
		};

		if ((status = transfer_open(r, &t, &transfer, tl_ids)))
			return status;
	}
	for (i = 0, k = 0; i < lines.nrows; i++)
		if (db_query(r->db, r->pool,
			     "UPDATE stock_request_lines SET quantity_approved = ?, transfer_line_id = ?"
			     " WHERE workspace_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(approved[i]), ARG_ID(approved[i] > 0 ? tl_ids[k++] : 0),
				     ARG_INT(api_ws(r)), ARG_INT(db_cell_int(&lines, i, 0))), NULL))
			return api_db_error(r, "stock request line");
	if (db_query(r->db, r->pool,
		     "UPDATE stock_requests SET transfer_id = ? WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_ID(transfer), ARG_INT(api_ws(r)), ARG_INT(row->id)), NULL))
		return api_db_error(r, "stock request");
	row->transfer = transfer;
	return move(r, row, "APPROVED", comment, 0);
}

/* Undoes an approval: the transfer cancelled, the approval forgotten. */
static int unapprove(struct req *r, struct request_row *row, const char *comment)
{
	int status;

	if (row->transfer && (status = transfer_cancel(r, row->transfer, comment)))
		return status;
	if (db_query(r->db, r->pool,
		     "UPDATE stock_request_lines SET quantity_approved = NULL, transfer_line_id = NULL,"
		     " cancel_reason = NULL WHERE workspace_id = ? AND request_id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id)), NULL) ||
	    db_query(r->db, r->pool,
		     "UPDATE stock_requests SET transfer_id = NULL"
		     " WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id)), NULL))
		return api_db_error(r, "stock request");
	row->transfer = 0;
	return 0;
}

/* The request's lines take the issued and received quantities of their
 * transfer lines. */
static int sync_lines(struct req *r, const struct request_row *row)
{
	if (db_query(r->db, r->pool,
		     "UPDATE stock_request_lines l LEFT JOIN transfer_lines tl"
		     " ON tl.workspace_id = l.workspace_id AND tl.id = l.transfer_line_id"
		     " SET l.quantity_issued = IFNULL(tl.quantity_shipped, 0),"
		     " l.quantity_received = IFNULL(tl.quantity_received, 0)"
		     " WHERE l.workspace_id = ? AND l.request_id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id)), NULL))
		return api_db_error(r, "stock request lines");
	return 0;
}

/* RECEIVE: the body's lines (request lines) as receipts of the transfer. */
static int receive(struct req *r, struct request_row *row, const char *comment)
{
	const char *close_short = api_body_string(r, "closeShort");
	int closing = close_short && !strcmp(close_short, "true");
	struct transfer_receipt *rc;
	struct db_result res;
	json_object *arr = NULL;
	size_t i, len;
	int status;

	json_object_object_get_ex(r->json, "lines", &arr);
	len = arr ? json_object_array_length(arr) : 0;
	if (arr && len == 0)
		return req_field_error(r, "lines", "must hold at least one line (or be left out)");
	if (closing && !api_body_string(r, "reasonCodeId"))
		return req_field_error(r, "reasonCodeId", "is required with closeShort");
	rc = pool_calloc(r->pool, len + 1, sizeof(*rc));
	for (i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (db_query(r->db, r->pool,
			     "SELECT IFNULL(transfer_line_id, 0) FROM stock_request_lines"
			     " WHERE workspace_id = ? AND request_id = ? AND id = ?",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id),
				     ARG_INT(api_member_id(e, "lineId", ID_STOCK_REQUEST_LINE))), &res))
			return req_internal_error(r, "stock request line");
		if (res.nrows == 0 || db_cell_int(&res, 0, 0) == 0)
			return req_field_error(r, pool_printf(r->pool, "lines[%zu].lineId", i),
					       pool_printf(r->pool, "is not an issued line of %s",
							   row->number));
		rc[i] = (struct transfer_receipt){ db_cell_int(&res, 0, 0),
						   api_member_int(e, "quantity"), 0 };
	}
	/* closeShort receives only the lines named (none without lines). */
	if (row->transfer && (len || !closing) &&
	    (status = transfer_receive(r, row->transfer, rc, len, comment)))
		return status;
	if ((status = sync_lines(r, row)))
		return status;
	if (closing) {
		/* What never arrived is written off: the transfer is closed,
		 * and the request is received short. */
		if (db_query(r->db, r->pool,
			     "SELECT COUNT(*) FROM stock_request_lines WHERE workspace_id = ? AND request_id = ?"
			     " AND quantity_received < quantity_issued",
			     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id)), &res))
			return req_internal_error(r, "stock request lines");
		if (db_cell_int(&res, 0, 0) > 0 && row->transfer &&
		    (status = transfer_close(r, row->transfer, comment)))
			return status;
		return move(r, row, "RECEIVED", comment, 0);
	}
	if (db_query(r->db, r->pool,
		     "SELECT COUNT(*) FROM stock_request_lines WHERE workspace_id = ? AND request_id = ?"
		     " AND quantity_received < quantity_issued",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(row->id)), &res))
		return req_internal_error(r, "stock request lines");
	/* A partial receipt leaves it ISSUED, its lines counting. */
	if (db_cell_int(&res, 0, 0) > 0)
		return comment ? request_event(r, row->id, NULL, NULL, comment) : 0;
	return move(r, row, "RECEIVED", comment, 0);
}

/* Takes the step of transition t from row's status. */
static int take(struct req *r, struct request_row *row, const struct transition *t,
		const char *comment)
{
	int status = 0, needed = 1;

	switch (t->step) {
	case SUBMIT:
		if ((status = move(r, row, "SUBMITTED", comment, 0)) ||
		    (status = needs_approval(r, row, &needed)))
			return status;
		/* Nothing to wait for: approved whole, reserving it now. */
		return needed ? move(r, row, "PENDING_APPROVAL", NULL, 0) : approve(r, row, NULL, 1);
	case APPROVE:
		return approve(r, row, comment, 0);
	case REJECT:
		if (!comment || !*comment)
			return req_field_error(r, "comment", "is required to reject");
		return move(r, row, "REJECTED", comment, 0);
	case CANCEL:
		if (row->transfer && (status = transfer_cancel(r, row->transfer, comment)))
			return status;
		return move(r, row, "CANCELLED", comment, 0);
	case ISSUE:
		if (row->transfer && (status = transfer_ship(r, row->transfer, comment)))
			return status;
		if ((status = sync_lines(r, row)))
			return status;
		return move(r, row, "ISSUED", comment, 0);
	case RECEIVE:
		return receive(r, row, comment);
	case ROLLBACK:
		if (!strcmp(row->status, "APPROVED") && (status = unapprove(r, row, comment)))
			return status;
		if (!strcmp(row->status, "ISSUED")) {
			if (row->transfer && (status = transfer_unship(r, row->transfer, comment)))
				return status;
			if ((status = sync_lines(r, row)))
				return status;
		}
		return move(r, row, t->to, comment, 1);
	}
	return status;
}

/* The status transition to (a status, or NULL: the one of step) from
 * request id's status. 409 naming the current status when there is none. */
static int transition(struct req *r, enum step step, const char *to)
{
	const char *comment = api_body_string(r, "comment");
	const struct transition *t;
	struct request_row row;
	int status;

	if ((status = request_lock(r, api_path_id(r, ID_STOCK_REQUEST), &row)))
		return status;
	t = transition_find(row.status, step, to);
	if (!t)
		return req_error(r, 409, "Conflict",
				 pool_printf(r->pool, "stock request %s is %s: it cannot move to %s",
					     row.number, row.status, to ? to :
					     step == SUBMIT ? "SUBMITTED" : step == APPROVE ? "APPROVED" :
					     step == REJECT ? "REJECTED" : "an earlier status"));
	if ((t->step == APPROVE || t->step == REJECT) &&
	    !principal_has_all(&r->principal, PERM_BIT(PERM_STOCKREQUESTS_APPROVE)))
		return req_error(r, 403, "Forbidden",
				 pool_printf(r->pool, "moving to %s requires the stockrequests.approve "
					     "permission", t->to));
	if ((status = take(r, &row, t, comment)))
		return status;
	return request_respond(r, row.id, 200);
}

int request_submit(struct req *r)
{
	return transition(r, SUBMIT, NULL);
}

int request_approve(struct req *r)
{
	return transition(r, APPROVE, NULL);
}

int request_reject(struct req *r)
{
	return transition(r, REJECT, NULL);
}

int request_rollback(struct req *r)
{
	return transition(r, ROLLBACK, NULL);
}

int request_status_post(struct req *r)
{
	return transition(r, SUBMIT, api_body_string(r, "status"));
}

int request_status_get(struct req *r)
{
	int64_t id = api_path_id(r, ID_STOCK_REQUEST);
	struct db_result head, events;
	const char *status_now;
	struct jw w;
	size_t i;

	if (db_query(r->db, r->pool, "SELECT status FROM stock_requests WHERE workspace_id = ? AND id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &head) ||
	    db_query(r->db, r->pool,
		     "SELECT from_status, to_status, actor, comment, " SQL_ISO("created_at")
		     " FROM stock_request_events WHERE workspace_id = ? AND request_id = ?"
		     " AND kind = 'TRANSITION' ORDER BY id",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &events))
		return req_internal_error(r, "stock request status");
	if (head.nrows == 0)
		return api_not_found(r, ID_STOCK_REQUEST);
	status_now = db_cell(&head, 0, 0);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "id", id_format(r->pool, ID_STOCK_REQUEST, id));
	jw_kstr(&w, "status", status_now);
	jw_key(&w, "allowedTransitions");
	jw_open(&w, '[');
	for (i = 0; i < ARRAY_SIZE(transitions); i++)
		if (!strcmp(transitions[i].from, status_now))
			jw_str(&w, transitions[i].to);
	jw_close(&w, ']');
	jw_key(&w, "history");
	jw_open(&w, '[');
	for (i = 0; i < events.nrows; i++)
		api_write_row(&w, &events, i, history_fields);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
