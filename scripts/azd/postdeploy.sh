#!/usr/bin/env sh
# azd postdeploy: subscribes every Event Grid-sourced blob-triggered function of the deployed package to the
# blob-created events of its container. The subscription's endpoint carries the app's blobs_extension system key,
# which exists only once those functions are deployed: hence here, not in Bicep. Idempotent.
# Needs: az, jq.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
group="${AZURE_RESOURCE_GROUP:?run through azd}"
app="${AZURE_FUNCTION_APP_NAME:?run through azd}"
account="${AZURE_STORAGE_ACCOUNT_NAME:?run through azd}"
topic="${AZURE_EVENT_GRID_SYSTEM_TOPIC_NAME:?run through azd}"
url="${AZURE_FUNCTION_APP_URL:?run through azd}"

key="$(az functionapp keys list --resource-group "$group" --name "$app" --query systemKeys.blobs_extension --output tsv)"
for metadata in "$root"/artifacts/package/*/function.json; do
  container="$(jq -r '.bindings[] | select(.type == "blobTrigger" and .source == "EventGrid") | .path | split("/")[0]' "$metadata")"
  [ -n "$container" ] || continue
  function="$(basename "$(dirname "$metadata")")"
  if [ -z "$key" ]; then
    echo "No blobs_extension key yet: the host has not loaded $function. Run 'azd deploy' again." >&2
    exit 1
  fi
  az storage container-rm create --resource-group "$group" --storage-account "$account" --name "$container" --output none
  az eventgrid system-topic event-subscription create --resource-group "$group" --system-topic-name "$topic" \
    --name "$(echo "$function" | tr '[:upper:]' '[:lower:]')" \
    --endpoint-type webhook \
    --endpoint "$url/runtime/webhooks/blobs?functionName=Host.Functions.$function&code=$key" \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "/blobServices/default/containers/$container/" \
    --output none
  echo "Event Grid: blobs created in $container now trigger $function."
done
