#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stock requests (issue 11): a ward asks the warehouse for stock. The
# stocklist and product search, create (from the stocklist or with lines),
# edits while DRAFT, submit with and without approval (workspace setting and
# a location's requiresApproval), the four-eyes rule, a partial approval that
# reserves first expiry first out through the request's transfer, reject with
# its comment, rollbacks (APPROVED, REJECTED, PENDING_APPROVAL, ISSUED), a
# cancel that frees the reservation, issue and partial receipt, transitions,
# comments, the list with its filters, pending approvals, the dashboard and
# by-category figures against what this test did, filters, idempotency,
# permissions and workspaces; the ledger verifies at the end.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
BASE=inventory.read,inventory.write,inventory.adjust,products.read,products.write,locations.read,locations.write,replenishment.read,replenishment.write,transfers.read,transfers.write
SR_ALL=stockrequests.read,stockrequests.write,stockrequests.approve

# key_and_id SLUG PERMS [ROLES]: sets KEY and KEY_ID (key_N).
key_and_id() {
	local out
	local -a args=(apikey create --workspace "$1" --permissions "$2" --name t220)
	[ -n "${3:-}" ] && args+=(--roles "$3")
	out=$(ctl "${args[@]}")
	KEY=$(sed -n 's/^key: *//p' <<<"$out")
	KEY_ID=$(sed -n 's/^id: *//p' <<<"$out")
}
# ws_set SLUG OPTIONS...: `inventoryctl workspace set` as one check.
ws_set() {
	local out
	if out=$(ctl workspace set "$@" 2>&1); then
		pass "workspace set $*"
	else
		fail "workspace set $*" "$out"
	fi
}

slug=$(uniq_slug sreq)
new_workspace "$slug" >/dev/null
# The requester and the approver both hold every stock request permission
# (and the manager role): only the four-eyes rule tells them apart.
key_and_id "$slug" "$BASE,$SR_ALL" manager
REQ=$KEY REQ_ID=$KEY_ID
key_and_id "$slug" "$BASE,$SR_ALL" manager
MGR=$KEY MGR_ID=$KEY_ID
TOKEN=$REQ
slug2=$(uniq_slug sreq-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$BASE,$SR_ALL" manager)

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }

# ---------------------------------------------------------------- setup

api POST /categories '{"name": "Fluids"}'
CAT_FLUIDS=$(id_of)
api POST /categories '{"name": "Dressings"}'
CAT_DRESS=$(id_of)
api POST /locations '{"code": "WH", "name": "Central Warehouse", "type": "WAREHOUSE"}'
WH=$(id_of)
check_json '.requiresApproval' false "a location does not require approval by default"
api POST /locations '{"code": "WARD3", "name": "Ward 3", "type": "CLINIC"}'
WARD=$(id_of)
api POST /locations '{"code": "STORE", "name": "Store room"}'
STORE=$(id_of)
api POST /locations '{"code": "PH", "name": "Pharmacy", "type": "WAREHOUSE", "requiresApproval": true}'
check_status 201 "a location created with requiresApproval: true is 201"
check_json '.requiresApproval' true "it requires approval"
WH2=$(id_of)
api PATCH "/locations/$STORE" '{"requiresApproval": true}'
check_json '[.id, .requiresApproval] | map(tostring) | join("|")' "$STORE|true" "PATCH /locations/{id} sets requiresApproval"
api PATCH "/locations/$STORE" '{"requiresApproval": false}'
check_json .requiresApproval false "and clears it"
api POST "/locations/$WH/bins" '{"name": "W-A"}'
WA=$(id_of)
api POST "/locations/$WARD/bins" '{"name": "WARD-DOCK", "isReceiving": true}'
WDOCK=$(id_of)
api POST "/locations/$WH/bins" '{"name": "W-B"}'
WB=$(id_of)
api POST /products "{\"globalSku\": \"SR-SAL\", \"name\": \"Saline 500ml\", \"unitCost\": 2, \"categoryId\": \"$CAT_FLUIDS\", \"lotControlled\": true, \"expiryTracked\": true}"
P1=$(id_of)
api POST /products "{\"globalSku\": \"SR-GAU\", \"name\": \"Gauze roll\", \"unitCost\": 1, \"categoryId\": \"$CAT_DRESS\"}"
P2=$(id_of)
api POST /products "{\"globalSku\": \"SR-GLV\", \"name\": \"Nitrile gloves\", \"unitCost\": 1, \"categoryId\": \"$CAT_DRESS\"}"
P3=$(id_of)
api POST /products '{"globalSku": "SR-SYR", "name": "Syringe 5ml", "unitCost": 1}'
P4=$(id_of)
api POST /products '{"globalSku": "SR-THM", "name": "Thermometer", "unitCost": 9}'
P5=$(id_of)

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
# First expiry first out: L-EARLY (W-B) goes before L-LATE (W-A).
I_LATE=$(receive "$P1" "$WH" "$WA" 30 L-LATE 2099-12-31)
I_EARLY=$(receive "$P1" "$WH" "$WB" 6 L-EARLY 2098-01-31)
I_GAUZE=$(receive "$P2" "$WH" "$WA" 50)
I_GLOVES=$(receive "$P3" "$WH" "$WA" 20)
I_SYR=$(receive "$P4" "$WH" "$WA" 10)
I_WGAUZE=$(receive "$P2" "$WARD" - 5)
I_WGLOVES=$(receive "$P3" "$WARD" - 40)

# level PROD LOC MAX [STATUS]: an inventory level.
level() {
	api POST /inventory-levels "{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"minQuantity\": 0, \"reorderQuantity\": 0, \"maxQuantity\": $3, \"status\": \"${4:-Supported}\"}"
	if [[ $STATUS != 20[01] ]]; then
		diag "inventory level $1 $2 answered $STATUS" "$BODY"
	fi
}
level "$P1" "$WARD" 20
level "$P2" "$WARD" 30
level "$P3" "$WARD" 30
level "$P5" "$WARD" 10 NotSupported

# The other workspace: locations, a product and a request of its own.
api POST /locations '{"code": "WH", "name": "Their warehouse"}' "$TOKEN2"
O_WH=$(id_of)
api POST /locations '{"code": "WARD3", "name": "Their ward"}' "$TOKEN2"
O_WARD=$(id_of)
api POST /products '{"globalSku": "SR-SAL", "name": "Their saline"}' "$TOKEN2"
O_P1=$(id_of)
api POST /stock-requests "{\"requestingLocationId\": \"$O_WARD\", \"fulfillingLocationId\": \"$O_WH\", \"lines\": [{\"productMasterId\": \"$O_P1\", \"quantity\": 1}]}" "$TOKEN2"
check_status 201 "the other workspace creates a request"
O_SR=$(id_of)

check_true "$(printf '%s\n' "$CAT_FLUIDS" "$CAT_DRESS" "$WH" "$WARD" "$STORE" "$WH2" "$WA" "$WB" "$P1" "$P2" "$P3" "$P4" "$P5" "$WDOCK" \
	"$I_LATE" "$I_EARLY" "$I_GAUZE" "$I_GLOVES" "$I_SYR" "$I_WGAUZE" "$I_WGLOVES" "$O_WH" "$O_WARD" "$O_P1" "$O_SR" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all')" \
	"setup: categories, locations, bins, products, stock at the warehouse and the ward, and another workspace"

# q ITEM: "onHand reserved available" of a stock line, as GET /inventory answers.
q() {
	api GET "/inventory?limit=100"
	jq -r --arg id "$1" '[.items[] | select(.id == $id) | "\(.quantityOnHand) \(.quantityReserved) \(.quantityAvailable)"] | first // "none"' <<<"$BODY"
}
# summary LOC PROD: "onHand reserved available" of the availability summary.
summary() {
	api GET "/inventory/availability?summary=true&locationId=$1&productMasterId=$2"
	jq -r '.data | "\(.totalOnHand) \(.totalReserved) \(.totalAvailable)"' <<<"$BODY"
}
# sr_get ID [TOKEN]: GET the request into BODY.
sr_get() { api GET "/stock-requests/$1" "" "${2:-$TOKEN}"; }
# sr_status ID: its status (or "status N" when it cannot be read).
sr_status() {
	sr_get "$1"
	if [ "$STATUS" != 200 ]; then
		echo "status $STATUS"
		return
	fi
	jq -r .status <<<"$BODY"
}
# act ID ACTION [BODY] [TOKEN]: POST /stock-requests/ID/ACTION.
act() { api POST "/stock-requests/$1/$2" "${3:-}" "${4:-$TOKEN}"; }
# to ID STATUS [EXTRA_JSON_MEMBERS] [TOKEN]: POST .../status.
to() { api POST "/stock-requests/$1/status" "{\"status\": \"$2\"${3:+, $3}}" "${4:-$TOKEN}"; }
# line_of PROD: the id of BODY's line of PROD.
line_of() { jq -r --arg p "$1" '[.lines[]? | select(.productMasterId == $p) | .id] | first // "missing"' <<<"$BODY"; }
# lines_are: BODY's lines as "sku-less" PROD:requested:approved:issued:received, sorted.
lines_are() {
	jq -r '[.lines[]? | "\(.productMasterId):\(.quantityRequested):\(.quantityApproved):\(.quantityIssued):\(.quantityReceived)"] | sort | join(" ")' <<<"$BODY"
}
sorted() { printf '%s\n' "$@" | sort | paste -sd' '; }
# transitions ID: the allowed transitions of GET .../status, sorted.
transitions() {
	api GET "/stock-requests/$1/status"
	if [ "$STATUS" != 200 ]; then
		echo "status $STATUS"
		return
	fi
	jq -r '.allowedTransitions | sort | join(",")' <<<"$BODY"
}
# field_is FIELD DESC: the 400's details name FIELD.
field_is() { check_true "[.details[]?.field] | index(\"$1\") != null" "$2"; }
# names_status STATUS DESC: the 409's message names the current status.
names_status() { check_true ".message | test(\"$1\")" "$2"; }
# requests_total: pagination.total of the list.
requests_total() {
	api GET /stock-requests
	jq -r '.pagination.total // -1' <<<"$BODY" 2>/dev/null || echo -1
}
line() { printf '{"productMasterId": "%s", "quantity": %s}' "$1" "$2"; }

# ---------------------------------------------------------------- stocklist

api GET "/stock-requests/products/stocklist?locationId=$WARD"
check_status 200 "GET /stock-requests/products/stocklist is 200"
check_json .locationId "$WARD" "it echoes the location"
check_json '.items | map("\(.productMasterId):\(.sku):\(.maxQuantity):\(.onHand):\(.suggestedQuantity)") | sort | join(" ")' \
	"$(sorted "$P1:SR-SAL:20:0:20" "$P2:SR-GAU:30:5:25" "$P3:SR-GLV:30:40:0")" \
	"the ward's Supported levels with on hand and max(maxQuantity - onHand, 0); the NotSupported one is left out"
check_json ".items[] | select(.productMasterId == \"$P2\") | .name" "Gauze roll" "the items have the product's name"
api GET "/stock-requests/products/stocklist?locationId=$STORE"
check_status 200 "the stocklist of a location without levels is 200"
check_json '.items | length' 0 "and empty"
api GET /stock-requests/products/stocklist
check_status 400 "the stocklist without locationId is 400"
api GET "/stock-requests/products/stocklist?locationId=$O_WARD"
check_status 404 "the stocklist of another workspace's location is 404"

# ---------------------------------------------------------------- product search

api GET "/stock-requests/products/search?q=Saline&fulfillingLocationId=$WH&requestingLocationId=$WARD"
check_status 200 "GET /stock-requests/products/search is 200"
check_json '.items | map("\(.productMasterId):\(.sku):\(.name):\(.categoryId):\(.availableAtFulfilling):\(.onHandAtRequesting)") | join(" ")' \
	"$P1:SR-SAL:Saline 500ml:$CAT_FLUIDS:36:0" "by name: the saline, 36 available at the warehouse, none at the ward"
api GET "/stock-requests/products/search?q=SR-GA&fulfillingLocationId=$WH&requestingLocationId=$WARD"
check_json '.items | map("\(.productMasterId):\(.availableAtFulfilling):\(.onHandAtRequesting)") | join(" ")' \
	"$P2:50:5" "by part of the SKU: the gauze, 50 at the warehouse and 5 at the ward"
api GET "/stock-requests/products/search?q=SR-&fulfillingLocationId=$WH&requestingLocationId=$WARD"
check_json '[.items[].productMasterId] | sort | join(" ")' "$(sorted "$P1" "$P2" "$P3" "$P4" "$P5")" \
	"q=SR- finds the workspace's five products (not the other workspace's SR-SAL)"
check_json ".items[] | select(.productMasterId == \"$P3\") | \"\(.availableAtFulfilling):\(.onHandAtRequesting)\"" "20:40" \
	"the gloves: 20 at the warehouse, 40 at the ward"
api GET "/stock-requests/products/search?q=SR-&limit=2"
check_status 200 "the search with limit=2 and no locations is 200"
check_json '.items | length' 2 "limit=2 answers two products"
api GET "/stock-requests/products/search?q=no-such-product"
check_json '.items | length' 0 "a search that matches nothing is empty"
api GET "/stock-requests/products/search?fulfillingLocationId=$WH"
check_status 400 "the search without q is 400"
api GET "/stock-requests/products/search?q=Saline&fulfillingLocationId=$O_WH"
check_true "($STATUS == 400 or $STATUS == 404) or ($STATUS == 200 and (.items | all(.availableAtFulfilling == 0)))" \
	"the search with another workspace's location is refused or shows none of its stock"

# ---------------------------------------------------------------- create

api POST /stock-requests "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"fromStocklist\": true,
	\"priority\": \"HIGH\", \"neededBy\": \"2031-03-01\", \"notes\": \"Weekly ward top-up\"}"
check_status 201 "POST /stock-requests with fromStocklist is 201"
R_MAIN=$(id_of)
R_MAIN_BODY=$BODY
check_true '.id | test("^sr_[0-9]+$")' "the request id is sr_N"
check_json '[.number, .status, .requestingLocationId, .fulfillingLocationId, .priority, .neededBy, .notes] | map(tostring) | join("|")' \
	"SR-000001|DRAFT|$WARD|$WH|HIGH|2031-03-01|Weekly ward top-up" "the first request is SR-000001, DRAFT, with what was sent"
R_MAIN_NUMBER=$(jq -r .number <<<"$BODY")
check_json .requestedBy "apikey:$REQ_ID" "requestedBy is the caller's subject"
check_true "(.createdAt | test(\"$ISO_RE\")) and (.updatedAt | test(\"$ISO_RE\"))" "createdAt and updatedAt are ISO 8601"
check_json '[.submittedAt, .submittedBy, .approvedAt, .approvedBy, .rejectedAt, .issuedAt, .receivedAt, .cancelledAt, .transferId] | map(tostring) | join("|")' \
	"null|null|null|null|null|null|null|null|null" "no step taken yet, no transfer"
check_eq "$(lines_are)" "$(sorted "$P1:20:null:0:0" "$P2:25:null:0:0")" \
	"the lines come from the stocklist: saline 20, gauze 25 (the gloves' suggestion of 0 left out)"
check_json ".lines | map(\"\(.productMasterId):\(.quantityOnHandAtRequest):\(.cancelReason)\") | sort | join(\" \")" \
	"$(sorted "$P1:0:null" "$P2:5:null")" "quantityOnHandAtRequest is the ward's own stock"
check_true '.lines | all(.id | test("^srl_[0-9]+$"))' "the lines have ids srl_N"
check_json '[.lineCount, .quantityRequested, .quantityApproved, .quantityIssued, .quantityReceived] | map(tostring) | join("|")' \
	"2|45|0|0|0" "two lines, 45 requested"
check_json '.history | map("\(.fromStatus):\(.toStatus)") | join(" ")' "null:DRAFT" "the history starts with null -> DRAFT"
check_json '.history[0].actor' "apikey:$REQ_ID" "the history names the actor"
check_true ".history[0].createdAt | test(\"$ISO_RE\")" "and when"
check_json '.comments | length' 0 "no comments yet"
check_eq "$(summary "$WH" "$P1")" "36 0 36" "a DRAFT reserves nothing"

sr_get "$R_MAIN"
check_status 200 "GET /stock-requests/{id} is 200"
check_eq "$(jq -S 'del(.updatedAt)' <<<"$BODY")" "$(jq -S 'del(.updatedAt)' <<<"$R_MAIN_BODY")" "it answers the request as the create did"
api GET "/stock-requests/$R_MAIN/lines"
check_status 200 "GET /stock-requests/{id}/lines is 200"
check_json '.items | map("\(.productMasterId):\(.quantityRequested)") | sort | join(" ")' "$(sorted "$P1:20" "$P2:25")" \
	"it answers the lines as items"

# ---------------------------------------------------------------- refused creates

before_total=$(requests_total)
create() { api POST /stock-requests "$1"; }
create "{\"requestingLocationId\": \"$WH\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "the same location on both sides is 400"
create "{\"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "without requestingLocationId is 400"
field_is requestingLocationId "the error names requestingLocationId"
create "{\"requestingLocationId\": \"$WARD\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "without fulfillingLocationId is 400"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\"}"
check_status 400 "without lines and without fromStocklist is 400"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": []}"
check_status 400 "an empty lines array is 400"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 0)]}"
check_status 400 "a line of quantity 0 is 400"
field_is "lines[0].quantity" "the error names lines[0].quantity"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" -3)]}"
check_status 400 "a negative quantity is 400"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 2.5)]}"
check_status 400 "a quantity that is not an integer is 400"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1), $(line "$P1" 1), $(line "$P2" 2)]}"
check_status 400 "the same product twice is 400"
field_is "lines[2].productMasterId" "the error names lines[2].productMasterId"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"priority\": \"SOMETIME\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "an unknown priority is 400"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"neededBy\": \"next week\", \"lines\": [$(line "$P2" 1)]}"
check_status 400 "a neededBy that is not a date is 400"
create "{\"requestingLocationId\": \"$STORE\", \"fulfillingLocationId\": \"$WH\", \"fromStocklist\": true}"
check_status 400 "fromStocklist for a location without a stocklist is 400"
create "{\"requestingLocationId\": \"loc_999999999\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "an unknown requesting location is 404"
missing_loc=$BODY
create "{\"requestingLocationId\": \"$O_WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "another workspace's requesting location is 404"
check_eq "$BODY" "$missing_loc" "it answers exactly as for an unknown location"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$O_WH\", \"lines\": [$(line "$P2" 1)]}"
check_status 404 "another workspace's fulfilling location is 404"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line prod_999999999 1)]}"
check_status 404 "an unknown product is 404"
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$O_P1" 1)]}"
check_status 404 "another workspace's product is 404"
check_eq "$(requests_total)" "$before_total" "the refused creates made no request"

# ---------------------------------------------------------------- edit a draft

api POST "/stock-requests/$R_MAIN/lines" "{\"lines\": [$(line "$P4" 2), $(line "$P2" 20)]}"
check_status 200 "POST .../lines on a DRAFT is 200"
check_eq "$(lines_are)" "$(sorted "$P1:20:null:0:0" "$P2:20:null:0:0" "$P4:2:null:0:0")" \
	"it adds the syringes and replaces the gauze's quantity (25 -> 20)"
check_json '[.lineCount, .quantityRequested] | map(tostring) | join("|")' "3|42" "three lines, 42 requested"
L_SAL=$(line_of "$P1")
L_GAU=$(line_of "$P2")
L_SYR=$(line_of "$P4")
api POST "/stock-requests/$R_MAIN/lines" "{\"lines\": [$(line "$P4" 0)]}"
check_status 400 "POST .../lines with quantity 0 is 400"
api POST "/stock-requests/$R_MAIN/lines" "{\"lines\": [$(line "$O_P1" 1)]}"
check_status 404 "POST .../lines with another workspace's product is 404"
api PATCH "/stock-requests/$R_MAIN" '{"notes": "Weekly ward top-up, saline first"}'
check_status 200 "PATCH of a DRAFT is 200"
check_json '[.notes, .priority, .lineCount] | map(tostring) | join("|")' "Weekly ward top-up, saline first|HIGH|3" \
	"the notes change, the rest stays"
api PATCH "/stock-requests/$R_MAIN" '{"priority": "SOMETIME"}'
check_status 400 "PATCH with an unknown priority is 400"

# A draft that is edited and then deleted.
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P3" 2), $(line "$P4" 1)]}"
check_status 201 "a second draft is 201"
R_DEL=$(id_of)
api POST "/stock-requests/$R_DEL/lines" "{\"lines\": [$(line "$P2" 7)], \"replace\": true}"
check_status 200 "POST .../lines with replace: true is 200"
check_eq "$(lines_are)" "$P2:7:null:0:0" "it replaces every line"
api PATCH "/stock-requests/$R_DEL" "{\"priority\": \"URGENT\", \"neededBy\": \"2031-01-01\", \"lines\": [$(line "$P3" 3), $(line "$P1" 1)]}"
check_status 200 "PATCH with lines is 200"
check_eq "$(lines_are)" "$(sorted "$P3:3:null:0:0" "$P1:1:null:0:0")" "PATCH lines replaces them all"
check_json '[.priority, .neededBy] | join("|")' "URGENT|2031-01-01" "and the header changes"
api PATCH "/stock-requests/$R_DEL" "{\"lines\": [$(line "$P3" 3), $(line "$P3" 1)]}"
check_status 400 "PATCH with the same product twice is 400"
api DELETE "/stock-requests/$R_DEL"
check_status 200 "DELETE of a DRAFT is 200"
check_json '[.success, .id] | map(tostring) | join("|")' "true|$R_DEL" "it answers success and the id"
sr_get "$R_DEL"
check_status 404 "the deleted request is gone"
api DELETE "/stock-requests/$R_DEL"
check_status 404 "DELETE again is 404"

# ---------------------------------------------------------------- submit (approval required)

check_eq "$(transitions "$R_MAIN")" "CANCELLED,SUBMITTED" "a DRAFT may go to SUBMITTED or CANCELLED"
api GET "/stock-requests/$R_MAIN/status"
check_json '[.id, .status] | join("|")' "$R_MAIN|DRAFT" "GET .../status answers the id and status"
api POST "/stock-requests/$R_MAIN/approve" '{}' "$MGR"
check_status 409 "approving a DRAFT is 409"
names_status DRAFT "the message names the current status DRAFT"
to "$R_MAIN" ISSUED
check_status 409 "ISSUED from DRAFT is 409"
names_status DRAFT "the message names DRAFT"
to "$R_MAIN" RECEIVED
check_status 409 "RECEIVED from DRAFT is 409"
act "$R_MAIN" rollback
check_status 409 "rollback of a DRAFT is 409"
to "$R_MAIN" FLYING
check_status 400 "an unknown status is 400"
api POST "/stock-requests/$R_MAIN/status" '{}'
check_status 400 "POST .../status without status is 400"

act "$R_MAIN" submit
check_status 200 "submit is 200"
check_json .status PENDING_APPROVAL "the workspace requires approval by default: PENDING_APPROVAL"
check_json '.history | map(.toStatus) | join(",")' "DRAFT,SUBMITTED,PENDING_APPROVAL" "the history has each step"
check_true ".submittedAt | test(\"$ISO_RE\")" "submittedAt is set"
check_json .submittedBy "apikey:$REQ_ID" "submittedBy is the requester"
check_eq "$(summary "$WH" "$P1")" "36 0 36" "a pending request reserves nothing"
check_eq "$(transitions "$R_MAIN")" "APPROVED,CANCELLED,DRAFT,REJECTED" "PENDING_APPROVAL may go to APPROVED, REJECTED, CANCELLED or DRAFT"
act "$R_MAIN" submit
check_status 409 "submit again is 409"
names_status PENDING_APPROVAL "the message names PENDING_APPROVAL"
api DELETE "/stock-requests/$R_MAIN"
check_status 409 "DELETE of a submitted request is 409"
check_true '.message | test("cancel"; "i")' "the message says to cancel it instead"

api PATCH "/stock-requests/$R_MAIN" '{"notes": "Weekly ward top-up, saline first!"}'
check_status 200 "the requester may PATCH while PENDING_APPROVAL"
api PATCH "/stock-requests/$R_MAIN" '{"notes": "Changed by the approver"}' "$MGR"
check_status "403|409" "someone else may not PATCH while PENDING_APPROVAL"
sr_get "$R_MAIN"
check_json .notes "Weekly ward top-up, saline first!" "the refused PATCH changed nothing"

# ---------------------------------------------------------------- approve (four eyes, partial)

act "$R_MAIN" approve '{}' "$REQ"
check_status 403 "the requester cannot approve their own request"
check_json .error Forbidden 'it says "Forbidden"'
check_true '.message | test("requester|own"; "i")' "the message says the requester cannot approve"
to "$R_MAIN" APPROVED "" "$REQ"
check_status 403 "nor through POST .../status"
act "$R_MAIN" approve "{\"lines\": [{\"lineId\": \"$L_GAU\", \"quantityApproved\": 15}]}" "$MGR"
check_status 400 "lowering a line without a reason is 400"
field_is "lines[0].reason" "the error names lines[0].reason"
act "$R_MAIN" approve "{\"lines\": [{\"lineId\": \"$L_GAU\", \"quantityApproved\": 15, \"reason\": \"Ward has spare\"}, {\"lineId\": \"$L_SYR\", \"quantityApproved\": 0}]}" "$MGR"
check_status 400 "approving 0 without a reason is 400"
field_is "lines[1].reason" "the error names lines[1].reason"
act "$R_MAIN" approve "{\"lines\": [{\"lineId\": \"$L_GAU\", \"quantityApproved\": 21, \"reason\": \"More\"}]}" "$MGR"
check_status 400 "approving more than requested is 400"
act "$R_MAIN" approve "{\"lines\": [{\"lineId\": \"srl_999999999\", \"quantityApproved\": 1, \"reason\": \"x\"}]}" "$MGR"
check_status "400|404" "approving a line that is not the request's is refused"
check_eq "$(sr_status "$R_MAIN") $(summary "$WH" "$P1")" "PENDING_APPROVAL 36 0 36" "the refused approvals changed nothing"

act "$R_MAIN" approve "{\"comment\": \"Approved for the week\", \"lines\": [
	{\"lineId\": \"$L_GAU\", \"quantityApproved\": 15, \"reason\": \"Ward has spare\"},
	{\"lineId\": \"$L_SYR\", \"quantityApproved\": 0, \"reason\": \"Not stocked for wards\"}]}" "$MGR"
check_status 200 "a partial approval by a second credential is 200"
check_json .status APPROVED "the request is APPROVED"
check_eq "$(lines_are)" "$(sorted "$P1:20:20:0:0" "$P2:20:15:0:0" "$P4:2:0:0:0")" \
	"saline approved whole (not named), gauze lowered to 15, syringes 0"
check_json ".lines[] | select(.id == \"$L_SYR\") | .cancelReason" "Not stocked for wards" "the line cut to 0 keeps its reason"
check_json '[.quantityRequested, .quantityApproved, .quantityIssued] | map(tostring) | join("|")' "42|35|0" "35 of 42 approved"
check_json .approvedBy "apikey:$MGR_ID" "approvedBy is the approver"
check_true ".approvedAt | test(\"$ISO_RE\")" "approvedAt is set"
check_true '.transferId | test("^trf_[0-9]+$")' "transferId is set"
TRF1=$(jq -r '.transferId // "missing"' <<<"$BODY")
check_json '.history[-1] | [.fromStatus, .toStatus, .actor, .comment] | join("|")' \
	"PENDING_APPROVAL|APPROVED|apikey:$MGR_ID|Approved for the week" "the history records the approval with its comment"
check_eq "$(q "$I_EARLY") / $(q "$I_LATE") / $(q "$I_GAUZE") / $(q "$I_SYR")" "6 6 0 / 30 14 16 / 50 15 35 / 10 0 10" \
	"the approved quantities are reserved first expiry first out: 6 of L-EARLY, then 14 of L-LATE; 15 gauze; no syringes"
check_eq "$(summary "$WH" "$P1")" "36 20 16" "availability at the warehouse shows 20 saline reserved"
api GET "/inventory/transfers/$TRF1"
check_status 200 "the request's transfer can be read"
check_json '[.status, .fromLocationId, .toLocationId, .reference] | join("|")' "PENDING|$WH|$WARD|$R_MAIN_NUMBER" \
	"it is PENDING warehouse -> ward, its reference the request's number"
check_json ".lines[] | select(.productMasterId == \"$P1\") | .picks | map(\"\(.inventoryItemId):\(.quantity)\") | join(\" \")" \
	"$I_EARLY:6 $I_LATE:14" "its saline picks are first expiry first out"
check_json "[.lines[] | select(.productMasterId == \"$P4\" and .quantity > 0)] | length" 0 "the line approved 0 is not picked"
check_eq "$(transitions "$R_MAIN")" "CANCELLED,ISSUED,PENDING_APPROVAL" "APPROVED may go to ISSUED, CANCELLED or PENDING_APPROVAL"

api PATCH "/stock-requests/$R_MAIN" '{"notes": "Too late"}'
check_status 409 "PATCH of an APPROVED request is 409"
names_status APPROVED "the message names APPROVED"
api POST "/stock-requests/$R_MAIN/lines" "{\"lines\": [$(line "$P3" 1)]}"
check_status 409 "POST .../lines on an APPROVED request is 409"
act "$R_MAIN" submit
check_status 409 "submit of an APPROVED request is 409"
names_status APPROVED "the message names APPROVED"
act "$R_MAIN" approve '{}' "$MGR"
check_status 409 "approve again is 409"
act "$R_MAIN" reject '{"comment": "no"}' "$MGR"
check_status 409 "reject of an APPROVED request is 409"
to "$R_MAIN" RECEIVED
check_status 409 "RECEIVED from APPROVED is 409"
names_status APPROVED "the message names APPROVED"
api DELETE "/stock-requests/$R_MAIN"
check_status 409 "DELETE of an APPROVED request is 409"

# ---------------------------------------------------------------- short stock at approval, cancel

create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P1" 17)]}"
R_CANCEL=$(id_of)
act "$R_CANCEL" submit
check_json .status PENDING_APPROVAL "a request for 17 saline is PENDING_APPROVAL"
act "$R_CANCEL" approve '{}' "$MGR"
check_status 409 "approving 17 saline when 16 are available is 409"
check_json .error "Insufficient stock" 'it says "Insufficient stock"'
check_true ".message | test(\"$P1|SR-SAL|Saline\")" "the message names the product"
sr_get "$R_CANCEL"
check_json '[.status, .transferId, .lines[0].quantityApproved] | map(tostring) | join("|")' "PENDING_APPROVAL|null|null" \
	"the refused approval changed nothing on the request"
check_eq "$(summary "$WH" "$P1")" "36 20 16" "nor at the warehouse"
api PATCH "/stock-requests/$R_CANCEL" "{\"lines\": [$(line "$P1" 5)]}"
check_status 200 "the requester lowers the request to 5 while PENDING_APPROVAL"
act "$R_CANCEL" approve '{}' "$MGR"
check_status 200 "5 saline are approved"
check_eq "$(summary "$WH" "$P1")" "36 25 11" "25 saline are reserved"
TRF_CANCEL=$(jq -r '.transferId // "missing"' <<<"$BODY")
to "$R_CANCEL" CANCELLED '"comment": "Ward closed for cleaning"'
check_status 200 "cancelling the APPROVED request is 200"
check_json .status CANCELLED "it is CANCELLED"
check_json .cancelledBy "apikey:$REQ_ID" "cancelledBy is the caller"
check_true ".cancelledAt | test(\"$ISO_RE\")" "cancelledAt is set"
check_json '.history[-1] | [.fromStatus, .toStatus, .comment] | join("|")' "APPROVED|CANCELLED|Ward closed for cleaning" \
	"the history records the cancel with its comment"
check_eq "$(summary "$WH" "$P1")" "36 20 16" "the cancel frees its reservation: 20 reserved again"
api GET "/inventory/transfers/$TRF_CANCEL"
check_json .status CANCELLED "its transfer is CANCELLED"
check_eq "$(transitions "$R_CANCEL")" "" "CANCELLED allows nothing"
to "$R_CANCEL" CANCELLED
check_status 409 "cancel again is 409"
names_status CANCELLED "the message names CANCELLED"
act "$R_CANCEL" rollback
check_status 409 "rollback of a CANCELLED request is 409"
act "$R_CANCEL" submit
check_status 409 "submit of a CANCELLED request is 409"

# ---------------------------------------------------------------- all lines approved 0

create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P1" 1)]}"
R_ZERO=$(id_of)
L_ZERO=$(line_of "$P1")
act "$R_ZERO" submit
act "$R_ZERO" approve "{\"lines\": [{\"lineId\": \"$L_ZERO\", \"quantityApproved\": 0, \"reason\": \"Use the ward's own\"}]}" "$MGR"
check_status 200 "approving every line 0 is 200"
check_json '[.status, .transferId, .quantityApproved] | map(tostring) | join("|")' "APPROVED|null|0" \
	"the request is APPROVED with no transfer"
check_eq "$(summary "$WH" "$P1")" "36 20 16" "nothing more is reserved"
to "$R_ZERO" CANCELLED
check_status 200 "it is cancelled"

# ---------------------------------------------------------------- rollback of an approval

act "$R_MAIN" rollback '{"comment": "Recount the gauze first"}'
check_status 200 "rollback of an APPROVED request is 200"
check_json .status PENDING_APPROVAL "it is PENDING_APPROVAL again"
check_json '[.lines[].quantityApproved] | map(tostring) | unique | join(",")' null "the approved quantities are back to null"
check_json '.history[-1] | [.fromStatus, .toStatus, .comment] | join("|")' "APPROVED|PENDING_APPROVAL|Recount the gauze first" \
	"the history records the rollback"
check_eq "$(q "$I_EARLY") / $(q "$I_LATE") / $(q "$I_GAUZE")" "6 0 6 / 30 0 30 / 50 0 50" "the reservations are released"
api GET "/inventory/transfers/$TRF1"
check_json .status CANCELLED "the transfer is cancelled"
act "$R_MAIN" approve "{\"lines\": [
	{\"lineId\": \"$L_GAU\", \"quantityApproved\": 15, \"reason\": \"Ward has spare\"},
	{\"lineId\": \"$L_SYR\", \"quantityApproved\": 0, \"reason\": \"Not stocked for wards\"}]}" "$MGR"
check_status 200 "it is approved again"
check_eq "$(lines_are)" "$(sorted "$P1:20:20:0:0" "$P2:20:15:0:0" "$P4:2:0:0:0")" "with the same quantities"
TRF2=$(jq -r '.transferId // "missing"' <<<"$BODY")
check_true '.transferId | test("^trf_[0-9]+$")' "and a transfer"
check_eq "$(q "$I_EARLY") / $(q "$I_LATE") / $(q "$I_GAUZE")" "6 6 0 / 30 14 16 / 50 15 35" "reserved again, first expiry first out"

# ---------------------------------------------------------------- reject

create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"notes\": \"Extra gauze\", \"lines\": [$(line "$P2" 10)]}"
R_REJ=$(id_of)
act "$R_REJ" submit
check_json .status PENDING_APPROVAL "a gauze request is PENDING_APPROVAL"
act "$R_REJ" reject '{}' "$MGR"
check_status 400 "reject without a comment is 400"
field_is comment "the error names comment"
act "$R_REJ" reject '{"comment": ""}' "$MGR"
check_status 400 "reject with an empty comment is 400"
check_eq "$(sr_status "$R_REJ")" PENDING_APPROVAL "the refused rejects changed nothing"
act "$R_REJ" reject '{"comment": "Use the store room stock"}' "$MGR"
check_status 200 "reject with a comment is 200"
check_json '[.status, .rejectedBy] | join("|")' "REJECTED|apikey:$MGR_ID" "it is REJECTED by the approver"
check_true ".rejectedAt | test(\"$ISO_RE\")" "rejectedAt is set"
check_json '.history[-1] | [.fromStatus, .toStatus, .actor, .comment] | join("|")' \
	"PENDING_APPROVAL|REJECTED|apikey:$MGR_ID|Use the store room stock" "the history holds the rejection's comment"
check_eq "$(transitions "$R_REJ")" "CANCELLED,PENDING_APPROVAL" "REJECTED may go to PENDING_APPROVAL or CANCELLED"
to "$R_REJ" ISSUED
check_status 409 "ISSUED from REJECTED is 409"
names_status REJECTED "the message names REJECTED"
act "$R_REJ" approve '{}' "$MGR"
check_status 409 "approving a REJECTED request is 409"
act "$R_REJ" rollback
check_status 200 "rollback of a REJECTED request is 200"
check_json .status PENDING_APPROVAL "it is PENDING_APPROVAL again"
to "$R_REJ" REJECTED "" "$MGR"
check_status 400 "REJECTED through POST .../status without a comment is 400"
to "$R_REJ" REJECTED '"comment": "Still no: use the store room"' "$MGR"
check_status 200 "REJECTED through POST .../status with a comment is 200"
check_json .status REJECTED "it is REJECTED"
check_json '[.history[] | select(.toStatus == "REJECTED") | .comment] | join("|")' \
	"Use the store room stock|Still no: use the store room" "both rejections and their comments are in the history"

# ---------------------------------------------------------------- rollback PENDING_APPROVAL -> DRAFT

create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"priority\": \"LOW\", \"neededBy\": \"2020-01-15\",
	\"notes\": \"Gloves, long overdue\", \"lines\": [$(line "$P3" 4)]}"
check_status 201 "a request needed by a past date is 201"
R_DRAFT=$(id_of)
check_json '.lines[0].quantityOnHandAtRequest' 40 "the ward has 40 gloves when it asks"
act "$R_DRAFT" submit
to "$R_DRAFT" DRAFT '"comment": "Count the gloves first"'
check_status 200 "POST .../status DRAFT from PENDING_APPROVAL (a rollback) is 200"
check_json .status DRAFT "it is DRAFT again"
check_json '.history[-1] | [.fromStatus, .toStatus, .comment] | join("|")' "PENDING_APPROVAL|DRAFT|Count the gloves first" \
	"the history records PENDING_APPROVAL -> DRAFT with its comment"
api PATCH "/stock-requests/$R_DRAFT" '{"notes": "Gloves, overdue"}'
check_status 200 "it can be edited again"
act "$R_DRAFT" rollback
check_status 409 "rollback of a DRAFT is 409"
names_status DRAFT "the message names DRAFT"

# A draft submitted only later, to tell submission order from creation order.
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P3" 3)]}"
R_LATE=$(id_of)

# ---------------------------------------------------------------- issue, return, receive

to "$R_MAIN" ISSUED
check_status 200 "ISSUED through POST .../status is 200"
check_json .status ISSUED "the request is ISSUED"
check_eq "$(lines_are)" "$(sorted "$P1:20:20:20:0" "$P2:20:15:15:0" "$P4:2:0:0:0")" "quantityIssued is the approved quantity"
check_json '[.quantityApproved, .quantityIssued, .quantityReceived] | map(tostring) | join("|")' "35|35|0" "35 issued"
check_json .issuedBy "apikey:$REQ_ID" "issuedBy is the caller"
check_true ".issuedAt | test(\"$ISO_RE\")" "issuedAt is set"
check_eq "$(q "$I_EARLY") / $(q "$I_LATE") / $(q "$I_GAUZE")" "0 0 0 / 16 0 16 / 35 0 35" "the stock left the warehouse"
check_eq "$(summary "$WARD" "$P1")" "0 0 0" "nothing has arrived at the ward yet"
api GET "/inventory/transfers/$TRF2"
check_json .status SHIPPED "the transfer is SHIPPED"
check_eq "$(transitions "$R_MAIN")" "APPROVED,RECEIVED" "ISSUED may go to RECEIVED or back to APPROVED"
to "$R_MAIN" CANCELLED
check_status 409 "cancel of an ISSUED request is 409"
names_status ISSUED "the message names ISSUED"
to "$R_MAIN" ISSUED
check_status 409 "ISSUED again is 409"

act "$R_MAIN" rollback '{"comment": "Wrong trolley"}'
check_status 200 "rollback of an ISSUED request (nothing received) is 200"
check_json '[.status, .quantityApproved, .quantityIssued] | map(tostring) | join("|")' "APPROVED|35|0" \
	"it is APPROVED again, nothing issued"
check_eq "$(q "$I_EARLY") / $(q "$I_LATE") / $(q "$I_GAUZE")" "6 6 0 / 30 14 16 / 50 15 35" \
	"the stock is back on its source lines and reserved again"
api GET "/inventory/adjustments?productMasterId=$P1&limit=200"
check_status 200 "the saline's ledger history is 200"
check_json '[.entries[] | select(.transactionType == "TRANSFER_RETURN") | .deltaQty] | add' 20 \
	"the return is posted as TRANSFER_RETURN entries adding the 20 back"
check_json "[.entries[] | select(.transactionType == \"TRANSFER_RETURN\") | .locationId] | unique | join(\",\")" "$WH" \
	"at the warehouse"
check_json '[.entries[] | select(.transactionType == "TRANSFER_OUT") | .deltaQty] | add' -20 "after one TRANSFER_OUT of 20"

to "$R_MAIN" ISSUED
check_status 200 "it is issued again"
TRF3=$(jq -r '.transferId // "missing"' <<<"$BODY")
check_eq "$(q "$I_EARLY") / $(q "$I_LATE")" "0 0 0 / 16 0 16" "the saline left again"
to "$R_MAIN" RECEIVED "\"lines\": [{\"lineId\": \"$L_SAL\", \"quantity\": 21}]"
check_status 400 "receiving more than was issued is 400"
to "$R_MAIN" RECEIVED "\"lines\": [{\"lineId\": \"$L_SAL\", \"quantity\": 0}]"
check_status 400 "receiving 0 is 400"
to "$R_MAIN" RECEIVED "\"lines\": [{\"lineId\": \"$L_SAL\", \"quantity\": 8}]"
check_status 200 "a partial receipt of 8 saline is 200"
check_json '[.status, .quantityIssued, .quantityReceived] | map(tostring) | join("|")' "ISSUED|35|8" \
	"the request stays ISSUED with 8 received"
check_json ".lines[] | select(.id == \"$L_SAL\") | .quantityReceived" 8 "the saline line has 8 received"
check_eq "$(summary "$WARD" "$P1")" "8 0 8" "the ward has 8 saline"
act "$R_MAIN" rollback
check_status 409 "rollback once something was received is 409"
check_eq "$(q "$I_LATE")" "16 0 16" "the refused rollback returned nothing"
to "$R_MAIN" RECEIVED '"comment": "All in"'
check_status 200 "receiving the rest is 200"
check_json '[.status, .quantityIssued, .quantityReceived] | map(tostring) | join("|")' "RECEIVED|35|35" \
	"the request is RECEIVED: 35 of 35"
check_eq "$(lines_are)" "$(sorted "$P1:20:20:20:20" "$P2:20:15:15:15" "$P4:2:0:0:0")" "every line is received in full"
check_json .receivedBy "apikey:$REQ_ID" "receivedBy is the caller"
check_true ".receivedAt | test(\"$ISO_RE\")" "receivedAt is set"
check_eq "$(summary "$WARD" "$P1") / $(summary "$WARD" "$P2")" "20 0 20 / 20 0 20" \
	"the ward has 20 saline and 5 + 15 = 20 gauze"
api GET "/inventory?locationId=$WARD&limit=100"
check_json "[.items[] | select(.quantityOnHand > 0 and .productMasterId == \"$P1\") | \"\\(.binId):\\(.quantityOnHand)\"] | sort | join(\" \")" \
	"$(sorted "$WDOCK:6" "$WDOCK:14")" \
	"the saline received is in the ward's receiving bin, lot by lot (6 of L-EARLY, 14 of L-LATE)"
api GET "/inventory/adjustments?productMasterId=$P1&limit=200"
check_json "[.entries[] | select(.transactionType == \"TRANSFER_IN\") | select(.locationId == \"$WARD\") | .deltaQty] | add" 20 \
	"the ledger has TRANSFER_IN entries of 20 saline at the ward"
api GET "/inventory/transfers/$TRF3"
check_json .status RECEIVED "the transfer is RECEIVED"
sr_get "$R_MAIN"
check_json ".lines[] | select(.productMasterId == \"$P1\") | .quantityOnHandAtRequest" 0 \
	"quantityOnHandAtRequest stays what the ward had when it asked (0), not what it has now"
check_eq "$(transitions "$R_MAIN")" "" "RECEIVED allows nothing"
to "$R_MAIN" RECEIVED
check_status 409 "RECEIVED again is 409"
names_status RECEIVED "the message names RECEIVED"
act "$R_MAIN" rollback
check_status 409 "rollback of a RECEIVED request is 409"
to "$R_MAIN" CANCELLED
check_status 409 "cancel of a RECEIVED request is 409"
sr_get "$R_MAIN"
# A partial receipt may or may not be an entry of its own (ISSUED -> ISSUED): repeats are folded.
# shellcheck disable=SC2016
check_json '[.history[].toStatus] | reduce .[] as $s ([]; if .[-1] == $s then . else . + [$s] end) | join(",")' \
	"DRAFT,SUBMITTED,PENDING_APPROVAL,APPROVED,PENDING_APPROVAL,APPROVED,ISSUED,APPROVED,ISSUED,RECEIVED" \
	"the history has every transition in order"
api GET "/stock-requests/$R_MAIN/status"
check_json '[.id, .status, (.history | length > 8)] | map(tostring) | join("|")' "$R_MAIN|RECEIVED|true" \
	"GET .../status answers the history too"

api GET "/stock-requests/products/stocklist?locationId=$WARD"
check_json '.items | map("\(.productMasterId):\(.onHand):\(.suggestedQuantity)") | sort | join(" ")' \
	"$(sorted "$P1:20:0" "$P2:20:10" "$P3:40:0")" "the ward's stocklist now suggests 10 gauze only"

# ---------------------------------------------------------------- comments

sr_get "$R_MAIN"
comments_before=$(jq '.comments | length' <<<"$BODY")
act "$R_MAIN" comment '{"comment": "Thanks, all arrived"}'
check_status 201 "a comment on a RECEIVED request is 201"
check_json '[.comments[] | select(.comment == "Thanks, all arrived") | .author] | join(" ")' "apikey:$REQ_ID" \
	"the request has the comment once, with its author"
check_json '.comments | length' $((comments_before + 1)) "one comment more"
check_true "[.comments[] | select(.comment == \"Thanks, all arrived\") | .createdAt | test(\"$ISO_RE\")] == [true]" "and when"
act "$R_REJ" comment '{"comment": "Noted"}' "$MGR"
check_status 201 "a comment on a REJECTED request is 201"
act "$R_MAIN" comment '{}'
check_status 400 "a comment without comment is 400"
act "$R_MAIN" comment '{"comment": ""}'
check_status 400 "an empty comment is 400"
act "$R_MAIN" comment "{\"comment\": \"$(printf 'x%.0s' $(seq 1 2001))\"}"
check_status 400 "a comment of 2001 characters is 400"
sr_get "$R_MAIN"
check_json '.comments | length' $((comments_before + 1)) "the refused comments were not added"

# ---------------------------------------------------------------- submit without approval

ws_set "$slug" --request-approval no
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P2" 5)]}"
R_AUTO=$(id_of)
act "$R_AUTO" submit
check_status 200 "submit without required approval is 200"
check_json .status APPROVED "it goes straight to APPROVED"
check_json '.history | map(.toStatus) | join(",")' "DRAFT,SUBMITTED,APPROVED" "the history has DRAFT, SUBMITTED, APPROVED"
check_eq "$(lines_are)" "$P2:5:5:0:0" "every line is approved whole"
check_true '.transferId | test("^trf_[0-9]+$")' "with a transfer"
check_eq "$(q "$I_GAUZE")" "35 5 30" "the 5 gauze are reserved"

create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P4" 11)]}"
R_SHORT=$(id_of)
act "$R_SHORT" submit
check_status 409 "submit of 11 syringes when 10 are available (approval off) is 409"
check_json .error "Insufficient stock" 'it says "Insufficient stock"'
check_eq "$(sr_status "$R_SHORT") $(q "$I_SYR")" "DRAFT 10 0 10" "the request stays DRAFT and nothing is reserved"
api DELETE "/stock-requests/$R_SHORT"
check_status 200 "the short draft is deleted"

sleep 1
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH2\", \"lines\": [$(line "$P4" 1)]}"
R_LOC=$(id_of)
act "$R_LOC" submit
check_status 200 "submit to a location that requires approval is 200"
check_json .status PENDING_APPROVAL "it still needs approval"
ws_set "$slug" --request-approval yes

# ---------------------------------------------------------------- pending approvals

sleep 1
api POST /stock-requests "{\"requestingLocationId\": \"$STORE\", \"fulfillingLocationId\": \"$WH\", \"priority\": \"URGENT\", \"lines\": [$(line "$P1" 2)]}" "$MGR"
check_status 201 "the approver creates a request of its own"
R_MGR=$(id_of)
act "$R_MGR" submit "" "$MGR"
check_json '[.status, .requestedBy] | join("|")' "PENDING_APPROVAL|apikey:$MGR_ID" "the approver's own request is PENDING_APPROVAL"
sleep 1
act "$R_LATE" submit
check_json .status PENDING_APPROVAL "the draft made earlier is submitted last"

api GET /stock-requests/pending-approvals "" "$MGR"
check_status 200 "GET /stock-requests/pending-approvals is 200"
check_json '[.items[].id] | join(" ")' "$R_LOC $R_LATE" \
	"the approver's list: the others' pending requests, oldest submission first (not its own)"
check_json .pagination.total 2 "two of them"
api GET /stock-requests/pending-approvals "" "$REQ"
check_json '[.items[].id] | join(" ")' "$R_MGR" "the requester's list has only the approver's request"
api GET "/stock-requests/pending-approvals?limit=1" "" "$MGR"
check_json '[(.items | map(.id) | join(" ")), .pagination.total, .pagination.totalPages] | map(tostring) | join("|")' "$R_LOC|2|2" \
	"limit=1: the oldest first, two pages"
api GET "/stock-requests/pending-approvals?limit=1&page=2" "" "$MGR"
check_json '[.items[].id] | join(" ")' "$R_LATE" "page 2 has the next"

# ---------------------------------------------------------------- idempotency

idem() {
	api_raw POST "$1" -H "Authorization: Bearer ${IDEM_TOKEN:-$REQ}" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $2" --data-binary "$3"
}
idem_body="{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"notes\": \"IDEM\", \"lines\": [$(line "$P3" 1)]}"
idem_before=$(requests_total)
idem /stock-requests sr-key-1 "$idem_body"
check_status 201 "a create with an Idempotency-Key is 201"
first=$BODY
R_IDEM=$(jq -r .id <<<"$first")
idem /stock-requests sr-key-1 "$idem_body"
check_status 201 "the retry answers the stored status"
check_eq "$BODY" "$first" "the retry answers the stored body"
check_header idempotent-replayed '^true' "the retry is marked Idempotent-Replayed"
check_eq "$(requests_total)" $((idem_before + 1)) "one request was created"
idem /stock-requests sr-key-1 "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P3" 2)]}"
check_status 422 "the same key with another body is 422"
idem "/stock-requests/$R_IDEM/submit" sr-key-2 '{}'
check_status 200 "a submit with an Idempotency-Key is 200"
first=$BODY
idem "/stock-requests/$R_IDEM/submit" sr-key-2 '{}'
check_status 200 "its retry is 200, not 409"
check_eq "$(jq -S 'del(.updatedAt)' <<<"$BODY")" "$(jq -S 'del(.updatedAt)' <<<"$first")" "and answers the same request"
check_json '[.history[] | select(.toStatus == "SUBMITTED")] | length' 1 "it was submitted once"
act "$R_IDEM" rollback
api DELETE "/stock-requests/$R_IDEM"
check_status 200 "the idempotent request is rolled back to DRAFT and deleted"

# ---------------------------------------------------------------- get across workspaces

api GET /stock-requests/sr_999999999
check_status 404 "an unknown request is 404"
missing_sr=$BODY
sr_get "$O_SR"
check_status 404 "another workspace's request is 404"
check_eq "$BODY" "$missing_sr" "it answers exactly as for an unknown request"
api PATCH "/stock-requests/$O_SR" '{"notes": "x"}'
check_status 404 "PATCH of another workspace's request is 404"
api DELETE "/stock-requests/$O_SR"
check_status 404 "DELETE of another workspace's request is 404"
act "$O_SR" submit
check_status 404 "submit of another workspace's request is 404"
act "$O_SR" approve '{}' "$MGR"
check_status 404 "approve of another workspace's request is 404"
act "$O_SR" reject '{"comment": "x"}' "$MGR"
check_status 404 "reject of another workspace's request is 404"
act "$O_SR" rollback
check_status 404 "rollback of another workspace's request is 404"
act "$O_SR" comment '{"comment": "x"}'
check_status 404 "a comment on another workspace's request is 404"
api GET "/stock-requests/$O_SR/lines"
check_status 404 "the lines of another workspace's request are 404"
api POST "/stock-requests/$O_SR/lines" "{\"lines\": [$(line "$P1" 1)]}"
check_status 404 "POST lines to another workspace's request is 404"
api GET "/stock-requests/$O_SR/status"
check_status 404 "the status of another workspace's request is 404"
to "$O_SR" CANCELLED
check_status 404 "POST status to another workspace's request is 404"
sr_get "$O_SR" "$TOKEN2"
check_json '[.status, .number] | join("|")' "DRAFT|SR-000001" "their request is untouched, numbered in its own workspace"

# ---------------------------------------------------------------- list

# Left now: MAIN RECEIVED, CANCEL CANCELLED, ZERO CANCELLED, REJ REJECTED,
# DRAFT DRAFT (overdue), LATE PENDING_APPROVAL, AUTO APPROVED, LOC
# PENDING_APPROVAL (to the pharmacy), MGR PENDING_APPROVAL (the approver's,
# from the store room). Created in that order except LATE (after DRAFT).
ALL_NEWEST="$R_MGR $R_LOC $R_AUTO $R_LATE $R_DRAFT $R_REJ $R_ZERO $R_CANCEL $R_MAIN"
api GET /stock-requests
check_status 200 "GET /stock-requests is 200"
check_true 'has("items") and has("pagination")' 'the list answers {"items": [...], "pagination": {...}}'
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages] | map(tostring) | join("|")' \
	"1|20|9|1" "nine requests, one page of 20"
check_json '[.items[].id] | join(" ")' "$ALL_NEWEST" "newest first"
check_true '.items | all((has("lines") or has("comments") or has("history")) | not)' "the entries have no lines, comments or history"
check_json ".items[] | select(.id == \"$R_MAIN\") | [.number, .status, .lineCount, .quantityRequested, .quantityApproved, .quantityIssued, .quantityReceived] | map(tostring) | join(\"|\")" \
	"$R_MAIN_NUMBER|RECEIVED|3|42|35|35|35" "an entry has its totals"
# list_ids QUERY: the ids the list answers, sorted (or "status N").
list_ids() {
	api GET "/stock-requests?$1"
	if [ "$STATUS" != 200 ]; then
		echo "status $STATUS"
		return
	fi
	jq -r '[.items[].id] | sort | join(" ")' <<<"$BODY"
}
check_eq "$(list_ids status=DRAFT)" "$R_DRAFT" "status=DRAFT"
check_eq "$(list_ids status=PENDING_APPROVAL,APPROVED)" "$(sorted "$R_LATE" "$R_AUTO" "$R_LOC" "$R_MGR")" "status=PENDING_APPROVAL,APPROVED"
check_eq "$(list_ids status=CANCELLED)" "$(sorted "$R_CANCEL" "$R_ZERO")" "status=CANCELLED"
check_eq "$(list_ids status=RECEIVED,REJECTED)" "$(sorted "$R_MAIN" "$R_REJ")" "status=RECEIVED,REJECTED"
check_eq "$(list_ids status=ISSUED)" "" "status=ISSUED: none"
api GET "/stock-requests?status=LOST"
check_status 400 "an unknown status is 400"
check_eq "$(list_ids "requestingLocationId=$STORE")" "$R_MGR" "requestingLocationId=store room"
check_eq "$(list_ids "fulfillingLocationId=$WH2")" "$R_LOC" "fulfillingLocationId=pharmacy"
check_eq "$(list_ids "requestingLocationId=$WARD&fulfillingLocationId=$WH&status=APPROVED")" "$R_AUTO" "both locations and a status"
check_eq "$(list_ids "requestedBy=apikey:$MGR_ID")" "$R_MGR" "requestedBy the approver"
check_eq "$(list_ids priority=HIGH)" "$R_MAIN" "priority=HIGH"
check_eq "$(list_ids priority=URGENT)" "$R_MGR" "priority=URGENT"
check_eq "$(list_ids priority=LOW)" "$R_DRAFT" "priority=LOW"
api GET "/stock-requests?priority=SOMETIME"
check_status 400 "an unknown priority is 400"
check_eq "$(list_ids "categoryId=$CAT_FLUIDS")" "$(sorted "$R_MAIN" "$R_CANCEL" "$R_ZERO" "$R_MGR")" "categoryId=Fluids: the requests with a saline line"
check_eq "$(list_ids "categoryId=$CAT_DRESS")" "$(sorted "$R_MAIN" "$R_REJ" "$R_DRAFT" "$R_LATE" "$R_AUTO")" "categoryId=Dressings"
check_eq "$(list_ids "search=$R_MAIN_NUMBER")" "$R_MAIN" "search by number"
check_eq "$(list_ids "search=saline%20first")" "$R_MAIN" "search by part of the notes"
check_eq "$(list_ids "search=saline%25first")" "" "search treats % as text, not as a wildcard"
check_eq "$(list_ids "search=no-such-thing")" "" "a search that matches nothing"
today=$(date -u +%F)
yesterday=$(date -u -d yesterday +%F)
check_eq "$(list_ids "fromDate=$today&toDate=$today")" "$(tr ' ' '\n' <<<"$ALL_NEWEST" | sort | paste -sd' ')" "fromDate and toDate today: all"
check_eq "$(list_ids "toDate=$yesterday")" "" "toDate yesterday: none"
api GET "/stock-requests?requestingLocationId=$O_WARD"
check_true "($STATUS == 404) or ($STATUS == 200 and .pagination.total == 0)" \
	"filtering by another workspace's location finds nothing (or is 404)"
api GET "/stock-requests?limit=4"
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages, (.items | length)] | map(tostring) | join("|")' \
	"1|4|9|3|4" "limit=4: page 1 of 3"
page1=$(jq -r '[.items[]?.id] | join(" ")' <<<"$BODY")
api GET "/stock-requests?limit=4&page=2"
page2=$(jq -r '[.items[]?.id] | join(" ")' <<<"$BODY")
api GET "/stock-requests?limit=4&page=3"
page3=$(jq -r '[.items[]?.id] | join(" ")' <<<"$BODY")
check_eq "$page1 $page2 $page3" "$ALL_NEWEST" "pages 1 to 3 hold every request once, newest first"
api GET "/stock-requests?limit=101"
check_true "($STATUS == 400) or ($STATUS == 200 and .pagination.pageSize <= 100)" "limit=101 is refused or capped at 100"
api GET /stock-requests "" "$TOKEN2"
check_json '[.items[].id] | join(" ")' "$O_SR" "the other workspace sees its own request only"

# ---------------------------------------------------------------- filters

api GET /stock-requests/filters
check_status 200 "GET /stock-requests/filters is 200"
check_json '.statuses | sort | join(",")' "APPROVED,CANCELLED,DRAFT,ISSUED,PENDING_APPROVAL,RECEIVED,REJECTED,SUBMITTED" "every status"
check_json '.priorities | sort | join(",")' "HIGH,LOW,NORMAL,URGENT" "every priority"
check_json '.locations | map(.id) | sort | join(" ")' "$(sorted "$WH" "$WARD" "$STORE" "$WH2")" "the locations on the requests"
check_json ".locations[] | select(.id == \"$WARD\") | [.code, .name] | join(\"|\")" "WARD3|Ward 3" "with code and name"
check_json '.requesters | sort | join(" ")' "$(sorted "apikey:$REQ_ID" "apikey:$MGR_ID")" "the requesters"
check_json '.categories | map(select(.id != null) | "\(.id):\(.name)") | sort | join(" ")' "$(sorted "$CAT_FLUIDS:Fluids" "$CAT_DRESS:Dressings")" "the categories on the lines"
api GET /stock-requests/filters "" "$TOKEN2"
check_json '[(.locations | length), (.requesters | length), (.categories | map(select(.id != null)) | length)] | map(tostring) | join("|")' "2|1|0" \
	"the other workspace's filters hold its own values"

# ---------------------------------------------------------------- dashboard

# Quantities over the non-cancelled requests: approved MAIN 35 + AUTO 5 = 40;
# issued MAIN 35; requested MAIN 42, REJ 10, DRAFT 4, LATE 3, AUTO 5, LOC 1, MGR 2 = 67.
api GET /stock-requests/dashboard
check_status 200 "GET /stock-requests/dashboard is 200"
check_true ".fromDate <= \"$today\" and .toDate >= \"$today\"" "the default period holds today"
check_json '.countsByStatus | to_entries | map("\(.key)=\(.value)") | sort | join(" ")' \
	"APPROVED=1 CANCELLED=2 DRAFT=1 ISSUED=0 PENDING_APPROVAL=3 RECEIVED=1 REJECTED=1 SUBMITTED=0" "countsByStatus counts every status"
check_json .waitingForApproval 3 "three are waiting for approval"
check_json .overdue 1 "one is overdue: the draft needed by 2020-01-15"
check_true '.fillRate.issuedOfApproved - 35 / 40 | fabs < 0.01' "issuedOfApproved is 35 / 40"
check_true '.fillRate.approvedOfRequested - 40 / 67 | fabs < 0.01' "approvedOfRequested is 40 / 67"
check_true '.medianHoursSubmitToIssue | type == "number" and . >= 0 and . < 1' "medianHoursSubmitToIssue is the one issued request's few seconds"
check_json '.topProducts | map("\(.productMasterId):\(.name):\(.quantityRequested):\(.requestCount)") | join(" ")' \
	"$P2:Gauze roll:35:3 $P1:Saline 500ml:22:2 $P3:Nitrile gloves:7:2 $P4:Syringe 5ml:3:2" \
	"topProducts by quantity requested: gauze 20+10+5, saline 20+2, gloves 4+3, syringes 2+1"
api GET "/stock-requests/dashboard?locationId=$WH2"
check_status 200 "the dashboard of one location is 200"
check_json '[(.countsByStatus | add), .countsByStatus.PENDING_APPROVAL, .waitingForApproval, .overdue] | map(tostring) | join("|")' "1|1|1|0" \
	"the pharmacy has one request, pending"
check_json '[.fillRate.issuedOfApproved, .fillRate.approvedOfRequested] | map(tostring) | join("|")' "null|0" \
	"nothing approved there: issuedOfApproved null, approvedOfRequested 0"
check_json '.topProducts | map("\(.productMasterId):\(.quantityRequested)") | join(" ")' "$P4:1" "its top product is the syringe"
api GET "/stock-requests/dashboard?locationId=$STORE"
check_json '[(.countsByStatus | add), .waitingForApproval] | map(tostring) | join("|")' "1|1" "the store room asked once, pending"
api GET "/stock-requests/dashboard?fromDate=$yesterday&toDate=$yesterday"
check_status 200 "the dashboard of yesterday is 200"
check_json '[(.countsByStatus | add), (.topProducts | length), .fillRate.issuedOfApproved, .fillRate.approvedOfRequested, .medianHoursSubmitToIssue] | map(tostring) | join("|")' \
	"0|0|null|null|null" "no request yesterday: zero counts and null rates"
check_json '[.fromDate, .toDate] | join("|")' "$yesterday|$yesterday" "it echoes the period"
api GET "/stock-requests/dashboard?fromDate=last-week"
check_status 400 "a dashboard fromDate that is not a date is 400"
api GET "/stock-requests/dashboard?locationId=$O_WH"
check_status "404|200" "the dashboard of another workspace's location is 404 or empty"
if [ "$STATUS" = 200 ]; then
	check_json '.countsByStatus | add' 0 "and empty"
fi
api GET /stock-requests/dashboard "" "$TOKEN2"
check_json '[.countsByStatus.DRAFT, (.countsByStatus | add)] | map(tostring) | join("|")' "1|1" "the other workspace's dashboard counts its own draft"

# ---------------------------------------------------------------- by category

api GET /stock-requests/by-category
check_status 200 "GET /stock-requests/by-category is 200"
check_json ".items[] | select(.categoryId == \"$CAT_DRESS\") | [.categoryName, .requestCount, .lineCount, .quantityRequested, .quantityApproved, .quantityIssued] | map(tostring) | join(\"|\")" \
	"Dressings|5|5|42|20|15" "Dressings: 5 requests and lines, 42 requested (20+10+4+3+5), 20 approved, 15 issued"
check_json '.items[] | select(.categoryId == null) | [.requestCount, .lineCount, .quantityRequested, .quantityApproved, .quantityIssued] | map(tostring) | join("|")' \
	"2|2|3|0|0" "without category: the syringes, 2 requests, 3 requested, none approved"
check_json ".items[] | select(.categoryId == \"$CAT_FLUIDS\") | [.categoryName, .quantityIssued, (.requestCount >= 2), (.quantityRequested == 22 or .quantityRequested == 28)] | map(tostring) | join(\"|\")" \
	"Fluids|20|true|true" "Fluids: 20 issued (whether the cancelled requests count is the period's choice)"
api GET "/stock-requests/by-category?fromDate=$yesterday&toDate=$yesterday"
check_json '.items | map(.requestCount) | add // 0' 0 "nothing yesterday"

# ---------------------------------------------------------------- permissions

K_NONE=$(new_key "$slug" inventory.read,products.read,locations.read)
K_READ=$(new_key "$slug" stockrequests.read)
K_READP=$(new_key "$slug" stockrequests.read,products.read)
K_WRITE=$(new_key "$slug" stockrequests.read,stockrequests.write)
K_APPR=$(new_key "$slug" stockrequests.read,stockrequests.approve)
new_body="{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P3" 1)]}"
perm_before=$(requests_total)
api GET /stock-requests "" "$K_NONE"
check_status 403 "without stockrequests.read GET /stock-requests is 403"
api GET "/stock-requests/$R_MAIN" "" "$K_NONE"
check_status 403 "without stockrequests.read GET one is 403"
for p in dashboard by-category filters "products/stocklist?locationId=$WARD" "$R_MAIN/lines" "$R_MAIN/status"; do
	api GET "/stock-requests/$p" "" "$K_NONE"
	check_status 403 "without stockrequests.read GET /stock-requests/${p%%\?*} is 403"
done
api GET "/stock-requests/products/search?q=SR-" "" "$K_NONE"
check_status 403 "products.read alone cannot search products for a request"
api GET "/stock-requests/products/search?q=SR-" "" "$K_READ"
check_status 403 "stockrequests.read without products.read cannot search"
api GET "/stock-requests/products/search?q=SR-" "" "$K_READP"
check_status 200 "stockrequests.read and products.read can search"
api POST /stock-requests "$new_body" "$K_READ"
check_status 403 "stockrequests.read cannot create"
api PATCH "/stock-requests/$R_DRAFT" '{"notes": "x"}' "$K_READ"
check_status 403 "stockrequests.read cannot PATCH"
api DELETE "/stock-requests/$R_DRAFT" "" "$K_READ"
check_status 403 "stockrequests.read cannot DELETE"
for a in submit rollback comment lines status; do
	act "$R_DRAFT" "$a" '{"comment": "x", "status": "SUBMITTED", "lines": []}' "$K_READ"
	check_status 403 "stockrequests.read cannot POST .../$a"
done
api GET /stock-requests "" "$K_READ"
check_status 200 "stockrequests.read can list"
api GET "/stock-requests/$R_MAIN" "" "$K_READ"
check_status 200 "stockrequests.read can GET a request"
api GET /stock-requests/dashboard "" "$K_READ"
check_status 200 "stockrequests.read can read the dashboard"
api GET /stock-requests/pending-approvals "" "$K_READ"
check_status 403 "stockrequests.read cannot list pending approvals"
api GET /stock-requests/pending-approvals "" "$K_WRITE"
check_status 403 "stockrequests.write cannot list pending approvals"
api GET /stock-requests/pending-approvals "" "$K_APPR"
check_status 200 "stockrequests.approve can list pending approvals"
act "$R_LATE" approve '{}' "$K_WRITE"
check_status 403 "stockrequests.write cannot approve"
act "$R_LATE" reject '{"comment": "x"}' "$K_WRITE"
check_status 403 "stockrequests.write cannot reject"
to "$R_LATE" APPROVED "" "$K_WRITE"
check_status 403 "stockrequests.write cannot approve through POST .../status"
to "$R_LATE" REJECTED '"comment": "x"' "$K_WRITE"
check_status 403 "stockrequests.write cannot reject through POST .../status"
act "$R_LATE" approve '{}' "$K_READ"
check_status 403 "stockrequests.read cannot approve"
api POST /stock-requests "$new_body" "$K_APPR"
check_status 403 "stockrequests.approve alone cannot create"
check_eq "$(sr_status "$R_LATE") $(sr_status "$R_DRAFT")" "PENDING_APPROVAL DRAFT" "the refused calls changed nothing"
check_eq "$(requests_total)" "$perm_before" "and created nothing"
api GET /stock-requests "" -
check_status 401 "no credentials is 401"
# The approve-only key approves another's request; the subject is the key's.
act "$R_LATE" approve '{}' "$K_APPR"
check_status 200 "stockrequests.approve alone can approve"
check_eq "$(q "$I_GLOVES")" "20 3 17" "the 3 gloves are reserved"
to "$R_LATE" PENDING_APPROVAL "" "$K_WRITE"
check_status 200 "stockrequests.write can roll the approval back through POST .../status"
check_json '[.status, .transferId] | map(tostring) | join("|")' "PENDING_APPROVAL|null" "it is PENDING_APPROVAL again, without a transfer"
check_eq "$(q "$I_GLOVES")" "20 0 20" "and the reservation is released"

# ---------------------------------------------------------------- a draft that once had a transfer

# Last, as it adds a request to the workspace when its DELETE fails.
create "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [$(line "$P3" 1)]}"
R_IDEM=$(id_of)
act "$R_IDEM" submit
IDEM_TOKEN=$MGR idem "/stock-requests/$R_IDEM/approve" sr-key-3 '{"comment": "once"}'
check_status 200 "an approval with an Idempotency-Key is 200"
first=$BODY
IDEM_TOKEN=$MGR idem "/stock-requests/$R_IDEM/approve" sr-key-3 '{"comment": "once"}'
check_status 200 "its retry is 200, not 409"
check_eq "$(jq -S 'del(.updatedAt)' <<<"$BODY")" "$(jq -S 'del(.updatedAt)' <<<"$first")" "and answers the same request"
check_eq "$(q "$I_GLOVES")" "20 1 19" "the glove is reserved once"
act "$R_IDEM" rollback
act "$R_IDEM" rollback
check_json '[.status, .transferId] | map(tostring) | join("|")' "DRAFT|null" "rolled back twice, it is a DRAFT without transfer"
check_eq "$(q "$I_GLOVES")" "20 0 20" "its reservation is released"
api DELETE "/stock-requests/$R_IDEM"
check_status 200 "a DRAFT whose approval was rolled back (its cancelled transfer remains) can be deleted"
sr_get "$R_IDEM"
check_status 404 "it is gone"

# ---------------------------------------------------------------- ledger

check_eq "$(q "$I_GAUZE") / $(q "$I_EARLY") / $(q "$I_LATE")" "35 5 30 / 0 0 0 / 16 0 16" \
	"the warehouse ends with the approved gauze request's 5 reserved"
api GET "/inventory?limit=100"
check_eq "$(jq '[.items[] | select(.quantityAvailable < 0 or .quantityReserved < 0 or .quantityReserved > .quantityOnHand or .quantityOnHand < 0)] | length' <<<"$BODY")" 0 \
	"no stock line is negative or over-reserved"
if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "inventoryctl ledger verify finds no mismatch"
else
	fail "inventoryctl ledger verify finds no mismatch" "$out"
fi

done_testing
