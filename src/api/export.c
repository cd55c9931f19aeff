/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/ids.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

const char *const export_format_names[EXPORT__MAX + 1] = {
	[EXPORT_CSV] = "csv", [EXPORT_NDJSON] = "ndjson", [EXPORT__MAX] = NULL,
};

const char *const export_media_types[EXPORT__MAX] = {
	[EXPORT_CSV] = "text/csv; charset=utf-8", [EXPORT_NDJSON] = "application/x-ndjson",
};

int export_format_parse(const char *name, enum export_format *format)
{
	int f;

	*format = EXPORT_CSV;
	if (!name || !*name)
		return 0;
	for (f = 0; f < EXPORT__MAX; f++) {
		if (!strcmp(name, export_format_names[f])) {
			*format = (enum export_format)f;
			return 0;
		}
	}
	return -1;
}

/* ---------------------------------------------------------------- CSV */

/* CSV lines end in CRLF, as RFC 4180 has it. */
#define CSV_EOL "\r\n"

/*
 * Text as one CSV field: quoted when it holds a comma, a quote, CR or LF,
 * with its quotes doubled. An empty text is "" and NULL nothing at all, so
 * that a reader that cares can tell them apart.
 */
static void csv_text(struct jw *w, const char *s)
{
	const char *quote;

	if (!s)
		return;
	if (!*s) {
		jw_raw(w, "\"\"", 2);
		return;
	}
	if (!s[strcspn(s, ",\"\r\n")]) {
		jw_raw(w, s, strlen(s));
		return;
	}
	jw_raw(w, "\"", 1);
	for (; (quote = strchr(s, '"')); s = quote + 1) {
		jw_raw(w, s, (size_t)(quote - s) + 1);
		jw_raw(w, "\"", 1);
	}
	jw_raw(w, s, strlen(s));
	jw_raw(w, "\"", 1);
}

/* One cell as the text of its JSON value: ids with their prefix, numbers
 * and booleans as JSON writes them (no character CSV would quote). */
static void csv_cell(struct jw *w, const struct field *f, const char *cell)
{
	if (!cell)
		return;
	if (f->type == FIELD_ID) {
		jw_raw(w, id_prefixes[f->kind], strlen(id_prefixes[f->kind]));
		jw_raw(w, "_", 1);
		jw_raw(w, cell, strlen(cell));
	} else if (f->type == FIELD_INTEGER || f->type == FIELD_NUMBER || f->type == FIELD_BOOLEAN) {
		/* Outside any container jw writes a value's bare text. */
		api_write_cell(w, f, cell);
	} else {
		csv_text(w, cell);
	}
}

/* The cells of cols from *col on, as api_select laid them out (a nested
 * object's members follow in place); *n counts the fields written. */
static void csv_cells(struct jw *w, const struct field *cols, char *const *cells, size_t *col,
		      size_t *n)
{
	const struct field *f;

	for (f = cols; f->name; f++) {
		if (f->type == FIELD_OBJECT && f->items && !f->column) {
			csv_cells(w, f->items, cells, col, n);
			continue;
		}
		if ((*n)++)
			jw_raw(w, ",", 1);
		csv_cell(w, f, cells[(*col)++]);
	}
}

static void column_names(const struct field *cols, struct strbuf *prefix,
			 void (*fn)(void *ctx, const char *name), void *ctx)
{
	const struct field *f;
	size_t len = prefix->len;

	for (f = cols; f->name; f++) {
		strbuf_adds(prefix, f->name);
		if (f->type == FIELD_OBJECT && f->items && !f->column) {
			strbuf_addch(prefix, '.');
			column_names(f->items, prefix, fn, ctx);
		} else {
			fn(ctx, prefix->buf);
		}
		strbuf_setlen(prefix, len);
	}
}

void export_column_names(const struct field *columns, void (*fn)(void *ctx, const char *name),
			 void *ctx)
{
	struct strbuf prefix = STRBUF_INIT;

	column_names(columns, &prefix, fn, ctx);
	strbuf_release(&prefix);
}

static void csv_header_name(void *ctx, const char *name)
{
	struct jw *w = ctx;

	if (w->len)
		jw_raw(w, ",", 1);
	csv_text(w, name);
}

/* ---------------------------------------------------------------- export */

void export_init(struct export *ex, enum export_format format, const struct field *columns,
		 struct export_sink sink)
{
	memset(ex, 0, sizeof(*ex));
	ex->format = format;
	ex->columns = columns;
	ex->sink = sink;
	ex->pool = pool_create();
	jw_init(&ex->w, ex->pool);
	if (format == EXPORT_CSV) {
		export_column_names(columns, csv_header_name, &ex->w);
		jw_raw(&ex->w, CSV_EOL, strlen(CSV_EOL));
	}
}

void export_row(struct export *ex, const struct db_result *res, size_t row)
{
	size_t col = 0, n = 0;

	if (ex->format == EXPORT_NDJSON) {
		api_write_row(&ex->w, res, row, ex->columns);
		jw_raw(&ex->w, "\n", 1);
	} else {
		csv_cells(&ex->w, ex->columns, res->cells + row * res->ncols, &col, &n);
		jw_raw(&ex->w, CSV_EOL, strlen(CSV_EOL));
	}
	ex->rows++;
}

int export_flush(struct export *ex)
{
	size_t len;
	const char *bytes = jw_bytes(&ex->w, &len);

	if (!ex->failed && len && ex->sink.write(ex->sink.ctx, bytes, len))
		ex->failed = 1;
	pool_reset(ex->pool);
	jw_init(&ex->w, ex->pool);
	return ex->failed ? -1 : 0;
}

int export_fail(struct export *ex, const char *message)
{
	if (ex->format == EXPORT_NDJSON) {
		jw_open(&ex->w, '{');
		jw_kstr(&ex->w, "error", "Export incomplete");
		jw_kstr(&ex->w, "message", message);
		jw_close(&ex->w, '}');
		jw_raw(&ex->w, "\n", 1);
	} else {
		jw_raw(&ex->w, "#error Export incomplete: ", strlen("#error Export incomplete: "));
		jw_raw(&ex->w, message, strlen(message));
		jw_raw(&ex->w, CSV_EOL, strlen(CSV_EOL));
	}
	return export_flush(ex);
}

void export_release(struct export *ex)
{
	pool_destroy(ex->pool);
	ex->pool = NULL;
}

int export_keyset(struct db *db, struct export *ex, const struct export_source *src,
		  const struct query *where, void (*progress)(void *ctx, uint64_t rows), void *ctx)
{
	int64_t last = 0;
	size_t n, i;

	do {
		struct db_result res;
		struct query q;

		/* Built anew in the chunk's pool, which the flush empties. */
		query_init(&q, ex->pool, api_select(src->columns));
		query_add(&q, src->from);
		query_append(&q, where);
		query_add(&q, src->keyset);
		query_arg(&q, ARG_INT(last));
		query_arg(&q, ARG_INT(EXPORT_CHUNK_ROWS));
		if (query_run(&q, db, &res))
			return -1;
		n = res.nrows;
		for (i = 0; i < n; i++)
			export_row(ex, &res, i);
		if (n)
			last = db_cell_int(&res, n - 1, src->key_last ? res.ncols - 1 : 0);
		if (export_flush(ex))
			return -1;
		if (progress)
			progress(ctx, ex->rows);
	} while (n == EXPORT_CHUNK_ROWS);
	return 0;
}

/* ---------------------------------------------------------------- HTTP */

/* The answer an HTTP export streams into. */
struct http_sink {
	struct req *r;
	const char *media_type;
	const char *filename;
};

/* Sends the head unless it went out already. Returns 0 or -1. */
static int http_sink_begin(struct http_sink *hs)
{
	if (hs->r->streaming)
		return hs->r->stream_cut ? -1 : 0;
	return req_stream_begin(hs->r, hs->media_type, hs->filename);
}

/* A chunk goes to the client as soon as it is written; the head with the
 * first, so that an export whose first query fails still answers an error. */
static int http_sink_write(void *ctx, const char *buf, size_t len)
{
	struct http_sink *hs = ctx;

	if (http_sink_begin(hs) || req_stream_write(hs->r, buf, len))
		return -1;
	return req_stream_flush(hs->r);
}

static void destroy_pool(void *pool)
{
	pool_destroy(pool);
}

void export_http_begin(struct req *r, struct export *ex, const struct field *columns,
		       const char *name)
{
	struct http_sink *hs = pool_calloc(r->pool, 1, sizeof(*hs));
	enum export_format format;

	/* The route declared the values: anything else was answered 400. */
	if (export_format_parse(req_query(r, "format"), &format))
		bug("export format '%s' passed validation", req_query(r, "format"));
	hs->r = r;
	hs->media_type = export_media_types[format];
	hs->filename = pool_printf(r->pool, "%s.%s", name, export_format_names[format]);
	export_init(ex, format, columns, (struct export_sink){ http_sink_write, hs });
	/* Released with the request, whichever way the handler ends. */
	pool_cleanup_add(r->pool, destroy_pool, ex->pool);
}

int export_http_end(struct req *r, struct export *ex, const char *failure)
{
	if (failure && !r->streaming)
		return req_internal_error(r, failure);
	if (failure) {
		export_fail(ex, failure);
		req_stream_cut(r);
	} else {
		export_flush(ex);
		/* Nothing at all to send (NDJSON without rows): an empty body. */
		http_sink_begin(ex->sink.ctx);
	}
	return req_stream_end(r);
}

int export_respond(struct req *r, const struct export_source *src, const struct query *where)
{
	struct export ex;

	export_http_begin(r, &ex, src->columns, src->name);
	/* HEAD: the head alone, without reading a row. */
	if (r->method == HTTP_HEAD)
		return export_http_end(r, &ex, NULL);
	if (export_keyset(r->db, &ex, src, where, NULL, NULL) && !ex.failed) {
		const char *what = pool_printf(r->pool, "the database failed after %llu rows",
					       (unsigned long long)ex.rows);

		/* The log line will say 200: this one says why the body is short. */
		if (r->streaming)
			fprintf(stderr, "%s error: %s: export incomplete: %s (db %u: %s)\n",
				r->request_id, req_log_path(r), what, db_errno(r->db),
				log_escape(r->pool, db_error(r->db)));
		return export_http_end(r, &ex, what);
	}
	return export_http_end(r, &ex, NULL);
}
