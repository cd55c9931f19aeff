#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The errors that nginx answers itself are JSON shaped like the API's, and
# every answer carries X-Content-Type-Options: nosniff (nginx/inventory-api.conf).
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

hostport=${INVENTORY_URL#http://}
hostport=${hostport%%/*}

# raw_request BYTES: sends BYTES (printf escapes allowed) as they are, for
# requests that curl will not write; sets STATUS, HEADERS and BODY like api.
raw_request() {
	local out
	out=$(python3 - "${hostport%:*}" "${hostport##*:}" "$1" <<-'PY'
	import socket, sys
	host, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
	data = data.encode().decode("unicode_escape").encode("latin-1")
	s = socket.create_connection((host, port), timeout=10)
	s.sendall(data)
	s.shutdown(socket.SHUT_WR)
	out = b""
	while True:
	    b = s.recv(65536)
	    if not b:
	        break
	    out += b
	sys.stdout.write(out.decode("latin-1"))
	PY
	) || true
	out=${out//$'\r'/}
	STATUS=$(head -n 1 <<<"$out" | awk '{ print $2 }')
	HEADERS=$(sed -n '2,/^$/p' <<<"$out" | awk '
		/^$/ { next }
		{ i = index($0, ":"); print tolower(substr($0, 1, i - 1)) substr($0, i) }')
	BODY=$(sed '1,/^$/d' <<<"$out")
}

# check_json_error STATUS ERROR MESSAGE_REGEX DESC: the last answer is the
# JSON error {"error": ERROR, "message": ...} with nosniff.
check_json_error() {
	check_status "$1" "$4: status $1"
	check_header content-type '^application/json' "$4: Content-Type is JSON"
	check_json .error "$2" "$4: error is '$2'"
	check_true ".message | test(\"$3\")" "$4: the message says why"
	check_true 'keys - ["error", "message"] == []' "$4: no other members"
	check_header x-content-type-options '^nosniff$' "$4: nosniff"
}

long=$(head -c 9000 /dev/zero | tr '\0' a)
api_raw GET "/products/$long"
check_json_error 414 "URI Too Long" "too long" "a 9000-byte URI"

# nginx's own code for this is 494, which it answers as 400.
api_raw GET /health -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)"
check_json_error 400 "Bad Request" "header is too large" "a 20 KB header"

api_raw GET /products/prod%00_1
check_json_error 400 "Bad Request" "malformed" "%00 in the path"

api_raw GET /../../etc/passwd --path-as-is
check_json_error 400 "Bad Request" "malformed" "a path above the root"

api_raw TRACE /health
check_json_error 405 "Method Not Allowed" "not allowed" "TRACE"
check_header allow '^GET, HEAD, POST, PATCH, DELETE$' "TRACE: Allow names the API's methods"

big=$(mktemp)
head -c 2000000 /dev/zero | tr '\0' a >"$big"
api_raw POST /products -H 'Content-Type: application/json' --data-binary @"$big"
rm -f "$big"
check_json_error 413 "Payload Too Large" "too large" "a 2 MB body"

# A DELETE goes through its own location (@inventory_api_once, reached by
# an error_page): nginx's errors there are JSON too.
big=$(mktemp)
head -c 2000000 /dev/zero | tr '\0' a >"$big"
api_raw DELETE /products/prod_1 -H 'Content-Type: application/json' --data-binary @"$big"
rm -f "$big"
check_json_error 413 "Payload Too Large" "too large" "a DELETE with a 2 MB body"
raw_request 'DELETE /api/products/prod_1 HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n'
check_json_error 400 "Bad Request" "malformed" "a DELETE with a badly chunked body"

raw_request 'GET /api/health x y HTTP/1.1\r\nHost: localhost\r\n\r\n'
check_json_error 400 "Bad Request" "malformed" "a malformed request line"

raw_request 'GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n'
check_json_error 400 "Bad Request" "malformed" "HTTP/1.1 without Host"

raw_request 'GET /api/health HTTP/3.0\r\nHost: localhost\r\n\r\n'
check_json_error 505 "HTTP Version Not Supported" "version" "HTTP/3.0 in the request line"

raw_request 'POST /api/products HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n'
check_json_error 501 "Not Implemented" "transfer encoding" "an unknown Transfer-Encoding"

raw_request 'POST /api/products HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n\r\n'
check_json_error 400 "Bad Request" "malformed" "a badly chunked body"

# --- nosniff on the application's answers
api GET /health "" -
check_status 200 "GET /health is 200"
check_header x-content-type-options '^nosniff$' "a 200 carries nosniff"
api GET /inventory "" -
check_status 401 "GET /inventory without credentials is 401"
check_header x-content-type-options '^nosniff$' "a 401 carries nosniff"
api GET /no-such-route "" -
check_status 404 "an unknown path is 404"
check_header x-content-type-options '^nosniff$' "a 404 carries nosniff"

# /api without its slash, and (in the test stack) everything outside /api/.
api_raw GET /api
check_status 404 "/api is 404, not a redirect"
check_json .error "Not Found" "/api answers JSON"
check_header x-content-type-options '^nosniff$' "/api carries nosniff"
raw_request 'GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check_status 404 "a path outside /api/ is 404"
check_json .error "Not Found" "a path outside /api/ answers JSON"
check_header x-content-type-options '^nosniff$' "a path outside /api/ carries nosniff"

done_testing
