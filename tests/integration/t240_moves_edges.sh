#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Edges of moving and ordering stock: a move between the bins of one
# location leaves the target bin's stock alone and is not demand; a
# replenishment whose transfer is cancelled is cancelled with it; a level
# is not replenished from its own location; a receipt and a put-away into
# a line below zero where the workspace allows negative stock; empty or
# repeated lines of a completion are refused and change nothing.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

slug=$(uniq_slug edges)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }

api POST /locations '{"code": "WH", "name": "Warehouse"}'; WH=$(id_of)
api POST /locations '{"code": "ST", "name": "Store"}'; ST=$(id_of)
api POST "/locations/$WH/bins" '{"name": "W-A"}'; WA=$(id_of)
api POST "/locations/$WH/bins" '{"name": "W-B"}'; WB=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-1"}'; S1=$(id_of)
api POST /products '{"globalSku": "EDGE-1", "name": "Gloves"}'; P=$(id_of)
api POST /products '{"globalSku": "EDGE-2", "name": "Masks"}'; P2=$(id_of)
RC=$(reason_code_id CORRECTION)

# record PRODUCT LOCATION BIN QTY: received stock; prints the line's id.
record() {
	api POST /inventory/record-stock "{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"binId\": \"$3\", \"quantity\": $4, \"mode\": \"RECEIVE\"}"
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
I_WA=$(record "$P" "$WH" "$WA" 10)
I_WB=$(record "$P" "$WH" "$WB" 5)
record "$P2" "$WH" "$WA" 20 >/dev/null
I_S1=$(record "$P" "$ST" "$S1" 5)
check_true "$(printf '%s\n' "$WH" "$ST" "$WA" "$WB" "$S1" "$P" "$P2" "$I_WA" "$I_WB" "$I_S1" "$RC" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all')" "setup: two locations, bins, stock"

# ---- a move between bins never picks from the bin it goes to

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"lines\": [{\"productMasterId\": \"$P\", \"toBinId\": \"$WB\", \"quantity\": 12}]}"
check_status 409 "12 into W-B when only W-A's 10 can move is 409"
check_true '.message | test("12 requested, 10 available")' "the 5 already in W-B are not counted"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"complete\": true, \"lines\": [{\"productMasterId\": \"$P\", \"toBinId\": \"$WB\", \"quantity\": 8}]}"
check_status 201 "8 from wherever into W-B is 201"
check_json "[.lines[0].picks[] | \"\(.inventoryItemId):\(.quantity)\"] | join(\" \")" "$I_WA:8" \
	"all 8 are picked in W-A"
api GET "/inventory?locationId=$WH&productMasterId=$P&limit=10"
check_json "[.items[] | \"\(.binId):\(.quantityOnHand)\"] | sort | join(\" \")" \
	"$(printf '%s\n' "$WA:2" "$WB:13" | sort | paste -sd' ')" "W-A keeps 2, W-B holds 13"

# ---- replenishment: a level at the warehouse sees no demand from that move

api POST /inventory-levels "{\"productMasterId\": \"$P\", \"locationId\": \"$WH\", \"minQuantity\": 1, \"reorderQuantity\": 2, \"maxQuantity\": 50}"
check_status 201 "a level of the gloves at the warehouse"
api POST /inventory/replenishment/suggestions "{\"locationId\": \"$WH\"}"
check_json '[.items[] | select(.productMasterId == "'"$P"'") | .averageDailyDemand] | first' 0 \
	"a move between bins of the warehouse is no demand there"

api POST /inventory-levels "{\"productMasterId\": \"$P\", \"locationId\": \"$ST\", \"minQuantity\": 1, \"reorderQuantity\": 10, \"maxQuantity\": 20, \"replenishmentLocationId\": \"$ST\"}"
check_status 400 "a level replenished from its own location is 400"
check_json '.details[0].field' replenishmentLocationId "it names replenishmentLocationId"
api POST /inventory-levels "{\"productMasterId\": \"$P\", \"locationId\": \"$ST\", \"minQuantity\": 1, \"reorderQuantity\": 10, \"maxQuantity\": 20, \"replenishmentLocationId\": \"$WH\"}"
check_status 201 "replenished from the warehouse it is 201"

# ---- a replenishment whose transfer is cancelled is cancelled with it

api POST /inventory/replenishment "{\"locationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P\", \"quantity\": 3}]}"
check_status 201 "a replenishment of 3 gloves from the warehouse"
REP=$(jq -r '.items[0].id // "missing"' <<<"$BODY")
api POST "/inventory/replenishment/$REP" '{"action": "APPROVE"}'
check_status 200 "APPROVE opens its transfer"
TRF=$(jq -r '.transferId // "missing"' <<<"$BODY")
api POST "/inventory/transfers/$TRF" '{"action": "CANCEL"}'
check_status 200 "the transfer is cancelled directly"
api GET "/inventory/replenishment/$REP"
check_json .status CANCELLED "the replenishment is CANCELLED with it"
api POST /inventory/replenishment/suggestions "{\"locationId\": \"$ST\"}"
check_json '[.items[] | select(.productMasterId == "'"$P"'") | .onOrder] | first' 0 \
	"and no longer counted as on order"

# ---- completions refuse empty and repeated lines

api POST /inventory/replenishment "{\"locationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P2\", \"quantity\": 4}]}"
SUP=$(jq -r '.items[0].id // "missing"' <<<"$BODY")
SUPL=$(jq -r '.items[0].lines[0].id // "missing"' <<<"$BODY")
check_json '.items[0].sourceLocationId' null "masks without a level come from a supplier"
api POST "/inventory/replenishment/$SUP" '{"action": "APPROVE"}'
check_status 200 "the supplier replenishment is approved"
api POST "/inventory/replenishment/$SUP" '{"action": "COMPLETE", "lines": []}'
check_status 400 "COMPLETE with no lines is 400"
api POST "/inventory/replenishment/$SUP" "{\"action\": \"COMPLETE\", \"lines\": [{\"lineId\": \"$SUPL\", \"quantity\": 2}, {\"lineId\": \"$SUPL\", \"quantity\": 2}]}"
check_status 400 "COMPLETE naming a line twice is 400"
check_json '.details[0].field' 'lines[1].lineId' "it names the repeated entry"
api GET "/inventory?locationId=$ST&productMasterId=$P2&limit=10"
check_json '.pagination.total' 0 "no mask was received"
api GET "/inventory/replenishment/$SUP"
check_json .status APPROVED "the replenishment is still APPROVED"

# ---- below zero, where the workspace allows it

ctl workspace set "$slug" --allow-negative yes >/dev/null
api POST /inventory/adjustments/stock "{\"type\": \"DAMAGE\", \"inventoryItemId\": \"$I_S1\", \"quantityChange\": -7, \"reason\": \"edge\"}"
check_status 201 "7 damaged of the store's 5 on S-1"
check_json '.inventoryItem.qtyOnHand // .stockLine.qtyOnHand // .quantityAfter // empty' -2 "S-1 is at -2"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P\", \"toBinId\": \"$S1\", \"quantity\": 2}]}"
check_status 201 "a transfer of 2 gloves to S-1"
T=$(id_of)
L=$(jq -r '.lines[0].id // "missing"' <<<"$BODY")
api POST "/inventory/transfers/$T" '{"action": "SHIP"}'
check_status 200 "it ships"
api POST "/inventory/transfers/$T" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L\", \"quantity\": 1}]}"
check_status 200 "receiving 1 into the line at -2 is 200"
api GET "/inventory?locationId=$ST&productMasterId=$P&limit=10"
check_json "[.items[] | select(.id == \"$I_S1\") | .quantityOnHand] | first" -1 "S-1 is at -1"

api POST /inventory/record-stock "{\"productMasterId\": \"$P2\", \"locationId\": \"$ST\", \"quantity\": 6, \"mode\": \"RECEIVE\"}"
I_LOOSE=$(jq -r '.inventoryItem.id // "missing"' <<<"$BODY")
api POST /inventory/put-away "{\"lines\": [{\"inventoryItemId\": \"$I_LOOSE\", \"quantity\": 4, \"toBinId\": \"$S1\"}]}"
check_status 201 "a put-away of 4 masks to S-1"
PA=$(id_of)
api POST /inventory/put-away "{\"action\": \"COMPLETE\", \"putAwayId\": \"$PA\", \"lines\": []}"
check_status 400 "put-away COMPLETE with no lines is 400"
api GET "/inventory/put-away?locationId=$ST&status=PENDING"
check_json "[.items[].id] | index(\"$PA\") != null" true "the task is still PENDING"

# ---- a stock request whose stock is lost in transit is received short

MGR=$(new_key "$slug" '*' manager)
api POST /stock-requests "{\"requestingLocationId\": \"$ST\", \"fulfillingLocationId\": \"$WH\", \"lines\": [{\"productMasterId\": \"$P2\", \"quantity\": 3}]}"
SR=$(id_of)
SRL=$(jq -r '.lines[0].id // "missing"' <<<"$BODY")
api POST "/stock-requests/$SR/submit" '{}'
api POST "/stock-requests/$SR/approve" '{}' "$MGR"
check_status 200 "a request for 3 masks is approved by a second key"
api POST "/stock-requests/$SR/status" '{"status": "ISSUED"}'
check_status 200 "and issued"
SRT=$(jq -r '.transferId // "missing"' <<<"$BODY")
api POST "/stock-requests/$SR/status" '{"status": "RECEIVED", "lines": []}'
check_status 400 "RECEIVED with an empty lines array is 400"
api POST "/stock-requests/$SR/status" "{\"status\": \"RECEIVED\", \"closeShort\": true, \"lines\": [{\"lineId\": \"$SRL\", \"quantity\": 1}]}"
check_status 400 "closeShort without a reason code is 400"
api POST "/stock-requests/$SR/status" "{\"status\": \"RECEIVED\", \"closeShort\": true, \"reasonCodeId\": \"$RC\", \"lines\": [{\"lineId\": \"$SRL\", \"quantity\": 1}]}"
check_status 200 "1 of 3 received and the rest closed short is 200"
check_json '[.status, .quantityIssued, .quantityReceived] | map(tostring) | join("|")' "RECEIVED|3|1" \
	"the request is RECEIVED with 1 of 3"
api GET "/inventory/transfers/$SRT"
check_json '[.status, .quantityReceived, .quantityWrittenOff] | map(tostring) | join("|")' "CLOSED|1|2" \
	"its transfer is CLOSED with 2 written off"

ledger=$(ctl ledger verify --workspace "$slug" 2>&1 || true)
check_true "$(grep -q '^0 mismatches' <<<"$ledger" && echo true || echo false)" "ledger verify finds no mismatch"

done_testing
