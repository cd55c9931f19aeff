/* SPDX-License-Identifier: MIT */
/*
 * Public ids: every object leaves the API as "<prefix>_<number>" (for
 * example "prod_42"), so an id says what it names. One enum, one table.
 */
#ifndef INV_IDS_H
#define INV_IDS_H

#include <stdint.h>

struct pool;

enum id_kind {
	ID_NONE,
	ID_WORKSPACE,
	ID_APIKEY,
	ID_CATEGORY,
	ID_PRODUCT,
	ID_LOCATION,
	ID_BIN,
	ID_LOT,
	ID_CHANNEL,
	ID_REASON_CODE,
	ID_ITEM,          /* a stock line */
	ID_TRANSACTION,
	ID_LEVEL,
	ID_ADJUSTMENT,    /* a typed stock adjustment */
	ID_HOLD,
	ID_CYCLE_BATCH,   /* a cycle count batch */
	ID_CYCLE_LINE,    /* a line of a cycle count batch */
	ID_COUNT,         /* an inventory count session */
	ID_COUNT_ITEM,
	ID_TRANSFER,
	ID_TRANSFER_LINE,
	ID_PUT_AWAY,      /* a put-away task */
	ID_PUT_AWAY_LINE,
	ID_STOCK_REQUEST,
	ID_STOCK_REQUEST_LINE,
	ID_REPLENISHMENT,
	ID_REPLENISHMENT_LINE,
	ID_POLICY,        /* a channel's ATP policy */
	ID__MAX
};

extern const char *const id_prefixes[ID__MAX];

/* Returns "<prefix>_<n>" from the pool. */
const char *id_format(struct pool *pool, enum id_kind kind, int64_t n);
/* Parses "<prefix>_<n>" with n > 0 written without leading zeros (one
 * spelling per id); returns n, or 0 when s is not one. */
int64_t id_parse(enum id_kind kind, const char *s);



/* The table that holds objects of kind, and its name in messages. */
extern const char *const id_tables[ID__MAX];
extern const char *const id_nouns[ID__MAX];
#endif
