#!/usr/bin/env bash
# CLI tests: every command, its documented exit codes, and bad input for
# each (missing args, unreadable, malformed, oversize, tampered, wrong key,
# wrong passphrase, expired). MCRED=path/to/mcred (the sanitizer build in
# `make check`). Prints "cli: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
V=${MCRED_VECTORS:-../shared/vectors}
[ -d "$V" ] || { echo "cli: vector folder $V missing"; echo "cli: 0 passed, 1 failed"; exit 1; }
export MCRED_PASSPHRASE="cli test passphrase"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
pass=0; fail=0

# expect CODE NAME -- CMD...: run CMD, compare exit code; output in $t/out, $t/err
expect() {
	local want=$1 name=$2; shift 3
	"$@" >"$t/out" 2>"$t/err"; local rc=$?
	if [ "$rc" = "$want" ] && ! grep -q "AddressSanitizer\|runtime error" "$t/err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL: $name: exit $rc, want $want"; head -5 "$t/err" "$t/out" | sed 's/^/    /'
	fi
}
# has NAME PATTERN FILE: the file contains the pattern
has() {
	if grep -q -- "$2" "$3"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: no '$2' in $3"; head -5 "$3" | sed 's/^/    /'; fi
}
hasnt() {
	if grep -q -- "$2" "$3"; then fail=$((fail + 1)); echo "FAIL: $1: unexpected '$2' in $3"; else pass=$((pass + 1)); fi
}

# --- help and usage
expect 0 "help" -- $MCRED help
has "help lists verify" "mcred verify" "$t/out"
expect 0 "help verify" -- $MCRED help verify
has "help verify exit codes" "Exit 0 valid" "$t/out"
expect 0 "verify --help" -- $MCRED verify --help
expect 0 "version" -- $MCRED version
expect 2 "no command" -- $MCRED
expect 2 "unknown command" -- $MCRED frobnicate
expect 2 "unknown option" -- $MCRED verify --frob x
expect 2 "missing argument" -- $MCRED verify
expect 2 "option without value" -- $MCRED issue --achievement
expect 2 "issue without key" -- $MCRED issue --achievement a --issuer i --learner l

# --- keys
expect 3 "key new without passphrase" -- env -u MCRED_PASSPHRASE $MCRED key new --out "$t/k0.json" --fast-kdf
expect 0 "key new" -- $MCRED key new --out "$t/key.json" --fast-kdf
has "key new prints did" "did:key:z6Mk" "$t/out"
[ "$(stat -c %a "$t/key.json")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: key file mode"; }
expect 2 "key new refuses overwrite" -- $MCRED key new --out "$t/key.json" --fast-kdf
expect 0 "key show" -- $MCRED key show "$t/key.json" --json
has "key show json" '"did":"did:key:z6Mk' "$t/out"
expect 2 "key export needs --secret" -- $MCRED key export "$t/key.json"
expect 3 "key export wrong passphrase" -- env MCRED_PASSPHRASE=wrong $MCRED key export "$t/key.json" --secret
expect 0 "key export" -- $MCRED key export "$t/key.json" --secret
secret=$(cat "$t/out")
hasnt "key file holds no clear secret" "$secret" "$t/key.json"
hasnt "key show prints no secret" "$secret" <($MCRED key show "$t/key.json")
echo '{"type":"mcred-key-v1"' >"$t/badkey.json"
expect 3 "key show malformed" -- $MCRED key show "$t/badkey.json"
expect 3 "key show missing file" -- $MCRED key show "$t/nope.json"
w3c_secret=$(sed -n 's/.*"privateKeyMultibase": *"\([^"]*\)".*/\1/p' "$V/vc-di-eddsa/TestVectors/keyPair.json")
expect 0 "key import W3C seed" -- $MCRED key import --seed-multibase "$w3c_secret" --out "$t/w3c.json" --fast-kdf
has "imported key is the vector's" "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" "$t/out"
expect 3 "key import bad seed" -- $MCRED key import --seed-multibase zNOTBASE58lO0 --out "$t/x.json" --fast-kdf
expect 3 "key import bad hex" -- $MCRED key import --seed-hex abcd --out "$t/x.json" --fast-kdf
expect 2 "key import both seeds" -- $MCRED key import --seed-hex ab --seed-multibase z1 --out "$t/x.json"

# --- DIDs
expect 0 "did web" -- $MCRED did web "$t/key.json" --domain uni.example
has "did web id" '"did:web:uni.example"' "$t/out"
expect 3 "did web bad domain" -- $MCRED did web "$t/key.json" --domain 'Uni Example/../x'
did=$($MCRED key show "$t/key.json" --json | sed -n 's/.*"did":"\([^"]*\)".*/\1/p')
expect 0 "did resolve" -- $MCRED did resolve "$did"
has "did resolve document" '"assertionMethod"' "$t/out"
expect 3 "did resolve other method" -- $MCRED did resolve did:web:uni.example
expect 3 "did resolve garbage" -- $MCRED did resolve did:key:zzzz

# --- the W3C eddsa-jcs-2022 vector through the CLI (jcs is no longer the default: name it)
expect 0 "sign W3C vector" -- $MCRED sign "$V/vc-di-eddsa/TestVectors/unsigned.json" --key "$t/w3c.json" --suite eddsa-jcs-2022 --created 2023-02-24T23:36:38Z
has "proofValue byte-identical" "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX" "$t/out"
expect 0 "verify W3C vector proof" -- $MCRED verify --proof-only "$V/vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json"
expect 1 "W3C vector is no EU micro-credential" -- $MCRED verify "$V/vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json"
has "issuer-key fails on https issuer" "FAIL  issuer-key" "$t/out"
# --- the W3C eddsa-rdfc-2022 vector: the default suite
expect 0 "sign W3C vector (rdfc default)" -- $MCRED sign "$V/vc-di-eddsa/TestVectors/unsigned.json" --key "$t/w3c.json" --created 2023-02-24T23:36:38Z --out "$t/rdfc-vec.json"
has "rdfc proofValue byte-identical" "$(cat "$V/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/sigBTC58DataInt.txt")" "$t/rdfc-vec.json"
has "rdfc suite named" '"eddsa-rdfc-2022"' "$t/rdfc-vec.json"
expect 0 "verify W3C rdfc vector" -- $MCRED verify --proof-only "$V/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/signedDataInt.json"
has "proof check names the suite" "using eddsa-rdfc-2022" "$t/out"
for n in 1 2; do
	expect 0 "verify W3C proof set $n" -- $MCRED verify --proof-only "$V/vc-di-eddsa/TestVectors/proof-set-chain/signedProofSet$n.json"
done
sed 's/"alumniOf":[[:space:]]*"[^"]*"/"alumniOf": "The School of Samples"/' "$V/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/signedDataInt.json" >"$t/rdfc-tampered.json"
cmp -s "$t/rdfc-tampered.json" "$V/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/signedDataInt.json" && { fail=$((fail + 1)); echo "FAIL: rdfc tamper did not change the file"; }
expect 1 "tampered rdfc vector" -- $MCRED verify --proof-only "$t/rdfc-tampered.json"
has "rdfc tamper: signature fails" "FAIL  signature" "$t/out"
expect 2 "unknown --suite" -- $MCRED sign "$V/vc-di-eddsa/TestVectors/unsigned.json" --key "$t/w3c.json" --suite eddsa-foo-2022
expect 3 "ecdsa suite with an Ed25519 key" -- $MCRED sign "$V/vc-di-eddsa/TestVectors/unsigned.json" --key "$t/w3c.json" --suite ecdsa-rdfc-2019
# the W3C VC 2.0 examples signed with ecdsa-rdfc-2019 (P-256 did:key)
for f in "$V"/w3c-vc/vc-data-model-2.0/examples/example-22-a-simple-credential.ecdsa-rdfc-2019.json "$V"/w3c-vc/bitstring-status-list/examples/example-04-a-revocable-verifiable-credential.ecdsa-rdfc-2019.json; do
	expect 0 "verify W3C ecdsa-rdfc-2019 $(basename "$f")" -- $MCRED verify --proof-only "$f"
	has "ecdsa suite named" "using ecdsa-rdfc-2019" "$t/out"
done
sed 's/Jane Doe/Jane Dough/' "$V/w3c-vc/vc-data-model-2.0/examples/example-22-a-simple-credential.ecdsa-rdfc-2019.json" >"$t/ecdsa-tampered.json"
expect 1 "tampered ecdsa-rdfc-2019 example" -- $MCRED verify --proof-only "$t/ecdsa-tampered.json"
expect 3 "sign with wrong passphrase" -- env MCRED_PASSPHRASE=nope $MCRED sign "$V/vc-di-eddsa/TestVectors/unsigned.json" --key "$t/w3c.json"
expect 3 "sign with bad created" -- $MCRED sign "$V/vc-di-eddsa/TestVectors/unsigned.json" --key "$t/w3c.json" --created tomorrow

# --- issue and verify a micro-credential (examples/issuer.json is a did:web issuer)
E=examples
expect 0 "did web for the example issuer" -- $MCRED did web "$t/key.json" --domain www.uni-graz.example --out "$t/did.json"
D="--did-document $t/did.json"
expect 0 "issue" -- $MCRED issue --achievement $E/achievement.json --issuer $E/issuer.json --learner $E/learner.json --key "$t/key.json" --out "$t/cred.json"
has "did:web method" '"did:web:www.uni-graz.example#key-1"' "$t/cred.json"
expect 0 "verify issued" -- $MCRED verify $D "$t/cred.json"
for c in json structure eu-elements proof signature issuer-key dates; do has "verify reports $c" "PASS  $c" "$t/out"; done
has "verdict" "VALID" "$t/out"
expect 1 "did:web without its DID document" -- $MCRED verify "$t/cred.json"
has "says what to supply" "DID document" "$t/out"
$MCRED key new --out "$t/other.json" --fast-kdf >/dev/null 2>&1
expect 0 "DID document of another key" -- $MCRED did web "$t/other.json" --domain www.uni-graz.example --out "$t/did-other.json"
# --out to something that is not a regular file (here a FIFO, standing in
# for /dev/null) is written in place: a rename over it would replace the
# node itself with a plain file
mkfifo "$t/fifo"
timeout 10 cat "$t/fifo" >"$t/from-fifo" &  # bounded: a regression must fail, not hang
expect 0 "--out to a FIFO" -- $MCRED did web "$t/other.json" --domain www.uni-graz.example --out "$t/fifo"
wait
has "--out FIFO got the document" '"did:web:www.uni-graz.example"' "$t/from-fifo"
if [ -p "$t/fifo" ] && ! ls "$t"/fifo.tmp.* >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: --out FIFO was replaced or a temp file left"; fi
expect 1 "verify against the wrong DID document" -- $MCRED verify --did-document "$t/did-other.json" "$t/cred.json"
has "signature fails with wrong doc" "FAIL  signature" "$t/out"
printf '[{"id":"did:web:elsewhere.example"},%s]' "$(cat "$t/did.json")" >"$t/dids.json"
expect 0 "DID document array" -- $MCRED verify --did-document "$t/dids.json" "$t/cred.json"
printf '{"id":"did:web:www.uni-graz.example","verificationMethod":[]}' >"$t/did-empty.json"
expect 1 "DID document without the method" -- $MCRED verify --did-document "$t/did-empty.json" "$t/cred.json"
expect 3 "unreadable DID document" -- $MCRED verify --did-document "$t/nope.json" "$t/cred.json"
expect 0 "verify --json" -- $MCRED verify --json $D "$t/cred.json"
has "json ok" '"ok":[[:space:]]*true' "$t/out"
expect 0 "validate issued" -- $MCRED validate "$t/cred.json"
expect 0 "issue unsigned" -- $MCRED issue --achievement $E/achievement.json --issuer $E/issuer.json --learner $E/learner.json --key "$t/key.json" --unsigned --out "$t/unsigned.json"
hasnt "unsigned has no proof" '"proof"' "$t/unsigned.json"
expect 1 "verify unsigned" -- $MCRED verify $D "$t/unsigned.json"
has "unsigned: proof fails" "FAIL  proof" "$t/out"
expect 0 "sign the unsigned" -- $MCRED sign "$t/unsigned.json" --key "$t/key.json" --out "$t/signed2.json"
expect 0 "verify signed2" -- $MCRED verify $D "$t/signed2.json"
expect 3 "sign twice refused" -- $MCRED sign "$t/signed2.json" --key "$t/key.json"
expect 3 "issue wrong passphrase" -- env MCRED_PASSPHRASE=nope $MCRED issue --achievement $E/achievement.json --issuer $E/issuer.json --learner $E/learner.json --key "$t/key.json"
expect 1 "not yet valid" -- $MCRED verify $D --now 1999-01-01T00:00:00Z "$t/cred.json"
has "dates fail" "FAIL  dates" "$t/out"
expect 2 "bad --now" -- $MCRED verify --now yesterday "$t/cred.json"

# a did:key issuer: the same profile without "id"
grep -v '"id": "did:web' $E/issuer.json >"$t/issuer-didkey.json"
expect 0 "issue as did:key" -- $MCRED issue --achievement $E/achievement.json --issuer "$t/issuer-didkey.json" --learner $E/learner.json --key "$t/key.json" --out "$t/cred-dk.json"
expect 0 "verify did:key issuer offline" -- $MCRED verify "$t/cred-dk.json"
has "issuer-key passes" "PASS  issuer-key" "$t/out"
other_vm=$($MCRED key show "$t/other.json" --json | sed -n 's/.*"verificationMethod":"\([^"]*\)".*/\1/p')
expect 0 "issue signed by a key that is not the issuer's" -- $MCRED issue --achievement $E/achievement.json --issuer "$t/issuer-didkey.json" --learner $E/learner.json --key "$t/key.json" --unsigned --out "$t/u-dk.json"
expect 0 "sign with other key" -- $MCRED sign "$t/u-dk.json" --key "$t/other.json" --out "$t/otherkey.json"
expect 1 "other key is not the issuer's" -- $MCRED verify "$t/otherkey.json"
has "issuer-key fails" "FAIL  issuer-key" "$t/out"

# tampering twins of the issued credential
sed 's/"creditsAvailable":[[:space:]]*[0-9.]*/"creditsAvailable": 60/' "$t/cred.json" >"$t/tampered.json"
expect 1 "tampered ECTS" -- $MCRED verify $D "$t/tampered.json"
has "signature fails" "FAIL  signature" "$t/out"
# change the last character of proofValue (to '1', or to '2' if it was '1')
sed -E 's/("proofValue":[[:space:]]*"z[^"]*)[^"1]"/\11"/; t; s/("proofValue":[[:space:]]*"z[^"]*)1"/\12"/' "$t/cred.json" >"$t/badsig.json"
cmp -s "$t/cred.json" "$t/badsig.json" && { fail=$((fail + 1)); echo "FAIL: proofValue tamper did not change the file"; }
expect 1 "tampered proofValue" -- $MCRED verify $D "$t/badsig.json"
has "issue defaults to eddsa-rdfc-2022" '"eddsa-rdfc-2022"' "$t/cred.json"
sed 's/eddsa-rdfc-2022/eddsa-foo-2022/' "$t/cred.json" >"$t/suite.json"
expect 1 "unknown cryptosuite" -- $MCRED verify $D "$t/suite.json"
has "suite named" "eddsa-foo-2022" "$t/out"
sed 's/"validFrom":[[:space:]]*"[^"]*"/"validFrom": "2100-01-01T00:00:00Z"/' "$t/cred-dk.json" >"$t/future.json"
expect 1 "tampered validFrom" -- $MCRED verify "$t/future.json"

# suites chosen on issue: jcs explicitly, P-256 keys with ecdsa-rdfc-2019
expect 0 "issue --suite eddsa-jcs-2022" -- $MCRED issue --achievement $E/achievement.json --issuer "$t/issuer-didkey.json" --learner $E/learner.json --key "$t/key.json" --suite eddsa-jcs-2022 --out "$t/cred-jcs.json"
has "jcs suite in proof" '"eddsa-jcs-2022"' "$t/cred-jcs.json"
expect 0 "verify jcs-issued" -- $MCRED verify "$t/cred-jcs.json"
has "jcs named in proof check" "using eddsa-jcs-2022" "$t/out"
expect 0 "verify rdfc-issued did:key credential" -- $MCRED verify "$t/cred-dk.json"
has "rdfc named in proof check" "using eddsa-rdfc-2022" "$t/out"
# an rdfc-signed credential with a term no context defines fails, naming the term
sed 's/"type":[[:space:]]*\[/"undefinedTermX": 1, "type": [/' "$t/cred-dk.json" >"$t/undef-term.json"
cmp -s "$t/cred-dk.json" "$t/undef-term.json" && { fail=$((fail + 1)); echo "FAIL: undefined-term edit did not change the file"; }
expect 1 "rdfc: undefined term fails" -- $MCRED verify "$t/undef-term.json"
has "undefined term named" "undefinedTermX" "$t/out"
printf '{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","undefinedTermY":1}' >"$t/undef-y.json"
expect 3 "rdfc signing refuses an undefined term" -- $MCRED sign "$t/undef-y.json" --key "$t/key.json"
has "signing names the term" "undefinedTermY" "$t/err"
expect 0 "jcs signs any JSON" -- $MCRED sign "$t/undef-y.json" --key "$t/key.json" --suite eddsa-jcs-2022
expect 0 "key new --alg p256" -- $MCRED key new --alg p256 --out "$t/p256.json" --fast-kdf
has "P-256 did:key" "did:key:zDn" "$t/out"
expect 0 "key show P-256" -- $MCRED key show "$t/p256.json" --json
has "key show alg" '"alg":"P-256"' "$t/out"
p256_did=$(sed -n 's/.*"did":"\([^"]*\)".*/\1/p' "$t/out")
expect 0 "did resolve P-256" -- $MCRED did resolve "$p256_did"
has "P-256 DID document" "$p256_did" "$t/out"
expect 2 "key new bad --alg" -- $MCRED key new --alg rsa --out "$t/rsa.json" --fast-kdf
expect 0 "issue with P-256" -- $MCRED issue --achievement $E/achievement.json --issuer "$t/issuer-didkey.json" --learner $E/learner.json --key "$t/p256.json" --out "$t/cred-p256.json"
has "P-256 issue uses ecdsa-rdfc-2019" '"ecdsa-rdfc-2019"' "$t/cred-p256.json"
has "P-256 issuer is its did:key" "$p256_did" "$t/cred-p256.json"
expect 0 "verify P-256 credential" -- $MCRED verify "$t/cred-p256.json"
has "ecdsa named" "using ecdsa-rdfc-2019" "$t/out"
has "P-256 issuer-key passes" "PASS  issuer-key" "$t/out"
sed 's/"creditsAvailable":[[:space:]]*[0-9.]*/"creditsAvailable": 60/' "$t/cred-p256.json" >"$t/p256-tampered.json"
expect 1 "tampered P-256 credential" -- $MCRED verify "$t/p256-tampered.json"
has "P-256 tamper: signature fails" "FAIL  signature" "$t/out"
sed -E 's/("proofValue":[[:space:]]*"z[^"]*)[^"1]"/\11"/; t; s/("proofValue":[[:space:]]*"z[^"]*)1"/\12"/' "$t/cred-p256.json" >"$t/p256-badsig.json"
expect 1 "tampered P-256 proofValue" -- $MCRED verify "$t/p256-badsig.json"
expect 3 "eddsa suite with a P-256 key" -- $MCRED issue --achievement $E/achievement.json --issuer "$t/issuer-didkey.json" --learner $E/learner.json --key "$t/p256.json" --suite eddsa-rdfc-2022
expect 3 "key export refuses P-256 (Ed25519 Multikey secret only)" -- $MCRED key export "$t/p256.json" --secret
expect 0 "sign with P-256 (ecdsa default)" -- $MCRED sign "$t/unsigned.json" --key "$t/p256.json" --out "$t/p256-signed.json"
expect 1 "P-256 proof names the did:web issuer's Ed25519 key" -- $MCRED verify $D "$t/p256-signed.json"
has "key type mismatch explained" "needs a P-256 key" "$t/out"

# malformed input files
head -c 200 "$t/cred.json" >"$t/trunc.json"
expect 1 "truncated" -- $MCRED verify "$t/trunc.json"
has "json fails" "FAIL  json" "$t/out"
printf '{"a":1,"a":2}' >"$t/dup.json"
expect 1 "duplicate keys" -- $MCRED verify "$t/dup.json"
has "dup named" "duplicate key" "$t/out"
printf '%*s' 100000 '' | tr ' ' '[' >"$t/deep.json"
expect 1 "deep nesting" -- $MCRED verify "$t/deep.json"
head -c $((4 * 1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' >"$t/huge.json"
expect 3 "oversize" -- $MCRED verify "$t/huge.json"
has "oversize message" "limit" "$t/err"
expect 3 "missing file" -- $MCRED verify "$t/does-not-exist.json"
printf '\x00\x01\x02' >"$t/bin.json"
expect 1 "binary" -- $MCRED verify "$t/bin.json"
expect 1 "validate not json" -- $MCRED validate "$t/bin.json"
expect 1 "validate W3C alumni credential" -- $MCRED validate "$V/vc-di-eddsa/TestVectors/unsigned.json"
has "validate names a path" '\$\.' "$t/out"

# bad issuance inputs name the input and the field
printf '{"name":"x"}' >"$t/learner-bad.json"
expect 3 "issue with incomplete learner" -- $MCRED issue --achievement $E/achievement.json --issuer $E/issuer.json --learner "$t/learner-bad.json" --key "$t/key.json"
has "learner error named" "learner" "$t/err"
printf '[]' >"$t/ach-bad.json"
expect 3 "issue with non-object achievement" -- $MCRED issue --achievement "$t/ach-bad.json" --issuer $E/issuer.json --learner $E/learner.json --key "$t/key.json"
expect 3 "issue with missing file" -- $MCRED issue --achievement "$t/none.json" --issuer $E/issuer.json --learner $E/learner.json --key "$t/key.json"

# canon
expect 0 "canon" -- $MCRED canon "$V/json-canonicalization/testdata/input/weird.json"
cmp -s "$t/out" "$V/json-canonicalization/testdata/output/weird.json" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: canon output differs"; }
expect 3 "canon malformed" -- $MCRED canon "$t/dup.json"
# rdfc: JSON-LD -> RDFC-1.0 canonical N-Quads, offline
expect 0 "rdfc W3C vector" -- $MCRED rdfc "$V/vc-di-eddsa/TestVectors/unsigned.json"
cmp -s "$t/out" "$V/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: rdfc output differs from the W3C vector"; }
expect 0 "rdfc --safe issued credential" -- $MCRED rdfc --safe "$t/unsigned.json"
has "rdfc uses the mcred vocabulary" "w3id.org/mcred/vocab#" "$t/out"
printf '{"@context":"https://example.org/unknown-context","name":"x"}' >"$t/unknownctx.json"
expect 3 "rdfc refuses unknown contexts" -- $MCRED rdfc "$t/unknownctx.json"
has "names the URL" "unknown-context" "$t/err"
printf '{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","undefinedTerm":1}' >"$t/undef.json"
expect 3 "rdfc --safe refuses undefined terms" -- $MCRED rdfc --safe "$t/undef.json"
expect 0 "rdfc drops undefined terms without --safe" -- $MCRED rdfc "$t/undef.json"
expect 0 "context" -- $MCRED context
has "context is JSON-LD" "@context" "$t/out"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
