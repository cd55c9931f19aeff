#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Master data: products, categories, locations, bins, channels, lots and
# reason codes. Create, get, list (pagination, filters, search), update,
# validation, uniqueness, references across workspaces and permissions.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?Z$'
ALL_PERMS=products.read,products.write,locations.read,locations.write,channels.read,channels.write,inventory.read,inventory.write,reasoncodes.read,reasoncodes.write

slug=$(uniq_slug master)
new_workspace "$slug" "Master data test" >/dev/null
TOKEN=$(new_key "$slug" "$ALL_PERMS")

# A second workspace whose objects must stay invisible to the first.
slug2=$(uniq_slug master-other)
new_workspace "$slug2" >/dev/null
TOKEN2=$(new_key "$slug2" "$ALL_PERMS")

# id_of: the id of the last response.
id_of() { jq -r .id <<<"$BODY"; }

# check_id_prefix PREFIX DESC: the last response's id is PREFIX_N.
check_id_prefix() {
	check_true ".id | test(\"^$1_[0-9]+$\")" "$2"
}

# check_timestamps DESC: createdAt and updatedAt are ISO date-times (UTC).
check_timestamps() {
	check_true "(.createdAt | test(\"$ISO_RE\")) and (.updatedAt | test(\"$ISO_RE\"))" "$1"
}

# check_field_error FIELD DESC: a 400 whose details[0].field is FIELD.
check_field_error() {
	check_status 400 "$2: status 400"
	check_json '.details[0].field' "$1" "$2: details[0].field is $1"
}

# check_pages PATH DESC IDS...: PATH lists exactly the 3 objects IDS;
# limit=2 gives 2 items then 1, covering all of them once.
check_pages() {
	local path=$1 desc=$2 sep='?' got
	shift 2
	[[ $path == *\?* ]] && sep='&'
	api GET "$path${sep}limit=2"
	check_status 200 "$desc: page 1 with limit=2 is 200"
	check_json '.items | length' 2 "$desc: page 1 has 2 items"
	check_json '[.pagination.page, .pagination.pageSize, .pagination.total, .pagination.totalPages] | map(tostring) | join(",")' \
		"1,2,3,2" "$desc: pagination is page 1, pageSize 2, total 3, totalPages 2"
	got=$(jq -r '[.items[].id] | join(" ")' <<<"$BODY")
	api GET "$path${sep}limit=2&page=2"
	check_status 200 "$desc: page 2 is 200"
	check_json '.items | length' 1 "$desc: page 2 has 1 item"
	check_json .pagination.page 2 "$desc: page 2 says page 2"
	got="$got $(jq -r '[.items[].id] | join(" ")' <<<"$BODY")"
	check_eq "$got" "$*" "$desc: the two pages list the 3 objects once, ordered by id"
	api GET "$path${sep}limit=2&page=3"
	check_json '.items | length' 0 "$desc: page 3 is empty"
}

# ================================================================ categories

api POST /categories '{"name": "Beverages"}'
check_status 201 "POST /categories is 201"
check_id_prefix cat "a category id is cat_N"
check_json .name Beverages "the category name is echoed"
check_timestamps "a category has createdAt and updatedAt"
CAT1=$(id_of)
api POST /categories '{"name": "Snacks"}'
CAT2=$(id_of)
api POST /categories '{"name": "Frozen food"}'
CAT3=$(id_of)
check_status 201 "the third category is created"

api GET "/categories/$CAT1"
check_status 200 "GET /categories/{id} is 200"
check_json '.id + " " + .name' "$CAT1 Beverages" "GET returns the category"

check_pages /categories "categories" "$CAT1" "$CAT2" "$CAT3"

api GET "/categories?search=nack"
check_json '[.pagination.total, .items[0].id] | map(tostring) | join(" ")' "1 $CAT2" \
	"categories ?search= matches a substring of the name"

api PATCH "/categories/$CAT3" '{"name": "Frozen"}'
check_status 200 "PATCH /categories/{id} is 200"
check_json .name Frozen "the category is renamed"
check_true ".updatedAt | test(\"$ISO_RE\")" "the renamed category has updatedAt"

api POST /categories '{"name": "Snacks"}'
check_status 409 "a duplicate category name is 409"
check_json .error Conflict "the duplicate category error is Conflict"

api POST /categories '{}'
check_field_error name "a category without name"
api POST /categories '{"name": 5}'
check_field_error name "a category with a numeric name"
api POST /categories "{\"name\": \"$(printf 'c%.0s' {1..201})\"}"
check_field_error name "a category name of 201 characters"

api GET /categories/cat_999999999
check_status 404 "GET of an unknown category is 404"
check_json .error "Category not found" "the error is Category not found"

# ================================================================ products

api POST /products "{\"globalSku\": \"SKU-1\", \"name\": \"Widget\", \"categoryId\": \"$CAT1\",
	\"unitCost\": 10.5, \"lotControlled\": true, \"expiryTracked\": true}"
check_status 201 "POST /products is 201"
check_id_prefix prod "a product id is prod_N"
check_json '[.globalSku, .name, .categoryId, .unitCost, .lotControlled, .expiryTracked] | map(tostring) | join("|")' \
	"SKU-1|Widget|$CAT1|10.5|true|true" "every product field is echoed"
check_timestamps "a product has createdAt and updatedAt"
P1=$(id_of)

api POST /products '{"globalSku": "SKU-2", "name": "Gadget"}'
check_status 201 "a product with only the required fields is 201"
check_json '[.categoryId, .unitCost, .lotControlled, .expiryTracked] | map(tostring) | join("|")' \
	"null|0|false|false" "the product defaults are no category, cost 0, not lot-controlled, no expiry"
P2=$(id_of)

api POST /products "{\"globalSku\": \"SKU-3\", \"name\": \"Widget, large\", \"categoryId\": \"$CAT1\", \"unitCost\": 3}"
check_status 201 "the third product is created"
P3=$(id_of)

api GET "/products/$P1"
check_status 200 "GET /products/{id} is 200"
check_json '[.id, .globalSku, .name, .unitCost] | map(tostring) | join("|")' "$P1|SKU-1|Widget|10.5" \
	"GET returns the stored product"

check_pages /products "products" "$P1" "$P2" "$P3"

api GET "/products?globalSku=SKU-2"
check_status 200 "GET /products?globalSku= is 200"
check_json '[.pagination.total, .items[0].id] | map(tostring) | join(" ")' "1 $P2" \
	"?globalSku= finds exactly that product"
api GET "/products?globalSku=SKU-404"
check_json .pagination.total 0 "?globalSku= of an unknown SKU finds nothing"

api GET "/products?categoryId=$CAT1"
check_json '[.items[].id] | join(" ")' "$P1 $P3" "?categoryId= lists the products of the category"
check_json .pagination.total 2 "?categoryId= counts 2"
api GET "/products?categoryId=$CAT2"
check_json .pagination.total 0 "?categoryId= of an empty category counts 0"
api GET "/products?categoryId=cat_x"
check_field_error categoryId "?categoryId=cat_x"

api GET "/products?search=Widget"
check_json '[.items[].id] | join(" ")' "$P1 $P3" "products ?search= matches names"
api GET "/products?search=SKU-2"
check_json '[.items[].id] | join(" ")' "$P2" "products ?search= matches SKUs"
api GET "/products?search=Widget%2C%20l"
check_json '[.items[].id] | join(" ")' "$P3" "products ?search= with an encoded comma and space"
# search is a substring match: LIKE's wildcards in it are plain characters.
api GET "/products?search=%25"
check_json .pagination.total 0 "?search=% matches no product (no name or SKU holds a %)"
api GET "/products?search=_"
check_json .pagination.total 0 "?search=_ matches no product (no name or SKU holds a _)"
api GET "/products?search=Widget&categoryId=$CAT1&limit=1"
check_json '[.pagination.total, .pagination.totalPages, (.items | length)] | map(tostring) | join(" ")' \
	"2 2 1" "search, filter and limit combine"

api PATCH "/products/$P1" '{"name": "Widget v2", "unitCost": 12.25}'
check_status 200 "PATCH /products/{id} is 200"
check_json '[.name, .unitCost] | map(tostring) | join("|")' "Widget v2|12.25" "the patched fields change"
check_json '[.globalSku, .categoryId, .lotControlled, .expiryTracked] | map(tostring) | join("|")' \
	"SKU-1|$CAT1|true|true" "the fields not in the PATCH are kept"
check_true ".updatedAt | test(\"$ISO_RE\")" "the patched product has updatedAt"
api GET "/products/$P1"
check_json '[.name, .unitCost, .globalSku] | map(tostring) | join("|")' "Widget v2|12.25|SKU-1" \
	"GET shows the patched product"

api PATCH "/products/$P3" '{"categoryId": null}'
check_status 200 "PATCH categoryId null is 200"
check_json .categoryId null "categoryId null removes the category"

# ---- validation

api POST /products '{"name": "No SKU"}'
check_field_error globalSku "a product without globalSku"
check_json .error "Invalid request data" "a validation error is Invalid request data"
api POST /products '{"globalSku": "SKU-X"}'
check_field_error name "a product without name"
api POST /products '{"globalSku": 42, "name": "Numeric SKU"}'
check_field_error globalSku "a numeric globalSku"
check_true '.message | test("string")' "the message says globalSku must be a string"
api POST /products '{"globalSku": "SKU-X", "name": "X", "unitCost": "abc"}'
check_field_error unitCost "unitCost \"abc\""
api POST /products '{"globalSku": "SKU-X", "name": "X", "lotControlled": "yes"}'
check_field_error lotControlled "lotControlled \"yes\""
api POST /products '{"globalSku": "", "name": "X"}'
check_field_error globalSku "an empty globalSku"
long_sku=$(printf 'S%.0s' {1..101})
api POST /products "{\"globalSku\": \"$long_sku\", \"name\": \"Long\"}"
check_field_error globalSku "a globalSku of 101 characters"
api POST /products "{\"globalSku\": \"${long_sku:1}\", \"name\": \"Long\"}"
check_status 201 "a globalSku of exactly 100 characters is accepted"
check_json '.globalSku | length' 100 "the 100-character SKU is stored whole"
api POST /products '{"globalSku": "SKU-1", "name": "Again"}'
check_status 409 "the same globalSku twice is 409"
check_json .error Conflict "the duplicate SKU error is Conflict"
api PATCH "/products/$P2" '{"globalSku": "SKU-1"}'
check_status 409 "PATCH to another product's globalSku is 409"
api GET "/products/$P2"
check_json .globalSku SKU-2 "the product keeps its SKU after the 409"
api PATCH "/products/$P2" '{"name": null}'
check_field_error name "PATCH name null"
api POST /products '{"globalSku": "SKU-X", "name": "X"' # unterminated
check_status 400 "a body that is not JSON is 400"
check_json .error "Invalid JSON" "the error is Invalid JSON"

# ---- references

api POST /categories '{"name": "Theirs"}' "$TOKEN2"
OTHER_CAT=$(id_of)
api POST /products '{"globalSku": "THEIR-1", "name": "Their product"}' "$TOKEN2"
OTHER_PROD=$(id_of)
check_true '.id | startswith("prod_")' "the other workspace has a product"

api POST /products "{\"globalSku\": \"SKU-X\", \"name\": \"X\", \"categoryId\": \"$OTHER_CAT\"}"
check_status 404 "a categoryId of another workspace is 404"
check_json .error "Category not found" "the error is Category not found"
api POST /products '{"globalSku": "SKU-X", "name": "X", "categoryId": "cat_999999999"}'
check_status 404 "an unknown categoryId is 404"
api GET "/products?globalSku=SKU-X"
check_json .pagination.total 0 "no product was created by the refused requests"
api PATCH "/products/$P2" "{\"categoryId\": \"$OTHER_CAT\"}"
check_status 404 "PATCH to a categoryId of another workspace is 404"
api GET "/products/$P2"
check_json .categoryId null "the product keeps its category after the 404"

api GET "/products/$OTHER_PROD"
check_status 404 "GET of another workspace's product is 404"
api PATCH "/products/$OTHER_PROD" '{"name": "Stolen"}'
check_status 404 "PATCH of another workspace's product is 404"
api GET "/products/$OTHER_PROD" "" "$TOKEN2"
check_json .name "Their product" "the other workspace's product is unchanged"
api GET /products "" "$TOKEN2"
check_json '[.items[].id] | join(" ")' "$OTHER_PROD" "the other workspace lists only its own product"

api GET /products/prod_999999999
check_status 404 "GET of an unknown product is 404"
check_json .error "Product not found" "the error is Product not found"
api GET /products/prod_x
check_status 404 "GET /products/prod_x is 404"
api GET /products/42
check_status 404 "GET /products/42 is 404"
api GET "/products/${P1/prod_/prod_0}"
check_status 404 "an id written with a leading zero is not an alias (404)"
api GET "/products/${P1/prod_/loc_}"
check_status 404 "GET /products/ with a location-prefixed id is 404"
api PATCH /products/prod_999999999 '{"name": "Nobody"}'
check_status 404 "PATCH of an unknown product is 404"

# ---- paging parameters

api GET "/products?page=0"
check_field_error page "page=0"
api GET "/products?page=-1"
check_field_error page "page=-1"
api GET "/products?limit=abc"
check_field_error limit "limit=abc"
api GET "/products?limit=0"
check_field_error limit "limit=0"
api GET "/products?page=abc"
check_field_error page "page=abc"
api GET "/products?limit=1000"
check_status 200 "limit=1000 is 200"
check_json .pagination.pageSize 100 "limit=1000 is clamped to 100"
api GET /products
check_json .pagination.pageSize 20 "the default pageSize is 20"
check_json .pagination.page 1 "the default page is 1"
api GET "/products?page=99"
check_json '[(.items | length), .pagination.total] | map(tostring) | join(" ")' "0 4" \
	"a page past the end is empty but counts the total"
# 300 characters of two bytes each: longer than the responder's first read
# of a cell, so it is read again whole.
long_name=$(printf '\xc3\xa9%.0s' {1..300})
api POST /products "{\"globalSku\": \"SKU-LONG-NAME\", \"name\": \"$long_name\"}"
check_status 201 "a name of 300 two-byte characters is accepted"
check_json .name "$long_name" "the 600-byte name is answered whole"
api GET "/products?search=SKU-LONG-NAME"
check_json .items[0].name "$long_name" "and listed whole"

# ================================================================ locations

api POST /locations '{"code": "WH1", "name": "Main Warehouse", "type": "WAREHOUSE"}'
check_status 201 "POST /locations is 201"
check_id_prefix loc "a location id is loc_N"
check_json '[.code, .name, .type, .isDestruction] | map(tostring) | join("|")' \
	"WH1|Main Warehouse|WAREHOUSE|false" "every location field is echoed"
check_timestamps "a location has createdAt and updatedAt"
L1=$(id_of)
api POST /locations '{"code": "ST1", "name": "Store One", "type": "STORE"}'
L2=$(id_of)
api POST /locations '{"code": "DX1", "name": "Destruction yard", "type": "DESTRUCTION", "isDestruction": true}'
check_status 201 "the third location is created"
check_json '[.type, .isDestruction] | map(tostring) | join("|")' "DESTRUCTION|true" "isDestruction is stored"
L3=$(id_of)

api GET "/locations/$L2"
check_status 200 "GET /locations/{id} is 200"
check_json '[.id, .code, .name, .type] | join("|")' "$L2|ST1|Store One|STORE" "GET returns the location"

check_pages /locations "locations" "$L1" "$L2" "$L3"

api GET "/locations?type=STORE"
check_json '[.pagination.total, .items[0].id] | map(tostring) | join(" ")' "1 $L2" "?type=STORE finds the store"
api GET "/locations?type=CLINIC"
check_json .pagination.total 0 "?type=CLINIC finds none"
api GET "/locations?type=CASTLE"
check_field_error type "?type=CASTLE"
api GET "/locations?code=DX1"
check_json '[.items[].id] | join(" ")' "$L3" "?code= finds the location"
api GET "/locations?search=Store"
check_json '[.items[].id] | join(" ")' "$L2" "locations ?search= matches names"
api GET "/locations?search=WH"
check_json '[.items[].id] | join(" ")' "$L1" "locations ?search= matches codes"

api POST /locations '{"code": "VX1", "name": "Default type"}'
check_status 201 "a location without type is 201"
check_json .type WAREHOUSE "the default location type is WAREHOUSE"
L4=$(id_of)

api PATCH "/locations/$L1" '{"name": "Central Warehouse"}'
check_status 200 "PATCH /locations/{id} is 200"
check_json '[.name, .code, .type] | join("|")' "Central Warehouse|WH1|WAREHOUSE" \
	"the name changes, code and type are kept"
check_true ".updatedAt | test(\"$ISO_RE\")" "the patched location has updatedAt"
api PATCH "/locations/$L4" '{"type": "CLINIC"}'
check_json .type CLINIC "PATCH changes the type"
api PATCH "/locations/$L4" '{"type": "CASTLE"}'
check_field_error type "PATCH type CASTLE"
api GET "/locations/$L4"
check_json .type CLINIC "the location keeps its type after the 400"

api POST /locations '{"code": "XX", "name": "Bad type", "type": "CASTLE"}'
check_field_error type "a location type not allowed"
api POST /locations '{"code": "XX", "name": "Lower case", "type": "store"}'
check_field_error type "a lower-case location type"
api POST /locations '{"name": "No code"}'
check_field_error code "a location without code"
api POST /locations '{"code": "XX", "name": "X", "isDestruction": "no"}'
check_field_error isDestruction "isDestruction \"no\""
api POST /locations "{\"code\": \"$(printf 'C%.0s' {1..65})\", \"name\": \"Long code\"}"
check_field_error code "a location code of 65 characters"
api POST /locations '{"code": "WH1", "name": "Same code"}'
check_status 409 "the same location code twice is 409"
api PATCH "/locations/$L2" '{"code": "WH1"}'
check_status 409 "PATCH to another location's code is 409"
api POST /locations '{"code": "WH1", "name": "Their warehouse"}' "$TOKEN2"
check_status 201 "another workspace may use the same location code"
OTHER_LOC=$(id_of)

api GET /locations/loc_999999999
check_status 404 "GET of an unknown location is 404"
check_json .error "Location not found" "the error is Location not found"
api GET /locations/loc_x
check_status 404 "GET /locations/loc_x is 404"
api GET /locations/42
check_status 404 "GET /locations/42 is 404"
api GET "/locations/$OTHER_LOC"
check_status 404 "GET of another workspace's location is 404"

# ================================================================ bins

api POST "/locations/$L1/bins" '{"name": "A-1-1"}'
check_status 201 "POST /locations/{id}/bins is 201"
check_id_prefix bin "a bin id is bin_N"
check_json '[.name, .locationId] | join("|")' "A-1-1|$L1" "the bin's name and location are echoed"
check_timestamps "a bin has createdAt and updatedAt"
B1=$(id_of)
api POST "/locations/$L1/bins" '{"name": "A-1-2"}'
B2=$(id_of)
api POST "/locations/$L2/bins" '{"name": "A-1-1"}'
check_status 201 "the same bin name in another location is 201"
B_OTHER_LOC=$(id_of)
api POST "/locations/$L1/bins" '{"name": "B-2-1"}'
check_status 201 "the third bin of the location is created"
B3=$(id_of)

api GET "/bins/$B2"
check_status 200 "GET /bins/{id} is 200"
check_json '[.id, .name, .locationId] | join("|")' "$B2|A-1-2|$L1" "GET returns the bin"

check_pages "/locations/$L1/bins" "bins of a location" "$B1" "$B2" "$B3"
api GET "/locations/$L2/bins"
check_json '[.items[].id] | join(" ")' "$B_OTHER_LOC" "the other location lists only its bin"
api GET "/locations/$L1/bins?search=B-2"
check_json '[.items[].id] | join(" ")' "$B3" "bins ?search= matches names"

api PATCH "/bins/$B3" '{"name": "B-2-9"}'
check_status 200 "PATCH /bins/{id} is 200"
check_json '[.name, .locationId] | join("|")' "B-2-9|$L1" "the bin is renamed and stays in its location"
check_true ".updatedAt | test(\"$ISO_RE\")" "the renamed bin has updatedAt"

api POST "/locations/$L1/bins" '{"name": "A-1-1"}'
check_status 409 "the same bin name twice in a location is 409"
api POST "/locations/$L1/bins" '{}'
check_field_error name "a bin without name"
api POST "/locations/$L1/bins" "{\"name\": \"$(printf 'b%.0s' {1..101})\"}"
check_field_error name "a bin name of 101 characters"
api POST /locations/loc_999999999/bins '{"name": "Z"}'
check_status 404 "a bin in an unknown location is 404"
check_json .error "Location not found" "the error is Location not found"
api POST "/locations/$OTHER_LOC/bins" '{"name": "Z"}'
check_status 404 "a bin in another workspace's location is 404"
api GET "/locations/$OTHER_LOC/bins"
check_status 404 "listing the bins of another workspace's location is 404"
api GET /locations/loc_x/bins
check_status 404 "listing the bins of loc_x is 404"
api POST "/locations/$OTHER_LOC/bins" '{"name": "Theirs"}' "$TOKEN2"
OTHER_BIN=$(id_of)
api GET "/bins/$OTHER_BIN"
check_status 404 "GET of another workspace's bin is 404"
api PATCH "/bins/$OTHER_BIN" '{"name": "Mine"}'
check_status 404 "PATCH of another workspace's bin is 404"
api GET "/bins/$OTHER_BIN" "" "$TOKEN2"
check_json .name Theirs "the other workspace's bin keeps its name"
api GET /bins/bin_999999999
check_status 404 "GET of an unknown bin is 404"
check_json .error "Bin not found" "the error is Bin not found"
api GET /bins/bin_x
check_status 404 "GET /bins/bin_x is 404"
api GET "/locations/$L1/bins?limit=abc"
check_field_error limit "bins limit=abc"

# ================================================================ channels

api POST /channels '{"code": "DTC", "name": "Direct to Consumer", "channelType": "E_COMMERCE",
	"lowAtpThreshold": 15, "criticalAtpThreshold": 2}'
check_status 201 "POST /channels is 201"
check_id_prefix chn "a channel id is chn_N"
check_json '[.code, .name, .channelType, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join("|")' \
	"DTC|Direct to Consumer|E_COMMERCE|15|2" "every channel field is echoed"
check_timestamps "a channel has createdAt and updatedAt"
C1=$(id_of)
api POST /channels '{"code": "RET", "name": "Retail stores", "channelType": "RETAIL"}'
C2=$(id_of)
api POST /channels '{"code": "AMZ", "name": "Amazon"}'
check_status 201 "a channel with only code and name is 201"
check_json '[.channelType, .lowAtpThreshold, .criticalAtpThreshold] | map(tostring) | join("|")' \
	"E_COMMERCE|10|0" "the channel defaults are E_COMMERCE, 10 and 0"
C3=$(id_of)

api GET "/channels/$C2"
check_status 200 "GET /channels/{id} is 200"
check_json '[.id, .code, .channelType] | join("|")' "$C2|RET|RETAIL" "GET returns the channel"

check_pages /channels "channels" "$C1" "$C2" "$C3"
api GET "/channels?channelType=RETAIL"
check_json '[.items[].id] | join(" ")' "$C2" "?channelType=RETAIL finds the retail channel"
api GET "/channels?channelType=E_COMMERCE"
check_json '[.items[].id] | join(" ")' "$C1 $C3" "?channelType=E_COMMERCE finds two"
api GET "/channels?code=AMZ"
check_json '[.items[].id] | join(" ")' "$C3" "?code= finds the channel"
api GET "/channels?search=Direct"
check_json '[.items[].id] | join(" ")' "$C1" "channels ?search= matches names"

api PATCH "/channels/$C1" '{"lowAtpThreshold": 25}'
check_status 200 "PATCH /channels/{id} is 200"
check_json '[.lowAtpThreshold, .criticalAtpThreshold, .code, .name, .channelType] | map(tostring) | join("|")' \
	"25|2|DTC|Direct to Consumer|E_COMMERCE" "the threshold changes, the rest is kept"
check_true ".updatedAt | test(\"$ISO_RE\")" "the patched channel has updatedAt"

api POST /channels '{"code": "X", "name": "X", "channelType": "TELEPATHY"}'
check_field_error channelType "a channelType not allowed"
api GET "/channels?channelType=TELEPATHY"
check_field_error channelType "?channelType=TELEPATHY"
api POST /channels '{"code": "X", "name": "X", "lowAtpThreshold": "ten"}'
check_field_error lowAtpThreshold "lowAtpThreshold \"ten\""
api POST /channels '{"code": "X", "name": "X", "lowAtpThreshold": 1.5}'
check_field_error lowAtpThreshold "lowAtpThreshold 1.5 (not an integer)"
api POST /channels '{"name": "No code"}'
check_field_error code "a channel without code"
api POST /channels '{"code": "DTC", "name": "Again"}'
check_status 409 "the same channel code twice is 409"
api GET /channels/chn_999999999
check_status 404 "GET of an unknown channel is 404"
check_json .error "Channel not found" "the error is Channel not found"
api GET /channels/42
check_status 404 "GET /channels/42 is 404"

# ================================================================ lots

api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"LOT-2024-001\",
	\"expiryDate\": \"2025-12-31\", \"status\": \"ACTIVE\"}"
check_status 201 "POST /lots is 201"
check_id_prefix lot "a lot id is lot_N"
check_json '[.productMasterId, .lotNumber, .expiryDate, .status] | join("|")' \
	"$P1|LOT-2024-001|2025-12-31|ACTIVE" "every lot field is echoed"
check_timestamps "a lot has createdAt and updatedAt"
LOT1=$(id_of)
api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"LOT-2024-002\"}"
check_status 201 "a lot without expiry and status is 201"
check_json '[.status, .expiryDate] | map(tostring) | join("|")' "ACTIVE|null" \
	"the lot defaults are ACTIVE and no expiry"
LOT2=$(id_of)
api POST /lots "{\"productMasterId\": \"$P2\", \"lotNumber\": \"LOT-2024-001\", \"status\": \"ON_HOLD\"}"
check_status 201 "the same lot number for another product is 201"
LOT3=$(id_of)

api GET "/lots/$LOT1"
check_status 200 "GET /lots/{id} is 200"
check_json '[.id, .lotNumber, .expiryDate] | join("|")' "$LOT1|LOT-2024-001|2025-12-31" "GET returns the lot"

check_pages /lots "lots" "$LOT1" "$LOT2" "$LOT3"
api GET "/lots?productMasterId=$P1"
check_json '[.pagination.total, ([.items[].id] | join(" "))] | map(tostring) | join(" ")' "2 $LOT1 $LOT2" \
	"?productMasterId= lists the lots of the product"
api GET "/lots?productMasterId=$P3"
check_json .pagination.total 0 "?productMasterId= of a product without lots counts 0"
api GET "/lots?productMasterId=prod_x"
check_field_error productMasterId "?productMasterId=prod_x"
api GET "/lots?status=ON_HOLD"
check_json '[.items[].id] | join(" ")' "$LOT3" "?status=ON_HOLD finds the held lot"
api GET "/lots?lotNumber=LOT-2024-001"
check_json '[.items[].id] | join(" ")' "$LOT1 $LOT3" "?lotNumber= finds both lots of that number"
api GET "/lots?search=002"
check_json '[.items[].id] | join(" ")' "$LOT2" "lots ?search= matches lot numbers"

api PATCH "/lots/$LOT1" '{"status": "RECALLED"}'
check_status 200 "PATCH /lots/{id} is 200"
check_json '[.status, .lotNumber, .expiryDate, .productMasterId] | join("|")' \
	"RECALLED|LOT-2024-001|2025-12-31|$P1" "the status changes, the rest is kept"
check_true ".updatedAt | test(\"$ISO_RE\")" "the patched lot has updatedAt"
api PATCH "/lots/$LOT1" '{"expiryDate": null}'
check_json .expiryDate null "PATCH expiryDate null clears the expiry"
api PATCH "/lots/$LOT2" "{\"productMasterId\": \"$P3\"}"
check_json .productMasterId "$P1" "a lot's product cannot be changed by PATCH"

api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"L-X\", \"status\": \"LOST\"}"
check_field_error status "a lot status not allowed"
api PATCH "/lots/$LOT2" '{"status": "active"}'
check_field_error status "PATCH a lower-case lot status"
api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"L-X\", \"expiryDate\": \"2025-13-01\"}"
check_field_error expiryDate "expiryDate 2025-13-01"
api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"L-X\", \"expiryDate\": \"31/12/2025\"}"
check_field_error expiryDate "expiryDate 31/12/2025"
api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"L-X\", \"expiryDate\": \"2025-02-31\"}"
check_status 400 "expiryDate 2025-02-31 (no such day) is 400"
api POST /lots '{"lotNumber": "L-X"}'
check_field_error productMasterId "a lot without productMasterId"
api POST /lots "{\"productMasterId\": \"$P1\"}"
check_field_error lotNumber "a lot without lotNumber"
api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"LOT-2024-001\"}"
check_status 409 "the same lot number twice for a product is 409"
api POST /lots '{"productMasterId": "prod_999999999", "lotNumber": "L-X"}'
check_status 404 "a lot of an unknown product is 404"
check_json .error "Product not found" "the error is Product not found"
api POST /lots "{\"productMasterId\": \"$OTHER_PROD\", \"lotNumber\": \"L-X\"}"
check_status 404 "a lot of another workspace's product is 404"
api GET "/lots?lotNumber=L-X"
check_json .pagination.total 0 "no lot was created by the refused requests"
api GET /lots/lot_999999999
check_status 404 "GET of an unknown lot is 404"
check_json .error "Lot not found" "the error is Lot not found"

# ================================================================ reason codes
# The workspace has the standard codes already (t115): the codes made here
# are named "Audit ..." so that ?search=Audit finds exactly them.

api POST /reason-codes '{"code": "COUNTED", "name": "Audit count", "description": "Found by counting", "active": true}'
check_status 201 "POST /reason-codes is 201"
check_id_prefix rc "a reason code id is rc_N"
check_json '[.code, .name, .description, .active] | map(tostring) | join("|")' \
	"COUNTED|Audit count|Found by counting|true" "every reason code field is echoed"
check_timestamps "a reason code has createdAt and updatedAt"
R1=$(id_of)
api POST /reason-codes '{"code": "DAMAGED", "name": "Audit damage"}'
check_status 201 "a reason code with only code and name is 201"
check_json '[.active, .description] | map(tostring) | join("|")' "true|" "the defaults are active and no description"
R2=$(id_of)
api POST /reason-codes '{"code": "OLD", "name": "Audit retired", "active": false}'
R3=$(id_of)

api GET "/reason-codes/$R1"
check_status 200 "GET /reason-codes/{id} is 200"
check_json '[.id, .code] | join("|")' "$R1|COUNTED" "GET returns the reason code"

check_pages "/reason-codes?search=Audit" "reason codes" "$R1" "$R2" "$R3"
api GET "/reason-codes?active=false"
check_json '[.items[].id] | join(" ")' "$R3" "?active=false finds the inactive code"
api GET "/reason-codes?active=true&search=Audit"
check_json '[.items[].id] | join(" ")' "$R1 $R2" "?active=true finds the active codes"
api GET "/reason-codes?code=DAMAGED"
check_json '[.items[].id] | join(" ")' "$R2" "?code= finds the reason code"
api GET "/reason-codes?search=Audit%20dam"
check_json '[.items[].id] | join(" ")' "$R2" "reason codes ?search= matches names"

api PATCH "/reason-codes/$R2" '{"active": false, "description": "Broken in transit"}'
check_status 200 "PATCH /reason-codes/{id} is 200"
check_json '[.active, .description, .code, .name] | map(tostring) | join("|")' \
	"false|Broken in transit|DAMAGED|Audit damage" "the patched fields change, the rest is kept"
check_true ".updatedAt | test(\"$ISO_RE\")" "the patched reason code has updatedAt"

api POST /reason-codes '{"code": "X", "name": "X", "active": "yes"}'
check_field_error active "active \"yes\""
api POST /reason-codes "{\"code\": \"X\", \"name\": \"X\", \"description\": \"$(printf 'd%.0s' {1..501})\"}"
check_field_error description "a description of 501 characters"
api POST /reason-codes '{"code": "X"}'
check_field_error name "a reason code without name"
api POST /reason-codes '{"code": "COUNTED", "name": "Again"}'
check_status 409 "the same reason code twice is 409"
api GET /reason-codes/rc_999999999
check_status 404 "GET of an unknown reason code is 404"
check_json .error "Reason code not found" "the error is Reason code not found"
api GET /reason-codes/rc_
check_status 404 "GET /reason-codes/rc_ is 404"

# ================================================================ permissions

READ_KEY=$(new_key "$slug" products.read)
api POST /products '{"globalSku": "PERM-1", "name": "Nope"}' "$READ_KEY"
check_status 403 "products.read cannot POST /products"
check_json .error Forbidden "the error is Forbidden"
check_true '.message | contains("products.write")' "the message names the missing permission"
api PATCH "/products/$P1" '{"name": "Nope"}' "$READ_KEY"
check_status 403 "products.read cannot PATCH /products/{id}"
api GET "/products/$P1" "" "$READ_KEY"
check_status 200 "products.read can GET /products/{id}"
check_json .name "Widget v2" "the refused PATCH changed nothing"
api GET "/products?globalSku=PERM-1" "" "$READ_KEY"
check_json .pagination.total 0 "the refused POST created nothing"

LOC_KEY=$(new_key "$slug" locations.read)
api GET /products "" "$LOC_KEY"
check_status 403 "locations.read only cannot GET /products"
api GET /locations "" "$LOC_KEY"
check_status 200 "locations.read can GET /locations"
api GET "/locations/$L1/bins" "" "$LOC_KEY"
check_status 200 "locations.read can list bins"
api POST "/locations/$L1/bins" '{"name": "Nope"}' "$LOC_KEY"
check_status 403 "locations.read cannot create a bin"
api GET /lots "" "$LOC_KEY"
check_status 403 "locations.read cannot GET /lots (inventory.read)"

INV_KEY=$(new_key "$slug" inventory.read)
api GET /lots "" "$INV_KEY"
check_status 200 "inventory.read can GET /lots"
api POST /lots "{\"productMasterId\": \"$P1\", \"lotNumber\": \"PERM\"}" "$INV_KEY"
check_status 403 "inventory.read cannot POST /lots"
api GET /channels "" "$INV_KEY"
check_status 403 "inventory.read cannot GET /channels"
api GET /reason-codes "" "$INV_KEY"
check_status 403 "inventory.read cannot GET /reason-codes"

WILD_KEY=$(new_key "$slug" 'products.*')
api POST /categories '{"name": "Wildcard"}' "$WILD_KEY"
check_status 201 "products.* may POST /categories"
api GET /products "" -
check_status 401 "GET /products without credentials is 401"

done_testing
