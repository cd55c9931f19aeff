#include "config.h"

#include "suites.h"

START_TEST(test_dispatch_placeholder)
{
	ck_assert_int_eq(1, 1);
}
END_TEST

Suite *dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create("dispatch");

	tcase_add_test(tc, test_dispatch_placeholder);
	suite_add_tcase(s, tc);
	return s;
}
