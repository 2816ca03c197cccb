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

// i18next resolves the key afresh on every call (several microseconds, and a card asks for dozens).
// The locale files never change while the bot runs, so each language looks a phrase up once and keeps
// it; values still go through i18next's own interpolator, and dates through its formatters. The locales
// use {{placeholders}} only, and a test holds this translator to i18next's answer for every key of both languages.
function quickTranslator(lng: Language): Translate {
  const fixed = instance.getFixedT(lng);
  const interpolator = instance.services.interpolator;
  const phrases = new Map<string, string>();
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
      phrase = found;
      phrases.set(id, phrase);
    }
    if (options === undefined || !phrase.includes('{{')) return phrase;
    const values = options.replace && typeof options.replace === 'object' ? options.replace : options;
    return interpolator.interpolate(phrase, values, lng, {});
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
