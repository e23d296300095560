#!/usr/bin/env bash
# Install the pinned reference JavaScript libraries for the interop tests
# (npm ci from package-lock.json) when node_modules is missing or stale.
# Stale = the lock file changed since the last install (hash stamp).
set -eu
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "setup.sh: node not found" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup.sh: npm not found" >&2; exit 1; }
stamp=node_modules/.mcred-lock-sha256
want=$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)
if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi
echo "setup.sh: npm ci (tests/interop)" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
echo "$want" > "$stamp"
