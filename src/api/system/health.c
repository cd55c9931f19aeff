/* GET /api/health and GET /api/openapi.json: no authentication. */
#include "config.h"

#include "api/api.h"
#include "api/system/system.h"
#include "core/pool.h"

int health_get(struct req *r)
{
	json_object *o = json_object_new_object();
	int up = db_ping(r->db) == 0;

	json_object_object_add(o, "status", json_object_new_string(up ? "ok" : "unavailable"));
	json_object_object_add(o, "database", json_object_new_string(up ? "ok" : "unreachable"));
	return req_respond(r, up ? 200 : 503, o);
}

int openapi_get(struct req *r)
{
	size_t len;
	const char *doc = openapi_json(&len);

	return req_respond_raw(r, 200, doc, len);
}
