/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>

#include "core/conf.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"

#define STMT_CACHE_SIZE 512    /* power of two */
#define MAX_ARGS 128

struct stmt_entry {
	char *sql;
	uint64_t hash;
	MYSQL_STMT *stmt;
};

struct db {
	MYSQL *conn;
	const struct conf *conf;
	enum db_role role;
	struct stmt_entry cache[STMT_CACHE_SIZE];
	size_t cached;
	int in_tx;
	/* Why the open transaction is gone (its connection died, or the
	 * server rolled it back after a deadlock); 0 while it is whole. */
	unsigned tx_broken;
	unsigned err;
	char errmsg[512];
	uint64_t queries;
	/* The GTID of the last transaction committed here ("" when the
	 * server writes no binary log), from the session tracker. */
	char last_gtid[128];
	/* The open transaction's last step before COMMIT (db_before_commit). */
	int (*before_commit)(struct db *db, void *ctx);
	void *before_commit_ctx;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

static void set_error(struct db *db, unsigned err, const char *msg)
{
	db->err = err;
	snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg);
}

static void cache_clear(struct db *db)
{
	size_t i;

	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		if (db->cache[i].stmt)
			mysql_stmt_close(db->cache[i].stmt);
		free(db->cache[i].sql);
		db->cache[i].stmt = NULL;
		db->cache[i].sql = NULL;
	}
	db->cached = 0;
}

/* Returns 0 when connected, -1 after logging the error. */
static int connect_db(struct db *db)
{
	const struct conf *c = db->conf;
	unsigned timeout = 5, io_timeout = (unsigned)c->db_read_timeout_seconds;
	struct strbuf init = STRBUF_INIT;
	int ret = -1, replica = db->role == DB_REPLICA;
	/* A replica has its own address, and its own account if one is set. */
	int own_account = replica && *c->db_replica_user;
	const char *host = replica ? c->db_replica_host : c->db_host;
	const char *socket = replica ? c->db_replica_socket : c->db_socket;
	const char *user = own_account ? c->db_replica_user : c->db_user;
	const char *password = own_account ? c->db_replica_password : c->db_password;
	unsigned port = (unsigned)(replica ? c->db_replica_port : c->db_port);

	if (db->conn)
		mysql_close(db->conn);
	db->conn = mysql_init(NULL);
	if (!db->conn) {
		set_error(db, CR_OUT_OF_MEMORY, "out of memory");
		goto out;
	}
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* UTC everywhere (timestamps leave the API with a 'Z'), strict
	 * types, and READ COMMITTED: stock rows are locked explicitly with
	 * FOR UPDATE, and no gap locks means fewer deadlocks. */
	strbuf_adds(&init, "SET SESSION time_zone = '+00:00', SESSION tx_isolation = 'READ-COMMITTED',"
		    " SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
		    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (db->role != DB_ADMIN) {
		/* A stalled or locked server must not outlast nginx's patience:
		 * socket reads and writes give up, the server ends a statement
		 * a second before that, and a row lock is waited for briefly. */
		mysql_options(db->conn, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
		mysql_options(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
		strbuf_addf(&init, ", SESSION innodb_lock_wait_timeout = %d, SESSION max_statement_time = %d",
			    c->db_lock_wait_timeout_seconds,
			    c->db_read_timeout_seconds > 1 ? c->db_read_timeout_seconds - 1 : 1);
		/* A COMMIT's answer then carries its GTID: the consistency
		 * token of a write, without another round trip. */
		strbuf_adds(&init, ", SESSION session_track_system_variables = 'last_gtid'");
	}
	mysql_options(db->conn, MYSQL_INIT_COMMAND, init.buf);
	if (!mysql_real_connect(db->conn, *socket ? NULL : host, user, password, c->db_name, port,
				*socket ? socket : NULL, 0)) {
		set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
		error("database: unable to connect: %s", db->errmsg);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&init);
	return ret;
}

struct db *db_open(const struct conf *conf, enum db_role role)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->conf = conf;
	db->role = role;
	if (connect_db(db)) {
		/* Keep the handle: requests retry the connection later. */
		if (db->conn) {
			mysql_close(db->conn);
			db->conn = NULL;
		}
	}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	cache_clear(db);
	if (db->conn)
		mysql_close(db->conn);
	free(db);
}

static int is_connection_error(unsigned err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
	       err == CR_CONNECTION_ERROR || err == CR_CONN_HOST_ERROR ||
	       err == 1927 /* ER_CONNECTION_KILLED */;
}

/*
 * Forgets a connection that failed (timed out, lost): its statements are
 * gone, and a transaction open on it is broken until rolled back, so that
 * nothing runs outside it on a fresh connection.
 */
static void drop_connection(struct db *db)
{
	cache_clear(db);
	if (db->conn) {
		mysql_close(db->conn);
		db->conn = NULL;
	}
	if (db->in_tx)
		db->tx_broken = CR_SERVER_LOST;
}

/* Drops sql's statement from the cache (it is prepared afresh next time). */
static void stmt_forget(struct db *db, const char *sql)
{
	uint64_t h = fnv1a(sql);
	size_t i = (size_t)h & (STMT_CACHE_SIZE - 1), probes;

	for (probes = 0; probes < STMT_CACHE_SIZE; probes++) {
		struct stmt_entry *e = &db->cache[(i + probes) & (STMT_CACHE_SIZE - 1)];

		if (!e->sql)
			return;
		if (e->hash == h && !strcmp(e->sql, sql)) {
			/* Open addressing: a hole would hide the entries after
			 * it, so the whole cache goes (it refills as used). */
			cache_clear(db);
			return;
		}
	}
}

/* Returns the cached statement for sql, preparing it if needed. */
static MYSQL_STMT *stmt_get(struct db *db, const char *sql)
{
	uint64_t h = fnv1a(sql);
	size_t i = (size_t)h & (STMT_CACHE_SIZE - 1), probes;
	MYSQL_STMT *stmt;

	for (probes = 0; probes < STMT_CACHE_SIZE; probes++) {
		struct stmt_entry *e = &db->cache[(i + probes) & (STMT_CACHE_SIZE - 1)];

		if (!e->sql)
			break;
		if (e->hash == h && !strcmp(e->sql, sql))
			return e->stmt;
	}
	stmt = mysql_stmt_init(db->conn);
	if (!stmt) {
		set_error(db, CR_OUT_OF_MEMORY, "out of memory");
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql))) {
		set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
		mysql_stmt_close(stmt);
		return NULL;
	}
	/* Statements are fixed fragments, so the cache stays small; if it
	 * ever fills up it is emptied rather than grown. */
	if (db->cached >= STMT_CACHE_SIZE / 2)
		cache_clear(db);
	for (probes = 0;; probes++) {
		struct stmt_entry *e = &db->cache[(i + probes) & (STMT_CACHE_SIZE - 1)];

		if (!e->sql) {
			e->sql = xstrdup(sql);
			e->hash = h;
			e->stmt = stmt;
			db->cached++;
			break;
		}
	}
	return stmt;
}

static int bind_args(struct db *db, MYSQL_STMT *stmt, const struct db_arg *args, size_t nargs,
		     MYSQL_BIND *binds)
{
	size_t i;

	if (mysql_stmt_param_count(stmt) != nargs)
		bug("statement takes %lu values, %zu given", mysql_stmt_param_count(stmt), nargs);
	memset(binds, 0, sizeof(*binds) * nargs);
	for (i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case DB_NULL:
			binds[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DB_INT:
			binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
			binds[i].buffer = (void *)&args[i].i;
			break;
		case DB_DOUBLE:
			binds[i].buffer_type = MYSQL_TYPE_DOUBLE;
			binds[i].buffer = (void *)&args[i].d;
			break;
		case DB_TEXT:
			binds[i].buffer_type = MYSQL_TYPE_STRING;
			binds[i].buffer = (void *)args[i].s;
			binds[i].buffer_length = strlen(args[i].s);
			break;
		}
	}
	if (nargs && mysql_stmt_bind_param(stmt, binds)) {
		set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
		return -1;
	}
	return 0;
}

/* Bytes a cell is read into first; a longer one is read again whole. */
#define CELL_BUFFER 256

/*
 * Reads every row of an executed statement into res, every cell as text in
 * the pool. The result buffers are bound once; each row's cells are copied
 * out at their length.
 */
static int fetch_all(struct db *db, MYSQL_STMT *stmt, struct pool *pool, struct db_result *res)
{
	size_t ncols = mysql_stmt_field_count(stmt), nrows, r, c;
	MYSQL_BIND *binds;
	unsigned long *lens;
	my_bool *nulls;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (!ncols)
		return 0;
	if (mysql_stmt_store_result(stmt)) {
		set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
		goto out;
	}
	nrows = (size_t)mysql_stmt_num_rows(stmt);
	binds = pool_calloc(pool, ncols, sizeof(*binds));
	lens = pool_calloc(pool, ncols, sizeof(*lens));
	nulls = pool_calloc(pool, ncols, sizeof(*nulls));
	res->ncols = ncols;
	res->cells = pool_calloc(pool, nrows * ncols + 1, sizeof(char *));
	for (c = 0; c < ncols; c++) {
		binds[c].buffer_type = MYSQL_TYPE_STRING;
		binds[c].buffer = pool_alloc(pool, CELL_BUFFER);
		binds[c].buffer_length = CELL_BUFFER;
		binds[c].length = &lens[c];
		binds[c].is_null = &nulls[c];
	}
	if (mysql_stmt_bind_result(stmt, binds)) {
		set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
		goto out;
	}
	for (r = 0; r < nrows; r++) {
		int rc = mysql_stmt_fetch(stmt);

		if (rc == 1) {
			set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
			goto out;
		}
		if (rc == MYSQL_NO_DATA)
			break;
		for (c = 0; c < ncols; c++) {
			char **cell = &res->cells[r * ncols + c];
			MYSQL_BIND whole;

			if (nulls[c]) {
				*cell = NULL;
			} else if (lens[c] < CELL_BUFFER) {
				*cell = pool_strndup(pool, binds[c].buffer, lens[c]);
			} else {
				/* Truncated: read the whole value into its own cell. */
				whole = binds[c];
				whole.buffer = *cell = pool_alloc(pool, lens[c] + 1);
				whole.buffer_length = lens[c] + 1;
				if (mysql_stmt_fetch_column(stmt, &whole, (unsigned)c, 0)) {
					set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
					goto out;
				}
				(*cell)[lens[c]] = '\0';
			}
		}
	}
	res->nrows = r;
	ret = 0;
out:
	mysql_stmt_free_result(stmt);
	return ret;
}

static int run_once(struct db *db, struct pool *pool, const char *sql,
		    const struct db_arg *args, size_t nargs, struct db_result *res)
{
	MYSQL_BIND stack_binds[MAX_ARGS], *binds = stack_binds;
	MYSQL_STMT *stmt;
	struct db_result scratch;
	int ret = -1;

	/* A long IN list (query_in) binds from the pool. */
	if (nargs > MAX_ARGS)
		binds = pool_calloc(pool, nargs, sizeof(*binds));
	if (!db->conn && connect_db(db))
		goto out;
	stmt = stmt_get(db, sql);
	if (!stmt)
		goto out;
	if (bind_args(db, stmt, args, nargs, binds))
		goto out;
	db->queries++;
	if (mysql_stmt_execute(stmt)) {
		set_error(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
		goto failed;
	}
	if (fetch_all(db, stmt, pool, res ? res : &scratch))
		goto failed;
	if (res) {
		res->affected = mysql_stmt_affected_rows(stmt);
		res->insert_id = mysql_stmt_insert_id(stmt);
	}
	ret = 0;
	goto out;
failed:
	/* A statement that failed half-way may hold unread results or a
	 * bad state: reset it before its next use, or prepare it again. */
	if (!is_connection_error(db->err) && mysql_stmt_reset(stmt))
		stmt_forget(db, sql);
out:
	return ret;
}

int db_query(struct db *db, struct pool *pool, const char *sql,
	     const struct db_arg *args, size_t nargs, struct db_result *res)
{
	int ret;

	if (db->tx_broken) {
		set_error(db, db->tx_broken, "the transaction was rolled back or its connection lost");
		return -1;
	}
	db->err = 0;
	ret = run_once(db, pool, sql, args, nargs, res);
	/* A lost connection invalidates every prepared statement. Reconnect
	 * and retry once, but never inside a transaction: its work is gone. */
	if (ret && is_connection_error(db->err) && !db->in_tx) {
		cache_clear(db);
		if (connect_db(db) == 0)
			ret = run_once(db, pool, sql, args, nargs, res);
	}
	if (ret && is_connection_error(db->err))
		drop_connection(db);
	/* A deadlock rolls the whole transaction back: what follows would
	 * run outside it, so nothing may, until the caller rolls back. */
	if (ret && db->err == DB_ER_LOCK_DEADLOCK && db->in_tx)
		db->tx_broken = DB_ER_LOCK_DEADLOCK;
	return ret;
}

int db_unavailable(const struct db *db)
{
	return !db->conn || is_connection_error(db->err) || db->err == DB_ER_STATEMENT_TIMEOUT;
}

int db_input_error(const struct db *db)
{
	switch (db->err) {
	case 1264:      /* out of range value */
	case 1265:      /* data truncated */
	case 1292:      /* incorrect date/datetime value */
	case 1366:      /* incorrect string value (bytes the column cannot hold) */
	case 1367:      /* illegal value */
	case 1406:      /* data too long */
	case 1690:      /* value out of range in an expression */
		return 1;
	default:
		return 0;
	}
}

unsigned db_errno(const struct db *db)
{
	return db->err;
}

const char *db_error(const struct db *db)
{
	return db->errmsg;
}

static int simple(struct db *db, const char *sql)
{
	if (!db->conn && (db->in_tx || connect_db(db)))
		return -1;
	db->queries++;
	if (mysql_real_query(db->conn, sql, strlen(sql))) {
		set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
		if (is_connection_error(db->err))
			drop_connection(db);
		return -1;
	}
	return 0;
}

int db_begin(struct db *db)
{
	if (db->in_tx)
		bug("nested transaction");
	db->err = 0;
	/* Nothing is lost before BEGIN: on a dead connection, reconnect once. */
	if (simple(db, "START TRANSACTION") &&
	    (!is_connection_error(db->err) || simple(db, "START TRANSACTION")))
		return -1;
	db->in_tx = 1;
	db->before_commit = NULL;
	db->before_commit_ctx = NULL;
	return 0;
}

void db_before_commit(struct db *db, int (*fn)(struct db *db, void *ctx), void *ctx)
{
	db->before_commit = fn;
	db->before_commit_ctx = ctx;
}

void *db_before_commit_ctx(const struct db *db, int (*fn)(struct db *db, void *ctx))
{
	return db->in_tx && db->before_commit == fn ? db->before_commit_ctx : NULL;
}

/* Keeps the last_gtid the server reported with the last statement, if it did. */
static void track_last_gtid(struct db *db)
{
	const char *data;
	size_t len;
	int is_name = 1, found = 0;

	db->last_gtid[0] = '\0';
	if (mysql_session_track_get_first(db->conn, SESSION_TRACK_SYSTEM_VARIABLES, &data, &len))
		return;
	/* Names and values alternate. */
	do {
		if (found) {
			if (len < sizeof(db->last_gtid)) {
				memcpy(db->last_gtid, data, len);
				db->last_gtid[len] = '\0';
			}
			return;
		}
		found = is_name && len == 9 && !memcmp(data, "last_gtid", 9);
		is_name = !is_name;
	} while (mysql_session_track_get_next(db->conn, SESSION_TRACK_SYSTEM_VARIABLES, &data,
					      &len) == 0);
}

const char *db_last_gtid(const struct db *db)
{
	return db->last_gtid;
}

int db_gtid_wait(struct db *db, struct pool *pool, const char *gtid, double seconds)
{
	struct db_result res;

	if (db_query(db, pool, "SELECT MASTER_GTID_WAIT(?, ?)",
		     DB_ARGS(ARG_TEXT(gtid), ARG_DOUBLE(seconds)), &res) || res.nrows != 1)
		return -1;
	return db_cell_int(&res, 0, 0) == 0 ? 0 : -1;
}

int db_commit(struct db *db)
{
	int (*before)(struct db *, void *) = db->before_commit;
	int ret = -1;

	db->before_commit = NULL;
	if (db->tx_broken) {
		set_error(db, db->tx_broken, "the transaction was rolled back or its connection lost");
		goto out;
	}
	if (before && before(db, db->before_commit_ctx)) {
		/* Nothing of it may stay open for a later statement to commit. */
		unsigned err = db->err;
		char msg[sizeof(db->errmsg)];

		memcpy(msg, db->errmsg, sizeof(msg));
		if (db->conn && !is_connection_error(err))
			simple(db, "ROLLBACK");
		set_error(db, err, msg);
		goto out;
	}
	if (simple(db, "COMMIT") == 0) {
		ret = 0;
		track_last_gtid(db);
	}
	else if (is_connection_error(db->err))
		ret = DB_COMMIT_UNKNOWN;   /* sent, but no answer came back */
out:
	db->in_tx = 0;
	db->tx_broken = 0;
	return ret;
}

int db_rollback(struct db *db)
{
	int ret = 0;

	if (db->in_tx && db->conn && db->tx_broken != CR_SERVER_LOST)
		ret = simple(db, "ROLLBACK");
	db->before_commit = NULL;
	db->in_tx = 0;
	db->tx_broken = 0;
	return ret;
}

int db_in_transaction(const struct db *db)
{
	return db->in_tx;
}

int db_ping(struct db *db)
{
	if (!db->conn && connect_db(db))
		return -1;
	if (mysql_ping(db->conn)) {
		cache_clear(db);
		if (connect_db(db))
			return -1;
	}
	return 0;
}

uint64_t db_queries(const struct db *db)
{
	return db->queries;
}

int64_t db_cell_int(const struct db_result *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);

	return s ? strtoll(s, NULL, 10) : 0;
}

double db_cell_double(const struct db_result *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);

	return s ? strtod(s, NULL) : 0.0;
}

int db_exec_script(struct db *db, const char *sql)
{
	int status, ret = -1;

	if (!db->conn && connect_db(db))
		return -1;
	if (mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_ON)) {
		set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
		return -1;
	}
	if (mysql_real_query(db->conn, sql, strlen(sql))) {
		set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
		goto out;
	}
	/* Walk every statement's result: the first error stops the script. */
	do {
		MYSQL_RES *res = mysql_store_result(db->conn);

		if (res)
			mysql_free_result(res);
		else if (mysql_field_count(db->conn)) {
			set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
			goto out;
		}
		status = mysql_next_result(db->conn);
		if (status > 0) {
			set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
			goto out;
		}
	} while (status == 0);
	ret = 0;
out:
	mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return ret;
}

int db_unreachable(const struct db *db)
{
	return !db->conn || is_connection_error(db->err);
}

int db_replica_lag(struct db *db)
{
	static const char *const wanted[] = { "Slave_IO_Running", "Slave_SQL_Running",
					      "Seconds_Behind_Master" };
	const char *cell[3] = { NULL, NULL, NULL };
	MYSQL_RES *res = NULL;
	MYSQL_FIELD *fields;
	MYSQL_ROW row;
	unsigned i, j, n;
	int lag = -1;

	if (!db->conn && connect_db(db))
		goto out;
	/* Text protocol: the columns are found by name. */
	if (mysql_query(db->conn, "SHOW SLAVE STATUS") || !(res = mysql_store_result(db->conn))) {
		set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
		if (is_connection_error(db->err))
			drop_connection(db);
		goto out;
	}
	if (!(row = mysql_fetch_row(res)))
		goto out;   /* not a replica */
	fields = mysql_fetch_fields(res);
	n = mysql_num_fields(res);
	for (i = 0; i < n; i++)
		for (j = 0; j < 3; j++)
			if (!strcmp(fields[i].name, wanted[j]))
				cell[j] = row[i];
	if (cell[0] && cell[1] && cell[2] && !strcmp(cell[0], "Yes") && !strcmp(cell[1], "Yes"))
		lag = atoi(cell[2]);
out:
	if (res)
		mysql_free_result(res);
	return lag;
}
