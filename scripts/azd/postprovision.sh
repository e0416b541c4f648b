#!/usr/bin/env sh
# azd postprovision: generates the app's secrets straight into Key Vault, each only if it is not there yet, so they
# never appear in a template, a parameter file or azd's environment. The app reads them through Key Vault references.
# Needs: az (logged in as the user azd provisioned with: it holds Key Vault Secrets Officer) and openssl.
set -eu
vault="${AZURE_KEY_VAULT_NAME:?run through azd, which sets AZURE_KEY_VAULT_NAME}"

for secret in auth-intake-key auth-operations-key auth-offerdesk-key links-signing-key-k1; do
  if az keyvault secret show --vault-name "$vault" --name "$secret" --query id --output none 2>/dev/null; then
    echo "Key Vault $vault: $secret exists, kept."
  else
    # 32 random bytes, base64: a role key, or an HMAC-SHA256 link-signing key (at least 32 bytes).
    openssl rand -base64 32 | tr -d '\n' |
      az keyvault secret set --vault-name "$vault" --name "$secret" --file /dev/stdin --output none
    echo "Key Vault $vault: $secret generated."
  fi
done
