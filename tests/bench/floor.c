/* SPDX-License-Identifier: MIT */
/*
 * floor: the floor of the stack for scripts/bench. A minimal libfcgi
 * responder, one MariaDB connection per process, statements prepared once:
 *
 *   GET  /floor/read?id=N   one prepared primary-key SELECT of a stock line,
 *                           answered as a small JSON document
 *   POST /floor/write?id=N  one small write transaction: START TRANSACTION;
 *                           UPDATE stock_lines ... WHERE id = ?; INSERT INTO
 *                           floor_log ...; COMMIT
 *
 * Nothing else: no authentication, no routing table, no JSON library. An
 * endpoint of the API does at least this much work, so its throughput
 * divided by the floor's (same run, same nginx) says how close it comes.
 *
 * It reads db.socket, db.host, db.port, db.name, db.user and db.password
 * from the file named by INVENTORY_CONF (the API's configuration), and
 * opens the session as inventory-fcgi does (UTC, READ COMMITTED, strict).
 * Started by spawn-fcgi, which hands it the listening socket on stdin.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <mysql.h>
#include <errmsg.h>

struct floor_conf {
	char host[256], socket[256], name[128], user[128], password[256];
	unsigned port;
};

struct floor_db {
	MYSQL *conn;
	MYSQL_STMT *read, *update, *insert;
};

#define ER_LOCK_DEADLOCK_ 1213

static const char read_sql[] =
	"SELECT id, workspace_id, product_id, location_id, lot_id, bin_id, qty_on_hand, qty_reserved,"
	" qty_on_hand - qty_reserved - qty_on_hold - qty_picked - qty_recalled - qty_expired"
	" FROM stock_lines WHERE id = ?";
static const char update_sql[] =
	"UPDATE stock_lines SET qty_on_hand = qty_on_hand + 1 WHERE id = ?";
static const char insert_sql[] =
	"INSERT INTO floor_log (stock_line_id, delta) VALUES (?, 1)";

#define READ_COLS 9

static void copy_value(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* Reads the db.* keys of a "key = value" file; other keys are ignored. */
static int conf_read(const char *path, struct floor_conf *c)
{
	char line[1024];
	FILE *f;

	memset(c, 0, sizeof(*c));
	copy_value(c->host, sizeof(c->host), "localhost");
	copy_value(c->name, sizeof(c->name), "inventory");
	copy_value(c->user, sizeof(c->user), "inventory");
	c->port = 3306;
	if (!path || !*path) {
		fprintf(stderr, "floor: INVENTORY_CONF is not set\n");
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key = line, *eq, *val, *end;

		while (isspace((unsigned char)*key))
			key++;
		if (*key == '#' || !(eq = strchr(key, '=')))
			continue;
		val = eq + 1;
		for (end = eq; end > key && isspace((unsigned char)end[-1]); end--)
			;
		*end = '\0';
		while (isspace((unsigned char)*val))
			val++;
		for (end = val + strlen(val); end > val && isspace((unsigned char)end[-1]); end--)
			;
		*end = '\0';
		if (!strcmp(key, "db.host"))
			copy_value(c->host, sizeof(c->host), val);
		else if (!strcmp(key, "db.socket"))
			copy_value(c->socket, sizeof(c->socket), val);
		else if (!strcmp(key, "db.name"))
			copy_value(c->name, sizeof(c->name), val);
		else if (!strcmp(key, "db.user"))
			copy_value(c->user, sizeof(c->user), val);
		else if (!strcmp(key, "db.password"))
			copy_value(c->password, sizeof(c->password), val);
		else if (!strcmp(key, "db.port"))
			c->port = (unsigned)strtoul(val, NULL, 10);
	}
	fclose(f);
	return 0;
}

static void db_disconnect(struct floor_db *db)
{
	if (db->read)
		mysql_stmt_close(db->read);
	if (db->update)
		mysql_stmt_close(db->update);
	if (db->insert)
		mysql_stmt_close(db->insert);
	if (db->conn)
		mysql_close(db->conn);
	memset(db, 0, sizeof(*db));
}

static MYSQL_STMT *prepare(MYSQL *conn, const char *sql)
{
	MYSQL_STMT *stmt = mysql_stmt_init(conn);

	if (!stmt)
		return NULL;
	if (mysql_stmt_prepare(stmt, sql, strlen(sql))) {
		fprintf(stderr, "floor: prepare: %s\n", mysql_stmt_error(stmt));
		mysql_stmt_close(stmt);
		return NULL;
	}
	return stmt;
}

/* Connects and prepares the three statements. Returns 0 or -1. */
static int db_connect(struct floor_db *db, const struct floor_conf *c)
{
	unsigned timeout = 5;

	db_disconnect(db);
	db->conn = mysql_init(NULL);
	if (!db->conn)
		return -1;
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->conn, MYSQL_INIT_COMMAND,
		      "SET SESSION time_zone = '+00:00', SESSION tx_isolation = 'READ-COMMITTED',"
		      " SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
		      "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (!mysql_real_connect(db->conn, *c->socket ? NULL : c->host, c->user, c->password,
				c->name, c->port, *c->socket ? c->socket : NULL, 0)) {
		fprintf(stderr, "floor: connect: %s\n", mysql_error(db->conn));
		db_disconnect(db);
		return -1;
	}
	db->read = prepare(db->conn, read_sql);
	db->update = prepare(db->conn, update_sql);
	db->insert = prepare(db->conn, insert_sql);
	if (!db->read || !db->update || !db->insert) {
		db_disconnect(db);
		return -1;
	}
	return 0;
}

static int is_connection_error(unsigned err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
	       err == CR_CONNECTION_ERROR || err == 1927;
}

/* Executes stmt with one integer parameter. Returns 0 or the error number. */
static unsigned exec_id(MYSQL_STMT *stmt, int64_t *id)
{
	MYSQL_BIND param;

	memset(&param, 0, sizeof(param));
	param.buffer_type = MYSQL_TYPE_LONGLONG;
	param.buffer = id;
	if (mysql_stmt_bind_param(stmt, &param) || mysql_stmt_execute(stmt))
		return mysql_stmt_errno(stmt) ? mysql_stmt_errno(stmt) : 1;
	return 0;
}

/* The id=N of the query string; 0 when absent or not a positive number. */
static int64_t query_id(const char *qs)
{
	const char *p = qs;
	char *end;
	long long v;

	while (p && *p) {
		if (!strncmp(p, "id=", 3)) {
			errno = 0;
			v = strtoll(p + 3, &end, 10);
			if (errno || end == p + 3 || (*end && *end != '&') || v <= 0)
				return 0;
			return (int64_t)v;
		}
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return 0;
}

static void respond(FCGX_Request *fr, int status, const char *reason, const char *body)
{
	/* libfcgi's own printf knows no %zu. */
	FCGX_FPrintF(fr->out, "Status: %d %s\r\nContent-Type: application/json\r\n"
		     "Content-Length: %d\r\n\r\n", status, reason, (int)strlen(body));
	FCGX_PutStr(body, (int)strlen(body), fr->out);
}

/* GET /floor/read?id=N. Returns 0, or -1 when the connection is gone. */
static int floor_read(FCGX_Request *fr, struct floor_db *db, int64_t id)
{
	MYSQL_BIND res[READ_COLS];
	long long v[READ_COLS];
	my_bool null[READ_COLS];
	char body[512];
	unsigned err;
	int rc, i, n;

	if ((err = exec_id(db->read, &id)))
		goto fail;
	memset(res, 0, sizeof(res));
	for (i = 0; i < READ_COLS; i++) {
		res[i].buffer_type = MYSQL_TYPE_LONGLONG;
		res[i].buffer = &v[i];
		res[i].is_null = &null[i];
	}
	if (mysql_stmt_bind_result(db->read, res) || mysql_stmt_store_result(db->read)) {
		err = mysql_stmt_errno(db->read);
		goto fail;
	}
	rc = mysql_stmt_fetch(db->read);
	mysql_stmt_free_result(db->read);
	if (rc == MYSQL_NO_DATA) {
		respond(fr, 404, "Not Found", "{\"error\":\"Stock line not found\"}");
		return 0;
	}
	if (rc == 1) {
		err = mysql_stmt_errno(db->read);
		goto fail;
	}
	n = snprintf(body, sizeof(body),
		     "{\"id\":\"item_%lld\",\"workspaceId\":\"ws_%lld\",\"productMasterId\":\"prod_%lld\","
		     "\"locationId\":\"loc_%lld\",", v[0], v[1], v[2], v[3]);
	n += null[4] ? snprintf(body + n, sizeof(body) - (size_t)n, "\"lotId\":null,") :
	     snprintf(body + n, sizeof(body) - (size_t)n, "\"lotId\":\"lot_%lld\",", v[4]);
	n += null[5] ? snprintf(body + n, sizeof(body) - (size_t)n, "\"binId\":null,") :
	     snprintf(body + n, sizeof(body) - (size_t)n, "\"binId\":\"bin_%lld\",", v[5]);
	snprintf(body + n, sizeof(body) - (size_t)n,
		 "\"qtyOnHand\":%lld,\"qtyReserved\":%lld,\"qtyAvailable\":%lld}", v[6], v[7], v[8]);
	respond(fr, 200, "OK", body);
	return 0;
fail:
	fprintf(stderr, "floor: read: %u %s\n", err, mysql_error(db->conn));
	respond(fr, 500, "Internal Server Error", "{\"error\":\"Internal Server Error\"}");
	return is_connection_error(err) ? -1 : 0;
}

/* POST /floor/write?id=N. Returns 0, or -1 when the connection is gone. */
static int floor_write(FCGX_Request *fr, struct floor_db *db, int64_t id)
{
	char body[128];
	unsigned err = 0;
	int attempt;

	for (attempt = 0; attempt < 5; attempt++) {
		if (mysql_real_query(db->conn, "START TRANSACTION", 17)) {
			err = mysql_errno(db->conn);
			break;
		}
		if ((err = exec_id(db->update, &id)) == 0) {
			if (mysql_stmt_affected_rows(db->update) != 1) {
				mysql_real_query(db->conn, "ROLLBACK", 8);
				respond(fr, 404, "Not Found", "{\"error\":\"Stock line not found\"}");
				return 0;
			}
			err = exec_id(db->insert, &id);
		}
		if (err == 0 && mysql_real_query(db->conn, "COMMIT", 6))
			err = mysql_errno(db->conn);
		if (err == 0) {
			snprintf(body, sizeof(body), "{\"success\":true,\"id\":\"item_%lld\"}",
				 (long long)id);
			respond(fr, 200, "OK", body);
			return 0;
		}
		if (is_connection_error(err))
			break;
		mysql_real_query(db->conn, "ROLLBACK", 8);
		if (err != ER_LOCK_DEADLOCK_)
			break;
	}
	fprintf(stderr, "floor: write: %u %s\n", err, mysql_error(db->conn));
	respond(fr, 500, "Internal Server Error", "{\"error\":\"Internal Server Error\"}");
	return is_connection_error(err) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct floor_conf conf;
	struct floor_db db;
	FCGX_Request fr;

	if (argc > 1) {
		printf("usage: floor\n\nThe benchmark's floor responder, started by spawn-fcgi; "
		       "it reads db.* from $INVENTORY_CONF.\n");
		return !strcmp(argv[1], "--help") ? 0 : 2;
	}
	memset(&db, 0, sizeof(db));
	if (conf_read(getenv("INVENTORY_CONF"), &conf))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (mysql_library_init(0, NULL, NULL) || FCGX_Init() || FCGX_InitRequest(&fr, 0, 0))
		return 1;
	if (db_connect(&db, &conf))
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		const char *method = FCGX_GetParam("REQUEST_METHOD", fr.envp);
		const char *uri = FCGX_GetParam("DOCUMENT_URI", fr.envp);
		int64_t id = query_id(FCGX_GetParam("QUERY_STRING", fr.envp));
		int lost = 0;

		if (!db.conn && db_connect(&db, &conf)) {
			respond(&fr, 503, "Service Unavailable", "{\"error\":\"Service Unavailable\"}");
		} else if (!method || !uri) {
			respond(&fr, 400, "Bad Request", "{\"error\":\"Bad Request\"}");
		} else if (strcmp(uri, "/floor/read") && strcmp(uri, "/floor/write")) {
			respond(&fr, 404, "Not Found", "{\"error\":\"Not Found\"}");
		} else if (!id) {
			respond(&fr, 400, "Bad Request", "{\"error\":\"id=N is required\"}");
		} else if (!strcmp(uri, "/floor/read") && !strcmp(method, "GET")) {
			lost = floor_read(&fr, &db, id);
		} else if (!strcmp(uri, "/floor/write") && !strcmp(method, "POST")) {
			lost = floor_write(&fr, &db, id);
		} else {
			respond(&fr, 405, "Method Not Allowed", "{\"error\":\"Method Not Allowed\"}");
		}
		FCGX_Finish_r(&fr);
		if (lost)
			db_disconnect(&db);
	}
	db_disconnect(&db);
	mysql_library_end();
	return 0;
}
