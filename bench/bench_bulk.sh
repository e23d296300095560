#!/usr/bin/env bash
# bench_bulk.sh - issue 4 item 7: bulk-issue BENCH_BULK_ROWS (default
# 1,000,000) generated CSV rows with `mcred bulk` into SQLite and into
# PostgreSQL, and print credentials/s end to end, peak memory (maximum
# resident set size), database size, beside the raw eddsa-rdfc-2022 signing
# rate of the same credential on one core measured in the same run
# (build/bench/bench_sign_verify). Then whether the targets are met:
# SQLite >= 50% of the signing rate, peak memory < 100 MB, PostgreSQL within
# 2x of SQLite.
#
#   make bench-bulk                          # 1,000,000 rows
#   make bench-bulk BENCH_BULK_ROWS=20000    # smoke run (scripts/test.sh)
#
# PostgreSQL: MCRED_TEST_PG, else a throwaway cluster (tests/store/pg-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_BULK_ROWS:-1000000}
BATCH=${BENCH_BULK_BATCH:-2000}
MCRED=${MCRED:-build/mcred}
SIGN=${BENCH_SIGN:-build/bench/bench_sign_verify}
export MCRED_PASSPHRASE="bench passphrase"
t=$(mktemp -d "${TMPDIR:-/tmp}/mcred-bench.XXXXXX")
pg_started=; pgdb=
cleanup() {
	[ -n "$pgdb" ] && psql "$MCRED_TEST_PG" -qc "drop database if exists $pgdb" >/dev/null 2>&1
	[ -n "$pg_started" ] && bash tests/store/pg-cluster.sh stop "$pg_started"
	rm -rf "$t"
}
trap cleanup EXIT

# 1. the in-process signing rate of the same suite, one core, this run, for
# the examples/ credential (the last figure bench_sign_verify prints), which
# is what the rows below are issued from
# (wall clock: what this run got), and the same on the CPU clock (what a
# dedicated core gives: this machine is shared, so the two differ under load)
sign_of() { BENCH_SECONDS=${BENCH_SECONDS:-1} BENCH_CLOCK=$1 "$SIGN" | awk '/sign credential \(toRdf\+RDFC\+Ed25519\)/ { for (i = 1; i <= NF; i++) if ($i == "/s") r = $(i - 1) } END { print r }'; }
sign_rate=$(sign_of wall)
sign_cpu=$(sign_of cpu)
[ -n "$sign_rate" ] && [ -n "$sign_cpu" ] || { echo "bench-bulk: cannot read the eddsa-rdfc-2022 signing rate from $SIGN" >&2; exit 1; }

# 2. input and store setup
"$MCRED" key new --out "$t/k.json" --fast-kdf >/dev/null 2>&1
did=$("$MCRED" key show "$t/k.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
jq '.id = "https://uni.example/ach/ds101"' examples/achievement.json >"$t/ach.json"
awk -v n="$ROWS" 'BEGIN { print "learner_id,given_name,family_name,email,external_id,grade,issued";
	for (i = 1; i <= n; i++) printf "did:example:b%d,Given%d,Family,b%d@uni.example,x-%d,%d,2025-06-30\n", i, i, i, i, i % 5 + 1 }' >"$t/rows.csv"

setup() {
	"$MCRED" init --store "$1" >/dev/null
	"$MCRED" issuer add --store "$1" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null
	"$MCRED" template add --store "$1" --achievement "$t/ach.json" --id ds101 --publish >/dev/null
}
# run NAME STORE: sets rate, secs, rss_mb, cpu (user+sys s), load (1-min
# load average at the end: the machine is shared)
run() {
	/usr/bin/time -v "$MCRED" bulk --store "$2" "$t/rows.csv" --template ds101 --batch "$BATCH" ${BENCH_BULK_THREADS:+--threads "$BENCH_BULK_THREADS"} >"$t/$1.out" 2>"$t/$1.err" ||
		{ echo "bench-bulk: $1 run failed:" >&2; tail -5 "$t/$1.err" >&2; exit 1; }
	grep -q "issued $ROWS," "$t/$1.out" || { echo "bench-bulk: $1: $(cat "$t/$1.out")" >&2; exit 1; }
	local el; el=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$t/$1.err")
	rate=$(awk -v r="$ROWS" -v s="$el" 'BEGIN { printf "%.0f", r / (s > 0 ? s : 0.001) }')
	secs=$el
	rss_mb=$(awk '/Maximum resident set size/ { printf "%.1f", $NF / 1024 }' "$t/$1.err")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$t/$1.err")
	load=$(cut -d' ' -f1 /proc/loadavg)
}

setup "$t/bench.db"
run sqlite "$t/bench.db"
sq_rate=$rate; sq_secs=$secs; sq_rss=$rss_mb; sq_cpu=$cpu; sq_load=$load
sq_size=$(du -cb "$t"/bench.db* | awk 'END { printf "%.1f", $1 / 1048576 }')

if [ -z "${MCRED_TEST_PG:-}" ]; then
	MCRED_TEST_PG=$(bash tests/store/pg-cluster.sh start)
	pg_started=$MCRED_TEST_PG
fi
pgdb="mcred_bench_$$"
psql "$MCRED_TEST_PG" -qc "create database $pgdb" >/dev/null
pgurl=${MCRED_TEST_PG/\/postgres\?//$pgdb?}
setup "$pgurl"
run postgresql "$pgurl"
pg_rate=$rate; pg_secs=$secs; pg_rss=$rss_mb; pg_cpu=$cpu; pg_load=$load
pg_size=$(psql "$pgurl" -qtAc "select round(pg_database_size(current_database()) / 1048576.0, 1)")

yn() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT met"; fi; }
echo "bench_bulk: $ROWS rows, eddsa-rdfc-2022, batches of $BATCH, one process, ${BENCH_BULK_THREADS:-default} signing threads ($(nproc) cores online)"
printf "  %-44s %9s /s  (CPU clock: %s /s)\n" "raw signing rate (in-process, one core)" "$sign_rate" "$sign_cpu"
printf "  %-44s %9s /s  %6.1f s  CPU %7.1f s  peak RSS %6s MB  db %7s MB  load %s\n" "SQLite end to end" "$sq_rate" "$sq_secs" "$sq_cpu" "$sq_rss" "$sq_size" "$sq_load"
printf "  %-44s %9s /s  %6.1f s  CPU %7.1f s  peak RSS %6s MB  db %7s MB  load %s\n" "PostgreSQL end to end" "$pg_rate" "$pg_secs" "$pg_cpu" "$pg_rss" "$pg_size" "$pg_load"
sq_pct=$(awk -v a="$sq_rate" -v b="$sign_rate" 'BEGIN { printf "%.1f", 100 * a / b }')
echo "  target SQLite >= 50% of signing rate:      ${sq_pct}% $(yn "$(awk -v p="$sq_pct" 'BEGIN { print (p >= 50) }')") (wall clock, both in this run)"
# CPU cost per credential, all threads and the database client included,
# against the signing cost alone: what the rates would be on cores of our own
awk -v r="$ROWS" -v c="$sq_cpu" -v p="$pg_cpu" -v s="$sign_cpu" 'BEGIN {
	printf "  CPU per credential: signing %.2f ms, SQLite end to end %.2f ms (%.0f%% signing), PostgreSQL client %.2f ms\n",
		1000 / s, 1000 * c / r, 100 * (r / c) / s, 1000 * p / r }'
echo "  target peak memory < 100 MB:               SQLite ${sq_rss} MB, PostgreSQL ${pg_rss} MB $(yn "$(awk -v a="$sq_rss" -v b="$pg_rss" 'BEGIN { print (a < 100 && b < 100) }')")"
echo "  target PostgreSQL within 2x of SQLite:     $(awk -v a="$sq_rate" -v b="$pg_rate" 'BEGIN { printf "%.2fx slower", a / b }') $(yn "$(awk -v a="$sq_rate" -v b="$pg_rate" 'BEGIN { print (b * 2 >= a) }')")"
