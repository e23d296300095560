#!/usr/bin/env bash
# demo.sh - the main job end to end: create an issuer key, issue a sample
# EU micro-credential, verify it, and show a tampered copy failing.
set -euo pipefail
cd "$(dirname "$0")/.."
MCRED=${MCRED:-build/mcred}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export MCRED_PASSPHRASE=${MCRED_PASSPHRASE:-demo passphrase - change me}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Create an issuer signing key (encrypted at rest)"
$MCRED key new --out "$work/issuer-key.json"

step "2. Publish the issuer's did:web document (the example issuer is did:web:www.uni-graz.example)"
$MCRED did web "$work/issuer-key.json" --domain www.uni-graz.example --out "$work/did.json"
echo "wrote $work/did.json - on a real site it is served at https://www.uni-graz.example/.well-known/did.json"

step "3. Issue a micro-credential from examples/ (template + issuer + learner)"
$MCRED issue --achievement examples/achievement.json --issuer examples/issuer.json \
	--learner examples/learner.json --key "$work/issuer-key.json" --out "$work/credential.json"
echo "wrote $work/credential.json ($(wc -c <"$work/credential.json") bytes); first lines:"
head -n 12 "$work/credential.json"

step "4. Verify it (offline: the verifier was given the issuer's DID document)"
$MCRED verify --did-document "$work/did.json" "$work/credential.json"

step "5. Tamper with a copy (change the ECTS credits) and verify again"
sed 's/"creditsAvailable":[[:space:]]*[0-9.]*/"creditsAvailable": 60/' "$work/credential.json" >"$work/tampered.json"
if $MCRED verify --did-document "$work/did.json" "$work/tampered.json"; then
	echo "demo: the tampered credential verified - this is a bug" >&2; exit 1
else
	echo "(exit code $? - the tampered copy is rejected, as it must be)"
fi
