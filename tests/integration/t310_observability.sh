#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Observability: GET /api/metrics (the Prometheus text format, shared by the
# workers, per route and status class, a latency histogram, statements,
# replays, per process uptime and memory; the permission system.metrics),
# the request log line (UTC time, caller, client address, the client's own
# X-Request-Id), GET /api/health (version, pending migrations) and the
# liveness answer without the database, --version and the manual pages.
# Ends by stopping MariaDB and killing a worker: keep it last but for tests
# that restart what they need.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/stack.sh
. "$(dirname "$0")/../../scripts/lib/stack.sh"
REPO=$STACK_REPO
PARSE="$SCHEMA_PYTHON $(dirname "$0")/prom_parse.py"

slug=$(uniq_slug obs)
ws=$(new_workspace "$slug")
out=$(ctl apikey create --workspace "$slug" --permissions \
	inventory.read,products.read,products.write,system.metrics --name obs)
mkey=$(sed -n 's/^key: *//p' <<<"$out")
mkey_id=$(sed -n 's/^id: *//p' <<<"$out")
rkey=$(new_key "$slug" inventory.read)

# scrape: GET /metrics with the metrics key; $SAMPLES is the parsed JSON.
SAMPLES=""
scrape() {
	local parsed
	api GET /metrics "" "$mkey"
	if [ "$STATUS" != 200 ]; then
		fail "GET /metrics answers" "status $STATUS"
		SAMPLES='{"types":{},"samples":[]}'
		return
	fi
	if parsed=$($PARSE <<<"$BODY" 2>&1); then
		SAMPLES=$parsed
	else
		fail "the exposition parses" "$parsed"
		SAMPLES='{"types":{},"samples":[]}'
	fi
}

# value NAME LABELS_JSON: the sum of the samples NAME whose labels include
# LABELS_JSON (0 when none), as an integer.
value() {
	jq -r --arg n "$1" --argjson l "$2" '
		[.samples[] | select(.name == $n and (.labels as $x | $l | to_entries |
						      all($x[.key] == .value)))] |
		if length == 0 then 0 else (map(.value) | add | floor) end' <<<"$SAMPLES"
}

# check_samples JQ_EXPR DESC: like check_true, on the parsed scrape.
check_samples() {
	if jq -e "$1" <<<"$SAMPLES" >/dev/null 2>&1; then
		pass "$2"
	else
		fail "$2" "not true of the scrape: $1"
	fi
}

INV='{"method":"GET","route":"/api/inventory"}'
inv_class() { jq -c --arg c "$1" '. + {status_class: $c}' <<<"$INV"; }

# ---------------------------------------------------------------- access

api GET /metrics "" -
check_status 401 "GET /metrics without credentials is 401"
api GET /metrics "" "$rkey"
check_status 403 "GET /metrics without system.metrics is 403"
check_json .message "requires permission system.metrics" "the 403 names system.metrics"
api GET /metrics "" "$mkey"
check_status 200 "GET /metrics with system.metrics is 200"
check_header content-type '^text/plain; version=0\.0\.4; charset=utf-8$' \
	"the metrics are text/plain version 0.0.4"

# ---------------------------------------------------------------- counters

scrape
pass "the exposition parses (HELP/TYPE, samples, histograms cumulative with +Inf = _count)"
check_eq "$(jq -r '.types.inventory_http_requests_total + " " +
	.types.inventory_http_request_duration_seconds + " " +
	.types.inventory_db_statements_total + " " + .types.inventory_db_deadlock_retries_total + " " +
	.types.inventory_idempotent_replays_total + " " + .types.inventory_process_uptime_seconds + " " +
	.types.inventory_process_resident_memory_bytes' <<<"$SAMPLES")" \
	"counter histogram counter counter counter gauge gauge" "every family has its type"
ok0=$(value inventory_http_requests_total "$(inv_class 2xx)")
bad0=$(value inventory_http_requests_total "$(inv_class 4xx)")
count0=$(value inventory_http_request_duration_seconds_count "$INV")
stmts0=$(value inventory_db_statements_total "$INV")
unmatched0=$(value inventory_http_requests_total '{"route":"unmatched","status_class":"4xx"}')
PROD_4XX='{"method":"GET","route":"/api/products/[id]","status_class":"4xx"}'
prod0=$(value inventory_http_requests_total "$PROD_4XX")

for _ in 1 2 3; do api GET /inventory "" "$rkey"; done
check_status 200 "GET /inventory is 200"
api GET /inventory "" -
api GET /inventory "" -
check_status 401 "GET /inventory without credentials is 401"
api GET /products/prod_999999999 "" "$rkey"
check_status 403 "GET /products/[id] without products.read is 403"
api GET /no-such-route "" "$rkey"
check_status 404 "an unknown path is 404"

scrape
check_eq "$(($(value inventory_http_requests_total "$(inv_class 2xx)") - ok0))" 3 \
	"GET /api/inventory 2xx grew by the 3 answered"
check_eq "$(($(value inventory_http_requests_total "$(inv_class 4xx)") - bad0))" 2 \
	"GET /api/inventory 4xx grew by the 2 refused"
check_eq "$(($(value inventory_http_request_duration_seconds_count "$INV") - count0))" 5 \
	"its histogram's _count grew by the 5 requests"
check_eq "$(value inventory_http_request_duration_seconds_count "$INV")" \
	"$(value inventory_http_requests_total "$INV")" "_count is the sum of the status classes"
check_samples '[.samples[] | select(.name == "inventory_http_request_duration_seconds_sum" and
	.labels.route == "/api/inventory")][0].value > 0' "its _sum is above 0"
check_eq "$(($(value inventory_db_statements_total "$INV") - stmts0 >= 3))" 1 \
	"database statements of GET /api/inventory grew (at least one a request)"
check_eq "$(($(value inventory_http_requests_total "$PROD_4XX") - prod0))" 1 \
	"a request is counted under its route's pattern (/api/products/[id])"
check_eq "$(grep -c 'prod_999999999\|no-such-route' <<<"$BODY" || true)" 0 "no raw path is a label"
check_eq "$(($(value inventory_http_requests_total '{"route":"unmatched","status_class":"4xx"}') - unmatched0))" 1 \
	"a request that matched no route is counted as route=\"unmatched\""
# Every bucket of GET /api/inventory, in order: cumulative and ending at _count.
buckets=$(jq -r '[.samples[] | select(.name == "inventory_http_request_duration_seconds_bucket" and
	.labels.route == "/api/inventory" and .labels.method == "GET") | .value | floor] | join(" ")' <<<"$SAMPLES")
check_eq "$(awk '{ for (i = 2; i <= NF; i++) if ($i < $(i - 1)) bad = 1; print (bad ? "no" : "yes") }' <<<"$buckets")" yes \
	"the buckets are cumulative ($buckets)"
check_eq "${buckets##* }" "$(value inventory_http_request_duration_seconds_count "$INV")" \
	"the +Inf bucket equals _count"

# Idempotent replays, counted for their route.
CAT='{"method":"POST","route":"/api/categories"}'
replays0=$(value inventory_idempotent_replays_total "$CAT")
idem_key="obs-$(openssl rand -hex 6)"
for _ in 1 2; do
	api_raw POST /categories -H "Authorization: Bearer $mkey" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $idem_key" --data-binary '{"name":"obs"}'
done
check_header idempotent-replayed '^true$' "the second POST is a replay"
scrape
check_eq "$(($(value inventory_idempotent_replays_total "$CAT") - replays0))" 1 \
	"the replay is counted for POST /api/categories"
check_samples '[.samples[] | select(.name == "inventory_db_deadlock_retries_total" and
	.labels.route == "/api/categories" and .labels.method == "POST")] | length == 1' \
	"deadlock retries are exposed per route (one sample for POST /api/categories)"

# Per process: every worker of the pool, with its uptime and memory.
mapfile -t workers < <(_stack_fcgi_pids "$TEST_DIR" | sort -n)
check_eq "$(value inventory_processes '{}')" "${#workers[@]}" \
	"inventory_processes is the number of workers (${#workers[@]})"
check_eq "$(jq -r '[.samples[] | select(.name == "inventory_process_resident_memory_bytes") |
	.labels.pid | tonumber] | sort | join(" ")' <<<"$SAMPLES")" "${workers[*]}" \
	"every worker's resident memory is there, and only theirs"
check_samples '[.samples[] | select(.name == "inventory_process_resident_memory_bytes") | .value > 1000000] | all' \
	"resident memory is in bytes (above 1 MB)"
check_samples '[.samples[] | select(.name == "inventory_process_uptime_seconds") | .value >= 0] | length > 0' \
	"uptime is there"

# ---------------------------------------------------------------- log line

log_line() { # log_line ID: the request's log line, once written
	local i line=""
	for i in $(seq 1 30); do
		line=$(grep -F " $1 " "$TEST_DIR/fcgi.log" | grep -E ' (GET|POST) "' || true)
		[ -n "$line" ] && break
		sleep 0.1
	done
	printf '%s' "$line"
}
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

rid="obs-$(openssl rand -hex 8)"
api_raw GET /inventory -H "Authorization: Bearer $rkey" -H "X-Request-Id: $rid"
check_status 200 "a request with its own X-Request-Id is 200"
check_eq "$(header_value x-request-id)" "$rid" "the answer carries the client's X-Request-Id"
line=$(log_line "$rid")
check_eq "$(grep -c . <<<"$line")" 1 "the request is logged once under the client's id"
rkey_id=$(ctl apikey list --workspace "$slug" | awk -v m="$mkey_id" '$1 ~ /^key_/ && $1 != m { print $1 }' | head -n 1)
if [[ $line =~ ^($TS)\ $rid\ GET\ \"/api/inventory\"\ 200\ [0-9.]+ms\ ws=${ws#ws_}\ caller=\"$rkey_id\"\ client=127\.0\.0\.1\ bytes=[0-9]+$ ]]; then
	pass "the log line: UTC time, id, method, path, status, duration, workspace, caller, client, bytes"
	logged=$(date -u -d "${BASH_REMATCH[1]}" +%s)
	skew=$((logged - $(date -u +%s)))
	check_eq "$((skew >= -60 && skew <= 60))" 1 "its time is now, in UTC ($skew s off)"
else
	fail "the log line: UTC time, id, method, path, status, duration, workspace, caller, client, bytes" \
		"got: $line" "caller expected: $rkey_id"
fi

for bad in 'has space' "$(printf 'x%.0s' $(seq 1 65))" 'semi;colon' 'new%0Aline'; do
	api_raw GET /inventory -H "Authorization: Bearer $rkey" -H "X-Request-Id: $bad"
	rid=$(header_value x-request-id)
	check_eq "$([[ $rid =~ ^[0-9a-f]{32}$ ]] && echo yes)" yes \
		"X-Request-Id '${bad:0:20}' is replaced by nginx's id ($rid)"
done
check_eq "$(grep -c 'has space\|semi;colon' "$TEST_DIR/fcgi.log" || true)" 0 "a bad X-Request-Id never reaches the log"

rid="obs-jwt-$(openssl rand -hex 4)"
jwt=$(TOKEN_USER=obs-user new_token "$slug" inventory.read)
api_raw GET /inventory -H "Authorization: Bearer $jwt" -H "X-Request-Id: $rid"
check_eq "$([[ $(log_line "$rid") == *' caller="obs-user" client=127.0.0.1 '* ]] && echo yes)" yes \
	"a JWT's sub is the caller"
rid="obs-anon-$(openssl rand -hex 4)"
api_raw GET /inventory -H "X-Request-Id: $rid"
check_eq "$([[ $(log_line "$rid") == *' 401 '*' caller=- client=127.0.0.1 '* ]] && echo yes)" yes \
	"a request without credentials has no caller"

# ---------------------------------------------------------------- health

version=$("$REPO/inventory-fcgi" --version | awk '{ print $NF }')
check_eq "$("$REPO/inventoryctl" --version)" "inventoryctl (inventory-api) $version" \
	"inventoryctl --version prints the version"
check_eq "$(grep -c '^AC_INIT(\[inventory-api\], \['"${version//./\\.}"'\]' "$REPO/configure.ac")" 1 \
	"the version is configure's ($version)"
api GET /health "" -
check_status 200 "GET /health is 200"
check_json .version "$version" "health reports the version"
check_json .migrationsPending false "no migration is pending on a migrated database"
check_json .pendingMigrations 0 "none is counted"

last=$(sql "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1")
row=$(sql "SELECT CONCAT(QUOTE(version), ',', QUOTE(name), ',', QUOTE(applied_at))
	FROM schema_migrations WHERE version = '$last'")
sql "DELETE FROM schema_migrations WHERE version = '$last'"
api GET /health "" -
check_status 200 "GET /health is 200 with a migration pending"
check_json .migrationsPending true "a deleted migration row is pending ($last)"
check_json .pendingMigrations 1 "one is counted"
sql "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($row)"
api GET /health "" -
check_json .migrationsPending false "restored, nothing is pending"

api GET /health/live "" -
check_status 200 "GET /health/live is 200"
check_json .status ok "liveness says ok"
check_json .version "$version" "liveness reports the version"

# ---------------------------------------------------------------- binaries

check_eq "$("$REPO/inventory-fcgi" --version)" "inventory-fcgi (inventory-api) $version" \
	"inventory-fcgi --version prints the version"
dest=$(mktemp -d "$TEST_DIR/install.XXXXXX")
if make -C "$REPO" -s install-man DESTDIR="$dest" >"$dest.log" 2>&1; then
	pass "make install-man runs"
else
	fail "make install-man runs" "$(tail -n 5 "$dest.log")"
fi
for page in inventory-fcgi inventoryctl; do
	file=$(find "$dest" -path "*/man1/$page.1" | head -n 1)
	check_eq "$([ -n "$file" ] && grep -c "^\.TH \"\{0,1\}${page^^}" "$file")" 1 \
		"make install puts the manual page $page.1 in man1"
	check_eq "$([ -n "$file" ] && grep -c -- '\\-\\-version' "$file" || echo 0)" 1 \
		"$page.1 documents --version (made from --help)"
done
rm -rf "$dest" "$dest.log"

# ---------------------------------------------------------------- failures

# A worker's death loses no count: the counters live in the shared file.
scrape
before=$(value inventory_http_requests_total "$INV")
victim=${workers[0]}
kill -KILL "$victim"
for _ in $(seq 1 20); do _stack_alive "$victim" || break; sleep 0.1; done
scrape
check_eq "$(($(value inventory_http_requests_total "$INV") >= before))" 1 \
	"the counts stay after a worker is killed ($before)"
check_eq "$(jq -r --arg p "$victim" '[.samples[] | select(.labels.pid == $p)] | length' <<<"$SAMPLES")" 0 \
	"the killed worker's process figures are gone"

# Liveness does not need the database; health says it is down.
_stack_stop_db "$TEST_DIR"
api GET /health/live "" -
check_status 200 "GET /health/live is 200 with the database down"
api GET /health "" -
check_status 503 "GET /health is 503 with the database down"
check_json .version "$version" "and still reports the version"
_stack_start_db "$TEST_DIR" >/dev/null
wait_healthy
check_status 200 "health recovers when the database is back"

done_testing
