/* SPDX-License-Identifier: MIT */
/*
 * The route table. One row per endpoint: method, path pattern, handler,
 * permissions, flags and the declared inputs. The same rows drive
 * dispatch, the access checks, input validation, the OpenAPI document and
 * the table-driven security tests.
 */
#ifndef INV_ROUTES_H
#define INV_ROUTES_H

#include <stddef.h>

#include "auth/perm.h"
#include "core/ids.h"
#include "http/http.h"

enum field_type {
	FIELD_STRING,
	FIELD_INTEGER,
	FIELD_NUMBER,
	FIELD_BOOLEAN,
	FIELD_ID,         /* a string id of field.kind, "prod_42" */
	FIELD_DATE,       /* "YYYY-MM-DD" */
	FIELD_DATETIME,   /* ISO 8601 */
	FIELD_ARRAY,
	FIELD_OBJECT,
	FIELD__MAX
};

enum field_flags {
	FIELD_REQUIRED = 1u << 0,
	FIELD_NULLABLE = 1u << 1,   /* JSON null accepted (clears the value) */
	FIELD_READONLY = 1u << 2,   /* in responses only */
	FIELD_FILTER = 1u << 3,     /* also a list filter (query parameter) */
	FIELD_SEARCH = 1u << 4,     /* matched by the list's ?search= */
	FIELD_CREATE_ONLY = 1u << 5,/* set at creation, not by PATCH */
	FIELD_NONNEGATIVE = 1u << 6,/* numbers: at least 0 */
	FIELD_MATCH = 1u << 7,      /* ids: a filter or lookup, not a reference: an id that
				     * is not the workspace's matches nothing (no 404) */
	FIELD_OPTIONAL = 1u << 8,   /* responses: the member may be absent */
};

/* Every integer fits the INT columns and every number DECIMAL(18,4). */
#define FIELD_INTEGER_MAX 2147483647LL
#define FIELD_NUMBER_MAX 1e13

enum field_store {
	STORE_NONE,       /* input only, or computed */
	STORE_COLUMN,     /* read and written as column */
};

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	enum id_kind kind;          /* for FIELD_ID */
	const char *description;
	size_t max_length;          /* for strings; 0: no limit */
	double maximum;             /* for numbers; 0: the type's limit (below) */
	const char *const *values;  /* allowed values (NULL-terminated), or NULL */
	/* The SQL expression of a result column (the column of a generic
	 * resource): api_select writes the SELECT list from a table of these
	 * and api_write_row the JSON, each value as its type says. */
	const char *column;
	/* FIELD_ARRAY: the fields of each element (objects), or NULL with
	 * .kind set when the elements are ids of that kind. FIELD_OBJECT:
	 * its members, or NULL for any object. */
	const struct field *items;
	/* FIELD_ID: the 404 error when the id is not the workspace's
	 * (default "<Noun> not found"). */
	const char *not_found;
};

#define FIELDS_END { .name = NULL }

/* The largest value a number field accepts (and the negated smallest). */
static inline double field_max(const struct field *f)
{
	if (f->maximum)
		return f->maximum;
	return f->type == FIELD_INTEGER ? (double)FIELD_INTEGER_MAX : FIELD_NUMBER_MAX;
}

enum route_flags {
	ROUTE_PUBLIC = 1u << 0,     /* no authentication, no workspace */
	ROUTE_CREATES = 1u << 1,    /* answers 201 with the new object */
	ROUTE_PARTIAL = 1u << 2,    /* PATCH: no body field is required */
	ROUTE_MANAGER = 1u << 3,    /* also requires the manager (or admin) role */
	ROUTE_ADMIN = 1u << 4,      /* also requires the admin role */
	ROUTE_READONLY = 1u << 5,   /* a POST that changes nothing: no transaction */
	ROUTE_UPSERT = 1u << 6,     /* with ROUTE_CREATES: 200 when it updated instead */
	ROUTE_NO_DB = 1u << 7,      /* answers without the database (with ROUTE_PUBLIC) */
	ROUTE_OWN_REFERENCES = 1u << 8, /* the handler reads every id of its body and answers
					 * their 404s itself: no separate reference check */
	ROUTE_REPLICA = 1u << 9,    /* a read that a replica may serve (it may be a moment
				     * behind); never one that decides a write */
};

typedef int (*route_handler)(struct req *r);

/*
 * The body of a route's success answer, as the OpenAPI document describes
 * it: in a response every member is present (FIELD_OPTIONAL: may be
 * absent) and null only when FIELD_NULLABLE. The handlers that write rows
 * use the same field tables (api_write_row), so the two cannot drift.
 */
enum response_shape {
	RESPONSE_OBJECT,            /* fields are the body's members */
	RESPONSE_PAGE,              /* {"items": [fields], "pagination": {"page",
				     * "pageSize", "total", "totalPages"}} */
	RESPONSE_OFFSET,            /* {items_name: [fields], "total", "pagination":
				     * {"limit", "offset", "hasMore"}} */
	RESPONSE_RESOURCE,          /* the generic resource of .ctx */
	RESPONSE_RESOURCE_PAGE,     /* a page of it */
	RESPONSE_EMPTY,             /* 204 without a body */
	RESPONSE_STREAM,            /* an export of rows of fields (api/export.h): text/csv
				     * or application/x-ndjson, streamed */
	RESPONSE_TEXT,              /* text of .media_type (req_respond_text), said by
				     * .description */
};

struct response {
	enum response_shape shape;
	const struct field *fields;
	const struct field *alt;    /* RESPONSE_OBJECT: another body it may answer */
	const char *items_name;     /* RESPONSE_OFFSET */
	const char *description;
	const char *media_type;     /* RESPONSE_TEXT */
};

struct route {
	enum http_method method;
	const char *pattern;        /* "/api/products/[id]" */
	route_handler handler;
	struct perm_list permissions;   /* all required; none for ROUTE_PUBLIC */
	unsigned flags;
	enum id_kind path_kind;     /* what the [id] in the pattern names */
	const char *tag;
	const char *summary;
	const struct field *query;  /* FIELDS_END-terminated, or NULL */
	const struct field *body;   /* FIELDS_END-terminated, or NULL */
	const void *ctx;            /* handler data, e.g. a struct resource */
	const char *description;
	struct response response;   /* the success answer's body */
};

extern const struct route routes[];
extern const size_t routes_count;

/*
 * Finds the route for method and path. Returns it, or NULL with *status
 * 404 (no such path) or 405 (path known, method not; *allow then lists
 * the methods, from the pool). Fills r->path_params.
 */
const struct route *route_match(struct req *r, const char *path, enum http_method method,
				int *status, const char **allow);

/* Runs one request: matching, access checks, validation, the handler. */
void dispatch(struct req *r);

/* Validates r->json against fields. Returns 0, or the error status set. */
int validate_body(struct req *r, const struct field *fields);
/* Validates the query string against fields. Returns 0 or the status. */
int validate_query(struct req *r, const struct field *fields);
/*
 * Checks that every query parameter is declared in query or (as a
 * FIELD_FILTER) in filters, or is an accepted other spelling of one (then
 * renamed to the declared name), and that names and values are UTF-8.
 * Returns 0, or 400 naming the parameter.
 */
int validate_query_names(struct req *r, const struct field *query, const struct field *filters);
/* The other spelling accepted for query parameter name, or NULL. */
const char *query_alias_of(const char *name);

/* The declared body of rt (its own, or its resource's fields). */
const struct field *route_body(const struct route *rt);
/* The filter fields of a generic list route (FIELD_FILTER ones), or NULL. */
const struct field *route_filters(const struct route *rt);
/* Validates the query; with only_filters, only FIELD_FILTER fields. */
int validate_query_fields(struct req *r, const struct field *fields, int only_filters);

/* Returns a reference to the OpenAPI 3.1 document built from the table,
 * built on the first call and kept: release it, never change it. */
json_object *openapi_document(void);
/* The same document as JSON bytes, serialised once per process. */
const char *openapi_json(size_t *len);

extern const char *const field_type_names[FIELD__MAX];
/* The members of "pagination" in RESPONSE_PAGE and RESPONSE_OFFSET. */
extern const struct field api_page_fields[];
extern const struct field api_offset_fields[];

#endif
