#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Put-away (issue 10): bins flagged isReceiving, GET /api/inventory/put-away
# (tasks and, with mode=candidates, the stock waiting to be put away),
# POST /api/inventory/put-away (create, COMPLETE, CANCEL) and POST
# /api/inventory/put-away/{id}. A task splits one received line over two
# bins; a partial completion leaves the rest a candidate, never orphaned.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
PERMS=inventory.read,inventory.write,inventory.adjust,products.read,products.write,locations.read,locations.write,reasoncodes.read,replenishment.write,transfers.read,transfers.write

slug=$(uniq_slug putaway)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" "$PERMS")
slug2=$(uniq_slug putaway-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$PERMS")

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }

# ---------------------------------------------------------------- setup

api POST /locations '{"code": "WH", "name": "Warehouse"}'
WH=$(id_of)
api POST /locations '{"code": "ST", "name": "Store", "type": "STORE"}'
ST=$(id_of)
api POST "/locations/$WH/bins" '{"name": "W-A"}'
WA=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-1"}'
S1=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-2"}'
S2=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-DOCK"}'
SDOCK=$(id_of)
api POST /products '{"globalSku": "PA-BOX", "name": "Boxed gloves", "unitCost": 3}'
P1=$(id_of)
api POST /products '{"globalSku": "PA-MASK", "name": "Masks", "unitCost": 1}'
P2=$(id_of)
api POST /products '{"globalSku": "PA-GOWN", "name": "Gowns", "unitCost": 5}'
P3=$(id_of)

# receive PROD LOC BIN QTY: received stock ("-": no bin); prints the line's id.
receive() {
	local body="{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"quantity\": $4, \"mode\": \"RECEIVE\""
	[ "$3" != - ] && body+=", \"binId\": \"$3\""
	api POST /inventory/record-stock "$body}"
	if [[ $STATUS != 20[01] ]]; then
		diag "record-stock $body} answered $STATUS" "$BODY"
	fi
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
I_LOOSE=$(receive "$P1" "$ST" - 10)      # received without a bin
I_SHELF=$(receive "$P1" "$ST" "$S1" 2)   # already on a shelf: not a candidate
api GET "/bins/$SDOCK"
check_json .isReceiving false "a new bin is not a receiving bin"
api PATCH "/bins/$SDOCK" '{"isReceiving": true}'
check_status 200 "PATCH /bins/{id} {isReceiving: true} is 200"
check_json '[.id, .isReceiving] | map(tostring) | join("|")' "$SDOCK|true" "S-DOCK is the store's receiving bin"
api GET "/bins/$SDOCK"
check_json .isReceiving true "GET /bins/{id} says so"
api POST "/locations/$WH/bins" '{"name": "W-DOCK", "isReceiving": true}'
check_status 201 "a bin may be created as a receiving bin"
WDOCK=$(id_of)
check_json .isReceiving true "W-DOCK is a receiving bin"
api PATCH "/bins/$WDOCK" '{"isReceiving": "yes"}'
check_status 400 "isReceiving must be a boolean"

I_DOCK=$(receive "$P2" "$ST" "$SDOCK" 6) # in the receiving bin
I_WH=$(receive "$P1" "$WH" "$WA" 30)     # another location
I_GOWN=$(receive "$P3" "$WH" "$WA" 4)
api POST /inventory/record-stock "{\"productMasterId\": \"$P3\", \"locationId\": \"$WH\", \"quantity\": 1, \"mode\": \"RECEIVE\"}"
check_json .inventoryItem.binId "$WDOCK" "a receipt without a bin lands in the location's receiving bin"
api POST /inventory/record-stock "{\"productMasterId\": \"$P3\", \"locationId\": \"$WH\", \"quantity\": 1, \"mode\": \"SET\"}"
check_json .inventoryItem.binId null "a count without a bin stays without one"

api POST /locations '{"code": "ST", "name": "Their store"}' "$TOKEN2"
O_ST=$(id_of)
api POST "/locations/$O_ST/bins" '{"name": "S-1"}' "$TOKEN2"
O_BIN=$(id_of)
api POST /products '{"globalSku": "PA-BOX", "name": "Their gloves"}' "$TOKEN2"
O_P=$(id_of)
api POST /inventory/record-stock "{\"productMasterId\": \"$O_P\", \"locationId\": \"$O_ST\", \"quantity\": 5, \"mode\": \"RECEIVE\"}" "$TOKEN2"
O_ITEM=$(jq -r '.inventoryItem.id // "missing"' <<<"$BODY")
check_true "$(printf '%s\n' "$WH" "$ST" "$WA" "$S1" "$S2" "$SDOCK" "$WDOCK" "$P1" "$P2" "$P3" "$I_LOOSE" "$I_SHELF" \
	"$I_DOCK" "$I_WH" "$I_GOWN" "$O_ST" "$O_BIN" "$O_P" "$O_ITEM" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all')" \
	"setup: locations, bins, products, stock and another workspace"

# A transfer received without a bin lands in the store's receiving bin.
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P3\", \"quantity\": 4}]}"
check_status 201 "a transfer of gowns to the store is created"
TRF=$(id_of)
api POST "/inventory/transfers/$TRF" '{"action": "SHIP"}'
check_status 200 "it is shipped"
api POST "/inventory/transfers/$TRF" '{"action": "RECEIVE"}'
check_status 200 "it is received without naming a bin"
check_json .status RECEIVED "the transfer is RECEIVED"

# q ITEM: "onHand reserved available" of a stock line.
q() {
	api GET "/inventory?limit=100"
	jq -r --arg id "$1" '[.items[] | select(.id == $id) | "\(.quantityOnHand) \(.quantityReserved) \(.quantityAvailable)"] | first // "none"' <<<"$BODY"
}
# in_bin LOC PROD BIN: the product's on hand in the bin ("null": without bin).
in_bin() {
	api GET "/inventory?locationId=$1&productMasterId=$2&limit=100"
	jq -r --arg bin "$3" '[.items[] | select((.binId // "null") == $bin) | .quantityOnHand] | add // 0' <<<"$BODY"
}
# candidates: GET the store's candidates; cand ITEM: "binId available suggestedBinId suggestionSource".
candidates() { api GET "/inventory/put-away?mode=candidates&locationId=$ST"; }
cand() {
	candidates
	jq -r --arg id "$1" '[.items[] | select(.inventoryItemId == $id) | "\(.binId) \(.available) \(.suggestedBinId) \(.suggestionSource)"] | first // "none"' <<<"$BODY"
}

check_eq "$(in_bin "$ST" "$P3" "$SDOCK")" 4 "the gowns landed in the receiving bin S-DOCK"
api GET "/inventory?locationId=$ST&productMasterId=$P3"
I_GOWN_DOCK=$(jq -r '.items[0].id // "missing"' <<<"$BODY")

# ---------------------------------------------------------------- candidates

candidates
check_status 200 "GET /inventory/put-away?mode=candidates is 200"
check_json .mode candidates "the answer says mode candidates"
check_json '[.items[].inventoryItemId] | sort | join(" ")' "$(printf '%s\n' "$I_LOOSE" "$I_DOCK" "$I_GOWN_DOCK" | sort | paste -sd' ')" \
	"the candidates: the stock without bin and the stock in the receiving bin, not the shelf's"
check_json ".items[] | select(.inventoryItemId == \"$I_LOOSE\") | [.productMasterId, .locationId, .lotId, .binId, .onHand, .available] | map(tostring) | join(\"|\")" \
	"$P1|$ST|null|null|10|10" "the loose gloves: no bin, 10 on hand and available"
check_eq "$(cand "$I_LOOSE")" "null 10 $S1 HOLDING_BIN" "their suggestion is S-1, the bin already holding gloves"
check_eq "$(cand "$I_DOCK")" "$SDOCK 6 null null" "the masks in S-DOCK: no bin holds masks, no suggestion"
api POST /inventory-levels "{\"productMasterId\": \"$P2\", \"locationId\": \"$ST\", \"preferredBinLocationId\": \"$S2\"}"
check_status "200|201" "a level with preferred bin S-2 is set for the masks at the store"
check_eq "$(cand "$I_DOCK")" "$SDOCK 6 $S2 PREFERRED_BIN" "now the masks' suggestion is the preferred bin S-2"
api GET "/inventory/put-away?mode=candidates"
check_status 400 "candidates without locationId is 400"
api GET "/inventory/put-away?mode=candidates&locationId=$O_ST"
check_true "($STATUS == 404) or ($STATUS == 200 and (.items | length) == 0)" \
	"candidates of another workspace's location: nothing (or 404)"

# ---------------------------------------------------------------- create

pa_total() {
	api GET "/inventory/put-away?locationId=$ST"
	jq -r .pagination.total <<<"$BODY"
}
before_total=$(pa_total)
pa() { api POST /inventory/put-away "$1"; }
pl() { printf '{"inventoryItemId": "%s", "quantity": %s%s}' "$1" "$2" "${3:+, \"toBinId\": \"$3\"}"; }
field_is() { check_true "[.details[]?.field] | index(\"$1\") != null" "$2"; }

pa "{\"lines\": [$(pl "$I_LOOSE" 1 "$WA")]}"
check_status 400 "a toBinId of another location is 400"
field_is "lines[0].toBinId" "the error names lines[0].toBinId"
pa "{\"lines\": [$(pl "$I_DOCK" 1 "$SDOCK")]}"
check_status 400 "the item's own bin as toBinId is 400"
pa "{\"lines\": [$(pl "$I_LOOSE" 0 "$S1")]}"
check_status 400 "a quantity of 0 is 400"
pa "{\"lines\": [$(pl "$I_LOOSE" 2.5 "$S1")]}"
check_status 400 "a quantity that is not an integer is 400"
pa '{"lines": []}'
check_status 400 "a task without lines is 400"
pa "{\"lines\": [$(pl "$I_LOOSE" 1 "$S1"), $(pl "$I_WH" 1 "$WDOCK")]}"
check_status 400 "items of two locations in one task is 400"
pa "{\"lines\": [$(pl "$I_LOOSE" 11 "$S1")]}"
check_status 409 "11 of the 10 available is 409"
pa "{\"lines\": [$(pl "$I_LOOSE" 6 "$S1"), $(pl "$I_LOOSE" 5 "$S2")]}"
check_status 409 "6 + 5 of the same 10 is 409"
pa "{\"lines\": [$(pl item_999999999 1 "$S1")]}"
check_status 404 "an unknown item is 404"
pa "{\"lines\": [$(pl "$O_ITEM" 1 "$S1")]}"
check_status 404 "another workspace's item is 404"
pa "{\"lines\": [$(pl "$I_LOOSE" 1 "$O_BIN")]}"
check_status 404 "another workspace's bin is 404"
api POST /products '{"globalSku": "PA-NEW", "name": "No suggestion"}'
P4=$(id_of)
I_NEW=$(receive "$P4" "$ST" - 3)
pa "{\"lines\": [$(pl "$I_NEW" 1)]}"
check_status 400 "no toBinId and no suggested bin is 400"
field_is "lines[0].toBinId" "the error names lines[0].toBinId"
check_eq "$(q "$I_LOOSE") / $(q "$I_DOCK") / $(q "$I_NEW")" "10 0 10 / 6 0 6 / 3 0 3" "the refused creates reserved nothing"
check_eq "$(pa_total)" "$before_total" "and made no task"

pa "{\"assigneeId\": \"user-ana\", \"notes\": \"Aisle 1 first\", \"lines\": [$(pl "$I_LOOSE" 4 "$S1"), $(pl "$I_LOOSE" 3 "$S2")]}"
check_status 201 "a task splitting the loose gloves over S-1 and S-2 is 201"
PA1=$(id_of)
check_true '.id | test("^pa_[0-9]+$")' "the task id is pa_N"
check_json '[.locationId, .status, .assigneeId, .notes, .completedAt] | map(tostring) | join("|")' "$ST|PENDING|user-ana|Aisle 1 first|null" \
	"it is PENDING at the store, with its assignee and notes"
check_true "(.createdAt | test(\"$ISO_RE\")) and (.createdBy | type == \"string\")" "createdAt and createdBy are set"
check_json '.lines | map("\(.inventoryItemId):\(.productMasterId):\(.fromBinId):\(.toBinId):\(.quantity):\(.quantityPutAway)") | sort | join(" ")' \
	"$(printf '%s\n' "$I_LOOSE:$P1:null:$S1:4:0" "$I_LOOSE:$P1:null:$S2:3:0" | sort | paste -sd' ')" "two lines, one per bin"
check_true '.lines | all(.id | test("^pal_[0-9]+$"))' "the lines have ids pal_N"
PAL_S1=$(jq -r --arg b "$S1" '[.lines[]? | select(.toBinId == $b) | .id] | first // "missing"' <<<"$BODY")
PAL_S2=$(jq -r --arg b "$S2" '[.lines[]? | select(.toBinId == $b) | .id] | first // "missing"' <<<"$BODY")
check_eq "$(q "$I_LOOSE")" "10 7 3" "the task reserves the 7 it will move"
check_eq "$(cand "$I_LOOSE" | cut -d' ' -f2)" 3 "3 are left to put away"

# ---------------------------------------------------------------- partial completion

api POST /inventory/put-away "{\"action\": \"COMPLETE\", \"putAwayId\": \"$PA1\", \"lines\": [{\"lineId\": \"$PAL_S1\", \"quantity\": 2}, {\"lineId\": \"$PAL_S2\", \"quantity\": 3}]}"
check_status 200 "completing 2 of 4 into S-1 and 3 of 3 into S-2 is 200"
check_json '[.id, .status] | join("|")' "$PA1|COMPLETED" "the task is COMPLETED"
check_true ".completedAt | test(\"$ISO_RE\")" "completedAt is set"
check_json '.lines | map("\(.toBinId):\(.quantity):\(.quantityPutAway)") | sort | join(" ")' \
	"$(printf '%s\n' "$S1:4:2" "$S2:3:3" | sort | paste -sd' ')" "quantityPutAway says what was moved"
check_eq "$(in_bin "$ST" "$P1" "$S1") $(in_bin "$ST" "$P1" "$S2")" "4 3" "S-1 has 2 + the 2 it had, S-2 has 3"
check_eq "$(q "$I_LOOSE")" "5 0 5" "the loose line has 5 left, none reserved: the 2 not moved are released"
check_eq "$(cand "$I_LOOSE" | cut -d' ' -f1,2)" "null 5" "and all 5 are still a candidate (not orphaned)"
api POST /inventory/put-away "{\"action\": \"COMPLETE\", \"putAwayId\": \"$PA1\"}"
check_status 409 "completing a COMPLETED task is 409"
check_true '.message | test("COMPLETED")' "the message names the status COMPLETED"
api POST /inventory/put-away "{\"action\": \"CANCEL\", \"putAwayId\": \"$PA1\"}"
check_status 409 "cancelling a COMPLETED task is 409"
check_eq "$(q "$I_LOOSE")" "5 0 5" "the refused actions changed nothing"

# ---------------------------------------------------------------- cancel

pa "{\"lines\": [$(pl "$I_DOCK" 6)]}"
check_status 201 "a task without toBinId takes the suggestion"
PA2=$(id_of)
check_json '.lines[0] | [.fromBinId, .toBinId, .quantity] | map(tostring) | join("|")' "$SDOCK|$S2|6" \
	"from S-DOCK to the preferred bin S-2"
check_eq "$(q "$I_DOCK")" "6 6 0" "the masks are reserved"
api POST "/inventory/put-away/$PA2" '{"action": "CANCEL"}'
check_status 200 "POST /inventory/put-away/{id} CANCEL is 200"
check_json '[.id, .status] | join("|")' "$PA2|CANCELLED" "the task is CANCELLED"
check_eq "$(q "$I_DOCK")" "6 0 6" "the reservation is released"
check_eq "$(cand "$I_DOCK" | cut -d' ' -f2)" 6 "the masks are candidates again"
api POST "/inventory/put-away/$PA2" '{"action": "CANCEL"}'
check_status 409 "cancelling a CANCELLED task is 409"
check_true '.message | test("CANCELLED")' "the message names the status CANCELLED"
api POST "/inventory/put-away/$PA2" '{"action": "COMPLETE"}'
check_status 409 "completing a CANCELLED task is 409"

pa "{\"lines\": [$(pl "$I_LOOSE" 5 "$S2")]}"
check_status 201 "a task for the last 5 loose gloves"
PA3=$(id_of)
api POST /inventory/put-away "{\"action\": \"CANCEL\", \"putAwayId\": \"$PA3\"}"
check_status 200 "CANCEL with putAwayId on the collection is 200"
check_json .status CANCELLED "the task is CANCELLED"
check_eq "$(q "$I_LOOSE")" "5 0 5" "its reservation is released"

# ---------------------------------------------------------------- complete all

pa "{\"lines\": [$(pl "$I_DOCK" 6 "$S1"), $(pl "$I_GOWN_DOCK" 4 "$S2")]}"
check_status 201 "a task for the receiving bin's masks and gowns"
PA4=$(id_of)
api POST "/inventory/put-away/$PA4" '{"action": "COMPLETE"}'
check_status 200 "POST /inventory/put-away/{id} COMPLETE without lines moves everything"
check_json '[.status, (.lines | map(.quantityPutAway) | add)] | map(tostring) | join("|")' "COMPLETED|10" "all 10 are put away"
check_eq "$(in_bin "$ST" "$P2" "$SDOCK") $(in_bin "$ST" "$P2" "$S1") $(in_bin "$ST" "$P3" "$SDOCK") $(in_bin "$ST" "$P3" "$S2")" "0 6 0 4" \
	"the receiving bin is empty: masks in S-1, gowns in S-2"
candidates
check_json '[.items[] | select(.available > 0) | .inventoryItemId] | sort | join(" ")' "$(printf '%s\n' "$I_LOOSE" "$I_NEW" | sort | paste -sd' ')" \
	"the candidates left: the loose gloves and the new product"
api POST /inventory/put-away/pa_999999999 '{"action": "COMPLETE"}'
check_status 404 "an unknown task is 404"
api POST /inventory/put-away '{"action": "COMPLETE", "putAwayId": "pa_999999999"}'
check_status 404 "an unknown putAwayId is 404"

# ---------------------------------------------------------------- list

api GET "/inventory/put-away?locationId=$ST"
check_status 200 "GET /inventory/put-away is 200"
check_true 'has("items") and has("pagination")' 'the list answers {"items": [...], "pagination": {...}}'
check_json '[.items[].id] | sort | join(" ")' "$(printf '%s\n' "$PA1" "$PA2" "$PA3" "$PA4" | sort | paste -sd' ')" "it lists the four tasks"
check_true '.items | all(has("lines") | not)' "without their lines (GET one for those)"
check_json '[.pagination.total, .pagination.page] | map(tostring) | join("|")' "4|1" "pagination: 4 tasks"
# list_ids QUERY: the ids the list answers, sorted (or "status N" when not 200).
list_ids() {
	api GET "/inventory/put-away?$1"
	if [ "$STATUS" != 200 ]; then
		echo "status $STATUS"
		return
	fi
	jq -r '[.items[].id] | sort | join(" ")' <<<"$BODY"
}
sorted() { printf '%s\n' "$@" | sort | paste -sd' '; }
check_eq "$(list_ids "locationId=$ST&status=COMPLETED")" "$(sorted "$PA1" "$PA4")" "status=COMPLETED"
check_eq "$(list_ids "locationId=$ST&status=CANCELLED")" "$(sorted "$PA2" "$PA3")" "status=CANCELLED"
check_eq "$(list_ids "locationId=$ST&status=PENDING")" "" "status=PENDING: none"
check_eq "$(list_ids "status=COMPLETED")" "$(sorted "$PA1" "$PA4")" "status without locationId"
check_eq "$(list_ids "assigneeId=user-ana")" "$PA1" "assigneeId"
check_eq "$(list_ids "locationId=$WH")" "" "no task at the warehouse"
api GET "/inventory/put-away?locationId=$ST&limit=3"
check_json '[.pagination.total, .pagination.totalPages, (.items | length)] | map(tostring) | join("|")' "4|2|3" "limit=3: 2 pages"
api GET "/inventory/put-away" "" "$TOKEN2"
check_json '.items | length' 0 "the other workspace has no task"

# ---------------------------------------------------------------- history

api GET "/inventory/adjustments?locationId=$ST&limit=200"
check_status 200 "the store's history is 200"
check_json '[.entries[] | select(.transactionType == "PUTAWAY_OUT") | .deltaQty] | add' -15 \
	"PUTAWAY_OUT entries take 5 + 10 out of the lines put away"
check_json '[.entries[] | select(.transactionType == "PUTAWAY_IN") | .deltaQty] | add' 15 \
	"PUTAWAY_IN entries put 15 into the bins"
check_json "[.entries[] | select(.inventoryItemId == \"$I_LOOSE\" and .transactionType == \"PUTAWAY_OUT\") | .deltaQty] | add" -5 \
	"the loose line lost exactly the 5 moved"

# ---------------------------------------------------------------- permissions

K_READ=$(new_key "$slug" inventory.read)
K_NONE=$(new_key "$slug" transfers.read,transfers.write)
api POST /inventory/put-away "{\"lines\": [$(pl "$I_LOOSE" 1 "$S1")]}" "$K_READ"
check_status 403 "inventory.read alone cannot POST /inventory/put-away"
api POST "/inventory/put-away/$PA1" '{"action": "CANCEL"}' "$K_READ"
check_status 403 "inventory.read alone cannot POST /inventory/put-away/{id}"
api GET "/inventory/put-away?locationId=$ST" "" "$K_NONE"
check_status 403 "a key without inventory.read cannot GET /inventory/put-away"
api GET "/inventory/put-away?locationId=$ST" "" "$K_READ"
check_status 200 "inventory.read can list the tasks"
check_eq "$(q "$I_LOOSE")" "5 0 5" "the refused requests changed nothing"

# ---------------------------------------------------------------- ledger

if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "inventoryctl ledger verify finds no mismatch"
else
	fail "inventoryctl ledger verify finds no mismatch" "$out"
fi

done_testing
