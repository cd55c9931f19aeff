#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Source stock is never promised twice (issue 10): 32 clients at once each
# create a transfer for the same stock where only some fit; then 32 put-away
# tasks race for one candidate line; then transfers and put-aways race each
# other. Exactly as many succeed as the stock allows, the rest are 409, the
# reservations add up, and the ledger verifies.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CLIENTS=${RACE_CLIENTS:-32}

slug=$(uniq_slug trfrace)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
work=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t201.XXXXXX")

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }
api POST /locations '{"code": "WH", "name": "Warehouse"}'
WH=$(id_of)
api POST /locations '{"code": "ST", "name": "Store"}'
ST=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-1"}'
S1=$(id_of)
api POST "/locations/$ST/bins" '{"name": "S-2"}'
S2=$(id_of)
api POST /products '{"globalSku": "RACE-1", "name": "Contended item", "unitCost": 1}'
P1=$(id_of)
api POST /products '{"globalSku": "RACE-2", "name": "Contended put-away", "unitCost": 1}'
P2=$(id_of)
api POST /products '{"globalSku": "RACE-3", "name": "Contended both ways", "unitCost": 1}'
P3=$(id_of)
# stock PROD LOC QTY: received stock without a bin; prints the line's id.
stock() {
	api POST /inventory/record-stock "{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"quantity\": $3, \"mode\": \"RECEIVE\"}"
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
I1=$(stock "$P1" "$WH" 40)
I2=$(stock "$P2" "$ST" 40)
I3=$(stock "$P3" "$ST" 20)
check_true "$(printf '%s\n' "$WH" "$ST" "$S1" "$S2" "$P1" "$P2" "$P3" "$I1" "$I2" "$I3" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all')" \
	"setup: locations, bins, products and stock"

# q ITEM: "onHand reserved available" of a stock line.
q() {
	api GET "/inventory?limit=100"
	jq -r --arg id "$1" '[.items[] | select(.id == $id) | "\(.quantityOnHand) \(.quantityReserved) \(.quantityAvailable)"] | first // "none"' <<<"$BODY"
}

# race NAME N PATH BODY [PATH2 BODY2]: N clients post at once (the odd ones
# BODY2 to PATH2 when given); each writes "code id" to $work/NAME.N.
race() {
	local name=$1 n=$2 i path body
	for i in $(seq 1 "$n"); do
		path=$3 body=$4
		if [ -n "${5:-}" ] && [ $((i % 2)) = 1 ]; then path=$5 body=$6; fi
		(
			resp=$(curl -s -w '\n%{http_code}' -X POST "$INVENTORY_URL$path" \
				-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "$body")
			code=${resp##*$'\n'}
			resp=${resp%$'\n'*}
			printf '%s %s %s\n' "$code" "$path" "$(jq -r '.id // "-"' <<<"$resp" 2>/dev/null || echo -)" >"$work/$name.$i"
			printf '%s\n' "$resp" >"$work/$name.body.$i"
		) &
	done
	wait
	cat "$work/$name".[0-9]* >"$work/$name.all"
	diag "$name: $(awk '{print $1}' "$work/$name.all" | sort | uniq -c | paste -sd, -)"
}
count() { awk -v c="$2" '$1 == c' "$work/$1.all" | wc -l | tr -d ' '; }

# ---------------------------------------------------------------- transfers

race trf "$CLIENTS" /inventory/transfers \
	"{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P1\", \"quantity\": 5}]}"
check_eq "$(wc -l <"$work/trf.all" | tr -d ' ')" "$CLIENTS" "every client got an answer"
check_eq "$(count trf 201)" 8 "exactly 8 transfers of 5 were created from the 40"
check_eq "$(count trf 409)" $((CLIENTS - 8)) "the other $((CLIENTS - 8)) were refused with 409"
check_eq "$(awk '$1 >= 500' "$work/trf.all" | wc -l | tr -d ' ')" 0 "no request got a server error"
check_eq "$(cat "$work"/trf.body.* | jq -s 'map(select(.error == "Insufficient stock")) | length')" $((CLIENTS - 8)) \
	"the 409s say Insufficient stock"
check_eq "$(q "$I1")" "40 40 0" "the line has 40 on hand, all 40 reserved, none available"
api GET "/inventory/transfers?fromLocationId=$WH&limit=100"
check_json '[.pagination.total, (.items | map(.quantity) | add), (.items | map(.status) | unique | join(","))] | map(tostring) | join("|")' \
	"8|40|PENDING" "the list has 8 PENDING transfers carrying 40 between them"
check_json '.items | map(.number) | unique | length' 8 "their numbers are all different"
check_eq "$(awk '$1 == 201 {print $3}' "$work/trf.all" | sort | paste -sd' ')" \
	"$(jq -r '[.items[].id] | sort | join(" ")' <<<"$BODY")" "the transfers listed are those answered 201"
first_trf=$(awk '$1 == 201 {print $3; exit}' "$work/trf.all")
api POST "/inventory/transfers/$first_trf" '{"action": "CANCEL"}'
check_status 200 "cancelling one of them is 200"
check_eq "$(q "$I1")" "40 35 5" "its 5 are available again"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P1\", \"quantity\": 6}]}"
check_status 409 "6 more do not fit"
api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P1\", \"quantity\": 5}]}"
check_status 201 "5 more do"
check_eq "$(q "$I1")" "40 40 0" "all 40 are reserved again"

# ---------------------------------------------------------------- put-away

api GET "/inventory/put-away?mode=candidates&locationId=$ST"
check_json "[.items[] | select(.inventoryItemId == \"$I2\") | .available] | first" 40 "the stock without bin is a put-away candidate with 40 available"
race pa "$CLIENTS" /inventory/put-away "{\"lines\": [{\"inventoryItemId\": \"$I2\", \"quantity\": 5, \"toBinId\": \"$S1\"}]}"
check_eq "$(count pa 201)" 8 "exactly 8 put-away tasks of 5 were created from the 40"
check_eq "$(count pa 409)" $((CLIENTS - 8)) "the other $((CLIENTS - 8)) were refused with 409"
check_eq "$(awk '$1 >= 500' "$work/pa.all" | wc -l | tr -d ' ')" 0 "no request got a server error"
check_eq "$(q "$I2")" "40 40 0" "the line has all 40 reserved"
api GET "/inventory/put-away?locationId=$ST&status=PENDING&limit=100"
check_json .pagination.total 8 "8 tasks are PENDING"
api GET "/inventory/put-away?mode=candidates&locationId=$ST"
check_json "[.items[] | select(.inventoryItemId == \"$I2\") | .available] | first // 0" 0 \
	"nothing of the line is left to put away"

# ---------------------------------------------------------------- both

race mixed "$CLIENTS" /inventory/transfers \
	"{\"fromLocationId\": \"$ST\", \"toLocationId\": \"$WH\", \"lines\": [{\"productMasterId\": \"$P3\", \"quantity\": 5}]}" \
	/inventory/put-away "{\"lines\": [{\"inventoryItemId\": \"$I3\", \"quantity\": 5, \"toBinId\": \"$S2\"}]}"
check_eq "$(count mixed 201)" 4 "transfers and put-aways racing for 20: exactly 4 of 5 succeed"
check_eq "$(count mixed 409)" $((CLIENTS - 4)) "the others are 409"
check_eq "$(awk '$1 >= 500' "$work/mixed.all" | wc -l | tr -d ' ')" 0 "no request got a server error"
check_eq "$(q "$I3")" "20 20 0" "the line has all 20 reserved"

# ---------------------------------------------------------------- ledger

api GET "/inventory?limit=100"
check_eq "$(jq '[.items[] | select(.quantityAvailable < 0 or .quantityReserved < 0 or .quantityReserved > .quantityOnHand)] | length' <<<"$BODY")" 0 \
	"no line is over-reserved"
if ctl ledger verify --workspace "$slug" >"$work/verify.out" 2>&1; then
	pass "ledger verify finds no mismatch"
else
	fail "ledger verify finds no mismatch" "$(head -5 "$work/verify.out")"
fi

done_testing
