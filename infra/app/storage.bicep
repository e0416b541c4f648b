// The app's one storage account. It is AzureWebJobsStorage: the Functions host's own state (keys, leases, timer
// schedules), the Durable task hub (Durable's Azure Storage provider uses tables, queues and blobs), the app's own
// tables, documents and queues, and the package Flex Consumption deploys from. Entra ID only: with shared keys off no
// account key or SAS can reach it, so none can leak from an app setting.
param name string
param location string
param tags object

@description('The container Flex Consumption deploys the package from (functionAppConfig.deployment).')
param deploymentContainerName string

@description('The container the blob-triggered function RedemptionDrop watches.')
param redemptionsInboxContainerName string

param eventGridSystemTopicName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    // The portal's storage browser then signs in with Entra ID rather than asking for a key it cannot have.
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }

    // Declared here, not left to the app, so that the offer desk can drop documents before the app first runs and the
    // Event Grid subscription (azd postdeploy hook) filters on a container that exists.
    resource redemptionsInbox 'containers' = {
      name: redemptionsInboxContainerName
    }
  }
}

// Blob-created events for the blob-triggered function: Flex Consumption has no polling blob trigger, only the Event
// Grid-sourced one. The subscription itself needs the function app's blobs_extension system key, which exists only
// once the function is deployed and the host has started, so the azd postdeploy hook (scripts/azd/postdeploy.sh)
// creates it, not this template.
resource storageEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: eventGridSystemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = storage.name
output eventGridSystemTopicName string = storageEvents.name
