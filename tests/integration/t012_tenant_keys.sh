#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tenant isolation by construction: the database refuses a reference from
# one workspace's row to another workspace's row (composite foreign keys
# (workspace_id, x_id) -> x (workspace_id, id)), and every join the API
# makes carries the workspace, so even a row that slipped past the keys
# never shows another workspace's data.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# SQL on the test stack's database (root over its socket); prints the
# error text instead of failing.
sql() {
	mariadb --no-defaults --socket="$TEST_DIR/mysql.sock" -uroot inventory -N -B -e "$1" 2>&1 || true
}
num() { printf '%s' "${1##*_}"; }

# ---------------------------------------------------------------- the schema

no_ws=$(sql "SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME) FROM information_schema.KEY_COLUMN_USAGE
	WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
	AND REFERENCED_TABLE_NAME <> 'workspaces'
	GROUP BY TABLE_NAME, CONSTRAINT_NAME
	HAVING SUM(ORDINAL_POSITION = 1 AND COLUMN_NAME = 'workspace_id'
		   AND REFERENCED_COLUMN_NAME = 'workspace_id') = 0
	ORDER BY 1" | paste -sd' ')
check_eq "$no_ws" "" "every foreign key between workspace rows leads with workspace_id"

# Every *_id column of a workspace table is a reference with such a key,
# but for the few that name no row (documented in 0005_tenant_keys.sql).
unkeyed=$(sql "SELECT CONCAT(c.TABLE_NAME, '.', c.COLUMN_NAME) FROM information_schema.COLUMNS c
	JOIN information_schema.COLUMNS w ON w.TABLE_SCHEMA = c.TABLE_SCHEMA
	 AND w.TABLE_NAME = c.TABLE_NAME AND w.COLUMN_NAME = 'workspace_id'
	WHERE c.TABLE_SCHEMA = DATABASE() AND c.COLUMN_NAME LIKE '%\\_id'
	AND c.COLUMN_NAME NOT IN ('id', 'workspace_id', 'reference_id', 'assignee_id')
	AND NOT EXISTS (SELECT 1 FROM information_schema.KEY_COLUMN_USAGE k
	  WHERE k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
	  AND k.COLUMN_NAME = c.COLUMN_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL)
	ORDER BY 1" | paste -sd' ')
check_eq "$unkeyed" "" "every reference column of a workspace table has a foreign key"

# ---------------------------------------------------------------- two workspaces

slug_a=$(uniq_slug keysa)
slug_b=$(uniq_slug keysb)
ws_a=$(num "$(new_workspace "$slug_a")")
new_workspace "$slug_b" >/dev/null
TOKEN=$(new_key "$slug_a" '*' admin)
TOKEN_B=$(new_key "$slug_b" '*' admin)
mark_b="theirs-$(openssl rand -hex 4)"

api POST /products '{"globalSku": "K-1", "name": "Ours"}'
P_A=$(jq -r .id <<<"$BODY")
api POST /locations '{"code": "K", "name": "Ours"}'
L_A=$(jq -r .id <<<"$BODY")
api POST /categories "{\"name\": \"$mark_b\"}" "$TOKEN_B"
C_B=$(jq -r .id <<<"$BODY")
api POST /products "{\"globalSku\": \"K-1\", \"name\": \"$mark_b\"}" "$TOKEN_B"
P_B=$(jq -r .id <<<"$BODY")
api POST /locations "{\"code\": \"K\", \"name\": \"$mark_b\"}" "$TOKEN_B"
L_B=$(jq -r .id <<<"$BODY")
api POST "/locations/$L_B/bins" "{\"name\": \"$mark_b\"}" "$TOKEN_B"
B_B=$(jq -r .id <<<"$BODY")
check_true '.id | startswith("bin_")' "workspace B has a product, location and bin"

# ---------------------------------------------------------------- the database refuses

# expect_refused DESC SQL: the statement fails on a foreign key.
expect_refused() {
	local out
	out=$(sql "$2")
	if [[ $out == *"a foreign key constraint fails"* ]]; then
		pass "the database refuses $1"
	else
		fail "the database refuses $1" "got: ${out:-success}"
	fi
}
expect_refused "a product of A in B's category" \
	"UPDATE products SET category_id = $(num "$C_B") WHERE id = $(num "$P_A")"
expect_refused "a stock line of A for B's product" \
	"INSERT INTO stock_lines (workspace_id, product_id, location_id)
	 VALUES ($ws_a, $(num "$P_B"), $(num "$L_A"))"
expect_refused "a stock line of A at B's location" \
	"INSERT INTO stock_lines (workspace_id, product_id, location_id)
	 VALUES ($ws_a, $(num "$P_A"), $(num "$L_B"))"
expect_refused "a stock line of A in B's bin" \
	"INSERT INTO stock_lines (workspace_id, product_id, location_id, bin_id)
	 VALUES ($ws_a, $(num "$P_A"), $(num "$L_A"), $(num "$B_B"))"
expect_refused "a lot of A for B's product" \
	"INSERT INTO lots (workspace_id, product_id, lot_number) VALUES ($ws_a, $(num "$P_B"), 'X')"
expect_refused "an inventory level of A with B's replenishment location" \
	"INSERT INTO inventory_levels (workspace_id, product_id, location_id, replenishment_location_id)
	 VALUES ($ws_a, $(num "$P_A"), $(num "$L_A"), $(num "$L_B"))"
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = $ws_a")" 0 \
	"no refused row was written"

# ---------------------------------------------------------------- joins carry the workspace

# Rows that reference B's objects, planted with the keys switched off (as a
# database restored without them could hold): A's answers must not show B.
planted_line=$(sql "SET foreign_key_checks = 0;
	INSERT INTO stock_lines (workspace_id, product_id, location_id, bin_id, qty_on_hand)
	VALUES ($ws_a, $(num "$P_B"), $(num "$L_B"), $(num "$B_B"), 5);
	SELECT LAST_INSERT_ID()")
planted_level=$(sql "SET foreign_key_checks = 0;
	INSERT INTO inventory_levels (workspace_id, product_id, location_id)
	VALUES ($ws_a, $(num "$P_B"), $(num "$L_A"));
	SELECT LAST_INSERT_ID()")
check_eq "$([[ $planted_line =~ ^[0-9]+$ && $planted_level =~ ^[0-9]+$ ]] && echo yes)" yes \
	"rows referring to B's objects were planted in A ($planted_line, $planted_level)"

api GET /inventory
check_status 200 "A lists its inventory"
check_eq "$(grep -c "$mark_b" <<<"$BODY" || true)" 0 "A's inventory list shows nothing of B's product, location or bin"
api GET "/inventory?productMasterId=$P_B"
check_eq "$(grep -c "$mark_b" <<<"$BODY" || true)" 0 "filtered by B's product, it shows nothing of B"
api GET "/inventory-levels/level_$planted_level"
check_eq "$(grep -c "$mark_b" <<<"$BODY" || true)" 0 "A's level shows nothing of B's product"

sql "DELETE FROM inventory_levels WHERE id = $planted_level;
	DELETE FROM stock_lines WHERE id = $planted_line" >/dev/null
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = $ws_a")" 0 \
	"the planted rows are gone"

done_testing
