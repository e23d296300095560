#!/usr/bin/env bash
# CLI store tests: every store command (init, issuer add, key rotate,
# template add/publish, issue --template, bulk, revoke/suspend/reinstate,
# reissue, learner export/erase) against SQLite (a temp file) and
# PostgreSQL (MCRED_TEST_PG; required when CI=true, skipped with a notice
# otherwise), with the negative cases. MCRED=path/to/mcred.
# Prints "cli-store: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
export MCRED_PASSPHRASE="cli store passphrase"
. tests/cli/lib.sh
hasnt() {
	if grep -q -- "$2" "$3"; then fail=$((fail + 1)); echo "FAIL: $be: $1: unexpected '$2' in $3"; else pass=$((pass + 1)); fi
}
eq() {
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $be: $1: '$2' != '$3'"; fi
}

# --- fixtures: a did:key issuer (verifiable offline), a did:web issuer for rotation
be=setup
$MCRED key new --out "$t/k1.json" --fast-kdf >/dev/null 2>&1
$MCRED key new --out "$t/k2.json" --fast-kdf >/dev/null 2>&1
$MCRED key new --out "$t/k3.json" --fast-kdf >/dev/null 2>&1
did=$($MCRED key show "$t/k1.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
jq '.id = "did:web:web.example" | .url = "https://web.example/"' examples/issuer.json >"$t/webissuer.json"
jq '.id = "https://uni.example/ach/ds101"' examples/achievement.json >"$t/ach.json"
jq '.title = "Changed title"' "$t/ach.json" >"$t/ach2.json"
{
	echo "learner_id,given_name,family_name,email,external_id,grade"
	for i in $(seq 1 40); do echo "did:example:l$i,Anna$i,Berg,a$i@uni.example,ext-$i,1"; done
	echo "did:example:bad1,Bad,One,not-an-email,ext-b1,1"
	for i in $(seq 41 50); do echo "did:example:l$i,Anna$i,Berg,a$i@uni.example,ext-$i,1"; done
	echo "did:example:bad2,Bad,Two,b2@uni.example,ext-b2,1,extra"
} >"$t/rows.csv"
head -11 "$t/rows.csv" >"$t/good.csv"
{
	echo '{"id":"did:example:j1","givenName":"Jo","familyName":"Line","externalId":"j-1"}'
	echo '{"id":"did:example:j2","givenName":"Jo","familyName":"Line","externalId":"j-2","template":"nope"}'
	echo '{"id":"did:example:j3","givenName":"Jo","familyName":"Line","externalId":"j-3"}'
} >"$t/rows.jsonl"

# suite URL: every command against one store
suite() {
	local S="$1"
	expect 0 "init" -- $MCRED init --store "$S"
	has "init names back-end" "store: $be" "$t/out"
	expect 0 "init again (no migration)" -- $MCRED init --store "$S"
	expect 3 "issuer add wrong passphrase" -- env MCRED_PASSPHRASE=wrong $MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k1.json"
	expect 3 "issuer add no passphrase" -- env -u MCRED_PASSPHRASE $MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k1.json"
	expect 2 "issuer add usage" -- $MCRED issuer add --store "$S" --issuer "$t/issuer.json"
	expect 3 "issuer add malformed" -- $MCRED issuer add --store "$S" --issuer "$t/rows.csv" --key "$t/k1.json"
	expect 0 "issuer add" -- $MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k1.json"
	has "issuer add prints key" "active for $did" "$t/out"
	expect 0 "template add draft" -- $MCRED template add --store "$S" --achievement "$t/ach.json" --id ds101
	has "draft version 1" "version 1 draft" "$t/out"
	expect 3 "template add invalid" -- $MCRED template add --store "$S" --achievement "$t/issuer.json" --id bad
	expect 3 "issue from unpublished template" -- $MCRED issue --store "$S" --template ds101 --learner examples/learner.json
	has "unpublished message" "no published version" "$t/err"
	expect 3 "issue from unknown template" -- $MCRED issue --store "$S" --template nope --learner examples/learner.json
	has "unknown template message" "unknown template" "$t/err"
	expect 0 "template publish" -- $MCRED template publish --store "$S" ds101
	expect 3 "template publish unknown" -- $MCRED template publish --store "$S" nope
	expect 3 "issue wrong passphrase" -- env MCRED_PASSPHRASE=wrong $MCRED issue --store "$S" --template ds101 --learner examples/learner.json
	expect 0 "issue" -- $MCRED issue --store "$S" --template ds101 --learner examples/learner.json --out "$t/c1.json"
	expect 0 "issued credential verifies" -- $MCRED verify "$t/c1.json"
	has "issued credential has status" '"statusListIndex"' "$t/c1.json"
	local cid; cid=$(jq -r .id "$t/c1.json")
	expect 0 "issue again is idempotent" -- $MCRED issue --store "$S" --template ds101 --learner examples/learner.json
	has "issue again names existing" "already issued" "$t/err"
	eq "issue again returns the same credential" "$(jq -r .id "$t/out")" "$cid"
	expect 0 "issue jcs suite" -- $MCRED issue --store "$S" --template ds101 --suite eddsa-jcs-2022 \
		--learner <(jq '.id = "did:example:jcs"' examples/learner.json)
	has "jcs proof" "eddsa-jcs-2022" "$t/out"
	expect 2 "issue bad suite" -- $MCRED issue --store "$S" --template ds101 --suite nope --learner <(jq '.id = "did:example:s"' examples/learner.json)
	# a new version leaves issued credentials on version 1
	expect 0 "template edit -> version 2" -- $MCRED template add --store "$S" --achievement "$t/ach2.json" --id ds101
	has "version 2 draft" "version 2 draft" "$t/out"

	# --- bulk
	expect 3 "bulk unknown template" -- $MCRED bulk --store "$S" "$t/good.csv" --template nope
	has "bulk unknown template row" "row 2: template: unknown template" "$t/err"
	expect 3 "bulk all-or-nothing with a bad row" -- $MCRED bulk --store "$S" "$t/rows.csv" --template ds101 --all-or-nothing
	has "aon summary" "issued 0" "$t/out"
	has "aon names row 42" "row 42: email" "$t/err"
	expect 0 "export after aon: nothing issued" -- $MCRED learner export --store "$S" did:example:l1
	hasnt "aon issued nothing" "ext-1" "$t/out"
	expect 3 "bulk with bad rows" -- $MCRED bulk --store "$S" "$t/rows.csv" --template ds101 --batch 16
	has "bulk summary" "issued 50, skipped existing 0, rejected 2 (of 52 rows)" "$t/out"
	has "bad email by row" "row 42: email" "$t/err"
	has "ragged row by row" "row 53" "$t/err"
	expect 3 "bulk rerun issues nothing" -- $MCRED bulk --store "$S" "$t/rows.csv" --template ds101
	has "rerun summary" "issued 0, skipped existing 50, rejected 2" "$t/out"
	expect 0 "bulk good file (all already issued)" -- $MCRED bulk --store "$S" "$t/good.csv" --template ds101 --all-or-nothing
	has "good rerun summary" "issued 0, skipped existing 10" "$t/out"
	expect 3 "bulk jsonl" -- $MCRED bulk --store "$S" "$t/rows.jsonl" --template ds101
	has "jsonl summary" "issued 2, skipped existing 0, rejected 1" "$t/out"
	has "jsonl line number" "line 2: template" "$t/err"
	expect 2 "bulk bad format" -- $MCRED bulk --store "$S" "$t/rows.csv" --format xml
	expect 3 "bulk missing file" -- $MCRED bulk --store "$S" "$t/none.csv" --template ds101
	expect 3 "bulk wrong passphrase" -- env MCRED_PASSPHRASE=wrong $MCRED bulk --store "$S" "$t/good.csv" --template ds101
	expect 0 "learner export" -- $MCRED learner export --store "$S" did:example:l7
	has "export holds the credential" '"externalId":.*"ext-7"' "$t/out"
	jq -e '.credentials[0].credential.proof' "$t/out" >/dev/null && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $be: export has the signed credential"; }
	local bid; bid=$(jq -r '.credentials[0].id' "$t/out")
	jq '.credentials[0].credential' "$t/out" >"$t/bulk7.json"
	expect 0 "bulk credential verifies" -- $MCRED verify "$t/bulk7.json"

	# --- status changes, and the signed list the store publishes
	local blist; blist=$(jq -r "[.credentialStatus] | flatten | .[0].statusListCredential" "$t/bulk7.json")
	expect 0 "status-list show" -- $MCRED status-list show --store "$S" "$blist" --out "$t/list0.json"
	has "status-list etag" 'etag: "' "$t/err"
	has "list credential type" "BitstringStatusListCredential" "$t/list0.json"
	expect 0 "list credential verifies" -- $MCRED verify "$t/list0.json" --proof-only
	expect 3 "status-list show unknown" -- $MCRED status-list show --store "$S" https://nope.example/status/revocation/1
	expect 0 "verify --store before revoke" -- $MCRED verify "$t/bulk7.json" --store "$S"
	has "status checked" "PASS  status" "$t/out"
	expect 0 "suspend" -- $MCRED suspend --store "$S" "$bid" --reason "under review"
	has "suspended" "suspended" "$t/out"
	expect 0 "reinstate" -- $MCRED reinstate --store "$S" "$bid" --reason "review closed"
	expect 0 "revoke" -- $MCRED revoke --store "$S" "$bid" --reason "fraud"
	has "revoked" "revoked" "$t/out"
	expect 3 "reinstate revoked" -- $MCRED reinstate --store "$S" "$bid" --reason "oops"
	expect 3 "revoke twice" -- $MCRED revoke --store "$S" "$bid" --reason "again"
	has "revoke twice says so" "already revoked" "$t/err"
	expect 1 "verify --store after revoke" -- $MCRED verify "$t/bulk7.json" --store "$S"
	has "verify names revocation" "revoked" "$t/out"
	expect 0 "verify --status-list (old list) still passes" -- $MCRED verify "$t/bulk7.json" --status-list "$t/list0.json"
	expect 0 "status-list show after revoke" -- $MCRED status-list show --store "$S" "$blist" --out "$t/list1.json"
	[ "$(jq -r .credentialSubject.encodedList "$t/list0.json")" != "$(jq -r .credentialSubject.encodedList "$t/list1.json")" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $be: list regenerated on revoke"; }
	expect 1 "verify --status-list (new list)" -- $MCRED verify "$t/bulk7.json" --status-list "$t/list1.json"
	expect 0 "status-list publish" -- $MCRED status-list publish --store "$S" "$blist"
	expect 3 "status-list publish wrong passphrase" -- env MCRED_PASSPHRASE=wrong $MCRED status-list publish --store "$S" "$blist"
	expect 3 "revoke unknown id" -- $MCRED revoke --store "$S" urn:uuid:00000000-0000-4000-8000-000000000000 --reason x
	expect 2 "revoke without reason" -- $MCRED revoke --store "$S" "$bid"
	expect 3 "reissue revoked" -- $MCRED reissue --store "$S" "$bid"
	expect 0 "export shows state and audit" -- $MCRED learner export --store "$S" did:example:l7
	has "export state revoked" "revoked" "$t/out"
	has "export audit reason" "credential.revoke" "$t/out"

	# --- reissue
	expect 0 "reissue" -- $MCRED reissue --store "$S" "$cid" --out "$t/c1r.json"
	expect 0 "reissued verifies" -- $MCRED verify "$t/c1r.json"
	[ "$(jq -r .id "$t/c1r.json")" != "$cid" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $be: reissue has a new id"; }
	eq "reissue keeps the subject" "$(jq -c .credentialSubject "$t/c1r.json")" "$(jq -c .credentialSubject "$t/c1.json")"
	expect 3 "reissue unknown" -- $MCRED reissue --store "$S" urn:uuid:00000000-0000-4000-8000-000000000000
	expect 1 "the original is superseded" -- $MCRED verify "$t/c1.json" --store "$S"
	expect 0 "reissue with corrected data" -- $MCRED reissue --store "$S" "$(jq -r .id "$t/c1r.json")" \
		--learner <(jq '.givenName = "Mariah"' examples/learner.json) --out "$t/c1c.json"
	has "corrected name" "Mariah" "$t/c1c.json"
	expect 3 "reissue with a bad correction" -- $MCRED reissue --store "$S" "$(jq -r .id "$t/c1c.json")" \
		--learner <(jq '.email = "nope"' examples/learner.json)
	has "bad correction names the field" "learner.email" "$t/err"
	expect 0 "export shows the reissue links" -- $MCRED learner export --store "$S" "$(jq -r .credentialSubject.id "$t/c1.json")"
	has "export replaces" '"replaces":[[:space:]]*"'"$cid"'"' "$t/out"
	has "export replacedBy" '"replacedBy":[[:space:]]*"urn:uuid' "$t/out"

	# --- learner erasure
	expect 0 "learner erase" -- $MCRED learner erase --store "$S" did:example:l8
	has "erase count" "1 credentials erased" "$t/out"
	expect 0 "export after erase" -- $MCRED learner export --store "$S" did:example:l8
	hasnt "erased: no name" "Anna8" "$t/out"
	local eid; eid=$(jq -r '.credentials[0].id' "$t/out")
	expect 3 "reissue erased" -- $MCRED reissue --store "$S" "$eid"
	expect 0 "revoke erased still works" -- $MCRED revoke --store "$S" "$eid" --reason "erased learner"

	# --- key rotation (did:web issuer): new proofs use key-2, old key retired
	expect 0 "issuer add did:web" -- $MCRED issuer add --store "$S" --issuer "$t/webissuer.json" --key "$t/k2.json"
	has "did:web key-1" "did:web:web.example#key-1" "$t/out"
	expect 2 "two issuers: issue needs --issuer" -- $MCRED issue --store "$S" --template ds101 --learner <(jq '.id = "did:example:w"' examples/learner.json)
	expect 0 "issue as did:web" -- $MCRED issue --store "$S" --issuer did:web:web.example --template ds101 --learner <(jq '.id = "did:example:w"' examples/learner.json) --out "$t/w1.json"
	has "signed with key-1" "did:web:web.example#key-1" "$t/w1.json"
	expect 3 "key rotate unknown issuer" -- $MCRED key rotate --store "$S" --issuer did:web:nope.example --key "$t/k3.json"
	expect 3 "key rotate wrong passphrase" -- env MCRED_PASSPHRASE=wrong $MCRED key rotate --store "$S" --issuer did:web:web.example --key "$t/k3.json"
	expect 0 "key rotate" -- $MCRED key rotate --store "$S" --issuer did:web:web.example --key "$t/k3.json"
	has "rotated to key-2" "did:web:web.example#key-2" "$t/out"
	expect 0 "reissue after rotation" -- $MCRED reissue --store "$S" "$(jq -r .id "$t/w1.json")" --out "$t/w2.json"
	has "reissue signed with key-2" "did:web:web.example#key-2" "$t/w2.json"
	$MCRED did web "$t/k3.json" --domain web.example | jq '.verificationMethod[0].id = "did:web:web.example#key-2" | .assertionMethod = ["did:web:web.example#key-2"]' >"$t/did2.json"
	expect 0 "reissued verifies with the new key" -- $MCRED verify "$t/w2.json" --did-document "$t/did2.json"
	expect 0 "old credential still verifies with the old key" -- $MCRED verify "$t/w1.json" --did-document <($MCRED did web "$t/k2.json" --domain web.example)
	expect 2 "store usage" -- $MCRED learner export --store "$S"
}

be=sqlite
suite "$t/store.db"
# the default store: $MCRED_STORE
be=sqlite
expect 0 "MCRED_STORE default" -- env MCRED_STORE="$t/env.db" $MCRED init
[ -f "$t/env.db" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: MCRED_STORE not used"; }
expect 4 "store unreachable (I/O)" -- $MCRED init --store "$t/no/such/dir/x.db"

suite_on_pg store

echo "cli-store: $pass passed, $fail failed"
[ "$fail" = 0 ]
