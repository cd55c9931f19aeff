#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What careless clients and attackers send: bytes that are not UTF-8 (in
# bodies, query strings, paths and headers), NUL characters, unknown query
# parameters and their accepted other spellings, booleans as clients spell
# them, out-of-range numbers, single-quoted JSON, enum errors that name the
# values, JWTs bent out of shape, HEAD, and log lines that cannot be forged.
# Every refusal is a JSON 400 that changes nothing, and after a burst of
# them the API still answers and the stock line is not left locked.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t190.XXXXXX")
slug=$(uniq_slug hostile)
ws=$(new_workspace "$slug")
TOKEN=$(new_key "$slug" '*' admin)
secret=$(head -n 1 "$TEST_DIR/jwt.secret")

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }

# raw_json METHOD PATH FILE [HEADERS...]: sends FILE's bytes as the JSON body.
raw_json() {
	local method=$1 path=$2 file=$3
	shift 3
	api_raw "$method" "$path" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' --data-binary "@$file" "$@"
}

# refused_400 DESC FIELD: the answer is a JSON 400 naming FIELD.
refused_400() {
	check_status 400 "$1: 400"
	check_json '.details[0].field' "$2" "$1: names $2"
}

# --- setup: a product with 100 units on one line
api POST /products '{"globalSku":"HOST-1","name":"Hostile"}'
prod=$(id_of)
api POST /locations '{"code":"HOST","name":"Hostile store"}'
loc=$(id_of)
api POST /reason-codes '{"code":"HOSTILE_COUNT","name":"Counted"}'
rc=$(id_of)
api POST /inventory/record-stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":100}"
check_true '.inventoryItem.qtyOnHand == 100' "setup: 100 units on hand"
item=$(jq -r .inventoryItem.id <<<"$BODY")

on_hand() {
	local body=$BODY status=$STATUS
	api GET "/inventory/availability/$item"
	jq -r '.qtyOnHand // .data.qtyOnHand // .item.qtyOnHand // empty' <<<"$BODY"
	BODY=$body STATUS=$status
}
check_eq "$(on_hand)" 100 "setup: availability reads 100 on hand"

# --- 1. bytes that are not UTF-8 in a JSON string
adjust_with_comment() { # adjust_with_comment PRINTF_BYTES
	printf '{"inventoryItemId":"%s","newQtyOnHand":90,"reasonCodeId":"%s","comment":"bad %b here"}' \
		"$item" "$rc" "$1" >"$WORK/body.json"
	raw_json POST /inventory/adjust "$WORK/body.json"
}
for bytes in '\xff\xfe' '\xed\xa0\x80' '\xc0\xaf' '\xf4\x90\x80\x80' '\xe2\x82' '\x80'; do
	adjust_with_comment "$bytes"
	refused_400 "a comment holding $bytes" comment
done
check_json .error "Invalid request data" "the error is Invalid request data"
# A burst of them, as the report that took the API down sent.
for _ in $(seq 1 30); do
	adjust_with_comment '\xff\xfe'
	[ "$STATUS" = 400 ] || break
done
check_status 400 "30 more such requests are all 400"
api GET /health "" -
check_status 200 "health answers after the burst"
api POST /inventory/adjust "{\"inventoryItemId\":\"$item\",\"newQtyOnHand\":95,\"reasonCodeId\":\"$rc\",\"comment\":\"caf\u00e9 ok\"}"
check_status 200 "a good adjustment of the same line goes through at once (nothing left locked)"
check_eq "$(on_hand)" 95 "only the good adjustment was applied"

# Keys too, and strings deep in arrays.
printf '{"items":[{"sku":"a","locationId":"%s","quantity":1},{"sku":"b\xff","locationId":"%s","quantity":1}]}' \
	"$loc" "$loc" >"$WORK/body.json"
raw_json POST /inventory/availability/check "$WORK/body.json"
refused_400 "a bad string in the second item of an array" 'items[1].sku'
printf '{"inventoryItemId":"%s","newQtyOnHand":90,"reasonCodeId":"%s","c\xffmment":"x"}' "$item" "$rc" \
	>"$WORK/body.json"
raw_json POST /inventory/adjust "$WORK/body.json"
check_status 400 "a key that is not UTF-8 is 400"

# Inventory levels: status and comments.
printf '{"productMasterId":"%s","locationId":"%s","minQuantity":1,"comments":"\xff\xfe"}' "$prod" "$loc" \
	>"$WORK/body.json"
raw_json POST /inventory-levels "$WORK/body.json"
refused_400 "level comments that are not UTF-8" comments
printf '{"productMasterId":"%s","locationId":"%s","minQuantity":1,"status":"\xff\xfe"}' "$prod" "$loc" \
	>"$WORK/body.json"
raw_json POST /inventory-levels "$WORK/body.json"
refused_400 "a level status that is not UTF-8" status
api GET "/products/$prod/inventory-levels"
check_eq "$(jq '[.. | objects | select(has("locationId"))] | length' <<<"$BODY")" 0 "no level was created"

# --- 12. NUL inside a JSON string
api POST /inventory-levels "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\\u0000junk\",\"minQuantity\":1}"
refused_400 "\\u0000 inside an id" locationId
api POST /inventory/adjust "{\"inventoryItemId\":\"$item\",\"newQtyOnHand\":1,\"reasonCodeId\":\"$rc\",\"comment\":\"cut\\u0000here\"}"
refused_400 "\\u0000 inside a comment" comment
check_eq "$(on_hand)" 95 "nothing was adjusted"

# --- query strings, paths and headers
api GET "/products?search=%FF%FE"
refused_400 "a search that is not UTF-8" search
api GET "/products?search=%ED%A0%80"
refused_400 "a surrogate in a search" search
api GET "/products/prod_1%FF"
check_status 400 "a path that is not UTF-8 is 400"
check_json .error "Bad Request" "it is a JSON error"
printf '{"inventoryItemId":"%s","newQtyOnHand":50,"reasonCodeId":"%s"}' "$item" "$rc" >"$WORK/body.json"
raw_json POST /inventory/adjust "$WORK/body.json" -H "$(printf 'Idempotency-Key: k\xff\xfe')"
refused_400 "an Idempotency-Key that is not UTF-8" Idempotency-Key
raw_json POST /inventory/adjust "$WORK/body.json" -H "Idempotency-Key: $(printf 'k%.0s' $(seq 1 201))"
refused_400 "an Idempotency-Key of 201 characters" Idempotency-Key
check_eq "$(on_hand)" 95 "none of them adjusted anything"

# --- 8. unknown query parameters, and the accepted other spellings
api POST /products '{"globalSku":"HOST-2","name":"Other"}'
prod2=$(id_of)
api POST /inventory/adjustments/stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"adjustmentType\":\"INCREASE\",\"quantity\":1,\"reason\":\"found\"}"
api GET "/inventory/adjustments/stock?productMasterId=$prod2"
check_json '.pagination.total // (.items | length)' 0 "no typed adjustment of the other product"
api GET "/inventory/adjustments/stock?productid=$prod2"
refused_400 "a misspelt parameter" productid
check_json .message "productid is not a known parameter of this endpoint" "the message names it"
api GET "/inventory/adjustments/stock?productId=$prod2"
check_status 200 "productId, the legacy name of productMasterId, is accepted"
check_json '.pagination.total // (.items | length)' 0 "and filters like productMasterId"
api GET "/inventory/adjustments/stock?productId=$prod2&productMasterId=$prod"
refused_400 "both spellings at once" productId
api GET "/inventory?limit=5&colour=red"
refused_400 "an unknown parameter on the inventory list" colour
api GET "/products?nme=x"
refused_400 "an unknown parameter on a master-data list" nme
api GET "/inventory/adjustments?startDate=2000-01-01&endDate=2000-01-02"
check_status 200 "startDate/endDate are accepted for fromDate/toDate"
check_json .total 0 "and filter (nothing in 2000)"
api GET "/inventory/adjustments?fromDate=2000-01-01&toDate=2999-01-01"
check_true '.total >= 2' "fromDate/toDate is the one spelling"
api GET "/openapi.json" "" -
check_eq "$(jq -r '.paths["/api/inventory/adjustments"].get.parameters | map(select(.name == "startDate")) | .[0].deprecated' <<<"$BODY")" \
	true "the OpenAPI document lists startDate as a deprecated spelling"

# --- 9. booleans as clients spell them
for v in True TRUE true 1 False false 0; do
	api GET "/inventory/availability?productMasterId=$prod&summary=$v"
	check_status 200 "summary=$v is accepted"
done
api GET "/inventory/availability?productMasterId=$prod&summary=True"
check_json .type summary "summary=True means true"
api GET "/inventory/availability?productMasterId=$prod&summary=yes"
refused_400 "summary=yes" summary

# --- numbers in the query
for v in nan inf -inf 1e400 0x10; do
	api GET "/inventory?limit=$v"
	refused_400 "limit=$v" limit
done

# --- 11. enum errors name the values; single quotes are not JSON
api GET "/inventory/adjustments/stock?status=MAYBE"
refused_400 "an unknown status" status
check_true '.details[0].message | startswith("must be one of: ") and contains("PENDING")' \
	"the message lists the allowed values"
api PATCH "/products/$prod" "{'name':'Single'}"
check_status 400 "a PATCH body with single-quoted keys is 400"
check_json .error "Invalid JSON" "it says Invalid JSON"
api GET "/products/$prod"
check_json .name Hostile "the product was not renamed"

# --- 11. JWTs: the algorithm's exact name, and the workspace as a string id
jwt() { # jwt HEADER_JSON PAYLOAD_JSON
	python3 - "$1" "$2" "$secret" <<-'PY'
	import base64, hashlib, hmac, sys
	b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
	msg = b64(sys.argv[1].encode()) + "." + b64(sys.argv[2].encode())
	print(msg + "." + b64(hmac.new(sys.argv[3].encode(), msg.encode(), hashlib.sha256).digest()))
	PY
}
exp=$(($(date +%s) + 600))
ws_num=${ws#ws_}
good=$(jwt '{"alg":"HS256","typ":"JWT"}' "{\"sub\":\"u\",\"workspace\":\"$ws\",\"permissions\":[\"inventory.read\"],\"exp\":$exp}")
api GET "/inventory?limit=1" "" "$good"
check_status 200 "a well-formed HS256 token is accepted"
lower=$(jwt '{"alg":"hs256","typ":"JWT"}' "{\"sub\":\"u\",\"workspace\":\"$ws\",\"permissions\":[\"inventory.read\"],\"exp\":$exp}")
api GET "/inventory?limit=1" "" "$lower"
check_status 401 "alg hs256 (lower case) is refused"
numeric=$(jwt '{"alg":"HS256","typ":"JWT"}' "{\"sub\":\"u\",\"workspace\":$ws_num,\"permissions\":[\"inventory.read\"],\"exp\":$exp}")
api GET "/inventory?limit=1" "" "$numeric"
check_status 401 "an integer workspace claim is refused"

# --- HEAD on a GET route
api HEAD "/inventory?limit=1"
check_status 200 "HEAD on a GET route is 200"
# curl --head stores the headers where the body would be: no JSON follows them.
check_eq "$(grep -c '^{' <<<"$BODY" || true)" 0 "with no body"
api POST /inventory ""
check_header allow 'GET, HEAD' "405 lists HEAD beside GET"

# --- the log line cannot be forged
api GET "/products/x%0aforged%20200%20line%1b%5b31m"
sleep 0.3
check_eq "$(grep -c '^forged' "$TEST_DIR/fcgi.log" || true)" 0 "a newline in the path does not start a log line"
check_eq "$(grep -qF 'x\x0aforged' "$TEST_DIR/fcgi.log" && echo yes || echo no)" yes \
	"the newline is logged escaped"

api GET /health "" -
check_status 200 "the API still answers"
done_testing
