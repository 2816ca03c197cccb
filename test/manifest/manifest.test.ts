// The Teams app package as a Teams admin would upload it, checked offline against the schemas that
// @microsoft/app-manifest ships.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { PNG } from 'pngjs';
import yauzl from 'yauzl';

const ROOT = path.resolve(__dirname, '../..');
const BOT_ID = '0b4e1f3a-5c6d-4e7f-8a9b-0c1d2e3f4a5b';
const run = promisify(execFile);

const SCHEMAS = path.join(ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');

/**
 * The schema @microsoft/app-manifest bundles for the manifest's version, compiled with Ajv directly (the
 * library's own entry point pulls in an ES module that jest cannot load). `$schema` is dropped because
 * Ajv 8 lacks the draft-04 meta-schema these files name; the keywords they use read the same.
 */
function validatorFor(version: string, file: 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json') {
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path.join(SCHEMAS, `v${version}`, file), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
  return (document: unknown) => (validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

function manifestTemplate(): Record<string, any> {
  return JSON.parse(readFileSync(path.join(ROOT, 'manifest/manifest.json'), 'utf8'));
}

function filled(): Record<string, any> {
  return JSON.parse(JSON.stringify(manifestTemplate()).replaceAll('{{TEAMS_APP_ID}}', BOT_ID).replaceAll('{{BOT_ID}}', BOT_ID));
}

function packageApp(env: Record<string, string>) {
  return run(process.execPath, ['scripts/package-app.mts'], { cwd: ROOT, env: { ...process.env, MicrosoftAppId: '', TEAMS_APP_ID: '', ...env } });
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

/** Reads `bots[0].commandLists[1].commands[0].title` out of the manifest. */
function at(manifest: Record<string, any>, key: string): unknown {
  return key.split(/\.|\[|\]\.?/).filter(Boolean).reduce<any>((node, part) => (node == null ? undefined : node[/^\d+$/.test(part) ? Number(part) : part]), manifest);
}

describe('the Teams app manifest', () => {
  it('is valid against its bundled schema once the ids are filled in', async () => {
    const manifest = filled();
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    expect(validatorFor(manifest.manifestVersion, 'MicrosoftTeams.schema.json')(manifest)).toEqual([]);
  });

  it('is really checked: an over-long short name is caught', async () => {
    const broken = filled();
    broken.name.short = 'A name far longer than thirty characters';
    expect(validatorFor(broken.manifestVersion, 'MicrosoftTeams.schema.json')(broken).join('\n')).toContain('/name/short');
  });

  it('offers the bot in personal chats and teams, with commands for each', () => {
    const bot = filled().bots[0];
    expect(bot.scopes).toEqual(['personal', 'team']);
    expect(bot.commandLists.map((list: { scopes: string[] }) => list.scopes[0])).toEqual(['personal', 'team']);
  });

  it('has a Japanese localization file valid against its bundled schema', () => {
    const ja = JSON.parse(readFileSync(path.join(ROOT, 'manifest/ja.json'), 'utf8'));
    expect(validatorFor(filled().manifestVersion, 'MicrosoftTeams.Localization.schema.json')(ja)).toEqual([]);
    expect(validatorFor(filled().manifestVersion, 'MicrosoftTeams.Localization.schema.json')({ ...ja, 'name.short': 'x'.repeat(31) })).not.toEqual([]);
  });

  it('has a Japanese entry for every name, description and command, and nothing else', () => {
    const ja = JSON.parse(readFileSync(path.join(ROOT, 'manifest/ja.json'), 'utf8')) as Record<string, string>;
    const manifest = filled();
    const visible = ['name.short', 'name.full', 'description.short', 'description.full'];
    manifest.bots[0].commandLists.forEach((list: { commands: unknown[] }, i: number) =>
      list.commands.forEach((_c, j) => visible.push(`bots[0].commandLists[${i}].commands[${j}].title`, `bots[0].commandLists[${i}].commands[${j}].description`)),
    );
    const keys = Object.keys(ja).filter((k) => k !== '$schema');
    expect(keys.sort()).toEqual(visible.sort());
    for (const key of keys) expect({ key, exists: typeof at(manifest, key) === 'string' }).toEqual({ key, exists: true });
    expect(ja['name.short']!.length).toBeLessThanOrEqual(30);
  });

  it('ships icons of the sizes Teams requires, the outline white on transparent', () => {
    const color = PNG.sync.read(readFileSync(path.join(ROOT, 'manifest/color.png')));
    const outline = PNG.sync.read(readFileSync(path.join(ROOT, 'manifest/outline.png')));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    let white = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) continue;
      expect([r, g, b]).toEqual([255, 255, 255]);
      white += 1;
    }
    expect(white).toBeGreaterThan(20);
  });
});

describe('npm run package', () => {
  it('builds a zip of exactly the manifest, its Japanese file and the two icons, with the ids filled in', async () => {
    const { stdout } = await packageApp({ MicrosoftAppId: BOT_ID });
    expect(stdout).toContain('dist/teams-app.zip');
    const entries = await zipEntries(path.join(ROOT, 'dist/teams-app.zip'));
    expect([...entries.keys()].sort()).toEqual(['color.png', 'ja.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
  }, 30_000);

  it.each([
    ['no MicrosoftAppId', {}],
    ['a MicrosoftAppId that is not a GUID', { MicrosoftAppId: 'my-bot' }],
  ])('refuses %s and names the variable to set', async (_name, env) => {
    await expect(packageApp(env)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Set MicrosoftAppId') });
  }, 30_000);
});
