#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lists never stop short without saying so (issue 8, point 10): every list
# that pages says how much there is in `pagination` (page, pageSize, total,
# totalPages), and `count` is always the number of items in this answer.
# Covered: the availability lines and the summary's stockLines, and the
# cycle count modes all-products, suggestions, batches and to-resolve.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t136.XXXXXX")

slug=$(uniq_slug lists)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" inventory.read,inventory.cyclecount,products.read,locations.read manager)

# 130 products with one line each at LST: more than the old fixed caps.
{
	echo 'globalSku,name,unitCost,lotControlled,expiryTracked'
	for i in $(seq 1 130); do echo "LS-$i,List $i,1,false,false"; done
} >"$WORK/products.csv"
cat >"$WORK/locations.csv" <<'EOF'
code,name,type
LST,List Store,STORE
EOF
{
	echo 'globalSku,locationCode,lotNumber,binName,quantityOnHand'
	for i in $(seq 1 130); do echo "LS-$i,LST,,,$i"; done
} >"$WORK/stock.csv"
import_csv products "$WORK/products.csv" "$slug" "import 130 products"
import_csv locations "$WORK/locations.csv" "$slug" "import the location"
import_csv stock "$WORK/stock.csv" "$slug" "import 130 stock lines"
api GET "/locations?code=LST"
LOC=$(jq -r '.items[0].id' <<<"$BODY")

# page_shape: "count|items|page|pageSize|total|totalPages" where items is
# the length of the array named $1.
page_shape() {
	jq -r --arg a "$1" '[.count, (.[$a] // .data[$a] | length), .pagination.page, .pagination.pageSize,
		.pagination.total, .pagination.totalPages] | map(tostring) | join("|")' <<<"$BODY"
}

# ---------------------------------------------------------------- availability

api GET "/inventory/availability?locationId=$LOC"
check_eq "$(page_shape data)" "100|100|1|100|130|2" \
	"availability lines: the default page holds 100 of 130, count is the page's, pagination says 130"
check_json '.totals.totalOnHand' 8515 "the totals cover all 130 lines"
api GET "/inventory/availability?locationId=$LOC&page=2"
check_eq "$(page_shape data)" "30|30|2|100|130|2" "the second page holds the other 30"

api GET "/inventory/availability?locationId=$LOC&summary=true&includeStockLines=true&limit=50&page=3"
check_status 200 "a summary with a page of stock lines is 200"
check_json '[.type, .data.lineCount, (.data.stockLines | length), .data.totalOnHand] | map(tostring) | join("|")' \
	"summary|130|30|8515" "the summary's stockLines are one page (page 3 of 50: 30 lines); lineCount and totals cover all"
check_json '.pagination | [.page, .pageSize, .total, .totalPages] | map(tostring) | join("|")' "3|50|130|3" \
	"the summary says which page of its stockLines it holds"
check_json '[.data.stockLines[0].qtyOnHand, .data.stockLines[29].qtyOnHand] | map(tostring) | join("|")' "101|130" \
	"page 3 starts after the first 100 lines, in id order"
api GET "/inventory/availability?locationId=$LOC&summary=true"
check_json 'has("pagination") or (.data | has("stockLines"))' false "a summary without stock lines is no list: no pagination"

# ---------------------------------------------------------------- cycle counts

api GET "/inventory/cycle-count?locationId=$LOC"
check_status 200 "all-products is 200"
check_eq "$(page_shape products)" "50|50|1|50|130|3" \
	"all-products: count is the 50 on the page, pagination.total the 130 products"
check_json '.overdueCount' 130 "overdueCount counts every matching product, not just the page"
api GET "/inventory/cycle-count?locationId=$LOC&page=3"
check_eq "$(page_shape products)" "30|30|3|50|130|3" "the last page of all-products holds 30"
api GET "/inventory/cycle-count?locationId=$LOC&mode=suggestions&limit=200"
check_eq "$(page_shape suggestions)" "130|130|1|200|130|1" "suggestions: a page of 200 holds all 130"
api GET "/inventory/cycle-count?locationId=$LOC&mode=suggestions&limit=7"
check_eq "$(page_shape suggestions)" "7|7|1|7|130|19" "suggestions: count is the page's 7"

api GET "/inventory?locationId=$LOC&limit=3"
ITEMS=$(jq -c '[.items[].id]' <<<"$BODY")
for k in 0 1 2; do
	api POST /inventory/cycle-count "{\"locationId\": \"$LOC\", \"name\": \"Batch $k\", \"inventoryItemIds\": [$(jq ".[$k]" <<<"$ITEMS")]}"
	check_status 201 "batch $k is created"
	BATCHES[k]=$(jq -r .id <<<"$BODY")
done
api GET "/inventory/cycle-count?locationId=$LOC&mode=batches&limit=2"
check_eq "$(page_shape batches)" "2|2|1|2|3|2" "batches: count is the page's 2 of 3"

# Two batches counted with a difference each: two lines to resolve.
for k in 0 1; do
	b=${BATCHES[k]}
	api POST "/inventory/cycle-count/$b" '{"action": "START"}'
	api POST "/inventory/cycle-count/$b" "{\"action\": \"RECORD\", \"counts\": [{\"inventoryItemId\": $(jq ".[$k]" <<<"$ITEMS"), \"countedQty\": 1000}]}"
	api POST "/inventory/cycle-count/$b" '{"action": "SUBMIT"}'
	check_json .status COUNTED "batch $k is counted"
done
api GET "/inventory/cycle-count?locationId=$LOC&mode=to-resolve&limit=1"
check_eq "$(page_shape items)" "1|1|1|1|2|2" "to-resolve: count is the page's 1 of 2"

done_testing
