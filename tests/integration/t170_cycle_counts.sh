#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cycle counts (seeds 000, 002): GET /api/inventory/cycle-count in every
# mode, batches from creation through counting (blind or not) to
# resolution, the ABC classification computed from consumption with known
# unit costs, ABC batches of what is due, the ABC configuration (read by
# members, changed by admins only), and a count resolved while the stock
# moved: the difference is applied, not the count, and the ledger verifies.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PERMS='inventory.*,products.read,products.write,locations.read,locations.write,reasoncodes.read,reasoncodes.write,replenishment.write'
ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
TODAY=$(date -u +%F)
IN30=$(date -u -d '+30 days' +%F)

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }
jqr() { jq -r "$1" <<<"$BODY"; }
# check_compact FILTER EXPECTED DESC: compares `jq -c FILTER` of BODY.
check_compact() {
	local got
	got=$(jq -c "$1" <<<"$BODY" 2>&1) || true
	check_eq "$got" "$2" "$3"
	[ "$CHECK_OK" = 1 ] || _diag_body
}

slug=$(uniq_slug cycle)
new_workspace "$slug" >/dev/null
TOKEN1=$(new_key "$slug" "$PERMS")
TOKEN=$TOKEN1
ADMIN=$(new_key "$slug" "$PERMS" admin)
slug2=$(uniq_slug cycle-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$PERMS")

# ---------------------------------------------------------------- data

# Products with known unit costs; consumption over the period (at L1):
#   PA 70 x 10 = 700 (shipped), PB 20 x 5 = 100, PC 100 x 1 = 100,
#   PD 25 x 2 = 50, PE 1 x 50 = 50, PF none at L1 (100 x 3 = 300 at L2).
# At L1, of 1000: PA 70% A, PB 80% A, PC 90% B, PD 95% B, PE 100% C, PF C
# (PB before PC and PD before PE: equal values rank by id).
api POST /categories '{"name": "Fasteners"}'
CAT=$(id_of)
product() {
	api POST /products "{\"globalSku\": \"$1\", \"name\": \"$2\", \"unitCost\": $3${4:+, \"categoryId\": \"$4\"}}"
	id_of
}
PA=$(product CC-A "Alpha widget" 10)
PB=$(product CC-B "Beta bolt" 5)
PC=$(product CC-C "Gamma nut" 1 "$CAT")
PD=$(product CC-D "Delta washer" 2)
PE=$(product CC-E "Epsilon gear" 50)
PF=$(product CC-F "Zeta spring" 3)
api POST /locations '{"code": "CC-MAIN", "name": "Main"}'
L1=$(id_of)
api POST /locations '{"code": "CC-SIDE", "name": "Side"}'
L2=$(id_of)
api POST /locations '{"code": "CC-EMPTY", "name": "Empty"}'
L3=$(id_of)
api POST "/locations/$L1/bins" '{"name": "B-1"}'
B1=$(id_of)
api POST "/locations/$L2/bins" '{"name": "S-1"}'
B2=$(id_of)
api POST /reason-codes '{"code": "CC", "name": "Cycle count"}'
RC=$(id_of)
api POST /reason-codes '{"code": "ADJ", "name": "Consumption"}'
RC_ADJ=$(id_of)
check_true '.id | startswith("rc_")' "setup: products, locations, bins and reason codes exist"

# receive PRODUCT LOCATION QTY [BIN]: prints the stock line id.
receive() {
	api POST /inventory/record-stock "{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"quantity\": $3, \"mode\": \"RECEIVE\"${4:+, \"binId\": \"$4\"}}"
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
IA=$(receive "$PA" "$L1" 200)
IB=$(receive "$PB" "$L1" 100)
IC=$(receive "$PC" "$L1" 400)
ID=$(receive "$PD" "$L1" 100)
IE=$(receive "$PE" "$L1" 10 "$B1")
IF=$(receive "$PF" "$L1" 50)
IF2=$(receive "$PF" "$L2" 100 "$B2")
check_eq "$(printf '%s\n' "$IA" "$IB" "$IC" "$ID" "$IE" "$IF" "$IF2" | grep -c '^item_[0-9]*$')" 7 \
	"setup: stock received on 7 lines"

# set_qty ITEM QTY: an adjustment (a consumption when it lowers stock).
set_qty() {
	api POST /inventory/adjustments "{\"inventoryItemId\": \"$1\", \"newQtyOnHand\": $2, \"reasonCodeId\": \"$RC_ADJ\"}"
}
for step in RESERVE PICK SHIP; do
	api POST "/inventory/availability/$IA" "{\"action\": \"$step\", \"quantity\": 70}"
done
check_status 200 "PA: 70 units reserved, picked and shipped"
set_qty "$IB" 80
set_qty "$IC" 300
set_qty "$ID" 75
set_qty "$IE" 9
set_qty "$IF2" 0
check_status 200 "consumption adjustments posted"

# The other workspace: a location, a stock line, a batch and a reason code.
TOKEN=$TOKEN2
api POST /products '{"globalSku": "CC-THEIRS", "name": "Theirs", "unitCost": 1}'
OP=$(id_of)
api POST /locations '{"code": "CC-THEIRS", "name": "Theirs"}'
OL=$(id_of)
OI=$(receive "$OP" "$OL" 5)
api POST /reason-codes '{"code": "CC", "name": "Theirs"}'
ORC=$(id_of)
api POST /inventory/cycle-count "{\"locationId\": \"$OL\", \"inventoryItemIds\": [\"$OI\"]}"
check_status 201 "the other workspace creates a batch"
OB=$(id_of)
TOKEN=$TOKEN1

# ---------------------------------------------------------------- GET modes: errors and config

api GET /inventory/cycle-count
check_status 400 "GET /cycle-count without locationId is 400"
check_compact . '{"error":"locationId is required"}' "it says exactly locationId is required"
api GET "/inventory/cycle-count?mode=batches"
check_status 400 "mode=batches without locationId is 400"
api GET "/inventory/cycle-count?locationId=$OL"
check_status 404 "another workspace's location is 404"
check_compact . '{"error":"Location not found or not accessible"}' "it says the seed's Location not found or not accessible"
api GET "/inventory/cycle-count?locationId=loc_999999999&mode=to-resolve"
check_json .error "Location not found or not accessible" "a missing location answers the same"
api GET "/inventory/cycle-count?locationId=$L1&mode=everything"
check_status 400 "an unknown mode is 400"
api GET "/inventory/cycle-count?mode=abc-config"
check_status 200 "mode=abc-config needs no locationId"
check_compact '.config' '{"aPercent":80,"bPercent":15,"cPercent":5,"aFrequencyDays":30,"bFrequencyDays":60,"cFrequencyDays":90,"periodDays":365}' \
	"the default configuration, as numbers"

# ---------------------------------------------------------------- ABC classification

api GET "/inventory/cycle-count/abc?locationId=$L1"
check_status 200 "GET /cycle-count/abc at a location is 200"
check_json '[.items[] | "\(.sku):\(.abcClass):\(.consumptionValue):\(.cumulativePercent)"] | join(" ")' \
	"CC-A:A:700:70 CC-B:A:100:80 CC-C:B:100:90 CC-D:B:50:95 CC-E:C:50:100 CC-F:C:0:100" \
	"ranked by consumption value: A within 80%, B within 95%, C the rest and no consumption"
check_json '[.summary.A, .summary.B, .summary.C] | map("\(.count)/\(.value)/\(.percentOfValue)") | join(" ")' \
	"2/800/80 2/150/15 2/50/5" "the summary per class"
check_json '[.items[0].consumptionQty, .items[0].frequencyDays, .items[2].frequencyDays, .items[4].frequencyDays] | map(tostring) | join(" ")' \
	"70 30 60 90" "consumptionQty of the shipment and each class's frequency"
check_true "(.period.from | test(\"$ISO_RE\")) and (.period.to | test(\"$ISO_RE\")) and .pagination.total == 6" \
	"the period is ISO and the pagination counts every product"
api GET "/inventory/cycle-count/abc?locationId=$L1&abcClass=B&limit=1&page=2"
check_json '[.items[].sku, .pagination.total, .pagination.totalPages] | map(tostring) | join(" ")' "CC-D 2 2" \
	"abcClass filters and pages the items"
api GET /inventory/cycle-count/abc
check_json '[.items[] | "\(.sku):\(.abcClass)"] | join(" ")' "CC-A:A CC-F:A CC-B:B CC-C:B CC-D:C CC-E:C" \
	"over the workspace, the consumption at every location counts"
api GET "/inventory/cycle-count/abc?locationId=$OL"
check_status 404 "abc at another workspace's location is 404"

# ---------------------------------------------------------------- all-products and suggestions

api GET "/inventory/cycle-count?locationId=$L1"
check_status 200 "the default mode is 200"
check_json '[.type, .count, .overdueCount, (.products | length)] | map(tostring) | join(" ")' \
	"all-products 6 6 6" "all-products: 6 products, never counted so all overdue"
check_json "[.products[] | select(.sku == \"CC-A\") | .productMasterId, .locationId, .lastCountedDate, .nextCountDate, .isOverdue, .abcClass, .currentQty] | map(tostring) | join(\" \")" \
	"$PA $L1 null $TODAY true A 130" "a product's row: never counted, due today, class A, 130 on hand"
api GET "/inventory/cycle-count?locationId=$L1&search=beta"
check_json '[.products[].sku] | join(" ")' "CC-B" "search matches the name, case-insensitively"
api GET "/inventory/cycle-count?locationId=$L1&search=CC-E"
check_json '[.products[].sku] | join(" ")' "CC-E" "search matches the SKU"
api GET "/inventory/cycle-count?locationId=$L1&search=%25"
check_json .count 0 "a % in search is plain text"
api GET "/inventory/cycle-count?locationId=$L1&categoryId=$CAT"
check_json '[.products[].sku] | join(" ")' "CC-C" "categoryId filters"
api GET "/inventory/cycle-count?locationId=$L1&binId=$B1"
check_json '[.products[].sku] | join(" ")' "CC-E" "binId keeps products with a line in the bin"
# A level's abcClass overrides the computed class.
api POST /inventory-levels "{\"productMasterId\": \"$PF\", \"locationId\": \"$L1\", \"abcClass\": \"B\"}"
check_status 201 "PF gets the level class B at L1"
api GET "/inventory/cycle-count?locationId=$L1&abcClass=B"
check_json '[.products[].sku] | join(" ")' "CC-C CC-D CC-F" "abcClass uses the level's class when set"
api GET "/inventory/cycle-count?locationId=$L1&mode=suggestions"
check_json '[.type, .count] | map(tostring) | join(" ")' "suggestions 6" "suggestions list the location's products"
check_json '[.suggestions[].sku] | join(" ")' "CC-A CC-B CC-C CC-D CC-F CC-E" \
	"suggestions: overdue, then class A, B, C, then by consumption value"
check_json '[.suggestions[0].reason, .suggestions[0].consumptionValue] | map(tostring) | join("|")' \
	"never counted|700" "a suggestion says why and its consumption value"

# ---------------------------------------------------------------- creating batches

api POST /inventory/cycle-count "{\"locationId\": \"$L1\"}"
check_status 400 "a batch with nothing to count is 400"
check_true '.message // .details[0].message | test("nothing to count")' "it says nothing to count"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"inventoryItemIds\": [\"$IA\", 5]}"
check_status 400 "a non-string id is 400"
check_json '.details[0].field' "inventoryItemIds[1]" "the error names inventoryItemIds[1]"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"inventoryItemIds\": [\"$IF2\"]}"
check_status 400 "a stock line of another location is 400"
check_json '.details[0].field' "inventoryItemIds[0]" "the error names the line"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"inventoryItemIds\": [\"$OI\"]}"
check_status 404 "another workspace's stock line is 404"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"productMasterIds\": [\"$OP\"]}"
check_json .error "Product not found" "another workspace's product is 404 Product not found"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"binId\": \"$B2\"}"
check_status 400 "a bin of another location is 400"
api POST /inventory/cycle-count "{\"locationId\": \"$OL\", \"inventoryItemIds\": [\"$IA\"]}"
check_status 404 "a batch at another workspace's location is 404"
api POST /inventory/cycle-count "{\"locationId\": \"$L3\", \"productMasterIds\": [\"$PA\"]}"
check_status 400 "products without stock at the location: nothing to count"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"binId\": \"$B1\", \"deadline\": \"2030-02-30\"}"
check_json '.details[0].field' deadline "an impossible deadline is 400 naming deadline"

# ---------------------------------------------------------------- ABC batches

api POST /inventory/cycle-count/abc "{\"locationId\": \"$L1\", \"classes\": [\"A\", \"B\"], \"maxItems\": 3}"
check_status 201 "POST /cycle-count/abc is 201"
ABC1=$(id_of)
check_json '[.source, .status, .itemCount, ([.lines[].sku] | sort | join(","))] | map(tostring) | join(" ")' \
	"ABC CREATED 3 CC-A,CC-B,CC-C" "the 3 due lines of A then B, by consumption value"
api POST /inventory/cycle-count/abc "{\"locationId\": \"$L1\", \"classes\": [\"C\"]}"
check_json '[.abcClass, ([.lines[].sku] | join(","))] | join(" ")' "C CC-E" \
	"classes [C]: the level's B keeps PF out; abcClass is C"
ABC2=$(id_of)
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"productMasterIds\": [\"$PA\"]}"
check_status 409 "a line already in an open batch is 409"
check_json .message "$IA is already in open batch $ABC1" "409 names the line and the batch"
for b in "$ABC1" "$ABC2"; do
	api POST "/inventory/cycle-count/$b" '{"action": "CANCEL"}'
done
check_json .status CANCELLED "CANCEL cancels a batch"
api POST "/inventory/cycle-count/$ABC2" '{"action": "CANCEL"}'
check_status 409 "CANCEL of a cancelled batch is 409"
check_compact . '{"error":"Conflict","message":"batch is CANCELLED; cannot CANCEL"}' "409 says what and why"
api POST /inventory/cycle-count/abc "{\"locationId\": \"$L3\"}"
check_status 409 "an ABC batch where nothing is due is 409"
check_json .message "nothing is due for counting at this location" "it says nothing is due"
api POST /inventory/cycle-count/abc "{\"locationId\": \"$L1\", \"maxItems\": 0}"
check_json '.details[0].field' maxItems "maxItems 0 is 400"
api POST /inventory/cycle-count/abc "{\"locationId\": \"$L1\", \"classes\": [\"A\", \"D\"]}"
check_json '.details[0].field' "classes[1]" "an unknown class is 400 naming classes[1]"

# ---------------------------------------------------------------- a blind batch, with a recount

api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"name\": \"Gamma shelf\", \"inventoryItemIds\": [\"$IC\", \"$IC\"], \"blind\": true, \"assigneeId\": \"counter-1\", \"deadline\": \"2030-01-31\"}"
check_status 201 "a blind batch is 201"
BB=$(id_of)
check_json '[.name, .status, .blind, .assigneeId, .deadline, .itemCount, .countedCount, .createdBy != null] | map(tostring) | join(" ")' \
	"Gamma shelf CREATED true counter-1 2030-01-31T23:59:59Z 1 0 true" \
	"the batch: duplicates once, a date deadline is the end of that day"
LC=$(jqr '.lines[0].lineId')
check_json '.lines[0] | [.systemQty, .snapshotQty, .variance, .varianceValue, .sku, .inventoryItemId] | map(tostring) | join(" ")' \
	"null null null null CC-C $IC" "a blind batch hides system quantities"
api POST "/inventory/cycle-count/$BB" '{"action": "RECORD", "counts": [{"lineId": "'"$LC"'", "countedQty": 1}]}'
check_status 409 "RECORD before START is 409"
check_json .message "batch is CREATED; cannot RECORD" "it names the state and the action"
api POST "/inventory/cycle-count/$BB" '{"action": "SUBMIT"}'
check_status 409 "SUBMIT before START is 409"
api POST "/inventory/cycle-count/$BB" '{"action": "START"}'
check_status 200 "START is 200"
check_true '.status == "IN_PROGRESS" and (.startedAt | test("^[0-9]{4}-"))' "START: IN_PROGRESS, startedAt set"
api POST "/inventory/cycle-count/$BB" '{"action": "START"}'
check_status 409 "START twice is 409"
api POST "/inventory/cycle-count/$BB" '{"action": "SUBMIT"}'
check_status 409 "SUBMIT with uncounted lines is 409"
check_json .message "1 line is not counted" "it says how many lines are not counted"
api POST "/inventory/cycle-count/$BB" '{"action": "RECORD", "counts": [{"lineId": "'"$LC"'", "countedQty": -1}]}'
check_json '.details[0].field' "counts[0].countedQty" "a negative count is 400 naming counts[0].countedQty"
api POST "/inventory/cycle-count/$BB" '{"action": "RECORD", "counts": [{"countedQty": 3}]}'
check_json '.details[0].field' "counts[0].lineId" "a count without a line is 400"
api POST "/inventory/cycle-count/$BB" '{"action": "RECORD", "counts": [{"inventoryItemId": "'"$IA"'", "countedQty": 3}]}'
check_status 404 "a stock line not in the batch is 404"
check_json .error "Cycle count line not found" "it says Cycle count line not found"
api POST "/inventory/cycle-count/$BB" '{"action": "RECORD", "counts": [{"inventoryItemId": "'"$IC"'", "countedQty": 295}]}'
check_status 200 "RECORD by inventoryItemId is 200"
check_json '.lines[0] | [.status, .countedQty, .systemQty, .snapshotQty, .variance, .countedBy != null] | map(tostring) | join(" ")' \
	"COUNTED 295 null null null true" "the count is recorded; still blind while IN_PROGRESS"
api GET "/inventory/cycle-count/blind-form?batchId=$BB"
check_status 200 "the blind form is 200"
check_json '[.batchId, .name, .locationId, .locationName, .status] | join(" ")' "$BB Gamma shelf $L1 Main IN_PROGRESS" \
	"the form names the batch and its location"
check_json '.lines[0] | keys | join(",")' "binName,countedQty,expiryDate,inventoryItemId,lineId,lotNumber,productMasterId,productName,sku" \
	"the form's lines carry no system quantity"
check_json '.lines[0].countedQty' 295 "the form shows what was counted"
api GET "/inventory/cycle-count?locationId=$L1&mode=batches&assigneeId=counter-1"
check_json '[.type, .count, .batches[0].id, .batches[0].countedCount, .batches[0].itemCount] | map(tostring) | join(" ")' \
	"batches 1 $BB 1 1" "batches mode filters by assignee"
# The seed's example: batches in progress at a location.
api GET "/inventory/cycle-count?locationId=$L1&mode=batches&status=IN_PROGRESS"
check_status 200 "the seed's mode=batches&status=IN_PROGRESS example is 200"
check_json '[.type, (.batches | map(.status) | unique | join(",")), (.batches | map(.id) | index("'"$BB"'") != null)] | map(tostring) | join(" ")' \
	"batches IN_PROGRESS true" "it lists the batch being counted, with the seed's status name"
api POST "/inventory/cycle-count/$BB" '{"action": "SUBMIT"}'
check_status 200 "SUBMIT of a counted batch is 200"
check_json '[.status, .lines[0].snapshotQty, .lines[0].variance, .lines[0].varianceValue, .lines[0].systemQty] | map(tostring) | join(" ")' \
	"COUNTED 300 -5 -5 300" "once COUNTED, the quantities and the variance show"
api GET "/inventory/cycle-count/blind-form?batchId=$BB"
check_json '.lines[0] | has("snapshotQty") or has("systemQty") or has("variance")' false \
	"the blind form shows no system quantity, even once counted"
api GET "/inventory/cycle-count?locationId=$L1&mode=to-resolve"
check_json '[.type, .count, .items[0].lineId, .items[0].batchId, .items[0].variance, .items[0].snapshotQty, .items[0].countedQty] | map(tostring) | join(" ")' \
	"to-resolve 1 $LC $BB -5 300 295" "to-resolve lists the discrepancy"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$BB\", \"resolutions\": [{\"lineId\": \"$LC\", \"action\": \"MAYBE\"}]}"
check_json '.details[0].field' "resolutions[0].action" "an unknown resolution is 400 naming resolutions[0].action"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$BB\", \"resolutions\": [{\"lineId\": \"$LC\", \"action\": \"ACCEPT\", \"reasonCodeId\": \"$ORC\"}]}"
check_status 404 "another workspace's reason code is 404"
check_json .error "Reason code not found" "it says Reason code not found"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$BB\", \"resolutions\": [{\"lineId\": \"$LC\", \"action\": \"RECOUNT\", \"reason\": \"count again\"}]}"
check_status 200 "RECOUNT is 200"
check_json '[.batch.status, .batch.lines[0].status, .batch.lines[0].countedQty, .resolved, (.posted | length)] | map(tostring) | join(" ")' \
	"IN_PROGRESS RECOUNT null 0 0" "RECOUNT clears the count and sends the batch back to IN_PROGRESS"
check_json '.batch.lines[0].systemQty' null "blind again while it is recounted"
api POST "/inventory/cycle-count/$BB" '{"action": "RECORD", "counts": [{"lineId": "'"$LC"'", "countedQty": 300}]}'
api POST "/inventory/cycle-count/$BB" '{"action": "SUBMIT"}'
check_json '[.status, .lines[0].status, (.resolvedAt | test("^[0-9]{4}-"))] | map(tostring) | join(" ")' \
	"RESOLVED ACCEPTED true" "a count equal to the snapshot is accepted at SUBMIT; nothing left: RESOLVED"
api GET "/inventory?locationId=$L1&productMasterId=$PC"
check_json '[.items[0].quantityOnHand, (.items[0].lastCountedAt | test("^[0-9]{4}-"))] | map(tostring) | join(" ")' \
	"300 true" "nothing posted; lastCountedAt set"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$BB\", \"resolutions\": [{\"lineId\": \"$LC\", \"action\": \"KEEP\"}]}"
check_status 409 "resolving a RESOLVED batch is 409"
api GET "/inventory/cycle-count?locationId=$L1&mode=batches"
check_json "[.batches[].id] | index(\"$BB\")" null "batches hides resolved batches by default"
api GET "/inventory/cycle-count?locationId=$L1&mode=batches&includeCompleted=true"
check_json "[.batches[].id] | map(select(. == \"$BB\" or . == \"$ABC1\")) | length" 2 "includeCompleted shows them"
api GET "/inventory/cycle-count?locationId=$L1&mode=batches&status=CANCELLED"
check_json '[.batches[].status] | unique | join(",")' CANCELLED "a status filter names cancelled batches"

# ---------------------------------------------------------------- a count while the stock moves

api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"productMasterIds\": [\"$PA\", \"$PB\"]}"
check_status 201 "a batch of two products"
CB=$(id_of)
LA=$(jqr ".lines[] | select(.inventoryItemId == \"$IA\") | .lineId")
LB=$(jqr ".lines[] | select(.inventoryItemId == \"$IB\") | .lineId")
check_json '[.blind, .lines[0].systemQty != null] | map(tostring) | join(" ")' "false true" \
	"a batch that is not blind shows system quantities"
api POST "/inventory/cycle-count/$CB" '{"action": "START", "assigneeId": "counter-2", "notes": "aisle 1"}'
check_json '[.assigneeId, .notes] | join(" ")' "counter-2 aisle 1" "START may reassign and add notes"
api POST "/inventory/cycle-count/$CB" '{"action": "RECORD", "counts": [{"lineId": "'"$LA"'", "countedQty": 125}, {"lineId": "'"$LB"'", "countedQty": 80}]}'
check_json ".lines[] | select(.lineId == \"$LA\") | [.snapshotQty, .countedQty, .variance, .varianceValue] | map(tostring) | join(\" \")" \
	"130 125 -5 -50" "RECORD snapshots on hand (130) with the count"
# The stock moves after the snapshot: +7 now, and more while resolving.
api POST /inventory/record-stock "{\"productMasterId\": \"$PA\", \"locationId\": \"$L1\", \"quantity\": 7, \"mode\": \"RECEIVE\"}"
check_json .inventoryItem.qtyOnHand 137 "7 received after the snapshot"
api POST "/inventory/cycle-count/$CB" '{"action": "SUBMIT"}'
check_json ".status + \" \" + ([.lines[] | select(.lineId == \"$LB\") | .status] | join(\"\"))" "COUNTED ACCEPTED" \
	"SUBMIT accepts the matching line; the other awaits a decision"
race_dir=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t170race.XXXXXX")
for i in 1 2 3 4 5; do
	curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"productMasterId\": \"$PA\", \"locationId\": \"$L1\", \"quantity\": 1, \"mode\": \"RECEIVE\"}" \
		"$INVENTORY_URL/inventory/record-stock" >"$race_dir/$i.status" 2>/dev/null &
done
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$CB\", \"resolutions\": [{\"lineId\": \"$LA\", \"action\": \"ACCEPT\", \"reasonCodeId\": \"$RC\", \"reason\": \"short on the shelf\"}]}"
wait
check_status 200 "ACCEPT while receipts run is 200"
check_json '[.resolved, .posted[0].lineId, .posted[0].deltaQty, (.posted[0].transactionId | startswith("txn_")), .batch.status] | map(tostring) | join(" ")' \
	"1 $LA -5 true RESOLVED" "ACCEPT posts counted - snapshot (-5); the batch is RESOLVED"
TXN=$(jqr '.posted[0].transactionId')
check_json ".batch.lines[] | select(.lineId == \"$LA\") | [.status, .resolutionReason, .transactionId, .reasonCodeId, .resolvedBy != null] | map(tostring) | join(\"|\")" \
	"ACCEPTED|short on the shelf|$TXN|$RC|true" "the line records who, why, the reason code and the transaction"
check_eq "$(for f in "$race_dir"/*.status; do cat "$f"; echo; done | sort | uniq -c | awk '{print $1 "x" $2}' | paste -sd' ')" "5x200" \
	"the 5 concurrent receipts succeeded"
api GET "/inventory?locationId=$L1&productMasterId=$PA"
check_json '.items[0].quantityOnHand' 137 "final on hand = counted 125 + 7 + 5 received after the snapshot"
check_true '.items[0].lastCountedAt | test("^[0-9]{4}-")' "resolving sets lastCountedAt"
api GET "/inventory/adjustments?inventoryItemId=$IA"
check_json "[.entries[] | select(.id == \"$TXN\") | .transactionType, .deltaQty, .reasonCodeId, .referenceType, .referenceId, .comment] | map(tostring) | join(\" \")" \
	"CYCLE_COUNT -5 $RC CYCLE_COUNT $CB short on the shelf" "the history explains the change (CYCLE_COUNT, -5, the batch, the reason)"
if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "ledger verify is clean after the concurrent count"
else
	fail "ledger verify is clean after the concurrent count" "$out"
fi

# Counted products are no longer overdue; the next count is due by class.
api GET "/inventory/cycle-count?locationId=$L1"
check_json "[.overdueCount, (.products[] | select(.sku == \"CC-A\") | .lastCountedDate, .nextCountDate, .isOverdue)] | map(tostring) | join(\" \")" \
	"3 $TODAY $IN30 false" "PA counted today: next count in 30 days (class A), not overdue"
api GET "/inventory/cycle-count?locationId=$L1&showOverdueOnly=true"
check_json '[.count, ([.products[].sku] | join(","))] | map(tostring) | join(" ")' "3 CC-D,CC-E,CC-F" \
	"showOverdueOnly keeps the overdue products"
api GET "/inventory/cycle-count?locationId=$L1&mode=suggestions"
check_json '[.suggestions[].sku] | join(" ")' "CC-D CC-F CC-E CC-A CC-B CC-C" \
	"suggestions: overdue first, then the rest by class and value"
check_json "[.suggestions[] | select(.sku == \"CC-A\") | .reason] | join(\"\")" "due $IN30" "a counted product is due on its next date"
# A count 40 days old is overdue for class A (every 30 days).
sql "UPDATE stock_lines SET last_counted_at = NOW(3) - INTERVAL 40 DAY WHERE id = ${IB#item_}"
api GET "/inventory/cycle-count?locationId=$L1&mode=suggestions"
check_json "[.suggestions[] | select(.sku == \"CC-B\") | .isOverdue, .reason] | map(tostring) | join(\" \")" \
	"true overdue since $(date -u -d '-10 days' +%F)" "a count older than the class's frequency is overdue"
api POST /inventory/cycle-count/abc "{\"locationId\": \"$L1\", \"classes\": [\"A\"]}"
check_json '[.lines[].sku] | join(",")' "CC-B" "an ABC batch takes only the lines that are due"
api POST "/inventory/cycle-count/$(id_of)" '{"action": "CANCEL"}'

# ---------------------------------------------------------------- a refused resolution changes nothing

api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"inventoryItemIds\": [\"$ID\", \"$IE\"]}"
NB=$(id_of)
LD=$(jqr ".lines[] | select(.inventoryItemId == \"$ID\") | .lineId")
LE=$(jqr ".lines[] | select(.inventoryItemId == \"$IE\") | .lineId")
api POST "/inventory/cycle-count/$NB" '{"action": "START"}'
api POST "/inventory/cycle-count/$NB" '{"action": "RECORD", "counts": [{"lineId": "'"$LD"'", "countedQty": 74}, {"lineId": "'"$LE"'", "countedQty": 0}]}'
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$NB\", \"resolutions\": [{\"lineId\": \"$LD\", \"action\": \"ACCEPT\"}]}"
check_status 409 "resolving a IN_PROGRESS batch is 409"
api POST "/inventory/availability/$IE" '{"action": "RESERVE", "quantity": 5}'
check_status 200 "5 of PE reserved after the snapshot"
api POST "/inventory/cycle-count/$NB" '{"action": "SUBMIT"}'
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$NB\", \"resolutions\": [{\"lineId\": \"$LD\", \"action\": \"ACCEPT\"}, {\"lineId\": \"$LE\", \"action\": \"ACCEPT\"}]}"
check_status 409 "an ACCEPT that would leave available below zero is 409"
check_json .error "Insufficient stock" "it says Insufficient stock"
api GET "/inventory/cycle-count/$NB"
check_json '[.status, ([.lines[].status] | join(","))] | join(" ")' "COUNTED COUNTED,COUNTED" \
	"nothing of the refused request applied"
api GET "/inventory?locationId=$L1&productMasterId=$PD"
check_json '.items[0].quantityOnHand' 75 "PD's ACCEPT was rolled back too"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$NB\", \"resolutions\": [{\"lineId\": \"$LD\", \"action\": \"ACCEPT\", \"reasonCodeId\": \"$RC\"}, {\"lineId\": \"$LE\", \"action\": \"KEEP\", \"reason\": \"reserved stock, count later\"}]}"
check_status 200 "ACCEPT one line and KEEP the other is 200"
check_json '[.resolved, (.posted | length), .posted[0].lineId, .posted[0].deltaQty, .batch.status] | map(tostring) | join(" ")' \
	"2 1 $LD -1 RESOLVED" "KEEP posts nothing; the batch is RESOLVED"
check_json ".batch.lines[] | select(.lineId == \"$LE\") | [.status, .resolutionReason, .transactionId] | map(tostring) | join(\"|\")" \
	"KEPT|reserved stock, count later|null" "KEEP records the reason"
api GET "/inventory?locationId=$L1&productMasterId=$PE"
check_json '[.items[0].quantityOnHand, (.items[0].lastCountedAt | test("^[0-9]{4}-"))] | map(tostring) | join(" ")' "9 true" \
	"KEEP leaves the quantity and dates the count"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$NB\", \"resolutions\": [{\"lineId\": \"$LD\", \"action\": \"KEEP\"}]}"
check_status 409 "resolving a line of a resolved batch is 409"

# A cancelled batch frees its lines.
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"binId\": \"$B1\"}"
check_json '[.itemCount, .lines[0].inventoryItemId] | map(tostring) | join(" ")' "1 $IE" "binId counts the lines of the bin"
XB=$(id_of)
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"inventoryItemIds\": [\"$IE\"]}"
check_status 409 "the bin's line is in an open batch"
api POST "/inventory/cycle-count/$XB" '{"action": "CANCEL"}'
check_true '.status == "CANCELLED" and (.cancelledAt | test("^[0-9]{4}-"))' "CANCEL of a CREATED batch, cancelledAt set"
api POST /inventory/cycle-count "{\"locationId\": \"$L1\", \"inventoryItemIds\": [\"$IE\"]}"
check_status 201 "after CANCEL the line can be counted again"
api POST "/inventory/cycle-count/$XB" '{"action": "START"}'
check_status 409 "START of a cancelled batch is 409"

# ---------------------------------------------------------------- other workspaces' ids

api GET "/inventory/cycle-count/$OB"
other=$BODY
check_status 404 "another workspace's batch is 404"
api GET /inventory/cycle-count/ccb_999999999
check_eq "$other" "$BODY" "it answers exactly as a missing batch"
check_json .error "Cycle count batch not found" "it says Cycle count batch not found"
api POST "/inventory/cycle-count/$OB" '{"action": "CANCEL"}'
check_status 404 "updating another workspace's batch is 404"
api GET "/inventory/cycle-count/blind-form?batchId=$OB"
check_status 404 "the blind form of another workspace's batch is 404"
api GET /inventory/cycle-count/blind-form
check_status 400 "the blind form needs batchId"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$OB\", \"resolutions\": [{\"lineId\": \"$LD\", \"action\": \"KEEP\"}]}"
check_status 404 "resolving another workspace's batch is 404"
api POST /inventory/cycle-count/resolve "{\"batchId\": \"$NB\", \"resolutions\": []}"
check_status 400 "an empty resolutions list is 400"
TOKEN=$TOKEN2
api GET "/inventory/cycle-count/$OB"
check_json '[.status, .itemCount] | map(tostring) | join(" ")' "CREATED 1" "its own workspace sees its batch"
api GET "/inventory/cycle-count?locationId=$OL&mode=batches"
check_json '.count' 1 "and only its own batches"
TOKEN=$TOKEN1

# ---------------------------------------------------------------- the ABC configuration

api PATCH /inventory/cycle-count/abc-config '{"aPercent": 70, "bPercent": 25}'
check_status 403 "a member without the admin role cannot change the configuration"
api PATCH /inventory/cycle-count/abc-config '{"aPercent": 70, "bPercent": 20}' "$ADMIN"
check_status 400 "percentages that do not add up to 100 are 400"
check_compact . '{"error":"Invalid request data","message":"aPercent + bPercent + cPercent must equal 100"}' \
	"it says they must equal 100"
api PATCH /inventory/cycle-count/abc-config '{"aFrequencyDays": 0}' "$ADMIN"
check_json '.details[0].field' aFrequencyDays "a frequency of 0 days is 400"
api PATCH /inventory/cycle-count/abc-config '{"aPercent": 70, "bPercent": 25, "aFrequencyDays": 7}' "$ADMIN"
check_status 200 "an admin changes the configuration"
check_compact .config '{"aPercent":70,"bPercent":25,"cPercent":5,"aFrequencyDays":7,"bFrequencyDays":60,"cFrequencyDays":90,"periodDays":365}' \
	"the change is merged with the rest"
api GET "/inventory/cycle-count?mode=abc-config"
check_json '[.config.aPercent, .config.aFrequencyDays] | map(tostring) | join(" ")' "70 7" "a member reads the new configuration"
api GET "/inventory/cycle-count/abc?locationId=$L1"
check_json '[.items[] | .abcClass] | join("")' "ABBBCC" "the classification follows the configuration (A within 70%)"
TOKEN=$TOKEN2
api GET "/inventory/cycle-count?mode=abc-config"
check_json '.config.aPercent' 80 "another workspace keeps its own configuration"

if out=$(ctl ledger verify --workspace "$slug" 2>&1); then
	pass "ledger verify is clean at the end"
else
	fail "ledger verify is clean at the end" "$out"
fi

done_testing
