#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One definition of available (issue 8, point 5): stock of a lot past its
# expiry date is not available whether or not it was marked expired, and so
# is stock of a lot that is EXPIRED, RECALLED or ON_HOLD. Every answer that
# shows an available quantity agrees: GET /api/inventory, the availability
# list with its totals and summary, one line's record, the bulk check,
# totals by location, lot control, the adjust answer; reservations and
# holds of such stock are refused. A lot expires after its expiry date
# (UTC): on the date itself it is still available. Stock already moved into
# the expired bucket is subtracted once.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t135.XXXXXX")

slug=$(uniq_slug expavail)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" inventory.read,inventory.write,inventory.adjust,products.read,locations.read,reasoncodes.read,reasoncodes.write)

# The dates of the database's clock (UTC), not the shell's.
TODAY=$(mariadb --no-defaults --socket="$TEST_DIR/mysql.sock" -uroot -N -B \
	-e "SET time_zone = '+00:00'; SELECT CURRENT_DATE" 2>/dev/null || date -u +%F)
YESTERDAY=$(date -u -d "$TODAY - 1 day" +%F)

# EX-A, lot-controlled, at one location: a usable lot (100), a lot that
# expires today (10), one past its date but ACTIVE, never marked (278),
# one EXPIRED by status (20), one RECALLED (30) and one ON_HOLD (40), all
# with their stock still in on hand (imports move no buckets).
cat >"$WORK/products.csv" <<'EOF'
globalSku,name,unitCost,lotControlled,expiryTracked
EX-A,Expiring serum,2,true,true
EOF
cat >"$WORK/locations.csv" <<'EOF'
code,name,type
EXM,Expiry Main,WAREHOUSE
EOF
cat >"$WORK/lots.csv" <<EOF
globalSku,lotNumber,expiryDate,status
EX-A,L-OK,2099-12-31,ACTIVE
EX-A,L-TODAY,$TODAY,ACTIVE
EX-A,L-PAST,$YESTERDAY,ACTIVE
EX-A,L-EXP,2099-12-31,EXPIRED
EX-A,L-REC,2099-12-31,RECALLED
EX-A,L-HOLD,2099-12-31,ON_HOLD
EOF
cat >"$WORK/stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
EX-A,EXM,L-OK,,100
EX-A,EXM,L-TODAY,,10
EX-A,EXM,L-PAST,,278
EX-A,EXM,L-EXP,,20
EX-A,EXM,L-REC,,30
EX-A,EXM,L-HOLD,,40
EOF
import_csv products "$WORK/products.csv" "$slug" "import products"
import_csv locations "$WORK/locations.csv" "$slug" "import locations"
import_csv lots "$WORK/lots.csv" "$slug" "import lots"
import_csv stock "$WORK/stock.csv" "$slug" "import stock"

api GET "/products?globalSku=EX-A"
PA=$(jq -r '.items[0].id' <<<"$BODY")
api GET "/locations?code=EXM"
LOC=$(jq -r '.items[0].id' <<<"$BODY")
lot_id() {
	api GET "/lots?lotNumber=$1"
	jq -r '.items[0].id' <<<"$BODY"
}
LOT_PAST=$(lot_id L-PAST)
LOT_TODAY=$(lot_id L-TODAY)
# inventory: "lotNumber=available" of every line of GET /inventory.
inventory() {
	api GET "/inventory?locationId=$LOC&limit=100"
	jq -r '[.items[] | "\(.lotNumber)=\(.quantityAvailable)"] | join(",")' <<<"$BODY"
}
item_of() {
	api GET "/inventory?locationId=$LOC&limit=100"
	jq -r --arg n "$1" '.items[] | select(.lotNumber == $n) | .id' <<<"$BODY"
}
ITEM_PAST=$(item_of L-PAST)
ITEM_TODAY=$(item_of L-TODAY)
ITEM_REC=$(item_of L-REC)
ITEM_OK=$(item_of L-OK)

# ---------------------------------------------------------------- every answer agrees

check_eq "$(inventory)" "L-OK=100,L-TODAY=10,L-PAST=0,L-EXP=0,L-REC=0,L-HOLD=0" \
	"GET /inventory: a lot past its date (unmarked), EXPIRED, RECALLED or ON_HOLD has 0 available; on its expiry date a lot is still available"

api GET "/inventory/availability/$ITEM_PAST"
check_json '[.isExpired, .qtyOnHand, .qtyExpired, .qtyAvailable] | map(tostring) | join("|")' "true|278|0|0" \
	"GET /inventory/availability/{id}: isExpired and qtyAvailable 0 although nothing was marked"
api GET "/inventory/availability/$ITEM_TODAY"
check_json '[.isExpired, .qtyAvailable] | map(tostring) | join("|")' "false|10" \
	"a lot whose expiry date is today is not expired"

api GET "/inventory/availability?productMasterId=$PA&includeExpired=true&includeRecalled=true&includeOnHold=true"
check_json '[.data[] | "\(.lotNumber)=\(.qtyAvailable)"] | join(",")' \
	"L-OK=100,L-TODAY=10,L-PAST=0,L-EXP=0,L-REC=0,L-HOLD=0" "the availability list with every include flag: the same figures"
check_json '[.totals.totalOnHand, .totals.totalAvailable] | map(tostring) | join("|")' "478|110" \
	"its totalAvailable counts only usable stock"
api GET "/inventory/availability?productMasterId=$PA&includeExpired=true&summary=true&includeStockLines=true"
check_json '[.data.totalAvailable, ([.data.stockLines[].qtyAvailable] | map(tostring) | join(","))] | map(tostring) | join("|")' \
	"110|100,10,0,0" "the summary with includeExpired: totalAvailable 110, the expired lines 0"
api GET "/inventory/availability?productMasterId=$PA"
check_json '[.count, .totals.totalAvailable] | map(tostring) | join("|")' "2|110" \
	"by default the unusable lines are left out and the total is the same"

api POST /inventory/availability/check "{\"items\": [
	{\"productMasterId\": \"$PA\", \"locationId\": \"$LOC\", \"quantity\": 110},
	{\"productMasterId\": \"$PA\", \"locationId\": \"$LOC\", \"quantity\": 111},
	{\"productMasterId\": \"$PA\", \"locationId\": \"$LOC\", \"lotId\": \"$LOT_PAST\", \"quantity\": 1},
	{\"productMasterId\": \"$PA\", \"locationId\": \"$LOC\", \"lotId\": \"$LOT_TODAY\", \"quantity\": 10}]}"
check_json '[.results[] | "\(.availableQuantity):\(.isAvailable)"] | join(",")' "110:true,110:false,0:false,10:true" \
	"the bulk check: 110 available in all, 0 in the lot past its date, 10 in today's lot"

api GET /inventory/locations
check_json ".items[] | select(.locationId == \"$LOC\") | [.totalOnHand, .totalAvailable] | map(tostring) | join(\"|\")" "478|110" \
	"GET /inventory/locations: totalAvailable 110"

api GET "/inventory/lot-control/validate?productMasterId=$PA&lotId=$LOT_PAST&locationId=$LOC"
check_json '[.isExpired, .availableQuantity, .valid] | map(tostring) | join("|")' "true|0|false" \
	"lot control: the lot past its date is expired with 0 available"

# ---------------------------------------------------------------- reservations and holds

api POST "/inventory/availability/$ITEM_PAST" '{"action": "RESERVE", "quantity": 1}'
check_status 409 "reserving from the lot past its date is 409"
check_json '[.error, .message] | join("|")' "Conflict|lot is EXPIRED" "it says lot is EXPIRED, as the list says 0 available"
api POST "/inventory/availability/$ITEM_TODAY" '{"action": "RESERVE", "quantity": 10}'
check_status 200 "today's lot can be reserved in full"
check_json '.item.qtyAvailable' 0 "and then has 0 available"
api POST "/inventory/availability/$ITEM_TODAY" '{"action": "RELEASE", "quantity": 10}'
api POST /inventory/holds "{\"inventoryItemId\": \"$ITEM_PAST\", \"quantity\": 1, \"reason\": \"QA\"}"
check_status 409 "holding stock of the lot past its date is 409 (nothing is available to hold)"
check_json .message "lot is EXPIRED" "it says lot is EXPIRED"
api POST /inventory/holds "{\"inventoryItemId\": \"$ITEM_REC\", \"quantity\": 1, \"reason\": \"QA\"}"
check_json '[.error, .message] | join("|")' "Conflict|lot is RECALLED" "holding stock of a recalled lot is 409"
api POST /inventory/holds "{\"lotId\": \"$LOT_PAST\", \"reason\": \"QA\"}"
check_json '[.error, .message] | join("|")' "Conflict|the lot is EXPIRED" "holding the whole lot past its date is 409"

# ---------------------------------------------------------------- the adjust answer

api POST /reason-codes '{"code": "T135-COUNT", "name": "Counted in t135"}'
RC=$(jq -r .id <<<"$BODY")
api POST /inventory/adjust "{\"inventoryItemId\": \"$ITEM_PAST\", \"newQtyOnHand\": 270, \"reasonCodeId\": \"$RC\"}"
check_status 200 "stock of an expired lot can still be adjusted down"
check_json '.inventoryItem | [.qtyOnHand, .qtyAvailable] | map(tostring) | join("|")' "270|0" \
	"the adjust answer shows qtyAvailable 0, as the lists do"
api POST /inventory/adjust "{\"inventoryItemId\": \"$ITEM_OK\", \"newQtyOnHand\": 90, \"reasonCodeId\": \"$RC\"}"
check_json '.inventoryItem.qtyAvailable' 90 "a usable line's answer is unchanged"

# ---------------------------------------------------------------- marked: subtracted once

api POST /inventory/expired/mark-expired "{\"inventoryItemId\": \"$ITEM_PAST\"}"
check_status 200 "marking the lot past its date expired"
api GET "/inventory/availability/$ITEM_PAST"
check_json '[.qtyOnHand, .qtyExpired, .qtyAvailable] | map(tostring) | join("|")' "270|270|0" \
	"after marking, the stock is in the expired bucket and available stays 0, not -270"
check_eq "$(inventory)" "L-OK=90,L-TODAY=10,L-PAST=0,L-EXP=0,L-REC=0,L-HOLD=0" "GET /inventory agrees"
api GET "/inventory/availability?productMasterId=$PA&includeExpired=true&includeRecalled=true&includeOnHold=true"
check_json '[.totals.totalOnHand, .totals.totalExpired, .totals.totalAvailable] | map(tostring) | join("|")' "460|270|100" \
	"the totals subtract the marked stock once"

done_testing
