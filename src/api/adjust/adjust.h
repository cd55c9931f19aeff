/* SPDX-License-Identifier: MIT */
/*
 * Adjustments: setting on-hand quantities, the stock history, reason
 * codes, recorded stock, lot corrections and typed adjustments with
 * manager approval.
 */
#ifndef INV_API_ADJUST_H
#define INV_API_ADJUST_H

#include "api/api.h"
#include "ledger/record.h"

/* adjustments.c */
int adjust_set(struct req *r);
int adjustments_history(struct req *r);
int adjustment_reason_codes(struct req *r);
int record_stock_list(struct req *r);
extern const struct field adjust_fields[], adjustments_query[], adjust_answer[],
	adjustment_history_columns[], reason_codes_answer[];
struct export_source;
/* The stock transactions as inventoryctl export writes them. */
extern const struct export_source transaction_export_source;

/* record_stock.c */
int lot_correction(struct req *r);
int record_stock(struct req *r);
/* The answer to a stock_record status (ledger/record.h): what names what
 * failed (STOCK_ERROR), id_field and number_field the body's names of the
 * lot. Returns the status of the error set. */
int record_stock_error(struct req *r, enum stock_status st, const char *what,
		       const char *id_field, const char *number_field);
extern const struct field lot_correction_fields[], record_stock_fields[],
	lot_correction_answer[], record_stock_answer[];

/* stock_adjustments.c: typed adjustments with manager approval */
int stock_adjustment_create(struct req *r);
int stock_adjustment_list(struct req *r);
int stock_adjustment_get(struct req *r);
int stock_adjustment_pending(struct req *r);
int stock_adjustment_approve(struct req *r);
int stock_adjustment_reject(struct req *r);
int stock_adjustment_for_product(struct req *r);
extern const struct field stock_adjustment_fields[], stock_adjustment_query[],
	stock_adjustment_decision_fields[], stock_adjustment_approve_fields[],
	stock_adjustment_columns[];

#endif
