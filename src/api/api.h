/* SPDX-License-Identifier: MIT */
/*
 * The helpers that handlers share, and the generic resource handlers
 * (api/resource.c). The handlers of a domain are declared in its folder's
 * header (api/stock/stock.h, ...); this file includes none of them. A
 * handler sees a request that has passed routing, authentication, the
 * permission check and input validation; it returns the HTTP status it set
 * with req_respond/req_error.
 */
#ifndef INV_API_H
#define INV_API_H

#include <stdint.h>

#include "core/ids.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "db/query.h"
#include "http/http.h"
#include "core/strbuf.h"
#include "routes.h"

/* SQL that renders DATETIME columns as ISO 8601 UTC and DATE columns. */
#define SQL_ISO(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define SQL_DATE(col) "DATE_FORMAT(" col ", '%Y-%m-%d')"

/*
 * A lot is expired when its status is EXPIRED or its expiry date is before
 * today (UTC): stock is usable through its expiry date. Its stock is
 * unusable when it is expired, RECALLED or ON_HOLD, whether or not the
 * stock was moved into the matching bucket. l is the lot's alias, joined
 * with a LEFT JOIN: "IS TRUE" turns a line without a lot into false.
 */
#define SQL_LOT_EXPIRED(l) "(" l ".status = 'EXPIRED' OR " l ".expiry_date < CURRENT_DATE)"
#define SQL_LOT_UNUSABLE(l) "(" l ".status IN ('EXPIRED', 'RECALLED', 'ON_HOLD')" \
	" OR " l ".expiry_date < CURRENT_DATE)"
/* The lot of stock line t as lt. */
#define SQL_JOIN_LOT(t) " LEFT JOIN lots lt ON lt.workspace_id = " t ".workspace_id AND lt.id = " t ".lot_id"

/* On hand less every bucket committed or set aside (ledger_available). */
#define SQL_BUCKETS_FREE(t) "(" t ".qty_on_hand - " t ".qty_reserved - " t ".qty_on_hold - " \
	t ".qty_picked - " t ".qty_recalled - " t ".qty_expired)"
/*
 * What stock line t can promise, the one definition used by every list,
 * total, check and reservation: its free buckets, and nothing when its lot
 * l is unusable (so stock already moved into the expired, recalled or
 * on-hold bucket is not subtracted twice). api_available is the same rule
 * in C.
 */
#define SQL_AVAILABLE(t, l) "(CASE WHEN " SQL_LOT_UNUSABLE(l) " IS TRUE THEN 0 ELSE " \
	SQL_BUCKETS_FREE(t) " END)"

/*
 * A generic resource: a table whose columns are the body fields of its
 * routes. The generic handlers below list, read, create and update it,
 * always scoped to the caller's workspace.
 */
struct resource {
	const char *table;
	enum id_kind kind;
	const struct field *fields;
	const char *parent_column;    /* bins belong to a location: "location_id" */
	enum id_kind parent_kind;
	const char *parent_field;     /* its name in responses: "locationId" */
	/* Called after an update is written, in its transaction, with the
	 * object as it was; returns 0 or the status of an error it set. */
	int (*after_update)(struct req *r, int64_t id, json_object *before);
};

/*
 * Appends the condition of the query's search (a substring of any
 * FIELD_SEARCH column of rs, unqualified) and its values to where.
 * Nothing without a search.
 */
void api_add_search(struct req *r, const struct resource *rs, struct query *where);

/*
 * The columns of rs's objects as the generic handlers answer them: id, the
 * parent's id, every stored field (null when it may be left out),
 * createdAt and updatedAt. Built once per resource and kept.
 */
const struct field *resource_columns(const struct resource *rs);

int resource_list(struct req *r);
int resource_get(struct req *r);
int resource_create(struct req *r);
int resource_update(struct req *r);
/* 204, or 404 when the workspace has no such object. */
int resource_delete(struct req *r);

/*
 * An equality filter of a list: a query parameter, the fixed SQL fragment
 * it appends (" AND t.col = ?") and the id kind its value is parsed as
 * (ID_NONE: bound as text; validated before the handler runs).
 */
struct api_filter {
	const char *param;
	enum id_kind kind;
	const char *sql;
};

/*
 * Appends the fragment of every filter whose parameter is given, and its
 * value, to where. Returns how many filters were applied.
 */
size_t api_add_filters(struct req *r, const struct api_filter *filters, size_t nf,
		       struct query *where);
/*
 * Appends the query's fromDate/toDate conditions on column (fixed text):
 * column >= fromDate and column < the first instant after toDate, so a
 * date alone includes that whole day (api_utc_bound). Returns 0 or the
 * 400 status set.
 */
int api_add_date_range(struct req *r, struct query *where, const char *column);

/* The query fields api_add_date_range reads, on the creation date. */
#define API_CREATED_RANGE_QUERY \
	{ .name = "fromDate", .type = FIELD_STRING, .description = "Created on or after (ISO 8601)" }, \
	{ .name = "toDate", .type = FIELD_STRING, \
	  .description = "Created on or before (ISO 8601; a date includes that day)" },
/* The query fields api_page reads, with its usual default and maximum. */
#define API_PAGE_QUERY \
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" }, \
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 20, max: 100)" },
/*
 * Appends fragment (fixed text, " AND (INSTR(t.number, ?) > 0 OR ...)")
 * with the query's search as the value of each of its placeholders; nothing
 * without a search.
 */
void api_add_search_fragment(struct req *r, struct query *where, const char *fragment);

/* Page and limit from the query; returns 0 or the 400 status set. */
int api_page(struct req *r, int64_t default_limit, int64_t max_limit,
	     int64_t *page, int64_t *limit);
/* Limit and offset from the query; returns 0 or the 400 status set. */
int api_offset(struct req *r, int64_t default_limit, int64_t max_limit,
	       int64_t *limit, int64_t *offset);
/*
 * A list's fixed SQL. The total is count_sql followed by the conditions;
 * the rows are rows_sql, the same conditions and rows_tail, whose last
 * placeholders are LIMIT ? OFFSET ?. The rows query starts with the
 * SELECT list of columns (api_select), and rows_sql is what follows it
 * (" FROM ..."); each row is written as the columns say.
 */
struct api_list {
	const char *count_sql;
	const char *rows_sql;
	const char *rows_tail;
	const struct field *columns;
	const struct query *rows_where;   /* conditions of the rows alone, not the total */
};
/* Starts the conditions of a list whose heads end in a workspace
 * condition ("WHERE t.workspace_id = ?"), bound to the caller's. */
void api_where_init(struct req *r, struct query *where);
/*
 * Runs the total of list (count_sql and the conditions of where) and its
 * rows (rows_sql, the conditions, those of rows_where, rows_tail with limit
 * and offset), for a list that answers its own envelope. Returns 0 or the
 * 500 status set.
 */
int api_list_run(struct req *r, const struct api_list *list, const struct query *where,
		 int64_t limit, int64_t offset, struct db_result *count, struct db_result *rows);
/*
 * Answers one page of list: where holds the conditions (" AND ..."
 * fragments) built once for both queries, and the values of every
 * placeholder of the heads and the conditions, in order (the heads'
 * first, added with query_arg before any condition). Answers
 * {"items": [...], "pagination": {...}}. Returns the status set.
 */
int api_list_page(struct req *r, const struct api_list *list, const struct query *where,
		  int64_t page, int64_t limit);
/*
 * As api_list_page with a limit and an offset (api_offset). Answers
 * {items_name: [...], "total": N, "pagination": {"limit", "offset",
 * "hasMore"}}. Returns the status set.
 */
int api_list_offset(struct req *r, const struct api_list *list, const struct query *where,
		    int64_t limit, int64_t offset, const char *items_name);
/* The member "pagination" of the object being written: {"page",
 * "pageSize", "total", "totalPages"}. */
void api_write_pagination(struct jw *w, int64_t page, int64_t limit, int64_t total);
/* The rows of a list as an array, as its columns say. */
void api_write_rows(struct jw *w, const struct api_list *list, const struct db_result *rows);

/*
 * Declared columns: a FIELDS_END-terminated table of struct field whose
 * .column is an SQL expression (a DATE or DATETIME column is formatted by
 * api_select), in SELECT order. The one table gives the SELECT list, the
 * JSON of each row and, named in the route's .response, the OpenAPI schema.
 * A FIELD_OBJECT member with .items and no .column is a nested object made
 * of its members' columns, which follow in the SELECT list.
 */
/* "SELECT <each column>", written once per table and kept. */
const char *api_select(const struct field *cols);
/* Row row of res as an object, one member per column, typed as declared
 * (ids with their prefix, numbers from the database's digits). */
void api_write_row(struct jw *w, const struct db_result *res, size_t row,
		   const struct field *cols);
/* The same members, into the object being written (more may follow). */
void api_write_members(struct jw *w, const struct db_result *res, size_t row,
		       const struct field *cols);
/*
 * Writes the one row of cols that from (" FROM ... WHERE t.workspace_id =
 * ?", the caller's workspace) and tail (one placeholder, for id: " AND
 * t.id = ?") select. Returns 0, or the 404 (of kind) or 500 status set.
 */
int api_write_one(struct req *r, struct jw *w, const struct field *cols, const char *from,
		  const char *tail, enum id_kind kind, int64_t id);
/* The same row as the whole answer, with status. Returns the status set. */
int api_respond_one(struct req *r, const struct field *cols, const char *from, const char *tail,
		    enum id_kind kind, int64_t id, int status);
/* One cell as field f says (NULL cells are null). */
void api_write_cell(struct jw *w, const struct field *f, const char *cell);
/* The workspace of the request. */
static inline int64_t api_ws(const struct req *r)
{
	return r->principal.workspace_id;
}
/* The [id] of the path parsed as kind; 0 when malformed (answer 404). */
int64_t api_path_id(const struct req *r, enum id_kind kind);
/* The seed's 404 for a product or location that is not the workspace's,
 * where both are given (record stock, stock adjustments, levels). */
#define API_PRODUCT_OR_LOCATION_GONE "Product or location not found"
/* 404 {"error": "<Noun> not found"} */
int api_not_found(struct req *r, enum id_kind kind);
/* 1 when an object of kind with id exists in the workspace, 0 when not,
 * -1 on a database error. */
int api_exists(struct req *r, enum id_kind kind, int64_t id);
/* Answers a failed database call: 409 for a duplicate, 400 for a value
 * the database cannot store, 503 when it is unreachable, else 500. */
int api_db_error(struct req *r, const char *what);

/*
 * Turns an ISO 8601 date or date-time into UTC "YYYY-MM-DD HH:MM:SS.mmm"
 * for comparing with DATETIME(3) columns; with end set, the first instant
 * after what the value names (a date: its whole day). NULL when malformed.
 */
const char *api_utc_bound(struct pool *pool, const char *s, int end);

/* Body accessors (the body was validated, so types are right). */
const char *api_body_string(struct req *r, const char *name);
int api_body_has(struct req *r, const char *name);
/* Parses an id field of the body; 0 when absent, null or malformed. */
int64_t api_body_id(struct req *r, const char *name, enum id_kind kind);
/* The same for a member of an object of the body (an array's element):
 * NULL or 0 when absent or null. */
const char *api_member_string(json_object *obj, const char *name);
int64_t api_member_id(json_object *obj, const char *name, enum id_kind kind);
int64_t api_member_int(json_object *obj, const char *name);

/*
 * Sets *refusal to why the stock of lot lot_id cannot be promised ("lot is
 * EXPIRED"), the C side of SQL_LOT_UNUSABLE, or NULL when it can or lot_id
 * is 0. Returns 0, or the 500/503 status set on a database error.
 */
int api_lot_refusal(struct req *r, int64_t lot_id, const char **refusal);
/* The same from a lot's status and whether it is past its expiry date
 * (read by a caller's own query); NULL when status is NULL (no lot). */
const char *api_lot_refusal_of(struct req *r, const char *status, int expired);
/* SQL_AVAILABLE in C: the free buckets of a line (ledger_available) and
 * its lot's refusal. */
static inline int64_t api_available(int64_t free, const char *lot_refusal)
{
	return lot_refusal ? 0 : free;
}

/* Answers a failed ledger call: 409 "Insufficient stock", 404, or 500. */
int api_ledger_error(struct req *r, int ledger_status);
struct ledger_scope;
struct ledger_scope_lines;
/* As api_ledger_error; LEDGER_AMBIGUOUS (ledger_post_scope) is 422 with the
 * scope's lines as "candidates". */
int api_scope_error(struct req *r, int ledger_status, const struct ledger_scope *scope,
		    const struct ledger_scope_lines *lines);
/* Who acts: the token's subject or "apikey:key_N", for the ledger. */
static inline const char *api_actor(const struct req *r)
{
	return r->principal.subject;
}

/* The page, limit and search query of the generic lists (routes.c). */
extern const struct field page_query[];

#endif
