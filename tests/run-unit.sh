#!/usr/bin/env bash
# Run every unit-test binary given as arguments (each a Check suite, one
# forked process per test case); print per-binary results and a total line
# "unit: N passed, M failed"; exit non-zero if any binary failed.
set -u
pass=0; fail=0; failed_bins=()
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "$@"; do
	name=$(basename "$t")
	out=$("$t" 2>&1); rc=$?
	summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks' | tail -1)
	printf '%s\n' "$out" | grep -vE '^(Running suite|[0-9]+%: Checks)' | head -40
	echo "$name: ${summary:-no summary (crashed?)}"
	read -r n f e < <(printf '%s\n' "$summary" | sed -nE 's/^[0-9]+%: Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/p')
	if [ -n "${n:-}" ]; then
		pass=$((pass + n - f - e)); fail=$((fail + f + e))
	elif [ $rc -ne 0 ]; then
		fail=$((fail + 1))
	fi
	[ $rc -ne 0 ] && failed_bins+=("$name")
	n=; f=; e=
done
echo "unit: $pass passed, $fail failed"
[ ${#failed_bins[@]} -eq 0 ] || { echo "failing: ${failed_bins[*]}"; exit 1; }
