// What a user typed must reach PowerShell as one inert argument, whatever it contains. These tests read
// the generated commands the way PowerShell's tokenizer does and check that the typed value never
// becomes code, in the quoting helpers and in every command the catalog hands out.
import { clientSettings, remedy, stepGuide, supportRoute } from '../../src/content/catalog';
import { placeholder, psArgument, psComposite, psLiteral } from '../../src/content/powershell';
import { type CaseDetails, EXCHANGE_VERSIONS, type ExchangeVersion, PROTOCOLS, checkpointsFor, stepsFor } from '../../src/flow/types';

// PowerShell ends a single-quoted string at any of these, and reads two in a row as one literal quote
// (tokenizer.cs, ScanStringLiteral / CharExtensions.IsSingleQuote).
const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);

type Piece = { kind: 'code'; text: string } | { kind: 'literal'; value: string };

function readLiteral(line: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i]!;
    if (SINGLE_QUOTES.has(ch)) {
      if (i + 1 < line.length && SINGLE_QUOTES.has(line[i + 1]!)) {
        value += line[i + 1];
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  throw new Error(`Unterminated string literal in: ${line}`);
}

const CHAR_CODE = /^\[char\]0x([0-9A-F]{4})/;
const CHAR_UTF32 = /^\[char\]::ConvertFromUtf32\(0x([0-9A-F]+)\)/;

/** `('a' + [char]0x000A + 'b')`: one expression argument, as psLiteral spells control characters. */
function readConcatenation(line: string, start: number): { value: string; end: number } | null {
  if (!line.startsWith('(', start) || !SINGLE_QUOTES.has(line[start + 1] ?? '')) return null;
  let i = start + 1;
  let value = '';
  for (let first = true; ; first = false) {
    if (!first) {
      if (line.startsWith(')', i)) return { value, end: i + 1 };
      if (!line.startsWith(' + ', i)) return null;
      i += 3;
    }
    const rest = line.slice(i);
    const code = CHAR_CODE.exec(rest) ?? CHAR_UTF32.exec(rest);
    if (code && !first) {
      value += String.fromCodePoint(parseInt(code[1]!, 16));
      i += code[0].length;
    } else if (SINGLE_QUOTES.has(line[i] ?? '')) {
      const literal = readLiteral(line, i);
      value += literal.value;
      i = literal.end;
    } else {
      return null;
    }
  }
}

/** The line as PowerShell sees it: code, and the string arguments no content can leave. */
function tokenize(line: string): Piece[] {
  const pieces: Piece[] = [];
  let code = '';
  const flush = () => {
    if (code) pieces.push({ kind: 'code', text: code });
    code = '';
  };
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    const group = readConcatenation(line, i);
    if (group) {
      flush();
      pieces.push({ kind: 'literal', value: group.value });
      i = group.end;
    } else if (SINGLE_QUOTES.has(ch)) {
      flush();
      const literal = readLiteral(line, i);
      pieces.push({ kind: 'literal', value: literal.value });
      i = literal.end;
    } else if (ch === '"') {
      // Expandable strings only ever hold our own constants (a WMI filter, a findstr pattern).
      const close = line.indexOf('"', i + 1);
      if (close < 0) throw new Error(`Unterminated double-quoted string in: ${line}`);
      code += line.slice(i, close + 1);
      i = close + 1;
    } else {
      code += ch;
      i++;
    }
  }
  flush();
  return pieces;
}

const HOSTILE = [
  "o'brien",
  'o’brien‘s ‚quote‛',
  "x'; Remove-Item C:\\ -Recurse; '",
  'x’; Remove-Item C:\\ -Recurse; ’',
  '$(Remove-Item x)',
  '`$env:USERPROFILE` and `n',
  'say "hello" ; exit',
  "''''",
  "'",
  'line1\nline2',
  'cr\rlf\r\n',
  'nul\u0000byte',
  'bidi\u202Egnp.exe',
  'zero\u200Bwidth',
  'tag\u{E0041}char',
  '',
];

describe('psLiteral', () => {
  it.each(HOSTILE.map((value) => [JSON.stringify(value), value] as const))('keeps %s as one literal argument with the same value', (_label, value) => {
    const pieces = tokenize(psLiteral(value));
    expect(pieces).toEqual([{ kind: 'literal', value }]);
  });

  it('doubles ASCII and typographic single quotes, leaving everything else as typed', () => {
    expect(psLiteral("o'brien")).toBe("'o''brien'");
    expect(psLiteral('o’brien')).toBe("'o’’brien'");
    expect(psLiteral('‘a’ ‚b‛')).toBe("'‘‘a’’ ‚‚b‛‛'");
    expect(psLiteral('$(Remove-Item x); `"')).toBe("'$(Remove-Item x); `\"'");
  });

  it('spells out line breaks and invisible characters, so the command stays one visible line', () => {
    expect(psLiteral('a\nb')).toBe("('a' + [char]0x000A + 'b')");
    expect(psLiteral('\n')).toBe("('' + [char]0x000A)");
    expect(psLiteral('x\u202Ey')).toBe("('x' + [char]0x202E + 'y')");
    for (const value of HOSTILE) expect(psLiteral(value)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('holds for random mixes of every character that matters to PowerShell', () => {
    const alphabet = ["'", '’', '‘', '‚', '‛', '"', '“', '`', '$', '(', ')', ';', '|', '&', '\n', '\r', '\0', '\u2028', ' ', 'a', '#', '@', '{', '}', '+'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const value = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      expect(tokenize(psLiteral(value))).toEqual([{ kind: 'literal', value }]);
    }
  });
});

describe('missing values and composites', () => {
  it('shows a missing value as a bare placeholder, which PowerShell refuses to parse', () => {
    expect(psArgument(undefined, 'Mailbox')).toBe('<Mailbox>');
    expect(psArgument('', 'Server')).toBe('<Server>');
    expect(placeholder('Server')).toBe('<Server>');
    expect(() => placeholder("x'; y")).toThrow();
  });

  it('quotes a composite identity once, from the raw value, and around its placeholders when the value is missing', () => {
    const build = (s: string) => `${s}\\Client ${s}`;
    expect(psComposite('EX01', 'Server', build)).toBe("'EX01\\Client EX01'");
    expect(tokenize(psComposite("EX'01", 'Server', build))).toEqual([{ kind: 'literal', value: "EX'01\\Client EX'01" }]);
    expect(psComposite(undefined, 'Server', build)).toBe("'<Server>\\Client <Server>'");
  });
});

// ---- Every command the catalog hands out ---------------------------------------------------------

function allCommandLines(details: CaseDetails): string[] {
  const lines: string[] = [];
  for (const step of stepsFor(details.version)) {
    const guide = stepGuide(step, details);
    lines.push(...guide.check.lines, ...guide.fix.lines, ...guide.verify.lines);
  }
  for (const checkpoint of checkpointsFor(details.version)) {
    const fix = remedy(checkpoint, details);
    lines.push(...fix.diagnose.lines, ...fix.causes.flatMap((c) => c.fix.lines), ...fix.verify.lines);
  }
  lines.push(...clientSettings(details).check.lines, ...supportRoute(details.version, details).collect.lines);
  return lines;
}

/**
 * The line with the admin's values masked inside its string arguments (a value may sit inside a
 * composite such as `EX01\Client EX01`). Equal shapes mean the values changed nothing but themselves.
 */
function shape(line: string, values: Record<string, string>): string {
  return tokenize(line)
    .map((piece) => {
      if (piece.kind === 'code') return piece.text;
      let masked = piece.value;
      for (const [name, value] of Object.entries(values)) masked = masked.split(value).join(`«${name}»`);
      return `'${masked}'`;
    })
    .join('');
}

const VERSIONS: (ExchangeVersion | undefined)[] = [...EXCHANGE_VERSIONS, undefined];

/** What an admin types over each placeholder: names without spaces, as Exchange and DNS spell them. */
const FILLED: Record<string, string> = {
  Server: 'EX01',
  Mailbox: 'taro@contoso.com',
  FQDN: 'mail.contoso.com',
  Thumbprint: '5113AE0233A72FCCB75B1D0198628675333D010E',
  PID: '4312',
  Number: '32',
  PlanName: 'ExchangeOnlineEnterprise',
  AppId: '6b3c0b5e-1f2a-4c3d-9e8f-0a1b2c3d4e5f',
  EnterpriseAppObjectId: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
  ServicePrincipalId: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
  UserPrincipalName: 'hanako@contoso.com',
};

// Parameters that take no value; every other -Name takes exactly the next argument (or a comma list).
const SWITCHES = new Set(['-AutoSize', '-LightMode', '-TrustAnySSLCertificate', '-ano']);

/**
 * The arguments of each pipeline segment that no parameter takes: after the command name (and at most
 * one positional argument right after it), every bare word must follow a -Parameter or a comma.
 */
function strayArguments(line: string): string[] {
  const strays: string[] = [];
  for (const statement of line.split(/;\s*/)) {
    for (const segment of statement.split(/\s\|\s/)) {
      // Quoted strings, (sub-expressions) and {script blocks} are single arguments whatever they hold.
      const words = segment
        .replace(/^\s*\$\w+\s*=\s*/, '')
        .replace(/'(?:[^']|'')*'|"[^"]*"|\([^()]*\)|\{[^{}]*\}|@\{[^}]*\}/g, 'ARG')
        .trim()
        .split(/\s+/)
        .slice(1);
      let takesValue = true; // the first positional argument
      for (const word of words) {
        if (word.startsWith('-') && !/^-\d/.test(word)) {
          takesValue = !SWITCHES.has(word) && !word.endsWith(':$true') && !word.endsWith(':$false');
        } else if (takesValue) {
          takesValue = word.endsWith(',');
        } else if (!/^[=]/.test(word)) {
          strays.push(word);
        }
      }
    }
  }
  return strays;
}
const BENIGN = { server: 'EX01', mailbox: 'taro@contoso.com' };

describe.each(VERSIONS.map((v) => [v ?? 'no version', v] as const))('catalog commands on %s', (_label, version) => {
  it.each(PROTOCOLS)('%s: hostile mailbox and server names stay single inert arguments', (protocol) => {
    const benign = allCommandLines({ protocol, version, ...BENIGN });
    expect(benign.some((line) => line.includes("'taro@contoso.com'"))).toBe(true);
    for (const mailbox of HOSTILE.filter((h) => h !== '')) {
      // The server field is validated to a host name upstream; a quote in it must still not escape.
      const hostile = { server: "EX'01;$(calc)", mailbox };
      const lines = allCommandLines({ protocol, version, ...hostile });
      expect(lines).toHaveLength(benign.length);
      lines.forEach((line, i) => {
        expect(line).not.toMatch(/[\n\r\u0000\u2028\u2029]/);
        expect(shape(line, { server: hostile.server, mailbox })).toBe(shape(benign[i]!, BENIGN));
      });
    }
  });

  it.each(PROTOCOLS)('%s: without server and mailbox the commands carry placeholders, bare where they are the whole argument', (protocol) => {
    const lines = allCommandLines({ protocol, version });
    const joined = lines.join('\n');
    expect(joined).toContain('<Mailbox>');
    if (version !== 'Online') expect(joined).toContain('<Server>');
    for (const line of lines) {
      for (const piece of tokenize(line)) {
        // A lone placeholder stays bare, so a line left unfilled fails to parse instead of running.
        if (piece.kind === 'literal') expect(piece.value).not.toMatch(/^<(Server|Mailbox)>$/);
      }
    }
  });

  // Once every <Placeholder> is typed over, each line must be one command whose parameters each take one
  // argument: `-Identity <Server>\Client Frontend <Server>` unquoted would hand "Frontend" to nobody.
  it.each(PROTOCOLS)('%s: every command with placeholders is one correct command once they are filled in', (protocol) => {
    for (const line of allCommandLines({ protocol, version })) {
      if (!/<[A-Za-z]+>/.test(line.replace(/"[^"]*"/g, ''))) continue;
      const filled = line.replace(/<([A-Za-z]+)>/g, (_m, name: string) => FILLED[name] ?? 'x');
      expect({ line, strays: strayArguments(filled) }).toEqual({ line, strays: [] });
    }
  });
});
