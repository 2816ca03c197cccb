// Quoting for the commands the admin copies into an elevated Exchange Management Shell.
//
// A value the admin typed is data, never code. PowerShell's single-quoted string is the one place where
// nothing is interpreted: `$()`, backticks, semicolons and double quotes are all plain characters there.
// The only way out of it is a single quote, and PowerShell's tokenizer treats the typographic quotes
// U+2018 U+2019 U+201A U+201B exactly like the ASCII one (Outlook and Word turn ' into ’ for the user,
// so these really arrive). Inside the string, any of them written twice stands for itself.

const SINGLE_QUOTE = /['\u2018\u2019\u201A\u201B]/gu;

// Characters that must not reach the clipboard raw even though single quotes would keep them inert:
// a line break splits the "one command per line" the admin sees, NUL cuts the Windows clipboard short,
// and bidi or zero-width format characters make the command read differently from what runs.
// They are spelled out as character codes instead, so the command stays one visible line.
const SPELLED_OUT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function quoted(text: string): string {
  return `'${text.replace(SINGLE_QUOTE, (q) => q + q)}'`;
}

function charCode(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  // [char] holds one UTF-16 unit; anything above the BMP needs the string form.
  return code > 0xffff ? `[char]::ConvertFromUtf32(0x${hex})` : `[char]0x${hex.padStart(4, '0')}`;
}

/**
 * The value as one PowerShell argument that no content can break out of: a single-quoted literal, or,
 * when it holds control or invisible format characters, a parenthesised concatenation of single-quoted
 * pieces and `[char]` codes (it starts with a string so `+` concatenates instead of adding numbers).
 */
export function psLiteral(value: string): string {
  if (!SPELLED_OUT.test(value)) return quoted(value);
  const parts: string[] = [];
  let run = '';
  for (const ch of value) {
    if (SPELLED_OUT.test(ch)) {
      parts.push(quoted(run), charCode(ch));
      run = '';
    } else {
      run += ch;
    }
  }
  parts.push(quoted(run));
  // Empty runs between codes add nothing but noise; the first piece stays so the sum is a string.
  const trimmed = parts.filter((part, i) => i === 0 || part !== "''");
  return `(${trimmed.join(' + ')})`;
}

/**
 * A placeholder for a value the admin has not given. `<` is reserved in PowerShell, so a line that still
 * holds one fails to parse and runs nothing, rather than running against the wrong object.
 */
export function placeholder(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`Placeholder names are plain words, got ${JSON.stringify(name)}`);
  return `<${name}>`;
}

export function isGiven(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The admin's value as an argument, or the named placeholder when it was not given. */
export function psArgument(value: string | undefined, missing: string): string {
  return isGiven(value) ? psLiteral(value) : placeholder(missing);
}

/**
 * An argument built from the admin's value, e.g. the connector identity `EX01\Client EX01`. The whole
 * composite is quoted once, from the raw value, so the value cannot end the string half-way. Without the
 * value, the same shape is quoted around the placeholder: `'<Server>\Client Frontend <Server>'` stays one
 * argument once the admin types the name over `<Server>`, where a bare `Frontend` would become a second one.
 */
export function psComposite(value: string | undefined, missing: string, build: (v: string) => string): string {
  return psLiteral(build(isGiven(value) ? value : placeholder(missing)));
}
