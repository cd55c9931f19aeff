# shellcheck shell=bash disable=SC2034
# Sourced by every integration test. Needs INVENTORY_URL (…/api),
# INVENTORY_CONF and inventoryctl on PATH; scripts/test provides them.
#
# Checks print TAP lines ("ok N - …" / "not ok N - …") and always return 0,
# so a test file may run under `set -e`; CHECK_OK is 1 or 0 after each check.
# End every file with done_testing.

: "${INVENTORY_URL:?INVENTORY_URL is not set}"
: "${INVENTORY_CONF:?INVENTORY_CONF is not set}"

STATUS=""
BODY=""
HEADERS=""
CHECK_OK=1
_TAP_COUNT=0
_TAP_FAILED=0

_API_TMP=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/itest.XXXXXX")
trap 'rm -rf "$_API_TMP"' EXIT

# ---------------------------------------------------------------- TAP

diag() {
	local line
	for line in "$@"; do
		printf '#   %s\n' "$line" >&2
	done
}

_diag_body() {
	local text=$BODY
	[ "${#text}" -gt 2000 ] && text="${text:0:2000}…"
	printf '%s\n' "$text" | sed 's/^/#   body: /' >&2
}

pass() {
	_TAP_COUNT=$((_TAP_COUNT + 1))
	CHECK_OK=1
	printf 'ok %d - %s\n' "$_TAP_COUNT" "$1"
}

# fail DESC [DIAGNOSTIC...]
fail() {
	_TAP_COUNT=$((_TAP_COUNT + 1))
	_TAP_FAILED=$((_TAP_FAILED + 1))
	CHECK_OK=0
	printf 'not ok %d - %s\n' "$_TAP_COUNT" "$1"
	shift
	diag "$@"
}

done_testing() {
	printf '# %d tests\n' "$_TAP_COUNT"
	if [ "$_TAP_FAILED" -gt 0 ]; then
		printf '# %d failed\n' "$_TAP_FAILED"
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------- HTTP

# _api_do METHOD PATH CURL_ARGS...: sets STATUS, BODY and HEADERS.
_api_do() {
	local method=$1 path=$2 url code rc=0
	shift 2
	case $path in
	/api/* | /api) path=${path#/api} ;;
	esac
	url="$INVENTORY_URL$path"
	local -a args=(-sS -o "$_API_TMP/body" -D "$_API_TMP/headers" -w '%{http_code}')
	if [ "$method" = HEAD ]; then
		args+=(--head)
	else
		args+=(-X "$method")
	fi
	: >"$_API_TMP/body"
	: >"$_API_TMP/headers"
	code=$(curl "${args[@]}" "$@" "$url") || rc=$?
	if [ "$rc" -ne 0 ]; then
		diag "curl $method $url failed with status $rc"
		code=000
	fi
	STATUS=$code
	BODY=$(cat "$_API_TMP/body")
	# Keeps the last header block only (after any 100 Continue); names lowercased.
	HEADERS=$(tr -d '\r' <"$_API_TMP/headers" | awk '
		/^HTTP\// { block = $0 "\n"; next }
		/^$/ { next }
		{
			i = index($0, ":")
			if (i > 0) $0 = tolower(substr($0, 1, i - 1)) substr($0, i)
			block = block $0 "\n"
		}
		END { printf "%s", block }')
	return 0
}

# api METHOD PATH [BODY] [TOKEN]
# PATH is relative to /api (a leading /api is stripped). TOKEN defaults to
# $TOKEN; "-" sends no Authorization header. An empty BODY sends none.
api() {
	local method=$1 path=$2 req_body=${3:-} token
	if [ "$#" -ge 4 ]; then
		token=$4
	else
		token=${TOKEN:--}
	fi
	local -a args=()
	if [ -n "$token" ] && [ "$token" != - ]; then
		args+=(-H "Authorization: Bearer $token")
	fi
	if [ -n "$req_body" ]; then
		printf '%s' "$req_body" >"$_API_TMP/request"
		args+=(-H 'Content-Type: application/json' --data-binary "@$_API_TMP/request")
	fi
	_api_do "$method" "$path" "${args[@]}"
}

# api_raw METHOD PATH [CURL_ARGS...]: adds no header of its own, e.g.
#   api_raw POST /products -H "Authorization: Bearer $TOKEN" \
#       -H 'Content-Type: text/plain' --data-binary 'x'
api_raw() {
	_api_do "$@"
}

# header_value NAME: the value of response header NAME (case-insensitive).
header_value() {
	local name
	name=$(tr '[:upper:]' '[:lower:]' <<<"$1")
	awk -v n="$name" '
		{
			i = index($0, ":")
			if (i > 0 && substr($0, 1, i - 1) == n) {
				v = substr($0, i + 1)
				sub(/^[ \t]+/, "", v)
				found = v
			}
		}
		END { printf "%s", found }' <<<"$HEADERS"
}

# ---------------------------------------------------------------- checks

# check_status EXPECTED DESC: EXPECTED may list alternatives: "200|201".
check_status() {
	if [[ $STATUS =~ ^($1)$ ]]; then
		pass "$2"
	else
		fail "$2" "got status $STATUS, expected $1"
		_diag_body
	fi
}

# check_json JQ_FILTER EXPECTED DESC: compares `jq -r FILTER` of BODY.
check_json() {
	local got
	got=$(jq -r "$1" <<<"$BODY" 2>&1) || true
	if [ "$got" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "$1: got '$got', expected '$2'"
		_diag_body
	fi
}

# check_true JQ_EXPR DESC: `jq -e EXPR` on BODY succeeds.
check_true() {
	if jq -e "$1" <<<"$BODY" >/dev/null 2>&1; then
		pass "$2"
	else
		fail "$2" "not true: $1"
		_diag_body
	fi
}

# check_eq GOT EXPECTED DESC
check_eq() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got '$1', expected '$2'"
	fi
}

# check_header NAME REGEX DESC: the response header matches the ERE.
check_header() {
	local value
	value=$(header_value "$1")
	if [ -n "$value" ] && [[ $value =~ $2 ]]; then
		pass "$3"
	else
		fail "$3" "header $1: got '$value', expected /$2/"
	fi
}

# ---------------------------------------------------------------- setup

ctl() {
	INVENTORY_CONF="$INVENTORY_CONF" inventoryctl "$@"
}

# import_csv KIND FILE SLUG DESC: inventoryctl import KIND FILE into the
# workspace SLUG, as a check named DESC.
import_csv() {
	local out
	if out=$(ctl import "$1" "$2" --workspace "$3" 2>&1); then
		pass "$4"
	else
		fail "$4" "inventoryctl import $1 $2 failed:" "$out"
	fi
}

# uniq_slug PREFIX: a slug no other run uses.
uniq_slug() {
	printf '%s-%s\n' "$1" "$(openssl rand -hex 4)"
}

# new_workspace SLUG [NAME]: prints the workspace id (ws_N).
new_workspace() {
	local out id
	local -a args=(workspace create "$1")
	[ -n "${2:-}" ] && args+=(--name "$2")
	if ! out=$(ctl "${args[@]}" 2>&1); then
		diag "inventoryctl ${args[*]} failed:" "$out"
		return 1
	fi
	id=$(sed -n 's/^id: *//p' <<<"$out" | head -n 1)
	if [ -z "$id" ]; then
		diag "inventoryctl ${args[*]} printed no id:" "$out"
		return 1
	fi
	printf '%s\n' "$id"
}

# new_key SLUG PERMS [ROLES]: prints the API key (ik_…).
new_key() {
	local out key
	local -a args=(apikey create --workspace "$1" --permissions "$2" --name test)
	[ -n "${3:-}" ] && args+=(--roles "$3")
	if ! out=$(ctl "${args[@]}" 2>&1); then
		diag "inventoryctl ${args[*]} failed:" "$out"
		return 1
	fi
	key=$(sed -n 's/^key: *//p' <<<"$out" | head -n 1)
	if [ -z "$key" ]; then
		diag "inventoryctl ${args[*]} printed no key:" "$out"
		return 1
	fi
	printf '%s\n' "$key"
}

# new_token SLUG PERMS [ROLES] [TTL]: prints a JWT for user ${TOKEN_USER:-u1}.
new_token() {
	local out
	local -a args=(token --workspace "$1" --user "${TOKEN_USER:-u1}" --permissions "$2")
	[ -n "${3:-}" ] && args+=(--roles "$3")
	[ -n "${4:-}" ] && args+=(--ttl "$4")
	if ! out=$(ctl "${args[@]}"); then
		diag "inventoryctl ${args[*]} failed"
		return 1
	fi
	if [ -z "$out" ]; then
		diag "inventoryctl ${args[*]} printed no token"
		return 1
	fi
	printf '%s\n' "$out"
}
