/* SPDX-License-Identifier: MIT */
/*
 * Requests and responses, independent of FastCGI so that they can be
 * tested alone. main.c fills a struct req from the FastCGI parameters and
 * writes what the dispatcher leaves in it.
 */
#ifndef INV_HTTP_H
#define INV_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "auth/auth.h"

struct pool;
struct db;
struct conf;
struct route;
struct jw;

enum http_method { HTTP_GET, HTTP_POST, HTTP_PATCH, HTTP_DELETE, HTTP_PUT, HTTP_HEAD,
		   HTTP_OPTIONS, HTTP_METHOD_OTHER, HTTP__MAX };
extern const char *const http_method_names[HTTP__MAX];

struct query_param {
	const char *name;
	const char *value;
	const char *sent_as;     /* the other spelling the client used, or NULL */
};

#define REQ_MAX_PATH_PARAMS 4
#define REQ_MAX_HEADERS 8

/* Where the bytes of an answer go: main.c points it at the FastCGI output. */
struct req_out {
	/* Takes len bytes (buffered). Returns 0, or -1 when the client went away. */
	int (*write)(void *ctx, const char *buf, size_t len);
	/* Sends what was taken so far. Returns 0 or -1. */
	int (*flush)(void *ctx);
	void *ctx;
};

struct req {
	struct pool *pool;
	struct db *db;
	struct db *replica;         /* a read replica (db.replica.*), or NULL */
	const struct conf *conf;

	/* From the client. */
	enum http_method method;
	const char *method_name;
	const char *path;             /* without the query string */
	struct query_param *query;
	size_t nquery;
	const char *content_type;
	const char *authorization;
	const char *request_id;       /* the client's X-Request-Id when well formed, else nginx's */
	const char *client_addr;      /* the address nginx took the request from, or NULL */
	const char *idempotency_key;
	const char *consistency_token;  /* X-Consistency-Token: a write's GTID, or NULL */
	const char *body;
	size_t body_len;
	json_object *json;            /* the parsed body, an object */

	/* Filled by the dispatcher. */
	const struct route *route;
	const char *path_params[REQ_MAX_PATH_PARAMS];
	size_t npath_params;
	struct principal principal;

	/* The response: a JSON tree, or bytes already serialised (a stored
	 * idempotent answer, the OpenAPI document). */
	int status;
	json_object *resp;
	const char *raw_body;
	size_t raw_len;
	const char *raw_type;         /* raw_body's Content-Type; NULL: application/json */
	const char *headers[REQ_MAX_HEADERS];   /* "Name: value" lines */
	size_t nheaders;

	/* A streamed answer (req_stream_*): its head and its body go out in
	 * pieces while the handler runs. */
	const struct req_out *out;    /* set by main.c; NULL: no streaming */
	int streaming;                /* the head went out */
	int stream_cut;               /* ended early: the connection is to be cut */
	uint64_t streamed;            /* body bytes handed to out */

	/* For the metrics (metrics.h): what the request cost. */
	uint64_t queries_at_start;    /* req_queries() when it began */
	unsigned retries;             /* runs again after a deadlock or lock wait timeout */
	int replayed;                 /* answered with a stored idempotent answer */
};

/* Sets up r for one request; pool, db, replica (or NULL) and conf must
 * outlive it. */
void req_init(struct req *r, struct pool *pool, struct db *db, struct db *replica,
	      const struct conf *conf);
/* Statements run so far on the request's connections, the replica's too. */
uint64_t req_queries(const struct req *r);
enum http_method http_method_parse(const char *s);

/*
 * Splits a query string into r->query (percent-decoded, '+' as space).
 * Returns 0, or -1 when it holds a malformed escape or a NUL byte.
 */
int req_parse_query(struct req *r, const char *qs);
/* Returns the first value of query parameter name, or NULL. */
const char *req_query(const struct req *r, const char *name);

/* Decodes %XX and '+' in s[0..len) into a new pool string; NULL on bad input. */
char *url_decode(struct pool *pool, const char *s, size_t len);

/* Takes a response header line "Name: value" (copied into the pool). */
void req_add_header(struct req *r, const char *line);

/* Sets a JSON response; takes the reference to body. Returns status. */
int req_respond(struct req *r, int status, json_object *body);
/* Sets a response of JSON bytes, which must outlive the request (or live
 * in its pool). Returns status. */
int req_respond_raw(struct req *r, int status, const char *body, size_t len);
/* Sets a response of bytes of content_type (a string that outlives the
 * request), such as "text/plain; charset=utf-8"; body as for
 * req_respond_raw. Returns status. */
int req_respond_text(struct req *r, int status, const char *content_type, const char *body,
		     size_t len);
/* Sets the response to what w wrote (kept in the pool). Returns status. */
int req_respond_jw(struct req *r, int status, const struct jw *w);
/*
 * Streamed answers, for bodies too large to hold (exports). A handler
 *
 *	if (req_stream_begin(r, "text/csv; charset=utf-8", "inventory.csv"))
 *		return req_stream_end(r);
 *	for (each chunk of rows) {
 *		req_stream_write(r, bytes, len);
 *		if (req_stream_flush(r))
 *			break;             (the client went away)
 *	}
 *	return req_stream_end(r);
 *
 * Checks that can fail with an error status must come before
 * req_stream_begin: from then on the status is 200 and an error can only
 * be told inside the body (and by req_stream_cut).
 */
/*
 * Sends the head of a 200 answer of content_type with Content-Disposition
 * "attachment; filename=<filename>" (a name of the program's own: letters,
 * digits, '.', '-', '_'), the usual headers and r's own. Returns 0, or -1
 * when it could not be sent (no r->out, or the client went away).
 */
int req_stream_begin(struct req *r, const char *content_type, const char *filename);
/* Writes body bytes (none for HEAD). Returns 0, or -1 when the client went away. */
int req_stream_write(struct req *r, const char *buf, size_t len);
/* Sends what was written so far to the client. Returns 0 or -1. */
int req_stream_flush(struct req *r);
/*
 * Marks the streamed answer as incomplete: main.c cuts the connection
 * after the bytes sent, without the end of the FastCGI request, so nginx
 * ends the client's transfer early (no last chunk) instead of completing
 * it. nginx tells the two apart only with fastcgi_keep_conn on, as the
 * export location of nginx/inventory-api.conf (/api/.../export) has it.
 */
void req_stream_cut(struct req *r);
/* Ends the streamed answer (sends what is left). Returns its status, 200. */
int req_stream_end(struct req *r);
/*
 * Writes the head of r's answer to out: the status line, Content-Type
 * content_type, Cache-Control, X-Request-Id and r's own headers. Returns 0
 * or -1.
 */
int req_write_head(struct req *r, const struct req_out *out, const char *content_type);

/* The response body as bytes ("{}" when none was set); *len its length. */
const char *req_body_bytes(struct req *r, size_t *len);
/*
 * Sets the error response {"error": error, "message": message}; message
 * may be NULL. Returns status, so handlers can `return req_error(...)`.
 */
int req_error(struct req *r, int status, const char *error, const char *message);
/* 400 {"error": "Invalid request data", "message": "...", "details": [{"field"...}]} */
int req_field_error(struct req *r, const char *field, const char *message);
/* 500 without details (503 when the database is unreachable); logs what
 * went wrong with the request id. */
int req_internal_error(struct req *r, const char *what);
/* s for a log line: cut to 200 bytes, control characters, quotes,
 * backslashes and non-ASCII bytes written as \xNN (from the pool). */
const char *log_escape(struct pool *pool, const char *s);
/* The request's path, escaped for a log line. */
const char *req_log_path(struct req *r);
/* Registers obj to be released with the request's pool; returns obj. */
json_object *req_own(struct req *r, json_object *obj);

/*
 * 1 when s may serve as a request id: 1 to REQUEST_ID_MAX characters of
 * [A-Za-z0-9._-]. A client's X-Request-Id that is not is replaced.
 */
#define REQUEST_ID_MAX 64
int request_id_valid(const char *s);

/*
 * 1 when s may be an X-Consistency-Token: a GTID list as MariaDB writes it
 * (domain-server-sequence, comma-separated), at most
 * CONSISTENCY_TOKEN_MAX characters.
 */
#define CONSISTENCY_TOKEN_MAX 1000
int consistency_token_valid(const char *s);

/* The standard reason phrase of status. */
const char *http_status_text(int status);

#endif
