// Everything FastTrack Functions runs on, in one resource group: a Flex Consumption Function App running the
// isolated-worker .NET app (src/FastTrack.Functions) with Durable Functions on the Azure Storage provider, and what it
// uses. The app reaches Storage, Key Vault, Service Bus and Application Insights with one user-assigned managed
// identity; Storage and Service Bus accept no keys at all.
param location string
param tags object
param resourceToken string
param abbrs object
param principalId string
param senderMailbox string
param processingTeamMailbox string

var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var serviceBusName = '${abbrs.serviceBusNamespaces}${resourceToken}'
var appInsightsName = '${abbrs.insightsComponents}${resourceToken}'
// The container Flex Consumption deploys the package from.
var deploymentContainerName = 'app-package-${resourceToken}'
// The blob drop of function RedemptionDrop (src/FastTrack.Functions, its BlobTrigger's path).
var redemptionsInboxContainerName = 'redemptions-inbox'
// The topic the app sends integration events to (README "Integration events").
var eventsTopicName = 'referral-events'
// The Durable task hub: its tables are <hub>Instances and <hub>History, its queues <hub>-control-NN and
// <hub>-workitems. Each environment has its own storage account, so one fixed name is enough. Never rename it while
// orchestrations run: the new hub starts empty and the old instances stop.
var taskHubName = 'fasttrack'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  location: location
  tags: tags
}

module storage 'storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    redemptionsInboxContainerName: redemptionsInboxContainerName
    eventGridSystemTopicName: '${abbrs.eventGridSystemTopics}${resourceToken}'
  }
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: appInsightsName
    location: location
    tags: tags
  }
}

module messaging 'messaging.bicep' = {
  name: 'messaging'
  params: {
    name: serviceBusName
    location: location
    tags: tags
    eventsTopicName: eventsTopicName
  }
}

module secrets 'keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
  }
}

module rbac 'rbac.bicep' = {
  name: 'rbac'
  params: {
    identityPrincipalId: identity.properties.principalId
    principalId: principalId
    storageAccountName: storage.outputs.name
    keyVaultName: secrets.outputs.name
    serviceBusName: messaging.outputs.name
    eventsTopicName: messaging.outputs.eventsTopicName
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

// Created by the modules above; read here for the endpoints and the connection string the app settings carry.
resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${abbrs.webServerFarms}${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  // azd deploys service 'api' (azure.yaml) to the app carrying this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
        // Microsoft's guidance for Durable Functions on Flex Consumption: one always-ready instance for the 'durable'
        // group (orchestrators, activities, entities), so that a partner's response or a due timer is picked up by a
        // warm instance instead of waiting for the scale controller and a cold start. It is billed while allocated,
        // even when idle; HTTP, timers and the blob drop still scale from zero (README "Deploy").
        alwaysReady: [
          {
            name: 'durable'
            instanceCount: 1
          }
        ]
      }
      // The isolated worker on .NET 10. Flex Consumption takes the runtime here; it rejects
      // FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION as app settings.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  dependsOn: [
    // Read above through 'existing' references, which carry no dependency of their own.
    storage
    monitoring
    // The identity must hold its data roles before the host first starts, or it fails to reach its own storage.
    rbac
  ]

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // app settings: begin (tests/FastTrack.Functions.Tests/Deploy/SettingsTests.cs reads the names between these lines)
      // Host, Durable task hub and app storage, all as the identity: blob, queue and table, because Durable's Azure
      // Storage provider uses all three.
      AzureWebJobsStorage__blobServiceUri: storageAccount.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storageAccount.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storageAccount.properties.primaryEndpoints.table
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      // The connection string only says where telemetry goes (no secret); the identity authorizes it.
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      Durable__TaskHubName: taskHubName
      Events__Transport: 'ServiceBus'
      Events__ServiceBusNamespace: '${serviceBusName}.servicebus.windows.net'
      Events__ManagedIdentityClientId: identity.properties.clientId
      Auth__IntakeKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=auth-intake-key)'
      Auth__OperationsKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=auth-operations-key)'
      Auth__OfferDeskKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=auth-offerdesk-key)'
      // Rotation adds Links__SigningKeys__k2 next to k1, then switches Links__ActiveKeyId (README "Links").
      Links__SigningKeys__k1: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=links-signing-key-k1)'
      Links__ActiveKeyId: 'k1'
      Links__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
      Links__RespondGracePeriod: '1.00:00:00'
      Links__EngagementLinkLifetime: '180.00:00:00'
      Links__VoucherLinkLifetime: '181.00:00:00'
      Links__ListLinkLifetime: '30.00:00:00'
      Mail__SenderMailbox: senderMailbox
      Mail__ProcessingTeamMailbox: processingTeamMailbox
      Mail__ManagedIdentityClientId: identity.properties.clientId
      Vouchers__SowTemplateIds: 'SOW-2023'
      Vouchers__PoeTemplateIds: 'POE-2023'
      Vouchers__MaxDocumentBytes: '20971520'
      Vouchers__OfferDeskTimeZone: 'UTC'
      Vouchers__OfferDeskCountry: ''
      // Timer schedules (six-field CRON, UTC), read by the timer triggers as %Section:Setting%.
      Vouchers__SweepSchedule: '0 0 * * * *'
      Privacy__SweepSchedule: '0 0 * * * *'
      Referrals__IndexBackfillSchedule: '0 */5 * * * *'
      Health__HeartbeatSchedule: '0 */5 * * * *'
      // app settings: end
    }
  }
}

output functionAppName string = functionApp.name
output functionAppUrl string = 'https://${functionApp.properties.defaultHostName}'
output keyVaultName string = secrets.outputs.name
output storageAccountName string = storage.outputs.name
output eventGridSystemTopicName string = storage.outputs.eventGridSystemTopicName
output redemptionsInboxContainerName string = redemptionsInboxContainerName
output taskHubName string = taskHubName
output identityClientId string = identity.properties.clientId
