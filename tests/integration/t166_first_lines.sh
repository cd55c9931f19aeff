#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# First stock lines made at once: for each of 4 new locations, 24 receipts
# (FOUND) of 6 products into 4 bins are sent together, so that every
# request makes a product's first or a further line at the location. Each
# location's counters (stock_line_counts: lines, and products with a line,
# which the channel matrix's total reads) must end exact: 24 lines and 6
# products, with the ledger verifying.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

slug=$(uniq_slug first)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
work=$(mktemp -d "$TEST_DIR/first.XXXXXX")

products=()
for p in 1 2 3 4 5 6; do
	api POST /products "{\"globalSku\":\"FIRST-$p\",\"name\":\"First $p\"}"
	products+=("$(jq -r .id <<<"$BODY")")
done

# receipt LOCATION PRODUCT BIN: one FOUND of 1; appends its status.
receipt() {
	curl -s -o /dev/null -w '%{http_code}\n' -X POST "$INVENTORY_URL/inventory/adjustments/stock" \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "{\"type\":\"FOUND\",\"quantityChange\":1,\"productMasterId\":\"$2\",
			\"locationId\":\"$1\",\"binId\":\"$3\",\"reason\":\"first lines\"}" >>"$work/status"
}

locations=()
for l in 1 2 3 4; do
	api POST /locations "{\"code\":\"FIRST-$l\",\"name\":\"First $l\"}"
	loc=$(jq -r .id <<<"$BODY")
	locations+=("$loc")
	bins=()
	for b in 1 2 3 4; do
		api POST "/locations/$loc/bins" "{\"name\":\"B$b\"}"
		bins+=("$(jq -r .id <<<"$BODY")")
	done
	for p in "${products[@]}"; do
		for b in "${bins[@]}"; do
			receipt "$loc" "$p" "$b" &
		done
	done
	wait
done

check_eq "$(grep -c '^201$' "$work/status")" 96 "96 receipts made at once, 24 per location, all 201"
for loc in "${locations[@]}"; do
	check_eq "$(sql "SELECT CONCAT(c.line_count, ' ', c.product_count) FROM stock_line_counts c
		JOIN locations l ON l.workspace_id = c.workspace_id AND l.id = c.location_id
		JOIN workspaces w ON w.id = l.workspace_id
		WHERE w.slug = '$slug' AND l.id = ${loc#loc_}")" "24 6" \
		"$loc counts 24 lines of 6 products"
done
if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "ledger verify finds no mismatch"
else
	fail "ledger verify finds no mismatch" "$out"
fi

done_testing
