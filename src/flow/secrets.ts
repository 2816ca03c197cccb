// Admins paste client errors, protocol traces and scripts, and those can carry a password. Whatever looks
// like one is masked before the bot keeps, shows or forwards the text.
//
// Every request runs this on what the admin typed, so its cost must grow with the text, never faster: each
// pattern starts with a literal (a keyword, a command, a line start), its runs of spaces stop at the first
// character that is not one, and nothing scans across a line break (but for a fixed step to the next line).
// The passes find ranges on a folded copy (full-width as ASCII, so ｐａｓｓｗｏｒｄ：reads as password:;
// invisible characters dropped and Cyrillic look-alike letters as Latin, so pass\u200bword and pаssword read as
// password), then the ranges are masked in the original text.
//
// The bare word followed by a space or a sign ("password Kq7", "パスワード　Kq7", "PIN 1234", "password → Kq7")
// is a secret only when what follows is a single ASCII token that is not a word of ordinary error prose
// (proseWords.ts): "password expired", "password policy", "パスワードが間違っています" stay readable.

import { looksLikeSecret } from './proseWords';

const MASK = '••••••';

// The words for a password. Long ones are found inside other names too (NewPassword, DB_PASSWORD); short
// ones only as a word of their own ("bypass:" is not one). Japanese runs words together.
const KEY = String.raw`(?:password|passwd|passphrase|passcode|accountkey|sharedaccesskey|パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|パスコード|(?<![\p{L}\p{N}])(?:pwd|pw|pass|pin|secret))`;

// The words that can stand bare before their secret: not "pass" or "secret", which begin too much prose.
const BARE_KEY = String.raw`(?:password|passwd|passphrase|passcode|パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|パスコード|(?<![\p{L}\p{N}])(?:pwd|pw|pin))(?![\p{L}\p{N}])`;
const JAPANESE_KEY = String.raw`(?:パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|パスコード)`;
// One ASCII token that could be a secret: not starting like a separator, quote or bracket, without the full
// stop or comma that ends the sentence, and ending where ASCII ends (Japanese runs straight on: パスワードをKq7に).
const ASCII_TOKEN = String.raw`(?![:=>"'(\[{<|,./\\-])[\x21-\x7e]*[\x21-\x2b\x2d\x2f-\x7e](?=[.,]*(?:[^\x21-\x7e]|$))`;

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

// Each pattern's `secret` group is what gets masked; with `accept`, only when the secret passes it.
interface Pattern {
  regex: RegExp;
  accept?: (secret: string) => boolean;
}

const QUOTED_OR_SECRET_WORD = (secret: string) => /^["'「“]/.test(secret) || looksLikeSecret(secret);
const NOT_A_PROGRAM = (secret: string) => looksLikeSecret(secret) && !/\.(?:exe|msc|cmd|bat|ps1|lnk)$/i.test(secret);

export const PATTERNS: Pattern[] = [
  // password=..., pwd: ..., "password":"...", <Password>...</Password>, パスワード：..., password%3D...
  { regex: new RegExp(String.raw`${KEY}(?:\\?["'])?[ \t]*(?:[:=]>?|->|>|%3[AD](?:%20|\+)*)[ \t]*(?<secret>${QUOTED}|${TO_END_OF_FIELD})`, 'giud') },
  // "my password is hunter2", "the password for taro is: hunter2", "the password I use is hunter2", "my
  // password's hunter2": one word, unless it is how error messages go on.
  {
    regex: new RegExp(
      String.raw`${KEY}(?:[ \t]+for[ \t]+\S{1,100}|[ \t]+(?:I|we|you|they)(?:[ \t]+\p{L}{1,20}){1,2})?(?:[ \t]+(?:is|was)|['’]s)(?:[ \t]*:[ \t]*|[ \t]+)(?!(?:${ERROR_WORDS})(?![\p{L}\p{N}]))(?<secret>${QUOTED}|${WORD})`,
      'giud',
    ),
    accept: QUOTED_OR_SECRET_WORD,
  },
  // The bare word: "password Kq7", "password - Kq7", "password → Kq7", "PIN 1234", "パスワード　Kq7 で…"
  { regex: new RegExp(String.raw`${BARE_KEY}(?:[ \t]*(?:[,|→…]|->|=>)[ \t]*|[ \t]+-[ \t]+|[ \t]+)(?<secret>${ASCII_TOKEN})`, 'giud'), accept: looksLikeSecret },
  // Alone on the line (or after a label's colon), and the secret alone on the next: a dialog or form copied.
  {
    regex: new RegExp(String.raw`(?:^|:)[ \t]*${BARE_KEY}[ \t]*(?::[ \t]*)?\r?\n[ \t]*(?<secret>${ASCII_TOKEN})[ \t]*\r?$`, 'gimud'),
    accept: looksLikeSecret,
  },
  // パスワード(Kq7), パスワードをKq7に, パスワードにはKq7を, パスワードでKq7…
  { regex: new RegExp(String.raw`${BARE_KEY}[ \t]*\([ \t]*(?<secret>[\x21-\x27\x2a-\x7e]+)[ \t]*\)`, 'giud'), accept: looksLikeSecret },
  { regex: new RegExp(String.raw`${JAPANESE_KEY}[ \t]*(?:には|を|に|で)[ \t]*(?<secret>${ASCII_TOKEN})`, 'giud'), accept: looksLikeSecret },
  // <input type=password value="Kq7">, name="Password" value="Kq7"
  { regex: new RegExp(String.raw`${KEY}["']?[ \t]+value[ \t]*=[ \t]*(?<secret>${QUOTED}|[^\s>]+)`, 'giud') },
  // "パスワードは hunter2 です", "パスワードが「hunter2」"
  { regex: new RegExp(String.raw`${KEY}[ \t]*[はが][ \t]*(?!${ERROR_STARTS})(?<secret>${QUOTED}|${WORD})`, 'giud') },
  // password "hunter2", パスワード「hunter2」: a quoted value right after the word.
  { regex: new RegExp(String.raw`${KEY}[ \t]*(?<secret>"(?=[^\s":=,])[^"\r\n]*"|「[^」\r\n]*」|“[^”\r\n]*”)`, 'giud') },
  // PowerShell and command-line parameters: -Password X, -AccountPassword:'X', --password X
  {
    regex: new RegExp(
      String.raw`(?<![\p{L}\p{N}_-])-{1,2}(?:[\p{L}_]*password|passwd|pwd|pass|pw)(?![\p{L}\p{N}_-])(?:[ \t]*[:=][ \t]*|[ \t]+)(?<secret>${QUOTED}|[^\s"'][^\s]*)`,
      'giud',
    ),
  },
  // ConvertTo-SecureString 'X' -AsPlainText -Force: its arguments, up to the end of the expression.
  { regex: /ConvertTo-SecureString[ \t]+(?<secret>[^\s)|;](?:[^\r\n)|;]*[^\s)|;])?)/giud },
  // 'X' | ConvertTo-SecureString -AsPlainText -Force: the string piped into it.
  { regex: /(?<secret>'[^'\r\n]*'|"[^"\r\n]*")[ \t]*\|[ \t]*ConvertTo-SecureString/giud },
  // https://user:X@host, imaps://user:X@host:993
  { regex: /(?<![\p{L}\p{N}])[a-z][a-z0-9+.-]{0,15}:\/\/[^\s/?#@:]*:(?<secret>[^\s/?#]*)@/giud },
  // curl -u user:X, curl -uuser:X, --user=user:X
  { regex: /(?<!\S)(?:-u|--user)(?:[ \t]*|=)[^\s:]+:(?<secret>\S+)/giud },
  // sshpass -p X, mysql -uuser -pX (mysql's -p takes its value attached; a -p alone asks for it)
  { regex: /(?<![\p{L}\p{N}-])sshpass[ \t]+-p[ \t]*(?<secret>\S+)/giud },
  { regex: /(?<![\p{L}\p{N}-])(?:mysql|mysqladmin|mysqldump|mariadb)(?:[ \t]+(?!-p)\S+){0,8}[ \t]+-p(?<secret>[^\s-]\S*)/giud },
  // net use \\srv\share X /user:taro, net use \\srv\share /user:taro X, runas /user:taro X
  { regex: /(?<![\p{L}\p{N}])net[ \t]+use[ \t]+(?:[a-z*]:[ \t]+)?\\\\\S+[ \t]+(?<secret>[^\s/*]\S*)/giud },
  {
    regex: /(?<![\p{L}\p{N}])(?:net[ \t]+use[ \t]+(?:[a-z*]:[ \t]+)?\\\\\S+|runas)(?:[ \t]+\/(?!user:)\S+)*[ \t]+\/user:\S+[ \t]+(?<secret>[^\s/*"]\S*)/giud,
    accept: NOT_A_PROGRAM,
  },
  // POP3 "PASS X", and USER and PASS typed on one line: "user taro pass X"
  { regex: new RegExp(String.raw`^[ \t]*${SPEAKER}PASS[ \t]+(?<secret>\S(?:.*\S)?)`, 'gimud') },
  { regex: /(?<![\p{L}\p{N}])user[ \t]+\S+[ \t]+pass[ \t]+(?<secret>\S+)/giud },
  // IMAP "a1 LOGIN user X" or "LOGIN user X", but not the server's "NO LOGIN failed." or Thunderbird's
  // "Login to server … failed."; with a literal ("a1 LOGIN taro {9}"), X is the next line.
  {
    regex: new RegExp(
      String.raw`^[ \t]*${SPEAKER}(?:(?!(?:NO|BAD|OK|\*)[ \t])\S+[ \t]+)?LOGIN[ \t]+(?!(?:failed|failure|disabled|denied|error|not|is|was|refused|to|with|as|for|from|at|using)(?![\p{L}\p{N}]))(?:"[^"\r\n]*"|\S+)[ \t]+(?<secret>\S(?:.*\S)?)`,
      'gimud',
    ),
  },
  { regex: /LOGIN[ \t]+(?:"[^"\r\n]*"|\S+)[ \t]+\{\d+\+?\}[ \t]*\r?\n[ \t]*(?<secret>\S(?:[^\r\n]*\S)?)/giud },
  // SASL with its response on the same line: "AUTH PLAIN <base64>"
  { regex: new RegExp(String.raw`(?<![\p{L}\p{N}])${SASL}[ \t]+(?<secret>[^\s=]\S*|=\S+)`, 'gud') },
  // "Authorization: Basic <base64>", and a token after Basic or Bearer wherever it looks like one.
  { regex: /Authorization[ \t]*:[ \t]*(?:(?:Basic|Bearer|Negotiate|NTLM|Digest)[ \t]+)?(?<secret>\S(?:[^\r\n]*\S)?)/giud },
  { regex: /(?<![\p{L}\p{N}])(?:Basic|Bearer)[ \t]+(?=[A-Za-z0-9+/=._~-]{8})(?<secret>[A-Za-z0-9+/=._~-]*[0-9+/=._~][A-Za-z0-9+/=._~-]*)/gud },
  // Base64 anywhere that decodes to "user:password" (HTTP Basic) or "user\0user\0password" (SASL PLAIN).
  { regex: /(?<![A-Za-z0-9+/=])(?<secret>(?:[A-Za-z0-9+/]{4}){2,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)(?![A-Za-z0-9+/=])/gud, accept: (b64) => isBasicCredentials(b64) || isSaslPlain(b64) },
];

// A client's base64 line in a SASL exchange, and the server's prompt for it ("+ ", "334 ").
const BASE64_LINE = new RegExp(String.raw`^[ \t]*${SPEAKER}(?<secret>[A-Za-z0-9+/]{4,}={0,2})[ \t\r]*$`, 'd');
const SERVER_PROMPT = new RegExp(String.raw`^[ \t]*${SPEAKER}(?:\+|334(?:[ \t]|$))`);
const SASL_START = new RegExp(String.raw`(?<![\p{L}\p{N}])${SASL}[ \t\r]*$`, 'u');

type Range = [start: number, end: number];

// Characters that hide a word from the patterns: invisible ones are dropped, Cyrillic and Greek letters that
// look Latin read as Latin, and line separators as line breaks.
const INVISIBLE = /[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;
const INVISIBLE_ONE = new RegExp(INVISIBLE.source);
const TWINS: Record<string, string> = {
  ...Object.fromEntries([...'аaеeоoрpсcѕsіiјjуyхxԁdԝwАAВBЕEКKМMНHОOРPСCТTХXЅSІIЈJοoΟOαaΑAΒBΕEΚKΜMΝNΡPΤTΧX'.matchAll(/(.)(.)/g)].map((m) => [m[1]!, m[2]!])),
  '\u2028': '\n',
  '\u2029': '\n',
  '\u3000': ' ',
  '\u00a0': ' ',
};
const FOLDABLE = new RegExp(`[\\uff01-\\uff5e${Object.keys(TWINS).join('')}]`, 'g');

interface Folded {
  text: string;
  /** Where the character at an index of `text` (or its end) is in the original. */
  origin: (index: number) => number;
}

/** The text as the patterns read it: full-width and wide spaces as ASCII, look-alikes as Latin, no invisibles. */
function fold(text: string): Folded {
  const twins = text.replace(FOLDABLE, (c) => TWINS[c] ?? String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const kept = twins.replace(INVISIBLE, '');
  if (kept.length === twins.length) return { text: kept, origin: (index) => index };
  const origin = new Int32Array(kept.length + 1);
  let at = 0;
  for (let i = 0; i < twins.length; i++) if (!INVISIBLE_ONE.test(twins[i]!)) origin[at++] = i;
  origin[at] = twins.length;
  return { text: kept, origin: (index) => origin[index]! };
}

function matchedSecrets(text: string, { regex, accept }: Pattern): Range[] {
  const ranges: Range[] = [];
  for (const match of text.matchAll(regex)) {
    const range = match.indices?.groups?.secret;
    if (range && range[1] > range[0] && (!accept || accept(match.groups!.secret!))) ranges.push(range);
  }
  return ranges;
}

/** HTTP Basic carries base64 of "user:password". */
function isBasicCredentials(base64: string): boolean {
  try {
    return /^[^:\x00-\x1f\x7f]+:[^\x00-\x1f\x7f]+$/.test(atob(base64));
  } catch {
    return false;
  }
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
  // Most forms leave the error text empty: no pattern can match nothing, and running them all costs microseconds.
  if (text === '') return { text, masked: false };
  const folded = fold(text);
  const ranges = [...PATTERNS.flatMap((pattern) => matchedSecrets(folded.text, pattern)), ...saslContinuations(folded.text)]
    .map(([start, end]): Range => [folded.origin(start), folded.origin(end)])
    .sort((a, b) => a[0] - b[0]);
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
