#!/usr/bin/env bash
# API tests of the quality-assurance endpoints of `mcred serve` (issue 7,
# src/server/qa_api.c) over real HTTP: the lifecycle with its forbidden
# transitions, QA roles enforced from the token (never from the request),
# feedback by single-use invitation with the anonymity threshold, CSV
# export, outcome signals with the trust module's recognition decisions,
# the public QA page with external QA from the register, the maturity
# workshop and canvas, notification delivery to a webhook and an SMTP sink
# (HMAC-checked, retried, idempotent after a killed sender), and bad input
# on every new endpoint. SQLite always, PostgreSQL when MCRED_TEST_PG is
# set. Prints "server-qa: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
export MCRED_PASSPHRASE="server qa passphrase" MCRED_NOTIFY_INTERVAL=1
source tests/server/lib.sh
# start_sink KIND NAME ARGS...: python receiver on a free port; sets SINK (port)
start_sink() {
	local kind=$1 name=$2; shift 2
	rm -f "$t/$name.port" "$t/$name.jsonl"; touch "$t/$name.jsonl"
	python3 tests/server/qa_sink.py "$kind" "$t/$name.port" "$t/$name.jsonl" "$@" 2>"$t/$name.err" &
	pids+=("$!"); SINKPID=$!
	for _ in $(seq 1 100); do [ -s "$t/$name.port" ] && break; sleep 0.05; done
	SINK=$(cat "$t/$name.port")
}
# wait_for FILE JQ-SLURP-FILTER: poll (10 s) until the filter holds over the JSON lines
wait_for() {
	for _ in $(seq 1 100); do jq -se "$2" "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}

# ---- fixtures
$MCRED key new --out "$t/k.json" --fast-kdf >/dev/null 2>&1
jq '.id = "did:web:uni.example" | .url = "https://uni.example"' examples/issuer.json >"$t/issuer.json"
jq '.id = "https://uni.example/ach/ds101"' examples/achievement.json >"$t/ach.json"
jq '.description = "A refreshed description of the same course."' "$t/ach.json" >"$t/minor.json"
jq '.ects = 6 | .workloadHours = 150' "$t/minor.json" >"$t/major.json"
jq '.workloadHours = 90' "$t/ach.json" >"$t/badhours.json"
cat >"$t/register.json" <<'JSON'
{"providers":[{"id":"did:web:uni.example","name":"University of Graz","country":"AT","kind":"hei"}],
 "agencies":[{"id":"https://aq.example","name":"AQ Austria","country":"AT","eqarRegistered":true}],
 "qaResults":[{"id":"https://aq.example/r/1","provider":"did:web:uni.example","agency":"https://aq.example",
   "kind":"institutional-review","decision":"positive","validFrom":"2020-01-01","report":"https://aq.example/r/1.pdf"}]}
JSON
cat >"$t/policy.json" <<'JSON'
{"id":"https://uni-b.example/recognition/2025","institution":"did:web:uni-b.example","towards":"MSc Data Science",
 "providers":"registered","qaKinds":["institutional-review"],"minLevel":1,"minEcts":1,"maxEcts":30}
JSON
head -c 5000000 /dev/zero | tr '\0' ' ' >"$t/huge.txt"; printf '{}' >>"$t/huge.txt"    # over the 4 MiB staff limit
head -c 2000000 /dev/zero | tr '\0' ' ' >"$t/big.txt"; printf '{}' >>"$t/big.txt"      # over the 1 MiB public limit
answers() { jq -nc --argjson v "$1" '{answers:{"outcomes-clear":$v,"outcomes-achieved":4,"workload-accurate":3,"assessment-fair":5,"useful-for-work":4,"recommend":true}}'; }

suite() {
	local S=$1
	$MCRED init --store "$S" >/dev/null 2>&1
	$MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null 2>&1 || bad "issuer add"
	$MCRED template add --store "$S" --achievement "$t/ach.json" --id ds101 >/dev/null 2>&1 || bad "template add"
	$MCRED template add --store "$S" --achievement "$t/badhours.json" --id hours >/dev/null 2>&1 || bad "template add hours"
	$MCRED register import --store "$S" "$t/register.json" >/dev/null 2>&1 || bad "register import"
	local TOK="$t/$be.tokens"
	prop=$($MCRED token add --tokens "$TOK" --name pia --role reader --qa-role proposer 2>/dev/null)
	rev=$($MCRED token add --tokens "$TOK" --name rolf --role reader --qa-role reviewer 2>/dev/null)
	off=$($MCRED token add --tokens "$TOK" --name olga --role reader --qa-role qa-officer 2>/dev/null)
	iss=$($MCRED token add --tokens "$TOK" --name sis --role issuer 2>/dev/null)
	all=$($MCRED token add --tokens "$TOK" --name alex --role reader --qa-role proposer,reviewer,qa-officer 2>/dev/null)
	$MCRED token add --tokens "$TOK" --name x --role reader --qa-role learner >/dev/null 2>&1; [ $? = 2 ] && ok || bad "token with a learner QA role refused"
	$MCRED token add --tokens "$TOK" --name y --role reader --qa-role boss >/dev/null 2>&1; [ $? = 2 ] && ok || bad "token with an unknown QA role refused"
	$MCRED token list --tokens "$TOK" | grep -q "^olga	reader	[0-9]*	qa=qa-officer$" && ok || bad "token list shows the QA role"
	grep -q "^pia reader [0-9a-f]* [0-9]* qa=proposer$" "$TOK" && ok || bad "token file fifth field"
	grep -q "^sis issuer [0-9a-f]* [0-9]*$" "$TOK" && ok || bad "token without QA role keeps four fields"

	start_sink webhook hook "a webhook secret of 32 characters" --fail 2; local hook=$SINK hookpid=$SINKPID
	start_sink smtp mail; local mail=$SINK mailpid=$SINKPID
	MCRED_SMTP_URL="smtp://127.0.0.1:$mail" MCRED_MAIL_FROM="qa@uni.example" start_server "$be" --store "$S" --tokens "$TOK" --rate-limit 0 || return
	local pid=$PID
	P=(-H "Authorization: Bearer $prop"); V=(-H "Authorization: Bearer $rev"); O=(-H "Authorization: Bearer $off"); I=(-H "Authorization: Bearer $iss")
	J=(-H "Content-Type: application/json")
	local sp=/api/v1/qa/specs/ds101

	# --- pages
	for pg in /qa /qa/feedback /qa/public /qa/workshop; do
		req "page $pg" 200 GET "$pg"
		grep -qi "content-type: text/html" "$t/h" && ok || bad "page $pg html"
	done

	# --- roles come from the token
	req "specs without token" 401 GET /api/v1/qa/specs
	req "specs without QA role" 403 GET /api/v1/qa/specs "${I[@]}"
	problem "no QA role" forbidden qaRole
	req "specs" 200 GET /api/v1/qa/specs "${O[@]}"
	jqt "specs list" '[.[] | select(.id == "ds101")][0].versions[0].state == "draft"'
	req "submit by an officer (needs proposer)" 403 POST $sp/submit "${O[@]}" "${J[@]}" -d '{"version":1}'
	req "submit refused by formal checks" 422 POST /api/v1/qa/specs/hours/submit "${P[@]}" "${J[@]}" -d '{"version":1}'
	jqt "formal checks listed" '[.checks[] | select(.result == "fail")] | length > 0'
	req "submit unknown spec" 404 POST /api/v1/qa/specs/nope/submit "${P[@]}" "${J[@]}" -d '{"version":1}'
	req "submit no version" 400 POST $sp/submit "${P[@]}" "${J[@]}" -d '{}'
	problem "submit no version" bad-field '$.version'
	req "submit" 200 POST $sp/submit "${P[@]}" "${J[@]}" -d '{"version":1,"provider":"did:web:uni.example"}'
	jqt "submitted with checks" '.state == "submitted" and (.formalChecks | length) > 0'
	req "submit twice" 409 POST $sp/submit "${P[@]}" "${J[@]}" -d '{"version":1}'
	problem "submit twice" conflict
	req "publish unapproved" 409 POST $sp/publish "${O[@]}" "${J[@]}" -d '{"version":1}'
	req "decision bad value" 400 POST $sp/decisions "${V[@]}" "${J[@]}" -d '{"version":1,"step":"faculty-board","decision":"maybe"}'
	problem "decision bad value" bad-field '$.decision'
	req "decision by a proposer" 403 POST $sp/decisions "${P[@]}" "${J[@]}" -d '{"version":1,"step":"faculty-board","decision":"approve"}'
	req "decision out of order" 409 POST $sp/decisions "${O[@]}" "${J[@]}" -d '{"version":1,"step":"qa-office","decision":"approve"}'
	req "faculty board approves" 200 POST $sp/decisions "${V[@]}" "${J[@]}" -d '{"version":1,"step":"faculty-board","decision":"approve","comment":"fits the programme"}'
	req "LLL committee approves" 200 POST $sp/decisions "${V[@]}" "${J[@]}" -d '{"version":1,"step":"lll-committee","decision":"approve"}'
	req "QA office step by a reviewer" 403 POST $sp/decisions "${V[@]}" "${J[@]}" -d '{"version":1,"step":"qa-office","decision":"approve"}'
	req "QA office approves" 200 POST $sp/decisions "${O[@]}" "${J[@]}" -d '{"version":1,"step":"qa-office","decision":"approve"}'
	jqt "approved" '.state == "approved"'
	req "publish by a proposer" 403 POST $sp/publish "${P[@]}" "${J[@]}" -d '{"version":1}'
	req "publish" 200 POST $sp/publish "${O[@]}" "${J[@]}" -d '{"version":1}'
	jqt "published" '.state == "published" and .reviewDue != null'
	req "spec record" 200 GET "$sp?version=1" "${P[@]}"
	jqt "history names actors and roles" '[.history[] | select(.actor == "token:rolf" and .role == "reviewer")] | length == 2'
	jqt "history has the officer" '[.history[] | select(.actor == "token:olga" and .role == "qa-officer")] | length >= 2'
	req "spec unknown" 404 GET /api/v1/qa/specs/nope "${P[@]}"
	req "spec bad version" 400 GET "$sp?version=x" "${P[@]}"

	# --- credentials to give feedback on
	local cids=()
	for i in 1 2 3 4 5 6; do
		curl -s -o "$t/b" "${I[@]}" "${J[@]}" -d "{\"template\":\"ds101\",\"learner\":{\"id\":\"did:example:l$i\",\"name\":\"L $i\",\"email\":\"l$i@uni.example\"},\"externalId\":\"q$i\"}" "$BASE/api/v1/credentials"
		cids+=("$(jq -r .id "$t/b")")
	done
	[ "${#cids[@]}" = 6 ] && [[ ${cids[0]} == urn:uuid:* ]] && ok || bad "issue 6 credentials: $(head -c 200 "$t/b")"
	jq '.credential' "$t/b" >/dev/null; curl -s "${I[@]}" "$BASE/api/v1/credentials/${cids[5]}" | jq '.credential' >"$t/c6.json"

	# --- feedback by invitation
	req "invite by a reviewer" 403 POST $sp/invitations "${V[@]}" "${J[@]}" -d '{"audience":"learner","pending":true}'
	req "invite bad audience" 400 POST $sp/invitations "${O[@]}" "${J[@]}" -d '{"audience":"boss"}'
	req "invite learner without credential" 404 POST $sp/invitations "${O[@]}" "${J[@]}" -d '{"audience":"learner"}'
	req "invite unknown credential" 404 POST $sp/invitations "${O[@]}" "${J[@]}" -d '{"audience":"learner","credential":"urn:uuid:00000000-0000-4000-8000-000000000000"}'
	req "invite all pending learners" 201 POST $sp/invitations "${O[@]}" "${J[@]}" -d '{"audience":"learner","pending":true}'
	jqt "six invitations with links" '(.invitations | length) == 6 and (.invitations[0].link | test("/qa/feedback#mqi_"))'
	jq -r '.invitations[].token' "$t/b" >"$t/tokens"
	grep -q "$(head -1 "$t/tokens" | cut -c5-)" "$S" 2>/dev/null && bad "invitation token stored in clear" || ok
	local k=0
	req "invitation form" 200 GET "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")"
	jqt "form has questionnaire" '.audience == "learner" and .template == "ds101" and (.questionnaire.questions | length) > 3'
	req "invitation unknown" 404 GET /api/v1/qa/invitations/mqi_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
	req "invitation garbage" 404 GET /api/v1/qa/invitations/nope
	req "answer bad type" 400 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" "${J[@]}" -d '{"answers":{"outcomes-clear":9}}'
	req "answer unknown question" 400 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" "${J[@]}" -d '{"answers":{"nope":1}}'
	req "answer extra member" 400 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" "${J[@]}" -d '{"answers":{},"who":"me"}'
	req "answer malformed JSON" 400 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" "${J[@]}" -d '{"answers":'
	req "answer wrong content type" 415 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" -H "Content-Type: text/plain" -d '{}'
	req "answer oversize" 413 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" "${J[@]}" --data-binary @"$t/big.txt"
	for n in 1 2 3 4; do
		req "answer $n" 201 POST "/api/v1/qa/invitations/$(sed -n ${n}p "$t/tokens")" "${J[@]}" -d "$(answers $n)"
	done
	req "answer twice" 409 POST "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")" "${J[@]}" -d "$(answers 5)"
	problem "answer twice" conflict
	req "spent invitation form" 409 GET "/api/v1/qa/invitations/$(sed -n 1p "$t/tokens")"
	req "aggregate below the group size" 200 GET $sp/feedback "${P[@]}"
	jqt "4 answers suppressed" '[.. | objects | select(has("suppressed"))][0].suppressed == true and ([.. | objects | select(has("responses"))] | length) == 0'
	req "answer 5" 201 POST "/api/v1/qa/invitations/$(sed -n 5p "$t/tokens")" "${J[@]}" -d "$(answers 5)"
	req "aggregate at the group size" 200 GET $sp/feedback "${P[@]}"
	jqt "5 answers shown" '[.. | objects | select(has("responses"))][0].responses == 5'
	# feedback on the catalogue: the offer made from ds101 shows these
	# aggregates once (and only once) the provider publishes feedback
	local det='{"id":"https://uni.example/offers/ds101","provider":"did:web:uni.example","country":"AT","language":"en","mode":"online"}'
	local offer=/api/v1/catalogue/offers/https%3A%2F%2Funi.example%2Foffers%2Fds101
	req "offer of ds101" 201 POST /api/v1/catalogue/offers "${I[@]}" "${J[@]}" -d '{"template":"ds101","details":'"$det"'}'
	req "offer before the opt-in" 200 GET "$offer"
	jqt "no feedback before the opt-in" '.feedback == null and .offer.template.id == "ds101"'
	req "provider config" 200 GET "/api/v1/qa/config?provider=did:web:uni.example" "${O[@]}"
	jq -c '{provider: "did:web:uni.example", config: (. + {publishFeedback: true})}' "$t/b" >"$t/optin.json"
	req "opt in to publishing feedback" 200 PUT /api/v1/qa/config "${O[@]}" "${J[@]}" -d @"$t/optin.json"
	req "offer after the opt-in" 200 GET "$offer"
	jqt "feedback on the offer" '.feedback.groups[0].responses == 5 and (tostring | test("did:example|urn:uuid") | not)'
	jq -c '.config.publishFeedback = false' "$t/optin.json" >"$t/optout.json"
	req "opt out again" 200 PUT /api/v1/qa/config "${O[@]}" "${J[@]}" -d @"$t/optout.json"
	req "offer after the opt-out" 200 GET "$offer"
	jqt "no feedback after the opt-out" '.feedback == null'
	req "invitation list" 200 GET $sp/invitations "${O[@]}"
	jqt "list shows used, no tokens" '([.[] | select(.used != null)] | length) == 5 and (tostring | test("mqi_") | not)'
	req "employer invitation" 201 POST $sp/invitations "${O[@]}" "${J[@]}" -d '{"audience":"employer","respondent":"ACME GmbH","days":7}'
	local etok; etok=$(jq -r '.invitations[0].token' "$t/b")
	req "employer answers" 201 POST "/api/v1/qa/invitations/$etok" "${J[@]}" -d '{"answers":{"competences-precise":4,"assessment-real-work":4,"content-authentic":3,"holders-capable":5,"would-hire":true}}'
	req "CSV export by a proposer" 403 GET "$sp/feedback.csv" "${P[@]}"
	req "CSV export" 200 GET "$sp/feedback.csv?questionnaire=learner-default" "${O[@]}"
	grep -qi "content-type: text/csv" "$t/h" && ok || bad "CSV content type"
	[ "$(wc -l <"$t/b")" = 6 ] && ok || bad "CSV has a header and 5 rows: $(cat "$t/b")"
	grep -q "did:example\|urn:uuid:.*credential" "$t/b" && bad "CSV names learners" || ok

	# --- outcome signals
	req "employment follow-up" 201 POST $sp/outcomes/employment "${O[@]}" "${J[@]}" -d '{"monthsAfter":6,"status":"employed","inField":true}'
	req "employment bad status" 400 POST $sp/outcomes/employment "${O[@]}" "${J[@]}" -d '{"monthsAfter":6,"status":"rich"}'
	req "employment months out of range" 400 POST $sp/outcomes/employment "${O[@]}" "${J[@]}" -d '{"monthsAfter":500,"status":"employed"}'
	problem "months" bad-field '$.monthsAfter'
	req "recognition reported" 201 POST $sp/outcomes/recognition "${O[@]}" "${J[@]}" -d '{"institution":"TU Wien","country":"AT","decision":"recognised","purpose":"credit transfer"}'
	req "recognition bad date" 400 POST $sp/outcomes/recognition "${O[@]}" "${J[@]}" -d '{"institution":"TU Wien","decision":"recognised","decided":"yesterday"}'
	$MCRED recognise --store "$S" --policy "$t/policy.json" "$t/c6.json" --record --actor registrar >/dev/null 2>&1
	req "outcomes" 200 GET $sp/outcomes "${P[@]}"
	jqt "outcomes with the trust module's decisions" '.recognition.total == 1 and .recognition.platformTotal == 1 and (.recognition.platformDecisions[0].outcome | test("recognised|referred"))'

	# --- review cycle
	req "review start by reviewer" 403 POST $sp/review "${V[@]}" "${J[@]}" -d '{"version":1,"action":"start"}'
	req "review bad action" 400 POST $sp/review "${O[@]}" "${J[@]}" -d '{"version":1,"action":"dance"}'
	req "review schedule without due" 400 POST $sp/review "${O[@]}" "${J[@]}" -d '{"version":1,"action":"schedule"}'
	req "review start" 200 POST $sp/review "${O[@]}" "${J[@]}" -d '{"version":1,"action":"start","comment":"yearly"}'
	jqt "under review" '.state == "under-review"'
	req "review close" 200 POST $sp/review "${O[@]}" "${J[@]}" -d '{"version":1,"action":"close","comment":"fine"}'
	req "review schedule early" 200 POST $sp/review "${O[@]}" "${J[@]}" -d '{"version":1,"action":"schedule","due":"2020-01-01T00:00:00Z"}'
	req "overdue" 200 GET /api/v1/qa/overdue "${P[@]}"
	jqt "overdue lists ds101" '[.[] | select(.template == "ds101")] | length == 1'

	# --- modification
	req "modify without achievement" 400 POST $sp/modify "${P[@]}" "${J[@]}" -d '{"version":1}'
	req "modify by a reviewer" 403 POST $sp/modify "${V[@]}" "${J[@]}" -d "{\"version\":1,\"achievement\":$(cat "$t/minor.json")}"
	req "minor modification" 200 POST $sp/modify "${P[@]}" "${J[@]}" -d "{\"version\":1,\"achievement\":$(cat "$t/minor.json")}"
	jqt "minor: modified, no re-approval" '.newVersion == 2 and .reapproval == false and .state == "modified"'
	req "publish version 2" 200 POST $sp/publish "${O[@]}" "${J[@]}" -d '{"version":2}'
	req "substantial modification" 200 POST $sp/modify "${O[@]}" "${J[@]}" -d "{\"version\":2,\"achievement\":$(cat "$t/major.json")}"
	jqt "substantial: re-approval" '.newVersion == 3 and .reapproval == true and (.substantial | index("ects"))'
	req "publish without re-approval" 409 POST $sp/publish "${O[@]}" "${J[@]}" -d '{"version":3}'

	# --- subscribers and retirement with delivery
	req "subscriber bad target" 400 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d '{"id":"lms","kind":"webhook","target":"ftp://x","secret":"a webhook secret of 32 characters"}'
	req "subscriber short secret" 400 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d "{\"id\":\"lms\",\"kind\":\"webhook\",\"target\":\"http://127.0.0.1:$hook/hook\",\"secret\":\"short\"}"
	problem "short secret" bad-field '$.secret'
	req "subscriber by a proposer" 403 POST /api/v1/qa/subscribers "${P[@]}" "${J[@]}" -d '{}'
	req "subscriber webhook" 201 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d "{\"id\":\"lms\",\"kind\":\"webhook\",\"target\":\"http://127.0.0.1:$hook/hook\",\"secret\":\"a webhook secret of 32 characters\"}"
	req "subscriber twice" 409 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d "{\"id\":\"lms\",\"kind\":\"webhook\",\"target\":\"http://127.0.0.1:$hook/hook\",\"secret\":\"a webhook secret of 32 characters\"}"
	req "subscriber email" 201 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d '{"id":"registrar","kind":"email","target":"mailto:registrar@uni.example","secret":"an email secret of 32 characters!"}'
	req "subscriber holders as a webhook" 400 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d '{"id":"people","kind":"webhook","target":"holders","secret":"an email secret of 32 characters!"}'
	req "subscriber holders" 201 POST /api/v1/qa/subscribers "${O[@]}" "${J[@]}" -d '{"id":"people","kind":"email","target":"holders","secret":"an email secret of 32 characters!"}'
	req "subscriber list" 200 GET /api/v1/qa/subscribers "${O[@]}"
	jqt "subscribers without secrets" 'length == 3 and (tostring | test("secret of") | not)'
	req "subscriber remove unknown" 404 DELETE /api/v1/qa/subscribers/nope "${O[@]}"
	req "retire by a proposer" 403 POST $sp/retire "${P[@]}" "${J[@]}" -d '{"version":2}'
	req "retire" 200 POST $sp/retire "${O[@]}" "${J[@]}" -d '{"version":2,"reason":"replaced by a new programme"}'
	jqt "retired, 6 notified" '.state == "retired" and .notified == 6'
	req "modify retired" 409 POST $sp/modify "${O[@]}" "${J[@]}" -d "{\"version\":2,\"achievement\":$(cat "$t/minor.json")}"
	problem "modify retired" conflict
	req "publish retired" 409 POST $sp/publish "${O[@]}" "${J[@]}" -d '{"version":2}'
	# the receiver refuses the first two posts: they are retried (back-off
	# from 30 s, so the pass is forced after moving nothing: the CLI's --max
	# is not needed; the server's thread retries when due); wait for the
	# first pass, then check the outbox names the refusals
	wait_for "$t/hook.jsonl" 'length >= 6' && ok || bad "webhook got the first pass: $(wc -l <"$t/hook.jsonl")"
	wait_for "$t/mail.jsonl" 'length == 12' && ok || bad "12 emails delivered: $(wc -l <"$t/mail.jsonl")"
	jq -se 'all(.[]; .valid) and ([.[].key] | unique | length) == 6 and all(.[]; .body.type == "mcred.specification.retired" and .body.template == "ds101")' "$t/hook.jsonl" >/dev/null && ok || bad "webhook posts signed, one id per notification"
	jq -se '[.[] | select(.to == ["registrar@uni.example"])] | length == 6 and all(.[]; .data | test("X-Mcred-Signature: t="))' "$t/mail.jsonl" >/dev/null && ok || bad "emails to the registrar addressed and signed"
	# the people who hold it: a letter each, at their own address, in words
	jq -se '[.[] | select(.to[0] | test("^l[1-6]@uni.example$"))] | length == 6 and ([.[].to[0]] | unique | length) == 6 and all(.[]; (.data | test("text/plain")) and (.data | test("stays valid")) and (.data | test("mcred.specification.retired") | not))' "$t/mail.jsonl" >/dev/null && ok || bad "one letter to each holder"
	req "outbox" 200 GET "/api/v1/qa/outbox?template=ds101" "${O[@]}"
	jqt "two webhook entries wait for a retry" '([.[] | select(.subscriber == "lms" and .state == "pending" and .attempts == 1 and (.lastError | test("500")))] | length) == 2 and ([.[] | select(.state == "delivered")] | length) == 16'
	req "notifications" 200 GET $sp/notifications "${O[@]}"
	jqt "6 notification records" 'length == 6'

	# --- settings and questionnaires
	req "config" 200 GET /api/v1/qa/config "${P[@]}"
	jqt "default chain" '(.approvalChain | length) == 3'
	req "config by a proposer" 403 PUT /api/v1/qa/config "${P[@]}" "${J[@]}" -d '{"config":{}}'
	req "config invalid" 400 PUT /api/v1/qa/config "${O[@]}" "${J[@]}" -d '{"provider":"did:web:uni.example","config":{"policy":"p","approvalChain":[]}}'
	jqt "config invalid names the field" '.field | startswith("$.config")'
	req "config set" 200 PUT /api/v1/qa/config "${O[@]}" "${J[@]}" -d '{"provider":"did:web:uni.example","config":{"policy":"Every micro-credential is reviewed yearly.","approvalChain":[{"id":"dean","name":"Dean","role":"reviewer"},{"id":"agile-quality-committee","name":"Agile quality committee","role":"qa-officer"}],"substantialChanges":["ects"],"reviewIntervalDays":30,"minGroupSize":3,"publishFeedback":true}}'
	jqt "config stored" '.publishFeedback == true and (.approvalChain | length) == 2'
	req "questionnaires" 200 GET /api/v1/qa/questionnaires "${P[@]}"
	jqt "three defaults" '[.[].id] | contains(["learner-default","employer-default","peer-default"])'
	req "questionnaire" 200 GET /api/v1/qa/questionnaires/learner-default "${P[@]}"
	jq '.questionnaire | .title = "Edited learner questionnaire"' "$t/b" >"$t/q.json"
	req "questionnaire edit by a reviewer" 403 PUT /api/v1/qa/questionnaires/learner-default "${V[@]}" "${J[@]}" -d @"$t/q.json"
	req "questionnaire edit id mismatch" 400 PUT /api/v1/qa/questionnaires/other "${O[@]}" "${J[@]}" -d @"$t/q.json"
	req "questionnaire edit" 200 PUT /api/v1/qa/questionnaires/learner-default "${O[@]}" "${J[@]}" -d @"$t/q.json"
	jqt "new version" '.version == 2'
	req "questionnaire invalid" 400 PUT /api/v1/qa/questionnaires/learner-default "${O[@]}" "${J[@]}" -d '{"id":"learner-default","audience":"robots","title":"x","questions":[]}'
	req "questionnaire unknown" 404 GET /api/v1/qa/questionnaires/nope "${O[@]}"

	# --- public QA page (no token)
	req "public page" 200 GET /api/v1/qa/public/did:web:uni.example
	jqt "public page: policy, external QA from the register, statuses" '.policy == "Every micro-credential is reviewed yearly." and .externalQa[0].agency == "AQ Austria" and .externalQa[0].eqarRegistered == true and ([.specifications[] | select(.template == "ds101" and .state == "retired")] | length) == 1'
	req "public page unknown provider" 200 GET /api/v1/qa/public/did:web:nobody.example
	jqt "unknown provider has nothing" '(.specifications | length) == 0 and (.externalQa | length) == 0'

	# --- maturity workshop
	req "workshop by a proposer" 403 POST /api/v1/qa/maturity "${P[@]}" "${J[@]}" -d '{"title":"x"}'
	req "workshop without title" 400 POST /api/v1/qa/maturity "${O[@]}" "${J[@]}" -d '{}'
	req "workshop" 201 POST /api/v1/qa/maturity "${O[@]}" "${J[@]}" -d '{"title":"Spring workshop"}'
	local ws; ws=$(jq -r .id "$t/b")
	req "sessions" 200 GET /api/v1/qa/maturity "${P[@]}"
	jqt "session listed" "[.[] | select(.id == \"$ws\" and .stage == \"first\")] | length == 1"
	req "model" 200 GET /api/v1/qa/maturity/model "${P[@]}"
	local q1; q1=$(jq -r '[.. | objects | select(has("id") and has("text"))][0].id' "$t/b")
	req "score bad colour" 400 POST "/api/v1/qa/maturity/$ws/scores" "${P[@]}" "${J[@]}" -d "{\"question\":\"$q1\",\"colour\":\"blue\"}"
	req "score unknown question" 400 POST "/api/v1/qa/maturity/$ws/scores" "${P[@]}" "${J[@]}" -d '{"question":"ZZ99","colour":"red"}'
	req "score unknown session" 404 POST "/api/v1/qa/maturity/urn:uuid:00000000-0000-4000-8000-000000000000/scores" "${P[@]}" "${J[@]}" -d "{\"question\":\"$q1\",\"colour\":\"red\"}"
	req "pia scores green" 200 POST "/api/v1/qa/maturity/$ws/scores" "${P[@]}" "${J[@]}" -d "{\"question\":\"$q1\",\"colour\":\"green\",\"note\":\"we do this\"}"
	req "rolf scores red" 200 POST "/api/v1/qa/maturity/$ws/scores" "${V[@]}" "${J[@]}" -d "{\"question\":\"$q1\",\"colour\":\"red\"}"
	req "pia's view in the first stage" 200 GET "/api/v1/qa/maturity/$ws" "${P[@]}"
	jqt "pia sees herself, not rolf" '.viewer == "pia" and (tostring | test("rolf") | not)'
	req "stage by a reviewer" 403 POST "/api/v1/qa/maturity/$ws/stage" "${V[@]}" "${J[@]}" -d '{"stage":"discussion"}'
	req "stage bad" 400 POST "/api/v1/qa/maturity/$ws/stage" "${O[@]}" "${J[@]}" -d '{"stage":"party"}'
	req "stage discussion" 200 POST "/api/v1/qa/maturity/$ws/stage" "${O[@]}" "${J[@]}" -d '{"stage":"discussion"}'
	req "pia's view in discussion" 200 GET "/api/v1/qa/maturity/$ws" "${P[@]}"
	jqt "now rolf is visible" 'tostring | test("rolf")'
	req "action" 201 POST "/api/v1/qa/maturity/$ws/actions" "${P[@]}" "${J[@]}" -d "{\"question\":\"$q1\",\"text\":\"Publish the QA page\",\"owner\":\"olga\"}"
	req "action without text" 400 POST "/api/v1/qa/maturity/$ws/actions" "${P[@]}" "${J[@]}" -d '{}'
	req "canvas" 200 GET "/api/v1/qa/maturity/$ws/canvas.svg" "${O[@]}"
	grep -qi "content-type: image/svg+xml" "$t/h" && grep -q "<svg" "$t/b" && ok || bad "canvas is SVG"
	req "printable canvas" 200 GET "/api/v1/qa/maturity/$ws/canvas.html" "${O[@]}"
	grep -q "@media print\|@page" "$t/b" && ok || bad "printable page has print CSS"
	req "canvas unknown session" 404 GET "/api/v1/qa/maturity/urn:uuid:00000000-0000-4000-8000-000000000000/canvas.svg" "${O[@]}"
	req "proposals" 200 GET /api/v1/qa/maturity/proposals "${P[@]}"
	jqt "proposals carry evidence" 'length > 0 and all(.[]; (.evidence | length) > 0)'
	req "workshop 2" 201 POST /api/v1/qa/maturity "${O[@]}" "${J[@]}" -d '{"title":"Autumn workshop"}'
	local ws2; ws2=$(jq -r .id "$t/b")
	req "compare" 200 GET "/api/v1/qa/maturity/compare?older=$ws&newer=$ws2" "${P[@]}"
	req "compare without newer" 400 GET "/api/v1/qa/maturity/compare?older=$ws" "${P[@]}"

	# --- generic bad input on every new JSON endpoint
	local posts=("$sp/submit" "$sp/decisions" "$sp/publish" "$sp/review" "$sp/modify" "$sp/retire" "$sp/invitations"
		"$sp/outcomes/employment" "$sp/outcomes/recognition" /api/v1/qa/subscribers /api/v1/qa/maturity
		"/api/v1/qa/maturity/$ws/scores" "/api/v1/qa/maturity/$ws/stage" "/api/v1/qa/maturity/$ws/actions")
	for p in "${posts[@]}" PUT:/api/v1/qa/config PUT:/api/v1/qa/questionnaires/learner-default; do
		local m=POST; [[ $p == PUT:* ]] && { m=PUT; p=${p#PUT:}; }
		req "$m $p no token" 401 "$m" "$p" "${J[@]}" -d '{}'
		req "$m $p no QA role" 403 "$m" "$p" "${I[@]}" "${J[@]}" -d '{}'
		req "$m $p malformed" 400 "$m" "$p" -H "Authorization: Bearer $all" "${J[@]}" -d '{"a":'
		req "$m $p duplicate key" 400 "$m" "$p" -H "Authorization: Bearer $all" "${J[@]}" -d '{"a":1,"a":2}'
		req "$m $p wrong type" 415 "$m" "$p" -H "Authorization: Bearer $all" -H "Content-Type: text/plain" -d '{}'
		req "$m $p oversize" 413 "$m" "$p" -H "Authorization: Bearer $all" "${J[@]}" --data-binary @"$t/huge.txt"
	done
	for p in /api/v1/qa/specs "$sp" /api/v1/qa/overdue /api/v1/qa/config /api/v1/qa/questionnaires \
		/api/v1/qa/questionnaires/learner-default "$sp/invitations" "$sp/feedback" "$sp/feedback.csv" "$sp/outcomes" \
		"$sp/notifications" /api/v1/qa/subscribers /api/v1/qa/outbox /api/v1/qa/maturity /api/v1/qa/maturity/model \
		/api/v1/qa/maturity/proposals "/api/v1/qa/maturity/$ws" "/api/v1/qa/maturity/$ws/canvas.svg"; do
		req "GET $p no token" 401 GET "$p"
		req "GET $p no QA role" 403 GET "$p" "${I[@]}"
	done
	for p in /api/v1/qa/specs/nope "/api/v1/qa/specs/nope/feedback" "/api/v1/qa/specs/nope/outcomes" \
		"/api/v1/qa/specs/nope/invitations" "/api/v1/qa/specs/nope/notifications" \
		/api/v1/qa/maturity/urn:uuid:00000000-0000-4000-8000-000000000000; do
		req "GET $p unknown" 404 GET "$p" "${O[@]}"
	done
	req "outbox send" 200 POST /api/v1/qa/outbox/send "${O[@]}"
	jqt "nothing due yet" '.delivered == 0'
	req "outbox send without role" 403 POST /api/v1/qa/outbox/send "${P[@]}"

	stop_server "$pid" "$be"
	kill "$hookpid" "$mailpid" 2>/dev/null

	# --- the CLI sender: retries the refused posts once due, and a sender
	# killed mid-run loses nothing and repeats nothing recorded
	start_sink webhook hook2 "a webhook secret of 32 characters"; hook=$SINK
	$MCRED qa notify send --store "$S" --lease 1 >"$t/send.out" 2>&1
	grep -q "0 delivered" "$t/send.out" && ok || bad "not due yet: $(cat "$t/send.out")"
	$MCRED qa notify outbox --store "$S" --template ds101 | jq -e '[.[] | select(.state == "pending")] | length == 2' >/dev/null && ok || bad "2 pending"
	kill "$SINKPID" 2>/dev/null
	# a slow receiver, a sender killed in the middle
	$MCRED qa notify subscriber --store "$S" slow --kind webhook --target "http://127.0.0.1:1/x" --secret-file /dev/null >/dev/null 2>&1; [ $? = 3 ] && ok || bad "empty secret refused"
	start_sink webhook slow "a webhook secret of 32 characters" --delay 0.7
	echo "a webhook secret of 32 characters" >"$t/secret"
	$MCRED qa notify subscriber --store "$S" slow --kind webhook --target "http://127.0.0.1:$SINK/x" --secret-file "$t/secret" >/dev/null 2>&1 || bad "CLI subscriber add"
	$MCRED qa notify subscriber --store "$S" lms --remove >/dev/null 2>&1 || bad "CLI subscriber remove"
	$MCRED qa notify subscriber --store "$S" registrar --remove >/dev/null 2>&1
	$MCRED qa notify subscriber --store "$S" people --remove >/dev/null 2>&1 || bad "CLI holders subscriber remove"
	# a second template retired after the slow subscriber came: its 5 notifications go there
	$MCRED template add --store "$S" --achievement "$t/ach.json" --id ds102 --publish >/dev/null 2>&1
	{ echo "learner_id,given_name,family_name,email,external_id,grade"
	  for i in 1 2 3 4 5; do echo "did:example:k$i,K$i,Berg,k$i@uni.example,k-$i,1"; done; } >"$t/k.csv"
	$MCRED bulk --store "$S" "$t/k.csv" --template ds102 >/dev/null 2>&1 || bad "bulk ds102"
	$MCRED qa retire --store "$S" ds102 --version 1 >"$t/retire.out" 2>&1 || bad "retire ds102: $(cat "$t/retire.out")"
	$MCRED qa notify send --store "$S" --lease 1 >/dev/null 2>&1 &
	local sender=$!
	wait_for "$t/slow.jsonl" 'length >= 2' || true
	kill -9 "$sender" 2>/dev/null; wait "$sender" 2>/dev/null
	local before; before=$(wc -l <"$t/slow.jsonl")
	[ "$before" -ge 2 ] && [ "$before" -lt 5 ] && ok || bad "sender killed mid-run ($before of 5 received)"
	sleep 1.2
	$MCRED qa notify send --store "$S" --lease 1 >"$t/send.out" 2>&1 || bad "rerun: $(cat "$t/send.out")"
	jq -se '([.[].key] | unique | length) == 5 and all(.[]; .valid)' "$t/slow.jsonl" >/dev/null && ok || bad "every notification arrived after the rerun: $(jq -c .key "$t/slow.jsonl")"
	jq -se 'length <= 6' "$t/slow.jsonl" >/dev/null && ok || bad "at most the one in flight was repeated: $(wc -l <"$t/slow.jsonl")"
	$MCRED qa notify send --store "$S" --lease 1 >"$t/send.out" 2>&1
	grep -q "0 queued, 0 delivered" "$t/send.out" && ok || bad "a third run sends nothing: $(cat "$t/send.out")"
	$MCRED qa notify outbox --store "$S" --template ds102 | jq -e 'length == 5 and all(.[]; .state == "delivered")' >/dev/null && ok || bad "ds102 outbox delivered"
	$MCRED qa notify bogus --store "$S" >/dev/null 2>&1; [ $? = 2 ] && ok || bad "notify usage"
}

be=sqlite; suite "$t/qa.db"
if [ -n "${MCRED_TEST_PG:-}" ]; then
	be=postgresql; db="mcred_qa_api_$$"; pgdbs+=("$db")
	psql "$MCRED_TEST_PG" -qc "create database $db" >/dev/null 2>&1 || bad "create pg database"
	suite "${MCRED_TEST_PG/\/postgres\?//$db?}"
elif [ "${CI:-}" = true ]; then
	bad "MCRED_TEST_PG is required in CI"
else
	echo "server-qa: PostgreSQL skipped (set MCRED_TEST_PG)"
fi

echo "server-qa: $pass passed, $fail failed"
[ "$fail" = 0 ]
