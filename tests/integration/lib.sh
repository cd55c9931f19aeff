# SPDX-License-Identifier: MIT
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
_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Every response of api and api_raw is recorded for done_testing, which
# checks them against the OpenAPI document: the index holds one line a
# response (METHOD, STATUS, BODY_FILE, PATH, CONTENT_TYPE; tab-separated),
# the bodies are files in $_API_TMP/responses. PATH is the path as sent,
# without the query string, e.g. /api/products/prod_12; CONTENT_TYPE the
# response's Content-Type header (empty when it has none).
_API_RECORD=$_API_TMP/responses.tsv
_API_RECORD_N=0
_API_URL_PATH=${INVENTORY_URL#*://}
_API_URL_PATH=/${_API_URL_PATH#*/}
[ "$_API_URL_PATH" = "/${INVENTORY_URL#*://}" ] && _API_URL_PATH=""
mkdir "$_API_TMP/responses"
# The interpreter that Debian's python3-jsonschema is installed for, even
# when another python3 comes first on PATH.
SCHEMA_PYTHON=${SCHEMA_PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

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

# _check_responses: one TAP line when every recorded response matches the
# OpenAPI document (tests/integration/check_responses.py), else one per
# distinct mismatch. Prints nothing when no response was recorded.
_check_responses() {
	local doc out line rc=0 failed=0
	[ -s "$_API_RECORD" ] || return 0
	doc=${TEST_DIR:-$_API_TMP}/openapi.json
	if [ ! -s "$doc" ]; then
		if ! curl -sSf -o "$doc.$$" "$INVENTORY_URL/openapi.json" || ! mv "$doc.$$" "$doc"; then
			rm -f "$doc.$$"
			fail "the OpenAPI document could be fetched to check the responses"
			return 0
		fi
	fi
	out=$("$SCHEMA_PYTHON" "$_LIB_DIR/check_responses.py" --first $((_TAP_COUNT + 1)) \
		"$doc" "$_API_RECORD" 2>&1) || rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			_TAP_COUNT=$((_TAP_COUNT + 1))
			printf '%s\n' "$line"
			;;
		"not ok "*)
			_TAP_COUNT=$((_TAP_COUNT + 1))
			_TAP_FAILED=$((_TAP_FAILED + 1))
			failed=$((failed + 1))
			printf '%s\n' "$line"
			;;
		*) printf '%s\n' "$line" >&2 ;;
		esac
	done <<<"$out"
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		fail "the responses could be checked against the OpenAPI document" \
			"check_responses.py exited with status $rc"
	fi
}

done_testing() {
	_check_responses
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
	local method=$1 path=$2 url code rc=0 body_file sent
	shift 2
	case $path in
	/api/* | /api) path=${path#/api} ;;
	esac
	url="$INVENTORY_URL$path"
	# Named by the shell's pid too: a subshell's counter starts where its
	# parent's was.
	_API_RECORD_N=$((_API_RECORD_N + 1))
	body_file=responses/$BASHPID.$_API_RECORD_N
	local -a args=(-sS -o "$_API_TMP/$body_file" -D "$_API_TMP/headers" -w '%{http_code}')
	if [ "$method" = HEAD ]; then
		args+=(--head)
	else
		args+=(-X "$method")
	fi
	: >"$_API_TMP/$body_file"
	: >"$_API_TMP/headers"
	code=$(curl "${args[@]}" "$@" "$url") || rc=$?
	if [ "$rc" -ne 0 ]; then
		diag "curl $method $url failed with status $rc"
		code=000
	fi
	STATUS=$code
	BODY=$(cat "$_API_TMP/$body_file")
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
	if [ "$method" != HEAD ] && [ "$code" != 000 ]; then
		sent=$_API_URL_PATH${path%%[?#]*}
		sent=${sent//[$'\t\n']/ }
		printf '%s\t%s\t%s\t%s\t%s\n' "$method" "$code" "$body_file" "$sent" \
			"$(header_value content-type | tr -d '\t')" >>"$_API_RECORD"
	fi
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

# wait_healthy: waits up to 10 s for GET /health to answer 200 (after the
# test restarted the database); STATUS tells whether it did.
wait_healthy() {
	local i
	for i in $(seq 1 50); do
		api GET /health "" -
		[ "$STATUS" = 200 ] && break
		sleep 0.2
	done
}

# ---------------------------------------------------------------- setup

ctl() {
	INVENTORY_CONF="$INVENTORY_CONF" inventoryctl "$@"
}

# sql STATEMENT: runs it in the test stack's database (root over its
# socket), prints tab-separated rows.
sql() {
	mariadb --no-defaults --socket="$TEST_DIR/mysql.sock" -uroot inventory -N -B -e "$1"
}

# import_csv KIND FILE SLUG DESC: inventoryctl import as one check.
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

# reason_code_id CODE [TOKEN]: prints the id of the workspace's reason code
# CODE; a new workspace has the standard ones (CYCLE_COUNT, DAMAGE, ...).
# Needs reasoncodes.read; leaves STATUS, BODY and HEADERS as they were.
reason_code_id() {
	local body=$BODY status=$STATUS headers=$HEADERS id
	api GET "/reason-codes?code=$1" "" "${2:-${TOKEN:--}}"
	id=$(jq -r '.items[0].id // empty' <<<"$BODY" 2>/dev/null) || true
	BODY=$body STATUS=$status HEADERS=$headers
	if [ -z "$id" ]; then
		diag "the workspace has no reason code $1"
		return 1
	fi
	printf '%s\n' "$id"
}
