/* SPDX-License-Identifier: MIT */
/* The OpenAPI 3.1 document, generated from the route table. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/system/system.h"
#include "core/ids.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "routes.h"

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/* What a field table describes: a request body (a PATCH body leaves out
 * create-only fields and requires none), or a response. */
enum schema_mode { SCHEMA_BODY, SCHEMA_PATCH, SCHEMA_RESPONSE };

static json_object *fields_schema(const struct field *fields, int all_required,
				  enum schema_mode mode);

static json_object *field_schema_in(const struct field *f, enum schema_mode mode)
{
	json_object *s = json_object_new_object();
	const char *type = "string";
	int response = mode == SCHEMA_RESPONSE;

	switch (f->type) {
	case FIELD_INTEGER: type = "integer"; break;
	case FIELD_NUMBER: type = "number"; break;
	case FIELD_BOOLEAN: type = "boolean"; break;
	case FIELD_ARRAY: type = "array"; break;
	case FIELD_OBJECT: type = "object"; break;
	default: break;
	}
	if (f->flags & FIELD_NULLABLE) {
		json_object *types = json_object_new_array();

		json_object_array_add(types, jstr(type));
		json_object_array_add(types, jstr("null"));
		json_object_object_add(s, "type", types);
	} else {
		json_object_object_add(s, "type", jstr(type));
	}
	if (f->type == FIELD_ID) {
		struct strbuf pat = STRBUF_INIT;

		strbuf_addf(&pat, "^%s_[0-9]+$", id_prefixes[f->kind]);
		json_object_object_add(s, "pattern", jstr(pat.buf));
		strbuf_release(&pat);
		/* A reference must name an object of the workspace (else 404);
		 * a filter or lookup matches nothing instead. */
		if ((f->flags & FIELD_MATCH) && !response)
			json_object_object_add(s, "x-match", json_object_new_boolean(1));
	}
	if (f->type == FIELD_ARRAY && f->items) {
		json_object_object_add(s, "items", fields_schema(f->items, 1,
								 response ? mode : SCHEMA_BODY));
	} else if (f->type == FIELD_ARRAY && f->kind != ID_NONE) {
		struct field element = { .type = FIELD_ID, .kind = f->kind };

		json_object_object_add(s, "items", field_schema_in(&element, mode));
	} else if (f->type == FIELD_OBJECT && f->items) {
		json_object *members = fields_schema(f->items, 1, response ? mode : SCHEMA_BODY);

		json_object_object_foreach(members, key, val)
			if (strcmp(key, "type"))
				json_object_object_add(s, key, json_object_get(val));
		json_object_put(members);
	} else if (f->type == FIELD_OBJECT) {
		/* Any object: said outright, so that typed clients get a map. */
		json_object_object_add(s, "additionalProperties", json_object_new_boolean(1));
	}
	if (f->type == FIELD_DATE)
		json_object_object_add(s, "format", jstr("date"));
	if (f->type == FIELD_DATETIME)
		json_object_object_add(s, "format", jstr("date-time"));
	/* Limits constrain what a client sends; an answer is what it is. */
	if ((f->type == FIELD_INTEGER || f->type == FIELD_NUMBER) && !response) {
		double max = field_max(f);

		json_object_object_add(s, "minimum", f->flags & FIELD_NONNEGATIVE ?
				       json_object_new_int(0) : json_object_new_double(-max));
		json_object_object_add(s, "maximum", json_object_new_double(max));
	}
	if (f->max_length && !response)
		json_object_object_add(s, "maxLength", json_object_new_int64((int64_t)f->max_length));
	if (f->values) {
		json_object *e = json_object_new_array();
		const char *const *v;

		for (v = f->values; *v; v++)
			json_object_array_add(e, jstr(*v));
		if (f->flags & FIELD_NULLABLE)
			json_object_array_add(e, NULL);
		json_object_object_add(s, "enum", e);
	}
	if (f->description)
		json_object_object_add(s, "description", jstr(f->description));
	return s;
}

static json_object *field_schema(const struct field *f)
{
	return field_schema_in(f, SCHEMA_BODY);
}

static int has_param(json_object *params, const char *name)
{
	size_t i;

	for (i = 0; i < json_object_array_length(params); i++) {
		json_object *name_obj = NULL;

		json_object_object_get_ex(json_object_array_get_idx(params, i), "name", &name_obj);
		if (name_obj && !strcmp(json_object_get_string(name_obj), name))
			return 1;
	}
	return 0;
}

static int declares(const struct field *fields, const char *name)
{
	const struct field *f;

	for (f = fields; f && f->name; f++)
		if (!strcmp(f->name, name))
			return 1;
	return 0;
}

static void add_query_params(json_object *params, const struct field *fields, int only_filters)
{
	const struct field *f;

	for (f = fields; f && f->name; f++) {
		const char *alias = query_alias_of(f->name);
		json_object *p;

		if (only_filters && !(f->flags & FIELD_FILTER))
			continue;
		p = json_object_new_object();
		json_object_object_add(p, "name", jstr(f->name));
		json_object_object_add(p, "in", jstr("query"));
		json_object_object_add(p, "required",
				       json_object_new_boolean(!only_filters && (f->flags & FIELD_REQUIRED)));
		json_object_object_add(p, "schema", field_schema(f));
		/* The filters of generic lists are filters whatever their flags. */
		if (only_filters && f->type == FIELD_ID)
			json_object_object_add(json_object_object_get(p, "schema"), "x-match",
					       json_object_new_boolean(1));
		json_object_array_add(params, p);
		/* A route that declares the other spelling itself describes it. */
		if (alias && !has_param(params, alias) && !declares(fields, alias)) {
			struct strbuf desc = STRBUF_INIT;
			json_object *s = NULL;

			/* The same schema (x-match and all), described anew. */
			json_object_deep_copy(json_object_object_get(p, "schema"), &s, NULL);
			strbuf_addf(&desc, "Another spelling of %s (not both)", f->name);
			p = json_object_new_object();
			json_object_object_add(p, "name", jstr(alias));
			json_object_object_add(p, "in", jstr("query"));
			json_object_object_add(p, "deprecated", json_object_new_boolean(1));
			json_object_object_add(s, "description", jstr(desc.buf));
			json_object_object_add(p, "schema", s);
			json_object_array_add(params, p);
			strbuf_release(&desc);
		}
	}
}

/*
 * An object of fields. A body lists its FIELD_REQUIRED fields as required
 * when all_required (not for PATCH) and leaves out read-only ones, and a
 * PATCH body create-only ones; a response lists every member but the
 * FIELD_OPTIONAL ones as required.
 */
static json_object *fields_schema(const struct field *fields, int all_required,
				  enum schema_mode mode)
{
	json_object *schema = json_object_new_object(), *props = json_object_new_object();
	json_object *required = json_object_new_array();
	const struct field *f;

	json_object_object_add(schema, "type", jstr("object"));
	for (f = fields; f->name; f++) {
		int is_required;

		if (mode != SCHEMA_RESPONSE && (f->flags & FIELD_READONLY))
			continue;
		if (mode == SCHEMA_PATCH && (f->flags & FIELD_CREATE_ONLY))
			continue;
		json_object_object_add(props, f->name, field_schema_in(f, mode));
		is_required = mode == SCHEMA_RESPONSE ? !(f->flags & FIELD_OPTIONAL) :
			all_required && (f->flags & FIELD_REQUIRED);
		if (is_required)
			json_object_array_add(required, jstr(f->name));
	}
	json_object_object_add(schema, "properties", props);
	if (json_object_array_length(required))
		json_object_object_add(schema, "required", required);
	else
		json_object_put(required);
	return schema;
}

static json_object *body_schema(const struct route *rt, const struct field *fields)
{
	return fields_schema(fields, !(rt->flags & ROUTE_PARTIAL),
			     rt->method == HTTP_PATCH ? SCHEMA_PATCH : SCHEMA_BODY);
}

/* A response of description whose JSON body is schema (taken). */
static json_object *response_of(const char *description, json_object *schema)
{
	json_object *r = json_object_new_object(), *content, *media;

	json_object_object_add(r, "description", jstr(description));
	content = json_object_new_object();
	media = json_object_new_object();
	json_object_object_add(media, "schema", schema);
	json_object_object_add(content, "application/json", media);
	json_object_object_add(r, "content", content);
	return r;
}

/* An error response: the Error schema. */
static json_object *error_response(const char *description)
{
	json_object *schema = json_object_new_object();

	json_object_object_add(schema, "$ref", jstr("#/components/schemas/Error"));
	return response_of(description, schema);
}

/* The schema of a success body as rt declares it; NULL when it has none. */
static json_object *success_schema(const struct route *rt)
{
	const struct response *resp = &rt->response;
	const struct field *items = resp->fields;
	struct field page[4] = { { .name = NULL } };
	json_object *schema;

	switch (resp->shape) {
	case RESPONSE_EMPTY:
		return NULL;
	case RESPONSE_RESOURCE:
		return fields_schema(resource_columns(rt->ctx), 1, SCHEMA_RESPONSE);
	case RESPONSE_RESOURCE_PAGE:
		items = resource_columns(rt->ctx);
		/* fall through */
	case RESPONSE_PAGE:
		page[0] = (struct field){ .name = "items", .type = FIELD_ARRAY, .items = items };
		page[1] = (struct field){ .name = "pagination", .type = FIELD_OBJECT,
					  .items = api_page_fields };
		break;
	case RESPONSE_OFFSET:
		page[0] = (struct field){ .name = resp->items_name, .type = FIELD_ARRAY,
					  .items = items };
		page[1] = (struct field){ .name = "total", .type = FIELD_INTEGER,
					  .description = "How many match, on every page" };
		page[2] = (struct field){ .name = "pagination", .type = FIELD_OBJECT,
					  .items = api_offset_fields };
		break;
	default:
		if (!items)
			bug("%s %s declares no answer (.response)", http_method_names[rt->method],
			    rt->pattern);
		break;
	}
	schema = fields_schema(page[0].name ? page : items, 1, SCHEMA_RESPONSE);
	if (resp->alt) {
		json_object *one_of = json_object_new_array();

		json_object_array_add(one_of, schema);
		json_object_array_add(one_of, fields_schema(resp->alt, 1, SCHEMA_RESPONSE));
		schema = json_object_new_object();
		json_object_object_add(schema, "oneOf", one_of);
	}
	return schema;
}

static void add_column_name(void *columns, const char *name)
{
	json_object_array_add(columns, jstr(name));
}

/*
 * The 200 of an export (RESPONSE_STREAM): CSV, whose header line is the
 * names in x-columns, or NDJSON, each line one object of the fields.
 */
static json_object *stream_response(const struct response *resp)
{
	json_object *r = json_object_new_object(), *content = json_object_new_object();
	json_object *csv = json_object_new_object(), *ndjson = json_object_new_object();
	json_object *headers = json_object_new_object(), *disposition = json_object_new_object();
	json_object *schema = json_object_new_object(), *columns = json_object_new_array();
	json_object *item = fields_schema(resp->fields, 1, SCHEMA_RESPONSE);

	json_object_object_add(r, "description", jstr(resp->description ? resp->description :
		"The rows, streamed: format=csv answers text/csv, format=ndjson application/x-ndjson"));
	json_object_object_add(schema, "type", jstr("string"));
	json_object_object_add(schema, "description",
			       jstr("RFC 4180 CSV, UTF-8, CRLF line ends: a header line of the names in "
				    "x-columns, then one line per row"));
	json_object_object_add(csv, "schema", schema);
	export_column_names(resp->fields, add_column_name, columns);
	json_object_object_add(csv, "x-columns", columns);
	json_object_object_add(content, "text/csv", csv);
	json_object_object_add(item, "description",
			       jstr("One line of the body: each line is one such object, ending in LF"));
	json_object_object_add(ndjson, "schema", item);
	json_object_object_add(content, "application/x-ndjson", ndjson);
	json_object_object_add(r, "content", content);
	schema = json_object_new_object();
	json_object_object_add(schema, "type", jstr("string"));
	json_object_object_add(disposition, "description",
			       jstr("`attachment; filename=\"<name>.csv\"` or `\"<name>.ndjson\"`"));
	json_object_object_add(disposition, "schema", schema);
	json_object_object_add(headers, "Content-Disposition", disposition);
	json_object_object_add(r, "headers", headers);
	return r;
}

/* The 200 of a text answer (RESPONSE_TEXT): a string of its media type. */
static json_object *text_response(const struct response *resp)
{
	json_object *r = json_object_new_object(), *content = json_object_new_object();
	json_object *media = json_object_new_object(), *schema = json_object_new_object();
	char *type = xstrdup(resp->media_type);

	/* The content's key is the media type without its parameters. */
	type[strcspn(type, ";")] = '\0';
	json_object_object_add(r, "description", jstr(resp->description));
	json_object_object_add(schema, "type", jstr("string"));
	json_object_object_add(schema, "description", jstr(resp->description));
	json_object_object_add(media, "schema", schema);
	json_object_object_add(content, type, media);
	json_object_object_add(r, "content", content);
	free(type);
	return r;
}

/* The success statuses of rt: 201 for a creation (and 200 too when it may
 * update instead), 204 without a body, else 200. */
static void add_success_responses(const struct route *rt, json_object *responses)
{
	json_object *schema, *r;
	const char *description = rt->response.description ? rt->response.description : "Success";

	if (rt->response.shape == RESPONSE_STREAM) {
		json_object_object_add(responses, "200", stream_response(&rt->response));
		return;
	}
	if (rt->response.shape == RESPONSE_TEXT) {
		json_object_object_add(responses, "200", text_response(&rt->response));
		return;
	}
	schema = success_schema(rt);
	if (!schema) {
		r = json_object_new_object();
		json_object_object_add(r, "description", jstr(description));
		json_object_object_add(responses, "204", r);
		return;
	}
	r = response_of(description, schema);
	if ((rt->flags & (ROUTE_CREATES | ROUTE_UPSERT)) == (ROUTE_CREATES | ROUTE_UPSERT))
		json_object_object_add(responses, "200", json_object_get(r));
	json_object_object_add(responses, (rt->flags & ROUTE_CREATES) ? "201" : "200", r);
}

/* Whether fields hold an id that must name an object of the workspace
 * (404 otherwise), in arrays and their objects too. */
static int has_reference(const struct field *fields)
{
	const struct field *f;

	for (f = fields; f && f->name; f++) {
		if (f->flags & (FIELD_MATCH | FIELD_READONLY))
			continue;
		if (f->type == FIELD_ID || (f->type == FIELD_ARRAY && !f->items && f->kind != ID_NONE))
			return 1;
		if (f->type == FIELD_ARRAY && has_reference(f->items))
			return 1;
	}
	return 0;
}

/*
 * The error statuses of rt, each with the Error schema: what the
 * dispatcher answers for it (400 for an undeclared query parameter on
 * every route, 401 and 403 unless public, 404 for an id in the path or a
 * reference, 409 and 422 of the Idempotency-Key on writes), what its
 * handler may answer (409 conflicts, 404 lookups of a POST) and what any
 * request using the database may meet (500, 503). The health check's
 * 503 is its own body, and the routes that use no database have none.
 */
static void add_error_responses(const struct route *rt, json_object *responses, int path_id)
{
	int public = !!(rt->flags & ROUTE_PUBLIC), uses_db = !(rt->flags & ROUTE_NO_DB);
	int has_body = rt->method == HTTP_POST || rt->method == HTTP_PATCH;
	int writes = rt->method != HTTP_GET && !(rt->flags & ROUTE_READONLY);

	json_object_object_add(responses, "400", error_response(has_body || rt->query || route_filters(rt) ?
		"Invalid request data: a field (named in details) or an undeclared query parameter" :
		"An undeclared query parameter"));
	if (!public) {
		json_object_object_add(responses, "401",
				       error_response("Missing, invalid or expired credentials"));
		json_object_object_add(responses, "403",
				       error_response("Missing permission or role, or a token without a workspace"));
	}
	if (path_id || rt->method == HTTP_POST || has_reference(route_body(rt)) ||
	    has_reference(rt->query))
		json_object_object_add(responses, "404",
				       error_response("Not found: an id of the path or the request is not the "
						"workspace's"));
	if (writes)
		json_object_object_add(responses, "409",
				       error_response("Conflict with the state of the objects, or a request "
						"with this Idempotency-Key is still in progress"));
	if (has_body) {
		json_object_object_add(responses, "413", error_response("Body too large"));
		json_object_object_add(responses, "415", error_response("Body is not application/json"));
	}
	if (writes)
		json_object_object_add(responses, "422",
				       error_response("Idempotency-Key reused with another request, or a "
						"change the stock cannot place (\"Ambiguous stock line\")"));
	if (!public)
		json_object_object_add(responses, "500", error_response("Internal error"));
	if (rt->handler == health_get)
		json_object_object_add(responses, "503",
				       response_of("The database does not answer (the body says so)",
						   fields_schema(health_down_fields, 1, SCHEMA_RESPONSE)));
	else if (uses_db)
		json_object_object_add(responses, "503",
				       error_response("The database is unreachable or busy; retry later"));
	/* nginx answers some statuses itself (414 URI too long, 502, 504). */
	json_object_object_add(responses, "default",
			       error_response("Another error, such as one nginx answers itself"));
}

/* "/api/products/[id]" becomes "/api/products/{id}". */
static char *openapi_path(const char *pattern)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	for (p = pattern; *p; p++)
		strbuf_addch(&sb, *p == '[' ? '{' : *p == ']' ? '}' : *p);
	return strbuf_detach(&sb);
}

/*
 * The operationId: the method, then the path after /api in camel case,
 * "[name]" as "By<Name>": GET /api/products/[id]/inventory-levels is
 * getProductsByIdInventoryLevels. Returns a malloc'd string.
 */
static char *operation_id(const struct route *rt)
{
	struct strbuf sb = STRBUF_INIT;
	const char *m, *p = rt->pattern;
	int word_start = 0;

	for (m = http_method_names[rt->method]; *m; m++)
		strbuf_addch(&sb, (char)tolower((unsigned char)*m));
	if (!strncmp(p, "/api/", 5))
		p += 4;
	for (; *p; p++) {
		if (*p == '[') {
			strbuf_adds(&sb, "By");
			word_start = 1;
		} else if (!isalnum((unsigned char)*p)) {
			word_start = 1;
		} else {
			strbuf_addch(&sb, word_start ? (char)toupper((unsigned char)*p) : *p);
			word_start = 0;
		}
	}
	return strbuf_detach(&sb);
}

/* An optional string header of an operation. */
static void add_header_param(json_object *params, const char *name, const char *description,
			     int max_length, const char *pattern)
{
	json_object *hp = json_object_new_object(), *schema = json_object_new_object();

	json_object_object_add(hp, "name", jstr(name));
	json_object_object_add(hp, "in", jstr("header"));
	json_object_object_add(hp, "required", json_object_new_boolean(0));
	json_object_object_add(hp, "description", jstr(description));
	json_object_object_add(schema, "type", jstr("string"));
	json_object_object_add(schema, "maxLength", json_object_new_int(max_length));
	if (pattern)
		json_object_object_add(schema, "pattern", jstr(pattern));
	json_object_object_add(hp, "schema", schema);
	json_object_array_add(params, hp);
}

static json_object *operation(const struct route *rt, const char *id)
{
	json_object *op = json_object_new_object(), *params = json_object_new_array();
	json_object *tags = json_object_new_array(), *responses = json_object_new_object();
	json_object *perms = json_object_new_array();
	const struct field *body = route_body(rt);
	const char *name_start;
	size_t i;

	json_object_object_add(op, "summary", jstr(rt->summary));
	json_object_object_add(op, "operationId", json_object_new_string(id));
	if (rt->description)
		json_object_object_add(op, "description", jstr(rt->description));
	json_object_array_add(tags, jstr(rt->tag));
	json_object_object_add(op, "tags", tags);
	for (i = 0; i < rt->permissions.n; i++)
		json_object_array_add(perms, jstr(perm_names[rt->permissions.v[i]]));
	json_object_object_add(op, "x-permissions", perms);
	if (rt->flags & (ROUTE_MANAGER | ROUTE_ADMIN)) {
		json_object *roles = json_object_new_array();

		if (rt->flags & ROUTE_MANAGER)
			json_object_array_add(roles, jstr("manager"));
		json_object_array_add(roles, jstr("admin"));
		json_object_object_add(op, "x-roles", roles);
	}
	/* A read that a replica may serve, a moment behind the primary
	 * (db.replica.*); every other operation runs on the primary. */
	if (rt->flags & ROUTE_REPLICA)
		json_object_object_add(op, "x-replica", json_object_new_boolean(1));
	if (rt->flags & ROUTE_PUBLIC)
		json_object_object_add(op, "security", json_object_new_array());
	name_start = strchr(rt->pattern, '[');
	if (name_start) {
		json_object *pp = json_object_new_object(), *schema;
		const char *end = strchr(name_start, ']');
		struct strbuf name = STRBUF_INIT, pat = STRBUF_INIT;

		strbuf_add(&name, name_start + 1, (size_t)(end - name_start - 1));
		json_object_object_add(pp, "name", jstr(name.buf));
		json_object_object_add(pp, "in", jstr("path"));
		json_object_object_add(pp, "required", json_object_new_boolean(1));
		schema = json_object_new_object();
		json_object_object_add(schema, "type", jstr("string"));
		strbuf_addf(&pat, "^%s_[0-9]+$", id_prefixes[rt->path_kind]);
		json_object_object_add(schema, "pattern", jstr(pat.buf));
		json_object_object_add(pp, "schema", schema);
		json_object_object_add(pp, "x-id-kind", jstr(id_prefixes[rt->path_kind]));
		json_object_array_add(params, pp);
		strbuf_release(&name);
		strbuf_release(&pat);
	}
	if ((rt->method == HTTP_POST || rt->method == HTTP_PATCH || rt->method == HTTP_DELETE) &&
	    !(rt->flags & ROUTE_READONLY)) {
		add_header_param(params, "Idempotency-Key",
				 "Makes a retry safe: the first response is kept 24 hours and "
				 "replayed for the same request; another request with the same "
				 "key gets 422, and a retry while the first runs gets 409.", 200, NULL);
	}
	if (rt->flags & ROUTE_REPLICA)
		add_header_param(params, "X-Consistency-Token",
				 "The X-Consistency-Token header of a write's response: the read then "
				 "sees that write (a replica answers once it has applied it, waiting up "
				 "to 0.5 s; else the primary does). 400 when it is not such a token.",
				 CONSISTENCY_TOKEN_MAX, "^[0-9]+-[0-9]+-[0-9]+(,[0-9]+-[0-9]+-[0-9]+)*$");
	add_query_params(params, rt->query, 0);
	add_query_params(params, route_filters(rt), 1);
	json_object_object_add(op, "parameters", params);
	if (body) {
		json_object *rb = json_object_new_object(), *content = json_object_new_object();
		json_object *media = json_object_new_object();

		json_object_object_add(media, "schema", body_schema(rt, body));
		json_object_object_add(content, "application/json", media);
		json_object_object_add(rb, "required", json_object_new_boolean(1));
		json_object_object_add(rb, "content", content);
		json_object_object_add(op, "requestBody", rb);
	}
	add_success_responses(rt, responses);
	add_error_responses(rt, responses, name_start != NULL);
	json_object_object_add(op, "responses", responses);
	return op;
}

/* Descriptions are CommonMark (the documentation page renders them): code
 * spans keep "<...>" and "*" as they are written. */
static const char api_description[] =
	"Multi-tenant inventory API. Every request but `/api/health` and `/api/openapi.json` "
	"carries `Authorization: Bearer <JWT or API key>`; the credential names a workspace, "
	"and every route requires the permissions listed in `x-permissions` (`inventory.*` and "
	"`*` grant families; `inventory:read` is the same as `inventory.read`). Ids are "
	"strings `<prefix>_<number>`; an id of another workspace answers 404 like an id that "
	"does not exist. Lists take `page` (default 1) and `limit` (default 20, max 100; larger "
	"values are clamped) and answer `{items, pagination {page, pageSize, total, totalPages}}`. "
	"Quantities are whole units. Errors are `{error, message?, details?}`.";

/* The licence of LICENSE, by its SPDX identifier. */
static const char api_license_name[] = "MIT";

static const struct field error_detail_fields[] = {
	{ .name = "field", .type = FIELD_STRING },
	{ .name = "message", .type = FIELD_STRING },
	FIELDS_END
};

/* A stock line the request could mean (api_scope_error). */
static const struct field error_candidate_fields[] = {
	{ .name = "inventoryItemId", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "lotId", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "binId", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "quantityOnHand", .type = FIELD_INTEGER },
	FIELDS_END
};

/* What req_error and req_field_error write (and nginx's own errors),
 * with the members some errors add. */
static const struct field error_fields[] = {
	{ .name = "error", .type = FIELD_STRING,
	  .description = "The kind of error, e.g. \"Invalid request data\", \"Not Found\"" },
	{ .name = "message", .type = FIELD_STRING, .flags = FIELD_OPTIONAL },
	{ .name = "details", .type = FIELD_ARRAY, .items = error_detail_fields, .flags = FIELD_OPTIONAL,
	  .description = "One entry per invalid field" },
	{ .name = "candidates", .type = FIELD_ARRAY, .items = error_candidate_fields,
	  .flags = FIELD_OPTIONAL,
	  .description = "422 Ambiguous stock line: the lines the request could mean" },
	{ .name = "countId", .type = FIELD_ID, .kind = ID_COUNT, .flags = FIELD_OPTIONAL | FIELD_NULLABLE,
	  .description = "409 of a count start: the count in progress, when known" },
	FIELDS_END
};

static json_object *error_schema(void)
{
	return fields_schema(error_fields, 1, SCHEMA_RESPONSE);
}

static json_object *build_document(void)
{
	json_object *doc = json_object_new_object(), *info = json_object_new_object();
	json_object *paths = json_object_new_object(), *components = json_object_new_object();
	json_object *schemes = json_object_new_object(), *bearer = json_object_new_object();
	json_object *schemas = json_object_new_object(), *license = json_object_new_object();
	json_object *servers = json_object_new_array(), *server = json_object_new_object();
	json_object *ids = json_object_new_object(), *security;
	size_t i;

	json_object_object_add(doc, "openapi", jstr("3.1.0"));
	json_object_object_add(info, "title", jstr("inventory-api"));
	json_object_object_add(info, "version", jstr(PACKAGE_VERSION));
	json_object_object_add(info, "description", jstr(api_description));
	json_object_object_add(license, "name", jstr(api_license_name));
	json_object_object_add(license, "identifier", jstr(api_license_name));
	json_object_object_add(info, "license", license);
	json_object_object_add(doc, "info", info);
	/* The paths carry /api: the server is the root of the site. */
	json_object_object_add(server, "url", jstr("/"));
	json_object_object_add(server, "description", jstr("The site that serves this document"));
	json_object_array_add(servers, server);
	json_object_object_add(doc, "servers", servers);
	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		char *path = openapi_path(rt->pattern), *id = operation_id(rt);
		json_object *item;
		char method[16];
		size_t k;

		if (json_object_object_get_ex(ids, id, NULL))
			bug("operationId %s of %s %s is not unique", id,
			    http_method_names[rt->method], rt->pattern);
		json_object_object_add(ids, id, NULL);
		if (!json_object_object_get_ex(paths, path, &item)) {
			item = json_object_new_object();
			json_object_object_add(paths, path, item);
		}
		for (k = 0; http_method_names[rt->method][k] && k < sizeof(method) - 1; k++)
			method[k] = (char)(http_method_names[rt->method][k] | 0x20);
		method[k] = '\0';
		json_object_object_add(item, method, operation(rt, id));
		free(path);
		free(id);
	}
	json_object_put(ids);
	json_object_object_add(doc, "paths", paths);
	json_object_object_add(bearer, "type", jstr("http"));
	json_object_object_add(bearer, "scheme", jstr("bearer"));
	json_object_object_add(bearer, "description",
			       jstr("A JWT (HS256 or RS256, as configured) with claims sub, workspace, "
				    "permissions, roles and exp; or an API key 'ik_...' made by "
				    "inventoryctl apikey create."));
	json_object_object_add(schemes, "bearer", bearer);
	json_object_object_add(components, "securitySchemes", schemes);
	json_object_object_add(schemas, "Error", error_schema());
	json_object_object_add(components, "schemas", schemas);
	json_object_object_add(doc, "components", components);
	security = json_object_new_array();
	json_object_array_add(security, json_object_new_object());
	json_object_object_add(json_object_array_get_idx(security, 0), "bearer", json_object_new_array());
	json_object_object_add(doc, "security", security);
	return doc;
}

/* Built on the first call and kept: the route table never changes. */
static json_object *document;

json_object *openapi_document(void)
{
	if (!document)
		document = build_document();
	return json_object_get(document);
}

const char *openapi_json(size_t *len)
{
	static char *bytes;
	static size_t bytes_len;

	/* Serialised once per process: the route table never changes. */
	if (!bytes) {
		json_object *doc = openapi_document();
		const char *s = json_object_to_json_string_length(doc, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE,
								  &bytes_len);

		bytes = xstrdup(s);
		json_object_put(doc);
	}
	*len = bytes_len;
	return bytes;
}
