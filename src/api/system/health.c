/* GET /api/health and GET /api/openapi.json: no authentication. */
#include "config.h"

#include "api/api.h"
#include "api/system/system.h"
#include "core/pool.h"

static const char *const health_ok[] = { "ok", NULL };
static const char *const health_unavailable[] = { "unavailable", NULL };
static const char *const database_unreachable[] = { "unreachable", NULL };

/* The answer when the database answers (200), and when not (503). */
const struct field health_fields[] = {
	{ .name = "status", .type = FIELD_STRING, .values = health_ok },
	{ .name = "database", .type = FIELD_STRING, .values = health_ok },
	FIELDS_END
};

const struct field health_down_fields[] = {
	{ .name = "status", .type = FIELD_STRING, .values = health_unavailable },
	{ .name = "database", .type = FIELD_STRING, .values = database_unreachable },
	FIELDS_END
};

int health_get(struct req *r)
{
	int up = db_ping(r->db) == 0;
	struct jw w;

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "status", up ? "ok" : "unavailable");
	jw_kstr(&w, "database", up ? "ok" : "unreachable");
	jw_close(&w, '}');
	return req_respond_jw(r, up ? 200 : 503, &w);
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
