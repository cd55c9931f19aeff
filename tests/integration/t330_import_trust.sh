#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# inventoryctl import and export that can be trusted: partial updates,
# unknown columns, --dry-run, RFC 4180 CSV, progress, exit statuses, the
# export/import round trip of every table, --config anywhere. Stops and
# restarts the stack's database at the end (as t099 does).
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/stack.sh
. "$(dirname "$0")/../../scripts/lib/stack.sh"

WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t330.XXXXXX")

OUT=""
ERR=""
RC=0
# run ARGS...: runs inventoryctl; OUT is stdout, ERR stderr, RC the status.
run() {
	RC=0
	OUT=$(ctl "$@" 2>"$WORK/stderr") || RC=$?
	ERR=$(cat "$WORK/stderr")
}
check_rc() { # EXPECTED DESC
	check_eq "$RC" "$1" "$2"
}
check_err() { # REGEX DESC: stderr matches
	if grep -Eq -- "$1" <<<"$ERR"; then
		pass "$2"
	else
		fail "$2" "stderr does not match /$1/:" "$ERR"
	fi
}
# product SKU: its name, category, cost, lot control and expiry tracking.
product() {
	sql "SELECT CONCAT_WS('|', p.name, IFNULL(c.name, '-'), CAST(p.unit_cost AS DOUBLE), p.lot_controlled,
	     p.expiry_tracked) FROM products p JOIN workspaces w ON w.id = p.workspace_id
	     LEFT JOIN categories c ON c.id = p.category_id
	     WHERE w.slug = '$slug' AND p.global_sku = '$1'"
}
count_products() {
	sql "SELECT COUNT(*) FROM products p JOIN workspaces w ON w.id = p.workspace_id
	     WHERE w.slug = '$1'"
}

slug=$(uniq_slug trust)
new_workspace "$slug" >/dev/null

# ---------------------------------------------------------------- partial re-import

cat >"$WORK/full.csv" <<'EOF'
globalSku,name,category,unitCost,lotControlled,expiryTracked
T-1,Saline,Fluids,12.5,true,true
T-2,Gauze,Dressings,0.75,false,false
EOF
run import products "$WORK/full.csv" --workspace "$slug"
check_rc 0 "the full products file imports"
check_eq "$(product T-1)" "Saline|Fluids|12.5|1|1" "T-1 has its cost, category, lot control and expiry"
printf 'globalSku,name\nT-1,Saline 0.9%%\nT-3,New one\n' >"$WORK/names.csv"
run import products "$WORK/names.csv" --workspace "$slug"
check_rc 0 "a file of globalSku,name imports"
check_eq "$(product T-1)" "Saline 0.9%|Fluids|12.5|1|1" \
	"re-importing only globalSku,name changes the name and keeps cost, category, lot control, expiry"
check_eq "$(product T-2)" "Gauze|Dressings|0.75|0|0" "a product the file does not name is untouched"
check_eq "$(product T-3)" "New one|-|0|0|0" "a new product gets the defaults of the columns the file lacks"
printf 'globalSku,name,unitCost\nT-2,Gauze,0.80\n' >"$WORK/cost.csv"
run import products "$WORK/cost.csv" --workspace "$slug"
check_eq "$(product T-2)" "Gauze|Dressings|0.8|0|0" "a file with unitCost changes the cost and keeps the category"
printf 'globalSku,name,category\nT-2,Gauze,\n' >"$WORK/nocat.csv"
run import products "$WORK/nocat.csv" --workspace "$slug"
check_eq "$(product T-2)" "Gauze|-|0.8|0|0" "an empty cell of a column the file has clears it (no category)"

printf 'code,name,type\nW-1,Main,STORE\n' >"$WORK/loc.csv"
run import locations "$WORK/loc.csv" --workspace "$slug"
printf 'code,name\nW-1,Main store\n' >"$WORK/loc2.csv"
run import locations "$WORK/loc2.csv" --workspace "$slug"
check_eq "$(sql "SELECT CONCAT(l.name, '|', l.location_type) FROM locations l JOIN workspaces w
	ON w.id = l.workspace_id WHERE w.slug = '$slug' AND l.code = 'W-1'")" "Main store|STORE" \
	"re-importing locations without type keeps the type"
printf 'code,name,channelType,lowAtpThreshold\nC-1,Web,RETAIL,25\n' >"$WORK/ch.csv"
run import channels "$WORK/ch.csv" --workspace "$slug"
printf 'code,name\nC-1,Web shop\n' >"$WORK/ch2.csv"
run import channels "$WORK/ch2.csv" --workspace "$slug"
check_eq "$(sql "SELECT CONCAT_WS('|', c.name, c.channel_type, c.low_atp_threshold) FROM channels c
	JOIN workspaces w ON w.id = c.workspace_id WHERE w.slug = '$slug' AND c.code = 'C-1'")" \
	"Web shop|RETAIL|25" "re-importing channels without type and thresholds keeps them"
printf 'globalSku,lotNumber,expiryDate,status\nT-1,L-1,2031-01-31,ON_HOLD\n' >"$WORK/lot.csv"
run import lots "$WORK/lot.csv" --workspace "$slug"
printf 'globalSku,lotNumber\nT-1,L-1\n' >"$WORK/lot2.csv"
run import lots "$WORK/lot2.csv" --workspace "$slug"
check_eq "$(sql "SELECT CONCAT(lt.expiry_date, '|', lt.status) FROM lots lt JOIN workspaces w
	ON w.id = lt.workspace_id WHERE w.slug = '$slug' AND lt.lot_number = 'L-1'")" \
	"2031-01-31|ON_HOLD" "re-importing lots with their key only keeps expiry and status"

# ---------------------------------------------------------------- unknown column

printf 'globalSku,name,unit_cost\nT-1,Changed,99\nT-9,Never,1\n' >"$WORK/typo.csv"
before=$(count_products "$slug")
run import products "$WORK/typo.csv" --workspace "$slug"
check_rc 4 "a misspelled column is a data error (exit 4)"
check_err "typo.csv:1: unknown column 'unit_cost' for products: did you mean 'unitCost'\\?" \
	"the error names the column, its line and the nearest known name"
check_eq "$(product T-1)" "Saline 0.9%|Fluids|12.5|1|1" "nothing of the file was written (T-1 unchanged)"
check_eq "$(count_products "$slug")" "$before" "and no product was added"
printf 'globalSku,name,zzzzzz\nT-1,Changed\n' >"$WORK/alien.csv"
run import products "$WORK/alien.csv" --workspace "$slug"
check_err "unknown column 'zzzzzz' for products \\(the columns are globalSku, name, category" \
	"a column like no known one lists the known ones"
printf 'globalSku,name,name\nT-1,A,B\n' >"$WORK/twice.csv"
run import products "$WORK/twice.csv" --workspace "$slug"
check_rc 4 "a column named twice is refused"
check_err "names column 'name' twice" "and the error says so"

# ---------------------------------------------------------------- --dry-run

cat >"$WORK/dry.csv" <<'EOF'
globalSku,name,unitCost,lotControlled
D-1,Good,1,false
D-2,Bad cost,abc,false
D-3,,2,false
D-4,"Two
lines",3,maybe
D-5,Good too,4,true
D-6,Too many,5,false,extra
EOF
before=$(count_products "$slug")
run import products "$WORK/dry.csv" --workspace "$slug" --dry-run
check_rc 4 "--dry-run of a file with bad lines exits 4"
check_err "^error: .*dry.csv:3: unitCost must be a number of at least 0, not 'abc'\$" \
	"it lists line 3 with the value and the reason"
check_err "^error: .*dry.csv:4: name is required: the cell is empty\$" "it lists line 4"
check_err "^error: .*dry.csv:5: lotControlled must be true or false, not 'maybe'\$" \
	"it lists line 5, where a record with a line break begins"
check_err "^error: .*dry.csv:8: the line has 5 fields, the header 4\$" \
	"it lists line 8: line numbers count the line inside the quoted field"
check_eq "$(grep -c '^error:' <<<"$ERR")" 4 "it lists the 4 bad lines and no good one"
check_err "4 bad lines in 6 rows" "and counts them"
check_eq "$(count_products "$slug")" "$before" "--dry-run wrote nothing"
run import products "$WORK/dry.csv" --workspace "$slug"
check_rc 4 "the same file without --dry-run fails with exit 4"
check_eq "$(grep -c '^error:' <<<"$ERR")" 1 "and stops at the first bad line"
check_eq "$(count_products "$slug")" "$before" "writing nothing"
printf 'globalSku,name,unitCost\nD-10,Fine,1\nD-11,Also fine,2\n' >"$WORK/dry_ok.csv"
run import products "$WORK/dry_ok.csv" --workspace "$slug" --dry-run
check_rc 0 "--dry-run of a good file exits 0"
check_eq "$OUT" "$WORK/dry_ok.csv: 2 products, no bad line (dry run: nothing was written)" \
	"and says the file is good"
check_eq "$(count_products "$slug")" "$before" "and writes nothing"
printf 'globalSku,locationCode,quantityOnHand\nT-2,W-1,5\nT-2,NO-LOC,5\nNO-SKU,W-1,x\n' >"$WORK/dry_stock.csv"
run import stock "$WORK/dry_stock.csv" --workspace "$slug" --dry-run
check_rc 4 "--dry-run of stock checks the references"
check_err "dry_stock.csv:3: no location with code 'NO-LOC'" "a location that does not exist"
check_err "dry_stock.csv:4: quantityOnHand must be a whole number of at least 0, not 'x'" \
	"a quantity that is no number"
check_eq "$(sql "SELECT COUNT(*) FROM stock_lines s JOIN workspaces w ON w.id = s.workspace_id
	WHERE w.slug = '$slug'")" 0 "the dry run posted no stock"

# ---------------------------------------------------------------- RFC 4180

printf 'globalSku,name,category\r\nQ-1,"Comma, inside",Cat\r\nQ-2,"Quote ""in"" it",\r\nQ-3,"Line\r\nbreak",\r\nQ-4, spaced ,\r\n' \
	>"$WORK/quoted.csv"
run import products "$WORK/quoted.csv" --workspace "$slug"
check_rc 0 "quoted fields with commas, quotes and a line break import"
check_eq "$(product Q-1)" "Comma, inside|Cat|0|0|0" "a comma inside a quoted field stays"
check_eq "$(product Q-2)" 'Quote "in" it|-|0|0|0' "doubled quotes are one quote"
check_eq "$(sql "SELECT HEX(p.name) FROM products p JOIN workspaces w ON w.id = p.workspace_id
	WHERE w.slug = '$slug' AND p.global_sku = 'Q-3'")" "$(printf 'Line\r\nbreak' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"a line break inside a quoted field stays"
check_eq "$(product Q-4)" " spaced |-|0|0|0" "spaces are part of a field (RFC 4180)"
printf 'globalSku,name\nQ-5,"never closed\nQ-6,x\n' >"$WORK/open.csv"
run import products "$WORK/open.csv" --workspace "$slug"
check_rc 4 "a quote never closed is a data error"
check_err "open.csv:2: malformed CSV" "and names the line where the record began"
printf 'globalSku,name\nQ-7,a"b\n' >"$WORK/stray.csv"
run import products "$WORK/stray.csv" --workspace "$slug"
check_rc 4 "a quote inside an unquoted field is refused"
check_err "stray.csv:2: malformed CSV" "and names its line"

# ---------------------------------------------------------------- progress

{
	echo globalSku,name
	awk 'BEGIN { for (i = 1; i <= 15000; i++) printf "BULK-%d,Bulk product %d\n", i, i }'
} >"$WORK/bulk.csv"
run import products "$WORK/bulk.csv" --workspace "$slug" --progress
check_rc 0 "a long import with --progress exits 0"
check_err '^products: [0-9]+ rows, [0-9]+ rows/s, [0-9]+%, ETA [0-9]+ s$' \
	"--progress reports rows per second, the share done and the time left"
check_err '^products: 15000 rows, [0-9]+ rows/s in [0-9.]+ s$' "and ends with the total"
run import products - --workspace "$slug" --progress <"$WORK/names.csv"
check_rc 0 "standard input imports"
check_err '^products: 2 rows, [0-9]+ rows/s in' "with progress, and no ETA without a size"
run import products "$WORK/names.csv" --workspace "$slug"
check_eq "$ERR" "" "without --progress and a terminal, stderr stays quiet"

# ---------------------------------------------------------------- usage errors

run import products "$WORK/full.csv"
check_rc 2 "import without --workspace is a usage error (exit 2)"
run import gizmos "$WORK/full.csv" --workspace "$slug"
check_rc 2 "an unknown import kind is a usage error"
run import products "$WORK/full.csv" --workspace "$slug" --frob
check_rc 2 "an unknown option is a usage error"
run frobnicate
check_rc 2 "an unknown command is a usage error"
run export gizmos --workspace "$slug" --output "$WORK/x.csv"
check_rc 2 "an unknown export kind is a usage error"
run export products --workspace "$slug" --location W-1 --output "$WORK/x.csv"
check_rc 2 "--location on a kind without locations is a usage error"
run openapi extra
check_rc 2 "openapi with an operand is a usage error"
run openapi --help
check_rc 0 "openapi --help exits 0"
check_eq "$(head -n 1 <<<"$OUT")" "usage: inventoryctl openapi" "openapi --help prints its usage"
check_true "$(grep -q 'Prints the OpenAPI' <<<"$OUT" && echo true || echo false)" "and its help"
run import --help
check_true "$(grep -q 'Exit status: 0 imported.*' <<<"$OUT" && grep -q '2 a usage error, 3 the database' <<<"$OUT" && echo true || echo false)" \
	"import --help documents the exit statuses"

# ---------------------------------------------------------------- --config anywhere

printf 'globalSku,name\nCF-1,Config\n' >"$WORK/cfg.csv"
conf=$INVENTORY_CONF
cfg_run() { # DESC ARGS...
	local desc=$1 rc=0 out
	shift
	out=$(env -u INVENTORY_CONF "$(command -v inventoryctl)" "$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc" "exit status $rc" "$out"
	fi
}
cfg_run "--config FILE before the command" --config "$conf" import products "$WORK/cfg.csv" --workspace "$slug"
cfg_run "--config=FILE before the command" --config="$conf" import products "$WORK/cfg.csv" --workspace "$slug"
cfg_run "--config FILE after the command" import --config "$conf" products "$WORK/cfg.csv" --workspace "$slug"
cfg_run "--config FILE between the options" import products "$WORK/cfg.csv" --config "$conf" --workspace "$slug"
cfg_run "--config=FILE at the end" import products "$WORK/cfg.csv" --workspace "$slug" --config="$conf"
cfg_run "--config FILE after a subcommand" workspace list --config "$conf"
cfg_run "--config=FILE between a command and its subcommand" apikey --config="$conf" list --workspace "$slug"
RC=0
OUT=$(env -u INVENTORY_CONF "$(command -v inventoryctl)" workspace list --config 2>&1) || RC=$?
check_rc 2 "--config without a FILE is a usage error"

# ---------------------------------------------------------------- round trip

src=$(uniq_slug rt-a)
dst=$(uniq_slug rt-b)
new_workspace "$src" >/dev/null
new_workspace "$dst" >/dev/null
cat >"$WORK/rt_products.csv" <<'EOF'
globalSku,name,category,unitCost,lotControlled,expiryTracked
RT-1,"Drip set, ""large""
(sterile)",Fluids,12.3456,true,true
RT-2, Lead space,,0,false,false
RT-3,Plain,Tools,7,false,true
EOF
printf 'code,name,type\nRT-W,"Main, north",WAREHOUSE\nRT-X,Scrap,DESTRUCTION\n' >"$WORK/rt_locations.csv"
printf 'locationCode,name\nRT-W,A-01\nRT-W,"B,02"\n' >"$WORK/rt_bins.csv"
printf 'code,name,channelType,lowAtpThreshold,criticalAtpThreshold\nRT-C,Web,MARKETPLACE,30,5\n' \
	>"$WORK/rt_channels.csv"
printf 'globalSku,lotNumber,expiryDate,status\nRT-1,L-1,2030-05-01,ACTIVE\nRT-1,L-2,,ON_HOLD\n' \
	>"$WORK/rt_lots.csv"
printf 'globalSku,locationCode,lotNumber,binName,quantityOnHand\nRT-1,RT-W,L-1,A-01,12\nRT-1,RT-W,L-2,,3\nRT-2,RT-W,,"B,02",40\nRT-3,RT-X,,,7\n' \
	>"$WORK/rt_stock.csv"
kinds="products locations bins channels lots stock"
for kind in $kinds; do
	run import "$kind" "$WORK/rt_$kind.csv" --workspace "$src"
	check_rc 0 "round trip: the $kind of the first workspace import"
done
for kind in $kinds; do
	run export "$kind" --workspace "$src" --output "$WORK/a_$kind.csv"
	check_rc 0 "round trip: export $kind of the first workspace"
	run import "$kind" "$WORK/a_$kind.csv" --workspace "$dst"
	check_rc 0 "round trip: inventoryctl import reads the $kind export back"
	[ "$RC" = 0 ] || diag "$ERR"
done
for kind in $kinds; do
	run export "$kind" --workspace "$dst" --output "$WORK/b_$kind.csv"
	if cmp -s "$WORK/a_$kind.csv" "$WORK/b_$kind.csv"; then
		pass "round trip: the $kind of both workspaces export the same bytes"
	else
		fail "round trip: the $kind of both workspaces export the same bytes" \
			"$(diff "$WORK/a_$kind.csv" "$WORK/b_$kind.csv" | head -n 20)"
	fi
done
check_eq "$(wc -l <"$WORK/a_products.csv")" 5 "the products export has the header and 3 products, one over two lines"
check_eq "$(head -n 1 "$WORK/a_stock.csv" | tr -d '\r')" "globalSku,locationCode,lotNumber,binName,quantityOnHand" \
	"the stock export has import's columns"
check_eq "$(sql "SELECT GROUP_CONCAT(CONCAT(p.global_sku, ':', s.qty_on_hand) ORDER BY s.id)
	FROM stock_lines s JOIN products p ON p.id = s.product_id JOIN workspaces w ON w.id = s.workspace_id
	WHERE w.slug = '$dst'")" "RT-1:12,RT-1:3,RT-2:40,RT-3:7" "the second workspace holds the same stock"
run export bins --workspace "$src" --location RT-W --output "$WORK/a_bins_w.csv"
check_eq "$(wc -l <"$WORK/a_bins_w.csv")" 3 "export bins --location keeps the location's bins"

# ---------------------------------------------------------------- database down (last)

_stack_stop_db "$TEST_DIR"
run import products "$WORK/names.csv" --workspace "$slug"
check_rc 3 "import with the database stopped exits 3"
check_err "unable to reach the database" "and says the database cannot be reached"
run export products --workspace "$slug" --output "$WORK/down.csv"
check_rc 3 "export with the database stopped exits 3"
run workspace list
check_rc 3 "any command that needs the database exits 3"
_stack_start_db "$TEST_DIR" >/dev/null
for _ in $(seq 1 50); do
	api GET /health "" -
	[ "$STATUS" = 200 ] && break
	sleep 0.2
done
check_status 200 "the API recovers when the database is back"
run import products "$WORK/names.csv" --workspace "$slug"
check_rc 0 "import works again"

done_testing
