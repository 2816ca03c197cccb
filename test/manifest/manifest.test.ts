// The Teams app package as a Teams admin would upload it, checked offline against the schemas that
// @microsoft/app-manifest ships.
import { isStatusAsk } from '../../src/conversation/adminDesk';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { PNG } from 'pngjs';
import yauzl from 'yauzl';
import { Understanding, meaningName } from '../../src/understanding';

const ROOT = path.resolve(__dirname, '../..');
const MANIFEST_DIR = path.join(ROOT, 'manifest');
const BOT_ID = '0b4e1f3a-5c6d-4e7f-8a9b-0c1d2e3f4a5b';
const APP_ID = '7c0d9e8f-1a2b-4c3d-9e4f-5a6b7c8d9e0f';
const BOT_DOMAIN = 'popimap-bot.contoso.com';
const SCHEMAS = path.join(ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');
const run = promisify(execFile);

type Json = Record<string, any>;

const readJson = (file: string): Json => JSON.parse(readFileSync(path.join(MANIFEST_DIR, file), 'utf8'));
const ja = (): Record<string, string> => readJson('ja.json');

function filled(): Json {
  const text = readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
  return JSON.parse(text.replaceAll('${{TEAMS_APP_ID}}', APP_ID).replaceAll('${{BOT_ID}}', BOT_ID).replaceAll('${{BOT_DOMAIN}}', BOT_DOMAIN));
}

/**
 * `AppManifestUtils.validateAgainstSchema` itself, for each document, in a plain Node process: the library
 * pulls in an ES module (strip-bom) that jest's module system cannot load. Its `$schema` picks the bundled schema.
 */
function libraryErrors(documents: Json[]): string[][] {
  const program = `
    const { AppManifestUtils } = require('@microsoft/app-manifest');
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk)).on('end', async () => {
      const results = [];
      for (const document of JSON.parse(input)) results.push(await AppManifestUtils.validateAgainstSchema(document));
      process.stdout.write(JSON.stringify(results));
    });`;
  const child = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, input: JSON.stringify(documents), encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the validator did not run: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/**
 * ja.json's bundled schema, with Ajv directly: the library cannot compile it (its patterns are not valid
 * Unicode-mode regexes). The draft-04 `$schema` is dropped because Ajv 8 lacks that meta-schema.
 */
function localizationErrors(document: unknown): string[] {
  const file = path.join(SCHEMAS, `v${filled().manifestVersion}`, 'MicrosoftTeams.Localization.schema.json');
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(file, 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Reads `bots[0].commandLists[1].commands[0].title` out of the manifest. */
function at(manifest: Json, key: string): unknown {
  return key
    .split(/\.|\[|\]\.?/)
    .filter(Boolean)
    .reduce<any>((node, part) => (node == null ? undefined : node[/^\d+$/.test(part) ? Number(part) : part]), manifest);
}

/** Every string a Teams user sees in the app's listing and command menu, as localization keys. */
function visibleKeys(manifest: Json): string[] {
  const keys = ['name.short', 'name.full', 'description.short', 'description.full'];
  manifest.bots[0].commandLists.forEach((list: { commands: unknown[] }, i: number) =>
    list.commands.forEach((_command, j) => keys.push(`bots[0].commandLists[${i}].commands[${j}].title`, `bots[0].commandLists[${i}].commands[${j}].description`)),
  );
  return keys;
}

function packageApp(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['scripts/package-app.mts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MicrosoftAppId: '', TEAMS_APP_ID: '', BOT_DOMAIN: '', ...env },
  });
}

function zipEntries(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

describe('the Teams app manifest', () => {
  it('names a schema version that @microsoft/app-manifest bundles, by the URL the library maps to it', () => {
    const manifest = filled();
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(22);
    expect(readFileSync(path.join(SCHEMAS, `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json'), 'utf8')).toContain('"manifestVersion"');
    expect(ja().$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
  });

  it('is valid against the bundled schema once the ids are filled in, and the validator really catches mistakes', () => {
    const valid = filled();
    const longName = { ...filled(), name: { ...valid.name, short: 'A name far longer than thirty characters' } };
    const badId = { ...filled(), id: '{{TEAMS_APP_ID}}' };
    const badScope = filled();
    badScope.bots[0].scopes = ['personal', 'everywhere'];
    const [validErrors, longNameErrors, badIdErrors, badScopeErrors] = libraryErrors([valid, longName, badId, badScope]);
    expect(validErrors).toEqual([]);
    expect(longNameErrors!.join('\n')).toMatch(/^\/name\/short must NOT have more than 30 characters/m);
    expect(badIdErrors!.join('\n')).toMatch(/^\/id must match pattern/m);
    expect(badScopeErrors!.join('\n')).toMatch(/^\/bots\/0\/scopes\/1 must be equal to one of the allowed values/m);
  });

  it('offers the bot in personal chats and teams, as a conversational bot without files', () => {
    const [bot, ...others] = filled().bots;
    expect(others).toEqual([]);
    expect(bot.botId).toBe(BOT_ID);
    expect(bot.scopes).toEqual(['personal', 'team']);
    expect(bot).toMatchObject({ supportsFiles: false, isNotificationOnly: false });
    expect(bot.commandLists.map((list: { scopes: string[] }) => list.scopes)).toEqual([['personal'], ['team']]);
  });

  it('lists commands that the bot understands, meaning the same in English and Japanese', async () => {
    const understanding = await Understanding.shared();
    const said = async (text: string) => {
      // "status" / 「状況」 is the admin's list of escalations, answered before the troubleshooting flow reads a text.
      if (isStatusAsk(text)) return 'caseStatus';
      const reading = await understanding.read(text);
      return reading.kind === 'sure' ? meaningName(reading.meaning) : `not understood (${reading.kind})`;
    };
    const manifest = filled();
    const translations = ja();
    const meanings: string[][] = [];
    for (const [i, list] of (manifest.bots[0].commandLists as Array<{ commands: Array<{ title: string }> }>).entries()) {
      meanings.push([]);
      for (const [j, { title }] of list.commands.entries()) {
        const english = await said(title);
        const japanese = await said(translations[`bots[0].commandLists[${i}].commands[${j}].title`] ?? '');
        meanings[i]!.push(english);
        // The language switch offers the other language: "日本語" in the English menu, "English" in the Japanese one.
        if (english.startsWith('language')) expect([english, japanese]).toEqual(['language:ja', 'language:en']);
        else expect({ title, japanese }).toEqual({ title, japanese: english });
      }
    }
    for (const scope of [0, 1]) expect(meanings[scope]).toEqual(expect.arrayContaining(['help', 'startOver', 'goTo:1', 'whichFailed', 'checkSettings', 'escalate', 'language:ja']));
    expect(meanings[0]).toContain('caseStatus');
    expect(meanings[1]).toEqual(expect.arrayContaining(['registerHelpdesk', 'report:7']));
  });

  it('keeps placeholders for what each organisation must change', () => {
    const template = readJson('manifest.json');
    // The Agents Toolkit's own placeholders: `atk provision` fills them from env/.env.<environment>, `npm run package` from the variables it reads.
    expect([template.id, template.bots[0].botId, template.validDomains]).toEqual(['${{TEAMS_APP_ID}}', '${{BOT_ID}}', ['${{BOT_DOMAIN}}']]);
    expect(template.developer.name).toMatch(/change me/i);
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(template.developer[key]).toMatch(/^https:\/\/www\.example\.com\//);
  });
});

describe('the Japanese localization (ja.json)', () => {
  it('is declared for ja-jp and valid against the bundled localization schema, which really is checked', () => {
    expect(filled().localizationInfo).toEqual({ defaultLanguageTag: 'en-us', additionalLanguages: [{ languageTag: 'ja-jp', file: 'ja.json' }] });
    expect(localizationErrors(ja())).toEqual([]);
    expect(localizationErrors({ ...ja(), 'name.short': 'あ'.repeat(31) }).join('\n')).toContain('/name.short must NOT have more than 30 characters');
    expect(localizationErrors({ ...ja(), 'bots[0].commandList[0].commands[0].title': 'x' }).join('\n')).toContain('must NOT have additional properties');
  });

  it('translates every name, description and command of the manifest, and nothing that is not there', () => {
    const manifest = filled();
    const keys = Object.keys(ja()).filter((key) => key !== '$schema');
    expect(keys.sort()).toEqual(visibleKeys(manifest).sort());
    for (const key of keys) expect({ key, inManifest: typeof at(manifest, key) }).toEqual({ key, inManifest: 'string' });
  });

  it('keeps the manifest\'s own length limits in Japanese too, and reads as Japanese', () => {
    const translations = ja();
    const limits: Array<[RegExp, number]> = [
      [/^name\.short$/, 30],
      [/^name\.full$/, 100],
      [/^description\.short$/, 80],
      [/^description\.full$/, 4000],
      [/\.title$/, 32],
      [/\.description$/, 128],
    ];
    for (const [key, text] of Object.entries(translations)) {
      if (key === '$schema') continue;
      const limit = limits.find(([pattern]) => pattern.test(key))?.[1];
      expect({ key, fits: text.length > 0 && text.length <= (limit ?? 0) }).toEqual({ key, fits: true });
    }
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/u;
    for (const key of visibleKeys(filled())) if (!key.endsWith('.title')) expect({ key, japanese: japanese.test(translations[key] ?? '') }).toEqual({ key, japanese: true });
    expect(translations['description.full']).toMatch(/パスワード/);
    // Microsoft's name for the Subscription Edition, in both languages of the listing.
    expect([translations['description.full'], filled().description.full]).toEqual([expect.stringContaining('Exchange Server SE'), expect.stringContaining('Exchange Server SE')]);
  });
});

describe('the icons', () => {
  const read = (file: string) => PNG.sync.read(readFileSync(path.join(MANIFEST_DIR, file)));

  it('are the sizes Teams requires', () => {
    const [color, outline] = [read('color.png'), read('outline.png')];
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
  });

  it('colour: an opaque tile in the accent colour with a white mark', () => {
    const color = read('color.png');
    const accent = filled().accentColor as string;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16));
    let white = 0;
    let seeThrough = 0;
    for (let i = 0; i < color.data.length; i += 4) {
      if (color.data[i + 3] !== 255) seeThrough++;
      if (color.data[i] === 255 && color.data[i + 1] === 255 && color.data[i + 2] === 255) white++;
    }
    expect(seeThrough).toBe(0);
    expect([...color.data.subarray(0, 3)]).toEqual([r, g, b]);
    expect(white).toBeGreaterThan(1000);
  });

  it('outline: white on transparent, nothing else', () => {
    const outline = read('outline.png');
    let opaque = 0;
    let transparent = 0;
    const notWhite: string[] = [];
    for (let i = 0; i < outline.data.length; i += 4) {
      const [red, green, blue, alpha] = outline.data.subarray(i, i + 4);
      if (alpha === 0) transparent++;
      else if (red !== 255 || green !== 255 || blue !== 255) notWhite.push(`(${(i / 4) % outline.width}, ${Math.floor(i / 4 / outline.width)})`);
      if (alpha === 255) opaque++;
    }
    expect(notWhite).toEqual([]);
    expect(opaque).toBeGreaterThan(60);
    expect(transparent).toBeGreaterThan(outline.width * outline.height * 0.5);
  });
});

describe('npm run package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'teams-app-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('declares the script the README tells admins to run', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.package).toBe('node scripts/package-app.mts');
  });

  it('builds a zip of exactly the manifest, its Japanese file and the two icons, with the ids filled in', async () => {
    const out = path.join(dir, 'app.zip');
    const { stdout } = await packageApp(['--out', out], { MicrosoftAppId: BOT_ID });
    expect(stdout).toContain('Teams app package written to');
    const entries = await zipEntries(out);
    expect([...entries.keys()].sort()).toEqual(['color.png', 'ja.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect([manifest.id, manifest.bots[0].botId, manifest.validDomains]).toEqual([BOT_ID, BOT_ID, []]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    for (const file of ['ja.json', 'color.png', 'outline.png']) expect(entries.get(file)!.equals(readFileSync(path.join(MANIFEST_DIR, file)))).toBe(true);
    expect(libraryErrors([manifest])).toEqual([[]]);
  }, 30_000);

  it('takes a separate Teams app id and the bot\'s domain when given', async () => {
    const out = path.join(dir, 'app.zip');
    await packageApp(['--out', out], { MicrosoftAppId: BOT_ID, TEAMS_APP_ID: APP_ID, BOT_DOMAIN: 'popimap-bot.contoso.com' });
    const manifest = JSON.parse((await zipEntries(out)).get('manifest.json')!.toString('utf8'));
    expect([manifest.id, manifest.bots[0].botId, manifest.validDomains]).toEqual([APP_ID, BOT_ID, ['popimap-bot.contoso.com']]);
  }, 30_000);

  it.each([
    ['no MicrosoftAppId', {}, /MicrosoftAppId is not set\. Set MicrosoftAppId/],
    ['a MicrosoftAppId that is not a GUID', { MicrosoftAppId: 'my-bot' }, /MicrosoftAppId is not a GUID .*Set MicrosoftAppId/],
    ['a TEAMS_APP_ID that is not a GUID', { MicrosoftAppId: BOT_ID, TEAMS_APP_ID: '1234' }, /TEAMS_APP_ID is not a GUID .*Set TEAMS_APP_ID/],
    ['a BOT_DOMAIN that is a URL', { MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'https://bot.contoso.com/' }, /BOT_DOMAIN must be a host name/],
  ])('refuses %s and names the variable to set, writing nothing', async (_name, env, message) => {
    const out = path.join(dir, 'app.zip');
    await expect(packageApp(['--out', out], env)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(message) });
    expect(() => readFileSync(out)).toThrow();
  }, 30_000);

  it.each([
    ['manifest.json', (m: Json) => ({ ...m, name: { ...m.name, short: 'A name far longer than thirty characters' } }), 'manifest.json/name/short must NOT have more than 30 characters'],
    ['ja.json', (t: Json) => ({ ...t, 'name.short': 'あ'.repeat(31) }), 'ja.json/name.short must NOT have more than 30 characters'],
  ])('refuses a %s that does not match its schema, printing the errors', async (file, breakIt, error) => {
    const broken = path.join(dir, 'manifest');
    cpSync(MANIFEST_DIR, broken, { recursive: true });
    writeFileSync(path.join(broken, file), JSON.stringify(breakIt(readJson(file))));
    const out = path.join(dir, 'app.zip');
    const refused = packageApp(['--out', out, '--manifest-dir', broken], { MicrosoftAppId: BOT_ID });
    await expect(refused).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(error) });
    expect(() => readFileSync(out)).toThrow();
  }, 30_000);
});
