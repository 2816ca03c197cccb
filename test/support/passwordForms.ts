// Ways an admin writes a password into what they type or paste, in English and Japanese: plain, half- and
// full-width, quoted, in a URL, in JSON, in PowerShell, in a POP3/IMAP/SMTP transcript, in base64.
// Each form writes a given secret; `traces` is every spelling of it that must never be seen again.

export interface PasswordForm {
  name: string;
  write(secret: string): string;
  traces(secret: string): string[];
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** A token as an OAuth server issues it (a JWT), carrying the secret in its payload. */
const bearer = (secret: string) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ secret }), 'utf8').toString('base64url')}.c2lnbmF0dXJl`;
/** What a Japanese IME gives with full-width input on: ＡＢＣ１２３. */
export const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function form(name: string, write: (secret: string) => string, traces: (secret: string) => string[] = (s) => [s]): PasswordForm {
  return { name, write, traces };
}

const wide = (name: string, write: (secret: string) => string) => form(name, (s) => write(fullWidth(s)), (s) => [fullWidth(s)]);

export const PASSWORD_FORMS: PasswordForm[] = [
  // English, as typed
  form('key=value', (s) => `password=${s}`),
  form('Key: value', (s) => `Password: ${s}`),
  form('KEY : value', (s) => `PASSWORD : ${s}`),
  form('quoted value', (s) => `password: "${s} and more"`, (s) => [`${s} and more`, s]),
  form('pwd in a connection string', (s) => `pwd=${s};server=ex01`),
  form('passwd', (s) => `passwd: ${s}`),
  form('PW', (s) => `PW: ${s}`),
  form('pass', (s) => `pass: ${s}`),
  form('my password is', (s) => `my password is ${s} and it still fails`),
  form('my password is:', (s) => `my password is: ${s}`),
  form('the password was', (s) => `The password was ${s}.`),
  form('the password for someone is', (s) => `the password for taro@contoso.com is ${s}`),
  form('new password', (s) => `New password: ${s}`),
  form('NewPassword=', (s) => `NewPassword=${s}`),
  form('environment variable', (s) => `DB_PASSWORD=${s}`),
  form('key then quoted value', (s) => `user taro / password "${s}"`),
  form('client secret', (s) => `client secret: ${s}`),
  form('SQL connection string', (s) => `Server=ex01;User ID=taro;Password=${s};Encrypt=true`),
  // PowerShell and command lines
  form('$password variable', (s) => `$password = '${s}'`),
  form('$pw variable', (s) => `$pw = "${s}"`),
  form('-Password X', (s) => `Set-Mailbox taro -Password ${s}`),
  form("-Password 'X'", (s) => `-Password '${s}'`),
  form('-Password:"X"', (s) => `-Password:"${s}"`),
  form('--password X', (s) => `fetchmail --username taro --password ${s}`),
  form('--password=X', (s) => `--password=${s}`),
  form('ConvertTo-SecureString', (s) => `ConvertTo-SecureString '${s}' -AsPlainText -Force`),
  form('ConvertTo-SecureString -String', (s) => `ConvertTo-SecureString -String "${s}" -AsPlainText -Force`),
  form(
    'PSCredential',
    (s) => `$cred = New-Object System.Management.Automation.PSCredential('taro@contoso.com', (ConvertTo-SecureString '${s}' -AsPlainText -Force))`,
  ),
  form('-AccountPassword (ConvertTo-SecureString)', (s) => `-AccountPassword (ConvertTo-SecureString -AsPlainText "${s}" -Force)`),
  form('curl -u', (s) => `curl -u taro:${s} imaps://mail.contoso.com`),
  // URLs, JSON, markup
  form('https user-info', (s) => `https://taro:${s}@mail.contoso.com/owa`),
  form('imaps user-info', (s) => `imaps://taro%40contoso.com:${s}@mail.contoso.com:993/INBOX`),
  form('pop3 user-info', (s) => `pop3://taro:${s}@ex01.contoso.com`),
  form('JSON', (s) => `{"username":"taro","password":"${s}"}`),
  form('JSON with spaces', (s) => `{ "Password" : "${s}" }`),
  form('JSON inside a string', (s) => `{\\"user\\":\\"taro\\",\\"password\\":\\"${s}\\"}`),
  form('Python or YAML', (s) => `'password': '${s}'`),
  form('XML', (s) => `<User>taro</User><Password>${s}</Password>`),
  form('query string', (s) => `?user=taro&password=${s}&lang=en`),
  // Protocol transcripts
  form('POP3 PASS', (s) => `USER taro\nPASS ${s}\n-ERR Logon failure`),
  form('POP3 PASS with speaker', (s) => `C: USER taro\nC: PASS ${s}`),
  form('IMAP a1 LOGIN', (s) => `a1 LOGIN taro ${s}`),
  form('IMAP LOGIN without a tag', (s) => `LOGIN taro ${s}`),
  form('IMAP LOGIN quoted', (s) => `a1 LOGIN "taro@contoso.com" "${s}"`),
  form('IMAP LOGIN with speaker', (s) => `C: a1 LOGIN taro@contoso.com ${s}`),
  form('SASL PLAIN inline', (s) => `AUTH PLAIN ${base64(`\0taro\0${s}`)}`, (s) => [s, base64(`\0taro\0${s}`)]),
  form(
    'SASL PLAIN continuation',
    (s) => `a1 AUTHENTICATE PLAIN\n+ \n${base64(`taro\0taro\0${s}`)}\na1 NO AUTHENTICATE failed.`,
    (s) => [s, base64(`taro\0taro\0${s}`)],
  ),
  form('SASL PLAIN line alone', (s) => `C: ${base64(`\0taro@contoso.com\0${s}`)}`, (s) => [s, base64(`\0taro@contoso.com\0${s}`)]),
  form(
    'SMTP AUTH LOGIN',
    (s) => `AUTH LOGIN\n334 VXNlcm5hbWU6\n${base64('taro')}\n334 UGFzc3dvcmQ6\n${base64(s)}\n535 5.7.3 Authentication unsuccessful`,
    (s) => [s, base64(s)],
  ),
  form('HTTP Basic', (s) => `Authorization: Basic ${base64(`taro:${s}`)}`, (s) => [s, base64(`taro:${s}`)]),
  form('Bearer token', (s) => `Authorization: Bearer ${bearer(s)}`, (s) => [bearer(s)]),
  form('Bearer token alone', (s) => `Bearer ${bearer(s)}`, (s) => [bearer(s)]),
  // Full-width, as a Japanese IME gives it
  form('full-width key', (s) => `ｐａｓｓｗｏｒｄ：${s}`),
  wide('full-width key and value', (s) => `ＰＡＳＳＷＯＲＤ＝${s}`),
  wide('full-width sentence', (s) => `ｍｙ　ｐａｓｓｗｏｒｄ　ｉｓ　${s}`),
  wide('full-width POP3 PASS', (s) => `ＰＡＳＳ　${s}`),
  wide('full-width IMAP LOGIN', (s) => `ａ１　ＬＯＧＩＮ　ｔａｒｏ　${s}`),
  form('full-width PowerShell parameter', (s) => `－Ｐａｓｓｗｏｒｄ　${s}`),
  // Japanese
  form('パスワード：', (s) => `パスワード：${s}`),
  form('パスワード: ', (s) => `パスワード: ${s}`),
  form('パスワード=', (s) => `パスワード=${s}`),
  form('パスワードは … です', (s) => `パスワードは ${s} です`),
  form('パスワードは…です', (s) => `パスワードは${s}です`),
  form('パスワードが…。', (s) => `パスワードが${s}。`),
  form('新しいパスワード：', (s) => `新しいパスワード：${s}`),
  form('パスワードは「…」', (s) => `パスワードは「${s}」です`),
  form('パスワード「…」', (s) => `パスワード「${s}」でログインできません`),
  form('暗証番号:', (s) => `暗証番号:${s}`),
  wide('暗証番号：full-width', (s) => `暗証番号：${s}`),
  form('暗証番号は', (s) => `暗証番号は ${s}`),
  form('half-width katakana', (s) => `ﾊﾟｽﾜｰﾄﾞ:${s}`),
  form('ユーザー名とパスワード', (s) => `ユーザー名：taro　パスワード：${s}`),
  form('パスワード：“…”', (s) => `パスワード：“${s}”`),
  wide('パスワード＝full-width', (s) => `パスワード＝${s}`),
  form('ログインID / パスワード', (s) => `ログインID: taro / パスワード: ${s}`),
  form('パスコード', (s) => `パスコード：${s}`),
  form('アプリ パスワード', (s) => `アプリ パスワード: ${s}`),
  // On the line after the word, as a dialog or a form is copied
  form('password: then the next line', (s) => `password:\n${s}`),
  form('password then the next line', (s) => `password\n${s}`),
  form('user name, password then the next line', (s) => `username: taro\npassword\n${s}`),
  form('パスワード： then the next line', (s) => `パスワード：\n${s}`),
  // The bare word, then the secret after a space or a sign that is not : or =
  form('password S', (s) => `password ${s}`),
  form('password<tab>S', (s) => `password\t${s}`),
  form('password - S', (s) => `password - ${s}`),
  form('password, S', (s) => `password, ${s}`),
  form('password | S', (s) => `password | ${s}`),
  form('password → S', (s) => `password → ${s}`),
  form('tried password S', (s) => `tried password ${s} and it still fails`),
  form('the password I use is', (s) => `the password I use is ${s}`),
  form("my password's", (s) => `my password's ${s}`),
  form('PIN S', (s) => `PIN ${s}`),
  form('パスワード S でログインできません', (s) => `パスワード ${s} でログインできません`),
  form('パスワード(S)', (s) => `パスワード(${s})`),
  form('パスワードにはSを', (s) => `パスワードには${s}を使っています`),
  form('パスワード　S (ideographic space)', (s) => `パスワード　${s}`),
  form('暗証番号　S', (s) => `暗証番号　${s}`),
  form('パスワード→S', (s) => `パスワード→${s}`),
  form('パスワードをSに変更', (s) => `パスワードを${s}に変更しましたがログインできません`),
  form('password and パスワード「S」 in one note', (s) => `tried password ${s} and パスワード「${s}」`),
  // PowerShell: the secret piped into ConvertTo-SecureString
  form("'S' | ConvertTo-SecureString", (s) => `'${s}' | ConvertTo-SecureString -AsPlainText -Force`),
  form('PSCredential with a pipe', (s) => `$c=New-Object PSCredential('taro',('${s}'|ConvertTo-SecureString -AsPlainText -Force))`),
  // Base64 of user:password, as HTTP Basic carries it, without its header
  form('base64 of user:password alone', (s) => base64(`taro:${s}`), (s) => [s, base64(`taro:${s}`)]),
  form('base64 of user:password after a label', (s) => `credentials base64: ${base64(`taro:${s}`)}`, (s) => [s, base64(`taro:${s}`)]),
  // Command lines that take the password as an argument
  form('curl -uuser:X', (s) => `curl -utaro:${s} https://mail.contoso.com`),
  form('net use', (s) => `net use \\\\ex01\\share ${s} /user:taro`),
  form('runas', (s) => `runas /user:taro ${s}`),
  form('sshpass -p', (s) => `sshpass -p ${s} ssh taro@ex01`),
  form('mysql -pX', (s) => `mysql -utaro -p${s}`),
  form('POP3 USER and PASS on one line', (s) => `user taro pass ${s}`),
  form('IMAP LOGIN with a literal', (s) => `a1 LOGIN taro {${s.length}}\n${s}`),
  form('SASL PLAIN in lower case', (s) => `a1 authenticate plain ${base64(`\0taro\0${s}`)}`, (s) => [s, base64(`\0taro\0${s}`)]),
  // Markup and URLs
  form('HTML password input', (s) => `<input type=password value="${s}">`),
  form('URL-encoded password=', (s) => `password%3D${s}`),
  // The word disguised: an invisible character inside it, a Cyrillic letter for a Latin one
  form('zero-width space in the word', (s) => `pass\u200bword: ${s}`),
  form('soft hyphen in the word', (s) => `pass\u00adword: ${s}`),
  form('Cyrillic а in the word', (s) => `p\u0430ssword: ${s}`),
];

/** Error messages that only look like they hold a password: they must stay as they are. */
export const LOOKALIKES: string[] = [
  'The user name or password is incorrect.',
  '-ERR [AUTH] Password has expired',
  '-ERR Logon failure: unknown user name or bad password.',
  'NO LOGIN failed.',
  'a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
  'LOGIN failed for user taro',
  'Your password expired on 2026-11-30.',
  'The password for taro is incorrect.',
  'password is required',
  'Password has been reset by the administrator',
  'passwordless sign-in is not set up',
  'bypass: on',
  'Basic authentication is not supported for Client Submission.',
  '5.7.30 Basic authentication is not supported for Client Submission',
  'Set-CASMailbox -PopEnabled $true',
  'パスワードが間違っています',
  'パスワードの有効期限が切れています',
  'パスワードが正しくありません。',
  'ユーザー名またはパスワードが正しくありません。',
  'パスワードを変更してください',
  'パスワードが一致しません',
  // The bare word followed by ordinary prose
  'password expired',
  'Reset the password and try again.',
  'The password policy requires 12 characters.',
  'Enter your user name and password for the following server.',
  'Remember my password',
  'password sync is running',
  'Password must be changed.',
  // Outlook
  'Outlook cannot log on. The password you entered is not correct.',
  'Your IMAP server wants to alert you to the following: Logon failure: unknown user name or bad password.',
  'Your POP3 server has reported an error: -ERR Logon failure: unknown user name or bad password.',
  // Thunderbird
  'Login to server mail.contoso.com with username taro failed.',
  'Please enter your password for taro@contoso.com on mail.contoso.com:',
  'Sending of password did not succeed. Mail server mail.contoso.com responded: Authentication failed.',
  // iOS Mail
  'Cannot Get Mail. The user name or password for "mail.contoso.com" is incorrect.',
  'Password Incorrect. Enter the password for the "Exchange" account "taro@contoso.com".',
  // Exchange and POP3/IMAP4 servers
  'The password for this account has expired.',
  '-ERR [AUTH] Invalid user name or password.',
  'a1 NO [AUTHENTICATIONFAILED] Invalid user name or password',
  '* BAD Password must be changed before login',
  '535 5.7.3 Authentication unsuccessful',
  // Japanese, Outlook, Thunderbird and iOS in Japanese
  'パスワードを保存する',
  'パスワードの入力を求められます',
  'パスワードを入力してください',
  '新しいパスワードを入力(P)',
  '"mail.contoso.com"のユーザ名またはパスワードが間違っています。',
  'パスワード (8 文字以上)',
  'パスワードの変更が必要です',
  'パスワード は変更済みです',
];
