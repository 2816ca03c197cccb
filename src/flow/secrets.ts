// Admins paste client errors and protocol traces, and those can carry a password. Whatever looks like
// one is masked before the bot keeps, shows or forwards the text.

const MASK = '••••••';

// The word for a password, not inside another word ("bypass:" is not one).
const KEY = String.raw`(?<![\p{L}\p{N}_])(?:password|passwd|pwd|pw|pass|パスワード)`;

const ERROR_WORDS = [
  'incorrect', 'invalid', 'wrong', 'expired', 'required', 'correct', 'not', 'too', 'missing', 'empty', 'blank',
  'disabled', 'locked', 'about', 'set', 'reset', 'changed', 'valid', 'a', 'an', 'the',
].join('|');
// Japanese runs words together, so these are beginnings, not whole words.
const ERROR_STARTS = ['間違', '正しく', '無効', '違', '必要', '期限', '空', '設定', '変更'].join('|');

const PATTERNS: RegExp[] = [
  // password=..., pwd: ..., パスワード：...: the value runs to the end of the line, or to the next
  // field of a connection string (;, &), so "password: two words" hides both.
  new RegExp(String.raw`(${KEY}\s*[:=：]\s*)("[^"]*"|'[^']*'|[^\r\n;&]*[^\s;&])`, 'giu'),
  // "my password is hunter2", "パスワードは hunter2 です": one word after it, unless the word is how
  // error messages go on ("The user name or password is incorrect.").
  new RegExp(
    String.raw`(${KEY}(?:\s+(?:is|was)\s+|\s*[はが]\s*))(?!(?:${ERROR_WORDS})(?![\p{L}\p{N}])|${ERROR_STARTS})("[^"]*"|'[^']*'|[^\s。、,.]+)`,
    'giu',
  ),
  // POP3 "PASS secret"
  /^(\s*PASS\s+)(\S.*)$/gimu,
  // IMAP "a1 LOGIN user secret"
  /^(\s*\S+\s+LOGIN\s+\S+\s+)(\S.*)$/gimu,
  // SASL "AUTH PLAIN <base64>" / "AUTHENTICATE PLAIN <base64>"
  /((?:AUTH|AUTHENTICATE)\s+(?:PLAIN|LOGIN|XOAUTH2)\s+)(\S+)/giu,
  // "Authorization: Basic ..." / "Bearer ..."
  /((?:Basic|Bearer)\s+)([A-Za-z0-9+/=._-]{8,})/gu,
];

export function maskSecrets(text: string): { text: string; masked: boolean } {
  let masked = false;
  const out = PATTERNS.reduce(
    (current, pattern) =>
      current.replace(pattern, (_match, lead: string) => {
        masked = true;
        return `${lead}${MASK}`;
      }),
    text,
  );
  return { text: out, masked };
}
