#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One busy stock line: for every write endpoint that posts to the ledger,
# 64 clients send about 10 requests each at once, all on the same stock
# line (or the same lot's lines). No request may get a server error (the
# handlers lock the line before they write anything that references it, so
# concurrent requests queue instead of deadlocking), and afterwards the
# quantities are exactly what the accepted requests say: the ledger
# verifies and every line's on hand is its initial quantity plus the
# changes that were answered as done.
# The *_requests functions are called through new_phase.
# shellcheck disable=SC2317
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CLIENTS=${BUSY_CLIENTS:-64}
REQUESTS=${BUSY_REQUESTS:-10}     # per client and phase

slug=$(uniq_slug busy)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
# Approvals need someone other than the creator.
APPROVER=$(new_key "$slug" '*' manager)
work=$(mktemp -d "$TEST_DIR/busy.XXXXXX")

cat >"$work/products.csv" <<-CSV
	globalSku,name,unitCost,lotControlled,expiryTracked
	BUSY-1,Busy one,1,false,false
	BUSY-L,Busy lots,1,true,false
	BUSY-X,Busy expired,1,true,true
CSV
printf 'code,name,type\nBUSY,Busy location,WAREHOUSE\nBURN,Destruction,DESTRUCTION\n' >"$work/locations.csv"
printf 'globalSku,lotNumber,expiryDate\nBUSY-L,LA,\nBUSY-L,LB,\nBUSY-X,OLD,2020-01-01\n' >"$work/lots.csv"
cat >"$work/stock.csv" <<-CSV
	globalSku,locationCode,lotNumber,binName,quantityOnHand
	BUSY-1,BUSY,,,5000
	BUSY-L,BUSY,LA,,5000
	BUSY-L,BUSY,LB,,5000
	BUSY-X,BUSY,OLD,,5000
CSV
for kind in products locations lots stock; do
	ctl import "$kind" "$work/$kind.csv" --workspace "$slug" >/dev/null
done
api POST /reason-codes '{"code":"BUSY","name":"Busy line"}'
reason=$(jq -r .id <<<"$BODY")
api GET "/inventory?limit=100"
line_of() { jq -r --arg sku "$1" --arg lot "${2:-}" \
	'.items[] | select(.globalSku == $sku and ((.lotNumber // "") == $lot)) | .id' <<<"$BODY"; }
L=$(line_of BUSY-1)
LA=$(line_of BUSY-L LA)
LB=$(line_of BUSY-L LB)
E=$(line_of BUSY-X OLD)
P=$(jq -r 'first(.items[] | select(.globalSku == "BUSY-1")) | .productMasterId' <<<"$BODY")
PL=$(jq -r 'first(.items[] | select(.globalSku == "BUSY-L")) | .productMasterId' <<<"$BODY")
LOC=$(jq -r 'first(.items[] | select(.globalSku == "BUSY-1")) | .locationId' <<<"$BODY")
api GET "/locations?limit=100"
BURN=$(jq -r '.items[] | select(.code == "BURN") | .id' <<<"$BODY")
check_true "\"$L $LA $LB $E $BURN\" | test(\"^item_[0-9]+ item_[0-9]+ item_[0-9]+ item_[0-9]+ loc_[0-9]+$\")" \
	"the busy lines and the destruction location exist"

# qty LINE BUCKET: a line's bucket now (qtyOnHand, qtyReserved, qtyOnHold, ...).
qty() {
	api GET "/inventory/availability/$1"
	jq -r ".$2" <<<"$BODY"
}

# Requests of one phase: req CLIENT KEY PATH BODY appends a request to the
# client's list. KEY is A (TOKEN) or B (APPROVER); @ID@ in PATH or BODY
# stands for the first id in the client's previous response (the request
# is left out when that response had none).
req() {
	printf '%s\t%s\t%s\n' "$2" "$3" "$4" >>"$phase_dir/req.$1"
}

# new_phase NAME FUNC [COUNT]: FUNC CLIENT I adds the client's request(s)
# number I, for every client and I < COUNT (REQUESTS).
new_phase() {
	local n i
	phase=$1
	phase_dir="$work/$phase"
	mkdir -p "$phase_dir"
	for n in $(seq 1 "$CLIENTS"); do
		for ((i = 0; i < ${3:-$REQUESTS}; i++)); do
			"$2" "$n" "$i"
		done
	done
}

# One client: runs its list in order, logging
# "status<TAB>path<TAB>request body<TAB>response body" per request. A run
# of requests goes through one curl (--next), so that the clients' own
# processes take little of the machine; a run ends before a request that
# needs the id of the response before it.
client() {
	local n=$1 id="" i=0 j k key path body token resp
	local -a keys=() paths=() bodies=() args=() codes=()
	while IFS=$'\t' read -r key path body; do
		keys+=("$key")
		paths+=("$path")
		bodies+=("$body")
	done <"$phase_dir/req.$n"
	while ((i < ${#paths[@]})); do
		args=()
		for ((j = i; j < ${#paths[@]}; j++)); do
			if [[ ${paths[j]}${bodies[j]} == *@ID@* ]]; then
				((j == i)) || break
				if [ -z "$id" ]; then
					i=$((i + 1))
					continue 2
				fi
				paths[j]=${paths[j]//@ID@/$id}
				bodies[j]=${bodies[j]//@ID@/$id}
			fi
			token=$TOKEN
			[ "${keys[j]}" = B ] && token=$APPROVER
			((j == i)) || args+=(--next)
			args+=(-s -o "$phase_dir/resp.$n.$j" -w '%{http_code}\n' -X POST
			       -H "Authorization: Bearer $token" -H 'Content-Type: application/json'
			       --data-binary "${bodies[j]}" "$INVENTORY_URL${paths[j]}")
		done
		mapfile -t codes < <(curl "${args[@]}" || true)
		for ((k = i; k < j; k++)); do
			resp=""
			[ -f "$phase_dir/resp.$n.$k" ] && { IFS= read -r -d '' resp <"$phase_dir/resp.$n.$k" || true; }
			resp=${resp//$'\n'/ }
			id=""
			[[ $resp =~ \"id\":\"([a-z]+_[0-9]+)\" ]] && id=${BASH_REMATCH[1]}
			printf '%s\t%s\t%s\t%s\n' "${codes[k - i]:-000}" "${paths[k]}" "${bodies[k]}" \
				"${resp:-null}" >>"$phase_dir/log.$n"
		done
		i=$j
	done
}

# Runs every client of the phase at once, then checks that nothing got a
# server error (or no answer) and that every answer is one of ALLOWED.
run_phase() {
	local allowed=$1 start n bad
	start=$(date +%s)
	for n in $(seq 1 "$CLIENTS"); do
		[ -f "$phase_dir/req.$n" ] && client "$n" &
	done
	wait
	cat "$phase_dir"/log.* >"$phase_dir/all"
	diag "$phase: $(wc -l <"$phase_dir/all") requests in $(($(date +%s) - start)) s:" \
		"$(awk -F'\t' '{ sub(/[0-9]+/, "N", $2); print $1 " " $2 }' "$phase_dir/all" | sort | uniq -c | paste -sd, -)"
	check_eq "$(awk -F'\t' '$1 >= 500 || $1 == "000"' "$phase_dir/all" | wc -l)" 0 \
		"$phase: no request got a server error or no answer"
	awk -F'\t' -v ok="^($allowed)$" '$1 !~ ok' "$phase_dir/all" >"$phase_dir/unexpected"
	check_eq "$(wc -l <"$phase_dir/unexpected")" 0 "$phase: every answer is $allowed"
	if [ "$CHECK_OK" = 0 ]; then
		mapfile -t bad < <(head -3 "$phase_dir/unexpected")
		diag "${bad[@]}"
	fi
}

# total FILTER: sums jq FILTER over the phase's log entries
# {code, path, req, resp} (FILTER gives a number or empty).
total() {
	jq -Rn "[inputs | split(\"\t\") | {code: (.[0] | tonumber), path: .[1],
		req: (.[2] | fromjson? // {}), resp: (.[3] | fromjson? // {})} | $1] | add // 0" \
		<"$phase_dir/all"
}

verify_ledger() {
	if ctl ledger verify --workspace "$slug" >"$work/verify.out" 2>&1; then
		pass "$1: ledger verify finds no mismatch"
	else
		fail "$1: ledger verify finds no mismatch" "$(head -5 "$work/verify.out")"
	fi
}

# ---------------------------------------------------------------- adjust

before=$(qty "$L" qtyOnHand)
adjust_requests() {
	local n=$1 i=$2
	path=/inventory/adjust
	((i % 2)) && path=/inventory/adjustments
	req "$n" A "$path" "{\"inventoryItemId\":\"$L\",\"newQtyOnHand\":$((4900 + RANDOM % 200)),\"reasonCodeId\":\"$reason\"}"
}
new_phase adjust adjust_requests
run_phase 200
sum=$(total 'select(.code == 200) | .resp.transaction.deltaQty')
check_eq "$(qty "$L" qtyOnHand)" "$((before + sum))" "adjust: on hand = $before + accepted changes $sum"
verify_ledger adjust

# ---------------------------------------------------------------- typed stock adjustments

before=$(qty "$L" qtyOnHand)
stock_adjustments_requests() {
	local n=$1 i=$2
	q=$((1 + RANDOM % 5))
	if ((RANDOM % 2)); then
		req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$L\",\"type\":\"FOUND\",\"quantityChange\":$q,\"reason\":\"found\"}"
	else
		req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$L\",\"type\":\"DAMAGE\",\"quantityChange\":-$q,\"reason\":\"damaged\"}"
	fi
}
new_phase stock-adjustments stock_adjustments_requests
run_phase 201
sum=$(total 'select(.code == 201 and .resp.status == "APPLIED") | .req.quantityChange')
check_eq "$(total 'select(.code == 201 and .resp.status != "APPLIED") | 1')" 0 "stock-adjustments: every one was applied at once"
check_eq "$(qty "$L" qtyOnHand)" "$((before + sum))" "stock-adjustments: on hand = $before + applied changes $sum"
verify_ledger stock-adjustments

# ---------------------------------------------------------------- approvals

# Each client creates pending THEFT adjustments and has them approved by
# the manager, while the others do the same on the line.
before=$(qty "$L" qtyOnHand)
approvals_requests() {
	local n=$1 i=$2
	req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$L\",\"type\":\"THEFT\",\"quantityChange\":-$((1 + RANDOM % 3)),\"reason\":\"stolen\"}"
	req "$n" B /inventory/adjustments/stock/@ID@/approve '{"reason":"seen"}'
}
new_phase approvals approvals_requests "$((REQUESTS / 2))"
run_phase '200|201'
check_eq "$(total 'select(.code == 201 and .resp.status == "PENDING") | 1')" "$((CLIENTS * (REQUESTS / 2)))" \
	"approvals: every THEFT adjustment waited for approval"
sum=$(total 'select(.code == 200 and .resp.status == "APPLIED") | .resp.quantityChange')
check_eq "$(total 'select(.code == 200 and .resp.status == "APPLIED") | 1')" "$((CLIENTS * (REQUESTS / 2)))" \
	"approvals: every approval applied its adjustment"
check_eq "$(qty "$L" qtyOnHand)" "$((before + sum))" "approvals: on hand = $before + approved changes $sum"
verify_ledger approvals

# ---------------------------------------------------------------- record stock

# Receipts into the busy line, and into a lot that the first requests
# create together (one lot and one stock line must come out of it).
before=$(qty "$L" qtyOnHand)
record_stock_requests() {
	local n=$1 i=$2
	q=$((1 + RANDOM % 5))
	path=/inventory/record-stock
	((i % 2)) && path=/inventory/adjustments/record-stock
	if ((i < 2)); then
		req "$n" A "$path" "{\"productMasterId\":\"$PL\",\"locationId\":\"$LOC\",\"lotNumber\":\"NEW-1\",\"mode\":\"RECEIVE\",\"quantity\":$q}"
	else
		req "$n" A "$path" "{\"productMasterId\":\"$P\",\"locationId\":\"$LOC\",\"mode\":\"RECEIVE\",\"quantity\":$q}"
	fi
}
new_phase record-stock record_stock_requests
run_phase '200|201'
sum=$(total 'select(.code < 300 and .req.productMasterId == "'"$P"'") | .req.quantity')
check_eq "$(qty "$L" qtyOnHand)" "$((before + sum))" "record-stock: on hand = $before + received $sum"
api GET "/inventory?limit=100"
new_lines=$(jq --arg p "$PL" '[.items[] | select(.productMasterId == $p and .lotNumber == "NEW-1")]' <<<"$BODY")
sum=$(total 'select(.code < 300 and .req.lotNumber == "NEW-1") | .req.quantity')
check_eq "$(jq -r 'length' <<<"$new_lines") $(jq -r '.[0].quantityOnHand' <<<"$new_lines")" "1 $sum" \
	"record-stock: one stock line of the new lot, holding all $sum received"
check_eq "$(total 'select(.code == 201) | 1')" 1 "record-stock: exactly one receipt created the new line (201)"
verify_ledger record-stock

# ---------------------------------------------------------------- lot correction

# Units move both ways between two lots' lines: the two lines are locked
# in id order whichever way a request goes.
before_a=$(qty "$LA" qtyOnHand)
before_b=$(qty "$LB" qtyOnHand)
api GET "/inventory?limit=100"
lot_a=$(jq -r --arg id "$LA" '.items[] | select(.id == $id) | .lotId' <<<"$BODY")
lot_b=$(jq -r --arg id "$LB" '.items[] | select(.id == $id) | .lotId' <<<"$BODY")
lot_correction_requests() {
	local n=$1 i=$2
	if (((n + i) % 2)); then
		req "$n" A /inventory/adjustments/lot-correction "{\"inventoryItemId\":\"$LA\",\"toLotId\":\"$lot_b\",\"quantity\":$((1 + RANDOM % 3))}"
	else
		req "$n" A /inventory/adjustments/lot-correction "{\"inventoryItemId\":\"$LB\",\"toLotId\":\"$lot_a\",\"quantity\":$((1 + RANDOM % 3))}"
	fi
}
new_phase lot-correction lot_correction_requests
run_phase 200
a_to_b=$(total 'select(.code == 200 and .req.inventoryItemId == "'"$LA"'") | .req.quantity')
b_to_a=$(total 'select(.code == 200 and .req.inventoryItemId == "'"$LB"'") | .req.quantity')
check_eq "$(qty "$LA" qtyOnHand) $(qty "$LB" qtyOnHand)" \
	"$((before_a - a_to_b + b_to_a)) $((before_b + a_to_b - b_to_a))" \
	"lot-correction: both lots hold what the accepted moves say ($a_to_b one way, $b_to_a the other)"
verify_ledger lot-correction

# ---------------------------------------------------------------- availability

before=$(qty "$L" qtyReserved)
availability_requests() {
	local n=$1 i=$2
	action=RESERVE
	((i % 3 == 2)) && action=RELEASE
	req "$n" A "/inventory/availability/$L" "{\"action\":\"$action\",\"quantity\":$((1 + RANDOM % 5))}"
}
new_phase availability availability_requests
run_phase '200|409'
sum=$(total 'select(.code == 200) | (if .req.action == "RESERVE" then 1 else -1 end) * .req.quantity')
check_eq "$(qty "$L" qtyReserved)" "$((before + sum))" "availability: reserved = $before + accepted changes $sum"
verify_ledger availability

# ---------------------------------------------------------------- holds

before=$(qty "$L" qtyOnHold)
holds_requests() {
	local n=$1 i=$2
	req "$n" A /inventory/holds "{\"inventoryItemId\":\"$L\",\"quantity\":$((1 + RANDOM % 3)),\"reason\":\"check\"}"
	if ((i % 2)); then
		req "$n" A /inventory/holds/release '{"holdId":"@ID@"}'
	else
		req "$n" A /inventory/holds/release '{"holdId":"@ID@","quantity":1}'
	fi
}
new_phase holds holds_requests "$((REQUESTS / 2))"
run_phase '200|201'
held=$(total 'select(.code == 201) | .req.quantity')
released=$(total 'select(.code == 200) | .req.quantity // 0')
full=$(total 'select(.code == 200 and .req.quantity == null) | .resp.totalQuantity')
check_eq "$(qty "$L" qtyOnHold)" "$((before + held - released - full))" \
	"holds: on hold = $before + held $held - released $((released + full))"
verify_ledger holds

# ---------------------------------------------------------------- expired stock

# The expired lot's line: marked, consumed, sent to destruction (the first
# transfers create the destruction line together) and restocked at once.
before=$(qty "$E" qtyOnHand)
expired_requests() {
	local n=$1 i=$2
	case $((i % 4)) in
	0) req "$n" A /inventory/expired/mark-expired "{\"inventoryItemId\":\"$E\"}" ;;
	1) req "$n" A /inventory/expired/mark-consumed "{\"inventoryItemId\":\"$E\",\"quantity\":$((1 + RANDOM % 3))}" ;;
	2) req "$n" A /inventory/expired/transfer-destruction "{\"inventoryItemId\":\"$E\",\"destinationLocationId\":\"$BURN\",\"quantity\":$((1 + RANDOM % 3))}" ;;
	3) req "$n" A /inventory/adjustments "{\"inventoryItemId\":\"$E\",\"newQtyOnHand\":$((4900 + RANDOM % 200)),\"reasonCodeId\":\"$reason\"}" ;;
	esac
}
new_phase expired expired_requests
run_phase '200|409'
consumed=$(total 'select(.code == 200 and (.path | endswith("mark-consumed"))) | .req.quantity')
destroyed=$(total 'select(.code == 200 and (.path | endswith("transfer-destruction"))) | .req.quantity')
adjusted=$(total 'select(.code == 200 and (.path | endswith("adjustments"))) | .resp.transaction.deltaQty')
check_eq "$(qty "$E" qtyOnHand)" "$((before + adjusted - consumed - destroyed))" \
	"expired: on hand = $before + adjusted $adjusted - consumed $consumed - destroyed $destroyed"
api GET "/inventory?limit=100"
check_eq "$(jq --arg loc "$BURN" '[.items[] | select(.locationId == $loc)] | "\(length) \(.[0].quantityOnHand)"' -r <<<"$BODY")" \
	"1 $destroyed" "expired: one destruction line holding the $destroyed destroyed"
verify_ledger expired

# ---------------------------------------------------------------- count completion

# A count of the busy location is counted and completed (applying its
# variance) while the other clients keep adjusting the line.
api POST /inventory/counts "{\"name\":\"Busy count\",\"type\":\"CYCLE\",\"locationId\":\"$LOC\"}"
check_status 201 "count: started"
count=$(jq -r .id <<<"$BODY")
before=$(qty "$L" qtyOnHand)
count_requests() {
	local n=$1 i=$2
	if ((n == CLIENTS / 2 && i == REQUESTS / 2)); then
		req "$n" A "/inventory/counts/$count/complete" '{"applyAdjustments":true}'
	elif ((n % 4 == 0 && i < REQUESTS / 2)); then
		req "$n" A "/inventory/counts/$count/items" "{\"productMasterId\":\"$P\",\"countedQuantity\":$((4000 + RANDOM % 50))}"
	else
		req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$L\",\"type\":\"FOUND\",\"quantityChange\":$((1 + RANDOM % 5)),\"reason\":\"found\"}"
	fi
}
new_phase count count_requests
run_phase '200|201|409'
check_eq "$(total 'select(.code == 200 and (.path | endswith("complete"))) | 1')" 1 "count: completed"
sum=$(total 'select(.code == 201 and .resp.status == "APPLIED") | .req.quantityChange')
api GET "/inventory/counts/$count/items"
variance=$(jq '[.items[] | .variance] | add // 0' <<<"$BODY")
check_eq "$(qty "$L" qtyOnHand)" "$((before + sum + variance))" \
	"count: on hand = $before + adjustments $sum + the count's variance $variance"
verify_ledger count

# ---------------------------------------------------------------- cycle count resolve

# A cycle count batch of the busy line is resolved (ACCEPT posts counted -
# snapshot) while the other clients keep adjusting the line.
api POST /inventory/cycle-count "{\"locationId\":\"$LOC\",\"inventoryItemIds\":[\"$L\"]}"
check_status 201 "cycle-count: batch created"
batch=$(jq -r .id <<<"$BODY")
api POST "/inventory/cycle-count/$batch" '{"action":"START"}'
api POST "/inventory/cycle-count/$batch" "{\"action\":\"RECORD\",\"counts\":[{\"inventoryItemId\":\"$L\",\"countedQty\":3000}]}"
api POST "/inventory/cycle-count/$batch" '{"action":"SUBMIT"}'
check_json .status COUNTED "cycle-count: batch counted, awaiting a decision"
api GET "/inventory/cycle-count/$batch"
cline=$(jq -r '.lines[0].lineId' <<<"$BODY")
before=$(qty "$L" qtyOnHand)
cycle_count_requests() {
	local n=$1 i=$2
	if ((n == CLIENTS / 2 && i == REQUESTS / 2)); then
		req "$n" A /inventory/cycle-count/resolve "{\"batchId\":\"$batch\",\"resolutions\":[{\"lineId\":\"$cline\",\"action\":\"ACCEPT\",\"reason\":\"recounted\"}]}"
	else
		req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$L\",\"type\":\"DAMAGE\",\"quantityChange\":-$((1 + RANDOM % 5)),\"reason\":\"damaged\"}"
	fi
}
new_phase cycle-count cycle_count_requests
run_phase '200|201'
check_eq "$(total 'select(.code == 200 and (.path | endswith("resolve"))) | 1')" 1 "cycle-count: resolved"
sum=$(total 'select(.code == 201 and .resp.status == "APPLIED") | .req.quantityChange')
posted=$(total 'select(.code == 200 and (.path | endswith("resolve"))) | [.resp.posted[].deltaQty] | add')
check_eq "$(qty "$L" qtyOnHand)" "$((before + sum + posted))" \
	"cycle-count: on hand = $before + adjustments $sum + the accepted count's $posted"
verify_ledger cycle-count

# ---------------------------------------------------------------- everything at once

# Every endpoint above, mixed, on the lot lines: lot holds lock the lot
# before its lines, item requests lock a line alone.
mixed_requests() {
	local n=$1 i=$2
	line=$LA other=$lot_b
	((RANDOM % 2)) && line=$LB other=$lot_a
	q=$((1 + RANDOM % 3))
	case $((RANDOM % 10)) in
	0) req "$n" A /inventory/adjustments "{\"inventoryItemId\":\"$line\",\"newQtyOnHand\":$((4900 + RANDOM % 200)),\"reasonCodeId\":\"$reason\"}" ;;
	1) req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$line\",\"type\":\"FOUND\",\"quantityChange\":$q,\"reason\":\"found\"}" ;;
	2) req "$n" A /inventory/adjustments/lot-correction "{\"inventoryItemId\":\"$line\",\"toLotId\":\"$other\",\"quantity\":$q}" ;;
	3) req "$n" A "/inventory/availability/$line" "{\"action\":\"RESERVE\",\"quantity\":$q}" ;;
	4) req "$n" A "/inventory/availability/$line" "{\"action\":\"PICK\",\"quantity\":$q}" ;;
	5) req "$n" A /inventory/holds "{\"inventoryItemId\":\"$line\",\"quantity\":$q,\"reason\":\"check\"}"
	   req "$n" A /inventory/holds/release '{"holdId":"@ID@"}' ;;
	6) req "$n" A /inventory/holds "{\"lotId\":\"$other\",\"reason\":\"lot check\"}"
	   req "$n" A /inventory/holds/release '{"holdId":"@ID@"}' ;;
	7) req "$n" A /inventory/record-stock "{\"productMasterId\":\"$PL\",\"locationId\":\"$LOC\",\"lotId\":\"$other\",\"mode\":\"RECEIVE\",\"quantity\":$q}" ;;
	8) req "$n" A /inventory/adjustments/stock "{\"inventoryItemId\":\"$line\",\"type\":\"THEFT\",\"quantityChange\":-$q,\"reason\":\"stolen\"}"
	   req "$n" B /inventory/adjustments/stock/@ID@/approve '{}' ;;
	9) req "$n" A /inventory/expired/mark-expired "{\"locationId\":\"$LOC\"}" ;;
	esac
}
new_phase mixed mixed_requests
run_phase '200|201|409'
verify_ledger mixed
api GET "/inventory/availability?includeExpired=true&includeOnHold=true&includeRecalled=true&limit=100"
check_eq "$(jq '[.data[] | select(.qtyAvailable < 0 or .qtyReserved < 0 or .qtyOnHold < 0 or .qtyPicked < 0)] | length' <<<"$BODY")" 0 \
	"mixed: no bucket and no available quantity is negative"

done_testing
