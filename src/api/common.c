/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/jsonw.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/query.h"
#include "ledger/ledger.h"

int api_page(struct req *r, int64_t default_limit, int64_t max_limit,
	     int64_t *page, int64_t *limit)
{
	const char *p = req_query(r, "page"), *l = req_query(r, "limit");

	*page = 1;
	*limit = default_limit;
	if (p && *p && (parse_int64(p, page) || *page < 1 || *page > 1000000000))
		return req_field_error(r, "page", "must be a positive integer");
	if (l && *l && (parse_int64(l, limit) || *limit < 1))
		return req_field_error(r, "limit", "must be a positive integer");
	/* Larger pages are clamped to the maximum, as documented. */
	if (*limit > max_limit)
		*limit = max_limit;
	return 0;
}

/* The members of "pagination", in the order api_write_pagination writes them. */
const struct field api_page_fields[] = {
	{ .name = "page", .type = FIELD_INTEGER, .description = "This page's number, from 1" },
	{ .name = "pageSize", .type = FIELD_INTEGER, .description = "The limit applied" },
	{ .name = "total", .type = FIELD_INTEGER, .description = "How many match, on every page" },
	{ .name = "totalPages", .type = FIELD_INTEGER, .description = "ceil(total / pageSize)" },
	FIELDS_END
};
_Static_assert(sizeof(api_page_fields) / sizeof(api_page_fields[0]) == 5,
	       "api_write_pagination writes four members");

const struct field api_offset_fields[] = {
	{ .name = "limit", .type = FIELD_INTEGER, .description = "The limit applied" },
	{ .name = "offset", .type = FIELD_INTEGER, .description = "The offset applied" },
	{ .name = "hasMore", .type = FIELD_BOOLEAN, .description = "Whether more follow this page" },
	FIELDS_END
};

void api_write_pagination(struct jw *w, int64_t page, int64_t limit, int64_t total)
{
	/* In the order of api_page_fields, which documents them. */
	const int64_t values[] = { page, limit, total, (total + limit - 1) / limit };
	size_t i;

	jw_key(w, "pagination");
	jw_open(w, '{');
	for (i = 0; i < ARRAY_SIZE(values); i++)
		jw_kint(w, api_page_fields[i].name, values[i]);
	jw_close(w, '}');
}

int api_offset(struct req *r, int64_t default_limit, int64_t max_limit,
	       int64_t *limit, int64_t *offset)
{
	const char *l = req_query(r, "limit"), *o = req_query(r, "offset");

	*limit = default_limit;
	*offset = 0;
	if (l && *l && (parse_int64(l, limit) || *limit < 1))
		return req_field_error(r, "limit", "must be a positive integer");
	if (*limit > max_limit)
		*limit = max_limit;
	if (o && *o && (parse_int64(o, offset) || *offset < 0))
		return req_field_error(r, "offset", "must not be negative");
	return 0;
}

void api_where_init(struct req *r, struct query *where)
{
	query_init(where, r->pool, "");
	query_arg(where, ARG_INT(api_ws(r)));
}

int api_list_run(struct req *r, const struct api_list *list, const struct query *where,
		 int64_t limit, int64_t offset, struct db_result *count, struct db_result *rows)
{
	struct query q;

	query_init(&q, r->pool, list->count_sql);
	query_append(&q, where);
	if (query_run(&q, r->db, count))
		return req_internal_error(r, "list count");
	/* Declared columns make the SELECT list; rows_sql is what follows. */
	query_init(&q, r->pool, list->columns ? api_select(list->columns) : list->rows_sql);
	if (list->columns)
		query_add(&q, list->rows_sql);
	query_append(&q, where);
	if (list->rows_where)
		query_append(&q, list->rows_where);
	query_add(&q, list->rows_tail);
	query_arg(&q, ARG_INT(limit));
	query_arg(&q, ARG_INT(offset));
	if (query_run(&q, r->db, rows))
		return req_internal_error(r, "list rows");
	return 0;
}

void api_write_rows(struct jw *w, const struct api_list *list, const struct db_result *rows)
{
	size_t i;

	jw_open(w, '[');
	for (i = 0; i < rows->nrows; i++)
		api_write_row(w, rows, i, list->columns);
	jw_close(w, ']');
}

int api_list_page(struct req *r, const struct api_list *list, const struct query *where,
		  int64_t page, int64_t limit)
{
	struct db_result count, rows;
	struct jw w;
	int status;

	if ((status = api_list_run(r, list, where, limit, (page - 1) * limit, &count, &rows)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "items");
	api_write_rows(&w, list, &rows);
	api_write_pagination(&w, page, limit, db_cell_int(&count, 0, 0));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

int api_list_offset(struct req *r, const struct api_list *list, const struct query *where,
		    int64_t limit, int64_t offset, const char *items_name)
{
	struct db_result count, rows;
	struct jw w;
	int64_t total;
	int status;

	if ((status = api_list_run(r, list, where, limit, offset, &count, &rows)))
		return status;
	total = db_cell_int(&count, 0, 0);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, items_name);
	api_write_rows(&w, list, &rows);
	jw_kint(&w, "total", total);
	jw_key(&w, "pagination");
	jw_open(&w, '{');
	jw_kint(&w, "limit", limit);
	jw_kint(&w, "offset", offset);
	jw_kbool(&w, "hasMore", offset + (int64_t)rows.nrows < total);
	jw_close(&w, '}');
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

int api_write_one(struct req *r, struct jw *w, const struct field *cols, const char *from,
		  const char *tail, enum id_kind kind, int64_t id)
{
	struct db_result res;
	struct query q;

	query_init(&q, r->pool, api_select(cols));
	query_add(&q, from);
	query_arg(&q, ARG_INT(api_ws(r)));
	query_bind(&q, tail, ARG_INT(id));
	if (query_run(&q, r->db, &res))
		return req_internal_error(r, "read");
	if (res.nrows == 0)
		return api_not_found(r, kind);
	api_write_row(w, &res, 0, cols);
	return 0;
}

int api_respond_one(struct req *r, const struct field *cols, const char *from, const char *tail,
		    enum id_kind kind, int64_t id, int status)
{
	struct jw w;
	int ret;

	jw_init(&w, r->pool);
	if ((ret = api_write_one(r, &w, cols, from, tail, kind, id)))
		return ret;
	return req_respond_jw(r, status, &w);
}

/* ---- declared columns ---- */

/* The columns of cols, after *n columns already written; a nested object
 * (FIELD_OBJECT with .items and no .column) is its members' columns. */
static void add_columns(struct strbuf *sb, const struct field *cols, size_t *n)
{
	const struct field *f;

	for (f = cols; f->name; f++) {
		if (f->type == FIELD_OBJECT && f->items && !f->column) {
			add_columns(sb, f->items, n);
			continue;
		}
		if ((*n)++)
			strbuf_adds(sb, ", ");
		if (f->type == FIELD_DATE)
			strbuf_addf(sb, "DATE_FORMAT(%s, '%%Y-%%m-%%d')", f->column);
		else if (f->type == FIELD_DATETIME)
			strbuf_addf(sb, "DATE_FORMAT(%s, '%%Y-%%m-%%dT%%H:%%i:%%sZ')", f->column);
		else
			strbuf_adds(sb, f->column);
	}
}

/* One SELECT list per column table, written on first use and kept for
 * the process's life, like the statements prepared from it. */
#define SELECT_CACHE_SIZE 128

const char *api_select(const struct field *cols)
{
	static struct { const struct field *cols; char *sql; } cache[SELECT_CACHE_SIZE];
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < SELECT_CACHE_SIZE && cache[i].cols; i++)
		if (cache[i].cols == cols)
			return cache[i].sql;
	if (i == SELECT_CACHE_SIZE)
		bug("more than %d column tables", SELECT_CACHE_SIZE);
	strbuf_adds(&sb, "SELECT ");
	add_columns(&sb, cols, &n);
	cache[i].cols = cols;
	cache[i].sql = strbuf_detach(&sb);
	return cache[i].sql;
}

void api_write_cell(struct jw *w, const struct field *f, const char *cell)
{
	switch (f->type) {
	case FIELD_ID:
		jw_id(w, id_prefixes[f->kind], cell);
		break;
	case FIELD_INTEGER:
	case FIELD_NUMBER:
		/* The database's own digits: DECIMAL(18,4) and INT text. */
		jw_decimal(w, cell);
		break;
	case FIELD_BOOLEAN:
		if (cell)
			jw_bool(w, strcmp(cell, "0") != 0);
		else
			jw_null(w);
		break;
	default:
		jw_str(w, cell);
		break;
	}
}

/* The members of cols from the cells of row from *col on, as add_columns
 * laid them out: a FIELD_OBJECT with items and no column is an object of
 * its members' columns, which follow in the SELECT list. A FIELD_OPTIONAL
 * member that may not be null is left out when its cell is NULL. */
static void write_members(struct jw *w, const struct db_result *res, size_t row,
			  const struct field *cols, size_t *col)
{
	const struct field *f;

	for (f = cols; f->name; f++) {
		if (f->column && (f->flags & FIELD_OPTIONAL) && !(f->flags & FIELD_NULLABLE) &&
		    !db_cell(res, row, *col)) {
			(*col)++;
			continue;
		}
		jw_key(w, f->name);
		if (f->type == FIELD_OBJECT && f->items && !f->column) {
			jw_open(w, '{');
			write_members(w, res, row, f->items, col);
			jw_close(w, '}');
		} else {
			api_write_cell(w, f, db_cell(res, row, (*col)++));
		}
	}
}

void api_write_members(struct jw *w, const struct db_result *res, size_t row,
		       const struct field *cols)
{
	size_t col = 0;

	write_members(w, res, row, cols, &col);
}

void api_write_row(struct jw *w, const struct db_result *res, size_t row, const struct field *cols)
{
	jw_open(w, '{');
	api_write_members(w, res, row, cols);
	jw_close(w, '}');
}

size_t api_add_filters(struct req *r, const struct api_filter *filters, size_t nf,
		       struct query *where)
{
	size_t i, applied = 0;

	for (i = 0; i < nf; i++) {
		const char *v = req_query(r, filters[i].param);

		if (!v || !*v)
			continue;
		query_bind(where, filters[i].sql, filters[i].kind == ID_NONE ? ARG_TEXT(v)
				  : ARG_INT(id_parse(filters[i].kind, v)));
		applied++;
	}
	return applied;
}

int api_add_date_range(struct req *r, struct query *where, const char *column)
{
	static const char *const names[] = { "fromDate", "toDate" };
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *v = req_query(r, names[i]), *bound;

		if (!v || !*v)
			continue;
		/* toDate's bound is the first instant after what it names. */
		if (!(bound = api_utc_bound(r->pool, v, (int)i)))
			return req_field_error(r, names[i], "must be an ISO 8601 date-time");
		/* column is the caller's fixed text, never input. */
		query_bind(where, pool_printf(r->pool, i ? " AND %s < ?" : " AND %s >= ?", column),
			   ARG_TEXT(bound));
	}
	return 0;
}

int64_t api_path_id(const struct req *r, enum id_kind kind)
{
	return r->npath_params ? id_parse(kind, r->path_params[0]) : 0;
}

int api_not_found(struct req *r, enum id_kind kind)
{
	return req_error(r, 404, pool_printf(r->pool, "%s not found", id_nouns[kind]), NULL);
}

int api_exists(struct req *r, enum id_kind kind, int64_t id)
{
	struct db_result res;
	const char *sql;

	if (id <= 0)
		return 0;
	/* The table name comes from the fixed id_tables array, never input. */
	sql = pool_printf(r->pool, "SELECT 1 FROM %s WHERE workspace_id = ? AND id = ?",
			  id_tables[kind]);
	if (db_query(r->db, r->pool, sql, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res))
		return -1;
	return res.nrows > 0;
}

int api_db_error(struct req *r, const char *what)
{
	switch (db_errno(r->db)) {
	case DB_ER_DUP_ENTRY:
		return req_error(r, 409, "Conflict", "an object with the same unique key already exists");
	default:
		/* Values the database cannot store are 400 there too. */
		return req_internal_error(r, what);
	}
}

int api_lot_refusal(struct req *r, int64_t lot_id, const char **refusal)
{
	struct db_result res;

	*refusal = NULL;
	if (!lot_id)
		return 0;
	if (db_query(r->db, r->pool,
		     "SELECT lt.status, " SQL_LOT_EXPIRED("lt") " IS TRUE FROM lots lt"
		     " WHERE lt.workspace_id = ? AND lt.id = ?",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(lot_id)), &res))
		return req_internal_error(r, "lot status");
	if (res.nrows)
		*refusal = api_lot_refusal_of(r, db_cell(&res, 0, 0), db_cell_int(&res, 0, 1));
	return 0;
}

const char *api_lot_refusal_of(struct req *r, const char *status, int expired)
{
	if (!status)
		return NULL;
	if (strcmp(status, "ACTIVE"))
		return pool_printf(r->pool, "lot is %s", status);
	return expired ? "lot is EXPIRED" : NULL;
}

int api_ledger_error(struct req *r, int ledger_status)
{
	switch (ledger_status) {
	case LEDGER_NEGATIVE:
		return req_error(r, 409, "Insufficient stock",
				 "the change would leave available stock below zero");
	case LEDGER_NO_LINE:
		return api_not_found(r, ID_ITEM);
	default:
		return req_internal_error(r, "ledger");
	}
}

int api_scope_error(struct req *r, int ledger_status, const struct ledger_scope *scope,
		    const struct ledger_scope_lines *lines)
{
	json_object *o, *candidates, *c;
	size_t i;

	if (ledger_status != LEDGER_AMBIGUOUS)
		return api_ledger_error(r, ledger_status);
	candidates = json_object_new_array_ext((int)lines->n);
	for (i = 0; i < lines->n; i++) {
		const struct ledger_line *l = &lines->lines[i];

		c = json_object_new_object();
		json_object_object_add(c, "inventoryItemId",
				       json_object_new_string(id_format(r->pool, ID_ITEM, l->id)));
		json_object_object_add(c, "lotId", l->lot_id ?
				       json_object_new_string(id_format(r->pool, ID_LOT, l->lot_id)) : NULL);
		json_object_object_add(c, "binId", l->bin_id ?
				       json_object_new_string(id_format(r->pool, ID_BIN, l->bin_id)) : NULL);
		json_object_object_add(c, "quantityOnHand", json_object_new_int64(l->qty[B_ON_HAND]));
		json_object_array_add(candidates, c);
	}
	o = json_object_new_object();
	json_object_object_add(o, "error", json_object_new_string("Ambiguous stock line"));
	json_object_object_add(o, "message", json_object_new_string(pool_printf(r->pool,
		"%s has %zu stock lines at %s and none is its default line (%s, %s): name lotId and "
		"binId, or inventoryItemId, to say which line the added stock goes to",
		id_format(r->pool, ID_PRODUCT, scope->product_id), lines->n,
		id_format(r->pool, ID_LOCATION, scope->location_id),
		scope->lot_id ? id_format(r->pool, ID_LOT, scope->lot_id) : "no lot",
		scope->bin_id ? id_format(r->pool, ID_BIN, scope->bin_id) : "no bin")));
	json_object_object_add(o, "candidates", candidates);
	return req_respond(r, 422, o);
}

const char *api_member_string(json_object *obj, const char *name)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, name, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

int64_t api_member_id(json_object *obj, const char *name, enum id_kind kind)
{
	return id_parse(kind, api_member_string(obj, name));
}

int64_t api_member_int(json_object *obj, const char *name)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, name, &v) || !v)
		return 0;
	return json_object_get_int64(v);
}

const char *api_body_string(struct req *r, const char *name)
{
	return api_member_string(r->json, name);
}

int api_body_has(struct req *r, const char *name)
{
	return json_object_object_get_ex(r->json, name, NULL);
}

int64_t api_body_id(struct req *r, const char *name, enum id_kind kind)
{
	return id_parse(kind, api_body_string(r, name));
}

/* Parses exactly n digits at s. Returns 0, or -1. */
static int parse_digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Turns an ISO 8601 date or date-time ("2024-01-15", "2024-01-15T10:30Z",
 * "2024-01-15T10:30:00.5+02:00") into UTC "YYYY-MM-DD HH:MM:SS.mmm" for
 * comparing with DATETIME(3) columns. With end set, it is the first
 * instant after what the value names: a date names its whole day, a time
 * its whole minute or second. Returns NULL when s is malformed.
 */
const char *api_utc_bound(struct pool *pool, const char *s, int end)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, oh = 0, om = 0, sign = 0, digits;
	long grain = 86400;   /* seconds the value spans; 0: milliseconds */
	char text[32];
	time_t t;

	if (parse_digits(s, 4, &y) || s[4] != '-' || parse_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    parse_digits(s + 8, 2, &d))
		return NULL;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if (parse_digits(s + 1, 2, &h) || s[3] != ':' || parse_digits(s + 4, 2, &mi))
			return NULL;
		s += 6;
		grain = 60;
		if (*s == ':') {
			if (parse_digits(s + 1, 2, &sec))
				return NULL;
			s += 3;
			grain = 1;
			if (*s == '.') {
				for (s++, digits = 0; isdigit((unsigned char)*s); s++, digits++)
					if (digits < 3)
						ms = ms * 10 + (*s - '0');
				if (!digits)
					return NULL;
				for (; digits < 3; digits++)
					ms *= 10;
				grain = 0;
			}
		}
		if (*s == 'Z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s == '-' ? -1 : 1;
			if (parse_digits(s + 1, 2, &oh))
				return NULL;
			s += 3;
			if (*s == ':')
				s++;
			if (*s && parse_digits(s, 2, &om))
				return NULL;
			s += *s ? 2 : 0;
		}
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 ||
	    oh > 23 || om > 59)
		return NULL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm) - (time_t)sign * (oh * 3600 + om * 60);
	if (end && grain)
		t += grain;
	else if (end && ++ms == 1000) {
		ms = 0;
		t++;
	}
	if (!gmtime_r(&t, &tm) || !strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &tm))
		return NULL;
	return pool_printf(pool, "%s.%03d", text, ms);
}
