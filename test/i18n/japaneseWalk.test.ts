// Every screen of the flow, walked in Japanese through the real bot: no English sentence may leak into
// what a Japanese-speaking admin reads. Commands, product and service names are English by nature and
// are set aside before looking.
import { TeamsUser, useBot } from '../support/bot';
import { type Card, texts } from '../support/cards';
import { journeys, play } from '../support/journeys';

// Names that stay in English in Microsoft's own Japanese documentation.
const KEPT_IN_ENGLISH = [
  /Microsoft Exchange (POP3|IMAP4)( Backend)?/g,
  /Exchange (Server SE|Server|Online|Management Shell|Online PowerShell)/g,
  /Secure Sockets Layer \(SSL\)/g,
  /Client (Frontend|Proxy) \S+/g,
  /\b[A-Z][a-z]+-[A-Z][A-Za-z]+\b/g, // cmdlets
  /\s-[A-Za-z]+/g, // parameters
  /\$(true|false|null)/g,
  /https?:\/\/\S+/g,
  /\S+@\S+/g,
  // Quoted in 「」: a label or an error message cited exactly as the product shows it.
  /「[^」]*」/g,
];

// What the admin typed is shown as typed, whatever its language.
const TYPED_BY_ADMIN = ['Started after the certificate renewal'];

const ENGLISH_RUN = /[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/;

function englishLeaks(card: Card): string[] {
  return texts(card)
    .map((text) => TYPED_BY_ADMIN.reduce((rest, typed) => rest.replaceAll(typed, ' '), text))
    .map((text) => KEPT_IN_ENGLISH.reduce((rest, pattern) => rest.replace(pattern, ' '), text))
    .filter((rest) => ENGLISH_RUN.test(rest));
}

describe('the whole flow in Japanese', () => {
  const bot = useBot();

  it('notices an English sentence when one is there', () => {
    const card = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'サービスを確認します。Then restart the service.' }] };
    expect(englishLeaks(card)).toHaveLength(1);
  });

  it.each(journeys().map((j) => [j.name, j] as const))('%s', async (_name, journey) => {
    const leaks: string[] = [];
    const user = new TeamsUser(bot, { locale: 'ja-JP', userId: 'ja-admin', userName: '山田 花子' });
    await play(user, journey, 'ja', (card) => leaks.push(...englishLeaks(card)));
    expect(leaks).toEqual([]);
  });
});
