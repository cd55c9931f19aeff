#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's "Deploying behind an existing nginx", step by step, as root on
# this machine: every command given to `steps` is a line of README.md (the
# check fails if the README no longer has it) and runs as written. Real systemd is absent here, so what the unit would do is done by
# hand with its own command lines (taken from the installed unit), and the
# unit is checked with systemd-analyze verify.
#
# It all happens in private namespaces: /usr/local, /etc (a copy), /run and
# nginx's directories are private mounts and the network is a private
# loopback, so make install, the new system user, MariaDB on Debian's socket
# path and nginx on port 80 leave the machine as it was; every process
# started here ends with the test.
#
# The tree is the one scripts/test built with a plain ./configure (prefix
# /usr/local): the README's build line minus what already ran.
# shellcheck disable=SC2016
set -euo pipefail

if [ "${1:-}" != --inside ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "ok 1 # skip the deployment steps run as root"
		exit 0
	fi
	exec unshare --mount --net --pid --fork --mount-proc --propagation private \
		bash "$0" --inside
fi

REPO=$(cd "$(dirname "$0")/../.." && pwd -P)
WORK=$(mktemp -d "${TEST_DIR:-/tmp}/t305.XXXXXX")
chmod 755 "$WORK"

# ---------------------------------------------------------------- the host
# A Debian host as the README assumes it: nothing under /usr/local, its own
# /etc, MariaDB listening on /run/mysqld/mysqld.sock, nginx with its default
# site on port 80.
cp -a /etc/. "$WORK/etc/" 2>/dev/null || { mkdir -p "$WORK/etc" && cp -a /etc/. "$WORK/etc/"; }
mount --bind "$WORK/etc" /etc
mount -t tmpfs tmpfs /usr/local
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/log/nginx
mount -t tmpfs tmpfs /var/lib/nginx
ip link set lo up
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p /run/mysqld "$WORK/mysql"
mariadb-install-db --no-defaults --datadir="$WORK/mysql" --user=root >"$WORK/mysql-install.log" 2>&1
mariadbd --no-defaults --datadir="$WORK/mysql" --socket=/run/mysqld/mysqld.sock --skip-networking \
	--user=root --log-error="$WORK/mysql.err" </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 300); do
	mariadb-admin ping >/dev/null 2>&1 && break
	sleep 0.1
done

export INVENTORY_URL=http://localhost/api INVENTORY_CONF=/usr/local/etc/inventory.conf
# shellcheck source=tests/integration/lib.sh
. "$REPO/tests/integration/lib.sh"

# steps: runs each line of its input, a line of README.md (it fails if the
# README has no such line), in this shell and from the repository as the
# README's build steps are; the output goes to $WORK/steps.log.
steps() {
	local line rc
	while IFS= read -r line; do
		rc=0
		if ! grep -qxF -- "$line" "$WORK/README.lines"; then
			fail "README: $line" "the README has no such line"
			continue
		fi
		printf '$ %s\n' "$line" >>"$WORK/steps.log"
		eval "$line" </dev/null >>"$WORK/steps.log" 2>&1 || rc=$?
		if [ "$rc" -eq 0 ]; then
			pass "README: $line"
		else
			fail "README: $line" "exit status $rc; the end of its output:" \
				"$(tail -n 15 "$WORK/steps.log")"
		fi
	done
}
cd "$REPO"
sed 's/^[[:space:]]*//' README.md >"$WORK/README.lines"

# ---------------------------------------------------------------- install
# The build lock of scripts/lib/stack.sh: no other run builds meanwhile.
exec 9>"$REPO/.build.lock"
flock 9
steps <<<'make install'
flock -u 9
UNIT=/usr/local/lib/systemd/system/inventory-api.service
for f in /usr/local/bin/inventory-fcgi /usr/local/bin/inventoryctl "$UNIT" \
	/usr/local/lib/sysusers.d/inventory-api.conf /usr/local/lib/tmpfiles.d/inventory-api.conf \
	/usr/local/libexec/inventory-api/reload-workers \
	/usr/local/share/inventory-api/nginx/inventory-api.conf \
	/usr/local/share/inventory-api/nginx/upstream.conf /usr/local/share/inventory-api/migrations; do
	if [ -e "$f" ]; then pass "installed: $f"; else fail "installed: $f"; fi
done
if out=$(systemd-analyze verify "$UNIT" 2>&1) && [ -z "$out" ]; then
	pass "systemd-analyze verify accepts the unit"
else
	fail "systemd-analyze verify accepts the unit" "$out"
fi

steps <<'README'
systemd-sysusers inventory-api.conf
systemd-tmpfiles --create inventory-api.conf
README
check_eq "$(getent passwd inventory-api | cut -d: -f7)" /usr/sbin/nologin "the system user inventory-api exists, without a shell"
check_eq "$(stat -c '%a %U' /run/inventory-api)" "755 inventory-api" "the pool's directory is the user's"

steps <<'README'
DB_PASSWORD=$(openssl rand -hex 16)
mariadb -e "CREATE DATABASE inventory CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; CREATE USER 'inventory'@'localhost' IDENTIFIED BY '$DB_PASSWORD'; GRANT ALL PRIVILEGES ON inventory.* TO 'inventory'@'localhost'"
install -m 0640 -g inventory-api /dev/null /usr/local/etc/inventory.conf
printf 'db.socket = /run/mysqld/mysqld.sock\ndb.password = %s\njwt.secret = %s\n' "$DB_PASSWORD" "$(openssl rand -hex 32)" >/usr/local/etc/inventory.conf
INVENTORY_CONF=/usr/local/etc/inventory.conf inventoryctl migrate
README
check_eq "$(stat -c '%a %U %G' /usr/local/etc/inventory.conf)" "640 root inventory-api" \
	"the configuration is readable by the workers and root only"

# ---------------------------------------------------------------- the pool
# systemctl enable --now inventory-api, by hand: the unit's environment and
# its ExecStart= line; stderr stands in for the journal.
(
	while IFS= read -r line; do
		case $line in
		Environment=*) export "${line#Environment=}" ;;
		esac
	done <"$UNIT"
	cmd=$(sed -n 's/^ExecStart=//p' "$UNIT")
	cmd=${cmd//'${INVENTORY_WORKERS}'/$INVENTORY_WORKERS}
	# shellcheck disable=SC2086
	exec $cmd </dev/null >>"$WORK/journal" 2>&1
) &
MAINPID=$!
pool() {
	local pids=()
	read -r -a pids 2>/dev/null <"/proc/$MAINPID/task/$MAINPID/children" || true
	printf '%s\n' "${pids[@]}"
}
for _ in $(seq 1 50); do
	[ "$(pool | wc -l)" -ge 8 ] && break
	sleep 0.1
done
sleep 1
check_eq "$(pool | wc -l)" 8 "the unit's command line starts 8 workers"
check_eq "$(ps -o user= -p "$MAINPID") $(pool | xargs ps -o user= -p | sort -u | tr '\n' ' ')" \
	"inventory-api inventory-api " "multiwatch and the workers run as inventory-api"
check_eq "$(stat -c '%A %U %G' /run/inventory-api/fcgi.sock)" "srw-rw---- inventory-api www-data" \
	"the socket is for inventory-api and nginx's group only"
check_eq "$(stat -c %U /run/inventory-api/inventory-metrics-v1 2>&1)" inventory-api \
	"the workers share their metrics file beside the socket"

# ---------------------------------------------------------------- nginx
steps <<'README'
ln -s /usr/local/share/inventory-api/nginx/upstream.conf /etc/nginx/conf.d/inventory-api-upstream.conf
sed -i '/^\tserver_name _;/a include /usr/local/share/inventory-api/nginx/inventory-api.conf;' /etc/nginx/sites-enabled/default
nginx -t
README
nginx   # systemctl reload nginx: here nginx was not running yet
steps <<<'curl -fsS http://localhost/api/health'
api GET /health "" -
check_status 200 "GET /api/health through the installed snippet"
check_json .database ok "the workers reach the database"

slug=$(uniq_slug deploy)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" '*' admin)
api POST /products '{"globalSku":"DEPLOY-1","name":"Deployed"}'
check_status 201 "a write through the installed stack"
rid=$(header_value x-request-id)
sleep 1.5   # request lines are written at the latest a second later
check_true "$(grep -cF "$rid" "$WORK/journal") >= 1" "the request is logged on the workers' stderr (the journal)"

# ---------------------------------------------------------------- deploy
# A new binary under load: make install, then systemctl reload inventory-api
# (its ExecReload= line, by hand).
mapfile -t before < <(pool)
wrk -t 2 -c 8 -d 14s --timeout 10s -H "Authorization: Bearer $TOKEN" \
	"$INVENTORY_URL/products?limit=5" >"$WORK/wrk.out" 2>&1 &
load=$!
sleep 1
flock 9
steps <<<'make install'
flock -u 9
reload=$(sed -n 's/^ExecReload=//p' "$UNIT")
if out=$(${reload//'$MAINPID'/$MAINPID} 2>&1); then
	pass "the unit's ExecReload= replaces the workers ($out)"
else
	fail "the unit's ExecReload= replaces the workers" "$out"
fi
wait "$load" || true
n=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$WORK/wrk.out")
non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk.out")
socket=$(sed -n 's/^ *Socket errors: *//p' "$WORK/wrk.out")
check_true "${n:-0} > 100" "the load ran through the deploy (${n:-0} requests)"
check_eq "${non2xx:-0} ${socket:-none}" "0 none" "no answer but 2xx and no socket error during the deploy"
[ "$CHECK_OK" = 1 ] || diag "$(cat "$WORK/wrk.out")"
inode=$(stat -c %i /usr/local/bin/inventory-fcgi)
mapfile -t after < <(pool)
new=0
for pid in "${after[@]}"; do
	case " ${before[*]} " in *" $pid "*) continue ;; esac
	[ "$(stat -L -c %i "/proc/$pid/exe")" = "$inode" ] && new=$((new + 1))
done
check_eq "${#after[@]} $new" "8 8" "8 workers, all of them new processes of the new binary"
api GET "/products?limit=5"
check_status 200 "the API answers after the deploy"

done_testing
