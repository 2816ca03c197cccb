// What the admin sees of the case's own facts through the real bot: the host name clients use, the bot's
// own check commands read back, and the support route of a version Microsoft no longer supports.
import { TeamsUser, useBot } from '../support/bot';
import { codeBlocks, inputValue, texts, title } from '../support/cards';

const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' };

describe('the case facts through the bot', () => {
  const bot = useBot();

  it('asks for the host name clients use and puts it where clients and certificates need it', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    expect(inputValue(user.card!, 'clientHost')).toBe('');
    const client = await user.click('details', { next: 'walk' }, { ...CASE, clientHost: 'mail.contoso.com' });
    const shown = texts(client).join('\n');
    expect(shown).toContain('mail.contoso.com:995');
    expect(shown).not.toContain('EX01:995');
    await user.click('stillFailing');
    await user.click('haveAccess');
    const settings = await user.click('stillFailing');
    expect(codeBlocks(settings).join('\n')).toContain(
      "Set-PopSettings -Server 'EX01' -ExternalConnectionSettings 'mail.contoso.com:995:SSL','mail.contoso.com:110:TLS' -X509CertificateName 'mail.contoso.com'",
    );
  });

  it('refuses a host name that is not one, naming the field and keeping the rest', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const card = await user.click('details', { next: 'walk' }, { ...CASE, clientHost: 'mail contoso com' });
    expect(texts(card).join('\n')).toContain('Host name mail clients connect to (optional): use the server');
    expect(inputValue(card, 'clientHost')).toBe('mail contoso com');
    expect(inputValue(card, 'server')).toBe('EX01');
  });

  it("reads back the output of its own service check (Win32_Service, StartMode Auto)", async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'check' }, CASE);
    const pasted = ['Name             State   StartMode', '----             -----   ---------', 'MSExchangePOP3   Running Manual', 'MSExchangePOP3BE Running Auto'].join('\r\n');
    const [verdict] = await user.say(pasted);
    expect(texts(verdict!).join('\n')).toContain('MSExchangePOP3 is running but starts Manual');
  });

  it('frames the route, the output and the summary of a 2010 case for a partner, not Microsoft support', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'walk' }, { ...CASE, version: '2010' });
    await user.click('stillFailing');
    await user.click('haveAccess');
    await user.click('thisFailed');
    await user.click('escalate');
    const done = await user.click('confirmEscalation', {}, { note: '' });
    expect(title(done)).toMatch(/^Escalated: ESC-/);
    const shown = texts(done).join('\n');
    expect(shown).toContain('Microsoft does not take support cases for this version.');
    expect(shown).toContain('Where help comes from for this version');
    expect(shown).toContain('Output a partner will ask for');
    expect(shown).toContain('Case summary (English, for a Microsoft partner or the upgrade project)');
    expect(shown).not.toMatch(/for Microsoft support|If Microsoft support is needed/);
  });
});
