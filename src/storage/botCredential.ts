// The bot's own Microsoft Entra ID identity, for a storage account reached by its URL rather than its key.
// DefaultAzureCredential finds the managed identity on Azure (a user-assigned one named by AZURE_CLIENT_ID)
// and a developer's `az login` elsewhere; AZURE_TOKEN_CREDENTIALS narrows the chain in production.
// @azure/identity (MSAL and eight credentials) is loaded at the first token request, not with the store: the
// Agents SDK transport does not load it, so there a bot on SQLite or a connection string never does.
import type { TokenCredential } from '@azure/identity';

export function botCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    getToken: async (scopes, options) => {
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}
