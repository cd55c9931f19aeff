#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Idempotency-Key on POST, PATCH and DELETE: the first response is kept and
# replayed, a retry changes nothing (also when sent concurrently), the same
# key with another request is 422, and keys are scoped to the caller.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

slug=$(uniq_slug idem)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
other_key=$(new_key "$slug" '*' admin)

# post_idem METHOD PATH BODY KEY [TOKEN]
post_idem() {
	local token=${5:-$TOKEN}
	api_raw "$1" "$2" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $4" --data-binary "$3"
}

body='{"globalSku":"IDEM-1","name":"Idempotent"}'
post_idem POST /products "$body" key-1
check_status 201 "the first POST creates the product"
first=$BODY
prod=$(jq -r .id <<<"$BODY")
post_idem POST /products "$body" key-1
check_status 201 "the retry answers the stored status"
check_eq "$BODY" "$first" "the retry answers the stored body"
check_header idempotent-replayed '^true' "the retry is marked Idempotent-Replayed"
api GET "/products?globalSku=IDEM-1"
check_json .pagination.total 1 "the product exists once"

post_idem POST /products '{"globalSku":"IDEM-2","name":"Other"}' key-1
check_status 422 "the same key with another body is 422"
check_json .error "Unprocessable Entity" "422 says Unprocessable Entity"
api GET "/products?globalSku=IDEM-2"
check_json .pagination.total 0 "the other body was not applied"

post_idem POST /products '{"globalSku":"IDEM-3","name":"Third"}' key-1 "$other_key"
check_status 201 "another caller may use the same key for its own request"

# A request that runs and fails (a duplicate SKU); an unknown id would be
# answered before the request runs, and such answers are not kept.
post_idem POST /products '{"globalSku":"IDEM-1","name":"Duplicate"}' key-409
check_status 409 "a request that fails is answered"
post_idem POST /products '{"globalSku":"IDEM-1","name":"Duplicate"}' key-409
check_status 409 "its retry gets the same error"
check_header idempotent-replayed '^true' "the error is replayed, not recomputed"

post_idem PATCH "/products/$prod" '{"name":"Renamed once"}' key-patch
check_status 200 "PATCH with a key"
api PATCH "/products/$prod" '{"name":"Renamed twice"}'
post_idem PATCH "/products/$prod" '{"name":"Renamed once"}' key-patch
check_json .name "Renamed once" "a PATCH retry replays the first answer"
api GET "/products/$prod"
check_json .name "Renamed twice" "and does not apply again"

api POST /locations '{"code":"IDEM","name":"Idem"}'
loc=$(jq -r .id <<<"$BODY")
api POST /inventory-levels "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"minQuantity\":1}"
level=$(jq -r .id <<<"$BODY")
post_idem DELETE "/inventory-levels/$level" "" key-del
check_status 200 "DELETE with a key"
post_idem DELETE "/inventory-levels/$level" "" key-del
check_status 200 "a retried DELETE replays 200 instead of 404"

long=$(printf 'k%.0s' {1..201})
post_idem POST /products '{"globalSku":"IDEM-5","name":"Long key"}' "$long"
check_status 400 "a key of more than 200 characters is 400"

# Stock: the same receipt sent by ten clients at once applies once.
api POST /inventory/record-stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":100}"
check_status "200|201" "stock is recorded"
item=$(jq -r .inventoryItem.id <<<"$BODY")
receipt="{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":5,\"mode\":\"RECEIVE\"}"
out=$(mktemp -d)
for i in $(seq 1 10); do
	curl -s -o "$out/$i.body" -w '%{http_code}\n' -X POST "$INVENTORY_URL/inventory/record-stock" \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-H 'Idempotency-Key: receipt-1' --data-binary "$receipt" >"$out/$i.code" &
done
wait
codes=$(cat "$out"/*.code | sort | uniq -c | awk '{print $2 ":" $1}' | paste -sd' ')
ok_codes=$(cat "$out"/*.code | grep -c '^20[01]$' || true)
bad_codes=$(cat "$out"/*.code | grep -vc '^20[01]$\|^409$' || true)
check_eq "$([ "$ok_codes" -ge 1 ] && echo yes)" yes "at least one concurrent receipt succeeded ($codes)"
check_eq "$bad_codes" 0 "the others were 409 (still running) or replays ($codes)"
post_idem POST /inventory/record-stock "$receipt" receipt-1
check_status "200|201" "a later retry gets the stored answer"
api GET "/inventory/availability/$item"
check_json .qtyOnHand 105 "the receipt was applied once (100 + 5)"
rm -rf "$out"

# The ledger agrees.
if ctl ledger verify --workspace "$slug" >/dev/null 2>&1; then
	pass "ledger verify finds no mismatch"
else
	fail "ledger verify finds no mismatch"
fi

done_testing
