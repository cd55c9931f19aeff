/* SPDX-License-Identifier: MIT */
/*
 * inventory-fcgi: the FastCGI responder. One request at a time per
 * process, one database connection per process, one memory pool per
 * request; nothing is kept between requests that another process would
 * need (the API-key cache only saves round trips and expires in seconds).
 * The metrics are the exception, on purpose: their counters live in a file
 * that every worker of the pool maps, so that they outlive a worker
 * (metrics.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <fastcgi.h>
#include <fcgiapp.h>
#include <mysql.h>

#include "core/conf.h"
#include "core/pool.h"
#include "core/util.h"
#include "db/db.h"
#include "http/http.h"
#include "metrics.h"
#include "routes.h"

/* The FastCGI parameters a request is read from: nginx/inventory-api.conf
 * passes these (and the request's headers as HTTP_*). */
enum param { P_METHOD, P_DOCUMENT_URI, P_REQUEST_URI, P_REQUEST_ID, P_CONTENT_TYPE,
	     P_AUTHORIZATION, P_IDEMPOTENCY_KEY, P_QUERY_STRING, P_CONTENT_LENGTH,
	     P_CLIENT_REQUEST_ID, P_REMOTE_ADDR, P_CONSISTENCY_TOKEN, P__MAX };

static const char *const param_names[P__MAX] = {
	[P_METHOD] = "REQUEST_METHOD", [P_DOCUMENT_URI] = "DOCUMENT_URI",
	[P_REQUEST_URI] = "REQUEST_URI", [P_REQUEST_ID] = "REQUEST_ID",
	[P_CONTENT_TYPE] = "CONTENT_TYPE", [P_AUTHORIZATION] = "HTTP_AUTHORIZATION",
	[P_IDEMPOTENCY_KEY] = "HTTP_IDEMPOTENCY_KEY", [P_QUERY_STRING] = "QUERY_STRING",
	[P_CONTENT_LENGTH] = "CONTENT_LENGTH", [P_CLIENT_REQUEST_ID] = "HTTP_X_REQUEST_ID",
	[P_REMOTE_ADDR] = "REMOTE_ADDR", [P_CONSISTENCY_TOKEN] = "HTTP_X_CONSISTENCY_TOKEN",
};

/*
 * Copies the parameters named in param_names into v (the pool: the
 * originals die at Finish), in one pass over the environment; NULL for
 * those not given.
 */
static void read_params(struct pool *pool, FCGX_Request *fr, const char *v[P__MAX])
{
	char **env;
	size_t i;

	memset(v, 0, P__MAX * sizeof(*v));
	for (env = fr->envp; env && *env; env++) {
		const char *eq = strchr(*env, '=');
		size_t len = eq ? (size_t)(eq - *env) : 0;

		for (i = 0; eq && i < P__MAX; i++) {
			if (!v[i] && !strncmp(*env, param_names[i], len) && !param_names[i][len]) {
				v[i] = pool_strdup(pool, eq + 1);
				break;
			}
		}
	}
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
	const char *v[P__MAX], *uri;
	int status;

	read_params(r->pool, fr, v);
	r->method_name = v[P_METHOD];
	r->method = http_method_parse(r->method_name);
	if (!r->method_name)
		r->method_name = "";
	uri = v[P_DOCUMENT_URI];
	if (!uri) {
		const char *full = v[P_REQUEST_URI];
		const char *q = full ? strchr(full, '?') : NULL;

		uri = full ? (q ? pool_strndup(r->pool, full, (size_t)(q - full)) : full) : "/";
	}
	r->path = uri;
	/* A client's own id lets it find its request in our logs. */
	if (v[P_CLIENT_REQUEST_ID] && request_id_valid(v[P_CLIENT_REQUEST_ID]))
		r->request_id = v[P_CLIENT_REQUEST_ID];
	else if (v[P_REQUEST_ID] && *v[P_REQUEST_ID])
		r->request_id = v[P_REQUEST_ID];
	r->client_addr = v[P_REMOTE_ADDR];
	r->content_type = v[P_CONTENT_TYPE];
	r->authorization = v[P_AUTHORIZATION];
	r->idempotency_key = v[P_IDEMPOTENCY_KEY];
	r->consistency_token = v[P_CONSISTENCY_TOKEN];
	if (req_parse_query(r, v[P_QUERY_STRING]))
		return req_error(r, 400, "Bad Request", "malformed query string");
	status = read_body(r, fr, v[P_CONTENT_LENGTH]);
	if (status == 413)
		return req_error(r, 413, "Payload Too Large",
				 pool_printf(r->pool, "the body may hold at most %lld bytes",
					     (long long)r->conf->http_max_body_bytes));
	if (status)
		return req_error(r, status, "Bad Request", "unreadable body");
	return 0;
}

/* The FastCGI output as a struct req_out (FCGX_* take int lengths). */
static int fcgi_write(void *ctx, const char *buf, size_t len)
{
	while (len) {
		int piece = len > (1u << 30) ? 1 << 30 : (int)len;

		if (FCGX_PutStr(buf, piece, ctx) != piece)
			return -1;
		buf += piece;
		len -= (size_t)piece;
	}
	return 0;
}

static int fcgi_flush(void *ctx)
{
	return FCGX_FFlush(ctx) ? -1 : 0;
}

/* Writes the response (into libfcgi's buffer, piece by piece: no
 * formatting); *len is the body's length. Returns 0, or -1 when the
 * client went away. */
static int write_response(struct req *r, const struct req_out *out, size_t *len)
{
	const char *body = req_body_bytes(r, len);

	if (r->method == HTTP_HEAD)
		*len = 0;
	if (req_write_head(r, out, r->raw_body && r->raw_type ? r->raw_type : "application/json"))
		return -1;
	return *len ? out->write(out->ctx, body, *len) : 0;
}

/*
 * The request lines go to the log in batches: written one by one, each
 * would cost a write to the log file, more than the rest of a short
 * request. The pending lines are written when no request comes for
 * ACCESS_LOG_IDLE_MS, and at the latest when the oldest has waited
 * ACCESS_LOG_DELAY_USEC; errors (stderr) are written at once.
 */
#define ACCESS_LOG_IDLE_MS 20
#define ACCESS_LOG_DELAY_USEC 1000000
static FILE *access_log;
static uint64_t access_log_since;   /* when the oldest unwritten line was added; 0: none */

static void access_log_open(void)
{
	static char buf[16384];
	int fd = dup(STDERR_FILENO);

	access_log = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!access_log)
		access_log = stderr;
	else
		setvbuf(access_log, buf, _IOFBF, sizeof(buf));
}

/*
 * How long the next wait for a request may last before the pending lines
 * are written: -1 (no limit) when none are pending, 0 when they are due.
 */
static int access_log_wait_ms(void)
{
	uint64_t waited, left_ms;

	if (!access_log_since)
		return -1;
	waited = now_usec() - access_log_since;
	left_ms = waited >= ACCESS_LOG_DELAY_USEC ? 0 : (ACCESS_LOG_DELAY_USEC - waited) / 1000;
	return left_ms < ACCESS_LOG_IDLE_MS ? (int)left_ms : ACCESS_LOG_IDLE_MS;
}

static void access_log_flush(void)
{
	fflush(access_log);
	access_log_since = 0;
}

/*
 * libfcgi closes a connection by shutting down its side and reading
 * until the peer's end (up to 2 s), so that input left unread cannot
 * turn into a reset that loses the answer. Once the whole request has
 * been read nothing more can come (connections are not kept), and that
 * wait is three system calls per request for nothing: close plainly.
 */
static void close_plainly_once_read(FCGX_Request *fr)
{
	if (FCGX_GetChar(fr->in) == EOF && !FCGX_GetError(fr->in))
		FCGX_Detach(fr);
}

/* Who made the request, for the log: "key_N" for an API key, the JWT's sub. */
static const char *log_caller(struct req *r)
{
	const char *sub = r->principal.subject;

	if (!r->principal.authenticated || !sub)
		return NULL;
	if (!strncmp(sub, "apikey:", 7))
		sub += 7;
	return log_escape(r->pool, sub);
}

/*
 * The log line, "<UTC time the request began> <id> <method> \"<path>\"
 * <status> <ms>ms ws=<n> caller=\"<caller>\" client=<address> bytes=<body
 * bytes sent>": never the token; what the client chose (path, caller,
 * address) escaped by log_escape; "-" for what is unknown. Written in
 * pieces, without formatting: it is part of every request.
 */
static void log_request(struct req *r, uint64_t usec, size_t bytes)
{
	char ms[32], when[UTC_MS_LEN + 1];
	const char *whole, *caller = log_caller(r);
	size_t len;
	const char *piece[] = {
		when, " ", r->request_id, " ",
		r->method == HTTP_METHOD_OTHER ? "-" : r->method_name, " \"",
		req_log_path(r), "\" ", pool_int64(r->pool, r->status), " ", ms, "ms ws=",
		pool_int64(r->pool, r->principal.workspace_id),
		caller ? " caller=\"" : " caller=-", caller ? caller : "", caller ? "\"" : "",
		" client=", r->client_addr && *r->client_addr ? log_escape(r->pool, r->client_addr) : "-",
		" bytes=", pool_int64(r->pool, (int64_t)bytes), "\n",
	};
	size_t i;

	format_utc_ms(when, wall_usec() - usec);
	/* usec as milliseconds with three decimals: 1234 is "1.234". */
	whole = pool_int64(r->pool, (int64_t)(usec / 1000));
	len = strlen(whole);
	memcpy(ms, whole, len);
	ms[len] = '.';
	ms[len + 1] = (char)('0' + usec / 100 % 10);
	ms[len + 2] = (char)('0' + usec / 10 % 10);
	ms[len + 3] = (char)('0' + usec % 10);
	ms[len + 4] = '\0';
	if (!access_log_since)
		access_log_since = now_usec();
	for (i = 0; i < ARRAY_SIZE(piece); i++)
		fputs(piece[i], access_log);
}

/* A request is over: its log line, and its counts for GET /api/metrics. */
static void request_done(struct req *r, uint64_t usec, size_t bytes)
{
	log_request(r, usec, bytes);
	metrics_record_request(r, usec);
}

/*
 * Maps the counters that the pool's workers share: metrics.file, or a
 * file beside the unix socket that spawn-fcgi handed over. Without either,
 * this worker's counters are its own (a scrape sees one worker's share).
 */
static void metrics_start(const struct conf *conf)
{
	char *path = *conf->metrics_file ? xstrdup(conf->metrics_file) :
		metrics_default_path(FCGI_LISTENSOCK_FILENO);

	if (!path)
		error("metrics: no unix socket and no metrics.file: this process counts "
		      "only its own requests");
	if (metrics_open(path) && path)
		error("metrics: this process counts only its own requests");
	free(path);
}

/*
 * Stopping without losing a request: SIGTERM (what systemd and multiwatch
 * send) or SIGUSR1 (libfcgi's own "finish and exit") lets the worker
 * finish the request in hand, then exit instead of accepting another.
 * Both stay blocked for the life of the process and arrive through
 * stop_fd, so no system call of a request is ever interrupted (libfcgi
 * drops a connection whose select() after accept() fails with EINTR),
 * and a stop never lands between accept() and the request.
 */
static int stop_fd = -1;

static void stop_signals_init(void)
{
	sigset_t stop;
	int flags;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) ||
	    (stop_fd = signalfd(-1, &stop, SFD_CLOEXEC)) < 0)
		die("unable to set up the stop signals: %s", strerror(errno));
	if (FCGX_IsCGI())
		return;   /* not started by spawn-fcgi: FCGX_Accept_r fails */
	/* Waiting happens in poll(): a connection that another worker took
	 * first must answer EAGAIN, not block this one where it cannot see
	 * a stop. The listening socket is shared by every worker of the
	 * pool, all of them this program. */
	flags = fcntl(FCGI_LISTENSOCK_FILENO, F_GETFL);
	if (flags < 0 || fcntl(FCGI_LISTENSOCK_FILENO, F_SETFL, flags | O_NONBLOCK))
		die("unable to make the listening socket non-blocking: %s", strerror(errno));
}

/* Waits for the next request. Returns what FCGX_Accept_r returns, or
 * -1 once a stop was asked. */
static int accept_request(FCGX_Request *fr)
{
	struct pollfd fds[2] = {
		{ .fd = FCGI_LISTENSOCK_FILENO, .events = POLLIN },
		{ .fd = stop_fd, .events = POLLIN },
	};
	int rc;

	for (;;) {
		/* A connection kept open (fastcgi_keep_conn) is read first. */
		if (fr->ipcFd < 0) {
			/* One wait for a request, a stop, or the moment the log's
			 * pending lines are due (when no request comes soon). */
			int wait_ms = access_log_wait_ms(), ready;

			if (wait_ms == 0)
				access_log_flush();
			ready = poll(fds, 2, wait_ms > 0 ? wait_ms : -1);
			if (ready < 0 && errno != EINTR)
				return -1;
			if (ready == 0) {
				access_log_flush();
				continue;
			}
			if (fds[1].revents)
				return -1;
			if (!fds[0].revents)
				continue;
		}
		rc = FCGX_Accept_r(fr);
		if (rc != -EAGAIN && rc != -EWOULDBLOCK)
			return rc;
	}
}

/* An answer this large was built from large result sets. */
#define LARGE_ANSWER_BYTES (1024 * 1024)

int main(int argc, char **argv)
{
	struct conf conf;
	struct pool *pool;
	struct db *db, *replica = NULL;
	FCGX_Request fr;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: inventory-fcgi [--config FILE]\n\nThe FastCGI responder of "
		       "inventory-api, started by spawn-fcgi (it serves the socket on its\nstandard "
		       "input). The configuration file is FILE, or the one named by INVENTORY_CONF.\n"
		       "\n  --config FILE  read the configuration from FILE\n"
		       "  --help         print this help and exit\n"
		       "  --version      print the version and exit\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("inventory-fcgi (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (conf_load(&conf, argc > 2 && !strcmp(argv[1], "--config") ? argv[2] : NULL, 0))
		die("unable to start: bad configuration");
	/* Large blocks (a big answer, a big result set) are mapped and given
	 * back when freed: glibc would otherwise raise its mapping threshold
	 * after the first such free and keep later ones in the heap, leaving
	 * the process as large as its largest answer. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	access_log_open();
	if (mysql_library_init(0, NULL, NULL))
		die("unable to initialise the MariaDB client library");
	if (FCGX_Init())
		die("unable to initialise libfcgi");
	stop_signals_init();
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
	metrics_start(&conf);
	db = db_open(&conf, DB_RESPONDER);
	if (*conf.db_replica_host || *conf.db_replica_socket)
		replica = db_open(&conf, DB_REPLICA);
	pool = pool_create();
	while (accept_request(&fr) >= 0) {
		uint64_t start = now_usec();
		struct req_out out = { fcgi_write, fcgi_flush, fr.out };
		size_t answered = 0;
		struct req r;

		req_init(&r, pool, db, replica, &conf);
		r.out = &out;
		if (read_request(&r, &fr) == 0) {
			close_plainly_once_read(&fr);
			dispatch(&r);
		}
		/* A handler that failed mid-transaction leaves nothing open. */
		db_rollback(db);
		if (r.streaming)
			answered = (size_t)r.streamed;
		else if (write_response(&r, &out, &answered))
			fprintf(stderr, "%s client went away\n", r.request_id);
		request_done(&r, now_usec() - start, answered);
		/* A stream that ended early must not end like a whole answer:
		 * without the end of the request, nginx cuts the client's
		 * transfer short too. */
		if (r.stream_cut)
			shutdown(fr.ipcFd, SHUT_RDWR);
		FCGX_Finish_r(&fr);
		pool_reset(pool);
		/* After a large answer, what the heap freed goes back to the
		 * system: the process returns to its usual size. */
		if (answered > LARGE_ANSWER_BYTES)
			malloc_trim(0);
	}
	fflush(access_log);
	metrics_close();
	pool_destroy(pool);
	db_close(replica);
	db_close(db);
	mysql_library_end();
	conf_release(&conf);
	return 0;
}
