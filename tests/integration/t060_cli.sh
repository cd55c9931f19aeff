#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# inventoryctl: help, migrate, workspace, apikey, token and import.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t060.XXXXXX")

OUT=""
RC=0
# run ARGS...: runs inventoryctl, sets OUT (stdout and stderr) and RC.
run() {
	RC=0
	OUT=$(ctl "$@" 2>&1) || RC=$?
}
# check_rc EXPECTED DESC: EXPECTED is 0 or "nonzero".
check_rc() {
	if { [ "$1" = 0 ] && [ "$RC" -eq 0 ]; } || { [ "$1" = nonzero ] && [ "$RC" -ne 0 ]; }; then
		pass "$2"
	else
		fail "$2" "exit status $RC, expected $1" "output: $OUT"
	fi
}
# check_out REGEX DESC: OUT matches the extended regex.
check_out() {
	if grep -Eq -- "$1" <<<"$OUT"; then
		pass "$2"
	else
		fail "$2" "output does not match /$1/:" "$OUT"
	fi
}
check_out_not() {
	if grep -Fq -- "$1" <<<"$OUT"; then
		fail "$2" "output contains '$1':" "$OUT"
	else
		pass "$2"
	fi
}

# ---------------------------------------------------------------- help

run --help
check_rc 0 "inventoryctl --help exits 0"
check_out '^usage: inventoryctl' "inventoryctl --help prints the usage"
check_out 'import KIND FILE' "the usage lists the commands"
for cmd in migrate workspace apikey token import; do
	run "$cmd" --help
	check_rc 0 "inventoryctl $cmd --help exits 0"
	check_out "usage: inventoryctl $cmd" "inventoryctl $cmd --help prints its usage"
done
run import --help
check_out 'stock +[*]globalSku,[*]locationCode,lotNumber,binName,[*]quantityOnHand' "import --help lists the stock columns"
RC=0
OUT=$(inventoryctl 2>&1) || RC=$?
check_rc nonzero "inventoryctl without a command fails"
check_out '^usage: inventoryctl' "and prints the usage"
run frobnicate
check_rc nonzero "an unknown command fails"
check_out "unknown command 'frobnicate'" "and names the command"
# Every command the list names answers its own --help.
for words in $(ctl --help | sed -n 's/^  \([a-z]\+\)\( \([a-z]\+\)\)\?\( .*\)\?$/\1:\3/p' | grep -v '^:'); do
	cmd=${words%%:*} sub=${words#*:}
	run "$cmd" ${sub:+"$sub"} --help
	check_rc 0 "inventoryctl $cmd${sub:+ $sub} --help exits 0"
	check_out "^usage: inventoryctl $cmd${sub:+ $sub}" "inventoryctl $cmd${sub:+ $sub} --help prints its usage"
done
run openapi --help
check_out_not '"openapi"' "openapi --help prints the usage, not the document"
run workspace create --help
check_out_not 'workspace list' "workspace create --help shows create only"
RC=0
OUT=$(ctl workspace 2>/dev/null) || RC=$?
check_rc nonzero "a command without its subcommand fails"
check_eq "$OUT" "" "and prints its usage on stderr, not stdout"
run workspace
check_out '^usage: inventoryctl workspace create' "the usage names the subcommands"
for cmd in workspace apikey ledger; do
	run "$cmd" frob --workspace no-such-ws
	check_rc nonzero "an unknown $cmd subcommand fails"
	check_out "unknown $cmd command 'frob'" "and names the subcommand before anything else"
done
RC=0
OUT=$(INVENTORY_CONF=/nonexistent inventoryctl ledger frob 2>&1) || RC=$?
check_out "unknown ledger command 'frob'" "an unknown subcommand is found without the configuration"

# ---------------------------------------------------------------- migrate

RC=0
OUT=$(cd "$REPO" && ctl migrate --dir sql/migrations 2>&1) || RC=$?
check_rc 0 "migrate --dir sql/migrations again exits 0"
check_out '^0 migrations applied' "a second migrate applies 0 migrations"
check_out_not 'applied 0' "and applies no file"
run migrate --dir "$WORK/no-such-dir"
check_rc nonzero "migrate from a missing directory fails"

# ---------------------------------------------------------------- workspace

slug=$(uniq_slug cli)
run workspace create "$slug" --name "CLI test"
check_rc 0 "workspace create exits 0"
check_out '^id: ws_[0-9]+$' "workspace create prints id: ws_N"
check_out "^slug: $slug\$" "workspace create prints the slug"
WS_ID=$(sed -n 's/^id: *//p' <<<"$OUT")
run workspace create "$slug"
check_rc nonzero "creating the same workspace twice fails"
check_out "already exists" "the second create says already exists"
for bad in "Bad-Slug" "has space" "semi;colon" "$(printf 'x%.0s' {1..65})" ""; do
	run workspace create "$bad"
	check_rc nonzero "the invalid slug '${bad:0:20}' is rejected"
done
run workspace create "ABC-$(openssl rand -hex 3)"
check_out "invalid slug" "the rejection says invalid slug"
run workspace list
check_rc 0 "workspace list exits 0"
check_out "^$WS_ID	$slug	CLI test\$" "workspace list shows the workspace, its slug and name"

# ---------------------------------------------------------------- apikey

run apikey create --workspace "$slug" --permissions inventory.read --name "cli key"
check_rc 0 "apikey create exits 0"
check_out '^id: key_[0-9]+$' "apikey create prints id: key_N"
check_out '^key: ik_' "apikey create prints key: ik_..."
KEY_ID=$(sed -n 's/^id: *//p' <<<"$OUT")
KEY=$(sed -n 's/^key: *//p' <<<"$OUT")
check_eq "${#KEY}" 67 "the key is 67 characters long"
api GET /inventory "" "$KEY"
check_status 200 "the new key works against GET /inventory"
check_json .pagination.total 0 "and sees the empty workspace"
api GET /products "" "$KEY"
check_status 403 "the key has only its permissions (no products.read)"

run apikey list --workspace "$slug"
check_rc 0 "apikey list exits 0"
check_out "^$KEY_ID	cli key	${KEY:0:10}" "apikey list shows the key id, name and prefix"
check_out_not "$KEY" "apikey list never shows the full key"
check_out_not "${KEY:10}" "apikey list shows nothing of the key past its prefix"
run apikey list
check_rc nonzero "apikey list without --workspace fails"
run apikey create --workspace "$slug"
check_rc nonzero "apikey create without --permissions fails"
run apikey create --workspace "$slug" --permissions 'inventory.re ad'
check_rc nonzero "apikey create with an invalid permission fails"
run apikey create --workspace "$slug" --permissions inventory.raed,products.read --name typo
check_rc nonzero "apikey create with an unknown permission fails"
check_out "^error: unknown permission 'inventory.raed'" "and names the unknown permission"
check_out_not "products.read'" "but not the known one"
check_eq "$(sql "SELECT COUNT(*) FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id WHERE w.slug = '$slug' AND k.name = 'typo'")" 0 "and makes no key"
run apikey create --workspace "$slug" --permissions 'inventory:*,stockrequests.approve,*' --name known
check_rc 0 "apikey create with a family, a known permission and '*' exits 0"
check_out_not "error" "and refuses none of them"
run apikey create --workspace "$slug" --permissions 'invetnory.*' --name family-typo
check_rc nonzero "apikey create with a family that grants nothing fails"
check_out "unknown permission 'invetnory.[*]'" "and names it"
run token --workspace "$slug" --user u1 --permissions transfers.raed
check_rc nonzero "token with an unknown permission fails"
check_out "^error: unknown permission 'transfers.raed'" "and names the unknown permission"
run apikey create --workspace "$slug" --permissions inventory.read --roles overlord
check_rc nonzero "apikey create with an unknown role fails"
run apikey create --workspace "no-such-ws-$(openssl rand -hex 4)" --permissions inventory.read
check_rc nonzero "apikey create for an unknown workspace fails"
check_out "no workspace" "and says there is no such workspace"

run apikey revoke "$KEY_ID"
check_rc 0 "apikey revoke exits 0"
check_out "revoked $KEY_ID" "apikey revoke confirms"
refused=0
for _ in $(seq 1 33); do
	api GET /inventory "" "$KEY"
	if [ "$STATUS" = 401 ]; then
		refused=1
		break
	fi
	sleep 2
done
check_eq "$refused" 1 "the revoked key is refused (401) within 65 seconds"
check_json .error Unauthorized "the refusal is Unauthorized"
run apikey list --workspace "$slug"
check_out "^$KEY_ID	.*	[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+\$" "apikey list shows when the key was revoked"
run apikey revoke "$KEY_ID"
check_rc nonzero "revoking the key again fails"
run apikey revoke key_999999999
check_rc nonzero "revoking an unknown key fails"
check_out "no active API key" "and says so"
run apikey revoke bogus
check_rc nonzero "revoking a malformed id fails"
run apikey frobnicate --workspace "$slug"
check_rc nonzero "an unknown apikey command fails"

# ---------------------------------------------------------------- token

run token --workspace "$slug" --user u1 --permissions inventory.read --ttl 1
check_rc 0 "token --ttl 1 exits 0"
SHORT=$OUT
check_true "$(grep -Eq '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' <<<"$SHORT" && echo true || echo false)" \
	"the token is a JWT (three base64url parts)"
api GET /inventory "" "$SHORT"
check_status 200 "a token made with --ttl 1 is accepted"
run token --workspace "$slug" --user u1 --permissions inventory.read --ttl 0
check_rc nonzero "token --ttl 0 is rejected"
check_out 'ttl must be' "the rejection explains --ttl"
run token --workspace "$slug" --user u1 --permissions inventory.read --ttl abc
check_rc nonzero "token --ttl abc is rejected"
run token --workspace "$slug" --permissions inventory.read
check_rc nonzero "token without --user fails"
run token --workspace "no-such-ws-$(openssl rand -hex 4)" --user u1 --permissions inventory.read
check_rc nonzero "token for an unknown workspace fails"
run token --workspace "$slug" --user u1 --permissions products.read
api GET /inventory "" "$OUT"
check_status 403 "a token without inventory.read gets 403 on /inventory"

run token --workspace none --user admin --permissions '*'
check_rc 0 "token --workspace none exits 0"
api GET /inventory "" "$OUT"
check_status 403 "a token without workspace gets 403 on /inventory"
check_json .message "Not available in SuperAdmin" "the message is Not available in SuperAdmin"
check_json .error Forbidden "the error is Forbidden"

# ---------------------------------------------------------------- import

TOKEN=$(new_key "$slug" products.read,locations.read,inventory.read)
products_total() {
	api GET /products
	jq -r .pagination.total <<<"$BODY"
}

cat >"$WORK/products.csv" <<'EOF'
globalSku,name,category,unitCost,lotControlled,expiryTracked
CLI-1,"Widget, large",Tools,5.5,false,false
CLI-2,"Say ""hi""",,1,no,0
CLI-3,Plain,Tools,,,
EOF
run import products "$WORK/products.csv" --workspace "$slug"
check_rc 0 "import products exits 0"
check_out 'imported 3 products' "import reports 3 products"
check_eq "$(products_total)" 3 "the workspace has 3 products"
api GET "/products?globalSku=CLI-1"
check_json '.items[0] | [.name, .unitCost] | map(tostring) | join("|")' "Widget, large|5.5" \
	"a quoted cell keeps its comma"
check_true '.items[0].categoryId | startswith("cat_")' "the category column creates the category"
api GET "/products?globalSku=CLI-2"
check_json '.items[0].name' 'Say "hi"' "doubled quotes in a quoted cell are one quote"
api GET "/products?globalSku=CLI-3"
check_json '.items[0] | [.unitCost, .lotControlled] | map(tostring) | join("|")' "0|false" \
	"empty optional cells take the defaults"

run import products "$WORK/products.csv" --workspace "$slug"
check_rc 0 "importing the same file again exits 0"
check_eq "$(products_total)" 3 "importing the same file twice does not duplicate"
sed -i 's/^CLI-1,"Widget, large",Tools,5.5/CLI-1,"Widget, larger",Tools,6.75/' "$WORK/products.csv"
run import products "$WORK/products.csv" --workspace "$slug"
check_rc 0 "importing the changed file exits 0"
api GET "/products?globalSku=CLI-1"
check_json '[.pagination.total, .items[0].name, .items[0].unitCost] | map(tostring) | join("|")' \
	"1|Widget, larger|6.75" "the re-import updates the existing product"

cat >"$WORK/bad_products.csv" <<'EOF'
globalSku,name,unitCost
CLI-NEW-1,Fine product,2
CLI-NEW-2,Bad cost,abc
CLI-NEW-3,Never read,3
EOF
before=$(products_total)
run import products "$WORK/bad_products.csv" --workspace "$slug"
check_rc nonzero "a products file with a bad unitCost on line 3 fails"
check_out "bad_products.csv:3:" "the error names line 3"
check_out "unitCost" "the error names unitCost"
check_eq "$(products_total)" "$before" "the failed import leaves the product total unchanged"
api GET "/products?globalSku=CLI-NEW-1"
check_json .pagination.total 0 "line 2's product was not written"

# unitCost must be a decimal number: strtod's "inf" and "nan" are not.
for bad in inf nan; do
	printf 'globalSku,name,unitCost\nCLI-%s,Not a cost,%s\n' "$bad" "$bad" >"$WORK/cost_$bad.csv"
	run import products "$WORK/cost_$bad.csv" --workspace "$slug"
	check_rc nonzero "a products file with unitCost \"$bad\" fails"
	check_out "cost_$bad.csv:2:" "the unitCost \"$bad\" error names line 2"
	api GET "/products?globalSku=CLI-$bad"
	check_json .pagination.total 0 "no product with unitCost \"$bad\" was written"
done

printf 'code,name\nCLI-WH,CLI Warehouse\n' >"$WORK/locations.csv"
run import locations "$WORK/locations.csv" --workspace "$slug"
check_rc 0 "import locations exits 0"
api GET /inventory
inv_before=$(jq -r .pagination.total <<<"$BODY")
cat >"$WORK/bad_stock.csv" <<'EOF'
globalSku,locationCode,quantityOnHand
CLI-1,CLI-WH,10
CLI-2,CLI-WH,20
NO-SUCH-SKU,CLI-WH,30
CLI-3,CLI-WH,40
EOF
run import stock "$WORK/bad_stock.csv" --workspace "$slug"
check_rc nonzero "a stock file naming an unknown SKU on line 4 fails"
check_out "bad_stock.csv:4:" "the error names line 4"
check_out "NO-SUCH-SKU" "the error names the SKU"
api GET /inventory
check_json .pagination.total "$inv_before" "the failed stock import wrote no stock line"
check_eq "$inv_before" 0 "the workspace had no stock before"

printf 'globalSku,locationCode,quantityOnHand\nCLI-1,CLI-WH,10\nCLI-2,CLI-WH,20\n' >"$WORK/stock.csv"
run import stock "$WORK/stock.csv" --workspace "$slug"
check_rc 0 "a good stock file imports"
api GET /inventory
check_json '[.items[].quantityOnHand] | map(tostring) | join(" ")' "10 20" "the stock lines hold the imported quantities"

# Stock import follows record-stock's rules for lots, bins and lot control.
printf 'globalSku,name,lotControlled\nCLI-L,Lotted,true\n' >"$WORK/lotted.csv"
printf 'globalSku,lotNumber\nCLI-L,L-1\n' >"$WORK/lots.csv"
printf 'locationCode,name\nCLI-WH,BIN-1\n' >"$WORK/bins.csv"
run import products "$WORK/lotted.csv" --workspace "$slug"
check_rc 0 "import a lot-controlled product"
run import lots "$WORK/lots.csv" --workspace "$slug"
check_rc 0 "import its lot"
run import bins "$WORK/bins.csv" --workspace "$slug"
check_rc 0 "import a bin"
stock_rule() { # CSV-ROW ERROR DESC
	printf 'globalSku,locationCode,lotNumber,binName,quantityOnHand\nCLI-1,CLI-WH,,,10\n%s\n' "$1" \
		>"$WORK/rule.csv"
	run import stock "$WORK/rule.csv" --workspace "$slug"
	check_rc nonzero "$3: the import fails"
	check_out "^error: .*rule.csv:3: $2\$" "$3: the error names line 3 and the rule"
	check_out "^nothing was imported\$" "$3: nothing was imported"
}
stock_rule "CLI-L,CLI-WH,,,5" "product 'CLI-L' is lot-controlled: lotNumber is required" \
	"a lot-controlled product without a lot"
stock_rule "CLI-L,CLI-WH,L-9,,5" "no lot 'L-9' of this product" "a lot the product does not have"
stock_rule "CLI-1,CLI-WH,,NO-BIN,5" "no bin 'NO-BIN' in this location" "a bin the location does not have"
check_eq "$(sql "SELECT COUNT(*) FROM lots WHERE lot_number = 'L-9'")" 0 "the import creates no lot"
printf 'globalSku,locationCode,lotNumber,binName,quantityOnHand\nCLI-L,CLI-WH,L-1,BIN-1,6\n' \
	>"$WORK/lotted_stock.csv"
run import stock "$WORK/lotted_stock.csv" --workspace "$slug"
check_rc 0 "stock of an existing lot in a bin of the location imports"
api GET "/products?globalSku=CLI-L"
api GET "/inventory?productMasterId=$(jq -r '.items[0].id' <<<"$BODY")"
check_json '.items | map([.lotNumber, .binName, .quantityOnHand] | map(tostring) | join(" ")) | join(",")' \
	"L-1 BIN-1 6" "the line has the lot, the bin and 6 on hand"
lotted_txns() {
	sql "SELECT COUNT(*) FROM stock_transactions t JOIN products p ON p.id = t.product_id
	     WHERE p.global_sku = 'CLI-L' AND t.transaction_type = 'IMPORT'"
}
check_eq "$(lotted_txns)" 1 "one IMPORT transaction"
run import stock "$WORK/lotted_stock.csv" --workspace "$slug"
check_rc 0 "importing the same stock again exits 0"
check_eq "$(lotted_txns)" 1 "an unchanged quantity posts no transaction"

printf 'globalSku,unitCost\nCLI-9,1\n' >"$WORK/no_name.csv"
run import products "$WORK/no_name.csv" --workspace "$slug"
check_rc nonzero "a products file without the name column fails"
check_out "no column 'name'" "the error names the missing column"
api GET "/products?globalSku=CLI-9"
check_json .pagination.total 0 "nothing of it was written"

printf 'globalSku,name\nCLI-10,\n' >"$WORK/empty_name.csv"
run import products "$WORK/empty_name.csv" --workspace "$slug"
check_rc nonzero "an empty required cell fails"
check_out "empty_name.csv:2:" "the error names line 2"

printf 'globalSku,name\nCLI-11,"unbalanced\n' >"$WORK/unbalanced.csv"
run import products "$WORK/unbalanced.csv" --workspace "$slug"
check_rc nonzero "an unbalanced quote fails"

run import gizmos "$WORK/products.csv" --workspace "$slug"
check_rc nonzero "an unknown import kind fails"
check_out "unknown import kind 'gizmos'" "the error names the kind"
run import products "$WORK/missing.csv" --workspace "$slug"
check_rc nonzero "importing a missing file fails"
run import products "$WORK/products.csv"
check_rc nonzero "import without --workspace fails"
run import products "$WORK/products.csv" --workspace "no-such-ws-$(openssl rand -hex 4)"
check_rc nonzero "import into an unknown workspace fails"

done_testing
