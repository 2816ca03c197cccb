// The Azure deployment as far as it can be checked without an Azure account: infra/main.bicep, its parameters,
// the Agents Toolkit projects (m365agents.yml for Azure, m365agents.local.yml for a dev tunnel), env/ and the
// VS Code debug profile, held to each other and to the bot. No Bicep compiler can be installed here (it comes
// from GitHub or NuGet only), so the template is read as text, in the plain layout it keeps.
// The deploy stage is run for real up to the upload: its npm steps, then the App Service start command on what
// they produce. Checked by hand outside the suite (README "Deploy to Azure"): both .yml files against the
// toolkit's own schema, `atk validate --manifest-file` and `atk package` (the Agents Toolkit CLI cannot be a
// dependency: its keytar module compiles at install, with headers from the internet).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv, promisify } from 'node:util';
import yauzl from 'yauzl';
import YAML from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { type BotProcess, startBotProcess } from '../support/process';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const PLACEHOLDER = /\$\{\{([A-Za-z0-9_]+)\}\}/g;
const placeholders = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);

// ---- main.bicep, read as text ----

interface Param {
  name: string;
  defaultValue?: string;
  allowed?: string[];
}

const bicep = read('infra/main.bicep');

function params(): Param[] {
  const found: Param[] = [];
  let allowed: string[] | undefined;
  for (const line of bicep.split('\n')) {
    const decorator = line.match(/^@allowed\(\[(.*)\]\)$/);
    if (decorator) allowed = [...decorator[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
    const param = line.match(/^param (\w+) \w+(?: = (.+))?$/);
    if (param) {
      found.push({ name: param[1]!, ...(param[2] ? { defaultValue: param[2] } : {}), ...(allowed ? { allowed } : {}) });
      allowed = undefined;
    }
  }
  return found;
}

const outputs = (): string[] => [...bicep.matchAll(/^output (\w+) \w+ = /gm)].map((m) => m[1]!);

/** The body of `resource <name> '<type>' = { … }` or `var <name> = { … }`, up to its closing brace at the start of a line. */
function block(kind: 'resource' | 'var', name: string): string {
  const found = bicep.match(new RegExp(`^${kind} ${name} [^\\n]*\\{\\n([\\s\\S]*?)^\\}`, 'm'));
  if (!found) throw new Error(`main.bicep has no ${kind} ${name}`);
  return found[1]!;
}

/** `KEY: value` lines of a flat object block. */
const entries = (body: string): Record<string, string> => Object.fromEntries([...body.matchAll(/^ {2}(\w+): (.+)$/gm)].map((m) => [m[1]!, m[2]!]));

/** What Azure would put where the template names a property of a resource it creates. */
const CREATED: Record<string, string> = {
  'identity.properties.clientId': '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  'identity.properties.tenantId': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'storage.properties.primaryEndpoints.blob': 'https://popimapdev4x2k.blob.core.windows.net/',
  'insights.properties.ConnectionString':
    'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://japaneast-1.in.applicationinsights.azure.com/',
};

/** The bot's app settings as App Service would hold them, with every parameter at the value env/.env.dev gives it. */
function deployedSettings(): Record<string, string> {
  const given = deployedParams();
  return Object.fromEntries(
    Object.entries(entries(block('var', 'botSettings'))).map(([name, expression]) => {
      const literal = expression.match(/^'(.*)'$/);
      const value = literal ? literal[1] : (given[expression] ?? CREATED[expression]);
      if (value === undefined) throw new Error(`no sample for ${expression} (setting ${name}): add what Azure puts there to CREATED`);
      return [name, value];
    }),
  );
}

// ---- the Agents Toolkit projects and their environments ----

type Action = { uses: string; name?: string; with?: Record<string, any>; writeToEnvironmentFile?: Record<string, string> };
type Project = { version: string; environmentFolderPath: string; provision: Action[]; deploy: Action[] };

const project = (file: string): Project => YAML.parse(read(file));
const environment = (name: string): Record<string, string> => parseEnv(read(`env/.env.${name}`)) as Record<string, string>;

/** `${{NAME}}` in main.parameters.json replaced from env/.env.dev, as `arm/deploy` does; then the template's defaults. */
function deployedParams(): Record<string, string> {
  const dev = environment('dev');
  const file = JSON.parse(read('infra/main.parameters.json').replace(PLACEHOLDER, (_all, name: string) => dev[name] ?? '')) as {
    parameters: Record<string, { value: string }>;
  };
  const defaults = Object.fromEntries(params().flatMap((p) => (p.defaultValue?.startsWith("'") ? [[p.name, p.defaultValue.slice(1, -1)]] : [])));
  return { ...defaults, ...Object.fromEntries(Object.entries(file.parameters).map(([name, { value }]) => [name, value])) };
}

/** The .vscode/tasks.json (JSON with comments) task that starts the dev tunnel, and what it writes to env/.env.local. */
function tunnelWrites(): string[] {
  const tasks = JSON.parse(read('.vscode/tasks.json').replace(/^\s*\/\/.*$/gm, '')) as { tasks: Array<{ command?: string; args?: any }> };
  const tunnel = tasks.tasks.find((t) => t.command === 'debug-start-local-tunnel');
  return Object.values(tunnel?.args.ports[0].writeToEnvironmentFile ?? {}) as string[];
}

/** Variables the toolkit asks for when empty (subscription, resource group) and keeps in the environment file. */
const ASKED_FOR = ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

/**
 * Walks provision then deploy as the toolkit runs them and returns every variable used before anything sets it:
 * a variable is set by the environment file (a value, or one the toolkit asks for), by whatever starts first
 * (the dev tunnel), or by an earlier action (its writeToEnvironmentFile, or for arm/deploy the template's outputs).
 * A file an action reads (the manifest, the template's parameters) counts as part of it.
 */
function usedBeforeSet(file: string, envName: string, setFirst: string[]): string[] {
  const env = environment(envName);
  const set = new Set([...Object.entries(env).flatMap(([k, v]) => (v ? [k] : [])), ...ASKED_FOR.filter((k) => k in env), ...setFirst]);
  const missing: string[] = [];
  const { provision, deploy } = project(file);
  for (const action of [...provision, ...deploy]) {
    const readsFiles = [action.with?.manifestPath, ...(action.with?.templates ?? []).map((t: { parameters?: string }) => t.parameters)].filter(Boolean);
    const text = [JSON.stringify(action.with ?? {}), ...readsFiles.map((f: string) => read(f))].join('\n');
    for (const name of placeholders(text)) if (!set.has(name)) missing.push(`${action.uses}: ${name}`);
    for (const name of Object.values(action.writeToEnvironmentFile ?? {})) set.add(name);
    if (action.uses === 'arm/deploy') for (const name of outputs()) set.add(name);
  }
  return [...new Set(missing)];
}

describe('infra/main.bicep', () => {
  it('sets as app settings only variables the bot reads', () => {
    const unread = Object.keys(entries(block('var', 'botSettings'))).filter((name) => !CONFIG_VARIABLES.includes(name));
    expect(unread).toEqual([]);
  });

  it('gives the bot a configuration it starts with: the managed identity, Blob Storage without a key, App Insights', () => {
    const settings = deployedSettings();
    const config = loadConfig(settings);
    expect(config.identity).toMatchObject({ appType: 'UserAssignedMSI', appId: CREATED['identity.properties.clientId'], tenantId: CREATED['identity.properties.tenantId'] });
    expect(config.identity?.appPassword).toBeUndefined();
    expect(config.store).toMatchObject({ kind: 'blob', container: 'popimap-bot-state' });
    expect(settings).toMatchObject({ STATE_STORE: 'blob', AZURE_CLIENT_ID: CREATED['identity.properties.clientId'] });
    expect(Object.keys(settings).filter((name) => /PASSWORD|SECRET|CONNECTION_STRING$/.test(name) && name !== 'APPLICATIONINSIGHTS_CONNECTION_STRING')).toEqual([]);
  });

  it('registers the Azure Bot as the same managed identity, with Teams on, at the address the bot answers', () => {
    const bot = block('resource', 'bot');
    expect(bot).toContain("msaAppType: 'UserAssignedMSI'");
    expect(bot).toContain('msaAppId: identity.properties.clientId');
    expect(bot).toContain('msaAppMSIResourceId: identity.id');
    expect(bot).toContain('msaAppTenantId: identity.properties.tenantId');
    expect(bot).toContain("endpoint: 'https://${site.properties.defaultHostName}/api/messages'");
    expect(block('resource', 'site')).toContain("userAssignedIdentities: { '${identity.id}': {} }");
    const teams = block('resource', 'teams');
    expect([teams.includes('parent: bot'), teams.includes("channelName: 'MsTeamsChannel'"), teams.includes('isEnabled: true')]).toEqual([true, true, true]);
  });

  it('opens storage to Entra tokens only, and lets the identity (and nothing else) read and write its blobs', () => {
    expect(block('resource', 'storage')).toContain('allowSharedKeyAccess: false');
    expect(block('resource', 'storage')).toContain('allowBlobPublicAccess: false');
    const role = block('resource', 'identityWritesBlobs');
    expect(role).toContain('scope: storage');
    expect(role).toContain('principalId: identity.properties.principalId');
    expect(role).toContain("roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)");
    expect(bicep).toContain("var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'");
    // The container the bot writes to is the one created, and the bot's settings wait for the role and the container.
    expect(entries(block('var', 'botSettings')).AZURE_STORAGE_CONTAINER).toBe('stateContainer');
    expect(block('resource', 'container')).toContain('name: stateContainer');
    expect(block('resource', 'settings')).toContain('dependsOn: [identityWritesBlobs, container]');
  });

  it('takes every parameter main.parameters.json gives, and is given every one it has no default for', () => {
    const file = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> };
    const declared = params();
    expect(Object.keys(file.parameters).filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
    expect(declared.filter((p) => p.defaultValue === undefined && !(p.name in file.parameters)).map((p) => p.name)).toEqual([]);
  });

  it('gets from env/.env.dev a value each parameter allows', () => {
    const given = deployedParams();
    const refused = params().filter((p) => p.allowed && !p.allowed.includes(given[p.name]!));
    expect(refused.map((p) => `${p.name}=${given[p.name]}`)).toEqual([]);
    expect(given.resourceBaseName).toMatch(/^[a-z0-9-]{3,20}$/);
  });
});

describe('the Agents Toolkit projects', () => {
  it.each([
    ['m365agents.yml', 'dev', [] as string[]],
    ['m365agents.local.yml', 'local', tunnelWrites()],
  ])('%s uses no variable before env/.env.%s, the tunnel or an earlier step sets it', (file, envName, setFirst) => {
    expect(usedBeforeSet(file, envName, setFirst)).toEqual([]);
  });

  it('the dev tunnel writes the endpoint the local bot registration points at', () => {
    expect(tunnelWrites().sort()).toEqual(['BOT_DOMAIN', 'BOT_ENDPOINT']);
    const register = project('m365agents.local.yml').provision.find((a) => a.uses === 'botFramework/create')!;
    expect(register.with).toMatchObject({ messagingEndpoint: '${{BOT_ENDPOINT}}/api/messages', channels: [{ name: 'msteams' }] });
  });

  it.each([['m365agents.yml'], ['m365agents.local.yml']])('%s lists no stale name in its environment file, and names the schema it is written to', (file) => {
    const envName = file === 'm365agents.yml' ? 'dev' : 'local';
    const text = read(file);
    const { version, environmentFolderPath } = project(file);
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/${version}/yaml.schema.json`);
    expect(environmentFolderPath).toBe('./env');
    const { provision } = project(file);
    const deploysTemplate = provision.some((a) => a.uses === 'arm/deploy');
    const mentioned = new Set([
      ...placeholders(text + read('manifest/manifest.json') + (deploysTemplate ? read('infra/main.parameters.json') : '')),
      ...(deploysTemplate ? outputs() : []),
      ...provision.flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {})),
    ]);
    const stale = Object.keys(environment(envName)).filter((name) => name !== 'TEAMSFX_ENV' && !mentioned.has(name));
    expect(stale).toEqual([]);
  });

  it('hands the local bot settings it reads, for a single-tenant registration reached on loopback', () => {
    const write = project('m365agents.local.yml').deploy.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')!;
    const envs = write.with!.envs as Record<string, string | number>;
    expect(Object.keys(envs).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
    const sample: Record<string, string> = { BOT_ID: CREATED['identity.properties.clientId']!, SECRET_BOT_PASSWORD: 'a-client-secret', BOT_TENANT_ID: CREATED['identity.properties.tenantId']! };
    const config = loadConfig(Object.fromEntries(Object.entries(envs).map(([k, v]) => [k, String(v).replace(PLACEHOLDER, (_all, name: string) => sample[name]!)])));
    expect(config.identity).toMatchObject({ appType: 'SingleTenant', appPassword: 'a-client-secret' });
    expect(config.host).toBe('127.0.0.1');
    // `npm run start:local` reads exactly the file this step writes.
    expect(JSON.parse(read('package.json')).scripts['start:local']).toContain(`--env-file=${path.normalize(write.with!.target)}`);
  });

  it('builds the Teams app package from the values provision writes, with the toolkit\'s own placeholders', async () => {
    const provisioned = { BOT_ID: CREATED['identity.properties.clientId']!, TEAMS_APP_ID: '7c0d9e8f-1a2b-4c3d-9e4f-5a6b7c8d9e0f', BOT_DOMAIN: 'popimap-dev-4x2k.azurewebsites.net' };
    expect(placeholders(read('manifest/manifest.json')).sort()).toEqual(Object.keys(provisioned).sort());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'infra-package-'));
    try {
      const out = path.join(dir, 'teams-app.zip');
      await run(process.execPath, ['scripts/package-app.mts', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, MicrosoftAppId: provisioned.BOT_ID, TEAMS_APP_ID: provisioned.TEAMS_APP_ID, BOT_DOMAIN: provisioned.BOT_DOMAIN },
      });
      const manifest = JSON.parse(await zipEntry(out, 'manifest.json'));
      expect([manifest.id, manifest.bots[0].botId, manifest.validDomains]).toEqual([provisioned.TEAMS_APP_ID, provisioned.BOT_ID, [provisioned.BOT_DOMAIN]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('atk deploy --env dev, up to the upload', () => {
  let bot: BotProcess | undefined;
  afterAll(() => bot?.stop());

  it('builds a folder that App Service starts with its own command line, without dev dependencies', async () => {
    const deploy = project('m365agents.yml').deploy;
    expect(deploy.map((a) => a.uses)).toEqual(['cli/runNpmCommand', 'cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
    // npm on the Node that runs this test (24), as the toolkit's npm steps run on the admin's Node.
    const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
    for (const step of deploy.slice(0, 3)) {
      await run('npm', [...String(step.with!.args).split(' '), '--prefer-offline'], { cwd: path.join(ROOT, step.with!.workingDirectory ?? '.'), env, maxBuffer: 16 * 1024 * 1024 });
    }
    const upload = deploy[3]!.with!;
    expect(upload.resourceId).toBe('${{AZURE_APP_SERVICE_RESOURCE_ID}}');
    const app = path.join(ROOT, upload.artifactFolder);
    expect(['jest', 'azurite', 'node', 'playwright-core', 'dtrace-provider'].filter((name) => existsSync(path.join(app, 'node_modules', name, 'package.json')))).toEqual([]);
    expect(existsSync(path.join(app, 'src'))).toBe(false);

    const site = block('resource', 'site');
    expect(site).toContain("appCommandLine: 'node dist/index.js'");
    bot = await startBotProcess({}, [], app);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    const probedPath = site.match(/healthCheckPath: '([^']+)'/)![1]!;
    expect((await fetch(`${bot.url}${probedPath}`)).status).toBe(200);
    expect((await fetch(`${bot.url}/api/messages`, { method: 'HEAD' })).status).not.toBe(404);
  }, 600_000);
});

function zipEntry(zip: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      file.on('end', () => reject(new Error(`${name} is not in ${zip}`)));
      file.readEntry();
    });
  });
}
