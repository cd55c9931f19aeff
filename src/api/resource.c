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

void api_add_search(struct req *r, const struct resource *rs, struct strbuf *where,
		    struct db_arg *args, size_t *n)
{
	const char *search = req_query(r, "search");
	const struct field *f;
	int first = 1;

	if (!search || !*search)
		return;
	strbuf_adds(where, " AND (");
	for (f = rs->fields; f->name; f++) {
		if (!(f->flags & FIELD_SEARCH))
			continue;
		/* INSTR, not LIKE: '%' and '_' in the search are plain text. */
		strbuf_addf(where, "%sINSTR(%s, ?) > 0", first ? "" : " OR ", f->column);
		args[(*n)++] = ARG_TEXT(search);
		first = 0;
	}
	strbuf_adds(where, first ? "1)" : ")");
}

int resource_list(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct strbuf where = STRBUF_INIT, sql = STRBUF_INIT, count = STRBUF_INIT;
	struct db_arg args[32];
	const struct field *f;
	int64_t page, limit, parent = 0;
	size_t n = 0;
	int status;

	if ((status = api_page(r, 20, 100, &page, &limit)))
		goto out;
	args[n++] = ARG_INT(api_ws(r));
	strbuf_adds(&where, " WHERE workspace_id = ?");
	if (rs->parent_column) {
		parent = api_path_id(r, rs->parent_kind);
		status = api_exists(r, rs->parent_kind, parent);
		if (status <= 0) {
			status = status < 0 ? req_internal_error(r, "parent") : api_not_found(r, rs->parent_kind);
			goto out;
		}
		strbuf_addf(&where, " AND %s = ?", rs->parent_column);
		args[n++] = ARG_INT(parent);
	}
	/* Filters are fixed fragments named by the field table; values bound. */
	for (f = rs->fields; f->name; f++) {
		const char *v = req_query(r, f->name);

		if (!(f->flags & FIELD_FILTER) || !v || !*v)
			continue;
		strbuf_addf(&where, " AND %s = ?", f->column);
		if (f->type == FIELD_ID)
			args[n++] = ARG_INT(id_parse(f->kind, v));
		else if (f->type == FIELD_BOOLEAN)
			args[n++] = ARG_INT(!strcmp(v, "true") || !strcmp(v, "1"));
		else
			args[n++] = ARG_TEXT(v);
	}
	api_add_search(r, rs, &where, args, &n);
	strbuf_addf(&count, "SELECT COUNT(*) FROM %s%s", rs->table, where.buf);
	strbuf_adds(&sql, "SELECT ");
	select_list(&sql, rs);
	strbuf_addf(&sql, " FROM %s%s ORDER BY id LIMIT ? OFFSET ?", rs->table, where.buf);
	status = api_list_page(r, count.buf, sql.buf, args, n, page, limit, resource_row_json, rs);
out:
	strbuf_release(&where);
	strbuf_release(&sql);
	strbuf_release(&count);
	return status;
}

int resource_create(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct strbuf sql = STRBUF_INIT, vals = STRBUF_INIT;
	struct db_arg args[32];
	struct db_result res;
	const struct field *f;
	json_object *obj;
	int64_t parent = 0;
	size_t n = 0;
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
	strbuf_adds(&vals, "?");
	args[n++] = ARG_INT(api_ws(r));
	if (parent) {
		strbuf_addf(&sql, ", %s", rs->parent_column);
		strbuf_adds(&vals, ", ?");
		args[n++] = ARG_INT(parent);
	}
	for (f = rs->fields; f->name; f++) {
		json_object *v;

		if (!stored(f) || (f->flags & FIELD_READONLY) ||
		    !json_object_object_get_ex(r->json, f->name, &v))
			continue;
		strbuf_addf(&sql, ", %s", f->column);
		strbuf_adds(&vals, ", ?");
		args[n++] = field_arg(f, v);
	}
	strbuf_addf(&sql, ") VALUES (%s)", vals.buf);
	if (db_query(r->db, r->pool, sql.buf, args, n, &res)) {
		status = api_db_error(r, "insert");
		goto out;
	}
	if ((status = fetch_one(r, rs, (int64_t)res.insert_id, 0, &obj)))
		goto out;
	status = req_respond(r, 201, obj);
out:
	strbuf_release(&sql);
	strbuf_release(&vals);
	return status;
}

int resource_update(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct strbuf sql = STRBUF_INIT;
	struct db_arg args[32];
	struct db_result res;
	const struct field *f;
	json_object *obj, *before = NULL;
	int64_t id = api_path_id(r, rs->kind);
	size_t n = 0;
	int status;

	if (!id) {
		status = api_not_found(r, rs->kind);
		goto out;
	}
	if ((status = fetch_one(r, rs, id, 0, &before)))
		goto out;
	strbuf_addf(&sql, "UPDATE %s SET updated_at = CURRENT_TIMESTAMP(3)", rs->table);
	for (f = rs->fields; f->name; f++) {
		json_object *v;

		if (!stored(f) || (f->flags & (FIELD_READONLY | FIELD_CREATE_ONLY)) ||
		    !json_object_object_get_ex(r->json, f->name, &v))
			continue;
		strbuf_addf(&sql, ", %s = ?", f->column);
		args[n++] = field_arg(f, v);
	}
	strbuf_adds(&sql, " WHERE workspace_id = ? AND id = ?");
	args[n++] = ARG_INT(api_ws(r));
	args[n++] = ARG_INT(id);
	if (db_query(r->db, r->pool, sql.buf, args, n, &res)) {
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
	strbuf_release(&sql);
	return status;
}
