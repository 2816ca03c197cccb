import { validateDetails } from '../../src/flow/details';
import { maskSecrets } from '../../src/flow/secrets';

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
  ])('is masked in %j', (input, expected) => {
    expect(maskSecrets(input)).toEqual({ text: expected, masked: true });
  });

  it.each([
    '-ERR Logon failure: unknown user name or bad password.',
    'NO LOGIN failed.',
    'Set-CASMailbox -PopEnabled $true',
    '-ERR [AUTH] Password has expired',
    'bypass: on',
    'The user name or password is incorrect.',
    'パスワードが間違っています',
    'パスワードが正しくありません。',
    'パスワードの有効期限が切れています',
  ])(
    'leaves an ordinary error alone: %j',
    (input) => {
      expect(maskSecrets(input)).toEqual({ text: input, masked: false });
    },
  );

  it('never reaches the case details', () => {
    const { details } = validateDetails({ protocol: 'pop3', errorText: 'USER taro\r\nPASS Hunter2\r\n-ERR Logon failure' });
    expect(details?.errorText).toBe('USER taro\nPASS ••••••\n-ERR Logon failure');
  });
});
