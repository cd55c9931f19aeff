/* SPDX-License-Identifier: MIT */
/*
 * The database: one connection per process, statements prepared once and
 * kept in a per-process cache keyed by their SQL text, every value bound.
 * Results are read whole into the caller's pool as text cells.
 */
#ifndef INV_DB_H
#define INV_DB_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct pool;
struct db;

enum db_type { DB_NULL, DB_INT, DB_DOUBLE, DB_TEXT };

struct db_arg {
	enum db_type type;
	int64_t i;
	double d;
	const char *s;
};

#define ARG_INT(x)    ((struct db_arg){ .type = DB_INT, .i = (int64_t)(x) })
#define ARG_DOUBLE(x) ((struct db_arg){ .type = DB_DOUBLE, .d = (x) })
#define ARG_NULL      ((struct db_arg){ .type = DB_NULL })
/* Text, or SQL NULL when s is NULL. */
#define ARG_TEXT(x)   db_arg_text(x)
/* An id, or SQL NULL when it is 0 (no id). */
#define ARG_ID(x)     db_arg_id(x)

static inline struct db_arg db_arg_text(const char *s)
{
	struct db_arg a = { .type = s ? DB_TEXT : DB_NULL, .s = s };
	return a;
}

static inline struct db_arg db_arg_id(int64_t id)
{
	struct db_arg a = { .type = id ? DB_INT : DB_NULL, .i = id };
	return a;
}

/* Builds the (array, count) pair that db_query takes. */
#define DB_ARGS(...) (struct db_arg[]){ __VA_ARGS__ }, \
	(sizeof((struct db_arg[]){ __VA_ARGS__ }) / sizeof(struct db_arg))
#define DB_NOARGS NULL, 0

struct db_result {
	size_t nrows;
	size_t ncols;
	char **cells;          /* nrows * ncols; NULL for SQL NULL */
	uint64_t affected;     /* rows changed by an INSERT/UPDATE/DELETE */
	uint64_t insert_id;
};

/*
 * Who uses the connection. A responder answers within a time budget: its
 * reads and writes time out after db.read_timeout_seconds, a statement
 * runs at most one second less, and a row lock is waited for at most
 * db.lock_wait_timeout_seconds. The admin CLI (migrations, imports,
 * exports) waits as long as the work takes.
 */
enum db_role { DB_RESPONDER, DB_ADMIN, DB_REPLICA };

/* Opens the connection described by conf (connecting later if the server
 * is down). Never returns NULL. */
struct db *db_open(const struct conf *conf, enum db_role role);
void db_close(struct db *db);
/* 1 when the last failure of db was its connection (or it has none). */
int db_unreachable(const struct db *db);
/*
 * The replica's lag in seconds (SHOW SLAVE STATUS, which needs the SLAVE
 * MONITOR privilege), or -1 when it is unreachable, not a replica, or not
 * replicating (either thread stopped).
 */
int db_replica_lag(struct db *db);
/* The GTID of the last transaction db committed, "" when unknown. */
const char *db_last_gtid(const struct db *db);
/* Waits up to seconds for the replica db to have applied gtid (a GTID
 * list). Returns 0 when it has, -1 otherwise. */
int db_gtid_wait(struct db *db, struct pool *pool, const char *gtid, double seconds);

/*
 * Runs sql with args bound to its placeholders; a SELECT's rows are read
 * into res (cells allocated from pool). res may be NULL for statements
 * whose rows are not wanted. A lost connection outside a transaction is
 * re-opened and the statement retried once.
 * Returns 0, or -1 on a database error (see db_errno).
 */
int db_query(struct db *db, struct pool *pool, const char *sql,
	     const struct db_arg *args, size_t nargs, struct db_result *res);

/* Runs a script of several statements (migrations). Returns 0 or -1. */
int db_exec_script(struct db *db, const char *sql);

/* The server's error number of the last failed call (1062 duplicate key,
 * 1213 deadlock, 1205 lock wait timeout, 1452 foreign key, ...). */
unsigned db_errno(const struct db *db);
const char *db_error(const struct db *db);
/* 1 when the last failure was the database being unreachable (or too
 * slow to answer in time). */
int db_unavailable(const struct db *db);
/*
 * 1 when the last failure was caused by the values sent, not by the
 * server: text the column cannot hold, a number out of range, a date that
 * does not exist. Such a request gets 400, never 500.
 */
int db_input_error(const struct db *db);

int db_begin(struct db *db);
/*
 * Commits the open transaction. Returns 0; -1 when nothing was applied;
 * DB_COMMIT_UNKNOWN when the connection died while committing, so that
 * whether the transaction was applied is unknown.
 */
#define DB_COMMIT_UNKNOWN 1
int db_commit(struct db *db);
/* Safe to call when no transaction is open. A transaction whose
 * connection was lost, or that a deadlock rolled back, stays "broken"
 * until this is called: every query fails meanwhile (with that error)
 * rather than run outside it. */
int db_rollback(struct db *db);
int db_in_transaction(const struct db *db);
/*
 * Sets the open transaction's last step: db_commit calls fn(db, ctx)
 * before COMMIT, after every other statement (so the locks fn takes are
 * the transaction's last), and commits nothing when it fails (-1). One
 * step per transaction; db_begin and db_rollback drop it.
 */
void db_before_commit(struct db *db, int (*fn)(struct db *db, void *ctx), void *ctx);
/* The ctx of the open transaction's step when it is fn, else NULL. */
void *db_before_commit_ctx(const struct db *db, int (*fn)(struct db *db, void *ctx));
/* Returns 0 when the server answers. */
int db_ping(struct db *db);
/* Counters for metrics and benchmarks. */
uint64_t db_queries(const struct db *db);

#define DB_ER_DUP_ENTRY 1062
#define DB_ER_LOCK_WAIT_TIMEOUT 1205
#define DB_ER_LOCK_DEADLOCK 1213
#define DB_ER_NO_REFERENCED_ROW 1452
#define DB_ER_STATEMENT_TIMEOUT 1969

static inline const char *db_cell(const struct db_result *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}
int64_t db_cell_int(const struct db_result *r, size_t row, size_t col);
double db_cell_double(const struct db_result *r, size_t row, size_t col);

#endif
