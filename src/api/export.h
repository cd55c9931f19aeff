/* SPDX-License-Identifier: MIT */
/*
 * Exports: the rows of a declared column table (struct field with .column,
 * as the lists use) written as CSV or NDJSON in chunks, each chunk handed
 * on as soon as it is read, so that memory never grows with the number of
 * rows. The bytes go to a sink: the HTTP answer (export_http_begin) or a
 * file (inventoryctl export).
 *
 * An HTTP handler whose rows come from one query uses export_respond with
 * an export_source. One that computes its rows:
 *
 *	struct export ex;
 *
 *	(validate everything first: once a row is out the status is 200)
 *	export_http_begin(r, &ex, columns, "channel-location");
 *	while (more rows) {
 *		if (db_query(r->db, ex.pool, ...))   (a chunk, in ex.pool)
 *			return export_http_end(r, &ex, "the database failed");
 *		for (each row)
 *			export_row(&ex, &res, i);
 *		if (export_flush(&ex))             (sends the chunk; empties ex.pool)
 *			break;                         (the client went away)
 *	}
 *	return export_http_end(r, &ex, NULL);
 */
#ifndef INV_API_EXPORT_H
#define INV_API_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "db/db.h"
#include "db/query.h"
#include "http/http.h"
#include "routes.h"

enum export_format { EXPORT_CSV, EXPORT_NDJSON, EXPORT__MAX };

/* "csv", "ndjson" and a NULL: the .values of a format query field. */
extern const char *const export_format_names[EXPORT__MAX + 1];
/* The Content-Type of each format. */
extern const char *const export_media_types[EXPORT__MAX];

/* The query field format=csv|ndjson (default csv) of an export route. */
#define EXPORT_FORMAT_QUERY \
	{ .name = "format", .type = FIELD_STRING, .values = export_format_names, \
	  .description = "csv (RFC 4180, the default) or ndjson (one JSON object per line)" },

/* Rows a chunk holds: one query, one flush. */
#define EXPORT_CHUNK_ROWS 1000

/* Parses a format's name; NULL or "" is csv. Returns 0, or -1 for another name. */
int export_format_parse(const char *name, enum export_format *format);

/* Where the bytes of an export go. */
struct export_sink {
	/* Takes len bytes. Returns 0, or -1 when they cannot be delivered. */
	int (*write)(void *ctx, const char *buf, size_t len);
	void *ctx;
};

struct export {
	enum export_format format;
	const struct field *columns;
	struct export_sink sink;
	struct pool *pool;        /* the chunk's memory, emptied by export_flush */
	struct jw w;              /* the chunk's bytes, in pool */
	uint64_t rows;            /* rows written so far */
	int failed;               /* the sink refused bytes: stop */
};

/*
 * Starts an export of rows of columns (a FIELDS_END-terminated table of
 * columns, as api_select takes) into sink: a CSV export begins with its
 * header line, the columns' names (a nested object's members as
 * "object.member"). Release it with export_release.
 */
void export_init(struct export *ex, enum export_format format, const struct field *columns,
		 struct export_sink sink);
/* Row row of res, whose columns are ex's (in SELECT order). */
void export_row(struct export *ex, const struct db_result *res, size_t row);
/* Hands the bytes written since the last flush to the sink and empties
 * ex->pool. Returns 0, or -1 when the sink refused them. */
int export_flush(struct export *ex);
/*
 * Ends an export that is incomplete with a line that says so, then
 * flushes: NDJSON {"error": "Export incomplete", "message": message},
 * CSV "#error Export incomplete: message" (no row starts with '#': the
 * first column is an id). Returns 0 or -1 as export_flush.
 */
int export_fail(struct export *ex, const char *message);
void export_release(struct export *ex);

/*
 * The CSV header's names of columns, "deltas.onHand" for a nested
 * object's member: calls fn(ctx, name) for each, in order. name lives
 * until the next call.
 */
void export_column_names(const struct field *columns, void (*fn)(void *ctx, const char *name),
			 void *ctx);

/*
 * Rows read by keyset: the columns' first one is an integer key (an id),
 * and each chunk is the rows after the last key sent, never an offset.
 * Each chunk's query is "SELECT <columns>", from, the conditions, then
 * keyset, whose two placeholders take the last key and the chunk's size.
 * Choose a chunk's keys on an index first and join only its rows
 * (" FROM (SELECT t.id FROM t WHERE t.workspace_id = ?", conditions,
 * " AND t.id > ? ORDER BY t.id LIMIT ?) page JOIN t ON ..."): a plain join
 * may be planned from another table, sorting the whole workspace for
 * every chunk.
 */
struct export_source {
	const char *name;            /* the file name's stem: "inventory" */
	const struct field *columns;
	const char *from;            /* " FROM ... WHERE t.workspace_id = ?" */
	const char *keyset;          /* " AND t.id > ? ORDER BY t.id LIMIT ?" */
	const char *location_sql;    /* " AND t.location_id = ?" (inventoryctl --location) */
	/* The key is no column of the rows: from selects it after them
	 * (", t.id FROM ..."), and the rows are written without it. */
	int key_last;
};

/*
 * Writes every row of src that the conditions of where select (where as
 * api_where_init builds it: the workspace's id first, then " AND ..."
 * fragments and their values) to ex, EXPORT_CHUNK_ROWS per query, flushing
 * after each chunk; calls progress(ctx, rows so far) after each flush when
 * given. Returns 0 when every row was written, or -1: ex->failed set when
 * the sink refused bytes, else a database error (see db_errno).
 */
int export_keyset(struct db *db, struct export *ex, const struct export_source *src,
		  const struct query *where, void (*progress)(void *ctx, uint64_t rows), void *ctx);

/*
 * Sets ex up as the streamed answer of an export, in the format of the
 * query's "format" (declared with EXPORT_FORMAT_QUERY, so validated), as
 * the attachment "<name>.csv" or "<name>.ndjson". The head (200) goes out
 * with the first flush that has bytes. ex->pool is released with the
 * request. Always end it with export_http_end.
 */
void export_http_begin(struct req *r, struct export *ex, const struct field *columns,
		       const char *name);
/*
 * Ends the answer of ex. With failure (what failed, for the log): before
 * anything was sent, the usual JSON error (500, or 503 when the database
 * is unreachable); after, export_fail's line and a transfer cut short, so
 * that the client sees an incomplete body. Returns the status set.
 */
int export_http_end(struct req *r, struct export *ex, const char *failure);
/* Answers every row of src that where selects in the query's format.
 * Returns the status set (200 once a byte was sent). */
int export_respond(struct req *r, const struct export_source *src, const struct query *where);

#endif
