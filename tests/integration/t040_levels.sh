#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inventory levels (seed 001): POST /api/inventory-levels creates or
# updates, PATCH, DELETE, GET /api/products/{id}/inventory-levels, the
# min <= reorder <= max rule, references and permissions.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
QTY_ERROR='Invalid quantities: min ≤ reorder ≤ max required'

slug=$(uniq_slug levels)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" products.read,products.write,locations.read,locations.write,inventory.read,replenishment.write)

slug2=$(uniq_slug levels-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" products.read,products.write,locations.read,locations.write,inventory.read,replenishment.write)

id_of() { jq -r .id <<<"$BODY"; }

api POST /products '{"globalSku": "SKU-123", "name": "Product Name"}'
P1=$(id_of)
api POST /products '{"globalSku": "SKU-456", "name": "Second product"}'
P2=$(id_of)
api POST /locations '{"code": "LOC-123", "name": "Main Warehouse"}'
L1=$(id_of)
api POST /locations '{"code": "LOC-456", "name": "Replenishment source"}'
L2=$(id_of)
api POST "/locations/$L1/bins" '{"name": "A-1-2"}'
BIN1=$(id_of)
api POST "/locations/$L2/bins" '{"name": "R-1"}'
BIN2=$(id_of)
check_true '.id | startswith("bin_")' "setup: products, locations and bins exist"

api POST /products '{"globalSku": "SKU-THEIRS", "name": "Their product"}' "$TOKEN2"
OTHER_PROD=$(id_of)
api POST /locations '{"code": "LOC-THEIRS", "name": "Their location"}' "$TOKEN2"
OTHER_LOC=$(id_of)

# level_body PRODUCT LOCATION MIN REORDER MAX: the seed's minimal POST body.
level_body() {
	printf '{"productMasterId": "%s", "locationId": "%s", "minQuantity": %s, "reorderQuantity": %s, "maxQuantity": %s}' \
		"$@"
}

# ---------------------------------------------------------------- create

SEED_BODY=$(cat <<EOF
{
  "productMasterId": "$P1",
  "locationId": "$L1",
  "minQuantity": 50,
  "reorderQuantity": 100,
  "maxQuantity": 500,
  "status": "Supported",
  "abcClass": "A",
  "expectedLeadTimeDays": 7,
  "replenishmentPeriodDays": 14,
  "forecastPeriodDays": 30,
  "forecastQuantity": 200,
  "preferredBinLocationId": "$BIN1",
  "replenishmentLocationId": "$L2",
  "comments": "High priority item"
}
EOF
)
api POST /inventory-levels "$SEED_BODY"
check_status 201 "POST /inventory-levels with the seed's full body is 201"
check_true '.id | test("^level_[0-9]+$")' "the level id is level_N"
LV1=$(id_of)
check_json '[.productMasterId, .locationId, .minQuantity, .reorderQuantity, .maxQuantity, .status, .abcClass] | map(tostring) | join("|")' \
	"$P1|$L1|50|100|500|Supported|A" "the seed's response fields are echoed"
check_json '[.expectedLeadTimeDays, .replenishmentPeriodDays, .forecastPeriodDays, .forecastQuantity, .preferredBinLocationId, .replenishmentLocationId, .comments] | map(tostring) | join("|")' \
	"7|14|30|200|$BIN1|$L2|High priority item" "every other field of the body is stored"
check_json '.product | [.id, .sku, .name] | join("|")' "$P1|SKU-123|Product Name" \
	"product is {id, sku, name}"
check_json '.productMaster | [.id, .globalSku, .productName] | join("|")' "$P1|SKU-123|Product Name" \
	"productMaster is {id, globalSku, productName}"
check_true "(.createdAt | test(\"$ISO_RE\")) and (.updatedAt | test(\"$ISO_RE\"))" \
	"createdAt and updatedAt are ISO date-times"
check_true '(.minQuantity | type) == "number" and (.expectedLeadTimeDays | type) == "number"' \
	"quantities and days are JSON numbers"

api POST /inventory-levels "$(level_body "$P1" "$L1" 60 120 400)"
check_status 200 "the same product and location again is 200 (update)"
check_json .id "$LV1" "the update answers the same level id"
check_json '[.minQuantity, .reorderQuantity, .maxQuantity] | map(tostring) | join(" ")' "60 120 400" \
	"the quantities are updated"
check_json '[.abcClass, .comments, .preferredBinLocationId] | join("|")' "A|High priority item|$BIN1" \
	"fields absent from the second POST are kept"
api GET "/products/$P1/inventory-levels"
check_json '[.count, (.items | length)] | map(tostring) | join(" ")' "1 1" "still one level for the product, not two"

api POST /inventory-levels "{\"productMasterId\": \"$P2\", \"locationId\": \"$L1\"}"
check_status 201 "a level with no settings is 201"
check_json .status Supported "status defaults to Supported"
check_json '[.minQuantity, .reorderQuantity, .maxQuantity, .abcClass] | map(tostring) | join(" ")' \
	"null null null null" "unset quantities and abcClass are null"
LV2=$(id_of)

api GET "/inventory-levels/$LV1"
check_status 200 "GET /inventory-levels/{id} is 200"
check_json '[.id, .minQuantity, .reorderQuantity, .maxQuantity, .product.sku] | map(tostring) | join(" ")' \
	"$LV1 60 120 400 SKU-123" "GET returns the stored level"

# Concurrent first POSTs of one product and location make one level:
# 3 rounds of 8 simultaneous POSTs, each round at a new location.
race_dir=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t040race.XXXXXX")
race_statuses="" race_ids="" race_levels="" race_mixed=0
for round in 1 2 3; do
	api POST /locations "{\"code\": \"LOC-RACE-$round\", \"name\": \"Race $round\"}"
	LRACE=$(id_of)
	for i in 1 2 3 4 5 6 7 8; do
		curl -sS -o "$race_dir/$round.$i.body" -w '%{http_code}' -X POST \
			-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			--data-binary "$(level_body "$P1" "$LRACE" "$i" "$((i * 10))" "$((i * 100))")" \
			"$INVENTORY_URL/inventory-levels" >"$race_dir/$round.$i.status" 2>/dev/null &
	done
	wait
	race_statuses="$race_statuses$(for f in "$race_dir/$round".*.status; do cat "$f"; echo; done |
		sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')/ "
	race_ids="$race_ids$(cat "$race_dir/$round".*.body | jq -r '.id // empty' | sort -u | wc -l | tr -d ' ') "
	api GET "/products/$P1/inventory-levels"
	race_levels="$race_levels$(jq "[.items[] | select(.locationId == \"$LRACE\")] | length" <<<"$BODY") "
	jq -e "[.items[] | select(.locationId == \"$LRACE\")][0] |
		.reorderQuantity == .minQuantity * 10 and .maxQuantity == .minQuantity * 100" <<<"$BODY" >/dev/null ||
		race_mixed=1
	LVRACE=$(jq -r ".items[] | select(.locationId == \"$LRACE\") | .id" <<<"$BODY" | head -n 1)
	api DELETE "/inventory-levels/$LVRACE"
done
check_eq "$race_statuses" "200:7 201:1 / 200:7 201:1 / 200:7 201:1 / " \
	"8 concurrent first POSTs (3 rounds): one 201 and seven 200 each, no error"
[ "$CHECK_OK" = 1 ] || diag "$(grep -h error "$race_dir"/*.body | sort | uniq -c)"
check_eq "$race_ids" "1 1 1 " "the concurrent POSTs of a round all answer the same level id"
check_eq "$race_levels" "1 1 1 " "each round leaves exactly one level at its location"
check_eq "$race_mixed" 0 "the stored quantities are one request's, not a mix"

# ---------------------------------------------------------------- PATCH

api PATCH "/inventory-levels/$LV1" '{"reorderQuantity": 150}'
check_status 200 "the seed's PATCH {\"reorderQuantity\": 150} is 200"
check_json '[.reorderQuantity, .minQuantity, .maxQuantity] | map(tostring) | join(" ")' "150 60 400" \
	"reorder is 150, min and max are kept"
check_json '[.id, .productMasterId, .locationId, .status, .abcClass] | join("|")' "$LV1|$P1|$L1|Supported|A" \
	"the PATCH response has the seed's fields"
check_true ".updatedAt | test(\"$ISO_RE\")" "the PATCH response has updatedAt"

api PATCH "/inventory-levels/$LV1" '{"minQuantity": 75, "reorderQuantity": 150, "maxQuantity": 600,
	"status": "Supported", "abcClass": "A", "comments": "Updated based on recent demand"}'
check_status 200 "the seed's full PATCH body is 200"
check_json '[.minQuantity, .reorderQuantity, .maxQuantity, .comments] | map(tostring) | join("|")' \
	"75|150|600|Updated based on recent demand" "the seed's PATCH values are stored"

# ---------------------------------------------------------------- min <= reorder <= max

# expect_qty_error METHOD PATH BODY DESC: 400 with the seed's error, level unchanged.
expect_qty_error() {
	api "$1" "$2" "$3"
	check_status 400 "$4: 400"
	check_json .error "$QTY_ERROR" "$4: the seed's error message"
}
expect_unchanged() {
	api GET "/inventory-levels/$LV1"
	check_json '[.minQuantity, .reorderQuantity, .maxQuantity] | map(tostring) | join(" ")' "75 150 600" \
		"$1: the level keeps 75/150/600"
}

expect_qty_error POST /inventory-levels "$(level_body "$P1" "$L1" 200 100 500)" "POST min > reorder"
expect_unchanged "after POST min > reorder"
expect_qty_error POST /inventory-levels "$(level_body "$P1" "$L1" 50 600 500)" "POST reorder > max"
expect_unchanged "after POST reorder > max"
expect_qty_error POST /inventory-levels \
	"{\"productMasterId\": \"$P1\", \"locationId\": \"$L1\", \"minQuantity\": 900, \"maxQuantity\": 800, \"reorderQuantity\": null}" \
	"POST min > max (reorder cleared)"
expect_unchanged "after POST min > max"
expect_qty_error PATCH "/inventory-levels/$LV1" '{"minQuantity": 151}' "PATCH min above the stored reorder"
expect_unchanged "after PATCH min above stored reorder"
expect_qty_error PATCH "/inventory-levels/$LV1" '{"maxQuantity": 149}' "PATCH max below the stored reorder"
expect_unchanged "after PATCH max below stored reorder"
expect_qty_error PATCH "/inventory-levels/$LV1" '{"reorderQuantity": 700}' "PATCH reorder above the stored max"
expect_unchanged "after PATCH reorder above stored max"
expect_qty_error PATCH "/inventory-levels/$LV1" '{"reorderQuantity": null, "minQuantity": 700}' \
	"PATCH min above the stored max (reorder cleared)"
expect_unchanged "after PATCH min above stored max"
expect_qty_error PATCH "/inventory-levels/$LV1" '{"comments": "should not be saved", "minQuantity": 500}' \
	"PATCH with comments and a bad min"
api GET "/inventory-levels/$LV1"
check_json .comments "Updated based on recent demand" "the refused PATCH saved none of its fields"

# A refused first POST leaves no level behind.
api POST /locations '{"code": "LOC-789", "name": "Third"}'
L3=$(id_of)
expect_qty_error POST /inventory-levels "$(level_body "$P1" "$L3" 10 5 20)" "POST of a new level with min > reorder"
api GET "/products/$P1/inventory-levels"
check_json '[.items[].locationId] | join(" ")' "$L1" "the refused new level was not created"

api PATCH "/inventory-levels/$LV1" '{"minQuantity": 150, "maxQuantity": 150}'
check_status 200 "min = reorder = max is allowed"
check_json '[.minQuantity, .reorderQuantity, .maxQuantity] | map(tostring) | join(" ")' "150 150 150" \
	"the equal quantities are stored"
api PATCH "/inventory-levels/$LV1" '{"minQuantity": 75, "maxQuantity": 600}'
check_status 200 "back to 75/150/600"

api POST /inventory-levels "$(level_body "$P2" "$L1" -1 10 20)"
check_status 400 "a negative minQuantity is 400"
check_json '.details[0].field' minQuantity "the error names minQuantity"
api PATCH "/inventory-levels/$LV1" '{"maxQuantity": -5}'
check_status 400 "PATCH a negative maxQuantity is 400"
expect_unchanged "after the negative maxQuantity"
api PATCH "/inventory-levels/$LV1" '{"reorderQuantity": "lots"}'
check_status 400 "a non-numeric reorderQuantity is 400"
check_json '.details[0].field' reorderQuantity "the error names reorderQuantity"
api PATCH "/inventory-levels/$LV1" '{"expectedLeadTimeDays": 2.5}'
check_status 400 "a fractional expectedLeadTimeDays is 400"

# ---------------------------------------------------------------- references

expect_not_found() {
	check_status 404 "$1: 404"
	check_json .error "Product or location not found" "$1: Product or location not found"
}
api POST /inventory-levels "$(level_body prod_999999999 "$L1" 1 2 3)"
expect_not_found "an unknown product"
api POST /inventory-levels "$(level_body "$P1" loc_999999999 1 2 3)"
expect_not_found "an unknown location"
api POST /inventory-levels "$(level_body "$OTHER_PROD" "$L1" 1 2 3)"
expect_not_found "another workspace's product"
api POST /inventory-levels "$(level_body "$P1" "$OTHER_LOC" 1 2 3)"
expect_not_found "another workspace's location"
api GET "/products/$OTHER_PROD/inventory-levels" "" "$TOKEN2"
check_json .count 0 "no level was created for the other workspace's product"

api POST /inventory-levels "{\"productId\": \"$P2\", \"locationId\": \"$L2\", \"minQuantity\": 1, \"reorderQuantity\": 2, \"maxQuantity\": 3}"
check_status 201 "the legacy productId is accepted in place of productMasterId"
check_json '[.productMasterId, .locationId, .productMaster.globalSku] | join("|")' "$P2|$L2|SKU-456" \
	"the legacy productId names the product"
LV3=$(id_of)
api POST /inventory-levels "{\"productId\": \"$P2\", \"locationId\": \"$L2\", \"maxQuantity\": 30}"
check_status 200 "the legacy productId again updates the same level"
check_json .id "$LV3" "the same level id"
api POST /inventory-levels "{\"locationId\": \"$L1\", \"minQuantity\": 1}"
check_status 400 "neither productMasterId nor productId is 400"
check_json '.details[0].field' productMasterId "the error names productMasterId"
api POST /inventory-levels "{\"productMasterId\": \"$P1\"}"
check_status 400 "no locationId is 400"
check_json '.details[0].field' locationId "the error names locationId"

api POST /inventory-levels "{\"productMasterId\": \"$P2\", \"locationId\": \"$L1\", \"preferredBinLocationId\": \"$BIN2\"}"
check_status 404 "a preferred bin of another location is 404"
check_json .error "Bin not found" "the error is Bin not found"
api PATCH "/inventory-levels/$LV1" "{\"preferredBinLocationId\": \"$BIN2\"}"
check_status 404 "PATCH a preferred bin of another location is 404"
api GET "/inventory-levels/$LV1"
check_json .preferredBinLocationId "$BIN1" "the level keeps its preferred bin"
api PATCH "/inventory-levels/$LV1" '{"replenishmentLocationId": "loc_999999999"}'
check_status 404 "an unknown replenishment location is 404"
api PATCH "/inventory-levels/$LV1" "{\"replenishmentLocationId\": \"$OTHER_LOC\"}"
check_status 404 "another workspace's replenishment location is 404"
api PATCH "/inventory-levels/$LV1" '{"preferredBinLocationId": null}'
check_status 200 "PATCH preferredBinLocationId null is 200"
check_json .preferredBinLocationId null "the preferred bin is cleared"

api POST /inventory-levels "{\"productMasterId\": \"$P2\", \"locationId\": \"$L1\", \"abcClass\": \"D\"}"
check_status 400 "abcClass D is 400"
check_json '.details[0].field' abcClass "the error names abcClass"
api PATCH "/inventory-levels/$LV2" '{"abcClass": "D"}'
check_status 400 "PATCH abcClass D is 400"
api PATCH "/inventory-levels/$LV2" '{"abcClass": "C"}'
check_json .abcClass C "abcClass C is accepted"

# ---------------------------------------------------------------- per product

api GET "/products/$P2/inventory-levels"
check_status 200 "GET /products/{id}/inventory-levels is 200"
check_json .count 2 "the product has 2 levels"
check_json '[.items[].id] | sort | join(" ")' "$(printf '%s\n' "$LV2" "$LV3" | sort | paste -sd ' ')" \
	"the items are the product's levels"
check_json "[.items[].productMasterId == \"$P2\"] | all" true "every item is of the product"
check_json .productMasterId "$P2" "the answer names the product"
api GET /products/prod_999999999/inventory-levels
check_status 404 "the levels of an unknown product are 404"
api GET "/products/$OTHER_PROD/inventory-levels"
check_status 404 "the levels of another workspace's product are 404"

api GET "/products/$P1/inventory-levels" "" "$(new_key "$slug" products.read)"
check_status 403 "products.read alone cannot list a product's levels"
api GET "/products/$P1/inventory-levels" "" "$(new_key "$slug" inventory.read)"
check_status 403 "inventory.read alone cannot list a product's levels"
api GET "/products/$P1/inventory-levels" "" "$(new_key "$slug" products.read,inventory.read)"
check_status 200 "products.read and inventory.read together can"
check_json .count 1 "and see the product's level"

READER=$(new_key "$slug" inventory.read)
api POST /inventory-levels "$(level_body "$P1" "$L3" 1 2 3)" "$READER"
check_status 403 "inventory.read cannot POST /inventory-levels"
api PATCH "/inventory-levels/$LV1" '{"comments": "no"}' "$READER"
check_status 403 "inventory.read cannot PATCH a level"
api DELETE "/inventory-levels/$LV1" "" "$READER"
check_status 403 "inventory.read cannot DELETE a level"
api GET "/inventory-levels/$LV1" "" "$READER"
check_status 200 "inventory.read can GET a level"

# ---------------------------------------------------------------- other workspace, unknown ids

api GET "/inventory-levels/$LV1" "" "$TOKEN2"
check_status 404 "GET of another workspace's level is 404"
check_json .error "Inventory level not found" "the error is Inventory level not found"
api PATCH "/inventory-levels/$LV1" '{"comments": "theirs"}' "$TOKEN2"
check_status 404 "PATCH of another workspace's level is 404"
api DELETE "/inventory-levels/$LV1" "" "$TOKEN2"
check_status 404 "DELETE of another workspace's level is 404"
api GET "/inventory-levels/$LV1"
check_json '[.comments, .minQuantity] | map(tostring) | join("|")' "Updated based on recent demand|75" \
	"the level is untouched by the other workspace"
api GET /inventory-levels/level_x
check_status 404 "GET /inventory-levels/level_x is 404"
api GET /inventory-levels/42
check_status 404 "GET /inventory-levels/42 is 404"
api PATCH /inventory-levels/level_999999999 '{"comments": "x"}'
check_status 404 "PATCH of an unknown level is 404"

# ---------------------------------------------------------------- DELETE

api DELETE "/inventory-levels/$LV1"
check_status 200 "DELETE /inventory-levels/{id} is 200"
check_json '[.success, .message] | map(tostring) | join("|")' "true|Inventory level deleted" \
	"the seed's delete response"
api GET "/inventory-levels/$LV1"
check_status 404 "GET after DELETE is 404"
api DELETE "/inventory-levels/$LV1"
check_status 404 "DELETE again is 404"
api PATCH "/inventory-levels/$LV1" '{"comments": "x"}'
check_status 404 "PATCH after DELETE is 404"
api GET "/products/$P1/inventory-levels"
check_json .count 0 "the product has no level left"
api POST /inventory-levels "$(level_body "$P1" "$L1" 1 2 3)"
check_status 201 "a new level for the same product and location is 201 again"
check_true ".id != \"$LV1\"" "with a new id"

done_testing
