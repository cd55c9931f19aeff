/* SPDX-License-Identifier: MIT */
/*
 * The generic resources: list, read, create, update and delete a table whose
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

#define RESOURCE_CACHE_SIZE 16

const struct field *resource_columns(const struct resource *rs)
{
	static struct { const struct resource *rs; struct field *cols; } cache[RESOURCE_CACHE_SIZE];
	const struct field *f;
	struct field *out;
	size_t n = 0, i;

	for (i = 0; i < RESOURCE_CACHE_SIZE && cache[i].rs; i++)
		if (cache[i].rs == rs)
			return cache[i].cols;
	if (i == RESOURCE_CACHE_SIZE)
		bug("more than %d resources", RESOURCE_CACHE_SIZE);
	for (f = rs->fields; f->name; f++)
		n++;
	out = xcalloc(n + 5, sizeof(*out));
	cache[i].rs = rs;
	cache[i].cols = out;
	out[0] = (struct field){ .name = "id", .column = "id", .type = FIELD_ID, .kind = rs->kind };
	i = 1;
	if (rs->parent_column)
		out[i++] = (struct field){ .name = rs->parent_field, .column = rs->parent_column,
					   .type = FIELD_ID, .kind = rs->parent_kind };
	for (f = rs->fields; f->name; f++) {
		if (!stored(f))
			continue;
		out[i] = *f;
		/* What a client may leave out is stored as null. */
		if (!(f->flags & FIELD_REQUIRED))
			out[i].flags |= FIELD_NULLABLE;
		out[i].flags &= ~(unsigned)FIELD_REQUIRED;
		i++;
	}
	out[i++] = (struct field){ .name = "createdAt", .column = "created_at", .type = FIELD_DATETIME };
	out[i] = (struct field){ .name = "updatedAt", .column = "updated_at", .type = FIELD_DATETIME };
	return out;
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

/* The FROM of rs's objects, for api_write_one. */
static const char *resource_from(struct req *r, const struct resource *rs)
{
	return pool_printf(r->pool, " FROM %s WHERE workspace_id = ?", rs->table);
}

/* Answers the object id of rs with status. */
static int answer_one(struct req *r, const struct resource *rs, int64_t id, int status)
{
	return api_respond_one(r, resource_columns(rs), resource_from(r, rs), " AND id = ?",
			       rs->kind, id, status);
}

int resource_get(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	int64_t id = api_path_id(r, rs->kind);

	if (!id)
		return api_not_found(r, rs->kind);
	return answer_one(r, rs, id, 200);
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

void api_add_search_fragment(struct req *r, struct query *where, const char *fragment)
{
	const char *search = req_query(r, "search"), *p;

	if (!search || !*search)
		return;
	query_add(where, fragment);
	for (p = strchr(fragment, '?'); p; p = strchr(p + 1, '?'))
		query_arg(where, ARG_TEXT(search));
}

int resource_list(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct api_list list = { .rows_tail = " ORDER BY id LIMIT ? OFFSET ?",
				 .columns = resource_columns(rs) };
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
	list.rows_sql = pool_printf(r->pool, " FROM %s WHERE workspace_id = ?", rs->table);
	status = api_list_page(r, &list, &where, page, limit);
out:
	return status;
}

int resource_create(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	struct strbuf sql = STRBUF_INIT;
	struct query vals, insert;
	struct db_result res;
	const struct field *f;
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
	status = answer_one(r, rs, (int64_t)res.insert_id, 201);
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
	json_object *before = NULL;
	int64_t id = api_path_id(r, rs->kind);
	int status;

	if (!id) {
		status = api_not_found(r, rs->kind);
		goto out;
	}
	if (rs->after_update) {
		/* The hook compares with the object as it was. */
		struct jw w;
		size_t len;

		jw_init(&w, r->pool);
		if ((status = api_write_one(r, &w, resource_columns(rs), resource_from(r, rs),
					    " AND id = ?", rs->kind, id)))
			goto out;
		before = json_tokener_parse(jw_bytes(&w, &len));
	} else if ((status = api_exists(r, rs->kind, id)) <= 0) {
		status = status < 0 ? req_internal_error(r, "read") : api_not_found(r, rs->kind);
		goto out;
	}
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
	status = answer_one(r, rs, id, 200);
out:
	json_object_put(before);
	return status;
}

int resource_delete(struct req *r)
{
	const struct resource *rs = r->route->ctx;
	int64_t id = api_path_id(r, rs->kind);
	struct db_result res;
	int status;

	if (!id) {
		status = api_not_found(r, rs->kind);
		goto out;
	}
	/* The table name comes from the resource's declaration, never input. */
	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "DELETE FROM %s WHERE workspace_id = ? AND id = ?", rs->table),
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(id)), &res)) {
		status = api_db_error(r, "delete");
		goto out;
	}
	status = res.affected ? req_respond_raw(r, 204, "", 0) : api_not_found(r, rs->kind);
out:
	return status;
}

const struct field page_query[] = {
	API_PAGE_QUERY
	{ .name = "search", .type = FIELD_STRING, .description = "Matches names and codes (substring)" },
	FIELDS_END
};

/* The body of a generic resource's create and update is its field table. */
const struct field *route_body(const struct route *rt)
{
	const struct resource *rs = rt->ctx;

	if (rt->body)
		return rt->body;
	if (rs && (rt->handler == resource_create || rt->handler == resource_update))
		return rs->fields;
	return NULL;
}

/* The filters of a generic list are its resource's FIELD_FILTER fields. */
const struct field *route_filters(const struct route *rt)
{
	const struct resource *rs = rt->ctx;

	return rs && rt->handler == resource_list ? rs->fields : NULL;
}
