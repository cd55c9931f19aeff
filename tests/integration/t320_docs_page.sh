#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The documentation page at /api/docs (docs/api, served by nginx): it answers
# without a credential with safe headers, and in headless Chromium it renders
# the OpenAPI document: every operation is listed and a response schema shows
# its fields.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

base=${INVENTORY_URL%/api}
work=$_API_TMP/docs
mkdir -p "$work"

# page_get PATH [CURL_ARGS...]: like api_raw for what is not JSON (the
# responses are not checked against the OpenAPI document, which describes
# the application's routes, not these static files).
page_get() {
	local path=$1 rc=0
	shift
	STATUS=$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@" \
		"$base$path") || rc=$?
	[ "$rc" -eq 0 ] || STATUS=000
	BODY=$(cat "$work/body")
	HEADERS=$(tr -d '\r' <"$work/headers" | awk '
		/^HTTP\// || /^$/ { next }
		{ i = index($0, ":"); print tolower(substr($0, 1, i - 1)) substr($0, i) }')
}

# ---------------------------------------------------------------- HTTP

page_get /api/docs
check_status 200 "GET /api/docs without a credential is 200"
check_header content-type '^text/html; charset=utf-8$' "the page is HTML in UTF-8"
check_header x-content-type-options '^nosniff$' "the page carries nosniff"
csp=$(header_value content-security-policy)
for directive in "default-src 'none'" "script-src 'self'" "connect-src 'self'" \
	"frame-ancestors 'none'" "base-uri 'none'"; do
	check_eq "$([[ "; $csp;" == *"; $directive;"* ]] && echo yes || echo no)" yes \
		"the Content-Security-Policy has $directive"
done
check_header referrer-policy '^no-referrer$' "the page sends no Referer"

# The page's links are relative to /api/docs: they must reach the document and
# the script from there.
mapfile -t links < <(python3 - "$base/api/docs" "$work/body" <<-'PY'
	import re, sys, urllib.parse
	html = open(sys.argv[2], encoding="utf-8").read()
	for m in re.finditer(r'<(?:redoc spec-url|script src)="([^"]+)"', html):
	    print(urllib.parse.urljoin(sys.argv[1], m.group(1)))
	PY
)
check_eq "${links[*]}" "$base/api/openapi.json $base/api/docs/redoc.standalone.js" \
	"the page loads /api/openapi.json with /api/docs/redoc.standalone.js"

page_get /api/docs/redoc.standalone.js
check_status 200 "the script is served"
# With nosniff a browser runs a script only if its type says JavaScript.
check_header content-type '^(application|text)/javascript' "the script is served as JavaScript"
check_header x-content-type-options '^nosniff$' "the script carries nosniff"
for f in redoc.LICENSE redoc.standalone.js.LICENSE.txt; do
	page_get "/api/docs/$f"
	check_status 200 "the licence text $f is served"
done

page_get /api/docs/
check_status 301 "/api/docs/ redirects"
check_header location '^/api/docs$' "to /api/docs (relative, whatever the host)"

api_raw GET /api/docs/no-such-file.js
check_status 404 "a file the page does not have is 404"
check_json .error "Not Found" "in JSON"
check_header x-content-type-options '^nosniff$' "with nosniff"
api_raw POST /api/docs -H 'Content-Type: application/json' --data-binary '{}'
check_status 405 "POST /api/docs is 405"
check_header allow '^GET, HEAD$' "Allow: GET, HEAD"
check_json .error "Method Not Allowed" "in JSON"

# ---------------------------------------------------------------- Chromium

have_chromium() { command -v chromium >/dev/null 2>&1; }
if ! have_chromium && [ "$(id -u)" -eq 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y chromium >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; } || true
fi
if ! have_chromium; then
	pass "the page in Chromium # SKIP Debian's chromium package could not be installed (run as root, or apt-get install chromium)"
	done_testing
fi

if ! curl -sSf -o "$work/openapi.json" "$INVENTORY_URL/openapi.json"; then
	fail "the OpenAPI document could be fetched"
	done_testing
fi

# dump_dom: the page as Chromium shows it once its scripts are done (virtual
# time runs the page's timers without waiting for them, and stands still
# while requests are pending); the console, CSP violations included, goes to
# chromium.log.
dump_dom() {
	local -a args=(--headless --disable-gpu --disable-dev-shm-usage --no-first-run
		--no-default-browser-check --user-data-dir="$work/profile"
		--enable-logging=stderr --v=0 --virtual-time-budget=60000)
	# Chromium's sandbox refuses to run as root.
	[ "$(id -u)" -eq 0 ] && args+=(--no-sandbox)
	timeout 180 chromium "${args[@]}" --dump-dom "$base/api/docs" \
		>"$work/dom.html" 2>"$work/chromium.log" </dev/null
}

# check_dom: prints one line per thing missing from the rendered page.
check_dom() {
	python3 - "$work/openapi.json" "$work/dom.html" <<-'PY'
	import html, json, re, sys
	doc = json.load(open(sys.argv[1]))
	dom = open(sys.argv[2], encoding="utf-8", errors="replace").read()
	# Redoc 2.5 gives each operation an <h2> holding an anchor to
	# "#tag/TAG/operation/OPERATION_ID" followed by the operation's summary.
	headings = {}
	for m in re.finditer(r'<h2[^>]*>\s*<a[^>]*href="#[^"]*/operation/([^"]+)"[^>]*>\s*</a>(.*?)</h2>',
	                     dom, re.S):
	    headings[html.unescape(m.group(1))] = (m.start(), html.unescape(m.group(2)).strip())
	for path, item in doc["paths"].items():
	    for method, op in item.items():
	        if method not in ("get", "post", "patch", "put", "delete"):
	            continue
	        got = headings.get(op["operationId"])
	        if not got or got[1] != op["summary"]:
	            print("operation %s %s (%s) is not listed" % (method.upper(), path, op["summary"]))
	# The section of "List inventory items" shows its response schema: the
	# fields of the items, quantityAvailable among them.
	start = headings.get("getInventory", (-1, ""))[0]
	if start < 0:
	    print("no section for GET /api/inventory")
	else:
	    nxt = [p for p, _ in headings.values() if p > start]
	    section = dom[start:min(nxt) if nxt else len(dom)]
	    schema = section.find("Response Schema")
	    if schema < 0:
	        print("GET /api/inventory shows no response schema")
	    elif not re.search(r'kind="field" title="quantityAvailable"', section[schema:]):
	        print("the response schema of GET /api/inventory has no field quantityAvailable")
	# The API's description is CommonMark: what it quotes stays as written.
	text = html.unescape(re.sub(r"<[^>]+>", "", dom))
	if "Authorization: Bearer <JWT or API key>" not in text:
	    print("the description lost 'Authorization: Bearer <JWT or API key>'")
	PY
}

rc=0
dump_dom || rc=$?
check_eq "$rc" 0 "chromium --dump-dom /api/docs exits 0"
[ "$CHECK_OK" = 1 ] || diag "chromium's log:" "$(tail -n 20 "$work/chromium.log")"
dom=$(cat "$work/dom.html")
check_eq "$([[ $dom == *'redoc-wrap"'* ]] && echo yes || echo no)" yes \
	"Redoc rendered the page"
check_eq "$([[ $dom == *'Get channel x location ATP matrix'* ]] && echo yes || echo no)" yes \
	"the page names the operation 'Get channel x location ATP matrix'"
check_eq "$([[ $dom != *'Something went wrong'* ]] && echo yes || echo no)" yes \
	"Redoc reports no error"
missing=$(check_dom 2>&1) || true
check_eq "$missing" "" "every operation is listed, and GET /api/inventory shows its response schema"
[ "$CHECK_OK" = 1 ] || diag "$(head -n 10 <<<"$missing")"
# Only Redoc's footer logo (an image on its vendor's server) may be refused:
# nothing that the page needs is.
refused=$(grep 'violates the following Content Security Policy' "$work/chromium.log" |
	grep -v "directive: \"img-src " || true)
check_eq "$refused" "" "the Content-Security-Policy refuses nothing the page needs"

done_testing
