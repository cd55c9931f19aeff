/* SPDX-License-Identifier: MIT */
/*
 * The cells of channel ATP: one row per product, location and channel,
 * with the terms of ATP_FORMULA and the answer, in one SQL definition;
 * the channels a request names.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/channels/cells.h"
#include "api/channels/channels.h"
#include "core/pool.h"
#include "core/util.h"

const char *const atp_severities[] = { "OK", "LOW", "CRITICAL", NULL };

/*
 * The cells, in three layers: x the terms (s the stock of each product at
 * each location, rc what was reserved for each channel there), y the ATP,
 * then the severity. The placeholders are those of the scopes (see
 * add_scope), in order: s's, the workspace of c and the channels, rc's.
 */
static const char cells_head[] =
	"SELECT y.*, CASE WHEN y.atp <= y.critical THEN 'CRITICAL' WHEN y.atp <= y.low THEN 'LOW'"
	" ELSE 'OK' END severity FROM (SELECT x.*, CAST(GREATEST(0, LEAST(x.available,"
	" x.allocated - x.safety_stock - x.reserved_by_channel)) AS SIGNED) atp FROM ("
	"SELECT s.product_id, s.location_id, c.id channel_id, c.name channel_name,"
	" c.channel_type, c.code channel_code, " POLICY("id") " policy_id, " POLICY_SCOPE " policy_scope,"
	" " POLICY_PERCENT " allocation_percent, " POLICY_SAFETY " safety_stock,"
	" " POLICY_LOW " low, " POLICY_CRITICAL " critical,"
	" s.on_hand, s.reserved, s.available, s.sellable, s.on_hold, s.picked, s.recalled, s.expired,"
	" IFNULL(rc.quantity, 0) reserved_by_channel,"
	" CAST(FLOOR(s.sellable * " POLICY_PERCENT " / 100) AS SIGNED) allocated"
	" FROM (SELECT sl.product_id, sl.location_id, CAST(SUM(sl.qty_on_hand) AS SIGNED) on_hand,"
	" CAST(SUM(sl.qty_reserved) AS SIGNED) reserved,"
	" CAST(SUM(" SQL_AVAILABLE("sl", "lt") ") AS SIGNED) available,"
	" CAST(SUM(" SQL_SELLABLE("sl", "lt") ") AS SIGNED) sellable,"
	" CAST(SUM(sl.qty_on_hold) AS SIGNED) on_hold, CAST(SUM(sl.qty_picked) AS SIGNED) picked,"
	" CAST(SUM(sl.qty_recalled) AS SIGNED) recalled, CAST(SUM(sl.qty_expired) AS SIGNED) expired"
	" FROM stock_lines sl" SQL_JOIN_LOT("sl") " WHERE sl.workspace_id = ?";
static const char cells_channels[] =
	" GROUP BY sl.product_id, sl.location_id) s JOIN channels c ON c.workspace_id = ?";
/* A reservation on an unusable lot takes nothing from the sellable stock,
 * so none of the channel's quota either. */
static const char cells_reserved[] =
	POLICY_JOINS("s.location_id")
	" LEFT JOIN (SELECT sl.product_id, sl.location_id, cr.channel_id,"
	" CAST(SUM(LEAST(cr.quantity, sl.qty_reserved)) AS SIGNED) quantity"
	" FROM channel_reservations cr JOIN stock_lines sl ON sl.workspace_id = cr.workspace_id"
	" AND sl.id = cr.stock_line_id" SQL_JOIN_LOT("sl") " WHERE NOT (" SQL_LOT_UNUSABLE("lt") " IS TRUE)"
	" AND cr.workspace_id = ?";
static const char cells_tail[] =
	" GROUP BY sl.product_id, sl.location_id, cr.channel_id) rc ON rc.product_id = s.product_id"
	" AND rc.location_id = s.location_id AND rc.channel_id = c.id) x) y";

/* The stock conditions of sc on the stock lines sl. */
static void add_scope(struct query *q, const struct cell_scope *sc)
{
	if (sc->location)
		query_bind(q, " AND sl.location_id = ?", ARG_INT(sc->location));
	if (sc->product)
		query_bind(q, " AND sl.product_id = ?", ARG_INT(sc->product));
	if (sc->nproducts)
		query_in(q, " AND sl.product_id IN (", sc->products, sc->nproducts);
}

void atp_add_cells(struct req *r, struct query *q, const struct cell_scope *sc)
{
	query_bind(q, cells_head, ARG_INT(api_ws(r)));
	add_scope(q, sc);
	query_bind(q, cells_channels, ARG_INT(api_ws(r)));
	if (sc->channels)
		query_bind(q, IN_JSON("c.id"), ARG_TEXT(sc->channels));
	query_bind(q, cells_reserved, ARG_INT(api_ws(r)));
	add_scope(q, sc);
	if (sc->channels)
		query_bind(q, IN_JSON("cr.channel_id"), ARG_TEXT(sc->channels));
	query_add(q, cells_tail);
}

/* ---- channels named by a query parameter ---- */

int channel_resolve(struct req *r, const char *name, int64_t *id)
{
	int64_t by_id = id_parse(ID_CHANNEL, name);
	struct db_result res;

	*id = 0;
	if (db_query(r->db, r->pool, "SELECT id FROM channels WHERE workspace_id = ?"
		     " AND IF(? > 0, id = ?, code = ?)",
		     DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(by_id), ARG_INT(by_id), ARG_TEXT(name)), &res))
		return req_internal_error(r, "channel");
	if (!res.nrows)
		return req_error(r, 404, "Channel not found", NULL);
	*id = db_cell_int(&res, 0, 0);
	return 0;
}

/* At most this many channels in one list. */
#define MAX_LISTED_CHANNELS 100

int channel_ids(struct req *r, const char *param, const char *list, const char **ids)
{
	json_object *asked = json_object_new_array(), *found = json_object_new_array();
	struct db_result res;
	char *copy, *tok, *save = NULL;
	size_t i, n;
	int status = 0;

	*ids = NULL;
	if (!list)
		goto out;
	copy = pool_strdup(r->pool, list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		json_object *one;

		while (*tok == ' ')
			tok++;
		for (n = strlen(tok); n && tok[n - 1] == ' '; n--)
			tok[n - 1] = '\0';
		if (!*tok)
			continue;
		one = json_object_new_object();
		json_object_object_add(one, "name", json_object_new_string(tok));
		json_object_object_add(one, "id", json_object_new_int64(id_parse(ID_CHANNEL, tok)));
		json_object_array_add(asked, one);
	}
	n = json_object_array_length(asked);
	if (!n)
		goto out;
	if (n > MAX_LISTED_CHANNELS) {
		status = req_field_error(r, param, "names more than 100 channels");
		goto out;
	}
	/* Each name is an id (chn_3) or else a code (DTC): one query for all. */
	if (db_query(r->db, r->pool,
		     "SELECT j.name, c.id FROM JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(200) PATH '$.name',"
		     " id BIGINT PATH '$.id')) j LEFT JOIN channels c ON c.workspace_id = ?"
		     " AND IF(j.id > 0, c.id = j.id, c.code = j.name)",
		     DB_ARGS(ARG_TEXT(json_object_to_json_string(asked)), ARG_INT(api_ws(r))), &res)) {
		status = req_internal_error(r, "channels");
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		if (!db_cell(&res, i, 1)) {
			status = req_field_error(r, param, pool_printf(r->pool, "names an unknown channel: %s",
								       db_cell(&res, i, 0)));
			goto out;
		}
		json_object_array_add(found, json_object_new_int64(db_cell_int(&res, i, 1)));
	}
	*ids = pool_strdup(r->pool, json_object_to_json_string(found));
out:
	json_object_put(asked);
	json_object_put(found);
	return status;
}

void atp_write_rows(struct jw *w, const struct db_result *res, const struct field *cols)
{
	size_t i;

	jw_open(w, '[');
	for (i = 0; i < res->nrows; i++)
		api_write_row(w, res, i, cols);
	jw_close(w, ']');
}

const struct field atp_location_fields[] = {
	{ .name = "id", .column = "l.id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "name", .column = "l.name", .type = FIELD_STRING },
	FIELDS_END
};
