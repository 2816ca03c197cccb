// Admins paste client errors and protocol traces, and those can carry a password. Whatever looks like
// one is masked before the bot keeps, shows or forwards the text.

const MASK = '••••••';

const PATTERNS: RegExp[] = [
  // password=..., pwd: ..., passwd ..., パスワード：...
  /((?:password|passwd|pwd|pass|パスワード)\s*[:=：]\s*)("[^"]*"|'[^']*'|\S+)/giu,
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
