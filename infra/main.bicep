// FastTrack Functions on Azure: one resource group with a Flex Consumption Function App that runs the isolated-worker
// .NET app with Durable Functions, and what it uses (app/resources.bicep). No secret is a parameter or a value here:
// the role keys and the link-signing key are generated into Key Vault by the azd postprovision hook
// (scripts/azd/postprovision.sh) and read through Key Vault references.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource. It must offer the Flex Consumption plan.')
param location string

@description('Object id of the user running azd (AZURE_PRINCIPAL_ID): may write the Key Vault secrets. Empty: nobody.')
param principalId string = ''

@description('The mailbox (UPN or id) mail is sent as (Mail__SenderMailbox).')
param senderMailbox string

@description('Where escalations go (Mail__ProcessingTeamMailbox).')
param processingTeamMailbox string

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module resources 'app/resources.bicep' = {
  name: 'resources'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    abbrs: abbrs
    principalId: principalId
    senderMailbox: senderMailbox
    processingTeamMailbox: processingTeamMailbox
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_FUNCTION_APP_URL string = resources.outputs.functionAppUrl
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_EVENT_GRID_SYSTEM_TOPIC_NAME string = resources.outputs.eventGridSystemTopicName
output AZURE_REDEMPTIONS_INBOX_CONTAINER_NAME string = resources.outputs.redemptionsInboxContainerName
output AZURE_DURABLE_TASK_HUB_NAME string = resources.outputs.taskHubName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.identityClientId
