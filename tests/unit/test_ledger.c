/* Unit tests of src/ledger: the rule that places a change over a
 * product's stock lines (ledger_scope_plan). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

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
	return s;
}
