#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inventory count sessions (seed 004): POST/GET /api/inventory/counts,
# GET /api/inventory/counts/{id}, POST/GET .../{id}/items, POST
# .../{id}/complete and .../{id}/cancel, GET /api/inventory/counts/summary.
# Manager-only starts and closes, counts whose scopes overlap never in
# progress together (a workspace-wide count overlaps every count), variances
# valued at the product's cost, significant
# discrepancies, recounts, applying through the ledger against the snapshot
# (movements after counting stay), pre-approved adjustment records, a ledger
# refusal rolling everything back, filters, the summary, other workspaces.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t180.XXXXXX")
ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
PERMS=inventory.read,inventory.write,inventory.adjust,inventory.cyclecount,products.read,locations.read
IN_PROGRESS_MSG='an inventory count is already in progress'

# key_and_id SLUG PERMS [ROLES]: sets KEY and KEY_ID (key_N).
key_and_id() {
	local out
	local -a args=(apikey create --workspace "$1" --permissions "$2" --name t180)
	[ -n "${3:-}" ] && args+=(--roles "$3")
	out=$(ctl "${args[@]}")
	KEY=$(sed -n 's/^key: *//p' <<<"$out")
	KEY_ID=$(sed -n 's/^id: *//p' <<<"$out")
}

slug=$(uniq_slug counts)
new_workspace "$slug" >/dev/null
key_and_id "$slug" "$PERMS"
MEMBER=$KEY MEMBER_ID=$KEY_ID
key_and_id "$slug" "$PERMS" manager
MANAGER=$KEY MANAGER_ID=$KEY_ID
TOKEN=$MEMBER

slug2=$(uniq_slug counts-other)
new_workspace "$slug2" >/dev/null
OTHER=$(new_key "$slug2" "$PERMS" manager)

cat >"$WORK/products.csv" <<'EOF'
globalSku,name,unitCost,lotControlled,expiryTracked
CT-A,Widget,2.5,false,false
CT-B,Gadget,40,false,false
CT-L,Lotted serum,1,true,true
CT-E,Eraser,0.1,false,false
EOF
printf 'code,name,type\nMAIN,Main Warehouse,WAREHOUSE\nSHOP,Corner Store,STORE\nBACK,Back room,WAREHOUSE\n' \
	>"$WORK/locations.csv"
printf 'locationCode,name\nMAIN,A-1\nSHOP,S-1\n' >"$WORK/bins.csv"
printf 'globalSku,lotNumber,expiryDate,status\nCT-L,LOT-1,2031-12-31,ACTIVE\n' >"$WORK/lots.csv"
cat >"$WORK/stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
CT-A,MAIN,,,100
CT-B,MAIN,,,10
CT-L,MAIN,LOT-1,A-1,30
CT-E,SHOP,,,50
CT-A,SHOP,,,20
EOF
import_csv products "$WORK/products.csv" "$slug" "import products"
import_csv locations "$WORK/locations.csv" "$slug" "import locations"
import_csv bins "$WORK/bins.csv" "$slug" "import bins"
import_csv lots "$WORK/lots.csv" "$slug" "import lots"
import_csv stock "$WORK/stock.csv" "$slug" "import stock"
printf 'globalSku,name,unitCost\nCT-X,Theirs,1\n' >"$WORK/other_products.csv"
printf 'code,name,type\nTHEIRS,Their store,STORE\n' >"$WORK/other_locations.csv"
printf 'globalSku,locationCode,lotNumber,binName,quantityOnHand\nCT-X,THEIRS,,,10\n' >"$WORK/other_stock.csv"
import_csv products "$WORK/other_products.csv" "$slug2" "import the other workspace's product"
import_csv locations "$WORK/other_locations.csv" "$slug2" "import the other workspace's location"
import_csv stock "$WORK/other_stock.csv" "$slug2" "import the other workspace's stock"

# Ids of the imported objects, read back through the API.
api GET "/inventory?limit=100"
sel() { jq -r --arg s "$1" --arg l "$2" ".items[] | select(.globalSku == \$s and .locationName == \$l) | .$3" <<<"$BODY"; }
ITEM_A=$(sel CT-A "Main Warehouse" id)
ITEM_B=$(sel CT-B "Main Warehouse" id)
ITEM_L=$(sel CT-L "Main Warehouse" id)
ITEM_E_SHOP=$(sel CT-E "Corner Store" id)
ITEM_A_SHOP=$(sel CT-A "Corner Store" id)
PA=$(sel CT-A "Main Warehouse" productMasterId)
PB=$(sel CT-B "Main Warehouse" productMasterId)
PL=$(sel CT-L "Main Warehouse" productMasterId)
PE=$(sel CT-E "Corner Store" productMasterId)
MAIN=$(sel CT-A "Main Warehouse" locationId)
SHOP=$(sel CT-A "Corner Store" locationId)
LOT1=$(sel CT-L "Main Warehouse" lotId)
BIN_MAIN=$(sel CT-L "Main Warehouse" binId)
check_eq "$(printf '%s ' "$ITEM_A" "$ITEM_B" "$ITEM_L" "$ITEM_E_SHOP" "$ITEM_A_SHOP" "$PA" "$PB" "$PL" "$PE" \
	"$MAIN" "$SHOP" "$LOT1" "$BIN_MAIN" |
	grep -cE '^(item_[0-9]+ ){5}(prod_[0-9]+ ){4}loc_[0-9]+ loc_[0-9]+ lot_[0-9]+ bin_[0-9]+ $')" 1 \
	"setup: five stock lines with product, location, lot and bin ids"
api GET "/locations?limit=100"
BACK=$(jq -r '(.items // .data // .)[] | select(.code == "BACK") | .id' <<<"$BODY")
api GET "/locations/$SHOP/bins"
BIN_SHOP=$(jq -r '(.items // .data // .)[] | select(.name == "S-1") | .id' <<<"$BODY")
check_eq "$(printf '%s %s' "$BACK" "$BIN_SHOP" | grep -cE '^loc_[0-9]+ bin_[0-9]+$')" 1 \
	"setup: the BACK location and the SHOP bin"
api GET /inventory "" "$OTHER"
OTHER_PROD=$(jq -r '.items[0].productMasterId' <<<"$BODY")
OTHER_LOC=$(jq -r '.items[0].locationId' <<<"$BODY")

# line ITEM FIELD: a field of stock line ITEM from GET /inventory (BODY kept).
line() {
	local saved_status=$STATUS saved_body=$BODY v
	api GET "/inventory?limit=100" "" "$MEMBER"
	v=$(jq -r --arg id "$1" ".items[] | select(.id == \$id) | .$2" <<<"$BODY")
	STATUS=$saved_status BODY=$saved_body
	printf '%s\n' "${v:-none}"
}
start() { api POST /inventory/counts "$1" "${2:-$MANAGER}"; }
add_item() { api POST "/inventory/counts/$1/items" "$2" "${3:-$MEMBER}"; }

# ---------------------------------------------------------------- start

start "{\"name\": \"Main cycle\", \"type\": \"CYCLE\", \"locationId\": \"$MAIN\"}" "$MEMBER"
check_status 403 "a member (no manager role) cannot start a count"
check_json .error Forbidden "the member's start says Forbidden"

start "{\"name\": \"Main cycle\", \"type\": \"CYCLE\", \"locationId\": \"$MAIN\", \"notes\": \"Aisle 1-4\"}"
check_status 201 "a manager starts a count (201)"
C1=$(jq -r .id <<<"$BODY")
check_true '.id | test("^cnt_[0-9]+$")' "the count id is cnt_N"
check_json '[.name, .type, .locationId, .notes, .status, .startedBy] | join("|")' \
	"Main cycle|CYCLE|$MAIN|Aisle 1-4|IN_PROGRESS|apikey:$MANAGER_ID" \
	"name, type, location, notes, status and who started it"
check_true ".startedAt | test(\"$ISO_RE\")" "startedAt is ISO 8601"
check_json '[.completedAt, .completedBy, .completionNotes, .adjustmentsApplied] | map(tostring) | join("|")' \
	"null|null|null|false" "not completed yet"
check_json '[.itemsCounted, .itemsWithDiscrepancies, .totalValueMissing, .totalValueExcess, .netVarianceValue] | map(tostring) | join(" ")' \
	"0 0 0 0 0" "a new count has no items and no variance"

start "{\"name\": \"Again\", \"type\": \"SPOT\", \"locationId\": \"$MAIN\"}"
check_status 409 "a second count in progress at the same location is 409"
check_json '[.error, .message] | join("|")' "Conflict|$IN_PROGRESS_MSG" "it says a count is already in progress"

start "{\"name\": \"Shop spot\", \"type\": \"SPOT\", \"locationId\": \"$SHOP\"}"
check_status 201 "a count at another location starts (201)"
C2=$(jq -r .id <<<"$BODY")

start '{"name": "Everything", "type": "FULL"}'
check_status 409 "a workspace-wide count does not start while location counts are in progress"
check_json .message "$IN_PROGRESS_MSG" "with the same message"
check_true ".countId == \"$C1\" or .countId == \"$C2\"" "it names the count in progress that overlaps"

start "{\"name\": \"Theirs\", \"type\": \"SPOT\", \"locationId\": \"$OTHER_LOC\"}"
check_status 404 "a location of another workspace is 404"
check_json .error "Location not found" "it says Location not found"
start '{"name": "Bad", "type": "WEEKLY"}'
check_status 400 "an unknown type is 400"
start '{"type": "SPOT"}'
check_status 400 "a missing name is 400"

# Concurrent starts at one location: exactly one wins.
for i in 1 2 3 4 5 6; do
	curl -sS -o "$WORK/race.$i.body" -w '%{http_code}' -X POST \
		-H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
		--data-binary "{\"name\": \"Race $i\", \"type\": \"SPOT\", \"locationId\": \"$BACK\"}" \
		"$INVENTORY_URL/inventory/counts" >"$WORK/race.$i.status" 2>/dev/null &
done
wait
check_eq "$(for f in "$WORK"/race.*.status; do cat "$f"; echo; done | sort | uniq -c | awk '{print $1 "x" $2}' | paste -sd' ')" \
	"1x201 5x409" "six concurrent starts at one location: one 201, five 409"
C_RACE=$(cat "$WORK"/race.*.body | jq -r 'select(.id) | .id')

api GET "/inventory/counts/$C1"
check_status 200 "GET /inventory/counts/{id} is 200"
check_json '[.id, .name, .status] | join("|")' "$C1|Main cycle|IN_PROGRESS" "it answers the count"
api GET /inventory/counts/cnt_999999999
check_status 404 "an unknown count is 404"
check_json .error "Inventory count not found" "it says Inventory count not found"

# ---------------------------------------------------------------- items

add_item "$C1" "{\"productMasterId\": \"$PA\", \"countedQuantity\": 96, \"reason\": \"Shrinkage\", \"notes\": \"Shelf 3\"}"
check_status 201 "a member adds a count item (201)"
CI_A=$(jq -r .id <<<"$BODY")
check_true '.id | test("^cnti_[0-9]+$")' "the item id is cnti_N"
check_json '[.countId, .inventoryItemId, .productMasterId, .locationId, .lotId, .binId] | map(tostring) | join("|")' \
	"$C1|$ITEM_A|$PA|$MAIN|null|null" "the item names the count and the existing stock line"
check_json '[.countedQuantity, .systemQuantity, .variance, .unitCost, .varianceValue, .significant] | map(tostring) | join(" ")' \
	"96 100 -4 2.5 -10 false" "variance -4 at unit cost 2.5 is -10, not significant"
check_json '[.reason, .notes, .countedBy, .transactionId] | map(tostring) | join("|")' \
	"Shrinkage|Shelf 3|apikey:$MEMBER_ID|null" "reason, notes and who counted"
check_true "(.createdAt | test(\"$ISO_RE\")) and (.updatedAt | test(\"$ISO_RE\"))" "createdAt and updatedAt are ISO 8601"

add_item "$C1" "{\"productMasterId\": \"$PB\", \"locationId\": \"$MAIN\", \"countedQuantity\": 7}"
check_status 201 "an item with the count's own locationId is 201"
CI_B=$(jq -r .id <<<"$BODY")
REQ_B=$(header_value x-request-id)
check_json '[.systemQuantity, .variance, .varianceValue, .significant] | map(tostring) | join(" ")' \
	"10 -3 -120 true" "variance -3 at 40 is -120: significant by value (>= 100)"
if [ -n "${TEST_DIR:-}" ] && [ -f "$TEST_DIR/fcgi.log" ] && [ -n "$REQ_B" ]; then
	sleep 0.2
	check_eq "$(grep -cF "$REQ_B count $C1: significant discrepancy on $PB at $MAIN: variance -3 (value -120" "$TEST_DIR/fcgi.log")" 1 \
		"the significant discrepancy is logged with the request id"
fi

add_item "$C1" "{\"productMasterId\": \"$PL\", \"countedQuantity\": 30}"
check_status 400 "a lot-controlled product without lotId is 400"
check_json '.details[0].field' lotId "the error names lotId"
add_item "$C1" "{\"productMasterId\": \"$PL\", \"lotId\": \"$LOT1\", \"binId\": \"$BIN_MAIN\", \"countedQuantity\": 30}"
check_status 201 "a lot-controlled product with its lot and bin is 201"
CI_L=$(jq -r .id <<<"$BODY")
check_json '[.inventoryItemId, .lotId, .binId, .variance, .varianceValue, .significant] | map(tostring) | join("|")' \
	"$ITEM_L|$LOT1|$BIN_MAIN|0|0|false" "it is the lot's stock line, with no variance"

add_item "$C1" "{\"productMasterId\": \"$PA\", \"lotId\": \"$LOT1\", \"countedQuantity\": 1}"
check_status 404 "a lot of another product is 404"
check_json .error "Lot not found" "it says Lot not found"
add_item "$C1" "{\"productMasterId\": \"$PA\", \"binId\": \"$BIN_SHOP\", \"countedQuantity\": 1}"
check_status 404 "a bin of another location is 404"
check_json .error "Bin not found" "it says Bin not found"
add_item "$C1" "{\"productMasterId\": \"$PA\", \"locationId\": \"$SHOP\", \"countedQuantity\": 1}"
check_status 400 "a locationId other than the count's is 400"
check_json '.details[0].field' locationId "the error names locationId"
add_item "$C1" "{\"productMasterId\": \"$OTHER_PROD\", \"countedQuantity\": 1}"
check_status 404 "a product of another workspace is 404"
check_json .error "Product not found" "it says Product not found"
add_item "$C1" "{\"productMasterId\": \"$PA\", \"countedQuantity\": -1}"
check_status 400 "a negative countedQuantity is 400"
add_item "$C1" "{\"productMasterId\": \"$PA\"}"
check_status 400 "a missing countedQuantity is 400"

add_item "$C1" "{\"productMasterId\": \"$PE\", \"countedQuantity\": 8}"
check_status 201 "found stock where the system has no line is 201"
CI_E=$(jq -r .id <<<"$BODY")
check_json .inventoryItemId null "no stock line is made to compare with"
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE product_id = ${PE#prod_} AND location_id = ${MAIN#loc_}")" 0 \
	"counting creates no empty stock line"
check_json '[.systemQuantity, .variance, .unitCost, .varianceValue, .significant] | map(tostring) | join(" ")' \
	"0 8 0.1 0.8 true" "system 0, variance 8 valued exactly 0.8, significant (>= 5 and >= 10% of 0)"

add_item "$C1" "{\"productMasterId\": \"$PA\", \"countedQuantity\": 90, \"reason\": \"Recount\"}"
check_status 200 "counting the same stock line again is 200 (update)"
check_json '[.id, .countedQuantity, .systemQuantity, .variance, .varianceValue, .significant, .reason, .notes] | map(tostring) | join("|")' \
	"$CI_A|90|100|-10|-25|true|Recount|null" \
	"the same item now has variance -10 (-25), significant at exactly 5 units and 10%"

api GET "/inventory/counts/$C1/items"
check_status 200 "GET /inventory/counts/{id}/items is 200"
check_json '[.count, (.items | map(.id) | join(","))] | map(tostring) | join(" ")' \
	"4 $CI_A,$CI_B,$CI_L,$CI_E" "four items, in the order they were first counted"
check_json '[.items[] | .variance] | map(tostring) | join(",")' "-10,-3,0,8" "with their variances"

api GET "/inventory/counts/$C1"
check_json '[.itemsCounted, .itemsWithDiscrepancies, .totalValueMissing, .totalValueExcess, .netVarianceValue] | map(tostring) | join(" ")' \
	"4 3 145 0.8 -144.2" "the count sums its items: missing 145, excess 0.8, net -144.2"

# ---------------------------------------------------------------- complete with adjustments

# Stock moves after counting: 5 received at MAIN.
api POST /inventory/record-stock "{\"productMasterId\": \"$PA\", \"locationId\": \"$MAIN\", \"quantity\": 5, \"mode\": \"RECEIVE\"}"
check_status 200 "5 of the counted product are received after counting"
check_eq "$(line "$ITEM_A" quantityOnHand)" 105 "on hand is 105 before completing"

api POST "/inventory/counts/$C1/complete" '{"applyAdjustments": true}' "$MEMBER"
check_status 403 "a member cannot complete a count"
api POST "/inventory/counts/$C1/cancel" "" "$MEMBER"
check_status 403 "a member cannot cancel a count"

api POST "/inventory/counts/$C1/complete" '{"applyAdjustments": true, "notes": "Quarter end"}' "$MANAGER"
check_status 200 "a manager completes with applyAdjustments (200)"
check_json '[.status, .adjustmentsApplied, .completedBy, .completionNotes] | map(tostring) | join("|")' \
	"COMPLETED|true|apikey:$MANAGER_ID|Quarter end" "COMPLETED, applied, by whom, with the notes"
check_true ".completedAt | test(\"$ISO_RE\")" "completedAt is ISO 8601"
check_json '[.itemsCounted, .netVarianceValue] | map(tostring) | join(" ")' "4 -144.2" "the totals stay"

check_eq "$(line "$ITEM_A" quantityOnHand)" 95 "counted 90 plus the 5 received after the snapshot: 95"
check_eq "$(line "$ITEM_B" quantityOnHand)" 7 "the second product is set to its count, 7"
ITEM_E_MAIN=$(sql "SELECT CONCAT('item_', id) FROM stock_lines WHERE product_id = ${PE#prod_} AND location_id = ${MAIN#loc_}")
check_true "\"$ITEM_E_MAIN\" | test(\"^item_[0-9]+$\")" "completing made the stock line for the found stock"
check_eq "$(line "$ITEM_E_MAIN" quantityOnHand)" 8 "the found stock is on hand, 8"
check_eq "$(line "$ITEM_L" quantityOnHand)" 30 "the line without variance keeps 30"
check_eq "$(line "$ITEM_L" lastCountedAt | grep -cE "$ISO_RE")" 1 "a zero-variance line is dated lastCountedAt too"
check_eq "$(line "$ITEM_A" lastCountedAt | grep -cE "$ISO_RE")" 1 "an adjusted line is dated lastCountedAt"

api GET "/inventory/counts/$C1/items"
check_true '[.items[] | select(.variance != 0) | (.transactionId | test("^txn_[0-9]+$")) and (.adjustmentId | test("^adj_[0-9]+$"))] | all and length == 3' \
	"each item with a variance records its transaction and adjustment"
check_json ".items[] | select(.id == \"$CI_L\") | [.transactionId, .adjustmentId] | map(tostring) | join(\"|\")" \
	"null|null" "the item without variance has neither"
TXN_A=$(jq -r ".items[] | select(.id == \"$CI_A\") | .transactionId" <<<"$BODY")
ADJ_A=$(jq -r ".items[] | select(.id == \"$CI_A\") | .adjustmentId" <<<"$BODY")

api GET "/inventory/adjustments/stock?productMasterId=$PA&status=APPLIED" "" "$MEMBER"
check_status 200 "the stock adjustments list answers"
check_json "[.items[] | select(.id == \"$ADJ_A\") | .type, .quantityChange, .unitCost, .costImpact, .reason, .status, .requiresApproval, .approved, .createdBy, .approvedBy, .transactionId, .quantityBefore, .quantityAfter] | map(tostring) | join(\"|\")" \
	"CORRECTION|-10|2.5|-25|Inventory count $C1|APPLIED|false|true|apikey:$MANAGER_ID|apikey:$MANAGER_ID|$TXN_A|105|95" \
	"a pre-approved APPLIED CORRECTION of -10 records the count and the completer"
check_true "[.items[] | select(.id == \"$ADJ_A\") | .approvedAt | test(\"$ISO_RE\")] == [true]" "it has approvedAt"
api GET "/inventory/adjustments/stock?status=APPLIED&limit=100" "" "$MEMBER"
check_eq "$(jq -r "[.items[] | select(.reason == \"Inventory count $C1\")] | length" <<<"$BODY")" 3 \
	"one adjustment record per item with a variance (3)"

api GET "/inventory/adjustments?inventoryItemId=$ITEM_A" "" "$MEMBER"
check_json '.entries[0] | [.id, .transactionType, .deltaQty, .qtyBefore, .qtyAfter, .referenceType, .referenceId, .createdBy] | map(tostring) | join("|")' \
	"$TXN_A|COUNT_ADJUSTMENT|-10|105|95|COUNT|$C1|apikey:$MANAGER_ID" \
	"the history shows the COUNT_ADJUSTMENT of -10 from 105 to 95, referencing the count"
check_json '.entries[1].transactionType' RECEIPT "the receipt before it stays in the history"

add_item "$C1" "{\"productMasterId\": \"$PA\", \"countedQuantity\": 1}"
check_status 409 "adding an item to a completed count is 409"
check_json .error Conflict "it says Conflict"
api POST "/inventory/counts/$C1/complete" '{"applyAdjustments": true}' "$MANAGER"
check_status 409 "completing a completed count again is 409"
check_eq "$(line "$ITEM_A" quantityOnHand)" 95 "and it applies nothing twice"
api POST "/inventory/counts/$C1/cancel" "" "$MANAGER"
check_status 409 "cancelling a completed count is 409"

start "{\"name\": \"Main annual\", \"type\": \"ANNUAL\", \"locationId\": \"$MAIN\"}"
check_status 201 "after completion a new count may start at that location"
C4=$(jq -r .id <<<"$BODY")

# ---------------------------------------------------------------- complete without adjustments

add_item "$C2" "{\"productMasterId\": \"$PE\", \"countedQuantity\": 45}"
check_status 201 "an item in the shop count"
check_json '[.inventoryItemId, .systemQuantity, .variance, .varianceValue, .significant] | map(tostring) | join(" ")' \
	"$ITEM_E_SHOP 50 -5 -0.5 true" "variance -5 of 50 (-0.5) is significant: 5 units and 10%"
api POST "/inventory/counts/$C2/complete" '{"applyAdjustments": false}' "$MANAGER"
check_status 200 "completing without applyAdjustments is 200"
check_json '[.status, .adjustmentsApplied, .completionNotes] | map(tostring) | join("|")' \
	"COMPLETED|false|null" "COMPLETED, nothing applied"
check_eq "$(line "$ITEM_E_SHOP" quantityOnHand)" 50 "the stock is unchanged (50)"
check_eq "$(line "$ITEM_E_SHOP" lastCountedAt)" null "and the line is not dated"
api GET "/inventory/counts/$C2/items"
check_json '.items[0].transactionId' null "the item has no transaction"
api GET "/inventory/adjustments?inventoryItemId=$ITEM_E_SHOP" "" "$MEMBER"
check_json '[.entries[] | select(.transactionType == "COUNT_ADJUSTMENT")] | length' 0 \
	"no COUNT_ADJUSTMENT in the line's history"

# ---------------------------------------------------------------- a ledger refusal undoes everything

api POST /inventory/holds "{\"inventoryItemId\": \"$ITEM_A\", \"quantity\": 90, \"reason\": \"QA\"}" "$MEMBER"
check_status 201 "90 of the 95 are put on hold"
add_item "$C4" "{\"productMasterId\": \"$PB\", \"countedQuantity\": 10}"
check_status 201 "the annual count finds 10 of the second product (+3)"
add_item "$C4" "{\"productMasterId\": \"$PA\", \"countedQuantity\": 0}"
check_status 201 "and counts 0 of the held product"
CI_A4=$(jq -r .id <<<"$BODY")
api POST "/inventory/counts/$C4/complete" '{"applyAdjustments": true}' "$MANAGER"
check_status 409 "applying a count below what is held is 409"
check_json .error "Insufficient stock" "it says Insufficient stock"
check_true ".message | contains(\"$CI_A4\") and contains(\"$ITEM_A\")" "the message names the count item and the stock line"
check_eq "$(line "$ITEM_B" quantityOnHand)" 7 "the other item's +3 was rolled back (7)"
check_eq "$(line "$ITEM_A" quantityOnHand)" 95 "the held line is unchanged (95)"
api GET "/inventory/counts/$C4"
check_json '[.status, .adjustmentsApplied] | map(tostring) | join("|")' "IN_PROGRESS|false" \
	"the count is still in progress"
api GET "/inventory/counts/$C4/items"
check_json '[.items[].transactionId] | map(tostring) | join(",")' "null,null" "no item records a transaction"
api POST "/inventory/counts/$C4/cancel" "" "$MANAGER"
check_status 200 "the refused count can be cancelled"

# ---------------------------------------------------------------- workspace-wide count, cancel

api POST "/inventory/counts/$C_RACE/cancel" "" "$MANAGER"
check_status 200 "the race winner is cancelled"
start '{"name": "Everything", "type": "FULL"}'
check_status 201 "with no count in progress a workspace-wide count (no location) starts"
C3=$(jq -r .id <<<"$BODY")
check_json '[.locationId, .notes] | map(tostring) | join("|")' "null|null" "it has no location and no notes"
start '{"name": "Everything again", "type": "ANNUAL"}'
check_status 409 "a second workspace-wide count in progress is 409"
check_json '[.message, .countId] | join("|")' "$IN_PROGRESS_MSG|$C3" "it names the count in progress"
start "{\"name\": \"Shop again\", \"type\": \"SPOT\", \"locationId\": \"$SHOP\"}"
check_status 409 "a location count does not start while a workspace-wide count is in progress"
check_json '[.message, .countId] | join("|")' "$IN_PROGRESS_MSG|$C3" "it names the workspace-wide count"

add_item "$C3" "{\"productMasterId\": \"$PA\", \"countedQuantity\": 25}"
check_status 400 "an item of a workspace-wide count needs a locationId"
check_json '.details[0].field' locationId "the error names locationId"
add_item "$C3" "{\"productMasterId\": \"$PA\", \"locationId\": \"$OTHER_LOC\", \"countedQuantity\": 25}"
check_status 404 "a location of another workspace is 404"
check_json .error "Location not found" "it says Location not found"
add_item "$C3" "{\"productMasterId\": \"$PA\", \"locationId\": \"$SHOP\", \"countedQuantity\": 25}"
check_status 201 "an item with its location in a workspace-wide count is 201"
check_json '[.inventoryItemId, .locationId, .variance, .varianceValue] | map(tostring) | join("|")' \
	"$ITEM_A_SHOP|$SHOP|5|12.5" "the shop's line, variance +5 (12.5)"
api POST "/inventory/counts/$C3/cancel" "" "$MANAGER"
check_status 200 "a manager cancels a count (200)"
check_json '[.status, .adjustmentsApplied, .completedBy, .itemsCounted] | map(tostring) | join("|")' \
	"CANCELLED|false|apikey:$MANAGER_ID|1" "CANCELLED, nothing applied, who ended it"
check_eq "$(line "$ITEM_A_SHOP" quantityOnHand)" 20 "cancelling changes no stock (20)"
add_item "$C3" "{\"productMasterId\": \"$PA\", \"locationId\": \"$SHOP\", \"countedQuantity\": 1}"
check_status 409 "adding an item to a cancelled count is 409"
api POST "/inventory/counts/$C3/complete" '{"applyAdjustments": true}' "$MANAGER"
check_status 409 "completing a cancelled count is 409"
api POST "/inventory/counts/$C3/cancel" "" "$MANAGER"
check_status 409 "cancelling a cancelled count is 409"
start '{"name": "Everything, take two", "type": "FULL"}'
check_status 201 "after cancelling a new workspace-wide count may start"
C5=$(jq -r .id <<<"$BODY")

# ---------------------------------------------------------------- list

api GET /inventory/counts
check_status 200 "GET /inventory/counts is 200"
check_json '[.pagination.total, (.items | length), .items[0].id] | map(tostring) | join(" ")' \
	"6 6 $C5" "six counts, newest first"
check_true '.items | map(.id | ltrimstr("cnt_") | tonumber) | . == (sort | reverse)' "ordered newest first"
check_json ".items[] | select(.id == \"$C1\") | [.itemsCounted, .totalValueMissing] | map(tostring) | join(\" \")" \
	"4 145" "list items carry the aggregates"
api GET "/inventory/counts?status=COMPLETED"
check_json '[.items[].id] | join(",")' "$C2,$C1" "status=COMPLETED"
api GET "/inventory/counts?status=CANCELLED&type=FULL"
check_json '[.items[].id] | join(",")' "$C3" "status and type together"
api GET "/inventory/counts?locationId=$MAIN"
check_json '[.items[].id] | join(",")' "$C4,$C1" "locationId=MAIN"
api GET "/inventory/counts?status=IN_PROGRESS"
check_json '[.items[].id] | join(",")' "$C5" "status=IN_PROGRESS: the workspace-wide count"
api GET "/inventory/counts?limit=2&page=2"
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages, (.items | length)] | map(tostring) | join(" ")' \
	"2 2 6 3 2" "page 2 of 3 with limit 2"
TODAY=$(date -u +%F)
TOMORROW=$(date -u -d tomorrow +%F)
YESTERDAY=$(date -u -d yesterday +%F)
api GET "/inventory/counts?fromDate=$TODAY&toDate=$TODAY"
check_json .pagination.total 6 "fromDate and toDate today include today's counts"
api GET "/inventory/counts?fromDate=$TOMORROW"
check_json .pagination.total 0 "fromDate tomorrow finds none"
api GET "/inventory/counts?toDate=${YESTERDAY}T23:59:59Z"
check_json .pagination.total 0 "toDate yesterday (date-time) finds none"
api GET "/inventory/counts?status=OPEN"
check_status 400 "an unknown status filter is 400"
api GET "/inventory/counts?fromDate=yesterday"
check_status 400 "a malformed fromDate is 400"

# ---------------------------------------------------------------- summary

api GET /inventory/counts/summary
check_status 200 "GET /inventory/counts/summary is 200"
check_json '[.period.from, .period.to] | map(tostring) | join("|")' "null|null" "no period: all time"
check_json '[.totalCounts, .inProgress, .completed, .cancelled] | map(tostring) | join(" ")' "6 1 2 3" \
	"6 counts: 1 in progress, 2 completed, 3 cancelled"
check_json '[.byType.FULL, .byType.CYCLE, .byType.SPOT, .byType.ANNUAL] | map(tostring) | join(" ")' "2 1 2 1" \
	"byType FULL 2, CYCLE 1, SPOT 2, ANNUAL 1"
check_json '[.itemsCounted, .itemsWithDiscrepancies, .totalValueMissing, .totalValueExcess, .netVarianceValue] | map(tostring) | join(" ")' \
	"5 4 145.5 0.8 -144.7" "items and values of the counts not cancelled"
api GET "/inventory/counts/summary?fromDate=$TODAY&toDate=$TODAY"
check_json '[.period.from, .period.to, .totalCounts] | map(tostring) | join("|")' "$TODAY|$TODAY|6" \
	"the period is echoed and today holds all six"
api GET "/inventory/counts/summary?fromDate=$TOMORROW"
check_json '[.totalCounts, .itemsCounted, .totalValueMissing, .netVarianceValue, .byType.FULL] | map(tostring) | join(" ")' \
	"0 0 0 0 0" "a future period is all zero"
api GET "/inventory/counts/summary?toDate=${YESTERDAY}"
check_json .totalCounts 0 "a past period holds none"
api GET "/inventory/counts/summary?toDate=not-a-date"
check_status 400 "a malformed toDate is 400"
api GET /inventory/counts/summary "" "$OTHER"
check_json '[.totalCounts, .itemsCounted] | map(tostring) | join(" ")' "0 0" \
	"the other workspace's summary sees none of these"

# ---------------------------------------------------------------- other workspaces

start "{\"name\": \"Their count\", \"type\": \"SPOT\", \"locationId\": \"$OTHER_LOC\"}" "$OTHER"
check_status 201 "the other workspace starts its own count"
OTHER_CNT=$(jq -r .id <<<"$BODY")
start "{\"name\": \"Main again\", \"type\": \"SPOT\", \"locationId\": \"$MAIN\"}"
check_status 409 "our workspace-wide count still blocks our location counts"
check_json .countId "$C5" "it names our workspace-wide count, not theirs"

other_404() {
	check_status 404 "$1 with another workspace's count is 404"
	check_json .error "Inventory count not found" "$1 says Inventory count not found"
}
api GET "/inventory/counts/$OTHER_CNT"
other_404 "GET /inventory/counts/{id}"
api GET "/inventory/counts/$OTHER_CNT/items"
other_404 "GET .../items"
add_item "$OTHER_CNT" "{\"productMasterId\": \"$PA\", \"locationId\": \"$MAIN\", \"countedQuantity\": 1}"
other_404 "POST .../items"
api POST "/inventory/counts/$OTHER_CNT/complete" '{"applyAdjustments": true}' "$MANAGER"
other_404 "POST .../complete"
api POST "/inventory/counts/$OTHER_CNT/cancel" "" "$MANAGER"
other_404 "POST .../cancel"
api GET "/inventory/counts/$C1" "" "$OTHER"
check_status 404 "the other workspace cannot read our count either"
api GET "/inventory/counts/$OTHER_CNT" "" "$OTHER"
check_json '[.status, .itemsCounted] | map(tostring) | join(" ")' "IN_PROGRESS 0" \
	"their count is untouched"
api GET /inventory/counts "" "$OTHER"
check_json '[.pagination.total, .items[0].id] | map(tostring) | join(" ")' "1 $OTHER_CNT" \
	"the other workspace lists only its own count"

for s in "$slug" "$slug2"; do
	if out=$(ctl ledger verify --workspace "$s" 2>&1); then
		pass "inventoryctl ledger verify --workspace $s finds no mismatch"
	else
		fail "inventoryctl ledger verify --workspace $s finds no mismatch" "$out"
	fi
done

done_testing
