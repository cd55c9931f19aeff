#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inventory analytics (issue 13): GET /api/inventory/analytics checked
# figure by figure against hand-computed values, on stock and ledger
# entries built through the API and then moved back in time in the
# database (created_at), so that the time-weighted average inventory is
# known exactly. Also: the scopes (a location, the workspace, a category),
# the expiry window, the default period and its format, errors,
# permissions, another workspace, and the field set of the seed's example.
#
# Costs: P1 2.50 (Fluids), P2 10 (Fluids), P3 4 (Tools, lots), P4 1.25
# (no category), P5 3 (Tools), P6 5 (Fluids, store only).
# T = today (UTC); the period asked for is T-20 .. T-11 (10 days, from
# F = T-20 00:00 to F + 10 days). What happened, at WH unless said:
#   T-25  receipts: P1 100 (bin WA), P2 50, P3 lots SOON 8 (expires T+10),
#         LATE 12 (T+200), PAST 5 (T-3), EDGE 1 (T+90), OUT 1 (T+91), ZERO 2
#         (T+5, shipped at once); P4 20; P5 10; at ST: P2 7, P6 6
#   F+1   P5 ships 10                           (share of the period after: 0.9)
#   F+2.5 P1 ships 40
#   F+3   P4: a stock request to ST issues 4    (TRANSFER_OUT)
#   F+4   P3: 2 of the expired lot consumed     (EXPIRED_CONSUMED)
#   F+5   P1: transfer of 20 to ST; P4 ships 8; at ST P2 ships 3
#   F+6   P1: 10 moved from bin WA to bin WB    (a move within WH)
#   F+7   P4: the request rolled back: 4 return (TRANSFER_RETURN)
#   F+8   P2 adjusted from 50 to 45             (not an outflow)
#   T-5   P1 receives 30                        (after the period)
# At WH, per product: on hand now; average over the period (now less each
# delta x the share of the period before it); outflow units:
#   P1 70; 70 - (-40 x .25 - 20 x .5 - 10 x .6 + 10 x .6 + 30) = 60; 40 + 20
#   P2 45; 45 + 5 x .8 = 49; 0 (slow moving)
#   P3 25; 25 + 2 x .4 = 25.8; 2
#   P4 12; 12 - (-4 x .3 - 8 x .5 + 4 x .7) = 14.4; 4 + 8 - 4
#   P5 0; 0 + 10 x .1 = 1; 10
# value 740, units 152, outflow value 198, average value 764.2:
# turnover 198 / 764.2 = 0.2591, days 10 / turnover = 38.60.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PERMS=inventory.read,inventory.write,inventory.adjust,products.read,products.write,locations.read,locations.write,reasoncodes.read,transfers.read,transfers.write,stockrequests.read,stockrequests.write,stockrequests.approve

slug=$(uniq_slug analytics)
WS=$(new_workspace "$slug")
TOKEN=$(new_key "$slug" "$PERMS" admin)
slug2=$(uniq_slug analytics-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$PERMS" admin)
ctl workspace set "$slug" --request-approval no >/dev/null

today=$(date -u +%F)
# day N: the date N days from today (UTC).
day() { date -u -d "$today $1 days" +%F; }

id_of() { jq -r '.id // "missing"' <<<"$BODY"; }

# Every ledger entry of the workspace after MARK was posted at the time
# given to `at`, which then moves the mark. Changing the ledger by hand
# calls for rebuilding the sums it keeps per product.
MARK=0
at() {
	sql "UPDATE stock_transactions SET created_at = '$1' WHERE workspace_id = ${WS#ws_} AND id > $MARK"
	MARK=$(sql "SELECT IFNULL(MAX(id), 0) FROM stock_transactions WHERE workspace_id = ${WS#ws_}")
	ctl ledger rollup --workspace "$slug" >/dev/null
}

# receive PROD LOC QTY [BIN|-] [LOT EXPIRY] [TOKEN]: prints the stock line's id.
receive() {
	local body="{\"productMasterId\": \"$1\", \"locationId\": \"$2\", \"quantity\": $3, \"mode\": \"RECEIVE\""
	[ -n "${4:-}" ] && [ "$4" != - ] && body+=", \"binId\": \"$4\""
	[ -n "${5:-}" ] && body+=", \"lotNumber\": \"$5\", \"expiryDate\": \"$6\""
	api POST /inventory/record-stock "$body}" "${7:-$TOKEN}"
	[[ $STATUS == 20[01] ]] || diag "record-stock $body} answered $STATUS" "$BODY"
	jq -r '.inventoryItem.id // "missing"' <<<"$BODY"
}
# ship ITEM QTY: picks and ships from a stock line.
ship() {
	local a
	for a in PICK SHIP; do
		api POST "/inventory/availability/$1" "{\"action\": \"$a\", \"quantity\": $2}"
		[ "$STATUS" = 200 ] || diag "$a $2 of $1 answered $STATUS" "$BODY"
	done
}
# step DESC: STATUS was a success (the setup's own checks).
SETUP_OK=1
step() {
	[[ $STATUS == 20[01] ]] && return 0
	SETUP_OK=0
	diag "setup: $1 answered $STATUS" "$BODY"
}

# ---------------------------------------------------------------- setup

api POST /categories '{"name": "Fluids"}'
CAT_A=$(id_of)
api POST /categories '{"name": "Tools"}'
CAT_B=$(id_of)
api POST /categories '{"name": "Empty"}'
CAT_E=$(id_of)
api POST /locations '{"code": "WH", "name": "Warehouse", "type": "WAREHOUSE"}'
WH=$(id_of)
api POST /locations '{"code": "ST", "name": "Store", "type": "STORE"}'
ST=$(id_of)
api POST "/locations/$WH/bins" '{"name": "WA"}'
WA=$(id_of)
api POST "/locations/$WH/bins" '{"name": "WB"}'
WB=$(id_of)
product() {
	api POST /products "{\"globalSku\": \"$1\", \"name\": \"$1\", \"unitCost\": $2${3:+, \"categoryId\": \"$3\"}${4:-}}"
	id_of
}
P1=$(product AN-1 2.5 "$CAT_A")
P2=$(product AN-2 10 "$CAT_A")
P3=$(product AN-3 4 "$CAT_B" ', "lotControlled": true, "expiryTracked": true')
P4=$(product AN-4 1.25 "")
P5=$(product AN-5 3 "$CAT_B")
P6=$(product AN-6 5 "$CAT_A")

I1=$(receive "$P1" "$WH" 100 "$WA")
I2=$(receive "$P2" "$WH" 50)
receive "$P3" "$WH" 8 - SOON "$(day +10)" >/dev/null
receive "$P3" "$WH" 12 - LATE "$(day +200)" >/dev/null
I_PAST=$(receive "$P3" "$WH" 5 - PAST "$(day -3)")
receive "$P3" "$WH" 1 - EDGE "$(day +90)" >/dev/null
receive "$P3" "$WH" 1 - OUT "$(day +91)" >/dev/null
I_ZERO=$(receive "$P3" "$WH" 2 - ZERO "$(day +5)")
ship "$I_ZERO" 2
I4=$(receive "$P4" "$WH" 20)
I5=$(receive "$P5" "$WH" 10)
I2S=$(receive "$P2" "$ST" 7)
receive "$P6" "$ST" 6 >/dev/null
at "$(day -25) 00:00:00"

ship "$I5" 10
at "$(day -19) 00:00:00"
ship "$I1" 40
at "$(day -18) 12:00:00"

api POST /stock-requests "{\"requestingLocationId\": \"$ST\", \"fulfillingLocationId\": \"$WH\", \"lines\": [{\"productMasterId\": \"$P4\", \"quantity\": 4}]}"
step "stock request"
REQ=$(id_of)
api POST "/stock-requests/$REQ/submit"
step "submit (approved at once)"
api POST "/stock-requests/$REQ/status" '{"status": "ISSUED"}'
step "issue"
at "$(day -17) 00:00:00"

api POST /inventory/expired/mark-expired "{\"inventoryItemId\": \"$I_PAST\"}"
step "mark-expired"
api POST /inventory/expired/mark-consumed "{\"inventoryItemId\": \"$I_PAST\", \"quantity\": 2}"
step "mark-consumed"
at "$(day -16) 00:00:00"

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$ST\", \"lines\": [{\"productMasterId\": \"$P1\", \"quantity\": 20}]}"
step "transfer WH -> ST"
TRF=$(id_of)
api POST "/inventory/transfers/$TRF" '{"action": "SHIP"}'
step "transfer shipped"
api POST "/inventory/transfers/$TRF" '{"action": "RECEIVE"}'
step "transfer received"
ship "$I4" 8
ship "$I2S" 3
at "$(day -15) 00:00:00"

api POST /inventory/transfers "{\"fromLocationId\": \"$WH\", \"toLocationId\": \"$WH\", \"complete\": true, \"lines\": [{\"productMasterId\": \"$P1\", \"toBinId\": \"$WB\", \"quantity\": 10}]}"
step "move WA -> WB"
at "$(day -14) 00:00:00"

api POST "/stock-requests/$REQ/rollback" '{"comment": "Sent back"}'
step "rollback of the issued request"
at "$(day -13) 00:00:00"

RC=$(reason_code_id DAMAGE)
api POST /inventory/adjustments "{\"inventoryItemId\": \"$I2\", \"newQtyOnHand\": 45, \"reasonCodeId\": \"$RC\"}"
step "adjustment"
at "$(day -12) 00:00:00"

receive "$P1" "$WH" 30 "$WA" >/dev/null
at "$(day -5) 00:00:00"

# The other workspace: stock of its own, and its ids for the 404s.
api POST /categories '{"name": "Fluids"}' "$TOKEN2"
O_CAT=$(id_of)
api POST /locations '{"code": "WH", "name": "Their warehouse"}' "$TOKEN2"
O_WH=$(id_of)
api POST /products "{\"globalSku\": \"AN-1\", \"name\": \"Theirs\", \"unitCost\": 2, \"categoryId\": \"$O_CAT\"}" "$TOKEN2"
O_P=$(id_of)
receive "$O_P" "$O_WH" 10 - "" "" "$TOKEN2" >/dev/null

check_true "$(printf '%s\n' "$CAT_A" "$CAT_B" "$CAT_E" "$WH" "$ST" "$WA" "$WB" "$P1" "$P2" "$P3" "$P4" "$P5" "$P6" \
	"$I1" "$I2" "$I_PAST" "$I_ZERO" "$I4" "$I5" "$I2S" "$REQ" "$O_CAT" "$O_WH" "$O_P" |
	jq -Rs 'split("\n")[:-1] | map(test("^[a-z]+_[0-9]+$")) | all | tostring')" \
	"setup: categories, locations, bins, products, stock and another workspace"
check_eq "$SETUP_OK" 1 "setup: every movement was accepted"
check_eq "$(sql "SELECT GROUP_CONCAT(CONCAT(transaction_type, ' ', n) ORDER BY transaction_type) FROM
	(SELECT transaction_type, COUNT(*) n FROM stock_transactions WHERE workspace_id = ${WS#ws_}
	AND transaction_type IN ('SHIP', 'TRANSFER_OUT', 'TRANSFER_RETURN', 'EXPIRED_CONSUMED')
	GROUP BY transaction_type) x")" "EXPIRED_CONSUMED 1,SHIP 5,TRANSFER_OUT 3,TRANSFER_RETURN 1" \
	"setup: the ledger holds the outflow-type entries described above"

# ---------------------------------------------------------------- the figures

PERIOD="fromDate=$(day -20)&toDate=$(day -11)"
FIG='.analytics | [.totalValue, .totalUnits, .turnoverRate, .averageDaysOnHand, .slowMovingItems, .expiringItems] | map(tostring) | join("|")'
CATS='[.analytics.byCategory[] | "\(.categoryId)|\(.categoryName)|\(.value)|\(.units)"] | join(" ")'
# figures QUERY: "FIG / CATS" of the answer to ?QUERY.
figures() {
	api GET "/inventory/analytics?$1"
	if [ "$STATUS" != 200 ]; then
		echo "status $STATUS: $BODY"
		return
	fi
	echo "$(jq -r "$FIG" <<<"$BODY") / $(jq -r "$CATS" <<<"$BODY")"
}

check_eq "$(figures "locationId=$WH&$PERIOD")" \
	"740|152|0.2591|38.6|1|2 / $CAT_A|Fluids|625|115 $CAT_B|Tools|100|25 null|Uncategorized|15|12" \
	"the warehouse: value, units, turnover, days on hand, slow moving, expiring, by category"
api GET "/inventory/analytics?locationId=$WH&$PERIOD"
check_json '.period | "\(.from) \(.to)"' "$(day -20)T00:00:00Z $(day -11)T23:59:59Z" \
	"the period runs from the first day's 00:00:00 to the last day's 23:59:59 (UTC)"
check_true '(.analytics.totalValue | type) == "number" and (.analytics.totalUnits | type) == "number"
	and (.analytics.averageDaysOnHand | type) == "number"' "figures are JSON numbers"

check_eq "$(figures "locationId=$WH&categoryId=$CAT_A&$PERIOD")" \
	"625|115|0.2344|42.67|1|0 / $CAT_A|Fluids|625|115" \
	"Fluids at the warehouse: 150 out of an average 640"
check_eq "$(figures "locationId=$WH&categoryId=$CAT_B&$PERIOD")" \
	"100|25|0.3578|27.95|0|2 / $CAT_B|Tools|100|25" \
	"Tools at the warehouse: consumed expired stock and a sold-out product turn over"
check_eq "$(figures "locationId=$WH&categoryId=$CAT_E&$PERIOD")" "0|0|0|null|0|0 / " \
	"a category without stock: zeros, no categories, averageDaysOnHand null"
# The store: P1 20 (arrived at F+5: average 10), P2 4 (3 shipped at F+5:
# average 5.5), P6 6; 30 out of an average 110.
check_eq "$(figures "locationId=$ST&$PERIOD")" "120|30|0.2727|36.67|2|0 / $CAT_A|Fluids|120|30" \
	"the store: a transfer in is stock, not an outflow; P1 and P6 are slow moving"
# The workspace: transfers between its locations stay in it, so only the
# shipments (P1 40, P2 3, P4 8, P5 10) and the consumption (P3 2) go out:
# 178 out of an average 874.2.
check_eq "$(figures "$PERIOD")" \
	"860|182|0.2036|49.11|1|2 / $CAT_A|Fluids|745|145 $CAT_B|Tools|100|25 null|Uncategorized|15|12" \
	"the whole workspace: transfers between its locations are not outflows"

# Before F, after the receipts: stock and no outflow.
check_eq "$(figures "locationId=$WH&fromDate=$(day -24)&toDate=$(day -21)")" \
	"740|152|0|null|4|2 / $CAT_A|Fluids|625|115 $CAT_B|Tools|100|25 null|Uncategorized|15|12" \
	"a period without outflows: turnover 0, averageDaysOnHand null, every product with stock slow moving"
# Before anything was received: the average is 0.
check_eq "$(figures "locationId=$WH&fromDate=$(day -40)&toDate=$(day -30)")" \
	"740|152|0|null|4|2 / $CAT_A|Fluids|625|115 $CAT_B|Tools|100|25 null|Uncategorized|15|12" \
	"a period before any stock: turnover 0"
# The period's average is time-weighted: the first half of the period
# alone (F .. F+5: 5 days; what happens at F+5 is after it) holds the
# outflows P5 10 at F+1, P1 40 at F+2.5, P4 4 at F+3 (its return comes
# later) and P3 2 at F+4; averages P1 70 - (-40 x .5 - 20 - 10 + 10 + 30)
# = 80, P2 45 + 5 = 50, P3 25 + 2 x .8 = 26.6, P4 12 - (-4 x .6 - 8 + 4)
# = 18.4, P5 0 + 10 x .2 = 2: 143 out of 200 + 500 + 106.4 + 23 + 6 = 835.4.
check_eq "$(figures "locationId=$WH&fromDate=$(day -20)&toDate=$(day -16)")" \
	"740|152|0.1712|29.21|1|2 / $CAT_A|Fluids|625|115 $CAT_B|Tools|100|25 null|Uncategorized|15|12" \
	"the first half of the period: its own outflows over its own time-weighted average"

# ---------------------------------------------------------------- expiry window

expiring() {
	api GET "/inventory/analytics?locationId=$WH&$PERIOD${1:+&expiringWithinDays=$1}"
	jq -r '.analytics.expiringItems' <<<"$BODY"
}
check_eq "$(expiring)" 2 "default 90 days: the lots expiring at T+10 and T+90 (the expired, the empty one and T+91 are not)"
check_eq "$(expiring 90)" 2 "expiringWithinDays=90 is the default"
check_eq "$(expiring 10)" 1 "10 days: T+10 is within (both ends included)"
check_eq "$(expiring 9)" 0 "9 days: nothing"
check_eq "$(expiring 0)" 0 "0 days: only what expires today (nothing; the lot expired 3 days ago is not counted)"
check_eq "$(expiring 200)" 4 "200 days: T+10, T+90, T+91, T+200"

# ---------------------------------------------------------------- the period

api GET "/inventory/analytics?locationId=$WH"
check_status 200 "no dates is 200"
DEFAULT=$BODY
check_json '.period | "\(.from) \(.to)"' "$(day -364)T00:00:00Z ${today}T23:59:59Z" \
	"the default period is the 365 days ending today"
api GET "/inventory/analytics?locationId=$WH&fromDate=$(day -364)&toDate=$today"
check_eq "$BODY" "$DEFAULT" "the default answers as the same dates given explicitly"
api GET "/inventory/analytics?locationId=$WH&toDate=$(day -11)"
check_json '.period | "\(.from) \(.to)"' "$(day -375)T00:00:00Z $(day -11)T23:59:59Z" \
	"toDate alone: the 365 days ending then"
api GET "/inventory/analytics?locationId=$WH&fromDate=$(day -20)"
check_json '.period | "\(.from) \(.to)"' "$(day -20)T00:00:00Z ${today}T23:59:59Z" "fromDate alone: up to today"
api GET "/inventory/analytics?locationId=$WH&fromDate=$(day -19)T01:00:00%2B02:00&toDate=$(day -11)T08:15:00Z"
check_json '.period | "\(.from) \(.to)"' "$(day -20)T00:00:00Z $(day -11)T23:59:59Z" \
	"date-times stand for their UTC day (01:00+02:00 is the day before)"
check_json "$FIG" "740|152|0.2591|38.6|1|2" "and give the figures of those days"
api GET "/inventory/analytics?locationId=$WH&startDate=$(day -20)&endDate=$(day -11)"
check_json "$FIG" "740|152|0.2591|38.6|1|2" "startDate and endDate are accepted for fromDate and toDate"
api GET "/inventory/analytics?locationId=$WH&fromDate=$(day -11)&toDate=$(day -11)"
check_json '.period | "\(.from) \(.to)"' "$(day -11)T00:00:00Z $(day -11)T23:59:59Z" "a period of one day"

# ---------------------------------------------------------------- errors

# refused QUERY STATUS FIELD DESC
refused() {
	api GET "/inventory/analytics?$1"
	check_status "$2" "$4 is $2"
	if [ "$2" = 400 ]; then
		check_true "([.details[]?.field] | index(\"$3\") != null) or ((.message // \"\") | test(\"$3\"))" \
			"$4: the error names $3"
	else
		check_json .error "$3" "$4: $3"
	fi
}
refused "fromDate=$(day -10)&toDate=$(day -11)" 400 fromDate "fromDate after toDate"
refused "fromDate=$(day 1)" 400 fromDate "fromDate after today without toDate"
refused "fromDate=2024-13-01" 400 fromDate "a month 13"
refused "toDate=2023-02-29" 400 toDate "a day that does not exist"
refused "toDate=yesterday" 400 toDate "a toDate that is not a date"
refused "fromDate=1969-12-31" 400 fromDate "a fromDate before 1970"
refused "toDate=9999-12-31" 400 toDate "a toDate after 9998"
refused "expiringWithinDays=-1" 400 expiringWithinDays "expiringWithinDays -1"
refused "expiringWithinDays=3651" 400 expiringWithinDays "expiringWithinDays 3651"
refused "expiringWithinDays=ten" 400 expiringWithinDays "expiringWithinDays ten"
refused "locationId=WH" 400 locationId "a malformed locationId"
refused "period=month" 400 period "an unknown parameter"
refused "locationId=loc_999999999" 404 "Location not found or not accessible" "an unknown location"
refused "locationId=$O_WH" 404 "Location not found or not accessible" "another workspace's location"
refused "categoryId=cat_999999999" 404 "Category not found" "an unknown category"
refused "categoryId=$O_CAT" 404 "Category not found" "another workspace's category"

api GET /inventory/analytics "" -
check_status 401 "without a credential is 401"
NOREAD=$(new_key "$slug" products.read,locations.read)
api GET /inventory/analytics "" "$NOREAD"
check_status 403 "a key without inventory.read is 403"
READ=$(new_key "$slug" inventory.read)
api GET "/inventory/analytics?locationId=$WH&$PERIOD" "" "$READ"
check_status 200 "inventory.read alone is enough"

# ---------------------------------------------------------------- workspaces

api GET "/inventory/analytics?$PERIOD" "" "$TOKEN2"
check_json "$FIG" "20|10|0|null|1|0" "the other workspace sees only its own stock"
check_json "$CATS" "$O_CAT|Fluids|20|10" "and its own category"

# ---------------------------------------------------------------- the sums kept per product

# The workspace's analytics read the running totals that every posting
# adds to (not the ledger itself): after postings through the API, with no
# rebuild, they answer what a rebuild from the ledger answers, and
# `ledger verify` finds them equal to the ledger. One of P1's entries is
# first moved to tomorrow, so today's postings also add to a later day's
# totals (as a transaction that commits after midnight does).
sql "UPDATE stock_transactions SET created_at = '$(day +1) 08:00:00' WHERE workspace_id = ${WS#ws_} AND stock_line_id = ${I1#item_} ORDER BY id DESC LIMIT 1"
ctl ledger rollup --workspace "$slug" >/dev/null
MARK=$(sql "SELECT IFNULL(MAX(id), 0) FROM stock_transactions WHERE workspace_id = ${WS#ws_}")
receive "$P1" "$WH" 9 "$WA" >/dev/null
ship "$I1" 4
ship "$I2S" 3
receive "$P5" "$WH" 6 >/dev/null
ALL="fromDate=$(day -30)&toDate=$(day +1)"
api GET "/inventory/analytics?$ALL"
kept=$(jq -c .analytics <<<"$BODY")
out=$(ctl ledger verify --workspace "$slug" 2>&1) && rc=0 || rc=$?
check_eq "$rc $(tail -n 1 <<<"$out")" "0 0 mismatches" "after postings through the API the kept sums match the ledger"
ctl ledger rollup --workspace "$slug" >/dev/null
api GET "/inventory/analytics?$ALL"
check_eq "$kept" "$(jq -c .analytics <<<"$BODY")" \
	"the workspace's analytics from the kept sums equal those after a rebuild from the ledger"
check_true "[.analytics.totalUnits == $(sql "SELECT SUM(qty_on_hand) FROM stock_lines WHERE workspace_id = ${WS#ws_}")] | all" \
	"totalUnits is the sum of the stock lines"
sql "UPDATE ledger_product_days SET total_used = total_used + 1 WHERE workspace_id = ${WS#ws_} AND product_id = ${P5#prod_}"
out=$(ctl ledger verify --workspace "$slug" 2>&1) && rc=0 || rc=$?
check_eq "$rc $(grep -c "prod_${P5#prod_}: the running totals" <<<"$out")" "1 1" \
	"ledger verify reports sums that differ from the ledger, naming the product"
ctl ledger rollup --workspace "$slug" >/dev/null

# ---------------------------------------------------------------- the seed's shape

# The analytics example of seeds 000 and 003, as printed there.
SEED='{"analytics": {"totalValue": 50000.00, "totalUnits": 1000, "turnoverRate": 12.5,
	"averageDaysOnHand": 30, "slowMovingItems": 25, "expiringItems": 10,
	"byCategory": [{"categoryId": "cat_123", "categoryName": "Category", "value": 25000.00,
	"units": 500}]}, "period": {"from": "2024-01-01T00:00:00Z", "to": "2024-12-31T23:59:59Z"}}'
SHAPE='[paths | map(if type == "number" then 0 else . end) | join(".")] | unique | join(" ")'
api GET "/inventory/analytics?locationId=$WH&$PERIOD"
check_eq "$(jq -r "$SHAPE" <<<"$BODY")" "$(jq -r "$SHAPE" <<<"$SEED")" \
	"the answer has exactly the fields of the seed's example"
check_true '[.analytics.byCategory[] | .categoryId | select(. != null) | test("^cat_[0-9]+$")] | all' \
	"category ids are cat_ ids"

done_testing
