#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# HTTP behaviour through nginx and the authentication model: request ids,
# body limits, JWT verification end to end, permission families, the colon
# spelling, roles, API-key revocation, and what the log line holds.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

slug=$(uniq_slug http)
ws=$(new_workspace "$slug")
TOKEN=$(new_key "$slug" '*' admin)
secret=$(head -n 1 "$TEST_DIR/jwt.secret")

# jwt HEADER_JSON PAYLOAD_JSON [SECRET]: an HS256-style token signed with
# SECRET (the configured one by default); "-" as SECRET leaves it unsigned.
jwt() {
	python3 - "$1" "$2" "${3:-$secret}" <<-'PY'
	import base64, hashlib, hmac, sys
	b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
	head, body, key = sys.argv[1], sys.argv[2], sys.argv[3]
	msg = b64(head.encode()) + "." + b64(body.encode())
	sig = "" if key == "-" else b64(hmac.new(key.encode(), msg.encode(), hashlib.sha256).digest())
	print(msg + "." + sig)
	PY
}
now=$(date +%s)
hs='{"alg":"HS256","typ":"JWT"}'
claims() { # claims EXP [EXTRA_JSON]
	jq -cn --argjson exp "$1" --arg ws "$ws" --argjson extra "${2:-{\}}" \
		'{sub: "user-1", workspace: $ws, permissions: ["inventory.read"], roles: ["member"], exp: $exp} + $extra'
}

# --- request ids and the log line
api GET /inventory
check_status 200 "a request with a key is 200"
rid=$(header_value x-request-id)
check_eq "$([[ $rid =~ ^[0-9a-f]{32}$ ]] && echo yes)" yes "X-Request-Id carries nginx's request id ($rid)"
sleep 0.2
line=$(grep -F "$rid" "$TEST_DIR/fcgi.log" || true)
check_eq "$(grep -c . <<<"$line")" 1 "the request is logged once under its id"
check_eq "$([[ $line == *'GET "/api/inventory" 200 '*"ws=${ws#ws_}"* ]] && echo yes)" yes \
	"the log line holds method, path, status and workspace"
check_eq "$(grep -cF "${TOKEN:10:20}" "$TEST_DIR/fcgi.log" || true)" 0 "the key never reaches the log"

# --- body limits: nginx and the application both answer 413 in JSON
big=$(mktemp)
head -c 2000000 /dev/zero | tr '\0' 'a' >"$big"
api_raw POST /products -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	--data-binary @"$big"
check_status 413 "a 2 MB body is 413"
check_json .error "Payload Too Large" "413 is a JSON error"
rm -f "$big"

# --- JWT
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)))")"
check_status 200 "a good HS256 token is accepted"
api GET /products "" "$(jwt "$hs" "$(claims $((now + 600)))")"
check_status 403 "the token's permissions are enforced (no products.read)"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now - 3600)))")"
check_status 401 "an expired token is 401"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)) "{\"nbf\": $((now + 3600))}")")"
check_status 401 "a token not valid before an hour from now is 401"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)) | jq -c 'del(.exp)')")"
check_status 401 "a token without exp is 401"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)))" "another-secret-of-enough-length-0123456789")"
check_status 401 "a token signed with another secret is 401"
api GET /inventory "" "$(jwt '{"alg":"none","typ":"JWT"}' "$(claims $((now + 600)))" -)"
check_status 401 "an alg none token is 401"
api GET /inventory "" "$(jwt '{"alg":"HS512","typ":"JWT"}' "$(claims $((now + 600)))")"
check_status 401 "a token whose header names another algorithm is 401"
good=$(jwt "$hs" "$(claims $((now + 600)))")
api GET /inventory "" "${good%.*}.$(printf 'x%.0s' {1..43})"
check_status 401 "a token with a forged signature is 401"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)) '{"workspace":"ws_999999999"}')")"
check_status 403 "a token naming a workspace that does not exist is 403"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)) '{"permissions":["inventory:read"]}')")"
check_status 200 "the colon spelling inventory:read grants inventory.read"
fam=$(jwt "$hs" "$(claims $((now + 600)) '{"permissions":["inventory.*"]}')")
api GET /inventory "" "$fam"
check_status 200 "inventory.* grants inventory.read"
api GET /products "" "$fam"
check_status 403 "inventory.* does not grant products.read"
api GET /products "" "$(jwt "$hs" "$(claims $((now + 600)) '{"permissions":["*"]}')")"
check_status 200 "* grants everything"
api GET /inventory "" "$(jwt "$hs" "$(claims $((now + 600)) '{"permissions":"inventory.read"}')")"
check_status 401 "permissions that are not an array make the token invalid"
api_raw GET /inventory -H "Authorization: Basic dXNlcjpwYXNz"
check_status 401 "a Basic credential is 401"
check_header www-authenticate '^Bearer' "401 says WWW-Authenticate: Bearer"

# --- tokens from inventoryctl
tok=$(ctl token --workspace "$slug" --user u-9 --permissions inventory:read,products.read --ttl 60)
api GET /products "" "$tok"
check_status 200 "an inventoryctl token works"

# --- API keys: revoked keys stop working within the cache time (<= 60 s)
out=$(ctl apikey create --workspace "$slug" --permissions inventory.read --name revoke-me)
kid=$(sed -n 's/^id: //p' <<<"$out")
key=$(sed -n 's/^key: //p' <<<"$out")
api GET /inventory "" "$key"
check_status 200 "a new key works"
ctl apikey revoke "$kid" >/dev/null
for _ in $(seq 1 40); do
	api GET /inventory "" "$key"
	[ "$STATUS" = 401 ] && break
	sleep 2
done
check_status 401 "a revoked key is refused within the cache time"
api GET /inventory "" "ik_$(printf '0%.0s' {1..64})"
check_status 401 "an unknown key is 401"

done_testing
