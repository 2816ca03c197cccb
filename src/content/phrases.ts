// Phrases are keys in the `content` namespace plus the values they interpolate. Builders name the
// values they need from the case; this keeps the key and its placeholders side by side in the code.
import type { Case, PhraseVar } from './case';
import type { CommandBlock, Phrase } from './types';

/** A phrase spec: the key and the case values its placeholders take. */
export type Say = readonly [key: string, ...vars: PhraseVar[]];

export function phrase(key: string, values?: Record<string, string>): Phrase {
  return values && Object.keys(values).length > 0 ? { key, values } : { key };
}

export function say(c: Case, [key, ...vars]: Say): Phrase {
  const values: Record<string, string> = {};
  for (const name of vars) values[name] = c.vars[name];
  return phrase(key, values);
}

export function sayAll(c: Case, specs: readonly Say[]): Phrase[] {
  return specs.map((spec) => say(c, spec));
}

export function powershell(...lines: (string | readonly string[])[]): CommandBlock {
  return { shell: 'powershell', lines: lines.flat() };
}
