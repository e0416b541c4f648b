#!/usr/bin/env sh
# azd postdeploy: subscribes the Event Grid-sourced blob trigger RedemptionDrop to the blob-created events of its
# container. The subscription's endpoint is the blobs extension's webhook, which takes the app's blobs_extension system
# key; the host creates that key only once it has loaded the function, so this runs after the deployment, not in
# Bicep. Idempotent: run it again (or 'azd deploy') if the host was not up yet.
# Needs: az, curl.
set -eu
group="${AZURE_RESOURCE_GROUP:?run through azd}"
app="${AZURE_FUNCTION_APP_NAME:?run through azd}"
topic="${AZURE_EVENT_GRID_SYSTEM_TOPIC_NAME:?run through azd}"
url="${AZURE_FUNCTION_APP_URL:?run through azd}"
# Declared in infra/app/resources.bicep; the function's BlobTrigger path in src/FastTrack.Functions names the same.
container="${AZURE_REDEMPTIONS_INBOX_CONTAINER_NAME:?run through azd}"
function=RedemptionDrop

# A fresh Flex Consumption app may be scaled to zero: a request starts the host, which loads the functions and creates
# the key. Any answer will do.
curl --silent --output /dev/null --max-time 120 "$url/api/health" || true
key=""
for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do
  key="$(az functionapp keys list --resource-group "$group" --name "$app" --query systemKeys.blobs_extension --output tsv)" || key=""
  [ -n "$key" ] && break
  echo "No blobs_extension key yet (attempt $attempt of 12): waiting for the host to load $function." >&2
  sleep 10
done
if [ -z "$key" ]; then
  echo "The host never created the blobs_extension key: is $function deployed? Check the app's logs, then run 'azd deploy' again." >&2
  exit 1
fi

# Event Grid validates the endpoint when the subscription is created; the blobs extension answers the handshake itself.
az eventgrid system-topic event-subscription create --resource-group "$group" --system-topic-name "$topic" \
  --name "$(echo "$function" | tr '[:upper:]' '[:lower:]')" \
  --endpoint-type webhook \
  --endpoint "$url/runtime/webhooks/blobs?functionName=Host.Functions.$function&code=$key" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$container/" \
  --output none
echo "Event Grid: blobs created in $container now trigger $function."
