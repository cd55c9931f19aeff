/* SPDX-License-Identifier: MIT */
/*
 * A streaming JSON writer into the request's pool. Values are written in
 * order, straight from their source (result cells, integers, strings), with
 * no tree in between; the caller opens and closes objects and arrays and the
 * writer puts the commas. The bytes are what json-c writes for the same
 * values (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), so an
 * answer keeps its bytes whichever way it is built.
 *
 *	struct jw w;
 *
 *	jw_init(&w, pool);
 *	jw_open(&w, '{');
 *	jw_key(&w, "id");
 *	jw_str(&w, "prod_1");
 *	jw_close(&w, '}');
 *	req_respond_jw(r, 200, &w);
 *
 * Nothing is sent while writing: the body is whole only when the handler
 * returns, so a late error can still answer something else.
 */
#ifndef INV_JSONW_H
#define INV_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct pool;

#define JW_MAX_DEPTH 32

struct jw {
	struct pool *pool;
	char *buf;
	size_t len, cap;
	int depth;
	int after_key;                 /* a key was written, its value is next */
	unsigned char count[JW_MAX_DEPTH];  /* 1: the container has a member */
};

void jw_init(struct jw *w, struct pool *pool);
/* Opens an object ('{') or an array ('['), as a value. */
void jw_open(struct jw *w, char c);
/* Closes the innermost object ('}') or array (']'). */
void jw_close(struct jw *w, char c);
/* The name of the next member of the innermost object. */
void jw_key(struct jw *w, const char *name);
/* A string, escaped; NULL writes null. */
void jw_str(struct jw *w, const char *s);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* A number given as decimal text ("12.5000"), written without trailing
 * zeros after the point ("12.5", "50"); NULL writes null. */
void jw_decimal(struct jw *w, const char *text);
/* "prefix_n", an id written from the digits of a result cell; NULL: null. */
void jw_id(struct jw *w, const char *prefix, const char *digits);
/* A json-c value, serialised in place (NULL writes null). */
void jw_tree(struct jw *w, json_object *value);
/* Bytes as they are, outside the JSON grammar: a newline between
 * top-level values (NDJSON), or another format's text (CSV). */
void jw_raw(struct jw *w, const char *s, size_t n);
/* The bytes written so far (NUL-terminated, in the pool). */
const char *jw_bytes(const struct jw *w, size_t *len);

/* Shorthands for one member of the innermost object. */
void jw_kstr(struct jw *w, const char *name, const char *s);
void jw_kint(struct jw *w, const char *name, int64_t v);
void jw_kbool(struct jw *w, const char *name, int v);

#endif
