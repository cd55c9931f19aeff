#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A new workspace starts with the standard reason codes (declared once, in
# sql/migrations/0006_standard_reason_codes.sql), so the seed's first
# adjustment example works on it as it is; each workspace edits its own
# copies; the migration gives existing workspaces the codes they lack.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

sql() {
	mariadb --no-defaults --socket="$TEST_DIR/mysql.sock" -uroot inventory -N -B -e "$1"
}

# codes_of SLUG: the workspace's reason codes, "CODE|name|active" by code.
codes_of() {
	sql "SELECT CONCAT(rc.code, '|', rc.name, '|', rc.active) FROM reason_codes rc
		JOIN workspaces w ON w.id = rc.workspace_id WHERE w.slug = '$1' ORDER BY rc.code"
}

standard=$(sql "SELECT CONCAT(code, '|', name, '|1') FROM standard_reason_codes ORDER BY code")
check_true "$(jq -Rn '[inputs] | length >= 8' <<<"$standard")" "the standard set is declared"

slug=$(uniq_slug rcstd)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)

# --- a new workspace lists the standard codes
api GET "/reason-codes?limit=100"
check_status 200 "GET /reason-codes is 200"
check_eq "$(jq -r '.items | sort_by(.code)[] | "\(.code)|\(.name)|\(if .active then 1 else 0 end)"' <<<"$BODY")" \
	"$standard" "a new workspace has exactly the standard codes, active"
check_true '[.items[].code] | contains(["CYCLE_COUNT", "DAMAGE", "EXPIRED", "FOUND", "THEFT",
	"CORRECTION", "RETURN", "RECEIVED"])' "the standard set holds count, damage, expiry, found, theft, correction, return and receipt"
api GET /inventory/adjustments/reason-codes
check_status 200 "GET /inventory/adjustments/reason-codes is 200"
check_json '.reasonCodes | length' "$(grep -c . <<<"$standard")" "the adjustment reason codes list them all"
rc_cycle=$(jq -r '.reasonCodes[] | select(.code == "CYCLE_COUNT") | .id' <<<"$BODY")
rc_received=$(jq -r '.reasonCodes[] | select(.code == "RECEIVED") | .id' <<<"$BODY")
check_json '.reasonCodes[] | select(.code == "CYCLE_COUNT") | .name' "Cycle Count" \
	"CYCLE_COUNT is named as the seed's history shows it"

# --- the seed's first adjustment example on this fresh workspace
api POST /products '{"globalSku": "RC-1", "name": "Widget"}'
check_status 201 "setup: a product"
prod=$(jq -r .id <<<"$BODY")
api POST /locations '{"code": "MAIN", "name": "Main Warehouse"}'
check_status 201 "setup: a location"
loc=$(jq -r .id <<<"$BODY")
api POST /inventory/record-stock "{\"productMasterId\": \"$prod\", \"locationId\": \"$loc\",
	\"quantity\": 100, \"mode\": \"RECEIVE\", \"reasonCodeId\": \"$rc_received\"}"
check_status 201 "received stock is recorded with the standard RECEIVED code"
api GET "/inventory?productMasterId=$prod"
item=$(jq -r '.items[0].id' <<<"$BODY")

api POST /inventory/adjustments "{
  \"inventoryItemId\": \"$item\",
  \"newQtyOnHand\": 150,
  \"reasonCodeId\": \"$rc_cycle\",
  \"comment\": \"Cycle count adjustment\"
}"
check_status 200 "the seed's adjustment example succeeds on a new workspace"
check_json '[.success, .transaction.deltaQty, .transaction.reasonCodeId, .inventoryItem.qtyOnHand, .message] |
	map(tostring) | join("|")' "true|50|$rc_cycle|150|Adjusted +50 units" "it answers as the seed shows"
api GET "/inventory/adjustments?inventoryItemId=$item"
check_json '.entries[0] | [.reasonCode, .comment] | join("|")' "Cycle Count|Cycle count adjustment" \
	"the history names the reason as the seed shows"

# --- editable as any other reason code, per workspace
api PATCH "/reason-codes/$rc_cycle" '{"name": "Shelf count", "active": false}'
check_status 200 "PATCH of a standard code is 200"
api GET /inventory/adjustments/reason-codes
check_json '[.reasonCodes[].code] | index("CYCLE_COUNT")' null "a deactivated standard code is not offered"
api POST /reason-codes '{"code": "CYCLE_COUNT", "name": "Again"}'
check_status 409 "a standard code cannot be created twice"
slug2=$(uniq_slug rcstd)
new_workspace "$slug2" >/dev/null
check_eq "$(codes_of "$slug2")" "$standard" "another new workspace has its own unedited copies"

# --- migration 0006 gives an existing workspace only the codes it lacks
slug3=$(uniq_slug rcold)
sql "INSERT INTO workspaces (slug, name) VALUES ('$slug3', 'Before 0006');
	INSERT INTO reason_codes (workspace_id, code, name, active)
	SELECT id, 'DAMAGE', 'Broken', 0 FROM workspaces WHERE slug = '$slug3'"
sed -n '/^INSERT INTO reason_codes/,$p' "$(dirname "$0")/../../sql/migrations/0006_standard_reason_codes.sql" |
	mariadb --no-defaults --socket="$TEST_DIR/mysql.sock" -uroot inventory
check_eq "$(codes_of "$slug3")" "$(sed 's/^DAMAGE|.*/DAMAGE|Broken|0/' <<<"$standard")" \
	"the backfill adds the missing codes and keeps the workspace's own DAMAGE"
check_eq "$(codes_of "$slug")" "$(sed 's/^CYCLE_COUNT|.*/CYCLE_COUNT|Shelf count|0/' <<<"$standard")" \
	"the backfill leaves a workspace that has every code as it was"

done_testing
