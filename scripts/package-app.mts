// Builds the Teams app package: `npm run package`. Fills the app and bot ids from the environment,
// checks the manifest and its Japanese localization against the schemas bundled with
// @microsoft/app-manifest (no network), and zips them with the icons into dist/teams-app.zip.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import Ajv from 'ajv';
import yazl from 'yazl';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const root = process.cwd();
const manifestDir = path.join(root, 'manifest');
const output = path.join(root, 'dist', 'teams-app.zip');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const botId = process.env.MicrosoftAppId?.trim() ?? '';
const appId = process.env.TEAMS_APP_ID?.trim() || botId;
if (!GUID.test(botId)) fail('Set MicrosoftAppId to the bot registration\'s application (client) id, a GUID, to build the Teams app package.');
if (!GUID.test(appId)) fail('TEAMS_APP_ID must be a GUID (or leave it unset to use MicrosoftAppId).');

const manifest = JSON.parse(
  readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8').replaceAll('{{TEAMS_APP_ID}}', appId).replaceAll('{{BOT_ID}}', botId),
);
const domain = process.env.BOT_DOMAIN?.trim();
if (domain) manifest.validDomains = [domain];
const localization = JSON.parse(readFileSync(path.join(manifestDir, 'ja.json'), 'utf8'));

const version = String(manifest.manifestVersion);
const schemaDir = path.join(root, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams', `v${version}`);
// Its draft-04 `$schema` is dropped: Ajv 8 does not ship that meta-schema, and the keywords used read the same.
const { $schema: _draft, ...localizationSchema } = JSON.parse(
  readFileSync(path.join(schemaDir, 'MicrosoftTeams.Localization.schema.json'), 'utf8'),
);

/** The localization file against its schema. Its patterns are not valid Unicode-mode regexes, hence unicodeRegExp off. */
function localizationProblems(): string[] {
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(localizationSchema);
  return validate(localization) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

async function main(): Promise<void> {
  const problems = [
    ...(await AppManifestUtils.validateAgainstSchema(manifest)).map((p) => `manifest.json${p}`),
    ...localizationProblems().map((p) => `ja.json${p}`),
  ];
  if (problems.length > 0) fail(`The app package was not built; the manifest does not match schema v${version}:\n  ${problems.join('\n  ')}`);

  mkdirSync(path.dirname(output), { recursive: true });
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json');
  zip.addFile(path.join(manifestDir, 'ja.json'), 'ja.json');
  zip.addFile(path.join(manifestDir, 'color.png'), 'color.png');
  zip.addFile(path.join(manifestDir, 'outline.png'), 'outline.png');
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(output)).on('close', resolve).on('error', reject));
  process.stdout.write(`Teams app package written to ${path.relative(root, output)} (app ${appId}, bot ${botId}).\n`);
}

void main();
