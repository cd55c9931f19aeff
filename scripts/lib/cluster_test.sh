# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# "scripts/cluster test": sourced by scripts/cluster, whose functions
# (start_pool, kill_pool, replica_sql, wait_caught_up ...) and settings
# (DIR, PORT, FAIL_TIMEOUT) it uses. Prints "ok - ..." / "not ok - ..."
# lines, the figures as "#" lines, and "N passed, M failed" last.

PASSED=0
FAILED=0
check() {
	if [ "$1" = 1 ]; then
		PASSED=$((PASSED + 1))
		echo "ok - $2"
	else
		FAILED=$((FAILED + 1))
		echo "not ok - $2${3:+ ($3)}"
	fi
}

FIGURES=()
RYW_N=0
figure() {
	FIGURES+=("$*")
}

primary_sql() {
	mariadb --no-defaults --socket="$DIR/primary/mysql.sock" -uroot -N -B inventory -e "$1"
}

# Statements executed by a server so far.
executed() {
	mariadb --no-defaults --socket="$DIR/$1/mysql.sock" -uroot -N -B -e \
		"SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
		 WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'" 2>/dev/null || echo 0
}

# counted VAR COMMAND...: runs COMMAND in this shell, its output into VAR;
# P and R are then the statements the primary and the replica executed
# meanwhile.
counted() {
	local var=$1 p0 r0
	shift
	p0=$(executed primary)
	r0=$(executed replica)
	"$@" >"$WORK/counted"
	P=$(($(executed primary) - p0))
	R=$(($(executed replica) - r0))
	printf -v "$var" '%s' "$(<"$WORK/counted")"
}

# call METHOD PATH [BODY [IDEMPOTENCY_KEY]]: prints the status (000: no
# answer); the body is in $WORK/body.
call() {
	local args=(-s -o "$WORK/body" -w '%{http_code}' --max-time 40 -X "$1"
		-H "Authorization: Bearer $KEY")
	[ -z "${3:-}" ] || args+=(-H 'Content-Type: application/json' --data "$3")
	[ -z "${4:-}" ] || args+=(-H "Idempotency-Key: $4")
	curl "${args[@]}" "http://127.0.0.1:$PORT/api$2" || true
}

# A client's retry: the same request with the same key until it is answered
# 2xx (20 tries); prints the last status.
call_until_done() {
	local code i
	for ((i = 0; i < 20; i++)); do
		code=$(call "$@")
		[[ $code == 2?? ]] && break
		sleep 0.2
	done
	echo "$code"
}

# get N PATH: N GETs; prints how many answered 200.
get() {
	local n=$1 path=$2 i ok=0
	for ((i = 0; i < n; i++)); do
		[ "$(call GET "$path")" = 200 ] && ok=$((ok + 1))
	done
	echo "$ok"
}

# API requests that pool $1 has logged. A worker writes its log lines at
# most a second after the request: callers wait that out.
served() {
	local n
	n=$(grep -cE '^[^ ]+ [^ ]+ [A-Z]+ "/api/' "$DIR/pool-$1/fcgi.log" 2>/dev/null) || true
	echo "${n:-0}"
}

# spread WHEN: 40 lists; checks that both pools answered a share of them.
spread() {
	local when=$1 n=40 a0 b0 a b ok
	sleep 1.1
	a0=$(served a)
	b0=$(served b)
	ok=$(get "$n" /locations)
	sleep 1.1
	a=$(($(served a) - a0))
	b=$(($(served b) - b0))
	check "$({ [ "$ok" = "$n" ] && [ "$a" -ge $((n / 4)) ] && [ "$b" -ge $((n / 4)) ]; } && echo 1)" \
		"requests spread over both pools ($when)" "$ok of $n answered; pool a $a, pool b $b"
	figure "requests per pool, $n lists $when: pool a $a, pool b $b"
}

# reads WHERE N: N lists; checks that all answered and that WHERE
# (replica or primary) ran their statements.
reads() {
	local where=$1 n=$2 ok p r
	counted ok get "$n" /locations
	p=$P r=$R
	check "$({ [ "$ok" = "$n" ]; } && echo 1)" "$n lists answered 200 ($where)" "$ok of $n"
	if [ "$where" = replica ]; then
		check "$({ [ "$r" -ge "$n" ] && [ "$p" -lt "$n" ]; } && echo 1)" \
			"the lists ran on the replica" "replica $r, primary $p statements"
	else
		check "$({ [ "$p" -ge "$n" ]; } && echo 1)" \
			"the lists ran on the primary" "replica $r, primary $p statements"
	fi
	figure "statements for $n lists, replica $3: primary $p, replica $r"
}

# read_own_write WHERE CODE: creates location CODE, then reads the list
# with the write's token; checks it is there, and where the read ran.
read_own_write() {
	local where=$1 code=$2 token p r seconds
	token=$(curl -s -D - -o /dev/null -X POST -H "Authorization: Bearer $KEY" \
		-H 'Content-Type: application/json' \
		--data "{\"name\":\"$code\",\"code\":\"$code\",\"type\":\"WAREHOUSE\"}" \
		"http://127.0.0.1:$PORT/api/locations" | tr -d '\r' |
		sed -n 's/^[Xx]-[Cc]onsistency-[Tt]oken: //p')
	counted seconds curl -s -o "$WORK/body" -w '%{time_total}' -H "Authorization: Bearer $KEY" \
		-H "X-Consistency-Token: $token" "http://127.0.0.1:$PORT/api/locations?limit=100"
	p=$P r=$R
	RYW_MS+=("$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')")
	[ -n "$token" ] || { check "" "a write answers X-Consistency-Token ($where)"; return; }
	jq -e --arg c "$code" '[.items[].code] | index($c) != null' "$WORK/body" >/dev/null ||
		{ check "" "a read with the token sees the write ($where)"; return; }
	if [ "$where" = replica ] && { [ "$r" -lt 3 ] || [ "$p" -ne 0 ]; }; then
		check "" "the replica waited for the write, then answered" "replica $r, primary $p statements"
	elif [ "$where" = primary ] && [ "$p" -lt 2 ]; then
		check "" "the primary answered" "replica $r, primary $p statements"
	fi
}

# read_own_writes WHERE N: N writes, each read back at once with its token.
read_own_writes() {
	local where=$1 n=$2 when=$3 i failed=$FAILED
	RYW_MS=()
	for ((i = 0; i < n; i++)); do
		RYW_N=$((RYW_N + 1))
		read_own_write "$where" "RYW-$$-$RYW_N"
	done
	check "$({ [ "$FAILED" = "$failed" ]; } && echo 1)" \
		"$n reads with a write's token saw the write, answered by the $where ($when)"
	figure "read your write at once, $when: $(printf '%s\n' "${RYW_MS[@]}" |
		sort -n | awk '{ v[NR] = $1 } END { printf "median %s ms, max %s ms (%d reads)", v[int((NR + 1) / 2)], v[NR], NR }')"
}

# Three writes: a location, a product, and a stock line of it there with
# 10 on hand (LOCATION, PRODUCT, ITEM).
stock_up() {
	call POST /locations '{"name":"Main","code":"MAIN","type":"WAREHOUSE"}' >/dev/null
	LOCATION=$(jq -r .id "$WORK/body")
	call POST /products '{"globalSku":"CLUSTER-1","name":"Cluster product"}' >/dev/null
	PRODUCT=$(jq -r .id "$WORK/body")
	call POST /inventory/adjustments/stock "{\"type\":\"FOUND\",\"quantityChange\":10,
		\"productMasterId\":\"$PRODUCT\",\"locationId\":\"$LOCATION\",\"reason\":\"start\"}" >/dev/null
	ITEM=$(jq -r .inventoryItemId "$WORK/body")
}

# A pool that takes each connection, reads the request and closes without
# an answer: a pool that fails after nginx has sent the request. It writes a
# line to $2 for each connection before closing it.
DROPPING_POOL='import socket, sys
listener = socket.socket(socket.AF_UNIX)
listener.bind(sys.argv[1])
listener.listen(64)
while True:
    conn, _ = listener.accept()
    conn.settimeout(0.2)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
    with open(sys.argv[2], "a") as log:
        log.write("dropped\n")
    conn.close()'

dropped() {
	wc -l <"$WORK/dropped"
}

# Pool a replaced by a dropping one: nginx passes a GET on to pool b, but
# never a POST or a DELETE that pool a received; the client's retry with
# the Idempotency-Key applies the POST once.
retry_rules() {
	local sock=$DIR/pool-a/fcgi.sock pid i d n code key loc level levels=()
	# Levels to delete below, one per location, made while both pools run.
	for ((i = 0; i < 8; i++)); do
		call POST /locations "{\"name\":\"Levels $i\",\"code\":\"LEVELS-$$-$i\"}" >/dev/null
		loc=$(jq -r .id "$WORK/body")
		call POST /inventory-levels "{\"productMasterId\":\"$PRODUCT\",\"locationId\":\"$loc\",
			\"minQuantity\":1,\"reorderQuantity\":2,\"maxQuantity\":3}" >/dev/null
		levels+=("$(jq -r .id "$WORK/body")")
	done
	stop_pool a
	: >"$WORK/dropped"
	python3 -c "$DROPPING_POOL" "$sock" "$WORK/dropped" </dev/null >/dev/null 2>&1 &
	pid=$!
	STARTED+=("$pid")
	for ((i = 0; i < 50; i++)); do
		[ -S "$sock" ] && break
		sleep 0.1
	done

	d=$(dropped)
	n=$(get 12 /locations)
	d=$(($(dropped) - d))
	check "$({ [ "$n" = 12 ] && [ "$d" -ge 1 ]; } && echo 1)" \
		"GETs that pool a took and dropped were answered by pool b" "$n of 12 answered, $d dropped"

	sleep "$((FAIL_TIMEOUT + 1)).1" # nginx tries pool a again
	for ((i = 0; i < 12; i++)); do
		key=dropped-post-$$-$i
		loc=DROP-$$-$i
		d=$(dropped)
		code=$(call POST /locations "{\"name\":\"$loc\",\"code\":\"$loc\"}" "$key")
		[ "$(dropped)" -gt "$d" ] && break
	done
	n=$(primary_sql "SELECT COUNT(*) FROM locations WHERE code = '$loc'")
	check "$({ [ "$code" = 502 ] && [ "$n" = 0 ] && jq -e '.error == "Bad Gateway"' "$WORK/body" >/dev/null; } && echo 1)" \
		"a POST that pool a took and dropped is a JSON 502, not passed to pool b" \
		"status $code, $n locations"
	code=$(call_until_done POST /locations "{\"name\":\"$loc\",\"code\":\"$loc\"}" "$key")
	n=$(primary_sql "SELECT COUNT(*) FROM locations WHERE code = '$loc'")
	check "$({ [ "$code" = 201 ] && [ "$n" = 1 ]; } && echo 1)" \
		"the client's retry with its Idempotency-Key creates the location once" "status $code, $n locations"

	sleep "$((FAIL_TIMEOUT + 1)).1"
	for level in "${levels[@]}"; do
		d=$(dropped)
		code=$(call DELETE "/inventory-levels/$level")
		[ "$(dropped)" -gt "$d" ] && break
	done
	n=$(jq -r .error "$WORK/body" 2>/dev/null) || true
	check "$({ [ "$code" = 502 ] && [ "$n" = "Bad Gateway" ] &&
		[ "$(call GET "/inventory-levels/$level")" = 200 ]; } && echo 1)" \
		"a DELETE that pool a took and dropped is a JSON 502, not passed to pool b (the level is still there)" \
		"status $code"

	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$sock"
	start_pool a
}

on_hand() {
	call GET "/inventory/availability/$ITEM" >/dev/null
	jq -r .qtyOnHand "$WORK/body"
}

# A client that reads lists until told to stop: one status per line.
reader() {
	while [ ! -e "$WORK/load/stop" ]; do
		call GET '/inventory?limit=20' >>"$WORK/load/read.$1"
		echo >>"$WORK/load/read.$1"
	done
}

# A client that posts receipts of one unit until told to stop, each with a
# key of its own, retrying each with its key until it is applied (also
# after the stop): one line "KEY STATUS" per try.
writer() {
	local i key code try
	for ((i = 0; ; i++)); do
		[ ! -e "$WORK/load/stop" ] || break
		key=load-$$-$1-$i
		for ((try = 0; try < 20; try++)); do
			code=$(call POST /inventory/adjustments/stock \
				"{\"type\":\"FOUND\",\"quantityChange\":1,\"inventoryItemId\":\"$ITEM\",\"reason\":\"load\"}" "$key")
			echo "$key $code" >>"$WORK/load/write.$1"
			[ "$code" = 201 ] && break
			sleep 0.1
		done
	done
}

# Pool a killed (SIGKILL, supervisor and workers) and started again, three
# times, under 2 readers and 6 writers.
kill_under_load() {
	local before after clients=() i reads bad writes applied failed statuses
	mkdir -p "$WORK/load"
	before=$(on_hand)
	for i in 1 2; do reader "$i" & clients+=("$!"); done
	for i in 1 2 3 4 5 6; do writer "$i" & clients+=("$!"); done
	STARTED+=("${clients[@]}")
	for i in 1 2 3; do
		sleep 1
		kill_pool a
		sleep 0.5
		start_pool a
	done
	sleep 1
	touch "$WORK/load/stop"
	wait "${clients[@]}"
	after=$(on_hand)

	reads=$(cat "$WORK"/load/read.* | wc -l)
	bad=$(cat "$WORK"/load/read.* | grep -cvx 200 || true)
	check "$({ [ "$reads" -gt 0 ] && [ "$bad" = 0 ]; } && echo 1)" \
		"every GET answered 200 while pool a was killed" "$bad of $reads not 200"
	cat "$WORK"/load/write.* >"$WORK/load/writes"
	writes=$(awk '{ print $1 }' "$WORK/load/writes" | sort -u | wc -l)
	applied=$(awk '$2 == 201 { print $1 }' "$WORK/load/writes" | sort -u | wc -l)
	failed=$(awk '$2 != 201' "$WORK/load/writes" | wc -l)
	statuses=$(awk '$2 != 201 { print $2 }' "$WORK/load/writes" | sort | uniq -c |
		awk '{ printf "%s%s x %s", sep, $2, $1; sep = ", " }')
	check "$({ [ "$writes" -gt 0 ] && [ "$writes" = "$applied" ]; } && echo 1)" \
		"every write was answered 201 at last" "$applied of $writes"
	check "$({ [ -z "$(awk '$2 != 201 && $2 !~ /^(409|502|503|504)$/' "$WORK/load/writes")" ]; } && echo 1)" \
		"a write that failed failed cleanly (409, 502, 503 or 504)" "$statuses"
	check "$({ [ $((after - before)) = "$applied" ]; } && echo 1)" \
		"each write was applied exactly once" "on hand $before -> $after, $applied writes"
	if out=$(./inventoryctl ledger verify --workspace "$SLUG" 2>&1); then
		check 1 "ledger verify finds no mismatch"
	else
		check "" "ledger verify finds no mismatch" "$(head -n 3 <<<"$out")"
	fi
	figure "pool a killed 3 times under load: $reads GETs, $bad not 200;" \
		"$writes writes, $failed tries failed${statuses:+ ($statuses)}, each applied once after its retries"
	sleep "$((FAIL_TIMEOUT + 1)).1" # nginx tries pool a again
}

# On the way out, also after a failure half-way: no client or stand-in
# pool left running, the replica replicating without delay, pool a up.
STARTED=()
cleanup() {
	[ "${#STARTED[@]}" = 0 ] || kill "${STARTED[@]}" 2>/dev/null || true
	replica_sql -e 'STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE' >/dev/null 2>&1 || true
	[ -n "$(_stack_fcgi_pids "$DIR/pool-a")" ] || start_pool a >/dev/null 2>&1 || true
	rm -rf "$WORK"
}

cluster_test() {
	local n i item
	cluster_running || { echo "cluster: not running (scripts/cluster up)" >&2; exit 1; }
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/cluster-test.XXXXXX")
	trap cleanup EXIT
	export INVENTORY_CONF=$DIR/primary/inventory.conf
	SLUG=cluster-$(date +%s)-$$
	./inventoryctl workspace create "$SLUG" --name "Cluster test" >/dev/null
	KEY=$(./inventoryctl apikey create --workspace "$SLUG" --permissions '*' --roles admin \
		--name cluster | sed -n 's/^key: //p')
	[ -n "$KEY" ] || { echo "cluster: no API key" >&2; exit 1; }

	# A pool's workers are in its namespace: the same inode as the one
	# ip netns keeps under /run/netns, not this shell's.
	if [ "$(cat "$DIR/netns")" = yes ]; then
		for i in a b; do
			item=$(_stack_fcgi_pids "$DIR/pool-$i" | sed -n 1p)
			check "$({ [ "$(stat -L -c %i "/proc/$item/ns/net")" = \
				"$(stat -L -c %i "/run/netns/$(netns_of "$i")")" ] &&
				[ "$(stat -L -c %i "/proc/$item/ns/net")" != "$(stat -L -c %i /proc/self/ns/net)" ]; } && echo 1)" \
				"pool $i runs in its own network namespace"
		done
	else
		echo "# the pools run without network namespaces: $(cat "$DIR/netns")"
	fi

	counted n stock_up
	check "$({ [ "$R" = 0 ] && [ "$P" -gt 0 ] && [[ $ITEM == item_* ]]; } && echo 1)" \
		"three writes run on the primary only" "primary $P, replica $R statements"
	figure "statements for 3 writes: primary $P, replica $R"
	counted n get 20 "/inventory/availability/$ITEM"
	check "$({ [ "$n" = 20 ] && [ "$R" = 0 ] && [ "$P" -ge 20 ]; } && echo 1)" \
		"availability is read from the primary" "$n answered; primary $P, replica $R statements"
	figure "statements for 20 availability reads: primary $P, replica $R"

	wait_caught_up
	sleep 1.1
	get 8 /locations >/dev/null # every worker has looked at the replica
	spread "with both running"
	reads replica 20 "running"

	read_own_writes replica 10 "replica running"
	check "$({ [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" \
		-H 'X-Consistency-Token: not-a-gtid' "http://127.0.0.1:$PORT/api/locations")" = 400 ]; } && echo 1)" \
		"a malformed token is 400"

	replica_sql -e 'STOP SLAVE SQL_THREAD'
	# At once: a worker that has not looked at the replica since waits 0.5 s
	# for the token in vain, then asks the primary; one that has looked
	# asks the primary at once. A second later every worker knows.
	read_own_writes primary 1 "right after the SQL thread stopped"
	sleep 1.2
	read_own_writes primary 5 "once the workers know the SQL thread is stopped"
	reads primary 20 "SQL thread stopped"
	replica_sql -e 'START SLAVE SQL_THREAD'
	wait_caught_up
	sleep 1.2
	reads replica 20 "SQL thread started again"

	timeout 30 mariadb-admin --no-defaults --socket="$DIR/replica/mysql.sock" -uroot shutdown
	reads primary 20 "shut down"
	start_replica >/dev/null
	wait_caught_up
	sleep 1.2
	get 8 /locations >/dev/null
	reads replica 20 "restarted"

	# A replica that applies each write 30 s late (MASTER_DELAY): once it is
	# more than db.replica.max_lag_seconds behind, the lists go to the primary.
	replica_sql -e 'STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 30; START SLAVE'
	call POST /locations "{\"name\":\"Lag\",\"code\":\"LAG-$$\"}" >/dev/null
	sleep 2.5
	reads primary 20 "2 s behind, more than db.replica.max_lag_seconds"
	replica_sql -e 'STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE'
	wait_caught_up
	sleep 1.2
	reads replica 20 "caught up again"

	retry_rules
	kill_under_load
	spread "after pool a was killed and started again"

	echo "# figures"
	printf '#   %s\n' "${FIGURES[@]}"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
