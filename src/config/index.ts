// Configuration comes from the environment once, at start, and is checked there: a bot that starts
// with a half-set identity would fail later, on a user's message, where nobody reads the error.
import { z } from 'zod';
import { isLoopbackHost, isLoopbackUrl } from './loopback';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** With STATE_STORE=blob: exactly one way into the account, and a token sent only over TLS (or to Azurite on this machine). */
function blobAccessProblems(connectionString: string | undefined, accountUrl: string | undefined): string[] {
  if (!connectionString && !accountUrl) {
    return [
      'or AZURE_STORAGE_CONNECTION_STRING is required with STATE_STORE=blob: the account URL (https://<account>.blob.core.windows.net) to sign in with the bot\'s managed identity, or the connection string',
    ];
  }
  if (connectionString && accountUrl) {
    return ['and AZURE_STORAGE_CONNECTION_STRING are both set: set only one (the account URL to sign in with a managed identity, the connection string to use the account key or Azurite)'];
  }
  if (accountUrl && /^http:/i.test(accountUrl) && !isLoopbackUrl(accountUrl)) {
    return ['must be an https:// URL: the bot sends its access token with every request'];
  }
  return [];
}

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: optionalText,
    // botbuilder's own name for it: where the keys that sign channel tokens are published.
    BotOpenIdMetadata: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    ALLOW_UNAUTHENTICATED_REMOTE: z.enum(['true', 'false']).default('false'),
    STATE_STORE: z.enum(['sqlite', 'blob']).default('sqlite'),
    STATE_DB_PATH: z.string().trim().min(1).default('./data/state.sqlite'),
    AZURE_STORAGE_CONNECTION_STRING: optionalText,
    // https://<account>.blob.core.windows.net: the bot signs in with Microsoft Entra ID (a managed identity) instead of a key.
    AZURE_STORAGE_ACCOUNT_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    // Read by @azure/identity itself (which user-assigned identity signs in); checked here so that a mistyped id
    // stops the bot at start, not at its first token request.
    AZURE_CLIENT_ID: optionalText.pipe(z.guid('must be the client id (a GUID) of the user-assigned managed identity').optional()),
    AZURE_STORAGE_CONTAINER: z
      .string()
      .trim()
      .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid container name (3-63 lower-case letters, digits, single hyphens)')
      .default('popimap-bot-state'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAX_BODY_KB: z.coerce.number().int().min(16).max(4096).default(256),
    HELPDESK_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    HELPDESK_WEBHOOK_SECRET: optionalText,
    HELPDESK_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(55_000).default(30_000),
    HELPDESK_CHANNEL_CONVERSATION_ID: optionalText,
    HELPDESK_CHANNEL_SERVICE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    HELPDESK_CHANNEL_TENANT_ID: optionalText,
    HELPDESK_LANGUAGE: z.enum(['en', 'ja']).default('en'),
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
    OUTBOX_FIRST_RETRY_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
    PROBE_ALLOW: optionalText,
    PROBE_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
    PROBE_CA_FILE: optionalText,
    OUTBOX_MAX_RETRY_MS: z.coerce.number().int().min(10).max(86_400_000).default(600_000),
    OUTBOX_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(6_000),
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    OUTBOX_LATE_AFTER_MS: z.coerce.number().int().min(1000).max(7 * 86_400_000).default(900_000),
    BOT_SDK: z
      .enum(['botbuilder', 'agents'], {
        error: 'must be "botbuilder" (Bot Framework SDK 4.23, the default) or "agents" (Microsoft 365 Agents SDK, its successor)',
      })
      .default('botbuilder'),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
    // OpenTelemetry's own name for it; its SDK leaves reading it to whoever builds the reader.
    OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    INSIGHTS: z.enum(['on', 'off'], { error: 'must be "on" (keep each case\'s counts for the help-desk lead\'s report) or "off" (keep none)' }).default('on'),
  })
  .superRefine((env, ctx) => {
    if (env.STATE_STORE === 'blob') {
      for (const message of blobAccessProblems(env.AZURE_STORAGE_CONNECTION_STRING, env.AZURE_STORAGE_ACCOUNT_URL)) {
        ctx.addIssue({ code: 'custom', path: ['AZURE_STORAGE_ACCOUNT_URL'], message });
      }
    }
    if (Boolean(env.HELPDESK_CHANNEL_CONVERSATION_ID) !== Boolean(env.HELPDESK_CHANNEL_SERVICE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HELPDESK_CHANNEL_SERVICE_URL'],
        message: 'and HELPDESK_CHANNEL_CONVERSATION_ID go together: set both (from the channel), or neither',
      });
    }
    if (!env.MicrosoftAppId) {
      if (env.HOST && !isLoopbackHost(env.HOST) && env.ALLOW_UNAUTHENTICATED_REMOTE !== 'true') {
        ctx.addIssue({
          code: 'custom',
          path: ['HOST'],
          message:
            'is not loopback, but without MicrosoftAppId the bot checks no token, so anyone who reaches it could drive it: set the app credentials, or HOST=127.0.0.1, or ALLOW_UNAUTHENTICATED_REMOTE=true to accept that',
        });
      }
      return;
    }
    if (env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is required when MicrosoftAppType is ${env.MicrosoftAppType}: set it to your Microsoft Entra tenant id`,
      });
    }
    if (env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'is required with MicrosoftAppId: set it to the client secret of the bot registration',
      });
    }
  });

/** Every environment variable the bot reads: a deployment that sets another name sets nothing. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface BotIdentity {
  appId: string;
  appPassword?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  tenantId?: string;
  /** Where the Bot Framework publishes the keys its tokens are signed with, when not the public cloud's. */
  openIdMetadataUrl?: string;
}

export interface HelpdeskConfig {
  webhook?: { url: string; secret?: string; timeoutMs: number };
  channel?: { conversationId: string; serviceUrl: string; tenantId?: string };
  language: 'en' | 'ja';
  outbox: { intervalMs: number; firstDelayMs: number; maxDelayMs: number; leaseMs: number; concurrency: number; lateAfterMs: number };
}

/** How the bot reaches its storage account: with the account's connection string, or as itself (Microsoft Entra ID). */
export type BlobAccess = { connectionString: string } | { accountUrl: string };

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'blob'; access: BlobAccess; container: string };

/** Where telemetry goes; neither set means none is collected and the OpenTelemetry SDK is never loaded. */
export interface TelemetryConfig {
  otlpEndpoint?: string;
  applicationInsightsConnectionString?: string;
  metricIntervalMs: number;
}

export interface ProbeConfig {
  /** Exactly the host:port pairs the live probe may reach; empty means the probe is off. */
  allow: string;
  timeoutMs: number;
  caFile?: string;
}

export interface Config {
  port: number;
  host: string;
  /**
   * Absent on a developer's machine: the bot then accepts unauthenticated requests, listens on loopback
   * (unless ALLOW_UNAUTHENTICATED_REMOTE) and replies only to a loopback serviceUrl.
   */
  identity?: BotIdentity;
  store: StoreConfig;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  maxBodyBytes: number;
  helpdesk: HelpdeskConfig;
  probe: ProbeConfig;
  telemetry: TelemetryConfig;
  /** Whether each case's facts are kept for the help-desk lead's report: an organisation may want no counts kept. */
  insights: boolean;
  botSdk: BotSdk;
}

/** Which SDK carries the Bot Framework protocol: the bot itself is the same on either. */
export type BotSdk = 'botbuilder' | 'agents';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot's configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee "Configuration" in README.md.`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`));
  }
  const e = parsed.data;
  const identity: BotIdentity | undefined = e.MicrosoftAppId
    ? {
        appId: e.MicrosoftAppId,
        appPassword: e.MicrosoftAppPassword,
        appType: e.MicrosoftAppType,
        tenantId: e.MicrosoftAppTenantId,
        ...(e.BotOpenIdMetadata ? { openIdMetadataUrl: e.BotOpenIdMetadata } : {}),
      }
    : undefined;
  return {
    port: e.PORT,
    host: e.HOST ?? (identity ? '0.0.0.0' : '127.0.0.1'),
    identity,
    store:
      e.STATE_STORE === 'blob'
        ? {
            kind: 'blob',
            access: e.AZURE_STORAGE_ACCOUNT_URL ? { accountUrl: e.AZURE_STORAGE_ACCOUNT_URL } : { connectionString: e.AZURE_STORAGE_CONNECTION_STRING! },
            container: e.AZURE_STORAGE_CONTAINER,
          }
        : { kind: 'sqlite', path: e.STATE_DB_PATH },
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_KB * 1024,
    helpdesk: {
      ...(e.HELPDESK_WEBHOOK_URL ? { webhook: { url: e.HELPDESK_WEBHOOK_URL, secret: e.HELPDESK_WEBHOOK_SECRET, timeoutMs: e.HELPDESK_WEBHOOK_TIMEOUT_MS } } : {}),
      ...(e.HELPDESK_CHANNEL_CONVERSATION_ID && e.HELPDESK_CHANNEL_SERVICE_URL
        ? {
            channel: {
              conversationId: e.HELPDESK_CHANNEL_CONVERSATION_ID,
              serviceUrl: e.HELPDESK_CHANNEL_SERVICE_URL,
              tenantId: e.HELPDESK_CHANNEL_TENANT_ID,
            },
          }
        : {}),
      language: e.HELPDESK_LANGUAGE,
      outbox: {
        intervalMs: e.OUTBOX_INTERVAL_MS,
        firstDelayMs: e.OUTBOX_FIRST_RETRY_MS,
        maxDelayMs: e.OUTBOX_MAX_RETRY_MS,
        leaseMs: e.OUTBOX_LEASE_MS,
        concurrency: e.OUTBOX_CONCURRENCY,
        lateAfterMs: e.OUTBOX_LATE_AFTER_MS,
      },
    },
    probe: { allow: e.PROBE_ALLOW ?? '', timeoutMs: e.PROBE_TIMEOUT_MS, ...(e.PROBE_CA_FILE ? { caFile: e.PROBE_CA_FILE } : {}) },
    telemetry: {
      ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
      ...(e.APPLICATIONINSIGHTS_CONNECTION_STRING ? { applicationInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING } : {}),
      metricIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL,
    },
    insights: e.INSIGHTS === 'on',
    botSdk: e.BOT_SDK,
  };
}
