#include "config.h"

#include "suites.h"

START_TEST(test_http_placeholder)
{
	ck_assert_int_eq(1, 1);
}
END_TEST

Suite *http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");

	tcase_add_test(tc, test_http_placeholder);
	suite_add_tcase(s, tc);
	return s;
}
