#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/dev as a first-time user meets it: `env` sets KEY for the
# README's curl, `up` on a port another program holds says so, suggests
# INVENTORY_PORT and leaves nothing running, and `up` on a running stack
# with another INVENTORY_PORT says that it keeps its port. The stack of this test run
# stands in for a developer's: scripts/dev works on its own directory here
# (INVENTORY_DEV_DIR), never on var/.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t057.XXXXXX")

# ---------------------------------------------------------------- env

mkdir -p "$WORK/env"
echo 18123 >"$WORK/env/port"
echo ik_demo_key_for_t057 >"$WORK/env/dev.key"
out=$(INVENTORY_DEV_DIR="$WORK/env" "$REPO/scripts/dev" env)
check_eq "$(bash -c "$out"$'\n''printf "%s %s" "$KEY" "$INVENTORY_URL"')" \
	"ik_demo_key_for_t057 http://127.0.0.1:18123/api" \
	"scripts/dev env exports KEY (the saved key) and INVENTORY_URL, as the README's curl uses them"

# ---------------------------------------------------------------- a busy port

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(120)' "$port" &
holder=$!
for _ in $(seq 1 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done
rc=0
out=$(INVENTORY_DEV_DIR="$WORK/busy" INVENTORY_PORT=$port "$REPO/scripts/dev" up 2>&1) || rc=$?
kill "$holder" 2>/dev/null || true
check_eq "$rc" 1 "scripts/dev up on a busy port fails"
check_true "$(grep -q "port $port is taken by another program: INVENTORY_PORT=" <<<"$out" && echo true || echo false)" \
	"it names the port and suggests INVENTORY_PORT"
check_true "$([ ! -e "$WORK/busy/mysql.pid" ] && [ ! -e "$WORK/busy/fcgi.pid" ] && [ ! -e "$WORK/busy/nginx.pid" ] \
	&& echo true || echo false)" "and nothing was left running (no MariaDB, pool or nginx)"
[ "$CHECK_OK" = 1 ] || diag "scripts/dev up said:" "$out"

# ---------------------------------------------------------------- a running stack keeps its port

# A second stack of scripts/dev's own in WORK/dev: up, then up again with
# another INVENTORY_PORT says it keeps the first (nothing moves silently).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
p1=$(free_port)
p2=$(free_port)
rc=0
out=$(INVENTORY_DEV_DIR="$WORK/dev" INVENTORY_PORT=$p1 "$REPO/scripts/dev" up 2>&1) || rc=$?
check_eq "$rc $(cat "$WORK/dev/port" 2>/dev/null)" "0 $p1" "scripts/dev up starts a stack on INVENTORY_PORT"
[ "$rc" = 0 ] || diag "scripts/dev up said:" "$(tail -n 20 <<<"$out")"
rc=0
out=$(INVENTORY_DEV_DIR="$WORK/dev" INVENTORY_PORT=$p2 "$REPO/scripts/dev" up 2>&1) || rc=$?
check_eq "$rc $(cat "$WORK/dev/port" 2>/dev/null)" "0 $p1" "up again with another port keeps the running stack's"
check_true "$(grep -q "it keeps port $p1, not INVENTORY_PORT=$p2" <<<"$out" && echo true || echo false)" \
	"and says so, with how to move it"
INVENTORY_DEV_DIR="$WORK/dev" "$REPO/scripts/dev" down >/dev/null 2>&1 || true

done_testing
