/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "core/jsonw.h"
#include "http/http.h"

const char *const http_method_names[HTTP__MAX] = {
	[HTTP_GET] = "GET", [HTTP_POST] = "POST", [HTTP_PATCH] = "PATCH",
	[HTTP_DELETE] = "DELETE", [HTTP_PUT] = "PUT", [HTTP_HEAD] = "HEAD",
	[HTTP_OPTIONS] = "OPTIONS", [HTTP_METHOD_OTHER] = "OTHER",
};

void req_init(struct req *r, struct pool *pool, struct db *db, struct db *replica,
	      const struct conf *conf)
{
	memset(r, 0, sizeof(*r));
	r->pool = pool;
	r->db = db;
	r->replica = replica;
	r->conf = conf;
	r->method = HTTP_METHOD_OTHER;
	r->method_name = "";
	r->path = "";
	r->request_id = "-";
	r->queries_at_start = req_queries(r);
}

uint64_t req_queries(const struct req *r)
{
	return (r->db ? db_queries(r->db) : 0) + (r->replica ? db_queries(r->replica) : 0);
}

enum http_method http_method_parse(const char *s)
{
	int m;

	for (m = 0; m < HTTP_METHOD_OTHER; m++)
		if (s && !strcmp(s, http_method_names[m]))
			return (enum http_method)m;
	return HTTP_METHOD_OTHER;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(struct pool *pool, const char *s, size_t len)
{
	char *out = pool_alloc(pool, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return NULL;
		*o++ = c;
	}
	*o = '\0';
	return out;
}

int req_parse_query(struct req *r, const char *qs)
{
	size_t n = 1, i = 0;
	const char *p;

	r->query = NULL;
	r->nquery = 0;
	if (!qs || !*qs)
		return 0;
	for (p = qs; *p; p++)
		if (*p == '&')
			n++;
	r->query = pool_calloc(r->pool, n, sizeof(*r->query));
	p = qs;
	while (*p) {
		const char *end = strchr(p, '&'), *eq;
		size_t len;

		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len) {
			eq = memchr(p, '=', len);
			if (eq) {
				r->query[i].name = url_decode(r->pool, p, (size_t)(eq - p));
				r->query[i].value = url_decode(r->pool, eq + 1, (size_t)(end - eq - 1));
			} else {
				r->query[i].name = url_decode(r->pool, p, len);
				r->query[i].value = "";
			}
			if (!r->query[i].name || !r->query[i].value)
				return -1;
			i++;
		}
		p = *end ? end + 1 : end;
	}
	r->nquery = i;
	return 0;
}

const char *req_query(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nquery; i++)
		if (!strcmp(r->query[i].name, name))
			return r->query[i].value;
	return NULL;
}

void req_add_header(struct req *r, const char *line)
{
	if (r->nheaders >= REQ_MAX_HEADERS)
		bug("too many response headers");
	r->headers[r->nheaders++] = pool_strdup(r->pool, line);
}

static void put_json(void *obj)
{
	json_object_put(obj);
}

json_object *req_own(struct req *r, json_object *obj)
{
	if (obj)
		pool_cleanup_add(r->pool, put_json, obj);
	return obj;
}

int req_respond(struct req *r, int status, json_object *body)
{
	r->status = status;
	r->resp = req_own(r, body);
	r->raw_body = NULL;
	r->raw_type = NULL;
	return status;
}

int req_respond_raw(struct req *r, int status, const char *body, size_t len)
{
	r->status = status;
	r->resp = NULL;
	r->raw_body = body;
	r->raw_len = len;
	r->raw_type = NULL;
	return status;
}

int req_respond_text(struct req *r, int status, const char *content_type, const char *body,
		     size_t len)
{
	req_respond_raw(r, status, body, len);
	r->raw_type = content_type;
	return status;
}

int req_respond_jw(struct req *r, int status, const struct jw *w)
{
	size_t len;
	const char *bytes = jw_bytes(w, &len);

	return req_respond_raw(r, status, bytes, len);
}

const char *req_body_bytes(struct req *r, size_t *len)
{
	const char *s;

	if (r->raw_body) {
		*len = r->raw_len;
		return r->raw_body;
	}
	if (!r->resp) {
		*len = 2;
		return "{}";
	}
	s = json_object_to_json_string_length(r->resp, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE, len);
	return s;
}

int req_write_head(struct req *r, const struct req_out *out, const char *content_type)
{
	const char *head[8 + 2 * REQ_MAX_HEADERS + 1];
	size_t i, n = 0;

	head[n++] = "Status: ";
	head[n++] = pool_int64(r->pool, r->status);
	head[n++] = " ";
	head[n++] = http_status_text(r->status);
	head[n++] = "\r\nContent-Type: ";
	head[n++] = content_type;
	head[n++] = "\r\nCache-Control: no-store\r\nX-Request-Id: ";
	head[n++] = r->request_id;
	head[n++] = "\r\n";
	for (i = 0; i < r->nheaders; i++) {
		head[n++] = r->headers[i];
		head[n++] = "\r\n";
	}
	head[n++] = "\r\n";
	for (i = 0; i < n; i++)
		if (out->write(out->ctx, head[i], strlen(head[i])))
			return -1;
	return 0;
}

int req_stream_begin(struct req *r, const char *content_type, const char *filename)
{
	if (r->streaming)
		bug("a streamed answer began twice");
	r->status = 200;
	r->streaming = 1;
	if (!r->out) {
		r->stream_cut = 1;
		return -1;
	}
	req_add_header(r, pool_printf(r->pool, "Content-Disposition: attachment; filename=\"%s\"",
				      filename));
	if (req_write_head(r, r->out, content_type) || r->out->flush(r->out->ctx)) {
		r->stream_cut = 1;
		return -1;
	}
	return 0;
}

int req_stream_write(struct req *r, const char *buf, size_t len)
{
	if (!r->streaming)
		bug("stream written before it began");
	if (r->stream_cut)
		return -1;
	if (r->method == HTTP_HEAD || !len)
		return 0;
	if (r->out->write(r->out->ctx, buf, len)) {
		r->stream_cut = 1;
		return -1;
	}
	r->streamed += len;
	return 0;
}

int req_stream_flush(struct req *r)
{
	if (r->stream_cut)
		return -1;
	if (r->out->flush(r->out->ctx)) {
		r->stream_cut = 1;
		return -1;
	}
	return 0;
}

void req_stream_cut(struct req *r)
{
	if (r->out && !r->stream_cut)
		r->out->flush(r->out->ctx);
	r->stream_cut = 1;
}

int req_stream_end(struct req *r)
{
	if (!r->streaming)
		bug("stream ended before it began");
	req_stream_flush(r);
	return r->status;
}

int req_error(struct req *r, int status, const char *err, const char *message)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(err));
	if (message)
		json_object_object_add(o, "message", json_object_new_string(message));
	return req_respond(r, status, o);
}

int req_field_error(struct req *r, const char *field, const char *message)
{
	json_object *o = json_object_new_object(), *details = json_object_new_array();
	json_object *d = json_object_new_object();

	json_object_object_add(d, "field", json_object_new_string(field));
	json_object_object_add(d, "message", json_object_new_string(message));
	json_object_array_add(details, d);
	json_object_object_add(o, "error", json_object_new_string("Invalid request data"));
	json_object_object_add(o, "message",
			       json_object_new_string(pool_printf(r->pool, "%s %s", field, message)));
	json_object_object_add(o, "details", details);
	return req_respond(r, 400, o);
}

const char *log_escape(struct pool *pool, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *escaped;
	size_t i;

	/* Bytes that could forge a line, a field or a terminal escape are
	 * written as \xNN. */
	for (i = 0; s[i] && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			strbuf_addf(&sb, "\\x%02x", c);
		else
			strbuf_addch(&sb, (char)c);
	}
	if (s[i])
		strbuf_adds(&sb, "...");
	escaped = pool_strdup(pool, sb.buf);
	strbuf_release(&sb);
	return escaped;
}

const char *req_log_path(struct req *r)
{
	return log_escape(r->pool, r->path);
}

int req_internal_error(struct req *r, const char *what)
{
	int input = r->db && db_input_error(r->db);

	/* The server's message may quote the client's bytes: escape it too. */
	fprintf(stderr, "%s error: %s: %s (db %u: %s)\n", r->request_id, req_log_path(r), what,
		r->db ? db_errno(r->db) : 0, r->db ? log_escape(r->pool, db_error(r->db)) : "");
	if (input)
		return req_error(r, 400, "Invalid request data",
				 "a value in the request is out of range or cannot be stored");
	/* The dispatcher checked every reference; one that vanished since
	 * (a level deleted meanwhile, say) is a conflict, not a crash. */
	if (r->db && db_errno(r->db) == DB_ER_NO_REFERENCED_ROW)
		return req_error(r, 409, "Conflict", "an object the request refers to no longer exists");
	if (r->db && db_unavailable(r->db))
		return req_error(r, 503, "Service Unavailable",
				 "the database is unreachable or did not answer in time");
	return req_error(r, 500, "Internal Server Error", NULL);
}

int request_id_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (i == REQUEST_ID_MAX || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					     (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return i > 0;
}

int consistency_token_valid(const char *s)
{
	size_t len = strlen(s), i, dashes = 0, digits = 0;

	if (len > CONSISTENCY_TOKEN_MAX)
		return 0;
	/* Each GTID: digits, '-', digits, '-', digits; then ',' or the end. */
	for (i = 0; i <= len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			digits++;
		} else if (c == '-' && digits && dashes < 2) {
			dashes++;
			digits = 0;
		} else if ((c == ',' || c == '\0') && digits && dashes == 2) {
			dashes = 0;
			digits = 0;
		} else {
			return 0;
		}
	}
	return 1;
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}
