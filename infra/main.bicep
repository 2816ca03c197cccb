// One environment of the POP3/IMAP4 troubleshooting bot: the bot's code on App Service (Linux, Node), a
// user-assigned managed identity that is both the bot's identity towards Bot Framework and its identity
// towards storage, the Azure Bot resource with the Teams channel, a storage account that takes no shared
// keys, and Application Insights. No secret exists anywhere: the identity has no password to leak.
// `atk provision --env dev` deploys it with main.parameters.json; README "Deploy to Azure" lists the parameters.

@description('Prefix of every resource name: 3 to 20 lower-case letters, digits or hyphens. A hash of the resource group is appended where Azure wants a globally unique name.')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Region of everything except the Azure Bot resource, which is global.')
param location string = resourceGroup().location

@description('App Service plan size. B1 is the smallest with Always On, which keeps the escalation outbox running between messages.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3'])
param appServiceSku string = 'B1'

@description('Node.js LTS line App Service runs the bot on.')
@allowed(['24-lts', '22-lts'])
param nodeVersion string = '24-lts'

@description('The bot\'s name in Teams search and in the Azure portal.')
@maxLength(42)
param botDisplayName string = 'POP-IMAP Troubleshooter'

@description('Azure Bot pricing tier: F0 is free for Teams messages, S1 is the paid tier with an SLA.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Blob container the bot keeps conversations, escalations and case facts in.')
@minLength(3)
@maxLength(63)
param stateContainer string = 'popimap-bot-state'

@description('Language of the card posted to the help-desk channel.')
@allowed(['en', 'ja'])
param helpdeskLanguage string = 'en'

@description('Least severe log level written.')
@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
param logLevel string = 'info'

@description('Days Log Analytics keeps the bot\'s logs and Application Insights telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var uniqueSuffix = uniqueString(resourceGroup().id, resourceBaseName)
var siteName = '${resourceBaseName}-${uniqueSuffix}'
var storageAccountName = take('${replace(resourceBaseName, '-', '')}${uniqueSuffix}', 24)
// Storage Blob Data Contributor: read, write, delete and list blobs and containers, and nothing on the account itself.
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    // Only Microsoft Entra tokens open it: there is no account key or SAS that could leak.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: stateContainer
  properties: { publicAccess: 'None' }
}

resource identityWritesBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, blobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|${nodeVersion}'
      appCommandLine: 'node dist/index.js'
      alwaysOn: true
      healthCheckPath: '/readyz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

// What the bot reads (src/config): test/deploy/infra.test.ts holds each name to the list the bot's configuration exports.
var botSettings = {
  MicrosoftAppType: 'UserAssignedMSI'
  MicrosoftAppId: identity.properties.clientId
  MicrosoftAppTenantId: identity.properties.tenantId
  AZURE_CLIENT_ID: identity.properties.clientId
  STATE_STORE: 'blob'
  AZURE_STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  AZURE_STORAGE_CONTAINER: stateContainer
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  HELPDESK_LANGUAGE: helpdeskLanguage
  LOG_LEVEL: logLevel
}

// What App Service itself reads: run the uploaded zip as it is, with no build on the server (`atk deploy` uploads
// the built bot with its production dependencies).
var platformSettings = {
  WEBSITE_RUN_FROM_PACKAGE: '1'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
}

resource settings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union(platformSettings, botSettings)
  // The bot stops at start on a store it cannot write: its identity must hold the role before it first starts.
  dependsOn: [identityWritesBlobs, container]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: siteName
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

// Agents Toolkit writes each output into env/.env.<environment> under the same name.
output AZURE_APP_SERVICE_RESOURCE_ID string = site.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = site.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${site.properties.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.blob
output APPLICATION_INSIGHTS_NAME string = insights.name
