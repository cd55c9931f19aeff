/* SPDX-License-Identifier: MIT */
/*
 * inventoryctl import, inside: the file's reading (import.c) and what a
 * row of each kind means (import_rows.c) share these.
 */
#ifndef INVENTORY_CLI_IMPORT_H
#define INVENTORY_CLI_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "cli/cli.h"

#define MAX_COLUMNS 16

struct csv_row {
	size_t n;                 /* the fields of the record, may exceed MAX_COLUMNS */
	char *cells[MAX_COLUMNS];
};

enum column_flags {
	COL_REQUIRED = 1 << 0,    /* in the header, and never empty */
};

struct import_column {
	const char *name;
	unsigned flags;
	/* What an update sets when the file has the column ("name =
	 * VALUES(name)"); NULL for the key columns, which an update keeps. */
	const char *update;
};

/* How often the rows so far are reported. */
#define PROGRESS_USEC 1000000

struct progress {
	int on, tty;
	const char *kind;
	off_t size;               /* the file's, or 0 when it is not known */
	off_t done;               /* bytes read */
	uint64_t start, last;     /* now_usec() */
};

struct import_ctx {
	struct cli *cli;
	const struct import_kind *kind;
	int64_t ws;
	const char *file;
	int dry_run;
	size_t line;              /* the physical line being read */
	size_t record_line;       /* the line where the current record began */
	int in_record;
	struct csv_row row;
	size_t ncolumns;          /* the header's fields */
	int col[MAX_COLUMNS];     /* index in the row of each declared column, or -1 */
	size_t rows, bad;
	int status;               /* CLI_EXIT_*: stop reading when not 0 */
	struct progress progress;
};

struct import_kind {
	const char *name;
	const struct import_column columns[MAX_COLUMNS];   /* ends with a NULL name */
	/* Imports one row. Returns 0, or -1 after printing the error. */
	int (*row)(struct import_ctx *ctx, struct csv_row *row);
};

/* The kinds of file, in the order inventoryctl import --help lists them. */
extern const struct import_kind import_kinds[];
extern const size_t import_kinds_count;

/* Prints "error: FILE:LINE: message"; returns -1. */
int import_row_error(struct import_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The value of declared column i of the row ("" when the file lacks it). */
const char *import_cell(struct import_ctx *ctx, struct csv_row *row, int i);

#endif
