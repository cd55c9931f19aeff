#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Transfers (issue 10): POST/GET /api/inventory/transfers, POST/GET
# /api/inventory/transfers/{id} and GET /api/inventory/transfers/bins.
# Stock moves warehouse -> store: picked first-expiry-first-out and reserved
# when created, shipped (in transit), received in part into two bins, then
# the rest; a cancel releases its reservation; a bin-to-bin move; a CLOSE
# writes off what did not arrive. Every step is checked in the stock lines,
# in availability and in the ledger's history.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
PERMS=inventory.read,inventory.write,inventory.adjust,products.read,products.write,locations.read,locations.write,reasoncodes.read,reasoncodes.write,replenishment.write,transfers.read,transfers.write

slug=$(uniq_slug trf)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" "$PERMS")
slug2=$(uniq_slug trf-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$PERMS")

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }

# ---------------------------------------------------------------- setup

api POST /locations '{"code": "WH", "name": "Central Warehouse", "type": "WAREHOUSE"}'
WH=$(id_of)
api POST /locations '{"code": "ST", "name": "High Street Store", "type": "STORE"}'
ST=$(id_of)
api POST "/locations/$WH/bins" '{"name": "W-A"}'
WA=$(id_of)
api POST "/locations/$WH/bins" '{"name": "W-B"}'
WB=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-1"}'
S1=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-2"}'
S2=$(id_of)
api POST /products '{"globalSku": "TR-SAL", "name": "Saline 500ml", "unitCost": 2, "lotControlled": true, "expiryTracked": true}'
P1=$(id_of)
api POST /products '{"globalSku": "TR-GAU", "name": "Gauze roll", "unitCost": 1}'
P2=$(id_of)
api POST /products '{"globalSku": "TR-NEW", "name": "Never stocked", "unitCost": 1}'
P3=$(id_of)

# receive PROD LOC BIN QTY [LOTNUMBER EXPIRY]: records received stock,
# prints the stock line's id.
receive() {
	local body="{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"quantity\": $4, \"mode\": \"RECEIVE\""
	[ "$3" != - ] && body+=", \"binId\": \"$3\""
	[ -n "${5:-}" ] && body+=", \"lotNumber\": \"$5\", \"expiryDate\": \"$6\""
	api POST /inventory/record-stock "$body}"
	if [[ $STATUS != 20[01] ]]; then
		diag "record-stock $body} answered $STATUS" "$BODY"
	fi
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
# FEFO: EARLY (W-B) expires first, then MID (W-A), then LATE (W-A); OLD is expired.
I_EARLY=$(receive "$P1" "$WH" "$WB" 6 L-EARLY 2098-01-31)
I_MID=$(receive "$P1" "$WH" "$WA" 8 L-MID 2098-06-30)
I_LATE=$(receive "$P1" "$WH" "$WA" 10 L-LATE 2099-12-31)
I_OLD=$(receive "$P1" "$WH" "$WA" 5 L-OLD 2020-01-31)
I_GAUZE=$(receive "$P2" "$WH" "$WA" 50)
api GET "/lots?lotNumber=L-EARLY"
LOT_EARLY=$(jq -r '.items[0].id // "missing"' <<<"$BODY")
api GET "/lots?lotNumber=L-MID"
LOT_MID=$(jq -r '.items[0].id // "missing"' <<<"$BODY")
api GET "/lots?lotNumber=L-LATE"
LOT_LATE=$(jq -r '.items[0].id // "missing"' <<<"$BODY")
api GET "/lots?lotNumber=L-OLD"
LOT_OLD=$(jq -r '.items[0].id // "missing"' <<<"$BODY")
RC=$(reason_code_id DAMAGE)

# The other workspace: a location, bin, lot and stock of its own.
api POST /locations '{"code": "WH", "name": "Their warehouse"}' "$TOKEN2"
O_WH=$(id_of)
api POST /locations '{"code": "ST", "name": "Their store"}' "$TOKEN2"
O_ST=$(id_of)
api POST "/locations/$O_WH/bins" '{"name": "W-A"}' "$TOKEN2"
O_BIN=$(id_of)
api POST /products '{"globalSku": "TR-SAL", "name": "Their saline", "lotControlled": true, "expiryTracked": true}' "$TOKEN2"
O_P1=$(id_of)
api POST /inventory/record-stock "{\"productMasterId\": \"$O_P1\", \"locationId\": \"$O_WH\", \"binId\": \"$O_BIN\", \"quantity\": 9, \"mode\": \"RECEIVE\", \"lotNumber\": \"THEIRS\", \"expiryDate\": \"2099-01-01\"}" "$TOKEN2"
O_LOT=$(jq -r '.inventoryItem.lotId // "missing"' <<<"$BODY")

check_true "$(printf '%s\n' "$WH" "$ST" "$WA" "$WB" "$S1" "$S2" "$P1" "$P2" "$P3" "$I_EARLY" "$I_MID" "$I_LATE" \
	"$I_OLD" "$I_GAUZE" "$LOT_EARLY" "$LOT_MID" "$LOT_LATE" "$LOT_OLD" "$RC" "$O_WH" "$O_ST" "$O_BIN" "$O_P1" "$O_LOT" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all')" \
	"setup: two locations with bins, products, lots and stock, and another workspace"

# q ITEM: "onHand reserved available" of a stock line, as GET /inventory answers.
q() {
	api GET "/inventory?limit=100"
	jq -r --arg id "$1" '[.items[] | select(.id == $id) | "\(.quantityOnHand) \(.quantityReserved) \(.quantityAvailable)"] | first // "none"' <<<"$BODY"
}
# item LOC PROD LOT BIN: the id of the stock line ("null" for no lot/bin), or "none".
item() {
	api GET "/inventory?locationId=$1&productMasterId=$2&limit=100"
	jq -r --arg lot "$3" --arg bin "$4" \
		'[.items[] | select((.lotId // "null") == $lot and (.binId // "null") == $bin) | .id] | first // "none"' <<<"$BODY"
}
# in_bin LOC PROD BIN: the product's on hand in the bin ("null": without bin).
in_bin() {
	api GET "/inventory?locationId=$1&productMasterId=$2&limit=100"
	jq -r --arg bin "$3" '[.items[] | select((.binId // "null") == $bin) | .quantityOnHand] | add // 0' <<<"$BODY"
}
# summary LOC PROD: "onHand reserved available inTransit" of the availability summary.
summary() {
	api GET "/inventory/availability?summary=true&locationId=$1&productMasterId=$2"
	jq -r '.data | "\(.totalOnHand) \(.totalReserved) \(.totalAvailable) \(.inTransit)"' <<<"$BODY"
}
# in_transit LOC [PROD]: data.inTransit of the availability summary.
in_transit() {
	local path="/inventory/availability?summary=true&locationId=$1"
	[ -n "${2:-}" ] && path+="&productMasterId=$2"
	api GET "$path"
	jq -r '.data.inTransit' <<<"$BODY"
}
# transfers_total: pagination.total of the list.
transfers_total() {
	api GET /inventory/transfers
	jq -r '.pagination.total' <<<"$BODY"
}
# line_of PROD: the id of the transfer's (BODY's) line of PROD.
line_of() { jq -r --arg p "$1" '[.lines[]? | select(.productMasterId == $p) | .id] | first // "missing"' <<<"$BODY"; }
# state: the stock of every warehouse line, to show a refused request changed nothing.
state() { printf '%s|' "$(q "$I_EARLY")" "$(q "$I_MID")" "$(q "$I_LATE")" "$(q "$I_OLD")" "$(q "$I_GAUZE")"; }

check_eq "$(summary "$WH" "$P1")" "24 0 24 0" "before any transfer: 24 of the saline usable at the warehouse (expired lot left out), nothing in transit"

# ---------------------------------------------------------------- create

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"reference\": \"REF-ALPHA\",
	\"notes\": \"Weekly top-up\", \"neededBy\": \"2030-05-01\", \"lines\": [
	{\"productMasterId\": \"$P1\", \"quantity\": 10},
	{\"productMasterId\": \"$P2\", \"fromBinId\": \"$WA\", \"toBinId\": \"$S1\", \"quantity\": 5}]}"
check_status 201 "creating a transfer warehouse -> store is 201"
T1=$(id_of)
T1_BODY=$BODY
check_true '.id | test("^trf_[0-9]+$")' "the transfer id is trf_N"
check_json '[.number, .status, .fromLocationId, .toLocationId, .reference, .notes, .neededBy] | map(tostring) | join("|")' \
	"TRF-000001|PENDING|$WH|$ST|REF-ALPHA|Weekly top-up|2030-05-01" "the first transfer is TRF-000001, PENDING, with what was sent"
check_json '[.lineCount, .quantity, .quantityShipped, .quantityReceived, .quantityInTransit, .shippedAt, .completedAt, .reasonCodeId] | map(tostring) | join("|")' \
	"2|15|0|0|0|null|null|null" "two lines, 15 units, nothing shipped yet"
check_true "(.createdAt | test(\"$ISO_RE\")) and (.updatedAt | test(\"$ISO_RE\"))" "createdAt and updatedAt are ISO 8601"
check_true '.createdBy | type == "string" and length > 0' "createdBy names the caller"
check_true '.lines | length == 2 and all(.id | test("^trfl_[0-9]+$"))' "the lines have ids trfl_N"
L1=$(line_of "$P1")
L2=$(line_of "$P2")
check_json ".lines[] | select(.id == \"$L1\") | [.lotId, .fromBinId, .toBinId, .quantity, .quantityShipped, .quantityReceived, .quantityWrittenOff] | map(tostring) | join(\"|\")" \
	"null|null|null|10|0|0|0" "the saline line: no lot or bin asked, 10 units"
check_json ".lines[] | select(.id == \"$L1\") | .picks | map(\"\(.inventoryItemId):\(.lotId):\(.binId):\(.quantity):\(.quantityReceived)\") | join(\" \")" \
	"$I_EARLY:$LOT_EARLY:$WB:6:0 $I_MID:$LOT_MID:$WA:4:0" \
	"the picks are first expiry first out: all 6 of L-EARLY, then 4 of L-MID (never the expired L-OLD)"
check_json ".lines[] | select(.id == \"$L2\") | [.fromBinId, .toBinId, (.picks | map(\"\(.inventoryItemId):\(.binId):\(.quantity)\") | join(\" \"))] | map(tostring) | join(\"|\")" \
	"$WA|$S1|$I_GAUZE:$WA:5" "the gauze line picks 5 from its bin W-A"
check_eq "$(q "$I_EARLY") / $(q "$I_MID") / $(q "$I_LATE") / $(q "$I_GAUZE")" "6 6 0 / 8 4 4 / 10 0 10 / 50 5 45" \
	"quantityReserved of the picked lines rises by the pick, on hand stays"
check_eq "$(summary "$WH" "$P1")" "24 10 14 0" "the warehouse's available saline drops from 24 to 14"

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"reference\": \"REF-BETA\", \"lines\": [
	{\"productMasterId\": \"$P1\", \"lotId\": \"$LOT_LATE\", \"toBinId\": \"$S2\", \"quantity\": 3}]}"
check_status 201 "a second transfer is 201"
T2=$(id_of)
check_json '[.number, .status, .lineCount, .quantity] | map(tostring) | join("|")' "TRF-000002|PENDING|1|3" "it is TRF-000002"
check_json '.lines[0] | [.lotId, .toBinId, (.picks | map("\(.inventoryItemId):\(.quantity)") | join(" "))] | join("|")' \
	"$LOT_LATE|$S2|$I_LATE:3" "a line with a lot picks that lot only"
check_eq "$(q "$I_LATE")" "10 3 7" "the L-LATE line has 3 reserved"
check_eq "$(summary "$WH" "$P1")" "24 13 11 0" "11 saline left available at the warehouse"

api POST /inventory/transfers "{\"fromLocationId\": \"$O_WH\", \"toLocationId\": \"$O_ST\", \"lines\": [{\"productMasterId\": \"$O_P1\", \"quantity\": 2}]}" "$TOKEN2"
check_status 201 "the other workspace creates a transfer too"
O_T1=$(id_of)
check_json .number TRF-000001 "numbers are per workspace: theirs is TRF-000001"

# ---------------------------------------------------------------- refused creates

before_state=$(state)
before_total=$(transfers_total)
# create BODY: POST /inventory/transfers.
create() { api POST /inventory/transfers "$1"; }
line() { printf '{"productMasterId": "%s", "quantity": %s%s}' "$1" "$2" "${3:-}"; }
# field_is FIELD DESC: the error names FIELD.
field_is() { check_true "[.details[]?.field] | index(\"$1\") != null" "$2"; }

create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\"}"
check_status 400 "a transfer without lines is 400"
field_is lines "the error names lines"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": []}"
check_status 400 "a transfer with an empty lines array is 400"
create "{\"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "a transfer without fromLocationId is 400"
create "{\"fromLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "a transfer without toLocationId is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 0)]}"
check_status 400 "a line of quantity 0 is 400"
field_is "lines[0].quantity" "the error names lines[0].quantity"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" -2)]}"
check_status 400 "a negative quantity is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1.5)]}"
check_status 400 "a quantity that is not an integer is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"quantity\": 1}]}"
check_status 400 "a line without productMasterId is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1), $(line "$P2" 1 ", \"fromBinId\": \"$S1\"")]}"
check_status 400 "a fromBinId of another location than the source is 400"
field_is "lines[1].fromBinId" "the error names lines[1].fromBinId"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1 ", \"toBinId\": \"$WB\"")]}"
check_status 400 "a toBinId of another location than the destination is 400"
field_is "lines[0].toBinId" "the error names lines[0].toBinId"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1 ", \"lotId\": \"$LOT_LATE\"")]}"
check_status 400 "a lot of another product than the line's is 400"
create "{\"fromLocationId\": \"loc_999999999\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "an unknown source location is 404"
missing_loc=$BODY
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"loc_999999999\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "an unknown destination location is 404"
create "{\"fromLocationId\": \"$O_WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "another workspace's source location is 404"
check_eq "$BODY" "$missing_loc" "it answers exactly as for an unknown location"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$O_ST\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "another workspace's destination location is 404"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line prod_999999999 1)]}"
check_status 404 "an unknown product is 404"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$O_P1" 1)]}"
check_status 404 "another workspace's product is 404"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 1 ", \"lotId\": \"$O_LOT\"")]}"
check_status 404 "another workspace's lot is 404"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1 ", \"fromBinId\": \"$O_BIN\"")]}"
check_status 404 "another workspace's bin is 404"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"complete\": true, \"lines\": [$(line "$P2" 1 ", \"toBinId\": \"$S1\"")]}"
check_status 400 "complete: true between two locations is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1 ", \"fromBinId\": \"$WA\"")]}"
check_status 400 "a move within one location without toBinId is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1 ", \"fromBinId\": \"$WA\", \"toBinId\": \"$WA\"")]}"
check_status 400 "a move within one location into the bin it comes from is 400"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 12)]}"
check_status 409 "12 saline when 11 are available is 409"
check_json .error "Insufficient stock" "it says Insufficient stock"
check_true ".message | test(\"not enough available stock for $P1 at $WH: 12 requested, 11 available\")" \
	"the message says what is short: 12 requested, 11 available"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 2), $(line "$P1" 4 ", \"lotId\": \"$LOT_EARLY\"")]}"
check_status 409 "a transfer whose second line is short (L-EARLY is all reserved) is 409"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P3" 1)]}"
check_status 409 "a product without stock at the source is 409"
create "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 6 ", \"fromBinId\": \"$WB\"")]}"
check_status 409 "a bin whose stock is all reserved is 409"
check_eq "$(state)" "$before_state" "the refused creates changed no stock line"
check_eq "$(transfers_total)" "$before_total" "the refused creates made no transfer"
check_eq "$(summary "$WH" "$P1")" "24 13 11 0" "availability is as it was"

# ---------------------------------------------------------------- get

api GET "/inventory/transfers/$T1"
check_status 200 "GET /inventory/transfers/{id} is 200"
check_eq "$(jq -S 'del(.updatedAt)' <<<"$BODY")" "$(jq -S 'del(.updatedAt)' <<<"$T1_BODY")" \
	"it answers the transfer as the create did"
api GET /inventory/transfers/trf_999999999
check_status 404 "an unknown transfer is 404"
missing_trf=$BODY
api GET "/inventory/transfers/$O_T1"
check_status 404 "another workspace's transfer is 404"
check_eq "$BODY" "$missing_trf" "it answers exactly as for an unknown transfer"
api POST /inventory/transfers/trf_999999999 '{"action": "SHIP"}'
check_status 404 "an action on an unknown transfer is 404"
api POST "/inventory/transfers/$O_T1" '{"action": "CANCEL"}'
check_status 404 "an action on another workspace's transfer is 404"
api GET "/inventory/transfers/$O_T1" "" "$TOKEN2"
check_json .status PENDING "their transfer is still PENDING"

# ---------------------------------------------------------------- wrong transitions on PENDING

api POST "/inventory/transfers/$T1" '{"action": "RECEIVE"}'
check_status 409 "RECEIVE on a PENDING transfer is 409"
check_true '.message | test("PENDING")' "the message names the current status PENDING"
api POST "/inventory/transfers/$T1" '{"action": "COMPLETE"}'
check_status 409 "COMPLETE of a transfer between two locations is 409"
api POST "/inventory/transfers/$T1" "{\"action\": \"CLOSE\", \"reasonCodeId\": \"$RC\"}"
check_status 409 "CLOSE on a PENDING transfer is 409"
api POST "/inventory/transfers/$T1" '{"action": "FLY"}'
check_status 400 "an unknown action is 400"
api POST "/inventory/transfers/$T1" '{}'
check_status 400 "no action is 400"
check_eq "$(state)" "$before_state" "the refused actions changed nothing"

# ---------------------------------------------------------------- ship

api POST "/inventory/transfers/$T1" '{"action": "SHIP"}'
check_status 200 "SHIP is 200"
check_json '[.id, .status, .quantity, .quantityShipped, .quantityReceived, .quantityInTransit, .completedAt] | map(tostring) | join("|")' \
	"$T1|SHIPPED|15|15|0|15|null" "the transfer is SHIPPED: 15 shipped, 15 in transit"
check_true ".shippedAt | test(\"$ISO_RE\")" "shippedAt is set"
check_json '.lines | map("\(.productMasterId):\(.quantityShipped)") | sort | join(" ")' \
	"$(printf '%s\n' "$P1:10" "$P2:5" | sort | paste -sd' ')" "each line has shipped its quantity"
check_eq "$(q "$I_EARLY") / $(q "$I_MID") / $(q "$I_GAUZE")" "0 0 0 / 4 0 4 / 45 0 45" \
	"the picked stock left the warehouse: on hand and reserved drop by the pick"
check_eq "$(summary "$WH" "$P1")" "14 3 11 0" "the warehouse has 14 saline, 3 reserved (TRF-000002), 11 available"
check_eq "$(in_transit "$ST" "$P1")" 10 "availability at the store: 10 saline in transit"
check_eq "$(in_transit "$ST" "$P2")" 5 "availability at the store: 5 gauze in transit"
check_eq "$(in_transit "$ST")" 15 "availability at the store, every product: 15 in transit"
check_eq "$(in_transit "$WH" "$P1")" 0 "nothing is in transit to the warehouse"
check_eq "$(in_bin "$ST" "$P1" "$S1")" 0 "nothing has arrived at the store yet"
api GET "/inventory/transfers?inTransit=true"
check_json '[.items[].id] | join(" ")' "$T1" "the list with inTransit=true has the shipped transfer only"
check_json '.items[0] | [.status, .quantityInTransit, has("lines")] | map(tostring) | join("|")' "SHIPPED|15|false" \
	"a list entry has the totals but no lines"
api POST "/inventory/transfers/$T1" '{"action": "SHIP"}'
check_status 409 "SHIP again is 409"
api POST "/inventory/transfers/$T1" '{"action": "CANCEL"}'
check_status 409 "CANCEL of a SHIPPED transfer is 409"
check_true ".message | test(\"$T1\") and test(\"SHIPPED\")" "the message names the transfer and its current status SHIPPED"
check_eq "$(q "$I_MID")" "4 0 4" "the refused actions changed nothing"

# ---------------------------------------------------------------- receive

api POST "/inventory/transfers/$T1" "{\"action\": \"RECEIVE\", \"lines\": [
	{\"lineId\": \"$L1\", \"quantity\": 4, \"toBinId\": \"$S1\"},
	{\"lineId\": \"$L1\", \"quantity\": 3, \"toBinId\": \"$S2\"}]}"
check_status 200 "RECEIVE of 7 saline into two bins (the same line twice) is 200"
check_json '[.status, .quantityShipped, .quantityReceived, .quantityInTransit, .completedAt] | map(tostring) | join("|")' \
	"PARTIALLY_RECEIVED|15|7|8|null" "the transfer is PARTIALLY_RECEIVED: 7 received, 8 in transit"
check_json ".lines[] | select(.id == \"$L1\") | [.quantityShipped, .quantityReceived] | map(tostring) | join(\"|\")" "10|7" \
	"the saline line has 7 of 10 received"
check_json ".lines[] | select(.id == \"$L1\") | .picks | map(.quantityReceived) | add" 7 \
	"its picks have 7 received between them"
check_eq "$(in_bin "$ST" "$P1" "$S1") $(in_bin "$ST" "$P1" "$S2")" "4 3" "the store has 4 saline in S-1 and 3 in S-2"
check_eq "$(item "$ST" "$P1" "$LOT_EARLY" "$S1" | sed 's/^item_[0-9]*$/line/')" line \
	"S-1's saline is of the first pick's lot L-EARLY (picks are received in order)"
ST_EARLY_S1=$(item "$ST" "$P1" "$LOT_EARLY" "$S1")
check_eq "$(q "$ST_EARLY_S1")" "4 0 4" "that line has 4 on hand, all available"
check_eq "$(in_transit "$ST" "$P1")" 3 "3 saline are still in transit"
check_eq "$(summary "$ST" "$P1" | cut -d' ' -f1,3)" "7 7" "the store's availability counts the 7 received"
api GET "/inventory/transfers?inTransit=true"
check_json '[.items[].id] | join(" ")' "$T1" "a partly received transfer is still in transit"

received_state="$(in_bin "$ST" "$P1" "$S1") $(in_bin "$ST" "$P1" "$S2")"
api POST "/inventory/transfers/$T1" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L1\", \"quantity\": 4, \"toBinId\": \"$S2\"}]}"
check_status 400 "receiving 4 of the 3 in transit on the line is 400"
field_is "lines[0].quantity" "the error names lines[0].quantity"
api POST "/inventory/transfers/$T1" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L1\", \"quantity\": 2, \"toBinId\": \"$S2\"}, {\"lineId\": \"$L1\", \"quantity\": 2, \"toBinId\": \"$S1\"}]}"
check_status 400 "receiving 2 + 2 of the 3 in transit on the line is 400"
api POST "/inventory/transfers/$T1" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L1\", \"quantity\": 0, \"toBinId\": \"$S2\"}]}"
check_status 400 "receiving 0 is 400"
api POST "/inventory/transfers/$T1" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L1\", \"quantity\": 1, \"toBinId\": \"$WA\"}]}"
check_status 400 "receiving into a bin of the source location is 400"
api GET "/inventory/transfers/$T1"
check_json '[.status, .quantityReceived, .quantityInTransit] | map(tostring) | join("|")' "PARTIALLY_RECEIVED|7|8" \
	"the refused receipts changed the transfer in nothing"
check_eq "$(in_bin "$ST" "$P1" "$S1") $(in_bin "$ST" "$P1" "$S2")" "$received_state" "nor the store's stock"

api POST "/inventory/transfers/$T1" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L1\", \"quantity\": 3, \"toBinId\": \"$S2\"}]}"
check_status 200 "RECEIVE of the saline's last 3 is 200"
check_json '[.status, .quantityReceived, .quantityInTransit] | map(tostring) | join("|")' "PARTIALLY_RECEIVED|10|5" \
	"still PARTIALLY_RECEIVED: the gauze is in transit"
api POST "/inventory/transfers/$T1" '{"action": "RECEIVE"}'
check_status 200 "RECEIVE without lines receives the rest"
check_json '[.status, .quantityShipped, .quantityReceived, .quantityInTransit] | map(tostring) | join("|")' "RECEIVED|15|15|0" \
	"the transfer is RECEIVED: nothing left in transit"
check_true ".completedAt | test(\"$ISO_RE\")" "completedAt is set"
check_json '.lines | map("\(.productMasterId):\(.quantityReceived)") | sort | join(" ")' \
	"$(printf '%s\n' "$P1:10" "$P2:5" | sort | paste -sd' ')" "every line is received in full"
check_eq "$(in_bin "$ST" "$P1" "$S1") $(in_bin "$ST" "$P1" "$S2") $(in_bin "$ST" "$P2" "$S1")" "4 6 5" \
	"the store has saline 4 in S-1 and 6 in S-2, and the gauze in its line's toBinId S-1"
check_eq "$(in_transit "$ST")" 0 "nothing is in transit to the store any more"
api GET "/inventory/transfers?inTransit=true"
check_json '.pagination.total' 0 "no transfer is in transit"
api GET "/inventory?locationId=$ST&limit=100"
check_json '[.items[] | .quantityOnHand] | add' 15 "the inventory list shows the 15 units at the store"
api POST "/inventory/transfers/$T1" '{"action": "RECEIVE"}'
check_status 409 "RECEIVE of a RECEIVED transfer is 409"
check_true '.message | test("RECEIVED")' "the message names the status RECEIVED"
api POST "/inventory/transfers/$T1" '{"action": "CANCEL"}'
check_status 409 "CANCEL of a RECEIVED transfer is 409"

# ---------------------------------------------------------------- cancel

check_eq "$(q "$I_LATE")" "10 3 7" "before the cancel: 3 of L-LATE reserved for TRF-000002"
api POST "/inventory/transfers/$T2" '{"action": "CANCEL"}'
check_status 200 "CANCEL of a PENDING transfer is 200"
check_json '[.id, .status, .quantityShipped, .quantityInTransit] | map(tostring) | join("|")' "$T2|CANCELLED|0|0" \
	"the transfer is CANCELLED"
check_true ".completedAt | test(\"$ISO_RE\")" "completedAt is set on a cancel"
check_eq "$(q "$I_LATE")" "10 0 10" "the reservation is released: quantityReserved back to 0"
check_eq "$(summary "$WH" "$P1")" "14 0 14 0" "all 14 saline at the warehouse are available again"
api POST "/inventory/transfers/$T2" '{"action": "CANCEL"}'
check_status 409 "CANCEL again is 409"
check_true '.message | test("CANCELLED")' "the message names the status CANCELLED"
api POST "/inventory/transfers/$T2" '{"action": "SHIP"}'
check_status 409 "SHIP of a CANCELLED transfer is 409"
check_eq "$(q "$I_LATE")" "10 0 10" "the refused actions changed nothing"

# ---------------------------------------------------------------- bin to bin

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"lines\": [
	$(line "$P2" 7 ", \"fromBinId\": \"$WA\", \"toBinId\": \"$WB\"")]}"
check_status 201 "a move from bin W-A to bin W-B is 201"
T_MOVE=$(id_of)
check_json '[.status, .fromLocationId, .toLocationId] | join("|")' "PENDING|$WH|$WH" "it is PENDING within the warehouse"
check_eq "$(q "$I_GAUZE")" "45 7 38" "the 7 are reserved in W-A"
api POST "/inventory/transfers/$T_MOVE" '{"action": "SHIP"}'
check_status 409 "SHIP of a move within one location is 409"
api POST "/inventory/transfers/$T_MOVE" '{"action": "COMPLETE"}'
check_status 200 "COMPLETE of the move is 200"
check_json '[.status, .quantityInTransit] | map(tostring) | join("|")' "COMPLETED|0" "the move is COMPLETED, nothing in transit"
check_true ".completedAt | test(\"$ISO_RE\")" "completedAt is set"
check_eq "$(q "$I_GAUZE")" "38 0 38" "W-A has 38 gauze, none reserved"
I_GAUZE_WB=$(item "$WH" "$P2" null "$WB")
check_eq "$(q "$I_GAUZE_WB")" "7 0 7" "W-B has the 7 gauze"
check_eq "$(in_transit "$WH")" 0 "a move within one location is never in transit"
api POST "/inventory/transfers/$T_MOVE" '{"action": "COMPLETE"}'
check_status 409 "COMPLETE again is 409"
check_true '.message | test("COMPLETED")' "the message names the status COMPLETED"

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"complete\": true, \"lines\": [
	$(line "$P1" 2 ", \"lotId\": \"$LOT_LATE\", \"fromBinId\": \"$WA\", \"toBinId\": \"$WB\"")]}"
check_status 201 "a move created with complete: true is 201"
T_MOVE2=$(id_of)
check_json '[.status, .quantity] | map(tostring) | join("|")' "COMPLETED|2" "it is COMPLETED at once"
check_eq "$(q "$I_LATE")" "8 0 8" "W-A has 8 of L-LATE left"
I_LATE_WB=$(item "$WH" "$P1" "$LOT_LATE" "$WB")
check_eq "$(q "$I_LATE_WB")" "2 0 2" "W-B has 2 of L-LATE, the same lot"
check_eq "$(summary "$WH" "$P1")" "14 0 14 0" "the warehouse's saline totals are unchanged by the moves"

# ---------------------------------------------------------------- close

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"reference\": \"REF-GAMMA\", \"lines\": [
	$(line "$P2" 4 ", \"fromBinId\": \"$WA\"")]}"
check_status 201 "a third transfer to the store is 201"
T3=$(id_of)
L3=$(line_of "$P2")
api POST "/inventory/transfers/$T3" '{"action": "SHIP"}'
check_status 200 "it is shipped"
api POST "/inventory/transfers/$T3" "{\"action\": \"RECEIVE\", \"lines\": [{\"lineId\": \"$L3\", \"quantity\": 1, \"toBinId\": \"$S2\"}]}"
check_status 200 "1 of 4 is received"
check_eq "$(in_transit "$ST" "$P2")" 3 "3 gauze are in transit"
api POST "/inventory/transfers/$T3" '{"action": "CLOSE"}'
check_status 400 "CLOSE without reasonCodeId is 400"
api POST "/inventory/transfers/$T3" '{"action": "CLOSE", "reasonCodeId": "rc_999999999"}'
check_status 404 "CLOSE with an unknown reason code is 404"
check_eq "$(in_transit "$ST" "$P2")" 3 "the refused closes changed nothing"
api POST "/inventory/transfers/$T3" "{\"action\": \"CLOSE\", \"reasonCodeId\": \"$RC\"}"
check_status 200 "CLOSE with a reason code is 200"
check_json '[.status, .reasonCodeId, .quantityShipped, .quantityReceived, .quantityInTransit] | map(tostring) | join("|")' \
	"CLOSED|$RC|4|1|0" "the transfer is CLOSED with its reason: 1 received, nothing in transit"
check_json '.lines[0] | [.quantityReceived, .quantityWrittenOff] | map(tostring) | join("|")' "1|3" "the line has 3 written off"
check_true ".completedAt | test(\"$ISO_RE\")" "completedAt is set on a close"
check_eq "$(in_transit "$ST" "$P2")" 0 "the written-off gauze is no longer in transit"
check_eq "$(q "$I_GAUZE")" "34 0 34" "the source kept none of it back (it left when shipped)"
check_eq "$(in_bin "$ST" "$P2" "$S2")" 1 "the store has the 1 received"
api POST "/inventory/transfers/$T3" '{"action": "RECEIVE"}'
check_status 409 "RECEIVE of a CLOSED transfer is 409"
check_true '.message | test("CLOSED")' "the message names the status CLOSED"

# ---------------------------------------------------------------- history

# refd TRF: jq of the history entries that refer to the transfer.
api GET "/inventory/adjustments?productMasterId=$P1&limit=200"
check_status 200 "the history of the saline is 200"
refd() { printf '.entries | map(select(.referenceId == "%s" or .referenceId == "TRANSFER %s"))' "$1" "$1"; }
check_json "$(refd "$T1") | map(.transactionType) | unique | join(\",\")" "RESERVE,TRANSFER_IN,TRANSFER_OUT" \
	"the history of TRF-000001's saline has RESERVE, TRANSFER_OUT and TRANSFER_IN"
check_json "$(refd "$T1") | map(select(.transactionType == \"TRANSFER_OUT\") | .deltaQty) | add" -10 \
	"its TRANSFER_OUT entries take 10 off on hand"
check_json "$(refd "$T1") | map(select(.transactionType == \"TRANSFER_IN\") | .deltaQty) | add" 10 \
	"its TRANSFER_IN entries add 10"
check_json "$(refd "$T1") | map(select(.transactionType == \"RESERVE\") | [.deltaQty, .deltas.reserved]) | transpose | map(add) | map(tostring) | join(\"|\")" \
	"0|10" "its RESERVE entries reserve 10 and leave on hand"
check_json "$(refd "$T1") | map(select(.transactionType == \"TRANSFER_IN\") | .locationId) | unique | join(\",\")" "$ST" \
	"TRANSFER_IN is at the store"
check_json "$(refd "$T1") | map(select(.transactionType == \"TRANSFER_OUT\") | .locationId) | unique | join(\",\")" "$WH" \
	"TRANSFER_OUT is at the warehouse"
check_json "$(refd "$T2") | map(.transactionType) | unique | join(\",\")" "RELEASE,RESERVE" \
	"the cancelled TRF-000002 has RESERVE and RELEASE"
check_json "$(refd "$T2") | map(.deltas.reserved) | add" 0 "its reservation and release cancel out"
api GET "/inventory/adjustments?productMasterId=$P2&limit=200"
check_json "$(refd "$T3") | map(select(.transactionType == \"TRANSFER_LOSS\")) | [length > 0, (map(.deltaQty) | add), (map(.reasonCodeId) | unique | join(\",\")), (map(.comment // \"\" | test(\"3\")) | all)] | map(tostring) | join(\"|\")" \
	"true|0|$RC|true" "the CLOSE posted TRANSFER_LOSS with the reason code, the quantity in its comment, no change of on hand"
check_json "$(refd "$T_MOVE") | map(.transactionType) | unique | join(\",\")" "RESERVE,TRANSFER_IN,TRANSFER_OUT" \
	"the bin-to-bin move posted RESERVE, TRANSFER_OUT and TRANSFER_IN"

# ---------------------------------------------------------------- list

api GET /inventory/transfers
check_status 200 "GET /inventory/transfers is 200"
check_true 'has("items") and has("pagination")' 'the list answers {"items": [...], "pagination": {...}}'
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages] | map(tostring) | join("|")' \
	"1|20|5|1" "five transfers, one page of 20"
check_json '[.items[].id] | join(" ")' "$T3 $T_MOVE2 $T_MOVE $T2 $T1" "newest first"
check_true '.items | all(has("lines") | not)' "the list has no lines"
check_true '.items | all(.lineCount >= 1)' "each entry has its lineCount"
# list_ids QUERY: the ids the list answers, sorted (or "status N" when not 200).
list_ids() {
	api GET "/inventory/transfers?$1"
	if [ "$STATUS" != 200 ]; then
		echo "status $STATUS"
		return
	fi
	jq -r '[.items[].id] | sort | join(" ")' <<<"$BODY"
}
sorted() { printf '%s\n' "$@" | sort | paste -sd' '; }
check_eq "$(list_ids status=RECEIVED)" "$T1" "status=RECEIVED"
check_eq "$(list_ids status=CANCELLED)" "$T2" "status=CANCELLED"
check_eq "$(list_ids status=COMPLETED)" "$(sorted "$T_MOVE" "$T_MOVE2")" "status=COMPLETED: the two moves"
check_eq "$(list_ids status=CLOSED)" "$T3" "status=CLOSED"
check_eq "$(list_ids status=PENDING)" "" "status=PENDING: none"
api GET "/inventory/transfers?status=LOST"
check_status 400 "an unknown status is 400"
check_eq "$(list_ids "toLocationId=$ST")" "$(sorted "$T1" "$T2" "$T3")" "toLocationId=store"
check_eq "$(list_ids "fromLocationId=$ST")" "" "fromLocationId=store: none"
check_eq "$(list_ids "fromLocationId=$WH&toLocationId=$WH")" "$(sorted "$T_MOVE" "$T_MOVE2")" "within the warehouse"
check_eq "$(list_ids "productMasterId=$P2")" "$(sorted "$T1" "$T_MOVE" "$T3")" "productMasterId=gauze: the transfers with a gauze line"
check_eq "$(list_ids "productMasterId=$P3")" "" "productMasterId of a product never moved: none"
check_eq "$(list_ids "inTransit=true")" "" "inTransit=true: none now"
today=$(date -u +%F)
yesterday=$(date -u -d yesterday +%F)
check_eq "$(list_ids "fromDate=$today&toDate=$today")" "$(sorted "$T1" "$T2" "$T_MOVE" "$T_MOVE2" "$T3")" "fromDate and toDate today: all"
check_eq "$(list_ids "toDate=$yesterday")" "" "toDate yesterday: none"
api GET "/inventory/transfers?fromLocationId=$O_WH"
check_true "($STATUS == 404) or ($STATUS == 200 and .pagination.total == 0)" \
	"filtering by another workspace's location finds nothing (or is 404)"
api GET "/inventory/transfers?limit=2"
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages, (.items | length)] | map(tostring) | join("|")' \
	"1|2|5|3|2" "limit=2: page 1 of 3, two entries"
page1=$(jq -r '[.items[]?.id] | join(" ")' <<<"$BODY")
api GET "/inventory/transfers?limit=2&page=2"
page2=$(jq -r '[.items[]?.id] | join(" ")' <<<"$BODY")
api GET "/inventory/transfers?limit=2&page=3"
page3=$(jq -r '[.items[]?.id] | join(" ")' <<<"$BODY")
check_eq "$page1 $page2 $page3" "$T3 $T_MOVE2 $T_MOVE $T2 $T1" "pages 1 to 3 hold every transfer once, newest first"
api GET "/inventory/transfers?limit=101"
check_true "($STATUS == 400) or ($STATUS == 200 and .pagination.pageSize <= 100)" "limit=101 is refused or capped at 100"
api GET "/inventory/transfers" "" "$TOKEN2"
check_json '[.items[].id] | join(" ")' "$O_T1" "the other workspace sees its own transfer only"

# ---------------------------------------------------------------- bins

api GET "/inventory/transfers/bins?locationId=$WH&productMasterId=$P1"
check_status 200 "GET /inventory/transfers/bins is 200"
check_json '[.locationId, .productMasterId] | join("|")' "$WH|$P1" "it echoes the location and product"
check_json "[.bins[] | select(.binId == \"$WA\" or .binId == \"$WB\") | .name] | join(\",\")" "W-A,W-B" "the warehouse's bins, ordered by name"
check_json ".bins[] | select(.binId == \"$WA\") | [.onHand, .available, .isReceiving] | map(tostring) | join(\"|\")" "17|12|false" \
	"W-A: 17 saline on hand (L-MID 4, L-LATE 8, expired L-OLD 5), 12 available"
check_json ".bins[] | select(.binId == \"$WA\") | .stock | map(\"\(.inventoryItemId):\(.lotNumber):\(.expiryDate):\(.onHand):\(.available)\") | sort | join(\" \")" \
	"$(sorted "$I_MID:L-MID:2098-06-30:4:4" "$I_LATE:L-LATE:2099-12-31:8:8" "$I_OLD:L-OLD:2020-01-31:5:0")" \
	"W-A's stock lines with lot, expiry, on hand and available (the expired lot has none available)"
check_json ".bins[] | select(.binId == \"$WB\") | .stock | map(select(.onHand > 0) | \"\(.inventoryItemId):\(.lotId):\(.onHand):\(.available)\") | join(\" \")" \
	"$I_LATE_WB:$LOT_LATE:2:2" "W-B holds 2 of L-LATE (the emptied L-EARLY line aside)"
check_json '[.suggestedBinId, .suggestionSource] | join("|")' "$WA|HOLDING_BIN" \
	"without a preferred bin the suggestion is the bin holding the most (W-A)"
api GET "/inventory/transfers/bins?locationId=$ST&productMasterId=$P1"
check_json '[.suggestedBinId, .suggestionSource] | join("|")' "$S2|HOLDING_BIN" "at the store S-2 holds the most saline (6)"
check_json ".bins[] | select(.binId == \"$S1\") | [.onHand, .available] | map(tostring) | join(\"|\")" "4|4" "S-1 has 4 saline"
api POST /inventory-levels "{\"productMasterId\": \"$P1\", \"locationId\": \"$ST\", \"preferredBinLocationId\": \"$S1\"}"
check_status "200|201" "a level with preferred bin S-1 is set for the saline at the store"
api GET "/inventory/transfers/bins?locationId=$ST&productMasterId=$P1"
check_json '[.suggestedBinId, .suggestionSource] | join("|")' "$S1|PREFERRED_BIN" "the level's preferred bin comes first"
api GET "/inventory/transfers/bins?locationId=$ST&productMasterId=$P3"
check_status 200 "the bins for a product without stock are 200"
check_json '[.suggestedBinId, .suggestionSource] | map(tostring) | join("|")' "null|null" "no preferred bin, no stock: no suggestion"
check_json "[.bins[] | select(.binId == \"$S1\" or .binId == \"$S2\") | \"\(.name):\(.onHand):\(.stock | length)\"] | join(\" \")" "S-1:0:0 S-2:0:0" \
	"every bin is listed, empty ones with stock []"
api GET "/inventory/transfers/bins?locationId=$ST"
check_status 400 "bins without productMasterId is 400"
api GET "/inventory/transfers/bins?productMasterId=$P1"
check_status 400 "bins without locationId is 400"
api GET "/inventory/transfers/bins?locationId=$O_WH&productMasterId=$P1"
check_status 404 "bins of another workspace's location is 404"

# ---------------------------------------------------------------- idempotency

idem() {
	api_raw POST /inventory/transfers -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $1" --data-binary "$2"
}
idem_body="{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"reference\": \"IDEM\", \"lines\": [$(line "$P2" 2 ", \"fromBinId\": \"$WA\"")]}"
idem_before=$(transfers_total)
idem trf-key-1 "$idem_body"
check_status 201 "a create with an Idempotency-Key is 201"
first=$BODY
idem trf-key-1 "$idem_body"
check_status 201 "the retry answers the stored status"
check_eq "$BODY" "$first" "the retry answers the stored body"
check_header idempotent-replayed '^true' "the retry is marked Idempotent-Replayed"
check_eq "$(transfers_total)" $((idem_before + 1)) "one transfer was created"
check_eq "$(q "$I_GAUZE")" "34 2 32" "and 2 reserved once"
idem trf-key-1 "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 3)]}"
check_status 422 "the same key with another body is 422"
T_IDEM=$(jq -r .id <<<"$first")
api POST "/inventory/transfers/$T_IDEM" '{"action": "CANCEL"}'
check_status 200 "the idempotent transfer is cancelled"
check_eq "$(q "$I_GAUZE")" "34 0 34" "its reservation is released"

# ---------------------------------------------------------------- permissions

K_NONE=$(new_key "$slug" inventory.read,inventory.write)
K_READ=$(new_key "$slug" transfers.read)
K_WRITE=$(new_key "$slug" transfers.write)
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1)]}" "$K_NONE"
check_status 403 "a key without transfers.write cannot POST /inventory/transfers"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P2" 1)]}" "$K_READ"
check_status 403 "transfers.read alone cannot POST /inventory/transfers"
api POST "/inventory/transfers/$T1" '{"action": "CANCEL"}' "$K_READ"
check_status 403 "transfers.read alone cannot POST /inventory/transfers/{id}"
api GET /inventory/transfers "" "$K_NONE"
check_status 403 "a key without transfers.read cannot GET /inventory/transfers"
api GET "/inventory/transfers/$T1" "" "$K_WRITE"
check_status 403 "transfers.write alone cannot GET /inventory/transfers/{id}"
api GET "/inventory/transfers/bins?locationId=$WH&productMasterId=$P1" "" "$K_NONE"
check_status 403 "a key without transfers.read cannot GET /inventory/transfers/bins"
api GET /inventory/transfers "" "$K_READ"
check_status 200 "transfers.read can list the transfers"
api GET "/inventory/transfers/$T1" "" "$K_READ"
check_status 200 "transfers.read can GET a transfer"
api GET /inventory/transfers "" -
check_status 401 "no credentials is 401"
check_eq "$(transfers_total)" 6 "the refused requests made no transfer"

# ---------------------------------------------------------------- destruction

api POST /locations '{"code": "BURN", "name": "Incinerator", "type": "DESTRUCTION", "isDestruction": true}'
BURN=$(id_of)
api POST /inventory/expired/mark-expired "{\"inventoryItemId\": \"$I_OLD\"}"
check_status 200 "the expired L-OLD line is marked expired"
api POST /inventory/expired/transfer-destruction "{\"inventoryItemId\": \"$I_OLD\", \"destinationLocationId\": \"$BURN\", \"quantity\": 5}"
check_status 200 "sending the 5 expired units to destruction is 200"
check_true '.transferId | test("^trf_[0-9]+$")' "its answer has the transfer's id"
T_BURN=$(jq -r '.transferId // "missing"' <<<"$BODY")
api GET "/inventory/transfers/$T_BURN"
check_status 200 "the destruction transfer can be read"
check_json '[.status, .fromLocationId, .toLocationId, .lineCount, .quantity, (.lines[0] | .productMasterId, .lotId, .quantity)] | map(tostring) | join("|")' \
	"COMPLETED|$WH|$BURN|1|5|$P1|$LOT_OLD|5" \
	"it is a COMPLETED transfer warehouse -> destruction of one line: the lot and the quantity"
check_eq "$(list_ids "toLocationId=$BURN")" "$T_BURN" "it appears in the transfer list"

# ---------------------------------------------------------------- held and recalled stock

check_eq "$(q "$I_LATE") / $(q "$I_MID")" "8 0 8 / 4 0 4" "W-A has 8 of L-LATE and 4 of L-MID available"
api POST /inventory/holds "{\"inventoryItemId\": \"$I_LATE\", \"quantity\": 8, \"reason\": \"QA\"}"
check_status 201 "all 8 of L-LATE in W-A are put on hold"
HOLD=$(id_of)
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 1 ", \"lotId\": \"$LOT_LATE\", \"fromBinId\": \"$WA\"")]}"
check_status 409 "held stock is never picked: 409"
api PATCH "/lots/$LOT_MID" '{"status": "RECALLED"}'
check_status 200 "L-MID is recalled"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 1 ", \"lotId\": \"$LOT_MID\"")]}"
check_status 409 "recalled stock is never picked: 409"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 3)]}"
check_status 409 "3 saline without a lot: only the 2 of L-LATE in W-B are available, 409"
check_true '.message | test("3 requested, 2 available")' "the message counts neither the held nor the recalled stock"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [$(line "$P1" 2)]}"
check_status 201 "2 saline without a lot are picked"
check_json '.lines[0].picks | map("\(.inventoryItemId):\(.quantity)") | join(" ")' "$I_LATE_WB:2" "from the only usable line, L-LATE in W-B"
api POST "/inventory/transfers/$(id_of)" '{"action": "CANCEL"}'
check_status 200 "that transfer is cancelled"
api PATCH "/lots/$LOT_MID" '{"status": "ACTIVE"}'
api POST /inventory/holds/release "{\"holdId\": \"$HOLD\"}"
check_eq "$(q "$I_LATE") / $(q "$I_MID") / $(q "$I_LATE_WB")" "8 0 8 / 4 0 4 / 2 0 2" "released and reactivated, everything is available again"

# ---------------------------------------------------------------- search

check_eq "$(list_ids "search=TRF-000002")" "$T2" "search by number"
api GET "/inventory/transfers/$T_MOVE"
move_digits=$(jq -r '.number | ltrimstr("TRF-")' <<<"$BODY")
check_eq "$(list_ids "search=$move_digits")" "$T_MOVE" "search by part of a number ($move_digits)"
check_eq "$(list_ids "search=REF-GAM")" "$T3" "search by part of the reference"
check_eq "$(list_ids "search=IDEM")" "$T_IDEM" "search by the whole reference"
check_eq "$(list_ids "search=NO-SUCH-THING")" "" "a search that matches nothing"

# ---------------------------------------------------------------- ledger

check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = (SELECT id FROM workspaces WHERE slug = '$slug')
	AND (qty_reserved < 0 OR qty_on_hand < 0 OR qty_reserved + qty_on_hold + qty_picked + qty_recalled + qty_expired > qty_on_hand)")" 0 \
	"every line's buckets are still parts of its on hand"
if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "inventoryctl ledger verify finds no mismatch"
else
	fail "inventoryctl ledger verify finds no mismatch" "$out"
fi

done_testing
