// Step 5: what understanding a typed text costs, from dist/: training the classifiers (what `npm run build` does,
// and a start whose saved ones do not match), loading the saved ones (what a start does), and the time to read one
// text (the classifier and the entities), over every held-out text of test/corpus/utterances in turn. How
// many it understands is `npm run eval`'s report (it needs the flow model of the tests).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const PASSES = 20;

export interface UnderstandingFigures {
  trainMs: number;
  /** From dist/understanding/models.json, as a start loads them; absent when the build saved none. */
  loadSavedMs?: number;
  texts: number;
  readMicroseconds: { p50: number; p99: number; max: number };
}

interface Reader {
  read(text: string): Promise<unknown>;
}

export async function measureUnderstanding(): Promise<UnderstandingFigures> {
  const { Understanding } = require('../dist/understanding/index.js') as { Understanding: { train(files?: unknown, saved?: string): Promise<Reader> } };
  const { SAVED_MODELS } = require('../dist/understanding/savedModels.js') as { SAVED_MODELS: string };
  const timed = async (saved: string) => {
    const started = performance.now();
    const understanding = await Understanding.train(undefined, saved);
    return { understanding, ms: Math.round(performance.now() - started) };
  };
  // A saved file that does not exist makes it train.
  const { understanding, ms: trainMs } = await timed(path.join(import.meta.dirname, 'no-saved-models.json'));
  const loadSavedMs = existsSync(SAVED_MODELS) ? (await timed(SAVED_MODELS)).ms : undefined;
  const corpus = path.join(import.meta.dirname, '..', 'test', 'corpus', 'utterances');
  const texts = ['en', 'ja'].flatMap((lng) => (JSON.parse(readFileSync(path.join(corpus, `${lng}.json`), 'utf8')) as Array<{ text: string }>).map((item) => item.text));
  const times: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const text of texts) {
      const t0 = performance.now();
      await understanding.read(text);
      times.push((performance.now() - t0) * 1000);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * q))]!);
  return { trainMs, ...(loadSavedMs === undefined ? {} : { loadSavedMs }), texts: texts.length, readMicroseconds: { p50: at(0.5), p99: at(0.99), max: Math.round(times[times.length - 1]!) } };
}

export function understandingLines(u: UnderstandingFigures): string[] {
  return [
    `understanding: trained in ${u.trainMs} ms (npm run build), ${u.loadSavedMs === undefined ? 'no saved classifiers in dist/' : `saved ones loaded in ${u.loadSavedMs} ms (a start)`}; reading one typed text ${u.readMicroseconds.p50} µs (p50), ${u.readMicroseconds.p99} µs (p99), ` +
      `${u.readMicroseconds.max} µs (max) over ${u.texts} held-out texts x ${PASSES}`,
  ];
}
