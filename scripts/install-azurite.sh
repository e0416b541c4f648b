#!/usr/bin/env bash
# Installs the Azurite version pinned by tools/azurite/package-lock.json, unless it is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
azurite="$root/tools/azurite"
stamp="$azurite/node_modules/.package-lock.json"
if [ ! -x "$azurite/node_modules/.bin/azurite" ] || [ "$azurite/package-lock.json" -nt "$stamp" ]; then
  echo "Installing Azurite from npm (pinned in tools/azurite/package-lock.json)..."
  npm ci --prefix "$azurite" --no-audit --no-fund --loglevel=error
fi
