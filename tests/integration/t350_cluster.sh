#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/cluster: a MariaDB primary and a GTID replica, two pools each in a
# network namespace of its own, and nginx, in a directory and on ports of
# this test's own; its own test ("scripts/cluster test") checks the pools
# (spread, nginx's retries, a pool killed under load with Idempotency-Key
# retries), the replica (lists on it, the rest on the primary, reads moving
# while it is stopped and back) and read-your-writes. Its figures are shown.
# Skipped where network namespaces cannot be made (scripts/cluster netns).
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
if ! why=$("$REPO/scripts/cluster" netns 2>&1); then
	echo "ok 1 # skip scripts/cluster needs network namespaces: $why"
	exit 0
fi
WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t350.XXXXXX")
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
export INVENTORY_CLUSTER_DIR=$WORK/cluster INVENTORY_CLUSTER_PORT INVENTORY_CLUSTER_DB_PORT
INVENTORY_CLUSTER_PORT=$(free_port)
INVENTORY_CLUSTER_DB_PORT=$(free_port)
trap '"$REPO/scripts/cluster" down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

rc=0
out=$("$REPO/scripts/cluster" up 2>&1) || rc=$?
check_eq "$rc" 0 "scripts/cluster up starts the primary, the replica, both pools and nginx"
[ "$rc" = 0 ] || diag "$out"

rc=0
out=$("$REPO/scripts/cluster" test 2>&1) || rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) pass "cluster: ${line#ok - }" ;;
	"not ok - "*) fail "cluster: ${line#not ok - }" ;;
	"#"*) diag "cluster: ${line#\# }" ;;
	esac
done <<<"$out"
check_eq "$rc" 0 "scripts/cluster test passes"
check_true "$(grep -qx '33 passed, 0 failed' <<<"$out" && echo true || echo false)" \
	"scripts/cluster test ran its 33 checks"
[ "$rc" = 0 ] || diag "$out"

rc=0
"$REPO/scripts/cluster" down >/dev/null 2>&1 || rc=$?
check_eq "$rc" 0 "scripts/cluster down stops it all"

done_testing
