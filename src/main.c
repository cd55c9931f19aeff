/*
 * inventory-fcgi: the FastCGI responder. One request at a time per
 * process, one database connection per process, one memory pool per
 * request; nothing is kept between requests that another process would
 * need (the API-key cache only saves round trips and expires in seconds).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

#include "core/conf.h"
#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "http/http.h"
#include "routes.h"

/* Copies a FastCGI parameter into the pool: the original dies at Finish. */
static const char *param(struct pool *pool, FCGX_Request *fr, const char *name)
{
	const char *v = FCGX_GetParam(name, fr->envp);

	return v ? pool_strdup(pool, v) : NULL;
}

/* Reads the body into the pool. Returns 0, or the status to answer. */
static int read_body(struct req *r, FCGX_Request *fr, const char *length)
{
	int64_t len = 0;
	char *buf;
	int got;

	if (!length || !*length)
		return 0;
	if (parse_int64(length, &len) || len < 0)
		return 400;
	if (len > r->conf->http_max_body_bytes)
		return 413;
	buf = pool_alloc(r->pool, (size_t)len + 1);
	got = len ? FCGX_GetStr(buf, (int)len, fr->in) : 0;
	if (got != (int)len)
		return 400;
	buf[len] = '\0';
	r->body = buf;
	r->body_len = (size_t)len;
	return 0;
}

/* Fills r from the FastCGI request. Returns 0 or an early status. */
static int read_request(struct req *r, FCGX_Request *fr)
{
	const char *uri, *qs, *id;
	int status;

	r->method_name = param(r->pool, fr, "REQUEST_METHOD");
	r->method = http_method_parse(r->method_name);
	if (!r->method_name)
		r->method_name = "";
	uri = param(r->pool, fr, "DOCUMENT_URI");
	if (!uri) {
		const char *full = param(r->pool, fr, "REQUEST_URI");
		const char *q = full ? strchr(full, '?') : NULL;

		uri = full ? (q ? pool_strndup(r->pool, full, (size_t)(q - full)) : full) : "/";
	}
	r->path = uri;
	id = param(r->pool, fr, "REQUEST_ID");
	if (id && *id)
		r->request_id = id;
	r->content_type = param(r->pool, fr, "CONTENT_TYPE");
	r->authorization = param(r->pool, fr, "HTTP_AUTHORIZATION");
	r->idempotency_key = param(r->pool, fr, "HTTP_IDEMPOTENCY_KEY");
	qs = param(r->pool, fr, "QUERY_STRING");
	if (req_parse_query(r, qs))
		return req_error(r, 400, "Bad Request", "malformed query string");
	status = read_body(r, fr, param(r->pool, fr, "CONTENT_LENGTH"));
	if (status == 413)
		return req_error(r, 413, "Payload Too Large",
				 pool_printf(r->pool, "the body may hold at most %lld bytes",
					     (long long)r->conf->http_max_body_bytes));
	if (status)
		return req_error(r, status, "Bad Request", "unreadable body");
	return 0;
}

/* Writes the response. Returns 0, or -1 when the client went away. */
static int write_response(struct req *r, FCGX_Request *fr)
{
	size_t len, i;
	const char *body = req_body_bytes(r, &len);
	int ok;

	if (r->method == HTTP_HEAD)
		len = 0;
	ok = FCGX_FPrintF(fr->out, "Status: %d %s\r\nContent-Type: application/json\r\n"
			  "Cache-Control: no-store\r\nX-Request-Id: %s\r\n",
			  r->status, http_status_text(r->status), r->request_id) >= 0;
	for (i = 0; ok && i < r->nheaders; i++)
		ok = FCGX_FPrintF(fr->out, "%s\r\n", r->headers[i]) >= 0;
	ok = ok && FCGX_PutS("\r\n", fr->out) >= 0;
	ok = ok && (!len || FCGX_PutStr(body, (int)len, fr->out) >= 0);
	return ok ? 0 : -1;
}

/* The log line: never the token, the path escaped (req_log_path). */
static void log_request(struct req *r, uint64_t usec)
{
	fprintf(stderr, "%s %s \"%s\" %d %.3fms ws=%lld\n", r->request_id,
		r->method == HTTP_METHOD_OTHER ? "-" : r->method_name, req_log_path(r), r->status,
		(double)usec / 1000.0, (long long)r->principal.workspace_id);
}

int main(int argc, char **argv)
{
	struct conf conf;
	struct pool *pool;
	struct db *db;
	FCGX_Request fr;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: inventory-fcgi\n\nThe FastCGI responder of inventory-api, started by "
		       "spawn-fcgi (it serves the socket on its\nstandard input). The configuration "
		       "file is named by INVENTORY_CONF.\n");
		return 0;
	}
	if (conf_load(&conf, argc > 2 && !strcmp(argv[1], "--config") ? argv[2] : NULL, 0))
		die("unable to start: bad configuration");
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (mysql_library_init(0, NULL, NULL))
		die("unable to initialise the MariaDB client library");
	if (FCGX_Init())
		die("unable to initialise libfcgi");
	if (FCGX_InitRequest(&fr, 0, 0))
		die("unable to set up the FastCGI request");
	{
		/* Each worker its own sequence: retry pauses drawn from it
		 * must differ between the workers that collided. */
		unsigned seed;

		if (random_bytes(&seed, sizeof(seed)))
			seed = (unsigned)(getpid() ^ now_usec());
		srandom(seed);
	}
	db = db_open(&conf, DB_RESPONDER);
	pool = pool_create();
	while (FCGX_Accept_r(&fr) >= 0) {
		uint64_t start = now_usec();
		struct req r;

		req_init(&r, pool, db, &conf);
		if (read_request(&r, &fr) == 0)
			dispatch(&r);
		/* A handler that failed mid-transaction leaves nothing open. */
		db_rollback(db);
		if (write_response(&r, &fr))
			fprintf(stderr, "%s client went away\n", r.request_id);
		log_request(&r, now_usec() - start);
		FCGX_Finish_r(&fr);
		pool_reset(pool);
	}
	pool_destroy(pool);
	db_close(db);
	mysql_library_end();
	conf_release(&conf);
	return 0;
}
