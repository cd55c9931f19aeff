#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Channel ATP (issue 13): ATP policies (/api/channels/{id}/atp-policies,
# /api/atp-policies/{id}), reservations for a channel (POST
# /api/inventory/availability/{id} with channelId), the channel x location
# matrix (GET /api/inventory/channel-location), its drilldown and the
# channel summary, every figure checked against hand computation; the
# seed-000 field sets, the seed-003 Python ATP export loop, permissions and
# workspace isolation.
#
#   atp = max(0, min(available, floor(sellable x pct / 100) - safety - reservedByChannel))
#
# Channels (low/critical thresholds) and the policies that apply:
#   DTC 12/0  channel policy 50 %, safety 2, thresholds null (the channel's: 12/0)
#   RTL 5/2   channel policy 80 %, safety 0, low 7, critical 1;
#             at MAIN its location policy 100 %, safety 5, thresholds null (5/2)
#   WHS 20/3  no channel policy (DEFAULT at MAIN); at SIDE 100 %, safety 10, 30/5
#   MKT 10/0  no policy anywhere (DEFAULT)
#
# MAIN, product A (lots LA-GOOD 100 in bin A-1, LA-OLD 30 expired 2020-01-31,
#   LA-HOLD 20 of an ON_HOLD lot): 10 held and 5 picked on LA-GOOD, reserved
#   8 for no channel, 6 for DTC, 4 for RTL.
#   onHand 150, reserved 18, sellable 100-10-5 = 85 (unusableLotStock 50),
#   available 85-18 = 67
#   DTC floor(42.5)=42-2-6 = 34 OK | RTL 85-5-4 = 76 -> 67 OK |
#   WHS 85 -> 67 OK | MKT 67 OK                 min 34 max 67, no critical
# MAIN, B: 30 on hand, 12 reserved for DTC: sellable 30, available 18
#   DTC 15-2-12 = 1 LOW | RTL 30-5 = 25 -> 18 OK | WHS 18 LOW | MKT 18 OK
# MAIN, C: 7 on hand: DTC 3-2 = 1 LOW | RTL 7-5 = 2 CRITICAL (<= 2) |
#   WHS 7 LOW | MKT 7 LOW                       min 1 max 7, critical
# MAIN, D: 3 on hand: DTC 1-2 < 0 -> 0 CRITICAL | RTL 3-5 -> 0 CRITICAL |
#   WHS 3 CRITICAL (<= 3) | MKT 3 LOW
# SIDE, A (LA-GOOD 40, 3 reserved for RTL): sellable 40, available 37
#   DTC 20-2 = 18 OK | RTL floor(32)-3 = 29 OK | WHS 40-10 = 30 LOW (<= 30) | MKT 37 OK
# SIDE, B (9): DTC 4-2 = 2 LOW | RTL floor(7.2) = 7 LOW (<= 7) |
#   WHS 9-10 -> 0 CRITICAL | MKT 9 LOW
# Summary over both locations (onHand 239, reserved 33, available 141):
#   DTC atp 36+20 = 56, byChannel 18, OK 2 LOW 3 CRITICAL 1
#   RTL atp 87+36 = 123, byChannel 7, OK 3 LOW 1 CRITICAL 2
#   WHS atp 95+30 = 125, OK 1 LOW 3 CRITICAL 2
#   MKT atp 95+46 = 141, OK 3 LOW 3 CRITICAL 0
#
# Reservations for channels (location RSV, product E, lot LE-1 with 50):
#   RESERVE 10 DTC, 5 RTL, 4 none: reserved 19, available 31;
#     DTC 25-2-10 = 13, RTL 40-5 = 35 -> 31, MKT 31
#   RELEASE 3 DTC: DTC share 7, DTC 25-2-7 = 16
#   PICK 9 DTC: 7 from its share, 2 from available: reserved 9, picked 9,
#     sellable 41, available 32: DTC 20-2 = 18, RTL floor(32.8)-5 = 27, MKT 32
#   PICK 2 without channel: from the 4 of no channel: reserved 7, picked 11
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

FIXTURES="$(cd "$(dirname "$0")" && pwd)/fixtures"
WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t250.XXXXXX")
PERMS=inventory.read,inventory.write,inventory.adjust,products.read,products.write,locations.read,locations.write,channels.read,channels.write

slug=$(uniq_slug atp)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" "$PERMS")
slug2=$(uniq_slug atp-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$PERMS")

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }
lookup_id() {
	api GET "$1"
	jq -r '.items[0].id // "missing"' <<<"$BODY"
}
# exact_error STATUS JSON DESC: the status and the exact body.
exact_error() {
	check_status "$1" "$3: status $1"
	check_json 'tojson' "$2" "$3: body $2"
}

# ---------------------------------------------------------------- setup

cat >"$WORK/products.csv" <<'EOF'
globalSku,name,category,lotControlled,expiryTracked
ATP-A,Alpha serum,Pharma,true,true
ATP-B,Beta gauze,Wound care,false,false
ATP-C,Gamma swabs,,false,false
ATP-D,Delta tape,,false,false
ATP-E,Echo kit,,true,true
EOF
cat >"$WORK/locations.csv" <<'EOF'
code,name,type
MAIN,Main Warehouse,WAREHOUSE
SIDE,Side Store,STORE
RSV,Reservation Store,STORE
EMPTY,Empty Store,STORE
EOF
printf 'locationCode,name\nMAIN,A-1\n' >"$WORK/bins.csv"
cat >"$WORK/lots.csv" <<'EOF'
globalSku,lotNumber,expiryDate,status
ATP-A,LA-GOOD,2099-12-31,ACTIVE
ATP-A,LA-OLD,2020-01-31,ACTIVE
ATP-A,LA-HOLD,2098-06-30,ACTIVE
ATP-E,LE-1,2099-03-31,ACTIVE
EOF
cat >"$WORK/stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
ATP-A,MAIN,LA-GOOD,A-1,100
ATP-A,MAIN,LA-OLD,,30
ATP-A,MAIN,LA-HOLD,,20
ATP-B,MAIN,,,30
ATP-C,MAIN,,,7
ATP-D,MAIN,,,3
ATP-A,SIDE,LA-GOOD,,40
ATP-B,SIDE,,,9
ATP-E,RSV,LE-1,,50
EOF
import_csv products "$WORK/products.csv" "$slug" "import products"
import_csv locations "$WORK/locations.csv" "$slug" "import locations"
import_csv bins "$WORK/bins.csv" "$slug" "import bins"
import_csv lots "$WORK/lots.csv" "$slug" "import lots (one expired)"
import_csv stock "$WORK/stock.csv" "$slug" "import stock"

PA=$(lookup_id "/products?globalSku=ATP-A")
PB=$(lookup_id "/products?globalSku=ATP-B")
PC=$(lookup_id "/products?globalSku=ATP-C")
PD=$(lookup_id "/products?globalSku=ATP-D")
PE=$(lookup_id "/products?globalSku=ATP-E")
MAIN=$(lookup_id "/locations?code=MAIN")
SIDE=$(lookup_id "/locations?code=SIDE")
RSV=$(lookup_id "/locations?code=RSV")
EMPTY=$(lookup_id "/locations?code=EMPTY")
BIN=$(lookup_id "/locations/$MAIN/bins?search=A-1")
LOT_GOOD=$(lookup_id "/lots?lotNumber=LA-GOOD")
LOT_OLD=$(lookup_id "/lots?lotNumber=LA-OLD")
LOT_HOLD=$(lookup_id "/lots?lotNumber=LA-HOLD")
LOT_E=$(lookup_id "/lots?lotNumber=LE-1")
I_GOOD=$(lookup_id "/inventory?locationId=$MAIN&lotId=$LOT_GOOD")
I_OLD=$(lookup_id "/inventory?locationId=$MAIN&lotId=$LOT_OLD")
I_HOLD=$(lookup_id "/inventory?locationId=$MAIN&lotId=$LOT_HOLD")
I_B=$(lookup_id "/inventory?locationId=$MAIN&productMasterId=$PB")
I_SIDE_A=$(lookup_id "/inventory?locationId=$SIDE&productMasterId=$PA")
I_E=$(lookup_id "/inventory?locationId=$RSV&productMasterId=$PE")

api POST /channels '{"code": "DTC", "name": "Direct to Consumer", "channelType": "E_COMMERCE", "lowAtpThreshold": 12}'
DTC=$(id_of)
api POST /channels '{"code": "RTL", "name": "Retail", "channelType": "RETAIL", "lowAtpThreshold": 5, "criticalAtpThreshold": 2}'
RTL=$(id_of)
api POST /channels '{"code": "WHS", "name": "Wholesale", "channelType": "WHOLESALE", "lowAtpThreshold": 20, "criticalAtpThreshold": 3}'
WHS=$(id_of)
api POST /channels '{"code": "MKT", "name": "Marketplace", "channelType": "MARKETPLACE"}'
MKT=$(id_of)

api PATCH "/lots/$LOT_HOLD" '{"status": "ON_HOLD"}'
api POST /inventory/holds "{\"inventoryItemId\": \"$I_GOOD\", \"quantity\": 10, \"reason\": \"QA\"}"
H1=$(id_of)
# avail ITEM BODY: POST /inventory/availability/ITEM.
avail() { api POST "/inventory/availability/$1" "$2"; }
avail "$I_GOOD" '{"action": "PICK", "quantity": 5}'
avail "$I_GOOD" '{"action": "RESERVE", "quantity": 8}'
avail "$I_GOOD" '{"action": "RESERVE", "quantity": 6, "channelId": "DTC"}'
avail "$I_GOOD" "{\"action\": \"RESERVE\", \"quantity\": 4, \"channelId\": \"$RTL\"}"
avail "$I_B" '{"action": "RESERVE", "quantity": 12, "channelId": "DTC"}'
avail "$I_SIDE_A" '{"action": "RESERVE", "quantity": 3, "channelId": "RTL"}'

api GET "/inventory/availability/$I_GOOD"
check_json '[.qtyOnHand, .qtyReserved, .qtyOnHold, .qtyPicked, .qtyAvailable] | map(tostring) | join(" ")' \
	"100 18 10 5 67" "setup: LA-GOOD at MAIN has 100 on hand, 18 reserved, 10 held, 5 picked, 67 available"

# The other workspace: a channel, a location, a product with stock.
api POST /channels '{"code": "OTH", "name": "Their channel"}' "$TOKEN2"
O_CHN=$(id_of)
api POST /locations '{"code": "MAIN", "name": "Their warehouse"}' "$TOKEN2"
O_LOC=$(id_of)
api POST /products '{"globalSku": "ATP-A", "name": "Their serum"}' "$TOKEN2"
O_P=$(id_of)
api POST /inventory/record-stock "{\"productMasterId\": \"$O_P\", \"locationId\": \"$O_LOC\", \"quantity\": 5, \"mode\": \"RECEIVE\"}" "$TOKEN2"
O_ITEM=$(jq -r '.inventoryItem.id // "missing"' <<<"$BODY")
api POST "/channels/$O_CHN/atp-policies" '{"allocationPercent": 10}' "$TOKEN2"
O_POL=$(id_of)

check_true "$(printf '%s\n' "$PA" "$PB" "$PC" "$PD" "$PE" "$MAIN" "$SIDE" "$RSV" "$EMPTY" "$BIN" "$LOT_GOOD" "$LOT_OLD" \
	"$LOT_HOLD" "$LOT_E" "$I_GOOD" "$I_OLD" "$I_HOLD" "$I_B" "$I_SIDE_A" "$I_E" "$DTC" "$RTL" "$WHS" "$MKT" "$H1" \
	"$O_CHN" "$O_LOC" "$O_P" "$O_ITEM" "$O_POL" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all | tostring')" \
	"setup: products, locations, lots, stock lines, channels, a hold, and another workspace"

# ---------------------------------------------------------------- policies

api POST "/channels/$DTC/atp-policies" '{"allocationPercent": 50, "safetyStock": 2}'
check_status 201 "POST a channel policy (every location) is 201"
check_json '[.channelId, .locationId, .allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join("|")' \
	"$DTC|null|50|2|null|null" "the DTC policy: every location, 50 %, safety 2, thresholds null (the channel's)"
check_true '.id | test("^policy_[0-9]+$")' "policy ids are policy_N"
POL_DTC=$(id_of)
api POST "/channels/$RTL/atp-policies" '{"allocationPercent": 80, "lowAtpThreshold": 7, "criticalAtpThreshold": 1}'
check_status 201 "POST the RTL channel policy is 201"
check_json '[.allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join("|")' \
	"80|0|7|1" "safetyStock defaults to 0"
POL_RTL=$(id_of)
api POST "/channels/$RTL/atp-policies" "{\"locationId\": \"$MAIN\", \"allocationPercent\": 100, \"safetyStock\": 5}"
check_status 201 "POST an RTL policy for MAIN is 201"
check_json '[.channelId, .locationId] | join("|")' "$RTL|$MAIN" "it is RTL's policy for MAIN"
POL_RTL_MAIN=$(id_of)
api POST "/channels/$WHS/atp-policies" "{\"locationId\": \"$SIDE\", \"safetyStock\": 10, \"lowAtpThreshold\": 30, \"criticalAtpThreshold\": 5}"
check_status 201 "POST a WHS policy for SIDE only is 201"
check_json .allocationPercent 100 "allocationPercent defaults to 100"
POL_WHS_SIDE=$(id_of)

# A policy to edit and delete (MKT at EMPTY, where there is no stock).
api POST "/channels/$MKT/atp-policies" "{\"locationId\": \"$EMPTY\", \"allocationPercent\": 12.5}"
check_status 201 "POST a MKT policy for EMPTY is 201"
check_json .allocationPercent 12.5 "a fractional allocationPercent is kept"
POL_TMP=$(id_of)

api GET "/channels/$RTL/atp-policies"
check_status 200 "GET a channel's policies is 200"
check_json '[.items[].id] | join(",")' "$POL_RTL,$POL_RTL_MAIN" "RTL has its channel policy and its MAIN policy, by id"
check_json '[.pagination.total, .pagination.page] | map(tostring) | join(" ")' "2 1" "paginated: total 2"
api GET "/channels/$RTL/atp-policies?locationId=$MAIN"
check_json '[.items[].id] | join(",")' "$POL_RTL_MAIN" "?locationId= finds the location's policy"
api GET "/channels/$MKT/atp-policies"
check_json '[.items[].id] | join(",")' "$POL_TMP" "MKT lists only its own"
api GET "/atp-policies/$POL_TMP"
check_status 200 "GET one policy is 200"
check_json '[.id, .channelId, .locationId, .allocationPercent] | map(tostring) | join("|")' \
	"$POL_TMP|$MKT|$EMPTY|12.5" "GET one policy answers it"
api PATCH "/atp-policies/$POL_TMP" '{"allocationPercent": 60, "safetyStock": 4, "lowAtpThreshold": 9}'
check_status 200 "PATCH a policy is 200"
check_json '[.allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold, .locationId] | map(tostring) | join("|")' \
	"60|4|9|null|$EMPTY" "PATCH changes the fields given and keeps the others"
api PATCH "/atp-policies/$POL_TMP" '{"lowAtpThreshold": null}'
check_json '.lowAtpThreshold' null "PATCH a threshold to null (back to the channel's)"
api PATCH "/atp-policies/$POL_TMP" '{"allocationPercent": 100.5}'
check_status 400 "PATCH allocationPercent 100.5 is 400"
check_json .details[0].message "must be at most 100" "it says must be at most 100"
api POST "/channels/$MKT/atp-policies" '{"allocationPercent": 101}'
check_status 400 "allocationPercent 101 is 400"
check_json '[.details[0].field, .details[0].message] | join(": ")' "allocationPercent: must be at most 100" \
	"it names allocationPercent: must be at most 100"
api POST "/channels/$MKT/atp-policies" '{"allocationPercent": -1}'
check_status 400 "a negative allocationPercent is 400"
api POST "/channels/$MKT/atp-policies" '{"safetyStock": -3}'
check_status 400 "a negative safetyStock is 400"
check_json '[.details[0].field, .details[0].message] | join(": ")' "safetyStock: must not be negative" \
	"it names safetyStock: must not be negative"
api POST "/channels/$MKT/atp-policies" '{"lowAtpThreshold": -1}'
check_status 400 "a negative lowAtpThreshold is 400"
api POST "/channels/$RTL/atp-policies" "{\"locationId\": \"$MAIN\", \"allocationPercent\": 10}"
check_status 409 "a second RTL policy for MAIN is 409"
api POST "/channels/$RTL/atp-policies" '{"allocationPercent": 10}'
check_status 409 "a second RTL policy for every location is 409"
api GET "/channels/$RTL/atp-policies"
check_json '.pagination.total' 2 "the refused policies were not written"
api POST "/channels/$MKT/atp-policies" "{\"locationId\": \"$O_LOC\"}"
check_status 404 "a policy for another workspace's location is 404"
api POST "/channels/$O_CHN/atp-policies" '{"allocationPercent": 10}'
check_status 404 "a policy for another workspace's channel is 404"
api GET "/channels/$O_CHN/atp-policies"
check_status 404 "listing another workspace's channel's policies is 404"
api GET "/atp-policies/$O_POL"
check_status 404 "GET another workspace's policy is 404"
api PATCH "/atp-policies/$O_POL" '{"allocationPercent": 99}'
check_status 404 "PATCH another workspace's policy is 404"
api DELETE "/atp-policies/$O_POL"
check_status 404 "DELETE another workspace's policy is 404"
api GET "/atp-policies/$O_POL" "" "$TOKEN2"
check_json .allocationPercent 10 "and it is unchanged"

api DELETE "/atp-policies/$POL_TMP"
check_status 204 "DELETE a policy is 204"
check_eq "$BODY" "" "with no body"
api GET "/atp-policies/$POL_TMP"
check_status 404 "the deleted policy is 404"
api DELETE "/atp-policies/$POL_TMP"
check_status 404 "deleting it again is 404"
api GET "/channels/$MKT/atp-policies"
check_json .pagination.total 0 "MKT has no policy left"

# Permissions: channels.read lists and reads, channels.write creates,
# changes and deletes.
NOCHN=$(new_key "$slug" inventory.read,inventory.write)
CHN_R=$(new_key "$slug" channels.read)
api GET "/channels/$DTC/atp-policies" "" "$NOCHN"
check_status 403 "listing policies without channels.read is 403"
api GET "/atp-policies/$POL_DTC" "" "$NOCHN"
check_status 403 "GET a policy without channels.read is 403"
api GET "/atp-policies/$POL_DTC" "" "$CHN_R"
check_status 200 "channels.read reads a policy"
api POST "/channels/$MKT/atp-policies" '{"allocationPercent": 10}' "$CHN_R"
check_status 403 "creating a policy without channels.write is 403"
api PATCH "/atp-policies/$POL_DTC" '{"allocationPercent": 10}' "$CHN_R"
check_status 403 "PATCH without channels.write is 403"
api DELETE "/atp-policies/$POL_DTC" "" "$CHN_R"
check_status 403 "DELETE without channels.write is 403"
api GET "/atp-policies/$POL_DTC"
check_json '[.allocationPercent, .safetyStock] | map(tostring) | join(" ")' "50 2" "the refused changes changed nothing"

# ---------------------------------------------------------------- the matrix at MAIN

api GET "/inventory/channel-location?locationId=$MAIN"
check_status 200 "GET the matrix of MAIN is 200"
M=$BODY
check_json '[.products[].productMasterId] | join(",")' "$PA,$PB,$PC,$PD" "MAIN's four products, by id"
check_true '[.products[].productMasterId | ltrimstr("prod_") | tonumber] | . == sort' "products are ordered by id"
check_json '[.products[] | [.channels[].channelId] | join(",")] | unique | join(";")' "$DTC,$RTL,$WHS,$MKT" \
	"every product has one cell per channel, by channel id"
check_json '[.location.id, .location.name] | join("|")' "$MAIN|Main Warehouse" "location is MAIN"
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages] | map(tostring) | join(" ")' \
	"1 50 4 1" "pagination: page 1, default pageSize 50, total 4"

# cell PROD CHN: "atp severity threshold policyId onHand reserved available" from $M.
cell() {
	jq -r --arg p "$1" --arg c "$2" '.products[] | select(.productMasterId == $p) | .channels[] |
		select(.channelId == $c) | [.atp, .severity, .threshold, (.policyId // "none"),
		.onHand, .reserved, .available] | map(tostring) | join(" ")' <<<"$M"
}
# product PROD: "totalOnHand totalReserved minAtp maxAtp hasCritical" from $M.
product() {
	jq -r --arg p "$1" '.products[] | select(.productMasterId == $p) |
		[.totalOnHand, .totalReserved, .minAtp, .maxAtp, .hasCritical] | map(tostring) | join(" ")' <<<"$M"
}
# check_cells: one check a line of stdin, "PROD CHN FIGURES... DESC": a cell's
# seven figures (cell), or with CHN "-" a product's five (product).
check_cells() {
	local p c f1 f2 f3 f4 f5 f6 f7 desc
	while read -r p c f1 f2 f3 f4 f5 f6 f7 desc; do
		if [ "$c" = - ]; then
			desc="$f6 $f7 $desc"
			check_eq "$(product "$p")" "$f1 $f2 $f3 $f4 $f5" "$desc"
		else
			check_eq "$(cell "$p" "$c")" "$f1 $f2 $f3 $f4 $f5 $f6 $f7" "$desc"
		fi
	done
}
check_cells <<EOF
$PA $DTC 34 OK 12 $POL_DTC 150 18 67 A/DTC: floor(85 x 50%) - 2 - 6 = 34, OK, threshold 12 (the channel's)
$PA $RTL 67 OK 5 $POL_RTL_MAIN 150 18 67 A/RTL: the MAIN policy: 85 - 5 - 4 = 76, capped at available 67
$PA $WHS 67 OK 20 none 150 18 67 A/WHS: the default policy: available 67, no policyId
$PA $MKT 67 OK 10 none 150 18 67 A/MKT: available 67
$PA - 150 18 34 67 false A: totalOnHand 150, totalReserved 18, minAtp 34, maxAtp 67, no critical
$PB $DTC 1 LOW 12 $POL_DTC 30 12 18 B/DTC: 15 - 2 - 12 = 1, LOW
$PB $RTL 18 OK 5 $POL_RTL_MAIN 30 12 18 B/RTL: 30 - 5 = 25, capped at 18
$PB $WHS 18 LOW 20 none 30 12 18 B/WHS: 18 <= 20 is LOW
$PB $MKT 18 OK 10 none 30 12 18 B/MKT: 18 OK
$PB - 30 12 1 18 false B: 30, 12, min 1, max 18
$PC $DTC 1 LOW 12 $POL_DTC 7 0 7 C/DTC: floor(3.5) - 2 = 1, LOW
$PC $RTL 2 CRITICAL 5 $POL_RTL_MAIN 7 0 7 C/RTL: 7 - 5 = 2 <= critical 2: CRITICAL
$PC $WHS 7 LOW 20 none 7 0 7 C/WHS: 7 LOW (critical 3)
$PC $MKT 7 LOW 10 none 7 0 7 C/MKT: 7 LOW
$PC - 7 0 1 7 true C: min 1, max 7, hasCritical
$PD $DTC 0 CRITICAL 12 $POL_DTC 3 0 3 D/DTC: 1 - 2 < 0 gives 0, CRITICAL
$PD $RTL 0 CRITICAL 5 $POL_RTL_MAIN 3 0 3 D/RTL: 3 - 5 < 0 gives 0, CRITICAL
$PD $WHS 3 CRITICAL 20 none 3 0 3 D/WHS: 3 <= critical 3: CRITICAL
$PD $MKT 3 LOW 10 none 3 0 3 D/MKT: 3 LOW
$PD - 3 0 0 3 true D: min 0, max 3, hasCritical
EOF
check_json '[.products[] | .channels[] | has("policyId")] | map(tostring) | join(",")' \
	"true,true,false,false,true,true,false,false,true,true,false,false,true,true,false,false" \
	"policyId is absent (not null) where the default applies"

# The channels shown, each with the policy that applies at MAIN.
check_json '[.channels[] | [.channelId, .channelName, .channelType, .channelCode, (.policyId // "none"),
	.allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join(" ")] | join(" / ")' \
	"$DTC Direct to Consumer E_COMMERCE DTC $POL_DTC 50 2 12 0 / $RTL Retail RETAIL RTL $POL_RTL_MAIN 100 5 5 2 / $WHS Wholesale WHOLESALE WHS none 100 0 20 3 / $MKT Marketplace MARKETPLACE MKT none 100 0 10 0" \
	"channels[]: DTC's channel policy, RTL's MAIN policy (its null thresholds: the channel's), WHS and MKT the default"

# The seed-000 example's fields, all of them, at the same places.
SEED_000='{"products":[{"productMasterId":"prod_123","productName":"Product Name","globalSku":"SKU-123","categoryName":"Category",
"channels":[{"channelId":"DTC","channelName":"Direct to Consumer","atp":150,"onHand":200,"reserved":50,"available":150,
"severity":"OK","threshold":10,"policyId":"policy_123"}],"totalOnHand":200,"totalReserved":50,"minAtp":150,"maxAtp":150,
"hasCritical":false}],"channels":[{"channelId":"DTC","channelName":"Direct to Consumer","channelType":"E_COMMERCE",
"policyId":"policy_123","lowAtpThreshold":10}],"location":{"id":"loc_123","name":"Main Warehouse"},
"pagination":{"page":1,"pageSize":50,"total":150,"totalPages":3}}'
key_paths='[paths | map(if type == "number" then "[]" else . end) | join(".")] | unique'
missing=$(jq -c --argjson seed "$SEED_000" "($key_paths) as \$got | \$seed | $key_paths - \$got" <<<"$M")
check_eq "$missing" "[]" "the matrix has every field of the seed-000 example (products[], channels[], location, pagination)"
check_json '[.products[].categoryName] | map(tostring) | join(",")' "Pharma,Wound care,null,null" \
	"categoryName is the product's category, null without one"
check_true '[.products[] | .hasCritical | type == "boolean"] | all' "hasCritical is a boolean"

# A location policy overrides the channel policy: RTL is 80 % at SIDE.
api GET "/inventory/channel-location?locationId=$SIDE"
check_status 200 "GET the matrix of SIDE is 200"
M=$BODY
check_json '[.products[].productMasterId] | join(",")' "$PA,$PB" "SIDE's two products"
check_cells <<EOF
$PA $DTC 18 OK 12 $POL_DTC 40 3 37 SIDE A/DTC: 20 - 2 = 18, OK
$PA $RTL 29 OK 7 $POL_RTL 40 3 37 SIDE A/RTL: the channel policy: floor(32) - 3 = 29, threshold 7
$PA $WHS 30 LOW 30 $POL_WHS_SIDE 40 3 37 SIDE A/WHS: its SIDE policy: 40 - 10 = 30 <= 30: LOW
$PA $MKT 37 OK 10 none 40 3 37 SIDE A/MKT: available 37
$PA - 40 3 18 37 false SIDE A: min 18, max 37
$PB $DTC 2 LOW 12 $POL_DTC 9 0 9 SIDE B/DTC: floor(4.5) - 2 = 2, LOW
$PB $RTL 7 LOW 7 $POL_RTL 9 0 9 SIDE B/RTL: floor(7.2) = 7 <= 7: LOW
$PB $WHS 0 CRITICAL 30 $POL_WHS_SIDE 9 0 9 SIDE B/WHS: 9 - 10 < 0 gives 0, CRITICAL (critical 5)
$PB $MKT 9 LOW 10 none 9 0 9 SIDE B/MKT: 9 LOW
$PB - 9 0 0 9 true SIDE B: min 0, max 9, hasCritical
EOF
check_json '[.channels[] | "\(.channelCode):\(.policyId // "none"):\(.allocationPercent):\(.safetyStock):\(.lowAtpThreshold):\(.criticalAtpThreshold)"] | join(" ")' \
	"DTC:$POL_DTC:50:2:12:0 RTL:$POL_RTL:80:0:7:1 WHS:$POL_WHS_SIDE:100:10:30:5 MKT:none:100:0:10:0" \
	"SIDE's channels[]: RTL's channel policy applies here, WHS its SIDE policy"

# ---------------------------------------------------------------- matrix parameters

api GET /inventory/channel-location
exact_error 400 '{"error":"locationId is required"}' "the matrix without locationId"
api GET "/inventory/channel-location?locationId=loc_999999999"
exact_error 404 '{"error":"Location not found or not accessible"}' "an unknown location"
api GET "/inventory/channel-location?locationId=$O_LOC"
exact_error 404 '{"error":"Location not found or not accessible"}' "another workspace's location"

api GET "/inventory/channel-location?locationId=$MAIN&search=serum"
check_json '[.products[].productMasterId, .pagination.total] | map(tostring) | join(",")' "$PA,1" "search by name finds A"
api GET "/inventory/channel-location?locationId=$MAIN&search=ATP-C"
check_json '[.products[].productMasterId, .pagination.total] | map(tostring) | join(",")' "$PC,1" "search by SKU finds C"
api GET "/inventory/channel-location?locationId=$MAIN&search=nothing-like-it"
check_json '[(.products | length), .pagination.total, (.channels | length)] | map(tostring) | join(",")' "0,0,4" \
	"a search that matches nothing: no products, still the channels"

api GET "/inventory/channel-location?locationId=$MAIN&channels=$RTL,$DTC"
check_status 200 "channels= by ids is 200"
check_json '[.channels[].channelId] | join(",")' "$DTC,$RTL" "channels= by ids shows those two, by id"
check_json '[.products[] | [.channels[].channelId] | join(",")] | unique | join(";")' "$DTC,$RTL" "every product has just their cells"
check_json '.products[] | select(.productMasterId == "'"$PA"'") | [.minAtp, .maxAtp, .hasCritical] | map(tostring) | join(" ")' \
	"34 67 false" "minAtp and maxAtp are over the cells shown"
check_json '.products[] | select(.productMasterId == "'"$PC"'") | [.minAtp, .maxAtp, .hasCritical] | map(tostring) | join(" ")' \
	"1 2 true" "C over DTC and RTL: min 1, max 2, critical"
api GET "/inventory/channel-location?locationId=$MAIN&channels=WHS,MKT"
check_json '[.channels[].channelCode] | join(",")' "WHS,MKT" "channels= by codes"
check_json '.products[] | select(.productMasterId == "'"$PA"'") | [.minAtp, .maxAtp] | map(tostring) | join(" ")' \
	"67 67" "A over WHS and MKT: min 67, max 67"
api GET "/inventory/channel-location?locationId=$MAIN&channels=%20DTC%20,%20$MKT%20"
check_status 200 "channels= with spaces around the names is 200"
check_json '[.channels[].channelCode] | join(",")' "DTC,MKT" "spaces are tolerated, ids and codes mixed"
api GET "/inventory/channel-location?locationId=$MAIN&channels=DTC,NOPE"
check_status 400 "an unknown channel in channels= is 400"
check_json '.details[0].field' channels "the 400 names channels"
check_true '.details[0].message | test("NOPE")' "and the unknown channel"
api GET "/inventory/channel-location?locationId=$MAIN&channels=$O_CHN"
check_status 400 "another workspace's channel in channels= is 400"

# ---------------------------------------------------------------- drilldown

# drill LOC PROD CHN
drill() { api GET "/inventory/channel-location/drilldown?locationId=$1&productMasterId=$2&channelId=$3"; }
drill "$MAIN" "$PA" "$DTC"
check_status 200 "the drilldown of MAIN/A/DTC is 200"
check_json '[.location.id, .location.name, .product.productMasterId, .product.productName, .product.globalSku] | join("|")' \
	"$MAIN|Main Warehouse|$PA|Alpha serum|ATP-A" "it names the location and the product"
check_json '[.channel.channelId, .channel.channelName, .channel.channelType, .channel.channelCode] | join("|")' \
	"$DTC|Direct to Consumer|E_COMMERCE|DTC" "and the channel"
check_json '.policy | [.policyId, .scope, .allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join(" ")' \
	"$POL_DTC CHANNEL 50 2 12 0" "the policy: DTC's channel policy, its null thresholds the channel's 12 and 0"
check_json '.terms | [.onHand, .onHold, .picked, .recalled, .expired, .unusableLotStock, .sellable, .reserved,
	.available, .allocated, .safetyStock, .reservedByChannel, .quota, .atp, .severity, .threshold] | map(tostring) | join(" ")' \
	"150 10 5 0 0 50 85 18 67 42 2 6 34 34 OK 12" \
	"terms: 150 - 10 - 5 - 50 unusable = 85 sellable, 67 available, floor(42.5) = 42, quota 42 - 2 - 6 = 34, atp 34"
check_true '.formula | test("floor\\(sellable x allocationPercent / 100\\)")' "it states the formula"
check_json '[.lines[] | [.id, .lotNumber, .lotStatus, .expiryDate, (.binName // "none"), .usable] | map(tostring) | join(" ")] | join(" / ")' \
	"$I_OLD LA-OLD ACTIVE 2020-01-31 none false / $I_HOLD LA-HOLD ON_HOLD 2098-06-30 none false / $I_GOOD LA-GOOD ACTIVE 2099-12-31 A-1 true" \
	"lines, first expiry first: the expired and the held lot unusable, LA-GOOD in bin A-1 usable"
check_json '[.lines[] | [.onHand, .onHold, .picked, .recalled, .expired, .sellable, .reserved, .available, .reservedByChannel] | map(tostring) | join(" ")] | join(" / ")' \
	"30 0 0 0 0 0 0 0 0 / 20 0 0 0 0 0 0 0 0 / 100 10 5 0 0 85 18 67 6" \
	"each line's buckets: the unusable lots sell nothing; LA-GOOD 85 sellable, 18 reserved (6 of DTC)"
check_json '.lines[2] | [.lotId, .binId] | join("|")' "$LOT_GOOD|$BIN" "a line names its lot and bin ids"
check_json '.lines[0] | [.binId, .binName] | map(tostring) | join("|")' "null|null" "a line without bin: binId and binName null"

drill "$MAIN" "$PA" RTL
check_json '.policy | [.policyId, .scope, .allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join(" ")' \
	"$POL_RTL_MAIN LOCATION 100 5 5 2" "channelId by code: RTL at MAIN has its LOCATION policy"
check_json '.terms | [.allocated, .safetyStock, .reservedByChannel, .quota, .available, .atp, .severity, .threshold] | map(tostring) | join(" ")' \
	"85 5 4 76 67 67 OK 5" "RTL terms: 85 - 5 - 4 = 76, min(67, 76) = 67"
check_json '.lines[2].reservedByChannel' 4 "LA-GOOD carries RTL's 4"
drill "$MAIN" "$PA" "$MKT"
check_json '.policy | [has("policyId"), .scope, .allocationPercent, .safetyStock, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join(" ")' \
	"false DEFAULT 100 0 10 0" "MKT has the DEFAULT policy: no policyId, 100 %, no safety stock, the channel's thresholds"
check_json '.terms | [.allocated, .reservedByChannel, .quota, .atp] | map(tostring) | join(" ")' "85 0 85 67" "MKT terms"
drill "$MAIN" "$PB" "$DTC"
check_json '.terms | [.sellable, .reserved, .available, .allocated, .safetyStock, .reservedByChannel, .quota, .atp, .severity] | map(tostring) | join(" ")' \
	"30 12 18 15 2 12 1 1 LOW" "B/DTC terms: 15 - 2 - 12 = 1, LOW"
check_json '[.lines[] | [.lotId, .lotNumber, .expiryDate, .usable, .reservedByChannel] | map(tostring) | join(" ")] | join(" / ")' \
	"null null null true 12" "a line without lot: lot fields null, usable"
drill "$SIDE" "$PB" "$WHS"
check_json '[.policy.scope, .policy.policyId, (.terms | .allocated, .safetyStock, .quota, .atp, .severity, .threshold)] | map(tostring) | join(" ")' \
	"LOCATION $POL_WHS_SIDE 9 10 -1 0 CRITICAL 30" "a negative quota (-1) gives atp 0"
drill "$SIDE" "$PD" "$DTC"
check_status 200 "the drilldown of a product without stock at the location is 200"
check_json '.terms | [.onHand, .onHold, .picked, .recalled, .expired, .unusableLotStock, .sellable, .reserved,
	.available, .allocated, .safetyStock, .reservedByChannel, .quota, .atp, .severity, .threshold] | map(tostring) | join(" ")' \
	"0 0 0 0 0 0 0 0 0 0 2 0 -2 0 CRITICAL 12" "it answers zeros (quota -safetyStock) and CRITICAL"
check_json '[(.lines | length), .policy.scope] | map(tostring) | join(" ")' "0 CHANNEL" "no lines; the policy still applies"

api GET "/inventory/channel-location/drilldown?productMasterId=$PA&channelId=DTC"
exact_error 400 '{"error":"locationId is required"}' "the drilldown without locationId"
api GET "/inventory/channel-location/drilldown?locationId=$MAIN&channelId=DTC"
check_status 400 "the drilldown without productMasterId is 400"
check_json .error "productMasterId is required" "it says productMasterId is required"
api GET "/inventory/channel-location/drilldown?locationId=$MAIN&productMasterId=$PA"
check_status 400 "the drilldown without channelId is 400"
check_json .error "channelId is required" "it says channelId is required"
drill "$MAIN" "$PA" NOPE
exact_error 404 '{"error":"Channel not found"}' "the drilldown of an unknown channel code"
drill "$MAIN" "$PA" "$O_CHN"
check_status 404 "the drilldown of another workspace's channel is 404"
drill "$O_LOC" "$PA" DTC
exact_error 404 '{"error":"Location not found or not accessible"}' "the drilldown at another workspace's location"
drill "$MAIN" "$O_P" DTC
check_status 404 "the drilldown of another workspace's product is 404"

# ---------------------------------------------------------------- summary

# srow CHN: the summary's figures of a channel.
srow() {
	jq -r --arg c "$1" '.channels[] | select(.channelId == $c) | [.totalOnHand, .totalReserved, .totalAvailable,
		.totalAtp, .reservedByChannel, .productCount, .locationCount, .okCount, .lowCount, .criticalCount] |
		map(tostring) | join(" ")' <<<"$BODY"
}
api GET /inventory/channel/summary
check_status 200 "GET the channel summary is 200"
check_json '[.channels[].channelId] | join(",")' "$DTC,$RTL,$WHS,$MKT" "every channel, by id"
check_json .location null "location is null without locationId"
check_json '[.channels[] | .channelName, .channelType, .channelCode] | join(",")' \
	"Direct to Consumer,E_COMMERCE,DTC,Retail,RETAIL,RTL,Wholesale,WHOLESALE,WHS,Marketplace,MARKETPLACE,MKT" \
	"each names its channel"
# RSV holds E's 50 (no reservation yet, DEFAULT for WHS and MKT, 50 % - 2 for
# DTC, 80 % for RTL): counted from here on.
check_eq "$(srow "$DTC")" "289 33 191 79 18 5 3 3 3 1" \
	"DTC: on hand 239 + 50, reserved 33, available 141 + 50, atp 56 + 23, byChannel 18; OK 2+1, LOW 3, CRITICAL 1"
check_eq "$(srow "$RTL")" "289 33 191 163 7 5 3 4 1 2" "RTL: atp 123 + 40, byChannel 7; OK 3+1, LOW 1, CRITICAL 2"
check_eq "$(srow "$WHS")" "289 33 191 175 0 5 3 2 3 2" "WHS: atp 125 + 50; OK 1+1, LOW 3, CRITICAL 2"
check_eq "$(srow "$MKT")" "289 33 191 191 0 5 3 4 3 0" "MKT: atp 141 + 50; OK 3+1, LOW 3"

api GET "/inventory/channel/summary?locationId=$SIDE"
check_status 200 "the summary of SIDE is 200"
check_json '[.location.id, .location.name] | join("|")' "$SIDE|Side Store" "location is SIDE"
check_eq "$(srow "$DTC")" "49 3 46 20 0 2 1 1 1 0" "SIDE DTC: 49 on hand, 3 reserved, 46 available, atp 18 + 2"
check_eq "$(srow "$RTL")" "49 3 46 36 3 2 1 1 1 0" "SIDE RTL: atp 29 + 7, byChannel 3"
check_eq "$(srow "$WHS")" "49 3 46 30 0 2 1 0 1 1" "SIDE WHS: atp 30 + 0, LOW 1, CRITICAL 1"
check_eq "$(srow "$MKT")" "49 3 46 46 0 2 1 1 1 0" "SIDE MKT: atp 37 + 9"
api GET "/inventory/channel/summary?locationId=$MAIN"
check_eq "$(srow "$DTC")" "190 30 95 36 18 4 1 1 2 1" "MAIN DTC: 190, 30, 95, atp 34 + 1 + 1 + 0"
check_eq "$(srow "$RTL")" "190 30 95 87 4 4 1 2 0 2" "MAIN RTL: atp 67 + 18 + 2 + 0"
api GET "/inventory/channel/summary?locationId=$EMPTY"
check_status 200 "the summary of a location without stock is 200"
check_json '[.channels[] | [.totalOnHand, .totalReserved, .totalAvailable, .totalAtp, .reservedByChannel, .productCount,
	.locationCount, .okCount, .lowCount, .criticalCount] | add] | map(tostring) | join(",")' "0,0,0,0" \
	"every channel is listed with zeros"
api GET "/inventory/channel/summary?channels=RTL,$MKT"
check_json '[.channels[].channelCode] | join(",")' "RTL,MKT" "channels= narrows the summary"
api GET "/inventory/channel/summary?locationId=$O_LOC"
exact_error 404 '{"error":"Location not found or not accessible"}' "the summary of another workspace's location"
api GET "/inventory/channel/summary?channels=NOPE"
check_status 400 "the summary with an unknown channel is 400"

# ---------------------------------------------------------------- reservations for channels

# rsv_cell CHN: "atp reserved available" of E at RSV.
rsv_cell() {
	api GET "/inventory/channel-location?locationId=$RSV"
	jq -r --arg c "$1" '.products[0].channels[] | select(.channelId == $c) | [.atp, .reserved, .available] |
		map(tostring) | join(" ")' <<<"$BODY"
}
# share CHN: reservedByChannel of E at RSV, from the drilldown.
share() {
	drill "$RSV" "$PE" "$1"
	jq -r '.terms.reservedByChannel' <<<"$BODY"
}
check_eq "$(rsv_cell "$DTC") / $(rsv_cell "$RTL")" "23 0 50 / 40 0 50" "RSV before: DTC 25 - 2 = 23, RTL 40"

avail "$I_E" '{"action": "RESERVE", "quantity": 10, "channelId": "DTC"}'
check_status 200 "RESERVE 10 for DTC (by code) is 200"
check_json '[.success, .action, .quantity, .channelId, .item.qtyReserved] | map(tostring) | join(" ")' \
	"true RESERVE 10 $DTC 10" "the answer names the channel by id"
avail "$I_E" "{\"action\": \"RESERVE\", \"quantity\": 5, \"channelId\": \"$RTL\"}"
check_status 200 "RESERVE 5 for RTL (by id) is 200"
avail "$I_E" '{"action": "RESERVE", "quantity": 4}'
check_status 200 "RESERVE 4 for no channel is 200"
check_json 'has("channelId")' false "the answer has no channelId then"
check_eq "$(share "$DTC") $(share "$RTL") $(share "$MKT")" "10 5 0" "the shares: DTC 10, RTL 5, MKT 0"
check_eq "$(rsv_cell "$DTC") / $(rsv_cell "$RTL") / $(rsv_cell "$MKT")" "13 19 31 / 31 19 31 / 31 19 31" \
	"DTC 25 - 2 - 10 = 13; RTL 40 - 5 = 35 capped at 31; MKT 31"

avail "$I_E" '{"action": "RELEASE", "quantity": 11, "channelId": "DTC"}'
check_status 409 "RELEASE 11 for DTC (10 reserved for it) is 409"
check_json '[.error, .message] | join("|")' "Conflict|only 10 reserved for the channel" "only 10 reserved for the channel"
avail "$I_E" '{"action": "RELEASE", "quantity": 1, "channelId": "WHS"}'
check_status 409 "RELEASE for a channel without a reservation is 409"
check_json .message "only 0 reserved for the channel" "only 0 reserved for the channel"
avail "$I_E" '{"action": "RELEASE", "quantity": 5}'
check_status 409 "RELEASE 5 for no channel (4 such) is 409"
check_json .message "only 4 reserved for no channel" "only 4 reserved for no channel"
api GET "/inventory/availability/$I_E"
check_json .qtyReserved 19 "the refused releases changed nothing"

avail "$I_E" '{"action": "RELEASE", "quantity": 3, "channelId": "DTC"}'
check_status 200 "RELEASE 3 for DTC is 200"
check_json .item.qtyReserved 16 "reserved 19 - 3 = 16"
check_eq "$(share "$DTC")" 7 "DTC's share is 7"
check_eq "$(rsv_cell "$DTC")" "16 16 34" "DTC 25 - 2 - 7 = 16"

avail "$I_E" '{"action": "PICK", "quantity": 9, "channelId": "DTC"}'
check_status 200 "PICK 9 for DTC is 200"
check_json '[.item.qtyReserved, .item.qtyPicked, .item.qtyAvailable] | map(tostring) | join(" ")' "9 9 32" \
	"the pick took DTC's 7 first and 2 more from available: reserved 9, picked 9, available 32"
check_eq "$(share "$DTC") $(share "$RTL")" "0 5" "DTC's share is used up, RTL's untouched"
check_eq "$(rsv_cell "$DTC") / $(rsv_cell "$RTL") / $(rsv_cell "$MKT")" "18 9 32 / 27 9 32 / 32 9 32" \
	"sellable 41: DTC floor(20.5) - 2 = 18, RTL floor(32.8) - 5 = 27, MKT 32"
avail "$I_E" '{"action": "PICK", "quantity": 2}'
check_status 200 "PICK 2 without a channel is 200"
check_json '[.item.qtyReserved, .item.qtyPicked] | map(tostring) | join(" ")' "7 11" \
	"it took 2 of the 4 reserved for no channel"
check_eq "$(share "$RTL")" 5 "RTL's share is untouched"
avail "$I_E" '{"action": "RELEASE", "quantity": 3}'
check_json .message "only 2 reserved for no channel" "2 are left for no channel"

avail "$I_E" '{"action": "UNPICK", "quantity": 1, "channelId": "DTC"}'
check_status 400 "channelId with UNPICK is 400"
check_json .details[0].field channelId "it names channelId"
avail "$I_E" '{"action": "SHIP", "quantity": 1, "channelId": "DTC"}'
check_status 400 "channelId with SHIP is 400"
avail "$I_E" '{"action": "RESERVE", "quantity": 1, "channelId": "NOPE"}'
exact_error 404 '{"error":"Channel not found"}' "RESERVE for an unknown channel code"
avail "$I_E" '{"action": "RESERVE", "quantity": 1, "channelId": "chn_999999999"}'
check_status 404 "RESERVE for an unknown channel id is 404"
avail "$I_E" "{\"action\": \"RESERVE\", \"quantity\": 1, \"channelId\": \"$O_CHN\"}"
check_status 404 "RESERVE for another workspace's channel is 404"
avail "$O_ITEM" '{"action": "RESERVE", "quantity": 1, "channelId": "DTC"}'
check_status 404 "RESERVE on another workspace's stock line is 404"
api POST "/inventory/availability/$O_ITEM" '{"action": "RESERVE", "quantity": 1, "channelId": "DTC"}' "$TOKEN2"
exact_error 404 '{"error":"Channel not found"}' "the other workspace cannot reserve for this one's DTC on its own line"
api POST "/inventory/availability/$O_ITEM" "{\"action\": \"RESERVE\", \"quantity\": 1, \"channelId\": \"$DTC\"}" "$TOKEN2"
check_status 404 "nor by DTC's id"
api GET "/inventory/availability/$I_E"
check_json '[.qtyReserved, .qtyPicked] | map(tostring) | join(" ")' "7 11" "the refused requests changed nothing"

# A recall takes the channels' shares back with the reservations: after the
# recall is withdrawn, a new reservation for no channel is not RTL's.
api PATCH "/lots/$LOT_E" '{"status": "RECALLED"}'
check_status 200 "recalling LE-1 is 200"
check_eq "$(share "$RTL")" 0 "after the recall RTL's reservedByChannel is 0"
api PATCH "/lots/$LOT_E" '{"status": "ACTIVE"}'
avail "$I_E" '{"action": "RESERVE", "quantity": 3}'
check_status 200 "after the recall is withdrawn, RESERVE 3 for no channel"
check_eq "$(share "$RTL")" 0 "RTL's reservedByChannel stays 0"
avail "$I_E" '{"action": "RELEASE", "quantity": 3}'
check_status 200 "and the 3 can be released without a channel"
check_eq "$(sql "SELECT COUNT(*) FROM channel_reservations WHERE stock_line_id = ${I_E#item_}")" 0 \
	"no channel reservation of the line is left"

# A reservation for a channel on a lot that goes on hold takes nothing from
# the sellable stock, so nothing from the channel's quota either. E gets lot
# LE-2 with 30 at RSV; DTC reserves 10 on LE-1 (50 on hand, 11 picked):
# sellable 39 + 30 = 69, DTC floor(34.5) - 2 - 10 = 22. LE-1 goes ON_HOLD:
# sellable 30, available 30, DTC floor(15) - 2 = 13 (not 13 - 10).
printf 'globalSku,lotNumber,expiryDate,status\nATP-E,LE-2,2099-06-30,ACTIVE\n' >"$WORK/le2_lot.csv"
printf 'globalSku,locationCode,lotNumber,binName,quantityOnHand\nATP-E,RSV,LE-2,,30\n' >"$WORK/le2_stock.csv"
import_csv lots "$WORK/le2_lot.csv" "$slug" "import lot LE-2"
import_csv stock "$WORK/le2_stock.csv" "$slug" "import 30 of LE-2 at RSV"
avail "$I_E" '{"action": "RESERVE", "quantity": 10, "channelId": "DTC"}'
check_status 200 "RESERVE 10 of LE-1 for DTC"
check_eq "$(rsv_cell "$DTC")" "22 10 59" "DTC floor(69 / 2) - 2 - 10 = 22"
api PATCH "/lots/$LOT_E" '{"status": "ON_HOLD"}'
check_status 200 "LE-1 goes ON_HOLD"
check_eq "$(rsv_cell "$DTC")" "13 10 30" \
	"DTC's reservation on the held lot no longer counts: floor(30 / 2) - 2 = 13"
check_eq "$(share "$DTC")" 0 "the drilldown's reservedByChannel counts usable lines only"

# ---------------------------------------------------------------- pages and the seed-003 export

N_EXP=120
{
	echo "globalSku,name"
	for i in $(seq 1 "$N_EXP"); do printf 'EXP-%03d,Export product %d\n' "$i" "$i"; done
} >"$WORK/exp_products.csv"
printf 'code,name\nEXP,Export Warehouse\n' >"$WORK/exp_locations.csv"
{
	echo "globalSku,locationCode,lotNumber,binName,quantityOnHand"
	for i in $(seq 1 "$N_EXP"); do printf 'EXP-%03d,EXP,,,%d\n' "$i" "$i"; done
} >"$WORK/exp_stock.csv"
import_csv products "$WORK/exp_products.csv" "$slug" "import $N_EXP more products"
import_csv locations "$WORK/exp_locations.csv" "$slug" "import the EXP location"
import_csv stock "$WORK/exp_stock.csv" "$slug" "import their stock at EXP"
EXP=$(lookup_id "/locations?code=EXP")
api GET "/products?limit=100&search=EXP-"
exp_ids=$(jq -r '[.items[].id]' <<<"$BODY")
api GET "/products?limit=100&page=2&search=EXP-"
exp_ids=$(jq -c --argjson a "$exp_ids" '$a + [.items[].id] | sort_by(ltrimstr("prod_") | tonumber)' <<<"$BODY")
check_eq "$(jq length <<<"$exp_ids")" "$N_EXP" "the $N_EXP products have ids"

api GET "/inventory/channel-location?locationId=$EXP"
check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages, (.products | length)] | map(tostring) | join(" ")' \
	"1 50 $N_EXP 3 50" "the default page is 50 products of 120, 3 pages"
check_json '[.products[].productMasterId] | tojson' "$(jq -c '.[:50]' <<<"$exp_ids")" "page 1 is the first 50 by id"
api GET "/inventory/channel-location?locationId=$EXP&limit=500"
check_json '[.pagination.pageSize, .pagination.totalPages, (.products | length)] | map(tostring) | join(" ")' \
	"200 1 $N_EXP" "limit=500 is clamped to pageSize 200"
api GET "/inventory/channel-location?locationId=$EXP&limit=50&page=2"
check_json '[.pagination.page, (.products | length)] | map(tostring) | join(" ")' "2 50" "page 2"
check_json '[.products[].productMasterId] | tojson' "$(jq -c '.[50:100]' <<<"$exp_ids")" "page 2 is products 51 to 100 by id"
api GET "/inventory/channel-location?locationId=$EXP&limit=50&page=3"
check_json '[.products[].productMasterId] | tojson' "$(jq -c '.[100:]' <<<"$exp_ids")" "page 3 is the last 20"
api GET "/inventory/channel-location?locationId=$EXP&limit=50&page=4"
check_json '[(.products | length), .pagination.total] | map(tostring) | join(" ")' "0 $N_EXP" "page 4 is empty"
api GET "/inventory/channel-location?locationId=$EXP&limit=0"
check_status 400 "limit=0 is 400"
api GET "/inventory/channel-location?locationId=$EXP&page=0"
check_status 400 "page=0 is 400"
api GET "/inventory/channel-location?locationId=$EXP&search=EXP-11"
check_json '[.products[].globalSku] | join(",")' "EXP-110,EXP-111,EXP-112,EXP-113,EXP-114,EXP-115,EXP-116,EXP-117,EXP-118,EXP-119" \
	"search by SKU substring over pages"

have_requests() { python3 -c 'import requests' >/dev/null 2>&1; }
if ! have_requests; then
	apt-get install -y python3-requests >/dev/null 2>&1 || true
fi
if have_requests; then
	py_rc=0
	py_out=$(cd "$WORK" && API_KEY="$TOKEN" BASE_URL="$INVENTORY_URL" LOCATION_ID="$EXP" \
		OUTPUT_FILE="$WORK/atp_export.json" python3 "$FIXTURES/export_atp.py" 2>&1) || py_rc=$?
	check_eq "$py_rc" 0 "the seed-003 ATP export exits 0"
	check_true "$(grep -qx "Fetched $N_EXP products" <<<"$py_out" && echo true || echo false)" \
		"it fetched $N_EXP products (two pages of 100)"
	BODY=$(cat "$WORK/atp_export.json" 2>/dev/null || echo null)
	check_json '[.items[].productMasterId] | sort_by(ltrimstr("prod_") | tonumber) | tojson' "$exp_ids" \
		"it fetched every product of the location exactly once"
	check_json '[.items[] | (.channels | length) == 4] | all' true "each with its 4 channel cells"
	check_json '[.items[] | .channels[] | .atp | type == "number"] | all' true "every cell carries its atp"
	check_json "[.items[] | select(.globalSku == \"EXP-007\") | .channels[] | .atp] | map(tostring) | join(\" \")" "1 5 7 7" \
		"EXP-007 (7 on hand): DTC floor(3.5) - 2 = 1, RTL floor(5.6) = 5, WHS and MKT 7"
	[ "$CHECK_OK" = 1 ] || diag "python output:" "$py_out"
else
	_TAP_COUNT=$((_TAP_COUNT + 1))
	printf 'ok %d - # SKIP requests not installed\n' "$_TAP_COUNT"
fi

# ---------------------------------------------------------------- the matrix as an export

# 100 more products at EXP: 220, so the export reads two chunks of products.
{
	echo "globalSku,name"
	for i in $(seq 121 220); do printf 'EXP-%03d,Export product %d\n' "$i" "$i"; done
} >"$WORK/exp2_products.csv"
{
	echo "globalSku,locationCode,lotNumber,binName,quantityOnHand"
	for i in $(seq 121 220); do printf 'EXP-%03d,EXP,,,%d\n' "$i" "$i"; done
} >"$WORK/exp2_stock.csv"
import_csv products "$WORK/exp2_products.csv" "$slug" "import 100 more products"
import_csv stock "$WORK/exp2_stock.csv" "$slug" "import their stock at EXP: 220 products there"

# cl_export FILE QUERY [TOKEN]: GET /api/inventory/channel-location/export,
# the bytes kept in FILE.
cl_export() {
	api_raw GET "/inventory/channel-location/export${2:+?$2}" -H "Authorization: Bearer ${3:-$TOKEN}"
	cp "$_API_TMP/responses/$BASHPID.$_API_RECORD_N" "$1"
}
# The matrix's cells flattened: one object per product and channel, with
# the export's members (policyId null where absent).
matrix_rows() {
	local page
	: >"$WORK/mpages"
	for page in 1 2; do
		api GET "/inventory/channel-location?locationId=$EXP&limit=200&page=$page${1:-}"
		printf '%s\n' "$BODY" >>"$WORK/mpages"
	done
	jq -s -c '[.[].products[] | . as $p | .channels[] | {productMasterId: $p.productMasterId,
		productName: $p.productName, globalSku: $p.globalSku, categoryName: $p.categoryName,
		channelId, channelName, atp, onHand, reserved, available, severity, threshold,
		policyId: (.policyId // null)}]' "$WORK/mpages"
}
cl_export "$WORK/cl.ndjson" "locationId=$EXP&format=ndjson"
check_status 200 "the NDJSON export of EXP is 200"
check_eq "$(header_value Content-Type)" "application/x-ndjson" "it is NDJSON"
matrix_rows >"$WORK/cl_matrix.json"
check_eq "$(jq -s -r --slurpfile m "$WORK/cl_matrix.json" \
	'if . == $m[0] then "same \(length)" else [(. - $m[0])[0], ($m[0] - .)[0]] end' "$WORK/cl.ndjson")" \
	"same 880" "the export is the matrix's 220 products x 4 channels, cell for cell, by product then channel"
cl_export "$WORK/cl.csv" "locationId=$EXP"
check_status 200 "the CSV export (the default format) is 200"
check_eq "$(header_value Content-Disposition)" 'attachment; filename="channel-location.csv"' "as channel-location.csv"
check_eq "$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
r = [x for x in rows if x["globalSku"] == "EXP-007"]
print(len(rows), ",".join(rows[0].keys()), " ".join(x["atp"] + ":" + x["policyId"] for x in r))
' "$WORK/cl.csv")" \
	"880 productMasterId,productName,globalSku,categoryName,channelId,channelName,atp,onHand,reserved,available,severity,threshold,policyId 1:$POL_DTC 5:$POL_RTL 7: 7:" \
	"880 CSV rows with the matrix cell's columns; EXP-007's atp per channel, an empty policyId for the default"
cl_export "$WORK/cl_f.ndjson" "locationId=$EXP&format=ndjson&channels=DTC,$RTL&search=EXP-21"
matrix_rows "&channels=DTC,$RTL&search=EXP-21" >"$WORK/cl_fmatrix.json"
check_eq "$(jq -s -r --slurpfile m "$WORK/cl_fmatrix.json" \
	'if . == $m[0] then "same \(length)" else [(. - $m[0])[0], ($m[0] - .)[0]] end' "$WORK/cl_f.ndjson")" \
	"same 20" "channels and search apply as in the matrix: EXP-210 to EXP-219 at DTC and RTL"
api GET "/inventory/channel-location/export"
exact_error 400 '{"error":"locationId is required"}' "the export without locationId"
api GET "/inventory/channel-location/export?locationId=$EXP&format=xml"
check_status 400 "format=xml is 400"
api GET "/inventory/channel-location/export?locationId=$EXP&channels=NOPE"
check_status 400 "an unknown channel is 400, before anything is streamed"
api GET "/inventory/channel-location/export?locationId=$EXP" "" "$TOKEN2"
exact_error 404 '{"error":"Location not found or not accessible"}' "another workspace's export of EXP"

# ---------------------------------------------------------------- the policies change the matrix

# Without its MAIN policy RTL falls back to its channel policy there.
api DELETE "/atp-policies/$POL_RTL_MAIN"
check_status 204 "DELETE RTL's MAIN policy is 204"
api GET "/inventory/channel-location?locationId=$MAIN&channels=RTL"
M=$BODY
check_eq "$(cell "$PA" "$RTL")" "64 OK 7 $POL_RTL 150 18 67" "A/RTL at MAIN now: floor(68) - 4 = 64 under the 80 % policy"
check_eq "$(cell "$PC" "$RTL")" "5 LOW 7 $POL_RTL 7 0 7" "C/RTL: floor(5.6) = 5 LOW (critical 1)"
api PATCH "/atp-policies/$POL_DTC" '{"allocationPercent": 100, "safetyStock": 0, "lowAtpThreshold": 1}'
api GET "/inventory/channel-location?locationId=$MAIN&channels=DTC"
M=$BODY
check_eq "$(cell "$PB" "$DTC")" "18 OK 1 $POL_DTC 30 12 18" \
	"B/DTC after PATCH to 100 % and no safety stock: 30 - 12 = 18, simply available; threshold 1"
check_eq "$(cell "$PA" "$DTC")" "67 OK 1 $POL_DTC 150 18 67" "A/DTC: 85 - 6 = 79, capped at available 67"

# ---------------------------------------------------------------- permissions and isolation

NOINV=$(new_key "$slug" channels.read,channels.write,products.read,locations.read)
for path in "channel-location?locationId=$MAIN" "channel-location/export?locationId=$MAIN" "channel-location/drilldown?locationId=$MAIN&productMasterId=$PA&channelId=DTC" \
	"channel/summary"; do
	api GET "/inventory/$path" "" "$NOINV"
	check_status 403 "GET /inventory/${path%%\?*} without inventory.read is 403"
done
READ=$(new_key "$slug" inventory.read)
api GET "/inventory/channel-location?locationId=$MAIN" "" "$READ"
check_status 200 "inventory.read alone reads the matrix"
api POST "/inventory/availability/$I_E" '{"action": "RESERVE", "quantity": 1, "channelId": "DTC"}' "$READ"
check_status 403 "reserving for a channel needs inventory.write"

api GET /inventory/channel/summary "" "$TOKEN2"
check_json '[.channels[] | "\(.channelId):\(.totalOnHand):\(.totalAtp)"] | join(",")' "$O_CHN:5:0" \
	"the other workspace's summary has only its channel (10 % of 5 = 0)"
api GET "/inventory/channel-location?locationId=$MAIN" "" "$TOKEN2"
exact_error 404 '{"error":"Location not found or not accessible"}' "the other workspace cannot see MAIN's matrix"
api GET "/inventory/channel-location?locationId=$O_LOC" "" "$TOKEN2"
check_json '[(.products | length), (.channels | map(.channelId) | join(","))] | map(tostring) | join(" ")' "1 $O_CHN" \
	"its own matrix has its product and its channel only"
api GET "/channels/$DTC/atp-policies" "" "$TOKEN2"
check_status 404 "nor this workspace's channel's policies"
api GET "/atp-policies/$POL_DTC" "" "$TOKEN2"
check_status 404 "nor one of its policies"

done_testing
