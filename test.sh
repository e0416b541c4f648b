#!/usr/bin/env bash
# Runs every test. Installs what the tests need first: Azurite from npm, and Chromium from Debian for the browser
# test. Each test fixture starts its own in-memory Azurite on free ports and stops it.
# Extra arguments go to 'dotnet test' (e.g. ./test.sh --filter FullyQualifiedName~Tables).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-azurite.sh
scripts/install-chromium.sh

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test FastTrack.Functions.sln --configuration Release "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line over all test assemblies.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
