#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Exports that stream (issue 13): GET /api/inventory/export as CSV and
# NDJSON gives exactly the rows and values of the paged GET /api/inventory,
# with its filters, in its workspace only; names with commas, quotes and
# line breaks survive a CSV reader; bad input is the usual JSON 400, a
# missing permission 403; thousands of lines arrive whole while the
# responder's memory stays flat; an export that fails half-way says so and
# ends its transfer early. `inventoryctl export` writes the same bytes to a
# file, and the stock transactions too.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t270.XXXXXX")
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SCHEMA_PYTHON:-python3}

slug=$(uniq_slug export)
ws=$(new_workspace "$slug")
TOKEN=$(new_key "$slug" '*' admin)

# ---------------------------------------------------------------- data

# Names a CSV writer must quote, and one it must leave alone.
names=('Bolt, M8 "heavy duty"' $'Two\nlines' $'Carriage\r\nreturn' 'Café ☕ ünïcode' '=SUM(A1)'
	' padded ' 'Plain')
for i in "${!names[@]}"; do
	api POST /products "$(jq -n --arg n "${names[$i]}" --arg s "EXP-$i" \
		'{globalSku: $s, name: $n, unitCost: 2.5}')"
	[ "$STATUS" = 201 ] || fail "product EXP-$i is created" "status $STATUS"
done
cat >"$WORK/locations.csv" <<'EOF'
code,name,type
MAIN,"Main, the big one",WAREHOUSE
SHOP,Shop,STORE
EOF
cat >"$WORK/bins.csv" <<'EOF'
locationCode,name
MAIN,"A-1 ""left"""
EOF
cat >"$WORK/lots.csv" <<'EOF'
globalSku,lotNumber,expiryDate,status
EXP-0,L-1,2031-01-31,ACTIVE
EOF
{
	echo 'globalSku,locationCode,lotNumber,binName,quantityOnHand'
	echo 'EXP-0,MAIN,L-1,"A-1 ""left""",12'
	for i in "${!names[@]}"; do
		echo "EXP-$i,MAIN,,,$((i + 1))"
		echo "EXP-$i,SHOP,,,$((i * 3))"
	done
} >"$WORK/stock.csv"
import_csv locations "$WORK/locations.csv" "$slug" "import the locations"
import_csv bins "$WORK/bins.csv" "$slug" "import the bin"
import_csv lots "$WORK/lots.csv" "$slug" "import the lot"
import_csv stock "$WORK/stock.csv" "$slug" "import 15 stock lines"
api GET "/locations?code=SHOP"
SHOP=$(jq -r '.items[0].id' <<<"$BODY")
api GET "/products?globalSku=EXP-1"
P1=$(jq -r '.items[0].id' <<<"$BODY")

# list_all QUERY: every page of GET /api/inventory as one JSON array.
list_all() {
	local page=1 pages=1 body=$BODY status=$STATUS
	: >"$WORK/pages"
	while [ "$page" -le "$pages" ]; do
		api GET "/inventory?limit=100&page=$page${1:+&$1}"
		printf '%s\n' "$BODY" >>"$WORK/pages"
		pages=$(jq -r .pagination.totalPages <<<"$BODY")
		page=$((page + 1))
	done
	jq -s 'map(.items) | add // []' "$WORK/pages"
	BODY=$body STATUS=$status
}

# export_to FILE QUERY [TOKEN]: GET /api/inventory/export?QUERY, recorded
# for the OpenAPI check; the body is also kept in FILE.
export_to() {
	api_raw GET "/inventory/export${2:+?$2}" -H "Authorization: Bearer ${3:-$TOKEN}"
	# BODY lost its trailing newlines: the bytes are in the recorded file.
	cp "$_API_TMP/responses/$BASHPID.$_API_RECORD_N" "$1"
}

# The comparison of an export with the list: the same items, members and
# values, in the same order. CSV cells are the JSON values' text (numbers
# as written, null as an empty field, true/false).
cat >"$WORK/compare.py" <<'EOF'
import csv, json, sys

list_file, export_file, fmt = sys.argv[1:4]
items = json.load(open(list_file, encoding="utf-8"))
text = open(export_file, encoding="utf-8", newline="").read()

def fail(msg):
    print(msg)
    sys.exit(1)

if fmt == "ndjson":
    if text and not text.endswith("\n"):
        fail("the last line does not end in LF")
    rows = [json.loads(line) for line in text.split("\n")[:-1]]
    if len(rows) != len(items):
        fail("%d lines, %d items" % (len(rows), len(items)))
    for n, (row, item) in enumerate(zip(rows, items)):
        if list(row.items()) != list(item.items()):
            fail("line %d: %r != %r" % (n + 1, row, item))
else:
    raw = json.load(open(list_file, encoding="utf-8"), parse_float=str, parse_int=str)
    records = list(csv.reader(open(export_file, encoding="utf-8", newline=""), strict=True))
    header = records[0] if records else []
    if items and header != list(items[0].keys()):
        fail("header %r" % header)
    if len(records) - 1 != len(items):
        fail("%d records, %d items" % (len(records) - 1, len(items)))
    def text_of(v):
        return "" if v is None else ("true" if v is True else "false" if v is False else str(v))
    for n, (rec, item) in enumerate(zip(records[1:], raw)):
        want = [text_of(v) for v in item.values()]
        if rec != want:
            fail("record %d: %r != %r" % (n + 1, rec, want))
    # CRLF ends every line outside quotes; the line breaks inside names stay as they were.
    if not text.endswith("\r\n"):
        fail("the last line does not end in CRLF")
print("same")
EOF

# check_same DESC LIST_JSON_FILE EXPORT_FILE FORMAT
check_same() {
	local out
	if out=$("$PY" "$WORK/compare.py" "$2" "$3" "$4" 2>&1) && [ "$out" = same ]; then
		pass "$1"
	else
		fail "$1" "$out"
	fi
}

# ---------------------------------------------------------------- the rows of the list

list_all "" >"$WORK/list.json"
check_eq "$(jq length "$WORK/list.json")" 15 "the list holds the 15 imported lines"

export_to "$WORK/a.ndjson" "format=ndjson"
check_status 200 "an NDJSON export is 200"
check_header content-type '^application/x-ndjson$' "its Content-Type is application/x-ndjson"
check_header content-disposition '^attachment; filename="inventory\.ndjson"$' \
	"it is an attachment named inventory.ndjson"
check_header cache-control 'no-store' "it is not cached"
check_same "the NDJSON lines are the list's items, members and values in order" \
	"$WORK/list.json" "$WORK/a.ndjson" ndjson

export_to "$WORK/a.csv" "format=csv"
check_status 200 "a CSV export is 200"
check_header content-type '^text/csv; charset=utf-8$' "its Content-Type is text/csv in UTF-8"
check_header content-disposition '^attachment; filename="inventory\.csv"$' \
	"it is an attachment named inventory.csv"
check_same "the CSV records are the list's items, the header its field names" \
	"$WORK/list.json" "$WORK/a.csv" csv
check_eq "$(head -n 1 "$WORK/a.csv" | tr -d '\r')" \
	"id,productMasterId,productName,globalSku,locationId,locationName,quantityOnHand,quantityReserved,quantityAvailable,lotId,lotNumber,expiryDate,binId,binName,unitCost,totalValue,lastCountedAt,createdAt,updatedAt" \
	"the CSV header is the list item's field names, in its order"
check_eq "$(grep -c 'Bolt, M8 ""heavy duty""' "$WORK/a.csv")" 3 \
	"a name with a comma and quotes is quoted, its quotes doubled"
check_eq "$("$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
print(sorted({r["productName"] for r in rows}) == sorted(sys.argv[2:]))' \
	"$WORK/a.csv" "${names[@]}")" True \
	"every name reads back from the CSV as it was stored (commas, quotes, LF, CRLF, UTF-8, spaces)"
check_eq "$("$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
r = [r for r in rows if r["binName"]][0]
print(r["binName"], r["lotNumber"], r["expiryDate"], r["lastCountedAt"] == "")' "$WORK/a.csv")" \
	'A-1 "left" L-1 2031-01-31 True' "the lot, expiry date and bin are in their columns, null is empty"

api HEAD "/inventory/export?format=ndjson"
check_status 200 "HEAD on the export is 200"
check_header content-type '^application/x-ndjson$' "... with the export's Content-Type and no body"
export_to "$WORK/default.csv" ""
check_header content-type '^text/csv' "without format the export is CSV"
check_eq "$(cmp -s "$WORK/a.csv" "$WORK/default.csv" && echo same)" same "the same bytes as format=csv"

# ---------------------------------------------------------------- filters

list_all "locationId=$SHOP" >"$WORK/list-shop.json"
export_to "$WORK/shop.ndjson" "format=ndjson&locationId=$SHOP"
check_same "locationId: the export holds the list's lines at that location" \
	"$WORK/list-shop.json" "$WORK/shop.ndjson" ndjson
check_eq "$(jq -s length "$WORK/shop.ndjson")" 7 "the 7 lines at SHOP"
list_all "productMasterId=$P1&locationId=$SHOP" >"$WORK/list-p1.json"
export_to "$WORK/p1.csv" "format=csv&productMasterId=$P1&locationId=$SHOP"
check_same "productMasterId and locationId together: the list's one line" \
	"$WORK/list-p1.json" "$WORK/p1.csv" csv

# ---------------------------------------------------------------- refusals

api GET "/inventory/export?format=xml"
check_status 400 "format=xml is 400"
check_json '.details[0].field' format "the error names format"
check_header content-type '^application/json' "the 400 is JSON"
api GET "/inventory/export?locationId=nonsense"
check_status 400 "a malformed locationId is 400"
check_json '.details[0].field' locationId "the error names locationId"
api GET "/inventory/export?page=2"
check_status 400 "page is not a parameter of the export (it has no pages)"
api GET "/inventory/export" "" -
check_status 401 "without credentials 401"
READER=$(new_key "$slug" products.read)
api GET "/inventory/export?format=ndjson" "" "$READER"
check_status 403 "without inventory.read 403"
check_json .message "requires permission inventory.read" "the 403 names the permission"

# ---------------------------------------------------------------- workspaces

other=$(uniq_slug export-other)
new_workspace "$other" >/dev/null
OTHER=$(new_key "$other" '*' admin)
cat >"$WORK/other-products.csv" <<'EOF'
globalSku,name
OTH-1,Other workspace's product
EOF
cat >"$WORK/other-locations.csv" <<'EOF'
code,name
MAIN,Other main
EOF
cat >"$WORK/other-stock.csv" <<'EOF'
globalSku,locationCode,lotNumber,binName,quantityOnHand
OTH-1,MAIN,,,5
EOF
import_csv products "$WORK/other-products.csv" "$other" "another workspace: a product"
import_csv locations "$WORK/other-locations.csv" "$other" "another workspace: a location"
import_csv stock "$WORK/other-stock.csv" "$other" "another workspace: one stock line"
export_to "$WORK/other.ndjson" "format=ndjson" "$OTHER"
check_eq "$(jq -r -s 'map(.globalSku) | join(",")' "$WORK/other.ndjson")" OTH-1 \
	"another workspace's export holds its own line only"
export_to "$WORK/other-shop.csv" "format=csv&locationId=$SHOP" "$OTHER"
check_status 200 "a location of another workspace as the filter is 200"
check_eq "$(wc -l <"$WORK/other-shop.csv" | tr -d ' ')" 1 "... with the header and no rows"

# ---------------------------------------------------------------- thousands of lines

# 400 products x 5 locations x 2 lots x 2 bins: 8,000 lines, made inside
# MariaDB by the benchmark's generator.
big=$(uniq_slug export-big)
big_ws=$(new_workspace "$big")
BIG=$(new_key "$big" '*' admin)
{
	printf 'SET @ws = %d, @products = 400, @categories = 5, @locations = 5, @bins = 4,' "${big_ws#ws_}"
	printf ' @channels = 1, @lots = 2, @bins_per_lot = 2;\n'
	cat "$REPO/tests/bench/data.sql"
} | mariadb --no-defaults --socket="$TEST_DIR/mysql.sock" -uroot inventory
# Fresh statistics, as after any bulk load (scripts/bench does the same).
sql "ANALYZE TABLE stock_lines, stock_transactions, products, locations, lots, bins" >/dev/null
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines WHERE workspace_id = ${big_ws#ws_}")" 8000 \
	"setup: 8,000 stock lines"

# The workers' peak resident memory (VmHWM, kB), "pid kB" per line.
fcgi_peaks() {
	local p exe
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "${exe% (deleted)}" = "$REPO/inventory-fcgi" ] || continue
		tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qxF "INVENTORY_CONF=$INVENTORY_CONF" || continue
		printf '%s %s\n' "${p#/proc/}" "$(awk '/^VmHWM:/ { print $2 }' "$p/status")"
	done
}

# Exports at once, one per worker (as far as they overlap), so that the
# one measured finds its worker warm: statements prepared, a chunk's worth of
# memory used once. A worker that held the whole answer would still grow by
# several times its size.
for i in 1 2 3 4; do
	curl -sS -o /dev/null -H "Authorization: Bearer $BIG" "$INVENTORY_URL/inventory/export?format=ndjson" &
done
wait
fcgi_peaks | sort >"$WORK/peaks-before"
export_to "$WORK/big.ndjson" "format=ndjson" "$BIG"
fcgi_peaks | sort >"$WORK/peaks-after"
check_status 200 "the NDJSON export of 8,000 lines is 200"
check_eq "$(wc -l <"$WORK/big.ndjson" | tr -d ' ')" 8000 "all 8,000 lines arrive"
size_kb=$(($(wc -c <"$WORK/big.ndjson") / 1024))
growth=$(join "$WORK/peaks-before" "$WORK/peaks-after" | awk '{ g = $3 - $2; if (g > m) m = g } END { print m + 0 }')
if ldd "$REPO/inventory-fcgi" 2>/dev/null | grep -q libasan; then
	pass "the responder's memory does not grow with the export (not measured: AddressSanitizer build)"
else
	check_eq "$([ "$growth" -lt 2048 ] && echo flat)" flat \
		"the responder's peak memory grows by $growth kB over an export of $size_kb kB (under 2 MB)"
fi
check_eq "$(jq -r '.id | ltrimstr("item_")' "$WORK/big.ndjson" | awk 'NR > 1 && $1 <= prev { bad++ } { prev = $1 } END { print bad + 0 }')" 0 \
	"the lines come in ascending id order, each once"

TOKEN_SAVED=$TOKEN
TOKEN=$BIG
list_all "" >"$WORK/big-list.json"
TOKEN=$TOKEN_SAVED
check_same "the 8,000 NDJSON lines are the 80 pages of the list" "$WORK/big-list.json" "$WORK/big.ndjson" ndjson
export_to "$WORK/big.csv" "format=csv" "$BIG"
check_same "the 8,000 CSV records are the 80 pages of the list" "$WORK/big-list.json" "$WORK/big.csv" csv
big_loc=$(jq -r '.[0].locationId' "$WORK/big-list.json")
export_to "$WORK/big-loc.csv" "format=csv&locationId=$big_loc" "$BIG"
check_eq "$(($(wc -l <"$WORK/big-loc.csv") - 1))" 1600 "the location filter over several chunks: 1,600 lines"

# ---------------------------------------------------------------- inventoryctl export

run_ctl() {
	RC=0
	OUT=$(ctl "$@" 2>&1) || RC=$?
}
run_ctl export inventory --workspace "$slug" --output "$WORK/ctl-a.csv"
check_eq "$RC" 0 "inventoryctl export inventory exits 0"
check_eq "$(cmp -s "$WORK/ctl-a.csv" "$WORK/a.csv" && echo same)" same \
	"its CSV file holds the bytes of the API's CSV export"
check_eq "$(grep -c 'exported 15 inventory rows' <<<"$OUT")" 1 "it says how many rows it wrote"
run_ctl export inventory --workspace "$slug" --format ndjson --output "$WORK/ctl-a.ndjson"
check_eq "$(cmp -s "$WORK/ctl-a.ndjson" "$WORK/a.ndjson" && echo same)" same \
	"its NDJSON file holds the bytes of the API's NDJSON export"
run_ctl export inventory --workspace "$slug" --location SHOP --format ndjson --output "$WORK/ctl-shop.ndjson"
check_eq "$(cmp -s "$WORK/ctl-shop.ndjson" "$WORK/shop.ndjson" && echo same)" same \
	"--location CODE exports that location's lines, as locationId does"
run_ctl export inventory --workspace "$slug" --location "$SHOP" --format ndjson --output -
check_eq "$(grep -c '^{' <<<"$OUT")" 7 "--location ID and --output - (standard output) work too"
run_ctl export inventory --workspace "$big" --format csv --output "$WORK/ctl-big.csv"
check_eq "$(cmp -s "$WORK/ctl-big.csv" "$WORK/big.csv" && echo same)" same \
	"8,000 lines to a file: the bytes of the API's export"
check_eq "$(grep -c 'exported 8000 inventory rows' <<<"$OUT")" 1 "the total goes to stderr"
run_ctl export inventory --workspace nope --output "$WORK/nope.csv"
check_eq "$RC:$([ -e "$WORK/nope.csv" ] && echo file)" 1: "an unknown workspace: exit 1, no file"
run_ctl export inventory --workspace "$slug" --format xml --output "$WORK/nope.csv"
check_eq "$RC" 2 "an unknown format is a usage error: exit 2"
run_ctl export levels --workspace "$slug" --output "$WORK/nope.csv"
check_eq "$RC" 2 "an unknown kind is a usage error: exit 2"
run_ctl export inventory --workspace "$slug" --location NOWHERE --output "$WORK/nope.csv"
check_eq "$RC" 1 "an unknown location: exit 1"

# Transactions: the adjustment history's entries, oldest first.
entries_all() {
	local offset=0 more=true body=$BODY status=$STATUS
	: >"$WORK/entries"
	while [ "$more" = true ]; do
		api GET "/inventory/adjustments?limit=200&offset=$offset"
		printf '%s\n' "$BODY" >>"$WORK/entries"
		more=$(jq -r .pagination.hasMore <<<"$BODY")
		offset=$((offset + 200))
	done
	jq -s 'map(.entries) | add // [] | sort_by(.id | ltrimstr("txn_") | tonumber)' "$WORK/entries"
	BODY=$body STATUS=$status
}
entries_all >"$WORK/txns.json"
check_eq "$(jq length "$WORK/txns.json")" 14 "setup: the import made 14 transactions (none for a quantity of 0)"
run_ctl export transactions --workspace "$slug" --format ndjson --output "$WORK/txns.ndjson"
check_eq "$RC" 0 "inventoryctl export transactions exits 0"
check_same "its NDJSON lines are the adjustment history's entries, oldest first" \
	"$WORK/txns.json" "$WORK/txns.ndjson" ndjson
run_ctl export transactions --workspace "$slug" --output "$WORK/txns.csv"
check_eq "$(head -n 1 "$WORK/txns.csv" | tr -d '\r')" \
	"id,inventoryItemId,transactionType,deltaQty,qtyBefore,qtyAfter,reasonCode,reasonCodeId,comment,rootCause,createdAt,createdBy,productMasterId,locationId,deltas.onHand,deltas.reserved,deltas.onHold,deltas.picked,deltas.recalled,deltas.expired,referenceType,referenceId" \
	"its CSV header flattens the deltas object as deltas.<member>"
check_eq "$(($(wc -l <"$WORK/txns.csv") - 1))" 14 "... and holds the 14 transactions"
run_ctl export transactions --workspace "$big" --location "$big_loc" --output "$WORK/big-txns.csv"
check_eq "$(($(wc -l <"$WORK/big-txns.csv") - 1))" 1600 "transactions of one location over several chunks"

# ---------------------------------------------------------------- an export that fails half-way

# A line whose available quantity overflows BIGINT: the chunk that reaches
# it fails in MariaDB (error 1690), after 8,000 lines went out.
bad_line=$(sql "SET foreign_key_checks = 0;
	INSERT INTO stock_lines (workspace_id, product_id, location_id, qty_on_hand, qty_reserved)
	SELECT workspace_id, product_id, location_id, -9223372036854775800, 100
	FROM stock_lines WHERE workspace_id = ${big_ws#ws_} LIMIT 1;
	SELECT LAST_INSERT_ID()")
restore() { sql "UPDATE stock_lines SET qty_on_hand = 0, qty_reserved = 0 WHERE id = $bad_line"; }
trap 'restore; rm -rf "$_API_TMP"' EXIT

rc=0
curl -sS -o "$WORK/broken.ndjson" -H "Authorization: Bearer $BIG" \
	"$INVENTORY_URL/inventory/export?format=ndjson" 2>"$WORK/curl.err" || rc=$?
check_eq "$rc" 18 "the client sees the transfer end early (curl: partial file)"
check_eq "$(($(wc -l <"$WORK/broken.ndjson") - 1))" 8000 "the rows before the failure arrived"
check_eq "$(tail -n 1 "$WORK/broken.ndjson" | jq -r '.error + ": " + .message')" \
	"Export incomplete: the database failed after 8000 rows" "the last NDJSON line says the export is incomplete"
rc=0
curl -sS -o "$WORK/broken.csv" -H "Authorization: Bearer $BIG" \
	"$INVENTORY_URL/inventory/export?format=csv" 2>/dev/null || rc=$?
check_eq "$rc:$(tail -n 1 "$WORK/broken.csv" | tr -d '\r')" \
	"18:#error Export incomplete: the database failed after 8000 rows" \
	"the CSV export ends with a #error line, and early too"
sleep 0.2
check_eq "$(grep -c 'export incomplete: the database failed after 8000 rows' "$TEST_DIR/fcgi.log")" 2 \
	"the responder's log says why, once per export"
run_ctl export inventory --workspace "$big" --output "$WORK/ctl-broken.csv"
check_eq "$RC:$(ls "$WORK" | grep -c '^ctl-broken')" 3:0 \
	"inventoryctl export fails with exit 3 (the database failed) and leaves no file"
restore
trap 'rm -rf "$_API_TMP"' EXIT
export_to "$WORK/fixed.csv" "format=csv" "$BIG"
check_eq "$(($(wc -l <"$WORK/fixed.csv") - 1))" 8001 "with the line repaired the export is whole again"

done_testing
