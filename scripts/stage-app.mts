// Lays out what App Service runs, for `atk deploy`: `npm run stage` after `npm run build`, then
// `npm ci --omit=dev` in the folder it writes. Or `npm run stage -- --out <dir>` to write elsewhere.
//
// Writes  .deploy/app (or --out), emptied first: dist/ (the built bot), locales/ (every sentence it says and
//         the phrases it learns from, read at start), and package.json, package-lock.json and .npmrc, so that
//         npm installs exactly the locked production dependencies there.
//
// Runs on Node 24's type stripping, so it is one file of erasable TypeScript and imports no other .ts file.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(process.argv[1]!), '..');
const SHIPPED = ['dist', 'locales', 'package.json', 'package-lock.json', '.npmrc'] as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function outputDir(): string {
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' } } });
    return path.resolve(values.out ?? path.join(root, '.deploy', 'app'));
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}. Usage: npm run stage [-- --out <dir>]`);
  }
}

const output = outputDir();
if (!existsSync(path.join(root, 'dist', 'index.js'))) fail('dist/index.js is missing: run `npm run build` first, then `npm run stage`.');
if (output === root || root.startsWith(`${output}${path.sep}`)) fail(`--out must be a folder of its own, not ${output}: it is emptied first.`);

rmSync(output, { recursive: true, force: true });
mkdirSync(output, { recursive: true });
for (const name of SHIPPED) cpSync(path.join(root, name), path.join(output, name), { recursive: true });
process.stdout.write(`Bot staged in ${path.relative(process.cwd(), output) || output}: now run \`npm ci --omit=dev\` there.\n`);
