/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/conf.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "idempotency.h"
#include "references.h"
#include "routes.h"

static int content_type_is_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, "application/json", n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/*
 * Finds the first string (key or value) in v that is not well-formed
 * UTF-8 or holds a NUL ("\u0000" would cut it short in C). Appends its
 * place ("items[2].comment") to where. Returns 1 when one was found.
 */
static int find_bad_text(json_object *v, struct strbuf *where)
{
	size_t i, n, len = where->len;

	switch (json_object_get_type(v)) {
	case json_type_string: {
		const char *s = json_object_get_string(v);
		size_t slen = (size_t)json_object_get_string_len(v);

		return memchr(s, '\0', slen) || !utf8_valid(s, slen);
	}
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			strbuf_addf(where, "[%zu]", i);
			if (find_bad_text(json_object_array_get_idx(v, i), where))
				return 1;
			strbuf_setlen(where, len);
		}
		return 0;
	case json_type_object: {
		json_object_object_foreach(v, key, child) {
			int key_bad = !utf8_valid(key, strlen(key));

			if (len)
				strbuf_adds(where, ".");
			strbuf_adds(where, key_bad ? "(a key)" : key);
			if (key_bad || find_bad_text(child, where))
				return 1;
			strbuf_setlen(where, len);
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* Parses the body of a request that takes one. Returns 0 or the status. */
static int parse_body(struct req *r)
{
	struct json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t i;

	if (r->body_len == 0) {
		r->json = req_own(r, json_object_new_object());
		return 0;
	}
	if (!content_type_is_json(r->content_type))
		return req_error(r, 415, "Unsupported Media Type",
				 "Content-Type must be application/json");
	for (i = 0; i < r->body_len; i++)
		if (r->body[i] == '\0')
			return req_error(r, 400, "Invalid JSON", "the body contains a NUL byte");
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
	jerr = json_tokener_get_error(tok);
	/* Anything but whitespace after the value is an error too. */
	if (obj && jerr == json_tokener_success) {
		for (i = json_tokener_get_parse_end(tok); i < r->body_len; i++)
			if (!isspace((unsigned char)r->body[i]))
				jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (!obj || jerr != json_tokener_success) {
		json_object_put(obj);
		return req_error(r, 400, "Invalid JSON", "the request body is not valid JSON");
	}
	req_own(r, obj);
	if (!json_object_is_type(obj, json_type_object))
		return req_error(r, 400, "Invalid JSON", "the request body must be a JSON object");
	{
		struct strbuf where = STRBUF_INIT;
		int status = 0;

		if (find_bad_text(obj, &where))
			status = req_field_error(r, where.buf, "must be valid UTF-8 text without NUL characters");
		strbuf_release(&where);
		if (status)
			return status;
	}
	r->json = obj;
	return 0;
}

/*
 * A signed token may name a workspace that does not exist. Workspaces are
 * never deleted, so a process remembers the ones it has seen exist and asks
 * the database only once for each. Returns 1, 0 (unknown) or -1.
 */
static int workspace_known(struct req *r)
{
	static int64_t seen[256];
	int64_t ws = r->principal.workspace_id;
	size_t slot = (size_t)ws % ARRAY_SIZE(seen);
	struct db_result res;

	if (seen[slot] == ws)
		return 1;
	if (db_query(r->db, r->pool, "SELECT 1 FROM workspaces WHERE id = ?",
		     DB_ARGS(ARG_INT(ws)), &res))
		return -1;
	if (!res.nrows)
		return 0;
	seen[slot] = ws;
	return 1;
}

static int authorize(struct req *r)
{
	const struct route *rt = r->route;
	enum auth_result ar;

	if (rt->flags & ROUTE_PUBLIC)
		return 0;
	ar = auth_authenticate(r->pool, r->db, r->conf, r->authorization, &r->principal);
	if (ar == AUTH_ERROR)
		return req_error(r, 503, "Service Unavailable", "authentication is unavailable");
	if (ar != AUTH_OK) {
		req_add_header(r, "WWW-Authenticate: Bearer");
		return req_error(r, 401, "Unauthorized", NULL);
	}
	if (r->principal.workspace_id <= 0)
		return req_error(r, 403, "Forbidden", "Not available in SuperAdmin");
	switch (workspace_known(r)) {
	case 0:
		return req_error(r, 403, "Forbidden", "unknown workspace");
	case -1:
		return req_error(r, 503, "Service Unavailable", "authentication is unavailable");
	default:
		break;
	}
	if ((rt->flags & ROUTE_MANAGER) && !(r->principal.roles & (ROLE_MANAGER | ROLE_ADMIN)))
		return req_error(r, 403, "Forbidden", "requires the manager role");
	if ((rt->flags & ROUTE_ADMIN) && !(r->principal.roles & ROLE_ADMIN))
		return req_error(r, 403, "Forbidden", "requires the admin role");
	if (!principal_has_all(&r->principal, perm_list_set(&rt->permissions))) {
		struct strbuf need = STRBUF_INIT;
		size_t i;
		int status;

		for (i = 0; i < rt->permissions.n; i++) {
			if (need.len)
				strbuf_adds(&need, ", ");
			strbuf_adds(&need, perm_names[rt->permissions.v[i]]);
		}
		status = req_error(r, 403, "Forbidden",
				   pool_printf(r->pool, "requires permission %s", need.buf));
		strbuf_release(&need);
		return status;
	}
	return 0;
}

#define MAX_ATTEMPTS 5

static int retryable(const struct db *db)
{
	return db_errno(db) == DB_ER_LOCK_DEADLOCK || db_errno(db) == DB_ER_LOCK_WAIT_TIMEOUT;
}

/*
 * Stores a client error under the request's Idempotency-Key, in a
 * transaction of its own (the handler's was rolled back). If another
 * request with the key got there first, its answer is replayed instead.
 */
static void store_client_error(struct req *r)
{
	int status = r->status, stored = 0;
	json_object *resp = r->resp;    /* owned by the pool */
	size_t headers = r->nheaders;

	if (db_begin(r->db) == 0) {
		if (idem_claim(r) == 0) {
			req_respond(r, status, json_object_get(resp));
			r->nheaders = headers;
			stored = idem_store(r) == 0 && db_commit(r->db) == 0;
		} else if (r->status < 500) {
			db_rollback(r->db);
			return;
		}
		db_rollback(r->db);
	}
	if (!stored)
		fprintf(stderr, "%s error: unable to store an idempotent response (db %u)\n",
			r->request_id, db_errno(r->db));
	/* Whatever happened above, the client gets the handler's answer. */
	req_respond(r, status, json_object_get(resp));
	r->nheaders = headers;
}

/*
 * Runs a handler that may write in one transaction: committed when it
 * answers a success, rolled back otherwise, so an error changes nothing.
 * The Idempotency-Key is claimed first in the same transaction. A deadlock
 * or lock wait timeout rolls the whole transaction back and runs it again
 * after a random pause, up to MAX_ATTEMPTS times while the request is
 * still within the database's read timeout, so that every request ends
 * well before nginx stops waiting for it.
 */
static void run_in_transaction(struct req *r)
{
	uint64_t started = now_usec(), budget = (uint64_t)r->conf->db_read_timeout_seconds * 1000000u;
	size_t headers = r->nheaders;
	int attempt, commit;

	for (attempt = 1;; attempt++) {
		r->resp = NULL;
		r->raw_body = NULL;
		r->nheaders = headers;
		if (db_begin(r->db)) {
			r->status = req_internal_error(r, "begin");
			break;
		}
		if (r->idempotency_key && idem_claim(r)) {
			/* A replay, 409 or 422: nothing to run, nothing to keep. */
			db_rollback(r->db);
			if (r->status < 500 || !retryable(r->db))
				return;
		} else {
			r->status = r->route->handler(r);
			if (r->status < 400) {
				if (r->idempotency_key && idem_store(r)) {
					r->status = req_internal_error(r, "idempotency store");
				} else {
					commit = db_commit(r->db);
					if (commit == 0) {
						if (r->idempotency_key)
							idem_sweep(r);
						/* What a later read sends back to see
						 * this write on a replica. */
						if (*db_last_gtid(r->db))
							req_add_header(r, pool_printf(r->pool,
								"X-Consistency-Token: %s",
								db_last_gtid(r->db)));
						return;
					}
					if (commit == DB_COMMIT_UNKNOWN) {
						r->status = req_error(r, 503, "Service Unavailable",
								      r->idempotency_key ?
								      "the outcome of the request is unknown: the database "
								      "connection was lost while committing; retry with the "
								      "same Idempotency-Key" :
								      "the outcome of the request is unknown: the database "
								      "connection was lost while committing; check before "
								      "retrying, or send an Idempotency-Key");
						return;
					}
					r->status = req_internal_error(r, "commit");
				}
			}
			db_rollback(r->db);
			if (r->status < 500) {
				if (r->idempotency_key)
					store_client_error(r);
				return;
			}
		}
		if (!retryable(r->db) || attempt == MAX_ATTEMPTS || now_usec() - started > budget)
			break;
		/* Let the transaction that won go first; random, so that the
		 * losers of one deadlock do not collide again. */
		usleep((useconds_t)(1000 * attempt + random() % (4000 * attempt)));
		r->retries++;
	}
	/* Out of attempts on a busy row: the client may simply retry. */
	if (retryable(r->db))
		r->status = req_error(r, 503, "Service Unavailable",
				      "the stock involved is busy; retry the request");
}

/*
 * Whether the replica serves reads now: it replicates and lags at most
 * db.replica.max_lag_seconds. Asked at most once a second; a replica that
 * fails or falls behind loses the reads until it is found well again.
 */
#define REPLICA_CHECK_USEC 1000000u

static uint64_t replica_checked_usec;
static int replica_well;

static int replica_usable(struct req *r)
{
	uint64_t now = now_usec();
	int lag;

	if (!r->replica)
		return 0;
	if (now - replica_checked_usec >= REPLICA_CHECK_USEC) {
		lag = db_replica_lag(r->replica);
		replica_well = lag >= 0 && lag <= r->conf->db_replica_max_lag_seconds;
		replica_checked_usec = now;
	}
	return replica_well;
}

/* How long a read with a consistency token waits for the replica. */
#define CONSISTENCY_WAIT_SECONDS 0.5

/*
 * A read: on the replica when the route allows it and the replica is
 * well, else on the primary. A replica that fails the read (unreachable)
 * is set aside and the primary answers instead: the client sees no error.
 */
static void run_read(struct req *r)
{
	struct db *primary = r->db;
	size_t headers = r->nheaders;
	const char *token = r->consistency_token;

	if (token && *token && !consistency_token_valid(token)) {
		r->status = req_error(r, 400, "Bad Request",
				      "X-Consistency-Token must be the token of a write, such as 0-1-42");
		return;
	}
	/* With a write's token, the replica serves the read only once it has
	 * applied that write, waited for briefly; else the primary does. */
	if ((r->route->flags & ROUTE_REPLICA) && replica_usable(r) &&
	    (!token || !*token ||
	     db_gtid_wait(r->replica, r->pool, token, CONSISTENCY_WAIT_SECONDS) == 0)) {
		r->db = r->replica;
		r->status = r->route->handler(r);
		r->db = primary;
		if (r->status < 500 || r->streaming || !db_unreachable(r->replica))
			return;
		replica_well = 0;
		replica_checked_usec = now_usec();
		r->resp = NULL;
		r->raw_body = NULL;
		r->nheaders = headers;
	}
	r->status = r->route->handler(r);
}

void dispatch(struct req *r)
{
	const char *allow;
	int status = 0;

	/* Path parameters reach SQL and logs: only text, never stray bytes. */
	if (!utf8_valid(r->path, strlen(r->path))) {
		req_error(r, 400, "Bad Request", "the path is not valid UTF-8");
		return;
	}
	r->route = route_match(r, r->path, r->method, &status, &allow);
	if (!r->route) {
		if (status == 405) {
			req_add_header(r, pool_printf(r->pool, "Allow: %s", allow));
			req_error(r, 405, "Method Not Allowed", NULL);
		} else {
			req_error(r, 404, "Not Found", NULL);
		}
		return;
	}
	if (authorize(r))
		return;
	if (r->idempotency_key && !*r->idempotency_key)
		r->idempotency_key = NULL;
	if (r->idempotency_key && idem_check(r))
		return;
	if (r->method == HTTP_POST || r->method == HTTP_PATCH || r->method == HTTP_PUT) {
		if (parse_body(r) || validate_body(r, route_body(r->route)))
			return;
	}
	if (validate_query_names(r, r->route->query, route_filters(r->route)) ||
	    validate_query(r, r->route->query) ||
	    validate_query_fields(r, route_filters(r->route), 1))
		return;
	if (!(r->route->flags & ROUTE_OWN_REFERENCES) && check_references(r, route_body(r->route)))
		return;
	if (r->method == HTTP_GET || r->method == HTTP_HEAD || (r->route->flags & ROUTE_READONLY)) {
		run_read(r);
	} else {
		run_in_transaction(r);
	}
	if (!r->resp && !r->raw_body && !r->streaming)
		bug("handler for %s %s set no response", http_method_names[r->route->method],
		    r->route->pattern);
}
