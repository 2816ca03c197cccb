// One i18next instance for the process, one fixed translator per turn: two admins chatting in
// different languages at the same moment never see each other's language.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type Resource, type ResourceKey, type TFunction } from 'i18next';

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

export type Translate = TFunction;

export function translatorFor(lng: Language): Translate {
  return instance.getFixedT(lng);
}

export function hasKey(lng: Language, key: string, ns: (typeof NAMESPACES)[number] = 'bot'): boolean {
  return instance.exists(key, { lng, ns });
}
