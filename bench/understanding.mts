// Step 5: what understanding a typed text costs, from dist/: the training at start, and the time to read one
// text (the classifier and the entities), over every held-out text of test/corpus/utterances in turn. How
// many it understands is `npm run eval`'s report (it needs the flow model of the tests).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const PASSES = 20;

export interface UnderstandingFigures {
  trainMs: number;
  texts: number;
  readMicroseconds: { p50: number; p99: number; max: number };
}

interface Reader {
  read(text: string): Promise<unknown>;
}

export async function measureUnderstanding(): Promise<UnderstandingFigures> {
  const { Understanding } = require('../dist/understanding/index.js') as { Understanding: { train(): Promise<Reader> } };
  const started = performance.now();
  const understanding = await Understanding.train();
  const trainMs = Math.round(performance.now() - started);
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
  return { trainMs, texts: texts.length, readMicroseconds: { p50: at(0.5), p99: at(0.99), max: Math.round(times[times.length - 1]!) } };
}

export function understandingLines(u: UnderstandingFigures): string[] {
  return [
    `understanding: trained in ${u.trainMs} ms at start; reading one typed text ${u.readMicroseconds.p50} µs (p50), ${u.readMicroseconds.p99} µs (p99), ` +
      `${u.readMicroseconds.max} µs (max) over ${u.texts} held-out texts x ${PASSES}`,
  ];
}
