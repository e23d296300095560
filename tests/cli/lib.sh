# lib.sh - shared by the store-backed CLI tests (store.sh, trust.sh, qa.sh):
# sanitizer options, a temp folder and the PostgreSQL databases to drop at
# exit, the pass/fail counters and the expect/has checks. Source it after
# `cd` to the repository root; $be names the back-end in failure lines.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1}
t=$(mktemp -d); pgdbs=()
cleanup() {
	for db in "${pgdbs[@]}"; do psql "$MCRED_TEST_PG" -qc "drop database if exists $db" >/dev/null 2>&1; done
	rm -rf "$t"
}
trap cleanup EXIT
pass=0; fail=0

expect() {
	local want=$1 name=$2; shift 3
	"$@" >"$t/out" 2>"$t/err"; local rc=$?
	if [ "$rc" = "$want" ] && ! grep -q "AddressSanitizer\|runtime error\|LeakSanitizer" "$t/err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL: $be: $name: exit $rc, want $want"; head -5 "$t/err" "$t/out" | sed 's/^/    /'
	fi
}
has() {
	if grep -q -- "$2" "$3"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $be: $1: no '$2' in $3"; head -5 "$3" | sed 's/^/    /'; fi
}
# suite_on_pg NAME: run the script's suite() again on a fresh PostgreSQL
# database of MCRED_TEST_PG (dropped at exit); required when CI=true,
# skipped with a notice otherwise. NAME prefixes the notice.
suite_on_pg() {
	if [ -n "${MCRED_TEST_PG:-}" ]; then
		be=postgresql
		local db="mcred_$1_$$_$RANDOM"
		if psql "$MCRED_TEST_PG" -qc "create database $db" >/dev/null 2>&1; then
			pgdbs+=("$db")
			suite "${MCRED_TEST_PG/\/postgres\?//$db?}"
		else
			fail=$((fail + 1)); echo "FAIL: cannot create database $db on MCRED_TEST_PG"
		fi
	elif [ "${CI:-}" = true ]; then
		fail=$((fail + 1)); echo "FAIL: CI=true but MCRED_TEST_PG is not set"
	else
		echo "cli-$1: notice: MCRED_TEST_PG not set, PostgreSQL skipped"
	fi
}
