#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The pool heals and restarts without dropping requests (the test stack runs
# it as the systemd unit does: spawn-fcgi -n, multiwatch, the workers):
# - workers killed with SIGKILL under load (two of four, then all) are
#   replaced within 2 s, the API answers, and at most the request each
#   killed worker held is lost;
# - SIGTERM in the middle of a slow request (waiting on a row lock, or
#   arriving slowly on the socket) lets that request complete;
# - a rolling restart (deploy/reload-workers, what systemctl reload runs)
#   under load (wrk -c8) answers every request with 2xx.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/stack.sh
. "$(dirname "$0")/../../scripts/lib/stack.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t300.XXXXXX")
slug=$(uniq_slug pool)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
api POST /products '{"globalSku":"POOL-1","name":"Pool"}'
prod=$(jq -r .id <<<"$BODY")
api POST /locations '{"code":"POOL","name":"Pool"}'
loc=$(jq -r .id <<<"$BODY")
api POST /inventory/record-stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":100}"
item=$(jq -r .inventoryItem.id <<<"$BODY")
line=${item#item_}
check_true '.inventoryItem.qtyOnHand == 100' "setup: 100 on hand"
reason=$(reason_code_id DAMAGE)

SUPERVISOR=$(_stack_fcgi_supervisor_pids "$TEST_DIR" | head -n 1)
check_true "${SUPERVISOR:-0} > 0" "the pool has a supervisor (multiwatch)"

# workers: the supervisor's children that run inventory-fcgi, one pid a line.
workers() {
	local pid exe pids=()
	read -r -a pids 2>/dev/null <"/proc/$SUPERVISOR/task/$SUPERVISOR/children" || true
	for pid in "${pids[@]}"; do
		exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
		[ "${exe##*/}" = inventory-fcgi ] && echo "$pid"
	done
	return 0
}
mapfile -t start < <(workers)
N=${#start[@]}
check_true "$N >= 4" "the pool runs $N workers"

# kill_and_time PID...: SIGKILL, then prints the seconds until the pool has
# N workers again, none of them one of PID (99 if not within 5 s).
kill_and_time() {
	local t0 now pid w count
	t0=$EPOCHREALTIME
	kill -KILL "$@"
	while :; do
		count=0
		for w in $(workers); do
			for pid in "$@"; do [ "$w" = "$pid" ] && continue 2; done
			count=$((count + 1))
		done
		now=$EPOCHREALTIME
		if [ "$count" -ge "$N" ]; then
			awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.2f\n", b - a }'
			return 0
		fi
		if awk -v a="$t0" -v b="$now" 'BEGIN { exit !(b - a > 5) }'; then
			echo 99
			return 0
		fi
		sleep 0.02
	done
}

# load SECONDS OUT: wrk with 8 connections on a list, in the background.
load() {
	wrk -t 2 -c 8 -d "$1s" --timeout 10s -H "Authorization: Bearer $TOKEN" \
		"$INVENTORY_URL/inventory?limit=5" >"$2" 2>&1 &
	LOAD=$!
}
# wrk_count OUT WHAT: requests, non2xx or socket (errors of any kind).
wrk_count() {
	case $2 in
	requests) sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$1" ;;
	non2xx) sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1" ;;
	socket) sed -n 's/^ *Socket errors: *//p' "$1" | tr -cs '0-9' '\n' | awk '{ s += $1 } END { print s + 0 }' ;;
	esac | awk '{ s += $1 } END { print s + 0 }'
}

# --- workers killed under load
load 6 "$WORK/kill.wrk"
sleep 1
mapfile -t victims < <(workers | head -n 2)
t=$(kill_and_time "${victims[@]}")
check_true "$t <= 2" "two of $N workers killed: the pool is whole again in $t s (at most 2)"
api GET "/inventory/availability/$item"
check_status 200 "the API answers"
sleep 1.5   # longer than multiwatch's -t: the new workers count as started
mapfile -t victims < <(workers)
t=$(kill_and_time "${victims[@]}")
check_true "$t <= 2" "all $N workers killed: the pool is whole again in $t s (at most 2)"
api GET "/inventory/availability/$item"
check_status 200 "the API answers"
wait "$LOAD" || true
n=$(wrk_count "$WORK/kill.wrk" requests)
lost=$(($(wrk_count "$WORK/kill.wrk" non2xx) + $(wrk_count "$WORK/kill.wrk" socket)))
check_true "$n > 100" "the load went on ($n requests)"
check_true "$lost <= $((N + 2))" "at most one request lost per killed worker ($lost of $n)"
[ "$CHECK_OK" = 1 ] || diag "$(cat "$WORK/kill.wrk")"

# --- SIGTERM in the middle of a slow request
sleep 1.5
sql "START TRANSACTION; SELECT id FROM stock_lines WHERE id = $line FOR UPDATE; DO SLEEP(2); COMMIT;" \
	>/dev/null &
holder=$!
for _ in $(seq 1 50); do
	[ "$(sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_rows_locked > 0")" -gt 0 ] && break
	sleep 0.1
done
curl -sS -o "$WORK/slow.body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' \
	--data-binary "{\"inventoryItemId\":\"$item\",\"newQtyOnHand\":90,\"reasonCodeId\":\"$reason\"}" \
	"$INVENTORY_URL/inventory/adjust" >"$WORK/slow.status" 2>/dev/null || echo 000 >"$WORK/slow.status" &
slow=$!
waiting=0
for _ in $(seq 1 50); do
	waiting=$(sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'")
	[ "$waiting" -gt 0 ] && break
	sleep 0.1
done
check_eq "$waiting" 1 "a request waits on the locked line"
mapfile -t stopped < <(workers)
kill -TERM "${stopped[@]}"
wait "$slow" || true
wait "$holder" || true
check_eq "$(cat "$WORK/slow.status")" 200 "SIGTERM to every worker: the request in hand completes"
check_eq "$(sql "SELECT qty_on_hand FROM stock_lines WHERE id = $line")" 90 "and its change is applied"
for _ in $(seq 1 50); do
	left=0
	for pid in "${stopped[@]}"; do _stack_alive "$pid" && left=$((left + 1)); done
	[ "$left" -eq 0 ] && [ "$(workers | wc -l)" -ge "$N" ] && break
	sleep 0.1
done
check_eq "$left" 0 "the stopped workers exited"
check_eq "$(workers | wc -l)" "$N" "and were replaced"

# --- SIGTERM while a worker reads a request that arrives slowly
# A FastCGI client on the pool's socket connects, waits a second, then sends
# GET /api/health; every worker gets SIGTERM in that second. The worker that
# accepted the connection must still read the request and answer it (a
# signal that interrupts its system calls would drop the connection).
slow_fcgi() {
	python3 - "$TEST_DIR/fcgi.sock" <<-'PY'
	import socket, struct, sys, time
	def record(kind, body):
	    return struct.pack(">BBHHBx", 1, kind, 1, len(body), 0) + body
	def pair(name, value):
	    return bytes([len(name), len(value)]) + name + value
	params = b"".join(pair(n, v) for n, v in [
	    (b"REQUEST_METHOD", b"GET"), (b"DOCUMENT_URI", b"/api/health"),
	    (b"QUERY_STRING", b""), (b"REQUEST_ID", b"t300-slow-request")])
	s = socket.socket(socket.AF_UNIX)
	s.connect(sys.argv[1])
	time.sleep(1)
	s.sendall(record(1, struct.pack(">HB5x", 1, 0)) + record(4, params) + record(4, b"")
	          + record(5, b""))
	out = b""
	while True:
	    b = s.recv(65536)
	    if not b:
	        break
	    out += b
	stdout, ended, i = b"", False, 0
	while i + 8 <= len(out):
	    _, kind, _, length, pad = struct.unpack(">BBHHBx", out[i:i + 8])
	    if kind == 6:
	        stdout += out[i + 8:i + 8 + length]
	    ended |= kind == 3
	    i += 8 + length + pad
	head = stdout.split(b"\r\n")[0].decode(errors="replace")
	print(head if ended else "no answer (" + head + ")")
	PY
}
sleep 1.5
mapfile -t stopped < <(workers)
slow_fcgi >"$WORK/fcgi.out" 2>&1 &
slow=$!
sleep 0.4
kill -TERM "${stopped[@]}"
wait "$slow" || true
check_eq "$(cat "$WORK/fcgi.out")" "Status: 200 OK" "SIGTERM while the request arrives: it is answered"
for _ in $(seq 1 50); do
	[ "$(workers | wc -l)" -ge "$N" ] && break
	sleep 0.1
done
check_eq "$(workers | wc -l)" "$N" "the pool is whole again"

# --- a rolling restart under load
sleep 1.5
mapfile -t before < <(workers)
load 8 "$WORK/reload.wrk"
sleep 1
if out=$(stack_reload "$TEST_DIR" 2>&1); then
	pass "the workers are replaced one at a time ($out)"
else
	fail "the workers are replaced one at a time" "$out"
fi
wait "$LOAD" || true
n=$(wrk_count "$WORK/reload.wrk" requests)
check_true "$n > 100" "the load went on ($n requests)"
check_eq "$(wrk_count "$WORK/reload.wrk" non2xx)" 0 "no answer but 2xx during the restart"
check_eq "$(wrk_count "$WORK/reload.wrk" socket)" 0 "no socket error during the restart"
[ "$CHECK_OK" = 1 ] || diag "$(cat "$WORK/reload.wrk")"
mapfile -t after < <(workers)
kept=0
for pid in "${before[@]}"; do
	case " ${after[*]} " in *" $pid "*) kept=$((kept + 1)) ;; esac
done
check_eq "${#after[@]} $kept" "$N 0" "$N workers, all new"
api GET "/inventory/availability/$item"
check_status 200 "the API answers"

done_testing
