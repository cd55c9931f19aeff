#include "config.h"

#include <string.h>

#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/query.h"

static void release_sql(void *sb)
{
	strbuf_release(sb);
}

/* Placeholders in s (the fragments are ours: no '?' inside literals). */
static size_t count_placeholders(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '?';
	return n;
}

void query_init(struct query *q, struct pool *pool, const char *sql)
{
	memset(q, 0, sizeof(*q));
	q->pool = pool;
	q->sql = pool_alloc(pool, sizeof(*q->sql));
	strbuf_init(q->sql);
	pool_cleanup_add(pool, release_sql, q->sql);
	query_add(q, sql);
}

void query_add(struct query *q, const char *fragment)
{
	strbuf_adds(q->sql, fragment);
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

void query_append(struct query *q, const struct query *part)
{
	size_t i;

	strbuf_add(q->sql, part->sql->buf, part->sql->len);
	q->placeholders += part->placeholders;
	for (i = 0; i < part->nargs; i++)
		query_arg(q, part->args[i]);
}

const char *query_sql(struct query *q)
{
	if (q->placeholders != q->nargs)
		bug("query has %zu placeholders and %zu values: %s", q->placeholders, q->nargs,
		    q->sql->buf);
	return q->sql->buf;
}

int query_run(struct query *q, struct db *db, struct db_result *res)
{
	const char *sql = query_sql(q);

	return db_query(db, q->pool, sql, q->args, q->nargs, res);
}
