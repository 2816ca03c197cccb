import { validateDetails } from '../../src/flow/details';
import { maskSecrets } from '../../src/flow/secrets';
import { LOOKALIKES, PASSWORD_FORMS } from '../support/passwordForms';

describe('anything that looks like a password', () => {
  it.each([
    ['password=Hunter2!', 'password=••••••'],
    ['Password: "correct horse battery"', 'Password: ••••••'],
    ['パスワード：Himitsu123', 'パスワード：••••••'],
    ['password: hunter2 hunter3', 'password: ••••••'],
    ['passwd=hunter2;server=ex01', 'passwd=••••••;server=ex01'],
    ['PW: hunter2', 'PW: ••••••'],
    ['my password is hunter2, and it fails', 'my password is ••••••, and it fails'],
    ['パスワードは hunter2 です', 'パスワードは •••••• です'],
    ['パスワードがHimitsu123。', 'パスワードが••••••。'],
    ['USER taro\nPASS s3cr3t value\nSTAT', 'USER taro\nPASS ••••••\nSTAT'],
    ['a1 LOGIN taro@contoso.com s3cr3t', 'a1 LOGIN taro@contoso.com ••••••'],
    ['AUTH PLAIN AHRhcm8AczNjcjN0', 'AUTH PLAIN ••••••'],
    ['Authorization: Basic dGFybzpzM2NyM3Q=', 'Authorization: Basic ••••••'],
    ['https://taro:Hunter2@mail.contoso.com/owa', 'https://taro:••••••@mail.contoso.com/owa'],
    ['{"user":"taro","password":"Hunter2","port":993}', '{"user":"taro","password":••••••,"port":993}'],
    ['ｐａｓｓｗｏｒｄ：Ｈｕｎｔｅｒ２', 'ｐａｓｓｗｏｒｄ：••••••'],
    ["$c = ConvertTo-SecureString 'Hunter2' -AsPlainText -Force", '$c = ConvertTo-SecureString ••••••'],
    ['a1 AUTHENTICATE PLAIN\n+ \nAHRhcm8ASHVudGVyMg==\na1 OK', 'a1 AUTHENTICATE PLAIN\n+ \n••••••\na1 OK'],
    ['password Hunter2 fails', 'password •••••• fails'],
    ['password:\nHunter2', 'password:\n••••••'],
    ['パスワードをHunter2に変更しました', 'パスワードを••••••に変更しました'],
    ["'Hunter2' | ConvertTo-SecureString -AsPlainText -Force", '•••••• | ConvertTo-SecureString ••••••'],
    ['credentials: dGFybzpIdW50ZXIy', 'credentials: ••••••'],
    ['pass\u200bword: Hunter2', 'pass\u200bword: ••••••'],
    ['a1 LOGIN taro {7}\nHunter2', 'a1 LOGIN taro ••••••\n••••••'],
  ])('is masked in %j', (input, expected) => {
    expect(maskSecrets(input)).toEqual({ text: expected, masked: true });
  });

  it('has a corpus of at least 60 ways of writing one', () => {
    expect(PASSWORD_FORMS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(PASSWORD_FORMS.map((form) => [form.name, form] as const))('is masked when written as %s', (_name, form) => {
    const secret = 'Kq7-Zebra-42';
    const { text, masked } = maskSecrets(form.write(secret));
    expect(masked).toBe(true);
    for (const trace of form.traces(secret)) expect({ text, found: text.includes(trace) }).toEqual({ text, found: false });
  });

  it.each(LOOKALIKES)('leaves words that only look like a password readable: %j', (input) => {
    expect(maskSecrets(input)).toEqual({ text: input, masked: false });
  });

  it('sends back a mailbox that holds one, hidden, and takes every ordinary way of naming a mailbox', () => {
    expect(validateDetails({ protocol: 'pop3', mailbox: 'taro@contoso.com password: Hunter2' }).errors).toEqual([{ field: 'mailbox', problem: 'holdsPassword' }]);
    expect(validateDetails({ protocol: 'pop3', server: 'https://taro:Hunter2@ex01' }).errors).toEqual([{ field: 'server', problem: 'holdsPassword' }]);
    for (const mailbox of ['taro@contoso.com', 'Taro Yamada', 'CONTOSO\\taro', 'contoso.com/Users/Taro', 'pass.taro@contoso.com', 'pw-admin', '山田 太郎', 'ｔａｒｏ＠ｃｏｎｔｏｓｏ.ｃｏｍ']) {
      expect(validateDetails({ protocol: 'pop3', mailbox }).errors).toEqual([]);
    }
  });

  it('never reaches the case details', () => {
    const { details } = validateDetails({ protocol: 'pop3', errorText: 'USER taro\r\nPASS Hunter2\r\n-ERR Logon failure' });
    expect(details?.errorText).toBe('USER taro\nPASS ••••••\n-ERR Logon failure');
  });
});

describe('the cost of masking', () => {
  // Text an admin can send, shaped to make a backtracking pattern retry from every position.
  const SHAPES: Array<[string, (n: number) => string]> = [
    ['one line break after another', (n) => `x${'\n'.repeat(n)}x`],
    ['spaces and line breaks', (n) => ' \n'.repeat(n / 2)],
    ['one long run of letters', (n) => 'a'.repeat(n)],
    ['one long run of spaces after the word', (n) => `password${' '.repeat(n)}x`],
    ['spaces after a separator', (n) => `password:${' '.repeat(n)};`],
    ['the word over and over', (n) => 'password '.repeat(n / 9)],
    ['the word and a separator over and over', (n) => 'password:'.repeat(n / 9)],
    ['the word on every line', (n) => 'password\n'.repeat(n / 9)],
    ['the Japanese word and particle over and over', (n) => 'パスワードは'.repeat(n / 6)],
    ['full-width words', (n) => 'ｐａｓｓｗｏｒｄ　'.repeat(n / 9)],
    ['quotes never closed', (n) => 'password "'.repeat(n / 10)],
    ['"password for" over and over', (n) => 'password for '.repeat(n / 13)],
    ['URL schemes without a host', (n) => 'https://'.repeat(n / 8)],
    ['one long URL user', (n) => `https://${'a'.repeat(n)}`],
    ['hyphens', (n) => '-'.repeat(n)],
    ['parameters without a value', (n) => '-Password '.repeat(n / 10)],
    ['IMAP commands without a password', (n) => 'a1 LOGIN '.repeat(n / 9)],
    ['POP3 commands on one line', (n) => 'PASS '.repeat(n / 5)],
    ['SASL exchanges', (n) => 'AUTH PLAIN\n+\n'.repeat(n / 13)],
    ['base64 lines', (n) => 'QUFBQQ==\n'.repeat(n / 9)],
    ['Basic with no token', (n) => `Basic ${'a'.repeat(n)}`],
    ['ConvertTo-SecureString without an end', (n) => `ConvertTo-SecureString ${' '.repeat(n)}`],
    ['spaces around a colon after the word, then a line break', (n) => `password${' '.repeat(n / 2)}:${' '.repeat(n / 2)}\n`],
    ['the bare word and a separator over and over', (n) => 'password → password - '.repeat(n / 22)],
    ['full stops after the bare word', (n) => `password ${'.'.repeat(n)}`],
    ['quoted strings piped over and over', (n) => "'a' | ".repeat(n / 6)],
    ['command names without a password', (n) => 'mysql runas /x net use \\\\a sshpass '.repeat(n / 36)],
    ['base64 without padding', (n) => 'QUFB'.repeat(n / 4) + 'Q'],
    ['base64 words', (n) => 'QUFBQUFB '.repeat(n / 9)],
    ['invisible characters', (n) => 'pass\u200bword\u00ad '.repeat(n / 15)],
    ['IMAP literals without a password', (n) => 'a1 LOGIN a {1}\n'.repeat(n / 15)],
  ];

  /**
   * The least CPU time of several runs of each text, taken in turns. CPU time, not elapsed time: on a
   * shared machine a long run is more often paused for another process than a short one.
   */
  function cheapest(texts: string[]): number[] {
    const best = texts.map(() => Infinity);
    for (let round = 0; round < 9; round++) {
      texts.forEach((text, i) => {
        const start = process.cpuUsage();
        maskSecrets(text);
        const used = process.cpuUsage(start);
        best[i] = Math.min(best[i]!, used.user + used.system);
      });
    }
    return best;
  }

  // From 4,000 characters up to the largest request body the bot accepts (256 KB), four times more each
  // step. Linear work costs about four times as much (under ten with a garbage collection or two), work
  // that grows with the square sixteen times: the first step shows it, before the larger ones take minutes.
  it.each(SHAPES)('grows in proportion to the text: %s', (_name, shape) => {
    for (let size = 4_000; size < 256_000; size *= 4) {
      const [small, large] = cheapest([shape(size), shape(4 * size)]);
      const ratio = large! / small!;
      expect({ size, ratio: Math.round(ratio * 10) / 10, linear: ratio < 10 }).toMatchObject({ size, linear: true });
    }
  });
});
