#!/usr/bin/env bash
# make-v2-fixture.sh - (re)create tests/store/fixtures/v2.{sqlite.sql,pg.sql}:
# a store written by mcred at schema version 2 (commit 577b878, the last
# before migration 3), for tests/store/upgrade.sh. Run by hand only when the
# fixture must be rebuilt; the fixture is committed. Needs git, make, sqlite3
# and a PostgreSQL cluster (tests/store/pg-cluster.sh).
#
# What the store holds: a did:key issuer with its encrypted key (passphrase
# "fixture passphrase"), a published template, five credentials issued by a
# bulk run, one revoked, one suspended, one reissued (schema 2 recorded the
# link only as batch_id "reissue:<id>"; migration 3 turns it into the
# replaces column), and their audit entries.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
commit=577b878
t=$(mktemp -d)
url=
cleanup() {
	[ -n "$url" ] && bash tests/store/pg-cluster.sh stop "$url"
	git worktree remove --force "$t/src" >/dev/null 2>&1 || true
	rm -rf "$t"
}
trap cleanup EXIT
git worktree add -q --detach "$t/src" "$commit"
make -C "$t/src" -j2 build/mcred >/dev/null
M=$t/src/build/mcred
export MCRED_PASSPHRASE="fixture passphrase"
"$M" key new --out "$t/k.json" --fast-kdf >/dev/null
did=$("$M" key show "$t/k.json" --json | jq -r .did)
jq --arg d "$did" '.id = $d' examples/issuer.json >"$t/issuer.json"
jq '.id = "https://uni.example/ach/ds101"' examples/achievement.json >"$t/ach.json"
{
	echo "learner_id,given_name,family_name,email,external_id,grade,issued"
	for i in 1 2 3 4 5; do echo "did:example:v2-$i,Given$i,Family,v2-$i@uni.example,x-$i,$i,2025-06-30"; done
} >"$t/rows.csv"
fill() {
	"$M" init --store "$1" >/dev/null
	"$M" issuer add --store "$1" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null
	"$M" template add --store "$1" --achievement "$t/ach.json" --id ds101 --publish >/dev/null
	"$M" bulk --store "$1" "$t/rows.csv" --template ds101 >/dev/null
}
# the same ids on both back-ends make one expectations list: issue on
# SQLite, then copy the credentials' ids for the actions
fill "$t/v2.db"
ids() { sqlite3 "$t/v2.db" "select id from credentials where learner_id = 'did:example:v2-$1'"; }
act() {
	"$M" revoke --store "$1" "$2" --reason "fixture: revoked" >/dev/null
	"$M" suspend --store "$1" "$3" --reason "fixture: suspended" >/dev/null
	"$M" reissue --store "$1" "$4" --out "$t/reissued.json" >/dev/null
}
act "$t/v2.db" "$(ids 1)" "$(ids 2)" "$(ids 3)"
sqlite3 "$t/v2.db" .dump >tests/store/fixtures/v2.sqlite.sql

url=$(bash tests/store/pg-cluster.sh start)
fill "$url"
pid() { psql "$url" -Atc "select id from credentials where learner_id = 'did:example:v2-$1'"; }
act "$url" "$(pid 1)" "$(pid 2)" "$(pid 3)"
pg_dump --no-owner --no-privileges "$url" >tests/store/fixtures/v2.pg.sql
echo "make-v2-fixture: wrote tests/store/fixtures/v2.sqlite.sql and v2.pg.sql (schema 2, commit $commit)"
