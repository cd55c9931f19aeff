/* SPDX-License-Identifier: MIT */
/*
 * The channel x location ATP matrix, a page of products at a time, and
 * its export, every product in chunks: each selects from the cells
 * (cells.c) in a constant number of queries, never one per product or
 * channel.
 */
#include "config.h"

#include <string.h>

#include "api/api.h"
#include "api/channels/cells.h"
#include "api/channels/channels.h"
#include "api/export.h"
#include "core/pool.h"
#include "core/util.h"

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

/* ---- GET /api/inventory/channel-location ---- */

const struct field channel_matrix_query[] = {
	ATP_LOCATION_QUERY
	{ .name = "search", .type = FIELD_STRING, .max_length = 200,
	  .description = "Search by product name or SKU (substring)" },
	ATP_CHANNELS_QUERY
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
	{ .name = "severity", .column = "z.severity", .type = FIELD_STRING, .values = atp_severities },
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


const struct field channel_matrix_answer[] = {
	{ .name = "products", .type = FIELD_ARRAY, .items = matrix_product_fields,
	  .description = "The page's products: those with a stock line at the location, by id" },
	{ .name = "channels", .type = FIELD_ARRAY, .items = matrix_channel_columns,
	  .description = "The channels shown, by id" },
	{ .name = "location", .type = FIELD_OBJECT, .items = atp_location_fields },
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
	const char *search = req_query(r, "search");
	int searching = search && *search;
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

	/* Without a search, the total is the counter the ledger keeps
	 * (migration 0016), not a grouping of the location's lines. */
	if (searching) {
		query_init(&q, r->pool, "SELECT COUNT(*) FROM (SELECT sl.product_id");
		query_add(&q, page_from);
	} else {
		query_init(&q, r->pool, "SELECT IFNULL(SUM(sl.product_count), 0) FROM stock_line_counts sl"
			   " WHERE sl.workspace_id = ? AND sl.location_id = ?");
	}
	query_arg(&q, ARG_INT(api_ws(r)));
	query_arg(&q, ARG_INT(location));
	if (searching) {
		api_add_search_fragment(r, &q, PAGE_SEARCH);
		query_add(&q, " GROUP BY sl.product_id) x");
	}
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
	atp_add_cells(r, &q, &sc);
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
	atp_write_rows(&w, &m.channels, matrix_channel_columns);
	jw_key(&w, "location");
	api_write_row(&w, &m.location, 0, atp_location_fields);
	api_write_pagination(&w, page, limit, db_cell_int(&m.count, 0, 0));
	jw_close(&w, '}');
	return req_respond_jw(r, 200, &w);
}

/* ---- GET /api/inventory/channel-location/export ---- */

const struct field channel_export_query[] = {
	ATP_LOCATION_QUERY
	{ .name = "search", .type = FIELD_STRING, .max_length = 200,
	  .description = "Search by product name or SKU (substring)" },
	ATP_CHANNELS_QUERY
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
	{ .name = "severity", .column = "z.severity", .type = FIELD_STRING, .values = atp_severities },
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
		atp_add_cells(r, &q, &sc);
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
