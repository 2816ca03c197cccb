// Lays out what App Service runs, for `atk deploy`: `npm run stage` after `npm run build`, then
// `npm ci --omit=dev --omit=optional` in the folder it writes (m365agents.yml does all three).
//
// Writes  .deploy/app, emptied first: dist/ (the built bot), locales/ (every sentence it says and the phrases
//         it learns from, read at start), and package.json, package-lock.json and .npmrc, so that npm installs
//         exactly the locked production dependencies there.
//
// Runs on Node 24's type stripping, so it is one file of erasable TypeScript and imports no other .ts file.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(process.argv[1]!), '..');
const output = path.join(root, '.deploy', 'app');
const SHIPPED = ['dist', 'locales', 'package.json', 'package-lock.json', '.npmrc'] as const;

if (!existsSync(path.join(root, 'dist', 'index.js'))) {
  process.stderr.write('dist/index.js is missing: run `npm run build` first, then `npm run stage`.\n');
  process.exit(1);
}
rmSync(output, { recursive: true, force: true });
mkdirSync(output, { recursive: true });
for (const name of SHIPPED) cpSync(path.join(root, name), path.join(output, name), { recursive: true });
process.stdout.write(`Bot staged in ${path.relative(process.cwd(), output)}: now run \`npm ci --omit=dev --omit=optional\` there.\n`);
