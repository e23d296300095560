#!/usr/bin/env bash
# upgrade.sh - a store written by mcred at schema version 2 (the fixture in
# tests/store/fixtures, made by make-v2-fixture.sh with commit 577b878) is
# opened by this mcred, on SQLite and (MCRED_TEST_PG) PostgreSQL: the
# migrations run, the data and the reissue link survive, the old status lists
# are published with suspension twins the first time an issuer opens, and
# issuing, revoking, suspending, reinstating and reissuing work afterwards.
# MCRED=path/to/mcred. Prints "store-upgrade: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
source tests/cli/lib.sh
export MCRED_PASSPHRASE="fixture passphrase"
F=tests/store/fixtures
latest=$(sed -n 's/^\t{\([0-9]*\), ".*/\1/p' src/store/schema.c | sort -n | tail -1)

# sql STORE QUERY: one query on either back-end, rows as a|b lines
sql() {
	case $1 in
	postgres*) psql "$1" -qAtc "$2" 2>&1 ;;
	*) sqlite3 "$1" "$2" 2>&1 ;;
	esac
}
eq() { # eq NAME GOT WANT
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $be: $1: got '$2', want '$3'"; fi
}
cred() { sql "$S" "select json from credentials where id = '$1'" >"$t/$2"; }
id_of() { sql "$S" "select id from credentials where learner_id = 'did:example:$1' and replaces is null order by issued_at limit 1"; }

suite() {
	S=$1
	# the schema 2 fixture as written by the old mcred
	case $S in
	postgres*) psql "$S" -q -f "$F/v2.pg.sql" >"$t/load.log" 2>&1 ;;
	*) sqlite3 "$S" <"$F/v2.sqlite.sql" >"$t/load.log" 2>&1 ;;
	esac
	eq "fixture is schema 2" "$(sql "$S" "select max(version) from schema_version")" 2
	# 1. any command that opens the store migrates it
	expect 0 "learner export migrates" -- $MCRED learner export --store "$S" did:example:v2-1 --out "$t/export.json"
	local rev sus old newer
	rev=$(id_of v2-1); sus=$(id_of v2-2); old=$(id_of v2-4)
	has "export has the revoked credential" "$rev" "$t/export.json"
	eq "schema is current" "$(sql "$S" "select max(version) from schema_version")" "$latest"
	eq "every migration recorded" "$(sql "$S" "select count(*) from schema_version")" "$latest"
	eq "credentials kept" "$(sql "$S" "select count(*) from credentials")" 6
	eq "states kept" "$(sql "$S" "select state from credentials where id in ('$rev','$sus') order by state")" "$(printf 'revoked\nsuspended')"
	# schema 2 wrote the reissue link as batch_id "reissue:<id>"; migration 3 made it a column
	eq "reissue link migrated" "$(sql "$S" "select count(*) from credentials where replaces is not null and batch_id = 'reissue:' || replaces")" 1
	# 2. the old list has no signed credential until an issuer opens
	expect 3 "old list not yet published" -- $MCRED status-list show --store "$S" https://www.uni-graz.example/status/revocation/1
	# 3. issuing on the upgraded store: the first open publishes the old list
	# and creates its suspension twin, once
	printf 'learner_id,given_name,family_name,email,external_id,grade,issued\ndid:example:new-1,New,One,n1@uni.example,n-1,3,2025-07-01\n' >"$t/new.csv"
	expect 0 "bulk on the upgraded store" -- $MCRED bulk --store "$S" "$t/new.csv" --template ds101
	has "bulk issued one" "issued 1," "$t/out"
	expect 0 "old list published" -- $MCRED status-list show --store "$S" https://www.uni-graz.example/status/revocation/1 --out "$t/rl.json"
	expect 0 "suspension twin published" -- $MCRED status-list show --store "$S" https://www.uni-graz.example/status/suspension/1
	eq "published on upgrade, once" "$(sql "$S" "select count(*) from audit_log where action = 'status-list.publish' and details like '%published on upgrade%'")" 2
	expect 0 "a second open publishes nothing" -- $MCRED bulk --store "$S" "$t/new.csv" --template ds101
	eq "still once" "$(sql "$S" "select count(*) from audit_log where details like '%published on upgrade%'")" 2
	# 4. status as a verifier sees it, from the store and from the list file
	cred "$rev" rev.json
	expect 1 "revoked schema-2 credential is revoked" -- $MCRED verify "$t/rev.json" --store "$S"
	has "revoked line" "has been revoked" "$t/out"
	expect 1 "revoked via the list file too" -- $MCRED verify "$t/rev.json" --status-list "$t/rl.json"
	cred "$old" old.json
	expect 0 "active schema-2 credential verifies" -- $MCRED verify "$t/old.json" --store "$S"
	# 5. a schema-2 credential has no suspension entry: suspending is refused
	expect 3 "suspend without a suspension entry refused" -- $MCRED suspend --store "$S" "$old" --reason "test"
	has "refusal says why" "no suspension entry" "$t/err"
	eq "state unchanged" "$(sql "$S" "select state from credentials where id = '$old'")" active
	expect 0 "reinstate a schema-2 suspension" -- $MCRED reinstate --store "$S" "$sus" --reason "upgrade test"
	eq "reinstated" "$(sql "$S" "select state from credentials where id = '$sus'")" active
	expect 0 "revoke a schema-2 credential" -- $MCRED revoke --store "$S" "$old" --reason "upgrade test"
	cred "$old" old.json
	expect 1 "now revoked" -- $MCRED verify "$t/old.json" --store "$S"
	# 6. the new credential: both entries, suspend and reinstate seen
	newer=$(id_of new-1)
	cred "$newer" new.json
	eq "new credential has two entries" "$(jq '.credentialStatus | length' "$t/new.json")" 2
	expect 0 "suspend the new one" -- $MCRED suspend --store "$S" "$newer" --reason "upgrade test"
	expect 1 "suspension seen" -- $MCRED verify "$t/new.json" --store "$S"
	has "suspended line" "is suspended" "$t/out"
	expect 0 "reinstate the new one" -- $MCRED reinstate --store "$S" "$newer" --reason "upgrade test"
	expect 0 "valid again" -- $MCRED verify "$t/new.json" --store "$S"
	# 7. reissue a schema-2 credential: the new one has both entries
	local five; five=$(id_of v2-5)
	expect 0 "reissue a schema-2 credential" -- $MCRED reissue --store "$S" "$five" --out "$t/re.json"
	eq "reissued has two entries" "$(jq '.credentialStatus | length' "$t/re.json")" 2
	expect 0 "reissued verifies" -- $MCRED verify "$t/re.json" --store "$S"
	# 8. the audit log is still append-only
	sql "$S" "update audit_log set actor = 'x'" >"$t/upd" 2>&1
	has "audit log refuses update" "append-only" "$t/upd"
}

be=sqlite
suite "$t/v2.db"
suite_on_pg upgrade
echo "store-upgrade: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
