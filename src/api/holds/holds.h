/* SPDX-License-Identifier: MIT */
/*
 * Holds, recalls and expired stock.
 */
#ifndef INV_API_HOLDS_H
#define INV_API_HOLDS_H

#include "api/api.h"

/* holds.c */
int holds_list(struct req *r);
int hold_create(struct req *r);
int hold_release(struct req *r);
extern const struct field holds_query[], hold_fields[], hold_release_fields[];
/* A hold with its lines, as the holds routes answer it. */
extern const struct field hold_answer[];

/* recalls.c: the after_update of the lots resource (a recall sweeps stock) */
int lot_after_update(struct req *r, int64_t id, json_object *before);

/* expiry.c */
int expired_list(struct req *r);
int expired_mark(struct req *r);
int expired_consume(struct req *r);
int expired_destroy(struct req *r);
extern const struct field expired_query[], mark_expired_fields[], mark_consumed_fields[],
	transfer_destruction_fields[];
/* Their answers. */
extern const struct field expired_columns[], mark_expired_answer[], mark_consumed_answer[],
	transfer_destruction_answer[];

#endif
