#!/usr/bin/env bash
# Run every unit-test binary given as arguments; print a total line that CI
# can read ("N passed, N failed") and fail if any binary failed.
set -u
pass=0; fail=0; failed_bins=()
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	echo "$out" | grep -E '^[0-9]+%: Checks' | sed "s|^|$(basename "$t"): |"
	echo "$out" | grep -vE '^(Running suite|[0-9]+%: Checks)' | head -40
	c=$(echo "$out" | sed -nE 's/^[0-9]+%: Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/p')
	if [ -n "$c" ]; then
		set -- $c "$@"; n=$1; f=$(( $2 + $3 )); shift 3
		pass=$((pass + n - f)); fail=$((fail + f))
	fi
	if [ $rc -ne 0 ]; then failed_bins+=("$(basename "$t")"); [ -z "$c" ] && fail=$((fail + 1)); fi
done
echo "unit: $pass passed, $fail failed"
[ ${#failed_bins[@]} -eq 0 ] || { echo "failing: ${failed_bins[*]}"; exit 1; }
