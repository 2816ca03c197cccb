// The help-desk lead's report card as the lead sees it: a month of cases gives exact numbers in every chart
// and in the table each chart falls back to, in both languages; the card holds to Adaptive Cards 1.5 plus
// Teams' chart elements and stays small; an empty period says so.
import Ajv from 'ajv';
import type { CaseFacts, CaseOutcome } from '../../src/insights/caseFacts';
import { type Report, summarize } from '../../src/insights/report';
import { CHECKPOINTS, type CheckpointId, EXCHANGE_VERSIONS, type ExchangeVersion, PROTOCOLS, type Protocol } from '../../src/flow/types';
import type { Language } from '../../src/i18n';
import { renderReport } from '../../src/rendering/report';
import { texts, title } from '../support/cards';
import { REPORT_CARD_SCHEMA } from '../support/reportCardSchema';

type Json = Record<string, any>;

// The size budget the report card keeps to (issue 16), well inside Teams' message limit (cardSize.test.ts).
const BUDGET = 28 * 1024;
const FROM = '2026-11-01';
const TO = '2026-11-30';
// Noon the day after the period: a case left open on its last morning has been untouched for over a day.
const NOW = new Date('2026-12-01T12:00:00Z');

interface Template {
  protocol?: Protocol;
  version?: ExchangeVersion;
  outcome: CaseOutcome;
  failedAt?: CheckpointId;
  solvedAt?: CheckpointId;
}

const T: Record<string, Template> = {
  solvedAtService: { protocol: 'pop3', version: '2016', outcome: 'solved', solvedAt: 'service' },
  solvedAtSettings: { protocol: 'imap4', version: '2019', outcome: 'solved', failedAt: 'serverSettings', solvedAt: 'serverSettings' },
  escalatedConnector: { protocol: 'pop3', version: '2010', outcome: 'escalated', failedAt: 'connector' },
  escalatedOnline: { protocol: 'imap4', version: 'Online', outcome: 'escalated', failedAt: 'onlineAuth' },
  escalatedService: { protocol: 'pop3', version: '2016', outcome: 'escalated', failedAt: 'service' },
  escalatedNoVersion: { protocol: 'imap4', outcome: 'escalated' },
  solvedElsewhere: { protocol: 'pop3', version: '2013', outcome: 'solved' },
  leftAtMailbox: { protocol: 'imap4', version: 'SE', outcome: 'open', failedAt: 'mailbox' },
  solvedAtClient: { protocol: 'pop3', version: '2019', outcome: 'solved', failedAt: 'clientSettings', solvedAt: 'clientSettings' },
  leftAtStart: { outcome: 'open' },
};
// Fifteen slots taken in turn by the month's 60 cases: each slot 4 times.
const SLOTS: Template[] = [
  T.solvedAtService!, T.solvedAtService!, T.solvedAtSettings!, T.escalatedConnector!, T.escalatedConnector!, T.escalatedOnline!,
  T.escalatedService!, T.escalatedService!, T.escalatedService!, T.escalatedService!, T.escalatedNoVersion!, T.solvedElsewhere!,
  T.leftAtMailbox!, T.solvedAtClient!, T.leftAtStart!,
];

function facts(n: number, startedAt: string, updatedAt: string, template: Template, language: Language): CaseFacts {
  const { outcome, ...rest } = template;
  return {
    v: 1,
    caseId: `case-${n}`,
    rev: 3,
    startedAt,
    updatedAt,
    language,
    ...rest,
    outcome,
    ...(outcome === 'escalated' ? { escalatedAt: updatedAt } : {}),
    ...(outcome === 'solved' ? { solvedAtTime: updatedAt } : {}),
  };
}

/** November 2026: day i has (i mod 3) + 1 cases, 60 in all; and one still being worked on when the report is asked for. */
function seededMonth(): CaseFacts[] {
  const cases: CaseFacts[] = [];
  for (let day = 0; day < 30; day++) {
    for (let k = 0; k <= day % 3; k++) {
      const n = cases.length;
      const start = Date.UTC(2026, 10, 1 + day, 8 + k);
      cases.push(facts(n, new Date(start).toISOString(), new Date(start + 20 * 60_000).toISOString(), SLOTS[n % SLOTS.length]!, n % 2 ? 'ja' : 'en'));
    }
  }
  cases.push(facts(60, '2026-11-30T23:50:00Z', '2026-12-01T11:30:00Z', { protocol: 'imap4', version: '2016', outcome: 'open' }, 'en'));
  return cases;
}

// Counted by hand from the slots: 2 × 4 = 8 solved at the service, 4 × 4 = 16 escalated at the POP3 service, …
const EXPECTED = {
  outcomes: { solved: 20, escalated: 32, abandoned: 8, open: 1 },
  solvedAt: { service: 8, serverSettings: 4, clientSettings: 4, elsewhere: 4 },
  failedAt: { clientSettings: [4, 0], service: [16, 0], serverSettings: [0, 4], mailbox: [0, 4], connector: [8, 0], onlineAuth: [0, 4] },
  escalations: { '2010': 8, '2016': 16, Online: 4, unknown: 4 },
  perDay: Array.from({ length: 30 }, (_, i) => (i % 3) + 1 + (i === 29 ? 1 : 0)),
};

const WORDS = {
  en: {
    title: 'POP3/IMAP4 cases from 2026-11-01 to 2026-11-30 (UTC)',
    cases: 'Cases started: 61',
    outcomes: ['Solved with the bot', 'Escalated', 'Abandoned (no activity for a day)', 'Still open'],
    steps: {
      clientSettings: 'Client settings',
      service: 'POP3/IMAP4 service',
      serverSettings: 'POP3/IMAP4 server settings',
      mailbox: 'POP3/IMAP4 for the mailbox',
      connector: 'Receive connector',
      onlineAuth: 'POP3/IMAP4 sign-in on Exchange Online',
    },
    elsewhere: 'Not on a step (said so elsewhere)',
    versions: { '2010': 'Exchange 2010', '2016': 'Exchange 2016', Online: 'Exchange Online', unknown: 'Version not given' },
    day: (d: number) => `2026-11-${String(d).padStart(2, '0')}`,
    headers: { outcomes: ['Outcome', 'Cases'], solved: ['Step', 'Solved'], failed: ['Step', 'POP3', 'IMAP4'], escalations: ['Exchange version', 'Escalations'], days: ['Day', 'Cases'] },
    noneTaken: 'No escalation of this period has been taken yet',
    empty: 'No case started in this period, so there is nothing to chart yet.',
    noneInPeriod: 'None in this period.',
    minutes42: '42 min',
  },
  ja: {
    title: 'POP3/IMAP4 のケース (2026 年 11 月 1 日 ～ 2026 年 11 月 30 日、UTC)',
    cases: '開始されたケース: 61 件',
    outcomes: ['ボットで解決', 'エスカレーション済み', '中断 (1 日以上操作なし)', '対応中'],
    steps: {
      clientSettings: 'メール クライアントの設定',
      service: 'POP3/IMAP4 サービス',
      serverSettings: 'POP3/IMAP4 のサーバー設定',
      mailbox: 'メールボックスの POP3/IMAP4 設定',
      connector: '送信用の受信コネクタ',
      onlineAuth: 'Exchange Online の POP3/IMAP4 認証',
    },
    elsewhere: 'ステップ以外の画面で解決',
    versions: { '2010': 'Exchange 2010', '2016': 'Exchange 2016', Online: 'Exchange Online', unknown: 'バージョン未指定' },
    day: (d: number) => `2026 年 11 月 ${d} 日`,
    headers: { outcomes: ['結果', 'ケース数'], solved: ['ステップ', '解決数'], failed: ['ステップ', 'POP3', 'IMAP4'], escalations: ['Exchange のバージョン', 'エスカレーション数'], days: ['日付', 'ケース数'] },
    noneTaken: 'この期間のエスカレーションはまだ引き受けられていません',
    empty: 'この期間に開始されたケースはないため、グラフはまだありません。',
    noneInPeriod: 'この期間に該当するケースはありません。',
    minutes42: '42 分',
  },
} as const;

function charts(card: Json): Json[] {
  const found: Json[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const element = node as Json;
      if (typeof element.type === 'string' && element.type.startsWith('Chart.')) found.push(element);
      else Object.values(element).forEach(visit);
    }
  };
  visit(card.body);
  return found;
}

function chart(card: Json, type: string): Json {
  const matching = charts(card).filter((c) => c.type === type);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

/** A fallback table as the reader sees it: each row's cell texts. */
function rows(table: Json): string[][] {
  expect(table.type).toBe('Table');
  return table.rows.map((row: Json) => row.cells.map((cell: Json) => cell.items.map((item: Json) => item.text).join(' ')));
}

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(REPORT_CARD_SCHEMA);
const schemaErrors = (card: unknown): string[] => (validate(card) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe.each(['en', 'ja'] as const)('the report card in %s', (language) => {
  const words = WORDS[language];
  const report = summarize(seededMonth(), FROM, TO, NOW);
  const card = renderReport(report, language) as Json;
  const steps = words.steps;

  it('shows how the month’s cases ended, as a donut and as its table', () => {
    expect(title(card)).toBe(words.title);
    expect(texts(card)).toContain(words.cases);
    const donut = chart(card, 'Chart.Donut');
    const counts = [EXPECTED.outcomes.solved, EXPECTED.outcomes.escalated, EXPECTED.outcomes.abandoned, EXPECTED.outcomes.open];
    expect(donut.data.map((d: Json) => [d.legend, d.value])).toEqual(words.outcomes.map((legend, i) => [legend, counts[i]]));
    expect(rows(donut.fallback)).toEqual([[...words.headers.outcomes], ...words.outcomes.map((legend, i) => [legend, String(counts[i])])]);
  });

  it('shows where the bot solved cases, step by step', () => {
    const bars = chart(card, 'Chart.HorizontalBar');
    const expected = [
      [steps.clientSettings, EXPECTED.solvedAt.clientSettings],
      [steps.service, EXPECTED.solvedAt.service],
      [steps.serverSettings, EXPECTED.solvedAt.serverSettings],
      [words.elsewhere, EXPECTED.solvedAt.elsewhere],
    ];
    expect(bars.data.map((d: Json) => [d.x, d.y])).toEqual(expected);
    expect(rows(bars.fallback)).toEqual([[...words.headers.solved], ...expected.map(([label, n]) => [label, String(n)])]);
  });

  it('shows the failed steps of each protocol side by side', () => {
    const grouped = chart(card, 'Chart.VerticalBar.Grouped');
    const order = ['clientSettings', 'service', 'serverSettings', 'mailbox', 'connector', 'onlineAuth'] as const;
    expect(grouped.data.map((s: Json) => s.legend)).toEqual(['POP3', 'IMAP4']);
    grouped.data.forEach((s: Json, p: number) => {
      expect(s.values.map((v: Json) => [v.x, v.y])).toEqual(order.map((step) => [steps[step], EXPECTED.failedAt[step][p]]));
    });
    expect(rows(grouped.fallback)).toEqual([
      [...words.headers.failed],
      ...order.map((step) => [steps[step], ...EXPECTED.failedAt[step].map(String)]),
    ]);
  });

  it('shows escalations by Exchange version, in the order of the versions', () => {
    const bars = chart(card, 'Chart.VerticalBar');
    const order = ['2010', '2016', 'Online', 'unknown'] as const;
    expect(bars.data.map((d: Json) => [d.x, d.y])).toEqual(order.map((v) => [words.versions[v], EXPECTED.escalations[v]]));
    expect(rows(bars.fallback)).toEqual([[...words.headers.escalations], ...order.map((v) => [words.versions[v], String(EXPECTED.escalations[v])])]);
  });

  it('draws a line through every day of the period, days without cases included', () => {
    const line = chart(card, 'Chart.Line');
    expect(line.data).toHaveLength(1);
    expect(line.data[0].values.map((v: Json) => [v.x, v.y])).toEqual(EXPECTED.perDay.map((n, i) => [words.day(i + 1), n]));
    expect(rows(line.fallback)).toEqual([[...words.headers.days], ...EXPECTED.perDay.map((n, i) => [words.day(i + 1), String(n)])]);
  });

  it('says no escalation was taken yet, instead of showing a wait of 0', () => {
    expect(texts(card)).toContain(words.noneTaken);
  });

  it('gives every chart a table fallback and validates against Adaptive Cards 1.5 plus the chart elements', () => {
    expect(charts(card).map((c) => [c.type, c.fallback?.type])).toEqual([
      ['Chart.Donut', 'Table'],
      ['Chart.HorizontalBar', 'Table'],
      ['Chart.VerticalBar.Grouped', 'Table'],
      ['Chart.VerticalBar', 'Table'],
      ['Chart.Line', 'Table'],
    ]);
    expect(schemaErrors(card)).toEqual([]);
  });

  it('says an empty period is empty instead of drawing empty charts', () => {
    const empty = renderReport(summarize([], FROM, TO, NOW), language) as Json;
    expect(charts(empty)).toEqual([]);
    expect(texts(empty)).toContain(words.empty);
    expect(schemaErrors(empty)).toEqual([]);
  });

  it('says so under a question with nothing to count, and shows the wait once it is measured', () => {
    const escalatedOnly = summarize(seededMonth().filter((c) => c.outcome === 'escalated'), FROM, TO, NOW);
    const drawn = renderReport({ ...escalatedOnly, medianMinutesToTake: 42 }, language) as Json;
    expect(charts(drawn).map((c) => c.type)).toEqual(['Chart.Donut', 'Chart.VerticalBar.Grouped', 'Chart.VerticalBar', 'Chart.Line']);
    expect(texts(drawn)).toContain(words.noneInPeriod);
    expect(texts(drawn)).toContain(words.minutes42);
    expect(texts(drawn)).not.toContain(words.noneTaken);
  });

  it('stays within the size budget for 30 days with every step and version present', () => {
    const big = 99_999;
    const full: Report = {
      ...report,
      cases: big,
      outcomes: { solved: big, escalated: big, abandoned: big, open: big },
      solvedAt: Object.fromEntries([...CHECKPOINTS, 'elsewhere'].map((c) => [c, big])),
      failedAt: Object.fromEntries(PROTOCOLS.map((p) => [p, Object.fromEntries(CHECKPOINTS.map((c) => [c, big]))])) as Report['failedAt'],
      escalationsByVersion: Object.fromEntries([...EXCHANGE_VERSIONS, 'unknown'].map((v) => [v, big])),
      casesPerDay: report.casesPerDay.map(({ day }) => ({ day, cases: big })),
    };
    const drawn = renderReport(full, language) as Json;
    expect(chart(drawn, 'Chart.HorizontalBar').data).toHaveLength(CHECKPOINTS.length + 1);
    expect(chart(drawn, 'Chart.VerticalBar').data).toHaveLength(EXCHANGE_VERSIONS.length + 1);
    expect(chart(drawn, 'Chart.Line').data[0].values).toHaveLength(30);
    expect(schemaErrors(drawn)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(drawn), 'utf8')).toBeLessThan(BUDGET);
  });
});

describe('the report card schema', () => {
  it('refuses what Teams would not draw', () => {
    const card = renderReport(summarize(seededMonth(), FROM, TO, NOW), 'en') as Json;
    const broken = (change: (c: Json) => void): Json => {
      const copy = structuredClone(card);
      change(copy);
      return copy;
    };
    const donutAt = (c: Json) => charts(c).find((x) => x.type === 'Chart.Donut')!;
    expect(schemaErrors(broken((c) => (donutAt(c).data[0].label = 'Solved')))).not.toEqual([]);
    expect(schemaErrors(broken((c) => (donutAt(c).fallback = { type: 'Chart.Pie', data: [] })))).not.toEqual([]);
    expect(schemaErrors(broken((c) => (donutAt(c).fallback.rows[0].cells[0].items[0].weight = 'Heavy')))).not.toEqual([]);
    expect(schemaErrors(broken((c) => (donutAt(c).data = [])))).not.toEqual([]);
    expect(schemaErrors(broken((c) => (c.version = '1.6')))).not.toEqual([]);
  });
});
