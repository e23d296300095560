#!/usr/bin/env bash
# Browser tests of the web portal: a fresh temporary store with an issuer, a
# published template and a few credentials (one revoked), an admin token,
# `mcred serve` on a free loopback port, then tests/browser/portal.test.mjs
# and tests/browser/trust.test.mjs in headless Debian chromium (playwright-core). Builds nothing: needs
# build/mcred (MCRED=...); installs playwright-core (tests/interop/setup.sh). Screenshots go to
# build/browser/. Prints node's test summary and "browser: N passed, M failed".
# MCRED_BROWSER_ONLY=REGEX runs only the tests whose names match.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
MCRED=${MCRED:-build/mcred}
[ -x "$MCRED" ] || { echo "browser: $MCRED not built (make -j2)" >&2; exit 1; }
MCRED=$(realpath "$MCRED")
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "browser: $CHROMIUM missing (apt-get install chromium)" >&2; exit 1; }
bash tests/interop/setup.sh tests/browser

t=$(mktemp -d)
server=
cleanup() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill "$server"; wait "$server" 2>/dev/null || true
	fi
	rm -rf "$t"
}
trap cleanup EXIT
export MCRED_PASSPHRASE="browser test passphrase"
S="$t/store.db"
q() { "$@" >>"$t/setup.log" 2>&1 || { echo "browser: setup failed: $*" >&2; cat "$t/setup.log" >&2; exit 1; }; }

# --- store: a did:key issuer (verifiable offline), the example template published
q "$MCRED" key new --out "$t/key.json" --fast-kdf
did=$("$MCRED" key show "$t/key.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
q "$MCRED" init --store "$S"
q "$MCRED" issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/key.json"
q "$MCRED" template add --store "$S" --achievement examples/achievement.json --id data-literacy
q "$MCRED" template publish --store "$S" data-literacy

# --- credentials: valid (Maria, the example learner), revoked, and a target the test revokes
fx="$t/fixtures"; mkdir -p "$fx"
q "$MCRED" issue --store "$S" --template data-literacy --learner examples/learner.json --out "$fx/valid.json"
jq '.id = "did:example:revoked" | .givenName = "Rex" | .familyName = "Revoked" | .email = "rex@example.org" | .studentId = "r-1"' \
	examples/learner.json >"$t/l2.json"
q "$MCRED" issue --store "$S" --template data-literacy --learner "$t/l2.json" --out "$fx/revoked.json"
q "$MCRED" revoke --store "$S" "$(jq -r .id "$fx/revoked.json")" --reason "browser test fixture"
jq '.id = "did:example:target" | .givenName = "Tara" | .familyName = "Target" | .email = "tara@example.org" | .studentId = "t-1"' \
	examples/learner.json >"$t/l3.json"
q "$MCRED" issue --store "$S" --template data-literacy --learner "$t/l3.json" --out "$fx/target.json"

# --- bulk file: 50 good rows and 2 bad ones (bad email, ragged row)
{
	echo "learner_id,given_name,family_name,email,external_id,grade"
	for i in $(seq 1 25); do echo "did:example:bulk$i,Bulk$i,Learner,bulk$i@example.org,bulk-$i,2"; done
	echo "did:example:bad1,Bad,One,not-an-email,bulk-bad1,1"
	for i in $(seq 26 50); do echo "did:example:bulk$i,Bulk$i,Learner,bulk$i@example.org,bulk-$i,2"; done
	echo "did:example:bad2,Bad,Two,b2@example.org,bulk-bad2,1,extra"
} >"$fx/bulk.csv"
cp examples/achievement.json "$fx/achievement.json"
# --- trust pages (trust.test.mjs): three part credentials of the example
# learner, issued offline by the store's did:key issuer
for x in "1 5 6" "2 4 6" "3 3 5"; do set -- $x
	jq --arg id "https://uni.example/mc/$1" --argjson e "$2" --argjson q "$3" '.id=$id|.ects=$e|.eqfLevel=$q' \
		examples/achievement.json >"$t/part$1.json"
	q "$MCRED" issue --achievement "$t/part$1.json" --issuer "$t/issuer.json" --learner examples/learner.json \
		--key "$t/key.json" --out "$fx/part$1.json"
done
echo 50 >"$fx/bulk.rows"
echo 2 >"$fx/bulk.bad"

# --- admin token (printed once)
# quality assurance (qa.test.mjs): a draft specification and a token with every staff QA role
jq '.id = "https://uni.example/ach/qa-spec"' examples/achievement.json >"$fx/qa-spec.json"
q "$MCRED" template add --store "$S" --achievement "$fx/qa-spec.json" --id qa-spec
qa_token=$("$MCRED" token add --store "$S" --name qa-officer --role reader --qa-role proposer,reviewer,qa-officer 2>>"$t/setup.log" | tail -n 1)
token=$("$MCRED" token add --store "$S" --name browser-tests --role admin 2>>"$t/setup.log" | tail -n 1)
[ -n "$token" ] || { echo "browser: token add printed no token" >&2; cat "$t/setup.log" >&2; exit 1; }

# --- server on a free loopback port (port 0: the server picks one and writes it)
"$MCRED" serve --store "$S" --bind 127.0.0.1 --port 0 --port-file "$t/port" --rate-limit 0 \
	>"$t/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
	[ -s "$t/port" ] && curl -fsS "http://127.0.0.1:$(cat "$t/port")/healthz" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { echo "browser: mcred serve exited" >&2; cat "$t/server.log" >&2; exit 1; }
	sleep 0.1
done
[ -s "$t/port" ] || { echo "browser: mcred serve wrote no port" >&2; cat "$t/server.log" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$t/port")"
curl -fsS "$url/healthz" >/dev/null || { echo "browser: server not answering on $url" >&2; cat "$t/server.log" >&2; exit 1; }

mkdir -p build/browser
rc=0
(cd tests/browser && MCRED_URL="$url" MCRED_TOKEN="$token" MCRED_QA_TOKEN="$qa_token" MCRED_FIXTURES="$fx" MCRED_SHOTS="$root/build/browser" \
	CHROMIUM="$CHROMIUM" node --test ${MCRED_BROWSER_ONLY:+--test-name-pattern="$MCRED_BROWSER_ONLY"} --test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$t/tap" *.test.mjs) || rc=$?
pass=$(grep '^ok ' "$t/tap" | grep -vc '# SKIP' || true)
fail=$(grep -c '^not ok ' "$t/tap" || true)
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
if [ "$fail" -ne 0 ]; then echo "--- server log (last 30 lines)"; grep -v assets "$t/server.log" | tail -n 30; fi
echo "screenshots: build/browser/*.png"
echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
