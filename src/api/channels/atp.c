/* SPDX-License-Identifier: MIT */
/*
 * Channel ATP. Every figure comes from one SQL definition, the cells: one
 * row per product, location and channel, with the terms of ATP_FORMULA
 * and the answer. The matrix, its drilldown and the channel summary each
 * select from the cells in a constant number of queries (never one per
 * product or channel).
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/channels/channels.h"
#include "api/export.h"
#include "core/pool.h"
#include "core/util.h"

static const char *const severities[] = { "OK", "LOW", "CRITICAL", NULL };

/* "Location not found or not accessible", the seed's 404. */
#define LOCATION_GONE "Location not found or not accessible"

/*
 * The policy that applies to channel c at a location: its own for the
 * location (pl), else the channel's for every location (pc), else the
 * defaults; a policy's null threshold is the channel's.
 */
#define POLICY(col) "IF(pl.id IS NULL, pc." col ", pl." col ")"
#define POLICY_JOINS(loc) \
	" LEFT JOIN channel_atp_policies pl ON pl.workspace_id = c.workspace_id" \
	" AND pl.channel_id = c.id AND pl.location_key = " loc \
	" LEFT JOIN channel_atp_policies pc ON pc.workspace_id = c.workspace_id" \
	" AND pc.channel_id = c.id AND pc.location_key = 0"
#define POLICY_PERCENT "IFNULL(" POLICY("allocation_percent") ", 100)"
#define POLICY_SAFETY "IFNULL(" POLICY("safety_stock") ", 0)"
#define POLICY_LOW "IFNULL(" POLICY("low_atp_threshold") ", c.low_atp_threshold)"
#define POLICY_CRITICAL "IFNULL(" POLICY("critical_atp_threshold") ", c.critical_atp_threshold)"
#define POLICY_SCOPE "IF(pl.id IS NOT NULL, 'LOCATION', IF(pc.id IS NOT NULL, 'CHANNEL', 'DEFAULT'))"

/*
 * What line t could sell: on hand less every bucket but reservations, and
 * nothing from an unusable lot (SQL_AVAILABLE's rule, reservations left
 * in); available is this less the line's reservations.
 */
#define SQL_SELLABLE(t, l) "(CASE WHEN " SQL_LOT_UNUSABLE(l) " IS TRUE THEN 0 ELSE " t ".qty_on_hand - " \
	t ".qty_on_hold - " t ".qty_picked - " t ".qty_recalled - " t ".qty_expired END)"

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

/* Which cells: 0 / NULL for every one. */
struct cell_scope {
	int64_t location, product;
	const int64_t *products;        /* nproducts product ids */
	size_t nproducts;
	const char *channels;           /* a JSON array of channel ids */
};

/* col among the ids of a bound JSON array (a short list: the channels). */
#define IN_JSON(col) " AND " col " IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j)"

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

/* Appends the cells of sc (a derived table, to be named) to q. */
static void add_cells(struct req *r, struct query *q, const struct cell_scope *sc)
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

static const struct field matrix_channel_columns[];

/* The channels of list (NULL: all) with the policy that applies to each
 * at location. */
static int channels_read(struct req *r, int64_t location, const char *list, struct db_result *res)
{
	struct query q;

	query_init(&q, r->pool, api_select(matrix_channel_columns));
	query_bind(&q, " FROM channels c" POLICY_JOINS("?"), ARG_INT(location));
	query_bind(&q, " WHERE c.workspace_id = ?", ARG_INT(api_ws(r)));
	if (list)
		query_bind(&q, IN_JSON("c.id"), ARG_TEXT(list));
	query_add(&q, " ORDER BY c.id");
	return query_run(&q, r->db, res) ? req_internal_error(r, "channels") : 0;
}

/* The rows of res as an array of cols. */
static void write_array(struct jw *w, const struct db_result *res, const struct field *cols)
{
	size_t i;

	jw_open(w, '[');
	for (i = 0; i < res->nrows; i++)
		api_write_row(w, res, i, cols);
	jw_close(w, ']');
}

/* ---- GET /api/inventory/channel-location ---- */

const struct field channel_matrix_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = LOCATION_GONE, .description = "Location ID (required)" },
	{ .name = "search", .type = FIELD_STRING, .max_length = 200,
	  .description = "Search by product name or SKU (substring)" },
	{ .name = "channels", .type = FIELD_STRING, .max_length = 4000,
	  .description = "Comma-separated channels to show, by id (chn_3) or code (DTC); "
			 "default: every channel. An unknown one is 400" },
	{ .name = "page", .type = FIELD_INTEGER, .description = "Page number (default: 1)" },
	{ .name = "limit", .type = FIELD_INTEGER, .description = "Page size (default: 50, max: 200)" },
	FIELDS_END
};

/* A cell of the matrix (products[].channels[]), selected from the cells z
 * joined with nothing else. */
static const struct field cell_columns[] = {
	{ .name = "channelId", .column = "z.channel_id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "z.channel_name", .type = FIELD_STRING },
	{ .name = "atp", .column = "z.atp", .type = FIELD_INTEGER,
	  .description = "What the channel can promise here (see the operation's description)" },
	{ .name = "onHand", .column = "z.on_hand", .type = FIELD_INTEGER,
	  .description = "The product's on hand at the location" },
	{ .name = "reserved", .column = "z.reserved", .type = FIELD_INTEGER,
	  .description = "Reserved at the location, for every channel and none" },
	{ .name = "available", .column = "z.available", .type = FIELD_INTEGER,
	  .description = "Available at the location" },
	{ .name = "severity", .column = "z.severity", .type = FIELD_STRING, .values = severities },
	{ .name = "threshold", .column = "z.low", .type = FIELD_INTEGER,
	  .description = "The policy's lowAtpThreshold" },
	{ .name = "policyId", .column = "z.policy_id", .type = FIELD_ID, .kind = ID_POLICY,
	  .flags = FIELD_OPTIONAL, .description = "The policy applied; absent: the default policy" },
	FIELDS_END
};
/* The cell's atp and severity, read in C (then its product, not written). */
enum { CELL_ATP = 2, CELL_SEVERITY = 6, CELL_PRODUCT = ARRAY_SIZE(cell_columns) - 1 };

/* A product of the page: its columns, written before its cells. */
static const struct field product_columns[] = {
	{ .name = "productMasterId", .column = "p.id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "categoryName", .column = "cat.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	FIELDS_END
};
/* Then its totals, read in C. */
enum { PRODUCT_ON_HAND = ARRAY_SIZE(product_columns) - 1, PRODUCT_RESERVED };

static const struct field matrix_product_fields[] = {
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .type = FIELD_STRING },
	{ .name = "globalSku", .type = FIELD_STRING },
	{ .name = "categoryName", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "channels", .type = FIELD_ARRAY, .items = cell_columns,
	  .description = "One cell per channel shown, by channel id" },
	{ .name = "totalOnHand", .type = FIELD_INTEGER },
	{ .name = "totalReserved", .type = FIELD_INTEGER },
	{ .name = "minAtp", .type = FIELD_INTEGER, .description = "Lowest atp of its cells (0 without any)" },
	{ .name = "maxAtp", .type = FIELD_INTEGER, .description = "Highest atp of its cells (0 without any)" },
	{ .name = "hasCritical", .type = FIELD_BOOLEAN },
	FIELDS_END
};

/* A channel shown, with the policy that applies to it at the location. */
static const struct field matrix_channel_columns[] = {
	{ .name = "channelId", .column = "c.id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "c.name", .type = FIELD_STRING },
	{ .name = "channelType", .column = "c.channel_type", .type = FIELD_STRING },
	{ .name = "policyId", .column = POLICY("id"), .type = FIELD_ID, .kind = ID_POLICY,
	  .flags = FIELD_OPTIONAL, .description = "The policy applied; absent: the default policy" },
	{ .name = "lowAtpThreshold", .column = POLICY_LOW, .type = FIELD_INTEGER },
	{ .name = "channelCode", .column = "c.code", .type = FIELD_STRING },
	{ .name = "criticalAtpThreshold", .column = POLICY_CRITICAL, .type = FIELD_INTEGER },
	{ .name = "allocationPercent", .column = POLICY_PERCENT, .type = FIELD_NUMBER },
	{ .name = "safetyStock", .column = POLICY_SAFETY, .type = FIELD_INTEGER },
	FIELDS_END
};

static const struct field location_fields[] = {
	{ .name = "id", .column = "l.id", .type = FIELD_ID, .kind = ID_LOCATION },
	{ .name = "name", .column = "l.name", .type = FIELD_STRING },
	FIELDS_END
};

const struct field channel_matrix_answer[] = {
	{ .name = "products", .type = FIELD_ARRAY, .items = matrix_product_fields,
	  .description = "The page's products: those with a stock line at the location, by id" },
	{ .name = "channels", .type = FIELD_ARRAY, .items = matrix_channel_columns,
	  .description = "The channels shown, by id" },
	{ .name = "location", .type = FIELD_OBJECT, .items = location_fields },
	{ .name = "pagination", .type = FIELD_OBJECT, .items = api_page_fields },
	FIELDS_END
};

/* The products with a stock line at the location, matching the search:
 * without one, read on the index of (location, product) alone. */
static const char page_from[] =
	" FROM stock_lines sl WHERE sl.workspace_id = ? AND sl.location_id = ?";
#define PAGE_SEARCH \
	" AND EXISTS (SELECT 1 FROM products pp WHERE pp.workspace_id = sl.workspace_id" \
	" AND pp.id = sl.product_id AND (INSTR(pp.name, ?) > 0 OR INSTR(pp.global_sku, ?) > 0))"

/* The matrix's queries; their results stay in the pool. */
struct matrix {
	struct db_result location, channels, count, products, cells;
};

static int matrix_read(struct req *r, int64_t location, const char *channel_list,
		       int64_t page, int64_t limit, struct matrix *m)
{
	struct cell_scope sc = { .location = location };
	int64_t *products;
	struct query q;
	size_t i;
	int status = 0;

	if (db_query(r->db, r->pool, "SELECT l.id, l.name FROM locations l WHERE l.workspace_id = ?"
		     " AND l.id = ?", DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(location)), &m->location)) {
		status = req_internal_error(r, "location");
		goto out;
	}
	if ((status = channels_read(r, location, channel_list, &m->channels)))
		goto out;

	query_init(&q, r->pool, "SELECT COUNT(*) FROM (SELECT sl.product_id");
	query_add(&q, page_from);
	query_arg(&q, ARG_INT(api_ws(r)));
	query_arg(&q, ARG_INT(location));
	api_add_search_fragment(r, &q, PAGE_SEARCH);
	query_add(&q, " GROUP BY sl.product_id) x");
	if (query_run(&q, r->db, &m->count))
		goto fail;

	/* The page is chosen on the index of (location, product) alone; then
	 * its products' lines are read by product. */
	query_init(&q, r->pool, api_select(product_columns));
	query_add(&q, ", CAST(SUM(t.qty_on_hand) AS SIGNED), CAST(SUM(t.qty_reserved) AS SIGNED)"
		  " FROM (SELECT DISTINCT sl.product_id");
	query_add(&q, page_from);
	query_arg(&q, ARG_INT(api_ws(r)));
	query_arg(&q, ARG_INT(location));
	api_add_search_fragment(r, &q, PAGE_SEARCH);
	query_bind(&q, " ORDER BY sl.product_id LIMIT ?", ARG_INT(limit));
	query_bind(&q, " OFFSET ?) pg", ARG_INT((page - 1) * limit));
	query_bind(&q, " JOIN products p ON p.workspace_id = ?", ARG_INT(api_ws(r)));
	query_add(&q, " AND p.id = pg.product_id LEFT JOIN categories cat"
		  " ON cat.workspace_id = p.workspace_id AND cat.id = p.category_id"
		  " JOIN stock_lines t ON t.workspace_id = p.workspace_id AND t.product_id = p.id");
	query_bind(&q, " AND t.location_id = ? GROUP BY p.id ORDER BY p.id", ARG_INT(location));
	if (query_run(&q, r->db, &m->products))
		goto fail;
	if (!m->products.nrows || !m->channels.nrows)
		goto out;

	/* The cells of the page's products, by product and channel. */
	products = pool_calloc(r->pool, m->products.nrows, sizeof(*products));
	for (i = 0; i < m->products.nrows; i++)
		products[i] = db_cell_int(&m->products, i, 0);
	sc.products = products;
	sc.nproducts = m->products.nrows;
	sc.channels = channel_list;
	query_init(&q, r->pool, api_select(cell_columns));
	query_add(&q, ", z.product_id FROM (");
	add_cells(r, &q, &sc);
	query_add(&q, ") z ORDER BY z.product_id, z.channel_id");
	if (query_run(&q, r->db, &m->cells))
		goto fail;
	goto out;
fail:
	status = req_internal_error(r, "channel-location matrix");
out:
	return status;
}

int channel_location_matrix(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId")), page, limit;
	const char *channel_list;
	struct matrix m;
	size_t i, c = 0;
	struct jw w;
	int status;

	if ((status = api_page(r, 50, 200, &page, &limit)) ||
	    (status = channel_ids(r, "channels", req_query(r, "channels"), &channel_list)) ||
	    (status = matrix_read(r, location, channel_list, page, limit, &m)))
		return status;
	if (!m.location.nrows)
		return req_error(r, 404, LOCATION_GONE, NULL);
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "products");
	jw_open(&w, '[');
	for (i = 0; i < m.products.nrows; i++) {
		const char *product = db_cell(&m.products, i, 0);
		int64_t min = 0, max = 0, atp;
		int critical = 0, first = 1;

		jw_open(&w, '{');
		api_write_members(&w, &m.products, i, product_columns);
		jw_key(&w, "channels");
		jw_open(&w, '[');
		for (; c < m.cells.nrows && !strcmp(db_cell(&m.cells, c, CELL_PRODUCT), product); c++) {
			api_write_row(&w, &m.cells, c, cell_columns);
			atp = db_cell_int(&m.cells, c, CELL_ATP);
			min = first || atp < min ? atp : min;
			max = first || atp > max ? atp : max;
			critical |= !strcmp(db_cell(&m.cells, c, CELL_SEVERITY), "CRITICAL");
			first = 0;
		}
		jw_close(&w, ']');
		jw_kint(&w, "totalOnHand", db_cell_int(&m.products, i, PRODUCT_ON_HAND));
		jw_kint(&w, "totalReserved", db_cell_int(&m.products, i, PRODUCT_RESERVED));
		jw_kint(&w, "minAtp", min);
		jw_kint(&w, "maxAtp", max);
		jw_kbool(&w, "hasCritical", critical);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_key(&w, "channels");
	write_array(&w, &m.channels, matrix_channel_columns);
	jw_key(&w, "location");
	api_write_row(&w, &m.location, 0, location_fields);
	api_write_pagination(&w, page, limit, db_cell_int(&m.count, 0, 0));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- GET /api/inventory/channel-location/export ---- */

const struct field channel_export_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = LOCATION_GONE, .description = "Location ID (required)" },
	{ .name = "search", .type = FIELD_STRING, .max_length = 200,
	  .description = "Search by product name or SKU (substring)" },
	{ .name = "channels", .type = FIELD_STRING, .max_length = 4000,
	  .description = "Comma-separated channels, by id (chn_3) or code (DTC); default: every "
			 "channel. An unknown one is 400" },
	EXPORT_FORMAT_QUERY
	FIELDS_END
};

/* A cell of the matrix with its product: one row per product and channel. */
const struct field channel_export_columns[] = {
	{ .name = "productMasterId", .column = "z.product_id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	{ .name = "categoryName", .column = "cat.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "channelId", .column = "z.channel_id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "z.channel_name", .type = FIELD_STRING },
	{ .name = "atp", .column = "z.atp", .type = FIELD_INTEGER },
	{ .name = "onHand", .column = "z.on_hand", .type = FIELD_INTEGER },
	{ .name = "reserved", .column = "z.reserved", .type = FIELD_INTEGER },
	{ .name = "available", .column = "z.available", .type = FIELD_INTEGER },
	{ .name = "severity", .column = "z.severity", .type = FIELD_STRING, .values = severities },
	{ .name = "threshold", .column = "z.low", .type = FIELD_INTEGER },
	{ .name = "policyId", .column = "z.policy_id", .type = FIELD_ID, .kind = ID_POLICY,
	  .flags = FIELD_NULLABLE, .description = "null: the default policy" },
	FIELDS_END
};

/* Products per chunk: each chunk is two queries, its cells one flush. */
#define EXPORT_CHUNK_PRODUCTS 200

int channel_location_export(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId")), after = 0;
	struct cell_scope sc = { .location = location };
	struct db_result page, cells;
	const char *failure = NULL;
	struct export ex;
	struct query q;
	int64_t *products;
	size_t i;
	int status;

	if ((status = channel_ids(r, "channels", req_query(r, "channels"), &sc.channels)))
		return status;
	export_http_begin(r, &ex, channel_export_columns, "channel-location");
	do {
		/* The chunk's products, after the last one sent, on the index. */
		query_init(&q, ex.pool, "SELECT DISTINCT sl.product_id");
		query_add(&q, page_from);
		query_arg(&q, ARG_INT(api_ws(r)));
		query_arg(&q, ARG_INT(location));
		api_add_search_fragment(r, &q, PAGE_SEARCH);
		query_bind(&q, " AND sl.product_id > ?", ARG_INT(after));
		query_bind(&q, " ORDER BY sl.product_id LIMIT ?", ARG_INT(EXPORT_CHUNK_PRODUCTS));
		if (query_run(&q, r->db, &page)) {
			failure = "channel-location export";
			break;
		}
		if (!page.nrows)
			break;
		products = pool_calloc(ex.pool, page.nrows, sizeof(*products));
		for (i = 0; i < page.nrows; i++)
			products[i] = db_cell_int(&page, i, 0);
		after = products[page.nrows - 1];
		sc.products = products;
		sc.nproducts = page.nrows;
		query_init(&q, ex.pool, api_select(channel_export_columns));
		query_add(&q, " FROM (");
		add_cells(r, &q, &sc);
		query_bind(&q, ") z JOIN products p ON p.workspace_id = ?", ARG_INT(api_ws(r)));
		query_add(&q, " AND p.id = z.product_id LEFT JOIN categories cat"
			  " ON cat.workspace_id = p.workspace_id AND cat.id = p.category_id"
			  " ORDER BY z.product_id, z.channel_id");
		if (query_run(&q, r->db, &cells)) {
			failure = "channel-location export";
			break;
		}
		for (i = 0; i < cells.nrows; i++)
			export_row(&ex, &cells, i);
		if (export_flush(&ex))
			break;
	} while (page.nrows == EXPORT_CHUNK_PRODUCTS);
	return export_http_end(r, &ex, failure);
}

/* ---- GET /api/inventory/channel-location/drilldown ---- */

const struct field channel_drilldown_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .flags = FIELD_REQUIRED,
	  .not_found = LOCATION_GONE, .description = "Location ID (required)" },
	{ .name = "productMasterId", .type = FIELD_ID, .kind = ID_PRODUCT, .flags = FIELD_REQUIRED,
	  .description = "Product ID (required)" },
	{ .name = "channelId", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_length = 64,
	  .description = "The channel, by id (chn_3) or code (DTC) (required)" },
	FIELDS_END
};

static const struct field drill_product_columns[] = {
	{ .name = "productMasterId", .column = "p.id", .type = FIELD_ID, .kind = ID_PRODUCT },
	{ .name = "productName", .column = "p.name", .type = FIELD_STRING },
	{ .name = "globalSku", .column = "p.global_sku", .type = FIELD_STRING },
	FIELDS_END
};

static const struct field drill_channel_columns[] = {
	{ .name = "channelId", .column = "c.id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "c.name", .type = FIELD_STRING },
	{ .name = "channelType", .column = "c.channel_type", .type = FIELD_STRING },
	{ .name = "channelCode", .column = "c.code", .type = FIELD_STRING },
	FIELDS_END
};

static const char *const policy_scopes[] = { "LOCATION", "CHANNEL", "DEFAULT", NULL };

static const struct field drill_policy_columns[] = {
	{ .name = "policyId", .column = POLICY("id"), .type = FIELD_ID, .kind = ID_POLICY,
	  .flags = FIELD_OPTIONAL, .description = "Absent: the default policy" },
	{ .name = "scope", .column = POLICY_SCOPE, .type = FIELD_STRING, .values = policy_scopes,
	  .description = "LOCATION: the channel's policy for this location; CHANNEL: its policy "
			 "for every location; DEFAULT: no policy (100 %, no safety stock)" },
	{ .name = "allocationPercent", .column = POLICY_PERCENT, .type = FIELD_NUMBER },
	{ .name = "safetyStock", .column = POLICY_SAFETY, .type = FIELD_INTEGER },
	{ .name = "lowAtpThreshold", .column = POLICY_LOW, .type = FIELD_INTEGER },
	{ .name = "criticalAtpThreshold", .column = POLICY_CRITICAL, .type = FIELD_INTEGER },
	FIELDS_END
};

/* Every term of the formula; all 0 (and CRITICAL: thresholds are never
 * negative) when the product has no stock line at the location. */
static const struct field drill_term_columns[] = {
	{ .name = "onHand", .column = "IFNULL(z.on_hand, 0)", .type = FIELD_INTEGER },
	{ .name = "onHold", .column = "IFNULL(z.on_hold, 0)", .type = FIELD_INTEGER },
	{ .name = "picked", .column = "IFNULL(z.picked, 0)", .type = FIELD_INTEGER },
	{ .name = "recalled", .column = "IFNULL(z.recalled, 0)", .type = FIELD_INTEGER },
	{ .name = "expired", .column = "IFNULL(z.expired, 0)", .type = FIELD_INTEGER },
	{ .name = "unusableLotStock", .column = "IFNULL(z.on_hand - z.on_hold - z.picked - z.recalled"
	  " - z.expired - z.sellable, 0)", .type = FIELD_INTEGER,
	  .description = "Stock of lots that are expired, recalled or on hold, not in a bucket yet" },
	{ .name = "sellable", .column = "IFNULL(z.sellable, 0)", .type = FIELD_INTEGER,
	  .description = "onHand - onHold - picked - recalled - expired - unusableLotStock" },
	{ .name = "reserved", .column = "IFNULL(z.reserved, 0)", .type = FIELD_INTEGER,
	  .description = "Every reservation at the location" },
	{ .name = "available", .column = "IFNULL(z.available, 0)", .type = FIELD_INTEGER,
	  .description = "sellable - reserved (by stock line)" },
	{ .name = "allocated", .column = "IFNULL(z.allocated, 0)", .type = FIELD_INTEGER,
	  .description = "floor(sellable x allocationPercent / 100)" },
	{ .name = "safetyStock", .column = POLICY_SAFETY, .type = FIELD_INTEGER },
	{ .name = "reservedByChannel", .column = "IFNULL(z.reserved_by_channel, 0)", .type = FIELD_INTEGER },
	{ .name = "quota", .column = "IFNULL(z.allocated - z.safety_stock - z.reserved_by_channel,"
	  " -" POLICY_SAFETY ")", .type = FIELD_INTEGER,
	  .description = "allocated - safetyStock - reservedByChannel" },
	{ .name = "atp", .column = "IFNULL(z.atp, 0)", .type = FIELD_INTEGER,
	  .description = "max(0, min(available, quota))" },
	{ .name = "severity", .column = "IFNULL(z.severity, 'CRITICAL')", .type = FIELD_STRING,
	  .values = severities },
	{ .name = "threshold", .column = POLICY_LOW, .type = FIELD_INTEGER },
	FIELDS_END
};

/* The drilldown's first row: its objects, from one query. */
#define DRILL_HEAD \
	{ .name = "location", .type = FIELD_OBJECT, .items = location_fields }, \
	{ .name = "product", .type = FIELD_OBJECT, .items = drill_product_columns }, \
	{ .name = "channel", .type = FIELD_OBJECT, .items = drill_channel_columns }, \
	{ .name = "policy", .type = FIELD_OBJECT, .items = drill_policy_columns, \
	  .description = "The policy that applies to the channel at the location" }, \
	{ .name = "terms", .type = FIELD_OBJECT, .items = drill_term_columns, \
	  .description = "Every term of the formula, for the whole location" },
static const struct field drill_columns[] = {
	DRILL_HEAD
	FIELDS_END
};

static const char *const formula[] = { ATP_FORMULA, NULL };

/* A stock line behind the cell, with its share of each term. */
static const struct field drill_line_columns[] = {
	{ .name = "id", .column = "sl.id", .type = FIELD_ID, .kind = ID_ITEM },
	{ .name = "lotId", .column = "sl.lot_id", .type = FIELD_ID, .kind = ID_LOT, .flags = FIELD_NULLABLE },
	{ .name = "lotNumber", .column = "lt.lot_number", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "lotStatus", .column = "lt.status", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "expiryDate", .column = "lt.expiry_date", .type = FIELD_DATE, .flags = FIELD_NULLABLE },
	{ .name = "binId", .column = "sl.bin_id", .type = FIELD_ID, .kind = ID_BIN, .flags = FIELD_NULLABLE },
	{ .name = "binName", .column = "b.name", .type = FIELD_STRING, .flags = FIELD_NULLABLE },
	{ .name = "usable", .column = "NOT (" SQL_LOT_UNUSABLE("lt") " IS TRUE)", .type = FIELD_BOOLEAN,
	  .description = "false: its lot is expired, recalled or on hold, so it sells nothing" },
	{ .name = "onHand", .column = "sl.qty_on_hand", .type = FIELD_INTEGER },
	{ .name = "onHold", .column = "sl.qty_on_hold", .type = FIELD_INTEGER },
	{ .name = "picked", .column = "sl.qty_picked", .type = FIELD_INTEGER },
	{ .name = "recalled", .column = "sl.qty_recalled", .type = FIELD_INTEGER },
	{ .name = "expired", .column = "sl.qty_expired", .type = FIELD_INTEGER },
	{ .name = "sellable", .column = SQL_SELLABLE("sl", "lt"), .type = FIELD_INTEGER },
	{ .name = "reserved", .column = "sl.qty_reserved", .type = FIELD_INTEGER },
	{ .name = "available", .column = SQL_AVAILABLE("sl", "lt"), .type = FIELD_INTEGER },
	{ .name = "reservedByChannel", .column = "IFNULL(LEAST(cr.quantity, sl.qty_reserved), 0)",
	  .type = FIELD_INTEGER, .description = "Reserved for the channel on this line; counted in "
	  "the terms only when the line is usable" },
	FIELDS_END
};

const struct field channel_drilldown_answer[] = {
	DRILL_HEAD
	{ .name = "formula", .type = FIELD_STRING, .values = formula },
	{ .name = "lines", .type = FIELD_ARRAY, .items = drill_line_columns,
	  .description = "The product's stock lines at the location, first expiry first" },
	FIELDS_END
};

int channel_location_drilldown(struct req *r)
{
	int64_t location = id_parse(ID_LOCATION, req_query(r, "locationId"));
	int64_t product = id_parse(ID_PRODUCT, req_query(r, "productMasterId"));
	struct cell_scope sc = { .location = location, .product = product };
	struct db_result head, lines;
	int64_t channel;
	struct query q;
	struct jw w;
	int status;

	if ((status = channel_resolve(r, req_query(r, "channelId"), &channel)))
		return status;
	sc.channels = pool_printf(r->pool, "[%lld]", (long long)channel);
	/* One row: the location, product, channel, policy and terms. */
	query_init(&q, r->pool, api_select(drill_columns));
	query_bind(&q, " FROM channels c" POLICY_JOINS("?"), ARG_INT(location));
	query_bind(&q, " JOIN locations l ON l.workspace_id = c.workspace_id AND l.id = ?",
		   ARG_INT(location));
	query_bind(&q, " JOIN products p ON p.workspace_id = c.workspace_id AND p.id = ?",
		   ARG_INT(product));
	query_add(&q, " LEFT JOIN (");
	add_cells(r, &q, &sc);
	query_bind(&q, ") z ON z.channel_id = c.id WHERE c.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND c.id = ?", ARG_INT(channel));
	if (query_run(&q, r->db, &head) || !head.nrows)
		return req_internal_error(r, "drilldown");

	query_init(&q, r->pool, api_select(drill_line_columns));
	query_bind(&q, " FROM stock_lines sl" SQL_JOIN_LOT("sl")
		   " LEFT JOIN bins b ON b.workspace_id = sl.workspace_id AND b.id = sl.bin_id"
		   " LEFT JOIN channel_reservations cr ON cr.workspace_id = sl.workspace_id"
		   " AND cr.stock_line_id = sl.id AND cr.channel_id = ?", ARG_INT(channel));
	query_bind(&q, " WHERE sl.workspace_id = ?", ARG_INT(api_ws(r)));
	query_bind(&q, " AND sl.location_id = ?", ARG_INT(location));
	query_bind(&q, " AND sl.product_id = ?", ARG_INT(product));
	query_add(&q, " ORDER BY lt.expiry_date IS NULL, lt.expiry_date, sl.id");
	if (query_run(&q, r->db, &lines))
		return req_internal_error(r, "drilldown lines");

	jw_init(&w, r->pool);
	jw_open(&w, '{');
	api_write_members(&w, &head, 0, drill_columns);
	jw_kstr(&w, "formula", formula[0]);
	jw_key(&w, "lines");
	write_array(&w, &lines, drill_line_columns);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- GET /api/inventory/channel/summary ---- */

const struct field channel_summary_query[] = {
	{ .name = "locationId", .type = FIELD_ID, .kind = ID_LOCATION, .not_found = LOCATION_GONE,
	  .description = "Only this location (default: every location)" },
	{ .name = "channels", .type = FIELD_STRING, .max_length = 4000,
	  .description = "Comma-separated channels, by id or code (default: every channel)" },
	FIELDS_END
};

static const struct field summary_columns[] = {
	{ .name = "channelId", .column = "c.id", .type = FIELD_ID, .kind = ID_CHANNEL },
	{ .name = "channelName", .column = "c.name", .type = FIELD_STRING },
	{ .name = "channelType", .column = "c.channel_type", .type = FIELD_STRING },
	{ .name = "channelCode", .column = "c.code", .type = FIELD_STRING },
	{ .name = "totalOnHand", .column = "IFNULL(g.on_hand, 0)", .type = FIELD_INTEGER },
	{ .name = "totalReserved", .column = "IFNULL(g.reserved, 0)", .type = FIELD_INTEGER,
	  .description = "Every reservation, for any channel or none" },
	{ .name = "totalAvailable", .column = "IFNULL(g.available, 0)", .type = FIELD_INTEGER },
	{ .name = "totalAtp", .column = "IFNULL(g.atp, 0)", .type = FIELD_INTEGER,
	  .description = "The sum of the channel's atp over every product and location" },
	{ .name = "reservedByChannel", .column = "IFNULL(g.reserved_by_channel, 0)", .type = FIELD_INTEGER },
	{ .name = "productCount", .column = "IFNULL(g.products, 0)", .type = FIELD_INTEGER,
	  .description = "Products with a stock line in scope" },
	{ .name = "locationCount", .column = "IFNULL(g.locations, 0)", .type = FIELD_INTEGER },
	{ .name = "okCount", .column = "IFNULL(g.ok, 0)", .type = FIELD_INTEGER,
	  .description = "Cells (product and location) whose severity is OK" },
	{ .name = "lowCount", .column = "IFNULL(g.low, 0)", .type = FIELD_INTEGER },
	{ .name = "criticalCount", .column = "IFNULL(g.critical, 0)", .type = FIELD_INTEGER },
	FIELDS_END
};

const struct field channel_summary_answer[] = {
	{ .name = "channels", .type = FIELD_ARRAY, .items = summary_columns, .description = "By channel id" },
	{ .name = "location", .type = FIELD_OBJECT, .items = location_fields, .flags = FIELD_NULLABLE,
	  .description = "The location asked for; null: every location" },
	FIELDS_END
};

int channel_summary(struct req *r)
{
	struct cell_scope sc = { .location = id_parse(ID_LOCATION, req_query(r, "locationId")) };
	struct db_result rows, location;
	struct query q;
	struct jw w;
	int status;

	if ((status = channel_ids(r, "channels", req_query(r, "channels"), &sc.channels)))
		return status;
	query_init(&q, r->pool, api_select(summary_columns));
	query_add(&q, " FROM channels c LEFT JOIN (SELECT z.channel_id,"
		  " CAST(SUM(z.on_hand) AS SIGNED) on_hand, CAST(SUM(z.reserved) AS SIGNED) reserved,"
		  " CAST(SUM(z.available) AS SIGNED) available, CAST(SUM(z.atp) AS SIGNED) atp,"
		  " CAST(SUM(z.reserved_by_channel) AS SIGNED) reserved_by_channel,"
		  " COUNT(DISTINCT z.product_id) products, COUNT(DISTINCT z.location_id) locations,"
		  " SUM(z.severity = 'OK') ok, SUM(z.severity = 'LOW') low,"
		  " SUM(z.severity = 'CRITICAL') critical FROM (");
	add_cells(r, &q, &sc);
	query_bind(&q, ") z GROUP BY z.channel_id) g ON g.channel_id = c.id WHERE c.workspace_id = ?",
		   ARG_INT(api_ws(r)));
	if (sc.channels)
		query_bind(&q, IN_JSON("c.id"), ARG_TEXT(sc.channels));
	query_add(&q, " ORDER BY c.id");
	if (query_run(&q, r->db, &rows))
		return req_internal_error(r, "channel summary");
	if (sc.location && db_query(r->db, r->pool, "SELECT l.id, l.name FROM locations l"
				    " WHERE l.workspace_id = ? AND l.id = ?",
				    DB_ARGS(ARG_INT(api_ws(r)), ARG_INT(sc.location)), &location))
		return req_internal_error(r, "location");
	jw_init(&w, r->pool);
	jw_open(&w, '{');
	jw_key(&w, "channels");
	write_array(&w, &rows, summary_columns);
	jw_key(&w, "location");
	if (sc.location && location.nrows)
		api_write_row(&w, &location, 0, location_fields);
	else
		jw_null(&w);
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}
