#!/usr/bin/env bash
# CLI quality-assurance tests: mcred qa (lifecycle), feedback, outcome and
# maturity against SQLite (a temp file) and PostgreSQL (MCRED_TEST_PG;
# required when CI=true, skipped with a notice otherwise), each positive
# case beside its negative twin. MCRED=path/to/mcred.
# Prints "cli-qa: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
. tests/cli/lib.sh
hasnt() {
	if grep -q -- "$2" "$3"; then fail=$((fail + 1)); echo "FAIL: $be: $1: unexpected '$2' in $3"; else pass=$((pass + 1)); fi
}

# --- fixtures
jq '.workloadHours = 90' examples/achievement.json >"$t/badhours.json"
jq '.description = "A refreshed description of the same course."' examples/achievement.json >"$t/minor.json"
jq '.ects = 6 | .workloadHours = 150' "$t/minor.json" >"$t/major.json"
cat >"$t/bcit.json" <<'EOF'
{"policy":"Accelerated approval for micro-credentials.",
 "approvalChain":[{"id":"dean","name":"Dean","role":"reviewer"},
                  {"id":"agile-quality-committee","name":"Agile quality committee","role":"qa-officer"}],
 "substantialChanges":["learningOutcomes","ects"],"reviewIntervalDays":30,"minGroupSize":3,"publishFeedback":true}
EOF
echo '{"policy":"p","approvalChain":[]}' >"$t/badconfig.json"
for i in 1 2 3 4; do
	jq -n --argjson i "$i" '{answers:{"competences-precise":$i,"assessment-real-work":4,"content-authentic":3,"holders-capable":5,"would-hire":true,"missing":"=SUM(A1)"}}' >"$t/ans$i.json"
done
jq -n '{answers:{"outcomes-clear":4,"outcomes-achieved":4,"workload-accurate":3,"assessment-fair":5,"useful-for-work":4,"recommend":true}}' >"$t/learner-ans.json"
export MCRED_PASSPHRASE="cli qa passphrase"
$MCRED key new --out "$t/k1.json" --fast-kdf >/dev/null 2>&1
did=$($MCRED key show "$t/k1.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
echo '{"answers":{"competences-precise":9}}' >"$t/ans-bad.json"
echo '{"answers":{"nope":1}}' >"$t/ans-unknown.json"

suite() {
	local S="$1"
	expect 0 "init" -- $MCRED init --store "$S"
	expect 0 "template add" -- $MCRED template add --store "$S" --achievement examples/achievement.json --id ds101
	expect 0 "template add (bad hours)" -- $MCRED template add --store "$S" --achievement "$t/badhours.json" --id hours
	# lifecycle through the default IMINQA chain
	expect 1 "submit refused by formal checks" -- $MCRED qa submit --store "$S" hours --version 1 --actor alice
	has "workload check names the hours" "125 to 150 hours" "$t/out"
	expect 0 "submit" -- $MCRED qa submit --store "$S" ds101 --version 1 --actor alice
	has "formal checks printed" "pass workload" "$t/out"
	has "state submitted" "ds101 version 1: submitted" "$t/out"
	expect 3 "submit twice" -- $MCRED qa submit --store "$S" ds101 --version 1
	has "conflict names the state" "is submitted" "$t/err"
	expect 3 "publish unapproved" -- $MCRED qa publish --store "$S" ds101 --version 1
	expect 3 "reviewer out of order" -- $MCRED qa review --store "$S" ds101 --version 1 --step qa-office --decision approve --role qa-officer
	has "out of order message" "out of order" "$t/err"
	expect 2 "review bad decision" -- $MCRED qa review --store "$S" ds101 --version 1 --step faculty-board --decision maybe
	expect 2 "review usage" -- $MCRED qa review --store "$S" ds101 --version 1 --start --step faculty-board --decision approve
	expect 0 "faculty board approves" -- $MCRED qa review --store "$S" ds101 --version 1 --step faculty-board --decision approve --actor bob --comment "fits"
	expect 0 "LLL committee approves" -- $MCRED qa review --store "$S" ds101 --version 1 --step lll-committee --decision approve --actor bob
	expect 3 "QA office step by a reviewer" -- $MCRED qa review --store "$S" ds101 --version 1 --step qa-office --decision approve
	expect 0 "QA office approves" -- $MCRED qa review --store "$S" ds101 --version 1 --step qa-office --decision approve --role qa-officer --actor carol
	has "approved" "approved" "$t/out"
	expect 0 "publish" -- $MCRED qa publish --store "$S" ds101 --version 1 --actor carol
	expect 0 "review start" -- $MCRED qa review --store "$S" ds101 --version 1 --start --reason "yearly"
	expect 0 "review close" -- $MCRED qa review --store "$S" ds101 --version 1 --close --comment "fine"
	expect 0 "overdue in 2030" -- $MCRED qa overdue --store "$S" --now 2030-01-01T00:00:00Z
	has "overdue lists ds101" '"template":"ds101"' "$t/out"
	expect 0 "overdue now" -- $MCRED qa overdue --store "$S"
	has "nothing overdue now" '^\[\]$' "$t/out"
	expect 2 "overdue bad date" -- $MCRED qa overdue --store "$S" --now tomorrow
	expect 0 "schedule an early review" -- $MCRED qa review --store "$S" ds101 --version 1 --due 2020-01-01T00:00:00Z
	expect 0 "overdue after scheduling" -- $MCRED qa overdue --store "$S"
	has "scheduled review overdue" '"reviewDue":"2020-01-01T00:00:00Z"' "$t/out"
	expect 2 "schedule bad date" -- $MCRED qa review --store "$S" ds101 --version 1 --due soon
	expect 3 "schedule a draft" -- $MCRED qa review --store "$S" hours --version 1 --due 2020-01-01T00:00:00Z
	# modification: minor then substantial
	expect 0 "minor modification" -- $MCRED qa modify --store "$S" ds101 --version 1 --achievement "$t/minor.json"
	has "minor: publishable" "modified, may be published" "$t/out"
	expect 0 "publish version 2" -- $MCRED qa publish --store "$S" ds101 --version 2
	expect 0 "substantial modification" -- $MCRED qa modify --store "$S" ds101 --version 2 --achievement "$t/major.json"
	has "substantial: re-approval" "needs the approval chain again" "$t/out"
	expect 3 "publish without re-approval" -- $MCRED qa publish --store "$S" ds101 --version 3
	expect 0 "show history" -- $MCRED qa show --store "$S" ds101 --version 1
	has "superseded" '"state":"superseded"' "$t/out"
	has "decision recorded with role" '"role":"reviewer","comment":"fits"' "$t/out"
	# feedback: anonymity threshold (default 5) on version 2
	expect 0 "questionnaire default" -- $MCRED feedback questionnaire --default learner
	has "learner questions" '"outcomes-clear"' "$t/out"
	expect 2 "questionnaire unknown default" -- $MCRED feedback questionnaire --default alumni
	for i in 1 2 3 4; do
		expect 0 "employer response $i" -- $MCRED feedback respond --store "$S" --questionnaire employer-default --template ds101 --version 2 --answers "$t/ans$i.json" --respondent "Acme $i"
	done
	expect 0 "aggregate below minimum" -- $MCRED feedback aggregate --store "$S" --template ds101 --version 2
	has "suppressed" '"suppressed":true' "$t/out"
	hasnt "no numbers" '"mean"' "$t/out"
	expect 0 "fifth response" -- $MCRED feedback respond --store "$S" --questionnaire employer-default --template ds101 --answers "$t/ans1.json"
	expect 0 "aggregate at minimum" -- $MCRED feedback aggregate --store "$S" --template ds101 --version 2
	has "shown" '"responses":5' "$t/out"
	hasnt "respondent never shown" 'Acme' "$t/out"
	expect 3 "aggregate min group too small" -- $MCRED feedback aggregate --store "$S" --template ds101 --min-group 2
	expect 3 "response out of range" -- $MCRED feedback respond --store "$S" --questionnaire employer-default --template ds101 --answers "$t/ans-bad.json"
	has "path of the bad answer" 'competences-precise' "$t/err"
	expect 3 "response unknown question" -- $MCRED feedback respond --store "$S" --questionnaire employer-default --template ds101 --answers "$t/ans-unknown.json"
	expect 3 "learner without credential" -- $MCRED feedback respond --store "$S" --questionnaire learner-default --template ds101 --answers "$t/learner-ans.json" --role learner
	expect 0 "export" -- $MCRED feedback export --store "$S" --questionnaire employer-default --template ds101 --out "$t/fb.csv"
	has "csv header" "^response,questionnaire_version,audience,template,template_version,date,competences-precise" "$t/fb.csv"
	has "formula neutralised" "\"'=SUM(A1)\"" "$t/fb.csv"
	hasnt "no respondent in export" "Acme" "$t/fb.csv"
	[ "$(wc -l <"$t/fb.csv")" = 6 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $be: csv has $(wc -l <"$t/fb.csv") lines"; }
	# a learner answers for a credential they hold, once
	expect 0 "issuer add" -- $MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k1.json"
	expect 0 "issue from version 2" -- $MCRED issue --store "$S" --template ds101 --learner examples/learner.json --out "$t/cred.json"
	local cid; cid=$(jq -r .id "$t/cred.json")
	expect 0 "pending invitations" -- $MCRED feedback pending --store "$S" --template ds101
	has "issued credential pending" "\"credential\":\"$cid\"" "$t/out"
	expect 0 "learner response" -- $MCRED feedback respond --store "$S" --questionnaire learner-default --credential "$cid" --answers "$t/learner-ans.json"
	expect 3 "learner response twice" -- $MCRED feedback respond --store "$S" --questionnaire learner-default --credential "$cid" --answers "$t/learner-ans.json"
	has "already answered" "already answered" "$t/err"
	expect 0 "no longer pending" -- $MCRED feedback pending --store "$S" --template ds101
	hasnt "answered credential not pending" "$cid" "$t/out"
	expect 3 "learner response, unknown credential" -- $MCRED feedback respond --store "$S" --questionnaire learner-default --credential urn:uuid:nope --answers "$t/learner-ans.json"
	# outcomes
	expect 0 "recognition" -- $MCRED outcome recognition --store "$S" --template ds101 --institution "TU Wien" --country AT --decision recognised
	expect 3 "recognition bad decision" -- $MCRED outcome recognition --store "$S" --template ds101 --institution X --decision maybe
	expect 0 "employment" -- $MCRED outcome employment --store "$S" --template ds101 --months 6 --status employed --in-field yes
	expect 2 "employment bad months" -- $MCRED outcome employment --store "$S" --template ds101 --months 999 --status employed
	expect 0 "outcome show" -- $MCRED outcome show --store "$S" --template ds101
	has "recognised count" '"recognised":1' "$t/out"
	# a provider with BCIT's single committee, and the public page
	expect 3 "config refused" -- $MCRED qa config --store "$S" --provider did:web:bcit.example --set "$t/badconfig.json"
	expect 0 "config BCIT" -- $MCRED qa config --store "$S" --provider did:web:bcit.example --set "$t/bcit.json"
	expect 0 "template for BCIT" -- $MCRED template add --store "$S" --achievement examples/achievement.json --id badge
	expect 0 "submit under BCIT" -- $MCRED qa submit --store "$S" badge --version 1 --provider did:web:bcit.example
	expect 0 "dean" -- $MCRED qa review --store "$S" badge --version 1 --step dean --decision approve
	expect 0 "agile committee" -- $MCRED qa review --store "$S" badge --version 1 --step agile-quality-committee --decision approve --role qa-officer
	expect 0 "publish badge" -- $MCRED qa publish --store "$S" badge --version 1
	expect 0 "public page" -- $MCRED qa page --store "$S" --provider did:web:bcit.example
	has "page lists the chain" "Dean and then Agile quality committee" "$t/out"
	has "page lists badge" '"template":"badge"' "$t/out"
	expect 0 "retire" -- $MCRED qa retire --store "$S" badge --version 1 --reason "partner left"
	has "notifications counted" "holder notification" "$t/out"
	expect 3 "modify retired" -- $MCRED qa modify --store "$S" badge --version 1 --achievement "$t/minor.json"
	has "retired named" "is retired" "$t/err"
	# maturity workshop
	expect 0 "maturity new" -- $MCRED maturity new --store "$S" --title "Board 2026"
	local sid; sid=$(cat "$t/out")
	expect 0 "score" -- $MCRED maturity score --store "$S" "$sid" --participant alice --question T5 --colour green --note "VC 2.0"
	expect 0 "score bob" -- $MCRED maturity score --store "$S" "$sid" --participant bob --question T5 --colour red --note "<no wallet>"
	expect 3 "bad colour" -- $MCRED maturity score --store "$S" "$sid" --participant bob --question T5 --colour purple
	expect 3 "unknown question" -- $MCRED maturity score --store "$S" "$sid" --participant bob --question T11 --colour red
	expect 0 "show as alice (first stage)" -- $MCRED maturity show --store "$S" "$sid" --viewer alice
	hasnt "bob hidden" '"participant":"bob"' "$t/out"
	expect 0 "discussion" -- $MCRED maturity stage --store "$S" "$sid" discussion
	expect 0 "show after reveal" -- $MCRED maturity show --store "$S" "$sid" --viewer alice
	has "bob visible" '"participant":"bob"' "$t/out"
	expect 0 "action" -- $MCRED maturity action --store "$S" "$sid" --question T5 --text "Test EUDI wallets" --owner CIO
	expect 0 "canvas svg" -- $MCRED maturity canvas --store "$S" "$sid" --out "$t/c.svg"
	has "svg root" "<svg xmlns" "$t/c.svg"
	hasnt "note escaped" "<no wallet>" "$t/c.svg"
	expect 0 "canvas html" -- $MCRED maturity canvas --store "$S" "$sid" --html --out "$t/c.html"
	has "html escaped note" "&lt;no wallet&gt;" "$t/c.html"
	expect 0 "second session" -- $MCRED maturity new --store "$S" --title "Board 2027"
	local sid2; sid2=$(cat "$t/out")
	expect 0 "score second" -- $MCRED maturity score --store "$S" "$sid2" --participant alice --question T5 --colour green
	expect 0 "compare" -- $MCRED maturity compare --store "$S" "$sid" "$sid2"
	has "better" '"change":"better"' "$t/out"
	expect 3 "compare unknown" -- $MCRED maturity compare --store "$S" "$sid" urn:uuid:nope
	expect 0 "propose" -- $MCRED maturity propose --store "$S"
	has "proposal for Q10" '"question":"Q10"' "$t/out"
	expect 0 "close" -- $MCRED maturity stage --store "$S" "$sid" closed
	expect 3 "score closed" -- $MCRED maturity score --store "$S" "$sid" --participant bob --question T5 --colour green
	expect 2 "maturity usage" -- $MCRED maturity
	expect 2 "qa usage" -- $MCRED qa frobnicate
}

be=sqlite
suite "$t/qa.db"
suite_on_pg qa

echo "cli-qa: $pass passed, $fail failed"
[ "$fail" = 0 ]
