// `npm run eval`: how well the bot understands the held-out texts, per language and per screen, what it
// costs per text, and every text it missed. A report, not a test: the floor is in heldOut.test.ts.
import { performance } from 'node:perf_hooks';
import { LANGUAGES } from '../../src/i18n';
import { Understanding } from '../../src/understanding';
import { HELD_OUT_SETS, type HeldOutSet, type Judged, type Tally, heldOut, judge, tally, understood } from '../support/understandingEval';

const percent = (n: number) => `${(n * 100).toFixed(1)}%`;
const row = (name: string, t: Tally) =>
  `${name.padEnd(24)} ${String(t.total).padStart(5)} ${percent(understood(t)).padStart(10)} ${percent(t.acted / t.total).padStart(7)} ${percent(t.asked / t.total).padStart(7)} ${String(t.missed).padStart(7)} ${String(t.misacted).padStart(9)}`;

async function report(understanding: Understanding, set: HeldOutSet): Promise<string[]> {
  const judged: Judged[] = [];
  const times: number[] = [];
  for (const language of LANGUAGES) {
    for (const item of heldOut(language, set)) {
      const t0 = performance.now();
      judged.push(await judge(understanding, language, item));
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const header = `${'group'.padEnd(24)} ${'texts'.padStart(5)} ${'understood'.padStart(10)} ${'acted'.padStart(7)} ${'asked'.padStart(7)} ${'missed'.padStart(7)} ${'misacted'.padStart(9)}`;
  return [
    `${set} set: per text (read and decide) median ${(times[Math.floor(times.length / 2)]! * 1000).toFixed(0)} µs, p99 ${(times[Math.floor(times.length * 0.99)]! * 1000).toFixed(0)} µs`,
    header,
    ...[...tally(judged, (j) => j.language)].map(([name, t]) => row(name, t)),
    ...[...tally(judged, (j) => `${j.language} ${j.state}`)].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => row(name, t)),
    '',
    ...judged.filter((j) => j.verdict === 'missed' || j.verdict === 'misacted').map((j) => `${j.verdict.padEnd(8)} ${j.language} ${j.state}: ${JSON.stringify(j.text)} → ${j.got} (meant ${j.expect})`),
    '',
  ];
}

it('reports', async () => {
  const started = performance.now();
  const understanding = await Understanding.train();
  const trainMs = performance.now() - started;
  const lines = [`trained in ${trainMs.toFixed(0)} ms`, ''];
  for (const set of HELD_OUT_SETS) lines.push(...(await report(understanding, set)));
  process.stdout.write(`${lines.join('\n')}\n`);
});
