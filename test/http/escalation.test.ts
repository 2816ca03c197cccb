// Escalations leave the bot for real: a ticketing webhook on a local HTTP server that fails before it
// recovers, a bot restart with an escalation still waiting, and the help desk's Teams channel.
import { TeamsUser, startBot, useBot } from '../support/bot';
import { buttons, codeBlocks, texts, title } from '../support/cards';
import { FakeConnector, type SentActivity } from '../support/connector';
import { DETAILS, escalate, escalationId } from '../support/escalate';
import { TicketingWebhook, until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };

describe('escalation to a ticketing webhook', () => {
  let webhook: TicketingWebhook;
  let url: string;
  beforeEach(async () => {
    webhook = new TicketingWebhook();
    url = await webhook.start();
  });
  afterEach(async () => {
    await webhook.stop();
  });

  it('keeps retrying a webhook that is down and delivers once it recovers, with everything the help desk needs', async () => {
    webhook.mode = 'down';
    const bot = await startBot({ env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    const user = new TeamsUser(bot, { locale: 'ja-JP', userName: '佐藤 一郎' });
    const done = await escalate(user);
    const id = escalationId(done);
    // Nothing has been accepted yet, and the card says no more than that.
    expect(texts(done).join('\n')).toContain(`ケースは ${id} として記録され、ヘルプデスクのチケット管理システムへ送信しています`);

    await until('a few failed attempts', () => webhook.attempts.length >= 2);
    expect(webhook.accepted).toHaveLength(0);
    const toAdmin = () => bot.connector.sent.filter((a) => (a.conversation as { id: string }).id === user.conversationId && typeof a.text === 'string');
    expect(toAdmin()).toHaveLength(0);
    webhook.mode = 'up';
    await until('the delivery', () => webhook.accepted.length === 1);
    await until('the admin is told', () => toAdmin().length === 1);
    expect(toAdmin()[0]!.text).toBe(`${id} はヘルプデスクのチケット管理システムに届きました。`);
    await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
    await bot.stop();

    const [ticket] = webhook.accepted;
    expect(ticket!.headers['idempotency-key']).toBe(id);
    expect(webhook.attempts.every((a) => a.headers['idempotency-key'] === id)).toBe(true);
    expect(ticket!.body).toMatchObject({
      schema: 'popimap-bot/escalation@2',
      id,
      language: 'ja',
      requester: { name: '佐藤 一郎' },
      reason: 'exhausted',
      details: { ...DETAILS, clientHost: 'mail.contoso.com' },
      failedCheckpoint: 'serverSettings',
      note: 'Started after the certificate renewal',
    });
    expect((ticket!.body.journal as unknown[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(ticket!.body.commands)).toContain('Get-ImapSettings');
    const summaries = ticket!.body.summaries as Record<string, string>;
    expect(summaries.en).toContain(`escalation ${id}`);
    expect(summaries.ja).toContain('失敗したステップ: IMAP4 のサーバー設定');
    // The host name clients use is part of the case, for whoever reads it; machines get ISO dates.
    expect(summaries.ja).toContain('\nメール クライアントの接続先ホスト名: mail.contoso.com\n');
    expect(summaries.en).toContain('\nHost name mail clients connect to: mail.contoso.com\n');
    expect(codeBlocks(done).at(-1)).toContain('\nメール クライアントの接続先ホスト名: mail.contoso.com\n');
    expect(ticket!.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/);
  });

  it('loses nothing across a restart while the webhook is down', async () => {
    webhook.mode = 'down';
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    const first = await startBot({ connector, env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    const id = escalationId(await escalate(new TeamsUser(first, { serviceUrl })));
    await until('a failed attempt', () => webhook.attempts.length >= 1);
    await first.app.stop();
    expect(webhook.accepted).toHaveLength(0);

    webhook.mode = 'up';
    const second = await startBot({ connector, dbPath: first.dbPath, env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    await until('the delivery after the restart', () => webhook.accepted.length === 1);
    expect(webhook.accepted[0]!.body.id).toBe(id);
    await new Promise((r) => setTimeout(r, 300));
    expect(webhook.accepted).toHaveLength(1);
    await second.stop();
    await connector.stop();
  });
});

describe('escalation to the help desk channel in Teams', () => {
  const bot = useBot({ env: FAST_OUTBOX });

  it('tells an admin outside a channel that only a channel can be registered', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const [card] = await user.say('register help desk');
    expect(texts(card!).join('\n')).toContain('Only a Teams channel can be registered');
  });

  it('without a help desk set up, tells the admin to pass the summary on', async () => {
    const lone = await startBot();
    const done = await escalate(new TeamsUser(lone));
    expect(texts(done).join('\n')).toContain("Paste the case summary below into your help desk's ticket");
    expect(await lone.app.outbox.pending()).toHaveLength(0);
    await lone.stop();
  });

  it('keeps an escalation the channel refused (bot not in the team) and posts it once the bot is back', async () => {
    const helpdesk = '19:flaky-helpdesk@thread.tacv2';
    const channel = new TeamsUser(bot, { conversationType: 'channel', conversationId: helpdesk, userName: 'Help Desk Lead' });
    await channel.say('register help desk');
    bot.connector.refuse(helpdesk, 2);
    const before = bot.connector.sent.length;
    const id = escalationId(await escalate(new TeamsUser(bot, { userName: 'Hanako Admin' })));

    const toChannel = () => bot.connector.since(before).filter((a) => (a.conversation as { id: string } | undefined)?.id === helpdesk);
    await until('the channel post after two refusals', () => toChannel().length > 0);
    expect(toChannel()).toHaveLength(1);
    expect(title(toChannel()[0]!.attachments![0]!.content)).toBe(`Escalation ${id}: Not taken yet`);
    await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
  });

  it('tells the channel that was the help desk when another channel takes over', async () => {
    const first = '19:first-helpdesk@thread.tacv2';
    await new TeamsUser(bot, { conversationType: 'channel', conversationId: first }).say('register help desk');
    const before = bot.connector.sent.length;
    const [done] = await new TeamsUser(bot, { conversationType: 'channel', conversationId: '19:second-helpdesk@thread.tacv2', userName: 'Jiro Takeover' }).say(
      'register help desk',
    );
    expect(texts(done!).join('\n')).toContain('Done: escalations will now be posted in this channel.');
    const told = bot.connector.since(before).find((a) => (a.conversation as { id: string } | undefined)?.id === first);
    expect(told?.text).toContain('Escalations are now posted in another channel: Jiro Takeover registered it');
  });

  it('refuses a channel of another organization, and escalations keep going to the help desk', async () => {
    const helpdesk = '19:own-helpdesk@thread.tacv2';
    await new TeamsUser(bot, { conversationType: 'channel', conversationId: helpdesk }).say('register help desk');
    const outsider = new TeamsUser(bot, { conversationType: 'channel', conversationId: '19:elsewhere@thread.tacv2', tenantId: 'tenant-other' });
    const [refused] = await outsider.say('register help desk');
    expect(texts(refused!).join('\n')).toContain('belongs to another organization');

    const before = bot.connector.sent.length;
    await escalate(new TeamsUser(bot));
    const channelOf = (a: SentActivity) => (a.conversation as { id: string } | undefined)?.id;
    await until('the channel post', () => bot.connector.since(before).some((a) => channelOf(a) === helpdesk));
    expect(bot.connector.since(before).some((a) => channelOf(a) === '19:elsewhere@thread.tacv2')).toBe(false);
  });

  it('posts the escalation into the channel registered from Teams, and signals the handoff', async () => {
    const channel = new TeamsUser(bot, { conversationType: 'channel', conversationId: '19:helpdesk@thread.tacv2', userName: 'Help Desk Lead' });
    const mention = { type: 'mention', mentioned: { id: 'bot-1', name: 'POP/IMAP bot' }, text: '<at>POP/IMAP bot</at>' };
    const {
      cards: [registered],
    } = await channel.send({ type: 'message', text: '<at>POP/IMAP bot</at> ヘルプデスクとして登録', entities: [mention] });
    expect(texts(registered!).join('\n')).toContain('Done: escalations will now be posted in this channel.');

    const user = new TeamsUser(bot, { userName: 'Hanako Admin' });
    const before = bot.connector.sent.length;
    const done = await escalate(user);
    const id = escalationId(done);
    expect(texts(done).join('\n')).toContain(`recorded as ${id} and is being delivered to the help desk's Teams channel`);

    await until('the channel post', () => bot.connector.since(before).some((a) => a.conversation && (a.conversation as { id: string }).id === '19:helpdesk@thread.tacv2'));
    const post = bot.connector.since(before).find((a) => (a.conversation as { id: string } | undefined)?.id === '19:helpdesk@thread.tacv2')!;
    const card = post.attachments![0]!.content;
    expect(title(card)).toBe(`Escalation ${id}: Not taken yet`);
    // The help desk works the case from the card itself.
    expect(buttons(card).map((b) => b.verb)).toEqual(expect.arrayContaining(['caseTake', 'caseAsk', 'caseMicrosoft', 'caseResolve']));
    expect(texts(card).join('\n')).toContain('Hanako Admin could not get IMAP4 working');
    expect(codeBlocks(card).join('\n')).toContain("Get-ImapSettings -Server 'EX02'");

    const handoffEvent = bot.connector.since(before).find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    expect(handoffEvent).toBeDefined();
    expect(handoffEvent!.value).toMatchObject({ escalationId: id, deliveredTo: ['teamsChannel'] });
    const transcript = (handoffEvent!.attachments as unknown as Array<{ name: string; content: { activities: Array<{ text: string }> } }>)[0]!;
    expect(transcript.name).toBe('Transcript');
    expect(transcript.content.activities[0]!.text).toContain(`escalation ${id}`);
  });
});

describe('what the help desk learns of where the admin was', () => {
  let webhook: TicketingWebhook;
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    webhook = new TicketingWebhook();
    bot = await startBot({ env: { HELPDESK_WEBHOOK_URL: await webhook.start(), ...FAST_OUTBOX } });
  });
  afterAll(async () => {
    await bot.stop();
    await webhook.stop();
  });

  async function ticketFor(done: Record<string, unknown>) {
    const id = escalationId(done);
    await until('the delivery', () => webhook.accepted.some((a) => a.body.id === id));
    return webhook.accepted.find((a) => a.body.id === id)!.body;
  }

  /** Every command line a card shows, as the admin would copy them. */
  const commandLines = (card: Record<string, unknown>) => codeBlocks(card).flatMap((code) => code.split('\n'));
  const handedBack = (ticket: Record<string, unknown>, checkpoint: string) =>
    (ticket.commands as Array<{ checkpoint: string; lines: string[] }>).find((c) => c.checkpoint === checkpoint)?.lines ?? [];

  it('names the step in progress as where the admin stopped, lists it among the steps taken and hands back its commands', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP', userName: '山田 花子' });
    await user.joins();
    await user.click('details', { next: 'walk' }, { protocol: 'pop3', version: '2010', server: 'EX01', mailbox: 'taro@contoso.com' });
    await user.click('stillFailing');
    await user.click('haveAccess');
    const step2 = await user.click('stillFailing');
    expect(title(step2)).toMatch(/^ステップ 2\/4/);

    const confirm = await user.click('escalate');
    expect(texts(confirm).join('\n')).toContain('ステップ 2/4「POP3 のサーバー設定」の途中');
    const done = await user.click('confirmEscalation');
    // Japanese first, then English for Microsoft support, which lists the commands given.
    const [japanese, english] = codeBlocks(done).at(-1)!.split('\n\nExchange POP3 issue');
    expect(english).toContain('Stopped at: Step 2 of 4, POP3 server settings, in progress');
    expect(english).toContain('  - POP3 server settings: in progress when escalated');
    expect(japanese).toContain('中断した箇所: ステップ 2/4「POP3 のサーバー設定」の途中');
    expect(japanese).toContain('  - POP3 のサーバー設定: 作業中にエスカレーション');
    for (const line of commandLines(step2)) expect(english).toContain(line);

    const ticket = await ticketFor(done);
    expect(ticket).toMatchObject({
      schema: 'popimap-bot/escalation@2',
      stoppedAt: { screen: 'guide', checkpoint: 'serverSettings', stepNumber: 2, stepCount: 4 },
      support: { status: 'ended', product: 'Exchange Server 2010', endOfSupport: '2020-10-13' },
    });
    expect(handedBack(ticket, 'serverSettings')).toEqual(expect.arrayContaining(commandLines(step2)));
  });

  it('hands back every command of the fix screens the admin saw, the fix "check my settings" led to included', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'pick' }, { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com' });
    const mailboxFix = await user.click('pick', { checkpoint: 'mailbox' });
    expect(commandLines(mailboxFix).join('\n')).toMatch(/-PopUseProtocolDefaults[\s\S]*-MaxConnectionsPerUser/);
    await user.click('tryAnother');
    const [check] = await user.say('check');
    const pasted = ['Status   Name               DisplayName', '------   ----               -----------', 'Running  MSExchangePOP3     Microsoft Exchange POP3', 'Stopped  MSExchangePOP3BE   Microsoft Exchange POP3 Backend'];
    await user.say(pasted.join('\r\n'));
    const serviceFix = await user.click('showFix');
    expect(title(serviceFix)).toContain('POP3');
    await user.click('escalate');
    const done = await user.click('confirmEscalation');

    const english = codeBlocks(done).at(-1)!;
    expect(english).toContain('Stopped at: The fixes for POP3 service');
    for (const line of [...commandLines(mailboxFix), ...commandLines(serviceFix), ...commandLines(check!)]) expect(english).toContain(line);
    // What support will ask for is what the settings check gave: said, not listed a second time.
    expect(texts(done).join('\n')).toContain('The same commands as "Check my settings" gave you');
    expect(codeBlocks(done)).toHaveLength(1);

    const ticket = await ticketFor(done);
    expect(ticket).toMatchObject({ schema: 'popimap-bot/escalation@2', stoppedAt: { screen: 'remedy', checkpoint: 'service' } });
    expect(handedBack(ticket, 'mailbox')).toEqual(expect.arrayContaining(commandLines(mailboxFix)));
    expect(handedBack(ticket, 'service')).toEqual(expect.arrayContaining(commandLines(serviceFix)));
    expect(ticket.checkCommands).toEqual(commandLines(check!));
    expect(ticket.support).toEqual({ status: 'ended', product: 'Exchange Server 2016', endOfSupport: '2025-10-14' });
  });
});
