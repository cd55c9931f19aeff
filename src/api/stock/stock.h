/* SPDX-License-Identifier: MIT */
/*
 * Stock: the inventory list, inventory levels, availability (ATP), the bulk
 * check, totals by location and lot control validation.
 */
#ifndef INV_API_STOCK_H
#define INV_API_STOCK_H

#include "api/api.h"

/* inventory.c */
struct export_source;
int inventory_list(struct req *r);
int inventory_export(struct req *r);
extern const struct field inventory_query[], inventory_export_query[];
extern const struct field inventory_columns[];
/* The stock lines as inventory_export streams them (and inventoryctl export). */
extern const struct export_source inventory_export_source;

/* levels.c */
int levels_upsert(struct req *r);
int levels_get(struct req *r);
int levels_update(struct req *r);
int levels_delete(struct req *r);
int levels_for_product(struct req *r);
extern const struct field level_fields[], level_patch_fields[];
extern const struct field level_columns[], level_deleted_fields[], product_levels_fields[];

/* availability.c */
int availability_list(struct req *r);
int availability_get(struct req *r);
int availability_update(struct req *r);
int inventory_by_location(struct req *r);
extern const struct field availability_query[], availability_update_fields[];
extern const struct field availability_item_columns[], availability_lines_fields[],
	availability_summary_fields[], availability_update_answer[], location_total_columns[];

/* availability_check.c */
int availability_check(struct req *r);
extern const struct field availability_check_fields[], availability_check_answer[];

/* lot_control.c */
int lot_control_validate_get(struct req *r);
int lot_control_validate_post(struct req *r);
extern const struct field lot_control_query[], lot_control_fields[];
extern const struct field lot_control_answer[], lot_control_movement_answer[];

#endif
