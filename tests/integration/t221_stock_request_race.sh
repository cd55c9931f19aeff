#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stock requests never promise the same units twice (issue 11; the OpenBoxes
# bug of PR #6061, two requests both issued the same 5 units): two requests
# approved at once for the last units, then 16 at once where only 8 fit, the
# 8 issued and received at once, then 16 submits at once with approval off.
# Exactly the ones that fit succeed, the others are 409 and unchanged, the
# reservations add up, no stock goes negative, and the ledger verifies.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CLIENTS=${RACE_CLIENTS:-16}

slug=$(uniq_slug srrace)
new_workspace "$slug" >/dev/null
# key_and_id PERMS ROLES: sets KEY and KEY_ID.
key_and_id() {
	local out
	out=$(ctl apikey create --workspace "$slug" --permissions "$1" --roles "$2" --name t221)
	KEY=$(sed -n 's/^key: *//p' <<<"$out")
	KEY_ID=$(sed -n 's/^id: *//p' <<<"$out")
}
key_and_id '*' admin
REQ=$KEY
key_and_id '*' admin
MGR=$KEY MGR_ID=$KEY_ID
TOKEN=$REQ
work=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t221.XXXXXX")

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }
api POST /locations '{"code": "WH", "name": "Warehouse", "type": "WAREHOUSE"}'
WH=$(id_of)
api POST /locations '{"code": "WARD", "name": "Ward"}'
WARD=$(id_of)
api POST /products '{"globalSku": "SRR-1", "name": "Last units", "unitCost": 1}'
P1=$(id_of)
api POST /products '{"globalSku": "SRR-2", "name": "Sixteen askers", "unitCost": 1}'
P2=$(id_of)
api POST /products '{"globalSku": "SRR-3", "name": "Auto-approved", "unitCost": 1}'
P3=$(id_of)
api POST /products '{"globalSku": "SRR-4", "name": "One request, many clients", "unitCost": 1}'
P4=$(id_of)
# stock PROD QTY: received at the warehouse without a bin; prints the line's id.
stock() {
	api POST /inventory/record-stock "{\"productMasterId\": \"$1\", \"locationId\": \"$WH\", \"quantity\": $2, \"mode\": \"RECEIVE\"}"
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
I1=$(stock "$P1" 10)
I2=$(stock "$P2" 40)
I3=$(stock "$P3" 20)
I4=$(stock "$P4" 10)
check_true "$(printf '%s\n' "$WH" "$WARD" "$P1" "$P2" "$P3" "$P4" "$I1" "$I2" "$I3" "$I4" "$MGR_ID" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all')" \
	"setup: two locations, three products with stock at the warehouse, two keys"

# q ITEM: "onHand reserved available" of a stock line.
q() {
	api GET "/inventory?limit=100"
	jq -r --arg id "$1" '[.items[] | select(.id == $id) | "\(.quantityOnHand) \(.quantityReserved) \(.quantityAvailable)"] | first // "none"' <<<"$BODY"
}
# ward_on_hand PROD: the ward's on hand of PROD.
ward_on_hand() {
	api GET "/inventory?locationId=$WARD&productMasterId=$1&limit=100"
	jq -r '[.items[].quantityOnHand] | add // 0' <<<"$BODY"
}
# new_requests N PROD QTY [submit]: creates N requests ward <- warehouse for
# QTY of PROD (and submits them); prints their ids, one a line.
new_requests() {
	local i id
	for i in $(seq 1 "$1"); do
		api POST /stock-requests "{\"requestingLocationId\": \"$WARD\", \"fulfillingLocationId\": \"$WH\", \"lines\": [{\"productMasterId\": \"$2\", \"quantity\": $3}]}"
		id=$(id_of)
		if [ -n "${4:-}" ]; then
			api POST "/stock-requests/$id/submit"
			[ "$(jq -r .status <<<"$BODY")" = PENDING_APPROVAL ] || diag "submit of $id answered $STATUS" "$BODY"
		fi
		printf '%s\n' "$id"
	done
}
# race NAME TOKEN ACTION BODY ID...: (an ID may come several times) one client per ID posts BODY to
# /stock-requests/ID/ACTION, all at once; each writes "code id status" to
# $work/NAME.N and the body to $work/NAME.body.N.
race() {
	local name=$1 token=$2 action=$3 body=$4 i=0 id
	shift 4
	for id in "$@"; do
		i=$((i + 1))
		(
			resp=$(curl -s -w '\n%{http_code}' -X POST "$INVENTORY_URL/stock-requests/$id/$action" \
				-H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "$body")
			code=${resp##*$'\n'}
			resp=${resp%$'\n'*}
			printf '%s %s %s\n' "$code" "$id" "$(jq -r '.status // "-"' <<<"$resp" 2>/dev/null || echo -)" >"$work/$name.$i"
			printf '%s\n' "$resp" >"$work/$name.body.$i"
		) &
	done
	wait
	: >"$work/$name.all"
	[ "$i" = 0 ] || cat "$work/$name".[0-9]* >"$work/$name.all"
	diag "$name: $(awk '{print $1}' "$work/$name.all" | sort | uniq -c | paste -sd, -)"
}
count() { awk -v c="$2" '$1 == c' "$work/$1.all" | wc -l | tr -d ' '; }
ids_with() { awk -v c="$2" '$1 == c {print $2}' "$work/$1.all" | sort; }
# statuses ID...: "STATUS xN" of the requests, sorted.
statuses() {
	local id
	for id in "$@"; do
		api GET "/stock-requests/$id"
		jq -r .status <<<"$BODY"
	done | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? " " : ""), $2, $1}'
}

# ---------------------------------------------------------------- two for the last units

mapfile -t PAIR < <(new_requests 2 "$P1" 6 submit)
check_eq "$(statuses "${PAIR[@]}")" "PENDING_APPROVAL x2" "two requests for 6 of the 10 units wait for approval"
race pair "$MGR" approve '{}' "${PAIR[@]}"
check_eq "$(count pair 200) $(count pair 409)" "1 1" "approved at once: one is 200, the other 409"
check_eq "$(cat "$work"/pair.body.* | jq -s 'map(select(.error == "Insufficient stock")) | length')" 1 \
	"the 409 says Insufficient stock"
WIN=$(ids_with pair 200)
LOSE=$(ids_with pair 409)
check_eq "$(q "$I1")" "10 6 4" "6 reserved, 4 left available"
api GET "/stock-requests/$LOSE"
check_json '[.status, .transferId, .lines[0].quantityApproved] | map(tostring) | join("|")' "PENDING_APPROVAL|null|null" \
	"the refused request is unchanged: PENDING_APPROVAL, no transfer, nothing approved"
api GET "/stock-requests/$WIN"
check_json '[.status, .quantityApproved] | map(tostring) | join("|")' "APPROVED|6" "the other is APPROVED for 6"
api POST "/stock-requests/$LOSE/approve" '{}' "$MGR"
check_status 409 "approving the refused one again is still 409"
api GET "/stock-requests/$LOSE"
LOSE_LINE=$(jq -r '.lines[0].id' <<<"$BODY")
api POST "/stock-requests/$LOSE/approve" "{\"lines\": [{\"lineId\": \"$LOSE_LINE\", \"quantityApproved\": 4, \"reason\": \"Last 4\"}]}" "$MGR"
check_status 200 "approving it for the 4 left is 200"
check_eq "$(q "$I1")" "10 10 0" "all 10 are reserved between the two"
api POST "/stock-requests/$WIN/status" '{"status": "ISSUED"}'
check_status 200 "the first is issued"
api POST "/stock-requests/$LOSE/status" '{"status": "ISSUED"}'
check_status 200 "the second is issued"
check_eq "$(q "$I1")" "0 0 0" "the warehouse has none left, none negative"

# ---------------------------------------------------------------- sixteen for eight

FIT=$((40 / 5))
mapfile -t MANY < <(new_requests "$CLIENTS" "$P2" 5 submit)
check_eq "$(statuses "${MANY[@]}")" "PENDING_APPROVAL x$CLIENTS" "$CLIENTS requests for 5 of the 40 units wait for approval"
race many "$MGR" approve '{}' "${MANY[@]}"
check_eq "$(wc -l <"$work/many.all" | tr -d ' ')" "$CLIENTS" "every client got an answer"
check_eq "$(count many 200)" "$FIT" "exactly $FIT approvals succeed"
check_eq "$(count many 409)" $((CLIENTS - FIT)) "the other $((CLIENTS - FIT)) are 409"
check_eq "$(awk '$1 >= 500' "$work/many.all" | wc -l | tr -d ' ')" 0 "no request got a server error"
check_eq "$(cat "$work"/many.body.* | jq -s 'map(select(.error == "Insufficient stock")) | length')" $((CLIENTS - FIT)) \
	"the 409s say Insufficient stock"
check_eq "$(q "$I2")" "40 40 0" "all 40 reserved, none available"
mapfile -t APPROVED < <(ids_with many 200)
mapfile -t REFUSED < <(ids_with many 409)
check_eq "$(statuses "${APPROVED[@]}")" "APPROVED x$FIT" "the requests answered 200 are APPROVED"
check_eq "$(statuses "${REFUSED[@]}")" "PENDING_APPROVAL x$((CLIENTS - FIT))" "the refused ones are still PENDING_APPROVAL"
api GET "/stock-requests?status=APPROVED&limit=100"
check_json "[.items[] | select(.quantityRequested == 5) | .quantityApproved] | add" 40 "the APPROVED requests carry 40 between them"
transfers=$(for id in "${APPROVED[@]}"; do
	api GET "/stock-requests/$id"
	jq -r .transferId <<<"$BODY"
done | sort -u | grep -c '^trf_' || true)
check_eq "$transfers" "$FIT" "each has its own transfer"
api GET "/inventory/transfers?fromLocationId=$WH&status=PENDING&limit=100"
check_json '[.items[].quantity] | add' 40 "the PENDING transfers from the warehouse carry those 40"

race issue "$REQ" status '{"status": "ISSUED"}' "${APPROVED[@]}"
check_eq "$(count issue 200)" "$FIT" "the $FIT approved requests are issued at once: all 200"
check_eq "$(q "$I2")" "0 0 0" "the warehouse has 0 left, never negative"
race refused_issue "$REQ" status '{"status": "ISSUED"}' "${REFUSED[@]}"
check_eq "$(count refused_issue 409)" $((CLIENTS - FIT)) "issuing a request still pending approval is 409"
race receive "$REQ" status '{"status": "RECEIVED"}' "${APPROVED[@]}"
check_eq "$(count receive 200)" "$FIT" "and received at once: all 200"
check_eq "$(statuses "${APPROVED[@]}")" "RECEIVED x$FIT" "they are RECEIVED"
check_eq "$(ward_on_hand "$P2")" 40 "the ward has the 40, received once each"

# ---------------------------------------------------------------- one request, many clients

mapfile -t ONE < <(new_requests 1 "$P4" 3 submit)
SAME=${ONE[0]}
same8() { local i; for i in $(seq 1 8); do printf '%s\n' "$SAME"; done; }
mapfile -t SAME8 < <(same8)
race same_approve "$MGR" approve '{}' "${SAME8[@]}"
check_eq "$(count same_approve 200) $(count same_approve 409)" "1 7" "8 approvals of one request at once: one 200, seven 409"
check_eq "$(q "$I4")" "10 3 7" "its 3 are reserved once"
api GET "/stock-requests/$SAME"
check_json '[.status, ([.history[] | select(.toStatus == "APPROVED")] | length)] | map(tostring) | join("|")' "APPROVED|1" \
	"it is APPROVED, once in its history"
race same_issue "$REQ" status '{"status": "ISSUED"}' "${SAME8[@]}"
check_eq "$(count same_issue 200) $(count same_issue 409)" "1 7" "8 issues of it at once: one 200, seven 409"
check_eq "$(q "$I4")" "7 0 7" "the 3 left the warehouse once"
api GET "/stock-requests/$SAME"
SAME_LINE=$(jq -r '.lines[0].id' <<<"$BODY")
race same_receive "$REQ" status "{\"status\": \"RECEIVED\", \"lines\": [{\"lineId\": \"$SAME_LINE\", \"quantity\": 1}]}" "${SAME8[@]}"
check_eq "$(count same_receive 200)" 3 "8 receipts of 1 of the 3 at once: exactly 3 are 200"
check_eq "$(awk '$1 == 400 || $1 == 409' "$work/same_receive.all" | wc -l | tr -d ' ')" 5 "the other 5 are refused (400 or 409)"
check_eq "$(awk '$1 >= 500' "$work/same_receive.all" | wc -l | tr -d ' ')" 0 "no request got a server error"
api GET "/stock-requests/$SAME"
check_json '[.status, .quantityIssued, .quantityReceived] | map(tostring) | join("|")' "RECEIVED|3|3" "the request is RECEIVED, 3 of 3"
check_eq "$(ward_on_hand "$P4")" 3 "the ward has the 3, not more"

# Approve and cancel race on each of 8 requests: whichever comes first, the
# request ends CANCELLED and nothing stays reserved.
mapfile -t TORN < <(new_requests 8 "$P4" 1 submit)
(race torn_approve "$MGR" approve '{}' "${TORN[@]}") &
(race torn_cancel "$REQ" status '{"status": "CANCELLED"}' "${TORN[@]}") &
wait
check_eq "$(count torn_cancel 200)" 8 "every cancel is 200 (before or after the approval)"
check_eq "$(awk '$1 >= 500' "$work/torn_approve.all" | wc -l | tr -d ' ')" 0 "no approval got a server error"
check_eq "$(statuses "${TORN[@]}")" "CANCELLED x8" "the 8 requests are CANCELLED"
check_eq "$(q "$I4")" "7 0 7" "and nothing is left reserved"

# ---------------------------------------------------------------- submits with approval off

if out=$(ctl workspace set "$slug" --request-approval no 2>&1); then
	pass "workspace set --request-approval no"
else
	fail "workspace set --request-approval no" "$out"
fi
mapfile -t AUTO < <(new_requests "$CLIENTS" "$P3" 4)
race auto "$REQ" submit '{}' "${AUTO[@]}"
check_eq "$(count auto 200)" 5 "16 submits of 4 at once for 20 units: exactly 5 are 200"
check_eq "$(count auto 409)" $((CLIENTS - 5)) "the others are 409"
check_eq "$(awk '$1 >= 500' "$work/auto.all" | wc -l | tr -d ' ')" 0 "no request got a server error"
check_eq "$(awk '$1 == 200 {print $3}' "$work/auto.all" | sort -u | paste -sd,)" APPROVED "the 200s went straight to APPROVED"
mapfile -t AUTO_REFUSED < <(ids_with auto 409)
check_eq "$(statuses "${AUTO_REFUSED[@]}")" "DRAFT x$((CLIENTS - 5))" "the refused ones stay DRAFT"
check_eq "$(q "$I3")" "20 20 0" "all 20 reserved"

# ---------------------------------------------------------------- ledger

api GET "/inventory?limit=100"
check_eq "$(jq '[.items[] | select(.quantityOnHand < 0 or .quantityAvailable < 0 or .quantityReserved < 0 or .quantityReserved > .quantityOnHand)] | length' <<<"$BODY")" 0 \
	"no line is negative or over-reserved"
if ctl ledger verify --workspace "$slug" >"$work/verify.out" 2>&1; then
	pass "ledger verify finds no mismatch"
else
	fail "ledger verify finds no mismatch" "$(head -5 "$work/verify.out")"
fi

done_testing
