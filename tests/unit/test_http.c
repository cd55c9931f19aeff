/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http: requests, query strings, error responses,
 * streamed answers and the exports' writer (api/export.c). */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "api/export.h"
#include "core/conf.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "http/http.h"
#include "suites.h"

static struct pool *pool;
static struct conf conf;
static struct req r;

static void setup(void)
{
	pool = pool_create();
	conf_defaults(&conf);
	req_init(&r, pool, NULL, NULL, &conf);
}

static void teardown(void)
{
	pool_destroy(pool);
	pool = NULL;
	conf_release(&conf);
}

static const char *decode(const char *s)
{
	return url_decode(pool, s, strlen(s));
}

/* Returns the string member key of obj, or NULL. */
static const char *jget_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* ---- url_decode */

START_TEST(test_url_decode_ok)
{
	ck_assert_str_eq(decode("abc"), "abc");
	ck_assert_str_eq(decode(""), "");
	ck_assert_str_eq(decode("%41"), "A");
	ck_assert_str_eq(decode("%41%42c"), "ABc");
	ck_assert_str_eq(decode("x%4a%4A"), "xJJ");
	ck_assert_str_eq(decode("a+b+c"), "a b c");
	ck_assert_str_eq(decode("%2B"), "+");
	ck_assert_str_eq(decode("%25"), "%");
	ck_assert_str_eq(decode("%20x%20"), " x ");
	ck_assert_str_eq(decode("%E2%82%AC"), "\xe2\x82\xac");
	/* Only len bytes are decoded. */
	ck_assert_str_eq(url_decode(pool, "abcdef", 3), "abc");
	ck_assert_str_eq(url_decode(pool, "%41%42", 3), "A");
}
END_TEST

START_TEST(test_url_decode_bad)
{
	ck_assert_ptr_null(decode("%"));
	ck_assert_ptr_null(decode("%4"));
	ck_assert_ptr_null(decode("abc%4"));
	ck_assert_ptr_null(decode("abc%"));
	ck_assert_ptr_null(decode("%zz"));
	ck_assert_ptr_null(decode("%4g"));
	ck_assert_ptr_null(decode("%g4"));
	ck_assert_ptr_null(decode("% 4"));
	ck_assert_ptr_null(decode("%00"));
	ck_assert_ptr_null(decode("a%00b"));
	/* An escape cut by len is incomplete. */
	ck_assert_ptr_null(url_decode(pool, "%41", 2));
}
END_TEST

/* ---- query strings */

START_TEST(test_query_several_params)
{
	ck_assert_int_eq(req_parse_query(&r, "a=1&b=two&c=3"), 0);
	ck_assert_uint_eq(r.nquery, 3);
	ck_assert_str_eq(req_query(&r, "a"), "1");
	ck_assert_str_eq(req_query(&r, "b"), "two");
	ck_assert_str_eq(req_query(&r, "c"), "3");
	ck_assert_ptr_null(req_query(&r, "d"));
	ck_assert_ptr_null(req_query(&r, "A"));
	ck_assert_ptr_null(req_query(&r, ""));
	ck_assert_str_eq(r.query[0].name, "a");
	ck_assert_str_eq(r.query[2].name, "c");
}
END_TEST

START_TEST(test_query_empty_values)
{
	ck_assert_int_eq(req_parse_query(&r, "a=&flag&b=2&c=1=2"), 0);
	ck_assert_uint_eq(r.nquery, 4);
	ck_assert_str_eq(req_query(&r, "a"), "");
	ck_assert_str_eq(req_query(&r, "flag"), "");
	ck_assert_str_eq(req_query(&r, "b"), "2");
	ck_assert_str_eq(req_query(&r, "c"), "1=2");
}
END_TEST

START_TEST(test_query_repeated_name_first_wins)
{
	ck_assert_int_eq(req_parse_query(&r, "x=1&y=0&x=2&x=3"), 0);
	ck_assert_uint_eq(r.nquery, 4);
	ck_assert_str_eq(req_query(&r, "x"), "1");
}
END_TEST

START_TEST(test_query_empty_and_separators)
{
	ck_assert_int_eq(req_parse_query(&r, ""), 0);
	ck_assert_uint_eq(r.nquery, 0);
	ck_assert_ptr_null(req_query(&r, "a"));
	ck_assert_int_eq(req_parse_query(&r, NULL), 0);
	ck_assert_uint_eq(r.nquery, 0);
	ck_assert_int_eq(req_parse_query(&r, "a=1&"), 0);
	ck_assert_uint_eq(r.nquery, 1);
	ck_assert_str_eq(req_query(&r, "a"), "1");
	ck_assert_int_eq(req_parse_query(&r, "&&a=1&&b=2&"), 0);
	ck_assert_uint_eq(r.nquery, 2);
	ck_assert_str_eq(req_query(&r, "b"), "2");
	ck_assert_int_eq(req_parse_query(&r, "&"), 0);
	ck_assert_uint_eq(r.nquery, 0);
}
END_TEST

START_TEST(test_query_encoded)
{
	ck_assert_int_eq(req_parse_query(&r, "na%6De=v%20x&q=a+b%2Bc&%61%3D=%26"), 0);
	ck_assert_uint_eq(r.nquery, 3);
	ck_assert_str_eq(req_query(&r, "name"), "v x");
	ck_assert_str_eq(req_query(&r, "q"), "a b+c");
	ck_assert_str_eq(req_query(&r, "a="), "&");
}
END_TEST

START_TEST(test_query_malformed)
{
	ck_assert_int_eq(req_parse_query(&r, "a=%zz"), -1);
	ck_assert_int_eq(req_parse_query(&r, "a=1&b=%4"), -1);
	ck_assert_int_eq(req_parse_query(&r, "%zz=1"), -1);
	ck_assert_int_eq(req_parse_query(&r, "a=%00"), -1);
	ck_assert_int_eq(req_parse_query(&r, "%00"), -1);
}
END_TEST

/* ---- methods */

START_TEST(test_http_method_parse)
{
	ck_assert_int_eq(http_method_parse("GET"), HTTP_GET);
	ck_assert_int_eq(http_method_parse("POST"), HTTP_POST);
	ck_assert_int_eq(http_method_parse("PATCH"), HTTP_PATCH);
	ck_assert_int_eq(http_method_parse("DELETE"), HTTP_DELETE);
	ck_assert_int_eq(http_method_parse("PUT"), HTTP_PUT);
	ck_assert_int_eq(http_method_parse("HEAD"), HTTP_HEAD);
	ck_assert_int_eq(http_method_parse("OPTIONS"), HTTP_OPTIONS);
	ck_assert_int_eq(http_method_parse("get"), HTTP_METHOD_OTHER);
	ck_assert_int_eq(http_method_parse("GETX"), HTTP_METHOD_OTHER);
	ck_assert_int_eq(http_method_parse("GE"), HTTP_METHOD_OTHER);
	ck_assert_int_eq(http_method_parse("OTHER"), HTTP_METHOD_OTHER);
	ck_assert_int_eq(http_method_parse("TRACE"), HTTP_METHOD_OTHER);
	ck_assert_int_eq(http_method_parse(""), HTTP_METHOD_OTHER);
	ck_assert_int_eq(http_method_parse(NULL), HTTP_METHOD_OTHER);
	ck_assert_str_eq(http_method_names[HTTP_PATCH], "PATCH");
}
END_TEST

/* ---- requests and responses */

START_TEST(test_req_init)
{
	ck_assert_ptr_eq(r.pool, pool);
	ck_assert_ptr_null(r.db);
	ck_assert_ptr_eq(r.conf, &conf);
	ck_assert_int_eq(r.method, HTTP_METHOD_OTHER);
	ck_assert_str_eq(r.path, "");
	ck_assert_ptr_null(r.resp);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(r.nheaders, 0);
	ck_assert_uint_eq(r.nquery, 0);
	ck_assert_int_eq(r.principal.authenticated, 0);
}
END_TEST

START_TEST(test_req_error)
{
	ck_assert_int_eq(req_error(&r, 404, "Not Found", NULL), 404);
	ck_assert_int_eq(r.status, 404);
	ck_assert_ptr_nonnull(r.resp);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Not Found");
	ck_assert_int_eq(json_object_object_get_ex(r.resp, "message", NULL), 0);
	ck_assert_int_eq(json_object_object_get_ex(r.resp, "details", NULL), 0);

	/* A later response replaces it; the pool frees both. */
	ck_assert_int_eq(req_error(&r, 409, "Conflict", "sku \"x\" exists"), 409);
	ck_assert_int_eq(r.status, 409);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Conflict");
	ck_assert_str_eq(jget_str(r.resp, "message"), "sku \"x\" exists");
	ck_assert_str_eq(json_object_to_json_string_ext(r.resp, JSON_C_TO_STRING_PLAIN),
			 "{\"error\":\"Conflict\",\"message\":\"sku \\\"x\\\" exists\"}");
}
END_TEST

START_TEST(test_req_field_error)
{
	json_object *details, *d;

	ck_assert_int_eq(req_field_error(&r, "quantity", "must be an integer"), 400);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Invalid request data");
	ck_assert_str_eq(jget_str(r.resp, "message"), "quantity must be an integer");
	ck_assert(json_object_object_get_ex(r.resp, "details", &details));
	ck_assert(json_object_is_type(details, json_type_array));
	ck_assert_uint_eq(json_object_array_length(details), 1);
	d = json_object_array_get_idx(details, 0);
	ck_assert_str_eq(jget_str(d, "field"), "quantity");
	ck_assert_str_eq(jget_str(d, "message"), "must be an integer");
}
END_TEST

START_TEST(test_req_respond_and_own)
{
	json_object *body = json_object_new_object();

	json_object_object_add(body, "ok", json_object_new_boolean(1));
	ck_assert_int_eq(req_respond(&r, 201, body), 201);
	ck_assert_int_eq(r.status, 201);
	ck_assert_ptr_eq(r.resp, body);
	ck_assert_ptr_null(req_own(&r, NULL));
	body = json_object_new_array();
	ck_assert_ptr_eq(req_own(&r, body), body);
	/* teardown's pool_destroy releases both (valgrind checks it). */
}
END_TEST

START_TEST(test_req_internal_error)
{
	r.path = "/api/x";
	ck_assert_int_eq(req_internal_error(&r, "testing"), 500);
	ck_assert_int_eq(r.status, 500);
	ck_assert_str_eq(jget_str(r.resp, "error"), "Internal Server Error");
	ck_assert_int_eq(json_object_object_get_ex(r.resp, "details", NULL), 0);
}
END_TEST

/* What reaches a log line can neither end it nor forge a field. */
START_TEST(test_log_escape)
{
	char long_path[400];

	r.path = "/api/x\n/api/y 200 \"ok\"\x1b[31m\xff";
	ck_assert_str_eq(req_log_path(&r),
			 "/api/x\\x0a/api/y 200 \\x22ok\\x22\\x1b[31m\\xff");
	ck_assert_str_eq(log_escape(r.pool, "a\\b\rc"), "a\\x5cb\\x0dc");
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	ck_assert_uint_eq(strlen(log_escape(r.pool, long_path)), 203);
}
END_TEST

START_TEST(test_req_add_header)
{
	char line[64];

	strcpy(line, "Allow: GET");
	req_add_header(&r, line);
	strcpy(line, "changed");
	req_add_header(&r, "X-Other: 1");
	ck_assert_uint_eq(r.nheaders, 2);
	ck_assert_str_eq(r.headers[0], "Allow: GET");
	ck_assert_str_eq(r.headers[1], "X-Other: 1");
}
END_TEST

START_TEST(test_http_status_text)
{
	ck_assert_str_eq(http_status_text(200), "OK");
	ck_assert_str_eq(http_status_text(201), "Created");
	ck_assert_str_eq(http_status_text(204), "No Content");
	ck_assert_str_eq(http_status_text(400), "Bad Request");
	ck_assert_str_eq(http_status_text(401), "Unauthorized");
	ck_assert_str_eq(http_status_text(403), "Forbidden");
	ck_assert_str_eq(http_status_text(404), "Not Found");
	ck_assert_str_eq(http_status_text(405), "Method Not Allowed");
	ck_assert_str_eq(http_status_text(409), "Conflict");
	ck_assert_str_eq(http_status_text(413), "Payload Too Large");
	ck_assert_str_eq(http_status_text(415), "Unsupported Media Type");
	ck_assert_str_eq(http_status_text(422), "Unprocessable Entity");
	ck_assert_str_eq(http_status_text(500), "Internal Server Error");
	ck_assert_str_eq(http_status_text(503), "Service Unavailable");
	ck_assert_str_eq(http_status_text(0), "Unknown");
	ck_assert_str_eq(http_status_text(299), "Unknown");
	ck_assert_str_eq(http_status_text(-1), "Unknown");
}
END_TEST

/* ---------------------------------------------------------------- streams */

/* An output that keeps what it is given; fails once it holds fail_after bytes. */
struct sink {
	struct strbuf sb;
	int flushes;
	size_t fail_after;
};

static int sink_write(void *ctx, const char *buf, size_t len)
{
	struct sink *k = ctx;

	if (k->fail_after && k->sb.len + len > k->fail_after)
		return -1;
	strbuf_add(&k->sb, buf, len);
	return 0;
}

static int sink_flush(void *ctx)
{
	struct sink *k = ctx;

	k->flushes++;
	return 0;
}

START_TEST(test_req_stream)
{
	struct sink k = { STRBUF_INIT, 0, 0 };
	struct req_out out = { sink_write, sink_flush, &k };

	r.out = &out;
	r.request_id = "rid";
	r.method = HTTP_GET;
	ck_assert_int_eq(req_stream_begin(&r, "text/csv; charset=utf-8", "inventory.csv"), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(k.flushes, 1);
	ck_assert_str_eq(k.sb.buf, "Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n"
			 "Cache-Control: no-store\r\nX-Request-Id: rid\r\n"
			 "Content-Disposition: attachment; filename=\"inventory.csv\"\r\n\r\n");
	strbuf_reset(&k.sb);
	ck_assert_int_eq(req_stream_write(&r, "a,b\r\n", 5), 0);
	ck_assert_int_eq(req_stream_flush(&r), 0);
	ck_assert_int_eq(req_stream_end(&r), 200);
	ck_assert_str_eq(k.sb.buf, "a,b\r\n");
	ck_assert_uint_eq(r.streamed, 5);
	ck_assert_int_eq(r.stream_cut, 0);
	req_stream_cut(&r);
	ck_assert_int_eq(r.stream_cut, 1);
	ck_assert_int_eq(req_stream_write(&r, "x", 1), -1);
	strbuf_release(&k.sb);
}
END_TEST

START_TEST(test_req_stream_head_and_gone)
{
	struct sink k = { STRBUF_INIT, 0, 0 };
	struct req_out out = { sink_write, sink_flush, &k };

	/* HEAD: the head, no body. */
	r.out = &out;
	r.method = HTTP_HEAD;
	ck_assert_int_eq(req_stream_begin(&r, "application/x-ndjson", "inventory.ndjson"), 0);
	strbuf_reset(&k.sb);
	ck_assert_int_eq(req_stream_write(&r, "{}\n", 3), 0);
	ck_assert_uint_eq(k.sb.len, 0);
	ck_assert_uint_eq(r.streamed, 0);
	strbuf_release(&k.sb);

	/* A client that went away: the write fails, the stream is cut. */
	req_init(&r, pool, NULL, NULL, &conf);
	k = (struct sink){ STRBUF_INIT, 0, 0 };
	r.out = &out;
	ck_assert_int_eq(req_stream_begin(&r, "text/csv", "x.csv"), 0);
	k.fail_after = k.sb.len + 2;
	ck_assert_int_eq(req_stream_write(&r, "abc", 3), -1);
	ck_assert_int_eq(r.stream_cut, 1);
	ck_assert_int_eq(req_stream_flush(&r), -1);
	strbuf_release(&k.sb);

	/* Without an output (no FastCGI) nothing can stream. */
	req_init(&r, pool, NULL, NULL, &conf);
	ck_assert_int_eq(req_stream_begin(&r, "text/csv", "x.csv"), -1);
}
END_TEST

static int strbuf_sink(void *ctx, const char *buf, size_t len)
{
	strbuf_add(ctx, buf, len);
	return 0;
}

static const struct field export_test_nested[] = {
	{ .name = "onHand", .column = "x", .type = FIELD_INTEGER },
	FIELDS_END
};

static const struct field export_test_columns[] = {
	{ .name = "id", .column = "x", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "name", .column = "x", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "cost", .column = "x", .type = FIELD_NUMBER },
	{ .name = "active", .column = "x", .type = FIELD_BOOLEAN },
	{ .name = "deltas", .type = FIELD_OBJECT, .items = export_test_nested },
	FIELDS_END
};

/* Exports rows of cells (5 a row) in format; returns the bytes, from the pool. */
static const char *export_cells(enum export_format format, char **cells, size_t nrows, int fail)
{
	struct strbuf sb = STRBUF_INIT;
	struct db_result res = { .nrows = nrows, .ncols = 5, .cells = cells };
	struct export ex;
	const char *out;
	size_t i;

	export_init(&ex, format, export_test_columns, (struct export_sink){ strbuf_sink, &sb });
	for (i = 0; i < nrows; i++)
		export_row(&ex, &res, i);
	ck_assert_uint_eq(ex.rows, nrows);
	if (fail)
		export_fail(&ex, "the database failed after 2 rows");
	else
		export_flush(&ex);
	export_release(&ex);
	out = pool_strdup(pool, sb.len ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

START_TEST(test_export_csv)
{
	char *cells[] = {
		"1", "Bolt, M8 \"heavy\"", "12.5000", "1", "-3",
		"2", "two\nlines\r\n", "0.0000", "0", "0",
		"3", NULL, "7", "1", NULL,
		"4", "", "1.2500", "0", "5",
		"5", "=SUM(A1)", "3", "1", "1",
	};

	ck_assert_str_eq(export_cells(EXPORT_CSV, cells, 5, 0),
			 "id,name,cost,active,deltas.onHand\r\n"
			 "prod_1,\"Bolt, M8 \"\"heavy\"\"\",12.5,true,-3\r\n"
			 "prod_2,\"two\nlines\r\n\",0,false,0\r\n"
			 "prod_3,,7,true,\r\n"
			 "prod_4,\"\",1.25,false,5\r\n"
			 "prod_5,=SUM(A1),3,true,1\r\n");
	ck_assert_str_eq(export_cells(EXPORT_CSV, cells, 0, 0), "id,name,cost,active,deltas.onHand\r\n");
	ck_assert_str_eq(export_cells(EXPORT_CSV, cells, 1, 1),
			 "id,name,cost,active,deltas.onHand\r\n"
			 "prod_1,\"Bolt, M8 \"\"heavy\"\"\",12.5,true,-3\r\n"
			 "#error Export incomplete: the database failed after 2 rows\r\n");
}
END_TEST

START_TEST(test_export_ndjson)
{
	char *cells[] = {
		"1", "Bolt, M8 \"heavy\"", "12.5000", "1", "-3",
		"3", NULL, "7", "0", NULL,
	};

	ck_assert_str_eq(export_cells(EXPORT_NDJSON, cells, 2, 0),
			 "{\"id\":\"prod_1\",\"name\":\"Bolt, M8 \\\"heavy\\\"\",\"cost\":12.5,\"active\":true,"
			 "\"deltas\":{\"onHand\":-3}}\n"
			 "{\"id\":\"prod_3\",\"name\":null,\"cost\":7,\"active\":false,"
			 "\"deltas\":{\"onHand\":null}}\n");
	ck_assert_str_eq(export_cells(EXPORT_NDJSON, cells, 0, 0), "");
	ck_assert_str_eq(export_cells(EXPORT_NDJSON, cells, 1, 1),
			 "{\"id\":\"prod_1\",\"name\":\"Bolt, M8 \\\"heavy\\\"\",\"cost\":12.5,\"active\":true,"
			 "\"deltas\":{\"onHand\":-3}}\n"
			 "{\"error\":\"Export incomplete\",\"message\":\"the database failed after 2 rows\"}\n");
}
END_TEST

START_TEST(test_export_format_parse)
{
	enum export_format f;

	ck_assert_int_eq(export_format_parse(NULL, &f), 0);
	ck_assert_int_eq(f, EXPORT_CSV);
	ck_assert_int_eq(export_format_parse("", &f), 0);
	ck_assert_int_eq(f, EXPORT_CSV);
	ck_assert_int_eq(export_format_parse("ndjson", &f), 0);
	ck_assert_int_eq(f, EXPORT_NDJSON);
	ck_assert_int_eq(export_format_parse("json", &f), -1);
	ck_assert_int_eq(export_format_parse("CSV", &f), -1);
}
END_TEST

Suite *http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc;

	tc = tcase_create("url_decode");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_url_decode_ok);
	tcase_add_test(tc, test_url_decode_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("query");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_query_several_params);
	tcase_add_test(tc, test_query_empty_values);
	tcase_add_test(tc, test_query_repeated_name_first_wins);
	tcase_add_test(tc, test_query_empty_and_separators);
	tcase_add_test(tc, test_query_encoded);
	tcase_add_test(tc, test_query_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("request");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_http_method_parse);
	tcase_add_test(tc, test_req_init);
	tcase_add_test(tc, test_req_error);
	tcase_add_test(tc, test_req_field_error);
	tcase_add_test(tc, test_req_respond_and_own);
	tcase_add_test(tc, test_req_internal_error);
	tcase_add_test(tc, test_log_escape);
	tcase_add_test(tc, test_req_add_header);
	tcase_add_test(tc, test_http_status_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_req_stream);
	tcase_add_test(tc, test_req_stream_head_and_gone);
	tcase_add_test(tc, test_export_csv);
	tcase_add_test(tc, test_export_ndjson);
	tcase_add_test(tc, test_export_format_parse);
	suite_add_tcase(s, tc);
	return s;
}
