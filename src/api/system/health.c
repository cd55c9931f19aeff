/* SPDX-License-Identifier: MIT */
/*
 * The system endpoints: the health check and the liveness answer, the
 * OpenAPI document (no authentication) and the metrics.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/system/system.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "metrics.h"

static const char *const health_ok[] = { "ok", NULL };
static const char *const health_unavailable[] = { "unavailable", NULL };
static const char *const database_unreachable[] = { "unreachable", NULL };

#define VERSION_FIELD \
	{ .name = "version", .type = FIELD_STRING, \
	  .description = "The version of inventory-api that answers" }

/* The answer when the database answers (200), and when not (503). */
const struct field health_fields[] = {
	{ .name = "status", .type = FIELD_STRING, .values = health_ok },
	{ .name = "database", .type = FIELD_STRING, .values = health_ok },
	VERSION_FIELD,
	{ .name = "migrationsPending", .type = FIELD_BOOLEAN,
	  .description = "true when a migration installed with this version is not applied to "
			 "the database (run inventoryctl migrate)" },
	{ .name = "pendingMigrations", .type = FIELD_INTEGER,
	  .description = "How many installed migrations the database has not applied" },
	FIELDS_END
};

const struct field health_down_fields[] = {
	{ .name = "status", .type = FIELD_STRING, .values = health_unavailable },
	{ .name = "database", .type = FIELD_STRING, .values = database_unreachable },
	VERSION_FIELD,
	FIELDS_END
};

const struct field health_live_fields[] = {
	{ .name = "status", .type = FIELD_STRING, .values = health_ok },
	VERSION_FIELD,
	FIELDS_END
};

#define ER_NO_SUCH_TABLE 1146

/*
 * How many of installed_migrations (those make installs beside this
 * binary) schema_migrations does not record, matched by their version
 * (the name's first four digits) as inventoryctl migrate records them.
 * Returns the count, or -1 when the database did not answer.
 */
static int pending_migrations(struct req *r)
{
	struct db_result res;
	size_t i, j;
	int pending = 0;

	if (db_query(r->db, r->pool, "SELECT version FROM schema_migrations", DB_NOARGS, &res)) {
		if (db_errno(r->db) != ER_NO_SUCH_TABLE)
			return -1;
		res.nrows = 0;
	}
	for (i = 0; installed_migrations[i]; i++) {
		for (j = 0; j < res.nrows; j++) {
			const char *v = db_cell(&res, j, 0);

			if (v && !strncmp(v, installed_migrations[i], 4))
				break;
		}
		pending += j == res.nrows;
	}
	return pending;
}

int health_get(struct req *r)
{
	int pending = db_ping(r->db) == 0 ? pending_migrations(r) : -1;
	struct jw w;

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "status", pending >= 0 ? "ok" : "unavailable");
	jw_kstr(&w, "database", pending >= 0 ? "ok" : "unreachable");
	jw_kstr(&w, "version", PACKAGE_VERSION);
	if (pending >= 0) {
		jw_kbool(&w, "migrationsPending", pending > 0);
		jw_kint(&w, "pendingMigrations", pending);
	}
	jw_close(&w, '}');
	return req_respond_jw(r, pending >= 0 ? 200 : 503, &w);
}

int health_live_get(struct req *r)
{
	struct jw w;

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "status", "ok");
	jw_kstr(&w, "version", PACKAGE_VERSION);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

int metrics_get(struct req *r)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;

	metrics_write(&sb);
	text = pool_strndup(r->pool, sb.buf, sb.len);
	req_respond_text(r, 200, METRICS_CONTENT_TYPE, text, sb.len);
	strbuf_release(&sb);
	return 200;
}

/* The members of an OpenAPI document that a client looks for. */
const struct field openapi_document_fields[] = {
	{ .name = "openapi", .type = FIELD_STRING, .description = "3.1.0" },
	{ .name = "info", .type = FIELD_OBJECT },
	{ .name = "servers", .type = FIELD_ARRAY },
	{ .name = "paths", .type = FIELD_OBJECT },
	{ .name = "components", .type = FIELD_OBJECT },
	{ .name = "security", .type = FIELD_ARRAY },
	FIELDS_END
};

int openapi_get(struct req *r)
{
	size_t len;
	const char *doc = openapi_json(&len);

	return req_respond_raw(r, 200, doc, len);
}
