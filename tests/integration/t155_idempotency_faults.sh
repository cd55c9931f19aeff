#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Idempotency-Key through failures: a request stuck behind a lock is not
# applied twice by its own retry (the retry waits and replays), a key whose
# worker was killed mid-request can be retried at once (no 409 "still in
# progress"), and a key is applied at most once in every case.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/stack.sh
. "$(dirname "$0")/../../scripts/lib/stack.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t155.XXXXXX")
slug=$(uniq_slug idemfault)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)

api POST /products '{"globalSku":"IF-1","name":"Faults"}'
prod=$(jq -r .id <<<"$BODY")
api POST /locations '{"code":"IF","name":"Faults"}'
loc=$(jq -r .id <<<"$BODY")
api POST /inventory/record-stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":100}"
item=$(jq -r .inventoryItem.id <<<"$BODY")
line=${item#item_}
check_true '.inventoryItem.qtyOnHand == 100' "setup: 100 on hand"

# hold_line SECONDS: locks the stock line from another session, in the background.
hold_line() {
	sql "START TRANSACTION; SELECT id FROM stock_lines WHERE id = $line FOR UPDATE; DO SLEEP($1); COMMIT;" \
		>/dev/null &
	HOLDER=$!
	for _ in $(seq 1 50); do
		[ "$(sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_rows_locked > 0")" -gt 0 ] && break
		sleep 0.1
	done
}
transactions() {
	sql "SELECT COUNT(*) FROM stock_transactions WHERE stock_line_id = $line"
}
on_hand() {
	sql "SELECT qty_on_hand FROM stock_lines WHERE id = $line"
}
# reserve KEY QTY OUT: POST a reservation with KEY; status, replay header and body to OUT.
reserve() {
	curl -sS -o "$3.body" -D "$3.headers" -w '%{http_code}' -X POST \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $1" --data-binary "{\"action\":\"RESERVE\",\"quantity\":$2}" \
		"$INVENTORY_URL/inventory/availability/$item" >"$3.status" 2>/dev/null || echo 000 >"$3.status"
}

# --- a retry that arrives while the first waits on a lock
before=$(transactions)
hold_line 3
reserve dup-1 5 "$WORK/a" &
a=$!
sleep 0.5
reserve dup-1 5 "$WORK/b" &
b=$!
wait "$a" "$b" "$HOLDER"
check_eq "$(cat "$WORK/a.status") $(cat "$WORK/b.status")" "200 200" "the first and its concurrent retry both answer 200"
check_eq "$(grep -ci '^idempotent-replayed: true' "$WORK/a.headers" "$WORK/b.headers" | awk -F: '{s += $2} END {print s}')" 1 \
	"exactly one of them is the replay"
check_eq "$(($(transactions) - before))" 1 "one reservation was posted, not two"
api GET "/inventory/availability/$item"
check_true '[.. | numbers] | length > 0' "availability answers"
check_eq "$(sql "SELECT qty_reserved FROM stock_lines WHERE id = $line")" 5 "5 reserved, not 10"

# --- the worker handling the request is killed while it waits
before=$(transactions)
hold_line 4
reserve kill-1 7 "$WORK/c" &
c=$!
sleep 1
mapfile -t workers < <(_stack_fcgi_pids "$TEST_DIR")
check_true "${#workers[@]} > 0" "the workers are found (${#workers[@]})"
kill -9 "${workers[@]}" 2>/dev/null || true
wait "$c" || true
check_true "$(cat "$WORK/c.status") >= 500" "the killed request got an error ($(cat "$WORK/c.status"))"
_stack_start_fcgi "$TEST_DIR" && pass "the pool is started again" || fail "the pool is started again"
wait "$HOLDER"
check_eq "$(($(transactions) - before))" 0 "the killed request applied nothing"
reserve kill-1 7 "$WORK/d"
check_eq "$(cat "$WORK/d.status")" 200 "its retry with the same key runs at once (no 409)"
check_eq "$(grep -ci '^idempotent-replayed' "$WORK/d.headers" || true)" 0 "and is not a replay"
reserve kill-1 7 "$WORK/e"
check_eq "$(grep -ci '^idempotent-replayed: true' "$WORK/e.headers" || true)" 1 "the next retry replays it"
check_eq "$(($(transactions) - before))" 1 "the key was applied once"
check_eq "$(sql "SELECT qty_reserved FROM stock_lines WHERE id = $line")" 12 "12 reserved in all"

# --- a request that failed with a server error can be retried at once
before=$(transactions)
hold_line 14    # longer than two lock waits (5 s each) and the retry budget (10 s)
reserve busy-1 1 "$WORK/f"
check_true "$(cat "$WORK/f.status") == 503" "a request that waited too long on a lock is 503"
check_eq "$(jq -r .message "$WORK/f.body")" "the stock involved is busy; retry the request" "saying the stock is busy"
wait "$HOLDER"
reserve busy-1 1 "$WORK/g"
check_eq "$(cat "$WORK/g.status")" 200 "its retry with the same key runs"
check_eq "$(($(transactions) - before))" 1 "and applies once"
# --- the database connection is killed in the middle of the transaction
before=$(transactions)
hold_line 6
reserve conn-1 2 "$WORK/h" &
h=$!
victim=""
for _ in $(seq 1 50); do
	victim=$(sql "SELECT trx_mysql_thread_id FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT' LIMIT 1")
	[ -n "$victim" ] && break
	sleep 0.1
done
check_true "${victim:-0} > 0" "a worker's connection waits on the line's lock"
sql "KILL CONNECTION ${victim:-0}" || true
wait "$h" || true
check_eq "$(cat "$WORK/h.status")" 503 "the request whose connection died is 503"
check_eq "$(jq -r .error "$WORK/h.body")" "Service Unavailable" "as JSON"
wait "$HOLDER"
check_eq "$(($(transactions) - before))" 0 "it applied nothing, not even on a new connection"
reserve conn-1 2 "$WORK/i"
check_eq "$(cat "$WORK/i.status")" 200 "its retry with the same key runs at once"
check_eq "$(($(transactions) - before))" 1 "and applies once"

check_eq "$(on_hand)" 100 "on hand never moved"
out=$(ctl ledger verify --workspace "$slug" 2>&1) && pass "the ledger verifies" || fail "the ledger verifies" "$out"

done_testing
