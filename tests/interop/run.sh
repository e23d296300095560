#!/usr/bin/env bash
# Interop tests: mcred (C) <-> the Digital Bazaar reference implementation of
# VC Data Integrity eddsa-jcs-2022 (JavaScript), both directions, offline.
#
#   MCRED=build/mcred bash tests/interop/run.sh
#
# Environment:
#   MCRED           mcred binary (default <repo>/build/mcred)
#   MCRED_VECTORS   shared test vectors (default <repo>/../shared/vectors)
#   MCRED_EXAMPLES  directory with achievement/issuer/learner inputs (default <repo>/examples)
#   INTEROP_KEEP=1  keep the temp directory (printed) for inspection
# Prints "ok - ..." / "not ok - ..." per case and a final
# "interop: N passed, M failed" line; exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MCRED=${MCRED:-$root/build/mcred}
case "$MCRED" in
/*) ;;
*) if [ -e "$PWD/$MCRED" ]; then MCRED="$PWD/$MCRED"; else MCRED="$root/$MCRED"; fi ;;
esac
VECTORS=${MCRED_VECTORS:-$root/../shared/vectors}
VECTORS=$(cd "$VECTORS" 2>/dev/null && pwd || echo "$VECTORS")
export MCRED_VECTORS="$VECTORS"
EXAMPLES=${MCRED_EXAMPLES:-$root/examples}
export MCRED_PASSPHRASE=${MCRED_PASSPHRASE:-interop-test-passphrase}
W3C="$VECTORS/vc-di-eddsa/TestVectors"
FIX="$here/fixtures"
T=2024-07-01T12:00:00Z          # proof.created used for every signature here
T_W3C=2023-02-24T23:36:38Z      # the W3C vector's proof.created

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcred-interop.XXXXXX")
if [ -n "${INTEROP_KEEP:-}" ]; then echo "# temp dir: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

pass=0; fail=0; skip=0
ok()   { echo "ok - $*"; pass=$((pass + 1)); }
nok()  { echo "not ok - $*"; fail=$((fail + 1)); }
skp()  { echo "ok - $* # SKIP"; skip=$((skip + 1)); }
# diag FILE...: show the first lines of output files as TAP comments
diag() { local f; for f in "$@"; do [ -s "$f" ] && head -c 1500 "$f" | head -n 12 | sed 's/^/#   /'; done; return 0; }
finish() {
	if [ "$skip" -gt 0 ]; then echo "interop: $pass passed, $fail failed, $skip skipped"
	else echo "interop: $pass passed, $fail failed"; fi
	[ "$fail" -eq 0 ]
	exit $?
}

node_() { node "$here/$1" "${@:2}"; }
mc()    { timeout 120 "$MCRED" "$@"; }
# js_verify NAME FILE [--proof-only]: expect verified
js_ok() {
	local name=$1 f=$2; shift 2
	if node_ verify.mjs "$@" "$f" >"$tmp/out" 2>"$tmp/err"; then ok "$name"
	else nok "$name"; diag "$tmp/out" "$tmp/err"; fi
}
# js_rejects NAME FILE [--proof-only]: expect not verified (exit 1, verified:false)
js_rejects() {
	local name=$1 f=$2; shift 2
	node_ verify.mjs "$@" "$f" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ $rc -eq 1 ] && grep -q '"verified":false' "$tmp/out"; then ok "$name"
	else nok "$name (verify.mjs exit $rc)"; diag "$tmp/out" "$tmp/err"; fi
}
# mc_verify NAME WANT_RC FILE [mcred verify options]
mc_verify() {
	local name=$1 want=$2 f=$3; shift 3
	mc verify "$@" "$f" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ $rc -eq "$want" ]; then ok "$name"
	else nok "$name (mcred verify exit $rc, want $want)"; diag "$tmp/out" "$tmp/err"; fi
}
# same NAME A B: identical proofValue and identical JCS of the signed docs
same() {
	local name=$1 a=$2 b=$3
	if node_ tool.mjs same-proof "$a" "$b" >"$tmp/out" 2>&1; then ok "$name"
	else nok "$name"; diag "$tmp/out"; fi
}
# tamper IN OUT: change one field, print what changed
tamper() { node_ tool.mjs tamper "$1" "$2"; }

# ---------------------------------------------------------------- setup
if ! bash "$here/setup.sh" >"$tmp/setup.log" 2>&1; then
	nok "setup: npm ci in tests/interop"; diag "$tmp/setup.log"; finish
fi
if [ ! -f "$W3C/keyPair.json" ]; then
	nok "vectors: $W3C/keyPair.json not found (set MCRED_VECTORS)"; finish
fi
SEED=$(node_ tool.mjs get "$FIX/test-key.json" privateKeyMultibase)
W3C_SEED=$(node_ tool.mjs get "$W3C/keyPair.json" privateKeyMultibase)

# ------------------------------------------- reference implementation alone
# The W3C eddsa-jcs-2022 vector, reproduced by the JS signer byte for byte.
if node_ sign.mjs --seed-multibase "$W3C_SEED" --created "$T_W3C" "$W3C/unsigned.json" \
		>"$tmp/w3c-js.json" 2>"$tmp/err"; then
	same "js: sign.mjs reproduces W3C eddsa-jcs-2022 signedJCS.json" \
		"$tmp/w3c-js.json" "$W3C/eddsa-jcs-2022/signedJCS.json"
else
	nok "js: sign.mjs signs W3C unsigned.json"; diag "$tmp/err"
fi
js_ok "js: verify.mjs --proof-only accepts W3C signedJCS.json" \
	"$W3C/eddsa-jcs-2022/signedJCS.json" --proof-only
js_rejects "js: verify.mjs (full VC) rejects W3C signedJCS.json (issuer is not the key's DID)" \
	"$W3C/eddsa-jcs-2022/signedJCS.json"

# ---------------------------------------------------------------- mcred
if [ ! -x "$MCRED" ]; then
	nok "mcred binary not found or not executable: $MCRED (build it, or set MCRED)"
	finish
fi
K="$tmp/test-key.json"; WK="$tmp/w3c-key.json"
have_key=1; have_wkey=1
if ! mc key import --seed-multibase "$SEED" --fast-kdf --out "$K" >"$tmp/out" 2>"$tmp/err"; then
	nok "mcred key import (test key)"; diag "$tmp/out" "$tmp/err"; have_key=0
fi
if ! mc key import --seed-multibase "$W3C_SEED" --fast-kdf --out "$WK" >"$tmp/out" 2>"$tmp/err"; then
	nok "mcred key import (W3C vector key)"; diag "$tmp/out" "$tmp/err"; have_wkey=0
fi

# (e) the W3C vector, verified by mcred; and mcred reproduces it
mc_verify "(e) mcred verify --proof-only accepts W3C signedJCS.json" 0 \
	"$W3C/eddsa-jcs-2022/signedJCS.json" --proof-only
tamper "$W3C/eddsa-jcs-2022/signedJCS.json" "$tmp/w3c-tampered.json" >/dev/null
mc_verify "(e) mcred verify --proof-only rejects tampered W3C signedJCS.json" 1 \
	"$tmp/w3c-tampered.json" --proof-only
mc_verify "(e) mcred verify (full) rejects W3C signedJCS.json (issuer is not the key's DID)" 1 \
	"$W3C/eddsa-jcs-2022/signedJCS.json"
if [ $have_wkey = 1 ]; then
	if mc sign "$W3C/unsigned.json" --key "$WK" --suite eddsa-jcs-2022 --created "$T_W3C" --out "$tmp/w3c-mc.json" \
			>"$tmp/out" 2>"$tmp/err"; then
		same "(c) mcred sign reproduces W3C signedJCS.json (proofValue and JCS)" \
			"$tmp/w3c-mc.json" "$W3C/eddsa-jcs-2022/signedJCS.json"
	else
		nok "(c) mcred sign W3C unsigned.json"; diag "$tmp/out" "$tmp/err"
	fi
fi

# (a) mcred issues a micro-credential from examples/ -> JS verifies
find_input() {  # find_input KIND: examples/KIND.json, else the first examples/*KIND*.json
	local k=$1 f
	if [ -f "$EXAMPLES/$k.json" ]; then echo "$EXAMPLES/$k.json"; return 0; fi
	for f in "$EXAMPLES"/*"$k"*.json; do [ -f "$f" ] && { echo "$f"; return 0; }; done
	return 1
}
C="$tmp/issued-mc.json"; U="$tmp/issued-unsigned.json"; have_c=0
if [ $have_key = 0 ]; then
	skp "(a) mcred issue (no key)"
elif A=$(find_input achievement) && I=$(find_input issuer) && L=$(find_input learner); then
	echo "# issue inputs: ${A#"$root"/} ${I#"$root"/} ${L#"$root"/}"
	# The JS verifier resolves did:key only (offline), so issue as the key's
	# did:key: the same issuer profile without its did:web "id".
	node -e 'const fs=require("fs");const j=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));delete j.id;fs.writeFileSync(process.argv[2],JSON.stringify(j,null,2))' "$I" "$tmp/issuer-didkey.json" && I="$tmp/issuer-didkey.json"
	if mc issue --achievement "$A" --issuer "$I" --learner "$L" --key "$K" --suite eddsa-jcs-2022 --created "$T" \
			--out "$C" >"$tmp/out" 2>"$tmp/err"; then
		have_c=1
		if node_ tool.mjs check-di "$C" >"$tmp/out" 2>&1; then
			ok "(a) mcred issue emits an eddsa-jcs-2022 DataIntegrityProof"
		else
			nok "(a) mcred issue emits an eddsa-jcs-2022 DataIntegrityProof"; diag "$tmp/out"
		fi
		js_ok "(a) verify.mjs (full VC) accepts the micro-credential issued by mcred" "$C"
		mc_verify "(a) mcred verify accepts its own micro-credential" 0 "$C"
	else
		nok "(a) mcred issue"; diag "$tmp/out" "$tmp/err"
	fi
else
	nok "(a) mcred issue: no achievement/issuer/learner inputs in $EXAMPLES"
fi

# the unsigned credential for (b)/(c): mcred issue --unsigned, else (a)'s minus its proof
have_u=0
if [ $have_c = 1 ]; then
	if mc issue --achievement "$A" --issuer "$I" --learner "$L" --key "$K" --created "$T" \
			--unsigned --out "$U" >/dev/null 2>&1 && [ -s "$U" ] \
			&& ! node_ tool.mjs get "$U" proof >/dev/null 2>&1; then
		echo "# unsigned credential: mcred issue --unsigned"
	else
		node_ tool.mjs strip-proof "$C" "$U"
		echo "# unsigned credential: (a)'s output without its proof"
	fi
	have_u=1
fi

# (b) sign.mjs signs -> mcred verifies
J="$tmp/issued-js.json"
if [ $have_u = 1 ]; then
	if node_ sign.mjs --seed-multibase "$SEED" --created "$T" "$U" >"$J" 2>"$tmp/err"; then
		mc_verify "(b) mcred verify accepts the micro-credential signed by sign.mjs" 0 "$J"
	else
		nok "(b) sign.mjs signs the unsigned micro-credential"; diag "$tmp/err"
	fi
else
	skp "(b) mcred verify of sign.mjs output (no unsigned micro-credential from (a))"
fi
for fx in unsigned-ob3 jcs-stress; do
	if node_ sign.mjs --seed-multibase "$SEED" --created "$T" "$FIX/$fx.json" \
			>"$tmp/$fx-js.json" 2>"$tmp/err"; then
		mc_verify "(b) mcred verify --proof-only accepts fixtures/$fx.json signed by sign.mjs" 0 \
			"$tmp/$fx-js.json" --proof-only
	else
		nok "(b) sign.mjs signs fixtures/$fx.json"; diag "$tmp/err"
	fi
done

# (c) same key, document and created: mcred sign == sign.mjs, byte for byte
mc_sign_same() {  # mc_sign_same NAME UNSIGNED JS_SIGNED
	local name=$1 in=$2 js=$3 out
	out="$tmp/$(basename "$in" .json)-mcsign.json"
	if [ $have_key = 0 ]; then skp "$name (no key)"; return; fi
	if [ ! -s "$js" ]; then skp "$name (no sign.mjs output)"; return; fi
	if mc sign "$in" --key "$K" --suite eddsa-jcs-2022 --created "$T" --out "$out" >"$tmp/out" 2>"$tmp/err"; then
		same "$name" "$out" "$js"
		js_ok "(c) verify.mjs accepts mcred sign output for $(basename "$in")" "$out" \
			$([ "$in" = "$U" ] || echo --proof-only)
	else
		nok "$name: mcred sign failed"; diag "$tmp/out" "$tmp/err"
	fi
}
if [ $have_u = 1 ]; then
	mc_sign_same "(c) mcred sign == sign.mjs on the issued micro-credential (proofValue, JCS)" "$U" "$J"
else
	skp "(c) mcred sign == sign.mjs on the issued micro-credential (no unsigned credential)"
fi
for fx in unsigned-ob3 jcs-stress; do
	mc_sign_same "(c) mcred sign == sign.mjs on fixtures/$fx.json (proofValue, JCS)" \
		"$FIX/$fx.json" "$tmp/$fx-js.json"
done

# (d) negative twins: one field changed after signing -> both verifiers reject
twin() {  # twin WHO SIGNED [verify options]
	local who=$1 f=$2 path; shift 2
	local t="$tmp/tampered-$who-$(basename "$f")"
	path=$(tamper "$f" "$t") || { nok "(d) tamper $who credential"; return; }
	js_rejects "(d) verify.mjs rejects $who-signed credential with $path changed" "$t" "$@"
	mc_verify "(d) mcred verify rejects $who-signed credential with $path changed" 1 "$t" "$@"
}
if [ $have_c = 1 ]; then twin mcred "$C"; else skp "(d) tampered mcred-issued credential (none)"; fi
if [ $have_u = 1 ] && [ -s "$J" ]; then twin js "$J"; else skp "(d) tampered js-signed micro-credential (none)"; fi
[ -s "$tmp/unsigned-ob3-js.json" ] && twin js-fixture "$tmp/unsigned-ob3-js.json" --proof-only
# a changed proof option (created) must break the signature as well
if [ $have_c = 1 ]; then
	node_ tool.mjs tamper-at "$C" "$tmp/created-tampered.json" proof.created '"2024-07-01T12:00:01Z"'
	js_rejects "(d) verify.mjs rejects mcred credential with proof.created changed" "$tmp/created-tampered.json"
	mc_verify "(d) mcred verify rejects mcred credential with proof.created changed" 1 "$tmp/created-tampered.json"
fi

finish
