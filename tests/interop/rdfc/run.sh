#!/usr/bin/env bash
# RDFC interop (issue 3 item 5): mcred (C) against jsonld.js / @digitalbazaar
# (JavaScript), offline.
#   (a) canonical N-Quads of a generated corpus (>= 1,000 micro-credentials plus
#       hand-varied JSON-LD): jsonld.canonize (RDFC-1.0, safe) == mcred rdfc --safe
#   (b) eddsa-rdfc-2022 both ways: mcred-signed verify in JS, JS-signed verify
#       with mcred verify, tampered twins fail on both sides, same proofValue
#       for the same key / document / created (Ed25519 is deterministic).
#
#   bash tests/interop/rdfc/run.sh
# Environment:
#   MCRED            mcred binary (default <repo>/build/mcred)
#   MCRED_VECTORS    shared vectors (default <repo>/../shared/vectors)
#   RDFC_COUNT       builder credentials in the corpus (default 1000)
#   RDFC_HAND        hand-varied documents (default 300)
#   RDFC_SIGN_COUNT  credentials per direction in (b) (default 20)
#   RDFC_KEEP=1      keep the temp directory (printed)
# Prints "ok - ..." / "not ok - ..." lines and a final line
# "interop-rdfc: N passed, M failed"; exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
interop=$(cd "$here/.." && pwd)
root=$(cd "$here/../../.." && pwd)
MCRED=${MCRED:-build/mcred}
case "$MCRED" in
/*) ;;
*) if [ -e "$PWD/$MCRED" ]; then MCRED="$PWD/$MCRED"; else MCRED="$root/$MCRED"; fi ;;
esac
export MCRED
VECTORS=${MCRED_VECTORS:-$root/../shared/vectors}
VECTORS=$(cd "$VECTORS" 2>/dev/null && pwd || echo "$VECTORS")
export MCRED_VECTORS="$VECTORS"
export MCRED_PASSPHRASE=${MCRED_PASSPHRASE:-interop-test-passphrase}
COUNT=${RDFC_COUNT:-1000}
HAND=${RDFC_HAND:-300}
NSIGN=${RDFC_SIGN_COUNT:-20}
T=2024-07-01T12:00:00Z      # proof.created for every signature
VF=2025-01-01T00:00:00Z     # validFrom of the credentials signed in (b)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcred-rdfc.XXXXXX")
if [ -n "${RDFC_KEEP:-}" ]; then echo "# temp dir: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

pass=0; fail=0
ok()  { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; fail=$((fail + 1)); }
diag() { local f; for f in "$@"; do [ -s "$f" ] && head -c 2000 "$f" | head -n 12 | sed 's/^/#   /'; done; return 0; }
finish() {
	echo "interop-rdfc: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
mc() { timeout 120 "$MCRED" "$@"; }
tool() { node "$interop/tool.mjs" "$@"; }
rt() { node "$here/rdfc-tool.mjs" "$@"; }

# ---------------------------------------------------------------- setup
if ! bash "$interop/setup.sh" >"$tmp/setup.log" 2>&1; then
	nok "setup: npm ci in tests/interop"; diag "$tmp/setup.log"; finish
fi
if [ ! -x "$MCRED" ]; then
	nok "mcred binary not found or not executable: $MCRED (build it, or set MCRED)"; finish
fi
# a private copy: a concurrent rebuild of build/mcred must not break the run
cp "$MCRED" "$tmp/mcred" && MCRED="$tmp/mcred"

# ---------------------------------------------------------------- (a)
C="$tmp/corpus"
t0=$(date +%s.%N)
if node "$here/gen-corpus.mjs" --out "$C" --count "$COUNT" --hand "$HAND" --mcred "$MCRED" \
		>"$tmp/gen.out" 2>"$tmp/gen.err"; then
	ok "(a) corpus: $(sed -n 's/^# corpus: //p' "$tmp/gen.out")"
else
	nok "(a) corpus generation (mcred issue --unsigned refused inputs or failed)"
	diag "$tmp/gen.out" "$tmp/gen.err"
fi
t1=$(date +%s.%N)
if [ -s "$C/manifest.json" ]; then
	node "$here/nquads.mjs" "$C" --mcred "$MCRED" --report "$tmp/nquads-report.json" \
		>"$tmp/nq.out" 2>"$tmp/nq.err"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) nok "${line#not ok - }" ;;
		"# nquads:"*) ;;
		*) echo "$line" ;;
		esac
	done <"$tmp/nq.out"
	grep -q '^ok - \|^not ok - ' "$tmp/nq.out" || { nok "(a) nquads.mjs produced no result"; diag "$tmp/nq.err"; }
	[ -n "${RDFC_KEEP:-}" ] && echo "# report: $tmp/nquads-report.json"
fi
t2=$(date +%s.%N)
echo "# (a) timing: corpus $(echo "$t1 - $t0" | bc) s, comparison $(echo "$t2 - $t1" | bc) s"

# ---------------------------------------------------------------- (b)
B_CASES=(
	"(b) mcred issue --suite eddsa-rdfc-2022 emits eddsa-rdfc-2022 DataIntegrityProofs"
	"(b) JS (vc.verifyCredential) accepts micro-credentials issued by mcred"
	"(b) mcred verify accepts its own eddsa-rdfc-2022 micro-credentials"
	"(b) mcred verify accepts micro-credentials signed by JS (vc.issue)"
	"(b) proofValue byte-identical: mcred vs JS, same key/document/created"
	"(b) tampered twins of mcred-signed credentials: JS rejects"
	"(b) tampered twins of mcred-signed credentials: mcred rejects"
	"(b) tampered twins of JS-signed credentials: JS rejects"
	"(b) tampered twins of JS-signed credentials: mcred rejects"
	"(b) hand-varied JSON-LD: mcred sign --suite eddsa-rdfc-2022 verifies in JS (proof only)"
	"(b) hand-varied JSON-LD: JS-signed verifies with mcred verify --proof-only"
	"(b) hand-varied JSON-LD: proofValue byte-identical"
)
if ! mc help sign 2>&1 | grep -q rdfc || ! mc help issue 2>&1 | grep -q -- --suite; then
	for c in "${B_CASES[@]}"; do nok "$c # TODO cryptosuite missing (mcred help sign/issue lists no rdfc suite)"; done
	finish
fi
SUITE=eddsa-rdfc-2022
SEED=$(tool get "$interop/fixtures/test-key.json" privateKeyMultibase)
VM=$(tool get "$interop/fixtures/test-key.json" verificationMethod)
K="$tmp/key.json"
if ! mc key import --seed-multibase "$SEED" --fast-kdf --out "$K" >"$tmp/out" 2>"$tmp/err"; then
	nok "mcred key import (test key)"; diag "$tmp/out" "$tmp/err"; finish
fi
S="$tmp/sign"; mkdir -p "$S"
# inputs: the first NSIGN corpus inputs as they are, except issuer = the key's
# did:key (the JS verifier resolves did:key only, offline) and no learner
# dates (the credentials must be valid now for full verification)
made=0; issue_fail=""
for d in $(ls "$C/in" 2>/dev/null | head -n "$NSIGN"); do
	node -e '
const fs=require("fs");const [a,o]=process.argv.slice(1);
const i=JSON.parse(fs.readFileSync(a+"/issuer.json"));delete i.id;
const l=JSON.parse(fs.readFileSync(a+"/learner.json"));delete l.issued;delete l.validUntil;
fs.writeFileSync(o+"/issuer.json",JSON.stringify(i));fs.writeFileSync(o+"/learner.json",JSON.stringify(l));
fs.copyFileSync(a+"/achievement.json",o+"/achievement.json");' "$C/in/$d" "$(mkdir -p "$S/in-$d" && echo "$S/in-$d")"
	args=(--achievement "$S/in-$d/achievement.json" --issuer "$S/in-$d/issuer.json"
		--learner "$S/in-$d/learner.json" --key "$K" --valid-from "$VF"
		--id "urn:uuid:00000000-0000-4000-8000-00000000$d")
	if mc issue "${args[@]}" --suite "$SUITE" --created "$T" --out "$S/m-$d.json" >/dev/null 2>"$tmp/err" &&
		mc issue "${args[@]}" --unsigned --out "$S/u-$d.json" >/dev/null 2>>"$tmp/err"; then
		made=$((made + 1))
	else
		issue_fail="$issue_fail $d"; cp "$tmp/err" "$tmp/issue-err"
	fi
done
# check-di on every mcred credential
bad=""; for f in "$S"/m-*.json; do [ -e "$f" ] || continue; rt check-di "$f" >/dev/null || bad="$bad $(basename "$f")"; done
if [ $made -gt 0 ] && [ -z "$bad$issue_fail" ]; then ok "${B_CASES[0]} ($made credentials)"
else nok "${B_CASES[0]} ($made made; failed:$issue_fail$bad)"; diag "$tmp/issue-err"; fi
# JS verifies mcred's
verify_js() {  # verify_js NAME WANT(0 verified|1 rejected) [--proof-only] FILES...
	local name=$1 want=$2; shift 2
	local po=(); [ "${1:-}" = --proof-only ] && { po=(--proof-only); shift; }
	[ $# -gt 0 ] || { nok "$name (no documents)"; return; }
	rt verify "${po[@]}" "$@" >"$tmp/v.out" 2>"$tmp/v.err"
	local n wrong
	n=$(wc -l <"$tmp/v.out")
	if [ "$want" = 0 ]; then wrong=$(grep -c '"verified":false' "$tmp/v.out")
	else wrong=$(grep -c '"verified":true' "$tmp/v.out"); fi
	if [ "$n" -eq $# ] && [ "$wrong" -eq 0 ]; then ok "$name ($n)"
	else nok "$name ($wrong of $# wrong)"; grep -v "\"verified\":$([ "$want" = 0 ] && echo true || echo false)" "$tmp/v.out" | head -n 3 | sed 's/^/#   /'; diag "$tmp/v.err"; fi
}
verify_mc() {  # verify_mc NAME WANT_RC [--proof-only] FILES...
	local name=$1 want=$2; shift 2
	local po=(); [ "${1:-}" = --proof-only ] && { po=(--proof-only); shift; }
	[ $# -gt 0 ] || { nok "$name (no documents)"; return; }
	local f rc wrong=0 first=""
	for f in "$@"; do
		mc verify "${po[@]}" "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
		if [ $rc -ne "$want" ]; then wrong=$((wrong + 1)); [ -z "$first" ] && first="$(basename "$f") exit $rc" && cp "$tmp/out" "$tmp/first.out" && cp "$tmp/err" "$tmp/first.err"; fi
	done
	if [ $wrong -eq 0 ]; then ok "$name ($#)"
	else nok "$name ($wrong of $# wrong; first: $first)"; diag "$tmp/first.out" "$tmp/first.err"; fi
}
same_pv() {  # same_pv NAME A_SUFFIX B_SUFFIX FILES(unsigned)...
	local name=$1 a=$2 b=$3; shift 3
	local u n=0 wrong=0 first=""
	for u in "$@"; do
		local pa pb
		pa=$(tool get "${u%.json}$a" proof.proofValue 2>/dev/null)
		pb=$(tool get "${u%.json}$b" proof.proofValue 2>/dev/null)
		n=$((n + 1))
		if [ -z "$pa" ] || [ "$pa" != "$pb" ]; then wrong=$((wrong + 1)); [ -z "$first" ] && first="$(basename "$u"): $pa vs $pb"; fi
	done
	if [ $n -gt 0 ] && [ $wrong -eq 0 ]; then ok "$name ($n)"; else nok "$name ($wrong of $n differ; first: $first)"; fi
}
shopt -s nullglob
M=("$S"/m-*.json)
U=("$S"/u-*.json)
verify_js "${B_CASES[1]}" 0 "${M[@]}"
verify_mc "${B_CASES[2]}" 0 "${M[@]}"
# JS signs mcred's unsigned credentials -> mcred verifies
rt sign --seed-multibase "$SEED" --created "$T" --suffix .js.json "${U[@]}" 2>"$tmp/sign.err" || diag "$tmp/sign.err"
J=(); for u in "${U[@]}"; do [ -e "$u.js.json" ] && J+=("$u.js.json"); done
verify_mc "${B_CASES[3]}" 0 "${J[@]}"
# proofValue: mcred sign of u-NNNN.json vs JS vc.issue of the same document
# (not the m-NNNN.json of mcred issue: an achievement without "id" gets a
# fresh urn:uuid per issue run)
for u in "${U[@]}"; do
	mc sign "$u" --suite "$SUITE" --key "$K" --created "$T" --verification-method "$VM" \
		--out "${u%.json}.mc.json" >/dev/null 2>"$tmp/err" || diag "$tmp/err"
done
same_pv "${B_CASES[4]}" .mc.json .json.js.json "${U[@]}"
# note (not a check): proof members that differ besides proofValue
for u in "${U[@]:0:1}"; do
	node -e '
const fs=require("fs");const a=JSON.parse(fs.readFileSync(process.argv[1])).proof,b=JSON.parse(fs.readFileSync(process.argv[2])).proof;
const ka=Object.keys(a).sort().join(","),kb=Object.keys(b).sort().join(",");
if(ka!==kb)console.log("# note: proof members differ: mcred ["+ka+"] vs JS ["+kb+"] (W3C vc-di-eddsa signedDataInt.json has the JS set)");' \
		"${u%.json}.mc.json" "$u.js.json" 2>/dev/null
done
# tampered twins
TM=(); TJ=()
for f in "${M[@]}"; do tool tamper "$f" "${f%.json}.tampered.json" >/dev/null 2>&1 && TM+=("${f%.json}.tampered.json"); done
for f in "${J[@]}"; do tool tamper "$f" "${f%.json}.tampered.json" >/dev/null 2>&1 && TJ+=("${f%.json}.tampered.json"); done
verify_js "${B_CASES[5]}" 1 "${TM[@]}"
verify_mc "${B_CASES[6]}" 1 "${TM[@]}"
verify_js "${B_CASES[7]}" 1 "${TJ[@]}"
verify_mc "${B_CASES[8]}" 1 "${TJ[@]}"

# hand-varied documents both sides canonicalized identically in (a)
H="$tmp/hand"; mkdir -p "$H"
node -e '
const r=require(process.argv[1]);const m=require(process.argv[2]);
const bad=new Set([...r.different.map(d=>d.file),...r.bothRefused.map(d=>d.file)]);
console.log(m.filter(x=>x.kind==="hand"&&!bad.has(x.file)).slice(0,Number(process.argv[3])).map(x=>x.file).join("\n"))' \
	"$tmp/nquads-report.json" "$C/manifest.json" "$NSIGN" 2>/dev/null >"$tmp/hand.list"
HU=(); HM=()
while IFS= read -r f; do
	[ -n "$f" ] || continue
	cp "$C/docs/$f" "$H/$f"; HU+=("$H/$f")
	# the key's did:key method, as the JS signer uses (the issuers are not ours)
	mc sign "$H/$f" --suite "$SUITE" --key "$K" --created "$T" --verification-method "$VM" --out "$H/${f%.json}.mc.json" >/dev/null 2>"$tmp/err" \
		&& HM+=("$H/${f%.json}.mc.json") || cp "$tmp/err" "$tmp/hsign.err"
done <"$tmp/hand.list"
[ ${#HM[@]} -eq ${#HU[@]} ] || { echo "# mcred sign failed on $(( ${#HU[@]} - ${#HM[@]} )) hand documents"; diag "$tmp/hsign.err"; }
verify_js "${B_CASES[9]}" 0 --proof-only "${HM[@]}"
rt sign --proof-only --seed-multibase "$SEED" --created "$T" --suffix .js.json "${HU[@]}" 2>"$tmp/sign.err" || diag "$tmp/sign.err"
HJ=(); for u in "${HU[@]}"; do [ -e "$u.js.json" ] && HJ+=("$u.js.json"); done
verify_mc "${B_CASES[10]}" 0 --proof-only "${HJ[@]}"
same_pv "${B_CASES[11]}" .mc.json .json.js.json "${HU[@]}"

# known limitation of the reference, shown (not counted): a credential whose
# ECTS is a valid tiny number (5e-324 > 0) canonicalizes differently in
# jsonld.js (see (a), js-small-double), so JS cannot verify mcred's signature
mkdir -p "$S/tiny"
node -e '
const fs=require("fs");const [e,o]=process.argv.slice(1);
const a=JSON.parse(fs.readFileSync(e+"/achievement.json"));a.ects=5e-324;
const i=JSON.parse(fs.readFileSync(e+"/issuer.json"));delete i.id;
const l=JSON.parse(fs.readFileSync(e+"/learner.json"));delete l.issued;
fs.writeFileSync(o+"/achievement.json",JSON.stringify(a));fs.writeFileSync(o+"/issuer.json",JSON.stringify(i));fs.writeFileSync(o+"/learner.json",JSON.stringify(l));' \
	"$root/examples" "$S/tiny"
if mc issue --achievement "$S/tiny/achievement.json" --issuer "$S/tiny/issuer.json" --learner "$S/tiny/learner.json" \
		--key "$K" --suite "$SUITE" --created "$T" --valid-from "$VF" --out "$S/tiny/c.json" >/dev/null 2>&1; then
	if rt verify "$S/tiny/c.json" >"$tmp/v.out" 2>&1; then
		echo "# note: JS verifies an mcred credential with ects 5e-324 (jsonld.js number handling fixed?)"
	else
		echo "# note (known, jsonld.js): JS rejects mcred's credential with ects 5e-324: $(head -c 200 "$tmp/v.out")"
	fi
fi

finish
