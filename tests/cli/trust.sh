#!/usr/bin/env bash
# CLI trust tests (docs/trust.md): register import/export/publish/check,
# verify --register, pathway check, recognise (--record), catalogue
# add/import/search, against SQLite and PostgreSQL (MCRED_TEST_PG; required
# when CI=true), each passing case beside a failing twin. MCRED=path/to/mcred.
# Prints "cli-trust: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
export MCRED_PASSPHRASE="cli trust passphrase"
. tests/cli/lib.sh

# --- fixtures: two did:key issuers, credentials, a register, a pathway, a policy
be=setup
$MCRED key new --out "$t/k1.json" --fast-kdf >/dev/null 2>&1
$MCRED key new --out "$t/k2.json" --fast-kdf >/dev/null 2>&1
$MCRED key new --out "$t/kr.json" --fast-kdf >/dev/null 2>&1
d1=$($MCRED key show "$t/k1.json" --json | jq -r .did)
d2=$($MCRED key show "$t/k2.json" --json | jq -r .did)
dr=$($MCRED key show "$t/kr.json" --json | jq -r .did)
jq --arg d "$d1" '.id = $d' examples/issuer.json >"$t/i1.json"
jq --arg d "$d2" '.id = $d | .name = "Skills Ltd" | .country = "DE" | del(.region)' examples/issuer.json >"$t/i2.json"
issue() { # key issuer achievement-id ects eqf out
	jq --arg id "$3" --argjson e "$4" --argjson q "$5" '.id = $id | .ects = $e | .eqfLevel = $q' examples/achievement.json >"$t/a.json"
	$MCRED issue --achievement "$t/a.json" --issuer "$2" --learner examples/learner.json --key "$1" --suite eddsa-jcs-2022 --out "$6" >/dev/null 2>&1
}
issue "$t/k1.json" "$t/i1.json" https://uni.example/mc/1 5 6 "$t/c1.json"
issue "$t/k1.json" "$t/i1.json" https://uni.example/mc/2 4 6 "$t/c2.json"
issue "$t/k1.json" "$t/i1.json" https://uni.example/mc/3 3 5 "$t/c3.json"
issue "$t/k2.json" "$t/i2.json" https://skills.example/mc/1 5 6 "$t/c4.json"
sed 's/Data Literacy/Data Litteracy/' "$t/c1.json" >"$t/c1-tampered.json"
cat >"$t/register.json" <<JSON
{"providers":[{"id":"$d1","name":"University of Graz","country":"AT","kind":"hei","identifiers":{"erasmus":"A GRAZ01"}},
              {"id":"$d2","name":"Skills Ltd","country":"DE","kind":"alternative"}],
 "agencies":[{"id":"https://aq.example","name":"AQ Austria","country":"AT","eqarRegistered":true},
             {"id":"https://cert.example","name":"CertBody","country":"DE","eqarRegistered":false}],
 "qaResults":[{"id":"https://aq.example/r/1","provider":"$d1","agency":"https://aq.example","kind":"institutional-review",
               "decision":"positive","validFrom":"2020-01-01","validUntil":"2026-12-31","report":"https://aq.example/r/1.pdf"},
              {"id":"https://cert.example/c/9","provider":"$d2","agency":"https://cert.example","kind":"iso-17024",
               "decision":"positive","validFrom":"2021-01-01"}]}
JSON
jq '.qaResults[0].validUntil = "2019-01-01"' "$t/register.json" >"$t/register-dates.json"
cat >"$t/register-bad.csv" <<CSV
record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,decision,valid_from,valid_until,report,scope
provider,$d1,U,AT,hei,,,,,,,,,,
agency,https://aq.example,AQ,AT,,maybe,,,,,,,,,
CSV
cat >"$t/pathway.json" <<'JSON'
{"id":"https://uni.example/pathways/data","title":"Certificate in Data",
 "rules":{"core":{"all":["https://uni.example/mc/1","https://uni.example/mc/2"]}},
 "rule":{"and":[{"ref":"core"},{"ects":{"min":12}},{"level":{"min":6,"rule":{"ects":{"min":9}}}}]}}
JSON
jq '.rules.core = {"ref":"core"}' "$t/pathway.json" >"$t/pathway-circular.json"
cat >"$t/policy.json" <<'JSON'
{"id":"https://uni-b.example/recognition/2025","institution":"did:web:uni-b.example","towards":"MSc Data Science, electives",
 "providers":"registered","qaKinds":["institutional-review","programme-accreditation"],"minLevel":6,"minEcts":3,"maxEcts":10,
 "fields":["06"]}
JSON
jq '.id = "https://uni.example/offers/dl" | .provider = "did:web:uni.example"' <<'JSON' >"$t/details.json"
{"country":"AT","language":"en","mode":"online","place":"Graz","price":{"amount":0,"currency":"EUR"},"schedule":{"start":"2026-03-01","end":"2026-06-30"}}
JSON
cat >"$t/feed.json" <<'JSON'
{"provider":"did:web:other.example","offers":[
 {"id":"https://other.example/o/1","provider":"did:web:other.example","title":"Machine learning for health data","description":"Models for clinical data.",
  "learningOutcomes":["Train a classifier"],"ects":3,"eqfLevel":7,"iscedF":"0613","country":"FI","language":"fi","mode":"onsite"},
 {"id":"https://other.example/o/2","provider":"did:web:other.example","title":"Statistics refresher","description":"Basic statistics.",
  "learningOutcomes":["Compute a confidence interval for data"],"ects":2,"eqfLevel":5,"iscedF":"0542","country":"FI","language":"en","mode":"online"}]}
JSON
jq '.offers[1].ects = "2"' "$t/feed.json" >"$t/feed-bad.json"

be=files
# --- register without a store: check, publish, verify --register
expect 0 "check registered issuer" -- $MCRED register check --register "$t/register.json" --issuer "$d1" --date 2025-06-30
has "check pass" "PASS" "$t/out"
expect 1 "check after expiry (twin)" -- $MCRED register check --register "$t/register.json" --issuer "$d1" --date 2027-01-01
has "check fail" "FAIL" "$t/out"
expect 0 "check ISO-only issuer warns" -- $MCRED register check --register "$t/register.json" --issuer "$d2" --date 2025-06-30
has "check warn" "WARN" "$t/out"
expect 1 "check unregistered" -- $MCRED register check --register "$t/register.json" --issuer did:web:nobody.example
expect 3 "conflicting QA dates" -- $MCRED register check --register "$t/register-dates.json" --issuer "$d1"
has "dates path" "qaResults\[0\].validUntil" "$t/err"
expect 3 "bad CSV names row and column" -- $MCRED register check --register "$t/register-bad.csv" --issuer "$d1"
has "csv path" "rows\[2\].eqar_registered" "$t/err"
expect 0 "publish register" -- $MCRED register publish --register "$t/register.json" --key "$t/kr.json" --id https://register.example/at --out "$t/signed.json"
expect 0 "verify with signed register" -- $MCRED verify "$t/c1.json" --register "$t/signed.json" --register-issuer "$dr"
has "register line" "register" "$t/out"
has "register pass" "PASS  register" "$t/out"
expect 3 "signed register from another publisher (twin)" -- $MCRED verify "$t/c1.json" --register "$t/signed.json" --register-issuer "$d1"
sed 's/Skills Ltd/Skilz Ltd/' "$t/signed.json" >"$t/signed-tampered.json"
expect 3 "tampered register" -- $MCRED verify "$t/c1.json" --register "$t/signed-tampered.json"
expect 0 "unregistered issuer: valid, warned" -- $MCRED verify "$t/c1.json" --register <(echo '{"providers":[],"agencies":[],"qaResults":[]}')
has "warn line" "WARN  register" "$t/out"
expect 1 "unregistered issuer with --require-registered" -- $MCRED verify "$t/c1.json" --require-registered --register <(echo '{"providers":[],"agencies":[],"qaResults":[]}')
expect 0 "register check of a credential" -- $MCRED register check --register "$t/signed.json" "$t/c1.json"

# --- pathways
expect 0 "pathway complete" -- $MCRED pathway check "$t/pathway.json" "$t/c1.json" "$t/c2.json" "$t/c3.json"
has "complete" "COMPLETE" "$t/out"
expect 0 "pathway with more credentials than 8" -- $MCRED pathway check "$t/pathway.json" "$t/c1.json" "$t/c2.json" "$t/c3.json" "$t/c4.json" "$t/c1.json" "$t/c2.json" "$t/c3.json" "$t/c4.json" "$t/c1.json"
expect 1 "pathway missing a part (twin)" -- $MCRED pathway check "$t/pathway.json" "$t/c1.json" "$t/c3.json"
has "missing names the rule" 'rules.core.all\[1\]' "$t/out"
expect 1 "tampered credential not counted" -- $MCRED pathway check "$t/pathway.json" "$t/c1-tampered.json" "$t/c2.json" "$t/c3.json" --json
has "json not counted" "notCounted" "$t/out"
expect 3 "circular pathway" -- $MCRED pathway check "$t/pathway-circular.json" "$t/c1.json"
has "circular path" "rules.core.ref" "$t/err"

# --- recognition without a store
expect 0 "recognised" -- $MCRED recognise --policy "$t/policy.json" --register "$t/register.json" "$t/c1.json"
has "recognised line" "RECOGNISED automatically: 5 ECTS" "$t/out"
expect 1 "referred: issuer without ESG QA (twin)" -- $MCRED recognise --policy "$t/policy.json" --register "$t/register.json" "$t/c4.json"
has "referred" "REFERRED" "$t/out"
expect 1 "referred: level mismatch" -- $MCRED recognise --policy "$t/policy.json" --register "$t/register.json" "$t/c3.json" --json
has "level reason" "Level mismatch" "$t/out"
expect 1 "referred: bad signature" -- $MCRED recognise --policy "$t/policy.json" --register "$t/register.json" "$t/c1-tampered.json"
has "signature reason" "did not verify" "$t/out"

# suite URL: the store-backed commands
suite() {
	local S="$1"
	expect 0 "register import JSON" -- $MCRED register import --store "$S" "$t/register.json"
	expect 3 "register import conflicting dates" -- $MCRED register import --store "$S" "$t/register-dates.json"
	expect 0 "register export CSV" -- $MCRED register export --store "$S" --format csv --out "$t/reg.csv"
	expect 0 "register import CSV round trip" -- $MCRED register import --store "$S" "$t/reg.csv"
	has "imported counts" "2 providers, 2 agencies, 2 QA results" "$t/out"
	expect 0 "check from the store" -- $MCRED register check --store "$S" --issuer "$d1" --date 2025-06-30
	expect 0 "recognise and record" -- $MCRED recognise --store "$S" --policy "$t/policy.json" "$t/c1.json" --record --actor registrar
	has "recorded" "recorded as decision" "$t/err"
	expect 1 "referred and recorded" -- $MCRED recognise --store "$S" --policy "$t/policy.json" "$t/c3.json" --record
	expect 0 "catalogue add from file" -- $MCRED catalogue add --store "$S" <(jq '.offers[0]' "$t/feed.json")
	expect 2 "catalogue add usage" -- $MCRED catalogue add --store "$S"
	expect 0 "catalogue import feed" -- $MCRED catalogue import --store "$S" "$t/feed.json"
	expect 3 "malformed feed" -- $MCRED catalogue import --store "$S" "$t/feed-bad.json"
	has "feed path" 'offers\[1\].ects' "$t/err"
	expect 0 "search words + two filters" -- $MCRED catalogue search --store "$S" machine learning --country FI --eqf 7
	has "search hit" "other.example/o/1" "$t/out"
	has "one hit" "^1 offer" "$t/out"
	expect 0 "search with a filter nothing meets (twin)" -- $MCRED catalogue search --store "$S" machine learning --country AT
	has "no hit" "^0 offer" "$t/out"
	expect 0 "search outcomes text" -- $MCRED catalogue search --store "$S" interval --json
	has "outcome hit" "other.example/o/2" "$t/out"
	expect 3 "search bad field" -- $MCRED catalogue search --store "$S" data --field 6
}
be=sqlite
suite "$t/store.db"
suite_on_pg trust

echo "cli-trust: $pass passed, $fail failed"
[ "$fail" = 0 ]
