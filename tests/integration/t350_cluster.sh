#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/cluster: a MariaDB primary and a GTID replica with a pool and nginx,
# in a directory and on ports of this test's own. Its own test: writes run
# on the primary, lists on the replica, and the lists move to the primary
# without an error while the replica's SQL thread is stopped or the replica
# is shut down, and come back; a read with a write's X-Consistency-Token sees
# the write, from the replica once it has applied it, else from the primary.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
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
check_eq "$rc" 0 "scripts/cluster up starts the primary, the replica and the pool"
[ "$rc" = 0 ] || diag "$out"

rc=0
out=$("$REPO/scripts/cluster" test 2>&1) || rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) pass "cluster: ${line#ok - }" ;;
	"not ok - "*) fail "cluster: ${line#not ok - }" ;;
	esac
done <<<"$out"
check_eq "$rc" 0 "scripts/cluster test passes"
check_true "$(grep -qx '18 passed, 0 failed' <<<"$out" && echo true || echo false)" \
	"scripts/cluster test ran its 18 checks"
[ "$rc" = 0 ] || diag "$out"

rc=0
"$REPO/scripts/cluster" down >/dev/null 2>&1 || rc=$?
check_eq "$rc" 0 "scripts/cluster down stops it all"

done_testing
