/* SPDX-License-Identifier: MIT */
/*
 * Route matching: the request's method and path against the route table,
 * whose patterns are split into segments once per process.
 */
#include "config.h"

#include <string.h>

#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "routes.h"

/*
 * Paths are compared segment by segment. The route table's patterns are
 * split once per process; a request's path once per request.
 */
#define ROUTE_MAX_SEGMENTS 8

struct segment {
	const char *s;
	size_t len;
	int param;              /* "[name]": any non-empty segment */
};

struct segments {
	size_t n;
	struct segment seg[ROUTE_MAX_SEGMENTS];
};

/* Splits path ("/a/b") into its segments. Returns -1 when it does not
 * start with '/' or has too many to match any route. */
static int split_path(const char *path, struct segments *out)
{
	const char *p = path;

	out->n = 0;
	if (*p != '/')
		return -1;
	while (*p == '/') {
		const char *start = ++p;

		while (*p && *p != '/')
			p++;
		if (out->n == ROUTE_MAX_SEGMENTS)
			return -1;
		out->seg[out->n].s = start;
		out->seg[out->n].len = (size_t)(p - start);
		out->seg[out->n].param = *start == '[';
		out->n++;
	}
	return 0;
}

/* The routes' patterns split, in table order; built on first use. */
static const struct segments *route_segments(void)
{
	static struct segments *table;
	size_t i;

	if (table)
		return table;
	table = xcalloc(routes_count, sizeof(*table));
	for (i = 0; i < routes_count; i++)
		if (split_path(routes[i].pattern, &table[i]))
			bug("route pattern %s has too many segments", routes[i].pattern);
	return table;
}

/* Whether path matches pattern; then fills params (from the pool). */
static int segments_match(struct pool *pool, const struct segments *pattern,
			  const struct segments *path, const char **params, size_t *nparams)
{
	size_t i;

	*nparams = 0;
	if (pattern->n != path->n)
		return 0;
	for (i = 0; i < path->n; i++) {
		const struct segment *ps = &pattern->seg[i], *s = &path->seg[i];

		if (ps->param ? !s->len : ps->len != s->len || memcmp(ps->s, s->s, s->len))
			return 0;
	}
	for (i = 0; i < path->n; i++)
		if (pattern->seg[i].param) {
			if (*nparams >= REQ_MAX_PATH_PARAMS)
				return 0;
			params[(*nparams)++] = pool_strndup(pool, path->seg[i].s, path->seg[i].len);
		}
	return 1;
}

/* The methods of the routes whose pattern matches path, for Allow. */
static const char *allowed_methods(struct req *r, const struct segments *path)
{
	const struct segments *table = route_segments();
	struct strbuf methods = STRBUF_INIT;
	const char *allow;
	size_t i, n;
	const char *params[REQ_MAX_PATH_PARAMS];

	for (i = 0; i < routes_count; i++) {
		const char *name = http_method_names[routes[i].method];

		if (!segments_match(r->pool, &table[i], path, params, &n) ||
		    strstr(methods.buf, name))
			continue;
		if (methods.len)
			strbuf_adds(&methods, ", ");
		strbuf_adds(&methods, name);
		if (routes[i].method == HTTP_GET)
			strbuf_adds(&methods, ", HEAD");
	}
	allow = pool_strdup(r->pool, methods.buf);
	strbuf_release(&methods);
	return allow;
}

const struct route *route_match(struct req *r, const char *path, enum http_method method,
				int *status, const char **allow)
{
	const struct segments *table = route_segments();
	const struct route *found = NULL;
	const char *params[REQ_MAX_PATH_PARAMS];
	struct segments split;
	size_t i, nparams, j, best = REQ_MAX_PATH_PARAMS + 1;

	*allow = NULL;
	*status = 404;
	if (split_path(path, &split))
		return NULL;
	/* The route of the method with the fewest parameters wins: a literal
	 * segment such as ".../availability/check" beats ".../availability/[id]".
	 * HEAD is a GET without the body (main.c leaves it out). */
	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];

		if (rt->method != method && !(method == HTTP_HEAD && rt->method == HTTP_GET))
			continue;
		if (!segments_match(r->pool, &table[i], &split, params, &nparams) || nparams >= best)
			continue;
		found = rt;
		best = nparams;
		for (j = 0; j < nparams; j++)
			r->path_params[j] = params[j];
		r->npath_params = nparams;
	}
	if (!found) {
		/* A path that other methods serve is 405, with what they are. */
		*allow = allowed_methods(r, &split);
		if (**allow)
			*status = 405;
		else
			*allow = NULL;
	}
	return found;
}
