/*
 * The generic resources: list, read, create and update a table whose
 * columns are the body fields of its routes (struct resource).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "ledger/ledger.h"

/* ---- generic resources ---- */

static int stored(const struct field *f)
{
	return f->column != NULL;
}

/* "id, col, ..., created_at, updated_at" in the order of the fields. */
static void select_list(struct strbuf *sb, const struct resource *res)
{
	const struct field *f;

	strbuf_adds(sb, "id");
	if (res->parent_column)
		strbuf_addf(sb, ", %s", res->parent_column);
	for (f = res->fields; f->name; f++) {
		if (!stored(f))
			continue;
		if (f->type == FIELD_DATE)
			strbuf_addf(sb, ", DATE_FORMAT(%s, '%%Y-%%m-%%d')", f->column);
		else if (f->type == FIELD_DATETIME)
			strbuf_addf(sb, ", DATE_FORMAT(%s, '%%Y-%%m-%%dT%%H:%%i:%%sZ')", f->column);
		else
			strbuf_addf(sb, ", %s", f->column);
	}
	strbuf_adds(sb, ", " SQL_ISO("created_at") ", " SQL_ISO("updated_at"));
}

static json_object *field_json(struct req *r, const struct field *f, const struct db_result *res,
			       size_t row, size_t col)
{
	switch (f->type) {
	case FIELD_INTEGER:
		return api_cell_int(res, row, col);
	case FIELD_NUMBER:
		return api_cell_number(res, row, col);
	case FIELD_BOOLEAN:
		return api_cell_bool(res, row, col);
	case FIELD_ID:
		return api_cell_id(r, res, row, col, f->kind);
	default:
		return api_cell_string(res, row, col);
	}
}

static json_object *row_json(struct req *r, const struct resource *rs,
			     const struct db_result *res, size_t row)
{
	json_object *o = json_object_new_object();
	const struct field *f;
	size_t col = 0;

	json_object_object_add(o, "id", api_cell_id(r, res, row, col++, rs->kind));
	if (rs->parent_column)
		json_object_object_add(o, rs->parent_field,
				       api_cell_id(r, res, row, col++, rs->parent_kind));
	for (f = rs->fields; f->name; f++)
		if (stored(f))
			json_object_object_add(o, f->name, field_json(r, f, res, row, col++));
	json_object_object_add(o, "createdAt", api_cell_string(res, row, col++));
	json_object_object_add(o, "updatedAt", api_cell_string(res, row, col));
	return o;
}

/* Binds a validated JSON value for column f. */
static struct db_arg field_arg(const struct field *f, json_object *v)
{
	if (!v)
		return ARG_NULL;
	switch (f->type) {
	case FIELD_INTEGER:
		return ARG_INT(json_object_get_int64(v));
	case FIELD_NUMBER:
		return ARG_DOUBLE(json_object_get_double(v));
	case FIELD_BOOLEAN:
		return ARG_INT(json_object_get_boolean(v) ? 1 : 0);
	case FIELD_ID:
		return ARG_ID(id_parse(f->kind, json_object_get_string(v)));
	default:
		return ARG_TEXT(json_object_get_string(v));
	}
}

/* Reads one object; returns 0, 404 or 500 (status set on error). */
static int fetch_one(struct req *r, const struct resource *rs, int64_t id, int64_t parent,
		     json_object **out)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_result res;
	int ret;

	strbuf_adds(&sql, "SELECT ");
	select_list(&sql, rs);
	strbuf_addf(&sql, " FROM %s WHERE workspace_id = ? AND id = ?", rs->table);
	if (parent) {
		strbuf_addf(&sql, " AND %s = ?", rs->parent_column);
		ret = db_query(r->db, r->pool, sql.buf,
			       DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id), ARG_INT(parent)), &res);
	} else {
		ret = db_query(r->db, r->pool, sql.buf, DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res);
	}
	strbuf_release(&sql);
	if (ret)
		return req_internal_error(r, "read");
	if (res.nrows == 0)
		return api_not_found(r, rs->kind);
	*out = row_json(r, rs, &res, 0);
	return 0;
}

static json_object *resource_row_json(struct req *r, const struct db_result *res, size_t row,
				     const void *ctx)
{
	return row_json(r, ctx, res, row);
}

int resource_get(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	json_object *obj;
	int64_t id = api_path_id(r, rs->kind);
	int status;

	if (!id)
		return api_not_found(r, rs->kind);
	status = fetch_one(r, rs, id, 0, &obj);
	return status ? status : req_respond(r, 200, obj);
}

void api_add_search(struct req *r, const struct resource *rs, struct query *where)
{
	const char *search = req_query(r, "search");
	const struct field *f;
	int first = 1;

	if (!search || !*search)
		return;
	query_add(where, " AND (");
	for (f = rs->fields; f->name; f++) {
		if (!(f->flags & FIELD_SEARCH))
			continue;
		/* INSTR, not LIKE: '%' and '_' in the search are plain text. */
		query_bind(where, pool_printf(r->pool, "%sINSTR(%s, ?) > 0", first ? "" : " OR ",
					      f->column), ARG_TEXT(search));
		first = 0;
	}
	query_add(where, first ? "1)" : ")");
}

int resource_list(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct strbuf sql = STRBUF_INIT;
	struct api_list list = { .rows_tail = " ORDER BY id LIMIT ? OFFSET ?",
				 .row_fn = resource_row_json };
	struct query where;
	const struct field *f;
	int64_t page, limit, parent = 0;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		goto out;
	api_where_init(r, &where);
	if (rs->parent_column) {
		parent = api_path_id(r, rs->parent_kind);
		status = api_exists(r, rs->parent_kind, parent);
		if (status <= 0) {
			status = status < 0 ? req_internal_error(r, "parent") : api_not_found(r, rs->parent_kind);
			goto out;
		}
		query_bind(&where, pool_printf(r->pool, " AND %s = ?", rs->parent_column),
			   ARG_INT(parent));
	}
	/* Filters are fixed fragments named by the field table; values bound. */
	for (f = rs->fields; f->name; f++) {
		const char *v = req_query(r, f->name), *cond;

		if (!(f->flags & FIELD_FILTER) || !v || !*v)
			continue;
		cond = pool_printf(r->pool, " AND %s = ?", f->column);
		if (f->type == FIELD_ID)
			query_bind(&where, cond, ARG_INT(id_parse(f->kind, v)));
		else if (f->type == FIELD_BOOLEAN)
			query_bind(&where, cond, ARG_INT(!strcmp(v, "true") || !strcmp(v, "1")));
		else
			query_bind(&where, cond, ARG_TEXT(v));
	}
	api_add_search(r, rs, &where);
	list.count_sql = pool_printf(r->pool, "SELECT COUNT(*) FROM %s WHERE workspace_id = ?",
				     rs->table);
	strbuf_adds(&sql, "SELECT ");
	select_list(&sql, rs);
	strbuf_addf(&sql, " FROM %s WHERE workspace_id = ?", rs->table);
	list.rows_sql = sql.buf;
	status = api_list_page(r, &list, &where, page, limit, rs);
out:
	strbuf_release(&sql);
	return status;
}

int resource_create(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct strbuf sql = STRBUF_INIT;
	struct query vals, insert;
	struct db_result res;
	const struct field *f;
	json_object *obj;
	int64_t parent = 0;
	int status;

	if (rs->parent_column) {
		parent = api_path_id(r, rs->parent_kind);
		status = api_exists(r, rs->parent_kind, parent);
		if (status <= 0) {
			status = status < 0 ? req_internal_error(r, "parent") : api_not_found(r, rs->parent_kind);
			goto out;
		}
	}
	strbuf_addf(&sql, "INSERT INTO %s (workspace_id", rs->table);
	query_init(&vals, r->pool, "?");
	query_arg(&vals, ARG_INT(api_ws(r)));
	if (parent) {
		strbuf_addf(&sql, ", %s", rs->parent_column);
		query_bind(&vals, ", ?", ARG_INT(parent));
	}
	for (f = rs->fields; f->name; f++) {
		json_object *v;

		if (!stored(f) || (f->flags & FIELD_READONLY) ||
		    !json_object_object_get_ex(r->json, f->name, &v))
			continue;
		strbuf_addf(&sql, ", %s", f->column);
		query_bind(&vals, ", ?", field_arg(f, v));
	}
	strbuf_adds(&sql, ") VALUES (");
	query_init(&insert, r->pool, sql.buf);
	query_append(&insert, &vals);
	query_add(&insert, ")");
	if (query_run(&insert, r->db, &res)) {
		status = api_db_error(r, "insert");
		goto out;
	}
	if ((status = fetch_one(r, rs, (int64_t)res.insert_id, 0, &obj)))
		goto out;
	status = req_respond(r, 201, obj);
out:
	strbuf_release(&sql);
	return status;
}

int resource_update(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct query update;
	struct db_result res;
	const struct field *f;
	json_object *obj, *before = NULL;
	int64_t id = api_path_id(r, rs->kind);
	int status;

	if (!id) {
		status = api_not_found(r, rs->kind);
		goto out;
	}
	if ((status = fetch_one(r, rs, id, 0, &before)))
		goto out;
	query_init(&update, r->pool,
		   pool_printf(r->pool, "UPDATE %s SET updated_at = CURRENT_TIMESTAMP(3)", rs->table));
	for (f = rs->fields; f->name; f++) {
		json_object *v;

		if (!stored(f) || (f->flags & (FIELD_READONLY | FIELD_CREATE_ONLY)) ||
		    !json_object_object_get_ex(r->json, f->name, &v))
			continue;
		query_bind(&update, pool_printf(r->pool, ", %s = ?", f->column), field_arg(f, v));
	}
	query_bind(&update, " WHERE workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&update, " AND id = ?", ARG_INT(id));
	if (query_run(&update, r->db, &res)) {
		status = api_db_error(r, "update");
		goto out;
	}
	if (rs->after_update && (status = rs->after_update(r, id, before)))
		goto out;
	if ((status = fetch_one(r, rs, id, 0, &obj)))
		goto out;
	status = req_respond(r, 200, obj);
out:
	json_object_put(before);
	return status;
}
