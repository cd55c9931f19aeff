/* SPDX-License-Identifier: MIT */
/* The unit test suites, one per area of src/. */
#ifndef INV_TEST_SUITES_H
#define INV_TEST_SUITES_H

#include <check.h>

Suite *core_suite(void);
Suite *http_suite(void);
Suite *auth_suite(void);
Suite *perm_suite(void);
Suite *dispatch_suite(void);
Suite *ledger_suite(void);
Suite *metrics_suite(void);

#endif
