/* SPDX-License-Identifier: MIT */
/* Unit tests of the route table, dispatch, validation and the OpenAPI document. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "auth/auth.h"
#include "core/conf.h"
#include "core/ids.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "routes.h"
#include "suites.h"

#define SECRET "0123456789abcdef0123456789abcdef-unit-tests"

static struct pool *pool;
static struct conf conf;
static struct req r;
static json_object *owned_json;   /* the body validate_body tests parse */

static void setup(void)
{
	pool = pool_create();
	conf_defaults(&conf);
	ck_assert_int_eq(conf_parse(&conf, "jwt.secret = " SECRET "\n", "test"), 0);
	req_init(&r, pool, NULL, NULL, &conf);
}

static void teardown(void)
{
	json_object_put(owned_json);
	owned_json = NULL;
	pool_destroy(pool);
	pool = NULL;
	conf_release(&conf);
}

static const char *jget_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* details[0].<key> of the response, or NULL. */
static const char *detail(const char *key)
{
	json_object *details;

	if (!r.resp || !json_object_object_get_ex(r.resp, "details", &details) ||
	    !json_object_is_type(details, json_type_array) || json_object_array_length(details) < 1)
		return NULL;
	return jget_str(json_object_array_get_idx(details, 0), key);
}

static const struct route *find_route(enum http_method m, const char *pattern)
{
	size_t i;

	for (i = 0; i < routes_count; i++)
		if (routes[i].method == m && !strcmp(routes[i].pattern, pattern))
			return &routes[i];
	ck_abort_msg("no route %s %s", http_method_names[m], pattern);
	return NULL;
}

/* ---- route_match */

START_TEST(test_route_match_inventory)
{
	const struct route *rt;
	const char *allow = "unset";
	int status = 0;

	rt = route_match(&r, "/api/inventory", HTTP_GET, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->method, HTTP_GET);
	ck_assert_str_eq(rt->pattern, "/api/inventory");
	ck_assert_uint_eq(rt->permissions.n, 1);
	ck_assert_str_eq(perm_names[rt->permissions.v[0]], "inventory.read");
	ck_assert_uint_eq(r.npath_params, 0);
	ck_assert_ptr_null(allow);
}
END_TEST

/* A literal segment beats a parameter, whatever the order of the table. */
START_TEST(test_route_match_prefers_literal_segments)
{
	const struct route *rt;
	const char *allow = NULL;
	int status = 0;

	rt = route_match(&r, "/api/inventory/availability/check", HTTP_POST, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_str_eq(rt->pattern, "/api/inventory/availability/check");
	ck_assert_uint_eq(r.npath_params, 0);
	rt = route_match(&r, "/api/inventory/availability/item_7", HTTP_POST, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_str_eq(rt->pattern, "/api/inventory/availability/[id]");
	ck_assert_str_eq(r.path_params[0], "item_7");
}
END_TEST

/* Every route says what it answers: the OpenAPI document and the tests'
 * check of each response depend on it. */
START_TEST(test_every_route_declares_its_answer)
{
	size_t i;

	for (i = 0; i < routes_count; i++) {
		const struct response *resp = &routes[i].response;

		ck_assert_msg(resp->shape != RESPONSE_OBJECT || resp->fields, "%s %s declares no answer",
			      http_method_names[routes[i].method], routes[i].pattern);
		ck_assert_msg(resp->shape != RESPONSE_OFFSET || resp->items_name,
			      "%s %s: an offset page names its items", http_method_names[routes[i].method],
			      routes[i].pattern);
	}
	json_object_put(openapi_document());
}
END_TEST

START_TEST(test_route_match_404_shapes)
{
	static const char *const paths[] = {
		"/api/products/", "/api//products", "api/products", "", "/api/products/prod_1/",
		"/api/a/b/c/d/e/f/g/h/i/j", "/api/inventory-levels/level_1/x",
	};
	const char *allow = NULL;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int status = 0;

		ck_assert_msg(route_match(&r, paths[i], HTTP_GET, &status, &allow) == NULL,
			      "%s matched", paths[i]);
		ck_assert_int_eq(status, 404);
	}
}
END_TEST

START_TEST(test_route_match_405)
{
	const struct route *rt;
	const char *allow = NULL;
	int status = 0;

	rt = route_match(&r, "/api/inventory", HTTP_POST, &status, &allow);
	ck_assert_ptr_null(rt);
	ck_assert_int_eq(status, 405);
	ck_assert_str_eq(allow, "GET, HEAD");

	rt = route_match(&r, "/api/products/prod_1", HTTP_DELETE, &status, &allow);
	ck_assert_ptr_null(rt);
	ck_assert_int_eq(status, 405);
	ck_assert_str_eq(allow, "GET, HEAD, PATCH");

	/* HEAD is served by the GET route. */
	rt = route_match(&r, "/api/inventory", HTTP_HEAD, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->method, HTTP_GET);

	rt = route_match(&r, "/api/inventory-levels/level_1", HTTP_POST, &status, &allow);
	ck_assert_ptr_null(rt);
	ck_assert_int_eq(status, 405);
	ck_assert_str_eq(allow, "GET, HEAD, PATCH, DELETE");

	rt = route_match(&r, "/api/products", HTTP_DELETE, &status, &allow);
	ck_assert_ptr_null(rt);
	ck_assert_int_eq(status, 405);
	ck_assert_str_eq(allow, "GET, HEAD, POST");
}
END_TEST

START_TEST(test_route_match_404)
{
	static const char *const paths[] = {
		"/api/nope", "/api", "/api/", "/", "", "api/inventory", "/api/inventoryx",
		"/api/inventor", "/API/inventory", "/api/inventory/x", "/api/products/prod_1/x",
		"/api/products/prod_1/inventory-levels/x", "/other/api/inventory",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		const char *allow = "unset";
		int status = 0;
		const struct route *rt = route_match(&r, paths[i], HTTP_GET, &status, &allow);

		ck_assert_msg(rt == NULL, "'%s' matched %s", paths[i], rt ? rt->pattern : "");
		ck_assert_msg(status == 404, "'%s': status %d", paths[i], status);
		ck_assert_ptr_null(allow);
	}
}
END_TEST

START_TEST(test_route_match_path_params)
{
	const struct route *rt;
	const char *allow;
	int status = 0;

	rt = route_match(&r, "/api/products/prod_1", HTTP_GET, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_str_eq(rt->pattern, "/api/products/[id]");
	ck_assert_int_eq(rt->path_kind, ID_PRODUCT);
	ck_assert_uint_eq(r.npath_params, 1);
	ck_assert_str_eq(r.path_params[0], "prod_1");

	rt = route_match(&r, "/api/products/prod_42/inventory-levels", HTTP_GET, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_str_eq(rt->pattern, "/api/products/[id]/inventory-levels");
	ck_assert_uint_eq(r.npath_params, 1);
	ck_assert_str_eq(r.path_params[0], "prod_42");

	/* The matcher takes any segment; the id is checked by the handler. */
	rt = route_match(&r, "/api/products/whatever", HTTP_PATCH, &status, &allow);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->method, HTTP_PATCH);
	ck_assert_str_eq(r.path_params[0], "whatever");
}
END_TEST

START_TEST(test_route_match_empty_segments)
{
	static const char *const paths[] = {
		"/api/products/", "/api/products//inventory-levels", "/api/products//",
		"/api//products/prod_1", "//api/products/prod_1", "/api/locations//bins",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		const char *allow;
		int status = 0;
		const struct route *rt = route_match(&r, paths[i], HTTP_GET, &status, &allow);

		ck_assert_msg(rt == NULL, "'%s' matched %s", paths[i], rt ? rt->pattern : "");
		ck_assert_int_eq(status, 404);
	}
}
END_TEST

START_TEST(test_route_match_trailing_slash)
{
	const char *allow;
	int status = 0;

	/* Paths are matched exactly: a trailing slash is another path. */
	ck_assert_ptr_null(route_match(&r, "/api/inventory/", HTTP_GET, &status, &allow));
	ck_assert_int_eq(status, 404);
	ck_assert_ptr_null(route_match(&r, "/api/products/prod_1/", HTTP_GET, &status, &allow));
	ck_assert_int_eq(status, 404);
	ck_assert_ptr_null(route_match(&r, "/api/health/", HTTP_GET, &status, &allow));
	ck_assert_int_eq(status, 404);
}
END_TEST

/* Every row of the table is reachable: nothing earlier shadows it. */
START_TEST(test_route_match_every_route)
{
	size_t i;

	ck_assert_uint_gt(routes_count, 10);
	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i], *got;
		struct strbuf path = STRBUF_INIT;
		const char *p, *allow;
		int status = 0;
		size_t nparams = 0;

		for (p = rt->pattern; *p; p++) {
			if (*p == '[') {
				strbuf_addf(&path, "%s_9", id_prefixes[rt->path_kind]);
				p = strchr(p, ']');
				ck_assert_ptr_nonnull(p);
				nparams++;
			} else {
				strbuf_addch(&path, *p);
			}
		}
		if (nparams)
			ck_assert_msg(rt->path_kind != ID_NONE, "%s has no path kind", rt->pattern);
		got = route_match(&r, path.buf, rt->method, &status, &allow);
		ck_assert_msg(got == rt, "%s %s matched %s", http_method_names[rt->method], path.buf,
			      got ? got->pattern : "nothing");
		ck_assert_uint_eq(r.npath_params, nparams);
		if (nparams)
			ck_assert_str_eq(r.path_params[0],
					 pool_printf(pool, "%s_9", id_prefixes[rt->path_kind]));
		ck_assert_ptr_nonnull(rt->handler);
		ck_assert_ptr_nonnull(rt->summary);
		ck_assert_ptr_nonnull(rt->tag);
		/* Only public routes go without permissions. */
		ck_assert_int_eq(rt->permissions.n == 0, (rt->flags & ROUTE_PUBLIC) != 0);
		strbuf_release(&path);
	}
}
END_TEST

/* ---- validate_body */

static const char *const colours[] = { "red", "green", NULL };

static const struct field body_fields[] = {
	{ .name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 5 },
	{ .name = "count", .type = FIELD_INTEGER },
	{ .name = "price", .type = FIELD_NUMBER },
	{ .name = "active", .type = FIELD_BOOLEAN },
	{ .name = "colour", .type = FIELD_STRING, .values = colours },
	{ .name = "day", .type = FIELD_DATE },
	{ .name = "at", .type = FIELD_DATETIME },
	{ .name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "code", .type = FIELD_STRING },
	{ .name = "productId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "tags", .type = FIELD_ARRAY },
	{ .name = "meta", .type = FIELD_OBJECT },
	{ .name = "id", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_READONLY },
	{ .name = "qty", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE },
	{ .name = "cost", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE },
	FIELDS_END
};

static const struct route partial_route = {
	.method = HTTP_PATCH, .pattern = "/api/test/[id]", .flags = ROUTE_PARTIAL,
	.path_kind = ID_PRODUCT, .tag = "Test", .summary = "Test",
};

/* Parses json into r.json (owned by the test) and validates it against fields. */
static int check_fields(const char *json, const struct field *fields)
{
	json_object_put(owned_json);
	owned_json = json_tokener_parse(json);
	ck_assert_msg(owned_json != NULL, "bad test JSON: %s", json);
	r.json = owned_json;
	r.resp = NULL;
	r.status = 0;
	return validate_body(&r, fields);
}

static int check_body(const char *json)
{
	return check_fields(json, body_fields);
}

/* Asserts that json is refused with 400 naming field. */
#define ck_body_refused(json, field) do { \
		ck_assert_int_eq(check_body(json), 400); \
		ck_assert_int_eq(r.status, 400); \
		ck_assert_str_eq(jget_str(r.resp, "error"), "Invalid request data"); \
		ck_assert_ptr_nonnull(detail("field")); \
		ck_assert_str_eq(detail("field"), field); \
	} while (0)

#define ck_body_ok(json) do { \
		ck_assert_msg(check_body(json) == 0, "refused %s: %s", json, \
			      r.resp ? json_object_to_json_string(r.resp) : ""); \
		ck_assert_ptr_null(r.resp); \
	} while (0)

START_TEST(test_body_valid)
{
	ck_body_ok("{\"name\":\"abc\"}");
	ck_body_ok("{\"name\":\"abc\",\"count\":3,\"price\":2.5,\"active\":false,"
		   "\"colour\":\"green\",\"day\":\"2024-12-31\",\"at\":\"2024-12-31T10:00:00Z\","
		   "\"note\":\"n\",\"code\":\"c\",\"productId\":\"prod_4\",\"tags\":[],\"meta\":{}}");
	/* Read-only fields are not checked (they are ignored). */
	ck_body_ok("{\"name\":\"abc\",\"id\":5}");
	ck_assert_int_eq(check_fields("{}", NULL), 0);
}
END_TEST

START_TEST(test_body_required)
{
	ck_body_refused("{}", "name");
	ck_assert_str_eq(detail("message"), "is required");
	ck_assert_str_eq(jget_str(r.resp, "message"), "name is required");
	ck_body_refused("{\"count\":1}", "name");
	ck_body_refused("{\"name\":null}", "name");
	ck_body_refused("{\"name\":\"\"}", "name");
	ck_assert_str_eq(detail("message"), "must not be empty");
}
END_TEST

START_TEST(test_body_types)
{
	ck_body_refused("{\"name\":5}", "name");
	ck_assert_str_eq(detail("message"), "must be a string");
	ck_body_refused("{\"name\":\"a\",\"count\":\"5\"}", "count");
	ck_assert_str_eq(detail("message"), "must be an integer");
	ck_body_refused("{\"name\":\"a\",\"count\":1.5}", "count");
	ck_body_refused("{\"name\":\"a\",\"count\":true}", "count");
	ck_body_refused("{\"name\":\"a\",\"price\":\"1\"}", "price");
	ck_body_refused("{\"name\":\"a\",\"active\":1}", "active");
	ck_body_refused("{\"name\":\"a\",\"active\":\"true\"}", "active");
	ck_body_refused("{\"name\":\"a\",\"productId\":4}", "productId");
	ck_body_refused("{\"name\":\"a\",\"tags\":{}}", "tags");
	ck_body_refused("{\"name\":\"a\",\"meta\":[]}", "meta");
	ck_body_refused("{\"name\":\"a\",\"code\":[\"x\"]}", "code");
	/* The first bad field is named. */
	ck_body_refused("{\"name\":\"a\",\"count\":\"x\",\"price\":\"y\"}", "count");
}
END_TEST

START_TEST(test_body_number_takes_integers)
{
	ck_body_ok("{\"name\":\"a\",\"price\":3}");
	ck_body_ok("{\"name\":\"a\",\"price\":3.25}");
	ck_body_ok("{\"name\":\"a\",\"price\":-1e3}");
	ck_body_ok("{\"name\":\"a\",\"count\":-7}");
}
END_TEST

START_TEST(test_body_ranges)
{
	ck_body_ok("{\"name\":\"a\",\"count\":2147483647}");
	ck_body_ok("{\"name\":\"a\",\"count\":-2147483647}");
	ck_body_refused("{\"name\":\"a\",\"count\":2147483648}", "count");
	ck_assert_str_eq(detail("message"), "is out of range");
	ck_body_refused("{\"name\":\"a\",\"count\":-2147483649}", "count");
	ck_body_refused("{\"name\":\"a\",\"count\":9223372036854775807}", "count");
	ck_body_ok("{\"name\":\"a\",\"price\":1e13}");
	ck_body_ok("{\"name\":\"a\",\"price\":-9999999999999.5}");
	ck_body_refused("{\"name\":\"a\",\"price\":1.5e13}", "price");
	ck_assert_str_eq(detail("message"), "is out of range");
	ck_body_refused("{\"name\":\"a\",\"price\":-1e300}", "price");
	ck_body_refused("{\"name\":\"a\",\"price\":20000000000000}", "price");
	ck_body_ok("{\"name\":\"a\",\"qty\":0,\"cost\":0.0}");
	ck_body_refused("{\"name\":\"a\",\"qty\":-1}", "qty");
	ck_assert_str_eq(detail("message"), "must not be negative");
	ck_body_refused("{\"name\":\"a\",\"cost\":-0.01}", "cost");
	ck_assert_str_eq(detail("message"), "must not be negative");
}
END_TEST

START_TEST(test_body_max_length)
{
	ck_body_ok("{\"name\":\"abcde\"}");
	ck_body_refused("{\"name\":\"abcdef\"}", "name");
	ck_assert_str_eq(detail("message"), "must be at most 5 characters");
}
END_TEST

/*
 * max_length is documented as characters ("must be at most 5
 * characters", OpenAPI maxLength, MariaDB VARCHAR(n)); strlen() counts
 * bytes, so five accented letters (10 bytes of UTF-8) are refused.
 */
START_TEST(test_body_max_length_counts_characters)
{
	ck_body_ok("{\"name\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}");
	ck_body_refused("{\"name\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}", "name");
}
END_TEST

START_TEST(test_body_enum)
{
	ck_body_ok("{\"name\":\"a\",\"colour\":\"red\"}");
	ck_body_ok("{\"name\":\"a\",\"colour\":\"green\"}");
	ck_body_refused("{\"name\":\"a\",\"colour\":\"blue\"}", "colour");
	ck_assert_str_eq(detail("message"), "must be one of: red, green");
	ck_body_refused("{\"name\":\"a\",\"colour\":\"RED\"}", "colour");
	ck_body_refused("{\"name\":\"a\",\"colour\":\"\"}", "colour");
	ck_body_refused("{\"name\":\"a\",\"colour\":\"red \"}", "colour");
}
END_TEST

START_TEST(test_body_date)
{
	static const char *const good[] = { "2024-12-31", "2024-01-01", "2024-02-29", "0001-01-01" };
	static const char *const bad[] = {
		"2024-13-01", "20241231", "2024-00-10", "2024-12-00", "2024-12-32", "2024/12/31",
		"24-12-31", "2024-12-31T00:00:00Z", "2024-1-01", "2024-12-1", "", "tomorrow",
		"0000-01-01", "2024-12-31 ",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		ck_body_ok(pool_printf(pool, "{\"name\":\"a\",\"day\":\"%s\"}", good[i]));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(check_body(pool_printf(pool, "{\"name\":\"a\",\"day\":\"%s\"}", bad[i])) == 400,
			      "accepted date '%s'", bad[i]);
		ck_assert_str_eq(detail("field"), "day");
		ck_assert_str_eq(detail("message"), "must be a date (YYYY-MM-DD)");
	}
}
END_TEST

/*
 * is_date() checks only 1 <= day <= 31, so dates that do not exist pass
 * and reach the database (which refuses or zeroes them).
 */
START_TEST(test_body_date_must_exist)
{
	static const char *const bad[] = { "2024-02-30", "2023-02-29", "2024-04-31", "2100-02-29" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(check_body(pool_printf(pool, "{\"name\":\"a\",\"day\":\"%s\"}", bad[i])) == 400,
			      "accepted date '%s'", bad[i]);
	ck_body_ok("{\"name\":\"a\",\"day\":\"2000-02-29\"}");
}
END_TEST

/*
 * is_date() parses with sscanf("%4d-%2d-%2d"), which also takes signs
 * and spaces: "YYYY-MM-DD" means digits only.
 */
START_TEST(test_body_date_digits_only)
{
	static const char *const bad[] = { "+024-01-01", "2024-+1-01", "2024- 1-01", "2024-01--1",
					   " 024-01-01", "2024-01-+1" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(check_body(pool_printf(pool, "{\"name\":\"a\",\"day\":\"%s\"}", bad[i])) == 400,
			      "accepted date '%s'", bad[i]);
}
END_TEST

START_TEST(test_body_datetime)
{
	ck_body_ok("{\"name\":\"a\",\"at\":\"2024-12-31T10:00:00Z\"}");
	ck_body_ok("{\"name\":\"a\",\"at\":\"2024-12-31T10:00:00.123+02:00\"}");
	ck_body_ok("{\"name\":\"a\",\"at\":\"2024-12-31 10:00\"}");
	ck_body_refused("{\"name\":\"a\",\"at\":\"2024-12-31X10:00\"}", "at");
	ck_body_refused("{\"name\":\"a\",\"at\":\"2024-13-31T10:00:00Z\"}", "at");
	ck_body_refused("{\"name\":\"a\",\"at\":\"2024-12-31T10\"}", "at");
	ck_body_refused("{\"name\":\"a\",\"at\":\"2024-12-31Tab:cd\"}", "at");
	ck_body_refused("{\"name\":\"a\",\"at\":\"now\"}", "at");
}
END_TEST

START_TEST(test_body_null)
{
	ck_body_ok("{\"name\":\"a\",\"note\":null}");
	ck_body_refused("{\"name\":\"a\",\"code\":null}", "code");
	ck_assert_str_eq(detail("message"), "must not be null");
	ck_body_refused("{\"name\":\"a\",\"count\":null}", "count");
}
END_TEST

/*
 * A FIELD_ID body value is only checked to be a string; a malformed id
 * ("garbage", "cat_1" for a product) passes validation and ends as id 0
 * in the handler (a 404, or a row pointing at nothing), where the query
 * string validator answers 400.
 */
START_TEST(test_body_id_format)
{
	ck_body_ok("{\"name\":\"a\",\"productId\":\"prod_12\"}");
	ck_body_refused("{\"name\":\"a\",\"productId\":\"garbage\"}", "productId");
	ck_body_refused("{\"name\":\"a\",\"productId\":\"cat_12\"}", "productId");
	ck_body_refused("{\"name\":\"a\",\"productId\":\"prod_0\"}", "productId");
}
END_TEST

START_TEST(test_body_partial)
{
	r.route = &partial_route;
	ck_body_ok("{}");
	ck_body_ok("{\"count\":2}");
	ck_body_refused("{\"name\":null}", "name");
	ck_assert_str_eq(detail("message"), "must not be null");
	ck_body_refused("{\"name\":\"abcdef\"}", "name");
	ck_body_refused("{\"count\":\"x\"}", "count");
	ck_body_refused("{\"name\":\"\"}", "name");
	/* Without ROUTE_PARTIAL the field is required again. */
	r.route = find_route(HTTP_GET, "/api/inventory");
	ck_body_refused("{}", "name");
}
END_TEST

/* The real table: PATCH routes take an empty body, POST routes do not. */
START_TEST(test_body_real_routes)
{
	size_t i, checked = 0;

	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		const struct field *body = route_body(rt), *f, *first = NULL;

		if (!body)
			continue;
		for (f = body; f->name && !first; f++)
			if ((f->flags & FIELD_REQUIRED) && !(f->flags & FIELD_READONLY))
				first = f;
		r.route = rt;
		if (rt->method == HTTP_PATCH) {
			ck_assert_msg(rt->flags & ROUTE_PARTIAL, "%s PATCH is not partial", rt->pattern);
			ck_assert_msg(check_fields("{}", body) == 0, "PATCH %s refused {}", rt->pattern);
			checked++;
		} else if (first) {
			ck_assert_int_eq(check_fields("{}", body), 400);
			ck_assert_str_eq(detail("field"), first->name);
			checked++;
		}
	}
	ck_assert_uint_gt(checked, 5);
}
END_TEST

/* ---- validate_query */

static const char *const sorts[] = { "name", "-name", NULL };

static const struct field query_fields[] = {
	{ .name = "q", .type = FIELD_STRING, .flags = FIELD_REQUIRED },
	{ .name = "page", .type = FIELD_INTEGER },
	{ .name = "productId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "active", .type = FIELD_BOOLEAN },
	{ .name = "since", .type = FIELD_DATE },
	{ .name = "min", .type = FIELD_NUMBER },
	{ .name = "sort", .type = FIELD_STRING, .values = sorts },
	{ .name = "status", .type = FIELD_STRING, .flags = FIELD_FILTER, .values = colours },
	FIELDS_END
};

static int check_query(const char *qs)
{
	ck_assert_int_eq(req_parse_query(&r, qs), 0);
	r.resp = NULL;
	r.status = 0;
	return validate_query(&r, query_fields);
}

#define ck_query_ok(qs) do { \
		ck_assert_msg(check_query(qs) == 0, "refused %s: %s", qs, \
			      r.resp ? json_object_to_json_string(r.resp) : ""); \
		ck_assert_ptr_null(r.resp); \
	} while (0)

#define ck_query_refused(qs, field) do { \
		ck_assert_msg(check_query(qs) == 400, "accepted %s", qs); \
		ck_assert_int_eq(r.status, 400); \
		ck_assert_ptr_nonnull(detail("field")); \
		ck_assert_str_eq(detail("field"), field); \
	} while (0)

START_TEST(test_query_required)
{
	ck_assert_int_eq(check_query(""), 400);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(jget_str(r.resp, "error"), "q is required");
	ck_assert_ptr_null(detail("field"));
	ck_assert_int_eq(check_query("q="), 400);
	ck_assert_str_eq(jget_str(r.resp, "error"), "q is required");
	ck_assert_int_eq(check_query("page=1"), 400);
	ck_query_ok("q=x");
	ck_query_ok("q=x&page=&productId=");
}
END_TEST

START_TEST(test_query_types)
{
	ck_query_ok("q=x&page=2&productId=prod_3&active=true&since=2024-12-31&min=1.5&sort=-name");
	ck_query_ok("q=x&active=false");
	ck_query_ok("q=x&active=1");
	ck_query_ok("q=x&active=0");
	ck_query_ok("q=x&min=-3");
	ck_query_refused("q=x&page=abc", "page");
	ck_assert_str_eq(detail("message"), "must be an integer");
	ck_query_refused("q=x&page=1.5", "page");
	ck_query_refused("q=x&page=1x", "page");
	ck_query_refused("q=x&productId=prod_x", "productId");
	ck_query_refused("q=x&productId=cat_3", "productId");
	ck_query_refused("q=x&productId=prod_0", "productId");
	ck_query_refused("q=x&productId=3", "productId");
	ck_query_refused("q=x&active=maybe", "active");
	ck_query_refused("q=x&active=yes", "active");
	ck_query_refused("q=x&since=2024-13-01", "since");
	ck_query_refused("q=x&since=20241231", "since");
	ck_query_refused("q=x&min=abc", "min");
	ck_query_refused("q=x&min=1.5x", "min");
	ck_query_refused("q=x&min=nan", "min");
	ck_query_refused("q=x&min=inf", "min");
	ck_query_refused("q=x&min=-Infinity", "min");
	ck_query_refused("q=x&min=0x10", "min");
	ck_query_refused("q=x&min=%201", "min");
	ck_query_refused("q=x&min=1e400", "min");
	ck_query_refused("q=x&min=1e14", "min");
	ck_assert_str_eq(detail("message"), "is out of range");
	ck_query_refused("q=x&page=99999999999", "page");
	ck_assert_str_eq(detail("message"), "is out of range");
	ck_query_refused("q=x&sort=size", "sort");
	ck_assert_str_eq(detail("message"), "must be one of: name, -name");
	ck_query_refused("q=x&status=blue", "status");
	/* Only the first value of a repeated parameter is looked at. */
	ck_query_ok("q=x&page=1&page=abc");
	ck_query_refused("q=x&page=abc&page=1", "page");
}
END_TEST

/* What clients send for booleans; handlers always see "true" or "false". */
START_TEST(test_query_booleans)
{
	static const char *const yes[] = { "true", "True", "TRUE", "1" };
	static const char *const no[] = { "false", "False", "FALSE", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		ck_query_ok(pool_printf(pool, "q=x&active=%s", yes[i]));
		ck_assert_str_eq(req_query(&r, "active"), "true");
		ck_query_ok(pool_printf(pool, "q=x&active=%s", no[i]));
		ck_assert_str_eq(req_query(&r, "active"), "false");
	}
}
END_TEST

static const char *const sizes[] = { "S", "M", NULL };

static const struct field limited_fields[] = {
	{ .name = "code", .type = FIELD_STRING, .max_length = 3 },
	{ .name = "count", .type = FIELD_INTEGER, .flags = FIELD_NONNEGATIVE },
	{ .name = "weight", .type = FIELD_NUMBER, .flags = FIELD_NONNEGATIVE },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "fromDate", .type = FIELD_DATETIME },
	FIELDS_END
};

static const struct field limited_filters[] = {
	{ .name = "size", .type = FIELD_STRING, .flags = FIELD_FILTER, .values = sizes },
	{ .name = "colour", .type = FIELD_STRING },   /* not a filter: not a parameter */
	FIELDS_END
};

/* Parses qs and checks names, then values, as dispatch() does. */
static int check_limited(const char *qs)
{
	int status;

	ck_assert_int_eq(req_parse_query(&r, qs), 0);
	r.resp = NULL;
	r.status = 0;
	status = validate_query_names(&r, limited_fields, limited_filters);
	if (!status)
		status = validate_query(&r, limited_fields);
	if (!status)
		status = validate_query_fields(&r, limited_filters, 1);
	return status;
}

START_TEST(test_query_limits_and_names)
{
	ck_assert_int_eq(check_limited("code=abc&count=0&weight=0.5&size=M"), 0);
	ck_assert_int_eq(check_limited("code=abcd"), 400);
	ck_assert_str_eq(detail("field"), "code");
	ck_assert_str_eq(detail("message"), "must be at most 3 characters");
	/* Characters, not bytes. */
	ck_assert_int_eq(check_limited("code=%C3%A9%C3%A9%C3%A9"), 0);
	ck_assert_int_eq(check_limited("count=-1"), 400);
	ck_assert_str_eq(detail("message"), "must not be negative");
	ck_assert_int_eq(check_limited("weight=-0.5"), 400);
	ck_assert_str_eq(detail("field"), "weight");
	ck_assert_int_eq(check_limited("size=XL"), 400);
	ck_assert_str_eq(detail("message"), "must be one of: S, M");

	/* Unknown parameters are refused, naming them. */
	ck_assert_int_eq(check_limited("cod=abc"), 400);
	ck_assert_str_eq(detail("field"), "cod");
	ck_assert_str_eq(detail("message"), "is not a known parameter of this endpoint");
	ck_assert_int_eq(check_limited("colour=red"), 400);
	ck_assert_str_eq(detail("field"), "colour");

	/* The other spellings become the declared name. */
	ck_assert_int_eq(check_limited("productId=prod_3&startDate=2024-01-01"), 0);
	ck_assert_str_eq(req_query(&r, "productMasterId"), "prod_3");
	ck_assert_str_eq(req_query(&r, "fromDate"), "2024-01-01");
	ck_assert_int_eq(check_limited("productId=prod_x"), 400);
	ck_assert_str_eq(detail("field"), "productId");     /* as the client spelt it */
	ck_assert_int_eq(check_limited("productId=prod_3&productMasterId=prod_4"), 400);
	ck_assert_str_eq(detail("field"), "productId");
	ck_assert_int_eq(check_limited("productId=prod_3&productId=prod_4"), 400);
	ck_assert_str_eq(detail("message"), "may be given only once");
	ck_assert_int_eq(check_limited("code=a&code=b"), 400);
	ck_assert_str_eq(detail("field"), "code");
	/* An alias of a name the route does not declare is unknown. */
	ck_assert_int_eq(check_limited("endDate=2024-01-01"), 400);
	ck_assert_str_eq(detail("field"), "endDate");

	/* Bytes that are not UTF-8, in a value or a name. */
	ck_assert_int_eq(check_limited("code=%FF%FE"), 400);
	ck_assert_str_eq(detail("field"), "code");
	ck_assert_str_eq(detail("message"), "is not valid UTF-8");
	ck_assert_int_eq(check_limited("code=%ED%A0%80"), 400);
	ck_assert_int_eq(check_limited("code=%C0%AF"), 400);
	ck_assert_int_eq(check_limited("c%FFde=1"), 400);
	ck_assert_str_eq(jget_str(r.resp, "message"), "a query parameter name is not valid UTF-8");
}
END_TEST

START_TEST(test_query_filters_only)
{
	ck_assert_int_eq(req_parse_query(&r, "page=abc"), 0);
	/* Not a filter: neither required nor checked. */
	ck_assert_int_eq(validate_query_fields(&r, query_fields, 1), 0);
	ck_assert_ptr_null(r.resp);
	ck_assert_int_eq(req_parse_query(&r, "status=red"), 0);
	ck_assert_int_eq(validate_query_fields(&r, query_fields, 1), 0);
	ck_assert_int_eq(req_parse_query(&r, "status=blue"), 0);
	ck_assert_int_eq(validate_query_fields(&r, query_fields, 1), 400);
	ck_assert_str_eq(detail("field"), "status");
	ck_assert_int_eq(validate_query(&r, NULL), 0);
}
END_TEST

/* ---- dispatch (only paths that stop before a handler that needs the database) */

static void request(enum http_method m, const char *path, const char *qs)
{
	r.method = m;
	r.method_name = http_method_names[m];
	r.path = path;
	ck_assert_int_eq(req_parse_query(&r, qs), 0);
}

static void bearer(int64_t workspace, const char *const *perms, size_t nperms)
{
	char *token = auth_sign_jwt(&conf, "tester", workspace, perms, nperms, NULL, 0, 300,
				    time(NULL));

	ck_assert_ptr_nonnull(token);
	r.authorization = pool_printf(pool, "Bearer %s", token);
	free(token);
}

static int has_header(const char *line)
{
	size_t i;

	for (i = 0; i < r.nheaders; i++)
		if (!strcmp(r.headers[i], line))
			return 1;
	return 0;
}

START_TEST(test_dispatch_404_405)
{
	request(HTTP_GET, "/api/nope", "");
	dispatch(&r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Not Found");

	req_init(&r, pool, NULL, NULL, &conf);
	request(HTTP_POST, "/api/inventory", "");
	dispatch(&r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Method Not Allowed");
	ck_assert(has_header("Allow: GET, HEAD"));

	req_init(&r, pool, NULL, NULL, &conf);
	request(HTTP_GET, "/api/inventory\xff", "");
	dispatch(&r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(jget_str(r.resp, "message"), "the path is not valid UTF-8");
}
END_TEST

START_TEST(test_dispatch_401)
{
	request(HTTP_GET, "/api/inventory", "");
	dispatch(&r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Unauthorized");
	ck_assert(has_header("WWW-Authenticate: Bearer"));

	req_init(&r, pool, NULL, NULL, &conf);
	request(HTTP_GET, "/api/inventory", "");
	r.authorization = "Bearer not-a-jwt";
	dispatch(&r);
	ck_assert_int_eq(r.status, 401);

	req_init(&r, pool, NULL, NULL, &conf);
	request(HTTP_GET, "/api/inventory", "");
	r.authorization = "Basic dXNlcjpwYXNz";
	dispatch(&r);
	ck_assert_int_eq(r.status, 401);
}
END_TEST

/*
 * Past authentication, authorize() asks the database whether the token's
 * workspace exists, so only the refusals before that are tested here:
 * permission checks, body parsing and query validation of authenticated
 * requests are left to the integration tests.
 */
START_TEST(test_dispatch_403_no_workspace)
{
	static const char *const perms[] = { "inventory:read" };

	request(HTTP_GET, "/api/inventory", "");
	bearer(0, perms, 1);
	dispatch(&r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Forbidden");
	ck_assert_str_eq(jget_str(r.resp, "message"), "Not available in SuperAdmin");
	ck_assert_int_eq(r.principal.workspace_id, 0);
}
END_TEST

START_TEST(test_dispatch_expired_token)
{
	static const char *const perms[] = { "inventory:read" };
	char *token = auth_sign_jwt(&conf, "tester", 1, perms, 1, NULL, 0, 60, time(NULL) - 3600);

	ck_assert_ptr_nonnull(token);
	request(HTTP_GET, "/api/inventory", "");
	r.authorization = pool_printf(pool, "Bearer %s", token);
	free(token);
	dispatch(&r);
	ck_assert_int_eq(r.status, 401);
	ck_assert(has_header("WWW-Authenticate: Bearer"));
}
END_TEST

START_TEST(test_dispatch_openapi)
{
	json_object *doc, *v;
	const char *again;
	size_t len, len2;

	request(HTTP_GET, "/api/openapi.json", "");
	dispatch(&r);
	ck_assert_int_eq(r.status, 200);
	/* Served as the bytes serialised once per process. */
	ck_assert_ptr_nonnull(r.raw_body);
	doc = json_tokener_parse(req_body_bytes(&r, &len));
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_object_object_get_ex(doc, "openapi", &v));
	ck_assert_str_eq(json_object_get_string(v), "3.1.0");
	json_object_put(doc);
	again = openapi_json(&len2);
	ck_assert_ptr_eq(again, r.raw_body);
	ck_assert_uint_eq(len2, len);
}
END_TEST

/* ---- OpenAPI */

START_TEST(test_openapi_document)
{
	json_object *doc = openapi_document(), *paths, *v;
	size_t i;

	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(jget_str(doc, "openapi"), "3.1.0");
	ck_assert(json_object_object_get_ex(doc, "info", &v));
	ck_assert_str_eq(jget_str(v, "version"), PACKAGE_VERSION);
	ck_assert(json_object_object_get_ex(doc, "paths", &paths));
	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		struct strbuf path = STRBUF_INIT, method = STRBUF_INIT;
		json_object *item, *op, *perms, *params;
		const char *p;
		size_t k, nperms = 0;

		for (p = rt->pattern; *p; p++)
			strbuf_addch(&path, *p == '[' ? '{' : *p == ']' ? '}' : *p);
		for (p = http_method_names[rt->method]; *p; p++)
			strbuf_addch(&method, (char)(*p - 'A' + 'a'));
		ck_assert_msg(json_object_object_get_ex(paths, path.buf, &item), "no path %s", path.buf);
		ck_assert_msg(json_object_object_get_ex(item, method.buf, &op), "no %s %s", method.buf,
			      path.buf);
		ck_assert_str_eq(jget_str(op, "summary"), rt->summary);
		if (!(rt->flags & ROUTE_PUBLIC)) {
			ck_assert(json_object_object_get_ex(op, "x-permissions", &perms));
			ck_assert(json_object_is_type(perms, json_type_array));
			nperms = rt->permissions.n;
			ck_assert_uint_ge(nperms, 1);
			ck_assert_uint_eq(json_object_array_length(perms), nperms);
			for (k = 0; k < nperms; k++)
				ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(perms, k)),
						 perm_names[rt->permissions.v[k]]);
			ck_assert_int_eq(json_object_object_get_ex(op, "security", NULL), 0);
		} else {
			/* Public operations override the document's security. */
			ck_assert(json_object_object_get_ex(op, "security", &v));
			ck_assert_uint_eq(json_object_array_length(v), 0);
		}
		if (strchr(rt->pattern, '[')) {
			const char *open = strchr(rt->pattern, '['), *close = strchr(open, ']');
			char *name = strndup(open + 1, (size_t)(close - open - 1));

			ck_assert(json_object_object_get_ex(op, "parameters", &params));
			v = json_object_array_get_idx(params, 0);
			ck_assert_ptr_nonnull(v);
			ck_assert_str_eq(jget_str(v, "in"), "path");
			/* The name the pattern gives, such as "id" or "batchId". */
			ck_assert_str_eq(jget_str(v, "name"), name);
			free(name);
		}
		ck_assert_int_eq(json_object_object_get_ex(op, "requestBody", NULL),
				 route_body(rt) != NULL);
		strbuf_release(&path);
		strbuf_release(&method);
	}
	ck_assert_int_eq(json_object_object_get_ex(paths, "/api/products/[id]", NULL), 0);
	json_object_put(doc);
}
END_TEST

Suite *dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc;

	tc = tcase_create("route_match");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_route_match_inventory);
	tcase_add_test(tc, test_route_match_prefers_literal_segments);
	tcase_add_test(tc, test_route_match_405);
	tcase_add_test(tc, test_route_match_404_shapes);
	tcase_add_test(tc, test_every_route_declares_its_answer);
	tcase_add_test(tc, test_route_match_404);
	tcase_add_test(tc, test_route_match_path_params);
	tcase_add_test(tc, test_route_match_empty_segments);
	tcase_add_test(tc, test_route_match_trailing_slash);
	tcase_add_test(tc, test_route_match_every_route);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate_body");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_body_valid);
	tcase_add_test(tc, test_body_required);
	tcase_add_test(tc, test_body_types);
	tcase_add_test(tc, test_body_number_takes_integers);
	tcase_add_test(tc, test_body_ranges);
	tcase_add_test(tc, test_body_max_length);
	tcase_add_test(tc, test_body_max_length_counts_characters);
	tcase_add_test(tc, test_body_enum);
	tcase_add_test(tc, test_body_date);
	tcase_add_test(tc, test_body_date_must_exist);
	tcase_add_test(tc, test_body_date_digits_only);
	tcase_add_test(tc, test_body_datetime);
	tcase_add_test(tc, test_body_null);
	tcase_add_test(tc, test_body_id_format);
	tcase_add_test(tc, test_body_partial);
	tcase_add_test(tc, test_body_real_routes);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate_query");
	tcase_add_test(tc, test_query_booleans);
	tcase_add_test(tc, test_query_limits_and_names);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_query_required);
	tcase_add_test(tc, test_query_types);
	tcase_add_test(tc, test_query_filters_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("dispatch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dispatch_404_405);
	tcase_add_test(tc, test_dispatch_401);
	tcase_add_test(tc, test_dispatch_403_no_workspace);
	tcase_add_test(tc, test_dispatch_expired_token);
	tcase_add_test(tc, test_dispatch_openapi);
	suite_add_tcase(s, tc);

	tc = tcase_create("openapi");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_openapi_document);
	suite_add_tcase(s, tc);
	return s;
}
