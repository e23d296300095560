#!/usr/bin/env bash
# setup.sh [DIR] - install the pinned npm packages of DIR (default: this
# folder, the reference JavaScript libraries of the interop tests; the
# browser tests pass tests/browser) with npm ci from package-lock.json when
# node_modules is missing or stale.
# Stale = the lock file changed since the last install (hash stamp).
set -eu
cd "${1:-$(dirname "$0")}"
command -v node >/dev/null || { echo "setup.sh: node not found" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup.sh: npm not found" >&2; exit 1; }
stamp=node_modules/.mcred-lock-sha256
want=$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)
if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi
echo "setup.sh: npm ci ($PWD)" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
echo "$want" > "$stamp"
