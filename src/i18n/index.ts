// One i18next instance for the process, one fixed translator per turn: two admins chatting in
// different languages at the same moment never see each other's language.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type Resource, type ResourceKey, type TFunction, type TOptions } from 'i18next';
import { writeClock, writeDay } from './dates';

export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];
export const NAMESPACES = ['bot', 'content'] as const;

export const LOCALES_DIR = path.resolve(__dirname, '../../locales');

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The saved choice wins; otherwise Teams' locale decides (`ja`, `ja-JP` → Japanese, anything else English). */
export function resolveLanguage(saved: Language | undefined, activityLocale: string | undefined): Language {
  if (saved) return saved;
  return /^ja\b/i.test(activityLocale ?? '') ? 'ja' : 'en';
}

function loadResources(): Resource {
  const resources: Record<string, Record<string, ResourceKey>> = {};
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    for (const ns of NAMESPACES) {
      resources[lng][ns] = JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, `${ns}.json`), 'utf8')) as ResourceKey;
    }
  }
  return resources;
}

const instance = i18next.createInstance();
void instance.init({
  resources: loadResources(),
  initAsync: false,
  lng: 'en',
  fallbackLng: false,
  supportedLngs: [...LANGUAGES],
  ns: [...NAMESPACES],
  defaultNS: 'bot',
  // Cards are JSON, not HTML; commands must reach the admin exactly as written.
  interpolation: { escapeValue: false },
  returnNull: false,
  saveMissing: false,
  missingKeyHandler: false,
});
// A phrase marks a date it shows as {{value, day}} and a time as {{value, clock}}: see dates.ts.
instance.services.formatter?.add('day', (value, lng) => writeDay(value, isLanguage(lng) ? lng : 'en'));
instance.services.formatter?.add('clock', (value) => writeClock(value));

export type Translate = TFunction;

// Options that change how i18next picks or shapes a phrase; a call with any of them goes the long way.
const SHAPING_OPTIONS = new Set(['lng', 'lngs', 'count', 'context', 'defaultValue', 'returnObjects', 'returnDetails', 'keyPrefix', 'interpolation', 'postProcess', 'ordinal', 'joinArrays', 'fallbackLng']);

function onlyValues(options: TOptions): boolean {
  for (const name in options) if (SHAPING_OPTIONS.has(name)) return false;
  return true;
}

// i18next resolves the key afresh on every call (several microseconds, and a card asks for dozens), and
// its interpolator scans each phrase with two regular expressions and rebuilds the string for every value.
// The locale files never change while the bot runs, so each language looks a phrase up once and splits it
// at its {{placeholders}} once; a call then joins the pieces with its values. Dates still go through
// i18next's own formatters, and a call missing one of the values goes through i18next's interpolator,
// whatever it makes of it. A test holds this translator to i18next's answer for every key of both languages.
interface Slot {
  name: string;
  format?: string;
}
/** A phrase as the locale file has it, and cut at its placeholders: text, slot, text, …, text. */
interface Phrase {
  text: string;
  texts: string[];
  slots: Slot[];
}

const PLACEHOLDER = /\{\{(.+?)\}\}/g;

function cut(text: string): Phrase {
  const texts: string[] = [];
  const slots: Slot[] = [];
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    texts.push(text.slice(from, match.index));
    const [name = '', ...format] = match[1]!.split(',');
    slots.push(format.length ? { name: name.trim(), format: format.join(',').trim() } : { name: name.trim() });
    from = match.index + match[0].length;
  }
  texts.push(text.slice(from));
  return { text, texts, slots };
}

function quickTranslator(lng: Language): Translate {
  const fixed = instance.getFixedT(lng);
  const { interpolator, formatter } = instance.services;
  const phrases = new Map<string, Phrase>();
  const fill = (phrase: Phrase, values: Record<string, unknown>): string => {
    let text = phrase.texts[0]!;
    for (let i = 0; i < phrase.slots.length; i++) {
      const { name, format } = phrase.slots[i]!;
      const raw = Object.hasOwn(values, name) ? values[name] : undefined;
      if (raw === undefined || (format !== undefined && !formatter)) return interpolator.interpolate(phrase.text, values, lng, {});
      const value: unknown = format === undefined ? raw : formatter!.format(raw, format, lng, { ...values, interpolationkey: name });
      text += (typeof value === 'string' ? value : value == null ? '' : String(value)) + phrase.texts[i + 1]!;
    }
    return text;
  };
  const translate = (key: string | string[], options?: TOptions): unknown => {
    if (typeof key !== 'string' || (options !== undefined && !onlyValues(options))) return fixed(key, options ?? {});
    const ns = typeof options?.ns === 'string' ? options.ns : 'bot';
    const id = `${ns}:${key}`;
    let phrase = phrases.get(id);
    if (phrase === undefined) {
      const found: unknown = instance.getResource(lng, ns, key);
      // Missing keys and whole objects are i18next's business; only phrases found are kept, so the map
      // is never bigger than the locale files.
      if (typeof found !== 'string') return fixed(key, options ?? {});
      phrase = cut(found);
      phrases.set(id, phrase);
    }
    if (options === undefined || phrase.slots.length === 0) return phrase.text;
    return fill(phrase, options.replace && typeof options.replace === 'object' ? (options.replace as Record<string, unknown>) : options);
  };
  return translate as unknown as Translate;
}

const translators: Record<Language, Translate> = { en: quickTranslator('en'), ja: quickTranslator('ja') };

export function translatorFor(lng: Language): Translate {
  return translators[lng];
}

export function hasKey(lng: Language, key: string, ns: (typeof NAMESPACES)[number] = 'bot'): boolean {
  return instance.exists(key, { lng, ns });
}
