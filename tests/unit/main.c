/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(core_suite());
	int failed;

	srunner_add_suite(sr, http_suite());
	srunner_add_suite(sr, auth_suite());
	srunner_add_suite(sr, perm_suite());
	srunner_add_suite(sr, dispatch_suite());
	srunner_add_suite(sr, ledger_suite());
	srunner_add_suite(sr, metrics_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
