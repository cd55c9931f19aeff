#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Typed stock adjustments with manager approval (seed 004): POST/GET
# /api/inventory/adjustments/stock, GET .../stock/{id}, GET
# /api/inventory/adjustments/pending, POST .../stock/{id}/approve and
# .../reject, GET /api/products/{id}/adjustments. Sign rules, the approval
# thresholds (quantity, cost, THEFT), the manager role, the four-eyes rule,
# approvals the stock no longer allows, filters, paging and workspaces.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t120.XXXXXX")
ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
PERMS=inventory.read,inventory.adjust,products.read,locations.read

# key_and_id SLUG PERMS [ROLES]: sets KEY and KEY_ID (key_N).
key_and_id() {
	local out
	local -a args=(apikey create --workspace "$1" --permissions "$2" --name t120)
	[ -n "${3:-}" ] && args+=(--roles "$3")
	out=$(ctl "${args[@]}")
	KEY=$(sed -n 's/^key: *//p' <<<"$out")
	KEY_ID=$(sed -n 's/^id: *//p' <<<"$out")
}

slug=$(uniq_slug stockadj)
new_workspace "$slug" >/dev/null
key_and_id "$slug" "$PERMS"
MEMBER=$KEY MEMBER_ID=$KEY_ID
key_and_id "$slug" "$PERMS" manager
MANAGER=$KEY MANAGER_ID=$KEY_ID
MGR_A=$(ctl token --workspace "$slug" --user mgr-a --permissions "$PERMS" --roles manager)
MGR_B=$(ctl token --workspace "$slug" --user mgr-b --permissions "$PERMS" --roles manager)
TOKEN=$MEMBER

slug2=$(uniq_slug stockadj-other)
new_workspace "$slug2" >/dev/null
OTHER=$(new_key "$slug2" "$PERMS" manager)

cat >"$WORK/products.csv" <<'EOF'
globalSku,name,unitCost,lotControlled,expiryTracked
SA-A,Cheap widget,2,false,false
SA-B,Expensive gadget,100,false,false
SA-C,Lotted serum,1.5,true,true
EOF
printf 'code,name,type\nMAIN,Main Warehouse,WAREHOUSE\nSHOP,Corner Store,STORE\n' >"$WORK/locations.csv"
printf 'locationCode,name\nMAIN,A-1\nSHOP,S-1\n' >"$WORK/bins.csv"
printf 'globalSku,lotNumber,expiryDate,status\nSA-C,LOT-1,2031-12-31,ACTIVE\nSA-A,LOT-A,2031-12-31,ACTIVE\n' \
	>"$WORK/lots.csv"
cat >"$WORK/stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
SA-A,MAIN,,,1000
SA-B,MAIN,,,20
SA-C,MAIN,LOT-1,A-1,30
EOF
import_csv products "$WORK/products.csv" "$slug" "import products"
import_csv locations "$WORK/locations.csv" "$slug" "import locations"
import_csv bins "$WORK/bins.csv" "$slug" "import bins"
import_csv lots "$WORK/lots.csv" "$slug" "import lots"
import_csv stock "$WORK/stock.csv" "$slug" "import stock"
printf 'globalSku,name,unitCost\nSA-X,Theirs,1\n' >"$WORK/other_products.csv"
printf 'code,name,type\nTHEIRS,Their store,STORE\n' >"$WORK/other_locations.csv"
printf 'globalSku,locationCode,lotNumber,binName,quantityOnHand\nSA-X,THEIRS,,,10\n' >"$WORK/other_stock.csv"
import_csv products "$WORK/other_products.csv" "$slug2" "import the other workspace's product"
import_csv locations "$WORK/other_locations.csv" "$slug2" "import the other workspace's location"
import_csv stock "$WORK/other_stock.csv" "$slug2" "import the other workspace's stock"

# Ids of the imported objects, read back through the API.
api GET "/inventory?limit=100"
ITEM_A=$(jq -r '.items[] | select(.globalSku == "SA-A") | .id' <<<"$BODY")
ITEM_B=$(jq -r '.items[] | select(.globalSku == "SA-B") | .id' <<<"$BODY")
ITEM_C=$(jq -r '.items[] | select(.globalSku == "SA-C") | .id' <<<"$BODY")
PA=$(jq -r '.items[] | select(.globalSku == "SA-A") | .productMasterId' <<<"$BODY")
PB=$(jq -r '.items[] | select(.globalSku == "SA-B") | .productMasterId' <<<"$BODY")
PC=$(jq -r '.items[] | select(.globalSku == "SA-C") | .productMasterId' <<<"$BODY")
MAIN=$(jq -r '.items[] | select(.globalSku == "SA-A") | .locationId' <<<"$BODY")
LOT1=$(jq -r '.items[] | select(.globalSku == "SA-C") | .lotId' <<<"$BODY")
BIN1=$(jq -r '.items[] | select(.globalSku == "SA-C") | .binId' <<<"$BODY")
check_eq "$(printf '%s ' "$ITEM_A" "$ITEM_B" "$ITEM_C" "$PA" "$PB" "$PC" "$MAIN" "$LOT1" "$BIN1" |
	grep -cE '^item_[0-9]+ item_[0-9]+ item_[0-9]+ prod_[0-9]+ prod_[0-9]+ prod_[0-9]+ loc_[0-9]+ lot_[0-9]+ bin_[0-9]+ $')" 1 \
	"setup: three stock lines with product, location, lot and bin ids"
api GET /locations
SHOP=$(jq -r '(.items // .data // .)[] | select(.code == "SHOP") | .id' <<<"$BODY")
api GET "/locations/$SHOP/bins"
BIN_SHOP=$(jq -r '(.items // .data // .)[] | select(.name == "S-1") | .id' <<<"$BODY")
LOT_A=$(sql "SELECT CONCAT('lot_', id) FROM lots WHERE lot_number = 'LOT-A' AND workspace_id =
	(SELECT id FROM workspaces WHERE slug = '$slug')")
api GET /inventory "" "$OTHER"
OTHER_ITEM=$(jq -r '.items[0].id' <<<"$BODY")
OTHER_PROD=$(jq -r '.items[0].productMasterId' <<<"$BODY")
OTHER_LOC=$(jq -r '.items[0].locationId' <<<"$BODY")
check_true '.items[0].id | startswith("item_")' "setup: the other workspace has a stock line"

# on_hand ITEM: the item's quantityOnHand from GET /inventory.
on_hand() {
	local saved_status=$STATUS saved_body=$BODY q
	api GET "/inventory?limit=100" "" "$MEMBER"
	q=$(jq -r --arg id "$1" '.items[] | select(.id == $id) | .quantityOnHand' <<<"$BODY")
	STATUS=$saved_status BODY=$saved_body
	printf '%s\n' "${q:-none}"
}

# adjust JSON [TOKEN]: POST /inventory/adjustments/stock.
adjust() {
	api POST /inventory/adjustments/stock "$1" "${2:-$TOKEN}"
}

# ------------------------------------------------------------ auto-applied

adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -5, \"inventoryItemId\": \"$ITEM_A\",
	\"reason\": \"Crushed in transit\", \"notes\": \"Pallet 7\", \"referenceNumber\": \"DMG-2024-001\"}"
check_status 201 "a small DAMAGE adjustment is 201"
ADJ1=$(jq -r .id <<<"$BODY")
check_true '.id | test("^adj_[0-9]+$")' "the adjustment id is adj_N"
check_json '[.type, .quantityChange, .inventoryItemId, .productMasterId, .locationId, .lotId, .binId] | map(tostring) | join("|")' \
	"DAMAGE|-5|$ITEM_A|$PA|$MAIN|null|null" "type, change and the stock line are answered"
check_json '[.reason, .notes, .referenceNumber] | join("|")' "Crushed in transit|Pallet 7|DMG-2024-001" \
	"reason, notes and reference number are stored"
check_json '[.unitCost, .costImpact] | map(tostring) | join("|")' "2|-10" \
	"unitCost is the product's cost and costImpact the change times it"
check_json '[.status, .requiresApproval, .approved, .approvedBy, .approvedAt] | map(tostring) | join("|")' \
	"APPLIED|false|true|null|null" "below the thresholds it is APPLIED at once, without an approver"
check_json .createdBy "apikey:$MEMBER_ID" "createdBy is the API key's subject"
check_true "(.createdAt | test(\"$ISO_RE\")) and (.updatedAt | test(\"$ISO_RE\"))" \
	"createdAt and updatedAt are ISO 8601"
check_json '[.quantityBefore, .quantityAfter] | map(tostring) | join("|")' "1000|995" \
	"quantityBefore and quantityAfter come from the ledger"
check_true '.transactionId | test("^txn_[0-9]+$")' "the ledger transaction is recorded"
TXN1=$(jq -r .transactionId <<<"$BODY")
check_eq "$(on_hand "$ITEM_A")" 995 "GET /inventory shows on hand lowered by 5"
check_eq "$(sql "SELECT transaction_type, delta_on_hand, reference_type, reference_id, actor, comment
	FROM stock_transactions WHERE id = ${TXN1#txn_}")" \
	"$(printf 'STOCK_ADJUSTMENT\t-5\tSTOCK_ADJUSTMENT\t%s\tapikey:%s\tCrushed in transit' "$ADJ1" "$MEMBER_ID")" \
	"the ledger holds a STOCK_ADJUSTMENT transaction referring to the adjustment"
api GET "/inventory/adjustments?inventoryItemId=$ITEM_A"
if [ "$STATUS" = 200 ]; then
	check_true "[.. | strings | select(. == \"STOCK_ADJUSTMENT\")] | length >= 1" \
		"GET /inventory/adjustments lists the STOCK_ADJUSTMENT transaction"
else
	pass "GET /inventory/adjustments is not available ($STATUS) # SKIP"
fi

adjust "{\"type\": \"FOUND\", \"quantityChange\": 3, \"productMasterId\": \"$PA\", \"locationId\": \"$MAIN\",
	\"reason\": \"Found behind the shelf\"}"
check_status 201 "FOUND by product and location is 201"
check_json '[.inventoryItemId, .status, .costImpact, .notes, .referenceNumber] | map(tostring) | join("|")' \
	"$ITEM_A|APPLIED|6|null|null" "it finds the existing stock line; absent notes are null"
check_eq "$(on_hand "$ITEM_A")" 998 "on hand rose by 3"

adjust "{\"type\": \"RETURN\", \"quantityChange\": 4, \"productMasterId\": \"$PA\", \"locationId\": \"$SHOP\",
	\"binId\": \"$BIN_SHOP\", \"reason\": \"Customer return\"}"
check_status 201 "RETURN to a product, location and bin without stock is 201"
ITEM_SHOP=$(jq -r .inventoryItemId <<<"$BODY")
check_json '[.locationId, .binId, .lotId, .status] | map(tostring) | join("|")' "$SHOP|$BIN_SHOP|null|APPLIED" \
	"the new stock line is at the location and bin"
check_eq "$(on_hand "$ITEM_SHOP")" 4 "an increase creates the missing stock line with its quantity"

adjust "{\"type\": \"EXPIRED\", \"quantityChange\": -2, \"productMasterId\": \"$PC\", \"locationId\": \"$MAIN\",
	\"lotId\": \"$LOT1\", \"binId\": \"$BIN1\", \"reason\": \"Past expiry\"}"
check_status 201 "EXPIRED by product, location, lot and bin is 201"
check_json '[.inventoryItemId, .lotId, .binId, .costImpact] | map(tostring) | join("|")' "$ITEM_C|$LOT1|$BIN1|-3" \
	"it resolves the lot and bin line; costImpact keeps decimals (-2 x 1.5)"
check_eq "$(on_hand "$ITEM_C")" 28 "on hand of the lot line fell by 2"

adjust "{\"type\": \"CORRECTION\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_C\", \"reason\": \"Miscount\"}"
check_status 201 "CORRECTION may decrease"
adjust "{\"type\": \"CORRECTION\", \"quantityChange\": 1, \"inventoryItemId\": \"$ITEM_C\", \"reason\": \"Miscount\"}"
check_status 201 "CORRECTION may increase"
check_eq "$(on_hand "$ITEM_C")" 28 "the two corrections cancel out"

# Boundaries: exactly 50 units and exactly 500 of cost apply without approval.
adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -50, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"Flood\"}"
check_json '[.status, .requiresApproval] | map(tostring) | join("|")' "APPLIED|false" \
	"a change of exactly 50 units needs no approval"
adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -5, \"inventoryItemId\": \"$ITEM_B\", \"reason\": \"Dropped\"}"
check_json '[.status, .costImpact] | map(tostring) | join("|")' "APPLIED|-500" \
	"a cost impact of exactly 500 needs no approval"
check_eq "$(on_hand "$ITEM_A") $(on_hand "$ITEM_B")" "948 15" "both were applied"

# --------------------------------------------------------------- errors

# expect_400 BODY FIELD MESSAGE_REGEX DESC
expect_400() {
	adjust "$1"
	check_status 400 "$4 is 400"
	if [ "$CHECK_OK" = 1 ]; then
		check_true "(.details[0].field == \"$2\") and (.details[0].message | test(\"$3\"))" \
			"$4 names $2 and says why"
	fi
}
expect_400 "{\"type\": \"DAMAGE\", \"quantityChange\": 5, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "negative.*DAMAGE" "a positive DAMAGE"
expect_400 "{\"type\": \"THEFT\", \"quantityChange\": 1, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "negative.*THEFT" "a positive THEFT"
expect_400 "{\"type\": \"EXPIRED\", \"quantityChange\": 1, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "negative.*EXPIRED" "a positive EXPIRED"
expect_400 "{\"type\": \"FOUND\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "positive.*FOUND" "a negative FOUND"
expect_400 "{\"type\": \"RETURN\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "positive.*RETURN" "a negative RETURN"
expect_400 "{\"type\": \"CORRECTION\", \"quantityChange\": 0, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "must not be 0" "a change of 0"
expect_400 '{"type": "DAMAGE", "quantityChange": -1, "reason": "x"}' \
	inventoryItemId "productMasterId" "no stock line at all"
expect_400 "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"productMasterId\": \"$PA\", \"reason\": \"x\"}" \
	locationId "required" "a product without a location"
expect_400 "{\"type\": \"LOSS\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	type "" "an unknown type"
expect_400 "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_A\"}" \
	reason "required" "a missing reason"
expect_400 "{\"type\": \"DAMAGE\", \"quantityChange\": -1.5, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"x\"}" \
	quantityChange "" "a fractional quantity"

# expect_404 BODY ERROR DESC
expect_404() {
	adjust "$1"
	check_status 404 "$3 is 404"
	check_json .error "$2" "$3 says $2"
}
expect_404 "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"inventoryItemId\": \"item_999999999\", \"reason\": \"x\"}" \
	"Inventory item not found" "an unknown inventory item"
expect_404 "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"inventoryItemId\": \"$OTHER_ITEM\", \"reason\": \"x\"}" \
	"Inventory item not found" "another workspace's inventory item"
expect_404 "{\"type\": \"FOUND\", \"quantityChange\": 1, \"productMasterId\": \"$OTHER_PROD\", \"locationId\": \"$MAIN\", \"reason\": \"x\"}" \
	"Product or location not found" "another workspace's product"
expect_404 "{\"type\": \"FOUND\", \"quantityChange\": 1, \"productMasterId\": \"$PA\", \"locationId\": \"$OTHER_LOC\", \"reason\": \"x\"}" \
	"Product or location not found" "another workspace's location"
expect_404 "{\"type\": \"FOUND\", \"quantityChange\": 1, \"productMasterId\": \"$PA\", \"locationId\": \"$MAIN\", \"lotId\": \"$LOT1\", \"reason\": \"x\"}" \
	"Lot not found" "a lot of another product"
expect_404 "{\"type\": \"FOUND\", \"quantityChange\": 1, \"productMasterId\": \"$PA\", \"locationId\": \"$MAIN\", \"binId\": \"$BIN_SHOP\", \"reason\": \"x\"}" \
	"Bin not found" "a bin of another location"
expect_404 "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"productMasterId\": \"$PB\", \"locationId\": \"$SHOP\", \"reason\": \"x\"}" \
	"Inventory item not found" "a decrease where there is no stock line"
expect_404 "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"productMasterId\": \"$PA\", \"locationId\": \"$MAIN\", \"lotId\": \"$LOT_A\", \"reason\": \"x\"}" \
	"Inventory item not found" "a decrease of a lot that has no stock line"
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE product_id = ${PB#prod_} AND location_id = ${SHOP#loc_}")" 0 \
	"a refused decrease creates no stock line"

count_adjustments() {
	sql "SELECT COUNT(*) FROM stock_adjustments WHERE workspace_id = (SELECT id FROM workspaces WHERE slug = '$slug')"
}
before=$(count_adjustments)
adjust "{\"type\": \"CORRECTION\", \"quantityChange\": -29, \"inventoryItemId\": \"$ITEM_C\", \"reason\": \"Too many\"}"
check_status 409 "an auto-applied decrease below zero is 409"
check_json .error "Insufficient stock" "it says Insufficient stock"
check_eq "$(count_adjustments) $(on_hand "$ITEM_C")" "$before 28" "the refused adjustment leaves no row and no change"

# ---------------------------------------------------------------- approval

# expect_pending BODY DESC: the adjustment waits and changes nothing.
expect_pending() {
	local item=$3 q_before
	q_before=$(on_hand "$item")
	adjust "$1" "${4:-$TOKEN}"
	check_status 201 "$2 is 201"
	check_json '[.status, .requiresApproval, .approved, .transactionId, .approvedBy, .quantityBefore] | map(tostring) | join("|")' \
		"PENDING|true|false|null|null|null" "$2 is PENDING with no transaction"
	check_eq "$(on_hand "$item")" "$q_before" "$2 changes no stock"
}
expect_pending "{\"type\": \"DAMAGE\", \"quantityChange\": -51, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"Forklift\"}" \
	"a change of 51 units" "$ITEM_A"
PEND_QTY=$(jq -r .id <<<"$BODY")
expect_pending "{\"type\": \"DAMAGE\", \"quantityChange\": -6, \"inventoryItemId\": \"$ITEM_B\", \"reason\": \"Water\"}" \
	"a cost impact of 600" "$ITEM_B"
PEND_COST=$(jq -r .id <<<"$BODY")
check_json .costImpact -600 "its costImpact is -600"
expect_pending "{\"type\": \"THEFT\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"Shoplifting\"}" \
	"any THEFT" "$ITEM_A"
PEND_THEFT=$(jq -r .id <<<"$BODY")
expect_pending "{\"type\": \"FOUND\", \"quantityChange\": 60, \"productMasterId\": \"$PB\", \"locationId\": \"$SHOP\", \"reason\": \"Audit\"}" \
	"a large increase at a new place" "$ITEM_B"
PEND_NEWLINE=$(jq -r .id <<<"$BODY")
check_json .inventoryItemId null "a pending increase by product names no stock line yet"
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE product_id = ${PB#prod_} AND location_id = ${SHOP#loc_}")" 0 \
	"and makes no empty stock line"

# The thresholds are the workspace's.
sql "UPDATE workspaces SET approval_quantity_threshold = 3, approval_cost_threshold = 10000 WHERE slug = '$slug'"
expect_pending "{\"type\": \"DAMAGE\", \"quantityChange\": -4, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"Low threshold\"}" \
	"4 units over a workspace threshold of 3" "$ITEM_A"
PEND_LOW=$(jq -r .id <<<"$BODY")
adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -3, \"inventoryItemId\": \"$ITEM_B\", \"reason\": \"High cost threshold\"}"
check_json '[.status, .costImpact] | map(tostring) | join("|")' "APPLIED|-300" \
	"a cost threshold of 10000 lets 300 through"
sql "UPDATE workspaces SET approval_quantity_threshold = 50, approval_cost_threshold = 500 WHERE slug = '$slug'"
check_eq "$(on_hand "$ITEM_B")" 12 "B is at 12"

# A member may not decide or see the queue.
api POST "/inventory/adjustments/stock/$PEND_QTY/approve" '{}' "$MEMBER"
check_status 403 "a member may not approve"
check_json .error Forbidden "it says Forbidden"
api POST "/inventory/adjustments/stock/$PEND_QTY/reject" '{}' "$MEMBER"
check_status 403 "a member may not reject"
api GET /inventory/adjustments/pending "" "$MEMBER"
check_status 403 "a member may not list pending approvals"
api GET "/inventory/adjustments/stock/$PEND_QTY" "" "$MEMBER"
check_json .status PENDING "after the refusals it is still PENDING"

api GET /inventory/adjustments/pending "" "$MANAGER"
check_status 200 "a manager lists pending approvals"
check_json "[.items[].id] | join(\" \")" "$PEND_QTY $PEND_COST $PEND_THEFT $PEND_NEWLINE $PEND_LOW" \
	"pending approvals are the PENDING ones, oldest first"
check_json '[.pagination.total, .pagination.page, .pagination.pageSize] | map(tostring) | join("|")' "5|1|20" \
	"with pagination"
api GET "/inventory/adjustments/pending?type=THEFT" "" "$MANAGER"
check_json "[.items[].id] | join(\" \")" "$PEND_THEFT" "pending approvals take the type filter"
api GET "/inventory/adjustments/pending?limit=2&page=3" "" "$MANAGER"
check_json "[(.items[].id), .pagination.totalPages] | map(tostring) | join(\" \")" "$PEND_LOW 3" \
	"pending approvals are paged"

api POST "/inventory/adjustments/stock/$PEND_QTY/approve" \
	'{"reason": "Checked the photos", "notes": "Pallet 7 crushed; photos in ticket 4411"}' "$MANAGER"
check_status 200 "a manager approves"
check_json .approvalNotes "Pallet 7 crushed; photos in ticket 4411" "the approval's notes (seed 004) are answered as approvalNotes"
check_json '[.id, .status, .approved, .approvedBy] | map(tostring) | join("|")' \
	"$PEND_QTY|APPLIED|true|apikey:$MANAGER_ID" "it is APPLIED and the approver recorded"
check_true "(.approvedAt | test(\"$ISO_RE\")) and (.transactionId | test(\"^txn_\"))" \
	"approvedAt and the transaction are recorded"
check_json '[.quantityBefore, .quantityAfter, .createdBy] | map(tostring) | join("|")' "948|897|apikey:$MEMBER_ID" \
	"the change is posted from the current stock; the creator stays"
check_eq "$(on_hand "$ITEM_A")" 897 "approval lowered on hand by 51"
TXN_APPROVED=$(jq -r .transactionId <<<"$BODY")
check_eq "$(sql "SELECT actor, reference_id, comment FROM stock_transactions WHERE id = ${TXN_APPROVED#txn_}")" \
	"$(printf 'apikey:%s\t%s\tForklift (approval: Checked the photos)' "$MANAGER_ID" "$PEND_QTY")" \
	"the transaction's actor is the approver and its comment keeps the approval note"

api GET "/inventory/adjustments/stock/$PEND_QTY" "" "$MANAGER"
check_json '.approvalNotes' "Pallet 7 crushed; photos in ticket 4411" "they are stored: GET answers them"
api POST "/inventory/adjustments/stock/$PEND_QTY/approve" '{}' "$MANAGER"
check_status 409 "approving twice is 409"
check_json '[.error, .message] | join("|")' "Conflict|adjustment is APPLIED, not PENDING" "it says why"
api POST "/inventory/adjustments/stock/$PEND_QTY/reject" '{}' "$MANAGER"
check_status 409 "rejecting an applied adjustment is 409"
check_eq "$(on_hand "$ITEM_A")" 897 "nothing changed twice"
api POST "/inventory/adjustments/stock/$ADJ1/approve" '{}' "$MANAGER"
check_json .message "adjustment is APPLIED, not PENDING" "an auto-applied adjustment cannot be approved"

api POST "/inventory/adjustments/stock/$PEND_THEFT/reject" '{"reason": "Found on camera: miscount"}' "$MANAGER"
check_status 200 "a manager rejects"
check_json '[.status, .approved, .rejectedBy, .rejectionReason, .transactionId] | map(tostring) | join("|")' \
	"REJECTED|false|apikey:$MANAGER_ID|Found on camera: miscount|null" "it is REJECTED with who and why"
check_true ".rejectedAt | test(\"$ISO_RE\")" "rejectedAt is recorded"
check_eq "$(on_hand "$ITEM_A")" 897 "rejection changes no stock"
api POST "/inventory/adjustments/stock/$PEND_THEFT/approve" '{}' "$MANAGER"
check_status 409 "a rejected adjustment cannot be approved"
check_json .message "adjustment is REJECTED, not PENDING" "it says it is REJECTED"
api POST "/inventory/adjustments/stock/$PEND_LOW/reject" '{}' "$MANAGER"
check_json '[.status, .rejectionReason] | map(tostring) | join("|")' "REJECTED|null" "a reason is optional"

# Four eyes: the creator cannot approve, another manager can.
expect_pending "{\"type\": \"THEFT\", \"quantityChange\": -2, \"inventoryItemId\": \"$ITEM_A\", \"reason\": \"Break-in\"}" \
	"a manager's THEFT" "$ITEM_A" "$MGR_A"
PEND_A=$(jq -r .id <<<"$BODY")
check_json .createdBy mgr-a "createdBy is the token's user"
api POST "/inventory/adjustments/stock/$PEND_A/approve" '{}' "$MGR_A"
check_status 403 "the creator may not approve their own adjustment"
check_json '[.error, .message] | join("|")' "Forbidden|an adjustment cannot be approved by its creator" \
	"it says why"
check_eq "$(on_hand "$ITEM_A")" 897 "the refused approval changed nothing"
api POST "/inventory/adjustments/stock/$PEND_A/approve" '{}' "$MGR_B"
check_status 200 "another manager approves it"
check_json '[.status, .createdBy, .approvedBy] | join("|")' "APPLIED|mgr-a|mgr-b" "creator and approver differ"
check_eq "$(on_hand "$ITEM_A")" 895 "the theft is now on the books"

# A pending decrease the stock no longer allows stays pending.
adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -5, \"inventoryItemId\": \"$ITEM_B\", \"reason\": \"More water\"}"
check_json .status APPLIED "B drops to 7 meanwhile"
api POST "/inventory/adjustments/stock/$PEND_COST/approve" '{}' "$MANAGER"
check_json .status APPLIED "approving -6 of B's 7 works"
sql "UPDATE workspaces SET approval_quantity_threshold = 0 WHERE slug = '$slug'"
expect_pending "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_B\", \"reason\": \"Last one\"}" \
	"a DAMAGE under a 0 quantity threshold" "$ITEM_B"
PEND_LAST=$(jq -r .id <<<"$BODY")
sql "UPDATE workspaces SET approval_quantity_threshold = 50 WHERE slug = '$slug'"
adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -1, \"inventoryItemId\": \"$ITEM_B\", \"reason\": \"Gone\"}"
check_json .status APPLIED "the last unit of B goes meanwhile"
api POST "/inventory/adjustments/stock/$PEND_LAST/approve" '{}' "$MANAGER"
check_status 409 "approving a decrease beyond the stock is 409"
check_json .error "Insufficient stock" "it says Insufficient stock"
api GET "/inventory/adjustments/stock/$PEND_LAST"
check_json '[.status, .approvedBy, .transactionId] | map(tostring) | join("|")' "PENDING|null|null" \
	"the refused approval leaves it PENDING"
check_eq "$(on_hand "$ITEM_B")" 0 "B stays at 0"

api POST "/inventory/adjustments/stock/$PEND_NEWLINE/approve" '{}' "$MANAGER"
check_json '[.status, .quantityAfter] | map(tostring) | join("|")' "APPLIED|60" \
	"an approved increase fills its new stock line"

# --------------------------------------------------- reading and 404s

api GET "/inventory/adjustments/stock/$ADJ1"
check_status 200 "GET /inventory/adjustments/stock/{id} is 200"
check_json '[.id, .type, .quantityChange, .referenceNumber, .transactionId] | map(tostring) | join("|")' \
	"$ADJ1|DAMAGE|-5|DMG-2024-001|$TXN1" "it answers the stored adjustment"
api GET /inventory/adjustments/stock/adj_999999999
check_status 404 "an unknown adjustment is 404"
check_json .error "Stock adjustment not found" "it says Stock adjustment not found"
missing=$BODY
api GET "/inventory/adjustments/stock/$ADJ1" "" "$OTHER"
check_status 404 "another workspace's adjustment is 404"
check_eq "$BODY" "$missing" "exactly like a missing one"
api POST "/inventory/adjustments/stock/$PEND_LAST/approve" '{}' "$OTHER"
check_status 404 "another workspace's manager cannot approve it"
api POST "/inventory/adjustments/stock/$PEND_LAST/reject" '{}' "$OTHER"
check_status 404 "nor reject it"
api POST /inventory/adjustments/stock/adj_999999999/reject '{}' "$MANAGER"
check_status 404 "rejecting an unknown adjustment is 404"
api GET /inventory/adjustments/stock "" "$OTHER"
check_json .pagination.total 0 "the other workspace sees none of them"

# ---------------------------------------------------------------- lists

for i in 1 2 3 4 5; do
	adjust "{\"type\": \"FOUND\", \"quantityChange\": 1, \"inventoryItemId\": \"$ITEM_C\", \"reason\": \"Paging $i\"}"
done
check_eq "$(on_hand "$ITEM_C")" 33 "five more small adjustments for paging"
TOTAL=$(count_adjustments)
check_eq "$TOTAL" 23 "the workspace has 23 adjustments"
api GET /inventory/adjustments/stock
check_status 200 "GET /inventory/adjustments/stock is 200"
check_json .pagination.total "$TOTAL" "it counts every adjustment of the workspace"
check_true '[.items[].id | ltrimstr("adj_") | tonumber] | . == (sort | reverse)' "newest first"
check_json '.items | length' 20 "20 per page by default"
api GET "/inventory/adjustments/stock?limit=3&page=2"
check_json '[(.items | length), .pagination.page, .pagination.pageSize, .pagination.totalPages] | map(tostring) | join("|")' \
	"3|2|3|$(((TOTAL + 2) / 3))" "limit and page"
api GET "/inventory/adjustments/stock?limit=1000"
check_json .pagination.pageSize 100 "limit is capped at 100"
check_json '.items | length' "$TOTAL" "so every adjustment fits"
api GET "/inventory/adjustments/stock?limit=0"
check_status 400 "limit=0 is 400"

api GET "/inventory/adjustments/stock?status=REJECTED"
check_json "[.items[].id] | join(\" \")" "$PEND_LOW $PEND_THEFT" "status filter"
api GET "/inventory/adjustments/stock?status=PENDING"
check_json "[.items[].id] | join(\" \")" "$PEND_LAST" "only one is still pending"
api GET "/inventory/adjustments/stock?type=THEFT"
check_json "[.items[].id] | join(\" \")" "$PEND_A $PEND_THEFT" "type filter"
api GET "/inventory/adjustments/stock?locationId=$SHOP"
check_json "([.items[].locationId] | unique | join(\" \")) + \" \" + (.pagination.total | tostring)" "$SHOP 2" \
	"location filter"
api GET "/inventory/adjustments/stock?productMasterId=$PC&type=CORRECTION"
check_json '[.items[].quantityChange] | map(tostring) | join(" ")' "1 -1" "filters combine"
api GET "/inventory/adjustments/stock?status=DONE"
check_status 400 "an unknown status is 400"
api GET "/inventory/adjustments/stock?productMasterId=nope"
check_status 400 "a malformed product id is 400"

today=$(sql "SELECT DATE_FORMAT(UTC_DATE(), '%Y-%m-%d')")
yesterday=$(sql "SELECT DATE_FORMAT(UTC_DATE() - INTERVAL 1 DAY, '%Y-%m-%d')")
tomorrow=$(sql "SELECT DATE_FORMAT(UTC_DATE() + INTERVAL 1 DAY, '%Y-%m-%d')")
api GET "/inventory/adjustments/stock?startDate=$today&endDate=$today"
check_json .pagination.total "$TOTAL" "a date range of today (a whole day) holds them all"
api GET "/inventory/adjustments/stock?endDate=$yesterday"
check_json .pagination.total 0 "none before today"
api GET "/inventory/adjustments/stock?startDate=${tomorrow}T00:00:00Z"
check_json .pagination.total 0 "none from tomorrow on (ISO date-time)"
api GET "/inventory/adjustments/stock?endDate=${today}T00:30:00%2B14:00"
check_json .pagination.total 0 "a UTC offset is honoured (today 00:30 at +14:00 is yesterday 10:30 UTC)"
api GET "/inventory/adjustments/stock?startDate=${today}T00:00:00%2B02:00"
check_json .pagination.total "$TOTAL" "today 00:00 at +02:00 is before them all"
api GET "/inventory/adjustments/stock?endDate=${today}T23:59:59.999Z"
check_json .pagination.total "$TOTAL" "an ISO end date-time includes them"
api GET "/inventory/adjustments/stock?startDate=${today}T25:00:00Z"
check_status 400 "an impossible time is 400"
api GET "/inventory/adjustments/stock?startDate=yesterday"
check_status 400 "a date that is no date is 400"

api GET "/products/$PB/adjustments"
check_status 200 "GET /products/{id}/adjustments is 200"
B_COUNT=$(sql "SELECT COUNT(*) FROM stock_adjustments WHERE product_id = ${PB#prod_}")
check_json "[.pagination.total, (.items | length), (.items | map(.productMasterId) | unique | join(\",\"))] | map(tostring) | join(\"|\")" \
	"$B_COUNT|$B_COUNT|$PB" "it lists that product's adjustments only"
check_true '[.items[].id | ltrimstr("adj_") | tonumber] | . == (sort | reverse)' "newest first"
api GET "/products/$PB/adjustments?status=PENDING"
check_json "[.items[].id] | join(\" \")" "$PEND_LAST" "with the same filters"
api GET "/products/$PB/adjustments?limit=2&page=2"
check_json '[(.items | length), .pagination.total] | map(tostring) | join("|")' "2|$B_COUNT" "and paging"
api GET "/products/$OTHER_PROD/adjustments"
check_status 404 "another workspace's product is 404"
check_json .error "Product not found" "it says Product not found"
api GET /products/prod_999999999/adjustments
check_status 404 "an unknown product is 404"
api GET /products/not-an-id/adjustments
check_status 404 "a malformed product id is 404"

# ---------------------------------------------------------------- ledger

if ctl ledger --help >/dev/null 2>&1; then
	if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
		pass "inventoryctl ledger verify finds no mismatch"
	else
		fail "inventoryctl ledger verify finds no mismatch" "$out"
	fi
else
	pass "inventoryctl ledger verify # SKIP not available"
fi

done_testing
