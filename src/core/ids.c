/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "core/ids.h"
#include "core/pool.h"
#include "core/util.h"

const char *const id_prefixes[ID__MAX] = {
	[ID_NONE] = "",
	[ID_WORKSPACE] = "ws",
	[ID_APIKEY] = "key",
	[ID_CATEGORY] = "cat",
	[ID_PRODUCT] = "prod",
	[ID_LOCATION] = "loc",
	[ID_BIN] = "bin",
	[ID_LOT] = "lot",
	[ID_CHANNEL] = "chn",
	[ID_REASON_CODE] = "rc",
	[ID_ITEM] = "item",
	[ID_TRANSACTION] = "txn",
	[ID_LEVEL] = "level",
	[ID_ADJUSTMENT] = "adj",
	[ID_HOLD] = "hold",
	[ID_CYCLE_BATCH] = "ccb",
	[ID_CYCLE_LINE] = "ccl",
	[ID_COUNT] = "cnt",
	[ID_COUNT_ITEM] = "cnti",
	[ID_TRANSFER] = "trf",
	[ID_TRANSFER_LINE] = "trfl",
	[ID_PUT_AWAY] = "pa",
	[ID_PUT_AWAY_LINE] = "pal",
	[ID_STOCK_REQUEST] = "sr",
	[ID_STOCK_REQUEST_LINE] = "srl",
	[ID_REPLENISHMENT] = "rep",
	[ID_REPLENISHMENT_LINE] = "repl",
	[ID_POLICY] = "policy",
};

_Static_assert(ARRAY_SIZE(id_prefixes) == ID__MAX, "one prefix per id kind");

const char *id_format(struct pool *pool, enum id_kind kind, int64_t n)
{
	const char *prefix = id_prefixes[kind], *digits = pool_int64(pool, n);
	size_t plen = strlen(prefix), dlen = strlen(digits);
	char *id = pool_alloc(pool, plen + 1 + dlen + 1);

	memcpy(id, prefix, plen);
	id[plen] = '_';
	memcpy(id + plen + 1, digits, dlen + 1);
	return id;
}

int64_t id_parse(enum id_kind kind, const char *s)
{
	const char *prefix = id_prefixes[kind];
	size_t plen = strlen(prefix), digits = 0;
	int64_t n = 0;

	if (!s || strncmp(s, prefix, plen) || s[plen] != '_' || s[plen + 1] == '0')
		return 0;
	for (s += plen + 1; *s; s++, digits++) {
		if (*s < '0' || *s > '9' || digits >= 18)
			return 0;
		n = n * 10 + (*s - '0');
	}
	return digits ? n : 0;
}

const char *const id_tables[ID__MAX] = {
	[ID_NONE] = NULL, [ID_WORKSPACE] = "workspaces", [ID_APIKEY] = "api_keys",
	[ID_CATEGORY] = "categories", [ID_PRODUCT] = "products", [ID_LOCATION] = "locations",
	[ID_BIN] = "bins", [ID_LOT] = "lots", [ID_CHANNEL] = "channels",
	[ID_REASON_CODE] = "reason_codes", [ID_ITEM] = "stock_lines",
	[ID_TRANSACTION] = "stock_transactions", [ID_LEVEL] = "inventory_levels",
	[ID_ADJUSTMENT] = "stock_adjustments", [ID_HOLD] = "inventory_holds",
	[ID_CYCLE_BATCH] = "cycle_count_batches", [ID_CYCLE_LINE] = "cycle_count_lines",
	[ID_COUNT] = "inventory_counts", [ID_COUNT_ITEM] = "inventory_count_items",
	[ID_TRANSFER] = "transfers", [ID_TRANSFER_LINE] = "transfer_lines",
	[ID_PUT_AWAY] = "put_away_tasks", [ID_PUT_AWAY_LINE] = "put_away_lines",
	[ID_STOCK_REQUEST] = "stock_requests", [ID_STOCK_REQUEST_LINE] = "stock_request_lines",
	[ID_REPLENISHMENT] = "replenishments", [ID_REPLENISHMENT_LINE] = "replenishment_lines",
	[ID_POLICY] = "channel_atp_policies",
};

const char *const id_nouns[ID__MAX] = {
	[ID_NONE] = "Object", [ID_WORKSPACE] = "Workspace", [ID_APIKEY] = "API key",
	[ID_CATEGORY] = "Category", [ID_PRODUCT] = "Product", [ID_LOCATION] = "Location",
	[ID_BIN] = "Bin", [ID_LOT] = "Lot", [ID_CHANNEL] = "Channel",
	[ID_REASON_CODE] = "Reason code", [ID_ITEM] = "Inventory item",
	[ID_TRANSACTION] = "Transaction", [ID_LEVEL] = "Inventory level",
	[ID_ADJUSTMENT] = "Stock adjustment", [ID_HOLD] = "Hold",
	[ID_CYCLE_BATCH] = "Cycle count batch", [ID_CYCLE_LINE] = "Cycle count line",
	[ID_COUNT] = "Inventory count", [ID_COUNT_ITEM] = "Count item",
	[ID_TRANSFER] = "Transfer", [ID_TRANSFER_LINE] = "Transfer line",
	[ID_PUT_AWAY] = "Put-away task", [ID_PUT_AWAY_LINE] = "Put-away line",
	[ID_STOCK_REQUEST] = "Stock request", [ID_STOCK_REQUEST_LINE] = "Stock request line",
	[ID_REPLENISHMENT] = "Replenishment", [ID_REPLENISHMENT_LINE] = "Replenishment line",
	[ID_POLICY] = "ATP policy",
};
