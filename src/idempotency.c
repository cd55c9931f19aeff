/*
 * Idempotency-Key: the first response to a POST, PATCH or DELETE is kept
 * 24 hours per workspace, caller and key. A retry with the same request
 * gets that response and changes nothing; the same key with another
 * request gets 422; a retry while the first still runs gets 409.
 *
 * The key's row is claimed (committed) before the handler runs, so other
 * processes see it; the response is stored in the handler's own
 * transaction, so a stored response and the stock changes it reports
 * commit together. A claimed row without a response therefore means the
 * first attempt changed nothing, and after IDEM_STALE seconds (a crashed
 * process) the key may be claimed again.
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
#define IDEM_STALE "60"   /* seconds */

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

/* Answers with the stored response. */
static int replay(struct req *r, int status, const char *body)
{
	json_object *obj = json_tokener_parse(body);

	req_add_header(r, "Idempotent-Replayed: true");
	if (!obj)
		return req_internal_error(r, "stored idempotent response");
	return req_respond(r, status, obj);
}

int idem_begin(struct req *r)
{
	char hash[65];
	struct db_arg args[4];
	struct db_result res;
	int attempt;

	if (strlen(r->idempotency_key) > IDEM_MAX_KEY)
		return req_error(r, 400, "Invalid request data",
				 "Idempotency-Key may hold at most 200 characters");
	request_hash(r, hash);
	set_scope(r, args);
	args[3] = ARG_TEXT(hash);
	for (attempt = 0; attempt < 2; attempt++) {
		if (db_query(r->db, r->pool,
			     "INSERT INTO idempotency_keys (workspace_id, caller, idem_key, request_hash)"
			     " VALUES (?, ?, ?, ?)", args, 4, NULL) == 0) {
			r->idem_claimed = 1;
			/* Now and then, sweep keys past their 24 hours. */
			if (random() % 64 == 0)
				db_query(r->db, r->pool,
					 "DELETE FROM idempotency_keys"
					 " WHERE created_at < NOW(3) - INTERVAL 24 HOUR LIMIT 200", DB_NOARGS, NULL);
			return 0;
		}
		if (db_errno(r->db) != DB_ER_DUP_ENTRY)
			return req_internal_error(r, "idempotency claim");
		if (db_query(r->db, r->pool,
			     "SELECT request_hash, status, response,"
			     " created_at < NOW(3) - INTERVAL 24 HOUR,"
			     " created_at < NOW(3) - INTERVAL " IDEM_STALE " SECOND"
			     " FROM idempotency_keys WHERE workspace_id = ? AND caller = ? AND idem_key = ?",
			     args, 3, &res))
			return req_internal_error(r, "idempotency lookup");
		if (res.nrows == 0)
			continue;       /* deleted meanwhile: claim again */
		if (db_cell_int(&res, 0, 3)) {
			/* Expired: forget it and claim the key afresh. */
			if (db_query(r->db, r->pool,
				     "DELETE FROM idempotency_keys WHERE workspace_id = ? AND caller = ?"
				     " AND idem_key = ? AND created_at < NOW(3) - INTERVAL 24 HOUR",
				     args, 3, NULL))
				return req_internal_error(r, "idempotency expiry");
			continue;
		}
		if (strcmp(db_cell(&res, 0, 0), hash))
			return req_error(r, 422, "Unprocessable Entity",
					 "this Idempotency-Key was used with a different request");
		if (db_cell(&res, 0, 1))
			return replay(r, (int)db_cell_int(&res, 0, 1), db_cell(&res, 0, 2));
		if (db_cell_int(&res, 0, 4)) {
			/* Claimed long ago and never answered: the first attempt
			 * died before committing anything. Take the key over. */
			if (db_query(r->db, r->pool,
				     "UPDATE idempotency_keys SET created_at = NOW(3) WHERE workspace_id = ?"
				     " AND caller = ? AND idem_key = ? AND status IS NULL"
				     " AND created_at < NOW(3) - INTERVAL " IDEM_STALE " SECOND", args, 3, &res))
				return req_internal_error(r, "idempotency takeover");
			if (res.affected == 1) {
				r->idem_claimed = 1;
				return 0;
			}
		}
		return req_error(r, 409, "Conflict",
				 "a request with this Idempotency-Key is still in progress");
	}
	return req_error(r, 409, "Conflict", "a request with this Idempotency-Key is still in progress");
}

int idem_store(struct req *r)
{
	struct db_arg args[5];
	const char *body = json_object_to_json_string_ext(r->resp, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE);

	args[0] = ARG_INT(r->status);
	args[1] = ARG_TEXT(body);
	set_scope(r, args + 2);
	return db_query(r->db, r->pool,
			"UPDATE idempotency_keys SET status = ?, response = ?"
			" WHERE workspace_id = ? AND caller = ? AND idem_key = ?", args, 5, NULL);
}

void idem_forget(struct req *r)
{
	struct db_arg args[3];

	set_scope(r, args);
	if (db_query(r->db, r->pool,
		     "DELETE FROM idempotency_keys WHERE workspace_id = ? AND caller = ? AND idem_key = ?"
		     " AND status IS NULL", args, 3, NULL))
		fprintf(stderr, "%s error: unable to release Idempotency-Key: %s\n", r->request_id,
			db_error(r->db));
}
