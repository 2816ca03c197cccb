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
import { type Understanding, parseMeaningName } from '../../src/understanding';
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

export function heldOut(language: Language): HeldOut[] {
  return JSON.parse(readFileSync(path.join(CORPUS_DIR, `${language}.json`), 'utf8')) as HeldOut[];
}

const paths = shortestPaths();

/** A conversation standing on `state`, for the corpus's version when one is given (2016 otherwise). */
function standingOn(state: FlowStateName, version: string | undefined): FlowSnapshot {
  const wanted = version === 'Online' ? 'Online' : '2016';
  const found =
    paths.find((p) => p.state.value === state && p.state.context.details?.version === wanted) ?? paths.find((p) => p.state.value === state);
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
  if (isDeepStrictEqual(decided, wanted)) return { ...item, language, verdict: 'acted', got };
  // Offered: the meaning itself, or (where this screen cannot take it) the first of the answers it leads to.
  const leadsTo = wanted.kind === 'show' && wanted.notice?.kind === 'didYouMean' ? wanted.notice.choices[0]?.say : item.expect;
  const offered = decided.kind === 'show' && decided.notice?.kind === 'didYouMean' && decided.notice.choices.some((c) => c.say === item.expect || c.say === leadsTo);
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
