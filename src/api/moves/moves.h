/* SPDX-License-Identifier: MIT */
/*
 * Moving stock: transfers between locations and bins, and put-away tasks.
 * Every movement posts through the ledger.
 */
#ifndef INV_API_MOVES_H
#define INV_API_MOVES_H

#include "api/api.h"

/* transfers.c */
int transfer_list(struct req *r);
int transfer_get(struct req *r);
int transfer_create(struct req *r);
int transfer_action(struct req *r);
extern const struct field transfer_query[], transfer_create_fields[], transfer_action_fields[];
/* A transfer with its lines; the list's rows (without lines). */
extern const struct field transfer_answer[], transfer_columns[];

/* A line of a new transfer: product, lot and source bin narrow the pick
 * (0: any); to_bin is where it goes (0: decided on receipt). */
struct transfer_line_in {
	int64_t product, lot, from_bin, to_bin, quantity;
};

struct transfer_open {
	int64_t from, to;
	const char *reference, *notes, *needed_by;   /* NULL: none */
	int64_t request;                            /* the stock request it fulfils, or 0 */
	const struct transfer_line_in *lines;
	size_t nlines;
};

/*
 * Creates a PENDING transfer with its lines, each picked first expiry
 * first out from what the source can promise and reserved there; stores
 * its id and, when line_ids is not NULL, its lines' ids in order. 409
 * "Insufficient stock" naming the product when the source is short.
 * Returns 0, or the status of the error set (the caller rolls back).
 */
int transfer_open(struct req *r, const struct transfer_open *t, int64_t *id, int64_t *line_ids);
/* The steps of a transfer the caller has locked and checked the status
 * of: SHIP (PENDING), CANCEL (PENDING), and back from SHIPPED to PENDING
 * while nothing arrived (TRANSFER_RETURN, reserved again). Each returns 0
 * or the status of the error set. */
int transfer_ship(struct req *r, int64_t transfer, const char *comment);
int transfer_cancel(struct req *r, int64_t transfer, const char *comment);
int transfer_unship(struct req *r, int64_t transfer, const char *comment);
/* COMPLETE (PENDING, within one location): every pick moved bin to bin. */
int transfer_complete(struct req *r, int64_t transfer, const char *comment);
/* CLOSE (SHIPPED or PARTIALLY_RECEIVED): what is in transit written off
 * with the body's reasonCodeId (TRANSFER_LOSS, no bucket changes). */
int transfer_close(struct req *r, int64_t transfer, const char *comment);

/* What arrived of a transfer line, and where (bin 0: the line's bin, else
 * the receiving bin, else none). */
struct transfer_receipt {
	int64_t line, quantity, bin;
};
/* RECEIVE of rc[0..n) (n 0: everything in transit); errors name
 * "lines[i]". Returns 0 or the status of the error set. */
int transfer_receive(struct req *r, int64_t transfer, const struct transfer_receipt *rc, size_t n,
		     const char *comment);

/*
 * Records a move already posted (the destruction of expired stock) as a
 * COMPLETED transfer of one line: quantity of stock line item, which is of
 * product and lot, from location from to location to, with reference.
 * Stores its id.
 * Returns 0, or the status of the error set.
 */
int transfer_record_done(struct req *r, int64_t from, int64_t to, int64_t product, int64_t lot,
			 int64_t item, int64_t quantity, const char *reference, int64_t *id);

/* (transfer_steps.c holds the steps above, from transfer_ship on.) */

/* transfer_bins.c */
int transfer_bins(struct req *r);
extern const struct field transfer_bins_query[], transfer_bins_answer[];
/*
 * The bin to put a product away into at a location: the inventory level's
 * preferred bin, else the (non-receiving) bin holding most of it. Stores
 * 0 and NULL when there is none. Returns 0, or the status of the error set.
 */
int moves_suggest_bin(struct req *r, int64_t product, int64_t location, int64_t *bin,
		      const char **source);
/* The location's receiving bin, or 0. Returns 0, or the status set. */
int moves_receiving_bin(struct req *r, int64_t location, int64_t *bin);
/* 400 on field unless bin is one of location's bins. */
int moves_check_bin(struct req *r, const char *field, int64_t bin, int64_t location);
/* The next number of kind ("TRF") in the workspace: "TRF-000042". */
int moves_next_number(struct req *r, const char *kind, const char **number);
/* The values a move's "source" of a suggestion takes. */
extern const char *const suggestion_sources[];

/* put_away.c */
int put_away_list(struct req *r);
int put_away_post(struct req *r);
int put_away_action(struct req *r);
extern const struct field put_away_query[], put_away_post_fields[], put_away_action_fields[];
extern const struct field put_away_answer[], put_away_candidates_answer[], put_away_task_columns[];

#endif
