#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A stalled database (MariaDB frozen with SIGSTOP, as a hung disk or a
# paused VM would leave it): every request is answered, as JSON 503,
# within the responders' budget (db.read_timeout_seconds, 10 s by default,
# about twice that at worst) and so before nginx gives up (30 s); a write
# that was answered with an error is never applied later; once the
# database thaws, the API recovers by itself, and the write retried with
# its Idempotency-Key is applied exactly once.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/stack.sh
. "$(dirname "$0")/../../scripts/lib/stack.sh"

BUDGET=25     # seconds: within nginx's fastcgi_read_timeout of 30 s
slug=$(uniq_slug stall)
new_workspace "$slug" >/dev/null
TOKEN=$(new_token "$slug" '*' admin 3600)

api POST /products '{"globalSku":"STALL-1","name":"Stalled"}'
prod=$(jq -r .id <<<"$BODY")
api POST /locations '{"code":"STALL","name":"Stall"}'
loc=$(jq -r .id <<<"$BODY")
api POST /reason-codes '{"code":"STALL_COUNT","name":"Counted"}'
rc=$(jq -r .id <<<"$BODY")
api POST /inventory/record-stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":10}"
item=$(jq -r .inventoryItem.id <<<"$BODY")
check_true '.inventoryItem.qtyOnHand == 10' "setup: 10 on hand"
# Every worker has seen the workspace before the freeze.
for _ in $(seq 1 8); do api GET "/inventory?limit=1"; done

on_hand() {
	local body=$BODY status=$STATUS
	api GET "/inventory?limit=100"
	jq -r --arg id "$item" '.items[] | select(.id == $id) | .quantityOnHand' <<<"$BODY"
	BODY=$body STATUS=$status
}

dbpid=$(_stack_db_pid "$TEST_DIR")
kill -STOP "$dbpid"
thaw() { kill -CONT "$dbpid" 2>/dev/null || true; }
trap 'thaw; rm -rf "$_API_TMP"' EXIT

# timed NAME CMD...: runs an api call, checks it ended within the budget.
timed() {
	local desc=$1 start end
	shift
	start=$(date +%s)
	"$@"
	end=$(date +%s)
	check_true "$((end - start)) <= $BUDGET" "$desc answered in $((end - start)) s (at most $BUDGET)"
}

body="{\"inventoryItemId\":\"$item\",\"newQtyOnHand\":7,\"reasonCodeId\":\"$rc\",\"comment\":\"during the stall\"}"
timed "a write during the stall" api_raw POST /inventory/adjust -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -H 'Idempotency-Key: stall-1' --data-binary "$body"
check_status 503 "the write is 503"
check_json .error "Service Unavailable" "as a JSON error"
timed "a read during the stall" api GET "/inventory?limit=1"
check_status 503 "the read is 503"
timed "health during the stall" api GET /health "" -
check_status 503 "health is 503"

thaw
for _ in $(seq 1 100); do
	api GET /health "" -
	[ "$STATUS" = 200 ] && break
	sleep 0.2
done
check_status 200 "health recovers once the database thaws"
sleep 2   # anything the server still held would have committed by now
check_eq "$(on_hand)" 10 "the write answered 503 was not applied after the thaw"

api_raw POST /inventory/adjust -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -H 'Idempotency-Key: stall-1' --data-binary "$body"
check_status 200 "its retry with the same Idempotency-Key runs at once"
check_eq "$(header_value idempotent-replayed)" "" "and is not a replay"
api_raw POST /inventory/adjust -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -H 'Idempotency-Key: stall-1' --data-binary "$body"
check_header idempotent-replayed '^true' "a second retry replays it"
check_eq "$(on_hand)" 7 "the write was applied exactly once"
out=$(ctl ledger verify --workspace "$slug" 2>&1) && pass "the ledger verifies" || fail "the ledger verifies" "$out"

done_testing
