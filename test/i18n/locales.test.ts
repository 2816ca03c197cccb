import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES, LOCALES_DIR } from '../../src/i18n';

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

const namespaces = readdirSync(path.join(LOCALES_DIR, 'en')).filter((f) => f.endsWith('.json'));

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
