// Everything FastTrack Functions runs on, in one resource group. The app reaches Storage, Key Vault, Service Bus and
// Application Insights with one user-assigned managed identity; Storage and Service Bus accept no keys at all.
param location string
param tags object
param resourceToken string
param abbrs object
param principalId string
param senderMailbox string
param processingTeamMailbox string

// The Storage container the Flex Consumption plan deploys the package from.
var deploymentContainerName = 'app-package-${resourceToken}'
// The topic integration events go to: the Service Bus output binding of function IntegrationEventDispatch
// (src/FastTrack.Functions/Referrals/IntegrationEvents.cs, TopicName).
var eventsTopicName = 'referral-events'
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${abbrs.storageStorageAccounts}${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }
  }
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${abbrs.insightsComponents}${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry only with Entra ID (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), not the connection string alone.
    DisableLocalAuth: true
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${abbrs.keyVaultVaults}${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: '${abbrs.serviceBusNamespaces}${resourceToken}'
  location: location
  tags: tags
  // Topics need Standard or above.
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }

  resource eventsTopic 'topics' = {
    name: eventsTopicName
  }
}

// Blob-created events for the blob-triggered functions: Flex Consumption has no polling blob trigger. The event
// subscriptions need the function app's blobs_extension key, which exists only once the functions are deployed, so the
// azd postdeploy hook (scripts/azd/postdeploy.sh) creates one per blob-triggered function of the package.
resource storageEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: '${abbrs.eventGridSystemTopics}${resourceToken}'
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
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
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      // A custom handler: host.json starts our self-contained linux-x64 executable.
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
  dependsOn: [
    rbac
  ]

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // app settings: begin (tests/FastTrack.Functions.Tests/Deploy/SettingsTests.cs reads the names between these lines)
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      ServiceBusConnection__fullyQualifiedNamespace: '${serviceBus.name}.servicebus.windows.net'
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identity.properties.clientId
      Events__Transport: 'ServiceBusBinding'
      Auth__IntakeKey: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=auth-intake-key)'
      Auth__OperationsKey: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=auth-operations-key)'
      Auth__OfferDeskKey: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=auth-offerdesk-key)'
      // Rotation adds Links__SigningKeys__k2 next to k1, then switches Links__ActiveKeyId (README "Links").
      Links__SigningKeys__k1: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=links-signing-key-k1)'
      Links__ActiveKeyId: 'k1'
      Links__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
      Links__RespondGracePeriod: '1.00:00:00'
      Links__EngagementLinkLifetime: '180.00:00:00'
      Links__VoucherLinkLifetime: '181.00:00:00'
      Mail__SenderMailbox: senderMailbox
      Mail__ProcessingTeamMailbox: processingTeamMailbox
      Mail__ManagedIdentityClientId: identity.properties.clientId
      Vouchers__SowTemplateIds: 'SOW-2023'
      Vouchers__PoeTemplateIds: 'POE-2023'
      Vouchers__MaxDocumentBytes: '20971520'
      Vouchers__OfferDeskTimeZone: 'UTC'
      Vouchers__OfferDeskCountry: ''
      // app settings: end
    }
  }
}

module rbac 'rbac.bicep' = {
  name: 'rbac'
  params: {
    identityPrincipalId: identity.properties.principalId
    principalId: principalId
    storageAccountName: storage.name
    keyVaultName: keyVault.name
    serviceBusName: serviceBus.name
    eventsTopicName: eventsTopicName
    appInsightsName: appInsights.name
  }
}

output functionAppName string = functionApp.name
output functionAppUrl string = 'https://${functionApp.properties.defaultHostName}'
output keyVaultName string = keyVault.name
output storageAccountName string = storage.name
output eventGridSystemTopicName string = storageEvents.name
output identityClientId string = identity.properties.clientId
