#!/usr/bin/env bash
# deps.sh [--test] - install the Debian 12 packages mcred needs, only those
# missing. --test adds what the test suite needs (Check, clang/libFuzzer,
# Node.js + npm for the interop tests, the PostgreSQL server for the store
# suite's throwaway cluster).
set -euo pipefail
build_pkgs=(build-essential pkg-config libjansson-dev libcjson-dev libsodium-dev libssl-dev libsqlite3-dev libpq-dev zlib1g-dev libmicrohttpd-dev libqrencode-dev libcurl4-openssl-dev)
test_pkgs=(check libsubunit-dev clang libclang-rt-14-dev nodejs npm postgresql sqlite3 chromium wrk curl jq)
pkgs=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && pkgs+=("${test_pkgs[@]}")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from outside Debian (nodesource, nvm): accept a working one
if command -v node >/dev/null && command -v npm >/dev/null; then
	tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
	missing=("${tmp[@]+"${tmp[@]}"}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
