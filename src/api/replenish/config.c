/* SPDX-License-Identifier: MIT */
/*
 * The workspace's replenishment configuration: one row, or the defaults
 * while it was never set. Every setting is declared once below: name,
 * column, range and default.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/replenish/replenish.h"
#include "core/pool.h"
#include "core/util.h"

static const char *const methods[] = { "MIN_MAX", "FORECAST", NULL };

/* name, column, type, least, most, default, description */
#define CONFIG_SETTINGS(X) \
	X("demandWindowDays", "demand_window_days", FIELD_INTEGER, 1, 730, 90, \
	  "Days of ledger outflows the average daily demand is taken over") \
	X("defaultLeadTimeDays", "default_lead_time_days", FIELD_INTEGER, 0, 365, 7, \
	  "Lead time of a level without expectedLeadTimeDays") \
	X("defaultReplenishmentPeriodDays", "default_replenishment_period_days", FIELD_INTEGER, \
	  0, 365, 14, "Replenishment period of a level without its own (FORECAST)") \
	X("includeInTransit", "include_in_transit", FIELD_BOOLEAN, 0, 1, 1, \
	  "Count shipped transfers to the location as coming") \
	X("includeOpenRequests", "include_open_requests", FIELD_BOOLEAN, 0, 1, 1, \
	  "Count approved stock requests to the location as on order") \
	X("excludeExpiringWithinLeadTime", "exclude_expiring_within_lead_time", FIELD_BOOLEAN, \
	  0, 1, 1, "Leave out stock whose lot expires before a replenishment could arrive") \
	X("roundToMultiple", "round_to_multiple", FIELD_INTEGER, 1, 100000, 1, \
	  "Suggested quantities are rounded up to a multiple of this")

#define AS_FIELD(n, c, t, lo, hi, d, desc) { .name = n, .type = t, .column = c, .description = desc },
#define AS_SETTING(n, c, t, lo, hi, d, desc) { n, c, lo, hi, d },

const struct field replenish_config_fields[] = {
	{ .name = "method", .type = FIELD_STRING, .values = methods, .column = "method",
	  .description = "MIN_MAX (order up to max at the reorder point) or FORECAST (cover "
			 "demand over lead time and replenishment period); default MIN_MAX" },
	CONFIG_SETTINGS(AS_FIELD)
	FIELDS_END
};

static const struct {
	const char *name, *column;
	int64_t least, most, value;
} settings[CFG__MAX] = { CONFIG_SETTINGS(AS_SETTING) };

int replenish_config_read(struct req *r, struct replenish_config *out)
{
	struct db_result res;
	size_t i;

	if (db_query(r->db, r->pool,
		     pool_printf(r->pool, "%s FROM replenishment_config WHERE workspace_id = ?",
				 api_select(replenish_config_fields)),
		     DB_ARGS(ARG_INT(api_ws(r))), &res))
		return req_internal_error(r, "replenishment configuration");
	out->method = res.nrows ? db_cell(&res, 0, 0) : methods[0];
	for (i = 0; i < CFG__MAX; i++)
		out->v[i] = res.nrows ? db_cell_int(&res, 0, i + 1) : settings[i].value;
	return 0;
}

static int config_respond(struct req *r)
{
	struct replenish_config c;
	struct jw w;
	size_t i;
	int status;

	if ((status = replenish_config_read(r, &c)))
		return status;
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_kstr(&w, "method", c.method);
	for (i = 0; i < CFG__MAX; i++) {
		if (replenish_config_fields[i + 1].type == FIELD_BOOLEAN)
			jw_kbool(&w, settings[i].name, c.v[i] != 0);
		else
			jw_kint(&w, settings[i].name, c.v[i]);
	}
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

int replenish_config_get(struct req *r)
{
	return config_respond(r);
}

int replenish_config_post(struct req *r)
{
	const char *method = api_body_string(r, "method");
	size_t i;

	/* Every key must be a setting: a misspelt one would change nothing. */
	json_object_object_foreach(r->json, key, value) {
		const struct field *f;

		(void)value;
		for (f = replenish_config_fields; f->name && strcmp(f->name, key); f++)
			;
		if (!f->name)
			return req_field_error(r, key, "is not a setting");
	}
	for (i = 0; i < CFG__MAX; i++) {
		json_object *v;
		int64_t n;

		if (!json_object_object_get_ex(r->json, settings[i].name, &v))
			continue;
		n = replenish_config_fields[i + 1].type == FIELD_BOOLEAN ? json_object_get_boolean(v)
									 : json_object_get_int64(v);
		if (n < settings[i].least || n > settings[i].most)
			return req_field_error(r, settings[i].name,
					       pool_printf(r->pool, "must be %lld to %lld",
							   (long long)settings[i].least,
							   (long long)settings[i].most));
	}
	if (db_query(r->db, r->pool,
		     "INSERT INTO replenishment_config (workspace_id) VALUES (?)"
		     " ON DUPLICATE KEY UPDATE workspace_id = workspace_id",
		     DB_ARGS(ARG_INT(api_ws(r))), NULL))
		return api_db_error(r, "replenishment configuration");
	if (method && db_query(r->db, r->pool,
			       "UPDATE replenishment_config SET method = ? WHERE workspace_id = ?",
			       DB_ARGS(ARG_TEXT(method), ARG_INT(api_ws(r))), NULL))
		return api_db_error(r, "replenishment configuration");
	for (i = 0; i < CFG__MAX; i++) {
		json_object *v;

		if (!json_object_object_get_ex(r->json, settings[i].name, &v))
			continue;
		/* The column comes from the fixed table above. */
		if (db_query(r->db, r->pool,
			     pool_printf(r->pool, "UPDATE replenishment_config SET %s = ?"
					 " WHERE workspace_id = ?", settings[i].column),
			     DB_ARGS(ARG_INT(json_object_get_int64(v)), ARG_INT(api_ws(r))), NULL))
			return api_db_error(r, "replenishment configuration");
	}
	return config_respond(r);
}
