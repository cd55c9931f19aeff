/* SPDX-License-Identifier: MIT */
/*
 * One check of every id a request refers to. The ids are gathered in the
 * order their fields are declared, grouped by kind (and by the field's own
 * 404 error, when it has one); each group is a column of one SELECT (a
 * primary-key lookup for one id, a JSON_TABLE join for several), and the
 * first group holding an id that is not the workspace's answers 404.
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

/*
 * Adds g's column to the one statement: 1 when every id of g is the
 * workspace's. The table name comes from the fixed id_tables array, never
 * input; the ids are bound, several as one JSON array.
 */
static void add_group_check(struct req *r, struct query *q, struct ref_group *g)
{
	query_add(q, q->len ? ", " : "SELECT ");
	if (g->n == 1) {
		query_add(q, pool_printf(r->pool, "EXISTS (SELECT 1 FROM %s WHERE workspace_id = ?",
					 id_tables[g->kind]));
		query_arg(q, ARG_INT(api_ws(r)));
		query_bind(q, " AND id = ?)", ARG_INT(g->first));
		return;
	}
	strbuf_addch(&g->json, ']');
	query_bind(q, "(SELECT COUNT(DISTINCT j.id) = COUNT(DISTINCT t.id)"
		   " FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j", ARG_TEXT(g->json.buf));
	query_add(q, pool_printf(r->pool, " LEFT JOIN %s t", id_tables[g->kind]));
	query_bind(q, " ON t.workspace_id = ? AND t.id = j.id)", ARG_INT(api_ws(r)));
}

int check_references(struct req *r, const struct field *fields)
{
	struct refs refs = { .ngroups = 0 };
	struct db_result res;
	struct query q;
	size_t i;
	int status = 0;

	if (r->json)
		gather_body(&refs, r->json, fields);
	/* The filters of generic lists (route_filters) narrow a list: an id
	 * that is not the workspace's matches nothing there. */
	gather_query(r, &refs, r->route ? r->route->query : NULL);
	if (!refs.ngroups)
		goto out;
	/* Every group in one statement, a column each: one round trip
	 * whatever a request refers to. */
	query_init(&q, r->pool, "");
	for (i = 0; i < refs.ngroups; i++)
		add_group_check(r, &q, &refs.groups[i]);
	if (query_run(&q, r->db, &res)) {
		status = req_internal_error(r, "reference check");
		goto out;
	}
	for (i = 0; i < refs.ngroups && !status; i++) {
		struct ref_group *g = &refs.groups[i];

		if (!db_cell_int(&res, 0, i))
			status = g->not_found ? req_error(r, 404, g->not_found, NULL)
					      : api_not_found(r, g->kind);
	}
out:
	for (i = 0; i < refs.ngroups; i++)
		strbuf_release(&refs.groups[i].json);
	return status;
}
