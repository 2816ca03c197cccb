// "Check my settings" with the live check on: the admin clicks "Test … now" and the bot probes a real
// Dovecot POP3 server (started here), then names what it found, in the admin's language.
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { findButton, texts } from '../support/cards';
import { type Dovecot, type TestCertificates, createCertificates, startDovecot } from '../support/dovecot';

const CASE = { protocol: 'pop3', version: '2019', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' };

describe('the live check through the bot', () => {
  let certificates: TestCertificates;
  let good: Dovecot;
  let expired: Dovecot;
  let bot: BotUnderTest;

  beforeAll(async () => {
    certificates = createCertificates();
    [good, expired] = await Promise.all([
      startDovecot({ certificate: certificates.good }),
      startDovecot({ certificate: certificates.expired }),
    ]);
    bot = await startBot({
      env: {
        PROBE_ALLOW: `${good.host}:${good.ports.pop3},${expired.host}:${expired.ports.pop3}`,
        PROBE_CA_FILE: certificates.ca.certPath,
        PROBE_TIMEOUT_MS: '5000',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await Promise.all([good?.stop(), expired?.stop()]);
    certificates?.remove();
  });

  it('offers only the allowed endpoints and reports a healthy one as healthy', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const check = await user.click('details', { next: 'check' }, CASE);
    const offered = texts(check).filter((t) => t.startsWith('Test '));
    expect(offered).toEqual([`Test ${good.host}:${good.ports.pop3} now`, `Test ${expired.host}:${expired.ports.pop3} now`]);
    const verdict = await user.click('probe', { target: `${good.host}:${good.ports.pop3}` });
    expect(texts(verdict).join('\n')).toContain(`${good.host}:${good.ports.pop3} answered as it should`);
    expect(findButton(verdict, 'showFix')).toBeUndefined();
  });

  it('finds the expired certificate, in Japanese, and leads to the server settings fix', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    await user.joins();
    await user.click('details', { next: 'check' }, CASE);
    const verdict = await user.click('probe', { target: `${expired.host}:${expired.ports.pop3}` });
    expect(texts(verdict).join('\n')).toMatch(/が提示する証明書は 2024 年 \d{1,2} 月 \d{1,2} 日に有効期限が切れています/);
    expect(texts(verdict)).toContain('接続テストの結果');
    expect(texts(verdict).join('\n')).toContain('該当する確認箇所: POP3 のサーバー設定');
    expect(findButton(verdict, 'showFix')).toBeDefined();
  });

  it('refuses a forged button for an endpoint that is not allowed, without connecting', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const check = await user.click('details', { next: 'check' }, CASE);
    const rev = findButton(check, 'probe')!.data.rev;
    const before = good.log().length;
    const answer = await user.invoke('probe', { verb: 'probe', rev: rev as number, target: `${good.host}:${good.ports.imap}` });
    expect(texts(answer).join('\n')).toContain('That button is not one I recognize');
    expect(good.log().length).toBe(before);
  });
});
