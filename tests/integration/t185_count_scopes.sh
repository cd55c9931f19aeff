#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inventory counts by product (seed 004 "Add count item"): an item is a
# product at the count's location, narrowed to a lot and/or a bin when
# given; it compares with all of the product's stock lines there and never
# makes an empty line to compare with. Completing applies each difference
# by the ledger's rule: decreases first expiry first out (then by line id),
# increases to the only line or the default line (no lot, no bin), else 422
# with the candidate lines. Counts whose scopes overlap never run together,
# also when started at the same moment.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t185.XXXXXX")
PERMS=inventory.read,inventory.write,inventory.adjust,inventory.cyclecount,products.read,locations.read

slug=$(uniq_slug count-scopes)
new_workspace "$slug" >/dev/null
MANAGER=$(new_key "$slug" "$PERMS" manager)
TOKEN=$MANAGER
WS=$(sql "SELECT id FROM workspaces WHERE slug = '$slug'")

cat >"$WORK/products.csv" <<'EOF'
globalSku,name,unitCost,lotControlled,expiryTracked
CS-S,Seed case,1,false,false
CS-T,Two bins,1,false,false
CS-D,Default and bin,1,false,false
CS-L,Lotted,1,true,false
EOF
printf 'code,name,type\nMAIN,Main Warehouse,WAREHOUSE\nSHOP,Corner Store,STORE\n' >"$WORK/locations.csv"
printf 'locationCode,name\nMAIN,A-1\nMAIN,A-2\n' >"$WORK/bins.csv"
printf 'globalSku,lotNumber,expiryDate,status\nCS-L,LOT-1,,ACTIVE\n' >"$WORK/lots.csv"
cat >"$WORK/stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
CS-S,MAIN,,A-1,287
CS-T,MAIN,,A-1,40
CS-T,MAIN,,A-2,60
CS-D,MAIN,,,5
CS-D,MAIN,,A-1,20
CS-L,MAIN,LOT-1,A-1,10
CS-L,MAIN,LOT-1,A-2,10
EOF
import_csv products "$WORK/products.csv" "$slug" "import products"
import_csv locations "$WORK/locations.csv" "$slug" "import locations"
import_csv bins "$WORK/bins.csv" "$slug" "import bins"
import_csv lots "$WORK/lots.csv" "$slug" "import lots"
import_csv stock "$WORK/stock.csv" "$slug" "import stock"

api GET "/inventory?limit=100"
# item SKU BIN: the stock line of SKU at MAIN in bin BIN ("" for none).
item() { jq -r --arg s "$1" --arg b "$2" '.items[] | select(.globalSku == $s and (.binName // "") == $b) | .id' <<<"$BODY"; }
prod() { jq -r --arg s "$1" 'first(.items[] | select(.globalSku == $s)) | .productMasterId' <<<"$BODY"; }
ITEM_S=$(item CS-S A-1)
ITEM_T1=$(item CS-T A-1)
ITEM_T2=$(item CS-T A-2)
ITEM_D0=$(item CS-D "")
ITEM_D1=$(item CS-D A-1)
ITEM_L1=$(item CS-L A-1)
ITEM_L2=$(item CS-L A-2)
PS=$(prod CS-S) PT=$(prod CS-T) PD=$(prod CS-D) PL=$(prod CS-L)
MAIN=$(jq -r 'first(.items[]) | .locationId' <<<"$BODY")
LOT1=$(jq -r 'first(.items[] | select(.globalSku == "CS-L")) | .lotId' <<<"$BODY")
BIN2=$(jq -r 'first(.items[] | select(.binName == "A-2")) | .binId' <<<"$BODY")
check_eq "$(printf '%s ' "$ITEM_S" "$ITEM_T1" "$ITEM_T2" "$ITEM_D0" "$ITEM_D1" "$ITEM_L1" "$ITEM_L2" \
	"$PS" "$PT" "$PD" "$PL" "$MAIN" "$LOT1" "$BIN2" |
	grep -cE '^(item_[0-9]+ ){7}(prod_[0-9]+ ){4}loc_[0-9]+ lot_[0-9]+ bin_[0-9]+ $')" 1 \
	"setup: seven stock lines of four products at MAIN"
api GET /locations
SHOP=$(jq -r '(.items // .data // .)[] | select(.code == "SHOP") | .id' <<<"$BODY")

# lines PRODUCT: the number of the product's stock lines at MAIN.
lines() { sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = $WS AND product_id = ${1#prod_} AND location_id = ${MAIN#loc_}"; }
# total PRODUCT: the product's on hand at MAIN.
total() { sql "SELECT IFNULL(SUM(qty_on_hand), 0) FROM stock_lines WHERE workspace_id = $WS AND product_id = ${1#prod_} AND location_id = ${MAIN#loc_}"; }
# on_hand ITEM
on_hand() { sql "SELECT qty_on_hand FROM stock_lines WHERE id = ${1#item_}"; }
add_item() { api POST "/inventory/counts/$1/items" "$2"; }

api POST /inventory/counts "{\"name\": \"Main\", \"type\": \"CYCLE\", \"locationId\": \"$MAIN\"}"
check_status 201 "a count of MAIN starts"
C=$(jq -r .id <<<"$BODY")

# ---------------------------------------------------------------- items by product

add_item "$C" "{\"productMasterId\": \"$PS\", \"countedQuantity\": 280}"
check_status 201 "the seed's example: 280 of a product that has 287 in a bin"
check_json '[.systemQuantity, .variance, .inventoryItemId, .binId] | map(tostring) | join("|")' \
	"287|-7|$ITEM_S|null" "it compares with the 287 in the bin: variance -7, the one line counted"
check_eq "$(lines "$PS")" 1 "no empty stock line is made to compare with"

add_item "$C" "{\"productMasterId\": \"$PT\", \"countedQuantity\": 110}"
check_status 422 "found stock of a product in two bins and no default line is 422"
check_json .error "Ambiguous stock line" "it says the stock line is ambiguous"
check_json '[.candidates[] | "\(.inventoryItemId):\(.quantityOnHand)"] | sort | join(",")' \
	"$(printf '%s\n' "$ITEM_T1:40" "$ITEM_T2:60" | sort | paste -sd,)" "it lists the two candidate lines"
check_eq "$(lines "$PT")" 2 "and makes no line"

add_item "$C" "{\"productMasterId\": \"$PT\", \"countedQuantity\": 35}"
check_status 201 "a count below the product's total over two bins is 201"
CI_T=$(jq -r .id <<<"$BODY")
check_json '[.systemQuantity, .variance, .inventoryItemId] | map(tostring) | join("|")' \
	"100|-65|null" "it compares with both bins (100): variance -65, no single line"
add_item "$C" "{\"productMasterId\": \"$PT\", \"binId\": \"$BIN2\", \"countedQuantity\": 1}"
check_status 409 "counting one bin of a product already counted whole is 409"
check_true ".message | contains(\"$CI_T\")" "it names the item that counts that stock"

add_item "$C" "{\"productMasterId\": \"$PD\", \"countedQuantity\": 30}"
check_status 201 "a product with a default line and a bin line"
check_json '[.systemQuantity, .variance] | map(tostring) | join("|")' "25|5" "system 25 over both lines, +5"

add_item "$C" "{\"productMasterId\": \"$PL\", \"lotId\": \"$LOT1\", \"countedQuantity\": 15}"
check_status 201 "a lot in two bins"
check_json '[.systemQuantity, .variance, .lotId, .binId] | map(tostring) | join("|")' "20|-5|$LOT1|null" \
	"the lot's lines in both bins (20): -5"

add_item "$C" "{\"productMasterId\": \"$PS\", \"countedQuantity\": 281}"
check_status 200 "counting the same product again replaces its item"
check_json '[.systemQuantity, .variance] | map(tostring) | join("|")' "287|-6" "variance -6 now"

# ---------------------------------------------------------------- completing

api POST "/inventory/counts/$C/complete" '{"applyAdjustments": true}'
check_status 200 "completing with applyAdjustments is 200"
check_eq "$(total "$PS") $(total "$PT") $(total "$PD") $(total "$PL")" "281 35 30 15" \
	"each product's total at the location equals its count"
check_eq "$(on_hand "$ITEM_T1") $(on_hand "$ITEM_T2")" "0 35" \
	"the decrease of 65 took the lower line id first (40), then 25 of the other"
check_eq "$(on_hand "$ITEM_D0") $(on_hand "$ITEM_D1")" "10 20" "the increase went to the default line"
check_eq "$(on_hand "$ITEM_L1") $(on_hand "$ITEM_L2")" "5 10" "the lot's decrease took from its first line"
check_eq "$(lines "$PS") $(lines "$PT") $(lines "$PD") $(lines "$PL")" "1 2 2 2" "no line was added"
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = $WS AND last_counted_at IS NULL")" 0 \
	"every line of the counted products is dated lastCountedAt"

api GET "/inventory/counts/$C/items"
ADJ_T=$(jq -r ".items[] | select(.id == \"$CI_T\") | .adjustmentId" <<<"$BODY")
api GET "/inventory/adjustments/stock/$ADJ_T"
check_status 200 "the count's adjustment for the two-bin product exists"
check_json '[.type, .quantityChange, .quantityBefore, .quantityAfter, .inventoryItemId, .status] | map(tostring) | join("|")' \
	"CORRECTION|-65|100|35|null|APPLIED" "it records -65 from 100 to 35 over several lines"
check_eq "$(sql "SELECT GROUP_CONCAT(delta_on_hand ORDER BY stock_line_id) FROM stock_transactions
	WHERE workspace_id = $WS AND product_id = ${PT#prod_} AND reference_type = 'COUNT' AND reference_id = '$C'")" \
	"-40,-25" "the ledger holds one transaction per line, both referencing the count"

if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "inventoryctl ledger verify finds no mismatch"
else
	fail "inventoryctl ledger verify finds no mismatch" "$out"
fi

# ---------------------------------------------------------------- overlapping scopes at once

# Three workspace-wide starts and three of MAIN at the same moment: every
# pair overlaps, so exactly one starts.
for i in 1 2 3 4 5 6; do
	if [ "$i" -le 3 ]; then
		body="{\"name\": \"All $i\", \"type\": \"FULL\"}"
	else
		body="{\"name\": \"Main $i\", \"type\": \"SPOT\", \"locationId\": \"$MAIN\"}"
	fi
	curl -sS -o "$WORK/race.$i.body" -w '%{http_code}' -X POST \
		-H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
		--data-binary "$body" "$INVENTORY_URL/inventory/counts" >"$WORK/race.$i.status" 2>/dev/null &
done
wait
check_eq "$(for f in "$WORK"/race.*.status; do cat "$f"; echo; done | sort | uniq -c | awk '{print $1 "x" $2}' | paste -sd' ')" \
	"1x201 5x409" "six concurrent overlapping starts: one 201, five 409"
check_eq "$(sql "SELECT COUNT(*) FROM inventory_counts WHERE workspace_id = $WS AND status = 'IN_PROGRESS'")" 1 \
	"one count is in progress"
WINNER=$(cat "$WORK"/race.*.body | jq -r 'select(.id) | .id')
api POST "/inventory/counts/$WINNER/cancel" ""
check_status 200 "the winner is cancelled"

api POST /inventory/counts "{\"name\": \"Main\", \"type\": \"SPOT\", \"locationId\": \"$MAIN\"}"
check_status 201 "a count of MAIN"
api POST /inventory/counts "{\"name\": \"Shop\", \"type\": \"SPOT\", \"locationId\": \"$SHOP\"}"
check_status 201 "and one of SHOP run together: their scopes do not overlap"
api POST "/inventory/counts/$(jq -r .id <<<"$BODY")/cancel" ""

# A write in flight elsewhere in the workspace (here: a reason code inserted
# by a transaction that stays open 4 s) must not hold a count start up.
sql "START TRANSACTION; INSERT INTO reason_codes (workspace_id, code, name) VALUES ($WS, 'HELD_OPEN', 'Held open');
     DO SLEEP(4); ROLLBACK;" >/dev/null &
holder=$!
sleep 1
start=$(date +%s%N)
api POST /inventory/counts "{\"name\": \"Shop again\", \"type\": \"SPOT\", \"locationId\": \"$SHOP\"}"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
check_status 201 "a count starts while another write of the workspace is open"
check_true "$elapsed_ms < 2000" "without waiting for it (${elapsed_ms} ms)"
wait "$holder"

done_testing
