/* SPDX-License-Identifier: MIT */
/*
 * Shared by adjustments.c and record_stock.c; not an API for other
 * handlers.
 */
#ifndef INV_API_ADJUST_INTERNAL_H
#define INV_API_ADJUST_INTERNAL_H

#include <stdint.h>

#include "http/http.h"
#include "routes.h"

/* 1 when s is NULL, empty or only white space. */
int adjust_blank(const char *s);
/* An integer of the (validated) body; 0 when absent or null. */
int64_t adjust_body_int(struct req *r, const char *name);
/* "+50 units", "-1 unit", "0 units": signed when sign is set. */
const char *adjust_units(struct req *r, int64_t n, int sign);
/* A ledger transaction as the answers of a change show it (record_stock.c). */
extern const struct field adjust_txn_columns[];

#endif
