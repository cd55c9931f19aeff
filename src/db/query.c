/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "core/pool.h"
#include "core/util.h"
#include "db/query.h"

/* Placeholders in s (the fragments are ours: no '?' inside literals). */
static size_t count_placeholders(const char *s)
{
	size_t n = 0;

	while ((s = strchr(s, '?'))) {
		n++;
		s++;
	}
	return n;
}

/* Appends n bytes of text; the buffer doubles in the pool as it fills. */
static void add_text(struct query *q, const char *text, size_t n)
{
	pool_grow(q->pool, &q->sql, &q->sql_cap, q->len, n, 512);
	memcpy(q->sql + q->len, text, n);
	q->len += n;
	q->sql[q->len] = '\0';
}

void query_init(struct query *q, struct pool *pool, const char *sql)
{
	memset(q, 0, sizeof(*q));
	q->pool = pool;
	query_add(q, sql);
}

void query_add(struct query *q, const char *fragment)
{
	add_text(q, fragment, strlen(fragment));
	q->placeholders += count_placeholders(fragment);
}

void query_arg(struct query *q, struct db_arg arg)
{
	if (q->nargs == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 8;
		struct db_arg *args = pool_calloc(q->pool, cap, sizeof(*args));

		if (q->nargs)
			memcpy(args, q->args, q->nargs * sizeof(*args));
		q->args = args;
		q->cap = cap;
	}
	q->args[q->nargs++] = arg;
}

void query_bind(struct query *q, const char *fragment, struct db_arg arg)
{
	if (count_placeholders(fragment) != 1)
		bug("query fragment '%s' must hold exactly one placeholder", fragment);
	query_add(q, fragment);
	query_arg(q, arg);
}

void query_in(struct query *q, const char *head, const int64_t *ids, size_t n)
{
	size_t padded = 1, i;

	if (!n)
		bug("query_in of no values");
	/* Padded to a power of two with the last id repeated: a handful of
	 * statement texts, each prepared once, whatever n is. */
	while (padded < n)
		padded *= 2;
	query_add(q, head);
	for (i = 0; i < padded; i++) {
		query_add(q, i ? ", ?" : "?");
		query_arg(q, ARG_INT(ids[i < n ? i : n - 1]));
	}
	query_add(q, ")");
}

void query_append(struct query *q, const struct query *part)
{
	size_t i;

	add_text(q, part->sql, part->len);
	q->placeholders += part->placeholders;
	for (i = 0; i < part->nargs; i++)
		query_arg(q, part->args[i]);
}

const char *query_sql(struct query *q)
{
	if (q->placeholders != q->nargs)
		bug("query has %zu placeholders and %zu values: %s", q->placeholders, q->nargs,
		    q->sql);
	return q->sql;
}

int query_run(struct query *q, struct db *db, struct db_result *res)
{
	const char *sql = query_sql(q);

	return db_query(db, q->pool, sql, q->args, q->nargs, res);
}
