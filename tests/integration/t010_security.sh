#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Table-driven access checks over every route of the OpenAPI document, which
# the server generates from its route table: a route added later is covered
# here without anyone remembering to. For every route: no credentials -> 401;
# credentials without its permission -> 403; an id of another workspace's
# object answers exactly what an id that does not exist answers (404), in
# the path, in every id-typed body and query field (arrays included) alike,
# and changes nothing; and malformed bodies get JSON errors.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

slug_a=$(uniq_slug seca)
slug_b=$(uniq_slug secb)
new_workspace "$slug_a" >/dev/null
new_workspace "$slug_b" >/dev/null
key_a=$(new_key "$slug_a" '*' admin)
key_b=$(new_key "$slug_b" '*' admin)

# One object of every kind in workspace $1's key, named with $2: prints
# "kind id" lines.
make_objects() {
	local key=$1 mark=$2 cat prod loc loc2 bin
	TOKEN=$key
	api POST /categories "{\"name\":\"$mark\"}"; cat=$(jq -r .id <<<"$BODY")
	api POST /products "{\"globalSku\":\"SEC-1\",\"name\":\"$mark\",\"categoryId\":\"$cat\"}"
	prod=$(jq -r .id <<<"$BODY")
	api POST /locations "{\"code\":\"SEC\",\"name\":\"$mark\"}"; loc=$(jq -r .id <<<"$BODY")
	api POST "/locations/$loc/bins" "{\"name\":\"$mark\"}"; bin=$(jq -r .id <<<"$BODY")
	echo "cat $cat"; echo "prod $prod"; echo "loc $loc"; echo "bin $bin"
	api POST /lots "{\"productMasterId\":\"$prod\",\"lotNumber\":\"SEC-LOT\"}"; echo "lot $(jq -r .id <<<"$BODY")"
	api POST /channels '{"code":"SEC","name":"Sec"}'; chn=$(jq -r .id <<<"$BODY"); echo "chn $chn"
	api POST "/channels/$chn/atp-policies" '{"allocationPercent":50}'; echo "policy $(jq -r .id <<<"$BODY")"
	api POST /reason-codes '{"code":"SEC","name":"Sec"}'; echo "rc $(jq -r .id <<<"$BODY")"
	api POST /inventory-levels "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\"}"
	echo "level $(jq -r .id <<<"$BODY")"
	api POST /inventory/record-stock "{\"productMasterId\":\"$prod\",\"locationId\":\"$loc\",\"quantity\":10}"
	item=$(jq -r .inventoryItem.id <<<"$BODY")
	echo "item $item"
	api POST /inventory/adjustments/stock "{\"type\":\"FOUND\",\"quantityChange\":1,\"inventoryItemId\":\"$item\",\"reason\":\"sec\"}"
	echo "adj $(jq -r .id <<<"$BODY")"
	api POST /inventory/holds "{\"inventoryItemId\":\"$item\",\"quantity\":1,\"reason\":\"sec\"}"
	echo "hold $(jq -r .id <<<"$BODY")"
	api POST /inventory/transfers "{\"fromLocationId\":\"$loc\",\"toLocationId\":\"$loc\",\"lines\":[{\"productMasterId\":\"$prod\",\"toBinId\":\"$bin\",\"quantity\":1}]}"
	echo "trf $(jq -r .id <<<"$BODY")"; echo "trfl $(jq -r '.lines[0].id' <<<"$BODY")"
	api POST /inventory/put-away "{\"lines\":[{\"inventoryItemId\":\"$item\",\"quantity\":1,\"toBinId\":\"$bin\"}]}"
	echo "pa $(jq -r .id <<<"$BODY")"; echo "pal $(jq -r '.lines[0].id' <<<"$BODY")"
	api POST /locations "{\"code\":\"SEC2\",\"name\":\"$mark\"}"; loc2=$(jq -r .id <<<"$BODY")
	api POST /stock-requests "{\"requestingLocationId\":\"$loc2\",\"fulfillingLocationId\":\"$loc\",\"lines\":[{\"productMasterId\":\"$prod\",\"quantity\":1}]}"
	echo "sr $(jq -r .id <<<"$BODY")"; echo "srl $(jq -r '.lines[0].id' <<<"$BODY")"
	api POST /inventory/replenishment "{\"locationId\":\"$loc2\",\"lines\":[{\"productMasterId\":\"$prod\",\"quantity\":1}]}"
	echo "rep $(jq -r '.items[0].id' <<<"$BODY")"; echo "repl $(jq -r '.items[0].lines[0].id' <<<"$BODY")"
	api POST /inventory/cycle-count "{\"locationId\":\"$loc\",\"inventoryItemIds\":[\"$item\"]}"
	echo "ccb $(jq -r .id <<<"$BODY")"; echo "ccl $(jq -r '.lines[0].lineId' <<<"$BODY")"
	# Starting a count needs the manager role: the keys are admins.
	api POST /inventory/counts '{"name":"sec","type":"SPOT"}'; echo "cnt $(jq -r .id <<<"$BODY")"
}

# Workspace B's objects carry a name that no answer to A may contain.
mark_b="secb-$(openssl rand -hex 4)"
declare -A own other
while read -r kind id; do own[$kind]=$id; done < <(make_objects "$key_a" seca)
while read -r kind id; do other[$kind]=$id; done < <(make_objects "$key_b" "$mark_b")
for kind in cat prod loc bin lot chn policy rc level item adj hold cnt ccb ccl trf trfl pa pal sr srl rep repl; do
	if [[ ${own[$kind]:-null} =~ ^${kind}_[0-9]+$ && ${other[$kind]:-null} =~ ^${kind}_[0-9]+$ &&
	      ${own[$kind]} != "${other[$kind]}" ]]; then
		pass "a $kind exists in both workspaces (${own[$kind]}, ${other[$kind]})"
	else
		fail "a $kind exists in both workspaces" "got '${own[$kind]:-}' and '${other[$kind]:-}'"
	fi
done

api GET /openapi.json "" -
check_status 200 "the OpenAPI document is served"
doc=$BODY

# One line per operation: path, method, public, permissions, id kind, body?
mapfile -t operations < <(jq -r '
	.paths | to_entries[] | .key as $p | .value | to_entries[] |
	[$p, (.key | ascii_upcase),
	 (if .value.security == [] then "public" else "private" end),
	 (.value["x-permissions"] | join(",")),
	 ((.value["x-roles"] // ["-"]) | .[0]),
	 ((.value.parameters // []) | map(select(.in == "path")) | (.[0]["x-id-kind"] // "-")),
	 (if .value.requestBody then "body" else "-" end)] | @tsv' <<<"$doc")
check_eq "$([ "${#operations[@]}" -ge 30 ] && echo yes)" yes \
	"the document lists at least 30 operations (${#operations[@]})"

own_json=$(for k in "${!own[@]}"; do printf '%s\n%s\n' "$k" "${own[$k]}"; done |
	   jq -Rn '[inputs] | [range(0; length; 2) as $i | {(.[$i]): .[$i + 1]}] | add')
# jq: the id kind a schema's pattern names ("^prod_[0-9]+$" -> "prod"), and
# an object that passes validation made from an object schema: required
# fields only, ids of workspace A's objects, arrays of one element.
JQ_DEFS='
	def kind: .pattern | ltrimstr("^") | split("_")[0];
	def fill($own): . as $s |
		[($s.required // [])[] as $f | $s.properties[$f] as $prop |
		 {($f): (
			if ($prop.pattern // "" | startswith("^")) then $own[$prop | kind]
			elif $prop.enum then $prop.enum[0]
			elif ($prop.type | tostring | test("integer|number")) then 1
			elif ($prop.type | tostring | test("boolean")) then true
			elif $prop.format == "date" then "2030-01-01"
			elif ($prop.type | tostring | test("array")) and $prop.items.properties then
				[$prop.items | fill($own)]
			elif ($prop.type | tostring | test("array")) and $prop.items.pattern then
				[$own[$prop.items | kind]]
			else "sec-\($f)-\(now | floor)" end)}] | add // {};'

# A body that passes validation, made from the operation's schema.
sample_body() {
	local path=$1 method=$2
	jq -c --arg p "$path" --arg m "${method,,}" --argjson own "$own_json" "$JQ_DEFS"'
		.paths[$p][$m].requestBody.content["application/json"].schema | fill($own)' <<<"$doc"
}

# Every id-typed field of an operation, one line each: "where name kind
# match", where is query, body, array (an array of ids) or item (name is
# array.member, in an array of objects); match is true for filters and
# lookups, which match nothing rather than answer 404.
id_fields() {
	jq -r --arg p "$1" --arg m "${2,,}" "$JQ_DEFS"'
		.paths[$p][$m] as $op |
		(($op.parameters // [])[] | select(.in == "query" and (.schema.pattern // "") != "") |
		 "query \(.name) \(.schema | kind) \(.schema["x-match"] // false)"),
		(($op.requestBody.content["application/json"].schema.properties // {}) | to_entries[] |
		 if (.value.pattern // "") != "" then
			"body \(.key) \(.value | kind) \(.value["x-match"] // false)"
		 elif (.value.items.pattern // "") != "" then
			"array \(.key) \(.value.items | kind) \(.value.items["x-match"] // false)"
		 elif .value.items.properties then
			.key as $a | .value.items.properties | to_entries[] |
			select((.value.pattern // "") != "") |
			"item \($a).\(.key) \(.value | kind) \(.value["x-match"] // false)"
		 else empty end)' <<<"$doc"
}

# The query every request of an operation carries: its required parameters
# and the ids it is about (not its filters), with A's objects.
base_query() {
	jq -r --arg p "$1" --arg m "${2,,}" --argjson own "$own_json" "$JQ_DEFS"'
		[(.paths[$p][$m].parameters // [])[] | select(.in == "query") |
		 select(.required or ((.schema.pattern // "") != "" and (.schema["x-match"] | not))) |
		 "\(.name)=\(if (.schema.pattern // "") != "" then $own[.schema | kind]
			    elif .schema.enum then .schema.enum[0] else "1" end)"] | join("&")' <<<"$doc"
}

# The request of operation $1 $2 (path with A's ids) whose id field $4 ($3:
# query, body, array or item) holds $5: sets req_path and req_body.
request_with() {
	local path=$1 method=$2 where=$3 field=$4 value=$5 query
	query=$(base_query "$path" "$method" | tr '&' '\n' | { grep -v "^${field}=" || true; } | paste -sd'&')
	req_body=$(sample_body "$path" "$method")
	case $where in
	query) query=${query:+$query&}$field=$value ;;
	body) req_body=$(jq -c --arg f "$field" --arg v "$value" '.[$f] = $v' <<<"$req_body") ;;
	array) req_body=$(jq -c --arg f "$field" --arg v "$value" '.[$f] = [$v]' <<<"$req_body") ;;
	item)
		req_body=$(jq -c --arg p "$path" --arg m "${method,,}" --arg a "${field%%.*}" \
			--arg f "${field#*.}" --arg v "$value" --argjson own "$own_json" \
			--argjson b "$req_body" "$JQ_DEFS"'
			.paths[$p][$m].requestBody.content["application/json"].schema.properties[$a].items as $s |
			$b + {($a): [($s | fill($own)) + {($f): $v}]}' <<<"$doc") ;;
	esac
	[ "$method" = GET ] && req_body=""
	req_path=$own_path${query:+?$query}
}

# What workspace B holds, as its own key reads it.
snapshot_b() {
	local p
	for p in /inventory /inventory/adjustments '/inventory/adjustments/stock' /inventory/holds \
		 /inventory/counts /products /locations /lots /reason-codes /channels \
		 "/inventory/cycle-count?locationId=${other[loc]}&mode=batches"; do
		api GET "$p" "" "$key_b"
		printf '%s %s\n' "$STATUS" "$BODY"
	done
}
b_before=$(snapshot_b)

# Keys holding exactly a set of permissions (and a role), made once each.
declare -A keys_by_perms
key_with() {
	local id="$1 ${2:-}"
	if [ -z "${keys_by_perms[$id]:-}" ]; then
		if [ -n "${2:-}" ]; then
			keys_by_perms[$id]=$(new_key "$slug_a" "$1" "$2")
		else
			keys_by_perms[$id]=$(new_key "$slug_a" "$1")
		fi
	fi
	printf '%s' "${keys_by_perms[$id]}"
}
# A key that grants nothing: inventoryctl refuses unknown permission names,
# so the key is made with one and its list rewritten as an older version
# could have stored it.
none_key=$(new_key "$slug_a" inventory.read)
sql "UPDATE api_keys SET permissions = 'nothing.read' WHERE key_hash = SHA2('$none_key', 256)"

id_routes=0
body_routes=0
id_fields_checked=0
for op in "${operations[@]}"; do
	IFS=$'\t' read -r path method access perms role kind hasbody <<<"$op"
	name="$method $path"
	own_path=$path other_path=$path missing_path=$path
	if [ "$kind" != "-" ] && [ -z "${own[$kind]:-}" ]; then
		fail "$name: the test makes an object of kind $kind (add it to make_objects)"
		continue
	fi
	if [ "$kind" != "-" ]; then
		own_path=${path//\{*\}/${own[$kind]}}
		other_path=${path//\{*\}/${other[$kind]}}
		missing_path=${path//\{*\}/${kind}_999999999}
	fi
	if [ "$access" = public ]; then
		api "$method" "$own_path" "" -
		check_status 200 "$name answers without credentials"
		continue
	fi

	api "$method" "$own_path" "" -
	check_status 401 "$name without credentials is 401"
	check_json .error Unauthorized "$name without credentials says Unauthorized"
	api "$method" "$own_path" "" "not-a-valid-token"
	check_status 401 "$name with a garbage token is 401"

	api "$method" "$own_path" "" "$none_key"
	check_status 403 "$name without its permission ($perms) is 403"
	check_json .error Forbidden "$name without its permission says Forbidden"
	IFS=, read -r -a needed <<<"$perms"
	if [ "${#needed[@]}" -gt 1 ]; then
		for p in "${needed[@]}"; do
			rest=$(printf '%s\n' "${needed[@]}" | grep -vxF "$p" | paste -sd,)
			api "$method" "$own_path" "" "$(key_with "$rest")"
			check_status 403 "$name with $rest but not $p is 403"
		done
	fi

	if [ "$role" != "-" ]; then
		api "$method" "$own_path" "" "$(key_with "$perms")"
		check_status 403 "$name with its permissions but without the $role role is 403"
		allowed=$(key_with "$perms" "$role")
	else
		allowed=$(key_with "$perms")
	fi
	body=""
	if [ "$hasbody" = body ]; then
		body=$(sample_body "$path" "$method")
	fi
	if [ "$kind" != "-" ]; then
		id_routes=$((id_routes + 1))
		api "$method" "$other_path" "$body" "$allowed"
		other_status=$STATUS other_body=$BODY
		api "$method" "$missing_path" "$body" "$allowed"
		check_eq "$other_status" 404 "$name with another workspace's $kind is 404"
		check_eq "$other_body" "$BODY" "$name answers another workspace's $kind exactly as a missing one"
		api "$method" "${path//\{*\}/not-an-id}" "$body" "$allowed"
		check_status 404 "$name with a malformed id is 404"
	fi
	if [ "$hasbody" = body ]; then
		body_routes=$((body_routes + 1))
		api "$method" "$own_path" '{"unterminated": ' "$allowed"
		check_status 400 "$name with malformed JSON is 400"
		check_json .error "Invalid JSON" "$name with malformed JSON says Invalid JSON"
		api "$method" "$own_path" '[1, 2]' "$allowed"
		check_status 400 "$name with a JSON array body is 400"
		api_raw "$method" "$own_path" -H "Authorization: Bearer $allowed" \
			-H 'Content-Type: text/plain' --data-binary 'name=x'
		check_status 415 "$name with a text/plain body is 415"
		check_true '.error == "Unsupported Media Type"' "$name says Unsupported Media Type"
		# The first property, sent with the wrong JSON type.
		read -r field type < <(jq -r --arg p "$path" --arg m "${method,,}" '
			.paths[$p][$m].requestBody.content["application/json"].schema.properties |
			to_entries[0] | "\(.key) \(.value.type | if type == "array" then .[0] else . end)"' <<<"$doc")
		if [ "$type" = string ]; then wrong=12345; else wrong='"wrong"'; fi
		api "$method" "$own_path" "$(jq -c --arg f "$field" --argjson v "$wrong" '. + {($f): $v}' <<<"${body:-{\}}")" "$allowed"
		check_status 400 "$name with $field of the wrong type is 400"
		check_json '.details[0].field' "$field" "$name names $field in the error"
	fi
	check_header content-type '^application/json' "$name answers JSON"

	# Every id the request carries: another workspace's answers exactly as
	# a missing one (404, or 400), or matches nothing as a missing one does.
	while read -r where field fkind match; do
		[ -n "$where" ] || continue
		if [ -z "${other[$fkind]:-}" ]; then
			fail "$name: the test makes an object of kind $fkind for $field (add it to make_objects)"
			continue
		fi
		id_fields_checked=$((id_fields_checked + 1))
		request_with "$path" "$method" "$where" "$field" "${other[$fkind]}"
		api "$method" "$req_path" "$req_body" "$allowed"
		other_status=$STATUS other_body=${BODY//${other[$fkind]}/ID}
		if [[ $BODY == *"$mark_b"* ]]; then
			fail "$name with another workspace's $fkind in $field shows that workspace's data"
		fi
		request_with "$path" "$method" "$where" "$field" "${fkind}_999999999"
		api "$method" "$req_path" "$req_body" "$allowed"
		check_eq "$other_status ${other_body}" "$STATUS ${BODY//${fkind}_999999999/ID}" \
			"$name answers another workspace's $fkind in $where $field exactly as a missing one"
		# A filter or lookup may answer 200 (matching nothing); a reference
		# must not.
		expected='400|404'
		[ "$match" = true ] && expected='200|400|404'
		if [[ $other_status =~ ^($expected)$ ]]; then
			pass "$name: another workspace's $fkind in $field is $other_status"
		else
			fail "$name: another workspace's $fkind in $field is $other_status" "expected $expected"
		fi
	done < <(id_fields "$path" "$method")
done
check_eq "$([ "$id_routes" -ge 10 ] && echo yes)" yes "at least 10 routes with an id were exercised ($id_routes)"
check_eq "$([ "$body_routes" -ge 8 ] && echo yes)" yes "at least 8 routes with a body were exercised ($body_routes)"
check_eq "$([ "$id_fields_checked" -ge 60 ] && echo yes)" yes \
	"at least 60 id fields of bodies and queries were exercised ($id_fields_checked)"
check_eq "$(snapshot_b)" "$b_before" "nothing of the other workspace changed"

# The dispatcher answers unknown paths and methods itself, in JSON.
TOKEN=$key_a
api GET /no-such-route
check_status 404 "an unknown path is 404"
check_json .error "Not Found" "an unknown path says Not Found"
api DELETE /inventory
check_status 405 "a known path with another method is 405"
check_header allow '^GET, HEAD$' "405 lists the allowed methods in Allow"
api PUT /products/"${own[prod]}"
check_status 405 "PUT on a product is 405"
check_header allow 'GET' "Allow lists GET for a product"
check_header allow 'PATCH' "Allow lists PATCH for a product"

# A token without a workspace is refused on workspace routes.
TOKEN=$(ctl token --workspace none --user platform --permissions '*' --roles admin)
api GET /inventory
check_status 403 "a token without a workspace is 403"
check_json .message "Not available in SuperAdmin" "it says Not available in SuperAdmin"

done_testing
