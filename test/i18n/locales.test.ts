import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { LANGUAGES, LOCALES_DIR, NAMESPACES, translatorFor } from '../../src/i18n';
import { writeClock, writeDay } from '../../src/i18n/dates';

type Tree = { [key: string]: string | string[] | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else if (Array.isArray(value)) value.forEach((item, i) => out.set(`${name}.${i}`, item));
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!).sort();
}

/** The value a placeholder takes: `date` of {{date, day}}. */
function valueName(placeholder: string): string {
  return placeholder.split(',')[0]!.trim();
}

// The translations; the utterance and entity files beside them are the understanding room's data, checked there.
const namespaces = NAMESPACES.map((ns) => `${ns}.json`);

describe.each(namespaces)('locale file %s', (file) => {
  const [en, ...others] = LANGUAGES.map((lng) => ({
    lng,
    strings: flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, file), 'utf8')) as Tree),
  }));

  it.each(others.map((o) => [o.lng, o] as const))('has the same keys in %s as in English', (_lng, other) => {
    expect([...other.strings.keys()].sort()).toEqual([...en!.strings.keys()].sort());
  });

  it.each(others.map((o) => [o.lng, o] as const))('has the same placeholders in %s as in English', (_lng, other) => {
    for (const [key, text] of en!.strings) {
      expect({ key, placeholders: placeholders(other.strings.get(key) ?? '') }).toEqual({ key, placeholders: placeholders(text) });
    }
  });

  it('has no empty strings', () => {
    for (const { lng, strings } of [en!, ...others]) {
      for (const [key, text] of strings) expect({ lng, key, empty: text.trim() === '' }).toEqual({ lng, key, empty: false });
    }
  });
});

// The bot keeps phrases it has looked up rather than asking i18next every time; what the admin reads
// must still be word for word what i18next itself would say, for every phrase and its values.
describe("the bot's translator", () => {
  const reference = i18next.createInstance();
  void reference.init({
    initAsync: false,
    resources: Object.fromEntries(
      LANGUAGES.map((lng) => [
        lng,
        Object.fromEntries(namespaces.map((file) => [path.basename(file, '.json'), JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, file), 'utf8'))])),
      ]),
    ),
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  // The bot's own date formats, as the bot's instance has them.
  reference.services.formatter?.add('day', (value, lng) => writeDay(value, lng === 'ja' ? 'ja' : 'en'));
  reference.services.formatter?.add('clock', (value) => writeClock(value));

  it.each([...LANGUAGES])('says in %s exactly what i18next says, with and without values', (lng) => {
    const t = translatorFor(lng);
    const expected = reference.getFixedT(lng);
    for (const file of namespaces) {
      const ns = path.basename(file, '.json');
      const strings = flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, file), 'utf8')) as Tree);
      for (const [key, text] of strings) {
        if (/\.\d+$/.test(key)) continue; // items of a list are read as the whole list
        // Values an admin might type, with characters i18next would escape for HTML; a timestamp where the
        // phrase writes a date or a time; numbers, as ports and counts arrive (and a null); and all but one of the values.
        const names = placeholders(text);
        const values = Object.fromEntries(names.map((name) => [valueName(name), name.includes(',') ? '2026-12-03T09:30:00Z' : `<${name} & "$1">`]));
        const numbers = Object.fromEntries(names.map((name, i) => [valueName(name), i === 0 ? null : i]));
        const allButOne = Object.fromEntries(names.slice(1).map((name) => [valueName(name), 'x']));
        for (const given of [values, numbers, allButOne]) {
          expect({ key, text: t(key, { ns, replace: given }) }).toEqual({ key, text: expected(key, { ns, replace: given }) });
          expect({ key, text: t(key, { ns, ...given }) }).toEqual({ key, text: expected(key, { ns, ...given }) });
        }
        expect({ key, text: t(key, { ns }) }).toEqual({ key, text: expected(key, { ns }) });
      }
    }
  });

  it('answers an unknown key as i18next does, with the key itself', () => {
    expect(translatorFor('ja')('no.such.key')).toBe('no.such.key');
  });
});
