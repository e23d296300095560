# lib.sh - shared by the HTTP API tests (api.sh, trust_api.sh, qa_api.sh):
# sanitizer options, a temp folder, the servers and PostgreSQL databases to
# clean up at exit, the pass/fail counters, and the request and answer
# checks. Source it after `cd` to the repository root with MCRED set; $be
# names the back-end (or part) in failure lines.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1}
t=$(mktemp -d); pids=(); pgdbs=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for db in "${pgdbs[@]}"; do psql "$MCRED_TEST_PG" -qc "drop database if exists $db" >/dev/null 2>&1; done
	rm -rf "$t"
}
trap cleanup EXIT
pass=0; fail=0; be=setup
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $be: $*"; }

# start_server NAME ARGS...: start on a free port; sets PID and BASE
start_server() {
	local name=$1; shift
	rm -f "$t/$name.port"
	"$MCRED" serve --port 0 --port-file "$t/$name.port" "$@" 2>"$t/$name.log" &
	PID=$!; pids+=("$PID")
	for _ in $(seq 1 300); do [ -s "$t/$name.port" ] && break; kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
	if [ ! -s "$t/$name.port" ]; then bad "server $name did not start"; cat "$t/$name.log"; return 1; fi
	BASE="http://127.0.0.1:$(cat "$t/$name.port")"
}
# stop_server PID NAME: SIGTERM, wait, check exit 0 and no sanitizer report
stop_server() {
	kill -TERM "$1"; wait "$1"; local rc=$?
	[ "$rc" = 0 ] && ok || bad "server $2 exit $rc"
	if grep -q "AddressSanitizer\|runtime error\|LeakSanitizer" "$t/$2.log"; then bad "sanitizer report in $2"; grep -m5 -A5 "Sanitizer\|runtime error" "$t/$2.log"; else ok; fi
}
# req NAME WANT METHOD PATH [curl args...]: body in $t/b, headers in $t/h
req() {
	local name=$1 want=$2 method=$3 path=$4; shift 4
	code=$(curl -s -o "$t/b" -D "$t/h" -w '%{http_code}' -X "$method" "$@" "$BASE$path")
	if [ "$code" = "$want" ]; then ok; else bad "$name: HTTP $code, want $want"; head -c 400 "$t/b" | sed 's/^/    /'; echo; fi
}
# jqt NAME FILTER: jq -e FILTER on the last body
jqt() { if jq -e "$2" "$t/b" >/dev/null 2>&1; then ok; else bad "$1: jq '$2' false on: $(head -c 300 "$t/b")"; fi; }
hdr() { if grep -qi -- "$2" "$t/h"; then ok; else bad "$1: no header '$2'"; fi; }
problem() { # NAME CODE FIELD?: the last answer is a problem+json of that code
	hdr "$1 problem type" "content-type: application/problem+json"
	jqt "$1 problem code" ".type == \"https://w3id.org/mcred/problems/$2\" and (.status|type) == \"number\" and (.title|length) > 0"
	[ -z "${3:-}" ] || jqt "$1 problem field" ".field == \"$3\""
}
