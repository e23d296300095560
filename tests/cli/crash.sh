#!/usr/bin/env bash
# Crash test (issue 4 item 6) on SQLite and PostgreSQL: generate CRASH_ROWS
# (default 20,000) CSV rows, start `mcred bulk` in the background, SIGKILL it
# once its first batch is committed (polling the credential count), rerun
# the same command to completion, and check that every row is issued exactly
# once and the store is consistent: count == rows, (template, learner,
# external id) and (list, index) unique, every archived credential valid
# JSON, a sample verifies. PostgreSQL: MCRED_TEST_PG (required when
# CI=true). MCRED=path/to/mcred. Prints "crash: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
ROWS=${CRASH_ROWS:-20000}
export MCRED_PASSPHRASE="crash test passphrase"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1}
t=$(mktemp -d); pgdbs=(); bgpid=
cleanup() {
	[ -n "$bgpid" ] && kill -9 "$bgpid" 2>/dev/null
	for db in "${pgdbs[@]}"; do psql "$MCRED_TEST_PG" -qc "drop database if exists $db" >/dev/null 2>&1; done
	rm -rf "$t"
}
trap cleanup EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $be: $*"; }
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: '$2' != '$3'"; fi; }

$MCRED key new --out "$t/k.json" --fast-kdf >/dev/null 2>&1
did=$($MCRED key show "$t/k.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
jq '.id = "https://uni.example/ach/ds101"' examples/achievement.json >"$t/ach.json"
awk -v n="$ROWS" 'BEGIN { print "learner_id,given_name,family_name,email,external_id,grade";
	for (i = 1; i <= n; i++) printf "did:example:c%d,Given%d,Family,c%d@uni.example,x-%d,%d\n", i, i, i, i, i % 5 + 1 }' >"$t/rows.csv"

# sql STORE QUERY: one value
sql() {
	if [ "$be" = sqlite ]; then sqlite3 "$1" "$2"; else psql "$1" -qtAc "$2"; fi
}

crash_suite() {
	local S=$1
	$MCRED init --store "$S" >/dev/null && $MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null &&
		$MCRED template add --store "$S" --achievement "$t/ach.json" --id ds101 --publish >/dev/null || { bad "setup"; return; }
	$MCRED bulk --store "$S" "$t/rows.csv" --template ds101 --batch 1000 >"$t/run1.out" 2>"$t/run1.err" &
	bgpid=$!
	local n=0 i
	for i in $(seq 1 3000); do
		n=$(sql "$S" "select count(*) from credentials" 2>/dev/null || echo 0)
		[ "${n:-0}" -gt 0 ] && break
		kill -0 "$bgpid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -9 "$bgpid" 2>/dev/null; then ok; else bad "bulk finished before it could be killed (raise CRASH_ROWS)"; fi
	wait "$bgpid" 2>/dev/null; bgpid=
	local before; before=$(sql "$S" "select count(*) from credentials")
	echo "crash: $be: killed with $before of $ROWS rows committed"
	[ "$before" -gt 0 ] && [ "$before" -lt "$ROWS" ] && ok || bad "count after kill: $before"
	[ $((before % 1000)) = 0 ] && ok || bad "a partial batch is visible after the kill ($before rows)"
	$MCRED bulk --store "$S" "$t/rows.csv" --template ds101 --batch 1000 >"$t/run2.out" 2>"$t/run2.err"
	eq "rerun exit" "$?" 0
	grep -q "AddressSanitizer\|runtime error" "$t/run2.err" && bad "sanitizer: $(head -3 "$t/run2.err")" || ok
	eq "rerun summary" "$(cat "$t/run2.out")" "bulk: issued $((ROWS - before)), skipped existing $before, rejected 0 (of $ROWS rows)"
	eq "count == rows" "$(sql "$S" "select count(*) from credentials")" "$ROWS"
	eq "unique idempotency key" "$(sql "$S" "select count(*) from (select distinct template_id, learner_id, external_id from credentials) k")" "$ROWS"
	eq "unique status index" "$(sql "$S" "select count(*) from (select distinct status_list_id, status_index from credentials) k")" "$ROWS"
	eq "every row has a status index" "$(sql "$S" "select count(*) from credentials where status_index is null")" 0
	if [ "$be" = sqlite ]; then
		eq "every credential is JSON" "$(sql "$S" "select count(*) from credentials where json_valid(json) and json_valid(learner)")" "$ROWS"
	else
		eq "every credential is JSON" "$(sql "$S" "select count(*) from credentials where (json::jsonb) ? 'proof'")" "$ROWS"
	fi
	eq "one external id per row" "$(sql "$S" "select count(*) from credentials where external_id like 'x-%'")" "$ROWS"
	# issued credentials verify: the first, the last, and some in between
	local id
	for id in $(sql "$S" "select id from credentials order by external_id limit 3") \
		$(sql "$S" "select id from credentials order by issued_at desc, external_id desc limit 2"); do
		sql "$S" "select json from credentials where id = '$id'" >"$t/one.json"
		if $MCRED verify "$t/one.json" >/dev/null 2>&1; then ok; else bad "credential $id does not verify"; fi
	done
	# a third run issues nothing
	$MCRED bulk --store "$S" "$t/rows.csv" --template ds101 >"$t/run3.out" 2>&1
	eq "third run issues nothing" "$(cat "$t/run3.out")" "bulk: issued 0, skipped existing $ROWS, rejected 0 (of $ROWS rows)"
}

be=sqlite
crash_suite "$t/crash.db"
if [ -n "${MCRED_TEST_PG:-}" ]; then
	be=postgresql
	db="mcred_crash_$$_$RANDOM"
	if psql "$MCRED_TEST_PG" -qc "create database $db" >/dev/null 2>&1; then
		pgdbs+=("$db")
		crash_suite "${MCRED_TEST_PG/\/postgres\?//$db?}"
	else
		bad "cannot create database $db"
	fi
elif [ "${CI:-}" = true ]; then
	be=postgresql; bad "CI=true but MCRED_TEST_PG is not set"
else
	echo "crash: notice: MCRED_TEST_PG not set, PostgreSQL skipped"
fi
echo "crash: $pass passed, $fail failed"
[ "$fail" = 0 ]
