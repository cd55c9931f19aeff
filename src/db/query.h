/* SPDX-License-Identifier: MIT */
/*
 * A query built from fixed SQL fragments and bound values: the statement
 * text is only ever the program's own fragments, every value travels as a
 * bound argument, and the argument array grows as needed (no array sized
 * by hand, nothing written past its end). Everything lives in the pool.
 *
 *	struct query q;
 *
 *	query_init(&q, pool, "SELECT id, name FROM products WHERE workspace_id = ?");
 *	query_arg(&q, ARG_INT(ws));
 *	if (category)
 *		query_bind(&q, " AND category_id = ?", ARG_INT(category));
 *	query_add(&q, " ORDER BY id");
 *	db_query(db, pool, query_sql(&q), q.args, q.nargs, &res);
 */
#ifndef INV_QUERY_H
#define INV_QUERY_H

#include <stddef.h>

#include "db/db.h"

struct query {
	struct pool *pool;
	char *sql;                  /* the text, NUL-terminated, in the pool */
	size_t len, sql_cap;
	struct db_arg *args;
	size_t nargs;
	size_t cap;
	size_t placeholders;        /* '?' in the text so far */
};

/* Starts a query with the fixed text sql (which may hold placeholders). */
void query_init(struct query *q, struct pool *pool, const char *sql);
/* Appends fixed SQL text. */
void query_add(struct query *q, const char *fragment);
/* Adds a value for the next placeholder already in the text. */
void query_arg(struct query *q, struct db_arg arg);
/* Appends fragment, which holds exactly one placeholder, and its value. */
void query_bind(struct query *q, const char *fragment, struct db_arg arg);
/*
 * Appends head (fixed text ending in "IN (", such as " AND t.id IN ("), a
 * placeholder per id, n >= 1 of them, and ")", with the ids as values.
 */
void query_in(struct query *q, const char *head, const int64_t *ids, size_t n);
/*
 * Appends the text and the values of part, which may hold values for
 * placeholders of q's text (a list's conditions and the values of the
 * heads they follow: see api_list_page).
 */
void query_append(struct query *q, const struct query *part);
/* The statement text (valid until the pool is reset). Values and
 * placeholders must match in number: a mismatch is a bug. */
const char *query_sql(struct query *q);
/* Runs the query with db_query. Returns 0 or -1 (see db_errno). */
int query_run(struct query *q, struct db *db, struct db_result *res);

#endif
