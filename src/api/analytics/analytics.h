/* SPDX-License-Identifier: MIT */
/*
 * Inventory analytics: what the stock in a scope (a location or the whole
 * workspace, optionally one category) is worth, how fast it turns over in
 * a period, what does not move and what expires soon.
 */
#ifndef INV_API_ANALYTICS_H
#define INV_API_ANALYTICS_H

#include "api/api.h"

int analytics_get(struct req *r);
extern const struct field analytics_query[], analytics_answer[];

#endif
