// The corpus of pastes as admins bring them: shell output in the layouts PowerShell prints (lists, default
// tables, Win32_Service), test cmdlets, client errors in English and Japanese, raw POP3/IMAP4 replies, and
// honest refusals. Each paste must give the verdict written beside it in test/corpus/pastes/index.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../src/diagnosis/diagnose';
import { type CaseDetails, EXCHANGE_VERSIONS, type ExchangeVersion, PROTOCOLS, type Protocol } from '../../src/flow/types';
import { LANGUAGES, translatorFor } from '../../src/i18n';

const DIR = path.resolve(__dirname, '../corpus/pastes');
const NOW = new Date('2026-11-22T12:00:00Z');

interface Entry {
  file: string;
  protocol: Protocol;
  version: ExchangeVersion;
  errorText?: string;
  expect: { source: string; finding: string; checkpoint: string | null };
}

const index = JSON.parse(readFileSync(path.join(DIR, 'index.json'), 'utf8')) as Entry[];

describe('the paste corpus', () => {
  it('holds at least 100 pastes, each file present, each case a real protocol and version', () => {
    expect(index.length).toBeGreaterThanOrEqual(100);
    expect(new Set(index.map((e) => e.file)).size).toBe(index.length);
    for (const entry of index) {
      expect({ file: entry.file, exists: existsSync(path.join(DIR, entry.file)) }).toEqual({ file: entry.file, exists: true });
      expect(PROTOCOLS).toContain(entry.protocol);
      expect(EXCHANGE_VERSIONS).toContain(entry.version);
    }
  });

  it('keeps about one paste in eight an honest refusal', () => {
    expect(index.filter((e) => e.expect.finding === 'unreadable').length).toBeGreaterThanOrEqual(15);
  });

  it.each(index.map((entry) => [entry.file, entry] as const))('%s', (_file, entry) => {
    const details: CaseDetails = {
      protocol: entry.protocol,
      version: entry.version,
      server: 'EX01',
      mailbox: 'taro@contoso.com',
      ...(entry.errorText ? { errorText: entry.errorText } : {}),
    };
    const verdict = diagnose(readFileSync(path.join(DIR, entry.file), 'utf8'), details, NOW);
    expect({ source: verdict.source, finding: verdict.finding, checkpoint: verdict.checkpoint }).toEqual(entry.expect);
    // Every verdict has its sentence in both languages, with every value filled in.
    for (const lng of LANGUAGES) {
      const sentence = translatorFor(lng)(`diagnosis.${verdict.finding}`, { replace: verdict.values });
      expect(sentence).not.toMatch(/\{\{|^diagnosis\./);
    }
  });
});
