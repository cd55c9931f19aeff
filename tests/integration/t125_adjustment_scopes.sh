#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Typed stock adjustments by product (POST /api/inventory/adjustments/stock
# with productMasterId and locationId, optionally lotId and binId): they
# change the product's stock lines at the location, never an empty line
# made for them. Decreases are taken first expiry first out (lots without an
# expiry last, then by line id); increases go to the line named, the only
# line or the default line, else 422 with the candidate lines. A pending one
# is placed when approved; quantityBefore and quantityAfter are the
# product's total there.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t125.XXXXXX")
PERMS=inventory.read,inventory.adjust,products.read,locations.read

slug=$(uniq_slug adj-scopes)
new_workspace "$slug" >/dev/null
MEMBER=$(new_key "$slug" "$PERMS")
MANAGER=$(new_key "$slug" "$PERMS" manager)
TOKEN=$MEMBER
WS=$(sql "SELECT id FROM workspaces WHERE slug = '$slug'")

cat >"$WORK/products.csv" <<'EOF'
globalSku,name,unitCost,lotControlled,expiryTracked
AS-S,Seed case,1,false,false
AS-F,Lots,1,true,false
AS-T,Two bins,1,false,false
EOF
printf 'code,name,type\nMAIN,Main Warehouse,WAREHOUSE\n' >"$WORK/locations.csv"
printf 'locationCode,name\nMAIN,A-1\nMAIN,A-2\n' >"$WORK/bins.csv"
printf 'globalSku,lotNumber,expiryDate,status\nAS-F,LATE,2032-01-01,ACTIVE\nAS-F,NOEXP,,ACTIVE\nAS-F,EARLY,2030-01-01,ACTIVE\n' \
	>"$WORK/lots.csv"
# Line ids follow this order: the lot expiring last has the lowest id.
cat >"$WORK/stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
AS-S,MAIN,,A-1,287
AS-F,MAIN,LATE,A-1,10
AS-F,MAIN,NOEXP,A-1,10
AS-F,MAIN,EARLY,A-2,10
AS-T,MAIN,,A-1,40
AS-T,MAIN,,A-2,60
EOF
import_csv products "$WORK/products.csv" "$slug" "import products"
import_csv locations "$WORK/locations.csv" "$slug" "import locations"
import_csv bins "$WORK/bins.csv" "$slug" "import bins"
import_csv lots "$WORK/lots.csv" "$slug" "import lots"
import_csv stock "$WORK/stock.csv" "$slug" "import stock"

api GET "/inventory?limit=100"
# item SKU KEY: the line of SKU at MAIN whose lot number or bin name is KEY.
item() { jq -r --arg s "$1" --arg k "$2" 'first(.items[] | select(.globalSku == $s and ($k == .lotNumber or $k == .binName))) | .id' <<<"$BODY"; }
prod() { jq -r --arg s "$1" 'first(.items[] | select(.globalSku == $s)) | .productMasterId' <<<"$BODY"; }
ITEM_S=$(item AS-S A-1)
ITEM_LATE=$(item AS-F LATE)
ITEM_NOEXP=$(item AS-F NOEXP)
ITEM_EARLY=$(item AS-F EARLY)
ITEM_T1=$(item AS-T A-1)
ITEM_T2=$(item AS-T A-2)
PS=$(prod AS-S) PF=$(prod AS-F) PT=$(prod AS-T)
MAIN=$(jq -r 'first(.items[]) | .locationId' <<<"$BODY")
LOT_NOEXP=$(jq -r 'first(.items[] | select(.lotNumber == "NOEXP")) | .lotId' <<<"$BODY")
check_eq "$(printf '%s ' "$ITEM_S" "$ITEM_LATE" "$ITEM_NOEXP" "$ITEM_EARLY" "$ITEM_T1" "$ITEM_T2" "$PS" "$PF" "$PT" "$MAIN" "$LOT_NOEXP" |
	grep -cE '^(item_[0-9]+ ){6}(prod_[0-9]+ ){3}loc_[0-9]+ lot_[0-9]+ $')" 1 "setup: six stock lines of three products"

lines() { sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = $WS AND product_id = ${1#prod_}"; }
on_hand() { sql "SELECT qty_on_hand FROM stock_lines WHERE id = ${1#item_}"; }
adjust() { api POST /inventory/adjustments/stock "$1" "${2:-$TOKEN}"; }
adjustments() { sql "SELECT COUNT(*) FROM stock_adjustments WHERE workspace_id = $WS"; }

# ---------------------------------------------------------------- decreases

adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -7, \"productMasterId\": \"$PS\", \"locationId\": \"$MAIN\", \"reason\": \"Crushed\"}"
check_status 201 "a decrease by product whose only stock is in a bin is 201"
check_json '[.status, .inventoryItemId, .quantityBefore, .quantityAfter, .binId] | map(tostring) | join("|")' \
	"APPLIED|$ITEM_S|287|280|null" "it takes from the bin's line: 287 to 280"
check_eq "$(on_hand "$ITEM_S") $(lines "$PS")" "280 1" "the line holds 280 and no line was added"

adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -15, \"productMasterId\": \"$PF\", \"locationId\": \"$MAIN\", \"reason\": \"Leak\"}"
check_status 201 "a decrease by product over three lots is 201"
ADJ_F=$(jq -r .id <<<"$BODY")
check_json '[.status, .inventoryItemId, .lotId, .quantityChange, .quantityBefore, .quantityAfter] | map(tostring) | join("|")' \
	"APPLIED|null|null|-15|30|15" "it changed several lines: no single inventoryItemId, 30 to 15"
check_eq "$(on_hand "$ITEM_EARLY") $(on_hand "$ITEM_LATE") $(on_hand "$ITEM_NOEXP")" "0 5 10" \
	"first expiry first out: the earliest lot's 10, then 5 of the later one; the lot without expiry last"
check_eq "$(sql "SELECT GROUP_CONCAT(delta_on_hand ORDER BY id) FROM stock_transactions
	WHERE workspace_id = $WS AND reference_type = 'STOCK_ADJUSTMENT' AND reference_id = '$ADJ_F'")" "-10,-5" \
	"one ledger transaction per line, each referencing the adjustment"
check_json ".transactionId | test(\"^txn_[0-9]+$\")" true "transactionId is the first of them"

adjust "{\"type\": \"DAMAGE\", \"quantityChange\": -16, \"productMasterId\": \"$PF\", \"locationId\": \"$MAIN\", \"reason\": \"Too much\"}"
check_status 409 "a decrease beyond the product's total is 409"
check_json .error "Insufficient stock" "it says Insufficient stock"
check_eq "$(on_hand "$ITEM_EARLY") $(on_hand "$ITEM_LATE") $(on_hand "$ITEM_NOEXP")" "0 5 10" "nothing changed"

# ---------------------------------------------------------------- increases

before=$(adjustments)
adjust "{\"type\": \"FOUND\", \"quantityChange\": 5, \"productMasterId\": \"$PF\", \"locationId\": \"$MAIN\", \"reason\": \"Shelf\"}"
check_status 422 "an increase by product with three lines and no default line is 422"
check_json .error "Ambiguous stock line" "it says the stock line is ambiguous"
check_json '[.candidates[].inventoryItemId] | sort | join(",")' \
	"$(printf '%s\n' "$ITEM_LATE" "$ITEM_NOEXP" "$ITEM_EARLY" | sort | paste -sd,)" "it lists the three lines"
check_eq "$(adjustments) $(lines "$PF")" "$before 3" "no adjustment and no line were made"

adjust "{\"type\": \"FOUND\", \"quantityChange\": 5, \"productMasterId\": \"$PF\", \"locationId\": \"$MAIN\", \"lotId\": \"$LOT_NOEXP\", \"reason\": \"Shelf\"}"
check_status 201 "naming the lot decides"
check_json '[.inventoryItemId, .lotId, .quantityBefore, .quantityAfter] | map(tostring) | join("|")' \
	"$ITEM_NOEXP|$LOT_NOEXP|10|15" "it went to the lot's only line"

# ---------------------------------------------------------------- approval

adjust "{\"type\": \"CORRECTION\", \"quantityChange\": -70, \"productMasterId\": \"$PT\", \"locationId\": \"$MAIN\", \"reason\": \"Audit\"}"
check_status 201 "a large decrease by product waits for approval"
PEND=$(jq -r .id <<<"$BODY")
check_json '[.status, .inventoryItemId, .quantityBefore] | map(tostring) | join("|")' "PENDING|null|null" \
	"pending, on no single line yet, nothing applied"
check_eq "$(on_hand "$ITEM_T1") $(on_hand "$ITEM_T2")" "40 60" "a pending adjustment changes no stock"
api POST "/inventory/adjustments/stock/$PEND/approve" '{}' "$MANAGER"
check_status 200 "a manager approves it"
check_json '[.status, .quantityBefore, .quantityAfter, .inventoryItemId] | map(tostring) | join("|")' \
	"APPLIED|100|30|null" "applied over both bins: 100 to 30"
check_eq "$(on_hand "$ITEM_T1") $(on_hand "$ITEM_T2")" "0 30" "the lower line id first (no lots: by id)"

if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "inventoryctl ledger verify finds no mismatch"
else
	fail "inventoryctl ledger verify finds no mismatch" "$out"
fi

done_testing
