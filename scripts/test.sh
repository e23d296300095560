#!/usr/bin/env bash
# test.sh - every test, as CI runs it: install what is missing, build, unit
# and vector tests under ASan+UBSan, CLI tests, interop with the reference
# JavaScript implementation, the web portal in a real browser, a short fuzz
# run and a benchmark smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
export MCRED_VECTORS=${MCRED_VECTORS:-$(cd .. && pwd)/shared/vectors}
if [ ! -d "$MCRED_VECTORS" ]; then
	echo "test: vector folder $MCRED_VECTORS is missing (set MCRED_VECTORS)" >&2; exit 1
fi
bash scripts/deps.sh --test
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" all
# The store suite runs against SQLite and PostgreSQL: start a throwaway
# cluster unless MCRED_TEST_PG already names one, and always stop it.
pg_started=
if [ -z "${MCRED_TEST_PG:-}" ]; then
	MCRED_TEST_PG=$(bash tests/store/pg-cluster.sh start)
	pg_started=$MCRED_TEST_PG
	trap 'bash tests/store/pg-cluster.sh stop "$pg_started"' EXIT
fi
export MCRED_TEST_PG
make -j"$jobs" check                        # unit + vectors + CLI, sanitizers on
# (the cluster stays up for the bulk benchmark at the end; the trap stops it)
MCRED=build/mcred bash scripts/demo.sh >/dev/null # the README's demo still runs
echo "demo: 1 passed, 0 failed"
bash tests/interop/setup.sh
MCRED=build/mcred bash tests/interop/run.sh # eddsa-jcs-2022: both directions + byte compare
MCRED=build/mcred bash tests/interop/rdfc/run.sh # N-Quads vs jsonld.js (1,300 docs), eddsa-rdfc-2022 both ways
bash tests/interop/status/run.sh            # Bitstring Status List vs @digitalbazaar/vc-bitstring-status-list
MCRED=build/mcred bash tests/browser/run.sh # web portal end to end in headless chromium (playwright-core)
make -j"$jobs" fuzz-smoke FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-15}
make bench BENCH_SECONDS=${BENCH_SMOKE_SECONDS:-0.2} # bench_catalogue smoke: 5,000 offers, both back-ends
make bench-bulk BENCH_BULK_ROWS=${BENCH_BULK_SMOKE_ROWS:-20000} # SQLite and the PostgreSQL cluster above
make bench-server BENCH_SERVER_SECONDS=${BENCH_SERVER_SMOKE_SECONDS:-3} # wrk against mcred serve (smoke)
echo "test: all suites passed"
