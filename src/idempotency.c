/* SPDX-License-Identifier: MIT */
/*
 * Idempotency-Key: the first answer to a POST, PATCH or DELETE is kept 24
 * hours per workspace, caller and key. A retry with the same request gets
 * that answer and changes nothing; the same key with another request gets
 * 422.
 *
 * The key is claimed inside the request's own transaction, by inserting
 * its row, and the answer is stored in the same transaction, so the claim,
 * the changes and the answer commit together or not at all. A concurrent
 * duplicate waits on the row's lock: when the first commits it finds the
 * answer and replays it; when the first rolls back (an error, a killed
 * worker, a lost connection) it finds nothing and runs itself. A key is
 * therefore applied at most once, and a request that failed can be retried
 * with its key at once. Client errors (4xx) are stored too, in a
 * transaction of their own after the handler's changes were rolled back;
 * server errors are not, so that the retry runs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "idempotency.h"

#define IDEM_MAX_KEY 200

static void request_hash(struct req *r, char out[65])
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s %s\n", r->method_name, r->path);
	strbuf_add(&sb, r->body ? r->body : "", r->body_len);
	sha256_hex(sb.buf, sb.len, out);
	strbuf_release(&sb);
}

static void set_scope(struct req *r, struct db_arg *args)
{
	args[0] = ARG_INT(r->principal.workspace_id);
	args[1] = ARG_TEXT(r->principal.subject);
	args[2] = ARG_TEXT(r->idempotency_key);
}

/* Answers with the stored response, as the bytes that were sent. */
static int replay(struct req *r, int status, const char *body)
{
	req_add_header(r, "Idempotent-Replayed: true");
	r->replayed = 1;
	return req_respond_raw(r, status, body, strlen(body));
}

int idem_check(struct req *r)
{
	const char *k = r->idempotency_key;
	size_t i, len = strlen(k), chars = 0;

	for (i = 0; i < len; i++) {
		if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f)
			return req_field_error(r, "Idempotency-Key", "must not hold control characters");
		chars += ((unsigned char)k[i] & 0xC0) != 0x80;
	}
	if (!utf8_valid(k, len))
		return req_field_error(r, "Idempotency-Key", "must be valid UTF-8");
	if (chars > IDEM_MAX_KEY)
		return req_field_error(r, "Idempotency-Key", "must be at most 200 characters");
	return 0;
}

int idem_claim(struct req *r)
{
	char hash[65];
	struct db_arg args[4];
	struct db_result res;
	int attempt;

	request_hash(r, hash);
	set_scope(r, args);
	args[3] = ARG_TEXT(hash);
	for (attempt = 0; attempt < 2; attempt++) {
		/* Waits here while another transaction holds the key. */
		if (db_query(r->db, r->pool,
			     "INSERT INTO idempotency_keys (workspace_id, caller, idem_key, request_hash)"
			     " VALUES (?, ?, ?, ?)", args, 4, NULL) == 0)
			return 0;
		if (db_errno(r->db) == DB_ER_LOCK_WAIT_TIMEOUT)
			return req_error(r, 409, "Conflict",
					 "a request with this Idempotency-Key is still in progress");
		if (db_errno(r->db) != DB_ER_DUP_ENTRY)
			return req_internal_error(r, "idempotency claim");
		if (db_query(r->db, r->pool,
			     "SELECT request_hash, status, response,"
			     " created_at < NOW(3) - INTERVAL 24 HOUR OR status IS NULL"
			     " FROM idempotency_keys WHERE workspace_id = ? AND caller = ? AND idem_key = ?"
			     " FOR UPDATE", args, 3, &res))
			return req_internal_error(r, "idempotency lookup");
		if (res.nrows == 0)
			continue;       /* deleted meanwhile: claim again */
		if (db_cell_int(&res, 0, 3)) {
			/* Expired, or claimed without an answer by an older
			 * version of this code: forget it and claim afresh. */
			if (db_query(r->db, r->pool,
				     "DELETE FROM idempotency_keys WHERE workspace_id = ? AND caller = ?"
				     " AND idem_key = ?", args, 3, NULL))
				return req_internal_error(r, "idempotency expiry");
			continue;
		}
		if (strcmp(db_cell(&res, 0, 0), hash))
			return req_error(r, 422, "Unprocessable Entity",
					 "this Idempotency-Key was used with a different request");
		return replay(r, (int)db_cell_int(&res, 0, 1), db_cell(&res, 0, 2));
	}
	return req_error(r, 409, "Conflict", "a request with this Idempotency-Key is still in progress");
}

void idem_sweep(struct req *r)
{
	/* Housekeeping, after the request's own transaction: a failure here
	 * (another worker sweeping the same rows) costs nothing. */
	if (random() % 64 == 0 &&
	    db_query(r->db, r->pool,
		     "DELETE FROM idempotency_keys WHERE created_at < NOW(3) - INTERVAL 24 HOUR"
		     " ORDER BY created_at LIMIT 200", DB_NOARGS, NULL))
		fprintf(stderr, "%s error: idempotency sweep (db %u)\n", r->request_id, db_errno(r->db));
}

int idem_store(struct req *r)
{
	struct db_arg args[5];
	size_t len;
	const char *body = req_body_bytes(r, &len);

	args[0] = ARG_INT(r->status);
	args[1] = ARG_TEXT(body);
	set_scope(r, args + 2);
	return db_query(r->db, r->pool,
			"UPDATE idempotency_keys SET status = ?, response = ?"
			" WHERE workspace_id = ? AND caller = ? AND idem_key = ?", args, 5, NULL);
}
