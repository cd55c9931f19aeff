/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core: pool, strbuf, conf, ids, util. */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/ids.h"
#include "core/jsonw.h"
#include "core/pool.h"
#include "db/query.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "suites.h"

#ifndef TEST_FIXTURES
#define TEST_FIXTURES "tests/unit/fixtures"
#endif

#define ALIGNMENT (_Alignof(max_align_t))

/* ---- pool */

START_TEST(test_pool_alloc_alignment)
{
	struct pool *pool = pool_create();
	size_t n;

	for (n = 0; n < 200; n++) {
		unsigned char *p = pool_alloc(pool, n);

		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % ALIGNMENT, 0);
		memset(p, 0xa5, n);
	}
	pool_destroy(pool);
}
END_TEST

START_TEST(test_pool_many_allocations_across_blocks)
{
	struct pool *pool = pool_create();
	size_t before = pool_bytes(pool), i, j;
	enum { COUNT = 5000, SIZE = 37 };
	unsigned char *ptrs[COUNT];

	ck_assert_uint_gt(before, 0);
	for (i = 0; i < COUNT; i++) {
		ptrs[i] = pool_alloc(pool, SIZE);
		ck_assert_uint_eq((uintptr_t)ptrs[i] % ALIGNMENT, 0);
		memset(ptrs[i], (int)(i & 0xff), SIZE);
	}
	/* 5000 * 48 bytes do not fit in one block. */
	ck_assert_uint_gt(pool_bytes(pool), before);
	ck_assert_uint_ge(pool_bytes(pool), (size_t)COUNT * SIZE);
	/* No allocation overlaps another. */
	for (i = 0; i < COUNT; i++)
		for (j = 0; j < SIZE; j++)
			ck_assert_uint_eq(ptrs[i][j], i & 0xff);
	pool_destroy(pool);
}
END_TEST

START_TEST(test_pool_big_allocations)
{
	struct pool *pool = pool_create();
	size_t before = pool_bytes(pool);
	char *small1, *big, *small2, *big2;
	size_t i;

	small1 = pool_alloc(pool, 10);
	memcpy(small1, "123456789", 10);
	big = pool_alloc(pool, 1 << 20);
	ck_assert_uint_eq((uintptr_t)big % ALIGNMENT, 0);
	memset(big, 'x', 1 << 20);
	ck_assert_uint_ge(pool_bytes(pool), before + (1 << 20));
	small2 = pool_alloc(pool, 10);
	memcpy(small2, "abcdefghi", 10);
	big2 = pool_alloc(pool, 100000);
	memset(big2, 'y', 100000);
	for (i = 0; i < (1 << 20); i++)
		if (big[i] != 'x')
			ck_abort_msg("big allocation overwritten at %zu", i);
	ck_assert_str_eq(small1, "123456789");
	ck_assert_str_eq(small2, "abcdefghi");
	pool_destroy(pool);
}
END_TEST

START_TEST(test_pool_calloc_zeroes)
{
	struct pool *pool = pool_create();
	unsigned char *p;
	size_t i;

	/* Dirty the memory first, then reuse it after a reset. */
	p = pool_alloc(pool, 4096);
	memset(p, 0xff, 4096);
	pool_reset(pool);
	p = pool_calloc(pool, 512, 8);
	for (i = 0; i < 4096; i++)
		ck_assert_uint_eq(p[i], 0);
	p = pool_calloc(pool, 3, 20000);
	for (i = 0; i < 60000; i++)
		ck_assert_uint_eq(p[i], 0);
	p = pool_calloc(pool, 0, 16);
	ck_assert_ptr_nonnull(p);
	pool_destroy(pool);
}
END_TEST

START_TEST(test_pool_strings)
{
	struct pool *pool = pool_create();
	char *s;

	s = pool_strdup(pool, "hello");
	ck_assert_str_eq(s, "hello");
	ck_assert_ptr_null(pool_strdup(pool, NULL));
	ck_assert_str_eq(pool_strdup(pool, ""), "");
	s = pool_strndup(pool, "hello world", 5);
	ck_assert_str_eq(s, "hello");
	ck_assert_uint_eq(strlen(s), 5);
	ck_assert_str_eq(pool_strndup(pool, "abc", 0), "");
	s = pool_printf(pool, "%s_%d/%05.1f", "prod", 42, 3.14159);
	ck_assert_str_eq(s, "prod_42/003.1");
	ck_assert_str_eq(pool_printf(pool, "%s", ""), "");
	{
		char longs[3000];

		memset(longs, 'z', sizeof(longs) - 1);
		longs[sizeof(longs) - 1] = '\0';
		s = pool_printf(pool, "<%s>", longs);
		ck_assert_uint_eq(strlen(s), sizeof(longs) + 1);
		ck_assert_int_eq(s[0], '<');
		ck_assert_int_eq(s[sizeof(longs)], '>');
	}
	pool_destroy(pool);
}
END_TEST

static int cleanup_log[16];
static size_t cleanup_count;

static void record_cleanup(void *data)
{
	if (cleanup_count < 16)
		cleanup_log[cleanup_count] = *(int *)data;
	cleanup_count++;
}

static void free_cleanup(void *data)
{
	free(data);
}

START_TEST(test_pool_cleanups_reverse_on_reset)
{
	static int vals[] = { 1, 2, 3 };
	struct pool *pool = pool_create();

	cleanup_count = 0;
	pool_cleanup_add(pool, record_cleanup, &vals[0]);
	pool_cleanup_add(pool, record_cleanup, &vals[1]);
	pool_cleanup_add(pool, record_cleanup, &vals[2]);
	ck_assert_uint_eq(cleanup_count, 0);
	pool_reset(pool);
	ck_assert_uint_eq(cleanup_count, 3);
	ck_assert_int_eq(cleanup_log[0], 3);
	ck_assert_int_eq(cleanup_log[1], 2);
	ck_assert_int_eq(cleanup_log[2], 1);
	/* They ran once: a second reset and the destroy run nothing more. */
	pool_reset(pool);
	pool_destroy(pool);
	ck_assert_uint_eq(cleanup_count, 3);
}
END_TEST

START_TEST(test_pool_cleanups_reverse_on_destroy)
{
	static int vals[] = { 10, 20, 30, 40 };
	struct pool *pool = pool_create();

	cleanup_count = 0;
	pool_cleanup_add(pool, record_cleanup, &vals[0]);
	pool_cleanup_add(pool, record_cleanup, &vals[1]);
	/* Cleanups may be registered after allocations spread over blocks. */
	pool_alloc(pool, 100000);
	pool_cleanup_add(pool, record_cleanup, &vals[2]);
	pool_cleanup_add(pool, free_cleanup, xstrdup("freed by the pool"));
	pool_cleanup_add(pool, record_cleanup, &vals[3]);
	pool_destroy(pool);
	ck_assert_uint_eq(cleanup_count, 4);
	ck_assert_int_eq(cleanup_log[0], 40);
	ck_assert_int_eq(cleanup_log[1], 30);
	ck_assert_int_eq(cleanup_log[2], 20);
	ck_assert_int_eq(cleanup_log[3], 10);
	pool_destroy(NULL);
	pool_reset(NULL);
}
END_TEST

START_TEST(test_pool_reset_keeps_pool_usable)
{
	static int val = 5;
	struct pool *pool = pool_create();
	size_t initial = pool_bytes(pool), i;
	char *s;

	for (i = 0; i < 1000; i++)
		pool_alloc(pool, 100);
	ck_assert_uint_gt(pool_bytes(pool), initial);
	pool_reset(pool);
	ck_assert_uint_eq(pool_bytes(pool), initial);
	s = pool_strdup(pool, "still works");
	ck_assert_str_eq(s, "still works");
	for (i = 0; i < 1000; i++)
		memset(pool_alloc(pool, 100), 1, 100);
	cleanup_count = 0;
	pool_cleanup_add(pool, record_cleanup, &val);
	pool_reset(pool);
	ck_assert_uint_eq(cleanup_count, 1);
	ck_assert_uint_eq(pool_bytes(pool), initial);
	pool_destroy(pool);
}
END_TEST

/*
 * pool.h: pool_reset "frees all memory but the first block". A large
 * allocation made while the first block is current is linked behind it,
 * so it becomes the last block of the list, and pool_reset keeps it and
 * frees the first block instead: the pool then holds the large block for
 * the rest of its life.
 */
START_TEST(test_pool_reset_after_big_allocation_keeps_first_block)
{
	struct pool *pool = pool_create();
	size_t initial = pool_bytes(pool);
	char *p;

	pool_alloc(pool, 16);
	p = pool_alloc(pool, 1 << 20);
	memset(p, 0, 1 << 20);
	pool_reset(pool);
	ck_assert_uint_eq(pool_bytes(pool), initial);
	p = pool_strdup(pool, "usable");
	ck_assert_str_eq(p, "usable");
	pool_destroy(pool);
}
END_TEST

START_TEST(test_pool_reset_reuses_its_blocks)
{
	struct pool *pool = pool_create();
	char *big, *again;

	pool_alloc(pool, 16);
	big = pool_alloc(pool, 8 * 1024);
	pool_reset(pool);
	pool_alloc(pool, 16);
	again = pool_alloc(pool, 8 * 1024);
	/* The block of the first request serves the next one. */
	ck_assert_ptr_eq(big, again);
	pool_destroy(pool);
}
END_TEST

START_TEST(test_pool_int64)
{
	struct pool *pool = pool_create();

	ck_assert_str_eq(pool_int64(pool, 0), "0");
	ck_assert_str_eq(pool_int64(pool, 42), "42");
	ck_assert_str_eq(pool_int64(pool, -7), "-7");
	ck_assert_str_eq(pool_int64(pool, INT64_MAX), "9223372036854775807");
	ck_assert_str_eq(pool_int64(pool, INT64_MIN), "-9223372036854775808");
	pool_destroy(pool);
}
END_TEST

/* ---- strbuf */

START_TEST(test_strbuf_add)
{
	struct strbuf sb = STRBUF_INIT;

	ck_assert_ptr_nonnull(sb.buf);
	ck_assert_str_eq(sb.buf, "");
	ck_assert_uint_eq(sb.len, 0);
	strbuf_add(&sb, "abcdef", 3);
	ck_assert_str_eq(sb.buf, "abc");
	ck_assert_uint_eq(sb.len, 3);
	strbuf_adds(&sb, "-xyz");
	strbuf_addch(&sb, '!');
	ck_assert_str_eq(sb.buf, "abc-xyz!");
	ck_assert_uint_eq(sb.len, 8);
	ck_assert_uint_gt(sb.alloc, sb.len);
	strbuf_add(&sb, "", 0);
	ck_assert_str_eq(sb.buf, "abc-xyz!");
	strbuf_reset(&sb);
	ck_assert_str_eq(sb.buf, "");
	ck_assert_uint_eq(sb.len, 0);
	strbuf_adds(&sb, "again");
	ck_assert_str_eq(sb.buf, "again");
	strbuf_release(&sb);
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_uint_eq(sb.alloc, 0);
	ck_assert_str_eq(sb.buf, "");
	/* Released strbufs are reusable, and releasing twice is fine. */
	strbuf_adds(&sb, "reuse");
	ck_assert_str_eq(sb.buf, "reuse");
	strbuf_release(&sb);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_strbuf_addf_and_long_strings)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s=%d", "n", 42);
	ck_assert_str_eq(sb.buf, "n=42");
	strbuf_addf(&sb, ",%05.2f,%c", 1.5, 'Z');
	ck_assert_str_eq(sb.buf, "n=42,01.50,Z");
	ck_assert_uint_eq(sb.len, strlen("n=42,01.50,Z"));
	strbuf_addf(&sb, "%s", "");
	ck_assert_uint_eq(sb.len, strlen("n=42,01.50,Z"));
	strbuf_reset(&sb);
	for (i = 0; i < 10000; i++)
		strbuf_addf(&sb, "%zu,", i % 10);
	ck_assert_uint_eq(sb.len, 20000);
	ck_assert_uint_eq(strlen(sb.buf), 20000);
	ck_assert_int_eq(sb.buf[19998], '9');
	ck_assert_int_eq(sb.buf[19999], ',');
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_strbuf_grow)
{
	struct strbuf sb = STRBUF_INIT;
	char *before;

	strbuf_adds(&sb, "keep");
	strbuf_grow(&sb, 1000);
	ck_assert_uint_ge(sb.alloc, sb.len + 1000 + 1);
	ck_assert_str_eq(sb.buf, "keep");
	ck_assert_uint_eq(sb.len, 4);
	/* After a grow, appends within the room do not move the buffer. */
	before = sb.buf;
	memset(sb.buf + sb.len, 0, 1000);
	strbuf_add(&sb, "0123456789", 10);
	ck_assert_ptr_eq(sb.buf, before);
	ck_assert_str_eq(sb.buf, "keep0123456789");
	strbuf_release(&sb);
	strbuf_grow(&sb, 0);
	ck_assert_uint_ge(sb.alloc, 1);
	ck_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_strbuf_detach)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	strbuf_adds(&sb, "detached");
	s = strbuf_detach(&sb);
	ck_assert_str_eq(s, "detached");
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_uint_eq(sb.alloc, 0);
	ck_assert_str_eq(sb.buf, "");
	ck_assert_ptr_ne(sb.buf, s);
	free(s);
	/* An empty strbuf detaches to a malloc'd "" too. */
	s = strbuf_detach(&sb);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	ck_assert_ptr_ne(s, strbuf_empty);
	free(s);
	strbuf_adds(&sb, "after");
	ck_assert_str_eq(sb.buf, "after");
	strbuf_release(&sb);
}
END_TEST

/* ---- conf */

static const char good_conf[] =
	"# a comment\n"
	"\n"
	"   # an indented comment\n"
	"db.host = db.example\n"
	"db.port=3307\n"
	"  db.name   =   inv_test   \n"
	"db.user = u\r\n"
	"db.password = p=a=s=s\n"
	"\t\n"
	"jwt.secret = 0123456789abcdef0123456789abcdef\n"
	"jwt.issuer = https://issuer.example\n"
	"jwt.audience = inventory\n"
	"jwt.leeway_seconds = 0\n"
	"http.max_body_bytes = 2097152\n"
	"apikey.cache_seconds = 60\n";

START_TEST(test_conf_defaults)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_str_eq(c.db_host, "localhost");
	ck_assert_int_eq(c.db_port, 3306);
	ck_assert_str_eq(c.db_socket, "");
	ck_assert_str_eq(c.db_name, "inventory");
	ck_assert_str_eq(c.db_user, "inventory");
	ck_assert_int_eq(c.jwt_algorithm, JWT_HS256);
	ck_assert_str_eq(c.jwt_secret, "");
	ck_assert_str_eq(c.jwt_issuer, "");
	ck_assert_str_eq(c.jwt_audience, "");
	ck_assert_int_eq(c.jwt_leeway_seconds, 30);
	ck_assert_int_eq(c.http_max_body_bytes, 1048576);
	ck_assert_int_eq(c.apikey_cache_seconds, 30);
	ck_assert_ptr_null(c.jwt_public_key);
	ck_assert_ptr_null(c.jwt_private_key);
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_parse_good)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, good_conf, "good.conf"), 0);
	ck_assert_str_eq(c.db_host, "db.example");
	ck_assert_int_eq(c.db_port, 3307);
	ck_assert_str_eq(c.db_name, "inv_test");
	ck_assert_str_eq(c.db_user, "u");
	ck_assert_str_eq(c.db_password, "p=a=s=s");
	ck_assert_str_eq(c.jwt_secret, "0123456789abcdef0123456789abcdef");
	ck_assert_str_eq(c.jwt_issuer, "https://issuer.example");
	ck_assert_str_eq(c.jwt_audience, "inventory");
	ck_assert_int_eq(c.jwt_leeway_seconds, 0);
	ck_assert_int_eq(c.http_max_body_bytes, 2097152);
	ck_assert_int_eq(c.apikey_cache_seconds, 60);
	/* Keys not in the file keep their defaults. */
	ck_assert_str_eq(c.db_socket, "");
	ck_assert_int_eq(c.jwt_algorithm, JWT_HS256);
	ck_assert_int_eq(conf_finish(&c, 0), 0);
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_parse_empty_and_comments_only)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "", "empty.conf"), 0);
	ck_assert_int_eq(conf_parse(&c, "\n\n# only comments\n  \n#db.port = x\n", "c.conf"), 0);
	ck_assert_int_eq(c.db_port, 3306);
	/* An empty value is allowed for strings. */
	ck_assert_int_eq(conf_parse(&c, "db.password =\n", "c.conf"), 0);
	ck_assert_str_eq(c.db_password, "");
	/* A later line overrides an earlier one. */
	ck_assert_int_eq(conf_parse(&c, "db.host = a\ndb.host = b\n", "c.conf"), 0);
	ck_assert_str_eq(c.db_host, "b");
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_parse_errors)
{
	static const char *const bad[] = {
		"db.bogus = 1\n",                  /* unknown key */
		"DB.HOST = x\n",                   /* keys are case-sensitive */
		"db.host\n",                       /* no '=' */
		"db.port = abc\n",                 /* not an integer */
		"db.port = 12abc\n",
		"db.port = \n",
		"db.port = 3.5\n",
		"db.port = 65536\n",               /* out of range */
		"db.port = -1\n",
		"jwt.leeway_seconds = 3601\n",
		"apikey.cache_seconds = 61\n",
		"http.max_body_bytes = 1023\n",
		"http.max_body_bytes = 99999999999999999999\n",
		"jwt.algorithm = none\n",
		"jwt.algorithm = hs256\n",
		"jwt.algorithm = HS512\n",
		"jwt.algorithm =\n",
		"db.host = ok\nunknown.key = 1\n",  /* a bad line after a good one */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct conf c;
		int ret;

		conf_defaults(&c);
		ret = conf_parse(&c, bad[i], "bad.conf");
		conf_release(&c);
		ck_assert_msg(ret == -1, "conf_parse accepted '%s'", bad[i]);
	}
}
END_TEST

START_TEST(test_conf_parse_ranges)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "db.port = 0\n", "r.conf"), 0);
	ck_assert_int_eq(c.db_port, 0);
	ck_assert_int_eq(conf_parse(&c, "db.port = 65535\n", "r.conf"), 0);
	ck_assert_int_eq(c.db_port, 65535);
	ck_assert_int_eq(conf_parse(&c, "jwt.leeway_seconds = 3600\n", "r.conf"), 0);
	ck_assert_int_eq(c.jwt_leeway_seconds, 3600);
	ck_assert_int_eq(conf_parse(&c, "http.max_body_bytes = 1073741824\n", "r.conf"), 0);
	ck_assert_int_eq(c.http_max_body_bytes, 1073741824);
	ck_assert_int_eq(conf_parse(&c, "http.max_body_bytes = 1024\n", "r.conf"), 0);
	ck_assert_int_eq(c.http_max_body_bytes, 1024);
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_parse_algorithm)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = RS256\n", "a.conf"), 0);
	ck_assert_int_eq(c.jwt_algorithm, JWT_RS256);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = HS256\n", "a.conf"), 0);
	ck_assert_int_eq(c.jwt_algorithm, JWT_HS256);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = ES256\n", "a.conf"), -1);
	conf_release(&c);
}
END_TEST

/* Runs conf_parse with stderr captured into buf. */
static int conf_parse_capture(struct conf *c, const char *text, char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	dup2(fileno(tmp), STDERR_FILENO);
	ret = conf_parse(c, text, "lines.conf");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return ret;
}

/*
 * The error message names the file and the line; blank lines count as
 * lines. conf_parse splits with strtok_r(..., "\n"), which skips empty
 * lines, so the line number is wrong after a blank line.
 */
START_TEST(test_conf_parse_error_names_key_and_line)
{
	struct conf c;
	char msg[1024];

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse_capture(&c, "# comment\ndb.nope = 1\n", msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "db.nope"));
	ck_assert_ptr_nonnull(strstr(msg, "lines.conf:2"));
	ck_assert_int_eq(conf_parse_capture(&c, "# comment\n\n\ndb.port = x\n", msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "db.port"));
	ck_assert_msg(strstr(msg, "lines.conf:4") != NULL,
		      "expected the message to name lines.conf:4, got: %s", msg);
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_finish_hs256_secret)
{
	struct conf c;

	conf_defaults(&c);
	/* The default (empty) secret fails. */
	ck_assert_int_eq(conf_finish(&c, 0), -1);
	ck_assert_int_eq(conf_parse(&c, "jwt.secret = 0123456789abcdef0123456789abcde\n", "f"), 0);
	ck_assert_uint_eq(strlen(c.jwt_secret), 31);
	ck_assert_int_eq(conf_finish(&c, 0), -1);
	ck_assert_int_eq(conf_parse(&c, "jwt.secret = 0123456789abcdef0123456789abcdef\n", "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 0), 0);
	ck_assert_int_eq(conf_finish(&c, 1), 0);   /* HS256 needs no private key file */
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_finish_empty_db_name)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.secret = 0123456789abcdef0123456789abcdef\n"
				    "db.name =\n", "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 0), -1);
	conf_release(&c);
	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.secret = 0123456789abcdef0123456789abcdef\n"
				    "db.user =\n", "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 0), -1);
	conf_release(&c);
}
END_TEST

START_TEST(test_conf_finish_rs256)
{
	struct conf c;

	/* Without a public key file. */
	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = RS256\n", "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 0), -1);
	conf_release(&c);

	/* With a file that does not exist. */
	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = RS256\n"
				    "jwt.public_key_file = " TEST_FIXTURES "/does-not-exist.pem\n",
				    "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 0), -1);
	conf_release(&c);

	/* With the public key: loaded; no secret is needed. */
	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = RS256\n"
				    "jwt.public_key_file = " TEST_FIXTURES "/rsa_public.pem\n",
				    "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 0), 0);
	ck_assert_ptr_nonnull(c.jwt_public_key);
	ck_assert_ptr_nonnull(strstr(c.jwt_public_key, "-----BEGIN PUBLIC KEY-----"));
	ck_assert_ptr_null(c.jwt_private_key);
	conf_release(&c);

	/* Signing needs the private key file. */
	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = RS256\n"
				    "jwt.public_key_file = " TEST_FIXTURES "/rsa_public.pem\n",
				    "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 1), -1);
	conf_release(&c);

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "jwt.algorithm = RS256\n"
				    "jwt.public_key_file = " TEST_FIXTURES "/rsa_public.pem\n"
				    "jwt.private_key_file = " TEST_FIXTURES "/rsa_private.pem\n",
				    "f"), 0);
	ck_assert_int_eq(conf_finish(&c, 1), 0);
	ck_assert_ptr_nonnull(c.jwt_private_key);
	ck_assert_ptr_nonnull(strstr(c.jwt_private_key, "PRIVATE KEY-----"));
	conf_release(&c);
}
END_TEST

/* ---- ids */

START_TEST(test_id_format_parse_round_trip)
{
	struct pool *pool = pool_create();
	static const int64_t values[] = { 1, 7, 42, 1000000, INT64_C(999999999999999999) };
	int kind;
	size_t i;

	ck_assert_str_eq(id_format(pool, ID_PRODUCT, 42), "prod_42");
	ck_assert_str_eq(id_format(pool, ID_WORKSPACE, 7), "ws_7");
	ck_assert_str_eq(id_format(pool, ID_LEVEL, 3), "level_3");
	for (kind = ID_NONE + 1; kind < ID__MAX; kind++) {
		ck_assert_ptr_nonnull(id_prefixes[kind]);
		ck_assert_uint_gt(strlen(id_prefixes[kind]), 0);
		for (i = 0; i < ARRAY_SIZE(values); i++) {
			const char *s = id_format(pool, (enum id_kind)kind, values[i]);

			ck_assert_int_eq(id_parse((enum id_kind)kind, s), values[i]);
		}
	}
	pool_destroy(pool);
}
END_TEST

START_TEST(test_id_parse_rejects)
{
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_12"), 12);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "cat_12"), 0);      /* wrong prefix */
	ck_assert_int_eq(id_parse(ID_CATEGORY, "prod_12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "PROD_12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "produ_12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "pro_12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_"), 0);       /* no digits */
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_12x"), 0);    /* trailing junk */
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_12 "), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_ 12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_-12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_+12"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_0"), 0);      /* 0 means none */
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_000"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, ""), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, NULL), 0);
	ck_assert_int_eq(id_parse(ID_LOT, "lot_1_2"), 0);
}
END_TEST

START_TEST(test_id_parse_leading_zeros_and_overflow)
{
	/* One spelling per id: leading zeros would make aliases. */
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_007"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_70"), 70);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_0001"), 0);
	/* 18 digits fit in an int64_t, 19 and more are refused. */
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_999999999999999999"),
			 INT64_C(999999999999999999));
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_9999999999999999999"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_9223372036854775807"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_9223372036854775808"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_18446744073709551617"), 0);
	ck_assert_int_eq(id_parse(ID_PRODUCT, "prod_99999999999999999999999999999"), 0);
}
END_TEST

/* ---- util */

START_TEST(test_parse_int64)
{
	int64_t v = 12345;

	ck_assert_int_eq(parse_int64("0", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_int64("42", &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(parse_int64("-17", &v), 0);
	ck_assert_int_eq(v, -17);
	ck_assert_int_eq(parse_int64("007", &v), 0);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(parse_int64("9223372036854775807", &v), 0);
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert_int_eq(parse_int64("-9223372036854775808", &v), 0);
	ck_assert_int_eq(v, INT64_MIN);

	v = 99;
	ck_assert_int_eq(parse_int64("9223372036854775808", &v), -1);
	ck_assert_int_eq(parse_int64("-9223372036854775809", &v), -1);
	ck_assert_int_eq(parse_int64("", &v), -1);
	ck_assert_int_eq(parse_int64(NULL, &v), -1);
	ck_assert_int_eq(parse_int64("abc", &v), -1);
	ck_assert_int_eq(parse_int64("12abc", &v), -1);
	ck_assert_int_eq(parse_int64("12 ", &v), -1);
	ck_assert_int_eq(parse_int64(" 12", &v), -1);
	ck_assert_int_eq(parse_int64("+12", &v), -1);
	ck_assert_int_eq(parse_int64("-", &v), -1);
	ck_assert_int_eq(parse_int64("1.5", &v), -1);
	ck_assert_int_eq(parse_int64("0x10", &v), -1);
	ck_assert_int_eq(v, 99);
}
END_TEST

START_TEST(test_hex_encode)
{
	static const unsigned char in[] = { 0x00, 0x01, 0x0f, 0x10, 0xab, 0xcd, 0xef, 0xff };
	char out[2 * sizeof(in) + 1];

	memset(out, 'X', sizeof(out));
	hex_encode(in, sizeof(in), out);
	ck_assert_str_eq(out, "00010f10abcdefff");
	hex_encode(in, 0, out);
	ck_assert_str_eq(out, "");
	hex_encode(in + 4, 1, out);
	ck_assert_str_eq(out, "ab");
}
END_TEST

START_TEST(test_sha256_hex)
{
	char out[65];

	sha256_hex("abc", 3, out);
	ck_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("", 0, out);
	ck_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* Only len bytes are hashed. */
	sha256_hex("abcdef", 3, out);
	ck_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
	ck_assert_str_eq(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_const_time_eq)
{
	ck_assert_int_eq(const_time_eq("abc", "abc"), 1);
	ck_assert_int_eq(const_time_eq("", ""), 1);
	ck_assert_int_eq(const_time_eq("abc", "abd"), 0);
	ck_assert_int_eq(const_time_eq("abc", "Abc"), 0);
	ck_assert_int_eq(const_time_eq("abc", "abcd"), 0);
	ck_assert_int_eq(const_time_eq("abcd", "abc"), 0);
	ck_assert_int_eq(const_time_eq("", "a"), 0);
	ck_assert_int_eq(const_time_eq("a", ""), 0);
}
END_TEST

#define ck_utf8(bytes, ok) ck_assert_msg(utf8_valid(bytes, sizeof(bytes) - 1) == (ok), \
					 "utf8_valid(%s) should be %d", #bytes, ok)

START_TEST(test_utf8_valid)
{
	ck_utf8("", 1);
	ck_utf8("plain ascii", 1);
	ck_utf8("caf\xc3\xa9", 1);                 /* U+00E9 */
	ck_utf8("\xe2\x82\xac", 1);                /* U+20AC */
	ck_utf8("\xf0\x9f\x93\xa6", 1);            /* U+1F4E6 */
	ck_utf8("\xed\x9f\xbf", 1);                /* U+D7FF, below the surrogates */
	ck_utf8("\xee\x80\x80", 1);                /* U+E000, above them */
	ck_utf8("\xf4\x8f\xbf\xbf", 1);            /* U+10FFFF */
	ck_utf8("\xff\xfe", 0);
	ck_utf8("\x80", 0);                        /* a lone continuation byte */
	ck_utf8("\xc3", 0);                        /* cut short */
	ck_utf8("\xe2\x82", 0);
	ck_utf8("\xc3\x28", 0);                    /* not a continuation */
	ck_utf8("\xc0\xaf", 0);                    /* overlong '/' */
	ck_utf8("\xc1\xbf", 0);
	ck_utf8("\xe0\x80\xaf", 0);                /* overlong, 3 bytes */
	ck_utf8("\xf0\x80\x80\xaf", 0);            /* overlong, 4 bytes */
	ck_utf8("\xed\xa0\x80", 0);                /* U+D800, a surrogate */
	ck_utf8("\xed\xbf\xbf", 0);                /* U+DFFF */
	ck_utf8("\xf4\x90\x80\x80", 0);            /* U+110000 */
	ck_utf8("\xf5\x80\x80\x80", 0);
	ck_utf8("\xf8\x88\x80\x80\x80", 0);        /* 5-byte forms do not exist */
	/* The length is what counts, not a NUL. */
	ck_assert_int_eq(utf8_valid("ab\xff", 2), 1);
}
END_TEST

START_TEST(test_strbuf_setlen)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_setlen(&sb, 0);
	ck_assert_str_eq(sb.buf, "");
	strbuf_adds(&sb, "items[12].lotId");
	strbuf_setlen(&sb, 5);
	ck_assert_str_eq(sb.buf, "items");
	ck_assert_uint_eq(sb.len, 5);
	strbuf_setlen(&sb, 50);     /* never longer */
	ck_assert_uint_eq(sb.len, 5);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_query_builder)
{
	struct pool *pool = pool_create();
	struct query q;
	size_t i;

	query_init(&q, pool, "SELECT id FROM products WHERE workspace_id = ?");
	query_arg(&q, ARG_INT(7));
	query_bind(&q, " AND category_id = ?", ARG_INT(3));
	query_bind(&q, " AND name LIKE ?", ARG_TEXT("%a%"));
	query_add(&q, " ORDER BY id");
	ck_assert_str_eq(query_sql(&q), "SELECT id FROM products WHERE workspace_id = ?"
			 " AND category_id = ? AND name LIKE ? ORDER BY id");
	ck_assert_uint_eq(q.nargs, 3);
	ck_assert_int_eq(q.args[0].i, 7);
	ck_assert_int_eq(q.args[1].i, 3);
	ck_assert_str_eq(q.args[2].s, "%a%");
	/* Far more values than any array sized by hand: it grows. */
	query_init(&q, pool, "SELECT 1 FROM t WHERE id IN (0");
	for (i = 0; i < 300; i++)
		query_bind(&q, ", ?", ARG_INT((int64_t)i));
	query_add(&q, ")");
	ck_assert_uint_eq(q.nargs, 300);
	ck_assert_int_eq(q.args[299].i, 299);
	ck_assert_uint_eq(strlen(query_sql(&q)), strlen("SELECT 1 FROM t WHERE id IN (0)") + 300 * 3);
	pool_destroy(pool);
}
END_TEST

/* Conditions built once serve two statements: text and values appended. */
START_TEST(test_query_append)
{
	struct pool *pool = pool_create();
	struct query where, q;
	size_t i;

	query_init(&where, pool, "");
	query_arg(&where, ARG_INT(7));        /* the head's workspace */
	for (i = 0; i < 10; i++)
		query_bind(&where, " AND a = ?", ARG_INT((int64_t)i));
	query_init(&q, pool, "SELECT COUNT(*) FROM t WHERE w = ?");
	query_append(&q, &where);
	ck_assert_uint_eq(q.nargs, 11);
	ck_assert_uint_eq(strlen(query_sql(&q)), strlen("SELECT COUNT(*) FROM t WHERE w = ?") + 100);
	query_init(&q, pool, "SELECT id FROM t WHERE w = ?");
	query_append(&q, &where);
	query_add(&q, " ORDER BY id LIMIT ? OFFSET ?");
	query_arg(&q, ARG_INT(20));
	query_arg(&q, ARG_INT(40));
	ck_assert_uint_eq(q.nargs, 13);
	ck_assert_int_eq(q.args[0].i, 7);
	ck_assert_int_eq(q.args[10].i, 9);
	ck_assert_int_eq(q.args[12].i, 40);
	ck_assert_str_eq(query_sql(&q) + strlen(query_sql(&q)) - 17, " LIMIT ? OFFSET ?");
	/* where itself is unchanged */
	ck_assert_uint_eq(where.nargs, 11);
	pool_destroy(pool);
}
END_TEST

/* An IN list is padded to a power of two with its last id: few texts. */
START_TEST(test_query_in)
{
	struct pool *pool = pool_create();
	const int64_t ids[] = { 4, 8, 15, 16, 23 };
	struct query q;

	query_init(&q, pool, "SELECT 1 FROM t WHERE w = ?");
	query_arg(&q, ARG_INT(7));
	query_in(&q, " AND id IN (", ids, 5);
	ck_assert_str_eq(query_sql(&q), "SELECT 1 FROM t WHERE w = ? AND id IN (?, ?, ?, ?, ?, ?, ?, ?)");
	ck_assert_uint_eq(q.nargs, 9);
	ck_assert_int_eq(q.args[1].i, 4);
	ck_assert_int_eq(q.args[5].i, 23);
	ck_assert_int_eq(q.args[8].i, 23);
	query_init(&q, pool, "SELECT 1 FROM t WHERE");
	query_in(&q, " id IN (", ids, 1);
	ck_assert_str_eq(query_sql(&q), "SELECT 1 FROM t WHERE id IN (?)");
	ck_assert_uint_eq(q.nargs, 1);
	pool_destroy(pool);
}
END_TEST

/* A fragment with no placeholder (or two) for its one value is a bug. */
START_TEST(test_query_bind_needs_one_placeholder)
{
	struct pool *pool = pool_create();
	struct query q;

	query_init(&q, pool, "SELECT 1");
	query_bind(&q, " AND a = 1", ARG_INT(1));
}
END_TEST

/* Values and placeholders that do not match are a bug, caught before SQL runs. */
START_TEST(test_query_counts_must_match)
{
	struct pool *pool = pool_create();
	struct query q;

	query_init(&q, pool, "SELECT 1 FROM t WHERE a = ? AND b = ?");
	query_arg(&q, ARG_INT(1));
	query_sql(&q);
}
END_TEST

START_TEST(test_random_bytes)
{
	unsigned char a[32], b[32];

	ck_assert_int_eq(random_bytes(a, sizeof(a)), 0);
	ck_assert_int_eq(random_bytes(b, sizeof(b)), 0);
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(random_bytes(a, 0), 0);
}
END_TEST


/* ---- the JSON writer: the bytes json-c writes for the same values ---- */

static const char *tree_bytes(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

START_TEST(test_jsonw_matches_json_c)
{
	static const char *const strings[] = {
		"", "plain", "quote \" and \\ backslash", "slash / kept", "tab\tline\nret\r",
		"\b\f", "\x01\x1f\x7f", "caf\xc3\xa9 \xe2\x82\xac", "</script>",
	};
	struct pool *pool = pool_create();
	json_object *tree = json_object_new_object(), *arr = json_object_new_array();
	struct jw w;
	size_t i, len;

	jw_init(&w, pool);
	jw_open(&w, '{');
	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		char key[16];

		snprintf(key, sizeof(key), "k%zu", i);
		json_object_object_add(tree, key, json_object_new_string(strings[i]));
		jw_kstr(&w, key, strings[i]);
	}
	json_object_object_add(tree, "min", json_object_new_int64(INT64_MIN));
	jw_kint(&w, "min", INT64_MIN);
	json_object_object_add(tree, "zero", json_object_new_int64(0));
	jw_kint(&w, "zero", 0);
	json_object_object_add(tree, "max", json_object_new_int64(INT64_MAX));
	jw_kint(&w, "max", INT64_MAX);
	json_object_object_add(tree, "t", json_object_new_boolean(1));
	jw_kbool(&w, "t", 1);
	json_object_object_add(tree, "a \"key\"\n\\", json_object_new_string("escaped name"));
	jw_kstr(&w, "a \"key\"\n\\", "escaped name");
	json_object_object_add(tree, "null", NULL);
	jw_key(&w, "null");
	jw_str(&w, NULL);
	json_object_array_add(arr, json_object_new_int(1));
	json_object_array_add(arr, json_object_new_object());
	json_object_array_add(arr, json_object_new_array());
	json_object_object_add(tree, "a", arr);
	jw_key(&w, "a");
	jw_open(&w, '[');
	jw_int(&w, 1);
	jw_open(&w, '{');
	jw_close(&w, '}');
	jw_open(&w, '[');
	jw_close(&w, ']');
	jw_close(&w, ']');
	jw_key(&w, "tree");
	jw_tree(&w, arr);
	json_object_object_add(tree, "tree", json_object_get(arr));
	jw_close(&w, '}');
	ck_assert_str_eq(jw_bytes(&w, &len), tree_bytes(tree));
	ck_assert_uint_eq(len, strlen(tree_bytes(tree)));
	json_object_put(tree);
	pool_destroy(pool);
}
END_TEST

START_TEST(test_jsonw_decimal_and_id)
{
	struct pool *pool = pool_create();
	struct jw w;
	size_t len;

	jw_init(&w, pool);
	jw_open(&w, '[');
	jw_decimal(&w, "12.5000");
	jw_decimal(&w, "50.0000");
	jw_decimal(&w, "0.0000");
	jw_decimal(&w, "-0.0000");
	jw_decimal(&w, "-3.0100");
	jw_decimal(&w, "7");
	jw_decimal(&w, NULL);
	jw_id(&w, "prod", "42");
	jw_id(&w, "loc", NULL);
	jw_close(&w, ']');
	ck_assert_str_eq(jw_bytes(&w, &len), "[12.5,50,0,0,-3.01,7,null,\"prod_42\",null]");
	pool_destroy(pool);
}
END_TEST

START_TEST(test_jsonw_grows_in_the_pool)
{
	struct pool *pool = pool_create();
	struct jw w;
	size_t len, i;
	const char *bytes;

	jw_init(&w, pool);
	jw_open(&w, '[');
	for (i = 0; i < 5000; i++)
		jw_str(&w, "0123456789");
	jw_close(&w, ']');
	bytes = jw_bytes(&w, &len);
	ck_assert_uint_eq(len, 2 + 5000 * 13 - 1);
	ck_assert_int_eq(bytes[0], '[');
	ck_assert_int_eq(bytes[len - 1], ']');
	ck_assert(!memcmp(bytes + len - 14, ",\"0123456789\"]", 14));
	pool_destroy(pool);
}
END_TEST

Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc;

	tc = tcase_create("pool");
	tcase_add_test(tc, test_pool_alloc_alignment);
	tcase_add_test(tc, test_pool_many_allocations_across_blocks);
	tcase_add_test(tc, test_pool_big_allocations);
	tcase_add_test(tc, test_pool_calloc_zeroes);
	tcase_add_test(tc, test_pool_strings);
	tcase_add_test(tc, test_pool_cleanups_reverse_on_reset);
	tcase_add_test(tc, test_pool_cleanups_reverse_on_destroy);
	tcase_add_test(tc, test_pool_reset_keeps_pool_usable);
	tcase_add_test(tc, test_pool_reset_after_big_allocation_keeps_first_block);
	tcase_add_test(tc, test_pool_reset_reuses_its_blocks);
	tcase_add_test(tc, test_pool_int64);
	suite_add_tcase(s, tc);

	tc = tcase_create("strbuf");
	tcase_add_test(tc, test_strbuf_add);
	tcase_add_test(tc, test_strbuf_addf_and_long_strings);
	tcase_add_test(tc, test_strbuf_grow);
	tcase_add_test(tc, test_strbuf_detach);
	suite_add_tcase(s, tc);

	tc = tcase_create("jsonw");
	tcase_add_test(tc, test_jsonw_matches_json_c);
	tcase_add_test(tc, test_jsonw_decimal_and_id);
	tcase_add_test(tc, test_jsonw_grows_in_the_pool);
	suite_add_tcase(s, tc);

	tc = tcase_create("conf");
	tcase_add_test(tc, test_conf_defaults);
	tcase_add_test(tc, test_conf_parse_good);
	tcase_add_test(tc, test_conf_parse_empty_and_comments_only);
	tcase_add_test(tc, test_conf_parse_errors);
	tcase_add_test(tc, test_conf_parse_ranges);
	tcase_add_test(tc, test_conf_parse_algorithm);
	tcase_add_test(tc, test_conf_parse_error_names_key_and_line);
	tcase_add_test(tc, test_conf_finish_hs256_secret);
	tcase_add_test(tc, test_conf_finish_empty_db_name);
	tcase_add_test(tc, test_conf_finish_rs256);
	suite_add_tcase(s, tc);

	tc = tcase_create("ids");
	tcase_add_test(tc, test_id_format_parse_round_trip);
	tcase_add_test(tc, test_id_parse_rejects);
	tcase_add_test(tc, test_id_parse_leading_zeros_and_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("util");
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_query_builder);
	tcase_add_test(tc, test_query_append);
	tcase_add_test(tc, test_query_in);
	tcase_add_test_raise_signal(tc, test_query_bind_needs_one_placeholder, SIGABRT);
	tcase_add_test_raise_signal(tc, test_query_counts_must_match, SIGABRT);
	tcase_add_test(tc, test_strbuf_setlen);
	tcase_add_test(tc, test_parse_int64);
	tcase_add_test(tc, test_hex_encode);
	tcase_add_test(tc, test_sha256_hex);
	tcase_add_test(tc, test_const_time_eq);
	tcase_add_test(tc, test_random_bytes);
	suite_add_tcase(s, tc);
	return s;
}
