/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl import: bulk loads of master data and stock from CSV
 * (RFC 4180, read by libcsv, so quoted cells may hold commas, quotes and
 * line breaks). One transaction per file: the first bad line stops the
 * import with its line number, and nothing of the file is written;
 * --dry-run reads the whole file, prints every bad line and writes
 * nothing. Rows are created, or updated when their key (SKU, code, name)
 * exists; an update changes only the columns the file has. Stock is
 * posted through the ledger, so every imported quantity has its
 * transaction.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"

/* ---------------------------------------------------------------- header */

/* The edit distance of a and b, ignoring case, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[64];

	if (la >= ARRAY_SIZE(d) || lb >= ARRAY_SIZE(d))
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = d[0];

		d[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = d[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			d[j] = best;
			diag = up;
		}
	}
	return d[lb];
}

/* Prints that name is no column of the kind, with the nearest one. */
static int unknown_column(struct import_ctx *ctx, const char *name)
{
	const struct import_column *col, *nearest = NULL;
	struct strbuf known = STRBUF_INIT;
	size_t best = (size_t)-1;

	for (col = ctx->kind->columns; col->name; col++) {
		size_t d = edit_distance(name, col->name);

		if (d < best) {
			best = d;
			nearest = col;
		}
		strbuf_addf(&known, "%s%s", known.len ? ", " : "", col->name);
	}
	if (nearest && best <= strlen(nearest->name) / 2)
		import_row_error(ctx, "unknown column '%s' for %s: did you mean '%s'?", name,
			  ctx->kind->name, nearest->name);
	else
		import_row_error(ctx, "unknown column '%s' for %s (the columns are %s)", name,
			  ctx->kind->name, known.buf);
	strbuf_release(&known);
	return -1;
}

/* Maps the header's names to the kind's columns. Returns 0 or -1. */
static int read_header(struct import_ctx *ctx, struct csv_row *hdr)
{
	const struct import_column *col;
	size_t k, i;

	if (hdr->n > MAX_COLUMNS)
		return import_row_error(ctx, "the header has %zu columns: %s has %d at most", hdr->n,
				 ctx->kind->name, MAX_COLUMNS);
	for (k = 0; k < MAX_COLUMNS; k++)
		ctx->col[k] = -1;
	for (i = 0; i < hdr->n; i++) {
		for (col = ctx->kind->columns, k = 0; col->name; col++, k++)
			if (!strcmp(hdr->cells[i], col->name))
				break;
		if (!col->name)
			return unknown_column(ctx, hdr->cells[i]);
		if (ctx->col[k] >= 0)
			return import_row_error(ctx, "the header names column '%s' twice", col->name);
		ctx->col[k] = (int)i;
	}
	for (col = ctx->kind->columns, k = 0; col->name; col++, k++)
		if (ctx->col[k] < 0 && (col->flags & COL_REQUIRED))
			return import_row_error(ctx, "the header has no column '%s'", col->name);
	ctx->ncolumns = hdr->n;
	return 0;
}

static int required_cells(struct import_ctx *ctx, struct csv_row *row)
{
	const struct import_column *col;
	int k;

	for (col = ctx->kind->columns, k = 0; col->name; col++, k++)
		if ((col->flags & COL_REQUIRED) && !*import_cell(ctx, row, k))
			return import_row_error(ctx, "%s is required: the cell is empty", col->name);
	return 0;
}

static void progress_show(struct progress *p, size_t rows, int last)
{
	uint64_t now = now_usec();
	double secs = (double)(now - p->start) / 1e6;
	double rate = secs > 0 ? (double)rows / secs : 0;

	if (!p->on || (!last && now - p->last < PROGRESS_USEC))
		return;
	p->last = now;
	fprintf(stderr, "%s%s: %zu rows, %.0f rows/s", p->tty ? "\r" : "", p->kind, rows, rate);
	if (last) {
		fprintf(stderr, " in %.1f s\n", secs);
		return;
	}
	if (p->size > 0 && p->done > 0) {
		double part = (double)p->done / (double)p->size;

		fprintf(stderr, ", %.0f%%, ETA %.0f s", part * 100, secs * (1 - part) / part);
	}
	fputs(p->tty ? "\033[K" : "\n", stderr);
}

/* ---------------------------------------------------------------- rows */

/* One record of the file: the header, or a row to import. */
static void end_record(struct import_ctx *ctx)
{
	struct csv_row *row = &ctx->row;

	ctx->in_record = 0;
	if (ctx->status)
		return;
	if (!ctx->ncolumns) {
		if (read_header(ctx, row))
			ctx->status = CLI_EXIT_DATA;
		goto out;
	}
	ctx->rows++;
	if (row->n != ctx->ncolumns)
		import_row_error(ctx, "the line has %zu fields, the header %zu", row->n, ctx->ncolumns);
	else if (!required_cells(ctx, row) && !ctx->kind->row(ctx, row))
		goto out;
	/* A database gone set status already. */
	ctx->bad++;
	if (!ctx->dry_run && !ctx->status)
		ctx->status = CLI_EXIT_DATA;
out:
	row->n = 0;
	/* Keep memory flat on large files. */
	if (ctx->rows % 1000 == 0)
		pool_reset(ctx->cli->pool);
	progress_show(&ctx->progress, ctx->rows, 0);
}

static void on_field(void *data, size_t len, void *arg)
{
	struct import_ctx *ctx = arg;

	if (!ctx->in_record) {
		ctx->in_record = 1;
		ctx->record_line = ctx->line;
	}
	if (ctx->row.n < MAX_COLUMNS)
		ctx->row.cells[ctx->row.n] = pool_strndup(ctx->cli->pool, data ? data : "", len);
	ctx->row.n++;
}

static void on_record(int c, void *arg)
{
	(void)c;
	end_record(arg);
}

/* Spaces are part of a field (RFC 4180): nothing is trimmed. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int blank_line(const char *line)
{
	return !line[strspn(line, "\r\n")];
}

/*
 * Feeds the file to the parser line by line, so that every record knows
 * the line it began on. Returns 0, or -1 after printing the error (and
 * setting ctx->status) when the file is not CSV or cannot be read.
 */
static int read_records(struct import_ctx *ctx, FILE *f)
{
	struct csv_parser parser;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = -1;

	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		error("unable to start the CSV parser");
		ctx->status = CLI_EXIT_FAIL;
		return -1;
	}
	csv_set_space_func(&parser, no_space);
	while (!ctx->status && (len = getline(&line, &cap, f)) >= 0) {
		char *p = line;

		ctx->line++;
		ctx->progress.done += len;
		if (ctx->line == 1 && !strncmp(p, "\xef\xbb\xbf", 3)) {
			p += 3;
			len -= 3;
		}
		if (!ctx->in_record && !blank_line(p)) {
			ctx->in_record = 1;
			ctx->record_line = ctx->line;
		}
		if (csv_parse(&parser, p, (size_t)len, on_field, on_record, ctx) != (size_t)len) {
			ctx->record_line = ctx->line;
			goto bad_csv;
		}
	}
	if (ferror(f)) {
		error("unable to read '%s': %s", ctx->file, strerror(errno));
		ctx->status = CLI_EXIT_FAIL;
		goto out;
	}
	if (!ctx->status && csv_fini(&parser, on_field, on_record, ctx))
		goto bad_csv;
	ret = 0;
	goto out;
bad_csv:
	import_row_error(ctx, "malformed CSV: %s (a quote must open a field and be doubled inside one,"
		  " and a quoted field must end); the rest of the file was not read",
		  csv_strerror(csv_error(&parser)));
	ctx->bad++;
	ctx->status = CLI_EXIT_DATA;
out:
	csv_free(&parser);
	free(line);
	return ret;
}

/* The file to read: FILE, or standard input for '-'. */
static FILE *open_input(struct import_ctx *ctx)
{
	struct stat st;
	FILE *f;

	if (!strcmp(ctx->file, "-")) {
		ctx->file = "standard input";
		f = stdin;
	} else if (!(f = fopen(ctx->file, "r"))) {
		error("unable to open '%s': %s", ctx->file, strerror(errno));
		return NULL;
	}
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode))
		ctx->progress.size = st.st_size;
	return f;
}

int cmd_import(struct cli *c)
{
	struct import_ctx ctx = { .cli = c, .dry_run = !!c->opt[CLI_OPT_DRY_RUN] };
	const char *ws = c->opt[CLI_OPT_WORKSPACE];
	FILE *f = NULL;
	size_t i;
	int ret = CLI_EXIT_FAIL, in_tx = 0;

	if (c->nargs != 2 || !ws) {
		cli_usage(c, stderr);
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < import_kinds_count; i++)
		if (!strcmp(import_kinds[i].name, c->args[0]))
			ctx.kind = &import_kinds[i];
	if (!ctx.kind) {
		error("unknown import kind '%s'", c->args[0]);
		return CLI_EXIT_USAGE;
	}
	ctx.file = c->args[1];
	if (!(f = open_input(&ctx)))
		goto out;
	if (!(ctx.ws = cli_workspace_id(c, ws))) {
		ret = db_unavailable(c->db) ? CLI_EXIT_DATABASE : CLI_EXIT_FAIL;
		goto out;
	}
	if (db_begin(c->db)) {
		error("database: %s", db_error(c->db));
		ret = CLI_EXIT_DATABASE;
		goto out;
	}
	in_tx = 1;
	ctx.progress.tty = isatty(STDERR_FILENO);
	ctx.progress.on = c->opt[CLI_OPT_PROGRESS] || ctx.progress.tty;
	ctx.progress.kind = ctx.kind->name;
	ctx.progress.start = ctx.progress.last = now_usec();
	read_records(&ctx, f);
	if (ctx.status && ctx.status != CLI_EXIT_DATA) {
		ret = ctx.status;
		goto out;
	}
	if (ctx.line == 0 || (!ctx.ncolumns && !ctx.status)) {
		error("%s: the file is empty", ctx.file);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	if (ctx.bad || ctx.status) {
		if (ctx.dry_run && ctx.bad)
			fprintf(stderr, "%s: %zu bad lines in %zu rows\n", ctx.file, ctx.bad, ctx.rows);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	progress_show(&ctx.progress, ctx.rows, 1);
	if (ctx.dry_run) {
		printf("%s: %zu %s, no bad line (dry run: nothing was written)\n", ctx.file,
		       ctx.rows, ctx.kind->name);
		ret = 0;
		goto out;
	}
	if (db_commit(c->db)) {
		error("database: %s", db_error(c->db));
		ret = CLI_EXIT_DATABASE;
		goto out;
	}
	in_tx = 0;
	printf("imported %zu %s from %s\n", ctx.rows, ctx.kind->name, ctx.file);
	ret = 0;
out:
	if (in_tx) {
		db_rollback(c->db);
		fprintf(stderr, "nothing was %s\n", ctx.dry_run ? "written (dry run)" : "imported");
	}
	if (f && f != stdin)
		fclose(f);
	return ret;
}
