// The last step of `npm run build`: trains the two classifiers once and saves what they learnt to
// dist/understanding/models.json, which the bot loads at start instead of training (src/understanding/savedModels.ts).
// Runs on Node 24's type stripping and the compiled bot in dist/, as bench/ does, so it imports no .ts file.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { trainClassifiers as TrainClassifiers } from '../src/understanding/classifier';
import type { SAVED_MODELS as SavedModelsFile, saveClassifiers as SaveClassifiers } from '../src/understanding/savedModels';
import type { loadUtterances as LoadUtterances } from '../src/understanding/utterances';

const root = path.resolve(path.dirname(process.argv[1]!), '..');
const require = createRequire(path.join(root, 'dist', 'index.js'));
const { trainClassifiers } = require('./understanding/classifier.js') as { trainClassifiers: typeof TrainClassifiers };
const { SAVED_MODELS, saveClassifiers } = require('./understanding/savedModels.js') as { SAVED_MODELS: typeof SavedModelsFile; saveClassifiers: typeof SaveClassifiers };
const { loadUtterances } = require('./understanding/utterances.js') as { loadUtterances: typeof LoadUtterances };

async function main(): Promise<void> {
  const started = performance.now();
  const files = loadUtterances();
  saveClassifiers(SAVED_MODELS, files, await trainClassifiers(files));
  process.stderr.write(`classifiers trained and saved to ${path.relative(root, SAVED_MODELS)} in ${Math.round(performance.now() - started)} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`The classifiers were not saved (the bot will train them at start): ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
