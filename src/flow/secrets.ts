// Admins paste client errors, protocol traces and scripts, and those can carry a password. Whatever looks
// like one is masked before the bot keeps, shows or forwards the text.
//
// Every request runs this on what the admin typed, so its cost must grow with the text, never faster: each
// pattern starts with a literal (a keyword, a command, a line start), its runs of spaces stop at the first
// character that is not one, and nothing scans across a line break. The passes find ranges on a copy with
// full-width characters folded one for one (ｐａｓｓｗｏｒｄ：reads as password:), then the ranges are
// masked in the original text.

const MASK = '••••••';

// The words for a password. Long ones are found inside other names too (NewPassword, DB_PASSWORD); short
// ones only as a word of their own ("bypass:" is not one). Japanese runs words together.
const KEY = String.raw`(?:password|passwd|passphrase|passcode|accountkey|sharedaccesskey|パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|パスコード|(?<![\p{L}\p{N}])(?:pwd|pw|pass|pin|secret))`;

// What error messages say after "password is" ("The user name or password is incorrect.").
const ERROR_WORDS = [
  'incorrect', 'invalid', 'wrong', 'expired', 'expiring', 'required', 'correct', 'not', 'too', 'missing', 'empty',
  'blank', 'disabled', 'locked', 'about', 'set', 'reset', 'changed', 'valid', 'being', 'still', 'now', 'case',
  'weak', 'same', 'different', 'unknown', 'needed', 'accepted', 'rejected', 'a', 'an', 'the',
].join('|');
// Japanese runs words together, so these are beginnings, not whole words.
const ERROR_STARTS = [
  '間違', '正し', '無効', '違', '必要', '期限', '空', '設定', '変更', '不', '未', '誤', '一致', '異な', '同じ', '入力',
  'リセット', 'ロック', '失効', '忘れ', '弱', '短', '長', 'ありません', 'ない',
].join('|');

const QUOTED = String.raw`"[^"\r\n]*"|'[^'\r\n]*'|「[^」\r\n]*」|“[^”\r\n]*”`;
// A value that runs to the end of the line, or to the next field of a connection string or markup
// (;, &, <), without the spaces at its end.
const TO_END_OF_FIELD = String.raw`[^\s;&<](?:[^\r\n;&<]*[^\s;&<])?`;
// One word, without the full stop or comma that ends the sentence.
const WORD = String.raw`[^\s。、]*[^\s。、.,]`;
// How a protocol trace marks who said what: "C: ", ">> ".
const SPEAKER = String.raw`(?:(?:[CS]:|[<>]{1,3})[ \t]*)?`;
const SASL = String.raw`(?:AUTH|AUTHENTICATE)[ \t]+(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|NTLM|CRAM-MD5)`;

// Each pattern's `secret` group is what gets masked.
const PATTERNS: RegExp[] = [
  // password=..., pwd: ..., "password":"...", <Password>...</Password>, パスワード：...
  new RegExp(String.raw`${KEY}(?:\\?["'])?[ \t]*(?:[:=]>?|->|>)[ \t]*(?<secret>${QUOTED}|${TO_END_OF_FIELD})`, 'giud'),
  // "my password is hunter2", "the password for taro is: hunter2": one word, unless it is how error messages go on.
  new RegExp(
    String.raw`${KEY}(?:[ \t]+for[ \t]+\S{1,100})?[ \t]+(?:is|was)(?:[ \t]*:[ \t]*|[ \t]+)(?!(?:${ERROR_WORDS})(?![\p{L}\p{N}]))(?<secret>${QUOTED}|${WORD})`,
    'giud',
  ),
  // "パスワードは hunter2 です", "パスワードが「hunter2」"
  new RegExp(String.raw`${KEY}[ \t]*[はが][ \t]*(?!${ERROR_STARTS})(?<secret>${QUOTED}|${WORD})`, 'giud'),
  // password "hunter2", パスワード「hunter2」: a quoted value right after the word.
  new RegExp(String.raw`${KEY}[ \t]*(?<secret>"(?=[^\s":=,])[^"\r\n]*"|「[^」\r\n]*」|“[^”\r\n]*”)`, 'giud'),
  // PowerShell and command-line parameters: -Password X, -AccountPassword:'X', --password X
  new RegExp(
    String.raw`(?<![\p{L}\p{N}_-])-{1,2}(?:[\p{L}_]*password|passwd|pwd|pass|pw)(?![\p{L}\p{N}_-])(?:[ \t]*[:=][ \t]*|[ \t]+)(?<secret>${QUOTED}|[^\s"'][^\s]*)`,
    'giud',
  ),
  // ConvertTo-SecureString 'X' -AsPlainText -Force: its arguments, up to the end of the expression.
  /ConvertTo-SecureString[ \t]+(?<secret>[^\s)|;](?:[^\r\n)|;]*[^\s)|;])?)/giud,
  // https://user:X@host, imaps://user:X@host:993
  /(?<![\p{L}\p{N}])[a-z][a-z0-9+.-]{0,15}:\/\/[^\s/?#@:]*:(?<secret>[^\s/?#]*)@/giud,
  // curl -u user:X
  /(?<!\S)(?:-u|--user)[ \t]+[^\s:]+:(?<secret>\S+)/giud,
  // POP3 "PASS X"
  new RegExp(String.raw`^[ \t]*${SPEAKER}PASS[ \t]+(?<secret>\S(?:.*\S)?)`, 'gimud'),
  // IMAP "a1 LOGIN user X" or "LOGIN user X", but not the server's "NO LOGIN failed."
  new RegExp(
    String.raw`^[ \t]*${SPEAKER}(?:(?!(?:NO|BAD|OK|\*)[ \t])\S+[ \t]+)?LOGIN[ \t]+(?!(?:failed|failure|disabled|denied|error|not|is|was|refused)(?![\p{L}\p{N}]))(?:"[^"\r\n]*"|\S+)[ \t]+(?<secret>\S(?:.*\S)?)`,
    'gimud',
  ),
  // SASL with its response on the same line: "AUTH PLAIN <base64>"
  new RegExp(String.raw`(?<![\p{L}\p{N}])${SASL}[ \t]+(?<secret>[^\s=]\S*|=\S+)`, 'gud'),
  // "Authorization: Basic <base64>", and a token after Basic or Bearer wherever it looks like one.
  /Authorization[ \t]*:[ \t]*(?:(?:Basic|Bearer|Negotiate|NTLM|Digest)[ \t]+)?(?<secret>\S(?:[^\r\n]*\S)?)/giud,
  /(?<![\p{L}\p{N}])(?:Basic|Bearer)[ \t]+(?=[A-Za-z0-9+/=._~-]{8})(?<secret>[A-Za-z0-9+/=._~-]*[0-9+/=._~][A-Za-z0-9+/=._~-]*)/gud,
];

// A client's base64 line in a SASL exchange, and the server's prompt for it ("+ ", "334 ").
const BASE64_LINE = new RegExp(String.raw`^[ \t]*${SPEAKER}(?<secret>[A-Za-z0-9+/]{4,}={0,2})[ \t\r]*$`, 'd');
const SERVER_PROMPT = new RegExp(String.raw`^[ \t]*${SPEAKER}(?:\+|334(?:[ \t]|$))`);
const SASL_START = new RegExp(String.raw`(?<![\p{L}\p{N}])${SASL}[ \t\r]*$`, 'u');

type Range = [start: number, end: number];

/** Full-width letters, digits and signs, and wide or no-break spaces, as their ASCII twins: one character for one. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000\u00a0]/g, (c) =>
    c === '\u3000' || c === '\u00a0' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

function matchedSecrets(text: string, pattern: RegExp): Range[] {
  const ranges: Range[] = [];
  for (const match of text.matchAll(pattern)) {
    const range = match.indices?.groups?.secret;
    if (range && range[1] > range[0]) ranges.push(range);
  }
  return ranges;
}

/** SASL PLAIN carries "user\0user\0password": a base64 line that reads so is one, whatever came before. */
function isSaslPlain(base64: string): boolean {
  try {
    const parts = atob(base64).split('\0');
    return parts.length === 3 && parts[2] !== '' && parts.every((part) => /^[\x20-\x7e\x80-\xff]*$/.test(part));
  } catch {
    return false;
  }
}

/** The base64 lines a client sends after "AUTHENTICATE PLAIN" / "AUTH LOGIN", until the exchange ends. */
function saslContinuations(text: string): Range[] {
  const ranges: Range[] = [];
  let inExchange = false;
  let start = 0;
  for (const line of text.split('\n')) {
    const base64 = BASE64_LINE.exec(line);
    const secret = base64?.indices?.groups?.secret;
    if (secret && (inExchange || isSaslPlain(base64.groups!.secret!))) ranges.push([start + secret[0], start + secret[1]]);
    else if (SASL_START.test(line)) inExchange = true;
    else if (!SERVER_PROMPT.test(line)) inExchange = false;
    start += line.length + 1;
  }
  return ranges;
}

export function maskSecrets(text: string): { text: string; masked: boolean } {
  const folded = foldWidth(text);
  const ranges = [...PATTERNS.flatMap((pattern) => matchedSecrets(folded, pattern)), ...saslContinuations(folded)].sort(
    (a, b) => a[0] - b[0],
  );
  if (ranges.length === 0) return { text, masked: false };
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    if (start >= at) out += text.slice(at, start) + MASK;
    at = end;
  }
  return { text: out + text.slice(at), masked: true };
}

/** How much of a typed field is read at all: its limit and as much again, so a password the limit would cut in two is seen whole. */
export function readable(limit: number): number {
  return 2 * limit;
}

/** The first `limit` characters of a text, masked. */
export function maskedHead(text: string, limit: number): string {
  return maskSecrets(text.slice(0, readable(limit))).text.slice(0, limit);
}
