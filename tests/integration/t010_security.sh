#!/usr/bin/env bash
# Table-driven access checks over every route of the OpenAPI document, which
# the server generates from its route table: a route added later is covered
# here without anyone remembering to. For every route: no credentials -> 401;
# credentials without its permission -> 403; an id of another workspace's
# object answers exactly what an id that does not exist answers (404); and
# malformed bodies get JSON errors.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

slug_a=$(uniq_slug seca)
slug_b=$(uniq_slug secb)
new_workspace "$slug_a" >/dev/null
new_workspace "$slug_b" >/dev/null
key_a=$(new_key "$slug_a" '*' admin)
key_b=$(new_key "$slug_b" '*' admin)

# One object of every kind in workspace $1's key: prints "kind id" lines.
make_objects() {
	local key=$1 cat prod loc bin
	TOKEN=$key
	api POST /categories '{"name":"Security"}'; cat=$(jq -r .id <<<"$BODY")
	api POST /products "{\"globalSku\":\"SEC-1\",\"name\":\"Sec\",\"categoryId\":\"$cat\"}"
	prod=$(jq -r .id <<<"$BODY")
	api POST /locations '{"code":"SEC","name":"Sec"}'; loc=$(jq -r .id <<<"$BODY")
	api POST "/locations/$loc/bins" '{"name":"S-1"}'; bin=$(jq -r .id <<<"$BODY")
	echo "cat $cat"; echo "prod $prod"; echo "loc $loc"; echo "bin $bin"
	api POST /lots "{\"productMasterId\":\"$prod\",\"lotNumber\":\"SEC-LOT\"}"; echo "lot $(jq -r .id <<<"$BODY")"
	api POST /channels '{"code":"SEC","name":"Sec"}'; echo "chn $(jq -r .id <<<"$BODY")"
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
	api POST /inventory/cycle-count "{\"locationId\":\"$loc\",\"inventoryItemIds\":[\"$item\"]}"
	echo "ccb $(jq -r .id <<<"$BODY")"
	# Starting a count needs the manager role: the keys are admins.
	api POST /inventory/counts '{"name":"sec","type":"SPOT"}'; echo "cnt $(jq -r .id <<<"$BODY")"
}

declare -A own other
while read -r kind id; do own[$kind]=$id; done < <(make_objects "$key_a")
while read -r kind id; do other[$kind]=$id; done < <(make_objects "$key_b")
for kind in cat prod loc bin lot chn rc level item adj hold cnt ccb; do
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

# A body that passes validation, made from the operation's schema: required
# fields only, ids of workspace A's objects.
sample_body() {
	local path=$1 method=$2
	jq -c --arg p "$path" --arg m "${method,,}" \
	   --argjson own "$(for k in "${!own[@]}"; do printf '%s\n%s\n' "$k" "${own[$k]}"; done |
			     jq -Rn '[inputs] | [range(0; length; 2) as $i | {(.[$i]): .[$i + 1]}] | add')" '
		.paths[$p][$m].requestBody.content["application/json"].schema as $s |
		[($s.required // [])[] as $f | $s.properties[$f] as $prop |
		 {($f): (
			if ($prop.pattern // "" | startswith("^")) then
				$own[$prop.pattern | ltrimstr("^") | split("_")[0]]
			elif $prop.enum then $prop.enum[0]
			elif ($prop.type | tostring | test("integer|number")) then 1
			elif ($prop.type | tostring | test("boolean")) then true
			elif $prop.format == "date" then "2030-01-01"
			else "sec-\($f)-\(now | floor)" end)}] | add // {}' <<<"$doc"
}

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
none_key=$(new_key "$slug_a" nothing.read)

id_routes=0
body_routes=0
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
done
check_eq "$([ "$id_routes" -ge 10 ] && echo yes)" yes "at least 10 routes with an id were exercised ($id_routes)"
check_eq "$([ "$body_routes" -ge 8 ] && echo yes)" yes "at least 8 routes with a body were exercised ($body_routes)"

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
