#!/usr/bin/env bash
# pg-cluster.sh start | stop URL - a throwaway PostgreSQL cluster for the
# store tests, built with initdb/pg_ctl from Debian's postgresql package.
#
#   url=$(bash tests/store/pg-cluster.sh start)   # prints the MCRED_TEST_PG URL
#   bash tests/store/pg-cluster.sh stop "$url"    # stops it, deletes its folder
#
# The cluster lives in a fresh temp folder: data directory, log and Unix
# socket. It listens on that socket and on 127.0.0.1 at a free port, with
# trust authentication (nothing else can reach the socket folder). PostgreSQL
# refuses to run as root, so as root it runs as PG_CLUSTER_USER (nobody),
# which owns the folder. fsync is off (PG_CLUSTER_FSYNC=on to keep it): the
# data is thrown away, and the tests measure the code, not the disk.
set -euo pipefail

die() { echo "pg-cluster: $*" >&2; exit 1; }

pg_bin() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
	done
	die "no initdb/pg_ctl under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
}

# as_owner CMD...: run as the cluster's owner (PG_CLUSTER_USER when root).
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "${PG_CLUSTER_USER:-nobody}" -- "$@"
	else
		"$@"
	fi
}

free_port() {
	local p
	# below Linux's ephemeral range (32768-60999): a port there can be the
	# local end of some outgoing connection, and then the bind fails
	for p in $(shuf -i 20000-32767 -n 200); do
		# a refused connection means nobody listens there
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	die "no free TCP port found"
}

start() {
	local bin dir port
	bin=$(pg_bin)
	# /tmp, not $TMPDIR: the cluster owner (nobody) must reach the folder
	dir=$(mktemp -d "${PG_CLUSTER_TMP:-/tmp}/mcred-pg.XXXXXX")
	touch "$dir/.mcred-pg-cluster" # stop deletes only folders with this mark
	[ "$(id -u)" -eq 0 ] && chown "${PG_CLUSTER_USER:-nobody}" "$dir"
	chmod 700 "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U mcred --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
	# the port was free when probed but may be taken before the bind: try
	# another one a few times
	local try
	for try in 1 2 3 4 5; do
		port=$(free_port)
		if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${PG_CLUSTER_FSYNC:-off} -c max_connections=50" \
			start >/dev/null; then
			echo "postgresql:///postgres?host=$dir&port=$port&user=mcred"
			return
		fi
		grep -q "could not bind\|could not create any TCP" "$dir/server.log" || break
	done
	cat "$dir/server.log" >&2; rm -rf "$dir"; die "pg_ctl start failed"
}

stop() {
	local url=${1:-} dir bin
	[ -n "$url" ] || die "usage: pg-cluster.sh stop URL"
	dir=$(printf '%s\n' "$url" | sed -nE 's/.*[?&]host=([^&]+).*/\1/p')
	[ -n "$dir" ] && [ -f "$dir/.mcred-pg-cluster" ] || die "$url is not a cluster this script started"
	bin=$(pg_bin)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*) die "usage: pg-cluster.sh start | stop URL" ;;
esac
