/* SPDX-License-Identifier: MIT */
/*
 * One check of every id a request refers to. The ids are gathered in the
 * order their fields are declared, grouped by kind (and by the field's own
 * 404 error, when it has one); each group costs one SELECT (a primary-key
 * lookup for one id, a JSON_TABLE join for several), and the first group
 * holding an id that is not the workspace's answers 404.
 */
#include "config.h"

#include "api/api.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "references.h"

/* More groups than any declared body and query can make. */
#define MAX_GROUPS 32

struct ref_group {
	enum id_kind kind;
	const char *not_found;  /* the fields' own 404 error, or NULL */
	struct strbuf json;     /* "[3,5,8]" once closed */
	size_t n;
	int64_t first;
};

struct refs {
	struct ref_group groups[MAX_GROUPS];
	size_t ngroups;
};

static void add_ref(struct refs *refs, const struct field *f, const char *text)
{
	struct ref_group *g;
	int64_t id = id_parse(f->kind, text);
	size_t i;

	/* A malformed id is validation's (or the handler's) 400. */
	if (id <= 0 || f->kind == ID_NONE)
		return;
	for (i = 0; i < refs->ngroups; i++)
		if (refs->groups[i].kind == f->kind && refs->groups[i].not_found == f->not_found)
			break;
	if (i == refs->ngroups) {
		if (i == MAX_GROUPS)
			bug("more than %d groups of references", MAX_GROUPS);
		refs->ngroups++;
		refs->groups[i] = (struct ref_group){ f->kind, f->not_found, STRBUF_INIT, 0, id };
	}
	g = &refs->groups[i];
	strbuf_addf(&g->json, "%c%lld", g->n++ ? ',' : '[', (long long)id);
}

static void gather_body(struct refs *refs, json_object *obj, const struct field *fields)
{
	const struct field *f;

	for (f = fields; f && f->name; f++) {
		json_object *v;
		size_t i, len;

		if ((f->flags & (FIELD_MATCH | FIELD_READONLY)) ||
		    !json_object_object_get_ex(obj, f->name, &v) || !v)
			continue;
		if (f->type == FIELD_ID && json_object_is_type(v, json_type_string)) {
			add_ref(refs, f, json_object_get_string(v));
			continue;
		}
		if (f->type != FIELD_ARRAY || !json_object_is_type(v, json_type_array))
			continue;
		len = json_object_array_length(v);
		for (i = 0; i < len; i++) {
			json_object *e = json_object_array_get_idx(v, i);

			if (f->items && json_object_is_type(e, json_type_object))
				gather_body(refs, e, f->items);
			else if (!f->items && json_object_is_type(e, json_type_string))
				add_ref(refs, f, json_object_get_string(e));
		}
	}
}

static void gather_query(struct req *r, struct refs *refs, const struct field *fields)
{
	const struct field *f;

	for (f = fields; f && f->name; f++) {
		const char *v = req_query(r, f->name);

		if (f->type == FIELD_ID && !(f->flags & FIELD_MATCH) && v && *v)
			add_ref(refs, f, v);
	}
}

/* 1 when every id of g is the workspace's, 0 when one is not, -1 on error. */
static int all_exist(struct req *r, struct ref_group *g)
{
	struct db_result res;
	const char *sql;

	if (g->n == 1)
		return api_exists(r, g->kind, g->first);
	strbuf_addch(&g->json, ']');
	/* The table name comes from the fixed id_tables array, never input;
	 * the ids are one bound JSON array: one statement text per kind. */
	sql = pool_printf(r->pool,
			  "SELECT COUNT(DISTINCT j.id), COUNT(DISTINCT t.id)"
			  " FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j"
			  " LEFT JOIN %s t ON t.workspace_id = ? AND t.id = j.id", id_tables[g->kind]);
	if (db_query(r->db, r->pool, sql, DB_ARGS(ARG_TEXT(g->json.buf), ARG_INT(api_ws(r))), &res))
		return -1;
	return db_cell_int(&res, 0, 0) == db_cell_int(&res, 0, 1);
}

int check_references(struct req *r, const struct field *fields)
{
	struct refs refs = { .ngroups = 0 };
	size_t i;
	int status = 0, found;

	if (r->json)
		gather_body(&refs, r->json, fields);
	/* The filters of generic lists (route_filters) narrow a list: an id
	 * that is not the workspace's matches nothing there. */
	gather_query(r, &refs, r->route ? r->route->query : NULL);
	for (i = 0; i < refs.ngroups && !status; i++) {
		struct ref_group *g = &refs.groups[i];

		found = all_exist(r, g);
		if (found < 0)
			status = req_internal_error(r, "reference check");
		else if (!found)
			status = g->not_found ? req_error(r, 404, g->not_found, NULL)
					      : api_not_found(r, g->kind);
	}
	for (i = 0; i < refs.ngroups; i++)
		strbuf_release(&refs.groups[i].json);
	return status;
}
