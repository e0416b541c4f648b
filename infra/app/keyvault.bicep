// The app's secrets: the role keys and the link-signing keys. The template creates only the vault: the azd
// postprovision hook (scripts/azd/postprovision.sh) generates each secret into it, and the app reads them through Key
// Vault references, so no secret is ever a template value, a parameter or an azd environment value.
param name string
param location string
param tags object

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    // Access by Azure RBAC roles (rbac.bicep), not by vault access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    // Short, and no purge protection, so that 'azd down --purge' can remove the vault and its secrets at once.
    softDeleteRetentionInDays: 7
  }
}

output name string = keyVault.name
