#!/usr/bin/env bash
# Runs FastTrack Functions locally: Azurite on loopback (data kept in .azurite/, so a restart keeps state) and the app
# on http://localhost:7071 in Development. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")"
root="$(pwd)"
url="http://localhost:7071"

for port in 10000 10001 10002 7071; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use; stop whatever listens there (another ./run.sh or Azurite?) and retry." >&2
    exit 1
  fi
done

# Build while Azurite installs: both take a while on a fresh clone.
echo "Building the dev host..."
dotnet build src/FastTrack.DevHost --configuration Release --nologo --verbosity quiet &
build_pid=$!
scripts/install-azurite.sh
wait "$build_pid" || { echo "The build failed." >&2; exit 1; }

pids=()
# Background jobs of a script ignore SIGINT, so Ctrl+C reaches only this script: it stops both with SIGTERM,
# gives them 10 seconds to finish cleanly, then ends whatever is left.
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  exit "${1:-0}"
}
trap stop INT TERM
trap 'stop $?' EXIT

mkdir -p .azurite
tools/azurite/node_modules/.bin/azurite --location "$root/.azurite" --silent --loose --skipApiVersionCheck --disableTelemetry \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
pids+=($!)

ASPNETCORE_ENVIRONMENT=Development dotnet src/FastTrack.DevHost/bin/Release/net10.0/FastTrack.DevHost.dll \
  --urls "$url" &
pids+=($!)

for _ in $(seq 1 120); do
  if curl -fsS "$url/api/health" >/dev/null 2>&1; then
    break
  fi
  sleep 0.5
done
curl -fsS "$url/api/health" >/dev/null || { echo "The app did not become healthy; see the log above." >&2; exit 1; }
echo "Healthy after ${SECONDS}s."

cat <<MSG

FastTrack Functions is running (Development, storage in Azurite, data in .azurite/):
  $url/                  index page
  $url/api/health        health
  $url/openapi/v1.json   API description
Keys are in local.settings.sample.json (copy it to local.settings.json to change them). Ctrl+C stops.
MSG
# Runs until Ctrl+C, or until either process ends by itself (then the other is stopped too).
wait -n "${pids[@]}"
