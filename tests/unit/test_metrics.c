/* SPDX-License-Identifier: MIT */
/* Unit tests of the observability parts: request ids, the log's UTC time,
 * the shared counters and their Prometheus exposition (src/metrics.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "core/conf.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "http/http.h"
#include "metrics.h"
#include "routes.h"
#include "suites.h"

START_TEST(test_request_id_valid)
{
	char longest[REQUEST_ID_MAX + 2];

	ck_assert_int_eq(request_id_valid("abc"), 1);
	ck_assert_int_eq(request_id_valid("Trace-1.2_x"), 1);
	ck_assert_int_eq(request_id_valid("0f8e6a4c2b1d4e8f9a0b1c2d3e4f5a6b"), 1);
	memset(longest, 'a', REQUEST_ID_MAX);
	longest[REQUEST_ID_MAX] = '\0';
	ck_assert_int_eq(request_id_valid(longest), 1);
	longest[REQUEST_ID_MAX] = 'a';
	longest[REQUEST_ID_MAX + 1] = '\0';
	ck_assert_int_eq(request_id_valid(longest), 0);
	ck_assert_int_eq(request_id_valid(""), 0);
	ck_assert_int_eq(request_id_valid("a b"), 0);
	ck_assert_int_eq(request_id_valid("a\nforged"), 0);
	ck_assert_int_eq(request_id_valid("a\"b"), 0);
	ck_assert_int_eq(request_id_valid("a/b"), 0);
	ck_assert_int_eq(request_id_valid("caf\xc3\xa9"), 0);
}
END_TEST

START_TEST(test_consistency_token_valid)
{
	char longest[CONSISTENCY_TOKEN_MAX + 2];

	ck_assert_int_eq(consistency_token_valid("0-1-42"), 1);
	ck_assert_int_eq(consistency_token_valid("0-1-42,1-2-3"), 1);
	ck_assert_int_eq(consistency_token_valid("4294967295-4294967295-18446744073709551615"), 1);
	ck_assert_int_eq(consistency_token_valid(""), 0);
	ck_assert_int_eq(consistency_token_valid("0-1"), 0);
	ck_assert_int_eq(consistency_token_valid("0-1-2-3"), 0);
	ck_assert_int_eq(consistency_token_valid("0--1"), 0);
	ck_assert_int_eq(consistency_token_valid("-0-1-2"), 0);
	ck_assert_int_eq(consistency_token_valid("0-1-2,"), 0);
	ck_assert_int_eq(consistency_token_valid(",0-1-2"), 0);
	ck_assert_int_eq(consistency_token_valid("0-1-2 "), 0);
	ck_assert_int_eq(consistency_token_valid("0-1-x"), 0);
	ck_assert_int_eq(consistency_token_valid("0-1-2'; DROP"), 0);
	/* 1000 characters of GTIDs pass; one more does not. */
	memset(longest, '1', CONSISTENCY_TOKEN_MAX);
	longest[1] = '-';
	longest[3] = '-';
	longest[CONSISTENCY_TOKEN_MAX] = '\0';
	ck_assert_int_eq(consistency_token_valid(longest), 1);
	longest[CONSISTENCY_TOKEN_MAX] = '1';
	longest[CONSISTENCY_TOKEN_MAX + 1] = '\0';
	ck_assert_int_eq(consistency_token_valid(longest), 0);
}
END_TEST

START_TEST(test_format_utc_ms)
{
	char out[UTC_MS_LEN + 1];

	format_utc_ms(out, 0);
	ck_assert_str_eq(out, "1970-01-01T00:00:00.000Z");
	format_utc_ms(out, 1705314600123456ull);
	ck_assert_str_eq(out, "2024-01-15T10:30:00.123Z");
	format_utc_ms(out, 951782400999999ull);
	ck_assert_str_eq(out, "2000-02-29T00:00:00.999Z");
}
END_TEST

START_TEST(test_label_value)
{
	struct strbuf sb = STRBUF_INIT;

	metrics_add_label_value(&sb, "a\"b\\c\nd/[id]");
	ck_assert_str_eq(sb.buf, "a\\\"b\\\\c\\nd/[id]");
	strbuf_release(&sb);
}
END_TEST

static const struct route *find_route(enum http_method method, const char *pattern)
{
	size_t i;

	for (i = 0; i < routes_count; i++)
		if (routes[i].method == method && !strcmp(routes[i].pattern, pattern))
			return &routes[i];
	ck_abort_msg("no route %s", pattern);
	return NULL;
}

/* Counts one request of rt (NULL: unmatched) answered status in usec. */
static void record(const struct route *rt, int status, uint64_t usec, unsigned retries,
		   int replayed)
{
	struct pool *pool = pool_create();
	struct req r;

	req_init(&r, pool, NULL, NULL, NULL);
	r.route = rt;
	r.status = status;
	r.retries = retries;
	r.replayed = replayed;
	metrics_record_request(&r, usec);
	pool_destroy(pool);
}

/* The exposition's sample line that begins with prefix, or NULL. */
static const char *sample(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, n))
			return p + n;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void assert_sample(const char *text, const char *prefix, const char *value)
{
	const char *v = sample(text, prefix);
	size_t n = strlen(value);

	ck_assert_msg(v != NULL, "no sample %s in:\n%s", prefix, text);
	ck_assert_msg(!strncmp(v, value, n) && v[n] == '\n', "%s%.*s, expected %s", prefix,
		      (int)strcspn(v, "\n"), v, value);
}

#define HEALTH "{method=\"GET\",route=\"/api/health\""
#define DURATION "inventory_http_request_duration_seconds"

START_TEST(test_exposition)
{
	const struct route *health = find_route(HTTP_GET, "/api/health");
	struct strbuf sb = STRBUF_INIT;

	metrics_open(NULL);
	record(health, 200, 500, 0, 0);
	record(health, 200, 3000, 2, 0);
	record(health, 204, 20000000, 0, 1);
	record(health, 503, 1500, 0, 0);
	record(NULL, 404, 100, 0, 0);
	metrics_write(&sb);
	assert_sample(sb.buf, "inventory_http_requests_total" HEALTH ",status_class=\"2xx\"} ", "3");
	assert_sample(sb.buf, "inventory_http_requests_total" HEALTH ",status_class=\"4xx\"} ", "0");
	assert_sample(sb.buf, "inventory_http_requests_total" HEALTH ",status_class=\"5xx\"} ", "1");
	ck_assert_ptr_null(sample(sb.buf, "inventory_http_requests_total" HEALTH ",status_class=\"1xx\"}"));
	/* Cumulative: every bucket counts the requests of the ones below. */
	assert_sample(sb.buf, DURATION "_bucket" HEALTH ",le=\"0.001\"} ", "1");
	assert_sample(sb.buf, DURATION "_bucket" HEALTH ",le=\"0.0025\"} ", "2");
	assert_sample(sb.buf, DURATION "_bucket" HEALTH ",le=\"0.005\"} ", "3");
	assert_sample(sb.buf, DURATION "_bucket" HEALTH ",le=\"10\"} ", "3");
	assert_sample(sb.buf, DURATION "_bucket" HEALTH ",le=\"+Inf\"} ", "4");
	assert_sample(sb.buf, DURATION "_count" HEALTH "} ", "4");
	assert_sample(sb.buf, DURATION "_sum" HEALTH "} ", "20.005000");
	assert_sample(sb.buf, "inventory_db_deadlock_retries_total" HEALTH "} ", "2");
	assert_sample(sb.buf, "inventory_idempotent_replays_total" HEALTH "} ", "1");
	assert_sample(sb.buf, "inventory_db_statements_total" HEALTH "} ", "0");
	assert_sample(sb.buf, "inventory_http_requests_total{method=\"-\",route=\"unmatched\","
		      "status_class=\"4xx\"} ", "1");
	/* Routes that never answered are left out. */
	ck_assert_ptr_null(strstr(sb.buf, "route=\"/api/inventory\""));
	/* Each family is announced once, before its samples. */
	ck_assert_ptr_nonnull(strstr(sb.buf, "# TYPE " DURATION " histogram\n"));
	ck_assert_ptr_eq(strstr(sb.buf, "# TYPE " DURATION " "),
			 strstr(sb.buf, "# TYPE " DURATION " histogram"));
	ck_assert(strstr(sb.buf, "# TYPE " DURATION " ") < strstr(sb.buf, DURATION "_bucket"));
	assert_sample(sb.buf, "inventory_build_info{version=\"" PACKAGE_VERSION "\"} ", "1");
	{
		char prefix[96];

		snprintf(prefix, sizeof(prefix), "inventory_process_resident_memory_bytes{pid=\"%d\"} ",
			 (int)getpid());
		ck_assert_msg(sample(sb.buf, prefix) && atoll(sample(sb.buf, prefix)) > 0,
			      "no resident memory of this process");
	}
	assert_sample(sb.buf, "inventory_processes ", "1");
	strbuf_release(&sb);
	metrics_close();
}
END_TEST

/* Counts of a process that has exited stay in the shared file; its
 * per-process figures are gone with it. */
START_TEST(test_shared_file)
{
	const struct route *health = find_route(HTTP_GET, "/api/health");
	char path[] = "/tmp/metrics-test-XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	int fd = mkstemp(path), status = -1;
	pid_t child;

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	ck_assert_int_eq(metrics_open(path), 0);
	record(health, 200, 1000, 0, 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		int ok = metrics_open(path) == 0;

		record(health, 200, 1000, 0, 0);
		record(health, 500, 1000, 0, 0);
		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(status, 0);
	metrics_write(&sb);
	assert_sample(sb.buf, "inventory_http_requests_total" HEALTH ",status_class=\"2xx\"} ", "2");
	assert_sample(sb.buf, "inventory_http_requests_total" HEALTH ",status_class=\"5xx\"} ", "1");
	assert_sample(sb.buf, DURATION "_count" HEALTH "} ", "3");
	assert_sample(sb.buf, "inventory_processes ", "1");
	strbuf_release(&sb);
	metrics_close();
	unlink(path);
}
END_TEST

Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("observability");

	tcase_add_test(tc, test_request_id_valid);
	tcase_add_test(tc, test_consistency_token_valid);
	tcase_add_test(tc, test_format_utc_ms);
	tcase_add_test(tc, test_label_value);
	tcase_add_test(tc, test_exposition);
	tcase_add_test(tc, test_shared_file);
	suite_add_tcase(s, tc);
	return s;
}
