/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "core/jsonw.h"
#include "core/pool.h"
#include "core/util.h"

#define JW_INITIAL 4096

void jw_init(struct jw *w, struct pool *pool)
{
	memset(w, 0, sizeof(*w));
	w->pool = pool;
}

/* Room for n more bytes and the NUL. */
static void reserve(struct jw *w, size_t n)
{
	pool_grow(w->pool, &w->buf, &w->cap, w->len, n, JW_INITIAL);
}

static void put(struct jw *w, const char *s, size_t n)
{
	reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void putc_(struct jw *w, char c)
{
	reserve(w, 1);
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

/* The comma before a member of the innermost container, but its first. */
static void member_start(struct jw *w)
{
	if (w->depth == 0)
		return;
	if (w->count[w->depth - 1])
		putc_(w, ',');
	w->count[w->depth - 1] = 1;
}

/* Before a value: a member of an array, or the value of a key. */
static void value_start(struct jw *w)
{
	if (w->after_key)
		w->after_key = 0;
	else
		member_start(w);
}

void jw_open(struct jw *w, char c)
{
	value_start(w);
	if (w->depth >= JW_MAX_DEPTH)
		bug("JSON nested deeper than %d", JW_MAX_DEPTH);
	w->count[w->depth++] = 0;
	putc_(w, c);
}

void jw_close(struct jw *w, char c)
{
	if (w->depth == 0)
		bug("JSON closed more than opened");
	w->depth--;
	putc_(w, c);
}

/* The bytes json-c escapes: controls, the quote and the backslash. */
static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* json-c's escaping: the two quotes' specials, the named controls, other
 * controls as \u00xx; '/' and bytes from 0x7f on as they are. */
static void put_escaped(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	const char *run = s;
	size_t len;

	/* Most strings need no escape: one copy. */
	for (p = (const unsigned char *)s; *p && !needs_escape(*p); p++)
		;
	len = (size_t)((const char *)p - s);
	reserve(w, len + 2);
	w->buf[w->len++] = '"';
	memcpy(w->buf + w->len, s, len);
	w->len += len;
	run = (const char *)p;
	for (; *p; p++) {
		char esc[7];
		size_t n = 2;

		if (!needs_escape(*p))
			continue;
		put(w, run, (size_t)((const char *)p - run));
		esc[0] = '\\';
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			n = 6;
			break;
		}
		put(w, esc, n);
		run = (const char *)p + 1;
	}
	put(w, run, strlen(run));
	putc_(w, '"');
}

void jw_key(struct jw *w, const char *name)
{
	const unsigned char *p;
	size_t len;

	member_start(w);
	for (p = (const unsigned char *)name; *p && !needs_escape(*p); p++)
		;
	len = (size_t)((const char *)p - name);
	/* A name to escape (never one of the program's own) takes the long way. */
	if (*p) {
		put_escaped(w, name);
		putc_(w, ':');
	} else {
		reserve(w, len + 3);
		w->buf[w->len++] = '"';
		memcpy(w->buf + w->len, name, len);
		w->len += len;
		w->buf[w->len++] = '"';
		w->buf[w->len++] = ':';
		w->buf[w->len] = '\0';
	}
	w->after_key = 1;
}

void jw_str(struct jw *w, const char *s)
{
	value_start(w);
	if (s)
		put_escaped(w, s);
	else
		put(w, "null", 4);
}

void jw_int(struct jw *w, int64_t v)
{
	char text[24], *p = text + sizeof(text);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	value_start(w);
	put(w, p, (size_t)(text + sizeof(text) - p));
}

void jw_bool(struct jw *w, int v)
{
	value_start(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_null(struct jw *w)
{
	value_start(w);
	put(w, "null", 4);
}

void jw_decimal(struct jw *w, const char *text)
{
	size_t len;

	value_start(w);
	if (!text) {
		put(w, "null", 4);
		return;
	}
	len = strlen(text);
	if (memchr(text, '.', len) && !strpbrk(text, "eE")) {
		while (len > 0 && text[len - 1] == '0')
			len--;
		if (len > 0 && text[len - 1] == '.')
			len--;
	}
	/* "-0.0000" is 0, as json-c would write it. */
	if (len == 2 && !memcmp(text, "-0", 2))
		put(w, "0", 1);
	else
		put(w, text, len);
}

void jw_id(struct jw *w, const char *prefix, const char *digits)
{
	value_start(w);
	if (!digits) {
		put(w, "null", 4);
		return;
	}
	putc_(w, '"');
	put(w, prefix, strlen(prefix));
	putc_(w, '_');
	put(w, digits, strlen(digits));
	putc_(w, '"');
}

void jw_tree(struct jw *w, json_object *value)
{
	size_t len;
	const char *s;

	if (!value) {
		jw_null(w);
		return;
	}
	s = json_object_to_json_string_length(value, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	value_start(w);
	put(w, s, len);
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
	put(w, s, n);
}

const char *jw_bytes(const struct jw *w, size_t *len)
{
	*len = w->len;
	return w->len ? w->buf : "";
}

void jw_kstr(struct jw *w, const char *name, const char *s)
{
	jw_key(w, name);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *name, int64_t v)
{
	jw_key(w, name);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *name, int v)
{
	jw_key(w, name);
	jw_bool(w, v);
}
