/* SPDX-License-Identifier: MIT */
/*
 * Shared by the cycle count files; not an API for other handlers. The
 * functions of cycle_count_batch.c are used by the others, those of
 * cycle_count_abc.c by cycle_count.c only, so no two files call each other.
 */
#ifndef INV_CYCLE_COUNT_H
#define INV_CYCLE_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "db/db.h"
#include "http/http.h"

/* At most this many stock lines in a batch (and counts or resolutions in
 * one request). */
#define CC_BATCH_MAX_LINES 1000
/* A stock line is in at most one batch of these states at a time. */
#define CC_OPEN_STATUSES "('CREATED', 'IN_PROGRESS', 'COUNTED')"
/* The seed's 404 for a location that is not the workspace's. */
#define CC_LOCATION_GONE "Location not found or not accessible"
/* A list of ids bound as ONE value, a JSON array (cc_ids_json): one
 * statement text, and one prepared statement, for any number of ids. */
#define CC_JSON_IDS "JSON_TABLE(?, '$[*]' COLUMNS (pos FOR ORDINALITY, id BIGINT PATH '$')) j"

/* cycle_count_batch.c */

/* 1 when query parameter name is "true" or "1". */
int cc_query_bool(const struct req *r, const char *name);
/* "[3,5,8]": ids as a JSON array, for CC_JSON_IDS. */
const char *cc_ids_json(struct req *r, const int64_t *ids, size_t n);
/* Appends the first column of res (ids) to ids[*n..], which has room. */
void cc_append_ids(const struct db_result *res, int64_t *ids, size_t *n);

/* Every status of a batch. */
extern const char *const cc_batch_statuses[];
/* A batch of GET mode=batches; a line of GET mode=to-resolve (a batch
 * with its lines, cc_batch_fields, is in counting.h). */
extern const struct field cc_batch_list_columns[], cc_line_resolve_columns[];
/* The batch with its lines (blind batches hide system quantities until
 * counted), as a value of w. Returns 0, or the status set (404, 500). */
int cc_batch_write(struct req *r, int64_t id, struct jw *w);
/* Answers status_ok with the batch details. Returns the status set. */
int cc_batch_respond(struct req *r, int64_t id, int status_ok);
/*
 * Creates a batch at location of the stock lines ids[0..n) with the body's
 * assigneeId, deadline, blind and notes. Returns 0 with *batch, or the
 * status set: 409 when a line is already in an open batch.
 */
int cc_batch_insert(struct req *r, int64_t location, int64_t *ids, size_t n,
		    const char *source, const char *abc_class, const char *name, int64_t *batch);

/* GET ?mode=batches: the batches at location, a page of them. */
int cc_mode_batches(struct req *r, int64_t location);
/* GET ?mode=to-resolve: the discrepancies of counted batches at location. */
int cc_mode_to_resolve(struct req *r, int64_t location);
/* Opens {"type": type, key: [rows as cols], "count": how many rows: how
 * every mode's answer begins (the caller adds its pagination, closes). */
void cc_mode_write(struct jw *w, const char *type, const char *key, const struct db_result *rows,
		   const struct field *cols);

/* cycle_count_abc.c */

/* GET ?mode=abc-config: {"config": {...}}. Returns the status set. */
int cc_config_respond(struct req *r);
/* GET ?mode=all-products, and mode=suggestions when suggestions is set. */
int cc_mode_products(struct req *r, int64_t location, int suggestions);

#endif
