// Builds the Teams app package: `npm run package`, or `npm run package -- --out <file.zip> --manifest-dir <dir>` to
// write elsewhere or package another copy of manifest/.
//
// Reads   MicrosoftAppId  the bot registration's application (client) id, a GUID: fills ${{BOT_ID}} (required)
//         TEAMS_APP_ID    the Teams app id, a GUID: fills ${{TEAMS_APP_ID}} (optional; defaults to MicrosoftAppId)
//         BOT_DOMAIN      the bot's host name: fills ${{BOT_DOMAIN}} in validDomains (optional; left out otherwise)
// Checks  manifest.json with the ids filled in, through @microsoft/app-manifest against the schema it bundles for the
//         manifest's version, and ja.json against the bundled localization schema of that version: no network.
// Writes  dist/teams-app.zip (or --out): manifest.json (filled), ja.json, color.png and outline.png at the root.
//
// Runs on Node 24's type stripping, so it is one file of erasable TypeScript and imports no other .ts file.
import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppManifestUtils } from '@microsoft/app-manifest';
import Ajv from 'ajv';
import yazl from 'yazl';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const root = path.resolve(path.dirname(process.argv[1]!), '..');
const FILES = ['manifest.json', 'ja.json', 'color.png', 'outline.png'] as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function paths(): { output: string; manifestDir: string } {
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' }, 'manifest-dir': { type: 'string' } } });
    return {
      output: path.resolve(values.out ?? path.join(root, 'dist', 'teams-app.zip')),
      manifestDir: path.resolve(values['manifest-dir'] ?? path.join(root, 'manifest')),
    };
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}. Usage: npm run package [-- --out <file.zip>] [--manifest-dir <dir>]`);
  }
}
const { output, manifestDir } = paths();

const botId = process.env.MicrosoftAppId?.trim() ?? '';
const appId = process.env.TEAMS_APP_ID?.trim() || botId;
const domain = process.env.BOT_DOMAIN?.trim() ?? '';
if (!botId) fail('MicrosoftAppId is not set. Set MicrosoftAppId to the bot registration\'s application (client) id, a GUID, e.g. MicrosoftAppId=<guid> npm run package.');
if (!GUID.test(botId)) fail(`MicrosoftAppId is not a GUID ("${botId}"). Set MicrosoftAppId to the bot registration's application (client) id, e.g. 0b4e1f3a-5c6d-4e7f-8a9b-0c1d2e3f4a5b.`);
if (!GUID.test(appId)) fail(`TEAMS_APP_ID is not a GUID ("${appId}"). Set TEAMS_APP_ID to a GUID, or leave it unset to use MicrosoftAppId.`);
if (domain && !HOST.test(domain)) fail(`BOT_DOMAIN must be a host name such as bot.contoso.com, without scheme or path ("${domain}").`);

// The placeholders are the Agents Toolkit's own (`${{NAME}}`), so `atk provision` packages the same manifest.
const values: Record<string, string> = { TEAMS_APP_ID: appId, BOT_ID: botId, BOT_DOMAIN: domain };
const template = readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8');
const manifest = JSON.parse(template.replace(/\$\{\{(TEAMS_APP_ID|BOT_ID|BOT_DOMAIN)\}\}/g, (_all, name: string) => values[name]!));
// Without BOT_DOMAIN the bot's domain is left out, rather than listed empty.
manifest.validDomains = (manifest.validDomains ?? []).filter(Boolean);
const leftOver = JSON.stringify(manifest).match(/\$\{\{[^}]*\}\}/g);
if (leftOver) fail(`manifest/manifest.json has placeholders this script does not fill: ${[...new Set(leftOver)].join(', ')}.`);
const localization = JSON.parse(readFileSync(path.join(manifestDir, 'ja.json'), 'utf8'));

/**
 * ja.json against the bundled localization schema of the manifest's version. The library cannot check this
 * file itself: its Ajv compiles patterns in Unicode mode, and this schema's patterns are not valid there
 * ("Lone quantifier brackets"). So Ajv directly, Unicode mode off; the draft-04 `$schema` is dropped because
 * Ajv 8 does not ship that meta-schema, and the keywords the schema uses read the same.
 */
function localizationProblems(version: string): string[] {
  const file = path.join(root, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams', `v${version}`, 'MicrosoftTeams.Localization.schema.json');
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(file, 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
  return validate(localization) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

async function writeZip(): Promise<void> {
  mkdirSync(path.dirname(output), { recursive: true });
  const partial = `${output}.partial`;
  const zip = new yazl.ZipFile();
  for (const name of FILES) {
    if (name === 'manifest.json') zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), name);
    else zip.addFile(path.join(manifestDir, name), name);
  }
  zip.end();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.outputStream.on('error', reject);
      zip.outputStream.pipe(createWriteStream(partial)).on('close', resolve).on('error', reject);
    });
    renameSync(partial, output);
  } finally {
    rmSync(partial, { force: true });
  }
}

async function main(): Promise<void> {
  const version = String(manifest.manifestVersion);
  const problems = [
    ...(await AppManifestUtils.validateAgainstSchema(manifest)).map((p) => `manifest.json${p}`),
    ...localizationProblems(version).map((p) => `ja.json${p}`),
  ];
  if (problems.length > 0) fail(`The app package was not built: the manifest does not match schema v${version}.\n  ${problems.join('\n  ')}`);
  await writeZip();
  process.stdout.write(`Teams app package written to ${path.relative(process.cwd(), output) || output} (app id ${appId}, bot id ${botId}).\n`);
}

main().catch((error: unknown) => fail(`The app package was not built: ${error instanceof Error ? error.message : String(error)}`));
