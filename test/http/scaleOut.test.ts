// Several bot processes behind one load balancer, sharing Azure Blob Storage (Azurite, started here):
// a conversation may land on any of them, and turns racing on one conversation never lose a step.
import { randomUUID } from 'node:crypto';
import { type BotUnderTest, TeamsUser } from '../support/bot';
import { type Azurite, startAzurite } from '../support/azurite';
import { type Card, findButton, texts, title } from '../support/cards';
import { FakeConnector } from '../support/connector';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';

const CASE = { protocol: 'imap4', version: '2013', server: 'CAS01', mailbox: 'kenji@contoso.com', errorText: '' };

describe('two bot processes sharing Azure Blob Storage', () => {
  let azurite: Azurite;
  let connector: FakeConnector;
  let serviceUrl: string;
  let processes: BotProcess[];
  let a: BotUnderTest;
  let b: BotUnderTest;

  beforeAll(async () => {
    [azurite] = await Promise.all([startAzurite(), buildBot()]);
    connector = new FakeConnector();
    serviceUrl = await connector.start();
    const env = { STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: `scale-${randomUUID().slice(0, 8)}` };
    processes = await Promise.all([startBotProcess(env), startBotProcess(env)]);
    // TeamsUser only needs where to post and where replies arrive.
    [a, b] = processes.map((p) => ({ url: p.url, connector, serviceUrl }) as unknown as BotUnderTest) as [BotUnderTest, BotUnderTest];
  }, 90_000);

  afterAll(async () => {
    await Promise.all((processes ?? []).map((p) => p.stop()));
    await connector?.stop();
    await azurite?.stop();
  });

  it('serve one conversation alternately without losing a step', async () => {
    const conversationId = `conv-${randomUUID()}`;
    const onA = new TeamsUser(a, { serviceUrl, conversationId });
    const onB = new TeamsUser(b, { serviceUrl, conversationId });
    await onA.joins();
    let card: Card = onA.card!;
    const instances = [onB, onA];
    const clicks: Array<[string, Record<string, unknown>, Record<string, string>]> = [
      ['details', { next: 'walk' }, CASE],
      ['stillFailing', {}, {}],
      ['haveAccess', {}, {}],
      ['stillFailing', {}, {}],
      ['stillFailing', {}, {}],
      ['thisFailed', {}, {}],
    ];
    const titles: string[] = [];
    for (const [i, [verb, match, inputs]] of clicks.entries()) {
      card = await instances[i % 2]!.click(verb, match, inputs, card);
      titles.push(title(card));
    }
    expect(titles).toEqual([
      'First, the mail client',
      'Check your access',
      expect.stringMatching(/^Step 1 of 4/),
      expect.stringMatching(/^Step 2 of 4/),
      expect.stringMatching(/^Step 3 of 4/),
      expect.stringMatching(/^Fixing: /),
    ]);
    const [typed] = await onB.say('ステップ4');
    expect(title(typed!)).toMatch(/^Step 4 of 4/);
  });

  it('apply exactly one of several clicks racing on the same card', async () => {
    const conversationId = `conv-${randomUUID()}`;
    const onA = new TeamsUser(a, { serviceUrl, conversationId });
    const onB = new TeamsUser(b, { serviceUrl, conversationId });
    await onA.joins();
    await onA.click('details', { next: 'walk' }, CASE);
    await onA.click('stillFailing');
    const step1 = await onA.click('haveAccess');
    const data = findButton(step1, 'stillFailing')!.data;

    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? onA : onB).invoke('stillFailing', data)));
    expect(racing.map(title).every((t) => /^Step 2 of 4/.test(t))).toBe(true);
    const stale = racing.filter((card) => texts(card).join('\n').includes('That button was on an older card'));
    expect(stale).toHaveLength(7);

    const next = await onB.click('stillFailing', {}, {}, racing.find((card) => !stale.includes(card))!);
    expect(title(next)).toMatch(/^Step 3 of 4/);
  });
});
