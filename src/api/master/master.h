/* SPDX-License-Identifier: MIT */
/*
 * Master data: the generic resources (categories, products, locations,
 * bins, channels, lots, reason codes), served by the handlers of
 * api/resource.c.
 */
#ifndef INV_API_MASTER_H
#define INV_API_MASTER_H

#include "api/api.h"

extern const struct resource res_categories, res_products, res_locations, res_bins,
	res_channels, res_policies, res_lots, res_reason_codes;

#endif
