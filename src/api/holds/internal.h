/* SPDX-License-Identifier: MIT */
/*
 * Shared by the holds files (holds.c, recalls.c, expiry.c); not an API for
 * other handlers.
 */
#ifndef INV_API_HOLDS_INTERNAL_H
#define INV_API_HOLDS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "http/http.h"
#include "ledger/ledger.h"

/* holds.c: the ledger helpers */

/* A whole-number body field; returns 1 and sets *out when it is present. */
int holds_body_int(struct req *r, const char *name, int64_t *out);
/* Who acts, "system" when nobody is named. */
const char *holds_actor(const struct req *r);
/* The workspace's ledger rules. Returns 0 or the status of the error set. */
int holds_read_settings(struct req *r, struct ledger_settings *s);
/* Posts e for the request's workspace and actor. Returns 0 or the status
 * of the error set (409 Insufficient stock when the ledger refuses). */
int holds_post(struct req *r, struct ledger_entry *e, struct ledger_result *out);
/* Runs sql (its first column an id) and returns the ids from the pool.
 * Returns 0 or the status of the error set. */
int holds_query_ids(struct req *r, const char *sql, const struct db_arg *args, size_t nargs,
		    int64_t **ids, size_t *n);
/* Locks the stock lines ids[0..n) in ascending id order. */
int holds_lock_lines(struct req *r, int64_t *ids, size_t n);

/* recalls.c: sweeping stock into a bucket */

/*
 * Which stock lines a sweep touches: a condition on sl (the stock line)
 * and lt (its lot) with one placeholder. Fixed text, never input.
 */
extern const char sweep_scope_line[], sweep_scope_lot[], sweep_scope_location[];

enum sweep { SWEEP_RECALL, SWEEP_RECALL_RELEASE, SWEEP_EXPIRE };

/* What a sweep changed: the lines, in id order, and how much of each it
 * moved to the expired bucket (arrays in the request's pool). */
struct sweep_out {
	int64_t *line_ids;
	int64_t *marked;
	size_t lines;
	int64_t quantity;
};

/*
 * Sweeps the stock lines of the scope (which have lots): locks them in id
 * order, ends the holds on them and posts one forced transaction of type
 * per line that changes. Returns 0 or the status of the error set.
 */
int holds_sweep(struct req *r, enum sweep kind, const char *scope, int64_t arg,
		const char *type, const char *comment, struct sweep_out *out);

#endif
