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

step "2. Issue a micro-credential from examples/ (template + issuer + learner)"
$MCRED issue --achievement examples/achievement.json --issuer examples/issuer.json \
	--learner examples/learner.json --key "$work/issuer-key.json" --out "$work/credential.json"
echo "wrote $work/credential.json ($(wc -c <"$work/credential.json") bytes); first lines:"
head -n 12 "$work/credential.json"

step "3. Verify it"
$MCRED verify "$work/credential.json"

step "4. Tamper with a copy (change the ECTS credits) and verify again"
sed 's/"creditsAvailable": *[0-9.]*/"creditsAvailable": 60/' "$work/credential.json" >"$work/tampered.json"
if $MCRED verify "$work/tampered.json"; then
	echo "demo: the tampered credential verified - this is a bug" >&2; exit 1
else
	echo "(exit code $? - the tampered copy is rejected, as it must be)"
fi
