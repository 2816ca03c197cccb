// The help-desk lead's report, asked for in Teams: the card with the seeded month's counts in the registered
// help-desk channel (English and Japanese, 7 or 30 days), and nothing but a refusal anywhere else.
import { conversationKeyOf } from '../../src/conversation/turn';
import { type CaseFacts, caseFactsKey } from '../../src/insights/caseFacts';
import { TeamsUser, useBot } from '../support/bot';
import { texts, title } from '../support/cards';

const DAY_MS = 24 * 60 * 60 * 1000;
const HELPDESK = '19:report-helpdesk@thread.tacv2';

/** Every element of a type, however deep in the card. */
function elementsOf(node: unknown, type: string): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap((child) => elementsOf(child, type));
  if (typeof node !== 'object' || node === null) return [];
  const element = node as Record<string, unknown>;
  return [...(element.type === type ? [element] : []), ...Object.values(element).flatMap((child) => elementsOf(child, type))];
}

function facts(caseId: string, daysAgo: number, outcome: CaseFacts['outcome'], idleDays = 0, tenantId = 'tenant-1'): CaseFacts {
  const now = Date.now();
  const startedAt = new Date(now - daysAgo * DAY_MS).toISOString();
  return { v: 1, caseId, rev: 3, startedAt, updatedAt: new Date(now - idleDays * DAY_MS).toISOString(), language: 'en', protocol: 'pop3', version: '2019', outcome, tenantId };
}

// Within 7 days: 3 solved, 2 escalated, 1 open, 1 abandoned. Days 8-28 add 4 solved and 1 escalated; day 40 is outside both.
const SEEDED = [
  facts('a1', 0, 'solved'), facts('a2', 1, 'solved'), facts('a3', 5, 'solved'), facts('a4', 2, 'escalated'), facts('a5', 4, 'escalated'),
  facts('a6', 0, 'open'), facts('a7', 3, 'open', 2),
  facts('b1', 8, 'solved'), facts('b2', 12, 'solved'), facts('b3', 20, 'solved'), facts('b4', 28, 'solved'), facts('b5', 15, 'escalated'),
  facts('c1', 40, 'solved'),
  // Another organisation using the same bot: never in this help desk's report.
  facts('t1', 1, 'solved', 0, 'tenant-2'), facts('t2', 2, 'escalated', 0, 'tenant-2'),
];

describe('the report in Teams', () => {
  const bot = useBot();
  beforeAll(async () => {
    for (const seeded of SEEDED) await bot.app.store.write(caseFactsKey(seeded.caseId, seeded.startedAt), seeded);
    await new TeamsUser(bot, { conversationType: 'channel', conversationId: HELPDESK }).say('register help desk');
  });

  // What the lead reads: the card's text, then the outcome donut's slices as "label\nvalue".
  const reportIn = async (options: ConstructorParameters<typeof TeamsUser>[1], text: string) => {
    const cards = await new TeamsUser(bot, options).say(text);
    expect(cards).toHaveLength(1);
    const slices = elementsOf(cards[0]!, 'Chart.Donut').flatMap((donut) => (donut.data as Array<{ legend: string; value: number }>).map((d) => `${d.legend}\n${d.value}`));
    return [...texts(cards[0]!), ...slices].join('\n');
  };

  it('answers "report" in the help-desk channel with the last 7 days, and leaves the channel\'s own case as it was', async () => {
    const key = conversationKeyOf('msteams', HELPDESK);
    const before = await bot.app.store.read(key);
    const shown = await reportIn({ conversationType: 'channel', conversationId: HELPDESK }, 'report');
    expect(shown).toContain('Cases started: 7');
    expect(shown).toMatch(/Solved with the bot\n3/);
    expect(shown).toMatch(/Escalated\n2/);
    expect(shown).toContain(new Date(Date.now() - 6 * DAY_MS).toISOString().slice(0, 10));
    expect(await bot.app.store.read(key)).toEqual(before);
  });

  it('covers 30 days when asked, from a thread of the channel too', async () => {
    const shown = await reportIn({ conversationType: 'channel', conversationId: `${HELPDESK};messageid=1700000000000` }, 'report 30');
    expect(shown).toContain('Cases started: 12');
    expect(shown).toMatch(/Solved with the bot\n7/);
    expect(shown).toContain(new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10));
  });

  it.each([
    ['レポート', '開始されたケース: 7 件'],
    ['30日間のレポート', '開始されたケース: 12 件'],
  ])('answers %s in Japanese', async (text, count) => {
    expect(await reportIn({ conversationType: 'channel', conversationId: HELPDESK, locale: 'ja-JP' }, text)).toContain(count);
  });

  it('answers a report request Teams delivers twice once', async () => {
    const lead = new TeamsUser(bot, { conversationType: 'channel', conversationId: HELPDESK });
    const id = `report-${Date.now()}`;
    const first = await lead.send({ id, type: 'message', text: 'report' });
    const again = await lead.send({ id, type: 'message', text: 'report' });
    expect([first.cards.length, again.cards.length]).toEqual([1, 0]);
  });

  it.each([
    ['a personal chat', { conversationType: 'personal' as const }],
    ['another channel', { conversationType: 'channel' as const, conversationId: '19:elsewhere@thread.tacv2' }],
  ])('refuses it in %s and shows no count', async (_where, options) => {
    const cards = await new TeamsUser(bot, options).say('report 30');
    const shown = cards.map((card) => texts(card).join('\n')).join('\n');
    expect(shown).toContain("The report is shown only in the help desk's registered Teams channel.");
    expect(shown).not.toContain('Cases started');
    expect(cards.map(title).join()).not.toContain('POP3/IMAP4 cases from');
  });

  // Last: the channel's own case counts too once it has its details.
  it('answers the report, and leaves the channel\'s case alone, while that case waits for a paste', async () => {
    const channel = `${HELPDESK};messageid=1700000000001`;
    const lead = new TeamsUser(bot, { conversationType: 'channel', conversationId: channel });
    await lead.joins();
    await lead.click('details', { next: 'check' }, { protocol: 'pop3', version: '2019', server: '', mailbox: '', errorText: '' });
    const key = conversationKeyOf('msteams', channel);
    const before = await bot.app.store.read(key);
    for (const text of ['report please', 'レポートを見せてください']) {
      const [card] = await lead.say(text);
      expect(title(card!)).toMatch(/^(POP3\/IMAP4 cases from|POP3\/IMAP4 のケース)/);
    }
    expect(await bot.app.store.read(key)).toEqual(before);
  });
});
