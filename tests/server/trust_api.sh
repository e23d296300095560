#!/usr/bin/env bash
# API tests of the trust routes of `mcred serve` (src/server/trust_api.c)
# over real HTTP: register, catalogue, pathways (evaluate, stacked
# issuance), recognition (policies, decide, recognition credential), the
# register line of POST /api/v1/verify, and bad input on every endpoint
# (malformed JSON, oversize, wrong content type, missing token, wrong
# role, unknown id, conflicting QA dates, circular pathways, unknown
# references, malformed feeds). SQLite, and PostgreSQL when MCRED_TEST_PG
# is set. Prints "trust-api: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
export MCRED_PASSPHRASE="trust api passphrase"
source tests/server/lib.sh
field() { jqt "$1 names the field" ".field == \"$2\""; }
enc() { jq -rn --arg v "$1" '$v|@uri'; }

# ---- fixtures: the server's issuer is a did:key issuer (verifies offline)
$MCRED key new --out "$t/k.json" --fast-kdf >/dev/null 2>&1
did=$($MCRED key show "$t/k.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
learner=$(jq -r .id examples/learner.json)
for x in "1 5 6" "2 4 6" "3 3 5"; do set -- $x
	jq --arg id "https://uni.example/mc/$1" --argjson e "$2" --argjson q "$3" '.id=$id|.ects=$e|.eqfLevel=$q|.iscedF="0688"' examples/achievement.json >"$t/a$1.json"
	$MCRED issue --achievement "$t/a$1.json" --issuer "$t/issuer.json" --learner examples/learner.json --key "$t/k.json" --out "$t/c$1.json" >/dev/null 2>&1 || bad "fixture c$1"
done
jq '.id = "did:example:someone-else"' examples/learner.json >"$t/other.json"
$MCRED issue --achievement "$t/a2.json" --issuer "$t/issuer.json" --learner "$t/other.json" --key "$t/k.json" --out "$t/c2-other.json" >/dev/null 2>&1 || bad "fixture c2-other"
jq '.id="https://uni.example/cert/data"|.ects=12' examples/achievement.json >"$t/cert.json"
jq '.id="https://uni.example/recognised/elective"|.ects=5' examples/achievement.json >"$t/rec.json"
cat >"$t/register.json" <<JSON
{"providers":[{"id":"$did","name":"University of Graz","country":"AT","kind":"hei"}],
 "agencies":[{"id":"https://aq.example","name":"AQ Austria","country":"AT","eqarRegistered":true}],
 "qaResults":[{"id":"https://aq.example/r/1","provider":"$did","agency":"https://aq.example","kind":"institutional-review",
               "decision":"positive","validFrom":"2020-01-01"}]}
JSON
jq '.qaResults[0].validUntil = "2019-01-01"' "$t/register.json" >"$t/register-dates.json"
jq '.qaResults[0].agency = "https://nobody.example"' "$t/register.json" >"$t/register-unknown.json"
{ echo "record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,decision,valid_from,valid_until,report,scope"
  echo "provider,did:example:alt,Skills Ltd,DE,alternative,,,,,,,,,,"; } >"$t/register.csv"
{ echo "record,id,name,country,kind,eqar_registered,identifiers,url,provider,agency,decision,valid_from,valid_until,report,scope"
  echo "agency,https://x.example,X,DE,,maybe,,,,,,,,,"; } >"$t/register-bad.csv"
cat >"$t/pathway.json" <<'JSON'
{"id":"https://uni.example/pathways/data","title":"Certificate in Data",
 "rules":{"core":{"all":["https://uni.example/mc/1","https://uni.example/mc/2"]}},
 "rule":{"and":[{"ref":"core"},{"ects":{"min":12}}]}}
JSON
jq '.rules.core = {"ref":"core"}' "$t/pathway.json" >"$t/pathway-circular.json"
jq '.rule = {"ref":"nope"}' "$t/pathway.json" >"$t/pathway-unknown.json"
cat >"$t/policy.json" <<'JSON'
{"id":"https://uni-b.example/recognition/2025","institution":"did:web:uni-b.example","towards":"MSc Data Science, electives",
 "providers":"registered","minLevel":6,"minEcts":3,"maxEcts":10}
JSON
cat >"$t/feed.json" <<'JSON'
{"provider":"did:web:other.example","offers":[{"id":"https://other.example/o/1","provider":"did:web:other.example",
 "title":"Machine learning basics","description":"Supervised learning for beginners","learningOutcomes":["Train a classifier"],
 "ects":3,"eqfLevel":5,"iscedF":"0613","country":"DE","language":"de","mode":"online","stackableInto":["https://uni.example/pathways/data"]}]}
JSON
jq '.offers[0].ects = "three"' "$t/feed.json" >"$t/feed-bad.json"
jq '.offers[0].provider = "did:web:third.example"' "$t/feed.json" >"$t/feed-foreign.json"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$t/big.txt"; printf '{}' >>"$t/big.txt"
head -c 70000000 /dev/zero | tr '\0' ' ' >"$t/huge.txt"; printf '{}' >>"$t/huge.txt"

suite() {
	local S=$1
	$MCRED init --store "$S" >/dev/null 2>&1
	$MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null 2>&1 || bad "issuer add"
	$MCRED template add --store "$S" --achievement "$t/cert.json" --id cert --publish >/dev/null 2>&1 || bad "template cert"
	$MCRED template add --store "$S" --achievement "$t/rec.json" --id rec --publish >/dev/null 2>&1 || bad "template rec"
	$MCRED template add --store "$S" --achievement "$t/a1.json" --id draft >/dev/null 2>&1 || bad "template draft"
	local TOK="$t/$be.tokens"
	admin=$($MCRED token add --tokens "$TOK" --name ops --role admin 2>/dev/null)
	issuer=$($MCRED token add --tokens "$TOK" --name sis --role issuer 2>/dev/null)
	reader=$($MCRED token add --tokens "$TOK" --name ro --role reader 2>/dev/null)
	rm -f "$t/$be.port"
	"$MCRED" serve --store "$S" --tokens "$TOK" --rate-limit 0 --port 0 --port-file "$t/$be.port" 2>"$t/$be.log" &
	local pid=$!; pids+=("$pid")
	for _ in $(seq 1 300); do [ -s "$t/$be.port" ] && break; sleep 0.1; done
	[ -s "$t/$be.port" ] || { bad "server did not start"; cat "$t/$be.log"; return; }
	BASE="http://127.0.0.1:$(cat "$t/$be.port")"
	A=(-H "Authorization: Bearer $admin"); I=(-H "Authorization: Bearer $issuer"); R=(-H "Authorization: Bearer $reader")
	J=(-H "Content-Type: application/json")

	# --- pages
	for pg in /catalogue /pathway /register; do req "page $pg" 200 GET "$pg"; grep -qi "content-type: text/html" "$t/h" && ok || bad "page $pg html"; done

	# --- verify without a register: no register line; with one: a separate line
	req "verify, empty register" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/c1.json"
	jqt "no register line without a register" '.verified == true and ([.checks[] | select(.check == "register")] | length) == 0'

	# --- register import: negatives first
	req "register import no token" 401 POST /api/v1/register "${J[@]}" --data-binary @"$t/register.json"
	req "register import reader" 403 POST /api/v1/register "${R[@]}" "${J[@]}" --data-binary @"$t/register.json"
	req "register import issuer" 403 POST /api/v1/register "${I[@]}" "${J[@]}" --data-binary @"$t/register.json"
	req "register import text/plain" 415 POST /api/v1/register "${A[@]}" -H "Content-Type: text/plain" --data-binary @"$t/register.json"
	req "register import malformed" 400 POST /api/v1/register "${A[@]}" "${J[@]}" --data-binary '{"providers":['
	req "register import conflicting dates" 400 POST /api/v1/register "${A[@]}" "${J[@]}" --data-binary @"$t/register-dates.json"
	field "conflicting dates" '$.qaResults[0].validUntil'
	req "register import unknown agency" 400 POST /api/v1/register "${A[@]}" "${J[@]}" --data-binary @"$t/register-unknown.json"
	field "unknown agency" '$.qaResults[0].agency'
	req "register import oversize" 413 POST /api/v1/register "${A[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "register csv bad row" 400 POST /api/v1/register/csv "${A[@]}" -H "Content-Type: text/csv" --data-binary @"$t/register-bad.csv"
	jqt "register csv names rows[N].column" '.field | startswith("rows[1]")'
	req "register csv json type" 415 POST /api/v1/register/csv "${A[@]}" "${J[@]}" --data-binary @"$t/register.json"
	req "register csv no token" 401 POST /api/v1/register/csv -H "Content-Type: text/csv" --data-binary @"$t/register.csv"
	req "register import" 200 POST /api/v1/register "${A[@]}" "${J[@]}" --data-binary @"$t/register.json"
	jqt "register import counts" '.providers == 1 and .agencies == 1 and .qaResults == 1'
	req "register csv import" 200 POST /api/v1/register/csv "${A[@]}" -H "Content-Type: text/csv" --data-binary @"$t/register.csv"
	req "register get" 200 GET /api/v1/register
	jqt "register get lists both" '(.providers | length) == 2 and .qaResults[0].kind == "institutional-review"'
	req "register providers" 200 GET /api/v1/register/providers
	jqt "provider check pass" "[.providers[] | select(.id == \"$did\")][0].check.result == \"pass\""
	jqt "alternative provider check fail (twin)" '[.providers[] | select(.id == "did:example:alt")][0].check.result == "fail"'
	req "register signed" 200 GET /api/v1/register/signed
	cp "$t/b" "$t/signed.json"
	jqt "register signed is a VC" '.type == ["VerifiableCredential","McredTrustRegister"] and .proof.cryptosuite == "eddsa-jcs-2022"'
	"$MCRED" verify "$t/c1.json" --register "$t/signed.json" --register-issuer "$did" >/dev/null 2>&1 && ok || bad "signed register usable by mcred verify"
	req "verify with register" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/c1.json"
	jqt "register line passes" '.verified == true and ([.checks[] | select(.check == "register" and .result == "pass")] | length) == 1'

	# --- catalogue
	req "offer no token" 401 POST /api/v1/catalogue/offers "${J[@]}" -d '{}'
	req "offer reader" 403 POST /api/v1/catalogue/offers "${R[@]}" "${J[@]}" -d '{}'
	req "offer malformed" 400 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":'
	req "offer oversize" 413 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "offer wrong type" 415 POST /api/v1/catalogue/offers "${I[@]}" -H "Content-Type: text/csv" -d '{}'
	local det='{"id":"https://uni.example/offers/cert","provider":"'$did'","country":"AT","language":"en","mode":"blended","place":"Graz"}'
	req "offer unknown template" 400 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":"nope","details":'"$det"'}'
	field "offer unknown template" '$.template'
	req "offer draft template" 400 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":"draft","details":'"$det"'}'
	req "offer bad mode" 400 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":"cert","details":'"$(jq -c '.mode="telepathy"' <<<"$det")"'}'
	field "offer bad mode" '$.mode'
	req "offer from template" 201 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":"cert","details":'"$det"'}'
	jqt "offer created" '.created == true and .offer.ects == 12'
	req "offer again replaces" 200 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":"cert","details":'"$det"'}'
	req "feed no token" 401 POST /api/v1/catalogue/feeds "${J[@]}" --data-binary @"$t/feed.json"
	req "feed issuer role" 403 POST /api/v1/catalogue/feeds "${I[@]}" "${J[@]}" --data-binary @"$t/feed.json"
	req "feed malformed" 400 POST /api/v1/catalogue/feeds "${A[@]}" "${J[@]}" -d '{"offers":[}'
	req "feed bad ects" 400 POST /api/v1/catalogue/feeds "${A[@]}" "${J[@]}" --data-binary @"$t/feed-bad.json"
	field "feed bad ects" '$.offers[0].ects'
	req "feed foreign offer" 400 POST /api/v1/catalogue/feeds "${A[@]}" "${J[@]}" --data-binary @"$t/feed-foreign.json"
	req "feed oversize" 413 POST /api/v1/catalogue/feeds "${A[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "feed import" 200 POST /api/v1/catalogue/feeds "${A[@]}" "${J[@]}" --data-binary @"$t/feed.json"
	jqt "feed imported" '.imported == 1'
	req "search all" 200 GET "/api/v1/catalogue"
	jqt "search all finds 2" '(.items | length) == 2'
	req "search words" 200 GET "/api/v1/catalogue?q=machine+learning"
	jqt "search words finds the feed offer" '(.items | length) == 1 and .items[0].id == "https://other.example/o/1"'
	req "search words + filter (twin: nothing)" 200 GET "/api/v1/catalogue?q=machine&mode=onsite"
	jqt "filter excludes" '(.items | length) == 0'
	req "search eqf + language" 200 GET "/api/v1/catalogue?eqf=5&language=de"
	jqt "eqf filter" '(.items | length) == 1'
	req "search paging" 200 GET "/api/v1/catalogue?limit=1"
	jqt "paging has more" '(.items | length) == 1 and .hasMore == true'
	req "search bad eqf" 400 GET "/api/v1/catalogue?eqf=9"
	field "bad eqf" eqf
	req "search bad ects" 400 GET "/api/v1/catalogue?ectsMin=abc"
	req "search ects inverted" 400 GET "/api/v1/catalogue?ectsMin=9&ectsMax=3"
	req "search bad field" 400 GET "/api/v1/catalogue?field=abc"
	req "search bad limit" 400 GET "/api/v1/catalogue?limit=1000"
	req "offer get unknown" 404 GET "/api/v1/catalogue/offers/$(enc https://nowhere.example/x)"

	# --- pathways
	req "pathway save no token" 401 POST /api/v1/pathways "${J[@]}" --data-binary @"$t/pathway.json"
	req "pathway save reader" 403 POST /api/v1/pathways "${R[@]}" "${J[@]}" --data-binary @"$t/pathway.json"
	req "pathway save malformed" 400 POST /api/v1/pathways "${I[@]}" "${J[@]}" -d '{"id":'
	req "pathway save circular" 400 POST /api/v1/pathways "${I[@]}" "${J[@]}" --data-binary @"$t/pathway-circular.json"
	jqt "circular names the ref" '.field | contains("rules.core")'
	req "pathway save unknown ref" 400 POST /api/v1/pathways "${I[@]}" "${J[@]}" --data-binary @"$t/pathway-unknown.json"
	req "pathway save no rule" 400 POST /api/v1/pathways "${I[@]}" "${J[@]}" -d '{"id":"https://x.example/p","title":"x"}'
	field "pathway no rule" '$.rule'
	req "pathway save wrong type" 415 POST /api/v1/pathways "${I[@]}" -H "Content-Type: text/plain" --data-binary @"$t/pathway.json"
	req "pathway save oversize" 413 POST /api/v1/pathways "${I[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "pathway save" 201 POST /api/v1/pathways "${I[@]}" "${J[@]}" --data-binary @"$t/pathway.json"
	req "pathway save again" 200 POST /api/v1/pathways "${I[@]}" "${J[@]}" --data-binary @"$t/pathway.json"
	req "pathway list" 200 GET /api/v1/pathways
	jqt "pathway listed" '.[0].title == "Certificate in Data"'
	req "pathway get" 200 GET "/api/v1/pathways/$(enc https://uni.example/pathways/data)"
	jqt "pathway offers from stackableInto" '.offers[0].id == "https://other.example/o/1" and .pathway.rule.and[0].ref == "core"'
	req "pathway get unknown" 404 GET "/api/v1/pathways/$(enc https://uni.example/pathways/none)"
	req "offer stacks into the pathway" 200 GET "/api/v1/catalogue/offers/$(enc https://other.example/o/1)"
	jqt "stacksInto known pathway" '.stacksInto[0].known == true and .stacksInto[0].title == "Certificate in Data"'
	local P='"pathway":"https://uni.example/pathways/data"'
	local C123; C123=$(jq -cs '.' "$t/c1.json" "$t/c2.json" "$t/c3.json")
	local C13; C13=$(jq -cs '.' "$t/c1.json" "$t/c3.json")
	req "evaluate complete" 200 POST /api/v1/pathways/evaluate "${J[@]}" -d "{$P,\"credentials\":$C123}"
	jqt "evaluate done" '.done == true and .progress == 1 and (.used | length) == 3'
	req "evaluate incomplete (twin)" 200 POST /api/v1/pathways/evaluate "${J[@]}" -d "{$P,\"credentials\":$C13}"
	jqt "evaluate missing mc/2" '.done == false and (.missing[0].message | contains("mc/2"))'
	req "evaluate credential as text" 200 POST /api/v1/pathways/evaluate "${J[@]}" -d "{$P,\"credentials\":$(jq -cs 'map(tojson)' "$t/c1.json" "$t/c2.json" "$t/c3.json")}"
	jqt "evaluate text done" '.done == true'
	req "evaluate unknown pathway" 400 POST /api/v1/pathways/evaluate "${J[@]}" -d '{"pathway":"https://x.example/none","credentials":[]}'
	field "evaluate unknown pathway" '$.pathway'
	req "evaluate no credentials" 400 POST /api/v1/pathways/evaluate "${J[@]}" -d "{$P}"
	req "evaluate bad credential" 400 POST /api/v1/pathways/evaluate "${J[@]}" -d "{$P,\"credentials\":[42]}"
	field "evaluate bad credential" '$.credentials[0]'
	req "evaluate malformed" 400 POST /api/v1/pathways/evaluate "${J[@]}" -d '{"pathway":'
	req "evaluate oversize (public limit)" 413 POST /api/v1/pathways/evaluate "${J[@]}" --data-binary @"$t/big.txt"
	req "evaluate wrong type" 415 POST /api/v1/pathways/evaluate -H "Content-Type: text/plain" -d "{$P}"
	local L; L=$(jq -c . examples/learner.json)
	req "issue stacked no token" 401 POST /api/v1/pathways/issue "${J[@]}" -d "{$P,\"template\":\"cert\",\"learner\":$L,\"credentials\":$C123}"
	req "issue stacked reader" 403 POST /api/v1/pathways/issue "${R[@]}" "${J[@]}" -d "{$P,\"template\":\"cert\",\"learner\":$L,\"credentials\":$C123}"
	req "issue stacked incomplete" 409 POST /api/v1/pathways/issue "${I[@]}" "${J[@]}" -d "{$P,\"template\":\"cert\",\"learner\":$L,\"credentials\":$C13}"
	field "incomplete" '$.credentials'
	local Cother; Cother=$(jq -cs '.' "$t/c1.json" "$t/c2-other.json" "$t/c3.json")
	req "issue stacked part of another learner" 400 POST /api/v1/pathways/issue "${I[@]}" "${J[@]}" -d "{$P,\"template\":\"cert\",\"learner\":$L,\"credentials\":$Cother}"
	field "part of another learner" '$.credentials[1]'
	req "issue stacked unknown template" 400 POST /api/v1/pathways/issue "${I[@]}" "${J[@]}" -d "{$P,\"template\":\"nope\",\"learner\":$L,\"credentials\":$C123}"
	req "issue stacked no learner" 400 POST /api/v1/pathways/issue "${I[@]}" "${J[@]}" -d "{$P,\"template\":\"cert\",\"credentials\":$C123}"
	field "no learner" '$.learner'
	req "issue stacked" 201 POST /api/v1/pathways/issue "${I[@]}" "${J[@]}" -d "{$P,\"template\":\"cert\",\"learner\":$L,\"credentials\":$C123}"
	jqt "stacked credential references its parts" '(.credential.credentialSubject.hasPart | length) == 3 and (.credential.credentialSubject.hasPart[0].digestSRI | startswith("sha256-"))'
	jq .credential "$t/b" >"$t/stacked.json"; local sid; sid=$(jq -r .id "$t/b")
	req "issue stacked again: idempotent" 200 POST /api/v1/pathways/issue "${I[@]}" "${J[@]}" -d "{$P,\"template\":\"cert\",\"learner\":$L,\"credentials\":$C123}"
	jqt "same credential" ".existed == true and .id == \"$sid\""
	req "stacked credential verifies" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/stacked.json"
	jqt "stacked verified, status checked" '.verified == true and ([.checks[] | select(.check == "status" and .result == "pass")] | length) == 1'
	jq '.credentialSubject.hasPart[0].digestSRI = "sha256-AAAA"' "$t/stacked.json" >"$t/stacked-tampered.json"
	req "stacked tampered part (twin)" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/stacked-tampered.json"
	jqt "tampered hasPart fails the signature" '.verified == false'
	req "revoke stacked" 200 POST "/api/v1/credentials/$(enc "$sid")/revoke" "${I[@]}" "${J[@]}" -d '{"reason":"test"}'
	req "stacked revoked" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/stacked.json"
	jqt "revoked stacked fails" '.verified == false'

	# --- recognition
	req "policy save no token" 401 POST /api/v1/recognition/policies "${J[@]}" --data-binary @"$t/policy.json"
	req "policy save issuer role" 403 POST /api/v1/recognition/policies "${I[@]}" "${J[@]}" --data-binary @"$t/policy.json"
	req "policy save malformed" 400 POST /api/v1/recognition/policies "${A[@]}" "${J[@]}" -d '{"id":'
	req "policy save bad level" 400 POST /api/v1/recognition/policies "${A[@]}" "${J[@]}" -d "$(jq -c '.minLevel = 11' "$t/policy.json")"
	field "policy bad level" '$.minLevel'
	req "policy save wrong type" 415 POST /api/v1/recognition/policies "${A[@]}" -H "Content-Type: text/plain" --data-binary @"$t/policy.json"
	req "policy save oversize" 413 POST /api/v1/recognition/policies "${A[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "policy save" 201 POST /api/v1/recognition/policies "${A[@]}" "${J[@]}" --data-binary @"$t/policy.json"
	req "policy list no token" 401 GET /api/v1/recognition/policies
	req "policy list" 200 GET /api/v1/recognition/policies "${R[@]}"
	jqt "policy listed" '.[0].towards == "MSc Data Science, electives"'
	local PID; PID=$(enc https://uni-b.example/recognition/2025)
	req "policy get" 200 GET "/api/v1/recognition/policies/$PID" "${R[@]}"
	req "policy get unknown" 404 GET "/api/v1/recognition/policies/$(enc https://x.example/none)" "${R[@]}"
	local POL='"policy":"https://uni-b.example/recognition/2025"'
	req "decide no token" 401 POST /api/v1/recognition/decide "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c1.json")}"
	req "decide reader" 403 POST /api/v1/recognition/decide "${R[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c1.json")}"
	req "decide malformed" 400 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d '{"policy":'
	req "decide unknown policy" 400 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{\"policy\":\"https://x.example/none\",\"credential\":$(jq -c . "$t/c1.json")}"
	field "decide unknown policy" '$.policy'
	req "decide no credential" 400 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL}"
	field "decide no credential" '$.credential'
	req "decide oversize" 413 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "decide recognised" 200 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c1.json")}"
	jqt "recognised 5 ECTS with reasons" '.decision.outcome == "recognised" and .decision.ects == 5 and (.decision.reasons | length) > 2 and .id > 0'
	req "decide referred (twin: EQF 5)" 200 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c3.json")}"
	jqt "referred for the level" '.decision.outcome == "referred" and ([.decision.reasons[] | select(.result == "not met")] | length) >= 1'
	req "decide + issue unknown template" 400 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c1.json"),\"issue\":{\"template\":\"nope\"}}"
	req "decide + issue bad issue" 400 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c1.json"),\"issue\":true}"
	field "bad issue" '$.issue.template'
	req "decide + issue" 200 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c 'tojson' "$t/c1.json"),\"issue\":{\"template\":\"rec\"}}"
	jqt "recognition credential issued" '.credential.credential.credentialSubject.recognition.ectsRecognised == 5 and .credential.credential.credentialSubject.recognition.recognitionOutcome == "recognised" and (.credential.credential.credentialSubject.recognition.recognitionReason | length) > 2'
	jq .credential.credential "$t/b" >"$t/reccred.json"
	req "recognition credential verifies" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/reccred.json"
	jqt "recognition credential valid" '.verified == true'
	req "decide referred + issue: no credential" 200 POST /api/v1/recognition/decide "${I[@]}" "${J[@]}" -d "{$POL,\"credential\":$(jq -c . "$t/c3.json"),\"issue\":{\"template\":\"rec\"}}"
	jqt "referred is not issued" '.decision.outcome == "referred" and (has("credential") | not)'
	req "decisions no token" 401 GET /api/v1/recognition/decisions
	req "decisions" 200 GET "/api/v1/recognition/decisions?policy=$PID" "${R[@]}"
	jqt "decisions recorded" 'length == 5 and .[0].outcome == "referred" and (.[0].reasons | length) > 0'
	req "decisions bad limit" 400 GET "/api/v1/recognition/decisions?limit=x" "${R[@]}"
	req "policy delete reader" 403 DELETE "/api/v1/recognition/policies/$PID" "${R[@]}"
	req "policy delete" 200 DELETE "/api/v1/recognition/policies/$PID" "${A[@]}"
	req "policy delete again" 404 DELETE "/api/v1/recognition/policies/$PID" "${A[@]}"

	kill -TERM "$pid"; wait "$pid"; local rc=$?
	[ "$rc" = 0 ] && ok || bad "server exit $rc"
	if grep -q "AddressSanitizer\|runtime error\|LeakSanitizer" "$t/$be.log"; then bad "sanitizer report"; grep -m5 -A10 "Sanitizer\|runtime error" "$t/$be.log"; else ok; fi
}

be=sqlite; suite "$t/trust.db"
if [ -n "${MCRED_TEST_PG:-}" ]; then
	db="mcred_trust_api_$$"; pgdbs+=("$db")
	if psql "$MCRED_TEST_PG" -qc "create database $db" >/dev/null 2>&1; then
		be=postgresql; suite "${MCRED_TEST_PG/\/postgres\?//$db?}"
	else bad "cannot create a PostgreSQL database"; fi
fi
echo "trust-api: $pass passed, $fail failed"
[ "$fail" = 0 ]
