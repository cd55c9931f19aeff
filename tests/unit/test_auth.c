#include "config.h"

#include "suites.h"

START_TEST(test_auth_placeholder)
{
	ck_assert_int_eq(1, 1);
}
END_TEST

Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("auth");

	tcase_add_test(tc, test_auth_placeholder);
	suite_add_tcase(s, tc);
	return s;
}
