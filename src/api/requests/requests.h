/* SPDX-License-Identifier: MIT */
/*
 * Stock requests: a requesting location asks a fulfilling one for stock.
 * Approval reserves it by opening a transfer (api/moves), issuing ships
 * that transfer and receiving receives it, so stock moves through the
 * ledger once.
 */
#ifndef INV_API_REQUESTS_H
#define INV_API_REQUESTS_H

#include "api/api.h"

/* requests.c: the request, its lines and comments */
int request_list(struct req *r);
int request_get(struct req *r);
int request_create(struct req *r);
int request_update(struct req *r);
int request_delete(struct req *r);
int request_lines_get(struct req *r);
int request_lines_post(struct req *r);
int request_comment(struct req *r);
extern const struct field request_query[], request_create_fields[], request_update_fields[],
	request_lines_fields[], request_comment_fields[];
extern const struct field request_answer[], request_columns[], request_lines_answer[],
	request_deleted_answer[];

/* request_flow.c: the workflow */
int request_submit(struct req *r);
int request_approve(struct req *r);
int request_reject(struct req *r);
int request_rollback(struct req *r);
int request_status_get(struct req *r);
int request_status_post(struct req *r);
extern const struct field request_approve_fields[], request_reject_fields[],
	request_rollback_fields[], request_status_fields[], request_status_answer[];

/* request_views.c: what the workspace's requests add up to */
int request_pending_approvals(struct req *r);
int request_dashboard(struct req *r);
int request_by_category(struct req *r);
int request_filters(struct req *r);
int request_product_search(struct req *r);
int request_stocklist(struct req *r);
extern const struct field request_pending_query[], request_dashboard_query[],
	request_by_category_query[], request_search_query[], request_stocklist_query[];
extern const struct field request_dashboard_answer[], request_by_category_answer[],
	request_filters_answer[], request_search_answer[], request_stocklist_answer[];

/* Shared by the three files. */
extern const char *const request_statuses[], *const request_priorities[];

/* A request as the workflow reads it, locked. */
struct request_row {
	int64_t id, requesting, fulfilling, transfer;
	const char *number, *status, *requested_by;
};
/* Locks request id of the workspace (404 when there is none). Returns 0
 * or the status of the error set. */
int request_lock(struct req *r, int64_t id, struct request_row *out);
/* Answers request id whole with status. */
int request_respond(struct req *r, int64_t id, int status);
/* Records a transition (from NULL: created) or, with to NULL, a comment. */
int request_event(struct req *r, int64_t id, const char *from, const char *to,
		  const char *comment);
/* 1 when the request may be edited by the caller: DRAFT, or
 * PENDING_APPROVAL and the caller requested it. */
int request_editable(const struct req *r, const struct request_row *row);
/*
 * The suggested lines of a location's stocklist: its Supported inventory
 * levels, max(maxQuantity - onHand, 0) each. Rows: product, sku, name,
 * max, on hand, suggestion, in product order.
 */
int request_stocklist_read(struct req *r, int64_t location, struct db_result *rows);

#endif
