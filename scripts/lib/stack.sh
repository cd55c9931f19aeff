# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Private development/test stack: MariaDB, the FastCGI pool and nginx, all
# state under one directory. Source this file; every function returns non-zero
# on failure instead of exiting, so callers may use it under `if`, where
# `set -e` does not apply.

STACK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

STACK_PACKAGES=(
	build-essential autoconf automake libtool pkg-config
	libfcgi-dev libjson-c-dev libmariadb-dev libjwt-dev libssl-dev
	libcsv-dev
	spawn-fcgi multiwatch nginx-light mariadb-server mariadb-client
	check wrk jq curl python3 python3-jsonschema openssl help2man
	systemd iproute2
)

_stack_err() {
	printf 'stack: %s\n' "$*" >&2
}

_stack_sudo() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

# mariadbd and nginx live in /usr/sbin, which is not on every user's PATH.
_stack_cmd() {
	if command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
	elif [ -x "/usr/sbin/$1" ]; then
		echo "/usr/sbin/$1"
	else
		_stack_err "command not found: $1"
		return 1
	fi
}

# Prints the last lines of each existing file, for start-up diagnostics.
stack_tail_logs() {
	local f
	for f in "$@"; do
		[ -s "$f" ] || continue
		printf '%s\n' "---- tail of $f" >&2
		tail -n 30 "$f" >&2
	done
}

stack_install_deps() {
	local pkg missing=()
	for pkg in "${STACK_PACKAGES[@]}"; do
		# shellcheck disable=SC2016
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	_stack_sudo apt-get update || return 1
	_stack_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" || return 1
}

# stack_build [configure args...]: in-tree build at the repository root.
stack_build() {
	(
		cd "$STACK_REPO" || exit 1
		# One build at a time in this tree: parallel runs of scripts/test
		# would otherwise write the same objects and archives at once.
		exec 9>"$STACK_REPO/.build.lock"
		flock 9
		if [ ! -x configure ]; then
			mkdir -p m4 || exit 1
			autoreconf -fi || exit 1
		fi
		if [ ! -f Makefile ]; then
			./configure "$@" || exit 1
		fi
		make -j2
	)
}

# A killed process stays a zombie until its parent reaps it, which for
# daemons is init and may take a while: a zombie counts as gone.
_stack_alive() {
	local stat
	kill -0 "$1" 2>/dev/null || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# _stack_pid_alive PIDFILE PATTERN: the process named in PIDFILE is alive and
# its command line contains PATTERN (a pid reused after a crash does not count).
_stack_pid_alive() {
	local pid
	[ -s "$1" ] || return 1
	pid=$(head -n 1 "$1")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	_stack_alive "$pid" || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# _stack_kill_wait SECONDS PID...: TERM, then KILL whatever is left after SECONDS.
_stack_kill_wait() {
	local secs=$1 pid left i
	shift
	[ "$#" -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		left=0
		for pid in "$@"; do
			if _stack_alive "$pid"; then
				left=1
				break
			fi
		done
		[ "$left" -eq 0 ] && return 0
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null || true
}

_stack_abs_dir() {
	mkdir -p "$1" && (cd "$1" && pwd -P)
}

# ---------------------------------------------------------------- MariaDB

# Prints the pid of the mariadbd that serves DIR, from the pid file or, if
# that is lost, from the process table.
_stack_db_pid() {
	local p exe
	if _stack_pid_alive "$1/mysql.pid" "--datadir=$1/mysql"; then
		head -n 1 "$1/mysql.pid"
		return 0
	fi
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "${exe##*/}" = mariadbd ] || continue
		if tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$1/mysql"; then
			echo "${p#/proc/}"
			return 0
		fi
	done
	return 1
}

_stack_db_running() {
	_stack_db_pid "$1" >/dev/null
}

_stack_db_root() {
	local dir=$1
	shift
	mariadb --no-defaults --socket="$dir/mysql.sock" -uroot "$@"
}

_stack_secret() {
	local file=$1 bytes=$2
	if [ ! -s "$file" ]; then
		(umask 077 && openssl rand -hex "$bytes" >"$file") || return 1
	fi
	head -n 1 "$file"
}

_stack_start_db() {
	local dir=$1 user pid="" i mariadbd password
	user=$(id -un)
	if ! _stack_db_running "$dir"; then
		if [ ! -d "$dir/mysql/mysql" ]; then
			# An interrupted initialisation leaves a partial datadir behind.
			rm -rf "$dir/mysql"
			echo "initialising MariaDB in $dir/mysql"
			if ! mariadb-install-db --no-defaults --datadir="$dir/mysql" --user="$user" \
				--auth-root-authentication-method=normal >"$dir/mysql-install.log" 2>&1; then
				_stack_err "mariadb-install-db failed"
				stack_tail_logs "$dir/mysql-install.log"
				return 1
			fi
		fi
		mariadbd=$(_stack_cmd mariadbd) || return 1
		rm -f "$dir/mysql.pid" "$dir/mysql.sock"
		# STACK_MARIADB_ARGS: extra server options (scripts/bench sizes the
		# buffer pool to its data); later options override earlier ones.
		# shellcheck disable=SC2086
		"$mariadbd" --no-defaults --datadir="$dir/mysql" --socket="$dir/mysql.sock" \
			--skip-networking --user="$user" --pid-file="$dir/mysql.pid" \
			--log-error="$dir/mysql.err" --innodb-buffer-pool-size=256M \
			${STACK_MARIADB_ARGS:-} \
			</dev/null >>"$dir/mysql.err" 2>&1 &
		pid=$!
	fi
	for ((i = 0; ; i++)); do
		if mariadb-admin --no-defaults --socket="$dir/mysql.sock" -uroot ping >/dev/null 2>&1; then
			break
		fi
		if [ -n "$pid" ] && ! _stack_alive "$pid"; then
			_stack_err "mariadbd exited during start-up"
			stack_tail_logs "$dir/mysql.err"
			return 1
		fi
		if [ "$i" -ge 600 ]; then
			_stack_err "MariaDB did not answer within 60 s"
			stack_tail_logs "$dir/mysql.err"
			return 1
		fi
		sleep 0.1
	done
	password=$(_stack_secret "$dir/db.password" 16) || return 1
	# The password is hex, so it needs no SQL quoting; stdin keeps it out of ps.
	if ! _stack_db_root "$dir" <<-SQL; then
		CREATE DATABASE IF NOT EXISTS inventory CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'inventory'@'localhost' IDENTIFIED BY '$password';
		ALTER USER 'inventory'@'localhost' IDENTIFIED BY '$password';
		GRANT ALL PRIVILEGES ON inventory.* TO 'inventory'@'localhost';
	SQL
		_stack_err "could not create the database or its user"
		return 1
	fi
}

_stack_stop_db() {
	local dir=$1 pid
	if pid=$(_stack_db_pid "$dir"); then
		timeout 30 mariadb-admin --no-defaults --socket="$dir/mysql.sock" -uroot shutdown \
			>/dev/null 2>&1 || true
		_stack_kill_wait 30 "$pid"
	fi
	rm -f "$dir/mysql.pid" "$dir/mysql.sock"
}

# ---------------------------------------------------------------- config

_stack_write_conf() {
	local dir=$1 password secret
	password=$(_stack_secret "$dir/db.password" 16) || return 1
	secret=$(_stack_secret "$dir/jwt.secret" 32) || return 1
	(
		umask 077
		cat >"$dir/inventory.conf" <<-EOF
			db.socket = $dir/mysql.sock
			db.name = inventory
			db.user = inventory
			db.password = $password
			jwt.algorithm = HS256
			jwt.secret = $secret
			http.max_body_bytes = 1048576
		EOF
	)
}

_stack_migrate() {
	local dir=$1
	if ! (cd "$STACK_REPO" && INVENTORY_CONF="$dir/inventory.conf" ./inventoryctl migrate \
		--dir sql/migrations) >"$dir/migrate.log" 2>&1; then
		_stack_err "inventoryctl migrate failed"
		stack_tail_logs "$dir/migrate.log"
		return 1
	fi
}

# ---------------------------------------------------------------- FastCGI

# _stack_proc_is PID NAME VAR=VALUE: the process's argv[0] is NAME (its
# base name, if NAME has no slash) and its environment holds VAR=VALUE. Bash
# builtins only: the pool's scripts scan /proc often, also on a loaded machine.
_stack_proc_is() {
	local argv0 var
	{ IFS= read -r -d '' argv0 <"/proc/$1/cmdline"; } 2>/dev/null || return 1
	[[ $2 == */* ]] || argv0=${argv0##*/}
	[ "$argv0" = "$2" ] || return 1
	while IFS= read -r -d '' var; do
		[ "$var" = "$3" ] && return 0
	done 2>/dev/null <"/proc/$1/environ"
	return 1
}

# Prints the pids of the inventory-fcgi processes that serve DIR: the binary
# of this repository (possibly rebuilt since) started with
# INVENTORY_CONF=DIR/inventory.conf. Scanning /proc also finds workers that a
# lost or overwritten pid file no longer names.
_stack_fcgi_pids() {
	local p
	for p in /proc/[0-9]*; do
		if _stack_proc_is "${p#/proc/}" "$STACK_REPO/inventory-fcgi" "INVENTORY_CONF=$1/inventory.conf"; then
			echo "${p#/proc/}"
		fi
	done
}

# Prints the pids of the pool's supervisor for DIR: multiwatch (spawn-fcgi
# -n becomes it), with the environment of _stack_start_fcgi.
_stack_fcgi_supervisor_pids() {
	local p name
	for p in /proc/[0-9]*; do
		for name in multiwatch spawn-fcgi; do
			if _stack_proc_is "${p#/proc/}" "$name" "INVENTORY_CONF=$1/inventory.conf"; then
				echo "${p#/proc/}"
			fi
		done
	done
}

_stack_stop_fcgi() {
	local dir=$1 pids
	# The supervisor first, or it would replace the workers stopped below.
	# On SIGTERM it passes SIGTERM on and exits once the workers have
	# finished the requests in hand.
	mapfile -t pids < <(_stack_fcgi_supervisor_pids "$dir")
	_stack_kill_wait 10 "${pids[@]}"
	mapfile -t pids < <(_stack_fcgi_pids "$dir")
	_stack_kill_wait 10 "${pids[@]}"
	rm -f "$dir/fcgi.pid" "$dir/fcgi.sock"
}

# The pool as the systemd unit runs it (deploy/inventory-api.service.in):
# spawn-fcgi creates the socket and, with -n, execs multiwatch on it, which
# starts the workers and replaces at once any that exits. Without -n,
# spawn-fcgi would point the workers' stderr (the request log) at /dev/null;
# here it is inherited.
_stack_start_fcgi() {
	local dir=$1 n=${INVENTORY_WORKERS:-4} count i
	_stack_stop_fcgi "$dir"
	# All workers accept on one socket, so an idle worker takes the next
	# request; one socket per worker would queue behind a busy one.
	# STACK_FCGI_NETNS: a network namespace (ip netns) to run the pool in;
	# its unix sockets still reach nginx and MariaDB (scripts/cluster).
	INVENTORY_CONF="$dir/inventory.conf" setsid ${STACK_FCGI_NETNS:+ip netns exec "$STACK_FCGI_NETNS"} \
		spawn-fcgi -n -s "$dir/fcgi.sock" -M 0600 -- \
		/usr/bin/multiwatch -f "$n" -s TERM -t 1000 -- "$STACK_REPO/inventory-fcgi" \
		</dev/null >>"$dir/fcgi.log" 2>&1 &
	echo "$!" >"$dir/fcgi.pid"
	# The pool outlives this shell: no job notice when it is stopped or killed.
	disown "$!"
	# A worker that cannot read its configuration or reach the database exits
	# at once (and multiwatch soon gives up on it): require all of them to
	# stay up a moment.
	for ((i = 0; i < 6; i++)); do
		sleep 0.2
		count=$(_stack_fcgi_pids "$dir" | wc -l)
		if [ "$count" -lt "$n" ] || ! _stack_pid_alive "$dir/fcgi.pid" "$STACK_REPO/inventory-fcgi"; then
			_stack_err "only $count of $n FastCGI workers are running"
			stack_tail_logs "$dir/fcgi.log"
			return 1
		fi
	done
}

# stack_reload DIR: replaces the workers one at a time with the binary built
# now (deploy/reload-workers, as systemctl reload does): no request is lost.
stack_reload() {
	local dir pid
	dir=$(cd "${1:-.}" && pwd -P) || return 1
	pid=$(_stack_fcgi_supervisor_pids "$dir" | head -n 1)
	if [ -z "$pid" ]; then
		_stack_err "no FastCGI pool runs for $dir"
		return 1
	fi
	"$STACK_REPO/deploy/reload-workers" "$pid"
}

# ---------------------------------------------------------------- nginx

_stack_nginx_running() {
	_stack_pid_alive "$1/nginx.pid" "$1/nginx.conf"
}

# nginx starts with DIR as its working directory and never changes it: that
# finds workers orphaned by a killed master, which still hold the port.
_stack_nginx_pids() {
	local dir=$1 nginx p exe
	nginx=$(readlink -f "$(_stack_cmd nginx)") || return 0
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "${exe% (deleted)}" = "$nginx" ] || continue
		[ "$(readlink "$p/cwd" 2>/dev/null)" = "$dir" ] || continue
		echo "${p#/proc/}"
	done
}

_stack_stop_nginx() {
	local dir=$1 pids=()
	if _stack_nginx_running "$dir"; then
		pids+=("$(head -n 1 "$dir/nginx.pid")")
	fi
	mapfile -t -O "${#pids[@]}" pids < <(_stack_nginx_pids "$dir")
	_stack_kill_wait 10 "${pids[@]}"
	rm -f "$dir/nginx.pid"
}

# The stack's copy of nginx/inventory-api.conf, whose documentation page
# (/api/docs) is served from the source tree instead of the installed one.
_stack_write_api_snippet() {
	sed -e "s|^\( *alias \)/usr/local/share/inventory-api/docs/|\1$STACK_REPO/docs/api/|" \
		"$STACK_REPO/nginx/inventory-api.conf" >"$1/inventory-api.conf"
}

_stack_start_nginx() {
	local dir=$1 port=$2 nginx code i
	nginx=$(_stack_cmd nginx) || return 1
	_stack_stop_nginx "$dir"
	_stack_write_api_snippet "$dir" || return 1
	# nginx.conf includes DIR/extra-http/*.conf in http {} and
	# DIR/extra-server/*.conf in server {}: empty unless a caller (scripts/bench)
	# puts more upstreams and locations there before the start.
	mkdir -p "$dir/nginx-tmp" "$dir/extra-http" "$dir/extra-server" || return 1
	# Other locations (the benchmark's floor) include fastcgi_params relative
	# to the directory of nginx.conf, as in /etc/nginx.
	cp /etc/nginx/fastcgi_params "$dir/fastcgi_params" || return 1
	# STACK_UPSTREAM_SERVERS: the "server" lines of the upstream, if not the
	# pool of DIR (scripts/cluster: two pools).
	printf '%s\n' "${STACK_UPSTREAM_SERVERS:-server unix:$dir/fcgi.sock;}" \
		>"$dir/upstream-servers.conf" || return 1
	sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@REPO@|$STACK_REPO|g" \
		-e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" \
		"$STACK_REPO/nginx/dev.conf.in" >"$dir/nginx.conf" || return 1
	# shellcheck disable=SC2094
	if ! (cd "$dir" && exec "$nginx" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" \
		</dev/null >>"$dir/nginx-error.log" 2>&1); then
		_stack_err "nginx failed to start on 127.0.0.1:$port"
		stack_tail_logs "$dir/nginx-error.log"
		return 1
	fi
	for ((i = 0; i < 300; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
			"http://127.0.0.1:$port/api/health" 2>/dev/null) || true
		if [ -n "$code" ] && [ "$code" != 000 ]; then
			echo "$port" >"$dir/port"
			return 0
		fi
		sleep 0.1
	done
	_stack_err "no answer from http://127.0.0.1:$port/api/health within 30 s"
	stack_tail_logs "$dir/nginx-error.log" "$dir/fcgi.log"
	return 1
}

# ---------------------------------------------------------------- public

# stack_start_db DIR: MariaDB with the schema and DIR/inventory.conf, no
# pool and no nginx (scripts/cluster starts those its own way).
stack_start_db() {
	local dir
	if [ -z "${1:-}" ]; then
		_stack_err "usage: stack_start_db DIR"
		return 1
	fi
	dir=$(_stack_abs_dir "$1") || return 1
	chmod 700 "$dir" || return 1
	# sun_path holds 108 bytes.
	if [ "${#dir}" -gt 90 ]; then
		_stack_err "directory path too long for unix sockets: $dir"
		return 1
	fi
	if [[ $dir == *[\|\&]* ]]; then
		_stack_err "directory path must not contain '|' or '&': $dir"
		return 1
	fi
	if [ ! -x "$STACK_REPO/inventory-fcgi" ] || [ ! -x "$STACK_REPO/inventoryctl" ]; then
		_stack_err "inventory-fcgi or inventoryctl missing: run stack_build first"
		return 1
	fi
	_stack_start_db "$dir" || return 1
	_stack_write_conf "$dir" || return 1
	_stack_migrate "$dir" || return 1
}

# stack_start DIR PORT
stack_start() {
	local dir port=${2:-}
	if [ -z "${1:-}" ] || [ -z "$port" ]; then
		_stack_err "usage: stack_start DIR PORT"
		return 1
	fi
	stack_start_db "$1" || return 1
	dir=$(cd "$1" && pwd -P) || return 1
	_stack_start_fcgi "$dir" || return 1
	_stack_start_nginx "$dir" "$port" || return 1
}

# stack_stop DIR: stops whatever part of the stack runs; safe to repeat.
stack_stop() {
	local dir
	[ -d "${1:-}" ] || return 0
	dir=$(cd "$1" && pwd -P) || return 0
	_stack_stop_nginx "$dir"
	_stack_stop_fcgi "$dir"
	_stack_stop_db "$dir"
}

# stack_running DIR: nginx, at least one worker and MariaDB are alive.
stack_running() {
	local dir
	[ -d "${1:-}" ] || return 1
	dir=$(cd "$1" && pwd -P) || return 1
	_stack_nginx_running "$dir" && _stack_db_running "$dir" &&
		[ -n "$(_stack_fcgi_pids "$dir")" ]
}

# stack_status DIR: one line per component.
stack_status() {
	local dir n
	dir=$(cd "${1:-.}" && pwd -P) || return 1
	if n=$(_stack_db_pid "$dir"); then
		echo "mariadb: running (pid $n)"
	else
		echo "mariadb: stopped"
	fi
	n=$(_stack_fcgi_pids "$dir" | wc -l)
	echo "fastcgi: $n worker(s)"
	if _stack_nginx_running "$dir"; then
		echo "nginx: running on http://127.0.0.1:$(cat "$dir/port" 2>/dev/null)/api"
	else
		echo "nginx: stopped"
	fi
}

stack_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# stack_env DIR [PORT]: PORT defaults to the one the last stack_start used.
stack_env() {
	local dir port=${2:-}
	dir=$(cd "${1:-.}" && pwd -P) || return 1
	if [ -z "$port" ]; then
		port=$(cat "$dir/port" 2>/dev/null) || {
			_stack_err "no port recorded in $dir: pass one"
			return 1
		}
	fi
	printf 'export INVENTORY_CONF=%q\n' "$dir/inventory.conf"
	printf 'export INVENTORY_URL=%q\n' "http://127.0.0.1:$port/api"
	# shellcheck disable=SC2016
	printf 'export PATH=%q:"$PATH"\n' "$STACK_REPO"
}
