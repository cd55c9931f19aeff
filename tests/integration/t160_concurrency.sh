#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stock quantities under concurrent load: 32 clients post a few thousand
# mixed adjustments, receipts, holds, releases, expiries and consumptions
# against a handful of hot stock lines. Afterwards the ledger verifies, no
# available quantity is negative, no request got a 5xx, and for every line
# the sum of the accepted on-hand changes equals its final on hand.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CLIENTS=${CONCURRENCY_CLIENTS:-32}
REQUESTS=${CONCURRENCY_REQUESTS:-100}     # per client

slug=$(uniq_slug conc)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
work=$(mktemp -d "$TEST_DIR/conc.XXXXXX")

cat >"$work/products.csv" <<-CSV
	globalSku,name,unitCost,lotControlled,expiryTracked
	HOT-1,Hot one,1,false,false
	HOT-2,Hot two,1,false,false
	HOT-3,Hot lots,1,true,true
CSV
printf 'code,name\nHOT,Hot location\n' >"$work/locations.csv"
printf 'globalSku,lotNumber,expiryDate\nHOT-3,OLD-1,2020-01-01\nHOT-3,OLD-2,2020-06-01\n' >"$work/lots.csv"
cat >"$work/stock.csv" <<-CSV
	globalSku,locationCode,lotNumber,binName,quantityOnHand
	HOT-1,HOT,,,100
	HOT-2,HOT,,,100
	HOT-3,HOT,OLD-1,,100
	HOT-3,HOT,OLD-2,,100
CSV
for kind in products locations lots stock; do
	ctl import "$kind" "$work/$kind.csv" --workspace "$slug" >/dev/null
done
api POST /reason-codes '{"code":"CC","name":"Cycle count"}'
reason=$(jq -r .id <<<"$BODY")
api GET "/inventory?limit=100"
mapfile -t lines < <(jq -r '.items[] | select(.lotId == null) | .id' <<<"$BODY")
mapfile -t expired_lines < <(jq -r '.items[] | select(.lotId != null) | .id' <<<"$BODY")
check_eq "${#lines[@]} ${#expired_lines[@]}" "2 2" "two plain and two expired-lot hot lines"
declare -A initial
for l in "${lines[@]}" "${expired_lines[@]}"; do
	initial[$l]=$(jq -r --arg id "$l" '.items[] | select(.id == $id) | .quantityOnHand' <<<"$BODY")
done

# One client: REQUESTS random operations; each accepted one appends
# "status op line on-hand-delta" to its log.
client() {
	local n=$1 log="$work/client.$n.log" holds=() i op line body code resp delta
	RANDOM=$((n * 7919))
	for ((i = 0; i < REQUESTS; i++)); do
		op=$((RANDOM % 100))
		if ((op < 60)); then line=${lines[RANDOM % ${#lines[@]}]}; else line=${expired_lines[RANDOM % ${#expired_lines[@]}]}; fi
		if ((op < 25)); then
			body="{\"inventoryItemId\":\"$line\",\"newQtyOnHand\":$((40 + RANDOM % 80)),\"reasonCodeId\":\"$reason\"}"
			path=/inventory/adjustments kind=adjust
		elif ((op < 40)); then
			body="{\"inventoryItemId\":\"$line\",\"quantity\":$((1 + RANDOM % 10)),\"reason\":\"load\"}"
			path=/inventory/holds kind=hold
		elif ((op < 52)); then
			if ((${#holds[@]} == 0)); then continue; fi
			body="{\"holdId\":\"${holds[RANDOM % ${#holds[@]}]}\"}"
			path=/inventory/holds/release kind=release
		elif ((op < 60)); then
			body="{\"inventoryItemId\":\"$line\",\"action\":\"RESERVE\",\"quantity\":$((1 + RANDOM % 5))}"
			path="/inventory/availability/$line" kind=reserve
		elif ((op < 75)); then
			body="{\"inventoryItemId\":\"$line\",\"newQtyOnHand\":$((40 + RANDOM % 80)),\"reasonCodeId\":\"$reason\"}"
			path=/inventory/adjustments kind=adjust
		elif ((op < 85)); then
			body="{\"inventoryItemId\":\"$line\"}"
			path=/inventory/expired/mark-expired kind=expire
		else
			body="{\"inventoryItemId\":\"$line\",\"quantity\":$((1 + RANDOM % 3))}"
			path=/inventory/expired/mark-consumed kind=consume
		fi
		resp=$(curl -s -w '\n%{http_code}' -X POST "$INVENTORY_URL$path" \
			-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "$body")
		code=${resp##*$'\n'}
		resp=${resp%$'\n'*}
		delta=0
		if [[ $code == 2* ]]; then
			case $kind in
			adjust) delta=$(jq -r .transaction.deltaQty <<<"$resp") ;;
			consume) delta=$((-$(jq -r .quantity <<<"$resp"))) ;;
			hold) holds+=("$(jq -r .id <<<"$resp")") ;;
			esac
		fi
		printf '%s %s %s %s\n' "$code" "$kind" "$line" "$delta" >>"$log"
	done
}

start=$(date +%s)
for n in $(seq 1 "$CLIENTS"); do client "$n" & done
wait
diag "$((CLIENTS * REQUESTS)) requests by $CLIENTS clients in $(($(date +%s) - start)) s"
cat "$work"/client.*.log >"$work/all.log"
diag "$(awk '{print $2 " " $1}' "$work/all.log" | sort | uniq -c | paste -sd, -)"

total=$(wc -l <"$work/all.log")
check_eq "$([ "$total" -ge 2000 ] && echo yes)" yes "at least 2000 requests were made ($total)"
check_eq "$(awk '$1 >= 500' "$work/all.log" | wc -l)" 0 "no request got a server error"
check_eq "$(awk '$1 != 200 && $1 != 201 && $1 != 409' "$work/all.log" | wc -l)" 0 \
	"every answer was a success or 409 (refused to go negative or in a wrong state)"
for kind in adjust hold reserve expire consume; do
	check_eq "$(awk -v k="$kind" '$2 == k && $1 ~ /^20/' "$work/all.log" | wc -l | awk '{print ($1 > 0) ? "yes" : "no"}')" yes \
		"some $kind requests were accepted"
done

if ctl ledger verify --workspace "$slug" >"$work/verify.out" 2>&1; then
	pass "ledger verify finds no mismatch"
else
	fail "ledger verify finds no mismatch" "$(head -5 "$work/verify.out")"
fi

api GET "/inventory?limit=100"
check_eq "$(jq '[.items[] | select(.quantityAvailable < 0)] | length' <<<"$BODY")" 0 \
	"no stock line has negative available stock"
for l in "${lines[@]}" "${expired_lines[@]}"; do
	final=$(jq -r --arg id "$l" '.items[] | select(.id == $id) | .quantityOnHand' <<<"$BODY")
	sum=$(awk -v id="$l" '$3 == id { s += $4 } END { print s + 0 }' "$work/all.log")
	check_eq "$final" "$((initial[$l] + sum))" "$l: final on hand = initial ${initial[$l]} + accepted changes $sum"
done
api GET "/inventory/availability?includeExpired=true&includeOnHold=true&includeRecalled=true&limit=100"
check_eq "$(jq '[.data[] | select(.qtyAvailable < 0 or .qtyReserved < 0 or .qtyOnHold < 0 or .qtyExpired < 0)] | length' <<<"$BODY")" 0 \
	"no bucket is negative"

done_testing
