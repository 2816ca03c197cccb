// The honest measure of understanding: every held-out text (test/corpus/utterances, never trained on) is
// typed on the screen the corpus names, and what the bot decides is compared with what the admin meant.
// "Acted" is the right thing done at once; "asked" is a "Did you mean…?" that offers the right meaning;
// "missed" is the hint or an offer without it; "misacted" is something else done, the costly miss.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Decision } from '../../src/conversation/decision';
import { decideForMeaning } from '../../src/conversation/meanings';
import type { FlowSnapshot } from '../../src/conversation/record';
import { decideForText } from '../../src/conversation/typed';
import type { FlowStateName } from '../../src/flow/machine';
import type { Language } from '../../src/i18n';
import { type Understanding, meaningName, parseMeaningName } from '../../src/understanding';
import { shortestPaths } from './flowModel';

export interface HeldOut {
  text: string;
  state: FlowStateName;
  version?: string;
  expect: string;
}

export type Verdict = 'acted' | 'asked' | 'missed' | 'misacted';

export interface Judged extends HeldOut {
  language: Language;
  verdict: Verdict;
  got: string;
}

export const CORPUS_DIR = path.resolve(__dirname, '../corpus/utterances');

/**
 * Three sets of texts nobody taught the classifier, by how much they were looked at while the training texts were
 * written: `development` was read throughout (its misses guided what was added), `test` was written apart and its
 * misses read once, `final` was written apart and never read by whoever writes the training texts.
 */
export const HELD_OUT_SETS = ['final', 'test', 'development'] as const;
export type HeldOutSet = (typeof HELD_OUT_SETS)[number];

export function heldOut(language: Language, set: HeldOutSet = 'final'): HeldOut[] {
  const file = set === 'development' ? path.join(CORPUS_DIR, `${language}.json`) : path.join(CORPUS_DIR, set, `${language}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as HeldOut[];
}

const paths = shortestPaths();

/** A conversation standing on `state`, for the corpus's version when one is given (2016 otherwise). */
export function standingOn(state: FlowStateName, version: string | undefined): FlowSnapshot {
  const wanted = version === 'Online' ? 'Online' : '2016';
  // A screen the admin is still on: getShortestPaths can also reach a state by an event that ends the case there.
  const on = (p: (typeof paths)[number]) => p.state.value === state && p.state.status === 'active';
  const found = paths.find((p) => on(p) && p.state.context.details?.version === wanted) ?? paths.find(on);
  if (!found) throw new Error(`no path reaches ${state}`);
  return found.state as FlowSnapshot;
}

function describe(decision: Decision): string {
  switch (decision.kind) {
    case 'events':
      return decision.events.map((e) => ('checkpoint' in e ? `${e.type}(${e.checkpoint})` : e.type)).join('+');
    case 'show':
      return decision.notice?.kind === 'didYouMean' ? `ask[${decision.notice.choices.map((c) => c.say).join(',')}]` : `show(${decision.notice?.kind ?? ''})`;
    case 'language':
      return `language(${decision.language})`;
    default:
      return decision.kind;
  }
}

const NOW = new Date('2026-12-01T09:00:00Z');

export async function judge(understanding: Understanding, language: Language, item: HeldOut): Promise<Judged> {
  const snapshot = standingOn(item.state, item.version);
  const decided = await decideForText(item.text, snapshot, NOW, understanding);
  const got = describe(decided);
  if (item.expect === 'none') {
    // Nothing to act on: the hint, or on the paste screen an honest "could not read this".
    const honest = decided.kind === 'show' ? decided.notice?.kind === 'unknownText' : got === 'DIAGNOSED';
    return { ...item, language, verdict: honest ? 'acted' : decided.kind === 'show' ? 'missed' : 'misacted', got };
  }
  const meaning = parseMeaningName(item.expect);
  if (!meaning) throw new Error(`${language} corpus: "${item.expect}" names no meaning`);
  const wanted = decideForMeaning(meaning, snapshot);
  // "Tell me the case first" is what every meaning that needs the case gets: it counts only if the bot read the right one.
  const readRight = async () => {
    const reading = await understanding.read(item.text);
    return reading.kind === 'sure' && meaningName(reading.meaning) === item.expect;
  };
  const needsCase = wanted.kind === 'show' && wanted.notice?.kind === 'needDetails';
  if (isDeepStrictEqual(decided, wanted) && (!needsCase || (await readRight()))) return { ...item, language, verdict: 'acted', got };
  // Offered: a button that does what the admin meant (or, where this screen cannot take it, the first of the
  // answers it leads to).
  const leadsTo = wanted.kind === 'show' && wanted.notice?.kind === 'didYouMean' ? wanted.notice.choices[0]?.say : undefined;
  const doesIt = (say: string) => {
    const offeredMeaning = parseMeaningName(say);
    return say === leadsTo || (offeredMeaning !== undefined && !needsCase && isDeepStrictEqual(decideForMeaning(offeredMeaning, snapshot), wanted));
  };
  const offered = decided.kind === 'show' && decided.notice?.kind === 'didYouMean' && decided.notice.choices.some((c) => doesIt(c.say));
  return { ...item, language, verdict: offered ? 'asked' : decided.kind === 'show' ? 'missed' : 'misacted', got };
}

export interface Tally {
  total: number;
  acted: number;
  asked: number;
  missed: number;
  misacted: number;
}

export function tally(judged: Judged[], key: (j: Judged) => string): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const j of judged) {
    const t = out.get(key(j)) ?? { total: 0, acted: 0, asked: 0, missed: 0, misacted: 0 };
    t.total += 1;
    t[j.verdict] += 1;
    out.set(key(j), t);
  }
  return out;
}

/** Understood: acted on, or the right meaning among the offered buttons. */
export const understood = (t: Tally) => (t.acted + t.asked) / t.total;
