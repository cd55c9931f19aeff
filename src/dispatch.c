#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/conf.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "idempotency.h"
#include "references.h"
#include "routes.h"

const char *const field_type_names[FIELD__MAX] = {
	[FIELD_STRING] = "a string", [FIELD_INTEGER] = "an integer",
	[FIELD_NUMBER] = "a number", [FIELD_BOOLEAN] = "a boolean",
	[FIELD_ID] = "an id string", [FIELD_DATE] = "a date (YYYY-MM-DD)",
	[FIELD_DATETIME] = "an ISO 8601 date-time", [FIELD_ARRAY] = "an array",
	[FIELD_OBJECT] = "an object",
};

/*
 * Paths are compared segment by segment. The route table's patterns are
 * split once per process; a request's path once per request.
 */
#define ROUTE_MAX_SEGMENTS 8

struct segment {
	const char *s;
	size_t len;
	int param;              /* "[name]": any non-empty segment */
};

struct segments {
	size_t n;
	struct segment seg[ROUTE_MAX_SEGMENTS];
};

/* Splits path ("/a/b") into its segments. Returns -1 when it does not
 * start with '/' or has too many to match any route. */
static int split_path(const char *path, struct segments *out)
{
	const char *p = path;

	out->n = 0;
	if (*p != '/')
		return -1;
	while (*p == '/') {
		const char *start = ++p;

		while (*p && *p != '/')
			p++;
		if (out->n == ROUTE_MAX_SEGMENTS)
			return -1;
		out->seg[out->n].s = start;
		out->seg[out->n].len = (size_t)(p - start);
		out->seg[out->n].param = *start == '[';
		out->n++;
	}
	return 0;
}

/* The routes' patterns split, in table order; built on first use. */
static const struct segments *route_segments(void)
{
	static struct segments *table;
	size_t i;

	if (table)
		return table;
	table = xcalloc(routes_count, sizeof(*table));
	for (i = 0; i < routes_count; i++)
		if (split_path(routes[i].pattern, &table[i]))
			bug("route pattern %s has too many segments", routes[i].pattern);
	return table;
}

/* Whether path matches pattern; then fills params (from the pool). */
static int segments_match(struct pool *pool, const struct segments *pattern,
			  const struct segments *path, const char **params, size_t *nparams)
{
	size_t i;

	*nparams = 0;
	if (pattern->n != path->n)
		return 0;
	for (i = 0; i < path->n; i++) {
		const struct segment *ps = &pattern->seg[i], *s = &path->seg[i];

		if (ps->param ? !s->len : ps->len != s->len || memcmp(ps->s, s->s, s->len))
			return 0;
	}
	for (i = 0; i < path->n; i++)
		if (pattern->seg[i].param) {
			if (*nparams >= REQ_MAX_PATH_PARAMS)
				return 0;
			params[(*nparams)++] = pool_strndup(pool, path->seg[i].s, path->seg[i].len);
		}
	return 1;
}

/* The methods of the routes whose pattern matches path, for Allow. */
static const char *allowed_methods(struct req *r, const struct segments *path)
{
	const struct segments *table = route_segments();
	struct strbuf methods = STRBUF_INIT;
	const char *allow;
	size_t i, n;
	const char *params[REQ_MAX_PATH_PARAMS];

	for (i = 0; i < routes_count; i++) {
		const char *name = http_method_names[routes[i].method];

		if (!segments_match(r->pool, &table[i], path, params, &n) ||
		    strstr(methods.buf, name))
			continue;
		if (methods.len)
			strbuf_adds(&methods, ", ");
		strbuf_adds(&methods, name);
		if (routes[i].method == HTTP_GET)
			strbuf_adds(&methods, ", HEAD");
	}
	allow = pool_strdup(r->pool, methods.buf);
	strbuf_release(&methods);
	return allow;
}

const struct route *route_match(struct req *r, const char *path, enum http_method method,
				int *status, const char **allow)
{
	const struct segments *table = route_segments();
	const struct route *found = NULL;
	const char *params[REQ_MAX_PATH_PARAMS];
	struct segments split;
	size_t i, nparams, j, best = REQ_MAX_PATH_PARAMS + 1;

	*allow = NULL;
	*status = 404;
	if (split_path(path, &split))
		return NULL;
	/* The route of the method with the fewest parameters wins: a literal
	 * segment such as ".../availability/check" beats ".../availability/[id]".
	 * HEAD is a GET without the body (main.c leaves it out). */
	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];

		if (rt->method != method && !(method == HTTP_HEAD && rt->method == HTTP_GET))
			continue;
		if (!segments_match(r->pool, &table[i], &split, params, &nparams) || nparams >= best)
			continue;
		found = rt;
		best = nparams;
		for (j = 0; j < nparams; j++)
			r->path_params[j] = params[j];
		r->npath_params = nparams;
	}
	if (!found) {
		/* A path that other methods serve is 405, with what they are. */
		*allow = allowed_methods(r, &split);
		if (**allow)
			*status = 405;
		else
			*allow = NULL;
	}
	return found;
}

/* "YYYY-MM-DD", digits only, and a day that exists in that month. */
static int is_date(const char *s)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

static int is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* Characters, not bytes, of a UTF-8 string (json-c has validated it). */
static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int is_datetime(const char *s)
{
	size_t i;

	if (strlen(s) < 10)
		return 0;
	{
		char date[11];

		memcpy(date, s, 10);
		date[10] = '\0';
		if (!is_date(date))
			return 0;
	}
	if (!s[10])
		return 1;
	if (s[10] != 'T' && s[10] != ' ')
		return 0;
	for (i = 11; s[i]; i++)
		if (!isdigit((unsigned char)s[i]) && !strchr(":.Z+-", s[i]))
			return 0;
	return i >= 16;
}

/* "must be one of: A, B, C" for a field with a closed set of values. */
static const char *values_message(struct req *r, const char *const *values)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg;

	strbuf_adds(&sb, "must be one of: ");
	for (; *values; values++) {
		strbuf_adds(&sb, *values);
		if (values[1])
			strbuf_adds(&sb, ", ");
	}
	msg = pool_strdup(r->pool, sb.buf);
	strbuf_release(&sb);
	return msg;
}

static int is_allowed_value(const char *const *values, const char *s)
{
	for (; *values; values++)
		if (!strcmp(*values, s))
			return 1;
	return 0;
}

static int check_json_type(json_object *v, enum field_type type)
{
	switch (type) {
	case FIELD_STRING:
	case FIELD_ID:
		return json_object_is_type(v, json_type_string);
	case FIELD_DATE:
		return json_object_is_type(v, json_type_string) && is_date(json_object_get_string(v));
	case FIELD_DATETIME:
		return json_object_is_type(v, json_type_string) &&
		       is_datetime(json_object_get_string(v));
	case FIELD_INTEGER:
		return json_object_is_type(v, json_type_int);
	case FIELD_NUMBER:
		return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
	case FIELD_BOOLEAN:
		return json_object_is_type(v, json_type_boolean);
	case FIELD_ARRAY:
		return json_object_is_type(v, json_type_array);
	case FIELD_OBJECT:
		return json_object_is_type(v, json_type_object);
	case FIELD__MAX:
		break;
	}
	return 0;
}

int validate_body(struct req *r, const struct field *fields)
{
	const struct field *f;

	int partial = r->route && (r->route->flags & ROUTE_PARTIAL);

	for (f = fields; f && f->name; f++) {
		json_object *v = NULL;
		int present = json_object_object_get_ex(r->json, f->name, &v);

		if (f->flags & FIELD_READONLY)
			continue;
		if (!present || (v == NULL && !(f->flags & FIELD_NULLABLE))) {
			if ((f->flags & FIELD_REQUIRED) && !partial)
				return req_field_error(r, f->name, "is required");
			if (!present)
				continue;
		}
		if (v == NULL) {
			if (!(f->flags & FIELD_NULLABLE))
				return req_field_error(r, f->name, "must not be null");
			continue;
		}
		if (!check_json_type(v, f->type))
			return req_field_error(r, f->name,
					       pool_printf(r->pool, "must be %s", field_type_names[f->type]));
		if (f->type == FIELD_INTEGER || f->type == FIELD_NUMBER) {
			double d = json_object_get_double(v);
			double max = f->type == FIELD_INTEGER ? (double)FIELD_INTEGER_MAX : FIELD_NUMBER_MAX;

			if (!(d <= max && d >= -max))
				return req_field_error(r, f->name, "is out of range");
			if ((f->flags & FIELD_NONNEGATIVE) && d < 0)
				return req_field_error(r, f->name, "must not be negative");
		}
		if (json_object_is_type(v, json_type_string)) {
			const char *s = json_object_get_string(v);

			if (f->max_length && utf8_length(s) > f->max_length)
				return req_field_error(r, f->name,
						       pool_printf(r->pool, "must be at most %zu characters",
								   f->max_length));
			if ((f->type == FIELD_STRING || f->type == FIELD_ID) && is_blank(s) &&
			    (f->flags & FIELD_REQUIRED))
				return req_field_error(r, f->name, "must not be empty");
			if (f->type == FIELD_ID && id_parse(f->kind, s) <= 0)
				return req_field_error(r, f->name,
						       pool_printf(r->pool, "must be an id such as %s_1",
								   id_prefixes[f->kind]));
			if (f->values && !is_allowed_value(f->values, s))
				return req_field_error(r, f->name, values_message(r, f->values));
		}
	}
	return 0;
}

int validate_query(struct req *r, const struct field *fields)
{
	return validate_query_fields(r, fields, 0);
}

/*
 * A number as people write it: optional sign, digits, optional fraction
 * and exponent. strtod alone would also take "nan", "inf", hex and spaces.
 */
static int parse_decimal(const char *s, double *out)
{
	char *end;
	size_t i;

	for (i = 0; s[i]; i++)
		if (!strchr("0123456789+-.eE", s[i]))
			return -1;
	*out = strtod(s, &end);
	return i && *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* "must be <the type of f>" */
static const char *must_be(struct req *r, const struct field *f)
{
	return pool_printf(r->pool, "must be %s", field_type_names[f->type]);
}

/* Checks one query value against its field. Returns NULL or what is wrong. */
static const char *query_value_error(struct req *r, const struct field *f, const char **v)
{
	double max = f->type == FIELD_INTEGER ? (double)FIELD_INTEGER_MAX : FIELD_NUMBER_MAX;
	int64_t n;
	double d;

	switch (f->type) {
	case FIELD_INTEGER:
		if (parse_int64(*v, &n))
			return must_be(r, f);
		d = (double)n;
		break;
	case FIELD_NUMBER:
		if (parse_decimal(*v, &d))
			return must_be(r, f);
		break;
	case FIELD_BOOLEAN:
		/* What clients send: true, True, TRUE, 1 (and their opposites);
		 * handlers see "true" or "false". */
		if (!strcasecmp(*v, "true") || !strcmp(*v, "1"))
			*v = "true";
		else if (!strcasecmp(*v, "false") || !strcmp(*v, "0"))
			*v = "false";
		else
			return must_be(r, f);
		return NULL;
	case FIELD_ID:
		return id_parse(f->kind, *v) > 0 ? NULL : must_be(r, f);
	case FIELD_DATE:
		return is_date(*v) ? NULL : must_be(r, f);
	case FIELD_DATETIME:
		return is_datetime(*v) ? NULL : must_be(r, f);
	case FIELD_STRING:
		if (f->values && !is_allowed_value(f->values, *v))
			return values_message(r, f->values);
		if (f->max_length && utf8_length(*v) > f->max_length)
			return pool_printf(r->pool, "must be at most %zu characters", f->max_length);
		return NULL;
	default:
		return NULL;
	}
	if (!(d <= max && d >= -max))
		return "is out of range";
	if ((f->flags & FIELD_NONNEGATIVE) && d < 0)
		return "must not be negative";
	return NULL;
}

int validate_query_fields(struct req *r, const struct field *fields, int only_filters)
{
	const struct field *f;

	for (f = fields; f && f->name; f++) {
		struct query_param *q = NULL;
		const char *err;
		size_t i;

		if (only_filters && !(f->flags & FIELD_FILTER))
			continue;
		for (i = 0; i < r->nquery && !q; i++)
			if (!strcmp(r->query[i].name, f->name))
				q = &r->query[i];
		if (!q || !*q->value) {
			if ((f->flags & FIELD_REQUIRED) && !only_filters)
				return req_error(r, 400, pool_printf(r->pool, "%s is required", f->name), NULL);
			continue;
		}
		err = query_value_error(r, f, &q->value);
		if (err)
			return req_field_error(r, q->sent_as ? q->sent_as : f->name, err);
	}
	return 0;
}

/*
 * Other spellings of query parameters that the seeds use, accepted where
 * the route declares the name they stand for.
 */
static const struct query_alias {
	const char *alias;
	const char *name;
} query_aliases[] = {
	{ "productId", "productMasterId" },   /* the legacy name of a product */
	{ "startDate", "fromDate" },
	{ "endDate", "toDate" },
};

const char *query_alias_of(const char *name)
{
	size_t a;

	for (a = 0; a < ARRAY_SIZE(query_aliases); a++)
		if (!strcmp(query_aliases[a].name, name))
			return query_aliases[a].alias;
	return NULL;
}

static int is_declared(const char *name, const struct field *query, const struct field *filters)
{
	const struct field *f;

	for (f = query; f && f->name; f++)
		if (!strcmp(f->name, name))
			return 1;
	for (f = filters; f && f->name; f++)
		if ((f->flags & FIELD_FILTER) && !strcmp(f->name, name))
			return 1;
	return 0;
}

int validate_query_names(struct req *r, const struct field *query, const struct field *filters)
{
	size_t i, j, a;

	for (i = 0; i < r->nquery; i++) {
		struct query_param *q = &r->query[i];
		const char *name = NULL;

		if (!utf8_valid(q->name, strlen(q->name)))
			return req_error(r, 400, "Invalid request data",
					 "a query parameter name is not valid UTF-8");
		if (!utf8_valid(q->value, strlen(q->value)))
			return req_field_error(r, q->name, "is not valid UTF-8");
		/* One value each: a second would be silently ignored. */
		for (j = 0; j < i; j++)
			if (!strcmp(r->query[j].sent_as ? r->query[j].sent_as : r->query[j].name, q->name))
				return req_field_error(r, q->name, "may be given only once");
		if (is_declared(q->name, query, filters))
			continue;
		for (a = 0; a < ARRAY_SIZE(query_aliases) && !name; a++)
			if (!strcmp(query_aliases[a].alias, q->name) &&
			    is_declared(query_aliases[a].name, query, filters))
				name = query_aliases[a].name;
		if (!name)
			return req_field_error(r, q->name, "is not a known parameter of this endpoint");
		if (req_query(r, name))
			return req_field_error(r, q->name,
					       pool_printf(r->pool, "may not be given with %s", name));
		q->sent_as = q->name;
		q->name = name;
	}
	return 0;
}

static int content_type_is_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, "application/json", n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/*
 * Finds the first string (key or value) in v that is not well-formed
 * UTF-8 or holds a NUL ("\u0000" would cut it short in C). Appends its
 * place ("items[2].comment") to where. Returns 1 when one was found.
 */
static int find_bad_text(json_object *v, struct strbuf *where)
{
	size_t i, n, len = where->len;

	switch (json_object_get_type(v)) {
	case json_type_string: {
		const char *s = json_object_get_string(v);
		size_t slen = (size_t)json_object_get_string_len(v);

		return memchr(s, '\0', slen) || !utf8_valid(s, slen);
	}
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			strbuf_addf(where, "[%zu]", i);
			if (find_bad_text(json_object_array_get_idx(v, i), where))
				return 1;
			strbuf_setlen(where, len);
		}
		return 0;
	case json_type_object: {
		json_object_object_foreach(v, key, child) {
			int key_bad = !utf8_valid(key, strlen(key));

			if (len)
				strbuf_adds(where, ".");
			strbuf_adds(where, key_bad ? "(a key)" : key);
			if (key_bad || find_bad_text(child, where))
				return 1;
			strbuf_setlen(where, len);
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* Parses the body of a request that takes one. Returns 0 or the status. */
static int parse_body(struct req *r)
{
	struct json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t i;

	if (r->body_len == 0) {
		r->json = req_own(r, json_object_new_object());
		return 0;
	}
	if (!content_type_is_json(r->content_type))
		return req_error(r, 415, "Unsupported Media Type",
				 "Content-Type must be application/json");
	for (i = 0; i < r->body_len; i++)
		if (r->body[i] == '\0')
			return req_error(r, 400, "Invalid JSON", "the body contains a NUL byte");
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
	jerr = json_tokener_get_error(tok);
	/* Anything but whitespace after the value is an error too. */
	if (obj && jerr == json_tokener_success) {
		for (i = json_tokener_get_parse_end(tok); i < r->body_len; i++)
			if (!isspace((unsigned char)r->body[i]))
				jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (!obj || jerr != json_tokener_success) {
		json_object_put(obj);
		return req_error(r, 400, "Invalid JSON", "the request body is not valid JSON");
	}
	req_own(r, obj);
	if (!json_object_is_type(obj, json_type_object))
		return req_error(r, 400, "Invalid JSON", "the request body must be a JSON object");
	{
		struct strbuf where = STRBUF_INIT;
		int status = 0;

		if (find_bad_text(obj, &where))
			status = req_field_error(r, where.buf, "must be valid UTF-8 text without NUL characters");
		strbuf_release(&where);
		if (status)
			return status;
	}
	r->json = obj;
	return 0;
}

/*
 * A signed token may name a workspace that does not exist. Workspaces are
 * never deleted, so a process remembers the ones it has seen exist and asks
 * the database only once for each. Returns 1, 0 (unknown) or -1.
 */
static int workspace_known(struct req *r)
{
	static int64_t seen[256];
	int64_t ws = r->principal.workspace_id;
	size_t slot = (size_t)ws % ARRAY_SIZE(seen);
	struct db_result res;

	if (seen[slot] == ws)
		return 1;
	if (db_query(r->db, r->pool, "SELECT 1 FROM workspaces WHERE id = ?",
		     DB_ARGS(ARG_INT(ws)), &res))
		return -1;
	if (!res.nrows)
		return 0;
	seen[slot] = ws;
	return 1;
}

static int authorize(struct req *r)
{
	const struct route *rt = r->route;
	enum auth_result ar;

	if (rt->flags & ROUTE_PUBLIC)
		return 0;
	ar = auth_authenticate(r->pool, r->db, r->conf, r->authorization, &r->principal);
	if (ar == AUTH_ERROR)
		return req_error(r, 503, "Service Unavailable", "authentication is unavailable");
	if (ar != AUTH_OK) {
		req_add_header(r, "WWW-Authenticate: Bearer");
		return req_error(r, 401, "Unauthorized", NULL);
	}
	if (r->principal.workspace_id <= 0)
		return req_error(r, 403, "Forbidden", "Not available in SuperAdmin");
	switch (workspace_known(r)) {
	case 0:
		return req_error(r, 403, "Forbidden", "unknown workspace");
	case -1:
		return req_error(r, 503, "Service Unavailable", "authentication is unavailable");
	default:
		break;
	}
	if ((rt->flags & ROUTE_MANAGER) && !(r->principal.roles & (ROLE_MANAGER | ROLE_ADMIN)))
		return req_error(r, 403, "Forbidden", "requires the manager role");
	if ((rt->flags & ROUTE_ADMIN) && !(r->principal.roles & ROLE_ADMIN))
		return req_error(r, 403, "Forbidden", "requires the admin role");
	if (!principal_has_all(&r->principal, perm_list_set(&rt->permissions))) {
		struct strbuf need = STRBUF_INIT;
		size_t i;
		int status;

		for (i = 0; i < rt->permissions.n; i++) {
			if (need.len)
				strbuf_adds(&need, ", ");
			strbuf_adds(&need, perm_names[rt->permissions.v[i]]);
		}
		status = req_error(r, 403, "Forbidden",
				   pool_printf(r->pool, "requires permission %s", need.buf));
		strbuf_release(&need);
		return status;
	}
	return 0;
}

#define MAX_ATTEMPTS 5

static int retryable(const struct db *db)
{
	return db_errno(db) == DB_ER_LOCK_DEADLOCK || db_errno(db) == DB_ER_LOCK_WAIT_TIMEOUT;
}

/*
 * Stores a client error under the request's Idempotency-Key, in a
 * transaction of its own (the handler's was rolled back). If another
 * request with the key got there first, its answer is replayed instead.
 */
static void store_client_error(struct req *r)
{
	int status = r->status, stored = 0;
	json_object *resp = r->resp;    /* owned by the pool */
	size_t headers = r->nheaders;

	if (db_begin(r->db) == 0) {
		if (idem_claim(r) == 0) {
			req_respond(r, status, json_object_get(resp));
			r->nheaders = headers;
			stored = idem_store(r) == 0 && db_commit(r->db) == 0;
		} else if (r->status < 500) {
			db_rollback(r->db);
			return;
		}
		db_rollback(r->db);
	}
	if (!stored)
		fprintf(stderr, "%s error: unable to store an idempotent response (db %u)\n",
			r->request_id, db_errno(r->db));
	/* Whatever happened above, the client gets the handler's answer. */
	req_respond(r, status, json_object_get(resp));
	r->nheaders = headers;
}

/*
 * Runs a handler that may write in one transaction: committed when it
 * answers a success, rolled back otherwise, so an error changes nothing.
 * The Idempotency-Key is claimed first in the same transaction. A deadlock
 * or lock wait timeout rolls the whole transaction back and runs it again
 * after a random pause, up to MAX_ATTEMPTS times while the request is
 * still within the database's read timeout, so that every request ends
 * well before nginx stops waiting for it.
 */
static void run_in_transaction(struct req *r)
{
	uint64_t started = now_usec(), budget = (uint64_t)r->conf->db_read_timeout_seconds * 1000000u;
	size_t headers = r->nheaders;
	int attempt, commit;

	for (attempt = 1;; attempt++) {
		r->resp = NULL;
		r->raw_body = NULL;
		r->nheaders = headers;
		if (db_begin(r->db)) {
			r->status = req_internal_error(r, "begin");
			break;
		}
		if (r->idempotency_key && idem_claim(r)) {
			/* A replay, 409 or 422: nothing to run, nothing to keep. */
			db_rollback(r->db);
			if (r->status < 500 || !retryable(r->db))
				return;
		} else {
			r->status = r->route->handler(r);
			if (r->status < 400) {
				if (r->idempotency_key && idem_store(r)) {
					r->status = req_internal_error(r, "idempotency store");
				} else {
					commit = db_commit(r->db);
					if (commit == 0) {
						if (r->idempotency_key)
							idem_sweep(r);
						return;
					}
					if (commit == DB_COMMIT_UNKNOWN) {
						r->status = req_error(r, 503, "Service Unavailable",
								      r->idempotency_key ?
								      "the outcome of the request is unknown: the database "
								      "connection was lost while committing; retry with the "
								      "same Idempotency-Key" :
								      "the outcome of the request is unknown: the database "
								      "connection was lost while committing; check before "
								      "retrying, or send an Idempotency-Key");
						return;
					}
					r->status = req_internal_error(r, "commit");
				}
			}
			db_rollback(r->db);
			if (r->status < 500) {
				if (r->idempotency_key)
					store_client_error(r);
				return;
			}
		}
		if (!retryable(r->db) || attempt == MAX_ATTEMPTS || now_usec() - started > budget)
			break;
		/* Let the transaction that won go first; random, so that the
		 * losers of one deadlock do not collide again. */
		usleep((useconds_t)(1000 * attempt + random() % (4000 * attempt)));
	}
	/* Out of attempts on a busy row: the client may simply retry. */
	if (retryable(r->db))
		r->status = req_error(r, 503, "Service Unavailable",
				      "the stock involved is busy; retry the request");
}

void dispatch(struct req *r)
{
	const char *allow;
	int status = 0;

	/* Path parameters reach SQL and logs: only text, never stray bytes. */
	if (!utf8_valid(r->path, strlen(r->path))) {
		req_error(r, 400, "Bad Request", "the path is not valid UTF-8");
		return;
	}
	r->route = route_match(r, r->path, r->method, &status, &allow);
	if (!r->route) {
		if (status == 405) {
			req_add_header(r, pool_printf(r->pool, "Allow: %s", allow));
			req_error(r, 405, "Method Not Allowed", NULL);
		} else {
			req_error(r, 404, "Not Found", NULL);
		}
		return;
	}
	if (authorize(r))
		return;
	if (r->idempotency_key && !*r->idempotency_key)
		r->idempotency_key = NULL;
	if (r->idempotency_key && idem_check(r))
		return;
	if (r->method == HTTP_POST || r->method == HTTP_PATCH || r->method == HTTP_PUT) {
		if (parse_body(r) || validate_body(r, route_body(r->route)))
			return;
	}
	if (validate_query_names(r, r->route->query, route_filters(r->route)) ||
	    validate_query(r, r->route->query) ||
	    validate_query_fields(r, route_filters(r->route), 1))
		return;
	if (check_references(r, route_body(r->route)))
		return;
	if (r->method == HTTP_GET || r->method == HTTP_HEAD || (r->route->flags & ROUTE_READONLY)) {
		r->status = r->route->handler(r);
	} else {
		run_in_transaction(r);
	}
	if (!r->resp && !r->raw_body)
		bug("handler for %s %s set no response", http_method_names[r->route->method],
		    r->route->pattern);
}
