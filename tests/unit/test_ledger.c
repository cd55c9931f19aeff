/* SPDX-License-Identifier: MIT */
/* Unit tests of src/ledger: the rule that places a change over a
 * product's stock lines (ledger_scope_plan). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "api/replenish/replenish.h"
#include "ledger/ledger.h"
#include "suites.h"

/* Lines in the order ledger_scope_lock gives them (first expiry first). */
static struct ledger_line lines_buf[4];
static struct ledger_scope_lines lines = { lines_buf, 0, 0 };
static struct ledger_part parts[5];
static size_t nparts;

static void set_lines(size_t n, const int64_t on_hand[], const int64_t reserved[],
		      const int64_t lot[], const int64_t bin[])
{
	size_t i;

	lines.n = n;
	lines.on_hand = 0;
	for (i = 0; i < n; i++) {
		lines_buf[i] = (struct ledger_line){ .id = (int64_t)(10 + i), .lot_id = lot[i],
						     .bin_id = bin[i] };
		lines_buf[i].qty[B_ON_HAND] = on_hand[i];
		lines_buf[i].qty[B_RESERVED] = reserved[i];
		lines.on_hand += on_hand[i];
	}
}

static const struct ledger_scope product = { .product_id = 1, .location_id = 2 };

START_TEST(test_decrease_takes_available_in_order)
{
	set_lines(3, (int64_t[]){ 10, 10, 10 }, (int64_t[]){ 4, 0, 0 }, (int64_t[]){ 7, 8, 0 },
		  (int64_t[]){ 0, 0, 0 });
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, -12, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(nparts, 2);
	ck_assert_uint_eq(parts[0].line, 0);
	ck_assert_int_eq(parts[0].delta, -6);
	ck_assert_uint_eq(parts[1].line, 1);
	ck_assert_int_eq(parts[1].delta, -6);
}
END_TEST

START_TEST(test_decrease_beyond_available_left_on_last_line)
{
	set_lines(2, (int64_t[]){ 5, 5 }, (int64_t[]){ 0, 0 }, (int64_t[]){ 0, 0 },
		  (int64_t[]){ 3, 4 });
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, -12, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(nparts, 2);
	ck_assert_int_eq(parts[0].delta, -5);
	ck_assert_uint_eq(parts[1].line, 1);
	ck_assert_int_eq(parts[1].delta, -7);
}
END_TEST

START_TEST(test_decrease_without_lines)
{
	set_lines(0, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, -1, parts, &nparts), LEDGER_NO_LINE);
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, 0, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(nparts, 0);
}
END_TEST

START_TEST(test_increase_to_only_line_or_new_line)
{
	set_lines(1, (int64_t[]){ 287 }, (int64_t[]){ 0 }, (int64_t[]){ 0 }, (int64_t[]){ 5 });
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, 3, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(nparts, 1);
	ck_assert_uint_eq(parts[0].line, 0);
	ck_assert_int_eq(parts[0].delta, 3);
	set_lines(0, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, 3, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(nparts, 1);
	ck_assert_uint_eq(parts[0].line, 0);   /* == lines.n: a new line */
}
END_TEST

START_TEST(test_increase_to_default_line_or_ambiguous)
{
	set_lines(2, (int64_t[]){ 20, 5 }, (int64_t[]){ 0, 0 }, (int64_t[]){ 0, 0 },
		  (int64_t[]){ 3, 0 });
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, 4, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(nparts, 1);
	ck_assert_uint_eq(parts[0].line, 1);
	set_lines(2, (int64_t[]){ 20, 5 }, (int64_t[]){ 0, 0 }, (int64_t[]){ 0, 0 },
		  (int64_t[]){ 3, 4 });
	ck_assert_int_eq(ledger_scope_plan(&product, &lines, 4, parts, &nparts), LEDGER_AMBIGUOUS);
}
END_TEST

START_TEST(test_increase_to_default_line_of_the_given_lot)
{
	const struct ledger_scope lot = { .product_id = 1, .location_id = 2, .lot_id = 8 };

	set_lines(2, (int64_t[]){ 20, 5 }, (int64_t[]){ 0, 0 }, (int64_t[]){ 8, 8 },
		  (int64_t[]){ 3, 0 });
	ck_assert_int_eq(ledger_scope_plan(&lot, &lines, 4, parts, &nparts), LEDGER_OK);
	ck_assert_uint_eq(parts[0].line, 1);
}
END_TEST

/* A level of min 10, reorder 20, max 50 (as stored), available stock q. */
static struct level_figures level_of(int64_t q)
{
	return (struct level_figures){ .min = "10.0000", .reorder = "20.0000", .max = "50.0000",
				       .available = q, .lead = 5, .period = 10 };
}

START_TEST(test_replenish_thresholds_at_or_below)
{
	static const struct { int64_t q; const char *status; int64_t suggested; } cases[] = {
		{ 0, "STOCK_OUT", 50 }, { -3, "STOCK_OUT", 53 }, { 1, "BELOW_MIN", 49 },
		{ 10, "BELOW_MIN", 40 }, { 11, "BELOW_REORDER", 39 }, { 20, "BELOW_REORDER", 30 },
		{ 21, "OK", 0 }, { 50, "OK", 0 }, { 51, "OVERSTOCK", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct level_figures f = level_of(cases[i].q);

		replenish_plan(&f, "MIN_MAX", 1);
		ck_assert_int_eq(f.position, cases[i].q);
		ck_assert_int_eq(f.reorder_point, 20);
		ck_assert_str_eq(f.status, cases[i].status);
		ck_assert_int_eq(f.suggested, cases[i].suggested);
	}
}
END_TEST

START_TEST(test_replenish_position_and_rounding)
{
	struct level_figures f = level_of(12);

	/* 12 + 3 in transit + 4 on order - 2 expiring = 17: up to 50 is 33, by 12s 36. */
	f.in_transit = 3;
	f.on_order = 4;
	f.expiring = 2;
	replenish_plan(&f, "MIN_MAX", 12);
	ck_assert_int_eq(f.position, 17);
	ck_assert_str_eq(f.status, "BELOW_REORDER");
	ck_assert_int_eq(f.suggested, 36);
	/* Without a maximum, up to the reorder point. */
	f = level_of(12);
	f.max = NULL;
	replenish_plan(&f, "MIN_MAX", 1);
	ck_assert_int_eq(f.suggested, 8);
	ck_assert(f.cover < 0);
}
END_TEST

START_TEST(test_replenish_forecast)
{
	struct level_figures f = level_of(30);

	/* 2.5 a day: reorder point ceil(2.5 x 5) = 13; cover 15 days needs 38; 30 held. */
	f.demand = 2.5;
	replenish_plan(&f, "FORECAST", 1);
	ck_assert_int_eq(f.reorder_point, 13);
	ck_assert_str_eq(f.status, "OK");
	ck_assert_int_eq(f.suggested, 8);
	ck_assert(f.cover > 11.99 && f.cover < 12.01);
	f = level_of(40);
	f.demand = 2.5;
	replenish_plan(&f, "FORECAST", 1);
	ck_assert_int_eq(f.suggested, 0);
}
END_TEST

/* The used types' two spellings, C strings and SQL, name the same types. */
START_TEST(test_used_types_agree)
{
	static const char *const used[] = { LEDGER_USED_TYPES };
	char sql[256] = "(";
	size_t i;

	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
		ck_assert(ledger_type_used(used[i]));
		ck_assert_uint_lt(strlen(sql) + strlen(used[i]) + 5, sizeof(sql));
		strcat(sql, i ? ", '" : "'");
		strcat(sql, used[i]);
		strcat(sql, "'");
	}
	strcat(sql, ")");
	ck_assert_str_eq(sql, LEDGER_USED_TYPES_SQL);
	ck_assert(!ledger_type_used("TRANSFER_OUT"));
	ck_assert(!ledger_type_used("ADJUSTMENT"));
}
END_TEST

Suite *ledger_suite(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("scope plan");

	tcase_add_test(tc, test_decrease_takes_available_in_order);
	tcase_add_test(tc, test_decrease_beyond_available_left_on_last_line);
	tcase_add_test(tc, test_decrease_without_lines);
	tcase_add_test(tc, test_increase_to_only_line_or_new_line);
	tcase_add_test(tc, test_increase_to_default_line_or_ambiguous);
	tcase_add_test(tc, test_increase_to_default_line_of_the_given_lot);
	suite_add_tcase(s, tc);
	tc = tcase_create("replenishment rule");
	tcase_add_test(tc, test_replenish_thresholds_at_or_below);
	tcase_add_test(tc, test_replenish_position_and_rounding);
	tcase_add_test(tc, test_replenish_forecast);
	suite_add_tcase(s, tc);
	tc = tcase_create("ledger sums");
	tcase_add_test(tc, test_used_types_agree);
	suite_add_tcase(s, tc);
	return s;
}
